#!/usr/bin/env python3
"""Writes OUT.pcap with connections whose service strider must read by
content, off their usual ports, and prints what conns must say of each
(one JSON object per line, by stream), computed here independently:

  stream 0: TLS on tcp/9443, a ClientHello of about 1.9 kB (a large key
            share, as post-quantum ones are) split over three segments,
            GREASE values, the SNI extension last: SNI, TLSv13, JA4;
  stream 1: the same ClientHello with its segments out of order (the
            second before the first): what the first segment holds (no
            JA4: the ClientHello is not whole);
  stream 2: HTTP on tcp/8081, a request with a hostile Host (control bytes)
            and a 300-byte URI: cut with "...", control bytes as \\xHH;
  stream 3: a ClientHello whose extension length overruns the record: no
            crash, the version from the legacy field, no JA4.
Usage: mkhello.py OUT.pcap > expected.jsonl"""
import hashlib
import json
import struct
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from pcapw import Pcap  # noqa: E402

C, S = [10, 1, 0, 1], [10, 1, 0, 2]


def ext(t, data):
    return struct.pack("!HH", t, len(data)) + data


def hello(sni="example.test"):
    suites = [0x1A1A, 0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C]
    sig = [0x0403, 0x0804, 0x0401]
    exts = [ext(0x2A2A, b""), ext(0x000A, b"\x00\x04\x00\x1d\x00\x17"), ext(0x0010, b"\x00\x03\x02h2"),
            ext(0x000D, struct.pack("!H", 2 * len(sig)) + b"".join(struct.pack("!H", s) for s in sig)),
            ext(0x002B, b"\x06\x3a\x3a\x03\x04\x03\x03"),
            ext(0x0033, b"\x07\x00\x00\x1d\x07\x00" + b"k" * 1792),
            ext(0x0000, struct.pack("!HBH", len(sni) + 3, 0, len(sni)) + sni.encode())]
    body = struct.pack("!H", 0x0303) + b"r" * 32 + b"\x00" + struct.pack("!H", 2 * len(suites)) + \
        b"".join(struct.pack("!H", s) for s in suites) + b"\x01\x00"
    eb = b"".join(exts)
    body += struct.pack("!H", len(eb)) + eb
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    rec = b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs
    # JA4, from the spec: GREASE out; SNI and ALPN out of the hashed extensions
    cs = sorted(s for s in suites if s != 0x1A1A)
    ex = [0x000A, 0x0010, 0x000D, 0x002B, 0x0033, 0x0000]
    hashed = sorted(e for e in ex if e not in (0, 0x10))
    h = lambda s: hashlib.sha256(s.encode()).hexdigest()[:12]
    ja4 = "t13d%02d%02dh2_%s_%s" % (len(cs), len(ex), h(",".join("%04x" % c for c in cs)),
                                    h(",".join("%04x" % e for e in hashed) + "_" + ",".join("%04x" % s for s in sig)))
    return rec, ja4


def conn(p, sp, dp, segs, order=None):
    cs, ss = 100, 5000
    p.tcp(C, S, sp, dp, cs, 0, 0x02)
    p.tcp(S, C, dp, sp, ss, cs + 1, 0x12)
    p.tcp(C, S, sp, dp, cs + 1, ss + 1, 0x10)
    offs, o = [], cs + 1
    for s in segs:
        offs.append(o)
        o += len(s)
    for i in order or range(len(segs)):
        p.tcp(C, S, sp, dp, offs[i], ss + 1, 0x18, segs[i])
    p.tcp(C, S, sp, dp, o, ss + 1, 0x11)
    p.tcp(S, C, dp, sp, ss + 1, o + 1, 0x11)
    p.tcp(C, S, sp, dp, o + 1, ss + 2, 0x10)


def main():
    p = Pcap(sys.argv[1])
    rec, ja4 = hello()
    segs = [rec[:600], rec[600:1200], rec[1200:]]
    conn(p, 40001, 9443, segs)
    print(json.dumps({"stream": 0, "tls_sni": "example.test", "tls_version": "TLSv13", "ja4": ja4}))
    conn(p, 40002, 9443, segs, order=[1, 0, 2])
    print(json.dumps({"stream": 1, "tls_version": "TLSv13", "ja4": None, "tls_sni": None}))
    uri = "/" + "u" * 299
    req = b"GET " + uri.encode() + b" HTTP/1.1\r\nHost: evil\x1b[2J.example\r\n\r\n"
    conn(p, 40003, 8081, [req])
    print(json.dumps({"stream": 2, "http_method": "GET", "http_host": "evil\\x1b[2J.example",
                      "http_uri": uri[:124] + "..."}))
    bad = bytearray(rec[:80])
    conn(p, 40004, 9443, [bytes(bad[:5]) + b"\x01\x00\x00\x4b\x03\x02" + b"r" * 32 + b"\x00\x00\x02\x13\x01\x01\x00\xff\xff\x00"])
    print(json.dumps({"stream": 3, "tls_version": "TLSv11", "ja4": None}))
    p.close()


if __name__ == "__main__":
    main()
