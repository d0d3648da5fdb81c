#!/usr/bin/env bash
# One command to set up and run strider on a fresh Debian 12 machine.
#   ./setup.sh demo   install what is needed, build, run strider on the bundled sample
#   ./setup.sh test   install what is needed, build with -Werror, run every test
#                     (unit, golden, cross-checks with tshark/tcpflow, lab scorer,
#                     then the whole suite again under ASan+UBSan, then the fuzzers briefly)
#   ./setup.sh deps   only install the Debian packages
#   ./setup.sh lab    also install what tests/lab/generate needs (sshd, dropbear, expect...)
set -euo pipefail
cd "$(dirname "$0")"

BUILD_DEPS=(build-essential clang libclang-rt-14-dev libpcap-dev libssl-dev libcmocka-dev pkg-config)
TEST_DEPS=(chromium tshark tcpflow wireshark-common python3 python3-scapy openssh-client time python3-distributed)
LAB_DEPS=(openssh-server openssh-client openssh-sftp-server dropbear-bin sshpass sudo rsync tcpdump iproute2 procps python3-pexpect ethtool curl zsh fish python3-paramiko python3-asyncssh putty-tools xvfb xauth x11-utils nano)

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

install() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "setup: installing ${missing[*]}"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -q
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
}

case "${1:-demo}" in
deps)
    install "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
    ;;
lab)
    install "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}" "${LAB_DEPS[@]}"
    ;;
demo)
    install "${BUILD_DEPS[@]}"
    make -s -j2
    sample=samples/demo.pcap
    echo "== strider ssh $sample"
    build/strider ssh "$sample"
    echo
    echo "== strider conns $sample"
    build/strider conns "$sample"
    ;;
test)
    install "${BUILD_DEPS[@]}" "${TEST_DEPS[@]}"
    make -s -j2 WERROR=1
    fail=0
    BUILD=build tests/run || fail=1
    echo "== the same suite under AddressSanitizer + UndefinedBehaviorSanitizer"
    make -s -j2 WERROR=1 asan || fail=1
    echo "== fuzz targets, briefly"
    fuzz/run --seconds "${FUZZ_SECONDS:-20}" || fail=1
    exit $fail
    ;;
*)
    echo "usage: $0 demo|test|deps|lab" >&2
    exit 2
    ;;
esac
