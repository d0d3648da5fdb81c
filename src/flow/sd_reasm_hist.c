/* sd_reasm_hist: the reassembler's history of delivered bytes (see
 * sd_reasm.c): a ring indexed by offset with the frames that carried them,
 * against which retransmissions are checked and inconsistencies reported. */
#include "sd_reasm_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- history of delivered bytes ---- */

void sdr_hist_reset(sd_reasm *r)
{
    r->hstart = r->next_off;
    r->rcount = 0;
}

/* Largest power of two <= x (0 for 0). */
static size_t pow2_floor(size_t x)
{
    /* the top bit, not a doubling loop: this runs for every delivered chunk */
    _Static_assert(sizeof(size_t) <= sizeof(unsigned long long), "size_t fits the builtin");
    return x == 0 ? 0 : (size_t)1 << (sizeof(unsigned long long) * 8 - 1 - (size_t)__builtin_clzll((unsigned long long)x));
}

/* The byte ring's limit: half of hist_cap (see SD_REASM_HIST_CAP_DEFAULT);
 * 0 = no history. */
static size_t hist_limit(const sd_reasm *r)
{
    return r->opts.hist_cap < REASM_HIST_CAP_MIN ? 0 : pow2_floor(r->opts.hist_cap / 2);
}

/* The frame ring's limit: the other half, in records. */
static uint32_t recs_limit(const sd_reasm *r)
{
    size_t n = pow2_floor(r->opts.hist_cap / 2 / sizeof(hrec));
    return n > UINT32_MAX / 2 ? UINT32_MAX / 2 + 1 : (uint32_t)n;
}

/* Make room for len more bytes; grows the ring (power of two) up to the
 * limit, then old bytes simply fall out. */
static void hist_reserve(sd_reasm *r, uint64_t len)
{
    uint64_t want = (r->next_off - r->hstart) + len;
    if (want <= r->hcap) /* first: the ring's usual state, without the limit's arithmetic */
        return;
    size_t lim = hist_limit(r);
    if (lim == 0 || r->hcap >= lim)
        return;
    size_t ncap = r->hcap ? r->hcap : SD_MIN((size_t)REASM_HIST_MIN, lim);
    while (ncap < want && ncap < lim)
        ncap <<= 1;
    uint8_t *nh = sd_malloc(ncap);
    /* the held bytes [hstart, next_off) move to their places in the larger
     * ring: at most two runs in the old ring, each at most two in the new */
    for (uint64_t o = r->hstart; o < r->next_off;) {
        size_t op = (size_t)(o & (r->hcap - 1)), np = (size_t)(o & (ncap - 1));
        size_t n = (size_t)SD_MIN(r->next_off - o, (uint64_t)SD_MIN(r->hcap - op, ncap - np));
        memcpy(nh + np, r->hist + op, n);
        o += n;
    }
    free(r->hist);
    r->hist = nh;
    r->hcap = ncap;
    if (!r->recs) { /* grows with the segments: a short connection needs few */
        r->rcap = SD_MIN(REASM_HIST_RECS_MIN, recs_limit(r));
        r->recs = sd_malloc(r->rcap * sizeof(hrec));
    }
}

/* Doubles the record ring, oldest record first in the new one. */
static void recs_grow(sd_reasm *r)
{
    uint32_t ncap = r->rcap * 2;
    hrec *nr = sd_malloc(ncap * sizeof(hrec));
    for (uint32_t k = 0; k < r->rcount; k++)
        nr[k] = r->recs[(r->rhead + k) & (r->rcap - 1)];
    free(r->recs);
    r->recs = nr;
    r->rcap = ncap;
    r->rhead = 0;
}

static void hist_drop_old_recs(sd_reasm *r)
{
    /* drop records wholly before hstart */
    while (r->rcount > 1) {
        const hrec *nx = &r->recs[(r->rhead + 1) & (r->rcap - 1)];
        if (nx->off > r->hstart)
            break;
        r->rhead = (r->rhead + 1) & (r->rcap - 1);
        r->rcount--;
    }
}

/* sdr_hist_append past its usual case (sd_reasm_int.h): the rings grow,
 * or old bytes and records fall out. */
void sdr_hist_append_slow(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t frame)
{
    hist_reserve(r, len);
    if (r->hcap == 0)
        return;
    const uint8_t *src = p;
    uint64_t off = r->next_off, n = len;
    if (n > r->hcap) { /* only the tail fits */
        src += n - r->hcap;
        off += n - r->hcap;
        n = r->hcap;
    }
    size_t mask = r->hcap - 1, pos = (size_t)(off & mask);
    size_t first = SD_MIN((size_t)n, r->hcap - pos);
    memcpy(r->hist + pos, src, first);
    if (n > first)
        memcpy(r->hist, src + first, (size_t)n - first);
    uint64_t end = r->next_off + len;
    if (end - r->hstart > r->hcap)
        r->hstart = end - r->hcap;

    /* frame record */
    if (r->rcount == r->rcap && r->rcap < recs_limit(r))
        recs_grow(r);
    const uint32_t m = r->rcap - 1;
    if (r->rcount > 0 && r->recs[(r->rhead + r->rcount - 1) & m].frame == frame) {
        /* same segment continues */
    } else {
        if (r->rcount == r->rcap) {
            r->rhead = (r->rhead + 1) & m;
            r->rcount--;
            uint64_t o = r->recs[r->rhead].off;
            if (o > r->hstart)
                r->hstart = o;
        }
        r->recs[(r->rhead + r->rcount) & m] = (hrec){SD_MAX(off, r->hstart), frame};
        r->rcount++;
    }
    hist_drop_old_recs(r);
    if (r->rcount > 0 && r->recs[r->rhead].off < r->hstart)
        r->recs[r->rhead].off = r->hstart;
}

/* Index (logical) of the record covering off (off must be >= first rec off). */
static uint32_t hist_rec_find(const sd_reasm *r, uint64_t off)
{
    const uint32_t m = r->rcap - 1;
    uint32_t lo = 0, hi = r->rcount - 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo + 1) / 2;
        if (r->recs[(r->rhead + mid) & m].off <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* One differing range: counted, and handed to the callback with the first
 * bytes of both copies. */
void sdr_report(sd_reasm *r, const sd_reasm_inconsistency *in)
{
    r->st.inconsistent_bytes += in->len;
    if (in->policy_unapplied)
        r->st.policy_unapplied_bytes += in->len;
    if (r->cb.inconsistency) {
        sd_reasm_inconsistency i = *in;
        i.shown = SD_MIN(i.len, SD_REASM_INCONS_SHOW);
        i.ts = r->cur_ts;
        r->cb.inconsistency(r->cb.ud, &i);
    }
}

/* Reports the differing sub-range of a (held) and b (new), same length, at
 * off; new_kept: the policy takes b. */
bool sdr_diff_report(sd_reasm *r, uint64_t off, const uint8_t *a, const uint8_t *b, uint32_t n,
                     uint64_t old_frame, uint64_t new_frame, bool new_kept)
{
    if (memcmp(a, b, n) == 0)
        return false;
    uint32_t i = 0, j = n;
    while (a[i] == b[i])
        i++;
    while (a[j - 1] == b[j - 1])
        j--;
    sdr_report(r, &(sd_reasm_inconsistency){ .offset = off + i, .len = j - i, .old_frame = old_frame,
                                             .new_frame = new_frame, .old_bytes = a + i,
                                             .new_bytes = b + i, .new_kept = new_kept });
    return true;
}

/* A differing range [lo, hi) of delivered bytes in record rc (extent
 * [rc->off, rend)) against the new segment [ns, ne) whose bytes at lo are
 * q: the delivered copy stays. Bytes the peer ACKed were accepted by it:
 * every policy keeps them. Otherwise (delivered before the ACK: --overlap
 * first, a memory cap) the policy is asked whether it would have taken the
 * new copy: then it could not apply. */
static void hist_report(sd_reasm *r, uint64_t lo, uint64_t hi, const hrec *rc, uint64_t rend,
                        const uint8_t *q, uint64_t ns, uint64_t ne, uint64_t frame)
{
    uint8_t old[SD_REASM_INCONS_SHOW];
    uint32_t n = (uint32_t)SD_MIN(hi - lo, (uint64_t)sizeof old);
    for (uint32_t i = 0; i < n; i++)
        old[i] = r->hist[(lo + i) & (r->hcap - 1)];
    bool acked = r->ack_seen && hi <= r->max_ack_off;
    bool would = !acked && sdr_new_wins(r->opts.policy, rc->off, rend, ns, ne);
    sdr_report(r, &(sd_reasm_inconsistency){ .offset = lo, .len = (uint32_t)(hi - lo), .old_frame = rc->frame,
                                             .new_frame = frame, .old_bytes = old, .new_bytes = q,
                                             .delivered = true, .policy_unapplied = would });
}

/* Compares new bytes p at [off, off+len) (all below next_off; the segment
 * spans [ns, ne)) with the history; bytes older than it cannot be checked
 * and are counted. Returns true if any differ. */
bool sdr_hist_check(sd_reasm *r, uint64_t off, const uint8_t *p, uint64_t len, uint64_t frame, uint64_t ns,
                    uint64_t ne)
{
    uint64_t end = off + len;
    if (r->rcount == 0 || end <= r->hstart) {
        r->st.unchecked_bytes += len;
        return false;
    }
    if (off < r->hstart) {
        r->st.unchecked_bytes += r->hstart - off;
        p += r->hstart - off;
        off = r->hstart;
    }
    const uint32_t m = r->rcap - 1;
    bool diff = false;
    uint32_t k = hist_rec_find(r, off);
    uint8_t tmp[256];
    while (off < end && k < r->rcount) {
        const hrec *rc = &r->recs[(r->rhead + k) & m];
        uint64_t rend = k + 1 < r->rcount ? r->recs[(r->rhead + k + 1) & m].off : r->next_off;
        uint64_t e = SD_MIN(end, rend);
        uint64_t o = off;
        /* compare in slices through a contiguous copy of the ring bytes */
        uint64_t dlo = UINT64_MAX, dhi = 0;
        while (o < e) {
            uint32_t n = (uint32_t)SD_MIN(e - o, (uint64_t)sizeof tmp);
            for (uint32_t i = 0; i < n; i++)
                tmp[i] = r->hist[(o + i) & (r->hcap - 1)];
            const uint8_t *q = p + (o - off);
            if (memcmp(tmp, q, n) != 0) {
                for (uint32_t i = 0; i < n; i++) {
                    if (tmp[i] != q[i]) {
                        if (dlo == UINT64_MAX)
                            dlo = o + i;
                        dhi = o + i + 1;
                    }
                }
            }
            o += n;
        }
        if (dlo != UINT64_MAX) {
            hist_report(r, dlo, dhi, rc, rend, p + (dlo - off), ns, ne, frame);
            diff = true;
        }
        p += e - off;
        off = e;
        k++;
    }
    return diff;
}
