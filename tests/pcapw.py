"""A tiny classic-pcap writer for the tests' crafted captures: Ethernet,
IPv4, TCP with any flags and payload, timestamps 1 ms apart (or set t
before a packet to date it). ip() and ip6() write any IP datagram
(fragments included); tcp6() is tcp() over IPv6; udp() writes UDP and
wait() adds a gap before the next packet; handshake() writes a three-way
handshake; cut() captures the next frame
without its last bytes, as a small snaplen does. Checksums are left 0 (as
offload leaves them: not computed); osum() is the ones'-complement sum for
a test that writes real ones."""
import struct

ETH = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb"
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def osum(b):
    """The folded ones'-complement sum of b (RFC 1071), not complemented."""
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Pcap:
    def __init__(self, path, t0=1700000000.0):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t = t0
        self.cut_next = 0

    def frame(self, ethertype, l3):
        frame = ETH + struct.pack("!H", ethertype) + l3
        self.t += 0.001
        sec = int(self.t)
        cap = len(frame) - min(self.cut_next, len(frame))
        self.cut_next = 0
        self.f.write(struct.pack("<IIII", sec, int((self.t - sec) * 1e6), cap, len(frame)) + frame[:cap])

    def ip(self, src, dst, proto, body, ident=0, frag=0, more=False):
        """IPv4; frag: fragment offset in 8-byte units."""
        off = frag | (0x2000 if more else 0)
        hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(body), ident, off, 64, proto, 0, bytes(src), bytes(dst))
        self.frame(0x0800, hdr + body)

    def ip6(self, src, dst, proto, body, ident=None, frag=0, more=False):
        """IPv6; with ident, a Fragment header (offset in 8-byte units)."""
        if ident is not None:
            body = struct.pack("!BBHI", proto, 0, (frag << 3) | int(more), ident) + body
            proto = 44
        hdr = struct.pack("!IHBB16s16s", 6 << 28, len(body), proto, 64, bytes(src), bytes(dst))
        self.frame(0x86DD, hdr + body)

    @staticmethod
    def tcp_hdr(sp, dp, seq, ack, flags, win=65535):
        return struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, win, 0, 0)

    def tcp(self, src, dst, sp, dp, seq, ack, flags, data=b"", win=65535):
        self.ip(src, dst, 6, self.tcp_hdr(sp, dp, seq, ack, flags, win) + data)

    def tcp6(self, src, dst, sp, dp, seq, ack, flags, data=b"", win=65535):
        self.ip6(src, dst, 6, self.tcp_hdr(sp, dp, seq, ack, flags, win) + data)

    def udp(self, src, dst, sp, dp, data=b""):
        self.ip(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(data), 0) + data)

    def wait(self, seconds):
        """The next packet comes this much later (plus the usual 1 ms)."""
        self.t += seconds

    def handshake(self, cli, srv, sp, dp, cseq, sseq):
        """SYN, SYN-ACK, ACK between cli:sp and srv:dp with these ISNs."""
        self.tcp(cli, srv, sp, dp, cseq, 0, SYN)
        self.tcp(srv, cli, dp, sp, sseq, cseq + 1, SYN | ACK)
        self.tcp(cli, srv, sp, dp, cseq + 1, sseq + 1, ACK)

    def cut(self, nbytes):
        """The next frame is captured without its last nbytes bytes."""
        self.cut_next = nbytes

    def close(self):
        self.f.close()
