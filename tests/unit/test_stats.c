/* Unit tests for sshflow's general statistics (src/ssh/sd_infer_stats.c):
 * the size table's cap is counted, modes rank by count then size, the mean
 * is exact and the median within the histogram's stated error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>

#include <cmocka.h>

#include "ssh/sd_infer_stats.h"

static void add(sd_sshstats *s, int dir, uint32_t len, double t)
{
    sd_ssh_record r = { .dir = dir, .wire_len = len };
    sd_sshstats_add(s, &r, (sd_ts)llround(t * 1e9));
}

static void test_size_cap(void **st)
{
    (void)st;
    static sd_sshstats s;
    for (uint32_t i = 0; i < SD_STATS_SIZES + 6; i++)
        add(&s, 0, 100 + i, i);
    add(&s, 0, 100, 200.0);
    assert_int_equal(s.d[0].nsizes, SD_STATS_SIZES);
    assert_int_equal(s.d[0].sizes_uncounted, 6);
    assert_int_equal(s.d[0].records, SD_STATS_SIZES + 7);
    sd_sshstats_mode m[3];
    assert_int_equal(sd_sshstats_modes(&s.d[0], m, 3), 3);
    assert_int_equal(m[0].size, 100); /* twice */
    assert_int_equal(m[0].count, 2);
    assert_int_equal(m[1].size, 101); /* ties: the smaller size first */
    assert_int_equal(m[2].size, 102);
    assert_int_equal(s.d[1].records, 0);
    assert_true(sd_sshstats_ipt_mean(&s.d[1]) < 0);
}

static void test_gaps(void **st)
{
    (void)st;
    static sd_sshstats s;
    /* gaps 0.1, 0.2, 0.4, 0.8 (lower median 0.2) and one late record with an
     * earlier time: a gap of 0 */
    double t[] = { 1.0, 1.1, 1.3, 1.7, 2.5, 2.0 };
    for (int i = 0; i < 6; i++)
        add(&s, 1, 36, t[i]);
    assert_int_equal(s.d[1].gaps, 5);
    assert_true(fabs(sd_sshstats_ipt_mean(&s.d[1]) - 1.5 / 5) < 1e-9);
    double med = sd_sshstats_ipt_median(&s.d[1]); /* sorted 0, .1, .2, .4, .8 */
    assert_true(fabs(med - 0.2) <= SD_STATS_IPT_ERR * 0.2);
    assert_true(fabs(med - 0.1) > SD_STATS_IPT_ERR * 0.1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_gaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
