#!/usr/bin/env bash
# suricata-verify's expectations about connections and stream content
# (tests/sv/expect.txt, from each test's test.yaml and the captures'
# README) against strider's conns, follow and ssh output.
set -u
. "$(dirname "$0")/../lib.sh"
[ -d "$SHARED/captures/suricata-verify/tests" ] || skip "no suricata-verify captures"
/usr/bin/python3 "$(dirname "$0")/sv_check.py"
