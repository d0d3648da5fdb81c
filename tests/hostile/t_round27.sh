#!/usr/bin/env bash
# Hostile classes, round 27 (genr27.py): segments with a TCP-MD5 or TCP-AO
# option their connection's SYNs did not carry, or without the MD5 one a
# signed connection's did, which a Linux receiver drops (INTANG's
# insertion packets; main: the attacker's banner and KEXINIT read, no
# record after), held until ACKed now (`tcp-auth`). Then what was already
# right: honest signed sessions, an IPv4 datagram behind the IPv6
# ethertype; and what is left, said and safe only: IP datagrams shorter
# than their length field (not a snaplen cut) with the attacker's banner
# or a RST, read as before (docs/known-issues.md, round 27); the round's
# files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr27.py" "$c" || die "genr27.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# -- (a) TCP authentication options the receiver does not expect
real tcp_auth.pcap 3 49701 49702 49703 49704 49705
grep -q "strider: 5 TCP data segment(s) carried a TCP-MD5 or TCP-AO option their connection's SYNs did not" "$w/err" ||
    fail "tcp_auth: not said: $(grep -i 'md5' "$w/err" | head -2)"
expect tcp_auth.pcap out '^ +6 .* ->  PA .* untaken tcp-auth$' packets --stream 0
expect tcp_auth.pcap out '^ +52 .* <-  PA .* untaken tcp-auth$' packets --stream 2
real tcp_auth_honest.pcap 3 49706 49707
expect tcp_auth_honest.pcap out '"id.orig_p":49707,.*"conn_state":"SF","history":"ShAdDaFf"' conns --json

# -- (b) IP datagrams shorter than their length field: said with file and frame, safe
# (left: read as before; see docs/known-issues.md, round 27)
run ip_long.pcap 0 ssh --json
for fr in 6:242:202 28:243:203; do
    IFS=: read -r n tl got <<< "$fr"
    grep -q "ip_long.pcap: frame $n: IPv4 total length $tl but only $got bytes in the frame: $got counted as on the wire" "$w/err" ||
        fail "ip_long frame $n: $(grep "frame $n:" "$w/err")"
done
grep -q 'frame 54: IPv6 payload length 222 but only 182 bytes in the frame: 182 counted as on the wire' "$w/err" ||
    fail "ip_long frame 54: $(grep 'frame 54:' "$w/err")"
expect ip_long_honest.pcap out '"id.orig_p":49715,.*"client":"SSH-2.0-OpenSSH_9.6",.*"client_enc_records":3,' ssh --json

# -- (c) already right: IPv4 behind the IPv6 ethertype, dropped and said
real etype_mismatch.pcap 3 49721
grep -q 'etype_mismatch.pcap: frame 6: IPv6 packet with version field 4' "$w/err" || fail "etype_mismatch: $(head -2 "$w/err")"

# -- (d) the round's files through --jobs 2
jobs_two 'TCP data segment\(s\) carried a TCP-MD5 or TCP-AO option'

echo "round 27: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
