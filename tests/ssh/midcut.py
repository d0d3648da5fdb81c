#!/usr/bin/python3
"""midcut.py FIXTURES NAME AT OUTDIR: a mid-stream copy of a lab fixture.

Writes OUTDIR/NAME.pcap holding the fixture's frames from AT on (editcap -r,
which renumbers them from 1) and OUTDIR/NAME.labels.json holding the labels
of what comes after the cut: the events before its first packet's time are
dropped, labelled frames shifted by AT - 1, and what only the handshake
shows (software, host key decision, authentication) left out (the suite
is kept: the scorer exempts by it the keys no size tells apart), so
tests/lab/score scores what a capture begun inside the session can tell.
AT is a frame number, or "kex+N" / "auth+N": N frames after the client's
last authentication frame (the labels' successful attempt's frame)."""
import json
import os
import struct
import subprocess
import sys

DROP_LISTS = ("keystrokes", "commands", "transfers", "forwards", "idle", "password_typed")


def first_ts(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        end = "<" if hdr[:4] == b"\xd4\xc3\xb2\xa1" else ">"
        sec, usec = struct.unpack(end + "II", f.read(8))
        return sec + usec / 1e6


def frame_at(path, ts):
    """The number of the first frame after time ts in a classic pcap."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        end = "<" if hdr[:4] == b"\xd4\xc3\xb2\xa1" else ">"
        k = 0
        while True:
            ph = f.read(16)
            if len(ph) < 16:
                return k + 1
            sec, usec, incl, _ = struct.unpack(end + "IIII", ph)
            k += 1
            if sec + usec / 1e6 > ts:
                return k
            f.seek(incl, 1)


def main():
    fx, name, at, out = sys.argv[1:5]
    lab = json.load(open(os.path.join(fx, name + ".labels.json")))
    if at.startswith("auth+"):
        ok = [a["ts"] for a in lab["auth"] if a.get("result") == "success" and a.get("leg") == "forward"]
        at = str(frame_at(os.path.join(fx, name + ".pcap"), min(ok)) + int(at[5:]))
    k = int(at)
    os.makedirs(out, exist_ok=True)
    pcap = os.path.join(out, name + ".pcap")
    subprocess.run(["editcap", "-F", "pcap", "-r", os.path.join(fx, name + ".pcap"), pcap, "%d-%d" % (k, 1 << 30)], check=True)
    t0 = first_ts(pcap)
    for key in DROP_LISTS:
        kept = []
        for e in lab.get(key) or []:
            if not isinstance(e, dict):
                continue
            if isinstance(e.get("frame"), int):  # its packet in the cut (a key's ts is the press, before it)
                if e["frame"] < k:
                    continue
                e["frame"] -= k - 1
            elif e.get("ts", e.get("start_ts", t0)) < t0:
                continue
            kept.append(e)
        if key in lab:
            lab[key] = kept
    lab["auth"] = []
    lab["host_known"] = None
    lab["auth_closed"] = None
    for l in lab["legs"]:
        l.pop("client_software", None)
        l.pop("server_software", None)
    lab["capture"]["file"] = name + ".pcap"
    lab["description"] += " (cut mid-stream at frame %d)" % k
    json.dump(lab, open(os.path.join(out, name + ".labels.json"), "w"), indent=1)
    print(k)


main()
