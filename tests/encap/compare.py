#!/usr/bin/env python3
"""Compares strider's connections on an encapsulated capture with tshark's
reading of the innermost layer: per tcp.stream, the endpoints (innermost
IP addresses and ports) and the packet count must be strider's, and the
encap field the expected tunnel names. argv: strider-json tshark-fields
expected-encap. Exit 1 with the differences."""
import json
import sys

conns = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
streams = {}
for line in open(sys.argv[2]):
    f = line.rstrip("\n").split("\t")
    if len(f) < 8 or f[7] == "":
        continue
    protos, s4, d4, s6, d6, sp, dp, st = f[:8]
    inner6 = protos.split(":").count("ipv6") and protos.rfind(":ipv6") > protos.rfind(":ip:")
    src, dst = (s6, d6) if inner6 else (s4, d4)
    ends = frozenset([(src, int(sp)), (dst, int(dp))])
    s = streams.setdefault(int(st), {"ends": ends, "pkts": 0})
    if s["ends"] != ends:
        print("tshark stream %s has two endpoint pairs" % st)
    s["pkts"] += 1
bad = 0
if len(conns) != len(streams):
    print("strider %d connections, tshark %d streams" % (len(conns), len(streams)))
    bad = 1
for c in conns:
    ends = frozenset([(c["id.orig_h"], c["id.orig_p"]), (c["id.resp_h"], c["id.resp_p"])])
    t = streams.get(c["stream"])
    pk = c["orig_pkts"] + c["resp_pkts"]
    if not t or t["ends"] != ends or t["pkts"] != pk:
        print("stream %s: strider %s %d pkts, tshark %s" % (c["stream"], sorted(ends), pk, t))
        bad = 1
    if c.get("encap") != sys.argv[3]:
        print("stream %s: encap %s, expected %s" % (c["stream"], c.get("encap"), sys.argv[3]))
        bad = 1
sys.exit(bad)
