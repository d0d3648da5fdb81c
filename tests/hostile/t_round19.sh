#!/usr/bin/env bash
# Hostile classes, round 19 (genr19.py): round 18's leftovers: IP fragment
# copies through --jobs (main: not in a chunk, so not in the merged
# summary; not in summary --json at all), a banner line with a CR not
# followed by LF (main: a CR inside the line unsaid, a CR-only end said as
# the NUL of the KEXINIT after it; CR CR LF kept a CR in the banner), TCP
# urgent data in an SSH stream (main: the urgent byte read as the
# stream's, a KEXINIT lost, a record too many, nothing said). Then bytes a
# receiver took and saw again with other contents, an IPv6 packet with no
# next header hiding a segment, and SSH through GRE, VXLAN and ERSPAN,
# tunnelled and plain at once, and two VXLAN tenants' sessions with the
# same addresses and ports (main: mixed without a word).
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr19.py" "$c" || die "genr19.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary" "follow --stream 0"

K=e97d07603350d1111ec2b64bf25413c9

# -- (a) round 18's leftovers
run frag_copy_b.pcap 0 summary --json "$c/frag_copy_a.pcap"
cp "$w/out" "$w/one"
grep -q '"frag_copies":2' "$w/one" || fail "frag copies: summary --json: $(grep -o '"frag[a-z_]*":[0-9]*' "$w/one")"
run frag_copy_b.pcap 0 summary --json --jobs 2 "$c/frag_copy_a.pcap"
cmp -s "$w/one" "$w/out" || fail "frag copies: summary --json --jobs 2 differs from one run: $(grep -o '"frag[a-z_]*":[0-9]*' "$w/out")"
run frag_copy_b.pcap 0 summary --jobs 2 "$c/frag_copy_a.pcap"
grep -q 'IP fragment sets copying a datagram reassembled before them: 2' "$w/out" ||
    fail "frag copies: summary --jobs 2: $(grep -i fragment "$w/out")"

expect banner_cr_only.pcap out 'banner_bad, frame 4: CR not followed by LF at offset 19 ' ssh -m
expect banner_cr_mid.pcap out 'banner_bad, frame 6: CR not followed by LF at offset 12 ' ssh -m
run banner_crcr.pcap 0 ssh --json
grep -q "\"server\":\"SSH-2.0-OpenSSH_9.6\",.*\"hasshServer\":\"$K\"" "$w/out" || fail "banner_crcr: $(field server)"
! grep -q banner_bad "$w/out" || fail "banner_crcr: CR CR LF, which OpenSSH reads, said bad"

run urg_kex.pcap 0 ssh --json
grep -q "\"hassh\":\"$K\".*urgent_data" "$w/out" || fail "urg_kex: $(field hassh) $(field anomalies)"
expect urg_kex.pcap out 'urgent_data, frame 8: a TCP urgent byte' ssh -m
run urg_zero.pcap 0 ssh --json
grep -q "\"hassh\":\"$K\"" "$w/out" || fail "urg_zero: $(field hassh)"
! grep -q urgent_data "$w/out" || fail "urg_zero: an urgent pointer of 0 taken for a byte"
run urg_newkeys.pcap 0 ssh --json
grep -q '"client_enc_records":3,.*urgent_data' "$w/out" ||
    fail "urg_newkeys: $(field client_enc_records) $(field anomalies)"

# -- (b) bytes taken, then seen again
for f in retx_after_ack retx_after_ack_more ip6_nonext; do
    run $f.pcap 0 ssh --json
    grep -q "\"server\":\"SSH-2.0-OpenSSH_9.6\",.*\"hasshServer\":\"$K\"" "$w/out" ||
        fail "$f: $(field server) $(field hasshServer)"
    ! grep -q EvilSSH "$w/out" || fail "$f: the other copy's banner read"
done
for f in retx_after_ack retx_after_ack_more; do
    run $f.pcap 0 ssh --json
    grep -q stream_conflict "$w/out" || fail "$f: the other copy unsaid: $(field anomalies)"
done

# -- (c) tunnels
for f in gre_ssh vxlan_ssh erspan_ssh tunnel_and_plain; do
    run $f.pcap 0 ssh --json
    grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"client_enc_records\":3," "$w/out" ||
        fail "$f: $(field hasshServer) $(field outcome) $(field client_enc_records)"
    ! grep -q 'stream_conflict\|"tunnel' "$w/out" "$w/err" || fail "$f: $(field anomalies) $(cat "$w/err")"
done
run tunnel_and_plain.pcap 0 conns --json
[ "$(grep -c '"type":"conn"' "$w/out")" = 1 ] || fail "tunnel_and_plain: $(grep -c '"type":"conn"' "$w/out") connections"
expect vni_twins.pcap err '^strider: 1 connection\(s\) had packets from two tunnel segments .*first at frame 2:' ssh
expect vni_twins.pcap out '"tunnel_mixed_conns":1' summary --json

echo "round 19: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
