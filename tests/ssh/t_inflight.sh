#!/usr/bin/env bash
# Keys in flight over a 220 ms link whose echoes the loaded server
# coalesced (lab pending wanc220_demo_s13600, chacha20, client side):
# a Backspace and two chars (frames 61-63), then one 44-byte record (68)
# holding the Backspace's erase and the first char's echo, the second
# char's own echo (73) 47 ms after the next key, sooner than any answer to
# it. Read as three one-byte echoes coalesced, frame 63 also took 73 and
# read as an Enter; it is a char, and the forward leg's only Enter before
# the reverse session is frame 79 (sd_infer_keys.c echo_owed_after).
set -u
. "$(dirname "$0")/../lib.sh"
cap=$REPO/tests/lab/pending/wanc220_demo_s13600.pcap
[ -f "$cap" ] || die "missing $cap"
"$STRIDER" ssh --json "$cap" 2>/dev/null | python3 -c '
import json, sys
keys = [e for e in map(json.loads, sys.stdin)
        if e.get("kind") == "keystroke" and e.get("leg") == "forward" and e["frame"] < 100]
got = {e["frame"]: e["key"] for e in keys}
enters = [f for f, k in got.items() if k == "enter"]
if got.get(63) != "char" or enters != [79]:
    sys.exit("FAIL: frame 63 %s, Enters at %s (want char, [79])" % (got.get(63), enters))
' || exit 1
echo "ok: frame 63 a char, the one Enter at 79"
