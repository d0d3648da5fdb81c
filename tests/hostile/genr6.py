#!/usr/bin/env python3
"""Hostile classes, round 6, written at test time: `genr6.py DIR` writes
each small case below into DIR; `genr6.py infer N DIR` the SSH-inference
floods with N records each (t_round6.sh writes N and 2N and compares the
instructions each takes); `genr6.py flood N DIR` N SSH handshakes never
finished. Every SSH connection here negotiates aes128-gcm, so that each
encrypted record's length is in the clear and the records are the ones
the case says. tests/hostile/t_round6.sh runs every command and output
format on each under the memory limit and checks what each docstring
says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, GCM, NEWKEYS, PSH, SYN, Conn, write  # noqa: E402
from genfmt import BAN_C, CLI, SRV, T0, blk, eth, ip4, opt, pcap, shb, tcp_seg  # noqa: E402
from genr4 import epb, idb_snap  # noqa: E402
import genmain  # noqa: E402


def rec(plen):
    """One aes128-gcm record: its clear 4-byte length (a multiple of 16),
    the encrypted packet and the 16-byte tag."""
    return struct.pack("!I", plen) + bytes(plen + 16)


def keyed_gcm(sp, dp=22, dt=0, sban=b"SSH-2.0-OpenSSH_9.6\r\n", cban=BAN_C, kex=GCM):
    """A connection to NEWKEYS both ways on aes128-gcm (frames dated from
    T0 + dt, 1 ms apart): the records of each case follow it."""
    c = Conn(sp, dp)
    c.t += dt
    c.handshake()
    c.ssh(sban=sban, cban=cban, skex=kex, ckex=kex)
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    return c


def gcm_session(sp, pairs, **kw):
    """keyed_gcm's connection, then pairs keystroke-sized records each way
    (each ACKed), then FIN both ways."""
    c = keyed_gcm(sp, **kw)
    for k in range(pairs):
        c.send(True, rec(32))
        c.send(False, rec(32))
    c.close()
    return c


class Raw:
    """Frames written straight into classic pcap records (fast enough for
    hundreds of thousands): a connection's sequence numbers kept."""

    def __init__(self, c):
        self.c = c
        self.recs = [(int(t), int(round((t - int(t)) * 1e6)) % 1000000, len(f), len(f), f) for t, f in c.frames]

    def seg(self, c2s, data, sec, usec, ack=True):
        c = self.c
        i = 0 if c2s else 1
        s, d = (CLI, SRV) if c2s else (SRV, CLI)
        a, b = (c.sp, c.dp) if c2s else (c.dp, c.sp)
        f = eth(ip4(s, d, 6, tcp_seg(s, d, a, b, c.seq[i], c.seq[1 - i], PSH | ACK, data)))
        c.seq[i] += len(data)
        self.recs.append((sec, usec, len(f), len(f), f))

    def pcap(self):
        return pcap([], recs=self.recs)


def inf_1byte(n):
    """Client port 46001: after NEWKEYS the server sends n bytes of
    records (its usual 52-byte echo records, back to back) one byte per
    TCP segment, 1 us apart. Must hold: the instructions at 2n at most
    ~2.2 times those at n; peak memory bounded."""
    r = Raw(keyed_gcm(46001))
    blob = rec(32) * (n // 52 + 1)
    for k in range(n):
        r.seg(False, blob[k:k + 1], T0 + 10 + k // 1000000, k % 1000000)
    return r.pcap()


def inf_keys(n):
    """Client port 46002: n keystroke-sized records (aes128-gcm, 36-byte
    packets) alternating client and server, 1 us apart, as a typist
    could not: a record every microsecond, each its own segment. Must
    hold: linear instructions; bounded memory; the per-connection record
    cap said when crossed."""
    r = Raw(keyed_gcm(46002))
    x = rec(32)
    for k in range(n):
        r.seg(k % 2 == 0, x, T0 + 10 + k // 1000000, k % 1000000)
    return r.pcap()


def inf_chanopen(n):
    """Client port 46003: n channel-open-sized client records (a session
    or direct-tcpip open: 48- and 96-byte packets) each answered by a
    confirmation-sized server record, 1 ms apart, with 64 records to a
    segment. Must hold: linear instructions; forwarding/channel findings
    bounded, never one event per record without a cap."""
    r = Raw(keyed_gcm(46003))
    k = 0
    while k < n:
        cs = b"".join(rec(48 if (k + j) % 2 else 96) for j in range(32))
        sc = rec(32) * 32
        t = T0 + 10 + k // 1000
        r.seg(True, cs, t, (k % 1000) * 1000)
        r.seg(False, sc, t, (k % 1000) * 1000 + 500)
        k += 64
    return r.pcap()


def thresholds():
    """Every record size a rule of src/ssh/sd_infer_rules.h tests against
    (P_*, the password and pty bases, OpenSSH's padding), minus and plus one
    block, and every gap a rule times against (REQ_FLUSH_S .. SUCCESS_FOLLOW_S)
    just under and over."""
    sizes = [16, 32, 48, 64, 80, 96, 112, 128, 144, 256, 272, 512, 1024, 2048, 4096]
    gaps = [0.000001, 0.004, 0.006, 0.014, 0.016, 0.049, 0.051, 0.19, 0.21, 0.29, 0.31, 0.59, 0.61, 0.89,
            0.91, 0.99, 1.01, 1.99, 2.01, 2.99, 3.01, 9.9, 10.1]
    return sizes, gaps


def inf_thresh(n):
    """Client port 46004: n records whose sizes walk every rule's
    thresholds (thresholds()) in turn, alternating direction in runs of
    1, 2 and 3, their gaps walking every timing threshold. Must hold:
    linear instructions; bounded memory."""
    r = Raw(keyed_gcm(46004))
    sizes, gaps = thresholds()
    t = float(T0 + 10)
    run = [1, 2, 3]
    c2s, left = True, 1
    for k in range(n):
        t += gaps[k % len(gaps)]
        r.seg(c2s, rec(sizes[(k * 7) % len(sizes)]), int(t), int((t - int(t)) * 1e6))
        left -= 1
        if not left:
            c2s, left = not c2s, run[k % 3]
    return r.pcap()


def inf_time():
    """Client port 46005: keystroke-sized records whose time leaps forward
    by 10^9 s (to 2085), then back by a day, then to the second before
    (T0 - 1), then forward 1 us at a time, inside one connection, 2,000
    records. Must hold: read to NEWKEYS; the steps back said with their
    frames; no negative, NaN or infinite duration, rate or gap anywhere."""
    r = Raw(keyed_gcm(46005))
    x = rec(32)
    steps = [T0 + 10, T0 + 10 + 10**9, T0 + 10 + 10**9 - 86400, T0 - 1, T0 + 20]
    for k in range(2000):
        base = steps[min(k // 400, 4)]
        r.seg(k % 2 == 0, x, base + (k % 400) // 100, (k % 100) * 1)
    return r.pcap()


BIDI = "\u202e\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d\u200f\u061c".encode()


def banners_hostile():
    """Client port 46006: banners and every negotiated algorithm name carry
    a `<script>`, Unicode bidirectional overrides (U+202E, U+2066-2069,
    RLM, ALM), a formula prefix, invalid UTF-8 (0xC0 0xAF, a lone 0xFF), a
    NUL and 4,000 bytes of text; then keystroke records. Must hold: no
    markup and no bidi control raw in report.html, no formula cell, every
    JSON line valid UTF-8, no raw control byte."""
    evil = b"=cmd|' /C calc'!A0" + BIDI + b"<script>alert(1)</script>\xc0\xaf\xff" + b"\xe2\x80\xae" * 10
    names = [b"curve25519-sha256," + evil.replace(b",", b";"), b"ssh-ed25519",
             b"aes128-gcm@openssh.com", b"aes128-gcm@openssh.com", b"hmac-sha2-256",
             b"hmac-sha2-256", b"none", b"none", b"", b""]
    sb = b"SSH-2.0-" + evil + b"x" * 200 + b"\r\n"
    cb = b"SSH-2.0-=HYPERLINK(\"http://e\")" + BIDI + b"\0" + b"y" * 4000 + b"\r\n"
    return write(gcm_session(46006, 40, sban=sb, cban=cb, kex=names).frames)


def ng_comments():
    """pcapng, client port 46007: an SHB with shb_hardware/os/userappl and a
    comment holding OSC 52 (clipboard), CSI 2J and 8-bit CSI; an IDB with
    snaplen 0, if_fcslen 4 (every frame then ends in 4 FCS bytes), if_name
    and if_description with escapes, an option of length 0xFFF0 that runs
    past its block; EPBs with options after the packet data: a comment with
    escapes, epb_flags, epb_hash, epb_dropcount, epb_packetid, epb_queue,
    epb_verdict, and one option whose length runs past the block. Must
    hold: the session read to NEWKEYS (the FCS bytes not in any stream);
    no raw control byte in any output; the overrunning options said."""
    esc = b"\x1b]52;c;ZXZpbA==\x07\x1b[2J\xc2\x9b31m"
    sopts = opt(1, b"comment " + esc) + opt(2, b"hw" + esc) + opt(3, b"os" + esc) + opt(4, b"app" + esc) + opt(0, b"")
    s = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + sopts)
    iopts = (opt(2, b"eth0" + esc) + opt(3, b"desc" + esc) + opt(13, b"\x04") + opt(1, esc)
             + struct.pack("<HH", 0x7FF0, 0xFFF0) + b"xxxx")
    c = gcm_session(46007, 20)
    parts = [s, idb_snap(1, 0, iopts)]
    for k, (t, f) in enumerate(c.frames):
        f += b"\xde\xad\xbe\xef"  # the FCS if_fcslen says each frame ends in
        o = b""
        if k == 4:  # the server's ACK of the client's banner: an option past the block
            o = struct.pack("<HH", 1, 0xFFFF) + b"\x1b[2Jtrunc"
        elif k % 4 == 0:
            o = (opt(1, b"pkt " + esc) + opt(2, struct.pack("<I", 0x1)) + opt(3, b"\x02" + bytes(16))
                 + opt(4, struct.pack("<Q", 2**64 - 1)) + opt(5, struct.pack("<Q", k)) + opt(6, struct.pack("<I", 7))
                 + opt(7, b"\x00" + esc) + opt(0, b""))
        body = struct.pack("<IIIII", 0, int(t * 1e6) >> 32, int(t * 1e6) & 0xFFFFFFFF, len(f), len(f)) + f
        body += b"\0" * (-len(body) % 4)
        parts.append(blk(6, body + o))
    return b"".join(parts)


def ng_comment_big():
    """pcapng, client port 46008: SHB comments of 1 MB of ESC and BEL
    bytes (17 comment options of 60,000) and an EPB comment of 60,000 bytes, then the session. Must hold:
    read; no raw control byte; memory bounded."""
    big = b"".join(opt(1, b"\x1b[2J\x07" * 12000) for _ in range(17))
    s = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1) + big + opt(0, b""))
    c = gcm_session(46008, 0)
    parts = [s, idb_snap(1, 65535)]
    for k, (t, f) in enumerate(c.frames):
        ts = int(t * 1e6)
        e = epb(f, 0, ts)
        if k == 3:
            body = struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF, len(f), len(f)) + f
            body += b"\0" * (-len(body) % 4)
            e = blk(6, body + opt(1, b"\x1b]0;T\x07" * 10000) + opt(0, b""))
        parts.append(e)
    return b"".join(parts)


def hostile_ports():
    """SSH sessions on ports 0 (both ends), 65535 and from IPv4 address
    0.0.0.0 to 255.255.255.255 (client port 46009), the 4-tuples extract's
    file names are made of. Must hold: each read; extract's files named
    inside -o DIR (no '/', no '..', no name starting '-')."""
    out = []
    for k, (sp, dp) in enumerate(((0, 0), (65535, 65535), (46009, 22))):
        c = gcm_session(sp, 0, dp=dp, dt=k)
        fr = c.frames
        if k == 2:  # rewrite the addresses
            fr = []
            for t, f in c.frames:
                ip = bytearray(f[14:])
                a, b = bytes(ip[12:16]), bytes(ip[16:20])
                na, nb = (b"\0\0\0\0", b"\xff\xff\xff\xff") if a == CLI else (b"\xff\xff\xff\xff", b"\0\0\0\0")
                hl = (ip[0] & 15) * 4
                seg = bytes(ip[hl:])
                sp_, dp_, sq, ak = struct.unpack("!HHII", seg[:12])
                seg = tcp_seg(na, nb, sp_, dp_, sq, ak, seg[13], seg[(seg[12] >> 4) * 4:])
                fr.append((t, eth(ip4(na, nb, 6, seg))))
        out += fr
    return write(out)


def flood_hs(d, n):
    """`flood N`: n SSH connections, each a full TCP handshake and the
    server's banner, never going further, all open at once (from n
    addresses), 10 us apart; then one complete session (client port
    46010). With --max-flows 4000 every eviction must be said; peak memory
    at 2n within a few MB of n."""
    recs = []
    ban = b"SSH-2.0-OpenSSH_9.6\r\n"
    for i in range(n):
        src = bytes([10, 9 + (i >> 16), (i >> 8) & 255, i & 255])
        sp = 1024 + i % 60000
        t = i * 10
        fs = [eth(ip4(src, SRV, 6, tcp_seg(src, SRV, sp, 22, 100, 0, SYN))),
              eth(ip4(SRV, src, 6, tcp_seg(SRV, src, 22, sp, 900, 101, SYN | ACK))),
              eth(ip4(src, SRV, 6, tcp_seg(src, SRV, sp, 22, 101, 901, ACK))),
              eth(ip4(SRV, src, 6, tcp_seg(SRV, src, 22, sp, 901, 101, PSH | ACK, ban)))]
        for j, f in enumerate(fs):
            recs.append((T0 + (t + j) // 1000000, (t + j) % 1000000, len(f), len(f), f))
    c = keyed_gcm(46010)
    c.close()
    for t, f in c.frames:
        recs.append((T0 + 1000, 0, len(f), len(f), f))
    with open(os.path.join(d, "flood_hs_%d.pcap" % n), "wb") as fh:
        fh.write(pcap([], recs=recs))


CASES = {
    "inf_time.pcap": inf_time,
    "banners_hostile.pcap": banners_hostile,
    "ng_comments.pcapng": ng_comments,
    "ng_comment_big.pcapng": ng_comment_big,
    "hostile_ports.pcap": hostile_ports,
    "inf_thresh_small.pcap": lambda: inf_thresh(300),
}
INFER = {"inf_1byte": inf_1byte, "inf_keys": inf_keys, "inf_chanopen": inf_chanopen, "inf_thresh": inf_thresh}


def infer(d, n, *names):
    """`genr6.py infer N [NAME...] DIR`: the INFER cases (all, or those
    named) of size N, each as NAME_N.pcap."""
    n = int(n)
    for name in names or INFER:
        genmain.write_files(d, {"%s_%d.pcap" % (name, n): INFER[name](n)})


if __name__ == "__main__":
    genmain.run(CASES, {"infer": infer, "flood": lambda d, n: flood_hs(d, int(n))})
