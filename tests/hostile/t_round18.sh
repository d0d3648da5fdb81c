#!/usr/bin/env bash
# Hostile classes, round 18 (genr18.py): round 17's leftovers: a banner the
# snaplen cut before its fourth byte (the KEXINIT after it read; main:
# lost), a second banner line (said as one; main: a bare packet_length),
# copies of fragments after their datagram was reassembled (said as
# copies; main: a datagram incomplete at the end). Then what was already
# right: an IP identification reused, a KEXINIT re-sent with other names,
# packet lengths at the 256 KiB edge, TCP timestamps wrapping, KEXINITs
# whose tail, empty lists, odd or non-ASCII names change the HASSH.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr18.py" "$c" || die "genr18.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary" "follow --stream 0"

K=e97d07603350d1111ec2b64bf25413c9
md5() { printf '%s' "$1" | md5sum | cut -d' ' -f1; }

# -- (a) round 17's leftovers
for k in 1 2 3; do
    run cut_banner_$k.pcap 0 ssh --json
    grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"banner_cut\"" "$w/out" ||
        fail "cut_banner_$k: $(field hasshServer) $(field outcome) $(field anomalies)"
    ! grep -q '"server":' "$w/out" || fail "cut_banner_$k: $k bytes kept as a banner: $(field server)"
done
for f in srv_two_banners cli_two_banners; do
    run $f.pcap 0 ssh -m
    grep -q 'packet_too_long, frame [0-9]*: packet_length 1397966893: "SSH-", a second banner line' "$w/out" ||
        fail "$f: the second banner line not said: $(grep too_long "$w/out")"
done

run frag_copy_late.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\"" "$w/out" || fail "frag_copy_late: $(field hasshServer)"
! grep -q 'incomplete at the end\|datagram(s) not reassembled' "$w/err" || fail "frag_copy_late: a copy counted lost"
grep -q '^strider: 1 set(s) of IP fragments came after their datagram was reassembled' "$w/err" ||
    fail "frag_copy_late: the copies not said: $(cat "$w/err")"
expect frag_copy_late.pcap out 'IP fragment sets copying a datagram reassembled before them: 1' summary
run frag_id_reuse.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\".*\"outcome\":\"encrypted\".*\"server_enc_records\":4" "$w/out" ||
    fail "frag_id_reuse: $(field outcome) $(field server_enc_records)"
! grep -q 'datagram(s) not reassembled\|came after their datagram' "$w/err" || fail "frag_id_reuse: $(cat "$w/err")"

# -- (b) the reassembly and the SSH parser
run kex_resent_other.pcap 0 ssh --json
grep -q "\"hasshServer\":\"$K\".*stream_conflict" "$w/out" || fail "kex_resent_other: $(field hasshServer)"
run pkt_max.pcap 0 ssh --json
grep -q "\"hassh\":\"$K\"" "$w/out" || fail "pkt_max: $(field hassh)"
! grep -q packet_too_long "$w/out" || fail "pkt_max: 262144 read as too long"
run pkt_over.pcap 0 ssh --json
grep -q 'packet_too_long' "$w/out" || fail "pkt_over: $(field anomalies)"
! grep -q '"hassh":' "$w/out" || fail "pkt_over: a client HASSH past a packet OpenSSH refuses"
run ts_wrap.pcap 0 ssh --json
grep -q '"client_enc_records":20' "$w/out" || fail "ts_wrap: $(field client_enc_records)"
! grep -qi paws "$w/err" || fail "ts_wrap: a wrapped TSval taken for an old one"

for v in "kex_tail $K" \
    "kex_empty_lists $(md5 'curve25519-sha256;aes128-ctr;hmac-sha2-256;')" \
    "kex_odd_names $(md5 'curve25519-sha256;aes128-ctr,,aes128-ctr,aes256-ctr,;hmac-sha2-256;none')" \
    "kex_non_ascii $(md5 $'curve25519-sha256;aes128-ctr,\xc3\xa4-ctr@x;hmac-sha2-256,\xe2\x80\xaemac;none')"; do
    set -- $v
    run $1.pcap 0 ssh --json
    grep -q "\"hassh\":\"$2\"" "$w/out" || fail "$1: $(field hassh), want $2"
done

mkdir -p "$w/one" && mv "$c/kex_non_ascii.pcap" "$w/one/" && mv "$c" "$w/all" && mv "$w/one" "$c"
safe_every
! LC_ALL=C grep -qa $'\xe2\x80\xae' "$w/out" || fail "kex_non_ascii: a raw U+202E"

echo "round 18: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
