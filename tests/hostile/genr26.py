#!/usr/bin/env python3
"""Hostile classes, round 26, written at test time: `genr26.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(fd00::1 -> fd00::2 over IPv6) unless said. tests/hostile/t_round26.sh
checks what each docstring says must hold. Classes no round had (checked
by grepping genr*.py and the rounds' header comments): a FIN a connected
receiver drops for the segment's other flags (no ACK, or a SYN with it);
one 4-tuple reused by 1,000 whole SSH sessions; the loopback link types
(DLT_NULL in either byte order with the AF values of every BSD, DLT_LOOP,
LINKTYPE_IPV4); packet_length 0, 1, 4, 5, 7, 2^32-1 and 300,000 as the
first binary packet; an SSH-1.99 server banner."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, NEWKEYS, PSH, SYN, Conn  # noqa: E402
from genfmt import BAN_C, BAN_S, KEX, kexinit, pcap  # noqa: E402
from genr16 import mid_keys, rnd, write  # noqa: E402
from genr24 import KEYS, rest, session  # noqa: E402

URG = 0x20


# -- (a) FINs a connected receiver drops for their other flags ----------------

def fin_flags():
    """After KEYS keystrokes each session gets one segment with a FIN that
    its receiver drops: RFC 9293 3.10.7.4 checks the SYN bit (fourth: a
    challenge ACK, the segment dropped) and the ACK bit (fifth: off, the
    segment dropped) before it reads the FIN (eighth), in every
    synchronized state, as Linux does (tcp_validate_incoming; `if
    (!th->ack && !th->rst && !th->syn) goto discard`). Client port 49601:
    a bare FIN (a FIN scan's, an injector's); 49602: FIN|PSH|URG (nmap's
    Xmas); 49603: SYN|FIN|ACK at the next number; 49604: a FIN with no
    ACK carrying 36 bytes of the attacker's at the next number, then the
    real keystroke's record there; 49605: the server's bare FIN. Then KEYS
    more keystrokes each way and the close. Must hold: each `SF` with
    history ShAdDaFf (no second F: the real close is the only one), 6
    records each way, no `data_after_close`; stderr says the 5 FINs and
    the frame of the first; `packets` marks the bare FIN untaken (main:
    the FIN taken as the close: `data_after_close` on the rest, history
    ShAdDaFFf; 49603's SYN|FIN read as two numbers, a 7th record)."""
    f = []
    cases = ((49601, True, FIN, b""), (49602, True, FIN | PSH | URG, b""), (49603, True, SYN | FIN | ACK, b""),
             (49604, True, FIN | PSH, rnd(36)), (49605, False, FIN, b""))
    for k, (sp, c2s, flags, data) in enumerate(cases):
        c = session(sp, t=1700000000.0 + 10 * k)
        cs, ss = c.seq
        c.pkt(c2s, cs if c2s else ss, 0 if not flags & ACK else (ss if c2s else cs), flags, data)
        f += rest(c)
    return write(f)


def rst_noack():
    """The honest counterpart: a RST with no ACK at the client's next
    number (RFC 9293 checks the RST bit second, before the ACK bit: taken),
    client port 49606. Must hold: `RSTO`, the RST the close."""
    c = session(49606, t=1700000100.0)
    cs, _ = c.seq
    c.pkt(True, cs, 0, 0x04)
    return write(c.frames)


# -- (b) one 4-tuple reused by 1,000 sessions ---------------------------------

REUSES = 1000


def reuse_1000():
    """Client port 49610, REUSES whole SSH sessions one after another, each
    10 ms after the last one's close (inside TIME_WAIT: a server takes the
    SYN because its ISN is higher than the last session's, RFC 6191), the
    ISN 300,000 higher each time. Must hold: REUSES connections, each SF,
    each with both HASSHes and 1 record each way; memory the same as for
    one session (no table or history growing with the reuses)."""
    f, t = [], 1700000200.0
    for i in range(REUSES):
        c = Conn(49610, cs=(1000 + i * 300000) & 0xFFFFFFFF, ss=(7000 + i * 977) & 0xFFFFFFFF)
        c.t = t
        genmain.to_keys(c, mid_keys, 1)
        c.close()
        t = c.t + 0.01
        f += c.frames
    return write(f)


# -- (c) loopback link types ---------------------------------------------------

def loop_recs(frames, hdr):
    """Classic pcap records of Ethernet frames with the Ethernet header
    replaced by hdr(frame's IP version)."""
    out = []
    for t, x in frames:
        y = hdr(x[14] >> 4) + x[14:]
        us = round(t * 1e6)
        out.append((us // 10**6, us % 10**6, len(y), len(y), y))
    return out


def loop_sessions(port):
    """An IPv4 session on port, an IPv6 one on port + 1, one after the other."""
    return rest(session(port, t=1700003000.0)) + rest(session(port + 1, v6=True, t=1700003010.0))


def link_null_be():
    """DLT_NULL (0) written on a big-endian host: the family in network
    order, AF_INET 2 and FreeBSD's AF_INET6 28. Client ports 49620 (IPv4)
    and 49621 (IPv6). Must hold: both read, both HASSHes, 6 records each
    way, as tshark."""
    return pcap([], link=0, recs=loop_recs(loop_sessions(49620), lambda v: struct.pack(">I", 2 if v == 4 else 28)))


def link_null_le():
    """DLT_NULL on a little-endian host, AF_INET 2 and OpenBSD/NetBSD's
    AF_INET6 24 (ports 49622, 49623); must hold as link_null_be."""
    return pcap([], link=0, recs=loop_recs(loop_sessions(49622), lambda v: struct.pack("<I", 2 if v == 4 else 24)))


def link_loop():
    """DLT_LOOP (108, OpenBSD: the family always in network order),
    AF_INET 2 and macOS's AF_INET6 30 (ports 49624, 49625); as above."""
    return pcap([], link=108, recs=loop_recs(loop_sessions(49624), lambda v: struct.pack(">I", 2 if v == 4 else 30)))


def link_ipv4():
    """LINKTYPE_IPV4 (228): bare IPv4 datagrams (port 49626 only: IPv6
    has its own type, round 14's 229); as above."""
    return pcap([], link=228, recs=loop_recs(rest(session(49626, t=1700003000.0)), lambda v: b""))


# -- (d) packet lengths no receiver takes ----------------------------------------

PLENS = (0, 1, 4, 5, 7, 0xFFFFFFFF, 300000)


def plen_first():
    """The client's first binary packet after its banner with each
    packet_length of PLENS (client ports 49630...), 4 bytes of padding
    length and 16 zeros, then the close: OpenSSH's ssh_packet_read_poll2
    ends the connection at each (below 5, above 256 KiB: "Bad packet
    length"; 4 + length not a multiple of 8: "padding error"). Must hold:
    each connection's anomaly names its length (`packet_too_short` for 0,
    1 and 4, `packet_misaligned` for 5 and 7, `packet_too_long` for the
    last two), no client HASSH, the server's read."""
    f = []
    for k, pl in enumerate(PLENS):
        c = Conn(49630 + k)
        c.t = 1700004000.0 + 10 * k
        c.handshake()
        c.send(False, BAN_S + kexinit(KEX))
        c.send(True, BAN_C + struct.pack("!IB", pl, 4) + b"\0" * 16)
        c.close()
        f += c.frames
    return write(f)


def banner_199():
    """A server's `SSH-1.99-` banner (RFC 4253 5.1: it speaks 2.0 and 1.x)
    and a 2.0 client, port 49640. Must hold: version 2, both HASSHes, the
    records read (6 each way)."""
    c = Conn(49640)
    c.t = 1700005000.0
    c.handshake()
    c.ssh(sban=b"SSH-1.99-OpenSSH_3.9p1\r\n")
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, KEYS)
    return write(rest(c))


CASES = [fin_flags, rst_noack, reuse_1000, link_null_be, link_null_le, link_loop, link_ipv4, plen_first, banner_199]

if __name__ == "__main__":
    genmain.run(CASES)
