#!/usr/bin/env bash
# Golden tests of the SSH inference on public captures: expected/NAME.out
# pins the findings (tests/infer/project.py view of `strider ssh --json`),
# check_claims.py checks them against what the captures' authors say
# (shared/reference/ssh_inference.md section 8). UPDATE=1 rewrites the
# expected files (read the diff: a golden file is a claim).
set -u
. "$(dirname "$0")/../lib.sh"
dir=$REPO/tests/infer
PY=/usr/bin/python3
[ -d "$SHARED/captures" ] || skip "no shared captures"
has_cmd ssh || skip "no ssh subcommand"
mkdir -p "$REPO/tests/out"
fail=0 n=0
while read -r name cap; do
    case "$name" in ''|'#'*) continue;; esac
    f=$SHARED/captures/$cap
    [ -f "$f" ] || { echo "skip $name: no $cap"; continue; }
    n=$((n + 1))
    json=$("$STRIDER" ssh --json "$f" 2>/dev/null)
    out=$(printf '%s\n' "$json" | $PY "$dir/project.py")
    printf '%s\n' "$json" | $PY "$dir/check_claims.py" "$name" > /dev/null || {
        printf '%s\n' "$json" | $PY "$dir/check_claims.py" "$name"; fail=$((fail + 1)); }
    exp=$dir/expected/$name.out
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$out" > "$exp"
        continue
    fi
    [ -f "$exp" ] || { echo "FAIL $name: no expected output (UPDATE=1)"; fail=$((fail + 1)); continue; }
    if ! diff -u "$exp" <(printf '%s\n' "$out") > "$REPO/tests/out/infer_$name.diff"; then
        echo "FAIL $name"; head -n 30 "$REPO/tests/out/infer_$name.diff"; fail=$((fail + 1))
    fi
done < "$dir/TESTLIST"
echo "$n inference golden tests, $fail failed"
[ $fail -eq 0 ]
