#!/usr/bin/env bash
# Hostile classes, round 23 (genr23.py): TCP Timestamps on segments of a
# connection whose SYNs did not negotiate them (RFC 7323 3.2: ignored, so
# no PAWS; main: an injected copy judged PAWS-dropped, where the receiver
# took it); IP datagrams their receiver discards for their options: an
# IPv4 source route or option of length 0, an IPv6 option whose type says
# discard, a type-0 routing header with a segment left (main: the
# attacker's banner read, the real one lost), and the same options on
# honest data the receiver ACKs; IPv6 segment routing, inline (main: one
# connection seen as two one-sided ones) and encapsulated; the 2^32 wrap
# inside encrypted records; a pcapng whose two interfaces' clocks are 3
# hours apart; and the round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr23.py" "$c" || die "genr23.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

K=e97d07603350d1111ec2b64bf25413c9
DISCARD='TCP data segment.s. came in IP datagrams whose options make their receiver discard them'

# -- (a) Timestamps not negotiated: no PAWS, the receiver's bytes
run ts_unneg.pcap 0 ssh --json
for p in 49301 49302; do
    grep -q "\"id.orig_p\":$p,.*\"client\":\"SSH-2.0-EVILCLI_1.0\".*\"stream_conflict\"" "$w/out" ||
        fail "ts_unneg $p: not the receiver's bytes: $(grep "\"id.orig_p\":$p," "$w/out" | grep -o '"client":"[^"]*"')"
done
! grep -q 'PAWS' "$w/err" || fail "ts_unneg: PAWS judged: $(grep PAWS "$w/err")"
for s in 0 1; do
    run ts_unneg.pcap 0 packets --stream $s
    ! grep -q 'paws' "$w/out" || fail "ts_unneg stream $s: $(grep paws "$w/out")"
done

# -- (b) options a receiver discards the datagram for
run ip_optdrop.pcap 0 ssh --json
for p in 49311 49312 49313 49314; do
    grep -q "\"id.orig_p\":$p,.*\"server\":\"SSH-2.0-OpenSSH_9.6\".*\"hasshServer\":\"$K\".*\"server_enc_records\":3," "$w/out" ||
        fail "ip_optdrop $p: $(grep "\"id.orig_p\":$p," "$w/out" | grep -o '"server":"[^"]*"\|"server_enc_records":[0-9]*' | tr '\n' ' ')"
done
for m in 'frame 13: IPv4 datagram with a source route \(type 131' \
    'frame 14: IPv4 datagram with an option whose length is under 2 or past the header \(type 7' \
    'frame 15: IPv6 datagram with an unknown option whose type says discard \(type 158' \
    'frame 16: IPv6 datagram with a type-0 routing header with segments left' "^strider: 4 $DISCARD"; do
    grep -qE "$m" "$w/err" || fail "ip_optdrop: no /$m/ on stderr: $(head -3 "$w/err")"
done
expect ip_optdrop.pcap out '^ +13 .* PA .* untaken ip-discard$' packets --stream 0
run ip_optkeep.pcap 0 ssh --json
for p in 49315 49316; do
    grep -q "\"id.orig_p\":$p,.*\"hasshServer\":\"$K\".*\"client_enc_records\":3,.*\"server_enc_records\":3," "$w/out" ||
        fail "ip_optkeep $p: not read whole: $(grep "\"id.orig_p\":$p," "$w/out" | grep -o '"[a-z_]*enc_records":[0-9]*' | tr '\n' ' ')"
done
grep -q "^strider: 1 $DISCARD" "$w/err" || fail "ip_optkeep: not one judged: $(head -3 "$w/err")"

# -- (c) segment routing: the connection's final destination
run srv6.pcap 0 conns --json
[ "$(grep -c '"uid"' "$w/out")" = 2 ] || fail "srv6: $(grep -c '"uid"' "$w/out") connections, not 2"
run srv6.pcap 0 ssh --json
for p in 49321 49322; do
    grep -q "\"id.orig_p\":$p,.*\"client\":\"SSH-2.0-OpenSSH_9.6\",\"server\":\"SSH-2.0-OpenSSH_9.6\".*\"client_enc_records\":3,.*\"server_enc_records\":3," "$w/out" ||
        fail "srv6 $p: $(grep -c "\"id.orig_p\":$p," "$w/out") record(s)"
done
! grep -q 'checksum' "$w/err" || fail "srv6: $(grep checksum "$w/err")"

# -- (d) the wrap inside encrypted records
run wrap_enc.pcap 0 ssh --json
grep -q '"client_enc_records":6,.*"server_enc_records":6,' "$w/out" || fail "wrap_enc: $(field client_enc_records) $(field server_enc_records)"
run wrap_enc.pcap 0 conns -R --json
grep -q '"orig_gap_bytes":0,"resp_gap_bytes":0,.*"inconsistencies":0' "$w/out" || fail "wrap_enc: $(field orig_gap_bytes) $(field inconsistencies)"

# -- (e) two clocks 3 hours apart in one pcapng
run ng_two_clocks.pcapng 0 ssh --json
[ "$(grep -c '"type":"ssh"' "$w/out")" = 1 ] || fail "ng_two_clocks: not one connection"
grep -q '"client_enc_records":6,.*"server_enc_records":6,' "$w/out" || fail "ng_two_clocks: $(field client_enc_records)"
grep -q '^strider: time goes back at 11 frame(s), first at frame 2' "$w/err" || fail "ng_two_clocks: $(head -2 "$w/err")"

# -- (f) the round's files through --jobs 2
jobs_two "$DISCARD"

echo "round 23: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
