#!/usr/bin/env bash
# Hostile classes, round 25 (genr25.py): a SYN retransmitted with the same
# ISN and other options before the SYN-ACK (main kept the first SYN's: window
# scaling lost where the SYN-ACK answered a retry that carried it) and after
# it, a SYN-ACK so retransmitted; a RST and a FIN at TTL 1 that their
# receiver took (it fell silent: the close stands) and that it did not (it
# ACKed past them: undone; main kept RSTO and the TTL-1 FIN); a forged SYN's challenge
# ACK answered by a RST at TTL 1 (round 22's split, said); the round's files
# through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr25.py" "$c" || die "genr25.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# -- (a) handshake segments retransmitted with other options: the SYN the
# SYN-ACK answered (the last before it) gives the options, as tshark
run syn_retx_opts.pcap 0 conns -R --json
for p in 49501 49502; do
    grep -q "\"id.orig_p\":$p,.*\"orig_wscale\":7,\"resp_wscale\":7,.*\"resp_win_max\":65536," "$w/out" ||
        fail "syn_retx_opts $p: $(port_line $p '"[a-z]*_wscale":[0-9]*\|"resp_win_max":[0-9]*')"
done
run syn_retx_opts.pcap 0 ssh --json
[ "$(grep -c '"hasshAlgorithms":"curve25519-sha256,name-0000@x,' "$w/out")" = 2 ] || fail "syn_retx_opts: $(field hassh)"
run synack_retx_opts.pcap 0 conns -R --json
grep -q '"resp_win_max":512,' "$w/out" && ! grep -q '_wscale"' "$w/out" ||
    fail "synack_retx_opts: the second SYN-ACK's scaling taken: $(field resp_win_max) $(field resp_wscale)"
run synack_retx_opts.pcap 0 ssh --json
grep -q '"hasshAlgorithms":"curve25519-sha256,name-0000@x,' "$w/out" || fail "synack_retx_opts: $(field hassh)"

# -- (b) a RST and a FIN at TTL 1 that their receiver took: the close stands
run ctl_ttl_taken.pcap 0 conns --json
grep -q '"id.orig_p":49521,.*"conn_state":"RSTR","history":"ShAdDar"' "$w/out" ||
    fail "ctl_ttl_taken 49521: $(port_line 49521 '"conn_state":"[^"]*","history":"[^"]*"')"
grep -q '"id.orig_p":49522,.*"conn_state":"SF",' "$w/out" ||
    fail "ctl_ttl_taken 49522: $(port_line 49522 '"conn_state":"[^"]*","history":"[^"]*"')"
run ctl_ttl_taken.pcap 0 ssh --json
! grep -q '"data_after_close"' "$w/out" || fail "ctl_ttl_taken: a close its receiver took doubted"

# a RST or FIN at TTL 1 its receiver ACKed past: undone (main: RSTO, the
# TTL-1 FIN the first)
run ctl_ttl_untaken.pcap 0 conns --json
grep '"id.orig_p":49523,.*"conn_state":"SF",.*"first_fin":"orig","first_fin_frame":31,' "$w/out" | grep -vq '"first_rst"' ||
    fail "ctl_ttl_untaken 49523: $(port_line 49523 '"conn_state":"[^"]*"\|"first_[a-z_]*":[^,]*')"
grep -q '"id.orig_p":49524,.*"conn_state":"SF",.*"first_fin":"orig","first_fin_frame":64,' "$w/out" ||
    fail "ctl_ttl_untaken 49524: $(port_line 49524 '"conn_state":"[^"]*"\|"first_[a-z_]*":[^,]*')"
grep -q '"id.orig_p":49525,.*"conn_state":"SF",' "$w/out" ||
    fail "ctl_ttl_untaken 49525: $(port_line 49525 '"conn_state":"[^"]*"\|"first_[a-z_]*":[^,]*')"
run ctl_ttl_untaken.pcap 0 ssh --json
for p in 49523 49524; do
    grep -q "\"id.orig_p\":$p,.*\"client_enc_records\":6,.*\"server_enc_records\":6," "$w/out" ||
        fail "ctl_ttl_untaken $p: $(port_line $p '"[a-z_]*enc_records":[0-9]*')"
done

# -- (c) a forged SYN, its challenge ACK, the forger's RST at TTL 1 (left:
# the split said, as round 22's)
run syn_challenge_rst.pcap 0 ssh --json
grep -q 'were ended by a SYN with a new initial sequence number that its receiver answered with no SYN-ACK, first at frame 21' \
    "$w/err" || fail "syn_challenge_rst: the split not said: $(head -3 "$w/err")"
grep -q "\"id.orig_p\":49531,.*\"hasshServer\":\"$K\".*\"client_enc_records\":3," "$w/out" ||
    fail "syn_challenge_rst: $(field client_enc_records)"

# -- (d) the round's files through --jobs 2
jobs_two 'were ended by a SYN with a new initial sequence number'

echo "round 25: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
