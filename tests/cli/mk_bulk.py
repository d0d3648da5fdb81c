"""A bulk transfer for the time-sequence graph's test: one connection whose
responder sends N 100-byte segments (more than the graph draws one by one),
every 500th sent twice (a retransmission), one never sent (a gap the
capture lost), and a stretch where the client advertises a zero window.
Usage: mk_bulk.py OUT.pcap N. Prints the injected counts as JSON."""
import json
import sys

sys.path.insert(0, __file__.rsplit("/", 2)[0])
from pcapw import Pcap  # noqa: E402

out, n = sys.argv[1], int(sys.argv[2])
C, S = (10, 0, 0, 1), (10, 0, 0, 2)
cp, sp = 40000, 8080
ciss, siss = 1000, 5000
p = Pcap(out)
p.tcp(C, S, cp, sp, ciss, 0, 0x02)
p.tcp(S, C, sp, cp, siss, ciss + 1, 0x12)
p.tcp(C, S, cp, sp, ciss + 1, siss + 1, 0x10)
seg = b"x" * 100
retrans, gap, zero = 0, n // 3, 0
acked = siss + 1
for i in range(n):
    seq = siss + 1 + 100 * i
    if i != gap:
        p.tcp(S, C, sp, cp, seq, ciss + 1, 0x10, seg)
    if i % 500 == 499:
        p.tcp(S, C, sp, cp, seq, ciss + 1, 0x10, seg)
        retrans += 1
    if i % 2 and i < gap:
        acked = seq + 100
    win = 0 if 2 * n // 3 <= i < 2 * n // 3 + 4 else 65535
    zero += win == 0
    if i % 2 or win == 0:
        p.tcp(C, S, cp, sp, ciss + 1, acked, 0x10, win=win)
p.tcp(C, S, cp, sp, ciss + 1, acked, 0x14)
p.close()
print(json.dumps({"segments": n - 1 + retrans, "retrans": retrans, "gap_frame_seq": 100 * gap + 1,
                  "zero_windows": zero}))
