#!/usr/bin/python3
"""Checks every fact of expect.txt (suricata-verify ground truth) against
strider's conns, follow and ssh output; prints one line per fact and
exits 1 if any is wrong."""
import json
import os
import subprocess
import sys

STRIDER = os.environ["STRIDER"]
SV = os.environ.get("SHARED", "../shared") + "/captures/suricata-verify/tests/"
HERE = os.path.dirname(os.path.abspath(__file__))


# A test whose test.yaml runs Suricata with "-k none" (checksum validation
# off) states its facts for every packet: strider reads it with
# --checksum off likewise (set per capture by main).
CSUM = []


def run(*args, text=True):
    return subprocess.run([STRIDER, args[0], *CSUM, *args[1:]],
                          capture_output=True, text=text, check=True).stdout


def checksums_off(cap):
    try:
        y = open(os.path.join(os.path.dirname(cap), "test.yaml")).read()
    except OSError:
        return False
    return "-k none" in y or "-k\n" in y


def json_rows(cmd, cap, kind):
    rows = [json.loads(l) for l in run(cmd, "-q", "--json", *(["-R"] if cmd == "conns" else []), cap).splitlines()]
    return [r for r in rows if r.get("type") == kind]


def conn(cap, stream):
    for r in json_rows("conns", cap, "conn"):
        if r.get("proto") == "tcp" and r.get("stream") == stream:
            return r
    return {}


def ssh(cap, stream):
    for r in json_rows("ssh", cap, "ssh"):
        if r.get("stream") == stream:
            return r
    return {}


def stream_op(data, op, text):
    if op == "size":
        return len(data) == int(text), f"{len(data)} bytes"
    want = text.encode("latin-1").decode("unicode_escape").encode("latin-1")
    ok = {"equals": data == want, "contains": want in data, "lacks": want not in data,
          "endswith": data.endswith(want)}[op]
    return ok, repr(data[:60])


def check(cap, kind, args):
    if kind == "tcp_conns":
        n = sum(1 for r in json_rows("conns", cap, "conn") if r.get("proto") == "tcp")
        return n == int(args), f"{n} connections"
    s, rest = args.split(" ", 1)
    s = int(s)
    if kind == "field":
        name, value = rest.split(" ", 1)
        got = conn(cap, s).get(name)
        return str(got) == value, f"{name}={got}"
    if kind == "stream":
        d, op, text = (rest.split(" ", 2) + [""])[:3]
        data = run("follow", "-q", "--raw", "--dir", d, "-n", str(s), cap, text=False)
        return stream_op(data, op, text)
    if kind == "ssh":
        side, proto, software = rest.split(" ")
        banner = ssh(cap, s).get(side) or ""
        head = banner.split(" ", 1)[0]
        return head == f"SSH-{proto}-{software}", banner
    if kind == "hassh":
        side, value = rest.split(" ")
        got = ssh(cap, s).get("hassh" if side == "client" else "hasshServer")
        return got == value, str(got)
    raise ValueError(kind)


def main():
    bad = n = 0
    for line in open(os.path.join(HERE, "expect.txt")):
        if not line.strip() or line.startswith("#"):
            continue
        cap, kind, args, why = [x.strip() for x in line.split(" | ")]
        n += 1
        CSUM[:] = ["--checksum", "off"] if checksums_off(SV + cap) else []
        try:
            ok, got = check(SV + cap, kind, args)
        except (subprocess.CalledProcessError, ValueError, KeyError) as e:
            ok, got = False, f"error: {e}"
        bad += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {cap}: {kind} {args} ({why}){'' if ok else ' -- got ' + got}")
    print(f"{n - bad} of {n} suricata-verify facts hold")
    return 1 if bad else 0


sys.exit(main())
