#!/usr/bin/python3
"""Cross-check `strider conns` against tshark's conversation tables.

For each capture: the TCP and UDP connections tshark finds (tcp.stream /
udp.stream) and, per connection and per endpoint, the packets and wire
bytes (sum of frame lengths) each endpoint sent; compared with
`strider conns --json`.

Where the numbers come from: `tshark -q -z conv,tcp` (and conv,udp) prints
frames exactly, but bytes through format_size(), which rounds anything
>= 10000 to kB/MB ("3399 kB"). So exact per-direction bytes come from
per-packet fields (`-T fields -e tcp.stream -e frame.len -e ip.src
-e tcp.srcport ...`) aggregated per stream here; the conv table is then
checked against that aggregate (frames exact, bytes equal after the same
rounding), so the comparison still rests on what `-z conv` reports.

Matching: connections are grouped by their unordered endpoint pair
(address:port both sides) and, within a group, paired in order of first
frame, so a port reused for a second connection is matched to tshark's
second stream. Counts are compared per endpoint (what A sent, what B sent),
so it does not matter which side each tool calls the originator.

Each difference gets a key
    FILE<TAB>PROTO<TAB>SELECTOR<TAB>WHAT
FILE relative to $SHARED/captures (or to the repo), PROTO tcp|udp,
SELECTOR "a.b.c.d:p-e.f.g.h:q#k" (sorted endpoints, k-th connection of
that pair, from 1) or "*" for file-level items, WHAT one of
    count            number of connections differs
    missing          tshark has the conn, strider not
    extra            strider has the conn, tshark not
    pkts bytes       per-endpoint packets / wire bytes differ
    frames           first or last frame number differs (counts agree)
    stream           strider's "stream" differs from tshark's index
    strider_exit     strider failed on the file
    tshark_conv      tshark's conv table disagrees with its own per-packet
                     fields (a limit of this check, not a strider bug)
and is looked up in the allowlist (known_differences.txt): fnmatch patterns
on the four fields, each entry with a "# reason".

Usage: conv_compare.py --strider BIN [--allow FILE] [--base DIR]...
                       [--verbose] [--keys] CAPTURE...
Exit: 0 all agree or explained, 1 unexplained differences, 2 usage error.
"""
import argparse
import fnmatch
import json
import os
import re
import subprocess
import sys
from collections import defaultdict

TSHARK = "tshark"
PROTOS = ("tcp", "udp")

# Per-packet fields, every occurrence (a frame may hold several IP layers:
# tunnels, or the quoted header in an ICMP error). frame.protocols gives the
# layer order, which pairs each tcp/udp layer with the IP layer before it.
FIELDS = ["frame.number", "frame.len", "frame.protocols",
          "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
          "tcp.stream", "tcp.srcport", "tcp.dstport",
          "udp.stream", "udp.srcport", "udp.dstport"]


def run(cmd, timeout=600):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def norm_addr(a):
    """Canonical text of an address (IPv6 compressed, lower case)."""
    a = a.strip().lower()
    if ":" in a:
        import ipaddress
        try:
            return str(ipaddress.ip_address(a))
        except ValueError:
            return a
    return a


def ep(h, p):
    return (norm_addr(h), int(p))


def ep_str(e):
    h, p = e
    return f"[{h}]:{p}" if ":" in h else f"{h}:{p}"


class Conn:
    """One connection: what each endpoint sent."""
    __slots__ = ("proto", "stream", "eps", "pkts", "bytes", "first", "last", "raw")

    def __init__(self, proto, stream):
        self.proto, self.stream = proto, stream
        self.eps = None              # (ep, ep) sorted
        self.pkts = defaultdict(int)   # ep -> packets sent
        self.bytes = defaultdict(int)  # ep -> wire bytes sent
        self.first = self.last = None
        self.raw = None

    def key(self):
        return f"{ep_str(self.eps[0])}-{ep_str(self.eps[1])}"


CACHE_DIR = None


def tshark_run(path):
    """tshark's output for path, from the cache when the file (path, size,
    mtime) and tshark's version are unchanged: tshark costs most of this
    test's time and its answer for a given file never changes."""
    if not CACHE_DIR:
        return tshark_run_uncached(path)
    import hashlib
    st = os.stat(path)
    h = hashlib.sha1(f"{os.path.abspath(path)}|{st.st_size}|{st.st_mtime_ns}|"
                     f"{tshark_version()}|{' '.join(FIELDS)}".encode()).hexdigest()
    cf = os.path.join(CACHE_DIR, h + ".out")
    if os.path.exists(cf):
        with open(cf, encoding="utf-8") as fh:
            return 0, fh.read(), ""
    rc, out, err = tshark_run_uncached(path)
    if rc == 0:
        os.makedirs(CACHE_DIR, exist_ok=True)
        tmp = f"{cf}.{os.getpid()}.{id(out)}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(out)
        os.replace(tmp, cf)
    return rc, out, err


_TSHARK_VERSION = None


def tshark_version():
    global _TSHARK_VERSION
    if _TSHARK_VERSION is None:
        _TSHARK_VERSION = run([TSHARK, "--version"])[1].split("\n")[0]
    return _TSHARK_VERSION


def tshark_run_uncached(path):
    """One tshark pass: per-packet fields, then the conv,tcp and conv,udp
    tables (tshark prints the -z statistics after the packets)."""
    cmd = [TSHARK, "-n", "-r", path, "-T", "fields", "-E", "separator=/t",
           "-E", "occurrence=a", "-E", "aggregator=,", "-z", "conv,tcp", "-z", "conv,udp"]
    for f in FIELDS:
        cmd += ["-e", f]
    return run(cmd)


def tshark_packets(out):
    """tshark's streams from per-packet fields: {proto: {stream: Conn}}."""
    res = {p: {} for p in PROTOS}
    for line in out.splitlines():
        v = line.split("\t")
        if len(v) != len(FIELDS) or not v[0].isdigit():
            continue
        num, flen = int(v[0]), int(v[1])
        f = {name: (val.split(",") if val else []) for name, val in zip(FIELDS[3:], v[3:])}
        seen = {"ip": 0, "ipv6": 0, "tcp": 0, "udp": 0}
        last_ip = None
        in_error = False
        for layer in v[2].split(":"):
            if layer in ("ip", "ipv6"):
                i = seen[layer]
                seen[layer] += 1
                try:
                    last_ip = (f[layer + ".src"][i], f[layer + ".dst"][i])
                except IndexError:
                    last_ip = None
            elif layer in ("icmp", "icmpv6"):
                # what follows is the quoted header of an ICMP error: tshark
                # dissects it (and gives it a stream) but its conversation
                # tables do not count it, and it is not a packet of that conn
                in_error = True
            elif layer in PROTOS:
                i = seen[layer]
                seen[layer] += 1
                if in_error or last_ip is None:
                    continue
                try:
                    st = int(f[layer + ".stream"][i])
                    sp, dp = f[layer + ".srcport"][i], f[layer + ".dstport"][i]
                except (IndexError, ValueError):
                    continue
                c = res[layer].get(st)
                if c is None:
                    c = res[layer][st] = Conn(layer, st)
                    c.first = num
                a, b = ep(last_ip[0], sp), ep(last_ip[1], dp)
                if c.eps is None:
                    c.eps = tuple(sorted((a, b)))
                c.pkts[a] += 1
                c.bytes[a] += flen
                c.last = num
    return res


def fmt_size(v):
    """wsutil format_size(..., FORMAT_SIZE_UNIT_BYTES, 0) as tshark 4.0 prints
    it in conversation tables: exact below 10000, else truncated to an SI
    unit while the number keeps at least two digits."""
    for n, unit in ((5, "PB"), (4, "TB"), (3, "GB"), (2, "MB"), (1, "kB")):
        if v >= 10 * 1000 ** n:
            return f"{v // 1000 ** n} {unit}"
    return f"{v} bytes"


ROW = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+(\d+ \S+)\s+(\d+)\s+(\d+ \S+)\s+"
                 r"(\d+)\s+(\d+ \S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*$")


def split_hp(s):
    h, _, p = s.rpartition(":")
    return ep(h.strip("[]"), p)


def tshark_conv(out):
    """Rows of the `-z conv,tcp` / `-z conv,udp` tables: {proto: [(A, B,
    frames B->A, bytes B->A, frames A->B, bytes A->B, rel_start)]}.
    ("<-" is what A received, i.e. B->A; it comes first.)"""
    rows = {p: [] for p in PROTOS}
    cur = None
    for line in out.splitlines():
        if line.endswith("Conversations"):
            cur = line.split()[0].lower()
            continue
        m = ROW.match(line)
        if m and cur in rows:
            a, b = split_hp(m.group(1)), split_hp(m.group(2))
            rows[cur].append((a, b, int(m.group(3)), m.group(4), int(m.group(5)),
                              m.group(6), float(m.group(9))))
    return rows


def check_conv(proto, conns, rows):
    """Conv table vs per-packet aggregate. Returns a list of problems."""
    probs = []
    agg = defaultdict(list)
    for c in conns.values():
        agg[c.eps].append(c)
    seen = defaultdict(list)
    for a, b, f_ba, b_ba, f_ab, b_ab, start in rows:
        seen[tuple(sorted((a, b)))].append((start, a, b, f_ba, b_ba, f_ab, b_ab))
    for k in set(agg) | set(seen):
        cs = sorted(agg.get(k, []), key=lambda c: c.first)
        rs = sorted(seen.get(k, []), key=lambda r: r[0])
        if len(cs) != len(rs):
            probs.append(f"{ep_str(k[0])}-{ep_str(k[1])}: conv table has {len(rs)} "
                         f"rows, per-packet fields {len(cs)} streams")
            continue
        # pair by content: rows of one endpoint pair come sorted by start
        # time, streams by first frame, and the two orders differ when the
        # capture's timestamps go backwards
        free = list(rs)
        for c in cs:
            found = None
            for r in free:
                _, a, b, f_ba, b_ba, f_ab, b_ab = r
                if a == b:
                    want = (0, "0 bytes", c.pkts[a], fmt_size(c.bytes[a]))
                else:
                    want = (c.pkts[b], fmt_size(c.bytes[b]), c.pkts[a], fmt_size(c.bytes[a]))
                if want == (f_ba, b_ba, f_ab, b_ab):
                    found = r
                    break
            if found:
                free.remove(found)
            else:
                probs.append(f"{c.key()} stream {c.stream}: no conv table row with its "
                             f"counts ({describe(c)})")
    return probs


def strider_conns(strider, path):
    """{proto: [Conn]} from `strider conns --json`, plus an error string."""
    try:
        # tshark's tables count every frame, checksums unchecked: so does
        # strider here (by default a wrong checksum keeps a packet out of
        # the counts, as Zeek's; tests/evasion/t_checksum.sh)
        rc, out, err = run([strider, "conns", "--json", "--checksum", "off", path])
    except subprocess.TimeoutExpired:
        return {p: [] for p in PROTOS}, "timeout"
    res = {p: [] for p in PROTOS}
    bad = 0
    for line in out.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            o = json.loads(line)
        except ValueError:
            bad += 1
            continue
        if o.get("type", "conn") != "conn" or o.get("proto") not in PROTOS:
            continue
        c = Conn(o["proto"], o.get("stream"))
        try:
            a = ep(o["id.orig_h"], o["id.orig_p"])
            b = ep(o["id.resp_h"], o["id.resp_p"])
            c.eps = tuple(sorted((a, b)))
            c.pkts[a] += int(o["orig_pkts"])
            c.pkts[b] += int(o["resp_pkts"])
            c.bytes[a] += int(o["orig_wire_bytes"])
            c.bytes[b] += int(o["resp_wire_bytes"])
            c.first = int(o.get("first_frame") or 0)
            c.last = int(o.get("last_frame") or 0)
        except (KeyError, TypeError, ValueError):
            bad += 1
            continue
        c.raw = o
        res[c.proto].append(c)
    msg = None
    if rc != 0:
        msg = f"exit {rc}: {err.strip().splitlines()[-1] if err.strip() else ''}"
    elif bad:
        msg = f"{bad} unparsable conn lines"
    return res, msg


class Allow:
    def __init__(self, path):
        self.entries = []  # (patterns, reason, lineno, used)
        if not path or not os.path.exists(path):
            return
        for n, line in enumerate(open(path), 1):
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            # the reason starts at the first "#" after whitespace (selectors
            # contain "#k" themselves)
            m = re.search(r"\s#", line)
            body, reason = (line[:m.start()], line[m.end():]) if m else (line, "")
            parts = body.split()
            if len(parts) != 4 or not reason.strip():
                sys.exit(f"{path}:{n}: want 'FILE PROTO SELECTOR WHAT # reason'")
            self.entries.append([parts, reason.strip(), n, 0])

    def match(self, key):
        for e in self.entries:
            if all(fnmatch.fnmatchcase(k, p) for k, p in zip(key, e[0])):
                e[3] += 1
                return e
        return None


def describe(c):
    if c is None:
        return "-"
    parts = [f"{ep_str(e)} sent {c.pkts[e]} pkts {c.bytes[e]} B" for e in c.eps]
    if c.eps[0] == c.eps[1]:
        parts = parts[:1]
    return f"stream {c.stream} frames {c.first}..{c.last}: " + ", ".join(parts)


def compare_file(path, rel, strider, allow, verbose, keys_out):
    """Returns (unexplained, explained, summary line, detail lines)."""
    diffs = []  # (key tuple, text)

    def diff(proto, sel, what, text):
        diffs.append(((rel, proto, sel, what), text))

    trc, tout, terr = tshark_run(path)
    ts = tshark_packets(tout)
    conv = tshark_conv(tout)
    if trc != 0 and not any(ts.values()):
        return 0, 0, f"SKIP {rel}: tshark cannot read it ({terr.strip()[:80]})", []
    st, serr = strider_conns(strider, path)
    if serr:
        diff("*", "*", "strider_exit", f"strider conns: {serr}")
    counts = []
    for proto in PROTOS:
        tconns = ts[proto]
        for p in check_conv(proto, tconns, conv[proto]):
            diff(proto, "*", "tshark_conv", "tshark conv table vs its per-packet fields: " + p)
        sconns = st[proto]
        if len(tconns) != len(sconns):
            diff(proto, "*", "count", f"{proto}: tshark {len(tconns)} conns, strider {len(sconns)}")
        tg, sg = defaultdict(list), defaultdict(list)
        for c in tconns.values():
            tg[c.eps].append(c)
        for c in sconns:
            sg[c.eps].append(c)
        agree = 0
        for k in sorted(set(tg) | set(sg)):
            tl = sorted(tg.get(k, []), key=lambda c: c.first)
            sl = sorted(sg.get(k, []), key=lambda c: (c.first, c.stream if c.stream is not None else 0))
            for i in range(max(len(tl), len(sl))):
                t = tl[i] if i < len(tl) else None
                s = sl[i] if i < len(sl) else None
                sel = f"{ep_str(k[0])}-{ep_str(k[1])}#{i + 1}"
                if s is None:
                    diff(proto, sel, "missing", f"only in tshark: {describe(t)}")
                    continue
                if t is None:
                    diff(proto, sel, "extra", f"only in strider: {describe(s)}")
                    continue
                ok = True
                if s.stream != t.stream:
                    diff(proto, sel, "stream",
                         f"strider stream {s.stream}, tshark {proto}.stream {t.stream}")
                    ok = False
                for e in k if k[0] != k[1] else k[:1]:
                    if s.pkts[e] != t.pkts[e]:
                        diff(proto, sel, "pkts", f"{ep_str(e)} sent: tshark {t.pkts[e]} "
                             f"pkts, strider {s.pkts[e]} | tshark {describe(t)} | "
                             f"strider {describe(s)}")
                        ok = False
                        break
                for e in k if k[0] != k[1] else k[:1]:
                    if s.bytes[e] != t.bytes[e]:
                        diff(proto, sel, "bytes", f"{ep_str(e)} sent: tshark {t.bytes[e]} "
                             f"B, strider {s.bytes[e]} B | tshark {describe(t)} | "
                             f"strider {describe(s)}")
                        ok = False
                        break
                if ok and (s.first, s.last) != (t.first, t.last):
                    diff(proto, sel, "frames", f"first..last frame: tshark {t.first}..{t.last}, "
                         f"strider {s.first}..{s.last}")
                    ok = False
                agree += ok
        counts.append(f"{proto} {agree}/{len(tconns)} agree (strider {len(sconns)})")
    unexplained = explained = 0
    lines = []
    for key, text in diffs:
        e = allow.match(key)
        if keys_out is not None:
            keys_out.append("\t".join(key))
        if e:
            explained += 1
            if verbose:
                lines.append(f"    known ({allow_ref(e)}): {key[1]} {key[2]} {key[3]}: {text}")
        else:
            unexplained += 1
            lines.append(f"    DIFF {key[1]} {key[2]} {key[3]}: {text}")
    status = "FAIL" if unexplained else "ok  "
    extra = f", {explained} known" if explained else ""
    return unexplained, explained, f"{status} {rel}: {'; '.join(counts)}{extra}", lines


def allow_ref(e):
    return f"allowlist line {e[2]}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--strider", required=True)
    ap.add_argument("--allow")
    ap.add_argument("--base", action="append", default=[],
                    help="directory to strip from file names in keys (repeatable)")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--keys", help="write every difference key to this file")
    ap.add_argument("--cache", help="directory caching tshark's output per file")
    ap.add_argument("--jobs", type=int, default=min(4, (os.cpu_count() or 1) * 2))
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    allow = Allow(a.allow)
    global CACHE_DIR
    CACHE_DIR = a.cache
    keys = [] if a.keys else None
    tot_u = tot_e = nfiles = 0
    failing = []
    rels = []
    for f in a.files:
        rel = f
        for b in a.base:
            b = os.path.join(os.path.abspath(b), "")
            if os.path.abspath(f).startswith(b):
                rel = os.path.abspath(f)[len(b):]
                break
        rels.append(rel)
    # tshark and strider are separate processes: a few files at a time keep
    # both cores busy; results print in file order
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=a.jobs) as ex:
        futs = [ex.submit(compare_file, f, rel, a.strider, allow, a.verbose, keys)
                for f, rel in zip(a.files, rels)]
        for fu in futs:
            u, e, summary, lines = fu.result()
            print(summary)
            for l in lines:
                print(l)
                if "DIFF" in l:
                    failing.append(f"{summary.split(':')[0][5:]}: {l.strip()[:300]}")
            sys.stdout.flush()
            tot_u += u
            tot_e += e
            nfiles += 1
    if keys is not None:
        with open(a.keys, "w") as fh:
            fh.write("\n".join(keys) + ("\n" if keys else ""))
    unused = [e for e in allow.entries if e[3] == 0]
    for e in unused:
        print(f"note: allowlist line {e[2]} matched nothing: {' '.join(e[0])}")
    if failing:
        # again at the end, where a test runner's log tail shows it
        print("unexplained differences:")
        for l in failing[:20]:
            print(l)
        if len(failing) > 20:
            print(f"    ... {len(failing) - 20} more above")
    print(f"{nfiles} files, {tot_u} unexplained differences, {tot_e} known")
    return 1 if tot_u else 0


if __name__ == "__main__":
    sys.exit(main())
