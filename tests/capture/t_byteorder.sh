#!/usr/bin/env bash
# A classic pcap file is read the same in either byte order and either
# time unit: each capture below is rewritten big-endian with microseconds,
# big-endian with nanoseconds and little-endian with nanoseconds (every
# header field swapped or scaled, the packets untouched), and conns --json,
# ssh --json and summary must write what they write for the original, with
# one thread and with the reader's own (sd_pipe). The plain record path
# (sd_pcapfile_next_plain) reads the record header's fields with loads
# swapped by the file's order, and refuses a record whose time is a pcap
# magic in either order; this checks both orders and units through it
# over thousands of records.
set -u
. "$(dirname "$0")/../lib.sh"
out=$REPO/tests/out/byteorder; rm -rf "$out"; mkdir -p "$out"
GENCAP=${BUILD:-build}/bench/gencap
[ -x "$GENCAP" ] || GENCAP=$REPO/build/bench/gencap
fail=0 n=0

caps=("$REPO"/tests/lab/fixtures/auth_fail_all.pcap "$REPO"/tests/lab/fixtures/agent_key_chacha.pcap
      "$REPO"/tests/lab/fixtures/any_interactive_chacha.pcap)
if [ -x "$GENCAP" ]; then
    "$GENCAP" --brute 200 -o "$out/brute.pcap" > /dev/null || die "gencap --brute failed"
    caps+=("$out/brute.pcap")
fi

# rewrite SRC DST ORDER(< or >) UNIT(us or ns)
rewrite() {
    python3 - "$@" <<'EOF' || die "rewrite $1 failed"
import struct, sys
src, dst, order, unit = sys.argv[1:5]
data = open(src, 'rb').read()
magic = struct.unpack('<I', data[:4])[0]
if magic in (0xa1b2c3d4, 0xa1b23c4d):
    rd = '<'
elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
    rd = '>'
else:
    sys.exit('not a classic pcap: ' + src)
m, vmaj, vmin, tz, sig, snap, lt = struct.unpack(rd + 'IHHiIII', data[:24])
ns_in = m == 0xa1b23c4d
out = [struct.pack(order + 'IHHiIII', 0xa1b23c4d if unit == 'ns' else 0xa1b2c3d4, vmaj, vmin, tz, sig, snap, lt)]
pos = 24
while pos + 16 <= len(data):
    sec, frac, cl, wl = struct.unpack(rd + 'IIII', data[pos:pos + 16])
    ns = frac if ns_in else frac * 1000
    if unit == 'us':
        assert ns % 1000 == 0, 'nanoseconds do not fit microseconds'
    out.append(struct.pack(order + 'IIII', sec, ns if unit == 'ns' else ns // 1000, cl, wl))
    out.append(data[pos + 16:pos + 16 + cl])
    pos += 16 + cl
assert pos == len(data), 'trailing bytes'
open(dst, 'wb').write(b''.join(out))
EOF
}

for c in "${caps[@]}"; do
    [ -f "$c" ] || die "missing capture $c"
    b=$(basename "$c" .pcap)
    rewrite "$c" "$out/$b.be_us.pcap" '>' us
    rewrite "$c" "$out/$b.be_ns.pcap" '>' ns
    rewrite "$c" "$out/$b.le_ns.pcap" '<' ns
    for args in "conns --json" "ssh --json" "summary"; do
        for th in 1 2; do
            # shellcheck disable=SC2086
            "$STRIDER" $args --threads $th "$c" > "$out/orig.out" 2> "$out/orig.err"; r0=$?
            for v in be_us be_ns le_ns; do
                n=$((n + 1))
                # shellcheck disable=SC2086
                "$STRIDER" $args --threads $th "$out/$b.$v.pcap" > "$out/v.out" 2> "$out/v.err"; r1=$?
                # summary names the file: compare past its path
                sed -i "s#$out/$b.$v.pcap#$c#g" "$out/v.out" "$out/v.err"
                if ! cmp -s "$out/orig.out" "$out/v.out" || ! cmp -s "$out/orig.err" "$out/v.err" || [ $r0 != $r1 ]; then
                    echo "FAIL $b $v: $args --threads $th differs from the original's"
                    diff "$out/orig.out" "$out/v.out" | head -5; diff "$out/orig.err" "$out/v.err" | head -5
                    fail=1
                fi
            done
        done
    done
done
[ $fail = 0 ] || exit 1
echo "OK $n runs"
