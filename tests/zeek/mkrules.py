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
from pcapw import ACK, FIN, PSH, RST, SYN, Pcap  # noqa: E402

A, B = [10, 0, 0, 1], [10, 0, 0, 2]

p = Pcap(sys.argv[1])
p.handshake(A, B, 1000, 80, 100, 500)
p.tcp(A, B, 1000, 80, 101, 501, FIN | ACK)
p.tcp(B, A, 80, 1000, 501, 102, FIN | ACK)
p.tcp(A, B, 1000, 80, 102, 502, ACK)
p.tcp(A, B, 1000, 80, 102, 502, RST)
p.handshake(A, B, 1001, 80, 200, 600)
p.tcp(A, B, 1001, 80, 201, 601, PSH | ACK, b"GET")
p.tcp(A, B, 1001, 80, 204, 601, RST | ACK, b"rstdata!")
p.handshake(A, B, 1002, 80, 300, 700)
p.tcp(A, B, 1002, 80, 301, 701, FIN | ACK)
p.tcp(A, B, 1002, 80, 302, 701, RST)
p.tcp(A, B, 1003, 80, 400, 0, SYN, b"tfo!")
p.tcp(B, A, 80, 1003, 800, 405, SYN | ACK)
p.tcp(A, B, 1003, 80, 405, 801, ACK)
p.tcp(A, B, 1003, 80, 405, 801, FIN | ACK, b"bye")
p.tcp(B, A, 80, 1003, 801, 409, FIN | ACK)
p.tcp(A, B, 1003, 80, 409, 802, ACK)
p.close()
