#!/usr/bin/env bash
# Hostile classes, round 3 (genr3.py): attacks made from outside the
# project's view. Every command on each capture must exit as allowed, print
# no sanitizer report and stay under the memory limit (runlib.sh); then:
# - the same bytes give the same results however they are given: a file,
#   standard input, a pipe, a FIFO ('-' twice is refused) (genfmt.py's and genr3.py's captures; standard
#   input went through libpcap, which cut records to the header's snaplen,
#   stopped at the first bad pcapng block and refused interfaces of two
#   link types);
# - a directory of captures from elsewhere: its file names carry terminal
#   escapes and a spreadsheet formula (never raw in any output), a FIFO
#   named like a capture (said, not opened: it would wait forever), a
#   symbolic link and a tree deeper than 32 levels (said, not dropped
#   silently);
# - 1,500 files in one directory: every one read under the memory limit
#   and a soft limit of 256 descriptors (a 2 MiB block per file reserved
#   3 GB; the 1,024 descriptors of a usual soft limit read 1,000 files);
# - each genr3.py case's result (its docstring).
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr3.py" "$c" || die "genr3.py"

run_every "conns -R --json" "conns --csv" "packets --stream 0" "follow --stream 0" "ssh" "ssh --json" \
    "ssh --csv" "ssh -m --csv" "ssh -w 1" "summary --json" "dns --csv"

# no C0 control but TAB/LF/CR, no DEL, no 8-bit CSI
RAW='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b]'

# --- the same bytes through a file, standard input and a pipe
python3 "$REPO/tests/hostile/genfmt.py" "$w/fmt" || die "genfmt.py"
# piped FILE ARGS...: strider ARGS - with FILE on standard input (a pipe),
# under the same limits as run
piped() {
    local f=$1
    shift
    runs=$((runs + 1))
    if [ "${STRIDER_SANITIZED:-0}" = 1 ]; then
        cat "$f" | ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$ASAN_MB:malloc_limit_mb=$ASAN_MB" \
            timeout 120 "$STRIDER" "$@" - > "$w/pout" 2> "$w/perr"
    else
        cat "$f" | timeout 120 prlimit --as=$((PLAIN_AS_MB << 20)) -- "$STRIDER" "$@" - > "$w/pout" 2> "$w/perr"
    fi
}
for p in "$w"/fmt/* "$c"/*; do
    f=$(basename "$p")
    [ "$f" = frag_flood.pcap ] && continue # 200,000 frames: the file run above is enough
    for args in "conns -R --json" "ssh -m --json"; do
        # shellcheck disable=SC2086 # args are words
        timeout 120 "$STRIDER" $args "$p" > "$w/out" 2> "$w/err"
        # shellcheck disable=SC2086
        piped "$p" $args
        cmp -s "$w/out" "$w/pout" || fail "$f $args: standard input gives another result than the file: $(diff "$w/out" "$w/pout" | head -n 4 | cut -c1-200)"
        sed "s|$p|(stdin)|g" "$w/err" > "$w/err2"
        cmp -s "$w/err2" "$w/perr" || fail "$f $args: standard input says other things than the file: $(diff "$w/err2" "$w/perr" | head -n 4 | cut -c1-200)"
    done
done
# standard input named twice: refused with a message (each read half a stream)
runs=$((runs + 1))
cat "$c/link_null.pcap" | timeout 60 "$STRIDER" conns - - > "$w/pout" 2> "$w/perr"
rc=$?
[ "$rc" != 0 ] && grep -qF "strider: '-' (standard input) given 2 times: it can be read once" "$w/perr" ||
    fail "'- -': exit $rc, $(head -n 2 "$w/perr")"
# a FIFO given by name is read as standard input is
mkfifo "$w/fifo"
cat "$w/fmt/caplen_gt_snap.pcap" > "$w/fifo" &
timeout 60 "$STRIDER" conns -R --json "$w/fifo" > "$w/pout" 2> "$w/perr"
timeout 60 "$STRIDER" conns -R --json "$w/fmt/caplen_gt_snap.pcap" > "$w/out" 2> /dev/null
cmp -s "$w/out" "$w/pout" || fail "a FIFO gives another result than the file: $(diff "$w/out" "$w/pout" | head -n 4)"
wait
rm -f "$w/fifo"

# --- a directory from elsewhere
d=$w/dir
mkdir -p "$d/sub"
cp "$c/inject.pcap" "$d/a$(printf '\033]0;pwn\007')=HYPERLINK(1).pcap"
cp "$c/ssh_framing.pcap" "$d/sub/=cmd|' calc'!A0$(printf '\033[2J\233').pcap"
cp "$w/fmt/ng_opt_bad.pcapng" "$d/b$(printf '\033[31m')bad.pcapng" # a bad block: a message naming the file
mkfifo "$d/c.pcap"
ln -s ../inject.pcap "$d/sub/link.pcap"
deep=$d/deep
for _ in $(seq 33); do deep=$deep/n; done
mkdir -p "$deep" && cp "$c/modified.pcap" "$deep/deep.pcap"
for args in "conns" "conns --csv" "conns -R --json" "ssh" "ssh -m" "ssh --csv" "ssh -m --csv" "ssh --json" "packets --stream 0" \
    "summary" "dns --csv"; do
    runs=$((runs + 1))
    # shellcheck disable=SC2086 # args are words
    timeout 60 "$STRIDER" $args "$d" > "$w/out" 2> "$w/err"
    rc=$?
    [ "$rc" = 0 ] || fail "directory, $args: exit $rc (a FIFO waited on?)"
    ! LC_ALL=C grep -qaP -- "$RAW" "$w/out" "$w/err" || fail "directory, $args: a raw control byte from a file name"
    case $args in *--csv*) csv_formula "$w/out" || fail "directory, $args: a file name starts a formula" ;; esac
done
grep -qF "dir/c.pcap: not read: not a regular file (a FIFO, device or socket)" "$w/err" || fail "the FIFO is not said: $(cat "$w/err")"
grep -qF "dir/sub/link.pcap: not read: a symbolic link (not followed in a directory: name its target)" "$w/err" ||
    fail "the link is not said: $(cat "$w/err")"
grep -qE "dir/deep(/n)+: not read: a directory nested deeper than 32 levels" "$w/err" || fail "the deep tree is not said"
grep -qF 'dir/b\x1b[31mbad.pcapng: frame 1: pcapng block type 0x1' "$w/err" || fail "the bad block's file is not named safely: $(head -c 600 "$w/err")"
rm -rf "$w/o"
runs=$((runs + 1))
timeout 60 "$STRIDER" ssh -o "$w/o" -p "$d" > /dev/null 2>&1 || fail "directory, ssh -o -p: exit $?"
for f in "$w"/o/*; do
    ! LC_ALL=C grep -qaP -- "$RAW" "$f" || fail "directory, ssh -o: a raw control byte in $(basename "$f")"
done
for f in "$w"/o/*.csv; do csv_formula "$f" || fail "directory, ssh -o: formula in $(basename "$f")"; done
rm -rf "$w/x"
runs=$((runs + 1))
timeout 60 "$STRIDER" extract -o "$w/x" "$d" > /dev/null 2> "$w/err" || fail "directory, extract: exit $?"
! LC_ALL=C grep -qaP -- "$RAW" "$w/x/index.jsonl" "$w/x"/*.json "$w/err" || fail "directory, extract: a raw control byte"

# --- 1,500 rotated files in a directory: each open at once, none dropped
python3 "$REPO/tests/hostile/genr3.py" many "$w/many" || die "genr3.py many"
runs=$((runs + 1))
if [ "${STRIDER_SANITIZED:-0}" = 1 ]; then
    (ulimit -Sn 256 && ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=$ASAN_MB:malloc_limit_mb=$ASAN_MB" \
        timeout 120 "$STRIDER" conns "$w/many" > "$w/out" 2> "$w/err")
else
    (ulimit -Sn 256 && timeout 120 prlimit --as=$((PLAIN_AS_MB << 20)) -- "$STRIDER" conns "$w/many" > "$w/out" 2> "$w/err")
fi
n=$(grep -c '/rot[0-9]*\.pcap ' "$w/out")
[ "$n" = 1500 ] || fail "1,500 files: $n connections read: $(head -n 3 "$w/err")"

# --- each case
# years of span in one connection: said with the frame, counted; windows stay few
expect time_span.pcapng err 'time_span\.pcapng: frame 1: timestamp out of range \(-9000000000 s\): read as 1970-01-01'
expect time_span.pcapng err '261 frame\(s\) with a timestamp out of range, each read as 1970 or 2262'
# every frame at one instant: no NaN or infinity anywhere
for args in "conns -R --json" "ssh --json" "ssh -m --csv" "summary --json" "ssh -w 1"; do
    # shellcheck disable=SC2086 # args are words
    run time_same.pcap "0 1" $args
    ! grep -qiwE 'nan|-?inf(inity)?' "$w/out" || fail "time_same $args: $(grep -m1 -oiwE '.{30}(nan|inf).{10}' "$w/out")"
done
# Kuznetzov's modified pcap: libpcap reads it, from a file and from a pipe
expect modified.pcap out '"id.orig_p":43005,.*"hassh":"e97d07603350d1111ec2b64bf25413c9"' ssh -m --json
expect modified_be.pcap out '"id.orig_p":43005' ssh -m --json
# every link type around the same session
for f in link_null link_loop link_sll link_sll2 link_raw12 link_raw14 link_raw101 pppoe; do
    expect $f.pcap out '"hassh":"e97d07603350d1111ec2b64bf25413c9"' ssh -m --json
done
expect link_raw12.pcap out '"id.orig_p":43031,' ssh -m --json
expect link_null.pcap err 'frame 30: loopback frame of 2 bytes shorter than its 4-byte header'
expect link_sll2.pcap err 'frame 25: Linux cooked v2 frame of 3 bytes shorter than its 20-byte header'
expect link_raw228.pcap err 'frame 23: IPv4 packet with version field 6'
expect jumbo.pcap err 'frame 1: IPv6 payload length 0 \(jumbogram or offload\?\): using the 48 captured bytes'
expect frag_flood.pcap err 'IP datagram\(s\) not reassembled from their fragments'
# TCP: SYN+FIN flagged, a banner on the SYN read, a simultaneous open is one connection
expect tcp_odd.pcap out '"id.orig_p":43060,.*"history":"Qr"' conns --json
expect tcp_odd.pcap out '"id.orig_p":43061,.*"client":"SSH-2\.0-OpenSSH_9\.6"' ssh -m --json
expect tcp_odd.pcap out '"id.orig_p":43062,.*"kex_alg":"curve25519-sha256"' ssh -m --json
# SSH framing broken every way RFC 4253 section 6 forbids: each flagged
for code in packet_misaligned packet_too_short padding_short kexinit_bad; do
    expect ssh_framing.pcap out "anomaly +$code, frame" ssh -m
done
expect ssh_banner_1byte.pcap out '"kex_alg":"curve25519-sha256"' ssh -m --json
expect ssh_prebanner_10k.pcap out '"server":"SSH-2\.0-OpenSSH_9\.6"' ssh -m --json
# injection: no formula, no markup, no escape
for args in "ssh --csv" "ssh -m --csv" "conns --csv" "dns --csv"; do
    # shellcheck disable=SC2086 # args are words
    run inject.pcap "0 1" $args
    csv_formula "$w/out" || fail "inject $args: a cell starts a formula"
    ! LC_ALL=C grep -qaP -- "$RAW" "$w/out" || fail "inject $args: a raw control byte"
done
# a server name the analyzer made printable: shown by summary as conns shows it (not \\x20)
expect inject.pcap out "^ +1  =cmd\\|'\\\\x20/C\\\\x20calc'!A0\\\\x1b\\]0;pwn\\\\x07<b>\\.example\$" summary
expect inject.pcap out ",'=cmd\\|'\\\\x20/C\\\\x20calc'!A0\\\\x1b\\]0;pwn\\\\x07<b>\\.example," conns --csv
rm -rf "$w/o"
run inject.pcap "0 1" ssh -o "$w/o" -p
! grep -q '<img' "$w/o/report.html" || fail "inject: markup from the capture in report.html"

echo "$runs runs, $bad failures"
[ "$bad" -eq 0 ]
