#!/usr/bin/env python3
"""Two connections whose server advertises a 256-byte window. In the
first, the client's data includes one segment 100,000 bytes beyond the
window carrying INJECTED, which the server never ACKs (RFC 9293: not
acceptable). In the second the capture lost 100,000 bytes: a segment as
far ahead that the server then ACKs (accepted, kept). Usage: mkoow.py OUT"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

w = Pcap(sys.argv[1])
C, S = [10, 0, 0, 1], [10, 0, 0, 2]


def conn(port, acked):
    a, b = 1000, 5000
    w.tcp(C, S, port, 80, a, 0, 2)
    w.tcp(S, C, 80, port, b, a + 1, 18, win=256)
    w.tcp(C, S, port, 80, a + 1, b + 1, 16)
    w.tcp(C, S, port, 80, a + 1, b + 1, 24, b"GET / HTTP/1.0\r\n\r\n")
    w.tcp(C, S, port, 80, a + 100001, b + 1, 24, b"INJECTED" if not acked else b"LATEDATA")
    end = a + 100009 if acked else a + 19
    w.tcp(S, C, 80, port, b + 1, end, 24, b"HTTP/1.0 200 OK\r\n\r\nhello", win=256)
    w.tcp(C, S, port, 80, end, b + 25, 17)
    w.tcp(S, C, 80, port, b + 25, end + 1, 17, win=256)
    w.tcp(C, S, port, 80, end + 1, b + 26, 16)


conn(40000, acked=False)
conn(40001, acked=True)
w.close()
