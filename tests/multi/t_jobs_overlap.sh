#!/usr/bin/env bash
# summary through --jobs over files that overlap in time (hostile round
# 21's captures, each starting at one second): one run reads them
# interleaved, so a chunk's own records and those it reads ahead for its
# connections alternate. Its engine counts (frames, IP packets,
# tunnel_mixed_conns...) must be those of its own files' records only
# (main took them at its first record past its files: "frames":161 of
# 360 under --jobs 2). JSON and text, --jobs 2 and 3, byte-identical to
# one run.
. "$(dirname "$0")/multi_lib.sh"

D=$T/r21
python3 "$REPO/tests/hostile/genr21.py" "$D" > /dev/null || { bad "genr21.py"; exit 1; }
rm -f "$D/ng_block_cut_mid.pcapng" # its cut block fails the run (exit 1): not this test's point

for fmt in "--json" ""; do
    # shellcheck disable=SC2086 # fmt is a word or none
    "$STRIDER" summary $fmt "$D" > "$T/one" 2> /dev/null || bad "summary $fmt: one run failed"
    grep -q '"frames":360' "$T/one" || [ -z "$fmt" ] || bad "summary --json: $(grep -o '"frames":[0-9]*' "$T/one")"
    for j in 2 3; do
        # shellcheck disable=SC2086
        "$STRIDER" summary $fmt --jobs $j "$D" > "$T/j" 2> /dev/null || bad "summary $fmt --jobs $j failed"
        cmp -s "$T/one" "$T/j" || { bad "summary $fmt --jobs $j differs from one run"; diff "$T/one" "$T/j" | head -6; }
    done
done

[ "$fails" = 0 ] && echo "ok: overlapping files, summary --jobs 2 and 3 = one run"
[ "$fails" = 0 ]
