#!/usr/bin/env bash
# --own-direct FD (what --jobs gives its first worker): the first chunk's
# lines up to the end of its own files are one run's first lines, so the
# worker writes them to FD (the final output) and the rest, with its
# records, to stdout; the trailer says how many connections went to FD and
# {"_own":"org"} records give those frames' files (a campaign event names
# its first connection's file). FD's bytes then the merge's are one run's,
# byte for byte; a chunk whose lines the merge rewrites (ssh --csv) writes
# nothing to FD; only a first chunk may be given one.
. "$(dirname "$0")/multi_lib.sh"

# direct LABEL DIR ARGS...: FD + merge(chunk 0, chunk 1) against one run
direct() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n h
    n=${#files[@]} h=$((${#files[@]} / 2))
    "$STRIDER" "$@" -q "${files[@]}" > "$T/one" 2>/dev/null || { bad "$label: one run failed"; return; }
    "$STRIDER" "$@" -q --own "0:$h" --own-direct 3 "${files[@]}" 3> "$T/d" > "$T/c0" ||
        { bad "$label: --own-direct failed"; return; }
    "$STRIDER" "$@" -q --own "$((h + 1)):$((n - 1))" "${files[@]}" > "$T/c1"
    "$STRIDER" merge "$T/c0" "$T/c1" > "$T/m" || bad "$label: merge failed"
    cat "$T/d" "$T/m" > "$T/dm"
    cmp -s "$T/one" "$T/dm" || { bad "$label: FD then the merge differ from one run"; diff "$T/one" "$T/dm" | head -5; }
    echo "ok $label: $(wc -c < "$T/d") of $(wc -c < "$T/one") bytes direct"
}

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
mkdir -p "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot"
mkdir -p "$T/many" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/many" --many 5000

direct "guess ssh" "$T/guess" ssh --json
grep -q '^{"_own":"chunk".*"direct":[1-9]' "$T/c0" || bad "guess ssh: the trailer does not say what went direct"
[ -s "$T/d" ] || bad "guess ssh: nothing went direct"
# the brute force's first connection went direct: its file comes from the
# org records (without them the campaign event has no file)
grep -q '"file":.*"kind":"brute_force"' "$T/one" || bad "guess ssh: the brute force names no file"
grep -v '^{"_own":"org"' "$T/c0" > "$T/c0n"
"$STRIDER" merge "$T/c0n" "$T/c1" > "$T/mn"
cat "$T/d" "$T/mn" | cmp -s "$T/one" - && bad "guess ssh: the same without the org records (the check cannot fail)"
direct "rot conns" "$T/rot" conns --json
direct "many conns" "$T/many" conns --json
[ -s "$T/d" ] || bad "many conns: nothing went direct"
direct "guess ssh csv" "$T/guess" ssh --csv
[ -s "$T/d" ] && bad "ssh --csv: a chunk whose lines the merge rewrites wrote to FD"
direct "many conns csv" "$T/many" conns --csv
[ -s "$T/d" ] && bad "conns --csv: a chunk whose lines the merge rewrites wrote to FD"

f=("$T/guess"/*.pcap)
"$STRIDER" ssh --json -q --own 1:2 --own-direct 3 "${f[@]}" 3>/dev/null > /dev/null 2>&1
[ $? -eq 2 ] || bad "--own-direct on a chunk after the first: not exit 2"
"$STRIDER" ssh --json -q --own 0:2 --own-direct 99 "${f[@]}" > /dev/null 2>&1
[ $? -eq 2 ] || bad "--own-direct on a closed descriptor: not exit 2"

[ "$fails" -eq 0 ] || { echo "FAIL: $fails checks failed"; exit 1; }
echo "PASS"
