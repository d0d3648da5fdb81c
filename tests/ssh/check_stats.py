#!/usr/bin/env python3
"""sshflow's general statistics (src/ssh/sd_infer_stats.c) in `strider ssh
--json` checked against tshark on lab fixtures whose suite sends
segment-level records (chacha20-poly1305, encrypt-and-MAC): there one record
is the encrypted part of one TCP segment, so tshark's tcp.len of each
direction's segments after its NEWKEYS is the oracle. The NEWKEYS segment
itself may carry the first encrypted bytes after the cleartext packets
(tcp.len - sum(4 + ssh.packet_length)). Checks per direction: records,
bytes, the size modes (count, then smaller size first), the exact mean gap
(1 us) and the median gap (the lower median, within the histogram's 2.9 %).
Usage: check_stats.py STRIDER PCAP..."""
import csv
import json
import subprocess
import sys
from collections import Counter

MEDIAN_ERR = 0.029  # SD_STATS_IPT_ERR


def tshark_dirs(pcap):
    out = subprocess.run(
        ["tshark", "-r", pcap, "-Y", "tcp.len>0 && !tcp.analysis.retransmission", "-T", "fields",
         "-e", "frame.number", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len", "-e", "frame.time_epoch",
         "-e", "ssh.message_code", "-e", "ssh.packet_length"],
        capture_output=True, text=True, check=True).stdout
    rows = [l.split("\t") for l in out.splitlines()]
    dirs = {}
    for f, src, dst, ln, t, mc, pl in rows:
        sp = (src, dst)
        if "21" in mc.split(",") and sp not in dirs:
            clear = sum(4 + int(x) for x in pl.split(","))
            tail = int(ln) - clear
            assert 0 <= tail, (pcap, f, tail)
            dirs[sp] = [(int(f), tail, float(t))] if tail else []
            continue
        if sp in dirs:
            dirs[sp].append((int(f), int(ln), float(t)))
    return dirs


def check_dir(name, recs, rec, who):
    errs = []
    sizes = [r[1] for r in recs]
    gaps = sorted(b[2] - a[2] for a, b in zip(recs, recs[1:]))
    want_modes = sorted(Counter(sizes).items(), key=lambda kv: (-kv[1], kv[0]))[:5]
    got_modes = [tuple(m) for m in rec[who + "_size_modes"]]
    if rec[who + "_enc_records"] != len(recs):
        errs.append("%s records %d, tshark %d" % (who, rec[who + "_enc_records"], len(recs)))
    if rec[who + "_enc_bytes"] != sum(sizes):
        errs.append("%s bytes %d, tshark %d" % (who, rec[who + "_enc_bytes"], sum(sizes)))
    if got_modes != want_modes:
        errs.append("%s modes %s, tshark %s" % (who, got_modes, want_modes))
    mean = sum(gaps) / len(gaps)
    if abs(rec[who + "_ipt_mean_s"] - mean) > 2e-6:
        errs.append("%s mean gap %.6f, tshark %.6f" % (who, rec[who + "_ipt_mean_s"], mean))
    med = gaps[(len(gaps) + 1) // 2 - 1]
    if abs(rec[who + "_ipt_median_s"] - med) > MEDIAN_ERR * med + 1e-6:
        errs.append("%s median gap %.6f, tshark %.6f" % (who, rec[who + "_ipt_median_s"], med))
    print("%s %s: %d records, %d bytes, modes %s, gap mean %.6f (tshark %.6f) median %.6f (tshark %.6f)" % (
        name, who, len(recs), sum(sizes), got_modes, rec[who + "_ipt_mean_s"], mean,
        rec[who + "_ipt_median_s"], med))
    return errs


def check_csv(strider, pcap, dirs):
    """`strider ssh -m --csv`: the same numbers in flat columns (the top
    mode only)."""
    out = subprocess.run([strider, "ssh", "-m", "--csv", pcap], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    errs = []
    for row in csv.DictReader(out):
        for who, key in (("client", (row["id.orig_p"], row["id.resp_p"])), ("server", (row["id.resp_p"], row["id.orig_p"]))):
            sizes = [r[1] for r in dirs[key]]
            top = sorted(Counter(sizes).items(), key=lambda kv: (-kv[1], kv[0]))[0]
            got = (int(row[who + "_enc_records"]), int(row[who + "_enc_bytes"]),
                   int(row[who + "_mode_size"]), int(row[who + "_mode_count"]))
            want = (len(sizes), sum(sizes), top[0], top[1])
            if got != want:
                errs.append("%s csv %s %s, tshark %s" % (pcap, who, got, want))
    return errs


def main():
    strider, pcaps = sys.argv[1], sys.argv[2:]
    errs = []
    for pcap in pcaps:
        lines = subprocess.run([strider, "ssh", "--json", pcap], capture_output=True, text=True,
                               check=True).stdout.splitlines()
        recs = [json.loads(l) for l in lines if '"type":"ssh"' in l]
        assert recs, pcap
        dirs = tshark_dirs(pcap)
        for rec in recs:
            cport, sport = str(rec["id.orig_p"]), str(rec["id.resp_p"])
            errs += check_dir(pcap, dirs[(cport, sport)], rec, "client")
            errs += check_dir(pcap, dirs[(sport, cport)], rec, "server")
        errs += check_csv(strider, pcap, dirs)
    for e in errs:
        print("FAIL", e)
    sys.exit(1 if errs else 0)


main()
