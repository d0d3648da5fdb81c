#include "sd_sshconn.h"

#include "../common/sd_arena.h"
#include "../common/sd_spare.h"
#include "../flow/sd_tcp.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Records the first block holds: a password guess or a scanner's probe
 * has a dozen, so 256 (12 kB) up front was mostly never used. */
#define RECS_FIRST 16u

/* Bytes past a side's FIN or RST (the reassembler's AFTER_FIN/AFTER_RST):
 * a receiver that took the close never reads them, but one the FIN or RST
 * never reached (a TTL that runs out between the capture point and the
 * receiver: Ptacek & Newsham's insertion) reads on and ACKs them. They are
 * held until the peer's ACK tells which: an ACK past the close feeds them,
 * in order, and what follows is fed as it comes; what is still held at the
 * end was not read (data_after_close). At most this many bytes and chunks
 * are held a direction (64 KiB: a window's worth, what a receiver can
 * have read before its ACK shows it), and this many bytes over every
 * connection (a capture of many such connections holds no more); the rest
 * is counted, not held. */
#define AFTER_CLOSE_HOLD_BYTES (64u * 1024)
#define AFTER_CLOSE_HOLD_CHUNKS 1024u
#define AFTER_CLOSE_HOLD_TOTAL (16u * 1024 * 1024)

typedef struct held {
    struct held *next;
    uint64_t frame;
    sd_ts ts;
    uint32_t len;
    uint8_t data[];
} held;

/* One direction's bytes past its close, from the first of them. */
typedef struct after_close {
    held *head, *tail;
    uint32_t bytes, chunks;
    uint64_t dropped;      /* past the hold's caps: never fed */
    uint64_t first_frame;  /* of the first byte past the close */
} after_close;

/* Snaplen cuts of one direction, from its first: the sequence ranges the
 * capture's snaplen took from the ends of segments, each with its
 * segment's frame and time. The reassembler delivers such a range as a
 * GAP, as it does a lost segment, but a cut is no loss of the stream's
 * order: the next bytes start the next segment, where the parser may
 * resume (sd_ssh_cut), and the segment's wire length is its record's
 * (feed). Held until delivered, at most CUTS_MAX (a window of cut
 * segments the peer has not ACKed yet; past it the lowest goes, and its
 * gap is read as a loss). */
#define CUTS_FIRST 16u
#define CUTS_MAX 1024u

typedef struct cut_rng {
    uint32_t from, to; /* sequence numbers: the first byte cut, the segment's end */
    uint64_t frame;
    sd_ts ts;
} cut_rng;

typedef struct cuts {
    bool base_known;   /* base: the sequence number of stream offset 0 (mod 2^32) */
    uint32_t base;
    uint32_t last_end; /* the last data segment's captured end and frame: a chunk it ends gives base */
    uint64_t last_frame;
    uint32_t n, cap;
    cut_rng *r;        /* by from */
    uint64_t segs;     /* segments cut (retransmissions too) */
} cuts;

enum { CLOSE_SET = 1, CLOSE_UNTAKEN = 2 }; /* conn_st.close: seen; the peer ACKed past it */

typedef struct sd_sshconn_st {
    /* What every chunk, packet and record reads or writes first (chunk,
     * feed, on_record, the close and cut checks): 112 bytes, two or three
     * lines (the state is 16-byte aligned), where they were spread over
     * four or five (issue #11) */
    sd_ssh *ssh;
    struct sd_sshconn *x;
    sd_ssh_record *rec;
    size_t nrec, cap;
    /* the latest frame a record came from, and its (possibly raised) time */
    uint64_t last_frame;
    sd_ts last_ts;
    cuts *cut[2];          /* from the first segment the snaplen cut */
    after_close *ac[2];    /* from the first byte past the close */
    uint32_t close_seq[2]; /* the lowest FIN's number + 1, or RST's number, seen of each side */
    uint8_t close[2];      /* CLOSE_* */
    bool truncated;
    size_t nstat; /* rec[0..nstat) are counted in stats (all but with opts.defer_stats) */
    sd_sshstats *stats; /* from the first encrypted record: scans cost nothing */
    uint64_t gap[2];
    uint32_t inconsistencies;
    uint32_t caller_bits;
    /* the first conflict of each side met before its parser started (in
     * bytes held out of order: another copy of the banner's), said when
     * it starts; frame 0: none */
    uint64_t early_frame[2], early_off[2];
    /* live SSH connections, for progress (only with opts.progress) */
    sd_conn *conn;
    struct sd_sshconn_st *prev, *next;
    size_t progress_nrec;
    sd_ts progress_ts;
} conn_st;
/* The fields every chunk and record reads, first (above): their bytes */
#define ST_HOT_BYTES 112u
_Static_assert(offsetof(conn_st, nrec) < ST_HOT_BYTES && offsetof(conn_st, x) < ST_HOT_BYTES &&
                   offsetof(conn_st, last_ts) < ST_HOT_BYTES && offsetof(conn_st, cut) < ST_HOT_BYTES &&
                   offsetof(conn_st, ac) < ST_HOT_BYTES && offsetof(conn_st, close) < ST_HOT_BYTES,
               "conn_st's per-chunk and per-record fields in its first ST_HOT_BYTES");

/* Ended connections' states kept for new ones (sd_spare): a new one then
 * costs a clear, not a calloc and its free (~250 instructions a connection
 * of a brute force). At most SPARE_ST (~150 bytes each). */
#define SPARE_ST 1024u

struct sd_sshconn {
    sd_sshconn_opts o;
    int slot;
    sd_sshconn_stats stats;
    conn_st *live; /* SSH connections that may report progress */
    sd_ssh_memo *memo; /* the KEXINIT lists every connection's parser shares */
    uint64_t held;     /* bytes past a close held over every connection */
    sd_spare spare;    /* SPARE_ST */
};

static void live_unlink(conn_st *st)
{
    if (st->prev)
        st->prev->next = st->next;
    else if (st->x->live == st)
        st->x->live = st->next;
    if (st->next)
        st->next->prev = st->prev;
    st->prev = st->next = NULL;
}

/* A capture whose clock goes back (a merged or edited file, a clock step)
 * would put a reply before its request once the inference sorts records by
 * time: a record from a later frame never gets a time earlier than the
 * records of earlier frames of this connection (both directions): capture
 * order wins. Records delivered late from the reassembly buffer (an earlier
 * frame than one seen already) keep their own time, as before. */
static sd_ts record_ts(conn_st *st, const sd_ssh_record *r)
{
    if (r->frame <= st->last_frame)
        return r->ts;
    sd_ts ts = st->last_frame && r->ts < st->last_ts ? st->last_ts : r->ts;
    st->last_frame = r->frame;
    st->last_ts = ts;
    return ts;
}

static void count(conn_st *st, const sd_ssh_record *r, sd_ts ts)
{
    if (!st->stats)
        st->stats = sd_arena_zalloc(sd_ssh_arena(st->ssh), sizeof *st->stats); /* freed with the parser */
    sd_sshstats_add(st->stats, r, ts);
}

/* The kept records not counted yet, in their order (defer_stats). */
static void count_kept(conn_st *st)
{
    for (; st->nstat < st->nrec; st->nstat++)
        count(st, &st->rec[st->nstat], st->rec[st->nstat].ts);
}

static void on_record(void *ud, const sd_ssh_record *r)
{
    conn_st *st = ud;
    sd_ts ts = record_ts(st, r);
    bool keep = st->nrec < st->x->o.max_records;
    if (!st->x->o.defer_stats || !keep) { /* past the cap: counted here, after the kept ones */
        count_kept(st);
        count(st, r, ts);
    }
    if (!keep) {
        st->truncated = true;
        return;
    }
    if (st->nrec == st->cap) {
        /* doubling from RECS_FIRST, those in the parser's arena (one
         * block a connection, no heap block and free for a short one) */
        size_t cap = st->cap ? st->cap * 2 : RECS_FIRST;
        if (!st->cap) {
            st->rec = sd_arena_alloc(sd_ssh_arena(st->ssh), cap * sizeof *st->rec);
        } else if (st->cap == RECS_FIRST) {
            sd_ssh_record *heap = sd_reallocarray(NULL, cap, sizeof *st->rec);
            st->rec = memcpy(heap, st->rec, st->nrec * sizeof *st->rec);
        } else {
            st->rec = sd_reallocarray(st->rec, cap, sizeof *st->rec);
        }
        st->cap = cap;
    }
    st->rec[st->nrec] = *r;
    st->rec[st->nrec++].ts = ts;
    if (!st->x->o.defer_stats)
        st->nstat = st->nrec;
}

static void *conn_new(void *ctx, sd_conn *c)
{
    if (c->ipproto != 6)
        return NULL;
    sd_sshconn *x = ctx;
    conn_st *st = sd_spare_get(&x->spare, sizeof *st);
    st->x = x;
    st->conn = c;
    st->x->stats.claimed++;
    return st; /* the parser comes with the first byte: a scan's SYNs cost ~64 bytes here */
}

/* The ports an SSH server listens on, for a connection whose start was not
 * seen: IANA's 22, the usual alternative 2222 and those the caller names
 * (ssh --ssh-port); a banner on any port is read wherever it comes. */
static bool ssh_port(const sd_sshconn *x, uint16_t p)
{
    return p == 22 || p == 2222 || (x->o.ssh_ports && (x->o.ssh_ports[p >> 6] >> (p & 63) & 1));
}

static void ssh_start(conn_st *st)
{
    /* the TCP originator is the client unless the content says otherwise */
    const sd_conn *c = st->conn;
    sd_ssh_opts so = { .client_hint = SD_DIR_ORIG, .hint_firm = c->saw_syn && c->saw_synack,
                       .record = on_record, .ud = st, .memo = st->x->memo };
    /* joined mid-stream on a server's port: a session already open may be
     * read from its encrypted bytes, its client the other port's side */
    const sd_sshconn *x = st->x;
    if (c->midstream && !c->saw_syn && (ssh_port(x, c->resp_p) || ssh_port(x, c->orig_p))) {
        so.midstream_ok = true;
        so.client_hint = ssh_port(x, c->resp_p) ? SD_DIR_ORIG : SD_DIR_RESP;
    }
    st->ssh = sd_ssh_new(&so);
    for (int d = 0; d < 2; d++)
        if (st->early_frame[d])
            sd_ssh_conflict(st->ssh, d, st->early_frame[d], st->early_off[d]);
}

static void hold_free(conn_st *st, int dir)
{
    after_close *a = st->ac[dir];
    if (!a)
        return;
    for (held *h = a->head, *n; h; h = n) {
        n = h->next;
        free(h);
    }
    st->x->held -= a->bytes;
    free(a);
    st->ac[dir] = NULL;
}

static void cuts_free(conn_st *st)
{
    for (int d = 0; d < 2; d++)
        if (st->cut[d]) {
            free(st->cut[d]->r);
            free(st->cut[d]);
            st->cut[d] = NULL;
        }
}

/* A segment of dir whose payload the snaplen cut: [from, to) kept. */
static void cut_add(conn_st *st, int dir, uint32_t from, uint32_t to, uint64_t frame, sd_ts ts)
{
    cuts *k = st->cut[dir];
    if (!k)
        k = st->cut[dir] = sd_calloc(1, sizeof *k);
    uint32_t i = k->n;
    while (i && SD_SEQ_GEQ(k->r[i - 1].from, from)) {
        if (k->r[i - 1].from == from)
            return; /* a retransmission, cut alike */
        i--;
    }
    if (k->n == k->cap) {
        if (k->cap >= CUTS_MAX) {
            if (i == 0)
                return;
            memmove(&k->r[0], &k->r[1], --k->n * sizeof *k->r);
            i--;
        } else {
            k->cap = k->cap ? 2 * k->cap : CUTS_FIRST;
            k->r = sd_reallocarray(k->r, k->cap, sizeof *k->r);
        }
    }
    memmove(&k->r[i + 1], &k->r[i], (k->n - i) * sizeof *k->r);
    k->r[i] = (cut_rng){ from, to, frame, ts };
    k->n++;
}

/* The cut range holding [off, off + len) of dir's stream, or NULL; those
 * wholly below off are let go (delivered). */
static const cut_rng *cut_find(conn_st *st, int dir, uint64_t off, uint64_t len)
{
    cuts *k = st->cut[dir];
    if (!k || !k->base_known)
        return NULL;
    uint32_t a = k->base + (uint32_t)off, e = a + (uint32_t)len;
    uint32_t drop = 0;
    while (drop < k->n && SD_SEQ_LEQ(k->r[drop].to, a))
        drop++;
    if (drop) {
        memmove(&k->r[0], &k->r[drop], (k->n - drop) * sizeof *k->r);
        k->n -= drop;
    }
    for (uint32_t i = 0; i < k->n && SD_SEQ_LEQ(k->r[i].from, a); i++)
        if (SD_SEQ_GEQ(k->r[i].to, e))
            return &k->r[i];
    return NULL;
}

static void st_free(conn_st *st)
{
    live_unlink(st);
    cuts_free(st);
    hold_free(st, 0);
    hold_free(st, 1);
    sd_sshstats_free(st->stats); /* its histogram; the struct is in the parser's arena */
    if (st->cap > RECS_FIRST) /* else in the parser's arena, freed with it */
        free(st->rec);
    sd_ssh_free(st->ssh);
    sd_spare_put(&st->x->spare, st);
}

/* Not SSH: what sd_ssh rules out, plus text lines from the SYN sender
 * before any banner (RFC 4253 section 4.2 lets only a server send lines
 * before its identification) answered by text lines from the other side, so
 * a server that opened the connection (reverse setups) is kept until its
 * peer shows no banner either. */
static bool ruled_out(const sd_conn *c, const conn_st *st)
{
    if (sd_ssh_is_ssh(st->ssh))
        return false;
    if (sd_ssh_ruled_out(st->ssh))
        return true;
    const sd_ssh_meta *m = sd_ssh_meta_get(st->ssh);
    return c->saw_syn && m->side[SD_DIR_ORIG].prebanner_lines > 0 &&
           m->side[SD_DIR_RESP].prebanner_lines > 0;
}

/* The bytes the snaplen cut from the end of the segment whose captured
 * part ends at stream offset end (0: none). */
__attribute__((noinline, cold)) static uint32_t cut_after(conn_st *st, int dir, uint64_t end)
{
    const cut_rng *c = cut_find(st, dir, end, 0);
    return c && c->from == st->cut[dir]->base + (uint32_t)end ? c->to - c->from : 0;
}

static void feed(conn_st *st, int dir, const uint8_t *data, uint32_t len, uint64_t frame, sd_ts ts)
{
    /* for suites whose length is encrypted, the TCP segment is the unit
     * the inference works with (retransmissions already removed); one the
     * snaplen cut is as long as it was on the wire */
    uint32_t wire = len;
    if (__builtin_expect(st->cut[dir] != NULL, 0))
        wire += cut_after(st, dir, sd_ssh_offset(st->ssh, dir) + len);
    sd_ssh_feed_segment(st->ssh, dir, data, len, wire, frame, ts);
}

/* A chunk past dir's close: held (or counted past the caps). */
static void hold(conn_st *st, int dir, const sd_chunk *ch)
{
    if (!st->ac[dir]) {
        st->ac[dir] = sd_calloc(1, sizeof *st->ac[dir]);
        st->ac[dir]->first_frame = ch->last_frame;
    }
    after_close *a = st->ac[dir];
    if (a->dropped || a->chunks >= AFTER_CLOSE_HOLD_CHUNKS || ch->len > AFTER_CLOSE_HOLD_BYTES - a->bytes ||
        st->x->held + ch->len > AFTER_CLOSE_HOLD_TOTAL) { /* from the first past a cap: all after it */
        a->dropped += ch->len;
        return;
    }
    held *h = sd_malloc(sizeof *h + ch->len);
    h->next = NULL;
    h->frame = ch->last_frame;
    h->ts = ch->ts;
    h->len = ch->len;
    memcpy(h->data, ch->data, ch->len);
    if (a->tail)
        a->tail->next = h;
    else
        a->head = h;
    a->tail = h;
    a->bytes += ch->len;
    a->chunks++;
    st->x->held += ch->len;
}

/* The peer ACKed past dir's close: it read what was held, fed now. */
static void release(conn_st *st, int dir, uint64_t frame)
{
    st->close[dir] |= CLOSE_UNTAKEN;
    sd_ssh_after_close_read(st->ssh, dir, frame);
    for (held *h = st->ac[dir]->head; h; h = h->next)
        feed(st, dir, h->data, h->len, h->frame, h->ts);
    if (st->ac[dir]->dropped) /* not held past a cap: a hole for the parser, as one in the capture */
        sd_ssh_gap(st->ssh, dir, st->ac[dir]->dropped, frame);
    hold_free(st, dir);
}

/* Where each side closed (a FIN, or a RST that closed the connection:
 * sd_tcp's exact one), and whether the peer's ACK went past it. Called
 * before the packet's own bytes are delivered, so released bytes come
 * first, as they were sent. */
static void packet(void *ctx, sd_conn *c, void *vst, const sd_pkt *p, int dir)
{
    (void)ctx;
    conn_st *st = vst;
    if ((p->flags & SD_TH_FIN) || ((p->flags & SD_TH_RST) && c->closed)) {
        /* what a receiver that took it ACKs at most: the FIN's number + 1;
         * a RST's number (its payload is no data) */
        uint32_t at = (p->flags & SD_TH_RST) ? p->seq : p->seq + !!(p->flags & SD_TH_SYN) + p->payload_len + 1;
        if (!(st->close[dir] & CLOSE_SET) || SD_SEQ_LT(at, st->close_seq[dir]))
            st->close_seq[dir] = at;
        st->close[dir] |= CLOSE_SET;
    }
    uint32_t data_at = p->seq + !!(p->flags & SD_TH_SYN);
    if (p->payload_wire > p->payload_len && !(p->flags & SD_TH_RST)) {
        cut_add(st, dir, data_at + p->payload_len, data_at + p->payload_wire, p->frame->num, p->frame->ts);
        st->cut[dir]->segs++;
    }
    cuts *k = st->cut[dir];
    if (k && p->payload_len) {
        k->last_end = data_at + p->payload_len;
        k->last_frame = p->frame->num;
    } else if (k && !k->base_known && c->d[dir].isn_set) {
        /* no byte captured yet (a snaplen below the headers' end): the SYN's */
        k->base = c->d[dir].isn + 1;
        k->base_known = true;
    }
    if ((p->flags & SD_TH_ACK) && st->ac[!dir] && !(st->close[!dir] & CLOSE_UNTAKEN) &&
        (st->close[!dir] & CLOSE_SET) && SD_SEQ_GT(p->ack, st->close_seq[!dir]))
        release(st, !dir, p->frame->num);
}

/* A chunk past the usual (chunk_plain): the parser started, the cut
 * range's base noted, a gap, bytes past a close. */
static __attribute__((noinline)) void chunk_take(conn_st *st, int dir, const sd_chunk *ch)
{
    if (!st->ssh)
        ssh_start(st);
    cuts *k = st->cut[dir];
    if (k && !k->base_known && ch->kind != SD_CHUNK_GAP && ch->last_frame == k->last_frame) {
        k->base = k->last_end - (uint32_t)(ch->offset + ch->len);
        k->base_known = true;
    }
    if (ch->kind == SD_CHUNK_GAP) {
        st->gap[dir] += ch->len;
        const cut_rng *cr = k ? cut_find(st, dir, ch->offset, ch->len) : NULL;
        if (cr)
            sd_ssh_cut(st->ssh, dir, ch->len, cr->frame, cr->ts);
        else
            sd_ssh_gap(st->ssh, dir, ch->len, ch->last_frame);
    } else if ((ch->flags & (SD_CHUNKF_AFTER_FIN | SD_CHUNKF_AFTER_RST)) && !(st->close[dir] & CLOSE_UNTAKEN)) {
        hold(st, dir, ch);
    } else {
        feed(st, dir, ch->data, ch->len, ch->last_frame, ch->ts);
    }
}

/* After a chunk: a connection that is not SSH let go, one that became SSH
 * listed for progress. */
static __attribute__((noinline)) void chunk_after(sd_sshconn *x, sd_conn *c, conn_st *st)
{
    if (ruled_out(c, st)) { /* not SSH: stop paying for it */
        st_free(st);
        c->slot[x->slot] = NULL;
        x->stats.released++;
        return;
    }
    if (x->o.progress && !st->prev && x->live != st && sd_ssh_is_ssh(st->ssh)) {
        st->next = x->live; /* SSH now: it may report progress */
        if (x->live)
            x->live->prev = st;
        x->live = st;
    }
}

/* Data of a started parser with no snaplen cut and no close before it:
 * nearly every chunk, fed here; the rest in chunk_take, apart so the usual
 * chunk's path keeps a small frame (issue #11). */
static inline bool chunk_plain(const conn_st *st, int dir, const sd_chunk *ch)
{
    return st->ssh && !st->cut[dir] && ch->kind == SD_CHUNK_DATA &&
           !(ch->flags & (SD_CHUNKF_AFTER_FIN | SD_CHUNKF_AFTER_RST));
}

static void chunk(void *ctx, sd_conn *c, void *vst, int dir, const sd_chunk *ch)
{
    sd_sshconn *x = ctx;
    conn_st *st = vst;
    if (chunk_plain(st, dir, ch))
        sd_ssh_feed_segment(st->ssh, dir, ch->data, ch->len, ch->len, ch->last_frame, ch->ts);
    else
        chunk_take(st, dir, ch);
    if (!sd_ssh_is_ssh(st->ssh) || x->o.progress)
        chunk_after(x, c, st);
}

/* late: the result goes to sd_sshconn_result_take (defer_stats), whose
 * settle finishes the meta on the taker's thread (sd_ssh_meta_late). */
static sd_sshconn_result result_of(conn_st *st, bool late)
{
    return (sd_sshconn_result){
        .conn = st->conn, .meta = late ? sd_ssh_meta_late(st->ssh) : sd_ssh_meta_get(st->ssh), .rec = st->rec, .nrec = st->nrec,
        .rec_truncated = st->truncated, .stats = st->stats, .stats_pending = st->nrec - st->nstat,
        .gap_bytes = { st->gap[0], st->gap[1] },
        .inconsistencies = st->inconsistencies, .caller_bits = &st->caller_bits, .owner = st,
    };
}

static void tick(void *ctx, sd_ts now)
{
    sd_sshconn *x = ctx;
    sd_ts every = x->o.progress_every ? x->o.progress_every : SD_NS_PER_SEC;
    for (conn_st *st = x->live; st; st = st->next) {
        if (st->nrec == st->progress_nrec || now - st->progress_ts < every)
            continue;
        st->progress_nrec = st->nrec;
        st->progress_ts = now;
        count_kept(st); /* progress reads the statistics here */
        sd_sshconn_result r = result_of(st, false);
        x->o.progress(x->o.ud, &r);
    }
}

static void inconsistency(void *ctx, sd_conn *c, void *vst, int dir, const sd_reasm_inconsistency *i)
{
    conn_st *st = vst;
    st->inconsistencies++;
    if (st->ssh)
        sd_ssh_conflict(st->ssh, dir, i->new_frame, i->offset);
    else if ((dir == 0 || dir == 1) && !st->early_frame[dir]) {
        st->early_frame[dir] = i->new_frame;
        st->early_off[dir] = i->offset;
    }
}

/* An urgent byte is one of the stream's bytes: the parser starts with it
 * as with any other (the first byte may be urgent). */
static void urgent(void *ctx, sd_conn *c, void *vst, int dir, const sd_reasm_urgent *u)
{
    conn_st *st = vst;
    if (!st->ssh)
        ssh_start(st);
    sd_ssh_urgent(st->ssh, dir, u->frame, u->offset, u->oob);
}

static void conn_end(void *ctx, sd_conn *c, void *vst)
{
    sd_sshconn *x = ctx;
    conn_st *st = vst;
    for (int d = 0; d < 2; d++) /* never ACKed past the close: never read */
        if (st->ssh && st->ac[d])
            sd_ssh_after_close(st->ssh, d, st->ac[d]->bytes + st->ac[d]->dropped, st->ac[d]->first_frame);
    bool ssh = st->ssh && sd_ssh_is_ssh(st->ssh);
    if (ssh)
        x->stats.ssh++;
    if (ssh && (st->cut[0] || st->cut[1])) {
        x->stats.cut_ssh++;
        for (int d = 0; d < 2; d++)
            x->stats.cut_frames += st->cut[d] ? st->cut[d]->segs : 0;
    }
    if (ssh && st->truncated)
        x->stats.truncated++;
    x->stats.memo_refused = sd_ssh_memo_refused(x->memo);
    if (ssh && x->o.done) {
        sd_sshconn_result r = result_of(st, x->o.defer_stats);
        x->o.done(x->o.ud, &r);
    }
    st_free(st);
}

sd_sshconn *sd_sshconn_new(const sd_sshconn_opts *opts)
{
    sd_sshconn *x = sd_calloc(1, sizeof *x);
    x->o = *opts;
    if (!x->o.max_records)
        x->o.max_records = SD_SSHCONN_MAX_RECORDS;
    x->slot = -1;
    x->memo = sd_ssh_memo_new();
    sd_spare_init(&x->spare, SPARE_ST);
    return x;
}

int sd_sshconn_attach(sd_sshconn *x, sd_engine *e)
{
    sd_analyzer a = {
        .name = "ssh", .conn_new = conn_new, .packet = packet, .chunk = chunk, .inconsistency = inconsistency,
        .urgent = urgent,
        /* packet follows the close and the cuts only: what it notes needs
         * a FIN or RST first (close[] is set by one, and release needs it)
         * or a snaplen cut (cut_add, and from then on every segment's end) */
        .packet_from_close = true,
        .conn_end = conn_end, .tick = x->o.progress ? tick : NULL, .ctx = x,
    };
    x->slot = sd_engine_add(e, &a);
    return x->slot;
}

const sd_sshconn_stats *sd_sshconn_get_stats(const sd_sshconn *x)
{
    return &x->stats;
}

void sd_sshconn_free(sd_sshconn *x)
{
    if (!x)
        return;
    sd_ssh_memo_free(x->memo); /* every connection ended before: the parsers that used it are gone */
    sd_spare_free(&x->spare);
    free(x);
}

/* ---- sd_sshconn_result_take ---- */

/* A taken result: what is copied, and what it holds. */
typedef struct result_taken {
    sd_sshconn_result r;
    sd_conn conn;
    uint32_t caller_bits;
    sd_ssh *ssh;              /* the parser: the meta, its strings, the records' first block */
    sd_ssh_record *rec_heap;  /* the records past the first block, or NULL */
    sd_sshstats settled;      /* a settle's statistics, when the engine counted none */
} result_taken;

sd_sshconn_result *sd_sshconn_result_take(const sd_sshconn_result *r, void *dst, size_t cap, size_t *heap_bytes)
{
    conn_st *st = r->owner;
    result_taken *rt = sizeof *rt <= cap && dst && ((uintptr_t)dst & 15u) == 0 ? dst : sd_malloc(sizeof *rt);
    rt->r = *r;
    sd_conn_copy_facts(&rt->conn, r->conn);
    rt->caller_bits = *r->caller_bits;
    rt->r.conn = &rt->conn;
    rt->r.caller_bits = &rt->caller_bits;
    rt->r.owner = NULL;
    rt->ssh = st->ssh;
    rt->rec_heap = st->cap > RECS_FIRST ? st->rec : NULL;
    *heap_bytes = rt->rec_heap ? st->cap * sizeof *st->rec : 0;
    st->ssh = NULL; /* the analyzer's end of the connection (st_free) frees none of them */
    st->rec = NULL;
    st->cap = st->nrec = 0;
    st->stats = NULL;
    return &rt->r;
}

void sd_sshconn_result_settle(sd_sshconn_result *r)
{
    result_taken *rt = (result_taken *)(void *)r; /* r is its first member */
    sd_ssh_meta_get(rt->ssh); /* the derivation the engine left (sd_ssh_meta_late) */
    if (!rt->conn.uid[0]) /* left by the engine (sd_engine_uids_late) */
        sd_conn_make_uid(&rt->conn);
    if (!r->stats_pending)
        return;
    if (!r->stats) {
        sd_sshstats_clear(&rt->settled);
        r->stats = &rt->settled;
    }
    sd_sshstats *s = (sd_sshstats *)r->stats; /* the settle's, or the engine's in the parser's arena */
    for (size_t i = r->nrec - r->stats_pending; i < r->nrec; i++)
        sd_sshstats_add(s, &r->rec[i], r->rec[i].ts);
    r->stats_pending = 0;
}

void sd_sshconn_result_release(sd_sshconn_result *r, void *dst)
{
    result_taken *rt = (result_taken *)(void *)r;
    sd_sshstats_free((sd_sshstats *)r->stats); /* its histograms (before the arena it may be in) */
    free(rt->rec_heap);
    sd_ssh_free_remote(rt->ssh);
    if ((void *)r != dst)
        free(r);
}
