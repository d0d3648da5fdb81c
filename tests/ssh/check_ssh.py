#!/usr/bin/python3
"""Checks the SSH parser (through tests/ssh/ssh_dump) against tshark, the Zeek
baselines, capture_inventory.json and hand-checked facts of special traces.

  check_ssh.py DUMP WORKDIR        (SHARED from the environment)

Every value compared is computed here at test time (tshark fields, SHA-256 of
the host key blob found in the byte stream, ssh-keygen on a few keys) or read
from the baselines; nothing is a copy of our own earlier output.
"""
import json
import multiprocessing
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ssh_vectors as V  # noqa: E402

SHARED = os.environ.get("SHARED", "/work/shared")
CAP = SHARED + "/captures/"
BASE = SHARED + "/reference/baselines/"
ZT = CAP + "zeek/testing/btest/Traces/"
ZB = BASE + "zeek/testing/btest/Baseline/"

# Traces compared with tshark field by field (hassh*, banners, host key).
TSHARK_SET = [
    ZT + "ssh/ssh.pcap", ZT + "ssh/sshguess.pcap", ZT + "ssh/ssh_kex_curve25519.pcap",
    ZT + "ssh/ssh_kex_dh_group18.pcap", ZT + "ssh/ssh_kex_mlkem.pcap",
    ZT + "ssh/ssh_version_199.pcap", ZT + "ssh/server-pre-banner-data.pcap",
    ZT + "ssh/single-conn.pcap", ZT + "ssh/ssh-on-port-80.pcap",
    ZT + "ssh/ssh_client_sends_first_enc_pkt_with_newkeys.pcap",
    ZT + "ssh/ssh_server_sends_first_enc_pkt_with_newkeys.pcap",
    ZT + "ssh/ssh1-ssh2-fingerprints.pcap", ZT + "ssh/ssh.client-side-half-duplex.pcap",
    ZT + "ssh/ssh.server-side-half-duplex.pcap", ZT + "ssh/kex-quadratic-1000.pcap.gz",
    ZT + "ssh/reverse-ssh.pcap", ZT + "tcp/ssh-dups.pcap",
    CAP + "ja4/pcap/ssh-r.pcap", CAP + "ja4/pcap/ssh-scp-1050.pcap", CAP + "ja4/pcap/ssh.pcapng",
    CAP + "ja4/pcap/ssh2.pcapng", CAP + "ja4/pcap/sshv1.pcap", CAP + "ja4/pcap/ssh2-malformed.pcap",
    CAP + "ja4/pcap/ssh2-moloch-crash.pcap",
    CAP + "Terrapin-Artifacts/traces/ext_downgrade_cbc_ping.pcapng",
    CAP + "Terrapin-Artifacts/traces/ext_downgrade_cbc_unknown.pcapng",
    CAP + "Terrapin-Artifacts/traces/ext_downgrade_chacha20-poly1305.pcapng",
    CAP + "Terrapin-Artifacts/traces/rogue_extension_negotiation_attack.pcapng",
    CAP + "Terrapin-Artifacts/traces/rogue_session_attack.pcapng",
    CAP + "suricata-verify/tests/ssh-banner-only/input.pcap",
    CAP + "suricata-verify/tests/ssh-hassh/input.pcap",
    CAP + "suricata-verify/tests/ssh-hassh-only/input.pcap",
    CAP + "suricata-verify/tests/ssh-hassh-incomplete/input.pcap",
    CAP + "suricata-verify/tests/ssh-hassh-reassembled/input.pcap",
    CAP + "suricata-verify/tests/ssh-newkeys/input.pcap",
    CAP + "suricata-verify/tests/bypass-ssh-enabled/input.pcap",
    CAP + "suricata-verify/tests/issue-5466-alert-then-pass-01/icmp_and_ssh.pcap",
    CAP + "joy/test/pcaps/kali-normal-ssh.pcap", CAP + "joy/test/pcaps/ssh-dropbear-default.pcap",
    CAP + "joy/test/pcaps/ssh-gex-sha256.pcap", CAP + "nDPI/tests/cfgs/default/pcap/ssh.pcap",
    CAP + "nDPI/tests/cfgs/default/pcap/ssh_unidirectional.pcap",
]

# tshark decides client/server of the hassh fields by port; in reverse-ssh.pcap
# the TCP originator is the SSH server (Zeek: "Detected an ECC INIT not from
# the TCP client"), so tshark's hassh is our hasshServer and vice versa.
SWAPPED = {ZT + "ssh/reverse-ssh.pcap": {0}}

failures = []
checks = 0


def check(cond, msg):
    global checks
    checks += 1
    if not cond:
        failures.append(msg)


def short(p):
    return p.replace(CAP, "")


def zeek_log(path):
    rows = []
    fields = None
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("#fields"):
            fields = line.split("\t")[1:]
        elif line.startswith("#") or not line or fields is None:
            continue
        elif line.startswith("id.orig_h"):
            continue
        else:
            rows.append(dict(zip(fields, line.split("\t"))))
    return rows


def zeek_alg(c2s, s2c):
    if c2s is None:
        return "-"
    if c2s == s2c:
        return c2s
    return "To server: %s, to client: %s" % (c2s, s2c)


def check_zeek(pcap, logdir, got, streams):
    """Our metadata against Zeek's ssh.log, matched by originator port."""
    by_port = {}
    for st, s in streams.items():
        by_port[s["orig"].rsplit(":", 1)[1]] = st
    for row in zeek_log(ZB + logdir + "/ssh.log"):
        st = by_port.get(row["id.orig_p"])
        check(st is not None, "%s: zeek conn %s not found" % (short(pcap), row["id.orig_p"]))
        if st is None:
            continue
        g = got[st]
        tag = "%s #%d zeek" % (short(pcap), st)
        want_v = row["version"]
        check(str(g["version"] or "-") == want_v, "%s version %s != %s" % (tag, g["version"], want_v))
        check((g["client_banner"] or "-") == row["client"], "%s client %r" % (tag, g["client_banner"]))
        check((g["server_banner"] or "-") == row["server"], "%s server %r" % (tag, g["server_banner"]))
        if g["version"] != 2:
            continue
        for ours, theirs in ((zeek_alg(g["cipher_c2s"], g["cipher_s2c"]), "cipher_alg"),
                             (zeek_alg(g["mac_c2s"], g["mac_s2c"]), "mac_alg"),
                             (zeek_alg(g["comp_c2s"], g["comp_s2c"]), "compression_alg"),
                             (g["kex"] or "-", "kex_alg"), (g["hostkey_alg"] or "-", "host_key_alg")):
            check(ours == row[theirs], "%s %s %r != %r" % (tag, theirs, ours, row[theirs]))
        # the baseline column is cut at 40 characters
        fp = row.get("host_key_fingerprint", "-")
        check((g["hostkey_sha256"] or "-").startswith(fp),
              "%s fingerprint %r !~ %r" % (tag, g["hostkey_sha256"], fp))


def capture_job(args):
    """One capture: vectors, tshark expectations, parser output (worker process)."""
    pcap, dump, vec = args
    got, exp, errs = V.compare(pcap, dump, vec)
    return pcap, got, exp, errs, V.extract(pcap)[1]


def check_tshark(pcap, got, exp, errs):
    swapped = SWAPPED.get(pcap, set())
    for e in errs:
        st = int(e.split()[1].rstrip(":")) if e.startswith("stream ") else -1
        if st in swapped and ("hassh" in e):
            continue
        check(False, "%s: %s" % (short(pcap), e))
    for st in swapped:
        check(got[st]["hassh"] == exp[st]["hasshServer"] and
              got[st]["hasshServer"] == exp[st]["hassh"],
              "%s #%d: expected tshark's port-based hassh roles swapped" % (short(pcap), st))
    n_h = sum(1 for e in exp.values() if "hassh" in e or "hasshServer" in e)
    n_k = sum(1 for e in exp.values() if "hostkey_sha256" in e)
    return n_h, n_k


def ssh_keygen_fp(kt, b64):
    out = subprocess.run(["ssh-keygen", "-l", "-f", "/dev/stdin"], input=("%s %s\n" % (kt, b64)).encode(),
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode()
    parts = out.split()
    return parts[1] if len(parts) > 1 else None


def main():
    dump, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    results = {}
    nh = nk = 0
    jobs = []
    for pcap in TSHARK_SET:
        if not os.path.exists(pcap):
            check(False, "missing capture %s" % pcap)
            continue
        jobs.append((pcap, dump, os.path.join(work, short(pcap).replace("/", "_") + ".vec")))
    with multiprocessing.Pool(min(8, os.cpu_count() or 1)) as pool:
        for pcap, got, exp, errs, streams in pool.imap_unordered(capture_job, jobs):
            a, b = check_tshark(pcap, got, exp, errs)
            results[pcap] = (got, exp, streams)
            nh += a
            nk += b
    print("tshark: %d streams with hassh, %d host keys compared" % (nh, nk))
    check(nh >= 60 and nk >= 40, "too few tshark comparisons (%d hassh, %d keys)" % (nh, nk))

    # ssh-keygen agrees with our fingerprint format on plain (non-certificate) keys
    kg = 0
    for pcap, (got, exp, _) in results.items():
        for st, e in exp.items():
            if "hostkey_blob_b64" not in e or "-cert-" in e["hostkey_type"]:
                continue
            if kg >= 6:
                break
            fp = ssh_keygen_fp(e["hostkey_type"], e["hostkey_blob_b64"])
            check(fp == got[st]["hostkey_sha256"],
                  "%s #%d ssh-keygen %s != %s" % (short(pcap), st, fp, got[st]["hostkey_sha256"]))
            kg += 1
    check(kg >= 5, "ssh-keygen compared only %d keys" % kg)

    # Zeek ssh.log baselines
    for pcap, logdir in ((ZT + "ssh/ssh.pcap", "scripts.base.protocols.ssh.basic"),
                         (ZT + "ssh/ssh_kex_curve25519.pcap", "scripts.base.protocols.ssh.curve25519_kex"),
                         (ZT + "ssh/ssh_kex_dh_group18.pcap", "scripts.base.protocols.ssh.dh_group18_kex"),
                         (ZT + "ssh/ssh_kex_mlkem.pcap", "scripts.base.protocols.ssh.mlkem_kex"),
                         (ZT + "ssh/server-pre-banner-data.pcap", "scripts.base.protocols.ssh.pre-banner"),
                         (ZT + "ssh/ssh_version_199.pcap", "scripts.base.protocols.ssh.ssh_version_199"),
                         (ZT + "ssh/ssh.client-side-half-duplex.pcap",
                          "scripts.base.protocols.ssh.half-duplex-client"),
                         (ZT + "ssh/ssh.server-side-half-duplex.pcap",
                          "scripts.base.protocols.ssh.half-duplex-server")):
        got, _, streams = results[pcap]
        check_zeek(pcap, logdir, got, streams)

    # Zeek's ssh_encrypted_packet lengths around a NEWKEYS coalesced with the
    # first encrypted packet equal our segment-level records.
    for pcap, out in ((ZT + "ssh/ssh_client_sends_first_enc_pkt_with_newkeys.pcap", "client.out"),
                      (ZT + "ssh/ssh_server_sends_first_enc_pkt_with_newkeys.pcap", "server.out")):
        g = results[pcap][0][0]
        zc, zs = [], []
        for line in open(ZB + "scripts.base.protocols.ssh.ssh_segmented_encryption_transition/" + out):
            if line.startswith("#"):
                continue
            _, orig, ln = [x.strip() for x in line.split(",")]
            (zc if orig == "T" else zs).append(int(ln))
        n = min(len(zc), len(g["rec_first_client"]))
        check(n >= 5 and g["rec_first_client"][:n] == zc[:n],
              "%s client records %s != zeek %s" % (out, g["rec_first_client"][:n], zc[:n]))
        n = min(len(zs), len(g["rec_first_server"]))
        check(n >= 5 and g["rec_first_server"][:n] == zs[:n],
              "%s server records %s != zeek %s" % (out, g["rec_first_server"][:n], zs[:n]))

    check_inventory(dump, work, results)
    check_special(results)
    check_engine(dump, results)
    print("%d checks, %d failed" % (checks, len(failures)))
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


def inv_work(args):
    pcap, dump, vec = args
    V.write_vectors(pcap, vec)
    return pcap, V.run_dump(dump, vec)


def check_inventory(dump, work, results):
    """The size model's keystroke size equals the inventory's prediction on
    every stream with a known suite, and the observed client keystroke
    count (TCP segments of that size, the inventory's definition) matches."""
    inv = json.load(open(BASE + "capture_inventory.json"))
    n = 0
    todo = []
    for rel in sorted(inv):
        pcap = CAP + rel
        if not os.path.exists(pcap) or "udp" in rel or "sslh" in rel or "wstunnel" in rel:
            continue
        if pcap not in results:
            todo.append((pcap, dump, os.path.join(work, short(pcap).replace("/", "_") + ".vec")))
    extra = {}
    with multiprocessing.Pool(min(8, os.cpu_count() or 1)) as pool:
        for pcap, got in pool.imap_unordered(inv_work, todo):
            extra[pcap] = got
    for rel, rows in sorted(inv.items()):
        pcap = CAP + rel
        if pcap in results:
            got = results[pcap][0]
        elif pcap in extra:
            got = extra[pcap]
        else:
            continue
        for row in rows:
            k = row.get("predicted_1char_keystroke_size")
            if not k:
                continue
            g = got.get(row["stream"])
            tag = "%s #%d" % (rel, row["stream"])
            check(g is not None, tag + " missing")
            if g is None:
                continue
            if rel.endswith("reverse-ssh.pcap"):
                # the inventory takes the TCP originator as client; here it is
                # the SSH server (see check_special), so its row is mirrored
                check(g["server_banner"] == row["client_banner"], tag + " mirrored banner")
                continue
            check(g["client_banner"] == row["client_banner"], tag + " client banner")
            check(g["server_banner"] == row["server_banner"], tag + " server banner")
            check(g["kex"] == row["kex"], "%s kex %s != %s" % (tag, g["kex"], row["kex"]))
            check(g["cipher_c2s"] == row["cipher"], "%s cipher %s" % (tag, g["cipher_c2s"]))
            if row["mac"] != "(implicit AEAD)":
                check(g["mac_c2s"] == row["mac"], "%s mac %s" % (tag, g["mac_c2s"]))
            check(bool(g["client_strict"]) == row["client_strict_kex"], tag + " client strict")
            check(bool(g["server_strict"]) == row["server_strict_kex"], tag + " server strict")
            check(g["k_client"] == k, "%s model K %s != inventory %s" % (tag, g["k_client"], k))
            # ssh-dups.pcap repeats every segment; the inventory counts the
            # copies, reassembled bytes (ours) do not
            if "chacha20" in row["cipher"] and not rel.endswith("ssh-dups.pcap"):
                # segment records: same definition as the inventory's count
                check(g["rec_client_eq_k"] == row["client_pkts_eq_keystroke"],
                      "%s client K-sized segments %s != %s" % (tag, g["rec_client_eq_k"],
                                                               row["client_pkts_eq_keystroke"]))
            n += 1
    print("inventory: %d streams' keystroke sizes compared" % n)
    check(n >= 50, "too few inventory streams (%d)" % n)


ENGINE_SET = [ZT + "ssh/ssh.pcap", ZT + "ssh/reverse-ssh.pcap", ZT + "tcp/ssh-dups.pcap",
              ZT + "ssh/ssh.server-side-half-duplex.pcap", CAP + "ja4/pcap/ssh-r.pcap",
              CAP + "ja4/pcap/ssh2.pcapng",
              CAP + "Terrapin-Artifacts/traces/ext_downgrade_cbc_ping.pcapng",
              CAP + "suricata-verify/tests/ssh-newkeys/input.pcap"]


def check_engine(dump, results):
    """The engine glue (sd_sshconn on sd_engine's reassembly) gives the
    same per-connection JSON as feeding the extracted streams, records
    included (rec_hash covers every record's dir, size, frame, offset)."""
    n = 0
    for pcap in ENGINE_SET:
        out = subprocess.run([dump, "-e", pcap], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        check(out.returncode == 0, "%s: engine mode exit %d" % (short(pcap), out.returncode))
        if pcap.endswith("ssh2.pcapng"):
            # 26 of its 27 TCP conns are not SSH: most are released early
            st = out.stderr.decode().split()
            check(len(st) >= 6 and st[0] == "claimed" and int(st[1]) == 27 and int(st[3]) == 1
                  and int(st[5]) >= 10, "ssh2.pcapng analyzer stats %s" % st)
        eng = {}
        for line in out.stdout.decode().splitlines():
            o = json.loads(line)
            eng[o["stream"]] = o
        got = results[pcap][0]
        ssh = {st: g for st, g in got.items() if g["banner0"] or g["banner1"]}
        check(set(ssh) == set(eng), "%s: engine conns %s != %s" % (short(pcap), sorted(eng),
                                                                   sorted(ssh)))
        for st, g in ssh.items():
            e = eng.get(st, {})
            diff = [k for k in g if k not in ("rec_client_eq_k", "rec_server_eq_k") and
                    e.get(k) != g[k]]
            check(not diff, "%s #%d: engine differs in %s" % (short(pcap), st, diff))
            n += 1
    print("engine glue: %d SSH connections compared" % n)
    check(n >= 30, "too few engine comparisons")


def check_special(results):
    def one(p, st=0):
        return results[p][0][st]

    # server pre-banner text kept, roles by KEX messages, no anomaly
    g = one(ZT + "ssh/server-pre-banner-data.pcap")
    check(g["prebanner1"] and "Hi stranger" in g["prebanner1"] and "Mark Twain" in g["prebanner1"],
          "pre-banner text not kept")
    check(g["client_dir"] == 0 and g["anomalies"] == [], "pre-banner: %s" % g["anomalies"])

    # reverse-ssh: the TCP originator is the SSH server
    g = one(ZT + "ssh/reverse-ssh.pcap")
    check(g["client_dir"] == 1 and g["evidence"] == 3, "reverse-ssh client_dir %d" % g["client_dir"])
    check(g["client_banner"] == "SSH-2.0-AsyncSSH_2.8.1", "reverse-ssh client banner")
    check(g["hostkey_type"] == "ssh-rsa", "reverse-ssh host key")

    # SSH-1
    g = one(CAP + "ja4/pcap/sshv1.pcap")
    check(g["outcome"] == "ssh1" and g["version"] == 1 and g["hassh"] is None, "sshv1: %s" % g["outcome"])
    g = one(ZT + "ssh/ssh1-ssh2-fingerprints.pcap", 1)
    check(g["outcome"] == "ssh1" and g["anomalies"] == [], "ssh1-ssh2 #1 %s" % g["outcome"])
    g = one(ZT + "ssh/ssh1-ssh2-fingerprints.pcap", 0)
    check(g["outcome"] == "encrypted" and g["version"] == 2, "ssh1-ssh2 #0")

    # half-duplex: one side only, hassh of that side, nothing negotiated
    for st, g in results[ZT + "ssh/ssh.client-side-half-duplex.pcap"][0].items():
        check(g["server_banner"] is None and g["kex"] is None, "client-half #%d" % st)
    hs = results[ZT + "ssh/ssh.server-side-half-duplex.pcap"][0]
    check(sum(1 for g in hs.values() if g["hostkey_sha256"]) >= 8, "server-half host keys")

    # NEWKEYS coalesced with the first encrypted packet: the encrypted part
    # starts right after the 16-byte NEWKEYS inside the same segment.
    g = one(ZT + "ssh/ssh_server_sends_first_enc_pkt_with_newkeys.pcap")
    check(g["rec_first_server"][:1] == [172] and g["newkeys_frame1"] > 0, "server coalesced NEWKEYS")

    # Terrapin traces: flagged with the injected message; PuTTY's CBC suites
    # are split into exact packets (ETM), first client record = IGNORE+data
    for name in ("ext_downgrade_cbc_ping", "ext_downgrade_cbc_unknown",
                 "ext_downgrade_chacha20-poly1305", "rogue_extension_negotiation_attack",
                 "rogue_session_attack"):
        p = CAP + "Terrapin-Artifacts/traces/%s.pcapng" % name
        for st, g in results[p][0].items():
            check(g["terrapin"] == 1 and g["strict_kex"] == 0, "%s #%d not flagged" % (name, st))
        inj = [g for g in results[p][0].values() if g["unexpected_client"] or g["unexpected_server"]]
        check(len(inj) >= 1, "%s: no injected message seen" % name)
    g = one(CAP + "Terrapin-Artifacts/traces/ext_downgrade_cbc_ping.pcapng")
    check(g["first_unexpected_type"] in (2, 3, 4, 192) and g["splitting0"] == 1,
          "cbc_ping: type %d split %d" % (g["first_unexpected_type"], g["splitting0"]))
    # strict KEX both sides -> never flagged
    for pcap, (got, _, _) in results.items():
        for st, g in got.items():
            if g["strict_kex"]:
                check(not g["terrapin"], "%s #%d strict but flagged" % (short(pcap), st))

    # malformed / crash traces: parsed, anomaly recorded, no crash
    g = one(CAP + "ja4/pcap/ssh2-moloch-crash.pcap")
    check(["hostkey_bad", 1, 14] in g["anomalies"] and g["hassh"], "moloch-crash anomaly")
    g = one(ZT + "ssh/kex-quadratic-1000.pcap.gz")
    check(g["hassh"] and g["outcome"] == "capabilities_only", "kex-quadratic")

    # banner only / not ssh
    bo = results[CAP + "suricata-verify/tests/ssh-banner-only/input.pcap"][0]
    check(any(g["outcome"] == "version_only" for g in bo.values()), "banner-only outcome")
    ja = results[CAP + "ja4/pcap/ssh2.pcapng"][0]
    check(sum(1 for g in ja.values() if g["outcome"] == "not_ssh") >= 10, "ssh2.pcapng non-SSH")
    g = one(CAP + "suricata-verify/tests/ssh-hassh-incomplete/input.pcap")
    check(g["hassh"] == "46c5bd9748882f1a5d75753fb7d47a61", "hassh-incomplete (suricata-verify value)")
    g = one(CAP + "suricata-verify/tests/ssh-hassh/input.pcap", 1)
    check(g["hassh"] == "2dd6531c7e89d3c925db9214711be76a" and
          g["hasshServer"] == "6832f1ce43d4397c2c0a3e2f8c94334e", "ssh-hassh (suricata-verify values)")

    # exact splitting (ETM / GCM): every client record accounted for
    for pcap, (got, _, _) in results.items():
        for st, g in got.items():
            if g["splitting%d" % g["client_dir"]] and g["rec_exact_client"] != g["rec_client"]:
                check(False, "%s #%d exact/non-exact mix" % (short(pcap), st))


if __name__ == "__main__":
    main()
