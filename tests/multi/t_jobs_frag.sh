#!/usr/bin/env bash
# IP fragments across --jobs chunks: a datagram whose fragments (or the
# copies of them a SPAN port repeats after it was reassembled) lie in two
# chunks' files. A later chunk cannot tell a copy from a datagram it never
# finishes, nor finish one whose first fragments the earlier chunk read:
# the fragment sets started in a chunk's first fragment timeout are the
# earlier chunk's, which reads on until they are decided (sd_own.c
# sd_own_frag_counts), and the datagram's packet counts there. Every
# two-file cut of hostile rounds 19 and 20's fragment captures (copies
# after their datagram, two VNIs' and two VLANs' twins, fragments inside
# GRE, VXLAN's outer datagram in fragments): summary --json --jobs 2
# byte-identical to one run (main: 42 of 194 cuts differ: the copies
# counted as datagrams incomplete, a datagram across the cut lost).
. "$(dirname "$0")/multi_lib.sh"
command -v capinfos > /dev/null || skip "no capinfos"

python3 "$REPO/tests/hostile/genr19.py" "$T/r19" > /dev/null || { bad "genr19.py"; exit 1; }
python3 "$REPO/tests/hostile/genr20.py" "$T/r20" > /dev/null || { bad "genr20.py"; exit 1; }

cuts=0
for cap in "$T"/r19/frag_copy_a.pcap "$T"/r20/frag_vni_twins.pcap "$T"/r20/frag_vlan_twins.pcap \
    "$T"/r20/gre_inner_frag.pcap "$T"/r20/vxlan_outer_frag.pcap; do
    name=$(basename "$cap" .pcap)
    n=$(capinfos -c -M "$cap" | awk '/Number of packets/ {print $NF}')
    "$STRIDER" summary --json "$cap" > "$T/one" 2> /dev/null || bad "$name: one run failed"
    for ((k = 1; k < n; k++)); do
        rm -rf "$T/cut" && mkdir "$T/cut"
        editcap -r "$cap" "$T/cut/a.pcap" "1-$k" && editcap -r "$cap" "$T/cut/b.pcap" "$((k + 1))-$n" || bad "editcap"
        "$STRIDER" summary --json --jobs 2 "$T/cut" > "$T/two" 2> /dev/null || bad "$name cut after $k: --jobs 2 failed"
        cuts=$((cuts + 1))
        cmp -s "$T/one" "$T/two" || { bad "$name cut after $k: --jobs 2 differs"; diff <(tr , '\n' < "$T/one") <(tr , '\n' < "$T/two") | head -6; }
    done
done

# the copies after a datagram, in the next file: counted as copies, not lost
cap=$T/r19/frag_copy_a.pcap
rm -rf "$T/cut" && mkdir "$T/cut"
editcap -r "$cap" "$T/cut/a.pcap" 1-6 && editcap -r "$cap" "$T/cut/b.pcap" 7-27
for j in 2 3; do
    "$STRIDER" summary --jobs $j "$T/cut" > "$T/txt" 2> /dev/null || bad "text --jobs $j failed"
    grep -q 'IP fragment sets copying a datagram reassembled before them: 1' "$T/txt" && ! grep -qi 'incomplete' "$T/txt" ||
        bad "text --jobs $j: $(grep -i fragment "$T/txt")"
done

[ "$fails" = 0 ] && echo "ok: $cuts cuts, summary --jobs 2 = one run"
[ "$fails" = 0 ]
