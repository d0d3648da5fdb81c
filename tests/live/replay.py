#!/usr/bin/env python3
"""Sends a classic pcap's Ethernet frames on an interface (AF_PACKET),
SPEED times faster than recorded: a real capture played on the namespace's
loopback for strider -i to read live. Usage: replay.py PCAP IFACE SPEED"""
import socket, struct, sys, time

path, iface, speed = sys.argv[1], sys.argv[2], float(sys.argv[3])
data = open(path, "rb").read()
magic = struct.unpack("<I", data[:4])[0]
nano = magic == 0xA1B23C4D
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind((iface, 0))
off, t0, w0 = 24, None, time.monotonic()
while off + 16 <= len(data):
    sec, frac, incl, _ = struct.unpack("<IIII", data[off:off + 16])
    frame = data[off + 16:off + 16 + incl]
    off += 16 + incl
    ts = sec + frac / (1e9 if nano else 1e6)
    if t0 is None:
        t0 = ts
    delay = (ts - t0) / speed - (time.monotonic() - w0)
    if delay > 0:
        time.sleep(delay)
    s.send(frame)
