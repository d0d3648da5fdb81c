#!/usr/bin/env python3
"""Rewrites record timestamps of a classic pcap (little- or big-endian,
micro- or nanosecond magic) to make hostile time orders for the tests.
  pcaptime.py IN OUT swap A B ...     swap the timestamps of frames A and B
  pcaptime.py IN OUT shift N SECS     move frame N's timestamp by SECS
Frames are numbered from 1, as Wireshark and strider number them."""
import struct
import sys


def records(data, endian):
    off = 24
    while off + 16 <= len(data):
        sec, frac, cl, _ = struct.unpack_from(endian + "IIII", data, off)
        yield off, sec, frac
        off += 16 + cl


def main():
    src, dst, op, *args = sys.argv[1:]
    data = bytearray(open(src, "rb").read())
    magic = struct.unpack_from("<I", data, 0)[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    scale = 10**9 if struct.unpack_from(endian + "I", data, 0)[0] == 0xA1B23C4D else 10**6
    recs = list(records(data, endian))
    if op == "swap":
        for a, b in zip(args[0::2], args[1::2]):
            ra, rb = recs[int(a) - 1], recs[int(b) - 1]
            struct.pack_into(endian + "II", data, ra[0], rb[1], rb[2])
            struct.pack_into(endian + "II", data, rb[0], ra[1], ra[2])
    elif op == "shift":
        off, sec, frac = recs[int(args[0]) - 1]
        t = sec * scale + frac + int(float(args[1]) * scale)
        struct.pack_into(endian + "II", data, off, t // scale, t % scale)
    else:
        sys.exit("unknown operation " + op)
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main()
