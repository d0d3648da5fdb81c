#!/usr/bin/env bash
# sshflow's general statistics in `strider ssh --json` against tshark on lab
# fixtures with segment-level records, and `ssh -m --csv` (check_stats.py says how).
set -u
cd "$(dirname "$0")/../.."
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
F=tests/lab/fixtures
/usr/bin/python3 tests/ssh/check_stats.py "${STRIDER:-build/strider}" \
    "$F/interactive_chacha.pcap" "$F/interactive_aes256ctr-sha256.pcap" "$F/scp_upload.pcap" "$F/idle.pcap"
