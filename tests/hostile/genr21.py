#!/usr/bin/env python3
"""Hostile classes, round 21, written at test time: `genr21.py DIR` writes
each case below into DIR (`genr21.py seeds REPO`: this round's fuzz seeds
into REPO/fuzz/seeds). Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(or [::1] -> [::2]) unless said. tests/hostile/t_round21.sh checks what
each docstring says must hold. Classes no round had (checked by grepping
genr*.py): copies an evader sends with a TTL (or hop limit) too small to
reach the receiver, before the real bytes, in either direction, over
IPv6 and inside a tunnel, and an honest route change that keeps them
honest; two GRE keys' sessions with one 4-tuple; SSH in IPv4 in PPPoE in
802.1Q in VXLAN over IPv6; a pcapng file whose second section changes
byte order in the middle of a session; SSH binary packets before any
banner; KEXINIT name-lists whose lengths lie, and a packet_length that
ends a KEXINIT inside its name-lists."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, Conn  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, eth, epb, idb, ip4, ip6, kexinit, shb  # noqa: E402
from genfmt import tcp_seg  # noqa: E402
from mkcap import csum  # noqa: E402
from genr16 import finish, write  # noqa: E402
from genr18 import KEX_EVIL  # noqa: E402
from genr19 import GW_A, GW_B, ssh_conn, twins, vxlan  # noqa: E402
from genr20 import GW6_A, GW6_B  # noqa: E402

EVIL_BAN = b"SSH-2.0-EvilSSH_6.6\r\n"


def with_ttl(frame, ttl):
    """frame (Ethernet, IPv4 or IPv6) with its TTL or hop limit set to ttl
    (the IPv4 header checksum made right again)."""
    if frame[12:14] == b"\x86\xdd":
        return frame[:14 + 7] + bytes([ttl]) + frame[14 + 8:]
    h = bytearray(frame[14:34])
    h[8], h[10:12] = ttl, b"\0\0"
    h[10:12] = struct.pack("!H", csum(bytes(h)))
    return frame[:14] + bytes(h) + frame[34:]


def seg_frame(c, c2s, data):
    """The frame of data from one side at its next sequence number (not
    sent: the side's number does not move)."""
    i = 0 if c2s else 1
    v6 = c.v6
    s, d = ((CLI6, SRV6) if v6 else (CLI, SRV))[::1 if c2s else -1]
    a, b = (c.sp, c.dp) if c2s else (c.dp, c.sp)
    seg = tcp_seg(s, d, a, b, c.seq[i], c.seq[1 - i], PSH | ACK, data)
    return eth(ip6(s, d, 6, seg), 0x86DD) if v6 else eth(ip4(s, d, 6, seg))


# -- (a) copies a router's TTL drops ----------------------------------------

def ttl_copy(sp, c2s, ttl=1, v6=False, after=False, poison=False):
    """An SSH session (client port sp) in which, at the start of one side's
    bytes (the client's with c2s), the capture sees a copy of that side's
    banner and KEXINIT with another banner (EvilSSH) and names (KEX_EVIL),
    from that side's address and ports, with a TTL (hop limit) of ttl where
    the side's SYN had 64: an insertion a router between the capture point
    and the receiver drops (Ptacek and Newsham 1998, section 3.2; Snort's
    stream ttl_limit). before the real copy, or after it with after; with
    poison, first a pure ACK from that side at the same TTL."""
    c = Conn(sp, v6=v6)
    c.handshake()
    if c2s:
        c.send(False, BAN_S + kexinit(KEX))
    evil = with_ttl(seg_frame(c, c2s, EVIL_BAN + kexinit(KEX_EVIL)), ttl)
    if poison:
        c.pkt(c2s, c.seq[0 if c2s else 1], c.seq[1 if c2s else 0], ACK)
        c.frames[-1] = (c.t, with_ttl(c.frames[-1][1], ttl))
    if not after:
        c.t += 0.001
        c.frames.append((c.t, evil))
    c.send(c2s, (BAN_C if c2s else BAN_S) + kexinit(KEX))
    if after:
        c.t += 0.001
        c.frames.append((c.t, evil))
    if not c2s:
        c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return c


def ttl1_server():
    """Client port 49701: before the server's banner and KEXINIT, a copy of
    that range with EvilSSH and other names at TTL 1 (the SYN-ACK's TTL
    64); the real bytes follow at TTL 64, and the client ACKs them (the
    client read the real ones: the copy never reached it). Must hold: the
    server's real banner and HASSH (hasshServer of KEX), not EvilSSH's;
    the conflict said (`stream_conflict`). main: EvilSSH read, the real
    KEXINIT lost."""
    return write(ttl_copy(49701, False).frames)


def ttl1_client_v6():
    """Client [::1]:49702: the same in the client's direction over IPv6,
    the copy at hop limit 1 (RFC 8200 section 3: a node decrements it and
    discards the packet at 0). Must hold: the client's real banner and
    HASSH. main: the client's EvilSSH banner read."""
    return write(ttl_copy(49702, True, v6=True).frames)


def ttl3_server_vxlan():
    """Client port 49703: ttl1_server's session inside VXLAN (VNI 42), the
    inner copy at TTL 3 (three routers left on its way: the receiver four
    or more hops past the capture point drops it). Must hold: as
    ttl1_server."""
    return write([(t, vxlan(f, 42)) for t, f in ttl_copy(49703, False, ttl=3).frames])


def ttl1_after():
    """Client port 49704: the real server bytes first, then the TTL-1 copy
    (a late insertion). Must hold: the real ones kept (as main)."""
    return write(ttl_copy(49704, False, after=True).frames)


def ttl_ack_poison():
    """Client port 49707: ttl1_server with a pure ACK from the server at TTL
    1 first (an evader teaching a reader that the path is short). Must
    hold: as ttl1_server (a pure ACK moves no reference)."""
    return write(ttl_copy(49707, False, poison=True).frames)


def ttl_route_change():
    """Client port 49705: the SYN-ACK at TTL 64, then every later server
    segment at TTL 50 (the path changed: 14 more hops), the client ACKing
    each (it read them). A TTL below the handshake's is no loss by itself,
    and once the client ACKed the first such segment the path is known.
    Must hold: the whole session read (hasshServer, `encrypted`,
    client_enc_records 3), no `stream_conflict`, only the first segment
    judged (its NEWKEYS at its own frame, 8)."""
    c = ssh_conn(49705)
    out = []
    for k, (t, f) in enumerate(c.frames):
        srv = f[26:30] == SRV
        out.append((t, with_ttl(f, 50) if srv and k > 1 else f))
    return write(out)


def ttl_low_oneway():
    """Client port 49706: only the server's side captured (its SYN-ACK, no
    client segment), its segments at TTL 2 and 64 alternately (two paths into
    a SPAN port). Must hold: the server's banner and HASSH read (nothing
    holds them: nothing would ever confirm them)."""
    c = ssh_conn(49706)
    out, n = [], 0
    for t, f in c.frames:
        if f[26:30] == SRV:
            out.append((t, with_ttl(f, 2 if n % 2 else 64)))
            n += 1
    return write(out)


# -- (b) tunnels ------------------------------------------------------------

def gre_key(inner, key):
    """GRE with a key (K bit) carrying IPv4."""
    return eth(ip4(GW_A, GW_B, 47, struct.pack("!HHI", 0x2000, 0x0800, key) + inner))


def gre_key_twins():
    """Client port 49711 in GRE keys 1 and 2: two tenants' sessions with the
    same inner addresses and ports at the same time, the second's banner
    "SSH-2.0-OtherSSH_1.0". Must hold: the tie said (`tunnel_mixed_conns`,
    as for two VNIs: the tunnel segment is said, not keyed)."""
    return twins(49711, lambda f, k: gre_key(f[14:], 1 + k))


def pppoe_vlan_vxlan6(frame):
    """frame's IPv4 packet in PPPoE session (0x8864, PPP protocol 0x0021)
    in 802.1Q (VLAN 300), that Ethernet frame in VXLAN (VNI 9) over IPv6."""
    ip = frame[14:]
    ppp = struct.pack("!BBHH", 0x11, 0, 0x1234, len(ip) + 2) + b"\x00\x21" + ip
    inner = frame[:12] + struct.pack("!HH", 0x8100, 300) + b"\x88\x64" + ppp
    body = struct.pack("!II", 0x08000000, 9 << 8) + inner
    return eth(ip6(GW6_A, GW6_B, 17, struct.pack("!HHHH", 49999, 4789, 8 + len(body), 0) + body), 0x86DD)


def nested_pppoe():
    """Client port 49712: the whole session in IPv4 in PPPoE in 802.1Q in
    VXLAN over IPv6 (a BNG's subscriber traffic mirrored over a fabric).
    Must hold: the session read (hasshServer, `encrypted`,
    client_enc_records 3)."""
    return write([(t, pppoe_vlan_vxlan6(f)) for t, f in ssh_conn(49712).frames])


# -- (c) the files ------------------------------------------------------------

def ng_endian_switch():
    """Client port 49713: one session in a pcapng file of two sections, the
    first little-endian, the second (from the server's KEXINIT on)
    big-endian, each with its own interface. A reader takes each section
    in its own byte order (pcapng section 4.1). Must hold: the session read
    as from one section (hasshServer, `encrypted`)."""
    frames = ssh_conn(49713).frames
    out = shb() + idb()
    e = "<"
    for i, (t, f) in enumerate(frames):
        if i == 4:
            e = ">"
            out += shb(e) + idb(e=e)
        out += epb(f, ts=round(t * 10**6), e=e)
    return out


def ng_block_cut_mid():
    """Client port 49715: a pcapng file whose last Enhanced Packet Block is
    cut 10 bytes into its packet data (a capture killed mid-write). Must
    hold: exit 0 or 1, the cut said with the file and the frame, every
    packet before it read (hasshServer)."""
    frames = ssh_conn(49715).frames
    out = shb() + idb() + b"".join(epb(f, ts=round(t * 10**6)) for t, f in frames)
    last = epb(frames[-1][1], ts=round(frames[-1][0] * 10**6))
    return out + last[:28 + 10]


# -- (d) the cleartext SSH layer ----------------------------------------------

def bin_before_banner():
    """Client port 49721: the server sends its KEXINIT as a binary packet
    with no version line before it (a peer that skips the banner), the
    client its banner and KEXINIT. OpenSSH reads the server's first bytes
    as a pre-banner line and gives up ("banner exchange: invalid
    format"). Must hold: `banner_bad` or `kex_incomplete` said for the
    server, no hasshServer taken from bytes no banner introduced."""
    c = Conn(49721)
    c.handshake()
    c.send(False, kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def namelist_lie(n):
    """A KEXINIT whose first name-list says n bytes (past the packet)."""
    k = bytearray(kexinit(KEX))
    k[22:26] = struct.pack("!I", n)
    return bytes(k)


def kex_namelist_huge():
    """Client port 49722: the server's KEXINIT's first name-list length is
    2^32-1 (past the packet: OpenSSH's sshbuf_get_cstring fails, "invalid
    format"). Must hold: `kexinit_bad`, no hasshServer, the client's HASSH
    read."""
    c = Conn(49722)
    c.handshake()
    c.send(False, BAN_S + namelist_lie(0xFFFFFFFF))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def kex_namelist_past():
    """Client port 49723: the same with a length 40 bytes past the packet's
    end (inside the next record's bytes, which a parser that reads the
    stream and not the packet would take). Must hold: as
    kex_namelist_huge."""
    c = Conn(49723)
    c.handshake()
    k = kexinit(KEX)
    c.send(False, BAN_S + namelist_lie(len(k) - 26 + 40))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def kex_pktlen_short():
    """Client port 49724: the server's KEXINIT packet_length ends the packet
    inside its name-lists (the cipher lists cut), its bytes past that read
    as the next packet. Must hold: the server's KEXINIT `kexinit_bad` or a
    length anomaly, no crash, the client's HASSH read."""
    c = Conn(49724)
    c.handshake()
    k = bytearray(kexinit(KEX))
    k[0:4] = struct.pack("!I", 40)
    c.send(False, BAN_S + bytes(k))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def banner_ctrl_overlong():
    """Client port 49725: the server's version line of 300 bytes of
    softwareversion with a NUL, ESC [2J, a BEL, a DEL and 8-bit CSI in it
    (RFC 4253 4.2: printable US-ASCII only, 255 bytes with CR LF). Must
    hold: `banner_bad`, no raw control byte in any output (safe_every)."""
    c = Conn(49725)
    c.handshake()
    soft = b"X" * 120 + b"\x00\x1b[2J\x07\x7f\x9b31m" + b"Y" * 170
    c.ssh(sban=b"SSH-2.0-" + soft + b"\r\n")
    finish(c)
    return write(c.frames)


CASES = [ttl1_server, ttl1_client_v6, ttl3_server_vxlan, ttl1_after, ttl_ack_poison, ttl_route_change, ttl_low_oneway, gre_key_twins,
         nested_pppoe, ng_endian_switch, ng_block_cut_mid, bin_before_banner, kex_namelist_huge, kex_namelist_past,
         kex_pktlen_short, banner_ctrl_overlong]
SEEDS = [ttl1_server, ttl1_client_v6, nested_pppoe, kex_namelist_past]


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: one per class."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    genmain.write_files(d, {"r21_%s.pcap" % f.__name__: f() for f in SEEDS})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})  # genr21.py DIR, or genr21.py seeds REPO
