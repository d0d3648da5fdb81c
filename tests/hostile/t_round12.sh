#!/usr/bin/env bash
# Hostile classes, round 12 (genr12.py): an exact RST, then a pause past a
# closed connection's 30 s linger before anything else, then the session
# going on from either side: one connection, `rst_untaken` (main: the
# linger ended it and the rest was a mid-stream connection whose SSH was
# not read); a real reset (nothing after) and a port reused after it kept
# apart. Key exchange messages of another method read before both
# KEXINITs named it (a 33 with the attacker's key, a 32, a 40): flagged
# once the method is known, the attacker's key taken back (main: no flag,
# the attacker's key). A simultaneous open read as one SSH connection; a
# SYN's data the server never ACKed, re-sent shorter: none of it left in
# the stream (main: its tail parsed as the client's next SSH packet). An
# IPv4 or IPv6 datagram whose fragments overlap with other bytes (the
# attacker's copy first, the TCP checksum right for either), which its
# receiver drops, then the segment re-sent: the re-send read, the conflict
# said and counted (main: first wins, the attacker's banner read); with no
# re-send (zeek's fragmented-4.pcap) the datagram is still read.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr12.py" "$c" || die "genr12.py"

run_every "conns -R --json" "packets --stream 0" "follow --stream 0" "ssh --records"
safe_every

F=id.orig_p,conn_state,orig_pkts,resp_pkts,midstream,rst_untaken
f=rst_pause.pcap
run "$f" 0 conns --fields $F
for want in "47401 RSTR 36 35 false 1" "47402 RSTO 37 34 false 1" "47403 RSTR 14 14 false -" \
    "47403 SF 6 4 false -" "47404 RSTR 14 14 false -"; do
    grep -qE "^ +${want// / +}\$" "$w/out" || fail "$f: no '$want': $(cat "$w/out")"
done
[ "$(grep -c ' 4740[1-4] ' "$w/out")" = 5 ] || fail "$f: not 5 connections: $(cat "$w/out")"
! grep -q ' true ' "$w/out" || fail "$f: a mid-stream connection"
run "$f" 0 ssh
[ "$(grep -cE 'duration 40\.070 s  frames (1-239|2-240)$' "$w/out")" = 2 ] || fail "$f ssh: the sessions after the pause: $(grep -E 'frames [0-9]+-' "$w/out")"

f=kex_early.pcap
good='SHA256:SQfC\+vTbLURn9cTkVxIS8fGQ3FKNAJWeB0o139\+gV4M' # the 0x11 key's
run "$f" 0 ssh --json
for want in "47301 33" "47302 32" "47303 40"; do
    set -- $want
    grep -qE "\"id.orig_p\":$1,.*\"host_key_sha256\":\"$good\".*\"terrapin\":true,\"terrapin_reason\":\"1 msg before NEWKEYS from server \(type $2 frame [0-9]+\)\".*\"anomalies\":\[\"unexpected_msg_before_newkeys\"\]" "$w/out" ||
        fail "$f $1: $(grep "\"id.orig_p\":$1," "$w/out" | grep -oE '"(host_key_sha256|terrapin_reason|anomalies)":[^]]*' | tr '\n' ' ')"
done
grep -qE "\"id.orig_p\":47304,.*\"host_key_sha256\":\"$good\".*\"terrapin\":false" "$w/out" || fail "$f 47304: a whole DH-GEX judged"
! grep '"id.orig_p":47304,' "$w/out" | grep -q '"anomalies"' || fail "$f 47304: an anomaly"

f=simul_open.pcap
expect "$f" out '^ +47501 +SF +false$' conns --fields id.orig_p,conn_state,midstream
expect "$f" out '"client":"SSH-2.0-OpenSSH_9.6".*"hassh":"e97d07603350d1111ec2b64bf25413c9"' ssh --json

f=syn_data.pcap
run "$f" 0 ssh --json
grep -q '"client":"SSH-2.0-OpenSSH_9.6".*"hassh":"e97d07603350d1111ec2b64bf25413c9"' "$w/out" || fail "$f: the SYN's banner or lists read"
! grep -q 'packet_too_short' "$w/out" || fail "$f: the SYN's tail left in the stream"
expect "$f" out '^== orig: 181 bytes in 1 chunks, 1 inconsistent$' follow --stream 0

f=frag_conflict.pcap
run "$f" 0 ssh --json
for p in 47801 47802 47803; do
    grep -q "\"id.orig_p\":$p,.*\"server\":\"SSH-2.0-OpenSSH_9.6\"" "$w/out" || fail "$f $p: the conflicting fragment's banner: $(grep "\"id.orig_p\":$p," "$w/out" | grep -o '"server":"[^"]*"')"
done
! grep -q 'EVILFRG' "$w/out" || fail "$f: the dropped datagram reached the stream"
for v in "16 4 1" "18 6 3"; do
    set -- $v
    grep -qE "frame $1: IPv$2 fragment \(id 0x700$3, offset 24, 40 bytes\) overlaps data already received with other bytes: a receiver may drop the datagram, so its stream takes it only once ACKed, a re-send first replaces it" "$w/err" || fail "$f: the conflict at frame $1 not said: $(head -3 "$w/err")"
done
grep -qE 'frame 17: IPv4 fragment \(id 0x7002, offset 24, 40 bytes\) overlaps data already received; the earlier bytes are kept' "$w/err" || fail "$f: the duplicate fragment"
grep -q '^strider: 2 TCP segment(s) came from IP fragments that overlap with other bytes, which receivers may drop: a stream took each only once ACKed, a re-send first replaced it' "$w/err" || fail "$f: the count"
expect "$f" out '^ +19 .* PA .* frag-conflict$' packets --stream 0
expect "$f" out '^ +21 .* PA .* frag-conflict$' packets --stream 2
run "$f" 0 conns --fields stream,id.orig_p,history,resp_retrans_pkts
for want in "0 47801 ShAdtDaFf 1" "1 47802 ShAdtDaFf 1" "2 47803 ShAdtDaFf 1"; do
    grep -qE "^ +${want// / +}\$" "$w/out" || fail "$f: no '$want': $(cat "$w/out")"
done

# a copy PAWS drops: left in round 12 (read, first wins, as tshark's
# follow), held until ACKed since round 15, the real banner replacing it
expect paws.pcap out '"id.orig_p":47701,.*"server":"SSH-2.0-OpenSSH_9.6".*"anomalies":\["stream_conflict"' ssh --json

echo "round 12: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
