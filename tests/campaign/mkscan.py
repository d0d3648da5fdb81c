#!/usr/bin/env python3
"""Writes a pcap of SSH version grabbing: one scanner (10.9.9.9) opens
connections to SERVERS servers (REPEAT times each), reads the banner, sends
its own and closes; and one administrator (10.1.1.1) who opens 3 connections
to one server and stops at the key exchange (too few to be a scan).
Usage: mkscan.py OUT SERVERS REPEAT"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

out, nserv, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
w = Pcap(out)
pkt = w.tcp


SYN, ACK, PSH, FIN = 2, 16, 8, 1
SBAN = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"
CBAN = b"SSH-2.0-Go\r\n"


def grab(cli, srv, sp):
    a, b = 1000, 5000
    pkt(cli, srv, sp, 22, a, 0, SYN)
    pkt(srv, cli, 22, sp, b, a + 1, SYN | ACK)
    pkt(cli, srv, sp, 22, a + 1, b + 1, ACK)
    pkt(srv, cli, 22, sp, b + 1, a + 1, PSH | ACK, SBAN)
    pkt(cli, srv, sp, 22, a + 1, b + 1 + len(SBAN), PSH | ACK, CBAN)
    pkt(cli, srv, sp, 22, a + 1 + len(CBAN), b + 1 + len(SBAN), FIN | ACK)
    pkt(srv, cli, 22, sp, b + 1 + len(SBAN), a + 2 + len(CBAN), FIN | ACK)
    pkt(cli, srv, sp, 22, a + 2 + len(CBAN), b + 2 + len(SBAN), ACK)


port = 40000
for r in range(repeat):
    for s in range(nserv):
        grab([10, 9, 9, 9], [192, 168, 7, 1 + s], port)
        port += 1
for i in range(3):
    grab([10, 1, 1, 1], [192, 168, 7, 1], 50000 + i)
w.close()
