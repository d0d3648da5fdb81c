#!/usr/bin/env bash
# conns -R reassembles as follow and extract do: --urgent and --overlap
# (with the caps) mean the same to all three, so conns -R's counts equal
# extract's index under each setting, and the setting shows: --urgent oob
# takes the urgent byte out of the stream (suricata-verify tcp-urgp-01:
# 167 -> 166 bytes), --overlap last with bytes let out early by a 1-byte
# --stream-cap counts what the policy could not apply (eve-overlap-payload-02:
# 4 bytes), which first never does.
set -u
. "$(dirname "$0")/evlib.sh"
[ -d "$SV" ] || skip "no suricata-verify captures"
# one line per setting: conns' and extract's numbers for the originator
both() { # capture, options...
    local f=$1; shift
    local c x
    c=$("$STRIDER" conns -q --json "$@" "$f" 2>/dev/null | python3 -c '
import json, sys
r = json.loads(sys.stdin.readline())
print(r["orig_stream_bytes"], r.get("orig_urgent_bytes", 0), r["orig_inconsistent_bytes"],
      r.get("orig_overlap_policy_unapplied_bytes", 0))')
    rm -rf "$out/ro"
    "$STRIDER" extract -q "$@" -o "$out/ro" "$f" 2>/dev/null
    x=$(python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
print(r["orig_bytes"], r.get("orig_urgent_bytes", 0), r.get("orig_inconsistent_bytes", 0),
      r.get("orig_overlap_policy_unapplied_bytes", 0))' "$out/ro/index.jsonl")
    [ "$c" = "$x" ] || echo "DIFFER conns [$c] extract [$x]"
    echo "$c"
}
u=$SV/tcp-urgp-01-oob/tcp-urgent1.pcap
o=$SV/eve-overlap-payload-02-policy-oldlinux/tcp-overlap.pcap
t "urgent inline" "$(both "$u" --urgent inline)" "167 1 0 0"
t "urgent oob" "$(both "$u" --urgent oob)" "166 1 0 0"
t "overlap first, 1-byte cap" "$(both "$o" --overlap first --stream-cap 1)" "4 0 4 0"
t "overlap last, 1-byte cap" "$(both "$o" --overlap last --stream-cap 1)" "4 0 4 4"
t "overlap last" "$(both "$o" --overlap last)" "4 0 4 0"
# the options imply -R (the fields are there) and are checked as follow's
t "implies -R" "$("$STRIDER" conns -q --json --urgent oob "$u" 2>/dev/null | grep -c '"orig_stream_bytes"')" 1
"$STRIDER" conns --overlap sideways "$u" > /dev/null 2>&1
t "a bad policy is a usage error" "$?" 2
exit $fail
