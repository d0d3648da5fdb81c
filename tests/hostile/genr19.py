#!/usr/bin/env python3
"""Hostile classes, round 19, written at test time: `genr19.py DIR` writes
each case below into DIR (`genr19.py seeds REPO`: this round's fuzz seeds
into REPO/fuzz/seeds). Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. tests/hostile/t_round19.sh checks what each docstring says
must hold. Three families: round 18's leftovers (IP fragment copies
through `--jobs` and `strider merge`, a banner line ended by CR alone,
TCP urgent data inside an SSH stream), bytes a receiver took and then saw
again with other contents, and the same connection seen through a tunnel
(GRE, VXLAN, ERSPAN) or twice, once tunnelled and once not."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, NEWKEYS, PSH, Conn  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, eth, ip4, ip6, kexinit, tcp_seg  # noqa: E402
from mkcap import csum  # noqa: E402
from genr16 import finish, mid_keys, write  # noqa: E402
from genr17 import client_end  # noqa: E402
from genr18 import KEX_EVIL, frag_copy_late  # noqa: E402

URG = 0x20
GW_A, GW_B = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])  # tunnel end points (RFC 5737 TEST-NET-1)


# -- (a) round 18's leftovers ---------------------------------------------

def frag_copy_a():
    """Client port 49404: round 18's frag_copy_late (a datagram's last two
    fragments copied after it was reassembled). With frag_copy_b: the
    copies' count (1 each) in `summary --json` ("frag_copies") and the
    same summary from one run and from `--jobs 2` (chunks merged)."""
    return frag_copy_late()


def frag_copy_b():
    """Client port 49501: as frag_copy_a, an hour later (the next file of a
    rotation)."""
    return frag_copy_late(49501, 3600)


def banner_with(sp, sban=BAN_S, cban=BAN_C):
    c = Conn(sp)
    c.handshake()
    c.send(False, sban + kexinit(KEX))
    c.send(True, cban + kexinit(KEX))
    finish(c)
    return write(c.frames)


def banner_cr_only():
    """Client port 49511: the server's line "SSH-2.0-OpenSSH_9.6\\r" then
    its KEXINIT at once (no LF). OpenSSH (kex.c
    kex_exchange_identification) takes a CR as the end of the line only
    when LF follows; any other byte after it is "banner line contains
    invalid characters" and the connection ends. Must hold: `banner_bad`,
    the detail naming the CR without LF."""
    return banner_with(49511, sban=b"SSH-2.0-OpenSSH_9.6\r")


def banner_cr_mid():
    """Client port 49512: the client's line "SSH-2.0-Open\\rSSH_9.6\\r\\n"
    (a CR inside it). Must hold: as banner_cr_only, for the client."""
    return banner_with(49512, cban=b"SSH-2.0-Open\rSSH_9.6\r\n")


def banner_crcr():
    """Client port 49513: the server's line ended by CR CR LF, which
    OpenSSH reads (a CR only sets "LF expected"; a second one is passed
    over). Must hold: no `banner_bad`, the banner "SSH-2.0-OpenSSH_9.6",
    hasshServer read."""
    return banner_with(49513, sban=b"SSH-2.0-OpenSSH_9.6\r\r\n")


def urg_seg(c, c2s, data, urp, flags=PSH | ACK | URG):
    """One segment of data at the side's next sequence number with the
    urgent pointer urp (BSD: the byte before seq + urp is urgent), the
    peer's ACK; the side's sequence number moved past the data."""
    i = 0 if c2s else 1
    s, d = (CLI, SRV) if c2s else (SRV, CLI)
    a, b = (c.sp, c.dp) if c2s else (c.dp, c.sp)
    seg = tcp_seg(s, d, a, b, c.seq[i], c.seq[1 - i], flags, data)
    seg = seg[:16] + b"\0\0" + struct.pack("!H", urp) + seg[20:]
    seg = seg[:16] + struct.pack("!H", csum(s + d + struct.pack("!BBH", 0, 6, len(seg)) + seg)) + seg[18:]
    c.t += 0.001
    c.frames.append((c.t, eth(ip4(s, d, 6, seg))))
    c.seq[i] += len(data)
    c.pkt(not c2s, c.seq[1 - i], c.seq[i], ACK)


def urg_kex():
    """Client port 49521: the client's banner and KEXINIT with one byte
    ("!") put in the KEXINIT's middle and sent urgent (URG, the urgent
    pointer just past it). OpenSSH never sends urgent data; a Linux or
    BSD sshd (no SO_OOBINLINE) reads the stream without that byte, so the
    KEXINIT it reads is whole. Must hold: the client's HASSH of the
    KEXINIT without the byte, the urgent byte said (`urgent_data`, its
    frame)."""
    c = Conn(49521)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    data = BAN_C + kexinit(KEX)
    k = len(BAN_C) + 60
    c.send(True, data[:k])
    urg_seg(c, True, b"!" + data[k:], 1)
    finish(c)
    return write(c.frames)


def urg_zero():
    """Client port 49522: the client's KEXINIT segment carries URG with an
    urgent pointer of 0 (it points before the segment: nothing in it is
    urgent). Must hold: the client's HASSH, no `urgent_data`."""
    c = Conn(49522)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    urg_seg(c, True, BAN_C + kexinit(KEX), 0)
    finish(c)
    return write(c.frames)


def urg_newkeys():
    """Client port 49523: after NEWKEYS, one of the client's keystroke
    records is followed by a one-byte urgent segment (telnet's "Interrupt
    Process" habit, on port 22). Must hold: the byte said
    (`urgent_data`), the records after it read (client_enc_records 3:
    the byte not taken for the start of a record)."""
    c = Conn(49523)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, 1)
    urg_seg(c, True, b"\xff", 1)
    mid_keys(c, 2)
    c.close()
    return write(c.frames)


# -- (b) bytes taken, then seen again with other contents ------------------

def retx_after_ack():
    """Client port 49531: the server's banner and KEXINIT, ACKed by the
    client; then a copy of the same range with other cipher names of the
    same length (aes999-ctr) sent after that ACK (a receiver has handed the
    first to sshd: the copy is a duplicate it drops). Must hold:
    hasshServer of the first copy, `stream_conflict`."""
    c = Conn(49531)
    c.handshake()
    good, bad = BAN_S + kexinit(KEX), BAN_S + kexinit(KEX_EVIL)
    c.send(False, good)
    c.pkt(False, c.seq[1] - len(bad), c.seq[0], PSH | ACK, bad)
    return client_end(c)


def retx_after_ack_more():
    """Client port 49532: the server's banner ACKed, then one segment from
    the banner's start holding a rewritten banner ("SSH-2.0-EvilSSH_6.6")
    and the KEXINIT after it: a receiver keeps its banner and takes only
    the new bytes (the KEXINIT). Must hold: the server banner
    OpenSSH_9.6, hasshServer read, `stream_conflict`."""
    c = Conn(49532)
    c.handshake()
    c.send(False, BAN_S)
    bad = b"SSH-2.0-EvilSSH_6.6\r\n"
    assert len(bad) == len(BAN_S)
    kex = kexinit(KEX)
    c.pkt(False, c.seq[1] - len(BAN_S), c.seq[0], PSH | ACK, bad + kex)
    return client_end(c, len(kex))


def ip6_nonext():
    """Client [::1]:49533 -> [::2]:22 over IPv6: before the server's
    banner, a packet of Next Header 59 (No Next Header, RFC 8200 4.7)
    whose bytes after the header are a TCP segment at the banner's
    sequence number with another banner: a receiver passes those bytes
    over. Must hold: the server banner OpenSSH_9.6; no EvilSSH."""
    c = Conn(49533, v6=True)
    c.handshake()
    bad = b"SSH-2.0-EvilSSH_6.6\r\n" + kexinit(KEX_EVIL)
    seg = tcp_seg(SRV6, CLI6, 22, 49533, c.seq[1], c.seq[0], PSH | ACK, bad)
    c.t += 0.001
    c.frames.append((c.t, eth(ip6(SRV6, CLI6, 59, seg), 0x86DD)))
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


# -- (c) one connection through tunnels -----------------------------------

def gre(inner, proto=0x0800):
    return eth(ip4(GW_A, GW_B, 47, struct.pack("!HH", 0, proto) + inner))


def vxlan(inner_frame, vni):
    body = struct.pack("!II", 0x08000000, vni << 8) + inner_frame
    return eth(ip4(GW_A, GW_B, 17, struct.pack("!HHHH", 49999, 4789, 8 + len(body), 0) + body))


def erspan2(inner_frame):
    hdr = struct.pack("!HHI", 0x1000, 0x88BE, 1) + struct.pack("!HHI", 0x1000 | 10, 0, 0)  # GRE S bit, seq; v1, VLAN 10
    return eth(ip4(GW_A, GW_B, 47, hdr + inner_frame))


def ssh_conn(sp):
    c = Conn(sp)
    c.handshake()
    c.ssh()
    finish(c)
    return c


def tunnelled(sp, wrap):
    return write([(t, wrap(f)) for t, f in ssh_conn(sp).frames])


def gre_ssh():
    """Client port 49541: a whole SSH session inside GRE (IPv4 in GRE in
    IPv4). Must hold: the session read (hasshServer, outcome
    `encrypted`, client_enc_records 3)."""
    return tunnelled(49541, lambda f: gre(f[14:]))


def vxlan_ssh():
    """Client port 49542: the same inside VXLAN (VNI 77)."""
    return tunnelled(49542, lambda f: vxlan(f, 77))


def erspan_ssh():
    """Client port 49543: the same inside ERSPAN type II (a remote SPAN
    session's copies)."""
    return tunnelled(49543, erspan2)


def tunnel_and_plain():
    """Client port 49544: every frame twice, tunnelled (GRE) and then as
    it is (a capture on a tunnel end point on every interface). Must hold:
    one connection, read once: hasshServer, client_enc_records 3."""
    frames = []
    for t, f in ssh_conn(49544).frames:
        frames += [(t, gre(f[14:])), (t + 0.0001, f)]
    return write(frames)


def vni_twins():
    """Client port 49545 in VXLAN VNIs 100 and 200: two tenants' sessions
    with the same inner addresses and ports at the same time (the
    overlapping address spaces a VXLAN fabric exists for), the second's
    banner "SSH-2.0-OtherSSH_1.0". Must hold: both banners seen and no
    data of one read as the other's retransmission (no
    `stream_conflict`), or the tie said."""
    return twins(49545, lambda f, k: vxlan(f, 100 + 100 * k))


def twins(sp, wrap):
    """Two sessions on client port sp at once, the second 0.5 ms behind
    and its banner "SSH-2.0-OtherSSH_1.0", each frame wrapped by
    wrap(frame, k) for k 0 and 1 (two tunnel segments)."""
    a, b = Conn(sp), Conn(sp)
    a.handshake()
    b.handshake()
    a.ssh()
    b.ssh(sban=b"SSH-2.0-OtherSSH_1.0\r\n")
    finish(a)
    finish(b)
    frames = [(t, wrap(f, 0)) for t, f in a.frames] + [(t + 0.0005, wrap(f, 1)) for t, f in b.frames]
    frames.sort(key=lambda x: x[0])
    return write(frames)


CASES = [frag_copy_a, frag_copy_b, banner_cr_only, banner_cr_mid, banner_crcr, urg_kex, urg_zero, urg_newkeys,
         retx_after_ack, retx_after_ack_more, ip6_nonext, gre_ssh, vxlan_ssh, erspan_ssh, tunnel_and_plain,
         vni_twins]
SEEDS = [banner_cr_only, urg_kex, retx_after_ack_more, ip6_nonext, tunnel_and_plain, vni_twins]


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: one per class."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    genmain.write_files(d, {"r19_%s.pcap" % f.__name__: f() for f in SEEDS})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})  # genr19.py DIR, or genr19.py seeds REPO
