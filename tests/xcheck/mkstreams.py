#!/usr/bin/env python3
"""Captures where strider ends a connection and Wireshark keeps one stream,
or the reverse, each between other connections so a wrong number shifts
the rest: a SYN retried after a RST (same ISN), a SYN with the same ISN
after a FIN close, a new ISN after a close (a new stream), a stray ACK
after the closed connection lingered out (30 s), a UDP pair silent past
its idle timeout (120 s), a connection joined mid-stream and then opened
again with a SYN. Usage: mkstreams.py DIR (writes DIR/streams-*.pcap)."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import Pcap  # noqa: E402

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
A, B, C, D = [10, 1, 0, 1], [10, 1, 0, 2], [10, 1, 0, 3], [10, 1, 0, 4]


def other(p, port):
    p.tcp(C, D, port, 443, 7000, 0, SYN)
    p.tcp(D, C, 443, port, 8000, 7001, SYN | ACK)
    p.tcp(C, D, port, 443, 7001, 8001, ACK)


def closed(p, isn_c, isn_s, sp=5000):
    p.tcp(A, B, sp, 22, isn_c, 0, SYN)
    p.tcp(B, A, 22, sp, isn_s, isn_c + 1, SYN | ACK)
    p.tcp(A, B, sp, 22, isn_c + 1, isn_s + 1, ACK)
    p.tcp(A, B, sp, 22, isn_c + 1, isn_s + 1, FIN | ACK)
    p.tcp(B, A, 22, sp, isn_s + 1, isn_c + 2, FIN | ACK)
    p.tcp(A, B, sp, 22, isn_c + 2, isn_s + 2, ACK)


def main():
    out = sys.argv[1]
    p = Pcap(os.path.join(out, "streams-rst-retry.pcap"))
    other(p, 6000)
    for _ in range(3):  # refused, retried with the same ISN
        p.tcp(A, B, 5000, 22, 100, 0, SYN)
        p.tcp(B, A, 22, 5000, 0, 101, RST | ACK)
    other(p, 6001)
    p.close()
    p = Pcap(os.path.join(out, "streams-same-isn.pcap"))
    closed(p, 100, 900)
    other(p, 6000)
    closed(p, 100, 950)  # the same client ISN: Wireshark goes on
    closed(p, 500, 990)  # another ISN: a new stream
    other(p, 6001)
    p.close()
    p = Pcap(os.path.join(out, "streams-linger.pcap"))
    closed(p, 100, 900)
    other(p, 6000)
    p.wait(60)
    p.tcp(A, B, 5000, 22, 102, 902, ACK)  # a stray ACK after the linger
    other(p, 6001)
    p.close()
    p = Pcap(os.path.join(out, "streams-udp-idle.pcap"))
    p.udp(A, B, 5353, 53, b"q1")
    other(p, 6000)
    p.wait(300)
    p.udp(A, B, 5353, 53, b"q2")
    p.udp(C, D, 5353, 53, b"q3")
    p.close()
    p = Pcap(os.path.join(out, "streams-midstream.pcap"))
    p.tcp(A, B, 5000, 22, 4000, 9000, PSH | ACK, b"late")
    p.tcp(B, A, 22, 5000, 9000, 4004, ACK)
    other(p, 6000)
    p.tcp(A, B, 5000, 22, 100, 0, SYN)  # a fresh open on the same ports
    p.tcp(B, A, 22, 5000, 900, 101, SYN | ACK)
    other(p, 6001)
    p.close()


main()
