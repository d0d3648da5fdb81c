#!/usr/bin/env bash
# Data beyond the receiver's window (RFC 9293 3.10.7.4): a segment 100 KB
# past a 256-byte window that the receiver never ACKs is an injection: kept
# out of follow and extract, counted (conns -R: out_of_window and its frame),
# said on stderr. The same jump that the receiver does ACK (a capture that
# lost packets) is kept. Every shared capture: no connection loses data this
# way (no false drops).
set -u
. "$(dirname "$0")/evlib.sh"
python3 "$REPO/tests/evasion/mkoow.py" "$out/oow.pcap" || die "cannot write the capture"
"$STRIDER" follow --stream 0 "$out/oow.pcap" > "$out/f0.txt" 2> "$out/f0.err"
t "injected bytes not shown" "$(grep -c INJECTED "$out/f0.txt")" 0
t "no invented gap" "$(grep -c 'missing in capture' "$out/f0.txt")" 0
grep -q "beyond the receiver's window, never ACKed, left out of the stream (first: frame 5)" "$out/f0.err" \
    || { echo "FAIL follow does not say it (frame 5)"; cat "$out/f0.err"; fail=1; }
"$STRIDER" follow --stream 1 "$out/oow.pcap" > "$out/f1.txt" 2>&1
t "ACKed jump kept" "$(grep -c LATEDATA "$out/f1.txt")" 1
t "conns -R counts it" "$("$STRIDER" conns -R --json "$out/oow.pcap" 2>/dev/null | grep -o '"out_of_window":[0-9]*,"out_of_window_frame":[0-9]*')" \
    '"out_of_window":1,"out_of_window_frame":5'
rm -rf "$out/x"
"$STRIDER" extract -q -o "$out/x" "$out/oow.pcap" 2>/dev/null
t "extract writes no injected bytes" "$(cat "$out/x"/*40000* 2>/dev/null | grep -c INJECTED)" 0
# a hole longer than --max-hole is not written out as NULs (a few KB of
# capture must not make a file of 100+ GB): counted in the index and said
rm -rf "$out/h" "$out/h2"
"$STRIDER" extract -o "$out/h" --max-hole 1000 "$out/oow.pcap" 2> "$out/h.err" > /dev/null
f=$(ls "$out/h" | grep '40001-' | grep -v json)
t "--max-hole 1000: 18 + 1000 + 8 bytes" "$(stat -c %s "$out/h/$f")" 1026
t "--max-hole: the index counts the cut" "$(grep -o '"orig_hole_bytes_cut":[0-9]*,"orig_first_cut_offset":[0-9]*' "$out/h/index.jsonl")" \
    '"orig_hole_bytes_cut":98982,"orig_first_cut_offset":1018'
grep -q "1 hole(s) cut by --max-hole: 98982 missing bytes" "$out/h.err" || { echo "FAIL no --max-hole message"; fail=1; }
"$STRIDER" extract -q -o "$out/h2" "$out/oow.pcap" 2>/dev/null
t "default: the hole kept whole (stream offsets)" "$(stat -c %s "$out/h2/$f")" 100008
if [ -z "${STRIDER_SANITIZED:-}" ]; then # every shared capture: nothing dropped
    n=0
    while read -r f; do
        k=$("$STRIDER" conns -R -q --json "$f" 2>/dev/null | grep -c '"out_of_window"')
        [ "$k" -gt 0 ] && { echo "note: $k connection(s) with out_of_window in $f"; n=$((n + k)); }
    done < <(all_captures)
    t "no false drops on the shared captures" "$n" 0
fi
exit $fail
