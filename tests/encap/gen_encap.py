#!/usr/bin/env python3
"""Crafted captures of one small TCP conversation inside each
encapsulation strider decodes, plus hostile ones (headers cut at every
byte, a GRE-in-GRE chain past the depth cap, an MPLS stack with no bottom,
VLAN tagged one way only). Written to the directory given as argv[1].
Every header is built here byte by byte from its RFC, not by a library,
so tshark's reading of the files is an independent check."""
import os
import struct
import sys

OUT = sys.argv[1]
MAC = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"


def pcap(name, frames, linktype=1):
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        t = 1700000000.0
        for fr in frames:
            t += 0.001
            sec = int(t)
            f.write(struct.pack("<IIII", sec, int((t - sec) * 1e6), len(fr), len(fr)) + fr)


def ip4(src, dst, proto, body):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 1, 0, 64, proto, 0,
                       bytes(src), bytes(dst)) + body


def ip6(src, dst, nh, body):
    return struct.pack("!IHBB16s16s", 6 << 28, len(body), nh, 64, bytes(src), bytes(dst)) + body


def tcp(sp, dp, seq, ack, flags, data=b""):
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 0x50, flags, 65535, 0, 0) + data


def udp(sp, dp, data):
    return struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data


def eth(et, body):
    return MAC + struct.pack("!H", et) + body


A4, B4 = [10, 1, 0, 1], [10, 1, 0, 2]          # inner hosts
T4, U4 = [192, 0, 2, 1], [192, 0, 2, 2]         # tunnel endpoints
A6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [1]
B6 = [0x20, 0x01, 0x0d, 0xb8] + [0] * 11 + [2]
T6 = [0x20, 0x01, 0x0d, 0xb8, 0xff] + [0] * 10 + [1]
U6 = [0x20, 0x01, 0x0d, 0xb8, 0xff] + [0] * 10 + [2]


def conversation(v6=False, sport=40000, dport=22):
    """Inner IP datagrams of a handshake, data both ways and a FIN close."""
    a, b, mk = (A6, B6, ip6) if v6 else (A4, B4, ip4)
    c, s = 1000, 5000
    segs = [(0, 0x02, c, 0, b""), (1, 0x12, s, c + 1, b""), (0, 0x10, c + 1, s + 1, b""),
            (0, 0x18, c + 1, s + 1, b"SSH-2.0-OpenSSH_9.6\r\n"),
            (1, 0x18, s + 1, c + 22, b"SSH-2.0-OpenSSH_9.3\r\n"),
            (0, 0x11, c + 22, s + 22, b""), (1, 0x11, s + 22, c + 23, b""), (0, 0x10, c + 23, s + 23, b"")]
    out = []
    for d, fl, seq, ack, data in segs:
        src, dst = (a, b) if d == 0 else (b, a)
        sp, dp = (sport, dport) if d == 0 else (dport, sport)
        out.append(mk(src, dst, 6, tcp(sp, dp, seq, ack, fl, data)))
    return out


def gre(proto, body, key=None, seq=None, csum=False):
    fl, opt = 0, b""
    if csum:
        fl |= 0x8000
        opt += b"\x00\x00\x00\x00"
    if key is not None:
        fl |= 0x2000
        opt += struct.pack("!I", key)
    if seq is not None:
        fl |= 0x1000
        opt += struct.pack("!I", seq)
    return struct.pack("!HH", fl, proto) + opt + body


def over_ip4(proto, body):
    return eth(0x0800, ip4(T4, U4, proto, body))


def inner_et(dgram):
    return 0x86DD if dgram[0] >> 4 == 6 else 0x0800


def pppoe(dgram):
    ppp = struct.pack("!H", 0x0057 if dgram[0] >> 4 == 6 else 0x0021) + dgram
    return eth(0x8864, struct.pack("!BBHH", 0x11, 0, 0x1234, len(ppp)) + ppp)


def mpls(dgram, labels=(100, 200)):
    stack = b"".join(struct.pack("!I", (lb << 12) | (0x100 if i == len(labels) - 1 else 0) | 64)
                     for i, lb in enumerate(labels))
    return eth(0x8847, stack + dgram)


def mpls_pw(dgram):
    """Ethernet pseudowire with a control word (RFC 4385) under one label."""
    return eth(0x8847, struct.pack("!I", (300 << 12) | 0x100 | 64) + b"\x00" * 4 + eth(inner_et(dgram), dgram))


def erspan2(dgram):
    hdr = struct.pack("!HHI", (1 << 12) | 10, 7, 0)
    return over_ip4(47, gre(0x88BE, hdr + eth(inner_et(dgram), dgram), seq=1))


def erspan3(dgram):
    # ver 2, vlan 10 | cos/bso/t/session | timestamp | sgt | P/FT=0/hwid/D/gra/O=1 | subheader
    hdr = struct.pack("!HHIHH", (2 << 12) | 10, 7, 0, 0, 0x0001) + b"\x00" * 8
    return over_ip4(47, gre(0x22EB, hdr + eth(inner_et(dgram), dgram), seq=1))


def vxlan(dgram):
    inner = MAC + struct.pack("!HHH", 0x8100, 42, inner_et(dgram)) + dgram  # a VLAN tag inside
    return over_ip4(17, udp(55555, 4789, struct.pack("!II", 0x08000000, 0x123400) + inner))


def geneve(dgram):
    opt = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\xaa\xbb\xcc\xdd"  # one 8-byte option
    hdr = struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 0x567800)
    return over_ip4(17, udp(55555, 6081, hdr + opt + eth(inner_et(dgram), dgram)))


def pptp(dgram):
    ppp = b"\xff\x03" + struct.pack("!H", 0x0021) + dgram  # address/control, then protocol
    hdr = struct.pack("!HHHH", 0x3001, 0x880B, len(ppp), 9) + struct.pack("!I", 1)
    return over_ip4(47, hdr + ppp)


KINDS = {  # name: (frame builder, inner IPv6?, encap names strider gives)
    "pppoe": (pppoe, False, "pppoe"),
    "pppoe6": (pppoe, True, "pppoe"),
    "mpls": (mpls, False, "mpls"),
    "mpls_pw": (mpls_pw, False, "mpls"),
    "gre": (lambda d: over_ip4(47, gre(inner_et(d), d)), False, "gre"),
    "gre_opts": (lambda d: over_ip4(47, gre(inner_et(d), d, key=7, seq=3, csum=True)), True, "gre"),
    "gre_teb": (lambda d: over_ip4(47, gre(0x6558, eth(inner_et(d), d))), False, "gre"),
    "erspan1": (lambda d: over_ip4(47, gre(0x88BE, eth(inner_et(d), d))), False, "erspan1"),
    "erspan2": (erspan2, False, "gre,erspan2"),
    "erspan3": (erspan3, False, "gre,erspan3"),
    "pptp": (pptp, False, "pptp"),
    "vxlan": (vxlan, False, "vxlan"),
    "geneve": (geneve, True, "geneve"),
    "ip4in4": (lambda d: over_ip4(4, d), False, "ip"),
    "ip6in4": (lambda d: over_ip4(41, d), True, "ip"),
    "ip4in6": (lambda d: eth(0x86DD, ip6(T6, U6, 4, d)), False, "ip"),
    "ip6in6": (lambda d: eth(0x86DD, ip6(T6, U6, 41, d)), True, "ip"),
    # MPLS, then GRE, then VXLAN: three tunnels, the key still the inner one
    "nested": (lambda d: mpls(ip4(T4, U4, 47, gre(0x0800, ip4(U4, T4, 17, udp(1, 4789, struct.pack(
        "!II", 0x08000000, 0x100) + eth(inner_et(d), d)))))), False, "mpls,gre,vxlan"),
}

EXPECT = []
for name, (build, v6, names) in KINDS.items():
    pcap(name + ".pcap", [build(d) for d in conversation(v6)])
    EXPECT.append("%s %s" % (name, names))
with open(os.path.join(OUT, "expect.txt"), "w") as f:
    f.write("\n".join(EXPECT) + "\n")

# Linux cooked capture on a GRE interface's parent: SLL around IP/GRE/IP
sll = [struct.pack("!HHH8sH", 0, 1, 6, MAC[:8], 0x0800) + ip4(T4, U4, 47, gre(0x0800, d))
       for d in conversation()]
pcap("sll_gre.pcap", sll, linktype=113)

# ---- hostile ----
conv = conversation()
# every tunnel's first frame cut at every length inside its headers
cuts = []
for name, (build, v6, _) in KINDS.items():
    full = build(conversation(v6)[0])
    hdr = len(full) - len(conversation(v6)[0]) + (40 if v6 else 20)
    cuts += [full[:n] for n in range(14, hdr)]
pcap("cut.pcap", cuts)
# GRE in IP in GRE ... 40 deep: past SD_MAX_ENCAP_DEPTH
d = conv[0]
for _ in range(40):
    d = ip4(T4, U4, 47, gre(0x0800, d))
loop = [eth(0x0800, d)] * 3
# an MPLS stack of 40 labels, none marked bottom
loop.append(eth(0x8847, struct.pack("!I", 100 << 12) * 40 + conv[0]))
pcap("deep.pcap", loop)
# non-IP ethertypes (ARP, PPPoE discovery, LLDP) and unsupported tunnels
odd = [eth(0x0806, b"\x00" * 28), eth(0x8863, b"\x11\x09\x00\x00\x00\x00"), eth(0x88CC, b"\x00" * 10),
       over_ip4(47, struct.pack("!HH", 0x4000, 0x0800) + b"\x00" * 8 + conv[0]),   # GRE routing
       over_ip4(47, struct.pack("!HH", 0x0002, 0x0800) + conv[0]),                 # GRE version 2
       pppoe(conv[0])[:14] + b"\x11\x00\x12\x34\x00\x02\xc0\x21"]                  # PPPoE carrying LCP
pcap("odd.pcap", odd)
# VLAN 7 one way, untagged the other: one connection only without the VLAN in the key
vl = []
for i, dg in enumerate(conv):
    vl.append(MAC + struct.pack("!HHH", 0x8100, 7, 0x0800) + dg if i % 2 == 0 else eth(0x0800, dg))
pcap("vlan_oneway.pcap", vl)
