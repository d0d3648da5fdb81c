#!/usr/bin/env python3
"""Writes a pcap of one SSH connection whose banners carry terminal
attacks: OSC 0 (window title), CSI 2J (clear screen), OSC 52 (clipboard)
and an 8-bit CSI (0x9b), in the banners themselves.
Usage: mkbanner.py OUT"""
import struct, sys

f = open(sys.argv[1], "wb")
f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
t = [1700000000.0]


def pkt(src, dst, sp, dp, seq, ack, flags, data=b""):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), 0, 0, 64, 6, 0, bytes(src), bytes(dst))
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip + tcp + data
    t[0] += 0.001
    sec = int(t[0])
    f.write(struct.pack("<IIII", sec, int((t[0] - sec) * 1e6), len(frame), len(frame)) + frame)


C, S = [10, 0, 0, 1], [10, 0, 0, 2]
SBAN = b"SSH-2.0-OpenSSH_9.2\x1b]0;pwned\x07\x1b[2J\r\n"
CBAN = b"SSH-2.0-x\x1b]52;c;ZWNobyBoaQ==\x1b\\\x9b31m\r\n"
a, b = 1000, 5000
pkt(C, S, 40000, 22, a, 0, 2)
pkt(S, C, 22, 40000, b, a + 1, 18)
pkt(C, S, 40000, 22, a + 1, b + 1, 16)
pkt(S, C, 22, 40000, b + 1, a + 1, 24, SBAN)
pkt(C, S, 40000, 22, a + 1, b + 1 + len(SBAN), 24, CBAN)
pkt(C, S, 40000, 22, a + 1 + len(CBAN), b + 1 + len(SBAN), 17)
pkt(S, C, 22, 40000, b + 1 + len(SBAN), a + 2 + len(CBAN), 17)
pkt(C, S, 40000, 22, a + 2 + len(CBAN), b + 2 + len(SBAN), 16)
