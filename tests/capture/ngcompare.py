#!/usr/bin/env python3
"""tshark's records (frame, epoch, cap_len, len, interface_id,
section_number) against capdump's (frame, epoch, caplen, wirelen,
linktype, iface): the same records, times, lengths; interfaces: tshark
numbers them per section, strider over the file, so the pairing
(section, id) <-> iface must be one to one. Exit 1 with the first
differences."""
import sys

t = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
s = [l.split() for l in open(sys.argv[2]).read().splitlines()]
bad = []
if len(t) != len(s):
    bad.append("%d records, tshark %d" % (len(s), len(t)))
fwd, back = {}, {}
for a, b in zip(t, s):
    if a[:4] != b[:4]:
        bad.append("tshark %s, strider %s" % (a[:4], b[:4]))
    key = (a[5] if len(a) > 5 else "1", a[4] if len(a) > 4 else "")
    if fwd.setdefault(key, b[5]) != b[5] or back.setdefault(b[5], key) != key:
        bad.append("frame %s: interface %s of tshark is strider's %s" % (a[0], key, b[5]))
for m in bad[:5]:
    print(m)
sys.exit(1 if bad else 0)
