#!/usr/bin/python3
"""Checks strider extract's transcripts against its per-direction files.

Usage: trcheck.py DIR MODE   (MODE: inline N | all | none)
For every session of DIR/index.jsonl, walking each direction's chunks in
order (a data or gap chunk takes its len bytes of the direction's file):
gaps are NULs in the file; a chunk with "hex" holds exactly the file's
bytes there and "ascii" is their printable rendering; a chunk with
"file_offset" names that position; the chunks cover the whole file.
"file_offset" appears only once the direction's rendered bytes reached the
inline budget (MODE "inline N"), never with "all"; "none"
(--json-payload-max 0) has neither hex nor file_offset.
"""
import json, os, sys

d, mode = sys.argv[1], sys.argv[2:]
budget = int(mode[1]) if mode[0] == "inline" else None
refs = 0
for line in open(os.path.join(d, "index.jsonl")):
    s = json.loads(line)
    if not s["transcript"]:
        continue
    t = json.load(open(os.path.join(d, s["transcript"])))
    assert t["summary"]["uid"] == s["uid"]
    inl = {"orig": 0, "resp": 0}
    pos = {"orig": 0, "resp": 0}
    files = {}
    for ch in t["chunks"]:
        # overlap and urgent markers sit among the chunks; no bytes of their own
        if ch.get("overlap") or ch.get("urgent"):
            continue
        dr = ch["dir"]
        name = s[dr + "_file"]
        if name is None:
            assert ch["gap"], ch
            continue
        if name not in files:
            files[name] = open(os.path.join(d, name), "rb").read()
        p = pos[dr]
        pos[dr] += ch["len"]
        fb = files[name][p:p + ch["len"]]
        assert len(fb) == ch["len"], (name, p, ch)
        if ch["gap"]:
            assert fb == b"\0" * ch["len"], (name, ch)
            assert "hex" not in ch and "file_offset" not in ch
            continue
        if mode[0] == "none":
            assert "hex" not in ch and "file_offset" not in ch, ch
        elif "hex" in ch:
            assert budget is None or inl[dr] < budget, ("inline past the budget", ch)
            assert bytes.fromhex(ch["hex"]) == fb, (name, p)
            assert ch["ascii"] == "".join(chr(c) if 0x20 <= c < 0x7f else "." for c in fb)
            inl[dr] += ch["len"]
        else:
            assert ch["file_offset"] == p, (name, p, ch)
            assert mode[0] == "inline" and inl[dr] >= budget, ("reference before the budget", ch)
            refs += 1
    for dr in ("orig", "resp"):
        if s[dr + "_file"]:
            assert len(files[s[dr + "_file"]]) == pos[dr], (s[dr + "_file"], pos[dr])
print("ok, %d chunks by reference" % refs)
