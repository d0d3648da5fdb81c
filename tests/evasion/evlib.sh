# Helpers of the evasion tests: tests/lib.sh, their output directory, and
# t NAME GOT WANT (prints ok/FAIL, sets fail=1 on a difference).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
out=$REPO/tests/out/evasion; mkdir -p "$out"
fail=0
SV=$SHARED/captures/suricata-verify/tests
t() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got [$2] want [$3]"; fail=1; fi; }
