#!/usr/bin/env bash
# Hostile output: banners carrying OSC 0, CSI 2J, OSC 52 and an 8-bit CSI
# reach no text output raw (every text form of `ssh`), while the JSON keeps
# the exact bytes (escaped by JSON's rules).
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/textsafe; mkdir -p "$out"
python3 "$REPO/tests/textsafe/mkbanner.py" "$out/banner.pcap" || die "cannot write the capture"
fail=0
for args in "ssh -m" "ssh --no-color" "ssh -k" "ssh --csv" "ssh --records" "conns" "summary"; do
    # shellcheck disable=SC2086
    "$STRIDER" $args "$out/banner.pcap" > "$out/text.out" 2>&1
    if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f\x9b]' "$out/text.out"; then
        echo "FAIL $args writes control bytes:"; od -c "$out/text.out" | grep -m3 '033\|007\|233'; fail=1
    else
        echo "ok   $args"
    fi
done
"$STRIDER" ssh -m "$out/banner.pcap" | grep -q 'SSH-2.0-OpenSSH_9.2\\x1b]0;pwned\\x07\\x1b\[2J' \
    || { echo "FAIL the server banner is not shown escaped"; fail=1; }
"$STRIDER" ssh -m --json "$out/banner.pcap" | grep -q '"server":"SSH-2.0-OpenSSH_9.2\\u001b]0;pwned\\u0007\\u001b\[2J"' \
    || { echo "FAIL the JSON does not keep the banner's bytes"; fail=1; }
exit $fail
