# Helpers shared by the shell tests.
skip() { echo "$*"; exit 77; }
die() { echo "FAIL: $*"; exit 1; }
[ -x "${STRIDER:-}" ] || skip "no strider binary at ${STRIDER:-?}"
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Every capture file the tests use: the public ones in ../shared/captures,
# the crafted ones and the lab fixtures. (.gz traces are skipped: libpcap
# does not read compressed files.)
all_captures() {
    { [ -d "$SHARED/captures" ] && find "$SHARED/captures" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \);
      find "$REPO/tests/crafted" "$REPO/tests/lab/fixtures" "$REPO/samples" -type f \( -name '*.pcap' -o -name '*.pcapng' \) 2>/dev/null; } | LC_ALL=C sort
}
# Does this build have subcommand $1?
has_cmd() { "$STRIDER" "$1" --help > /dev/null 2>&1; }
