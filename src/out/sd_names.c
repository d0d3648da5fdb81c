#include "sd_names.h"

#include "../common/sd_common.h"

#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 65536             /* names held before the unused are forgotten */
#define BLOOM_BITS ((size_t)1 << 23) /* 1 MiB: ~3 % false positives at 1 M names */

typedef struct name_ent {
    uint64_t h;     /* 0 = empty */
    uint32_t count; /* files made with this name */
    uint32_t live;  /* of them, not closed yet */
} name_ent;

struct sd_names {
    name_ent *t;
    size_t cap, n, max;
    sd_filesink *sink;
    bool on_disk;
    bool forgot;    /* names were forgotten: the Bloom filter and directory know them */
    uint8_t *bloom; /* BLOOM_BITS bits, once something is forgotten */
};

static uint64_t hash_key(const char *base, const char *ext)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a, then a final mix */
    for (const char *s = base; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    for (const char *s = ext; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

/* Bit i (0..2) of h in the Bloom filter: double hashing. */
static size_t bloom_bit(uint64_t h, int i)
{
    return (size_t)((h + (uint64_t)i * ((h >> 32) | 1)) & (BLOOM_BITS - 1));
}

static void bloom_add(sd_names *nm, uint64_t h)
{
    for (int i = 0; i < 3; i++) {
        size_t b = bloom_bit(h, i);
        nm->bloom[b >> 3] |= (uint8_t)(1u << (b & 7));
    }
}

static bool bloom_has(const sd_names *nm, uint64_t h)
{
    for (int i = 0; i < 3; i++) {
        size_t b = bloom_bit(h, i);
        if (!(nm->bloom[b >> 3] & (1u << (b & 7))))
            return false;
    }
    return true;
}

/* h's slot: its entry, or the empty slot where it goes. */
static name_ent *slot(const sd_names *nm, uint64_t h)
{
    size_t j = h & (nm->cap - 1);
    while (nm->t[j].h && nm->t[j].h != h)
        j = (j + 1) & (nm->cap - 1);
    return &nm->t[j];
}

/* Rebuilds the table with ncap slots, keeping every entry (all) or only
 * the names in use; the others go to the Bloom filter. */
static void rebuild(sd_names *nm, size_t ncap, bool all)
{
    name_ent *old = nm->t;
    size_t ocap = nm->cap;
    nm->t = sd_calloc(ncap, sizeof *nm->t);
    nm->cap = ncap;
    nm->n = 0;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].h)
            continue;
        if (all || old[i].live) {
            *slot(nm, old[i].h) = old[i];
            nm->n++;
        } else
            bloom_add(nm, old[i].h);
    }
    free(old);
}

/* Forgets the names no open file has, once the sink wrote every closed
 * file (so the directory has them). */
static void forget(sd_names *nm)
{
    sd_filesink_sync(nm->sink);
    if (!nm->bloom)
        nm->bloom = sd_calloc(BLOOM_BITS / 8, 1);
    nm->forgot = true;
    rebuild(nm, nm->cap, false);
    /* names in use alone near the limit: more room rather than a
     * forget at every new name */
    if (nm->n * 2 > nm->max)
        nm->max = nm->n * 2;
}

static void make_name(char *name, size_t len, const char *base, const char *ext, uint32_t n)
{
    if (n)
        snprintf(name, len, "%sc%u%s", base, n, ext);
    else
        snprintf(name, len, "%s%s", base, ext);
}

/* Files of a forgotten name: the numbers the directory has, from 0 up. */
static uint32_t count_on_disk(sd_names *nm, const char *base, const char *ext)
{
    char name[SD_SINK_NAME_MAX];
    uint32_t n = 0;
    for (;; n++) {
        make_name(name, sizeof name, base, ext, n);
        if (!sd_filesink_exists(nm->sink, name))
            return n;
    }
}

uint64_t sd_names_take(sd_names *nm, const char *base, const char *ext, char *name, size_t len)
{
    uint64_t h = hash_key(base, ext);
    name_ent *e = nm->cap ? slot(nm, h) : NULL;
    if (!e || !e->h) {
        if (nm->on_disk && nm->n >= nm->max)
            forget(nm);
        if ((nm->n + 1) * 2 > nm->cap)
            rebuild(nm, nm->cap ? nm->cap * 2 : 1024, true);
        e = slot(nm, h);
        e->h = h;
        e->count = nm->forgot && bloom_has(nm, h) ? count_on_disk(nm, base, ext) : 0;
        nm->n++;
    }
    make_name(name, len, base, ext, e->count);
    e->count++;
    e->live++;
    return h;
}

void sd_names_release(sd_names *nm, uint64_t h)
{
    if (!nm->cap)
        return;
    name_ent *e = slot(nm, h);
    if (e->h && e->live)
        e->live--;
}

sd_names *sd_names_new(sd_filesink *sink, bool on_disk, size_t max)
{
    sd_names *nm = sd_calloc(1, sizeof *nm);
    nm->sink = sink;
    nm->on_disk = on_disk;
    nm->max = max ? max : NAMES_MAX;
    return nm;
}

void sd_names_free(sd_names *nm)
{
    if (!nm)
        return;
    free(nm->t);
    free(nm->bloom);
    free(nm);
}
