#!/usr/bin/env python3
"""Scores `strider ssh --json` on a capture against labels derived by
decrypting it (one row per SSH packet: frame, dir, msg_name, detail), as
shipped with OpenSSH-Network-Parser's example: authentication, session,
no false agent/forward finding, every keystroke's frame and class, and the
record count of the command output after each Enter (but the last, whose
answer runs into the channel's close). Prints each check; exit 1 on any
failure."""
import json
import sys

KEYS = {"char": "char", "CR": "enter", "DEL": "backspace"}


def labels(path):
    rows = []
    for line in open(path):
        if line.startswith("#") or line.startswith("frame\t"):
            continue
        f = line.rstrip("\n").split("\t")
        det = dict(kv.split("=", 1) for kv in f[9].split() if "=" in kv) if len(f) > 9 else {}
        rows.append({"frame": int(f[0]), "c2s": f[2] == "C>S", "msg": f[7], "det": det})
    return rows


def truth(rows):
    keys, outs, cur = {}, [], None
    for r in rows:
        if r["c2s"] and r["msg"] == "CHANNEL_DATA" and r["det"].get("key"):
            keys[r["frame"]] = KEYS[r["det"]["key"]]
            cur = None
            if keys[r["frame"]] == "enter":
                cur = [r["frame"], 0]
                outs.append(cur)
        elif not r["c2s"] and r["msg"] == "CHANNEL_DATA" and cur is not None:
            cur[1] += 1
    pw = sum(1 for r in rows if r["msg"] == "USERAUTH_REQUEST" and r["det"].get("method") == "password")
    reqs = {r["det"].get("request") for r in rows if r["msg"] == "CHANNEL_REQUEST"}
    return keys, outs, pw, reqs


def main():
    rows = labels(sys.argv[2])
    keys, outs, pw, reqs = truth(rows)
    recs = [json.loads(line) for line in open(sys.argv[1])]
    ssh = [r for r in recs if r.get("type") == "ssh"]
    ev = [r for r in recs if r.get("type") == "event"]
    bad = 0

    def t(name, got, want):
        nonlocal bad
        ok = got == want
        bad += not ok
        print("%s %s: got %s want %s" % ("ok  " if ok else "FAIL", name, got, want))

    t("one ssh record", len(ssh), 1)
    s = ssh[0] if ssh else {}
    t("auth success", s.get("auth_success"), True)
    t("auth method", s.get("auth_method"), "password")
    t("password attempts", s.get("auth_attempts"), pw)
    t("session kind", s.get("session_kind"), "shell" if "shell" in reqs else "exec")
    t("agent forwarding", s.get("agent_forwarding"), "auth-agent-req@openssh.com" in reqs)
    t("no reverse session", s.get("reverse_provisioned"), False)
    got = {e["frame"]: e.get("key") for e in ev if e.get("kind") == "keystroke"}
    t("keystrokes", s.get("keystrokes"), len(keys))
    wrong = {f: (got.get(f), k) for f, k in keys.items() if got.get(f) != k}
    extra = sorted(set(got) - set(keys))
    t("keystroke frames and keys (frame: got, want)", wrong, {})
    t("keystrokes where none was typed", extra, [])
    out = {}
    for e in ev:
        if e.get("kind") == "command_output":
            out[e["frames"][0]] = e.get("records")
    # the answer to an Enter begins in the server's next packet
    for f, n in outs[:-1]:
        first = min((g for g in out if g >= f), default=None)
        t("output after the Enter of frame %d (records)" % f, out.get(first), n)
    return 1 if bad else 0


sys.exit(main())
