#!/usr/bin/env bash
# The crafted captures: gen.py must regenerate every committed file byte for
# byte, and tshark must read each one with the TCP frame counts README.md
# gives (decoder-level counts are asserted in tests/unit/test_decode.c).
set -u
cd "$(dirname "$0")"
/usr/bin/python3 -c 'import scapy.all' 2>/dev/null || { echo "no scapy for /usr/bin/python3"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
CRAFTED_OUT=$tmp /usr/bin/python3 gen.py || { echo "gen.py failed"; exit 1; }
for f in "$tmp"/*; do
    b=$(basename "$f")
    if ! cmp -s "$f" "$b"; then
        echo "FAIL: $b differs from a fresh gen.py run (regenerate and commit it)"
        fail=1
    fi
done

command -v tshark >/dev/null || { echo "no tshark; regeneration checked only"; exit $fail; }
# file, TCP frames (fragments excluded: tshark counts the reassembling frame)
while read -r f want; do
    got=$(tshark -r "$f" -Y 'tcp' 2>"$tmp/err" | wc -l)
    if [ "$got" != "$want" ]; then
        echo "FAIL: $f: tshark sees $got TCP frames, README says $want"
        fail=1
    fi
    err=$(grep -v 'Running as user' "$tmp/err")
    case $f in
    truncated.pcap) [[ $err == *"cut short"* ]] || { echo "FAIL: $f: tshark did not report the cut"; fail=1; } ;;
    *) [ -z "$err" ] || { echo "FAIL: $f: tshark: $err"; fail=1; } ;;
    esac
done <<'LIST'
simple.pcap 12
simple.pcapng 12
simple_ns.pcap 12
vlan.pcap 12
qinq.pcap 12
sll.pcap 12
sll2.pcap 12
null.pcap 12
raw.pcap 12
ipv6_ext.pcap 12
frag4.pcap 10
frag6.pcap 10
port_reuse.pcap 24
seqwrap.pcap 30
truncated.pcap 11
LIST
[ $fail -eq 0 ] && echo "crafted captures OK"
exit $fail
