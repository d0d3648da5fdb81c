# Shared by the tests/multi scripts (sourced; not a test): the checks they
# all need, a scratch directory $T removed at exit, `bad` to count a failure
# and go on, `cut` to make rotated files of a capture.
set -u
. "$(dirname "$0")/../lib.sh"
command -v editcap >/dev/null || skip "no editcap"
command -v python3 >/dev/null || skip "no python3"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# cut CAPTURE PACKETS DIR: rotated files of PACKETS records each
cut() { mkdir -p "$3" && editcap -c "$2" "$1" "$3/p.pcap" > /dev/null; }
