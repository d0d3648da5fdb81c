"""Writes a rotated capture set (as tcpdump -G would) into DIR: files
rot_0.pcap .. rot_5.pcap, one per 20 s of capture time, with connections
that cross file (and so chunk) boundaries in every way the ownership rule
(src/flow/sd_own.h) must get right:
  - M: the capture starts in the middle of it (no SYN),
  - A: a long transfer from file 0 to file 4,
  - D: a SYN in file 0, its retransmission (same ISN) in file 1,
  - P: port reuse, a new SYN (new ISN) on A's ports after A's RST,
  - U: a UDP flow across three files,
  - I: idle for 40 s across two files, then mid-stream again (with
       --idle-timeout 30 one run ends it and starts another),
  - L: 70 s of silence in the middle (longer than a --read-ahead of 60 s),
  - R: one address/port pair reused by short sessions in files 0, 2, 3
       and 4, the one in file 3 opened from the other side (extract's
       file names count every reuse: "cN"),
  - many short connections in every file (stream numbers to offset);
    --many N adds N more (enough that the merge writes its output in
    pieces, in parallel: src/out/sd_merge_out.c).
usage: gen_rotated.py DIR [--many N]"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import Pcap  # noqa: E402

C, S, U2 = (10, 0, 0, 1), (10, 0, 0, 2), (10, 0, 0, 3)
SYN, ACK, PSH, FIN, RST = 0x02, 0x10, 0x08, 0x01, 0x04
T0 = 1700000000.0
out = sys.argv[1]
many = int(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[2] == "--many" else 0
events = []  # (time, kind, args)


def at(t, *pkt):
    events.append((T0 + t, len(events), pkt))


def handshake(t, sp, dp, isn_c, isn_s, src=C, dst=S):
    at(t, "tcp", src, dst, sp, dp, isn_c, 0, SYN)
    at(t + 0.01, "tcp", dst, src, dp, sp, isn_s, isn_c + 1, SYN | ACK)
    at(t + 0.02, "tcp", src, dst, sp, dp, isn_c + 1, isn_s + 1, ACK)


def data(t, sp, dp, seq_c, seq_s, payload, src=C, dst=S):
    at(t, "tcp", src, dst, sp, dp, seq_c, seq_s, PSH | ACK, payload)
    at(t + 0.01, "tcp", dst, src, dp, sp, seq_s, seq_c + len(payload), ACK)


# M: mid-stream at the start
for i in range(4):
    data(0.5 + i * 5, 40000, 22, 5000 + 10 * i, 9000, b"m" * 10)
# A: 0 s .. 85 s, then reset; P reuses its ports with a new ISN
handshake(1, 41000, 80, 100, 700)
for i in range(17):
    data(2 + i * 5, 41000, 80, 101 + 100 * i, 701, b"a" * 100)
at(87, "tcp", C, S, 41000, 80, 101 + 1700, 701, RST)
handshake(90, 41000, 80, 90000, 91000)
data(91, 41000, 80, 90001, 91001, b"p" * 50)
# D: SYN at 19.5 s (file 0), retransmitted at 21 s (file 1), answered
at(19.5, "tcp", C, S, 42000, 443, 3000, 0, SYN)
at(21, "tcp", C, S, 42000, 443, 3000, 0, SYN)
at(21.01, "tcp", S, C, 443, 42000, 4000, 3001, SYN | ACK)
at(21.02, "tcp", C, S, 42000, 443, 3001, 4001, ACK)
data(22, 42000, 443, 3001, 4001, b"d" * 20)
# U: UDP 5 s .. 55 s
for i in range(11):
    at(5 + i * 5, "udp", C, U2, 5353, 53, b"q%d" % i)
# I: active 10 .. 15 s, silent 40 s, back at 55 s with no SYN
handshake(10, 43000, 25, 500, 800)
data(15, 43000, 25, 501, 801, b"i" * 30)
data(55, 43000, 25, 531, 801, b"j" * 30)
# L: at 30 s, then 70 s of silence, then at 101 s
handshake(30, 44000, 8080, 7000, 8000)
data(31, 44000, 8080, 7001, 8001, b"l" * 40)
data(101, 44000, 8080, 7041, 8001, b"l" * 40)
# R: the same pair, closed by a reset each time, opened again later
for k, t in enumerate((6, 45, 65, 85)):
    a, b, pa, pb = (S, C, 9000, 46000) if t == 65 else (C, S, 46000, 9000)
    handshake(t, pa, pb, 60000 + k * 1000, 70000 + k * 1000, src=a, dst=b)
    data(t + 0.05, pa, pb, 60001 + k * 1000, 70001 + k * 1000, b"r" * 12, src=a, dst=b)
    data(t + 0.1, pb, pa, 70001 + k * 1000, 60013 + k * 1000, b"R" * 7, src=b, dst=a)
    at(t + 0.2, "tcp", a, b, pa, pb, 60013 + k * 1000, 70008 + k * 1000, RST)
# short connections all along
for k in range(24):
    t = 3 + k * 4.7
    handshake(t, 50000 + k, 80, 10 * k, 20 * k)
    data(t + 0.05, 50000 + k, 80, 10 * k + 1, 20 * k + 1, b"s" * 8)
    at(t + 0.1, "tcp", C, S, 50000 + k, 80, 10 * k + 9, 20 * k + 1, FIN | ACK)
    at(t + 0.11, "tcp", S, C, 80, 50000 + k, 20 * k + 1, 10 * k + 10, FIN | ACK)
    at(t + 0.12, "tcp", C, S, 50000 + k, 80, 10 * k + 10, 20 * k + 2, ACK)
# --many: short connections spread over the whole capture
for k in range(many):
    t = 0.2 + k * 108.0 / max(many, 1)
    sp, isn = 1024 + k, 100000 + 40 * k
    handshake(t, sp, 81, isn, isn + 7)
    data(t + 0.03, sp, 81, isn + 1, isn + 8, b"x" * 4)
    at(t + 0.05, "tcp", C, S, sp, 81, isn + 5, isn + 8, FIN | ACK)
    at(t + 0.06, "tcp", S, C, 81, sp, isn + 8, isn + 6, FIN | ACK)

events.sort()
files = {}
for t, _, pkt in events:
    n = int((t - T0) // 20)
    if n not in files:
        files[n] = Pcap(os.path.join(out, "rot_%d.pcap" % n), t0=t - 0.001)
    w = files[n]
    w.t = t - 0.001  # Pcap adds 1 ms a frame
    getattr(w, pkt[0])(*pkt[1:])
for w in files.values():
    w.close()
