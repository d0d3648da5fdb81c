#!/usr/bin/env bash
# `strider packets --plot`: the time-sequence graph, checked against tshark
# on real captures (each drawn segment's frame, relative seq and length are
# tshark's tcp.seq and tcp.len for that frame; the retransmission marks are
# tshark's tcp.analysis.retransmission frames; the SACK marks its SACK
# blocks), the default direction (more payload), --dir, -z, the binned
# form on a bulk transfer (counts kept, file bounded), the options'
# errors, and, with Debian's chromium, the HTML page laid out in a real
# browser (no console error, no request, every mark inside its plot) with
# screenshots of a small and a large connection in tests/out/.
set -u
. "$(dirname "$0")/../report/lib_report.sh" # lib.sh, and chrome() as the report tests drive it
command -v tshark > /dev/null || skip "tshark not installed"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }
# retransmissions, fast retransmit, SACK blocks (tcp.stream 0)
FAST=$SHARED/captures/zeek/testing/btest/Traces/tcp/retransmit-fast009.pcap
# four retransmissions of a request that never got an answer
TS=$SHARED/captures/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap
[ -f "$FAST" ] && [ -f "$TS" ] || skip "shared captures missing"

# compare SVG PCAP [first last]: the graph's marks against tshark's fields
compare() {
    local svg=$1 pcap=$2 first=${3:-0} last=${4:-0}
    tshark -r "$pcap" -o tcp.relative_sequence_numbers:TRUE -o tcp.analyze_sequence_numbers:TRUE \
        -Y 'tcp.stream eq 0' -T fields -E separator=, -e frame.number -e tcp.srcport -e tcp.seq -e tcp.len \
        -e tcp.analysis.retransmission -e tcp.options.sack_le -e tcp.options.sack_re > "$tmp/ts.csv" 2>/dev/null
    /usr/bin/python3 - "$svg" "$tmp/ts.csv" "$first" "$last" <<'PY'
import sys, xml.etree.ElementTree as ET
svg, tsv, first, last = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = []
for line in open(tsv):
    f = line.rstrip('\n').split(',')
    fr = int(f[0])
    if (first and fr < first) or (last and fr > last):
        continue
    rows.append({'frame': fr, 'port': f[1], 'seq': int(f[2]), 'len': int(f[3]), 'rt': f[4] != '',
                 'sack': sum(1 for x in f[5:] if x) // 2})
ns = '{http://www.w3.org/2000/svg}'
panels = [s for s in ET.parse(svg).getroot().iter(ns + 'svg') if s.get('data-plot')]
if len(panels) != 1:
    print('FAIL %d panels, want 1' % len(panels)); sys.exit(1)
marks = [e for e in panels[0].iter() if 'mk' in (e.get('class') or '').split()]
kind = lambda e: e.get('class').split()[1]
# the direction drawn: the one sending more payload, as the graph says
by = {}
for r in rows:
    by[r['port']] = by.get(r['port'], 0) + r['len']
data_port = max(by, key=lambda p: (by[p], p))
ports = sorted(by)
want_seg = {r['frame']: (r['seq'], r['len']) for r in rows if r['port'] == data_port and r['len'] > 0}
got_seg = {int(e.get('data-f')): (int(e.get('data-s')), int(e.get('data-l')))
           for e in marks if kind(e) in ('sg', 'rt')}
bad = 0
if got_seg != want_seg:
    print('FAIL segments differ from tshark: missing %s, extra %s, different %s' % (
        sorted(set(want_seg) - set(got_seg))[:5], sorted(set(got_seg) - set(want_seg))[:5],
        [f for f in want_seg if f in got_seg and want_seg[f] != got_seg[f]][:5])); bad = 1
want_rt = sorted(r['frame'] for r in rows if r['port'] == data_port and r['rt'] and r['len'] > 0)
got_rt = sorted(int(e.get('data-f')) for e in marks if kind(e) == 'rt')
if want_rt != got_rt:
    print('FAIL retransmission marks at %s, tshark says %s' % (got_rt, want_rt)); bad = 1
want_sk = sum(r['sack'] for r in rows if r['port'] != data_port)
got_sk = sum(1 for e in marks if kind(e) == 'sk')
if want_sk != got_sk:
    print('FAIL %d SACK marks, tshark has %d blocks' % (got_sk, want_sk)); bad = 1
print('%s: %d segments, retransmissions %s, %d SACK blocks as tshark' % (
    svg.rsplit('/', 1)[1], len(got_seg), got_rt, got_sk))
sys.exit(bad)
PY
}

# 1) the graph against tshark, both directions' numbers, with and without -z
for c in fast:"$FAST" ts:"$TS"; do
    name=${c%%:*} pcap=${c#*:}
    before=$("$STRIDER" packets -n 0 "$pcap")
    with=$("$STRIDER" packets -n 0 --plot "$tmp/$name.svg" "$pcap") || bad "$name: --plot failed"
    [ "$before" = "$with" ] || bad "$name: --plot changed the table"
    compare "$tmp/$name.svg" "$pcap" || fail=1
done
"$STRIDER" packets -n 0 -z 20-34 --plot "$tmp/fastz.svg" "$FAST" > /dev/null
compare "$tmp/fastz.svg" "$FAST" 20 34 || fail=1
grep -q 'frames 20-34' "$tmp/fastz.svg" || bad "zoomed graph does not say its frames"
# the default direction is stated; --dir picks the other; both: two panels
grep -q 'direction resp → orig: the direction carrying more data' "$tmp/fast.svg" || bad "direction not stated"
"$STRIDER" packets -n 0 --dir orig --plot "$tmp/orig.svg" "$FAST" > /dev/null
grep -q 'data-plot="tsg-orig"' "$tmp/orig.svg" && ! grep -q 'data-plot="tsg-resp"' "$tmp/orig.svg" ||
    bad "--dir orig did not draw the originator's sequence"
"$STRIDER" packets -n 0 --dir both --plot "$tmp/both.svg" "$FAST" > /dev/null
[ "$(grep -o 'data-plot="tsg-[a-z]*"' "$tmp/both.svg" | sort | tr '\n' ' ')" = 'data-plot="tsg-orig" data-plot="tsg-resp" ' ] ||
    bad "--dir both: not one panel per direction"
# usage errors: exit 2 and a message naming the option
"$STRIDER" packets -n 0 --dir up --plot "$tmp/x.svg" "$FAST" > /dev/null 2> "$tmp/e"
[ $? = 2 ] && grep -q -- '--dir' "$tmp/e" || bad "--dir up: not a usage error"
"$STRIDER" packets -n 0 --dir orig "$FAST" > /dev/null 2> "$tmp/e"
[ $? = 2 ] && grep -q -- '--plot' "$tmp/e" || bad "--dir without --plot: not a usage error"
# a UDP flow has no time-sequence graph: said, exit 1, no file
"$STRIDER" packets -n udp:0 --plot "$tmp/u.svg" "$REPO/tests/crafted/raw.pcap" > /dev/null 2> "$tmp/e"
[ $? = 1 ] && grep -q 'no TCP packet' "$tmp/e" && [ ! -e "$tmp/u.svg" ] || bad "udp --plot: not refused"

# 2) a bulk transfer beyond the per-mark cap: binned per pixel column, the
#    counts (data-n) still tshark's, the file bounded
python3 "$REPO/tests/cli/mk_bulk.py" "$tmp/bulk.pcap" 12000 > "$tmp/bulk.json"
"$STRIDER" packets -n 0 --plot "$tmp/bulk.html" "$tmp/bulk.pcap" > /dev/null
"$STRIDER" packets -n 0 --plot "$tmp/bulk.svg" "$tmp/bulk.pcap" > /dev/null
nrt=$(tshark -r "$tmp/bulk.pcap" -Y 'tcp.analysis.retransmission && tcp.srcport == 8080' 2>/dev/null | wc -l)
/usr/bin/python3 - "$tmp/bulk.svg" "$tmp/bulk.json" "$nrt" <<'PY' || fail=1
import json, os, sys, xml.etree.ElementTree as ET
svg, inj, nrt = sys.argv[1], json.load(open(sys.argv[2])), int(sys.argv[3])
ns = '{http://www.w3.org/2000/svg}'
marks = [e for e in ET.parse(svg).getroot().iter() if 'mk' in (e.get('class') or '').split()]
tot, cnt = {}, {}
for e in marks:
    k = e.get('class').split()[1]
    tot[k] = tot.get(k, 0) + int(e.get('data-n'))
    cnt[k] = cnt.get(k, 0) + 1
bad = 0
for k, want in (('rt', nrt), ('sg', inj['segments'] - inj['retrans']), ('zw', inj['zero_windows']), ('gp', 1)):
    if tot.get(k) != want:
        print('FAIL bulk: %s marks stand for %s, want %d' % (k, tot.get(k), want)); bad = 1
if nrt != inj['retrans']:
    print('FAIL bulk: tshark sees %d retransmissions, %d injected' % (nrt, inj['retrans'])); bad = 1
if cnt.get('sg', 0) > 1000:
    print('FAIL bulk: %d segment marks drawn, not binned' % cnt['sg']); bad = 1
size = os.path.getsize(svg)
if size > 400000:
    print('FAIL bulk: %d bytes for the graph' % size); bad = 1
print('bulk: %d segments in %d marks, %d retransmissions (tshark %d), %d bytes' % (
    tot.get('sg', 0), cnt.get('sg', 0), tot.get('rt', 0), nrt, size))
sys.exit(bad)
PY

# 2b) a hostile SACK block 1 GiB away does not flatten the graph: the
#     segments still span most of the plot's height (430 px tall)
/usr/bin/python3 - "$tmp/sack.pcap" "$REPO/tests" <<'PY'
import struct, sys
sys.path.insert(0, sys.argv[2])
from pcapw import Pcap
C, S, p = (10, 0, 0, 1), (10, 0, 0, 2), Pcap(sys.argv[1])
p.tcp(C, S, 1000, 80, 100, 0, 0x02, win=1000)  # a small window: the segments fill the plot
p.tcp(S, C, 80, 1000, 500, 101, 0x12)
for i in range(20):
    p.tcp(S, C, 80, 1000, 501 + 1000 * i, 101, 0x10, b"y" * 1000)
ack = 501 + 1000 * 10
opt = struct.pack("!BBBBII", 1, 1, 5, 10, ack + (1 << 30), ack + (1 << 30) + 100)
hdr = struct.pack("!HHIIBBHHH", 1000, 80, 101, ack, 0x80, 0x10, 1000, 0, 0)
p.ip(C, S, 6, hdr + opt)
p.close()
PY
"$STRIDER" packets -n 0 --plot "$tmp/sack.svg" "$tmp/sack.pcap" > /dev/null
/usr/bin/python3 - "$tmp/sack.svg" <<'PY' || fail=1
import re, sys, xml.etree.ElementTree as ET
ys = []
sk = 0
for e in ET.parse(sys.argv[1]).getroot().iter():
    c = (e.get('class') or '').split()
    if c[:2] == ['mk', 'sg']:
        ys += [float(v) for v in re.findall(r'[MV][\d.]+ ([\d.]+)|V([\d.]+)', e.get('d')) for v in v if v]
    sk += c[:2] == ['mk', 'sk']
span = max(ys) - min(ys) if ys else 0
if span < 300 or sk != 1:
    print('FAIL far SACK block: segments span %.0f px, %d SACK marks' % (span, sk)); sys.exit(1)
print('far SACK block: segments still span %.0f px (one SACK mark, clipped)' % span)
PY

# 3) the HTML page in headless chromium: a small and a large connection
if [ -z "$CHROMIUM" ]; then
    echo "note: chromium not installed: browser check skipped"
else
    "$STRIDER" packets -n 0 -z 1-38 --plot "$OUT/tsgraph_small.html" "$FAST" > /dev/null
    cp "$tmp/bulk.html" "$OUT/tsgraph_large.html"
    for name in small large; do
        html=$OUT/tsgraph_$name.html
        if grep -Eo '(src|href)=|url\([^#]|@import|https?://[^" ]*' "$html" | grep -v '^http://www.w3.org/2000/svg$' | grep -q .; then
            bad "$name: external reference in the page"
        fi
        chrome --enable-logging=stderr --v=0 --log-net-log="$tmp/$name.netlog.json" --dump-dom "file://$html" \
            > "$tmp/$name.dom" 2> "$tmp/$name.console"
        grep -q ':CONSOLE' "$tmp/$name.console" && bad "$name: console messages: $(grep ':CONSOLE' "$tmp/$name.console" | head -2)"
        reqs=$(grep -o '"url":"[^"]*"' "$tmp/$name.netlog.json" 2>/dev/null | sort -u |
               grep -Ev '"url":"(file:|data:|chrome|https?://([a-z0-9-]+\.)*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)/)' || true)
        [ -n "$reqs" ] && bad "$name: network requests: $reqs"
        # the browser's count of each kind (laid out) against the file's marks,
        # which 1) and 2) checked against tshark
        /usr/bin/python3 - "$tmp/$name.dom" "$name" "$html" <<'PY' || fail=1
import html, json, re, sys
m = re.search(r'<pre id="result">(.*?)</pre>', open(sys.argv[1]).read(), re.S)
if not m or not m.group(1).strip():
    print('FAIL %s: the page script wrote nothing' % sys.argv[2]); sys.exit(1)
r = json.loads(html.unescape(m.group(1)))
want = {}
for k, n in re.findall(r'class="mk (\w+)" data-f="\d+" data-n="(\d+)"', open(sys.argv[3]).read()):
    want[k] = want.get(k, 0) + int(n)
p = r['plots'].get('tsg-resp', {})
if not want.get('rt') or not want.get('sg'):
    print('FAIL %s: no segment or retransmission in the page' % sys.argv[2]); sys.exit(1)
bad = [k for k in want if p.get(k) != want[k]]
if r['errors'] or bad or p.get('out') != 0 or not p.get('w'):
    print('FAIL %s: %s (want %s, no mark outside the plot)' % (sys.argv[2], r, want)); sys.exit(1)
print('%s: laid out in chromium: %s' % (sys.argv[2], p))
PY
        chrome --screenshot="$OUT/tsgraph_$name.png" --window-size=1040,620 "file://$html" > /dev/null 2>&1 ||
            bad "$name: screenshot"
    done
fi
[ $fail = 0 ] && echo "time-sequence graph tests passed"
exit $fail
