/* sd_reasm_tree: the reassembler's held segments (see sd_reasm.c): a
 * treap keyed by offset, the invariants (debug builds), their memory
 * accounting, and holding a segment that is not (entirely) deliverable,
 * its overlaps with held ones resolved by the policy. */
#include "sd_reasm_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static uint32_t rng_next(sd_reasm *r)
{
    /* xorshift32 (Marsaglia 2003): treap priorities only */
    uint32_t x = r->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    r->rng = x;
    return x;
}

/* ---- treap of held nodes, keyed by offset ---- */

static void tp_split(node *t, uint64_t key, node **a, node **b)
{
    if (!t) {
        *a = *b = NULL;
    } else if (t->off < key) {
        tp_split(t->r, key, &t->r, b);
        *a = t;
    } else {
        tp_split(t->l, key, a, &t->l);
        *b = t;
    }
}

static node *tp_merge(node *a, node *b)
{
    if (!a)
        return b;
    if (!b)
        return a;
    if (a->prio >= b->prio) {
        a->r = tp_merge(a->r, b);
        return a;
    }
    b->l = tp_merge(a, b->l);
    return b;
}

static void tp_insert(sd_reasm *r, node *n)
{
    node *a, *b;
    tp_split(r->root, n->off, &a, &b);
    r->root = tp_merge(tp_merge(a, n), b);
    r->nnodes++;
}

node *sdr_tp_min(const sd_reasm *r)
{
    node *t = r->root;
    while (t && t->l)
        t = t->l;
    return t;
}

node *sdr_tp_pop_min(sd_reasm *r)
{
    node *t = r->root, *p = NULL;
    if (!t)
        return NULL;
    while (t->l) {
        p = t;
        t = t->l;
    }
    if (p)
        p->l = t->r; /* the right child's priority is <= t's <= p's */
    else
        r->root = t->r;
    t->l = t->r = NULL;
    r->nnodes--;
    return t;
}

/* Last node with off <= key. */
static node *tp_floor(const sd_reasm *r, uint64_t key)
{
    node *t = r->root, *best = NULL;
    while (t) {
        if (t->off <= key) {
            best = t;
            t = t->r;
        } else {
            t = t->l;
        }
    }
    return best;
}

/* First node with off > key. */
node *sdr_tp_above(const sd_reasm *r, uint64_t key)
{
    node *t = r->root, *best = NULL;
    while (t) {
        if (t->off > key) {
            best = t;
            t = t->l;
        } else {
            t = t->r;
        }
    }
    return best;
}

void sdr_tp_free_all(node *t)
{
    while (t) {
        sdr_tp_free_all(t->l);
        node *rr = t->r;
        free(t);
        t = rr;
    }
}

/* ---- invariants (debug builds: SD_DEBUG_INVARIANTS) ---- */

#ifdef SD_DEBUG_INVARIANTS
typedef struct walk {
    const node *prev;
    size_t nodes, charge;
    uint32_t tentative;
} walk;

/* In offset order: held nodes sorted and disjoint (overlaps are resolved
 * on insertion, so an extent never grows: only SYN data its re-send cut
 * shrinks), each charged for its bytes. */
static void walk_nodes(const node *t, walk *w)
{
    for (; t; t = t->r) {
        walk_nodes(t->l, w);
        assert(!w->prev || w->prev->off + w->prev->len <= t->off);
        assert(t->len > 0 && t->charge >= t->len);
        w->prev = t;
        w->nodes++;
        w->charge += t->charge;
        w->tentative += (t->flags & NODE_TENTATIVE) != 0;
    }
}

/* After each event. The delivery point only moves forward once anything
 * was delivered; memory accounting equals the sum over held nodes. */
void sdr_check(sd_reasm *r)
{
    assert(!r->delivered_any || r->next_off >= r->dbg_next_off);
    r->dbg_next_off = r->next_off;
    assert(r->st.bytes_delivered + r->st.gap_bytes <= r->next_off || !r->delivered_any);
    assert(r->held <= r->opts.stream_cap || r->truncated);
    assert(!r->opts.budget || r->opts.budget->used >= r->held);
    assert(r->hstart <= r->next_off && r->next_off - r->hstart <= r->hcap);
    assert(!r->root == !r->nnodes);
    if (++r->dbg_ops < r->dbg_next_full)
        return;
    walk w = {0};
    walk_nodes(r->root, &w);
    assert(w.nodes == r->nnodes && w.charge == r->held && w.tentative == r->ntentative);
    r->dbg_next_full = r->dbg_ops + r->nnodes + 16;
}
#endif

/* ---- memory accounting ---- */

static bool can_hold(const sd_reasm *r, size_t charge)
{
    if (r->held + charge > r->opts.stream_cap)
        return false;
    const sd_reasm_budget *b = r->opts.budget;
    if (b && (b->used > b->cap || b->cap - b->used < charge))
        return false;
    return true;
}

static void charge_add(sd_reasm *r, size_t c)
{
    r->held += c;
    if (r->opts.budget)
        r->opts.budget->used += c;
}

static void charge_sub(sd_reasm *r, size_t c)
{
    r->held -= c;
    if (r->opts.budget)
        r->opts.budget->used -= c;
}

void sdr_mark_truncated(sd_reasm *r)
{
    if (r->truncated)
        return;
    r->truncated = true;
    r->st.truncated = true;
    if (r->opts.budget)
        r->opts.budget->streams_truncated++;
}

void sdr_node_free(sd_reasm *r, node *n)
{
    charge_sub(r, n->charge);
    if (n->flags & NODE_TENTATIVE)
        r->ntentative--;
    free(n);
}

/* ---- overlap policy ---- */

/* Should the new segment [ns, ne) replace the bytes of an old held one
 * [os, oe) where they differ? Target-based rules as Suricata's
 * stream-tcp-list.c applies them in IDS mode (Novak & Sturges 2007). */
bool sdr_new_wins(sd_overlap_policy pol, uint64_t os, uint64_t oe, uint64_t ns, uint64_t ne)
{
    switch (pol) {
    case SD_OVERLAP_LAST:
        return true;
    case SD_OVERLAP_LINUX:
        return ns < os || (ns == os && ne > oe);
    case SD_OVERLAP_WINDOWS:
    case SD_OVERLAP_BSD:
        return ns < os;
    case SD_OVERLAP_FIRST:
    default:
        return false;
    }
}

/* ---- insertion of a segment that is not (entirely) deliverable ---- */

static void pcs_push(sd_reasm *r, uint64_t off, uint64_t len, uint64_t doff)
{
    *sd_vec_push(&r->pcs) = (piece){off, (uint32_t)len, (uint32_t)doff};
}

/* Resolves the overlaps of [s, s+len) with held nodes (the policy decides
 * whose bytes stay) and collects in r->pcs the pieces nothing holds. */
static void resolve_overlaps(sd_reasm *r, uint64_t s, const uint8_t *p, uint32_t len, bool syn,
                             uint64_t frame, sd_ts ts, bool *any_diff, bool *any_dup)
{
    uint64_t e = s + len, cur = s;
    r->pcs.n = 0;

    node *n = tp_floor(r, s);
    if (!n || n->off + n->len <= s)
        n = sdr_tp_above(r, s);
    while (n && n->off < e) {
        if (cur < n->off) {
            pcs_push(r, cur, n->off - cur, cur - s);
            cur = n->off;
        }
        uint64_t b = SD_MIN(e, n->off + n->len);
        uint8_t *old = n->buf + (cur - n->off);
        const uint8_t *nw = p + (cur - s);
        uint32_t cnt = (uint32_t)(b - cur);
        /* SYN data not yet ACKed, re-sent without SYN: the re-send is what
         * the receiver takes (RFC 7413 section 3; suricata-verify
         * tcp-fastopen-10-syn-data-ignore) */
        bool tent = (n->flags & NODE_TENTATIVE) && !syn;
        bool take = tent || sdr_new_wins(r->opts.policy, n->o_start, n->o_end, s, e);
        if (sdr_diff_report(r, cur, old, nw, cnt, n->frame, frame, take)) {
            *any_diff = true;
            if (take)
                memcpy(old, nw, cnt);
            n->flags |= NODE_INCONS;
        } else {
            *any_dup = true;
            r->st.retrans_bytes += cnt;
        }
        if (tent) {
            n->flags &= ~(uint32_t)(NODE_TENTATIVE | NODE_DOUBT);
            r->ntentative--;
            n->frame = frame;
            n->ts = ts;
            /* SYN data past the re-send's end was never taken either (the
             * sender re-sends all it still has): it goes, else a longer
             * SYN would leave its tail in the stream after the re-send */
            if (n->off + n->len > e)
                n->len = (uint32_t)(e - n->off);
        }
        cur = b;
        n = sdr_tp_above(r, n->off);
    }
    if (cur < e)
        pcs_push(r, cur, e - cur, cur - s);
}

/* Holds [s, s+len) (s >= next_off), resolving overlaps with held nodes, and
 * delivers what became in order. */
void sdr_insert_seg(sd_reasm *r, uint64_t s, const uint8_t *p, uint32_t len, bool syn,
                    uint32_t seg_flags, uint64_t frame, sd_ts ts)
{
    uint64_t e = s + len;
    bool any_diff = false, any_dup = false;
    resolve_overlaps(r, s, p, len, syn, frame, ts, &any_diff, &any_dup);

    if (any_diff)
        r->st.inconsistent_segments++;
    size_t np = r->pcs.n;
    if (np == 0) {
        if (!any_diff && any_dup)
            r->st.retrans_segments++;
        sdr_drain(r);
        return;
    }
    if (s > r->next_off)
        r->st.ooo_segments++;

    if (r->provisional && !can_hold(r, (size_t)len + REASM_SEG_OVERHEAD))
        sdr_end_provisional(r); /* memory first: offset 0 is settled */
    bool hold = syn || r->provisional; /* nothing is delivered from these */
    bool gate = sdr_gated(r);         /* held until ACKed (sd_reasm_int.h) */
    r->inserting = true;
    uint32_t dflags = (seg_flags & NODE_INCONS) ? SD_CHUNKF_RETRANS_INCONSISTENT : 0;
    for (size_t i = 0; i < np; i++) {
        piece pc = r->pcs.v[i];
        if (pc.off + pc.len <= r->next_off)
            continue; /* a forced gap already passed it */
        if (pc.off < r->next_off) {
            uint32_t t = (uint32_t)(r->next_off - pc.off);
            pc.off += t;
            pc.doff += t;
            pc.len -= t;
        }
        if (!hold && !gate && pc.off == r->next_off) { /* in order now: no copy */
            sdr_deliver(r, p + pc.doff, pc.len, frame, frame, ts, dflags);
            sdr_drain(r);
            continue;
        }
        size_t charge = pc.len + REASM_SEG_OVERHEAD;
        while (!can_hold(r, charge) && !hold) {
            const node *m = sdr_tp_min(r);
            if (!m || m->off > pc.off || !(sdr_release_min(r) || sdr_force_first_hole(r)))
                break;
        }
        if (can_hold(r, charge) && (hold || gate || pc.off > r->next_off)) {
            node *nn = sd_malloc(sizeof(node) + pc.len);
            *nn = (node){.prio = rng_next(r), .len = pc.len, .off = pc.off, .o_start = s,
                         .o_end = e, .frame = frame, .ts = ts, .flags = seg_flags,
                         .charge = charge};
            memcpy(nn->buf, p + pc.doff, pc.len);
            if (syn) {
                nn->flags |= NODE_TENTATIVE | (r->doubting ? NODE_DOUBT : 0);
                r->ntentative++;
            }
            charge_add(r, charge);
            tp_insert(r, nn);
            continue;
        }
        if (!can_hold(r, charge)) {
            /* Cannot hold it even with nothing held before it: give up on
             * the hole before it and pass it through without a copy. */
            sdr_mark_truncated(r);
            const node *m = sdr_tp_min(r);
            if (m && m->off < pc.off)
                continue; /* only unconfirmed SYN data can block here: dropped */
            if (pc.off > r->next_off && !sdr_skip_fin_slot(r, pc.off))
                sdr_deliver_gap(r, pc.off, frame, ts);
        }
        if (pc.off == r->next_off) {
            sdr_deliver(r, p + pc.doff, pc.len, frame, frame, ts, dflags);
            sdr_drain(r);
        }
    }
    r->inserting = false;
    sdr_drain(r);
}
