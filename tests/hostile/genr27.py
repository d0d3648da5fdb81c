#!/usr/bin/env python3
"""Hostile classes, round 27, written at test time: `genr27.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(fd00::1 -> fd00::2 over IPv6) unless said. tests/hostile/t_round27.sh
checks what each docstring says must hold. Classes no round had (checked
by grepping genr*.py, the rounds' header comments and the source for
option kinds 19 and 29): segments carrying a TCP authentication option
(TCP-MD5, RFC 2385; TCP-AO, RFC 5925) their connection does not use, or
lacking the one it does, which a Linux receiver drops (INTANG's MD5
insertion packets, Wang et al. 2017); an IP datagram whose length field
claims more than its frame held (not a snaplen cut), which every
receiver's IP layer drops, carrying the attacker's bytes at the right
sequence number (round 8 and genfmt.py's ip_lie had such lengths on
honest data only: left, said). Then what was already right: an IPv4
datagram behind the IPv6 ethertype (dropped, said)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, EVIL_KEX, NEWKEYS, PSH, SYN  # noqa: E402
from genfmt import BAN_C, BAN_S, KEX, kexinit, ip4  # noqa: E402
from genr16 import mid_keys, write  # noqa: E402
from genr23 import OptConn, ip6x  # noqa: E402

KEYS = 3  # keystrokes each way after NEWKEYS
MD5 = bytes([19, 18]) + b"\x5a" * 16          # RFC 2385: kind 19, length 18, a 16-byte digest
AO = bytes([29, 16, 7, 7]) + b"\xa5" * 12     # RFC 5925: kind 29, KeyID, RNextKeyID, a 12-byte MAC
EVIL_C = b"SSH-2.0-EVIL_1.0\r\n" + kexinit(EVIL_KEX)
EVIL_S = b"SSH-2.0-EVILD_1.0\r\n" + kexinit(EVIL_KEX)


class AuthConn(OptConn):
    """An OptConn whose every segment carries sign (TCP options) unless
    pkt is given topts: a connection that uses TCP-MD5 (sign=MD5)."""

    def __init__(self, sp, v6=False, sign=b""):
        super().__init__(sp, v6=v6)
        self.sign = sign

    def pkt(self, c2s, seq, ack, flags, data=b"", bad_csum=False, win=65535, t=None, topts=None, l3=None):
        super().pkt(c2s, seq, ack, flags, data, bad_csum, win, t, self.sign if topts is None else topts, l3)


def inject_first(sp, c2s, evil, v6=False, sign=b"", t=None, flags=PSH | ACK, back=0, **kw):
    """The handshake; the attacker's copy of one side's banner and KEXINIT
    (evil) in a segment with flags at that side's next number less back,
    never ACKed, sent with pkt's kw
    (its TCP options or IP layer), at t (10 s apart by port if None); then the real banners and KEXINITs,
    NEWKEYS both ways, KEYS keystrokes each way, the close."""
    c = AuthConn(sp, v6=v6, sign=sign)
    c.t = 1700000000.0 + 10 * (sp - 49700) if t is None else t
    c.handshake()
    if c2s:
        c.send(False, BAN_S + kexinit(KEX))
    cs, ss = c.seq
    c.pkt(c2s, (cs if c2s else ss) - back, ss if c2s else cs, flags, evil, **kw)
    if not c2s:
        c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, KEYS)
    c.close()
    return c.frames


# -- (a) TCP authentication options the receiver does not expect -----------------

def tcp_auth():
    """Linux's tcp_inbound_hash drops a segment with a TCP-MD5 option when
    the socket has no MD5 key for its peer (TCPMD5Unexpected), one with a
    TCP-AO option when it has no AO key (TCP_AOUNEXPECTED), one without
    the option when it has a key (TCPMD5NotFound); a host with a key signs
    its SYN. Each session: the attacker's banner and KEXINIT (EVIL_KEX) at
    the right number before the real ones. Client port 49701: the client's
    copy with a made-up MD5 option; 49702: with a TCP-AO option; 49703:
    the server's copy with MD5; 49704 over IPv6, the client's with MD5;
    49705: a connection that uses TCP-MD5 (every segment, both SYNs, signed)
    and the client's copy without it. Must hold: every session's HASSH
    and hasshServer the real KEX's, its banners OpenSSH's, KEYS records
    each way, no EVIL in any output; stderr says the 5 segments (tcp-auth);
    `packets` marks the copy `untaken tcp-auth`; 49705's signed segments
    all taken (main: the attacker's banner and KEXINIT read, 0 records)."""
    return write(inject_first(49701, True, EVIL_C, topts=MD5) + inject_first(49702, True, EVIL_C, topts=AO) +
                 inject_first(49703, False, EVIL_S, topts=MD5) + inject_first(49704, True, EVIL_C, v6=True, topts=MD5) +
                 inject_first(49705, True, EVIL_C, sign=MD5, topts=b""))


def tcp_auth_honest():
    """The honest counterparts: client port 49706, a session whose client
    signs only its data with MD5 after a plain handshake (no Linux host
    takes it; a FreeBSD one does): its segments are held until the server
    ACKs them, then taken; 49707, a whole TCP-MD5 session. Must hold: both
    HASSHes and KEYS records each way in both."""
    c = AuthConn(49706)
    c.t = 1700000060.0
    c.handshake()
    c.sign = MD5
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, KEYS)
    c.close()
    d = AuthConn(49707, sign=MD5)
    d.t = c.t + 1
    genmain.to_keys(d, mid_keys, KEYS)
    d.close()
    return write(c.frames + d.frames)


# -- (b) IP datagrams shorter than their length field ---------------------------

def l4_long(s, d, seg):
    """IPv4 whose total length claims 40 bytes past the frame."""
    return ip4(s, d, 6, seg, tlen=20 + len(seg) + 40), 0x0800


def l6_long(s, d, seg):
    """IPv6 whose payload length claims 40 bytes past the frame."""
    dg = ip6x(s, d, [], seg)
    return dg[:4] + (len(seg) + 40).to_bytes(2, "big") + dg[6:], 0x86DD


def ip_long():
    """RFC 1122 3.2.1.2 and every stack (Linux's ip_rcv_core, ipv6_rcv:
    InTruncatedPkts) drop a datagram shorter than its length field says;
    the frame's record says nothing was cut (caplen = wire length). The
    attacker's banner and KEXINIT at the right number in such a datagram,
    then the real ones. Client port 49711: the client's copy, IPv4; 49712:
    the server's copy, IPv4; 49713: the client's, IPv6. Then client port
    49714: a RST|ACK from the server at the client's next number, after
    KEYS keystrokes, in such an IPv4 datagram, then KEYS more and the
    close. Must hold: stderr names each frame and its lengths; every output
    safe. Left (docs/known-issues.md, round 27): the attacker's banner and
    KEXINIT are read and 49714 is closed by the RST (RSTR), where the
    receivers dropped both; holding such datagrams until ACKed lost bytes
    of zeek's reassembly.pcap."""
    f = inject_first(49711, True, EVIL_C, l3=l4_long) + inject_first(49712, False, EVIL_S, l3=l4_long)
    f += inject_first(49713, True, EVIL_C, v6=True, l3=l6_long)
    c = AuthConn(49714)
    c.t = 1700000140.0
    genmain.to_keys(c, mid_keys, KEYS)
    cs, ss = c.seq
    c.pkt(False, ss, cs, 0x14, l3=l4_long)
    mid_keys(c, KEYS)
    c.close()
    return write(f + c.frames)


def ip_long_honest():
    """A capture device that cut frames without saying so (zeek's
    reassembly.pcap: 1,500-byte datagrams in 1,492 bytes): client port
    49715, the client's banner and KEXINIT segment cut 40 bytes short of
    its total length, the server ACKing all of it. Must hold: the client
    banner and KEYS records read."""
    c = AuthConn(49715)
    c.t = 1700000150.0
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    cs, ss = c.seq
    data = BAN_C + kexinit(KEX)
    c.pkt(True, cs, ss, PSH | ACK, data[:-40], l3=lambda s, d, seg: (ip4(s, d, 6, seg, tlen=20 + len(seg) + 40), 0x0800))
    c.seq[0] += len(data)
    c.pkt(False, ss, c.seq[0], ACK)
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, KEYS)
    c.close()
    return write(c.frames)


# -- (c) what was already right -------------------------------------------------

def etype_mismatch():
    """Client port 49721: the attacker's client banner and KEXINIT in an
    IPv4 datagram behind the IPv6 ethertype (Linux's ipv6_rcv drops a
    version other than 6), then the real ones. Must hold: said with its
    frame, the real HASSH and KEYS records."""
    return write(inject_first(49721, True, EVIL_C, l3=lambda s, d, seg: (ip4(s, d, 6, seg), 0x86DD)))


CASES = [tcp_auth, tcp_auth_honest, ip_long, ip_long_honest, etype_mismatch]

if __name__ == "__main__":
    genmain.run(CASES)
