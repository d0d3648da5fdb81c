#!/usr/bin/env python3
"""Crafted pcapng files for tests/capture/t_pcapng_tshark.sh, written to
argv[1]/good (read identically by tshark and strider) and argv[1]/h
(hostile: each must end its file with the message hostile.txt names).
Blocks are built here from the pcapng draft, byte order chosen per
section."""
import os
import struct
import sys

OUT = sys.argv[1]
os.makedirs(os.path.join(OUT, "good"), exist_ok=True)
os.makedirs(os.path.join(OUT, "h"), exist_ok=True)
MAC = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"


class Ng:
    def __init__(self, be=False):
        self.parts = []
        self.e = ">" if be else "<"

    def block(self, btype, body, total=None, trailer=None):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body) if total is None else total
        self.parts.append(struct.pack(self.e + "II", btype, n) + body +
                          struct.pack(self.e + "I", n if trailer is None else trailer))

    def opt(self, code, val):
        return struct.pack(self.e + "HH", code, len(val)) + val + b"\0" * (-len(val) % 4)

    def shb(self, be=None):
        if be is not None:
            self.e = ">" if be else "<"
        self.block(0x0A0D0D0A, struct.pack(self.e + "IHHq", 0x1A2B3C4D, 1, 0, -1) +
                   self.opt(3, b"crafted by gen_pcapng.py") + self.opt(0, b""))

    def idb(self, lt, resol=None, offset=None, snap=262144, name=b"eth0"):
        o = self.opt(2, name)
        if resol is not None:
            o += self.opt(9, bytes([resol]))
        if offset is not None:
            o += self.opt(14, struct.pack(self.e + "q", offset))
        self.block(1, struct.pack(self.e + "HHI", lt, 0, snap) + o + self.opt(0, b""))

    def epb(self, iface, units, data, wire=None, comment=None):
        o = self.opt(1, comment) + self.opt(0, b"") if comment else b""
        body = struct.pack(self.e + "IIIII", iface, units >> 32, units & 0xFFFFFFFF, len(data),
                           len(data) if wire is None else wire)
        self.block(6, body + data + b"\0" * (-len(data) % 4) + o)

    def pb(self, iface, units, data):
        self.block(2, struct.pack(self.e + "HHIIII", iface, 0, units >> 32, units & 0xFFFFFFFF,
                                  len(data), len(data)) + data)

    def spb(self, data, wire=None):
        self.block(3, struct.pack(self.e + "I", len(data) if wire is None else wire) + data)

    def write(self, sub, name):
        with open(os.path.join(OUT, sub, name), "wb") as f:
            f.write(b"".join(self.parts))


def ip4(src, dst, body, proto=6):
    return struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), 1, 0, 64, proto, 0,
                       bytes(src), bytes(dst)) + body


def tcp(sp, dp, seq, ack, fl, data=b""):
    return struct.pack("!HHIIBBHHH", sp, dp, seq, ack, 0x50, fl, 65535, 0, 0) + data


def conv(n):
    """A handshake and the two SSH banners between 10.0.n.1 and 10.0.n.2."""
    a, b = [10, 0, n, 1], [10, 0, n, 2]
    return [ip4(a, b, tcp(40000 + n, 22, 100, 0, 0x02)), ip4(b, a, tcp(22, 40000 + n, 500, 101, 0x12)),
            ip4(a, b, tcp(40000 + n, 22, 101, 501, 0x10)),
            ip4(a, b, tcp(40000 + n, 22, 101, 501, 0x18, b"SSH-2.0-OpenSSH_9.6\r\n")),
            ip4(b, a, tcp(22, 40000 + n, 501, 122, 0x18, b"SSH-2.0-OpenSSH_9.3\r\n"))]


def eth(d):
    return MAC + b"\x08\x00" + d


def sll(d):
    return struct.pack("!HHH8sH", 0, 1, 6, MAC[:8], 0x0800) + d


T = 1700000000  # seconds


def multi(be):
    """Three interfaces: Ethernet in microseconds, raw IP in nanoseconds,
    Linux cooked in 2^-20 s units with a one-hour offset; name resolution,
    statistics and an unknown custom block in between."""
    g = Ng(be)
    g.shb()
    g.idb(1)
    g.idb(101, resol=9, name=b"tun0")
    g.idb(113, resol=0x80 | 20, offset=-3600, name=b"any")
    g.block(4, struct.pack(g.e + "HH", 1, 8) + bytes([10, 0, 1, 1]) + b"h1\0\0" + struct.pack(g.e + "HH", 0, 0))
    for i, (x, y, z) in enumerate(zip(conv(1), conv(2), conv(3))):
        g.epb(0, (T + i) * 10**6 + 123456, eth(x), comment=b"frame comment" if i == 0 else None)
        g.epb(1, (T + i) * 10**9 + 987654321, y)
        g.block(0x00000099, b"\x00\x00\x00\x01reserved")  # unknown type: skipped
        g.epb(2, ((T + 3600 + i) << 20) + (1 << 19), sll(z))  # +0.5 s
    g.block(5, struct.pack(g.e + "III", 0, T >> 0, 0))  # interface statistics
    return g


multi(False).write("good", "multi_le.pcapng")
multi(True).write("good", "multi_be.pcapng")

# two sections, the second big-endian: its interface 0 is the file's interface 1
g = Ng()
g.shb()
g.idb(1)
for i, x in enumerate(conv(4)):
    g.epb(0, (T + i) * 10**6, eth(x))
g.shb(be=True)
g.idb(101, resol=3, offset=86400)
for i, x in enumerate(conv(5)):
    g.epb(0, (T + i) * 1000 + 7, x)
g.write("good", "sections.pcapng")

# obsolete Packet Blocks, a record cut by the snap length, an original
# length below the captured one (taken as the captured one)
g = Ng()
g.shb()
g.idb(1, snap=60)
c = conv(6)
g.pb(0, T * 10**6, eth(c[0]))
g.epb(0, (T + 1) * 10**6, eth(c[3])[:60], wire=len(eth(c[3])))
g.write("good", "pb_snap.pcapng")

# ---- hostile: one good record, then the fault ----
HOSTILE = []


def hostile(name, what, fault):
    g = Ng()
    g.shb()
    g.idb(1)
    g.epb(0, T * 10**6, eth(conv(7)[0]))
    fault(g)
    g.write("h", name + ".pcapng")
    HOSTILE.append("%s %s" % (name, what))


hostile("trailer", "at the start", lambda g: g.block(6, b"\0" * 20, trailer=36))
hostile("notmul4", "impossible", lambda g: g.block(6, b"\0" * 20, total=30))
hostile("huge", "impossible", lambda g: g.block(6, b"\0" * 20, total=0x7FFFFFF0))
hostile("caplen", "overruns the block",
        lambda g: g.block(6, struct.pack("<IIIII", 0, 0, 0, 5000, 5000) + b"\0" * 8))
hostile("idbopt", "interface options overrun",
        lambda g: g.block(1, struct.pack("<HHI", 1, 0, 65535) + struct.pack("<HH", 2, 200) + b"eth0"))
hostile("epbopt", "packet options overrun",
        lambda g: g.block(6, struct.pack("<IIIII", 0, 0, 0, 4, 4) + b"abcd" + struct.pack("<HH", 1, 64)))
hostile("iface", "not described", lambda g: g.epb(9, 0, b"x" * 20))
hostile("resol", "not usable", lambda g: g.idb(1, resol=100))
hostile("version", "version 2 not supported",
        lambda g: g.block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 2, 0, -1)))
hostile("bom", "byte-order magic", lambda g: g.block(0x0A0D0D0A, struct.pack("<IHHq", 0x12345678, 1, 0, -1)))


def cut(g):
    g.epb(0, 0, b"y" * 100)
    g.parts[-1] = g.parts[-1][:50]


hostile("cut", "cut short", cut)
with open(os.path.join(OUT, "hostile.txt"), "w") as f:
    f.write("\n".join(HOSTILE) + "\n")
