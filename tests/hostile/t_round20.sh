#!/usr/bin/env bash
# Hostile classes, round 20 (genr20.py): tunnels of other shapes (6in4,
# 4in6, VXLAN over IPv6 with a zero UDP checksum, GENEVE with options and an
# IP payload, GRE with every optional field, MPLS in GRE, the outer datagram
# or the inner one in fragments) and two tenants' (VNIs', VLANs')
# fragments numbered alike (main: mixed, one session lost); urgent
# pointers a socket reads otherwise than a list of marks (main: a replaced
# mark still taken out, a mark on a segment without data not taken: the
# client's KEXINIT lost); a copy only a router's TTL drops; sequence
# numbers from 2^32-1; a cleartext DISCONNECT with terminal sequences, a
# version line without its dash, pcap minor 2, pcapng 2.0; and the round's
# files, which overlap in time, through --jobs 2 (main: a chunk whose
# files start after another's first record read nothing, without a word).
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr20.py" "$c" || die "genr20.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary" "summary --json" "follow --stream 0" \
    "packets --stream 0"
safe_every

K=e97d07603350d1111ec2b64bf25413c9

# -- (a) tunnels
for f in six_in_four four_in_six vxlan6_zero_csum geneve_opts_ip gre_opts_v6 mpls_in_gre vxlan_outer_frag \
    gre_inner_frag isn_top pcap_minor2; do
    run $f.pcap 0 ssh --json
    grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"client_enc_records\":3," "$w/out" ||
        fail "$f: $(field hasshServer) $(field outcome) $(field client_enc_records)"
    ! grep -q 'stream_conflict\|checksum' "$w/out" "$w/err" || fail "$f: $(field anomalies) $(head -3 "$w/err")"
done
for f in frag_vni_twins frag_vlan_twins; do
    run $f.pcap 0 ssh --json
    [ "$(grep -c "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\"" "$w/out")" = 2 ] ||
        fail "$f: not both sessions read: $(field hasshServer) $(field outcome)"
    ! grep -q 'overlaps data already received\|after their datagram' "$w/err" ||
        fail "$f: one network's fragments met another's: $(head -2 "$w/err")"
done

# -- (b) TCP
for f in urg_past_seg urg_replaced urg_pure_ack; do
    run $f.pcap 0 ssh --json
    grep -q "\"hassh\":\"$K\".*urgent_data" "$w/out" || fail "$f: $(field hassh) $(field outcome) $(field anomalies)"
done
run urg_replaced.pcap 0 ssh -m
[ "$(grep -c 'urgent_data, frame 8:' "$w/out")" = 1 ] && [ "$(grep -c urgent_data "$w/out")" = 1 ] ||
    fail "urg_replaced: not the one urgent byte of frame 8: $(grep urgent_data "$w/out")"
expect ttl_insert.pcap out '"code":"stream_conflict"' ssh --json

# -- (c) SSH and the files
expect banner_no_dash.pcap out 'banner_bad, frame 4: no softwareversion' ssh -m
run ng_v2.pcapng 1 ssh
grep -q 'ng_v2\.pcapng: frame 1: .*pcapng version 2 not supported' "$w/err" || fail "ng_v2: $(cat "$w/err")"

# -- (d) the round's files through --jobs 2: they overlap in time (every
# capture starts at one second), so one run reads them interleaved; every
# connection must still be there, and the overlap said
rm -f "$c/ng_v2.pcapng"
jobs_two 'overlap in time with another chunk'

echo "round 20: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
