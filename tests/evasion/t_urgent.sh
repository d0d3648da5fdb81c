#!/usr/bin/env bash
# Urgent data (suricata-verify tcp-urgp-01-oob, tcp-urgp-04-2byte-XY; the
# servers' replies are the ground truth): a Linux server without
# SO_OOBINLINE takes the last urgent byte out of the stream. --urgent oob
# does the same in follow and extract; the default (inline, as tshark)
# keeps it; both mark it in place (frame, offset, byte) and count it.
set -u
. "$(dirname "$0")/evlib.sh"
U1=$SV/tcp-urgp-01-oob/tcp-urgent1.pcap U2=$SV/tcp-urgp-04-2byte-XY/tcp-urgent-2byte-XY.pcap
[ -f "$U1" ] && [ -f "$U2" ] || skip "no urgent captures"
line1() { "$STRIDER" follow -n 0 --raw -q --dir orig "$@" 2>/dev/null | head -n1 | tr -d '\r'; }
t "oob, 1 urgent byte: the server read /malicious" "$(line1 --urgent oob "$U1")" "GET /malicious HTTP/1.1"
t "oob, 2 urgent bytes: only the last is out: /malicXious" "$(line1 --urgent oob "$U2")" "GET /malicXious HTTP/1.1"
t "inline (default): as on the wire" "$(line1 "$U1")" "GET /malicXious HTTP/1.1"
t "inline explicitly" "$(line1 --urgent inline "$U2")" "GET /malicXYious HTTP/1.1"
t "follow text: marked in place" "$("$STRIDER" follow -n 0 --urgent oob "$U1" | grep -c '^==> orig  \[urgent byte "X" (0x58) at offset 10, frame 5: taken out of band\]$')" 1
t "follow text, inline: marked too" "$("$STRIDER" follow -n 0 "$U2" | grep -c '\[urgent byte "Y" (0x59) at offset 11, frame 5: left inline\]')" 1
t "follow json" "$("$STRIDER" follow -n 0 --json --urgent oob "$U2" | grep -o '{"dir":"orig","urgent":true,"offset":11,"frame":5,"hex":"59","oob":true}')" \
    '{"dir":"orig","urgent":true,"offset":11,"frame":5,"hex":"59","oob":true}'
t "follow raw: said on stderr, even with -q" "$("$STRIDER" follow -n 0 --raw -q --urgent oob "$U1" 2>&1 >/dev/null)" \
    "strider follow: orig urgent byte \"X\" (0x58) at offset 10, frame 5: taken out of band"
t "follow totals" "$("$STRIDER" follow -n 0 --urgent oob "$U1" | grep -c '^== orig: .*, 1 urgent')" 1
rm -rf "$out/ux"; "$STRIDER" extract -q --urgent oob -o "$out/ux" "$U1"
t "extract oob: the file" "$(head -n1 "$out/ux"/*-010.010.010.055.09090 | tr -d '\r')" "GET /malicious HTTP/1.1"
ugj() { grep -o '{"dir":"[a-z]*","urgent":true[^}]*}' "$@"; }
t "extract's transcript: the urgent object, as follow --json" \
    "$(ugj "$out"/ux/*.json | grep -c '"offset":10,"frame":5,"hex":"58","oob":true')/$(ugj "$out"/ux/*.json)" \
    "1/$("$STRIDER" follow -n 0 --json --urgent oob "$U1" | ugj)"
t "extract: the index counts it" "$(grep -o '"orig_urgent_bytes":[0-9]*' "$out/ux/index.jsonl")" '"orig_urgent_bytes":1'
t "conns -R counts it" "$("$STRIDER" conns -R --json "$U2" | grep -o '"orig_urgent_bytes":[0-9]*')" '"orig_urgent_bytes":1'
"$STRIDER" follow -n 0 --urgent bad "$U1" > /dev/null 2>&1
t "a bad --urgent is refused" "$?" 2
exit $fail
