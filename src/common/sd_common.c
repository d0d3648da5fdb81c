#include "sd_common.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sd_vec.h"

char *sd_addr_str(const sd_addr *a, char *buf, size_t len)
{
    if (a->fam == 6)
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

char *sd_ts_iso(sd_ts t, char *buf, size_t len)
{
    int64_t s = t / SD_NS_PER_SEC, ns = t % SD_NS_PER_SEC;
    if (ns < 0) {
        ns += SD_NS_PER_SEC;
        s -= 1;
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

void sd_buf_grow(sd_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return;
    /* 256 bytes at first: a buffer mostly holds a line or more */
    b->p = sd_vec_grow_(b->p, &b->cap, b->len, b->cap ? extra : SD_MAX(extra, 256), 1);
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
    /* a name already there is unlinked, not truncated: a hard link planted
     * under it keeps its bytes; O_EXCL then fails on one planted in between */
    if (unlinkat(dirfd, name, 0) != 0 && errno != ENOENT)
        return -1;
    return openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
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
