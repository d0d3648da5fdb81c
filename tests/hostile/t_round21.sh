#!/usr/bin/env bash
# Hostile classes, round 21 (genr21.py): copies an evader sends with a TTL
# (hop limit) too small to reach their receiver, before the real bytes, in
# either direction, over IPv6 and in VXLAN (main: the copy read, the real
# banner and KEXINIT lost), after them, and an honest route change and a
# one-sided capture that keep the judgement honest; two GRE keys' sessions
# with one 4-tuple; SSH in PPPoE in 802.1Q in VXLAN over IPv6; a pcapng
# file changing byte order mid-session and one cut mid-block; SSH binary
# packets before any banner, KEXINIT name-list lengths that lie, a
# packet_length ending a KEXINIT in its name-lists, a long banner full of
# control bytes; and the round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr21.py" "$c" || die "genr21.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary" "summary --json" "follow --stream 0" \
    "packets --stream 0" "dns" "conns --csv"
safe_every

K=e97d07603350d1111ec2b64bf25413c9
TTL_SAID='TCP data segment(s) came with a TTL (hop limit) more than 5 below'

# -- (a) copies a router's TTL drops: the real bytes read, the copy said
for f in ttl1_server ttl3_server_vxlan ttl1_after ttl_ack_poison; do
    run $f.pcap 0 ssh --json
    grep -q "\"server\":\"SSH-2.0-OpenSSH_9.6\".*\"hasshServer\":\"$K\"" "$w/out" && ! grep -q EvilSSH "$w/out" ||
        fail "$f: the TTL-1 copy read: $(field server) $(field hasshServer)"
    grep -q '"code":"stream_conflict"' "$w/out" || fail "$f: the copies' conflict unsaid"
    grep -qF "1 $TTL_SAID" "$w/err" || fail "$f: the low TTL unsaid: $(head -2 "$w/err")"
done
run ttl1_client_v6.pcap 0 ssh --json
grep -q "\"client\":\"SSH-2.0-OpenSSH_9.6\".*\"hassh\":\"$K\"" "$w/out" && ! grep -q EvilSSH "$w/out" ||
    fail "ttl1_client_v6: the hop-limit-1 copy read: $(field client) $(field hassh)"
expect ttl1_server.pcap out '^ +4 .* ttl-low' packets --stream 0
run ttl_route_change.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"client_enc_records\":3," "$w/out" ||
    fail "ttl_route_change: $(field hasshServer) $(field outcome) $(field client_enc_records)"
! grep -q stream_conflict "$w/out" || fail "ttl_route_change: $(field anomalies)"
grep -qF "1 $TTL_SAID" "$w/err" || fail "ttl_route_change: not only the first segment judged: $(head -2 "$w/err")"
expect ttl_route_change.pcap out 'NEWKEYS client frame 10, server frame 8' ssh -m
run ttl_low_oneway.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\"" "$w/out" || fail "ttl_low_oneway: $(field hasshServer)"
! grep -qF "$TTL_SAID" "$w/err" || fail "ttl_low_oneway: judged without a handshake: $(head -2 "$w/err")"

# -- (b) tunnels
expect gre_key_twins.pcap err 'had packets from two tunnel segments' ssh
for f in nested_pppoe.pcap ng_endian_switch.pcapng; do
    run $f 0 ssh --json
    grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"client_enc_records\":3," "$w/out" ||
        fail "$f: $(field hasshServer) $(field outcome) $(field client_enc_records)"
done

# -- (c) the files
run ng_block_cut_mid.pcapng "0 1" ssh --json
grep -q 'ng_block_cut_mid\.pcapng: frame 24: .*cut short' "$w/err" || fail "ng_block_cut_mid: $(head -2 "$w/err")"
grep -q "\"hasshServer\":\"$K\"" "$w/out" || fail "ng_block_cut_mid: the packets before the cut lost"

# -- (d) the cleartext SSH layer
for f in kex_namelist_huge kex_namelist_past; do
    run $f.pcap 0 ssh --json
    grep -q "\"hassh\":\"$K\".*kexinit_bad" "$w/out" && ! grep -q hasshServer "$w/out" ||
        fail "$f: $(field hassh) $(field hasshServer) $(field anomalies)"
done
run kex_pktlen_short.pcap 0 ssh --json
grep -q "\"hassh\":\"$K\".*packet_misaligned" "$w/out" || fail "kex_pktlen_short: $(field hassh) $(field anomalies)"
expect banner_ctrl_overlong.pcap out 'banner_bad, frame 4: NUL byte' ssh -m
run bin_before_banner.pcap 0 ssh --json
! grep -q hasshServer "$w/out" || fail "bin_before_banner: a hasshServer without a banner"
# the server's binary bytes first say nothing of the client: its banner and HASSH read
grep -q "\"client\":\"SSH-2.0-OpenSSH_9.6\".*\"hassh\":\"$K\"" "$w/out" ||
    fail "bin_before_banner: the client's banner lost: $(head -c 200 "$w/out")"

# -- (e) the round's files (which overlap in time) through --jobs 2
rm -f "$c/ng_block_cut_mid.pcapng"
jobs_two 'TCP data segment\(s\) came with a TTL \(hop limit\) more than 5 below'

echo "round 21: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
