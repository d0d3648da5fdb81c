#!/usr/bin/env bash
# A report of a capture with hundreds of SSH connections stays usable:
# 300 copies of the demo session (tests/report/mkmany.py) -> one HTML file;
# prints its size, the time to write it and the browser's load time (script
# end, performance.now(), with the first sections rendered), and fails only
# beyond generous bounds (80 KB per connection, 60 s to load).
set -u
. "$(dirname "$0")/lib_report.sh"
N=${REPORT_MANY:-300}
build_demo
cap=$OUT/report_many.pcap html=$OUT/report_many.html
/usr/bin/python3 "$REPO/tests/report/mkmany.py" "$REPO/samples/demo.pcap" "$N" "$cap" || die "mkmany"
t0=$(date +%s.%N)
"$DEMO" --no-text --html "$html" "$cap" || die "report_demo"
t1=$(date +%s.%N)
size=$(stat -c %s "$html")
nsec=$(grep -c '<details' "$html")
printf 'connections %d, html %d bytes (%d per connection), written in %.2f s\n' "$nsec" "$size" \
    $((size / (nsec ? nsec : 1))) "$(echo "$t1 - $t0" | bc)"
[ "$nsec" -eq "$N" ] || die "$nsec sections, want $N"
[ $((size / N)) -le 81920 ] || die "too big: $size bytes"
rm -f "$cap"
[ -n "$CHROMIUM" ] || skip "chromium not installed: size measured, load time not"
t0=$(date +%s.%N)
chrome --dump-dom "file://$html#time" > "$OUT/report_many.dom.html" 2> /dev/null
t1=$(date +%s.%N)
ms=$(grep -o 'script_ms&quot;:[0-9.]*\|script_ms":[0-9.]*' "$OUT/report_many.dom.html" | grep -o '[0-9.]*$' | head -1)
[ -n "$ms" ] || die "page script did not finish"
printf 'load: page script done after %.0f ms; headless chromium run %.1f s in all (start-up included); load average %s\n' \
    "$ms" "$(echo "$t1 - $t0" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
[ "${ms%.*}" -le 60000 ] || die "load too slow"
rm -f "$OUT/report_many.dom.html" "$html"
