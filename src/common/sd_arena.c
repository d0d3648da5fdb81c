/* sd_arena: see sd_arena.h. */
#include "sd_arena.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sd_common.h"

#ifdef SD_ASAN
#define ARENA_ASAN 1
#endif

#define ALIGN alignof(max_align_t)

struct sd_arena_chunk {
    sd_arena_chunk *next;
    size_t size; /* bytes of this chunk, header included */
    alignas(max_align_t) unsigned char data[];
};

/* Standard chunks whose arenas were freed, for the next arenas. */
static sd_arena_chunk *spare;
static unsigned nspare;
/* Standard chunks let go by other threads (sd_arena_free_remote), newest
 * first: pushed there by any thread, popped one at a time here, newest
 * first (LIFO), when the spare list is empty. One popper, so no ABA: a
 * chunk on the list leaves it only here. The newest is the one freed last,
 * whose lines the freeing thread touched last: a new arena's first writes
 * (sd_ssh_new's clear of ~1.8 kB) then find them cached, where the oldest
 * of a batch taken whole had waited a sweep's worth of connections
 * (issue #11: 27 last-level write misses a brute-force connection). Not
 * walked or counted: each chunk's first line was last written by the
 * other thread's core. How many there are is bounded by the arenas handed
 * over and not yet used again. */
static _Atomic(sd_arena_chunk *) returned;

/* The newest chunk of `returned`, or NULL. */
static sd_arena_chunk *returned_pop(void)
{
    sd_arena_chunk *c = atomic_load_explicit(&returned, memory_order_acquire);
    while (c && !atomic_compare_exchange_weak_explicit(&returned, &c, c->next, memory_order_acquire,
                                                       memory_order_acquire))
        ;
    return c;
}

static sd_arena_chunk *chunk_get(size_t size)
{
    if (size == SD_ARENA_CHUNK && spare) {
        sd_arena_chunk *c = spare;
        spare = c->next;
        nspare--;
        return c;
    }
    sd_arena_chunk *c = size == SD_ARENA_CHUNK && atomic_load_explicit(&returned, memory_order_relaxed)
                            ? returned_pop()
                            : NULL;
    if (c)
        return c;
    c = sd_malloc(size);
    c->size = size;
    return c;
}

static void chunk_put(sd_arena_chunk *c)
{
    if (c->size == SD_ARENA_CHUNK && nspare < SD_ARENA_SPARE) {
        c->next = spare;
        spare = c;
        nspare++;
        return;
    }
    free(c);
}

void *sd_arena_alloc(sd_arena *a, size_t n)
{
    size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (need < n)
        need = SIZE_MAX; /* overflow: sd_malloc below reports it */
#ifdef ARENA_ASAN
    /* one heap block per allocation, so ASan knows where each one ends */
    size_t size = n > SIZE_MAX - sizeof(sd_arena_chunk) ? SIZE_MAX : sizeof(sd_arena_chunk) + n;
    sd_arena_chunk *c = chunk_get(size);
    c->size = 0; /* never kept for reuse (so the spare list stays empty) */
    c->next = a->chunks;
    a->chunks = c;
    a->bytes += size;
    return c->data;
#else
    if (a->chunks && need <= a->room - a->used)
        goto bump;
    const size_t payload = SD_ARENA_CHUNK - sizeof(sd_arena_chunk);
    if (need > payload / 2) { /* its own chunk, behind the current one */
        size_t size = need > SIZE_MAX - sizeof(sd_arena_chunk) ? SIZE_MAX : sizeof(sd_arena_chunk) + need;
        sd_arena_chunk *c = chunk_get(size);
        if (a->chunks) {
            c->next = a->chunks->next;
            a->chunks->next = c;
        } else { /* the first: it is the current chunk, full */
            c->next = NULL;
            a->chunks = c;
            a->used = a->room = need;
        }
        a->bytes += size;
        return c->data;
    }
    sd_arena_chunk *c = chunk_get(SD_ARENA_CHUNK);
    c->next = a->chunks;
    a->chunks = c;
    a->used = 0;
    a->room = payload;
    a->bytes += SD_ARENA_CHUNK;
bump:;
    void *p = a->chunks->data + a->used;
    a->used += need;
    return p;
#endif
}

void *sd_arena_zalloc(sd_arena *a, size_t n)
{
    return memset(sd_arena_alloc(a, n), 0, n);
}

char *sd_arena_strndup(sd_arena *a, const void *p, size_t n)
{
    char *r = sd_arena_alloc(a, n + 1);
    if (n)
        memcpy(r, p, n);
    r[n] = '\0';
    return r;
}

void sd_arena_free(sd_arena *a)
{
    for (sd_arena_chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        chunk_put(c);
    }
    *a = (sd_arena){ 0 };
}

void sd_arena_free_remote(sd_arena *a)
{
    sd_arena_chunk *first = NULL, *last = NULL;
    for (sd_arena_chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        if (c->size != SD_ARENA_CHUNK) {
            free(c);
            continue;
        }
        c->next = first;
        first = c;
        if (!last)
            last = c;
    }
    *a = (sd_arena){ 0 };
    if (!first)
        return;
    sd_arena_chunk *head = atomic_load_explicit(&returned, memory_order_relaxed);
    do
        last->next = head;
    while (!atomic_compare_exchange_weak_explicit(&returned, &head, first, memory_order_release,
                                                  memory_order_relaxed));
}
