#!/usr/bin/env python3
"""Hostile classes, round 20, written at test time: `genr20.py DIR` writes
each case below into DIR (`genr20.py seeds REPO`: this round's fuzz seeds
into REPO/fuzz/seeds). Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(or [::1] -> [::2]) unless said. tests/hostile/t_round20.sh checks what
each docstring says must hold. Three families no round had (checked by
grepping genr*.py): tunnels of other shapes (6in4 and 4in6, VXLAN over
IPv6 with a zero UDP checksum, GENEVE with options and an IP payload, GRE
with every optional field, MPLS in GRE, a tunnel's outer datagram in IP
fragments, fragments inside a tunnel); the TCP layer (an urgent pointer
past its segment, a copy a router dropped for its TTL, sequence numbers
starting at 2^32-1); and the cleartext SSH layer and the files (a
cleartext DISCONNECT with terminal sequences, a version line without the
dash, pcap minor versions, pcapng major version 2)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, Conn, ssh_packet  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, T0, blk, epb, eth, idb, ip4, ip6, kexinit  # noqa: E402
from genfmt import pcap, tcp_seg  # noqa: E402
from mkcap import csum  # noqa: E402
from genr16 import finish, write  # noqa: E402
from genr18 import KEX_EVIL  # noqa: E402
from genr19 import GW_A, GW_B, URG, ssh_conn, tunnelled, urg_seg  # noqa: E402

GW6_A, GW6_B = bytes.fromhex("20010db8000000000000000000000001"), bytes.fromhex("20010db8000000000000000000000002")


def ssh_conn6(sp):
    c = Conn(sp, v6=True)
    c.handshake()
    c.ssh()
    finish(c)
    return c


def udp4(sp, dp, body, src=GW_A, dst=GW_B, ident=1):
    return ip4(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(body), 0) + body, ident=ident)


# -- (a) tunnels of other shapes -------------------------------------------

def six_in_four():
    """Client [::1]:49601: a whole SSH session over IPv6 inside IPv4
    (protocol 41, a 6in4 or 6to4 tunnel). Must hold: the session read
    (hasshServer, outcome `encrypted`, client_enc_records 3)."""
    c = ssh_conn6(49601)
    return write([(t, eth(ip4(GW_A, GW_B, 41, f[14:]))) for t, f in c.frames])


def four_in_six():
    """Client port 49602: the session over IPv4 inside IPv6 (next header 4,
    an IPv4-in-IPv6 tunnel, DS-Lite's). Must hold: as six_in_four."""
    return tunnelled(49602, lambda f: eth(ip6(GW6_A, GW6_B, 4, f[14:]), 0x86DD))


def vxlan6(frame, vni):
    """VXLAN over IPv6 with a UDP checksum of 0, which RFC 6935 and RFC
    7348 section 5 allow tunnels over IPv6 (a plain IPv6 UDP datagram
    must have one, RFC 8200 section 8.1)."""
    body = struct.pack("!II", 0x08000000, vni << 8) + frame
    return eth(ip6(GW6_A, GW6_B, 17, struct.pack("!HHHH", 49999, 4789, 8 + len(body), 0) + body), 0x86DD)


def vxlan6_zero_csum():
    """Client port 49603: the session inside VXLAN (VNI 33) over IPv6 whose
    UDP checksum is 0 (RFC 6935: allowed for tunnels). Must hold: the
    session read, no checksum said."""
    return tunnelled(49603, lambda f: vxlan6(f, 33))


def geneve_ip(frame):
    """GENEVE with 8 bytes of options (one class-0x0102 option) and the
    protocol type 0x0800: an IPv4 packet, no Ethernet header."""
    opt = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\xaa\xbb\xcc\xdd"
    hdr = struct.pack("!BBH", len(opt) // 4, 0, 0x0800) + struct.pack("!I", 4242 << 8) + opt
    return eth(udp4(49998, 6081, hdr + frame[14:]))


def geneve_opts_ip():
    """Client port 49604: the session in GENEVE with an option and an IPv4
    payload (protocol type 0x0800). Must hold: the session read."""
    return tunnelled(49604, geneve_ip)


def gre_full(frame):
    """GRE with the checksum, key and sequence number present (C, K, S),
    carrying IPv6 (0x86DD)."""
    inner = frame[14:]
    hdr = struct.pack("!HH", 0xB000, 0x86DD) + struct.pack("!HHII", 0, 0, 7, 99)
    return eth(ip4(GW_A, GW_B, 47, hdr + inner))


def gre_opts_v6():
    """Client [::1]:49605: an IPv6 session inside GRE with checksum, key
    (7) and sequence number. Must hold: the session read."""
    c = ssh_conn6(49605)
    return write([(t, gre_full(f)) for t, f in c.frames])


def mpls_gre(frame):
    """Two MPLS labels (the bottom one 1000) inside GRE (0x8847), then the
    IPv4 packet."""
    labels = struct.pack("!II", (200 << 12) | 64, (1000 << 12) | 0x100 | 64)
    return eth(ip4(GW_A, GW_B, 47, struct.pack("!HH", 0, 0x8847) + labels + frame[14:]))


def mpls_in_gre():
    """Client port 49606: the session in MPLS in GRE (an MPLS VPN over a
    GRE core). Must hold: the session read."""
    return tunnelled(49606, mpls_gre)


def frag_outer(pkt, ident, size=96):
    """The IPv4 packet pkt (20-byte header) cut into fragments of size
    bytes of payload, the last first (a router's reordering)."""
    hdr, body = pkt[:20], pkt[20:]
    src, dst, proto = hdr[12:16], hdr[16:20], hdr[9]
    out = []
    for k in range(0, len(body), size):
        part = body[k:k + size]
        out.append(ip4(src, dst, proto, part, ident=ident, frag=k // 8, more=k + size < len(body)))
    return out[::-1]


def vxlan_outer_frag():
    """Client port 49607: the session inside VXLAN (VNI 55) whose outer UDP
    datagrams of more than 150 bytes are sent in IPv4 fragments of 96
    bytes, the last first (a tunnel over a path of small MTU). Must hold:
    the session read (every KEXINIT is in fragments)."""
    frames = []
    for n, (t, f) in enumerate(ssh_conn(49607).frames):
        body = struct.pack("!II", 0x08000000, 55 << 8) + f
        outer = udp4(49999, 4789, body, ident=100 + n)
        parts = frag_outer(outer, 100 + n) if len(outer) > 150 else [outer]
        frames += [(t + i * 1e-5, eth(p)) for i, p in enumerate(parts)]
    return write(frames)


def gre_inner_frag():
    """Client port 49608: the session inside GRE whose inner IPv4 packets
    of more than 150 bytes are cut in 64-byte fragments (before the
    tunnel), sent in order. Must hold: the session read."""
    frames = []
    for n, (t, f) in enumerate(ssh_conn(49608).frames):
        inner = f[14:]
        parts = frag_outer(inner, 300 + n, 64)[::-1] if len(inner) > 150 else [inner]
        frames += [(t + i * 1e-5, eth(ip4(GW_A, GW_B, 47, struct.pack("!HH", 0, 0x0800) + p)))
                   for i, p in enumerate(parts)]
    return write(frames)


def frag_twins(ports, wrap):
    """Two sessions on the client ports ports, each wrapped by wrap(frame,
    k) for k 0 and 1, their inner IPv4 packets of more than 150 bytes in
    64-byte fragments numbered alike, interleaved."""
    frames = []
    for k, sp in enumerate(ports):
        for n, (t, f) in enumerate(ssh_conn(sp).frames):
            inner = f[14:]
            parts = frag_outer(inner, 500 + n, 64) if len(inner) > 150 else [inner]
            frames += [(t + k * 0.5e-5 + i * 1e-5, wrap(f[:14] + p, k)) for i, p in enumerate(parts)]
    frames.sort(key=lambda x: x[0])
    return write(frames)


def frag_vni_twins():
    """Client ports 49609 (VXLAN VNI 100) and 49610 (VNI 200): two tenants'
    sessions between the same inner addresses, on other ports, at the same
    time; each inner IPv4 packet of more than 150 bytes is fragmented, and
    both tenants' hosts number their datagrams alike (the same
    identification at once: two networks, two counters). RFC 791 keys a
    datagram by its addresses, protocol and identification within one
    network: a fragment of VNI 100 never meets one of VNI 200. Must hold:
    both sessions read (two `"type":"ssh"`, each hasshServer, outcome
    `encrypted`), no overlapping fragments said."""
    return frag_twins((49609, 49610), lambda f, k: vxlan_frame(f, 100 + 100 * k))


def frag_vlan_twins():
    """Client ports 49614 (VLAN 10) and 49615 (VLAN 20): as frag_vni_twins
    in two VLANs of one trunk (two VRFs of overlapping addresses), which
    strider keys connections by. Must hold: as frag_vni_twins."""
    return frag_twins((49614, 49615), lambda f, k: f[:12] + struct.pack("!HH", 0x8100, 10 + 10 * k) + f[12:])


def vxlan_frame(frame, vni):
    body = struct.pack("!II", 0x08000000, vni << 8) + frame
    return eth(udp4(49999, 4789, body))


# -- (b) the TCP layer ------------------------------------------------------

def urg_past_seg():
    """Client port 49611: the client's banner in one segment with URG and
    an urgent pointer 5 bytes past its end (RFC 6093 section 3: the urgent
    byte is in a later segment; a Linux or BSD receiver takes it out when
    it comes), then the KEXINIT with a "!" put at that byte. Must hold:
    the client's HASSH of the KEXINIT without the byte, `urgent_data`."""
    c = Conn(49611)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    kex = kexinit(KEX)
    urg_seg(c, True, BAN_C, len(BAN_C) + 5)
    c.send(True, kex[:4] + b"!" + kex[4:])
    finish(c)
    return write(c.frames)


def urg_replaced():
    """Client port 49616: the client's banner with URG and an urgent
    pointer 3 bytes past it (the KEXINIT's third byte, in the next
    segment), then the KEXINIT's segment with a "!" put inside it and
    URG pointing at that "!". A socket holds one urgent mark: a later
    pointer past the pending one replaces it (Linux tcp_check_urg: the
    old byte becomes in-line data; BSD tcp_input: rcv_up moves on), so
    sshd reads the KEXINIT's third byte and not the "!". Must hold: the
    client's HASSH, one `urgent_data`."""
    c = Conn(49616)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    kex = kexinit(KEX)
    urg_seg(c, True, BAN_C, len(BAN_C) + 3)
    urg_seg(c, True, kex[:60] + b"!" + kex[60:100], 61)
    c.send(True, kex[100:])
    finish(c)
    return write(c.frames)


def urg_pure_ack():
    """Client port 49617: before its banner, the client sends an ACK
    without data, with URG and an urgent pointer naming a byte to come (a
    "!" it then puts inside its KEXINIT). Linux takes the pointer from any
    segment (tcp_rcv_established calls tcp_urg, data or not; the BSDs move
    rcv_up likewise) and its sshd reads the stream without the "!". Must
    hold: the client's HASSH, `urgent_data`."""
    c = Conn(49617)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    data = BAN_C + kexinit(KEX)
    k = len(BAN_C) + 60
    urg_seg(c, True, b"", k + 1, ACK | URG)
    c.send(True, data[:k] + b"!" + data[k:])
    finish(c)
    return write(c.frames)


def ttl_insert():
    """Client port 49612: before the server's banner, a copy of its range
    with another banner (EvilSSH) and the KEXINIT of other names, from
    the server's address but with TTL 1 (an insertion a router on the way
    drops: the client never sees it), then the real one with TTL 64. The
    capture point sees both. Must hold: the conflict said
    (`stream_conflict`)."""
    c = Conn(49612)
    c.handshake()
    bad = b"SSH-2.0-EvilSSH_6.6\r\n" + kexinit(KEX_EVIL)
    seg = tcp_seg(SRV, CLI, 22, 49612, c.seq[1], c.seq[0], PSH | ACK, bad)
    p = ip4(SRV, CLI, 6, seg)
    p = p[:8] + b"\x01" + p[9:10] + b"\0\0" + p[12:]
    p = p[:10] + struct.pack("!H", csum(p[:20])) + p[12:]
    c.t += 0.001
    c.frames.append((c.t, eth(p)))
    c.ssh()
    finish(c)
    return write(c.frames)


def isn_top():
    """Client port 49613: both ISNs 2^32-1 (the SYN takes the last number:
    the first data byte is at 0). Must hold: the session read, no gap."""
    c = Conn(49613, cs=0xFFFFFFFF, ss=0xFFFFFFFF)
    c.handshake()
    c.seq = [c.seq[0] & 0xFFFFFFFF, c.seq[1] & 0xFFFFFFFF]
    c.ssh()
    finish(c)
    return write(c.frames)


# -- (c) cleartext SSH and the files -----------------------------------------

def disc_clear():
    """Client port 49621: after the banners and KEXINITs the server sends a
    cleartext SSH_MSG_DISCONNECT whose description holds an OSC title
    sequence, a CSV formula and markup, then closes. Must hold: no raw
    control byte in any output (t_round20 runs safe_every on it)."""
    c = Conn(49621)
    c.handshake()
    c.ssh()
    desc = b"=HYPERLINK(\"http://x\")\x1b]0;pwned\x07<img src=x>"
    c.send(False, ssh_packet(b"\x01" + struct.pack("!I", 2) + struct.pack("!I", len(desc)) + desc +
                             struct.pack("!I", 0)))
    c.close()
    return write(c.frames)


def banner_no_dash():
    """Client port 49622: the server's version line "SSH-2.0 OpenSSH_9.6"
    (a space, not a dash, after the protocol version). OpenSSH (kex.c:
    sscanf "SSH-%d.%d-%[^\\n]") refuses it: "Bad remote protocol version
    identification". Must hold: `banner_bad`."""
    c = Conn(49622)
    c.handshake()
    c.ssh(sban=b"SSH-2.0 OpenSSH_9.6\r\n")
    finish(c)
    return write(c.frames)


def minor_frames():
    return [f for _, f in ssh_conn(49623).frames]


def pcap_minor2():
    """Client port 49623: a classic pcap of version 2.2 (minor 2, written
    by old tools; libpcap reads any minor version the same). Must hold:
    the session read."""
    return pcap(minor_frames())[:6] + struct.pack("<H", 2) + pcap(minor_frames())[8:]


def ng_v2():
    """Client port 49623: a pcapng section of major version 2, which no
    reader knows (libpcap: "unsupported pcapng savefile version 2.0").
    Must hold: a message naming the file and the version, exit 1."""
    shb2 = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 2, 0, -1))
    return shb2 + idb() + b"".join(epb(f, ts=(T0 * 10**6) + i) for i, f in enumerate(minor_frames()))


CASES = [six_in_four, four_in_six, vxlan6_zero_csum, geneve_opts_ip, gre_opts_v6, mpls_in_gre, vxlan_outer_frag,
         gre_inner_frag, frag_vni_twins, frag_vlan_twins, urg_past_seg, urg_replaced, urg_pure_ack, ttl_insert, isn_top, disc_clear, banner_no_dash, pcap_minor2, ng_v2]
SEEDS = [vxlan_outer_frag, gre_opts_v6, frag_vni_twins, urg_replaced, urg_pure_ack]


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: one per class."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    genmain.write_files(d, {"r20_%s.pcap" % f.__name__: f() for f in SEEDS})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})  # genr20.py DIR, or genr20.py seeds REPO
