#!/usr/bin/env python3
"""Hostile classes, round 4, written at test time: `genr4.py DIR` writes
each case below into DIR as NAME.pcap or NAME.pcapng. Each holds one SSH
session (port 22, client port given in the docstring) that must still be
read whatever surrounds it, plus the attack. tests/hostile/t_round4.sh runs
every command and output format on each under the memory limit and checks
what each docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import Conn  # noqa: E402
from genfmt import (BAN_C, BAN_S, KEX, T0, blk, idb, ip4, kexinit, opt, pcap, shb,  # noqa: E402
                    tcp_seg)
from genr3 import keyed, ssh_session  # noqa: E402
import genmain  # noqa: E402

NG_T0 = T0 * 10**6  # microseconds, pcapng's default resolution


def idb_snap(link, snap, opts=b"", e="<"):
    return blk(1, struct.pack(e + "HHI", link, 0, snap & 0xFFFFFFFF) + opts, e)


def epb(frame, iface, ts, e="<", cl=None, wl=None):
    c = len(frame) if cl is None else cl
    w = len(frame) if wl is None else wl
    return blk(6, struct.pack(e + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, c & 0xFFFFFFFF, w) + frame, e)


def ng_ifaces():
    """pcapng, client port 44001: 64 interfaces of 8 link types (Ethernet,
    raw IP, SLL, SLL2, NULL, user 147, 65535, 0xffff link) and snaplens 0,
    1, 64, 65535, 262144, 300000 and 2^32-1; the session's frames spread
    over the Ethernet ones (snaplens 0, 300000, 2^32-1: no limit); around
    them an EPB whose caplen (200) is past its interface's snaplen (64) and
    its block, EPBs on interface 64 and 2^32-1 (not described), IDBs whose
    options have odd lengths (3, 5), length 0xffff past the block and a
    tsresol of length 0; an NRB whose records lie about their lengths and
    never end, an ISB on interface 9999 with options past its block. Must
    hold: the session read to NEWKEYS; each bad block said with its frame;
    nothing else lost."""
    c = ssh_session(44001, keys=4)
    links = [(1, 0), (101, 65535), (113, 262144), (276, 1), (0, 64), (147, 300000), (65535, 0xFFFFFFFF),
             (1, 300000), (1, 0xFFFFFFFF)]
    parts = [shb()]
    eth_ifs = []
    for i in range(64):
        link, snap = links[i % len(links)]
        odd = [b"", opt(9, b"\x06\x00\x00"), opt(2, b"abcde"), opt(9, b"", length=0),
               struct.pack("<HH", 2, 0xFFFF) + b"xx"][i % 5]
        parts.append(idb_snap(link, snap, odd))
        if link == 1 and snap != 64 and not odd.startswith(struct.pack("<HH", 2, 0xFFFF)) \
                and not odd.startswith(opt(9, b"\x06\x00\x00")[:4]):
            eth_ifs.append(i)
    nrb = struct.pack("<HH", 1, 0xFFF0) + b"\x0a\x07\x00\x01host\x00" + struct.pack("<HH", 2, 3) + b"abc"
    parts.append(blk(4, nrb))
    parts.append(blk(5, struct.pack("<III", 9999, 0, 0) + struct.pack("<HH", 4, 0x7FFF) + b"12345678"))
    ts = NG_T0
    for k, (_, f) in enumerate(c.frames):
        ts += 1000
        parts.append(epb(f, eth_ifs[k % len(eth_ifs)], ts))
        if k == 3:
            parts.append(epb(f, 4, ts, cl=200))  # link 0 (NULL), snaplen 64: caplen past block and snaplen
            parts.append(epb(f, 64, ts))
            parts.append(epb(f, 0xFFFFFFFF, ts))
    return b"".join(parts)


def ng_links():
    """pcapng, client port 44013: one session whose frames go round ten
    interfaces of as many link types: NULL in both byte orders, LOOP, raw
    IP (101, 12, 14, 228), Linux cooked SLL and SLL2, Ethernet. Must hold:
    one connection of all 30 frames (tshark: the same), read to NEWKEYS."""
    c = ssh_session(44013, keys=4)
    mac = b"\x00\x11\x22\x33\x44\x55\0\0"
    links = [(0, lambda ip: struct.pack("<I", 2) + ip), (0, lambda ip: struct.pack(">I", 2) + ip),
             (108, lambda ip: struct.pack(">I", 2) + ip), (101, bytes), (12, bytes), (14, bytes), (228, bytes),
             (113, lambda ip: struct.pack("!HHH8sH", 0, 1, 6, mac, 0x0800) + ip),
             (276, lambda ip: struct.pack("!HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, mac) + ip),
             (1, lambda ip: bytes(12) + b"\x08\x00" + ip)]
    parts = [shb()] + [idb_snap(link, 0) for link, _ in links]
    for k, (_, f) in enumerate(c.frames):
        i = k % len(links)
        parts.append(epb(links[i][1](f[14:]), i, NG_T0 + 1000 * (k + 1)))
    return b"".join(parts)


def ng_swap():
    """pcapng, client port 44002: the session's first half in a
    little-endian section, then a big-endian section (SHB of the other
    byte order mid-file, its own IDBs, one with if_tsoffset) with the
    rest. Must hold: the session read to NEWKEYS across the two sections."""
    c = ssh_session(44002, keys=4)
    n = len(c.frames) // 2
    parts = [shb(), idb()]
    ts = NG_T0
    for _, f in c.frames[:n]:
        ts += 1000
        parts.append(epb(f, 0, ts))
    parts += [shb(">"), idb(1, opt(14, struct.pack(">q", 0), ">") + opt(0, b"", ">"), ">")]
    for _, f in c.frames[n:]:
        ts += 1000
        parts.append(epb(f, 0, ts, ">"))
    return b"".join(parts)


def ng_before_1970():
    """pcapng, client port 44003: if_tsoffset -1000 s, so the session is
    dated 1969-12-31 23:43. Must hold: said once with the file and frame
    and counted (read as 1970-01-01, the earliest time kept); the session
    read; no negative or NaN time in any output."""
    c = ssh_session(44003, keys=4)
    parts = [shb(), idb(1, opt(14, struct.pack("<q", -1000)) + opt(0, b""))]
    for k, (_, f) in enumerate(c.frames):
        parts.append(epb(f, 0, k * 1000))
    return b"".join(parts)


def cl_nano_big():
    """Classic pcap, nanosecond magic, snaplen 0, client port 44004: the
    session, a 300,000-byte record (past 256 KiB) between its frames, and
    a record cut short at the end of the file. Must hold: the session read;
    the big record read (it fits no snaplen but pcap's snaplen 0 means
    none); the cut record said with the file and frame."""
    c = ssh_session(44004, keys=4)
    big = c.frames[2][1] + b"\xEE" * 300000
    frames = [f for _, f in c.frames]
    frames.insert(3, big)
    recs = [(T0 + i, 5, len(f), len(f), f) for i, f in enumerate(frames)]
    out = pcap([], snap=0, magic=0xA1B23C4D, recs=recs)
    return out + struct.pack("<IIII", T0 + 999, 0, 100, 100) + b"\x00" * 40


def session_with(sp, l3_opts=None, tcp_opts=None):
    """The SSH session of client port sp with each frame's IPv4 options
    (l3_opts(k)) or TCP options (tcp_opts(k)) replaced."""
    c = ssh_session(sp, keys=4)
    out = []
    for k, (_, f) in enumerate(c.frames):
        ip = f[14:]
        ihl = (ip[0] & 15) * 4
        seg = ip[ihl:]
        src, dst = ip[12:16], ip[16:20]
        if tcp_opts:
            sp_, dp_, seq, ack, _, flags, win = struct.unpack("!HHIIBBH", seg[:16])
            doff = (seg[12] >> 4) * 4
            seg = tcp_seg(src, dst, sp_, dp_, seq, ack, flags, seg[doff:], opts=tcp_opts(k), win=win)
        o = l3_opts(k) if l3_opts else b""
        o += b"\0" * (-len(o) % 4)
        out.append(f[:14] + ip4(src, dst, 6, seg, opts=o[:40], ihl=5 + len(o[:40]) // 4))
    return out


def ip4_opts():
    """Client port 44005: every frame of the session carries IPv4 options
    of another length, 0 to 40 bytes, with inner option lengths of 0, 1,
    2, 39 and past the header (routing, timestamp, NOP, EOL, unknown).
    Must hold: the session read (the header length, not the options,
    frames the datagram)."""
    kinds = [b"", b"\x01", b"\x00", b"\x07\x00", b"\x07\x01", b"\x83\x27" + b"\0" * 37, b"\x44\xff\x05",
             b"\x94\x04\x00\x00", b"\x01" * 40, b"\x88\x02" * 20, b"\x99\x28" + b"A" * 38]
    return pcap(session_with(44005, l3_opts=lambda k: kinds[k % len(kinds)]))


def tcp_opts():
    """Client port 44006: every segment with TCP options of lengths 0, 1,
    2, 255 and past the header (MSS of length 40, SACK of length 3, window
    scale of length 0, timestamps cut), and 40 bytes of NOPs. Must hold:
    the session read (the data offset frames the segment)."""
    kinds = [b"\x02\x00", b"\x02\x01", b"\x05\x03\x00", b"\x03\x00", b"\x08\x0a\x00\x00", b"\x02\x28" + b"\0" * 2,
             b"\x01" * 40, b"\x1e\xff" + b"\0" * 10, b"\x05\x02", b""]
    return pcap(session_with(44006, tcp_opts=lambda k: kinds[k % len(kinds)]))


def ssh_kex_lies(sp, skex, cban=BAN_C, sban=BAN_S, extra=b""):
    c = Conn(sp)
    c.handshake()
    c.send(False, sban + skex)
    c.send(True, cban + kexinit(KEX) + extra)
    return keyed(c).frames


def ssh_kex_nul():
    """Client ports 44007-44011: server KEXINITs with NULs, ESC, a CSV
    formula and HTML in name-lists (`=cmd|'/c calc'!A0`, `<script>`),
    a 200,000-name list, a name-list claiming more than the packet, one
    claiming less (bytes left over), padding past the packet length, a
    packet_length of 0 and of 2^32-1 in the client's first packet; the
    client's banner with a NUL, an ESC and 3,000 bytes. Must hold: no raw
    control byte in text, CSV or HTML; no CSV cell starting a formula; no
    markup from the capture in report.html; the lies flagged
    (kexinit_bad, padding_long or packet_too_long)."""
    evil = [b"curve25519-sha256,\x00x\x1b[2J", b"=cmd|'/c calc'!A0,<script>alert(1)</script>", b"aes128-ctr",
            b"aes128-ctr", b"hmac-sha2-256", b"hmac-sha2-256", b"none", b"none", b"", b""]
    frames = ssh_kex_lies(44007, kexinit(evil), cban=b"SSH-2.0-Open\x00SSH\x1b]0;T\x07" + b"A" * 3000 + b"\r\n")
    big = [b",".join(b"n%d" % i for i in range(200000))] + KEX[1:]
    frames += ssh_kex_lies(44008, kexinit(big))
    k = bytearray(kexinit(KEX))
    struct.pack_into("!I", k, 5 + 17, 0x7FFFFFF0)  # first name-list claims 2 GB
    frames += ssh_kex_lies(44009, bytes(k))
    k = bytearray(kexinit(KEX))
    k[4] = 250  # padding past the packet
    frames += ssh_kex_lies(44010, bytes(k))
    frames += ssh_kex_lies(44011, kexinit(KEX), extra=struct.pack("!IB", 0, 0) + struct.pack("!IB", 0xFFFFFFFF, 4))
    t = [f for _, f in frames]
    return pcap(t)


def jobs_dir(d):
    """`genr4.py jobs DIR`: four files of a rotated capture (one after the
    other in time, as --jobs expects) for --jobs 3, each with its message:
    a time before 1970 (the first), a record cut short at the end (the
    second and third), bad TCP options (the fourth). Each message must be
    said as many times as one run says it."""
    os.makedirs(d, exist_ok=True)
    files = {"a.pcapng": ng_before_1970()}
    for k, sp in ((1, 44021), (2, 44022)):
        c = ssh_session(sp, keys=4)
        recs = [(T0 + 100 * k + i, 0, len(f), len(f), f) for i, (_, f) in enumerate(c.frames)]
        files["%c.pcap" % "abcd"[k]] = pcap([], recs=recs) + struct.pack("<IIII", T0 + 100 * k + 99, 0, 80, 80) + \
            b"\x00" * 9
    frames = session_with(44023, tcp_opts=lambda k: b"\x02\x00" if k % 2 else b"")
    files["d.pcap"] = pcap([], recs=[(T0 + 300 + i, 0, len(f), len(f), f) for i, f in enumerate(frames)])
    genmain.write_files(d, files)


EVIL_NAME = b"</script><img src=x onerror=alert(1)>\"'&\x1b]8;;http://x\x07"


def ssh_negotiated():
    """Client port 44012: both sides offer the same hostile names first, so
    they are negotiated and shown everywhere (kex, host key, cipher, MAC,
    compression): `</script>` with markup, quotes and an OSC 8 link, a
    CSV formula, and banners with `</script>`. Must hold: no markup from
    the capture in report.html (no `</script` ends its script templates
    early), no raw control byte, no CSV cell starting a formula."""
    lists = [EVIL_NAME, b"=HYPERLINK(\"http://x\")", b"+cmd|' /C calc'!A0", b"+cmd|' /C calc'!A0", b"@SUM(1)",
             b"@SUM(1)", b"-2+3", b"-2+3", b"", b""]
    c = Conn(44012)
    c.handshake()
    c.send(False, b"SSH-2.0-</script><b>x</b>\r\n" + kexinit(lists))
    c.send(True, b"SSH-2.0-=cmd|'/c calc'!A0\r\n" + kexinit(lists))
    return pcap([f for _, f in keyed(c, 6).frames])


CASES = {
    "ng_ifaces.pcapng": ng_ifaces, "ng_swap.pcapng": ng_swap, "ng_links.pcapng": ng_links, "ng_before_1970.pcapng": ng_before_1970,
    "cl_nano_big.pcap": cl_nano_big, "ip4_opts.pcap": ip4_opts, "tcp_opts.pcap": tcp_opts,
    "ssh_kex_nul.pcap": ssh_kex_nul, "ssh_negotiated.pcap": ssh_negotiated,
}


if __name__ == "__main__":
    genmain.run(CASES, {"jobs": jobs_dir})
