/* Unit tests for sshflow's general statistics (src/ssh/sd_infer_stats.c):
 * the size table's cap is counted, modes rank by count then size, the mean
 * is exact and the median within the histogram's stated error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_infer_stats.h"

static void add(sd_sshstats *s, int dir, uint32_t len, double t)
{
    sd_ssh_record r = { .dir = dir, .wire_len = len };
    sd_sshstats_add(s, &r, (sd_ts)llround(t * 1e9));
}

/* The median a single gap of ns nanoseconds gets, by the histogram's
 * definition (sd_infer_stats.h): bin floor(log10(g / MIN) * PER_DECADE) + 1
 * (0 below MIN, the last one past the range), reported as the bin's
 * geometric middle (the last bin: its lower bound). */
static double median_by_definition(int64_t ns)
{
    double g = sd_ts_sec(ns);
    if (!(g >= SD_STATS_IPT_MIN_S))
        return 0.0;
    double kf = floor(log10(g / SD_STATS_IPT_MIN_S) * SD_STATS_IPT_PER_DECADE) + 1.0;
    uint32_t k = kf >= SD_STATS_IPT_BINS - 1 ? SD_STATS_IPT_BINS - 1 : (uint32_t)kf;
    double lo = (double)(k - 1) / SD_STATS_IPT_PER_DECADE;
    double e = k == SD_STATS_IPT_BINS - 1 ? lo : lo + 0.5 / SD_STATS_IPT_PER_DECADE;
    return SD_STATS_IPT_MIN_S * pow(10.0, e);
}

static double median_of_one_gap(int64_t ns)
{
    sd_sshstats s = { 0 };
    sd_ssh_record r = { .dir = 0, .wire_len = 36 };
    sd_sshstats_add(&s, &r, 1000);
    sd_sshstats_add(&s, &r, 1000 + ns);
    double m = sd_sshstats_ipt_median(&s.d[0]);
    sd_sshstats_free(&s);
    return m;
}

/* The bin comes from a table of edges, not log10 per record: the same bin
 * (the same printed median) as the definition, at every edge and between. */
static void test_bins_as_defined(void **st)
{
    (void)st;
    for (uint32_t k = 0; k <= SD_STATS_IPT_BINS; k++) { /* around each edge */
        double x = SD_STATS_IPT_MIN_S * pow(10.0, (double)k / SD_STATS_IPT_PER_DECADE) * 1e9;
        int64_t c = (int64_t)llround(x);
        for (int64_t d = -3; d <= 3; d++)
            if (c + d > 0)
                assert_true(median_of_one_gap(c + d) == median_by_definition(c + d));
    }
    uint64_t r = 88172645463325252ull; /* xorshift: log-uniform gaps from 1 ns to 11 days */
    for (int i = 0; i < 200000; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        int64_t ns = (int64_t)llround(pow(10.0, (double)(r % 1000000) / 1000000.0 * 15.0));
        assert_true(median_of_one_gap(ns) == median_by_definition(ns));
    }
}

/* Past SD_STATS_IPT_FEW gaps the histogram takes over: the median is the
 * same whether it comes from the short list or the histogram. */
static void test_few_then_histogram(void **st)
{
    (void)st;
    sd_sshstats s = { 0 };
    static const int64_t gap[3] = { 1200000, 12000000, 120000000 }; /* 1.2, 12, 120 ms */
    uint64_t n[3] = { 0, 0, 0 }; /* gaps of each length so far */
    sd_ssh_record r = { .dir = 0, .wire_len = 36 };
    sd_ts t = 1000000000;
    sd_sshstats_add(&s, &r, t);
    for (uint32_t i = 0; i < 3 * SD_STATS_IPT_FEW; i++) {
        int c = (int)((i * 2u) % 3u); /* 0, 2, 1, 0, ...: every length keeps coming */
        t += gap[c];
        n[c]++;
        sd_sshstats_add(&s, &r, t);
        uint64_t rank = (s.d[0].gaps + 1) / 2; /* the lower median's rank */
        int64_t want = rank <= n[0] ? gap[0] : rank <= n[0] + n[1] ? gap[1] : gap[2];
        assert_true(sd_sshstats_ipt_median(&s.d[0]) == median_by_definition(want));
    }
    assert_true(s.d[0].gaps > SD_STATS_IPT_FEW);
    assert_non_null(s.d[0].ipt);
    sd_sshstats_free(&s);
}

/* sd_sshstats_clear on memory full of old values gives the statistics a
 * zero-filled sd_sshstats gives (it writes only the counters). */
static void test_clear_as_zeroed(void **st)
{
    (void)st;
    static sd_sshstats a, z;
    memset(&a, 0xa5, sizeof a);
    sd_sshstats_clear(&a);
    double t[] = { 1.0, 1.25, 1.3, 2.0, 2.5 };
    for (int i = 0; i < 5; i++) {
        add(&a, i % 2, 100 + 16 * (uint32_t)(i % 3), t[i]);
        add(&z, i % 2, 100 + 16 * (uint32_t)(i % 3), t[i]);
    }
    for (int d = 0; d < 2; d++) {
        sd_sshstats_mode ma[5], mz[5];
        uint32_t n = sd_sshstats_modes(&a.d[d], ma, 5);
        assert_int_equal(n, sd_sshstats_modes(&z.d[d], mz, 5));
        for (uint32_t i = 0; i < n; i++) {
            assert_int_equal(ma[i].size, mz[i].size);
            assert_int_equal(ma[i].count, mz[i].count);
        }
        assert_true(sd_sshstats_ipt_mean(&a.d[d]) == sd_sshstats_ipt_mean(&z.d[d]));
        assert_true(sd_sshstats_ipt_median(&a.d[d]) == sd_sshstats_ipt_median(&z.d[d]));
        assert_int_equal(a.d[d].records, z.d[d].records);
        assert_int_equal(a.d[d].bytes, z.d[d].bytes);
        assert_int_equal(a.d[d].sizes_uncounted, z.d[d].sizes_uncounted);
        assert_null(a.d[d].ipt);
    }
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
        cmocka_unit_test(test_clear_as_zeroed),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_bins_as_defined),
        cmocka_unit_test(test_few_then_histogram),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
