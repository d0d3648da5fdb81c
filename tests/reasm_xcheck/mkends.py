#!/usr/bin/python3
"""Writes a capture for t_extract_stream.sh: N short TCP sessions (request,
reply, FIN both ways), one every 100 s of capture time, so that each one
has ended (closed, then the 30 s linger) when the next one starts."""
import sys
from scapy.all import Ether, IP, TCP, wrpcap

n = int(sys.argv[2]) if len(sys.argv) > 2 else 4
pk = []
for i in range(n):
    c, s, cp, sp = "10.2.0.1", "10.2.0.2", 41000 + i, 80
    def e(src, dst, spt, dpt, **kw):
        return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=src, dst=dst) / TCP(sport=spt, dport=dpt, **kw)
    req = b"GET /%d HTTP/1.0\r\n\r\n" % i
    rsp = b"HTTP/1.0 200 OK\r\n\r\nsession %d\n" % i
    seq = [e(c, s, cp, sp, flags="S", seq=1000),
           e(s, c, sp, cp, flags="SA", seq=5000, ack=1001),
           e(c, s, cp, sp, flags="A", seq=1001, ack=5001),
           e(c, s, cp, sp, flags="PA", seq=1001, ack=5001) / req,
           e(s, c, sp, cp, flags="PA", seq=5001, ack=1001 + len(req)) / rsp,
           e(s, c, sp, cp, flags="FA", seq=5001 + len(rsp), ack=1001 + len(req)),
           e(c, s, cp, sp, flags="FA", seq=1001 + len(req), ack=5002 + len(rsp)),
           e(s, c, sp, cp, flags="A", seq=5002 + len(rsp), ack=1002 + len(req))]
    for j, p in enumerate(seq):
        p.time = 1700000000 + 100 * i + j * 0.001
    pk += seq
wrpcap(sys.argv[1], pk)
