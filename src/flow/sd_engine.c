/* sd_engine: drives capture -> decode -> flow -> TCP analysis and
 * reassembly -> analyzers, and ends connections (closed, idle, end of
 * input) so memory follows the live connections, not the file. */
#include "sd_engine.h"

#include "../capture/sd_pipe.h"

#include "sd_flowtab.h"
#include "sd_oow.h"
#include "sd_own.h"
#include "sd_servport.h"
#include "sd_tcp.h"
#include "sd_tcphist.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SWEEP_EVERY_NS SD_NS_PER_SEC /* expiry check at most once per capture second */
#define PROGRESS_EVERY 65536

typedef struct rctx {
    struct sd_engine *e;
    sd_flow *f;
    int dir;
} rctx;

/* Reassemblers of ended streams kept for new ones (sd_reasm_recycle): a
 * new one then costs a clear, not five allocations with their frees
 * (issue #11: ~2,000 instructions a connection). Enough for the streams
 * that end at once in one idle sweep (a brute force ends hundreds in one):
 * the first SPARE_REASM_FULL keep their rings whatever their size (the
 * rings grow with the streams, up to --overlap-memcap each), the others
 * only rings of their first size (sd_reasm_shrink), so what is kept stays
 * a few MB at most (~5 kB a spare). What is past the cap is freed. Under
 * ASan none is kept, so that a use after a stream's end is caught. The
 * callbacks' contexts (two a flow) are kept the same way. */
#define SPARE_REASM 1024
#define SPARE_REASM_FULL 32
#ifdef SD_ASAN
static const unsigned spare_reasm_kept = 0; /* an object: no "always false" warning */
#else
static const unsigned spare_reasm_kept = SPARE_REASM;
#endif

struct sd_engine {
    sd_engine_opts o;
    sd_reasm *spare_reasm[SPARE_REASM];
    unsigned nspare_reasm;
    struct rctx *spare_rctx[SPARE_REASM / 2]; /* pairs, as reasm_start takes them */
    unsigned nspare_rctx;
    sd_analyzer an[SD_MAX_ANALYZERS];
    int nan;
    /* the analyzers with a packet callback, asked on every packet: most
     * have none (conns: one of several) */
    uint8_t pkt_an[SD_MAX_ANALYZERS];
    int npkt_an;
    int npkt_every; /* of them, those without packet_from_close */
    /* the same for the chunk callback, asked on every delivered chunk */
    uint8_t chunk_an[SD_MAX_ANALYZERS];
    int nchunk_an;
    sd_flowtab *tab;
    sd_engine_stats st;
    /* with own: the counts of the chunk's own records (chunk_account) */
    sd_engine_stats chunk_st, chunk_sum, chunk_base;
    bool chunk_in;     /* the last record read was the chunk's */
    bool uids_late;    /* sd_engine_uids_late */
    uint64_t next_id_tcp, next_id_udp; /* connections so far (in their uids) */
    sd_streamno *streams;               /* Wireshark's stream numbers */
    sd_servport servers;                /* likely server ports, for mid-stream joins */
    sd_ts now, last_sweep;
    sd_ts next_sweep;  /* where last_sweep's grid cell ends (see sweep) */
    sd_ts timeout[SD_IDLE_NCLASS];
    uint64_t next_seq;
    sd_ts prev_ts; /* of the frame read last, for the time-order check */
    uint64_t prev_num, cur_num; /* cur: the record being handled (any) */
    int at;                     /* SD_OWN_AT_*: in a packet, a sweep, the drain */
    sd_oowpool oow;    /* out-of-window segments held, all flows */
};

sd_engine *sd_engine_new(const sd_engine_opts *opts)
{
    sd_engine *e = sd_calloc(1, sizeof *e);
    e->o = *opts;
    e->tab = sd_flowtab_new();
    e->streams = sd_streamno_new(opts->max_flows);
    e->timeout[SD_IDLE_TCP_EST] = opts->tcp_idle ? opts->tcp_idle : 3600 * SD_NS_PER_SEC;
    e->timeout[SD_IDLE_TCP_EARLY] = opts->tcp_idle_early ? opts->tcp_idle_early : 300 * SD_NS_PER_SEC;
    e->timeout[SD_IDLE_TCP_CLOSED] = opts->tcp_linger ? opts->tcp_linger : 30 * SD_NS_PER_SEC;
    e->timeout[SD_IDLE_UDP] = opts->udp_idle ? opts->udp_idle : 120 * SD_NS_PER_SEC;
    /* an established connection an exact RST closed waits as long as one
     * that fell silent (idle_class); live capture's short linger stays */
    e->timeout[SD_IDLE_TCP_RST] = opts->tcp_linger ? opts->tcp_linger
                                  : SD_MAX(e->timeout[SD_IDLE_TCP_EST], e->timeout[SD_IDLE_TCP_CLOSED]);
    if (!e->o.max_flows)
        e->o.max_flows = SD_ENGINE_MAX_FLOWS_DEFAULT;
    if (!e->o.sweep_every)
        e->o.sweep_every = SWEEP_EVERY_NS;
    e->st.max_flows = e->o.max_flows;
    e->oow.dropped = &e->st.oow_dropped;
    return e;
}

int sd_engine_add(sd_engine *e, const sd_analyzer *a)
{
    if (e->nan >= SD_MAX_ANALYZERS)
        return -1;
    e->an[e->nan] = *a;
    if (a->packet)
        e->pkt_an[e->npkt_an++] = (uint8_t)e->nan;
    if (a->packet && !a->packet_from_close)
        e->npkt_every++;
    if (a->chunk)
        e->chunk_an[e->nchunk_an++] = (uint8_t)e->nan;
    return e->nan++;
}

const sd_engine_stats *sd_engine_get_stats(const sd_engine *e)
{
    return &e->st;
}

uint64_t sd_engine_cur_frame(const sd_engine *e)
{
    return e->cur_num;
}

const sd_engine_stats *sd_engine_chunk_stats(const sd_engine *e)
{
    return e->o.own ? &e->chunk_st : &e->st;
}

/* The decoder's counts into st (at the end, and where a chunk ends). */
static void decoder_counts(sd_decoder *dec, sd_engine_stats *st)
{
    st->frags_reassembled = sd_decoder_frags_reassembled(dec);
    sd_decoder_frags_lost(dec, &st->frags_lost_memcap, &st->frags_lost_timeout, &st->frags_incomplete);
    st->frag_copies = sd_decoder_frag_copies(dec);
    st->warn_unshown = sd_decoder_unshown(dec, st->warn_unshown_kinds, sizeof st->warn_unshown_kinds);
    sd_decoder_undecoded(dec, st->undecoded);
}

/* The counts a chunk's summary carries that add up over records: what
 * its own records added. Files that overlap in time are read
 * interleaved, so the chunk's records and the read-ahead's alternate
 * (hostile round 21: counts taken at the first record past the chunk's
 * files gave 161 frames of 360 under --jobs 2); the merge adds the
 * chunks' parts, so each record is counted by the chunk of its file.
 * The fragment sets' counts are not here: the decoder counts the sets
 * the chunk owns (sd_own_frag_counts), whatever record decides them. */
#define CHUNK_SUMS(X)                                                                                          \
    X(frames) X(ip_pkts) X(tcp_pkts) X(udp_pkts) X(other_pkts) X(not_ip) X(bad) X(evicted) X(csum_bad[0])     \
    X(csum_bad[1]) X(tunnel_mixed) X(warn_unshown)

/* Before each record of a chunk (in: it is the chunk's) and after the
 * last: a run of the chunk's records starts (the counts then kept) or
 * ends (what it added goes to chunk_sum). */
static void chunk_account(sd_engine *e, sd_decoder *dec, bool in)
{
    if (in == e->chunk_in)
        return;
    e->chunk_in = in;
    sd_engine_stats now = e->st;
    decoder_counts(dec, &now);
    if (in) {
        e->chunk_base = now;
        return;
    }
#define X(f) e->chunk_sum.f += now.f - e->chunk_base.f;
    CHUNK_SUMS(X)
#undef X
    for (int i = 0; i < SD_UNDEC_COUNT; i++)
        e->chunk_sum.undecoded[i] += now.undecoded[i] - e->chunk_base.undecoded[i];
}

/* At the end of input: the chunk's counts, its sums and the rest as the
 * engine's. */
static void chunk_close(sd_engine *e)
{
    e->chunk_st = e->st;
#define X(f) e->chunk_st.f = e->chunk_sum.f;
    CHUNK_SUMS(X)
#undef X
    memcpy(e->chunk_st.undecoded, e->chunk_sum.undecoded, sizeof e->chunk_st.undecoded);
}

void sd_engine_uids_late(sd_engine *e)
{
    e->uids_late = true;
}

struct sd_own *sd_engine_own(const sd_engine *e)
{
    return e->o.own;
}

/* ---- reassembly glue ---- */

static bool wants_bytes(const sd_engine *e, const sd_conn *c)
{
    for (int k = 0; k < e->nchunk_an; k++)
        if (c->slot[e->chunk_an[k]])
            return true;
    return false;
}

static inline void chunk_to(sd_engine *e, sd_conn *c, int k, int dir, const sd_chunk *ch)
{
    int i = e->chunk_an[k];
    if (c->slot[i])
        e->an[i].chunk(e->an[i].ctx, c, c->slot[i], dir, ch);
}

static __attribute__((noinline)) void chunk_to_all(sd_engine *e, sd_conn *c, int dir, const sd_chunk *ch)
{
    for (int k = 0; k < e->nchunk_an; k++)
        chunk_to(e, c, k, dir, ch);
}

/* Both calls are tail calls: with one chunk analyzer (ssh), on_chunk keeps
 * no frame of its own (~12 instructions a chunk, issue #11). */
static void on_chunk(void *ud, const sd_chunk *ch)
{
    rctx *r = ud;
    if (r->e->nchunk_an == 1)
        chunk_to(r->e, &r->f->c, 0, r->dir, ch);
    else
        chunk_to_all(r->e, &r->f->c, r->dir, ch);
}

static void on_inconsistency(void *ud, const sd_reasm_inconsistency *inc)
{
    rctx *r = ud;
    sd_engine *e = r->e;
    sd_conn *c = &r->f->c;
    c->inconsistencies++;
    for (int i = 0; i < e->nan; i++)
        if (c->slot[i] && e->an[i].inconsistency)
            e->an[i].inconsistency(e->an[i].ctx, c, c->slot[i], r->dir, inc);
}

static void on_urgent(void *ud, const sd_reasm_urgent *u)
{
    rctx *r = ud;
    sd_engine *e = r->e;
    sd_conn *c = &r->f->c;
    for (int i = 0; i < e->nan; i++)
        if (c->slot[i] && e->an[i].urgent)
            e->an[i].urgent(e->an[i].ctx, c, c->slot[i], r->dir, u);
}

static void reasm_start(sd_engine *e, sd_flow *f)
{
    rctx *r = e->nspare_rctx ? e->spare_rctx[--e->nspare_rctx] : sd_malloc(2 * sizeof *r);
    f->rctx = r;
    for (int d = 0; d < 2; d++) {
        r[d] = (rctx){ e, f, d };
        sd_reasm_cb cb = { .chunk = on_chunk, .inconsistency = on_inconsistency, .urgent = on_urgent, .ud = &r[d] };
        if (e->nspare_reasm) {
            f->reasm[d] = e->spare_reasm[--e->nspare_reasm];
            sd_reasm_recycle(f->reasm[d], &e->o.reasm, &cb);
        } else {
            f->reasm[d] = sd_reasm_new(&e->o.reasm, &cb);
        }
    }
}

/* What reassembly found goes into the connection's facts. */
static void reasm_collect(sd_flow *f)
{
    if (f->reasm_pending) { /* wanted, nothing to reassemble came: all zero */
        f->reasm_pending = false;
        f->c.reasm_on = true;
    }
    for (int d = 0; d < 2; d++) {
        if (!f->reasm[d])
            continue;
        const sd_reasm_stats *s = sd_reasm_get_stats(f->reasm[d]);
        sd_dirstats *ds = &f->c.d[d];
        ds->stream_bytes = s->bytes_delivered;
        ds->gap_bytes = s->gap_bytes;
        ds->inconsistent_bytes = s->inconsistent_bytes;
        ds->unchecked_bytes = s->unchecked_bytes;
        ds->policy_unapplied_bytes = s->policy_unapplied_bytes;
        ds->urgent_bytes = s->urgent_bytes;
        ds->stream_truncated = s->truncated;
        f->c.reasm_on = true;
    }
}

static void reasm_stop(sd_engine *e, sd_flow *f)
{
    reasm_collect(f);
    for (int d = 0; d < 2; d++) {
        if (f->reasm[d] && e->nspare_reasm < spare_reasm_kept) {
            sd_reasm_retire(f->reasm[d]); /* its held bytes leave the budget now */
            if (e->nspare_reasm >= SPARE_REASM_FULL)
                sd_reasm_shrink(f->reasm[d]);
            e->spare_reasm[e->nspare_reasm++] = f->reasm[d];
        } else
            sd_reasm_free(f->reasm[d]);
        f->reasm[d] = NULL;
    }
    if (f->rctx && e->nspare_rctx < spare_reasm_kept / 2)
        e->spare_rctx[e->nspare_rctx++] = f->rctx;
    else
        free(f->rctx);
    f->rctx = NULL;
}

/* Reassemblers are started at the first data, FIN or RST, not at the SYN:
 * a scan's half-open connections (most of an internet-facing capture) then
 * cost no reassembly memory. The handshake's calls are logged and replayed
 * in order, so the reassemblers see exactly what they would have seen. */
static bool reasm_defer(sd_flow *f, const sd_pkt *p, int dir)
{
    if (p->payload_len || (p->flags & (SD_TH_FIN | SD_TH_RST)) || f->npend + 2 > SD_REASM_PEND)
        return false;
    if ((p->flags & SD_TH_SYN) && !f->c.d[dir].bytes)
        f->pend[f->npend++] = (sd_reasm_pend){ (uint8_t)dir, false, p->seq, 0, 0 };
    if (p->flags & SD_TH_ACK)
        f->pend[f->npend++] = (sd_reasm_pend){ (uint8_t)!dir, true, p->ack, p->frame->num, p->frame->ts };
    return true;
}

static void reasm_begin(sd_engine *e, sd_flow *f)
{
    f->reasm_pending = false;
    reasm_start(e, f);
    for (uint8_t i = 0; i < f->npend; i++) {
        const sd_reasm_pend *q = &f->pend[i];
        if (q->is_ack)
            sd_reasm_ack(f->reasm[q->dir], q->v, q->frame, q->ts);
        else
            sd_reasm_set_isn(f->reasm[q->dir], q->v);
    }
    f->npend = 0;
}

/* Data a receiver whose connection is synchronized drops whatever its
 * sequence number, for the segment's flags or ACK: no ACK bit (RFC 9293
 * 3.10.7.4, fifth check; Linux's tcp_rcv_state_process), a SYN other than
 * a retry at its direction's ISN (RFC 5961 4: a challenge ACK, the segment
 * dropped), an ACK of bytes the peer has not sent (SEG.ACK > SND.NXT: an
 * ACK back, the segment dropped). An injection at the right number made so
 * is not what the receiver read. A capture that lost the peer's segments
 * shows honest data ACKing bytes it never held: so only an ACK past the
 * peer's highest byte seen by more than the largest window this side
 * offered (UNTAKEN_ACK_SLACK more) is judged, and such data is doubtful,
 * not dropped: held until the receiver ACKs it, a re-send first replacing
 * it (sd_reasm_segment_ex), as a conflicting fragment's. */
#define UNTAKEN_ACK_SLACK 65536u /* window updates the capture missed, as sd_oow.c's OOW_SLACK */
/* PAWS (RFC 7323 5.3): a receiver drops a segment whose TSval is older
 * than the TS.Recent it keeps for the sender. Linux's tcp_paws_discard
 * allows one tick (TCP_PAWS_WINDOW) and forgets a TS.Recent idle 24 days
 * (TCP_PAWS_24DAYS, RFC 7323 5.5). */
#define PAWS_WINDOW 1
#define PAWS_IDLE_NS (24LL * 86400 * SD_NS_PER_SEC)

/* TS.Recent as the receiver updates it (RFC 7323 4.3): from the SYN, then
 * from a segment it takes whose number is at or before the last ACK it
 * sent (Last.ACK.sent) and whose TSval is not older. A segment out of
 * order leaves it, so a reordered older one is no PAWS drop. Only SYNs and
 * data segments are followed (the caller), not pure ACKs: a lower
 * TS.Recent judges fewer segments, and an ACK costs nothing more. */
static inline void paws_note(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_tcptrack *t = &f->t[dir];
    const sd_tcptrack *peer = &f->t[!dir];
    if ((int32_t)(p->opt.tsval - t->ts_recent) < 0 && t->ts_recent_set) /* older: kept (most often not) */
        return;
    if ((p->flags & SD_TH_SYN) || (peer->acked_any && (int32_t)(p->seq - peer->last_ack) <= 0)) {
        t->ts_recent = p->opt.tsval;
        t->ts_recent_at = p->frame->ts;
        t->ts_recent_set = true;
    }
}

/* The receiver's own state that drops data at the right number: a TSval
 * older than its TS.Recent, a zero window. Asked only when one of the two
 * looks possible (untaken's one test), so untaken stays inlined. */
static __attribute__((noinline)) void count_untaken(sd_engine *e, unsigned ta)
{
    if (ta & SD_TA_ZEROWIN_DATA)
        e->st.zerowin_data++;
    else if (ta & SD_TA_TTL_LOW)
        e->st.ttl_low++;
    else if (ta & SD_TA_PAWS)
        e->st.paws++;
    else if (ta & SD_TA_IP_DISCARD)
        e->st.ip_discard++;
    else if (ta & SD_TA_TCP_AUTH)
        e->st.tcp_auth++;
    else
        e->st.untaken++;
}

/* A data segment whose TTL (hop limit) is more than SD_TTL_ROUTE_SLACK
 * below its side's SYN's may die before its receiver: the evader's
 * insertion (Ptacek and Newsham 1998, 3.2) that the capture point sees and
 * the receiver never does. Honest data so judged (a longer path) is taken
 * once its receiver ACKs it, an insertion is replaced by the real copy.
 * Judged only with both SYNs seen (a capture with the peer's ACKs). */
static inline bool ttl_low(const sd_conn *c, const sd_pkt *p, int dir)
{
    return p->ttl + SD_TTL_ROUTE_SLACK < c->d[dir].ttl_syn && c->saw_syn && c->saw_synack &&
           !(p->flags & (SD_TH_RST | SD_TH_SYN));
}

/* A side's data judged low (ta: SD_TA_TTL_LOW) waits for what decides it:
 * a data segment of that side at its judged TTL (the SYN's path still
 * delivers: the low one was an insertion, the real copy replaces it) or
 * its receiver's ACK of everything that side sent (it took the low-TTL
 * bytes: its path grew, a route change or a SYN proxy's answer: its later
 * data is judged by that TTL). An evader cannot make the receiver ACK a
 * copy it never got. */
static __attribute__((noinline)) void ttl_path(sd_flow *f, const sd_pkt *p, int dir, unsigned ta)
{
    sd_dirstats *d = &f->c.d[dir], *peer = &f->c.d[!dir];
    if (ta & SD_TA_TTL_LOW) {
        d->ttl_held = p->ttl;
        d->ttl_pending = true;
    } else if (d->ttl_pending && p->payload_len && !(ta & SD_TA_UNTAKEN)) {
        d->ttl_pending = false;
    }
    if (peer->ttl_pending && (p->flags & SD_TH_ACK) && !(ta & SD_TA_UNTAKEN) &&
        SD_SEQ_GEQ(p->ack, f->t[!dir].max_end)) {
        peer->ttl_syn = peer->ttl_held;
        peer->ttl_pending = false;
    }
}

static __attribute__((noinline)) unsigned untaken_recv(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_conn *c = &f->c;
    const sd_tcptrack *peer = &f->t[!dir];
    const sd_tcptrack *t = &f->t[dir];
    /* Data whose TSval is older than its receiver's TS.Recent: dropped
     * there (PAWS), so a copy an injector sends first with an old TSval
     * is not the stream's. Honest data so judged (a TS.Recent the capture
     * placed too high) is taken once the receiver ACKs it. Only when both
     * SYNs carried Timestamps: else a receiver ignores the option (RFC
     * 7323 3.2; Linux's tcp_parse_options reads it only with tstamp_ok), so
     * an injector's copy with an old TSval is taken, not dropped. */
    if (p->opt.has_ts && c->d[SD_DIR_ORIG].ts_ok && c->d[SD_DIR_RESP].ts_ok && t->ts_recent_set &&
        c->established && !(p->flags & (SD_TH_RST | SD_TH_SYN)) &&
        (int32_t)(t->ts_recent - p->opt.tsval) > PAWS_WINDOW && p->frame->ts - t->ts_recent_at < PAWS_IDLE_NS)
        return SD_TA_UNTAKEN | SD_TA_PAWS;
    if (ttl_low(c, p, dir))
        return SD_TA_UNTAKEN | SD_TA_TTL_LOW;
    /* Data at or past the receiver's next number while the last window it
     * offered is zero: RFC 9293 3.10.7.4 accepts no data segment then, and
     * Linux's tcp_data_queue drops it (TCPZeroWindowDrop). A window probe
     * carries the sender's next byte and is re-sent, which replaces it; an
     * injected one would have been first (one byte in a packet length
     * desyncs the SSH layer). A window update the capture missed is seen
     * in the receiver's ACK covering the data, which takes it. A RST's
     * window offers nothing (zeek's tcp/rst-inject-rae: a RST|ACK of
     * window 0, then the client's data). */
    if (peer->acked_any && !peer->last_win && c->established && !(p->flags & SD_TH_RST) && !c->rst_seen[!dir] &&
        (int32_t)(p->seq - peer->last_ack) >= 0)
        return SD_TA_UNTAKEN | SD_TA_ZEROWIN_DATA;
    return 0;
}

/* A segment whose TCP authentication option its receiver does not expect:
 * a host with a TCP-MD5 (RFC 2385) or TCP-AO (RFC 5925) key for its peer
 * signs its SYN and drops every segment without the option, one with no
 * key drops every segment with one (Linux's tcp_inbound_hash:
 * TCPMD5Unexpected, TCPMD5NotFound, TCP_AOUNEXPECTED, TCP_AONOTFOUND), so
 * the receiver's own SYN says which it does. An injector's copy with a
 * made-up MD5 option (INTANG's insertion packets, Wang et al. 2017) is
 * then not the stream's. FreeBSD takes an unexpected signature: honest
 * data so judged is taken once its receiver ACKs it. Judged with both SYNs
 * seen only. */
static inline bool auth_unexpected(const sd_conn *c, const sd_pkt *p, int dir)
{
    return (p->opt.auth != 0) != c->d[!dir].auth_syn && c->saw_syn && c->saw_synack;
}

/* untaken's tests for a segment other than the usual one (see there):
 * out of line, nearly never asked. */
static __attribute__((noinline)) unsigned untaken_flags(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_conn *c = &f->c;
    const sd_tcptrack *peer = &f->t[!dir];
    if ((p->flags & SD_TH_RST) || !c->established)
        return 0;
    if (!(p->flags & SD_TH_ACK))
        return SD_TA_UNTAKEN;
    if ((p->flags & SD_TH_SYN) && c->d[dir].isn_set && p->seq != c->d[dir].isn)
        return SD_TA_UNTAKEN;
    int32_t ahead = (int32_t)(p->ack - peer->max_end); /* nearly always <= 0: asked first */
    if (ahead <= 0 || !c->saw_syn || !c->saw_synack || !peer->started) /* or the windows' scale unknown */
        return 0;
    /* Not an ACK older than a window (RFC 5961 5.2: dropped too): what the
     * receiver last took as ACKed is known here only from segments an
     * injector can forge too, and honest data judged doubtful is what a
     * later forged copy would replace. The peer's highest byte only grows
     * with injected segments, which makes this test laxer, never stricter. */
    uint64_t win = (c->d[dir].win_seen ? c->d[dir].win_max : 0) + UNTAKEN_ACK_SLACK;
    return (uint64_t)ahead > win ? SD_TA_UNTAKEN : 0;
}

/* inlined: asked on every data segment, where a call cost as much as its
 * usual answer's tests (issue #11) */
static inline __attribute__((always_inline)) unsigned untaken(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_conn *c = &f->c; /* p has data (the caller's test) */
    const sd_tcptrack *peer = &f->t[!dir];
    const sd_tcptrack *t = &f->t[dir];
    unsigned r;
    /* IP options its receiver's IP layer discards the datagram for
     * (sd_ip.c): not its TCP's, whatever the connection's state */
    if (p->anomalies & SD_ANOM_IP_DISCARD)
        return SD_TA_UNTAKEN | SD_TA_IP_DISCARD;
    if (__builtin_expect(auth_unexpected(c, p, dir), 0))
        return SD_TA_UNTAKEN | SD_TA_TCP_AUTH;
    /* one test for untaken_recv's three: nearly never true (an unset
     * TS.Recent is 0, older than any TSval below 2^31; an unset SYN TTL 0) */
    if ((!peer->last_win || (p->opt.has_ts && (int32_t)(t->ts_recent - p->opt.tsval) > PAWS_WINDOW) ||
         p->ttl + SD_TTL_ROUTE_SLACK < c->d[dir].ttl_syn) &&
        (r = untaken_recv(f, p, dir)))
        return r;
    /* the usual segment: an ACK, no SYN or RST, ACKing no byte past the
     * peer's highest (what every test of untaken_flags returns 0 for too) */
    if ((p->flags & (SD_TH_RST | SD_TH_SYN | SD_TH_ACK)) == SD_TH_ACK &&
        (int32_t)(p->ack - peer->max_end) <= 0)
        return 0;
    return untaken_flags(f, p, dir);
}

/* ta: sd_tcp's analysis of p. A RST the receiver does not take (outside
 * its window, or in it but not at its next number: sd_tcp.c rst_class)
 * marks no position in the stream, so what follows is not "after RST". */
/* inlined: once per TCP packet, from flow_packet only (GCC stopped
 * inlining it when the receiver checks made flow_packet bigger) */
static inline __attribute__((always_inline)) void reasm_packet(sd_engine *e, sd_flow *f, const sd_pkt *p,
                                                               int dir, unsigned ta)
{
    if (f->reasm_pending) {
        if (!wants_bytes(e, &f->c)) {
            reasm_stop(e, f);
            return;
        }
        if (reasm_defer(f, p, dir))
            return;
        reasm_begin(e, f);
    }
    if (!f->reasm[dir])
        return;
    /* every SYN of a direction that has no data yet: sd_reasm keeps the
     * ISNs it saw and the peer's ACK picks one (tcp-fastopen-10) */
    bool drop = ta & SD_TA_UNTAKEN; /* neither its SYN nor its ACK are the receiver's (untaken) */
    if ((p->flags & SD_TH_SYN) && !f->c.d[dir].bytes && !drop)
        sd_reasm_set_isn(f->reasm[dir], p->seq);
    /* the ACK first: what it releases of the peer's bytes was sent before
     * this segment's own data, and analyzers see both sides in that order;
     * held segments it covers go in before it */
    if ((p->flags & SD_TH_ACK) && f->oow[!dir] && !drop)
        sd_oow_release(&e->oow, f, !dir, p->ack);
    if ((p->flags & SD_TH_ACK) && f->reasm[!dir] && !drop)
        sd_reasm_ack(f->reasm[!dir], p->ack, p->frame->num, p->frame->ts);
    bool oow = sd_oow_beyond(f, p, dir);
    if (oow)
        sd_oow_hold(&e->oow, f, p, dir);
    else if ((p->flags & SD_TH_RST) && (ta & (SD_TA_RST_INVALID | SD_TA_RST_CHALLENGE)))
        ; /* its payload is no stream data either */
    else if (p->payload_len || (p->flags & (SD_TH_FIN | SD_TH_RST))) {
        if ((p->flags & SD_TH_URG) && p->urp && p->payload_len) /* the urgent byte: seq + urp - 1 */
            sd_reasm_mark_urgent(f->reasm[dir], p->seq + p->urp - 1);
        /* a datagram whose fragments overlapped with other bytes, which
         * its receiver may have dropped (sd_frag.c): held until an ACK
         * says it was taken; a re-send replaces it */
        uint32_t in = (p->anomalies & SD_ANOM_FRAG_CONFLICT) || drop ? 0 : sd_oow_inside(f, p, dir);
        if (in == p->payload_len)
            sd_reasm_segment(f->reasm[dir], p->seq, p->flags, p->payload, p->payload_len, p->frame->num,
                             p->frame->ts);
        else { /* the bytes past the receiver's window, or the whole, doubtful */
            if (in)
                sd_reasm_segment(f->reasm[dir], p->seq, p->flags & (uint8_t)~SD_TH_FIN, p->payload, in,
                                 p->frame->num, p->frame->ts);
            sd_reasm_segment_ex(f->reasm[dir], p->seq + in, p->flags, p->payload + in, p->payload_len - in,
                                p->frame->num, p->frame->ts, true);
        }
    } else if ((p->flags & SD_TH_URG) && p->urp && !drop) { /* an urgent byte to come: Linux (tcp_urg) and */
        sd_reasm_mark_urgent(f->reasm[dir], p->seq + p->urp - 1); /* the BSDs (rcv_up) take it from any segment */
    }
    /* the payload the snaplen cut from this segment's end: a hole a whole
     * re-send may fill, or, with no ACK of the peer's in the capture to
     * settle it, a gap at once (sd_reasm_snapcut) */
    if (!oow && !drop && p->payload_wire > p->payload_len && !(p->flags & (SD_TH_RST | SD_TH_FIN)))
        sd_reasm_snapcut(f->reasm[dir], p->seq + !!(p->flags & SD_TH_SYN) + p->payload_len,
                         p->payload_wire - p->payload_len, p->frame->num, p->frame->ts);
    if (!wants_bytes(e, &f->c))
        reasm_stop(e, f);
}

/* ---- connection life ---- */

/* inlined: asked on every packet */
static inline __attribute__((always_inline)) uint8_t idle_class(const sd_flow *f)
{
    const sd_conn *c = &f->c;
    if (c->ipproto != 6)
        return SD_IDLE_UDP;
    /* A RST that closed an established connection (exact, in the window)
     * may never have reached its receiver (an insertion, a drop): if the
     * connection then goes on, its later packets continue the same
     * sequence spaces, which no endpoint that took the RST can send (it
     * has forgotten them) and tshark keeps in the one tcp.stream. They
     * reopen it (sd_tcp.c rst_untaken) however long the pause before
     * them: after a 30 s linger they were another, mid-stream connection
     * whose SSH was not read. So it waits as an established connection
     * waits, first in the eviction order (EVICT_ORDER) with the closed. */
    if (c->closed)
        return (f->t[0].rst_closed || f->t[1].rst_closed) && !(c->fin_seen[0] && c->fin_seen[1]) ? SD_IDLE_TCP_RST
                                                                                                  : SD_IDLE_TCP_CLOSED;
    /* mid-stream pickups are established connections we joined late */
    return c->established || c->midstream ? SD_IDLE_TCP_EST : SD_IDLE_TCP_EARLY;
}


/* ending: the flow ends here (not closed by its own packet). */
static void record_open_counts(sd_engine *e, sd_flow *f, bool ending)
{
    if (!f->counted_open)
        return;
    f->close_at = e->cur_num; /* when, for sd_own's merge */
    f->close_how = (uint8_t)(e->at == SD_OWN_AT_PACKET ? (ending ? 0 : 2) : e->at + 2);
    f->c.open_at_end = sd_flowtab_open_total(e->tab) - 1; /* before the close takes f out */
    f->c.orig_open_at_end = sd_flowtab_close(e->tab, f) - 1;
}

/* The connection's last calls, for a flow already off the table; frees it. */
static void finish_flow(sd_engine *e, sd_flow *f, bool expired)
{
    sd_conn *c = &f->c;
    e->st.live--;
    sd_oow_end(&e->oow, f);
    for (int d = 0; d < 2; d++)
        if (f->reasm[d])
            sd_reasm_flush(f->reasm[d]);
    reasm_stop(e, f); /* nothing more to deliver; its counts go into the conn */
    record_open_counts(e, f, true);
    if (e->o.own)
        sd_own_end(e->o.own, f, e->cur_num, e->at, idle_class(f));
    if (!f->selected) { /* numbered only: no packet of it passed the filter */
        sd_flow_free(e->tab, f);
        return;
    }
    c->expired = expired;
    e->st.gaps_settled_early += f->t[0].gap.capped + f->t[1].gap.capped;
    e->st.history_cut += c->history_dropped != 0;
    sd_conn_finish_state(c);
    for (int i = 0; i < e->nan; i++)
        if (c->slot[i] && e->an[i].conn_end)
            e->an[i].conn_end(e->an[i].ctx, c, c->slot[i]);
    if (e->o.conn_done)
        e->o.conn_done(e->o.ud, c);
    sd_flow_free(e->tab, f);
}

/* A flow ends before the input does (split, idle, eviction): a later packet
 * on its key may go on with its Wireshark stream, so it is remembered. At
 * the end of input (drain) nothing comes later and nothing is. */
static void end_flow(sd_engine *e, sd_flow *f, bool expired)
{
    sd_flowkey k;
    sd_flowkey_of(f, &k);
    sd_streamno_end(e->streams, &k, &f->ws);
    sd_flowtab_remove_keyed(e->tab, f, &k);
    finish_flow(e, f, expired);
}

static void new_conn_fields(sd_engine *e, sd_conn *c, const sd_pkt *p)
{
    /* a SYN-ACK seen first means the handshake began before the capture:
     * its receiver is the originator; with no SYN at all, the ports say */
    bool tcp = p->l4 == SD_L4_TCP, syn = p->flags & SD_TH_SYN, ack = p->flags & SD_TH_ACK;
    bool by_port = tcp && !syn && sd_servport_flip(&e->servers, p->sport, p->dport);
    bool flip = (tcp && syn && ack) || by_port;
    c->orig_by = !tcp ? SD_ORIG_FIRST : syn ? (ack ? SD_ORIG_SYNACK : SD_ORIG_SYN)
                                            : by_port ? SD_ORIG_SERVER_PORT : SD_ORIG_FIRST;
    c->orig_h = flip ? p->dst : p->src;
    c->orig_p = flip ? p->dport : p->sport;
    c->resp_h = flip ? p->src : p->dst;
    c->resp_p = flip ? p->sport : p->dport;
    c->conn_index = p->l4 == SD_L4_TCP ? e->next_id_tcp++ : e->next_id_udp++;
    c->iface = p->frame->iface;
    c->nencap = p->nencap;
    memcpy(c->encap, p->encap, sizeof c->encap);
    c->start = p->frame->ts;
    c->first_frame = p->frame->num;
    c->d[0].wscale = c->d[1].wscale = -1;
    c->first_fin_dir = c->first_rst_dir = -1;
    c->rtt_syn_synack = c->rtt_synack_ack = -1;
    c->d[0].ttl_min = c->d[1].ttl_min = 255;
    c->midstream = p->l4 == SD_L4_TCP && !((p->flags & SD_TH_SYN) && !(p->flags & SD_TH_ACK));
    c->flipped = flip;
    if (flip) {
        c->history[0] = '^';
        c->history_len = 1;
    }
    if (!e->uids_late)
        sd_conn_make_uid(c);
}

/* Suricata's emergency order: what is least likely to matter goes first. */
static const uint8_t EVICT_ORDER[SD_IDLE_NCLASS] = { SD_IDLE_TCP_CLOSED, SD_IDLE_TCP_RST, SD_IDLE_TCP_EARLY,
                                                    SD_IDLE_UDP, SD_IDLE_TCP_EST };

/* The table is full: end the least recently active flow of the first
 * class that has one. It is still written, marked evicted. */
static void evict_one(sd_engine *e)
{
    for (int i = 0; i < SD_IDLE_NCLASS; i++) {
        sd_flow *f = sd_flowtab_oldest(e->tab, EVICT_ORDER[i]);
        if (f) {
            f->c.evicted = true;
            e->st.evicted++;
            end_flow(e, f, false);
            return;
        }
    }
}

static sd_flow *new_flow(sd_engine *e, const sd_flowkey *k, const sd_pkt *p, int side)
{
    if (sd_flowtab_count(e->tab) >= e->o.max_flows)
        evict_one(e);
    sd_flow *f = sd_flowtab_insert(e->tab, k);
    f->seq_no = e->next_seq++;
    sd_streamno_begin(e->streams, k, p, side, &f->ws);
    f->first_seq = p->seq, f->first_side = (uint8_t)side;
    f->tunnel = p->tunnel;
    f->first_syn = p->l4 == SD_L4_TCP && (p->flags & (SD_TH_SYN | SD_TH_ACK)) == SD_TH_SYN;
    f->c.id = f->ws.stream;
    new_conn_fields(e, &f->c, p);
    if (++e->st.live > e->st.max_live)
        e->st.max_live = e->st.live;
    return f;
}

/* The flow's first packet that passed the filter (with no filter, its first
 * packet): from here on it is a connection that is counted, analysed and
 * written. Until then it was only numbered, as in the unfiltered capture. */
static void select_flow(sd_engine *e, sd_flow *f)
{
    f->selected = true;
    if (f->c.ipproto == 6)
        e->st.conns_tcp++;
    else
        e->st.conns_udp++;
    /* closed by packets the filter rejected: never open here; an open
     * count unread costs a host lookup at the start and two at the end */
    if (!f->c.closed && !(e->o.no_open_counts && !e->o.own))
        sd_flowtab_open(e->tab, f);
    for (int i = 0; i < e->nan; i++)
        if (e->an[i].conn_new)
            f->c.slot[i] = e->an[i].conn_new(e->an[i].ctx, &f->c);
    if (f->c.ipproto == 6 && e->o.reassemble && wants_bytes(e, &f->c))
        f->reasm_pending = true; /* started by reasm_packet at the first data */
}

/* Asked several times per packet: the port first, which tells most
 * responder packets apart, then the address as one inlined comparison of
 * the whole sd_addr (what sd_addr_cmp == 0 means: family and 16 bytes). */
static int direction(const sd_conn *c, const sd_pkt *p)
{
    return p->sport == c->orig_p && memcmp(&p->src, &c->orig_h, sizeof p->src) == 0 ? SD_DIR_ORIG : SD_DIR_RESP;
}

/* A SYN on a known 5-tuple starts a new connection when the old one is
 * over (FIN or RST seen) or when it carries a new initial sequence number
 * (port reuse), as Wireshark's tcp.stream numbering does. */
static bool starts_new_conn(const sd_flow *f, const sd_pkt *p)
{
    const sd_conn *c = &f->c;
    if (!(p->flags & SD_TH_SYN) || (p->flags & SD_TH_ACK))
        return false;
    int dir = direction(c, p);
    if (c->closed || sd_conn_fin_or_rst(c))
        return true;
    /* a SYN from the responder before any SYN-ACK is a simultaneous open
     * (RFC 793 fig. 8), the same connection */
    if (dir == SD_DIR_RESP && c->established)
        return true;
    return c->d[dir].isn_set && p->seq != c->d[dir].isn;
}

/* Wireshark starts a new stream here: strider ends the connection too, so
 * a connection never spans two streams, except for the responder's SYN of
 * a split handshake or simultaneous open (a known difference, kept as one
 * connection: one reassembly, as Suricata and Zeek read it). */
static bool ws_splits(const sd_flow *f, const sd_pkt *p, int side)
{
    if (!sd_streamno_splits(&f->ws, p, side))
        return false;
    return !(direction(&f->c, p) == SD_DIR_RESP && !f->c.established);
}

/* A SYN that ends a connection no FIN or RST closed, which carried data
 * or finished its handshake: Wireshark starts a new stream there, and so
 * does strider. A peer that lost the old connection answers with a
 * SYN-ACK (a reuse), but a synchronized one answers with a challenge ACK
 * and goes on (RFC 5961 4.2): the session's rest is then read as another,
 * mid-stream connection (hostile round 22: a blind SYN hid the rest of an
 * SSH session). Judged at the answer, said then. */
static bool split_open(const sd_conn *c)
{
    return !c->closed && !c->fin_seen[0] && !c->fin_seen[1] && !c->rst_seen[0] && !c->rst_seen[1] &&
           (c->established || c->d[0].bytes || c->d[1].bytes);
}

/* The first packet from the receiver of the SYN that split an open
 * connection: anything but a SYN-ACK means the old one went on. */
static void split_answer(sd_engine *e, sd_flow *f, const sd_pkt *p)
{
    f->split_open = false;
    if ((p->flags & (SD_TH_SYN | SD_TH_ACK)) != (SD_TH_SYN | SD_TH_ACK) && !e->st.syn_split++)
        e->st.syn_split_first = f->c.first_frame;
}

/* A packet whose checksum is wrong never reached the receiver (sd_csum.h),
 * nor a control segment its IP layer discarded (discarded_ctl) or its TCP
 * dropped (fin_dropped, ctl_auth, syn_dropped): it is numbered (Wireshark
 * does not check), a bad checksum counted with Zeek's C in the history,
 * and nothing else of the connection sees it. */
static void unreceived_packet(sd_engine *e, sd_flow *f, const sd_pkt *p, bool selected)
{
    sd_conn *c = &f->c;
    int dir = direction(c, p);
    unsigned ta = SD_TA_UNTAKEN; /* a FIN or SYN dropped for its flags */
    if (p->csum == SD_CSUM_BAD)
        ta = SD_TA_BAD_CSUM;
    else if (p->anomalies & SD_ANOM_IP_DISCARD)
        ta |= SD_TA_IP_DISCARD;
    else if (p->l4 == SD_L4_TCP && auth_unexpected(c, p, dir))
        ta |= SD_TA_TCP_AUTH; /* ctl_auth's */
    if (selected && !f->selected)
        select_flow(e, f);
    if (selected) {
        if (ta & SD_TA_BAD_CSUM)
            sd_tcphist_bad_csum(c, dir);
        c->end = p->frame->ts > c->end ? p->frame->ts : c->end;
        c->last_frame = p->frame->num;
        if (e->o.packet_seen)
            e->o.packet_seen(e->o.ud, c, p, dir, ta);
    }
    sd_flowtab_touch(e->tab, f, idle_class(f), p->frame->ts);
}

/* A SYN, FIN or RST in a datagram its receiver's IP layer discards for
 * its options (sd_ip.c, SD_ANOM_IP_DISCARD) never reached its TCP: it
 * opens, splits or ends nothing (hostile round 24: a RST in a
 * source-routed datagram ended an SSH session its hosts went on with).
 * Without data it is kept out as a bad checksum's packet; with data the
 * flags are dropped and the data judged as any there (untaken: held until
 * its receiver ACKs it). A bare ACK there is taken: one in a plain
 * datagram would release as much, and an honest session whose every
 * datagram carries a source route (a host that accepts them) needs it. */
#define DISCARD_CTL (SD_TH_SYN | SD_TH_FIN | SD_TH_RST)

static inline bool discarded_ctl(const sd_pkt *p)
{
    return (p->anomalies & SD_ANOM_IP_DISCARD) && p->l4 == SD_L4_TCP && (p->flags & DISCARD_CTL);
}

static void flow_packet(sd_engine *e, const sd_pkt *p, bool selected);

/* A FIN its receiver drops for the segment's other flags: RFC 9293
 * 3.10.7.4 checks, in every synchronized state, the SYN bit (fourth: a
 * challenge ACK, the segment dropped, RFC 5961 4.2) and the ACK bit
 * (fifth: off, the segment dropped) before the FIN (eighth); Linux the
 * same (tcp_validate_incoming, tcp_rcv_state_process). So a FIN with no
 * ACK (a FIN scan's, an injector's) or with a SYN closes nothing (hostile
 * round 26: a FIN-only segment in an SSH session made the rest
 * `data_after_close`, a SYN|FIN|ACK shifted the stream by a number). A
 * RST with it is checked second: a RST, judged as any. */
static inline bool fin_dropped(const sd_flow *f, const sd_pkt *p)
{
    return (p->flags & (SD_TH_FIN | SD_TH_RST)) == SD_TH_FIN && (p->flags & (SD_TH_ACK | SD_TH_SYN)) != SD_TH_ACK &&
           p->l4 == SD_L4_TCP && f->c.established;
}

/* A control segment its receiver drops (fin_dropped, discarded_ctl,
 * ctl_auth) with data or a SYN left: the flags drop taken off, the rest
 * judged as any (`packets` shows it so; data with no ACK, or with a SYN or
 * the option: untaken, held until ACKed; a SYN: a SYN in a synchronized
 * connection). False when nothing is left: the caller keeps it out as a
 * bad checksum's packet. */
static __attribute__((noinline)) bool ctl_rest(sd_engine *e, const sd_pkt *p, bool selected, uint8_t drop)
{
    if (!p->payload_len && !(p->flags & ~drop & SD_TH_SYN))
        return false;
    sd_pkt q = *p;
    q.flags &= (uint8_t)~drop;
    flow_packet(e, &q, selected);
    return true;
}

/* A SYN|ACK with no data in a synchronized connection, off its side's ISN
 * (a forged one at or near its sender's next number, or far off): RFC
 * 9293 3.10.7.4 (fourth check) and RFC 5961 4.2 have its receiver answer
 * any SYN with a challenge ACK and drop it, in every synchronized state,
 * as Linux does (tcp_validate_incoming: TCPSYNChallenge), whatever its
 * number. So it takes no sequence number (main: the next real segment
 * read as a re-send, hostile round 29) and is kept out as a bad
 * checksum's packet (not counted either, as fin_dropped's: counting it
 * here made sd_conn_count_packet a call on every packet). The handshake's
 * own SYN|ACK re-sent (its ISN: the ACK of it was lost) is dropped there
 * too but moves nothing either: it stays a re-send, unsaid. A bare SYN is
 * left to starts_new_conn (Wireshark starts a new stream at it, and a peer
 * that lost the old connection answers it: a reuse); one with data to
 * untaken (held until ACKed). */
static inline bool syn_dropped(const sd_flow *f, const sd_pkt *p)
{
    const sd_conn *c = &f->c;
    if ((p->flags & (SD_TH_SYN | SD_TH_ACK | SD_TH_RST)) != (SD_TH_SYN | SD_TH_ACK) || p->payload_wire ||
        !c->established || p->l4 != SD_L4_TCP) /* the handshake's SYN|ACK: not yet established */
        return false;
    int dir = direction(c, p);
    return c->d[dir].isn_set && p->seq != c->d[dir].isn;
}

/* A FIN or RST with a TCP authentication option its receiver does not
 * expect (auth_unexpected): Linux's tcp_inbound_hash drops it before it
 * reads any flag, so it ends nothing (hostile round 28: a RST with a
 * made-up MD5 option cut an SSH session its hosts went on with). A SYN is
 * left to starts_new_conn: on a closed connection it may open a new one
 * that signs where the old did not. */
static inline bool ctl_auth(const sd_flow *f, const sd_pkt *p)
{
    const sd_conn *c = &f->c; /* no option anywhere, nearly every connection: no direction asked */
    return (p->flags & (SD_TH_FIN | SD_TH_RST)) && !(p->flags & SD_TH_SYN) &&
           (p->opt.auth || c->d[0].auth_syn || c->d[1].auth_syn) && p->l4 == SD_L4_TCP &&
           auth_unexpected(c, p, direction(c, p));
}

/* The flags every check of ctl_checks needs one of (discarded_ctl: any;
 * fin_dropped: FIN; ctl_auth: FIN or RST; syn_dropped, starts_new_conn
 * and ws_splits: SYN): a segment with none of them, nearly every one,
 * skips them all. */
#define CTL_FLAGS (SD_TH_SYN | SD_TH_FIN | SD_TH_RST)

/* Where flow_packet's rare-control path leaves a packet: its flow (NULL:
 * none, or the one it split ended), and what the checks found. */
typedef struct {
    sd_flow *f;
    bool swapped;
    bool bad;   /* never reached its receiver: kept out (unreceived_packet) */
    bool split; /* a SYN split an open connection (split_open) */
    bool done;  /* judged whole by a recursive call (its flags stripped) */
} ctl_look;

/* A segment with a SYN, FIN or RST (l: its flow as looked up, and bad for
 * its checksum): every check only such a segment can meet, out of line, so
 * that the common ACK or PSH|ACK segment pays one flag test for them all
 * (hostile round 26's check had added ~136 instructions a connection to
 * the common path). discarded_ctl's data is judged before anything of the
 * flow is read (the lookup has no effect to undo). */
static __attribute__((noinline)) void ctl_checks(sd_engine *e, const sd_pkt *p, bool selected, ctl_look *l)
{
    if (discarded_ctl(p) && ctl_rest(e, p, selected, DISCARD_CTL)) {
        l->done = true;
        return;
    }
    l->bad |= discarded_ctl(p); /* cannot end a connection: its receiver dropped it */
    if (l->f && !l->bad && fin_dropped(l->f, p)) {
        if (!e->st.fin_dropped++)
            e->st.fin_dropped_first = p->frame->num;
        if ((l->done = ctl_rest(e, p, selected, SD_TH_FIN)))
            return;
        l->bad = true;
    }
    if (l->f && !l->bad && ctl_auth(l->f, p)) {
        if (!e->st.ctl_auth++)
            e->st.ctl_auth_first = p->frame->num;
        if ((l->done = ctl_rest(e, p, selected, SD_TH_FIN | SD_TH_RST)))
            return;
        l->bad = true;
    }
    if (l->f && !l->bad && syn_dropped(l->f, p)) {
        if (!e->st.syn_dropped++)
            e->st.syn_dropped_first = p->frame->num;
        l->bad = true;
    }
    if (l->f && p->l4 == SD_L4_TCP && ((!l->bad && starts_new_conn(l->f, p)) || ws_splits(l->f, p, l->swapped))) {
        l->split = split_open(&l->f->c);
        end_flow(e, l->f, false);
        l->f = NULL;
    }
}

/* From the first FIN, RST or snaplen-cut segment on every analyzer with a
 * packet callback is called, before it only those that want every packet
 * (sd_analyzer.packet_from_close): before it, with none of those (ssh),
 * nothing more is asked. */
static inline __attribute__((always_inline)) void packet_analyzers(sd_engine *e, sd_flow *f, const sd_pkt *p,
                                                                   int dir)
{
    sd_conn *c = &f->c;
    bool closing = true; /* every analyzer wants every packet (conns): not asked */
    if (e->npkt_every != e->npkt_an) {
        closing = f->close_or_cut || (p->flags & (SD_TH_FIN | SD_TH_RST)) || p->payload_wire > p->payload_len;
        f->close_or_cut = closing;
        if (!closing && !e->npkt_every)
            return;
    }
    for (int k = 0; k < e->npkt_an; k++) {
        int i = e->pkt_an[k];
        if (c->slot[i] && (closing || !e->an[i].packet_from_close))
            e->an[i].packet(e->an[i].ctx, c, c->slot[i], p, dir);
    }
}

/* A packet the filter rejected still moves its connection's TCP state, so
 * a later SYN on the same ports starts a new stream exactly when it would
 * without the filter; nothing else sees it. */
static void flow_packet(sd_engine *e, const sd_pkt *p, bool selected)
{
    bool swapped, split = false, synack = false;
    sd_flow *f = sd_flowtab_find_pkt(e->tab, p, &swapped);
    bool bad = p->csum == SD_CSUM_BAD;
    if (__builtin_expect(p->flags & CTL_FLAGS, 0)) { /* the common path's locals stay in registers */
        ctl_look l = { .f = f, .swapped = swapped, .bad = bad };
        ctl_checks(e, p, selected, &l);
        if (l.done)
            return;
        f = l.f, bad = l.bad, split = l.split;
        synack = p->l4 == SD_L4_TCP && (p->flags & (SD_TH_SYN | SD_TH_ACK)) == (SD_TH_SYN | SD_TH_ACK);
    }
    if (!f && e->o.own && !sd_own_may_create(e->o.own)) { /* read-ahead: only the chunk's own connections go on */
        if (e->o.packet_seen && sd_own_pkt_counts(e->o.own)) /* a datagram of its fragments: counted here */
            e->o.packet_seen(e->o.ud, NULL, p, 0, 0);
        return;
    }
    if (!f) {
        sd_flowkey k;
        sd_flowkey_make(&k, p, &swapped);
        f = new_flow(e, &k, p, swapped);
        f->split_open = split;
    }
    sd_streamno_packet(&f->ws, p, swapped);
    if (bad) {
        unreceived_packet(e, f, p, selected);
        return;
    }
    if (p->tunnel != f->tunnel && !f->tunnel_mixed) {
        f->tunnel_mixed = true;
        if (!e->st.tunnel_mixed++)
            e->st.tunnel_mixed_first = p->frame->num;
    }
    if (synack) /* a listener's answer: asked with the other control flags' tests */
        sd_servport_listen(&e->servers, p->sport);
    sd_conn *c = &f->c;
    int dir = direction(c, p);
    if (selected && !f->selected)
        select_flow(e, f);
    if (f->split_open && dir == SD_DIR_RESP)
        split_answer(e, f, p);
    bool was_closed = c->closed;
    if (selected)
        sd_conn_count_packet(c, p, dir);
    unsigned ta = p->l4 == SD_L4_TCP ? sd_tcp_packet(f, p, dir) : 0;
    if (p->anomalies & SD_ANOM_FRAG_CONFLICT)
        ta |= SD_TA_FRAG_CONFLICT;
    if (p->l4 == SD_L4_TCP && p->payload_len) {
        if ((ta |= untaken(f, p, dir)) & SD_TA_UNTAKEN)
            count_untaken(e, ta);
        else if (p->opt.has_ts)
            paws_note(f, p, dir);
    } else if (p->l4 == SD_L4_TCP && (p->flags & SD_TH_SYN) && p->opt.has_ts) {
        paws_note(f, p, dir);
    }
    if ((ta & SD_TA_TTL_LOW) || c->d[0].ttl_pending || c->d[1].ttl_pending)
        ttl_path(f, p, dir, ta);
    if (c->closed && !was_closed)
        record_open_counts(e, f, false);
    if (!selected) {
        sd_flowtab_touch(e->tab, f, idle_class(f), p->frame->ts);
        return;
    }
    if (e->npkt_an)
        packet_analyzers(e, f, p, dir);
    if (p->l4 == SD_L4_TCP)
        reasm_packet(e, f, p, dir, ta);
    if (e->o.packet_seen)
        e->o.packet_seen(e->o.ud, c, p, dir, ta);
    sd_flowtab_touch(e->tab, f, idle_class(f), p->frame->ts);
}

/* On a grid of capture time (every sweep_every since the epoch), not
 * sweep_every after the last sweep: then a run that starts at a later file
 * (sd_own) sweeps at the same records as one over every file. */
static void sweep_now(sd_engine *e)
{
    e->last_sweep = e->now;
    sd_ts cell = e->now / e->o.sweep_every * e->o.sweep_every;
    e->next_sweep = cell > SD_TS_MAX - e->o.sweep_every ? SD_TS_MAX + 1 : cell + e->o.sweep_every;
    e->at = SD_OWN_AT_SWEEP;
    for (int i = 0; i < e->nan; i++)
        if (e->an[i].tick)
            e->an[i].tick(e->an[i].ctx, e->now);
    if (e->o.tick)
        e->o.tick(e->o.tick_ud, e->now);
    for (uint8_t cls = 0; cls < SD_IDLE_NCLASS; cls++) {
        sd_flow *f;
        /* now - timeout, not last_seen + timeout: that overflows for a
         * capture dated near SD_TS_MAX with --idle-timeout 1e9 */
        if (e->now < e->timeout[cls])
            continue; /* nothing can have been idle that long yet */
        while ((f = sd_flowtab_oldest(e->tab, cls)) && f->last_seen < e->now - e->timeout[cls])
            end_flow(e, f, true);
    }
    e->at = SD_OWN_AT_PACKET;
}

/* Asked on every record, so inlined: the cell's end is kept so that this
 * test is a comparison, not two 64-bit divisions (now never goes back). */
static inline void sweep(sd_engine *e)
{
    if (e->now < e->next_sweep && e->last_sweep)
        return;
    sweep_now(e);
}

static void count_l4(sd_engine *e, const sd_pkt *p)
{
    e->st.ip_pkts++;
    if (p->l4 == SD_L4_TCP)
        e->st.tcp_pkts++;
    else if (p->l4 == SD_L4_UDP)
        e->st.udp_pkts++;
    else
        e->st.other_pkts++;
}

static const char *file_name(void *ud, unsigned idx)
{
    return sd_capture_path(ud, idx);
}

static int cmp_seq(const void *a, const void *b)
{
    const sd_flow *x = *(sd_flow *const *)a, *y = *(sd_flow *const *)b;
    return x->seq_no < y->seq_no ? -1 : x->seq_no > y->seq_no;
}

/* End of input (or a stop): every live connection ends, in stream order so
 * the output's tail is stable and reads like Wireshark's list. The open
 * counts are taken first, least recently active first per idle class, as
 * they always were (each sees the ones not yet counted as still open). */
static void drain(sd_engine *e)
{
    size_t n = sd_flowtab_count(e->tab), k = 0;
    sd_flow **v = n ? sd_reallocarray(NULL, n, sizeof *v) : NULL;
    e->at = SD_OWN_AT_DRAIN;
    for (sd_flow *f; k < n && (f = sd_flowtab_any(e->tab));) {
        record_open_counts(e, f, true);
        v[k++] = f;
        sd_flowtab_remove(e->tab, f);
    }
    if (k > 1)
        qsort(v, k, sizeof *v, cmp_seq);
    for (size_t i = 0; i < k; i++)
        finish_flow(e, v[i], false);
    free(v);
}

static sd_ts wall_clock(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (sd_ts)t.tv_sec * SD_NS_PER_SEC + (sd_ts)t.tv_nsec;
}

/* A record the filter rejected: decoded (by its own decoder, which gives no
 * messages and keeps its own fragments) only to number its connection. */
static void filtered_frame(sd_engine *e, sd_dec_res r, sd_pkt *p)
{
    if (e->o.vlan_unkeyed)
        p->nvlan = 0;
    if (r == SD_DEC_OK && (p->l4 == SD_L4_TCP || p->l4 == SD_L4_UDP))
        flow_packet(e, p, false);
}

static void frame(sd_engine *e, sd_dec_res r, sd_pkt *p)
{
    if (e->o.vlan_unkeyed) /* the ids leave the connection key, and so the record */
        p->nvlan = 0;
    if (r != SD_DEC_OK) { /* one test on the usual record, not three */
        if (r == SD_DEC_NOT_IP)
            e->st.not_ip++;
        else if (r == SD_DEC_BAD)
            e->st.bad++;
        return;
    }
    count_l4(e, p);
    if (p->csum == SD_CSUM_BAD)
        e->st.csum_bad[p->l4 == SD_L4_TCP ? 0 : 1]++;
    else if ((p->anomalies & SD_ANOM_FRAG_CONFLICT) && p->l4 == SD_L4_TCP) {
        if (p->anomalies & SD_ANOM_FRAG_SPLITHDR)
            e->st.frag_splithdr++;
        else
            e->st.frag_conflict++;
    }
    if (p->l4 == SD_L4_TCP || p->l4 == SD_L4_UDP)
        flow_packet(e, p, true);
    else if (e->o.packet_seen)
        e->o.packet_seen(e->o.ud, NULL, p, 0, 0);
}

/* Where the records come from: read and decoded here, or ahead by sd_pipe's
 * reader thread (which gives what reading and decoding said at the points
 * where this thread would have said it). */
typedef struct source {
    sd_capture *cap;
    sd_pipe *pipe;
    sd_pipe_rec *rec;  /* pipe: the record being handled */
    sd_decoder *dec;   /* here: of the records that passed the filter */
    sd_decoder *fdec;  /* here: of filtered records, made at the first */
    sd_decode_opts fopts;
    sd_frame fr;
    sd_pkt p;
} source;

static inline __attribute__((always_inline)) int source_next(source *s, const sd_frame **fr)
{
    if (!s->pipe) {
        *fr = &s->fr;
        return sd_capture_next(s->cap, &s->fr);
    }
    s->rec = sd_pipe_next(s->pipe);
    *fr = s->rec ? &s->rec->fr : NULL;
    return s->rec != NULL;
}

static inline __attribute__((always_inline)) sd_dec_res source_decode(source *s, sd_pkt **p)
{
    if (s->pipe) {
        if (s->rec->ndec) /* most records: nothing said, no call */
            sd_pipe_said_decoding(s->pipe, s->rec);
        *p = &s->rec->p;
        return s->rec->r;
    }
    *p = &s->p;
    return sd_decode(sd_decoder_for(&s->fr, s->dec, &s->fdec, &s->fopts), &s->fr, &s->p);
}

static void source_progress(source *s, void (*progress)(void *ud, uint64_t done, uint64_t total), void *pud)
{
    uint64_t done, total;
    if (!s->pipe)
        sd_capture_progress(s->cap, &done, &total);
    else if (s->rec->progress)
        done = s->rec->done, total = s->rec->total;
    else
        return;
    progress(pud, done, total);
}

/* A frame older than the one before it (a clock step, an edited or badly
 * merged file) is counted, and the first one named, once: the caller
 * reports the count at the end. Expiry goes by the latest time seen
 * (e->now) and the SSH records keep capture order, so nothing depends on
 * the order being right, but the reader must know the times are odd. */
static void check_time(sd_engine *e, sd_capture *cap, const sd_frame *fr)
{
    if (e->prev_num && fr->ts < e->prev_ts) {
        if (!e->st.ts_back++) {
            e->st.ts_back_first = fr->num;
            sd_diagf(e->o.diag, sd_capture_path(cap, fr->file_idx), fr->num,
                     "timestamp %.6f s earlier than frame %llu's: the capture's time goes back "
                     "(a count follows at the end)",
                     sd_ts_sec(e->prev_ts - fr->ts), (unsigned long long)e->prev_num);
        }
    }
    e->prev_ts = fr->ts;
    e->prev_num = fr->num;
}

/* The reader thread, when asked for and when the input allows: regular
 * files (live capture stays in one thread: its reads time out into sweeps;
 * a pipe's records are analysed as they come, not a batch later), no
 * chunk of a list (sd_own decides per record from the live connections),
 * no frame map (writers look frames up in it as the reader adds to it). */
/* Frames up to this size get their flow key made by the reader thread. The
 * reader's cost grows with the frame (checksum, copy: ~0.4 instructions a
 * byte), the engine's hardly: for small frames (ACKs, a brute force's
 * short messages) the engine is the busier thread, for full-size ones the
 * reader. So the key (~90 instructions) goes to the reader for the small
 * frames only: on bench.pcap (42 % of frames under 256 bytes, 57 % over
 * 1408) and on brute-10000 (90 % under 384) the threads then come out
 * within ~5 % of each other (bench/README.md, connscost). By size, not by
 * which thread waits, so each thread's work is the same on every run. */
#define KEY_AHEAD_MAX_CAPLEN 512

/* In the reader thread, on each record: the flow key and its hash, which
 * need only the packet (sd_flowtab_find_pkt then only probes). */
static void key_ahead(sd_pkt *p, sd_dec_res r, const void *ud)
{
    const sd_engine *e = ud;
    if (r == SD_DEC_OK && (p->l4 == SD_L4_TCP || p->l4 == SD_L4_UDP) && p->frame->caplen <= KEY_AHEAD_MAX_CAPLEN)
        sd_flowtab_pkt_key(p, e->o.vlan_unkeyed);
}

static sd_pipe *pipe_start(sd_engine *e, sd_capture *cap, source *s, const sd_decode_opts *dopts, bool progress)
{
    if (e->o.threads < 2 || e->o.own || sd_capture_is_live(cap) || sd_capture_is_stream(cap) ||
        sd_capture_maps_files(cap))
        return NULL;
    sd_pipe_opts po = { .dec = dopts, .fdec = &s->fopts, .progress_every = progress ? PROGRESS_EVERY : 0,
                        .batch = e->o.pipe_batch, .batches = e->o.pipe_batches,
                        .decoded = key_ahead, .decoded_ud = e };
    return sd_pipe_start(cap, &po);
}

/* A datagram reassembled from fragments counts (its IP packet, its
 * host's) in the chunk that counts its fragment set (sd_own_frag_counts),
 * not the one whose file holds its last fragment: a datagram across two
 * chunks' files is the earlier chunk's, which read on to finish it. */
static void chunk_datagram(sd_engine *e, sd_decoder *dec, sd_dec_res r, sd_pkt *p)
{
    bool counted = sd_decoder_frag_done_counted(dec);
    sd_own_datagram(e->o.own, counted);
    if (counted == e->chunk_in) {
        frame(e, r, p);
        return;
    }
    sd_engine_stats was = e->st;
    frame(e, r, p);
    /* frames stay the record's (counted before); the rest moves */
#define X(f) e->chunk_sum.f += counted ? e->st.f - was.f : was.f - e->st.f;
    CHUNK_SUMS(X)
#undef X
}

void sd_engine_run(sd_engine *e, sd_capture *cap,
                   void (*progress)(void *ud, uint64_t done, uint64_t total), void *pud)
{
    sd_decode_opts dopts = { .diag = e->o.diag, .file_name = file_name, .file_name_ud = cap, .csum = e->o.csum };
    source s = { .cap = cap, .fopts = { .file_name = file_name, .file_name_ud = cap, .csum = e->o.csum } };
    s.pipe = pipe_start(e, cap, &s, &dopts, progress != NULL);
    if (!s.pipe)
        s.dec = sd_decoder_new(&dopts);
    const sd_frame *fr;
    sd_pkt *p;
    int rc;
    /* locals: the loop's calls could change e->o as far as the compiler
     * knows, so it reloaded both on every record */
    sd_own *own_ctx = e->o.own;
    volatile sig_atomic_t *stop = e->o.stop;
    while (!(stop && *stop) && (rc = source_next(&s, &fr)) != 0) {
        if (rc == SD_CAPTURE_TICK) { /* live, quiet: time passes all the same */
            sd_ts w = wall_clock();
            if (w > e->now)
                e->now = w;
            sweep(e);
            continue;
        }
        int own = SD_OWN_GO;
        if (own_ctx) {
            own = sd_own_frame(own_ctx, fr, e->st.live);
            chunk_account(e, s.dec, sd_own_may_create(own_ctx));
            sd_decoder_frag_count(s.dec, sd_own_frag_counts(own_ctx, fr->ts));
            if (own == SD_OWN_STOP)
                break;
        }
        e->cur_num = fr->num;
        if (fr->ts > e->now)
            e->now = fr->ts;
        if (fr->filtered) {
            sd_dec_res r = source_decode(&s, &p);
            filtered_frame(e, r, p);
            sweep(e);
            if (own == SD_OWN_LAST)
                break;
            continue;
        }
        e->st.frames++;
        check_time(e, cap, fr);
        if (progress && e->st.frames % PROGRESS_EVERY == 0)
            source_progress(&s, progress, pud);
        sd_dec_res r = source_decode(&s, &p);
        if (own_ctx && r == SD_DEC_OK && p->reassembled)
            chunk_datagram(e, s.dec, r, p);
        else
            frame(e, r, p);
        sweep(e);
        if (own == SD_OWN_LAST)
            break;
    }
    if (s.pipe)
        s.dec = sd_pipe_end(s.pipe);
    if (own_ctx)
        chunk_account(e, s.dec, false);
    decoder_counts(s.dec, &e->st);
    if (own_ctx)
        chunk_close(e);
    if (s.pipe)
        sd_pipe_free(s.pipe);
    else
        sd_decoder_free(s.dec);
    sd_decoder_free(s.fdec);
    if (e->o.own) /* what the drain ends is past the chunk's own records */
        sd_own_past(e->o.own);
    drain(e);
    e->st.streams_forgotten = sd_streamno_forgotten(e->streams);
}

void sd_engine_free(sd_engine *e)
{
    if (!e)
        return;
    sd_flow *f;
    while ((f = sd_flowtab_any(e->tab))) { /* only if run was not called to the end */
        reasm_stop(e, f);
        sd_flowtab_remove(e->tab, f);
        sd_flow_free(e->tab, f);
    }
    sd_flowtab_free(e->tab);
    while (e->nspare_reasm)
        sd_reasm_free(e->spare_reasm[--e->nspare_reasm]);
    while (e->nspare_rctx)
        free(e->spare_rctx[--e->nspare_rctx]);
    sd_streamno_free(e->streams);
    free(e);
}
