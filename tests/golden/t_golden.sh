#!/usr/bin/env bash
# Golden tests, tcpdump-style: each TESTLIST line is "NAME ARGS...", where
# ARGS may use $SHARED and $REPO; strider's stdout must equal
# expected/NAME.out byte for byte. UPDATE=1 rewrites the expected files
# (then read the diff before committing: a golden file is a claim).
set -u
. "$(dirname "$0")/../lib.sh"
dir=$REPO/tests/golden
fail=0 n=0
while read -r name args; do
    case "$name" in ''|'#'*) continue;; esac
    args=${args//\$SHARED/$SHARED}
    args=${args//\$REPO/$REPO}
    exp="$dir/expected/$name.out"
    eval "argv=($args)"  # TESTLIST is ours: shell quoting allowed
    out=$(cd "$REPO" && "$STRIDER" "${argv[@]}" 2>/dev/null; echo "exit=$?")
    n=$((n + 1))
    if [ "${UPDATE:-0}" = 1 ]; then
        printf '%s\n' "$out" > "$exp"
        continue
    fi
    if [ ! -f "$exp" ]; then
        echo "FAIL $name: no expected output (run with UPDATE=1)"; fail=$((fail + 1)); continue
    fi
    if ! diff -u "$exp" <(printf '%s\n' "$out") > "$REPO/tests/out/golden_$name.diff"; then
        echo "FAIL $name"; head -n 30 "$REPO/tests/out/golden_$name.diff"; fail=$((fail + 1))
    fi
done < "$dir/TESTLIST"
echo "$n golden tests, $fail failed"
[ $fail -eq 0 ]
