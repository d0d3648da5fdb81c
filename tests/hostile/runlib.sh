# The runner t_format.sh and t_deceive.sh share, sourced after tests/lib.sh:
# $w a scratch directory (removed at exit), $c the captures' in it; run FILE
# ALLOWED-EXIT-CODES strider-args... runs strider on $c/FILE under the
# memory limit (ASan's limits under STRIDER_SANITIZED=1, `prlimit --as`
# otherwise), output in $w/out and $w/err, and counts a failure when the
# exit code is not allowed or a sanitizer or memory report shows.
command -v python3 > /dev/null || skip "no python3"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
c=$w/cap
ASAN_MB=${HOSTILE_ASAN_MB:-1200}
PLAIN_AS_MB=${HOSTILE_AS_MB:-1024}
bad=0 runs=0
fail() { echo "FAIL $*"; bad=$((bad + 1)); }

run() {
    local f=$1 allowed=$2
    shift 2
    runs=$((runs + 1))
    if [ "${STRIDER_SANITIZED:-0}" = 1 ]; then
        ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$ASAN_MB:malloc_limit_mb=$ASAN_MB" \
            timeout 120 "$STRIDER" "$@" "$c/$f" > "$w/out" 2> "$w/err"
    else
        timeout 120 prlimit --as=$((PLAIN_AS_MB << 20)) -- "$STRIDER" "$@" "$c/$f" > "$w/out" 2> "$w/err"
    fi
    local rc=$?
    if ! [[ " $allowed " == *" $rc "* ]]; then
        fail "$f $*: exit $rc (want $allowed)"; head -n 5 "$w/err" | cut -c1-300
    elif grep -qE 'Sanitizer|runtime error|out of memory|cannot allocate' "$w/err"; then
        fail "$f $*: sanitizer or memory report"; grep -E -m3 'Sanitizer|runtime error|memory' "$w/err"
    fi
}

# run_every ARGS...: each ARGS (words) on every capture, then extract and
# ssh -o -p: nothing may crash, hang or grow unbounded
run_every() {
    local p f args
    for p in "$c"/*; do
        f=$(basename "$p")
        for args in "$@"; do
            # shellcheck disable=SC2086 # args are words
            run "$f" "0 1" $args
        done
        rm -rf "$w/x" "$w/o"
        run "$f" "0 1" extract -o "$w/x"
        run "$f" "0 1" ssh -o "$w/o" -p
    done
}

# expect FILE STREAM(err|out) ERE [strider-args, default conns]: the message
# or result that must be there
expect() {
    local f=$1 s=$2 re=$3
    shift 3
    [ $# -gt 0 ] || set -- conns
    run "$f" "0 1" "$@"
    grep -qE -- "$re" "$w/$s" || fail "$f $*: no /$re/ in $s: $(head -c 400 "$w/$s")"
}

# csv_formula FILE: no cell of the CSV FILE may start a spreadsheet formula
csv_formula() {
    python3 -c '
import csv, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8", errors="replace")):
    for cell in row:
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and cell != "-":
            try:
                float(cell)
            except ValueError:
                sys.exit("formula cell %r" % cell[:60])' "$1"
}
