#!/usr/bin/env bash
# Hostile classes, round 28 (genr28.py): a FIN or RST with a TCP-MD5 or
# TCP-AO option its connection's SYNs did not carry, or without the MD5 one
# a signed connection's did, which a Linux receiver drops before it reads
# any flag (main: the session reset, RSTR, or closed by the forged FIN, the
# rest `data_after_close`); it ends nothing now (`untaken tcp-auth`). Then
# the honest counterpart: a signed session's signed FINs close it; the
# round's files through --jobs 2.
set -u
. "$(dirname "$0")/../lib.sh"
. "$REPO/tests/hostile/runlib.sh"
python3 "$REPO/tests/hostile/genr28.py" "$c" || die "genr28.py"

run_every "conns -R --json" "ssh --json" "ssh -m" "summary --json" "follow --stream 0" "packets --stream 0"
safe_every

# closed FILE RECORDS PORT...: each port's session closed by its real FINs
# only (SF, ShAdDaFf; a T: the re-send over dropped data), real()'s
# banners, HASSHes and RECORDS records each way, nothing after the close
closed() {
    local f=$1 n=$2 p
    shift 2
    run "$f" 0 conns --json
    for p in "$@"; do
        grep -q "\"id.orig_p\":$p,.*\"conn_state\":\"SF\",\"history\":\"ShAdDaT\{0,1\}Ff\"" "$w/out" ||
            fail "$f $p: $(port_line "$p" '"conn_state":"[^"]*","history":"[^"]*"')"
    done
    real "$f" "$n" "$@"
    ! grep -q '"data_after_close"' "$w/out" ||
        fail "$f: a dropped FIN or RST taken as the close: $(grep '"data_after_close"' "$w/out" | grep -o '"id.orig_p":[0-9]*')"
}

# -- (a) FINs and RSTs with an authentication option the receiver does not expect: no close
closed ctl_auth.pcap 6 49731 49732 49733 49734
[ "$(grep -c 'TCP FIN or RST segment(s) carried a TCP-MD5 or TCP-AO option' "$w/err")" = 1 ] ||
    fail "ctl_auth: not said once: $(grep -c 'FIN or RST' "$w/err")"
grep -q "strider: 4 TCP FIN or RST segment(s) carried a TCP-MD5 or TCP-AO option their connection's SYNs did not (or none where they did), first at frame 21: " "$w/err" ||
    fail "ctl_auth: the dropped FINs and RSTs not said: $(head -3 "$w/err")"
expect ctl_auth.pcap out '^ +21 .* <-  RA .* untaken tcp-auth$' packets --stream 0
expect ctl_auth.pcap out '^ +54 .* ->  FA .* untaken tcp-auth$' packets --stream 1
expect ctl_auth.pcap out '^ +87 .* ->  PA .* 36 .* untaken tcp-auth$' packets --stream 2
expect ctl_auth.pcap out '^ +120 .* <-  RA .* untaken tcp-auth$' packets --stream 3

# -- (b) the honest counterpart: a signed session's signed FINs close it
closed ctl_auth_honest.pcap 3 49735
! grep -q 'tcp-auth' "$w/err" || fail "ctl_auth_honest: signed segments said: $(grep 'tcp-auth' "$w/err")"

# -- (c) the round's files through --jobs 2
jobs_two 'TCP FIN or RST segment\(s\) carried a TCP-MD5 or TCP-AO option'

echo "round 28: $runs runs, $bad failure(s)"
[ "$bad" = 0 ]
