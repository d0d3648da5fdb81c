#!/usr/bin/env python3
"""Hostile classes, round 5, written at test time: `genr5.py DIR` writes
each case below into DIR as NAME.pcap or NAME.pcapng; `genr5.py flood DIR`
the two resource cases (many one-segment flows, a payload never ACKed).
Each small case holds one SSH session (client port in its docstring) that
must still be read whatever surrounds it. tests/hostile/t_round5.sh runs
every command and output format on each under the memory limit and checks
what each docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, NEWKEYS, PSH, SYN, Conn, ssh_packet, write  # noqa: E402
from genfmt import (BAN_C, BAN_S, CLI, ETH, KEX, SRV, T0, blk, eth, idb, ip4, kexinit, opt, pcap, shb,  # noqa: E402
                    tcp_seg)
from genr3 import client_hello, keyed, ssh_session  # noqa: E402
from genr4 import epb, idb_snap  # noqa: E402
import genmain  # noqa: E402


def ng_tsmix():
    """pcapng, client port 45001: three Ethernet interfaces with their own
    time base: microseconds (the default), nanoseconds with if_tsoffset
    +3600 s, 2^-10 s with if_tsoffset -7200 s; the session's frames go
    round them, each stamp written in its interface's base so that the
    true times rise by 1/8 s. Must hold: no time said to go backwards, the
    connection starts at T0 and lasts (frames-1)/8 s."""
    c = ssh_session(45001, keys=4)
    parts = [shb(), idb(),
             idb(1, opt(9, b"\x09") + opt(14, struct.pack("<q", 3600)) + opt(0, b"")),
             idb(1, opt(9, b"\x8a") + opt(14, struct.pack("<q", -7200)) + opt(0, b""))]
    for k, (_, f) in enumerate(c.frames):
        t8 = T0 * 8 + k  # true time in eighths of a second
        i = k % 3
        ts = [t8 * 125000, (t8 - 3600 * 8) * 125000000, (t8 + 7200 * 8) * 128][i]
        parts.append(epb(f, i, ts))
    return b"".join(parts)


def ng_blocks():
    """pcapng, client port 45002: the session's EPBs among blocks the
    format defines but strider does not use: a Decryption Secrets Block
    (0xA) whose secrets length runs past the block, custom blocks 0xBAD and
    0x40000BAD (copyable and not), a systemd journal export block (9), an
    obsolete packet block (2) on interface 7; a Simple Packet Block on an
    interface of snaplen 64 whose original length says 1,000,000 bytes.
    Must hold: the session read to NEWKEYS with all its frames; none of the
    defined blocks counted as a block type the format does not define."""
    c = ssh_session(45002, keys=4)
    parts = [shb(), idb()]
    for k, (_, f) in enumerate(c.frames):
        parts.append(epb(f, 0, T0 * 10**6 + 1000 * k))
        if k == 2:
            parts += [blk(0xA, struct.pack("<II", 0x544c534b, 0xFFFFFF00) + b"CLIENT_RANDOM x"),
                      blk(0xBAD, struct.pack("<I", 32473) + b"\x1b]0;EVIL\x07"),
                      blk(0x40000BAD, struct.pack("<I", 0xFFFFFFFF) + b"x" * 40),
                      blk(9, b"__CURSOR=\x1b[2J\n"),
                      blk(2, struct.pack("<HHIIII", 7, 0, 0, 0, 60, 60) + bytes(60)),
                      idb_snap(1, 64),
                      blk(3, struct.pack("<I", 1000000) + f),
                      blk(3, struct.pack("<I", 0))]
    return b"".join(parts)


def frag4(frame, size):
    """An Ethernet+IPv4 frame cut into IPv4 fragments of size bytes (a
    multiple of 8), last first."""
    ip = frame[14:]
    hl = (ip[0] & 15) * 4
    src, dst, proto, ident, body = ip[12:16], ip[16:20], ip[9], struct.unpack("!H", ip[4:6])[0], ip[hl:]
    out = []
    for o in range(0, len(body), size):
        out.append(eth(ip4(src, dst, proto, body[o:o + size], ident=ident, frag=o // 8,
                           more=o + size < len(body))))
    return out[::-1]


IDENT = iter(range(0x5A0000, 0x5B0000))


def frag6(frame, size):
    """An Ethernet+IPv6 frame (no extension header) sent as fragments of
    size bytes, last first, each behind hop-by-hop and routing (segments
    left 0) headers, the fragmentable part a destination-options header
    then the TCP segment."""
    ip = frame[14:]
    src, dst, body = ip[8:24], ip[24:40], ip[40:]
    ident = next(IDENT)
    frag_part = struct.pack("!BB6x", 6, 0) + body  # destination options, then TCP
    out = []
    for o in range(0, len(frag_part), size):
        more = o + size < len(frag_part)
        fh = struct.pack("!BBHI", 60, 0, o | (1 if more else 0), ident)
        ext = struct.pack("!BB6x", 43, 0) + struct.pack("!BBBB4x", 44, 0, 0, 0) + fh + frag_part[o:o + size]
        out.append(ETH + b"\x86\xdd" + struct.pack("!IHBB16s16s", 6 << 28, len(ext), 0, 64, src, dst) + ext)
    return out[::-1]


def frag_ssh():
    """Client ports 45003 (IPv4) and 45004 (IPv6): every segment of the
    session carrying data sent as fragments of 16 bytes (IPv4) or 24 bytes
    (IPv6, behind hop-by-hop, routing and destination-options headers),
    last fragment first, so each TCP header arrives last. Must hold: both
    sessions read to NEWKEYS, every byte in the stream."""
    frames = []
    for sp, v6 in ((45003, False), (45004, True)):
        c = Conn(sp, v6=v6)
        c.t += 10 * v6  # after the other, in time too
        c.handshake()
        c.ssh()
        for t, f in keyed(c, 0).frames:
            if len(f) < 70:
                frames.append((t, f))
            else:
                frames += [(t, g) for g in (frag6(f, 24) if v6 else frag4(f, 16))]
    return write(frames)


def seq_wrap():
    """Client port 45005: both initial sequence numbers just under 2^32 so
    that the sequence space wraps inside the server's banner (10 bytes in)
    and inside the client's KEXINIT. Must hold: both banners and the key
    exchange read (curve25519-sha256), no gap, no sequence inconsistency."""
    c = Conn(45005, cs=2**32 - 40, ss=2**32 - 11)
    c.handshake()
    c.ssh()
    return write(keyed(c).frames)


def ports_swapped():
    """SSH on port 443 (client port 45006) and a TLS ClientHello naming
    `ssh.example` on port 22 (client port 45007), answered by an SSH-like
    line that is not one. Must hold: the first read as SSH to NEWKEYS; the
    second not an SSH session, its TLS server name seen."""
    frames = ssh_session(45006, dp=443, keys=4).frames
    c = Conn(45007)
    c.t += 10
    c.handshake()
    c.send(True, client_hello(b"ssh.example", b"h2"))
    c.send(False, b"\x15\x03\x03\x00\x02\x02\x28")
    c.close()
    return write(frames + c.frames)


def strict_kex():
    """Client ports 45008-45009, Terrapin-style games in the clear part of
    the key exchange, both sides offering kex-strict-*-v00@openssh.com:
    45008 has the server send SSH_MSG_IGNORE before its KEXINIT (strict
    kex forbids it: the attack's sequence-number shift), 45009 sends
    NEWKEYS twice each way. Must hold: both read to NEWKEYS; the
    out-of-place messages flagged."""
    kc = [KEX[0] + b",kex-strict-c-v00@openssh.com"] + KEX[1:]
    ks = [KEX[0] + b",kex-strict-s-v00@openssh.com"] + KEX[1:]
    out = []
    for sp in (45008, 45009):
        c = Conn(sp)
        c.t += sp - 45008
        c.handshake()
        pre = ssh_packet(b"\x02" + struct.pack("!I", 4) + b"xxxx") if sp == 45008 else b""
        c.send(False, BAN_S + pre + kexinit(ks))
        c.send(True, BAN_C + kexinit(kc))
        if sp == 45009:
            c.send(False, NEWKEYS)
            c.send(True, NEWKEYS)
        out += keyed(c).frames
    return write(out)


def kex_many_names():
    """Client port 45010: a server KEXINIT whose kex list holds 60,000
    one-letter names before curve25519-sha256 and its strict-KEX marker,
    whose cipher lists hold 20,000 empty names (`,,,`) before
    chacha20-poly1305 (~160 KB, under OpenSSH's 256 KB packet); the
    client offers strict KEX too. Must hold: read to NEWKEYS, the long
    lists flagged and cut; strict KEX seen on both sides (the marker is
    past the cut), so no Terrapin claim (main: `terrapin` true)."""
    cc = b"chacha20-poly1305@openssh.com"
    skex = [b"a," * 60000 + KEX[0] + b",kex-strict-s-v00@openssh.com", KEX[1], b"," * 20000 + cc,
            b"," * 20000 + cc] + KEX[4:]
    ckex = [KEX[0] + b",kex-strict-c-v00@openssh.com", KEX[1], cc, cc] + KEX[4:]
    c = Conn(45010)
    c.handshake()
    c.ssh(skex=skex, ckex=ckex)
    return write(keyed(c).frames)


def kex_cross():
    """Client port 45013: both sides offer 4,000 distinct short names in
    every list (~200 KB KEXINITs, under OpenSSH's 256 KB packet), none in
    common but the last (the usual names). Must hold: read to NEWKEYS with
    the usual names negotiated, in bounded work (main: 7.5 G instructions,
    negotiation scanning the server's list once per client name)."""
    def names(pfx):
        return b",".join(b"%s%x" % (pfx, i) for i in range(4000))
    cl = [names(b"c") + b"," + k if k else names(b"c") for k in KEX]
    sl = [names(b"s") + b"," + k if k else names(b"s") for k in KEX]
    c = Conn(45013)
    c.handshake()
    c.ssh(skex=sl, ckex=cl)
    return write(keyed(c).frames)


def encap_cut():
    """One SYN behind each encapsulation, cut inside the inner header: GRE
    with checksum, key and sequence flags and 4 bytes; VXLAN with 7 bytes,
    and with an inner Ethernet header of 10; an MPLS bottom label then 3
    bytes; PPPoE session with only the PPP protocol; IPv4-in-IPv4 with 19
    inner bytes; IPv6-in-IPv4 with 39; an 802.1ad tag cut after 2 bytes;
    then the SSH session of client port 45011 on plain Ethernet. Must hold:
    the session read; no crash; the cut frames counted, not connections."""
    syn = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 45099, 22, 1, 0, SYN))
    cut = [eth(ip4(CLI, SRV, 47, struct.pack("!HH", 0xB000, 0x0800))),
           eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 45098, 4789, 15, 0) + b"\x08\0\0\0\0\0\x01")),
           eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 45098, 4789, 26, 0) + b"\x08\0\0\0\0\0\x01\0" + ETH[:10])),
           ETH + b"\x88\x47" + b"\x00\x01\x01\x40" + syn[:3],
           ETH + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 1, 2) + b"\x00\x21",
           eth(ip4(CLI, SRV, 4, syn[:19])),
           eth(ip4(CLI, SRV, 41, b"\x60" + bytes(38))),
           ETH + b"\x88\xa8\x00"]
    c = ssh_session(45011, keys=4)
    return write([(T0, f) for f in cut] + c.frames)


def ts_edges():
    """Classic microsecond pcap, client port 45012: the session's stamps
    run up to 2106-02-07 06:28:15 (2^32-1 s, the last second a classic
    record can hold), half of them equal, then one frame back at 1970.
    Must hold: the session read; the step back said with its frame; no
    negative, NaN or infinite time."""
    c = ssh_session(45012, keys=4)
    n = len(c.frames)
    recs = []
    for k, (_, f) in enumerate(c.frames):
        sec = 0xFFFFFFFF - (n - k) // 2
        recs.append((sec if k != n - 2 else 0, 999999, len(f), len(f), f))
    return pcap([], recs=recs)


def flows_data(d, n=40000):
    """`flood`: n flows, each one 60-byte data segment holding an SSH
    banner, no handshake, on as many client ports and addresses."""
    recs = []
    for i in range(n):
        src = bytes([10, 8 + (i >> 16), (i >> 8) & 255, i & 255])
        data = b"SSH-2.0-flood_%05d\r\n" % i + b"x" * 38
        f = eth(ip4(src, SRV, 6, tcp_seg(src, SRV, 1024 + i % 60000, 22, 7777, 1, PSH | ACK, data)))
        recs.append((T0 + i // 1000, (i % 1000) * 1000, len(f), len(f), f))
    with open(os.path.join(d, "flows_data.pcap"), "wb") as fh:
        fh.write(pcap([], recs=recs))


def unacked(d, mb):
    """`flood`: client port 45020, after a handshake the client sends mb
    MB in 1,400-byte segments the server never ACKs (its ACK stays at the
    first byte), and never ends (no FIN)."""
    c = Conn(45020)
    c.handshake()
    c.send(False, BAN_S)
    cs, ss = c.seq
    recs = []
    for t, f in c.frames:
        recs.append((T0, 0, len(f), len(f), f))
    blob = BAN_C + bytes(range(256)) * 6
    k = 0
    for i in range(mb * 1000 * 1000 // 1400):
        f = eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 45020, 22, cs + k, ss, PSH | ACK, blob[:1400])))
        k += 1400
        recs.append((T0 + 1 + i // 100000, i % 100000 * 10, len(f), len(f), f))
        if i % 64 == 0:
            f = eth(ip4(SRV, CLI, 6, tcp_seg(SRV, CLI, 22, 45020, ss, cs, ACK)))
            recs.append((T0 + 1 + i // 100000, i % 100000 * 10, len(f), len(f), f))
    with open(os.path.join(d, "unacked_%d.pcap" % mb), "wb") as fh:
        fh.write(pcap([], recs=recs))


CASES = {
    "ng_tsmix.pcapng": ng_tsmix,
    "ng_blocks.pcapng": ng_blocks,
    "frag_ssh.pcap": frag_ssh,
    "seq_wrap.pcap": seq_wrap,
    "ports_swapped.pcap": ports_swapped,
    "strict_kex.pcap": strict_kex,
    "kex_many_names.pcap": kex_many_names,
    "kex_cross.pcap": kex_cross,
    "encap_cut.pcap": encap_cut,
    "ts_edges.pcap": ts_edges,
}


def flood(d):
    flows_data(d)
    unacked(d, 2)
    unacked(d, 40)


if __name__ == "__main__":
    genmain.run(CASES, {"flood": flood})
