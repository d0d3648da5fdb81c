#!/usr/bin/env bash
# Hostile classes, round 22 (genr22.py): a bare SYN with another ISN in the
# middle of an open SSH session, from either side, answered by a challenge
# ACK (RFC 5961 4.2: the session goes on; main: the rest became a second,
# mid-stream connection, not read as SSH, and nothing said it), and by a
# SYN-ACK (a reuse: nothing to say); a retried SYN that turned window
# scaling on; an SSH client on source port 22 picked up mid-stream; a TCP
# self-connect; and the round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr22.py" "$c" || die "genr22.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

K=e97d07603350d1111ec2b64bf25413c9
SPLIT='open connection\(s\) \(no FIN or RST\) were ended by a SYN with a new initial sequence number that its receiver answered with no SYN-ACK'

# -- (a) a SYN on an open connection: said unless a SYN-ACK answers it
for f in syn_mid_session syn_mid_server; do
    run $f.pcap 0 ssh --json
    grep -qE "^strider: 1 $SPLIT, first at frame 21:" "$w/err" || fail "$f: the split unsaid: $(head -2 "$w/err")"
    grep -q "\"hassh\":\"$K\".*\"client_enc_records\":3," "$w/out" || fail "$f: $(field hassh) $(field client_enc_records)"
done
run syn_reuse_open.pcap 0 conns --json
[ "$(grep -c '"uid"' "$w/out")" = 2 ] || fail "syn_reuse_open: not two connections"
! grep -qE "$SPLIT" "$w/err" || fail "syn_reuse_open: a reuse said as a split: $(head -2 "$w/err")"

# -- (b) the handshake's options, the roles, a self-connect
run syn_retry_wscale.pcap 0 ssh --json
grep -q '"hasshAlgorithms":"curve25519-sha256,name-0000@x,' "$w/out" || fail "syn_retry_wscale: $(field hassh)"
! grep -q "beyond the receiver's window" "$w/err" || fail "syn_retry_wscale: scaling lost: $(head -2 "$w/err")"
run mid_srcport22.pcap 0 ssh --json
grep -q '"hasshAlgorithms":"[^"]*kex-strict-c-v00@openssh.com.*"hasshServerAlgorithms":"[^"]*kex-strict-s-v00@openssh.com.*"client_dir":"resp"' \
    "$w/out" || fail "mid_srcport22: $(field hasshAlgorithms) $(field client_dir)"
run self_connect.pcap 0 conns --json
[ "$(grep -c '"uid"' "$w/out")" = 1 ] || fail "self_connect: not one connection"

# -- (c) the round's files through --jobs 2
jobs_two "$SPLIT"

echo "round 22: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
