#include "sd_dnsan.h"

#include "../common/sd_vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dns_pend {
    uint16_t id, qtype, qclass;
    bool rd;
    int dir;
    uint64_t frame, frame_last;  /* the first copy, the last retransmission */
    uint32_t retrans;
    sd_ts ts;
    char qname[SD_DNSAN_PEND_NAME];
} dns_pend;

/* One direction of a TCP connection: messages behind a 2-byte length. */
typedef struct dns_tcpdir {
    uint8_t lenb[2];
    uint8_t nlen;               /* length bytes read (0..2) */
    uint8_t *buf;               /* the message being collected (cap bytes) */
    size_t have, need, cap;
    bool lost;                  /* a gap: message boundaries unknown from here on */
} dns_tcpdir;

typedef struct dns_st {
    SD_VEC(dns_pend) pend;
    dns_tcpdir t[2];
} dns_st;

struct sd_dnsan {
    sd_dnsan_opts o;
    sd_dnsan_stats st;
    sd_dns_msg msg;             /* the message being handled: large, so not on the stack */
    size_t tcp_held;            /* the dns_tcpdir buffers' bytes (SD_DNSAN_TCP_HELD_MAX) */
};

bool sd_dnsan_port(uint8_t proto, uint16_t port)
{
    return port == 53 || (proto == 17 && (port == 5353 || port == 5355));
}

static void *dns_new(void *ctx, sd_conn *c)
{
    if ((c->ipproto != 17 && c->ipproto != 6) ||
        (!sd_dnsan_port(c->ipproto, c->resp_p) && !sd_dnsan_port(c->ipproto, c->orig_p)))
        return NULL;
    return sd_calloc(1, sizeof(dns_st));
}

static void emit_pending(sd_dnsan *a, const sd_conn *c, const dns_pend *q)
{
    sd_dns_txn t = { .conn = c, .client_dir = q->dir, .id = q->id, .query_seen = true,
                     .frame_query = q->frame, .ts = q->ts, .rtt_ns = -1, .query = q->qname,
                     .qtype = q->qtype, .qclass = q->qclass, .rd = q->rd, .query_retrans = q->retrans,
                     .frame_query_last = q->frame_last };
    if (a->o.txn)
        a->o.txn(a->o.ud, &t);
}

static void add_query(sd_dnsan *a, const sd_conn *c, dns_st *s, const sd_dns_msg *m, int dir,
                      uint64_t frame, sd_ts ts)
{
    for (size_t i = 0; i < s->pend.n; i++) { /* a client's retransmission: the first copy stands */
        dns_pend *q = &s->pend.v[i];
        if (q->id == m->id && q->dir == dir && q->qtype == m->qtype &&
            !strncmp(q->qname, m->qname, SD_DNSAN_PEND_NAME - 1)) {
            q->retrans++;
            q->frame_last = frame;
            return;
        }
    }
    if (s->pend.n >= SD_DNSAN_MAX_PENDING) {
        emit_pending(a, c, &s->pend.v[0]);
        memmove(s->pend.v, s->pend.v + 1, (s->pend.n - 1) * sizeof *s->pend.v);
        s->pend.n--;
        a->st.pending_flushed++;
    }
    if (!s->pend.cap) { /* most flows wait on one query at a time: 300 bytes, not the vector's 8 */
        s->pend.v = sd_malloc(sizeof *s->pend.v);
        s->pend.cap = 1;
    }
    dns_pend *q = sd_vec_push(&s->pend);
    *q = (dns_pend){ .id = m->id, .qtype = m->qtype, .qclass = m->qclass, .rd = m->rd, .dir = dir,
                     .frame = frame, .frame_last = frame, .ts = ts };
    size_t k = strnlen(m->qname, sizeof q->qname - 1); /* cut, as the header says */
    memcpy(q->qname, m->qname, k);
    q->qname[k] = '\0';
}

static void answer(sd_dnsan *a, const sd_conn *c, dns_st *s, const sd_dns_msg *m, int dir, uint64_t frame,
                   sd_ts ts)
{
    sd_dns_txn t = { .conn = c, .client_dir = !dir, .id = m->id, .reply_seen = true, .frame_reply = frame,
                     .ts = ts, .rtt_ns = -1, .query = m->qname, .qtype = m->qtype, .qclass = m->qclass,
                     .rd = m->rd, .reply = m };
    for (size_t i = 0; i < s->pend.n; i++) {
        const dns_pend *q = &s->pend.v[i];
        if (q->id != m->id || q->dir == dir)
            continue;
        t.query_seen = true;
        t.frame_query = q->frame;
        t.rtt_ns = ts >= q->ts ? ts - q->ts : -1;
        t.ts = q->ts;
        t.query_retrans = q->retrans;
        t.frame_query_last = q->frame_last;
        memmove(s->pend.v + i, s->pend.v + i + 1, (s->pend.n - i - 1) * sizeof *s->pend.v);
        if (--s->pend.n == 0)
            sd_vec_free(&s->pend); /* answered: nothing held while the flow idles */
        break;
    }
    if (a->o.txn)
        a->o.txn(a->o.ud, &t);
}

/* One DNS message from side dir. */
static void message(sd_dnsan *a, const sd_conn *c, dns_st *s, int dir, const uint8_t *p, size_t n,
                    uint64_t frame, sd_ts ts)
{
    sd_dns_msg *m = &a->msg;
    if (sd_dns_parse(p, n, m) != SD_DNS_OK) {
        a->st.malformed++;
        return;
    }
    if (!m->has_q) { /* mDNS announcements: answers without a question, no transaction */
        a->st.no_question++;
        return;
    }
    a->st.messages++;
    a->st.answers_uncounted += m->ans_more;
    if (!m->qr) {
        add_query(a, c, s, m, dir, frame, ts);
        return;
    }
    a->st.bad_answers += m->ans_bad;
    answer(a, c, s, m, dir, frame, ts);
}

static void dns_packet(void *ctx, sd_conn *c, void *st, const sd_pkt *p, int dir)
{
    if (c->ipproto == 17 && p->payload_len)
        message(ctx, c, st, dir, p->payload, p->payload_len, p->frame->num, p->frame->ts);
}

static void tcp_release(sd_dnsan *a, dns_tcpdir *t)
{
    free(t->buf);
    t->buf = NULL;
    a->tcp_held -= t->cap;
    t->cap = 0;
}

/* A message buffer's first size: most messages over TCP are as small as
 * over UDP (RFC 1035's 512 bytes), so one allocation holds them; a larger
 * one doubles from there (tcp_room). */
#define DNS_TCP_BUF_FIRST 512

/* Room in t's buffer for k more bytes of the message: grown by doubling
 * up to the message's length, within SD_DNSAN_TCP_HELD_MAX (false: no). */
static bool tcp_room(sd_dnsan *a, dns_tcpdir *t, size_t k)
{
    if (t->have + k <= t->cap)
        return true;
    size_t ncap = t->cap ? t->cap * 2 : DNS_TCP_BUF_FIRST;
    if (ncap < t->have + k)
        ncap = t->have + k;
    if (ncap > t->need)
        ncap = t->need;
    if (a->tcp_held - t->cap + ncap > SD_DNSAN_TCP_HELD_MAX)
        return false;
    t->buf = sd_realloc(t->buf, ncap);
    a->tcp_held += ncap - t->cap;
    t->cap = ncap;
    return true;
}

/* Feeds TCP stream bytes: length prefix, then the message. A message's
 * frame is the one that completed it (where tshark shows it too). */
static void tcp_bytes(sd_dnsan *a, sd_conn *c, dns_st *s, int dir, const sd_chunk *ch)
{
    dns_tcpdir *t = &s->t[dir];
    const uint8_t *p = ch->data;
    size_t n = ch->len;
    while (n) {
        if (t->nlen < 2) {
            t->lenb[t->nlen++] = *p++;
            n--;
            if (t->nlen == 2) {
                t->need = (size_t)t->lenb[0] << 8 | t->lenb[1];
                t->have = 0;
            }
            if (t->nlen < 2 || t->need)
                continue;
        }
        size_t k = t->need - t->have < n ? t->need - t->have : n;
        if (k) {
            if (!tcp_room(a, t, k)) { /* the stream's later messages go unread, counted */
                tcp_release(a, t);
                t->lost = true;
                a->st.tcp_memcap++;
                return;
            }
            memcpy(t->buf + t->have, p, k);
            t->have += k, p += k, n -= k;
        }
        if (t->have == t->need) {
            message(a, c, s, dir, t->buf, t->need, ch->last_frame, ch->ts);
            t->nlen = 0;
            tcp_release(a, t); /* held only while a message is unfinished */
        }
    }
}

static void dns_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    dns_st *s = st;
    dns_tcpdir *t = &s->t[dir & 1];
    if (t->lost)
        return;
    if (ch->kind != SD_CHUNK_DATA) { /* past a hole no length prefix can be trusted */
        tcp_release(ctx, t);
        t->lost = true;
        ((sd_dnsan *)ctx)->st.tcp_lost++;
        return;
    }
    tcp_bytes(ctx, c, s, dir & 1, ch);
}

static void dns_end(void *ctx, sd_conn *c, void *st)
{
    dns_st *s = st;
    for (size_t i = 0; i < s->pend.n; i++)
        emit_pending(ctx, c, &s->pend.v[i]);
    for (int d = 0; d < 2; d++) {
        if (s->t[d].nlen && !s->t[d].lost) /* the stream ended inside a message */
            ((sd_dnsan *)ctx)->st.tcp_lost++;
        tcp_release(ctx, &s->t[d]);
    }
    sd_vec_free(&s->pend);
    free(s);
}

sd_dnsan *sd_dnsan_new(const sd_dnsan_opts *o)
{
    sd_dnsan *a = sd_calloc(1, sizeof *a);
    a->o = *o;
    return a;
}

int sd_dnsan_attach(sd_dnsan *a, sd_engine *e)
{
    sd_analyzer an = { .name = "dns", .conn_new = dns_new, .packet = dns_packet, .chunk = dns_chunk,
                       .conn_end = dns_end, .ctx = a };
    return sd_engine_add(e, &an);
}

const sd_dnsan_stats *sd_dnsan_stats_get(const sd_dnsan *a)
{
    return &a->st;
}

void sd_dnsan_free(sd_dnsan *a)
{
    free(a);
}
