#!/usr/bin/env bash
# Encapsulations (PPPoE, MPLS, GRE, ERSPAN I-III, PPTP, VXLAN, GENEVE, IP in
# IP, nested): gen_encap.py writes one TCP conversation inside each; strider's
# connections must be tshark's innermost tcp.stream (endpoints, packets) and
# name the tunnels. Hostile ones: headers cut at every byte, a GRE chain and
# an MPLS stack past their caps, non-IP and unsupported payloads: each frame
# counted under its reason in summary and on stderr. And --no-vlan-key.
set -u
cd "$(dirname "$0")"
command -v tshark >/dev/null || { echo "no tshark"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 gen_encap.py "$tmp" || { echo "gen_encap.py failed"; exit 1; }
fail=0 n=0
while read -r name names; do
    f=$tmp/$name.pcap
    "$STRIDER" conns --json "$f" >"$tmp/s.json" 2>"$tmp/err" || { echo "FAIL $name: exit"; fail=1; }
    [ -s "$tmp/err" ] && { echo "FAIL $name: warnings:"; cat "$tmp/err"; fail=1; }
    tshark -r "$f" -T fields -E occurrence=l -e frame.protocols -e ip.src -e ip.dst -e ipv6.src \
        -e ipv6.dst -e tcp.srcport -e tcp.dstport -e tcp.stream >"$tmp/t.txt" 2>/dev/null
    python3 compare.py "$tmp/s.json" "$tmp/t.txt" "$names" || { echo "FAIL $name"; fail=1; }
    n=$((n+1))
done <"$tmp/expect.txt"
echo "$n encapsulations compared with tshark"

# Linux cooked capture of a GRE tunnel
got=$("$STRIDER" conns --csv --fields id.orig_h,orig_pkts,resp_pkts,encap "$tmp/sll_gre.pcap" | tail -n +2)
[ "$got" = "10.1.0.1,5,3,gre" ] || { echo "FAIL sll_gre: $got"; fail=1; }

# reason counts: summary --json and the stderr line must agree with what was written
reasons() { # file -> "undecoded_reasons" of summary --json, and stderr's line
    "$STRIDER" summary --json "$1" 2>"$tmp/err" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r.get("type") == "capture":
        print(r.get("undecoded", 0), r.get("undecoded_reasons", ""))'
}
check() { # file, expected "N reasons"
    local got; got=$(reasons "$tmp/$1")
    [ "$got" = "$2" ] || { echo "FAIL $1: summary says '$got', expected '$2'"; fail=1; }
    grep -q "frame(s) gave no IP packet: ${2#* }\$" "$tmp/err" || { echo "FAIL $1: no stderr count line"; cat "$tmp/err"; fail=1; }
}
# headers cut at every byte: no TCP packet can come out (the inner TCP
# header is never whole); every frame is an IP packet (a UDP datagram to a
# tunnel port too short to be the tunnel is plain UDP) or counted undecoded
# under a reason, and the counts add up
"$STRIDER" summary --json "$tmp/cut.pcap" 2>"$tmp/err" | python3 -c '
import json, sys
r = [json.loads(l) for l in sys.stdin if "\"capture\"" in l][0]
ok = (r["tcp_conns"] == 0 and r["ip_pkts"] + r["not_ip"] + r["malformed"] == r["frames"]
      and r["undecoded"] == r["not_ip"] + r["malformed"] and r["frames"] > 1000
      and "truncated link/tunnel header" in r["undecoded_reasons"] and "truncated IP header" in r["undecoded_reasons"])
print(r); sys.exit(0 if ok else 1)' >"$tmp/cut.txt" || { echo "FAIL cut.pcap:"; cat "$tmp/cut.txt"; fail=1; }
grep -q "frame(s) gave no IP packet: .*truncated link/tunnel header" "$tmp/err" || { echo "FAIL cut.pcap: no stderr count line"; fail=1; }
check deep.pcap "4 encapsulation depth cap 4"
check odd.pcap "6 non-IP ethertype 4, tunnel not decoded 2"

# VLAN in the key by default (tagged one way: two connections); out with --no-vlan-key
a=$("$STRIDER" conns --csv --fields stream "$tmp/vlan_oneway.pcap" | tail -n +2 | wc -l)
b=$("$STRIDER" conns --no-vlan-key --csv --fields stream,orig_pkts,resp_pkts,vlan "$tmp/vlan_oneway.pcap" | tail -n +2)
[ "$a" = 2 ] || { echo "FAIL vlan_oneway: $a connections with the VLAN in the key, expected 2"; fail=1; }
[ "$b" = "0,5,3," ] || { echo "FAIL vlan_oneway --no-vlan-key: $b"; fail=1; }
[ $fail -eq 0 ] && echo "encapsulations OK"
exit $fail
