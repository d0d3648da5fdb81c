#include "sd_sumsec_out.h"

#include "sd_json.h"

#include <stdio.h>

#define FLUSH_AT 65536u

typedef unsigned long long ull;

void sd_summary_maybe_flush(sd_buf *b, sd_summary_flush flush)
{
    if (flush && b->len >= FLUSH_AT)
        flush(b);
}

/* "constant 4444", "incremental +1", "random", "-". */
static void pat_str(const sd_clientpat_seq *s, uint32_t first, char *buf, size_t len)
{
    if (s->kind == SD_PAT_CONSTANT)
        snprintf(buf, len, "constant %u", first);
    else if (s->kind == SD_PAT_INCREMENTAL && s->step)
        snprintf(buf, len, "incremental +%u", s->step);
    else if (s->kind == SD_PAT_INCREMENTAL)
        snprintf(buf, len, "incremental, varied");
    else
        snprintf(buf, len, "%s", sd_clientpat_kind_name(s->kind));
}

static const char *odd_note(unsigned odd)
{
    if (odd & SD_CLIENTPAT_ODD_CONST_PORT)
        return "  ! constant source port: a tool or malware";
    if (odd & SD_CLIENTPAT_ODD_CONST_ISN)
        return "  ! constant ISN: crafted SYNs";
    if (odd & SD_CLIENTPAT_ODD_INCR_ISN)
        return "  ! incremental ISN: an old or odd TCP stack";
    return "";
}

static void client_text(sd_buf *b, const sd_clientpat_host *h)
{
    char a[SD_ADDR_STRLEN], ps[40], is[40];
    pat_str(&h->port, h->ev_port[0], ps, sizeof ps);
    pat_str(&h->isn, h->ev_isn[0], is, sizeof is);
    sd_buf_printf(b, "  %-39s %7llu  %-18s %-20s%s\n", sd_addr_str(&h->addr, a, sizeof a), (ull)h->conns, ps, is,
                  odd_note(h->odd));
    uint64_t steps = h->conns - 1;
    sd_buf_printf(b, "      steps  port: %llu zero, %llu of +1..+%u, %llu other;  ISN: %llu zero, %llu of "
                     "+1..+%u, %llu other\n",
                  (ull)h->port.same, (ull)h->port.small, SD_CLIENTPAT_PORT_STEP_MAX,
                  (ull)(steps - h->port.same - h->port.small), (ull)h->isn.same, (ull)h->isn.small,
                  SD_CLIENTPAT_ISN_STEP_MAX, (ull)(steps - h->isn.same - h->isn.small));
    sd_buf_printf(b, "      first SYNs (frame port ISN):");
    for (int i = 0; i < h->nev; i++)
        sd_buf_printf(b, "%s %llu %u %u", i ? "," : "", (ull)h->ev_frame[i], h->ev_port[i], h->ev_isn[i]);
    sd_buf_printf(b, "\n");
}

void sd_clientpat_text(sd_buf *b, const sd_clientpat_result *r, size_t top_n, sd_summary_flush flush)
{
    sd_buf_printf(b, "\nClient source ports and ISNs (TCP connections opened with a SYN, per host)\n");
    sd_buf_printf(b, "  %llu connections; %zu hosts with %u or more (%zu stand out), %llu with fewer (no "
                     "pattern); %llu joined mid-stream (left out)\n",
                  (ull)r->conns, r->nhosts, SD_CLIENTPAT_MIN_CONNS, r->nodd, (ull)r->few, (ull)r->midstream);
    if (r->untracked_conns)
        sd_buf_printf(b, "  connections of hosts not tracked (past the cap of %zu hosts): %llu\n", r->max_hosts,
                      (ull)r->untracked_conns);
    if (!r->nhosts)
        return;
    sd_buf_printf(b, "  %-39s %7s  %-18s %s\n", "host", "conns", "source ports", "ISNs");
    size_t shown = 0, limit = r->nodd < SD_SUMSEC_TEXT_MAX ? r->nodd : SD_SUMSEC_TEXT_MAX;
    for (; shown < limit; shown++) {
        client_text(b, &r->hosts[shown]);
        sd_summary_maybe_flush(b, flush);
    }
    for (size_t i = r->nodd; i < r->nhosts && i - r->nodd < top_n; i++, shown++)
        client_text(b, &r->hosts[i]);
    if (shown < r->nhosts)
        sd_buf_printf(b, "  %zu more hosts (--json lists every one)\n", r->nhosts - shown);
}

static void json_u64_array(sd_json *j, const char *key, const uint64_t *v, size_t n)
{
    sd_json_key(j, key);
    sd_buf_append(j->b, "[", 1);
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(j->b, "%s%llu", i ? "," : "", (ull)v[i]);
    sd_buf_append(j->b, "]", 1);
}

static void seq_json(sd_json *j, const char *pre, const sd_clientpat_seq *s)
{
    char k[40];
    snprintf(k, sizeof k, "%s", pre);
    sd_json_str(j, k, sd_clientpat_kind_name(s->kind));
    snprintf(k, sizeof k, "%s_steps_zero", pre);
    sd_json_u64(j, k, s->same);
    snprintf(k, sizeof k, "%s_steps_small", pre);
    sd_json_u64(j, k, s->small);
    if (s->kind == SD_PAT_INCREMENTAL && s->step) {
        snprintf(k, sizeof k, "%s_step", pre);
        sd_json_u64(j, k, s->step);
    }
}

static void client_json(sd_json *j, sd_buf *b, const sd_clientpat_host *h)
{
    char a[SD_ADDR_STRLEN];
    uint64_t v[SD_CLIENTPAT_EVIDENCE];
    sd_json_begin(j, b);
    sd_json_str(j, "type", "client");
    sd_json_str(j, "host", sd_addr_str(&h->addr, a, sizeof a));
    sd_json_u64(j, "conns", h->conns);
    sd_json_f64(j, "first_ts", sd_ts_sec(h->first), 6);
    sd_json_f64(j, "last_ts", sd_ts_sec(h->last), 6);
    seq_json(j, "src_port", &h->port);
    seq_json(j, "isn", &h->isn);
    sd_json_bool(j, "stands_out", h->odd != 0);
    if (h->odd)
        sd_json_str(j, "why", odd_note(h->odd) + 4);
    for (int i = 0; i < h->nev; i++)
        v[i] = h->ev_frame[i];
    json_u64_array(j, "first_frames", v, h->nev);
    for (int i = 0; i < h->nev; i++)
        v[i] = h->ev_port[i];
    json_u64_array(j, "first_src_ports", v, h->nev);
    for (int i = 0; i < h->nev; i++)
        v[i] = h->ev_isn[i];
    json_u64_array(j, "first_isns", v, h->nev);
    sd_json_end(j);
}

void sd_clientpat_json(sd_buf *b, const sd_clientpat_result *r, sd_summary_flush flush)
{
    sd_json j;
    for (size_t i = 0; i < r->nhosts; i++) {
        client_json(&j, b, &r->hosts[i]);
        sd_summary_maybe_flush(b, flush);
    }
}

/* "sender:port -> receiver:port": who sent the bytes that hold it. */
static void file_ends(const sd_summary_file *f, char *buf, size_t len)
{
    char a[SD_ADDR_STRLEN], c[SD_ADDR_STRLEN];
    const sd_addr *from = f->dir ? &f->resp_h : &f->orig_h, *to = f->dir ? &f->orig_h : &f->resp_h;
    snprintf(buf, len, "%s:%u -> %s:%u", sd_addr_str(from, a, sizeof a), f->dir ? f->resp_p : f->orig_p,
             sd_addr_str(to, c, sizeof c), f->dir ? f->orig_p : f->resp_p);
}

void sd_files_text(sd_buf *b, const sd_summary_files *f, sd_summary_flush flush)
{
    char t[40], ends[2 * SD_ADDR_STRLEN + 20];
    sd_buf_printf(b, "\nFiles seen (payload signatures in TCP streams; nothing written: strider extract "
                     "writes them)\n");
    for (size_t i = 0; i < f->n && i < SD_SUMSEC_TEXT_MAX; i++) {
        const sd_summary_file *x = &f->v[i];
        file_ends(x, ends, sizeof ends);
        sd_buf_printf(b, "  %s  %-18s %-4s %s  uid %s stream %llu frames %llu-%llu offset %llu\n",
                      sd_ts_iso(x->ts, t, sizeof t), x->sig, x->dir ? "resp" : "orig", ends, x->uid,
                      (ull)x->stream, (ull)x->frame, (ull)x->frame_last, (ull)x->offset);
        sd_summary_maybe_flush(b, flush);
    }
    if (!f->total)
        sd_buf_printf(b, "  none\n");
    else if (f->total > (f->n < SD_SUMSEC_TEXT_MAX ? f->n : SD_SUMSEC_TEXT_MAX))
        sd_buf_printf(b, "  %llu signatures in %llu connections; listed %llu (--json lists up to %zu)\n",
                      (ull)f->total, (ull)f->conns, (ull)(f->n < SD_SUMSEC_TEXT_MAX ? f->n : SD_SUMSEC_TEXT_MAX),
                      f->max);
}

void sd_files_json(sd_buf *b, const sd_summary_files *f, sd_summary_flush flush)
{
    char a[SD_ADDR_STRLEN];
    sd_json j;
    for (size_t i = 0; i < f->n; i++) {
        const sd_summary_file *x = &f->v[i];
        sd_json_begin(&j, b);
        sd_json_str(&j, "type", "file");
        sd_json_f64(&j, "ts", sd_ts_sec(x->ts), 6);
        sd_json_str(&j, "uid", x->uid);
        sd_json_u64(&j, "stream", x->stream);
        sd_json_str(&j, "sig", x->sig);
        sd_json_str(&j, "dir", x->dir ? "resp" : "orig");
        sd_json_u64(&j, "offset", x->offset);
        sd_json_u64(&j, "frame", x->frame);
        sd_json_u64(&j, "frame_last", x->frame_last);
        sd_json_str(&j, "id.orig_h", sd_addr_str(&x->orig_h, a, sizeof a));
        sd_json_u64(&j, "id.orig_p", x->orig_p);
        sd_json_str(&j, "id.resp_h", sd_addr_str(&x->resp_h, a, sizeof a));
        sd_json_u64(&j, "id.resp_p", x->resp_p);
        sd_json_end(&j);
        sd_summary_maybe_flush(b, flush);
    }
}
