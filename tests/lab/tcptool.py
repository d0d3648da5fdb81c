"""Small TCP peers for the tunnel scenarios (run inside a lab namespace with
/usr/bin/python3; the lab has no netcat):

  tcptool.py sink PORT                    accept connections on 127.0.0.1:PORT, read and drop
  tcptool.py push HOST PORT BYTES         connect, send BYTES of seeded data in 16 KiB writes
  tcptool.py tick HOST PORT N GAP         connect, send one byte N times, GAP seconds apart
  tcptool.py screen PORT                  accept on 127.0.0.1:PORT; answer each input read
                                          with a "screen update" of 200-1500 bytes
  tcptool.py input HOST PORT N GAP        connect, send N inputs of 6-24 bytes GAP s apart,
                                          reading the updates (a remote desktop's shape)
  tcptool.py splitrelay LPORT HOST PORT GAP
                                          relay one SSH connection (aes128-ctr + an -etm
                                          MAC: lengths in the clear) accepted on
                                          127.0.0.1:LPORT to HOST:PORT; the client's first
                                          write of 3+ encrypted packets leaves as its first
                                          packet, then the rest GAP s later

push prints the bytes sent; every peer exits on its own (sink, screen: when killed).
"""
import random
import socket
import sys
import threading
import time

ETM_MAC = 32        # hmac-sha2-256-etm@openssh.com
SSH_MSG_NEWKEYS = 21


def sink(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    while True:
        c, _ = s.accept()
        while c.recv(65536):
            pass
        c.close()


def push(host, port, n):
    rng = random.Random(n)
    c = socket.create_connection((host, port))
    sent = 0
    while sent < n:
        k = min(16384, n - sent)
        c.sendall(rng.randbytes(k))
        sent += k
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    c.close()
    print(sent)


def tick(host, port, n, gap):
    c = socket.create_connection((host, port))
    for i in range(n):
        if i:
            time.sleep(gap)
        c.sendall(b"\0")
    c.close()


def screen(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", port))
    s.listen(4)
    rng = random.Random(port)
    while True:
        c, _ = s.accept()
        while c.recv(4096):
            c.sendall(rng.randbytes(rng.randint(200, 1500)))
        c.close()


def inputs(host, port, n, gap):
    rng = random.Random(n)
    c = socket.create_connection((host, port))
    c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    for _ in range(n):
        c.sendall(rng.randbytes(rng.randint(6, 24)))
        c.recv(4096)
        time.sleep(gap)
    c.close()


def pipe(a, b):
    while True:
        d = a.recv(65536)
        if not d:
            break
        b.sendall(d)
    b.shutdown(socket.SHUT_WR)


def ssh_packets(st, buf):
    """Splits buf into whole SSH packets (the identification line first);
    st tracks the banner and the MAC length after the client's NEWKEYS.
    Returns (packets, rest, encrypted)."""
    out = []
    if not st["banner"]:
        k = buf.find(b"\n")
        if k < 0:
            return out, buf, False
        out.append(buf[:k + 1])
        buf, st["banner"] = buf[k + 1:], True
    enc = st["mac"] > 0
    while len(buf) >= 6:
        n = 4 + int.from_bytes(buf[:4], "big") + st["mac"]
        if len(buf) < n:
            break
        newkeys = not st["mac"] and buf[5] == SSH_MSG_NEWKEYS
        out.append(buf[:n])
        buf = buf[n:]
        if newkeys:
            st["mac"] = ETM_MAC
    return out, buf, enc


def splitrelay(lport, host, port, gap):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", lport))
    s.listen(1)
    c, _ = s.accept()
    u = socket.create_connection((host, port))
    for x in (c, u):
        x.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    threading.Thread(target=pipe, args=(u, c), daemon=True).start()
    st, buf, split = {"banner": False, "mac": 0}, b"", False
    while True:
        d = c.recv(65536)
        if not d:
            break
        pk, buf, enc = ssh_packets(st, buf + d)
        if enc and not split and len(pk) >= 3:
            split = True
            u.sendall(pk[0])
            time.sleep(gap)
            pk = pk[1:]
        u.sendall(b"".join(pk))
    u.shutdown(socket.SHUT_WR)
    time.sleep(0.5)


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "sink":
        sink(int(a[1]))
    elif a[0] == "push":
        push(a[1], int(a[2]), int(a[3]))
    elif a[0] == "tick":
        tick(a[1], int(a[2]), int(a[3]), float(a[4]))
    elif a[0] == "screen":
        screen(int(a[1]))
    elif a[0] == "input":
        inputs(a[1], int(a[2]), int(a[3]), float(a[4]))
    elif a[0] == "splitrelay":
        splitrelay(int(a[1]), a[2], int(a[3]), float(a[4]))
    else:
        sys.exit("usage: tcptool.py sink|push|tick|screen|input|splitrelay ...")
