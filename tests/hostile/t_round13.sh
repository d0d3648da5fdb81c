#!/usr/bin/env bash
# Hostile strings, round 13 (genr13.py): every capture string a writer
# prints (SSH banners, comments and the lines before them, KEXINIT
# name-lists and the host key type, a 64 KiB banner, a 100 KB name-list,
# HTTP Host/URI/User-Agent/Server, TLS SNI, DNS names) carrying terminal
# escapes, C1, invalid and overlong UTF-8, U+2028/9, bidi and zero-width
# characters, NUL, formula starts, CSV/HTML/JSON breakers. Every command
# and output format on it, each output checked by its format (chk13.py):
# text and CSV show nothing a terminal acts on or that reorders or hides
# text, CSV reads with the header's column count and no formula cell, JSON
# parses with no lone surrogate, the HTML report and SVG plot hold no
# element or attribute from the data, extract writes only under -o (a
# symlink planted at an output name is replaced, not followed).
# main: zero-width characters (U+200B..U+200D, U+2060..U+2064, U+FEFF,
# U+00AD) came out raw in every format: "ssh-ed\u200b25519" read as the
# real host key type.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr13.py" "$c" || die "genr13.py"
f=strings.pcap
chk() { # FORMAT FILE WHAT
    local e
    e=$(python3 "$REPO/tests/hostile/chk13.py" "$1" "$2" 2>&1) || fail "$3: $e"
}

for spec in "text:conns" "text:conns -R" "json:conns -R --json" "csv:conns -R --csv" "text:ssh" "text:ssh -m" \
    "json:ssh --json" "json:ssh -m --json" "csv:ssh --csv" "csv:ssh -m --csv" "text:ssh --records" \
    "text:summary" "json:summary --json" "text:dns" "json:dns --json" "csv:dns --csv" "text:packets --stream 0" \
    "json:packets --json --stream 0" "csv:packets --csv --stream 0" "text:follow --stream 0" \
    "text:follow -x --stream 0" "json:follow -j --stream 14" "text:follow --stream 14" \
    "text:summary --host 10.7.0.1"; do
    fmt=${spec%%:*} args=${spec#*:}
    # shellcheck disable=SC2086 # args are words
    run "$f" "0 1" $args
    chk "$fmt" "$w/out" "$args (stdout)"
    chk text "$w/err" "$args (stderr)"
done

# on a terminal (colours on): no escape but strider's own SGR colours
if command -v script > /dev/null; then
    for args in "ssh" "ssh -m" "conns" "summary" "dns"; do
        TERM=xterm script -qfec "$STRIDER $args --no-progress $c/$f" /dev/null > "$w/tty" 2>&1 < /dev/null
        ! LC_ALL=C grep -qaP '\x1b(?!\[[0-9;]*m)|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]' "$w/tty" ||
            fail "$args on a terminal: a control byte not strider's colours"
        [ -s "$w/tty" ] || fail "$args on a terminal: no output"
    done
fi

# files: ssh -o -p (events, keystrokes, the HTML report) and the SVG plot
rm -rf "$w/o"
run "$f" "0 1" ssh -o "$w/o" -p
for g in "$w"/o/*; do
    case $g in
        *.csv) chk csv "$g" "ssh -o $(basename "$g")";;
        *.jsonl) chk json "$g" "ssh -o $(basename "$g")";;
        *.html) chk html "$g" "ssh -o $(basename "$g")";;
        *) chk text "$g" "ssh -o $(basename "$g")";;
    esac
done
[ -s "$w/o/report.html" ] || fail "ssh -o -p: no report.html"
run "$f" "0 1" packets --stream 1 --plot "$w/plot.svg"
[ -s "$w/plot.svg" ] && chk html "$w/plot.svg" "packets --plot"

# extract: symlinks planted where its files go (a stream's payload and its
# JSON) must not be followed; nothing outside -o
mkdir -p "$w/x" "$w/outside"
ln -s "$w/outside/payload" "$w/x/010.007.000.001.42000-010.007.000.002.00080"
ln -s "$w/outside/meta" "$w/x/010.007.000.001.42000-010.007.000.002.00080.json"
run "$f" "0 1" extract -o "$w/x" --force
[ -z "$(ls -A "$w/outside")" ] || fail "extract wrote through a symlink: $(ls "$w/outside")"
[ -z "$(find "$w/x" -type l)" ] || fail "extract left a symlink: $(find "$w/x" -type l)"
[ -z "$(find "$w/x" -mindepth 1 -type d)" ] || fail "extract made a directory: $(find "$w/x" -mindepth 1 -type d)"
chk text "$w/err" "extract (stderr)"
chk json "$w/x/index.jsonl" "extract index.jsonl"
for g in "$w"/x/*.json; do
    e=$(python3 -c 'import json, sys; json.load(open(sys.argv[1], "rb"))' "$g" 2>&1) || fail "extract $(basename "$g"): $e"
    chk text "$g" "extract $(basename "$g")"
done

# strider merge of --own chunks: the same safe bytes as one run; merge -o
# refuses a chunk index naming a path (../, absolute) instead of its file
for spec in "text:conns" "csv:conns --csv" "json:ssh --json" "csv:ssh --csv" "text:summary"; do
    fmt=${spec%%:*} args=${spec#*:}
    # shellcheck disable=SC2086 # args are words
    run "$f" 0 $args --own 0:0
    mv "$w/out" "$w/chunk"
    "$STRIDER" merge "$w/chunk" > "$w/out" 2> "$w/err" || fail "merge of $args --own: exit $?"
    chk "$fmt" "$w/out" "merge of $args --own"
done
rm -rf "$w/xc" "$w/xm"
run "$f" 0 extract --own 0:0 -o "$w/xc"
sed -i -e '1s#"orig_file":"[^"]*"#"orig_file":"../outside/up"#' \
    -e '2s#"orig_file":"[^"]*"#"orig_file":"'"$w"'/outside/abs"#' "$w/xc/index.jsonl"
"$STRIDER" merge -o "$w/xm" "$w/xc" > /dev/null 2> "$w/err" && fail "merge -o took a chunk index naming paths"
grep -q "a chunk's index names no file of its own: \.\./outside/up" "$w/err" || fail "merge -o: $(head -3 "$w/err")"
[ -z "$(ls -A "$w/outside")" ] || fail "merge -o wrote outside: $(ls "$w/outside")"

echo "round 13: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
