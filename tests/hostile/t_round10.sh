#!/usr/bin/env bash
# Hostile classes, round 10 (genr10.py): a capture handed over in a form
# strider does not read (gzip, bzip2, xz, zstd, lz4, ZIP, snoop, Network
# Monitor, zero bytes). Each must be refused, exit 1, with a message that
# names the file and says what it is and what to do, from a file and from
# standard input (main: "unknown file format" for all but the empty one,
# "truncated dump file; tried to read 4 file header bytes, only got 0" for
# it); the advice given must work; a good file beside a bad one is read.
# And U+2028/U+2029 in capture strings (linesep.pcap): escaped in every
# output, as the bidi controls are.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr10.py" "$c" || die "genr10.py"

# every command and output format on linesep.pcap (runlib.sh): no crash,
# no raw control byte, U+2028 or U+2029 (its banners, name-list and Host:
# main wrote them raw in ssh, ssh -m and their --json, where Python's
# splitlines() cut a JSON line in two), no CSV formula, every JSON line
# parsed
mkdir "$w/ls" && mv "$c/linesep.pcap" "$w/ls/" || die "linesep.pcap"
c=$w/ls safe_every

# refused FILE ERE: exit 1, the file named and what it is said, from the
# file and from standard input
refused() {
    local f=$1 re=$2
    run "$f" "1" conns
    grep -qE -- "^strider: $c/$f: not a readable capture: $re" "$w/err" || fail "$f: $(head -c 300 "$w/err")"
    runs=$((runs + 1))
    "$STRIDER" conns - < "$c/$f" > "$w/out" 2> "$w/err"
    local rc=$?
    [ "$rc" = 1 ] || fail "$f from stdin: exit $rc"
    grep -qE -- "^strider: \(stdin\): not a readable capture: $re" "$w/err" || fail "$f stdin: $(head -c 300 "$w/err")"
}
refused session.pcap.gz 'gzip-compressed: decompress it first \(gzip -dc FILE \| strider CMD -\)$'
refused session.pcap.bz2 'bzip2-compressed: decompress it first'
refused session.pcap.xz 'xz-compressed: decompress it first'
refused session.pcap.zst 'zstd-compressed: decompress it first'
refused session.pcap.lz4 'lz4-compressed: decompress it first'
refused session.zip 'a ZIP archive: extract the capture from it first$'
refused session.snoop 'a Solaris snoop capture: convert it to pcap first \(editcap -F pcap\)$'
refused session.cap 'a Microsoft Network Monitor capture: convert it to pcap first'
refused empty.pcap 'empty \(0 bytes\)$'
# every command says it the same way and ends 1 (no crash, no sanitizer report)
for a in "conns --json" "packets --stream 0" "follow --stream 0" "ssh --json" "summary" "dns"; do
    # shellcheck disable=SC2086 # a is words
    run session.pcap.gz "1" $a
done
# the advice works: the session is read
runs=$((runs + 1))
gzip -dc "$c/session.pcap.gz" | "$STRIDER" conns - > "$w/out" 2> "$w/err" || fail "gzip -dc | conns -: $(cat "$w/err")"
grep -qE '^ +0 +tcp +10\.7\.0\.1 +49201 ' "$w/out" || fail "gzip -dc | conns -: $(cat "$w/out")"
# a good file beside a compressed one: read, the other said
gzip -dc "$c/session.pcap.gz" > "$c/plain.pcap"
runs=$((runs + 1))
"$STRIDER" conns "$c/plain.pcap" "$c/session.pcap.gz" > "$w/out" 2> "$w/err" || fail "plain + gz: exit $?"
grep -qE ' 49201 ' "$w/out" || fail "plain + gz: the plain file not read"
grep -q 'session.pcap.gz: not a readable capture: gzip' "$w/err" || fail "plain + gz: $(cat "$w/err")"

echo "round 10: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
