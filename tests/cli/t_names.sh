#!/usr/bin/env bash
# One name per concept across the outputs: the column names of the text
# tables (ssh events, packets, conns) and of the CSVs are names the JSON
# uses for the same thing (the few text-only columns listed below), and the
# ssh record's host_key_fingerprint is Zeek's: its name and its value in
# Zeek's ssh.log baselines (SHA256:base64 without padding; the baseline
# column is cut at 40 characters), beside host_key_sha256.
set -u
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0
D=$REPO/samples/demo.pcap
ZT=$SHARED/captures/zeek/testing/btest/Traces/ssh
ZB=$SHARED/reference/baselines/zeek/testing/btest/Baseline

# 1) names: text and CSV headers against the JSON keys of the same records
"$STRIDER" ssh -j "$D" > "$tmp/ssh.json"
"$STRIDER" ssh --csv "$D" > "$tmp/ev.csv"
"$STRIDER" ssh "$D" > "$tmp/ssh.txt"
"$STRIDER" ssh -m -j "$D" > "$tmp/m.json"
"$STRIDER" ssh -m --csv "$D" > "$tmp/m.csv"
"$STRIDER" packets -n 0 -j "$D" > "$tmp/p.json"
"$STRIDER" packets -n 0 --csv "$D" > "$tmp/p.csv"
"$STRIDER" packets -n 0 "$D" > "$tmp/p.txt"
"$STRIDER" conns -j "$D" > "$tmp/c.json"
"$STRIDER" conns --csv "$D" > "$tmp/c.csv"
"$STRIDER" conns "$D" > "$tmp/c.txt"
/usr/bin/python3 - "$tmp" <<'PY' || fail=1
import json, os, sys
d = sys.argv[1]
def keys(path, typ=None):
    k = set()
    for line in open(os.path.join(d, path)):
        r = json.loads(line)
        if typ is None or r.get('type') == typ:
            k |= set(r)
    return k
def csv_head(path):
    return open(os.path.join(d, path)).readline().strip().split(',')
def text_head(path, start):
    for line in open(os.path.join(d, path)):
        if line.split()[:1] == [start]:
            return line.split()
    return []
# the flat forms CSV needs (an array, a range's end, the event's own fields
# in one cell) and the text tables' own columns (the time since the
# connection started, named as packets' rel_time; a delta), by table
FLAT = {'events': {'frame_last', 'details', 'file', 'file_frame'},
        'ssh': {'client_mode_size', 'client_mode_count', 'server_mode_size', 'server_mode_count'},
        'packets': {'file', 'file_frame'}, 'conns': set()}
TEXT_ONLY = {'events': {'rel_time', 'delta'}, 'packets': set(), 'conns': set()}
bad = 0
checks = [('events', keys('ssh.json', 'event'), csv_head('ev.csv'), text_head('ssh.txt', 'frame')),
          ('ssh', keys('m.json', 'ssh'), csv_head('m.csv'), []),
          ('packets', keys('p.json'), csv_head('p.csv'), text_head('p.txt', 'frame')),
          ('conns', keys('c.json'), csv_head('c.csv'), text_head('c.txt', 'stream'))]
for name, js, csv, text in checks:
    # a CSV column the JSON lacks is a flat form or another name for a concept
    other = [c for c in csv if c not in js and c not in FLAT[name]]
    # conns' CSV lists the optional columns JSON leaves out when unset
    if name == 'conns':
        other = [c for c in other if c not in ('vlan', 'iface', 'encap', 'local_orig', 'local_resp', 'first_rst',
                                               'first_rst_frame', 'rst_challenged', 'rst_challenged_frame', 'rst_untaken',
                                               'rst_untaken_frame', 'evicted', 'file',
                                               'file_first_frame',
                                               'http_method', 'http_host', 'http_uri', 'tls_sni', 'tls_version',
                                               'ja4')]
    if other:
        print('FAIL %s: CSV columns not named as in the JSON: %s' % (name, other)); bad = 1
    t_other = [c for c in text if c not in js and c not in csv and c not in TEXT_ONLY[name]]
    if t_other:
        print('FAIL %s: text columns not named as in the JSON/CSV: %s' % (name, t_other)); bad = 1
    print('%s: %d CSV columns, %d text columns, named as the JSON' % (name, len(csv), len(text)))
sys.exit(bad)
PY

# 2) host_key_fingerprint: Zeek's name and value, beside host_key_sha256
n=0
for pair in ssh.pcap:scripts.base.protocols.ssh.basic ssh_kex_curve25519.pcap:scripts.base.protocols.ssh.curve25519_kex \
            ssh_version_199.pcap:scripts.base.protocols.ssh.ssh_version_199; do
    pcap=$ZT/${pair%%:*} log=$ZB/${pair#*:}/ssh.log
    [ -f "$pcap" ] && [ -f "$log" ] || continue
    "$STRIDER" ssh -m -j "$pcap" > "$tmp/z.json" 2> /dev/null
    /usr/bin/python3 - "$tmp/z.json" "$log" <<'PY' || fail=1
import json, re, sys
ours = {}
for line in open(sys.argv[1]):
    r = json.loads(line)
    ours[str(r['id.orig_p'])] = r
fields, bad, n = None, 0, 0
for line in open(sys.argv[2]):
    line = line.rstrip('\n')
    if line.startswith('#fields'):
        fields = line.split('\t')[1:]
    if line.startswith('#') or not fields:
        continue
    row = dict(zip(fields, line.split('\t')))
    fp, r = row.get('host_key_fingerprint', '-'), ours.get(row['id.orig_p'])
    if r is None:
        print('FAIL %s: no record for port %s' % (sys.argv[2], row['id.orig_p'])); bad = 1; continue
    got = r.get('host_key_fingerprint')
    if fp == '-':
        if got is not None:
            print('FAIL port %s: fingerprint %s where Zeek has none' % (row['id.orig_p'], got)); bad = 1
        continue
    n += 1
    if not got or not got.startswith(fp) or not re.fullmatch(r'SHA256:[A-Za-z0-9+/]{43}', got):
        print('FAIL port %s: host_key_fingerprint %r, Zeek %r' % (row['id.orig_p'], got, fp)); bad = 1
    if got != r.get('host_key_sha256'):
        print('FAIL port %s: host_key_fingerprint != host_key_sha256' % row['id.orig_p']); bad = 1
if not n:
    print('FAIL %s: no fingerprint compared' % sys.argv[2]); bad = 1
print('%s: %d fingerprints as Zeek' % (sys.argv[2].split('/')[-2], n))
sys.exit(bad)
PY
    n=$((n + 1))
done
[ $n -gt 0 ] || { echo "FAIL no Zeek baseline found"; fail=1; }
[ $fail = 0 ] && echo "names checks passed"
exit $fail
