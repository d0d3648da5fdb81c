#!/usr/bin/env bash
# --own-frame-base N (what --jobs gives a later worker: the records of the
# files before its chunk, counted from their headers, sd_reccount): the
# chunk numbers its frames from N + 1 as one run does and its trailer says
# so ("fb"); the merge then moves none of them and patches only each
# line's uid and stream. A base counted wrong still merges to one run's
# bytes (the merge shifts by the difference, either way); chunks without
# one (older ones) still merge; only a chunk's lines may be given one.
. "$(dirname "$0")/multi_lib.sh"

# records LIST...: the records of these files, from their trailers
records() {
    "$STRIDER" conns --json -q --own "0:$(($# - 1))" "$@" | grep '^{"_own":"chunk"' |
        sed 's/.*"frames":\[\([0-9,]*\)\].*/\1/' | tr ',' '\n' | awk '{s += $1} END {print s + 0}'
}

# based LABEL DIR ARGS...: chunk 0 and chunk 1 given its base (right, and
# wrong both ways), merged, against one run
based() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n h base fb
    n=${#files[@]} h=$((${#files[@]} / 2))
    base=$(records "${files[@]:0:h+1}")
    "$STRIDER" "$@" -q "${files[@]}" > "$T/one" 2>/dev/null || { bad "$label: one run failed"; return; }
    "$STRIDER" "$@" -q --own "0:$h" --own-frame-base 0 "${files[@]}" > "$T/c0" || { bad "$label: chunk 0 failed"; return; }
    for fb in "$base" $((base + 3)) $((base > 2 ? base - 2 : 0)); do
        "$STRIDER" "$@" -q --own "$((h + 1)):$((n - 1))" --own-frame-base "$fb" "${files[@]}" > "$T/c1" ||
            { bad "$label: chunk 1 with base $fb failed"; continue; }
        grep -q "^{\"_own\":\"chunk\".*\"fb\":$fb}" "$T/c1" || bad "$label: the trailer does not say fb $fb"
        "$STRIDER" merge "$T/c0" "$T/c1" > "$T/m" || bad "$label: merge with base $fb failed"
        cmp -s "$T/one" "$T/m" || { bad "$label: the merge with base $fb differs from one run"; diff "$T/one" "$T/m" | head -5; }
    done
    # the right base: the chunk's frames (its first connection's first) are one run's already
    "$STRIDER" "$@" -q --own "$((h + 1)):$((n - 1))" "${files[@]}" > "$T/c1old"
    "$STRIDER" "$@" -q --own "$((h + 1)):$((n - 1))" --own-frame-base "$base" "${files[@]}" > "$T/c1"
    local f0 f1
    f0=$(grep '^{"_own":"conn"' "$T/c1old" | grep -o '"ff":[0-9]*' | head -1 | sed "s/.*://")
    f1=$(grep '^{"_own":"conn"' "$T/c1" | grep -o '"ff":[0-9]*' | head -1 | sed "s/.*://")
    [ -n "$f0" ] && [ "$f1" = $((f0 + base)) ] || bad "$label: chunk 1's first frame $f1, not $f0 + $base"
    "$STRIDER" merge "$T/c0" "$T/c1old" > "$T/m"
    cmp -s "$T/one" "$T/m" || bad "$label: a chunk without a base no longer merges"
    "$STRIDER" "$@" -q --jobs 3 "${files[@]}" > "$T/j3" || bad "$label: --jobs 3 failed"
    cmp -s "$T/one" "$T/j3" || bad "$label: --jobs 3 differs from one run"
    echo "ok $label: base $base"
}

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files (pcapng)
mkdir -p "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot"
mkdir -p "$T/many" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/many" --many 3000

based "guess ssh" "$T/guess" ssh --json
based "rot conns" "$T/rot" conns --json
based "many conns" "$T/many" conns --json
based "many conns table" "$T/many" conns
based "guess ssh csv" "$T/guess" ssh --csv

f=("$T/guess"/*.pcap)
for a in "ssh --json --own-frame-base 5" "summary --own 1:2 --own-frame-base 5" "ssh --json --own 1:2 --own-frame-base x" \
         "ssh --json --own 1:2 --own-frame-base -1"; do
    "$STRIDER" $a -q "${f[@]}" > /dev/null 2>&1
    [ $? -eq 2 ] || bad "$a: not exit 2"
done
"$STRIDER" extract --own 1:2 --own-frame-base 5 -o "$T/x" "${f[@]}" > /dev/null 2>&1
[ $? -eq 2 ] || bad "extract --own-frame-base: not exit 2"

# strider reccount (what dist/strider-dask gives its chunks from): the
# records a run reads from these files, in their trailers' count; a file
# neither pcap nor pcapng: exit 1, nothing on stdout; no file: exit 2
for d in guess rot many; do
    f=("$T/$d"/*.pcap)
    want=$(records "${f[@]:0:3}")
    got=$("$STRIDER" reccount -- "${f[@]:0:3}")
    [ -n "$want" ] && [ "$got" = "$want" ] || bad "reccount $d: $got records, a run reads $want"
done
echo "not a capture" > "$T/text.pcap"
out=$("$STRIDER" reccount "${f[0]}" "$T/text.pcap" 2> /dev/null)
[ $? -eq 1 ] && [ -z "$out" ] || bad "reccount of a text file: not exit 1 with nothing printed: $out"
"$STRIDER" reccount > /dev/null 2>&1
[ $? -eq 2 ] || bad "reccount without files: not exit 2"

[ "$fails" -eq 0 ] || { echo "FAIL: $fails checks failed"; exit 1; }
echo "PASS"
