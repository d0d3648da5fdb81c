#!/usr/bin/env python3
"""More hostile classes (round 2), written at test time: `genmore.py DIR`
writes each case below into DIR as NAME.pcap or NAME.pcapng, and
`genmore.py flood KIND FILE N` a capture of N zero-length records (the
memory check; see flood).
tests/hostile/t_classes.sh runs every command on each under the memory
limit and checks what each case's docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, NEWKEYS, PSH, Conn, write  # noqa: E402
from genfmt import (BAN_C, BAN_S, CLI, KEX, SRV, T0, blk, eth, idb, ip4, kexinit, ng, opt,  # noqa: E402
                    pcap, session, shb, tcp_seg)

# bytes no output may carry raw: C0 controls, DEL, an 8-bit CSI
CTRL = b"\x01\x07\x08\x1b]0;pwn\x07\x1b[2J\x7f\x9b"


def csv_ctrl():
    """Control bytes in every capture string a CSV output has: the SSH
    banners (ssh --csv, conns --csv's service fields) and an HTTP request's
    host and user agent (conns --csv). No raw control byte may be written;
    they are written as the text outputs write them (\\xHH)."""
    c = Conn(42001)
    c.handshake()
    c.ssh(sban=b"SSH-2.0-Srv" + CTRL + b"_9.6\r\n", cban=b"SSH-2.0-Cli" + CTRL + b"\r\n")
    c.close()
    web = Conn(42002, dp=80)
    web.handshake()
    web.send(True, b"GET / HTTP/1.1\r\nHost: h" + CTRL + b".example\r\nUser-Agent: ua" + CTRL + b"\r\n\r\n")
    web.send(False, b"HTTP/1.1 200 OK\r\nServer: s" + CTRL + b"\r\nContent-Length: 2\r\n\r\nok")
    web.close()
    return c.frames + [(t + 1, f) for t, f in web.frames]


def banner_nul():
    """A NUL byte inside the server's version line (RFC 4253 4.2 allows
    none): flagged banner_bad, not silently cut at the NUL."""
    c = Conn(42003)
    c.handshake()
    c.ssh(sban=b"SSH-2.0-Open\0SSH_9.6\r\n")
    c.close()
    return c.frames


def newkeys_first():
    """The server sends NEWKEYS before any KEXINIT (no key exchange can
    have taken place): an anomaly, counted."""
    c = Conn(42004)
    c.handshake()
    c.send(False, BAN_S + NEWKEYS)
    c.send(True, BAN_C + kexinit(KEX))
    c.close()
    return c.frames


def kex_holes():
    """The server's banner and KEXINIT in 1-byte segments, every other
    byte first and the rest after, all before the client ACKs: hundreds
    of holes open at once, every one filled before the ACK; missed_bytes
    must be 0."""
    c = Conn(42005)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    base = c.seq[1]
    for half in (0, 1):
        for k in range(half, len(data), 2):
            c.pkt(False, base + k, c.seq[0], PSH | ACK, data[k:k + 1])
    c.seq[1] += len(data)
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    c.close()
    return c.frames


def ng_epb(frame, ts, iface=0):
    return blk(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(frame), len(frame)) + frame)


def ts_2262():
    """One TCP connection dated in 2262, 13 days short of where strider
    saturates time (pcapng, nanoseconds), its packets 2 s apart: with
    `conns --idle-timeout 1e9` (the largest allowed) the idle sweep's
    last_seen + timeout overflowed and ended the connection at each
    sweep. One connection, no sanitizer report."""
    c = Conn(42006)
    c.handshake()
    c.ssh()
    c.close()
    base = 9_222_000_000_000_000_000
    blocks = [ng_epb(f, base + i * 2 * 10**9) for i, (_, f) in enumerate(c.frames)]
    tsresol = opt(9, b"\x09") + struct.pack("<HH", 0, 0)
    return ng(shb(), idb(opts=tsresol), *blocks)


def flood(kind, n):
    """Zero-length records, n of them: the memory must not grow with n.
    empty: pcap records of 0 captured bytes (wire length 60) after one
    SYN; acks: segments without payload (both ways, alternating) inside an
    SSH session after its NEWKEYS, each its own record."""
    if kind == "empty":
        syn = eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 42007, 22, 1, 0, 0x02)))
        recs = [(T0, 0, len(syn), len(syn), syn)]
        recs += [(T0 + 1 + i // 1000000, i % 1000000, 0, 60, b"") for i in range(n)]
        return pcap([], recs=recs)
    c = Conn(42008)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    frames = [(t, f) for t, f in c.frames]
    cs, ss = c.seq
    ack = [eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 42008, 22, cs, ss, ACK))),
           eth(ip4(SRV, CLI, 6, tcp_seg(SRV, CLI, 22, 42008, ss, cs, ACK)))]
    recs = [(int(t), round((t % 1) * 1e6), len(f), len(f), f) for t, f in frames]
    recs += [(T0 + 1 + i // 1000000, i % 1000000, len(ack[i & 1]), len(ack[i & 1]), ack[i & 1]) for i in range(n)]
    return pcap([], recs=recs)


def ng_tsres():
    """One SYN per interface (ports 42020-42022), each dated by an if_tsresol at the edge of
    what a 64-bit count holds: 10^-12 s (1,000,000.5 s), 2^-63 s (1.5 s),
    2^-1 s (1,700,000,000.5 s). The time must be exact (tshark 4 wraps the
    first two)."""
    ifs, pkts = [], []
    for i, (res, ts) in enumerate(((12, 10**18 + 5 * 10**11), (0x80 | 63, (1 << 63) + (1 << 62)),
                                   (0x81, 3400000001))):
        syn = eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 42020 + i, 22, 1, 0, 0x02)))
        ifs.append(idb(opts=opt(9, bytes([res])) + struct.pack("<HH", 0, 0)))
        pkts.append(ng_epb(syn, ts, i))
    return ng(shb(), *ifs, *pkts)


def ng_sections():
    """Two sections: a packet on interface 1 of the second section, which
    describes only interface 0 (the first section had two): said with file,
    frame and offset, skipped; the packets around it are read."""
    c = Conn(42010)
    c.handshake()
    c.ssh()
    c.close()
    fr = [f for _, f in c.frames]
    first = [shb(), idb(), idb(), ng_epb(fr[0], T0 * 10**6)]
    second = [shb(), idb()]
    for i, f in enumerate(fr[1:]):
        iface = 1 if i == 3 else 0
        second.append(ng_epb(f, T0 * 10**6 + i + 1, iface))
    return ng(*first, *second)


def qinq_opts():
    """An SSH session behind an 802.1ad tag (0x88a8, VLAN 100) and an
    802.1Q one (200), whose ACKs carry SACK blocks far outside the stream
    (a reversed range, four blocks at 2^31), a SACK of length 9 and an MSS
    of length 3: the options said by frame, the tags read (vlan 100), the
    session found."""
    c = Conn(42011)
    c.handshake()
    c.ssh()
    cs, ss = c.seq
    for o in (b"\x05\x0a" + struct.pack("!II", 0xFFFFFF00, 0x10),
              b"\x05\x22" + b"".join(struct.pack("!II", 0x80000000 + i, 0x7FFFFFFF - i) for i in range(4)),
              b"\x05\x09" + bytes(7) + b"\x01", b"\x02\x03\x05\x01"):
        c.frames.append((c.t + 0.001, eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 42011, 22, cs, ss, ACK, opts=o)))))
        c.t += 0.001
    c.close()
    tags = struct.pack("!HHHH", 0x88A8, 100, 0x8100, 200)
    return [(t, f[:12] + tags + f[12:]) for t, f in c.frames]


CASES = {"csv_ctrl.pcap": lambda: write(csv_ctrl()), "banner_nul.pcap": lambda: write(banner_nul()),
         "newkeys_first.pcap": lambda: write(newkeys_first()), "kex_holes.pcap": lambda: write(kex_holes()),
         "ts_2262.pcapng": ts_2262, "ng_tsres.pcapng": ng_tsres, "ng_sections.pcapng": ng_sections,
         "qinq_opts.pcap": lambda: write(qinq_opts())}


def main():
    if sys.argv[1] == "flood":
        with open(sys.argv[3], "wb") as fh:
            fh.write(flood(sys.argv[2], int(sys.argv[4])))
        return
    genmain.write_cases(sys.argv[1], CASES)


if __name__ == "__main__":
    main()
