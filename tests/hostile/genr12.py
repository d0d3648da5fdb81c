#!/usr/bin/env python3
"""Hostile classes, round 12, written at test time: `genr12.py DIR` writes
each case below into DIR, `genr12.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. An exact RST followed by a pause longer than a closed
connection's 30 s linger, then the session going on (from either side),
against a real reset and a port reused after it; key exchange messages of
another method read before both KEXINITs named the method; TCP openings
no client library makes (simultaneous open, data on a SYN the server does
not take) and segments a receiver drops for their old timestamps (PAWS,
RFC 7323 5). tests/hostile/t_round12.sh checks what each docstring says
must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, PSH, RST, SYN, Conn, ssh_packet, write  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, SRV, SRV6, eth, ip4, ip6, kexinit, tcp_seg  # noqa: E402
from genr9 import keys, quiet, to_keys  # noqa: E402
from genr11 import GCM, exchange, kex_parts  # noqa: E402
import genmain  # noqa: E402


def merged(*conns):
    """The frames of several connections (each a frame list), in time."""
    f = [x for c in conns for x in c]
    f.sort(key=lambda x: x[0])
    return write(f)


def rst_then(sp, server_rst, after):
    """An SSH session to 4 keystrokes, an exact RST (at the sender's next
    number) from the server or the client, 40 s with nothing of the
    connection (no ACK of anything: quiet()), then after(c)."""
    c = to_keys(sp, 4)
    if server_rst:
        c.pkt(False, c.seq[1], 0, RST)
    else:
        c.pkt(True, c.seq[0], 0, RST)
    quiet(c)
    after(c)
    return c.frames


def rst_pause():
    """Client ports 47401-47404. 47401: the server's exact RST, 40 s of
    nothing, then 10 keystrokes and FIN (the RST never reached the client:
    both go on in the same sequence spaces). 47402: the same with the
    client's RST. Must hold for both: one connection of all their frames,
    `rst_untaken` 1 (main: the 30 s linger ended it, the rest another,
    mid-stream connection whose SSH was not read). 47403: the server's RST,
    40 s, then a new SYN on the same ports (a port reused): two
    connections, the second from its SYN. 47404: the server's RST, then
    nothing more: one connection, RSTR, its last frame the RST."""
    def go_on(c):
        keys(c, 10, 0x40)
        c.close()

    def reuse(c):
        n = Conn(c.sp, cs=900000, ss=700000)
        n.t = c.t
        n.handshake()
        n.ssh()
        n.close()
        c.frames += n.frames

    return merged(rst_then(47401, True, go_on), rst_then(47402, False, go_on),
                  rst_then(47403, True, reuse), rst_then(47404, True, lambda c: None))


def kex_early():
    """Key exchange messages that only some methods have, sent by the
    server after its KEXINIT and read before the client's KEXINIT (the
    method not yet known). Host keys: the server's of 0x11 bytes, the
    attacker's of 0xee. 47301 (curve25519): a 33 (DH-GEX's reply) carrying
    the attacker's key, then the real 31; 47302: a 32; 47303: a 40
    (GSS-API's). Must hold: each flagged `unexpected_msg_before_newkeys`
    from the server with its type and frame, `terrapin` true, and 47301's
    host key the server's (main: no flag on any, 47301 the attacker's key).
    47304: a DH-GEX exchange whose group (31) and reply (33) the server's
    stream shows before the client's KEXINIT: not flagged, the server's
    key."""
    reply, evil, init, gex, gexreq, group, gexinit, gexreply, junk = kex_parts()
    f = exchange(47301, GCM, [init], [reply], early=evil)
    f += exchange(47302, GCM, [init], [reply], early=ssh_packet(b"\x20" + junk))
    f += exchange(47303, GCM, [init], [reply], early=ssh_packet(b"\x28" + junk))
    f += exchange(47304, gex, [gexreq, gexinit], [], early=group + gexreply)
    f.sort(key=lambda x: x[0])
    return write(f)


def simul_open():
    """Client port 47501: a simultaneous open (RFC 9293 3.5: both send a
    SYN, each answers the other's with a SYN-ACK), then an SSH session.
    Must hold: one connection, established (its SSH read: both banners,
    the client's HASSH), the SYN's sender the originator."""
    class Simul(Conn):
        def handshake(self):
            cs, ss = self.seq
            self.pkt(True, cs, 0, SYN)
            self.pkt(False, ss, 0, SYN)
            self.pkt(True, cs, ss + 1, SYN | ACK)
            self.pkt(False, ss, cs + 1, SYN | ACK)
            self.seq = [cs + 1, ss + 1]

    c = to_keys(47501, 3, Simul(47501))
    c.close()
    return write(c.frames)


def syn_data():
    """Client port 47601: a SYN carrying a banner and KEXINIT of invented
    names (no Fast Open cookie: the server ACKs only the SYN, RFC 7413 4.2
    has the data dropped), then the real banner and KEXINIT at ISN + 1.
    Must hold: the client's banner and HASSH the real ones, never the
    SYN's."""
    c = Conn(47601)
    cs, ss = c.seq
    c.pkt(True, cs, 0, SYN, BAN_C.replace(b"OpenSSH", b"EVILSYN") + kexinit([b"evil-kex"] + GCM[1:]))
    c.pkt(False, ss, cs + 1, SYN | ACK)
    c.seq = [cs + 1, ss + 1]
    c.pkt(True, cs + 1, ss + 1, ACK)
    c.ssh()
    c.close()
    return write(c.frames)


def ts_opt(val, ecr):
    """NOP NOP Timestamps (RFC 7323 3)."""
    return b"\x01\x01\x08\x0a" + struct.pack("!II", val, ecr)


def paws():
    """Client port 47701: both sides send Timestamps from their SYNs; the
    server's banner and KEXINIT are preceded, at the same sequence number,
    by a segment of invented names whose TSval is 1,000,000 behind the
    server's last (PAWS, RFC 7323 5.3: the client drops it). Left in
    round 12 (strider read the dropped copy, as tshark's follow does);
    since round 15 (genr15.py paws) it is held until ACKed and the real
    banner replaces it, `stream_conflict` flagged."""
    frames = []
    t = [1.0]
    seq = [1000, 5000]
    tsv = [100000, 4000000]

    def pkt(c2s, flags, data=b"", tsval=None):
        i = 0 if c2s else 1
        s, d = (CLI, SRV) if c2s else (SRV, CLI)
        a, b = (47701, 22) if c2s else (22, 47701)
        tsv[i] += 1
        v = tsv[i] if tsval is None else tsval
        seg = tcp_seg(s, d, a, b, seq[i], seq[1 - i], flags, data, opts=ts_opt(v, tsv[1 - i]))
        t[0] += 0.001
        frames.append((1700000000 + t[0], eth(ip4(s, d, 6, seg))))

    pkt(True, SYN)
    seq[0] += 1
    pkt(False, SYN | ACK)
    seq[1] += 1
    pkt(True, ACK)
    pkt(False, PSH | ACK, BAN_S.replace(b"OpenSSH", b"EVILPAW") + kexinit([b"evil-kex"] + GCM[1:]),
        tsval=tsv[1] - 1000000)
    real = BAN_S + kexinit(GCM)
    pkt(False, PSH | ACK, real)
    seq[1] += len(real)
    pkt(True, ACK)
    ck = BAN_C + kexinit(GCM)
    pkt(True, PSH | ACK, ck)
    seq[0] += len(ck)
    pkt(False, ACK)
    return write(frames)


def fold(b):
    """The ones-complement sum (RFC 1071) of b, of even length."""
    x = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while x > 0xFFFF:
        x = (x & 0xFFFF) + (x >> 16)
    return x


def frag_conflict():
    """Client port 47801: the server's banner and KEXINIT segment in three
    IPv4 fragments, the second (IP offset 24-64: the banner's name, the
    packet header and the cookie) sent twice with different bytes, the
    attacker's copy first (`SSH-2.0-EVILFRG_9.6`, its cookie's last two
    bytes set so that the TCP checksum holds for either); the receiver
    drops a datagram whose fragments overlap (RFC 5722 for IPv6, Linux's
    IPv4 since 4.19: CVE-2018-5391), so the server re-sends the segment
    whole. Then client port 47802: the same with the attacker's copy
    identical to the real one (a duplicate fragment); 47803: 47801 over
    IPv6 (fragment headers). Must hold: 47801's and 47803's server banner
    `SSH-2.0-OpenSSH_9.6` (main: EVILFRG, first wins): the conflicting
    datagram held until an ACK takes it, and the re-send came first; each
    said on stderr naming its frame, `frag-conflict` in `packets`,
    counted; 47802 read once, as before (one overlap, no conflict)."""
    frames = []
    for sp, evil, v6 in ((47801, True, False), (47802, False, False), (47803, True, True)):
        c = Conn(sp, v6=v6)
        c.handshake()
        data = BAN_S + kexinit(GCM)
        src, dst = (SRV6, CLI6) if v6 else (SRV, CLI)
        seg = tcp_seg(src, dst, 22, sp, c.seq[1], c.seq[0], PSH | ACK, data)
        bad = bytearray(seg)
        if evil:
            bad[20 + 8:20 + 15] = b"EVILFRG"
            need = (fold(bytes(seg[24:64])) - fold(bytes(bad[24:62]) + b"\0\0")) % 0xFFFF
            bad[62:64] = struct.pack("!H", need)
            assert fold(bytes(bad[24:64])) % 0xFFFF == fold(bytes(seg[24:64])) % 0xFFFF
        for off, part, more in ((0, seg[:24], True), (24, bytes(bad[24:64]), True), (24, seg[24:64], True),
                                (64, seg[64:], False)):
            c.t += 0.001
            ident = 0x7000 + sp % 100
            if v6:  # a fragment header (RFC 8200 4.5) before the part
                fh = struct.pack("!BBHI", 6, 0, off | more, ident)
                c.frames.append((c.t, eth(ip6(src, dst, 44, fh + part), 0x86DD)))
            else:
                c.frames.append((c.t, eth(ip4(src, dst, 6, part, ident=ident, frag=off // 8, more=more))))
        c.send(False, data)  # the re-send, whole
        c.send(True, BAN_C + kexinit(GCM))
        c.close()
        frames += c.frames
    return merged(frames)


CASES = {"rst_pause.pcap": rst_pause, "kex_early.pcap": kex_early, "simul_open.pcap": simul_open,
         "syn_data.pcap": syn_data, "paws.pcap": paws, "frag_conflict.pcap": frag_conflict}


def seeds(repo):
    """This round's fuzz seeds: the early key exchange messages, the
    simultaneous open and the conflicting fragments, for the whole
    pipeline."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pipeline/r12_kex_early.pcap": kex_early(),
                         "fuzz_pipeline/r12_simul_open.pcap": simul_open(),
                         "fuzz_pipeline/r12_frag_conflict.pcap": frag_conflict()})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
