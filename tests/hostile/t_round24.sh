#!/usr/bin/env bash
# Hostile classes, round 24 (genr24.py): control segments (a RST, a FIN, a
# RST with data, a SYN) in the middle of an SSH session inside IP datagrams
# their receiver discards for their options (round 23 left them: main
# closed the connection, RSTR/RSTO, at a RST its hosts never took);
# control segments at TTL 1 (said, left); a SYN answered by two SYN-ACKs
# of different ISNs; the round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr24.py" "$c" || die "genr24.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# -- (a) control segments in datagrams their receiver discards
run ctl_discard.pcap 0 conns --json
for p in 49401 49402 49403; do
    grep -q "\"id.orig_p\":$p,.*\"conn_state\":\"SF\",\"history\":\"ShAdDaT\{0,1\}Ff\"" "$w/out" ||
        fail "ctl_discard $p: $(port_line $p '"conn_state":"[^"]*","history":"[^"]*"')"
done
run ctl_discard.pcap 0 ssh --json
for p in 49401 49402 49403; do
    grep -q "\"id.orig_p\":$p,.*\"hasshServer\":\"$K\".*\"client_enc_records\":6,.*\"server_enc_records\":6," "$w/out" ||
        fail "ctl_discard $p: $(port_line $p '"[a-z_]*enc_records":[0-9]*')"
done
! grep -q '"data_after_close"' "$w/out" || fail "ctl_discard: a discarded RST or FIN taken as the close"
grep -q '"stream":2,.*"code":"stream_conflict"' "$w/out" || fail "ctl_discard 49403: the RST's bytes not said"
for m in 'frame 21: IPv4 datagram with a source route' 'frame 54: IPv4 datagram with an option whose length' \
    'frame 87: IPv6 datagram with an unknown option whose type says discard'; do
    grep -q "$m" "$w/err" || fail "ctl_discard: no /$m/ on stderr: $(head -3 "$w/err")"
done
expect ctl_discard.pcap out '^ +21 .* RA .* untaken ip-discard$' packets --stream 0
expect ctl_discard.pcap out '^ +54 .* FA .* untaken ip-discard$' packets --stream 1
expect ctl_discard.pcap out '"rst_by_orig":0,"rst_by_resp":0,' summary --json
# the SYN: Wireshark's new stream, as round 22's (left), said
run syn_discard.pcap 0 conns --json
[ "$(grep -c '"uid"' "$w/out")" = 2 ] || fail "syn_discard: $(grep -c '"uid"' "$w/out") connections, not Wireshark's 2"
grep -q 'were ended by a SYN with a new initial sequence number that its receiver answered with no SYN-ACK, first at frame 21' "$w/err" ||
    fail "syn_discard: the split not said: $(head -3 "$w/err")"

# -- (b) control segments at TTL 1: read on, the RST's close doubted (left)
run ctl_ttl_low.pcap 0 ssh --json
for p in 49411 49412; do
    grep -q "\"id.orig_p\":$p,.*\"client_enc_records\":6,.*\"server_enc_records\":6," "$w/out" ||
        fail "ctl_ttl_low $p: $(port_line $p '"[a-z_]*enc_records":[0-9]*')"
done
grep -q '"stream":0,.*"code":"data_after_close"' "$w/out" || fail "ctl_ttl_low 49411: the RST not doubted"

# -- (c) two SYN-ACKs of different ISNs
run synack_two_isn.pcap 0 ssh --json
for p in 49421 49422; do
    grep -q "\"id.orig_p\":$p,.*\"server\":\"SSH-2.0-OpenSSH_9.6\".*\"hasshServer\":\"$K\".*\"server_enc_records\":3," "$w/out" ||
        fail "synack_two_isn $p: $(port_line $p '"server":"[^"]*"\|"server_enc_records":[0-9]*')"
done
run synack_two_isn.pcap 0 conns -R --json
[ "$(grep -c '"conn_state":"SF".*"orig_gap_bytes":0,"resp_gap_bytes":0' "$w/out")" = 2 ] ||
    fail "synack_two_isn: $(field conn_state) $(field resp_gap_bytes)"

# -- (d) the round's files through --jobs 2
jobs_two 'IPv4 datagram with a source route'

echo "round 24: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
