#!/usr/bin/env bash
# Hostile classes, round 11 (genr11.py): the cleartext SSH layer. A Terrapin
# (CVE-2023-48795) injection from both sides before NEWKEYS in an exposed
# suite (chacha20-poly1305; aes256-cbc with an EtM MAC): `terrapin` true
# and its reason whole, the suite's clause and each side's count, first
# type and frame, in every output that shows it (main: cut at 95 bytes, the
# server's clause and the client's frame lost, as on the Terrapin
# artifacts' ext_downgrade_cbc_* captures).
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

echo "round 11: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
