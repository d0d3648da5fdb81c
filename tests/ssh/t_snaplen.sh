#!/usr/bin/env bash
# Captures whose snaplen cut the payload (tcpdump's old 68/96-byte default,
# -s 128 for privacy): lab fixtures cut with editcap must read as the full
# capture does on every feature sizes and timings carry (login, outcome,
# method, keystrokes, session kind, forwards), with stderr saying the
# payload was cut. What a cut cannot leave: the algorithm names (the
# KEXINITs are cut, suite_*) and, below ~128 bytes, the software after the
# cut banner and the host key (its blob is cut: host_known).
set -u
. "$(dirname "$0")/../lib.sh"
command -v editcap > /dev/null || skip "no editcap"
fx=$REPO/tests/lab/fixtures
out=$REPO/tests/out/snaplen; rm -rf "$out"; mkdir -p "$out"
names="interactive_chacha interactive_aes128gcm pwfirst_short_chacha interactive_aes128ctr-sha256etm"
for n in $names; do [ -f "$fx/$n.pcap" ] || skip "no fixture $n"; done
fail=0
full=$out/full; mkdir -p "$full"
for n in $names; do # the features the full capture gets right: the reference
    /usr/bin/python3 "$REPO/tests/lab/score" --fixtures "$fx" --strider "$STRIDER" --json "$n" > "$full/$n.json" ||
        die "score $n"
done
for snap in 96 200; do
    d=$out/s$snap; mkdir -p "$d"
    for n in $names; do
        editcap -s $snap "$fx/$n.pcap" "$d/$n.pcap" || die "editcap"
        cp "$fx/$n.labels.json" "$d/"
    done
    # stderr says it, once
    "$STRIDER" ssh "$d/interactive_chacha.pcap" > "$d/out.txt" 2> "$d/err.txt"
    grep -q "snaplen cut the payload of [0-9]* TCP segment(s) (1 SSH connection(s))" "$d/err.txt" ||
        { echo "FAIL: no snaplen note at $snap"; fail=1; }
    grep -q "kex_incomplete" "$d/out.txt" && { echo "FAIL: read as a scan at $snap"; fail=1; }
    for n in $names; do
        /usr/bin/python3 "$REPO/tests/lab/score" --fixtures "$d" --strider "$STRIDER" --json "$n" > "$d/$n.score.json" ||
            { echo "FAIL: score $n at $snap"; fail=1; continue; }
        python3 - "$full/$n.json" "$d/$n.score.json" "$n" "$snap" <<'PY' || fail=1
import json, sys
def bad(v):
    if v.get("status") != "scored":
        return v.get("status", "missing")
    if v["kind"] == "detection" and (v["fp"] or v["fn"]):
        return "fp%d fn%d" % (v["fp"], v["fn"])
    if v["kind"] == "classification" and (v["correct"] != v["n"] or v["predicted"] != v["n"]):
        return "%d/%d/%d" % (v["correct"], v["predicted"], v["n"])
    if v["kind"] == "count" and v["mean_err_pct"]:
        return "%.0f%%" % v["mean_err_pct"]
    return None
full = json.load(open(sys.argv[1]))["features"]
cut = json.load(open(sys.argv[2]))["features"]
name, snap = sys.argv[3], int(sys.argv[4])
lost = {k for k in full if k.startswith("suite_")}  # the KEXINITs are cut
if snap < 128:
    lost |= {"software", "host_known"}  # the banner's end and the host key blob are cut
errs = ["%s %s" % (k, bad(cut.get(k, {}))) for k, v in full.items()
        if k not in lost and not bad(v) and bad(cut.get(k, {}))]
if errs:
    print("FAIL: %s cut at %d: %s" % (name, snap, "; ".join(errs)))
    sys.exit(1)
print("ok %s cut at %d (%d features as on the full capture)" %
      (name, snap, sum(1 for k, v in full.items() if k not in lost and not bad(v))))
PY
    done
done
exit $fail
