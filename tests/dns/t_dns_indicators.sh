#!/usr/bin/env bash
# The DNS indicators, DNS over TCP, hostile messages and the summary's DNS
# section on the crafted capture of mkdns.py (what each part holds is said
# there): each indicator fires for the host that shows it and for no other,
# the round-robin answer is not flux, the TCP messages split over segments
# and packed two to a segment are all read, the hostile messages are
# counted malformed, the decode cap is said on stderr, and summary's counts
# are those of `strider dns`.
set -u
cd "$(dirname "$0")/../.." || exit 1
STRIDER=${STRIDER:-$PWD/${BUILD:-build}/strider}
. tests/lib.sh
has_cmd dns || skip "no 'dns' command"
mkdir -p tests/out
cap=tests/out/dns_crafted_ind.pcap
python3 tests/dns/mkdns.py "$cap" || die "mkdns.py"
"$STRIDER" dns -j "$cap" > tests/out/dns_ind.jsonl 2> tests/out/dns_ind.err || die "strider dns failed"
"$STRIDER" summary -j "$cap" > tests/out/dns_sum.jsonl 2> tests/out/dns_sum.err || die "strider summary failed"
grep -q "4 answers past the 16 decoded" tests/out/dns_ind.err || die "answer cap not said on stderr"
python3 - tests/out/dns_ind.jsonl tests/out/dns_sum.jsonl <<'PY' || exit 1
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
txn = [r for r in recs if r["type"] == "dns"]
ev = [r for r in recs if r["type"] == "event"]
kinds = sorted((e["kind"], e.get("client") or e.get("query")) for e in ev)
want = sorted([("dns_low_ttl", "flux.example.net"), ("dns_fast_flux", "flux.example.net"),
               ("dns_nxdomain", "10.0.0.9"), ("dns_odd_names", "10.0.0.9"), ("dns_odd_names", "10.0.0.7")])
errs = []
if kinds != want:
    errs.append(f"indicators {kinds}, want {want}")
by = {(e["kind"], e.get("client") or e.get("query")): e for e in ev}
flux = by.get(("dns_fast_flux", "flux.example.net"), {})
if flux.get("addresses") != 12 or flux.get("ttl_min") != 5:
    errs.append(f"fast flux: {flux}")
nx = by.get(("dns_nxdomain", "10.0.0.9"), {})
if nx.get("nxdomain") != 14 or nx.get("answers") != 15:
    errs.append(f"nxdomain: {nx}")
tun = by.get(("dns_odd_names", "10.0.0.7"), {})
if tun.get("longest_label") != 60:
    errs.append(f"tunnel: {tun}")
if any(not e.get("filter") or e["frame"] > e["frames"][1] for e in ev):
    errs.append("an event without a filter or with frames out of order")
tcp = sorted((t["query"], t["answers"], t["TTLs"]) for t in txn if t["proto"] == "tcp")
if tcp != [("tcp.example.org", ["192.0.2.1"], [300]), ("tcp2.example.org", ["1:203:405:607:809:a0b:c0d:e0f"], [600])]:
    errs.append(f"DNS over TCP: {tcp}")
rr = [t for t in txn if t["query"] == "rr.example.org"]
if len(rr) != 1 or len(rr[0]["answers"]) != 16 or rr[0].get("answers_uncounted") != 4:
    errs.append(f"round robin: {rr}")
bad = [t for t in txn if t["query"] in ("a.example", "b.example")]
if len(bad) != 2 or not all(t.get("answers_malformed") for t in bad):
    errs.append(f"hostile count/overrun records: {bad}")
summ = [json.loads(l) for l in open(sys.argv[2])]
d = next((s for s in summ if s["type"] == "dns"), {})
if d.get("transactions") != len(txn) or d.get("tcp_transactions") != 2 or d.get("malformed") != 5 \
        or d.get("indicators") != len(ev) or d.get("nxdomain") != 14:
    errs.append(f"summary dns {d} vs {len(txn)} transactions, {len(ev)} events")
cl = {s["client"]: s for s in summ if s["type"] == "dns_client"}
if cl.get("10.0.0.9", {}).get("nxdomain") != 14 or cl.get("10.0.0.9", {}).get("transactions") != 15 \
        or next(iter(cl), None) != "10.0.0.9":
    errs.append(f"summary clients {cl}")
if [s["kind"] for s in summ if s["type"] == "event"] != [e["kind"] for e in ev]:
    errs.append("summary's events differ from strider dns's")
for e in errs:
    print("FAIL:", e)
print(f"{len(txn)} transactions, {len(ev)} indicators checked")
sys.exit(1 if errs else 0)
PY
