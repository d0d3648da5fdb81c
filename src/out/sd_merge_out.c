/* sd_merge: open counts, order and rewriting of the merged lines (see
 * sd_merge.h). */
#include "sd_merge_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define KEY_VEC
#include <immintrin.h>
#endif

/* Where something happened, in one run's order: the record, then within
 * it (sd_engine's record_open_counts): 0 a connection ended by the packet
 * (split, eviction), 1 one opened, 2 one closed by it, 3 a sweep, 4 the
 * drain; sweeps and the drain go by idle class, then least recently seen. */
typedef struct mpos {
    uint64_t frame, a, b;
    unsigned how;
} mpos;

static int cmp_pos(const mpos *x, const mpos *y)
{
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    if (x->how != y->how)
        return x->how < y->how ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

typedef struct mev {
    mpos at;
    mconn *c;
    bool open;
    size_t seq; /* input order, for ties */
} mev;

static int cmp_ev(const void *a, const void *b)
{
    const mev *x = a, *y = b;
    int r = cmp_pos(&x->at, &y->at);
    return r ? r : (x->seq > y->seq) - (x->seq < y->seq);
}

static bool shown(const mconn *c)
{
    return sd_merge_shown(c);
}

/* open_at_end, orig_open_at_end: the other connections (and those of the
 * same originator) still open when this one closed, over every chunk. */
void sd_merge_open_counts(mchunk *ch, size_t n)
{
    mev *v = NULL;
    size_t k = 0, cap = 0;
    bool none = true;
    for (size_t i = 0; i < n; i++)
        none &= ch[i].no_oc;
    if (none) /* no line to put them in (sd_own_no_open_counts) */
        return;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].nconns; j++) {
            mconn *c = &ch[i].conns[j];
            if (!shown(c) || !c->cl)
                continue;
            if (k + 2 > cap)
                v = sd_reallocarray(v, cap = cap ? cap * 2 : 256, sizeof *v);
            bool swept = c->cp >= 3;
            v[k] = (mev){ { c->ff, 0, 0, 1 }, c, true, k };
            k++;
            v[k] = (mev){ { c->cl, swept ? (uint64_t)c->cls : 0, swept ? c->lf : 0, (unsigned)c->cp }, c,
                          false, k };
            k++;
        }
    if (k) /* v is NULL with no connection to count (qsort wants an array) */
        qsort(v, k, sizeof *v, cmp_ev);
    sd_hmap *hosts = sd_hmap_new(16, sizeof(uint64_t), 0);
    uint64_t total = 0;
    for (size_t i = 0; i < k; i++) {
        void *h;
        sd_hmap_insert(hosts, v[i].c->oh, &h);
        uint64_t *nh = h;
        if (v[i].open) {
            total++, (*nh)++;
            continue;
        }
        v[i].c->open_at_end = total - 1;
        v[i].c->orig_open_at_end = *nh - 1;
        total--, (*nh)--;
    }
    sd_hmap_free(hosts);
    free(v);
}

/* When one run would have ended c: in a packet's handling, in a sweep (by
 * idle class, least recently seen first) or in the drain (stream order). */
static mpos end_pos(const mconn *c)
{
    if (c->ep == 1)
        return (mpos){ c->end, (uint64_t)c->cls, c->lf, 1 };
    if (c->ep == 2)
        return (mpos){ c->end, c->ff, 0, 2 };
    return (mpos){ c->end, 0, 0, 0 };
}

static bool key_is(const char *k, size_t kl, const char *name)
{
    return kl == strlen(name) && !memcmp(k, name, kl);
}

static const char *skip_num(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

/* v in decimal to b: the project's one decimal writer (sd_put_u64). */
static void put_u64(sd_buf *b, uint64_t v)
{
    char d[20];
    sd_buf_append(b, d, (size_t)(sd_put_u64(d, v) - d));
}

/* A frame number at p, saturated as strtoull saturates it. */
static uint64_t num_at(const char *p)
{
    uint64_t x;
    bool over;
    sd_merge_dec(p, &x, &over);
    return x;
}

/* The value of key k at p (the line ends at end), renumbered when it is
 * one of the connection's numbers; returns where copying goes on. */
static const char *value(const mconn *c, uint64_t off, const char *k, size_t kl, const char *p, const char *end,
                         sd_buf *b)
{
    if (p == end)
        return p;
    bool digit = *p >= '0' && *p <= '9';
    if (key_is(k, kl, "uid") && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        sd_buf_append(b, "\"", 1);
        sd_buf_append(b, c->guid, strlen(c->guid));
        sd_buf_append(b, "\"", 1);
        return q ? q + 1 : end;
    }
    if (digit && key_is(k, kl, "stream")) {
        put_u64(b, c->gstream);
        return skip_num(p);
    }
    if (digit && (key_is(k, kl, "open_at_end") || key_is(k, kl, "orig_open_at_end"))) {
        put_u64(b, kl == 11 ? c->open_at_end : c->orig_open_at_end);
        return skip_num(p);
    }
    /* A frame within its own file (file_frame, file_first_frame) is the
     * same in a chunk's run and in one run: only global frames move. */
    bool in_file = kl > 5 && !memcmp(k, "file_", 5);
    if (digit && !in_file && kl >= 5 && !memcmp(k + kl - 5, "frame", 5)) {
        put_u64(b, num_at(p) + off);
        return skip_num(p);
    }
    if (*p == '[' && key_is(k, kl, "frames")) {
        sd_buf_append(b, "[", 1);
        for (p++; *p >= '0' && *p <= '9';) {
            put_u64(b, num_at(p) + off);
            p = skip_num(p);
            if (*p == ',')
                sd_buf_append(b, p++, 1);
        }
    }
    return p;
}

/* The key that ends at colon (a ':' right after an unescaped '"'), as
 * [*k, *k + return); 0 when colon ends no key. Our writer's keys are plain
 * names (no quote, no backslash), and inside a string a '"' is escaped, so
 * a '"' before a ':' that no backslash escapes closes a key: a value
 * string is followed by ',', '}' or ']', never ':'. */
static size_t key_before(const char *line, const char *colon, const char **k)
{
    if (colon - line < 3 || colon[-1] != '"' || colon[-2] == '\\')
        return 0;
    const char *q = colon - 2;
    while (q > line && *q != '"')
        q--;
    if (*q != '"')
        return 0;
    *k = q + 1;
    return (size_t)(colon - 1 - *k);
}

/* The key of the first open count in [p, end) (end when there is none). */
static const char *counts_from(const char *line, const char *p, const char *end)
{
    const char *o = sd_merge_find(p, end, "open_at_end\":");
    if (!o)
        return end;
    while (o > line && o[-1] != '"')
        o--;
    return o > line ? o - 1 : line;
}

/* Where rewrite must start in a line of c: its start, or, when c keeps
 * the chunk's numbers (the first chunk's connections mostly do), the key
 * of its first open count (the end when it has none): what comes before is
 * copied as it is, without a look at each key. */
static const char *changes_from(const mconn *c, uint64_t off, const char *line, const char *end)
{
    if (off || c->cut || c->gstream != c->stream || strcmp(c->guid, c->uid))
        return line;
    return c->no_oc ? end : counts_from(line, line, end);
}

/* How far into a line its uid is looked for (after "type" and "ts"). */
#define HEAD_MAX 96

/* A line of a chunk whose frames are one run's (c->head: its trailer's
 * "fb"): the writers of ssh and conns --json put the uid and the stream
 * first, right after "type" and "ts", and nowhere else, so with no frame
 * to move they are all a line changes before its open counts. Both
 * written to b with what comes before them; returns where the rest
 * starts, or NULL when they are not there as expected (the full scan
 * then). The last chunk's 220 MB were scanned for keys only for these
 * (bench/jobs, docs/scale.md "framebase"). With pre: what comes before
 * the uid's value is not written but its length put there (the caller
 * has it in place). */
static const char *patch_head(const mconn *c, const char *line, const char *end, sd_buf *b, size_t *pre)
{
    static const char UID[] = "\"uid\":\"", STREAM[] = "\",\"stream\":";
    const char *u = sd_merge_find(line, end - line < HEAD_MAX ? end : line + HEAD_MAX, UID);
    if (!u)
        return NULL;
    const char *v = u + sizeof UID - 1, *q = memchr(v, '"', (size_t)(end - v));
    if (!q || (size_t)(end - q) <= sizeof STREAM - 1 || memcmp(q, STREAM, sizeof STREAM - 1) ||
        q[sizeof STREAM - 1] < '0' || q[sizeof STREAM - 1] > '9')
        return NULL;
    if (pre)
        *pre = (size_t)(v - line);
    else
        sd_buf_append(b, line, (size_t)(v - line));
    sd_buf_append(b, c->guid, strlen(c->guid));
    sd_buf_append(b, STREAM, sizeof STREAM - 1);
    put_u64(b, c->gstream);
    return skip_num(q + sizeof STREAM - 1);
}

/* Whether value() may change the value of key k (kl bytes) that starts
 * with v: its keys only (uid, stream, the open counts, *frame, frames), so
 * that the text between two of them is copied once, not key by key (most
 * keys of a line are none of them). */
static bool renumbered(const char *k, size_t kl, char v)
{
    if (kl >= 5 && !memcmp(k + kl - 5, "frame", 5))
        return true;
    switch (kl) {
    case 3: return v == '"' && !memcmp(k, "uid", 3);
    case 6: return !memcmp(k, "stream", 6) || !memcmp(k, "frames", 6);
    case 11: return !memcmp(k, "open_at_end", 11);
    case 16: return !memcmp(k, "orig_open_at_end", 16);
    default: return false;
    }
}

/* Is the ':' at colon (at least 3 bytes into its line) the end of a key
 * that may be renumbered? The keys renumbered end in d, m, e or s (uid,
 * the open counts, stream, *frame, frames): the others are passed by
 * their last letter, without looking back for where they start. */
static inline bool cand(const char *colon)
{
    char last = colon[-2];
    return *colon == ':' && colon[-1] == '"' && (last == 'd' || last == 'm' || last == 'e' || last == 's');
}

/* Where the next candidate is looked for: a block of 32 bytes and the
 * candidates in it not yet passed (the vector scan). */
typedef struct kscan {
    const char *base;
    uint32_t mask;
} kscan;

#ifdef KEY_VEC
/* The candidates of the 32 bytes at p (p - 3 is in the line) as bits:
 * ':' after '"' after the last two letters of a renumbered key (id, nd,
 * am, me, es). A line's keys are a few bytes apart: a call of memchr each
 * (the scalar walk) cost more than the bytes (most of the merge). */
__attribute__((target("avx2"))) static inline uint32_t cand_mask_avx2(const char *p)
{
#define B(c) _mm256_set1_epi8(c)
#define EQ(x, c) _mm256_cmpeq_epi8(x, B(c))
#define AND _mm256_and_si256
#define OR _mm256_or_si256
    __m256i a = _mm256_loadu_si256((const __m256i *)p);
    __m256i hit = EQ(a, ':');
    if (!_mm256_movemask_epi8(hit))
        return 0;
    __m256i q = _mm256_loadu_si256((const __m256i *)(p - 1)), l = _mm256_loadu_si256((const __m256i *)(p - 2)),
            l2 = _mm256_loadu_si256((const __m256i *)(p - 3));
    __m256i pair = OR(OR(AND(EQ(l, 'd'), OR(EQ(l2, 'i'), EQ(l2, 'n'))), AND(EQ(l, 'm'), EQ(l2, 'a'))),
                      OR(AND(EQ(l, 'e'), EQ(l2, 'm')), AND(EQ(l, 's'), EQ(l2, 'e'))));
    return (uint32_t)_mm256_movemask_epi8(AND(AND(hit, EQ(q, '"')), pair));
#undef B
#undef EQ
#undef AND
#undef OR
}

static int key_vec = -1; /* set before any thread rewrites (sd_merge_write) */

static void key_vec_init(void)
{
    if (key_vec < 0) {
        __builtin_cpu_init();
        key_vec = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
}
#else
static void key_vec_init(void)
{
}
#endif

static const char *next_cand_scalar(const char *p, const char *end)
{
    for (; p < end; p++)
        if ((p = memchr(p, ':', (size_t)(end - p))) == NULL || cand(p))
            return p;
    return NULL;
}

#ifdef KEY_VEC
/* (one function with the block test inlined: a call per block cost as
 * much as the test) */
__attribute__((target("avx2"))) static const char *next_cand_avx2(kscan *s, const char *p, const char *end)
{
    if (s->base && p < s->base + 32) /* the block at hand: its bits from p on */
        s->mask &= p > s->base ? ~0u << (p - s->base) : ~0u;
    else if (end - p >= 32)
        s->base = p, s->mask = cand_mask_avx2(p);
    else
        return s->base = NULL, next_cand_scalar(p, end);
    while (!s->mask) {
        if (end - (s->base + 32) < 32) { /* the tail, byte by byte */
            p = p > s->base + 32 ? p : s->base + 32;
            s->base = NULL;
            return next_cand_scalar(p, end);
        }
        s->base += 32;
        s->mask = cand_mask_avx2(s->base);
    }
    return s->base + __builtin_ctz(s->mask);
}
#endif

/* The first ':' in [p, end) that cand() takes, or NULL; p is at least 3
 * bytes into its line and never before the last one returned. */
static const char *next_cand(kscan *s, const char *p, const char *end)
{
#ifdef KEY_VEC
    if (key_vec == 1)
        return next_cand_avx2(s, p, end);
#endif
    (void)s;
    return next_cand_scalar(p, end);
}

/* Does the key ending at colon (cand() took it) end as a renumbered key
 * does? Its length and start then, as key_before gives them; 0 otherwise.
 * Each by its own ending, compared in place: most keys that end in the
 * same letters are none of them, and looking back for where every one of
 * them starts was a third of the rewrite. */
static inline bool ends(const char *line, const char *colon, const char *pat, size_t l)
{
    return (size_t)(colon - line) >= l + 1 && !memcmp(colon - 1 - l, pat, l);
}

static size_t renum_key(const char *line, const char *colon, const char **k)
{
    switch (colon[-2]) {
    case 'd':
        if (ends(line, colon, "\"uid", 4))
            return *k = colon - 4, 3;
        if (!ends(line, colon, "open_at_end", 11))
            return 0;
        break;
    case 'm':
        if (ends(line, colon, "\"stream", 7))
            return *k = colon - 7, 6;
        return 0;
    case 'e':
        if (!ends(line, colon, "frame", 5))
            return 0;
        break;
    case 's':
        if (!ends(line, colon, "\"frames", 7))
            return 0;
        break;
    default: return 0;
    }
    return key_before(line, colon, k);
}

void sd_merge_rewrite(const mconn *c, uint64_t off, const char *line, size_t len, sd_buf *b)
{
    const char *end = line + len, *p = NULL, *copied = line;
    if (!off && !c->cut && c->head && (p = patch_head(c, line, end, b, NULL)))
        copied = p, p = c->no_oc ? end : counts_from(line, p, end);
    else
        p = changes_from(c, off, line, end);
    /* from key to key (each ends at a ':'), not through every string: the
     * values between are copied as they are */
    key_vec_init(); /* (done before any thread by sd_merge_write) */
    p = p < line + 3 ? line + 3 : p; /* (no key ends before: the scan looks 3 bytes back) */
    kscan ks = { NULL, 0 };
    while (p < end) {
        const char *colon = next_cand(&ks, p, end), *k;
        if (!colon)
            break;
        p = colon + 1;
        size_t kl = renum_key(line, colon, &k);
        if (!kl || p == end || !renumbered(k, kl, *p))
            continue;
        sd_buf_append(b, copied, (size_t)(p - copied));
        copied = p = value(c, off, k, kl, p, end, b);
    }
    sd_buf_append(b, copied, (size_t)(end - copied));
    if (c->cut && b->len && b->p[b->len - 1] == '}') {
        b->len--;
        sd_buf_printf(b, ",\"readahead_cut\":true}");
    }
    sd_buf_append(b, "\n", 1);
}

/* The chunk whose next connection one run would end first. */
static size_t next_chunk(mchunk *ch, size_t n, const size_t *at)
{
    size_t best = n;
    mpos bp = { 0, 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        if (at[i] >= ch[i].nconns)
            continue;
        mpos p = end_pos(&ch[i].conns[at[i]]);
        if (best == n || cmp_pos(&p, &bp) < 0)
            best = i, bp = p;
    }
    return best;
}

/* c's lines to b (and the hook's part), b flushed when large. */
static void put_lines(const mconn *c, uint64_t off, const mchunk *ch, sd_buf *b, FILE *out)
{
    size_t from = b->len;
    for (size_t l = 0; l < c->nlines; l++)
        sd_merge_rewrite(c, off, ch->lines[c->lines[l]], ch->lens[c->lines[l]], b);
    if (ch->hook)
        ch->hook(ch->hook_ctx, ch->hook_ud, c, off, b, from);
    if (b->len > 65536)
        fwrite(b->p, 1, b->len, out), b->len = 0;
}

/* c, taken in the merged order as number pos: its lines to b. */
static void put_conn(mconn *c, uint64_t off, const mchunk *ch, uint64_t *pos, sd_buf *b, FILE *out)
{
    c->pos = shown(c) ? (*pos)++ : UINT64_MAX;
    if (shown(c))
        put_lines(c, off, ch, b, out);
}

/* Are the lines of conns [from, to) of c0, all with their chunk's
 * numbers, one run of the text from its first line (each connection's
 * lines in turn, nothing between)? Then they are what one run printed,
 * byte for byte: c0 ran as one run does up to the next chunk's first
 * record, and these ended (and had their open counts taken) before it.
 * *bytes: their length. */
static bool verbatim(const mchunk *c0, size_t from, size_t to, size_t *bytes)
{
    size_t want = 0; /* the next line index */
    for (size_t i = from; i < to; i++) {
        const mconn *c = &c0->conns[i];
        if (!shown(c)) {
            if (c->nlines)
                return false;
            continue;
        }
        if (c->cut || c->gstream != c->stream || strcmp(c->guid, c->uid))
            return false;
        for (size_t l = 0; l < c->nlines; l++, want++)
            if (c->lines[l] != want ||
                (want && c0->lines[want] != c0->lines[want - 1] + c0->lens[want - 1] + 1))
                return false;
    }
    *bytes = want ? (size_t)(c0->lines[want - 1] + c0->lens[want - 1] + 1 - c0->lines[0]) : 0;
    return true;
}

/* The early write as one block of the first chunk's text (verbatim), or
 * false when it is not one. Every connection of a chunk's output is
 * written at once when it ends, so the first chunk's lines up to the
 * next chunk's start are mostly that: no line to read at all. */
static bool write_verbatim(mchunk *c0, size_t to, FILE *out)
{
    size_t bytes;
    if (c0->flushed || c0->hook || !verbatim(c0, 0, to, &bytes)) /* a hook sees every connection */
        return false;
    if (bytes)
        fwrite(c0->lines[0], 1, bytes, out);
    for (size_t i = 0; i < to; i++)
        c0->conns[i].pos = shown(&c0->conns[i]) ? c0->flushed_shown++ : UINT64_MAX;
    c0->flushed = to;
    fflush(out);
    return true;
}

void sd_merge_write_early(mchunk *c0, uint64_t next, FILE *out)
{
    size_t to = c0->flushed;
    while (to < c0->nconns && c0->conns[to].end < next && c0->conns[to].cl < next)
        to++;
    if (write_verbatim(c0, to, out))
        return;
    sd_buf b = { 0 };
    size_t i = c0->flushed;
    for (; i < to; i++) {
        c0->flushed_cut += shown(&c0->conns[i]) && c0->conns[i].cut;
        put_conn(&c0->conns[i], 0, c0, &c0->flushed_shown, &b, out);
    }
    c0->flushed = i;
    if (b.len)
        fwrite(b.p, 1, b.len, out);
    fflush(out);
    sd_buf_free(&b);
}

/* The merged lines are made in pieces of this many connections, by every
 * core: once the last chunk is in, this write is all that is left of a
 * --jobs run, so the cores its workers used are free. A piece is written
 * as soon as it and those before it are made (about 2 MB: small enough
 * that the output flows, big enough that a thread seldom waits). */
#define MERGE_PIECE_CONNS 1024
/* What a line may grow by when renumbered, for its piece's room (a guess,
 * not a bound: the buffer still grows past it): longer numbers, the uid,
 * "readahead_cut" */
#define MERGE_LINE_GROWTH 48
#define MERGE_THREADS_MAX 16 /* makers besides the caller: past this, the write itself is the bound */

/* A piece's bytes, in order: spans of its buffer (p NULL: at off in b)
 * and spans of the chunks' mapped lines themselves. A line of a chunk
 * numbered from its start (only its uid and stream change, patch_head)
 * is its new head in b, then the rest of it where the chunk's output
 * holds it: the merge does not copy it, write(2) does (writev), where
 * copying every line into the piece was a fifth of the merge's time on
 * bench/jobs (memcpy and the buffers' page faults, docs/scale.md "memfd"). */
typedef struct mspan {
    const char *p;
    size_t off, len;
} mspan;

typedef struct mbody {
    sd_buf b;
    mspan *span;
    size_t nspan, cap;
} mbody;

typedef struct mpiece {
    mbody body;
    atomic_int done;
} mpiece;

/* The connections left to write, in the merged order, and their pieces. */
typedef struct mrender {
    mconn **v;
    const mchunk **of; /* each one's chunk */
    size_t n, npieces;
    mpiece *pieces;
    atomic_size_t next; /* the next piece to make */
    int fd;             /* the output's descriptor for writev, or -1 (a stream of the merge's, fwrite) */
    bool failed;        /* a writev failed: the rest through out, which then reports it */
    /* the buffers of pieces written, for the next pieces: a new buffer
     * for each piece had every page of the output faulted in and zeroed
     * by the kernel (58 000 page faults, as much system time as the
     * merge's own on bench/jobs) */
    pthread_mutex_t lock;
    mbody *spare;
    size_t nspare;
} mrender;

/* A head's room in a piece's buffer (the line up to its uid, the uid,
 * the stream): more than any of strider's lines has there */
#define MERGE_HEAD_ROOM 128
/* A line's head is all of it the merge reads (its rest goes out as it
 * is), so each head is a wait for memory where copying the line before
 * had brought it in: the heads of the connection this many ahead are
 * asked for first (a connection's lines cost about the wait) */
#define MERGE_PREFETCH_CONNS 4

static void span_add(mbody *y, const char *p, size_t off, size_t len)
{
    if (!len)
        return;
    mspan *l = y->nspan ? &y->span[y->nspan - 1] : NULL;
    if (l && (p ? l->p && l->p + l->len == p : !l->p && l->off + l->len == off)) {
        l->len += len; /* (contiguous: one span) */
        return;
    }
    if (y->nspan == y->cap)
        y->span = sd_reallocarray(y->span, y->cap = y->cap ? y->cap * 2 : 256, sizeof *y->span);
    y->span[y->nspan++] = (mspan){ p, off, len };
}

/* Whether a line of c is its head patched and the rest as it is. */
static bool line_in_place(const mconn *c, uint64_t off)
{
    return !off && !c->cut && c->head && c->no_oc;
}

/* One line of c to the piece: in place when it can be (its head in b, its
 * rest and newline from the chunk's output), else rewritten into b. */
static void piece_line(mbody *y, const mconn *c, uint64_t off, const char *line, size_t len)
{
    size_t from = y->b.len;
    if (line_in_place(c, off)) {
        const char *end = line + len, *rest;
        /* the line's start up to its uid's value goes on the previous span
         * when it follows it there (the previous line's rest) */
        mspan *l = y->nspan ? &y->span[y->nspan - 1] : NULL;
        bool after = l && l->p && l->p + l->len == line;
        size_t pre = 0;
        if ((rest = patch_head(c, line, end, &y->b, after ? &pre : NULL))) {
            if (after)
                l->len += pre;
            span_add(y, NULL, from, y->b.len - from);
            span_add(y, rest, 0, (size_t)(end - rest) + 1); /* with its '\n' */
            return;
        }
        y->b.len = from;
    }
    sd_merge_rewrite(c, off, line, len, &y->b);
    span_add(y, NULL, from, y->b.len - from);
}

/* Makes the next piece not taken yet; false when none is left. */
static bool make_piece(mrender *r)
{
    size_t k = atomic_fetch_add(&r->next, 1);
    if (k >= r->npieces)
        return false;
    size_t e = (k + 1) * MERGE_PIECE_CONNS < r->n ? (k + 1) * MERGE_PIECE_CONNS : r->n;
    mbody *y = &r->pieces[k].body;
    pthread_mutex_lock(&r->lock);
    if (r->nspare)
        *y = r->spare[--r->nspare];
    pthread_mutex_unlock(&r->lock);
    /* room for the piece's buffer at once: grown by doubling, it was
     * copied by realloc about once more in all (_int_realloc 7 % of the
     * merge's time on bench/jobs, docs/scale.md "memfd") */
    size_t bytes = 0;
    for (size_t i = k * MERGE_PIECE_CONNS; i < e; i++)
        for (size_t l = 0; shown(r->v[i]) && l < r->v[i]->nlines; l++)
            bytes += line_in_place(r->v[i], r->of[i]->shift) ? MERGE_HEAD_ROOM
                                                              : r->of[i]->lens[r->v[i]->lines[l]] + MERGE_LINE_GROWTH;
    sd_buf_grow(&y->b, bytes);
    for (size_t i = k * MERGE_PIECE_CONNS; i < e; i++) {
        const mconn *c = r->v[i];
        const mchunk *ch = r->of[i];
        if (i + MERGE_PREFETCH_CONNS < e) /* (see MERGE_PREFETCH_CONNS) */
            for (size_t l = 0, j = i + MERGE_PREFETCH_CONNS; l < r->v[j]->nlines; l++) {
                const char *h = r->of[j]->lines[r->v[j]->lines[l]];
                __builtin_prefetch(h);
                __builtin_prefetch(h + HEAD_MAX - 1);
            }
        for (size_t l = 0; shown(c) && l < c->nlines; l++)
            piece_line(y, c, ch->shift, ch->lines[c->lines[l]], ch->lens[c->lines[l]]);
    }
    atomic_store_explicit(&r->pieces[k].done, 1, memory_order_release);
    return true;
}

static void *maker(void *arg)
{
    while (make_piece(arg))
        ;
    return NULL;
}

#define MERGE_IOV 1024 /* spans a writev: Linux's most (UIO_MAXIOV) */

/* A piece's spans to the output: writev on its descriptor, IOV_MAX spans
 * a call, a short write resumed; after an error, the rest through out
 * (stdio), whose error the caller's check of out then reports. */
static void write_spans(mrender *r, const mbody *y, FILE *out)
{
    struct iovec iov[MERGE_IOV];
    size_t i = 0, skip = 0; /* span i, of which skip bytes are written */
    while (i < y->nspan && r->fd >= 0 && !r->failed) {
        int n = 0;
        for (size_t j = i; j < y->nspan && n < (int)SD_ARRAY_LEN(iov); j++, n++) {
            const mspan *sp = &y->span[j];
            const char *p = sp->p ? sp->p : (const char *)y->b.p + sp->off;
            size_t sk = j == i ? skip : 0;
            iov[n] = (struct iovec){ (void *)(p + sk), sp->len - sk };
        }
        size_t total = 0;
        for (int k = 0; k < n; k++)
            total += iov[k].iov_len;
        size_t w = sd_writev_all(r->fd, iov, n, -1);
        if (w == total) {
            i += (size_t)n, skip = 0;
            continue;
        }
        r->failed = true; /* the rest from the first byte not written */
        for (size_t left = w; left && i < y->nspan;) {
            size_t in = y->span[i].len - skip;
            if (left < in) {
                skip += left;
                break;
            }
            left -= in, skip = 0, i++;
        }
    }
    for (; i < y->nspan; i++, skip = 0) {
        const mspan *sp = &y->span[i];
        fwrite((sp->p ? sp->p : (const char *)y->b.p + sp->off) + skip, 1, sp->len - skip, out);
    }
}

/* Writes the pieces made, in order, from *w on. */
static void write_made(mrender *r, size_t *w, FILE *out)
{
    for (; *w < r->npieces && atomic_load_explicit(&r->pieces[*w].done, memory_order_acquire); ++*w) {
        mbody *y = &r->pieces[*w].body;
        write_spans(r, y, out);
        y->b.len = 0, y->nspan = 0;
        pthread_mutex_lock(&r->lock);
        r->spare[r->nspare++] = *y; /* room for every piece: allocated with them */
        pthread_mutex_unlock(&r->lock);
        *y = (mbody){ 0 };
    }
}

/* The caller makes pieces and writes them as they are ready; helper
 * threads (one per other core) make pieces too. Spans go to the output's
 * descriptor when it has one (stdout, a file), after what out holds. */
static void render(mrender *r, FILE *out)
{
    r->npieces = (r->n + MERGE_PIECE_CONNS - 1) / MERGE_PIECE_CONNS;
    r->pieces = sd_calloc(r->npieces ? r->npieces : 1, sizeof *r->pieces);
    r->spare = sd_calloc(r->npieces ? r->npieces : 1, sizeof *r->spare);
    r->fd = fflush(out) == 0 ? fileno(out) : -1; /* (-1 for a stream of the merge's own: sd_merge_fmt) */
    pthread_mutex_init(&r->lock, NULL);
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t nt = cores > 1 ? (size_t)cores - 1 : 0, started = 0, w = 0;
    nt = nt > MERGE_THREADS_MAX ? MERGE_THREADS_MAX : nt;
    nt = nt + 1 > r->npieces ? (r->npieces ? r->npieces - 1 : 0) : nt; /* a piece each, the caller's too */
    pthread_t t[MERGE_THREADS_MAX];
    while (started < nt && !pthread_create(&t[started], NULL, maker, r))
        started++; /* one that cannot start leaves its pieces to the others */
    while (make_piece(r))
        write_made(r, &w, out);
    for (size_t i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    write_made(r, &w, out);
    for (size_t i = 0; i < r->nspare; i++)
        sd_buf_free(&r->spare[i].b), free(r->spare[i].span);
    pthread_mutex_destroy(&r->lock);
    free(r->spare);
    free(r->pieces);
}

/* With a hook (extract's files), one connection after the other in this
 * thread: the hook names and writes files in the merged order. */
static void render_hooked(mrender *r, FILE *out)
{
    sd_buf b = { 0 };
    for (size_t i = 0; i < r->n; i++)
        if (shown(r->v[i]))
            put_lines(r->v[i], r->of[i]->shift, r->of[i], &b, out);
    if (b.len)
        fwrite(b.p, 1, b.len, out);
    sd_buf_free(&b);
}

typedef struct camp_job {
    mchunk *ch;
    size_t n;
    sd_buf b;
} camp_job;

static void *camp_thread(void *arg)
{
    camp_job *j = arg;
    sd_merge_campaign(j->ch, j->n, &j->b);
    return NULL;
}

/* Each chunk's connections stay in the order it ended them; the chunks'
 * sequences interleave by when one run ends each. Those written early
 * come first (they end before any later chunk's). The order and places
 * are taken first, then the lines made in parallel (render). */
uint64_t sd_merge_write(mchunk *ch, size_t n, FILE *out)
{
    size_t *at = sd_calloc(n ? n : 1, sizeof *at), left = 0;
    sd_buf b = { 0 };
    uint64_t cut = 0, pos = 0;
    for (size_t i = 0; i < n; i++)
        at[i] = ch[i].flushed, pos += ch[i].flushed_shown, cut += ch[i].flushed_cut, left += ch[i].nconns - at[i];
    key_vec_init();
    mrender r = { .v = sd_calloc(left ? left : 1, sizeof *r.v), .of = sd_calloc(left ? left : 1, sizeof *r.of) };
    for (size_t i; (i = next_chunk(ch, n, at)) < n;) {
        mconn *c = &ch[i].conns[at[i]++];
        cut += shown(c) && c->cut;
        c->pos = shown(c) ? pos++ : UINT64_MAX;
        r.of[r.n] = &ch[i];
        r.v[r.n++] = c;
    }
    /* the campaigns beside the lines: they read the connections only */
    camp_job cj = { ch, n, { 0 } };
    pthread_t t;
    bool th = !pthread_create(&t, NULL, camp_thread, &cj);
    if (!th)
        camp_thread(&cj);
    if (n && ch[0].hook)
        render_hooked(&r, out);
    else
        render(&r, out);
    free(r.v), free(r.of);
    if (th)
        pthread_join(t, NULL);
    for (size_t i = 0; i < n; i++)
        for (size_t l = 0; l < ch[i].ntail; l++)
            sd_buf_append(&b, ch[i].lines[ch[i].tail[l]], ch[i].lens[ch[i].tail[l]] + 1); /* with its '\n' */
    if (b.len)
        fwrite(b.p, 1, b.len, out);
    if (cj.b.len)
        fwrite(cj.b.p, 1, cj.b.len, out);
    sd_buf_free(&b);
    sd_buf_free(&cj.b);
    free(at);
    return cut;
}
