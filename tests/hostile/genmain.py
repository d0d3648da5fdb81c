#!/usr/bin/env python3
"""The command line the hostile generators share (genr4.py to genr7.py):
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


def run(cases, commands=None):
    d = sys.argv[-1]
    os.makedirs(d, exist_ok=True)
    cmd = (commands or {}).get(sys.argv[1]) if len(sys.argv) > 2 else None
    if cmd:
        cmd(d, *sys.argv[2:-1])
        return
    for name, fn in cases.items():
        write_files(d, {name: fn()})
