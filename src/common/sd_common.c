#include "sd_common.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sd_vec.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Writes v (< 1000) in decimal at o; returns the end. */
static char *put_small(char *o, unsigned v)
{
    if (v >= 100)
        *o++ = (char)('0' + v / 100);
    if (v >= 10)
        *o++ = (char)('0' + v / 10 % 10);
    *o++ = (char)('0' + v % 10);
    return o;
}

/* Writes v zero-padded to w digits at o; returns the end. */
static char *put_fixed(char *o, uint64_t v, int w)
{
    for (int i = w - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + w;
}

char *sd_addr_str(const sd_addr *a, char *buf, size_t len)
{
    if (a->fam == 4 && len >= 16) { /* inet_ntop's dotted quad, without its sprintf */
        char *o = buf;
        for (int i = 0; i < 4; i++) {
            if (i)
                *o++ = '.';
            o = put_small(o, a->a[i]);
        }
        *o = '\0';
    } else if (a->fam == 6)
        inet_ntop(AF_INET6, a->a, buf, (socklen_t)len);
    else if (a->fam == 4)
        inet_ntop(AF_INET, a->a, buf, (socklen_t)len);
    else
        snprintf(buf, len, "-");
    return buf;
}

int sd_addr_cmp(const sd_addr *x, const sd_addr *y)
{
    if (x->fam != y->fam)
        return x->fam < y->fam ? -1 : 1;
    return memcmp(x->a, y->a, sizeof x->a);
}

int sd_addr_parse(const char *s, sd_addr *out)
{
    memset(out, 0, sizeof *out);
    if (inet_pton(AF_INET, s, out->a) == 1) {
        out->fam = 4;
        return 0;
    }
    if (inet_pton(AF_INET6, s, out->a) == 1) {
        out->fam = 6;
        return 0;
    }
    return -1;
}

char *sd_ts_str(sd_ts t, char *buf, size_t len)
{
    int64_t s = t / SD_NS_PER_SEC, ns = t % SD_NS_PER_SEC;
    if (ns < 0) {
        ns += SD_NS_PER_SEC;
        s -= 1;
    }
    snprintf(buf, len, "%lld.%06lld", (long long)s, (long long)(ns / 1000));
    return buf;
}

/* Seconds in a day, days in 400 Gregorian years, and the days from
 * 0000-03-01 to 1970-01-01 (the civil-from-days arithmetic of Howard
 * Hinnant's "chrono-Compatible Low-Level Date Algorithms"). */
#define DAY_S 86400
#define ERA_DAYS 146097
#define EPOCH_SHIFT 719468
/* 9999-12-31T23:59:59: the last second with a four-digit year. */
#define ISO_LAST_S 253402300799LL
/* "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" and its NUL */
#define ISO_LEN 28

/* A fixed-width field's two digits one copy (sd_put_2d): issue #11, the
 * writer's "ts" and "time" of every connection. */
const char sd_digit2[201] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                            "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                            "8081828384858687888990919293949596979899";

/* "YYYY-MM-DDT" of a day since the epoch (>= 0). */
static void iso_date(char *o, int64_t days)
{
    int64_t z = days + EPOCH_SHIFT, era = z / ERA_DAYS, doe = z - era * ERA_DAYS;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);
    o = put_fixed(o, (uint64_t)y, 4);
    *o++ = '-';
    o = sd_put_2d(o, (unsigned)m);
    *o++ = '-';
    o = sd_put_2d(o, (unsigned)d);
    *o = 'T';
}

#define ISO_DATE_LEN 11 /* "YYYY-MM-DDT" */

/* The UTC calendar time of s >= 0 seconds, as gmtime_r gives it. A
 * capture's times fall on few days: the last day's date is kept per thread
 * (the calendar arithmetic and its digits were ~150 instructions a call). */
static char *iso_put(char *o, int64_t s, int64_t us)
{
    static _Thread_local struct {
        int64_t days;
        char date[ISO_DATE_LEN];
    } last = { -1, "" };
    int64_t days = s / DAY_S;
    unsigned sod = (unsigned)(s % DAY_S);
    if (days != last.days) {
        iso_date(last.date, days);
        last.days = days;
    }
    memcpy(o, last.date, ISO_DATE_LEN);
    o += ISO_DATE_LEN;
    o = sd_put_2d(o, sod / 3600);
    *o++ = ':';
    o = sd_put_2d(o, sod / 60 % 60);
    *o++ = ':';
    o = sd_put_2d(o, sod % 60);
    *o++ = '.';
    unsigned u = (unsigned)us; /* 0..999999 */
    o = sd_put_2d(o, u / 10000);
    o = sd_put_2d(o, u / 100 % 100);
    o = sd_put_2d(o, u % 100);
    *o++ = 'Z';
    *o = '\0';
    return o;
}

char *sd_ts_iso(sd_ts t, char *buf, size_t len)
{
    int64_t s = t / SD_NS_PER_SEC, ns = t % SD_NS_PER_SEC;
    if (ns < 0) {
        ns += SD_NS_PER_SEC;
        s -= 1;
    }
    if (s >= 0 && s <= ISO_LAST_S && len >= ISO_LEN) { /* without gmtime and printf */
        iso_put(buf, s, ns / 1000);
        return buf;
    }
    time_t tt = (time_t)s;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char d[32];
    strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, len, "%s.%06lldZ", d, (long long)(ns / 1000));
    return buf;
}

double sd_ts_sec(sd_ts t)
{
    return (double)t / 1e9;
}

void sd_diagf(sd_diag *d, const char *file, uint64_t frame, const char *fmt, ...)
{
    if (!d)
        return;
    d->count++;
    if (!d->fn)
        return;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    d->fn(d->ud, file, frame, msg);
}

static void oom(size_t n)
{
    fprintf(stderr, "strider: out of memory allocating %zu bytes\n", n);
    exit(3);
}

void *sd_malloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *sd_calloc(size_t n, size_t sz)
{
    void *p = calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        oom(n * sz);
    return p;
}

void *sd_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

void *sd_reallocarray(void *p, size_t n, size_t sz)
{
    if (sz && n > SIZE_MAX / sz)
        oom(SIZE_MAX);
    return sd_realloc(p, n * sz);
}

char *sd_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = sd_malloc(n);
    memcpy(d, s, n);
    return d;
}

char *sd_strndup(const void *p, size_t n)
{
    char *d = sd_malloc(n + 1);
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

void sd_buf_grow(sd_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return;
    /* 256 bytes at first: a buffer mostly holds a line or more */
    b->p = sd_vec_grow_(b->p, &b->cap, b->len, b->cap ? extra : SD_MAX(extra, 256), 1);
}

void sd_buf_put_u64(sd_buf *b, uint64_t v)
{
    char *o = (char *)sd_buf_extend(b, 20); /* 2^64 - 1 has 20 digits */
    b->len = (size_t)(sd_put_u64(o, v) - (char *)b->p);
}

void sd_buf_put_i64(sd_buf *b, int64_t v)
{
    if (v < 0)
        sd_buf_append(b, "-", 1);
    sd_buf_put_u64(b, v < 0 ? 0 - (uint64_t)v : (uint64_t)v);
}

const char sd_hex_digits[17] = "0123456789abcdef";

#ifdef __SSE2__
/* Nibbles 0..15 to their digits: '0' + x, and 'a' - '0' - 10 more past 9. */
static __m128i hex_nibbles(__m128i x)
{
    __m128i over9 = _mm_cmpgt_epi8(x, _mm_set1_epi8(9));
    __m128i add = _mm_add_epi8(_mm_set1_epi8('0'), _mm_and_si128(over9, _mm_set1_epi8('a' - '0' - 10)));
    return _mm_add_epi8(x, add);
}
#endif

char *sd_put_hex(char *dst, const void *p, size_t n)
{
    const uint8_t *u = p;
    size_t i = 0;
#ifdef __SSE2__
    for (; i + 16 <= n; i += 16, dst += 32) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(u + i));
        __m128i lo = hex_nibbles(_mm_and_si128(v, _mm_set1_epi8(0x0f)));
        __m128i hi = hex_nibbles(_mm_and_si128(_mm_srli_epi16(v, 4), _mm_set1_epi8(0x0f)));
        _mm_storeu_si128((__m128i *)(void *)dst, _mm_unpacklo_epi8(hi, lo));
        _mm_storeu_si128((__m128i *)(void *)(dst + 16), _mm_unpackhi_epi8(hi, lo));
    }
#endif
    for (; i < n; i++) {
        *dst++ = sd_hex_digits[u[i] >> 4];
        *dst++ = sd_hex_digits[u[i] & 15];
    }
    return dst;
}

void sd_buf_put_hex(sd_buf *b, const void *p, size_t n)
{
    sd_put_hex((char *)sd_buf_extend(b, 2 * n), p, n);
}

void sd_buf_printf(sd_buf *b, const char *fmt, ...)
{
    /* formatted once into the room the buffer has (the common case), a
     * second time only when it did not fit */
    sd_buf_grow(b, 64);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf((char *)b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    if ((size_t)n >= b->cap - b->len) {
        sd_buf_grow(b, (size_t)n + 1);
        va_start(ap, fmt);
        vsnprintf((char *)b->p + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void sd_buf_free(sd_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

int sd_create_at(int dirfd, const char *name)
{
    /* a new name (the usual case: extract makes 3 files per session) is
     * created at once: O_EXCL fails on anything already there, symlinks
     * included, and only then is the name looked at; one call where the
     * checks below take three */
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd >= 0 || errno != EEXIST)
        return fd;
    /* a device or FIFO named on purpose (/dev/null, /dev/full, a pipe) is
     * written, never unlinked: as root, unlinking /dev/null would break the
     * machine; O_NOFOLLOW still refuses a symlink */
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
        return openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    /* a name already there is unlinked, not truncated: a hard link planted
     * under it keeps its bytes; O_EXCL then fails on one planted in between */
    if (unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
        return -1;
    return openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

size_t sd_writev_all(int fd, struct iovec *iov, int n, int64_t off)
{
    size_t done = 0;
    for (;;) {
        while (n > 0 && !iov->iov_len) /* nothing to write: no call made for it */
            iov++, n--;
        if (n <= 0)
            return done;
        ssize_t k = off >= 0 ? pwritev(fd, iov, n, (off_t)off + (off_t)done) : writev(fd, iov, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            if (k == 0)
                errno = ENOSPC;
            return done;
        }
        done += (size_t)k;
        size_t left = (size_t)k;
        for (; n > 0 && left >= iov->iov_len; n--)
            left -= iov++->iov_len;
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
}

size_t sd_write_all(int fd, const void *p, size_t len)
{
    struct iovec v = { (void *)p, len };
    return sd_writev_all(fd, &v, 1, -1);
}

FILE *sd_create(const char *path)
{
    int fd = sd_create_at(AT_FDCWD, path);
    if (fd < 0)
        return NULL;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}
