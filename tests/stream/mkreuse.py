#!/usr/bin/env python3
"""Connections that test numbering under a filter: a client (10.0.0.1) and
a server (10.0.0.2:22) talk while another pair (10.0.0.3 -> 10.0.0.4:80)
opens, closes, and opens again on the same ports (port reuse: a new
Wireshark stream), then 10.0.0.1 connects once more."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import Pcap  # noqa: E402

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10


def conn(p, c, s, cp, sp, isn_c, isn_s, data=b"hello"):
    p.tcp(c, s, cp, sp, isn_c, 0, SYN)
    p.tcp(s, c, sp, cp, isn_s, isn_c + 1, SYN | ACK)
    p.tcp(c, s, cp, sp, isn_c + 1, isn_s + 1, ACK)
    p.tcp(c, s, cp, sp, isn_c + 1, isn_s + 1, PSH | ACK, data)
    p.tcp(s, c, sp, cp, isn_s + 1, isn_c + 1 + len(data), ACK)
    p.tcp(c, s, cp, sp, isn_c + 1 + len(data), isn_s + 1, FIN | ACK)
    p.tcp(s, c, sp, cp, isn_s + 1, isn_c + 2 + len(data), FIN | ACK)
    p.tcp(c, s, cp, sp, isn_c + 2 + len(data), isn_s + 2, ACK)


def main():
    a, b, x, y = [10, 0, 0, 1], [10, 0, 0, 2], [10, 0, 0, 3], [10, 0, 0, 4]
    p = Pcap(sys.argv[1])
    conn(p, a, b, 40000, 22, 1000, 5000)
    conn(p, x, y, 41000, 80, 2000, 6000)
    conn(p, x, y, 41000, 80, 2000, 7000)  # the same ports and ISN again: split by the close
    conn(p, a, b, 40001, 22, 3000, 8000)
    p.close()


main()
