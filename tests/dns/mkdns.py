#!/usr/bin/env python3
"""Writes tests/out/dns_crafted.pcap: DNS traffic with each indicator
strider looks for, DNS over TCP, and hostile messages.

  * 10.0.0.5 asks flux.example.net 12 times; every answer is another
    address with a TTL of 5 s (fast flux, very low TTL);
  * 10.0.0.9 asks 14 random-looking names (16-20 characters) answered
    NXDOMAIN and one normal name answered (a DGA client);
  * 10.0.0.6 gets 20 addresses in one answer (round robin: no flux; the
    4 past the 16 decoded are counted on stderr);
  * 10.0.0.7 asks a name with a 60-character label (a tunnel);
  * 10.0.0.8 asks over TCP: a query split over two segments, two answers
    in one segment (RFC 1035 4.2.2 length prefixes), each answer pointing
    to the question name with a compression pointer;
  * hostile responses from 10.0.0.66: a compression pointer loop, a
    pointer pointing forward, an answer count of 65535 with one record, a
    record whose data runs past the message, a 64-byte label, a name of
    over 255 bytes, 3 bytes. (Pointer chains past the hop limit: the unit
    test.) tshark decodes the valid transactions; the hostile
    ones must not crash strider or produce a bad record.
Usage: mkdns.py OUT.pcap"""
import random
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from pcapw import Pcap  # noqa: E402

SRV = [10, 0, 0, 53]


def name(n):
    out = b""
    for lab in n.split("."):
        out += bytes([len(lab)]) + lab.encode()
    return out + b"\0"


def msg(tid, qname, qtype=1, resp=False, rcode=0, answers=(), ancount=None):
    flags = (0x8180 if resp else 0x0100) | rcode
    an = len(answers) if ancount is None else ancount
    body = struct.pack("!HHHHHH", tid, flags, 1, an, 0, 0) + name(qname) + struct.pack("!HH", qtype, 1)
    for typ, ttl, data in answers:
        body += b"\xc0\x0c" + struct.pack("!HHIH", typ, 1, ttl, len(data)) + data
    return body


def udp_pair(p, cli, sport, tid, qname, **kw):
    p.udp(cli, SRV, sport, 53, msg(tid, qname, kw.get("qtype", 1)))
    p.udp(SRV, cli, 53, sport, msg(tid, qname, kw.get("qtype", 1), resp=True, rcode=kw.get("rcode", 0),
                                  answers=kw.get("answers", ())))


def hostile(p):
    cli, srv = [10, 0, 0, 65], [10, 0, 0, 66]
    hdr = struct.pack("!HHHHHH", 0x6666, 0x8180, 1, 1, 0, 0)
    loop = hdr + b"\xc0\x0c" + struct.pack("!HH", 1, 1)          # the question points at itself
    fwd = hdr + b"\xc0\x20" + struct.pack("!HH", 1, 1) + b"\0" * 20  # a pointer forward
    many = msg(0x6667, "a.example", resp=True, answers=[(1, 60, bytes([1, 2, 3, 4]))], ancount=65535)
    past = struct.pack("!HHHHHH", 0x6668, 0x8180, 1, 1, 0, 0) + name("b.example") + struct.pack("!HH", 1, 1) + \
        b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 400) + b"\1\2\3\4"  # rdlength 400, 4 bytes
    label64 = struct.pack("!HHHHHH", 0x6669, 0x8180, 1, 0, 0, 0) + b"\x40" + b"x" * 64 + b"\0\0\1\0\1"
    long_name = struct.pack("!HHHHHH", 0x666a, 0x0100, 1, 0, 0, 0) + b"".join(
        b"\x3f" + b"y" * 63 for _ in range(5)) + b"\0\0\1\0\1"
    for i, m in enumerate([loop, fwd, many, past, label64, long_name, b"\x12\x34\x81"]):
        p.udp(srv, cli, 53, 40000 + i, m)


def tcp_dns(p):
    cli = [10, 0, 0, 8]
    sp, cs, ss = 45000, 1000, 9000
    p.tcp(cli, SRV, sp, 53, cs, 0, 0x02)
    p.tcp(SRV, cli, 53, sp, ss, cs + 1, 0x12)
    p.tcp(cli, SRV, sp, 53, cs + 1, ss + 1, 0x10)
    q1, q2 = msg(0x1111, "tcp.example.org"), msg(0x2222, "tcp2.example.org", qtype=28)
    data = struct.pack("!H", len(q1)) + q1 + struct.pack("!H", len(q2)) + q2
    cut = 7
    p.tcp(cli, SRV, sp, 53, cs + 1, ss + 1, 0x18, data[:cut])
    p.tcp(cli, SRV, sp, 53, cs + 1 + cut, ss + 1, 0x18, data[cut:])
    cs += 1 + len(data)
    r1 = msg(0x1111, "tcp.example.org", resp=True, answers=[(1, 300, bytes([192, 0, 2, 1]))])
    r2 = msg(0x2222, "tcp2.example.org", qtype=28, resp=True, answers=[(28, 600, bytes(range(16)))])
    out = struct.pack("!H", len(r1)) + r1 + struct.pack("!H", len(r2)) + r2
    p.tcp(SRV, cli, 53, sp, ss + 1, cs, 0x18, out)
    ss += 1 + len(out)
    p.tcp(cli, SRV, sp, 53, cs, ss, 0x11)
    p.tcp(SRV, cli, 53, sp, ss, cs + 1, 0x11)
    p.tcp(cli, SRV, sp, 53, cs + 1, ss + 1, 0x10)


def main():
    rnd = random.Random(7)
    p = Pcap(sys.argv[1])
    flux = [10, 0, 0, 5]
    for i in range(12):
        udp_pair(p, flux, 30000 + i, 0x100 + i, "flux.example.net",
                 answers=[(1, 5, bytes([198, 51, 100, 10 + i]))])
        p.wait(2)
    dga = [10, 0, 0, 9]
    for i in range(14):
        lab = "".join(rnd.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(16 + i % 5))
        udp_pair(p, dga, 31000 + i, 0x200 + i, lab + ".com", rcode=3)
    udp_pair(p, dga, 31100, 0x2ff, "www.example.com", answers=[(1, 3600, bytes([93, 184, 216, 34]))])
    rr = [10, 0, 0, 6]  # one answer of 20 addresses: a round-robin set (not flux), 4 past the 16 decoded
    udp_pair(p, rr, 33000, 0x400, "rr.example.org", answers=[(1, 300, bytes([203, 0, 113, i])) for i in range(20)])
    tun = [10, 0, 0, 7]
    udp_pair(p, tun, 32000, 0x300, "a" * 30 + "b" * 30 + ".t.example.org", qtype=16)
    tcp_dns(p)
    hostile(p)
    p.close()


if __name__ == "__main__":
    main()
