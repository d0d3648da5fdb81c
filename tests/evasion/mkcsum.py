#!/usr/bin/env python3
"""Checksums as an insertion attack (Ptacek & Newsham 1998) and as capture
offload. Stream 0 (IPv4, right checksums): before the client's real
request "GET /real" an attacker's copy "GET /evil" at the same sequence
number with a wrong TCP checksum (the server's stack drops it), and later a
RST with a wrong checksum (dropped too: the connection goes on and closes
with FINs). Stream 1: the same exchange as a capture on the sending host
makes it, every TCP checksum left as Linux's CHECKSUM_PARTIAL leaves it
(the pseudo-header sum). Then IPv6 UDP: a query with a right checksum, one
with a wrong one, and the answer. Usage: mkcsum.py OUT"""
import os, struct, sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import ACK, FIN, PSH, RST, SYN, Pcap, osum  # noqa: E402


def l4(src, dst, proto, seg, at, how):
    """seg with its checksum at offset at: right, wrong or partial."""
    pseudo = bytes(src) + bytes(dst) + struct.pack("!IxxxB", len(seg), proto) if len(src) == 16 else \
        bytes(src) + bytes(dst) + struct.pack("!BBH", 0, proto, len(seg))
    if how == "partial":
        v = osum(pseudo)
    else:
        v = ~osum(pseudo + seg) & 0xFFFF
        if how == "bad":
            v ^= 0x5A5A
    return seg[:at] + struct.pack("!H", v) + seg[at + 2:]


def tcp(w, src, dst, sp, dp, seq, ack, flags, data=b"", how="good"):
    seg = l4(src, dst, 6, Pcap.tcp_hdr(sp, dp, seq, ack, flags) + data, 16, how)
    hdr = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), 0, 0, 64, 6, 0, bytes(src), bytes(dst)))
    hdr[10:12] = struct.pack("!H", ~osum(bytes(hdr)) & 0xFFFF)
    w.frame(0x0800, bytes(hdr) + seg)


def udp6(w, src, dst, sp, dp, data, how="good"):
    seg = l4(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data, 6, how)
    w.frame(0x86DD, struct.pack("!IHBB16s16s", 6 << 28, len(seg), 17, 64, bytes(src), bytes(dst)) + seg)


def conn(w, port, how):
    C, S = [10, 0, 0, 1], [10, 0, 0, 2]
    a, b = 1000, 5000
    req = b"GET /real HTTP/1.0\r\n\r\n"
    tcp(w, C, S, port, 80, a, 0, SYN, how=how)
    tcp(w, S, C, 80, port, b, a + 1, SYN | ACK, how=how)
    tcp(w, C, S, port, 80, a + 1, b + 1, ACK, how=how)
    if how == "good":  # the insertion: the server never sees it
        tcp(w, C, S, port, 80, a + 1, b + 1, PSH | ACK, b"GET /evil HTTP/1.0\r\n\r\n", how="bad")
    tcp(w, C, S, port, 80, a + 1, b + 1, PSH | ACK, req, how=how)
    tcp(w, S, C, 80, port, b + 1, a + 1 + len(req), PSH | ACK, b"HTTP/1.0 200 OK\r\n\r\nhello", how=how)
    if how == "good":  # a forged reset the client's stack drops
        tcp(w, S, C, 80, port, b + 25, 0, RST, how="bad")
    e = a + 1 + len(req)
    tcp(w, C, S, port, 80, e, b + 25, FIN | ACK, how=how)
    tcp(w, S, C, 80, port, b + 25, e + 1, FIN | ACK, how=how)
    tcp(w, C, S, port, 80, e + 1, b + 26, ACK, how=how)


w = Pcap(sys.argv[1])
conn(w, 40000, "good")
conn(w, 40001, "partial")
A6 = [0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0D, 0xB8] + [0] * 11 + [2]
udp6(w, A6, B6, 5353, 53, b"query-one")
udp6(w, A6, B6, 5353, 53, b"query-evil", how="bad")
udp6(w, B6, A6, 53, 5353, b"answer")
w.close()
