#!/usr/bin/env bash
# --bpf leaves the numbers alone: frame, stream and uid are those of the
# whole capture (what Wireshark shows without the filter), including port
# reuse split by packets the filter rejects, on crafted and shared captures,
# for conns and ssh; tshark agrees on the streams of the shared captures.
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/bpf; mkdir -p "$out"
fail=0
t() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got [$2] want [$3]"; fail=1; fi; }
cols() { "$STRIDER" conns --csv --sort stream "$@" | tail -n +2 | cut -d, -f1,2 | tr '\n' ' '; }

python3 "$REPO/tests/stream/mkreuse.py" "$out/reuse.pcap" || die "mkreuse failed"
all=$(cols "$out/reuse.pcap")
t "four connections, the reused ports split" "$(echo "$all" | wc -w)" 4
# uid,stream of the unfiltered rows that the filter keeps
keep() { for r in $all; do case "$r" in *",$1") printf '%s ' "$r";; esac; done; }
pick() { for s in "$@"; do keep "$s"; done; }
t "host filter: streams 0 and 2 keep their numbers" "$(cols --bpf 'host 10.0.0.1' "$out/reuse.pcap")" "$(pick 0 2)"
t "the other host: stream 1 (two connections, as Wireshark)" "$(cols --bpf 'not host 10.0.0.1' "$out/reuse.pcap")" "$(pick 1)"
# the FINs that end stream 1 are filtered out: the SYN after them (same
# ISN) must still start stream 2, as it does without the filter
t "close hidden by the filter still splits" "$(cols --bpf 'not tcp[13] & 1 != 0' "$out/reuse.pcap")" "$all"
"$STRIDER" conns --json --bpf 'host 10.0.0.1' "$out/reuse.pcap" > "$out/f.json"
t "first_frame is the whole capture's" "$(grep -o '"first_frame":[0-9]*' "$out/f.json" | tr '\n' ' ')" \
    '"first_frame":1 "first_frame":25 '
# shared captures: for each server address, the filtered rows are exactly
# the unfiltered rows of that address (uid and stream)
for cap in "$SHARED/captures/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap" \
           "$SHARED/captures/zeek/testing/btest/Traces/wikipedia.pcap"; do
    [ -f "$cap" ] || continue
    "$STRIDER" conns --csv --sort stream "$cap" | tail -n +2 > "$out/all.csv"
    for h in $(cut -d, -f9 "$out/all.csv" | sort -u | head -5); do
        want=$(awk -F, -v h="$h" '$7==h || $9==h {printf "%s,%s ", $1, $2}' "$out/all.csv")
        t "$(basename "$cap") host $h" "$(cols --bpf "host $h" "$cap")" "$want"
        command -v tshark > /dev/null || continue
        t "$(basename "$cap") host $h: tshark's tcp.stream" \
            "$("$STRIDER" conns --csv --proto tcp --bpf "host $h" "$cap" | tail -n +2 | cut -d, -f2 | sort -n | tr '\n' ' ')" \
            "$(tshark -r "$cap" -Y "ip.addr==$h" -T fields -e tcp.stream 2> /dev/null | grep . | sort -nu | tr '\n' ' ')"
    done
done

# ssh: the stream in the filter the report prints is the whole capture's
cap=$REPO/tests/lab/fixtures/forward_L_http.pcap
if [ -f "$cap" ]; then
    t "ssh --bpf keeps the stream" "$("$STRIDER" ssh --json --bpf 'tcp port 22' "$cap" | grep -o '"stream":[0-9]*' | sort -u | tr '\n' ' ')" \
        "$("$STRIDER" ssh --json "$cap" | grep -o '"stream":[0-9]*' | sort -u | tr '\n' ' ')"
fi
exit $fail
