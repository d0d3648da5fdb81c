#!/usr/bin/env bash
# Hostile captures against the file formats and decoders (genfmt.py): bad
# pcap/pcapng headers and records, link types strider does not decode,
# broken IP/TCP headers, overlapping and oversized fragments, endless
# extension-header chains and encapsulations, SSH that is not what it
# claims, hostile strings. Every command on each must exit as allowed, print
# no sanitizer report and stay under the memory limit; then each case's
# expectation below: the message naming file and frame, the count, or the
# connection that must still be found behind the fault.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genfmt.py" "$c" || die "genfmt.py"

# Every command on every case: nothing may crash, hang or grow unbounded.
run_every "conns" "conns -R --json" "packets --json --stream 0" "follow --stream 0" "ssh" "ssh -m --json" \
    "ssh --csv" "summary --json" "dns"

SF='40001 +10\.7\.0\.2 +80 .* SF ' # the web connection of the format cases, complete
# classic pcap headers and records
for f in snap_zero snap_huge swapped nanosec link_fcsbits caplen_gt_snap; do expect $f.pcap out "$SF"; done
expect header_short.pcap err 'header_short\.pcap: not a readable capture: pcap file header cut short'
expect version3.pcap err 'version3\.pcap: not a readable capture: pcap version 3 not supported'
expect trunc_last.pcap err 'trunc_last\.pcap: frame 9: unreadable record \(record cut short \(47 of 54 bytes\)\)'
expect trunc_rechdr.pcap err 'frame 10: unreadable record \(record header cut short \(3 of 16 bytes\)\)'
expect rec_4g.pcap err 'rec_4g\.pcap: frame 4: unreadable record \(record length 4294967295 is not plausible'
expect rec_zero.pcap err '5000 frame\(s\) gave no IP packet: truncated link/tunnel header 5000'
expect rec_zero.pcap out "$SF"
expect caplen_gt_len.pcap err 'frame 1: captured length 54 larger than the original length 20'
expect link_unknown.pcap err 'frame 1: unsupported link type 147 .*skipped'
expect link_unknown.pcap err '9 frame\(s\) gave no IP packet: unsupported link type 9'
expect link_huge.pcap err 'unsupported link type 67108863'
expect ts_extreme.pcap err 'time goes back at [0-9]+ frame\(s\), first at frame 2'
# pcapng: a bad block whose lengths hold is passed over, the packets after it read
expect ng_iface_early.pcapng err 'frame 1: pcapng block type 0x6 at offset 28: interface 0 not described .*packet skipped'
expect ng_iface_missing.pcapng err 'interface 70000 not described in this section \(1 are\): packet skipped'
expect ng_caplen_over.pcapng err 'captured length 4294967040 overruns the block \(56 bytes\): packet skipped'
expect ng_opt_bad.pcapng err 'interface options overrun the block: the ones before kept'
expect ng_tsresol.pcapng err 'time resolution 10\^-127 not usable'
expect ng_tsresol.pcapng err "interface 0's description was unusable: packet skipped"
expect ng_spb.pcapng err 'simple packet block with no usable interface: skipped'
for f in ng_iface_early ng_iface_missing ng_caplen_over ng_opt_bad ng_opt_bad2 ng_unknown_block ng_shb_swap; do
    expect $f.pcapng out "$SF"
done
# pcapng whose framing breaks: the rest of the file cannot be found
expect ng_len_mismatch.pcapng err 'total length 52 at the start, 1234 at the end\); rest of file skipped'
expect ng_len_small.pcapng err 'total length 8 impossible'
expect ng_len_odd.pcapng err 'total length 13 impossible'
expect ng_len_huge.pcapng err 'total length 4294967280 impossible'
expect ng_trunc.pcapng err 'block cut short \(end of file\)\); rest of file skipped'
expect ng_tsoffset.pcapng err 'frame 1: timestamp out of range \(-9223372036854775808 s\): read as 1970-01-01'
expect ng_tsoffset.pcapng err 'ng_tsoffset\.pcapng: 9 frame\(s\) with a timestamp out of range'
expect ng_shb_bad_bom.pcapng err 'bad byte-order magic'
expect ng_many_ifaces.pcapng err '[0-9]+ frame\(s\) gave no IP packet'
# unknown pcapng block types: counted by type, said once at the end;
# defined ones strider has no use for (name resolution, statistics) are not
expect ng_unknown_block.pcapng err 'ng_unknown_block\.pcapng: 1 pcapng block\(s\) of unknown type skipped, by type: 0xbad0bad 1$'
expect ng_unknown_many.pcapng err ': 40 pcapng block\(s\) of unknown type skipped, by type: 0x7000 2, 0x7001 2, 0x7002 2, 0x7003 2, 0x7004 2, 0x7005 2, 0x7006 2, 0x7007 2, 24 of other types$'
expect ng_unknown_many.pcapng out "$SF"
# decoders
expect frag_teardrop.pcap err 'frame 2: IPv4 fragment \(id 0x7, offset 16, 48 bytes\) overlaps data already received with other bytes: a receiver may drop the datagram, so its stream takes it only once ACKed, a re-send first replaces it'
expect frag_teardrop.pcap err 'frame 17: IPv4 fragment \(id 0x9\) at offset 65528 with 1000 bytes exceeds 65535'
expect frag_teardrop.pcap err '3 IP datagram\(s\) not reassembled'
expect ip4_bad.pcap err 'frame 1: IPv4 header length 0 < 20'
expect ip4_bad.pcap err 'frame 5: IPv4 total length 10 < header length 20'
expect ip4_bad.pcap err '8 frame\(s\) gave no IP packet: bad IP version 1, truncated IP header 3, bad IP header 4'
expect ip6_chain.pcap err 'frame 1: IPv6 chain longer than 16 extension headers'
expect ip6_chain.pcap err 'frame 2: IPv6 extension header 0 of 2048 bytes past the payload'
expect encap_deep.pcap err 'frame 1: VLAN tag stack deeper than 8'
expect encap_deep.pcap err 'frame 3: MPLS stack of more than 16 labels'
expect encap_deep.pcap err 'frame 4: more than 8 nested encapsulations \(gre inside gre'
expect encap_deep.pcap err 'frame 5: more than 8 nested encapsulations \(vxlan inside vxlan'
expect encap_deep.pcap err '7 frame\(s\) gave no IP packet'
expect tcp_bad.pcap err 'frame 1: TCP data offset 0 < 20'
expect tcp_bad.pcap err 'frame 4: TCP data offset 60 past the 20-byte segment'
expect tcp_bad.pcap err 'frame 5: TCP option 2 with bad length 0'
expect tcp_bad.pcap err 'frame 6: TCP option 3 with bad length 1'
expect tcp_bad.pcap out '40012 +10\.7\.0\.2 +80 .* 600 ' # the data across the sequence wrap
# window scale 255 (RFC 7323 §2.3): said, counted, and used as 14 (65535 << 14)
expect tcp_bad.pcap err 'frame 9: TCP window scale 255 > 14: 14 used'
expect tcp_bad.pcap err 'frame 14: TCP window scale 255 > 14: 14 used'
expect tcp_bad.pcap out '"id.orig_p":40012,.*"resp_win_max":1073725440,' conns --json
# IP lengths past the frame (not a snaplen cut): said, and only the bytes on the wire counted
expect ip_lie.pcap err 'frame 4: IPv4 total length 1500 but only 140 bytes in the frame: 140 counted as on the wire'
expect ip_lie.pcap err 'frame 9: IPv6 payload length 9000 but only 70 bytes in the frame: 70 counted as on the wire'
expect ip_lie.pcap out '"id.orig_p":40060,.*"orig_bytes":200,.*"missed_bytes":0,.*"orig_ip_bytes":400,' conns --json
expect ip_lie.pcap out '"id.orig_p":40061,.*"orig_bytes":50,.*"orig_ip_bytes":110,' conns --json
expect udp_dns.pcap err 'frame 1: UDP length 0 inconsistent with the 29-byte datagram'
expect udp_dns.pcap err 'frame 4: UDP length 65535 inconsistent'
expect udp_dns.pcap err '3 frame\(s\) gave no IP packet: non-IP ethertype 3'
expect udp_dns.pcap err 'DNS over TCP: 1 stream\(s\) lost their message boundaries at a gap or ended inside a message' dns
expect udp_dns.pcap out ' abc +A ' dns
# 100,000 one-byte segments that never come in order: counted, memory bounded (the runs' limit);
# all but the 1,024 holes sd_tcpgap tracks per direction are settled early
expect holes.pcap err '98976 missing piece\(s\) of stream were counted in missed_bytes.* tracked \(1024 per direction, 1048576 in all\)'
expect holes.pcap err 'stream truncated: a memory cap was hit' follow --stream 0
# SSH streams that are not what they claim
expect ssh_megabanner.pcap out 'line_too_long, frame [0-9]+: identification line of more than 8192 bytes' ssh -m
expect ssh_prebanner.pcap out 'prebanner_limit' ssh -m
expect ssh_prebanner.pcap out 'server +SSH-2\.0-OpenSSH_9\.6' ssh -m
expect ssh_garbage.pcap err 'no SSH in 1 TCP connection' ssh
expect ssh_lengths.pcap out '"code":"packet_too_short"' ssh --json
expect ssh_lengths.pcap out '"code":"packet_too_long"' ssh --json
expect ssh_namelists.pcap out '"code":"packet_too_long"' ssh --json
expect ssh_port2222.pcap out '"id.resp_p":2222.*"outcome":"capabilities_only"' ssh --json
expect ssh_nohandshake.pcap out '"outcome":"version_only"' ssh --json
expect ssh_twice.pcap out '"outcome":"non_ssh_after_banner"' ssh --json
# hostile strings: no raw terminal control, CSV formulas quoted
for args in "ssh" "ssh -m" "ssh --json" "ssh -m --csv" "conns --csv" "dns" "dns --json" "follow --stream 0" \
            "follow --json --stream 0" "packets --stream 0" "summary"; do
    for f in ssh_strings.pcap http_strings.pcap dns_strings.pcap; do
        # shellcheck disable=SC2086
        run $f "0 1" $args
        n=$(LC_ALL=C tr -cd '\000-\010\013-\037\177\233' < "$w/out" | wc -c)
        [ "$n" = 0 ] || fail "$f $args: $n raw control byte(s) on stdout"
        if [[ $args == *--csv* ]] && grep -qE '(^|,)[=+@-]' "$w/out"; then
            fail "$f $args: a field starts like a formula: $(grep -m1 -oE '(^|,)[=+@-].{0,40}' "$w/out")"
        fi
    done
done
# JSON stays valid UTF-8 whatever the capture's bytes; the report escapes HTML
for f in ssh_strings.pcap http_strings.pcap dns_strings.pcap; do
    for args in "ssh --json" "conns --json" "dns --json"; do
        # shellcheck disable=SC2086
        run $f "0 1" $args
        python3 -c 'import json, sys
for l in sys.stdin.buffer.read().decode("utf-8").splitlines(): json.loads(l)' < "$w/out" ||
            fail "$f $args: not valid UTF-8 JSON lines"
    done
done
rm -rf "$w/o"
run ssh_strings.pcap 0 ssh -o "$w/o" -p
grep -q 'alert(1)' "$w/o/report.html" || fail "ssh_strings report: the banner is missing"
! grep -q '<script>alert' "$w/o/report.html" || fail "ssh_strings report: a <script> from the capture"
echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
