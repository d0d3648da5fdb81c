#!/usr/bin/env bash
# strider against ground truth made by decrypting a real session recorded
# outside the project (OpenSSH-Network-Parser's example: OpenSSH 8.3 client,
# 8.2p1 server, aes256-gcm, password login, a shell with sudo, bare Enters,
# `exit` erased with four Backspaces and retyped): every keystroke's frame
# and key, the login, the session and each command's output records.
set -u
. "$(dirname "$0")/../lib.sh"
d=$SHARED/captures/OpenSSH-Network-Parser
[ -f "$d/example/dump_ssh.pcap" ] || skip "no $d"
out=$REPO/tests/out/decrypted; mkdir -p "$out"
"$STRIDER" ssh --json "$d/example/dump_ssh.pcap" > "$out/onp.jsonl" || die "strider ssh failed"
python3 "$REPO/tests/ssh/check_decrypted.py" "$out/onp.jsonl" "$d/DERIVED_dump_ssh_decrypted_labels.tsv"
