#!/usr/bin/env python3
"""Cross-check conns' content fields against tshark and FoxIO's JA4:
for every TCP stream where tshark decodes an HTTP request or a TLS
ClientHello, the first one's method, Host and URI (http.request.method,
http.host, http.request.uri), server name and highest offered version
(tls.handshake.extensions_server_name, tls.handshake.extensions.
supported_version or tls.handshake.version) must be strider's
http_method, http_host, http_uri, tls_sni, tls_version; and where FoxIO's
ja4 (Rust) snapshot gives a stream's JA4, strider's ja4 must be it.

Usage: svc_compare.py STRIDER JA4_SNAPSHOT_DIR CAPTURE...  Exits 1 on any
difference or when nothing was compared."""
import json
import os
import re
import subprocess
import sys

FIELDS = ["frame.number", "tcp.stream", "http.request.method", "http.host", "http.request.uri",
          "tls.handshake.extensions_server_name", "tls.handshake.extensions.supported_version",
          "tls.handshake.version"]
TLS_NAMES = {0x0304: "TLSv13", 0x0303: "TLSv12", 0x0302: "TLSv11", 0x0301: "TLSv10", 0x0300: "SSLv3"}


def grease(v):
    return (v & 0x0F0F) == 0x0A0A and (v >> 8) == (v & 0xFF)


def tshark(path):
    cmd = ["tshark", "-n", "-r", path, "-Y", "http.request || tls.handshake.type == 1", "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=a", "-E", "aggregator=|"]
    for f in FIELDS:
        cmd += ["-e", f]
    first = {}
    for line in subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.splitlines():
        v = dict(zip(FIELDS, line.split("\t")))
        if not v.get("tcp.stream"):
            continue
        first.setdefault(int(v["tcp.stream"]), v)  # the stream's first request or ClientHello
    return first


def ja4_snapshot(snapdir, path):
    snap = os.path.join(snapdir, f"ja4__insta@{os.path.basename(path)}.snap")
    if not os.path.exists(snap):
        return {}
    out, stream = {}, None
    for line in open(snap):
        m = re.match(r"- stream: (\d+)", line)
        if m:
            stream = int(m.group(1))
        m = re.match(r"  ja4: (\S+)", line)
        if m and stream is not None and m.group(1).startswith("t"):
            out[stream] = m.group(1)
    return out


def ours(strider, path):
    out = subprocess.run([strider, "conns", "-j", "--proto", "tcp", path], capture_output=True, text=True,
                         check=False).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def conn_for(conns, stream, frame):
    for c in conns:
        if c["stream"] == stream and c["first_frame"] <= frame <= c["last_frame"]:
            return c
    return None


def same(a, b):
    """b from strider: a value cut at its field's size ends in '...'."""
    return a == b or (b.endswith("...") and a.startswith(b[:-3]))


def compare(strider, snapdir, path, tally):
    errs = []
    conns = ours(strider, path)
    for stream, v in sorted(tshark(path).items()):
        c = conn_for(conns, stream, int(v["frame.number"]))
        if c is None:
            errs.append(f"stream {stream}: no strider connection")
            continue
        if v["http.request.method"]:
            want = {"http_method": v["http.request.method"].split("|")[0],
                    "http_host": v["http.host"].split("|")[0], "http_uri": v["http.request.uri"].split("|")[0]}
            kind = "http"
        else:
            vers = [int(x, 16) for x in v["tls.handshake.extensions.supported_version"].split("|") if x]
            vers = [x for x in vers if not grease(x)] or [int(v["tls.handshake.version"].split("|")[0], 16)]
            want = {"tls_sni": v["tls.handshake.extensions_server_name"].split("|")[0],
                    "tls_version": TLS_NAMES.get(max(vers), "unknown")}
            kind = "tls"
        for k, w in want.items():
            if not w:
                continue  # tshark has none: strider may not either
            tally[kind + "_fields"] += 1
            if same(w, c.get(k, "")):
                tally[kind + "_agree"] += 1
            else:
                errs.append(f"stream {stream}: {k} {c.get(k)!r}, tshark {w!r}")
        tally[kind] += 1
    for stream, j in ja4_snapshot(snapdir, path).items():
        c = next((c for c in conns if c["stream"] == stream), None)
        tally["ja4"] += 1
        if c is None or c.get("ja4") != j:
            errs.append(f"stream {stream}: ja4 {c and c.get('ja4')!r}, FoxIO {j}")
        else:
            tally["ja4_agree"] += 1
    return errs


def main():
    strider, snapdir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    tally = {k: 0 for k in ("http", "tls", "http_fields", "http_agree", "tls_fields", "tls_agree", "ja4",
                            "ja4_agree")}
    bad = caps = 0
    for path in files:
        before = tally["http"] + tally["tls"] + tally["ja4"]
        errs = compare(strider, snapdir, path, tally)
        if tally["http"] + tally["tls"] + tally["ja4"] == before and not errs:
            continue
        caps += 1
        print(f"{'FAIL' if errs else 'ok  '} {path}")
        for e in errs[:20]:
            print("    " + e)
        bad += len(errs)
    print(f"services vs tshark: {caps} captures; HTTP: {tally['http']} streams, {tally['http_agree']}/"
          f"{tally['http_fields']} fields agree; TLS: {tally['tls']} streams, {tally['tls_agree']}/"
          f"{tally['tls_fields']} fields agree; JA4 vs FoxIO: {tally['ja4_agree']}/{tally['ja4']}; {bad} differences")
    return 1 if bad or not caps else 0


if __name__ == "__main__":
    sys.exit(main())
