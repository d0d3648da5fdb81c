"""Checks `strider summary --json` output (file argv[2]) for the test named
argv[1] against the facts the crafted capture was made with, or against
tshark's fields (argv[3]: 'frame ip.src srcport seq_raw' lines of the
SYNs without ACK). Prints what fails; exits 1 if anything did."""
import json
import sys

fails = []


def check(what, ok):
    if not ok:
        fails.append(what)


def lines(path):
    with open(path) as f:
        return [json.loads(x) for x in f if x.strip()]


def by_type(objs, t):
    return [o for o in objs if o["type"] == t]


def crafted(objs):
    cap = by_type(objs, "capture")[0]
    cl = {c["host"]: c for c in by_type(objs, "client")}
    order = [c["host"] for c in by_type(objs, "client")]
    check("constant port first", order[:1] == ["10.0.0.1"])
    check("stand-outs before the others", order[-1] == "10.0.0.3" and cl["10.0.0.3"]["stands_out"] is False)
    c1, c2, c4 = cl["10.0.0.1"], cl["10.0.0.2"], cl["10.0.0.4"]
    check("10.0.0.1 constant port", c1["src_port"] == "constant" and c1["stands_out"] and c1["isn"] == "random")
    check("10.0.0.1 evidence", c1["first_src_ports"] == [4444] * 5 and c1["src_port_steps_zero"] == 5)
    check("10.0.0.2 incremental +1", c2["src_port"] == "incremental" and c2["src_port_step"] == 1)
    check("10.0.0.2 ISN +64000", c2["isn"] == "incremental" and c2["isn_step"] == 64000 and c2["stands_out"])
    check("10.0.0.4 constant ISN", c4["isn"] == "constant" and c4["first_isns"] == [0x12345678] * 4)
    check("10.0.0.3 random", cl["10.0.0.3"]["src_port"] == "random" and cl["10.0.0.3"]["isn"] == "random")
    check("few and mid-stream counted", cap["clients_few_conns"] == 1 and cap["midstream_conns"] == 1
          and "10.0.0.5" not in cl)
    files = by_type(objs, "file")
    check("two files", [(f["sig"], f["dir"], f["offset"]) for f in files]
          == [("pe-dos-stub", "resp", 118), ("elf", "orig", 0)])
    check("file ends", files[0]["id.resp_h"] == "198.51.100.9" and files[1]["id.resp_p"] == 8080)


def host(objs):
    s = by_type(objs, "host_summary")[0]
    conns = by_type(objs, "host_conn")
    check("host totals", (s["conns"], s["other_pkts"], s["peers"]) == (5, 1, 4))
    check("by start", [c["ts"] for c in conns] == sorted(c["ts"] for c in conns))
    after = [c for c in conns if c["after_first_contact"]]
    check("after: the 3 within 60 s", [c["id.resp_h"] for c in after] == ["198.51.100.9", "203.0.113.5", "192.0.2.20"])
    check("after bytes", s["after_sent"] == sum(c["orig_bytes"] for c in after) and s["after_sent"] > 19000)
    check("later one not after", conns[-1]["id.resp_p"] == 443 and not conns[-1]["after_first_contact"])
    check("only the host's files", {f["uid"] for f in by_type(objs, "file")} <= {c["uid"] for c in conns})


def tshark(objs, path):
    syns = {}
    with open(path) as f:
        for ln in f:
            fr, src, sp, seq = ln.split()
            syns.setdefault(src, []).append((int(fr), int(sp), int(seq)))
    cl = by_type(objs, "client")
    check("some clients", len(cl) > 0)
    for c in cl:
        want = syns.get(c["host"], [])
        got = list(zip(c["first_frames"], c["first_src_ports"], c["first_isns"]))
        check("%s: %d conns, tshark %d SYNs" % (c["host"], c["conns"], len(want)), c["conns"] <= len(want))
        check("%s: evidence %s = tshark %s" % (c["host"], got, want[:5]), all(g in want for g in got))


MAGIC = {"gzip": "1f8b08", "elf": "7f454c46", "zip": "504b0304", "pdf": "255044462d",
         "pe-dos-stub": b"This program".hex(), "mz-header": "4d5a"}


def tshark_files(objs, path):
    """argv[3]: 'frame stream seq payload' lines (tshark, relative seq):
    each file found in one frame has its magic at its offset there."""
    seg = {}
    with open(path) as f:
        for ln in f:
            p = ln.split()
            if len(p) == 4:
                seg[int(p[0])] = (int(p[1]), int(p[2]), p[3])
    files = [o for o in objs if o["type"] == "file" and o["frame"] == o["frame_last"] and o["sig"] in MAGIC]
    check("some files to check", len(files) > 0)
    for o in files:
        stream, seq, hexp = seg.get(o["frame"], (-1, 0, ""))
        at = 2 * (o["offset"] - (seq - 1))
        check("%s at offset %d of frame %d (tshark stream %d)" % (o["sig"], o["offset"], o["frame"], stream),
              stream == o["stream"] and hexp[at:at + len(MAGIC[o["sig"]])] == MAGIC[o["sig"]])


def same_as_conns(objs, path):
    """argv[3]: `strider conns --json` of the capture: summary --host lists
    exactly the host's connections, with the same facts."""
    host = by_type(objs, "host_summary")[0]["host"]
    mine = {c["uid"]: c for c in by_type(objs, "host_conn")}
    theirs = {}
    for o in lines(path):
        if host in (o.get("id.orig_h"), o.get("id.resp_h")):
            theirs[o["uid"]] = o
    check("same connections (%d, conns %d)" % (len(mine), len(theirs)), set(mine) == set(theirs) and mine)
    for uid, c in mine.items():
        o = theirs.get(uid, {})
        for k in ("orig_bytes", "resp_bytes", "id.orig_p", "id.resp_p", "service"):
            check("%s %s: %s vs conns %s" % (uid, k, c[k], o.get(k)), c[k] == o.get(k, "" if k == "service" else None))


objs = lines(sys.argv[2])
{"crafted": lambda: crafted(objs), "host": lambda: host(objs), "tshark": lambda: tshark(objs, sys.argv[3]),
 "tshark_files": lambda: tshark_files(objs, sys.argv[3]),
 "conns": lambda: same_as_conns(objs, sys.argv[3])}[sys.argv[1]]()
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
