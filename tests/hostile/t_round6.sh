#!/usr/bin/env bash
# Hostile classes, round 6 (genr6.py): SSH records after a valid handshake
# in sizes and timings no client sends (a byte a segment, a key-sized
# record a microsecond, channel-open-sized floods, every rule's thresholds
# in turn, time leaping and going back), 20,000-40,000 handshakes never
# finished over --max-flows, banners and algorithm names with Unicode bidi
# controls, formulas, markup and invalid UTF-8, pcapng comments with
# terminal escapes, if_fcslen and options past their block, hostile output
# directories, and `strider merge` fed chunk outputs that were cut or
# edited. Every command and output format on each must exit as allowed,
# print no sanitizer report, stay under the memory limit and write no raw
# control byte, CSV formula, markup or non-finite time (runlib.sh); then
# each case's result (genr6.py's docstrings).
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr6.py" "$c" || die "genr6.py"

run_every "conns" "conns -R --json" "conns --csv" "packets --stream 0" "packets --json --stream 1" "follow --stream 0" \
    "follow --json --stream 0" "ssh" "ssh -m" "ssh --json" "ssh --csv" "ssh -m --csv" "summary" "summary --json" \
    "dns --csv"
safe_every

# --- Unicode bidi controls (U+061C, U+200E/F, U+202A-E, U+2066-9) raw in
# no output: they reorder what a terminal or a browser shows after them
# (main: a banner's U+202E raw in every text output and report.html)
BIDI=$'\xd8\x9c|\xe2\x80[\x8e\x8f\xaa-\xae]|\xe2\x81[\xa6-\xa9]'
for args in "ssh" "ssh -m" "conns" "summary" "ssh --json" "ssh -m --json" "ssh --csv" "ssh -m --csv" "conns --json"; do
    # shellcheck disable=SC2086 # args are words
    run banners_hostile.pcap "0" $args
    ! LC_ALL=C grep -qaE -- "$BIDI" "$w/out" "$w/err" || fail "banners_hostile $args: a raw bidi control"
done
expect banners_hostile.pcap out 'SSH-2\.0-=cmd\|'"'"' /C calc'"'"'!A0\\u202e\\u2066' ssh -m --json
rm -rf "$w/o"
run banners_hostile.pcap "0" ssh -o "$w/o" -p
for g in "$w"/o/*; do
    ! LC_ALL=C grep -qaE -- "$BIDI" "$g" || fail "banners_hostile ssh -o: a raw bidi control in $(basename "$g")"
done
grep -q 'SSH-2.0-=cmd|&#39; /C calc&#39;!A0???' "$w/o/report.html" ||
    fail "banners_hostile: the banner not in report.html with its controls as '?'"

# --- each case's session read to NEWKEYS whatever surrounds it
for p in 46005:inf_time.pcap 46006:banners_hostile.pcap 46007:ng_comments.pcapng 46008:ng_comment_big.pcapng \
    46009:hostile_ports.pcap 46004:inf_thresh_small.pcap; do
    expect "${p#*:}" out "\"id.orig_p\":${p%%:*},.*\"kex_alg\":\"curve25519-sha256\"" ssh -m --json
done
# time leaping 10^9 s and back inside a connection: said with the frame
expect inf_time.pcap err 'inf_time\.pcap: frame [0-9]+: timestamp 86403\.[0-9]+ s earlier than frame'
expect inf_time.pcap err 'time goes back at 2 frame\(s\)'
# pcapng: if_fcslen 4 (the FCS not in any stream), options past their block said
expect ng_comments.pcapng out 'encrypted +client 20 packets \(1040 bytes\), server 20 packets \(1040 bytes\)' ssh -m
expect ng_comments.pcapng err 'ng_comments\.pcapng: frame 5: pcapng block type 0x6 at offset [0-9]+: packet options overrun'
expect ng_comments.pcapng err 'frame 1: pcapng block type 0x1 at offset 168: interface options overrun the block'
# ports 0 and 65535, addresses 0.0.0.0 and 255.255.255.255: all read, files in DIR
run hostile_ports.pcap "0" ssh -m --json
[ "$(grep -c '"kex_alg":"curve25519-sha256"' "$w/out")" = 3 ] || fail "hostile_ports: not 3 SSH sessions read"
rm -rf "$w/x"
run hostile_ports.pcap "0" extract -o "$w/x"
[ -f "$w/x/000.000.000.000.46009-255.255.255.255.00022" ] && [ -f "$w/x/010.007.000.001.00000-010.007.000.002.00000" ] ||
    fail "hostile_ports extract: $(ls "$w/x" | head -c 300)"
[ "$(find "$w/x" -mindepth 1 | grep -c -v '^'"$w"'/x/[0-9]')" = 1 ] || fail "hostile_ports extract: a name not made of the 4-tuple"

# --- output directories that are not what they seem
F=$c/banners_hostile.pcap
mkdir -p "$w/real" "$w/d2" "$w/d3"
echo VICTIM > "$w/victim"
ln -sfn "$w/real" "$w/lnk"
"$STRIDER" ssh -o "$w/lnk" -p "$F" > /dev/null 2>&1 || fail "ssh -o through a symlinked directory: exit $?"
[ -s "$w/real/report.html" ] || fail "ssh -o through a symlinked directory: no report"
ln -sf "$w/victim" "$w/d2/events.csv"
ln -f "$w/victim" "$w/d2/events.jsonl" 2> /dev/null
"$STRIDER" ssh -o "$w/d2" -p "$F" > /dev/null 2>&1 || fail "ssh -o over planted links: exit $?"
[ "$(cat "$w/victim")" = VICTIM ] || fail "ssh -o wrote through a planted symlink or hard link"
[ -f "$w/d2/events.csv" ] && ! [ -L "$w/d2/events.csv" ] || fail "ssh -o: the planted symlink still there"
mkfifo "$w/d3/events.jsonl" # a FIFO named on purpose is written (a reader on the other end)
timeout 60 cat "$w/d3/events.jsonl" > "$w/fifo_out" &
timeout 60 "$STRIDER" ssh -o "$w/d3" "$F" > /dev/null 2>&1 || fail "ssh -o into a FIFO with a reader: exit $?"
wait
grep -q '"code":"banner_bad"' "$w/fifo_out" || fail "ssh -o: the FIFO's reader got no events"
echo x > "$w/afile"
expect_exit() { # CODE ERE strider-args...: the exit code and the message
    local code=$1 re=$2
    shift 2
    timeout 60 "$STRIDER" "$@" > /dev/null 2> "$w/err"
    local rc=$?
    [ $rc = "$code" ] && grep -qE -- "$re" "$w/err" || fail "$*: exit $rc, $(head -c 300 "$w/err") (want $code, /$re/)"
}
expect_exit 1 'cannot write .*afile/events\.jsonl: Not a directory' ssh -o "$w/afile" "$F"
mkdir -p "$w/d5" && ln -sf "$w/victim" "$w/d5/index.jsonl"
expect_exit 1 'd5 exists; use --force' extract -o "$w/d5" "$F"
expect_exit 0 '' extract --force -o "$w/d5" "$F"
[ "$(cat "$w/victim")" = VICTIM ] || fail "extract --force wrote through a planted symlink"
if [ "$(id -u)" = 0 ] && command -v setpriv > /dev/null; then # unwritable: as nobody
    mkdir -p "$w/ro" && chmod 555 "$w/ro" && chmod 755 "$w" && cp "$F" "$w/ro.pcap" && chmod 644 "$w/ro.pcap"
    cp "$STRIDER" "$w/sbin"
    for a in "ssh -o $w/ro -p" "extract -o $w/ro/x" "extract --force -o $w/ro"; do
        # shellcheck disable=SC2086 # a is words
        setpriv --reuid=65534 --regid=65534 --clear-groups "$w/sbin" $a "$w/ro.pcap" > /dev/null 2> "$w/err"
        rc=$?
        [ $rc = 1 ] && grep -q 'Permission denied' "$w/err" || fail "$a unwritable: exit $rc, $(head -c 200 "$w/err")"
    done
    # the file named in its directory (main: `cannot create index.jsonl`)
    grep -q "strider extract: cannot create $w/ro/index.jsonl: Permission denied" "$w/err" ||
        fail "extract --force unwritable: $(head -c 200 "$w/err")"
fi

# --- strider merge of chunk outputs cut or edited: exit 1 with a message,
# never a merge that differs silently (main: a cut output line, a forged
# "fb" or a first frame outside the chunk merged without a word)
python3 - "$c/hostile_ports.pcap" "$w" << 'EOF'
import struct, sys
d = open(sys.argv[1], "rb").read()
recs, o = [], 24
while o < len(d):
    n = struct.unpack("<I", d[o + 8:o + 12])[0]
    recs.append(d[o:o + 16 + n])
    o += 16 + n
for name, part in (("a", recs[:28]), ("b", recs[28:])):  # two rotated files: sessions 1-2, session 3
    open("%s/%s.pcap" % (sys.argv[2], name), "wb").write(d[:24] + b"".join(part))
EOF
"$STRIDER" conns --json --own 0:0 "$w/a.pcap" "$w/b.pcap" > "$w/c0" 2> /dev/null
"$STRIDER" conns --json --own 1:1 "$w/a.pcap" "$w/b.pcap" > "$w/c1" 2> /dev/null
"$STRIDER" conns --json "$w/a.pcap" "$w/b.pcap" > "$w/one" 2> /dev/null
"$STRIDER" merge "$w/c0" "$w/c1" > "$w/good" 2> /dev/null || fail "merge of the chunks as written: exit $?"
cmp -s "$w/one" "$w/good" || fail "merge of the chunks as written differs from one run"
# --jobs over the two files: one run's output, byte for byte
for args in "conns --json" "conns --csv" "ssh --json" "ssh --csv" "summary --json"; do
    # shellcheck disable=SC2086 # args are words
    "$STRIDER" $args "$w/a.pcap" "$w/b.pcap" > "$w/j1" 2> /dev/null
    # shellcheck disable=SC2086 # args are words
    "$STRIDER" $args --jobs 2 "$w/a.pcap" "$w/b.pcap" > "$w/j2" 2> "$w/err" || fail "$args --jobs 2: exit $?"
    cmp -s "$w/j1" "$w/j2" || fail "$args --jobs 2: not one run's output"
    ! grep -qE 'Sanitizer|runtime error' "$w/err" || fail "$args --jobs 2: a sanitizer report"
done
python3 - "$w" << 'EOF'
import re, sys
w = sys.argv[1]
c1 = open(w + "/c1").read()
lines = c1.splitlines(True)
t = {
    "trunc": c1[:len(c1) - len(lines[-1]) // 2],
    "notrailer": "".join(lines[:-1]),
    "fb": c1.replace('"frames":[', '"fb":18446744073709551615,"frames":['),
    "fb5": c1.replace('"frames":[', '"fb":5,"frames":['),
    "direct": c1.replace('"frames":[', '"direct":99999,"frames":['),
    "big": re.sub(r'"lf":\d+', '"lf":99999999999999999999999', c1),
    "ff": re.sub(r'"ff":\d+', '"ff":18446744073709551615', c1),
    "lf": re.sub(r'"lf":\d+', '"lf":0', c1),
    "last": c1.replace('"last":1', '"last":4294967296'),
    "dup": c1 + c1,
    "cutown": "".join(l[:len(l) // 2] + "\n" if l.startswith('{"_own":"conn"') else l for l in lines),
    "cutline": "".join(l[:len(l) // 2] + "\n" if l.startswith('{"type":"conn"') else l for l in lines),
    "notjson": "".join("garbage\n" + l if l.startswith('{"type":"conn"') else l for l in lines),
}
for k, v in t.items():
    open("%s/h_%s" % (w, k), "w").write(v)
EOF
for h in trunc:'line 3: a bad _own record' notrailer:'no chunk trailer' \
    fb:'connection .* says frames 1\.\.14, the chunk.s frames are numbered from 0' \
    fb5:'says frames 1\.\.14, the chunk.s frames are numbered from 6' direct:'says it wrote 99999 connections elsewhere' \
    big:'line 2: a bad _own' ff:'says frames 18446744073709551615\.\.14' lf:'says frames 1\.\.0' last:'line 3: a bad _own' \
    dup:'line [0-9]+: a bad _own' cutown:'line 2: a bad _own' cutline:'line 1: a bad _own record, or a line cut short' \
    notjson:'line 1: a bad _own record, or a line cut short'; do
    expect_exit 1 "h_${h%%:*} is not the output|h_${h%%:*} says" merge "$w/c0" "$w/h_${h%%:*}"
    grep -qE -- "${h#*:}" "$w/err" || fail "merge h_${h%%:*}: no /${h#*:}/ in $(head -c 300 "$w/err")"
done

# --- SSH inference on hostile records: linear work (callgrind, plain build:
# instructions at 2N at most 2.2 times those at N), bounded memory
rm -f "$c"/*
python3 "$REPO/tests/hostile/genr6.py" infer 20000 "$c" && python3 "$REPO/tests/hostile/genr6.py" infer 40000 "$c" ||
    die "genr6.py infer"
for f in "$c"/*_20000.pcap; do
    run "$(basename "$f")" "0" ssh -m --json
    grep -q '"kex_alg":"curve25519-sha256"' "$w/out" || fail "$(basename "$f"): the session not read"
done
if command -v valgrind > /dev/null && [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    ins() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$STRIDER" "$@" 2>&1 > /dev/null |
            sed -n 's/.*refs: *//p' | tr -d ,
    }
    for k in inf_1byte inf_keys inf_chanopen inf_thresh; do
        for args in "ssh" "summary"; do
            # shellcheck disable=SC2086 # args are words
            a=$(ins $args "$c/${k}_20000.pcap") b=$(ins $args "$c/${k}_40000.pcap")
            echo "$k $args: $a instructions at 20000, $b at 40000"
            [ -n "$a" ] && [ -n "$b" ] && [ $((b * 10)) -le $((a * 22)) ] || fail "$k $args: $a then $b instructions"
        done
    done
else
    for f in "$c"/*_40000.pcap; do run "$(basename "$f")" "0" ssh; done
fi

# --- 20,000 and 40,000 handshakes never finished over --max-flows 4000:
# every eviction said by every command; memory bounded by the cap
rm -f "$c"/*
python3 "$REPO/tests/hostile/genr6.py" flood 20000 "$c" && python3 "$REPO/tests/hostile/genr6.py" flood 40000 "$c" ||
    die "genr6.py flood"
for args in "conns" "ssh" "ssh -m --json" "summary" "conns -R --json"; do
    # shellcheck disable=SC2086 # args are words
    expect flood_hs_40000.pcap err 'connection table was full \(--max-flows 4000\): 36001 connection\(s\) ended early' \
        $args --max-flows 4000
done
expect flood_hs_40000.pcap out '"id.orig_p":46010,.*"kex_alg":"curve25519-sha256"' ssh -m --json --max-flows 4000
if [ -x /usr/bin/time ] && [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    for args in "conns" "ssh -m --json" "follow --stream 0"; do
        # shellcheck disable=SC2086 # args are words
        small=$(rss "$c/flood_hs_20000.pcap" $args --max-flows 4000) big=$(rss "$c/flood_hs_40000.pcap" $args --max-flows 4000)
        echo "flood_hs $args: $small KB at 20000, $big KB at 40000"
        [ "$big" -le $((small + 4096)) ] || fail "flood_hs $args: RSS $small KB at 20000, $big KB at 40000"
    done
fi

echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
