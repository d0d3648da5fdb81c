#!/usr/bin/env bash
# Every pcapng file of the shared captures (found by its magic, whatever its
# name) read by strider's own pcapng reader (build/tools/capdump prints the
# records as sd_capture gives them) must match tshark record for record:
# frame count, timestamp to the nanosecond, captured and original length,
# interface (ngcompare.py). Then the crafted files of gen_pcapng.py (big-endian, several
# interfaces with different link types and time resolutions, offsets,
# sections, SPB/PB/unknown blocks) the same way.
set -u
cd "$(dirname "$0")"
command -v tshark >/dev/null || { echo "no tshark"; exit 77; }
dump=${STRIDER%/strider}/tools/capdump
[ -x "$dump" ] || { echo "no $dump (make)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 gen_pcapng.py "$tmp" || { echo "gen_pcapng.py failed"; exit 1; }
files=()
while IFS= read -r -d '' f; do
    [ "$(head -c4 "$f" | od -An -tx1 | tr -d ' \n')" = 0a0d0d0a ] && files+=("$f")
done < <(find "$SHARED/captures" "$tmp/good" -type f -print0 | sort -z)
fail=0 n=0 frames=0
for f in "${files[@]}"; do
    tshark -r "$f" -T fields -e frame.number -e frame.time_epoch -e frame.cap_len -e frame.len \
        -e frame.interface_id -e frame.section_number >"$tmp/t.txt" 2>/dev/null
    "$dump" "$f" >"$tmp/s.txt" 2>"$tmp/err"
    n=$((n+1)); frames=$((frames + $(wc -l <"$tmp/t.txt")))
    python3 ngcompare.py "$tmp/t.txt" "$tmp/s.txt" || { echo "FAIL ${f#"$SHARED"/}"; fail=1; }
    # gen_pcapng.py's multi_*.pcapng hold 5 blocks of undefined type 0x99: said once, at the end
    grep -v ': 5 pcapng block(s) of unknown type skipped, by type: 0x99 5$' "$tmp/err" > "$tmp/err2"
    [ -s "$tmp/err2" ] && { echo "FAIL ${f#"$SHARED"/}: warnings"; head -3 "$tmp/err2"; fail=1; }
done
echo "$n pcapng files, $frames records compared with tshark"
[ "$n" -ge 46 ] || { echo "FAIL: only $n pcapng files found"; fail=1; }

# per-record link types as the file declares them (tshark: frame.encap_type
# numbers are Wireshark's own, so the crafted file's expectation is written here)
got=$("$dump" "$tmp/good/multi_le.pcapng" | awk '{ print $5 }' | sort -u | tr '\n' ' ')
[ "$got" = "1 101 113 " ] || { echo "FAIL multi_le: link types $got"; fail=1; }
# a filter applies per link type
got=$("$dump" "$tmp/good/multi_le.pcapng" "tcp port 22" | wc -l)
want=$(tshark -r "$tmp/good/multi_le.pcapng" -Y "tcp.port == 22" 2>/dev/null | wc -l)
[ "$got" = "$want" ] && [ "$got" -gt 0 ] || { echo "FAIL multi_le filter: $got frames, tshark $want"; fail=1; }
# strider reads SSH over the three link types as one capture
# and says which interface each connection was seen on
c=$("$STRIDER" conns --csv --fields id.orig_h,iface "$tmp/good/multi_le.pcapng" 2>/dev/null | tail -n +2 | sort | tr '\n' ' ')
[ "$c" = "10.0.1.1,0 10.0.2.1,1 10.0.3.1,2 " ] || { echo "FAIL multi_le: connections $c"; fail=1; }

# hostile: each must be said with a message naming file, frame and offset (a
# block whose lengths hold is passed over, any other fault ends the file)
while read -r name what; do
    out=$("$dump" "$tmp/h/$name.pcapng" 2>&1 >/dev/null)
    [[ $out == *"$name.pcapng: frame "*"$what"* ]] || { echo "FAIL $name: '$out' lacks '$what'"; fail=1; }
done <"$tmp/hostile.txt"
[ $fail -eq 0 ] && echo "pcapng OK"
exit $fail
