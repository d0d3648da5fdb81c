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
 * The ring is made of fixed blocks, each allocated when the ring first
 * reaches it and never moved: a ring that doubled (each time a new
 * allocation, cleared, and a copy of the old one) wrote every pair ~3 times
 * and touched ~2.2x its pages before the cap (issue #11, bench/README.md
 * stops 41-42: ~100 instructions a connection of b10k); the
 * index, when it doubles, is refilled from the old index (8 bytes a
 * pair), not from the ring's lines.
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
/* Pairs in a ring block (64 KiB): a short capture allocates one; the
 * default cap is 64 of them. */
#define RING_BLOCK 1024u

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
    ended **blk;       /* the ring's blocks, in the order the pairs ended; line-aligned */
    size_t nblk;       /* blocks allocated (the ring's first nblk * RING_BLOCK slots) */
    size_t blk_cap;    /* room in blk */
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
    for (size_t b = 0; b < t->nblk; b++)
        free(t->blk[b]);
    free(t->blk);
    free(t);
}

/* Ring slot at (allocated). */
static ended *ring_at(const sd_streamno *t, size_t at)
{
    return &t->blk[at / RING_BLOCK][at % RING_BLOCK];
}

size_t sd_streamno_bytes(const sd_streamno *t)
{
    size_t ring = t->nblk ? (t->nblk - 1) * RING_BLOCK + SD_MIN(RING_BLOCK, t->cap - (t->nblk - 1) * RING_BLOCK) : 0;
    return ring * sizeof(ended) + t->blk_cap * sizeof *t->blk + t->nslots * sizeof *t->index;
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
        if (t->index[i].tag == tag && memcmp(&ring_at(t, t->index[i].at)->key, key, sizeof *key) == 0)
            return i;
    return SIZE_MAX;
}

/* Room for one more pair at a load of at most 1/2: doubles the index and
 * puts the old index's entries in it (8 bytes each: the ring's lines are
 * not read). Doublings are at most log2 of the cap in a run. */
static void index_reserve(sd_streamno *t)
{
    if ((t->count + 1) * 2 <= t->nslots)
        return;
    islot *old = t->index;
    size_t n = t->nslots;
    t->nslots *= 2;
    t->index = sd_calloc(t->nslots, sizeof *t->index);
    for (size_t i = 0; i < n; i++)
        if (old[i].tag)
            index_put(t, old[i].tag, old[i].at);
    free(old);
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
        ended *e = ring_at(t, t->index[i].at);
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
    size_t mask = t->nslots - 1, i = ring_at(t, at)->tag & mask;
    while (t->index[i].at != at || !t->index[i].tag)
        i = (i + 1) & mask;
    index_del(t, i);
    ring_at(t, at)->tag = 0;
    t->count--;
    t->forgotten++;
}

/* A ring block of n pairs on whole lines (a pair is one line); unaligned
 * only when the aligned allocation fails (sd_malloc then says it). */
static ended *block_new(size_t n)
{
    void *b = NULL;
    if (posix_memalign(&b, LINE, n * sizeof(ended)) != 0)
        b = sd_malloc(n * sizeof(ended));
    return b;
}

/* The ring slot for the next pair; its block is allocated when the ring
 * first reaches it (only while gen < cap). Not cleared: a slot is read
 * only once written (the index points at written slots; the check for a
 * pair to forget waits for the ring to come round). */
static size_t ring_slot(sd_streamno *t)
{
    size_t slot = (size_t)(t->gen % t->cap), b = slot / RING_BLOCK;
    if (b >= t->nblk) { /* slot == gen: the ring is filled in order */
        if (t->nblk == t->blk_cap) {
            t->blk_cap = t->blk_cap ? t->blk_cap * 2 : 1;
            t->blk = sd_reallocarray(t->blk, t->blk_cap, sizeof *t->blk);
        }
        size_t n = SD_MIN(RING_BLOCK, t->cap - slot);
        t->blk[t->nblk++] = block_new(n);
    }
    return slot;
}

void sd_streamno_end(sd_streamno *t, const struct sd_flowkey *key, const sd_wsconv *w)
{
    size_t slot = ring_slot(t);
    if (t->gen >= t->cap && ring_at(t, slot)->tag) /* full: forget the pair that ended longest ago */
        forget(t, slot);
    uint32_t tag = w->tag;
    SD_CHECK(assert(tag == key_tag(key)));
    size_t old = index_find(t, key, tag);
    if (old != SIZE_MAX) { /* the key ended before and was not taken back: the newer end wins */
        ring_at(t, t->index[old].at)->tag = 0;
        index_del(t, old);
        t->count--;
    }
    index_reserve(t);
    ended *e = ring_at(t, slot);
    /* all 42 bytes, padding too (the block is not cleared): index_find compares them */
    memcpy(&e->key, key, sizeof *key);
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
