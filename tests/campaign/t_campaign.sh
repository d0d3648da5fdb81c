#!/usr/bin/env bash
# Cross-connection SSH findings (src/analyze/sd_campaign): a version-grabbing
# scanner is one "scanner" event with its counts, an administrator's three
# connections are none; gencap's password-guessing capture gives one
# "brute_force" event per client with 3+ failed connections, and the counts
# add up to the per-connection facts of the same run.
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/campaign; mkdir -p "$out"
fail=0
python3 "$REPO/tests/campaign/mkscan.py" "$out/scan.pcap" 12 2 || die "cannot write the scan capture"
"$STRIDER" ssh --json "$out/scan.pcap" > "$out/scan.jsonl" || die "strider ssh failed"
python3 - "$out/scan.jsonl" <<'PY' || fail=1
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
scans = [r for r in rows if r.get("kind") == "scanner"]
ok = len(scans) == 1
s = scans[0] if scans else {}
want = {"client": "10.9.9.9", "connections": 24, "servers": 12, "version_only": 24, "auth_attempted": 0, "auth_success": 0}
for k, v in want.items():
    if s.get(k) != v:
        ok = False
        print("FAIL scan %s: %r, want %r" % (k, s.get(k), v))
if any(r.get("client") == "10.1.1.1" for r in rows if r.get("type") == "event"):
    ok = False; print("FAIL the administrator's 3 connections read as a campaign")
conns = [r for r in rows if r.get("type") == "ssh"]
if len(conns) != 27:
    ok = False; print("FAIL %d ssh records, want 27 (every connection kept)" % len(conns))
print("scan: ok" if ok else "scan: FAIL")
sys.exit(0 if ok else 1)
PY
# text report: the campaign in a few lines at the end
"$STRIDER" ssh --no-color "$out/scan.pcap" | tail -n 3 | grep -q "10.9.9.9: 24 connections to 12 server(s), 0 logged in (scanning)" \
    || { echo "FAIL text report lacks the scan line"; fail=1; }
# the HTML report says it at the top, in one line
"$STRIDER" ssh -p -o "$out/html" "$out/scan.pcap" > /dev/null || { echo "FAIL ssh -p"; fail=1; }
grep -q "<h2>Across connections</h2>.*10.9.9.9: 24 connections to 12 server(s)" "$out/html/report.html" \
    || { echo "FAIL the HTML report lacks the scanner line"; fail=1; }
# password guessing, from the bench generator
gencap=$REPO/$BUILD/bench/gencap
[ -x "$gencap" ] || gencap=$(ls "$REPO"/build*/bench/gencap 2>/dev/null | head -1)
if [ -x "${gencap:-}" ]; then
    "$gencap" --brute 12000 -o "$out/brute.pcap" > /dev/null 2>&1 || die "gencap --brute failed"
    "$STRIDER" ssh --json "$out/brute.pcap" > "$out/brute.jsonl" || die "strider ssh failed"
    python3 - "$out/brute.jsonl" <<'PY' || fail=1
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1])]
failed = collections.Counter()
succeeded = collections.Counter()
fails = collections.Counter()
conns = collections.Counter()
for r in rows:
    if r.get("type") == "ssh":
        conns[r["id.orig_h"]] += 1
        failed[r["id.orig_h"]] += r.get("auth_success") is False
        succeeded[r["id.orig_h"]] += r.get("auth_success") is True
    elif r.get("kind") == "auth_attempt" and r.get("result") == "failure" and r.get("leg") == "forward":
        pass
want = {a for a in conns if failed[a] >= 3}
got = {r["client"]: r for r in rows if r.get("kind") == "brute_force"}
ok = set(got) == want and len(want) > 0
for a, e in got.items():
    if e["connections"] != conns[a] or e["failed_connections"] != failed[a] or e["auth_success"] != succeeded[a]:
        ok = False; print("FAIL %s: %s vs %d/%d" % (a, e, conns[a], failed[a]))
print("brute force: %d clients, %s" % (len(got), "ok" if ok else "FAIL (want %d)" % len(want)))
sys.exit(0 if ok else 1)
PY
else
    echo "no gencap binary: brute force part skipped"
fi

rm -f "$out/brute.pcap"
exit $fail
