#!/usr/bin/env python3
"""Writes the hostile captures of tests/hostile, byte by byte (no scapy).

  mkcap.py banner OUT KIND   one TCP connection to port 22 whose server
                             sends KIND's pre-banner text and banner:
      openssh_max   1024 lines before a version line of 8192 bytes
                    (the most OpenSSH accepts)
      over          1100 lines before the version, one of them 9000 bytes,
                    and a version line of 10000 bytes
  mkcap.py pcapng-future OUT   pcapng whose packets are dated past 2262
                    (if_tsresol 10^-9: a signed 64-bit nanosecond count
                    overflows), between two ordinary packets.
"""
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from pcapw import osum  # noqa: E402

T0 = 1700000000
CLI, SRV = bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])
CPORT, SPORT = 40000, 22


def csum(b):
    return ~osum(b) & 0xFFFF


def tcp_ip(src, dst, sport, dport, seq, ack, flags, data=b""):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0) + data
    pseudo = src + dst + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", csum(pseudo + tcp)) + tcp[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), 1, 0x4000, 64, 6, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + tcp


def write_pcap(path, frames):
    """frames: (seconds as float, IPv4 packet); LINKTYPE_RAW (101)."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 101)]
    for t, pkt in frames:
        us = round(t * 1e6)
        out.append(struct.pack("<IIII", us // 10**6, us % 10**6, len(pkt), len(pkt)) + pkt)
    open(path, "wb").write(b"".join(out))


def session(server_text, client_text):
    """Handshake, the server's text, the client's, FIN both ways."""
    t = [T0]
    frames = []
    cs, ss = 1000, 5000

    def add(pkt):
        t[0] += 0.001
        frames.append((t[0], pkt))

    add(tcp_ip(CLI, SRV, CPORT, SPORT, cs, 0, 0x02))
    add(tcp_ip(SRV, CLI, SPORT, CPORT, ss, cs + 1, 0x12))
    cs, ss = cs + 1, ss + 1
    add(tcp_ip(CLI, SRV, CPORT, SPORT, cs, ss, 0x10))
    for i in range(0, len(server_text), 1400):
        seg = server_text[i:i + 1400]
        add(tcp_ip(SRV, CLI, SPORT, CPORT, ss, cs, 0x18, seg))
        ss += len(seg)
        add(tcp_ip(CLI, SRV, CPORT, SPORT, cs, ss, 0x10))
    for i in range(0, len(client_text), 1400):
        seg = client_text[i:i + 1400]
        add(tcp_ip(CLI, SRV, CPORT, SPORT, cs, ss, 0x18, seg))
        cs += len(seg)
        add(tcp_ip(SRV, CLI, SPORT, CPORT, ss, cs, 0x10))
    add(tcp_ip(CLI, SRV, CPORT, SPORT, cs, ss, 0x11))
    add(tcp_ip(SRV, CLI, SPORT, CPORT, ss, cs + 1, 0x11))
    add(tcp_ip(CLI, SRV, CPORT, SPORT, cs + 1, ss + 1, 0x10))
    return frames


def version(total):
    """An identification line of `total` bytes without CR LF."""
    v = b"SSH-2.0-OpenSSH_9.6 "
    return v + b"c" * (total - len(v))


def banner(path, kind):
    if kind == "openssh_max":
        pre = [b"pre-banner line %d" % i for i in range(1024)]
        text = b"".join(l + b"\r\n" for l in pre) + version(8192) + b"\r\n"
    elif kind == "over":
        pre = [b"pre-banner line %d" % i for i in range(1100)]
        pre[5] = b"x" * 9000
        text = b"".join(l + b"\r\n" for l in pre) + version(10000) + b"\r\n"
    else:
        sys.exit("unknown banner kind " + kind)
    write_pcap(path, session(text, b"SSH-2.0-OpenSSH_9.6\r\n"))


def block(btype, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", btype, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def pcapng_future(path):
    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # if_tsresol (9) = 9: nanoseconds
    opts = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    idb = block(1, struct.pack("<HHI", 101, 0, 262144) + opts)
    pkt = tcp_ip(CLI, SRV, CPORT, 80, 1, 0, 0x02)
    out = [shb, idb]
    for ts in (T0 * 10**9, 2**64 - 1000, 10**19, T0 * 10**9 + 1):
        out.append(block(6, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(pkt), len(pkt)) + pkt))
    open(path, "wb").write(b"".join(out))


def main():
    what, path, *rest = sys.argv[1:]
    if what == "banner":
        banner(path, rest[0])
    elif what == "pcapng-future":
        pcapng_future(path)
    else:
        sys.exit("unknown capture " + what)


if __name__ == "__main__":
    main()
