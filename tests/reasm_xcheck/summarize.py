#!/usr/bin/python3
"""Classifies xcheck.py results: every difference must be explained, either
by a rule below (a known tcpflow 1.6.1 defect, confirmed by tshark agreeing
with strider on the same direction) or by a line of allow.txt naming the
capture, the item, the category and which tool is right. Prints per-capture
agreement numbers and the unexplained items; exit 1 if there are any.

Usage: summarize.py RESULTS.jsonl ALLOW.txt
"""
import collections, fnmatch, json, re, sys

results = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
allow = []
for line in open(sys.argv[2]):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    f = [x.strip() for x in line.split("|")]
    if len(f) >= 5:
        allow.append(f)
used = set()


def size_of(detail):
    m = re.search(r"tcpflow (\d+)B", detail)
    return int(m.group(1)) if m else -1


def classify(r, strider_files):
    for i, (tool, capg, keyg, cat, why) in enumerate(allow):
        if tool == r["tool"] and fnmatch.fnmatch(r["cap"], capg) and fnmatch.fnmatch(r["key"], keyg):
            used.add(i)
            return cat
    if r["tool"] != "tcpflow":
        return None
    ts = r.get("tshark_same")
    if r["status"] == "diff" and ts:
        rel = r.get("rel", "")
        m = re.match(r"tcpflow_longer_by_(\d+)", rel)
        if m and int(m.group(1)) <= 64:
            return "tcpflow-trailer-as-data"  # Ethernet padding/trailer written as payload (#249/#261)
        if rel == "tcpflow_prefix":
            # tcpflow's file is a prefix of strider's: it moved the rest to a cN file
            # (data after a FIN, a sequence jump over 16 MB) or never had it (no IPv4 defrag)
            return "tcpflow-stops-early"
        return "tcpflow-wrong-tshark-agrees"  # NUL-filled segment (#197), RST payload, URG, last-wins overlap
    if r["status"] == "only_tool":
        m = re.match(r"(.*?)c(\d+)$", r["key"])
        if m and m.group(1) in strider_files.get(r["cap"], ()):
            return "tcpflow-split-into-cN"
        if 0 < size_of(r["detail"]) <= 6:
            return "tcpflow-padding-file"     # a 4/6-byte file of padding from an empty ACK/RST
    if r["status"] == "only_strider" and ts:
        return "tcpflow-missed-tshark-agrees" # no IPv4 defrag, link types tcpflow does not read
    return None


strider_files = collections.defaultdict(set)
for r in results:
    if r["tool"] == "tcpflow" and r["status"] in ("same", "diff", "only_strider"):
        strider_files[r["cap"]].add(r["key"])

per = collections.OrderedDict()
cats = collections.Counter()
bad = []
for r in results:
    p = per.setdefault(r["cap"], {"tshark": [0, 0], "tcpflow": [0, 0], "explained": collections.Counter()})
    if r["tool"] not in ("tshark", "tcpflow"):
        bad.append(r)
        continue
    p[r["tool"]][0] += 1
    if r["status"] == "same":
        p[r["tool"]][1] += 1
        continue
    c = classify(r, strider_files)
    if c:
        p["explained"][c] += 1
        cats[(r["tool"], c)] += 1
    else:
        bad.append(r)

print("%-78s %13s %13s  explained" % ("capture", "tshark =/n", "tcpflow =/n"))
tot = {"tshark": [0, 0], "tcpflow": [0, 0]}
for cap, p in per.items():
    for t in tot:
        tot[t][0] += p[t][0]
        tot[t][1] += p[t][1]
    ex = ", ".join("%s %d" % kv for kv in sorted(p["explained"].items()))
    print("%-78s %6d/%-6d %6d/%-6d  %s" % (cap[-78:], p["tshark"][1], p["tshark"][0], p["tcpflow"][1],
                                           p["tcpflow"][0], ex))
print("TOTAL %d captures: tshark %d/%d identical, tcpflow %d/%d identical" %
      (len(per), tot["tshark"][1], tot["tshark"][0], tot["tcpflow"][1], tot["tcpflow"][0]))
for (tool, c), n in sorted(cats.items()):
    print("  explained %-8s %-34s %d" % (tool, c, n))
for i, a in enumerate(allow):
    if i not in used:
        print("note: allow.txt line not used: %s" % " | ".join(a[:3]))
for r in bad:
    print("UNEXPLAINED %s %s %s %s %s" % (r["tool"], r["status"], r["cap"], r["key"], r["detail"]))
sys.exit(1 if bad else 0)
