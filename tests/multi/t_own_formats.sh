#!/usr/bin/env bash
# conns' CSV, text table and --fields, and ssh's CSV (its events) under
# --own, `strider merge` and --jobs
# (sd_merge_fmt): a chunk asked for them writes the mergeable JSON lines
# and declares the format; the merge writes that format through the writer
# one run uses. For each, one run over every file and the merge of its
# chunks (one file each, in reverse order; two uneven ones) and --jobs 2
# must be byte-identical (cmp): on the lab fixtures merged into one
# timeline, a shared SSH capture set with a brute force over many chunks,
# a crafted set whose connections cross file boundaries in every way, and
# thousands of connections (the text table sizes its columns on its first
# 1000 rows, then streams). What stays refused exits 2 with a message.
. "$(dirname "$0")/multi_lib.sh"

# merged OUT PLAN ARGS... (FILES in $files): each chunk of PLAN ("0:3 4:9",
# any order) run with --own, their outputs merged into OUT
merged() {
    local out=$1 plan=$2 outs=() r; shift 2
    for r in $plan; do
        "$STRIDER" "$@" -q --own "$r" "${files[@]}" > "$T/chunk-$r" || bad "$label: --own $r failed"
        grep -q '^{"_own":"fmt"' "$T/chunk-$r" || bad "$label: chunk $r declares no format"
        outs+=("$T/chunk-$r")
    done
    "$STRIDER" merge "${outs[@]}" > "$out" || bad "$label: merge of $plan failed"
}

# same LABEL DIR ARGS...: one run, the merges of two chunkings (every file
# its own chunk, in reverse order, when there are few; two uneven chunks)
# and --jobs 2, compared with cmp
same() {
    label=$1
    files=("$2"/*.pcap)
    shift 2
    local n=${#files[@]} plans=() i p k=0
    "$STRIDER" "$@" -q "${files[@]}" > "$T/one" 2>/dev/null && [ -s "$T/one" ] || { bad "$label: one run"; return; }
    if [ "$n" -le 12 ]; then
        p=""
        for ((i = n - 1; i >= 0; i--)); do p+=" $i:$i"; done
        plans+=("$p")
    fi
    plans+=("$((n / 3 + 1)):$((n - 1)) 0:$((n / 3))")
    for p in "${plans[@]}"; do
        merged "$T/m$k" "$p" "$@"
        cmp -s "$T/one" "$T/m$k" || { bad "$label: merge of$p differs"; diff "$T/one" "$T/m$k" | head -5; }
        k=$((k + 1))
    done
    "$STRIDER" "$@" -q --jobs 2 "${files[@]}" > "$T/j2" 2>/dev/null || bad "$label: --jobs 2 failed"
    cmp -s "$T/one" "$T/j2" || { bad "$label: --jobs 2 differs"; diff "$T/one" "$T/j2" | head -5; }
    echo "ok $label: $n files, $(wc -l < "$T/one") lines"
}

C=$SHARED/captures
[ -d "$C" ] || skip "no shared captures"
LAB=$REPO/tests/lab/fixtures
mergecap -w "$T/lab.pcap" "$LAB"/{agent,auth,interactive,scp,tunnel,pubkey,keyscan}*.pcap ||
    die "cannot merge the lab fixtures"
cut "$T/lab.pcap" 500 "$T/lab"
# the shared sets: name, capture, records per file (guess: a brute force
# over 11 files)
while read -r name cap per; do
    cut "$C/$cap" "$per" "$T/$name"
done <<'SETS'
guess zeek/testing/btest/Traces/ssh/sshguess.pcap 40
hassh hassh/corelight/testing/Traces/ssh_zeek_test_pcaps.pcap 150
sess tcpsession/data/100.1.1.105-and-100.1.21.181-and-100.1.29.36-sessions.pcap 6
SETS
mkdir -p "$T/rot" "$T/many"
python3 "$REPO/tests/multi/gen_rotated.py" "$T/rot" && python3 "$REPO/tests/multi/gen_rotated.py" "$T/many" --many 3000 ||
    die "cannot make the crafted sets"

for d in lab guess sess rot; do
    same "$d conns --csv" "$T/$d" conns --csv
    same "$d conns (text table)" "$T/$d" conns
done
same "guess ssh --csv (events)" "$T/guess" ssh --csv
grep -q ',brute_force,.*connections=11 ' "$T/j2" || bad "the brute force over the chunks is not whole in the CSV"
same "lab ssh --csv (events)" "$T/lab" ssh --csv
grep -q ',keystroke,.*latency_ms=' "$T/j2" || bad "no number field among the merged events: the digits' test did not run"
same "hassh ssh --csv (events)" "$T/hassh" ssh --csv
same "lab ssh --csv --kinds" "$T/lab" ssh --csv --kinds keystroke,auth_attempt
same "rot conns --csv -R" "$T/rot" conns --csv -R
same "rot conns --fields (text)" "$T/rot" conns -F stream,uid,id.orig_p,history,open_at_end,orig_open_at_end
same "rot conns --json --fields" "$T/rot" conns --json --fields uid,stream,first_frame,open_at_end,duration
same "guess conns --csv --where" "$T/guess" conns --csv --where 'orig_pkts > 10'
same "many conns (text table past its 1000 held rows)" "$T/many" conns
same "many conns --csv" "$T/many" conns --csv
B=/work/benchcaps/brute-10000.pcap
if [ -r "$B" ] && [ -z "${STRIDER_SANITIZED:-}" ]; then # 200 000 frames: minutes under ASan
    cut "$B" 20000 "$T/brute"
    same "brute-10000 conns --csv" "$T/brute" conns --csv
    same "brute-10000 conns (text)" "$T/brute" conns
    same "brute-10000 ssh --csv" "$T/brute" ssh --csv
fi

# the chunks must agree on the format; a bad declaration is refused
f=("$T/rot"/*.pcap)
n=${#f[@]}
"$STRIDER" conns --csv -q --own 0:2 "${f[@]}" > "$T/a"
"$STRIDER" conns -q --own "3:$((n - 1))" "${f[@]}" > "$T/b"
"$STRIDER" merge "$T/a" "$T/b" > "$T/out" 2> "$T/err"
[ $? = 1 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "chunks of different formats merged"
"$STRIDER" conns --json -q --own "3:$((n - 1))" "${f[@]}" > "$T/b"
"$STRIDER" merge "$T/a" "$T/b" > "$T/out" 2> /dev/null && bad "a CSV chunk merged with a JSON lines one"
for decl in '"of":"conn","fmt":"xml","hold":0,"cols":"uid"' '"of":"nope","fmt":"csv","hold":0,"cols":"uid"' \
    '"of":"conn","fmt":"csv","hold":0,"cols":"uid,nosuchfield"' '"of":"conn","fmt":"csv"'; do
    sed "s/^{\"_own\":\"fmt\".*/{\"_own\":\"fmt\",$decl}/" "$T/a" > "$T/bad"
    "$STRIDER" merge "$T/bad" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 1 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "a bad format record ($decl): exit $rc, want 1"
done
# a line of another record among the chunk's: left out, said, exit 1
"$STRIDER" conns --csv -q --own "0:$((n - 1))" "${f[@]}" > "$T/a"
sed '1i {"type":"other","uid":"x"}' "$T/a" > "$T/other"
"$STRIDER" merge "$T/other" > /dev/null 2> "$T/err"; [ $? = 1 ] && grep -q "left out" "$T/err" ||
    bad "a line of another type not reported"
# what is not merged yet stays refused (exit 2, a message, no output)
for args in "ssh --jobs 2" "ssh --own 0:1" "ssh -m --csv --jobs 2" "ssh --meta --csv --own 0:1" \
    "conns --csv --sort stream --jobs 2"; do
    "$STRIDER" $args "${f[@]}" > "$T/out" 2> "$T/err"
    rc=$?
    [ $rc = 2 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ] || bad "$args: exit $rc, want 2 with a message and no output"
done

[ $fails = 0 ] || die "$fails checks failed"
echo "all formats identical"
