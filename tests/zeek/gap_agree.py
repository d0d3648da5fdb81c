#!/usr/bin/python3
"""missed_bytes (Zeek's content gaps, counted at the ACK) against the
reassembler's gap bytes (conns -R) on every TCP connection of the given
captures whose handshake was seen: both count the bytes the peer ACKed
that the capture does not hold, so they must agree. They may differ by
design where a hole is never ACKed (the reassembler still reports it at
the end) or is ACKed while one side is not established (Zeek's rule):
such a connection goes into KNOWN with its reason."""
import json
import os
import subprocess
import sys

KNOWN = {}  # (capture path under captures/, stream) -> why

tot = agree = 0
bad = []
for cap in sys.argv[1:]:
    out = subprocess.run([os.environ["STRIDER"], "conns", "-q", "-R", "--json", cap], capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        r = json.loads(line)
        h = r.get("history") or ""
        if r.get("type") != "conn" or r.get("proto") != "tcp" or not h.lstrip("^").startswith(("Sh", "h")):
            continue
        tot += 1
        gaps = r.get("orig_gap_bytes", 0) + r.get("resp_gap_bytes", 0)
        name = cap.split("/captures/")[-1]
        if gaps == r.get("missed_bytes") or (name, r["stream"]) in KNOWN:
            agree += 1
        else:
            bad.append(f"DIFF {name} stream {r['stream']} {h}: missed_bytes {r.get('missed_bytes')}, -R gaps {gaps}")
print("\n".join(bad))
print(f"missed_bytes equals conns -R's gap bytes on {agree} of {tot} TCP connections with a handshake")
sys.exit(1 if bad else 0)
