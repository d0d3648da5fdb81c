#!/usr/bin/env bash
# dist/strider-dask against a scheduler and two workers started here on
# 127.0.0.1: its stdout is byte-identical to one strider run (conns --json,
# ssh --json), and so is extract's directory (diff -r), over rotated files
# with connections across chunks and a brute force spread over many chunks;
# a chunk that fails twice fails the run. Also the driver's own behaviour:
# file names as strider names them (a directory given with a trailing '/'),
# relative names run from another directory than the workers', usage errors
# exit 2, an unreachable scheduler exits 1 with one line, --verbose's
# timeline, chunk outputs in /dev/shm, removed after a failure or a SIGTERM.
set -u
. "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3 # Debian's python3-distributed lives in the system python
"$PY" -c "import distributed" 2> /dev/null || skip "python3-distributed cannot be imported"
command -v dask-scheduler > /dev/null && command -v dask-worker > /dev/null || skip "no dask-scheduler/dask-worker"
command -v editcap > /dev/null || skip "no editcap"
[ -d "$SHARED/captures" ] || skip "no shared captures"
T=$(mktemp -d)
pids=()
stop() {
    for p in "${pids[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2> /dev/null; done
    rm -rf "$T"
}
trap stop EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }

cd "$T" || exit 1
export DASK_DISTRIBUTED__WORKER__DAEMON=False
dask-scheduler --host 127.0.0.1 --port 0 --no-dashboard --scheduler-file "$T/sched.json" > "$T/sched.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -s "$T/sched.json" ] && break; sleep 0.2; done
[ -s "$T/sched.json" ] || die "the scheduler did not start: $(tail -3 "$T/sched.log")"
ADDR=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['address'])" "$T/sched.json")
for w in 1 2; do
    dask-worker --scheduler-file "$T/sched.json" --nworkers 1 --nthreads 1 --no-dashboard \
        --host 127.0.0.1 --local-directory "$T/w$w" > "$T/worker$w.log" 2>&1 &
    pids+=($!)
done
"$PY" - "$ADDR" <<'PYEOF' || die "the workers did not join"
import sys
from distributed import Client
c = Client(sys.argv[1], timeout="30s")
c.wait_for_workers(2, timeout=60)
c.close()
PYEOF

mkdir hassh guess rot
editcap -c 150 "$SHARED/captures/hassh/corelight/testing/Traces/ssh_zeek_test_pcaps.pcap" hassh/p.pcap > /dev/null
editcap -c 40 "$SHARED/captures/zeek/testing/btest/Traces/ssh/sshguess.pcap" guess/p.pcap > /dev/null
python3 "$REPO/tests/multi/gen_rotated.py" rot
D=$REPO/dist/strider-dask
for set in "hassh conns --json" "hassh ssh --json" "guess ssh --json" "rot conns --json" "rot conns --json --idle-timeout 30"; do
    read -r dir cmd opts <<< "$set"
    "$STRIDER" $cmd $opts -q "$dir" > one
    [ -s one ] || bad "$set: one run printed nothing"
    for cf in 1 3; do
        "$D" --scheduler "$ADDR" --chunk-files $cf --strider "$STRIDER" -- $cmd $opts "$dir" > dask 2> dask.err ||
            { bad "$set --chunk-files $cf: driver failed: $(tail -3 dask.err)"; continue; }
        cmp -s one dask || { bad "$set --chunk-files $cf: differs from one run"; diff one dask | head -4; }
        grep -q "chunks done" dask.err || bad "$set: no progress on stderr"
        [ "$dir $cmd" = "guess ssh" ] && cp dask guess.out
    done
    echo "ok $set"
done
grep -q '"kind":"brute_force".*"connections":11,' guess.out || bad "the brute force over chunks not found whole"

# extract -o DIR: the chunks' directories beside DIR, merged into it, removed
for dir in rot guess; do
    "$STRIDER" extract -q -o "x1-$dir" "$dir"
    "$D" --scheduler "$ADDR" --chunk-files 2 --strider "$STRIDER" -- extract -o "xd-$dir" "$dir" > /dev/null 2> xd.err ||
        bad "extract $dir: driver failed: $(tail -3 xd.err)"
    diff -r "x1-$dir" "xd-$dir" > /dev/null || bad "extract $dir: the directory differs from one run's"
    ls -d xd-"$dir".strider-chunk* > /dev/null 2>&1 && bad "extract $dir: chunk directories left"
    echo "ok extract $dir"
done

# without --chunk-files: one chunk per worker thread (two here), cut by bytes
"$STRIDER" conns --json -q rot > one
[ -s one ] || bad "default chunks: one run printed nothing"
"$D" --scheduler "$ADDR" --strider "$STRIDER" -- conns --json rot > dask 2> dask.err || bad "default chunks: driver failed"
cmp -s one dask || bad "default chunks: differs from one run"
grep -q ' 2/2 chunks done' dask.err || bad "default chunks: not one per worker: $(tail -1 dask.err)"
# ... the first a tenth smaller, its early part written by the merge while
# the others run (--jobs cuts its first chunk bigger, its first worker
# writing that part itself): 100 equal files in 2 chunks are 0..47 and 48..99, in 3 0..31, 32..65, 66..99)
plan=$("$PY" -c 'import sys, importlib.machinery as m
d = m.SourceFileLoader("d", sys.argv[1]).load_module()
print(d.chunks_by_size([7] * 100, 2), d.chunks_by_size([7] * 100, 3), d.chunks_by_size([7] * 3, 5))' "$D")
[ "$plan" = "[(0, 47), (48, 99)] [(0, 31), (32, 65), (66, 99)] [(0, 0), (1, 1), (2, 2)]" ] ||
    bad "default chunks: not cut a tenth smaller first: $plan"

# where the chunk outputs go: a directory given (--workdir, then emptied),
# a temporary one here when every worker is on this host (the default), or
# back through Dask (--no-workdir); the output is the same each way
printf '#!/bin/sh\ncase "$*" in *--own*) w=$(readlink /proc/$$/fd/1); echo "$w" >> "%s/where";; esac\nexec "%s" "$@"\n' "$T" "$STRIDER" > where.sh
chmod +x where.sh
"$STRIDER" conns --json -q rot > one
mkdir wd
# workers on this host write to memory when /dev/shm has room (it has for
# these few MB), else to the temporary directory
SHM=/dev/shm
[ -d /dev/shm ] && [ -w /dev/shm ] || SHM=${TMPDIR:-/tmp}
for how in "--workdir $T/wd" "" "--no-workdir"; do
    : > where
    "$D" --scheduler "$ADDR" --chunk-files 3 --strider "$T/where.sh" $how -- conns --json rot > dask 2> dask.err ||
        { bad "outputs ${how:-default}: driver failed: $(tail -3 dask.err)"; continue; }
    cmp -s one dask || bad "outputs ${how:-default}: differs from one run"
    case $how in
    --workdir*) want="$T/wd/strider-dask-*/chunk-*" ;;
    "") want="$SHM/strider-dask-*/chunk-*" ;;
    *) want="pipe:*" ;;
    esac
    [ -s where ] || bad "outputs ${how:-default}: no chunk ran"
    while read -r w; do
        # shellcheck disable=SC2254
        case $w in $want) ;; *) bad "outputs ${how:-default}: a chunk wrote to $w, not $want"; break ;; esac
    done < where
done
[ -z "$(ls wd)" ] || bad "--workdir: chunk outputs left in it"
echo "ok chunk outputs: --workdir, local, through Dask"

# conns and ssh: each chunk numbers its frames from the records of the
# files before it (--own-frame-base, counted by a task per chunk with
# strider reccount), so that the merge renumbers none; a count that
# cannot be made (reccount fails) leaves the chunks after it without one,
# the same output
printf '#!/bin/sh\ncase "$*" in *--own*) echo "$*" >> "%s/args";; esac\n[ "$1" = reccount ] && [ -e "%s/nocount" ] && exit 1\nexec "%s" "$@"\n' "$T" "$T" "$STRIDER" > args.sh
chmod +x args.sh
"$STRIDER" ssh --json -q guess > one
for nocount in "" 1; do
    : > args
    rm -f nocount && [ -n "$nocount" ] && : > nocount
    "$D" --scheduler "$ADDR" --chunk-files 3 --strider "$T/args.sh" -- ssh --json guess > dask 2> dask.err ||
        { bad "frame base${nocount:+ (no count)}: driver failed: $(tail -3 dask.err)"; continue; }
    cmp -s one dask || bad "frame base${nocount:+ (no count)}: differs from one run"
    set -- guess/*.pcap
    [ $# -gt 6 ] && [ "$(wc -l < args)" = $((($# + 2) / 3)) ] || bad "frame base: not one chunk per 3 of $# files"
    while read -r line; do
        first=$(echo "$line" | sed -n 's/.*--own \([0-9]*\):.*/\1/p')
        base=$(echo "$line" | sed -n 's/.*--own-frame-base \([0-9]*\) .*/\1/p')
        if [ -n "$nocount" ]; then
            want=$([ "$first" = 0 ] && echo 0)
        else
            want=$(for f in "${@:1:first}"; do capinfos -c -M "$f" | awk '/Number of packets/{print $NF}'; done |
                awk '{s += $1} END {print s + 0}')
        fi
        [ "$base" = "$want" ] || bad "frame base${nocount:+ (no count)}: chunk from file $first given \"$base\", not \"$want\""
    done < args
done
rm -f nocount
echo "ok frame bases"

# a chunk that cannot run fails twice and fails the run, with its error
printf '#!/bin/sh\ncase "$*" in *"--own 2:2"*) echo "disk on fire" >&2; exit 3;; esac\nexec "%s" "$@"\n' "$STRIDER" > flaky
chmod +x flaky
"$D" --scheduler "$ADDR" --chunk-files 1 --strider "$T/flaky" --workdir "$T/wd" -- conns --json rot > out 2> err
rc=$?
[ $rc != 0 ] || bad "a failing chunk did not fail the run"
grep -q "disk on fire" err || bad "the failing chunk's error is not shown"
# the merge (--as-ready) may have written the first chunk's early part
# before the failure was known, as --jobs does: never more than one run's
# output begins with
"$STRIDER" conns --json -q rot > one
[ "$(head -c "$(wc -c < out)" one | cmp - out 2>&1)" ] && bad "a failing chunk: stdout is not a beginning of one run's"

[ "$(ls -A wd)" ] && bad "--workdir: outputs left after a failed chunk"

# extract with a failing chunk: the other chunks still running when it
# fails do not leave their directories behind
printf '#!/bin/sh\ncase "$*" in *"--own 1:1"*) echo "disk on fire" >&2; exit 3;; esac\nsleep 2\nexec "%s" "$@"\n' "$STRIDER" > slowfail
chmod +x slowfail
"$D" --scheduler "$ADDR" --chunk-files 1 --strider "$T/slowfail" -- extract -o xf rot > /dev/null 2> err && bad "extract: a failing chunk did not fail the run"
sleep 3 # the chunks running when it failed have ended
ls -d xf.strider-chunk* > /dev/null 2>&1 && bad "extract: chunk directories left after a failed chunk: $(ls -d xf.strider-chunk* | head -2)"
echo "ok failing chunks"

# file names as strider names them: a directory given with a trailing '/'
# is read as DIR//NAME (ssh's "file" names it so)
"$STRIDER" ssh --json -q hassh/ > one
grep -q '"file":"hassh//' one || bad "one run no longer names hassh//FILE (the check below needs it)"
"$D" --scheduler "$ADDR" --chunk-files 2 --strider "$STRIDER" -- ssh --json hassh/ > dask 2> dask.err
cmp -s one dask || bad "a directory with a trailing /: differs from one run: $(cmp one dask 2>&1 | head -1)"

# relative names from another directory than the workers' (started in $T)
mkdir -p away && cd away || exit 1
"$STRIDER" ssh --json -q ../hassh > one
"$D" --scheduler "$ADDR" --chunk-files 2 --strider "$STRIDER" -- ssh --json ../hassh > dask 2> dask.err ||
    bad "relative names from another directory: driver failed: $(tail -1 dask.err)"
cmp -s one dask || bad "relative names from another directory: differs from one run"
"$D" --scheduler "$ADDR" --chunk-files 2 --strider "$STRIDER" --workdir ../wd -- ssh --json ../hassh > dask 2> dask.err ||
    bad "a relative --workdir: driver failed: $(tail -1 dask.err)"
cmp -s one dask || bad "a relative --workdir: differs from one run"
[ -z "$(ls -A ../wd)" ] || bad "a relative --workdir: outputs left in it"
cd "$T" || exit 1
echo "ok file names"

# --verbose: every step of the run, in order, on stderr; stdout unchanged
"$STRIDER" conns --json -q rot > one
"$D" --scheduler "$ADDR" --chunk-files 3 --strider "$STRIDER" --verbose -- conns --json rot > dask 2> dask.err ||
    bad "--verbose: driver failed"
cmp -s one dask || bad "--verbose: stdout differs from one run"
steps=$(sed -n 's/^strider-dask: *[0-9.]* s  \(connected\|[0-9]* tasks submitted\|chunk [0-9]* (files [0-9.]*) ran on\|gathered\|merge started\|merge ended (exit 0)\|exit 0\).*/\1/p' dask.err |
    sed 's/^chunk.*/chunk/; s/^[0-9]* tasks/tasks/' | uniq | tr '\n' ,)
# the merge starts with the tasks and takes each output as its task ends
[ "$steps" = "connected,tasks submitted,merge started,chunk,gathered,merge ended (exit 0),exit 0," ] ||
    bad "--verbose: steps are \"$steps\""
n=$(sed -n 's/.*  \([0-9]*\) tasks submitted$/\1/p' dask.err)
[ "${n:-0}" -gt 1 ] && [ "$(grep -c ' ran on .* from [0-9.]* s to [0-9.]* s$' dask.err)" = "$n" ] ||
    bad "--verbose: not one line per task (${n:-?}) with its worker and times"
echo "ok --verbose"

# usage errors exit 2 with a message; an unreachable scheduler exits 1 with
# one line naming it, without a traceback
while IFS='|' read -r what args; do
    # shellcheck disable=SC2086
    "$D" $args > out 2> err
    rc=$?
    [ $rc = 2 ] || bad "usage error ($what): exit $rc, not 2"
    grep -q '^strider-dask: ' err || bad "usage error ($what): no message: $(head -1 err)"
    grep -q Traceback err && bad "usage error ($what): a traceback"
done << EOF
no --|--scheduler $ADDR
no subcommand|--scheduler $ADDR --
no files|--scheduler $ADDR --strider $STRIDER -- conns --json
standard input|--scheduler $ADDR --strider $STRIDER -- conns --json -
extract without -o|--scheduler $ADDR --strider $STRIDER -- extract rot
unknown option|--scheduler $ADDR --frobnicate -- conns rot
negative count|--scheduler $ADDR --chunk-files -1 -- conns rot
no --scheduler|--strider $STRIDER -- conns rot
no such binary|--scheduler $ADDR --strider $T/nothing -- conns rot
EOF
for addr in tcp://127.0.0.1:1 nonsense://x; do
    "$D" --scheduler "$addr" --connect-timeout 2 --strider "$STRIDER" -- conns --json rot > out 2> err
    rc=$?
    [ $rc = 1 ] || bad "scheduler $addr: exit $rc, not 1"
    [ "$(wc -l < err)" = 1 ] && grep -q "strider-dask: cannot reach the Dask scheduler at $addr" err ||
        bad "scheduler $addr: not one line naming it: $(head -3 err)"
done
# without python3-distributed (-S: no site directories, so no dist-packages)
"$PY" -S "$D" --scheduler "$ADDR" --strider "$STRIDER" -- conns --json rot > out 2> err
rc=$?
[ $rc = 1 ] && [ "$(wc -l < err)" = 1 ] && grep -q "strider-dask: cannot import Dask's distributed" err ||
    bad "without distributed: exit $rc, not 1 with one line: $(head -3 err)"
echo "ok exit status"

# SIGTERM while the chunks run: the chunk outputs are removed
printf '#!/bin/sh\nsleep 2\nexec "%s" "$@"\n' "$STRIDER" > slow
chmod +x slow
mkdir wt
"$D" --scheduler "$ADDR" --chunk-files 3 --strider "$T/slow" --workdir "$T/wt" --verbose -- conns --json rot > out 2> err &
drv=$!
for _ in $(seq 100); do grep -q 'tasks submitted' err && break; sleep 0.1; done
kill -TERM $drv
wait $drv
rc=$?
[ $rc != 0 ] || bad "SIGTERM: the driver exited 0"
[ -z "$(ls -A wt)" ] || bad "SIGTERM: chunk outputs left: $(ls -A wt)"
sleep 2.5 # the tasks end; workers must be idle for what follows
echo "ok SIGTERM"

[ $fails = 0 ] || die "$fails checks failed"
echo "dask outputs identical"
