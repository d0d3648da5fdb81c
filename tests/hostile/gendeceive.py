#!/usr/bin/env python3
"""Captures built to deceive strider's TCP and SSH layers rather than to
break its parsers, written at test time: `gendeceive.py DIR` writes each
case below as DIR/NAME.pcap. tests/hostile/t_deceive.sh checks that each
deception is either seen through (the output is right) or flagged.

Every connection is 10.7.0.1:PORT -> 10.7.0.2:22 unless said, with right
IPv4 and TCP checksums (so that a wrong one is a deliberate lie), each
frame 1 ms after the one before unless a case dates it."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, T0, eth, ip4, ip6, kexinit, pcap, tcp_seg  # noqa: E402

SYN, FIN, RST, PSH, ACK = 0x02, 0x01, 0x04, 0x08, 0x10
GCM = [b"curve25519-sha256", b"ssh-ed25519", b"aes128-gcm@openssh.com", b"aes128-gcm@openssh.com",
       b"hmac-sha2-256", b"hmac-sha2-256", b"none", b"none", b"", b""]
EVIL_KEX = [b"evil-kex", b"evil-hostkey", b"evil-cipher", b"evil-cipher", b"evil-mac", b"evil-mac", b"none",
            b"none", b"", b""]


def ssh_packet(payload):
    """One cleartext SSH binary packet (RFC 4253 §6) holding payload."""
    pad = 8 - (5 + len(payload)) % 8
    pad += 8 if pad < 4 else 0
    return struct.pack("!IB", 1 + len(payload) + pad, pad) + payload + b"\0" * pad


NEWKEYS = ssh_packet(b"\x15")


class Conn:
    """One TCP connection's frames, dated; seq/ack kept for each side."""

    def __init__(self, sp, dp=22, v6=False, cs=1000, ss=5000):
        self.sp, self.dp, self.v6 = sp, dp, v6
        self.seq = [cs, ss]  # next sequence number: client, server
        self.frames = []     # (seconds, frame)
        self.t = float(T0)

    def pkt(self, c2s, seq, ack, flags, data=b"", bad_csum=False, win=65535, t=None):
        s, d = (CLI6, SRV6) if self.v6 else (CLI, SRV)
        if not c2s:
            s, d = d, s
        a, b = (self.sp, self.dp) if c2s else (self.dp, self.sp)
        seg = tcp_seg(s, d, a, b, seq, ack, flags, data, win=win)
        if bad_csum:  # the receiver's stack drops it
            seg = seg[:16] + bytes([seg[16] ^ 0x5A]) + seg[17:]
        self.t = self.t + 0.001 if t is None else t
        l3 = ip6(s, d, 6, seg) if self.v6 else ip4(s, d, 6, seg)
        self.frames.append((self.t, eth(l3, 0x86DD if self.v6 else 0x0800)))

    def handshake(self, win=65535):
        """SYN, SYN-ACK, ACK; win: the window the client offers."""
        cs, ss = self.seq
        self.pkt(True, cs, 0, SYN, win=win)
        self.pkt(False, ss, cs + 1, SYN | ACK)
        self.seq = [cs + 1, ss + 1]
        self.pkt(True, cs + 1, ss + 1, ACK, win=win)

    def send(self, c2s, data, mss=1400, acked=True):
        """data from one side in segments, each ACKed by the other."""
        i = 0 if c2s else 1
        for k in range(0, len(data), mss):
            seg = data[k:k + mss]
            self.pkt(c2s, self.seq[i], self.seq[1 - i], PSH | ACK, seg)
            self.seq[i] += len(seg)
            if acked:
                self.pkt(not c2s, self.seq[1 - i], self.seq[i], ACK)

    def close(self):
        cs, ss = self.seq
        self.pkt(True, cs, ss, FIN | ACK)
        self.pkt(False, ss, cs + 1, FIN | ACK)
        self.pkt(True, cs + 1, ss + 1, ACK)

    def ssh(self, sban=BAN_S, cban=BAN_C, skex=KEX, ckex=KEX):
        self.send(False, sban + kexinit(skex))
        self.send(True, cban + kexinit(ckex))


def write(frames):
    recs = []
    for t, f in frames:
        us = round(t * 1e6)
        recs.append((us // 10**6, us % 10**6, len(f), len(f), f))
    return pcap([], recs=recs)


def inj_csum():
    """A server banner and KEXINIT (EVIL) injected ahead of the real ones,
    at the right sequence number but with a wrong TCP checksum: the
    client's stack drops it, so strider must not believe it."""
    c = Conn(41001)
    c.handshake()
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, b"SSH-2.0-EVIL_csum\r\n" + kexinit(EVIL_KEX), bad_csum=True)
    c.ssh()
    c.close()
    return c.frames


def inj_oow():
    """The same injection 1 MB past the client's 4 KB window (a blind
    attacker's guess), never ACKed, before the real banner."""
    c = Conn(41002)
    c.handshake(win=4096)
    c.pkt(False, c.seq[1] + 1000000, c.seq[0], PSH | ACK, b"SSH-2.0-EVIL_oow\r\n" + kexinit(EVIL_KEX))
    c.ssh()
    c.close()
    return c.frames


def overlap_banner():
    """Two different server banners of the same length at the same
    sequence number, both before the client ACKs: which one the client took
    depends on its stack. strider must show one and flag the conflict."""
    c = Conn(41003)
    c.handshake()
    ss, cs = c.seq[1], c.seq[0]
    c.pkt(False, ss, cs, PSH | ACK, b"SSH-2.0-AAAA_first\r\n")
    c.pkt(False, ss, cs, PSH | ACK, b"SSH-2.0-BBBB_secnd\r\n")
    c.seq[1] += 20
    c.pkt(True, cs, c.seq[1], ACK)
    c.send(False, kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    c.close()
    return c.frames


def port_nonstd():
    """SSH, complete to NEWKEYS, on port 8443 (no port hint)."""
    c = Conn(41004, dp=8443)
    c.handshake()
    c.ssh()
    c.send(True, NEWKEYS)
    c.send(False, NEWKEYS)
    c.close()
    return c.frames


def http_on_22():
    """HTTP on port 22: not SSH whatever the port says."""
    c = Conn(41005)
    c.handshake()
    c.send(True, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    c.send(False, b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
    c.close()
    return c.frames


def rst_forged():
    """In the middle of an SSH session, after NEWKEYS: RSTs as from the
    server 100,000 past its next sequence number and as from the client
    100,000 before it (outside any window, RFC 9293 §3.10.7.4: not valid),
    then ten minutes of quiet (past the 30 s linger of a closed connection),
    then the session goes on and closes with FINs."""
    c = Conn(41006)
    c.handshake()
    c.ssh()
    c.send(True, NEWKEYS)
    c.send(False, NEWKEYS)
    c.pkt(False, c.seq[1] + 100000, 0, RST)
    c.pkt(True, c.seq[0] - 100000, 0, RST)
    c.t += 600
    for _ in range(5):
        c.send(True, b"\x55" * 64)
        c.send(False, b"\xaa" * 64)
    c.close()
    return c.frames


def kex_1byte():
    """The client's banner and KEXINIT in 1-byte segments sent in a
    shuffled order (each a retransmission-free piece), then one ACK."""
    c = Conn(41007)
    c.handshake()
    lists = [b"diffie-hellman-group14-sha256", b"rsa-sha2-512", b"chacha20-poly1305@openssh.com",
             b"chacha20-poly1305@openssh.com", b"umac-64@openssh.com", b"umac-64@openssh.com", b"none", b"none",
             b"", b""]
    c.send(False, BAN_S + kexinit(lists))
    data = BAN_C + kexinit(lists)
    base = c.seq[0]
    order = sorted(range(len(data)), key=lambda k: (k * 7919) % 1009 + (k // 1009) * 1009)
    for k in order:
        c.pkt(True, base + k, c.seq[1], PSH | ACK, data[k:k + 1])
    c.seq[0] += len(data)
    c.pkt(False, c.seq[1], c.seq[0], ACK)
    c.close()
    return c.frames


def len_2g():
    """aes128-gcm (whose packet length is sent in clear) to NEWKEYS, then
    the client's first encrypted packets claim 2^31 and 2^32-1 bytes."""
    c = Conn(41008)
    c.handshake()
    c.ssh(skex=GCM, ckex=GCM)
    c.send(True, NEWKEYS)
    c.send(False, NEWKEYS)
    c.send(True, struct.pack("!I", 0x80000000) + b"\x33" * 2000)
    c.send(False, struct.pack("!I", 0xFFFFFFFF) + b"\x44" * 2000)
    c.close()
    return c.frames


def client_first():
    """The client's banner and KEXINIT arrive before the server's."""
    c = Conn(41009)
    c.handshake()
    c.send(True, BAN_C.replace(b"9.6", b"8.9") + kexinit(KEX))
    c.send(False, BAN_S + kexinit(KEX))
    c.close()
    return c.frames


def prebanner_255():
    """1,200 lines of 255 bytes before the server's banner (OpenSSH's
    client stops after 1,024 lines)."""
    c = Conn(41010)
    c.handshake()
    lines = b"".join(b"%04d" % i + b"L" * 249 + b"\r\n" for i in range(1200))
    c.send(False, lines + BAN_S + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    c.close()
    return c.frames


def time_back():
    """An SSH session whose frames go back in time twice: 30 s back at the
    server's KEXINIT, and a day back at the client's FIN."""
    c = Conn(41011)
    c.handshake()
    c.send(False, BAN_S)
    c.t -= 30
    c.send(False, kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    c.t -= 86400
    c.close()
    return c.frames


def syn_reuse(n=3000):
    """n SYNs on one 4-tuple, each with a new ISN and no answer, then a
    real SSH session on the same 4-tuple."""
    c = Conn(41012)
    for i in range(n):
        c.pkt(True, (i * 2654435761) & 0xFFFFFFFF, 0, SYN)
    c.seq = [0x12345678, 5000]
    c.handshake()
    c.ssh()
    c.close()
    return c.frames


CASES = [inj_csum, inj_oow, overlap_banner, port_nonstd, http_on_22, rst_forged, kex_1byte, len_2g,
         client_first, prebanner_255, time_back, syn_reuse]


def main():
    genmain.write_cases(sys.argv[1], {c.__name__ + ".pcap": (lambda c=c: write(c())) for c in CASES})


if __name__ == "__main__":
    main()
