#!/usr/bin/env bash
# extract under --own, `strider merge -o` and --jobs: the directory the
# merge of the chunks' directories makes, and the one --jobs makes, are
# identical (diff -r: every file's name and bytes, index.jsonl and the
# transcripts) to the one one run over every file writes; on rotated files
# whose connections cross file and chunk boundaries, a capture that starts
# mid-connection, a reused address/port pair (tcpflow's cN names), a brute
# force spread over many chunks. A connection longer than the read-ahead is
# marked in its index line and transcript; a provisional session an earlier
# chunk covers leaves no file; what cannot be merged is refused.
. "$(dirname "$0")/multi_lib.sh"

# same LABEL DIR [EXTRACT-OPTIONS...]: one run vs each chunking, diff -r
same() {
    local label=$1 dir=$2; shift 2
    local files=("$dir"/*.pcap) n h
    n=${#files[@]}
    rm -rf "$T/one" "$T"/c[0-9]* "$T"/m "$T"/m2 "$T"/h[01] "$T"/j[23]
    "$STRIDER" extract "$@" -q -o "$T/one" "${files[@]}" 2>/dev/null || { bad "$label: one run failed"; return; }
    [ -s "$T/one/index.jsonl" ] || { bad "$label: one run indexed nothing"; return; }
    # each file its own chunk, given to the merge in reverse order
    local outs=()
    for ((i = n - 1; i >= 0; i--)); do
        "$STRIDER" extract "$@" -q --own "$i:$i" -o "$T/c$i" "${files[@]}" 2>/dev/null || bad "$label: --own $i:$i failed"
        outs+=("$T/c$i")
    done
    "$STRIDER" merge -o "$T/m" "${outs[@]}" || bad "$label: merge failed"
    diff -r "$T/one" "$T/m" > "$T/d" || { bad "$label: merge of $n one-file chunks differs"; head -5 "$T/d"; }
    h=$((n / 3))
    "$STRIDER" extract "$@" -q --own "0:$h" -o "$T/h0" "${files[@]}" 2>/dev/null
    "$STRIDER" extract "$@" -q --own "$((h + 1)):$((n - 1))" -o "$T/h1" "${files[@]}" 2>/dev/null
    "$STRIDER" merge -o "$T/m2" "$T/h0" "$T/h1" || bad "$label: merge of 2 chunks failed"
    diff -r "$T/one" "$T/m2" > /dev/null || bad "$label: merge of 2 chunks differs"
    for j in 2 3; do
        "$STRIDER" extract "$@" -q --jobs $j -o "$T/j$j" "${files[@]}" 2>/dev/null || bad "$label: --jobs $j failed"
        diff -r "$T/one" "$T/j$j" > "$T/d" || { bad "$label: --jobs $j differs"; head -5 "$T/d"; }
    done
    totals "$label" "$@" "${files[@]}"
    echo "ok $label: $n files, $(wc -l < "$T/one/index.jsonl") sessions, $(ls "$T/one" | wc -l) files"
}


# totals LABEL [EXTRACT-OPTIONS...] FILES...: the totals lines on stderr
# ("strider extract: N TCP sessions, ..." and those said even with -q) of
# --jobs are one run's, once: the sessions the merge keeps, not each
# worker's (which count the provisional ones the merge drops)
totals() {
    local label=$1; shift
    rm -rf "$T/t1" "$T/tj"
    "$STRIDER" extract "$@" -o "$T/t1" 2> "$T/t1.err" > /dev/null
    "$STRIDER" extract --jobs 3 "$@" -o "$T/tj" 2> "$T/tj.err" > /dev/null
    grep '^strider extract: ' "$T/t1.err" > "$T/t1.tot"
    grep '^strider extract: ' "$T/tj.err" > "$T/tj.tot"
    [ -s "$T/t1.tot" ] || bad "$label: one run printed no totals line"
    cmp -s "$T/t1.tot" "$T/tj.tot" || { bad "$label: --jobs 3's totals are not one run's"; cat "$T/t1.tot" "$T/tj.tot"; }
    rm -rf "$T/tj"
    "$STRIDER" extract --jobs 3 -q "$@" -o "$T/tj" 2> "$T/tj.err" > /dev/null
    grep -q 'TCP sessions' "$T/tj.err" && bad "$label: --jobs -q printed the totals line"
}

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
mkdir -p "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot"
cut "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" 40 "$T/guess" # a brute force over 11 files
cut "$C/tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap" 6 "$T/sess"
cut "$C/hassh/corelight/testing/Traces/ssh_zeek_test_pcaps.pcap" 150 "$T/hassh"
# a capture that starts mid-connection: its first 7 records dropped
editcap -r "$C/zeek/testing/btest/Traces/ssh/sshguess.pcap" "$T/mid.pcap" 8-100000 > /dev/null
cut "$T/mid.pcap" 30 "$T/mid"

same "rot" "$T/rot"
same "rot --all, no inline payload" "$T/rot" --all --json-inline 0
same "guess" "$T/guess"
same "sess" "$T/sess"
same "hassh" "$T/hassh"
same "mid" "$T/mid"
# the totals said even with -q (overlaps, bytes past the overlap history)
# come from every worker's sessions: one run's sums, once
python3 "$REPO/tests/evasion/mkoverlap.py" "$T/ov.pcap" && cut "$T/ov.pcap" 300 "$T/ov"
totals "overlaps" --overlap-memcap 1K "$T/ov"/*.pcap
grep -q '3 overlap(s) with different bytes' "$T/tj.err" || bad "overlaps: --jobs -q does not say the overlaps"
# names reused by a later session on the same ports (cN) come out as one run numbers them
ls "$T/one" > /dev/null
"$STRIDER" extract -q -o "$T/r1" "$T/rot"/*.pcap
ls "$T/r1" | grep -q 'c1$' || bad "the crafted set has no reused name: the cN case is not tested"

# a connection longer than the read-ahead is cut there and marked, in its
# index line and its transcript; its tail is a session of the next chunk
rm -rf "$T/ra"
"$STRIDER" extract -q --jobs 3 --read-ahead 60 -o "$T/ra" "$T/rot"/*.pcap 2> "$T/ra.err" || bad "--read-ahead run failed"
grep -q '"id.orig_p":44000,.*"readahead_cut":true' "$T/ra/index.jsonl" || bad "L not marked cut in the index"
grep -lq 'readahead_cut' "$T/ra"/010.000.000.001.44000-*.json || bad "L's transcript not marked cut"
grep -q '"id.orig_p":5002[0-9],.*readahead_cut' "$T/ra/index.jsonl" && bad "a short session marked cut"
[ "$(grep -c '"id.orig_p":44000,' "$T/ra/index.jsonl")" = 2 ] || bad "L's tail is not a session of its own"
grep -q "cut at the read-ahead limit" "$T/ra.err" || bad "no note of the cut on stderr"
ls -a "$T/ra" | grep -q strider-chunk && bad "--jobs left its chunk directories"

# a provisional session an earlier chunk covers leaves no file: A (port
# 41000) crosses files 0 to 4, so chunk 1..5 has its tail, dropped
"$STRIDER" extract -q --own 1:5 -o "$T/p1" "$T/rot"/*.pcap
"$STRIDER" extract -q --own 0:0 -o "$T/p0" "$T/rot"/*.pcap
"$STRIDER" merge -o "$T/pm" "$T/p0" "$T/p1" || bad "merge p0 p1 failed"
n1=$(ls "$T/p0" "$T/p1" | grep -c '^010.*41000-.*\.json$')
n2=$(ls "$T/pm" | grep -c '^010.*41000-.*\.json$')
[ "$n1" -gt "$n2" ] || bad "no covered session's transcript was left out ($n1 in the chunks, $n2 merged)"
diff -r "$T/r1" "$T/pm" > /dev/null || bad "merge p0 p1 differs from one run"

# refused: --flows-only (no index to merge by); a missing chunk fails the
# merge; an existing DIR without --force
f=("$T/rot"/*.pcap)
"$STRIDER" extract --flows-only --jobs 2 -o "$T/ff" "${f[@]}" > /dev/null 2>&1; [ $? = 2 ] || bad "--flows-only with --jobs accepted"
"$STRIDER" merge -o "$T/miss" "$T/p1" > /dev/null 2> "$T/err"; [ $? = 1 ] || bad "merge of a missing chunk did not fail"
"$STRIDER" merge -o "$T/pm" "$T/p0" "$T/p1" > /dev/null 2>&1; [ $? != 0 ] || bad "merge into an existing DIR without --force"
"$STRIDER" merge --force -o "$T/pm" "$T/p0" "$T/p1" || bad "merge --force into an existing DIR failed"
diff -r "$T/r1" "$T/pm" > /dev/null || bad "merge --force differs from one run"
"$STRIDER" merge -o "$T/nd" "$T/rot/rot_0.pcap" > /dev/null 2>&1; [ $? = 1 ] || bad "a file as chunk directory accepted"

# a chunk directory is input like any other: a name in its index that is a
# path, or a link planted in it, is not taken over (exit 1), nothing is
# written outside DIR
cp -r "$T/p1" "$T/h1x"
sed -i 's/"transcript":"[^"]*"/"transcript":"..\/escaped.json"/g' "$T/h1x/index.jsonl"
f0=$(ls "$T/p0" | grep -v index | head -1)
rm "$T/p0x" -rf && cp -r "$T/p0" "$T/p0x" && rm "$T/p0x/$f0" && ln -s /etc/passwd "$T/p0x/$f0"
"$STRIDER" merge -o "$T/hxo" "$T/p0x" "$T/h1x" > /dev/null 2> "$T/err"; rc=$?
[ $rc = 1 ] || bad "hostile chunk directories: merge exit $rc, want 1"
[ -e "$T/escaped.json" ] && bad "a name with a path was followed out of DIR"
[ -L "$T/hxo/$f0" ] && bad "a planted link was taken over"
grep -q "escaped.json" "$T/err" || bad "the bad name is not said"

# a garbage file among the files is skipped by one run (a message), so by
# --jobs too: its chunk owns nothing (tests/multi/t_own_empty.sh)
mkdir -p "$T/fx" && cp "$T/rot/rot_0.pcap" "$T/fx/a.pcap" && head -c 3000 /dev/urandom > "$T/fx/b.pcap"
"$STRIDER" extract -q -o "$T/fx1" "$T/fx"/*.pcap > /dev/null 2>&1 || bad "one run with a garbage file failed"
"$STRIDER" extract -q --jobs 2 -o "$T/fxj" "$T/fx"/*.pcap > /dev/null 2>&1 || bad "--jobs 2 with a garbage file failed"
diff -r "$T/fx1" "$T/fxj" > /dev/null || bad "--jobs 2 with a garbage file differs from one run"
# a worker that fails (its chunk directory cannot be made: a file is
# there) fails the --jobs run and leaves no chunk directory, the other
# worker's included
cp "$T/rot/rot_1.pcap" "$T/fx/b.pcap"
mkdir -p "$T/fxo" && touch "$T/fxo/.strider-chunk-0"
"$STRIDER" extract -q --force --jobs 2 -o "$T/fxo" "$T/fx"/*.pcap > /dev/null 2>&1 && bad "a failed worker did not fail --jobs"
[ -z "$(find "$T/fxo" -name '.strider-chunk-*' -type d)" ] || bad "a failed --jobs run left a chunk directory"

[ $fails = 0 ] || die "$fails failures"
echo "all extract merges identical to one run"
