#!/usr/bin/env bash
# A report of a capture with many SSH connections stays small and fast:
# 1) 300 copies of the demo session (tests/report/mkmany.py): a row per
#    connection in the overview's table, detail sections for at most the
#    page's cap, the cap said on the page; prints the size, the time to
#    write it and the browser's load time (script end, performance.now());
# 2) a password-guessing capture of bench/gencap --brute (connections that
#    only try to log in): every one a row, the campaign summed in a line, a
#    few bytes of page per connection.
# Fails beyond generous bounds (8 MB for 300 sessions, 120 bytes per
# brute-force connection, 60 s to load).
set -u
. "$(dirname "$0")/lib_report.sh"
N=${REPORT_MANY:-300}
NBRUTE=${REPORT_BRUTE:-5000}
build_demo
cap=$OUT/report_many.pcap html=$OUT/report_many.html
/usr/bin/python3 "$REPO/tests/report/mkmany.py" "$REPO/samples/demo.pcap" "$N" "$cap" || die "mkmany"
t0=$(date +%s.%N)
"$DEMO" --no-text --html "$html" "$cap" || die "report_demo"
t1=$(date +%s.%N)
size=$(stat -c %s "$html")
# the page's own numbers: rows in its JSON, detail sections, the cap line
/usr/bin/python3 - "$html" "$N" "$size" "$(echo "$t1 - $t0" | bc)" <<'PY' || die "overview"
import json, re, sys
html, n, size, secs = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
rows = json.loads(re.search(r'<script type="application/json" id=rows>(.*?)</script>', html, re.S).group(1))['rows']
det = len(re.findall(r'<details[^>]* class=conn id="s\d+"', html))
m = re.search(r'Detail sections: (\d+) of (\d+) connections.*?; (\d+) more are rows of the table only', html)
print('connections %d, html %d bytes, %d detail sections, written in %.2f s' % (len(rows), size, det, secs))
bad = 0
if len(rows) != n or len({r[0] for r in rows}) != n:
    print('FAIL %d table rows, want %d' % (len(rows), n)); bad = 1
if not 0 < det <= n or (det < n) != bool(m):
    print('FAIL %d detail sections of %d, cap line %s' % (det, n, bool(m))); bad = 1
if m and (int(m.group(1)), int(m.group(2)), int(m.group(3))) != (det, n, n - det):
    print('FAIL the cap line says %s' % (m.groups(),)); bad = 1
if size > 8 << 20:
    print('FAIL too big: %d bytes' % size); bad = 1
sys.exit(bad)
PY
rm -f "$cap"
gencap=$REPO/${BUILD:-build}/bench/gencap
if [ -x "$gencap" ]; then
    bdir=$OUT/report_brute
    rm -rf "$bdir"
    "$gencap" --brute "$NBRUTE" -o "$OUT/report_brute.pcap" > /dev/null 2>&1 || die "gencap --brute"
    "$STRIDER" ssh -p -o "$bdir" "$OUT/report_brute.pcap" > /dev/null 2>&1 || die "strider ssh -p (brute)"
    "$STRIDER" ssh --json "$OUT/report_brute.pcap" 2> /dev/null | grep -c '"type":"ssh"' > "$bdir/nssh"
    /usr/bin/python3 - "$bdir/report.html" "$(cat "$bdir/nssh")" <<'PY' || die "brute overview"
import json, os, re, sys
path, nssh = sys.argv[1], int(sys.argv[2])
html = open(path).read()
size = os.path.getsize(path)
rows = json.loads(re.search(r'<script type="application/json" id=rows>(.*?)</script>', html, re.S).group(1))['rows']
m = re.search(r'<li><b>brute_force</b>: (\d+) clients?, (\d+) connections', html)
print('brute force: %d connections, %d rows, html %d bytes (%d per connection), campaign line %s'
      % (nssh, len(rows), size, size // max(nssh, 1), m.groups() if m else None))
bad = 0
if len(rows) != nssh: print('FAIL %d rows, %d ssh records' % (len(rows), nssh)); bad = 1
if not m: print('FAIL no brute_force line'); bad = 1
if 'id="ov"' not in html: print('FAIL no capture timeline'); bad = 1
if size > 120 * nssh + (4 << 20): print('FAIL too big'); bad = 1
sys.exit(bad)
PY
    rm -rf "$OUT/report_brute.pcap" "$bdir"
fi
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
