#!/usr/bin/python3
"""Writes the crafted captures in tests/crafted/ and their README.md.

Deterministic: fixed addresses, ports, ISNs, timestamps and payloads, no
randomness; scapy only builds the IP/TCP/UDP bytes (checksums), while the
link headers and the pcap/pcapng containers are written here byte by byte,
so the files do not depend on scapy's writer. Run from anywhere:
    /usr/bin/python3 tests/crafted/gen.py
tests/crafted/t_crafted_decode.sh checks that a rerun gives identical files.
"""
import os
import struct
import sys

from scapy.all import IP, TCP, UDP, IPv6, Raw, IPv6ExtHdrHopByHop, \
    IPv6ExtHdrDestOpt, IPv6ExtHdrRouting, IPv6ExtHdrFragment, PadN  # noqa: E402

# CRAFTED_OUT lets the test regenerate into a scratch directory and compare.
OUT = os.environ.get("CRAFTED_OUT") or os.path.dirname(os.path.abspath(__file__))
T0_NS = 1700000000 * 10**9  # 2023-11-14T22:13:20Z
MSS = 1000                  # segment size used when splitting data

# Link types as stored in files (LINKTYPE_*, tcpdump.org/linktypes.html).
LT_NULL, LT_EN10MB, LT_RAW, LT_LINUX_SLL, LT_LINUX_SLL2 = 0, 1, 101, 113, 276

MAC_C = bytes.fromhex("020000000001")
MAC_S = bytes.fromhex("020000000002")


# ---------------------------------------------------------------- writers

def write_pcap(name, linktype, frames, nano=False, snaplen=262144, cut_last=None):
    """frames: list of (ts_ns, bytes). cut_last: keep only that many bytes
    of the last record's data (the record header still claims all)."""
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack("<IHHiIII", magic, 2, 4, 0, 0, snaplen, linktype)]
    for i, (ts, data) in enumerate(frames):
        sec, frac = divmod(ts, 10**9)
        if not nano:
            frac //= 1000
        rec = struct.pack("<IIII", sec, frac, len(data), len(data))
        if cut_last is not None and i == len(frames) - 1:
            data = data[:cut_last]
        out.append(rec + data)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"".join(out))


def _pad4(b):
    return b + b"\0" * (-len(b) % 4)


def _block(btype, body):
    total = 12 + len(body)
    return struct.pack("<II", btype, total) + body + struct.pack("<I", total)


def write_pcapng(name, linktype, frames):
    """One section, one interface (microsecond resolution), EPBs."""
    shb = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # if_name option (2) "eth0", then opt_endofopt.
    opts = struct.pack("<HH", 2, 4) + b"eth0" + struct.pack("<HH", 0, 0)
    idb = _block(1, struct.pack("<HHI", linktype, 0, 262144) + opts)
    out = [shb, idb]
    for ts, data in frames:
        us = ts // 1000
        body = struct.pack("<IIIII", 0, us >> 32, us & 0xFFFFFFFF, len(data), len(data))
        out.append(_block(6, body + _pad4(data)))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(b"".join(out))


# ---------------------------------------------------------------- link layers

def eth(ip_bytes, v6=False, tags=()):
    """tags: list of (tpid, vid), outer first."""
    et = 0x86DD if v6 else 0x0800
    hdr = MAC_S + MAC_C
    for tpid, vid in tags:
        hdr += struct.pack(">HH", tpid, vid)
    return hdr + struct.pack(">H", et) + ip_bytes


def sll(ip_bytes, v6=False, outgoing=False):
    return struct.pack(">HHH", 4 if outgoing else 0, 1, 6) + MAC_C + b"\0\0" + \
        struct.pack(">H", 0x86DD if v6 else 0x0800) + ip_bytes


def sll2(ip_bytes, v6=False, outgoing=False):
    return struct.pack(">HHIHBB", 0x86DD if v6 else 0x0800, 0, 2, 1,
                       4 if outgoing else 0, 6) + MAC_C + b"\0\0" + ip_bytes


def null_le(ip_bytes, v6=False):
    return struct.pack("<I", 24 if v6 else 2) + ip_bytes


# ---------------------------------------------------------------- TCP talk

class Conv:
    """A TCP conversation: handshake, data both ways (each data segment
    acknowledged by a pure ACK), FIN close. Packets are IP-layer scapy
    objects with a 'dir' of 0 (client to server) or 1."""

    def __init__(self, cip, sip, cport, sport, cisn, sisn, v6=False, ext=None):
        self.a = [cip, sip]
        self.port = [cport, sport]
        self.seq = [cisn, sisn]
        self.v6 = v6
        self.ext = ext  # callable returning extension headers for IPv6
        self.pkts = []  # (dir, scapy packet)
        self.ipid = [0x1000, 0x2000]
        self.payload = [b"", b""]

    def _ip(self, d):
        src, dst = self.a[d], self.a[1 - d]
        if self.v6:
            p = IPv6(src=src, dst=dst, hlim=64, fl=0)
            if self.ext:
                p = p / self.ext()
            return p
        self.ipid[d] += 1
        return IP(src=src, dst=dst, id=self.ipid[d], flags="DF", ttl=64)

    def seg(self, d, flags, data=b"", opts=None):
        t = TCP(sport=self.port[d], dport=self.port[1 - d], flags=flags,
                seq=self.seq[d] & 0xFFFFFFFF, window=64240,
                options=opts or [])
        if "A" in flags:
            t.ack = self.seq[1 - d] & 0xFFFFFFFF
        p = self._ip(d) / t
        if data:
            p = p / Raw(data)
        self.pkts.append((d, p))
        adv = len(data) + (1 if ("S" in flags or "F" in flags) else 0)
        self.seq[d] = (self.seq[d] + adv) & 0xFFFFFFFF
        self.payload[d] += data
        return p

    def handshake(self):
        syn_opts = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1000, 0)),
                    ("NOP", None), ("WScale", 7)]
        self.seq[0] = self.seq[0] & 0xFFFFFFFF
        self.seg(0, "S", opts=syn_opts)
        self.seg(1, "SA", opts=[("MSS", 1460), ("SAckOK", b""),
                                ("Timestamp", (2000, 1000)), ("NOP", None), ("WScale", 7)])
        self.seg(0, "A")

    def send(self, d, data, seg=MSS):
        for i in range(0, len(data), seg):
            self.seg(d, "PA", data[i:i + seg])
            self.seg(1 - d, "A")

    def close(self):
        self.seg(0, "FA")
        self.seg(1, "FA")
        self.seg(0, "A")

    def counts(self):
        n = [0, 0]
        for d, _ in self.pkts:
            n[d] += 1
        return n


def frames_of(pkts, link, step_ns=10_000_000, start_ns=T0_NS):
    """pkts: list of (dir, scapy packet or bytes). link(bytes, dir) -> frame."""
    out = []
    for i, (d, p) in enumerate(pkts):
        b = p if isinstance(p, bytes) else bytes(p)
        out.append((start_ns + i * step_ns, link(b, d)))
    return out


def simple_conv(cip="192.0.2.10", sip="192.0.2.20", cport=50000, sport=22,
                cisn=1000, sisn=5000, v6=False, ext=None):
    c = Conv(cip, sip, cport, sport, cisn, sisn, v6=v6, ext=ext)
    c.handshake()
    c.send(0, b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")
    c.send(1, b"SSH-2.0-OpenSSH_9.6\r\n")
    c.send(0, bytes(range(256)) * 2)  # 512 bytes of binary
    c.close()
    return c


# ---------------------------------------------------------------- README

README = []


def describe(name, text):
    README.append("- `%s`: %s" % (name, text))


def conv_line(c, extra=""):
    n = c.counts()
    return ("TCP %s:%d -> %s:%d, %d packets client->server and %d server->client "
            "(handshake + FIN close), payload %d bytes c->s and %d bytes s->c%s" %
            (c.a[0], c.port[0], c.a[1], c.port[1], n[0], n[1], len(c.payload[0]),
             len(c.payload[1]), extra))


# ---------------------------------------------------------------- captures

def gen_vlan():
    c = simple_conv(cip="10.10.0.1", sip="10.10.0.2", cport=40001)
    fr = frames_of(c.pkts, lambda b, d: eth(b, tags=[(0x8100, 100)]))
    write_pcap("vlan.pcap", LT_EN10MB, fr)
    describe("vlan.pcap", "Ethernet, every frame one 802.1Q tag (VLAN 100). %d frames. 1 %s."
             % (len(fr), conv_line(c)))


def gen_qinq():
    c = simple_conv(cip="10.20.0.1", sip="10.20.0.2", cport=40002)
    fr = frames_of(c.pkts, lambda b, d: eth(b, tags=[(0x88A8, 10), (0x8100, 20)]))
    write_pcap("qinq.pcap", LT_EN10MB, fr)
    describe("qinq.pcap", "Ethernet, 802.1ad outer tag VLAN 10 + 802.1Q inner tag VLAN 20 on "
             "every frame. %d frames. 1 %s." % (len(fr), conv_line(c)))


def gen_sll2():
    c = simple_conv(cip="10.30.0.1", sip="10.30.0.2", cport=40003)
    fr = frames_of(c.pkts, lambda b, d: sll2(b, outgoing=(d == 0)))
    write_pcap("sll2.pcap", LT_LINUX_SLL2, fr)
    describe("sll2.pcap", "LINKTYPE_LINUX_SLL2 (276), IPv4. %d frames. 1 %s."
             % (len(fr), conv_line(c)))


def gen_sll():
    c = simple_conv(cip="2001:db8:40::1", sip="2001:db8:40::2", cport=40004, v6=True)
    fr = frames_of(c.pkts, lambda b, d: sll(b, v6=True, outgoing=(d == 0)))
    write_pcap("sll.pcap", LT_LINUX_SLL, fr)
    describe("sll.pcap", "LINKTYPE_LINUX_SLL (113), IPv6. %d frames. 1 %s."
             % (len(fr), conv_line(c)))


def gen_null():
    c = simple_conv(cip="127.0.0.1", sip="127.0.0.1", cport=40005, sport=2222)
    fr = frames_of(c.pkts, lambda b, d: null_le(b))
    write_pcap("null.pcap", LT_NULL, fr)
    describe("null.pcap", "LINKTYPE_NULL (0), BSD loopback header with AF_INET=2 in "
             "little-endian byte order, both ends 127.0.0.1 (direction by port only). "
             "%d frames. 1 %s." % (len(fr), conv_line(c)))


def gen_raw():
    c = simple_conv(cip="198.51.100.1", sip="198.51.100.2", cport=40006)
    q = IP(src="198.51.100.1", dst="198.51.100.53", id=7, ttl=64) / \
        UDP(sport=53000, dport=53) / Raw(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                                         b"\x07example\x03com\x00\x00\x01\x00\x01")
    r = IP(src="198.51.100.53", dst="198.51.100.1", id=8, ttl=64) / \
        UDP(sport=53, dport=53000) / Raw(b"\x12\x34\x81\x80\x00\x01\x00\x00\x00\x00\x00\x00"
                                         b"\x07example\x03com\x00\x00\x01\x00\x01")
    pk = [(0, q)] + c.pkts + [(1, r)]
    fr = frames_of(pk, lambda b, d: b)
    write_pcap("raw.pcap", LT_RAW, fr)
    describe("raw.pcap", "LINKTYPE_RAW (101, raw IPv4, no link header). %d frames: frame 1 a "
             "UDP query 198.51.100.1:53000 -> 198.51.100.53:53 (29-byte payload), last frame "
             "its UDP answer (29 bytes); between them 1 %s." % (len(fr), conv_line(c)))


def gen_ipv6_ext():
    def ext():
        return IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0" * 4)]) / \
            IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]) / \
            IPv6ExtHdrRouting(type=0, segleft=0, addresses=[])
    c = simple_conv(cip="2001:db8:60::1", sip="2001:db8:60::2", cport=40007, v6=True, ext=ext)
    fr = frames_of(c.pkts, lambda b, d: eth(b, v6=True))
    write_pcap("ipv6_ext.pcap", LT_EN10MB, fr)
    describe("ipv6_ext.pcap", "Ethernet IPv6; every packet carries hop-by-hop (8 bytes) + "
             "destination options (16 bytes) + routing (type 0, segments left 0, 8 bytes) "
             "extension headers before TCP. %d frames. 1 %s." % (len(fr), conv_line(c)))


def frag4_bytes(p, cuts, order, ipid):
    """Splits IPv4 packet p at byte offsets of its payload. cuts: list of
    (start, end) ranges (may overlap). Returns fragments in `order`."""
    raw = bytes(p)
    hdr_len = (raw[0] & 0x0F) * 4
    body = raw[hdr_len:]
    frs = []
    for s, e in cuts:
        e = min(e, len(body))
        more = e < len(body)
        f = IP(src=p[IP].src, dst=p[IP].dst, id=ipid, ttl=64, proto=6,
               flags="MF" if more else 0, frag=s // 8) / Raw(body[s:e])
        frs.append(bytes(f))
    return [frs[i] for i in order]


def gen_frag4():
    c = Conv("10.40.0.1", "10.40.0.2", 40008, 8080, 0x10000000, 0x20000000)
    c.handshake()
    pk = list(c.pkts)
    big = bytes((i * 7 + 3) & 0xFF for i in range(3000))
    p1 = c.seg(0, "PA", big)
    # 3020 bytes of TCP: [0,1480) [1480,2960) [2960,3020), sent 2nd, 3rd, 1st.
    f1 = len(pk) + 1
    for f in frag4_bytes(p1, [(0, 1480), (1480, 2960), (2960, 4000)], [1, 2, 0], 0x4001):
        pk.append((0, f))
    done1 = len(pk)
    pk.append((1, c.seg(1, "A")))
    reply = bytes((i * 13 + 5) & 0xFF for i in range(1180))
    p2 = c.seg(1, "PA", reply)
    # 1200 bytes of TCP: [576,1200) last, sent first; then [0,600): 24 bytes
    # overlap with identical content.
    f2 = len(pk) + 1
    for f in frag4_bytes(p2, [(0, 600), (576, 2000)], [1, 0], 0x5001):
        pk.append((1, f))
    done2 = len(pk)
    pk.append((0, c.seg(0, "A")))
    n_before = len(c.pkts)
    c.close()
    pk += [x for x in c.pkts[n_before:]]
    fr = frames_of(pk, lambda b, d: eth(b))
    write_pcap("frag4.pcap", LT_EN10MB, fr)
    n = c.counts()
    describe("frag4.pcap", "Ethernet IPv4, TCP 10.40.0.1:40008 -> 10.40.0.2:8080. %d frames. "
             "Frames %d-%d: a 3000-byte client segment (seq ISN+1) in 3 IPv4 fragments (id "
             "0x4001) sent out of order (offsets 1480, 2960, then 0); frames %d-%d: a 1180-byte "
             "server segment in 2 fragments (id 0x5001) sent last-first, overlapping by 24 "
             "bytes with identical content (1 overlap anomaly). After reassembly: 2 "
             "reassembled datagrams (completed in frames %d and %d, first frames %d and %d); "
             "TCP packets %d c->s and %d s->c, payload %d bytes c->s and %d bytes s->c."
             % (len(fr), f1, done1, f2, done2, done1, done2, f1, f2, n[0], n[1],
                len(c.payload[0]), len(c.payload[1])))


def gen_frag6():
    c = Conv("2001:db8:70::1", "2001:db8:70::2", 40009, 8080, 0x30000000, 0x40000000, v6=True)
    c.handshake()
    pk = list(c.pkts)
    big = bytes((i * 11 + 1) & 0xFF for i in range(2500))
    p1 = c.seg(0, "PA", big)
    raw = bytes(p1)
    body = raw[40:]  # TCP header + payload (no extension headers on p1)
    cuts = [(0, 1232), (1232, 2464), (2464, len(body))]
    frs = []
    for s, e in cuts:
        more = 1 if e < len(body) else 0
        f = IPv6(src=c.a[0], dst=c.a[1], hlim=64, fl=0) / \
            IPv6ExtHdrFragment(nh=6, offset=s // 8, m=more, id=0x0A0B0C0D) / Raw(body[s:e])
        frs.append(bytes(f))
    f1 = len(pk) + 1
    for i in [2, 0, 1]:
        pk.append((0, frs[i]))
    done1 = len(pk)
    pk.append((1, c.seg(1, "A")))
    n_before = len(c.pkts)
    c.send(1, b"ok\n")
    c.close()
    pk += c.pkts[n_before:]
    fr = frames_of(pk, lambda b, d: eth(b, v6=True))
    write_pcap("frag6.pcap", LT_EN10MB, fr)
    n = c.counts()
    describe("frag6.pcap", "Ethernet IPv6, TCP [2001:db8:70::1]:40009 -> [2001:db8:70::2]:8080. "
             "%d frames. Frames %d-%d: a 2500-byte client segment in 3 IPv6 fragments "
             "(id 0x0a0b0c0d) sent in the order last, first, middle; 1 reassembled datagram "
             "(completed in frame %d, first frame %d). After reassembly: TCP packets %d c->s "
             "and %d s->c, payload %d bytes c->s and %d bytes s->c."
             % (len(fr), f1, done1, done1, f1, n[0], n[1], len(c.payload[0]),
                len(c.payload[1])))


def gen_port_reuse():
    c1 = simple_conv(cip="10.50.0.1", sip="10.50.0.2", cport=40010, cisn=111111, sisn=222222)
    c2 = simple_conv(cip="10.50.0.1", sip="10.50.0.2", cport=40010, cisn=3333333333,
                     sisn=444444)
    fr = frames_of(c1.pkts + c2.pkts, lambda b, d: eth(b))
    write_pcap("port_reuse.pcap", LT_EN10MB, fr)
    describe("port_reuse.pcap", "Ethernet IPv4, the same 5-tuple used twice: 2 TCP "
             "connections. First (frames 1-%d, client ISN 111111): %s. Second (frames %d-%d, "
             "new SYN with client ISN 3333333333): same counts and payloads."
             % (len(c1.pkts), conv_line(c1), len(c1.pkts) + 1, len(fr)))


def seqwrap_payload():
    return b"".join(b"seqwrap line %05d\n" % i for i in range(10240 // 19 + 1))[:10240]


def gen_seqwrap():
    c = Conv("10.60.0.1", "10.60.0.2", 40011, 22, 0xFFFFF000, 0x7FFFFFF0)
    c.handshake()
    c.send(0, seqwrap_payload())
    c.send(1, b"thanks\n")
    c.close()
    fr = frames_of(c.pkts, lambda b, d: eth(b))
    write_pcap("seqwrap.pcap", LT_EN10MB, fr)
    describe("seqwrap.pcap", "Ethernet IPv4, client ISN 0xfffff000 so the client sequence "
             "number wraps past 2^32 after 4095 payload bytes. %d frames. 1 %s. The client "
             "payload is lines \"seqwrap line NNNNN\\n\" (N from 00000, 19 bytes each) cut at "
             "10240 bytes." % (len(fr), conv_line(c)))


def gen_truncated():
    c = simple_conv(cip="10.70.0.1", sip="10.70.0.2", cport=40012)
    fr = frames_of(c.pkts, lambda b, d: eth(b))
    last_len = len(fr[-1][1])
    write_pcap("truncated.pcap", LT_EN10MB, fr, cut_last=last_len // 2)
    n = c.counts()
    describe("truncated.pcap", "Ethernet IPv4, the conversation of simple.pcap on other "
             "addresses, but the file ends in the middle of the last record (the final ACK, "
             "%d of %d bytes present): a reader must report the cut and keep the first %d "
             "frames: TCP 10.70.0.1:40012 -> 10.70.0.2:22, %d packets c->s and %d s->c "
             "readable (final ACK lost). tshark reports the file as cut short."
             % (last_len // 2, last_len, len(fr) - 1, n[0] - 1, n[1]))


def gen_simple():
    c = simple_conv()
    fr = frames_of(c.pkts, lambda b, d: eth(b))
    write_pcap("simple.pcap", LT_EN10MB, fr)
    write_pcapng("simple.pcapng", LT_EN10MB, fr)
    fr_ns = frames_of(c.pkts, lambda b, d: eth(b), step_ns=10_000_321,
                      start_ns=T0_NS + 123456789)
    write_pcap("simple_ns.pcap", LT_EN10MB, fr_ns, nano=True)
    line = conv_line(c)
    describe("simple.pcap", "Ethernet IPv4, microsecond pcap. %d frames, 10 ms apart from "
             "2023-11-14T22:13:20Z. 1 %s; payloads are the two SSH banners and 512 bytes of "
             "binary." % (len(fr), line))
    describe("simple.pcapng", "the frames of simple.pcap in pcapng (one SHB, one IDB with "
             "if_name eth0, EPBs); same counts and timestamps.")
    describe("simple_ns.pcap", "the frames of simple.pcap in a nanosecond pcap (magic "
             "a1b23c4d); first frame at 1700000000.123456789, then every 10.000321 ms; same "
             "counts.")


def main():
    for g in (gen_simple, gen_vlan, gen_qinq, gen_sll, gen_sll2, gen_null, gen_raw,
              gen_ipv6_ext, gen_frag4, gen_frag6, gen_port_reuse, gen_seqwrap,
              gen_truncated):
        g()
    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write("# Crafted captures\n\n"
                "Written by `gen.py` (deterministic: `/usr/bin/python3 tests/crafted/gen.py` "
                "rewrites every file byte for byte; this README too). Packet counts are TCP "
                "packets as a decoder delivers them (after IP reassembly); \"c->s\" is from "
                "the SYN sender. Every data segment is answered by a pure ACK; each side's "
                "SYN carries MSS 1460, SACK-permitted, timestamps and window scale 7.\n\n")
        f.write("\n".join(README) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
