#!/usr/bin/env bash
# Zeek's conn.log rules on crafted connections (mkrules.py): a RST after a
# FIN exchange keeps SF; a RST's payload is not in orig_bytes (but in
# orig_payload_bytes, the bytes on the wire); a RST after one FIN is RSTO;
# data on a SYN or a FIN counts in orig_bytes but adds no D to the history.
# The RST with data gets a T: it takes no sequence space, so its payload
# reaches no further than what the side had sent (Zeek's update_last_seq
# calls that a retransmission).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/zeekrules; mkdir -p "$out"
python3 "$REPO/tests/zeek/mkrules.py" "$out/rules.pcap" || die "mkrules failed"
got=$("$STRIDER" conns --csv --sort stream --fields stream,conn_state,orig_bytes,orig_payload_bytes,history "$out/rules.pcap" | tail -n +2 | tr '\n' ' ')
want="0,SF,0,0,ShAFfR 1,RSTO,3,11,ShADRT 2,RSTO,0,0,ShAFR 3,SF,7,7,ShAFf "
[ "$got" = "$want" ] || die "got [$got] want [$want]"
echo "ok   $got"
