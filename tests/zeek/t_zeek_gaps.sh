#!/usr/bin/env bash
# missed_bytes agrees with conns -R's gap bytes on every connection with a
# handshake in every capture (gap_agree.py says why they must).
set -u
. "$(dirname "$0")/../lib.sh"
mapfile -t caps < <(all_captures)
[ ${#caps[@]} -gt 0 ] || skip "no captures"
/usr/bin/python3 "$(dirname "$0")/gap_agree.py" "${caps[@]}"
