#!/usr/bin/env bash
# strider extract: names, safety, memory caps, bounded descriptors and
# signatures straddling segment boundaries.
set -u
here=$(cd "$(dirname "$0")" && pwd)
C=$SHARED/captures
[ -d "$C" ] || { echo "no $C"; exit 77; }
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
fail=0 n=0
ok() { n=$((n+1)); if ! eval "$2"; then echo "FAIL: $1"; fail=$((fail+1)); fi; }

# tcpflow's own MD5 expectations (test1, test2 with VLAN 42)
"$STRIDER" extract -q -o "$w/a" "$C/tcpflow/tests/test1.pcap" "$C/tcpflow/tests/test2.pcap"
ok "tcpflow md5 expectations" '(cd "$w/a" && md5sum 074.125.019.101.00080-192.168.001.102.50956 \
    074.125.019.104.00080-192.168.001.102.50955 192.168.001.102.50955-074.125.019.104.00080 \
    192.168.001.102.50956-074.125.019.101.00080 010.000.000.001.09999-010.000.000.002.36559--42 \
    010.000.000.002.36559-010.000.000.001.09999--42) | cut -c1-32 | tr "\n" " " | grep -q \
    "ae30a88136feb0655492bdb75e078643 61051e417d34e1354559e3a8901d19d3 14e9c335bf54dc4652999e25d99fecfe 78b8073093d107207327103e80fbdf43 b7d0b9ee8a7c1ea94b6b43b5a3e0da83 c4b95c552616bda3e21d063e8ee2e332"'
ok "index is JSON lines, transcripts are JSON" '/usr/bin/python3 -c "
import json,sys,os
d=sys.argv[1]
for l in open(d+\"/index.jsonl\"):
    s=json.loads(l); t=json.load(open(os.path.join(d,s[\"transcript\"])))
    assert sum(c[\"len\"] for c in t[\"chunks\"] if c[\"dir\"]==\"orig\" and not c.get(\"gap\", True))==s[\"orig_bytes\"]
" "$w/a"'
# transcripts against the per-direction files: the first --json-inline
# bytes of a direction as hex + ASCII, later chunks by file_offset; all
# payload inline with "all"; none with --json-payload-max 0
T="$C/tcpflow/tests/test1.pcap $C/tcpflow/tests/test2.pcap $C/tcpsession/data"
for m in "inline 4096:" "inline 100:--json-inline 100" "all:--json-inline all" "none:--json-payload-max 0"; do
    # shellcheck disable=SC2086 # word lists
    "$STRIDER" extract -q ${m#*:} -o "$w/t" $T
    ok "transcript vs files (${m%%:*})" '/usr/bin/python3 "$here/trcheck.py" "$w/t" ${m%%:*} >/dev/null'
    rm -rf "$w/t"
done
# existing directory refused without --force, accepted with it
ok "existing dir refused" '! "$STRIDER" extract -q -o "$w/a" "$C/tcpflow/tests/test2.pcap" 2>/dev/null'
ok "--force" '"$STRIDER" extract -q --force -o "$w/a" "$C/tcpflow/tests/test2.pcap"'
# port reuse: c1, c2 as tcpflow; IPv6 names
"$STRIDER" extract -q -o "$w/b" "$C/tcpflow/tests/test7-three-flows.pcap" "$C/tcpflow/tests/test3.pcap"
ok "c1/c2 and IPv6 names" '[ -f "$w/b/172.016.005.002.05678-172.016.005.092.09999c2" ] &&
    [ -f "$w/b/2001:6f8:900:7c0::2.00080-2001:6f8:102d:0:2d0:9ff:fee3:e8de.59201" ]'
# gaps: NULs in the file (tcpflow offsets), explicit in transcript and index
"$STRIDER" extract -q -o "$w/c" "$C/suricata-verify/tests/eve-payload-06-tcp-data-leading-gap/tcp-leading-gap.pcap"
ok "gap as NULs + marker" 'f=$(ls "$w/c" | grep -v json | head -1); [ "$(od -An -c "$w/c/$f" | tr -s " ")" = " \0 \0 \0 \0 G O O D D A T A" ] &&
    grep -q "\"orig_gap_bytes\":4" "$w/c/index.jsonl"'
# a directory as input (recursive), a tiny descriptor budget gives the same bytes
"$STRIDER" extract -q -o "$w/d1" "$C/tcpsession/data"
"$STRIDER" extract -q --max-open 4 -o "$w/d2" "$C/tcpsession/data"
ok "--max-open 4 same output" 'diff -r "$w/d1" "$w/d2" >/dev/null'
# almost no output buffer: files written piecewise, reopened at their offset
"$STRIDER" extract -q --max-open 4 --buffer 1 -o "$w/d3" "$C/tcpsession/data"
ok "--buffer 1 same output" 'diff -r "$w/d1" "$w/d3" >/dev/null'
# memory caps: tiny caps mark streams truncated, the run goes on
"$STRIDER" extract -q --stream-cap 100 --memcap 200 -o "$w/e" "$C/tcpflow/tests/test5-lines-randomized.pcap" "$C/tcpflow/tests/bug3.pcap"
ok "truncated flag" 'grep -q "\"truncated\":true" "$w/e/index.jsonl"'
# signatures, including one split over two segments
if /usr/bin/python3 "$here/mksig.py" "$w/sig.pcap" 2>/dev/null; then
    "$STRIDER" extract -q -o "$w/f" "$w/sig.pcap"
    ok "PE stub split over segments" 'grep -q "\"sig\":\"pe-dos-stub\",\"dir\":\"resp\",\"offset\":78" "$w/f/index.jsonl"'
    ok "mz at start, elf, powershell" 'grep -q "\"sig\":\"mz-header\"" "$w/f/index.jsonl" && grep -q "\"sig\":\"elf\"" "$w/f/index.jsonl" && grep -q "\"sig\":\"powershell-encoded\"" "$w/f/index.jsonl"'
fi
echo "$((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
