/* Unit tests for src/common's containers: sd_hmap (growth to 1 M keys,
 * removal, tombstone churn, the cap, iteration with removal, a randomized
 * comparison against a plain array) and sd_vec; and its formatters against
 * the libc functions they replace (addresses, ISO times, sd_buf_printf). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <time.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include "common/sd_common.h"
#include "common/sd_event.h"
#include "common/sd_hmap.h"
#include "common/sd_spare.h"
#include "common/sd_vec.h"

#define MILLION 1000000u

static uint64_t val_u64(const void *v)
{
    uint64_t x;
    memcpy(&x, v, sizeof x);
    return x;
}

static void t_hash(void **state)
{
    (void)state;
    const char a[] = "strider", b[] = "striden";
    assert_int_equal(sd_hash_bytes(a, 7), sd_hash_bytes(a, 7));
    assert_true(sd_hash_bytes(a, 7) != sd_hash_bytes(b, 7));
    assert_true(sd_hash_bytes(a, 6) != sd_hash_bytes(a, 7));
    /* sequential 32-bit keys (addresses of a /16 scan) must spread over the
     * low bits a table uses: no bucket of 1024 gets 4x its share */
    unsigned cnt[1024] = {0};
    for (uint32_t i = 0; i < 65536; i++) {
        uint32_t k = 0x0a000000u + i;
        cnt[sd_hash_bytes(&k, sizeof k) & 1023]++;
    }
    for (int i = 0; i < 1024; i++)
        assert_in_range(cnt[i], 16, 256);
}

/* The hash as first written: whole words, then the tail copied into a
 * cleared word (sd_hmap.c's mixing, spelled out again here). */
static uint64_t t_rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t hash_reference(const uint8_t *b, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ n;
    for (;; n -= 8, b += 8) {
        uint64_t w = 0;
        size_t k = n < 8 ? n : 8;
        if (!k)
            break;
        memcpy(&w, b, k);
        w *= 0x87c37b91114253d5ULL;
        w = t_rotl(w, 31) * 0x4cf5ad432745937fULL;
        h ^= w;
        h = t_rotl(h, 27) * 5 + 0x52dce729;
        if (k < 8)
            break;
    }
    h ^= h >> 33, h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33, h *= 0xc4ceb9fe1a85ec53ULL;
    return h ^ (h >> 33);
}

/* The tail read as the input's last word (shifted) gives the value the
 * byte copy gave: every length 0-80 at every alignment 0-7, random bytes,
 * with a different byte just past the end (never read). */
static void t_hash_tail(void **state)
{
    (void)state;
    uint8_t buf[96];
    uint64_t x = 0x243f6a8885a308d3ULL;
    for (int round = 0; round < 50; round++)
        for (size_t al = 0; al < 8; al++)
            for (size_t n = 0; n <= 80; n++) {
                for (size_t i = 0; i < sizeof buf; i++) {
                    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                    buf[i] = (uint8_t)x;
                }
                uint64_t want = hash_reference(buf + al, n);
                buf[al + n] ^= 0xff;
                assert_true(sd_hash_bytes(buf + al, n) == want);
            }
}

static void t_grow_million(void **state)
{
    (void)state;
    sd_hmap *m = sd_hmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < MILLION; k++) {
        void *v;
        assert_int_equal(sd_hmap_insert(m, &k, &v), SD_HMAP_ADDED);
        uint64_t x = k * 3 + 1;
        memcpy(v, &x, sizeof x);
    }
    assert_int_equal(sd_hmap_count(m), MILLION);
    /* grown by load factor: at most 4 slots (of 24 bytes) per entry */
    assert_true(sd_hmap_mem(m) <= (size_t)MILLION * 4 * 24);
    for (uint64_t k = 0; k < MILLION; k++) {
        void *v = sd_hmap_find(m, &k);
        assert_non_null(v);
        assert_int_equal(val_u64(v), k * 3 + 1);
    }
    uint64_t absent = MILLION + 7;
    assert_null(sd_hmap_find(m, &absent));
    /* find-or-insert of a present key finds it */
    uint64_t k5 = 5;
    void *v5;
    assert_int_equal(sd_hmap_insert(m, &k5, &v5), SD_HMAP_FOUND);
    assert_int_equal(val_u64(v5), 16);
    /* remove the even keys, check both halves */
    for (uint64_t k = 0; k < MILLION; k += 2) {
        uint64_t out = 0;
        assert_int_equal(sd_hmap_remove(m, &k, &out), 1);
        assert_int_equal(out, k * 3 + 1);
    }
    assert_int_equal(sd_hmap_remove(m, &k5, NULL), 1);
    assert_int_equal(sd_hmap_remove(m, &k5, NULL), 0);
    assert_int_equal(sd_hmap_count(m), MILLION / 2 - 1);
    for (uint64_t k = 0; k < MILLION; k++)
        assert_true((sd_hmap_find(m, &k) != NULL) == (k % 2 == 1 && k != 5));
    sd_hmap_free(m);
}

/* A flow table's life: entries come and go, few live at once. Tombstones
 * must not pile up (the array stays small) nor slow finds to a crawl. */
static void t_churn(void **state)
{
    (void)state;
    sd_hmap *m = sd_hmap_new(sizeof(uint32_t), 0, 0);
    for (uint32_t k = 0; k < 2 * MILLION; k++) {
        assert_int_equal(sd_hmap_insert(m, &k, NULL), SD_HMAP_ADDED);
        if (k >= 100) {
            uint32_t old = k - 100;
            assert_int_equal(sd_hmap_remove(m, &old, NULL), 1);
        }
    }
    assert_int_equal(sd_hmap_count(m), 100);
    assert_true(sd_hmap_mem(m) <= 1024 * 8);
    sd_hmap_free(m);
}

/* sd_hmap_find_at then sd_hmap_remove_at (the flow table's end of a
 * connection), against a plain array: every key the map holds has the
 * model's count and none it removed is found, after removes that leave
 * tombstones mid-run and inserts that reuse them. 17-byte keys, as
 * sd_addr's; few slots per key, so runs are long. */
static void remove_at_run(bool sparse)
{
    enum { KEYS = 3000 };
    static uint32_t model[KEYS];
    memset(model, 0, sizeof model);
    sd_hmap *m = sd_hmap_new(17, sizeof(uint32_t), 0);
    if (sparse)
        sd_hmap_sparse(m);
    uint8_t k[17] = {0};
    for (uint32_t round = 0; round < 20000; round++) {
        uint32_t x = (round * 2654435761u) % KEYS;
        memcpy(k + 1, &x, sizeof x);
        void *v;
        assert_int_equal(sd_hmap_insert(m, k, &v), model[x] ? SD_HMAP_FOUND : SD_HMAP_ADDED);
        model[x] = ++*(uint32_t *)v;
        if (round % 3 == 0) { /* take out another key */
            uint32_t y = (round * 40503u) % KEYS;
            memcpy(k + 1, &y, sizeof y);
            size_t at;
            uint32_t *n = sd_hmap_find_at(m, k, &at);
            assert_true((n != NULL) == (model[y] != 0));
            if (n) {
                assert_int_equal(*n, model[y]);
                sd_hmap_remove_at(m, at);
                model[y] = 0;
            } else {
                assert_true(at == SIZE_MAX);
            }
        }
    }
    size_t live = 0;
    for (uint32_t x = 0; x < KEYS; x++) {
        memcpy(k + 1, &x, sizeof x);
        const uint32_t *n = sd_hmap_find(m, k);
        assert_int_equal(n ? *n : 0, model[x]);
        live += model[x] != 0;
    }
    assert_int_equal(sd_hmap_count(m), live);
    sd_hmap_free(m);
}

static void t_remove_at(void **state)
{
    (void)state;
    remove_at_run(false);
    remove_at_run(true);
}

/* A sparse map grows at half the load: 70 keys fit 128 slots at 3/4, not
 * at 1/2 (the first growth past 64 doubles to 256). */
static void t_sparse(void **state)
{
    (void)state;
    sd_hmap *plain = sd_hmap_new(16, 8, 0), *sparse = sd_hmap_new(16, 8, 0);
    sd_hmap_sparse(sparse);
    uint8_t k[16] = {0};
    for (uint32_t x = 1; x <= 70; x++) {
        memcpy(k, &x, sizeof x);
        assert_int_equal(sd_hmap_insert(plain, k, NULL), SD_HMAP_ADDED);
        assert_int_equal(sd_hmap_insert(sparse, k, NULL), SD_HMAP_ADDED);
    }
    assert_int_equal(sd_hmap_mem(sparse), 2 * sd_hmap_mem(plain));
    for (uint32_t x = 1; x <= 70; x++) {
        memcpy(k, &x, sizeof x);
        assert_non_null(sd_hmap_find(sparse, k));
    }
    sd_hmap_free(plain);
    sd_hmap_free(sparse);
}

/* sd_streamno's life: 100,000 ended connections remembered, the oldest
 * forgotten as each new one ends. The array must stay at half load or
 * more once tombstones are swept: 262,144 slots of 16 bytes and a 4-byte
 * tag (5.2 MB), not the 524,288 (10.5 MB) that doubling at 3/8 gave. */
static void t_churn_large(void **state)
{
    (void)state;
    enum { LIVE = 100000 };
    sd_hmap *m = sd_hmap_new(sizeof(uint64_t), sizeof(uint64_t), 0);
    for (uint64_t k = 0; k < 10 * LIVE; k++) {
        assert_int_equal(sd_hmap_insert(m, &k, NULL), SD_HMAP_ADDED);
        if (k >= LIVE) {
            uint64_t old = k - LIVE;
            assert_int_equal(sd_hmap_remove(m, &old, NULL), 1);
        }
    }
    assert_int_equal(sd_hmap_count(m), LIVE);
    assert_true(sd_hmap_mem(m) <= (size_t)LIVE * 3 * 20);
    for (uint64_t k = 9 * LIVE; k < 10 * LIVE; k++)
        assert_non_null(sd_hmap_find(m, &k));
    sd_hmap_free(m);
}

/* Keys alike but for one byte deep inside, in a map small enough that home
 * slots collide: the probe must compare whole keys. */
static void t_collisions(void **state)
{
    (void)state;
    typedef struct { uint8_t b[100]; } big;
    sd_hmap *m = sd_hmap_new(sizeof(big), sizeof(uint32_t), 0);
    big k;
    memset(&k, 0xab, sizeof k);
    for (uint32_t i = 0; i < 256; i++) {
        k.b[57] = (uint8_t)i;
        void *v;
        assert_int_equal(sd_hmap_insert(m, &k, &v), SD_HMAP_ADDED);
        memcpy(v, &i, sizeof i);
    }
    for (uint32_t i = 0; i < 256; i++) {
        k.b[57] = (uint8_t)i;
        uint32_t *v = sd_hmap_find(m, &k);
        assert_non_null(v);
        assert_int_equal(*v, i);
    }
    k.b[99] = 0;
    assert_null(sd_hmap_find(m, &k));
    sd_hmap_free(m);
}

/* Random inserts and removes over a small key space (dense probe runs,
 * wrap-around at the array's end, tombstones before empties) against a
 * plain array. */
static void t_model(void **state)
{
    (void)state;
    enum { NK = 96 };
    int model[NK];
    for (int i = 0; i < NK; i++)
        model[i] = -1;
    size_t live = 0;
    sd_hmap *m = sd_hmap_new(sizeof(uint16_t), sizeof(int), 0);
    uint32_t rng = 12345;
    for (int step = 0; step < 300000; step++) {
        rng = rng * 1103515245u + 12345u;
        uint16_t key = (uint16_t)((rng >> 8) % NK);
        bool ins = ((rng >> 24) & 3) != 0 || live < 8;
        if (ins) {
            void *v;
            sd_hmap_res r = sd_hmap_insert(m, &key, &v);
            assert_int_equal(r, model[key] >= 0 ? SD_HMAP_FOUND : SD_HMAP_ADDED);
            if (r == SD_HMAP_ADDED)
                live++;
            memcpy(v, &step, sizeof step);
            model[key] = step;
        } else {
            int out = -2;
            assert_int_equal(sd_hmap_remove(m, &key, &out), model[key] >= 0);
            if (model[key] >= 0) {
                assert_int_equal(out, model[key]);
                live--;
            }
            model[key] = -1;
        }
        assert_int_equal(sd_hmap_count(m), live);
        uint16_t probe = (uint16_t)((rng >> 3) % NK);
        int *pv = sd_hmap_find(m, &probe);
        if (model[probe] < 0)
            assert_null(pv);
        else
            assert_true(pv && *pv == model[probe]);
    }
    sd_hmap_free(m);
}

static void t_cap(void **state)
{
    (void)state;
    sd_hmap *m = sd_hmap_new(sizeof(uint32_t), sizeof(uint32_t), 100);
    for (uint32_t k = 0; k < 100; k++)
        assert_int_equal(sd_hmap_insert(m, &k, NULL), SD_HMAP_ADDED);
    uint32_t k = 100, k7 = 7;
    void *v = &k;
    assert_int_equal(sd_hmap_insert(m, &k, &v), SD_HMAP_FULL);
    assert_null(v);
    assert_int_equal(sd_hmap_refused(m), 1);
    assert_null(sd_hmap_find(m, &k));
    /* a present key is found, not refused */
    assert_int_equal(sd_hmap_insert(m, &k7, &v), SD_HMAP_FOUND);
    assert_non_null(v);
    assert_int_equal(sd_hmap_refused(m), 1);
    assert_int_equal(sd_hmap_insert(m, &k, NULL), SD_HMAP_FULL);
    assert_int_equal(sd_hmap_refused(m), 2);
    assert_int_equal(sd_hmap_count(m), 100);
    /* room again after a removal */
    assert_int_equal(sd_hmap_remove(m, &k7, NULL), 1);
    assert_int_equal(sd_hmap_insert(m, &k, NULL), SD_HMAP_ADDED);
    assert_int_equal(sd_hmap_count(m), 100);
    sd_hmap_free(m);
}

/* Every entry visited once; removing the current entry is allowed. */
static void t_iterate(void **state)
{
    (void)state;
    enum { N = 50000 };
    sd_hmap *m = sd_hmap_new(sizeof(uint32_t), sizeof(uint32_t), 0);
    for (uint32_t k = 0; k < N; k++) {
        void *v;
        sd_hmap_insert(m, &k, &v);
        uint32_t x = ~k;
        memcpy(v, &x, sizeof x);
    }
    uint8_t *seen = calloc(N, 1);
    assert_non_null(seen);
    sd_hmap_iter it = {0};
    size_t visits = 0;
    while (sd_hmap_next(m, &it)) {
        uint32_t k, x;
        memcpy(&k, it.key, sizeof k);
        memcpy(&x, it.val, sizeof x);
        assert_true(k < N);
        assert_int_equal(x, ~k);
        seen[k]++;
        visits++;
        if (k % 3 == 0)
            assert_int_equal(sd_hmap_remove(m, &k, NULL), 1);
    }
    assert_int_equal(visits, N);
    for (uint32_t k = 0; k < N; k++)
        assert_int_equal(seen[k], 1);
    assert_int_equal(sd_hmap_count(m), N - (N + 2) / 3);
    memset(seen, 0, N);
    it = (sd_hmap_iter){0};
    while (sd_hmap_next(m, &it)) {
        uint32_t k;
        memcpy(&k, it.key, sizeof k);
        assert_true(k % 3 != 0);
        seen[k]++;
    }
    for (uint32_t k = 0; k < N; k++)
        assert_int_equal(seen[k], k % 3 != 0);
    free(seen);
    sd_hmap_free(m);
}

static void t_vec(void **state)
{
    (void)state;
    SD_VEC(uint32_t) v = {0};
    for (uint32_t i = 0; i < MILLION; i++)
        *sd_vec_push(&v) = i * 7;
    assert_int_equal(v.n, MILLION);
    assert_true(v.cap >= v.n && v.cap < 2 * (size_t)MILLION + 8);
    for (uint32_t i = 0; i < MILLION; i++)
        assert_int_equal(v.v[i], i * 7);
    /* reserve keeps the contents and gives room without growing n */
    sd_vec_reserve(&v, 3 * (size_t)MILLION);
    assert_true(v.cap - v.n >= 3 * (size_t)MILLION);
    assert_int_equal(v.n, MILLION);
    assert_int_equal(v.v[MILLION - 1], (MILLION - 1) * 7);
    uint32_t *before = v.v;
    size_t cap = v.cap;
    sd_vec_reserve(&v, 10);
    assert_ptr_equal(v.v, before); /* room already there: no realloc */
    assert_int_equal(v.cap, cap);
    sd_vec_free(&v);
    assert_null(v.v);
    assert_int_equal(v.n + v.cap, 0);

    /* a struct of another element type, pushed one by one */
    typedef struct { uint64_t a; char s[13]; } item;
    SD_VEC(item) w = {0};
    for (int i = 0; i < 1000; i++) {
        item *it = sd_vec_push(&w);
        it->a = (uint64_t)i << 33;
        memset(it->s, 'a' + i % 26, sizeof it->s);
    }
    for (int i = 0; i < 1000; i++)
        assert_true(w.v[i].a == (uint64_t)i << 33 && w.v[i].s[12] == 'a' + i % 26);
    sd_vec_free(&w);
}

static uint64_t xorshift(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* sd_ts_iso against gmtime_r + strftime, the way it formatted before. */
static void iso_same(sd_ts t)
{
    int64_t s = t / SD_NS_PER_SEC, ns = t % SD_NS_PER_SEC;
    if (ns < 0) {
        ns += SD_NS_PER_SEC;
        s -= 1;
    }
    time_t tt = (time_t)s;
    struct tm tm;
    gmtime_r(&tt, &tm);
    char d[32], want[64], got[64];
    strftime(d, sizeof d, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(want, sizeof want, "%s.%06lldZ", d, (long long)(ns / 1000));
    assert_string_equal(sd_ts_iso(t, got, sizeof got), want);
}

/* sd_put_hex (16 bytes at a time) against printf's %02x: every byte value,
 * lengths around the block size. */
static void t_put_hex(void **st)
{
    (void)st;
    uint8_t p[300];
    for (size_t i = 0; i < sizeof p; i++)
        p[i] = (uint8_t)(255 - i);
    for (size_t len = 0; len <= sizeof p; len += len < 40 ? 1 : 29) {
        char got[2 * sizeof p + 1], want[2 * sizeof p + 1];
        for (size_t i = 0; i < len; i++)
            snprintf(want + 2 * i, 3, "%02x", p[i]);
        assert_ptr_equal(sd_put_hex(got, p, len), got + 2 * len);
        assert_memory_equal(got, want, 2 * len);
    }
}

/* sd_writev_all: empty entries skipped (an all-empty call writes nothing
 * and is no error), at an offset or the file position, whole; /dev/full
 * and a closed descriptor report what was written and errno. */
static void t_writev_all(void **st)
{
    (void)st;
    char path[] = "/tmp/sd_writev_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    char a[] = "hello", b[] = "world";
    struct iovec v[4] = { { a, 0 }, { a, 5 }, { b, 0 }, { b, 5 } };
    assert_int_equal(sd_writev_all(fd, v, 4, 3), 10);
    struct iovec e[2] = { { a, 0 }, { b, 0 } };
    assert_int_equal(sd_writev_all(fd, e, 2, -1), 0);
    assert_int_equal(sd_write_all(fd, "abc", 3), 3); /* at the position: 0 */
    char got[16] = { 0 };
    assert_int_equal(pread(fd, got, sizeof got, 0), 13);
    assert_memory_equal(got, "abc", 3);
    assert_memory_equal(got + 3, "helloworld", 10);
    close(fd);
    errno = 0;
    assert_int_equal(sd_write_all(fd, "x", 1), 0);
    assert_int_equal(errno, EBADF);
    int full = open("/dev/full", O_WRONLY);
    if (full >= 0) {
        errno = 0;
        assert_int_equal(sd_write_all(full, "x", 1), 0);
        assert_int_equal(errno, ENOSPC);
        close(full);
    }
}

static void t_formats(void **st)
{
    /* sd_ts (int64 ns) reaches 2262-04-11: its last whole second is the end */
    static const int64_t edge_s[] = { 0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 4107542399LL /* 2100-02-28 end */,
                                      1700000000, 9223372035LL, -1, -86401 };
    for (size_t i = 0; i < sizeof edge_s / sizeof edge_s[0]; i++)
        iso_same(edge_s[i] * SD_NS_PER_SEC + 123456789);
    iso_same(INT64_MAX);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 200000; i++)
        iso_same((sd_ts)(xorshift(&x) % (uint64_t)INT64_MAX));
    /* times a capture has: many on one day (the kept date), then the next
     * day, and back (the kept date replaced each time) */
    for (int64_t t = 1699920000LL * SD_NS_PER_SEC; t < 1700200000LL * SD_NS_PER_SEC; t += 777777777777LL)
        iso_same(t), iso_same(t - 86400 * SD_NS_PER_SEC), iso_same(t + 999999999 - t % 1000000000);
    for (int i = 0; i < 100000; i++) {
        sd_addr a = { .fam = 4 };
        uint32_t v = (uint32_t)xorshift(&x);
        if (i < 256)
            v = (uint32_t)i * 0x01010101u; /* 0.0.0.0 .. 255.255.255.255 */
        memcpy(a.a, &v, 4);
        char want[64], got[64];
        inet_ntop(AF_INET, a.a, want, sizeof want);
        assert_string_equal(sd_addr_str(&a, got, sizeof got), want);
    }
    sd_buf b = { 0 };
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sd_buf_printf(&b, "%s|%d", "ab", 7);     /* fits the first room */
    sd_buf_printf(&b, "%s|%s", big, "end"); /* needs a second pass */
    char want[400];
    snprintf(want, sizeof want, "ab|7%s|end", big);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.p, want, b.len);
    /* the decimal writers against printf, which they replace (sd_own's
     * records), at every edge */
    static const int64_t I[] = { 0, 1, -1, 9, 10, -10, 99999, INT64_MAX, INT64_MIN, INT64_MIN + 1 };
    static const uint64_t U[] = { 0, 1, 9, 10, 4294967295u, 18446744073709551615u, 10000000000000000000u };
    for (size_t i = 0; i < sizeof I / sizeof *I; i++) {
        b.len = 0;
        sd_buf_put_i64(&b, I[i]);
        snprintf(want, sizeof want, "%lld", (long long)I[i]);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.p, want, b.len);
    }
    for (size_t i = 0; i < sizeof U / sizeof *U; i++) {
        b.len = 0;
        sd_buf_put_u64(&b, U[i]);
        snprintf(want, sizeof want, "%llu", (unsigned long long)U[i]);
        assert_int_equal(b.len, strlen(want));
        assert_memory_equal(b.p, want, b.len);
    }
    uint8_t bytes[256];
    b.len = 0;
    for (size_t i = 0; i < sizeof bytes; i++) {
        bytes[i] = (uint8_t)i;
        snprintf(want + 2 * (i % 64), 3, "%02x", bytes[i]);
        if (i % 64 == 63) { /* 64 bytes at a time: want holds 128 digits */
            b.len = 0;
            sd_buf_put_hex(&b, bytes + i - 63, 64);
            assert_int_equal(b.len, 128);
            assert_memory_equal(b.p, want, 128);
        }
    }
    sd_buf_free(&b);
}

/* The event note's appenders against snprintf, which they replace: the
 * same text, the same cut where the note is full, every int64 edge. */
static void t_note_cat(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_event *e = sd_ev_add(&l, "auth_attempt", "Cx", 1, 0, 1, 1, SD_LEG_FORWARD);
    char want[sizeof e->note];
    sd_ev_note_cat(e, "password rejected");
    sd_ev_note_cat(e, ", typed by a person");
    sd_ev_note_cat(e, "");
    sd_ev_note_cat(e, ", password ");
    sd_ev_note_int(e, 8);
    sd_ev_note_cat(e, "-");
    sd_ev_note_int(e, 15);
    sd_ev_note_cat(e, " chars");
    snprintf(want, sizeof want, "%s %s%s, password %d-%d chars", "password", "rejected", ", typed by a person", 8, 15);
    assert_string_equal(e->note, want);
    static const long long ints[] = { 0, 9, 10, -1, -10, 99, 100, 1234567890123LL, INT64_MAX, INT64_MIN };
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        e->note[0] = '\0';
        sd_ev_note_cat(e, "n=");
        sd_ev_note_int(e, ints[i]);
        snprintf(want, sizeof want, "n=%lld", ints[i]);
        assert_string_equal(e->note, want);
    }
    /* a note that fills up: cut at 127 bytes as snprintf cuts, whatever
     * comes after (strings and numbers) */
    char big[200];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (size_t pre = 100; pre < 130; pre++) {
        e->note[0] = '\0';
        sd_ev_note_cat(e, big + sizeof big - 1 - pre);
        sd_ev_note_int(e, -123456789);
        sd_ev_note_cat(e, " tail");
        snprintf(want, sizeof want, "%s%d tail", big + sizeof big - 1 - pre, -123456789);
        assert_string_equal(e->note, want);
        assert_int_equal(strlen(e->note), SD_MIN(pre + 15, sizeof e->note - 1));
    }
    sd_evlist_free(&l);
}

/* sd_spare: a given-back object comes back cleared, at most cap are kept
 * (none under ASan), and what is kept is freed with the pool. */
static void t_spare(void **state)
{
    (void)state;
    enum { SIZE = 48 };
    sd_spare s;
    sd_spare_init(&s, 2);
    unsigned char *o[3];
    for (int i = 0; i < 3; i++) {
        o[i] = sd_spare_get(&s, SIZE);
        for (int k = 0; k < SIZE; k++)
            assert_int_equal(o[i][k], 0);
        memset(o[i], 0xa5, SIZE);
    }
    for (int i = 0; i < 3; i++)
        sd_spare_put(&s, o[i]);
#ifdef SD_ASAN
    assert_int_equal(s.n, 0);
#else
    assert_int_equal(s.n, 2); /* the third was freed */
    unsigned char *a = sd_spare_get(&s, SIZE);
    assert_ptr_equal(a, o[1]); /* the last kept comes first */
    for (int k = 0; k < SIZE; k++)
        assert_int_equal(a[k], 0);
    assert_int_equal(s.n, 1);
    sd_spare_put(&s, a);
#endif
    sd_spare_free(&s);
    assert_null(s.head);
    assert_int_equal(s.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_hash),
        cmocka_unit_test(t_hash_tail),
        cmocka_unit_test(t_spare),
        cmocka_unit_test(t_grow_million),
        cmocka_unit_test(t_churn),
        cmocka_unit_test(t_churn_large),
        cmocka_unit_test(t_remove_at),
        cmocka_unit_test(t_sparse),
        cmocka_unit_test(t_collisions),
        cmocka_unit_test(t_model),
        cmocka_unit_test(t_cap),
        cmocka_unit_test(t_iterate),
        cmocka_unit_test(t_vec),
        cmocka_unit_test(t_formats),
        cmocka_unit_test(t_put_hex),
        cmocka_unit_test(t_writev_all),
        cmocka_unit_test(t_note_cat),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
