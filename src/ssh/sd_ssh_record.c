/* sd_sshout: the SSH connection record as text and as JSON lines (Zeek
 * ssh.log names plus strider's own), the one-line inference summary, and the
 * encrypted-record stream (--records). Capture strings in the text forms go
 * through sd_text (terminal-safe); the JSON escaper handles the rest. */
#include "sd_ssh_record.h"

#include "../out/sd_json.h"
#include "../out/sd_text.h"

#include <stdio.h>
#include <string.h>

/* "  label        " then the capture string a (safe), then sep and the
 * capture string b (safe, "-" when NULL) if sep is given; a newline. */
static void kv_open(sd_buf *b, const char *label)
{
    sd_buf_printf(b, "  %-12s ", label);
}

static void kv(sd_buf *b, const char *label, const char *a, const char *sep, const char *c)
{
    kv_open(b, label);
    sd_text_puts(b, a);
    if (sep) {
        sd_buf_append(b, sep, strlen(sep));
        sd_text_puts(b, c);
    }
    sd_buf_append(b, "\n", 1);
}

static const char *dir_arrow(int client_dir)
{
    return client_dir == SD_DIR_ORIG ? "->" : "<-";
}

/* sshflow's general statistics of one direction (sd_infer_stats.h) as
 * flat fields prefixed "client_" / "server_": bytes, size modes as
 * [[size, count], ...], sizes not counted (table full), mean and median
 * time between records (absent with fewer than two records). */
static void json_stats_dir(sd_json *j, sd_buf *b, const char *who, const sd_sshstats_dir *d)
{
    char k[48];
    sd_sshstats_mode mo[SD_STATS_MODES];
    uint32_t n = sd_sshstats_modes(d, mo, SD_STATS_MODES);
    snprintf(k, sizeof k, "%s_enc_bytes", who);
    sd_json_u64(j, k, d->bytes);
    snprintf(k, sizeof k, "%s_size_modes", who);
    sd_json_key(j, k);
    sd_buf_append(b, "[", 1);
    for (uint32_t i = 0; i < n; i++)
        sd_buf_printf(b, "%s[%u,%llu]", i ? "," : "", mo[i].size, (unsigned long long)mo[i].count);
    sd_buf_append(b, "]", 1);
    snprintf(k, sizeof k, "%s_sizes_uncounted", who);
    sd_json_u64(j, k, d->sizes_uncounted);
    if (!d->gaps)
        return;
    snprintf(k, sizeof k, "%s_ipt_mean_s", who);
    sd_json_f64(j, k, sd_sshstats_ipt_mean(d), 6);
    snprintf(k, sizeof k, "%s_ipt_median_s", who);
    sd_json_f64(j, k, sd_sshstats_ipt_median(d), 6);
}

static void json_stats(sd_json *j, sd_buf *b, const sd_sshconn_result *r)
{
    if (!r->stats)
        return;
    int cd = r->meta->client_dir;
    json_stats_dir(j, b, "client", &r->stats->d[cd]);
    json_stats_dir(j, b, "server", &r->stats->d[!cd]);
}

/* The same in the text form: one line per direction. */
static void text_stats(sd_buf *b, const sd_sshconn_result *r)
{
    for (int w = 0; r->stats && w < 2; w++) {
        const sd_sshstats_dir *d = &r->stats->d[w ? !r->meta->client_dir : r->meta->client_dir];
        sd_sshstats_mode mo[SD_STATS_MODES];
        uint32_t n = sd_sshstats_modes(d, mo, SD_STATS_MODES);
        sd_buf_printf(b, "  %-12s %llu bytes in %llu records; sizes", w ? "server stats" : "client stats",
                      (unsigned long long)d->bytes, (unsigned long long)d->records);
        for (uint32_t i = 0; i < n; i++)
            sd_buf_printf(b, " %ux%llu", mo[i].size, (unsigned long long)mo[i].count);
        if (d->sizes_uncounted)
            sd_buf_printf(b, " (%llu not counted: table full)", (unsigned long long)d->sizes_uncounted);
        if (d->gaps)
            sd_buf_printf(b, "; gap mean %.6f s median %.6f s", sd_sshstats_ipt_mean(d), sd_sshstats_ipt_median(d));
        sd_buf_append(b, "\n", 1);
    }
}

void sd_sshout_meta_text(sd_buf *b, const sd_sshconn_result *r)
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
    kv(b, "client", cl->banner, NULL, NULL);
    kv(b, "server", sv->banner, NULL, NULL);
    if (sv->prebanner)
        sd_buf_printf(b, "  pre-banner   %u line(s) from the server\n", sv->prebanner_lines);
    if (cl->hassh[0])
        kv(b, "hassh", cl->hassh, "  ", cl->hassh_algorithms);
    if (sv->hassh[0])
        kv(b, "hasshServer", sv->hassh, "  ", sv->hassh_algorithms);
    if (m->kex_alg)
        kv(b, "kex", m->kex_alg, "  host key ", m->hostkey_alg);
    if (m->hostkey_seen) {
        kv_open(b, "host key");
        sd_text_puts(b, m->hostkey_type);
        sd_buf_printf(b, " %s (frame %llu)\n", m->hostkey_sha256, (unsigned long long)m->kex_reply_frame);
    }
    for (int d = 0; d < 2; d++)
        if (m->cipher[d]) {
            kv(b, d ? "s2c" : "c2s", m->cipher[d], "  mac ", m->mac[d]);
            b->len--; /* the line goes on */
            sd_buf_append(b, "  compression ", 14);
            sd_text_puts(b, m->comp[d]);
            sd_buf_append(b, "\n", 1);
        }
    if (cl->kexinit_seen && sv->kexinit_seen) {
        sd_buf_printf(b, "  strict KEX   %s; Terrapin %s%s", m->strict_kex ? "yes" : "no",
                      m->terrapin ? "EXPOSED" : "not exposed", m->terrapin ? ": " : "");
        if (m->terrapin)
            sd_text_puts(b, m->terrapin_reason);
        sd_buf_append(b, "\n", 1);
    }
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
    text_stats(b, r);
    if (r->rec_truncated)
        sd_buf_printf(b, "  TRUNCATED    the inference kept the first %zu records only\n", r->nrec);
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        sd_buf_printf(b, "  anomaly      %s, frame %llu: ", sd_ssh_anom_name(m->anomalies[i].code),
                      (unsigned long long)m->anomalies[i].frame);
        sd_text_puts(b, m->anomalies[i].detail);
        sd_buf_append(b, "\n", 1);
    }
    sd_buf_printf(b, "\n");
}

void sd_sshout_meta_csv_header(sd_buf *b)
{
    sd_buf_printf(b, "uid,stream,orig_h,orig_p,resp_h,resp_p,client,server,cipher_alg,mac_alg,kex_alg,host_key_alg,outcome");
    for (int w = 0; w < 2; w++) {
        const char *who = w ? "server" : "client";
        sd_buf_printf(b, ",%s_enc_records,%s_enc_bytes,%s_mode_size,%s_mode_count,%s_sizes_uncounted,%s_ipt_mean_s,"
                      "%s_ipt_median_s", who, who, who, who, who, who, who);
    }
    sd_buf_append(b, "\n", 1);
}

/* One direction's statistics as seven CSV cells (each after a comma). */
static void csv_stats_dir(sd_buf *b, const sd_sshstats_dir *d)
{
    sd_sshstats_mode mo[1];
    if (!d) {
        sd_buf_append(b, ",,,,,,,", 7);
        return;
    }
    sd_buf_printf(b, ",%llu,%llu", (unsigned long long)d->records, (unsigned long long)d->bytes);
    if (sd_sshstats_modes(d, mo, 1))
        sd_buf_printf(b, ",%u,%llu", mo[0].size, (unsigned long long)mo[0].count);
    else
        sd_buf_append(b, ",,", 2);
    sd_buf_printf(b, ",%llu", (unsigned long long)d->sizes_uncounted);
    if (d->gaps)
        sd_buf_printf(b, ",%.6f,%.6f", sd_sshstats_ipt_mean(d), sd_sshstats_ipt_median(d));
    else
        sd_buf_append(b, ",,", 2);
}

void sd_sshout_meta_csv(sd_buf *b, const sd_sshconn_result *r)
{
    const sd_conn *c = r->conn;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    const char *txt[] = { cl->banner, sv->banner, m->cipher[0], m->mac[0], m->kex_alg, m->hostkey_alg,
                          sd_ssh_outcome_name(m->outcome) };
    char a1[SD_ADDR_STRLEN], a2[SD_ADDR_STRLEN];
    sd_csv_field(b, c->uid);
    sd_buf_printf(b, ",%llu,%s,%u,%s,%u", (unsigned long long)c->id, sd_addr_str(&c->orig_h, a1, sizeof a1),
                  c->orig_p, sd_addr_str(&c->resp_h, a2, sizeof a2), c->resp_p);
    for (size_t i = 0; i < sizeof txt / sizeof txt[0]; i++) {
        sd_buf_append(b, ",", 1);
        sd_csv_field(b, txt[i] ? txt[i] : "");
    }
    csv_stats_dir(b, r->stats ? &r->stats->d[m->client_dir] : NULL);
    csv_stats_dir(b, r->stats ? &r->stats->d[!m->client_dir] : NULL);
    sd_buf_append(b, "\n", 1);
}

static void json_opt(sd_json *j, const char *k, const char *v)
{
    if (v)
        sd_json_str(j, k, v);
}

/* The inference's per-connection summary in the "ssh" line. */
static void json_summary(sd_json *j, const sd_infer_summary *su)
{
    if (su->auth_success >= 0)
        sd_json_bool(j, "auth_success", su->auth_success == 1);
    sd_json_u64(j, "auth_attempts", (uint64_t)su->auth_attempts);
    json_opt(j, "auth_method", su->auth_method);
    if (su->auth_mfa)
        sd_json_bool(j, "auth_mfa", true);
    if (su->host_known >= 0)
        sd_json_bool(j, "host_known", su->host_known == 1);
    json_opt(j, "session_kind", su->session_kind);
    sd_json_bool(j, "agent_forwarding", su->agent_forwarding);
    sd_json_bool(j, "x11_used", su->x11_used);
    sd_json_bool(j, "reverse_provisioned", su->reverse_provisioned);
    sd_json_bool(j, "auth_banner", su->auth_banner);
    sd_json_u64(j, "keystrokes", su->keystrokes);
}

void sd_sshout_meta_json(sd_buf *b, const sd_sshconn_result *r, const sd_infer_summary *su)
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
    json_stats(&j, b, r);
    if (r->rec_truncated) /* the per-connection record cap: inference saw only the first records */
        sd_json_bool(&j, "records_truncated", true);
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
    if (su)
        json_summary(&j, su);
    sd_json_end(&j);
}

void sd_sshout_summary(char *out, size_t len, const sd_infer_summary *su)
{
    snprintf(out, len, "auth %s, %d attempt(s)%s%s; host key %s; session %s%s%s",
                  su->auth_success < 0 ? "not seen" : su->auth_success ? "SUCCESS" : "FAILURE", su->auth_attempts,
                  su->auth_method ? ", method " : "", su->auth_method ? su->auth_method : "",
                  su->host_known < 0 ? "?" : su->host_known ? "known" : "NEW (prompted)",
                  su->session_kind ? su->session_kind : "-", su->agent_used ? "; agent forwarding used"
                  : su->agent_forwarding ? "; agent forwarding requested" : "",
                  su->reverse_provisioned ? "; -R provisioned" : "");
}

void sd_sshout_records(sd_buf *b, const sd_sshconn_result *r)
{
    const sd_ssh_meta *m = r->meta;
    for (size_t i = 0; i < r->nrec; i++) {
        const sd_ssh_record *x = &r->rec[i];
        sd_buf_printf(b, "rec %c %5u %s frame %llu ts %.6f\n", x->dir == m->client_dir ? 'C' : 'S',
                      x->wire_len, x->exact ? "pkt" : "seg", (unsigned long long)x->frame, sd_ts_sec(x->ts));
    }
}

