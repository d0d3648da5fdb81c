#!/usr/bin/env bash
# Hostile classes, round 7 (genr7.py): DNS with compression loops, 40-hop
# pointer chains, names of 255/256 bytes, labels with NUL/ESC/bidi/formulas,
# 300 answers, rdlengths past the message, 200 queries on one id; DNS over
# TCP split byte by byte, 65,535-byte messages, length prefixes never
# followed (20,000 connections) and 36 MB of messages never finished; TLS
# ClientHellos whose lengths lie, 2,000 extensions, EVIL server names and
# ALPN; SSH key exchanges bent every way (three KEXINITs, empty names, a
# 64 KiB name, strict-KEX markers in the wrong lists and from the wrong
# side, messages 0/255 and a 35,000-byte IGNORE before the KEXINIT,
# padding past the packet), banners ended by CR alone, 255/256 bytes,
# 64 KiB unended; sequence numbers wrapping under overlapping
# retransmissions, 5,000 zero-window probes, RSTs and SYNs; pcapng over
# four sections of three link types; floods of DNS names and clients, TLS
# server names and SSH ports past the aggregates' caps. Every command and
# output format on each must exit as allowed, print no sanitizer report,
# stay under the memory limit and write no raw control byte, CSV formula,
# markup or non-finite time (runlib.sh); then each case's result.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr7.py" "$c" || die "genr7.py"

run_every "conns" "conns -R --json" "packets --stream 0" "follow --stream 0" "follow --json --stream 3" \
    "ssh --records" "summary" "dns" "dns --json" "dns --csv"
safe_every
# the DNS writers too: no raw control byte, formula or unparsable line
for p in "$c"/*; do
    f=$(basename "$p")
    for args in "dns" "dns --json" "dns --csv" "summary --host 10.7.0.1"; do
        # shellcheck disable=SC2086 # args are words
        run "$f" "0 1" $args
        ! LC_ALL=C grep -qaP -- "$RAW" "$w/out" "$w/err" || fail "$f $args: a raw control byte"
        case $args in
            *--csv) e=$(csv_formula "$w/out" 2>&1) || fail "$f $args: $e";;
            *--json) e=$(json_lines "$w/out" 2>&1) || fail "$f $args: $e";;
        esac
    done
done

# --- a peer's own claim to the other role does not overturn the TCP
# handshake (main: 10.7.0.1, the SYN's sender, sending kex-strict-s in its
# kex list was made the server: banners, HASSHes and keys swapped)
expect ssh_kex_games.pcap out 'SSH 10\.7\.0\.1:46304 -> 10\.7\.0\.2:22 ' ssh -m
grep -A12 'SSH 10.7.0.1:46304' "$w/out" | grep -q 'role_claim_unconfirmed' ||
    fail "ssh_kex_games 46304: the unconfirmed claim not flagged: $(grep -A12 'SSH 10.7.0.1:46304' "$w/out" | tail -3)"
! grep -A12 'SSH 10.7.0.1:46304' "$w/out" | grep -q 'direction_flipped' || fail "ssh_kex_games 46304: flipped"
# the other bent exchanges still read to NEWKEYS
for p in 46302 46305; do
    expect ssh_kex_games.pcap out "\"id.orig_p\":$p,.*\"kex_alg\":\"curve25519-sha256\"" ssh -m --json
done
expect ssh_kex_games.pcap out 'kexinit_repeat, frame [0-9]+: KEXINIT #3 in the clear' ssh -m
expect ssh_banners_odd.pcap out 'line_too_long, frame [0-9]+: identification line of 65605 bytes' ssh -m

# --- DNS: a name the decoder made printable is shown as `dns` shows it,
# its backslash not doubled (main: summary's "most queried" and --host
# showed a\\046b.evil.com); malformed messages said (main: only summary's
# report counted them, `dns` listed nothing and said nothing)
expect dns_hostile.pcap out '^ +1  a\\046b\.evil\.com$' summary
! grep -qF 'a\\046b' "$w/out" || fail "dns_hostile summary: a doubled backslash"
expect dns_hostile.pcap out ' a\\046b\.evil\.com TXT NOERROR' summary --host 10.7.0.1
expect dns_hostile.pcap err 'strider dns: DNS: 2 malformed message\(s\) \(no header or a bad question\): no transaction' dns
expect dns_hostile.pcap err 'DNS: 136 queries written unanswered early' dns
expect dns_tcp.pcap out '"query":"tcp\.example".*"qtype_name":"TXT"' dns --json

# --- floods: aggregates past their caps, said; memory bounded
python3 "$REPO/tests/hostile/genr7.py" flood "$w/fl" || die "genr7.py flood"
python3 "$REPO/tests/hostile/genr7.py" held "$w/fl" || die "genr7.py held"
c=$w/fl
# 20,000 length prefixes of 65,535 never followed (main: 1.3 GB reserved,
# out of memory under the limit)
for args in "dns --csv" "summary" "summary --json"; do
    # shellcheck disable=SC2086 # args are words
    run flood_tcp53.pcap "0" $args
done
grep -q 'DNS over TCP: 20000 stream(s) lost their message boundaries' "$w/err" ||
    fail "flood_tcp53: the cut streams not said: $(head -c 300 "$w/err")"
# 36 MB of unfinished messages: the streams past 32 MiB given up, said
expect held_tcp53.pcap err 'DNS over TCP: [0-9]+ stream\(s\) given up: 32 MiB of unfinished messages held' dns --csv
expect flood_dns.pcap err 'DNS: tables full: 50000 names \(cap 200000\), [0-9]+ clients \(cap 100000\)' dns --csv
expect flood_sni.pcap err 'connection table was full \(--max-flows 100000\): 1000 connection' summary --max-flows 100000
expect flood_ports.pcap out 'on another port than their service.s usual ones: 599[0-9] connection' summary
[ "$(wc -l < "$w/out")" -lt 200 ] || fail "flood_ports summary: $(wc -l < "$w/out") lines for 6,000 ports"
if [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    # 101,000 one-segment TLS connections: extract within 1 GiB of address
    # space (main: out of memory, each direction's byte history started at
    # 4 KiB; 946 MB peak RSS, now 568 MB)
    rm -rf "$w/x"
    run flood_sni.pcap "0" extract -o "$w/x"
fi

echo "round 7: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
