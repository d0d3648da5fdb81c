#!/usr/bin/env python3
"""A SYN, then 30 RSTs from the client, each at another sequence number
(a reset flood walking the window, as blind RST injection does): Zeek adds
an R for each, 31 letters, past the 24 strider keeps. Usage: mkhistcap.py OUT"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap, SYN, RST  # noqa: E402

w = Pcap(sys.argv[1])
C, S = [10, 0, 0, 1], [10, 0, 0, 2]
w.tcp(C, S, 40000, 80, 1000, 0, SYN)
for i in range(30):
    w.tcp(C, S, 40000, 80, 1001 + 1000 * i, 0, RST)
w.close()
