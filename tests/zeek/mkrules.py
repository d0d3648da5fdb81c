#!/usr/bin/env python3
"""Connections where Zeek's conn.log rules are subtle: a RST after a
completed FIN exchange (Zeek keeps SF: UpdateClosedState ignores it), a
RST that carries data (not stream data: Zeek's orig_bytes leaves it out),
a RST after only the client's FIN (RSTO), and data on a SYN (TCP Fast
Open) and on a FIN: Zeek's history adds D only for segments without
SYN/FIN/RST, so that connection is ShAFf with 7 bytes."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import Pcap  # noqa: E402

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
A, B = [10, 0, 0, 1], [10, 0, 0, 2]


def hs(p, sp, c, s):
    p.tcp(A, B, sp, 80, c, 0, SYN)
    p.tcp(B, A, 80, sp, s, c + 1, SYN | ACK)
    p.tcp(A, B, sp, 80, c + 1, s + 1, ACK)


p = Pcap(sys.argv[1])
hs(p, 1000, 100, 500)
p.tcp(A, B, 1000, 80, 101, 501, FIN | ACK)
p.tcp(B, A, 80, 1000, 501, 102, FIN | ACK)
p.tcp(A, B, 1000, 80, 102, 502, ACK)
p.tcp(A, B, 1000, 80, 102, 502, RST)
hs(p, 1001, 200, 600)
p.tcp(A, B, 1001, 80, 201, 601, PSH | ACK, b"GET")
p.tcp(A, B, 1001, 80, 204, 601, RST | ACK, b"rstdata!")
hs(p, 1002, 300, 700)
p.tcp(A, B, 1002, 80, 301, 701, FIN | ACK)
p.tcp(A, B, 1002, 80, 302, 701, RST)
p.tcp(A, B, 1003, 80, 400, 0, SYN, b"tfo!")
p.tcp(B, A, 80, 1003, 800, 405, SYN | ACK)
p.tcp(A, B, 1003, 80, 405, 801, ACK)
p.tcp(A, B, 1003, 80, 405, 801, FIN | ACK, b"bye")
p.tcp(B, A, 80, 1003, 801, 409, FIN | ACK)
p.tcp(A, B, 1003, 80, 409, 802, ACK)
p.close()
