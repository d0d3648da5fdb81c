#!/usr/bin/env bash
# Who is the client of a connection joined mid-stream: the likely-server-
# port rule (well-known ports and ports seen answering a SYN) makes the
# receiver of a server's first packet the originator, marked '^' in the
# history (as Zeek) and orig_by=server_port; with no port to go by the
# first sender stays the originator (orig_by=first_packet).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/orig; mkdir -p "$out"
python3 "$REPO/tests/stream/mkmid.py" "$out/mid.pcap" || die "mkmid failed"
got=$("$STRIDER" conns --csv --sort stream --fields stream,id.orig_p,id.resp_p,history,orig_by "$out/mid.pcap" | tail -n +2 | tr '\n' ' ')
want="0,50000,22,^dA,server_port 1,50001,7777,ShA,syn 2,50002,7777,^dA,server_port 3,40000,50003,D,first_packet 4,50004,443,^h,synack "
[ "$got" = "$want" ] || die "got [$got] want [$want]"
echo "ok   $got"
