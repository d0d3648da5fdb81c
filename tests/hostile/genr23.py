#!/usr/bin/env python3
"""Hostile classes, round 23, written at test time: `genr23.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(IPv6: ::1 -> ::2) unless said. tests/hostile/t_round23.sh checks what each
docstring says must hold. Classes no round had (checked by grepping
genr*.py and the README's tables): TCP Timestamps on segments of a
connection whose handshake did not negotiate them (RFC 7323 3.2: ignored,
so no PAWS); IP datagrams their receiver discards for their options (an
IPv4 source route, an IPv4 option of a bad length, an IPv6 option of an
unknown type whose action bits say discard, a type-0 routing header with
segments left); IPv6 segment routing (an SRH, inline and encapsulated,
between the client and its first segment end point); the 2^32 sequence
wrap inside the encrypted records of a session."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, SYN, Conn, NEWKEYS  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, epb, eth, idb, ip4, kexinit, shb, tcp_seg  # noqa: E402
from genr12 import ts_opt  # noqa: E402
from genr16 import EVIL_S, finish, mid_keys, write  # noqa: E402

EVIL_C = b"SSH-2.0-EVILCLI_1.0\r\n"
assert len(EVIL_C) == len(BAN_C)
EVIL_KEX = [b"evil-kex"] + KEX[1:]


class OptConn(Conn):
    """A Conn whose packets can carry TCP options and IP-layer extras:
    pkt's topts (TCP options), l3 (a function (src, dst, segment) -> the
    Ethernet frame's IP datagram and its ethertype) for this packet."""

    def pkt(self, c2s, seq, ack, flags, data=b"", bad_csum=False, win=65535, t=None, topts=b"", l3=None):
        s, d = (CLI6, SRV6) if self.v6 else (CLI, SRV)
        if not c2s:
            s, d = d, s
        a, b = (self.sp, self.dp) if c2s else (self.dp, self.sp)
        seg = tcp_seg(s, d, a, b, seq, ack, flags, data, opts=topts, win=win)
        self.t = self.t + 0.001 if t is None else t
        if l3 is not None:
            dg, et = l3(s, d, seg)
        elif self.v6:
            dg, et = ip6x(s, d, [], seg), 0x86DD
        else:
            dg, et = ip4(s, d, 6, seg), 0x0800
        self.frames.append((self.t, eth(dg, et)))


def ip6x(src, dst, exts, body, nxt=6):
    """IPv6 with extension headers exts [(type, bytes whose first is
    overwritten with the next header)], then body of protocol nxt."""
    out = b""
    types = [t for t, _ in exts] + [nxt]
    for i, (_, h) in enumerate(exts):
        out += bytes([types[i + 1]]) + h[1:]
    out += body
    first = types[0]
    return struct.pack("!IHBB16s16s", 6 << 28, len(out), first, 64, src, dst) + out


# -- (a) Timestamps a handshake did not negotiate ---------------------------

def ts_unneg():
    """RFC 7323 3.2: a TSopt in a segment of a connection whose SYN and
    SYN-ACK did not both carry one is ignored (Linux's tcp_parse_options
    reads it only with tstamp_ok), so no PAWS drop. Client port 49301:
    neither SYN has Timestamps; the attacker sends the client banner's
    first byte ("S", the right one) with a TSval near 2^31, taken, then the
    rest of the banner line as EVILCLI's, with TSval 5, then the client
    sends its real banner and KEXINIT (no option). Client port 49302: the
    SYN carries Timestamps, the SYN-ACK not (a server with them off); the
    attacker's EVILCLI banner with a TSval 10^6 behind the SYN's comes
    first, then the real one. Both receivers take the attacker's bytes
    (no PAWS), the real copy being a re-send of bytes they hold. Must
    hold: no PAWS judgement (no `untaken paws` in `packets`, no PAWS count
    on stderr); the receiver's view, first wins: EVILCLI with
    `stream_conflict` (main: judged PAWS-dropped, the real banner shown,
    unflagged, where the server read EVILCLI)."""
    a = OptConn(49301)
    a.handshake()
    a.send(False, BAN_S + kexinit(KEX))
    cs, ss = a.seq
    a.pkt(True, cs, ss, PSH | ACK, EVIL_C[:1], topts=ts_opt(0x7FFFFF00, 0))
    a.pkt(True, cs + 1, ss, PSH | ACK, EVIL_C[1:], topts=ts_opt(5, 0))
    a.send(True, BAN_C + kexinit(KEX))
    finish(a)
    b = OptConn(49302)
    b.t = a.t + 1
    cs, ss = b.seq
    b.pkt(True, cs, 0, SYN, topts=ts_opt(3000000, 0))
    b.pkt(False, ss, cs + 1, SYN | ACK)
    b.seq = [cs + 1, ss + 1]
    b.pkt(True, cs + 1, ss + 1, ACK)
    b.send(False, BAN_S + kexinit(KEX))
    b.pkt(True, b.seq[0], b.seq[1], PSH | ACK, EVIL_C + kexinit(EVIL_KEX), topts=ts_opt(2000000, 0))
    b.send(True, BAN_C + kexinit(KEX))
    finish(b)
    return write(a.frames + b.frames)


# -- (b) datagrams their receiver discards for their IP options --------------

def v4opts(opts):
    return lambda s, d, seg: (ip4(s, d, 6, seg, ihl=5 + len(opts) // 4, opts=opts), 0x0800)


LSRR_DONE = b"\x83\x07\x08" + SRV + b"\x00"  # a loose source route whose pointer is past its last address
RR_BADLEN = b"\x07\x00\x00\x00"              # record route of length 0 (< 2: RFC 791's length counts itself)
DST_DISCARD = (60, b"\x00\x00\x9e\x04\x00\x00\x00\x00")  # destination options: type 0x9e (action 10), unknown
RH0_LEFT = (43, b"\x00\x02\x00\x01\x00\x00\x00\x00" + CLI6)  # routing type 0, one address, segments left 1


def srv_injected(sp, v6=False, l3=None):
    """The attacker's server banner and KEXINIT at the banner's number,
    first, with l3's IP layer; then the real ones; then keys and close."""
    c = OptConn(sp, v6=v6)
    c.handshake()
    cs, ss = c.seq
    c.pkt(False, ss, cs, PSH | ACK, EVIL_S + kexinit(EVIL_KEX), l3=l3)
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return c.frames


def ip_optdrop():
    """The attacker's server banner (EVILSRV) and KEXINIT first, in a
    datagram the client's stack discards for its IP layer, then the real
    ones at the same number. Client port 49311: an IPv4 loose source
    route, its route done (Linux drops every datagram with a source route
    unless accept_source_route, off by default on hosts; Windows and the
    BSDs by default too). 49312: an IPv4 option of length 0 (RFC 791: the
    length counts its type and length bytes; Linux's ip_options_compile
    and the BSDs' ip_dooptions drop the datagram). 49313 (IPv6): a
    destination options header holding option type 0x9e, unknown, whose
    two high bits (10) say discard and answer (RFC 8200 4.2). 49314 (IPv6):
    a type-0 routing header with a segment left (RFC 5095 3: discarded).
    Must hold: OpenSSH's server banner and the real HASSH in all four
    (main: EVILSRV, its HASSH), each datagram said on stderr with its
    frame."""
    f = srv_injected(49311, l3=v4opts(LSRR_DONE))
    f += srv_injected(49312, l3=v4opts(RR_BADLEN))
    f += srv_injected(49313, v6=True, l3=lambda s, d, seg: (ip6x(s, d, [DST_DISCARD], seg), 0x86DD))
    f += srv_injected(49314, v6=True, l3=lambda s, d, seg: (ip6x(s, d, [RH0_LEFT], seg), 0x86DD))
    return write(sorted(f, key=lambda x: x[0]))


def ip_optkeep():
    """The same options on data the receiver ACKs (client port 49315: every
    server data segment with an IPv4 loose source route; 49316 (IPv6):
    with an unknown option of action 00, skipped by receivers, and a type-4
    routing header (an SRH) with no segment left, both processed as usual).
    Must hold: read whole (banners, HASSHes, 3 encrypted records each way):
    a datagram judged by its options is taken once its receiver ACKs it."""
    c = OptConn(49315)
    c.handshake()
    lsrr = v4opts(LSRR_DONE)
    for data in (BAN_S + kexinit(KEX),):
        c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, data, l3=lsrr)
        c.seq[1] += len(data)
        c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    d = OptConn(49316, v6=True)
    d.t = c.t + 1
    d.handshake()
    skip = (60, b"\x00\x00\x1e\x04\x00\x00\x00\x00")  # type 0x1e: action 00, skip
    srh0 = (43, b"\x00\x02\x04\x00\x00\x00\x00\x00" + SRV6)  # SRH, segments left 0
    for ext in (skip, srh0):
        data = BAN_S if ext is skip else kexinit(KEX)
        d.pkt(False, d.seq[1], d.seq[0], PSH | ACK, data,
              l3=lambda s, dd, seg, e=ext: (ip6x(s, dd, [e], seg), 0x86DD))
        d.seq[1] += len(data)
        d.pkt(True, d.seq[0], d.seq[1], ACK)
    d.send(True, BAN_C + kexinit(KEX))
    finish(d)
    return write(c.frames + d.frames)


# -- (c) IPv6 segment routing ------------------------------------------------

SID = bytes.fromhex("20010db8000000000000000000000005")  # the first segment end point


def srh(segments, left):
    """A type-4 routing header (RFC 8754) listing segments (the last first)."""
    body = b"".join(segments)
    return (43, struct.pack("!BBBBBBH", 0, len(body) // 8, 4, left, len(segments) - 1, 0, 0) + body)


def srv6():
    """Client port 49321: the client's every packet carries an inline SRH
    (segments left 1: the SID, then the server), so its destination
    address is the SID's; the server answers directly. Client port 49322:
    the client's packets are encapsulated (H.Encaps: an outer IPv6 header
    to the SID with an SRH whose next header is IPv6, the inner packet to
    the server). The capture is between the client and the SID. Must hold:
    one connection each, its SSH read, no checksum said wrong (the inline
    one's TCP checksums are summed over the server's address, RFC 8200
    8.1; tshark 4.0.17: one stream each, checksums good). main: the inline
    session two one-sided connections, client -> SID and server -> client."""
    a = OptConn(49321, v6=True)

    def inline(s, d, seg):
        if s == CLI6:  # the client's packets: to the SID, the server last
            return ip6x(s, SID, [srh([SRV6, SID], 1)], seg), 0x86DD
        return ip6x(s, d, [], seg), 0x86DD
    a.pkt = (lambda f: lambda *x, **k: f(*x, **{**k, "l3": inline}))(a.pkt)
    a.handshake()
    a.ssh()
    finish(a)
    b = OptConn(49322, v6=True)
    b.t = a.t + 1

    def encaps(s, d, seg):
        inner = ip6x(s, d, [], seg)
        if s == CLI6:
            return ip6x(CLI6, SID, [srh([SRV6, SID], 1)], inner, nxt=41), 0x86DD
        return inner, 0x86DD
    b.pkt = (lambda f: lambda *x, **k: f(*x, **{**k, "l3": encaps}))(b.pkt)
    b.handshake()
    b.ssh()
    finish(b)
    return write(a.frames + b.frames)


# -- (d) the sequence wrap inside encrypted records ---------------------------

def wrap_enc():
    """Client port 49331: both ISNs placed so that 2^32 falls inside the
    side's third 36-byte encrypted record (chacha20-poly1305 sizes) of a
    session of 6 keystrokes, each echoed. Must hold: 6 encrypted records
    each way, no gap, no inconsistency (`conns -R`), one connection."""
    clear_c = len(BAN_C + kexinit(KEX) + NEWKEYS)
    clear_s = len(BAN_S + kexinit(KEX) + NEWKEYS)
    c = OptConn(49331, cs=(2**32 - 1 - clear_c - 2 * 36 - 10), ss=(2**32 - 1 - clear_s - 2 * 36 - 20))
    c.handshake()
    c.seq = [s & 0xFFFFFFFF for s in c.seq]
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, 6)
    c.seq = [s & 0xFFFFFFFF for s in c.seq]
    c.close()
    return write(c.frames)


# -- (e) two clocks in one pcapng --------------------------------------------

def ng_two_clocks():
    """pcapng, client port 49341: two Ethernet interfaces (a tap's two
    halves), the client's packets on the first, the server's on the second,
    whose clock is 3 hours behind (no if_tsoffset says so), in capture
    order: time goes back 3 hours at every change of direction and forward
    again at the next. Must hold: one connection, its SSH read (6
    encrypted records each way), the steps back said and counted, no idle
    expiry (main too: checked, no defect)."""
    c = OptConn(49341)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, 6)
    c.close()
    parts = [shb(), idb(1), idb(1)]
    for t, f in c.frames:
        srv = f[26:30] == SRV  # the IPv4 source address
        us = round(t * 1e6) - (3 * 3600 * 10**6 if srv else 0)
        parts.append(epb(f, 1 if srv else 0, us))
    return b"".join(parts)


CASES = [ts_unneg, ip_optdrop, ip_optkeep, srv6, wrap_enc, ng_two_clocks]

if __name__ == "__main__":
    genmain.run(CASES)  # genr23.py DIR
