#!/usr/bin/env python3
"""Hostile classes, round 7, written at test time: `genr7.py DIR` writes
each small case below into DIR as NAME.pcap or NAME.pcapng; `genr7.py
flood DIR` the aggregate floods (DNS names and clients past the
indicators' caps, TLS server names past the services' cap, SSH on
thousands of ports, DNS-over-TCP length prefixes never followed);
`genr7.py held DIR` 36 MB of DNS-over-TCP messages never finished;
`genr7.py seeds REPO` this round's fuzz seeds into REPO/fuzz/seeds. tests/hostile/t_round7.sh runs every command and
output format on each under the memory limit and checks what each
docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, NEWKEYS, PSH, RST, SYN, Conn, ssh_packet, write  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, T0, blk, eth, ip4, kexinit, opt, pcap, shb, tcp_seg  # noqa: E402
from genr3 import client_hello, keyed, ssh_session  # noqa: E402
from genr4 import epb, idb_snap  # noqa: E402
import genmain  # noqa: E402

# every string a capture can put in front of an analyst at once
EVIL = (b"=cmd|' /C calc'!A0\x1b]0;pwn\x07\x1b[2J\xe2\x80\xae</script><img src=x onerror=alert(1)>"
        b"\r\n\"\x00\xff\x9b")


def udp(src, dst, sp, dp, payload, t=None):
    return eth(ip4(src, dst, 17, struct.pack("!HHHH", sp, dp, 8 + len(payload), 0) + payload))


def dname(*labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\0"


def dhdr(ident, flags, qd, an, ns=0, ar=0):
    return struct.pack("!HHHHHH", ident, flags, qd, an, ns, ar)


def rr(name, rtype, rdata, ttl=60, cls=1):
    return name + struct.pack("!HHIH", rtype, cls, ttl, len(rdata)) + rdata


def dns_hostile():
    """UDP DNS from 10.7.0.1 to 10.7.0.2:53, each query answered: a name
    whose answer points at itself and a two-pointer cycle; a CNAME at the
    end of a 40-pointer chain (past SD_DNS_MAX_HOPS); wire names of 255
    and 256 bytes; labels holding '.', NUL, ESC, U+202E, formulas, markup,
    CR LF; TXT strings of EVIL; 300 answers in one message (past
    SD_DNS_MAX_ANS); rdlength past the message; an mDNS response of 257
    answers and no question; 200 queries with one id never answered (past
    SD_DNSAN_MAX_PENDING); a response with 17 questions; type and class
    65535. Must hold: no crash or hang, every bad name said malformed or
    escaped; no raw control byte, formula or markup in any output."""
    fr = []
    ident = [100]

    def txn(qname, resp_body, an, qtype=1, qd=1, flags=0x8180, qcls=1):
        ident[0] += 1
        q = qname + struct.pack("!HH", qtype, qcls)
        fr.append(udp(CLI, SRV, 40000 + ident[0] % 20000, 53, dhdr(ident[0], 0x0100, 1, 0) + q))
        fr.append(udp(SRV, CLI, 53, 40000 + ident[0] % 20000, dhdr(ident[0], flags, qd, an) + q * qd + resp_body))

    qn = dname(b"loop", b"example")
    qoff = 12 + len(qn) + 4
    # the answer's name points at its own first byte
    txn(qn, rr(b"\xc0" + bytes([qoff]), 1, b"\1\2\3\4"), 1)
    # two pointers pointing at each other inside a TXT rdata, used as a CNAME target
    tx_off = qoff + 2 + 10  # the first answer's rdata
    cyc = b"\x04" + struct.pack("!H", 0xC000 | (tx_off + 3)) + struct.pack("!H", 0xC000 | (tx_off + 1))
    body = rr(b"\xc0\x0c", 16, cyc) + rr(b"\xc0\x0c", 5, struct.pack("!H", 0xC000 | (tx_off + 1)))
    txn(qn, body, 2)
    # a chain of 40 pointers ending in a label, the CNAME pointing at the last
    chain = b"\x03end\x00"
    for i in range(40):
        chain += struct.pack("!H", 0xC000 | (tx_off + 1 + (0 if i == 0 else 5 + 2 * (i - 1))))
    txt = bytes([255]) + chain[:255]
    body = rr(b"\xc0\x0c", 16, txt) + rr(b"\xc0\x0c", 5, struct.pack("!H", 0xC000 | (tx_off + 1 + 5 + 2 * 39)))
    txn(qn, body, 2)
    # names of 255 and 256 wire bytes (63-byte labels)
    for total in (255, 256):
        labels = []
        left = total - 1
        while left > 0:
            n = min(63, left - 1)
            labels.append(b"a" * n)
            left -= n + 1
        txn(dname(*labels), b"", 0)
    # labels holding dots, NUL, ESC, bidi, formulas, markup, CR LF
    hostile = [b"a.b", b"\x00\x00", b"\x1b]0;t\x07", b"\xe2\x80\xae" + b"gnp.exe", b"=HYPERLINK(\"x\")",
               b"+cmd", b"-x", b"@SUM(1)", b"</script>", b"a\r\nb", b"\xff\xfe"]
    for h in hostile:
        n = dname(h, b"evil", b"com")
        txn(n, rr(b"\xc0\x0c", 16, bytes([len(EVIL)]) + EVIL) + rr(b"\xc0\x0c", 5, dname(h, b"cn")), 2, qtype=16)
    # 300 answers
    txn(qn, rr(b"\xc0\x0c", 1, b"\x0a\0\0\1", ttl=0) * 300, 300)
    # an rdlength past the message
    txn(qn, b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 60000) + b"\1\2\3\4", 1)
    # 17 questions, type and class 65535
    txn(qn, b"", 0, qd=17)
    txn(dname(b"any"), b"", 0, qtype=65535, qcls=65535)
    # an mDNS response: no question, 257 answers
    m = dhdr(0, 0x8400, 0, 257) + b"".join(rr(dname(b"h%d" % i, b"local"), 1, b"\xa9\xfe\0\1") for i in range(257))
    fr.append(udp(SRV, bytes([224, 0, 0, 251]), 5353, 5353, m))
    # 200 queries with one id, none answered
    for i in range(200):
        fr.append(udp(CLI, SRV, 39000, 53, dhdr(7, 0x0100, 1, 0) + dname(b"q%d" % i, EVIL[:40]) + b"\0\1\0\1"))
    return pcap(fr)


def dns_tcp():
    """DNS over TCP (port 53): two messages in one segment, a length
    prefix split across segments byte by byte, a 65,535-byte message whose
    answers are all EVIL TXT records, a prefix of 1 and of 11 (shorter
    than a header). Must hold: the transactions read, the short ones said
    malformed, no raw control byte or formula in any output."""
    c = Conn(46101, 53)
    c.handshake()
    qn = dname(b"tcp", b"example")
    q1 = dhdr(1, 0x0100, 1, 0) + qn + b"\0\1\0\1"
    q2 = dhdr(2, 0x0100, 1, 0) + qn + b"\0\x10\0\1"
    c.send(True, struct.pack("!H", len(q1)) + q1 + struct.pack("!H", len(q2)) + q2)
    r1 = dhdr(1, 0x8180, 1, 1) + qn + b"\0\1\0\1" + rr(b"\xc0\x0c", 1, b"\1\2\3\4")
    blob = struct.pack("!H", len(r1)) + r1
    for k in range(len(blob)):
        c.send(False, blob[k:k + 1])
    ans = b""
    n = 0
    one = rr(b"\xc0\x0c", 16, bytes([len(EVIL)]) + EVIL)
    while 12 + len(qn) + 4 + len(ans) + len(one) <= 65535:
        ans += one
        n += 1
    r2 = dhdr(2, 0x8180, 1, n) + qn + b"\0\x10\0\1" + ans
    c.send(False, struct.pack("!H", len(r2)) + r2)
    c.send(True, b"\0\1\0" + b"\0\x0b" + b"\0" * 11)
    c.close()
    return write(c.frames)


def tls_hello(sni=None, alpn=b"h2", exts=b"", nsuites=1, list_len=None, name_len=None, rec_len=None, hs_len=None):
    body = b"\x03\x03" + b"\x22" * 32 + b"\x00" + struct.pack("!H", 2 * nsuites) + b"\x13\x01" * nsuites + b"\x01\x00"
    ext = b""
    if sni is not None:
        nl = len(sni) if name_len is None else name_len
        name = struct.pack("!BH", 0, nl) + sni
        ll = len(name) if list_len is None else list_len
        ext += struct.pack("!HHH", 0, len(name) + 2, ll) + name
    if alpn is not None:
        proto = bytes([len(alpn) & 0xFF]) + alpn
        ext += struct.pack("!HHH", 16, len(proto) + 2, len(proto)) + proto
    ext += exts
    body += struct.pack("!H", len(ext) & 0xFFFF) + ext
    hl = len(body) if hs_len is None else hs_len
    hs = b"\x01" + struct.pack("!I", hl)[1:] + body
    rl = len(hs) if rec_len is None else rec_len
    return b"\x16\x03\x01" + struct.pack("!H", rl & 0xFFFF) + hs


def tls_hostile():
    """TLS ClientHellos to 443 (and one to 22): a server name and ALPN of
    EVIL; a name list longer than its extension, a name longer than its
    list, an empty name; 2,000 extensions and 1,000 suites (past the
    parser's caps); the hello in 1-byte segments; a record length of
    0xffff and a handshake length of 2^24-1 the bytes do not hold.
    Must hold: no crash; names shown escaped; no raw control byte, formula
    or markup in any output."""
    hellos = [tls_hello(EVIL, EVIL), tls_hello(b"x.example", list_len=60000),
              tls_hello(b"y.example", name_len=60000), tls_hello(b""),
              tls_hello(b"many.example", exts=b"".join(struct.pack("!HH", 0x1000 + i, 0) for i in range(2000))),
              tls_hello(b"suites.example", nsuites=1000), tls_hello(b"rec.example", rec_len=0xFFFF),
              tls_hello(b"hs.example", hs_len=0xFFFFFF), tls_hello(b"=1+1" + EVIL[:20] + b".example", b"\x1b[31m")]
    frames = []
    for i, h in enumerate(hellos):
        c = Conn(46200 + i, 443 if i else 22)
        c.handshake()
        if i == 3:
            for k in range(len(h)):
                c.send(True, h[k:k + 1])
        else:
            c.send(True, h)
        c.send(False, b"\x15\x03\x03\x00\x02\x02\x28")
        c.close()
        frames += c.frames
    # an HTTP request with a 100 KB Host and one with EVIL everywhere
    c = Conn(46250, 80)
    c.handshake()
    c.send(True, b"GET / HTTP/1.1\r\nHost: " + b"h" * 100000 + b"\r\n\r\n")
    c.send(False, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    c.close()
    frames += c.frames
    c = Conn(46251, 8080)
    c.handshake()
    c.send(True, b"GET /" + EVIL.replace(b"\r\n", b"") + b" HTTP/1.1\r\nHost: " + EVIL.replace(b"\r\n", b"") +
           b"\r\nUser-Agent: " + EVIL.replace(b"\r\n", b"") + b"\r\n\r\n")
    c.send(False, b"HTTP/1.1 200 OK\r\nServer: " + EVIL.replace(b"\r\n", b"") + b"\r\nContent-Length: 0\r\n\r\n")
    c.close()
    frames += c.frames
    frames.sort(key=lambda x: x[0])
    return write(frames)


def kexinit_flag(lists, follows):
    """kexinit() with first_kex_packet_follows set."""
    k = kexinit(lists)
    plen, pad = struct.unpack("!IB", k[:5])
    body = k[5:4 + plen - pad]
    body = body[:-5] + (b"\x01" if follows else b"\x00") + b"\0\0\0\0"
    return k[:5] + body + k[4 + plen - pad:]


def kex_conn(sp, sdata, cdata):
    """Frames of one connection: sdata from the server, cdata from the
    client, NEWKEYS both ways, FIN."""
    c = Conn(sp)
    c.handshake()
    c.send(False, sdata)
    c.send(True, cdata)
    c.send(True, NEWKEYS)
    c.send(False, NEWKEYS)
    c.close()
    return c.frames


def ssh_kex_games():
    """SSH sessions (client ports 46301-46306) that bend the key exchange:
    three client KEXINITs and two server ones with different first lists
    before NEWKEYS; first_kex_packet_follows with a guessed packet;
    10,000 empty names (",,,,") and a list ending in a comma; a name of
    65,536 bytes; the strict-KEX markers in the host-key and MAC lists,
    and the server's marker sent by the client (the SYN's sender); msg
    types 0 and 255 and a 35,000-byte IGNORE before the KEXINIT; padding
    longer than the packet. Must hold: each session read (kex_alg shown),
    no crash; 46304's roles those of the TCP handshake, the client's
    claim flagged `role_claim_unconfirmed`."""
    k2 = [b"diffie-hellman-group14-sha256"] + KEX[1:]
    empty = [b"," * 10000 + b"curve25519-sha256,"] + [x + b"," for x in KEX[1:]]
    odd = list(KEX)
    odd[1] = b"kex-strict-s-v00@openssh.com,ssh-ed25519"
    odd[4] = b"hmac-sha2-256,kex-strict-c-v00@openssh.com"
    cl = list(KEX)
    cl[0] = b"curve25519-sha256,kex-strict-s-v00@openssh.com"
    frames = kex_conn(46301, BAN_S + kexinit(KEX) + kexinit(k2), BAN_C + kexinit(k2) + kexinit(KEX) + kexinit(k2))
    frames += kex_conn(46302, BAN_S + kexinit_flag(KEX, True),
                       BAN_C + kexinit_flag(KEX, True) + ssh_packet(b"\x1e" + b"\0\0\0\x20" + b"\x41" * 32))
    frames += kex_conn(46303, BAN_S + kexinit(empty), BAN_C + kexinit([b"a" * 65536 + b",curve25519-sha256"] + KEX[1:]))
    frames += kex_conn(46304, BAN_S + kexinit(odd), BAN_C + kexinit(cl))
    frames += kex_conn(46305, BAN_S + ssh_packet(b"\x00") + ssh_packet(b"\xff" + EVIL) +
                       ssh_packet(b"\x02" + bytes(35000)) + kexinit(KEX), BAN_C + kexinit(KEX))
    frames += kex_conn(46306, BAN_S + struct.pack("!IB", 12, 200) + bytes(11) + kexinit(KEX), BAN_C + kexinit(KEX))
    frames.sort(key=lambda x: x[0])
    return write(frames)


def ssh_banners_odd():
    """SSH banners (client ports 46401-46408): ended by CR alone, by LF
    alone, an empty software version, exactly 255 bytes with CR LF, 256,
    `SSH-1.99-`, `SSH-2.0-` then 64 KiB without a newline, banners of
    EVIL with a comment. Must hold: every session shown; no raw control
    byte in any output."""
    bans = [b"SSH-2.0-OpenSSH_9.6\r", b"SSH-2.0-OpenSSH_9.6\n", b"SSH-2.0-\r\n",
            b"SSH-2.0-" + b"x" * (255 - 10) + b"\r\n", b"SSH-2.0-" + b"y" * (256 - 10) + b"\r\n",
            b"SSH-1.99-OpenSSH_3.9\r\n", b"SSH-2.0-" + b"z" * 65536,
            b"SSH-2.0-" + EVIL.replace(b"\r\n", b"") + b" " + EVIL.replace(b"\r\n", b"") + b"\r\n"]
    frames = []
    for i, b in enumerate(bans):
        frames += kex_conn(46401 + i, b + kexinit(KEX), b + kexinit(KEX))
    frames.sort(key=lambda x: x[0])
    return write(frames)


def tcp_storms():
    """TCP, client port 46501 to 22: both ISNs 100 bytes under 2^32, the
    banners and KEXINITs straddling the wrap sent twice, the retransmission
    overlapping the first by half with other bytes; then the server
    advertises a zero window and the client sends 5,000 one-byte probes
    at one sequence number; then 5,000 RSTs off by 1..5,000 bytes (in the
    window, not at the next sequence number: challenge ACKs); then 5,000
    SYNs with the connection's ISN; then NEWKEYS and keys. Must hold: one
    connection, SSH read to NEWKEYS, every inconsistency counted."""
    c = Conn(46501, cs=0xFFFFFFFF - 100, ss=0xFFFFFFFF - 60)
    c.handshake()
    sdata = BAN_S + kexinit(KEX)
    cdata = BAN_C + kexinit(KEX)
    for c2s, data in ((False, sdata), (True, cdata)):
        i = 0 if c2s else 1
        base = c.seq[i]
        half = len(data) // 2
        c.pkt(c2s, base, c.seq[1 - i], PSH | ACK, data[:half + 40])
        c.pkt(c2s, base + half, c.seq[1 - i], PSH | ACK, bytes(b ^ 0x55 for b in data[half:]))
        c.pkt(c2s, base + half, c.seq[1 - i], PSH | ACK, data[half:])
        c.seq[i] = base + len(data)
        c.pkt(not c2s, c.seq[1 - i], c.seq[i], ACK)
    c.pkt(False, c.seq[1], c.seq[0], ACK, win=0)
    for k in range(5000):
        c.pkt(True, c.seq[0], c.seq[1], ACK, bytes([k & 0xFF]))
        if k % 100 == 0:
            c.pkt(False, c.seq[1], c.seq[0], ACK, win=0)
    c.pkt(False, c.seq[1], c.seq[0], ACK, win=65535)
    for k in range(5000):
        c.pkt(k % 2 == 0, c.seq[k % 2] + 1 + k, 0, RST)
    for k in range(5000):
        c.pkt(True, 0xFFFFFFFF - 100, 0, SYN)
    return write(keyed(c, 20).frames)


def ng_sections():
    """pcapng: one SSH session (client port 46601) over four sections:
    Ethernet with if_tsresol 0 (seconds) then a second if_tsresol of 9;
    a big-endian raw-IPv4 section whose SHB section length claims 16 bytes;
    an SLL section whose EPB names interface 1 (an interface only the
    first section had); an Ethernet section with if_tsoffset 2^62 s and an
    EPB whose caplen is past its interface's snaplen of 60; an
    opt_endofopt in the middle of an IDB's options followed by garbage;
    IDB names and descriptions of EVIL. Must hold: the packet on the
    undescribed interface said with file, frame and offset; the rest read
    (the session to NEWKEYS); no raw control byte in any output."""
    c = ssh_session(46601, keys=4)
    fr = [f for _, f in c.frames]
    q = len(fr) // 4
    parts = [shb(), idb_snap(1, 262144, opt(2, EVIL) + opt(3, EVIL) + opt(9, b"\x00") + opt(9, b"\x09") +
                             opt(0, b"") + b"\x99\x99\xff\xff" + bytes(8)),
             idb_snap(1, 262144, opt(9, b"\x06"))]
    for k, f in enumerate(fr[:q]):
        parts.append(epb(f, 1, (T0 + k) * 10**6))
    be = blk(0x0A0D0D0A, struct.pack(">IHHq", 0x1A2B3C4D, 1, 0, 16), ">")
    parts += [be, idb_snap(101, 262144, b"", ">")]
    for k, f in enumerate(fr[q:2 * q]):
        parts.append(epb(f[14:], 0, (T0 + q + k) * 10**6, ">"))
    parts += [shb(), idb_snap(113, 262144)]
    for k, f in enumerate(fr[2 * q:3 * q]):
        sll = struct.pack("!HHH8sH", 0, 1, 6, b"\0" * 8, 0x0800) + f[14:]
        parts.append(epb(sll, 1 if k == 0 else 0, (T0 + 2 * q + k) * 10**6))
    parts += [shb(), idb_snap(1, 60, opt(14, struct.pack("<q", 1 << 62)))]
    for k, f in enumerate(fr[3 * q:]):
        parts.append(epb(f, 0, (T0 + 3 * q + k) * 10**6))
    return b"".join(parts)


def flood_dns(d, names=250000, clients=120000):
    """names distinct query names (past SD_DNSIND_MAX_NAMES) from clients
    distinct hosts (past SD_DNSIND_MAX_CLIENTS), each answered NXDOMAIN,
    names random-looking. Must hold: the caps said (names and clients not
    tracked counted), memory bounded."""
    recs = []
    for i in range(names):
        cli = bytes([10, 8 + (i % clients) // 65536, (i % clients) // 256 % 256, i % 256])
        n = dname(b"x%07dq%x" % (i, (i * 2654435761) & 0xFFFFFFFF), b"evil", b"com")
        q = dhdr(i & 0xFFFF, 0x0100, 1, 0) + n + b"\0\1\0\1"
        r = dhdr(i & 0xFFFF, 0x8183, 1, 0) + n + b"\0\1\0\1"
        for f in (udp(cli, SRV, 30000 + i % 30000, 53, q), udp(SRV, cli, 53, 30000 + i % 30000, r)):
            recs.append((T0 + i // 10000, (i % 10000) * 100, len(f), len(f), f))
    with open(os.path.join(d, "flood_dns.pcap"), "wb") as f:
        f.write(pcap([], recs=recs))


def flood_sni(d, n=101000):
    """n TLS connections (SYN, then the ClientHello) each naming another
    server (past SD_SVCSTATS_MAX_NAMES). Must hold: the names past the cap
    counted and said; memory bounded."""
    recs = []
    for i in range(n):
        cli = bytes([10, 9, i // 256 % 256, i % 256])
        sp = 1024 + i // 65536
        s = tcp_seg(cli, SRV, sp, 443, 1000, 0, SYN)
        h = client_hello(b"n%06d.example" % i, b"h2")
        d1 = tcp_seg(cli, SRV, sp, 443, 1001, 1, PSH | ACK, h)
        for k, seg in enumerate((s, d1)):
            f = eth(ip4(cli, SRV, 6, seg))
            recs.append((T0 + i // 10000, (i % 10000) * 100 + k, len(f), len(f), f))
    with open(os.path.join(d, "flood_sni.pcap"), "wb") as f:
        f.write(pcap([], recs=recs))


def flood_ports(d, n=6000):
    """n SSH handshakes to NEWKEYS from 60 clients, each to another server
    port (1025..): SSH off its port, a campaign over many ports. Must hold:
    every session read; summary's off-port and campaign lines bounded
    (not one line per port)."""
    frames = []
    for i in range(n):
        c = Conn(20000 + i // 60, dp=1025 + i)
        c.t = T0 + i * 0.01
        c.handshake()
        c.ssh()
        c.send(True, NEWKEYS)
        c.send(False, NEWKEYS)
        c.close()
        frames += c.frames
    with open(os.path.join(d, "flood_ports.pcap"), "wb") as f:
        f.write(write(frames))


def flood_tcp53(d, n=20000):
    """n TCP connections to port 53, each sending a length prefix of
    65,535 and one byte of the message. Must hold: `dns` and `summary`
    within the memory limit (main: 64 KiB reserved per prefix, 1.3 GB of
    address space, out of memory under a 1 GiB limit)."""
    recs = []
    for i in range(n):
        cli = bytes([10, 11, i // 256 % 256, i % 256])
        for k, (seq, fl, data) in enumerate(((1000, SYN, b""), (1001, PSH | ACK, b"\xff\xff\x00"))):
            f = eth(ip4(cli, SRV, 6, tcp_seg(cli, SRV, 2000 + i // 65536, 53, seq, 1, fl, data)))
            recs.append((T0 + i // 1000, (i % 1000) * 1000 + k, len(f), len(f), f))
    with open(os.path.join(d, "flood_tcp53.pcap"), "wb") as f:
        f.write(pcap([], recs=recs))


def held_tcp53(d, n=600, size=60000):
    """n TCP connections to port 53 each holding size bytes of a
    65,535-byte message never finished (36 MB unfinished, past
    SD_DNSAN_TCP_HELD_MAX). Must hold: the streams past the cap given up
    and said on stderr; the memory bounded."""
    recs = []
    body = bytes(1400)
    for i in range(n):
        cli = bytes([10, 12, i // 256 % 256, i % 256])
        segs = [(1000, SYN, b""), (1001, PSH | ACK, b"\xff\xff")]
        for o in range(0, size, 1400):
            segs.append((1003 + o, PSH | ACK, body[:min(1400, size - o)]))
        for k, (seq, fl, data) in enumerate(segs):
            f = eth(ip4(cli, SRV, 6, tcp_seg(cli, SRV, 3000, 53, seq, 1, fl, data)))
            a = eth(ip4(SRV, cli, 6, tcp_seg(SRV, cli, 53, 3000, 1, seq + len(data) + (fl == SYN),
                                                 ACK | (SYN if fl == SYN else 0))))
            recs += [(T0 + i, 2 * k, len(f), len(f), f), (T0 + i, 2 * k + 1, len(a), len(a), a)]
    with open(os.path.join(d, "held_tcp53.pcap"), "wb") as f:
        f.write(pcap([], recs=recs))


CASES = {
    "dns_hostile.pcap": dns_hostile,
    "dns_tcp.pcap": dns_tcp,
    "tls_hostile.pcap": tls_hostile,
    "ssh_kex_games.pcap": ssh_kex_games,
    "ssh_banners_odd.pcap": ssh_banners_odd,
    "tcp_storms.pcap": tcp_storms,
    "ng_sections.pcapng": ng_sections,
}


def seeds(repo):
    """The fuzz seeds of this round: the small captures for the whole
    pipeline, the pcapng sections for the file reader, the bent key
    exchanges for the report, and single DNS messages and ClientHellos
    (the pointer cycle, the 40-hop chain, the lying lengths) for fuzz_dns."""
    out = {"fuzz_pipeline/r7_dns_hostile.pcap": dns_hostile(), "fuzz_pipeline/r7_tls_hostile.pcap": tls_hostile(),
           "fuzz_pcapfile/r7_ng_sections.pcapng": ng_sections(), "fuzz_report/r7_ssh_kex_games.pcap": ssh_kex_games()}
    frames = dns_hostile()[24:]
    k = 0
    pos = 0
    while pos + 16 <= len(frames) and k < 8:  # the first eight responses' DNS messages
        cl = struct.unpack("<I", frames[pos + 8:pos + 12])[0]
        f = frames[pos + 16:pos + 16 + cl]
        pos += 16 + cl
        if f[14 + 9] == 17 and struct.unpack("!H", f[14 + 20:14 + 22])[0] == 53:
            out["fuzz_dns/r7_resp%d" % k] = f[14 + 28:]
            k += 1
    for i, h in enumerate((tls_hello(b"x.example", list_len=60000), tls_hello(b"y.example", name_len=60000),
                           tls_hello(b"many.example", exts=b"".join(struct.pack("!HH", 0x1000 + j, 0)
                                                                    for j in range(2000))))):
        out["fuzz_dns/r7_hello%d" % i] = h
    genmain.write_files(os.path.join(repo, "fuzz/seeds"), out)


def flood(d):
    flood_dns(d)
    flood_sni(d)
    flood_ports(d)
    flood_tcp53(d)


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds, "flood": flood, "held": held_tcp53})
