#!/usr/bin/env bash
# The terminal report: golden files on the demo capture and on ja4's
# ssh-r.pcap (synthetic events: the writer alone; real events when the
# inference is linked), colour only when asked, zoom, width (the TCP plot
# of `strider packets --plot`: tests/cli/t_tsgraph.sh). UPDATE=1 rewrites
# the expected files.
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
