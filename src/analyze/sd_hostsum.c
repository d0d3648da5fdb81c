#include "sd_hostsum.h"

#include "../common/sd_minheap.h"
#include "../common/sd_vec.h"

#include <stdlib.h>
#include <string.h>

struct sd_hostsum {
    sd_hostsum_opts o;
    SD_VEC(sd_hostsum_rec) conns; /* a max-heap by start while feeding */
    SD_VEC(size_t) after;
    sd_hostsum_result r;
    bool finished;
};

sd_hostsum *sd_hostsum_new(const sd_hostsum_opts *o)
{
    sd_hostsum *h = sd_calloc(1, sizeof *h);
    h->o = *o;
    if (h->o.after <= 0)
        h->o.after = SD_HOSTSUM_AFTER_DEFAULT;
    if (!h->o.max_conns)
        h->o.max_conns = SD_HOSTSUM_MAX_CONNS;
    h->r.host = h->o.host;
    h->r.window = h->o.after;
    h->r.max_conns = h->o.max_conns;
    return h;
}

void sd_hostsum_free(sd_hostsum *h)
{
    if (!h)
        return;
    sd_vec_free(&h->conns);
    sd_vec_free(&h->after);
    free(h);
}

bool sd_hostsum_wants(const sd_hostsum *h, const sd_conn *c)
{
    return sd_prefix_match(&h->o.host, &c->orig_h) || sd_prefix_match(&h->o.host, &c->resp_h);
}

static void note_time(sd_hostsum_result *r, sd_ts first, sd_ts last)
{
    if (!r->any || first < r->first)
        r->first = first;
    if (!r->any || last > r->last)
        r->last = last;
    r->any = true;
}

/* Packets without a connection (ICMP, other protocols) to or from it. */
void sd_hostsum_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    (void)dir, (void)ta;
    sd_hostsum *h = ud;
    if (h->finished || c || (!sd_prefix_match(&h->o.host, &p->src) && !sd_prefix_match(&h->o.host, &p->dst)))
        return;
    h->r.other_pkts++;
    h->r.other_bytes += p->frame->wirelen;
    note_time(&h->r, p->frame->ts, p->frame->ts);
}

/* Start order, then the engine's per-protocol index: a total order on the
 * connections of one capture (TCP before UDP at equal start and index). */
static int start_cmp(const sd_hostsum_rec *a, const sd_hostsum_rec *b)
{
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->conn_index != b->conn_index)
        return a->conn_index < b->conn_index ? -1 : 1;
    return (a->ipproto > b->ipproto) - (a->ipproto < b->ipproto);
}

/* The max-heap keeps the latest-starting kept connection at the root: the
 * one to give up when an earlier one comes past the cap. */
static bool starts_later(const void *a, const void *b, const void *ud)
{
    (void)ud;
    return start_cmp(a, b) > 0;
}

static void fill(sd_hostsum_rec *o, const sd_conn *c, bool host_orig)
{
    memset(o, 0, sizeof *o);
    memcpy(o->uid, c->uid, sizeof o->uid);
    o->stream = c->id;
    o->conn_index = c->conn_index;
    o->ipproto = c->ipproto;
    o->host_orig = host_orig;
    o->orig_h = c->orig_h;
    o->resp_h = c->resp_h;
    o->orig_p = c->orig_p;
    o->resp_p = c->resp_p;
    memcpy(o->service, c->service, sizeof o->service);
    if (c->ipproto == 6)
        memcpy(o->state, c->conn_state, sizeof o->state);
    o->start = c->start;
    o->end = c->end;
    o->orig_bytes = c->d[0].bytes;
    o->resp_bytes = c->d[1].bytes;
    o->orig_pkts = c->d[0].pkts;
    o->resp_pkts = c->d[1].pkts;
    o->first_frame = c->first_frame;
    o->last_frame = c->last_frame;
}

void sd_hostsum_conn(void *ud, const sd_conn *c)
{
    sd_hostsum *h = ud;
    if (h->finished || !sd_hostsum_wants(h, c))
        return;
    sd_hostsum_result *r = &h->r;
    bool orig = sd_prefix_match(&h->o.host, &c->orig_h);
    r->matched++;
    r->sent += orig ? c->d[0].bytes : c->d[1].bytes;
    r->received += orig ? c->d[1].bytes : c->d[0].bytes;
    note_time(r, c->start, c->end);
    sd_hostsum_rec n;
    fill(&n, c, orig);
    if (h->conns.n < h->o.max_conns) {
        *sd_vec_push(&h->conns) = n;
        sd_minheap_up(&(sd_minheap){ h->conns.v, sizeof n, starts_later, NULL }, h->conns.n - 1);
        return;
    }
    r->dropped++;
    if (start_cmp(&n, &h->conns.v[0]) < 0) { /* earlier than the latest kept */
        h->conns.v[0] = n;
        sd_minheap_down(&(sd_minheap){ h->conns.v, sizeof n, starts_later, NULL }, h->conns.n, 0);
    }
}

static int conn_cmp(const void *x, const void *y)
{
    return start_cmp(x, y);
}

static int addr_cmp(const void *x, const void *y)
{
    return sd_addr_cmp(x, y);
}

static uint64_t count_peers(const sd_hostsum *h)
{
    size_t n = h->conns.n;
    if (!n)
        return 0;
    sd_addr *p = sd_calloc(n, sizeof *p);
    for (size_t i = 0; i < n; i++)
        p[i] = h->conns.v[i].host_orig ? h->conns.v[i].resp_h : h->conns.v[i].orig_h;
    qsort(p, n, sizeof *p, addr_cmp);
    uint64_t k = 1;
    for (size_t i = 1; i < n; i++)
        k += sd_addr_cmp(&p[i], &p[i - 1]) != 0;
    free(p);
    return k;
}

/* The connections the host opened within the window after its first
 * contact (conns[0], the earliest kept: the heap kept the earliest). */
static void list_after(sd_hostsum *h)
{
    sd_hostsum_result *r = &h->r;
    for (size_t i = 1; i < h->conns.n; i++) {
        const sd_hostsum_rec *c = &h->conns.v[i];
        if (c->start - h->conns.v[0].start > h->o.after)
            break;
        if (!c->host_orig)
            continue;
        *sd_vec_push(&h->after) = i;
        r->after_sent += c->orig_bytes;
        r->after_received += c->resp_bytes;
    }
}

const sd_hostsum_result *sd_hostsum_finish(sd_hostsum *h)
{
    sd_hostsum_result *r = &h->r;
    if (h->finished)
        return r;
    h->finished = true;
    if (h->conns.n)
        qsort(h->conns.v, h->conns.n, sizeof *h->conns.v, conn_cmp);
    r->peers = count_peers(h);
    list_after(h);
    r->conns = h->conns.v;
    r->nconns = h->conns.n;
    r->after = h->after.v;
    r->nafter = h->after.n;
    return r;
}
