#!/usr/bin/env bash
# Ownership over a rotated list holding files that give no record: an empty
# file, a garbage file (both fail to open and are skipped with a message),
# a pcap and a pcapng with a header and zero records. A chunk owns the
# connections whose first packet lies in its own files, counted by the
# list's indexes, not by the files that opened: a chunk whose files give
# nothing owns nothing, and a chunk after a bad file does not claim the
# next chunk's connections. One run, --jobs 2 and 3, and every chunking of
# --own merged must print the same bytes (cmp), for conns and ssh --json,
# whichever chunk the bad files fall in (first, middle, last, alone).
. "$(dirname "$0")/multi_lib.sh"

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
good=("$T/guess"/*.pcap)
[ ${#good[@]} -ge 6 ] || die "expected at least 6 rotated files, got ${#good[@]}"
: > "$T/empty.pcap"
head -c 3000 /dev/urandom | tr '\0' x > "$T/garbage.pcap"
python3 - "$T/zero.pcap" "$T/zero.pcapng" <<'EOF'
import struct, sys
# classic pcap: the global header, no record
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
# pcapng: a section header and an Ethernet interface, no packet
shb = struct.pack("<IIIHHq", 0x0A0D0D0A, 28, 0x1A2B3C4D, 1, 0, -1) + struct.pack("<I", 28)
idb = struct.pack("<IIHHI", 1, 20, 1, 0, 65535) + struct.pack("<I", 20)
open(sys.argv[2], "wb").write(shb + idb)
EOF

# same LABEL FILES... -- ARGS...: one run vs one-file chunks, every split
# in two, --jobs 2 and 3
same() {
    local label=$1; shift
    local files=() n
    while [ "$1" != "--" ]; do files+=("$1"); shift; done
    shift
    n=${#files[@]}
    "$STRIDER" "$@" -q "${files[@]}" > "$T/one" 2>/dev/null || { bad "$label: one run failed"; return; }
    [ -s "$T/one" ] || { bad "$label: one run printed nothing"; return; }
    local outs=() i
    for ((i = 0; i < n; i++)); do
        "$STRIDER" "$@" -q --own "$i:$i" "${files[@]}" > "$T/c$i" 2>/dev/null ||
            bad "$label: --own $i:$i (${files[$i]##*/}) failed"
        outs+=("$T/c$i")
    done
    "$STRIDER" merge "${outs[@]}" > "$T/m" 2>/dev/null || bad "$label: merge of one-file chunks failed"
    cmp -s "$T/one" "$T/m" || { bad "$label: merge of $n one-file chunks differs"; diff "$T/one" "$T/m" | head -4; }
    for ((i = 0; i + 1 < n; i++)); do
        "$STRIDER" "$@" -q --own "0:$i" "${files[@]}" > "$T/h0" 2>/dev/null
        "$STRIDER" "$@" -q --own "$((i + 1)):$((n - 1))" "${files[@]}" > "$T/h1" 2>/dev/null
        "$STRIDER" merge "$T/h0" "$T/h1" > "$T/m2" 2>/dev/null || bad "$label: merge of 0:$i and $((i + 1)):$((n - 1)) failed"
        cmp -s "$T/one" "$T/m2" || bad "$label: merge of 0:$i and $((i + 1)):$((n - 1)) differs"
    done
    for j in 2 3; do
        "$STRIDER" "$@" -q --jobs $j "${files[@]}" > "$T/j$j" 2>/dev/null || bad "$label: --jobs $j failed"
        cmp -s "$T/one" "$T/j$j" || bad "$label: --jobs $j differs"
    done
    echo "ok $label: $n files, $(wc -l < "$T/one") lines"
}

g=("${good[@]}")
E=$T/empty.pcap G=$T/garbage.pcap Z=$T/zero.pcap N=$T/zero.pcapng
g0dup=$T/g0.pcap
ln "${g[0]}" "$g0dup" # the same file under another name
# bad files inside the list, between good ones
mixed=("${g[0]}" "${g[1]}" "$E" "${g[2]}" "$G" "${g[3]}" "$Z" "${g[4]}" "$N" "${g[@]:5}")
# bad files first and last
edges=("$G" "$E" "${g[@]:0:4}" "$Z" "${g[@]:4}" "$E" "$G")
for args in "conns --json" "ssh --json"; do
    # shellcheck disable=SC2086
    same "mixed $args" "${mixed[@]}" -- $args
    # shellcheck disable=SC2086
    same "edges $args" "${edges[@]}" -- $args
done

# a chunk of files that give nothing owns nothing: no connection record,
# its trailer counts zero records for each of them
"$STRIDER" conns --json -q --own 2:2 "${mixed[@]}" > "$T/e" 2>/dev/null || bad "--own on the empty file failed"
grep -q '^{"_own":"conn"' "$T/e" && bad "a chunk of an empty file claims connections"
grep -q '^{"_own":"chunk",.*"frames":\[0\]' "$T/e" || bad "the empty file's chunk does not count 0 records"
"$STRIDER" conns --json -q --own 4:6 "${mixed[@]}" > "$T/e" 2>/dev/null || bad "--own 4:6 failed"
grep -q '"frames":\[0,[1-9][0-9]*,0\]' "$T/e" || bad "--own 4:6 does not count garbage, good, zero-record files"
# a list of which one file opens is still a list: one run names each
# frame's file as its chunks do
"$STRIDER" conns --json -q "${g[0]}" "$G" > "$T/one" 2>/dev/null || bad "one run over a good and a garbage file failed"
grep -q '"file_first_frame":' "$T/one" || bad "one run over a list of which one file opens names no file"
"$STRIDER" conns --json -q --jobs 2 "${g[0]}" "$G" > "$T/j" 2>/dev/null || bad "--jobs 2 over a good and a garbage file failed"
cmp -s "$T/one" "$T/j" || bad "--jobs 2 over a good and a garbage file differs"

# The text table (conns without --json) names each row's file when the
# list holds several, once a frame is read: a chunk whose files give no
# record declares the columns of a run that read nothing. The merge takes
# those of the first chunk that read a record, whichever chunk --jobs sees
# end first (a race: repeated) and whatever the order of merge's inputs;
# the formats whose columns do not depend on it are checked beside it.
for set in tail head; do
    if [ $set = tail ]; then L=("${g[0]}" "$E" "$G" "$Z" "$N"); else L=("$E" "$G" "$Z" "$N" "${g[0]}"); fi
    for args in "conns" "conns --csv" "ssh --csv"; do
        # shellcheck disable=SC2086
        "$STRIDER" $args -q "${L[@]}" > "$T/one" 2>/dev/null || { bad "$set $args: one run failed"; continue; }
        [ "$args" = conns ] && ! head -1 "$T/one" | grep -q ' file ' && bad "$set $args: one run has no file column"
        for ((i = 0; i < 4; i++)); do
            # shellcheck disable=SC2086
            "$STRIDER" $args -q --own "0:$i" "${L[@]}" > "$T/h0" 2>/dev/null
            # shellcheck disable=SC2086
            "$STRIDER" $args -q --own "$((i + 1)):4" "${L[@]}" > "$T/h1" 2>/dev/null
            for order in "$T/h0 $T/h1" "$T/h1 $T/h0"; do
                # shellcheck disable=SC2086
                "$STRIDER" merge $order > "$T/m" 2>/dev/null || bad "$set $args: merge of 0:$i and $((i + 1)):4 failed"
                cmp -s "$T/one" "$T/m" || bad "$set $args: merge of 0:$i and $((i + 1)):4 differs"
            done
        done
        for ((r = 0; r < 5; r++)); do
            for j in 2 3 5; do
                # shellcheck disable=SC2086
                "$STRIDER" $args -q --jobs $j "${L[@]}" > "$T/j" 2>/dev/null || bad "$set $args: --jobs $j failed"
                cmp -s "$T/one" "$T/j" || bad "$set $args: --jobs $j differs (run $r)"
            done
        done
    done
    echo "ok $set: the text table's columns over files that give no record"
done

# A file that cannot be read is said once, as one run says it: by the
# chunk that owns it, not by an earlier one that opens it to read ahead;
# the same file twice in the list is said once, by the first chunk.
L=("${g[0]}" "${g[1]}" "$E" "$G" "$g0dup")
msgs() { grep -c 'not a readable capture\|are the same file' "$1"; }
"$STRIDER" conns --json "${L[@]}" > /dev/null 2> "$T/e1"
[ "$(msgs "$T/e1")" = 3 ] || bad "one run does not say 3 things about the list ($(msgs "$T/e1"))"
"$STRIDER" conns --json --own 0:1 "${L[@]}" > /dev/null 2> "$T/e0"
grep -q 'not a readable' "$T/e0" && bad "a chunk reports another chunk's unreadable file"
for j in 2 3 5; do
    "$STRIDER" conns --json --jobs $j "${L[@]}" > /dev/null 2> "$T/ej"
    [ "$(msgs "$T/ej")" = 3 ] || bad "--jobs $j does not say 3 things about the list once each ($(msgs "$T/ej"))"
    # the copy overlaps in time with the first file: the merge warns (documented)
    sort "$T/e1" | cmp -s - <(grep -v 'overlap in time' "$T/ej" | sort) ||
        bad "--jobs $j says other things than one run on stderr"
done

# ... and in the order one run says them, whichever chunk ends first (the
# workers' stderr is said in chunk order): cmp, repeated
"$STRIDER" conns --json "${mixed[@]}" > /dev/null 2> "$T/e1"
[ "$(msgs "$T/e1")" = 2 ] || bad "one run over the mixed list does not say 2 things ($(msgs "$T/e1"))"
for ((r = 0; r < 3; r++)); do
    for j in 2 3 5; do
        "$STRIDER" conns --json --jobs $j "${mixed[@]}" > /dev/null 2> "$T/ej"
        cmp -s "$T/e1" "$T/ej" || bad "--jobs $j over the mixed list: stderr differs (run $r)"
    done
done

# a chunk that shows no SSH says nothing of the list (another one shows
# some): no "no SSH in N TCP connection(s)" where one run shows SSH
L=("${g[0]}" "$Z" "$N" "$E" "$Z")
"$STRIDER" ssh --json "${L[@]}" > /dev/null 2> "$T/e1"
for j in 2 3 5; do
    "$STRIDER" ssh --json --jobs $j "${L[@]}" > /dev/null 2> "$T/ej"
    cmp -s "$T/e1" "$T/ej" || bad "ssh --json --jobs $j: stderr differs from one run's"
done

# nothing readable at all: one run exits 1, so do --jobs and the merge
"$STRIDER" conns --json -q "$E" "$G" > /dev/null 2>&1
[ $? = 1 ] || bad "one run over unreadable files does not exit 1"
"$STRIDER" conns --json -q --jobs 2 "$E" "$G" > "$T/j" 2>/dev/null
[ $? = 1 ] || bad "--jobs 2 over unreadable files does not exit 1"
[ -s "$T/j" ] && bad "--jobs 2 over unreadable files prints something"
"$STRIDER" conns --json -q --own 0:0 "$E" "$G" > "$T/u0" 2>/dev/null || bad "a chunk of an empty file fails"
"$STRIDER" conns --json -q --own 1:1 "$E" "$G" > "$T/u1" 2>/dev/null || bad "a chunk of a garbage file fails"
"$STRIDER" merge "$T/u0" "$T/u1" > /dev/null 2>&1
[ $? = 1 ] || bad "the merge of chunks that read nothing does not exit 1"
# ... and say what one run says: each file, then "nothing could be read"
# only when no file opened (a zero-record one opens)
for L in "$E $G" "$E $Z $G" "$G $E $G $E"; do
    # shellcheck disable=SC2086
    "$STRIDER" conns --json $L > "$T/o1" 2> "$T/e1"
    echo $? >> "$T/e1"
    for j in 2 3; do
        # shellcheck disable=SC2086
        "$STRIDER" conns --json --jobs $j $L > "$T/oj" 2> "$T/ej"
        echo $? >> "$T/ej"
        cmp -s "$T/o1" "$T/oj" && cmp -s "$T/e1" "$T/ej" || bad "--jobs $j over unreadable files differs from one run"
    done
done
exit $((fails > 0))
