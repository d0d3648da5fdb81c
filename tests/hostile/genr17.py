#!/usr/bin/env python3
"""Hostile classes, round 17, written at test time: `genr17.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said (`genr17.py seeds REPO`: this round's fuzz seeds into
REPO/fuzz/seeds). tests/hostile/t_round17.sh checks what each docstring says
must hold. Three families: round 16's leftovers (a capture begun between
the banners and the KEXINITs, a banner cut inside its line, caplen past the
wire length, data past the offered window) with the cases that keep their
fixes honest; the TCP and IP layer (every frame captured twice, Fast Open
accepted, a 4-tuple reused after a RST, exact duplicate fragments, an IPv6
fragment whose fragmentable part starts with an extension header); and the
files and the cleartext SSH layer (two pcaps concatenated, an interface
described after packets of another, two banners from one side, terminal
and markup sequences in a banner)."""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, PSH, RST, SYN, Conn, NEWKEYS, ssh_packet  # noqa: E402
from genfmt import (BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, T0, blk, eth, ip4, ip6, kexinit, pcap,  # noqa: E402
                    shb, tcp_seg)
from genr16 import HDR, EVIL_S, finish, mid_conn, mid_keys, recs_of, write  # noqa: E402
from genr16 import mid_kex as r16_mid_kex  # noqa: E402
from genr16 import past_window as r16_past_window  # noqa: E402

RNG = random.Random(17)
BAN_97 = b"SSH-2.0-OpenSSH_9.7\r\n"
EVIL_C = b"SSH-2.0-EVILCLI_1.0\r\n"


def rnd(n):
    return bytes(RNG.getrandbits(8) for _ in range(n))


def opts_pkt(c, c2s, seq, ack, flags, data=b"", opts=b"", win=65535):
    """Conn.pkt with TCP options."""
    s, d = (CLI, SRV) if c2s else (SRV, CLI)
    a, b = (c.sp, c.dp) if c2s else (c.dp, c.sp)
    c.t += 0.001
    c.frames.append((c.t, eth(ip4(s, d, 6, tcp_seg(s, d, a, b, seq, ack, flags, data, opts=opts, win=win)))))


def wscale(n):
    return b"\x01\x03\x03" + bytes([n])  # NOP, window scale (RFC 7323 2.2)


def client_end(c, acked=0):
    """The common end of a case: the server's acked bytes sent by hand (its
    sequence number moved past them and the client's ACK), then the
    client's banner and KEXINIT, both NEWKEYS, 3 keystrokes, the close.
    Returns the capture."""
    if acked:
        c.seq[1] += acked
        c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


# -- (a) round 16's leftovers --------------------------------------------

def mid_kex():
    """Client port 49301: the capture began a moment after the connection
    opened: no SYN, no banners, each side's first bytes its KEXINIT, then
    NEWKEYS and 10 keystrokes: round 16's mid_kex (genr16.py) on this port.
    Must hold: read as SSH (`"type":"ssh"`, midstream) with both HASSHes and
    the cipher aes128-ctr."""
    return r16_mid_kex(49301)


def mid_kex_split():
    """Client port 49302: as mid_kex, each KEXINIT over three segments and
    the client's first. Must hold: read as SSH with both HASSHes."""
    c = mid_conn(49302)
    c.send(True, kexinit(KEX), mss=60)
    c.send(False, kexinit(KEX), mss=70)
    finish(c, 10)
    return write(c.frames)


def mid_kex_srv_only():
    """Client port 49303: as mid_kex, but the client's KEXINIT went before
    the capture began: its first captured bytes are its key exchange init
    (message 30, cleartext), the server's its KEXINIT. Must hold: read as
    SSH with the server's HASSH, outcome `encrypted`."""
    c = mid_conn(49303)
    c.send(False, kexinit(KEX))
    c.send(True, ssh_packet(b"\x1e" + struct.pack("!I", 32) + rnd(32)))
    c.send(False, ssh_packet(b"\x1f" + rnd(200)))
    finish(c, 10)
    return write(c.frames)


def cut_banner(sp, keep):
    c = Conn(sp)
    c.handshake()
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, BAN_S[:12])
    i = len(c.frames) - 1
    c.seq[1] += 12
    c.send(False, BAN_S[12:] + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames, {i: HDR + keep})


def cut_banner_split():
    """Client port 49311: the server's banner over two segments, the first
    (12 bytes) cut to 6 ("SSH-2.") and never re-sent, the second the
    banner's rest and the KEXINIT. Must hold: the server's KEXINIT read
    (hasshServer), the banner cut said (`banner_cut`)."""
    return cut_banner(49311, 6)


def cut_banner_one():
    """Client port 49312: as cut_banner_split, the first segment cut to
    4 bytes ("SSH-", the least read as a banner). Must hold: hasshServer
    read."""
    return cut_banner(49312, 4)


def caplen_gt_len():
    """Client port 49313: the server's banner record says caplen past its
    wire length (4 bytes of payload on the wire), the bytes past it the
    attacker's banner and KEXINIT (the IPv4 total length counting them).
    The wire had 4 bytes; the server re-sends. Must hold: server banner
    OpenSSH_9.6, hasshServer of KEX, no `stream_conflict`, the record
    said with its frame."""
    c = Conn(49313)
    c.handshake()
    c.t += 0.001
    seg = tcp_seg(SRV, CLI, 22, 49313, c.seq[1], c.seq[0], PSH | ACK,
                  EVIL_S + kexinit([b"evil-kex"] + KEX[1:]))
    f = eth(ip4(SRV, CLI, 6, seg))
    i = len(c.frames)
    c.frames.append((c.t, f))
    c.ssh()
    finish(c)
    recs = recs_of(c.frames)
    s, u, cl, wl, d = recs[i]
    recs[i] = (s, u, cl, HDR + 4, d)
    return pcap([], recs=recs)


def caplen_pad():
    """Client port 49314: every record's caplen 2 bytes past its wire
    length, the 2 bytes zeros after the IPv4 datagram's end (a writer that
    rounds up). Must hold: read whole (both HASSHes, no `snaplen_cut`)."""
    c = Conn(49314)
    c.handshake()
    c.ssh()
    finish(c)
    recs = []
    for s, u, cl, wl, d in recs_of(c.frames):
        recs.append((s, u, cl + 2, wl, d + b"\0\0"))
    return pcap([], recs=recs)


def past_window():
    """Client port 49315: round 16's past_window (genr16.py: the server's
    first segment is the attacker's, past the client's 10-byte window;
    the real rest follows once the client ACKs the 10), now read right.
    Must hold: server banner OpenSSH_9.6, hasshServer of KEX."""
    return r16_past_window(49315)


def past_window_whole():
    """Client port 49318: as past_window, the attacker's segment wholly
    past the 10-byte window (at its edge: banner bytes 10 on, EVILSRV's),
    sent before the real segment with all the bytes; then the client's
    ACK of them all. Must hold: server banner OpenSSH_9.6."""
    c = Conn(49318)
    c.handshake(win=10)
    good = BAN_S + kexinit(KEX)
    bad = b"EVILSRV_1.0\r\n"[:len(BAN_S) - 10] + kexinit([b"evil-kex"] + KEX[1:])
    c.pkt(False, c.seq[1] + 10, c.seq[0], PSH | ACK, bad)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, good[:10])
    c.pkt(True, c.seq[0], c.seq[1] + 10, ACK)
    c.pkt(False, c.seq[1] + 10, c.seq[0], PSH | ACK, good[10:])
    return client_end(c, len(good))


def win_missed_update():
    """Client port 49316: the client offers a 100-byte window, then
    (in an update the capture missed) 64 KB; the server's banner and
    KEXINIT come in one segment past the 100 bytes and are ACKed whole;
    nothing else is ever sent at those numbers. Must hold: read whole
    (hasshServer), no `stream_conflict`."""
    c = Conn(49316)
    c.handshake(win=100)
    c.ssh()
    finish(c)
    return write(c.frames)


def win_scaled():
    """Client port 49317: both SYNs carry a window scale of 7; the client
    offers 16 (2 KB) in every ACK; the server's 1,400-byte segments are
    inside that. Must hold: read whole (both HASSHes, 12 keystrokes), no
    `stream_conflict`."""
    c = Conn(49317)
    cs, ss = c.seq
    opts_pkt(c, True, cs, 0, SYN, opts=wscale(7), win=16)
    opts_pkt(c, False, ss, cs + 1, SYN | ACK, opts=wscale(7), win=16)
    c.seq = [cs + 1, ss + 1]
    c.pkt(True, cs + 1, ss + 1, ACK, win=16)
    data = BAN_S + kexinit([n * 40 if i == 0 else n for i, n in enumerate(KEX)])
    for k in range(0, len(data), 1400):
        c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, data[k:k + 1400], win=16)
        c.seq[1] += len(data[k:k + 1400])
        c.pkt(True, c.seq[0], c.seq[1], ACK, win=16)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c, 12)
    return write(c.frames)


# -- (b) TCP and IP ------------------------------------------------------

def session(sp, n=10):
    c = Conn(sp)
    c.handshake()
    c.ssh()
    finish(c, n)
    return c


def dup_every():
    """Client ports 49321 and 49322: the same SSH session (10 keystrokes)
    twice, 49321's every frame recorded twice in a row (a SPAN port
    copying both directions of a switch), 49322's once. Must hold: the two
    read alike (keystrokes, client and server records), no
    `stream_conflict`, no missed bytes."""
    RNG.seed(1721)
    a = session(49321)
    RNG.seed(1721)
    b = session(49322)
    frames = []
    for t, f in a.frames:
        frames += [(t, f), (t + 0.000001, f)]
    frames += [(t + 5, f) for t, f in b.frames]
    return write(frames)


def tfo_accepted():
    """Client port 49323: TCP Fast Open accepted (RFC 7413): the SYN
    carries a cookie (option 34) and the client's banner and KEXINIT; the
    SYN-ACK acknowledges them; the server's banner and KEXINIT follow.
    Must hold: the client's banner OpenSSH_9.6 and HASSH, the server's."""
    c = Conn(49323)
    cs, ss = c.seq
    data = BAN_C + kexinit(KEX)
    opts_pkt(c, True, cs, 0, SYN, data, opts=b"\x22\x0a" + rnd(8))
    c.pkt(False, ss, cs + 1 + len(data), SYN | ACK)
    c.seq = [cs + 1 + len(data), ss + 1]
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(False, BAN_S + kexinit(KEX))
    finish(c)
    return write(c.frames)


def reuse_rst():
    """Client port 49324: a session ended by the client's RST, then 0.3 s
    later the same 4-tuple opened again with a lower ISN (a client that
    reused its port at once), the second server banner OpenSSH_9.7. Must
    hold: two SSH sessions, banners OpenSSH_9.6 then OpenSSH_9.7."""
    c = Conn(49324, cs=0x50000000, ss=0x60000000)
    c.handshake()
    c.ssh()
    finish_rst(c)
    c.t += 0.3
    c.seq = [0x10000000, 0x20000000]
    c.handshake()
    c.ssh(sban=BAN_97)
    finish(c)
    return write(c.frames)


def finish_rst(c):
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, 3)
    c.pkt(True, c.seq[0], c.seq[1], RST | ACK)


def frags(seg, parts, ident):
    """An IPv4 datagram from the server holding seg, as fragments at the
    byte offsets parts (multiples of 8)."""
    out, cuts = [], parts + [len(seg)]
    for k in range(len(parts)):
        a, b = cuts[k], cuts[k + 1]
        out.append(eth(ip4(SRV, CLI, 6, seg[a:b], ident=ident, frag=a // 8, more=b < len(seg))))
    return out


def frag_dup_exact():
    """Client port 49325: the server's banner and KEXINIT segment in three
    IPv4 fragments, each sent twice (the same bytes), the last first. A
    receiver reassembles it once. Must hold: hasshServer read, no fragment
    rejected."""
    c = Conn(49325)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV, CLI, 22, 49325, c.seq[1], c.seq[0], PSH | ACK, data)
    fr = frags(seg, [0, 96, 200], 4242)
    for f in [fr[2], fr[2], fr[0], fr[1], fr[0], fr[1]]:
        c.t += 0.001
        c.frames.append((c.t, f))
    return client_end(c, len(data))


def frag6_dst_after():
    """Client port 49326 over IPv6: the server's banner and KEXINIT
    segment in two fragments whose fragmentable part starts with a
    Destination Options header (RFC 8200 4.1's order: it may follow the
    Fragment header), then TCP. Must hold: hasshServer read."""
    c = Conn(49326, v6=True)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV6, CLI6, 22, 49326, c.seq[1], c.seq[0], PSH | ACK, data)
    dst = struct.pack("!BB", 6, 0) + b"\x01\x04\0\0\0\0"  # next TCP, PadN
    part = dst + seg
    cut = 128
    for off, more in ((0, 1), (cut, 0)):
        body = part[off:cut] if more else part[off:]
        fh = struct.pack("!BBHI", 60, 0, off | more, 0x1717)
        c.t += 0.001
        c.frames.append((c.t, eth(ip6(SRV6, CLI6, 44, fh + body), 0x86DD)))
    return client_end(c, len(data))


# -- (c) files and the cleartext SSH layer --------------------------------

def cat_pcaps():
    """Two classic pcaps concatenated (`cat a.pcap b.pcap`): client port
    49331's session in the first, 49332's in the second (a second file
    header where a record header should be). Must hold: 49331 read whole;
    the second header said with the file and its place (frame); and
    49332 read too (the header is a file's, at a record's boundary)."""
    a = session(49331, 4)
    b = session(49332, 4)
    b.frames = [(t + 10, f) for t, f in b.frames]
    return write(a.frames) + write(b.frames)


def cat_swapped():
    """As cat_pcaps (client ports 49334, 49335), the second file
    big-endian, in nanoseconds and of raw IPv4 (link type 101). Must hold:
    both sessions read, 49335's dated 10 s after 49334's start."""
    a = session(49334, 4)
    b = session(49335, 4)
    recs = []
    for t, f in b.frames:
        ns = round((t + 10) * 1e9)
        recs.append((ns // 10**9, ns % 10**9, len(f) - 14, len(f) - 14, f[14:]))
    return write(a.frames) + pcap([], link=101, magic=0xA1B23C4D, endian=">", recs=recs)


def ng_late_idb():
    """pcapng, client port 49333: interface 0 (Ethernet, microseconds)
    carries the session's first half; then an IDB for interface 1 (raw
    IPv4, nanoseconds) after those packets (legal: an IDB may come
    anywhere in its section), and the second half on interface 1. Must
    hold: one connection with both HASSHes and its 10 keystrokes, no
    time-back warning."""
    c = session(49333)
    out = [shb(), blk(1, struct.pack("<HHI", 1, 0, 0))]
    half = len(c.frames) // 2
    for t, f in c.frames[:half]:
        us = round(t * 1e6)
        out.append(blk(6, struct.pack("<IIIII", 0, us >> 32, us & 0xFFFFFFFF, len(f), len(f)) + f))
    tsres = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    out.append(blk(1, struct.pack("<HHI", 101, 0, 0) + tsres))
    for t, f in c.frames[half:]:
        ns = round(t * 1e6) * 1000
        ipf = f[14:]
        out.append(blk(6, struct.pack("<IIIII", 1, ns >> 32, ns & 0xFFFFFFFF, len(ipf), len(ipf)) + ipf))
    return b"".join(out)


def srv_two_banners():
    """Client port 49341: the server sends its banner, then a second
    identification line (the attacker's, EVILSRV) before its KEXINIT.
    After the first line the stream is binary packets (RFC 4253 4.2): the
    second is no banner. Must hold: server banner OpenSSH_9.6, never
    EVILSRV reported as the server's version."""
    c = Conn(49341)
    c.handshake()
    c.send(False, BAN_S)
    c.send(False, EVIL_S + kexinit(KEX))
    return client_end(c)


def cli_two_banners():
    """Client port 49342: as srv_two_banners, the client's side: its
    banner, then EVILCLI's line in the same segment, then its KEXINIT.
    Must hold: client banner OpenSSH_9.6, never EVILCLI as the client's."""
    c = Conn(49342)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C + EVIL_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


TERM = (b"SSH-2.0-Open\x1b]8;;http://x/\x1b\\link\x1b]8;;\x1b\\\x1b[2J\x1b[31m<img src=x onerror=alert(1)>"
        b"=HYPERLINK(\"x\")\xc0\x80\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80\xc2\x9b1m\r\n")


def banner_term():
    """Client port 49343: the server's banner carries an OSC 8 hyperlink,
    CSI clear-screen and colour, an <img onerror> tag, a CSV formula, UTF-8
    overlongs (C0 80, E0 80 AF), a surrogate (ED A0 80), a code point past
    U+10FFFF and an 8-bit CSI in UTF-8 (C2 9B). Must hold: every command and
    format safe (runlib.sh safe_every), the banner's printable text kept."""
    c = Conn(49343)
    c.handshake()
    c.send(False, TERM + kexinit(KEX))
    return client_end(c)


CASES = [mid_kex, mid_kex_split, mid_kex_srv_only, cut_banner_split, cut_banner_one, caplen_gt_len, caplen_pad,
         past_window, past_window_whole, win_missed_update, win_scaled, dup_every, tfo_accepted, reuse_rst, frag_dup_exact,
         frag6_dst_after, cat_pcaps, cat_swapped, ng_late_idb, srv_two_banners, cli_two_banners, banner_term]


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: one per class
    fixed."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    genmain.write_files(d, {"r17_%s.pcap" % f.__name__: f() for f in SEEDS})


SEEDS = [mid_kex, mid_kex_srv_only, cut_banner_split, caplen_gt_len, past_window, cat_pcaps]


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})  # genr17.py DIR, or genr17.py seeds REPO
