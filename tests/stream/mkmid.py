#!/usr/bin/env python3
"""Connections joined mid-stream: the SSH server (port 22) speaks first;
port 7777 is seen answering a SYN, then a connection to it is joined
mid-stream from its side; two ephemeral ports (nothing to go by); and a
SYN-ACK seen first."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import Pcap  # noqa: E402

SYN, PSH, ACK = 0x02, 0x08, 0x10
C, S = [10, 0, 0, 1], [10, 0, 0, 2]
p = Pcap(sys.argv[1])
p.tcp(S, C, 22, 50000, 9000, 4000, PSH | ACK, b"x" * 48)
p.tcp(C, S, 50000, 22, 4000, 9048, ACK)
p.tcp(C, S, 50001, 7777, 100, 0, SYN)
p.tcp(S, C, 7777, 50001, 500, 101, SYN | ACK)
p.tcp(C, S, 50001, 7777, 101, 501, ACK)
p.tcp(S, C, 7777, 50002, 800, 300, PSH | ACK, b"y" * 10)
p.tcp(C, S, 50002, 7777, 300, 810, ACK)
p.tcp(S, C, 40000, 50003, 1, 1, PSH | ACK, b"z")
p.tcp(S, C, 443, 50004, 70, 11, SYN | ACK)
p.close()
