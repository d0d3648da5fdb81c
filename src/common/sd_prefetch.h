/* sd_prefetch: asking the cache for memory a few records before it is used.
 *
 * The engine thread's stalls are first touches of memory it did not write
 * lately: a packet the reader thread decoded on the other core, a flow last
 * touched ~200 connections ago (bench/README.md, stops 38 and 39). A
 * prefetch never faults and changes nothing but timing, so it may be given
 * any address, even one that is no longer the object it was read as; what
 * it must not do is read memory to find the address (that read would be the
 * stall, or a use after free). */
#ifndef SD_PREFETCH_H
#define SD_PREFETCH_H

#include <stddef.h>
#include <stdint.h>

#define SD_CACHE_LINE 64u

static inline void sd_prefetch(const void *p)
{
    __builtin_prefetch(p, 0, 3);
}

/* For memory about to be written (the line comes in owned, not shared). */
static inline void sd_prefetch_w(const void *p)
{
    __builtin_prefetch(p, 1, 3);
}

/* The lines of [p, p + n), at most max_lines of them from the first. */
static inline void sd_prefetch_span(const void *p, size_t n, unsigned max_lines)
{
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(SD_CACHE_LINE - 1), end = (uintptr_t)p + n;
    for (unsigned i = 0; i < max_lines && a < end; i++, a += SD_CACHE_LINE)
        __builtin_prefetch((const void *)a, 0, 3);
}

#endif
