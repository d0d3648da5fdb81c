#!/usr/bin/python3
"""Cross-check of strider's TCP reassembly on one capture against
tshark's Follow TCP Stream (-z follow,tcp,raw,N) and tcpflow's files.

Usage: xcheck.py STRIDER CAPTURE WORKDIR
Prints one JSON line per compared item:
  {"cap":..., "tool":"tshark"|"tcpflow", "key":..., "status":..., "detail":...}
status: same | diff | only_strider | only_tool.
tshark items are "stream:dir" (dir orig/resp, strider's orientation) and
compare strider's delivered bytes without gaps (tshark leaves missing bytes
out); tcpflow items are file names and compare strider's per-direction file
(gaps as NULs, as tcpflow writes them) with tcpflow's.
All tshark follows of a capture run in one tshark invocation (one pass,
many taps): per-stream invocations would cost ~0.5 s each.
"""
import hashlib, json, os, re, shutil, subprocess, sys

strider, cap, work = sys.argv[1:4]
os.makedirs(work, exist_ok=True)
sx = os.path.join(work, "strider")
tf = os.path.join(work, "tcpflow")
for d in (sx, tf):
    shutil.rmtree(d, ignore_errors=True)
capname = os.environ.get("XCAP", cap)


def out(tool, key, status, detail="", **extra):
    d = {"cap": capname, "tool": tool, "key": key, "status": status, "detail": detail}
    d.update(extra)
    print(json.dumps(d))


tshark_same = {}  # "stream:dir" -> True when tshark's bytes equal strider's


def desc(b):
    return "%dB md5 %s" % (len(b), hashlib.md5(b).hexdigest()[:8])


r = subprocess.run([strider, "extract", "-q", "--all", "-o", sx, cap],
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if r.returncode != 0:
    out("strider", "-", "error", r.stderr.decode(errors="replace")[-300:])
    sys.exit(0)

sessions = {}
for line in open(os.path.join(sx, "index.jsonl")):
    s = json.loads(line)
    data = [bytearray(), bytearray()]
    if s["transcript"]:
        t = json.load(open(os.path.join(sx, s["transcript"])))
        files = {}
        for ch in t["chunks"]:
            # overlap and urgent markers sit among the chunks; no bytes of their own
            if ch.get("overlap") or ch.get("urgent"):
                continue
            if ch["gap"]:
                continue
            d = 0 if ch["dir"] == "orig" else 1
            if "hex" in ch:
                data[d] += bytes.fromhex(ch["hex"])
            else:
                # past --json-inline the transcript refers to the
                # direction's file: the bytes are at file_offset
                name = s[("orig_" if d == 0 else "resp_") + "file"]
                f = files.get(name) or files.setdefault(name, open(os.path.join(sx, name), "rb"))
                f.seek(ch["file_offset"])
                data[d] += f.read(ch["len"])
        for f in files.values():
            f.close()
    s["data"] = data
    sessions[s["stream"]] = s


def ep(h, p):
    return "%s:%d" % (h, p)


MISSING = re.compile(rb"^\[\d+ bytes missing in capture file\][.\x00]?$")

# ---- tshark: one pass with a follow tap per stream ----
streams = sorted(sessions)
extra = (max(streams) + 1) if streams else 0
args = ["tshark", "-n", "-r", cap, "-q"]
for n in streams + [extra, extra + 1]:
    args += ["-z", "follow,tcp,raw,%d" % n]
r = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
blocks = {}
cur = None
for line in r.stdout.decode(errors="replace").split("\n"):
    m = re.match(r"Filter: tcp.stream eq (\d+)", line)
    if m:
        cur = {"nodes": [], "data": [bytearray(), bytearray()]}
        blocks[int(m.group(1))] = cur
        continue
    if cur is None or line.startswith("===") or line.startswith("Follow:"):
        continue
    m = re.match(r"Node ([01]): (.*)$", line)
    if m:
        cur["nodes"].append(m.group(2))
        continue
    if not line.strip():
        continue
    node = 1 if line.startswith("\t") else 0
    b = bytes.fromhex(line.strip())
    # tshark writes a gap as the text "[N bytes missing in capture file]."
    # in the data itself; strider's bytes here leave gaps out
    if MISSING.match(b):
        continue
    cur["data"][node] += b

for n, b in sorted(blocks.items()):
    if b["nodes"] and b["nodes"][0] == ":0":
        continue  # no such stream in tshark
    s = sessions.get(n)
    if not s:
        if b["data"][0] or b["data"][1]:
            out("tshark", "%d:*" % n, "only_tool", "tshark stream with data, no strider stream")
        continue
    o = ep(s["id.orig_h"], s["id.orig_p"])
    rr = ep(s["id.resp_h"], s["id.resp_p"])
    # tshark writes IPv6 nodes as [addr]:port
    nodes = [re.sub(r"^\[(.*)\]:", r"\1:", x) for x in b["nodes"]]
    if nodes == [o, rr]:
        tdata = b["data"]
    elif nodes == [rr, o]:
        tdata = [b["data"][1], b["data"][0]]
    else:
        out("tshark", "%d:*" % n, "diff", "endpoints differ: tshark %s strider %s %s" % (nodes, o, rr))
        continue
    for d, dn in ((0, "orig"), (1, "resp")):
        a, t = bytes(s["data"][d]), bytes(tdata[d])
        tshark_same["%d:%s" % (n, dn)] = a == t
        if a == t:
            if a:
                out("tshark", "%d:%s" % (n, dn), "same", desc(a))
        else:
            out("tshark", "%d:%s" % (n, dn), "diff", "strider %s tshark %s" % (desc(a), desc(t)))

# ---- tcpflow: same file names, same bytes ----
subprocess.run(["tcpflow", "-r", cap, "-o", tf], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
tfiles = set(f for f in os.listdir(tf) if f != "report.xml") if os.path.isdir(tf) else set()
sfiles = set()
fmap = {}  # strider file -> "stream:dir"
for s in sessions.values():
    for k in ("orig_file", "resp_file"):
        if s[k]:
            sfiles.add(s[k])
            fmap[s[k]] = "%d:%s" % (s["stream"], k[:4])
BIG = 64 << 20  # larger files (sparse gap files of the 5.4 GB transfer) are compared by size


def fdesc(path):
    n = os.path.getsize(path)
    if n > BIG:
        return "%dB (large)" % n
    return desc(open(path, "rb").read())


def same_file(x, y):
    if os.path.getsize(x) != os.path.getsize(y):
        return False
    if os.path.getsize(x) > BIG:
        return None  # unknown: not read
    return open(x, "rb").read() == open(y, "rb").read()


for f in sorted(tfiles | sfiles):
    a = os.path.join(sx, f) if f in sfiles else None
    t = os.path.join(tf, f) if f in tfiles else None
    if a is None:
        out("tcpflow", f, "only_tool", "tcpflow %s" % fdesc(t))
    elif t is None:
        out("tcpflow", f, "only_strider", "strider %s" % fdesc(a), sd=fmap[f],
            tshark_same=tshark_same.get(fmap[f]))
    else:
        eq = same_file(a, t)
        if eq:
            out("tcpflow", f, "same", fdesc(a))
        else:
            rel = "other"
            na, nt = os.path.getsize(a), os.path.getsize(t)
            if max(na, nt) <= BIG:
                ba, bt = open(a, "rb").read(), open(t, "rb").read()
                if bt.startswith(ba):
                    rel = "tcpflow_longer_by_%d" % (nt - na)
                elif ba.startswith(bt):
                    rel = "tcpflow_prefix"
                elif na == nt:
                    rel = "same_size"
            out("tcpflow", f, "diff", "strider %s tcpflow %s" % (fdesc(a), fdesc(t)), sd=fmap[f],
                tshark_same=tshark_same.get(fmap[f]), rel=rel)
