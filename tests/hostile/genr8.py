#!/usr/bin/env python3
"""Hostile classes, round 8 (the capture formats and the lower layers),
written at test time: `genr8.py DIR` writes each case below into DIR as
NAME.pcap or NAME.pcapng; `genr8.py DIR flood` the fragment flood;
`genr8.py seeds REPO` this round's fuzz seeds into REPO/fuzz/seeds. Each holds one SSH session (port 22, client
port given in the docstring) that must still be read whatever surrounds
it. tests/hostile/t_round8.sh runs every command and output format on
each under the memory limit and checks what each docstring says."""
import os
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genmain  # noqa: E402
from genfmt import CLI, CLI6, SRV, SRV6, blk, eth, ip4, ip6, opt, pcap, shb, tcp_seg  # noqa: E402
from genr3 import ssh_session  # noqa: E402
from genr4 import NG_T0, epb, idb_snap  # noqa: E402

SYN = 0x02


def frames(sp, keys=4):
    return [f for _, f in ssh_session(sp, keys=keys).frames]


def spb(frame, wl=None):
    return blk(3, struct.pack("<I", len(frame) if wl is None else wl) + frame)


def ng_spb_mid():
    """pcapng, client port 48001: the session's frames alternate between
    EPBs (dated from 2023-11-14, a second apart) and Simple Packet Blocks
    (no time), after a lone UDP datagram in an SPB. Must hold: each SPB
    dated at the packet before it (the first one, before any, at 1970 as
    tshark leaves it), counted and said once; the connection lasts 30 s,
    not 53 years, and its time never goes back."""
    parts = [shb(), idb_snap(1, 262144), spb(eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 5, 6, 8, 0))))]
    for k, f in enumerate(frames(48001)):
        parts.append(spb(f) if k % 2 else epb(f, 0, NG_T0 + 1000000 * k))
    return b"".join(parts)


def ng_tsresol_edge():
    """pcapng, client port 48002: interfaces with if_tsresol 2^-63, 10^-19,
    10^-20 (past a 64-bit count), 2^-64, and if_tsoffset 2^62 s; the
    session's frames spread over them. Must hold: no crash or UB; the
    unusable resolutions said with the block."""
    res = [b"\xbf", b"\x13", b"\x14", b"\xc0", b"\x06"]
    parts = [shb()]
    for r in res:
        parts.append(idb_snap(1, 262144, opt(9, r) + opt(0, b"")))
    parts.append(idb_snap(1, 262144, opt(14, struct.pack("<q", 2**62)) + opt(0, b"")))
    for k, f in enumerate(frames(48002)):
        parts.append(epb(f, k % 6, 2**64 - 1 - k if k % 3 == 0 else NG_T0 + k))
    return b"".join(parts)


def ng_blocks_odd():
    """pcapng, client port 48003: around the session, EPB options whose
    length runs past the block, an SHB option list past its block, NRB
    records past the block, an ISB with options of length 0xFFFF, a DSB
    whose secrets length is 2^32-1, custom blocks (0xBAD, 0x40000BAD) with
    and without a PEN, a block claiming 2^31 bytes at the end. Must hold:
    the session read, each bad block said with its offset."""
    f = frames(48003)
    parts = [shb(), idb_snap(1, 262144)]
    for k, x in enumerate(f):
        parts.append(epb(x, 0, NG_T0 + k))
        if k == 2:
            parts.append(blk(6, struct.pack("<IIIII", 0, 0, 0, len(x), len(x)) + x + b"\0" * (-len(x) % 4)
                             + struct.pack("<HH", 1, 0xFFF0) + b"ab"))
        if k == 3:
            parts.append(blk(4, struct.pack("<HH", 1, 0xFFF0) + b"\x0a\x00\x00\x01host"))
            parts.append(blk(5, struct.pack("<III", 0, 0, 0) + struct.pack("<HH", 4, 0xFFFF)))
            parts.append(blk(10, struct.pack("<II", 0x544c534b, 0xFFFFFFFF) + b"CLIENT_RANDOM"))
            parts.append(blk(0xBAD, struct.pack("<I", 32473) + b"custom"))
            parts.append(blk(0x40000BAD, b""))
    parts.append(struct.pack("<II", 6, 0x80000000) + b"\0" * 64)
    return b"".join(parts)


def pcap_odd():
    """Classic pcap, client port 48004: version 2.3, microsecond fractions
    of 10^6 and 4,294,967,295, records of caplen 0 with a wire length of
    1,500, caplen > wire length; byte-swapped header. Must hold: the
    session read; every odd record said."""
    f = frames(48004)
    recs = []
    for k, x in enumerate(f):
        recs.append((1700000000 + k, 1000000 if k == 1 else (0xFFFFFFFF if k == 2 else k), len(x), len(x), x))
        if k == 3:
            recs.append((1700000000 + k, 5, 0, 1500, b""))
            recs.append((1700000000 + k, 6, len(x), 10, x))
    out = {"pcap_odd": pcap([], recs=recs)}
    hdr = bytearray(out["pcap_odd"])
    struct.pack_into("<H", hdr, 6, 3)
    out["pcap_v23"] = bytes(hdr)
    out["pcap_swap_odd"] = pcap([], endian=">", recs=recs)
    return out


def vlan_stacks():
    """Ethernet, client port 48005: each frame of the session under 20
    tags mixing 802.1Q (0x8100), 802.1ad (0x88a8) and 0x9100, then an MPLS
    stack of 20 labels with no bottom-of-stack bit, then under MPLS whose
    last label is the 20th. Must hold: no crash; the session read under
    the tags (tshark: the same)."""
    out = []
    for k, x in enumerate(frames(48005)):
        ip = x[14:]
        hdr = b""
        tpids = [0x88a8, 0x8100, 0x9100]
        for i in range(20):
            hdr += struct.pack("!HH", tpids[i % 3], i + 1)
        out.append(x[:12] + hdr + struct.pack("!H", 0x0800) + ip)
        if k == 1:
            mp = b"".join(struct.pack("!I", (16 + i) << 12 | 64) for i in range(20))
            out.append(x[:12] + struct.pack("!H", 0x8847) + mp + ip)
            out.append(x[:12] + struct.pack("!H", 0x8847) + mp)
    return pcap(out)


def ip_odd():
    """Client port 48006: IPv4 total length below the header length, IHL 5
    with total length 0 (TSO captures), IPv6 with hop-by-hop after a
    destination header, a chain of 100 fragment headers, an atomic
    fragment, overlapping IPv6 fragments; TCP with SACK blocks left > right
    and 2^31 apart, timestamps of 0 and 2^32-1, window scale 15; all around
    the session. Must hold: the session read, no crash."""
    f = frames(48006)
    out = list(f)
    seg = tcp_seg(CLI, SRV, 48106, 22, 1, 0, SYN)
    out.append(eth(ip4(CLI, SRV, 6, seg, tlen=12)))
    out.append(eth(ip4(CLI, SRV, 6, seg, tlen=0)))
    seg6 = tcp_seg(CLI6, SRV6, 48206, 22, 1, 0, SYN)
    dst = struct.pack("!BB", 0, 0) + b"\x01\x04\0\0\0\0"
    out.append(eth(ip6(CLI6, SRV6, 60, dst + seg6), 0x86DD))
    fr = b""
    for i in range(100):
        fr += struct.pack("!BBHI", 44 if i < 99 else 6, 0, 0, i)
    out.append(eth(ip6(CLI6, SRV6, 44, fr + seg6), 0x86DD))
    out.append(eth(ip6(CLI6, SRV6, 44, struct.pack("!BBHI", 6, 0, 0, 9) + seg6), 0x86DD))
    data = bytes(range(64)) * 4
    for off, mf, chunk in ((0, 1, data[:128]), (64, 1, data[64:192]), (128, 0, data[128:])):
        out.append(eth(ip6(CLI6, SRV6, 44, struct.pack("!BBHI", 6, 0, off | mf, 77) + chunk), 0x86DD))
    sack = b"\x01\x01\x05\x1a" + struct.pack("!IIIIII", 900, 100, 0x80000000, 5, 0xFFFFFFFF, 0)
    ts = b"\x01\x01\x08\x0a" + struct.pack("!II", 0xFFFFFFFF, 0)
    out.append(eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 48306, 22, 1, 0, SYN, opts=b"\x03\x03\x0f" + ts))))
    out.append(eth(ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 48306, 22, 2, 5, 0x10, b"x", opts=sack))))
    return pcap(out)


def tunnels_rand():
    """Client port 48008 (a SYN inside each GRE): GRE with every flag
    combination, versions 0, 1 and 7, six protocols, 0-16 random bytes of
    options, with and without the inner packet; 0-78 random bytes after
    eleven ethertypes (VLAN, 802.1ad, MPLS, PPPoE, IPv4/6, ARP...); UDP to
    VXLAN, GENEVE, VXLAN-GPE, GTP-U, L2TP and Teredo ports with random
    headers (seeded: the same bytes each run). Must hold: no crash or
    sanitizer report; every frame that gave no IP packet counted by why."""
    import random
    rnd = random.Random(8)

    def junk(n):
        return bytes(rnd.getrandbits(8) for _ in range(n))
    syn = ip4(CLI, SRV, 6, tcp_seg(CLI, SRV, 48008, 22, 1, 0, SYN))
    out = []
    for flags in range(0, 0x10000, 0x0800):
        for ver in (0, 1, 7):
            for proto in (0x0800, 0x880b, 0x6558, 0x86dd, 0x88be, 0x22eb):
                g = struct.pack("!HH", flags | ver, proto) + junk(rnd.choice([0, 2, 4, 8, 12, 16]))
                out += [eth(ip4(CLI, SRV, 47, g + syn)), eth(ip4(CLI, SRV, 47, g))]
    for et in (0x8100, 0x88a8, 0x8847, 0x8848, 0x8863, 0x8864, 0x86dd, 0x0800, 0x0806, 0x88e7, 0x893f):
        out += [eth(junk(n), et) for n in range(0, 80, 3)]
    for dp in (4789, 6081, 4790, 2152, 1701, 3544):
        for n in range(0, 40, 2):
            pl = junk(n) + eth(syn)
            out.append(eth(ip4(CLI, SRV, 17, struct.pack("!HHHH", 1234, dp, 8 + len(pl), 0) + pl)))
    return pcap(out)


def frag_flood(n=100000):
    """Client port 48007: n first fragments of as many IPv4 datagrams
    (distinct ids, 200 bytes each, never completed) then the session.
    Must hold: memory bounded, the fragments given up counted and said,
    the session read."""
    out = []
    body = b"\xaa" * 200
    for i in range(n):
        out.append(eth(ip4(CLI, bytes([10, 9, i >> 16 & 255, i >> 8 & 255]), 17, body, ident=i & 0xFFFF,
                           more=True)))
    return pcap(out + frames(48007))


def seeds(repo):
    """The fuzz seeds of this round: the pcapng and pcap oddities for the
    file reader, the link-layer and IP ones for the decoder (whole
    captures: fuzz_decode's seeds are frames of link type 1 after a
    4-byte header, so these go to fuzz_pipeline)."""
    out = {"fuzz_pcapfile/r8_ng_spb_mid.pcapng": ng_spb_mid(), "fuzz_pcapfile/r8_ng_tsresol_edge.pcapng":
           ng_tsresol_edge(), "fuzz_pcapfile/r8_ng_blocks_odd.pcapng": ng_blocks_odd(),
           "fuzz_pcapfile/r8_pcap_swap_odd.pcap": pcap_odd()["pcap_swap_odd"],
           "fuzz_pipeline/r8_vlan_stacks.pcap": vlan_stacks(), "fuzz_pipeline/r8_ip_odd.pcap": ip_odd(),
           "fuzz_pipeline/r8_tunnels_rand.pcap": tunnels_rand()}
    for name, data in out.items():
        with open(os.path.join(repo, "fuzz/seeds", name), "wb") as f:
            f.write(data)


def main():
    d = sys.argv[1]
    if d == "seeds":
        seeds(sys.argv[2])
        return
    os.makedirs(d, exist_ok=True)
    cases = {"ng_spb_mid.pcapng": ng_spb_mid(), "ng_tsresol_edge.pcapng": ng_tsresol_edge(),
             "ng_blocks_odd.pcapng": ng_blocks_odd(), "vlan_stacks.pcap": vlan_stacks(), "ip_odd.pcap": ip_odd(),
             "tunnels_rand.pcap": tunnels_rand()}
    for k, v in pcap_odd().items():
        cases[k + ".pcap"] = v
    if len(sys.argv) > 2 and sys.argv[2] == "flood":
        cases = {"frag_flood.pcap": frag_flood()}
    genmain.write_files(d, cases)


if __name__ == "__main__":
    main()
