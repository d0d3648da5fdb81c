/* sd_common: types every stage shares (timestamps, addresses, diagnostics)
 * and the allocation wrappers. */
#ifndef SD_COMMON_H
#define SD_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Capture time in nanoseconds since the Unix epoch. */
typedef int64_t sd_ts;
#define SD_NS_PER_SEC 1000000000LL
/* The latest time a capture may carry: a later one (pcapng counts 64-bit
 * units, so it can date a packet past 2262, where nanoseconds since 1970
 * overflow) is saturated to this. Kept 2^50 ns (13 days) short of INT64_MAX
 * so that a time plus a timeout, or the span between two times, never
 * overflows; no time is earlier than 0. */
#define SD_TS_MAX (INT64_MAX - ((sd_ts)1 << 50))

/* An IPv4 or IPv6 address. IPv4 uses a[0..3]; the rest is zero so that
 * memcmp over the whole struct compares addresses. */
typedef struct sd_addr {
    uint8_t fam; /* 4 or 6; 0 = unset */
    uint8_t a[16];
} sd_addr;

#define SD_ADDR_STRLEN 46
/* Writes the textual form (inet_ntop style) into buf; returns buf. */
char *sd_addr_str(const sd_addr *a, char *buf, size_t len);
int sd_addr_cmp(const sd_addr *x, const sd_addr *y);
/* Parses an IPv4/IPv6 literal; 0 on success. */
int sd_addr_parse(const char *s, sd_addr *out);

/* Seconds with microsecond precision, e.g. "1331901000.123456". */
char *sd_ts_str(sd_ts t, char *buf, size_t len);
/* ISO-8601 UTC with microseconds, e.g. "2012-03-16T12:30:00.123456Z". */
char *sd_ts_iso(sd_ts t, char *buf, size_t len);
double sd_ts_sec(sd_ts t);

/* Diagnostics: malformed input is reported through a sink, never printed by
 * the stage that found it. `file` and `frame` name where (frame 0 = the file
 * as a whole). The CLI's sink prints "strider: FILE: frame N: MSG". */
typedef struct sd_diag {
    void (*fn)(void *ud, const char *file, uint64_t frame, const char *msg);
    void *ud;
    uint64_t count; /* messages reported so far */
} sd_diag;

void sd_diagf(sd_diag *d, const char *file, uint64_t frame, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Allocation that cannot return NULL: on exhaustion it prints and exits,
 * because every caller would do the same. Sizes are overflow-checked. */
void *sd_malloc(size_t n);
void *sd_calloc(size_t n, size_t sz);
void *sd_realloc(void *p, size_t n);
void *sd_reallocarray(void *p, size_t n, size_t sz);
char *sd_strdup(const char *s);
/* n bytes at p as a string (with a NUL after them). */
char *sd_strndup(const void *p, size_t n);
/* Creates path for writing, never through a link planted there: a name
 * already there (file, symlink or hard link) is unlinked and the file made
 * anew (O_EXCL | O_NOFOLLOW), so no byte goes anywhere but to the new file;
 * a character device or FIFO already there is opened and written, not
 * unlinked. NULL with errno set. */
FILE *sd_create(const char *path);
/* The same relative to a directory descriptor (AT_FDCWD: the working
 * directory); a descriptor open for writing, or -1 with errno set. */
int sd_create_at(int dirfd, const char *name);
struct iovec;
/* Writes iov[0..n) whole to fd: at file offset off (pwritev) when off >= 0,
 * else at the file position (writev); resumes after EINTR and after a short
 * write (iov's entries are changed). Returns the bytes written: all of them,
 * or fewer after an error, with errno set (ENOSPC for a call that wrote
 * nothing). The one such loop of every writer (cli's stdout, the file sink,
 * the merge). */
size_t sd_writev_all(int fd, struct iovec *iov, int n, int64_t off);
/* The same for len bytes at p, at the file position. */
size_t sd_write_all(int fd, const void *p, size_t len);

/* A growable byte buffer (owned bytes). */
typedef struct sd_buf {
    uint8_t *p;
    size_t len, cap;
} sd_buf;
/* Makes room for extra more bytes (the slow path of the two below). */
void sd_buf_grow(sd_buf *b, size_t extra);
/* Appends n uninitialized bytes and returns where they start, for a caller
 * that writes them itself. Inline: writers call these per field. */
static inline uint8_t *sd_buf_extend(sd_buf *b, size_t n)
{
    if (b->cap - b->len < n)
        sd_buf_grow(b, n);
    uint8_t *at = b->p + b->len;
    b->len += n;
    return at;
}
/* The free room at the end of b, at least n bytes, for a writer that
 * writes there without further checks and then says where it stopped
 * (sd_buf_set_end): one test for a whole record's members. */
static inline char *sd_buf_room(sd_buf *b, size_t n)
{
    if (b->cap - b->len < n)
        sd_buf_grow(b, n);
    return (char *)b->p + b->len;
}
static inline void sd_buf_set_end(sd_buf *b, const void *end)
{
    b->len = (size_t)((const uint8_t *)end - b->p);
}
static inline void sd_buf_append(sd_buf *b, const void *data, size_t n)
{
    if (n)
        memcpy(sd_buf_extend(b, n), data, n);
}
void sd_buf_printf(sd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "00" "01" ... "99" (sd_common.c), for fixed-width fields. */
extern const char sd_digit2[201];

/* v < 100 as two digits at o (no NUL), returning the end: one copy where
 * a %10 and /10 a digit took four times the instructions. */
static inline char *sd_put_2d(char *o, unsigned v)
{
    memcpy(o, sd_digit2 + 2 * v, 2);
    return o + 2;
}

/* v in decimal at dst (room for 20 digits, no NUL), as printf's %llu writes
 * it, returning the end: the one decimal writer of every output (JSON, text,
 * events, sd_own's records), inline because a record writes dozens of
 * numbers and printf's per-number cost was a fifth of a chunk's run. */
static inline char *sd_put_u64(char *dst, uint64_t v)
{
    /* powers of ten up to 10^19, the largest that fits 64 bits: the digit
     * count by comparisons, not divisions */
    static const uint64_t pow10[20] = { 1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
                                    100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
                                    1000000000000ull, 10000000000000ull, 100000000000000ull,
                                    1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
                                    1000000000000000000ull, 10000000000000000000ull };
    /* two digits per division: "00" "01" ... "99" */
    static const char pairs[] = "0001020304050607080910111213141516171819"
                                "2021222324252627282930313233343536373839"
                                "4041424344454647484950515253545556575859"
                                "6061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    if (v < 10) { /* most counters of a record are 0 */
        *dst = (char)('0' + v);
        return dst + 1;
    }
    /* the digit count from the bit length (Bit Twiddling Hacks' integer
     * log 10): t is floor(log10(v)) or one more, one comparison tells */
    unsigned t = (unsigned)(64 - __builtin_clzll(v)) * 1233u >> 12;
    size_t n = t + (v >= pow10[t]);
    char *o = dst + n; /* written from the last digit back: no copy */
    while (v > UINT32_MAX) {
        unsigned r = (unsigned)(v % 100) * 2;
        v /= 100;
        *--o = pairs[r + 1];
        *--o = pairs[r];
    }
    /* the rest (every frame number, stream and size, mostly) by 32-bit
     * divisions: half the instructions of a 64-bit one (issue #11) */
    uint32_t w = (uint32_t)v;
    while (w >= 100) {
        uint32_t r = w % 100 * 2;
        w /= 100;
        *--o = pairs[r + 1];
        *--o = pairs[r];
    }
    if (w >= 10) {
        *--o = pairs[w * 2 + 1];
        *--o = pairs[w * 2];
    } else {
        *--o = (char)('0' + w);
    }
    return dst + n;
}

/* n bytes from s to o, n at most 32, as two overlapping copies of a
 * power-of-two size (no memcpy call for a key's or a short string's
 * variable length; every byte read is one of s's n): the writers' short
 * keys and plain strings (sd_evout, sd_json). */
static inline void sd_copy_short(void *o, const void *s, size_t n)
{
    char *d = o;
    const char *c = s;
    if (n >= 16) {
        uint64_t a[2], z[2];
        memcpy(a, c, 16);
        memcpy(z, c + n - 16, 16);
        memcpy(d, a, 16);
        memcpy(d + n - 16, z, 16);
    } else if (n >= 8) {
        uint64_t a, z;
        memcpy(&a, c, 8);
        memcpy(&z, c + n - 8, 8);
        memcpy(d, &a, 8);
        memcpy(d + n - 8, &z, 8);
    } else if (n >= 4) {
        uint32_t a, z;
        memcpy(&a, c, 4);
        memcpy(&z, c + n - 4, 4);
        memcpy(d, &a, 4);
        memcpy(d + n - 4, &z, 4);
    } else {
        for (size_t i = 0; i < n; i++)
            d[i] = c[i];
    }
}

/* v in decimal appended to b, as printf's %llu and %lld write it. */
void sd_buf_put_u64(sd_buf *b, uint64_t v);
void sd_buf_put_i64(sd_buf *b, int64_t v);
/* The lowercase hex digits, for "%02x" without printf. */
extern const char sd_hex_digits[17];
/* n bytes at p as lowercase hex at dst (2n bytes, no NUL), as printf's
 * %02x per byte writes them; returns the end. 16 bytes at a time with
 * SSE2: extract's transcripts render every inlined payload byte. */
char *sd_put_hex(char *dst, const void *p, size_t n);
/* n bytes at p as lowercase hex, two digits each (printf's %02x per byte). */
void sd_buf_put_hex(sd_buf *b, const void *p, size_t n);
void sd_buf_free(sd_buf *b);

/* Invariant checks of whole structures (walks, so not free): compiled only
 * where SD_DEBUG_INVARIANTS is defined (`make asan`). SD_CHECK(call) runs
 * call there and vanishes elsewhere; the checking functions themselves sit
 * under #ifdef SD_DEBUG_INVARIANTS and use assert(). */
#ifdef SD_DEBUG_INVARIANTS
#define SD_CHECK(call) (call)
#else
#define SD_CHECK(call) ((void)0)
#endif

/* Built with AddressSanitizer (GCC's macro, clang's feature test): memory
 * kept for reuse is given back instead, so that a use after the end of
 * what held it is caught. */
#if defined(__SANITIZE_ADDRESS__)
#define SD_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SD_ASAN 1
#endif
#endif

#define SD_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SD_MIN(a, b) ((a) < (b) ? (a) : (b))
#define SD_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
