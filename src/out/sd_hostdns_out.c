#include "sd_hostdns_out.h"

#include "../analyze/sd_dns.h"
#include "sd_json.h"
#include "sd_text.h"

typedef unsigned long long ull;

/* "asked", "answered", "answer": how the host is involved, most direct first */
static const char *role(const sd_hostdns_rec *x)
{
    return x->asked ? "asked" : x->served ? "answered" : "answer";
}

static const char *rcode(const sd_hostdns_rec *x, char *buf, size_t len)
{
    return x->rcode < 0 ? "unanswered" : sd_dns_rcode_name((uint8_t)x->rcode, buf, len);
}

static void rec_text(sd_buf *b, const sd_hostdns_rec *x)
{
    char t[40], c[SD_ADDR_STRLEN], s[SD_ADDR_STRLEN], a[SD_ADDR_STRLEN], qt[16], rc[16];
    sd_buf_printf(b, "  %s  %-8s %s -> %s  ", sd_ts_iso(x->ts, t, sizeof t), role(x),
                  sd_addr_str(&x->client, c, sizeof c), sd_addr_str(&x->server, s, sizeof s));
    sd_text_puts_made(b, x->query[0] ? x->query : "."); /* made printable by the decoder */
    sd_buf_printf(b, " %s %s", sd_dns_qtype_name(x->qtype, qt, sizeof qt), rcode(x, rc, sizeof rc));
    if (x->answers_in)
        sd_buf_printf(b, " -> %s ttl %u%s", sd_addr_str(&x->answer, a, sizeof a), x->ttl,
                      x->answers_in > 1 ? " (and more)" : "");
    sd_buf_printf(b, "  frames %llu/%llu uid %s\n", (ull)x->frame_query, (ull)x->frame_reply, x->uid);
}

void sd_hostdns_text(sd_buf *b, const sd_hostdns_result *r, const char *host, sd_summary_flush flush)
{
    sd_buf_printf(b, "\nDNS involving %s (asked by it, answered by it, or answers naming it; frames query/"
                     "response, 0 = not seen)\n", host);
    if (!r->total) {
        sd_buf_printf(b, "  none\n");
        return;
    }
    for (size_t i = 0; i < r->n && i < SD_SUMSEC_TEXT_MAX; i++) {
        rec_text(b, &r->v[i]);
        sd_summary_maybe_flush(b, flush);
    }
    sd_buf_printf(b, "  %llu transactions, %llu with an answer naming it", (ull)r->total, (ull)r->answered_to);
    if (r->total > SD_SUMSEC_TEXT_MAX)
        sd_buf_printf(b, "; the first %u shown (--json lists %zu)", SD_SUMSEC_TEXT_MAX, r->n);
    sd_buf_printf(b, "\n");
}

static void rec_json(sd_json *j, sd_buf *b, const sd_hostdns_rec *x)
{
    char a[SD_ADDR_STRLEN], qt[16], rc[16];
    sd_json_begin(j, b);
    sd_json_str(j, "type", "host_dns");
    sd_json_f64(j, "ts", sd_ts_sec(x->ts), 6);
    sd_json_str(j, "uid", x->uid);
    sd_json_u64(j, "stream", x->stream);
    sd_json_str(j, "role", role(x));
    sd_json_str(j, "client", sd_addr_str(&x->client, a, sizeof a));
    sd_json_str(j, "server", sd_addr_str(&x->server, a, sizeof a));
    sd_json_str(j, "query", x->query);
    sd_json_str(j, "qtype_name", sd_dns_qtype_name(x->qtype, qt, sizeof qt));
    sd_json_str(j, "rcode_name", rcode(x, rc, sizeof rc));
    if (x->answers_in) {
        sd_json_str(j, "answer", sd_addr_str(&x->answer, a, sizeof a));
        sd_json_u64(j, "answer_ttl", x->ttl);
        sd_json_u64(j, "answers_naming_host", x->answers_in);
    }
    if (x->frame_query)
        sd_json_u64(j, "frame_query", x->frame_query);
    if (x->frame_reply)
        sd_json_u64(j, "frame_reply", x->frame_reply);
    sd_json_end(j);
}

void sd_hostdns_json(sd_buf *b, const sd_hostdns_result *r, sd_summary_flush flush)
{
    sd_json j;
    for (size_t i = 0; i < r->n; i++) {
        rec_json(&j, b, &r->v[i]);
        sd_summary_maybe_flush(b, flush);
    }
}
