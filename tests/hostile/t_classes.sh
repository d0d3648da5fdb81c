#!/usr/bin/env bash
# Hostile classes, round 2 (genmore.py): control bytes in the CSV outputs,
# a NUL in a banner, NEWKEYS before any KEXINIT, hundreds of holes in one
# window, an idle sweep at the end of time, pcapng time resolutions and
# sections, QinQ with odd TCP options, zero-length-record floods.
# Every command on each capture must exit as allowed, print no sanitizer
# report and stay under the memory limit (runlib.sh); then each case's
# result below.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genmore.py" "$c" || die "genmore.py"

run_every "conns -R --json" "conns --csv" "packets --stream 0" "ssh -m" "ssh -m --csv" "ssh --csv" "summary --json"

# refuse FILE STREAM ERE strider-args...: what must not be there (bytes)
refuse() {
    local f=$1 s=$2 re=$3
    shift 3
    run "$f" "0 1" "$@"
    ! LC_ALL=C grep -qaP -- "$re" "$w/$s" || fail "$f $*: /$re/ in $s: $(LC_ALL=C grep -m1 -aoP -- ".{0,40}$re.{0,40}" "$w/$s" | od -c | head -n 4)"
}
# no C0 control but TAB/LF/CR, no DEL, no 8-bit CSI in a CSV
RAW='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x9b]'
for args in "ssh -m --csv" "ssh --csv" "conns --csv" "conns --csv -F stream,http_host,service"; do
    # shellcheck disable=SC2086 # args are words
    refuse csv_ctrl.pcap out "$RAW" $args
done
# written as the text outputs write them
expect csv_ctrl.pcap out ',SSH-2\.0-Srv\\x01\\x07\\x08\\x1b\]0;pwn\\x07\\x1b\[2J\\x7f\\x9b_9\.6,' ssh -m --csv
# a string an analyzer made printable already (HTTP Host) is not escaped twice: as in JSON and the table
expect csv_ctrl.pcap out '^1,h\\x01\\x07\\x08\\x1b\]0;pwn\\x07\\x1b\[2J\\x7f\\x9b\.example,http$' conns --csv -F stream,http_host,service
expect csv_ctrl.pcap out 'server +SSH-2\.0-Srv\\x01\\x07\\x08\\x1b\]0;pwn\\x07\\x1b\[2J\\x7f\\x9b_9\.6$' ssh -m
rm -rf "$w/o"
run csv_ctrl.pcap "0 1" ssh -o "$w/o"
for f in "$w"/o/*.csv; do
    ! LC_ALL=C grep -qaP -- "$RAW" "$f" || fail "csv_ctrl: raw control byte in ssh -o's $(basename "$f")"
done
# a NUL inside the version line is said, not cut silently
expect banner_nul.pcap out '"server":"SSH-2\.0-Open",.*"anomalies":\["banner_bad"\]' ssh --json
expect banner_nul.pcap out 'banner_bad, frame 4: NUL byte at offset 12 of the identification line' ssh -m
# NEWKEYS before any KEXINIT: flagged and counted
expect newkeys_first.pcap out '"anomalies":\["newkeys_before_kexinit"\]' ssh --json
expect newkeys_first.pcap out 'newkeys_before_kexinit, frame 4: NEWKEYS with no KEXINIT before it' ssh -m
expect newkeys_first.pcap out '"outcome":"kex_incomplete",.*"anomalies":\["newkeys_before_kexinit"\]' ssh -m --json
# hundreds of 1-byte holes filled before the ACK: none missed, none settled early
expect kex_holes.pcap out '"resp_bytes":[0-9]+,"missed_bytes":0,' conns --json
refuse kex_holes.pcap err 'counted in missed_bytes before the peer' conns
expect kex_holes.pcap out '"kex_alg":"curve25519-sha256"' ssh --json
# dated 13 days before time saturates, the longest idle timeout: one connection
run ts_2262.pcapng 0 conns --json --idle-timeout 1e9
[ "$(wc -l < "$w/out")" = 1 ] || fail "ts_2262: $(wc -l < "$w/out") connections with --idle-timeout 1e9, want 1"
expect ts_2262.pcapng out '"conn_state":"SF"' conns --json --idle-timeout 1e9

# pcapng time resolutions at the edge of 64 bits: exact
run ng_tsres.pcapng "0 1" conns --json -F id.orig_p,ts
want='{"type":"conn","id.orig_p":42020,"ts":1000000.500000} {"type":"conn","id.orig_p":42021,"ts":1.500000} {"type":"conn","id.orig_p":42022,"ts":1700000000.500000} '
[ "$(tr '\n' ' ' < "$w/out")" = "$want" ] || fail "ng_tsres: $(tr '\n' ' ' < "$w/out")"
# a packet on an interface its section does not describe: said, skipped, the rest read
expect ng_sections.pcapng err 'ng_sections\.pcapng: frame 5: pcapng block type 0x6 at offset 648: interface 1 not described in this section \(1 are\): packet skipped'
expect ng_sections.pcapng out '"conn_state":"SF",.*"orig_pkts":5,' conns --json
# QinQ tags, SACK blocks out of range and options of bad lengths
expect qinq_opts.pcap err 'qinq_opts\.pcap: frame 10: TCP option 5 with bad length 9'
expect qinq_opts.pcap err 'qinq_opts\.pcap: frame 11: TCP option 2 with bad length 3'
expect qinq_opts.pcap out '"vlan":100,.*"conn_state":"SF"' conns --json
expect qinq_opts.pcap out '"kex_alg":"curve25519-sha256"' ssh --json

# zero-length-record floods: the peak RSS of 1,000,000 records is that of
# 100,000 (1 MB margin: the reader's buffer fills up to ~2 MB of file),
# whatever the command
# (RSS under the plain build only: ASan's shadow and quarantine are not the program's)
for kind in empty acks; do
    python3 "$REPO/tests/hostile/genmore.py" flood $kind "$c/small.pcap" 100000 || die "genmore flood"
    python3 "$REPO/tests/hostile/genmore.py" flood $kind "$c/big.pcap" 1000000 || die "genmore flood"
    if [ -x /usr/bin/time ] && [ "${STRIDER_SANITIZED:-0}" != 1 ]; then
        for args in "conns" "conns -R" "ssh" "ssh -m" "summary"; do
            # shellcheck disable=SC2086 # args are words
            small=$(rss "$c/small.pcap" $args) big=$(rss "$c/big.pcap" $args)
            echo "flood $kind $args: $small KB at 100k records, $big KB at 1M"
            [ "$big" -le $((small + 1024)) ] || fail "flood $kind $args: RSS $small KB at 100k records, $big KB at 1M"
        done
    fi
    # every record counted, the messages of the kind capped
    if [ $kind = empty ]; then
        expect big.pcap err '1000000 frame\(s\) gave no IP packet: truncated link/tunnel header'
        expect big.pcap err '999980 further warning\(s\) not shown: truncated link headers'
        [ "$(wc -l < "$w/err")" -le 25 ] || fail "flood empty: $(wc -l < "$w/err") lines on stderr"
    else
        expect big.pcap out '"orig_pkts":50[0-9]{4},"resp_pkts":50[0-9]{4}' conns --json
        expect big.pcap out '"outcome":"encrypted"' ssh --json
    fi
    rm -f "$c/small.pcap" "$c/big.pcap"
done
echo "$runs runs, $bad failures"
[ $bad -eq 0 ]
