#!/usr/bin/env python3
"""Hostile classes, round 28, written at test time: `genr28.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. tests/hostile/t_round28.sh checks what each docstring says
must hold. Round 27's class (a TCP-MD5 or TCP-AO option its receiver does
not expect, or lacking the one it does) on control segments, which round
27 judged on data only: a FIN or RST so signed ends nothing at a Linux
receiver (tcp_inbound_hash drops it before it reads any flag)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, PSH, RST  # noqa: E402
from genr16 import mid_keys, write  # noqa: E402
from genr27 import AO, KEYS, MD5, AuthConn  # noqa: E402

EVIL = b"EVIL" * 9  # the attacker's 36 bytes: one keystroke record's length


def forged(sp, c2s, flags, topts, data=b"", sign=b""):
    """A session (sign: every real segment's TCP options) through KEYS
    keystrokes each way; one segment with flags and topts at its sender's
    next number, ACKing the peer's; then KEYS more keystrokes each way and
    the close."""
    c = AuthConn(sp, sign=sign)
    c.t = 1700000000.0 + 10 * (sp - 49730)
    genmain.to_keys(c, mid_keys, KEYS)
    cs, ss = c.seq
    c.pkt(c2s, cs if c2s else ss, ss if c2s else cs, flags, data, topts=topts)
    mid_keys(c, KEYS)
    c.close()
    return c.frames


# -- (a) FINs and RSTs with an authentication option the receiver does not expect

def ctl_auth():
    """Linux's tcp_inbound_hash drops a segment with a TCP-MD5 option
    when the socket has no MD5 key for its peer (TCPMD5Unexpected), with
    a TCP-AO option when it has no AO key (TCP_AOUNEXPECTED), without the
    option when it has a key (TCPMD5NotFound), before tcp_rcv_established
    reads any flag. Client port 49731: the server's RST|ACK at the
    client's next number with a made-up MD5 option; 49732: the client's
    FIN|ACK with a TCP-AO option; 49733: the client's FIN|PSH|ACK with
    MD5 carrying 36 bytes of the attacker's (EVIL) at its next number,
    then the real keystroke's record there; 49734: a connection that uses
    TCP-MD5 (every segment, both SYNs, signed) and the server's RST|ACK
    without it. Must hold: each `SF` with history ShAdDaFf (the real close
    the only one; 49733's ShAdDaTFf, the keystroke over the dropped data),
    6 records each way, no `data_after_close`; stderr says the 4 segments
    once, with the frame of the first; `packets` marks each forged
    segment `untaken tcp-auth` (main: 49731 and 49734 reset by it, RSTR,
    49732 and 49733 closed by it, ShAdDaFFf; every session's records after
    it `data_after_close`)."""
    return write(forged(49731, False, RST | ACK, MD5) + forged(49732, True, FIN | ACK, AO) +
                 forged(49733, True, FIN | PSH | ACK, MD5, EVIL) + forged(49734, False, RST | ACK, b"", sign=MD5))


def ctl_auth_honest():
    """The honest counterpart: client port 49735, a whole TCP-MD5 session
    whose FINs carry the option as every segment does. Must hold: `SF`,
    history ShAdDaFf, 3 records each way, nothing said of tcp-auth."""
    c = AuthConn(49735, sign=MD5)
    c.t = 1700000060.0
    genmain.to_keys(c, mid_keys, KEYS)
    c.close()
    return write(c.frames)


CASES = [ctl_auth, ctl_auth_honest]

if __name__ == "__main__":
    genmain.run(CASES)
