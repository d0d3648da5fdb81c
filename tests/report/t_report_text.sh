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

# -w/-s: the HTML data-movement plot bins bytes per direction by the -w
# window (2 s here): every bar's record count and bytes are recomputed here
# from the record stream itself, and every record is in exactly one bar.
hw=$(mktemp -d)
"$STRIDER" ssh -p -w 2 -s 1 -o "$hw" "$REPO/samples/demo.pcap" > /dev/null 2>&1
"$STRIDER" ssh --records "$REPO/samples/demo.pcap" > "$hw/records.txt" 2>/dev/null
"$STRIDER" conns --json "$REPO/samples/demo.pcap" > "$hw/conns.jsonl" 2>/dev/null
/usr/bin/python3 - "$hw/report.html" "$hw/records.txt" "$hw/conns.jsonl" <<'PY' || fail=1
import collections, json, math, re, sys
html = open(sys.argv[1]).read()
if 'Data movement (bins of 2 s)' not in html:
    print('FAIL -w 2 -s 1: heading'); sys.exit(1)
start = json.loads(open(sys.argv[3]).readline())['ts']
want = collections.Counter(); wbytes = collections.Counter()
for m in re.finditer(r'^rec ([CS]) +(\d+) \S+ frame \d+ ts ([\d.]+)', open(sys.argv[2]).read(), re.M):
    k = (m.group(1) == 'S', int(math.floor((float(m.group(3)) - start) / 2 + 1e-9)))
    want[k] += 1; wbytes[k] += int(m.group(2))
svg = html[html.index('id="dm-0"'):]
svg = svg[:svg.index('</svg>')]
got = collections.Counter(); gbytes = collections.Counter()
for m in re.finditer(r'class="mk (d[01])"[^>]*><title>(\d+) records, (\d+) bytes [^,]*, t=([\d.]+)-', svg):
    k = (m.group(1) == 'd1', int(round(float(m.group(4)) / 2)))
    got[k] += int(m.group(2)); gbytes[k] += int(m.group(3))
if got != want or gbytes != wbytes:
    print('FAIL -w 2: bars %s, records say %s' % (sorted(got.items())[:5], sorted(want.items())[:5])); sys.exit(1)
print('data movement: %d bars, %d records, as the record stream says' % (len(got), sum(got.values())))
PY
# the inference's data_window events are the shaded exfil/infil windows
"$STRIDER" ssh -p -w 2 -o "$hw/scp" "$REPO/tests/lab/fixtures/scp_upload.pcap" > /dev/null 2>&1
"$STRIDER" ssh --json -w 2 "$REPO/tests/lab/fixtures/scp_upload.pcap" > "$hw/scp.jsonl" 2>/dev/null
/usr/bin/python3 - "$hw/scp/report.html" "$hw/scp.jsonl" <<'PY' || fail=1
import json, re, sys
html = open(sys.argv[1]).read()
ev = [json.loads(l) for l in open(sys.argv[2]) if '"data_window"' in l]
ev = [e for e in ev if e.get('kind') == 'data_window']
ex = sum(1 for e in ev if e.get('dir') == 'c2s')
gex, gin = html.count('class="win ex"'), html.count('class="win in"')
if not ev or (gex, gin) != (ex, len(ev) - ex):
    print('FAIL windows: %d exfil / %d infil shaded, the events say %d / %d' % (gex, gin, ex, len(ev) - ex)); sys.exit(1)
print('data windows: %d shaded, as the events say' % len(ev))
PY
rm -rf "$hw"
[ $fail -eq 0 ] && echo "report text tests passed"
exit $fail
