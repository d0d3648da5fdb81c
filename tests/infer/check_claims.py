#!/usr/bin/python3
"""The claims the golden files make about the public captures, checked
against what their authors say (shared/reference/ssh_inference.md section 8).
Usage: check_claims.py NAME < strider ssh --json output. Exit 1 on failure."""
import json
import sys

name = sys.argv[1]
rows = [json.loads(l) for l in sys.stdin]
conns = [r for r in rows if r.get("type") == "ssh"]
ev = [r for r in rows if r.get("type") == "event"]


def kinds(k, **f):
    return [e for e in ev if e["kind"] == k and all(e.get(a) == b for a, b in f.items())]


def claim(ok, what):
    if not ok:
        print(f"CLAIM FAILED {name}: {what}")
        sys.exit(1)



def patch_login():
    """SSHniff's ground truth for its patch_* sessions: the client offered
    three keys the server refused, then the password was typed."""
    at = kinds("auth_attempt")
    claim([(e["method"], e["result"]) for e in at] ==
          [("publickey", "failure")] * 3 + [("password", "success")], "3 refused keys, then a password")
    claim(at[-1].get("automated") is False, "the password was typed")


if name == "ja4_ssh_r":
    # #2: forward chacha session carrying a reverse SSH shell (76-byte keys)
    # #0: PuTTY 0.74 interactive (aes256-ctr + hmac-sha2-256, K = 64; 101 K-sized client packets)
    claim(any(c["stream"] == 0 and c.get("session_kind") == "shell" and c.get("keystrokes", 0) >= 90
              for c in conns), "PuTTY interactive session with its keystrokes")
    claim(any(c["stream"] == 2 and c.get("reverse_provisioned") for c in conns), "-R provisioned on stream 2")
    # two nested handshakes: the first (frame 456) ends before authentication,
    # the second (frame 470) logs in and carries the shell
    claim(len(kinds("reverse_init")) >= 1, "reverse session initiated")
    claim(len(kinds("keystroke", leg="reverse")) >= 5, "keystrokes inside the reverse session")
    claim(any(e["result"] == "success" for e in kinds("auth_attempt", leg="reverse")), "reverse login success")
elif name == "ja4_scp_1050":
    claim(len(kinds("transfer", direction="download")) >= 1, "an SCP download")
    claim(not kinds("transfer", direction="upload"), "no upload")
    # WinSCP in SCP mode: an exec session with legacy scp's handshake, not the sftp subsystem
    claim(all(e.get("tool") == "scp" for e in kinds("transfer")), "the transfers are scp's")
elif name == "zeek_sshguess":
    claim(all(c.get("auth_success") is False for c in conns), "every connection failed to log in")
    claim(len(kinds("auth_attempt", result="failure", method="password")) >= 11, "failed password guesses")
    claim(len(kinds("brute_force")) == 1, "brute force across connections")
    # a guesser gives up and closes each connection it failed on
    failed = [c for c in conns if c.get("auth_success") is False]
    claim(len(kinds("auth_closed", by="client", reason="gave_up")) == len(failed),
          "each failed connection closed by the client during authentication")
elif name == "sshniff_lstlpn":
    # README: 8 keys, 7 horizontal arrows, 2 edit keys, Enter (ss -tlpn), then exit
    ks = kinds("keystroke")
    claim(sum(1 for e in ks if e["key"] == "arrow") == 7, "7 arrows")
    claim(sum(1 for e in ks[:8] if e["key"] == "char") == 8, "8 keys of ls -tlpn first")
    # the two edits inside the line (SSHniff: "unknown") are not Enters
    claim([e["key"] for e in ks[15:18]] == ["char", "char", "enter"], "2 edit keys, then Enter (ss -tlpn)")
    claim(ks[-1]["key"] == "enter" and [e["key"] for e in ks[-5:-1]] == ["char"] * 4, "exit + Enter last")
    claim(len(ks) == 23, "23 keys in all")
elif name == "sshniff_known_pass":
    claim(conns[-1].get("auth_method") == "password" and conns[-1].get("auth_success") is True, "password login")
    claim(conns[-1].get("host_known") is True, "known host")
    claim(len(kinds("keystroke", key="enter")) == 3, "three commands: ls -al, id, exit")
elif name == "patch_uptime_exit":
    claim(len(kinds("chaff")) >= 1, "chaff train recognised")
    patch_login()
    ks = kinds("keystroke")
    claim(len(ks) == 12, "uptime + Enter, exit + Enter = 12 keys, chaff not counted")
    claim(sum(1 for e in ks if e["key"] == "enter") == 2, "two Enters")
elif name.startswith("patch_"):
    claim(len(kinds("chaff")) >= 1, "chaff trains recognised")
    patch_login()
    claim(len(kinds("keystroke")) < 150, "chaff not counted as keys")
print(f"claims ok {name}")
