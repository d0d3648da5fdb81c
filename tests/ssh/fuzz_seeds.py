#!/usr/bin/python3
"""Writes fuzz seeds for fuzz/fuzz_ssh.c from real SSH conversations.

  fuzz_seeds.py OUTDIR PCAP...

Each TCP stream's first 6 KiB per direction becomes one seed in the fuzz
target's record format (feeds of up to 128 bytes, in capture order)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssh_vectors as V  # noqa: E402


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    n = 0
    for pcap in sys.argv[2:]:
        order, streams = V.extract(pcap)
        for st in order:
            seed = bytearray([0])
            used = [0, 0]
            for item in streams[st].get("log", []):
                d = item[0]
                if item[1] != "D" or used[d] > 6144:
                    continue
                data = item[4]
                for i in range(0, len(data), 128):
                    piece = data[i:i + 128]
                    seed.append(((len(piece) - 1) << 1) | d)
                    seed += piece
                used[d] += len(data)
            name = "%s_%d" % (os.path.basename(pcap), st)
            with open(os.path.join(out, name), "wb") as f:
                f.write(seed)
            n += 1
    print("%d seeds" % n)


if __name__ == "__main__":
    main()
