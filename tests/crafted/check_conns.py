#!/usr/bin/python3
"""strider conns on the crafted captures: the facts tests/crafted/README.md
states for each file (written when the file was generated), plus reading
several files as one capture (frame numbers as mergecap + tshark give them),
standard input, and a truncated file."""
import json, os, subprocess, sys

S = os.environ["STRIDER"]
D = os.path.join(os.path.dirname(os.path.abspath(__file__)))
fails = 0


def conns(*args, stdin=None):
    r = subprocess.run([S, "conns", "--json", *args], capture_output=True, input=stdin)
    return r.returncode, [json.loads(l) for l in r.stdout.decode().splitlines()], r.stderr.decode()


def check(what, got, want):
    global fails
    if got != want:
        print(f"FAIL {what}: got {got!r}, want {want!r}")
        fails += 1


STD = (7, 544, 5, 21)  # orig pkts/bytes, resp pkts/bytes of the standard conversation
EXPECT = {  # file: [(proto, orig_h, orig_p, resp_h, resp_p, vlan, (op, ob, rp, rb))]
    "simple.pcap": [("tcp", "192.0.2.10", 50000, "192.0.2.20", 22, None, STD)],
    "simple.pcapng": [("tcp", "192.0.2.10", 50000, "192.0.2.20", 22, None, STD)],
    "simple_ns.pcap": [("tcp", "192.0.2.10", 50000, "192.0.2.20", 22, None, STD)],
    "vlan.pcap": [("tcp", "10.10.0.1", 40001, "10.10.0.2", 22, 100, STD)],
    "qinq.pcap": [("tcp", "10.20.0.1", 40002, "10.20.0.2", 22, 10, STD)],
    "sll.pcap": [("tcp", "2001:db8:40::1", 40004, "2001:db8:40::2", 22, None, STD)],
    "sll2.pcap": [("tcp", "10.30.0.1", 40003, "10.30.0.2", 22, None, STD)],
    "null.pcap": [("tcp", "127.0.0.1", 40005, "127.0.0.1", 2222, None, STD)],
    "raw.pcap": [("udp", "198.51.100.1", 53000, "198.51.100.53", 53, None, (1, 29, 1, 29)),
                 ("tcp", "198.51.100.1", 40006, "198.51.100.2", 22, None, STD)],
    "ipv6_ext.pcap": [("tcp", "2001:db8:60::1", 40007, "2001:db8:60::2", 22, None, STD)],
    "frag4.pcap": [("tcp", "10.40.0.1", 40008, "10.40.0.2", 8080, None, (6, 3000, 4, 1180))],
    "frag6.pcap": [("tcp", "2001:db8:70::1", 40009, "2001:db8:70::2", 8080, None, (6, 2500, 4, 3))],
    "port_reuse.pcap": [("tcp", "10.50.0.1", 40010, "10.50.0.2", 22, None, STD)] * 2,
    "seqwrap.pcap": [("tcp", "10.60.0.1", 40011, "10.60.0.2", 22, None, (16, 10240, 14, 7))],
    "truncated.pcap": [("tcp", "10.70.0.1", 40012, "10.70.0.2", 22, None, (6, 544, 5, 21))],
}

for name, want in EXPECT.items():
    rc, rows, err = conns("-q", os.path.join(D, name))
    check(f"{name} exit", rc, 0)
    got = [(r["proto"], r["id.orig_h"], r["id.orig_p"], r["id.resp_h"], r["id.resp_p"], r.get("vlan"),
            (r["orig_pkts"], r["orig_bytes"], r["resp_pkts"], r["resp_bytes"])) for r in rows]
    check(name, got, want)
    for r in rows:
        if r["proto"] == "tcp":
            check(f"{name} state", (r["conn_state"], r["history"]), ("SF", "ShADadFf"))

# port reuse: the second connection starts at the new SYN (frame 13)
_, rows, _ = conns("-q", os.path.join(D, "port_reuse.pcap"))
check("port_reuse frames", [(r["stream"], r["first_frame"], r["last_frame"]) for r in rows],
      [(0, 1, 12), (1, 13, 24)])

# fragments: the reassembled datagram counts once, at the frame that completed it
_, rows, _ = conns("-q", os.path.join(D, "frag4.pcap"))
check("frag4 last frame", rows[0]["last_frame"], 13)

# truncated: the cut record is named by file and frame, the rest is read
rc, rows, err = conns(os.path.join(D, "truncated.pcap"))
check("truncated exit", rc, 0)
check("truncated message", "truncated.pcap: frame 12:" in err, True)

# several files as one capture, in timestamp order, numbered like mergecap + tshark
files = [os.path.join(D, f) for f in ("vlan.pcap", "simple.pcap", "port_reuse.pcap")]
_, rows, _ = conns("-q", *files)
merged = "/tmp/strider-merge-%d.pcap" % os.getpid()
if subprocess.run(["mergecap", "-F", "pcap", "-w", merged, *files], capture_output=True).returncode == 0:
    out = subprocess.run(["tshark", "-r", merged, "-T", "fields", "-e", "tcp.stream", "-e", "frame.number"],
                         capture_output=True, text=True).stdout
    os.unlink(merged)
    first, last = {}, {}
    for line in out.splitlines():
        st, fr = line.split("\t")
        first.setdefault(int(st), int(fr))
        last[int(st)] = int(fr)
    # written as each connection ends: the reused port's first connection
    # (ended by the new SYN) comes before those open at the end of input,
    # which follow in stream order
    check("end order", [r["stream"] for r in rows], [2, 0, 1, 3])
    check("merge frames", sorted((r["stream"], r["first_frame"], r["last_frame"]) for r in rows),
          [(s, first[s], last[s]) for s in sorted(first)])
else:
    print("mergecap missing: merge numbering not checked")

# standard input gives the same as the file
with open(os.path.join(D, "simple.pcap"), "rb") as f:
    rc, rows_in, _ = conns("-q", "-", stdin=f.read())
_, rows_file, _ = conns("-q", os.path.join(D, "simple.pcap"))
check("stdin", rows_in, rows_file)

print(f"{len(EXPECT)} crafted captures checked, {fails} failures")
sys.exit(1 if fails else 0)
