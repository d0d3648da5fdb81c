#!/usr/bin/env bash
# Hostile classes, round 15 (genr15.py): IP fragments that rewrite the TCP
# header (another port, another sequence number: the datagram dropped, no
# phantom connection; main: a connection no endpoint had, or the data at
# the forged number); first fragments that end inside the TCP header (RFC
# 8200 4.5, RFC 1858: held until ACKed; main: the attacker's banner read);
# data into a zero window its receiver offered (RFC 9293 3.10.7.4: held
# until ACKed; main: read); data whose TSval is older than the receiver's
# TS.Recent (PAWS, RFC 7323 5.3: held until ACKed; main: read, first
# wins); a conflict met in bytes held out of order
# before the side's first byte came (main: in `conns -R` only, no
# `stream_conflict` in `ssh`). Then what was already right: a RST's
# payload, a 4-tuple reused with lower ISNs.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr15.py" "$c" || die "genr15.py"

run_every "conns -R --json" "ssh --json" "ssh" "summary" "packets --stream 0" "follow --stream 0" "ssh --records"

OSSH='"server":"SSH-2.0-OpenSSH_9.6".*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"'
# fragments giving other bytes in the TCP header: which connection (and
# where in it) is not known; receivers drop the datagram, so no flow gets it
run frag_port.pcap 0 conns --fields id.orig_p,id.resp_p
! grep -qE '^ +22 +2222$' "$w/out" || fail "frag_port: a connection from the forged header: $(cat "$w/out")"
grep -q 'frame 6: IPv4 datagram (id 0x7101) dropped: its fragments overlap with other bytes in its TCP header (byte 2)' "$w/err" ||
    fail "frag_port: not said: $(cat "$w/err")"
expect frag_port.pcap out "$OSSH" ssh --json
run frag_seq.pcap 0 ssh --json
grep -q "$OSSH" "$w/out" || fail "frag_seq: $(grep -o '"server":"[^"]*"' "$w/out")"
! grep -q '"anomalies"' "$w/out" || fail "frag_seq: the datagram read at the forged number: $(grep -o '"anomalies":[^]]*' "$w/out")"
grep -q 'frame 6: IPv4 datagram (id 0x7102) dropped: .* TCP header (byte 6)' "$w/err" || fail "frag_seq: not said: $(cat "$w/err")"
# UDP: fragments giving other ports: dropped, no phantom transaction
run frag_udp.pcap 0 conns --fields id.orig_p,id.resp_p
! grep -qE '^ +53 +40001$' "$w/out" || fail "frag_udp: a flow from the forged header"
grep -q 'frame 4: IPv4 datagram (id 0x7115) dropped: .* UDP header (byte 3)' "$w/err" || fail "frag_udp: not said: $(cat "$w/err")"
run frag_udp.pcap 0 dns
[ "$(grep -c 'evil\.example' "$w/out")" = 1 ] || fail "frag_udp: not one answer: $(cat "$w/out")"

# a first fragment ending inside the TCP header: held until ACKed, the
# re-send replacing it (IPv6, IPv6 with a destination options header, IPv4)
run frag_tiny.pcap 0 ssh --json
[ "$(grep -c "$OSSH" "$w/out")" = 3 ] || fail "frag_tiny: $(grep -o '"server":"[^"]*"' "$w/out" | tr '\n' ' ')"
for v in "13 IPv6 0x7104 8" "14 IPv6 0x7108 16" "15 IPv4 0x7109 8"; do
    set -- $v
    grep -q "frame $1: $2 datagram (id $3): its first fragment ($4 bytes) ends inside its TCP header" "$w/err" ||
        fail "frag_tiny: frame $1 not said: $(head -3 "$w/err")"
done
grep -q '^strider: 3 TCP segment(s) came in IP fragments whose first ended inside the TCP header' "$w/err" ||
    fail "frag_tiny: not counted: $(cat "$w/err")"

# data into a zero window: the receiver drops it
run zero_window.pcap 0 ssh --json
grep -q "$OSSH" "$w/out" || fail "zero_window: $(grep -o '"server":"[^"]*"' "$w/out")"
grep -q '^strider: 1 TCP data segment(s) came into a zero window their receiver offered' "$w/err" ||
    fail "zero_window: not counted: $(cat "$w/err")"
expect zero_window.pcap out '^ +4 .* PA .* untaken into-zero-window$' packets --stream 0
run zero_window.pcap 0 extract -o "$w/xz"
! grep -rq --exclude='*.json*' EVILSRV "$w/xz" || fail "zero_window extract: the dropped segment in the stream files"

# a conflict in bytes held out of order, before the side's first byte:
# first wins (Linux coalesces the adjacent bytes and drops the later copy),
# and now said in `ssh` (server's banner, then the client's)
run ooo_cover.pcap 0 ssh --json
grep -q '"id.orig_p":49105,.*"server":"SSH-2.0-EVILSRV_1.0".*"anomalies":\["stream_conflict"' "$w/out" ||
    fail "ooo_cover 49105: $(grep -oE '"server":"[^"]*"|"anomalies":[^]]*' "$w/out" | tr '\n' ' ')"
grep -q '"id.orig_p":49110,.*"client":"SSH-2.0-EVILCLI_1.0".*"anomalies":\["stream_conflict"' "$w/out" ||
    fail "ooo_cover 49110: $(grep -oE '"client":"[^"]*"|"anomalies":[^]]*' "$w/out" | tr '\n' ' ')"

# PAWS: a copy with a TSval older than the receiver's TS.Recent is dropped
# there; held until ACKed (the client's banner); a reordered older TSval out
# of order is not judged (49112)
run paws.pcap 0 ssh --json
grep -q '"id.orig_p":49111,"id.resp_h":"10.7.0.2","id.resp_p":22,"version":2,"client":"SSH-2.0-OpenSSH_9.6"' "$w/out" ||
    fail "paws 49111: $(grep -o '"client":"[^"]*"' "$w/out" | head -1)"
grep -q '"id.orig_p":49112,.*"client":"SSH-2.0-OpenSSH_9.6","server":"SSH-2.0-OpenSSH_9.6"' "$w/out" || fail "paws 49112: not read"
grep -q '^strider: 1 TCP data segment(s) carried a timestamp older than their receiver' "$w/err" ||
    fail "paws: not counted once: $(cat "$w/err")"
expect paws.pcap out '^ +6 .* PA .* untaken paws$' packets --stream 0
run paws.pcap 0 packets --stream 1
! grep -q 'paws\|untaken' "$w/out" || fail "paws 49112: the reordered segment judged: $(grep 'paws\|untaken' "$w/out")"

# already right: a RST's payload is no stream data; a 4-tuple reused with
# lower ISNs after the FINs is a second session
expect rst_data.pcap out "$OSSH" ssh --json
run rst_data.pcap 0 extract -o "$w/xr"
! grep -rq --exclude='*.json*' EVILSRV "$w/xr" || fail "rst_data extract: the RST's payload in the stream files"
run tw_lower_isn.pcap 0 ssh --json
[ "$(grep -cE '"id.orig_p":49107,.*"server":"SSH-2.0-OpenSSH_9\.(6|7)"' "$w/out")" = 2 ] || fail "tw_lower_isn: not two sessions"

# held copies are bounded: 20,000 never-ACKed PAWS-old segments (28 MB)
for n in 2000 20000; do
    python3 "$REPO/tests/hostile/genr15.py" flood $n "$w/flood" || die "genr15.py flood"
done
c=$w/flood
run paws_20000.pcap 0 ssh
grep -q '^strider: 20000 TCP data segment(s) carried a timestamp older' "$w/err" || fail "paws flood: not counted: $(cat "$w/err")"
if [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    small=$(rss "$c/paws_2000.pcap" ssh) big=$(rss "$c/paws_20000.pcap" ssh)
    [ $((big - small)) -lt 8192 ] || fail "paws flood: peak RSS $small KB at 2,000, $big KB at 20,000"
fi

echo "round 15: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
