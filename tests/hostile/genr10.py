#!/usr/bin/env python3
"""Hostile classes, round 10, written at test time: `genr10.py DIR` writes
each case below into DIR, `genr10.py seeds REPO` this round's fuzz seeds
into REPO/fuzz/seeds. One SSH session (gendeceive's Conn) in a classic
pcap, handed over in the forms people hand a capture tool that are not a
capture it reads: compressed by logrotate or by hand, archived, another
analyser's format, or empty. tests/hostile/t_round10.sh checks that each
is refused with a message naming the file and saying what it is and what
to do (libpcap says only "unknown file format" or, for an empty file,
"truncated dump file; tried to read 4 file header bytes"), exit 1, from a
file and from standard input, and that the advice given works."""
import bz2
import gzip
import io
import lzma
import os
import struct
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gendeceive import Conn, write  # noqa: E402
from genfmt import KEX  # noqa: E402
import genmain  # noqa: E402


def session():
    """The capture every wrapped case holds: an SSH session to NEWKEYS."""
    c = Conn(49201)
    c.handshake()
    c.ssh()
    return write(c.frames)


def gz():
    """gzip (1f 8b), as logrotate leaves a rotated capture."""
    return gzip.compress(session(), mtime=0)  # the same bytes every run (the seeds)


def bz():
    """bzip2 ("BZh" and the block size digit)."""
    return bz2.compress(session())


def xz():
    """xz (fd "7zXZ" 00)."""
    return lzma.compress(session())


def zst():
    """A zstd frame header (magic 28 b5 2f fd, then a frame descriptor)
    before the capture's bytes: Python's standard library has no zstd, and
    only the magic says what a file is."""
    return b"\x28\xb5\x2f\xfd\x24\x00" + session()


def lz4():
    """An lz4 frame header (magic 04 22 4d 18) before the capture's bytes."""
    return b"\x04\x22\x4d\x18\x64\x40\xa7" + session()


def zipped():
    """A ZIP archive holding the capture (PK 03 04)."""
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("session.pcap", (1980, 1, 1, 0, 0, 0)), session())
    return b.getvalue()


def snoop():
    """A Solaris snoop header ("snoop" 00 00 00, version 2, Ethernet 4),
    RFC 1761, and garbage after it."""
    return b"snoop\0\0\0" + struct.pack(">II", 2, 4) + os.urandom(64)


def netmon():
    """A Microsoft Network Monitor 2 header ("GMBU", version 2.3)."""
    return b"GMBU" + bytes([3, 2]) + b"\0" * 122


LS, PS = "\u2028".encode(), "\u2029".encode()  # Unicode's line and paragraph separators


def linesep():
    """Unicode's line and paragraph separators (U+2028, U+2029) in both
    banners, a KEXINIT name-list and an HTTP Host: Python's
    str.splitlines(), editors and pre-2019 JavaScript break a line at them,
    so a capture string could forge a line of a text report or cut a JSON
    line in two for a reader that splits so. Every output must write them
    escaped, as it writes the bidi controls."""
    c = Conn(49202)
    c.handshake()
    kex = [b"curve25519-sha256," + LS + b"forged-kex" + PS] + KEX[1:]
    c.ssh(sban=b"SSH-2.0-OpenSSH_9.6" + LS + b"strider: forged line\r\n",
          cban=b"SSH-2.0-x" + PS + b"{\"forged\":1}\r\n", ckex=kex)
    h = Conn(49203, dp=80)
    h.t = c.t + 1  # after the SSH session: the time goes forward
    h.handshake()
    h.send(True, b"GET / HTTP/1.1\r\nHost: a" + LS + b"b.example\r\n\r\n")
    h.send(False, b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
    return write(c.frames + h.frames)


def empty():
    """Zero bytes."""
    return b""


CASES = {"session.pcap.gz": gz, "session.pcap.bz2": bz, "session.pcap.xz": xz, "session.pcap.zst": zst,
         "session.pcap.lz4": lz4, "session.zip": zipped, "session.snoop": snoop, "session.cap": netmon,
         "linesep.pcap": linesep,
         "empty.pcap": empty}


def seeds(repo):
    """This round's fuzz seeds for the capture reader: each case's first
    bytes decide what it is said to be."""
    genmain.write_files(os.path.join(repo, "fuzz/seeds"),
                        {"fuzz_pcapfile/r10_" + n: CASES[n]() for n in
                         ("session.pcap.gz", "session.pcap.bz2", "session.zip", "session.cap")})


if __name__ == "__main__":
    genmain.run(CASES, {"seeds": seeds})
