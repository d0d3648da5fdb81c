#!/usr/bin/env python3
"""Writes a pcap of SSH version grabbing: one scanner (10.9.9.9) opens
connections to SERVERS servers (REPEAT times each), reads the banner, sends
its own and closes; and one administrator (10.1.1.1) who opens 3 connections
to one server and stops at the key exchange (too few to be a scan).
Usage: mkscan.py OUT SERVERS REPEAT"""
import struct, sys

out, nserv, repeat = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
f = open(out, "wb")
f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
t = [1700000000.0]


def pkt(src, dst, sp, dp, seq, ack, flags, data=b""):
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), 0, 0, 64, 6, 0, bytes(src), bytes(dst))
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0)
    frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip + tcp + data
    t[0] += 0.001
    sec = int(t[0])
    f.write(struct.pack("<IIII", sec, int((t[0] - sec) * 1e6), len(frame), len(frame)) + frame)


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
