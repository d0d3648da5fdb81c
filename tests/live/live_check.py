#!/usr/bin/env python3
"""Drives live traffic on this namespace's loopback and checks strider's
live output (see t_live.sh). Prints each connection's latency from close to
its JSON line; the timing target (1 s) is measured, not asserted: the test
fails only when a line never comes (10 s) or anything is lost."""
import json, os, signal, socket, subprocess, sys, threading, time

STRIDER, OUT = sys.argv[1], sys.argv[2]
TCP_PORT, SSH_PORT = 8080, 2222
N_CLOSED = 5
failures = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + (": " + detail if detail else ""))
    if not ok:
        failures.append(what)


def server(port, banner):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(64)

    def handle(c):
        with c:
            try:
                if banner:
                    c.sendall(banner)
                while True:
                    d = c.recv(65536)
                    if not d:
                        return
                    c.sendall(d.upper())
            except OSError:  # the client may reset: that is traffic too
                return

    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=handle, args=(c,), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()


def lines(path):
    try:
        with open(path) as f:
            return [json.loads(l) for l in f if l.strip()]
    except (OSError, ValueError):
        return []


def wait_for(path, pred, timeout=10.0):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        for r in lines(path):
            if pred(r):
                return time.monotonic() - t0
        time.sleep(0.02)
    return None


def start(args, name):
    f = open(os.path.join(OUT, name), "w")
    return subprocess.Popen([STRIDER, *args, "-i", "lo", "--json", "--stats-interval", "1"], stdout=f,
                            stderr=open(os.path.join(OUT, name + ".err"), "w")), f


server(TCP_PORT, None)
server(SSH_PORT, b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
copy = os.path.join(OUT, "copy.pcapng")
dump = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-w", copy], stderr=subprocess.DEVNULL)
conns_p, _ = start(["conns"], "conns.jsonl")
ssh_p, _ = start(["ssh", "-m"], "ssh.jsonl")


def listening(name, timeout=10.0):
    """Seconds until strider said it captures (its handlers are in place), or None."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        with open(os.path.join(OUT, name + ".err")) as f:
            if "strider: listening on lo, link-type " in f.read():
                return time.monotonic() - t0
        time.sleep(0.02)
    return None


for name in ("conns.jsonl", "ssh.jsonl"):
    check("%s says it is listening" % name, listening(name) is not None, "no 'listening on lo' line")
time.sleep(0.5)  # dumpcap capturing too (it says nothing with -q)

conns_out, ssh_out = os.path.join(OUT, "conns.jsonl"), os.path.join(OUT, "ssh.jsonl")
ports = []
for i in range(N_CLOSED):
    c = socket.create_connection(("127.0.0.1", TCP_PORT))
    port = c.getsockname()[1]
    c.sendall(b"hello %d\n" % i)
    c.recv(100)
    c.close()
    lat = wait_for(conns_out, lambda r, p=port: r.get("id.orig_p") == p)
    check("conns line for closed connection %d while capturing" % port, lat is not None,
          "%.2f s after close" % lat if lat is not None else "none within 10 s")
    ports.append(port)

c = socket.create_connection(("127.0.0.1", SSH_PORT))
ssh_port = c.getsockname()[1]
c.recv(100)
c.sendall(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")
time.sleep(0.2)
c.close()
lat = wait_for(ssh_out, lambda r: r.get("type") == "ssh" and r.get("id.orig_p") == ssh_port)
check("ssh line while capturing", lat is not None, "%.2f s after close" % lat if lat is not None else "none")

# one connection left open, then SIGINT: it must be written, exit 0
held = socket.create_connection(("127.0.0.1", TCP_PORT))
held_port = held.getsockname()[1]
held.sendall(b"still here\n")
held.recv(100)
time.sleep(0.5)
for p, name in ((conns_p, "conns"), (ssh_p, "ssh")):
    p.send_signal(signal.SIGINT)
    try:
        rc = p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        rc = "hung"
    check("%s exits 0 on SIGINT" % name, rc == 0, "exit %s" % rc)
live = {r["id.orig_p"]: r for r in lines(conns_out)}
check("open connection written at SIGINT", held_port in live,
      live.get(held_port, {}).get("conn_state", "missing"))
err = open(conns_out + ".err").read()
check("stats line on stderr", "strider: stats:" in err, err.strip().splitlines()[-1] if err.strip() else "")
held.close()
time.sleep(0.5)
dump.send_signal(signal.SIGINT)
dump.wait(timeout=10)

# nothing lost: every closed connection has the same facts offline
off = subprocess.run([STRIDER, "conns", "--json", copy], capture_output=True, text=True)
offline = {r["id.orig_p"]: r for r in map(json.loads, off.stdout.splitlines())}
keys = ("id.resp_p", "orig_pkts", "resp_pkts", "orig_bytes", "resp_bytes", "conn_state", "history")
for p in ports + [ssh_port]:
    a, b = live.get(p) if p != ssh_port else live.get(p), offline.get(p)
    same = a is not None and b is not None and all(a.get(k) == b.get(k) for k in keys)
    check("port %d: live = offline" % p, same,
          "" if same else "live %s / offline %s" % ({k: (a or {}).get(k) for k in keys},
                                                  {k: (b or {}).get(k) for k in keys}))
# a real SSH session (the bundled demo: a login after two wrong passwords,
# then a reverse session through -R) played on the loopback 4x faster:
# findings that matter now come while the connection still goes on
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
demo = os.path.join(REPO, "samples", "demo.pcap")
early_p, _ = start(["ssh"], "early.jsonl")
time.sleep(1.0)
subprocess.run([sys.executable, os.path.join(REPO, "tests", "live", "replay.py"), demo, "lo", "4"], check=True)
time.sleep(1.0)
early_p.send_signal(signal.SIGINT)
check("ssh (replay) exits 0 on SIGINT", early_p.wait(timeout=10) == 0)
rows = lines(os.path.join(OUT, "early.jsonl"))
first_ssh = next((i for i, r in enumerate(rows) if r.get("type") == "ssh"), len(rows))
early = [r for r in rows[:first_ssh] if r.get("live")]
kinds = sorted({(r["kind"], r["leg"]) for r in early})
check("live findings before the connection ends", ("auth_attempt", "forward") in kinds and
      ("reverse_provisioned", "forward") in kinds and ("reverse_init", "reverse") in kinds, str(kinds))
final = {(r.get("kind"), r.get("frame"), r.get("leg")) for r in rows[first_ssh:] if r.get("type") == "event"}
check("each live finding is in the connection's final events",
      all((r["kind"], r["frame"], r["leg"]) in final for r in early))
print("%d checks failed" % len(failures))
sys.exit(1 if failures else 0)
