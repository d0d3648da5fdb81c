#!/usr/bin/env bash
# The hostile-capture suite (issue #14 item 10): captures made at test time
# (tests/hostile/gen.py, bench/gencap, tests/campaign/mkscan.py, mkcap.py)
# that attack strider's memory, disk, terminal and results, and every
# command on each, under a memory limit: the sanitized build (make asan)
# with ASan's hard_rss_limit_mb/malloc_limit_mb (ulimit -v does not work
# with ASan's shadow memory), the plain build under prlimit --as. Each run
# must exit as expected, print no sanitizer report, say the expected
# messages on stderr (caps, drops, warnings counted and named) and report
# the expected findings. Sizes are for CI (tests/hostile/README.md says why);
# HOSTILE_SCALE=N multiplies the floods.
set -u
. "$(dirname "$0")/../lib.sh"
command -v python3 > /dev/null || skip "no python3"
GENCAP=$REPO/$BUILD/bench/gencap
[ -x "$GENCAP" ] || skip "no $GENCAP (make all builds it)"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
scale=${HOSTILE_SCALE:-1}
SYNS=$((40000 * scale)) MAXFLOWS=4000
# memory limits: ASan's own RSS limit (its shadow needs terabytes of
# address space), the plain build's address space
ASAN_MB=${HOSTILE_ASAN_MB:-1200}
PLAIN_AS_MB=${HOSTILE_AS_MB:-1024}

c=$w/cap
mkdir -p "$c"
python3 "$REPO/tests/hostile/gen.py" all "$c" "$scale" || die "gen.py"
python3 "$REPO/tests/hostile/mkcap.py" pcapng-future "$c/future.pcapng" || die "mkcap"
python3 "$REPO/tests/campaign/mkscan.py" "$c/scan.pcap" 40 1 || die "mkscan"
"$GENCAP" --scan "$SYNS" -o "$c/synflood.pcap" 2> /dev/null || die "gencap --scan"
"$GENCAP" --brute 1000 -o "$c/brute.pcap" 2> /dev/null || die "gencap --brute"

bad=0 runs=0
fail() { echo "FAIL $*"; bad=$((bad + 1)); }

# run NAME LABEL ALLOWED-EXIT-CODES strider-args...: out in $w/out, $w/err
run() {
    local name=$1 label=$2 allowed=$3
    shift 3
    runs=$((runs + 1))
    if [ "${STRIDER_SANITIZED:-0}" = 1 ]; then
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$ASAN_MB:malloc_limit_mb=$ASAN_MB" \
            timeout 300 "$STRIDER" "$@" > "$w/out" 2> "$w/err"
    else
        timeout 300 prlimit --as=$((PLAIN_AS_MB << 20)) -- "$STRIDER" "$@" > "$w/out" 2> "$w/err"
    fi
    local rc=$?
    if ! [[ " $allowed " == *" $rc "* ]]; then
        fail "$name $label: exit $rc (want $allowed)"
        head -n 8 "$w/err" | cut -c1-300
    elif grep -qE 'Sanitizer|runtime error|out of memory|cannot allocate' "$w/err"; then
        fail "$name $label: sanitizer or memory report"
        grep -E -m3 'Sanitizer|runtime error|memory|allocate' "$w/err"
    fi
}
# want NAME LABEL FILE ERE: the file matches
want() {
    grep -qE -- "$4" "$3" || { fail "$1 $2: no /$4/ in $(basename "$3"): $(head -c 300 "$3")"; }
}

# Every command on capture $1 (file name without directory); after each
# run, check_$name (if defined) sees $w/out and $w/err with the label.
every_command() {
    local name=${1%%.*} f=$c/$1
    shift
    local -a o=("$@") # options for every command (e.g. --max-flows)
    local chk=check_$name
    declare -F "$chk" > /dev/null || chk=:
    run "$name" conns 0 conns "${o[@]}" "$f"; $chk conns
    run "$name" conns-json 0 conns --json "${o[@]}" "$f"; $chk conns-json
    run "$name" conns-R 0 conns -R --json "${o[@]}" "$f"; $chk conns-R
    run "$name" packets "0 1" packets --stream 0 "${o[@]}" "$f"; $chk packets
    run "$name" packets-json "0 1" packets --json --stream 0 "${o[@]}" "$f"; $chk packets-json
    run "$name" follow "0 1" follow --stream 0 "${o[@]}" "$f"; $chk follow
    run "$name" follow-json "0 1" follow --json --stream 0 "${o[@]}" "$f"; $chk follow-json
    rm -rf "$w/x"
    run "$name" extract 0 extract -o "$w/x" "${o[@]}" "$f"; $chk extract
    run "$name" ssh 0 ssh "${o[@]}" "$f"; $chk ssh
    run "$name" ssh-m 0 ssh -m "${o[@]}" "$f"; $chk ssh-m
    run "$name" ssh-json 0 ssh --json "${o[@]}" "$f"; $chk ssh-json
    run "$name" ssh-csv 0 ssh --csv "${o[@]}" "$f"; $chk ssh-csv
    rm -rf "$w/o"
    run "$name" ssh-report 0 ssh -o "$w/o" -p "${o[@]}" "$f"; $chk ssh-report
    run "$name" summary 0 summary "${o[@]}" "$f"; $chk summary
    run "$name" summary-json 0 summary --json "${o[@]}" "$f"; $chk summary-json
}

. "$REPO/tests/hostile/expect.sh"

t0=$SECONDS
for cap in longbanner.pcap timeback.pcap future.pcapng escapes.pcap seqjump.pcap frags.pcap retrans.pcap \
           bignames.pcap tinyrecs.pcap scan.pcap brute.pcap; do
    t=$SECONDS
    every_command "$cap"
    echo "ok-ish $cap ($((SECONDS - t)) s)"
done
t=$SECONDS
every_command synflood.pcap --max-flows "$MAXFLOWS"
echo "ok-ish synflood.pcap, $SYNS SYNs, --max-flows $MAXFLOWS ($((SECONDS - t)) s)"
echo "$runs runs in $((SECONDS - t0)) s, $bad failures"
[ $bad -eq 0 ]
