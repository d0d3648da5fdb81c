#!/usr/bin/env bash
# Hostile classes, round 16 (genr16.py): connections the capture joined
# mid-stream on an SSH port carrying another protocol's records (TLS begun
# inside a record, OpenVPN's 16-bit lengths: not claimed; main: claimed,
# `midstream`); a picked-up session whose first captured segment is short
# and printable by chance (claimed; main: refused 38 times in 100 a byte),
# whose first segment is a keep-alive's garbage byte (not read; main: a
# 1-byte record), whose capture began after the client's banner (its
# KEXINIT read; main: read as encrypted, kex_incomplete); a segment the
# snaplen cut re-sent whole (the whole copy read; main: the cut one,
# kexinit_cut, no HASSH). Then what was already right or is left: one side
# only, reordered and re-sent records, 1-byte segments, a 4-tuple reused
# after a picked-up session, cut banners, cuts of every length, caplen
# past the wire length, pcapng interfaces of other snaplens, data past the
# offered window, lines before the banner, long paddings, a FIN in the
# KEXINIT's segment.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr16.py" "$c" || die "genr16.py"

run_every "conns -R --json" "ssh --json" "ssh" "summary" "packets --stream 0" "follow --stream 0" "ssh --records"

OSSH='"server":"SSH-2.0-OpenSSH_9.6"'

# -- (a) mid-stream: another protocol's records on the SSH port
for f in mid_tls_cont mid_tls_bulk mid_ovpn mid_one_side mid_2222_text; do
    run $f.pcap 0 ssh --json
    ! grep -q '"type":"ssh"' "$w/out" || fail "$f: claimed as SSH: $(field midstream)"
    grep -q 'no SSH in 1 TCP connection(s)' "$w/err" || fail "$f: not said: $(cat "$w/err")"
done
expect mid_one_side.pcap out '"id.orig_p":49204' conns --json

# a short first segment, printable by chance: the sample decides
run mid_port_opt.pcap 0 ssh --json --ssh-port 8022
grep -q '"id.orig_p":49213,.*"midstream":true' "$w/out" || fail "mid_port_opt --ssh-port 8022: not claimed"
run mid_port_opt.pcap 0 ssh --json
! grep -q '"type":"ssh"' "$w/out" || fail "mid_port_opt without --ssh-port: claimed"
run mid_tiny.pcap 0 ssh --json
grep -q '"id.orig_p":49208,.*"midstream":true' "$w/out" || fail "mid_tiny: not claimed"

# keep-alives before the first data: no byte of theirs in the stream
run mid_keepalive.pcap 0 ssh --json
grep -q '"midstream":true.*"server_enc_bytes":720,"server_size_modes":\[\[36,20\]\]' "$w/out" ||
    fail "mid_keepalive: $(field server_enc_bytes) $(grep -o '"server_size_modes":[^]]*]]' "$w/out")"
grep -q '"keystrokes":20' "$w/out" || fail "mid_keepalive: $(field keystrokes)"
expect mid_keepalive.pcap out '"missed_bytes":0' conns --json

# reordered and re-sent records: each once
run mid_reorder.pcap 0 ssh --json
grep -q '"midstream":true.*"client_enc_records":22,.*"keystrokes":22' "$w/out" ||
    fail "mid_reorder: $(field client_enc_records) $(field keystrokes)"
expect mid_reorder.pcap out '"missed_bytes":0' conns --json
run mid_retx.pcap 0 ssh --json
grep -q '"midstream":true.*"client_enc_bytes":720,.*"keystrokes":20' "$w/out" ||
    fail "mid_retx: $(field client_enc_bytes) $(field keystrokes)"

# the capture began after the client's banner: its KEXINIT read
run mid_srv_banner.pcap 0 ssh --json
grep -q "$OSSH.*\"cipher_alg\":\"aes128-ctr\".*\"hassh\":\"e97d07603350d1111ec2b64bf25413c9\".*\"outcome\":\"encrypted\"" \
    "$w/out" || fail "mid_srv_banner: $(field hassh) $(field outcome)"
# a 4-tuple opened again after a picked-up session: two sessions
run mid_then_syn.pcap 0 ssh --json
[ "$(grep -c '"id.orig_p":49211,.*"midstream":true' "$w/out")" = 1 ] || fail "mid_then_syn: no midstream session"
[ "$(grep -c "\"id.orig_p\":49211,.*$OSSH.*\"hassh\"" "$w/out")" = 1 ] || fail "mid_then_syn: no second session"

# -- (b) snaplen cuts: a whole re-send wins
for v in "cut_retx_whole hasshServer" "cut_retx_client hassh" "cut_retx_reorder hasshServer"; do
    set -- $v
    run $1.pcap 0 ssh --json
    grep -q "\"$2\":\"e97d07603350d1111ec2b64bf25413c9\"" "$w/out" || fail "$1: no $2: $(field anomalies)"
    ! grep -q 'kexinit_cut' "$w/out" || fail "$1: the cut copy read"
done
# ...and no whole copy: read as cut, said
run cut_twice.pcap 0 ssh --json
grep -q "$OSSH.*\"anomalies\":\[\"snaplen_cut\",\"kexinit_cut\"" "$w/out" || fail "cut_twice: $(field anomalies)"
! grep -q '"hasshServer"' "$w/out" || fail "cut_twice: a HASSH from a cut KEXINIT"
grep -q 'snaplen cut the payload of 2 TCP segment(s) (1 SSH connection(s))' "$w/err" || fail "cut_twice: not said"
run cut_in_banner.pcap 0 ssh --json
grep -q '"server":"SSH-2\.".*"anomalies":\["snaplen_cut","banner_cut"' "$w/out" || fail "cut_in_banner: $(field server)"
run cut_newkeys.pcap 0 ssh --json
grep -q "$OSSH.*\"outcome\":\"encrypted\"" "$w/out" || fail "cut_newkeys: $(field outcome)"
run cut_varying.pcap "0 1" ssh
grep -q '^strider: [0-9]* frame(s) gave no IP packet: truncated link/tunnel header [0-9]*, truncated IP header [0-9]*, truncated TCP/UDP header [0-9]*' \
    "$w/err" || fail "cut_varying: the drops not counted"
grep -qE 'cut_varying.pcap: frame [0-9]+: (TCP|IPv4|Ethernet) header (cut short|truncated): [0-9]+ of [0-9]+ bytes' "$w/err" ||
    fail "cut_varying: frame not named"
run caplen_gt_len.pcap 0 ssh --json
grep -q 'caplen_gt_len.pcap: frame 4: captured length 235 larger than the original length 58' "$w/err" ||
    fail "caplen_gt_len: not said: $(cat "$w/err")"
grep -q "$OSSH" "$w/out" || fail "caplen_gt_len: the bytes past the wire length read: $(field server)" # round 17
run ng_two_snaps.pcapng 0 ssh --json
grep -q '"id.orig_p":49229,.*"hassh":"e97d07603350d1111ec2b64bf25413c9".*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"' \
    "$w/out" || fail "ng_two_snaps 49229: not whole"
grep -q '"id.orig_p":49228,.*"outcome":"encrypted".*"snaplen_cut"' "$w/out" || fail "ng_two_snaps 49228"
grep -q '"id.orig_p":49230,.*"hasshServer":"e97d07603350d1111ec2b64bf25413c9"' "$w/out" || fail "ng_two_snaps 49230"
grep -q 'snaplen cut the payload of 3 TCP segment(s) (2 SSH connection(s))' "$w/err" || fail "ng_two_snaps: not said"
expect ng_snap_lie.pcapng out '"hassh":"e97d0.*"hasshServer":"e97d0' ssh --json

# one direction, every segment cut: nothing waits for an ACK never captured
run cut_oneway.pcap 0 ssh
grep -q 'snaplen cut the payload of 3001 TCP segment(s)' "$w/err" || fail "cut_oneway: not counted: $(cat "$w/err")"
if [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    python3 "$REPO/tests/hostile/genr16.py" oneway 300 "$w/ow300.pcap" || die "genr16.py oneway"
    small=$(rss "$w/ow300.pcap" ssh) big=$(rss "$c/cut_oneway.pcap" ssh)
    [ $((big - small)) -lt 4096 ] || fail "cut_oneway: peak RSS $small KB at 300, $big KB at 3,000"
fi

# -- (c) the cleartext layer
run past_window.pcap 0 ssh --json
grep -q "$OSSH.*\"stream_conflict\"" "$w/out" || fail "past_window: $(field server)" # round 17: doubtful past the window
for f in banner_lines kex_pad_multi fin_mid_kex; do
    run $f.pcap 0 ssh --json
    grep -q "$OSSH.*\"hassh\":\"e97d0.*\"hasshServer\":\"e97d0" "$w/out" || fail "$f: $(field server) $(field hassh)"
done

echo "round 16: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
