#!/usr/bin/env python3
"""Hostile classes, round 11, written at test time: `genr11.py DIR` writes
each case below into DIR, `genr11.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. The cleartext SSH layer: a Terrapin (CVE-2023-48795)
injection from both sides before NEWKEYS, so that the report's reason must
hold the exposed suite and both sides' clauses; tests/hostile/t_round11.sh
checks each fact is said whole."""
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


CASES = {"terrapin_reason.pcap": terrapin_reason}


def seeds(repo):
    """This round's fuzz seeds: the two-sided Terrapin injection, for the
    whole pipeline and for the report."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pipeline/r11_terrapin.pcap": terrapin_small(),
                         "fuzz_report/r11_terrapin.pcap": terrapin_small()})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
