#!/usr/bin/env bash
# strider summary: source port and ISN patterns per client, files seen,
# --host: on a crafted capture whose facts are known, and cross-checked
# against tshark's SYN fields on shared captures.
set -u
. "$(dirname "$0")/../lib.sh"
here=$REPO/tests/summary
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
fail=0 n=0
ok() { n=$((n+1)); if ! eval "$2"; then echo "FAIL: $1"; fail=$((fail+1)); fi; }

python3 "$here/mkhosts.py" "$w/h.pcap" || die "mkhosts.py"
"$STRIDER" summary --json "$w/h.pcap" > "$w/s.json" 2>/dev/null
ok "crafted clients and files" 'python3 "$here/check.py" crafted "$w/s.json"'
"$STRIDER" summary --json --host 10.0.0.3 "$w/h.pcap" > "$w/h.json" 2>/dev/null
ok "--host 10.0.0.3" 'python3 "$here/check.py" host "$w/h.json"'
# extract and summary share the one signature analysis: same connections, frames, offsets
"$STRIDER" extract -q -o "$w/x" "$w/h.pcap"
ok "extract's index has the same signatures" '[ "$(grep -o "\"sig\":\"[a-z-]*\",\"dir\":\"[a-z]*\",\"offset\":[0-9]*,\"first_frame\":[0-9]*" "$w/x/index.jsonl" | sort)" = "$(python3 -c "
import json,sys
for l in open(sys.argv[1]):
    o=json.loads(l)
    if o[\"type\"]==\"file\": print(\"\\\"sig\\\":\\\"%s\\\",\\\"dir\\\":\\\"%s\\\",\\\"offset\\\":%d,\\\"first_frame\\\":%d\" % (o[\"sig\"],o[\"dir\"],o[\"offset\"],o[\"frame\"]))
" "$w/s.json" | sort)" ]'
# the same connections and facts as strider conns has for the host
"$STRIDER" conns --json "$w/h.pcap" > "$w/c.json" 2>/dev/null
ok "--host = conns for 10.0.0.3" 'python3 "$here/check.py" conns "$w/h.json" "$w/c.json"'
if [ -f "${SHARED:-}/captures/zeek/testing/btest/Traces/wikipedia.pcap" ]; then
    wp=$SHARED/captures/zeek/testing/btest/Traces/wikipedia.pcap
    "$STRIDER" summary --json --no-files --host 141.142.220.118 "$wp" > "$w/wh.json" 2>/dev/null
    "$STRIDER" conns --json "$wp" > "$w/wc.json" 2>/dev/null
    ok "--host = conns for wikipedia's client" 'python3 "$here/check.py" conns "$w/wh.json" "$w/wc.json"'
fi
# a network: the three clients of 10.0.0.0/30 (6 + 6 + 5 connections)
ok "--host CIDR" '"$STRIDER" summary --json --host 10.0.0.0/30 "$w/h.pcap" 2>/dev/null | grep -q "\"type\":\"host_summary\",\"host\":\"10.0.0.0/30\",.*\"conns\":17,"'
ok "--after 1: only the download within a second" '"$STRIDER" summary --json --host 10.0.0.3 --after 1 "$w/h.pcap" 2>/dev/null | grep -q "\"after_conns\":1,\"after_sent\":32,"'
"$STRIDER" summary --json --host 10.0.0.3 --max-host-conns 2 "$w/h.pcap" > "$w/cap.json" 2> "$w/cap.err"
ok "--max-host-conns keeps the earliest, counts the rest" 'grep -q "\"conns\":5,\"conns_listed\":2,\"conns_not_listed\":3" "$w/cap.json" && [ "$(grep -c "\"type\":\"host_conn\"" "$w/cap.json")" = 2 ] && grep -q "\"stream\":0," "$w/cap.json" && grep -q "\"stream\":18," "$w/cap.json" && grep -q "3 connection(s) not listed" "$w/cap.err"'
ok "an address not in the capture" '"$STRIDER" summary --host 2001:db8::1 "$w/h.pcap" 2>/dev/null | grep -q "not seen in the capture"'
ok "--no-files" '! "$STRIDER" summary --json --no-files "$w/h.pcap" 2>/dev/null | grep -q "\"type\":\"file\"\|\"files\":"'
ok "text lists the stand-outs first" '"$STRIDER" summary "$w/h.pcap" 2>/dev/null | grep -A3 "^Client source ports" | tail -1 | grep -q "^  10.0.0.1 .*constant 4444 .*! constant source port"'
for bad in 10.0.0.300 10.0.0.3/33 10.0.0.3/24 ::1/129 '' 'a b'; do
    ok "bad --host '$bad'" '"$STRIDER" summary --host "$bad" "$w/h.pcap" > "$w/o" 2> "$w/e"; [ $? = 2 ] && [ ! -s "$w/o" ] && [ "$(wc -l < "$w/e")" = 1 ] && grep -q "^strider summary: --host: " "$w/e"'
done

# tshark cross-check: every client's evidence (frame, source port, ISN of
# its first SYNs) is among tshark's SYNs of that host
if command -v tshark > /dev/null && [ -d "${SHARED:-}/captures" ]; then
    for c in zeek/testing/btest/Traces/wikipedia.pcap \
             hassh/corelight/testing/Traces/ssh_zeek_test_pcaps.pcap "$w/h.pcap"; do
        f=$c; [ -f "$f" ] || f=$SHARED/captures/$c
        [ -f "$f" ] || continue
        "$STRIDER" summary --json --no-files "$f" > "$w/t.json" 2>/dev/null
        tshark -r "$f" -Y 'tcp.flags.syn==1 && tcp.flags.ack==0' -T fields -e frame.number -e ip.src \
            -e tcp.srcport -e tcp.seq_raw 2>/dev/null | awk 'NF==4' > "$w/t.txt"
        ok "tshark SYNs: $(basename "$f")" 'python3 "$here/check.py" tshark "$w/t.json" "$w/t.txt"'
    done
    # --host's DNS: the responses whose answers name the network are
    # responses tshark gives an A record in it, each with its address among
    # tshark's (tshark's dns.a also holds the additional section; on this
    # capture the frames are the same); the queries the host asked are
    # exactly tshark's DNS queries from it
    f=$SHARED/captures/zeek/testing/btest/Traces/wikipedia.pcap
    if [ -f "$f" ]; then
        "$STRIDER" summary --json -q --host 208.80.152.0/24 "$f" > "$w/d.json" 2>/dev/null
        tshark -r "$f" -Y 'dns.a == 208.80.152.0/24' -T fields -e frame.number -e dns.a 2>/dev/null > "$w/d.txt"
        ok "--host DNS answers naming it = tshark's" 'python3 -c "
import json, sys
t = {int(l.split()[0]): l.split()[1].split(\",\") for l in open(sys.argv[2]) if l.strip()}
s = [json.loads(l) for l in open(sys.argv[1]) if \"host_dns\" in l]
ans = [r for r in s if r[\"role\"] == \"answer\"]
assert ans and all(r[\"frame_reply\"] in t and r[\"answer\"] in t[r[\"frame_reply\"]] for r in ans), (ans, t)
assert {r[\"frame_reply\"] for r in ans} == set(t), (ans, t)
" "$w/d.json" "$w/d.txt"'
        "$STRIDER" summary --json -q --host 141.142.220.118 "$f" > "$w/d.json" 2>/dev/null
        tshark -r "$f" -Y 'ip.src == 141.142.220.118 && dns.flags.response == 0' -T fields -e frame.number \
            2>/dev/null > "$w/d.txt"
        ok "--host DNS asked by it = tshark's queries" 'python3 -c "
import json, sys
t = {int(l) for l in open(sys.argv[2]) if l.strip()}
s = {json.loads(l)[\"frame_query\"] for l in open(sys.argv[1]) if \"host_dns\" in l and \"\\\"asked\\\"\" in l}
assert t and s == t, (s, t)
" "$w/d.json" "$w/d.txt"'
    fi
    # files: the signature's magic bytes are at its offset in tshark's payload
    # of that frame (HTTP gzip bodies of tcpflow's captures; the crafted PE, ELF)
    for c in tcpflow/tests/bug6.pcap tcpflow/tests/test1.pcap "$w/h.pcap"; do
        f=$c; [ -f "$f" ] || f=$SHARED/captures/$c
        [ -f "$f" ] || continue
        "$STRIDER" summary --json -q "$f" > "$w/t.json" 2>/dev/null
        tshark -r "$f" -Y 'tcp.len > 0' -T fields -e frame.number -e tcp.stream -e tcp.seq \
            -e tcp.payload 2>/dev/null > "$w/t.txt"
        ok "tshark payload: files of $(basename "$f")" 'python3 "$here/check.py" tshark_files "$w/t.json" "$w/t.txt"'
    done
fi
echo "$((n-fail)) passed, $fail failed"
[ $fail -eq 0 ]
