# Shared by the report tests: builds tests/report/report_demo.c against
# $BUILD/libstrider.a into $BUILD/tests/report_demo (the Makefile builds
# only cmocka tests). With the inference module in the library, its symbol
# is forced in so the demo uses real events (else synthetic ones).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
LIB=$REPO/${BUILD:-build}/libstrider.a
[ -f "$LIB" ] || LIB=$(dirname "$STRIDER")/libstrider.a
[ -f "$LIB" ] || skip "no libstrider.a next to $STRIDER"
DEMO=$(dirname "$LIB")/tests/report_demo
OUT=$REPO/tests/out
mkdir -p "$OUT" "$(dirname "$DEMO")"
build_demo() {
    local force=()
    nm "$LIB" 2>/dev/null | grep -q ' T sd_infer_ssh$' && force=(-Wl,-u,sd_infer_ssh)
    local san=()
    [ -n "${STRIDER_SANITIZED:-}" ] && san=(-fsanitize=address,undefined)
    ${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -Wall -Wextra -O1 -g "${san[@]}" \
        -I"$REPO/src" -o "$DEMO" "$REPO/tests/report/report_demo.c" "${force[@]}" "$LIB" \
        -lpcap -lcrypto -lm || die "cannot build report_demo"
    HAVE_INFER=${#force[@]}
}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
# Headless chromium, isolated profile, no background traffic we can turn off.
chrome() {
    local prof; prof=$(mktemp -d)
    timeout 180 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --disable-default-apps --user-data-dir="$prof" "$@"
    local rc=$?
    rm -rf "$prof"
    return $rc
}
