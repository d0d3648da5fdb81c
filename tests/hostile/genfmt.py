#!/usr/bin/env python3
"""Hostile captures against the file formats and the decoders (issue #14),
written byte by byte at test time, small: `genfmt.py DIR` writes every case
into DIR as NAME.pcap or NAME.pcapng. tests/hostile/t_format.sh runs every
command on each and checks the expectation listed in CASES below.

Each case is one class of malformed or adversarial input: the pcap and
pcapng headers and records, link types strider does not decode, IPv4/IPv6
headers and fragments, extension-header chains, nested encapsulation,
TCP headers and options, and SSH streams that are not what they claim."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from mkcap import csum  # noqa: E402

T0 = 1700000000
CLI, SRV = bytes([10, 7, 0, 1]), bytes([10, 7, 0, 2])
CLI6, SRV6 = bytes(15) + b"\x01", bytes(15) + b"\x02"
ETH = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"


def tcp_seg(src, dst, sp, dp, seq, ack, flags, data=b"", opts=b"", doff=None, win=65535):
    opts += b"\0" * (-len(opts) % 4)
    off = doff if doff is not None else 5 + len(opts) // 4
    tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4, flags,
                      win, 0, 0) + opts + data
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    return tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]


def ip4(src, dst, proto, body, ident=1, frag=0, more=False, ihl=5, tlen=None, opts=b""):
    off = frag | (0x2000 if more else 0)
    tl = tlen if tlen is not None else 20 + len(opts) + len(body)
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl & 0xFFFF, ident, off, 64, proto, 0, src, dst) + opts
    return h[:10] + struct.pack("!H", csum(h)) + h[12:] + body


def ip6(src, dst, nxt, body):
    return struct.pack("!IHBB16s16s", 6 << 28, len(body), nxt, 64, src, dst) + body


def eth(l3, etype=0x0800):
    return ETH + struct.pack("!H", etype) + l3


def tcp4(sp, dp, seq, ack, flags, data=b"", c2s=True, **kw):
    s, d = (CLI, SRV) if c2s else (SRV, CLI)
    a, b = (sp, dp) if c2s else (dp, sp)
    return eth(ip4(s, d, 6, tcp_seg(s, d, a, b, seq, ack, flags, data, **kw)))


def session(sp=40000, dp=22, srv=b"", cli=b"", mss=1400):
    """Ethernet frames of one TCP connection: handshake, the server's
    bytes, the client's, FIN both ways."""
    cs, ss = 1000, 5000
    out = [tcp4(sp, dp, cs, 0, 0x02), tcp4(sp, dp, ss, cs + 1, 0x12, c2s=False)]
    cs, ss = cs + 1, ss + 1
    out.append(tcp4(sp, dp, cs, ss, 0x10))
    for text, c2s in ((srv, False), (cli, True)):
        for i in range(0, len(text), mss):
            seg = text[i:i + mss]
            if c2s:  # each segment ACKed: in the window however long the text
                out.append(tcp4(sp, dp, cs, ss, 0x18, seg))
                cs += len(seg)
                out.append(tcp4(sp, dp, ss, cs, 0x10, c2s=False))
            else:
                out.append(tcp4(sp, dp, ss, cs, 0x18, seg, c2s=False))
                ss += len(seg)
                out.append(tcp4(sp, dp, cs, ss, 0x10))
    out.append(tcp4(sp, dp, cs, ss, 0x11))
    out.append(tcp4(sp, dp, ss, cs + 1, 0x11, c2s=False))
    return out


def pcap(frames, link=1, snap=262144, magic=0xA1B2C3D4, endian="<", major=2, recs=None):
    """Classic pcap; recs: (sec, frac, caplen, wirelen, data) overrides."""
    out = [struct.pack(endian + "IHHiIII", magic, major, 4, 0, 0, snap, link)]
    if recs is None:
        recs = [(T0 + i // 1000, (i % 1000) * 1000, len(f), len(f), f) for i, f in enumerate(frames)]
    for sec, frac, cl, wl, data in recs:
        out.append(struct.pack(endian + "IIII", sec & 0xFFFFFFFF, frac & 0xFFFFFFFF, cl & 0xFFFFFFFF,
                               wl & 0xFFFFFFFF) + data)
    return b"".join(out)


def blk(btype, body, e="<", tail=None, total=None):
    body += b"\0" * (-len(body) % 4)
    n = total if total is not None else 12 + len(body)
    return struct.pack(e + "II", btype, n) + body + struct.pack(e + "I", tail if tail is not None else n)


def shb(e="<"):
    return blk(0x0A0D0D0A, struct.pack(e + "IHHq", 0x1A2B3C4D, 1, 0, -1), e)


def idb(link=1, opts=b"", e="<"):
    return blk(1, struct.pack(e + "HHI", link, 0, 262144) + opts, e)


def epb(frame, iface=0, ts=T0 * 10**6, e="<", cl=None):
    c = len(frame) if cl is None else cl
    return blk(6, struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, c, len(frame)) + frame, e)


def ng(*parts):
    return b"".join(parts)


def opt(code, val, e="<", length=None):
    n = len(val) if length is None else length
    return struct.pack(e + "HH", code, n) + val + b"\0" * (-len(val) % 4)


SYNF = tcp4(40000, 80, 1, 0, 0x02)


def web():
    return session(40001, 80, srv=b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                   cli=b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")


def kexinit(lists, plen=None):
    body = bytes([20]) + b"\x11" * 16
    for lst in lists:
        body += struct.pack("!I", len(lst)) + lst
    body += b"\0\0\0\0\0"
    pad = 8 - (5 + len(body)) % 8
    pad += 8 if pad < 4 else 0
    n = 1 + len(body) + pad if plen is None else plen
    return struct.pack("!IB", n, pad) + body + b"\0" * pad


KEX = [b"curve25519-sha256", b"ssh-ed25519", b"aes128-ctr", b"aes128-ctr", b"hmac-sha2-256",
       b"hmac-sha2-256", b"none", b"none", b"", b""]
BAN_S, BAN_C = b"SSH-2.0-OpenSSH_9.6\r\n", b"SSH-2.0-OpenSSH_9.6\r\n"


def ssh(srv_extra=b"", cli_extra=b"", sban=BAN_S, cban=BAN_C, dp=22):
    return session(40002, dp, srv=sban + srv_extra, cli=cban + cli_extra)


def frag_teardrop():
    """Overlapping IPv4 fragments with different content, the classic
    teardrop (second fragment inside the first), tiny 8-byte fragments, and a
    datagram whose fragments reach past 65,535 bytes."""
    out = []
    seg = tcp_seg(CLI, SRV, 40003, 80, 1, 0, 0x02, b"A" * 64)
    out.append(eth(ip4(CLI, SRV, 6, seg[:40], ident=7, more=True)))
    out.append(eth(ip4(CLI, SRV, 6, b"B" * 48, ident=7, frag=2)))  # overlaps [16, 40)
    out.append(eth(ip4(CLI, SRV, 6, seg[24:], ident=7, frag=3)))   # and again
    for k in range(12):  # tiny fragments, 8 bytes each
        out.append(eth(ip4(CLI, SRV, 6, seg[8 * k:8 * k + 8], ident=8, frag=k, more=k < 11)))
    out.append(eth(ip4(CLI, SRV, 6, seg[:24], ident=9, more=True)))
    out.append(eth(ip4(CLI, SRV, 6, b"Z" * 1000, ident=9, frag=8191)))  # ends at 66,528
    out.append(eth(ip4(CLI, SRV, 6, b"Y" * 8, ident=9, frag=8191, more=True)))
    return out


def ip4_bad():
    """IHL below 5, IHL past the frame, total length below the header and
    past the frame, version 7, options with lengths 0 and past the header."""
    seg = tcp_seg(CLI, SRV, 40004, 80, 1, 0, 0x02)
    return [eth(ip4(CLI, SRV, 6, seg, ihl=i)) for i in (0, 1, 4)] + [
        eth(ip4(CLI, SRV, 6, seg[:4], ihl=15)),
        eth(ip4(CLI, SRV, 6, seg, tlen=10)),
        eth(ip4(CLI, SRV, 6, seg, tlen=65535)),
        eth(b"\x75" + ip4(CLI, SRV, 6, seg)[1:]),
        eth(ip4(CLI, SRV, 6, seg, ihl=6, opts=b"\x07\x00\x00\x00")),
        eth(ip4(CLI, SRV, 6, seg, ihl=6, opts=b"\x83\xff\x00\x00")),
        eth(b""), eth(b"\x45"),
    ]


def ip6_chain():
    """IPv6 extension headers: 300 destination-option headers in a row, a
    hop-by-hop header claiming 2 KiB, a fragment header inside a fragment,
    a routing header, an unknown next header, No Next Header."""
    seg = tcp_seg(CLI6, SRV6, 40005, 80, 1, 0, 0x02, b"x" * 8)
    out = []
    body, nxt = seg, 6
    for _ in range(300):
        body = struct.pack("!BB6x", nxt, 0) + body
        nxt = 60
    out.append(eth(ip6(CLI6, SRV6, nxt, body), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 0, struct.pack("!BB6x", 6, 255) + seg), 0x86DD))
    inner = struct.pack("!BBHI", 6, 0, 0, 5) + seg
    out.append(eth(ip6(CLI6, SRV6, 44, struct.pack("!BBHI", 44, 0, 1, 4) + inner), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 44, struct.pack("!BBHI", 44, 0, 0, 6) + inner), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 43, struct.pack("!BBBB4x", 6, 0, 0, 0) + seg), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 59, b"junk"), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 253, b"junk"), 0x86DD))
    out.append(eth(struct.pack("!IHBB16s16s", 6 << 28, 60000, 6, 64, CLI6, SRV6) + seg, 0x86DD))
    return out


def encap_deep():
    """Nesting without end: 400 VLAN tags, 400 MPLS labels, GRE in GRE 200
    deep, VXLAN in VXLAN 100 deep, IPv4-in-IPv4 and IPv6-in-IPv4 200 deep,
    each around a SYN."""
    syn = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 40006, 80, 1, 0, 0x02))
    out = [ETH + b"\x81\x00\x00\x01" * 400 + b"\x08\x00" + syn,
           ETH + b"\x88\xa8\x00\x01" * 400 + b"\x08\x00" + syn,
           ETH + b"\x88\x47" + b"\x00\x01\x00\x40" * 400 + b"\x00\x01\x01\x40" + syn]
    p = syn
    for _ in range(200):
        p = ip4(CLI, SRV, 47, struct.pack("!HH", 0, 0x0800) + p)
    out.append(eth(p))
    p = eth(syn)
    for _ in range(100):
        udp = struct.pack("!HHHH", 40007, 4789, 8 + 8 + len(p), 0) + struct.pack("!II", 0x08000000, 1 << 8) + p
        p = eth(ip4(CLI, SRV, 17, udp))
    out.append(p)
    p = syn
    for i in range(200):
        p = ip4(CLI, SRV, 4, p)
    out.append(eth(p))
    p = ip6(CLI6, SRV6, 6, tcp_seg(CLI6, SRV6, 40008, 80, 1, 0, 0x02))
    for i in range(200):
        p = ip4(CLI, SRV, 41, p) if i % 2 == 0 else ip6(CLI6, SRV6, 4, p)
    out.append(eth(p))
    return out


def tcp_bad():
    """TCP headers: data offset 0..4, past the segment, options of length
    0 and 1 and past the header, window scale 14 and 255, every flag set,
    a sequence wrap inside a connection with data across it."""
    out = []
    for d in (0, 1, 4, 15):
        out.append(tcp4(40009, 80, 1, 0, 0x02, doff=d))
    for o in (b"\x02\x00\x05\xb4", b"\x03\x01\x0e\x00", b"\x08\x30" + b"\0" * 6, b"\x05\x02",
              b"\x03\x03\xff\x01", b"\x01" * 39 + b"\x02"):
        out.append(tcp4(40010, 80, 1, 0, 0x02, opts=o))
    out.append(tcp4(40011, 80, 1, 0, 0xFF, b"everything"))
    out.append(tcp4(40011, 80, 1, 0, 0x3F))
    # a connection whose sequence numbers wrap through 2^32 during data
    cs = 0xFFFFFF00
    out += [tcp4(40012, 80, cs, 0, 0x02, opts=b"\x03\x03\x0e\x01"),
            tcp4(40012, 80, 9, cs + 1, 0x12, c2s=False, opts=b"\x03\x03\xff\x01"),
            tcp4(40012, 80, cs + 1, 10, 0x10)]
    s = cs + 1
    for i in range(6):
        out.append(tcp4(40012, 80, s, 10, 0x18, b"W" * 100))
        s += 100
    out.append(tcp4(40012, 80, 10, s, 0x10, c2s=False))  # its window scaled by 255, used as 14
    out.append(tcp4(40012, 80, s, 10, 0x11))
    return out


def ip_lie():
    """IP length fields that claim more than the frame held on the wire
    (not a snaplen cut: the record's original length agrees with what was
    captured): an IPv4 data segment whose total length says 1,500 with 100
    bytes of data, and an IPv6 one whose payload length says 9,000 with 50;
    only what was on the wire may count (200 and 50 client bytes)."""
    out = [tcp4(40060, 80, 1000, 0, 0x02), tcp4(40060, 80, 5000, 1001, 0x12, c2s=False),
           tcp4(40060, 80, 1001, 5001, 0x10)]
    seg = tcp_seg(CLI, SRV, 40060, 80, 1001, 5001, 0x18, b"L" * 100)
    out.append(eth(ip4(CLI, SRV, 6, seg, tlen=1500)))
    out += [tcp4(40060, 80, 1101, 5001, 0x18, b"R" * 100), tcp4(40060, 80, 5001, 1201, 0x10, c2s=False),
            tcp4(40060, 80, 1201, 5001, 0x11), tcp4(40060, 80, 5001, 1202, 0x11, c2s=False)]
    seg6 = tcp_seg(CLI6, SRV6, 40061, 80, 1, 0, 0x18, b"6" * 50)
    out.append(eth(struct.pack("!IHBB16s16s", 6 << 28, 9000, 6, 64, CLI6, SRV6) + seg6, 0x86DD))
    return out


def ssh_cases():
    """SSH that is not what it claims: a 2 MB banner line without a newline,
    2,000 pre-banner lines, binary garbage on port 22, KEXINITs with empty
    and huge name-lists and packet lengths 0, 1, 2^32-1, SSH on port 2222,
    a handshake that never finishes, a server sending its banner twice, and
    hostile strings (escapes, NUL, invalid UTF-8, CSV/HTML injection) in
    banners and algorithm names."""
    evil = b"=cmd|'/c calc'!A0<script>alert(1)</script>\x00\xff\xfe\xc3\x28\x1b[2J\x1b]0;pwn\x07\"',;"
    out = {}
    out["ssh_megabanner"] = session(40020, 22, srv=b"SSH-2.0-" + b"M" * 2000000, cli=BAN_C)
    out["ssh_prebanner"] = ssh(sban=b"".join(b"hello %d\r\n" % i for i in range(2000)) + BAN_S)
    out["ssh_garbage"] = session(40021, 22, srv=bytes((i * 37 + 11) & 0xFF for i in range(20000)),
                                 cli=bytes((i * 91 + 3) & 0xFF for i in range(20000)))
    lens = b"".join(struct.pack("!I", n) + b"\x04" + b"\0" * 11 for n in (0, 1, 2, 0xFFFFFFFF))
    out["ssh_lengths"] = ssh(srv_extra=lens, cli_extra=kexinit([b""] * 10) + kexinit(KEX, 0xFFFFFFFF))
    many = [b",".join(b"a%d" % i for i in range(40000))] * 10
    out["ssh_namelists"] = ssh(srv_extra=kexinit(many), cli_extra=kexinit([b""] * 10 + [b"x" * 100]))
    out["ssh_port2222"] = ssh(srv_extra=kexinit(KEX), cli_extra=kexinit(KEX), dp=2222)
    hs = session(40022, 22, srv=BAN_S, cli=BAN_C)
    out["ssh_nohandshake"] = hs[:-3]
    out["ssh_twice"] = ssh(sban=BAN_S + BAN_S + b"SSH-1.99-other\r\n", srv_extra=kexinit(KEX))
    out["ssh_strings"] = ssh(sban=b"SSH-2.0-" + evil + b"\r\n", cban=b"SSH-2.0-" + evil + b"\r\n",
                             srv_extra=kexinit([evil] * 10), cli_extra=kexinit([evil] * 10))
    http = session(40023, 80, cli=b"GET /../../etc/passwd\x1b[2J" + evil + b" HTTP/1.1\r\nHost: " + evil +
                   b"\r\n\r\n", srv=b"HTTP/1.1 200 OK\r\nContent-Disposition: attachment; filename=\"../"
                   b"../x\x1b]0;t\x07.sh\"\r\nContent-Length: 3\r\n\r\nabc")
    out["http_strings"] = http
    q = struct.pack("!HHHHHH", 1, 0x0100, 1, 0, 0, 0)
    name = b"".join(bytes([len(l)]) + l for l in (evil[:60], b"\x1b]0;x\x07", b"a.b", b"\x00\x00")) + b"\0"
    dns = struct.pack("!HHHH", 40024, 53, 8 + len(q) + len(name) + 4, 0) + q + name + b"\0\1\0\1"
    ptr = q + b"\xc0\x0c\0\1\0\1"  # a name pointing at itself
    dns2 = struct.pack("!HHHH", 40025, 53, 8 + len(ptr), 0) + ptr
    out["dns_strings"] = [eth(ip4(CLI, SRV, 17, dns)), eth(ip4(CLI, SRV, 17, dns2))]
    return out


def holes(n):
    """A stream of n one-byte segments, each after a one-byte hole, in a
    window scaled by 2^14 and never ACKed: nothing is ever in order, so
    everything waits for reassembly (memory must stay bounded)."""
    ws = b"\x03\x03\x0e\x01"
    out = [tcp4(40030, 22, 1000, 0, 0x02, opts=ws), tcp4(40030, 22, 5000, 1001, 0x12, c2s=False, opts=ws),
           tcp4(40030, 22, 1001, 5001, 0x10)]
    return out + [tcp4(40030, 22, 1002 + 2 * i, 5001, 0x18, b"x") for i in range(n)]


def udp_dns():
    """UDP lengths 0, 7, 8, 65535 and 20 around one DNS query; DNS over TCP
    with a length prefix of 0, then 65,535 with 100 bytes before the FIN;
    ICMP errors quoting a cut TCP header, an IHL-15 header, nothing; an
    802.3 length frame with LLC/SNAP, ARP, ethertype 0."""
    q = b"\x00\x01\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03abc\x00\x00\x01\x00\x01"
    fr = [eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 5353, 53, ul, 0) + q)) for ul in (0, 7, 8, 65535, 20)]
    inner = ip4(SRV, CLI, 6, tcp_seg(SRV, CLI, 80, 40001, 1, 0, 2))[:28]
    icmp = struct.pack("!BBHI", 3, 3, 0, 0)
    fr += [eth(ip4(CLI, SRV, 1, icmp + inner)), eth(ip4(CLI, SRV, 1, icmp + b"\x4f" + inner[1:])),
           eth(ip4(CLI, SRV, 1, icmp)),
           ETH + struct.pack("!H", 46) + b"\xaa\xaa\x03\x00\x00\x00\x08\x00" + inner,
           ETH + b"\x08\x06" + b"\0" * 28, ETH + b"\x00\x00" + b"\0" * 28]
    return fr + session(40050, 53, cli=struct.pack("!HH", 0, 65535) + b"\0" * 100,
                        srv=struct.pack("!H", 12) + b"\0" * 12)


def pcap_cases():
    f = web()
    out = {
        "snap_zero": pcap(f, snap=0),
        "snap_huge": pcap(f, snap=0xFFFFFFFF),
        "header_only": pcap([]),
        "header_short": pcap([])[:10],
        "version3": pcap(f, major=3),
        "swapped": pcap(f, endian=">"),
        "nanosec": pcap([], magic=0xA1B23C4D, recs=[(T0, 0xFFFFFFFF, len(x), len(x), x) for x in f]),
        "trunc_last": pcap(f)[:-7],
        "trunc_rechdr": pcap(f) + b"\x01\x02\x03",
        "link_unknown": pcap(f, link=147),
        "link_fcsbits": pcap(f, link=1 | 0x1C000000),
        "link_huge": pcap(f, link=0x03FFFFFF),
    }
    recs = [(T0, 0, len(x), len(x), x) for x in f]
    out["caplen_gt_len"] = pcap([], recs=[(s, u, c, 20, d) for s, u, c, w, d in recs])
    out["caplen_gt_snap"] = pcap([], snap=64, recs=recs)
    out["rec_4g"] = pcap([], recs=recs[:3] + [(T0, 0, 0xFFFFFFFF, 0xFFFFFFFF, b"")] + recs[3:])
    out["rec_zero"] = pcap([], recs=[(T0, 0, 0, 0, b"")] * 5000 + recs)
    out["ts_extreme"] = pcap([], recs=[(t, u, c, w, d) for (t, u, c, w, d), (t, u) in
                                       zip(recs, [(0xFFFFFFFF, 999999), (0, 0), (0x80000000, 5000000),
                                                  (T0, 0), (0, 0xFFFFFFFF), (0xFFFFFFFF, 0xFFFFFFFF)] * 3)])
    return out


def pcapng_cases():
    f = web()
    good = [epb(x, ts=T0 * 10**6 + i) for i, x in enumerate(f)]
    tsres = opt(9, b"\x7f") + opt(0, b"")
    out = {
        "ng_unknown_block": ng(shb(), idb(), blk(0x0BAD0BAD, b"\xee" * 200000), *good),
        "ng_len_mismatch": ng(shb(), idb(), blk(6, b"\0" * 40, tail=1234), *good),
        "ng_len_small": ng(shb(), idb(), struct.pack("<II", 6, 8), *good),
        "ng_len_odd": ng(shb(), idb(), struct.pack("<II", 6, 13) + b"\0" * 9, *good),
        "ng_len_huge": ng(shb(), idb(), struct.pack("<II", 0x0BAD, 0xFFFFFFF0) + b"\0" * 100),
        "ng_iface_early": ng(shb(), epb(f[0], iface=0), idb(), *good),
        "ng_iface_missing": ng(shb(), idb(), epb(f[0], iface=70000), *good),
        "ng_opt_bad": ng(shb(), idb(opts=opt(9, b"\x06", length=60000)), *good),
        "ng_opt_bad2": ng(shb(), idb(opts=struct.pack("<HH", 2, 3) + b"ab"), *good),
        "ng_tsresol": ng(shb(), idb(opts=tsres), *good,
                         idb(opts=opt(9, b"\xff") + opt(14, struct.pack("<q", -2**63)) + opt(0, b"")),
                         epb(f[0], iface=1, ts=2**64 - 1)),
        "ng_many_ifaces": ng(shb(), *[idb(link=i % 300) for i in range(20000)],
                             *[epb(x, iface=(i * 997) % 20000) for i, x in enumerate(f)]),
        "ng_shb_swap": ng(shb(), idb(), *good[:3], shb(">"), idb(e=">"),
                          *[epb(x, e=">") for x in f[3:]]),
        "ng_caplen_over": ng(shb(), idb(), epb(f[0], cl=0xFFFFFF00), *good),
        "ng_spb": ng(shb(), blk(3, struct.pack("<I", len(f[0])) + f[0]), idb(),
                     blk(3, struct.pack("<I", 0xFFFFFFFF) + f[0]), *good),
        # 20 block types the format does not define, twice each, around
        # name resolution, statistics and custom blocks (defined: not counted)
        "ng_unknown_many": ng(shb(), idb(), blk(4, b"\0" * 4), *[blk(0x7000 + i % 20, b"\x77" * 8) for i in range(40)],
                              blk(5, b"\0" * 12), blk(0xBAD, b"\0" * 8), blk(0x204, b"\0" * 8), *good),
        "ng_only_shb": shb(),
        "ng_trunc": ng(shb(), idb(), *good)[:-5],
        # if_tsoffset of -2^63 and 2^63-1 s, a resolution of 2^0 s with counts of 2^64-1
        "ng_tsoffset": ng(shb(), idb(opts=opt(14, struct.pack("<q", -2**63)) + opt(0, b"")), epb(f[0], ts=5),
                          idb(opts=opt(14, struct.pack("<q", 2**63 - 1)) + opt(0, b"")),
                          epb(f[1], iface=1, ts=2**64 - 1), idb(opts=opt(9, b"\x80") + opt(0, b"")),
                          *[epb(x, iface=2, ts=2**64 - 1 - i) for i, x in enumerate(f[2:])]),
        "ng_shb_bad_bom": ng(blk(0x0A0D0D0A, struct.pack("<IHHq", 0x12345678, 1, 0, -1)), idb(), *good),
    }
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    files = {}
    for k, v in pcap_cases().items():
        files[k + ".pcap"] = v
    for k, v in pcapng_cases().items():
        files[k + ".pcapng"] = v
    for k, fr in (("frag_teardrop", frag_teardrop()), ("ip4_bad", ip4_bad()), ("ip6_chain", ip6_chain()),
                  ("encap_deep", encap_deep()), ("tcp_bad", tcp_bad()), ("ip_lie", ip_lie())):
        files[k + ".pcap"] = pcap(fr)
    files["holes.pcap"] = pcap(holes(100000))
    files["udp_dns.pcap"] = pcap(udp_dns())
    for k, fr in ssh_cases().items():
        files[k + ".pcap"] = pcap(fr)
    genmain.write_files(d, files)


if __name__ == "__main__":
    main()
