#!/usr/bin/env bash
# Hostile classes, round 11 (genr11.py): the cleartext SSH layer. A Terrapin
# (CVE-2023-48795) injection from both sides before NEWKEYS in an exposed
# suite (chacha20-poly1305; aes256-cbc with an EtM MAC): `terrapin` true
# and its reason whole, the suite's clause and each side's count, first
# type and frame, in every output that shows it (main: cut at 95 bytes, the
# server's clause and the client's frame lost, as on the Terrapin
# artifacts' ext_downgrade_cbc_* captures). Key exchange messages of
# another method injected before NEWKEYS (kex_inject.pcap): flagged, never
# taken for the server's host key (main: no flag, and a 33 in a curve25519
# exchange gave the attacker's key); whole exchanges of DH-GEX and
# curve25519 not flagged.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr11.py" "$c" || die "genr11.py"

safe_every

f=terrapin_reason.pcap
cha='chacha20-poly1305@openssh\.com without strict KEX; 100 msg before NEWKEYS from client \(type 3 frame 100[0-9]{2}\); 2 msg before NEWKEYS from server \(type 2 frame 100[0-9]{2}\)'
cbc='aes256-cbc\+etm without strict KEX; 100 msg before NEWKEYS from client \(type 3 frame [0-9]+\); 2 msg before NEWKEYS from server \(type 2 frame [0-9]+\)'
run "$f" 0 ssh --json
grep -qE "\"id.orig_p\":47101,.*\"terrapin\":true,\"terrapin_reason\":\"$cha\"" "$w/out" || fail "$f ssh --json 47101: $(grep -o '"terrapin_reason":"[^"]*"' "$w/out" | head -2)"
grep -qE "\"id.orig_p\":47102,.*\"terrapin\":true,\"terrapin_reason\":\"$cbc\"" "$w/out" || fail "$f ssh --json 47102"
run "$f" 0 ssh
grep -qE "Terrapin EXPOSED: $cha\$" "$w/out" || fail "$f ssh: $(grep -m1 Terrapin "$w/out")"
grep -qE "Terrapin EXPOSED: $cbc\$" "$w/out" || fail "$f ssh (cbc)"
run "$f" 0 ssh -m
grep -qE "Terrapin EXPOSED: $cha\$" "$w/out" || fail "$f ssh -m"

f=kex_inject.pcap
good='SHA256:SQfC\+vTbLURn9cTkVxIS8fGQ3FKNAJWeB0o139\+gV4M' # the 0x11 key's
run "$f" 0 ssh --json
for want in "47201 server 40" "47202 server 33" "47203 client 34" "47204 server 36" "47206 server 41"; do
    set -- $want
    grep -qE "\"id.orig_p\":$1,.*\"host_key_sha256\":\"$good\".*\"terrapin\":true,\"terrapin_reason\":\"1 msg before NEWKEYS from $2 \(type $3 frame [0-9]+\)\".*\"anomalies\":\[\"unexpected_msg_before_newkeys\"\]" "$w/out" ||
        fail "$f $1: $(grep "\"id.orig_p\":$1," "$w/out" | grep -oE '"(host_key_sha256|terrapin_reason|anomalies)":[^]]*' | tr '\n' ' ')"
done
for p in 47205 47207; do
    grep -qE "\"id.orig_p\":$p,.*\"host_key_sha256\":\"$good\".*\"terrapin\":false" "$w/out" || fail "$f $p: terrapin"
    ! grep "\"id.orig_p\":$p," "$w/out" | grep -q '"anomalies"' || fail "$f $p: an anomaly in a whole exchange"
done
run "$f" 0 ssh
grep -qE '\(not of the negotiated key exchange\)' "$w/out" || fail "$f ssh: the message's reason"

echo "round 11: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
