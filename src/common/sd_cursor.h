/* sd_cursor: the only way strider touches capture bytes.
 *
 * A cursor knows how many bytes remain. Every read is checked; a short read
 * returns 0 and sets a sticky error, so a parser can read a whole header and
 * test `c.err` once at the end (tcpdump's GET_ macros without the longjmp).
 * No pointer casts: multi-byte values are assembled byte by byte. */
#ifndef SD_CURSOR_H
#define SD_CURSOR_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct sd_cur {
    const uint8_t *p;   /* next unread byte */
    const uint8_t *end; /* one past the last readable byte */
    int err;            /* sticky: set by any read past end */
} sd_cur;

static inline sd_cur sd_cur_make(const uint8_t *p, size_t len)
{
    /* an empty frame may come as (NULL, 0), and NULL + 0 is undefined in C */
    sd_cur c = { p, p ? p + len : p, 0 };
    return c;
}

static inline size_t sd_cur_left(const sd_cur *c)
{
    return (size_t)(c->end - c->p);
}

static inline int sd_cur_has(sd_cur *c, size_t n)
{
    if (c->err || sd_cur_left(c) < n) {
        c->err = 1;
        return 0;
    }
    return 1;
}

static inline uint8_t sd_cur_u8(sd_cur *c)
{
    if (!sd_cur_has(c, 1))
        return 0;
    return *c->p++;
}

static inline uint16_t sd_cur_be16(sd_cur *c)
{
    if (!sd_cur_has(c, 2))
        return 0;
    uint16_t v = (uint16_t)((c->p[0] << 8) | c->p[1]);
    c->p += 2;
    return v;
}

static inline uint32_t sd_cur_be32(sd_cur *c)
{
    if (!sd_cur_has(c, 4))
        return 0;
    uint32_t v = ((uint32_t)c->p[0] << 24) | ((uint32_t)c->p[1] << 16) |
                 ((uint32_t)c->p[2] << 8) | c->p[3];
    c->p += 4;
    return v;
}

static inline uint16_t sd_cur_le16(sd_cur *c)
{
    if (!sd_cur_has(c, 2))
        return 0;
    uint16_t v = (uint16_t)(c->p[0] | (c->p[1] << 8));
    c->p += 2;
    return v;
}

static inline uint32_t sd_cur_le32(sd_cur *c)
{
    if (!sd_cur_has(c, 4))
        return 0;
    uint32_t v = ((uint32_t)c->p[3] << 24) | ((uint32_t)c->p[2] << 16) |
                 ((uint32_t)c->p[1] << 8) | c->p[0];
    c->p += 4;
    return v;
}

/* Returns a pointer to n readable bytes and advances, or NULL (and err). */
static inline const uint8_t *sd_cur_bytes(sd_cur *c, size_t n)
{
    if (!sd_cur_has(c, n))
        return NULL;
    const uint8_t *r = c->p;
    c->p += n;
    return r;
}

static inline void sd_cur_skip(sd_cur *c, size_t n)
{
    (void)sd_cur_bytes(c, n);
}

static inline void sd_cur_copy(sd_cur *c, void *dst, size_t n)
{
    const uint8_t *s = sd_cur_bytes(c, n);
    if (s)
        memcpy(dst, s, n);
    else
        memset(dst, 0, n);
}

/* Splits off the next n bytes as a cursor of their own. If fewer remain,
 * the parent gets err and the child is empty with err set. */
static inline sd_cur sd_cur_sub(sd_cur *c, size_t n)
{
    const uint8_t *s = sd_cur_bytes(c, n);
    sd_cur sub = { s, s ? s + n : NULL, s ? 0 : 1 };
    return sub;
}

#endif
