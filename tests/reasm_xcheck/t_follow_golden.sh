#!/usr/bin/env bash
# Golden outputs of 'strider follow' on small captures. Each expected file
# was reviewed by eye against tshark -q -z follow,tcp,ascii,N (same bytes,
# same interleaving; strider adds frame/offset headers, the gap marker and
# the per-direction totals). Regenerate with UPDATE=1 and review the diff.
set -u
here=$(cd "$(dirname "$0")" && pwd)
C=$SHARED/captures
[ -d "$C" ] || { echo "no $C"; exit 77; }
fail=0 n=0
check() { # name capture args...
    local name=$1 cap=$2; shift 2
    [ -f "$cap" ] || { echo "missing $cap"; return; }
    n=$((n+1))
    local got; got=$("$STRIDER" follow -q "$@" "$cap")
    if [ "${UPDATE:-}" = 1 ]; then
        printf '%s\n' "$got" >"$here/expected/$name"
    elif ! diff -u "$here/expected/$name" <(printf '%s\n' "$got"); then
        echo "FAIL $name"
        fail=$((fail+1))
    fi
}
# HTTP HEAD on VLAN 42: both directions, the response in two segments
check follow_test2_ascii.txt "$C/tcpflow/tests/test2.pcap" -n 0 --ascii
check follow_test2_hex.txt "$C/tcpflow/tests/test2.pcap" -n 0 --hex
# the server's whole response is missing (only its FIN): shown as a gap,
# as Zeek's content_gap (resp, seq 1, 2902 bytes); tshark shows nothing
check follow_miss_end_data_ascii.txt "$C/zeek/testing/btest/Traces/tcp/miss_end_data.pcap" -n 0
# RST carrying "Access Denied": not stream data; four server segments
check follow_rst_with_data_json.txt "$C/suricata-verify/tests/bug-6244-tcp-rst-with-data/tcp-rst-with-data.pcap" -n 0 --json
# selection by uid gives the same as by stream number
uid=$("$STRIDER" follow -q -n 0 --json "$C/tcpflow/tests/test2.pcap" >/dev/null; "$STRIDER" conns -j "$C/tcpflow/tests/test2.pcap" | head -1 | sed 's/.*"uid":"\([^"]*\)".*/\1/')
check follow_test2_ascii.txt "$C/tcpflow/tests/test2.pcap" -n "$uid" --ascii
# --raw is exactly the interleaved bytes
n=$((n+1))
want=$(cat "$here/expected/follow_test2_raw.md5" 2>/dev/null)
got=$("$STRIDER" follow -q -n 0 --raw "$C/tcpflow/tests/test2.pcap" | md5sum | cut -c1-32)
[ "${UPDATE:-}" = 1 ] && echo "$got" >"$here/expected/follow_test2_raw.md5" && want=$got
[ "$got" = "$want" ] || { echo "FAIL raw md5 $got != $want"; fail=$((fail+1)); }
# a missing connection is an error
n=$((n+1))
if "$STRIDER" follow -q -n 99 "$C/tcpflow/tests/test2.pcap" >/dev/null 2>&1; then
    echo "FAIL: -n 99 should fail"; fail=$((fail+1))
fi
echo "$((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
