"""Crafted capture for `strider summary`: clients with a constant source
port (10.0.0.1), incremental ports and ISNs (10.0.0.2), random ones
(10.0.0.3), a constant ISN (10.0.0.4), too few connections (10.0.0.5), a
connection joined mid-stream; 10.0.0.3 downloads a PE (its DOS stub split
over two segments) from 198.51.100.9, uploads an ELF to 203.0.113.5 two
seconds later, connects again 120 s later, and is pinged.
Usage: mkhosts.py OUT.pcap"""
import random
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from pcapw import Pcap  # noqa: E402

SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def ip4(s):
    return [int(x) for x in s.split(".")]


def conn(p, c, s, sp, dp, isn, up=(), down=()):
    """A whole TCP connection: handshake, the client's segments (up), the
    server's (down), FIN both ways."""
    c, s = ip4(c), ip4(s)
    sisn = 0x50000000
    p.tcp(c, s, sp, dp, isn, 0, SYN)
    p.tcp(s, c, dp, sp, sisn, isn + 1, SYN | ACK)
    cs, ss = isn + 1, sisn + 1
    p.tcp(c, s, sp, dp, cs, ss, ACK)
    for d in up:
        p.tcp(c, s, sp, dp, cs, ss, ACK | PSH, d)
        cs += len(d)
        p.tcp(s, c, dp, sp, ss, cs, ACK)
    for d in down:
        p.tcp(s, c, dp, sp, ss, cs, ACK | PSH, d)
        ss += len(d)
        p.tcp(c, s, sp, dp, cs, ss, ACK)
    p.tcp(c, s, sp, dp, cs, ss, FIN | ACK)
    p.tcp(s, c, dp, sp, ss, cs + 1, FIN | ACK)
    p.tcp(c, s, sp, dp, cs + 1, ss + 1, ACK)


def main():
    rnd = random.Random(17)
    p = Pcap(sys.argv[1])
    for i in range(6):  # a tool: the same source port every time
        conn(p, "10.0.0.1", "192.0.2.%d" % (10 + i), 4444, 80, rnd.getrandbits(32))
    for i in range(6):  # an old stack: ports +1, ISNs +64000
        conn(p, "10.0.0.2", "192.0.2.20", 50000 + i, 80, 1000000 + 64000 * i)
    for i in range(4):  # crafted SYNs: one ISN
        conn(p, "10.0.0.4", "192.0.2.30", rnd.randrange(1024, 65536), 22, 0x12345678)
    for i in range(2):  # too few to tell
        conn(p, "10.0.0.5", "192.0.2.40", 40000 + i, 443, rnd.getrandbits(32))
    # 10.0.0.3: random ports and ISNs; a PE download, an ELF upload soon
    # after, and a connection two minutes later
    stub = b"MZ" + b"\x90" * 76 + b"This program cannot be run in DOS mode.\r\n" + b"\x00" * 200
    http = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(stub)
    p.udp(ip4("10.0.0.3"), ip4("192.0.2.53"), 53001, 53, b"\x12\x34" + b"\x00" * 10)
    conn(p, "10.0.0.3", "198.51.100.9", 49152 + rnd.randrange(9000), 80, rnd.getrandbits(32),
         up=[b"GET /a.exe HTTP/1.1\r\nHost: x\r\n\r\n"], down=[http + stub[:100], stub[100:]])
    p.ip(ip4("198.51.100.9"), ip4("10.0.0.3"), 1, b"\x08\x00\x00\x00\x00\x01\x00\x01")
    p.wait(2)
    elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + bytes(rnd.getrandbits(8) for _ in range(19000))
    conn(p, "10.0.0.3", "203.0.113.5", 49152 + rnd.randrange(9000), 8080, rnd.getrandbits(32),
         up=[elf[i:i + 1400] for i in range(0, len(elf), 1400)], down=[b"OK"])
    conn(p, "10.0.0.3", "192.0.2.20", 49152 + rnd.randrange(9000), 80, rnd.getrandbits(32))
    p.wait(120)
    conn(p, "10.0.0.3", "198.51.100.9", 49152 + rnd.randrange(9000), 443, rnd.getrandbits(32))
    # joined mid-stream: data with no handshake
    p.tcp(ip4("10.0.0.6"), ip4("192.0.2.50"), 33000, 80, 777, 888, ACK | PSH, b"hello")
    p.tcp(ip4("192.0.2.50"), ip4("10.0.0.6"), 80, 33000, 888, 782, ACK)
    p.close()


if __name__ == "__main__":
    main()
