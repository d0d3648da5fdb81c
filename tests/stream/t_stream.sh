#!/usr/bin/env bash
# Streaming and bounds: connections are written as they end (documented
# order), --sort restores stream order with the same rows, --limit stops,
# --max-flows evicts (marked, counted once on stderr, nothing lost), and
# option values are checked (exit 2, a message naming the option).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/stream; mkdir -p "$out"
fail=0
t() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got [$2] want [$3]"; fail=1; fi; }
gencap=$REPO/$BUILD/bench/gencap
[ -x "$gencap" ] || skip "no $gencap"
"$gencap" --scan 1000 -o "$out/scan.pcap" > /dev/null 2>&1 || die "gencap failed"

# eviction: 1000 half-open connections through a table of 100
"$STRIDER" conns --json --max-flows 100 "$out/scan.pcap" > "$out/ev.jsonl" 2> "$out/ev.err"
t "exit status with evictions" $? 0
t "every connection written" "$(wc -l < "$out/ev.jsonl")" 1000
t "evicted ones marked" "$(grep -c '"evicted":true' "$out/ev.jsonl")" 900
t "evictions said once" "$(grep -c 'ended early' "$out/ev.err")" 1
grep -q '900 connection(s) ended early' "$out/ev.err" || { echo "FAIL eviction count on stderr: $(cat "$out/ev.err")"; fail=1; }
"$STRIDER" conns --json "$out/scan.pcap" > "$out/all.jsonl" 2>&1
t "no eviction under the default cap" "$(grep -c evicted "$out/all.jsonl")" 0
t "same connections either way" "$(grep -o '"uid":"[^"]*"' "$out/ev.jsonl" | sort | md5sum)" \
    "$(grep -o '"uid":"[^"]*"' "$out/all.jsonl" | sort | md5sum)"
# the largest --max-flows accepted costs nothing up front: the
# stream-number memory grows with the connections that ended (it had
# allocated 42 bytes per allowed flow at the start: 42 GB, exit 3)
"$STRIDER" conns --json --max-flows 1000000000 "$out/scan.pcap" > "$out/big.jsonl" 2> "$out/big.err"
t "--max-flows 1000000000: exit 0" $? 0
t "--max-flows 1000000000: same rows as the default" "$(md5sum < "$out/big.jsonl")" "$(md5sum < "$out/all.jsonl")"

# order: as connections end; --sort stream is Wireshark's order, same rows
cap=$SHARED/captures/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap
if [ -f "$cap" ]; then
    "$STRIDER" conns --csv "$cap" > "$out/end.csv"
    "$STRIDER" conns --csv --sort stream "$cap" > "$out/stream.csv"
    t "--sort stream is stream order" "$(tail -n +2 "$out/stream.csv" | cut -d, -f2 | tr '\n' ' ')" \
        "$(tail -n +2 "$out/stream.csv" | cut -d, -f2 | sort -n | tr '\n' ' ')"
    t "same rows in both orders" "$(sort "$out/end.csv" | md5sum)" "$(sort "$out/stream.csv" | md5sum)"
    t "--limit 2 writes 2" "$("$STRIDER" conns --json --limit 2 "$cap" | wc -l)" 2
fi

# option values
for args in "--limit x" "--limit -1" "--port abc" "--port 99999" "--idle-timeout abc" \
            "--idle-timeout -5" "--max-flows 0" "--max-flows x" "--stats-interval abc" "--proto icmp"; do
    # shellcheck disable=SC2086
    "$STRIDER" conns $args "$out/scan.pcap" > "$out/opt.out" 2> "$out/opt.err"
    rc=$?
    t "conns $args: exit 2" "$rc" 2
    opt=${args%% *}
    t "conns $args: the message names $opt" "$(head -n 1 "$out/opt.err" | grep -c -- "$opt")" 1
    t "conns $args: nothing on stdout" "$(wc -c < "$out/opt.out")" 0
done
# fragments that never make a datagram are counted and said, not lost
python3 - "$out/shred.pcap" <<'PY'
import struct, sys
f = open(sys.argv[1], "wb")
f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
for i in range(50):  # first fragments only: 50 datagrams never complete
    data = bytes(64)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(data), 0x1000 + i, 0x2000, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    frame = b"\x00" * 12 + b"\x08\x00" + ip + data
    f.write(struct.pack("<IIII", 1700000000, i, len(frame), len(frame)) + frame)
PY
"$STRIDER" summary "$out/shred.pcap" > "$out/shred.txt" 2> "$out/shred.err"
grep -q "IP datagrams NOT reassembled from their fragments: 50 " "$out/shred.txt" \
    || { echo "FAIL summary does not count the lost fragment sets"; cat "$out/shred.txt"; fail=1; }
grep -q "50 IP datagram(s) not reassembled" "$out/shred.err" \
    || { echo "FAIL stderr does not say the lost fragment sets"; cat "$out/shred.err"; fail=1; }
"$STRIDER" summary --json "$out/shred.pcap" 2>/dev/null | grep -q '"frags_incomplete":50' \
    || { echo "FAIL summary --json lacks frags_incomplete"; fail=1; }
# ssh says what happened instead of nothing
"$STRIDER" ssh -n 99 "$REPO/samples/demo.pcap" > "$out/n.out" 2> "$out/n.err"
t "ssh -n 99 (no such stream): exit 1" "$?" 1
grep -q "no SSH connection with tcp.stream 99" "$out/n.err" || { echo "FAIL ssh -n 99: no message"; fail=1; }
wiki=$SHARED/captures/zeek/testing/btest/Traces/wikipedia.pcap
if [ -f "$wiki" ]; then
    "$STRIDER" ssh "$wiki" 2> "$out/nossh.err" > /dev/null
    grep -q "no SSH in 10 TCP connection(s)" "$out/nossh.err" || { echo "FAIL no 'no SSH in N' message"; fail=1; }
fi
# -k is packetStrider's (keystrokes, always on here); --kinds filters kinds
t "ssh -k changes nothing" "$("$STRIDER" ssh -k --json "$REPO/samples/demo.pcap" | md5sum)" \
    "$("$STRIDER" ssh --json "$REPO/samples/demo.pcap" | md5sum)"
t "--kinds keystroke keeps only keystrokes" \
    "$("$STRIDER" ssh --json --kinds keystroke "$REPO/samples/demo.pcap" | grep -o '"kind":"[a-z_]*"' | sort -u)" '"kind":"keystroke"'
"$STRIDER" ssh --records --csv "$REPO/samples/demo.pcap" > /dev/null 2>&1
t "ssh --records --csv: exit 2" "$?" 2
t "ssh -m --csv: a header and one row per connection" \
    "$("$STRIDER" ssh -m --csv "$REPO/samples/demo.pcap" | awk -F, 'NR == 1 { print $1, NF } END { print NR - 1 }' | tr '\n' ' ')" \
    "uid 28 $("$STRIDER" ssh -m --json "$REPO/samples/demo.pcap" | grep -c '"type":"ssh"') "
# extract --force into a directory with a hard link planted under an output
# name: the linked file outside keeps its bytes (the name is unlinked, then
# created), the output is written
cap1=$SHARED/captures/tcpflow/tests/test1-out-of-order.pcap
if [ -f "$cap1" ]; then
    rm -rf "$out/x1" "$out/x2" "$out/outside"; mkdir -p "$out/x2"
    "$STRIDER" extract -q -o "$out/x1" "$cap1" 2>/dev/null
    name=$(ls "$out/x1" | grep -v -e json -e index | head -n 1)
    echo secret > "$out/outside"
    ln "$out/outside" "$out/x2/$name"
    "$STRIDER" extract -q --force -o "$out/x2" "$cap1" 2>/dev/null
    t "extract --force: hard-linked file outside untouched" "$(cat "$out/outside")" secret
    t "extract --force: the output written" "$(cmp -s "$out/x1/$name" "$out/x2/$name" && echo same)" same
fi
# ssh -o DIR with links planted under its file names: nothing written
# through them
rm -rf "$out/sl" "$out/outside2"; mkdir -p "$out/sl"; echo secret > "$out/outside2"
ln "$out/outside2" "$out/sl/events.jsonl"
ln -s "$out/outside2" "$out/sl/events.csv"
"$STRIDER" ssh -o "$out/sl" "$REPO/samples/demo.pcap" > /dev/null 2>&1
t "ssh -o: linked file outside untouched" "$(cat "$out/outside2")" secret
t "ssh -o: events.csv is a file of its own" "$([ -f "$out/sl/events.csv" ] && [ ! -L "$out/sl/events.csv" ] && echo yes)" yes
t "ssh -o: events written" "$(grep -c '"kind"' "$out/sl/events.jsonl")" "$("$STRIDER" ssh --json "$REPO/samples/demo.pcap" | grep -c '"type":"event"')"
# a write error is an error: every command, to a full device
if [ -w /dev/full ]; then
    for args in "conns" "conns --json" "ssh" "ssh --json" "summary" "summary --json" "packets --stream 0" \
                "follow --stream 0"; do
        # shellcheck disable=SC2086
        "$STRIDER" $args "$REPO/samples/demo.pcap" > /dev/full 2> "$out/full.err"
        rc=$?
        t "$args > /dev/full: exit 1" "$rc" 1
        grep -q "cannot write" "$out/full.err" || { echo "FAIL $args > /dev/full: no message"; fail=1; }
    done
fi
# a named output that is a FIFO (or a device such as /dev/null) is written,
# never unlinked and replaced by a regular file
rm -f "$out/plot.fifo" "$out/plot.read"
if mkfifo "$out/plot.fifo"; then
    timeout 20 cat "$out/plot.fifo" > "$out/plot.read" &
    reader=$!
    "$STRIDER" packets --stream 0 --plot "$out/plot.fifo" "$REPO/samples/demo.pcap" > /dev/null 2>&1
    rc=$?
    [ -p "$out/plot.fifo" ] || echo 0 > "$out/plot.fifo" 2> /dev/null # let the reader end if the name was replaced
    wait "$reader"
    t "--plot FIFO: exit 0" "$rc" 0
    t "--plot FIFO: still a FIFO" "$([ -p "$out/plot.fifo" ] && echo yes)" yes
    t "--plot FIFO: the graph went through it" "$(grep -c '</html>' "$out/plot.read")" 1
    rm -f "$out/plot.fifo" "$out/plot.read"
fi
rm -f "$out/scan.pcap" "$out/shred.pcap"
exit $fail
