/* sd_reasm: TCP stream reassembly for one direction (see sd_reasm.h and
 * docs/reassembly.md for the policies an analyst sees).
 *
 * Shape:
 *  - Stream offsets are 64-bit; a sequence number is turned into an offset
 *    relative to the delivery point (next_off) with a signed 32-bit
 *    difference, so only segments within 2 GiB of the delivery point are
 *    placed, and any number of sequence wraps works.
 *  - In-order data with nothing held is handed to the callback straight from
 *    the caller's buffer (fast path). Out-of-order data is copied into nodes
 *    of a treap keyed by offset. Held nodes never overlap: overlaps are
 *    resolved when a segment is inserted (the policy may overwrite held
 *    bytes in place), so a node's extent never changes until it is delivered.
 *  - Delivered bytes are remembered in a small ring (history) indexed by
 *    offset, with the frames that carried them, so a retransmission of
 *    already-delivered bytes can be checked and reported against the
 *    original frame.
 *
 * The callback must not call back into the same sd_reasm. */
#include "sd_reasm.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_vec.h"
#include "../decode/sd_decode.h"

/* Defaults and bounds (documented in docs/reassembly.md). */
#define REASM_DEFAULT_CAP (4u << 20)   /* sd_reasm_opts.stream_cap == 0 */
#define REASM_SEG_OVERHEAD 64u         /* bytes charged per held segment besides its data,
                                          so many tiny segments cannot evade the cap */
#define REASM_HIST_MAX (64u << 10)     /* delivered bytes kept for overlap checks */
#define REASM_HIST_MIN 4096u
#define REASM_HIST_RECS 1024u          /* frames remembered for those bytes */
#define REASM_HIST_RECS_MIN 16u        /* the ring's first size (power of two) */
#define REASM_MAX_SEG (1u << 30)       /* longer "segments" are clamped: seq math needs < 2^31 */
#define REASM_ALT_ISNS 4u              /* SYN(-ACK)s with other ISNs remembered */
/* A capture can show a segment after the ACK that covers it (mirror ports,
 * merged or shuffled files: tcpflow's test5-lines-randomized). A hole the
 * peer ACKed is declared lost only after this many more events (segments of
 * this direction, ACKs of the peer), so such late data still fills it. */
#define REASM_ACK_GRACE 8u
/* ...but a hole this large is not a reordering, and waiting would let the
 * delivery point fall more than 2 GiB behind a sparse capture (Zeek's
 * ftp/bigtransfer: ACKs leap hundreds of MB): declared at once. */
#define REASM_GRACE_MAX_HOLE (256u << 10)
/* Mid-stream pickup: the first data segment seen need not be the earliest
 * (tcpflow's test1-out-of-order). Offset 0 stays movable down by at most
 * REASM_PICKUP_BACK bytes for REASM_PICKUP_GRACE events, nothing delivered
 * meanwhile. */
#define REASM_PICKUP_GRACE 8u
#define REASM_PICKUP_BACK (1u << 20)

enum { NODE_INCONS = 1u << 0, NODE_TENTATIVE = 1u << 1 };

typedef struct node {
    struct node *l, *r;
    uint32_t prio;
    uint32_t len;
    uint64_t off;
    uint64_t o_start, o_end; /* extent of the segment it came from (target policies) */
    uint64_t frame;
    sd_ts ts;
    uint32_t flags;
    size_t charge;
    uint8_t buf[];
} node;

typedef struct hrec {
    uint64_t off, frame;
} hrec;

typedef struct piece {
    uint64_t off;
    uint32_t len, doff; /* doff: index into the new segment's data */
} piece;

struct sd_reasm {
    sd_reasm_opts opts;
    sd_reasm_cb cb;
    sd_reasm_stats st;

    bool base_set, isn_given, delivered_any;
    bool provisional;   /* mid-stream: offset 0 may still move down */
    uint64_t ev;        /* events seen (segments + peer ACKs), for the graces */
    uint64_t prov_ev;   /* ev when the provisional base was set */
    uint64_t hole_ack_ev; /* ev when an ACK was first seen past the first hole; 0 = none */
    uint32_t base_seq;  /* sequence number of offset 0 */
    uint32_t alt_base[REASM_ALT_ISNS]; /* earlier set_isn() values, see rebase_alt() */
    uint32_t nalt;
    uint64_t next_off;  /* next offset to deliver */

    node *root;
    size_t nnodes, held; /* held = charge of all nodes */
    uint32_t ntentative;
    uint32_t rng;

    bool fin_seen, rst_seen, ack_seen, truncated;
    bool inserting; /* no ACK gap-filling while a segment's pieces are pending */
    uint64_t fin_off, rst_off, max_ack_off;

    /* current event, for last_frame/ts of chunks it completes */
    uint64_t cur_frame;
    sd_ts cur_ts;

    /* history of delivered bytes: ring indexed by offset & (hcap-1),
     * valid for [hstart, next_off) */
    uint8_t *hist;
    size_t hcap;
    uint64_t hstart;
    hrec *recs; /* ring of rcap (<= REASM_HIST_RECS); rec i covers [off_i, off_{i+1}) */
    uint32_t rhead, rcount, rcap;

    SD_VEC(piece) pcs; /* scratch for insertion */
#ifdef SD_DEBUG_INVARIANTS
    uint64_t dbg_ops, dbg_next_full; /* a full walk every ~nnodes events */
    uint64_t dbg_next_off;           /* next_off after the previous event */
#endif
};

/* ---- small helpers ---- */

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

static uint32_t seq_at(const sd_reasm *r, uint64_t off)
{
    return r->base_seq + (uint32_t)off;
}

/* Signed distance of seq from the delivery point, modulo 2^32. */
static int64_t seq_to_off(const sd_reasm *r, uint32_t seq)
{
    int32_t d = (int32_t)(seq - seq_at(r, r->next_off));
    return (int64_t)r->next_off + d;
}

static uint32_t chunk_flags(const sd_reasm *r, uint64_t off)
{
    uint32_t f = 0;
    if (r->truncated)
        f |= SD_CHUNKF_TRUNCATED;
    if (r->fin_seen && off >= r->fin_off)
        f |= SD_CHUNKF_AFTER_FIN;
    if (r->rst_seen && off >= r->rst_off)
        f |= SD_CHUNKF_AFTER_RST;
    return f;
}

/* Length up to the next FIN/RST boundary, so a chunk's flags are exact. */
static uint64_t cut_len(const sd_reasm *r, uint64_t off, uint64_t len)
{
    if (r->fin_seen && r->fin_off > off && r->fin_off - off < len)
        len = r->fin_off - off;
    if (r->rst_seen && r->rst_off > off && r->rst_off - off < len)
        len = r->rst_off - off;
    return len;
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

static node *tp_min(const sd_reasm *r)
{
    node *t = r->root;
    while (t && t->l)
        t = t->l;
    return t;
}

static node *tp_pop_min(sd_reasm *r)
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
static node *tp_above(const sd_reasm *r, uint64_t key)
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

static void tp_free_all(node *t)
{
    while (t) {
        tp_free_all(t->l);
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
 * on insertion, so an extent never changes), each charged for its bytes. */
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
static void check(sd_reasm *r)
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

static void mark_truncated(sd_reasm *r)
{
    if (r->truncated)
        return;
    r->truncated = true;
    r->st.truncated = true;
    if (r->opts.budget)
        r->opts.budget->streams_truncated++;
}

static void node_free(sd_reasm *r, node *n)
{
    charge_sub(r, n->charge);
    if (n->flags & NODE_TENTATIVE)
        r->ntentative--;
    free(n);
}

/* ---- history of delivered bytes ---- */

static void hist_reset(sd_reasm *r)
{
    r->hstart = r->next_off;
    r->rcount = 0;
}

static size_t hist_limit(const sd_reasm *r)
{
    size_t lim = REASM_HIST_MAX;
    while (lim > 16 && lim > r->opts.stream_cap)
        lim >>= 1;
    return lim;
}

/* Make room for len more bytes; grows the ring (power of two) up to the
 * limit, then old bytes simply fall out. */
static void hist_reserve(sd_reasm *r, uint64_t len)
{
    size_t lim = hist_limit(r);
    uint64_t want = (r->next_off - r->hstart) + len;
    if (r->hcap >= lim || want <= r->hcap)
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
        r->rcap = REASM_HIST_RECS_MIN;
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

/* Record bytes about to be delivered at r->next_off. */
static void hist_append(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t frame)
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
    if (r->rcount == r->rcap && r->rcap < REASM_HIST_RECS)
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

static void report(sd_reasm *r, uint64_t off, uint64_t len, uint64_t old_frame, uint64_t new_frame)
{
    r->st.inconsistent_bytes += len;
    if (r->cb.inconsistency) {
        sd_reasm_inconsistency i = {off, (uint32_t)len, old_frame, new_frame, r->cur_ts};
        r->cb.inconsistency(r->cb.ud, &i);
    }
}

/* Reports the differing sub-range of a and b (same length) at off. */
static bool diff_report(sd_reasm *r, uint64_t off, const uint8_t *a, const uint8_t *b, uint32_t n,
                        uint64_t old_frame, uint64_t new_frame)
{
    if (memcmp(a, b, n) == 0)
        return false;
    uint32_t i = 0, j = n;
    while (a[i] == b[i])
        i++;
    while (a[j - 1] == b[j - 1])
        j--;
    report(r, off + i, j - i, old_frame, new_frame);
    return true;
}

/* Compares new bytes p at [off, off+len) (all below next_off) with the
 * history; bytes outside it cannot be checked. Returns true if any differ. */
static bool hist_check(sd_reasm *r, uint64_t off, const uint8_t *p, uint64_t len, uint64_t frame)
{
    uint64_t end = off + len;
    if (r->rcount == 0 || end <= r->hstart)
        return false;
    if (off < r->hstart) {
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
            report(r, dlo, dhi - dlo, rc->frame, frame);
            diff = true;
        }
        p += e - off;
        off = e;
        k++;
    }
    return diff;
}

/* ---- delivery ---- */

static void emit(sd_reasm *r, int kind, uint64_t off, const uint8_t *p, uint32_t len, uint64_t ff,
                 uint64_t lf, sd_ts ts, uint32_t extra)
{
    sd_chunk c = {kind, off, p, len, ff, lf, ts, chunk_flags(r, off) | extra};
    if (r->cb.chunk)
        r->cb.chunk(r->cb.ud, &c);
}

/* Delivers len bytes at next_off (p == NULL: a gap), split at FIN/RST
 * boundaries so flags are exact. */
static void deliver(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t ff, uint64_t lf, sd_ts ts,
                    uint32_t extra)
{
    if (p)
        hist_append(r, p, len, ff);
    while (len > 0) {
        uint64_t n = cut_len(r, r->next_off, SD_MIN(len, (uint64_t)UINT32_MAX));
        emit(r, p ? SD_CHUNK_DATA : SD_CHUNK_GAP, r->next_off, p, (uint32_t)n, ff, lf, ts, extra);
        if (p) {
            r->st.bytes_delivered += n;
            p += n;
        } else {
            r->st.gap_bytes += n;
        }
        r->next_off += n;
        len -= n;
    }
    r->delivered_any = true;
    if (!p)
        hist_reset(r);
}

static void deliver_gap(sd_reasm *r, uint64_t upto, uint64_t frame, sd_ts ts)
{
    if (upto > r->next_off)
        deliver(r, NULL, upto - r->next_off, frame, frame, ts, 0);
}

/* The FIN occupies one sequence number: data continuing right after it
 * (seen in evasion traffic) is placed one past it without a gap. */
static bool skip_fin_slot(sd_reasm *r, uint64_t next_data)
{
    if (r->fin_seen && r->next_off == r->fin_off && next_data > r->fin_off) {
        r->next_off++;
        hist_reset(r);
        return true;
    }
    return false;
}

/* Has the ACK past the first hole waited out REASM_ACK_GRACE? Starts the
 * wait the first time it is asked. */
static bool ack_grace_over(sd_reasm *r)
{
    if (r->hole_ack_ev == 0) {
        r->hole_ack_ev = r->ev ? r->ev : 1;
        return false;
    }
    return r->ev - r->hole_ack_ev >= REASM_ACK_GRACE;
}

/* Delivers one held node from next_off on. A node completed by the current
 * event carries its frame and time; one released by a declared gap (or by
 * the end of the stream) carries its own: the bytes were there since. */
static void deliver_node(sd_reasm *r, node *n, bool released)
{
    uint64_t skip = r->next_off - n->off;
    uint32_t fl = (n->flags & NODE_INCONS) ? SD_CHUNKF_RETRANS_INCONSISTENT : 0;
    if (released)
        deliver(r, n->buf + skip, n->len - skip, n->frame, n->frame, n->ts, fl);
    else
        deliver(r, n->buf + skip, n->len - skip, n->frame, SD_MAX(n->frame, r->cur_frame),
                r->cur_ts, fl);
}

/* Delivers held nodes that are in order; fills holes the peer ACKed. */
static void drain_ex(sd_reasm *r, bool released)
{
    if (r->provisional)
        return;
    for (;;) {
        node *n = tp_min(r);
        if (!n || (n->flags & NODE_TENTATIVE))
            return;
        if (n->off > r->next_off) {
            if (skip_fin_slot(r, n->off))
                continue;
            if (r->ack_seen && r->max_ack_off > r->next_off && !r->inserting &&
                (n->off - r->next_off >= REASM_GRACE_MAX_HOLE || ack_grace_over(r))) {
                /* bounded by held data: a bogus ACK cannot invent a long gap */
                deliver_gap(r, SD_MIN(r->max_ack_off, n->off), r->cur_frame, r->cur_ts);
                r->hole_ack_ev = 0;
                released = true;
                continue;
            }
            return;
        }
        tp_pop_min(r);
        if (n->off + n->len > r->next_off)
            deliver_node(r, n, released);
        node_free(r, n);
    }
}

static void drain(sd_reasm *r)
{
    drain_ex(r, false);
}

/* Offset 0 of a mid-stream pickup is settled: what is held flows. */
static void end_provisional(sd_reasm *r)
{
    if (!r->provisional)
        return;
    r->provisional = false;
    drain_ex(r, true);
}

/* Gives up on the first hole to free memory (cap reached). */
static bool force_first_hole(sd_reasm *r)
{
    node *n = tp_min(r);
    if (!n)
        return false;
    mark_truncated(r);
    if (n->flags & NODE_TENTATIVE) {
        n->flags &= ~(uint32_t)NODE_TENTATIVE;
        r->ntentative--;
    }
    r->provisional = false;
    if (n->off > r->next_off && !skip_fin_slot(r, n->off))
        deliver_gap(r, n->off, r->cur_frame, r->cur_ts);
    drain_ex(r, true);
    /* drain stops at the next hole; progress was made because n is gone */
    return true;
}

/* Confirms tentative (SYN) data ending at or before off. */
static void confirm_tentative(sd_reasm *r, uint64_t off, bool all)
{
    if (r->ntentative == 0)
        return;
    /* tentative nodes sit at the start of the stream: walk in order */
    for (node *n = tp_min(r); n && r->ntentative > 0; n = tp_above(r, n->off)) {
        if (!all && n->off >= off)
            break;
        if ((n->flags & NODE_TENTATIVE) && (all || n->off + n->len <= off)) {
            n->flags &= ~(uint32_t)NODE_TENTATIVE;
            r->ntentative--;
        }
    }
}

/* ---- overlap policy ---- */

/* Should the new segment [ns, ne) replace the bytes of an old held one
 * [os, oe) where they differ? Target-based rules as Suricata's
 * stream-tcp-list.c applies them in IDS mode (Novak & Sturges 2007). */
static bool new_wins(sd_overlap_policy pol, uint64_t os, uint64_t oe, uint64_t ns, uint64_t ne)
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

/* Holds [s, s+len) (s >= next_off), resolving overlaps with held nodes, and
 * delivers what became in order. */
static void insert_seg(sd_reasm *r, uint64_t s, const uint8_t *p, uint32_t len, bool syn,
                       uint32_t seg_flags, uint64_t frame, sd_ts ts)
{
    uint64_t e = s + len, cur = s;
    r->pcs.n = 0;
    bool any_diff = false, any_dup = false;

    node *n = tp_floor(r, s);
    if (!n || n->off + n->len <= s)
        n = tp_above(r, s);
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
        if (diff_report(r, cur, old, nw, cnt, n->frame, frame)) {
            any_diff = true;
            if (tent || new_wins(r->opts.policy, n->o_start, n->o_end, s, e))
                memcpy(old, nw, cnt);
            n->flags |= NODE_INCONS;
        } else {
            any_dup = true;
            r->st.retrans_bytes += cnt;
        }
        if (tent) {
            n->flags &= ~(uint32_t)NODE_TENTATIVE;
            r->ntentative--;
            n->frame = frame;
            n->ts = ts;
        }
        cur = b;
        n = tp_above(r, n->off);
    }
    if (cur < e)
        pcs_push(r, cur, e - cur, cur - s);

    if (any_diff)
        r->st.inconsistent_segments++;
    size_t np = r->pcs.n;
    if (np == 0) {
        if (!any_diff && any_dup)
            r->st.retrans_segments++;
        drain(r);
        return;
    }
    if (s > r->next_off)
        r->st.ooo_segments++;

    if (r->provisional && !can_hold(r, (size_t)len + REASM_SEG_OVERHEAD))
        end_provisional(r); /* memory first: offset 0 is settled */
    bool hold = syn || r->provisional; /* nothing is delivered from these */
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
        if (!hold && pc.off == r->next_off) { /* in order now: no copy */
            deliver(r, p + pc.doff, pc.len, frame, frame, ts, dflags);
            drain(r);
            continue;
        }
        size_t charge = pc.len + REASM_SEG_OVERHEAD;
        while (!can_hold(r, charge) && !hold) {
            const node *m = tp_min(r);
            if (!m || m->off > pc.off || !force_first_hole(r))
                break;
        }
        if (can_hold(r, charge) && (hold || pc.off > r->next_off)) {
            node *nn = sd_malloc(sizeof(node) + pc.len);
            *nn = (node){.prio = rng_next(r), .len = pc.len, .off = pc.off, .o_start = s,
                         .o_end = e, .frame = frame, .ts = ts, .flags = seg_flags,
                         .charge = charge};
            memcpy(nn->buf, p + pc.doff, pc.len);
            if (syn) {
                nn->flags |= NODE_TENTATIVE;
                r->ntentative++;
            }
            charge_add(r, charge);
            tp_insert(r, nn);
            continue;
        }
        if (!can_hold(r, charge)) {
            /* Cannot hold it even with nothing held before it: give up on
             * the hole before it and pass it through without a copy. */
            mark_truncated(r);
            const node *m = tp_min(r);
            if (m && m->off < pc.off)
                continue; /* only unconfirmed SYN data can block here: dropped */
            if (pc.off > r->next_off && !skip_fin_slot(r, pc.off))
                deliver_gap(r, pc.off, frame, ts);
        }
        if (pc.off == r->next_off) {
            deliver(r, p + pc.doff, pc.len, frame, frame, ts, dflags);
            drain(r);
        }
    }
    r->inserting = false;
    drain(r);
}

/* ---- public API ---- */

sd_reasm *sd_reasm_new(const sd_reasm_opts *opts, const sd_reasm_cb *cb)
{
    sd_reasm *r = sd_calloc(1, sizeof *r);
    if (opts)
        r->opts = *opts;
    if (r->opts.stream_cap == 0)
        r->opts.stream_cap = REASM_DEFAULT_CAP;
    if (cb)
        r->cb = *cb;
    /* per-instance seed (address under ASLR) so an attacker cannot line
     * offsets up with priorities; the result never depends on the shape */
    uint64_t a = (uint64_t)(uintptr_t)r * 0x9E3779B97F4A7C15ull;
    r->rng = (uint32_t)(a >> 32) | 1u;
    return r;
}

static void set_base(sd_reasm *r, uint32_t first_seq)
{
    if (r->base_set && r->isn_given && r->base_seq != first_seq) {
        bool dup = false;
        for (uint32_t i = 0; i < r->nalt; i++)
            dup |= r->alt_base[i] == r->base_seq;
        if (!dup) {
            if (r->nalt == REASM_ALT_ISNS)
                memmove(r->alt_base, r->alt_base + 1, (REASM_ALT_ISNS - 1) * sizeof(uint32_t));
            else
                r->nalt++;
            r->alt_base[r->nalt - 1] = r->base_seq;
        }
    }
    r->base_set = true;
    r->isn_given = true;
    r->base_seq = first_seq;
    r->next_off = 0;
    r->fin_seen = r->rst_seen = r->ack_seen = false;
    hist_reset(r);
}

/* SYN and SYN-ACK retries can carry different ISNs (a new attempt, or a
 * stale answer: suricata-verify tcp-fastopen-10-syn-data-ignore), and the
 * last one seen need not be the one the connection uses. Until anything is
 * delivered or held, data or a peer ACK at exactly an earlier ISN+1 moves
 * offset 0 there. */
static void rebase_alt(sd_reasm *r, uint32_t first_seq)
{
    if (r->nalt == 0 || r->delivered_any || r->root || first_seq == r->base_seq)
        return;
    for (uint32_t i = 0; i < r->nalt; i++) {
        if (r->alt_base[i] == first_seq) {
            r->alt_base[i] = r->base_seq;
            r->base_set = false; /* no re-remembering */
            r->isn_given = false;
            set_base(r, first_seq);
            return;
        }
    }
}

/* Moves offset 0 down by d bytes (to new_base) while nothing was
 * delivered: every held offset grows by d. */
static void shift_node(node *t, uint64_t d)
{
    for (; t; t = t->r) {
        shift_node(t->l, d);
        t->off += d;
        t->o_start += d;
        t->o_end += d;
    }
}

static void move_base_down(sd_reasm *r, uint32_t new_base, uint64_t d)
{
    shift_node(r->root, d);
    r->base_seq = new_base;
    if (r->fin_seen)
        r->fin_off += d;
    if (r->rst_seen)
        r->rst_off += d;
    if (r->ack_seen)
        r->max_ack_off += d;
}

/* Mid-stream pickup: data below offset 0 arriving within the grace is the
 * stream's real start, sent before the segment seen first. A keep-alive
 * (1 byte at offset -1) is not. Returns the segment's new offset. */
static int64_t pickup_extend(sd_reasm *r, uint32_t dseq, int64_t off, uint32_t len, uint8_t flags)
{
    if (!r->provisional || off >= 0 || -off > (int64_t)REASM_PICKUP_BACK)
        return off;
    if (len == 1 && off == -1 && !(flags & SD_TH_FIN))
        return off;
    move_base_down(r, dseq, (uint64_t)-off);
    return 0;
}

void sd_reasm_set_isn(sd_reasm *r, uint32_t isn)
{
    if (!r)
        return;
    if (r->provisional) {
        /* a SYN seen after the first data (reordered capture) */
        int32_t d = (int32_t)(r->base_seq - (isn + 1));
        if (d >= 0 && d <= (int32_t)REASM_PICKUP_BACK) {
            move_base_down(r, isn + 1, (uint64_t)d);
            r->isn_given = true;
        }
        end_provisional(r);
        return;
    }
    if (r->base_set && (r->delivered_any || r->root))
        return; /* too late to move offset 0 */
    set_base(r, isn + 1);
}

/* After every event: graces that ran out release what they held. */
static void after_event(sd_reasm *r)
{
    if (r->provisional && r->ev - r->prov_ev >= REASM_PICKUP_GRACE)
        end_provisional(r);
    else if (r->hole_ack_ev)
        drain(r);
}

static void segment_in(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                       uint64_t frame, sd_ts ts);

void sd_reasm_segment(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                      uint64_t frame, sd_ts ts)
{
    if (!r)
        return;
    r->ev++;
    segment_in(r, seq, flags, data, len, frame, ts);
    after_event(r);
    SD_CHECK(check(r));
}

static void segment_in(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                       uint64_t frame, sd_ts ts)
{
    if (!data)
        len = 0;
    if (len > REASM_MAX_SEG)
        len = REASM_MAX_SEG;
    r->cur_frame = frame;
    r->cur_ts = ts;
    bool syn = flags & SD_TH_SYN;
    uint32_t dseq = syn ? seq + 1 : seq; /* the SYN occupies one sequence number */

    if (flags & SD_TH_RST) {
        /* A receiver does not deliver a RST's payload (suricata-verify
         * bug-6244-tcp-rst-with-data); only its position is kept. */
        if (r->base_set) {
            int64_t o = seq_to_off(r, seq);
            uint64_t uo = o < 0 ? 0 : (uint64_t)o;
            if (!r->rst_seen || uo < r->rst_off)
                r->rst_off = uo;
            r->rst_seen = true;
        }
        return;
    }
    if (!r->base_set) {
        if (len == 0 && !syn)
            return; /* mid-stream: the first data segment sets offset 0 */
        r->base_set = true;
        r->base_seq = dseq;
        r->next_off = 0;
        hist_reset(r);
        r->provisional = !syn;
        r->prov_ev = r->ev;
    }
    if (len > 0 && !syn)
        rebase_alt(r, dseq);
    int64_t off = pickup_extend(r, dseq, seq_to_off(r, dseq), len, flags);

    if (flags & SD_TH_FIN) {
        int64_t fo = off + len;
        if (fo >= 0 && (uint64_t)fo >= r->next_off && (!r->fin_seen || (uint64_t)fo < r->fin_off)) {
            r->fin_off = (uint64_t)fo;
            r->fin_seen = true;
        }
    }
    if (len == 0)
        return;

    /* Keep-alive: 0 or 1 byte at next-1 (RFC 1122 4.2.3.6); its byte is
     * often garbage, so it is neither data nor a retransmission. */
    if (len == 1 && !syn && !(flags & SD_TH_FIN) && r->next_off > 0 &&
        off == (int64_t)r->next_off - 1)
        return;

    if (!syn)
        confirm_tentative(r, off < 0 ? 0 : (uint64_t)off, false);

    if (off + (int64_t)len <= 0) {
        /* wholly before offset 0: sent before the capture began (mid-stream)
         * or before the ISN; nothing to compare with */
        r->st.retrans_segments++;
        r->st.retrans_bytes += len;
        return;
    }
    if (off < 0) {
        r->st.retrans_bytes += (uint64_t)-off;
        data += -off;
        len -= (uint32_t)-off;
        off = 0;
    }
    uint64_t uoff = (uint64_t)off, end = uoff + len;
    uint32_t seg_flags = 0;

    if (uoff < r->next_off) {
        /* (partly) already delivered: those bytes stay as delivered */
        uint64_t old = SD_MIN(end, r->next_off) - uoff;
        bool diff = hist_check(r, uoff, data, old, frame);
        if (end <= r->next_off) {
            if (diff) {
                r->st.inconsistent_segments++;
            } else {
                r->st.retrans_segments++;
                r->st.retrans_bytes += len;
            }
            return;
        }
        if (diff) {
            r->st.inconsistent_segments++;
            seg_flags |= NODE_INCONS;
        } else {
            r->st.retrans_bytes += old;
        }
        data += old;
        len -= (uint32_t)old;
        uoff = r->next_off;
    }

    if (!syn && !r->provisional) {
        const node *m = tp_min(r);
        if (!m || m->off >= uoff + len) {
            skip_fin_slot(r, uoff);
            if (uoff == r->next_off) { /* fast path: pass the caller's bytes through */
                deliver(r, data, len, frame, frame, ts,
                        (seg_flags & NODE_INCONS) ? SD_CHUNKF_RETRANS_INCONSISTENT : 0);
                if (m)
                    drain(r);
                return;
            }
        }
    }
    insert_seg(r, uoff, data, len, syn, seg_flags, frame, ts);
}

/* A peer ACK settles a provisional offset 0: at or past it, the peer had
 * everything before it already (sent before the capture began); below it,
 * the bytes from the ACK on are in flight, and the stream starts there. */
static void pickup_ack(sd_reasm *r, uint32_t ack)
{
    int64_t ao = seq_to_off(r, ack);
    if (ao < 0 && -ao <= (int64_t)REASM_PICKUP_BACK)
        move_base_down(r, ack, (uint64_t)-ao);
    else
        end_provisional(r);
}

static void ack_in(sd_reasm *r, uint32_t ack, uint64_t frame, sd_ts ts)
{
    if (!r->base_set)
        return;
    if (r->provisional)
        pickup_ack(r, ack);
    rebase_alt(r, ack);
    int32_t d = (int32_t)(ack - seq_at(r, r->next_off));
    if (d <= 0)
        return;
    uint64_t ao = r->next_off + (uint64_t)d;
    if (r->ack_seen && ao <= r->max_ack_off)
        return;
    r->ack_seen = true;
    r->max_ack_off = ao;
    r->cur_frame = frame;
    r->cur_ts = ts;
    confirm_tentative(r, ao, false);
    drain(r);
}

void sd_reasm_ack(sd_reasm *r, uint32_t ack, uint64_t frame, sd_ts ts)
{
    if (!r)
        return;
    r->ev++;
    ack_in(r, ack, frame, ts);
    after_event(r);
    SD_CHECK(check(r));
}

void sd_reasm_flush(sd_reasm *r)
{
    if (!r)
        return;
    confirm_tentative(r, 0, true);
    r->provisional = false;
    node *n;
    while ((n = tp_min(r)) != NULL) {
        if (n->off > r->next_off && !skip_fin_slot(r, n->off))
            deliver_gap(r, n->off, n->frame, n->ts);
        r->cur_frame = SD_MAX(r->cur_frame, n->frame);
        drain_ex(r, true);
    }
    /* Bytes the peer ACKed that were never captured. An ACK one past the
     * data is the FIN's (maybe unseen) sequence number, not a lost byte. */
    if (r->ack_seen && r->max_ack_off > r->next_off) {
        uint64_t end = r->max_ack_off;
        if (r->fin_seen && end == r->fin_off + 1)
            end = r->fin_off;
        else if (!r->fin_seen && end == r->next_off + 1)
            end = r->next_off;
        if (end > r->next_off) {
            skip_fin_slot(r, end);
            deliver_gap(r, end, r->cur_frame, r->cur_ts);
        }
    }
    SD_CHECK(check(r));
    SD_CHECK(assert(!r->root && r->held == 0)); /* flushed means nothing held */
}

const sd_reasm_stats *sd_reasm_get_stats(const sd_reasm *r)
{
    return &r->st;
}

void sd_reasm_free(sd_reasm *r)
{
    if (!r)
        return;
    node *n;
    while ((n = tp_pop_min(r)) != NULL)
        node_free(r, n);
    tp_free_all(r->root);
    free(r->hist);
    free(r->recs);
    sd_vec_free(&r->pcs);
    free(r);
}
