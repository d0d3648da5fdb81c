#!/usr/bin/env python3
"""Hostile classes, round 29, written at test time: `genr29.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22.
tests/hostile/t_round29.sh checks what each docstring says must hold.
Class no round had (checked by grepping genr*.py and the rounds' header
comments): a SYN|ACK with no data, or a bare SYN, injected into an
established SSH session at its sender's next sequence number (round 14's
inj_syn had a SYN|ACK carrying the attacker's banner there, round 22's
syn_mid a bare SYN with a far-off ISN): a receiver in a synchronized
state answers any SYN with a challenge ACK and drops it (RFC 9293
3.10.7.4 fourth check, RFC 5961 4.2; Linux's tcp_validate_incoming,
TCPSYNChallenge), so it takes no sequence number, no data, and ends
nothing. Then the honest counterparts: the handshake's SYN|ACK re-sent
(its ACK lost), a 4-tuple reused after a close."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, PSH, SYN  # noqa: E402
from genr16 import finish, mid_keys, write  # noqa: E402
from genr23 import OptConn  # noqa: E402
from genr27 import EVIL_C, EVIL_S, inject_first  # noqa: E402

KEYS = 3  # keystrokes each way before and after the injected segment


def conn(sp):
    """A connection on client port sp, 10 s apart by port (as
    genr27.inject_first's)."""
    c = OptConn(sp)
    c.t = 1700000000.0 + 10 * (sp - 49700)
    return c


def mid(sp, c2s, flags):
    """An SSH session to KEYS keystrokes, then one segment with flags and no
    data from the client's side (c2s) or the server's at that side's next
    number, ACKing the peer's next if an ACK; then KEYS more keystrokes each
    way and the close."""
    c = genmain.to_keys(conn(sp), mid_keys, KEYS)
    cs, ss = c.seq
    c.pkt(c2s, cs if c2s else ss, (ss if c2s else cs) if flags & ACK else 0, flags)
    mid_keys(c, KEYS)
    c.close()
    return c.frames


# -- (a) SYNs a synchronized receiver drops -------------------------------------

def synack_mid():
    """After KEYS keystrokes a SYN|ACK with no data at its sender's next
    number, ACKing the peer's next: client port 49741 from the server's
    address and port, 49742 from the client's. Then KEYS more keystrokes
    and the close. Must hold: each session SF with history ShAdDaFf, 6
    records each way, no retransmission counted; stderr says the 2 SYNs;
    `packets` marks each untaken (main: the SYN taken as a number, the
    next real segment of its side read as a re-send, nothing said)."""
    return write(mid(49741, False, SYN | ACK) + mid(49742, True, SYN | ACK))


def synack_first():
    """The same SYN|ACK before its sender's first data: client port 49743,
    the server's after the handshake; 49744, the client's after the
    server's banner and KEXINIT. Must hold: as synack_mid, 3 records each
    way, both HASSHes (main: read as a SYN|ACK re-sent with another ISN,
    a retransmission counted, nothing said)."""
    return write(inject_first(49743, False, b"", flags=SYN | ACK) + inject_first(49744, True, b"", flags=SYN | ACK))


def syn_mid():
    """Client port 49745: the same with a bare SYN (no ACK) from the
    client at its next number. Left (docs/known-issues.md, round 29; round
    22's class): the connection split there, as Wireshark's new stream;
    must hold: the split said with the SYN's frame, the first part's 3
    records each way read."""
    return write(mid(49745, True, SYN))


def synack_data():
    """A SYN|ACK carrying the attacker's banner and KEXINIT, never ACKed,
    before the real ones: client port 49746, the server's, its SYN at the
    server's next number; 49747, the client's, its SYN at the client's ISN
    (a handshake SYN's re-send, as far as its number goes; 49746 is round
    14's inj_syn, on the client's side in 49747). Must hold: each
    session's HASSH and hasshServer the real KEX's, its banners OpenSSH's,
    3 records each way, no EVIL in any output; SF with history ShAdDaFf."""
    return write(inject_first(49746, False, EVIL_S, flags=SYN | PSH | ACK) +
                 inject_first(49747, True, EVIL_C, flags=SYN | PSH | ACK, back=1))


# -- (b) the honest counterparts -----------------------------------------------

def synack_retx():
    """Client port 49748: the server's SYN|ACK re-sent with its ISN after
    the client's ACK (the server never got that ACK), the client's ACK
    again, then the session (KEYS keystrokes each way) and the close. Must
    hold: SF, both HASSHes, 3 records each way, nothing said."""
    c = conn(49748)
    c.handshake()
    cs, ss = c.seq
    c.pkt(False, ss - 1, cs, SYN | ACK)
    c.pkt(True, cs, ss, ACK)
    c.ssh()
    finish(c, KEYS)
    return write(c.frames)


def syn_reuse():
    """Client port 49749: a whole session (KEYS keystrokes each way), FIN
    both ways, then 1 s later a new SYN on the same ports with an ISN
    100,000 past the old one's end, a second whole session. Must hold: two
    connections, each SF with both HASSHes and 3 records each way; nothing
    said."""
    c = conn(49749)
    genmain.to_keys(c, mid_keys, KEYS).close()
    c.seq = [c.seq[0] + 100000, c.seq[1] + 300000]
    c.t += 1
    genmain.to_keys(c, mid_keys, KEYS).close()
    return write(c.frames)


CASES = [synack_mid, synack_first, syn_mid, synack_data, synack_retx, syn_reuse]

if __name__ == "__main__":
    genmain.run(CASES)
