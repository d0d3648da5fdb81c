#!/usr/bin/env bash
# Checksums (sd_csum): a segment with a wrong checksum never reached the
# receiver, so the attacker's "GET /evil" sent before the real request with
# a bad checksum is not in follow, and a forged RST with a bad one does not
# end the connection (Zeek: history C, SF); --checksum off shows what a
# tool that does not check sees. Offload's unfinished checksums (Linux's
# pseudo-header sum) lose nothing under auto and are all wrong under verify.
# IPv6 UDP too. Every mode is said on stderr and counted in conns -R,
# summary and packets.
set -u
. "$(dirname "$0")/evlib.sh"
python3 "$REPO/tests/evasion/mkcsum.py" "$out/csum.pcap" || die "cannot write the capture"
c=$out/csum.pcap
"$STRIDER" follow -n 0 "$c" > "$out/c0.txt" 2> "$out/c0.err"
t "auto: the inserted bytes are not in the stream" "$(grep -c evil "$out/c0.txt")" 0
t "auto: the real request is" "$(grep -c 'GET /real' "$out/c0.txt")" 1
t "auto: said at the end" "$(grep -c '2 TCP segment(s) and 1 UDP datagram(s) with a wrong checksum' "$out/c0.err")" 1
"$STRIDER" follow --checksum off -n 0 "$c" > "$out/c0off.txt" 2>&1
t "off: the inserted copy is read first (as tshark shows it)" "$(grep -c 'GET /evil' "$out/c0off.txt")" 1
j() { "$STRIDER" conns -R --json "$@" "$c" 2>/dev/null | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["proto"], r["id.orig_p"], r["conn_state"], r["history"], r["orig_pkts"], r["resp_pkts"],
          r.get("orig_bad_checksums", 0), r.get("resp_bad_checksums", 0))'; }
t "auto: the bad RST ends nothing, C/c counted apart" "$(j | tr '\n' '|')" \
    "tcp 40000 SF ShACDdcFf 5 3 1 1|tcp 40001 SF ShADdFf 5 3 0 0|udp 5353 SF DCd 1 1 1 0|"
t "verify: offload's partial sums are wrong too" "$(j --checksum verify | sed -n 2p)" "tcp 40001 OTH Cc 0 0 5 3"
t "off: every packet counts, the RST too" "$(j --checksum off | head -1)" "tcp 40000 RSTR ShADTdrFf 6 4 0 0"
t "packets: the note" "$("$STRIDER" packets -n 0 "$c" 2>/dev/null | grep -c bad-checksum)" 2
t "summary: the count" "$("$STRIDER" summary -q "$c" 2>/dev/null | grep -c 'wrong checksums, kept out as their receivers dropped them: 2 TCP, 1 UDP')" 1
t "summary --json: the count" "$("$STRIDER" summary --json -q "$c" 2>/dev/null | head -1 | grep -o '"bad_checksum_tcp":2,"bad_checksum_udp":1')" \
    '"bad_checksum_tcp":2,"bad_checksum_udp":1'
"$STRIDER" conns --checksum sometimes "$c" > /dev/null 2> "$out/cbad.err"
t "a bad mode is a usage error" "$?" 2
t "the message names the modes" "$(grep -c 'auto, verify or off' "$out/cbad.err")" 1
# Zeek's own trace: a lone SYN with a bad checksum is C and OTH (its baseline)
z=$SHARED/captures/zeek/testing/btest/Traces/tcp/syn-bad.pcap
[ -f "$z" ] && t "zeek syn-bad: C, OTH, no packet counted" \
    "$("$STRIDER" conns --json "$z" 2>/dev/null | grep -o '"conn_state":"OTH","history":"C","orig_pkts":0')" \
    '"conn_state":"OTH","history":"C","orig_pkts":0'
exit $fail
