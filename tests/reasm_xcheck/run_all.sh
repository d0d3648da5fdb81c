#!/usr/bin/env bash
# Runs xcheck.py on every capture under $SHARED/captures and tests/crafted,
# two at a time; results (JSON lines) to $1.
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=$1 work=$2
mkdir -p "$work"
{
    find "$SHARED/captures" \( -name '*.pcap' -o -name '*.pcapng' \) -type f | sort
    find "$here/../crafted" -maxdepth 1 \( -name '*.pcap' -o -name '*.pcapng' \) -type f 2>/dev/null | sort
} >"$work/list"
: >"$out"
# index of each capture = its own work dir
awk '{print NR "\t" $0}' "$work/list" |
    xargs -P 2 -d '\n' -I{} bash -c '
        n=${1%%	*}; f=${1#*	}
        rel=${f#$SHARED/captures/}; rel=${rel#'"$here"'/../}
        XCAP=$rel /usr/bin/python3 '"$here"'/xcheck.py "$STRIDER" "$f" "'"$work"'/$n" >"'"$work"'/$n.jsonl" 2>"'"$work"'/$n.err"
        rm -rf "'"$work"'/$n"
    ' _ {}
cat "$work"/*.jsonl >"$out"
