#!/usr/bin/env bash
# Hostile classes, round 14 (genr14.py): link types PPP, PPP in HDLC
# framing, Cisco HDLC and NFLOG read (main: skipped as unsupported);
# segments a connected receiver's
# TCP drops although their sequence numbers are right, each carrying the
# attacker's server banner ahead of the real one: no ACK flag, a SYN in the
# window, an ACK a window past the bytes the peer sent (main: the attacker's banner read, and the SYN one shifted the stream by
# its sequence number so that no SSH was found at all); held until ACKed
# now, the re-send replacing them, counted and marked `untaken`. A
# capture that lost the peer's segments (an honest ACK of bytes never
# seen) is not judged so. After a gap in the cleartext phase the side's
# NEWKEYS is looked for and its records read (main: the side stopped). A
# NEWKEYS before its sender's key exchange
# message, which no receiver takes, flagged and passed over. Then what was
# already right: an IPv4 header
# checksum, a SYN-ACK from another port, a SYN's ISN changed, a 4-tuple
# reused in TIME_WAIT, keep-alives with other bytes, SSH-1.5, a wrong
# first_kex_packet_follows guess, a gap in the cleartext phase, a client
# on port 22, pcapng mixing link types and time bases, big-endian
# nanosecond pcap of LINKTYPE_IPV6, IPv6 extension chains with fragments,
# a banner behind lines one byte a segment, the attacker's banner at the
# server's ISN, data on an unACKed SYN-ACK, Ethernet padding.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr14.py" "$c" || die "genr14.py"

run_every "conns -R --json" "ssh --json" "ssh" "summary" "packets --stream 0" "follow --stream 0"

# the injections: OpenSSH's banner and lists, never the attacker's
for f in inj_noack inj_syn inj_badack inj_ipcsum; do
    run "$f.pcap" 0 ssh --json
    grep -q '"server":"SSH-2.0-OpenSSH_9.6".*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"' "$w/out" ||
        fail "$f: the dropped segment read: $(grep -o '"server":"[^"]*"' "$w/out")"
    run "$f.pcap" 0 extract -o "$w/x$f"
    ! grep -rq --exclude='*.json*' EVILSRV "$w/x$f" || fail "$f extract: the dropped segment in the stream files"
done
for f in inj_noack inj_syn inj_badack; do
    run "$f.pcap" 0 conns
    grep -q "^strider: 1 TCP data segment(s) came with no ACK flag, a SYN off the ISN, or an ACK a window past the peer's bytes" "$w/err" ||
        fail "$f: not counted: $(cat "$w/err")"
    expect "$f.pcap" out '^ +4 .* untaken$' packets --stream 0
done
expect inj_ipcsum.pcap err 'frame 4: IPv4 header checksum 0x[0-9a-f]+ is wrong' ssh
# left (docs/known-issues.md): an ACK older than a window is not judged,
# because what it is older than can be forged too; a fake SYN-ACK and
# server bytes far past the window then do not make the client's honest
# data doubtful (nothing judged untaken, OpenSSH's banner)
expect inj_oldack.pcap out '"server":"SSH-2.0-EVILSRV_1.0".*"anomalies":\["stream_conflict"' ssh --json
run synack_hijack.pcap 0 ssh --json
grep -q '"server":"SSH-2.0-OpenSSH_9.6"' "$w/out" || fail "synack_hijack: $(grep -o '"server":"[^"]*"' "$w/out")"
! grep -q 'came with no ACK flag' "$w/err" || fail "synack_hijack: honest data judged untaken: $(cat "$w/err")"
# a lost segment the peer ACKed is no injection: nothing held, nothing said
for f in clear_gap ack_hole; do
    run "$f.pcap" 0 ssh --json
    ! grep -q 'untaken\|came with no ACK' "$w/err" || fail "$f: judged untaken"
    grep -q '"client":"SSH-2.0-OpenSSH_9.6".*"hassh":"e97d07603350d1111ec2b64bf25413c9"' "$w/out" || fail "$f: the client's lists"
done
expect clear_gap.pcap out '^ +160$' conns --fields missed_bytes
# a gap in the cleartext phase: the side's NEWKEYS found after it, its
# records read (main: that side stopped, "connection ended before
# encryption", outcome kex_incomplete)
for v in "clear_gap 9 5" "reply_gap 11 4"; do
    set -- $v
    run "$1.pcap" 0 ssh --json
    grep -q "\"outcome\":\"encrypted\".*\"server_newkeys_frame\":$2,.*\"server_enc_records\":$3,.*\"anomalies\":\[\"gap\"\]" "$w/out" ||
        fail "$1: $(grep -oE '"(outcome|server_newkeys_frame|server_enc_records|anomalies)":[^,]*' "$w/out" | tr '\n' ' ')"
done
expect reply_gap.pcap out '^rec S +36 pkt frame 29 ' ssh --records
# the NEWKEYS itself lost: looked for within SD_SSH_RESYNC_MAX, then stopped
run newkeys_gap.pcap 0 ssh --json
grep -q '"outcome":"kex_incomplete".*"client_newkeys_frame":[0-9]*,.*"anomalies":\["gap"\]' "$w/out" || fail "newkeys_gap: $(head -c 600 "$w/out")"
! grep -q '"server_newkeys_frame"' "$w/out" || fail "newkeys_gap: a NEWKEYS found in the ciphertext"
expect ack_hole.pcap out '^ +10$' conns --fields missed_bytes

# a NEWKEYS before its side's key exchange message (the server's after its
# KEXINIT; a DH-GEX client's before its request): its receiver does not
# take it (an unexpected message: Terrapin's shift), the real one after
# the exchange starts encryption (main: the early one did, the reply and
# the host key read as encrypted records)
for v in "early_newkeys server 4 server_newkeys_frame\":10" "early_newkeys_gex client 6 client_newkeys_frame\":14"; do
    set -- $v
    run "$1.pcap" 0 ssh --json
    grep -q "\"host_key_sha256\":\"SHA256:SQfC+vTbLURn9cTkVxIS8fGQ3FKNAJWeB0o139+gV4M\".*\"terrapin\":true,\"terrapin_reason\":\"1 msg before NEWKEYS from $2 (type 21 frame $3)\".*\"$4.*\"anomalies\":\[\"unexpected_msg_before_newkeys\"\]" "$w/out" ||
        fail "$1: $(grep -oE '"(host_key_sha256|terrapin_reason|[a-z]+_newkeys_frame|anomalies)":[^,]*' "$w/out" | tr '\n' ' ')"
done

# already right: openings, reuse, keep-alives
F=id.orig_p,id.resp_p,conn_state,midstream
expect synack_port.pcap out '^ +49005 +22 +SF +false$' conns --fields $F
expect syn_newisn.pcap out '"id.orig_p":49006,.*"server":"SSH-2.0-OpenSSH_9.6".*"hassh":"e97d07603350d1111ec2b64bf25413c9"' ssh --json
run tw_reuse.pcap 0 ssh --json
[ "$(grep -cE '"id.orig_p":49007,.*"server":"SSH-2.0-OpenSSH_9\.(6|7)"' "$w/out")" = 2 ] || fail "tw_reuse: not two sessions"
run keepalive.pcap 0 ssh --json
! grep -q '"anomalies"' "$w/out" || fail "keepalive: an anomaly: $(grep -o '"anomalies":[^]]*' "$w/out")"
expect port22_client.pcap out '"id.orig_p":22,"id.resp_h":"10.7.0.2","id.resp_p":2222,.*"client":"SSH-2.0-OpenSSH_8.9"' ssh --json
# the attacker's banner at the server's ISN: the receiver trims the SYN's
# number and reads the rest (as strider), the conflict flagged; data on a
# SYN-ACK the client never ACKed is not read; Ethernet padding is not data
expect seq_at_isn.pcap out '"server":"SSH-2.0-EVILSRV_1.0".*"anomalies":\["stream_conflict"' ssh --json
expect synack_data.pcap out '"server":"SSH-2.0-OpenSSH_9.6".*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"' ssh --json
rm -rf "$w/xp"
run eth_pad.pcap 0 extract -o "$w/xp"
[ "$(wc -c < "$w/xp/010.007.000.001.49022-010.007.000.002.00022")" = 203 ] || fail "eth_pad: padding in the client's stream"
! grep -q P "$w/xp/010.007.000.001.49022-010.007.000.002.00022" || fail "eth_pad: padding bytes in the stream"
# SSH corners
run ssh15.pcap 0 ssh --json
grep -q '"version":1' "$w/out" || fail "ssh15: not protocol 1"
! grep -q '"anomalies"' "$w/out" || fail "ssh15: SSH-2 anomalies: $(grep -o '"anomalies":[^]]*' "$w/out")"
expect kex_guess.pcap out '"kex_alg":"ecdh-sha2-nistp256"' ssh --json
expect banner_lines.pcap out '"server":"SSH-2.0-OpenSSH_9.6".*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"' ssh --json
# formats: every frame one connection, time in order
for f in ng_mixed.pcapng ts_back_iface.pcapng be_nano.pcap; do
    run "$f" 0 conns --fields duration,orig_pkts,resp_pkts
    grep -qE '^ *0\.025000 +14 +12$' "$w/out" || fail "$f: $(cat "$w/out")"
    ! grep -qi 'back\|earlier' "$w/err" || fail "$f: time went back: $(head -2 "$w/err")"
done
# PPP, PPP in HDLC framing, Cisco HDLC and NFLOG (both byte orders), and
# NFLOG records cut or without a packet (main: "unsupported link type")
run ng_links14.pcapng 0 conns --fields orig_pkts,resp_pkts,conn_state
grep -qE '^ +14 +12 +SF$' "$w/out" || fail "ng_links14: $(cat "$w/out" "$w/err")"
grep -q '^strider: 3 frame(s) gave no IP packet' "$w/err" || fail "ng_links14: the bad NFLOG records: $(cat "$w/err")"
expect ng_links14.pcapng out '"server":"SSH-2.0-OpenSSH_9.6".*"hassh":"e97d07603350d1111ec2b64bf25413c9"' ssh --json
run ip6_chain.pcap 0 ssh --json
[ "$(grep -c '"client":"SSH-2.0-OpenSSH_9.6","server":"SSH-2.0-OpenSSH_9.6"' "$w/out")" = 2 ] || fail "ip6_chain: $(head -c 300 "$w/out")"

echo "round 14: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
