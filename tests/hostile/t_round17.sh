#!/usr/bin/env bash
# Hostile classes, round 17 (genr17.py): round 16's leftovers: a capture
# begun between the banners and the KEXINITs (read as SSH: both HASSHes;
# main: not SSH), a banner the snaplen cut inside its line (the KEXINIT
# after it read; main: lost), caplen past the wire length (read to the
# wire length; main: the attacker's bytes past it), bytes past the offered
# window (doubtful: a re-send replaces them; main: read first-wins); two
# pcaps put end to end (both read; main: the rest of the file skipped).
# Then what was already right: a window update the capture missed, window
# scaling, every frame captured twice, Fast Open accepted, a 4-tuple
# reused after a RST, exact duplicate fragments, an IPv6 fragment whose
# fragmentable part starts with an extension header, an IDB after another
# interface's packets, two banners from one side, terminal and markup
# sequences and bad UTF-8 in a banner.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr17.py" "$c" || die "genr17.py"

run_every "conns -R --json" "ssh --json" "ssh" "summary" "packets --stream 0" "follow --stream 0" "ssh --records"

OSSH='"server":"SSH-2.0-OpenSSH_9.6"'
K=e97d07603350d1111ec2b64bf25413c9

# -- (a) round 16's leftovers
for f in mid_kex mid_kex_split; do
    run $f.pcap 0 ssh --json
    grep -q "\"type\":\"ssh\".*\"cipher_alg\":\"aes128-ctr\".*\"hassh\":\"$K\".*\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\"" \
        "$w/out" || fail "$f: not read as SSH: $(cat "$w/err") $(field hassh) $(field outcome)"
done
run mid_kex_srv_only.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\"" "$w/out" || fail "mid_kex_srv_only: $(field outcome)"
! grep -q newkeys_before_kexinit "$w/out" || fail "mid_kex_srv_only: newkeys_before_kexinit for a KEXINIT missed"

run cut_banner_split.pcap 0 ssh --json
grep -q "\"server\":\"SSH-2\\.\".*\"hasshServer\":\"$K\".*\"banner_cut\"" "$w/out" ||
    fail "cut_banner_split: $(field server) $(field hasshServer)"
run cut_banner_one.pcap 0 ssh --json
grep -q "\"server\":\"SSH-\".*\"hasshServer\":\"$K\"" "$w/out" || fail "cut_banner_one: $(field hasshServer)"

run caplen_gt_len.pcap 0 ssh --json
grep -q "$OSSH.*\"hasshServer\":\"$K\"" "$w/out" || fail "caplen_gt_len: $(field server)"
! grep -q 'EVIL\|stream_conflict' "$w/out" || fail "caplen_gt_len: the bytes past the wire length read"
grep -q 'caplen_gt_len.pcap: frame 4: captured length 219 larger than the original length 58' "$w/err" ||
    fail "caplen_gt_len: the frame not named"
grep -q 'caplen_gt_len.pcap: 1 record(s) with a captured length past their original length' "$w/err" ||
    fail "caplen_gt_len: not counted"
run caplen_pad.pcap 0 ssh --json
grep -q "\"hassh\":\"$K\".*\"hasshServer\":\"$K\"" "$w/out" || fail "caplen_pad: $(field hassh)"
! grep -q snaplen_cut "$w/out" || fail "caplen_pad: read as cut"
[ "$(grep -c 'larger than the original length' "$w/err")" = 1 ] || fail "caplen_pad: one message a record"
grep -q 'caplen_pad.pcap: 23 record(s) with a captured length past' "$w/err" || fail "caplen_pad: not counted"

for f in past_window past_window_whole; do
    run $f.pcap 0 ssh --json
    grep -q "$OSSH.*\"hasshServer\":\"$K\"" "$w/out" || fail "$f: $(field server) $(field hasshServer)"
done
run win_missed_update.pcap 0 ssh --json
grep -q "$OSSH.*\"hasshServer\":\"$K\"" "$w/out" || fail "win_missed_update: $(field hasshServer)"
! grep -q stream_conflict "$w/out" || fail "win_missed_update: a conflict"
run win_scaled.pcap 0 ssh --json
grep -q '"hasshServer":"8057651d6c08c0fea6907740b54c73cd".*"client_enc_records":12' "$w/out" ||
    fail "win_scaled: $(field hasshServer) $(field client_enc_records)"
! grep -q stream_conflict "$w/out" || fail "win_scaled: a conflict"

# -- (b) TCP and IP
run dup_every.pcap 0 ssh --json
recs() { grep "\"id.orig_p\":$1," "$w/out" | grep -oE '"(client|server)_enc_(records|bytes)":[0-9]+' | tr '\n' ' '; }
[ -n "$(recs 49321)" ] && [ "$(recs 49321)" = "$(recs 49322)" ] || fail "dup_every: $(recs 49321) vs $(recs 49322)"
! grep -q stream_conflict "$w/out" || fail "dup_every: a conflict"
expect dup_every.pcap out '"id.orig_p":49321,.*"missed_bytes":0' conns --json
run tfo_accepted.pcap 0 ssh --json
grep -q "\"client\":\"SSH-2.0-OpenSSH_9.6\",$OSSH.*\"hassh\":\"$K\".*\"hasshServer\":\"$K\"" "$w/out" ||
    fail "tfo_accepted: $(field client) $(field hassh)"
run reuse_rst.pcap 0 ssh --json
[ "$(grep -o '"id.orig_p":49324,.*"server":"SSH-2.0-OpenSSH_9.[67]"' "$w/out" | grep -o '9\.[67]"$' | tr '\n' ' ')" = '9.6" 9.7" ' ] ||
    fail "reuse_rst: $(field server)"
run frag_dup_exact.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\"" "$w/out" || fail "frag_dup_exact: $(field hasshServer)"
! grep -q 'rejected\|dropped:' "$w/err" || fail "frag_dup_exact: a copy rejected: $(cat "$w/err")"
expect frag6_dst_after.pcap out "\"hasshServer\":\"$K\"" ssh --json

# -- (c) files and the cleartext SSH layer
for v in "cat_pcaps 49331 49332 1" "cat_swapped 49334 49335 101"; do
    set -- $v
    run $1.pcap 0 ssh --json
    for p in $2 $3; do
        grep -q "\"id.orig_p\":$p,.*\"hasshServer\":\"$K\"" "$w/out" || fail "$1: $p not read"
    done
    grep -q "$1.pcap: frame 27: a pcap file header where a record's should be .*link type $4" "$w/err" ||
        fail "$1: not said: $(head -c 300 "$w/err")"
done
grep -q '"ts":1700000010\.001000,.*"id.orig_p":49335' "$w/out" || fail "cat_swapped: 49335 misdated: $(field ts)"
run ng_late_idb.pcapng 0 ssh --json
grep -q "\"id.orig_p\":49333,.*\"hassh\":\"$K\".*\"hasshServer\":\"$K\".*\"client_enc_records\":10" "$w/out" ||
    fail "ng_late_idb: $(field client_enc_records)"
! grep -q 'time goes back' "$w/err" || fail "ng_late_idb: the time went back"
[ "$(grep -c '"type":"ssh"' "$w/out")" = 1 ] || fail "ng_late_idb: not one connection"

run srv_two_banners.pcap 0 ssh --json
grep -q "$OSSH" "$w/out" || fail "srv_two_banners: $(field server)"
! grep -q '"server":"SSH-2.0-EVIL' "$w/out" || fail "srv_two_banners: the second banner taken"
run cli_two_banners.pcap 0 ssh --json
grep -q '"client":"SSH-2.0-OpenSSH_9.6"' "$w/out" || fail "cli_two_banners: $(field client)"
! grep -q '"client":"SSH-2.0-EVIL' "$w/out" || fail "cli_two_banners: the second banner taken"

mkdir -p "$w/term" && mv "$c/banner_term.pcap" "$w/term/" && mv "$c" "$w/all" && mv "$w/term" "$c"
safe_every
run banner_term.pcap 0 ssh --json
grep -q '"server":"SSH-2.0-Open' "$w/out" || fail "banner_term: the banner's text lost: $(field server)"

echo "round 17: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
