#!/usr/bin/env bash
# Cross-check: `strider dns` against tshark's dns fields, packet by packet
# (dns_compare.py: transaction id, question name, response code, answer
# TTLs and addresses; every DNS message tshark decodes with a question is
# in a strider transaction), on every shared capture with traffic on the
# DNS ports (53, mDNS 5353, LLMNR 5355) and on a crafted capture (mkdns.py:
# DNS over TCP, indicators, hostile messages). Differences strider is right
# about are listed with their reason in known_differences.txt.
# Exit 0 pass, 1 a difference, 77 skip (no strider, no dns command, no tshark).
set -u
cd "$(dirname "$0")/../.." || exit 1
STRIDER=${STRIDER:-$PWD/${BUILD:-build}/strider}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
. tests/lib.sh
has_cmd dns || skip "no 'dns' command"
command -v tshark > /dev/null || skip "tshark not installed"
mkdir -p tests/out
python3 tests/dns/mkdns.py tests/out/dns_crafted.pcap || die "mkdns.py"
files=(tests/out/dns_crafted.pcap)
while IFS= read -r f; do
    "$STRIDER" conns --json "$f" 2> /dev/null |
        grep -qE '"id\.(orig|resp)_p":(53|5353|5355),' && files+=("$f")
done < <(all_captures)
[ ${#files[@]} -gt 3 ] || die "too few captures with DNS: ${#files[@]}"
python3 tests/dns/dns_compare.py "$STRIDER" --allow tests/dns/known_differences.txt "${files[@]}"
