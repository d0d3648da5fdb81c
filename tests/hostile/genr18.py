#!/usr/bin/env python3
"""Hostile classes, round 18, written at test time: `genr18.py DIR` writes
each case below into DIR (`genr18.py seeds REPO`: this round's fuzz seeds
into REPO/fuzz/seeds). Every connection is 10.7.0.1:PORT -> 10.7.0.2:22.
tests/hostile/t_round18.sh checks what each docstring says must hold. Two
families: round 17's leftovers (a banner the snaplen cut before its fourth
byte, a second banner line (round 17's srv_two_banners and
cli_two_banners, now said as one), copies of fragments after their
datagram was reassembled, an IP identification reused) and what an adversary does to the SSH parser and
the reassembly that no earlier round did: a re-sent KEXINIT with other
names, packet lengths at the 256 KiB edge, TCP timestamps wrapping past
2^32, and KEXINITs whose name-lists or tail change the HASSH (bytes past
the reserved field, empty lists, empty and repeated names, bytes past
ASCII)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, Conn, NEWKEYS, ssh_packet  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, eth, ip4, kexinit, tcp_seg  # noqa: E402
from genr15 import TsConn  # noqa: E402
from genr16 import finish, mid_keys, write  # noqa: E402
from genr17 import cli_two_banners, client_end, cut_banner, frags, srv_two_banners  # noqa: E402

SSH_MAX_PACKET = 256 * 1024  # OpenSSH's PACKET_MAX_SIZE: a longer packet_length ends the connection


# -- (a) round 17's leftovers ---------------------------------------------

def cut_banner_3():
    """Client port 49401: the server's banner over two segments, the first
    (12 bytes) cut by the snaplen to 3 ("SSH"), the second the banner's
    rest and the KEXINIT. Must hold: hasshServer read, `banner_cut`."""
    return cut_banner(49401, 3)


def cut_banner_2():
    """Client port 49402: as cut_banner_3, cut to 2 ("SS")."""
    return cut_banner(49402, 2)


def cut_banner_1():
    """Client port 49403: as cut_banner_3, cut to 1 ("S")."""
    return cut_banner(49403, 1)


def frag_copy_late(sp=49404, later=0):
    """Client port 49404 (sp), `later` seconds into the capture: the server's banner and KEXINIT segment in three
    IPv4 fragments, then copies of the second and third after the datagram
    was reassembled (a SPAN port's). Must hold: hasshServer read; the
    copies said as copies, not as a datagram incomplete at the end."""
    c = Conn(sp)
    c.t += later
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV, CLI, 22, sp, c.seq[1], c.seq[0], PSH | ACK, data)
    fr = frags(seg, [0, 96, 200], 4343)
    for f in [fr[0], fr[1], fr[2], fr[1], fr[2]]:
        c.t += 0.001
        c.frames.append((c.t, f))
    return client_end(c, len(data))


def frag_id_reuse():
    """Client port 49405: the server's banner and KEXINIT in two IPv4
    fragments of identification 4444, and then its NEWKEYS and first
    records (a second datagram, shorter) in two fragments of the same
    identification (a sender whose counter wrapped, or one per flow).
    Must hold: both datagrams read: hasshServer, outcome `encrypted`, the
    server's 3 records after NEWKEYS; no datagram lost."""
    c = Conn(49405)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    c.send(True, BAN_C + kexinit(KEX))
    for d in (data, NEWKEYS + b"\x5a" * 108):
        seg = tcp_seg(SRV, CLI, 22, 49405, c.seq[1], c.seq[0], PSH | ACK, d)
        for f in frags(seg, [0, 48], 4444):
            c.t += 0.001
            c.frames.append((c.t, f))
        c.seq[1] += len(d)
        c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, NEWKEYS)
    mid_keys(c, 3)
    c.close()
    return write(c.frames)


# -- (b) the reassembly and the SSH parser ---------------------------------

KEX_EVIL = [b"curve25519-sha256", b"ssh-ed25519", b"aes999-ctr", b"aes999-ctr"] + KEX[4:]


def kex_resent_other():
    """Client port 49411: the server's banner and KEXINIT, then (before the
    client's ACK) the same bytes again with other cipher names of the same
    length (aes999-ctr): a receiver keeps the first copy. Must hold:
    hasshServer of the first, `stream_conflict`."""
    c = Conn(49411)
    c.handshake()
    good, bad = BAN_S + kexinit(KEX), BAN_S + kexinit(KEX_EVIL)
    assert len(good) == len(bad)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, good)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, bad)
    return client_end(c, len(good))


def pkt_len(sp, length):
    """The client's banner, an SSH_MSG_IGNORE of packet_length `length`,
    its KEXINIT."""
    c = Conn(sp)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    pad = 4
    ign = struct.pack("!IBB", length, pad, 2) + struct.pack("!I", length - pad - 6)
    ign += b"i" * (length - pad - 6) + b"\0" * pad
    c.send(True, BAN_C + ign + kexinit(KEX))
    finish(c)
    return write(c.frames)


def pkt_max():
    """Client port 49412: before its KEXINIT the client sends an IGNORE
    whose packet_length is 262,144 (OpenSSH's most). Must hold: the
    client's HASSH read, no `packet_too_long`."""
    return pkt_len(49412, SSH_MAX_PACKET)


def pkt_over():
    """Client port 49413: as pkt_max, packet_length 262,145 (one past).
    Must hold: `packet_too_long`, no client HASSH (OpenSSH ends the
    connection there)."""
    return pkt_len(49413, SSH_MAX_PACKET + 1)


class WrapTsConn(TsConn):
    """A TsConn whose TSvals wrap past 2^32 - 1 to 0."""

    def pkt(self, c2s, seq, ack, flags, data=b"", **kw):
        i = 0 if c2s else 1
        super().pkt(c2s, seq, ack, flags, data, tsval=(self.tsv[i] + 1) % 2**32, **kw)
        self.tsv[i] %= 2**32


def ts_wrap():
    """Client port 49414: Timestamps on both sides (RFC 7323), the client's
    TSval 2^32 - 20 at the start: it wraps past 0 in the keystrokes (RFC
    7323 5.2: TSvals compare modulo 2^32). Must hold: every one of the
    client's 20 keystrokes read (client_enc_records 20), no PAWS drop."""
    c = WrapTsConn(49414)
    c.tsv = [2**32 - 20, 4000000]
    c.handshake()
    c.ssh()
    finish(c, 20)
    return write(c.frames)


def kex_with(sp, cli_kex):
    c = Conn(sp)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C + cli_kex)
    finish(c)
    return write(c.frames)


def kex_tail():
    """Client port 49415: the client's KEXINIT carries 16 bytes past its
    reserved field (OpenSSH reads the fields and passes over the rest).
    Must hold: hassh as without them (md5 of its lists)."""
    lists = b"".join(struct.pack("!I", len(n)) + n for n in KEX)
    body = b"\x14" + b"\x11" * 16 + lists + b"\0" + b"\0\0\0\0" + b"\x77" * 16  # follows, reserved, the tail
    return kex_with(49415, ssh_packet(body))


KEX_EMPTY = KEX[:6] + [b"", b""] + KEX[8:]


def kex_empty_lists():
    """Client port 49416: the client's compression lists empty (no peer can
    agree on one, yet the HASSH is of what was sent). Must hold: hassh of
    "curve25519-sha256;aes128-ctr;hmac-sha2-256;"."""
    return kex_with(49416, kexinit(KEX_EMPTY))


KEX_ODD = KEX[:2] + [b"aes128-ctr,,aes128-ctr,aes256-ctr,", b"aes128-ctr"] + KEX[4:]


def kex_odd_names():
    """Client port 49417: the client's cipher list with an empty name, a
    repeated one and a trailing comma (RFC 4251 5: no empty names). Must
    hold: hassh of the list as sent, byte for byte."""
    return kex_with(49417, kexinit(KEX_ODD))


KEX_UTF8 = KEX[:2] + ["aes128-ctr,ä-ctr@x".encode(), b"aes128-ctr", "hmac-sha2-256,\u202emac".encode()] + KEX[5:]


def kex_non_ascii():
    """Client port 49418: the client's lists carry UTF-8 names (U+00E4,
    a right-to-left override U+202E). Must hold: hassh of the bytes as
    sent; every output safe (no raw U+202E)."""
    return kex_with(49418, kexinit(KEX_UTF8))


CASES = [cut_banner_3, cut_banner_2, cut_banner_1, srv_two_banners, cli_two_banners, frag_copy_late, frag_id_reuse, kex_resent_other, pkt_max,
         pkt_over, ts_wrap, kex_tail, kex_empty_lists, kex_odd_names, kex_non_ascii]
SEEDS = [cut_banner_2, srv_two_banners, frag_copy_late, kex_resent_other, kex_tail]  # pkt_over: 290 KB, too big a seed


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: one per class."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    genmain.write_files(d, {"r18_%s.pcap" % f.__name__: f() for f in SEEDS})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})  # genr18.py DIR, or genr18.py seeds REPO
