#!/usr/bin/env python3
"""Hostile classes, round 9, written at test time: `genr9.py DIR` writes
each case below into DIR as NAME.pcap; `genr9.py seeds REPO` this round's
fuzz seeds into REPO/fuzz/seeds. Every connection is 10.7.0.1:PORT ->
10.7.0.2:22 unless said. tests/hostile/t_round9.sh runs every command and
output format on each under the memory limit and checks what each
docstring says must hold."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import ACK, EVIL_KEX, FIN, NEWKEYS, PSH, RST, Conn, write  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, eth, ip4, kexinit  # noqa: E402
from genr3 import client_hello, ssh_session  # noqa: E402
from genr4 import NG_T0, epb, idb_snap  # noqa: E402
from genr8 import spb  # noqa: E402
from genfmt import shb  # noqa: E402
import genmain  # noqa: E402

QUIET = 40  # seconds without a packet of the connection: past the 30 s a closed one lingers


def keys(c, n, tag=0):
    """n keystroke-sized records from the client, each echoed."""
    for i in range(n):
        c.send(True, bytes([tag + i & 0xFF]) * 36)
        c.send(False, bytes([tag + i & 0xFF]) * 36)


def quiet(c, secs=QUIET):
    """secs of the connection's silence, other traffic (a UDP datagram
    every 5 s) going on, so that the flow table's sweeps run."""
    for _ in range(secs // 5):
        c.t += 5
        c.frames.append((c.t, eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 5353, 5354, 9, 0) + b"q"))))


def to_keys(sp, n, conn=None):
    """An SSH connection (conn, else a Conn) to NEWKEYS and n keystrokes."""
    return genmain.to_keys(conn or Conn(sp), keys, n)


def rst_session(sp, rst, after=True):
    """An SSH session to 4 keystrokes; then rst(c) sends the RSTs; then,
    after QUIET s, 10 more keystrokes and FIN (unless not after)."""
    c = to_keys(sp, 4)
    rst(c)
    if after:
        quiet(c)
        keys(c, 10, 0x40)
        c.close()
    return write(c.frames)


def rst_blind():
    """Client port 49101: a blind attacker posing as the server sends 64
    RSTs at sequence numbers spread over the client's 64 KB window (1000
    apart from the server's next + 1), the client answers each with a
    challenge ACK (RFC 5961 3.2); 40 s of quiet; the session goes on (10
    keystrokes, FIN). Must hold: one TCP connection of every frame (main:
    closed at the first RST, so the rest after the 30 s linger was a second,
    mid-stream connection and `ssh` lost its records), `rst_challenged` 64
    with the first RST's frame, `rst-challenged` in `packets`, no
    `after-rst` chunk in `follow`; Zeek's RSTR and history kept."""
    def rst(c):
        for k in range(64):
            c.pkt(False, c.seq[1] + 1 + 1000 * k, 0, RST)
            c.pkt(True, c.seq[0], c.seq[1], ACK)
    return rst_session(49101, rst)


def rst_exact():
    """Client port 49102: the same with one RST at exactly the server's
    next sequence number (an on-path attacker, or the server). Must hold
    (since round 12): one connection, `rst_untaken` 1: the session going on
    in the same sequence spaces 40 s later shows the RST was not taken
    (before, the 30 s linger made the rest another, mid-stream one)."""
    def rst(c):
        c.pkt(False, c.seq[1], 0, RST)
    return rst_session(49102, rst)


def rst_inserted():
    """Client port 49104: an exact RST from the client that never reached
    the server (its TTL ran out past the capture point), 3 keystrokes the
    server ACKs (past the RST), then 40 s of quiet and the rest. Must hold:
    one connection of every frame, `rst_untaken` 1 with the frame of the
    server's first ACK past the RST, `ssh` to the last frame (main: closed
    at the RST, so the pause made the rest a second, mid-stream connection
    with no SSH)."""
    def rst(c):
        c.pkt(True, c.seq[0], 0, RST)
        keys(c, 3, 0x30)
    return rst_session(49104, rst)


def rst_confirmed():
    """Client port 49103: a server that really resets, seen early by the
    capture point: its RST is 36 bytes past what the capture holds (a
    segment the capture missed), the client's challenge ACK, then the
    server's RST at the ACKed number; nothing after. Must hold: the
    connection ends at the second RST (`rst_challenged` 1, the first's
    frame), RSTR."""
    def rst(c):
        c.pkt(False, c.seq[1] + 36, c.seq[0], RST | ACK)
        c.pkt(True, c.seq[0], c.seq[1], ACK)
        c.pkt(False, c.seq[1], 0, RST)
    return rst_session(49103, rst, after=False)


def split_hello():
    """TLS on 443, client ports 49111-49113: a ClientHello naming
    evade.example sent one byte a segment (the 258 bytes in 258 segments);
    then one whose first segment holds 6 bytes, the rest one byte a
    segment; then one byte a segment with a server's empty ACK and a
    retransmitted byte between. Must hold: each named `ssl` with SNI
    evade.example (main: the first had no service, the others none past
    the 6th segment)."""
    frames = []
    hello = client_hello(b"evade.example", b"h2")
    for sp, first in ((49111, 1), (49112, 6), (49113, 1)):
        c = Conn(sp, dp=443)
        c.handshake()
        c.send(True, hello[:first], acked=False)
        for k in range(first, len(hello)):
            c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, hello[k:k + 1])
            c.seq[0] += 1
            if sp == 49113 and k % 50 == 0:
                c.pkt(False, c.seq[1], c.seq[0], ACK)
                c.pkt(True, c.seq[0] - 1, c.seq[1], PSH | ACK, hello[k:k + 1])
        c.pkt(False, c.seq[1], c.seq[0], ACK)
        c.close()
        frames += c.frames
    return write(sorted(frames, key=lambda x: x[0]))


def split_banner():
    """SSH on port 2222 (no port hint), client port 49121: both banners
    and KEXINITs one byte a segment, each ACKed; NEWKEYS, keys, FIN.
    Must hold: `ssh` service, both banners, the KEXINITs read."""
    c = Conn(49121, dp=2222)
    c.handshake()
    c.send(False, BAN_S + kexinit(KEX), mss=1)
    c.send(True, BAN_C + kexinit(KEX), mss=1)
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, 3)
    c.close()
    return write(c.frames)


def split_http():
    """HTTP on port 8080, client port 49131: `GET /evil HTTP/1.1` with
    Host evade.example one byte a segment. Must hold: `http` with host
    evade.example and URI /evil."""
    c = Conn(49131, dp=8080)
    c.handshake()
    c.send(True, b"GET /evil HTTP/1.1\r\nHost: evade.example\r\nUser-Agent: x\r\n\r\n", mss=1)
    c.send(False, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    c.close()
    return write(c.frames)


def split_big():
    """Ports 443 and 80, client ports 49141-49143: a ClientHello record
    claiming 16,000 bytes whose first segment holds 9,000 (past the 8 KiB
    collected), the rest in 1,000-byte segments; an HTTP request head of
    6,000 bytes, Host last, in one 5,000-byte segment and then one byte a
    segment; the same head with its first 3 bytes alone. Must hold: no
    crash or sanitizer report (the copies stay within the caps); `ssl`
    and `http` named."""
    frames = []
    body = b"\x03\x03" + b"\x22" * 32 + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00"
    body += struct.pack("!H", 15995 - len(body) - 2 - 4 - 2) + b"\xfe\xfe" + struct.pack("!H", 15995 - len(body) - 2 - 4 - 2 - 4)
    body += b"\0" * (15995 - len(body) - 4)
    hello = b"\x16\x03\x01" + struct.pack("!H", 15995) + b"\x01" + struct.pack("!I", len(body))[1:] + body
    c = Conn(49141, dp=443)
    c.handshake()
    c.send(True, hello[:9000], mss=9000)
    c.send(True, hello[9000:], mss=1000)
    c.close()
    frames += c.frames
    head = b"GET /big HTTP/1.1\r\nX-Pad: " + b"a" * 5950 + b"\r\nHost: big.example\r\n\r\n"
    for sp, first in ((49142, 5000), (49143, 3)):
        c = Conn(sp, dp=80)
        c.handshake()
        c.send(True, head[:first], mss=first)
        c.send(True, head[first:first + 200], mss=1)
        c.send(True, head[first + 200:], mss=1400)
        c.close()
        frames += c.frames
    return write(sorted(frames, key=lambda x: x[0]))


def after_close():
    """Client ports 49201 and 49202: the server's banner and KEXINIT, the
    client's banner, then the client's FIN (ACKed) or an exact RST, and
    after it a KEXINIT of evil-* names the server never reads (a client
    planting another HASSH, or an injection after the close). Must hold:
    no client HASSH or evil name from it, `data_after_close` with its 144
    bytes (main: the HASSH of the evil KEXINIT, no anomaly)."""
    frames = []
    for sp, close in ((49201, FIN | ACK), (49202, RST)):
        c = Conn(sp)
        c.handshake()
        c.send(False, BAN_S + kexinit(KEX))
        c.send(True, BAN_C)
        c.pkt(True, c.seq[0], c.seq[1], close)
        if close & FIN:
            c.seq[0] += 1
            c.pkt(False, c.seq[1], c.seq[0], ACK)
        c.pkt(True, c.seq[0], c.seq[1], PSH | ACK, kexinit(EVIL_KEX))
        if close & FIN:
            c.pkt(False, c.seq[1], c.seq[0], FIN | ACK)
        frames += c.frames
    return write(sorted(frames, key=lambda x: x[0]))


def close_inserted():
    """Client ports 49211 (FIN) and 49212 (RST): an SSH session to NEWKEYS
    and 2 keystrokes, then the client's FIN (or a RST at its next number)
    that never reached the server (a TTL run out past the capture point,
    Ptacek & Newsham's insertion: the server does not ACK it), then the
    session goes on from the same sequence number (20 keystrokes, each
    ACKed and echoed) and closes. Must hold: every record read, the 20
    keystrokes after the FIN or RST too (`data_after_close` says the
    receiver ACKed past it); no byte said unread."""
    frames = []
    for sp, close in ((49211, FIN | ACK), (49212, RST)):
        c = to_keys(sp, 2)
        c.pkt(True, c.seq[0], c.seq[1], close)
        keys(c, 20, 0x20)
        c.close()
        frames += c.frames
    return write(sorted(frames, key=lambda x: x[0]))


def after_close_big():
    """Client port 49221: the client's FIN (ACKed) after NEWKEYS, then
    2,000 one-byte segments and 80 1,000-byte ones past it, never ACKed
    (past the hold's 1,024 chunks and 64 KiB). Must hold: memory bounded,
    `data_after_close` counting all 82,000 bytes."""
    c = to_keys(49221, 2)
    c.pkt(True, c.seq[0], c.seq[1], FIN | ACK)
    c.seq[0] += 1
    c.pkt(False, c.seq[1], c.seq[0], ACK)
    for k in range(2000):
        c.pkt(True, c.seq[0] + k, c.seq[1], PSH | ACK, b"x")
    for k in range(80):
        c.pkt(True, c.seq[0] + 2000 + 1000 * k, c.seq[1], PSH | ACK, bytes(1000))
    c.pkt(False, c.seq[1], c.seq[0], FIN | ACK)
    return write(c.frames)


def spb_lead(sp, lead):
    """pcapng, client ports 49231-49233: an SSH session whose first `lead`
    frames are Simple Packet Blocks before any timed packet, the rest EPBs
    1 ms apart from NG_T0: spb_lead 3 (the handshake), spb_lead70 70 (past
    the 64 held), spb_only all of them. Must hold: spb_lead's SPBs dated at
    its first EPB (duration 0.170 s; main: 1970, 53 years); spb_lead70's 70
    at 1970 in their order (the hold gave up at the 65th); spb_only's at
    1970; each counted and said."""
    f = [x for _, x in ssh_session(sp, keys=40).frames]
    parts = [shb(), idb_snap(1, 262144)]
    for k, x in enumerate(f):
        parts.append(spb(x) if k < lead else epb(x, 0, NG_T0 + k * 1000))
    return b"".join(parts)


CASES = {"rst_blind.pcap": rst_blind, "rst_exact.pcap": rst_exact, "rst_inserted.pcap": rst_inserted, "rst_confirmed.pcap": rst_confirmed,
         "split_hello.pcap": split_hello, "split_banner.pcap": split_banner, "split_http.pcap": split_http,
         "split_big.pcap": split_big,
         "after_close.pcap": after_close,
         "close_inserted.pcap": close_inserted,
         "after_close_big.pcap": after_close_big,
         "spb_lead.pcapng": lambda: spb_lead(49231, 3), "spb_lead70.pcapng": lambda: spb_lead(49232, 70),
         "spb_only.pcapng": lambda: spb_lead(49233, 10**6)}


def seeds(repo):
    """This round's fuzz seeds: the TCP and SSH cases for the whole
    pipeline, the leading Simple Packet Blocks for the file reader."""
    seeds = {"fuzz_pipeline/r9_" + n: fn() for n, fn in CASES.items() if not n.startswith("spb_")}
    seeds["fuzz_pcapfile/r9_spb_lead.pcapng"] = spb_lead(49231, 3)
    seeds["fuzz_pcapfile/r9_spb_lead70.pcapng"] = spb_lead(49232, 70)
    genmain.write_files(os.path.join(repo, "fuzz/seeds"), seeds)


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
