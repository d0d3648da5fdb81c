/* sd_ssh: SSH connection parser (see sd_ssh.h); sd_ssh_int.h lists the
 * files it is made of.
 *
 * Per direction a small state machine: BANNER (lines until "SSH-"), CLEAR
 * (RFC 4253 section 6 binary packets until NEWKEYS), ENC (encrypted records),
 * SSH1 / DEAD (bytes counted only). Every partial line, header and packet is
 * kept in the direction's state, so feeding resumes at any byte boundary.
 * Packet contents are read only through sd_cur. */
#include "sd_ssh_int.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_cursor.h"

/* Bytes of the first line after which a non-"SSH-" direction counts as
 * having shown no banner (sd_ssh_ruled_out). */
#define RULE_OUT_BYTES 64u

/* ---------------------------------------------------------------- utils */

void sdp_anomaly(sd_ssh *s, int dir, sd_ssh_anom_code code, const char *fmt, ...)
{
    s->m.anomalies_total++;
    if (s->m.n_anomalies >= SD_SSH_MAX_ANOMALIES)
        return;
    if (s->m.n_anomalies == s->anomalies_cap) { /* grows 4, 8, ... up to the cap */
        s->anomalies_cap = s->anomalies_cap ? SD_MIN(2 * s->anomalies_cap, SD_SSH_MAX_ANOMALIES) : 4;
        s->m.anomalies = sd_reallocarray(s->m.anomalies, s->anomalies_cap, sizeof *s->m.anomalies);
    }
    sd_ssh_anomaly *a = &s->m.anomalies[s->m.n_anomalies++];
    a->code = code;
    a->dir = dir;
    a->frame = s->frame;
    a->offset = s->d[dir].off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
    va_end(ap);
}

/* Buffers a direction no longer needs go as soon as it leaves the state
 * that used them, so a long-lived connection costs little memory. */
static inline __attribute__((always_inline)) void drop_buffers(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    /* called after every chunk of the handshake: no free(NULL) calls */
    if (d->st != ST_BANNER && d->line) {
        if (d->line != s->line0[dir])
            free(d->line);
        d->line = NULL;
        d->line_cap = 0;
    }
    if (d->st != ST_CLEAR && d->pkt) {
        free(d->pkt);
        d->pkt = NULL;
        d->pkt_cap = 0;
    }
}

/* ------------------------------------------------------------- lifecycle */

/* Nothing that needs zeroing between the meta and the buffers. */
_Static_assert(offsetof(sd_ssh, terrapin_suite) == offsetof(sd_ssh, m) + sizeof(sd_ssh_meta),
               "sd_ssh_new leaves only what is written before it is read after the meta");

/* The per-record layout (sd_ssh_int.h struct sd_ssh): with the parser at a
 * line's start, each direction's and each side's first line are whole, and
 * client_dir shares the line before side[0]. */
#define SDP_LINE 64u /* a cache line's bytes */
_Static_assert(offsetof(sd_ssh, mid) + sizeof(void *) <= SDP_LINE, "opts, frame, ts and mid in the first line");
_Static_assert(offsetof(sd_ssh, d) % SDP_LINE == 0 && sizeof(dirst) % SDP_LINE == 0, "d[0] and d[1] start lines");
_Static_assert(offsetof(dirst, head_off) <= SDP_LINE, "a direction's per-record fields in its first line");
_Static_assert(offsetof(sd_ssh, m.side) % SDP_LINE == 0 && sizeof(sd_ssh_side) % SDP_LINE == 0,
               "side[0] and side[1] start lines");
_Static_assert(offsetof(sd_ssh_side, gap_bytes) <= SDP_LINE, "a side's per-record fields in its first line");
_Static_assert(offsetof(sd_ssh, m.client_dir) / SDP_LINE == offsetof(sd_ssh, m.side) / SDP_LINE - 1,
               "client_dir in the line before side[0]");

sd_ssh *sd_ssh_new(const sd_ssh_opts *opts)
{
    sd_arena a = { 0 };
    /* at a line's start: the arena aligns for any object only */
    uintptr_t at = (uintptr_t)sd_arena_alloc(&a, sizeof(sd_ssh) + SDP_LINE - 1);
    sd_ssh *s = (sd_ssh *)((at + SDP_LINE - 1) & ~(uintptr_t)(SDP_LINE - 1));
    /* up to the meta's rare strings: the rest is written before it is read */
    memset(s, 0, offsetof(sd_ssh, m.suite_guess));
    s->m.suite_guess[0] = s->m.terrapin_reason[0] = '\0';
    s->arena = a; /* from here on only s->arena is used */
    if (opts)
        s->opts = *opts;
    if (s->opts.client_hint != 1)
        s->opts.client_hint = 0;
    s->m.client_dir = s->opts.client_hint;
    return s; /* line and packet buffers are allocated when first needed */
}

static void side_free(sd_ssh *s, int dir)
{
    /* banner, software, comments and lists_block are in the arena; with a
     * memo entry (kex) its lists and HASSH string are the memo's */
    sd_ssh_side *sd = &s->m.side[dir];
    free(sd->prebanner);
    if (!s->kex[dir])
        free(sd->hassh_algorithms);
}

/* What the parser holds on the heap; its arena (s with it) stays. */
static void heap_free(sd_ssh *s)
{
    for (int i = 0; i < 2; i++) {
        if (s->d[i].line != s->line0[i])
            free(s->d[i].line);
        free(s->d[i].pkt);
        side_free(s, i);
    }
    free(s->m.anomalies);
}

void sd_ssh_free(sd_ssh *s)
{
    if (!s)
        return;
    heap_free(s);
    sd_arena a = s->arena; /* s is inside it */
    sd_arena_free(&a);
}

void sd_ssh_free_remote(sd_ssh *s)
{
    if (!s)
        return;
    heap_free(s);
    sd_arena a = s->arena;
    sd_arena_free_remote(&a);
}

sd_arena *sd_ssh_arena(sd_ssh *s)
{
    return &s->arena;
}

/* ------------------------------------------------------ suite from sizes */

/* With a KEXINIT cut by the snaplen there are no lists to negotiate from,
 * yet the inference reads records only through the suite (its framing:
 * block, tag, where the length is). Sizes alone tell the framing of the
 * common suites apart: the client's first encrypted message is its
 * SERVICE_REQUEST "ssh-userauth" (RFC 4253 section 10), whose wire size is
 * the suite's for a 17-byte payload; and a suite with the length in clear
 * (GCM, -etm) shows at each segment start a packet_length that is a
 * multiple of the block with exactly the tag after it, which random bytes
 * of an encrypted length are not (1 in 2^18 a sample). The framing is
 * taken only when every suite that fits has the same sizes; no algorithm
 * name is claimed. */
#define SIZE_SAMPLES 8        /* segment heads kept a side */
#define SIZE_CLEAR_MIN 3      /* heads that all read as a clear length before that is believed */
#define SIZE_SERVICE_REQUEST 17u /* its payload: type, string "ssh-userauth" */
#define SIZE_SAME_UPTO 1500u  /* payload sizes two suites must agree on to be one framing */
#define SIZE_BLOCK_SAMPLES 6  /* samples that all fitting a larger block rule a smaller out */

struct sdp_sizes {
    uint32_t first[2];                 /* wire bytes of a side's first encrypted record, 0: none */
    uint32_t len[2][SIZE_SAMPLES];     /* a segment's first 4 bytes read as a length */
    uint32_t wire[2][SIZE_SAMPLES];    /* and its wire bytes */
    uint8_t n[2];
    bool changed;                      /* since suite_from_sizes last looked */
};

/* Gathers the first 4 bytes of what starts at d->head_off. */
static void head_take(dirst *d, const uint8_t *p, size_t n)
{
    if (d->off != d->head_off + d->head_have) { /* not contiguous: not the head */
        d->head_want = false;
        return;
    }
    size_t t = SD_MIN(n, (size_t)(4 - d->head_have));
    memcpy(d->head + d->head_have, p, t);
    d->head_have += (uint8_t)t;
    if (d->head_have == 4)
        d->head_want = false;
}

/* An inexact record of a side whose suite is unknown: a sample. */
static void size_sample(sd_ssh *s, int dir, uint32_t wire, uint64_t off)
{
    dirst *d = &s->d[dir];
    if (!s->sizes)
        s->sizes = sd_arena_zalloc(&s->arena, sizeof *s->sizes);
    struct sdp_sizes *z = s->sizes;
    if (!z->first[dir]) {
        z->first[dir] = wire;
        z->changed = true;
    }
    if (d->head_have == 4 && d->head_off == off && z->n[dir] < SIZE_SAMPLES) {
        sd_cur c = sd_cur_make(d->head, 4);
        z->len[dir][z->n[dir]] = sd_cur_be32(&c);
        z->wire[dir][z->n[dir]++] = wire;
        z->changed = true;
    }
    d->head_have = 0;
    d->head_want = false;
}

/* Whether sample i of dir reads as a clear length: a whole packet after
 * it in the segment. */
static bool clear_len(const struct sdp_sizes *z, int dir, uint8_t i)
{
    uint32_t L = z->len[dir][i];
    return L >= 5 && L <= SD_SSH_MAX_PACKET && L % 8 == 0 && 4u + L < z->wire[dir][i];
}

/* 1: the side's segment heads read as clear lengths (SIZE_CLEAR_MIN of
 * them, more than those that do not: a large write cut by the MSS starts
 * a segment inside a packet); 0: none does, of SIZE_CLEAR_MIN; -1: too
 * few to say. */
static int clear_evidence(const struct sdp_sizes *z, int dir)
{
    unsigned yes = 0;
    for (uint8_t i = 0; i < z->n[dir]; i++)
        yes += clear_len(z, dir, i);
    unsigned no = z->n[dir] - yes;
    if (yes >= SIZE_CLEAR_MIN && yes > no)
        return 1;
    return yes == 0 && no >= SIZE_CLEAR_MIN ? 0 : -1;
}

/* Records a segment of SIZE_SEG_RECS at most can hold (a keystroke's
 * echo, a reply and its prompt). */
#define SIZE_SEG_RECS 4u

/* Whether suite c fits side dir's samples (ev: clear_evidence): a clear
 * length with a whole packet of c's block and tag after it (one segment
 * of a single packet showing the tag exactly); with the length encrypted,
 * segment sizes of whole packets of c (each is tag + aad-part bytes past
 * a multiple of the block), all but one in SIZE_SAMPLES / 4 (a segment
 * that starts inside a packet). */
static bool size_fits(const struct sdp_sizes *z, int dir, int ev, const sd_ssh_suite *c)
{
    if (ev < 0)
        return true;
    if (ev == 1) {
        if (!c->len_clear)
            return false;
        bool exact = false;
        for (uint8_t i = 0; i < z->n[dir]; i++) {
            uint32_t L = z->len[dir][i], w = z->wire[dir][i];
            if (!clear_len(z, dir, i))
                continue;
            if (L % c->block || 4u + L + c->tag > w)
                return false;
            exact |= 4u + L + c->tag == w;
        }
        return exact;
    }
    if (c->len_clear)
        return false;
    uint32_t per = c->tag + (c->aad ? 4u : 0u), off = 0;
    for (uint8_t i = 0; i < z->n[dir]; i++) {
        bool whole = false;
        for (uint32_t k = 1; k <= SIZE_SEG_RECS && !whole; k++)
            whole = (z->wire[dir][i] - k * per) % c->block == 0;
        off += !whole;
    }
    return off <= z->n[dir] / 4u;
}

static bool same_sizes(const sd_ssh_suite *a, const sd_ssh_suite *b)
{
    if (a->len_clear != b->len_clear)
        return false;
    for (uint32_t p = 1; p <= SIZE_SAME_UPTO; p++)
        if (sd_ssh_wire_size(a, p) != sd_ssh_wire_size(b, p))
            return false;
    return true;
}

/* Each encrypted side with no suite takes the framing its sizes show
 * (the client's first record: SIZE_SERVICE_REQUEST), when one does. */
static void suite_from_sizes(sd_ssh *s)
{
    struct sdp_sizes *z = s->sizes;
    z->changed = false;
    uint32_t req = z->first[s->m.client_dir];
    if (!req)
        return;
    for (int dir = 0; dir < 2; dir++) {
        sd_ssh_side *sd = &s->m.side[dir];
        if (!sd->newkeys_seen || sd->suite.mode != SD_SSH_MODE_UNKNOWN)
            continue;
        int ev = clear_evidence(z, dir);
        /* the fitting suites; a larger block that every sample fits is
         * taken over a smaller one after SIZE_BLOCK_SAMPLES (a smaller
         * block's sizes fit the larger's by chance half the time each) */
        sd_ssh_suite fit[SD_SSH_FRAMING_SUITES], pick;
        const char *fname[SD_SSH_FRAMING_SUITES], *name = NULL;
        size_t nfit = 0;
        uint32_t maxb = 0;
        for (size_t k = 0; k < SD_SSH_FRAMING_SUITES; k++) {
            sd_ssh_suite c;
            if (sd_ssh_suite_from_names(sd_ssh_framing_suites[k][0], sd_ssh_framing_suites[k][1], &c) != 0 ||
                sd_ssh_wire_size(&c, SIZE_SERVICE_REQUEST) != req || !size_fits(z, dir, ev, &c))
                continue;
            fname[nfit] = sd_ssh_framing_suites[k][0];
            fit[nfit++] = c;
            maxb = SD_MAX(maxb, c.block);
        }
        bool one = true;
        for (size_t k = 0; k < nfit && one; k++) {
            if (z->n[dir] >= SIZE_BLOCK_SAMPLES && fit[k].block < maxb)
                continue;
            if (!name) {
                pick = fit[k];
                name = fname[k];
            } else {
                one = same_sizes(&pick, &fit[k]);
            }
        }
        if (!name || !one)
            continue;
        sd->suite = pick;
        uint64_t frame = s->frame;
        s->frame = sd->newkeys_frame;
        sdp_anomaly(s, dir, SD_SSH_AN_SUITE_FROM_SIZES,
                    "no KEXINIT pair: record sizes read with the framing of %s (no algorithm claimed)", name);
        s->frame = frame;
    }
}

/* An inexact record (a segment, or the rest of one after a cut). */
static void emit(sd_ssh *s, int dir, bool exact, uint32_t wire, uint32_t plen, uint64_t off, uint64_t frame,
                 sd_ts ts);
static void emit_seg(sd_ssh *s, int dir, uint32_t wire, uint64_t off, uint64_t frame, sd_ts ts)
{
    /* only where a snaplen cut took the lists: a capture that lost them
     * otherwise (a gap) is read as before */
    if (__builtin_expect(s->m.side[dir].suite.mode == SD_SSH_MODE_UNKNOWN, 0) && (s->d[0].cut_noted || s->d[1].cut_noted))
        size_sample(s, dir, wire, off);
    emit(s, dir, false, wire, 0, off, frame, ts);
}

/* ------------------------------------------------------------ encrypted */

static void emit(sd_ssh *s, int dir, bool exact, uint32_t wire, uint32_t plen, uint64_t off,
                 uint64_t frame, sd_ts ts)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd_ssh_record r = { 0 };
    r.dir = dir;
    r.from_client = dir == s->m.client_dir;
    r.exact = exact;
    r.wire_len = wire;
    r.packet_length = plen;
    r.offset = off;
    r.index = sd->enc_records++;
    r.frame = frame;
    r.ts = ts;
    sd->enc_record_bytes += wire;
    if (s->opts.record)
        s->opts.record(s->opts.ud, &r);
}

/* inlined in sd_ssh_feed, the per-chunk path of every encrypted record
 * (feed_nkwait's call, once a connection, would make GCC keep it apart) */
static inline __attribute__((always_inline)) size_t feed_enc(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    if (!sd->splitting) {
        if (__builtin_expect(d->head_want, 0))
            head_take(d, p, n);
        sd->enc_bytes += n;
        return n;
    }
    if (d->enc_left == 0) {
        if (d->hdr_have == 0)
            d->rec_off = d->off;
        size_t t = SD_MIN(n, (size_t)(4 - d->hdr_have));
        /* a whole length field in this chunk (nearly every record): read
         * where it is, not gathered in d->hdr first */
        bool whole = d->hdr_have == 0 && n >= 4;
        if (!whole)
            memcpy(d->hdr + d->hdr_have, p, t);
        d->hdr_have += (uint32_t)t;
        sd->enc_bytes += t;
        if (d->hdr_have < 4)
            return t;
        sd_cur c = sd_cur_make(whole ? p : d->hdr, 4);
        uint32_t L = sd_cur_be32(&c);
        if (!sd_ssh_len_valid(&sd->suite, L)) {
            sdp_anomaly(s, dir, SD_SSH_AN_ENC_LEN_BAD, "length %u for block %u", L, sd->suite.block);
            sd->splitting = false;
            return t;
        }
        d->plen = L;
        if (whole && n - 4 >= (uint64_t)L + sd->suite.tag) {
            /* the whole record in this chunk (the usual one): emitted
             * here, as the next call would (no caller reads the offset
             * from the record callback) */
            uint32_t body = L + sd->suite.tag;
            sd->enc_bytes += body;
            d->hdr_have = 0;
            emit(s, dir, true, 4 + body, L, d->rec_off, s->frame, s->ts);
            return 4 + (size_t)body;
        }
        d->enc_left = (uint64_t)L + sd->suite.tag;
        return t;
    }
    size_t t = (size_t)SD_MIN((uint64_t)n, d->enc_left);
    d->enc_left -= t;
    sd->enc_bytes += t;
    if (d->enc_left == 0) {
        d->hdr_have = 0;
        emit(s, dir, true, 4 + d->plen + sd->suite.tag, d->plen, d->rec_off, s->frame, s->ts);
    }
    return t;
}

/* The SD_SSH_NK_PEEK held bytes (nk_buf), the last t of them from the
 * chunk being fed, read again from where they began in the state now set
 * (d->off is the caller's: it adds what the feed returns). */
static void replay_held(sd_ssh *s, int dir, size_t t)
{
    dirst *d = &s->d[dir];
    uint64_t off = d->off;
    d->off = off + t - SD_SSH_NK_PEEK;
    for (size_t i = 0; i < SD_SSH_NK_PEEK;) {
        size_t used = SD_SSH_NK_PEEK - i;
        if (d->st == ST_CLEAR)
            used = sdp_feed_clear(s, dir, d->nk_buf + i, SD_SSH_NK_PEEK - i);
        else if (d->st == ST_ENC)
            used = feed_enc(s, dir, d->nk_buf + i, SD_SSH_NK_PEEK - i);
        i += used;
        d->off += used;
    }
    d->off = off;
}

/* NKWAIT (sd_ssh_int.h): the bytes after a doubtful NEWKEYS held until
 * SD_SSH_NK_PEEK of them say whether encryption began, then read in the
 * state that says. */
__attribute__((noinline, cold)) static size_t feed_nkwait(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    size_t t = SD_MIN(n, (size_t)(SD_SSH_NK_PEEK - d->nk_have));
    memcpy(d->nk_buf + d->nk_have, p, t);
    d->nk_have += (uint8_t)t;
    if (d->nk_have < SD_SSH_NK_PEEK)
        return t;
    sdp_newkeys_settle(s, dir);
    replay_held(s, dir, t);
    return t;
}

/* CUTLOST (sd_ssh_int.h): a snaplen cut took the cleartext framing; a
 * cut ends a segment, so the next bytes fed start one, and a sender
 * starts a segment with a packet (each write is whole packets): the
 * first SD_SSH_NK_PEEK bytes of each segment are held and tried as a
 * cleartext packet head (CLEAR from there: a NEWKEYS among them starts
 * ENC as it ends), else, once the peer is encrypted, as this side's
 * first encrypted bytes (its NEWKEYS was in what the cut took). Any
 * other segment is passed over whole. */
/* A banner the snaplen cut goes on in the next segment with its line's
 * rest, its first packet after it (a sender writes its banner and KEXINIT
 * together). Its LF is looked for in at most a line's bytes (OpenSSH's
 * SD_SSH_MAX_LINE), then a packet head tried after it, once. Returns the bytes
 * passed over, the LF's included. */
static size_t line_rest_scan(dirst *d, const uint8_t *p, size_t n)
{
    size_t lim = SD_MIN(n, (size_t)(SD_SSH_MAX_LINE - d->rest_seen));
    const uint8_t *lf = memchr(p, '\n', lim);
    if (lf) {
        d->rest_scan = d->line_rest = false;
        return (size_t)(lf - p) + 1;
    }
    d->rest_seen = (uint16_t)(d->rest_seen + lim);
    if (d->rest_seen >= SD_SSH_MAX_LINE) { /* no line's end: the segment passed over as any other */
        d->rest_scan = d->line_rest = false;
        d->cl_skip = true;
        return n;
    }
    return lim;
}

/* The peek at a segment's start is no packet head: with a cut banner's
 * rest due, an LF in the peek starts the peek again after it, else the
 * LF is looked for in what follows. */
static void line_rest_peek(dirst *d)
{
    const uint8_t *lf = memchr(d->nk_buf, '\n', SD_SSH_NK_PEEK);
    d->cl_skip = false;
    if (!lf) {
        d->rest_scan = true;
        d->rest_seen = SD_SSH_NK_PEEK;
        d->nk_have = 0;
        return;
    }
    d->line_rest = false;
    size_t k = (size_t)(lf - d->nk_buf) + 1;
    memmove(d->nk_buf, d->nk_buf + k, SD_SSH_NK_PEEK - k);
    d->nk_have = (uint8_t)(SD_SSH_NK_PEEK - k);
}

__attribute__((noinline, cold)) static size_t feed_cutlost(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    const sd_ssh_side *sd = &s->m.side[dir];
    if (d->rest_scan && !d->cl_skip) {
        size_t k = line_rest_scan(d, p, n);
        if (!d->rest_scan && !d->cl_skip)
            d->nk_have = 0; /* the peek begins after the LF */
        return k;
    }
    if (d->cl_skip)
        return n;
    size_t t = SD_MIN(n, (size_t)(SD_SSH_NK_PEEK - d->nk_have));
    memcpy(d->nk_buf + d->nk_have, p, t);
    d->nk_have += (uint8_t)t;
    if (d->nk_have < SD_SSH_NK_PEEK)
        return t;
    d->cl_skip = true;
    if (sdp_clear_head(d->nk_buf)) {
        d->st = ST_CLEAR;
        d->hdr_have = 0;
        d->cut_left = 0;
        d->line_rest = false;
    } else if (d->line_rest) {
        line_rest_peek(d);
        return t;
    } else if (s->m.side[!dir].newkeys_seen && !sd->newkeys_seen) {
        uint64_t frame = s->frame;
        sd_ts ts = s->ts;
        s->frame = d->cut_frame; /* the NEWKEYS was in the last cut segment */
        s->ts = d->cut_ts;
        sdp_newkeys_cut(s, dir, d->off + t - SD_SSH_NK_PEEK);
        s->frame = frame;
        s->ts = ts;
    } else {
        return n;
    }
    replay_held(s, dir, t);
    return t;
}

/* A NEWKEYS packet as every implementation sends it before keys are in
 * use: packet_length L (4 + L a multiple of 8), padding_length L - 2 (at
 * least 4), message 21. Random bytes match it about once in 2^40. */
static bool newkeys_head(const uint8_t *b)
{
    uint32_t L = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
    return L >= 6 && L <= 257 && (L + 4) % 8 == 0 && b[4] == L - 2 && b[5] == SD_SSH_MSG_NEWKEYS;
}

/* RESYNC (after a gap in the cleartext phase: the packet framing is lost,
 * but a capture that lost one segment of the key exchange still holds
 * the side's NEWKEYS and everything encrypted after it): the bytes slide
 * through a 6-byte window until it holds a NEWKEYS packet's head, then
 * its padding is passed over and the side is encrypted from its end. */
__attribute__((noinline, cold)) static size_t feed_resync(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    if (d->rs_skip) {
        size_t t = SD_MIN(n, (size_t)d->rs_skip);
        d->rs_skip -= (uint32_t)t;
        if (!d->rs_skip)
            sdp_newkeys_resync(s, dir, d->off + t);
        return t;
    }
    if (d->rs_scanned >= SD_SSH_RESYNC_MAX) {
        d->st = ST_DEAD;
        return 0;
    }
    n = SD_MIN(n, (size_t)(SD_SSH_RESYNC_MAX - d->rs_scanned));
    d->rs_scanned += (uint32_t)n; /* the whole chunk: a find returns early, and is the end */
    for (size_t i = 0; i < n; i++) {
        if (d->nk_have == SD_SSH_NK_PEEK)
            memmove(d->nk_buf, d->nk_buf + 1, --d->nk_have);
        d->nk_buf[d->nk_have++] = p[i];
        if (d->nk_have == SD_SSH_NK_PEEK && newkeys_head(d->nk_buf)) {
            d->nk_have = 0;
            d->rs_skip = d->nk_buf[4]; /* the padding after the message byte */
            return i + 1;
        }
    }
    return n;
}

/* ------------------------------------------------------------------ API */

/* feed_in past its usual case: every state's bytes, with what a
 * segment's start and a cleartext chunk need (apart, so the encrypted
 * chunk's path keeps a small frame). */
static __attribute__((noinline)) void feed_states(sd_ssh *s, int dir, const uint8_t *data, size_t len)
{
    dirst *d = &s->d[dir];
    if (s->opts.midstream_ok) /* a session already open when the capture began (sd_ssh_mid.c) */
        sdp_mid_feed(s, dir, data, len);
    size_t i = 0;
    bool touched = false;
    if (d->st == ST_CUTLOST) { /* a segment's start (feed_cutlost) */
        d->nk_have = 0;
        d->cl_skip = false;
    } else if (d->st == ST_ENC && __builtin_expect(s->m.side[dir].suite.mode == SD_SSH_MODE_UNKNOWN, 0)) {
        d->head_want = true; /* a segment's head (suite_from_sizes) */
        d->head_have = 0;
        d->head_off = d->off;
    }
    while (i < len) {
        size_t used;
        switch (d->st) {
        case ST_BANNER:
            used = sdp_feed_banner(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_CLEAR:
            used = sdp_feed_clear(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_ENC:
            used = feed_enc(s, dir, data + i, len - i);
            break;
        case ST_NKWAIT:
            used = feed_nkwait(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_RESYNC:
            used = feed_resync(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_CUTLOST:
            used = feed_cutlost(s, dir, data + i, len - i);
            touched = true;
            break;
        default:
            used = len - i;
            break;
        }
        i += used;
        d->off += used;
    }
    if (touched) {
        drop_buffers(s, 0);
        drop_buffers(s, 1);
        sdp_touch(s);
    }
}

/* Encrypted bytes with the suite known, on a connection whose start was
 * seen: nearly every chunk of a session. feed_states would take them
 * through feed_enc alone (the state stays ENC: feed_enc and the record
 * callback never change it), touching nothing else. */
static inline bool enc_only(const sd_ssh *s, int dir)
{
    return s->d[dir].st == ST_ENC && s->m.side[dir].suite.mode != SD_SSH_MODE_UNKNOWN && !s->opts.midstream_ok;
}

/* sd_ssh_feed past its argument checks: inlined there and in
 * sd_ssh_feed_segment, the per-segment path, which checks once. */
static inline __attribute__((always_inline)) void feed_in(sd_ssh *s, int dir, const uint8_t *data, size_t len,
                                                          uint64_t frame, sd_ts ts)
{
    s->frame = frame;
    s->ts = ts;
    s->m.side[dir].bytes += len;
    if (!enc_only(s, dir)) {
        feed_states(s, dir, data, len);
        return;
    }
    dirst *d = &s->d[dir];
    for (size_t i = 0, used; i < len; i += used) {
        used = feed_enc(s, dir, data + i, len - i);
        d->off += used;
    }
}

void sd_ssh_feed(sd_ssh *s, int dir, const uint8_t *data, size_t len, uint64_t frame, sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1) || !data || len == 0)
        return;
    feed_in(s, dir, data, len, frame, ts);
}

#define AFTER_CLOSE_FMT "%llu bytes past the sender's FIN or RST, which no receiver reads: not analysed"

/* code said for dir as of frame at stream offset `offset` (the bytes'
 * frame, not the one being parsed). */
static void anomaly_at(sd_ssh *s, int dir, sd_ssh_anom_code code, uint64_t frame, uint64_t offset, const char *msg)
{
    if (!s || (dir != 0 && dir != 1))
        return;
    uint64_t was = s->frame;
    uint32_t n = s->m.n_anomalies;
    s->frame = frame;
    sdp_anomaly(s, dir, code, "%s", msg);
    if (s->m.n_anomalies > n)
        s->m.anomalies[n].offset = offset;
    s->frame = was;
}

void sd_ssh_conflict(sd_ssh *s, int dir, uint64_t frame, uint64_t offset)
{
    anomaly_at(s, dir, SD_SSH_AN_STREAM_CONFLICT, frame, offset,
               "another copy of these bytes differs: the stream's is analysed");
}

void sd_ssh_urgent(sd_ssh *s, int dir, uint64_t frame, uint64_t offset, bool oob)
{
    anomaly_at(s, dir, SD_SSH_AN_URGENT, frame, offset,
               oob ? "a TCP urgent byte (URG), which no SSH peer sends: out of the stream, as the peer's socket reads it"
                   : "a TCP urgent byte (URG), which no SSH peer sends: kept in the stream (--urgent inline)");
}

void sd_ssh_after_close(sd_ssh *s, int dir, uint64_t len, uint64_t frame)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    uint64_t was = s->after_close[dir];
    s->after_close[dir] += len;
    if (was) { /* one anomaly a direction, its count kept up to date */
        sd_ssh_anomaly *a = s->after_close_an[dir] ? &s->m.anomalies[s->after_close_an[dir] - 1] : NULL;
        if (a)
            snprintf(a->detail, sizeof a->detail, AFTER_CLOSE_FMT, (unsigned long long)s->after_close[dir]);
        return;
    }
    uint64_t keep = s->frame;
    uint32_t n = s->m.n_anomalies;
    s->frame = frame;
    sdp_anomaly(s, dir, SD_SSH_AN_AFTER_CLOSE, AFTER_CLOSE_FMT, (unsigned long long)len);
    if (s->m.n_anomalies > n)
        s->after_close_an[dir] = s->m.n_anomalies;
    s->frame = keep;
}

void sd_ssh_after_close_read(sd_ssh *s, int dir, uint64_t frame)
{
    if (!s || (dir != 0 && dir != 1) || s->after_close_read[dir])
        return;
    s->after_close_read[dir] = true;
    uint64_t keep = s->frame;
    s->frame = frame;
    sdp_anomaly(s, dir, SD_SSH_AN_AFTER_CLOSE,
                "the receiver ACKed bytes past the sender's FIN or RST, so never took it (an insertion?): analysed");
    s->frame = keep;
}

void sd_ssh_gap(sd_ssh *s, int dir, uint64_t len, uint64_t frame)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    s->frame = frame;
    sd->gap_bytes += len;
    if (d->st == ST_NKWAIT) { /* the packet after NEWKEYS lost: encrypted, its framing with it */
        d->st = ST_ENC;
        sd->splitting = false;
    }
    if (d->st == ST_BANNER && s->opts.midstream_ok && d->off + len == sd->gap_bytes) {
        /* a hole before anything of this side: bytes sent before the
         * capture began and ACKed after it (a capture at the sender joined
         * mid-stream, its segments in flight); counted in gap_bytes, and
         * the side's first bytes after it are looked at as its start
         * (sdp_mid_feed) */
    } else if (d->st == ST_BANNER || d->st == ST_CLEAR || d->st == ST_RESYNC) {
        sdp_anomaly(s, dir, SD_SSH_AN_GAP, "%llu bytes missing before NEWKEYS",
                (unsigned long long)len);
        /* Unknown, not "not SSH": no dead_no_banner / non_ssh marks. Past
         * the banner the side's NEWKEYS is looked for (feed_resync). */
        d->st = d->st == ST_BANNER ? ST_DEAD : ST_RESYNC;
        d->nk_have = 0;
        d->rs_skip = 0;
        d->rs_scanned = 0;
        d->hdr_have = 0;
        d->cut_left = 0;
        sd->stopped = true;
    } else if (d->st == ST_ENC && sd->splitting) {
        if (d->enc_left >= len) {
            /* The hole lies inside the current record: framing survives. */
            d->enc_left -= len;
            if (d->enc_left == 0) {
                d->hdr_have = 0;
                emit(s, dir, true, 4 + d->plen + sd->suite.tag, d->plen, d->rec_off, frame, s->ts);
            }
        } else {
            sdp_anomaly(s, dir, SD_SSH_AN_GAP, "%llu bytes missing: packet framing lost",
                    (unsigned long long)len);
            sd->splitting = false;
        }
    }
    d->off += len;
    drop_buffers(s, dir);
    sdp_touch(s);
}

/* A cut in the ENC state: a hole inside the current record keeps the
 * framing; one past it loses it (splitting stops), and the rest of the
 * segment, from the record it cut, is one inexact record, as the later
 * segments will be (sd_ssh_segment). */
static uint64_t cut_enc(sd_ssh *s, int dir, uint64_t n, bool fresh)
{
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    if (!sd->splitting) {
        /* a NEWKEYS in this cut: the segment's bytes after it are its
         * first record (sd_ssh_segment, called before, found the side in
         * the clear) */
        if (fresh)
            emit_seg(s, dir, (uint32_t)SD_MIN(n, (uint64_t)UINT32_MAX), d->off, s->frame, s->ts);
        return n;
    }
    if (d->enc_left >= n) {
        d->enc_left -= n;
        if (d->enc_left == 0) {
            d->hdr_have = 0;
            emit(s, dir, true, 4 + d->plen + sd->suite.tag, d->plen, d->rec_off, s->frame, s->ts);
        }
        return n;
    }
    uint64_t from = d->enc_left || d->hdr_have ? d->rec_off : d->off;
    if (from < sd->enc_offset)
        from = sd->enc_offset;
    sd->splitting = false;
    d->enc_left = 0;
    d->hdr_have = 0;
    if (d->off + n > from)
        emit_seg(s, dir, (uint32_t)SD_MIN(d->off + n - from, (uint64_t)UINT32_MAX), from, s->frame, s->ts);
    return n;
}

void sd_ssh_cut(sd_ssh *s, int dir, uint64_t len, uint64_t frame, sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    s->frame = frame;
    s->ts = ts;
    sd->gap_bytes += len;
    sd->cut_bytes += len;
    d->cut_frame = frame;
    d->cut_ts = ts;
    if (!d->cut_noted && d->st != ST_DEAD && d->st != ST_SSH1) {
        d->cut_noted = true;
        sdp_anomaly(s, dir, SD_SSH_AN_SNAPLEN_CUT,
                    "the snaplen cut %llu bytes of this segment: framing and messages read from sizes from here",
                    (unsigned long long)len);
    }
    uint64_t start = d->off;
    bool enc_before = d->st == ST_ENC || d->st == ST_NKWAIT;
    for (uint64_t left = len; left;) {
        uint64_t used = left;
        switch (d->st) {
        case ST_BANNER:
            if (sdp_cut_banner(s, dir))
                continue; /* CUTLOST (or SSH1) now */
            d->off = start;
            sd->gap_bytes -= len; /* counted again there */
            sd->cut_bytes -= len;
            sd_ssh_gap(s, dir, len, frame); /* no banner to go on from */
            return;
        case ST_CLEAR:
            used = sdp_cut_clear(s, dir, left);
            break;
        case ST_NKWAIT: /* the packet after a doubtful NEWKEYS cut: encrypted, unframed */
            d->st = ST_ENC;
            sd->splitting = false;
            continue;
        case ST_ENC:
            used = cut_enc(s, dir, left, !enc_before);
            break;
        case ST_RESYNC:
            d->st = ST_CUTLOST;
            break;
        default:
            break;
        }
        d->off += used;
        left -= used;
    }
    if (d->st == ST_CUTLOST)
        d->cl_skip = true;
    drop_buffers(s, dir);
    sdp_touch(s);
}

/* sd_ssh_segment past its argument checks (len > 0), as feed_in. */
static inline __attribute__((always_inline)) void segment_in(sd_ssh *s, int dir, uint64_t offset, uint32_t len,
                                                             uint64_t frame, sd_ts ts)
{
    if (__builtin_expect(s->mid != NULL, 0))
        sdp_mid_segment(s, dir, len);
    sd_ssh_side *sd = &s->m.side[dir];
    if (!(sd->newkeys_seen || s->mid) || sd->splitting || (s->d[dir].st != ST_ENC && s->d[dir].st != ST_NKWAIT))
        return;
    uint64_t end = offset + len;
    uint64_t start = offset > sd->enc_offset ? offset : sd->enc_offset;
    if (end <= start)
        return;
    emit_seg(s, dir, (uint32_t)(end - start), start, frame, ts);
}

void sd_ssh_segment(sd_ssh *s, int dir, uint64_t offset, uint32_t len, uint64_t frame, sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    segment_in(s, dir, offset, len, frame, ts);
}

void sd_ssh_feed_segment(sd_ssh *s, int dir, const uint8_t *data, size_t len, uint32_t wire, uint64_t frame,
                         sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1))
        return;
    uint64_t off = s->d[dir].off;
    if (data && len)
        feed_in(s, dir, data, len, frame, ts);
    if (wire)
        segment_in(s, dir, off, wire, frame, ts);
}

uint64_t sd_ssh_offset(const sd_ssh *s, int dir)
{
    return (s && (dir == 0 || dir == 1)) ? s->d[dir].off : 0;
}

/* A KEXINIT parsed whole (its cookie and ten name-lists) is SSH with or
 * without a banner: a capture begun between the banners and the KEXINITs
 * (sd_ssh_mid.c kexinit_head) shows no banner at all. */
bool sd_ssh_is_ssh(const sd_ssh *s)
{
    return s && (s->m.side[0].banner_seen || s->m.side[1].banner_seen || sdp_mid_claimed(s) ||
                 s->m.side[0].kexinit_seen || s->m.side[1].kexinit_seen);
}

/* A side that stopped before any banner, or sent a first line's worth of
 * bytes without one. Both sides must show it: a side's bytes before its
 * banner (a server's binary packet first) say nothing of the other's, whose
 * banner and KEXINIT still name the software (hostile round 21: the client's
 * banner was lost when the server's bytes came first). */
static bool side_shows_no_banner(const dirst *d)
{
    return d->dead_no_banner || d->nb_bytes >= RULE_OUT_BYTES;
}

bool sd_ssh_ruled_out(const sd_ssh *s)
{
    if (!s || sd_ssh_is_ssh(s))
        return false;
    if (sdp_mid_refused(s))
        return true;
    return side_shows_no_banner(&s->d[0]) && side_shows_no_banner(&s->d[1]);
}

/* late: a derivation that reads and writes only s may be left for later */
static const sd_ssh_meta *meta_now(sd_ssh *s, bool late)
{
    if (!s)
        return NULL;
    if (s->derive_due && !(late && sdp_derive_local(s)))
        sdp_derive(s);
    if (s->sizes && s->sizes->changed)
        suite_from_sizes(s);
    return &s->m;
}

const sd_ssh_meta *sd_ssh_meta_get(sd_ssh *s)
{
    return meta_now(s, false);
}

const sd_ssh_meta *sd_ssh_meta_late(sd_ssh *s)
{
    return meta_now(s, true);
}

const char *sd_ssh_anom_name(sd_ssh_anom_code c)
{
    switch (c) {
    case SD_SSH_AN_BANNER_LONG: return "banner_long";
    case SD_SSH_AN_LINE_TOO_LONG: return "line_too_long";
    case SD_SSH_AN_PREBANNER_CLIENT: return "prebanner_from_client";
    case SD_SSH_AN_PREBANNER_LIMIT: return "prebanner_limit";
    case SD_SSH_AN_BANNER_BAD: return "banner_bad";
    case SD_SSH_AN_PKT_TOO_LONG: return "packet_too_long";
    case SD_SSH_AN_PKT_TOO_SHORT: return "packet_too_short";
    case SD_SSH_AN_PKT_ALIGN: return "packet_misaligned";
    case SD_SSH_AN_PAD_SHORT: return "padding_short";
    case SD_SSH_AN_KEXINIT_BAD: return "kexinit_bad";
    case SD_SSH_AN_NAMELIST_LONG: return "namelist_long";
    case SD_SSH_AN_NAMELIST_CHARS: return "namelist_chars";
    case SD_SSH_AN_UNEXPECTED_MSG: return "unexpected_msg_before_newkeys";
    case SD_SSH_AN_KEXINIT_REPEAT: return "kexinit_repeat";
    case SD_SSH_AN_HOSTKEY_BAD: return "hostkey_bad";
    case SD_SSH_AN_GAP: return "gap";
    case SD_SSH_AN_ENC_LEN_BAD: return "encrypted_length_bad";
    case SD_SSH_AN_SUITE_UNKNOWN: return "suite_unknown";
    case SD_SSH_AN_NOT_SSH: return "not_ssh";
    case SD_SSH_AN_VERSION_MISMATCH: return "version_mismatch";
    case SD_SSH_AN_DIR_FLIP: return "direction_flipped";
    case SD_SSH_AN_STREAM_CONFLICT: return "stream_conflict";
    case SD_SSH_AN_NEWKEYS_EARLY: return "newkeys_before_kexinit";
    case SD_SSH_AN_ROLE_CLAIM: return "role_claim_unconfirmed";
    case SD_SSH_AN_AFTER_CLOSE: return "data_after_close";
    case SD_SSH_AN_SNAPLEN_CUT: return "snaplen_cut";
    case SD_SSH_AN_BANNER_CUT: return "banner_cut";
    case SD_SSH_AN_KEXINIT_CUT: return "kexinit_cut";
    case SD_SSH_AN_NEWKEYS_INFERRED: return "newkeys_inferred";
    case SD_SSH_AN_SUITE_FROM_SIZES: return "suite_from_sizes";
    case SD_SSH_AN_URGENT: return "urgent_data";
    }
    return "?";
}

const char *sd_ssh_outcome_name(sd_ssh_outcome o)
{
    switch (o) {
    case SD_SSH_OUT_NONE: return "none";
    case SD_SSH_OUT_NOT_SSH: return "not_ssh";
    case SD_SSH_OUT_VERSION_ONLY: return "version_only";
    case SD_SSH_OUT_NON_SSH_AFTER_BANNER: return "non_ssh_after_banner";
    case SD_SSH_OUT_CAPABILITIES_ONLY: return "capabilities_only";
    case SD_SSH_OUT_KEX_INCOMPLETE: return "kex_incomplete";
    case SD_SSH_OUT_ENCRYPTED: return "encrypted";
    case SD_SSH_OUT_SSH1: return "ssh1";
    }
    return "?";
}
