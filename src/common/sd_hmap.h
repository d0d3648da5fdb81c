/* sd_hmap: a growing hash map with fixed-size byte keys and values, and
 * sd_hash_bytes, the one hash function for byte strings.
 *
 * Open addressing with linear probing over a power-of-two slot array; each
 * slot holds the key and the value inline, and its hash (folded to 32 bits)
 * sits in a parallel array that probes scan. The array doubles
 * when live entries plus tombstones pass 3/4 of it (and is rebuilt in place
 * when tombstones alone fill it), so insert, find and remove are amortised
 * O(1) whatever the number of entries: no input can make a lookup walk a
 * chain of every host it saw.
 *
 * An optional cap bounds the number of entries: an insert of a new key past
 * it is refused (SD_HMAP_FULL) and counted, so callers can report what input
 * they could not track instead of growing without limit.
 *
 * Keys are compared with memcmp over key_size bytes: a key struct with
 * padding must be zeroed before it is filled. Values are aligned to 8 bytes.
 * A value pointer stays valid until the next insert (which may move every
 * slot); removal never moves other entries, so removing the entry under an
 * iterator is allowed during iteration. */
#ifndef SD_HMAP_H
#define SD_HMAP_H

#include <stddef.h>
#include <stdint.h>

/* One hash for byte strings (keys of every table): 64-bit, mixes 8 bytes
 * per step, full avalanche at the end, so tables may use the low bits. */
uint64_t sd_hash_bytes(const void *p, size_t n);

typedef struct sd_hmap sd_hmap;

/* key_size > 0; val_size may be 0 (a set); cap 0 = no cap. */
sd_hmap *sd_hmap_new(size_t key_size, size_t val_size, size_t cap);
void sd_hmap_free(sd_hmap *m); /* NULL ok; values are not freed */
/* Keeps the map at most half full, tombstones included (live entries at
 * most a quarter after it grows), not three quarters: for a map looked up
 * on every packet whose entries churn (the flow table), where shorter probe
 * runs are worth twice the slots. Call before the first insert. */
void sd_hmap_sparse(sd_hmap *m);

typedef enum sd_hmap_res {
    SD_HMAP_FOUND = 0, /* the key was there: *val is its value */
    SD_HMAP_ADDED = 1, /* new key: *val is its value, zero-filled */
    SD_HMAP_FULL = 2,  /* new key refused by the cap: *val is NULL */
} sd_hmap_res;

/* Find-or-insert. val may be NULL when the caller wants no pointer. */
sd_hmap_res sd_hmap_insert(sd_hmap *m, const void *key, void **val);
/* For a map of key -> uint32_t index into a dense array the caller keeps:
 * the key's index in *idx; a new key gets next (the caller appends its
 * element there: ADDED). FULL when the cap refuses a new key. */
sd_hmap_res sd_hmap_index(sd_hmap *m, const void *key, uint32_t next, uint32_t *idx);
/* The key's value, or NULL. */
void *sd_hmap_find(const sd_hmap *m, const void *key);
/* A 16-byte key's tag (its hash, as every map of 16-byte keys makes it),
 * made where the key is (another thread), and the find that takes it: the
 * same answer as sd_hmap_find, without hashing. */
uint32_t sd_hmap_tag16(const void *key);
void *sd_hmap_find_tagged(const sd_hmap *m, const void *key, uint32_t tag);
/* Removes the key; copies its value to out (if not NULL) first. Returns
 * whether the key was there. */
int sd_hmap_remove(sd_hmap *m, const void *key, void *out);
/* A find that also gives the key's slot (SIZE_MAX when absent), and the
 * remove of that slot, with no insert or remove between the two: a caller
 * that looks at the value before it decides to remove (the flow table's
 * end of a connection) hashes and probes once, not twice. */
void *sd_hmap_find_at(const sd_hmap *m, const void *key, size_t *at);
void sd_hmap_remove_at(sd_hmap *m, size_t at);

size_t sd_hmap_count(const sd_hmap *m);
uint64_t sd_hmap_refused(const sd_hmap *m); /* inserts refused by the cap */
size_t sd_hmap_mem(const sd_hmap *m);       /* bytes of the slot and hash arrays */

/* Iteration in slot order (no meaningful order):
 *   sd_hmap_iter it = {0};
 *   while (sd_hmap_next(m, &it)) use(it.key, it.val);
 * Removing it.key inside the loop is allowed; inserting is not. */
typedef struct sd_hmap_iter {
    size_t i;        /* next slot to look at */
    const void *key; /* the current entry's key (inside the map) */
    void *val;       /* its value */
} sd_hmap_iter;
int sd_hmap_next(const sd_hmap *m, sd_hmap_iter *it);

#endif
