#include "sd_hostsum_out.h"

#include "sd_json.h"

#include <stdio.h>

typedef unsigned long long ull;

static const char *proto_name(uint8_t p)
{
    return p == 6 ? "tcp" : p == 17 ? "udp" : "ip";
}

static void head_text(sd_buf *b, const sd_hostsum_result *r, const char *host)
{
    char t1[40], t2[40];
    sd_buf_printf(b, "\nHost %s\n", host);
    if (!r->any) {
        sd_buf_printf(b, "  not seen in the capture\n");
        return;
    }
    sd_buf_printf(b, "  first seen %s, last seen %s (%.3f s)\n", sd_ts_iso(r->first, t1, sizeof t1),
                  sd_ts_iso(r->last, t2, sizeof t2), sd_ts_sec(r->last - r->first));
    sd_buf_printf(b, "  %llu connections with %llu peers; bytes sent %llu, received %llu; other IP packets "
                     "(ICMP...) %llu\n",
                  (ull)r->matched, (ull)r->peers, (ull)r->sent, (ull)r->received, (ull)r->other_pkts);
    if (r->dropped)
        sd_buf_printf(b, "  connections not listed (past the cap of %zu, the latest-starting): %llu; in the "
                         "totals\n", r->max_conns, (ull)r->dropped);
}

static void conn_text(sd_buf *b, const sd_hostsum_rec *c, sd_ts t0)
{
    char t[40], o[SD_ADDR_STRLEN], s[SD_ADDR_STRLEN], ep[2 * SD_ADDR_STRLEN + 20];
    snprintf(ep, sizeof ep, "%s:%u -> %s:%u", sd_addr_str(&c->orig_h, o, sizeof o), c->orig_p,
             sd_addr_str(&c->resp_h, s, sizeof s), c->resp_p);
    sd_buf_printf(b, "  %s %+10.3f %9.3f  %-44s %s %-8s %-6s %12llu %12llu  %s %llu\n", sd_ts_iso(c->start, t, sizeof t),
                  sd_ts_sec(c->start - t0), sd_ts_sec(c->end - c->start), ep, proto_name(c->ipproto),
                  c->service[0] ? c->service : "-", c->state[0] ? c->state : "-", (ull)c->orig_bytes,
                  (ull)c->resp_bytes, c->uid, (ull)c->stream);
}

static void conns_header(sd_buf *b)
{
    sd_buf_printf(b, "  %-27s %10s %9s  %-44s %-3s %-8s %-6s %12s %12s  %s\n", "start", "+s", "duration",
                  "originator -> responder", "", "service", "state", "orig bytes", "resp bytes", "uid stream");
}

void sd_hostsum_text(sd_buf *b, const sd_hostsum_result *r, sd_summary_flush flush)
{
    char host[SD_ADDR_STRLEN + 8];
    sd_prefix_str(&r->host, host, sizeof host);
    head_text(b, r, host);
    if (!r->nconns)
        return;
    sd_ts t0 = r->conns[0].start;
    sd_buf_printf(b, "\nConnections of %s (by start; +s from the first)\n", host);
    conns_header(b);
    for (size_t i = 0; i < r->nconns; i++) {
        conn_text(b, &r->conns[i], t0);
        sd_summary_maybe_flush(b, flush);
    }
    sd_buf_printf(b, "\nAfter the first contact: connections %s opened within %.0f s of it\n", host,
                  sd_ts_sec(r->window));
    if (!r->nafter) {
        sd_buf_printf(b, "  none\n");
        return;
    }
    conns_header(b);
    for (size_t i = 0; i < r->nafter && i < SD_SUMSEC_TEXT_MAX; i++)
        conn_text(b, &r->conns[r->after[i]], t0);
    if (r->nafter > SD_SUMSEC_TEXT_MAX)
        sd_buf_printf(b, "  (the first %u shown; all are in the table above)\n", SD_SUMSEC_TEXT_MAX);
    sd_buf_printf(b, "  %zu connections: %llu bytes sent, %llu received\n", r->nafter, (ull)r->after_sent,
                  (ull)r->after_received);
}

static void summary_json(sd_json *j, sd_buf *b, const sd_hostsum_result *r, const char *host)
{
    const struct { const char *k; uint64_t v; } F[] = {
        { "conns", r->matched }, { "conns_listed", r->nconns }, { "conns_not_listed", r->dropped },
        { "peers", r->peers }, { "sent", r->sent }, { "received", r->received },
        { "other_pkts", r->other_pkts }, { "other_bytes", r->other_bytes }, { "after_conns", r->nafter },
        { "after_sent", r->after_sent }, { "after_received", r->after_received },
    };
    sd_json_begin(j, b);
    sd_json_str(j, "type", "host_summary");
    sd_json_str(j, "host", host);
    if (r->any) {
        sd_json_f64(j, "first_ts", sd_ts_sec(r->first), 6);
        sd_json_f64(j, "last_ts", sd_ts_sec(r->last), 6);
    }
    for (size_t i = 0; i < SD_ARRAY_LEN(F); i++)
        sd_json_u64(j, F[i].k, F[i].v);
    sd_json_f64(j, "after_window_s", sd_ts_sec(r->window), 3);
    sd_json_end(j);
}

static void conn_json(sd_json *j, sd_buf *b, const sd_hostsum_rec *c, bool after)
{
    char a[SD_ADDR_STRLEN];
    sd_json_begin(j, b);
    sd_json_str(j, "type", "host_conn");
    sd_json_str(j, "uid", c->uid);
    sd_json_u64(j, "stream", c->stream);
    sd_json_str(j, "proto", proto_name(c->ipproto));
    sd_json_f64(j, "ts", sd_ts_sec(c->start), 6);
    sd_json_f64(j, "end", sd_ts_sec(c->end), 6);
    sd_json_str(j, "id.orig_h", sd_addr_str(&c->orig_h, a, sizeof a));
    sd_json_u64(j, "id.orig_p", c->orig_p);
    sd_json_str(j, "id.resp_h", sd_addr_str(&c->resp_h, a, sizeof a));
    sd_json_u64(j, "id.resp_p", c->resp_p);
    sd_json_str(j, "service", c->service);
    sd_json_str(j, "conn_state", c->state);
    sd_json_u64(j, "orig_bytes", c->orig_bytes);
    sd_json_u64(j, "resp_bytes", c->resp_bytes);
    sd_json_u64(j, "orig_pkts", c->orig_pkts);
    sd_json_u64(j, "resp_pkts", c->resp_pkts);
    sd_json_u64(j, "first_frame", c->first_frame);
    sd_json_u64(j, "last_frame", c->last_frame);
    sd_json_bool(j, "host_is_orig", c->host_orig);
    sd_json_bool(j, "after_first_contact", after);
    sd_json_end(j);
}

void sd_hostsum_json(sd_buf *b, const sd_hostsum_result *r, sd_summary_flush flush)
{
    char host[SD_ADDR_STRLEN + 8];
    sd_json j;
    sd_prefix_str(&r->host, host, sizeof host);
    summary_json(&j, b, r, host);
    size_t k = 0;
    for (size_t i = 0; i < r->nconns; i++) {
        bool after = k < r->nafter && r->after[k] == i;
        k += after;
        conn_json(&j, b, &r->conns[i], after);
        sd_summary_maybe_flush(b, flush);
    }
}
