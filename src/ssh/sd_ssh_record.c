/* sd_sshout: the SSH connection record as text, and as JSON lines and CSV
 * rows (the JSON written in place by sd_ssh_fields_json, the CSV by the
 * generic field writer) over sd_ssh_fields (Zeek ssh.log names plus
 * strider's own); the one-line inference summary, and the
 * encrypted-record stream (--records). The text block stays written by
 * hand: it is a labelled block of lines, several facts a line, not a table.
 * Capture strings in it go through sd_text (terminal-safe). */
#include "sd_ssh_record.h"

#include "../common/sd_strb.h"
#include "../out/sd_json.h"
#include "../out/sd_recout.h"
#include "../out/sd_text.h"
#include "sd_ssh_fields.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text block's pieces without printf (about thirty a connection, as
 * many vsnprintf calls were two fifths of `ssh -m`): the program's own
 * text, a number as "%llu"; sd_buf_fixed writes "%.*f". */
static void put_s(sd_buf *b, const char *s)
{
    sd_buf_append(b, s, strlen(s));
}

static void put_u(sd_buf *b, uint64_t v)
{
    sd_json_val_u64(b, v);
}

/* text then a number: " (frame N", "  tcp.stream N"... */
static void put_lu(sd_buf *b, const char *text, uint64_t v)
{
    put_s(b, text);
    put_u(b, v);
}

/* "addr:port" */
static void put_ep(sd_buf *b, const sd_addr *a, uint16_t port)
{
    char t[SD_ADDR_STRLEN];
    put_s(b, sd_addr_str(a, t, sizeof t));
    put_lu(b, ":", port);
}

/* The labels' column: "%-12s" (a longer label is not cut). */
#define KV_LABEL_WIDTH 12

/* "  label        " then the capture string a (safe), then sep and the
 * capture string b (safe, "-" when NULL) if sep is given; a newline. */
static void kv_open(sd_buf *b, const char *label)
{
    size_t n = strlen(label);
    sd_buf_append(b, "  ", 2);
    sd_buf_append(b, label, n);
    if (n < KV_LABEL_WIDTH)
        sd_buf_append(b, "            ", KV_LABEL_WIDTH - n);
    sd_buf_append(b, " ", 1);
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
        kv_open(b, w ? "server stats" : "client stats");
        put_u(b, d->bytes);
        put_lu(b, " bytes in ", d->records);
        put_s(b, " records; sizes");
        for (uint32_t i = 0; i < n; i++) {
            put_lu(b, " ", mo[i].size);
            put_lu(b, "x", mo[i].count);
        }
        if (d->sizes_uncounted) {
            put_lu(b, " (", d->sizes_uncounted);
            put_s(b, " not counted: table full)");
        }
        if (d->gaps) {
            put_s(b, "; gap mean ");
            sd_buf_fixed(b, sd_sshstats_ipt_mean(d), 6);
            put_s(b, " s median ");
            sd_buf_fixed(b, sd_sshstats_ipt_median(d), 6);
            put_s(b, " s");
        }
        sd_buf_append(b, "\n", 1);
    }
}

void sd_sshout_meta_text(sd_buf *b, const sd_sshconn_result *r)
{
    const sd_conn *c = r->conn;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    char t[40];
    put_s(b, "SSH ");
    put_ep(b, &c->orig_h, c->orig_p);
    put_s(b, " ");
    put_s(b, dir_arrow(m->client_dir));
    put_s(b, " ");
    put_ep(b, &c->resp_h, c->resp_p);
    put_lu(b, "  tcp.stream ", c->id);
    put_s(b, "  uid ");
    put_s(b, c->uid);
    put_lu(b, "  frames ", c->first_frame);
    put_lu(b, "-", c->last_frame);
    put_s(b, "\n");
    kv_open(b, "start");
    put_s(b, sd_ts_iso(c->start, t, sizeof t));
    put_s(b, "  duration ");
    sd_buf_fixed(b, sd_ts_sec(c->end - c->start), 3);
    put_s(b, " s\n");
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
        put_s(b, " ");
        put_s(b, m->hostkey_sha256);
        put_lu(b, " (frame ", m->kex_reply_frame);
        put_s(b, ")\n");
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
        kv_open(b, "strict KEX");
        put_s(b, m->strict_kex ? "yes" : "no");
        put_s(b, m->terrapin ? "; Terrapin EXPOSED: " : "; Terrapin not exposed");
        if (m->terrapin)
            sd_text_puts(b, m->terrapin_reason);
        sd_buf_append(b, "\n", 1);
    }
    kv_open(b, "outcome");
    put_s(b, sd_ssh_outcome_name(m->outcome));
    if (m->midstream)
        put_s(b, m->suite_guessed ? " (picked up mid-stream: no banner or key exchange seen; suite guessed from sizes)"
                                  : " (picked up mid-stream: no banner or key exchange seen; suite unknown)");
    if (cl->newkeys_seen || sv->newkeys_seen) {
        put_lu(b, " (NEWKEYS client frame ", cl->newkeys_frame);
        put_lu(b, ", server frame ", sv->newkeys_frame);
        put_s(b, ")");
    }
    put_s(b, "\n");
    if (cl->enc_records || sv->enc_records)
        for (int k = 0; k < 2; k++) { /* "client N packets (N bytes), server ..." */
            const sd_ssh_side *x = k ? sv : cl;
            put_lu(b, k ? ", server " : "  encrypted    client ", x->enc_records);
            put_lu(b, x->splitting ? " packets (" : " segments (", x->enc_record_bytes);
            put_s(b, k ? " bytes)\n" : " bytes)");
        }
    text_stats(b, r);
    if (r->rec_truncated)
        sd_buf_printf(b, "  TRUNCATED    the inference kept the first %zu records only\n", r->nrec);
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        kv_open(b, "anomaly");
        put_s(b, sd_ssh_anom_name(m->anomalies[i].code));
        put_lu(b, ", frame ", m->anomalies[i].frame);
        put_s(b, ": ");
        sd_text_puts(b, m->anomalies[i].detail);
        sd_buf_append(b, "\n", 1);
    }
    put_s(b, "\n");
}

/* The CSV's columns. */
#define MAX_COLS 96

static size_t select_cols(const sd_field **sel)
{
    char err[96];
    int n = sd_fields_select(&sd_ssh_fields, sd_ssh_csv_columns, sel, MAX_COLS, err, sizeof err);
    return n < 0 ? 0 : (size_t)n; /* our own names: the unit test checks them */
}

/* What writing records keeps from one connection to the next: the CSV
 * writer, made once (each record made its own: the keys' block and the
 * column list were 4 % of `ssh --json` on many short connections), and the
 * JSON memo of long strings (the JSON record is written in place:
 * sd_ssh_fields_json). */
struct sd_sshout_cache {
    const sd_field *sel[MAX_COLS];
    sd_recout *csv; /* made at first use */
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
    sd_recout_free(c->csv);
    sd_ssh_jmemo_free(c->jm);
    free(c);
}

/* The CSV header (x NULL) or one row through the generic field writer: the
 * cache's (c, when given) or one made for the call. */
static void write_csv(sd_buf *b, const sd_ssh_fieldrec *x, sd_sshout_cache *c)
{
    const sd_field *own[MAX_COLS];
    sd_recout *w;
    if (c) {
        if (!c->csv)
            c->csv = sd_recout_new(SD_REC_CSV, c->sel, select_cols(c->sel), "ssh", 0);
        w = c->csv;
    } else {
        w = sd_recout_new(SD_REC_CSV, own, select_cols(own), "ssh", 0);
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
    write_csv(b, NULL, NULL);
}

void sd_sshout_meta_csv(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r)
{
    sd_ssh_fieldrec x = { .r = r, .su = NULL, .csv = true };
    write_csv(b, &x, c);
}

void sd_sshout_meta_json(sd_buf *b, sd_sshout_cache *c, const sd_sshconn_result *r, const sd_infer_summary *su)
{
    sd_ssh_fieldrec x = { .r = r, .su = su, .csv = false, .jm = c ? c->jm : NULL };
    sd_ssh_fields_json(b, &x); /* in place: the generic writer is its reference */
}

void sd_sshout_summary(char *out, size_t len, const sd_infer_summary *su)
{
    /* "auth %s, %d attempt(s)%s%s; host key %s; session %s%s%s", without
     * printf (once per connection) */
    sd_strb t = sd_strb_at(out, len);
    sd_strb_cat(&t, "auth ");
    sd_strb_cat(&t, su->midstream ? "not seen (session already open when the capture began)"
                    : su->auth_success < 0 ? "not seen" : su->auth_success ? "SUCCESS" : "FAILURE");
    if (!su->midstream) { /* its attempts are unknown, not none */
        sd_strb_cat(&t, ", ");
        sd_strb_int(&t, su->auth_attempts);
        sd_strb_cat(&t, " attempt(s)");
    }
    if (su->auth_method) {
        sd_strb_cat(&t, ", method ");
        sd_strb_cat(&t, su->auth_method);
    }
    sd_strb_cat(&t, "; host key ");
    sd_strb_cat(&t, su->host_known < 0 ? "?" : su->host_known ? "known" : "NEW (prompted)");
    sd_strb_cat(&t, "; session ");
    sd_strb_cat(&t, su->session_kind ? su->session_kind : "-");
    sd_strb_cat(&t, su->agent_used ? "; agent forwarding used"
                    : su->agent_forwarding ? "; agent forwarding requested" : "");
    sd_strb_cat(&t, su->reverse_provisioned ? "; -R provisioned" : "");
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

