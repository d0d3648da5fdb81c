#!/usr/bin/env python3
"""Hostile strings, round 13, written at test time: `genr13.py DIR` writes
DIR/strings.pcap. Every capture-derived string a writer prints carries
terminal escapes (CSI, OSC 8 hyperlinks, OSC 52 clipboard, BEL, a bare CR
overwriting, backspaces), C1 controls, invalid and overlong UTF-8,
U+2028/2029, bidi overrides and isolates, zero-width characters, NUL,
spreadsheet formula starts (= + - @ TAB CR), CSV commas/quotes, HTML
(</script>, <img onerror>, quotes) and JSON breakers ('"', '\\', an
encoded lone surrogate). Carriers: the SSH banners (a 64 KiB server line
among them), lines before the banner, KEXINIT name-lists (one of 100 KB)
and the host key type, HTTP Host / URI / User-Agent, TLS SNI, DNS query
names. tests/hostile/t_round13.sh runs every command and output format on
it and checks each format mechanically (tests/hostile/chk13.py)."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from genfmt import CLI, SRV, eth, ip4, kexinit, pcap, session  # noqa: E402

# Each class once; no CR/LF (they end an SSH or HTTP line) except in EVIL_NL.
EVIL = (b"\x1b[31mRED\x1b[2J\x1b]8;;http://evil/\x07link\x1b]8;;\x07\x1b]52;c;ZXZpbA==\x07"
        b"\x07bell\x08\x08bs \x85\x9b\x9d c1 \xff\xfe\xc0\xaf\xe0\x80\xaf overlong "
        b"\xe2\x80\xa8LS\xe2\x80\xa9PS \xe2\x80\xaeRLO\xe2\x80\xac \xe2\x81\xa6iso\xe2\x81\xa9 "
        b"z\xe2\x80\x8bw\xe2\x80\x8d\xef\xbb\xbf \x00NUL ,\"q\"; </script><img src=x onerror=alert(1)> "
        b"' \" \\ \\u0000 \xed\xa0\x80 lone")
FORMULA = [b"=cmd|' /C calc'!A0", b"+1+1", b"-2+3", b"@SUM(1)", b"\tTAB", b"\rCR=1"]


def kex(lists):
    return kexinit(lists)


def ssh_conns():
    out = []
    base = [b"curve25519-sha256", b"ssh-ed25519", b"aes128-ctr", b"aes128-ctr", b"hmac-sha2-256",
            b"hmac-sha2-256", b"none", b"none", b"", b""]
    port = 41000
    # banner, comment, pre-banner line, name-lists, host key type all hostile
    for i, lead in enumerate([b""] + FORMULA):
        lists = list(base)
        lists[0] = lead + b"kex" + EVIL + b",curve25519-sha256"
        lists[1] = lead + b"hk" + EVIL
        lists[2] = lead + EVIL.replace(b",", b";")
        lists[8] = lead + b"lang" + EVIL
        sban = (b"pre " + lead + EVIL + b"\r\nSSH-2.0-" + lead + b"Open" + EVIL.replace(b" ", b"_") + b" " +
                lead + EVIL + b"\r\n")
        cban = b"SSH-2.0-" + lead + EVIL + b"\r\n"
        out += session(port + i, 22, srv=sban + kex(lists), cli=cban + kex(lists))
    # a 64 KiB banner line and a 100 KB KEXINIT name-list
    big = (EVIL * (65536 // len(EVIL) + 1))[:65536]
    out += session(41100, 22, srv=b"SSH-2.0-" + big + b"\r\n" + kex(base),
                   cli=b"SSH-2.0-OpenSSH_9.6\r\n" + kex(base))
    biglist = list(base)
    biglist[0] = b",".join([b"k" + EVIL.replace(b",", b"") + b"%d" % n for n in range(100000 // len(EVIL) + 1)])
    out += session(41101, 22, srv=b"SSH-2.0-OpenSSH_9.6\r\n" + kex(biglist),
                   cli=b"SSH-2.0-" + EVIL + b"\r\n" + kex(biglist))
    return out


def http_conns():
    out = []
    for i, lead in enumerate([b""] + FORMULA):
        ev = lead + EVIL
        req = (b"GET /" + ev.replace(b" ", b"%20") + b"/../../etc/passwd HTTP/1.1\r\nHost: " + ev +
               b"\r\nUser-Agent: " + ev + b"\r\n\r\n")
        rsp = (b"HTTP/1.1 200 OK\r\nServer: " + ev + b"\r\nContent-Disposition: attachment; filename=\"../../"
               b"tmp/evil\x00.sh\"\r\nContent-Length: 2\r\n\r\nok")
        out += session(42000 + i, 80, srv=rsp, cli=req)
    return out


def client_hello(sni):
    name = struct.pack("!BH", 0, len(sni)) + sni
    ext = struct.pack("!HHH", 0, len(name) + 2, len(name)) + name
    body = (b"\x03\x03" + b"\x22" * 32 + b"\x00" + b"\x00\x02\x13\x01" + b"\x01\x00" +
            struct.pack("!H", len(ext)) + ext)
    hs = b"\x01" + struct.pack("!I", len(body))[1:] + body
    return b"\x16\x03\x01" + struct.pack("!H", len(hs)) + hs


def tls_conns():
    out = []
    for i, lead in enumerate([b""] + FORMULA):
        out += session(43000 + i, 443, cli=client_hello(lead + EVIL), srv=b"")
    return out


def dns_name(labels):
    return b"".join(bytes([len(x)]) + x for x in labels) + b"\0"


def dns_frames():
    out = []
    for i, lead in enumerate([b""] + FORMULA):
        ev = lead + EVIL
        labels = [ev[j:j + 60] for j in range(0, len(ev), 60)] + [b"com"]
        q = struct.pack("!HHHHHH", 0x1234 + i, 0x0100, 1, 0, 0, 0) + dns_name(labels) + b"\x00\x01\x00\x01"
        out.append(eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 44000 + i, 53, 8 + len(q), 0) + q)))
        r = (struct.pack("!HHHHHH", 0x1234 + i, 0x8180, 1, 1, 0, 0) + dns_name(labels) + b"\x00\x01\x00\x01" +
             b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x05" + struct.pack("!H", len(dns_name(labels))) + dns_name(labels))
        out.append(eth(ip4(SRV, CLI, 17, struct.pack("!HHHH", 53, 44000 + i, 8 + len(r), 0) + r)))
    return out


def main():
    d = sys.argv[1]
    os.makedirs(d, exist_ok=True)
    frames = ssh_conns() + http_conns() + tls_conns() + dns_frames()
    genmain.write_files(d, {"strings.pcap": pcap(frames)})


if __name__ == "__main__":
    main()
