#!/usr/bin/env bash
# Cross-check: `strider conns` against tshark's conversation tables
# (`tshark -z conv,tcp` and `-z conv,udp`) on every public capture in
# $SHARED/captures and every crafted one in tests/crafted/: same number of
# TCP and UDP connections, same packets and wire bytes per endpoint.
# Every difference must be listed, with its reason, in
# tests/xcheck/known_differences.txt; conv_compare.py explains the method.
#
# Exit 0 pass, 1 unexplained difference, 77 skip (no strider, no `conns`,
# no tshark). Env: STRIDER, SHARED (see tests/run). XCHECK_VERBOSE=1 also
# prints the known differences; XCHECK_KEYS=FILE writes every difference key.
set -u
cd "$(dirname "$0")/../.." || exit 1
STRIDER=${STRIDER:-$PWD/${BUILD:-build}/strider}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
HERE=tests/xcheck

[ -x "$STRIDER" ] || { echo "skip: no strider binary at $STRIDER"; exit 77; }
if ! "$STRIDER" help 2>&1 | grep -qw conns &&
   ! "$STRIDER" conns --help >/dev/null 2>&1; then
    echo "skip: $STRIDER has no 'conns' subcommand"; exit 77
fi
command -v tshark >/dev/null || { echo "skip: tshark not installed"; exit 77; }

# .pcap.gz files are left out: libpcap, which strider reads through, does not
# decompress (tshark would), so the two tools would not see the same input.
files=()
while IFS= read -r f; do files+=("$f"); done < <(
    { [ -d "$SHARED/captures" ] && find "$SHARED/captures" -type f \( -name '*.pcap' -o -name '*.pcapng' \)
      [ -d tests/crafted ] && find tests/crafted -type f \( -name '*.pcap' -o -name '*.pcapng' \)
    } | LC_ALL=C sort)
[ ${#files[@]} -gt 0 ] || { echo "skip: no captures found under $SHARED/captures or tests/crafted"; exit 77; }

# tshark output is cached in tests/out (git-ignored); delete it to recompute
args=(--strider "$STRIDER" --allow "$HERE/known_differences.txt" --cache tests/out/xcheck_tshark_cache
      --base "$SHARED/captures" --base "$PWD")
[ "${XCHECK_VERBOSE:-0}" = 1 ] && args+=(--verbose)
[ -n "${XCHECK_KEYS:-}" ] && args+=(--keys "$XCHECK_KEYS")
exec /usr/bin/python3 "$HERE/conv_compare.py" "${args[@]}" "${files[@]}"
