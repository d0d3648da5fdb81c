#!/usr/bin/env python3
"""Hostile classes, round 11, written at test time: `genr11.py DIR` writes
each case below into DIR, `genr11.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. The cleartext SSH layer: a Terrapin (CVE-2023-48795)
injection from both sides before NEWKEYS, so that the report's reason must
hold the exposed suite and both sides' clauses; injections made of key
exchange messages the negotiated method does not have (which a peer
without strict KEX answers with UNIMPLEMENTED and goes past, as it does an
IGNORE), one carrying a host key of the attacker's. tests/hostile/
t_round11.sh checks each fact is said whole and right."""
import struct
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import NEWKEYS, Conn, ssh_packet, write  # noqa: E402
from genfmt import BAN_C, BAN_S, KEX, kexinit  # noqa: E402
import genmain  # noqa: E402

CHACHA = [b"curve25519-sha256", b"ssh-ed25519", b"chacha20-poly1305@openssh.com",
          b"chacha20-poly1305@openssh.com"] + KEX[4:]
CBC_ETM = [b"curve25519-sha256", b"ssh-ed25519", b"aes256-cbc", b"aes256-cbc",
           b"hmac-sha2-256-etm@openssh.com", b"hmac-sha2-256-etm@openssh.com"] + KEX[6:]
IGNORE = ssh_packet(b"\x02\0\0\0\x04abcd")                    # SSH_MSG_IGNORE, "abcd"
DEBUG = ssh_packet(b"\x04\x00\0\0\0\x02hi\0\0\0\0")           # SSH_MSG_DEBUG, "hi"
UNIMPL = ssh_packet(b"\x03\0\0\0\x00")                        # SSH_MSG_UNIMPLEMENTED 0


def terrapin_both(sp, lists, filler):
    """One session (client port sp) in the suite lists (no strict-KEX
    marker) whose server sends an IGNORE and a DEBUG after its KEXINIT and
    whose client sends 100 UNIMPLEMENTEDs after its own, all before NEWKEYS:
    what a Terrapin attacker in the middle leaves when it plays both sides
    (the Terrapin artifacts' ext_downgrade_cbc_* have one a side). filler
    keep-alive ACKs first make the frame numbers five digits long."""
    c = Conn(sp)
    c.handshake()
    for _ in range(filler):
        c.pkt(True, c.seq[0], c.seq[1], 0x10)
    c.send(False, BAN_S + kexinit(lists) + IGNORE + DEBUG)
    c.send(True, BAN_C + kexinit(lists) + UNIMPL * 100)
    c.send(True, NEWKEYS)
    c.send(False, NEWKEYS)
    c.close()
    return c.frames


def terrapin_reason():
    """Client ports 47101 (chacha20-poly1305) and 47102 (aes256-cbc with an
    EtM MAC), each behind 10,000 frames. Must hold: `terrapin` true, the
    reason the suite's clause and both sides' clauses whole, "100 msg before
    NEWKEYS from client (type 3 frame N)" and "2 msg before NEWKEYS from
    server (type 2 frame N)" (main: the reason cut at 95 bytes, the server's
    clause and the client's frame lost)."""
    frames = terrapin_both(47101, CHACHA, 10000) + terrapin_both(47102, CBC_ETM, 0)
    frames.sort(key=lambda x: x[0])
    return write(frames)


def terrapin_small():
    """terrapin_reason's sessions without the filler: the fuzz seed."""
    frames = terrapin_both(47101, CHACHA, 0) + terrapin_both(47102, CBC_ETM, 0)
    frames.sort(key=lambda x: x[0])
    return write(frames)


GCM = [b"curve25519-sha256", b"ssh-ed25519", b"aes128-gcm@openssh.com", b"aes128-gcm@openssh.com"] + KEX[4:]


def sstr(b):
    """An SSH string: uint32 length, bytes."""
    return struct.pack("!I", len(b)) + b


def key(fill):
    """An ed25519 host key blob of 32 fill bytes."""
    return sstr(sstr(b"ssh-ed25519") + sstr(bytes([fill]) * 32))


def kex_msg(type_, *strings):
    return ssh_packet(bytes([type_]) + b"".join(sstr(x) for x in strings))


def exchange(sp, lists, client_msgs, server_msgs, early=b""):
    """One session (client port sp): both KEXINITs (early after the
    server's, before the client's), then the client's KEX messages, the
    server's, NEWKEYS both ways, FIN; client_msgs and server_msgs lists of
    packets sent alternately, client first, as the exchange goes."""
    c = Conn(sp)
    c.handshake()
    c.send(False, BAN_S + kexinit(lists) + early)
    c.send(True, BAN_C + kexinit(lists))
    for k in range(max(len(client_msgs), len(server_msgs))):
        if k < len(client_msgs):
            c.send(True, client_msgs[k])
        if k < len(server_msgs):
            c.send(False, server_msgs[k])
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    c.close()
    return c.frames


def kex_parts():
    """The key exchange messages the cases send (host keys: the server's
    of 0x11 bytes, the attacker's of 0xee): curve25519's reply, a DH-GEX
    reply with the attacker's key, curve25519's init, DH-GEX's lists, its
    request, group, init and reply, 8 bytes of junk."""
    reply = kex_msg(31, key(0x11)[4:], b"\x22" * 32, b"\x33" * 83)
    evil = kex_msg(33, key(0xee)[4:], b"\x22" * 32, b"\x33" * 83)
    init = kex_msg(30, b"\x44" * 32)
    gex = [b"diffie-hellman-group-exchange-sha256"] + GCM[1:]
    gexreq = ssh_packet(b"\x22" + struct.pack("!III", 2048, 3072, 8192))
    group = kex_msg(31, b"\x00\xff" * 128, b"\x02")
    gexinit = kex_msg(32, b"\x55" * 256)
    gexreply = kex_msg(33, key(0x11)[4:], b"\x66" * 256, b"\x33" * 83)
    return reply, evil, init, gex, gexreq, group, gexinit, gexreply, b"\0" * 8


def kex_inject():
    """Key exchanges (client ports 47201-47207) with messages of another
    method injected before NEWKEYS. Host keys: the server's of 0x11 bytes,
    the attacker's of 0xee. Must hold: 47201 (40 before the server's
    curve25519 reply), 47202 (a 33, DH-GEX's reply, with the attacker's
    key, before it), 47203 (34 from the client in ecdh-sha2-nistp256),
    47204 (36 before the client's KEXINIT, no method's) and 47206 (41 in
    DH-GEX) flagged `unexpected_msg_before_newkeys` from their side,
    `terrapin` true with the type; 47202's host key the server's (main:
    the attacker's, and no flag on any of them); 47205 (a whole DH-GEX:
    34, 31, 32, 33) and 47207 (a plain curve25519) with no anomaly, the
    server's key."""
    reply, evil, init, gex, gexreq, group, gexinit, gexreply, junk = kex_parts()
    ecdh = [b"ecdh-sha2-nistp256"] + GCM[1:]
    f = exchange(47201, GCM, [init], [ssh_packet(b"\x28" + junk) + reply])
    f += exchange(47202, GCM, [init], [evil + reply])
    f += exchange(47203, ecdh, [ssh_packet(b"\x22" + junk) + init], [reply])
    f += exchange(47204, GCM, [init], [reply], early=ssh_packet(b"\x24" + junk))
    f += exchange(47205, gex, [gexreq, gexinit], [group, gexreply])
    f += exchange(47206, gex, [gexreq, gexinit], [group, ssh_packet(b"\x29" + junk) + gexreply])
    f += exchange(47207, GCM, [init], [reply])
    f.sort(key=lambda x: x[0])
    return write(f)


CASES = {"terrapin_reason.pcap": terrapin_reason, "kex_inject.pcap": kex_inject}


def seeds(repo):
    """This round's fuzz seeds: the two-sided Terrapin injection, for the
    whole pipeline and for the report."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pipeline/r11_terrapin.pcap": terrapin_small(),
                         "fuzz_report/r11_terrapin.pcap": terrapin_small(),
                         "fuzz_pipeline/r11_kex_inject.pcap": kex_inject()})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
