#include "sd_dns_out.h"

#include "sd_evout.h"
#include "sd_json.h"
#include "sd_text.h"

#include <stdlib.h>

#define MAX_COLS 64
#define TEXT_HOLD_ROWS 1000

typedef unsigned long long ull;

struct sd_dns_out {
    sd_rec_fmt fmt;
    const sd_field *selv[MAX_COLS];
    size_t ncol;
    sd_recout *w;
};

sd_dns_out *sd_dns_out_new(sd_rec_fmt fmt, const char *fields, char *err, size_t errlen)
{
    sd_dns_out *w = sd_calloc(1, sizeof *w);
    int n;
    w->fmt = fmt;
    if (fields || fmt == SD_REC_TEXT)
        n = sd_fields_select(&sd_dns_fields, fields ? fields : sd_dns_text_default, w->selv, MAX_COLS, err, errlen);
    else
        n = (int)sd_fields_all(&sd_dns_fields, false, w->selv, MAX_COLS);
    if (n < 0) {
        free(w);
        return NULL;
    }
    w->ncol = (size_t)n;
    return w;
}

void sd_dns_out_begin(sd_dns_out *w, sd_buf *out, bool live)
{
    w->w = sd_recout_new(w->fmt, w->selv, w->ncol, "dns", live ? 0 : TEXT_HOLD_ROWS);
    sd_recout_begin(w->w, out);
}

void sd_dns_out_txn(sd_dns_out *w, sd_buf *out, const sd_dns_txn *t)
{
    sd_recout_record(w->w, out, t);
}

static void events_text(sd_buf *b, const sd_evlist *ev)
{
    sd_buf_printf(b, "\nDNS indicators\n");
    for (size_t i = 0; i < ev->n; i++) {
        const sd_event *e = &ev->v[i];
        sd_buf_printf(b, "  %-16s frames %llu-%llu  ", e->kind, (ull)e->frame, (ull)e->frame_last);
        sd_evout_details(b, e);
        sd_buf_printf(b, "\n");
    }
    if (!ev->n)
        sd_buf_printf(b, "  none\n");
}

void sd_dns_out_end(sd_dns_out *w, sd_buf *out, const sd_dnsind_result *r)
{
    sd_recout_end(w->w, out);
    if (w->fmt == SD_REC_JSON) {
        for (size_t i = 0; i < r->ev.n; i++)
            sd_evout_json(out, &r->ev.v[i]);
    } else if (w->fmt == SD_REC_CSV) {
        if (r->ev.n) {
            sd_buf_printf(out, "\n");
            sd_evout_csv_header(out);
        }
        for (size_t i = 0; i < r->ev.n; i++)
            sd_evout_csv(out, &r->ev.v[i]);
    } else {
        events_text(out, &r->ev);
    }
}

void sd_dns_out_free(sd_dns_out *w)
{
    if (!w)
        return;
    sd_recout_free(w->w);
    free(w);
}

void sd_dns_out_list_fields(FILE *f)
{
    for (size_t i = 0; i < sd_dns_fields.n; i++)
        fprintf(f, "%-22s %s\n", sd_dns_fields.f[i].name, sd_dns_fields.f[i].doc);
}

void sd_dns_summary_text(sd_buf *b, const sd_dnsind_result *r, const sd_dnsan_stats *st)
{
    char rc[24];
    sd_buf_printf(b, "\nDNS\n  transactions %llu (TCP %llu): answered %llu, unanswered %llu, response only %llu; "
                     "malformed messages %llu, without a question %llu\n",
                  (ull)r->txns, (ull)r->tcp_txns, (ull)r->answered, (ull)r->unanswered, (ull)r->reply_only,
                  (ull)st->malformed, (ull)st->no_question);
    sd_buf_printf(b, "  response codes:");
    for (unsigned i = 0; i < 16; i++)
        if (r->rcode[i])
            sd_buf_printf(b, " %s=%llu", sd_dns_rcode_name((uint8_t)i, rc, sizeof rc), (ull)r->rcode[i]);
    sd_buf_printf(b, "%s\n  names %llu, clients %llu\n", r->answered + r->reply_only ? "" : " none",
                  (ull)r->names, (ull)r->clients);
    if (r->ntop)
        sd_buf_printf(b, "  most queried:\n");
    for (size_t i = 0; i < r->ntop; i++) {
        sd_buf_printf(b, "    %8llu  ", (ull)r->top[i].queries);
        sd_text_puts_made(b, r->top[i].name); /* made printable by the decoder, as `dns` shows it */
        sd_buf_printf(b, "%s%s\n", r->top[i].cut ? "..." : "", r->top[i].nxdomain ? " (NXDOMAIN)" : "");
    }
    if (r->nclients)
        sd_buf_printf(b, "  clients (most transactions first):\n");
    for (size_t i = 0; i < r->nclients; i++) {
        const sd_dnsind_client *c = &r->top_clients[i];
        char a[SD_ADDR_STRLEN];
        sd_buf_printf(b, "    %-39s %8llu transactions, %llu answered, %llu NXDOMAIN\n",
                      sd_addr_str(&c->addr, a, sizeof a), (ull)c->txns, (ull)c->answers, (ull)c->nxdomain);
    }
    events_text(b, &r->ev);
}

void sd_dns_summary_json(sd_buf *b, const sd_dnsind_result *r, const sd_dnsan_stats *st)
{
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "type", "dns");
    sd_json_u64(&j, "transactions", r->txns);
    sd_json_u64(&j, "tcp_transactions", r->tcp_txns);
    sd_json_u64(&j, "answered", r->answered);
    sd_json_u64(&j, "unanswered", r->unanswered);
    sd_json_u64(&j, "response_only", r->reply_only);
    sd_json_u64(&j, "malformed", st->malformed);
    sd_json_u64(&j, "without_question", st->no_question);
    sd_json_u64(&j, "nxdomain", r->rcode[3]);
    sd_json_u64(&j, "names", r->names);
    sd_json_u64(&j, "clients", r->clients);
    sd_json_u64(&j, "indicators", r->ev.n);
    if (r->names_refused || r->clients_refused || r->pairs_refused) { /* only then: caps */
        sd_json_u64(&j, "names_untracked", r->names_refused);
        sd_json_u64(&j, "clients_untracked", r->clients_refused);
        sd_json_u64(&j, "name_addresses_untracked", r->pairs_refused);
    }
    sd_json_end(&j);
    for (size_t i = 0; i < r->ntop; i++) {
        sd_json_begin(&j, b);
        sd_json_str(&j, "type", "dns_name");
        sd_json_str(&j, "query", r->top[i].name);
        sd_json_bool(&j, "cut", r->top[i].cut);
        sd_json_u64(&j, "queries", r->top[i].queries);
        sd_json_u64(&j, "nxdomain", r->top[i].nxdomain);
        sd_json_end(&j);
    }
    for (size_t i = 0; i < r->nclients; i++) {
        const sd_dnsind_client *c = &r->top_clients[i];
        char a[SD_ADDR_STRLEN];
        sd_json_begin(&j, b);
        sd_json_str(&j, "type", "dns_client");
        sd_json_str(&j, "client", sd_addr_str(&c->addr, a, sizeof a));
        sd_json_u64(&j, "transactions", c->txns);
        sd_json_u64(&j, "answered", c->answers);
        sd_json_u64(&j, "nxdomain", c->nxdomain);
        sd_json_end(&j);
    }
    for (size_t i = 0; i < r->ev.n; i++)
        sd_evout_json(b, &r->ev.v[i]);
}
