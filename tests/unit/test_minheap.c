/* Unit tests for src/common/sd_minheap: built or grown one by one, the
 * heap gives its elements back in order (a heapsort checked against
 * qsort), for 4-byte keys and for 3-byte records whose order is a
 * caller's context; a max-heap by the reversed order; n 0 and 1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sd_minheap.h"

static bool u32_less(const void *a, const void *b, const void *ud)
{
    bool reverse = ud != NULL;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return reverse ? x > y : x < y;
}

static int u32_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Pops every element of a heap of n into out (smallest first). */
static void drain(const sd_minheap *h, size_t n, uint32_t *out)
{
    uint32_t *v = h->base;
    for (size_t k = 0; n; k++) {
        out[k] = v[0];
        v[0] = v[--n];
        sd_minheap_down(h, n, 0);
    }
}

static void t_heapsort(void **state)
{
    (void)state;
    enum { N = 1000 };
    static uint32_t v[N], want[N], got[N];
    srand(7);
    for (size_t n = 0; n <= N; n += n < 10 ? 1 : 97) {
        for (size_t i = 0; i < n; i++)
            v[i] = want[i] = (uint32_t)rand() % 50; /* many ties */
        qsort(want, n, sizeof *want, u32_cmp);
        sd_minheap h = { v, sizeof *v, u32_less, NULL };
        sd_minheap_build(&h, n);
        drain(&h, n, got);
        assert_memory_equal(got, want, n * sizeof *got);
        for (size_t i = 0; i < n; i++) { /* the same pushed one by one */
            v[i] = want[n - 1 - i];
            sd_minheap_up(&h, i);
        }
        drain(&h, n, got);
        assert_memory_equal(got, want, n * sizeof *got);
    }
}

static void t_max(void **state)
{
    (void)state;
    uint32_t v[] = { 5, 9, 1, 7, 3 };
    sd_minheap h = { v, sizeof *v, u32_less, "reverse" };
    sd_minheap_build(&h, 5);
    assert_int_equal(v[0], 9);
}

/* 3-byte records ordered by their middle byte through the caller's table. */
typedef struct rec3 {
    unsigned char b[3];
} rec3;

static bool rec_less(const void *a, const void *b, const void *rank)
{
    const unsigned char *r = rank;
    return r[((const rec3 *)a)->b[1]] < r[((const rec3 *)b)->b[1]];
}

static void t_odd_size(void **state)
{
    (void)state;
    unsigned char rank[256];
    for (int i = 0; i < 256; i++)
        rank[i] = (unsigned char)(255 - i);
    rec3 v[64];
    for (int i = 0; i < 64; i++)
        v[i] = (rec3){ { (unsigned char)i, (unsigned char)(i * 37 % 64), (unsigned char)~i } };
    sd_minheap h = { v, sizeof *v, rec_less, rank };
    sd_minheap_build(&h, 64);
    for (int n = 64, want = 63; n; n--, want--) {
        assert_int_equal(v[0].b[1], want); /* highest middle byte first: rank reversed */
        assert_int_equal((unsigned char)~v[0].b[0], v[0].b[2]); /* moved whole */
        v[0] = v[n - 1];
        sd_minheap_down(&h, (size_t)n - 1, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_heapsort), cmocka_unit_test(t_max),
                                        cmocka_unit_test(t_odd_size) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
