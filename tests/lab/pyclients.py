"""SSH peers written with Python SSH libraries, for the lab's scenarios of
other implementations (run inside a lab namespace with /usr/bin/python3;
Debian's python3-paramiko and python3-asyncssh):

  pyclients.py paramiko-exec HOST KH KEY CMD...      one connection per command (KEY: a key
                                                     file, or pw:PASSWORD for a password login)
  pyclients.py paramiko-password HOST KH USER PW... CMD
                                                     one connection: each password in turn
                                                     (auth_password), then an exec of CMD
  pyclients.py paramiko-sftp HOST KH KEY UP REMOTE_UP DOWN LOCAL
                                                     SFTP: listdir, put UP, get DOWN
  pyclients.py paramiko-shell HOST KH KEY GAP CMD... invoke_shell; each command line sent in
                                                     one write GAP s after the prompt, then exit
  pyclients.py asyncssh-exec HOST KH KEY CMD...      one connection per command (conn.run)
  pyclients.py asyncssh-forward HOST KH KEY LPORT RHOST RPORT
                                                     a local forward only (no session) until
                                                     stdin closes
  pyclients.py asyncssh-server PORT HOSTKEY USER PW  a password-only server whose shell is
                                                     asyncssh's line editor and a few commands

Each client prints one JSON object per event on stdout, stamped with
time.time() (the clock that stamps the capture) right before the library
call that sends it: {"ev": "connect" | "auth" | "exec" | "send" | "xfer" |
"close" | "ready", "ts": ..., ...}. Passwords are the lab accounts'.
"""
import json
import os
import socket
import sys
import time
import warnings

warnings.filterwarnings("ignore")   # cryptography's deprecation chatter


def ev(kind, **kw):
    kw.update(ev=kind, ts=round(time.time(), 6))
    print(json.dumps(kw), flush=True)
    return kw["ts"]


# --------------------------------------------------------------------------
# paramiko
# --------------------------------------------------------------------------
def credential(key):
    """KEY arguments: a private key file, or pw:PASSWORD (a script's
    password login)."""
    return (None, key[3:]) if key.startswith("pw:") else (key, None)


def pm_client(host, kh, key):
    """An SSHClient that knows the host (known_hosts kh, RejectPolicy) and
    logs in with the private key file key (or pw:PASSWORD)."""
    import paramiko
    kf, pw = credential(key)
    c = paramiko.SSHClient()
    c.load_host_keys(kh)
    c.set_missing_host_key_policy(paramiko.RejectPolicy())
    ts = ev("connect")
    c.connect(host, username="sdlab", key_filename=kf, password=pw, look_for_keys=False,
              allow_agent=False, timeout=15)
    if pw:
        print(json.dumps({"ev": "auth", "ts": ts, "method": "password", "password_len": len(pw),
                          "result": "success"}), flush=True)
    else:
        ev("auth", method="publickey", result="success")
    return c


def pm_exec(host, kh, key, *cmds):
    for cmd in cmds:
        c = pm_client(host, kh, key)
        ev("exec", cmd=cmd)
        _, out, _ = c.exec_command(cmd)
        data = out.read()
        c.close()
        ev("close", output_bytes=len(data))
        time.sleep(1.5)


def pm_password(host, kh, user, *rest):
    """A Transport of its own: paramiko's SSHClient gives up after one
    failed password, a script retrying on the connection does not."""
    import paramiko
    pws, cmd = rest[:-1], rest[-1]
    keys = paramiko.HostKeys(kh)
    ev("connect")
    t = paramiko.Transport(socket.create_connection((host, 22), 15))
    t.start_client(timeout=15)
    hk = t.get_remote_server_key()
    if not keys.check(host, hk):
        raise SystemExit("unknown host key")
    for pw in pws:
        ts = ev("auth_send", method="password", password_len=len(pw))
        try:
            t.auth_password(user, pw)
            ok = True
        except paramiko.AuthenticationException:
            ok = False
        print(json.dumps({"ev": "auth", "ts": ts, "method": "password", "password_len": len(pw),
                          "result": "success" if ok else "failure"}), flush=True)
        if ok:
            break
        time.sleep(1.0)
    ch = t.open_session()
    ev("exec", cmd=cmd)
    ch.exec_command(cmd)
    data = b""
    while True:
        b = ch.recv(65536)
        if not b:
            break
        data += b
    ch.close()
    t.close()
    ev("close", output_bytes=len(data))


def pm_sftp(host, kh, key, up, remote_up, down, local):
    c = pm_client(host, kh, key)
    s = c.open_sftp()
    ev("exec", cmd="sftp")
    s.listdir(".")
    time.sleep(1.0)
    t0 = ev("xfer_start", direction="upload")
    s.put(up, remote_up)
    ev("xfer", direction="upload", start=t0, bytes=os.path.getsize(up))
    time.sleep(1.0)
    t0 = ev("xfer_start", direction="download")
    s.get(down, local)
    ev("xfer", direction="download", start=t0, bytes=os.path.getsize(local))
    s.close()
    c.close()
    ev("close")


def read_until(ch, pattern, timeout=15):
    buf = b""
    end = time.time() + timeout
    while time.time() < end:
        if ch.recv_ready():
            buf += ch.recv(65536)
            if buf.rstrip().endswith(pattern):
                return buf
        else:
            time.sleep(0.01)
    raise SystemExit("no prompt: %r" % buf[-200:])


def pm_shell(host, kh, key, gap, *cmds):
    """What an automation script does with invoke_shell: wait for the
    prompt, send a whole command line in one write, wait again."""
    c = pm_client(host, kh, key)
    ch = c.invoke_shell()
    ev("exec", cmd="shell")
    read_until(ch, b"$")
    for cmd in list(cmds) + ["exit"]:
        time.sleep(float(gap))
        line = cmd + "\n"
        ev("send", bytes=len(line), cmd=cmd)
        ch.send(line.encode())
        if cmd != "exit":
            read_until(ch, b"$")
    while not ch.exit_status_ready():
        time.sleep(0.05)
    c.close()
    ev("close")


# --------------------------------------------------------------------------
# AsyncSSH
# --------------------------------------------------------------------------
def as_connect(host, kh, key):
    import asyncssh
    kf, pw = credential(key)
    ev("connect")
    return asyncssh.connect(host, username="sdlab", known_hosts=kh, client_keys=[kf] if kf else None,
                            password=pw, agent_path=None, config=None)


def as_exec(host, kh, key, *cmds):
    import asyncio

    async def run():
        for cmd in cmds:
            async with as_connect(host, kh, key) as conn:
                kf, pw = credential(key)
                if pw:  # sent inside connect(): its time is the server log's
                    ev("auth", method="password", result="success", password_len=len(pw),
                       log_ts=True)
                else:
                    ev("auth", method="publickey", result="success")
                ev("exec", cmd=cmd)
                r = await conn.run(cmd)
            ev("close", output_bytes=len(r.stdout.encode()))
            await asyncio.sleep(1.5)
    asyncio.run(run())


def as_forward(host, kh, key, lport, rhost, rport):
    import asyncio

    async def run():
        async with as_connect(host, kh, key) as conn:
            ev("auth", method="publickey", result="success")
            await conn.forward_local_port("127.0.0.1", int(lport), rhost, int(rport))
            ev("ready")
            loop = asyncio.get_running_loop()
            await loop.run_in_executor(None, sys.stdin.read)
        ev("close")
    asyncio.run(run())


SERVER_CMDS = {"pwd": "/home/sdlab", "whoami": "sdlab", "id": "uid=1001(sdlab) gid=1001(sdlab)",
               "ls": "Documents  Downloads  notes.txt  projects",
               "uname": "Linux lab 6.1.0 x86_64 GNU/Linux"}


def as_server(port, hostkey, user, pw):
    """A small appliance-like SSH server (AsyncSSH): password logins, a
    shell whose line editing (echo, Backspace, arrows) is AsyncSSH's own."""
    import asyncio
    import asyncssh

    class Server(asyncssh.SSHServer):
        def begin_auth(self, username):
            return True

        def password_auth_supported(self):
            return True

        def validate_password(self, username, password):
            return username == user and password == pw

    async def shell(proc):
        prompt = "%s@lab:~$ " % user
        proc.stdout.write(prompt)
        while True:
            try:
                line = await proc.stdin.readline()
            except asyncssh.BreakReceived:
                continue
            if not line:
                break
            cmd = line.strip()
            if cmd == "exit":
                break
            if cmd:
                out = SERVER_CMDS.get(cmd.split()[0], "%s: command not found" % cmd.split()[0])
                proc.stdout.write(out + "\r\n")
            proc.stdout.write(prompt)
        proc.exit(0)

    async def run():
        await asyncssh.create_server(Server, "0.0.0.0", int(port), server_host_keys=[hostkey],
                                     process_factory=shell)
        ev("ready")
        await asyncio.Event().wait()
    asyncio.run(run())


CMDS = {"paramiko-exec": pm_exec, "paramiko-password": pm_password, "paramiko-sftp": pm_sftp,
        "paramiko-shell": pm_shell, "asyncssh-exec": as_exec, "asyncssh-forward": as_forward,
        "asyncssh-server": as_server}

if __name__ == "__main__":
    CMDS[sys.argv[1]](*sys.argv[2:])
