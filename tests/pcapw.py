"""A tiny classic-pcap writer for the tests' crafted captures: Ethernet,
IPv4, TCP with any flags and payload or UDP, timestamps 1 ms apart
(wait() adds a gap)."""
import struct


class Pcap:
    def __init__(self, path, t0=1700000000.0):
        self.f = open(path, "wb")
        self.f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        self.t = t0

    def tcp(self, src, dst, sp, dp, seq, ack, flags, data=b"", win=65535):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(data), 0, 0, 64, 6, 0, bytes(src), bytes(dst))
        tcp = struct.pack("!HHIIBBHHH", sp, dp, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, win, 0, 0)
        self._frame(ip + tcp + data)

    def udp(self, src, dst, sp, dp, data=b""):
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + len(data), 0, 0, 64, 17, 0, bytes(src), bytes(dst))
        udp = struct.pack("!HHHH", sp, dp, 8 + len(data), 0)
        self._frame(ip + udp + data)

    def wait(self, seconds):
        """The next packet comes this much later (plus the usual 1 ms)."""
        self.t += seconds

    def _frame(self, ip):
        frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip
        self.t += 0.001
        sec = int(self.t)
        self.f.write(struct.pack("<IIII", sec, int((self.t - sec) * 1e6), len(frame), len(frame)) + frame)

    def close(self):
        self.f.close()
