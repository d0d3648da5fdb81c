#!/usr/bin/env python3
"""Writes the fuzz seeds that come from this directory's hostile cases
(fuzz/seeds/*/hostile_*), so that each one can be made again: pcapng
files with blocks of unknown type for fuzz_pcapfile; frames whose IP
length lies and a SYN with window scale 255 for fuzz_decode (first byte 1:
Ethernet, no cut); the TCP/SSH deceptions for fuzz_pipeline.
Usage: mkseeds.py [FUZZ_SEEDS_DIR] (default fuzz/seeds)"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gendeceive  # noqa: E402
import genfmt  # noqa: E402


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "fuzz", "seeds")
    ng = genfmt.pcapng_cases()
    g = genfmt
    web = [g.epb(x, ts=g.T0 * 10**6 + i) for i, x in enumerate(g.web())]
    seeds = {("fuzz_pcapfile", "hostile_ng_unknown_many"): ng["ng_unknown_many"],
             ("fuzz_pcapfile", "hostile_ng_unknown_block"): g.ng(g.shb(), g.idb(), g.blk(0x0BAD0BAD, b"\xee" * 16),
                                                                 *web[:3], g.blk(0x80000123, b""), *web[3:])}
    lie = genfmt.ip_lie()
    seeds[("fuzz_decode", "hostile_ip4_len_lie")] = b"\x01" + lie[3]
    seeds[("fuzz_decode", "hostile_ip6_len_lie")] = b"\x01" + lie[-1]
    seeds[("fuzz_decode", "hostile_wscale_255")] = b"\x01" + genfmt.tcp_bad()[8]
    for case in (gendeceive.inj_csum, gendeceive.overlap_banner, gendeceive.rst_forged, gendeceive.len_2g,
                 gendeceive.time_back):
        seeds[("fuzz_pipeline", "hostile_" + case.__name__)] = gendeceive.write(case())
    for (target, name), data in seeds.items():
        os.makedirs(os.path.join(out, target), exist_ok=True)
        with open(os.path.join(out, target, name), "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
