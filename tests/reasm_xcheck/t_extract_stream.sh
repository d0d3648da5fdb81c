#!/usr/bin/env bash
# strider extract, output as sessions end: the index has a line for every
# ended session while the run goes on and after it is interrupted;
# --flows-only writes exactly tcpflow's per-direction files; a symlink in
# the output directory is never followed; bad option values exit 2 with one
# line naming the option.
set -u
here=$(cd "$(dirname "$0")" && pwd)
C=$SHARED/captures
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
fail=0 n=0
ok() { n=$((n+1)); if ! eval "$2"; then echo "FAIL: $1"; fail=$((fail+1)); fi; }

# -- streaming: 4 sessions 100 s apart fed through a pipe that stays open;
# the first 3 have ended (closed + 30 s linger) when the 4th starts
if /usr/bin/python3 "$here/mkends.py" "$w/ends.pcap" 4 2>/dev/null; then
    mkfifo "$w/fifo"
    { cat "$w/ends.pcap"; sleep 10; } >"$w/fifo" &
    feeder=$!
    "$STRIDER" extract -q -o "$w/s" - <"$w/fifo" &
    pid=$!
    for _ in $(seq 80); do [ "$(cat "$w/s/index.jsonl" 2>/dev/null | wc -l)" -ge 3 ] && break; sleep 0.1; done
    ok "index line per ended session while running" '[ "$(wc -l <"$w/s/index.jsonl")" -eq 3 ]'
    # SIGKILL: nothing at all can be flushed at exit (a background job of a
    # script ignores SIGINT)
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
    ok "interrupted: complete lines, their files complete" '/usr/bin/python3 -c "
import json, os, sys
d = sys.argv[1]
lines = open(d + \"/index.jsonl\").read().split(\"\n\")
assert lines[-1] == \"\" and len(lines) == 4, lines
for l in lines[:-1]:
    s = json.loads(l)
    for p in (\"orig_\", \"resp_\"):
        assert os.path.getsize(os.path.join(d, s[p + \"file\"])) == s[p + \"bytes\"] + s[p + \"gap_bytes\"]
    json.load(open(os.path.join(d, s[\"transcript\"])))
" "$w/s"'
else
    echo "scapy missing: streaming check skipped"
fi

# -- --flows-only: tcpflow's file set and bytes (captures where tcpflow
# 1.6.1 has none of its known defects, see allow.txt), and the same files
# as the default mode without its transcripts and index
if command -v tcpflow >/dev/null && [ -d "$C" ]; then
    for f in tcpflow/tests/test1.pcap tcpflow/tests/test2.pcap tcpflow/tests/test3.pcap \
             tcpflow/tests/bug6.pcap tcpflow/tests/bug8.pcap tcpflow/tests/test5-lines-randomized2.pcap \
             tcpsession/data/test_slide_window.pcap; do
        b=$(basename "$f" .pcap)
        tcpflow -r "$C/$f" -o "$w/tf_$b" >/dev/null 2>&1
        rm -f "$w/tf_$b/report.xml"
        "$STRIDER" extract -q --flows-only -o "$w/fo_$b" "$C/$f"
        ok "--flows-only = tcpflow on $b" '[ -n "$(ls "$w/fo_$b")" ] && diff -r "$w/tf_$b" "$w/fo_$b" >/dev/null'
        "$STRIDER" extract -q -o "$w/df_$b" "$C/$f"
        rm -f "$w/df_$b"/*.json "$w/df_$b/index.jsonl"
        ok "--flows-only = default's per-direction files on $b" 'diff -r "$w/df_$b" "$w/fo_$b" >/dev/null'
    done
else
    echo "tcpflow or captures missing: --flows-only comparison skipped"
fi

# -- symlinks planted in the output directory (with --force): not followed;
# the planted name is unlinked and the output made in its place, the
# target is untouched
if [ -d "$C" ]; then
    T2=$C/tcpflow/tests/test2.pcap
    mkdir "$w/l"
    echo precious >"$w/target"
    ln -s "$w/target" "$w/l/010.000.000.001.09999-010.000.000.002.36559--42"
    "$STRIDER" extract -q --force -o "$w/l" "$T2" 2>"$w/l.err"; rc=$?
    ok "symlinked output file not followed" '[ $rc -eq 0 ] && [ "$(cat "$w/target")" = precious ] && [ -f "$w/l/010.000.000.001.09999-010.000.000.002.36559--42" ] && [ ! -L "$w/l/010.000.000.001.09999-010.000.000.002.36559--42" ]'
    ok "the other files still written" '[ -s "$w/l/010.000.000.002.36559-010.000.000.001.09999--42" ]'
    mkdir "$w/l2"
    ln -s "$w/target" "$w/l2/index.jsonl"
    "$STRIDER" extract -q --force -o "$w/l2" "$T2" 2>/dev/null; rc=$?
    ok "symlinked index not followed" '[ $rc -eq 0 ] && [ "$(cat "$w/target")" = precious ] && [ ! -L "$w/l2/index.jsonl" ] && [ -s "$w/l2/index.jsonl" ]'
    ln -sf "$w/target" "$w/l/010.000.000.001.09999-010.000.000.002.36559--42"
    "$STRIDER" extract -q --force --flows-only -o "$w/l" "$T2" 2>/dev/null; rc=$?
    ok "symlink not followed with --flows-only" '[ $rc -eq 0 ] && [ "$(cat "$w/target")" = precious ] && [ ! -L "$w/l/010.000.000.001.09999-010.000.000.002.36559--42" ]'
fi

# -- option values: exit 2, one line naming the option, nothing written
bad() { # option words...; the option's name must be in the message
    local name=$1
    "$STRIDER" extract -o "$w/bad" "$@" /dev/null 2>"$w/bad.err"
    local rc=$?
    [ $rc -eq 2 ] && [ "$(wc -l <"$w/bad.err")" -eq 1 ] && grep -q -- "${name%%=*}" "$w/bad.err" && [ ! -e "$w/bad" ]
}
for args in "--max-open 3" "--max-open 65537" "--max-open 10x" "--buffer -1" "--buffer 0" \
            "--stream-cap +5" "--memcap 0" "--memcap 99999999999999999999" \
            "--json-inline 1Q" "--json-payload-max 4k4" "--overlap middle"; do
    # shellcheck disable=SC2086 # word lists
    ok "bad value: $args" "bad $args"
done
ok "bad value: --stream-cap ' 5'" 'bad --stream-cap " 5"'
ok "--flows-only with a transcript option" '"$STRIDER" extract --flows-only --json-inline 10 -o "$w/bad" /dev/null 2>/dev/null; [ $? -eq 2 ] && [ ! -e "$w/bad" ]'
echo "$((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
