#!/usr/bin/env bash
# Hostile classes, round 29 (genr29.py): a SYN|ACK with no data injected
# into an established SSH session at its sender's next number, mid-session
# or before its first data, from either side, which its synchronized
# receiver drops (challenge ACK, RFC 5961 4.2), taking no sequence number
# now (main: taken: the next real segment read as a re-send, a
# retransmission counted, nothing said). Then what was already right: a
# SYN|ACK carrying the attacker's banner (held, never read), the
# handshake's SYN|ACK re-sent, a 4-tuple reused after a close; and what is
# left, said and safe only: a bare SYN at the next number ends the
# connection as Wireshark's new stream (round 22's class,
# docs/known-issues.md, round 29); the round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr29.py" "$c" || die "genr29.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# every port's connection one clean close, no segment read as a re-send
clean() { # FILE PORT...
    local f=$1 p
    shift
    run "$f" 0 conns -R --json
    for p in "$@"; do
        grep -q "\"id.orig_p\":$p,.*\"conn_state\":\"SF\",\"history\":\"ShAdDaFf\",.*\"orig_retrans_pkts\":0,\"resp_retrans_pkts\":0," "$w/out" ||
            fail "$f $p: $(port_line "$p" '"conn_state":"[^"]*","history":"[^"]*"\|"[a-z]*_retrans_pkts":[0-9]*')"
    done
}

SAID="TCP SYN|ACK segment(s) with no data came off their side's initial sequence number once the connection was set up"

# -- (a) a SYN|ACK with no data at the next number: dropped, no number taken
for f in synack_mid:6:21:49741:49742 synack_first:3:4:49743:49744; do
    IFS=: read -r name n fr p1 p2 <<< "$f"
    real "$name.pcap" "$n" "$p1" "$p2"
    grep -qF "strider: 2 $SAID, first at frame $fr: " "$w/err" || fail "$name: not said: $(head -2 "$w/err")"
    clean "$name.pcap" "$p1" "$p2"
done
expect synack_mid.pcap out '^ +21 .* <-  SA .* untaken$' packets --stream 0
expect synack_mid.pcap out '^ +54 .* ->  SA .* untaken$' packets --stream 1
expect synack_first.pcap out '^ +4 .* <-  SA .* untaken$' packets --stream 0

# -- (b) already right: a SYN|ACK with the attacker's banner held, never read
real synack_data.pcap 3 49746 49747
run synack_data.pcap 0 conns --json
for p in 49746 49747; do
    grep -q "\"id.orig_p\":$p,.*\"conn_state\":\"SF\",\"history\":\"ShAdDaFf\"" "$w/out" ||
        fail "synack_data $p: $(port_line "$p" '"conn_state":"[^"]*","history":"[^"]*"')"
done
expect synack_data.pcap out '^ +4 .* <-  SPA .* untaken$' packets --stream 0

# -- (c) the honest counterparts: nothing said
real synack_retx.pcap 3 49748
! grep -q 'SYN' "$w/err" || fail "synack_retx: $(grep 'SYN' "$w/err")"
expect synack_retx.pcap out '"id.orig_p":49748,.*"conn_state":"SF","history":"ShAdDaFf"' conns --json
run syn_reuse.pcap 0 ssh --json
[ "$(grep -c "\"id.orig_p\":49749,.*\"hassh\":\"$K\".*\"hasshServer\":\"$K\".*\"client_enc_records\":3,.*\"server_enc_records\":3," "$w/out")" = 2 ] ||
    fail "syn_reuse: $(field client_enc_records)"
! grep -q 'SYN' "$w/err" || fail "syn_reuse: $(grep 'SYN' "$w/err")"
run syn_reuse.pcap 0 conns --json
[ "$(grep -c '"id.orig_p":49749,.*"conn_state":"SF","history":"ShAdDaFf"' "$w/out")" = 2 ] || fail "syn_reuse: $(field history)"

# -- (d) left: a bare SYN ends the connection as Wireshark's new stream, said
# (see docs/known-issues.md, round 29)
run syn_mid.pcap 0 ssh --json
grep -q '"id.orig_p":49745,.*"client_enc_records":3,' "$w/out" || fail "syn_mid: $(field client_enc_records)"
grep -q 'strider: 1 open connection(s) (no FIN or RST) were ended by a SYN .*, first at frame 21: ' "$w/err" ||
    fail "syn_mid: the split not said: $(head -2 "$w/err")"

# -- (e) the round's files through --jobs 2
jobs_two 'TCP SYN\|ACK segment\(s\) with no data came off'

echo "round 29: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
