#!/usr/bin/env bash
# Hostile classes, round 5 (genr5.py): pcapng interfaces of three time
# bases, blocks the format defines but strider does not read, SSH in IPv4
# and IPv6 fragments sent last first, sequence numbers wrapping inside the
# banners, SSH on 443 and TLS on 22, Terrapin-style messages, name-lists
# of thousands of names (cut, and crossed), encapsulations cut inside
# their headers, classic-pcap times at 2106; then floods: 40,000 flows of
# one segment each, 40 MB never ACKed. Every command and output format on
# each must exit as allowed, print no sanitizer report, stay under the
# memory limit and write no raw control byte, CSV formula, markup or
# non-finite time (runlib.sh); then each case's result (genr5.py).
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr5.py" "$c" || die "genr5.py"

run_every "conns" "conns -R --json" "conns --csv" "packets --stream 0" "packets --json --stream 1" "follow --stream 0" \
    "follow --json --stream 0" "ssh" "ssh -m" "ssh --json" "ssh --csv" "ssh -m --csv" "summary" "summary --json" \
    "dns --csv"
safe_every

# --- each case's result: the session behind each attack read to NEWKEYS
for p in 45001:ng_tsmix.pcapng 45002:ng_blocks.pcapng 45003:frag_ssh.pcap 45004:frag_ssh.pcap 45005:seq_wrap.pcap \
    45006:ports_swapped.pcap 45008:strict_kex.pcap 45009:strict_kex.pcap 45011:encap_cut.pcap 45012:ts_edges.pcap \
    45013:kex_cross.pcap; do
    expect "${p#*:}" out "\"id.orig_p\":${p%%:*},.*\"kex_alg\":\"curve25519-sha256\"" ssh -m --json
done
# three time bases: true times 1/8 s apart, none said to go back
expect ng_tsmix.pcapng out '"ts":1700000000.000000,.*"duration":3.625000,' conns --json
! grep -q 'goes back' "$w/err" || fail "ng_tsmix: time said to go back: $(head -c 300 "$w/err")"
# blocks the format defines: not counted as undefined; the lying ones said
expect ng_blocks.pcapng err 'ng_blocks\.pcapng: frame 4: pcapng block type 0x2 at offset [0-9]+: interface 7 not described'
! grep -q 'not define\|unknown block' "$w/err" || fail "ng_blocks: a defined block called unknown: $(head -c 300 "$w/err")"
expect ng_blocks.pcapng out '"id.orig_p":45002,.*"orig_pkts":17,"resp_pkts":14,' conns --json
# fragments last first, IPv6 behind three extension headers: every byte
expect frag_ssh.pcap out '"id.orig_p":45004,.*"orig_bytes":197,"resp_bytes":197,"missed_bytes":0,' conns --json
expect frag_ssh.pcap out '"id.orig_p":45003,.*"orig_bytes":197,"resp_bytes":197,"missed_bytes":0,' conns --json
# a wrap inside the banners: no gap, no inconsistency
expect seq_wrap.pcap out '"missed_bytes":0,' conns -R --json
! grep -q '"inconsistenc[a-z]*":[1-9]' "$w/out" || fail "seq_wrap: an inconsistency: $(head -c 400 "$w/out")"
# TLS on 22 is not SSH; SSH on 443 is
expect ports_swapped.pcap out '"service":"ssl","id.orig_h":"[^"]*","id.orig_p":45007,' conns --json
expect ports_swapped.pcap out '"service":"ssh","id.orig_h":"[^"]*","id.orig_p":45006,' conns --json
run ports_swapped.pcap "0" ssh -m --json
! grep -q '"id.orig_p":45007' "$w/out" || fail "ports_swapped: TLS on 22 reported as SSH"
# Terrapin: an IGNORE before strict KEX's KEXINIT flagged, the clean one not
expect strict_kex.pcap out '"id.orig_p":45008,.*"strict_kex":true,"terrapin":true' ssh -m --json
expect strict_kex.pcap out '"id.orig_p":45009,.*"strict_kex":true,"terrapin":false' ssh -m --json
# the strict-KEX marker past a cut name-list still seen (main: terrapin true)
expect kex_many_names.pcap out '"id.orig_p":45010,.*"strict_kex":true,"terrapin":false' ssh -m --json
expect kex_many_names.pcap out '"namelist_long"' ssh -m --json
# crossed lists of 4,000 names: bounded work (main: 7.5 G instructions)
if command -v valgrind > /dev/null && [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$STRIDER" ssh -m "$c/kex_cross.pcap" 2>&1 > /dev/null |
        sed -n 's/.*refs: *//p' | tr -d ,)
    echo "kex_cross: $n instructions"
    [ -n "$n" ] && [ "$n" -lt 1000000000 ] || fail "kex_cross: $n instructions (want under 10^9)"
fi
# cut inside encapsulations: each said with its frame and the bytes it held
expect encap_cut.pcap err 'encap_cut\.pcap: frame 1: GRE header cut short: 4 of 16 bytes'
expect encap_cut.pcap err 'frame 8: VLAN tag header cut short: 1 of 4 bytes'
expect encap_cut.pcap err '7 frame\(s\) gave no IP packet: truncated link/tunnel header 3, truncated IP header 4'
# 2106 and a step back to 1970: said with its frame
expect ts_edges.pcap err 'ts_edges\.pcap: frame 29: timestamp 4294967294\.000000 s earlier than frame 28'

# --- floods: 40,000 one-segment flows over --max-flows 4000, every
# eviction said; 40 MB never ACKed past a 64 KB window, bounded memory
rm -f "$c"/*
python3 "$REPO/tests/hostile/genr5.py" flood "$c" || die "genr5.py flood"
for args in "conns" "ssh" "summary" "conns -R --json"; do
    # shellcheck disable=SC2086 # args are words
    expect flows_data.pcap err 'connection table was full \(--max-flows 4000\): 36000 connection\(s\) ended early' \
        $args --max-flows 4000
done
for args in "conns -R" "ssh" "follow --stream 0"; do
    # shellcheck disable=SC2086 # args are words
    expect unacked_40.pcap err "28477 data segment\(s\) beyond the receiver's window were never ACKed" $args
done
if [ -x /usr/bin/time ] && [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
    for args in "conns" "ssh" "follow --stream 0" "summary"; do
        # shellcheck disable=SC2086 # args are words
        small=$(rss "$c/unacked_2.pcap" $args) big=$(rss "$c/unacked_40.pcap" $args)
        echo "unacked $args: $small KB at 2 MB, $big KB at 40 MB"
        [ "$big" -le $((small + 4096)) ] || fail "unacked $args: RSS $small KB at 2 MB, $big KB at 40 MB"
    done
fi
rm -rf "$w/x"
run unacked_40.pcap "0" extract -o "$w/x"
[ "$(du -sk "$w/x" | cut -f1)" -lt 1024 ] || fail "unacked extract: $(du -sk "$w/x") of files"

echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
