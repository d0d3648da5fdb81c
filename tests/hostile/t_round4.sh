#!/usr/bin/env bash
# Hostile classes, round 4 (genr4.py): pcapng with many interfaces and lying
# blocks, both byte orders, times before 1970, classic pcap with nanosecond
# magic, snaplen 0 and a 300,000-byte record, IPv4 and TCP options of every
# length, SSH name-lists with NUL/ESC/formulas/markup and lying lengths.
# Every command and output format on each must exit as allowed, print no
# sanitizer report and stay under the memory limit (runlib.sh); then each
# case's result (genr4.py's docstrings), every output free of raw control
# bytes, CSV formulas and markup from the capture, every JSON line parsed;
# and two cases of a list of files: --jobs says each file's message once,
# and `strider merge` of a chunk edited by hand writes no raw control byte.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr4.py" "$c" || die "genr4.py"

run_every "conns" "conns -R --json" "conns --csv" "packets --stream 0" "packets --json --stream 0" "follow --stream 0" \
    "follow --json --stream 0" "ssh" "ssh -m" "ssh --json" "ssh --csv" "ssh -m --csv" "summary" "summary --json"

# --- every output of every case: safe for a terminal, a spreadsheet, a browser, a JSON reader
safe_every

# --- each case's result
KEX='"kex_alg":"(curve25519-sha256|</script>[^"]*)"'
for p in 44001:ng_ifaces.pcapng 44002:ng_swap.pcapng 44003:ng_before_1970.pcapng 44004:cl_nano_big.pcap \
    44005:ip4_opts.pcap 44006:tcp_opts.pcap 44011:ssh_kex_nul.pcap 44012:ssh_negotiated.pcap 44013:ng_links.pcapng; do
    expect "${p#*:}" out "\"id.orig_p\":${p%%:*},.*$KEX" ssh -m --json
done
expect ng_ifaces.pcapng err 'ng_ifaces\.pcapng: frame 5: pcapng block type 0x6 at offset [0-9]+: interface 64 not described'
expect ng_ifaces.pcapng err 'interface 4294967295 not described'
expect ng_ifaces.pcapng err 'frame 5: .*packet options overrun the block: packet skipped'
expect ng_ifaces.pcapng err 'interface options overrun the block'
expect cl_nano_big.pcap err 'cl_nano_big\.pcap: frame 32: unreadable record \(record cut short \(40 of 100 bytes\)\)'
expect cl_nano_big.pcap out '"orig_bytes":' conns --json
expect ng_links.pcapng out '"id.orig_p":44013,.*"orig_pkts":16,.*"resp_pkts":14,' conns --json
# before 1970: said once with its frame, counted, read as 1970 (tshark shows -1000 s)
expect ng_before_1970.pcapng err 'ng_before_1970\.pcapng: frame 1: timestamp out of range \(-1000 s\): read as 1970-01-01'
expect ng_before_1970.pcapng err '30 frame\(s\) with a timestamp out of range'
[ "$(grep -c 'timestamp out of range (' "$w/err")" = 1 ] || fail "ng_before_1970: the out-of-range time said more than once"
expect ssh_kex_nul.pcap out 'control bytes in name-list' ssh
expect ssh_kex_nul.pcap out 'NUL byte at offset 12 of the identification line' ssh
expect ssh_kex_nul.pcap out 'padding 250 of packet' ssh
expect ssh_kex_nul.pcap out 'truncated KEXINIT' ssh
expect ssh_kex_nul.pcap out 'packet_length 1489028' ssh

# --- a list of files under --jobs: each file's message said once, by the
# chunk that owns the file (a chunk reading ahead into a later chunk's
# files said their messages again: three times under --jobs 3)
python3 "$REPO/tests/hostile/genr4.py" jobs "$w/d" || die "genr4.py jobs"
for cmd in "conns --json" "ssh --json" "summary --json"; do
    # shellcheck disable=SC2086 # cmd is words
    timeout 120 "$STRIDER" $cmd "$w/d" > "$w/one" 2> "$w/err1"
    # shellcheck disable=SC2086
    timeout 120 "$STRIDER" $cmd --jobs 3 "$w/d" > "$w/out" 2> "$w/err"
    [ "$(grep -c 'unreadable record' "$w/err1")" = 2 ] || fail "$cmd: the cut records not said: $(head -c 300 "$w/err1")"
    for m in 'b.pcap: frame 31: unreadable record' 'c.pcap: frame 31: unreadable record' \
        'TCP option 2 with bad length 0' 'timestamp out of range (' 'frame(s) with a timestamp out of range'; do
        n1=$(grep -c -- "$m" "$w/err1") n=$(grep -c -- "$m" "$w/err")
        [ "$n" = "$n1" ] || fail "--jobs 3 $cmd: '$m' said $n times (one run: $n1)"
    done
done

# files that overlap in time (not a rotated capture): a chunk reads ahead
# through the others' files; their messages are still said by their owner
# only (under --jobs 3 each was said by every chunk reading it)
mkdir -p "$w/ov"
cp "$REPO"/tests/crafted/{simple,truncated,frag4,null,vlan}.pcap "$c"/ng_ifaces.pcapng "$w/ov/"
for cmd in "conns --json" "ssh --json"; do
    # shellcheck disable=SC2086 # cmd is words
    timeout 120 "$STRIDER" $cmd "$w/ov" > "$w/one" 2> "$w/err1"
    # shellcheck disable=SC2086
    timeout 120 "$STRIDER" $cmd --jobs 3 "$w/ov" > "$w/out" 2> "$w/err"
    for m in 'unreadable record' 'interface 64 not described' 'overlaps data already received'; do
        n1=$(grep -c -- "$m" "$w/err1") n=$(grep -c -- "$m" "$w/err")
        [ "$n" -le "$n1" ] || fail "--jobs 3 $cmd over overlapping files: '$m' said $n times (one run: $n1)"
    done
done

# --- strider merge of chunks edited by hand: a file name holding ESC, BEL,
# a newline and a quote is written as the text outputs write one (\xHH)
for i in 0 1; do
    timeout 60 "$STRIDER" conns --own $i:$i "$c/ip4_opts.pcap" "$c/tcp_opts.pcap" > "$w/t$i.json" 2> /dev/null
done
python3 - "$w/t0.json" <<'EOF'
import sys
p = sys.argv[1]
s = open(p).read()
open(p, "w").write(s.replace('ip4_opts.pcap"', 'x\\u001b]0;EVIL\\u0007\\"=1,\\n\\u009b.pcap"'))
EOF
grep -q 'EVIL' "$w/t0.json" || fail "merge: the chunk was not edited"
timeout 60 "$STRIDER" merge "$w/t0.json" "$w/t1.json" > "$w/out" 2> "$w/err"
grep -q 'EVIL' "$w/out" || fail "merge: the edited name is not in the table"
! LC_ALL=C grep -qaP -- "$RAW" "$w/out" || fail "merge: a raw control byte from a chunk's file name: $(grep -a EVIL "$w/out" | cat -A | cut -c1-300)"
[ "$(wc -l < "$w/out")" = 3 ] || fail "merge: a file name's newline broke the table's lines"

# --- arguments quoted in messages: a script passing a capture's string or
# a file name as an option's value must not reach the terminal raw; a bad
# value is a usage error (exit 2)
cd "$w" || die "cd $w" # extract -o makes the directory
ESC=$(printf 'a\033[2J\007\\x')
for a in "conns --max-flows" "conns --stats-interval" "conns --checksum" "conns --local-nets" "conns --memcap" \
    "conns --overlap" "conns --stream" "ssh --kinds" "ssh --leg" "ssh --zoom" "summary --host" "conns --sort" \
    "conns --own" "conns --read-ahead" "conns --jobs"; do
    # shellcheck disable=SC2086 # a is words
    timeout 20 "$STRIDER" $a "$ESC" "$c/tcp_opts.pcap" > "$w/out" 2> "$w/err"
    rc=$?
    [ $rc = 2 ] || fail "$a ESC: exit $rc (want 2)"
    ! LC_ALL=C grep -qaP -- "$RAW" "$w/err" || fail "$a ESC: a raw control byte in the message: $(cat -A "$w/err" | head -c 200)"
    grep -qF 'a\x1b[2J\x07\x' "$w/err" || fail "$a ESC: the value not quoted as \\xHH: $(head -c 200 "$w/err")"
done
for a in "conns --bpf" "extract -o" "strider-no-such-command"; do
    # shellcheck disable=SC2086 # a is words
    if [ "$a" = strider-no-such-command ]; then timeout 20 "$STRIDER" "$ESC" > "$w/out" 2> "$w/err"
    else timeout 20 "$STRIDER" $a "$ESC" "$c/tcp_opts.pcap" > "$w/out" 2> "$w/err"; fi
    ! LC_ALL=C grep -qaP -- "$RAW" "$w/err" || fail "$a ESC: a raw control byte in the message: $(cat -A "$w/err" | head -c 200)"
done

# --- follow --raw on a terminal: the capture's bytes (an OSC 8 link, a
# title) would run there; refused (exit 2), written to a pipe as they are
if command -v script > /dev/null; then
    script -qec "'$STRIDER' follow --raw --stream 0 '$c/ssh_negotiated.pcap'" /dev/null > "$w/out" 2>&1
    rc=$?
    [ $rc = 2 ] || fail "follow --raw on a terminal: exit $rc (want 2)"
    ! LC_ALL=C grep -qaP -- "$RAW" "$w/out" || fail "follow --raw on a terminal: the capture's bytes reached it"
fi
timeout 20 "$STRIDER" follow --raw --stream 0 "$c/ssh_negotiated.pcap" > "$w/out" 2> "$w/err" ||
    fail "follow --raw to a pipe: exit $?"
grep -qaF "$(printf 'http://x\007')" "$w/out" || fail "follow --raw to a pipe: not the bytes as they are"

echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
