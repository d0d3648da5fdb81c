#!/usr/bin/env bash
# strider conns on the crafted captures (facts from tests/crafted/README.md).
set -u
. "$(dirname "$0")/../lib.sh"
/usr/bin/python3 "$(dirname "$0")/check_conns.py"
