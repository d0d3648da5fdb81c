#!/usr/bin/env bash
# Captures built to deceive the TCP and SSH layers (gendeceive.py): banners
# injected with a wrong checksum or outside the window, two banners at one
# sequence number, SSH off port 22 and not-SSH on it, a forged RST, a
# KEXINIT in shuffled 1-byte segments, 2^31-byte packet lengths, banner
# order, a 255-byte-line flood, time going back, one 4-tuple reused by
# 3,000 SYNs. Every command on each must exit as allowed, print no
# sanitizer report and stay under the memory limit; then each deception
# must be seen through (the output is what the receiver saw) or flagged.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/gendeceive.py" "$c" || die "gendeceive.py"

run_every "conns -R --json" "packets --stream 0" "follow --stream 0" "ssh -m" "ssh --json" "summary --json"

# refuse FILE STREAM ERE strider-args...: what must not be there
refuse() {
    local f=$1 s=$2 re=$3
    shift 3
    run "$f" "0 1" "$@"
    ! grep -qE -- "$re" "$w/$s" || fail "$f $*: /$re/ in $s: $(grep -m1 -oE -- ".{0,80}$re.{0,80}" "$w/$s")"
}
OK_SRV='"server":"SSH-2\.0-OpenSSH_9\.6",.*"cipher_alg":"aes128-ctr",.*"kex_alg":"curve25519-sha256"'
# injected banners the receiver dropped are not believed
for f in inj_csum inj_oow; do
    expect $f.pcap out "$OK_SRV" ssh --json
    for args in "ssh --json" "ssh -m" "follow --stream 0" "summary --json"; do
        # shellcheck disable=SC2086
        refuse $f.pcap out 'EVIL|evil-' $args
    done
done
expect inj_csum.pcap err 'frame 4: TCP checksum 0x[0-9a-f]+ is wrong: the segment is kept out' ssh
expect inj_oow.pcap err "1 data segment\(s\) beyond the receiver's window were never ACKed" ssh
expect inj_oow.pcap out '"out_of_window":1,"out_of_window_frame":4' conns -R --json
# two banners at one sequence number: the first (delivered in order) is shown, the conflict flagged
expect overlap_banner.pcap out '"server":"SSH-2\.0-AAAA_first".*"anomalies":\["stream_conflict"\]' ssh --json
expect overlap_banner.pcap out 'stream_conflict, frame 5: another copy of these bytes differs' ssh -m
expect overlap_banner.pcap out '"resp_inconsistent_bytes":10,"inconsistencies":1' conns -R --json
expect overlap_banner.pcap out 'kept frame 4: "AAAA_first"  other frame 5: "BBBB_secnd"' follow --stream 0
# the port says nothing: SSH on 8443 found by its content, HTTP on 22 is not SSH
expect port_nonstd.pcap out '"id.resp_p":8443,.*"outcome":"encrypted","client_newkeys_frame":8,"server_newkeys_frame":10' ssh --json
expect http_on_22.pcap err 'no SSH in 1 TCP connection' ssh
expect http_on_22.pcap out '"service":"http",.*"id.resp_p":22,' conns --json
# a forged RST (100 KB off the window, both ways) does not end the session
expect rst_forged.pcap out '^ +12 .* R +[0-9]+ .* rst-out-of-window$' packets --stream 0
expect rst_forged.pcap out '^ +13 .* R +[0-9]+ .* rst-out-of-window$' packets --stream 0
run rst_forged.pcap 0 conns --json
[ "$(wc -l < "$w/out")" = 1 ] || fail "rst_forged: the session split in $(wc -l < "$w/out") connections"
expect rst_forged.pcap out '"orig_bytes":517,"resp_bytes":517,"missed_bytes":0' conns --json
expect rst_forged.pcap out '"outcome":"encrypted",.*"client_enc_records":[1-9]' ssh --json
# a KEXINIT in 1-byte segments sent out of order: reassembled and read
expect kex_1byte.pcap out '"cipher_alg":"chacha20-poly1305@openssh.com",.*"kex_alg":"diffie-hellman-group14-sha256"' ssh --json
expect kex_1byte.pcap out '"orig_stream_bytes":237,' conns -R --json
# packet lengths of 2^31 and 2^32-1 where the length is in clear (aes-gcm): flagged, not followed
expect len_2g.pcap out '"anomalies":\["encrypted_length_bad","encrypted_length_bad"\]' ssh --json
# banner order and a flood of 255-byte lines before the banner
expect client_first.pcap out '"client":"SSH-2\.0-OpenSSH_8\.9","server":"SSH-2\.0-OpenSSH_9\.6"' ssh --json
expect prebanner_255.pcap out '"server":"SSH-2\.0-OpenSSH_9\.6".*"anomalies":\["prebanner_limit"\]' ssh --json
# time going back inside the connection: said, the handshake still read
expect time_back.pcap err 'frame 6: timestamp 29\.999000 s earlier than frame 5' ssh
expect time_back.pcap err 'time goes back at 2 frame\(s\), first at frame 6' ssh
expect time_back.pcap out "$OK_SRV" ssh --json
# 3,000 SYNs on one 4-tuple with new ISNs: one connection each (as
# Wireshark's tcp.stream), the real session after them still found
run syn_reuse.pcap 0 conns --json
[ "$(wc -l < "$w/out")" = 3001 ] || fail "syn_reuse: $(wc -l < "$w/out") connections, want 3001"
expect syn_reuse.pcap out '"stream":3000,.*"conn_state":"SF"' conns --json
expect syn_reuse.pcap out "\"stream\":3000,.*$OK_SRV" ssh --json
echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
