#!/usr/bin/env bash
# A capture whose timestamps go back (issue #14): strider warns, naming the
# frame, and the SSH inference still reads the demo session right (a login
# after two wrong passwords, 3 attempts, password, -R provisioned), because
# the records of a connection keep capture order.
set -u
. "$(dirname "$0")/../lib.sh"
demo=$REPO/samples/demo.pcap
[ -f "$demo" ] || skip "no samples/demo.pcap"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# the untouched demo: the reference facts, and no time warning
"$STRIDER" ssh --json "$demo" > "$tmp/ref.json" 2> "$tmp/ref.err" || die "strider failed on the demo"
grep -q '"auth_attempts":3' "$tmp/ref.json" || die "demo: not 3 attempts"
grep -q 'time goes back' "$tmp/ref.err" && die "demo: a time warning on an ordered capture"

check() { # label, pcaptime.py arguments..., expected first frame
    local label=$1 first=${*: -1}
    set -- "${@:2:$#-2}"
    /usr/bin/python3 "$REPO/tests/hostile/pcaptime.py" "$demo" "$tmp/re.pcap" "$@" || die "$label: rewrite"
    "$STRIDER" ssh --json "$tmp/re.pcap" > "$tmp/out.json" 2> "$tmp/err" || die "$label: strider failed"
    local head
    head=$(head -n1 "$tmp/out.json")
    for k in '"auth_success":true' '"auth_attempts":3' '"auth_method":"password"' \
             '"reverse_provisioned":true'; do
        [[ "$head" == *"$k"* ]] || { cat "$tmp/err"; die "$label: $k missing from: ${head:0:200}..."; }
    done
    grep -q "frame $first: timestamp .* earlier than frame" "$tmp/err" ||
        { cat "$tmp/err"; die "$label: no warning naming frame $first"; }
    grep -q "time goes back at [0-9]* frame(s), first at frame $first" "$tmp/err" ||
        { cat "$tmp/err"; die "$label: no count at the end"; }
    echo "ok $label"
}
# the server's reply to the first password moved 10 s back (before its request)
check "reply 10 s back" shift 31 -10 31
# each password request swapped in time with its reply
check "request/reply swapped" swap 29 31 33 35 37 39 30
# the reply to the second attempt 5 s back, and a late frame 30 s back
check "two steps back" shift 35 -5 35
check "far back" shift 100 -30 100
