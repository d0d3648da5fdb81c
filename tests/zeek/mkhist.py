#!/usr/bin/env python3
"""Connections for Zeek's history letters and content gaps, one rule each
(stream order; the expected values are in t_zeek_history.sh):
 0 SYN+FIN in one packet: Q, not S and F (update_history: two of SYN/FIN/RST)
 1 FIN+RST in one packet: I
 2 four RSTs from the client at relative 1, 2, 2, 3: R three times (the
   repeat at the same number adds none)
 3 a FIN, the same FIN again, then one carrying 4 bytes (so it ends
   elsewhere): F twice, and no T, its bytes reach past what was sent (Zeek's
   update_last_seq)
 4 SYN-ACK, RST, then a SYN-ACK with a new ISN from the server: h twice
 5 100 bytes of which the snaplen kept 10, ACKed: missed 90, G
 6 server data never captured, then its FIN; the client ACKs the FIN: the
   gap stops at the FIN (missed 500), g
 7 a hole filled by a later copy before the ACK: no gap (T: it reaches no
   further than what was sent)
 8 mid-stream (no handshake): an ACKed hole is no Zeek gap (partial)
 9 ten 10-byte holes in one window, one ACK over all: missed 100 and G twice
   (one Gap per hole: the 1st and the 10th), all tracked
10 a FIN advertising a zero window: W after F (update_window counts FINs,
   not RSTs)
11 1,030 10-byte holes in one window, one ACK over all: missed 10,300 and G
   four times (the 1st, 10th, 100th and 1,000th), past the 1,024 holes
   tracked (SD_TCPGAP_RANGES: the six lowest are counted early, and stderr
   says so)"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import ACK, FIN, PSH, RST, SYN, Pcap  # noqa: E402

A, B = [10, 0, 0, 1], [10, 0, 0, 2]

p = Pcap(sys.argv[1])
p.tcp(A, B, 2000, 80, 100, 0, SYN | FIN)                 # 0
p.tcp(B, A, 80, 2000, 0, 102, RST | ACK)
p.handshake(A, B, 2001, 80, 200, 600)                                    # 1
p.tcp(A, B, 2001, 80, 201, 601, FIN | RST | ACK)
p.handshake(A, B, 2002, 80, 300, 700)                                    # 2
p.tcp(A, B, 2002, 80, 301, 701, RST)
p.tcp(A, B, 2002, 80, 302, 0, RST)
p.tcp(A, B, 2002, 80, 302, 0, RST)
p.tcp(A, B, 2002, 80, 303, 0, RST)
p.handshake(A, B, 2003, 80, 400, 800)                                    # 3
p.tcp(A, B, 2003, 80, 401, 801, FIN | ACK)
p.tcp(A, B, 2003, 80, 401, 801, FIN | ACK)
p.tcp(A, B, 2003, 80, 401, 801, FIN | ACK, b"late")
p.tcp(A, B, 2004, 80, 500, 0, SYN)                       # 4
p.tcp(B, A, 80, 2004, 900, 501, SYN | ACK)
p.tcp(B, A, 80, 2004, 901, 0, RST)
p.tcp(B, A, 80, 2004, 5000, 501, SYN | ACK)
p.handshake(A, B, 2005, 80, 600, 1000)                                   # 5
p.cut(90)
p.tcp(A, B, 2005, 80, 601, 1001, PSH | ACK, b"x" * 100)
p.tcp(B, A, 80, 2005, 1001, 701, ACK)
p.handshake(A, B, 2006, 80, 700, 1100)                                   # 6
p.tcp(A, B, 2006, 80, 701, 1101, PSH | ACK, b"GET /")
p.tcp(B, A, 80, 2006, 1601, 706, FIN | ACK)
p.tcp(A, B, 2006, 80, 706, 1602, ACK)
p.handshake(A, B, 2007, 80, 800, 1200)                                   # 7
p.tcp(A, B, 2007, 80, 811, 1201, PSH | ACK, b"y" * 10)
p.tcp(A, B, 2007, 80, 801, 1201, PSH | ACK, b"x" * 10)
p.tcp(B, A, 80, 2007, 1201, 821, ACK)
p.tcp(A, B, 2008, 80, 900, 1300, PSH | ACK, b"z" * 10)   # 8
p.tcp(A, B, 2008, 80, 950, 1300, PSH | ACK, b"z" * 10)
p.tcp(B, A, 80, 2008, 1300, 960, ACK)
p.handshake(A, B, 2009, 80, 1000, 1400)                                  # 9
for i in range(10):
    p.tcp(A, B, 2009, 80, 1011 + 20 * i, 1401, PSH | ACK, b"w" * 10)
p.tcp(B, A, 80, 2009, 1401, 1201, ACK)
p.handshake(A, B, 2010, 80, 1100, 1500)                  # 10
p.tcp(A, B, 2010, 80, 1101, 1501, FIN | ACK, win=0)
p.tcp(A, B, 2010, 80, 1102, 1501, RST, win=0)
p.handshake(A, B, 2011, 80, 1000, 1400)                  # 11
for i in range(1030):
    p.tcp(A, B, 2011, 80, 1011 + 20 * i, 1401, PSH | ACK, b"v" * 10)
p.tcp(B, A, 80, 2011, 1401, 1001 + 20 * 1030, ACK)
p.close()
