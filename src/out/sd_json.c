#include "sd_json.h"

#include "sd_text.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_plain.h"

void sd_json_begin(sd_json *j, sd_buf *b)
{
    j->b = b;
    j->n = 0;
    sd_buf_append(b, "{", 1);
}

void sd_json_end(sd_json *j)
{
    sd_buf_append(j->b, "}\n", 2);
}

/* The plain bytes (src/common/sd_plain.h): printable ASCII except '"'
 * and '\\'. */
#define JX1 '"'
#define JX2 '\\'

static bool word_unplain(uint64_t w)
{
    return sd_plain_word_unplain(w, JX1, JX2);
}

#ifdef __SSE2__
#define SIMD_BLOCK SD_PLAIN_BLOCK

/* A string of 16 bytes or more with nothing to escape, checked and copied
 * in one pass (the last block overlapping the one before): true when
 * written, false, writing nothing, when some byte needs escaping. */
static bool copy_plain_blocks(sd_buf *b, const unsigned char *u, size_t len)
{
    uint8_t *o = sd_buf_extend(b, len + 2);
    size_t i = 0;
    for (; i + SIMD_BLOCK <= len; i += SIMD_BLOCK) {
        __m128i v = sd_plain_load16(u + i);
        if (sd_plain_vec_mask(v, JX1, JX2))
            break;
        _mm_storeu_si128((__m128i *)(void *)(o + 1 + i), v);
    }
    if (i < len) {
        __m128i v = sd_plain_load16(u + len - SIMD_BLOCK);
        if (i + SIMD_BLOCK <= len || sd_plain_vec_mask(v, JX1, JX2)) { /* stopped at a block, or the last */
            b->len -= len + 2;
            return false;
        }
        _mm_storeu_si128((__m128i *)(void *)(o + 1 + len - SIMD_BLOCK), v);
    }
    o[0] = '"';
    o[len + 1] = '"';
    return true;
}
#endif

/* The length of the plain() prefix of u[0..len). */
static size_t plain_run(const unsigned char *u, size_t len)
{
    return sd_plain_run(u, len, JX1, JX2);
}

/* "u" of len bytes (at most 32; the caller found nothing to escape) to b. */
static void put_quoted_short(sd_buf *b, const unsigned char *u, size_t len)
{
    uint8_t *o = sd_buf_extend(b, len + 2);
    o[0] = '"';
    sd_copy_short(o + 1, u, len);
    o[len + 1] = '"';
}

/* A string of 8 to 16 bytes with nothing to escape (most names and
 * numbers-as-text of a record), checked and copied as two overlapping
 * words: true when written, false, writing nothing, otherwise (or on the
 * word test's rare false alarm: the byte loop then decides). */
static bool copy_plain_words(sd_buf *b, const unsigned char *u, size_t len)
{
    uint64_t w0, w1;
    memcpy(&w0, u, 8);
    memcpy(&w1, u + len - 8, 8);
    if (word_unplain(w0) || word_unplain(w1))
        return false;
    put_quoted_short(b, u, len);
    return true;
}

void sd_json_key(sd_json *j, const char *key)
{
    size_t n = strlen(key);
    bool comma = j->n++ > 0;
    SD_CHECK(assert(plain_run((const unsigned char *)key, n) == n));
    uint8_t *o = sd_buf_extend(j->b, n + 3 + comma);
    if (comma)
        *o++ = ',';
    *o++ = '"';
    memcpy(o, key, n);
    o[n] = '"';
    o[n + 1] = ':';
}

/* A string of 1 to 7 bytes with nothing to escape (a field's "failure",
 * "c2s"), checked and copied without plain_run's byte loop: from 4 bytes
 * as two overlapping 4-byte halves of one word. True when written, false,
 * writing nothing, otherwise. */
static bool copy_plain_short(sd_buf *b, const unsigned char *u, size_t len)
{
    if (len >= 4) {
        uint32_t lo, hi;
        memcpy(&lo, u, 4);
        memcpy(&hi, u + len - 4, 4);
        if (word_unplain((uint64_t)hi << 32 | lo))
            return false;
        put_quoted_short(b, u, len);
        return true;
    }
    for (size_t i = 0; i < len; i++)
        if (!sd_plain_byte(u[i], JX1, JX2))
            return false;
    put_quoted_short(b, u, len);
    return true;
}

/* What the copies above leave: a string with bytes to escape (or a word
 * test's false alarm). Out of line, so that the common plain string's
 * call saves none of the registers this loop needs (an eighth of an
 * escape's instructions were its entry and exit). */
static __attribute__((noinline)) void escape_slow(sd_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (plain_run(u, len) == len) { /* a false alarm: nothing to escape */
        uint8_t *o = sd_buf_extend(b, len + 2);
        o[0] = '"';
        if (len)
            memcpy(o + 1, s, len);
        o[len + 1] = '"';
        return;
    }
    sd_buf_append(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        size_t run = i + plain_run(u + i, len - i);
        if (run > i) {
            sd_buf_append(b, &u[i], run - i);
            i = run;
            continue;
        }
        unsigned char ch = u[i];
        if (ch == '"' || ch == '\\') {
            char e[2] = { '\\', (char)ch };
            sd_buf_append(b, e, 2);
        } else if (ch == '\n') {
            sd_buf_append(b, "\\n", 2);
        } else if (ch == '\r') {
            sd_buf_append(b, "\\r", 2);
        } else if (ch == '\t') {
            sd_buf_append(b, "\\t", 2);
        } else if (ch < 0x20 || ch == 0x7f) {
            sd_buf_printf(b, "\\u%04x", ch);
        } else {
            uint32_t cp = 0;
            size_t n = sd_utf8_len(&u[i], len - i, &cp); /* strict: what Python's json reads */
            if (n && !sd_cp_control(cp)) {
                sd_buf_append(b, &u[i], n);
                i += n;
                continue;
            }
            if (n) { /* a C1 control (8-bit CSI...) or a bidi control: escaped, as C0 is */
                sd_buf_printf(b, "\\u%04x", (unsigned)cp);
                i += n;
                continue;
            }
            sd_buf_printf(b, "\\u%04x", ch);
        }
        i++;
    }
    sd_buf_append(b, "\"", 1);
}

void sd_json_escape(sd_buf *b, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
#ifdef __SSE2__
    if (len >= SIMD_BLOCK) {
        if (copy_plain_blocks(b, u, len))
            return;
    } else
#endif
    if (len >= 8) {
        if (len <= 16 && copy_plain_words(b, u, len))
            return;
    } else if (copy_plain_short(b, u, len)) {
        return;
    }
    escape_slow(b, s, len);
}

void sd_json_strn(sd_json *j, const char *key, const char *val, size_t len)
{
    sd_json_key(j, key);
    sd_json_escape(j->b, val, len);
}

void sd_json_str(sd_json *j, const char *key, const char *val)
{
    sd_json_strn(j, key, val, strlen(val));
}


/* The seconds of a time in decimal. A capture's times share their leading
 * digits (a day is 864 hundreds of seconds): the text of secs / 100 is
 * remembered per thread, and only the last two digits are written anew (a
 * 10-digit sd_put_u64 was most of a time's cost; every record and event
 * has one). */
static char *put_seconds(char *dst, uint64_t secs)
{
    /* a time's seconds are below 2^63 ns / 10^9 = 9.2e9: its hundreds
     * have at most 8 digits, one word's copy (and the time's text, the
     * hundreds, 2 digits, '.' and 6, is longer than that word) */
    enum { HI_DIGITS = 8 };
    static _Thread_local struct {
        uint64_t hi; /* secs / 100 of the text; 0: none (such a time is written whole) */
        uint8_t len;
        char text[HI_DIGITS];
    } memo;
    uint64_t hi = secs / 100;
    if (hi == 0 || hi >= 100000000u)
        return sd_put_u64(dst, secs);
    if (hi != memo.hi) {
        char t[24] = { 0 };
        memo.len = (uint8_t)(sd_put_u64(t, hi) - t);
        memcpy(memo.text, t, HI_DIGITS);
        memo.hi = hi;
    }
    memcpy(dst, memo.text, HI_DIGITS);
    return sd_put_2d(dst + memo.len, (unsigned)(secs % 100));
}

char *sd_json_put_ts(char *dst, sd_ts t)
{
    if (t >= 0 && t % 1000 == 0) {
        /* microsecond resolution: the exact digits, which are also what
         * "%.6f" prints for (double)t / 1e9 (its error stays far below
         * half a microsecond) */
        dst = put_seconds(dst, (uint64_t)t / SD_NS_PER_SEC);
        uint32_t us = (uint32_t)((uint64_t)t % SD_NS_PER_SEC / 1000);
        *dst++ = '.';
        dst = sd_put_2d(dst, us / 10000);
        dst = sd_put_2d(dst, us / 100 % 100);
        return sd_put_2d(dst, us % 100);
    }
    int n = snprintf(dst, 32, "%.6f", sd_ts_sec(t));
    return dst + (n > 0 ? n : 0);
}

/* Decimals sd_json_put_fixed handles: 10^dec times a 53-bit mantissa stays
 * within 128 bits with room for the shift. */
#define FIXED_DEC_MAX 9
/* Below 2^-FIXED_TINY_EXP a value rounds to zero at any decimals above. */
#define FIXED_TINY_EXP 100

/* |v| = m * 2^e exactly, from the IEEE 754 binary64 fields (no frexp and
 * ldexp calls per number): m < 2^53. */
static uint64_t decompose(double v, int *e)
{
    _Static_assert(sizeof(double) == sizeof(uint64_t), "binary64 doubles");
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int bexp = (int)(bits >> 52 & 0x7ff);
    uint64_t frac = bits & ((1ull << 52) - 1);
    if (bexp == 0) { /* zero or subnormal */
        *e = -1074;
        return frac;
    }
    *e = bexp - 1075;
    return frac | 1ull << 52;
}

char *sd_json_put_fixed(char *dst, double v, int dec)
{
#ifdef __SIZEOF_INT128__
    __extension__ typedef unsigned __int128 u128;
    static const uint64_t p10[FIXED_DEC_MAX + 1] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
                                                     1000000000 };
    if (!isfinite(v) || dec < 0 || dec > FIXED_DEC_MAX)
        return NULL;
    /* |v| = m * 2^e exactly; q = m * 10^dec * 2^e rounded to nearest, ties
     * to even: what printf does with the exact binary value */
    int e;
    uint64_t m = decompose(v, &e);
    if (e > 10)
        return NULL;
    u128 n = (u128)m * p10[dec], q = 0;
    if (e >= 0) {
        q = n << e;
    } else if (-e < FIXED_TINY_EXP) {
        int sh = -e;
        q = n >> sh;
        u128 r = n - (q << sh), half = (u128)1 << (sh - 1);
        if (r > half || (r == half && (q & 1)))
            q++;
    }
    if (q >> 64)
        return NULL;
    uint64_t u = (uint64_t)q;
    if (signbit(v))
        *dst++ = '-';
    dst = sd_put_u64(dst, u / p10[dec]);
    if (dec) {
        uint64_t f = u % p10[dec];
        *dst++ = '.';
        int i = dec; /* from the last digit back, two at a time */
        for (; i >= 2; i -= 2, f /= 100)
            sd_put_2d(dst + i - 2, (unsigned)(f % 100));
        if (i)
            dst[0] = (char)('0' + f);
        dst += dec;
    }
    return dst;
#else
    (void)v;
    (void)dec;
    (void)dst;
    return NULL;
#endif
}

/* Slots of sd_json_put_fixed_memo: the rules' confidences and a
 * histogram's bin values in use at once, with room. */
#define FIXED_MEMO_SLOTS 32u
#define FIXED_MEMO_TEXT 24u /* a memo text's room: the values it keeps are short */

char *sd_json_put_fixed_memo(char *dst, double v, int dec)
{
    static _Thread_local struct {
        uint64_t bits;
        int8_t dec;
        uint8_t len; /* 0: empty */
        char text[FIXED_MEMO_TEXT];
    } memo[FIXED_MEMO_SLOTS];
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    unsigned k = (unsigned)(((bits ^ (uint64_t)dec) * 0x9e3779b97f4a7c15ull) >> 59) % FIXED_MEMO_SLOTS;
    if (memo[k].len && memo[k].bits == bits && memo[k].dec == dec) {
        memcpy(dst, memo[k].text, FIXED_MEMO_TEXT); /* whole: a few moves, no call (dst has 32 bytes) */
        return dst + memo[k].len;
    }
    char *e = sd_json_put_fixed(dst, v, dec);
    size_t n = e ? (size_t)(e - dst) : 0;
    if (n > 0 && n <= FIXED_MEMO_TEXT) { /* a slot another value takes is a cost, never a wrong text */
        memo[k].bits = bits;
        memo[k].dec = (int8_t)dec;
        memo[k].len = (uint8_t)n;
        memcpy(memo[k].text, dst, n);
    }
    return e;
}

void sd_json_qkey(sd_json *j, const char *qkey, size_t qlen)
{
    sd_buf *b = j->b;
    size_t comma = j->n++ > 0, room = 1 + SD_MAX(qlen, (size_t)SD_JSON_QKEY_SPAN);
    if (b->cap - b->len < room)
        sd_buf_grow(b, room);
    uint8_t *o = b->p + b->len;
    *o = ',';
    if (qlen <= SD_JSON_QKEY_SPAN) /* a constant size: a few moves, no call */
        memcpy(o + comma, qkey, SD_JSON_QKEY_SPAN);
    else
        memcpy(o + comma, qkey, qlen);
    b->len += comma + qlen;
}

/* Room for the longest number these write: "-" and 20 digits, or a fixed
 * decimal of sd_json_put_fixed (32). */
#define NUM_ROOM 48

void sd_json_qkey_u64(sd_json *j, const char *qkey, size_t qlen, uint64_t v)
{
    sd_buf *b = j->b;
    size_t comma = j->n++ > 0, room = 1 + SD_MAX(qlen, (size_t)SD_JSON_QKEY_SPAN) + NUM_ROOM;
    if (b->cap - b->len < room)
        sd_buf_grow(b, room);
    char *start = (char *)b->p, *o = start + b->len;
    *o = ',';
    if (qlen <= SD_JSON_QKEY_SPAN)
        memcpy(o + comma, qkey, SD_JSON_QKEY_SPAN);
    else
        memcpy(o + comma, qkey, qlen);
    b->len = (size_t)(sd_put_u64(o + comma + qlen, v) - start);
}

void sd_json_val_u64(sd_buf *b, uint64_t v)
{
    char *o = sd_buf_room(b, NUM_ROOM);
    b->len += (size_t)(sd_put_u64(o, v) - o);
}

void sd_json_val_i64(sd_buf *b, int64_t v)
{
    char *o = sd_buf_room(b, NUM_ROOM), *e = o;
    if (v < 0)
        *e++ = '-';
    e = sd_put_u64(e, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
    b->len += (size_t)(e - o);
}

void sd_json_val_f64(sd_buf *b, double v, int decimals)
{
    char *o = sd_buf_room(b, NUM_ROOM), *e;
    if (!isfinite(v))
        sd_buf_append(b, "null", 4);
    else if ((e = sd_json_put_fixed(o, v, decimals)))
        b->len += (size_t)(e - o);
    else
        sd_buf_printf(b, "%.*f", decimals, v);
}

void sd_buf_fixed(sd_buf *b, double v, int dec)
{
    char *o = sd_buf_room(b, NUM_ROOM), *e = isfinite(v) ? sd_json_put_fixed(o, v, dec) : NULL;
    if (e)
        b->len += (size_t)(e - o);
    else
        sd_buf_printf(b, "%.*f", dec, v);
}

void sd_json_val_bool(sd_buf *b, bool v)
{
    if (v)
        sd_buf_append(b, "true", 4);
    else
        sd_buf_append(b, "false", 5);
}

void sd_json_u64(sd_json *j, const char *key, uint64_t v)
{
    sd_json_key(j, key);
    sd_json_val_u64(j->b, v);
}

void sd_json_i64(sd_json *j, const char *key, int64_t v)
{
    sd_json_key(j, key);
    sd_json_val_i64(j->b, v);
}

void sd_json_f64(sd_json *j, const char *key, double v, int decimals)
{
    sd_json_key(j, key);
    sd_json_val_f64(j->b, v, decimals);
}

void sd_json_bool(sd_json *j, const char *key, bool v)
{
    sd_json_key(j, key);
    sd_json_val_bool(j->b, v);
}

/* A spreadsheet runs a cell that starts with = + - @ (or a tab or CR
 * before one) as a formula: a capture string there (a banner, a name-list)
 * could run commands on the analyst's machine. Such a text gets a leading
 * apostrophe (OWASP's CSV-injection advice); numbers and "-" stay as they
 * are. */
static bool formula_like(const char *s)
{
    if (!*s || !strchr("=+-@\t\r", *s) || !strcmp(s, "-"))
        return false;
    char *end;
    (void)strtod(s, &end);
    return *end != '\0';
}

/* s with each '"' doubled: the runs between quotes copied whole (a
 * byte-at-a-time append was most of an event's CSV row). */
static void csv_doubled(sd_buf *b, const char *s)
{
    for (const char *q; (q = strchr(s, '"')); s = q + 1) {
        sd_buf_append(b, s, (size_t)(q - s) + 1);
        sd_buf_append(b, "\"", 1);
    }
    sd_buf_append(b, s, strlen(s));
}

void sd_csv_field(sd_buf *b, const char *s)
{
    if (formula_like(s)) {
        bool quote = strpbrk(s, ",\"\n\r") != NULL;
        sd_buf_append(b, quote ? "\"'" : "'", quote ? 2 : 1);
        csv_doubled(b, s);
        if (quote)
            sd_buf_append(b, "\"", 1);
        return;
    }
    if (!strpbrk(s, ",\"\n\r")) {
        sd_buf_append(b, s, strlen(s));
        return;
    }
    sd_buf_append(b, "\"", 1);
    csv_doubled(b, s);
    sd_buf_append(b, "\"", 1);
}
