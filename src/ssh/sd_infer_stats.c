/* sd_infer_stats: per-direction record statistics (see sd_infer_stats.h). */
#include "sd_infer_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The histogram bin of an inter-record time of g seconds, by its
 * definition; ipt_bin gives the same from a table. */
static uint32_t ipt_bin_log(double g)
{
    if (!(g >= SD_STATS_IPT_MIN_S)) /* also a NaN: cannot happen, counted as 0 */
        return 0;
    double k = floor(log10(g / SD_STATS_IPT_MIN_S) * SD_STATS_IPT_PER_DECADE) + 1.0;
    return k >= SD_STATS_IPT_BINS - 1 ? SD_STATS_IPT_BINS - 1 : (uint32_t)k;
}

/* A time that stands for bin k: 0 for bin 0, the geometric middle of the
 * bin, the lower bound of the last (open) bin. */
static double ipt_bin_pow(uint32_t k)
{
    if (k == 0)
        return 0.0;
    double lo = (double)(k - 1) / SD_STATS_IPT_PER_DECADE;
    double e = k == SD_STATS_IPT_BINS - 1 ? lo : lo + 0.5 / SD_STATS_IPT_PER_DECADE;
    return SD_STATS_IPT_MIN_S * pow(10.0, e);
}

/* No log10 per record: edge[k] is the least gap that ipt_bin_log puts in
 * bin k or above, found once by stepping from an estimate one double at a
 * time (tests/unit/test_stats.c compares the bins with the definition). */
static double edge[SD_STATS_IPT_BINS], value[SD_STATS_IPT_BINS];

/* A gap's bin from its double's top bits, not a binary search over the
 * edges (9 steps, a sixth of `ssh --json`'s writer on 10,000 short
 * connections was sd_sshstats_add): the sign, the exponent and the top
 * IPT_IDX_MANT mantissa bits cut the range into steps of a factor
 * 2^(1/16) = 1.044 at most, less than a bin's 10^(1/40) = 1.059, so a step
 * holds at most one edge. idx_bin[i] is the bin of step i's least double;
 * a gap's bin is that or the next (one comparison; the loop in ipt_bin
 * makes it exact whatever the table says, as the bin is monotonic). */
#define IPT_IDX_MANT 4u
#define IPT_IDX_SHIFT (52u - IPT_IDX_MANT)
/* Steps from edge[1] (1e-6 s, 2^-20 and up) to the last edge (1e4 s, below
 * 2^14): 34 binades of 16, with room. */
#define IPT_IDX_CAP 640u
static uint16_t idx_bin[IPT_IDX_CAP];
static uint64_t idx_base;

static uint64_t dbits(double x)
{
    uint64_t b;
    memcpy(&b, &x, sizeof b);
    return b;
}

/* The bin of g by binary search over the edges: what fills idx_bin. */
static uint32_t ipt_bin_search(double g)
{
    if (!(g >= edge[1]))
        return 0;
    uint32_t lo = 1, hi = SD_STATS_IPT_BINS - 1; /* edge[lo] <= g; the answer is in [lo, hi] */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (edge[mid] <= g)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

static void make_tables(void)
{
    static bool made;
    if (made)
        return;
    for (uint32_t k = 1; k < SD_STATS_IPT_BINS; k++) {
        double x = SD_STATS_IPT_MIN_S * pow(10.0, (double)(k - 1) / SD_STATS_IPT_PER_DECADE);
        while (x > 0 && ipt_bin_log(x) >= k)
            x = nextafter(x, 0.0);
        while (ipt_bin_log(x) < k)
            x = nextafter(x, INFINITY);
        edge[k] = x;
        value[k] = ipt_bin_pow(k);
    }
    idx_base = dbits(edge[1]) >> IPT_IDX_SHIFT;
    uint64_t top = dbits(edge[SD_STATS_IPT_BINS - 1]) >> IPT_IDX_SHIFT;
    _Static_assert(SD_STATS_IPT_BINS <= UINT16_MAX, "bins fit idx_bin");
    if (top - idx_base >= IPT_IDX_CAP)
        abort(); /* the constants of sd_infer_stats.h outgrew IPT_IDX_CAP */
    for (uint64_t i = 0; i <= top - idx_base; i++) {
        uint64_t b = (idx_base + i) << IPT_IDX_SHIFT;
        double x;
        memcpy(&x, &b, sizeof x);
        idx_bin[i] = (uint16_t)ipt_bin_search(x);
    }
    made = true;
}

static uint32_t ipt_bin(double g)
{
    if (!(g >= edge[1]))
        return 0;
    if (g >= edge[SD_STATS_IPT_BINS - 1])
        return SD_STATS_IPT_BINS - 1;
    uint32_t k = idx_bin[(dbits(g) >> IPT_IDX_SHIFT) - idx_base]; /* edge[k] <= g */
    while (edge[k + 1] <= g) /* k + 1 < SD_STATS_IPT_BINS - 1 here: g is below the last edge */
        k++;
    return k;
}

void sd_sshstats_free(sd_sshstats *s)
{
    if (!s)
        return;
    for (int i = 0; i < 2; i++) {
        free(s->d[i].ipt);
        s->d[i].ipt = NULL;
    }
}

void sd_sshstats_clear(sd_sshstats *s)
{
    for (int i = 0; i < 2; i++) {
        sd_sshstats_dir *d = &s->d[i];
        d->records = d->bytes = d->sizes_uncounted = d->gaps = 0;
        d->nsizes = 0;
        d->last_ts = 0;
        d->gap_sum_s = 0;
        d->ipt = NULL;
    }
}

/* Counts a gap's bin: in the short list while it has room, then in the
 * histogram (allocated then, with the list's bins moved in). */
static void count_gap(sd_sshstats_dir *d, uint32_t bin)
{
    if (!d->ipt && d->gaps <= SD_STATS_IPT_FEW) {
        d->few[d->gaps - 1] = (uint16_t)bin;
        return;
    }
    if (!d->ipt) {
        d->ipt = sd_calloc(SD_STATS_IPT_BINS, sizeof *d->ipt);
        for (uint32_t i = 0; i < SD_STATS_IPT_FEW; i++)
            d->ipt[d->few[i]]++;
    }
    d->ipt[bin]++;
}

static void count_size(sd_sshstats_dir *d, uint32_t size)
{
    for (uint32_t i = 0; i < d->nsizes; i++)
        if (d->size[i] == size) {
            d->size_n[i]++;
            return;
        }
    if (d->nsizes == SD_STATS_SIZES) {
        d->sizes_uncounted++;
        return;
    }
    d->size[d->nsizes] = size;
    d->size_n[d->nsizes++] = 1;
}

void sd_sshstats_add(sd_sshstats *s, const sd_ssh_record *r, sd_ts ts)
{
    if (r->dir != 0 && r->dir != 1)
        return;
    sd_sshstats_dir *d = &s->d[r->dir];
    if (d->records) {
        /* a record delivered late from the reassembly buffer may carry an
         * earlier time: a gap of 0, not a negative one */
        double g = ts > d->last_ts ? sd_ts_sec(ts - d->last_ts) : 0.0;
        d->gaps++;
        d->gap_sum_s += g;
        make_tables();
        count_gap(d, ipt_bin(g));
    }
    if (!d->records || ts > d->last_ts)
        d->last_ts = ts;
    d->records++;
    d->bytes += r->wire_len;
    count_size(d, r->wire_len);
}

/* Whether table entry i ranks before entry j. */
static bool ranks_before(const sd_sshstats_dir *d, uint32_t i, uint32_t j)
{
    if (d->size_n[i] != d->size_n[j])
        return d->size_n[i] > d->size_n[j];
    return d->size[i] < d->size[j];
}

uint32_t sd_sshstats_modes(const sd_sshstats_dir *d, sd_sshstats_mode *out, uint32_t max)
{
    uint32_t n = 0;
    bool taken[SD_STATS_SIZES] = { false };
    while (n < max && n < d->nsizes) { /* selection: max is small */
        uint32_t best = UINT32_MAX;
        for (uint32_t i = 0; i < d->nsizes; i++)
            if (!taken[i] && (best == UINT32_MAX || ranks_before(d, i, best)))
                best = i;
        taken[best] = true;
        out[n++] = (sd_sshstats_mode){ .size = d->size[best], .count = d->size_n[best] };
    }
    return n;
}

double sd_sshstats_ipt_mean(const sd_sshstats_dir *d)
{
    return d->gaps ? d->gap_sum_s / (double)d->gaps : -1.0;
}

/* The lower median: the gap of rank (gaps + 1) / 2 in time order. */
double sd_sshstats_ipt_median(const sd_sshstats_dir *d)
{
    if (!d->gaps)
        return -1.0;
    uint64_t rank = (d->gaps + 1) / 2, seen = 0;
    make_tables();
    if (!d->ipt) { /* the short list: its rank-th smallest bin */
        uint16_t b[SD_STATS_IPT_FEW];
        uint32_t n = (uint32_t)d->gaps;
        for (uint32_t i = 0; i < n; i++) { /* insertion sort of at most 24 */
            uint32_t j = i;
            for (; j > 0 && b[j - 1] > d->few[i]; j--)
                b[j] = b[j - 1];
            b[j] = d->few[i];
        }
        return value[b[rank - 1]];
    }
    for (uint32_t k = 0; k < SD_STATS_IPT_BINS; k++) {
        seen += d->ipt[k];
        if (seen >= rank)
            return value[k];
    }
    return -1.0; /* not reached: the bins hold every gap */
}
