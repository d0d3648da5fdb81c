#!/usr/bin/python3
"""mkmany.py IN.pcap N OUT.pcap: N copies of a one-connection capture
(Ethernet/IPv4/TCP, classic pcap), each with its own client port and start
time 30 s after the previous one, so the report of a capture with hundreds
of SSH connections can be measured. The TCP checksum is updated for the new
port (RFC 1624), as strider keeps out segments whose checksum is wrong."""
import struct, sys


def recsum(csum, old, new):
    """RFC 1624 eqn. 3: the checksum after a 16-bit word changes."""
    s = (~csum & 0xFFFF) + (~old & 0xFFFF) + new
    s = (s & 0xFFFF) + (s >> 16)
    s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


src, n, dst = sys.argv[1], int(sys.argv[2]), sys.argv[3]
data = open(src, 'rb').read()
magic = data[:4]
endian = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
hdr, off, recs = data[:24], 24, []
while off + 16 <= len(data):
    ts, tf, incl, orig = struct.unpack(endian + 'IIII', data[off:off + 16])
    recs.append((ts, tf, orig, bytearray(data[off + 16:off + 16 + incl])))
    off += 16 + incl
if not recs:
    sys.exit('no records')
cport = None
with open(dst, 'wb') as f:
    f.write(hdr)
    for i in range(n):
        for ts, tf, orig, pkt in recs:
            p = bytearray(pkt)
            if len(p) >= 38 and p[12:14] == b'\x08\x00':
                ihl = (p[14] & 15) * 4
                t = 14 + ihl
                sp, dp = struct.unpack('>HH', p[t:t + 4])
                if cport is None:
                    cport = sp
                newp = 20000 + i
                at = t if sp == cport else t + 2 if dp == cport else None
                if at is not None:
                    p[at:at + 2] = struct.pack('>H', newp)
                    if len(p) >= t + 18:
                        c = struct.unpack('>H', p[t + 16:t + 18])[0]
                        p[t + 16:t + 18] = struct.pack('>H', recsum(c, cport, newp))
            f.write(struct.pack(endian + 'IIII', ts + 30 * i, tf, len(p), orig))
            f.write(p)
