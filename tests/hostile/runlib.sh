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

# the HASSH (and hasshServer) of genfmt.py's KEX, the KEXINIT the rounds'
# sessions send
K=e97d07603350d1111ec2b64bf25413c9
# port_line PORT ERE: what ERE matches in the last run's output lines of
# client port PORT, on one line (a failure's words)
port_line() { grep "\"id.orig_p\":$1," "$w/out" | grep -o "$2" | tr '\n' ' '; }

# real FILE RECORDS PORT...: `ssh --json` on FILE; every PORT's session
# must show the real banners (OpenSSH's) and HASSHes and RECORDS encrypted
# records each way, and no output the attacker's EVIL bytes (rounds 27, 29)
real() {
    local f=$1 n=$2 p
    shift 2
    run "$f" 0 ssh --json
    for p in "$@"; do
        grep -q "\"id.orig_p\":$p,.*\"client\":\"SSH-2.0-OpenSSH_9.6\",\"server\":\"SSH-2.0-OpenSSH_9.6\".*\"hassh\":\"$K\".*\"hasshServer\":\"$K\".*\"client_enc_records\":$n,.*\"server_enc_records\":$n," "$w/out" ||
            fail "$f $p: $(port_line "$p" '"client":"[^"]*"\|"server":"[^"]*"\|"hassh":"[^"]*"\|"[a-z]*_enc_records":[0-9]*')"
    done
    ! grep -q 'EVIL' "$w/out" || fail "$f: the attacker's bytes read: $(grep -o '"[a-z]*":"SSH-2.0-EVIL[^"]*"' "$w/out" | head -2)"
}

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

# field NAME: every `"NAME":value` member of the last run's output, on one
# line (what a failure message shows)
field() { grep -oE "\"$1\":[^,]*" "$w/out" | tr '\n' ' '; }

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

# jobs_two ERE: conns --json and ssh --json on every capture of $c in one
# run and through --jobs 2: the same number of records, and ERE in the
# --jobs run's stderr
jobs_two() {
    local cmd one two
    for cmd in "conns --json" "ssh --json"; do
        # shellcheck disable=SC2086 # cmd is words
        one=$("$STRIDER" $cmd "$c" 2> /dev/null | grep -c '"uid"')
        # shellcheck disable=SC2086
        two=$("$STRIDER" $cmd --jobs 2 "$c" 2> "$w/err" | grep -c '"uid"')
        runs=$((runs + 2))
        [ "$one" = "$two" ] || fail "$cmd --jobs 2: $two records, one run $one"
        grep -qE -- "$1" "$w/err" || fail "$cmd --jobs 2: no /$1/ in stderr: $(head -2 "$w/err")"
    done
}

# rss FILE strider-args...: peak RSS in KB (of the plain build: ASan's
# shadow and quarantine are not the program's), the least of RSS_RUNS runs
# (3): the SSH writer thread may lag the analysis by up to its ring of
# connections (src/out/sd_outq.h) when the machine is loaded, a bounded
# amount one run has and the next has not (CI saw 60 then 66 MB for the same
# bounded command); memory that grows with the input grows in every run, so
# the least still shows it.
rss() {
    local f=$1 i least=
    shift
    for i in $(seq "${RSS_RUNS:-3}"); do
        /usr/bin/time -f %M -o "$w/rss" "$STRIDER" "$@" "$f" > /dev/null 2>&1
        if [ -z "$least" ] || [ "$(cat "$w/rss")" -lt "$least" ]; then least=$(cat "$w/rss"); fi
    done
    echo "$least"
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

# no C0 control but TAB/LF/CR, no DEL, no 8-bit CSI, no raw U+2028/U+2029
# (line and paragraph separators: Python's splitlines() ends a line there)
RAW='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b]|\xe2\x80[\xa8\xa9]'
json_lines() {
    python3 -c '
import json, math, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    def chk(v):
        if isinstance(v, float) and not math.isfinite(v):
            sys.exit("line %d: %r" % (n, v))
        for x in (v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()):
            chk(x)
    chk(json.loads(line))' "$1"
}

# safe_every: every command and output format on every capture: no raw
# control byte in any stdout, stderr, ssh -o file or extract index; no
# negative, NaN or infinite time; no CSV cell starting a formula; every
# JSON line parsed; no markup from the capture in report.html
safe_every() {
    local p f args g e
    for p in "$c"/*; do
        f=$(basename "$p")
        for args in "conns" "ssh" "ssh -m" "summary" "packets --stream 0" "conns --csv" "ssh --csv" "ssh -m --csv" \
            "conns -R --json" "ssh --json" "ssh -m --json" "summary --json" "packets --json --stream 0"; do
            # shellcheck disable=SC2086 # args are words
            run "$f" "0 1" $args
            ! LC_ALL=C grep -qaP -- "$RAW" "$w/out" "$w/err" || fail "$f $args: a raw control byte"
            grep -qw -- '"ts":-\|nan\|inf\|-nan\|-inf' "$w/out" && fail "$f $args: a negative, NaN or infinite time"
            case $args in
                *--csv) e=$(csv_formula "$w/out" 2>&1) || fail "$f $args: $e";;
                *--json) e=$(json_lines "$w/out" 2>&1) || fail "$f $args: $e";;
            esac
        done
        rm -rf "$w/o" "$w/x"
        run "$f" "0 1" ssh -o "$w/o" -p
        for g in "$w"/o/*; do
            ! LC_ALL=C grep -qaP -- "$RAW" "$g" || fail "$f ssh -o: a raw control byte in $(basename "$g")"
            case $g in *.csv) e=$(csv_formula "$g" 2>&1) || fail "$f ssh -o $(basename "$g"): $e";; esac
        done
        ! grep -q '<img\|<b>x' "$w/o/report.html" || fail "$f: markup from the capture in report.html"
        ! grep -q '<script>alert' "$w/o/report.html" || fail "$f: markup from the capture in report.html"
        run "$f" "0 1" extract -o "$w/x"
        ! LC_ALL=C grep -qaP -- "$RAW" "$w/x/index.jsonl" "$w/err" || fail "$f extract: a raw control byte"
        e=$(json_lines "$w/x/index.jsonl" 2>&1) || fail "$f extract index: $e"
    done
}
