/* strider ssh: every SSH connection, found by content on any port.
 * -m: the metadata an analyst reads first (banners, HASSH, negotiated suite,
 * host key, strict KEX / Terrapin, scan outcome), as text or as JSON lines
 * with Zeek ssh.log field names plus strider's own. */
#include "../out/sd_json.h"
#include "../ssh/sd_sshconn.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: strider ssh [options] FILE...\n"
    "SSH connections found by content (any port, either side first).\n\n"
    "  -m, --meta           metadata only: banners, HASSH/hasshServer, negotiated\n"
    "                       algorithms, host key fingerprint, strict KEX/Terrapin,\n"
    "                       scan outcome\n"
    "  -j, --json           JSON lines (Zeek ssh.log field names where they exist)\n"
    CLI_COMMON_HELP;

typedef struct out_item {
    uint64_t key; /* first frame: output in connection order */
    char *text;
} out_item;

typedef struct ssh_run {
    bool json;
    out_item *items;
    size_t n, cap;
} ssh_run;

static const char *dir_arrow(int client_dir)
{
    return client_dir == SD_DIR_ORIG ? "->" : "<-";
}

static const char *nz(const char *s)
{
    return s ? s : "-";
}

static void meta_text(sd_buf *b, const sd_sshconn_result *r)
{
    const sd_conn *c = r->conn;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    char a1[SD_ADDR_STRLEN], a2[SD_ADDR_STRLEN], t[40];
    sd_buf_printf(b, "SSH %s:%u %s %s:%u  tcp.stream %llu  uid %s  frames %llu-%llu\n",
                  sd_addr_str(&c->orig_h, a1, sizeof a1), c->orig_p, dir_arrow(m->client_dir),
                  sd_addr_str(&c->resp_h, a2, sizeof a2), c->resp_p, (unsigned long long)c->id, c->uid,
                  (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    sd_buf_printf(b, "  start        %s  duration %.3f s\n", sd_ts_iso(c->start, t, sizeof t),
                  sd_ts_sec(c->end - c->start));
    sd_buf_printf(b, "  client       %s\n", nz(cl->banner));
    sd_buf_printf(b, "  server       %s\n", nz(sv->banner));
    if (sv->prebanner)
        sd_buf_printf(b, "  pre-banner   %u line(s) from the server\n", sv->prebanner_lines);
    if (cl->hassh[0])
        sd_buf_printf(b, "  hassh        %s  %s\n", cl->hassh, nz(cl->hassh_algorithms));
    if (sv->hassh[0])
        sd_buf_printf(b, "  hasshServer  %s  %s\n", sv->hassh, nz(sv->hassh_algorithms));
    if (m->kex_alg)
        sd_buf_printf(b, "  kex          %s  host key %s\n", m->kex_alg, nz(m->hostkey_alg));
    if (m->hostkey_seen)
        sd_buf_printf(b, "  host key     %s %s (frame %llu)\n", m->hostkey_type, m->hostkey_sha256,
                      (unsigned long long)m->kex_reply_frame);
    for (int d = 0; d < 2; d++)
        if (m->cipher[d])
            sd_buf_printf(b, "  %s          %s  mac %s  compression %s\n", d ? "s2c" : "c2s", m->cipher[d],
                          nz(m->mac[d]), nz(m->comp[d]));
    if (cl->kexinit_seen && sv->kexinit_seen)
        sd_buf_printf(b, "  strict KEX   %s; Terrapin %s%s%s\n", m->strict_kex ? "yes" : "no",
                      m->terrapin ? "EXPOSED" : "not exposed", m->terrapin ? ": " : "",
                      m->terrapin ? m->terrapin_reason : "");
    sd_buf_printf(b, "  outcome      %s", sd_ssh_outcome_name(m->outcome));
    if (cl->newkeys_seen || sv->newkeys_seen)
        sd_buf_printf(b, " (NEWKEYS client frame %llu, server frame %llu)",
                      (unsigned long long)cl->newkeys_frame, (unsigned long long)sv->newkeys_frame);
    sd_buf_printf(b, "\n");
    if (cl->enc_records || sv->enc_records)
        sd_buf_printf(b, "  encrypted    client %llu %s (%llu bytes), server %llu %s (%llu bytes)\n",
                      (unsigned long long)cl->enc_records, cl->splitting ? "packets" : "segments",
                      (unsigned long long)cl->enc_record_bytes, (unsigned long long)sv->enc_records,
                      sv->splitting ? "packets" : "segments", (unsigned long long)sv->enc_record_bytes);
    for (uint32_t i = 0; i < m->n_anomalies; i++)
        sd_buf_printf(b, "  anomaly      %s, frame %llu: %s\n", sd_ssh_anom_name(m->anomalies[i].code),
                      (unsigned long long)m->anomalies[i].frame, m->anomalies[i].detail);
    sd_buf_printf(b, "\n");
}

static void json_opt(sd_json *j, const char *k, const char *v)
{
    if (v)
        sd_json_str(j, k, v);
}

static void meta_json(sd_buf *b, const sd_sshconn_result *r)
{
    const sd_conn *c = r->conn;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    char a[SD_ADDR_STRLEN];
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "type", "ssh");
    sd_json_f64(&j, "ts", sd_ts_sec(c->start), 6);
    sd_json_str(&j, "uid", c->uid);
    sd_json_u64(&j, "stream", c->id);
    sd_json_str(&j, "id.orig_h", sd_addr_str(&c->orig_h, a, sizeof a));
    sd_json_u64(&j, "id.orig_p", c->orig_p);
    sd_json_str(&j, "id.resp_h", sd_addr_str(&c->resp_h, a, sizeof a));
    sd_json_u64(&j, "id.resp_p", c->resp_p);
    if (m->version)
        sd_json_u64(&j, "version", (uint64_t)m->version);
    json_opt(&j, "client", cl->banner);
    json_opt(&j, "server", sv->banner);
    json_opt(&j, "cipher_alg", m->cipher[0]);
    json_opt(&j, "mac_alg", m->mac[0]);
    json_opt(&j, "compression_alg", m->comp[0]);
    json_opt(&j, "kex_alg", m->kex_alg);
    json_opt(&j, "host_key_alg", m->hostkey_alg);
    if (m->hostkey_seen) {
        sd_json_str(&j, "host_key", m->hostkey_md5); /* Zeek: MD5, colon hex */
        sd_json_str(&j, "host_key_sha256", m->hostkey_sha256);
        sd_json_str(&j, "host_key_type", m->hostkey_type);
        sd_json_u64(&j, "host_key_frame", m->kex_reply_frame);
    }
    if (cl->hassh[0]) {
        sd_json_str(&j, "hassh", cl->hassh);
        json_opt(&j, "hasshAlgorithms", cl->hassh_algorithms);
    }
    if (sv->hassh[0]) {
        sd_json_str(&j, "hasshServer", sv->hassh);
        json_opt(&j, "hasshServerAlgorithms", sv->hassh_algorithms);
    }
    json_opt(&j, "cipher_alg_s2c", m->cipher[1]);
    json_opt(&j, "mac_alg_s2c", m->mac[1]);
    sd_json_str(&j, "client_dir", m->client_dir == SD_DIR_ORIG ? "orig" : "resp");
    if (cl->kexinit_seen && sv->kexinit_seen) {
        sd_json_bool(&j, "strict_kex", m->strict_kex);
        sd_json_bool(&j, "terrapin", m->terrapin);
        if (m->terrapin)
            sd_json_str(&j, "terrapin_reason", m->terrapin_reason);
    }
    sd_json_str(&j, "outcome", sd_ssh_outcome_name(m->outcome));
    if (sv->prebanner)
        sd_json_str(&j, "pre_banner", sv->prebanner);
    if (cl->newkeys_seen)
        sd_json_u64(&j, "client_newkeys_frame", cl->newkeys_frame);
    if (sv->newkeys_seen)
        sd_json_u64(&j, "server_newkeys_frame", sv->newkeys_frame);
    sd_json_u64(&j, "client_enc_records", cl->enc_records);
    sd_json_u64(&j, "server_enc_records", sv->enc_records);
    if (m->anomalies_total) {
        sd_json_key(&j, "anomalies");
        sd_buf_append(b, "[", 1);
        for (uint32_t i = 0; i < m->n_anomalies; i++) {
            if (i)
                sd_buf_append(b, ",", 1);
            const char *n = sd_ssh_anom_name(m->anomalies[i].code);
            sd_json_escape(b, n, strlen(n));
        }
        sd_buf_append(b, "]", 1);
    }
    sd_json_end(&j);
}

static void on_done(void *ud, const sd_sshconn_result *r)
{
    ssh_run *run = ud;
    sd_buf b = { 0 };
    if (run->json)
        meta_json(&b, r);
    else
        meta_text(&b, r);
    sd_buf_append(&b, "", 1);
    if (run->n == run->cap) {
        run->cap = run->cap ? run->cap * 2 : 64;
        run->items = sd_reallocarray(run->items, run->cap, sizeof *run->items);
    }
    run->items[run->n++] = (out_item){ r->conn->first_frame, (char *)b.p };
}

static int cmp_item(const void *a, const void *b)
{
    const out_item *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

int cmd_ssh(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, { "meta", no_argument, 0, 'm' }, { "json", no_argument, 0, 'j' }, { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    ssh_run run = { 0 };
    int rc = 2, o;
    optind = 1;
    while ((o = getopt_long(argc, argv, CLI_COMMON_SHORT "mj", opts, NULL)) != -1) {
        if (cli_common_opt(&in, o, optarg))
            continue;
        switch (o) {
        case 'h': fputs(HELP, stdout); rc = 0; goto out;
        case 'm': break;
        case 'j': run.json = true; break;
        default: rc = cli_usage_error("ssh", "bad option"); goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        cli_add_file(&in, argv[i]);
    sd_capture *cap = cli_open(&in);
    if (!cap) { rc = 1; goto out; }
    sd_engine_opts eo = { .diag = &in.diag, .reassemble = true };
    sd_engine *e = sd_engine_new(&eo);
    sd_sshconn_opts so = { .done = on_done, .ud = &run };
    sd_sshconn *x = sd_sshconn_new(&so);
    sd_sshconn_attach(x, e);
    cli_run(&in, e, cap);
    qsort(run.items, run.n, sizeof *run.items, cmp_item);
    for (size_t i = 0; i < run.n; i++)
        fputs(run.items[i].text, stdout);
    rc = cli_status(&in, cap);
    sd_engine_free(e);
    sd_sshconn_free(x);
    sd_capture_close(cap);
out:
    for (size_t i = 0; i < run.n; i++)
        free(run.items[i].text);
    free(run.items);
    cli_input_free(&in);
    return rc;
}
