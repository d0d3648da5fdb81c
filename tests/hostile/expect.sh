# What t_suite.sh expects of each hostile capture: check_NAME LABEL runs
# after each command on NAME.pcap, with its stdout in $w/out, its stderr in
# $w/err, extract's directory in $w/x and ssh -o's in $w/o.

# raw terminal controls (ESC, BEL, the 8-bit CSI) in a file
raw_controls() { LC_ALL=C tr -cd '\033\007\233' < "$1" | wc -c; }

check_longbanner() { # SSH behind 1,000 pre-banner lines and an 8 KB version line
    case $1 in
    ssh-json)
        want longbanner "$1" "$w/out" '"type":"ssh".*"server":"SSH-2.0-OpenSSH_9.6 LLLL'
        want longbanner "$1" "$w/out" '"type":"ssh".*"auth_success":true'
        want longbanner "$1" "$w/out" '"code":"banner_long","note":"identification line of 8192 bytes"';;
    ssh) want longbanner "$1" "$w/out" '^SSH 10\.20\.0\.1:41000 -> 10\.20\.0\.2:22';;
    ssh-m) want longbanner "$1" "$w/out" 'pre-banner +1000 line\(s\) from the server';;
    ssh-report) want longbanner "$1" "$w/o/report.html" '10\.20\.0\.2';;
    esac
}

check_timeback() { # time jumps back 100 s at frame 4 and a year at frame 14
    want timeback "$1" "$w/err" 'frame 4: timestamp 99\.999000 s earlier than frame 3'
    want timeback "$1" "$w/err" '^strider: time goes back at 2 frame\(s\), first at frame 4'
}

check_future() { # pcapng dated past 2262
    want future "$1" "$w/err" 'frame 2: timestamp out of range'
    [ "$(grep -c 'frame [0-9]*: timestamp out of range' "$w/err")" = 1 ] || fail "future $1: warned more than once"
    want future "$1" "$w/err" 'future\.pcapng: 2 frame\(s\) with a timestamp out of range'
}

check_escapes() { # OSC 0/52, CSI 2J, 0x9b, BEL in banners, name-lists, pre-banner, HTTP
    local f
    for f in "$w/out" "$w/err"; do
        [ "$(raw_controls "$f")" = 0 ] || fail "escapes $1: raw terminal controls in $(basename "$f")"
    done
    case $1 in
    ssh-json) want escapes "$1" "$w/out" '"type":"ssh".*"server":"SSH-2.0-OpenSSH_9.2\\u001b\]0;pwned-title\\u0007';;
    ssh-m) want escapes "$1" "$w/out" 'pre-banner +1 line\(s\) from the server'
           want escapes "$1" "$w/out" 'server +SSH-2\.0-OpenSSH_9\.2\\x1b\]0;pwned-title\\x07\\x1b\[2J';;
    extract)
        for f in "$w/x"/*.json*; do
            [ "$(raw_controls "$f")" = 0 ] || fail "escapes $1: raw terminal controls in $(basename "$f")"
        done;;
    ssh-report)
        for f in "$w/o"/*; do
            [ "$(raw_controls "$f")" = 0 ] || fail "escapes $1: raw terminal controls in $(basename "$f")"
        done;;
    esac
}

check_seqjump() { # ACKed jumps: 30 just under 2^31, 30 just under 1 GiB (the sparse-file attack)
    [ "$1" = extract ] || return 0
    want seqjump "$1" "$w/err" 'hole\(s\) cut by --max-hole: [0-9]+ missing bytes not written'
    want seqjump "$1" "$w/x/index.jsonl" '"orig_hole_bytes_cut":[1-9]'
    local size
    size=$(find "$w/x" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
    # --max-hole (1 GiB) plus the bytes the capture carried, not 60 GiB
    [ "$size" -le $(((1 << 30) + 100000)) ] || fail "seqjump extract: $size bytes of files"
}

check_frags() { # overlapping-fragment storms, IPv4 and IPv6, and sets never completed
    local n=$((4000 * scale))
    want frags "$1" "$w/err" "further warning\\(s\\) not shown: .*overlapping fragments $((n * 16 - 20))"
    want frags "$1" "$w/err" "^strider: $n IP datagram\\(s\\) not reassembled from their fragments"
    case $1 in
    summary) want frags "$1" "$w/out" "IP fragments reassembled: $((n * 2))"
             want frags "$1" "$w/out" "warnings not shown .*overlapping fragments $((n * 16 - 20))";;
    summary-json) want frags "$1" "$w/out" "\"warnings_unshown_kinds\":\".*overlapping fragments $((n * 16 - 20))";;
    esac
}

check_retrans() { # every segment retransmitted with different bytes
    case $1 in
    conns-R) want retrans "$1" "$w/out" '"inconsistencies":[1-9][0-9]*';;
    follow) want retrans "$1" "$w/out" "== orig: .*, $((200 * scale)) inconsistent";;
    extract) want retrans "$1" "$w/x/index.jsonl" "\"orig_inconsistent\":$((200 * scale)),";;
    ssh-json) want retrans "$1" "$w/out" '"type":"ssh".*"server":"SSH-2.0-Evil_0!!!!!"';;
    esac
}

check_bignames() { # a 240 KB name-list (OpenSSH takes it), a KEXINIT claiming 16 MiB
    case $1 in
    ssh-json)
        want bignames "$1" "$w/out" '"code":"namelist_long","note":"name-list of 239999 bytes'
        want bignames "$1" "$w/out" '"type":"ssh".*"auth_success":true'
        want bignames "$1" "$w/out" '"code":"packet_too_long","note":"packet_length 16777216"';;
    ssh-m) want bignames "$1" "$w/out" 'namelist_long';;
    esac
}

check_tinyrecs() { # more than 2^20 encrypted records in one connection
    case $1 in
    ssh | ssh-json | ssh-csv | ssh-report)
        want tinyrecs "$1" "$w/err" '^strider ssh: 1 connection\(s\) had more than 1048576 encrypted records';;
    esac
    [ "$1" = ssh-json ] && want tinyrecs "$1" "$w/out" '"records_truncated":true'
    return 0
}

check_scan() { # version grabbing: one client, 40 servers
    case $1 in
    ssh-json) want scan "$1" "$w/out" '"kind":"scanner".*"client":"10\.9\.9\.9","connections":40,"servers":40';;
    ssh-report) want scan "$1" "$w/o/report.html" 'scanner'
                want scan "$1" "$w/o/events.jsonl" '"kind":"scanner"';;
    esac
}

check_brute() { # password guessing (bench/gencap --brute)
    case $1 in
    ssh-json) want brute "$1" "$w/out" '"kind":"brute_force".*"failed_connections":[3-9]';;
    ssh-report) want brute "$1" "$w/o/report.html" 'brute_force';;
    esac
}

check_synflood() { # more SYNs than --max-flows
    want synflood "$1" "$w/err" \
        "the connection table was full \\(--max-flows $MAXFLOWS\\): $((SYNS - MAXFLOWS)) connection\\(s\\) ended early"
    case $1 in
    conns-json)
        [ "$(grep -c '"evicted":true' "$w/out")" = $((SYNS - MAXFLOWS)) ] ||
            fail "synflood conns-json: not $((SYNS - MAXFLOWS)) evicted: $(grep -c '"evicted":true' "$w/out")";;
    summary) want synflood "$1" "$w/out" "TCP $SYNS, UDP 0";;
    esac
}
