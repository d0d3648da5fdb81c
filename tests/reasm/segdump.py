#!/usr/bin/python3
"""Dumps the TCP segments of a capture for reasm_replay: one line per TCP
packet, "conn dir frame flags seq ack len hexpayload". Connections are keyed
by their 4-tuple (a SYN after a FIN/RST on the same tuple starts a new one);
dir 0 is the sender of the first SYN without ACK, else of the first packet.
The payload is what the IP total length covers (no Ethernet padding)."""
import sys
from scapy.all import PcapReader, IP, IPv6, TCP, Raw  # noqa: E402



def dump(path, out):
    conns, closed = {}, set()
    with PcapReader(path) as rd:
        for num, p in enumerate(rd, 1):
            if TCP not in p or (IP not in p and IPv6 not in p):
                continue
            ip = p[IP] if IP in p else p[IPv6]
            t = p[TCP]
            a, b = (ip.src, t.sport), (ip.dst, t.dport)
            key = tuple(sorted([a, b]))
            fl = int(t.flags)
            if key in closed and (fl & 0x02) and not (fl & 0x10):
                closed.discard(key)
                conns.pop(key, None)
            if key not in conns:
                orig = a
                if (fl & 0x12) == 0x12:
                    orig = b
                conns[key] = (len(conns), orig)
            cid, orig = conns[key]
            d = 0 if a == orig else 1
            pl = bytes(t[Raw].load) if Raw in t else b''
            if fl & 0x05:
                closed.add(key)
            out.write("%d %d %d %d %d %d %d %s\n" % (cid, d, num, fl, t.seq, t.ack, len(pl),
                                                     pl.hex() or '-'))


# segdump.py PCAP            -> stdout
# segdump.py -o DIR PCAP...  -> DIR/0.dump, DIR/1.dump, ... (one start-up for all)
if len(sys.argv) > 2 and sys.argv[1] == '-o':
    for i, path in enumerate(sys.argv[3:]):
        with open('%s/%d.dump' % (sys.argv[2], i), 'w') as f:
            dump(path, f)
else:
    dump(sys.argv[1], sys.stdout)
