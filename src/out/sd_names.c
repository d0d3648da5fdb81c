#include "sd_names.h"

#include "../common/sd_common.h"
#include "../common/sd_hmap.h"

#include <stdlib.h>
#include <string.h>

#define NAMES_MAX 65536             /* names held before the unused are forgotten */
#define BLOOM_BITS ((size_t)1 << 23) /* 1 MiB: ~3 % false positives at 1 M names */

/* The value of a name hash in the table. */
typedef struct name_use {
    uint32_t count; /* files made with this name */
    uint32_t live;  /* of them, not closed yet */
} name_use;

struct sd_names {
    sd_hmap *t;     /* name hash (uint64_t) -> name_use */
    size_t max;
    sd_filesink *sink;
    bool on_disk;
    bool forgot;    /* names were forgotten: the Bloom filter and directory know them */
    uint8_t *bloom; /* BLOOM_BITS bits, once something is forgotten */
};

/* Appends s to the name at o, up to end (the last byte, kept for the NUL):
 * snprintf's cut, without snprintf (two names a file). */
static char *cat_cut(char *o, char *end, const char *s)
{
    size_t n = SD_MIN(strlen(s), (size_t)(end - o));
    memcpy(o, s, n);
    return o + n;
}

static uint64_t hash_key(const char *base, const char *ext)
{
    char key[SD_SINK_NAME_MAX];
    char *end = key + sizeof key - 1, *o = cat_cut(cat_cut(key, end, base), end, ext);
    return sd_hash_bytes(key, (size_t)(o - key));
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

/* Forgets the names no open file has, once the sink wrote every closed
 * file (so the directory has them). */
static void forget(sd_names *nm)
{
    sd_filesink_sync(nm->sink);
    if (!nm->bloom)
        nm->bloom = sd_calloc(BLOOM_BITS / 8, 1);
    nm->forgot = true;
    sd_hmap_iter it = { 0 };
    while (sd_hmap_next(nm->t, &it)) {
        const name_use *u = it.val;
        if (!u->live) {
            uint64_t h;
            memcpy(&h, it.key, sizeof h);
            bloom_add(nm, h);
            sd_hmap_remove(nm->t, &h, NULL); /* allowed under the iterator */
        }
    }
    /* names in use alone near the limit: more room rather than a
     * forget at every new name */
    if (sd_hmap_count(nm->t) * 2 > nm->max)
        nm->max = sd_hmap_count(nm->t) * 2;
}

static void make_name(char *name, size_t len, const char *base, const char *ext, uint32_t n)
{
    if (!len)
        return;
    char *end = name + len - 1, *o = cat_cut(name, end, base);
    if (n) {
        char num[16] = "c";
        *sd_put_u64(num + 1, n) = '\0';
        o = cat_cut(o, end, num);
    }
    *cat_cut(o, end, ext) = '\0';
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
    name_use *u = sd_hmap_find(nm->t, &h);
    if (!u) {
        if (nm->on_disk && sd_hmap_count(nm->t) >= nm->max)
            forget(nm);
        void *v;
        sd_hmap_insert(nm->t, &h, &v);
        u = v;
        u->count = nm->forgot && bloom_has(nm, h) ? count_on_disk(nm, base, ext) : 0;
    }
    make_name(name, len, base, ext, u->count);
    u->count++;
    u->live++;
    return h;
}

void sd_names_release(sd_names *nm, uint64_t h)
{
    name_use *u = sd_hmap_find(nm->t, &h);
    if (u && u->live)
        u->live--;
}

sd_names *sd_names_new(sd_filesink *sink, bool on_disk, size_t max)
{
    sd_names *nm = sd_calloc(1, sizeof *nm);
    nm->t = sd_hmap_new(sizeof(uint64_t), sizeof(name_use), 0);
    nm->sink = sink;
    nm->on_disk = on_disk;
    nm->max = max ? max : NAMES_MAX;
    return nm;
}

void sd_names_free(sd_names *nm)
{
    if (!nm)
        return;
    sd_hmap_free(nm->t);
    free(nm->bloom);
    free(nm);
}
