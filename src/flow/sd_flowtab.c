#include "sd_flowtab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_hmap.h"
#include "../common/sd_spare.h"

/* The maps grow with what they hold (sd_hmap), so neither a million flows
 * nor a million distinct hosts make a lookup slower. IPv4 flows, nearly
 * all of them, have a map of their own with a 16-byte key: two words to
 * hash and compare per packet instead of five. */
struct sd_flowtab {
    sd_hmap *flows4;  /* packed IPv4 key (key_pack4) -> sd_flow * */
    sd_hmap *flows;   /* any other: packed key (key_pack) -> sd_flow * */
    sd_hmap *hosts;   /* sd_addr -> uint32_t open connections it originated */
    sd_flow *head[SD_IDLE_NCLASS], *tail[SD_IDLE_NCLASS];
    uint32_t open_total;
    sd_spare spare;   /* flows given back, for the next inserts (at most SPARE_FLOWS) */
#ifdef SD_DEBUG_INVARIANTS
    uint64_t ops, next_full; /* a full walk every ~count operations */
#endif
};

/* The key as the map compares it: the fields back to back, no padding,
 * so memcmp over it is exact whatever the caller left in sd_flowkey's. */
#define KEY_LEN (1 + 2 + 2 * (1 + 16) + 2 + 2)
/* The IPv4 key: protocol, VLAN, the two 4-byte addresses and the ports,
 * then one zero byte to make two whole words. */
#define KEY4_LEN 16
typedef struct packed_key {
    uint8_t b[KEY_LEN];
} packed_key;

static bool is_v4(const sd_flowkey *k)
{
    return k->a.fam == 4 && k->b.fam == 4;
}

static void key_pack(const sd_flowkey *k, packed_key *out)
{
    uint8_t *p = out->b;
    *p++ = k->proto;
    memcpy(p, &k->vlan, 2), p += 2;
    if (is_v4(k)) { /* the map's key for it, in KEY4_LEN bytes */
        memcpy(p, k->a.a, 4), p += 4;
        memcpy(p, k->b.a, 4), p += 4;
        memcpy(p, &k->pa, 2), p += 2;
        memcpy(p, &k->pb, 2), p += 2;
        *p = 0;
        return;
    }
    *p++ = k->a.fam;
    memcpy(p, k->a.a, 16), p += 16;
    *p++ = k->b.fam;
    memcpy(p, k->b.a, 16), p += 16;
    memcpy(p, &k->pa, 2), p += 2;
    memcpy(p, &k->pb, 2);
}

/* The map k belongs in. */
static sd_hmap *map_of(const sd_flowtab *t, const sd_flowkey *k)
{
    return is_v4(k) ? t->flows4 : t->flows;
}

/* Flows kept for reuse when they end: a new one then costs a clear of its
 * 1.9 kB instead of a calloc, whose size is past the C library's per-thread
 * cache, and a free (issue #11: ~450 instructions a connection). Enough
 * for the connections that end between two that begin; what is past the
 * cap goes back to the C library, so the memory held stays ~120 kB. */
#define SPARE_FLOWS 64u

sd_flowtab *sd_flowtab_new(void)
{
    sd_flowtab *t = sd_calloc(1, sizeof *t);
    t->flows4 = sd_hmap_new(KEY4_LEN, sizeof(sd_flow *), 0);
    t->flows = sd_hmap_new(KEY_LEN, sizeof(sd_flow *), 0);
    sd_hmap_sparse(t->flows4); /* found on every packet: short probes */
    sd_hmap_sparse(t->flows);
    t->hosts = sd_hmap_new(sizeof(sd_addr), sizeof(uint32_t), 0);
    sd_spare_init(&t->spare, SPARE_FLOWS);
    return t;
}

void sd_flowtab_free(sd_flowtab *t)
{
    if (!t)
        return;
    sd_hmap_free(t->hosts);
    sd_hmap_free(t->flows);
    sd_hmap_free(t->flows4);
    sd_spare_free(&t->spare);
    free(t);
}

/* Written out so that the compiler makes it one load and a byte swap. */
static uint64_t be64(const uint8_t *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
           (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 | (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

/* sd_addr_cmp's order (family, then the 16 bytes as memcmp orders them),
 * as two 64-bit comparisons on every packet instead of a memcmp call. */
static int ep_cmp(const sd_addr *a, uint16_t pa, const sd_addr *b, uint16_t pb)
{
    if (a->fam != b->fam)
        return a->fam < b->fam ? -1 : 1;
    uint64_t x = be64(a->a), y = be64(b->a);
    if (x == y)
        x = be64(a->a + 8), y = be64(b->a + 8);
    if (x != y)
        return x < y ? -1 : 1;
    return pa < pb ? -1 : pa > pb;
}

/* The key f was inserted under, rebuilt from its connection: the same
 * endpoints in the same order sd_flowkey_make puts them. */
void sd_flowkey_of(const sd_flow *f, sd_flowkey *k)
{
    const sd_conn *c = &f->c;
    memset(k, 0, sizeof *k);
    k->proto = c->ipproto;
    k->vlan = c->vlan;
    bool swap = ep_cmp(&c->orig_h, c->orig_p, &c->resp_h, c->resp_p) > 0;
    k->a = swap ? c->resp_h : c->orig_h;
    k->pa = swap ? c->resp_p : c->orig_p;
    k->b = swap ? c->orig_h : c->resp_h;
    k->pb = swap ? c->orig_p : c->resp_p;
}

void sd_flowkey_make(sd_flowkey *k, const sd_pkt *p, bool *swapped)
{
    memset(k, 0, sizeof *k);
    k->proto = p->ipproto;
    k->vlan = p->nvlan ? p->vlan[0] : 0;
    *swapped = ep_cmp(&p->src, p->sport, &p->dst, p->dport) > 0;
    if (!*swapped) {
        k->a = p->src, k->pa = p->sport;
        k->b = p->dst, k->pb = p->dport;
    } else {
        k->a = p->dst, k->pa = p->dport;
        k->b = p->src, k->pb = p->sport;
    }
}

#ifdef SD_DEBUG_INVARIANTS


/* Every flow in the map is under its own key; the per-host counts add up
 * to the total. */
static void check_map(const sd_flowtab *t)
{
    uint64_t open = 0, host_sum = 0;
    sd_hmap_iter it = {0};
    for (int v4 = 0; v4 < 2; v4++) {
        sd_hmap *m = v4 ? t->flows4 : t->flows;
        for (it = (sd_hmap_iter){0}; sd_hmap_next(m, &it);) {
            const sd_flow *f;
            memcpy(&f, it.val, sizeof f);
            sd_flowkey k;
            packed_key pk;
            sd_flowkey_of(f, &k);
            key_pack(&k, &pk);
            assert(map_of(t, &k) == m && memcmp(&pk, it.key, v4 ? KEY4_LEN : KEY_LEN) == 0);
            open += f->counted_open;
        }
    }
    it = (sd_hmap_iter){0};
    while (sd_hmap_next(t->hosts, &it)) {
        uint32_t n;
        memcpy(&n, it.val, sizeof n);
        assert(n > 0); /* a host at zero is removed */
        host_sum += n;
    }
    /* a flow may leave the map before its count is closed (the engine
     * unlinks all flows first at the end), never the other way round */
    assert(open <= t->open_total && host_sum == t->open_total);
}

/* Idle lists: well linked, each in its class, ordered by last_seen so that
 * expiry may stop at the first head that is not due. */
static void check_lists(const sd_flowtab *t)
{
    size_t listed = 0;
    for (uint8_t c = 0; c < SD_IDLE_NCLASS; c++) {
        const sd_flow *prev = NULL;
        for (const sd_flow *f = t->head[c]; f; prev = f, f = f->next, listed++) {
            assert(f->idle_class == c && f->prev == prev);
            assert(!prev || prev->last_seen <= f->last_seen);
        }
        assert(t->tail[c] == prev);
    }
    assert(listed <= sd_flowtab_count(t));
}

/* ok: the caller's local check. The walks cost O(flows), so they run only
 * once per about as many operations: amortised O(1) per operation. */
static void check(sd_flowtab *t, bool ok)
{
    assert(ok);
    if (++t->ops < t->next_full)
        return;
    check_map(t);
    check_lists(t);
    t->next_full = t->ops + sd_flowtab_count(t) + 64;
}
#endif

sd_flow *sd_flowtab_find(sd_flowtab *t, const sd_flowkey *k)
{
    packed_key pk;
    key_pack(k, &pk);
    sd_flow **v = sd_hmap_find(map_of(t, k), &pk);
    return v ? *v : NULL;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* An IPv4 endpoint as one number that orders as ep_cmp does: the address
 * (its other 12 bytes are zero, sd_addr's rule) and then the port. */
static uint64_t ep4(const sd_addr *a, uint16_t port)
{
    return (uint64_t)be32(a->a) << 16 | port;
}

/* An IPv4 packet's key in key_pack's layout, byte for byte; *swapped as
 * sd_flowkey_make gives it. */
static inline __attribute__((always_inline)) void pack4(const sd_pkt *p, uint16_t vlan, uint8_t pk[KEY4_LEN],
                                                        bool *swapped)
{
    uint64_t s = ep4(&p->src, p->sport), d = ep4(&p->dst, p->dport);
    *swapped = s > d;
    SD_CHECK(assert(*swapped == (ep_cmp(&p->src, p->sport, &p->dst, p->dport) > 0)));
    const sd_addr *a = *swapped ? &p->dst : &p->src, *b = *swapped ? &p->src : &p->dst;
    uint16_t pa = *swapped ? p->dport : p->sport, pb = *swapped ? p->sport : p->dport;
    pk[0] = p->ipproto;
    memcpy(pk + 1, &vlan, 2);
    memcpy(pk + 3, a->a, 4);
    memcpy(pk + 7, b->a, 4);
    memcpy(pk + 11, &pa, 2);
    memcpy(pk + 13, &pb, 2);
    pk[15] = 0;
}

void sd_flowtab_pkt_key(sd_pkt *p, bool vlan_unkeyed)
{
    _Static_assert(sizeof p->fk == KEY4_LEN, "sd_pkt.fk holds an IPv4 key");
    p->fk_set = p->src.fam == 4 && p->dst.fam == 4;
    if (!p->fk_set)
        return;
    pack4(p, p->nvlan && !vlan_unkeyed ? p->vlan[0] : 0, p->fk, &p->fk_swapped);
    p->fk_tag = sd_hmap_tag16(p->fk);
}

/* A packet whose key the reader thread did not make (not IPv4, or no
 * reader thread): out of line, so that the common case below stays small
 * enough for LTO to inline into the engine's per-packet function. */
static __attribute__((noinline)) sd_flow *find_pkt_unkeyed(sd_flowtab *t, const sd_pkt *p, bool *swapped)
{
    sd_flow **v;
    if (p->src.fam != 4 || p->dst.fam != 4) {
        sd_flowkey k;
        sd_flowkey_make(&k, p, swapped);
        return sd_flowtab_find(t, &k);
    }
    uint8_t pk[KEY4_LEN];
    pack4(p, p->nvlan ? p->vlan[0] : 0, pk, swapped);
    v = sd_hmap_find(t->flows4, pk);
    return v ? *v : NULL;
}

sd_flow *sd_flowtab_find_pkt(sd_flowtab *t, const sd_pkt *p, bool *swapped)
{
    if (!p->fk_set)
        return find_pkt_unkeyed(t, p, swapped);
#ifdef SD_DEBUG_INVARIANTS
    uint8_t pk[KEY4_LEN];
    bool sw;
    pack4(p, p->nvlan ? p->vlan[0] : 0, pk, &sw);
    assert(sw == p->fk_swapped && memcmp(pk, p->fk, KEY4_LEN) == 0);
#endif
    *swapped = p->fk_swapped; /* key made ahead by the reader thread */
    sd_flow **v = sd_hmap_find_tagged(t->flows4, p->fk, p->fk_tag);
    return v ? *v : NULL;
}

sd_flow *sd_flowtab_insert(sd_flowtab *t, const sd_flowkey *k)
{
    packed_key pk;
    key_pack(k, &pk);
    void *v;
    sd_hmap_insert(map_of(t, k), &pk, &v); /* no cap: cannot be refused */
    sd_flow *f = sd_spare_get(&t->spare, sizeof *f);
    f->c.ipproto = k->proto;
    f->c.vlan = k->vlan;
    f->idle_class = SD_IDLE_NCLASS; /* not on a list yet */
    /* a key already present is replaced, as the old chained table shadowed
     * it (callers insert only after find failed) */
    memcpy(v, &f, sizeof f);
    return f;
}


static void list_unlink(sd_flowtab *t, sd_flow *f)
{
    uint8_t c = f->idle_class;
    if (c >= SD_IDLE_NCLASS)
        return;
    if (f->prev)
        f->prev->next = f->next;
    else
        t->head[c] = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else
        t->tail[c] = f->prev;
    f->prev = f->next = NULL;
    f->idle_class = SD_IDLE_NCLASS;
}

void sd_flow_free(sd_flowtab *t, sd_flow *f)
{
    sd_tcpgap_free(&f->t[0].gap);
    sd_tcpgap_free(&f->t[1].gap);
    free(f->t[0].holes);
    free(f->t[1].holes);
    sd_spare_put(&t->spare, f);
}

void sd_flowtab_remove(sd_flowtab *t, sd_flow *f)
{
    sd_flowkey k;
    sd_flowkey_of(f, &k);
    sd_flowtab_remove_keyed(t, f, &k);
}

#ifdef SD_DEBUG_INVARIANTS
static bool is_key_of(const sd_flow *f, const sd_flowkey *k)
{
    sd_flowkey own;
    sd_flowkey_of(f, &own);
    return memcmp(&own, k, sizeof own) == 0; /* both cleared before filled */
}
#endif

void sd_flowtab_remove_keyed(sd_flowtab *t, sd_flow *f, const sd_flowkey *k)
{
    SD_CHECK(assert(is_key_of(f, k)));
    list_unlink(t, f);
    packed_key pk;
    key_pack(k, &pk);
    sd_hmap *m = map_of(t, k);
    size_t at;
    sd_flow **v = sd_hmap_find_at(m, &pk, &at);
    if (v && *v == f) /* f only: the key may have been reused (see insert) */
        sd_hmap_remove_at(m, at);
    SD_CHECK(check(t, !v || *v == f));
}

void sd_flowtab_move(sd_flowtab *t, sd_flow *f, uint8_t cls)
{
    SD_CHECK(assert(cls < SD_IDLE_NCLASS));
    list_unlink(t, f);
    f->idle_class = cls;
    f->prev = t->tail[cls];
    f->next = NULL;
    if (t->tail[cls])
        t->tail[cls]->next = f;
    else
        t->head[cls] = f;
    t->tail[cls] = f;
    SD_CHECK(check(t, true));
}

sd_flow *sd_flowtab_oldest(sd_flowtab *t, uint8_t cls)
{
    return cls < SD_IDLE_NCLASS ? t->head[cls] : NULL;
}

sd_flow *sd_flowtab_any(sd_flowtab *t)
{
    for (int c = 0; c < SD_IDLE_NCLASS; c++)
        if (t->head[c])
            return t->head[c];
    return NULL;
}

size_t sd_flowtab_count(const sd_flowtab *t)
{
    return sd_hmap_count(t->flows4) + sd_hmap_count(t->flows);
}

void sd_flowtab_open(sd_flowtab *t, sd_flow *f)
{
    if (f->counted_open)
        return;
    f->counted_open = true;
    t->open_total++;
    void *n;
    sd_hmap_insert(t->hosts, &f->c.orig_h, &n); /* no cap: never refused */
    (*(uint32_t *)n)++;
}

uint32_t sd_flowtab_close(sd_flowtab *t, sd_flow *f)
{
    if (!f->counted_open)
        return 0;
    f->counted_open = false;
    t->open_total--;
    size_t at;
    uint32_t *n = sd_hmap_find_at(t->hosts, &f->c.orig_h, &at);
    SD_CHECK(assert(n && *n > 0)); /* an open flow's host is counted */
    uint32_t was = n ? *n : 0;
    if (n && --*n == 0)
        sd_hmap_remove_at(t->hosts, at);
    SD_CHECK(check(t, true));
    return was;
}

uint32_t sd_flowtab_open_total(const sd_flowtab *t)
{
    return t->open_total;
}

uint32_t sd_flowtab_open_host(const sd_flowtab *t, const sd_addr *h)
{
    const uint32_t *n = sd_hmap_find(t->hosts, h);
    return n ? *n : 0;
}
