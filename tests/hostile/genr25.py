#!/usr/bin/env python3
"""Hostile classes, round 25, written at test time: `genr25.py DIR` writes
each case below into DIR. Every connection is 10.7.0.1:PORT -> 10.7.0.2:22
unless said. tests/hostile/t_round25.sh checks what each docstring says
must hold. Classes no round had (checked by grepping genr*.py and the
README's tables): a SYN retransmitted with the same ISN and other TCP
options, before and after the SYN-ACK, and a SYN-ACK so retransmitted; a
RST or FIN at TTL 1 that its receiver did take (it falls silent, a capture
on the receiving host) against one it did not (round 24's, left there;
here from the client over IPv6, a FIN carrying data); a
forged mid-session SYN from the server's address answered by a challenge
ACK, then a RST at the challenge's number from the forger (the blind
attacker's next step, RFC 5961 4.2)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from gendeceive import ACK, FIN, PSH, RST, SYN  # noqa: E402
from genfmt import BAN_C, BAN_S, KEX, kexinit  # noqa: E402
from genr12 import ts_opt  # noqa: E402
from genr16 import mid_keys, rnd, write  # noqa: E402
from genr21 import with_ttl  # noqa: E402
from genr22 import opt_wscale  # noqa: E402
from genr23 import OptConn  # noqa: E402

KEYS = 3  # keystrokes before and after the segment of the class
SMALL_WIN = 512  # the server's window: 64 KiB once scaled by 2^7, 512 bytes if not
SHIFT = 7
# a client KEXINIT of about 5,400 bytes: ten times the unscaled window
BIG_KEX = [KEX[0] + b"," + b",".join(b"name-%04d@x" % i for i in range(450))] + KEX[1:]


def session(sp, t=None):
    """An SSH session to its keystrokes (genmain.to_keys)."""
    c = OptConn(sp)
    if t is not None:
        c.t = t
    return genmain.to_keys(c, mid_keys, KEYS)


def rest(c, n=KEYS):
    """n more keystrokes, then the close (FIN both ways)."""
    mid_keys(c, n)
    c.close()
    return c.frames


def at_ttl(c, ttl):
    """The connection's last frame with its TTL set to ttl."""
    t, f = c.frames[-1]
    c.frames[-1] = (t, with_ttl(f, ttl))


# -- (a) handshake segments retransmitted with other options ------------------

def big_kexinit(c):
    """The server's banner and KEXINIT, then the client's banner and
    BIG_KEX's KEXINIT in 1,400-byte segments before the server ACKs any
    (the server offering SMALL_WIN), then its ACK of all."""
    cs, ss = c.seq
    sb = BAN_S + kexinit(KEX)
    c.pkt(False, ss, cs, PSH | ACK, sb, win=SMALL_WIN)
    ss += len(sb)
    cb = BAN_C + kexinit(BIG_KEX)
    for k in range(0, len(cb), 1400):
        c.pkt(True, cs + k, ss, PSH | ACK, cb[k:k + 1400])
    cs += len(cb)
    c.pkt(False, ss, cs, ACK, win=SMALL_WIN)
    c.seq = [cs, ss]


def syn_retx_opts():
    """A SYN retransmitted with the same ISN but other TCP options; the
    server's SYN-ACK carries window scale 7 and a window of 512, so scaling
    is on only if the SYN it answered carried the option (RFC 7323 2.2:
    a SYN-ACK carries it only in answer to a SYN that did). Client port
    49501: the first SYN with no option (lost past the capture point, or
    a middlebox there strips options from a first SYN), the retry 1 s
    later with window scale 7 and Timestamps, then the SYN-ACK: it
    answered the retry (a listener answers each SYN it gets, at once: the
    first would have had its answer a second before), so both sides
    scale. 49502: the first SYN with window scale 7, the SYN-ACK, then the
    SYN again without options (the SYN-ACK lost past the capture point:
    the listener in SYN-RECEIVED re-sends its SYN-ACK and keeps the first
    SYN's options, Linux's tcp_check_req), the SYN-ACK again, the ACK:
    scaling on. Then, each, the server's banner and KEXINIT at window 512
    and the client's banner and a 5,400-byte KEXINIT before the server's
    ACK. Must hold: the client's HASSH of the long list; both connections
    with `orig_wscale` and `resp_wscale` 7, the server's window 65,536
    (`resp_win_max`), as tshark's window_size (main: 49501's scaling off,
    the first SYN's options kept: the server's window 512 bytes, so the
    client's KEXINIT 10 times past it until the server's ACK)."""
    f = []
    for sp, late in ((49501, False), (49502, True)):
        c = OptConn(sp)
        c.t += (sp - 49501) * 5
        cs, ss = c.seq
        if late:
            c.pkt(True, cs, 0, SYN, topts=opt_wscale(SHIFT))
            c.pkt(False, ss, cs + 1, SYN | ACK, win=SMALL_WIN, topts=opt_wscale(SHIFT))
            c.pkt(True, cs, 0, SYN, t=c.t + 1)
        else:
            c.pkt(True, cs, 0, SYN)
            c.pkt(True, cs, 0, SYN, t=c.t + 1, topts=opt_wscale(SHIFT) + ts_opt(1000, 0))
        c.pkt(False, ss, cs + 1, SYN | ACK, win=SMALL_WIN, topts=opt_wscale(SHIFT))
        c.seq = [cs + 1, ss + 1]
        c.pkt(True, cs + 1, ss + 1, ACK)
        big_kexinit(c)
        f += c.frames
    return write(f)


def synack_retx_opts():
    """Client port 49511: the client's SYN with window scale 7; the
    server's SYN-ACK without options (window 512), then the same SYN-ACK
    again with window scale 7 (a SYN proxy's or a middlebox's second
    answer); the client ACKs. A client in SYN-SENT takes the first
    acceptable SYN-ACK (RFC 9293 3.10.7.3) and answers a second with an
    ACK: scaling is off, the server's window 512 bytes. Then the server's
    banner and KEXINIT, the client's banner and 5,400-byte KEXINIT before
    the server's ACK. Must hold: the client's HASSH read; no window scale
    on either side, the server's window 512 (`resp_win_max`), as main and
    tshark (which scales nothing here)."""
    c = OptConn(49511)
    c.t += 20
    cs, ss = c.seq
    c.pkt(True, cs, 0, SYN, topts=opt_wscale(SHIFT))
    c.pkt(False, ss, cs + 1, SYN | ACK, win=SMALL_WIN)
    c.pkt(False, ss, cs + 1, SYN | ACK, win=SMALL_WIN, topts=opt_wscale(SHIFT))
    c.seq = [cs + 1, ss + 1]
    c.pkt(True, cs + 1, ss + 1, ACK)
    big_kexinit(c)
    return write(c.frames)


# -- (b) control segments at TTL 1 that their receiver took -------------------

def ctl_ttl_taken():
    """After 3 keystrokes a RST|ACK from the server's address at the
    client's next number at TTL 1 (the SYN-ACK had 64), and the client
    sends nothing more (client port 49521; the capture is on the client's
    host, where a TTL of 1 still arrives); 49522: the same with a FIN|ACK
    at TTL 1 from the server, the client answering with its FIN. Must
    hold: 49521 `RSTR`, 49522 `SF`, nothing said after the close: a
    control segment at a low TTL that its receiver took stays a close
    (round 24's ctl_ttl_low: one it did not take is left)."""
    a = session(49521)
    cs, ss = a.seq
    a.pkt(False, ss, cs, RST | ACK)
    at_ttl(a, 1)
    f = a.frames
    b = session(49522, t=a.t + 1)
    cs, ss = b.seq
    b.pkt(False, ss, cs, FIN | ACK)
    at_ttl(b, 1)
    b.pkt(True, cs, ss + 1, FIN | ACK)
    b.pkt(False, ss + 1, cs + 1, ACK)
    return write(f + b.frames)


def ctl_ttl_untaken():
    """Round 24's ctl_ttl_low (left there) in other forms: after 3
    keystrokes, client port 49523 (IPv6): a RST|ACK from the client's
    address at the server's next number at hop limit 1 (the SYN had 64);
    49524: a FIN|PSH|ACK from the server's address carrying 36 bytes at
    TTL 1, at the client's next number; then, each, 3 more keystrokes (the
    receiver ACKing bytes past the RST or FIN: it never got it) and a
    close by FINs. Must hold: `SF` (main: 49523 `RSTO`), no `first_rst`,
    the `first_fin_frame` the real close's (main: 49524's TTL-1 FIN).
    49525: a FIN|ACK from the server's address at TTL 1, then the real
    server's 36 bytes and its FIN at its own TTL, the client ACKing both at
    once (a delayed ACK) and closing: `SF` (stop 43's merge: `S2`, the ACK
    past the TTL-1 FIN undid the real one)."""
    a = OptConn(49523, v6=True)
    genmain.to_keys(a, mid_keys, KEYS)
    cs, ss = a.seq
    a.pkt(True, cs, ss, RST | ACK)
    at_ttl(a, 1)
    f = rest(a)
    b = session(49524, t=a.t + 1)
    cs, ss = b.seq
    b.pkt(False, ss, cs, FIN | PSH | ACK, rnd(36))
    at_ttl(b, 1)
    f += rest(b)
    c = session(49525, t=b.t + 1)
    cs, ss = c.seq
    c.pkt(False, ss, cs, FIN | ACK)
    at_ttl(c, 1)
    c.pkt(False, ss, cs, PSH | ACK, rnd(36))
    c.pkt(False, ss + 36, cs, FIN | ACK)
    c.pkt(True, cs, ss + 37, ACK)
    c.pkt(True, cs, ss + 37, FIN | ACK)
    c.pkt(False, ss + 37, cs + 1, ACK)
    return write(f + c.frames)


# -- (c) a forged SYN, its challenge ACK and the forger's RST -----------------

def syn_challenge_rst():
    """Client port 49531: after 3 keystrokes a SYN from the server's address
    and port with a new ISN (a blind attacker); the client answers with a
    challenge ACK (its own numbers, RFC 5961 4.2); the attacker, who sees
    it (an on-path one), sends a RST at the challenge ACK's number (RFC
    5961 3.2's exact number) at TTL 1, which the client's host beyond the
    capture point never gets; 3 more keystrokes, FIN both ways. Wireshark
    starts a new stream at the SYN. Must hold: no crash; the split said on
    stderr with the SYN's frame (round 22's left: the rest a second
    connection); no keystroke read past a close."""
    a = session(49531)
    cs, ss = a.seq
    a.pkt(False, 7000000, 0, SYN)
    a.pkt(True, cs, ss, ACK)
    a.pkt(False, ss, 0, RST)
    at_ttl(a, 1)
    return write(rest(a))


CASES = [syn_retx_opts, synack_retx_opts, ctl_ttl_taken, ctl_ttl_untaken, syn_challenge_rst]

if __name__ == "__main__":
    genmain.run(CASES)  # genr25.py DIR
