#!/usr/bin/env bash
# The HTML report in a real headless browser (Debian's chromium): it loads
# with no console errors and no network requests, each plot's SVG has the
# expected number of marks for a known capture, and screenshots are saved
# under tests/out/ as artifacts. Skips (77) without chromium.
set -u
. "$(dirname "$0")/lib_report.sh"
[ -n "$CHROMIUM" ] || skip "chromium not installed (apt-get install chromium)"
build_demo
fail=0
SSHR=$SHARED/captures/ja4/pcap/ssh-r.pcap

check_page() { # name, html, expect-file
    local name=$1 html=$2
    # 1) nothing external in the file itself
    if grep -Eo '(src|href)=|url\(|@import|https?://[^" ]*' "$html" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
        echo "FAIL $name: external reference in the HTML:"; grep -Eo '(src|href)=|url\(|@import|https?://[^" ]*' "$html" | grep -v 'w3.org/2000/svg' | head -3; fail=1
    fi
    # 2) load it: console messages on stderr, requests in the net log, the
    #    page's own counts in <pre id=result> (#test renders every section)
    chrome --enable-logging=stderr --v=0 --log-net-log="$OUT/report_$name.netlog.json" \
        --dump-dom "file://$html#test" > "$OUT/report_$name.dom.html" 2> "$OUT/report_$name.console.log"
    if grep -q ':CONSOLE' "$OUT/report_$name.console.log"; then
        echo "FAIL $name: console messages:"; grep ':CONSOLE' "$OUT/report_$name.console.log" | head -5; fail=1
    fi
    # The browser's own background services (Google update/account checks)
    # show in the net log too; anything else is the page's.
    local reqs
    reqs=$(grep -o '"url":"[^"]*"' "$OUT/report_$name.netlog.json" | sort -u |
           grep -Ev '"url":"(file:|data:|chrome|https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)/)' || true)
    if [ -n "$reqs" ]; then echo "FAIL $name: network requests:"; echo "$reqs" | head -5; fail=1; fi
    /usr/bin/python3 - "$OUT/report_$name.dom.html" "$3" "$name" <<'PY' || fail=1
import html, json, re, sys
dom = open(sys.argv[1], encoding='utf-8').read()
m = re.search(r'<pre id="result">(.*?)</pre>', dom, re.S)
if not m or not m.group(1).strip():
    print('FAIL %s: page script wrote no result' % sys.argv[3]); sys.exit(1)
r = json.loads(html.unescape(m.group(1)))
want = json.load(open(sys.argv[2]))
bad = 0
if r['errors']:
    print('FAIL script errors:', r['errors']); bad = 1
if r['sections'] and r.get('xswitch') is not True:
    print('FAIL %s: the frame/time switch did not move the timeline marks' % sys.argv[3]); bad = 1
for plot, exp in want.items():
    if plot.startswith('_'):  # page-level counts: the table's rows
        if r.get(plot[1:]) != exp:
            print('FAIL %s: %s = %s, want %s' % (sys.argv[3], plot[1:], r.get(plot[1:]), exp)); bad = 1
        continue
    got = r['plots'].get(plot)
    if got is None:
        print('FAIL %s: no plot %s' % (sys.argv[3], plot)); bad = 1; continue
    for k, v in exp.items():
        if got[k] != v:
            print('FAIL %s: plot %s %s = %s, want %s' % (sys.argv[3], plot, k, got[k], v)); bad = 1
if 'rows' in r and (r.get('sorted') is not True or r.get('table') != min(r['rows'], 200)):
    print('FAIL %s: the table shows %s rows of %s, sorted %s' % (sys.argv[3], r.get('table'), r['rows'], r.get('sorted'))); bad = 1
z = r.get('zoom')  # the first timeline zoomed to its left half, then back
if r['sections'] and (not z or not (0 < z[1] < z[0] and z[2] == z[0])):
    print('FAIL %s: timeline zoom: %s marks shown, left half %s, after reset %s' % ((sys.argv[3],) + tuple(z or [None] * 3))); bad = 1
for plot, got in r['plots'].items():  # no plot drawn empty
    if got['marks'] == 0 and got['rt'] == 0:
        print('FAIL %s: plot %s has no marks' % (sys.argv[3], plot)); bad = 1
print('%s: %d sections, %d plots checked, script %.0f ms' % (sys.argv[3], r['sections'], len(want), r.get('script_ms', 0)))
sys.exit(bad)
PY
}

for cap in demo:"$REPO/samples/demo.pcap" ssh_r:"$SSHR"; do
    name=${cap%%:*} file=${cap#*:}
    [ -f "$file" ] || continue
    html=$OUT/report_$name.html
    "$DEMO" --html "$html" --expect "$OUT/report_$name.expect.json" "$file" > /dev/null || { echo "FAIL $name: demo"; fail=1; continue; }
    check_page "$name" "$html" "$OUT/report_$name.expect.json"
    chrome --screenshot="$OUT/report_$name.png" --window-size=1400,2000 "file://$html" > /dev/null 2>&1 ||
        { echo "FAIL $name: screenshot"; fail=1; }
done

ls -la "$OUT"/report_*.png 2>/dev/null
[ $fail -eq 0 ] && echo "report browser tests passed"
exit $fail
