#!/usr/bin/env python3
"""Duplicate ACKs: `strider conns` orig_dup_acks / resp_dup_acks against
Wireshark's tcp.analysis.duplicate_ack, per TCP stream and direction.

Wireshark's rule (its user's guide, "TCP Analysis"): a segment is a
duplicate ACK when it has no payload, no SYN/FIN/RST, the same ACK number
and the same non-zero window as the last segment in its direction, at that
direction's next sequence number, and is not the answer to a keep-alive or
zero-window probe. It does not ask, as RFC 5681 §2 does, that data be
outstanding. strider's analyze_ack applies the same rule, so an analyst
finds each counted ACK with the filter tcp.analysis.duplicate_ack.

Connections are matched by tshark's tcp.stream (strider's `stream` is
Wireshark's number, see t_stream_tshark.sh; where strider splits one
Wireshark stream into several connections, their counts are summed) and
directions by the sender's address and port. Frames with a TCP header
quoted inside ICMP are left out, as tshark does not analyse those.

Usage: STRIDER CAPTURE...  Prints each difference, then
"dup-acks: S streams compared, A agree, K known, U unexplained" and exits
1 on an unexplained difference or on a KNOWN entry that no longer differs
(so the list stays true)."""
import json
import subprocess
import sys
from collections import defaultdict

# (capture path suffix, stream) -> why strider and Wireshark differ on purpose
KNOWN = {
    # 21 segments with no flag at all (not even ACK) repeating one
    # acknowledgment field. Without the ACK bit that field carries nothing
    # (RFC 9293 §3.1: "If the ACK control bit is set this field contains
    # the value of the next sequence number..."), so no segment here
    # acknowledges anything; Wireshark compares the field anyway and flags
    # 20 duplicate ACKs. strider counts none: strider right.
    ("tcpsession/data/failed_100.1.48.1-200.1.1.223-invalid-MSS-and-SACK-options.pcap", 0):
        "segments without the ACK flag are no ACKs",
}


def known(cap, stream):
    return next((why for (k, s), why in KNOWN.items() if cap.endswith(k) and s == stream), None)


def endpoint(host, port):
    return f"{host.lower()}/{int(port)}"


def tshark_dupacks(cap):
    """{stream: {sender endpoint: count}}, and the set of TCP streams."""
    r = subprocess.run(["tshark", "-n", "-r", cap, "-Y", "tcp and not icmp and not icmpv6",
                        "-T", "fields", "-E", "occurrence=l", "-e", "tcp.stream", "-e", "ip.src",
                        "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "tcp.analysis.duplicate_ack"],
                       capture_output=True, text=True)
    counts, streams = defaultdict(lambda: defaultdict(int)), set()
    for line in r.stdout.splitlines():
        f = line.split("\t")
        if len(f) < 5 or not f[0].isdigit() or not f[3]:
            continue
        st = int(f[0])
        streams.add(st)
        if f[4]:
            counts[st][endpoint(f[2] or f[1], f[3])] += 1
    return counts, streams


def strider_dupacks(strider, cap):
    r = subprocess.run([strider, "conns", "--json", "-q", cap], capture_output=True, text=True)
    counts = defaultdict(lambda: defaultdict(int))
    for line in r.stdout.splitlines():
        if not line.startswith("{"):
            continue
        o = json.loads(line)
        if o.get("proto") != "tcp" or o.get("stream") is None:
            continue
        st = o["stream"]
        counts[st][endpoint(o["id.orig_h"], o["id.orig_p"])] += int(o.get("orig_dup_acks") or 0)
        counts[st][endpoint(o["id.resp_h"], o["id.resp_p"])] += int(o.get("resp_dup_acks") or 0)
    return counts, r.returncode


def main():
    strider, caps = sys.argv[1], sys.argv[2:]
    compared = agree = nknown = bad = 0
    for cap in caps:
        ts, streams = tshark_dupacks(cap)
        sd, rc = strider_dupacks(strider, cap)
        if rc != 0:
            print(f"{cap}: strider exit {rc}")
            bad += 1
            continue
        for st in sorted(streams):
            compared += 1
            eps = set(ts[st]) | {e for e, n in sd[st].items() if n}
            diffs = [f"{e} tshark {ts[st][e]} strider {sd[st][e]}" for e in sorted(eps) if ts[st][e] != sd[st][e]]
            why = known(cap, st)
            if not diffs and why:
                print(f"{cap} stream {st}: listed in KNOWN ({why}) but agrees now: delete the entry")
                bad += 1
            elif not diffs:
                agree += 1
            elif why:
                nknown += 1
                print(f"known {cap} stream {st}: {'; '.join(diffs)} ({why})")
            else:
                bad += 1
                print(f"DIFF {cap} stream {st}: {'; '.join(diffs)}")
    print(f"dup-acks: {compared} streams compared, {agree} agree, {nknown} known, {bad} unexplained")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
