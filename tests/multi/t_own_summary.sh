#!/usr/bin/env bash
# summary over a file list cut into chunks (--own, strider merge, --jobs):
# byte-identical to one run over every file, JSON and text, on real
# captures cut with editcap: a brute force over many chunks (sshguess, and
# bench's brute-10000 when there), DNS names and transactions over chunks
# (wikipedia.pcap), the lab fixtures merged in time order; connections
# cross every file boundary. Bad options exit 2; chunk outputs that are
# mixed, cut or garbled fail the merge (exit 1) with a message.
. "$(dirname "$0")/multi_lib.sh"

# same LABEL DIR ARGS...: one run vs one-file chunks merged (in reverse
# order, one read from a pipe), two uneven chunks, --jobs 2 and 3
same() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n outs=()
    n=${#files[@]}
    "$STRIDER" summary "$@" -q "${files[@]}" > "$T/one" 2>/dev/null || { bad "$label: one run failed"; return; }
    [ -s "$T/one" ] || { bad "$label: one run printed nothing"; return; }
    if [ -z "${STRIDER_SANITIZED:-}" ]; then # every file a chunk: slow under ASan
        for ((i = n - 1; i >= 0; i--)); do
            "$STRIDER" summary "$@" -q --own "$i:$i" "${files[@]}" > "$T/c$i" 2>/dev/null || bad "$label: --own $i:$i failed"
            outs+=("$T/c$i")
        done
        "$STRIDER" merge <(cat "${outs[0]}") "${outs[@]:1}" > "$T/m" 2>/dev/null || bad "$label: merge failed"
        cmp -s "$T/one" "$T/m" || { bad "$label: merge of $n one-file chunks differs"; diff "$T/one" "$T/m" | head -4; }
    fi
    local h=$((n / 3))
    "$STRIDER" summary "$@" -q --own "0:$h" "${files[@]}" > "$T/h0" 2>/dev/null
    "$STRIDER" summary "$@" -q --own "$((h + 1)):$((n - 1))" "${files[@]}" > "$T/h1" 2>/dev/null
    "$STRIDER" merge "$T/h1" "$T/h0" > "$T/m2" 2>/dev/null || bad "$label: merge of 2 chunks failed"
    cmp -s "$T/one" "$T/m2" || { bad "$label: merge of 2 chunks differs"; diff "$T/one" "$T/m2" | head -4; }
    for j in 2 3; do
        "$STRIDER" summary "$@" -q --jobs $j "${files[@]}" > "$T/j$j" 2>/dev/null || bad "$label: --jobs $j failed"
        cmp -s "$T/one" "$T/j$j" || { bad "$label: --jobs $j differs"; diff "$T/one" "$T/j$j" | head -4; }
    done
    echo "ok $label: $n files, $(wc -l < "$T/one") lines"
}

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
cut "$C/zeek/testing/btest/Traces/wikipedia.pcap" 15 "$T/wiki"      # DNS over 10 files
cut "$C/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap" 6 "$T/sess"

# the outputs hold what the chunks must combine, so identity proves something
"$STRIDER" summary --json -q "$T/guess"/*.pcap | grep -q '"type":"client".*"conns":11,' ||
    bad "sshguess: no client with 11 connections in one run"
"$STRIDER" summary --json -q "$T/wiki"/*.pcap | grep -q '"type":"dns_name"' ||
    bad "wikipedia: no DNS names in one run"

for d in guess wiki sess; do
    same "$d json" "$T/$d" --json
    same "$d text" "$T/$d"
done
same "wiki json --no-files" "$T/wiki" --json --no-files
same "wiki json --max-hosts 1000" "$T/wiki" --json --max-hosts 1000
# a chunk whose host table filled up cannot give the hosts it refused:
# said on stderr (docs/scale.md, known limits)
"$STRIDER" summary --json -q --jobs 2 --max-hosts 1 "$T/guess"/*.pcap 2> "$T/err" > /dev/null
grep -q "max-hosts" "$T/err" || bad "no warning for chunks whose host table was full"

if command -v mergecap > /dev/null; then
    # the Ethernet fixtures only: one pcap holds one link type (the lab also
    # has a Linux cooked capture), merged in time order as rotated files are
    eth=()
    for f in "$REPO"/tests/lab/fixtures/*.pcap; do
        [ "$(capinfos -T -E -r "$f" | command cut -f2)" = ether ] && eth+=("$f")
    done
    [ "${#eth[@]}" -gt 100 ] || bad "only ${#eth[@]} Ethernet lab fixtures"
    mergecap -F pcap -w "$T/lab.pcap" "${eth[@]}"
    cut "$T/lab.pcap" 2000 "$T/lab"
    same "lab fixtures json" "$T/lab" --json
    same "lab fixtures text" "$T/lab"
fi

brute=/work/benchcaps/brute-10000.pcap
gencap=$REPO/${BUILD:-build}/bench/gencap
if [ ! -s "$brute" ] && [ -x "$gencap" ]; then
    brute=$T/brute.pcap
    "$gencap" --brute 10000 -o "$brute" > /dev/null 2>&1 || bad "gencap --brute failed"
fi
if [ -s "$brute" ] && [ -z "${STRIDER_SANITIZED:-}" ]; then
    cut "$brute" 20000 "$T/brute"
    same "brute-10000 json" "$T/brute" --json
    grep -q '"type":"client".*"conns":10,' "$T/one" || bad "brute-10000: no client with 10 connections"
fi

# bad options exit 2 with a message and no output
f=("$T/guess"/*.pcap)
for args in "--own 0:1 --host 10.0.0.1" "--jobs 2 --after 5" "--own 0:1 --max-host-conns 3" "--own 2:1"; do
    "$STRIDER" summary $args "${f[@]}" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 2 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "summary $args: exit $rc, want 2 with a message"
done

# chunks that do not go together, or are cut or garbled: exit 1 with a
# message, never a crash nor a report
"$STRIDER" summary --json -q --own 0:4 "${f[@]}" > "$T/s0"
"$STRIDER" summary -q --own 5:10 "${f[@]}" > "$T/t1"
"$STRIDER" summary --json -q --own 5:10 "${f[@]}" > "$T/s1"
"$STRIDER" conns --json -q --own 5:10 "${f[@]}" > "$T/k1"
head -c $(($(wc -c < "$T/s1") / 2)) "$T/s1" > "$T/cut1"
sed 's/"v":"\([0-9]*\) /"v":"\1x /' "$T/s1" > "$T/bad1"
sed 's/"uid":"C[A-Za-z0-9]*"/"uid":"Cnotaconnection000"/' "$T/s1" > "$T/orph1"
printf '{"_own":"sum","json":1,"files":1,"max_hosts":99999999999}\n{"_own":"chunk","first":5,"last":10,"frames":[1]}\n' > "$T/huge1"
for c in t1 k1 cut1 bad1 huge1; do
    "$STRIDER" merge "$T/s0" "$T/$c" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 1 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "merge with $c: exit $rc, want 1 with a message, no output"
done
"$STRIDER" summary --json -q --own 0:1 "${f[@]}" > "$T/g0"
"$STRIDER" summary --json -q --own 3:5 "${f[@]}" > "$T/g1"
"$STRIDER" merge "$T/g0" "$T/g1" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q "file 2 is in no chunk" "$T/err" ||
    bad "merge with a missing summary chunk did not fail"
"$STRIDER" merge "$T/s0" "$T/orph1" > /dev/null 2>&1
[ $? -le 1 ] || bad "merge of records whose uid is no connection's crashed"

[ $fails = 0 ] || die "$fails checks failed"
echo "all summaries identical"
