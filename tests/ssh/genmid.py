#!/usr/bin/env python3
"""genmid.py DIR: crafted connections the capture joined mid-stream (no
SYN), for tests/ssh/t_midstream.sh. Each is one file DIR/NAME.pcap:

  rand22     encrypted-looking keystroke records (36 bytes each way, a
             person's pace) on port 22: a session already open, claimed
  rand8080   the same bytes on port 8080: no SSH port, not claimed
  synrand22  the same bytes on port 22 after a SYN handshake: the start
             was seen and shows no banner, not claimed
  http22     an HTTP request and reply on port 22: cleartext, not claimed
  tls22      TLS application-data records on port 22: not claimed
  zeros22    a binary protocol (mostly zeros) on port 22: not claimed
  short22    three keystroke records each way on port 22: too few bytes
             to tell, not claimed

genmid.py --fuzz-seed FILE: rand22's records in fuzz/fuzz_ssh.c's input
format, midstream_ok set (fuzz/seeds/fuzz_ssh/midstream_rand22)."""
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

PSH, ACK, SYN = 8, 16, 2
C, S = [10, 30, 0, 1], [10, 30, 0, 2]


def session(path, sport, dport, recs, syn=False):
    """recs: (from_client, bytes) in order, one segment each."""
    w = Pcap(path)
    cs, ss = 1000, 5000
    if syn:
        w.handshake(C, S, sport, dport, cs - 1, ss - 1)
    for from_c, data in recs:
        w.wait(0.2 if from_c else 0.002)
        if from_c:
            w.tcp(C, S, sport, dport, cs, ss, PSH | ACK, data)
            cs += len(data)
        else:
            w.tcp(S, C, dport, sport, ss, cs, PSH | ACK, data)
            ss += len(data)
    w.close()


def keys(rng, n):
    out = []
    for _ in range(n):
        out.append((True, bytes(rng.getrandbits(8) for _ in range(36))))
        out.append((False, bytes(rng.getrandbits(8) for _ in range(36))))
    return out


def fuzz_seed(path, recs):
    seed = bytearray([4])  # client hint 0, midstream_ok
    for from_c, data in recs:
        d = 0 if from_c else 1
        seed.append(((len(data) - 1) << 1) | d)  # feed (at most 127 bytes)
        seed += data
        seed += bytes([0xFE, (len(data) << 1) | d])  # its segment
    with open(path, "wb") as f:
        f.write(seed)


def main():
    if sys.argv[1] == "--fuzz-seed":
        fuzz_seed(sys.argv[2], keys(random.Random(7), 20))
        return
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    rng = random.Random(7)
    k = keys(rng, 20)
    session(os.path.join(d, "rand22.pcap"), 50022, 22, k)
    session(os.path.join(d, "rand8080.pcap"), 50022, 8080, k)
    session(os.path.join(d, "synrand22.pcap"), 50022, 22, k, syn=True)
    session(os.path.join(d, "short22.pcap"), 50022, 22, k[:6])
    req = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n"
    rep = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 300\r\n\r\n" + b"<p>hello</p>\n" * 23
    session(os.path.join(d, "http22.pcap"), 50022, 22, [(True, req), (False, rep)] * 4)
    tls = []
    for from_c, data in k:
        tls.append((from_c, bytes([23, 3, 3, 0, len(data)]) + data))
    session(os.path.join(d, "tls22.pcap"), 50022, 22, tls)
    z = []
    for i in range(20):
        z.append((True, bytes(30) + bytes([i, 1, 0, 0, 0, 8])))
        z.append((False, bytes(32) + bytes([i, 2, 0, 0])))
    session(os.path.join(d, "zeros22.pcap"), 50022, 22, z)


main()
