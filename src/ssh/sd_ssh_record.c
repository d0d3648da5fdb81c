/* sd_sshout: the SSH connection record as text, and as JSON lines and CSV
 * rows through the generic field writer over sd_ssh_fields (Zeek ssh.log
 * names plus strider's own); the one-line inference summary, and the
 * encrypted-record stream (--records). The text block stays written by
 * hand: it is a labelled block of lines, several facts a line, not a table.
 * Capture strings in it go through sd_text (terminal-safe). */
#include "sd_ssh_record.h"

#include "../out/sd_recout.h"
#include "../out/sd_text.h"
#include "sd_ssh_fields.h"

#include <stdio.h>
#include <stdlib.h>
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

/* sshflow's general statistics of one direction (sd_infer_stats.h), one
 * line per direction. */
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

/* The record's columns: every field for JSON, the CSV's list for CSV. */
#define MAX_COLS 96

static size_t select_cols(sd_rec_fmt fmt, const sd_field **sel)
{
    char err[96];
    if (fmt != SD_REC_CSV)
        return sd_fields_all(&sd_ssh_fields, false, sel, MAX_COLS);
    int n = sd_fields_select(&sd_ssh_fields, sd_ssh_csv_columns, sel, MAX_COLS, err, sizeof err);
    return n < 0 ? 0 : (size_t)n; /* our own names: the unit test checks them */
}

/* What writing records keeps from one connection to the next: the JSON
 * and CSV writers, made once (each record made its own: the keys' block
 * and the column list were 4 % of `ssh --json` on many short connections),
 * and the JSON memo of long strings. */
struct sd_sshout_cache {
    const sd_field *sel[2][MAX_COLS];
    sd_recout *w[2]; /* JSON, CSV; made at first use */
    sd_ssh_jmemo *jm;
};

sd_sshout_cache *sd_sshout_cache_new(void)
{
    sd_sshout_cache *c = sd_calloc(1, sizeof *c);
    c->jm = sd_ssh_jmemo_new();
    return c;
}

void sd_sshout_cache_free(sd_sshout_cache *c)
{
    if (!c)
        return;
    sd_recout_free(c->w[0]);
    sd_recout_free(c->w[1]);
    sd_ssh_jmemo_free(c->jm);
    free(c);
}

/* The header (x NULL) or one record through the generic field writer: the
 * cache's (c, when given) or one made for the call. */
static void write_rec(sd_rec_fmt fmt, sd_buf *b, const sd_ssh_fieldrec *x, sd_sshout_cache *c)
{
    const sd_field *own[MAX_COLS];
    sd_recout *w;
    if (c) {
        int k = fmt == SD_REC_CSV;
        if (!c->w[k])
            c->w[k] = sd_recout_new(fmt, c->sel[k], select_cols(fmt, c->sel[k]), "ssh", 0);
        w = c->w[k];
    } else {
        w = sd_recout_new(fmt, own, select_cols(fmt, own), "ssh", 0);
    }
    if (x)
        sd_recout_record(w, b, x);
    else
        sd_recout_begin(w, b);
    if (!c)
        sd_recout_free(w);
}

void sd_sshout_meta_csv_header(sd_buf *b)
{
    write_rec(SD_REC_CSV, b, NULL, NULL);
}

void sd_sshout_meta_csv(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r)
{
    sd_ssh_fieldrec x = { .r = r, .su = NULL, .csv = true };
    write_rec(SD_REC_CSV, b, &x, c);
}

void sd_sshout_meta_json(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r, const sd_infer_summary *su)
{
    sd_ssh_fieldrec x = { .r = r, .su = su, .csv = false, .jm = c ? c->jm : NULL };
    write_rec(SD_REC_JSON, b, &x, c);
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

