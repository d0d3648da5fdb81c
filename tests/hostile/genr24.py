#!/usr/bin/env python3
"""Hostile classes, round 24, written at test time: `genr24.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
(IPv6: ::1 -> ::2) unless said. tests/hostile/t_round24.sh checks what each
docstring says must hold. Classes no round had (checked by grepping
genr*.py and the README's tables): control segments (RST, FIN, SYN, a RST
with data) in the middle of an SSH session inside IP datagrams their
receiver discards for their options (round 23 left them); control
segments at a TTL too small to reach their receiver; a SYN answered by
two SYN-ACKs with different ISNs, the client ACKing either."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, NEWKEYS, PSH, RST, SYN  # noqa: E402
from genfmt import BAN_C, BAN_S, KEX, kexinit  # noqa: E402
from genr16 import mid_keys, rnd, write  # noqa: E402
from genr21 import with_ttl  # noqa: E402
from genr23 import DST_DISCARD, LSRR_DONE, RR_BADLEN, OptConn, ip6x, v4opts  # noqa: E402

KEYS = 3  # keystrokes before and after the control segment


def session(sp, v6=False, t=None):
    """An SSH session to its keystrokes: handshake, banners and KEXINITs,
    NEWKEYS both ways, KEYS keystrokes (each echoed and ACKed)."""
    c = OptConn(sp, v6=v6)
    if t is not None:
        c.t = t
    return genmain.to_keys(c, mid_keys, KEYS)


def rest(c):
    """KEYS more keystrokes, then the close (FIN both ways)."""
    mid_keys(c, KEYS)
    c.close()
    return c.frames


# -- (a) control segments in datagrams their receiver discards ---------------

def ctl_discard():
    """Mid-session, after 3 keystrokes, a control segment at the right
    sequence number (in the window, at its receiver's next byte: one a
    receiver would act on) inside an IP datagram its receiver's IP layer
    discards (round 23's classes: RFC 791 and the hosts' defaults, RFC 8200
    4.2, RFC 5095), then 3 more keystrokes and a normal close. Client port
    49401: a RST|ACK from the server in an IPv4 datagram with a loose source
    route. 49402: a FIN|ACK from the client with an IPv4 option of length
    0. 49403 (IPv6): a RST|ACK carrying 36 bytes from the client, with a
    destination option of type 0x9e (discard), then the client's real
    keystroke at that number. Must hold: one connection each (its
    receiver never saw the segment), all 6 keystrokes' records each way
    (`client_enc_records` 8: NEWKEYS is counted apart), no R in the
    history and state SF; `packets` marks the frame `untaken ip-discard`;
    stderr names each datagram's frame (main: 49401 and 49403 closed by
    the RST, the 3 later keystrokes unread; 49402 closed by the FIN)."""
    a = session(49401)
    cs, ss = a.seq
    a.pkt(False, ss, cs, RST | ACK, l3=v4opts(LSRR_DONE))
    f = rest(a)
    b = session(49402, t=a.t + 1)
    cs, ss = b.seq
    b.pkt(True, cs, ss, FIN | ACK, l3=v4opts(RR_BADLEN))
    f += rest(b)
    c = session(49403, v6=True, t=b.t + 1)
    cs, ss = c.seq
    c.pkt(True, cs, ss, RST | ACK, rnd(36), l3=lambda s, d, seg: (ip6x(s, d, [DST_DISCARD], seg), 0x86DD))
    f += rest(c)
    return write(f)


def syn_discard():
    """Client port 49404: round 22's forged mid-session SYN (another ISN,
    from the client's address and port) inside an IPv4 datagram with a
    loose source route, the server's IP layer discarding it; the server
    sends nothing for it; 3 more keystrokes. Wireshark starts a new stream
    at any such SYN (tshark does not judge IP options). Must hold: no
    crash; as round 22's syn_mid_session (left): the SYN's split said."""
    a = session(49404)
    cs, ss = a.seq
    a.pkt(True, cs + 0x40000000, 0, SYN, l3=v4opts(LSRR_DONE))
    return write(rest(a))


# -- (b) control segments at a TTL too small to reach their receiver ---------

def ctl_ttl_low():
    """Mid-session, after 3 keystrokes, a RST|ACK from the server's address
    at the client's next expected number (client port 49411), or a FIN|ACK
    from the client's (49412), at TTL 1 where its side's SYN had 64: a
    router between the capture point and the receiver drops it (round 21's
    insertion, as a control segment); then 3 more keystrokes. Must hold:
    as ctl_discard: all 6 keystrokes' records each way, state SF."""
    a = session(49411)
    cs, ss = a.seq
    a.pkt(False, ss, cs, RST | ACK)
    a.frames[-1] = (a.t, with_ttl(a.frames[-1][1], 1))
    f = rest(a)
    b = session(49412, t=a.t + 1)
    cs, ss = b.seq
    b.pkt(True, cs, ss, FIN | ACK)
    b.frames[-1] = (b.t, with_ttl(b.frames[-1][1], 1))
    f += rest(b)
    return write(f)


# -- (c) two SYN-ACKs with different ISNs -------------------------------------

def synack_two_isn():
    """The client's SYN answered by two SYN-ACKs of different ISNs (one
    forged, a blind attacker guessing the ISN's answer), both ACKing the
    SYN. Client port 49421: the forged one (ISN 900000) first, the client
    ACKs the second (5000: the forged one came too late, RFC 9293 3.10.7.3
    leaves SYN-SENT at the first acceptable SYN-ACK); 49422: the client
    ACKs the first (the real one, 5000), the forged one (900000) after it
    (an old duplicate, answered by an ACK). The server's banner and
    KEXINIT at 5001 each. Must hold: one connection each, the server's
    banner and HASSH read, no gap."""
    f = []
    for sp, forged_first in ((49421, True), (49422, False)):
        c = OptConn(sp)
        c.t = c.t + (sp - 49421) * 2
        cs, ss = c.seq
        c.pkt(True, cs, 0, SYN)
        if forged_first:
            c.pkt(False, 900000, cs + 1, SYN | ACK)
        c.pkt(False, ss, cs + 1, SYN | ACK)
        if not forged_first:
            c.pkt(False, 900000, cs + 1, SYN | ACK)
        c.seq = [cs + 1, ss + 1]
        c.pkt(True, cs + 1, ss + 1, ACK)
        c.ssh()
        c.send(False, NEWKEYS)
        c.send(True, NEWKEYS)
        f += rest(c)
    return write(f)


CASES = [ctl_discard, syn_discard, ctl_ttl_low, synack_two_isn]

if __name__ == "__main__":
    genmain.run(CASES)  # genr24.py DIR
