#!/usr/bin/env bash
# Characters a loaded client sent in one record at a line's start (lab
# pending bash_fast_s9600, chacha20: three keys typed 36-64 ms apart
# after an Enter, sent in one 44-byte record, an arrow's size, echoed by
# one 44-byte record, the next key 31 ms after that echo). An Up arrow
# there recalling a short line has those sizes, but a person reads the
# recalled line before typing on: these are characters (sd_infer_keys.c
# merged_keys, catching_up). Checked against the labels: every frame
# whose labelled keys are three characters or more reads as characters,
# and every arrow read is at a labelled arrow's frame.
set -u
. "$(dirname "$0")/../lib.sh"
base=$REPO/tests/lab/pending/bash_fast_s9600
[ -f "$base.pcap" ] || die "missing $base.pcap"
"$STRIDER" ssh --json "$base.pcap" 2>/dev/null | python3 -c '
import json, sys
lab = json.load(open(sys.argv[1]))["keystrokes"]
got = {}
for e in map(json.loads, sys.stdin):
    if e.get("kind") == "keystroke" and e.get("leg") == "forward":
        got.setdefault(e["frame"], []).append(e["key"])
want = {}
for k in lab:
    want.setdefault(k["frame"], []).append(k["key"])
merged = [f for f, v in want.items() if f is not None and len(v) >= 3 and set(v) == {"char"}]
bad = [f for f in merged if set(got.get(f, [])) != {"char"}]
arrows = [f for f, v in got.items() if "arrow" in v and "arrow" not in want.get(f, [])]
if not merged or bad or arrows:
    sys.exit("FAIL: merged frames %s, misread %s (%s), arrows not labelled %s" %
             (merged, bad, [got.get(f) for f in bad], arrows))
print("ok: frames %s read as characters, every arrow labelled" % merged)
' "$base.labels.json" || exit 1
