#!/usr/bin/env bash
# Overlaps whose copies differ (evasion): the same evidence in every command
# (follow text, hex, JSON and --raw's stderr; extract's index; conns -R),
# detection not defeated by segment count or distance (mkoverlap.py), what
# each --overlap policy decides, and what it cannot (bytes delivered
# before the other copy came), on suricata-verify's overlap captures
# (README.md in $SHARED/captures/suricata-verify says the expected result).
set -u
. "$(dirname "$0")/evlib.sh"
O1=$SV/eve-overlap-payload-01/tcp-overlap.pcap
[ -f "$O1" ] || skip "no $O1"

# -- one overlap, every command: GOOD (frame 5) delivered, EVIL (frame 6) over it
f=$("$STRIDER" follow -n 0 "$O1")
t "follow text: marker in place" "$(echo "$f" | grep -c '^==> orig  \[overlap: 4 bytes differ at offset 0\]  kept frame 5: "GOOD"  other frame 6: "EVIL"$')" 1
t "follow text: after the data it overlaps" "$(echo "$f" | grep -n -e '^GOOD$' -e overlap | cut -d: -f1 | tr '\n' ' ')" "5 6 "
x=$("$STRIDER" follow -n 0 -x "$O1")
t "follow hex: both copies" "$(echo "$x" | grep -A1 -e '^kept (frame 5)' -e '^other (frame 6)' | grep -c -e '47 4f 4f 44' -e '45 56 49 4c')" 2
j=$("$STRIDER" follow -n 0 --json "$O1" | grep '"overlap":true')
t "follow json: both versions" "$(echo "$j" | grep -o '"offset":0,"len":4,"old_frame":5,"new_frame":6,"kept":"old","delivered":true,"policy_unapplied":false,"old_hex":"474f4f44","new_hex":"4556494c"')" \
    '"offset":0,"len":4,"old_frame":5,"new_frame":6,"kept":"old","delivered":true,"policy_unapplied":false,"old_hex":"474f4f44","new_hex":"4556494c"'
"$STRIDER" follow -n 0 --raw -q "$O1" > "$out/ov.raw" 2> "$out/ov.err"
t "follow raw: the bytes" "$(cat "$out/ov.raw")" GOOD
t "follow raw: the overlap on stderr, even with -q" "$(cat "$out/ov.err")" \
    "strider follow: orig overlap at offset 0: 4 bytes differ between frame 5 and frame 6, kept frame 5's"
rm -rf "$out/ox"; "$STRIDER" extract -q -o "$out/ox" "$O1" 2> "$out/ox.err"
t "extract says it on stderr, even with -q" "$(cat "$out/ox.err")" \
    "strider extract: 1 overlap(s) with different bytes (index: *_inconsistent), 0 retransmitted bytes older than the overlap history not compared (--overlap-memcap)"
ovj() { grep -o '{"dir":"[a-z]*","overlap":true[^}]*}' "$@"; }
t "extract's transcript: the overlap object, as follow --json" \
    "$(ovj "$out"/ox/*.json | grep -c '"old_frame":5,"new_frame":6,.*"old_hex":"474f4f44","new_hex":"4556494c"')/$(ovj "$out"/ox/*.json)" \
    "1/$("$STRIDER" follow -n 0 --json "$O1" | ovj)"
cj=$("$STRIDER" conns -R --json "$O1")
t "extract index = conns -R (bytes)" "$(grep -o '"orig_inconsistent_bytes":[0-9]*' "$out/ox/index.jsonl")" "$(echo "$cj" | grep -o '"orig_inconsistent_bytes":[0-9]*')"
t "extract index = conns -R (overlaps)" "$(grep -o '"orig_inconsistent":[0-9]*' "$out/ox/index.jsonl" | cut -d: -f2)" "$(echo "$cj" | grep -o '"inconsistencies":[0-9]*' | cut -d: -f2)"
t "conns -R counts it" "$(echo "$cj" | grep -o '"orig_inconsistent_bytes":4')" '"orig_inconsistent_bytes":4'

# -- crafted: far back, after many tiny segments, the memcap, the policies
python3 "$REPO/tests/evasion/mkoverlap.py" "$out/ov.pcap" || die "cannot write the capture"
R=$("$STRIDER" conns -R --json "$out/ov.pcap")
row() { echo "$R" | sed -n "$(($1 + 1))p"; }
t "1,100 one-byte segments, then 10 bytes differ" "$(row 0 | grep -o '"orig_inconsistent_bytes":[0-9]*')" '"orig_inconsistent_bytes":10'
t "70,000 bytes later, 4 bytes differ" "$(row 1 | grep -o '"orig_inconsistent_bytes":[0-9]*')" '"orig_inconsistent_bytes":4'
t "nothing skipped by the default history" "$(echo "$R" | grep -c overlap_unchecked)" 0
f=$("$STRIDER" follow -n 1 "$out/ov.pcap")
t "70 KB back: the marker says EVIL" "$(echo "$f" | grep -c '\[overlap: 4 bytes differ at offset 100\].*other frame [0-9]*: "EVIL"')" 1
f=$("$STRIDER" follow -n 1 --overlap-memcap 4K "$out/ov.pcap")
t "a smaller --overlap-memcap: counted, not compared" "$(echo "$f" | grep -c 'overlap\]')/$(echo "$f" | grep -c '^== orig: .*1400 retransmitted bytes older than the overlap history')" 0/1
rm -rf "$out/oy"; "$STRIDER" extract -q --overlap-memcap 4K -o "$out/oy" "$out/ov.pcap" 2> "$out/oy.err"
t "extract's stderr counts what the memcap skipped" "$(grep -o ', [0-9]* retransmitted bytes older' "$out/oy.err")" ", 2362 retransmitted bytes older"  # 10 + 1400 + 952 (42005: 3000 bytes, 2 KiB kept)
t "extract's index counts it" "$(grep 42001 "$out/oy/index.jsonl" | grep -o '"orig_overlap_unchecked_bytes":[0-9]*')" '"orig_overlap_unchecked_bytes":1400'
# each policy, where it can decide (both copies held behind a hole) ...
for p in first:xxxZGOOD:xxxGOODXX last:xxxZEVIL:xxxEVILXX linux:xxxZEVIL:xxxEVILXX \
         windows:xxxZEVIL:xxxGOODXX bsd:xxxZEVIL:xxxGOODXX; do
    IFS=: read -r pol a b <<< "$p"
    t "--overlap $pol, held: starts earlier" "$("$STRIDER" follow -n 3 --raw -q --overlap "$pol" "$out/ov.pcap" 2>/dev/null)" "$a"
    t "--overlap $pol, held: same start, longer" "$("$STRIDER" follow -n 4 --raw -q --overlap "$pol" "$out/ov.pcap" 2>/dev/null)" "$b"
done
# ... on suricata-verify's captures: GOOD then EVIL (-02: Suricata's
# old-linux policy takes EVIL), GOOD then XXX inside it (-04), both before
# the ACK: only last takes the later copy (tcpflow's GXXX)
for p in first:GOOD:GOOD:GOOD last:EVIL:EVIL:GXXX linux:GOOD:GOOD:GOOD windows:GOOD:GOOD:GOOD bsd:GOOD:GOOD:GOOD; do
    IFS=: read -r pol a b c <<< "$p"
    t "--overlap $pol: eve-overlap-payload-01" "$("$STRIDER" follow -n 0 --raw -q --overlap $pol "$O1" 2>/dev/null)" "$a"
    t "--overlap $pol: eve-overlap-payload-02" "$("$STRIDER" follow -n 0 --raw -q --overlap $pol "$SV/eve-overlap-payload-02-policy-oldlinux/tcp-overlap.pcap" 2>/dev/null)" "$b"
    t "--overlap $pol: eve-overlap-payload-04" "$("$STRIDER" follow -n 0 --raw -q --overlap $pol "$SV/eve-overlap-payload-04-partial-overlap/tcp-overlap2.pcap" 2>/dev/null)" "$c"
done
# ... after the peer ACKed the first copy: it had accepted it, every policy keeps it
t "--overlap last after the ACK: GOOD" "$("$STRIDER" follow -n 2 --raw -q --overlap last "$out/ov.pcap" 2>/dev/null)" GOOD
t "--overlap last after the ACK: not a policy left unapplied" "$("$STRIDER" follow -n 2 --overlap last "$out/ov.pcap" | grep -c 'could not apply')" 0
# ... and where it cannot: a memory cap let the first copy out before the ACK
t "--overlap last, held until the ACK: EVIL" "$("$STRIDER" follow -n 5 --raw -q --overlap last "$out/ov.pcap" 2>/dev/null | head -c 6)" EVILAA
f=$("$STRIDER" follow -n 5 --overlap last --stream-cap 2K "$out/ov.pcap")
t "--stream-cap let it out first: AAAA" "$("$STRIDER" follow -n 5 --raw -q --overlap last --stream-cap 2K "$out/ov.pcap" 2>/dev/null | head -c 6)" AAAAAA
t "... said in place" "$(echo "$f" | grep -c '\[--overlap could not apply: delivered before frame [0-9]*\]')" 1
t "... counted" "$(echo "$f" | grep -c '^== orig: .*(4 bytes delivered before --overlap could apply)')" 1
t "... not truncated: nothing was lost" "$(echo "$f" | grep -c TRUNCATED)" 0
rm -rf "$out/oz"; "$STRIDER" extract -q --overlap last --stream-cap 2K -o "$out/oz" "$out/ov.pcap" 2>/dev/null
t "... in extract's index" "$(grep 42005 "$out/oz/index.jsonl" | grep -o '"orig_overlap_policy_unapplied_bytes":[0-9]*')" '"orig_overlap_policy_unapplied_bytes":4'
t "--overlap first: nothing to apply" "$("$STRIDER" follow -n 5 --stream-cap 2K "$out/ov.pcap" | grep -c 'could not apply')" 0
exit $fail
