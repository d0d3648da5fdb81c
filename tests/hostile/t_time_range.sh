#!/usr/bin/env bash
# pcapng timestamps past 2262 (issue #14): a signed 64-bit count of
# nanoseconds overflows there. strider saturates them to its latest time
# (March 2262), says so once with the frame number, counts them at the
# end, and goes on.
set -u
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
/usr/bin/python3 "$REPO/tests/hostile/mkcap.py" pcapng-future "$tmp/f.pcapng" || die "mkcap"
# frames 2 and 3 are dated 2^64-1000 ns and 10^19 ns after 1970
"$STRIDER" summary "$tmp/f.pcapng" > "$tmp/out" 2> "$tmp/err" || die "strider failed: $(cat "$tmp/err")"
grep -q "frame 2: timestamp out of range" "$tmp/err" || die "no warning for frame 2: $(cat "$tmp/err")"
[ "$(grep -c 'frame [0-9]*: timestamp out of range' "$tmp/err")" = 1 ] || die "warned more than once: $(cat "$tmp/err")"
grep -q 'f.pcapng: 2 frame(s) with a timestamp out of range' "$tmp/err" || die "not counted: $(cat "$tmp/err")"
grep -q "from 2023-11-14T22:13:20.000000Z to 2262-03-29T" "$tmp/out" ||
    die "times not saturated: $(grep from "$tmp/out")"
"$STRIDER" conns --json "$tmp/f.pcapng" 2> /dev/null | grep -q '"duration":7522246136.9' ||
    die "duration not from the saturated time"
echo "ok: saturated, warned once, counted"
