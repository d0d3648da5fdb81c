#!/usr/bin/env bash
# --threads 2 (sd_pipe: reading and decoding in a thread of their own, the
# default on a machine with more than one CPU) writes exactly what --threads
# 1 writes, stdout and stderr byte for byte, for every command and format:
# crafted captures (fragments, truncated records, link types, pcapng), a
# generated brute force and SSH mix, a capture whose records go back in time
# and one cut in the middle of a record (diagnostics from the capture layer
# and the decoder, which the reader thread keeps and the analysis thread
# says in place), with and without --bpf. Each run is repeated with
# STRIDER_PIPE_RING=1,1 (batches of one record, one in flight), so that
# every record is a hand-off and the reader waits at every one, and the
# record writer of conns (sd_outq) lags as far as it can, so that every
# wait for it before a message on stderr matters (2>&1 into one file).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/threads; rm -rf "$out"; mkdir -p "$out"
GENCAP=${BUILD:-build}/bench/gencap
[ -x "$GENCAP" ] || GENCAP=$REPO/build/bench/gencap
fail=0 n=0

caps=("$REPO"/tests/crafted/*.pcap "$REPO"/tests/crafted/*.pcapng)
if [ -x "$GENCAP" ]; then
    "$GENCAP" --brute 300 -o "$out/brute.pcap" > /dev/null || die "gencap --brute failed"
    "$GENCAP" -s 3M -o "$out/mix.pcap" > /dev/null || die "gencap failed"
    caps+=("$out/brute.pcap" "$out/mix.pcap")
    # cut in the middle of a record: "unreadable record" from the reader
    head -c 1000037 "$out/mix.pcap" > "$out/cut.pcap"
    caps+=("$out/cut.pcap")
fi
for c in "$SHARED/captures/zeek/testing/btest/Traces/ssh/"*.pcap \
         "$SHARED/captures/zeek/testing/btest/Traces/wikipedia.pcap"; do
    [ -f "$c" ] && caps+=("$c")
done

# one command line, three ways; stdout, stderr and exit status must agree
same() { # name, strider args...
    local name=$1; shift
    n=$((n + 1))
    "$STRIDER" "$@" --threads 1 > "$out/1.out" 2> "$out/1.err"; local r1=$?
    "$STRIDER" "$@" --threads 2 > "$out/2.out" 2> "$out/2.err"; local r2=$?
    STRIDER_PIPE_RING=1,1 "$STRIDER" "$@" --threads 2 > "$out/3.out" 2> "$out/3.err"; local r3=$?
    if ! cmp -s "$out/1.out" "$out/2.out" || ! cmp -s "$out/1.err" "$out/2.err" || [ $r1 != $r2 ]; then
        echo "FAIL $name: --threads 2 differs from --threads 1"; diff "$out/1.out" "$out/2.out" | head -5
        diff "$out/1.err" "$out/2.err" | head -5; fail=1
    elif ! cmp -s "$out/1.out" "$out/3.out" || ! cmp -s "$out/1.err" "$out/3.err" || [ $r1 != $r3 ]; then
        echo "FAIL $name: a ring of one record differs from --threads 1"; diff "$out/1.out" "$out/3.out" | head -5
        diff "$out/1.err" "$out/3.err" | head -5; fail=1
    fi
}

for c in "${caps[@]}"; do
    b=$(basename "$c")
    same "$b conns" conns "$c"
    same "$b conns --json" conns --json "$c"
    same "$b conns --csv -R" conns --csv -R "$c"
    same "$b summary" summary "$c"
    same "$b ssh --json" ssh --json "$c"
    same "$b ssh -m" ssh -m "$c"
    # ssh concludes and writes each connection in a thread of its own
    # (inference, record, events, campaigns): every format
    same "$b ssh" ssh "$c"
    same "$b ssh --csv" ssh --csv "$c"
    same "$b ssh -m --json" ssh -m --json "$c"
    same "$b ssh -m --csv" ssh -m --csv "$c"
    same "$b ssh --records" ssh --records "$c"
    same "$b ssh --where" ssh --json --where 'auth_attempts >= 1' --kinds auth_attempt,login,scan,brute_force "$c"
    same "$b dns --json" dns --json "$c"
    same "$b packets -n 0" packets -n 0 "$c"
    same "$b follow -n 0" follow -n 0 "$c"
    same "$b conns --bpf tcp" conns --json --bpf 'tcp port 22' "$c"
    same "$b conns --max-flows 3" conns --json --max-flows 3 "$c"
done
# extract writes files: the trees must be the same
c=${caps[-1]}
for t in 1 2; do
    "$STRIDER" extract -o "$out/x$t" --threads "$t" "$c" > "$out/x$t.out" 2>&1
done
n=$((n + 1))
diff -r "$out/x1" "$out/x2" > /dev/null && cmp -s "$out/x1.out" "$out/x2.out" || { echo "FAIL extract trees differ"; fail=1; }

# time that goes back (said by the analysis thread) between messages of the
# reader, and a bad --threads
cat > "$out/back.py" <<'EOF'
import struct, sys
d = open(sys.argv[1], 'rb').read()
hdr, off, recs = d[:24], 24, []
while off + 16 <= len(d):
    ln = struct.unpack('<I', d[off + 8:off + 12])[0]
    recs.append(d[off:off + 16 + ln]); off += 16 + ln
for i in range(10, len(recs) - 1, 97):  # swap neighbours: time goes back
    recs[i], recs[i + 1] = recs[i + 1], recs[i]
# IPv4 header length 4: the decoder says it, on its own and on a frame
# whose time goes back (two messages of one frame, from the two threads)
for i in list(range(5, len(recs), 89)) + list(range(11, len(recs), 3 * 97)):
    r = bytearray(recs[i]); r[16 + 14] = 0x44; recs[i] = bytes(r)
# late in the file, after records were written: the capture layer says it
for i in (len(recs) * 9 // 10, len(recs) - 3):
    r = bytearray(recs[i]); r[12:16] = struct.pack('<I', 20); recs[i] = bytes(r)
open(sys.argv[2], 'wb').write(hdr + b''.join(recs) + recs[0][:20])  # and a cut record
EOF
if [ -x "$GENCAP" ]; then
    # 51 s of capture: connections are written (30 s after their close)
    # while messages are still to come
    "$GENCAP" --brute 3000 -o "$out/long.pcap" > /dev/null || die "gencap --brute failed"
    for c in mix long; do
        python3 "$out/back.py" "$out/$c.pcap" "$out/$c-back.pcap" || die "reorder failed"
    done
    mv "$out/mix-back.pcap" "$out/back.pcap"
    same "back.pcap conns --json" conns --json "$out/back.pcap"
    same "back.pcap ssh --json" ssh --json "$out/back.pcap"
    # -o DIR -p: the event files and the HTML report, written by ssh's
    # thread, then the cross-connection findings at the end
    for t in 1 2; do
        STRIDER_PIPE_RING=1,1 "$STRIDER" ssh --threads $t -o "$out/o$t" -p "$out/long-back.pcap" \
            > "$out/o$t.out" 2>&1
    done
    n=$((n + 1))
    diff -r "$out/o1" "$out/o2" > /dev/null && cmp -s "$out/o1.out" "$out/o2.out" ||
        { echo "FAIL ssh -o -p: files differ"; fail=1; }
fi
# stdout and stderr into one file: the records (written by a thread of
# their own) and the messages interleave as with one thread
for c in "$out/back.pcap" "$out/long-back.pcap" "$out/cut.pcap"; do
    [ -f "$c" ] || continue
    for cmd in "conns --json" "conns --csv" conns "ssh --json" "ssh --csv" ssh "ssh -m"; do
        n=$((n + 1))
        "$STRIDER" $cmd --threads 1 "$c" > "$out/m1" 2>&1
        "$STRIDER" $cmd --threads 2 "$c" > "$out/m2" 2>&1
        STRIDER_PIPE_RING=1,1 "$STRIDER" $cmd --threads 2 "$c" > "$out/m3" 2>&1
        cmp -s "$out/m1" "$out/m2" && cmp -s "$out/m1" "$out/m3" ||
            { echo "FAIL $(basename "$c") $cmd 2>&1: interleaving differs"; fail=1; }
    done
done
# standard input: read by the reader thread as a file is
n=$((n + 1))
for t in 1 2; do
    "$STRIDER" ssh --json --threads $t - < "${caps[-1]}" > "$out/in$t.out" 2> "$out/in$t.err"
done
cmp -s "$out/in1.out" "$out/in2.out" && cmp -s "$out/in1.err" "$out/in2.err" ||
    { echo "FAIL standard input: --threads 2 differs"; fail=1; }
"$STRIDER" conns --threads 0 "${caps[0]}" > /dev/null 2>&1 && { echo "FAIL --threads 0 accepted"; fail=1; }
"$STRIDER" conns --threads x "${caps[0]}" > /dev/null 2>&1 && { echo "FAIL --threads x accepted"; fail=1; }
"$STRIDER" conns --threads 64 "${caps[0]}" > /dev/null 2>&1 || { echo "FAIL --threads 64 refused"; fail=1; }
[ $fail = 0 ] && echo "ok   $n command lines, the same with one thread, two, and a ring of one record"
exit $fail
