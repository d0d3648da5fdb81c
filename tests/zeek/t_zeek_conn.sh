#!/usr/bin/env bash
# strider conns against Zeek's expected conn.log baselines (see the .py).
set -u
. "$(dirname "$0")/../lib.sh"
[ -d "$SHARED/captures/zeek" ] || skip "no zeek captures"
/usr/bin/python3 "$(dirname "$0")/zeek_conn_compare.py"
