#!/usr/bin/env python3
"""The hostile captures of tests/hostile/t_suite.sh (issue #14), written at
test time (nothing big is committed). Each is an attack on the analyst or
on strider's memory, disk or results:

  gen.py longbanner OUT      SSH behind 1,000 pre-banner lines and an
                             8,192-byte version line, then a full key
                             exchange and an encrypted session
  gen.py timeback OUT        three connections; timestamps jump 100 s and
                             a year back, then go on
  gen.py escapes OUT         OSC 0/52, CSI 2J, 8-bit CSI 0x9b, BEL in SSH
                             banners, pre-banner lines, KEXINIT names, an
                             HTTP request and reply
  gen.py seqjump OUT N       a TCP session whose sender jumps N times by
                             just under 2^31 (ACKed: not an injection) and
                             N times by just under 1 GiB: the sparse-file
                             attack on extract
  gen.py frags OUT N         N IPv4 and N IPv6 datagrams shredded into
                             overlapping fragments with conflicting bytes,
                             and N/2 of each that never complete
  gen.py retrans OUT N       an SSH connection whose every segment is
                             retransmitted N times with different bytes
  gen.py bignames OUT        KEXINITs with huge name-lists: one of 250 KB
                             (under OpenSSH's 256 KiB packet limit), one
                             claiming 16 MiB
  gen.py tinyrecs OUT N      an SSH connection (aes128-gcm) whose client
                             sends N minimal encrypted records (36 bytes)
  gen.py all DIR SCALE       every capture above into DIR, sized by SCALE
                             (1 = the CI sizes of t_suite.sh)

SYN floods, password guessing and version scans come from bench/gencap
(--scan, --brute) and tests/campaign/mkscan.py."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from pcapw import Pcap  # noqa: E402

SYN, FIN, RST, PSH, ACK = 2, 1, 4, 8, 16
C4, S4 = [10, 20, 0, 1], [10, 20, 0, 2]
MSS = 1400

KEX = ["curve25519-sha256", "ssh-ed25519", "aes128-gcm@openssh.com", "aes128-gcm@openssh.com",
       "hmac-sha2-256", "hmac-sha2-256", "none", "none", "", ""]


def ssh_packet(payload, block=8):
    """A cleartext SSH binary packet (RFC 4253 section 6)."""
    pad = block - (5 + len(payload)) % block
    if pad < 4:
        pad += block
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + b"\0" * pad


def namelist(s):
    return struct.pack("!I", len(s)) + s


def kexinit(lists):
    body = bytes([20]) + b"\x11" * 16
    for lst in lists:
        body += namelist(lst.encode() if isinstance(lst, str) else lst)
    return ssh_packet(body + b"\0" + b"\0\0\0\0")


def gcm_record(n_inner=16, fill=b"\xa5"):
    """An aes128-gcm record: clear length, n_inner encrypted bytes, tag."""
    return struct.pack("!I", n_inner) + fill * (n_inner + 16)


class Conn:
    """One TCP connection: handshake, data both ways in MSS segments with
    ACKs, FIN both ways. Sequence numbers are tracked per side."""

    def __init__(self, w, cli, srv, sport, dport=22, v6=False):
        self.w, self.cli, self.srv, self.sp, self.dp = w, cli, srv, sport, dport
        self.seq = [1000, 5000]
        self.send = w.tcp6 if v6 else w.tcp

    def pkt(self, d, flags, data=b"", seq=None, ack=None):
        a, b = (self.cli, self.srv) if d == 0 else (self.srv, self.cli)
        sp, dp = (self.sp, self.dp) if d == 0 else (self.dp, self.sp)
        s = self.seq[d] if seq is None else seq
        k = self.seq[1 - d] if ack is None else ack
        self.send(a, b, sp, dp, s, k, flags, data)

    def open(self):
        self.pkt(0, SYN, ack=0)
        self.seq[0] += 1
        self.pkt(1, SYN | ACK)
        self.seq[1] += 1
        self.pkt(0, ACK)

    def data(self, d, payload, acks=True):
        for i in range(0, len(payload), MSS):
            seg = payload[i:i + MSS]
            self.pkt(d, PSH | ACK, seg)
            self.seq[d] += len(seg)
            if acks:
                self.pkt(1 - d, ACK)

    def close(self):
        self.pkt(0, FIN | ACK)
        self.seq[0] += 1
        self.pkt(1, FIN | ACK)
        self.seq[1] += 1
        self.pkt(0, ACK)


def ssh_kex(c, sban, cban, slists=KEX, clists=KEX, spre=b""):
    """Banners, KEXINITs, ECDH, NEWKEYS: both directions then encrypted."""
    c.data(1, spre + sban)
    c.data(0, cban)
    c.data(0, kexinit(clists))
    c.data(1, kexinit(slists))
    c.data(0, ssh_packet(bytes([30]) + namelist(b"\x42" * 32)))
    hostkey = namelist(b"ssh-ed25519") + namelist(b"\x43" * 32)
    c.data(1, ssh_packet(bytes([31]) + namelist(hostkey) + namelist(b"\x44" * 32) + namelist(b"\x45" * 83)))
    c.data(1, ssh_packet(bytes([21])))
    c.data(0, ssh_packet(bytes([21])))


def ssh_login(c):
    """An OpenSSH-like password login and a few keystrokes (aes128-gcm)."""
    c.data(0, gcm_record(32))            # SERVICE_REQUEST
    c.data(1, gcm_record(32))            # SERVICE_ACCEPT
    c.data(0, gcm_record(64))            # none
    c.data(1, gcm_record(48))            # FAILURE
    c.data(0, gcm_record(128))           # password
    c.data(1, gcm_record(16))            # SUCCESS
    c.data(0, gcm_record(32))            # CHANNEL_OPEN session (a login is used at once)
    c.data(1, gcm_record(32))            # OPEN_CONFIRMATION
    for _ in range(20):
        c.data(0, gcm_record(16))
        c.data(1, gcm_record(16))


def longbanner(out):
    w = Pcap(out)
    pre = b"".join(b"pre-banner line %04d of a patient server\r\n" % i for i in range(1000))
    v = b"SSH-2.0-OpenSSH_9.6 "
    sban = v + b"L" * (8192 - len(v)) + b"\r\n"
    c = Conn(w, C4, S4, 41000)
    c.open()
    ssh_kex(c, sban, b"SSH-2.0-OpenSSH_9.6\r\n", spre=pre)
    ssh_login(c)
    c.close()
    w.close()


def timeback(out):
    w = Pcap(out)
    for i, back in enumerate((100.0, 365 * 86400.0, 0.0)):
        c = Conn(w, C4, [10, 20, 1, 1 + i], 42000 + i, 80)
        c.open()
        w.t -= back
        c.data(0, b"GET / HTTP/1.1\r\n\r\n")
        c.data(1, b"HTTP/1.1 200 OK\r\n\r\nhello")
        c.close()
    w.close()


ESC = [b"\x1b]0;pwned-title\x07", b"\x1b[2J", b"\x1b]52;c;ZWNobyBoaQ==\x1b\\", b"\x9b31m", b"\x07"]


def escapes(out):
    w = Pcap(out)
    bad = b"".join(ESC)
    c = Conn(w, C4, S4, 43000)
    c.open()
    lists = list(KEX)
    lists[0] = b"curve25519-sha256," + bad + b"kex"
    lists[8] = b"zlib" + bad
    ssh_kex(c, b"SSH-2.0-OpenSSH_9.2" + bad + b"\r\n", b"SSH-2.0-x" + bad + b"\r\n", slists=lists,
            clists=lists, spre=b"hello " + bad + b"\r\n")
    ssh_login(c)
    c.close()
    h = Conn(w, C4, S4, 43001, 80)
    h.open()
    h.data(0, b"GET /" + bad + b" HTTP/1.1\r\nHost: x" + bad + b"\r\n\r\n")
    h.data(1, b"HTTP/1.1 200 OK\r\nServer: " + bad + b"\r\n\r\n" + bad)
    h.close()
    w.close()


def seqjump(out, n):
    """Jumps just under 2^31 are ACKed by the receiver, so reassembly keeps
    them (a capture that lost packets) and extract would write them as
    holes; just under 1 GiB stays within --max-hole's default per hole."""
    w = Pcap(out)
    c = Conn(w, C4, S4, 44000, 8080)
    c.open()
    for jump in [2**31 - 4096] * n + [2**30 - 4096] * n:
        c.data(0, b"chunk before a jump\n")
        c.seq[0] += jump
        c.pkt(1, ACK)  # the receiver ACKs past the hole
    c.data(0, b"the end\n")
    c.close()
    w.close()


def frags(out, n):
    w = Pcap(out)
    d6c, d6s = bytes(15) + b"\x01", bytes(15) + b"\x02"
    udp = struct.pack("!HHHH", 5353, 9999, 8 + 512, 0)
    for i in range(n):
        for v6 in (False, True):
            send = w.ip6 if v6 else w.ip
            src, dst = (d6c, d6s) if v6 else ([10, 30, i >> 8 & 255, i & 255], [10, 31, 0, 1])
            body = udp + bytes([i & 255]) * 512
            ids = (2 * i + 1, 2 * i + 2) if v6 else (1, 2)  # v4: a source address per i
            # 64-byte steps of 128-byte fragments: every byte twice, the
            # second copy different; the last one closes the datagram
            for off in range(0, 512, 64):
                piece = body[off:off + 128] if off == 0 else bytes([(i + off) & 255]) * 128
                send(src, dst, 17, piece[:128], ident=ids[0], frag=off // 8, more=True)
            send(src, dst, 17, b"\xee" * 8, ident=ids[0], frag=(len(body)) // 8, more=False)
            if i % 2 == 0:  # never completes: held until a timeout or the memcap
                send(src, dst, 17, b"\xdd" * 64, ident=ids[1], frag=8, more=True)
    w.close()


def retrans(out, n):
    w = Pcap(out)
    c = Conn(w, C4, S4, 45000)
    c.open()
    sban = b"SSH-2.0-OpenSSH_9.6\r\n"
    for k in range(n):  # the banner again and again, each copy different
        alt = (b"SSH-2.0-Evil_%d" % k).ljust(len(sban) - 2, b"!") + b"\r\n"
        c.pkt(1, PSH | ACK, alt)
    ssh_kex(c, sban, b"SSH-2.0-OpenSSH_9.6\r\n")
    for k in range(n):
        c.data(0, gcm_record(16))
        c.pkt(0, PSH | ACK, gcm_record(16, b"\x5a"), seq=c.seq[0] - 36)  # same bytes' place, new bytes
    c.close()
    w.close()


def bignames(out):
    w = Pcap(out)
    huge = ",".join("algo-%06d@example.com" % i for i in range(10000))  # ~250 KB
    lists = [huge] + KEX[1:]
    c = Conn(w, C4, S4, 46000)
    c.open()
    ssh_kex(c, b"SSH-2.0-OpenSSH_9.6\r\n", b"SSH-2.0-OpenSSH_9.6\r\n", clists=lists)
    ssh_login(c)
    c.close()
    # a KEXINIT whose packet claims 16 MiB: only its first 64 KB are sent
    c = Conn(w, C4, S4, 46001)
    c.open()
    c.data(1, b"SSH-2.0-OpenSSH_9.6\r\n")
    c.data(0, b"SSH-2.0-OpenSSH_9.6\r\n")
    body = bytes([20]) + b"\x11" * 16 + namelist(b"a" * (16 << 20))
    c.data(0, struct.pack("!IB", 16 << 20, 4) + body[:65536])
    c.close()
    w.close()


def tinyrecs(out, n):
    w = Pcap(out)
    c = Conn(w, C4, S4, 47000)
    c.open()
    ssh_kex(c, b"SSH-2.0-OpenSSH_9.6\r\n", b"SSH-2.0-OpenSSH_9.6\r\n")
    ssh_login(c)
    per = MSS // 36
    seg = gcm_record(16) * per
    for _ in range(n // per):
        c.pkt(0, PSH | ACK, seg)
        c.seq[0] += len(seg)
        c.pkt(1, ACK)
    c.close()
    w.close()


def write_all(d, scale):
    longbanner(os.path.join(d, "longbanner.pcap"))
    timeback(os.path.join(d, "timeback.pcap"))
    escapes(os.path.join(d, "escapes.pcap"))
    seqjump(os.path.join(d, "seqjump.pcap"), 30 * scale)
    frags(os.path.join(d, "frags.pcap"), 4000 * scale)
    retrans(os.path.join(d, "retrans.pcap"), 200 * scale)
    bignames(os.path.join(d, "bignames.pcap"))
    tinyrecs(os.path.join(d, "tinyrecs.pcap"), (1 << 20) + 50000 * scale)


def main():
    what, out, *rest = sys.argv[1:]
    fn = {"longbanner": longbanner, "timeback": timeback, "escapes": escapes, "seqjump": seqjump,
          "frags": frags, "retrans": retrans, "bignames": bignames, "tinyrecs": tinyrecs,
          "all": write_all}.get(what)
    if not fn:
        sys.exit("unknown capture " + what)
    fn(out, *[int(x) for x in rest])


if __name__ == "__main__":
    main()
