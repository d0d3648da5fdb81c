#!/usr/bin/env python3
"""Writes a pcap of one SSH connection whose banners carry terminal
attacks: OSC 0 (window title), CSI 2J (clear screen), OSC 52 (clipboard)
and an 8-bit CSI (0x9b), in the banners themselves.
Usage: mkbanner.py OUT"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

w = Pcap(sys.argv[1])
pkt = w.tcp

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
w.close()
