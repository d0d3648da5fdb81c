#!/usr/bin/python3
"""Test-time helpers for the SSH parser tests (run with Debian's /usr/bin/python3).

  ssh_vectors.py extract PCAP OUT.vec   byte streams of every TCP conn, as the
                                        C driver (ssh_dump) reads them
  ssh_vectors.py expect PCAP            tshark's view of every stream (JSON)

Vector format, one record per line:
  S <stream> <orig ip:port> <resp ip:port>     start of a TCP stream (dir 0 = originator)
  D <dir> <frame> <ts_ns> <hex>                in-order bytes of one segment
  G <dir> <frame> <len>                        bytes missing from the capture
  E                                            end of stream
The reassembly here is deliberately simple (seq-ordered, first copy wins,
holes become gaps at the end); extract --check compares it with tshark's
own `follow,tcp,raw`.
"""
import base64
import hashlib
import json
import subprocess
import sys

TSHARK = "tshark"


def tshark_fields(pcap, fields, yfilter=None, extra=()):
    cmd = [TSHARK, "-r", pcap, "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    if yfilter:
        cmd += ["-Y", yfilter]
    cmd += list(extra)
    out = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=False)
    rows = []
    for line in out.stdout.decode("utf-8", "replace").splitlines():
        rows.append(line.split("\t"))
    return rows


PKT_FIELDS = ["frame.number", "tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst",
              "ipv6.dst", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.seq_raw",
              "tcp.len", "tcp.payload", "frame.time_epoch"]


class Dir:
    def __init__(self):
        self.base = None      # raw seq of stream offset 0
        self.next = 0         # next offset to deliver
        self.pending = []     # (off, frame, ts, bytes)
        self.out = []         # ('D', frame, ts, bytes) / ('G', frame, len)

    def deliver(self):
        progress = True
        while progress:
            progress = False
            keep = []
            for (off, fr, ts, data) in sorted(self.pending, key=lambda x: x[0]):
                end = off + len(data)
                if end <= self.next:
                    continue                       # retransmission
                if off <= self.next:
                    self.out.append(("D", fr, ts, data[self.next - off:]))
                    self.next = end
                    progress = True
                else:
                    keep.append((off, fr, ts, data))
            self.pending = keep

    def flush(self):
        self.deliver()
        while self.pending:
            self.pending.sort(key=lambda x: x[0])
            off, fr, ts, data = self.pending[0]
            self.out.append(("G", fr, off - self.next))
            self.next = off
            self.deliver()


_EXTRACT_CACHE = {}


def extract(pcap):
    if pcap not in _EXTRACT_CACHE:
        _EXTRACT_CACHE[pcap] = _extract(pcap)
    return _EXTRACT_CACHE[pcap]


def _extract(pcap):
    streams = {}
    order = []
    for r in tshark_fields(pcap, PKT_FIELDS, "tcp"):
        if len(r) < len(PKT_FIELDS) or r[1] == "" or r[10] == "" or r[4] == "":
            continue
        fr, st = int(r[0]), int(r[1])
        src = (r[2] or r[3]) + ":" + r[4]
        dst = (r[5] or r[6]) + ":" + r[7]
        syn = r[8] in ("1", "True")
        ack = r[9] in ("1", "True")
        seq = int(r[10])
        ln = int(r[11] or 0)
        payload = bytes.fromhex(r[12].replace(":", "")) if r[12] else b""
        ts = r[13]
        sec, _, frac = ts.partition(".")
        ts_ns = int(sec) * 10**9 + int((frac + "000000000")[:9])
        if st not in streams:
            streams[st] = {"orig": src, "resp": dst, "dirs": [Dir(), Dir()], "seen_syn": False}
            order.append(st)
            if syn and ack:          # first packet is the SYN-ACK: responder sent it
                streams[st]["orig"], streams[st]["resp"] = dst, src
        s = streams[st]
        d = 0 if src == s["orig"] else 1
        dr = s["dirs"][d]
        if syn and d == (1 if ack else 0):  # the handshake in its roles: strider's hint_firm
            s["syn" if d == 0 else "synack"] = True
        if syn:
            dr.base = (seq + 1) & 0xffffffff
            continue
        if dr.base is None:
            dr.base = seq
        if ln == 0 or not payload:
            continue
        off = (seq - dr.base) & 0xffffffff
        if off > 0x80000000:         # data before the assumed base (missed SYN)
            continue
        dr.pending.append((off, fr, ts_ns, payload))
        dr.deliver()
        # interleave in capture order: move delivered chunks to the stream log
        for item in dr.out:
            s.setdefault("log", []).append((d,) + item)
        dr.out = []
    for st in order:
        s = streams[st]
        for d in (0, 1):
            s["dirs"][d].flush()
            for item in s["dirs"][d].out:
                s.setdefault("log", []).append((d,) + item)
    return order, streams


def write_vectors(pcap, path):
    order, streams = extract(pcap)
    with open(path, "w") as f:
        for st in order:
            s = streams[st]
            f.write("S %d %s %s %d\n" % (st, s["orig"], s["resp"], s.get("syn", False) and s.get("synack", False)))
            for item in s.get("log", []):
                if item[1] == "D":
                    f.write("D %d %d %d %s\n" % (item[0], item[2], item[3], item[4].hex()))
                else:
                    f.write("G %d %d %d\n" % (item[0], item[2], item[3]))
            f.write("E\n")
    return order, streams


def follow_raw(pcap, st):
    """tshark's own reassembly of one stream: (bytes of node 0, bytes of node 1)."""
    out = subprocess.run([TSHARK, "-r", pcap, "-q", "-z", "follow,tcp,raw,%d" % st],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
    data = [bytearray(), bytearray()]
    body = False
    for line in out.splitlines():
        if line.startswith("Node 1:"):
            body = True
            continue
        if not body or line.startswith("===") or not line.strip():
            continue
        d = 1 if line.startswith("\t") else 0
        try:
            data[d] += bytes.fromhex(line.strip())
        except ValueError:
            pass
    return data


def check_extract(pcap):
    """Our per-direction byte streams equal tshark's follow output (no gaps)."""
    order, streams = extract(pcap)
    bad = []
    for st in order:
        s = streams[st]
        ours = [bytearray(), bytearray()]
        gaps = False
        for item in s.get("log", []):
            if item[1] == "D":
                ours[item[0]] += item[4]
            else:
                gaps = True
        if gaps:
            continue
        theirs = follow_raw(pcap, st)
        # follow's node 0 is the first packet's sender, which may be dir 1
        if ours != theirs and ours != theirs[::-1]:
            bad.append(st)
    return bad


def decode_as(pcap):
    """-d options so tshark dissects SSH on the ports these streams use."""
    order, streams = extract(pcap)
    ports = set()
    for st in order:
        p = int(streams[st]["resp"].rsplit(":", 1)[1])
        if p != 22:
            ports.add(p)
    args = []
    for p in sorted(ports)[:16]:
        args += ["-d", "tcp.port==%d,ssh" % p]
    return args, order, streams


def fingerprint(blob):
    d = hashlib.sha256(blob).digest()
    return "SHA256:" + base64.b64encode(d).decode().rstrip("=")


def expect(pcap):
    """Per stream: tshark's hassh fields, banners per direction, host key."""
    da, order, streams = decode_as(pcap)
    res = {}
    for st in order:
        res[st] = {"banner": ["", ""]}
    # one tshark pass over the SSH frames; first occurrence of each field
    flds = ["tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "ssh.protocol", "ssh.kex.hassh",
            "ssh.kex.hassh_algorithms", "ssh.kex.hasshserver", "ssh.kex.hasshserver_algorithms",
            "ssh.host_key.length", "ssh.host_key.type"]
    rows = tshark_fields(pcap, flds, "ssh", da)
    for r in rows:
        if len(r) < len(flds) or not r[0]:
            continue
        st = int(r[0])
        src = (r[1] or r[2]) + ":" + r[3]
        d = 0 if src == streams[st]["orig"] else 1
        if r[4] and not res[st]["banner"][d]:
            res[st]["banner"][d] = r[4]
        if r[5]:
            res[st].setdefault("hassh", r[5])
            res[st].setdefault("hassh_algorithms", r[6])
        if r[7]:
            res[st].setdefault("hasshServer", r[7])
            res[st].setdefault("hasshServer_algorithms", r[8])
    hk = [[r[0], r[9], r[10]] for r in rows if len(r) >= len(flds) and r[0] and r[10]]
    for r in hk:
        st = int(r[0])
        if "hostkey_type" in res[st]:
            continue
        n, kt = int(r[1]), r[2]
        # find the blob in the server's byte stream: uint32 n, uint32 len(type), type
        needle = n.to_bytes(4, "big") + len(kt).to_bytes(4, "big") + kt.encode()
        for d in (1, 0):
            data = b"".join(it[4] for it in streams[st].get("log", [])
                            if it[0] == d and it[1] == "D")
            i = data.find(needle)
            if i >= 0:
                blob = data[i + 4:i + 4 + n]
                res[st]["hostkey_type"] = kt
                res[st]["hostkey_sha256"] = fingerprint(blob)
                res[st]["hostkey_blob_b64"] = base64.b64encode(blob).decode()
                break
    return res


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "extract":
        write_vectors(sys.argv[2], sys.argv[3])
    elif len(sys.argv) >= 3 and sys.argv[1] == "expect":
        print(json.dumps(expect(sys.argv[2]), sort_keys=True))
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        bad = check_extract(sys.argv[2])
        print(json.dumps(bad))
        sys.exit(1 if bad else 0)
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()


def run_dump(dump, vec, mode=()):
    out = subprocess.run([dump] + list(mode) + [vec], stdout=subprocess.PIPE, check=True)
    res = {}
    for line in out.stdout.decode().splitlines():
        o = json.loads(line)
        res[o["stream"]] = o
    return res


def compare(pcap, dump, vec):
    """Parser output vs tshark for every stream. Returns (results, errors)."""
    write_vectors(pcap, vec)
    exp = expect(pcap)
    got = run_dump(dump, vec)
    errs = []
    for st, e in exp.items():
        g = got.get(st)
        if g is None:
            errs.append("stream %d: missing from parser output" % st)
            continue
        for d in (0, 1):
            if e["banner"][d] and g["banner%d" % d] != e["banner"][d]:
                errs.append("stream %d: banner%d %r != tshark %r" % (st, d, g["banner%d" % d],
                                                                    e["banner"][d]))
        for k in ("hassh", "hassh_algorithms", "hasshServer", "hasshServer_algorithms",
                  "hostkey_type", "hostkey_sha256"):
            if k in e and g.get(k) != e[k]:
                errs.append("stream %d: %s %r != tshark %r" % (st, k, g.get(k), e[k]))
    # feeding one byte at a time or in random pieces must give the same result
    for mode in (["-b"], ["-r", "7"], ["-r", "12345"]):
        other = run_dump(dump, vec, mode)
        for st in got:
            if other.get(st) != got[st]:
                diff = [k for k in got[st] if other.get(st, {}).get(k) != got[st][k]]
                errs.append("stream %d: %s feeding differs in %s" % (st, " ".join(mode), diff))
    return got, exp, errs
