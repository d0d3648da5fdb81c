#!/usr/bin/env bash
# Services by content on crafted connections off their usual ports
# (mkhello.py: a ClientHello split over three segments, one out of order, a
# hostile HTTP request, a ClientHello whose lengths overrun): conns' fields
# must be what mkhello.py computed on its own (its JA4 from the spec), an
# absent value absent; and summary lists the connections as off-port.
set -u
cd "$(dirname "$0")/../.." || exit 1
STRIDER=${STRIDER:-$PWD/${BUILD:-build}/strider}
. tests/lib.sh
"$STRIDER" conns --list-fields | grep -q '^ja4 ' || skip "no ja4 field in this build"
mkdir -p tests/out
python3 tests/service/mkhello.py tests/out/svc_hello.pcap > tests/out/svc_hello.exp || die "mkhello.py"
"$STRIDER" conns -j tests/out/svc_hello.pcap > tests/out/svc_hello.jsonl || die "strider conns failed"
"$STRIDER" summary -j tests/out/svc_hello.pcap > tests/out/svc_hello_sum.jsonl || die "strider summary failed"
python3 - tests/out/svc_hello.exp tests/out/svc_hello.jsonl tests/out/svc_hello_sum.jsonl <<'PY'
import json, sys
exp = [json.loads(l) for l in open(sys.argv[1])]
got = {c["stream"]: c for c in map(json.loads, open(sys.argv[2]))}
errs = []
for e in exp:
    c = got.get(e["stream"], {})
    for k, v in e.items():
        if c.get(k) != v:
            errs.append(f"stream {e['stream']}: {k} {c.get(k)!r}, want {v!r}")
summ = [json.loads(l) for l in open(sys.argv[3])]
svc = next((s for s in summ if s["type"] == "services"), {})
if svc.get("ssl") != 3 or svc.get("http") != 1 or svc.get("off_port") != 4 or svc.get("tls_with_ja4") != 1:
    errs.append(f"summary services {svc}")
names = [(s["proto"], s["name"], s["conns"]) for s in summ if s["type"] == "server_name"]
if ("tls", "example.test", 1) not in names:
    errs.append(f"summary names {names}")
for e in errs:
    print("FAIL:", e)
print(f"{len(exp)} connections checked")
sys.exit(1 if errs else 0)
PY
