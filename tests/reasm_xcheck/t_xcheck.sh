#!/usr/bin/env bash
# Byte-exact cross-check of strider's reassembly against tshark's Follow TCP
# Stream (raw) and tcpflow's files, on every capture in $SHARED/captures and
# tests/crafted. Every difference must be explained: summarize.py's rules
# (known tcpflow 1.6.1 defects, each confirmed by tshark agreeing with
# strider) or allow.txt (capture, item, category, which tool is right and
# why). Runtime: ~165 captures, dominated by tshark's start-up (~0.6 s CPU
# each; all streams of a file go through one tshark pass with many
# -z follow,tcp,raw,N taps), about 2-3 minutes on 2 idle cores.
set -u
here=$(cd "$(dirname "$0")" && pwd)
[ -d "$SHARED/captures" ] || { echo "no $SHARED/captures"; exit 77; }
command -v tshark >/dev/null || { echo "tshark missing"; exit 77; }
command -v tcpflow >/dev/null || { echo "tcpflow missing"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$here/run_all.sh" "$work/results.jsonl" "$work/w"
cp "$work/results.jsonl" "${BUILD:-build}/reasm_xcheck_results.jsonl" 2>/dev/null || true
/usr/bin/python3 "$here/summarize.py" "$work/results.jsonl" "$here/allow.txt"
