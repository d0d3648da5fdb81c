/* sd_merge_sum: summary chunks and their merge (see sd_merge_sum.h). */
#include "sd_merge_sum.h"

#include "../common/sd_vec.h"
#include "sd_dns_out.h"
#include "sd_json.h"
#include "sd_merge_int.h"
#include "sd_runlog.h"
#include "sd_summary_out.h"
#include "sd_svcsum_out.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The DNS decoder's counts a chunk carries, in this order in its "sumt"
 * line after the engine's (ST_FIELDS) and its packet totals. */
#define DS_FIELDS(X)                                                                                           \
    X(messages) X(malformed) X(no_question) X(bad_answers) X(answers_uncounted) X(pending_flushed) X(tcp_lost) \
    X(tcp_memcap)

/* The engine's counts a chunk carries, first in its "sumt" line. */
#define ST_FIELDS(X)                                                                                           \
    X(frames) X(ip_pkts) X(not_ip) X(bad) X(frags_reassembled) X(frags_lost_memcap) X(frags_lost_timeout)      \
    X(frags_incomplete) X(evicted) X(csum_bad[0]) X(csum_bad[1]) X(max_live) X(max_flows) X(warn_unshown)      \
    X(frag_copies) X(tunnel_mixed)

/* The largest --max-hosts summary takes (cmd_summary.c): a chunk's header
 * asking more is not one. */
#define SUM_MAX_HOSTS 1000000000u

/* ---- the chunk's side ---- */

/* The words of a record's "v" value, each followed by a space (the last
 * one taken off by rec_end). No printf: a chunk writes a record per
 * host, connection and DNS transaction (printf was 40 % of a chunk run). */
static void rec_begin(sd_buf *b, const char *kind, const char *uid)
{
    sd_buf_append(b, "{\"_own\":\"", 9);
    sd_buf_append(b, kind, strlen(kind));
    if (uid) {
        sd_buf_append(b, "\",\"uid\":\"", 9);
        sd_buf_append(b, uid, strnlen(uid, 19));
    }
    sd_buf_append(b, "\",\"v\":\"", 7);
}

static void rec_end(sd_buf *b)
{
    b->len--; /* the last word's space */
    sd_buf_append(b, "\"}\n", 3);
}

static void put_u(sd_buf *b, uint64_t v)
{
    sd_json_val_u64(b, v);
    sd_buf_append(b, " ", 1);
}

static void put_i(sd_buf *b, int64_t v)
{
    sd_json_val_i64(b, v);
    sd_buf_append(b, " ", 1);
}

/* Bytes as hex, "-" when none: every value a word without quotes. */
static void put_bytes(sd_buf *b, const void *p, size_t n)
{
    if (!n)
        sd_buf_append(b, "-", 1);
    sd_buf_put_hex(b, p, n);
    sd_buf_append(b, " ", 1);
}

static void put_str(sd_buf *b, const char *s, size_t max)
{
    put_bytes(b, s, strnlen(s, max));
}

static void put_addr(sd_buf *b, const sd_addr *a)
{
    put_u(b, a->fam);
    put_bytes(b, a->a, sizeof a->a);
}

static void put_host(void *ud, const sd_hoststats_part *p)
{
    sd_buf *b = ud;
    rec_begin(b, "sumh", NULL);
    put_addr(b, &p->addr);
    const uint64_t v[] = { p->pkts,    p->bytes, p->nttl,  p->ttl_more, p->id_set,        p->first_id,
                           p->last_id, p->id_v4, p->id_zero, p->id_same, p->id_small_step };
    for (size_t i = 0; i < SD_ARRAY_LEN(v); i++)
        put_u(b, v[i]);
    for (unsigned i = 0; i < p->nttl; i++)
        put_u(b, p->ttl[i]);
    rec_end(b);
}

static void put_totals(sd_buf *b, const sd_hoststats_result *t, const sd_engine_stats *st,
                       const sd_dnsan_stats *ds)
{
    rec_begin(b, "sumt", NULL);
#define X(f) put_u(b, st->f);
    ST_FIELDS(X)
#undef X
    put_u(b, t->any);
    put_i(b, t->first);
    put_i(b, t->last);
    put_u(b, t->ip_pkts);
    put_u(b, t->wire_bytes);
    put_u(b, t->refused_pkts);
    sd_dnsan_stats none = { 0 };
    ds = ds ? ds : &none;
#define X(f) put_u(b, ds->f);
    DS_FIELDS(X)
#undef X
    for (int i = 0; i < SD_UNDEC_COUNT; i++)
        put_u(b, st->undecoded[i]);
    rec_end(b);
    for (int p = 0; p < 256; p++) {
        if (!t->proto_pkts[p])
            continue;
        rec_begin(b, "sump", NULL);
        put_u(b, (uint64_t)p);
        put_u(b, t->proto_pkts[p]);
        put_u(b, t->proto_bytes[p]);
        rec_end(b);
    }
}

static void put_conn(sd_buf *b, const sd_summary_cpart *c)
{
    rec_begin(b, "sumc", c->uid);
    put_u(b, c->ipproto);
    put_u(b, c->orig_by);
    put_u(b, c->midstream);
    put_u(b, c->syn);
    put_i(b, c->rst_dir);
    put_u(b, c->isn);
    put_i(b, c->start);
    put_addr(b, &c->orig_h);
    put_addr(b, &c->resp_h);
    const uint64_t v[] = { c->orig_p, c->resp_p, (uint8_t)c->app_kind, c->ja4, c->scanned, c->files };
    for (size_t i = 0; i < SD_ARRAY_LEN(v); i++)
        put_u(b, v[i]);
    put_str(b, c->conn_state, sizeof c->conn_state);
    put_str(b, c->service, sizeof c->service);
    put_str(b, c->app_name, sizeof c->app_name);
    rec_end(b);
}

static void put_file(sd_buf *b, const sd_summary_file *f)
{
    rec_begin(b, "sumf", f->uid);
    put_i(b, f->ts);
    put_u(b, f->frame);
    put_u(b, f->frame_last);
    put_u(b, (uint64_t)f->dir);
    put_u(b, f->offset);
    put_str(b, f->sig, sizeof f->sig);
    rec_end(b);
}

void sd_merge_sum_chunk(sd_buf *b, sd_summary *s, const sd_engine_stats *st, const sd_summary_opts *o, bool json)
{
    /* the hosts and the files as they are before finish (which frees the
     * one and sorts the other) */
    const sd_summary_chunk *ch = sd_summary_chunk_get(s, st);
    sd_buf_printf(b, "{\"_own\":\"sum\",\"json\":%d,\"files\":%d,\"max_hosts\":%zu}\n", json, o->files,
                  o->max_hosts);
    sd_hoststats_each(sd_summary_hoststats(s), put_host, b);
    for (size_t i = 0; i < ch->nconns; i++)
        put_conn(b, &ch->conns[i]);
    for (size_t i = 0; i < ch->nfiles; i++)
        put_file(b, &ch->files[i]);
    const sd_summary_result *r = sd_summary_finish(s);
    put_totals(b, sd_hoststats_running(sd_summary_hoststats(s)), ch->st, r->dns_stats);
}

/* ---- the merge ---- */

/* A reader of a "v" value's words. */
typedef struct words {
    const char *p, *end;
    bool ok;
} words;

static words words_of(const char *line, const char *end)
{
    const char *v = sd_merge_find(line, end, "\"v\":\"");
    words w = { v ? v + 5 : end, end, v != NULL };
    const char *q = v ? memchr(w.p, '"', (size_t)(end - w.p)) : NULL;
    w.end = q ? q : end;
    w.ok &= q != NULL;
    return w;
}

static const char *word(words *w, size_t *n)
{
    while (w->p < w->end && *w->p == ' ')
        w->p++;
    const char *s = w->p;
    while (w->p < w->end && *w->p != ' ')
        w->p++;
    *n = (size_t)(w->p - s);
    w->ok &= *n > 0;
    return s;
}

static uint64_t w_u64(words *w)
{
    size_t n;
    const char *s = word(w, &n);
    uint64_t v = 0;
    for (size_t i = 0; i < n && w->ok; i++) {
        w->ok = s[i] >= '0' && s[i] <= '9' && v <= (UINT64_MAX - 9) / 10;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    return v;
}

static int64_t w_i64(words *w)
{
    while (w->p < w->end && *w->p == ' ')
        w->p++;
    bool neg = w->p < w->end && *w->p == '-';
    w->p += neg;
    uint64_t v = w_u64(w);
    w->ok &= v <= INT64_MAX;
    return neg ? -(int64_t)v : (int64_t)v;
}

/* A hex word into out (max bytes, NUL-terminated when text); "-" is empty. */
static size_t w_hex(words *w, uint8_t *out, size_t max, bool text)
{
    size_t n, k = 0;
    const char *s = word(w, &n);
    if (!w->ok || (n == 1 && *s == '-'))
        n = 0;
    w->ok &= n % 2 == 0 && n / 2 + text <= max;
    for (size_t i = 0; w->ok && i < n; i += 2) {
        int hi = sd_merge_hex(s[i]), lo = sd_merge_hex(s[i + 1]);
        w->ok = hi >= 0 && lo >= 0;
        if (w->ok)
            out[k++] = (uint8_t)(hi << 4 | lo);
    }
    if (text && k < max)
        out[k] = 0;
    return k;
}

static void w_addr(words *w, sd_addr *a)
{
    memset(a, 0, sizeof *a);
    a->fam = (uint8_t)w_u64(w);
    w->ok &= w_hex(w, a->a, sizeof a->a, false) == sizeof a->a && (a->fam == 4 || a->fam == 6 || !a->fam);
}

typedef struct msyn {
    sd_addr src;
    uint16_t port;
    uint32_t isn;
    uint64_t frame;
    sd_ts ts;
} msyn;

/* A DNS transaction of a kept connection, to be counted in the order one
 * run makes them: by the record handled then, chunk, place in the chunk. */
typedef struct mtxn {
    uint64_t at, seq;
    unsigned chunk;
    sd_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
    uint8_t ipproto;
    uint64_t stream;
    char uid[20];
    int client_dir;
    bool query_seen, reply;
    uint64_t frame_query, frame_reply;
    sd_ts ts;
    uint8_t rcode, nans;
    struct {
        uint32_t ttl;
        uint8_t addr_len, addr[16];
    } ans[SD_DNS_MAX_ANS];
    char *query;
} mtxn;

/* One chunk's aggregates, read from its output before sd_merge gets it. */
typedef struct mschunk {
    unsigned first;
    int json, files;
    size_t max_hosts;
    sd_hoststats_result tot;
    sd_engine_stats st;
    sd_dnsan_stats ds;
    SD_VEC(sd_hoststats_part) hosts;
} mschunk;

/* A kept connection's life, for the most alive at once. */
typedef struct mlife {
    uint64_t ff, end;
    int ep;                 /* SD_OWN_AT_*: ended in a packet's handling (0) or after it */
} mlife;

struct sd_merge_sum {
    SD_VEC(mlife) lives;
    FILE *err;
    SD_VEC(mschunk) ch;
    SD_VEC(msyn) syns;
    SD_VEC(sd_summary_file) files;
    SD_VEC(mtxn) txns;
    sd_summary_files fr;
    sd_hoststats *hs;
    sd_clientpat *cp;
    sd_svcstats *svc;
    bool bad;               /* a connection's record did not read */
    unsigned warned_cap;
};

static bool read_totals(mschunk *c, const char *l, const char *end)
{
    words w = words_of(l, end);
#define X(f) c->st.f = w_u64(&w);
    ST_FIELDS(X)
#undef X
    c->tot.any = w_u64(&w) != 0;
    c->tot.first = (sd_ts)w_i64(&w);
    c->tot.last = (sd_ts)w_i64(&w);
    c->tot.ip_pkts = w_u64(&w);
    c->tot.wire_bytes = w_u64(&w);
    c->tot.refused_pkts = w_u64(&w);
#define X(f) c->ds.f = w_u64(&w);
    DS_FIELDS(X)
#undef X
    for (int i = 0; i < SD_UNDEC_COUNT; i++)
        c->st.undecoded[i] = w_u64(&w);
    return w.ok;
}

static bool read_proto(mschunk *c, const char *l, const char *end)
{
    words w = words_of(l, end);
    uint64_t p = w_u64(&w);
    if (!w.ok || p > 255)
        return false;
    c->tot.proto_pkts[p] = w_u64(&w);
    c->tot.proto_bytes[p] = w_u64(&w);
    return w.ok;
}

static bool read_host(mschunk *c, const char *l, const char *end)
{
    words w = words_of(l, end);
    sd_hoststats_part *p = sd_vec_push(&c->hosts);
    memset(p, 0, sizeof *p);
    w_addr(&w, &p->addr);
    p->pkts = w_u64(&w), p->bytes = w_u64(&w);
    uint64_t nttl = w_u64(&w);
    p->ttl_more = w_u64(&w) != 0, p->id_set = w_u64(&w) != 0;
    p->first_id = (uint16_t)w_u64(&w), p->last_id = (uint16_t)w_u64(&w);
    p->id_v4 = w_u64(&w), p->id_zero = w_u64(&w), p->id_same = w_u64(&w), p->id_small_step = w_u64(&w);
    w.ok &= nttl <= SD_HOSTSTATS_TTLS;
    for (uint64_t i = 0; w.ok && i < nttl; i++)
        p->ttl[p->nttl++] = (uint8_t)w_u64(&w);
    return w.ok;
}

static bool own_kind(const char *l, const char *end, const char *kind)
{
    size_t k = strlen(kind);
    return (size_t)(end - l) > 10 + k && !memcmp(l, "{\"_own\":\"", 9) && !memcmp(l + 9, kind, k) && l[9 + k] == '"';
}

/* The header, totals, protocols and hosts of a chunk's output text. */
static bool read_chunk(mschunk *c, const char *text, size_t len)
{
    bool ok = len && own_kind(text, memchr(text, '\n', len) ? memchr(text, '\n', len) : text + len, "sum");
    bool trailer = false;
    for (const char *p = text, *e = text + len; ok && p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p));
        const char *end = nl ? nl : e, *v;
        if (own_kind(p, end, "sum")) {
            ok = (v = sd_merge_find(p, end, "\"json\":")) && (c->json = atoi(v + 7)) >= 0;
            ok = ok && (v = sd_merge_find(p, end, "\"files\":")) && (c->files = atoi(v + 8)) >= 0;
            ok = ok && (v = sd_merge_find(p, end, "\"max_hosts\":"));
            c->max_hosts = ok ? (size_t)strtoull(v + 12, NULL, 10) : 0;
            /* as summary's options allow them */
            ok = ok && c->json <= 1 && c->files <= 1 && c->max_hosts >= 1 && c->max_hosts <= SUM_MAX_HOSTS;
        } else if (own_kind(p, end, "sumt"))
            ok = read_totals(c, p, end);
        else if (own_kind(p, end, "sump"))
            ok = read_proto(c, p, end);
        else if (own_kind(p, end, "sumh"))
            ok = read_host(c, p, end);
        else if (own_kind(p, end, "chunk") && (v = sd_merge_find(p, end, "\"first\":"))) {
            c->first = (unsigned)strtoul(v + 8, NULL, 10);
            trailer = true;
        }
        p = end + 1;
    }
    return ok && trailer;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    sd_buf b = { 0 };
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        sd_buf_append(&b, tmp, n);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        sd_buf_free(&b);
        return NULL;
    }
    *len = b.len;
    return b.p ? (char *)b.p : sd_calloc(1, 1);
}

bool sd_merge_sum_is(const char *path)
{
    struct stat sb; /* a pipe would lose what is read here */
    FILE *f = stat(path, &sb) == 0 && S_ISREG(sb.st_mode) ? fopen(path, "rb") : NULL;
    char head[16] = { 0 };
    size_t n = f ? fread(head, 1, 15, f) : 0;
    if (f)
        fclose(f);
    return n >= 14 && !memcmp(head, "{\"_own\":\"sum\",", 14);
}

void sd_merge_sum_txn(void *ud, const sd_dns_txn *t, uint64_t at, uint64_t seq)
{
    sd_buf *b = ud;
    const sd_dns_msg *r = t->reply;
    rec_begin(b, "sumd", t->conn->uid);
    const uint64_t v[] = { at, seq, (uint64_t)t->client_dir, t->query_seen, t->frame_query, t->frame_reply };
    for (size_t i = 0; i < SD_ARRAY_LEN(v); i++)
        put_u(b, v[i]);
    put_i(b, t->ts);
    put_u(b, r != NULL);
    put_u(b, r ? r->rcode : 0);
    put_u(b, r ? r->nans : 0);
    for (unsigned i = 0; r && i < r->nans; i++) {
        put_u(b, r->ans[i].ttl);
        put_u(b, r->ans[i].addr_len);
        put_bytes(b, r->ans[i].addr, r->ans[i].addr_len);
    }
    put_str(b, t->query, SD_DNS_TXT);
    rec_end(b);
}

static void keep_txn(sd_merge_sum *ms, unsigned chunk, uint64_t off, const char *l, const char *end,
                     const sd_conn *c)
{
    words w = words_of(l, end);
    mtxn *t = sd_vec_push(&ms->txns);
    memset(t, 0, sizeof *t);
    t->at = w_u64(&w) + off, t->seq = w_u64(&w), t->chunk = chunk;
    t->orig_h = c->orig_h, t->resp_h = c->resp_h, t->orig_p = c->orig_p, t->resp_p = c->resp_p;
    t->ipproto = c->ipproto, t->stream = c->id;
    memcpy(t->uid, c->uid, sizeof t->uid);
    t->client_dir = (int)w_u64(&w);
    t->query_seen = w_u64(&w) != 0;
    t->frame_query = w_u64(&w), t->frame_reply = w_u64(&w);
    t->frame_query += t->frame_query ? off : 0;
    t->frame_reply += t->frame_reply ? off : 0;
    t->ts = (sd_ts)w_i64(&w);
    t->reply = w_u64(&w) != 0;
    t->rcode = (uint8_t)w_u64(&w);
    uint64_t nans = w_u64(&w);
    w.ok &= nans <= SD_DNS_MAX_ANS;
    for (uint64_t i = 0; w.ok && i < nans; i++) {
        t->ans[i].ttl = (uint32_t)w_u64(&w);
        t->ans[i].addr_len = (uint8_t)w_u64(&w);
        w.ok &= t->ans[i].addr_len <= 16;
        if (w.ok)
            w.ok &= w_hex(&w, t->ans[i].addr, sizeof t->ans[i].addr, false) == t->ans[i].addr_len;
        else
            break;
    }
    t->nans = (uint8_t)nans;
    t->query = sd_calloc(1, SD_DNS_TXT);
    w_hex(&w, (uint8_t *)t->query, SD_DNS_TXT, true);
    if (!w.ok) {
        free(t->query);
        ms->txns.n--;
        ms->bad = true;
    }
}

/* A kept connection's record into c, counted as one run counts it when
 * it ends. False when it does not read. */
static bool count_conn(sd_merge_sum *ms, const mconn *mc, const char *l, const char *end, sd_conn *c)
{
    words w = words_of(l, end);
    memset(c, 0, sizeof *c);
    c->ipproto = (uint8_t)w_u64(&w);
    c->orig_by = (uint8_t)w_u64(&w);
    c->midstream = w_u64(&w) != 0;
    bool syn = w_u64(&w) != 0;
    c->first_rst_dir = (int)w_i64(&w);
    uint32_t isn = (uint32_t)w_u64(&w);
    c->start = (sd_ts)w_i64(&w);
    w_addr(&w, &c->orig_h);
    w_addr(&w, &c->resp_h);
    c->orig_p = (uint16_t)w_u64(&w), c->resp_p = (uint16_t)w_u64(&w);
    c->app.kind = (char)w_u64(&w);
    c->app.ja4[0] = w_u64(&w) ? 'j' : 0;
    bool scanned = w_u64(&w) != 0;
    uint64_t files = w_u64(&w);
    w_hex(&w, (uint8_t *)c->conn_state, sizeof c->conn_state, true);
    w_hex(&w, (uint8_t *)c->service, sizeof c->service, true);
    w_hex(&w, (uint8_t *)c->app.name, sizeof c->app.name, true);
    if (!w.ok)
        return false;
    c->id = mc->gstream;
    c->first_frame = mc->ff; /* global already (sd_merge numbered it) */
    snprintf(c->uid, sizeof c->uid, "%s", mc->guid);
    sd_hoststats_conn(ms->hs, c);
    sd_clientpat_conn(ms->cp, c);
    sd_svcstats_conn(ms->svc, c);
    if (syn)
        *sd_vec_push(&ms->syns) = (msyn){ c->orig_h, c->orig_p, isn, c->first_frame, c->start };
    if (scanned) {
        ms->fr.total += files;
        ms->fr.conns++;
    }
    return true;
}

/* A file signature of a kept connection, listed as one run lists them:
 * the first SD_SUMMARY_MAX_FILES found, in the order connections end. */
static void count_file(sd_merge_sum *ms, uint64_t off, const char *l, const char *end, const sd_conn *c)
{
    words w = words_of(l, end);
    sd_summary_file f = { .orig_h = c->orig_h, .resp_h = c->resp_h, .orig_p = c->orig_p, .resp_p = c->resp_p,
                          .stream = c->id };
    snprintf(f.uid, sizeof f.uid, "%s", c->uid);
    f.ts = (sd_ts)w_i64(&w);
    f.frame = w_u64(&w) + off;
    f.frame_last = w_u64(&w) + off;
    f.dir = (int)w_u64(&w);
    f.offset = w_u64(&w);
    w_hex(&w, (uint8_t *)f.sig, sizeof f.sig, true);
    if (!w.ok)
        ms->bad = true;
    else if (ms->files.n < SD_SUMMARY_MAX_FILES)
        *sd_vec_push(&ms->files) = f;
}

/* sd_merge's hook: each kept connection in one run's order of ends, its
 * lines rewritten into b from `from` on; they are counted, not written.
 * Its record first: its files and DNS transactions need it. */
static void conn_hook(void *ctx, void *chunk_ud, const struct mconn *mc, uint64_t off, sd_buf *b, size_t from)
{
    sd_merge_sum *ms = ctx;
    *sd_vec_push(&ms->lives) = (mlife){ mc->ff, mc->end, mc->ep };
    const char *p0 = (const char *)b->p + from, *e = (const char *)b->p + b->len;
    sd_conn *c = sd_calloc(1, sizeof *c);
    bool have = false;
    for (const char *p = p0; p < e && !have;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p)), *end = nl ? nl : e;
        if (own_kind(p, end, "sumc"))
            have = true, ms->bad |= !count_conn(ms, mc, p, end, c);
        p = end + 1;
    }
    ms->bad |= !have;
    for (const char *p = p0; have && p < e;) {
        const char *nl = memchr(p, '\n', (size_t)(e - p)), *end = nl ? nl : e;
        if (own_kind(p, end, "sumf"))
            count_file(ms, off, p, end, c);
        else if (own_kind(p, end, "sumd"))
            keep_txn(ms, (unsigned)(uintptr_t)chunk_ud, off, p, end, c);
        p = end + 1;
    }
    free(c);
    b->len = from;
}

sd_merge_sum *sd_merge_sum_new(sd_merge *m, FILE *err)
{
    sd_merge_sum *ms = sd_calloc(1, sizeof *ms);
    ms->err = err;
    sd_merge_set_hook(m, conn_hook, ms);
    return ms;
}

bool sd_merge_sum_add(sd_merge_sum *ms, sd_merge *m, const char *path)
{
    size_t len = 0;
    char *text = slurp(path, &len);
    mschunk *c = sd_vec_push(&ms->ch);
    memset(c, 0, sizeof *c);
    bool ok = text && read_chunk(c, text, len);
    free(text);
    if (!ok) {
        fprintf(ms->err, "strider merge: %s is not the output of `strider summary --own` (%s)\n", path,
                text ? "a bad or missing _own record" : strerror(errno));
        return false;
    }
    return sd_merge_add_ud(m, path, (void *)(uintptr_t)c->first);
}

static int cmp_chunk(const void *x, const void *y)
{
    const mschunk *a = x, *b = y;
    return a->first < b->first ? -1 : a->first > b->first;
}

static int cmp_syn(const void *x, const void *y)
{
    const msyn *a = x, *b = y;
    return a->frame < b->frame ? -1 : a->frame > b->frame;
}

/* The engine's counts over every chunk's files: sums, and the largest
 * number of connections alive at once in any chunk (an estimate). */
static void add_stats(sd_engine_stats *t, const sd_engine_stats *s)
{
    t->frames += s->frames, t->ip_pkts += s->ip_pkts, t->not_ip += s->not_ip, t->bad += s->bad;
    t->frags_reassembled += s->frags_reassembled, t->frags_lost_memcap += s->frags_lost_memcap;
    t->frags_lost_timeout += s->frags_lost_timeout, t->frags_incomplete += s->frags_incomplete;
    t->frag_copies += s->frag_copies, t->tunnel_mixed += s->tunnel_mixed;
    t->evicted += s->evicted, t->csum_bad[0] += s->csum_bad[0], t->csum_bad[1] += s->csum_bad[1];
    t->max_live = s->max_live > t->max_live ? s->max_live : t->max_live;
    t->max_flows = s->max_flows, t->warn_unshown += s->warn_unshown;
    for (int i = 0; i < SD_UNDEC_COUNT; i++)
        t->undecoded[i] += s->undecoded[i];
}

/* The chunks agree on the report asked for. */
static bool chunks_agree(sd_merge_sum *ms)
{
    for (size_t i = 0; i < ms->ch.n; i++) {
        const mschunk *c = &ms->ch.v[i], *c0 = &ms->ch.v[0];
        if (c->json != c0->json || c->files != c0->files || c->max_hosts != c0->max_hosts) {
            fprintf(ms->err, "strider merge: the summary chunks were run with different options\n");
            return false;
        }
    }
    return ms->ch.n > 0;
}

static int cmp_start(const void *x, const void *y)
{
    const mlife *a = x, *b = y;
    return a->ff < b->ff ? -1 : a->ff > b->ff;
}

/* Ends in the order one run makes them around a record: those in its
 * handling before those after it (sweeps, the drain). */
static int cmp_end(const void *x, const void *y)
{
    const mlife *a = x, *b = y;
    if (a->end != b->end)
        return a->end < b->end ? -1 : 1;
    if ((a->ep != 0) != (b->ep != 0))
        return a->ep != 0 ? 1 : -1;
    return a->ff < b->ff ? -1 : a->ff > b->ff;
}

/* The most connections alive at once, as the engine counts it when one
 * is made: those made before and not ended by then (a connection ended in
 * the handling of the record that makes the next one, a reused pair, is
 * gone; one ended in the sweep after it is not). */
static uint64_t max_live(sd_merge_sum *ms)
{
    size_t n = ms->lives.n;
    mlife *by_end = sd_calloc(n ? n : 1, sizeof *by_end);
    memcpy(by_end, ms->lives.v, n * sizeof *by_end);
    if (n) {
        qsort(ms->lives.v, n, sizeof *ms->lives.v, cmp_start);
        qsort(by_end, n, sizeof *by_end, cmp_end);
    }
    uint64_t best = 0;
    size_t gone = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t f = ms->lives.v[i].ff;
        while (gone < n && (by_end[gone].end < f || (by_end[gone].end == f && !by_end[gone].ep && by_end[gone].ff < f)))
            gone++;
        uint64_t live = i + 1 - gone;
        best = live > best ? live : best;
    }
    free(by_end);
    return best;
}

static void ms_free(sd_merge_sum *ms)
{
    sd_vec_free(&ms->lives);
    for (size_t i = 0; i < ms->ch.n; i++)
        sd_vec_free(&ms->ch.v[i].hosts);
    sd_vec_free(&ms->ch);
    sd_vec_free(&ms->syns);
    sd_vec_free(&ms->files);
    for (size_t i = 0; i < ms->txns.n; i++)
        free(ms->txns.v[i].query);
    sd_vec_free(&ms->txns);
    sd_hoststats_free(ms->hs);
    sd_clientpat_free(ms->cp);
    sd_svcstats_free(ms->svc);
    free(ms);
}

/* The packet facts chunk by chunk in file order, the SYNs in capture order. */
static int cmp_txn(const void *x, const void *y)
{
    const mtxn *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    if (a->chunk != b->chunk)
        return a->chunk < b->chunk ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* The kept transactions into d, as the DNS analyzer handed them on. */
static void count_txns(sd_merge_sum *ms, sd_dnsind *d)
{
    if (ms->txns.n)
        qsort(ms->txns.v, ms->txns.n, sizeof *ms->txns.v, cmp_txn);
    sd_conn *c = sd_calloc(1, sizeof *c);
    sd_dns_msg *m = sd_calloc(1, sizeof *m);
    for (size_t i = 0; i < ms->txns.n; i++) {
        const mtxn *x = &ms->txns.v[i];
        c->orig_h = x->orig_h, c->resp_h = x->resp_h, c->orig_p = x->orig_p, c->resp_p = x->resp_p;
        c->ipproto = x->ipproto, c->id = x->stream;
        memcpy(c->uid, x->uid, sizeof c->uid);
        m->rcode = x->rcode, m->nans = x->nans;
        for (unsigned k = 0; k < x->nans; k++) {
            m->ans[k].ttl = x->ans[k].ttl;
            m->ans[k].addr_len = x->ans[k].addr_len;
            memcpy(m->ans[k].addr, x->ans[k].addr, sizeof m->ans[k].addr);
        }
        sd_dns_txn t = { .conn = c, .client_dir = x->client_dir, .query_seen = x->query_seen,
                         .reply_seen = x->reply, .frame_query = x->frame_query, .frame_reply = x->frame_reply,
                         .ts = x->ts, .query = x->query, .reply = x->reply ? m : NULL };
        sd_dnsind_txn(d, &t);
    }
    free(m);
    free(c);
}

static void count_chunks(sd_merge_sum *ms, sd_engine_stats *st, sd_dnsan_stats *ds)
{
    qsort(ms->ch.v, ms->ch.n, sizeof *ms->ch.v, cmp_chunk);
    for (size_t i = 0; i < ms->ch.n; i++) {
        sd_hoststats_add_totals(ms->hs, &ms->ch.v[i].tot);
        for (size_t h = 0; h < ms->ch.v[i].hosts.n; h++)
            sd_hoststats_add_part(ms->hs, &ms->ch.v[i].hosts.v[h]);
        add_stats(st, &ms->ch.v[i].st);
        if (ms->ch.v[i].tot.refused_pkts && !ms->warned_cap++)
            fprintf(ms->err, "strider merge: warning: the host table of the chunk from file %u was full "
                             "(--max-hosts): the hosts it refused are counted in the totals, and the number "
                             "of untracked hosts is not one run's\n", ms->ch.v[i].first);
#define X(f) ds->f += ms->ch.v[i].ds.f;
        DS_FIELDS(X)
#undef X
    }
    if (ms->syns.n)
        qsort(ms->syns.v, ms->syns.n, sizeof *ms->syns.v, cmp_syn);
    for (size_t i = 0; i < ms->syns.n; i++) {
        const msyn *y = &ms->syns.v[i];
        sd_clientpat_syn(ms->cp, &y->src, y->port, y->isn, y->frame, y->ts);
    }
}

static int write_report(sd_merge_sum *ms, FILE *out)
{
    const mschunk *c0 = &ms->ch.v[0];
    sd_engine_stats st = { 0 };
    sd_dnsan_stats ds = { 0 };
    count_chunks(ms, &st, &ds);
    st.max_live = max_live(ms);
    sd_dnsind *dns = sd_dnsind_new();
    count_txns(ms, dns);
    sd_summary_result r = { .hosts = sd_hoststats_finish(ms->hs), .clients = sd_clientpat_finish(ms->cp),
                            .dns = sd_dnsind_finish(dns), .dns_stats = &ds,
                            .services = sd_svcstats_finish(ms->svc) };
    if (c0->files) {
        sd_summary_sort_files(ms->files.v, ms->files.n);
        ms->fr.v = ms->files.v, ms->fr.n = ms->files.n, ms->fr.max = SD_SUMMARY_MAX_FILES;
        r.files = &ms->fr;
    }
    sd_buf b = { 0 };
    sd_summary_report(&b, &r, &st, c0->json, NULL);
    bool ok = fwrite(b.p, 1, b.len, out) == b.len && fflush(out) == 0;
    if (!ok)
        fprintf(ms->err, "strider merge: cannot write the summary: %s\n", strerror(errno));
    sd_buf_free(&b);
    sd_runlog_summary(ms->err, &r);
    sd_runlog_dns(ms->err, "summary", r.dns, r.dns_stats);
    sd_dnsind_free(dns);
    return ok ? 0 : 1;
}

int sd_merge_sum_finish(sd_merge_sum *ms, sd_merge *m, int rc, FILE *out)
{
    if (rc || !chunks_agree(ms)) {
        sd_merge_free(m);
        ms_free(ms);
        return rc ? rc : 1;
    }
    const mschunk *c0 = &ms->ch.v[0];
    ms->hs = sd_hoststats_new(&(sd_hoststats_opts){ .max_hosts = c0->max_hosts, .all_hosts = c0->json });
    ms->cp = sd_clientpat_new(&(sd_clientpat_opts){ .max_hosts = c0->max_hosts });
    ms->svc = sd_svcstats_new();
    FILE *sink = fopen("/dev/null", "w"); /* the connections' lines: counted by the hook, not written */
    rc = sink ? sd_merge_finish(m, sink) : (sd_merge_free(m), 1);
    if (sink)
        fclose(sink);
    if (!rc && ms->bad)
        fprintf(ms->err, "strider merge: a summary chunk's connection record does not read\n"), rc = 1;
    if (!rc)
        rc = write_report(ms, out);
    ms_free(ms);
    return rc;
}

int sd_merge_sum_files(const char *const *paths, size_t n, FILE *out, FILE *err)
{
    sd_merge *m = sd_merge_new(err);
    sd_merge_sum *ms = sd_merge_sum_new(m, err);
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        ok = sd_merge_sum_add(ms, m, paths[i]);
    return sd_merge_sum_finish(ms, m, ok ? 0 : 1, out);
}

/* A pipe's content into an unnamed temporary file, so that it can be
 * looked at (is it a summary chunk's?) and then read by the merge. */
static FILE *spool(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    FILE *f = text ? tmpfile() : NULL;
    bool ok = f && fwrite(text, 1, len, f) == len && fflush(f) == 0;
    free(text);
    if (!ok && f)
        fclose(f), f = NULL;
    return f;
}

int sd_merge_any(const char *const *paths, size_t n, FILE *out, FILE *err)
{
    char **p = sd_calloc(n ? n : 1, sizeof *p);
    FILE **tmp = sd_calloc(n ? n : 1, sizeof *tmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode) && !(tmp[i] = spool(paths[i]))) {
            fprintf(err, "strider merge: cannot read %s: %s\n", paths[i], strerror(errno));
            rc = 1;
        }
        char buf[64];
        snprintf(buf, sizeof buf, "/proc/self/fd/%d", tmp[i] ? fileno(tmp[i]) : -1);
        p[i] = sd_strdup(tmp[i] ? buf : paths[i]);
    }
    size_t sums = 0;
    for (size_t i = 0; !rc && i < n; i++)
        sums += sd_merge_sum_is(p[i]);
    if (!rc && sums && sums < n) {
        fprintf(err, "strider merge: summary chunk outputs cannot be merged with other commands' outputs\n");
        rc = 1;
    }
    if (!rc)
        rc = sums ? sd_merge_sum_files((const char *const *)p, n, out, err)
                  : sd_merge_files((const char *const *)p, n, out, err);
    for (size_t i = 0; i < n; i++) {
        free(p[i]);
        if (tmp[i])
            fclose(tmp[i]);
    }
    free(p);
    free(tmp);
    return rc;
}
