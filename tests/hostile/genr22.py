#!/usr/bin/env python3
"""Hostile classes, round 22, written at test time: `genr22.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. tests/hostile/t_round22.sh checks what each docstring says
must hold. Classes no round had (checked by grepping genr*.py): a bare SYN
with another ISN in the middle of an established session (RFC 5961 4.2's
challenge ACK); a retried SYN whose options differ from the first's (window
scaling on only in the one the server answered); an SSH client whose source
port is 22, picked up mid-stream; a connection from an address and port to
themselves (a TCP self-connect, or a LAND packet)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, SYN, Conn  # noqa: E402
from genfmt import BAN_C, BAN_S, CLI, KEX, SRV, eth, ip4, kexinit, tcp_seg  # noqa: E402
from genr16 import finish, mid_conn, mid_keys, write  # noqa: E402

STRICT_C = [KEX[0] + b",ext-info-c,kex-strict-c-v00@openssh.com"] + KEX[1:]
STRICT_S = [KEX[0] + b",kex-strict-s-v00@openssh.com"] + KEX[1:]


# -- (a) SYNs that are not a new connection ----------------------------------

def syn_mid(sp, c2s, answer_synack=False):
    """A session to NEWKEYS and 3 keystrokes, then a bare SYN with another
    ISN from one side's address and port (the client's with c2s), answered
    by the other with a challenge ACK (RFC 5961 4.2: any SYN on a
    synchronized connection; Linux's tcp_validate_incoming), then 3 more
    keystrokes and the close; with answer_synack, answered instead by a
    SYN-ACK (the receiver had lost the old connection: a reuse) and a
    new handshake's ACK."""
    c = Conn(sp)
    c.handshake()
    c.ssh()
    finish(c, n=0)
    c.frames = c.frames[:-3]  # finish's close: the session goes on
    mid_keys(c, 3)
    c.t += 1
    c.pkt(c2s, 0x5EED0000, 0, SYN)
    if answer_synack:
        c.pkt(not c2s, 0x7777, 0x5EED0001, SYN | ACK)
        c.pkt(c2s, 0x5EED0001, 0x7778, ACK)
        return write(c.frames)
    c.pkt(not c2s, c.seq[0 if c2s else 1], c.seq[1 if c2s else 0], ACK)  # the challenge ACK
    mid_keys(c, 3)
    c.close()
    return write(c.frames)


def syn_mid_session():
    """Client port 49801: syn_mid's blind SYN from the client's address and
    port. Must hold: the split said on stderr with the SYN's frame (21);
    the first connection's SSH read (client_enc_records 3). Left: the
    rest is a second, mid-stream connection, not read as SSH, as
    Wireshark numbers the streams (docs/known-issues.md). main: silent."""
    return syn_mid(49801, True)


def syn_mid_server():
    """Client port 49806: the same SYN from the server's address and port.
    Must hold: as syn_mid_session. main: silent."""
    return syn_mid(49806, False)


def syn_reuse_open():
    """Client port 49807: the same SYN from the client, answered by a
    SYN-ACK (the server had lost the connection; tcpflow's bug5.pcap has
    one such, 3 hours on). Must hold: two connections, nothing said."""
    return syn_mid(49807, True, answer_synack=True)


def opt_wscale(shift):
    return b"\x01\x03\x03" + bytes([shift])


def frame(c2s, sp, seq, ack, flags, data=b"", opts=b"", win=65535):
    s, d = (CLI, SRV) if c2s else (SRV, CLI)
    a, b = (sp, 22) if c2s else (22, sp)
    return eth(ip4(s, d, 6, tcp_seg(s, d, a, b, seq, ack, flags, data, opts=opts, win=win)))


def syn_retry_wscale():
    """Client port 49802: a SYN without options (ISN 777777), then a retry
    with another ISN and window scale 7 (a SYN cookie's or a middlebox's
    rewrite lost; a client's stack that restarted the connect), the
    server's SYN-ACK ACKing the retry with window scale 7 and a window of
    512 (64 KiB scaled); the client then sends its banner and a 6,000-byte
    KEXINIT before the server's first ACK. Scaling is on (RFC 7323 2.2:
    both SYNs of the handshake carried the option). Must hold: the
    client's HASSH read, no byte out of the window."""
    sp, t, out = 49802, 1700000000.0, []
    cs, ss = 2000, 9000

    def add(f):
        nonlocal t
        t += 0.001
        out.append((t, f))
    add(frame(True, sp, 777777, 0, SYN))
    add(frame(True, sp, cs, 0, SYN, opts=opt_wscale(7)))
    add(frame(False, sp, ss, cs + 1, SYN | ACK, opts=opt_wscale(7), win=512))
    cs, ss = cs + 1, ss + 1
    add(frame(True, sp, cs, ss, ACK, win=512))
    sb = BAN_S + kexinit(KEX)
    add(frame(False, sp, ss, cs, PSH | ACK, sb, win=512))
    ss += len(sb)
    big = [KEX[0] + b"," + b",".join(b"name-%04d@x" % i for i in range(450))] + KEX[1:]
    cb = BAN_C + kexinit(big)
    for k in range(0, len(cb), 1400):
        add(frame(True, sp, cs + k, ss, PSH | ACK, cb[k:k + 1400], win=512))
    cs += len(cb)
    add(frame(False, sp, ss, cs, ACK, win=512))
    return write(out)


# -- (b) roles ----------------------------------------------------------------

def mid_srcport22():
    """Client 10.7.0.1:22 -> server 10.7.0.2:2200 (a client bound to port
    22, as `ssh -b` with a privileged port or a NAT's rewrite), picked up
    mid-stream before the banners: the server's banner first, then the
    client's, the client's KEXINIT with ext-info-c and kex-strict-c, the
    server's with kex-strict-s, then NEWKEYS and keystrokes. Must hold:
    10.7.0.1 the client (id.orig_h), hassh the client's list's (the
    markers' roles, not the port, say who is who)."""
    c = mid_conn(22, dp=2200)
    c.send(False, BAN_S)
    c.send(True, BAN_C)
    c.send(False, kexinit(STRICT_S))
    c.send(True, kexinit(STRICT_C))
    finish(c)
    return write(c.frames)


def self_connect():
    """10.7.0.1:40022 -> 10.7.0.1:40022: a TCP self-connect (a client's
    ephemeral port equal to the port it connects to on its own address;
    Linux allows it: one socket in simultaneous open with itself), both
    SYNs, both SYN-ACKs, then one side's banner and KEXINIT, which are both
    sides' bytes at once. Must hold: no crash, one connection."""
    a = CLI
    out, t, s = [], 1700000000.0, 5000

    def add(seq, ack, flags, data=b""):
        nonlocal t
        t += 0.001
        out.append((t, eth(ip4(a, a, 6, tcp_seg(a, a, 40022, 40022, seq, ack, flags, data)))))
    add(s, 0, SYN)
    add(s, 0, SYN)
    add(s, s + 1, SYN | ACK)
    add(s, s + 1, SYN | ACK)
    d = BAN_C + kexinit(KEX)
    add(s + 1, s + 1, PSH | ACK, d)
    add(s + 1, s + 1, PSH | ACK, d)
    add(s + 1 + len(d), s + 1 + len(d), ACK)
    return write(out)


CASES = [syn_mid_session, syn_mid_server, syn_reuse_open, syn_retry_wscale, mid_srcport22, self_connect]

if __name__ == "__main__":
    genmain.run(CASES)  # genr22.py DIR
