#!/usr/bin/env bash
# Zeek's history letters and content gaps on crafted connections
# (mkhist.py says what each one tests). The expected values are Zeek's
# rules applied by hand: update_history (Q, I, S/H/F/R again at a new
# relative sequence number), update_last_seq (T), update_window (W) and the reassembler's
# gaps (ACKed bytes the capture does not hold, snaplen-cut payload
# included; none in a partial connection).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/zeekhist; mkdir -p "$out"
python3 "$REPO/tests/zeek/mkhist.py" "$out/hist.pcap" || die "mkhist failed"
got=$("$STRIDER" conns --csv --sort stream --fields stream,history,missed_bytes "$out/hist.pcap" 2>"$out/err" | tail -n +2 | tr '\n' ' ')
want="0,Qr,0 1,ShAI,0 2,ShARRR,0 3,ShAFF,0 4,Shrh,0 5,ShADaG,90 6,ShADfg,500 7,ShADTa,0 8,Da,0 9,ShADaGG,100 10,ShAFWR,0 11,ShADaGGGG,10300 "
[ "$got" = "$want" ] || die "got [$got] want [$want]"
grep -q "^strider: 6 missing piece(s) of stream were counted in missed_bytes before" "$out/err" ||
    die "the early-counted gaps are not said on stderr: $(cat "$out/err")"
# missed_bytes agrees with the reassembler's gap count (conns -R) where the
# connection is established: the snaplen-cut 90 bytes, the 500 unseen and
# the ten holes
got=$("$STRIDER" conns -R --json "$out/hist.pcap" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["stream"] in (5, 6, 9):
        print(r["stream"], r["missed_bytes"], r["orig_gap_bytes"] + r["resp_gap_bytes"], end=" ")')
[ "$got" = "5 90 90 6 500 500 9 100 100 " ] || die "missed_bytes vs conns -R gaps: got [$got]"
echo "ok   history and gaps as Zeek's rules give them"
