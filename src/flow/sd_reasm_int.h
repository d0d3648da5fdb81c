/* Internal to the TCP reassembler (src/flow): the state shared by
 * sd_reasm.c (placement, delivery, the public API), sd_reasm_tree.c (the
 * treap of held segments, invariants, memory accounting, holding a segment)
 * and sd_reasm_hist.c (the history of delivered bytes, inconsistency
 * checks). Not part of the library API. */
#ifndef SD_REASM_INT_H
#define SD_REASM_INT_H

#include "sd_reasm.h"

#include "../common/sd_vec.h"

#include <string.h>

/* Defaults and bounds (documented in docs/reassembly.md). */
#define REASM_DEFAULT_CAP (4u << 20)   /* sd_reasm_opts.stream_cap == 0 */
#define REASM_SEG_OVERHEAD 64u         /* bytes charged per held segment besides its data,
                                          so many tiny segments cannot evade the cap */
#define REASM_HIST_MIN 256u            /* the byte ring's first size (power of two) */
#define REASM_HIST_RECS_MIN 16u        /* the frame ring's first size (power of two) */
/* What a spare reassembler keeps of its rings (sd_reasm_shrink): a short
 * connection's whole stream (a brute-force SSH direction carries 1.5-2.5 kB
 * in ~10 segments), so the next one does not grow its rings again from the
 * first size (three mallocs and frees a direction: ~1,000 instructions a
 * connection of issue #11's brute force); 4.5 kB a spare, 1024 spares. */
#define REASM_HIST_KEEP 4096u
#define REASM_HIST_RECS_KEEP 32u
#define REASM_HIST_CAP_MIN 64u         /* smallest --overlap-memcap that keeps anything */
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

/* TENTATIVE: a SYN's data, or with DOUBT a copy its receiver may have
 * dropped (sd_reasm_segment_ex): not delivered until confirmed, replaced by
 * a re-send; DOUBT ones only by an ACK past them or the end. */
enum { NODE_INCONS = 1u << 0, NODE_TENTATIVE = 1u << 1, NODE_DOUBT = 1u << 2 };

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
    bool doubting;      /* in sd_reasm_segment_ex(doubtful): its nodes get NODE_DOUBT */
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
    bool ungated;   /* deliver held bytes the peer has not ACKed (end, memory caps) */
    bool peer_acks; /* the peer's ACKs of this stream are in the capture (sd_reasm_snapcut) */
    bool pre_ack_set;  /* pre_ack holds the peer's last ACK from before offset 0 was set */
    uint32_t pre_ack;
    uint64_t sent_end; /* end of the highest data seen (keep-alives when gated) */
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

    uint64_t urg;                /* offset of the pending urgent byte (sd_reasm_urg.c) */
    uint32_t nurg;               /* 1 while one is pending, else 0 */

    SD_VEC(piece) pcs; /* scratch for insertion */
#ifdef SD_DEBUG_INVARIANTS
    uint64_t dbg_ops, dbg_next_full; /* a full walk every ~nnodes events */
    uint64_t dbg_next_off;           /* next_off after the previous event */
#endif
};

/* ---- sd_reasm_tree.c ---- */
node *sdr_tp_min(const sd_reasm *r);
node *sdr_tp_pop_min(sd_reasm *r);
node *sdr_tp_above(const sd_reasm *r, uint64_t key);
void sdr_tp_free_all(node *t);
void sdr_mark_truncated(sd_reasm *r);
void sdr_node_free(sd_reasm *r, node *n);
bool sdr_new_wins(sd_overlap_policy pol, uint64_t os, uint64_t oe, uint64_t ns, uint64_t ne);
void sdr_insert_seg(sd_reasm *r, uint64_t s, const uint8_t *p, uint32_t len, bool syn,
                    uint32_t seg_flags, uint64_t frame, sd_ts ts);
#ifdef SD_DEBUG_INVARIANTS
void sdr_check(sd_reasm *r);
#endif

/* ---- sd_reasm_hist.c ---- */
void sdr_hist_reset(sd_reasm *r);
void sdr_hist_append_slow(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t frame);
/* Record bytes about to be delivered at r->next_off. Inline, the usual
 * case only (its call's prologue and epilogue were a third of its ~75
 * instructions a chunk, issue #11): the bytes fit with the held ones (no
 * growth, hstart stays), the frame ring has room. Then no record falls
 * out: the slow path's loop would stop at the head's successor, which is
 * the same one as after the last call (records >= 2), none (0), or the new
 * record (1), whose offset, next_off, is past hstart when the ring holds
 * any byte. */
static inline void sdr_hist_append(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t frame)
{
    uint64_t held = r->next_off - r->hstart;
    if (!(r->hcap && held + len <= r->hcap && r->rcount < r->rcap && (r->rcount != 1 || held > 0))) {
        sdr_hist_append_slow(r, p, len, frame);
        return;
    }
    size_t pos = (size_t)(r->next_off & (r->hcap - 1));
    size_t first = SD_MIN((size_t)len, r->hcap - pos);
    memcpy(r->hist + pos, p, first);
    if (len > first)
        memcpy(r->hist, p + first, (size_t)len - first);
    const uint32_t m = r->rcap - 1;
    if (r->rcount == 0 || r->recs[(r->rhead + r->rcount - 1) & m].frame != frame) {
        r->recs[(r->rhead + r->rcount) & m] = (hrec){ r->next_off, frame }; /* hstart <= next_off */
        r->rcount++;
    }
}
bool sdr_hist_check(sd_reasm *r, uint64_t off, const uint8_t *p, uint64_t len, uint64_t frame, uint64_t ns,
                    uint64_t ne);
void sdr_report(sd_reasm *r, const sd_reasm_inconsistency *in);
bool sdr_diff_report(sd_reasm *r, uint64_t off, const uint8_t *a, const uint8_t *b, uint32_t n,
                     uint64_t old_frame, uint64_t new_frame, bool new_kept);

/* ---- sd_reasm_urg.c ---- */
void sdr_urg_add(sd_reasm *r, uint64_t off);
uint64_t sdr_urg_cut(sd_reasm *r, uint64_t len);
bool sdr_urg_take(sd_reasm *r, const uint8_t *p, uint64_t frame);

/* ---- sd_reasm.c: delivery ----
 * A policy other than first can only decide between copies both still
 * held: with one, bytes are held until the peer ACKs them (what can no
 * longer change, as IDS stream engines deliver), or the stream ends, or a
 * memory cap needs them out. Under first the result is the same either
 * way, so they flow at once. */
static inline bool sdr_gated(const sd_reasm *r)
{
    return r->opts.policy != SD_OVERLAP_FIRST && !r->ungated;
}
bool sdr_release_min(sd_reasm *r);
void sdr_deliver(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t ff, uint64_t lf, sd_ts ts,
                 uint32_t extra);
void sdr_deliver_gap(sd_reasm *r, uint64_t upto, uint64_t frame, sd_ts ts);
bool sdr_skip_fin_slot(sd_reasm *r, uint64_t next_data);
void sdr_drain(sd_reasm *r);
void sdr_end_provisional(sd_reasm *r);
bool sdr_force_first_hole(sd_reasm *r);

#endif
