#!/usr/bin/env bash
# sd_reasm against public captures with known correct reassembly
# ($SHARED/captures/*/README.md): segdump.py extracts the TCP segments,
# reasm_replay feeds them through sd_reasm the way the engine does, and the
# delivered streams, gaps and inconsistencies are compared with the truth.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
SHARED=${SHARED:-$(cd .. && pwd)/shared}
C=$SHARED/captures
PY=/usr/bin/python3
[ -d "$C" ] || { echo "no $C"; exit 77; }
$PY -c 'import scapy' 2>/dev/null || { echo "no scapy"; exit 77; }
[ -f "$BUILD/libstrider.a" ] || { echo "no $BUILD/libstrider.a"; exit 77; }
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
SAN=${STRIDER_SANITIZED:+-fsanitize=address,undefined}  # set by `make asan`
${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -O1 $SAN -Isrc -o "$T/replay" tests/reasm/reasm_replay.c "$BUILD/libstrider.a" \
    -lpcap -lcrypto -lm || exit 1

fail=0
SV=$C/suricata-verify/tests TF=$C/tcpflow/tests ZT=$C/zeek/testing/btest/Traces
# every capture used below, dumped by one python process (scapy starts slowly)
PCAPS=($(grep -oE '^cur=[^;]*; run [^ ]+' "$0" | awk '{print $3}'))
PCAPS=("${PCAPS[@]//\$SV/$SV}"); PCAPS=("${PCAPS[@]//\$TF/$TF}")
PCAPS=("${PCAPS[@]//\$ZT/$ZT}"); PCAPS=("${PCAPS[@]//\$C/$C}"); PCAPS=("${PCAPS[@]//\"/}")
$PY tests/reasm/segdump.py -o "$T" "${PCAPS[@]}" 2>"$T/py.err" || { cat "$T/py.err"; exit 1; }
run() { # pcap [policy]
    local i
    rm -f "$T"/o.*
    for i in "${!PCAPS[@]}"; do [ "${PCAPS[$i]}" = "$1" ] && break; done
    [ "${PCAPS[$i]}" = "$1" ] || { echo "not dumped: $1"; fail=1; return; }
    "$T/replay" ${2:+-p $2} "$T/o" <"$T/$i.dump" >"$T/log"
}
want_file() { # conn.dir size md5-prefix
    local f="$T/o.$1" s m
    s=$(stat -c %s "$f" 2>/dev/null || echo missing); m=$(md5sum <"$f" 2>/dev/null | cut -c1-8)
    if [ "$s" != "$2" ] || [ "$m" != "$3" ]; then echo "FAIL $cur $1: size $s md5 $m, want $2 $3"; fail=1; fi
}
want_text() { # conn.dir text
    if [ "$(cat "$T/o.$1")" != "$2" ]; then echo "FAIL $cur $1: '$(head -c 80 "$T/o.$1")' want '$2'"; fail=1; fi
}
want_log() { # grep -E pattern [count]
    local n; n=$(grep -cE "$1" "$T/log")
    if [ "$n" != "${2:-1}" ]; then echo "FAIL $cur: '$1' x$n, want ${2:-1}"; sed 's/^/    /' "$T/log" | head -20; fail=1; fi
}

cur=overlap-01; run $SV/eve-overlap-payload-01/tcp-overlap.pcap
want_text 0.0 GOOD; want_log '^INCONSISTENT 0.0 off=0 len=4 old=5 new=6$'
cur=overlap-02-last; run $SV/eve-overlap-payload-02-policy-oldlinux/tcp-overlap.pcap last
want_text 0.0 EVIL   # both copies came before the ACK: held until it, last takes EVIL (Suricata old-linux)
cur=overlap-04; run $SV/eve-overlap-payload-04-partial-overlap/tcp-overlap2.pcap
want_text 0.0 GOOD; want_log '^INCONSISTENT 0.0 off=1 len=3 '
cur=gap-05; run $SV/eve-overlap-payload-05-gap/tcp-simple-gap2.pcap
want_text 0.0 VERYDATA; want_log '^GAP 0.0 off=4 len=4 '; want_log '^GAP' 1
cur=leading-gap-06; run $SV/eve-payload-06-tcp-data-leading-gap/tcp-leading-gap.pcap
want_text 0.0 GOODDATA; want_log '^GAP 0.0 off=0 len=4 '
cur=rst-with-data; run $SV/bug-6244-tcp-rst-with-data/tcp-rst-with-data.pcap
want_text 0.1 'Please Let Me In!'; want_text 0.0 ''
cur=rst-unacked; run $SV/tcp-rst-unacked-stream-01-raw/input.pcap
want_text 0.1 'Please Let Me In!'; want_log '^GAP' 0
cur=tfo; run $SV/tcp-fastopen-01/tfo.pcap
want_file 1.0 86 1b08c633; want_log '^GAP' 0
cur=tfo-ignored; run $SV/tcp-fastopen-10-syn-data-ignore/input.pcap
want_file 0.0 839 78a9e741; want_log '^STATS 0.0 delivered=839 gap=0 retrans=3/1551 '; want_log '^GAP' 0

cur=tcpsession; run "$C/tcpsession/data/100.1.21.181-7201-200.1.9.163-80-session.pcap"
want_file 0.0 16383 3483ad9d; want_log '^STATS 0.0 .* retrans=24/32766 '
cur=sl1-after-fin; run $C/tcpsession/data/failed_test_sl1_2010.pcap
want_log '^STATS 0.0 delivered=65641 gap=0 '; want_log '^FLAGS 0.0 off=16485 len=1460 flags=2$'  # data one past the FIN (16484)

cur=tcpflow-test1; run $TF/test1.pcap
want_file 1.0 655 14e9c335; want_file 1.1 2792 61051e41; want_file 2.0 604 78b80730; want_file 2.1 136 ae30a881
cur=tcpflow-test2; run $TF/test2.pcap
want_file 0.0 191 c4b95c55; want_file 0.1 205 b7d0b9ee
cur=tcpflow-bug7; run $TF/bug7.pcap
want_file 0.0 3108 194cb76e
cur=tcpflow-test5; run $TF/test5-lines.pcap
want_file 0.0 120 4efc87d2; want_file 0.1 1884 9028a808

cur=zeek-bigtransfer; run $ZT/ftp/bigtransfer.pcap
want_log '^STATS 2.1 delivered=23822 gap=5416642848 '
want_log '^GAP 2.1 off=4260757504 len=42332608 '   # 2896 B follow at 4303090112 (Zeek's offset)
want_log '^GAP 2.1 off=4675731456 len=740934032 '  # last 1182 B at 5416665488
cur=zeek-miss-end-data; run $ZT/tcp/miss_end_data.pcap
want_log '^GAP 0.1 off=0 len=2902 '
cur=zeek-reassembly; run $ZT/tcp/reassembly.pcap
want_log '^STATS 0.0 .* incons=5/'
cur=zeek-quantum-insert; run $ZT/tcp/qi_internet_SYNACK_curl_jsonip.pcap
want_log '^STATS 0.1 delivered=348 gap=0 .* incons=1/'
cur=zeek-payload-syn; run $ZT/tcp/payload-syn.pcap
want_log '^STATS 0.0 delivered=100 gap=0 '
cur=zeek-payload-synack; run $ZT/tcp/payload-synack.pcap
want_log '^STATS 0.1 delivered=110 gap=0 '

[ $fail = 0 ] && echo "all captures reassembled as expected"
exit $fail
