"""Harness of the SSH lab: network namespaces, servers, capture, a human-like
typist driving real clients through pexpect, and the label writer.

Everything here runs as root and touches only what it creates: namespaces
named sdlab<L><role>, addresses in 10.201.0.0/16 inside them, users sdlab and
sdlab2, the lab's work directory. Teardown is idempotent and always runs.
"""
import copy
import fcntl
import heapq
import ipaddress
import json
import math
import os
import random
import re
import shutil
import signal
import select
import struct
import subprocess
import threading
import time

import pexpect

LAB_DIR = os.path.dirname(os.path.abspath(__file__))
PY = "/usr/bin/python3"

# Lab accounts (shared /etc/passwd: namespaces only split the network).
# USERS[name] = password; sdlab has a short (<= 8) and sdlab2 a long one.
USERS = {"sdlab": "Tr0ub4d!", "sdlab2": "correct-horse-battery-9"}
# (zsh and fish end their prompt with terminal mode changes and cursor moves)
PROMPT_RE = r"lab[^\r\n]*\$ (\x1b(\[[0-9;?]*[a-zA-Z]|[=>])|\r)*$"

# The five suites of the issue: name -> ssh options forcing them.
SUITES = {
    "chacha": ["-c", "chacha20-poly1305@openssh.com"],
    "aes128gcm": ["-c", "aes128-gcm@openssh.com"],
    "aes256ctr-sha256": ["-c", "aes256-ctr", "-m", "hmac-sha2-256"],
    "aes128ctr-sha256etm": ["-c", "aes128-ctr", "-m", "hmac-sha2-256-etm@openssh.com"],
    "aes128ctr-umac64etm": ["-c", "aes128-ctr", "-m", "umac-64-etm@openssh.com"],
}


def sh(cmd, check=True, **kw):
    return subprocess.run(cmd, shell=isinstance(cmd, str), check=check,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, **kw)


# --------------------------------------------------------------------------
# Topology: per lane L three namespaces c (client), s (server), b (bastion).
#   c <-> s  10.201.(4L).0/24     c=.1 s=.2   (direct path, most scenarios)
#   c <-> b  10.201.(4L+1).0/24   c=.1 b=.2   (ProxyJump first hop)
#   b <-> s  10.201.(4L+2).0/24   b=.1 s=.2   (bastion to server)
# --------------------------------------------------------------------------
class Lane:
    def __init__(self, idx):
        self.idx = idx
        p = "sdlab%d" % idx
        self.ns = {"c": p + "c", "s": p + "s", "b": p + "b"}
        n = 4 * idx
        self.c_ip = "10.201.%d.1" % n
        self.s_ip = "10.201.%d.2" % n
        self.cb_c_ip = "10.201.%d.1" % (n + 1)
        self.b_ip = "10.201.%d.2" % (n + 1)
        self.bs_b_ip = "10.201.%d.1" % (n + 2)
        self.bs_s_ip = "10.201.%d.2" % (n + 2)
        # interface names (<= 15 chars), the capture is taken on c's side
        self.if_cs = "sl%dcs" % idx   # in c, peer sl<L>sc in s
        self.if_cb = "sl%dcb" % idx   # in c, peer sl<L>bc in b

    def links(self):
        i = self.idx
        return [("c", "sl%dcs" % i, self.c_ip, "s", "sl%dsc" % i, self.s_ip),
                ("c", "sl%dcb" % i, self.cb_c_ip, "b", "sl%dbc" % i, self.b_ip),
                ("b", "sl%dbs" % i, self.bs_b_ip, "s", "sl%dsb" % i, self.bs_s_ip)]

    def with_ipv6(self):
        """A copy of the lane whose client and server (c <-> s link) have
        IPv6 addresses fd00:201:<L>::1 and ::2 (RFC 4193 local, as
        RFC 5952 writes them, the way tshark and strider print them),
        set up on the link now. No link-local address, no router
        solicitation, no duplicate-address probe: the capture has only
        neighbour discovery (IPv6's ARP) besides the sessions."""
        v6 = copy.copy(self)
        v6.c_ip = str(ipaddress.ip_address("fd00:201:%x::1" % self.idx))
        v6.s_ip = str(ipaddress.ip_address("fd00:201:%x::2" % self.idx))
        for role, ifn, ip in (("c", self.if_cs, v6.c_ip), ("s", "sl%dsc" % self.idx, v6.s_ip)):
            for k, v in (("addr_gen_mode", 1), ("accept_ra", 0), ("router_solicitations", 0),
                         ("dad_transmits", 0), ("disable_ipv6", 0)):
                sh(self.nsx(role) + ["sysctl", "-q", "-w", "net.ipv6.conf.%s.%s=%d" % (ifn, k, v)])
            sh(self.nsx(role) + ["ip", "-6", "addr", "add", ip + "/64", "dev", ifn, "nodad"])
        return v6

    def without_ipv6(self):
        """with_ipv6 undone: the link back to IPv4 only."""
        for role, ifn in (("c", self.if_cs), ("s", "sl%dsc" % self.idx)):
            sh(self.nsx(role) + ["ip", "-6", "addr", "flush", "dev", ifn], check=False)
            sh(self.nsx(role) + ["sysctl", "-q", "-w", "net.ipv6.conf.%s.disable_ipv6=1" % ifn],
               check=False)

    def nsx(self, role):
        return ["ip", "netns", "exec", self.ns[role]]

    def up(self):
        self.down()
        for role in "csb":
            sh(["ip", "netns", "add", self.ns[role]])
            sh(self.nsx(role) + ["ip", "link", "set", "lo", "up"])
            # no IPv6 autoconf chatter in the captures
            sh(self.nsx(role) + ["sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1"])
            sh(self.nsx(role) + ["sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1"])
        for l in self.links():
            self.add_link(*l)

    def add_link(self, ra, ia, ipa, rb, ib, ipb):
        sh(["ip", "link", "add", ia, "netns", self.ns[ra], "type", "veth",
            "peer", "name", ib, "netns", self.ns[rb]])
        for role, ifn, ip in ((ra, ia, ipa), (rb, ib, ipb)):
            sh(self.nsx(role) + ["ip", "addr", "add", ip + "/24", "dev", ifn])
            sh(self.nsx(role) + ["ip", "link", "set", ifn, "up"])
            # Offloads off so the client-side capture shows wire-sized
            # segments with valid checksums (no 64 KiB GSO super-packets).
            if shutil.which("ethtool"):
                sh(self.nsx(role) + ["ethtool", "-K", ifn, "tx", "off", "rx", "off",
                                     "tso", "off", "gso", "off", "gro", "off"], check=False)

    def link(self, name):
        """(role, iface, peer role, peer iface) of link "cs" or "cb"."""
        for ra, ia, _, rb, ib, _ in self.links():
            if ra + rb == name[0] + name[1]:
                return ra, ia, rb, ib
        raise ValueError(name)

    def set_offloads(self, name, on):
        """Offloads of both ends of a link: on = the kernel's defaults for a
        veth (GSO/TSO super-segments, partial checksums, GRO), as an
        analyst's capture on an ordinary host shows them; off = up()'s."""
        if not shutil.which("ethtool"):
            raise RuntimeError("ethtool needed for the offloads option")
        v = "on" if on else "off"
        ra, ia, rb, ib = self.link(name)
        for role, ifn in ((ra, ia), (rb, ib)):
            sh(self.nsx(role) + ["ethtool", "-K", ifn, "tx", v, "rx", v,
                                 "tso", v, "gso", v, "gro", v], check=False)

    def delay_link(self, name, rtt_ms):
        """Replace the veth pair of link `name` by two TAP devices (same
        names, addresses) joined by a forwarder thread that holds each
        frame rtt_ms/2 in each direction: a path with a round-trip time
        (the kernel has no netem here). Frames keep their order and size;
        TCP sees the delay (its ACKs too). Returns the forwarder."""
        ra, ia, rb, ib = self.link(name)
        ips = {l[1]: l[2] for l in self.links()}
        ips.update({l[4]: l[5] for l in self.links()})
        sh(self.nsx(ra) + ["ip", "link", "del", ia], check=False)
        fds = []
        for role, ifn in ((ra, ia), (rb, ib)):
            fd = os.open("/dev/net/tun", os.O_RDWR)
            fcntl.ioctl(fd, 0x400454ca, struct.pack("16sH", ifn.encode(), 0x0002 | 0x1000))
            fds.append(fd)
            sh(["ip", "link", "set", ifn, "netns", self.ns[role]])
            sh(self.nsx(role) + ["ip", "addr", "add", ips[ifn] + "/24", "dev", ifn])
            sh(self.nsx(role) + ["ip", "link", "set", ifn, "up"])
            if shutil.which("ethtool"):
                sh(self.nsx(role) + ["ethtool", "-K", ifn, "tx", "off", "rx", "off",
                                     "tso", "off", "gso", "off", "gro", "off"], check=False)
        fw = DelayForwarder(fds[0], fds[1], rtt_ms / 2000.0)
        fw.start()
        return fw

    def restore_link(self, name, fw):
        """Back to up()'s veth pair after delay_link."""
        ra, ia, rb, ib = self.link(name)
        fw.stop()
        sh(self.nsx(ra) + ["ip", "link", "del", ia], check=False)
        sh(self.nsx(rb) + ["ip", "link", "del", ib], check=False)
        for l in self.links():
            if (l[1], l[4]) == (ia, ib):
                self.add_link(*l)

    def kill_procs(self):
        """Kill what is left in our namespaces (only processes we started)."""
        for role in "csb":
            r = sh(["ip", "netns", "pids", self.ns[role]], check=False)
            for pid in r.stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass

    def down(self):
        self.kill_procs()
        for role in "csb":
            sh(["ip", "netns", "del", self.ns[role]], check=False)


class DelayForwarder:
    """Copies Ethernet frames between two TAP fds, each one `owd` seconds
    after it was read (one-way delay), in order. A process of its own
    (`lablib.py tapdelay`): in the generator's threads it would wait for
    the other lane's Python work and hold frames back at random."""

    def __init__(self, fa, fb, owd):
        self.fds = (fa, fb)
        self.p = subprocess.Popen([PY, os.path.abspath(__file__), "tapdelay", str(fa), str(fb),
                                   repr(owd)], pass_fds=(fa, fb), start_new_session=True)

    def start(self):
        pass

    def stop(self):
        self.p.terminate()
        try:
            self.p.wait(3)
        except subprocess.TimeoutExpired:
            self.p.kill()
        for fd in self.fds:
            os.close(fd)


def tapdelay(fa, fb, owd):
    q, n = [], 0
    while True:
        wait = 0.05
        if q:
            wait = max(0.0, min(wait, q[0][0] - time.time()))
        r, _, _ = select.select([fa, fb], [], [], wait)
        now = time.time()
        for fd in r:
            try:
                fr = os.read(fd, 65536)
            except OSError:
                continue
            n += 1
            heapq.heappush(q, (now + owd, n, fb if fd == fa else fa, fr))
        now = time.time()
        while q and q[0][0] <= now:
            _, _, fd, fr = heapq.heappop(q)
            try:
                os.write(fd, fr)
            except OSError:
                pass


# --------------------------------------------------------------------------
# One-time machine and work-directory setup (idempotent).
# --------------------------------------------------------------------------
def ensure_users(work):
    for user, pw in USERS.items():
        if sh(["id", user], check=False).returncode != 0:
            sh(["useradd", "-m", "-s", "/bin/bash", user])
        sh("chpasswd", input="%s:%s\n" % (user, pw))
        home = os.path.expanduser("~" + user)
        for d in ("Documents", "projects", "Downloads"):
            os.makedirs(os.path.join(home, d), exist_ok=True)
        with open(os.path.join(home, "notes.txt"), "w") as f:
            f.write("lab notes\n" * 20)
        # fixed prompt (PROMPT_RE), no history file, no bracketed-paste noise
        rc = ("PS1='\\u@lab:\\w\\$ '\nHISTFILE=/dev/null\n"
              "bind 'set enable-bracketed-paste off' 2>/dev/null\n")
        for name in (".bashrc", ".bash_profile"):
            with open(os.path.join(home, name), "w") as f:
                f.write(rc)
        write_shell_rcs(home, user)
        sshd = os.path.join(home, ".ssh")
        os.makedirs(sshd, exist_ok=True)
        shutil.copy(os.path.join(work, "keys", "client_ed25519.pub"),
                    os.path.join(sshd, "authorized_keys"))
        # the server-side reverse client trusts the client's own sshd
        with open(os.path.join(work, "keys", "clientsshd_ed25519.pub")) as f:
            k = f.read().split()
        with open(os.path.join(sshd, "known_hosts"), "w") as f:
            f.write("[localhost]:2222 %s %s\n" % (k[0], k[1]))
        rng = random.Random(7)
        for name, size in (("download.bin", 393216), ("sftp_down.bin", 98304),
                           ("small_down.bin", 49152)):
            with open(os.path.join(home, name), "wb") as f:
                f.write(bytes(rng.getrandbits(8) for _ in range(size)))
        sh(["chown", "-R", "%s:%s" % (user, user), home])
        os.chmod(sshd, 0o700)
        os.chmod(os.path.join(sshd, "authorized_keys"), 0o600)


def write_shell_rcs(home, user):
    """Other shells' start files (scenarios run them with sshd's
    ForceCommand): the lab's prompt (PROMPT_RE), no history file, each
    shell's line editor otherwise as installed (zsh's completion system
    and bracketed paste, fish's autosuggestions and highlighting)."""
    files = {
        ".zshrc": "PROMPT='%n@lab:%~$ '\nHISTFILE=/dev/null\nHISTSIZE=200\nbindkey -e\n"
                  "autoload -Uz compinit && compinit -u -D\n",
        # dash -l reads ~/.profile (bash reads ~/.bash_profile instead)
        ".profile": "PS1='%s@lab:$ '\n" % user,
        ".config/fish/config.fish": "set -g fish_history ''\n"
                                    "function fish_prompt; echo -n (whoami)'@lab:'(prompt_pwd)'$ '; end\n",
    }
    for name, text in files.items():
        path = os.path.join(home, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)


def lock_users():
    """Known passwords must not open the machine's own sshd between runs."""
    for user in USERS:
        sh(["usermod", "-L", user], check=False)


def ensure_work(work, seed=1):
    """Keys (new each run: fingerprints are not labels), payload files."""
    kd = os.path.join(work, "keys")
    os.makedirs(kd, exist_ok=True)
    for name, t in (("server_ed25519", "ed25519"), ("server_rsa", "rsa"),
                    ("server_ecdsa", "ecdsa"),
                    ("bastion_ed25519", "ed25519"), ("clientsshd_ed25519", "ed25519"),
                    ("client_ed25519", "ed25519")):
        p = os.path.join(kd, name)
        if not os.path.exists(p):
            sh(["ssh-keygen", "-q", "-t", t, "-N", "", "-C", "sdlab-" + name, "-f", p])
    p = os.path.join(kd, "dropbear_ed25519")
    if not os.path.exists(p):
        sh(["dropbearkey", "-t", "ed25519", "-f", p])
    p = os.path.join(kd, "client_dropbear")
    if not os.path.exists(p):
        sh(["dropbearconvert", "openssh", "dropbear",
            os.path.join(kd, "client_ed25519"), p])
    os.makedirs("/run/sshd", mode=0o755, exist_ok=True)
    # payloads of known sizes (seeded) for scp/sftp/http
    rng = random.Random(seed)
    files = os.path.join(work, "files")
    www = os.path.join(work, "www")
    os.makedirs(files, exist_ok=True)
    os.makedirs(www, exist_ok=True)
    for d, name, size in ((files, "upload.bin", 262144), (files, "sftp_up.bin", 131072),
                          (www, "page.html", 20000), (www, "big.bin", 150000),
                          (files, "small_up.bin", 65536)):
        with open(os.path.join(d, name), "wb") as f:
            f.write(bytes(rng.getrandbits(8) for _ in range(size)))


def file_size(path):
    return os.path.getsize(path)


# --------------------------------------------------------------------------
# Log watcher: timestamps each new line of a log file with the capture clock
# (time.time() is CLOCK_REALTIME, which stamps the kernel's packet times).
# --------------------------------------------------------------------------
class LogWatch:
    def __init__(self, path):
        self.path = path
        self.lines = []  # (ts, line)
        self._stop = False
        open(path, "a").close()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        with open(self.path, errors="replace") as f:
            buf = ""
            while True:
                chunk = f.read()
                if chunk:
                    now = time.time()
                    buf += chunk
                    while "\n" in buf:
                        line, buf = buf.split("\n", 1)
                        self.lines.append((now, line.rstrip("\r")))
                elif self._stop:
                    return
                else:
                    time.sleep(0.003)

    def stop(self):
        time.sleep(0.05)
        self._stop = True
        self._t.join(2)

    def first(self, pattern, after=0.0):
        rx = re.compile(pattern)
        for ts, line in list(self.lines):
            if ts >= after and rx.search(line):
                return ts, line
        return None, None

    def all(self, pattern):
        rx = re.compile(pattern)
        return [(ts, l) for ts, l in list(self.lines) if rx.search(l)]

    def wait(self, pattern, timeout=10.0, after=0.0):
        end = time.time() + timeout
        while time.time() < end:
            ts, line = self.first(pattern, after)
            if ts is not None:
                return ts, line
            time.sleep(0.01)
        return None, None


def suite_from_log(watch, side="client"):
    """Negotiated algorithms from an OpenSSH -vv (client) or DEBUG (sshd) log."""
    out = {}
    ts, l = watch.first(r"kex: algorithm: ")
    if l:
        out["kex"] = l.split("kex: algorithm: ")[1].split()[0]
    ts, l = watch.first(r"kex: host key algorithm: ")
    if l:
        out["hostkey"] = l.split("kex: host key algorithm: ")[1].split()[0]
    ts, l = watch.first(r"kex: client->server cipher: ")
    if l:
        m = re.search(r"cipher: (\S+) MAC: (\S+) compression: (\S+)", l)
        if m:
            out["cipher"] = m.group(1)
            out["mac"] = m.group(2)
            out["compression"] = m.group(3)
    return out


# --------------------------------------------------------------------------
# Scenario context
# --------------------------------------------------------------------------
class Scenario:
    """Holds one scenario's lane, RNG, processes and labels."""

    def __init__(self, name, seed, lane, work, outdir, iface="cs", description=""):
        """iface: the captured link, "cs" (client-server) or "cb" (client-
        bastion), or a dict {"link": "cs"|"cb", "vantage": "client"|"server",
        "offloads": bool, "rtt_ms": int}: vantage "server" takes the capture
        in the link's far namespace (server or bastion) on its end of the
        link; offloads True leaves the link's offloads at the kernel's
        defaults; rtt_ms > 0 gives the link a round-trip time (TAP devices
        and a forwarder, Lane.delay_link). The defaults are the lab's
        original capture (client side, offloads off, no delay)."""
        opt = iface if isinstance(iface, dict) else {"link": iface}
        link = opt.get("link", "cs")
        self.vantage = opt.get("vantage", "client")
        self.offloads = bool(opt.get("offloads", False))
        self.rtt_ms = int(opt.get("rtt_ms", 0))
        self.link = link
        self.delay_fw = None
        self.name = name
        self.rng = random.Random(seed)
        self.lane = lane
        self.work = work
        self.sdir = os.path.join(work, "run", name)
        shutil.rmtree(self.sdir, ignore_errors=True)
        os.makedirs(self.sdir)
        self.outdir = outdir
        ra, ia, rb, ib = lane.link(link)
        self.cap_role, self.iface = (rb, ib) if self.vantage == "server" else (ra, ia)
        if self.rtt_ms:
            self.delay_fw = lane.delay_link(link, self.rtt_ms)
        if self.offloads:
            lane.set_offloads(link, True)
        # ipv6: the lane's client-server link gets IPv6 addresses of its
        # own and the scenario sees them as the lane's (a copy of the lane:
        # the generator's keeps the IPv4 ones for the next scenario)
        self.ipv6 = bool(opt.get("ipv6", False))
        self.base_lane = lane    # the lane as up() made it (IPv4 only)
        if self.ipv6:
            self.lane = lane = lane.with_ipv6()
        # any: tcpdump -i any (Linux cooked capture, SLL2, linktype 276)
        # in the capture's namespace instead of the link's interface
        if opt.get("any"):
            self.iface = "any"
        self.procs = []
        self.children = []
        self.watches = []
        self.labels = {
            "schema": "strider-lab-labels/1",
            "scenario": name,
            "seed": seed,
            "description": description,
            "capture": {"file": name + ".pcap", "side": self.vantage, "iface": self.iface},
            "legs": [],
            "auth": [],
            "host_known": None,
            "agent_forwarding": {"requested": False, "used": False, "used_ts": []},
            "reverse": None,
            "keystrokes": [],
            "commands": [],
            "transfers": [],
            "forwards": [],
            "scripted": False,
            "idle": [],
        }
        if self.offloads or self.rtt_ms:
            self.labels["capture"]["offloads"] = self.offloads
            self.labels["capture"]["rtt_ms"] = self.rtt_ms
        if self.ipv6:
            self.labels["capture"]["ip"] = 6

    # ---------------- processes ----------------
    def bg(self, role, argv, log=None):
        f = open(log, "w") if log else subprocess.DEVNULL
        p = subprocess.Popen(self.lane.nsx(role) + argv, stdout=f, stderr=subprocess.STDOUT,
                             start_new_session=True)
        self.procs.append(p)
        return p

    def capture_start(self):
        self.pcap_tmp = os.path.join(self.sdir, self.name + ".pcap")
        log = os.path.join(self.sdir, "tcpdump.log")
        # -i any: one packet socket for every interface, whose default 2 MB
        # ring lost half of an scp upload's segments on this loaded machine
        # (lab any_scp_upload, first run): a larger ring (KiB)
        buf = ["-B", "32768"] if self.iface == "any" else []
        self.tcpdump = self.bg(self.cap_role, ["tcpdump", "-i", self.iface, "-s", "0", "-U", "-n", "--immediate-mode"] +
                               buf + ["-Z", "root", "-w", self.pcap_tmp], log=log)
        end = time.time() + 5
        while time.time() < end:
            if "listening on" in open(log).read():
                break
            time.sleep(0.02)
        time.sleep(0.2)

    def capture_stop(self):
        time.sleep(1.0)
        self.tcpdump.send_signal(signal.SIGINT)
        self.tcpdump.wait(5)
        # a capture that lost packets is no truth to score against
        m = re.search(r"(\d+) packets? dropped by kernel",
                      open(os.path.join(self.sdir, "tcpdump.log")).read())
        if m and int(m.group(1)):
            raise RuntimeError("%s: tcpdump lost %s packets (kernel)" % (self.name, m.group(1)))

    def sshd(self, role, port=22, listen=None, hostkeys=("server_ed25519", "server_rsa"),
             extra="", x11=False, pam=False, kbd=False, maxtries=6, pam_stack=None):
        """kbd: offer keyboard-interactive without PAM (sshd has no device
        for it then, so every such request fails at once, as OpenSSH's sshd
        does on a system whose PAM stack is off). pam_stack: a file bind-
        mounted on /etc/pam.d/sshd in a mount namespace of sshd's own (the
        machine's PAM configuration stays untouched)."""
        kd = os.path.join(self.work, "keys")
        tag = "sshd_%s_%d" % (role, port)
        conf = os.path.join(self.sdir, tag + ".conf")
        with open(conf, "w") as f:
            if listen is None:
                listen = "[::]" if self.ipv6 else "0.0.0.0"
            f.write("ListenAddress %s:%d\n" % (listen, port))
            for k in hostkeys:
                f.write("HostKey %s\n" % os.path.join(kd, k))
            f.write("PidFile %s\n" % os.path.join(self.sdir, tag + ".pid"))
            # pam: keyboard-interactive through PAM (Debian's /etc/pam.d/sshd)
            f.write("UsePAM %s\nPasswordAuthentication yes\nKbdInteractiveAuthentication %s\n"
                    % ("yes" if pam else "no", "yes" if pam or kbd else "no"))
            f.write("PubkeyAuthentication yes\nPermitRootLogin no\nStrictModes no\n"
                    "AllowTcpForwarding yes\nAllowAgentForwarding yes\n"
                    "X11Forwarding %s\nX11UseLocalhost yes\nXAuthLocation /usr/bin/xauth\n"
                    "PrintMotd no\nPrintLastLog no\nLogLevel DEBUG1\nMaxAuthTries %d\n"
                    "AllowUsers sdlab sdlab2\nUseDNS no\n"
                    "Subsystem sftp /usr/lib/openssh/sftp-server\n" % ("yes" if x11 else "no", maxtries) + extra)
        log = os.path.join(self.sdir, tag + ".log")
        argv = ["/usr/sbin/sshd", "-D", "-f", conf, "-E", log]
        if pam_stack:
            argv = ["unshare", "-m", "--propagation", "private", "sh", "-c",
                    'mount --bind "$0" /etc/pam.d/sshd && exec "$@"', pam_stack] + argv
        self.bg(role, argv)
        w = LogWatch(log)
        self.watches.append(w)
        w.wait(r"Server listening on", 5)
        return w

    def dropbear(self, role="s", port=2022):
        log = os.path.join(self.sdir, "dropbear.log")
        self.bg(role, ["dropbear", "-F", "-E", "-m", "-p", "0.0.0.0:%d" % port,
                       "-r", os.path.join(self.work, "keys", "dropbear_ed25519"),
                       "-P", os.path.join(self.sdir, "dropbear.pid")], log=log)
        w = LogWatch(log)
        self.watches.append(w)
        w.wait(r"Not backgrounding|Running in", 5)
        time.sleep(0.2)
        return w

    def http_server(self, role="s", port=8080, http11=False):
        """http11: HTTP/1.1 with keep-alive, so one client connection (one
        forwarded channel) carries several requests."""
        self.bg(role, [PY, "-m", "http.server", "--bind", "127.0.0.1", str(port),
                       "--directory", os.path.join(self.work, "www")] +
                (["--protocol", "HTTP/1.1"] if http11 else []))
        time.sleep(0.6)

    def spawn(self, role, argv, env=None):
        e = dict(os.environ, TERM="xterm", LANG="C", LC_ALL="C")
        e.pop("SSH_AUTH_SOCK", None)
        if env:
            e.update(env)
        argv = self.lane.nsx(role) + argv
        ch = pexpect.spawn(argv[0], argv[1:], env=e, encoding="utf-8",
                           codec_errors="replace", timeout=15, dimensions=(40, 120))
        ch.logfile_read = open(os.path.join(self.sdir, "tty_%d.log" % len(self.children)), "w")
        self.children.append(ch)
        return ch

    def ssh_argv(self, user, host, suite=None, known=True, port=22, key=False,
                 extra=(), log=None, cmd=None, tty=True):
        kd = os.path.join(self.work, "keys")
        kh = os.path.join(self.sdir, "known_hosts")
        if known:
            self.write_known_hosts(kh, host, port)
        else:
            open(kh, "w").close()
        a = ["ssh", "-F", "/dev/null", "-vv", "-E", log,
             "-o", "UserKnownHostsFile=" + kh, "-o", "GlobalKnownHostsFile=/dev/null",
             "-o", "StrictHostKeyChecking=ask", "-o", "HostKeyAlgorithms=ssh-ed25519",
             "-o", "IdentitiesOnly=yes", "-o", "NumberOfPasswordPrompts=3",
             "-p", str(port)]
        if key:
            a += ["-i", os.path.join(kd, "client_ed25519"),
                  "-o", "PreferredAuthentications=publickey"]
        else:
            a += ["-o", "PubkeyAuthentication=no",
                  "-o", "PreferredAuthentications=password"]
        if suite:
            a += SUITES[suite]
        a += list(extra)
        a += ["%s@%s" % (user, host)]
        if cmd:
            a += [cmd]
        return a

    def write_known_hosts(self, path, host, port=22, key="server_ed25519"):
        with open(os.path.join(self.work, "keys", key + ".pub")) as f:
            k = f.read().split()
        h = host if port == 22 else "[%s]:%d" % (host, port)
        with open(path, "a") as f:
            f.write("%s %s %s\n" % (h, k[0], k[1]))

    def watch(self, path):
        w = LogWatch(path)
        self.watches.append(w)
        return w

    # ---------------- legs ----------------
    def add_leg(self, leg, client_ip, server_ip, server_port, client_sw, server_sw,
                in_capture=True, carried_by=None, started=None, user=None):
        d = {"leg": leg, "id": "%s%d" % (leg, sum(1 for l in self.labels["legs"] if l["leg"] == leg)),
             "client_ip": client_ip, "client_port": None, "server_ip": server_ip,
             "server_port": server_port, "client_software": client_sw,
             "server_software": server_sw, "in_capture": in_capture,
             "carried_by": carried_by, "connect_ts": started or time.time(),
             "user": user, "suite": {}}
        self.labels["legs"].append(d)
        return d

    # ---------------- human-like typing ----------------
    # the typist's gaps (median s, log sigma, min s, max s); scenarios may set
    # another (a fast typist: TYPIST_FAST)
    typist = (0.17, 0.35, 0.06, 0.9)

    def key_delay(self):
        # lognormal inter-key gap, median ~170 ms, clamped to a human range
        med, sigma, lo, hi = self.typist
        return min(hi, max(lo, math.exp(self.rng.gauss(math.log(med), sigma))))

    def think(self, lo=0.4, hi=1.2):
        time.sleep(self.rng.uniform(lo, hi))

    def key(self, ch, data, kind, leg, wire=True):
        time.sleep(self.key_delay())
        ts = time.time()
        ch.send(data)
        if wire:
            k = {"leg": leg, "ts": round(ts, 6), "key": kind, "bytes": len(data.encode())}
            if len(data) == 1 and ord(data) < 0x20 and data not in "\t\r":
                # a control key, scored as a char; the name says which
                k["name"] = "Esc" if data == "\x1b" else "C-" + chr(ord(data) + 0x60)
            self.labels["keystrokes"].append(k)
        return ts

    def type_keys(self, ch, seq, leg="forward", wire=True):
        """seq: str characters and tokens: ('BS',), ('TAB',), ('LEFT',)...,
        ('PASTE', text). Returns ts of the first key."""
        first = None
        for item in seq:
            if isinstance(item, tuple):
                tok = item[0]
                if tok == "BS":
                    ts = self.key(ch, "\x7f", "backspace", leg, wire)
                elif tok == "TAB":
                    ts = self.key(ch, "\t", "tab", leg, wire)
                elif tok in ("LEFT", "RIGHT", "UP", "DOWN"):
                    code = {"UP": "A", "DOWN": "B", "RIGHT": "C", "LEFT": "D"}[tok]
                    ts = self.key(ch, "\x1b[" + code, "arrow", leg, wire)
                elif tok == "PASTE":
                    time.sleep(self.key_delay())
                    ts = time.time()
                    ch.send(item[1])
                    if wire:
                        self.labels["keystrokes"].append(
                            {"leg": leg, "ts": round(ts, 6), "key": "paste",
                             "bytes": len(item[1].encode())})
                else:
                    raise ValueError(tok)
            else:
                ts = self.key(ch, item, "char", leg, wire)
            first = first or ts
        return first

    def enter(self, ch, leg="forward", wire=True, pause=(0.15, 0.5)):
        time.sleep(self.rng.uniform(*pause))
        ts = time.time()
        ch.send("\r")
        if wire:
            self.labels["keystrokes"].append({"leg": leg, "ts": round(ts, 6), "key": "enter",
                                              "bytes": 1})
        return ts

    def command(self, ch, seq, text, leg="forward", expect=PROMPT_RE, timeout=15):
        """Type seq (ending in the final command line text), Enter, await prompt."""
        self.think(0.3, 0.9)
        t0 = self.type_keys(ch, seq, leg)
        ts = self.enter(ch, leg)
        self.labels["commands"].append({"leg": leg, "ts": round(ts, 6), "text": text,
                                        "typed_from": round(t0 or ts, 6)})
        if expect:
            ch.expect(expect, timeout=timeout)
        return ts

    def password(self, ch, pw, leg, method="password", result=None, user=None):
        """Type a password at a prompt (not echoed, sent at Enter)."""
        self.think(0.5, 1.2)
        t0 = None
        for c in pw:
            time.sleep(self.key_delay())
            t0 = t0 or time.time()
            ch.send(c)
        ts = self.enter(ch, leg, wire=False)
        a = {"leg": leg, "ts": round(ts, 6), "method": method, "result": result,
             "password_len": len(pw), "typed_from": round(t0, 6), "automated": False}
        if user:
            a["user"] = user
        self.labels["auth"].append(a)
        return a

    # ---------------- finish ----------------
    def close(self):
        for ch in self.children:
            try:
                if ch.isalive():
                    ch.terminate(force=True)
            except Exception:
                pass
        for p in reversed(self.procs):
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for p in self.procs:
            try:
                p.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        for w in self.watches:
            w.stop()
        # the lane goes back to up()'s link for the next scenario
        if self.offloads:
            self.lane.set_offloads(self.link, False)
        # IPv6 off before the link is restored, and restored with the
        # lane's own (IPv4) addresses, not the IPv6 copy's
        if self.ipv6:
            self.lane.without_ipv6()
        if self.delay_fw:
            self.base_lane.restore_link(self.link, self.delay_fw)
            self.delay_fw = None


# --------------------------------------------------------------------------
# Post-processing with tshark: client ports of legs, frames of labels.
# --------------------------------------------------------------------------
def tshark_frames(pcap):
    r = sh(["tshark", "-n", "-r", pcap, "-T", "fields", "-E", "separator=\t",
            "-e", "frame.number", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport",
            "-e", "ip.dst", "-e", "tcp.dstport", "-e", "tcp.flags", "-e", "tcp.len",
            "-e", "ipv6.src", "-e", "ipv6.dst"])
    out = []
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) >= 10 and not f[2]:   # IPv6: its addresses in the IPv4 fields' places
            f[2], f[4] = f[8], f[9]
        if len(f) < 8 or not f[3]:
            out.append({"n": int(f[0]), "t": float(f[1]), "tcp": False})
            continue
        out.append({"n": int(f[0]), "t": float(f[1]), "tcp": True, "src": f[2],
                    "sport": int(f[3]), "dst": f[4], "dport": int(f[5]),
                    "flags": int(f[6], 16), "len": int(f[7] or 0)})
    return out


# pexpect's delaybeforesend (50 ms) and a margin: a key typed leaves its
# client at most this long after its time plus a round trip (held for the
# ACK of the key before) at a far capture
KEY_HOLD_S = 0.1


def finalize_labels(labels, pcap, frames):
    legs = labels["legs"]
    syns = [f for f in frames if f["tcp"] and (f["flags"] & 0x12) == 0x02]
    used = set()
    for leg in legs:
        if not leg["in_capture"]:
            continue
        for s in syns:
            key = (s["src"], s["sport"])
            if key in used:
                continue
            if (s["src"] == leg["client_ip"] and s["dst"] == leg["server_ip"]
                    and s["dport"] == leg["server_port"] and s["t"] >= leg["connect_ts"] - 0.5):
                leg["client_port"] = s["sport"]
                used.add(key)
                break
    # frame of each labelled action: first payload packet in the direction
    # the action travels on the TCP connection that carries its leg
    byid = {l["id"]: l for l in legs}

    def carrier(legname):
        for l in legs:
            if l["leg"] == legname:
                while not l["in_capture"] and l.get("carried_by") in byid:
                    l = byid[l["carried_by"]]
                return l if l["in_capture"] else None
        return None

    cap = labels["capture"]
    owd = cap.get("rtt_ms", 0) / 2000.0

    def frame_after(ts, legname, window=1.0, after=0):
        c = carrier(legname)
        if not c or c["client_port"] is None:
            return None
        to_server = legname != "reverse"
        # an action reaches a capture at the far end of a delayed link one
        # one-way delay after ts (earlier packets may still be in flight)
        far = (cap.get("side", "client") == "server") == to_server
        t_lo = ts - 0.001 + (owd if far else 0.0)
        for f in frames:
            if not f["tcp"] or f["len"] == 0 or f["t"] < t_lo or f["n"] <= after:
                continue
            if f["t"] > ts + window:
                return None
            fw = (f["src"] == c["client_ip"] and f["sport"] == c["client_port"]
                  and f["dst"] == c["server_ip"] and f["dport"] == c["server_port"])
            bw = (f["dst"] == c["client_ip"] and f["dport"] == c["client_port"]
                  and f["src"] == c["server_ip"] and f["sport"] == c["server_port"])
            if (to_server and fw) or (not to_server and bw):
                return f["n"]
        return None

    last = {}
    for k in labels["keystrokes"]:
        k["frame"] = frame_after(k["ts"], k["leg"])
        # keys reach a far capture one one-way delay (and pexpect's 50 ms
        # delaybeforesend) after ts: a key typed sooner after the one before
        # is the next packet of its leg, not the one before's again
        # (unless that packet comes later than a key is held: one round
        # trip for the ACK the echo before brings, and delaybeforesend:
        # then the key left with the one before, in one record: fresh
        # srv_bash_fast at seed +1000, two keys 32 ms apart in one 2-byte
        # CHANNEL_DATA of a key's size; the next packet, the Enter's, came
        # 357 ms after the key and every later key took its successor's frame)
        # at the near end the stamp precedes the write: a packet that left
        # before ts (the 1 ms slack above) and already holds the key before
        # is not this key's (fresh wanc150_bash_fast at seed +2000: a key
        # 52 ms late left 19 us before the next key's stamp, and both keys
        # were given its frame; the next key's packet came 5 ms later)
        far_key = (cap.get("side", "client") == "server") == (k["leg"] != "reverse")
        if (not far_key and k["frame"] is not None and k["frame"] == last.get(k["leg"])
                and frames[k["frame"] - 1]["t"] < k["ts"]):
            nxt = frame_after(k["ts"], k["leg"], after=k["frame"])
            if nxt is not None:
                k["frame"] = nxt
        if cap.get("side") == "server" and k["frame"] is not None:
            if k["frame"] <= last.get(k["leg"], 0):
                nxt = frame_after(k["ts"], k["leg"], after=last[k["leg"]])
                held = k["ts"] + 3 * owd + KEY_HOLD_S
                if nxt is not None and frames[nxt - 1]["t"] <= held:
                    k["frame"] = nxt
                else:
                    k["frame"] = last[k["leg"]]
        if k["frame"] is not None:
            last[k["leg"]] = k["frame"]
    for c in labels["commands"]:
        c["frame"] = frame_after(c["ts"], c["leg"])
    for a in labels["auth"]:
        if a["method"] == "password":
            a["frame"] = frame_after(a["ts"], a["leg"], window=2.0)
    labels["capture"]["packets"] = len(frames)
    labels["capture"]["tcp_connections"] = len(syns)
    if frames:
        labels["capture"]["first_ts"] = frames[0]["t"]
        labels["capture"]["last_ts"] = frames[-1]["t"]
        labels["capture"]["duration_s"] = round(frames[-1]["t"] - frames[0]["t"], 3)
    for leg in legs:
        leg["connect_ts"] = round(leg["connect_ts"], 6)
    return labels


def write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=1, sort_keys=False)
        f.write("\n")


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 5 and sys.argv[1] == "tapdelay":
        tapdelay(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
