#include "sd_dns_fields.h"

#include <stdio.h>
#include <string.h>

#define T(rec) ((const sd_dns_txn *)(rec))
#define REPLY_ONLY if (!T(r)->reply) return

static const sd_addr *side_h(const sd_dns_txn *t, int d)
{
    return d == SD_DIR_ORIG ? &t->conn->orig_h : &t->conn->resp_h;
}

static void g_ts(const void *r, sd_fval *v) { sd_fv_f(v, sd_ts_sec(T(r)->ts), 6); }
static void g_uid(const void *r, sd_fval *v) { sd_fv_s(v, T(r)->conn->uid); }
static void g_stream(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->conn->id); }
static void g_orig_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(side_h(T(r), 0), v->tmp, sizeof v->tmp)); }
static void g_resp_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(side_h(T(r), 1), v->tmp, sizeof v->tmp)); }
static void g_orig_p(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->conn->orig_p); }
static void g_resp_p(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->conn->resp_p); }
static void g_proto(const void *r, sd_fval *v) { sd_fv_s(v, T(r)->conn->ipproto == 6 ? "tcp" : "udp"); }
static void g_client(const void *r, sd_fval *v)
{
    sd_fv_s(v, sd_addr_str(side_h(T(r), T(r)->client_dir), v->tmp, sizeof v->tmp));
}
static void g_trans_id(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->id); }
static void g_rtt(const void *r, sd_fval *v)
{
    if (T(r)->rtt_ns >= 0)
        sd_fv_f(v, (double)T(r)->rtt_ns / 1e9, 6);
}
static void g_query(const void *r, sd_fval *v) { sd_fv_s(v, T(r)->query); }
static void g_qclass(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->qclass); }
static void g_qclass_name(const void *r, sd_fval *v) { sd_fv_s(v, sd_dns_qclass_name(T(r)->qclass, v->tmp, sizeof v->tmp)); }
static void g_qtype(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->qtype); }
static void g_qtype_name(const void *r, sd_fval *v) { sd_fv_s(v, sd_dns_qtype_name(T(r)->qtype, v->tmp, sizeof v->tmp)); }
static void g_rcode(const void *r, sd_fval *v) { REPLY_ONLY; sd_fv_u(v, T(r)->reply->rcode); }
static void g_rcode_name(const void *r, sd_fval *v)
{
    REPLY_ONLY;
    sd_fv_s(v, sd_dns_rcode_name(T(r)->reply->rcode, v->tmp, sizeof v->tmp));
}
static void g_aa(const void *r, sd_fval *v) { sd_fv_b(v, T(r)->reply && T(r)->reply->aa); }
static void g_tc(const void *r, sd_fval *v) { sd_fv_b(v, T(r)->reply && T(r)->reply->tc); }
static void g_rd(const void *r, sd_fval *v) { sd_fv_b(v, T(r)->rd); }
static void g_ra(const void *r, sd_fval *v) { sd_fv_b(v, T(r)->reply && T(r)->reply->ra); }

/* answers and TTLs: JSON arrays, in the response's order (Zeek's) */
static void g_answers(const void *r, sd_fval *v)
{
    REPLY_ONLY;
    const sd_dns_msg *m = T(r)->reply;
    if (!m->nans)
        return;
    char tn[32], other[48];
    v->t = SD_FV_JSON;
    sd_buf_append(&v->raw, "[", 1);
    for (unsigned i = 0; i < m->nans; i++) {
        const char *s = m->ans[i].data;
        if (!s[0]) { /* a type whose data is not decoded: its name, as Zeek's "<unknown type=N>" */
            snprintf(other, sizeof other, "<%s>", sd_dns_qtype_name(m->ans[i].type, tn, sizeof tn));
            s = other;
        }
        if (i)
            sd_buf_append(&v->raw, ",", 1);
        sd_json_escape(&v->raw, s, strlen(s));
    }
    sd_buf_append(&v->raw, "]", 1);
}
static void g_ttls(const void *r, sd_fval *v)
{
    REPLY_ONLY;
    const sd_dns_msg *m = T(r)->reply;
    if (!m->nans)
        return;
    v->t = SD_FV_JSON;
    sd_buf_append(&v->raw, "[", 1);
    for (unsigned i = 0; i < m->nans; i++)
        sd_buf_printf(&v->raw, "%s%lu", i ? "," : "", (unsigned long)m->ans[i].ttl);
    sd_buf_append(&v->raw, "]", 1);
}
static void g_ancount(const void *r, sd_fval *v) { REPLY_ONLY; sd_fv_u(v, T(r)->reply->ancount); }
static void g_ans_more(const void *r, sd_fval *v)
{
    REPLY_ONLY;
    if (T(r)->reply->ans_more)
        sd_fv_u(v, T(r)->reply->ans_more);
}
static void g_ans_bad(const void *r, sd_fval *v)
{
    REPLY_ONLY;
    if (T(r)->reply->ans_bad)
        sd_fv_b(v, true);
}
static void g_fq(const void *r, sd_fval *v)
{
    if (T(r)->query_seen)
        sd_fv_u(v, T(r)->frame_query);
}
static void g_retrans(const void *r, sd_fval *v)
{
    if (T(r)->query_retrans) {
        sd_fv_u(v, T(r)->query_retrans);
    }
}
static void g_fql(const void *r, sd_fval *v)
{
    if (T(r)->query_retrans)
        sd_fv_u(v, T(r)->frame_query_last);
}
static void g_fr(const void *r, sd_fval *v)
{
    if (T(r)->reply_seen)
        sd_fv_u(v, T(r)->frame_reply);
}
static void g_frame(const void *r, sd_fval *v) { sd_fv_u(v, T(r)->query_seen ? T(r)->frame_query : T(r)->frame_reply); }
static void g_filter(const void *r, sd_fval *v)
{
    const sd_dns_txn *t = T(r);
    snprintf(v->tmp, sizeof v->tmp, "%s.stream eq %llu && dns.id == 0x%04x", t->conn->ipproto == 6 ? "tcp" : "udp",
             (unsigned long long)t->conn->id, t->id);
    sd_fv_s(v, v->tmp);
}

static const sd_field FIELDS[] = {
    { "ts", "the query's time (the response's when the query was not seen), epoch seconds", g_ts, false },
    { "uid", "the connection's uid (as in strider conns)", g_uid, false },
    { "stream", "Wireshark's udp.stream / tcp.stream index", g_stream, false },
    { "id.orig_h", "originator address", g_orig_h, false },
    { "id.orig_p", "originator port", g_orig_p, false },
    { "id.resp_h", "responder address", g_resp_h, false },
    { "id.resp_p", "responder port", g_resp_p, false },
    { "proto", "udp or tcp", g_proto, false },
    { "client", "the address that asked (the query's sender)", g_client, false },
    { "trans_id", "DNS transaction id", g_trans_id, false },
    { "rtt", "query to response, seconds (unset without both)", g_rtt, false },
    { "query", "the question's name (bytes outside printable ASCII as \\DDD)", g_query, false },
    { "qclass", "question class", g_qclass, false },
    { "qclass_name", "question class name", g_qclass_name, false },
    { "qtype", "question type", g_qtype, false },
    { "qtype_name", "question type name (Zeek's)", g_qtype_name, false },
    { "rcode", "response code (unset: unanswered)", g_rcode, false },
    { "rcode_name", "response code name", g_rcode_name, false },
    { "AA", "authoritative answer", g_aa, false },
    { "TC", "truncated", g_tc, false },
    { "RD", "recursion desired", g_rd, false },
    { "RA", "recursion available", g_ra, false },
    { "answers", "the answers' data (addresses, names; <TYPE> for other types), in order", g_answers, false },
    { "TTLs", "the answers' TTLs, seconds, in the same order", g_ttls, false },
    { "ancount", "answers the header announced", g_ancount, false },
    { "answers_uncounted", "answers past the 16 decoded (unset when none)", g_ans_more, false },
    { "answers_malformed", "the answer section ended before its count (unset otherwise)", g_ans_bad, false },
    { "frame", "the query's frame, else the response's", g_frame, false },
    { "frame_query", "the query's frame", g_fq, false },
    { "query_retrans", "copies of the query sent again before the response (unset when none)", g_retrans, false },
    { "frame_query_last", "the last of those copies", g_fql, false },
    { "frame_reply", "the response's frame", g_fr, false },
    { "filter", "a Wireshark display filter for the transaction", g_filter, false },
};

const sd_fieldset sd_dns_fields = { FIELDS, SD_ARRAY_LEN(FIELDS), NULL };

const char *const sd_dns_text_default =
    "frame,proto,client,id.resp_h,trans_id,query,qtype_name,rcode_name,rtt,answers,TTLs";
