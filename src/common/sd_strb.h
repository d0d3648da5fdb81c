/* sd_strb: a C string made piece by piece in a fixed buffer, cut where it
 * is full as snprintf cuts (at most cap - 1 bytes and the NUL). For the
 * lines written once per connection or event (report rows, summaries):
 * snprintf's format machinery cost ~2,500 instructions a call there. */
#ifndef SD_STRB_H
#define SD_STRB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sd_common.h"

typedef struct sd_strb {
    char *p;
    size_t cap, len;
} sd_strb;

/* Starts an empty string in buf[0..cap) (cap 0: everything is cut). */
static inline sd_strb sd_strb_at(char *buf, size_t cap)
{
    if (cap)
        buf[0] = '\0';
    return (sd_strb){ buf, cap, 0 };
}

/* Appends s[0..n), what fits of it. */
static inline void sd_strb_catn(sd_strb *b, const char *s, size_t n)
{
    if (!b->cap)
        return;
    size_t room = b->cap - 1 - b->len;
    if (n > room)
        n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static inline void sd_strb_cat(sd_strb *b, const char *s)
{
    sd_strb_catn(b, s, strlen(s));
}

/* v in decimal, as "%llu" writes it. */
static inline void sd_strb_u64(sd_strb *b, uint64_t v)
{
    char t[20];
    sd_strb_catn(b, t, (size_t)(sd_put_u64(t, v) - t));
}

/* v in decimal, as "%d" writes it. */
static inline void sd_strb_int(sd_strb *b, long long v)
{
    if (v < 0) {
        sd_strb_catn(b, "-", 1);
        sd_strb_u64(b, 0 - (uint64_t)v);
    } else {
        sd_strb_u64(b, (uint64_t)v);
    }
}

#endif
