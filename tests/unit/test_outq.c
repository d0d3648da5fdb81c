/* Unit tests for sd_outq (src/out/sd_outq.c): items of ssh's size (4 kB)
 * are handled in the order they are put, every one by the time
 * sd_outq_sync returns, with a writer told at once, every SD_OUTQ_PUBLISH
 * items or only when the ring is full; the ring's slots come round after
 * SD_OUTQ_ITEMS puts (a guard for a change of the ring's size: stop 41,
 * bench/README.md). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_outq.h"

typedef struct seen {
    uint64_t next; /* the number the next item must carry */
    uint64_t bad;  /* items out of order or with a wrong fill */
} seen;

enum { BIG = 4096 }; /* ssh's item size */

static void check(void *ud, void *item)
{
    seen *s = ud;
    uint64_t n;
    memcpy(&n, item, sizeof n);
    const unsigned char *b = item;
    if (n != s->next || b[BIG - 1] != (unsigned char)n)
        s->bad++;
    s->next = n + 1;
}

/* Puts n numbered items. */
static void put_many(sd_outq *q, uint64_t n, uint64_t sync_every)
{
    for (uint64_t i = 0; i < n; i++) {
        unsigned char *p = sd_outq_slot(q);
        memcpy(p, &i, sizeof i);
        p[BIG - 1] = (unsigned char)i;
        sd_outq_put(q);
        if (sync_every && (i + 1) % sync_every == 0)
            sd_outq_sync(q);
    }
}

static void run(unsigned publish, uint64_t sync_every)
{
    seen s = { 0 };
    sd_outq *q = sd_outq_start(BIG, publish, check, &s);
    assert_non_null(q);
    enum { N = 5000 }; /* several turns of any ring */
    put_many(q, N, sync_every);
    sd_outq_sync(q);
    assert_int_equal(s.next, N); /* every item handled at the sync */
    assert_int_equal(s.bad, 0);
    sd_outq_end(q);
}

static void test_order_default(void **st)
{
    (void)st;
    run(0, 0);
}

static void test_order_lagging_writer(void **st)
{
    (void)st;
    run(SD_OUTQ_ITEMS, 0); /* the tests' setting: told only when the ring is full or at a sync */
    run(SD_OUTQ_ITEMS, 77);
}

static void test_order_told_each(void **st)
{
    (void)st;
    run(1, 0);
}

/* The slot first given comes back after SD_OUTQ_ITEMS puts. */
static void small(void *ud, void *item)
{
    uint64_t *n = ud;
    (*n)++;
    (void)item;
}

static void test_small_items_whole_ring(void **st)
{
    (void)st;
    uint64_t n = 0;
    sd_outq *q = sd_outq_start(64, 0, small, &n);
    assert_non_null(q);
    unsigned char *first = sd_outq_slot(q);
    sd_outq_put(q);
    size_t turn = 1;
    for (; turn < 2 * SD_OUTQ_ITEMS; turn++) {
        unsigned char *p = sd_outq_slot(q);
        sd_outq_put(q);
        if (p == first)
            break;
    }
    sd_outq_end(q);
    assert_int_equal(turn, SD_OUTQ_ITEMS);
    assert_int_equal(n, turn + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_default),
        cmocka_unit_test(test_order_lagging_writer),
        cmocka_unit_test(test_order_told_each),
        cmocka_unit_test(test_small_items_whole_ring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
