"""Small TCP peers for the tunnel scenarios (run inside a lab namespace with
/usr/bin/python3; the lab has no netcat):

  tcptool.py sink PORT                    accept connections on 127.0.0.1:PORT, read and drop
  tcptool.py push HOST PORT BYTES         connect, send BYTES of seeded data in 16 KiB writes
  tcptool.py tick HOST PORT N GAP         connect, send one byte N times, GAP seconds apart

push prints the bytes sent; every peer exits on its own (sink: when killed).
"""
import random
import socket
import sys
import time


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


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "sink":
        sink(int(a[1]))
    elif a[0] == "push":
        push(a[1], int(a[2]), int(a[3]))
    elif a[0] == "tick":
        tick(a[1], int(a[2]), int(a[3]), float(a[4]))
    else:
        sys.exit("usage: tcptool.py sink|push|tick ...")
