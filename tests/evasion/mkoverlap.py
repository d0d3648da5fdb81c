#!/usr/bin/env python3
"""Conflicting copies of bytes delivered long before, which a history
bounded by segment count (or by 64 KB) forgot. Usage: mkoverlap.py OUT

  port 42000: 1,100 one-byte segments "a".."z", all ACKed, then a copy of
              the first 10 bytes saying EVILEVIL!! (frame 1106).
  port 42001: 70,000 bytes in 1,400-byte segments, ACKed, then a copy of
              the first 1,400 bytes with "EVIL" at offset 100 (frame 55).
  port 42002: "GOOD" ACKed, then "EVIL" over it: the receiver had
              accepted GOOD, every policy keeps it.
  port 42003: "GOOD" at offset 4 held behind a hole, then "ZEVIL" at 3,
              then "xxx" fills the hole: the policy decides (first:
              xxxZGOOD; last, linux, windows, bsd: xxxZEVIL).
  port 42004: the same with "EVILXX" at 4 (same start, longer): first,
              windows, bsd: xxxGOODXX; last, linux: xxxEVILXX.
  port 42005: 3 x 1,000 bytes not yet ACKed, then the first 1,000 again
              with "EVIL" at 0, then the ACK: last takes EVIL, unless a
              memory cap (--stream-cap 2K) had to let the first copy out.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

w = Pcap(sys.argv[1])
C, S = [10, 0, 0, 1], [10, 0, 0, 2]
A, B = 1000, 5000


def hello(port):
    w.tcp(C, S, port, 80, A, 0, 2)
    w.tcp(S, C, 80, port, B, A + 1, 18)
    w.tcp(C, S, port, 80, A + 1, B + 1, 16)


def bye(port, n):
    w.tcp(C, S, port, 80, A + 1 + n, B + 1, 17)
    w.tcp(S, C, 80, port, B + 1, A + 2 + n, 17)
    w.tcp(C, S, port, 80, A + 2 + n, B + 2, 16)


def tiny(port):
    hello(port)
    n = 1100
    for i in range(n):
        w.tcp(C, S, port, 80, A + 1 + i, B + 1, 24, bytes([ord("a") + i % 26]))
    w.tcp(S, C, 80, port, B + 1, A + 1 + n, 16)
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, b"EVILEVIL!!")
    bye(port, n)


def far(port):
    hello(port)
    n, seg = 70000, 1400
    data = bytes((i * 7 + 3) % 251 for i in range(n))
    for o in range(0, n, seg):
        w.tcp(C, S, port, 80, A + 1 + o, B + 1, 24, data[o:o + seg])
    w.tcp(S, C, 80, port, B + 1, A + 1 + n, 16)
    bad = data[:100] + b"EVIL" + data[104:seg]
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, bad)
    bye(port, n)


def late(port):
    hello(port)
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, b"GOOD")
    w.tcp(S, C, 80, port, B + 1, A + 5, 16)
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, b"EVIL")
    bye(port, 4)


def held(port, second, start):
    hello(port)
    w.tcp(C, S, port, 80, A + 5, B + 1, 24, b"GOOD")
    w.tcp(C, S, port, 80, A + 1 + start, B + 1, 24, second)
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, b"xxx")
    n = start + len(second)
    w.tcp(S, C, 80, port, B + 1, A + 1 + n, 16)
    bye(port, n)


tiny(42000)
far(42001)
late(42002)
held(42003, b"ZEVIL", 3)
held(42004, b"EVILXX", 4)


def capped(port):
    hello(port)
    data = b"".join(bytes([ord("A") + k]) * 1000 for k in range(3))
    for o in range(0, 3000, 1000):
        w.tcp(C, S, port, 80, A + 1 + o, B + 1, 24, data[o:o + 1000])
    w.tcp(C, S, port, 80, A + 1, B + 1, 24, b"EVIL" + data[4:1000])
    w.tcp(S, C, 80, port, B + 1, A + 3001, 16)
    bye(port, 3000)


capped(42005)
w.close()
