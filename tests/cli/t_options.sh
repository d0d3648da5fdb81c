#!/usr/bin/env bash
# Every option value an analyst can get wrong is refused the same way: exit
# status 2, nothing on stdout, a first line on stderr naming the option (or
# saying what is wrong), never a silent empty result. Also the conditions
# that are not usage errors but must be said (no such stream, no SSH), the
# old spellings still accepted with a note, and the --where language end to
# end on conns and ssh.
set -u
. "$(dirname "$0")/../lib.sh"
D=$REPO/samples/demo.pcap          # one SSH connection, tcp.stream 0
NOSSH=$REPO/tests/crafted/seqwrap.pcap
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
fail=0
bad() { echo "FAIL $*"; fail=1; }

# usage error: status 2, empty stdout, stderr's first line holds $want
refused() { # want, args...
    local want=$1; shift
    "$STRIDER" "$@" > "$out/o" 2> "$out/e"
    local rc=$?
    [ "$rc" = 2 ] || bad "$*: exit $rc, expected 2"
    [ -s "$out/o" ] && bad "$*: wrote to stdout"
    head -n 1 "$out/e" | grep -qF -- "$want" || bad "$*: stderr \"$(head -n 1 "$out/e")\" lacks \"$want\""
}
refused '--limit' conns --limit x "$D"
refused '--limit' conns -l -1 "$D"
refused '--port' conns --port abc "$D"
refused '--port' conns --port 99999 "$D"
refused '--idle-timeout' conns --idle-timeout abc "$D"
refused '--idle-timeout' conns --idle-timeout -5 "$D"
refused '--idle-timeout' conns --idle-timeout 0 "$D"
refused '--max-flows' conns --max-flows 0 "$D"
refused '--stats-interval' conns --stats-interval x "$D"
refused '--proto' conns --proto icmp "$D"
refused '--local-nets' conns --local-nets 10.0.0.0/33 "$D"
refused '--local-nets' ssh --local-nets 10.0.0.0/8, "$D"
refused 'bad address' conns --host 10.0.0.300 "$D"
refused 'unknown sort field' conns --sort nosuch "$D"
refused 'unknown field' conns --fields stream,nosuch "$D"
refused '-n/--stream' conns -n abc "$D"
refused 'column 10: "abc" is not a number' conns --where 'duration>abc' "$D"
refused 'column 15: unknown field "nosuch"' conns --where 'duration>3 && nosuch=22' "$D"
refused "column 1: '(' without ')'" conns --where '(stream == 1' "$D"
refused 'empty expression' conns --where '' "$D"
refused 'bad regular expression' conns --where 'history matches "("' "$D"
refused '-p/--report' ssh -p "$D"
refused '--csv or --json' ssh --csv --json "$D"
refused '--records' ssh --csv --records "$D"
refused '-n/--stream' ssh -n x "$D"
refused '-n/--stream wants a TCP stream' ssh -n udp:1 "$D"
refused '-z/--zoom' ssh -z 9-3 "$D"
refused '-w/--window' ssh -w 0 "$D"
refused '-s/--stride' ssh -s abc "$D"
refused '-d/--leg' ssh -d sideways "$D"
refused '--kinds' ssh --kinds 'A;B' "$D"
refused 'unknown field "nosuch"' ssh --where 'nosuch == 1' "$D"
refused 'column 8: expected a value' ssh --where-events 'kind ==' "$D"
refused '-n/--stream ID is required' packets "$D"
refused '-n/--stream' packets -n x "$D"
refused '-z/--zoom' packets -n 0 -z x "$D"
refused '-n/--stream ID is required' follow "$D"
refused 'TCP streams only' follow -n udp:0 "$D"
refused '--overlap' follow -n 0 --overlap sometimes "$D"
refused '--memcap' follow -n 0 --memcap 12Q "$D"
refused '--max-hosts' summary --max-hosts 0 "$D"
refused '--max-open' extract -o "$out/x" --max-open 2 "$D"
refused "unknown option --no-such-option" conns --no-such-option "$D"
refused 'unknown command' nosuchcommand "$D"

# said, status 1: the stream asked for is not there; no SSH at all
"$STRIDER" ssh -n 99 "$D" > "$out/o" 2> "$out/e"
[ $? = 1 ] || bad "ssh -n 99: exit not 1"
grep -q 'no SSH connection with tcp.stream 99' "$out/e" || bad "ssh -n 99: $(cat "$out/e")"
"$STRIDER" ssh "$NOSSH" > "$out/o" 2> "$out/e"
grep -qE 'no SSH in [0-9]+ TCP connection' "$out/e" || bad "no SSH: $(cat "$out/e")"
# ssh -m --csv is one row per connection, not events
[ "$("$STRIDER" ssh -m --csv "$D" | wc -l)" = 2 ] || bad "ssh -m --csv: not header + 1 row"

# old spellings: the same output, a note naming the new one
"$STRIDER" packets --conn 0 "$D" > "$out/old" 2> "$out/e"
"$STRIDER" packets -n 0 "$D" > "$out/new" 2> /dev/null
cmp -s "$out/old" "$out/new" || bad "packets --conn: output differs from -n"
grep -q 'deprecated, use -n/--stream' "$out/e" || bad "packets --conn: no note"
"$STRIDER" conns -w 'id.resp_p==22' "$D" 2> "$out/e" > "$out/old"
grep -q 'deprecated, use -Y/--where' "$out/e" || bad "conns -w: no note"
"$STRIDER" ssh -z 1:50 "$D" 2> "$out/e" > /dev/null
grep -q 'A:B is deprecated, use A-B' "$out/e" || bad "ssh -z 1:50: no note"

# --where end to end: what it keeps
n() { "$STRIDER" conns -j "$@" "$D" | wc -l; }
all=$(n)
[ "$all" -ge 1 ] || bad "demo.pcap has no connection"
[ "$(n --where 'id.resp_p == 22 && duration > 1')" = 1 ] || bad "where and: not 1"
[ "$(n --where 'id.resp_p == 22 || id.resp_p == 23')" = 1 ] || bad "where or: not 1"
[ "$(n --where '!(id.resp_p == 22)')" = $((all - 1)) ] || bad "where not"
[ "$(n --where 'ip.addr == 10.201.0.0/16')" = 1 ] || bad "where CIDR alias"
[ "$(n --where 'id.orig_h in {10.201.0.1 192.0.2.1}')" = 1 ] || bad "where in set"
[ "$(n --where 'tcp.port in {1..21}')" = 0 ] || bad "where range"
[ "$(n -n 0)" = 1 ] || bad "conns -n 0: not 1"
"$STRIDER" ssh -j -Y 'auth_success && ip.src == 10.201.0.1' "$D" | grep -c '"type":"ssh"' | grep -qx 1 ||
    bad "ssh --where on the record"
[ "$("$STRIDER" ssh -j -Y 'auth_success == false' "$D" 2> "$out/e" | wc -l)" = 0 ] || bad "ssh --where false kept lines"
grep -q 'none of 1 SSH connection(s) matched --where' "$out/e" || bad "ssh --where none: $(cat "$out/e")"
ev=$("$STRIDER" ssh -j --where-events 'kind == auth_attempt && attempt >= 2' "$D" | grep -c '"type":"event"')
evall=$("$STRIDER" ssh -j "$D" | grep -c '"kind":"auth_attempt"')
[ "$ev" -ge 1 ] && [ "$ev" -lt "$evall" ] || bad "ssh --where-events: $ev of $evall auth attempts"
"$STRIDER" ssh -j --where-events 'kind == auth_attempt && attempt >= 2' "$D" | grep '"type":"event"' |
    grep -v '"kind":"auth_attempt"' && bad "--where-events kept another kind"

# Zeek's names: local_orig/local_resp and ssh direction by --local-nets,
# unset without it; hasshVersion beside hassh; summary ttls an array
j=$("$STRIDER" conns -j --local-nets 10.201.0.1/32 "$D" | head -n 1)
[[ "$j" == *'"local_orig":true,"local_resp":false'* ]] || bad "local_orig/local_resp: $j"
"$STRIDER" conns -j "$D" | grep -q local_orig && bad "local_orig set without --local-nets"
"$STRIDER" ssh -m -j --local-nets 10.201.0.2 "$D" | grep -q '"direction":"INBOUND"' || bad "ssh direction INBOUND"
"$STRIDER" ssh -m -j --local-nets 10.201.0.1 "$D" | grep -q '"direction":"OUTBOUND"' || bad "ssh direction OUTBOUND"
"$STRIDER" ssh -m -j "$D" | grep -q '"direction"' && bad "ssh direction without --local-nets"
"$STRIDER" ssh -m -j "$D" | grep -q '"hasshVersion":"1.1","hassh":"' || bad "hasshVersion"
"$STRIDER" summary -j "$D" | grep '"type":"host"' | grep -qE '"ttls":\[[0-9]+(,[0-9]+)*\]' || bad "summary ttls array"

# text width: piped, one line per event (no continuation lines, as many
# table rows as events); --width N: no line over N; -m's name-lists wrap
maxlen() { awk '{ if (length > m) m = length } END { print m + 0 }'; }
rows=$("$STRIDER" ssh "$D" | grep -cE '^ +[0-9]+(-[0-9]+)? +[0-9]+\.[0-9]{3} ')
events=$("$STRIDER" ssh -j "$D" | grep -c '"type":"event"')
[ "$rows" = "$events" ] || bad "piped: $rows table rows for $events events"
"$STRIDER" ssh "$D" | grep -qE '^ {40,}[^ ]' && bad "piped: a continuation line"
[ "$("$STRIDER" ssh --width 100 "$D" | maxlen)" -le 100 ] || bad "--width 100: a line over 100"
[ "$("$STRIDER" ssh -m --width 80 "$D" | maxlen)" -le 80 ] || bad "-m --width 80: a line over 80"
[ "$("$STRIDER" ssh -m "$D" | maxlen)" -gt 200 ] || bad "-m piped: the name-lists were wrapped"
refused '--width' ssh --width 10 "$D"
refused '--width' ssh --width x "$D"
if command -v script > /dev/null; then # a terminal: COLUMNS is its width, used
    w=$(COLUMNS=120 script -qc "$STRIDER ssh --no-color $D" /dev/null | tr -d '\r' | maxlen)
    [ "$w" -le 120 ] && [ "$w" -gt 100 ] || bad "terminal COLUMNS=120: widest line $w"
    w=$(COLUMNS=80 script -qc "$STRIDER ssh -m --no-color $D" /dev/null | tr -d '\r' | maxlen)
    [ "$w" -le 80 ] || bad "terminal COLUMNS=80, -m: widest line $w"
fi

# merged inputs: every event and record names its file and the frame there.
# A copy of D shifted by 1 ms, its client moved to 10.201.0.3 (another
# connection), interleaves with it frame by frame; each file's events must
# then carry the frame numbers of D read alone.
python3 - "$D" "$out/shifted.pcap" <<'PY'
import struct, sys
b = bytearray(open(sys.argv[1], "rb").read())
assert b[:4] == bytes.fromhex("d4c3b2a1"), "a little-endian microsecond pcap"
at = 24
while at + 16 <= len(b):
    sec, usec, incl, orig = struct.unpack_from("<IIII", b, at)
    usec += 1000
    struct.pack_into("<II", b, at, sec + usec // 1000000, usec % 1000000)
    pkt = at + 16
    if b[pkt + 12:pkt + 14] == b"\x08\x00":  # Ethernet, IPv4: the client's address
        for a in (pkt + 26, pkt + 30):
            if b[a:a + 4] == bytes([10, 201, 0, 1]):
                b[a + 3] = 3
    at += 16 + incl
open(sys.argv[2], "wb").write(b)
PY
alone=$("$STRIDER" ssh -j "$D" | grep '"type":"event"' | grep -o '"frame":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
for f in "$D" "$out/shifted.pcap"; do
    got=$("$STRIDER" ssh -j "$D" "$out/shifted.pcap" | grep '"type":"event"' | grep -F "\"file\":\"$f\"" |
          grep -o '"file_frame":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
    [ -n "$alone" ] && [ "$got" = "$alone" ] || bad "merged, $f: file_frame $got, alone $alone"
done
"$STRIDER" ssh -j "$D" "$out/shifted.pcap" | grep '"type":"event"' | grep -vq '"file_frame"' &&
    bad "merged: an event without file_frame"
"$STRIDER" ssh -j "$D" | grep -q '"file_frame"' && bad "one file: file_frame given"
recs=$("$STRIDER" conns -j "$D" "$out/shifted.pcap" | grep -o '"file":"[^"]*","file_first_frame":[0-9]*' | sort -u | wc -l)
[ "$recs" = 2 ] || bad "merged conns: $recs distinct file/file_first_frame, expected 2"
"$STRIDER" ssh -m -j "$D" "$out/shifted.pcap" | grep -c '"file_first_frame":3' | grep -qx 2 ||
    bad "merged ssh records: file_first_frame not 3 in both"
[ "$("$STRIDER" ssh -m "$D" "$out/shifted.pcap" | grep -c '^SSH ')" = 2 ] || bad "merged: not 2 SSH connections"

# CSV events (stdout and -o DIR's events.csv, keystrokes.csv): file and
# file_frame columns, those of D alone per file; empty with one file
csvff() { cut -d, -f"$2" "$1" | tail -n +2 | tr '\n' ' '; } # file, column
"$STRIDER" ssh --csv "$D" "$out/shifted.pcap" > "$out/m.csv"
"$STRIDER" ssh -p -o "$out/od" "$D" "$out/shifted.pcap" > /dev/null
"$STRIDER" ssh -p -o "$out/o1" "$D" > /dev/null
head -n 1 "$out/m.csv" | grep -q '^uid,stream,ts,frame,frame_last,file,file_frame,' || bad "CSV events: header"
cmp -s "$out/m.csv" "$out/od/events.csv" || bad "CSV events: stdout and -o events.csv differ"
for f in "$D" "$out/shifted.pcap"; do
    got=$(grep -F ",$f," "$out/m.csv" | cut -d, -f7 | tr '\n' ' ')
    [ "$got" = "$alone" ] || bad "merged CSV events, $f: file_frame $got, alone $alone"
    got=$(grep -F ",$f," "$out/od/keystrokes.csv" | cut -d, -f6 | tr '\n' ' ')
    [ -n "$got" ] && [ "$got" = "$(csvff "$out/o1/keystrokes.csv" 4)" ] || bad "merged keystrokes.csv, $f: $got"
done
"$STRIDER" ssh --csv "$D" | tail -n +2 | cut -d, -f6,7 | grep -vqx ',' && bad "one file: CSV events with a file"

# packets: each file's rows (JSON, CSV, text) carry the frames of that file
# read alone; with one file no file in JSON or text, empty CSV cells
alone=$("$STRIDER" packets -n 0 -j "$D" | grep -o '"frame":[0-9]*' | cut -d: -f2 | tr '\n' ' ')
seen=
for s in 0 1; do
    "$STRIDER" packets -n "$s" -j "$D" "$out/shifted.pcap" > "$out/p.json"
    f=$(grep -o '"file":"[^"]*"' "$out/p.json" | sort -u | cut -d'"' -f4)
    [ "$(echo "$f" | wc -l)" = 1 ] && [ -n "$f" ] || bad "merged packets -n $s: files '$f'"
    seen="$seen $f"
    got=$(grep -o '"file_frame":[0-9]*' "$out/p.json" | cut -d: -f2 | tr '\n' ' ')
    [ -n "$alone" ] && [ "$got" = "$alone" ] || bad "merged packets -n $s JSON: file_frame $got, alone $alone"
    [ "$(grep -c . "$out/p.json")" = "$(grep -c '"file_frame"' "$out/p.json")" ] || bad "merged packets -n $s: a row without file_frame"
    "$STRIDER" packets -n "$s" --csv "$D" "$out/shifted.pcap" > "$out/p.csv"
    head -n 1 "$out/p.csv" | grep -qx 'frame,file,file_frame,rel_time,dir,flags,seq,ack,len,win,analysis' || bad "packets CSV header"
    [ "$(csvff "$out/p.csv" 3)" = "$alone" ] || bad "merged packets -n $s CSV: file_frame $(csvff "$out/p.csv" 3)"
    [ "$(csvff "$out/p.csv" 2 | tr ' ' '\n' | sort -u | grep .)" = "$f" ] || bad "merged packets -n $s CSV: file column"
    got=$("$STRIDER" packets -n "$s" "$D" "$out/shifted.pcap" | tail -n +2 | awk '{ print $2 }' | tr '\n' ' ')
    [ "$got" = "$alone" ] || bad "merged packets -n $s text: file_frame column $got"
    "$STRIDER" packets -n "$s" "$D" "$out/shifted.pcap" | tail -n +2 | grep -vqF "  $f  " && bad "merged packets -n $s text: a row without its file"
done
[ "$(echo $seen | tr ' ' '\n' | sort -u | wc -l)" = 2 ] || bad "merged packets: streams 0 and 1 not one per file ($seen)"
"$STRIDER" packets -n 0 -j "$D" | grep -q '"file' && bad "one file: packets JSON with file"
"$STRIDER" packets -n 0 "$D" | head -n 1 | grep -q 'file' && bad "one file: packets text with file columns"
"$STRIDER" packets -n 0 --csv "$D" | tail -n +2 | cut -d, -f2,3 | grep -vqx ',' && bad "one file: packets CSV with a file"

# text tables with merged inputs: each ssh event row and each conns row
# names its file and its frame there (the frames of that file read alone);
# with one file the tables are unchanged
"$STRIDER" ssh "$D" "$out/shifted.pcap" > "$out/m.txt"
"$STRIDER" ssh "$D" > "$out/1.txt"
grep -q 'file_frame' "$out/1.txt" && bad "one file: ssh text with file columns"
evalone=$("$STRIDER" ssh -j "$D" | grep '"type":"event"' | grep -o '"frame":[0-9]*' | cut -d: -f2 | sort -n | tr '\n' ' ')
grep -Eq '^ +frame file_frame +rel_time +delta leg +kind +bytes +file +note$' "$out/m.txt" ||
    bad "merged ssh text: header $(grep -m1 ' frame ' "$out/m.txt")"
for f in "$D" "$out/shifted.pcap"; do
    got=$(grep -F "  $f  " "$out/m.txt" | awk '{ print $2 }' | sort -n | tr '\n' ' ')
    [ -n "$evalone" ] && [ "$got" = "$evalone" ] || bad "merged ssh text, $f: file_frame $got, alone $evalone"
done
"$STRIDER" conns "$D" "$out/shifted.pcap" > "$out/c.txt"
head -n 1 "$out/c.txt" | grep -Eq ' file +file_first_frame$' || bad "merged conns text: header $(head -n 1 "$out/c.txt")"
first=$("$STRIDER" conns -j "$D" | grep -o '"first_frame":[0-9]*' | cut -d: -f2)
for f in "$D" "$out/shifted.pcap"; do
    got=$(grep -F "  $f " "$out/c.txt" | awk '{ print $NF }')
    [ -n "$first" ] && [ "$got" = "$first" ] || bad "merged conns text, $f: file_first_frame $got, alone $first"
done
"$STRIDER" conns "$D" | head -n 1 | grep -q 'file' && bad "one file: conns text with file columns"

# the same file twice (by another name) is said, once
"$STRIDER" conns "$D" "$REPO/samples/../samples/demo.pcap" 2> "$out/e" > /dev/null
[ "$(grep -c 'are the same file' "$out/e")" = 1 ] || bad "same file twice: not said once"
"$STRIDER" conns "$D" "$NOSSH" 2> "$out/e" > /dev/null
grep -q 'same file' "$out/e" && bad "two files said to be the same"

[ $fail = 0 ] && echo "all option checks passed"
exit $fail
