#!/usr/bin/env python3
"""Hostile classes, round 14, written at test time: `genr14.py DIR` writes
each case below into DIR, `genr14.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. Segments a receiver's TCP drops although their sequence
numbers are right (no ACK flag, a SYN in the window, an ACK of bytes never
sent), TCP openings and reuses (SYN-ACK from another port, a SYN's ISN
changed, a 4-tuple reused in TIME_WAIT), SSH corners (SSH-1.5 servers, a
wrong first_kex_packet_follows guess, a gap in the cleartext phase) and
capture formats mixing link types and time bases. tests/hostile/t_round14.sh
checks what each docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, GCM, PSH, RST, SYN, Conn, NEWKEYS, ssh_packet, write  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, CLI6, KEX, SRV, SRV6, T0, eth, ip4, ip6, kexinit, opt, pcap, shb, tcp_seg  # noqa: E402
from genr4 import epb, idb_snap  # noqa: E402
from genr9 import keys  # noqa: E402
import genmain  # noqa: E402

EVIL_S = b"SSH-2.0-EVILSRV_1.0\r\n"  # the attacker's server banner: as long as BAN_S
assert len(EVIL_S) == len(BAN_S)


def finish(c, n=3):
    """NEWKEYS both ways, n keystrokes each echoed, FINs."""
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, n)
    c.close()


def injected(sp, inject):
    """A session whose server banner is preceded, at its sequence number,
    by inject(c) (EVIL_S + a KEXINIT the receiver must drop), then the real
    banner and KEXINIT, NEWKEYS, 3 keystrokes, FIN."""
    c = Conn(sp)
    c.handshake()
    inject(c)
    c.ssh()
    finish(c)
    return c.frames


def evil_kex():
    return EVIL_S + kexinit([b"evil-kex"] + KEX[1:])


def inj_noack():
    """Client port 49001: the attacker's banner with no ACK flag (PSH only):
    RFC 9293 3.10.7.4 (fifth check) drops a segment of a synchronized
    connection whose ACK bit is off; Linux's tcp_validate_incoming too.
    Must hold: the server banner read is OpenSSH's, not EVILSRV."""
    return injected(49001, lambda c: c.pkt(False, c.seq[1], c.seq[0], PSH, evil_kex()))


def inj_syn():
    """Client port 49002: the attacker's banner on a SYN|ACK|PSH segment in
    the window of the established connection: RFC 5961 4 has a challenge
    ACK sent and the segment dropped. Must hold: OpenSSH's banner."""
    return injected(49002, lambda c: c.pkt(False, c.seq[1], c.seq[0], SYN | PSH | ACK, evil_kex()))


def inj_badack():
    """Client port 49003: the attacker's banner ACKing 1,000,000 bytes the
    client never sent: RFC 9293 3.10.7.4 (SEG.ACK > SND.NXT: send an ACK,
    drop the segment), Linux's tcp_ack returns "ack of unsent data" and the
    segment is discarded. Must hold: OpenSSH's banner."""
    return injected(49003, lambda c: c.pkt(False, c.seq[1], c.seq[0] + 1000000, PSH | ACK, evil_kex()))


def inj_oldack():
    """Client port 49019: the attacker's banner ACKing 1,000,000 bytes
    before the client's ISN (older than any window: RFC 5961 5.2 has it
    dropped). Left: read (`stream_conflict`): what it is older than is
    known only from segments an injector can forge too."""
    return injected(49019, lambda c: c.pkt(False, c.seq[1], c.seq[0] - 1000000, PSH | ACK, evil_kex()))


def synack_hijack():
    """Client port 49026: after the handshake a SYN-ACK with another ISN
    and the attacker's banner after it (both far outside the client's
    window: dropped), then the real banner and session. Must hold:
    OpenSSH's banner, and the client's own data not judged untaken (the
    attacker's bytes raise the server's highest sequence number seen)."""
    c = Conn(49026)
    c.handshake()
    c.pkt(False, 900000, c.seq[0], SYN | ACK)
    c.pkt(False, 900001, c.seq[0], PSH | ACK, evil_kex())
    c.ssh()
    finish(c)
    return c.frames


def inj_ipcsum():
    """Client port 49004: the attacker's banner in an IPv4 datagram whose
    header checksum is wrong (its TCP checksum right): the IP layer drops
    it. Must hold: OpenSSH's banner."""
    def inj(c):
        c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, evil_kex())
        t, f = c.frames[-1]
        f = f[:24] + bytes([f[24] ^ 0x5A]) + f[25:]
        c.frames[-1] = (t, f)
    return injected(49004, inj)


def opened(c, before, synack_data=b""):
    """c's SYN, before(client ISN) (the stray answers), the SYN-ACK (with
    synack_data), the ACK of ISN + 1, then the session."""
    cs, ss = c.seq
    c.pkt(True, cs, 0, SYN)
    before(cs)
    c.pkt(False, ss, cs + 1, SYN | ACK, synack_data)
    c.seq = [cs + 1, ss + 1]
    c.pkt(True, cs + 1, ss + 1, ACK)
    c.ssh()
    finish(c)
    return c.frames


def synack_port():
    """Client port 49005: the SYN to 22 answered first by a SYN-ACK from
    port 2222 (the client answers it with a RST: no socket of its), then
    by the real one from 22; the session on 22. Must hold: one SSH
    connection 49005 -> 22 read to NEWKEYS; the stray SYN-ACK not joined
    to it."""
    c = Conn(49005)

    def stray(cs):
        c.dp = 2222
        c.pkt(False, 90000, cs + 1, SYN | ACK)
        c.pkt(True, cs + 1, 0, RST)
        c.dp = 22
    return opened(c, stray)


def syn_newisn():
    """Client port 49006: a SYN, then a SYN with another ISN (the client's
    stack restarted the connect), the server's SYN-ACK ACKing the second;
    the session from there. Must hold: one connection, its SSH read (both
    banners, the client's HASSH), no gap."""
    c = Conn(49006)
    c.pkt(True, 777777, 0, SYN)
    c.handshake()
    c.ssh()
    finish(c)
    return c.frames


def tw_reuse():
    """Client port 49007: a session closed with FINs both ways, then 2 s
    later (in TIME_WAIT) a new SYN on the same 4-tuple with an ISN past
    the old one (RFC 6191: accepted), a second session with other banners.
    Must hold: two connections, the first's server banner OpenSSH_9.6, the
    second's OpenSSH_9.7."""
    c = Conn(49007)
    c.handshake()
    c.ssh()
    finish(c, 2)
    n = Conn(49007, cs=c.seq[0] + 100000, ss=c.seq[1] + 300000)
    n.t = c.t + 2
    n.handshake()
    n.ssh(sban=BAN_S.replace(b"9.6", b"9.7"), cban=BAN_C.replace(b"9.6", b"9.7"))
    finish(n, 2)
    return c.frames + n.frames


def keepalive():
    """Client port 49008: after NEWKEYS, TCP keep-alives from both sides:
    one byte at the sender's next number - 1 (already ACKed) with another
    value than the byte sent there (Windows sends 0x00). The receiver drops
    it (old data) and ACKs. Must hold: no `stream_conflict` or other SSH
    anomaly; the keystrokes after them read."""
    c = Conn(49008)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, 3)
    for r in range(3):
        c.t += 50
        c.pkt(True, c.seq[0] - 1, c.seq[1], ACK, b"\x5a")
        c.pkt(False, c.seq[1], c.seq[0], ACK)
        c.pkt(False, c.seq[1] - 1, c.seq[0], ACK, b"\xa5")
        c.pkt(True, c.seq[0], c.seq[1], ACK)
    keys(c, 3, 0x40)
    c.close()
    return c.frames


def ssh15():
    """Client port 49009: an SSH-1.5 server (protocol 1 only) and an
    SSH-1.5 client, then protocol-1 binary packets (4-byte length, padding
    to 8, type, CRC): not SSH-2 packets. Must hold: read as protocol 1
    (`ssh1`), no packet_too_long or other SSH-2 packet anomaly."""
    def p1(ptype, data):
        n = 1 + len(data) + 4
        pad = 8 - n % 8
        return struct.pack("!I", n) + b"\x77" * pad + bytes([ptype]) + data + b"\x12\x34\x56\x78"
    c = Conn(49009)
    c.handshake()
    c.send(False, b"SSH-1.5-OpenSSH_3.9p1\n")
    c.send(True, b"SSH-1.5-OpenSSH_3.9p1\n")
    c.send(False, p1(2, b"\x01" * 8 + struct.pack("!I", 768) + b"\x00\x03\x01\x00\x01" + b"\xc1" * 200))
    c.send(True, p1(3, b"\x03" + b"\x01" * 8 + b"\x02" * 100))
    for i in range(5):
        c.send(True, b"\x9c" * 24)
        c.send(False, b"\x9d" * 24)
    c.close()
    return c.frames


def ecdh_rest(c, init=None, reply=None):
    """The client's init (ECDH's), the server's reply (ECDH's: an ed25519
    host key of 0x11 bytes) and NEWKEYS, the client's NEWKEYS, 3
    keystrokes, FIN."""
    init = init or ssh_packet(b"\x1e" + struct.pack("!I", 32) + b"\x44" * 32)
    reply = reply or ssh_packet(b"\x1f" + struct.pack("!I", 51) + b"\0\0\0\x0bssh-ed25519\0\0\0\x20"
                                + b"\x11" * 32 + struct.pack("!I", 32) + b"\x22" * 32 + struct.pack("!I", 83)
                                + b"\x33" * 83)
    c.send(True, init)
    c.send(False, reply + NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, 3)
    c.close()
    return c.frames


def kex_guess():
    """Client port 49010: the client's KEXINIT sets first_kex_packet_follows
    and guesses ecdh-sha2-nistp256 (its first kex name), the server prefers
    curve25519-sha256 (the negotiated one): RFC 4253 7 has the server
    ignore the guessed ECDH_INIT; the client then sends the right one.
    Must hold: no anomaly (no Terrapin, no unexpected message), the
    negotiated kex curve25519-sha256, the client's HASSH computed."""
    ck = [b"ecdh-sha2-nistp256,curve25519-sha256"] + KEX[1:]
    sk = [b"curve25519-sha256,ecdh-sha2-nistp256"] + KEX[1:]
    guess = ssh_packet(b"\x1e" + struct.pack("!I", 65) + b"\x04" + b"\x45" * 64)
    c = Conn(49010)
    c.handshake()
    c.send(False, BAN_S + kexinit(sk))
    kx = kexinit(ck)
    at = len(kx) - kx[4] - 5  # first_kex_packet_follows: the byte before the reserved uint32 and the padding
    kx = kx[:at] + b"\x01" + kx[at + 1:]
    c.send(True, BAN_C + kx + guess)
    return ecdh_rest(c)


def clear_gap():
    """Client port 49011: the server's KEXINIT segment missing from the
    capture (the client ACKs it), the rest of the session there. Must
    hold: the gap counted (missed_bytes, `gap`), the client's HASSH still
    read, the server's NEWKEYS found after the gap and its records read
    (main: the server side stopped at the gap: no NEWKEYS, outcome
    kex_incomplete, "connection ended before encryption")."""
    c = Conn(49011)
    c.handshake()
    c.send(False, BAN_S)
    k = kexinit(KEX)
    c.seq[1] += len(k)  # never captured
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c, 5)
    return c.frames


def reply_gap():
    """Client port 49027: aes128-gcm (lengths in clear: records split), the
    server's curve25519 reply lost from the capture (ACKed), its NEWKEYS
    in the next segment, then 4 keystrokes. Must hold: the server's
    NEWKEYS found (frame 11), its 4 echo records split, outcome encrypted
    (main: the server side stopped at the gap)."""
    c = Conn(49027)
    c.handshake()
    c.ssh(skex=GCM, ckex=GCM)
    c.send(True, ssh_packet(b"\x1e" + struct.pack("!I", 32) + b"\x44" * 32))
    c.seq[1] += 200  # the reply, never captured
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    for i in range(4):
        c.send(True, struct.pack("!I", 16) + bytes([i]) * 32)
        c.send(False, struct.pack("!I", 16) + bytes([i + 1]) * 32)
    c.close()
    return c.frames


def newkeys_gap():
    """Client port 49028: the server's KEXINIT and NEWKEYS both lost from
    the capture (ACKed), then 600 KB of its encrypted records. Must hold:
    `gap`, the server side looked through for NEWKEYS no further than
    SD_SSH_RESYNC_MAX (256 KiB) and then stopped (no record of it read, no
    NEWKEYS found in the ciphertext), the client's side read."""
    c = Conn(49028)
    c.handshake()
    c.send(False, BAN_S)
    c.seq[1] += len(kexinit(KEX)) + len(NEWKEYS)
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    c.send(True, NEWKEYS)
    c.send(False, bytes((k * 131 + 7) & 0xFF for k in range(600000)))
    c.close()
    return c.frames


def port22_client():
    """Client 10.7.0.1 port 22 -> server 10.7.0.2 port 2222 (a client bound
    to 22): the SYN says who the client is. Must hold: orig port 22, resp
    port 2222, the client's banner OpenSSH_8.9 on the client side."""
    c = Conn(22, dp=2222)
    c.handshake()
    c.ssh(cban=BAN_C.replace(b"9.6", b"8.9"))
    finish(c)
    return c.frames


def ng_mixed():
    """pcapng, client port 49012: one session over three interfaces of
    three link types and time bases: Ethernet in nanoseconds (if_tsresol
    9), LINUX_SLL2 in 2^-20 s (if_tsresol 0x94) with if_tsoffset 0, raw
    IPv4 (228) in microseconds with if_tsoffset 3600 s (its timestamps
    written 3600 s early), frames round the three 1 ms apart. Must hold:
    one connection of every frame, no time-back warning, its duration the
    frames' span to the microsecond."""
    c = Conn(49012)
    c.handshake()
    c.ssh()
    finish(c)
    mac = b"\x00\x11\x22\x33\x44\x55\0\0"
    parts = [shb(), idb_snap(1, 0, opt(9, b"\x09")), idb_snap(276, 0, opt(9, b"\x94") + opt(14, struct.pack("<q", 0))),
             idb_snap(228, 0, opt(14, struct.pack("<q", 3600)))]
    for k, (t, f) in enumerate(c.frames):
        t = T0 + 0.001 * (k + 1)
        i = k % 3
        if i == 0:
            parts.append(epb(f, 0, round(t * 10**9)))
        elif i == 1:
            parts.append(epb(struct.pack("!HHIHBB8s", 0x0800, 0, 1, 1, 0, 6, mac) + f[14:], 1, round(t * 2**20)))
        else:
            parts.append(epb(f[14:], 2, round((t - 3600) * 10**6)))
    return b"".join(parts), len(c.frames)


def pcap_be_nano():
    """Big-endian nanosecond classic pcap (magic a1b23c4d written MSB
    first), client port 49013, LINKTYPE_IPV6 (229): the session over IPv6,
    frames 1 ms + 1 ns apart. Must hold: one IPv6 SSH connection, read to
    NEWKEYS, duration to the nanosecond in packets' times."""
    c = Conn(49013, v6=True)
    c.handshake()
    c.ssh()
    finish(c)
    recs = []
    for k, (_, f) in enumerate(c.frames):
        ns = (k + 1) * 1000001
        recs.append((T0 + ns // 10**9, ns % 10**9, len(f) - 14, len(f) - 14, f[14:]))
    return pcap([], link=229, magic=0xA1B23C4D, endian=">", recs=recs)


def ip6_frag_chain(sp, atomic):
    """A session over IPv6 whose server banner+KEXINIT segment goes in a
    hop-by-hop, a routing header (type 2... segments left 0), a destination
    options header and fragment header(s): two fragments (offset 0 and 48),
    or one atomic fragment (offset 0, M 0: RFC 6946)."""
    c = Conn(sp, v6=True)
    c.handshake()
    data = BAN_S + kexinit(KEX)
    seg = tcp_seg(SRV6, CLI6, 22, sp, c.seq[1], c.seq[0], PSH | ACK, data)
    hbh = struct.pack("!BB", 43, 0) + b"\x01\x04\0\0\0\0"
    rth = struct.pack("!BBBB", 60, 0, 0, 0) + b"\0" * 4
    dst = struct.pack("!BB", 44, 0) + b"\x01\x04\0\0\0\0"
    ident = 0x1400 + sp
    pieces = [(0, seg, False)] if atomic else [(0, seg[:48], True), (48, seg[48:], False)]
    for off, body, more in pieces:
        fh = struct.pack("!BBHI", 6, 0, off | (1 if more else 0), ident)
        c.t += 0.001
        c.frames.append((c.t, eth(ip6(SRV6, CLI6, 0, hbh + rth + dst + fh + body), 0x86DD)))
    c.seq[1] += len(data)
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    c.send(True, BAN_C + kexinit(KEX))
    finish(c)
    return c.frames


def ip6_chain():
    """Client ports 49014 (two fragments) and 49015 (an atomic fragment):
    the server's banner and KEXINIT behind hop-by-hop, routing,
    destination options and fragment headers. Must hold: both SSH
    connections read to NEWKEYS with the server's banner."""
    f = ip6_frag_chain(49014, False) + ip6_frag_chain(49015, True)
    f.sort(key=lambda x: x[0])
    return write(f)


def banner_lines():
    """Client port 49016: the server sends 3 lines before its banner, every
    byte of lines and banner in its own segment, the banner's CR and LF
    apart; the client's banner in 2-byte segments. Must hold: the server
    banner OpenSSH_9.6, the client's, both KEXINITs (HASSH)."""
    c = Conn(49016)
    c.handshake()
    c.send(False, b"Hello\r\nplease wait\r\nSSH is next\r\n" + BAN_S, mss=1)
    c.send(False, kexinit(KEX))
    c.send(True, BAN_C, mss=2)
    c.send(True, kexinit(KEX))
    finish(c)
    return c.frames


def ts_back_iface():
    """pcapng, client port 49017: two interfaces, both Ethernet, the second
    with if_tsoffset -5 s and its timestamps written 5 s late, so the times
    are in order once offset. Must hold: no time-back warning, the
    connection's duration under a second."""
    c = Conn(49017)
    c.handshake()
    c.ssh()
    finish(c)
    parts = [shb(), idb_snap(1, 0), idb_snap(1, 0, opt(14, struct.pack("<q", -5)))]
    for k, (t, f) in enumerate(c.frames):
        us = (T0 * 10**6) + 1000 * (k + 1)
        parts.append(epb(f, k % 2, us + (5 * 10**6 if k % 2 else 0)))
    return b"".join(parts)


def ack_only_hole():
    """Client port 49018: after NEWKEYS, a server record whose first 10
    bytes are missing from the capture (a hole ACKed by the client), then
    the rest of the session. Must hold: missed_bytes 10 on the server's
    side, one connection, keystrokes after it seen."""
    c = Conn(49018)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, 2)
    rec = b"\x7e" * 36
    c.seq[1] += 10
    c.pkt(False, c.seq[1], c.seq[0], PSH | ACK, rec[10:])
    c.seq[1] += 26
    c.pkt(True, c.seq[0], c.seq[1], ACK)
    keys(c, 3, 0x30)
    c.close()
    return c.frames


def seq_at_isn():
    """Client port 49020: the attacker's banner one byte longer, sent at
    the server's ISN (the SYN's own number, no SYN flag): the receiver
    trims the byte before its next number and takes the rest, so that it
    reads `SSH-2.0-EVILSRV_1.0`; the real banner after it is a
    retransmission with other bytes. Must hold: strider reads what the
    receiver read (EVILSRV) and flags `stream_conflict`."""
    def inj(c):
        c.pkt(False, c.seq[1] - 1, c.seq[0], PSH | ACK, b"X" + evil_kex())
    return injected(49020, inj)


def synack_data_unacked():
    """Client port 49021: the server's SYN-ACK carries the attacker's
    banner, the client ACKs only ISN + 1 (it dropped the data: RFC 7413 has
    no server data before the client's ACK), then the server's real
    banner at ISN + 1. Must hold: OpenSSH's banner."""
    c = Conn(49021)
    return opened(c, lambda cs: None, evil_kex())


def eth_pad():
    """Client port 49022: every frame padded to at least 60 bytes with
    0x50 bytes after the IPv4 datagram (Ethernet's minimum, bytes no
    receiver reads), keystrokes of 1 byte. Must hold: no padding byte in
    the stream (extract's client file is the banner, the KEXINIT, NEWKEYS
    and 6 bytes of keys)."""
    c = Conn(49022)
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    for i in range(6):
        c.send(True, bytes([0x61 + i]))
        c.send(False, bytes([0x61 + i]))
    c.close()
    return [(t, f + b"\x50" * (60 - len(f))) for t, f in c.frames]


def early_newkeys():
    """Client port 49023: the server sends NEWKEYS right after its KEXINIT,
    before any key exchange (a client's OpenSSH answers an unexpected
    message with UNIMPLEMENTED and goes on), then the real exchange:
    ECDH init, reply, NEWKEYS both ways. Must hold: the early NEWKEYS
    flagged, the exchange after it still read (kex curve25519-sha256, the
    host key's fingerprint)."""
    c = Conn(49023)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX) + NEWKEYS)
    c.send(True, BAN_C + kexinit(KEX))
    return ecdh_rest(c)


def early_newkeys_gex():
    """Client port 49024: a DH-GEX exchange whose client sends NEWKEYS
    right after its KEXINIT, before its request (34), then the exchange
    (34, 31, 32, 33) and NEWKEYS both ways. Must hold: the client's early
    NEWKEYS flagged as a message before NEWKEYS from the client, its real
    NEWKEYS the one after the server's reply, the host key read."""
    gex = [b"diffie-hellman-group-exchange-sha256"] + KEX[1:]
    req = ssh_packet(b"\x22" + struct.pack("!III", 2048, 3072, 8192))
    group = ssh_packet(b"\x1f" + struct.pack("!I", 256) + b"\x00\xff" * 128 + struct.pack("!I", 1) + b"\x02")
    init = ssh_packet(b"\x20" + struct.pack("!I", 256) + b"\x55" * 256)
    reply = ssh_packet(b"\x21" + struct.pack("!I", 51) + b"\0\0\0\x0bssh-ed25519\0\0\0\x20" + b"\x11" * 32
                       + struct.pack("!I", 256) + b"\x66" * 256 + struct.pack("!I", 83) + b"\x33" * 83)
    c = Conn(49024)
    c.handshake()
    c.send(False, BAN_S + kexinit(gex))
    c.send(True, BAN_C + kexinit(gex) + NEWKEYS + req)
    c.send(False, group)
    return ecdh_rest(c, init, reply)


def nflog(ip, e="<"):
    """An NFLOG record (tcpdump.org's LINKTYPE_NFLOG): AF_INET, version 0,
    resource id 0; a prefix TLV (type 10) of 5 bytes padded to 8, then
    the payload TLV (9); TLV lengths and types in byte order e."""
    pfx = struct.pack(e + "HH", 9, 10) + b"evil\0" + b"\0" * 3
    return struct.pack("!BBH", 2, 0, 0) + pfx + struct.pack(e + "HH", 4 + len(ip), 9) + ip


def ng_links14():
    """pcapng, client port 49025: one session over PPP (9), PPP in HDLC
    framing (50, 0xff 0x03 before the protocol), Cisco HDLC (104), NFLOG
    (239) written little-endian and big-endian, round the frames; then
    NFLOG records cut in a TLV header, with a TLV longer than the record
    and with no payload TLV. Must hold: one connection of every session
    frame (tshark: the same), read to NEWKEYS; the bad records said, no
    crash."""
    c = Conn(49025)
    c.handshake()
    c.ssh()
    finish(c)
    links = [(9, lambda ip: b"\x00\x21" + ip), (50, lambda ip: b"\xff\x03\x00\x21" + ip),
             (104, lambda ip: b"\x0f\x00\x08\x00" + ip), (239, nflog), (239, lambda ip: nflog(ip, ">"))]
    parts = [shb()] + [idb_snap(link, 0) for link, _ in links]
    ts = T0 * 10**6
    for k, (_, f) in enumerate(c.frames):
        ts += 1000
        parts.append(epb(links[k % len(links)][1](f[14:]), k % len(links), ts))
    for bad in (b"\x02\x00\x00\x00\x08", b"\x02\x00\x00\x00\xff\x00\x09\x00abcd", b"\x02\x00\x00\x00\x08\x00\x0a\x00abcd"):
        ts += 1000
        parts.append(epb(bad, 3, ts))
    return b"".join(parts)


CASES = {
    "inj_noack.pcap": lambda: write(inj_noack()),
    "inj_syn.pcap": lambda: write(inj_syn()),
    "inj_badack.pcap": lambda: write(inj_badack()),
    "inj_oldack.pcap": lambda: write(inj_oldack()),
    "synack_hijack.pcap": lambda: write(synack_hijack()),
    "inj_ipcsum.pcap": lambda: write(inj_ipcsum()),
    "synack_port.pcap": lambda: write(synack_port()),
    "syn_newisn.pcap": lambda: write(syn_newisn()),
    "tw_reuse.pcap": lambda: write(tw_reuse()),
    "keepalive.pcap": lambda: write(keepalive()),
    "ssh15.pcap": lambda: write(ssh15()),
    "kex_guess.pcap": lambda: write(kex_guess()),
    "clear_gap.pcap": lambda: write(clear_gap()),
    "reply_gap.pcap": lambda: write(reply_gap()),
    "newkeys_gap.pcap": lambda: write(newkeys_gap()),
    "port22_client.pcap": lambda: write(port22_client()),
    "ng_mixed.pcapng": lambda: ng_mixed()[0],
    "be_nano.pcap": pcap_be_nano,
    "ip6_chain.pcap": ip6_chain,
    "banner_lines.pcap": lambda: write(banner_lines()),
    "ts_back_iface.pcapng": ts_back_iface,
    "ack_hole.pcap": lambda: write(ack_only_hole()),
    "seq_at_isn.pcap": lambda: write(seq_at_isn()),
    "synack_data.pcap": lambda: write(synack_data_unacked()),
    "eth_pad.pcap": lambda: write(eth_pad()),
    "early_newkeys.pcap": lambda: write(early_newkeys()),
    "early_newkeys_gex.pcap": lambda: write(early_newkeys_gex()),
    "ng_links14.pcapng": ng_links14,
}


def seeds(repo):
    """This round's fuzz seeds: for the whole pipeline the untaken
    injections (no ACK, a SYN in the window), the early NEWKEYS and the
    new link types; for the decoder a frame of each new link type; for
    the SSH parser a gap before a NEWKEYS."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pipeline/r14_inj_noack.pcap": write(inj_noack()),
                         "fuzz_pipeline/r14_inj_syn.pcap": write(inj_syn()),
                         "fuzz_pipeline/r14_early_newkeys.pcap": write(early_newkeys()),
                         "fuzz_pipeline/r14_ng_links14.pcapng": ng_links14()})
    # fuzz_ssh: a hint byte, then feed records (control byte: direction and
    # length - 1 of up to 127 bytes) and gaps (0xff, direction | length << 1):
    # the server's banner, a gap over its KEXINIT, NEWKEYS, a record
    def feed(d, data):
        return b"".join(bytes([(len(data[k:k + 100]) - 1) << 1 | d]) + data[k:k + 100] for k in range(0, len(data), 100))
    sshseed = (b"\x00" + feed(1, BAN_S) + b"\xff" + bytes([1 | 80 << 1]) + feed(1, NEWKEYS)
               + feed(1, struct.pack("!I", 16) + b"\x01" * 32) + feed(0, BAN_C + kexinit(KEX)))
    os.makedirs(os.path.join(repo, "fuzz/seeds/fuzz_ssh"), exist_ok=True)
    genmain.write_files(os.path.join(repo, "fuzz/seeds/fuzz_ssh"), {"r14_gap_resync": sshseed})
    # fuzz_decode: the first byte picks the link type (its link_types[] index)
    ip = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 49025, 22, 1, 2, PSH | ACK, BAN_C))
    genmain.write_files(os.path.join(repo, "fuzz/seeds/fuzz_decode"),
                        {"ppp": b"\x0b\x00\x21" + ip, "ppp_hdlc": b"\x0c\xff\x03\x00\x21" + ip,
                         "chdlc": b"\x0d\x0f\x00\x08\x00" + ip, "nflog_le": b"\x0e" + nflog(ip),
                         "nflog_be": b"\x0e" + nflog(ip, ">")})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
