#!/usr/bin/env bash
# strider merge --as-ready: the chunk outputs named on standard input as
# they are made, in any order (the Dask driver names each as its task
# ends), give one run's output byte for byte: JSON lines, the formats the
# chunks declare (CSV, the text table), summary, extract's directory
# (-o DIR, diff -r). The first chunk's early part is written before the
# input ends (what lets the merge overlap the chunks still running).
# Wrong inputs fail (exit 1): a chunk named twice, one missing, a name
# that is not a regular file, summary mixed with other outputs, none at all.
. "$(dirname "$0")/multi_lib.sh"
C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
mkdir -p "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot"
cd "$T" || exit 1

# as_ready LABEL DIR ARGS...: three chunks, merged as they arrive in every order
as_ready() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n
    n=${#files[@]}
    "$STRIDER" "$@" -q "${files[@]}" > one 2> /dev/null || { bad "$label: one run failed"; return; }
    [ -s one ] || { bad "$label: one run printed nothing"; return; }
    local a=$((n / 4)) b=$((n / 2))
    "$STRIDER" "$@" -q --own "0:$a" "${files[@]}" > c0
    "$STRIDER" "$@" -q --own "$((a + 1)):$b" "${files[@]}" > c1
    "$STRIDER" "$@" -q --own "$((b + 1)):$((n - 1))" "${files[@]}" > c2
    for order in "c0 c1 c2" "c0 c2 c1" "c1 c0 c2" "c1 c2 c0" "c2 c0 c1" "c2 c1 c0"; do
        # shellcheck disable=SC2086
        printf '%s\n' $order | "$STRIDER" merge --as-ready > m 2> err || { bad "$label, $order: exit $?: $(head -2 err)"; continue; }
        cmp -s one m || { bad "$label, $order: differs from one run"; diff one m | head -4; }
    done
    echo "ok $label: $n files, every order"
}
as_ready "guess ssh --json" guess ssh --json
as_ready "guess conns --json" guess conns --json
as_ready "rot conns --json" rot conns --json
as_ready "guess conns --csv" guess conns --csv
as_ready "rot conns (text table)" rot conns
as_ready "guess ssh --csv" guess ssh --csv
as_ready "guess summary --json" guess summary --json
as_ready "guess summary" guess summary

# the early part is written before standard input ends: the first chunk
# named, the merge writes the connections one run ends before the second
# chunk's first record, then waits for more names
f=(guess/*.pcap)
"$STRIDER" ssh --json -q "${f[@]}" > one
"$STRIDER" ssh --json -q --own 0:5 "${f[@]}" > e0
"$STRIDER" ssh --json -q --own 6:10 "${f[@]}" > e1
rm -f fifo && mkfifo fifo
"$STRIDER" merge --as-ready < fifo > m 2> err &
mp=$!
exec 3> fifo
echo e0 >&3
for _ in $(seq 200); do [ -s m ] && break; sleep 0.1; done
[ -s m ] || bad "--as-ready: nothing written once the first chunk was named"
early=$(wc -c < m)
echo e1 >&3
exec 3>&-
wait $mp || bad "--as-ready: the merge failed: $(head -2 err)"
cmp -s one m || bad "--as-ready, early part then the rest: differs from one run"
[ "$early" -lt "$(wc -c < one)" ] || bad "--as-ready: all of it written before the last chunk was named"
echo "ok early part: $early of $(wc -c < one) bytes before the last chunk"

# extract -o DIR: the chunk directories named as they are made, last first
"$STRIDER" extract -q -o x1 rot
n=$(ls rot/*.pcap | wc -l)
"$STRIDER" extract -q --own 0:1 -o xa rot
"$STRIDER" extract -q --own 2:$((n - 1)) -o xb rot
printf 'xb\nxa\n' | "$STRIDER" merge --as-ready -o xm > /dev/null 2> err || bad "extract --as-ready: exit $?: $(head -2 err)"
diff -r x1 xm > /dev/null || bad "extract --as-ready: the directory differs from one run's"
echo "ok extract -o DIR"

# wrong inputs: exit 1 with a message; usage errors exit 2
"$STRIDER" conns --json -q --own 0:5 "${f[@]}" > k0
"$STRIDER" conns --json -q --own 6:10 "${f[@]}" > k1
"$STRIDER" summary --json -q --own 6:10 "${f[@]}" > s1
while IFS='|' read -r what names; do
    # shellcheck disable=SC2086
    printf '%s\n' $names | "$STRIDER" merge --as-ready > out 2> err
    rc=$?
    [ $rc = 1 ] || bad "--as-ready, $what: exit $rc, not 1"
    grep -q '^strider merge: ' err || bad "--as-ready, $what: no message: $(head -1 err)"
done << EOF2
a chunk twice|k0 k1 k1
a chunk missing|k1
no such file|k0 nothing k1
a directory|k0 rot k1
summary and conns|k0 s1
no name|
EOF2
"$STRIDER" merge --as-ready k0 k1 < /dev/null > out 2> err
[ $? = 2 ] || bad "--as-ready with arguments: not exit 2"
echo "ok wrong inputs"

[ $fails = 0 ] || die "$fails checks failed"
echo "as-ready merges identical"
