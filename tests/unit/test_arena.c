/* Unit tests for sd_arena (src/common/sd_arena.c): allocations are
 * aligned, disjoint and keep their bytes across later ones, large ones get
 * their own chunk, the arena is empty after sd_arena_free and can be used
 * again, and what it holds is counted; arenas let go on another thread
 * come back to the allocating one. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/sd_arena.h"
#include "common/sd_common.h"

static void test_disjoint_and_aligned(void **st)
{
    (void)st;
    sd_arena a = { 0 };
    enum { N = 400 };
    unsigned char *p[N];
    size_t len[N];
    for (int i = 0; i < N; i++) {
        len[i] = (size_t)(i * 37 % 300); /* 0..299 bytes: many chunks */
        p[i] = sd_arena_alloc(&a, len[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % _Alignof(max_align_t), 0);
        memset(p[i], i & 0xff, len[i]);
    }
    for (int i = 0; i < N; i++) /* nothing later wrote over an earlier one */
        for (size_t k = 0; k < len[i]; k++)
            assert_int_equal(p[i][k], i & 0xff);
    assert_true(a.bytes >= 400u * 150u);
    sd_arena_free(&a);
    assert_null(a.chunks);
    assert_int_equal(a.bytes, 0);
}

static void test_large_and_strings(void **st)
{
    (void)st;
    sd_arena a = { 0 };
    char *small = sd_arena_strndup(&a, "SSH-2.0-x", 9);
    unsigned char *big = sd_arena_alloc(&a, 3 * SD_ARENA_CHUNK); /* its own chunk */
    memset(big, 0xab, 3 * SD_ARENA_CHUNK);
    char *after = sd_arena_strndup(&a, "abc\0def", 7); /* n bytes, not up to a NUL */
    unsigned char *z = sd_arena_zalloc(&a, 1000);
    assert_string_equal(small, "SSH-2.0-x");
    assert_int_equal(memcmp(after, "abc\0def", 8), 0);
    for (size_t k = 0; k < 1000; k++)
        assert_int_equal(z[k], 0);
    assert_int_equal(big[0], 0xab);
    assert_int_equal(big[3 * SD_ARENA_CHUNK - 1], 0xab);
    assert_true(a.bytes >= 3 * SD_ARENA_CHUNK);
    sd_arena_free(&a);
    /* used again after free: chunks come back from the spare list */
    for (int round = 0; round < 3; round++) {
        char *s = sd_arena_strndup(&a, "again", 5);
        assert_string_equal(s, "again");
        sd_arena_free(&a);
    }
}

enum { DRAIN = 80 }; /* more arenas than SD_ARENA_SPARE: the spare list runs out */

/* Arenas enough to take every kept chunk: the next ones come from what
 * another thread handed back, or from the heap. */
static void drain_spare(sd_arena d[DRAIN])
{
    for (int i = 0; i < DRAIN; i++) {
        d[i] = (sd_arena){ 0 };
        sd_arena_strndup(&d[i], "x", 1);
    }
}

static void drain_free(sd_arena d[DRAIN])
{
    for (int i = 0; i < DRAIN; i++)
        sd_arena_free(&d[i]);
}

static void *free_there(void *a)
{
    sd_arena_free_remote(a);
    return NULL;
}

static void free_on_thread(sd_arena *a)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, free_there, a), 0);
    assert_int_equal(pthread_join(t, NULL), 0);
}

/* sd_arena_free_remote on another thread: the arena is empty, its standard
 * chunk is the next one this thread's arenas get once the spare list has
 * run out, and a large chunk is freed there (ASan would see it leak or
 * freed twice). Under ASan every allocation is its own block, never kept. */
static void test_free_remote(void **st)
{
    (void)st;
    sd_arena drain[DRAIN];
    drain_spare(drain);
    sd_arena a = { 0 };
    char *p = sd_arena_strndup(&a, "handed over", 11);
    sd_arena_alloc(&a, 2 * SD_ARENA_CHUNK); /* its own chunk */
    free_on_thread(&a);
    assert_null(a.chunks);
    assert_int_equal(a.bytes, 0);
    sd_arena b = { 0 };
    char *q = sd_arena_strndup(&b, "back", 4);
#ifndef SD_ASAN
    assert_ptr_equal(q, p); /* the chunk came back */
#else
    (void)p;
#endif
    assert_string_equal(q, "back");
    sd_arena_free(&b);
    drain_free(drain);
}

/* Chunks handed back by another thread are taken newest first, one at a
 * time: the one freed last (its lines most likely still cached) goes to
 * the next arena even when older ones are still waiting. Taking the list
 * whole (before issue #11's eperf14) gave the older one here. */
static void test_free_remote_newest_first(void **st)
{
    (void)st;
    sd_arena drain[DRAIN];
    drain_spare(drain);
    sd_arena old = { 0 }, mid = { 0 }, last = { 0 };
    char *po = sd_arena_strndup(&old, "o", 1), *pm = sd_arena_strndup(&mid, "m", 1);
    char *pl = sd_arena_strndup(&last, "l", 1);
    free_on_thread(&old);
    free_on_thread(&mid);
    sd_arena x = { 0 }, y = { 0 };
    char *qx = sd_arena_strndup(&x, "x", 1);
    free_on_thread(&last); /* after the first taking: newer than old */
    char *qy = sd_arena_strndup(&y, "y", 1);
    sd_arena z = { 0 };
    char *qz = sd_arena_strndup(&z, "z", 1);
#ifndef SD_ASAN
    assert_ptr_equal(qx, pm);
    assert_ptr_equal(qy, pl);
    assert_ptr_equal(qz, po); /* the older one waited */
#else
    (void)po, (void)pm, (void)pl, (void)qx, (void)qy, (void)qz;
#endif
    sd_arena_free(&x);
    sd_arena_free(&y);
    sd_arena_free(&z);
    drain_free(drain);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_disjoint_and_aligned),
        cmocka_unit_test(test_large_and_strings),
        cmocka_unit_test(test_free_remote),
        cmocka_unit_test(test_free_remote_newest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
