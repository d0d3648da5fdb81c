#!/usr/bin/env python3
"""Hostile classes, round 16, written at test time: `genr16.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said (`genr16.py seeds REPO`: this round's fuzz seeds into
REPO/fuzz/seeds). tests/hostile/t_round16.sh checks what each docstring says
must hold. Three families: connections the capture joined mid-stream
(sd_ssh_mid.c's claim), captures whose snaplen cut the payload (per
record, per pcapng interface), and the TCP/SSH cleartext layer."""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, PSH, SYN, Conn, NEWKEYS, ssh_packet  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, T0, blk, eth, ip4, kexinit, pcap, shb, tcp_seg  # noqa: E402

RNG = random.Random(16)
EVIL_S = b"SSH-2.0-EVILSRV_1.0\r\n"
assert len(EVIL_S) == len(BAN_S)


def rnd(n):
    return bytes(RNG.getrandbits(8) for _ in range(n))


def recs_of(frames, cut=None):
    """Classic pcap records of frames; cut maps a frame's index to its
    caplen (the record then holds that many bytes, its wire length the
    frame's)."""
    out = []
    for i, (t, f) in enumerate(frames):
        us = round(t * 1e6)
        cl = len(f) if cut is None or i not in cut else cut[i]
        out.append((us // 10**6, us % 10**6, cl, len(f), f[:cl]))
    return out


def write(frames, cut=None, snap=262144):
    return pcap([], recs=recs_of(frames, cut), snap=snap)


HDR = 14 + 20 + 20  # Ethernet, IPv4, TCP: a frame's bytes before its payload


def mid_conn(sp, dp=22):
    """A connection whose start the capture missed (no SYN)."""
    c = Conn(sp, dp, cs=0x10000000, ss=0x70000000)
    c.t = float(T0) + 100
    return c


def mid_keys(c, n, size=36):
    """n keystrokes of an encrypted session (chacha20-poly1305's 36-byte
    records), each echoed and ACKed, a person's pace."""
    for _ in range(n):
        c.t += 0.2
        c.send(True, rnd(size), acked=False)
        c.send(False, rnd(size))


def finish(c, n=3):
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    mid_keys(c, n)
    c.close()


def tls_rec(data):
    return bytes([23, 3, 3]) + struct.pack("!H", len(data)) + data


# -- (a) the mid-stream claim -------------------------------------------

def mid_tls_cont():
    """Client port 49201: TLS application data on port 22 (a VPN or a
    proxy on the SSH port), the capture begun inside a record each way:
    the first segment each way is the rest of a record (random bytes, no
    header), every later one a TLS record (23, 3.3, length) with its
    ciphertext. Must hold: not claimed as SSH (no `"type":"ssh"`)."""
    c = mid_conn(49201)
    c.send(True, rnd(300), acked=False)
    c.send(False, rnd(300))
    for _ in range(12):
        c.t += 0.2
        c.send(True, tls_rec(rnd(RNG.randrange(30, 80))), acked=False)
        c.send(False, tls_rec(rnd(RNG.randrange(30, 200))))
    return write(c.frames)


def mid_tls_bulk():
    """Client port 49202: as mid_tls_cont, a download: the server's
    16 KB TLS records over MSS segments (a header every 12th segment or
    so), the client's small records; the capture begins inside one of
    each. Must hold: not claimed as SSH."""
    c = mid_conn(49202)
    c.send(True, rnd(90), acked=False)
    c.send(False, rnd(5000))
    for _ in range(4):
        c.send(True, tls_rec(rnd(40)), acked=False)
        c.send(False, tls_rec(rnd(16384)))
    return write(c.frames)


def ovpn(data):
    """An OpenVPN-over-TCP packet: its 16-bit length, then P_DATA_V2
    (opcode 9, key 0) and a 24-bit peer id."""
    body = b"\x48\x00\x00\x01" + data
    return struct.pack("!H", len(body)) + body


def mid_ovpn():
    """Client port 49203: OpenVPN over TCP on port 22 (a common way
    through firewalls), the capture begun after its handshake: every
    segment one packet, a 16-bit length counting the rest of the segment.
    Must hold: not claimed as SSH."""
    c = mid_conn(49203)
    for _ in range(16):
        c.t += 0.05
        c.send(True, ovpn(rnd(RNG.randrange(40, 120))), acked=False)
        c.send(False, ovpn(rnd(RNG.randrange(40, 300))))
    return write(c.frames)


def mid_one_side():
    """Client port 49204: only the server's encrypted records are in the
    capture (asymmetric routing), 40 of them, and the client's ACKs carry
    no data. Must hold: not claimed (one side shows nothing), the
    connection in `conns`."""
    c = mid_conn(49204)
    for _ in range(40):
        c.t += 0.2
        c.send(False, rnd(36))
    return write(c.frames)


def mid_reorder():
    """Client port 49205: a session joined mid-stream whose first two
    client records were captured in reverse order (the later one first),
    then 20 keystrokes with their echoes. A receiver takes both. Must
    hold: claimed (midstream), no missed bytes on the client's side."""
    c = mid_conn(49205)
    a, b = rnd(36), rnd(36)
    s0 = c.seq[0]
    c.pkt(True, s0 + 36, c.seq[1], PSH | ACK, b)
    c.pkt(True, s0, c.seq[1], PSH | ACK, a)
    c.seq[0] += 72
    c.pkt(False, c.seq[1], c.seq[0], ACK)
    c.send(False, rnd(36))
    c.send(False, rnd(36))
    mid_keys(c, 20)
    return write(c.frames)


def mid_keepalive():
    """Client port 49206: an idle session joined mid-stream: each side's
    first segments are TCP keep-alives (zero-length at the next number
    less one, as Linux sends them, and one-byte ones with a garbage byte,
    as BSD and Windows send them), ACKed, then 20 keystrokes. The
    keep-alive's byte is old data the receiver drops. Must hold: claimed,
    keystrokes 20, no missed bytes and no `conn_state` gap."""
    c = mid_conn(49206)
    for _ in range(2):
        c.t += 30
        c.pkt(True, c.seq[0] - 1, c.seq[1], ACK)
        c.pkt(False, c.seq[1], c.seq[0], ACK)
        c.pkt(False, c.seq[1] - 1, c.seq[0], ACK, b"\0")
        c.pkt(True, c.seq[0], c.seq[1], ACK)
    mid_keys(c, 20)
    return write(c.frames)


def mid_retx():
    """Client port 49207: a session joined mid-stream whose keystroke
    records are each sent twice (a lossy link: the copy at the same
    number), and one re-sent overlapping its neighbour (18 bytes of the
    record before it, then 18 of its own). Must hold: claimed, 20
    keystrokes (copies are no new keys)."""
    c = mid_conn(49207)
    for i in range(20):
        c.t += 0.2
        k = rnd(36)
        c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, k)
        c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, k)
        if i == 10:
            c.pkt(True, c.seq[0] - 18, c.seq[1], PSH | ACK, prev[18:] + k[:18])  # noqa: F821
        prev = k  # noqa: F841
        c.seq[0] += 36
        c.send(False, rnd(36))
    return write(c.frames)


def mid_tiny():
    """Client port 49208: a session joined mid-stream whose first 200
    bytes each way come a byte a segment (a broken middlebox), then
    keystrokes. Must hold: no crash; each side read in order."""
    c = mid_conn(49208)
    for b in rnd(200):
        c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, bytes([b]))
        c.seq[0] += 1
    for b in rnd(200):
        c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, bytes([b]))
        c.seq[1] += 1
    mid_keys(c, 10)
    return write(c.frames)


def mid_kex(port=49209):
    """Client port 49209 (round 17's mid_kex: 49301): the capture began a moment after the connection
    opened: no SYN and no banners, each side's first bytes its KEXINIT
    (a binary packet with name-lists: cleartext SSH), then NEWKEYS and
    keystrokes. Must hold: read as SSH: the server's and client's
    algorithms (cipher aes128-ctr) and HASSH from the KEXINITs."""
    c = mid_conn(port)
    c.send(False, kexinit(KEX))
    c.send(True, kexinit(KEX))
    finish(c, 10)
    return write(c.frames)


def mid_srv_banner():
    """Client port 49210: the capture began after the client's banner
    (SYN and the client's first segment missed; the server answers
    later): the server's banner and KEXINIT, then the client's KEXINIT,
    NEWKEYS and keystrokes. Must hold: read as SSH with the server's
    banner OpenSSH_9.6 and the client's HASSH."""
    c = mid_conn(49210)
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, kexinit(KEX))
    finish(c, 10)
    return write(c.frames)


def mid_then_syn():
    """Client port 49211: a session joined mid-stream (20 keystrokes), a
    FIN each way, then the same 4-tuple opened again with a SYN and a
    whole SSH session. Must hold: two connections, the first midstream,
    the second with both banners and HASSH."""
    c = mid_conn(49211)
    mid_keys(c, 20)
    c.close()
    c.t += 2
    c.seq = [0x20000000, 0x30000000]
    c.handshake()
    c.ssh()
    finish(c)
    return write(c.frames)


def mid_2222_text():
    """Client port 49212 to port 2222: a cleartext chat (text lines
    with bytes past 0x7f: UTF-8) that the capture joined mid-line, the
    first segment each way starting inside a multi-byte UTF-8 sequence.
    Must hold: not claimed."""
    c = mid_conn(49212, 2222)
    lines = ["héllo wörld, ça va? ", "日本語のテキスト ", "Привет, как дела? ", "emoji ✓✓✓ ok "]
    for i in range(16):
        c.t += 0.3
        c.send(True, ("\x80" if i == 0 else "").encode("latin-1") + (lines[i % 4] * 3).encode()[1 if i == 0 else 0:],
               acked=False)
        c.send(False, (lines[(i + 1) % 4] * 3).encode()[2 if i == 0 else 0:])
    return write(c.frames)


def mid_port_opt():
    """Client port 49213 to port 8022: a session joined mid-stream (20
    keystrokes) on a port named only by `ssh --ssh-port 8022`, its first
    client segment 3 bytes (a record's tail: printable by chance). Must
    hold: claimed with --ssh-port 8022, not without."""
    c = mid_conn(49213, 8022)
    c.send(True, b"a7Q", acked=False)
    mid_keys(c, 20)
    return write(c.frames)


# -- (b) snaplen cuts ---------------------------------------------------

def ssh_session(sp, n=5):
    """A whole SSH session: handshake, both banners and KEXINITs, NEWKEYS,
    n keystrokes, FINs."""
    c = Conn(sp)
    c.handshake()
    c.ssh()
    finish(c, n)
    return c


def frame_of(c, c2s, payload):
    """The index in c.frames of the first frame of c2s's direction whose
    payload starts with payload."""
    for i, (_, f) in enumerate(c.frames):
        if f[HDR:HDR + len(payload)] == payload and (f[26:30] == CLI) == c2s:
            return i
    raise KeyError(payload)


def cut_retx_whole():
    """Client port 49221: the server's banner and KEXINIT segment recorded
    cut (this record's caplen 40 bytes of payload; the file's snaplen
    262144, every other record whole), then re-sent whole at the same
    number (the client never ACKed it). Must hold: the whole copy read:
    server banner OpenSSH_9.6, hasshServer, the cut counted."""
    return server_resent(49221, (40,))


def server_resent(sp, cuts):
    """The server's banner and KEXINIT sent, not ACKed, re-sent; the
    session after. cuts: the payload kept of the first copy and, if
    given, of the second."""
    c = Conn(sp)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, data)
    i = len(c.frames) - 1
    c.t += 0.2
    c.send(False, data)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames, {i + k: HDR + n for k, n in enumerate(cuts)})


def cut_retx_client():
    """Client port 49222: as cut_retx_whole, the client's KEXINIT (after
    its banner, in its own segment) cut inside its name-lists, then
    re-sent whole. Must hold: the client's HASSH read."""
    c = Conn(49222)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX))
    c.send(True, BAN_C)
    k = kexinit(KEX)
    c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, k)
    i = len(c.frames) - 1
    c.t += 0.2
    c.send(True, k)
    finish(c)
    return write(c.frames, {i: HDR + 60})


def cut_retx_reorder():
    """Client port 49223: the server's KEXINIT in two segments; the
    second comes first, cut (out of order), then the first whole, then
    the second re-sent whole. Must hold: hasshServer read (the whole
    copy replaces the cut one)."""
    c = Conn(49223)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    h = len(data) // 2
    s0 = c.seq[1]
    c.pkt(False, s0 + h, c.seq[0], PSH | ACK, data[h:])
    i = len(c.frames) - 1
    c.pkt(False, s0, c.seq[0], PSH | ACK, data[:h])
    c.pkt(True, c.seq[0], s0 + h, ACK)
    c.pkt(False, s0 + h, c.seq[0], PSH | ACK, data[h:])
    c.seq[1] += len(data)
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames, {i: HDR + 10})


def cut_in_banner():
    """Client port 49224: the server's banner split in two segments, the
    first cut 6 bytes into it ("SSH-2." of "SSH-2.0-OpenSSH_9.6"), never
    re-sent. Must hold: the server banner not reported as a whole string
    it was not ("SSH-2."), the cut said."""
    c = Conn(49224)
    c.handshake()
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, BAN_S[:12])
    i = len(c.frames) - 1
    c.seq[1] += 12
    c.send(False, BAN_S[12:] + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames, {i: HDR + 6})


def cut_varying():
    """Client port 49225: every record of an SSH session cut to a length
    drawn anew (0 to the whole frame, the snaplen 262144), five sessions.
    Must hold: no crash, the cut counted."""
    frames = []
    for k in range(5):
        c = ssh_session(49225 + k * 100, 8)
        c.t += k
        frames += c.frames
    frames.sort(key=lambda x: x[0])
    cut = {i: RNG.randrange(0, len(f) + 1) for i, (_, f) in enumerate(frames) if i % 3}
    return write(frames, cut)


def cut_newkeys():
    """Client port 49226: the server's NEWKEYS (its own 16-byte segment)
    cut to 6 bytes of payload, the client's whole; keystrokes after. Must
    hold: the session reads as encrypted (outcome not kex_incomplete)
    with its keystrokes."""
    c = Conn(49226)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    i = len(c.frames) - 2
    c.send(True, NEWKEYS)
    mid_keys(c, 8)
    c.close()
    return write(c.frames, {i: HDR + 6})


def cut_twice():
    """Client port 49232: as cut_retx_whole, but the re-sent copy is cut
    too (at 30 bytes of payload): no whole copy ever came. Must hold: the
    server's banner read as captured (cut), no hasshServer, the cut said."""
    return server_resent(49232, (40, 30))


def cut_oneway():
    """Client port 49233: only the server's side is in the capture (no
    ACK of the client's: one direction of a span port) and every frame cut
    at 96 bytes, 3,000 records of 1,000 bytes. Must hold: nothing held
    waiting for an ACK that cannot come (peak RSS within 4 MB of a 300
    record copy), the cut counted."""
    c = Conn(49233)
    c.handshake()
    c.frames = [f for f in c.frames if f[1][26:30] == SRV]
    c.send(False, BAN_S + kexinit(KEX), acked=False)
    c.send(False, NEWKEYS, acked=False)
    for _ in range(N_ONEWAY):
        c.send(False, rnd(1000), acked=False)
    return write(c.frames, {i: min(len(f), 96) for i, (_, f) in enumerate(c.frames)}, snap=96)


N_ONEWAY = 3000


def caplen_gt_len():
    """Client port 49227: the server's banner record says caplen 60 bytes
    more than its wire length, those 60 bytes the attacker's banner (the
    IPv4 total length counting them too). A receiver got the wire length:
    a datagram shorter than its total length, dropped. The server re-sends.
    Must hold: server banner OpenSSH_9.6, not EVILSRV."""
    c = Conn(49227)
    c.handshake()
    c.t += 0.001
    seg = tcp_seg(SRV, CLI, 22, 49227, c.seq[1], c.seq[0], PSH | ACK, EVIL_S + kexinit(KEX))
    f = eth(ip4(SRV, CLI, 6, seg))
    rec_extra = [(len(c.frames), f)]
    c.frames.append((c.t, f))
    c.ssh()
    finish(c)
    recs = recs_of(c.frames)
    for i, f in rec_extra:
        s, u, cl, wl, d = recs[i]
        recs[i] = (s, u, cl, HDR + 4, d)  # the wire had 4 bytes of payload
    return pcap([], recs=recs)


def ng_epb(frame, iface, t, snap):
    """An Enhanced Packet Block of frame on iface at t, cut to snap."""
    us = round(t * 1e6)
    cap = frame[:snap]
    return blk(6, struct.pack("<IIIII", iface, us >> 32, us & 0xFFFFFFFF, len(cap), len(frame)) + cap)


def ng_two_snaps():
    """pcapng, two interfaces: 0 with snaplen 96, 1 with 65535. Client
    port 49228 on interface 0 (cut), 49229 on interface 1 (whole), and
    49230's client-to-server packets on interface 0, server-to-client on
    1 (a capture on two ports of a switch). Must hold: 49229 whole (both
    HASSHes), 49228 read as SSH from sizes (encrypted), 49230's
    hasshServer read, and the cut said."""
    idb = [blk(1, struct.pack("<HHI", 1, 0, snap)) for snap in (96, 65535)]
    out = [shb()] + idb
    evs = []
    for sp, rule in ((49228, lambda c2s: 0), (49229, lambda c2s: 1), (49230, lambda c2s: 0 if c2s else 1)):
        c = ssh_session(sp, 6)
        c.t += (sp - 49228) * 0.0003
        for t, f in c.frames:
            iface = rule(f[26:30] == CLI)
            evs.append((t, iface, f))
    evs.sort(key=lambda x: x[0])
    for t, iface, f in evs:
        out.append(ng_epb(f, iface, t, 96 if iface == 0 else 65535))
    return b"".join(out)


def ng_snap_lie():
    """pcapng: interface 0's snaplen 64 but its records hold whole frames
    (the block says so: caplen = the frame). Client port 49231: every
    frame whole. Must hold: read whole (both HASSHes)."""
    out = [shb(), blk(1, struct.pack("<HHI", 1, 0, 64))]
    c = ssh_session(49231, 5)
    for t, f in c.frames:
        out.append(ng_epb(f, 0, t, 1 << 20))
    return b"".join(out)


# -- (c) the cleartext layer and TCP -------------------------------------

def past_window(port=49241):
    """Client port 49241 (round 17's past_window: 49315): the client's
    SYN offers a 10-byte window (no window scale); the server sends its banner with the attacker's
    bytes past those 10 ("SSH-2.0-Op" then EVILSRV's rest); a receiver
    keeps the 10 (RFC 9293 3.10.7.4: a segment is trimmed to the window),
    ACKs them and opens its window; the server sends the rest
    ("enSSH_9.6..."). Must hold: server banner OpenSSH_9.6."""
    c = Conn(port)
    c.handshake(win=10)
    good = BAN_S + kexinit(KEX)
    bad = good[:10] + b"EVILSRV_1.0\r\n"[:len(BAN_S) - 10] + kexinit([b"evil-kex"] + KEX[1:])
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, bad)
    c.pkt(True, c.seq[0], c.seq[1] + 10, ACK)
    c.pkt(False, c.seq[1] + 10, c.seq[0], PSH | ACK, good[10:])
    c.seq[1] += len(good)
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def banner_lines():
    """Client port 49242: the server sends 3 lines before its banner (RFC
    4253 4.2 allows them), one ending in LF alone, the banner itself
    ending in LF alone (OpenSSH accepts it). Must hold: server banner
    OpenSSH_9.6 and hasshServer."""
    c = Conn(49242)
    c.handshake()
    pre = b"Welcome\r\nNo unauthorised access\nContact root@x\r\n"
    c.send(False, pre + BAN_S[:-2] + b"\n" + kexinit(KEX))
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return write(c.frames)


def kex_pad_multi():
    """Client port 49243: both KEXINITs with padding of 200 bytes (legal:
    4..255) and the first_kex_packet_follows byte 0, then a SSH_MSG_IGNORE
    of 1000 bytes and a DEBUG before the KEX reply. Must hold: both
    HASSHes read, outcome not kex_incomplete."""
    c = Conn(49243)
    c.handshake()

    def big_pad(lists):
        k = kexinit(lists)
        body = k[5:len(k) - k[4]]
        pad = 200 + (8 - (5 + len(body) + 200) % 8) % 8
        return struct.pack("!IB", 1 + len(body) + pad, pad) + body + rnd(pad)
    c.send(False, BAN_S + big_pad(KEX) + ssh_packet(b"\x02" + struct.pack("!I", 1000) + rnd(1000)))
    c.send(True, BAN_C + big_pad(KEX) + ssh_packet(b"\x04\x00" + struct.pack("!I", 3) + b"dbg" + b"\0\0\0\0"))
    finish(c)
    return write(c.frames)


def fin_mid_kex():
    """Client port 49244: the server's FIN sent in the same segment as its
    KEXINIT's end, the client's KEXINIT after (half-closed: the server
    still reads). Must hold: both HASSHes read."""
    c = Conn(49244)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK | FIN, data)
    c.seq[1] += len(data) + 1
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    c.pkt(True, c.seq[0], c.seq[1], FIN | ACK)
    c.pkt(False, c.seq[1], c.seq[0] + 1, ACK)
    return write(c.frames)


CASES = [mid_tls_cont, mid_tls_bulk, mid_ovpn, mid_one_side, mid_reorder, mid_keepalive, mid_retx, mid_tiny,
         mid_kex, mid_srv_banner, mid_then_syn, mid_2222_text, mid_port_opt, cut_twice, cut_oneway, cut_retx_whole, cut_retx_client, cut_retx_reorder,
         cut_in_banner, cut_varying, cut_newkeys, caplen_gt_len, ng_two_snaps, ng_snap_lie, past_window,
         banner_lines, kex_pad_multi, fin_mid_kex]


def seeds(repo):
    """This round's fuzz seeds, for the whole pipeline: TLS and OpenVPN
    records joined mid-stream on port 22, a keep-alive before the first
    data, a capture begun after the client's banner, a cut segment re-sent
    whole."""
    d = os.path.join(repo, "fuzz/seeds/fuzz_pipeline")
    for f in (mid_tls_cont, mid_ovpn, mid_keepalive, mid_srv_banner, cut_retx_whole):
        with open(os.path.join(d, "r16_%s.pcap" % f.__name__), "wb") as out:
            out.write(f())


def main():
    global N_ONEWAY
    if sys.argv[1] == "seeds":  # genr16.py seeds REPO
        seeds(sys.argv[2])
        return
    if sys.argv[1] == "oneway":  # genr16.py oneway N FILE: cut_oneway with N records
        N_ONEWAY = int(sys.argv[2])
        with open(sys.argv[3], "wb") as out:
            out.write(cut_oneway())
        return
    genmain.write_cases(sys.argv[1], CASES)


if __name__ == "__main__":
    main()
