#!/usr/bin/env bash
# A session the capture joined mid-stream (sd_ssh_mid.c, docs/events.md
# "midstream"): lab fixtures cut after the login (tests/ssh/midcut.py, the
# labels cut with them) are read as SSH, marked midstream, with their
# keystrokes, Enters and session kind scored against the lab's labels; the
# crafted partial connections of genmid.py that are not SSH (cleartext,
# TLS, zeros on port 22; random bytes on another port or after a SYN) are
# not claimed.
set -u
cd "$(dirname "$0")/../.."
command -v editcap >/dev/null || { echo "editcap missing"; exit 77; }
S=${STRIDER:-build/strider}
S=$(realpath "$S")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
F=tests/lab/fixtures
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# cut_json NAME CUT DIR OUT [OPTS]: NAME's fixture cut at CUT into DIR
# (midcut.py, its labels with it), then its ssh --json [OPTS] into OUT;
# status 1 when the cut failed
cut_json() {
    local name=$1 cut=$2 dir=$3 out=$4
    shift 4
    /usr/bin/python3 tests/ssh/midcut.py $F "$name" "$cut" "$dir" >/dev/null || { bad "$name $cut: cut"; return 1; }
    "$S" ssh --json "$@" "$dir/$name.pcap" >"$out" 2>&1
    return 0
}

# -- lab fixtures cut inside the session: NAME CUT KEYS-F1-WANTED SESSION [OPTS]
while read -r name cut kind opts; do
    # shellcheck disable=SC2086
    cut_json "$name" "$cut" "$T/lab" "$T/$name.json" $opts || continue
    /usr/bin/python3 - "$T/$name.json" "$kind" "$name" <<'PY' || fail=1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
c = [r for r in recs if r.get("type") == "ssh"]
ok = bool(c) and c[0].get("midstream") is True and c[0].get("session_kind") == sys.argv[2] \
    and not {"auth_success", "auth_attempts", "auth_banner", "host_known", "hassh", "cipher_alg"} & set(c[0])
if not ok:
    print("FAIL: %s: %s" % (sys.argv[3], c[0] if c else "no SSH record"))
sys.exit(0 if ok else 1)
PY
done <<'EOF2'
interactive_chacha auth+5 shell
interactive_aes128gcm auth+40 shell
interactive_aes256ctr-sha256 auth+20 shell
putty_shell_chacha auth+5 shell
bash_fast auth+30 shell
wanc150_bash_fast auth+20 shell
srv_bash_fast auth+20 shell
dropbear_server auth+5 shell --ssh-port 2022
scp_download auth+5 scp
sftp_session auth+5 sftp
putty_psftp_batch auth+5 sftp
scp_upload auth+5 sftp
forward_L_http auth+5 forward-only
tunnel_web_D auth+5 forward-only
proxyjump auth+5 tunnel
proxyjump_keys_chacha auth+20 tunnel
agent_key_chacha auth+20 shell
refused_key_pubkey_aes128ctr-sha256etm auth+20 shell
wanc220_paste auth+20 shell
wanc300_pwfirst_short_chacha auth+20 shell
asyncssh_forward auth+5 unknown
reverse_keys auth+20 shell
exec_cmd auth+5 exec
top_exec auth+5 exec
sendenv_sftp_chacha auth+5 sftp
paramiko_shell_s1000 auth+5 shell
wanc220_demo auth+5 shell
rsync auth+5 exec
watch_exec auth+5 exec
sendenv_scp_chacha auth+20 sftp
sendenv_scp_aes128gcm auth+20 sftp
paramiko_shell auth+20 shell
paramiko_shell_s5000 auth+20 shell
proxyjump_two auth+20 unknown
mux_n_xfer auth+5 forward-only
mux_n_sftp auth+20 forward-only
mux_n_xfer_s10000 auth+20 forward-only
mux_n_xfer_aes128gcm auth+20 forward-only
sshpass auth+50 exec
srv_exec_cmd auth+50 exec
paramiko_shell_s3000 auth+20 shell
EOF2
# (sshpass, srv_exec_cmd at auth+50: the cut falls in a later connection's
# login, its last exchange and sshd's hostkeys-00 before the session's open
# confirmation, the 5th and 6th record: sd_infer_midreq.c MIDR_OPEN_SCAN;
# integ45: unknown. paramiko_shell_s3000 at auth+20: a pasted line echoed
# whole is no open, with the wider scan it read `exec` without that guard)
# (mux_n_*: a ControlMaster with no session (ssh -M -N), cut inside its sftp
# channels: sftp's traffic, but the connection outlives the channel's close by
# 1 s where sftp's own client leaves at once: sd_infer_midkind.c
# MIDK_MASTER_LINGER_S; _s10000: the server's FIN first; integ44: sftp. The
# sftp and scp sessions above, closed at once, stay sftp. _aes128gcm: an upload
# and a download at once, the download's READs all before its data, told by the
# upload's STATUSes after its chunks: sd_infer_midkind.c sftp_bulk either way;
# integ44: unknown, no transfer's tool)
# (paramiko_shell*: cut at login+20, the script's last lines through a pty,
# each echoed whole in a record of its size and followed by output:
# sd_infer_midkind.c sdi_mid_line_echoes; main: unknown. proxyjump_two: a
# session two hops deep, its keys' 116-byte echoes mostly alone, not read
# as this connection's shell)
# (sendenv_scp_*: cut inside scp's upload over SFTP, 56-61 KiB of its 64 KiB then
# three STATUSes: an upload's WRITEs are answered after their data, two answers
# after more than one chunk tell sftp: sd_infer_midkind.c MIDK_SFTP_UPLOAD_MIN;
# main: unknown)
# (exec_cmd, top_exec, sendenv_sftp_chacha: cut before the session's requests,
# read from them as a full capture's: sd_infer_midreq.c; integ: "unknown";
# paramiko_shell_s1000: its requests each sent alone, each answered by one packet)
# (wanc220_demo: a -R channel's open and a reverse session's key after pauses, each
# answered by the client at once, are no command's unprompted output: sd_infer_midkind.c
# MIDK_ANSWERED_S; integ: exec, so its requests not read and its keys missed)
# (rsync: its push's answers after the bulk, 44-byte records in chacha20, hold less
# data than an SFTP STATUS: sd_infer_midkind.c MIDK_SFTP_ANSWER_MIN; integ: sftp)
# (watch_exec: a screen redrawn every second, server records 0.5 s after the server's
# last with no client record between, is a command's output: sd_infer_midkind.c
# unprompted; integ: unknown, its gaps under 1.5 s; top_exec above keeps its requests'
# pty: redraws alone give way to them)
# the keys and Enters against the labels (no --ssh-port in the scorer: port 22 ones)
# (wanc150_bash_fast: captured at the client 150 ms from the server, keys faster than
# the round trip: read with the lag the key/echo delays give, MID_LAG_PAIRS_MIN)
for name in interactive_chacha interactive_aes128gcm interactive_aes256ctr-sha256 putty_shell_chacha bash_fast \
    wanc150_bash_fast srv_bash_fast wanc220_demo; do
    /usr/bin/python3 tests/lab/score --fixtures "$T/lab" --strider "$S" --json "$name" >"$T/$name.score" 2>&1
    /usr/bin/python3 - "$T/$name.score" "$name" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))["features"]
bad = []
for f in ("keystrokes", "enter"):
    v = j.get(f, {})
    if v.get("status") != "scored" or v["fp"] or v["fn"] or not v["tp"]:
        bad.append("%s %s" % (f, {k: v.get(k) for k in ("status", "tp", "fp", "fn")}))
if bad:
    print("FAIL: %s: %s" % (sys.argv[2], "; ".join(bad)))
sys.exit(1 if bad else 0)
PY
done
# a master's transfers are kept (integ44: the same two, read as sftp's)
[ "$(grep -c '"kind":"transfer"' "$T/mux_n_xfer.json")" -eq 2 ] || bad "mux_n_xfer +5: not its two transfers"
grep -q '"kind":"transfer".*"tool":"scp"' "$T/mux_n_xfer_aes128gcm.json" || bad "mux_n_xfer_aes128gcm +20: no scp transfer"
# an sftp upload is no forward's bulk, and a -N forward's channels are read as such
# (sd_infer_midkind.c; integ: 1 false forward each in sftp_session, none for -N)
grep -q '"kind":"forward"' "$T/sftp_session.json" && bad "sftp_session: its upload read as a forward"
grep -q '"kind":"forward_only"' "$T/forward_L_http.json" || bad "forward_L_http: no forward_only event"
# a -N session that types no keys: its suite read from both directions' small
# records (sd_ssh_mid.c sdp_mid_pick_both: each direction's, the smallest a
# control message's size), so its forwards are read (integ: no suite, none)
cut_json forward_L_http auth+20 "$T/lab20" "$T/fl20.json"
grep -q '"suite_guess":"chacha20-poly1305@openssh.com"' "$T/fl20.json" || bad "forward_L_http +20: no suite guessed"
[ "$(grep -c '"kind":"forward"' "$T/fl20.json")" -ge 2 ] || bad "forward_L_http +20: its forwards not found"
cut_json putty_forward_R auth+5 "$T/lab20" "$T/pr5.json"
grep -q '"suite_guess":"aes128-ctr + hmac-sha2-256"' "$T/pr5.json" || bad "putty_forward_R: its suite not guessed"
# captured at the server: the client ACKs bytes the server sent before the
# capture began, a hole before the server's first captured byte (sd_ssh.c
# sd_ssh_gap; integ: that side dead, the connection not claimed)
cut_json srv_forward_L_http auth+20 "$T/lab20" "$T/sfl20.json"
grep -q '"midstream":true' "$T/sfl20.json" || bad "srv_forward_L_http +20: not claimed"
[ "$(grep -c '"kind":"forward"' "$T/sfl20.json")" -ge 2 ] || bad "srv_forward_L_http +20: its forwards not found"
# -R whose tcpip-forward request came before the capture (sd_infer_legs.c
# sdi_mid_rfwd): the server's forwarded-tcpip opens, confirmed and followed by
# data both ways, are -R channels, the session -N (integ: "unknown", no forward,
# the pages read as uploads); at +20 the first page's channel was open before
# the capture: its tail, parted by a pause from the next open, is a forward
# too (sd_infer_fwd.c inflight_chan; integ: none)
cut_json tunnel_web_R auth+5 "$T/lab" "$T/twr5.json"
[ "$(grep -c '"kind":"forward".*"mode":"R"' "$T/twr5.json")" -eq 2 ] || bad "tunnel_web_R +5: its 2 -R channels not found"
grep -q '"kind":"reverse_provisioned".*"midstream":true' "$T/twr5.json" || bad "tunnel_web_R +5: no reverse_provisioned"
cut_json putty_forward_R auth+20 "$T/lab20" "$T/pr20.json"
grep -q '"session_kind":"forward-only"' "$T/pr20.json" || bad "putty_forward_R +20: not read -N"
[ "$(grep -c '"kind":"forward".*"mode":"R"' "$T/pr20.json")" -eq 2 ] || bad "putty_forward_R +20: its 2 -R channels not found"
grep -q '"kind":"transfer"' "$T/pr20.json" && bad "putty_forward_R +20: its pages read as a transfer"
[ "$(grep -c '"kind":"forward".*"midstream":true' "$T/fl20.json")" -eq 1 ] || bad "forward_L_http +20: the channel open before the capture not found"
# HTTP through a -L forward beside a command, each request answered by its
# response (sd_infer_midkind.c: an SFTP answer is at most 64 bytes of data, or
# such answers sent together; integ: read sftp, so no forward looked for)
cut_json exec_forward auth+5 "$T/lab" "$T/exec_forward.json"
grep -q '"session_kind":"sftp"' "$T/exec_forward.json" && bad "exec_forward: its HTTP read as sftp"
[ "$(grep -c '"kind":"forward"' "$T/exec_forward.json")" -ge 2 ] || bad "exec_forward: its 2 forwards not found"
# at +20: 85 kB of responses and then the next channel's open, one record of an
# SFTP answer's size, is no sftp (sd_infer_midkind.c MIDK_SFTP_ANSWERS_MIN; integ:
# sftp, so its forward not looked for)
cut_json exec_forward auth+20 "$T/lab20" "$T/ef20.json"
grep -q '"session_kind":"sftp"' "$T/ef20.json" && bad "exec_forward +20: its HTTP read as sftp"
grep -q '"kind":"forward"' "$T/ef20.json" || bad "exec_forward +20: its forward not found"
# a ProxyJump carrier whose channel opened before the capture (sd_infer_legs.c
# sdi_mid_carrier; integ: "unknown", no nested leg): its nested session told by
# its login (proxyjump, cut in the nested handshake) or by its keys' sizes
# (proxyjump_keys_chacha, cut after the nested login), the nested keys scored
grep -q '"kind":"nested_init".*"midstream":true' "$T/proxyjump.json" || bad "proxyjump: no mid-stream nested_init"
grep -q '"leg":"nested","kind":"auth_attempt"' "$T/proxyjump.json" || bad "proxyjump: the nested login not read"
/usr/bin/python3 tests/lab/score --fixtures "$T/lab" --strider "$S" --json proxyjump_keys_chacha >"$T/pj.score" 2>&1
/usr/bin/python3 - "$T/pj.score" <<'PY' || fail=1
import json, sys
v = json.load(open(sys.argv[1]))["features"].get("nested_keystrokes", {})
ok = v.get("status") == "scored" and v["fp"] == 0 and v["tp"] >= 20
if not ok:
    print("FAIL: proxyjump_keys_chacha: nested keys %s" % {k: v.get(k) for k in ("status", "tp", "fp", "fn")})
sys.exit(0 if ok else 1)
PY
# a reverse (-R) session already open when the capture began (sdi_tunnels
# mid_reverse; integ: none, its keys missed): told by its keys' tunnelled sizes,
# led by the server; its keys scored as the reverse leg's
grep -q '"kind":"reverse_init".*"midstream":true' "$T/reverse_keys.json" || bad "reverse_keys: no mid-stream reverse_init"
/usr/bin/python3 tests/lab/score --fixtures "$T/lab" --strider "$S" --json reverse_keys >"$T/rk.score" 2>&1
/usr/bin/python3 - "$T/rk.score" <<'PY' || fail=1
import json, sys
v = json.load(open(sys.argv[1]))["features"].get("reverse_keystrokes", {})
ok = v.get("status") == "scored" and v["fp"] <= 1 and v["tp"] >= 15
if not ok:
    print("FAIL: reverse_keys: reverse keys %s" % {k: v.get(k) for k in ("status", "tp", "fp", "fn")})
sys.exit(0 if ok else 1)
PY
# at +20 past its requests: no key/echo pairs read at 220 ms, its kind not told, but
# no command (integ: exec, from the reverse session's open and key)
cut_json wanc220_demo auth+20 "$T/lab20" "$T/w220.json"
grep -q '"session_kind":"exec"' "$T/w220.json" && bad "wanc220_demo +20: a reverse session's requests read as a command's output"
cut_json rsync auth+20 "$T/lab20" "$T/rs20.json"
grep -q '"session_kind":"sftp"' "$T/rs20.json" && bad "rsync +20: its push read as sftp"
# a download under 64 KiB keeps MIDK_BULK_MIN: a VNC client's small requests
# after its screen's bulk through -L are no SFTP READs (sd_infer_midkind.c)
cut_json tunnel_desktop auth+5 "$T/td5" "$T/td5.json" &&
    grep -q '"session_kind":"sftp"' "$T/td5.json" && bad "tunnel_desktop +5: its screen read as an sftp download"
# a connection with a -R listener is no ProxyJump carrier (ssh -W implies
# ClearAllForwardings; sd_infer.c after_login): a reverse session's keys at
# +20 are no nested ones (integ: tunnel, 9 false nested keys)
cut_json wanc220_demo_s3000 auth+20 "$T/lab20" "$T/w220s.json"
grep -q '"kind":"nested_init"' "$T/w220s.json" && bad "wanc220_demo_s3000 +20: a reverse session read as nested"
grep -q '"kind":"reverse_init"' "$T/w220s.json" || bad "wanc220_demo_s3000 +20: its reverse session not found"
# no record of a mid-stream capture is known to follow the login
# (sd_infer_legs.c sdi_reverse_provisioned): a first record of a tcpip-forward's
# size (alone, or with a session open's) answered by a REQUEST_SUCCESS's size
# with an OPEN_CONFIRMATION's is no -R request (integ: reverse_provisioned in
# both; -R mid-stream is read by its use, tunnel_web_R above)
cut_json off_scp_download auth+5 "$T/lab" "$T/osd5.json"
for f in osd5 sendenv_sftp_chacha; do
    grep -q '"kind":"reverse_provisioned"' "$T/$f.json" && bad "$f +5: a false -R request"
done
# a shell cut before its session's open (sd_infer_midreq.c): the open,
# its confirmation and the requests are the session's, no -L forward
# (integ: one from the open to the requests; wan_demo: a global request
# and its answer before the confirmation)
for name in hostcert wan_demo; do
    cut_json $name auth+5 "$T/lab" "$T/$name.json"
    grep -q '"kind":"forward"' "$T/$name.json" && bad "$name +5: the session's open read as a forward"
done
# the keystroke's size is one the server echoes (sd_ssh_mid.c MID_ECHO_MIN): a
# VNC client's 52-byte events through a -L forward, or SFTP's requests, never
# answered by 52, are no aes128-ctr + hmac-sha1 keys (integ: that suite
# guessed for both, chacha20-poly1305 negotiated; tunnel_desktop's forward
# not found)
cut_json tunnel_desktop auth+5 "$T/lab" "$T/td5.json"
grep -q '"suite_guess":"chacha20-poly1305@openssh.com"' "$T/td5.json" || bad "tunnel_desktop +5: its suite misread"
grep -q '"kind":"forward"' "$T/td5.json" || bad "tunnel_desktop +5: its forward not found"
grep -q '"suite_guess":"chacha20-poly1305@openssh.com"' "$T/sftp_session.json" || bad "sftp_session +5: its suite misread"
# a connection whose TCP handshake the cut dropped (its banners and login
# seen): the lags are read from its authentication's answers (sd_infer.c
# auth_lags), so a command's request 0.5 s after the login over a satellite
# link is no -N (integ: lag 0, a false forward_only in both)
for name in sat_paramiko_exec sat_paramiko_exec_password; do
    cut_json $name auth+20 "$T/lab20" "$T/$name.20.json"
    grep -q '"kind":"forward_only"' "$T/$name.20.json" && bad "$name +20: a command 0.5 s after the login read as -N"
    [ "$(grep -c '"kind":"session","confidence":[0-9.]*,"session_kind":"exec"' "$T/$name.20.json")" -eq 2 ] ||
        bad "$name +20: its 2 commands not read as exec"
done
# without --ssh-port, port 2022 is no SSH port: not claimed
"$S" ssh --json "$T/lab/dropbear_server.pcap" 2>&1 | grep -q '"type":"ssh"' && bad "dropbear_server claimed without --ssh-port"
"$S" ssh --ssh-port 0 "$T/lab/dropbear_server.pcap" >/dev/null 2>&1 && bad "--ssh-port 0 accepted"

# -- crafted partial connections
/usr/bin/python3 tests/ssh/genmid.py "$T/gen"
"$S" ssh --json "$T/gen/rand22.pcap" >"$T/rand22.json" 2>&1
grep -q '"midstream":true' "$T/rand22.json" || bad "rand22 not claimed"
grep -q '"keystrokes":[1-9]' "$T/rand22.json" || bad "rand22 without keystrokes"
for n in rand8080 synrand22 http22 tls22 zeros22 short22; do
    out=$("$S" ssh --json "$T/gen/$n.pcap" 2>&1)
    case "$out" in
    *'"type":"ssh"'*) bad "$n claimed as SSH" ;;
    *"no SSH in 1 TCP connection(s)"*) ;;
    *) bad "$n: $out" ;;
    esac
done
# the text report says what was not seen
"$S" ssh "$T/gen/rand22.pcap" | grep -q "session already open when the capture began" || bad "rand22 text: no midstream row"

[ $fail -eq 0 ] && echo "t_midstream: ok"
exit $fail
