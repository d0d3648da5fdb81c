#!/usr/bin/env bash
# Cross-check: conns' content fields (http_method, http_host, http_uri,
# tls_sni, tls_version) against tshark's (http.request.method, http.host,
# http.request.uri, tls.handshake.extensions_server_name, the highest
# supported_version) for the first request or ClientHello of every TCP
# stream tshark decodes one in, on every shared capture where strider sees
# HTTP or TLS; and conns' ja4 against FoxIO's own JA4 (the Rust snapshots in
# the shared baselines). svc_compare.py says how.
# Exit 0 pass, 1 a difference, 77 skip (no strider, no tshark).
set -u
cd "$(dirname "$0")/../.." || exit 1
STRIDER=${STRIDER:-$PWD/${BUILD:-build}/strider}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
. tests/lib.sh
command -v tshark > /dev/null || skip "tshark not installed"
snaps=$SHARED/reference/baselines/ja4/rust/ja4/src/snapshots
[ -d "$snaps" ] || skip "no JA4 baselines at $snaps"
"$STRIDER" conns --list-fields | grep -q '^ja4 ' || skip "no ja4 field in this build"
files=()
while IFS= read -r f; do
    "$STRIDER" conns --json --proto tcp "$f" 2> /dev/null |
        grep -qE '"service":"(http|ssl)"|"http_method"|"tls_sni"' && files+=("$f")
done < <(all_captures)
[ ${#files[@]} -gt 10 ] || die "too few captures with HTTP or TLS: ${#files[@]}"
python3 tests/service/svc_compare.py "$STRIDER" "$snaps" "${files[@]}"
