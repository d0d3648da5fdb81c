#!/usr/bin/env bash
# SSH lab: (1) every fixture's labels match the schema, its pcap is readable
# by tshark, and each labelled leg's endpoints are a TCP conversation in it;
# (2) the scorer scores perfectly against an oracle that answers from the
# labels (the matching code works); (3) strider's scores per feature are not
# below tests/lab/floors.json, over all fixtures and over each cipher suite's
# (and dropbear's) alone. Features strider cannot do yet are reported as
# "not implemented" (and pass); a floored feature that disappears fails.
set -u
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "skip: no $PY"; exit 77; }
ls tests/lab/fixtures/*.labels.json >/dev/null 2>&1 || { echo "skip: no fixtures"; exit 77; }
command -v tshark >/dev/null || echo "note: no tshark, pcap conversation checks skipped"
out=${TMPDIR:-/tmp}/t_lab_score.$$
mkdir -p "$out"
trap 'rm -rf "$out"' EXIT
fail=0

echo "== schema and capture consistency"
"$PY" tests/lab/score --schema-only || fail=1

echo "== scorer self-test (oracle)"
"$PY" tests/lab/score --strider tests/lab/oracle_strider --self-test --floors /dev/null \
    >"$out/oracle.txt" || { cat "$out/oracle.txt"; fail=1; }

echo "== scorer self-test (oracle dropping every 4th keystroke must lose recall)"
ORACLE_DROP=4 "$PY" tests/lab/score --strider tests/lab/oracle_strider --json \
    --floors /dev/null >"$out/drop.json"
"$PY" - "$out/drop.json" <<'PYEOF' || fail=1
import json, sys
d = json.load(open(sys.argv[1]))["features"]["keystrokes"]
ok = d["status"] == "scored" and d["precision"] == 1.0 and 0.7 < d["recall"] < 0.8
print("keystrokes with drops: P=%s R=%s" % (d.get("precision"), d.get("recall")))
sys.exit(0 if ok else 1)
PYEOF

echo "== strider (${STRIDER:-build/strider}) against floors"
"$PY" tests/lab/score --strider "${STRIDER:-build/strider}" --check --by-suite || fail=1
exit $fail
