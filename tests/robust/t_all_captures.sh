#!/usr/bin/env bash
# Every command on every capture we have (shared public captures, crafted,
# lab fixtures) and on hostile input (garbage, truncations of real files,
# empty files): strider must exit 0, 1 or 2, never crash or hang, never
# print a sanitizer report, and say which file was bad.
set -u
. "$(dirname "$0")/../lib.sh"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

mapfile -t caps < <(all_captures)
[ ${#caps[@]} -gt 0 ] || skip "no captures found"

# hostile inputs made from real ones
head -c 1000 /dev/urandom > "$work/garbage.pcap"
: > "$work/empty.pcap"
printf 'this is not a capture\n' > "$work/text.pcap"
i=0
for f in "${caps[@]}"; do
    case "$f" in *.pcap) ;; *) continue;; esac
    sz=$(stat -c %s "$f")
    [ "$sz" -gt 200 ] || continue
    head -c $((sz * 2 / 3)) "$f" > "$work/trunc$i.pcap"
    [ $i -eq 0 ] && head -c $((sz - 5)) "$f" > "$work/trunc_last.pcap"
    # flip bytes in the middle: bogus lengths and headers
    cp "$f" "$work/flip$i.pcap"
    printf '\xff\xff\xff\x7f\x00\x00\x00\x00' | dd of="$work/flip$i.pcap" bs=1 seek=$((sz / 2)) conv=notrunc status=none
    i=$((i + 1)); [ $i -ge 12 ] && break
done
hostile=("$work"/*.pcap)

bad=0
check() { # expected-rc-set, args...
    local allowed=$1; shift
    timeout 120 "$STRIDER" "$@" > "$work/out" 2> "$work/err"
    local rc=$?
    if ! [[ " $allowed " == *" $rc "* ]] || grep -q -E 'Sanitizer|runtime error' "$work/err"; then
        echo "FAIL rc=$rc: strider $*"; head -n 20 "$work/err"; bad=$((bad + 1))
    fi
}
for f in "${caps[@]}"; do
    check "0" conns -q "$f"
    check "0" conns -q --json "$f"
    check "0" summary -q "$f"
    check "0 1" packets -q --stream 0 --dir both --plot "$work/plot.svg" "$f"
    check "0" conns -q -R --json "$f"
    check "0 1" follow -q --stream 0 --json "$f"
    if has_cmd ssh; then check "0 1" ssh -m -q "$f"; check "0 1" ssh -q "$f"; fi
    if has_cmd extract; then rm -rf "$work/x"; check "0 1" extract -q -o "$work/x" "$f"; fi
done
for f in "${hostile[@]}"; do
    check "0 1" conns "$f"
    check "0 1" summary "$f"
    check "0 1" packets --stream 0 --plot "$work/plot.html" "$f"
    if has_cmd ssh; then check "0 1" ssh "$f"; fi
    if has_cmd extract; then rm -rf "$work/x"; check "0 1" extract -o "$work/x" "$f"; fi
done
# the message names the file
"$STRIDER" conns "$work/text.pcap" 2> "$work/err"; rc=$?
[ $rc -eq 1 ] || { echo "FAIL: non-capture gave exit $rc, want 1"; bad=$((bad + 1)); }
grep -q "text.pcap" "$work/err" || { echo "FAIL: message does not name the file"; cat "$work/err"; bad=$((bad + 1)); }
# a truncated last record is reported with its frame number, and the rest is
# read (5 bytes short: always inside the last record, where a cut at 2/3 can
# fall on a record boundary)
t="$work/trunc_last.pcap"
if [ -f "$t" ]; then
    "$STRIDER" conns "$t" > /dev/null 2> "$work/err"
    grep -q "frame [0-9]" "$work/err" || { echo "FAIL: truncation not reported with a frame number"; cat "$work/err"; bad=$((bad + 1)); }
fi
echo "${#caps[@]} captures, ${#hostile[@]} hostile inputs, $bad failures"
[ $bad -eq 0 ]
