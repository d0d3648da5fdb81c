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
 * This file places segments, delivers and holds the public API;
 * sd_reasm_tree.c holds the treap, the memory accounting and the insertion
 * of held segments, sd_reasm_hist.c the history (sd_reasm_int.h between).
 *
 * The callback must not call back into the same sd_reasm. */
#include "sd_reasm_int.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../decode/sd_decode.h"

/* ---- small helpers ---- */

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
void sdr_deliver(sd_reasm *r, const uint8_t *p, uint64_t len, uint64_t ff, uint64_t lf, sd_ts ts,
                 uint32_t extra)
{
    if (p)
        sdr_hist_append(r, p, len, ff);
    while (len > 0) {
        /* r->nurg tested here: both urgent calls are no-ops without
         * pending urgent bytes, the case of nearly every chunk */
        if (p && r->nurg && sdr_urg_take(r, p, ff)) { /* out of band: skipped without a gap */
            r->next_off++;
            p++;
            len--;
            continue;
        }
        uint64_t n = cut_len(r, r->next_off, SD_MIN(len, (uint64_t)UINT32_MAX));
        if (p && r->nurg)
            n = sdr_urg_cut(r, n);
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
        sdr_hist_reset(r);
}

/* sdr_deliver of a segment's bytes when no FIN or RST is known and no
 * urgent byte is pending, the usual case: one chunk, none of the loop's
 * cuts and flag tests (issue #11: ~20 instructions a chunk). */
static inline void deliver_one(sd_reasm *r, const uint8_t *p, uint32_t len, uint64_t frame, sd_ts ts,
                               uint32_t extra)
{
    sdr_hist_append(r, p, len, frame);
    sd_chunk c = { SD_CHUNK_DATA, r->next_off, p, len, frame, frame, ts,
                   (r->truncated ? SD_CHUNKF_TRUNCATED : 0) | extra };
    if (r->cb.chunk)
        r->cb.chunk(r->cb.ud, &c);
    r->st.bytes_delivered += len;
    r->next_off += len;
    r->delivered_any = true;
}

/* deliver_one where it may be used, else sdr_deliver */
static inline void deliver_plain(sd_reasm *r, const uint8_t *p, uint32_t len, uint64_t frame, sd_ts ts,
                                 uint32_t extra)
{
    if (r->fin_seen || r->rst_seen || r->nurg)
        sdr_deliver(r, p, len, frame, frame, ts, extra);
    else
        deliver_one(r, p, len, frame, ts, extra);
}

void sdr_deliver_gap(sd_reasm *r, uint64_t upto, uint64_t frame, sd_ts ts)
{
    if (upto > r->next_off)
        sdr_deliver(r, NULL, upto - r->next_off, frame, frame, ts, 0);
}

/* The FIN occupies one sequence number: data continuing right after it
 * (seen in evasion traffic) is placed one past it without a gap. */
bool sdr_skip_fin_slot(sd_reasm *r, uint64_t next_data)
{
    if (r->fin_seen && r->next_off == r->fin_off && next_data > r->fin_off) {
        r->next_off++;
        sdr_hist_reset(r);
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
        sdr_deliver(r, n->buf + skip, n->len - skip, n->frame, n->frame, n->ts, fl);
    else
        sdr_deliver(r, n->buf + skip, n->len - skip, n->frame, SD_MAX(n->frame, r->cur_frame),
                    r->cur_ts, fl);
}

/* Delivers held nodes that are in order; fills holes the peer ACKed. */
static void drain_ex(sd_reasm *r, bool released)
{
    if (r->provisional)
        return;
    for (;;) {
        node *n = sdr_tp_min(r);
        if (!n || (n->flags & NODE_TENTATIVE))
            return;
        if (n->off > r->next_off) {
            if (sdr_skip_fin_slot(r, n->off))
                continue;
            if (r->ack_seen && r->max_ack_off > r->next_off && !r->inserting &&
                (n->off - r->next_off >= REASM_GRACE_MAX_HOLE || ack_grace_over(r))) {
                /* bounded by held data: a bogus ACK cannot invent a long gap */
                sdr_deliver_gap(r, SD_MIN(r->max_ack_off, n->off), r->cur_frame, r->cur_ts);
                r->hole_ack_ev = 0;
                released = true;
                continue;
            }
            return;
        }
        if (sdr_gated(r) && !(r->ack_seen && n->off + n->len <= r->max_ack_off))
            return; /* not ACKed yet: another copy may still win */
        sdr_tp_pop_min(r);
        if (n->off + n->len > r->next_off)
            deliver_node(r, n, released || r->opts.policy != SD_OVERLAP_FIRST);
        sdr_node_free(r, n);
    }
}

/* Memory is short under a gated policy: the first held bytes, if nothing is
 * missing before them, go out before the peer ACKs them (no truncation:
 * nothing is lost, the policy just cannot apply to them any more). */
bool sdr_release_min(sd_reasm *r)
{
    node *n = sdr_tp_min(r);
    if (!n || n->off > r->next_off || (n->flags & NODE_TENTATIVE) || r->provisional)
        return false;
    r->ungated = true;
    sdr_tp_pop_min(r);
    if (n->off + n->len > r->next_off)
        deliver_node(r, n, true);
    sdr_node_free(r, n);
    r->ungated = false;
    return true;
}

void sdr_drain(sd_reasm *r)
{
    drain_ex(r, false);
}

/* Offset 0 of a mid-stream pickup is settled: what is held flows. */
void sdr_end_provisional(sd_reasm *r)
{
    if (!r->provisional)
        return;
    r->provisional = false;
    drain_ex(r, true);
}

/* Gives up on the first hole to free memory (cap reached). */
bool sdr_force_first_hole(sd_reasm *r)
{
    node *n = sdr_tp_min(r);
    if (!n)
        return false;
    sdr_mark_truncated(r);
    if (n->flags & NODE_TENTATIVE) {
        n->flags &= ~(uint32_t)(NODE_TENTATIVE | NODE_DOUBT);
        r->ntentative--;
    }
    r->provisional = false;
    if (n->off > r->next_off && !sdr_skip_fin_slot(r, n->off))
        sdr_deliver_gap(r, n->off, r->cur_frame, r->cur_ts);
    bool was = r->ungated;
    r->ungated = true; /* n goes out now, ACKed or not */
    drain_ex(r, true);
    r->ungated = was;
    /* drain stops at the next hole; progress was made because n is gone */
    return true;
}

/* Confirms tentative data ending at or before off: by the peer's ACK
 * (acked), or by the sender going on past it, which confirms a SYN's data
 * (the sender waited for the handshake) but not a doubtful copy (the
 * sender goes on before it learns of a drop). */
static void confirm_tentative(sd_reasm *r, uint64_t off, bool all, bool acked)
{
    if (r->ntentative == 0)
        return;
    /* in order: SYN data sits at the start of the stream, doubtful copies
     * are few (one per conflicting datagram) */
    for (node *n = sdr_tp_min(r); n && r->ntentative > 0; n = sdr_tp_above(r, n->off)) {
        if (!all && n->off >= off)
            break;
        if ((n->flags & NODE_TENTATIVE) && (all || (n->off + n->len <= off && (acked || !(n->flags & NODE_DOUBT))))) {
            n->flags &= ~(uint32_t)(NODE_TENTATIVE | NODE_DOUBT);
            r->ntentative--;
        }
    }
}

/* ---- public API ---- */

/* r, zeroed but for what sd_reasm_recycle keeps, made ready for a stream. */
static void reasm_init(sd_reasm *r, const sd_reasm_opts *opts, const sd_reasm_cb *cb)
{
    if (opts)
        r->opts = *opts;
    if (r->opts.stream_cap == 0)
        r->opts.stream_cap = REASM_DEFAULT_CAP;
    if (r->opts.hist_cap == 0)
        r->opts.hist_cap = SD_REASM_HIST_CAP_DEFAULT;
    if (cb)
        r->cb = *cb;
    /* per-instance seed (address under ASLR) so an attacker cannot line
     * offsets up with priorities; the result never depends on the shape */
    uint64_t a = (uint64_t)(uintptr_t)r * 0x9E3779B97F4A7C15ull;
    r->rng = (uint32_t)(a >> 32) | 1u;
}

sd_reasm *sd_reasm_new(const sd_reasm_opts *opts, const sd_reasm_cb *cb)
{
    sd_reasm *r = sd_calloc(1, sizeof *r);
    reasm_init(r, opts, cb);
    return r;
}

void sd_reasm_retire(sd_reasm *r)
{
    node *n;
    while ((n = sdr_tp_pop_min(r)) != NULL)
        sdr_node_free(r, n);
    sdr_tp_free_all(r->root);
    r->root = NULL;
}

/* The history rings keep their size: below the cap a ring of any size
 * holds every byte since the stream began (it grows before one would fall
 * out), at the cap both are the same size; where a byte sits in the ring
 * is no part of the result. */
void sd_reasm_recycle(sd_reasm *r, const sd_reasm_opts *opts, const sd_reasm_cb *cb)
{
    sd_reasm_retire(r);
    uint8_t *hist = r->hist;
    size_t hcap = r->hcap;
    hrec *recs = r->recs;
    uint32_t rcap = r->rcap;
    piece *pcs = r->pcs.v;
    size_t pcs_cap = r->pcs.cap;
    memset(r, 0, sizeof *r);
    r->hist = hist, r->hcap = hcap, r->recs = recs, r->rcap = rcap;
    r->pcs.v = pcs, r->pcs.cap = pcs_cap;
    reasm_init(r, opts, cb);
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
    sdr_hist_reset(r);
}

/* SYN and SYN-ACK retries can carry different ISNs (a new attempt, or a
 * stale answer: suricata-verify tcp-fastopen-10-syn-data-ignore), and the
 * last one seen need not be the one the connection uses. Until anything is
 * delivered or held, data or a peer ACK at exactly an earlier ISN+1 moves
 * offset 0 there. */
static void rebase_alt_slow(sd_reasm *r, uint32_t first_seq)
{
    if (r->delivered_any || r->root || first_seq == r->base_seq)
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

/* ... its test in line: a stream with one ISN (nearly all) has no
 * alternative, and this runs on every data segment and every ACK */
static inline void rebase_alt(sd_reasm *r, uint32_t first_seq)
{
    if (r->nalt)
        rebase_alt_slow(r, first_seq);
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

/* Mid-stream, before offset 0 is set: a byte just below what the peer
 * already ACKed is a keep-alive (RFC 1122 4.2.3.6: SEG.SEQ = SND.NXT - 1,
 * its byte garbage on BSD and Windows), no data to start the stream at. */
static bool first_is_keepalive(const sd_reasm *r, uint8_t flags, uint32_t dseq, uint32_t len)
{
    return len == 1 && !(flags & (SD_TH_SYN | SD_TH_FIN)) && r->pre_ack_set && dseq + 1 == r->pre_ack;
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
        sdr_end_provisional(r);
        return;
    }
    if (r->base_set && (r->delivered_any || r->root))
        return; /* too late to move offset 0 */
    set_base(r, isn + 1);
}

/* After every event: graces that ran out release what they held. */
static void after_event_slow(sd_reasm *r)
{
    if (r->provisional && r->ev - r->prov_ev >= REASM_PICKUP_GRACE)
        sdr_end_provisional(r);
    else if (r->hole_ack_ev)
        sdr_drain(r);
}

/* ... tested in line: nearly every stream has neither (a call per segment
 * and per ACK, issue #11) */
static inline void after_event(sd_reasm *r)
{
    if (r->provisional || r->hole_ack_ev)
        after_event_slow(r);
}

/* inlined: its one caller is every segment's (sd_reasm_segment) */
static inline __attribute__((always_inline)) void segment_in(sd_reasm *r, uint32_t seq, uint8_t flags,
                                                              const uint8_t *data, uint32_t len, uint64_t frame,
                                                              sd_ts ts);
static void data_in(sd_reasm *r, uint64_t uoff, const uint8_t *data, uint32_t len, bool syn,
                    uint64_t frame, sd_ts ts);

/* Any segment, apart from the usual one's path (plain_in_order), whose
 * frame then stays small. */
static __attribute__((noinline)) void segment_any(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data,
                                                  uint32_t len, uint64_t frame, sd_ts ts)
{
    segment_in(r, seq, flags, data, len, frame, ts);
    after_event(r);
}

/* The usual segment: data (no SYN, FIN or RST) at exactly the delivery
 * point of a settled stream (offset 0 fixed, one ISN, no doubt, no grace
 * running) with nothing held and no FIN, RST or urgent byte known. Then
 * segment_in and data_in would only pass the bytes through (deliver_one)
 * and after_event do nothing: their ~80 tests a segment skipped (issue
 * #11: a brute-force connection's every data segment). */
static inline bool plain_in_order(const sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data,
                                  uint32_t len)
{
    return !(flags & (SD_TH_SYN | SD_TH_FIN | SD_TH_RST)) && data && len > 0 && len <= REASM_MAX_SEG &&
           r->base_set && !r->provisional && !r->doubting && !r->nalt && !r->root && !r->hole_ack_ev &&
           !r->fin_seen && !r->rst_seen && !r->nurg && !sdr_gated(r) && seq == seq_at(r, r->next_off);
}

void sd_reasm_segment(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                      uint64_t frame, sd_ts ts)
{
    if (!r)
        return;
    r->ev++;
    if (plain_in_order(r, seq, flags, data, len)) {
        r->cur_frame = frame;
        r->cur_ts = ts;
        r->sent_end = SD_MAX(r->sent_end, r->next_off + len);
        deliver_one(r, data, len, frame, ts, 0);
    } else {
        segment_any(r, seq, flags, data, len, frame, ts);
    }
    SD_CHECK(sdr_check(r));
}

void sd_reasm_segment_ex(sd_reasm *r, uint32_t seq, uint8_t flags, const uint8_t *data, uint32_t len,
                         uint64_t frame, sd_ts ts, bool doubtful)
{
    if (!r)
        return;
    r->doubting = doubtful;
    sd_reasm_segment(r, seq, flags, data, len, frame, ts);
    r->doubting = false;
}

static inline __attribute__((always_inline)) void segment_in(sd_reasm *r, uint32_t seq, uint8_t flags,
                                                              const uint8_t *data, uint32_t len, uint64_t frame,
                                                              sd_ts ts)
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
        if ((len == 0 && !syn) || first_is_keepalive(r, flags, dseq, len))
            return; /* mid-stream: the first data segment sets offset 0 */
        r->base_set = true;
        r->base_seq = dseq;
        r->next_off = 0;
        sdr_hist_reset(r);
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
    uint64_t snd_nxt = sdr_gated(r) ? SD_MAX(r->sent_end, r->next_off) : r->next_off;
    if (len == 1 && !syn && !(flags & SD_TH_FIN) && snd_nxt > 0 && off == (int64_t)snd_nxt - 1)
        return;

    if (!syn)
        confirm_tentative(r, off < 0 ? 0 : (uint64_t)off, false, false);

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
    data_in(r, (uint64_t)off, data, len, syn, frame, ts);
}

/* Data of a segment at or past offset 0 (its earlier bytes dropped):
 * checked where already delivered, then delivered or held. */
static void data_in(sd_reasm *r, uint64_t uoff, const uint8_t *data, uint32_t len, bool syn,
                    uint64_t frame, sd_ts ts)
{
    uint64_t end = uoff + len;
    uint32_t seg_flags = 0;
    if (end > r->sent_end)
        r->sent_end = end;

    if (uoff < r->next_off) {
        /* (partly) already delivered: those bytes stay as delivered */
        uint64_t old = SD_MIN(end, r->next_off) - uoff;
        bool diff = sdr_hist_check(r, uoff, data, old, frame, uoff, end);
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

    syn |= r->doubting; /* from here on: held as tentative (a doubtful copy as a SYN's data) */
    if (!syn && !r->provisional && !sdr_gated(r)) {
        const node *m = sdr_tp_min(r);
        if (!m || m->off >= uoff + len) {
            sdr_skip_fin_slot(r, uoff);
            if (uoff == r->next_off) { /* fast path: pass the caller's bytes through */
                deliver_plain(r, data, len, frame, ts,
                              (seg_flags & NODE_INCONS) ? SD_CHUNKF_RETRANS_INCONSISTENT : 0);
                if (m)
                    sdr_drain(r);
                return;
            }
        }
    }
    sdr_insert_seg(r, uoff, data, len, syn, seg_flags, frame, ts);
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
        sdr_end_provisional(r);
}

static __attribute__((noinline)) void ack_in(sd_reasm *r, uint32_t ack, uint64_t frame, sd_ts ts)
{
    if (!r->base_set) { /* mid-stream: what the peer had (first_is_keepalive) */
        r->pre_ack = ack;
        r->pre_ack_set = true;
        return;
    }
    if (r->provisional)
        pickup_ack(r, ack);
    r->peer_acks = true;
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
    confirm_tentative(r, ao, false, true);
    sdr_drain(r);
}

/* The usual ACK: of a settled stream (offset 0 fixed, one ISN), at or
 * below the delivery point, where ack_in only notes that the peer's ACKs
 * are in the capture; tested in line (a call's cost was half of ack_in's
 * ~30 instructions, and nearly every packet carries an ACK: issue #11). */
static inline bool ack_behind(const sd_reasm *r, uint32_t ack)
{
    return r->base_set && !r->provisional && !r->nalt && (int32_t)(ack - seq_at(r, r->next_off)) <= 0;
}

void sd_reasm_ack(sd_reasm *r, uint32_t ack, uint64_t frame, sd_ts ts)
{
    if (!r)
        return;
    r->ev++;
    if (ack_behind(r, ack))
        r->peer_acks = true;
    else
        ack_in(r, ack, frame, ts);
    after_event(r);
    SD_CHECK(sdr_check(r));
}

void sd_reasm_snapcut(sd_reasm *r, uint32_t seq, uint32_t len, uint64_t frame, sd_ts ts)
{
    if (!r || !len || !r->base_set || r->provisional || r->root || r->fin_seen || r->rst_seen || r->peer_acks)
        return;
    int64_t off = seq_to_off(r, seq);
    if (off < 0 || (uint64_t)off != r->next_off)
        return;
    sdr_deliver_gap(r, r->next_off + len, frame, ts);
    SD_CHECK(sdr_check(r));
}

void sd_reasm_mark_urgent(sd_reasm *r, uint32_t seq)
{
    if (!r || !r->base_set)
        return;
    int64_t off = seq_to_off(r, seq);
    if (off >= 0 && (uint64_t)off >= r->next_off)
        sdr_urg_add(r, (uint64_t)off);
}

void sd_reasm_flush(sd_reasm *r)
{
    if (!r)
        return;
    confirm_tentative(r, 0, true, false);
    r->provisional = false;
    r->ungated = true; /* the end: nothing can change any more */
    node *n;
    while ((n = sdr_tp_min(r)) != NULL) {
        if (n->off > r->next_off && !sdr_skip_fin_slot(r, n->off))
            sdr_deliver_gap(r, n->off, n->frame, n->ts);
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
            sdr_skip_fin_slot(r, end);
            sdr_deliver_gap(r, end, r->cur_frame, r->cur_ts);
        }
    }
    r->ungated = false;
    SD_CHECK(sdr_check(r));
    SD_CHECK(assert(!r->root && r->held == 0)); /* flushed means nothing held */
}

const sd_reasm_stats *sd_reasm_get_stats(const sd_reasm *r)
{
    return &r->st;
}

/* Rings past what a short stream needs freed (a retired reasm kept as a
 * spare): a spare then holds ~5 kB besides the struct, whatever the stream
 * it served held. Both or neither: the frame ring is made with the byte
 * ring (sd_reasm_hist.c hist_reserve). */
void sd_reasm_shrink(sd_reasm *r)
{
    if (r->hcap <= REASM_HIST_KEEP && r->rcap <= REASM_HIST_RECS_KEEP)
        return;
    free(r->hist);
    free(r->recs);
    r->hist = NULL, r->hcap = 0;
    r->recs = NULL, r->rcap = 0;
}

void sd_reasm_free(sd_reasm *r)
{
    if (!r)
        return;
    sd_reasm_retire(r);
    free(r->hist);
    free(r->recs);
    sd_vec_free(&r->pcs);
    free(r);
}
