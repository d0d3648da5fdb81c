#!/usr/bin/env bash
# SSH hidden behind a long banner (issue #14): what OpenSSH accepts (1024
# lines before the version, lines of 8192 bytes) is an SSH connection; more
# than that is still one, marked with anomalies, never silently dropped.
set -u
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mk() { /usr/bin/python3 "$REPO/tests/hostile/mkcap.py" banner "$tmp/$1.pcap" "$1" || die "mkcap $1"; }

mk openssh_max
"$STRIDER" ssh --json "$tmp/openssh_max.pcap" > "$tmp/max.json" 2> "$tmp/max.err" || die "strider failed"
grep -q '"type":"ssh".*"server":"SSH-2.0-OpenSSH_9.6 ccc' "$tmp/max.json" ||
    die "openssh_max: no SSH connection reported: $(cut -c1-300 "$tmp/max.json")"
grep -q '"code":"\(prebanner_limit\|line_too_long\|not_ssh\)"' "$tmp/max.json" &&
    die "openssh_max: within OpenSSH's limits but flagged: $(grep -o '"code":"[a-z_]*"' "$tmp/max.json")"
echo "ok openssh_max: reported, not flagged over the limits"

mk over
"$STRIDER" ssh --json "$tmp/over.pcap" > "$tmp/over.json" 2> "$tmp/over.err" || die "strider failed"
grep -q '"type":"ssh".*"server":"SSH-2.0-OpenSSH_9.6 ccc' "$tmp/over.json" ||
    die "over: no SSH connection reported: $(cut -c1-300 "$tmp/over.json")"
for want in '"code":"prebanner_limit"' '"code":"line_too_long","note":"identification line of 10000 bytes' \
            '"code":"line_too_long","note":"line before banner of 9000 bytes'; do
    grep -q "$want" "$tmp/over.json" || die "over: no $want in: $(grep -o '"code".*' "$tmp/over.json")"
done
echo "ok over: reported with prebanner_limit and line_too_long"
