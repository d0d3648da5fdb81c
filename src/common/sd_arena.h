/* sd_arena: bump allocation for objects that live and die together, such
 * as one SSH connection's parser state, its strings and its statistics:
 * each allocation is a pointer bump in the current chunk, and
 * sd_arena_free releases every one of them at once.
 *
 * Why: a capture of many short connections (a brute-force run, a scan)
 * paid a dozen heap allocations per connection of blocks too large for
 * malloc's small-block cache, and their frees; with an arena it is one
 * chunk, and chunks of the standard size are kept for the next connection
 * (at most SD_ARENA_SPARE of them, process-wide), so steady churn makes no
 * heap call at all.
 *
 * Nothing is freed before the arena: put only objects allocated a bounded
 * number of times per owner here (a buffer that is reallocated as it grows
 * belongs on the heap). An allocation larger than a chunk's room gets a
 * chunk of its own (freed with the arena, not kept). Under AddressSanitizer
 * every allocation is its own heap block, so ASan still sees each object's
 * bounds. Exhaustion exits like every sd_ allocation. */
#ifndef SD_ARENA_H
#define SD_ARENA_H

#include <stddef.h>

/* Bytes of a standard chunk (header included): one connection's SSH
 * state (~6 kB: parser, statistics, both KEXINITs' name-lists) fits. */
#define SD_ARENA_CHUNK 8192u
/* Standard chunks kept for reuse after their arena is freed: 64 x 8 kB,
 * half a megabyte at most, whatever the number of connections. */
#define SD_ARENA_SPARE 64u

typedef struct sd_arena_chunk sd_arena_chunk;

/* Zero-filled is empty; it may be copied until the first allocation's
 * owner is placed (see sd_ssh_new), never after two copies are in use. */
typedef struct sd_arena {
    sd_arena_chunk *chunks; /* newest first */
    size_t used, room;      /* in the newest chunk */
    size_t bytes;           /* held in all chunks (headers included) */
} sd_arena;

/* n bytes, aligned for any object, not initialised. */
void *sd_arena_alloc(sd_arena *a, size_t n);
/* n zero bytes. */
void *sd_arena_zalloc(sd_arena *a, size_t n);
/* A NUL-terminated copy of n bytes of p. */
char *sd_arena_strndup(sd_arena *a, const void *p, size_t n);
/* Releases every allocation; a is empty again. */
void sd_arena_free(sd_arena *a);
/* sd_arena_free from another thread than the one that allocates arenas
 * (one such thread per process: the spare list is its own): standard
 * chunks go back to that thread, which takes them when its spare list runs
 * out (an arena handed to a writer thread with what it holds, and let go
 * there, costs no heap call and no lock); other chunks are freed here. */
void sd_arena_free_remote(sd_arena *a);

#endif
