/* sd_plain: finds runs of "plain" bytes, the ones a writer copies as
 * themselves without a look at their neighbours: printable ASCII
 * (0x20..0x7e) less at most two bytes the format escapes (JSON: '"' and
 * '\\'; text: '\\' unless it is kept). The JSON and text writers share it
 * (they each had their own copy): capture strings (banners, name-lists,
 * event fields) are checked 16 bytes at a time with SSE2 (x86-64's
 * baseline), 8 bytes a word without it, instead of ~5 instructions a byte.
 *
 * x1 and x2 name the excluded bytes; 0 excludes nothing more (a NUL is not
 * printable anyway). Inline: the writers pass constants, so each gets its
 * own copy with the unused tests folded away (always inlined: a call
 * per run cost text_put more than the block test). */
#ifndef SD_PLAIN_H
#define SD_PLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define SD_PLAIN_INLINE static inline __attribute__((always_inline))

SD_PLAIN_INLINE bool sd_plain_byte(uint8_t ch, uint8_t x1, uint8_t x2)
{
    return ch >= 0x20 && ch < 0x7f && ch != x1 && ch != x2;
}

/* The length of the sd_plain_byte() prefix of p[0..n), one byte at a
 * time: the reference the word and block tests must match. */
SD_PLAIN_INLINE size_t sd_plain_run_bytes(const uint8_t *p, size_t n, uint8_t x1, uint8_t x2)
{
    size_t i = 0;
    while (i < n && sd_plain_byte(p[i], x1, x2))
        i++;
    return i;
}

/* Bytes of each 64-bit word lane: x * SD_PLAIN_ONES repeats a byte value. */
#define SD_PLAIN_ONES 0x0101010101010101ull
#define SD_PLAIN_HIGHS 0x8080808080808080ull

/* Whether any byte of w equals x, with the high bit of its lane (and maybe
 * of a higher lane: a false "yes", never a false "no"). */
SD_PLAIN_INLINE uint64_t sd_plain_word_eq(uint64_t w, uint8_t x)
{
    uint64_t d = w ^ (SD_PLAIN_ONES * x);
    return (d - SD_PLAIN_ONES) & ~d;
}

/* Whether any byte of w is not sd_plain_byte(), 8 at a time: a byte below
 * 0x20, at or above 0x7f, or an excluded one (a false "yes" only sends the
 * word to the byte loop; a "no" is exact). */
SD_PLAIN_INLINE bool sd_plain_word_unplain(uint64_t w, uint8_t x1, uint8_t x2)
{
    uint64_t lt20 = (w - SD_PLAIN_ONES * 0x20) & ~w; /* < 0x20 (or >= 0x80) */
    uint64_t ge7f = w + SD_PLAIN_ONES * 0x01;         /* 0x7f carries to 0x80 */
    uint64_t bad = lt20 | ge7f | w;
    if (x1)
        bad |= sd_plain_word_eq(w, x1);
    if (x2)
        bad |= sd_plain_word_eq(w, x2);
    return (bad & SD_PLAIN_HIGHS) != 0;
}

#ifdef __SSE2__
/* Bytes per SSE2 block: what x86-64 always has. */
#define SD_PLAIN_BLOCK 16

/* A bit per byte of v that is not sd_plain_byte(), exact. */
SD_PLAIN_INLINE unsigned sd_plain_vec_mask(__m128i v, uint8_t x1, uint8_t x2)
{
    /* v - 0x20 maps the printable 0x20..0x7e onto 0x00..0x5e: one
     * unsigned comparison (min) finds the controls, DEL and 8-bit bytes */
    __m128i off = _mm_sub_epi8(v, _mm_set1_epi8(0x20));
    __m128i in = _mm_cmpeq_epi8(_mm_min_epu8(off, _mm_set1_epi8(0x5e)), off);
    __m128i bad = _mm_andnot_si128(in, _mm_set1_epi8(-1));
    if (x1)
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)x1)));
    if (x2)
        bad = _mm_or_si128(bad, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)x2)));
    return (unsigned)_mm_movemask_epi8(bad);
}

SD_PLAIN_INLINE __m128i sd_plain_load16(const uint8_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/* The length of the sd_plain_byte() prefix of p[0..n): blocks (or words)
 * while they are all plain, the last one ending at n over bytes already
 * found plain, the byte loop for what is left. */
SD_PLAIN_INLINE size_t sd_plain_run(const uint8_t *p, size_t n, uint8_t x1, uint8_t x2)
{
    size_t i = 0;
#ifdef __SSE2__
    for (; i + SD_PLAIN_BLOCK <= n; i += SD_PLAIN_BLOCK) {
        unsigned m = sd_plain_vec_mask(sd_plain_load16(p + i), x1, x2);
        if (m)
            return i + (size_t)__builtin_ctz(m);
    }
    if (i < n && n >= SD_PLAIN_BLOCK) {
        unsigned m = sd_plain_vec_mask(sd_plain_load16(p + n - SD_PLAIN_BLOCK), x1, x2);
        return m ? n - SD_PLAIN_BLOCK + (size_t)__builtin_ctz(m) : n;
    }
#endif
    uint64_t w;
    for (; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        if (sd_plain_word_unplain(w, x1, x2))
            break;
    }
    if (i < n && i + 8 > n && n >= 8) { /* the tail: one word ending at n */
        memcpy(&w, p + n - 8, 8);
        if (!sd_plain_word_unplain(w, x1, x2))
            return n;
    }
    return i + sd_plain_run_bytes(p + i, n - i, x1, x2);
}

#endif
