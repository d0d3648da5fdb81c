#!/usr/bin/env bash
# The history keeps 24 letters (SD_HISTORY_MAX); what the cap leaves out is
# counted: history_dropped in conns -R (7 of a SYN and 30 RSTs at other
# sequence numbers), a line on stderr; a connection under the cap has none.
set -u
. "$(dirname "$0")/evlib.sh"
python3 "$REPO/tests/evasion/mkhistcap.py" "$out/hist.pcap" || die "cannot write the capture"
r=$("$STRIDER" conns -R --json "$out/hist.pcap" 2> "$out/hist.err")
t "24 letters kept" "$(echo "$r" | grep -o '"history":"[A-Za-z]*"')" "\"history\":\"S$(printf 'R%.0s' $(seq 23))\""
t "7 counted" "$(echo "$r" | grep -o '"history_dropped":[0-9]*')" '"history_dropped":7'
t "said on stderr" "$(grep -c 'the history of 1 connection(s) reached 24 letters' "$out/hist.err")" 1
python3 "$REPO/tests/evasion/mkcsum.py" "$out/hist2.pcap"
t "none under the cap" "$("$STRIDER" conns -R --json "$out/hist2.pcap" 2>/dev/null | grep -c history_dropped)" 0
exit $fail
