#!/usr/bin/env bash
# Cross-check: orig_dup_acks / resp_dup_acks of `strider conns` against
# Wireshark's tcp.analysis.duplicate_ack, per stream and direction, on every
# capture (public, crafted, lab); see dupack_compare.py for the rule and
# the known differences.
set -u
. "$(dirname "$0")/../lib.sh"
command -v tshark > /dev/null || skip "tshark not installed"
caps=()
while IFS= read -r f; do caps+=("$f"); done < <(all_captures | grep -v '\.gz$')
[ ${#caps[@]} -gt 0 ] || skip "no captures"
python3 "$REPO/tests/xcheck/dupack_compare.py" "$STRIDER" "${caps[@]}"
