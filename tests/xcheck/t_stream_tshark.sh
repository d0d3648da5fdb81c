#!/usr/bin/env bash
# Cross-check: `stream` is tshark's tcp.stream / udp.stream on every capture
# (public, crafted, lab) and on captures made here where strider's
# connections and Wireshark's conversations part ways (tests/xcheck/
# mkstreams.py: SYN retried after RST, same ISN after a close, linger and
# UDP idle expiry, mid-stream join then a SYN); see stream_compare.py.
set -u
. "$(dirname "$0")/../lib.sh"
command -v tshark > /dev/null || skip "tshark not installed"
out=$REPO/tests/out/streamno; rm -rf "$out"; mkdir -p "$out"
python3 "$REPO/tests/xcheck/mkstreams.py" "$out" || die "mkstreams failed"
caps=("$out"/*.pcap)
while IFS= read -r f; do caps+=("$f"); done < <(all_captures | grep -v '\.gz$')
python3 "$REPO/tests/xcheck/stream_compare.py" "$STRIDER" "${caps[@]}"
