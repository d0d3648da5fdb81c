#!/usr/bin/env python3
"""Checks one output file of a command run on genr13.py's capture, by its
format: `chk13.py FORMAT FILE` with FORMAT text, csv, json or html. Prints
each problem as `FILE: problem` and exits 1 if there was one.

text and csv: no byte a terminal acts on (C0 but TAB/LF, DEL, ESC), the
file valid UTF-8, no C1 control, bidi control, line/paragraph separator
or zero-width character in it (each written \\xHH by sd_text). csv also:
python's csv reader reads it, every row as many cells as the header, no
cell starts with = + - @ TAB CR unless a number or "-" (the apostrophe
sd_csv_field puts before them); a blank line starts a second table with
its own header (dns --csv: the events after the transactions). json: the raw lines as text (controls
only as \\uXXXX escapes), every line parses, and no decoded string holds
a lone surrogate (invalid UTF-8 must not come out as one).
html: html.parser reads it; no element or attribute came from the data:
no img, no on* attribute, no script text holding the capture's payload."""
import csv
import html.parser
import io
import json
import re
import sys

BAD_CP = re.compile("[\u0080-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2069\ufeff]")
BAD_BYTE = re.compile(rb"[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f]")
probs = []


def bad(msg):
    probs.append(msg)


def text_check(raw, where, allow_cr=False):
    m = BAD_BYTE.search(raw)
    if m:
        at = m.start()
        bad("%s: raw byte 0x%02x at %d: %r" % (where, m.group()[0], at, raw[max(0, at - 30):at + 10]))
    if not allow_cr and re.search(rb"\r(?!\n)", raw):
        bad("%s: bare CR" % where)
    try:
        s = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        bad("%s: invalid UTF-8 at %d: %r" % (where, e.start, raw[max(0, e.start - 20):e.start + 10]))
        s = raw.decode("utf-8", "replace")
    m = BAD_CP.search(s)
    if m:
        bad("%s: U+%04X at %d: %r" % (where, ord(m.group()), m.start(), s[max(0, m.start() - 30):m.start() + 5]))
    return s


def csv_check(raw, where):
    s = text_check(raw, where, allow_cr=True)
    rows = list(csv.reader(io.StringIO(s, newline="")))
    if not rows:
        return
    n, header = len(rows[0]), False
    for i, r in enumerate(rows[1:], 2):
        if r == [] or header:  # a blank line, then a second table's header (dns --csv's events)
            n, header = len(r), r == []
            continue
        if len(r) != n:
            bad("%s: row %d has %d cells, header %d" % (where, i, len(r), n))
        for c in r:
            if c and c[0] in "=+-@\t\r" and c != "-":
                try:
                    float(c)
                except ValueError:
                    bad("%s: row %d cell starts a formula: %r" % (where, i, c[:40]))


def walk(v, where):
    if isinstance(v, str):
        if re.search("[\ud800-\udfff]", v):
            bad("%s: JSON string holds a lone surrogate: %r" % (where, v[:60]))
    elif isinstance(v, dict):
        for k, x in v.items():
            walk(k, where)
            walk(x, where)
    elif isinstance(v, list):
        for x in v:
            walk(x, where)


def json_check(raw, where):
    text_check(raw, where)
    for i, line in enumerate(raw.split(b"\n"), 1):
        if not line.strip():
            continue
        try:
            walk(json.loads(line), "%s:%d" % (where, i))
        except ValueError as e:
            bad("%s:%d: not JSON: %s" % (where, i, e))


class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tag = None

    def handle_starttag(self, tag, attrs):
        self.tag = tag
        if tag in ("img", "iframe", "object", "embed", "a") and any("evil" in (v or "") or "x" == v for _, v in attrs):
            bad("html: element <%s> from the data" % tag)
        if tag == "img":
            bad("html: <img> element")
        for k, v in attrs:
            if k.startswith("on"):
                bad("html: attribute %s on <%s>" % (k, tag))
            if v and ("onerror" in k or "alert(" in v and k not in ("title", "data-d")):
                bad("html: attribute %s=%r on <%s>" % (k, v[:40], tag))

    def handle_data(self, data):
        if self.tag in ("script", "style") and ("alert(1)" in data or "onerror" in data):
            bad("html: capture data inside <%s>" % self.tag)


def html_check(raw, where):
    s = text_check(raw, where)
    p = P()
    p.feed(s)
    p.close()


def main():
    fmt, path = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        raw = f.read()
    {"text": text_check, "csv": csv_check, "json": json_check, "html": html_check}[fmt](raw, path)
    for p in probs[:10]:
        print(p)
    if len(probs) > 10:
        print("%s: %d more" % (path, len(probs) - 10))
    sys.exit(1 if probs else 0)


if __name__ == "__main__":
    main()
