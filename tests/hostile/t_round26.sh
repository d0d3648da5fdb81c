#!/usr/bin/env bash
# Hostile classes, round 26 (genr26.py): a FIN its connected receiver
# drops for the segment's other flags (no ACK: a bare FIN, nmap's Xmas; a
# SYN with it; either side; with the attacker's data) taken as no close
# (main: the close: `data_after_close` on the rest of every session,
# history ShAdDaFFf, a SYN|FIN|ACK read as two numbers and a record too
# many), a RST with no ACK still taken. Then what was already right: one
# 4-tuple reused by 1,000 whole SSH sessions (1,000 connections, memory
# bounded), DLT_NULL in both byte orders with the BSDs' AF_INET6 values,
# DLT_LOOP, LINKTYPE_IPV4, packet_lengths 0 to 2^32-1 as a first binary
# packet (each flagged, no HASSH), an SSH-1.99 server; the round's files
# through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr26.py" "$c" || die "genr26.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# -- (a) FINs a connected receiver drops for their other flags: no close
run fin_flags.pcap 0 conns --json
for p in 49601 49602 49603 49604 49605; do
    grep -q "\"id.orig_p\":$p,.*\"conn_state\":\"SF\",\"history\":\"ShAdDaT\{0,1\}Ff\"" "$w/out" ||
        fail "fin_flags $p: $(port_line $p '"conn_state":"[^"]*","history":"[^"]*"')"
done
grep -q 'strider: 5 TCP FIN segment(s) came with no ACK flag or with a SYN, first at frame 21: ' "$w/err" ||
    fail "fin_flags: the dropped FINs not said: $(head -3 "$w/err")"
run fin_flags.pcap 0 ssh --json
for p in 49601 49602 49603 49604 49605; do
    grep -q "\"id.orig_p\":$p,.*\"hasshServer\":\"$K\".*\"client_enc_records\":6,.*\"server_enc_records\":6," "$w/out" ||
        fail "fin_flags $p: $(port_line $p '"[a-z_]*enc_records":[0-9]*')"
done
! grep -q '"data_after_close"' "$w/out" || fail "fin_flags: a dropped FIN taken as the close: $(port_line '[0-9]*' '"id.orig_p":[0-9]*,')"
expect fin_flags.pcap out '^ +21 .* ->  F  .* untaken$' packets --stream 0
expect fin_flags.pcap out '^ +153 .* <-  F  .* untaken$' packets --stream 4
# a RST is checked before the ACK bit: one with no ACK at the next number closes
expect rst_noack.pcap out '"id.orig_p":49606,.*"conn_state":"RSTO",' conns --json

# -- (b) one 4-tuple reused by 1,000 whole sessions: 1,000 connections, memory bounded
run reuse_1000.pcap 0 conns --json
[ "$(grep -c '"id.orig_p":49610,.*"conn_state":"SF","history":"ShAdDaFf"' "$w/out")" = 1000 ] ||
    fail "reuse_1000: $(grep -c '"uid"' "$w/out") connections, $(grep -c '"conn_state":"SF"' "$w/out") SF"
run reuse_1000.pcap 0 ssh --json
[ "$(grep -c "\"hassh\":\"$K\",.*\"hasshServer\":\"$K\".*\"client_enc_records\":1,.*\"server_enc_records\":1," "$w/out")" = 1000 ] ||
    fail "reuse_1000 ssh: $(grep -c "\"hassh\":\"$K\"" "$w/out") HASSHes"
one=$(rss "$c/banner_199.pcap" ssh --json) many=$(rss "$c/reuse_1000.pcap" ssh --json)
[ "$many" -lt $((one + 32768)) ] || fail "reuse_1000: ${many} KB peak RSS, one session ${one} KB"

# -- (c) loopback link types: every session read
for f in link_null_be:49620 link_null_be:49621 link_null_le:49622 link_null_le:49623 link_loop:49624 \
    link_loop:49625 link_ipv4:49626; do
    expect "${f%%:*}.pcap" out "\"id.orig_p\":${f##*:},.*\"hassh\":\"$K\".*\"client_enc_records\":6,.*\"server_enc_records\":6," \
        ssh --json
done

# -- (d) packet lengths no receiver takes: each flagged, no client HASSH
run plen_first.pcap 0 ssh --json
for pl in 0:packet_too_short:0 1:packet_too_short:1 2:packet_too_short:4 3:packet_misaligned:5 \
    4:packet_misaligned:7 5:packet_too_long:4294967295 6:packet_too_long:300000; do
    IFS=: read -r k code n <<< "$pl"
    grep -q "\"stream\":$k,.*\"code\":\"$code\",\"note\":\"packet_length $n\"" "$w/out" ||
        fail "plen_first stream $k: $(grep "\"stream\":$k," "$w/out" | grep -o '"code":"[^"]*","note":"[^"]*"')"
done
! grep -q "\"hassh\":\"$K\"" "$w/out" || fail "plen_first: a client HASSH from a packet no receiver took"
[ "$(grep -c "\"hasshServer\":\"$K\"" "$w/out")" = 7 ] || fail "plen_first: $(field hasshServer)"

# -- (e) an SSH-1.99 server speaks 2.0
expect banner_199.pcap out "\"version\":2,.*\"hassh\":\"$K\".*\"hasshServer\":\"$K\".*\"client_enc_records\":6," ssh --json

# -- (f) the round's files through --jobs 2
jobs_two 'TCP FIN segment\(s\) came with no ACK flag or with a SYN'

echo "round 26: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
