/* Unit tests for src/flow/sd_tcpgap: Zeek's content gaps of one direction.
 * Holes and snaplen-cut bytes count once, when ACKed; copies that arrive
 * before the ACK fill them; the FIN's number is no data; a hole split by a
 * copy in its middle stays two pieces; across the 32-bit wrap; and past the
 * tracked pieces the lowest is counted early, never lost; past the inline
 * ranges they spill to the heap and are filled exactly, within a budget
 * for all lists together that frees what a list gives back. */
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flow/sd_tcpgap.h"

static void ack(sd_tcpgap *g, uint32_t a, uint64_t bytes, uint32_t ranges)
{
    sd_tcpgap_found r = sd_tcpgap_ack(g, a);
    assert_int_equal(r.bytes, bytes);
    assert_int_equal(r.ranges, ranges);
}

static void t_cut_and_jump(void **state)
{
    (void)state;
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 1000, 0, 0, false);   /* the handshake ACK starts it */
    sd_tcpgap_segment(&g, 1000, 100, 10, false); /* 90 bytes cut by the snaplen */
    sd_tcpgap_segment(&g, 1200, 50, 50, false);  /* 100 never seen before it */
    ack(&g, 1150, 90 + 50, 1);                   /* one piece: 1010..1150 */
    ack(&g, 1150, 0, 0);                         /* the same ACK again: nothing */
    ack(&g, 1250, 50, 1);
    ack(&g, 1300, 50, 1);                        /* past every segment: unseen data */
    sd_tcpgap_segment(&g, 1250, 50, 50, false);  /* too late: already counted */
    ack(&g, 1300, 0, 0);
    sd_tcpgap_free(&g);
}

/* A stream with one hole at a time allocates nothing: most flows never
 * have more. */
static void t_none_no_alloc(void **state)
{
    (void)state;
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 1000, 0, 0, false);
    sd_tcpgap_segment(&g, 1000, 100, 100, false);
    sd_tcpgap_segment(&g, 1100, 100, 100, false);
    ack(&g, 1200, 0, 0);
    assert_null(g.spill);
    sd_tcpgap_segment(&g, 1300, 10, 10, false); /* 1200..1300 missing */
    assert_null(g.spill);
    sd_tcpgap_segment(&g, 1400, 10, 10, false); /* and 1310..1400 */
    assert_non_null(g.spill);
    ack(&g, 1410, 190, 2);
    sd_tcpgap_free(&g);
    assert_null(g.spill);
}

static void t_fill_split_fin(void **state)
{
    (void)state;
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 0, 10, 10, false);
    sd_tcpgap_segment(&g, 100, 10, 10, false);   /* hole 10..100 */
    sd_tcpgap_segment(&g, 40, 20, 20, false);    /* a copy in its middle */
    sd_tcpgap_segment(&g, 10, 30, 30, false);    /* and one at its front */
    sd_tcpgap_segment(&g, 200, 0, 0, true);      /* FIN at 200: 110..200 unseen */
    ack(&g, 201, 40 + 90, 2);                    /* 60..100 and 110..200, not the FIN */
    ack(&g, 400, 0, 0);
    sd_tcpgap_free(&g);
}

static void t_wrap(void **state)
{
    (void)state;
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 0xFFFFFFF0u, 8, 8, false);
    sd_tcpgap_segment(&g, 0x10, 8, 8, false);    /* hole across the wrap: 24 bytes */
    ack(&g, 0x18, 24, 1);
    sd_tcpgap_free(&g);
}

static void t_cap(void **state)
{
    (void)state;
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 0, 0, 0, false);
    for (uint32_t i = 0; i < SD_TCPGAP_RANGES + 3; i++)
        sd_tcpgap_segment(&g, 10 + 20 * i, 10, 10, false); /* a 10-byte hole before each */
    assert_int_equal(g.capped, 3);
    sd_tcpgap_segment(&g, 0, 10, 10, false);     /* the lowest, settled early, stays counted */
    ack(&g, 20 * (SD_TCPGAP_RANGES + 3), 10 * (SD_TCPGAP_RANGES + 3), SD_TCPGAP_RANGES + 3);
    sd_tcpgap_free(&g);
}

/* 1-byte segments, every other one first: one hole per byte, far more
 * than the inline ranges, all filled before the ACK: nothing missed. */
static void t_spill(void **state)
{
    (void)state;
    enum { BYTES = 600 };
    sd_tcpgap g = { 0 };
    sd_tcpgap_segment(&g, 0, 0, 0, false);
    for (uint32_t half = 0; half < 2; half++)
        for (uint32_t i = half; i < BYTES; i += 2)
            sd_tcpgap_segment(&g, i, 1, 1, false);
    assert_int_equal(g.capped, 0);
    assert_int_equal(g.n, 0);
    ack(&g, BYTES, 0, 0);
    for (uint32_t i = 1; i < BYTES; i += 2) /* BYTES / 2 holes left open, then ACKed */
        sd_tcpgap_segment(&g, BYTES + i, 1, 1, false);
    assert_int_equal(g.n, BYTES / 2);
    ack(&g, 2 * BYTES, BYTES / 2, BYTES / 2);
    assert_int_equal(g.n, 0);
    sd_tcpgap_free(&g);
}

/* n 10-byte holes in g (its segments 10 bytes apart). */
static void holes(sd_tcpgap *g, uint32_t n)
{
    sd_tcpgap_segment(g, 0, 0, 0, false);
    for (uint32_t i = 0; i < n; i++)
        sd_tcpgap_segment(g, 10 + 20 * i, 10, 10, false);
}

static void t_budget(void **state)
{
    (void)state;
    size_t full = SD_TCPGAP_SPILL_TOTAL / SD_TCPGAP_RANGES; /* lists at the cap the budget holds */
    sd_tcpgap *g = calloc(full + 1, sizeof *g);
    assert_non_null(g);
    for (size_t i = 0; i < full; i++) {
        holes(&g[i], SD_TCPGAP_RANGES);
        assert_int_equal(g[i].capped, 0);
    }
    holes(&g[full], SD_TCPGAP_INLINE + 5); /* nothing left to spill into */
    assert_int_equal(g[full].capped, 5);
    sd_tcpgap_free(&g[0]);
    sd_tcpgap extra = { 0 };
    holes(&extra, SD_TCPGAP_RANGES); /* what g[0] gave back */
    assert_int_equal(extra.capped, 0);
    sd_tcpgap_free(&extra);
    for (size_t i = 0; i <= full; i++)
        sd_tcpgap_free(&g[i]);
    free(g);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_cut_and_jump), cmocka_unit_test(t_fill_split_fin),
                                        cmocka_unit_test(t_wrap), cmocka_unit_test(t_cap),
                                        cmocka_unit_test(t_none_no_alloc), cmocka_unit_test(t_spill), cmocka_unit_test(t_budget) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
