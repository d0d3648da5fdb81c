#include "sd_flowtab.h"

#include <stdlib.h>
#include <string.h>

typedef struct host_count {
    sd_addr h;
    uint32_t n;
    struct host_count *next;
} host_count;

struct sd_flowtab {
    sd_flow **bucket;
    size_t nbucket; /* power of two */
    size_t count;
    sd_flow *head[SD_IDLE_NCLASS], *tail[SD_IDLE_NCLASS];
    host_count **hosts;
    size_t nhosts_bucket;
    uint32_t open_total;
};

/* FNV-1a over the key fields: cheap, and good enough when followed by the
 * final avalanche (keys differ mostly in low address and port bytes). */
static uint32_t mix(uint32_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static uint32_t fin(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static uint32_t key_hash(const sd_flowkey *k)
{
    uint32_t h = 2166136261u;
    size_t alen = k->a.fam == 6 ? 16 : 4;
    h = mix(h, &k->proto, 1);
    h = mix(h, &k->vlan, 2);
    h = mix(h, k->a.a, alen);
    h = mix(h, k->b.a, alen);
    h = mix(h, &k->pa, 2);
    h = mix(h, &k->pb, 2);
    return fin(h);
}

static uint32_t addr_hash(const sd_addr *a)
{
    return fin(mix(2166136261u, a->a, a->fam == 6 ? 16 : 4));
}

sd_flowtab *sd_flowtab_new(void)
{
    sd_flowtab *t = sd_calloc(1, sizeof *t);
    t->nbucket = 1024;
    t->bucket = sd_calloc(t->nbucket, sizeof *t->bucket);
    t->nhosts_bucket = 1024;
    t->hosts = sd_calloc(t->nhosts_bucket, sizeof *t->hosts);
    return t;
}

void sd_flowtab_free(sd_flowtab *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nhosts_bucket; i++) {
        host_count *h = t->hosts[i];
        while (h) {
            host_count *n = h->next;
            free(h);
            h = n;
        }
    }
    free(t->hosts);
    free(t->bucket);
    free(t);
}

static int ep_cmp(const sd_addr *a, uint16_t pa, const sd_addr *b, uint16_t pb)
{
    int c = sd_addr_cmp(a, b);
    if (c)
        return c;
    return pa < pb ? -1 : pa > pb;
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

static bool flow_has_key(const sd_flow *f, const sd_flowkey *k)
{
    const sd_conn *c = &f->c;
    if (c->ipproto != k->proto || c->vlan != k->vlan)
        return false;
    if (sd_addr_cmp(&c->orig_h, &k->a) == 0 && c->orig_p == k->pa &&
        sd_addr_cmp(&c->resp_h, &k->b) == 0 && c->resp_p == k->pb)
        return true;
    return sd_addr_cmp(&c->orig_h, &k->b) == 0 && c->orig_p == k->pb &&
           sd_addr_cmp(&c->resp_h, &k->a) == 0 && c->resp_p == k->pa;
}

sd_flow *sd_flowtab_find(sd_flowtab *t, const sd_flowkey *k)
{
    uint32_t h = key_hash(k);
    for (sd_flow *f = t->bucket[h & (t->nbucket - 1)]; f; f = f->hnext)
        if (f->hash == h && flow_has_key(f, k))
            return f;
    return NULL;
}

static void grow(sd_flowtab *t)
{
    size_t n = t->nbucket * 2;
    sd_flow **b = sd_calloc(n, sizeof *b);
    for (size_t i = 0; i < t->nbucket; i++) {
        sd_flow *f = t->bucket[i];
        while (f) {
            sd_flow *next = f->hnext;
            f->hnext = b[f->hash & (n - 1)];
            b[f->hash & (n - 1)] = f;
            f = next;
        }
    }
    free(t->bucket);
    t->bucket = b;
    t->nbucket = n;
}

sd_flow *sd_flowtab_insert(sd_flowtab *t, const sd_flowkey *k)
{
    if (t->count >= t->nbucket)
        grow(t);
    sd_flow *f = sd_calloc(1, sizeof *f);
    f->hash = key_hash(k);
    f->c.ipproto = k->proto;
    f->c.vlan = k->vlan;
    f->idle_class = SD_IDLE_NCLASS; /* not on a list yet */
    size_t i = f->hash & (t->nbucket - 1);
    f->hnext = t->bucket[i];
    t->bucket[i] = f;
    t->count++;
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

void sd_flowtab_remove(sd_flowtab *t, sd_flow *f)
{
    list_unlink(t, f);
    sd_flow **pp = &t->bucket[f->hash & (t->nbucket - 1)];
    while (*pp && *pp != f)
        pp = &(*pp)->hnext;
    if (*pp) {
        *pp = f->hnext;
        t->count--;
    }
}

void sd_flowtab_touch(sd_flowtab *t, sd_flow *f, uint8_t cls, sd_ts ts)
{
    /* a packet earlier than the last one (unsorted capture) must not make
     * the list unordered: keep the later time */
    if (ts > f->last_seen)
        f->last_seen = ts;
    if (f->idle_class == cls && t->tail[cls] == f)
        return;
    list_unlink(t, f);
    f->idle_class = cls;
    f->prev = t->tail[cls];
    f->next = NULL;
    if (t->tail[cls])
        t->tail[cls]->next = f;
    else
        t->head[cls] = f;
    t->tail[cls] = f;
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
    return t->count;
}

static host_count **host_slot(sd_flowtab *t, const sd_addr *h)
{
    host_count **pp = &t->hosts[addr_hash(h) & (t->nhosts_bucket - 1)];
    while (*pp && sd_addr_cmp(&(*pp)->h, h) != 0)
        pp = &(*pp)->next;
    return pp;
}

void sd_flowtab_open(sd_flowtab *t, sd_flow *f)
{
    if (f->counted_open)
        return;
    f->counted_open = true;
    t->open_total++;
    host_count **pp = host_slot(t, &f->c.orig_h);
    if (!*pp) {
        *pp = sd_calloc(1, sizeof **pp);
        (*pp)->h = f->c.orig_h;
    }
    (*pp)->n++;
}

void sd_flowtab_close(sd_flowtab *t, sd_flow *f)
{
    if (!f->counted_open)
        return;
    f->counted_open = false;
    t->open_total--;
    host_count **pp = host_slot(t, &f->c.orig_h);
    if (*pp && --(*pp)->n == 0) {
        host_count *dead = *pp;
        *pp = dead->next;
        free(dead);
    }
}

uint32_t sd_flowtab_open_total(const sd_flowtab *t)
{
    return t->open_total;
}

uint32_t sd_flowtab_open_host(const sd_flowtab *t, const sd_addr *h)
{
    host_count *const *pp = &t->hosts[addr_hash(h) & (t->nhosts_bucket - 1)];
    for (const host_count *c = *pp; c; c = c->next)
        if (sd_addr_cmp(&c->h, h) == 0)
            return c->n;
    return 0;
}
