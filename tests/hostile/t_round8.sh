#!/usr/bin/env bash
# Hostile classes, round 8 (genr8.py): the capture formats and the lower
# layers. pcapng Simple Packet Blocks among timed ones, if_tsresol 2^-63,
# 10^-19, 10^-20, 2^-64 and if_tsoffset 2^62 s, options running past
# their blocks, NRB/ISB/DSB/custom blocks with bad contents, a block of
# 2^31 bytes; classic pcap version 2.3, byte-swapped, fractions of 10^6
# and 2^32-1 us (tcpflow bug8.pcap has one of 8,915,240 us), records of caplen 0 and caplen > wire length; 20-deep
# 802.1Q/802.1ad/0x9100 stacks and 20 MPLS labels with no bottom of
# stack; IPv4 total length below the header and 0, IPv6 hop-by-hop after
# a destination header, 100 fragment headers, overlapping IPv6
# fragments, TCP SACK blocks reversed and 2^31 apart, window scale 15;
# GRE of every flag and version and random bytes after every ethertype
# and tunnel port strider decodes;
# 100,000 never-completed IPv4 fragments. Every command and output
# format on each must exit as allowed, print no sanitizer report and stay
# under the memory limit (runlib.sh); then each case's result.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr8.py" "$c" || die "genr8.py"

run_every "packets --stream 1" "follow --stream 0" "follow --json --stream 0" "ssh --records" "dns" "dns --json" "dns --csv"
safe_every

# --- a Simple Packet Block is dated at the packet before it (main: 1970,
# so the connection lasted 1,700,000,028 s, its SYN-ACK came "before" the
# SYN and the time went back at every other frame), counted and said
expect ng_spb_mid.pcapng err '16 simple packet block\(s\) carry no time: each dated at the packet before it \(1 before any timed packet: 1 dated at the first timed one after them, 0 at 1970-01-01\)'
! grep -q 'time goes back' "$w/err" || fail "ng_spb_mid: the time went back: $(grep 'time goes back' "$w/err" | head -2)"
expect ng_spb_mid.pcapng out '"id.orig_p":48001,.*"duration":28\.0000' conns --json
# main: the SYN-ACK at -1,700,000,000 s from the SYN
expect ng_spb_mid.pcapng out '^ +3 +0\.000000 +<- +SA ' packets --stream 0
! grep -q ' -[0-9]' "$w/out" || fail "ng_spb_mid packets: a negative relative time: $(grep -m1 ' -[0-9]' "$w/out")"
expect ng_spb_mid.pcapng out '"id.orig_p":48001,.*"orig_pkts":16,"resp_pkts":14,' conns --json

# --- the formats' odd fields: said with file and frame, the session read
expect ng_tsresol_edge.pcapng err 'ng_tsresol_edge\.pcapng: frame 1: pcapng block type 0x1 at offset [0-9]+: time resolution 10\^-20 not usable'
expect ng_tsresol_edge.pcapng err 'time resolution 2\^-64 not usable'
expect ng_blocks_odd.pcapng err 'ng_blocks_odd\.pcapng: frame 4: pcapng block type 0x6 at offset [0-9]+: packet options overrun the block'
expect ng_blocks_odd.pcapng err 'total length 2147483648 impossible'
expect ng_blocks_odd.pcapng out '"id.orig_p":48003,.*"conn_state":"SF"' conns --json
# a fraction of a second of 10^6 us or more: dated at its whole second,
# said and counted (main: carried into the seconds unsaid, 4,294 s for
# 2^32-1 us, so the session lasted 4,297 s and the time went back)
for f in pcap_odd pcap_swap_odd; do
    expect $f.pcap err "$f\.pcap: frame 2: timestamp fraction of 1000000000 ns is a second or more: dated at its whole second"
    grep -q "$f\.pcap: 2 record(s) with a fraction of a second of one second or more: dated at their whole second" "$w/err" ||
        fail "$f: the fractions not counted: $(head -c 300 "$w/err")"
    ! grep -q 'time goes back' "$w/err" || fail "$f: the time went back"
    expect $f.pcap out '"id.orig_p":48004,.*"duration":29\.0000' conns --json
done
for f in pcap_odd pcap_v23 pcap_swap_odd; do
    expect $f.pcap err "$f\.pcap: frame 6: captured length [0-9]+ larger than the original length 10"
    expect $f.pcap out '"id.orig_p":48004,.*"conn_state":"SF"' conns --json
done
expect vlan_stacks.pcap err 'vlan_stacks\.pcap: frame 1: VLAN tag stack deeper than 8 tags \(next ethertype 0x9100\): frame skipped'
# the VLAN cap counted as the cap it is (main: "tunnel not decoded 30,
# encapsulation depth cap 2", as if 802.1ad were unknown)
grep -q '32 frame(s) gave no IP packet: encapsulation depth cap 32$' "$w/err" ||
    fail "vlan_stacks: the VLAN cap not counted as a depth cap: $(grep 'gave no IP' "$w/err")"
expect vlan_stacks.pcap err 'vlan_stacks\.pcap: frame 3: MPLS stack of more than 16 labels'
expect ip_odd.pcap err 'ip_odd\.pcap: frame 31: IPv4 total length 12 < header length 20'
expect ip_odd.pcap err 'TCP window scale 15 > 14: 14 used'
expect ip_odd.pcap out '"id.orig_p":48006,.*"conn_state":"SF"' conns --json
expect tunnels_rand.pcap err '1451 frame\(s\) gave no IP packet: non-IP ethertype [0-9]+, truncated link/tunnel header [0-9]+, tunnel not decoded [0-9]+'

# --- 100,000 fragments never completed: each datagram given up counted
python3 "$REPO/tests/hostile/genr8.py" "$w/fl" flood || die "genr8.py flood"
c=$w/fl
for args in "conns" "summary" "packets --stream 0"; do
    # shellcheck disable=SC2086 # args are words
    run frag_flood.pcap "0 1" $args
done
expect frag_flood.pcap err '100000 IP datagram\(s\) not reassembled from their fragments: 0 dropped for the fragment memcap, [0-9]+ timed out, [0-9]+ incomplete at the end'
expect frag_flood.pcap out '"id.orig_p":48007,.*"conn_state":"SF"' conns --json

echo "round 8: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
