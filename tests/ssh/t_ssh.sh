#!/usr/bin/env bash
# SSH parser against real captures: tshark's hassh/banner/host-key fields,
# Zeek ssh.log baselines, capture_inventory.json (size model), special traces
# (pre-banner, half-duplex, SSH-1, Terrapin, malformed), and equality of
# whole-segment, byte-at-a-time and random-chunk feeding.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
export SHARED
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
[ -d "$SHARED/captures/zeek" ] || { echo "no shared captures"; exit 77; }
[ -f "$BUILD/libstrider.a" ] || { echo "no $BUILD/libstrider.a"; exit 77; }
mkdir -p "$BUILD/tests/ssh"
DUMP=$BUILD/tests/ssh/ssh_dump
cc -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -O1 -g \
   ${SSH_DUMP_CFLAGS:-${STRIDER_SANITIZED:+-fsanitize=address,undefined}} -Isrc -o "$DUMP" tests/ssh/ssh_dump.c "$BUILD/libstrider.a" -lpcap -lcrypto -lm || exit 1
/usr/bin/python3 tests/ssh/check_ssh.py "$DUMP" "$BUILD/tests/ssh/work"
