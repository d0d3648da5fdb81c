#!/usr/bin/env bash
# Live capture, for real: strider reads the loopback of a network namespace
# of its own while TCP and SSH-banner traffic runs over it, writes each
# connection while the capture still runs, and on SIGINT writes the ones
# still open and exits 0. The result is compared with an offline run on a
# copy of the same traffic (dumpcap). Needs root and ip netns (else skip).
set -u
. "$(dirname "$0")/../lib.sh"
[ "$(id -u)" = 0 ] || { echo "skip: needs root"; exit 77; }
command -v ip >/dev/null || { echo "skip: no ip(8)"; exit 77; }
command -v dumpcap >/dev/null || { echo "skip: no dumpcap"; exit 77; }
ns=strider-live-$$
ip netns add "$ns" 2>/dev/null || { echo "skip: cannot create a network namespace"; exit 77; }
trap 'ip netns del "$ns" 2>/dev/null' EXIT
ip netns exec "$ns" ip link set lo up
out=$REPO/tests/out/live
rm -rf "$out"; mkdir -p "$out"
ip netns exec "$ns" python3 "$REPO/tests/live/live_check.py" "$STRIDER" "$out"
