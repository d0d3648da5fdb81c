/* sd_streamno: Wireshark's stream numbers (see the header for the rule).
 *
 * The memory of ended pairs is reached about three times a connection at
 * random (a new flow's look-up, an end's insert, and the forgetting of the
 * pair that ended longest ago), so it is laid out for the cache:
 * - the ended pairs themselves sit in a ring in the order they ended, one
 *   64-byte line each (the key, the conversation and the key's tag): an end
 *   writes the next line, so the ring is written in order, never at random;
 * - a small open-addressing index maps a key's tag to its ring slot, 8
 *   bytes a slot at a load of at most 1/2 (1 MiB for the default 65,536
 *   pairs): the random accesses touch one index line each, and a ring line
 *   only where the tag matches (a pair that is really there).
 * A general sd_hmap with the key and the value in each slot was 262,144
 * slots of 80 bytes (21 MB) at the default cap, missed the cache on every
 * access, and was ~11 % of the engine thread's time on brute force
 * (bench/README.md, stop 35). Removal shifts the run back (no tombstones),
 * so probes stay short however the pairs churn. */
#include "sd_streamno.h"

#include "../common/sd_common.h"
#include "../common/sd_hmap.h"
#include "sd_flowtab.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Ended pairs remembered by default: as many as the default flow table holds
 * live flows (SD_ENGINE_MAX_FLOWS_DEFAULT), 64 bytes each in the ring and 16
 * in the index at its fullest. */
#define STREAMNO_CAP_DEFAULT 65536u
/* The index's first size (slots, a power of two): it doubles as pairs are
 * remembered, so a short capture does not pay for the cap. */
#define INDEX_MIN_SLOTS 256u
/* The ring's first size (pairs); it doubles up to the cap. */
#define RING_MIN 256u

/* One ended pair: one cache line. tag 0 = the slot is free (never
 * written, or its pair was taken back by a new flow). */
typedef struct ended {
    sd_flowkey key;      /* 42 bytes */
    uint8_t base_set[2]; /* sd_wsconv's, packed into the key's tail */
    uint32_t tag;        /* the key's hash, never 0 */
    uint32_t base[2];
    uint64_t stream;
} ended;
_Static_assert(sizeof(ended) == 64, "an ended pair is one cache line");
#define LINE 64u

/* An index slot: a live pair's tag and its ring slot; tag 0 = empty. */
typedef struct islot {
    uint32_t tag;
    uint32_t at;
} islot;

struct sd_streamno {
    ended *ring;       /* ring_n slots, in the order the pairs ended, line-aligned */
    void *ring_mem;    /* the ring's allocation (one line more, for the alignment) */
    size_t ring_n;     /* allocated; grows to cap */
    size_t cap;
    islot *index;      /* nslots, a power of two */
    size_t nslots;
    size_t count;      /* live pairs */
    uint64_t gen;      /* pairs put in the ring so far */
    uint64_t next[2];  /* next stream: tcp, udp (and other IP protocols) */
    uint64_t forgotten;
};

sd_streamno *sd_streamno_new(size_t cap)
{
    sd_streamno *t = sd_calloc(1, sizeof *t);
    t->cap = cap ? cap : STREAMNO_CAP_DEFAULT;
    if (t->cap > UINT32_MAX)
        t->cap = UINT32_MAX; /* an index slot holds a 32-bit ring slot */
    t->nslots = INDEX_MIN_SLOTS;
    t->index = sd_calloc(t->nslots, sizeof *t->index);
    return t;
}

void sd_streamno_free(sd_streamno *t)
{
    if (!t)
        return;
    free(t->index);
    free(t->ring_mem);
    free(t);
}

static uint32_t key_tag(const sd_flowkey *key)
{
    uint64_t h = sd_hash_bytes(key, sizeof *key);
    uint32_t tag = (uint32_t)h ^ (uint32_t)(h >> 32);
    return tag ? tag : 1;
}

static void index_put(sd_streamno *t, uint32_t tag, uint32_t at)
{
    size_t mask = t->nslots - 1, i = tag & mask;
    while (t->index[i].tag)
        i = (i + 1) & mask;
    t->index[i] = (islot){ tag, at };
}

/* Empties index slot i and shifts the run after it back over the hole
 * (linear probing's deletion): every entry stays reachable from its home
 * slot without tombstones. */
static void index_del(sd_streamno *t, size_t i)
{
    size_t mask = t->nslots - 1;
    for (size_t j = (i + 1) & mask; t->index[j].tag; j = (j + 1) & mask) {
        size_t home = t->index[j].tag & mask;
        /* j's entry may fill the hole at i unless its home lies in (i, j] */
        bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
        if (stays)
            continue;
        t->index[i] = t->index[j];
        i = j;
    }
    t->index[i].tag = 0;
}

/* The index slot of the live pair under key (its tag given), or SIZE_MAX. */
static size_t index_find(const sd_streamno *t, const sd_flowkey *key, uint32_t tag)
{
    size_t mask = t->nslots - 1;
    for (size_t i = tag & mask; t->index[i].tag; i = (i + 1) & mask)
        if (t->index[i].tag == tag && memcmp(&t->ring[t->index[i].at].key, key, sizeof *key) == 0)
            return i;
    return SIZE_MAX;
}

/* Room for one more pair at a load of at most 1/2: doubles the index and
 * puts the ring's live pairs back in it. Doublings are at most log2 of the
 * cap in a run, each over at most cap ring slots. */
static void index_reserve(sd_streamno *t)
{
    if ((t->count + 1) * 2 <= t->nslots)
        return;
    free(t->index);
    t->nslots *= 2;
    t->index = sd_calloc(t->nslots, sizeof *t->index);
    size_t used = t->gen < t->cap ? (size_t)t->gen : t->cap;
    for (size_t at = 0; at < used; at++)
        if (t->ring[at].tag)
            index_put(t, t->ring[at].tag, (uint32_t)at);
}

bool sd_streamno_splits(const sd_wsconv *w, const sd_pkt *p, int side)
{
    return p->l4 == SD_L4_TCP && (p->flags & (SD_TH_SYN | SD_TH_ACK)) == SD_TH_SYN && w->base_set[side] &&
           p->seq != w->base[side];
}

void sd_streamno_begin(sd_streamno *t, const struct sd_flowkey *key, const sd_pkt *p, int side, sd_wsconv *out)
{
    uint32_t tag = key_tag(key);
    size_t i = t->count ? index_find(t, key, tag) : SIZE_MAX;
    if (i != SIZE_MAX) {
        ended *e = &t->ring[t->index[i].at];
        sd_wsconv prev = { .stream = e->stream,
                           .base = { e->base[0], e->base[1] },
                           .base_set = { e->base_set[0], e->base_set[1] } };
        e->tag = 0; /* taken back */
        index_del(t, i);
        t->count--;
        if (!sd_streamno_splits(&prev, p, side)) {
            *out = prev; /* the same Wireshark conversation goes on */
            out->tag = tag;
            return;
        }
    }
    memset(out, 0, sizeof *out);
    out->stream = t->next[p->l4 != SD_L4_TCP]++;
    out->tag = tag;
}

void sd_streamno_packet(sd_wsconv *w, const sd_pkt *p, int side)
{
    if (w->base_set[side] || p->l4 != SD_L4_TCP)
        return;
    w->base[side] = p->flags & SD_TH_SYN ? p->seq : p->seq - 1;
    w->base_set[side] = true;
}

/* Forgets the live pair in ring slot at (the oldest, its slot wanted). */
static void forget(sd_streamno *t, size_t at)
{
    size_t mask = t->nslots - 1, i = t->ring[at].tag & mask;
    while (t->index[i].at != at || !t->index[i].tag)
        i = (i + 1) & mask;
    index_del(t, i);
    t->ring[at].tag = 0;
    t->count--;
    t->forgotten++;
}

/* The ring slot for the next pair, grown while the ring is short of the cap. */
static size_t ring_slot(sd_streamno *t)
{
    size_t slot = (size_t)(t->gen % t->cap);
    if (slot >= t->ring_n) { /* only while gen < cap: slot == gen */
        size_t n = t->ring_n ? t->ring_n * 2 : RING_MIN;
        if (n > t->cap)
            n = t->cap;
        void *mem = sd_calloc(n + 1, sizeof *t->ring);
        ended *ring = (ended *)(((uintptr_t)mem + LINE - 1) & ~(uintptr_t)(LINE - 1));
        if (t->ring_n)
            memcpy(ring, t->ring, t->ring_n * sizeof *ring);
        free(t->ring_mem);
        t->ring_mem = mem, t->ring = ring, t->ring_n = n;
    }
    return slot;
}

void sd_streamno_end(sd_streamno *t, const struct sd_flowkey *key, const sd_wsconv *w)
{
    size_t slot = ring_slot(t);
    if (t->ring[slot].tag) /* full: forget the pair that ended longest ago */
        forget(t, slot);
    uint32_t tag = w->tag;
    SD_CHECK(assert(tag == key_tag(key)));
    size_t old = index_find(t, key, tag);
    if (old != SIZE_MAX) { /* the key ended before and was not taken back: the newer end wins */
        t->ring[t->index[old].at].tag = 0;
        index_del(t, old);
        t->count--;
    }
    index_reserve(t);
    ended *e = &t->ring[slot];
    e->key = *key;
    e->tag = tag;
    e->stream = w->stream;
    e->base[0] = w->base[0], e->base[1] = w->base[1];
    e->base_set[0] = w->base_set[0], e->base_set[1] = w->base_set[1];
    index_put(t, tag, (uint32_t)slot);
    t->count++;
    t->gen++;
}

uint64_t sd_streamno_forgotten(const sd_streamno *t)
{
    return t->forgotten;
}
