#!/usr/bin/env python3
"""The command line the hostile generators share (genr4.py on; the others
write their cases with write_cases):
`GEN DIR` writes each case of the generator's CASES (NAME: a function
that returns the capture's bytes) into DIR as NAME; `GEN CMD ARG... DIR`
runs the generator's command CMD (a flood, a directory of files, seeds)
as CMD(DIR, ARG...). DIR is made if missing."""
import os
import sys


def write_files(d, files):
    """Each NAME: bytes of files written into directory d."""
    for name, data in files.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data)


def write_cases(d, cases):
    """Each case into directory d (made if missing): cases a dict NAME:
    function, or a list of functions each written as its name, .pcapng for
    an ng_ one and .pcap else. Every round's generator writes its cases
    here."""
    os.makedirs(d, exist_ok=True)
    if not isinstance(cases, dict):
        cases = {"%s.%s" % (f.__name__, "pcapng" if f.__name__.startswith("ng_") else "pcap"): f for f in cases}
    for name, fn in cases.items():
        write_files(d, {name: fn()})


def to_keys(c, keys, n):
    """The set-up of an SSH session's encrypted part that rounds share
    (genr9.py's to_keys, genr24.py's session): connection c (a
    gendeceive.Conn or any with its handshake, ssh and send) through its
    handshake, both banners and KEXINITs and NEWKEYS both ways, then
    keys(c, n) writes its n keystrokes. Returns c."""
    from gendeceive import NEWKEYS  # not at the top: gendeceive imports genmain
    c.handshake()
    c.ssh()
    c.send(False, NEWKEYS)
    c.send(True, NEWKEYS)
    keys(c, n)
    return c


def run(cases, commands=None):
    d = sys.argv[-1]
    cmd = (commands or {}).get(sys.argv[1]) if len(sys.argv) > 2 else None
    if cmd:
        os.makedirs(d, exist_ok=True)
        cmd(d, *sys.argv[2:-1])
        return
    write_cases(d, cases)
