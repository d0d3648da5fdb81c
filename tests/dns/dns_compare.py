#!/usr/bin/env python3
"""Cross-check `strider dns --json` against tshark's dns fields, packet by
packet: every transaction strider writes must match the query and response
frames tshark decodes (transaction id, question name, response code, the
answers' TTLs, the A/AAAA answers), and every DNS message tshark decodes
with a question on the DNS ports must be in one of strider's transactions.

Usage: dns_compare.py STRIDER [--allow FILE] CAPTURE...  (FILE: lines
"capture-basename:frame reason" or "capture-basename:0xID reason", tshark
messages strider rightly leaves out)  Prints one line per capture and
the totals; exits 1 on any difference."""
import json
import os
import subprocess
import sys

PORTS = {53, 5353, 5355}
FIELDS = ["frame.number", "dns.id", "dns.flags.response", "dns.qry.name", "dns.flags.rcode",
          "dns.count.answers", "dns.resp.ttl", "dns.a", "dns.aaaa", "udp.srcport", "udp.dstport",
          "tcp.srcport", "tcp.dstport", "dns.count.queries"]


def tshark(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", "(dns || mdns || llmnr) && !icmp && !icmpv6", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
    msgs = {}
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        ports = {int(p) for k in ("udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport")
                 for p in v.get(k, "").split("|") if p}
        if not ports & PORTS:
            continue
        ids = split(v.get("dns.id", ""))
        if len(ids) > 1:  # several messages in one frame (TCP): one entry each, TTLs and addresses not split
            per = {k: split(v.get(k, "")) for k in ("dns.flags.response", "dns.qry.name", "dns.flags.rcode")}
            v = [dict(v, **{"dns.id": i, "dns.resp.ttl": None, "dns.a": None, "dns.aaaa": None,
                            **{k: (per[k][n] if n < len(per[k]) else "") for k in per}})
                 for n, i in enumerate(ids)]
        else:
            v = [v]
        msgs[int(v[0]["frame.number"])] = v
    return msgs


def split(s):
    return [x for x in s.split("|") if x] if s else []


def name_of(s):
    return "" if s == "<Root>" else s


def tid(m):
    return int(m["dns.id"], 16 if m["dns.id"].startswith("0x") else 10)


def check_msg(t, ms, frame, response, errs):
    """One side of a strider transaction against tshark's message."""
    m = next((m for m in ms or [] if tid(m) == t["trans_id"]), (ms or [None])[0])
    if m is None:
        errs.append(f"frame {frame}: tshark decodes no DNS message there")
        return 0
    if tid(m) != t["trans_id"]:
        errs.append(f"frame {frame}: id {m['dns.id']} vs {t['trans_id']}")
    if int(m["dns.flags.response"] in ("1", "True")) != response:
        errs.append(f"frame {frame}: response flag {m['dns.flags.response']}")
    qn = split(m.get("dns.qry.name", ""))
    names = 0
    if "\\" not in t["query"]:  # escaped bytes: tshark writes them its own way
        if not qn or name_of(qn[0]) != t["query"]:
            errs.append(f"frame {frame}: query {qn[:1]} vs {t['query']!r}")
        else:
            names = 1
    if response:
        if int(m["dns.flags.rcode"]) != t["rcode"]:
            errs.append(f"frame {frame}: rcode {m['dns.flags.rcode']} vs {t['rcode']}")
        if m["dns.resp.ttl"] is None:  # one of several messages in the frame
            return names
        ttls = [int(x) for x in split(m.get("dns.resp.ttl", ""))]
        ours = t.get("TTLs", [])
        if ttls[:len(ours)] != ours or (len(ours) < 16 and len(ours) != min(len(ttls), int(m["dns.count.answers"]))):
            errs.append(f"frame {frame}: TTLs {ttls} vs {ours}")
        addrs = set(split(m.get("dns.a", ""))) | set(split(m.get("dns.aaaa", "")))
        for a in t.get("answers", []):
            if (a.count(".") == 3 and a.replace(".", "").isdigit() or ":" in a) and a not in addrs:
                errs.append(f"frame {frame}: answer {a} not in tshark's {sorted(addrs)}")
    return names


def compare(strider, path, allow):
    out = subprocess.run([strider, "dns", "-j", path], capture_output=True, text=True, check=False).stdout
    txns = [json.loads(l) for l in out.splitlines() if l.startswith('{"type":"dns"')]
    msgs = tshark(path)
    errs, covered, names = [], set(), 0
    agree = 0
    for t in txns:
        before = len(errs)
        for key, resp in (("frame_query", 0), ("frame_reply", 1)):
            if key in t:
                covered.add(t[key])
                names += check_msg(t, msgs.get(t[key]), t[key], resp, errs)
        agree += len(errs) == before
    retrans = [(t["frame_query"], t["frame_query_last"], t["trans_id"], t["query"]) for t in txns
               if t.get("query_retrans")]
    skipped = 0
    for f, ms in msgs.items():
        if f in covered:
            continue
        m = ms[0]
        qn = split(m.get("dns.qry.name", ""))
        if qn and qn[0].startswith("<") and qn[0] != "<Root>":
            skipped += 1  # tshark marks the name invalid itself (a pointer loop, too long): no transaction
            continue
        if f"{os.path.basename(path)}:{f}" in allow or f"{os.path.basename(path)}:{m['dns.id']}" in allow:
            continue
        if m["dns.flags.response"] in ("0", "False") and any(
                a < f <= z and int(m["dns.id"], 16) == i and qn and name_of(qn[0]) == q for a, z, i, q in retrans):
            continue  # a copy of a query strider counted as retransmitted (query_retrans)
        if not split(m.get("dns.qry.name", "")) or m.get("dns.count.queries") == "0":
            skipped += 1  # no question (mDNS announcements): no transaction
            continue
        errs.append(f"frame {f}: tshark's DNS message ({m['dns.qry.name']}) is in no strider transaction")
    return txns, msgs, names, skipped, errs, agree


def main():
    strider, files = sys.argv[1], sys.argv[2:]
    allow = set()
    if files and files[0] == "--allow":
        with open(files[1]) as f:
            allow = {l.split()[0] for l in f if l.strip() and not l.startswith("#")}
        files = files[2:]
    tot_t = tot_n = tot_m = caps = bad = tot_a = 0
    for path in files:
        txns, msgs, names, skipped, errs, agree = compare(strider, path, allow)
        if not txns and not msgs:
            continue
        caps += 1
        tot_t += len(txns)
        tot_n += names
        tot_m += len(msgs)
        tot_a += agree
        print(f"{'FAIL' if errs else 'ok  '} {path}: {len(txns)} transactions, {len(msgs)} tshark DNS messages "
              f"({skipped} without a question), {names} names agree")
        for e in errs[:20]:
            print("    " + e)
        bad += len(errs)
    print(f"dns vs tshark: {caps} captures, {tot_a}/{tot_t} transactions agree (id, name, rcode, TTLs, "
          f"addresses), {tot_m} tshark messages, {tot_n} question names compared equal, {bad} differences")
    return 1 if bad or not caps else 0


if __name__ == "__main__":
    sys.exit(main())
