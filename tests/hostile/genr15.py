#!/usr/bin/env python3
"""Hostile classes, round 15, written at test time: `genr15.py DIR` writes
each case below into DIR, `genr15.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. tests/hostile/t_round15.sh checks what each docstring says
must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, FIN, PSH, RST, SYN, Conn, NEWKEYS, write  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, T0, eth, ip4, ip6, kexinit, tcp_seg  # noqa: E402
from genr9 import keys  # noqa: E402
from genr12 import merged, ts_opt  # noqa: E402
import genmain  # noqa: E402

EVIL_S = b"SSH-2.0-EVILSRV_1.0\r\n"  # as long as BAN_S
assert len(EVIL_S) == len(BAN_S)


def evil_kex():
    return EVIL_S + kexinit([b"evil-kex"] + KEX[1:])


def finish(c, n=3):
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, n)
    c.close()


def rst_data():
    """Client port 49101: the server's exact RST (at its next number)
    carrying the attacker's banner and KEXINIT as its payload, never taken
    by the client (it goes on ACKing the real bytes), then the real banner
    at the same number and the session. RFC 9293 3.5.3: a RST's data is
    diagnostic text, never delivered to the application. Must hold:
    OpenSSH's banner; no EVILSRV in any stream file."""
    c = Conn(49101)
    c.handshake()
    c.pkt(False, c.seq[1], c.seq[0], RST | ACK, evil_kex())
    c.ssh()
    finish(c)
    return write(c.frames)


def frags4(c, seg, parts, ident):
    """seg (a TCP segment from the server) as IPv4 fragments: parts a list
    of (offset, bytes, more)."""
    for off, part, more in parts:
        c.t += 0.001
        c.frames.append((c.t, eth(ip4(SRV, CLI, 6, part, ident=ident, frag=off // 8, more=more))))


def frag_port():
    """Client port 49102: the server's banner segment in two IPv4
    fragments, the first (the TCP header and 4 bytes) sent twice: the
    attacker's copy first names destination port 2222 and a checksum made
    for it; the receiver drops the datagram (overlapping fragments: RFC
    5722, Linux since 4.19) and the server re-sends the segment whole.
    Must hold: no connection on port 2222 with the server's banner read
    from that datagram; the session's server banner OpenSSH's."""
    c = Conn(49102)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV, CLI, 22, 49102, c.seq[1], c.seq[0], PSH | ACK, data)
    bad = tcp_seg(SRV, CLI, 22, 2222, c.seq[1], c.seq[0], PSH | ACK, data)
    frags4(c, seg, ((0, bad[:24], True), (0, seg[:24], True), (24, seg[24:], False)), 0x7101)
    c.send(False, data)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def frag_seq():
    """Client port 49103: as frag_port but the attacker's first fragment
    keeps the ports and moves the sequence number 181 bytes on (the whole
    datagram's data then lands past the banner and KEXINIT, where the
    server's next packet goes: a re-send of the banner does not replace
    it). Must hold: the datagram dropped and said; OpenSSH's banner and
    nothing of the datagram after the KEXINIT (no stream_conflict)."""
    c = Conn(49103)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV, CLI, 22, 49103, c.seq[1], c.seq[0], PSH | ACK, data)
    bad = tcp_seg(SRV, CLI, 22, 49103, c.seq[1] + len(data), c.seq[0], PSH | ACK, data)
    frags4(c, seg, ((0, bad[:24], True), (0, seg[:24], True), (24, seg[24:], False)), 0x7102)
    c.send(False, data)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def tiny_first(sp, v6, dopt):
    """A session whose server banner is preceded, at its number, by the
    attacker's in a datagram whose first fragment ends 8 bytes into the
    TCP header (after an 8-byte destination options header when dopt)."""
    c = Conn(sp, v6=v6)
    c.handshake()
    s, d = (SRV6, CLI6) if v6 else (SRV, CLI)
    seg = tcp_seg(s, d, 22, sp, c.seq[1], c.seq[0], PSH | ACK, evil_kex())
    body = (b"\x06\x00" + bytes(6) if dopt else b"") + seg
    cut = 16 if dopt else 8
    for off, part, more in ((0, body[:cut], 1), (cut, body[cut:], 0)):
        c.t += 0.001
        if v6:
            fh = struct.pack("!BBHI", 60 if dopt else 6, 0, off | more, 0x7100 + sp % 100)
            c.frames.append((c.t, eth(ip6(s, d, 44, fh + part), 0x86DD)))
        else:
            c.frames.append((c.t, eth(ip4(s, d, 6, part, ident=0x7100 + sp % 100, frag=off // 8, more=more))))
    c.ssh()
    finish(c)
    return c.frames


def frag_udp():
    """A DNS response (10.7.0.2:53 -> 10.7.0.1:40000) in two IPv4 fragments,
    the first (the UDP header and 16 bytes) sent twice: the attacker's copy
    first names port 40001; then the answer again, whole. Must hold: no
    flow on port 40001, the datagram dropped and said (UDP header, byte
    3); the re-sent answer read once (main: a second, phantom DNS
    transaction from port 40001)."""
    from genr7 import dhdr, dname, rr  # noqa: E402
    q = dname(b"evil", b"example")
    msg = dhdr(0x1515, 0x8180, 1, 1) + q + struct.pack("!HH", 1, 1) + rr(q, 1, bytes([192, 0, 2, 7]))
    good = struct.pack("!HHHH", 53, 40000, 8 + len(msg), 0) + msg
    bad = struct.pack("!HHHH", 53, 40001, 8 + len(msg), 0) + msg
    t = float(T0)
    frames = [(t, eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 40000, 53, 8 + 25, 0) + msg[:12] + q +
                             struct.pack("!HH", 1, 1))))]
    for i, (off, part, more) in enumerate(((0, bad[:24], True), (0, good[:24], True), (24, good[24:], False))):
        frames.append((t + 0.001 * (i + 1), eth(ip4(SRV, CLI, 17, part, ident=0x7115, frag=off // 8, more=more))))
    frames.append((t + 0.01, eth(ip4(SRV, CLI, 17, good, ident=0x7116))))
    return write(frames)


def frag_tiny():
    """Client ports 49104 (IPv6), 49108 (IPv6, a destination options
    header after the fragment header) and 49109 (IPv4): the attacker's
    server banner and KEXINIT in a datagram whose first fragment holds
    only 8 bytes of the TCP header (ports and sequence number), the rest
    in the second; then the real banner at the same number. RFC 8200 4.5
    and RFC 7112: a first fragment without the whole header chain is
    discarded (Linux since 5.13: ipv6_frag_thdr_truncated); in IPv4 RFC
    1858's tiny fragment, which no sender's stack makes. Must hold:
    OpenSSH's banner in all three (main: EVILSRV), each datagram said with
    its frame, counted."""
    return merged(tiny_first(49104, True, False), tiny_first(49108, True, True), tiny_first(49109, False, False))


def ooo_first(sp, server):
    """One side's banner out of order: its bytes 1-20 as twenty 1-byte
    segments of the attacker's banner in order, then one segment of the
    real bytes 1-20 over them, then byte 0; the rest of the session."""
    c = Conn(sp)
    c.handshake()
    i = 1 if server else 0
    n0 = c.seq[i]
    ban = BAN_S if server else BAN_C
    evil = EVIL_S if server else b"SSH-2.0-EVILCLI_1.0\r\n"
    for k in range(1, len(evil)):
        c.pkt(not server, n0 + k, c.seq[1 - i], PSH | ACK, evil[k:k + 1])
    c.pkt(not server, n0 + 1, c.seq[1 - i], PSH | ACK, ban[1:])
    c.pkt(not server, n0, c.seq[1 - i], PSH | ACK, ban[:1])
    c.seq[i] += len(ban)
    c.pkt(server, c.seq[1 - i], c.seq[i], ACK)
    if server:
        c.send(False, kexinit(KEX))
        c.send(True, BAN_C + kexinit(KEX))
    else:
        c.send(False, BAN_S + kexinit(KEX))
        c.send(True, kexinit(KEX))
    finish(c)
    return c.frames


def ooo_cover():
    """Client ports 49105 (the server's banner) and 49110 (the client's):
    the banner's bytes 1-20 as twenty 1-byte segments of the attacker's in
    order, then one segment of the real bytes 1-20 covering them, then
    byte 0. Linux's out-of-order queue coalesces the adjacent 1-byte
    segments into one and drops a later segment that brings no byte
    beyond it (tcp_data_queue_ofo: "all the bits are present"): first
    wins, as in strider and tshark. Must hold: the attacker's banner read
    (the receiver's) and `stream_conflict` (main: the conflict, met before
    the first byte came in order, reached `conns -R` only: no anomaly in
    `ssh`)."""
    return merged(ooo_first(49105, True), ooo_first(49110, False))


def zero_window():
    """Client port 49106: the client ACKs the handshake with a zero window
    (its buffer full); the attacker's server banner and KEXINIT come into
    it at the server's next number (RFC 9293 3.10.7.4: with RCV.WND zero no
    data segment is acceptable; Linux's tcp_data_queue drops it,
    TCPZeroWindowDrop); the client opens its window, then the real banner.
    Must hold: OpenSSH's banner, the dropped segment counted."""
    c = Conn(49106)
    cs, ss = c.seq
    c.pkt(True, cs, 0, SYN)
    c.pkt(False, ss, cs + 1, SYN | ACK)
    c.seq = [cs + 1, ss + 1]
    c.pkt(True, cs + 1, ss + 1, ACK, win=0)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, evil_kex())
    c.pkt(True, cs + 1, ss + 1, ACK)  # the window opens
    c.ssh()
    finish(c)
    return write(c.frames)


def tw_lower_isn():
    """Client port 49107: a session closed with FINs both ways, then 1 s
    later a new one on the same 4-tuple whose ISNs are lower than the first
    one's (a receiver in TIME_WAIT takes it only with timestamps, RFC 6191;
    the SYN-ACK says it did). Must hold: two connections, each its banner
    (the second OpenSSH_9.7)."""
    a = Conn(49107, cs=900000, ss=800000)
    a.handshake()
    a.ssh()
    finish(a)
    b = Conn(49107, cs=1000, ss=5000)
    b.t = a.t + 1.0
    b.handshake()
    b.ssh(sban=b"SSH-2.0-OpenSSH_9.7\r\n")
    finish(b)
    return write(a.frames + b.frames)


class TsConn(Conn):
    """A Conn whose every segment carries Timestamps (RFC 7323 3): each
    side's TSval one more a segment, unless tsval is given."""

    def __init__(self, sp, **kw):
        super().__init__(sp, **kw)
        self.tsv = [100000, 4000000]

    def pkt(self, c2s, seq, ack, flags, data=b"", bad_csum=False, win=65535, t=None, tsval=None):
        i = 0 if c2s else 1
        self.tsv[i] += 1
        v = self.tsv[i] if tsval is None else tsval
        s, d = (CLI, SRV) if c2s else (SRV, CLI)
        a, b = (self.sp, self.dp) if c2s else (self.dp, self.sp)
        seg = tcp_seg(s, d, a, b, seq, ack, flags, data, win=win, opts=ts_opt(v, self.tsv[1 - i]))
        self.t = self.t + 0.001 if t is None else t
        self.frames.append((self.t, eth(ip4(s, d, 6, seg))))


def paws():
    """Timestamps on both sides. Client port 49111: the client's banner and
    KEXINIT preceded, at their number, by the attacker's (EVILCLI) with a
    TSval 1,000,000 behind the client's last: the server drops it (PAWS,
    RFC 7323 5.3: older than its TS.Recent). Client port 49112 (honest):
    the server's banner segment and KEXINIT segment sent in two, the second
    first (its TSval newer): a reordered older TSval out of order moves no
    TS.Recent and is no PAWS drop. Must hold: 49111's client banner
    OpenSSH's, the segment counted (`paws` in `packets`); 49112 read, no
    PAWS judgement (round 12's paws.pcap, the server's side, read
    EVILPAW)."""
    a = TsConn(49111)
    a.handshake()
    a.send(False, BAN_S + kexinit(KEX))
    a.pkt(True, a.seq[0], a.seq[1], PSH | ACK, b"SSH-2.0-EVILCLI_1.0\r\n" + kexinit([b"evil-kex"] + KEX[1:]),
          tsval=(a.tsv[0] - 1000000) & 0xFFFFFFFF)
    a.send(True, BAN_C + kexinit(KEX))
    finish(a)
    b = TsConn(49112)
    b.t = a.t + 1
    b.handshake()
    data = BAN_S + kexinit(KEX)
    ss = b.seq[1]
    b.tsv[1] += 1
    b.pkt(False, ss + 21, b.seq[0], PSH | ACK, data[21:], tsval=b.tsv[1] + 1)
    b.pkt(False, ss, b.seq[0], PSH | ACK, data[:21], tsval=b.tsv[1] - 1)
    b.seq[1] += len(data)
    b.pkt(True, b.seq[0], b.seq[1], ACK)
    b.send(True, BAN_C + kexinit(KEX))
    finish(b)
    return write(a.frames + b.frames)


CASES = {"rst_data.pcap": rst_data, "frag_port.pcap": frag_port, "frag_seq.pcap": frag_seq,
         "frag_tiny.pcap": frag_tiny, "frag_udp.pcap": frag_udp, "ooo_cover.pcap": ooo_cover,
         "zero_window.pcap": zero_window, "tw_lower_isn.pcap": tw_lower_isn, "paws.pcap": paws}

def flood(d, n):
    """paws_N.pcap: after the server's banner, N 1,400-byte client
    segments whose TSval (5) is older than the client's TS.Recent, never
    ACKed: each held until an ACK that never comes. Must hold: all N
    counted; peak RSS at 20,000 within 8 MB of 2,000."""
    c = TsConn(49200)
    c.handshake()
    c.send(False, BAN_S)
    for k in range(int(n)):
        c.pkt(True, c.seq[0] + k * 1400, c.seq[1], PSH | ACK, bytes([65 + k % 26]) * 1400, tsval=5)
    genmain.write_files(d, {"paws_%s.pcap" % n: write(c.frames)})


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: the fragments
    rewriting and splitting the TCP header, data into a zero window, a
    conflict held out of order, a copy PAWS drops."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pipeline/r15_frag_port.pcap": frag_port(),
                         "fuzz_pipeline/r15_frag_tiny.pcap": frag_tiny(),
                         "fuzz_pipeline/r15_frag_udp.pcap": frag_udp(),
                         "fuzz_pipeline/r15_zero_window.pcap": zero_window(),
                         "fuzz_pipeline/r15_ooo_cover.pcap": ooo_cover(),
                         "fuzz_pipeline/r15_paws.pcap": paws()})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds, "flood": flood})
