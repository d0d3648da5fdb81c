#!/usr/bin/env bash
# The terminal report: golden files on the demo capture and on ja4's
# ssh-r.pcap (synthetic events: the writer alone; real events when the
# inference is linked), colour only when asked, zoom, width; and the TCP
# plot of `strider packets --plot` (well-formed SVG, one mark per
# retransmission tshark reports). UPDATE=1 rewrites the expected files.
set -u
. "$(dirname "$0")/lib_report.sh"
build_demo
exp=$REPO/tests/report/expected
fail=0
SSHR=$SHARED/captures/ja4/pcap/ssh-r.pcap
check() { # name, args...
    local name=$1; shift
    local out; out=$(cd "$REPO" && "$DEMO" "$@" 2>&1; echo "exit=$?")
    if [ "${UPDATE:-0}" = 1 ]; then printf '%s\n' "$out" > "$exp/$name.out"; return; fi
    if [ ! -f "$exp/$name.out" ]; then echo "no expected $name.out (UPDATE=1 to create)"; return; fi
    if ! diff -u "$exp/$name.out" <(printf '%s\n' "$out") > "$OUT/report_$name.diff"; then
        echo "FAIL golden $name"; head -n 30 "$OUT/report_$name.diff"; fail=1
    fi
}
mkdir -p "$exp"
check demo_synth --synthetic samples/demo.pcap
[ -f "$SSHR" ] && check ssh_r_synth --synthetic "$SSHR"
check demo_zoom --synthetic -z 50-100 samples/demo.pcap
if [ "$HAVE_INFER" -gt 0 ]; then
    check demo samples/demo.pcap
    [ -f "$SSHR" ] && check ssh_r "$SSHR"
else
    echo "note: inference not linked: real-event goldens not checked"
fi

# Colour: never by default (not a terminal), always with --color, and no
# line wider than 100 columns without it.
plain=$("$DEMO" --synthetic "$REPO/samples/demo.pcap")
printf '%s' "$plain" | grep -q $'\033' && { echo "FAIL escape codes in plain output"; fail=1; }
"$DEMO" --synthetic --color "$REPO/samples/demo.pcap" | grep -q $'\033\[' || { echo "FAIL no colour with --color"; fail=1; }
wide=$(printf '%s\n' "$plain" | awk 'length > 100' | head -3)
[ -n "$wide" ] && { echo "FAIL lines over 100 columns:"; echo "$wide"; fail=1; }

# TCP plot: a capture with four retransmissions (frames 6-9, as tshark says).
TS=$SHARED/captures/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap
if [ -f "$TS" ]; then
    before=$("$STRIDER" packets --stream 0 "$TS")
    with=$("$STRIDER" packets --stream 0 --plot "$OUT/tcp_plot.svg" "$TS")
    [ "$before" = "$with" ] || { echo "FAIL --plot changed the table"; fail=1; }
    "$STRIDER" packets --stream 0 --plot "$OUT/tcp_plot.html" "$TS" > /dev/null || { echo "FAIL html plot"; fail=1; }
    want=4
    if command -v tshark > /dev/null; then
        want=$(tshark -r "$TS" -Y 'tcp.stream eq 0 && tcp.analysis.retransmission' 2>/dev/null | wc -l)
    fi
    /usr/bin/python3 - "$OUT/tcp_plot.svg" "$want" <<'PY' || fail=1
import sys, xml.etree.ElementTree as ET
t = ET.parse(sys.argv[1])           # well-formed XML or it raises
ns = '{http://www.w3.org/2000/svg}'
panels = {s.get('id'): s for s in t.getroot().iter(ns + 'svg') if s.get('id')}
want = int(sys.argv[2])
for p in ('win', 'ack'):
    n = sum(1 for e in panels[p].iter() if 'rt' in (e.get('class') or '').split())
    if n != want:
        print('FAIL panel %s: %d retransmission marks, tshark says %d' % (p, n, want)); sys.exit(1)
print('tcp plot: %d retransmission marks per panel (tshark: %d)' % (want, want))
PY
    # zoom: frames 1-7 hold two of them
    "$STRIDER" packets --stream 0 -z 1-7 --plot "$OUT/tcp_plot_zoom.svg" "$TS" > /dev/null
    n=$(grep -o 'class="mk rt"' "$OUT/tcp_plot_zoom.svg" | wc -l)
    [ "$n" = 4 ] || { echo "FAIL zoomed plot has $n marks, want 4 (2 per panel)"; fail=1; }
fi
# -w/-s: the HTML data-movement windows are the data_window events' time
# windows (2 s every 1 s here): one point per non-empty window, at the frame
# of its first record, as computed from the record stream itself.
hw=$(mktemp -d)
"$STRIDER" ssh -p -w 2 -s 1 -o "$hw" "$REPO/samples/demo.pcap" > /dev/null 2>&1
"$STRIDER" ssh --records "$REPO/samples/demo.pcap" > "$hw/records.txt" 2>/dev/null
/usr/bin/python3 - "$hw/report.html" "$hw/records.txt" <<'PY' || fail=1
import re, sys
html = open(sys.argv[1]).read()
if 'Data movement (window 2 s, stride 1 s)' not in html:
    print('FAIL -w 2 -s 1: heading'); sys.exit(1)
recs = [(int(m.group(1)), float(m.group(2))) for m in
        re.finditer(r'^rec [CS] +\d+ \S+ frame (\d+) ts ([\d.]+)', open(sys.argv[2]).read(), re.M)]
t0, span = recs[0][1], recs[-1][1] - recs[0][1]
want = set()
for k in range(int(span // 1) + 1):
    inwin = [f for f, t in recs if k <= t - t0 < k + 2]
    if inwin:
        want.add(inwin[0])
svg = html[html.index('id="dm-0"'):]
path = re.search(r'class="l0" d="([^"]+)"', svg).group(1)
xs = {x for x in re.findall(r'[ML]([\d.]+) ', path)}
if len(xs) != len(want):
    print('FAIL -w 2 -s 1: %d distinct window starts drawn, %d expected' % (len(xs), len(want))); sys.exit(1)
print('time windows: %d, as the record stream says' % len(want))
PY
rm -rf "$hw"
[ $fail -eq 0 ] && echo "report text tests passed"
exit $fail
