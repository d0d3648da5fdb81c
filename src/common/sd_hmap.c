/* sd_hmap: open addressing, linear probing (see sd_hmap.h).
 *
 * Each slot has a 32-bit tag, in an array of its own, and the key,
 * padding and the value in the slot array. Tag 0 is an empty slot, 1 a
 * tombstone (a removed entry a probe must walk past); a live entry's tag is
 * its hash folded to 32 bits (never 0 or 1), so most mismatches are
 * rejected without touching the key, and growing needs no rehash of the
 * keys: the tag also gives the home slot. The tags apart: a probe reads 16
 * of them per cache line, so a lookup of a key that is not there (a new
 * connection in a table of 100,000 ended ones) touches one line, not one
 * per slot, and a hit one more, its slot. */
#include "sd_hmap.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sd_common.h"

#define TAG_EMPTY 0u
#define TAG_TOMB 1u
#define MIN_SLOTS 16u

struct sd_hmap {
    uint32_t *tags;   /* nslots */
    uint8_t *slots;
    size_t nslots;    /* power of two */
    size_t count;     /* live entries */
    size_t tombs;     /* tombstones */
    size_t key_size, val_size;
    size_t val_off, slot_size;
    size_t cap;       /* 0 = none */
    bool sparse;      /* sd_hmap_sparse */
    uint64_t refused;
};

static inline uint64_t rotl64(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

/* MurmurHash3's 64-bit finaliser: every input bit affects every output bit. */
static inline uint64_t fmix64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

static inline uint64_t mix_word(uint64_t h, uint64_t w)
{
    w *= 0x87c37b91114253d5ULL;
    w = rotl64(w, 31);
    w *= 0x4cf5ad432745937fULL;
    h ^= w;
    return rotl64(h, 27) * 5 + 0x52dce729;
}

/* Inlined where the length is a constant (the flow table's 16-byte keys),
 * so the loop and the tail go away; the value is the same either way. */
static inline __attribute__((always_inline)) uint64_t hash_bytes(const void *p, size_t n)
{
    const uint8_t *b = p;
    size_t len = n;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (; n >= 8; n -= 8, b += 8) {
        uint64_t w;
        memcpy(&w, b, 8);
        h = mix_word(h, w);
    }
    if (n) {
        uint64_t w = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* The last 1-7 bytes as the word that ends the input, shifted down:
         * the same value as copying them into a cleared word. The copy of a
         * length not known here was a byte loop into the stack, and its
         * 8-byte load then waited for the stores to retire (a failed store
         * forward: ~60 % of the function's samples on the stream-number
         * memory's 42-byte keys, bench/README.md stop 37). */
        if (len >= 8) {
            memcpy(&w, b + n - 8, 8);
            w >>= 8 * (8 - n);
        } else
#endif
            memcpy(&w, b, n);
        h = mix_word(h, w);
    }
    return fmix64(h);
}

uint64_t sd_hash_bytes(const void *p, size_t n)
{
    return hash_bytes(p, n);
}

static size_t round8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

sd_hmap *sd_hmap_new(size_t key_size, size_t val_size, size_t cap)
{
    sd_hmap *m = sd_calloc(1, sizeof *m);
    m->key_size = key_size ? key_size : 1;
    m->val_size = val_size;
    m->val_off = round8(m->key_size);
    m->slot_size = round8(m->val_off + val_size);
    m->cap = cap;
    m->nslots = MIN_SLOTS;
    m->slots = sd_calloc(m->nslots, m->slot_size);
    m->tags = sd_calloc(m->nslots, sizeof *m->tags);
    return m;
}

void sd_hmap_sparse(sd_hmap *m)
{
    m->sparse = true;
}

void sd_hmap_free(sd_hmap *m)
{
    if (!m)
        return;
    free(m->tags);
    free(m->slots);
    free(m);
}

static inline uint8_t *slot_at(const sd_hmap *m, size_t i)
{
    return m->slots + i * m->slot_size;
}

static inline uint32_t slot_tag(const sd_hmap *m, size_t i)
{
    return m->tags[i];
}

static inline void set_tag(sd_hmap *m, size_t i, uint32_t t)
{
    m->tags[i] = t;
}

/* The flow table's IPv4 key (sd_flowtab.c): looked up on nearly every
 * packet, so hashing and comparing it get code of their own (two words,
 * no loop, no memcmp call). */
#define FAST_KEY 16u

static inline __attribute__((always_inline)) uint32_t tag_of(const void *key, size_t key_size)
{
    uint64_t h = hash_bytes(key, key_size);
    uint32_t t = (uint32_t)h ^ (uint32_t)(h >> 32);
    return t < 2 ? t + 2 : t;
}

/* The other size hashed per connection, given its constant so the word
 * loop and the tail's memcpy go away (75 instructions a key down to about
 * 30): the flow table's per-host open counts (sd_addr; another size only
 * takes the general path). */
#define ADDR_KEY sizeof(sd_addr)

static inline uint32_t key_tag(const sd_hmap *m, const void *key)
{
    switch (m->key_size) {
    case FAST_KEY: return tag_of(key, FAST_KEY);
    case ADDR_KEY: return tag_of(key, ADDR_KEY);
    default: return tag_of(key, m->key_size);
    }
}

static inline __attribute__((always_inline)) size_t find_in(const sd_hmap *m, const void *key, uint32_t tag,
                                                            size_t key_size)
{
    size_t mask = m->nslots - 1;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
        uint32_t t = slot_tag(m, i);
        if (t == TAG_EMPTY)
            return SIZE_MAX;
        if (t == tag && memcmp(slot_at(m, i), key, key_size) == 0)
            return i;
    }
}

/* The slot holding key, or SIZE_MAX. */
static size_t find_slot(const sd_hmap *m, const void *key, uint32_t tag)
{
    switch (m->key_size) {
    case FAST_KEY: return find_in(m, key, tag, FAST_KEY);
    case ADDR_KEY: return find_in(m, key, tag, ADDR_KEY);
    default: return find_in(m, key, tag, m->key_size);
    }
}

/* Moves every live entry into a fresh array of n slots (no tombstones). */
static void rebuild(sd_hmap *m, size_t n)
{
    uint8_t *old = m->slots;
    uint32_t *old_tags = m->tags;
    size_t oldn = m->nslots;
    m->slots = sd_calloc(n, m->slot_size);
    m->tags = sd_calloc(n, sizeof *m->tags);
    m->nslots = n;
    m->tombs = 0;
    for (size_t i = 0; i < oldn; i++) {
        uint32_t t = old_tags[i];
        if (t <= TAG_TOMB)
            continue;
        size_t j = t & (n - 1);
        while (slot_tag(m, j) != TAG_EMPTY)
            j = (j + 1) & (n - 1);
        set_tag(m, j, t);
        memcpy(slot_at(m, j), old + i * m->slot_size, m->slot_size);
    }
    free(old_tags);
    free(old);
}

/* Room for one more entry (true when the slots were rebuilt for it) at a load of at most 3/4 (tombstones count: they
 * lengthen probes). Doubles when live entries alone are over half the
 * slots, else only sweeps the tombstones out: a sweep leaves at least a
 * quarter of the slots to fill before the next, so rebuilds stay amortised
 * O(1). (Doubling already at 3/8 left a table of churning entries, such as
 * the 100,000 ended connections sd_streamno remembered in one, at a load of 19 %:
 * 42 MB of slots for 8 MB of entries, and 63 MB while it was rebuilt.) */
static bool reserve_one(sd_hmap *m)
{
    size_t used = m->count + m->tombs + 1;
    if (m->sparse ? used * 2 <= m->nslots : used * 4 <= m->nslots * 3)
        return false;
    /* n * 2 cannot overflow: n slots are allocated; calloc checks the bytes.
     * Sparse: the same amortisation at half the loads (a rebuild leaves at
     * least a quarter of the slots to fill before the next). */
    size_t n = m->nslots;
    if ((m->count + 1) * (m->sparse ? 4 : 2) > n)
        n *= 2;
    rebuild(m, n);
    return true;
}

/* One probe for an insert: the key's slot (SIZE_MAX if absent) and, in
 * *free_at, the first tombstone or the empty slot that ended the run (where
 * the key would go). */
static inline __attribute__((always_inline)) size_t probe_in(const sd_hmap *m, const void *key, uint32_t tag,
                                                             size_t key_size, size_t *free_at)
{
    size_t mask = m->nslots - 1, tomb = SIZE_MAX;
    for (size_t i = tag & mask;; i = (i + 1) & mask) {
        uint32_t t = slot_tag(m, i);
        if (t == TAG_EMPTY) {
            *free_at = tomb == SIZE_MAX ? i : tomb;
            return SIZE_MAX;
        }
        if (t == TAG_TOMB) {
            if (tomb == SIZE_MAX)
                tomb = i;
        } else if (t == tag && memcmp(slot_at(m, i), key, key_size) == 0) {
            return i;
        }
    }
}

sd_hmap_res sd_hmap_insert(sd_hmap *m, const void *key, void **val)
{
    uint32_t tag = key_tag(m, key);
    size_t free_at = SIZE_MAX; /* set by probe_in when the key is absent */
    size_t i = m->key_size == FAST_KEY ? probe_in(m, key, tag, FAST_KEY, &free_at)
                                       : probe_in(m, key, tag, m->key_size, &free_at);
    if (i != SIZE_MAX) {
        if (val)
            *val = slot_at(m, i) + m->val_off;
        return SD_HMAP_FOUND;
    }
    if (m->cap && m->count >= m->cap) {
        m->refused++;
        if (val)
            *val = NULL;
        return SD_HMAP_FULL;
    }
    if (reserve_one(m)) { /* a new array: the key's place in it */
        size_t mask = m->nslots - 1;
        for (free_at = tag & mask; slot_tag(m, free_at) > TAG_TOMB; free_at = (free_at + 1) & mask)
            ;
    }
    uint8_t *s = slot_at(m, free_at);
    if (slot_tag(m, free_at) == TAG_TOMB)
        m->tombs--;
    set_tag(m, free_at, tag);
    memcpy(s, key, m->key_size);
    memset(s + m->val_off, 0, m->val_size);
    m->count++;
    if (val)
        *val = s + m->val_off;
    return SD_HMAP_ADDED;
}

void *sd_hmap_find(const sd_hmap *m, const void *key)
{
    /* the per-packet lookup: all of it inlined for the fast key */
    size_t i = m->key_size == FAST_KEY ? find_in(m, key, tag_of(key, FAST_KEY), FAST_KEY)
                                       : find_slot(m, key, key_tag(m, key));
    return i == SIZE_MAX ? NULL : slot_at(m, i) + m->val_off;
}

uint32_t sd_hmap_tag16(const void *key)
{
    return tag_of(key, FAST_KEY);
}

void *sd_hmap_find_tagged(const sd_hmap *m, const void *key, uint32_t tag)
{
    SD_CHECK(assert(m->key_size == FAST_KEY && tag == tag_of(key, FAST_KEY)));
    size_t i = find_in(m, key, tag, FAST_KEY);
    return i == SIZE_MAX ? NULL : slot_at(m, i) + m->val_off;
}

void *sd_hmap_find_at(const sd_hmap *m, const void *key, size_t *at)
{
    size_t i = find_slot(m, key, key_tag(m, key));
    *at = i;
    return i == SIZE_MAX ? NULL : slot_at(m, i) + m->val_off;
}

void sd_hmap_remove_at(sd_hmap *m, size_t i)
{
    SD_CHECK(assert(i < m->nslots && slot_tag(m, i) > TAG_TOMB));
    m->count--;
    size_t mask = m->nslots - 1;
    if (slot_tag(m, (i + 1) & mask) != TAG_EMPTY) {
        set_tag(m, i, TAG_TOMB); /* a probe may pass through here */
        m->tombs++;
        return;
    }
    /* the run ends here: no probe needs this slot or the tombstones just
     * before it, so they become empty (keeps churn from piling up
     * tombstones); nothing moves, so iterators stay valid */
    set_tag(m, i, TAG_EMPTY);
    for (size_t j = (i - 1) & mask; slot_tag(m, j) == TAG_TOMB; j = (j - 1) & mask) {
        set_tag(m, j, TAG_EMPTY);
        m->tombs--;
    }
}

int sd_hmap_remove(sd_hmap *m, const void *key, void *out)
{
    size_t i;
    void *v = sd_hmap_find_at(m, key, &i);
    if (!v)
        return 0;
    if (out)
        memcpy(out, v, m->val_size);
    sd_hmap_remove_at(m, i);
    return 1;
}

size_t sd_hmap_count(const sd_hmap *m)
{
    return m->count;
}

uint64_t sd_hmap_refused(const sd_hmap *m)
{
    return m->refused;
}

size_t sd_hmap_mem(const sd_hmap *m)
{
    return m->nslots * (m->slot_size + sizeof *m->tags);
}

int sd_hmap_next(const sd_hmap *m, sd_hmap_iter *it)
{
    for (; it->i < m->nslots; it->i++) {
        uint8_t *s = slot_at(m, it->i);
        if (slot_tag(m, it->i) > TAG_TOMB) {
            it->key = s;
            it->val = s + m->val_off;
            it->i++;
            return 1;
        }
    }
    return 0;
}

sd_hmap_res sd_hmap_index(sd_hmap *m, const void *key, uint32_t next, uint32_t *idx)
{
    void *v;
    sd_hmap_res r = sd_hmap_insert(m, key, &v);
    if (r == SD_HMAP_ADDED)
        memcpy(v, &next, sizeof next);
    if (r != SD_HMAP_FULL)
        memcpy(idx, v, sizeof *idx);
    return r;
}
