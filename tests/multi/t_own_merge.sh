#!/usr/bin/env bash
# Ownership of a file list (--own, --read-ahead), `strider merge` and
# --jobs: for rotated files cut into chunks, the merge of the chunks'
# outputs and the --jobs run are byte-identical to one run over every file
# (conns --json, ssh --json), on shared captures cut with editcap and on a
# crafted set whose connections cross file boundaries in every way
# (tests/multi/gen_rotated.py); a connection longer than the read-ahead is
# marked; bad option values exit 2; a missing chunk fails the merge.
. "$(dirname "$0")/multi_lib.sh"

# same LABEL DIR ARGS...: one run vs every chunking we try, compared with cmp
same() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n
    n=${#files[@]}
    "$STRIDER" "$@" -q "${files[@]}" > "$T/one" 2>/dev/null || { bad "$label: one run failed"; return; }
    [ -s "$T/one" ] || { bad "$label: one run printed nothing"; return; }
    # each file its own chunk, merged in reverse order (order of the inputs must not matter)
    local outs=()
    for ((i = n - 1; i >= 0; i--)); do
        "$STRIDER" "$@" -q --own "$i:$i" "${files[@]}" > "$T/c$i" || bad "$label: --own $i:$i failed"
        outs+=("$T/c$i")
    done
    "$STRIDER" merge "${outs[@]}" > "$T/m" || bad "$label: merge failed"
    cmp -s "$T/one" "$T/m" || { bad "$label: merge of $n one-file chunks differs"; diff "$T/one" "$T/m" | head -5; }
    # two uneven chunks
    local h=$((n / 3))
    "$STRIDER" "$@" -q --own "0:$h" "${files[@]}" > "$T/h0"
    "$STRIDER" "$@" -q --own "$((h + 1)):$((n - 1))" "${files[@]}" > "$T/h1"
    "$STRIDER" merge "$T/h0" "$T/h1" > "$T/m2" || bad "$label: merge of 2 chunks failed"
    cmp -s "$T/one" "$T/m2" || bad "$label: merge of 2 chunks differs"
    for j in 2 3; do
        "$STRIDER" "$@" -q --jobs $j "${files[@]}" > "$T/j$j" 2>/dev/null || bad "$label: --jobs $j failed"
        cmp -s "$T/one" "$T/j$j" || bad "$label: --jobs $j differs"
    done
    # the chunks' outputs in $TMPDIR files, not memfds (a set too big for memory)
    STRIDER_JOBS_MEMFD=0 "$STRIDER" "$@" -q --jobs 2 "${files[@]}" > "$T/jf" 2>/dev/null || bad "$label: --jobs 2 in files failed"
    cmp -s "$T/one" "$T/jf" || bad "$label: --jobs 2 with its chunks in files differs"
    echo "ok $label: $n files, $(wc -l < "$T/one") lines"
}


C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/hassh/corelight/testing/Traces/ssh_zeek_test_pcaps.pcap" 150 "$T/hassh"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
cut "$C/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap" 6 "$T/sess"
cut "$C/zeek/testing/btest/Traces/ssh/ssh.client-side-half-duplex.pcap" 60 "$T/half"
mkdir -p "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot"
# thousands of connections: the merge makes its output in pieces, in parallel
mkdir -p "$T/many" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/many" --many 5000

for d in hassh guess sess half rot; do
    same "$d conns" "$T/$d" conns --json
done
for d in hassh guess half; do
    same "$d ssh" "$T/$d" ssh --json
done
same "rot conns idle 30" "$T/rot" conns --json --idle-timeout 30
same "rot conns -R" "$T/rot" conns --json -R
same "many conns" "$T/many" conns --json

# merge reads a regular file in place; a pipe, or a file whose last line
# has no newline, is read into memory: the same output
m=("$T/many"/*.pcap)
"$STRIDER" conns --json -q "${m[@]}" > "$T/one"
"$STRIDER" conns --json -q --own 0:2 "${m[@]}" > "$T/p0"
"$STRIDER" conns --json -q --own 3:$((${#m[@]} - 1)) "${m[@]}" > "$T/p1"
"$STRIDER" merge <(cat "$T/p0") <(cat "$T/p1") > "$T/pm" || bad "merge from pipes failed"
cmp -s "$T/one" "$T/pm" || bad "merge from pipes differs from one run"
head -c -1 "$T/p1" > "$T/p1n" && [ "$(tail -c 1 "$T/p1n")" != "" ] || bad "could not strip the last newline"
"$STRIDER" merge "$T/p0" "$T/p1n" > "$T/pn" || bad "merge of a file without its last newline failed"
cmp -s "$T/one" "$T/pn" || bad "merge of a file without its last newline differs from one run"
# the merged lines go out by writev, a short write resumed: through a pipe
# the same bytes; a write that fails (past a file size limit, with
# SIGXFSZ ignored: EFBIG) fails the merge, said, exit 1
"$STRIDER" merge "$T/p0" "$T/p1" | cat > "$T/pp" && cmp -s "$T/one" "$T/pp" || bad "merge through a pipe differs"
lim=$(($(wc -c < "$T/one") / 2048)) # KB: half of the output
(trap '' XFSZ; ulimit -f "$lim"; exec "$STRIDER" merge "$T/p0" "$T/p1" > "$T/pf" 2> "$T/pf.err")
rc=$?
[ $rc = 1 ] && grep -q "cannot write the output" "$T/pf.err" || bad "merge past a file size limit: exit $rc, want 1"
# the first chunk's lines that no later chunk can change are copied as one
# block when they are one (each connection's lines in turn, as a chunk
# writes them); an empty line among them makes them not one: they are
# then rewritten line by line, and the output is the same
sed '1G' "$T/p0" > "$T/p0e"
[ "$(sed -n 2p "$T/p0e")" = "" ] || bad "could not put an empty line in"
"$STRIDER" merge "$T/p0e" "$T/p1" > "$T/pe" || bad "merge with an empty line failed"
cmp -s "$T/one" "$T/pe" || bad "merge with an empty line among the first chunk's lines differs from one run"

# the brute force spread over the chunks is found once, whole
"$STRIDER" ssh --json -q --jobs 3 "$T/guess"/*.pcap > "$T/g3"
grep -q '"kind":"brute_force".*"connections":11,' "$T/g3" || bad "brute force over chunks not counted whole"

# a connection longer than the read-ahead is cut there, marked, and
# counted; what comes after the limit is a mid-stream connection of the
# later chunk (nothing is lost). Those alive at the limit with nothing
# more to come are marked too: the chunk cannot know.
"$STRIDER" conns --json -q --jobs 3 --read-ahead 60 "$T/rot"/*.pcap > "$T/ra" 2> "$T/ra.err"
"$STRIDER" conns --json -q "$T/rot"/*.pcap > "$T/ra1"
grep -q '"id.orig_p":44000.*"orig_pkts":3,.*"readahead_cut":true' "$T/ra" || bad "L not cut and marked"
grep -q '"id.orig_p":44000.*"orig_pkts":1,.*"midstream":true' "$T/ra" || bad "L's tail not a connection of its own"
grep -q '"id.orig_p":44000.*"orig_pkts":4,' "$T/ra1" || bad "L not whole in one run"
grep -q '"id.orig_p":5002[0-9].*readahead_cut' "$T/ra" && bad "a short connection marked cut"
[ "$(wc -l < "$T/ra")" = "$(($(wc -l < "$T/ra1") + 1))" ] || bad "connections lost or doubled at the read-ahead limit"
grep -q "cut at the read-ahead limit" "$T/ra.err" || bad "no note of the cut on stderr"

# bad values exit 2 with a message; a missing chunk fails the merge
f=("$T/rot"/*.pcap)
for args in "--own 3:1" "--own x" "--own 0:9" "--own -1:2" "--read-ahead 0" "--read-ahead 5x" "--read-ahead=-3" \
    "--jobs 0" "--jobs 9999" "--own 0:1 --jobs 2"; do
    "$STRIDER" conns --json $args "${f[@]}" > /dev/null 2> "$T/err"
    rc=$?
    [ $rc = 2 ] && [ -s "$T/err" ] || bad "conns $args: exit $rc, want 2 with a message"
done
# a --jobs run stopped (here by a signal, while a worker waits on a FIFO
# given as a capture file) leaves no chunk output in TMPDIR and no worker
# behind (one would still be waiting to read the FIFO)
mkdir -p "$T/tmpd" "$T/ff"
cp "$T/guess/$(ls "$T/guess" | head -1)" "$T/ff/a.pcap" && mkfifo "$T/ff/b.pcap"
TMPDIR=$T/tmpd "$STRIDER" conns --json -q --jobs 2 "$T/ff/a.pcap" "$T/ff/b.pcap" > /dev/null 2>&1 &
p=$!
sleep 1
kill -TERM $p
wait $p
sleep 0.5
[ -z "$(ls -A "$T/tmpd")" ] || bad "a stopped --jobs run left files in TMPDIR: $(ls "$T/tmpd")"
timeout 2 sh -c "exec 3> '$T/ff/b.pcap'" && bad "a worker outlived its stopped --jobs run"
# a set that fits in memory has its chunks' outputs in memfds: no file
# system needed (TMPDIR names none); with STRIDER_JOBS_MEMFD=0 they go to
# TMPDIR, whose absence then fails the run (exit 1, said)
TMPDIR=$T/none "$STRIDER" conns --json -q --jobs 2 "${f[@]}" > "$T/jm" 2> "$T/err" || bad "--jobs 2 needed TMPDIR: $(cat "$T/err")"
"$STRIDER" conns --json -q "${f[@]}" > "$T/one"
cmp -s "$T/one" "$T/jm" || bad "--jobs 2 with its chunks in memfds differs"
STRIDER_JOBS_MEMFD=0 TMPDIR=$T/none "$STRIDER" conns --json -q --jobs 2 "${f[@]}" > /dev/null 2> "$T/err"
rc=$?
[ $rc = 1 ] && grep -q "cannot make a file in $T/none" "$T/err" || bad "STRIDER_JOBS_MEMFD=0 without a TMPDIR: exit $rc"

# what merge cannot make exactly one run's output from is refused, never
# printed differently: summary --host (t_own_summary.sh has the rest), the
# ssh text and HTML reports (t_own_formats.sh has CSV and the conns table)
for args in "summary --host 10.0.0.1 --jobs 2" "ssh --jobs 2" "ssh --report $T/r.html --json --jobs 2"; do
    "$STRIDER" $args "${f[@]}" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 2 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "$args: exit $rc, want 2 with a message and no output"
done
"$STRIDER" ssh --own 0:1 "${f[@]}" > /dev/null 2>&1; [ $? = 2 ] || bad "ssh --own without --json accepted"
"$STRIDER" conns --json --sort stream --jobs 2 "${f[@]}" > /dev/null 2>&1; [ $? = 2 ] || bad "--sort with --jobs accepted"
"$STRIDER" conns --json --where open_at_end=0 --jobs 2 "${f[@]}" > /dev/null 2>&1; [ $? = 2 ] ||
    bad "--where on open_at_end with --jobs accepted"
"$STRIDER" conns --json -q --own 0:1 "${f[@]}" > "$T/a"
"$STRIDER" conns --json -q --own 3:5 "${f[@]}" > "$T/b"
"$STRIDER" merge "$T/a" "$T/b" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q "file 2 is in no chunk" "$T/err" ||
    bad "merge with a missing chunk did not fail"
"$STRIDER" merge "$T/one" > /dev/null 2>&1; [ $? = 1 ] || bad "merge of a plain output did not fail"

# hostile chunk outputs: refused with a message (exit 1), never a crash
"$STRIDER" conns --json -q --own 0:5 "${f[@]}" > "$T/whole"
head -c $(($(wc -c < "$T/whole") / 2)) "$T/whole" > "$T/trunc"
head -c 3000 /dev/urandom > "$T/rand"
printf '{"_own":"chunk","first":0,"last":4294967295,"frames":[1]}\n' > "$T/huge"
printf '{"_own":"chunk","first":3,"last":1,"frames":[]}\n' > "$T/inv"
printf '{"_own":"conn","uid":"x","oh":"zz"}\n{"_own":"chunk","first":0,"last":0,"frames":[1]}\n' > "$T/badrec"
printf '{"_own":"chunk","first":0,"last":0,"cut":0,"tmin":0,"tmax":0,"overlap":0,"frames":[1' > "$T/unterm"
for h in trunc rand huge inv badrec unterm; do
    "$STRIDER" merge "$T/$h" > /dev/null 2> "$T/err"
    rc=$?
    [ $rc = 1 ] && [ -s "$T/err" ] || bad "merge of a $h chunk output: exit $rc, want 1 with a message"
done
sed 's/"uid":"C[A-Za-z0-9]*"/"uid":"Cnotaconnection000"/' "$T/whole" > "$T/orphan"
"$STRIDER" merge "$T/orphan" > "$T/orphan.out" 2> /dev/null || bad "merge of lines whose uid is no record's failed"

[ $fails = 0 ] || die "$fails checks failed"
echo "all outputs identical"
