#include "sd_hoststats.h"

#include "../common/sd_hmap.h"
#include "../common/sd_minheap.h"
#include "../common/sd_vec.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* HyperLogLog of the hosts the cap refused: 2^14 one-byte registers
 * (standard error 1.04 / sqrt(2^14), under 1%), allocated at the first
 * refusal. */
#define HLL_P 14
#define HLL_M (1u << HLL_P)

/* Per host aggregate, in a dense array; the host map (keyed by sd_addr,
 * whose bytes past the family's are zero, so the whole struct is the key)
 * holds only its index: 32-byte slots, and the array grows in place. */
typedef struct hagg {
    sd_addr a;
    uint8_t nttl;
    bool ttl_more, id_set;
    uint8_t ttl[SD_HOSTSTATS_TTLS];
    uint16_t first_id, last_id;
    uint64_t pkts, bytes;
    uint64_t id_v4, id_zero, id_same, id_small_step;
} hagg;

typedef struct port_agg {
    uint64_t conns, s0;
} port_agg;

typedef SD_VEC(sd_hoststats_host) host_vec;

struct sd_hoststats {
    sd_hoststats_opts o;
    sd_hmap *hosts;           /* sd_addr -> uint32_t index in aggs */
    SD_VEC(hagg) aggs;
    port_agg *ports;          /* [udp * 65536 + port] */
    uint64_t refused_more;    /* packets of hosts refused while merging parts */
    sd_hoststats_result r;
    host_vec top, varied, all;
    SD_VEC(sd_hoststats_port) portv;
    uint8_t *hll;             /* NULL until a host is refused */
    bool finished;
};

static const char *const STATES[SD_HOSTSTATS_NSTATES] = {
    "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH",
};

const char *sd_hoststats_state_name(size_t i)
{
    return i < SD_HOSTSTATS_NSTATES ? STATES[i] : NULL;
}

sd_hoststats *sd_hoststats_new(const sd_hoststats_opts *o)
{
    sd_hoststats *h = sd_calloc(1, sizeof *h);
    if (o)
        h->o = *o;
    if (!h->o.max_hosts)
        h->o.max_hosts = SD_HOSTSTATS_MAX_HOSTS;
    if (!h->o.top_n)
        h->o.top_n = SD_HOSTSTATS_TOP_N;
    if (h->o.max_hosts > UINT32_MAX)
        h->o.max_hosts = UINT32_MAX;
    h->hosts = sd_hmap_new(sizeof(sd_addr), sizeof(uint32_t), h->o.max_hosts);
    h->ports = sd_calloc(2 * 65536, sizeof *h->ports);
    h->r.max_hosts = h->o.max_hosts;
    return h;
}

void sd_hoststats_free(sd_hoststats *h)
{
    if (!h)
        return;
    sd_hmap_free(h->hosts);
    sd_vec_free(&h->aggs);
    free(h->hll);
    free(h->ports);
    sd_vec_free(&h->top);
    sd_vec_free(&h->varied);
    sd_vec_free(&h->all);
    sd_vec_free(&h->portv);
    free(h);
}

static void note_ttl(hagg *g, uint8_t ttl)
{
    for (int i = 0; i < g->nttl; i++)
        if (g->ttl[i] == ttl)
            return;
    if (g->nttl < SD_HOSTSTATS_TTLS)
        g->ttl[g->nttl++] = ttl;
    else
        g->ttl_more = true;
}

/* IP-ID behaviour: zero (DF hosts, Linux), constant non-zero (crafted
 * packets, some tools), small steps (a global counter), or anything else
 * (random per packet, as BSDs and Windows' newer stacks do). */
static void note_ipid(hagg *g, const sd_pkt *p)
{
    if (p->ipver != 4)
        return;
    uint16_t step = (uint16_t)(p->ip_id - g->last_id);
    g->id_v4++;
    if (p->ip_id == 0)
        g->id_zero++;
    if (g->id_set && p->ip_id == g->last_id && p->ip_id)
        g->id_same++;
    if (g->id_set && step > 0 && step < 64)
        g->id_small_step++;
    if (!g->id_set)
        g->first_id = p->ip_id;
    g->last_id = p->ip_id;
    g->id_set = true;
}

static void hll_add(sd_hoststats *h, const sd_addr *a)
{
    if (!h->hll)
        h->hll = sd_calloc(HLL_M, 1);
    uint64_t x = sd_hash_bytes(a, sizeof *a);
    uint32_t idx = (uint32_t)(x >> (64 - HLL_P));
    uint64_t rest = (x << HLL_P) | (1ull << (HLL_P - 1)); /* a guard bit: rho <= 51 */
    uint8_t rho = (uint8_t)(__builtin_clzll(rest) + 1);
    if (rho > h->hll[idx])
        h->hll[idx] = rho;
}

/* Flajolet et al.'s estimate, with linear counting while registers are
 * empty (small counts, where it is near exact). */
static uint64_t hll_count(const uint8_t *reg)
{
    if (!reg)
        return 0;
    double sum = 0, m = HLL_M;
    size_t zeros = 0;
    for (size_t i = 0; i < HLL_M; i++) {
        sum += ldexp(1.0, -reg[i]);
        zeros += !reg[i];
    }
    double e = 0.7213 / (1 + 1.079 / m) * m * m / sum;
    if (e <= 2.5 * m && zeros)
        e = m * log(m / (double)zeros);
    return (uint64_t)(e + 0.5);
}

/* The host's aggregate, added if new; NULL when the cap refuses it. */
static hagg *host_get(sd_hoststats *h, const sd_addr *a)
{
    uint32_t idx;
    switch (sd_hmap_index(h->hosts, a, (uint32_t)h->aggs.n, &idx)) {
    case SD_HMAP_FOUND:
        return &h->aggs.v[idx];
    case SD_HMAP_ADDED: {
        hagg *g = sd_vec_push(&h->aggs);
        memset(g, 0, sizeof *g);
        g->a = *a;
        return g;
    }
    default:
        hll_add(h, a);
        return NULL;
    }
}

void sd_hoststats_packet(void *hs, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    (void)c, (void)dir, (void)ta;
    sd_hoststats *h = hs;
    sd_hoststats_result *r = &h->r;
    if (h->finished)
        return;
    sd_ts t = p->frame->ts;
    uint32_t len = p->frame->wirelen;
    if (!r->any || t < r->first)
        r->first = t;
    if (!r->any || t > r->last)
        r->last = t;
    r->any = true;
    r->wire_bytes += len;
    r->ip_pkts++;
    r->proto_pkts[p->ipproto]++;
    r->proto_bytes[p->ipproto] += len;
    hagg *g = host_get(h, &p->src);
    if (!g)
        return;
    g->pkts++;
    g->bytes += len;
    note_ttl(g, p->ttl);
    note_ipid(g, p);
}

static int state_idx(const char *s)
{
    for (int i = 0; i < SD_HOSTSTATS_NSTATES; i++)
        if (!strcmp(STATES[i], s))
            return i;
    return -1;
}

void sd_hoststats_conn(void *hs, const sd_conn *c)
{
    sd_hoststats *h = hs;
    sd_hoststats_result *r = &h->r;
    if (h->finished)
        return;
    bool udp = c->ipproto == 17;
    port_agg *pc = &h->ports[(udp ? 65536 : 0) + c->resp_p];
    pc->conns++;
    if (udp) {
        r->udp_conns++;
        return;
    }
    r->tcp_conns++;
    int si = state_idx(c->conn_state);
    if (si >= 0)
        r->states[si]++;
    if (si == 0) {
        r->s0++;
        pc->s0++;
    }
    r->rej += si == 3;
    r->rst_orig += c->first_rst_dir == 0;
    r->rst_resp += c->first_rst_dir == 1;
    r->midstream += c->midstream;
}

static const char *ipid_pattern(const hagg *g)
{
    if (!g->id_v4)
        return "-";
    if (g->id_zero == g->id_v4)
        return "zero";
    if (g->id_v4 > 2 && g->id_same + 1 >= g->id_v4)
        return "constant";
    if (g->id_v4 > 2 && g->id_small_step * 10 >= (g->id_v4 - 1) * 8)
        return "incremental";
    return g->id_v4 > 2 ? "random" : "-";
}

static void push_host(host_vec *v, const hagg *g)
{
    sd_hoststats_host *o = sd_vec_push(v);
    memset(o, 0, sizeof *o);
    o->addr = g->a;
    o->nttl = g->nttl;
    o->ttl_more = g->ttl_more;
    memcpy(o->ttl, g->ttl, sizeof o->ttl);
    o->pkts = g->pkts;
    o->bytes = g->bytes;
    o->ip_id = ipid_pattern(g);
}

/* Talker order: more bytes first, then the lower address (a total order:
 * addresses are unique, so the result never depends on map order). */
static int rank_cmp(const sd_addr *a, uint64_t abytes, const sd_addr *b, uint64_t bbytes)
{
    if (abytes != bbytes)
        return abytes < bbytes ? 1 : -1;
    return sd_addr_cmp(a, b);
}

static int cmp_host(const void *x, const void *y)
{
    const sd_hoststats_host *a = x, *b = y;
    return rank_cmp(&a->addr, a->bytes, &b->addr, b->bytes);
}

/* The min-heap of the top N keeps its last-ranked entry at the root. */
static bool heap_after(const void *px, const void *py, const void *ud)
{
    const hagg *x = *(const hagg *const *)px, *y = *(const hagg *const *)py;
    (void)ud;
    return rank_cmp(&x->a, x->bytes, &y->a, y->bytes) > 0;
}

/* The top N talkers and the hosts with several TTLs, without sorting every
 * host: O(hosts log N) for the heap, then a sort of the few kept. */
static void select_top(sd_hoststats *h)
{
    size_t k = h->o.top_n, n = 0;
    const hagg **hp = sd_calloc(k, sizeof *hp);
    sd_minheap mh = { (void *)hp, sizeof *hp, heap_after, NULL };
    for (size_t i = 0; i < h->aggs.n; i++) {
        const hagg *e = &h->aggs.v[i];
        if (e->nttl > 1)
            push_host(&h->varied, e);
        if (n < k) {
            hp[n] = e;
            sd_minheap_up(&mh, n++);
        } else if (heap_after(&hp[0], &e, NULL)) {
            hp[0] = e;
            sd_minheap_down(&mh, n, 0);
        }
    }
    for (size_t i = 0; i < n; i++)
        push_host(&h->top, hp[i]);
    free(hp);
    if (h->top.n)
        qsort(h->top.v, h->top.n, sizeof *h->top.v, cmp_host);
    if (h->varied.n)
        qsort(h->varied.v, h->varied.n, sizeof *h->varied.v, cmp_host);
}

/* Every host in talker order (the JSON listing): one sort of them all. */
static void sort_all(sd_hoststats *h)
{
    sd_vec_reserve(&h->all, h->aggs.n);
    for (size_t i = 0; i < h->aggs.n; i++)
        push_host(&h->all, &h->aggs.v[i]);
    if (h->all.n)
        qsort(h->all.v, h->all.n, sizeof *h->all.v, cmp_host);
    for (size_t i = 0; i < h->all.n; i++) {
        if (i < h->o.top_n)
            *sd_vec_push(&h->top) = h->all.v[i];
        if (h->all.v[i].nttl > 1)
            *sd_vec_push(&h->varied) = h->all.v[i];
    }
}

static int cmp_port(const void *x, const void *y)
{
    const sd_hoststats_port *a = x, *b = y;
    if (a->conns != b->conns)
        return a->conns < b->conns ? 1 : -1;
    if (a->port != b->port)
        return a->port < b->port ? -1 : 1;
    return (int)a->udp - (int)b->udp;
}

static void list_ports(sd_hoststats *h)
{
    for (size_t i = 0; i < 2 * 65536; i++) {
        if (!h->ports[i].conns)
            continue;
        sd_hoststats_port *p = sd_vec_push(&h->portv);
        p->udp = i >= 65536;
        p->port = (uint16_t)(i & 0xffff);
        p->conns = h->ports[i].conns;
        p->s0 = h->ports[i].s0;
    }
    if (h->portv.n)
        qsort(h->portv.v, h->portv.n, sizeof *h->portv.v, cmp_port);
}

const sd_hoststats_result *sd_hoststats_finish(sd_hoststats *h)
{
    sd_hoststats_result *r = &h->r;
    if (h->finished)
        return r;
    h->finished = true;
    r->hosts = sd_hmap_count(h->hosts);
    r->refused_pkts = sd_hmap_refused(h->hosts) + h->refused_more;
    r->hosts_refused = hll_count(h->hll);
    if (r->hosts_refused > r->refused_pkts) /* each sent at least one */
        r->hosts_refused = r->refused_pkts;
    /* the map and the aggregates are not needed past here: free them as
     * soon as the result holds what it lists */
    sd_hmap_free(h->hosts);
    h->hosts = NULL;
    if (h->o.all_hosts)
        sort_all(h);
    else
        select_top(h);
    sd_vec_free(&h->aggs);
    list_ports(h);
    r->top = h->top.v;
    r->ntop = h->top.n;
    r->ttl_varied = h->varied.v;
    r->nttl_varied = h->varied.n;
    r->all = h->all.v;
    r->nall = h->all.n;
    r->ports = h->portv.v;
    r->nports = h->portv.n;
    return r;
}

const sd_hoststats_result *sd_hoststats_running(const sd_hoststats *h)
{
    return &h->r;
}

void sd_hoststats_each(const sd_hoststats *h, void (*fn)(void *ud, const sd_hoststats_part *p), void *ud)
{
    for (size_t i = 0; h->hosts && i < h->aggs.n; i++) {
        const hagg *g = &h->aggs.v[i];
        sd_hoststats_part p = { .addr = g->a, .pkts = g->pkts, .bytes = g->bytes, .nttl = g->nttl,
                                .ttl_more = g->ttl_more, .id_set = g->id_set, .first_id = g->first_id,
                                .last_id = g->last_id, .id_v4 = g->id_v4, .id_zero = g->id_zero,
                                .id_same = g->id_same, .id_small_step = g->id_small_step };
        memcpy(p.ttl, g->ttl, sizeof p.ttl);
        fn(ud, &p);
    }
}

void sd_hoststats_add_totals(sd_hoststats *h, const sd_hoststats_result *t)
{
    sd_hoststats_result *r = &h->r;
    if (h->finished || !t->any)
        return;
    r->first = !r->any || t->first < r->first ? t->first : r->first;
    r->last = !r->any || t->last > r->last ? t->last : r->last;
    r->any = true;
    r->ip_pkts += t->ip_pkts;
    r->wire_bytes += t->wire_bytes;
    for (size_t i = 0; i < 256; i++) {
        r->proto_pkts[i] += t->proto_pkts[i];
        r->proto_bytes[i] += t->proto_bytes[i];
    }
    h->refused_more += t->refused_pkts;
}

/* The IP-ID step from the previous chunk's last ID to this one's first,
 * counted as note_ipid counts it, then the chunk's own counts. */
static void merge_ipid(hagg *g, const sd_hoststats_part *p)
{
    if (!p->id_set)
        return;
    if (g->id_set) {
        uint16_t step = (uint16_t)(p->first_id - g->last_id);
        g->id_same += p->first_id == g->last_id && p->first_id;
        g->id_small_step += step > 0 && step < 64;
    } else
        g->first_id = p->first_id;
    g->id_v4 += p->id_v4;
    g->id_zero += p->id_zero;
    g->id_same += p->id_same;
    g->id_small_step += p->id_small_step;
    g->last_id = p->last_id;
    g->id_set = true;
}

void sd_hoststats_add_part(sd_hoststats *h, const sd_hoststats_part *p)
{
    if (h->finished)
        return;
    hagg *g = host_get(h, &p->addr);
    if (!g) {
        h->refused_more += p->pkts ? p->pkts - 1 : 0; /* host_get counted one */
        return;
    }
    g->pkts += p->pkts;
    g->bytes += p->bytes;
    for (uint8_t i = 0; i < p->nttl && i < SD_HOSTSTATS_TTLS; i++)
        note_ttl(g, p->ttl[i]);
    g->ttl_more |= p->ttl_more;
    merge_ipid(g, p);
}
