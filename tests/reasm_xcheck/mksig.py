#!/usr/bin/python3
"""Writes a small capture for t_extract.sh: one TCP connection whose server
sends a PE (the "MZ" header, and the DOS-stub text split across two
segments), then an ELF header and a PowerShell -EncodedCommand line split
in the middle of the word."""
import sys
from scapy.all import Ether, IP, TCP, wrpcap

c, s = "10.1.1.1", "10.1.1.2"
cp, sp = 40000, 8080
pe = b"MZ" + b"\x90" * 76 + b"This program cannot be run in DOS mode.\r\r\n$" + b"\0" * 20
cut = 78 + 10  # splits the stub text after "This progr"
rest = b"\x7fELF\x02\x01\x01" + b"\0" * 9 + b"\npowershell -Enco" + b"dedCommand SQBFAFgA\n"
segs = [pe[:cut], pe[cut:], rest]
pk = []
def e(src, dst, spt, dpt, **kw):
    return Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02") / IP(src=src, dst=dst) / TCP(sport=spt, dport=dpt, **kw)
pk.append(e(c, s, cp, sp, flags="S", seq=1000))
pk.append(e(s, c, sp, cp, flags="SA", seq=5000, ack=1001))
pk.append(e(c, s, cp, sp, flags="A", seq=1001, ack=5001))
pk.append(e(c, s, cp, sp, flags="PA", seq=1001, ack=5001) / b"GET /x.exe HTTP/1.0\r\n\r\n")
off = 5001
for d in segs:
    pk.append(e(s, c, sp, cp, flags="PA", seq=off, ack=1024) / d)
    off += len(d)
pk.append(e(s, c, sp, cp, flags="FA", seq=off, ack=1024))
pk.append(e(c, s, cp, sp, flags="FA", seq=1024, ack=off + 1))
for i, p in enumerate(pk):
    p.time = 1700000000 + i * 0.001
wrpcap(sys.argv[1], pk)
