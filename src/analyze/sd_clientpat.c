#include "sd_clientpat.h"

#include "../common/sd_hmap.h"
#include "../common/sd_vec.h"

#include <stdlib.h>
#include <string.h>

/* The most common step, in two counters (Misra-Gries): a step taken by
 * more than a third of the steps is always among them; its count is a
 * lower bound. Enough to name the step of an incremental pattern. */
typedef struct mg2 {
    uint32_t v[2];
    uint64_t n[2];
} mg2;

typedef struct seqagg {
    uint32_t last;
    uint64_t same, small;
    mg2 mg;
} seqagg;

typedef struct cagg {
    sd_clientpat_host h;
    seqagg port, isn;
} cagg;

/* A host's first connection, all most hosts of a SYN flood from spoofed
 * addresses ever send: 24 bytes, and the whole aggregate (~300 bytes) only
 * from its second connection on. */
typedef struct first_syn {
    uint64_t frame;
    sd_ts ts;
    uint32_t isn;
    uint16_t port;
} first_syn;

/* The host map's value: an index in aggs with this bit, else in firsts. */
#define IN_AGGS 0x80000000u

struct sd_clientpat {
    sd_clientpat_opts o;
    sd_prefix only;          /* o.only points here */
    sd_hmap *idx;            /* sd_addr -> uint32_t index (IN_AGGS) */
    SD_VEC(first_syn) firsts;
    SD_VEC(cagg) aggs;
    SD_VEC(sd_clientpat_host) out;
    sd_clientpat_result r;
    bool finished;
};

sd_clientpat *sd_clientpat_new(const sd_clientpat_opts *o)
{
    sd_clientpat *cp = sd_calloc(1, sizeof *cp);
    if (o)
        cp->o = *o;
    if (cp->o.only) {
        cp->only = *cp->o.only;
        cp->o.only = &cp->only;
    }
    if (!cp->o.max_hosts || cp->o.max_hosts >= IN_AGGS)
        cp->o.max_hosts = cp->o.max_hosts ? IN_AGGS - 1 : SD_CLIENTPAT_MAX_HOSTS;
    cp->idx = sd_hmap_new(sizeof(sd_addr), sizeof(uint32_t), cp->o.max_hosts);
    cp->r.max_hosts = cp->o.max_hosts;
    return cp;
}

void sd_clientpat_free(sd_clientpat *cp)
{
    if (!cp)
        return;
    sd_hmap_free(cp->idx);
    sd_vec_free(&cp->firsts);
    sd_vec_free(&cp->aggs);
    sd_vec_free(&cp->out);
    free(cp);
}

const char *sd_clientpat_kind_name(uint8_t kind)
{
    static const char *const N[] = { "-", "constant", "incremental", "random" };
    return kind < SD_ARRAY_LEN(N) ? N[kind] : "?";
}

static void mg_add(mg2 *m, uint32_t v)
{
    for (int i = 0; i < 2; i++)
        if (m->n[i] && m->v[i] == v) {
            m->n[i]++;
            return;
        }
    for (int i = 0; i < 2; i++)
        if (!m->n[i]) {
            m->v[i] = v;
            m->n[i] = 1;
            return;
        }
    m->n[0]--;
    m->n[1]--;
}

/* One more value of the host's sequence (a port: mask 0xffff; an ISN:
 * 0xffffffff); steps are forward, modulo the field's size. */
static void seq_add(seqagg *s, uint32_t v, uint32_t mask, uint32_t small_max, bool first)
{
    if (!first) {
        uint32_t step = (v - s->last) & mask;
        if (!step)
            s->same++;
        else if (step <= small_max) {
            s->small++;
            mg_add(&s->mg, step);
        }
    }
    s->last = v;
}

/* One more connection of the host's aggregate, in capture order. */
static void agg_add(cagg *g, uint16_t port, uint32_t isn, uint64_t frame, sd_ts ts)
{
    sd_clientpat_host *h = &g->h;
    bool first = !h->conns++;
    if (first)
        h->first = ts;
    h->last = ts;
    seq_add(&g->port, port, 0xffffu, SD_CLIENTPAT_PORT_STEP_MAX, first);
    seq_add(&g->isn, isn, 0xffffffffu, SD_CLIENTPAT_ISN_STEP_MAX, first);
    if (h->nev < SD_CLIENTPAT_EVIDENCE) {
        h->ev_port[h->nev] = port;
        h->ev_isn[h->nev] = isn;
        h->ev_frame[h->nev++] = frame;
    }
}

/* The host's second connection: its aggregate, made from its first. */
static cagg *promote(sd_clientpat *cp, const sd_addr *a, uint32_t *slot)
{
    first_syn f = cp->firsts.v[*slot];
    *slot = (uint32_t)cp->aggs.n | IN_AGGS;
    cagg *g = sd_vec_push(&cp->aggs);
    memset(g, 0, sizeof *g);
    g->h.addr = *a;
    agg_add(g, f.port, f.isn, f.frame, f.ts);
    return g;
}

/* A connection's SYN into its host's state; false when the cap refused
 * the host. */
static bool note_syn(sd_clientpat *cp, const sd_addr *src, uint16_t port, uint32_t isn, uint64_t frame,
                     sd_ts ts)
{
    void *v;
    uint32_t slot;
    switch (sd_hmap_insert(cp->idx, src, &v)) {
    case SD_HMAP_ADDED:
        slot = (uint32_t)cp->firsts.n;
        memcpy(v, &slot, sizeof slot);
        *sd_vec_push(&cp->firsts) = (first_syn){ frame, ts, isn, port };
        return true;
    case SD_HMAP_FOUND:
        memcpy(&slot, v, sizeof slot);
        cagg *g = slot & IN_AGGS ? &cp->aggs.v[slot & ~IN_AGGS] : promote(cp, src, &slot);
        memcpy(v, &slot, sizeof slot); /* no insert since: v is still the entry's */
        agg_add(g, port, isn, frame, ts);
        return true;
    default:
        return false;
    }
}

void sd_clientpat_syn(sd_clientpat *cp, const sd_addr *src, uint16_t port, uint32_t isn, uint64_t frame, sd_ts ts)
{
    if (cp->finished || (cp->o.only && !sd_prefix_match(cp->o.only, src)))
        return;
    cp->r.conns++;
    if (!note_syn(cp, src, port, isn, frame, ts))
        cp->r.untracked_conns++;
}

bool sd_clientpat_counts(const sd_conn *c, int dir)
{
    /* the originator's first packet, a SYN (sd_engine decides orig_by from
     * the connection's first packet): one count per connection, never its
     * retransmitted SYNs */
    return c && c->ipproto == 6 && c->orig_by == SD_ORIG_SYN && dir == SD_DIR_ORIG && c->d[0].pkts == 1;
}

void sd_clientpat_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    (void)ta;
    if (sd_clientpat_counts(c, dir))
        sd_clientpat_syn(ud, &p->src, p->sport, p->seq, p->frame->num, p->frame->ts);
}

void sd_clientpat_conn(void *ud, const sd_conn *c)
{
    sd_clientpat *cp = ud;
    if (!cp->finished && c->ipproto == 6 && c->orig_by != SD_ORIG_SYN &&
        (!cp->o.only || sd_prefix_match(cp->o.only, &c->orig_h)))
        cp->r.midstream++;
}

static void classify(sd_clientpat_seq *o, const seqagg *s, uint64_t conns)
{
    uint64_t steps = conns - 1;
    o->same = s->same;
    o->small = s->small;
    /* a typical step only when one size makes half the small steps or
     * more (a counter, not a clock: ISNs that grow with time vary) */
    int best = s->mg.n[1] > s->mg.n[0];
    bool typical = s->mg.n[best] >= 2 && s->mg.n[best] * 2 >= s->small;
    o->step = typical ? s->mg.v[best] : 0;
    o->step_n = typical ? s->mg.n[best] : 0;
    if (conns < SD_CLIENTPAT_MIN_CONNS)
        o->kind = SD_PAT_FEW;
    else if (s->same * 100 >= steps * SD_CLIENTPAT_SHARE_PCT)
        o->kind = SD_PAT_CONSTANT;
    else if (s->small * 100 >= steps * SD_CLIENTPAT_SHARE_PCT)
        o->kind = SD_PAT_INCREMENTAL;
    else
        o->kind = SD_PAT_RANDOM;
}

/* Most telling first: a constant port, then a constant ISN, then an
 * incremental ISN (the bits are in that order of weight, reversed). */
static unsigned odd_weight(unsigned odd)
{
    return (odd & SD_CLIENTPAT_ODD_CONST_PORT ? 4u : 0) + (odd & SD_CLIENTPAT_ODD_CONST_ISN ? 2u : 0) +
           (odd & SD_CLIENTPAT_ODD_INCR_ISN ? 1u : 0);
}

static int cmp_host(const void *x, const void *y)
{
    const sd_clientpat_host *a = x, *b = y;
    unsigned wa = odd_weight(a->odd), wb = odd_weight(b->odd);
    if (wa != wb)
        return wa < wb ? 1 : -1;
    if (a->conns != b->conns)
        return a->conns < b->conns ? 1 : -1;
    return sd_addr_cmp(&a->addr, &b->addr);
}

const sd_clientpat_result *sd_clientpat_finish(sd_clientpat *cp)
{
    sd_clientpat_result *r = &cp->r;
    if (cp->finished)
        return r;
    cp->finished = true;
    r->few = cp->firsts.n - cp->aggs.n; /* hosts never promoted: one connection */
    for (size_t i = 0; i < cp->aggs.n; i++) {
        cagg *g = &cp->aggs.v[i];
        if (g->h.conns < SD_CLIENTPAT_MIN_CONNS) {
            r->few++;
            continue;
        }
        classify(&g->h.port, &g->port, g->h.conns);
        classify(&g->h.isn, &g->isn, g->h.conns);
        g->h.odd = (g->h.port.kind == SD_PAT_CONSTANT ? SD_CLIENTPAT_ODD_CONST_PORT : 0) |
                   (g->h.isn.kind == SD_PAT_CONSTANT ? SD_CLIENTPAT_ODD_CONST_ISN : 0) |
                   (g->h.isn.kind == SD_PAT_INCREMENTAL ? SD_CLIENTPAT_ODD_INCR_ISN : 0);
        r->nodd += g->h.odd != 0;
        *sd_vec_push(&cp->out) = g->h;
    }
    sd_hmap_free(cp->idx);
    cp->idx = NULL;
    sd_vec_free(&cp->firsts);
    sd_vec_free(&cp->aggs);
    if (cp->out.n)
        qsort(cp->out.v, cp->out.n, sizeof *cp->out.v, cmp_host);
    r->hosts = cp->out.v;
    r->nhosts = cp->out.n;
    return r;
}
