#!/usr/bin/env bash
# Hostile classes, round 9 (genr9.py): RSTs a receiver does not take (a
# blind attacker's in-window guesses, RFC 5961 challenge ACKs) against an
# exact one; first messages (TLS ClientHello, SSH banner, HTTP request) one
# byte a segment, against the service names and what they asked for; a
# KEXINIT past the client's FIN or RST (never read: no HASSH from it) and a
# FIN or RST that never reached the server (an insertion: what follows is
# read), past the hold's caps too; pcapng Simple Packet Blocks before any
# timed packet (dated at the first after them, 64 held).
# Every command and output format on each must exit as allowed, print no
# sanitizer report, stay under the memory limit and write no raw control
# byte, CSV formula, markup or non-finite time (runlib.sh); then each
# case's result.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr9.py" "$c" || die "genr9.py"

run_every "conns -R --json" "packets --stream 0" "follow --stream 0" "ssh --records"
safe_every

P=stream,id.orig_p,duration,syn_synack_ms,orig_pkts,resp_pkts,ts
F=stream,id.orig_p,conn_state,orig_pkts,resp_pkts,first_rst,first_rst_frame,rst_challenged,rst_challenged_frame,midstream
# --- 64 RSTs in the window, none at the next number (a blind attacker):
# the client's challenge ACKs, 40 s of quiet, the session goes on. One
# connection of all 198 frames (main: closed at the first RST, the rest a
# second, mid-stream connection after the 30 s linger, no SSH in it)
expect rst_blind.pcap out '^ +0 +49101 +RSTR +100 +98 +resp +28 +64 +28 +false$' conns --fields $F
! grep -q 'true$' "$w/out" || fail "rst_blind: a mid-stream second connection: $(cat "$w/out")"
expect rst_blind.pcap out '"rst_challenged":64,"rst_challenged_frame":28,' conns --json
expect rst_blind.pcap out '^ +28 .* R +[0-9]+ .* rst-challenged$' packets --stream 0
expect rst_blind.pcap out 'frames 1-206' ssh
run rst_blind.pcap "0" follow --stream 0
! grep -q 'after-rst' "$w/out" || fail "rst_blind follow: bytes marked after-rst"
grep -q '^== resp: 701 bytes in' "$w/out" || fail "rst_blind follow: $(tail -2 "$w/out")"
# --- the same at exactly the next number, then 40 s with nothing: the
# session going on after it (the client ACKing the server's bytes past the
# RST) shows the RST was not taken, however long the pause (round 12;
# before, the 30 s linger made the rest another, mid-stream connection)
expect rst_exact.pcap out '^ +0 +49102 +RSTR +36 +35 +resp +28 +- +- +false$' conns --fields $F
! grep -q 'true$' "$w/out" || fail "rst_exact: a mid-stream second connection: $(cat "$w/out")"
expect rst_exact.pcap out '"rst_untaken":1,"rst_untaken_frame":40,' conns --json
expect rst_exact.pcap out '^ +28 .* R +[0-9]+ +0 +65535 *$' packets --stream 0
# --- an exact RST that never reached the server (it ACKs past it), then
# a 40 s pause: one connection (main: closed at the RST, the pause made the
# rest a second, mid-stream connection with no SSH)
expect rst_inserted.pcap out '^ +0 +49104 +RSTO +43 +40 +orig +28 +- +- +false$' conns --fields $F
! grep -q 'true$' "$w/out" || fail "rst_inserted: a mid-stream second connection: $(cat "$w/out")"
expect rst_inserted.pcap out '"rst_untaken":1,"rst_untaken_frame":30,' conns --json
expect rst_inserted.pcap out 'frames 1-91' ssh
# --- a real reset seen early (a missed segment): challenged, then the
# RST at the number the client ACKs ends it
expect rst_confirmed.pcap out '^ +0 +49103 +RSTR +15 +15 +resp +28 +1 +28 +false$' conns --fields $F
expect rst_confirmed.pcap out '^ +30 .* R +[0-9]+ +0 +65535 *$' packets --stream 0

# --- first messages one byte a segment: named and read as whole ones
# (main: no service for a ClientHello cut past SERVICE_MAX_PAYLOAD_PKTS,
# no SNI, no ssh or http name, no Host)
S=stream,id.orig_p,id.resp_p,service,http_method,http_host,http_uri,tls_sni,tls_version
for sp in 49111 49112 49113; do
    expect split_hello.pcap out "^ +[0-9]+ +$sp +443 +ssl +- +- +- +evade\.example +TLSv12\$" conns --fields $S
done
expect split_hello.pcap out '"id.orig_p":49111,.*"ja4":"t12d' conns --json
expect split_banner.pcap out '^ +0 +49121 +2222 +ssh ' conns --fields $S
expect split_banner.pcap out 'kex curve25519-sha256' ssh
expect split_http.pcap out '^ +0 +49131 +8080 +http +GET +evade\.example +/evil ' conns --fields $S
# past the caps in one segment (a 9,000-byte first segment of a 16,000-byte
# ClientHello, a 5,000-byte head without its end): within the 8 KiB and 4 KiB
expect split_big.pcap out '^ +0 +49141 +443 +ssl +- +- +- +- +TLSv12 *$' conns --fields $S
expect split_big.pcap out '^ +1 +49142 +80 +http +GET +- +/big ' conns --fields $S

# --- a KEXINIT after the client's FIN or exact RST: no receiver reads it,
# so it sets no HASSH (main: the evil KEXINIT's HASSH, no anomaly)
run after_close.pcap "0" ssh --json
! grep -q 'evil' "$w/out" || fail "after_close: an evil name analysed: $(grep -o '.\{60\}evil.\{20\}' "$w/out" | head -2)"
[ "$(grep -c '"anomalies":\["data_after_close"\]' "$w/out")" = 2 ] || fail "after_close: $(head -c 600 "$w/out")"
expect after_close.pcap out 'anomaly .* 144 bytes past the sender.s FIN or RST, which no receiver reads: not analysed' ssh
expect after_close.pcap out 'hassh +- ' ssh
# --- the same FIN or RST never reaching the server (it ACKs on): what
# follows is read (integ too; the hold's commit before ACKs were looked at
# dropped it), and the insertion said
run close_inserted.pcap "0" ssh --records
[ "$(grep -c '^rec C ' "$w/out")" = 44 ] || fail "close_inserted: records after the close lost: $(grep -c '^rec C ' "$w/out") of 44"
run close_inserted.pcap "0" ssh --json
[ "$(grep -c '"anomalies":\["data_after_close"\]' "$w/out")" = 2 ] || fail "close_inserted: the insertion not said"
expect close_inserted.pcap out 'anomaly .* the receiver ACKed bytes past the sender.s FIN or RST' ssh
! grep -q 'which no receiver reads' "$w/out" || fail "close_inserted: bytes the server ACKed said unread"
# past the hold's caps (2,000 chunks, 82,000 bytes): all counted
expect after_close_big.pcap out 'anomaly .* 82000 bytes past the sender.s FIN or RST, which no receiver reads' ssh

# --- Simple Packet Blocks before any timed packet: dated at the first
# timed one after them (main: 1970, a 53-year connection), 64 held at most
expect spb_lead.pcapng out '^ +0 +49231 +0\.170000 +0\.000 +88 +86 +1700000000\.003000$' conns --fields $P
grep -q '3 simple packet block(s) carry no time: each dated at the packet before it (3 before any timed packet: 3 dated at the first timed one after them, 0 at 1970-01-01)' "$w/err" ||
    fail "spb_lead: $(cat "$w/err")"
expect spb_lead.pcapng out '^ +2 +0\.000000 +<- +SA ' packets --stream 0
expect spb_lead70.pcapng err '70 before any timed packet: 0 dated at the first timed one after them, 70 at 1970-01-01' conns --fields $P
expect spb_lead70.pcapng out '^ +0 +49232 +1700000000\.173000 ' conns --fields $P
expect spb_only.pcapng err '174 before any timed packet: 0 dated at the first timed one after them, 174 at 1970-01-01' conns --fields $P

echo "round 9: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
