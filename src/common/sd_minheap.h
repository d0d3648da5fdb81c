/* sd_minheap: one binary min-heap over a caller's array of elements of
 * any size, ordered by the caller's less(). It serves the capture-file
 * merge (inputs by their pending record's time), the HTML report's best
 * sections, summary's top talkers and a host's latest connections (a
 * max-heap is a min-heap of the reversed order). The array and its count
 * stay the caller's: the heap only moves elements within base[0..n).
 * Inline, as sd_cursor.h: the merge asks for every record, and inlined
 * where the order and the size are constants the compiler drops the
 * indirect calls and the byte loop (callgrind, conns over 31 shared
 * captures: 61.53 M instructions out of line, 60.12 M inline, 60.18 M
 * with the merge's own heap before). */
#ifndef SD_MINHEAP_H
#define SD_MINHEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Whether a goes above b (nearer the root); ud is the caller's context. */
typedef bool (*sd_minheap_less)(const void *a, const void *b, const void *ud);

typedef struct sd_minheap {
    void *base;
    size_t size;           /* of one element */
    sd_minheap_less less;
    const void *ud;
} sd_minheap;

/* Small elements (an index, a pointer) through a temporary the compiler
 * keeps in registers when the size is a constant; larger ones byte by
 * byte, with no bound to size a temporary by. */
#define SD_MINHEAP_SMALL 16
static inline void sd_minheap_swap_(unsigned char *a, unsigned char *b, size_t size)
{
    if (size <= SD_MINHEAP_SMALL) {
        unsigned char t[SD_MINHEAP_SMALL];
        memcpy(t, a, size);
        memcpy(a, b, size);
        memcpy(b, t, size);
        return;
    }
    for (size_t k = 0; k < size; k++) {
        unsigned char t = a[k];
        a[k] = b[k];
        b[k] = t;
    }
}

/* The heap's fields are read once into locals: the byte swap may alias
 * *h, which would otherwise reload less() at every step and keep the
 * compiler from inlining it. */

/* Element i of base[0..n) sinks to its place. */
static inline void sd_minheap_down(const sd_minheap *h, size_t n, size_t i)
{
    unsigned char *v = h->base;
    const size_t sz = h->size;
    const sd_minheap_less less = h->less;
    const void *ud = h->ud;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && less(v + l * sz, v + m * sz, ud))
            m = l;
        if (l + 1 < n && less(v + (l + 1) * sz, v + m * sz, ud))
            m = l + 1;
        if (m == i)
            return;
        sd_minheap_swap_(v + i * sz, v + m * sz, sz);
        i = m;
    }
}

/* Element i rises to its place (after it was appended at i = n - 1). */
static inline void sd_minheap_up(const sd_minheap *h, size_t i)
{
    unsigned char *v = h->base;
    const size_t sz = h->size;
    const sd_minheap_less less = h->less;
    const void *ud = h->ud;
    while (i && less(v + i * sz, v + (i - 1) / 2 * sz, ud)) {
        sd_minheap_swap_(v + i * sz, v + (i - 1) / 2 * sz, sz);
        i = (i - 1) / 2;
    }
}

/* base[0..n) in any order made a heap: O(n). */
static inline void sd_minheap_build(const sd_minheap *h, size_t n)
{
    for (size_t i = n / 2; i-- > 0;)
        sd_minheap_down(h, n, i);
}

#endif
