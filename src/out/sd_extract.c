#include "sd_extract.h"

#include "../analyze/sd_filesig.h"
#include "sd_json.h"
#include "sd_markout.h"
#include "sd_names.h"

#include "../common/sd_plain.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define PUT(o, lit) put(o, lit, sizeof(lit) - 1)

/* v in exactly w decimal digits, zero-padded (v < 10^w). */
static char *put_fixed_dec(char *o, unsigned v, int w)
{
    for (int i = w - 1; i >= 0; i--) {
        o[i] = (char)('0' + v % 10);
        v /= 10;
    }
    return o + w;
}

static char *put_flow_end(char *o, const sd_addr *a, uint16_t port)
{
    if (a->fam == 4)
        for (int i = 0; i < 4; i++) {
            o = put_fixed_dec(o, a->a[i], 3);
            *o++ = '.';
        }
    else {
        sd_addr_str(a, o, SD_ADDR_STRLEN);
        o += strlen(o);
        *o++ = '.';
    }
    return put_fixed_dec(o, port, 5);
}

/* tcpflow's "%03u.%03u.%03u.%03u.%05u-...%05u" and "--%u", formatted
 * directly (snprintf was 11 % of extract's engine thread on short
 * sessions: three names each), cut to len as snprintf cuts. */
char *sd_flowname(char *buf, size_t len, const sd_addr *sa, uint16_t sp, const sd_addr *da, uint16_t dp,
                  uint16_t vlan)
{
    char t[2 * (SD_ADDR_STRLEN + 6) + 1 + 2 + 20];
    char *o = put_flow_end(t, sa, sp);
    *o++ = '-';
    o = put_flow_end(o, da, dp);
    if (vlan) {
        o = PUT(o, "--");
        o = sd_put_u64(o, vlan);
    }
    if (len) {
        size_t n = SD_MIN((size_t)(o - t), len - 1);
        memcpy(buf, t, n);
        buf[n] = '\0';
    }
    return buf;
}

const char *sd_chunk_flag_name(unsigned bit)
{
    switch (bit) {
    case SD_CHUNKF_RETRANS_INCONSISTENT: return "inconsistent";
    case SD_CHUNKF_AFTER_FIN: return "after-fin";
    case SD_CHUNKF_AFTER_RST: return "after-rst";
    case SD_CHUNKF_TRUNCATED: return "truncated";
    default: return "unknown";
    }
}

void sd_ascii_render(sd_buf *b, const uint8_t *p, size_t len, bool keep_lines)
{
    uint8_t tmp[4096];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (keep_lines && c == '\r' && i + 1 < len && p[i + 1] == '\n')
            continue;
        if (!(c >= 0x20 && c < 0x7f) && !(keep_lines && (c == '\n' || c == '\t')))
            c = '.';
        tmp[n++] = c;
        if (n == sizeof tmp) {
            sd_buf_append(b, tmp, n);
            n = 0;
        }
    }
    if (n)
        sd_buf_append(b, tmp, n);
}

/* Room for n more bytes at the end of b; returns where they go. */
static char *buf_room(sd_buf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        b->p = sd_realloc(b->p, cap);
        b->cap = cap;
    }
    return (char *)b->p + b->len;
}


/* Payload as hex, then as the JSON string of its printable rendering
 * (sd_ascii_render without keep_lines, escaped as sd_json_escape does:
 * only '"' and '\\' need it): at most 4 * len + 20 bytes. The transcript
 * renders every inlined payload byte twice, half of extract's engine
 * thread on short sessions: hex and the rendering go 16 bytes at a time
 * (SSE2), a block with a byte to escape through the byte loop. */
static char *ascii_bytes(char *o, const uint8_t *p, size_t len)
{
    static uint8_t ASC[256]; /* 0 = as '.', 1 = itself, 2 = escaped */
    static bool ready;
    if (!ready) {
        for (int c = 0; c < 256; c++)
            ASC[c] = c >= 0x20 && c < 0x7f ? (c == '"' || c == '\\' ? 2 : 1) : 0;
        ready = true;
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        switch (ASC[c]) {
        case 0: *o++ = '.'; break;
        case 1: *o++ = (char)c; break;
        default: *o++ = '\\'; *o++ = (char)c; break;
        }
    }
    return o;
}

static char *payload_json(char *o, const uint8_t *p, size_t len)
{
    o = PUT(o, ",\"hex\":\"");
    o = sd_put_hex(o, p, len);
    o = PUT(o, "\",\"ascii\":\"");
    size_t i = 0;
#ifdef __SSE2__
    for (; i + SD_PLAIN_BLOCK <= len; i += SD_PLAIN_BLOCK) {
        __m128i v = sd_plain_load16(p + i);
        __m128i esc = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')), _mm_cmpeq_epi8(v, _mm_set1_epi8('\\')));
        if (_mm_movemask_epi8(esc)) {
            o = ascii_bytes(o, p + i, SD_PLAIN_BLOCK);
            continue;
        }
        /* printable 0x20..0x7e as in sd_plain_vec_mask, the rest '.' */
        __m128i off = _mm_sub_epi8(v, _mm_set1_epi8(0x20));
        __m128i in = _mm_cmpeq_epi8(_mm_min_epu8(off, _mm_set1_epi8(0x5e)), off);
        __m128i out = _mm_or_si128(_mm_and_si128(in, v), _mm_andnot_si128(in, _mm_set1_epi8('.')));
        _mm_storeu_si128((__m128i *)(void *)o, out);
        o += SD_PLAIN_BLOCK;
    }
#endif
    o = ascii_bytes(o, p + i, len - i);
    *o++ = '"';
    return o;
}

/* ,"first_frame":F,"last_frame":L (a chunk's, a session's) */
static char *put_frames(char *o, uint64_t first, uint64_t last)
{
    o = PUT(o, ",\"first_frame\":");
    o = sd_put_u64(o, first);
    o = PUT(o, ",\"last_frame\":");
    return sd_put_u64(o, last);
}

/* Payload bytes a chunk's object renders. */
static size_t chunk_rendered(const sd_chunk *ch, size_t payload_max, const uint64_t *file_off)
{
    bool render = ch->kind == SD_CHUNK_DATA && ch->data && !file_off && payload_max;
    return render ? SD_MIN((size_t)ch->len, payload_max) : 0;
}

/* The most bytes chunk_json writes: the members but the payload's (under
 * 512: 9 keys, 5 numbers of at most 20 digits, a timestamp, 4 flag names)
 * and the payload (payload_json's bound). */
#define CHUNK_JSON_ROOM(rendered) (512 + 4 * (size_t)(rendered))

/* sd_chunk_json_ex's object at o (CHUNK_JSON_ROOM(chunk_rendered()) bytes
 * there); returns its end. */
static char *chunk_json(char *o, int dir, const sd_chunk *ch, size_t payload_max, const uint64_t *file_off)
{
    bool in_file = file_off != NULL;
    bool data = ch->kind == SD_CHUNK_DATA && ch->data;
    bool render = data && !in_file && payload_max;
    size_t len = chunk_rendered(ch, payload_max, file_off);
    o = dir ? PUT(o, "{\"dir\":\"resp\"") : PUT(o, "{\"dir\":\"orig\"");
    o = put_frames(o, ch->first_frame, ch->last_frame);
    o = PUT(o, ",\"ts\":");
    o = sd_json_put_ts(o, ch->ts);
    o = PUT(o, ",\"offset\":");
    o = sd_put_u64(o, ch->offset);
    o = PUT(o, ",\"len\":");
    o = sd_put_u64(o, ch->len);
    o = ch->kind == SD_CHUNK_GAP ? PUT(o, ",\"gap\":true,\"flags\":[") : PUT(o, ",\"gap\":false,\"flags\":[");
    int n = 0;
    for (unsigned bit = 1; bit && bit <= SD_CHUNKF_TRUNCATED; bit <<= 1)
        if (ch->flags & bit) {
            if (n++)
                *o++ = ',';
            const char *s = sd_chunk_flag_name(bit); /* plain ASCII words */
            *o++ = '"';
            o = put(o, s, strlen(s));
            *o++ = '"';
        }
    *o++ = ']';
    if (data && in_file && payload_max) {
        o = PUT(o, ",\"file_offset\":");
        o = sd_put_u64(o, *file_off);
    }
    else if (render) {
        o = payload_json(o, ch->data, len);
        if (len < ch->len)
            o = PUT(o, ",\"payload_cut\":true");
    }
    *o++ = '}';
    return o;
}

void sd_chunk_json_ex(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max, const uint64_t *file_off)
{
    char *o0 = buf_room(b, CHUNK_JSON_ROOM(chunk_rendered(ch, payload_max, file_off)));
    b->len += (size_t)(chunk_json(o0, dir, ch, payload_max, file_off) - o0);
}

void sd_chunk_json(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max)
{
    sd_chunk_json_ex(b, dir, ch, payload_max, NULL);
}

/* ---- sessions ---- */

typedef struct xdir {
    sd_sinkfile *f;   /* NULL until the first data byte */
    uint64_t fname;   /* f's name handle (sd_names) */
    uint64_t lead;    /* gap bytes before the file exists (leading NULs) */
    uint64_t bytes, gap_bytes, gaps, chunks, incons, after_fin, after_rst;
    uint64_t inlined; /* payload bytes rendered in the transcript */
    uint64_t hole_run;  /* hole bytes since the last data (the current hole) */
    bool run_cut;       /* the current hole was cut already */
    uint64_t runs_cut;  /* holes cut (for the totals of a chunk's sessions) */
    uint64_t cut, cut_at; /* hole bytes not written (max_hole), stream offset of the first cut */
    uint64_t nuls;      /* hole bytes written as NULs, all holes */
} xdir;

typedef struct xsess {
    xdir d[2];
    sd_sinkfile *tr; /* transcript JSON; NULL until the first chunk */
    uint64_t trname; /* tr's name handle */
    bool seen;       /* any chunk (data or gap) */
    uint64_t nchunks;
    bool truncated;
    bool closed;     /* the direction files were flushed at the close */
    sd_buf sigs;     /* the signatures found (sd_filesig), as JSON objects */
    uint64_t sig_total;
} xsess;

struct sd_extract {
    sd_extract_opts o;
    sd_filesink *sink;
    sd_sinkfile *index;
    sd_names *nm;
    sd_buf b;       /* transcript bytes being made */
    sd_buf line;    /* the summary of the session ending */
    sd_extract_stats st;
    sd_buf own;     /* opts.own: each session's part of st (sd_extract_own_stats) */
    sd_filesig *fs; /* the signature analyzer (not with flows_only) */
    int slot;       /* extract's slot in sd_conn.slot */
};

/* A sink file named base+ext, numbered as tcpflow numbers reused names;
 * *h is the name's handle, to release when the file is closed. */
static sd_sinkfile *named_file(sd_extract *x, const char *base, const char *ext, uint64_t *h)
{
    char name[SD_SINK_NAME_MAX];
    *h = sd_names_take(x->nm, base, ext, name, sizeof name);
    return sd_sinkfile_new(x->sink, name);
}

static void close_named(sd_extract *x, sd_sinkfile *f, uint64_t h)
{
    sd_sinkfile_close(x->sink, f);
    sd_names_release(x->nm, h);
}

static void *x_conn_new(void *ctx, sd_conn *c)
{
    if (c->ipproto != 6)
        return NULL;
    return sd_calloc(1, sizeof(xsess));
}

/* A string of ours (a uid, an address, a conn_state, a file name made from
 * addresses and ports): nothing in it needs escaping. */
static char *put_qstr(char *o, const char *s, size_t n)
{
    SD_CHECK(assert(sd_plain_run((const uint8_t *)s, n, '"', '\\') == n));
    *o++ = '"';
    o = put(o, s, n);
    *o++ = '"';
    return o;
}

/* The endpoints' members, after a '{': formatted directly, as the rest of
 * the session's records (sd_json's calls, a key and a value each, were
 * ~3,000 instructions for these and as many for the summary's counters,
 * a tenth of extract's engine thread on short sessions). */
#define ENDPOINTS_KEYS \
    "\"uid\":\"\",\"stream\":,\"ts\":,\"id.orig_h\":\"\",\"id.orig_p\":,\"id.resp_h\":\"\",\"id.resp_p\":,\"vlan\":"
#define U64_DIGITS 20 /* sd_put_u64's longest */
#define TS_ROOM 32    /* sd_json_put_ts's: its snprintf's bound, with the NUL */
/* The members' longest: their keys and quotes (ENDPOINTS_KEYS), a uid, a
 * stream number, a timestamp, two addresses and three 16-bit numbers
 * (ports, vlan) of 5 digits. */
#define ENDPOINTS_ROOM \
    (sizeof ENDPOINTS_KEYS + sizeof ((sd_conn *)0)->uid + U64_DIGITS + TS_ROOM + 2 * SD_ADDR_STRLEN + 3 * 5)
static char *put_endpoints(char *o, const sd_conn *c)
{
    char a[SD_ADDR_STRLEN];
    o = PUT(o, "\"uid\":");
    o = put_qstr(o, c->uid, strlen(c->uid));
    o = PUT(o, ",\"stream\":");
    o = sd_put_u64(o, c->id);
    o = PUT(o, ",\"ts\":");
    o = sd_json_put_ts(o, c->start);
    o = PUT(o, ",\"id.orig_h\":");
    sd_addr_str(&c->orig_h, a, sizeof a);
    o = put_qstr(o, a, strlen(a));
    o = PUT(o, ",\"id.orig_p\":");
    o = sd_put_u64(o, c->orig_p);
    o = PUT(o, ",\"id.resp_h\":");
    sd_addr_str(&c->resp_h, a, sizeof a);
    o = put_qstr(o, a, strlen(a));
    o = PUT(o, ",\"id.resp_p\":");
    o = sd_put_u64(o, c->resp_p);
    if (c->vlan) {
        o = PUT(o, ",\"vlan\":");
        o = sd_put_u64(o, c->vlan);
    }
    return o;
}

static void tr_append(sd_extract *x, xsess *s)
{
    sd_sinkfile_write(x->sink, s->tr, x->b.p, x->b.len);
    x->b.len = 0;
}

/* '{', the endpoints, ,"chunks":[ and its '\n' */
#define TR_START_ROOM (1 + ENDPOINTS_ROOM + sizeof ",\"chunks\":[\n")
static void tr_start(sd_extract *x, const sd_conn *c, xsess *s)
{
    char base[SD_FLOWNAME_LEN];
    sd_flowname(base, sizeof base, &c->orig_h, c->orig_p, &c->resp_h, c->resp_p, c->vlan);
    s->tr = named_file(x, base, ".json", &s->trname);
    char *o0 = buf_room(&x->b, TR_START_ROOM), *o = o0;
    *o++ = '{';
    o = put_endpoints(o, c);
    o = PUT(o, ",\"chunks\":[\n");
    SD_CHECK(assert((size_t)(o - o0) <= TR_START_ROOM));
    x->b.len += (size_t)(o - o0);
    tr_append(x, s);
}

/* A direction gets its file at its first data byte (as tcpflow: none for a
 * direction that only has gaps; a leading gap becomes leading NULs). */
static void dir_file(sd_extract *x, const sd_conn *c, xdir *d, int dir)
{
    char base[SD_FLOWNAME_LEN];
    if (dir == SD_DIR_ORIG)
        sd_flowname(base, sizeof base, &c->orig_h, c->orig_p, &c->resp_h, c->resp_p, c->vlan);
    else
        sd_flowname(base, sizeof base, &c->resp_h, c->resp_p, &c->orig_h, c->orig_p, c->vlan);
    d->f = named_file(x, base, "", &d->fname);
    sd_sinkfile_skip(d->f, d->lead);
}

/* How much of a gap the file keeps as NULs: all of it up to max_hole bytes
 * of one hole, and up to max_hole plus the file's data bytes of all its
 * holes together (many holes just under max_hole, a few bytes apart,
 * would make the same sparse file of the attacker's size; a long transfer
 * that lost packets has more data than holes and keeps its offsets). The
 * rest is counted (index: *_hole_bytes_cut) and not written, so later
 * bytes sit that much lower in the file than in the stream (the
 * transcript's file_offset follows the file). */
static uint64_t hole_keep(sd_extract *x, xdir *d, const sd_chunk *ch)
{
    uint64_t room = d->hole_run < x->o.max_hole ? x->o.max_hole - d->hole_run : 0;
    uint64_t total = x->o.max_hole > UINT64_MAX - d->bytes ? UINT64_MAX : x->o.max_hole + d->bytes;
    uint64_t all_room = d->nuls < total ? total - d->nuls : 0;
    if (all_room < room)
        room = all_room;
    uint64_t keep = ch->len < room ? ch->len : room;
    d->hole_run += ch->len;
    d->nuls += keep;
    if (keep < ch->len) {
        if (!d->cut)
            d->cut_at = ch->offset + keep;
        if (!d->run_cut)
            x->st.holes_cut++, d->runs_cut++;
        d->run_cut = true;
        d->cut += ch->len - keep;
        x->st.hole_bytes_cut += ch->len - keep;
    }
    return keep;
}

/* The chunk's bytes into the direction's file at their offset (a gap is a
 * hole: NULs); the file offset of the bytes. */
static uint64_t dir_chunk(sd_extract *x, const sd_conn *c, xsess *s, int dir, const sd_chunk *ch)
{
    xdir *d = &s->d[dir];
    d->chunks++;
    d->after_fin += !!(ch->flags & SD_CHUNKF_AFTER_FIN);
    d->after_rst += !!(ch->flags & SD_CHUNKF_AFTER_RST);
    if (ch->flags & SD_CHUNKF_TRUNCATED)
        s->truncated = true;
    if (ch->kind == SD_CHUNK_GAP) {
        d->gaps++;
        d->gap_bytes += ch->len;
        uint64_t keep = hole_keep(x, d, ch);
        if (d->f)
            sd_sinkfile_skip(d->f, keep);
        else
            d->lead += keep;
        return 0;
    }
    if (!ch->len || !ch->data)
        return 0;
    d->hole_run = 0;
    d->run_cut = false;
    if (!d->f)
        dir_file(x, c, d, dir);
    uint64_t off = sd_sinkfile_pos(d->f);
    d->bytes += ch->len;
    sd_sinkfile_write(x->sink, d->f, ch->data, ch->len);
    return off;
}

/* Before the next object of the transcript's "chunks" array: the
 * transcript exists, the previous object ends with ",\n". */
static void tr_next(sd_extract *x, const sd_conn *c, xsess *s)
{
    if (!s->tr)
        tr_start(x, c, s);
    if (s->nchunks++)
        sd_buf_append(&x->b, ",\n", 2);
}

/* A marker object (sd_markout's, as follow --json writes it) ends with
 * '\n'; in the array the separator ends the line instead. */
static void tr_marker_done(sd_extract *x, xsess *s)
{
    if (x->b.len && x->b.p[x->b.len - 1] == '\n')
        x->b.len--;
    tr_append(x, s);
}

static void x_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    sd_extract *x = ctx;
    xsess *s = st;
    xdir *d = &s->d[dir];
    s->seen = true;
    /* payload rendered in the transcript for the first inline_max bytes of
     * a direction, then referred to by its offset in the direction's file */
    bool data = ch->kind != SD_CHUNK_GAP && ch->len && ch->data;
    bool in_file = data && d->inlined >= x->o.inline_max;
    uint64_t file_off = dir_chunk(x, c, s, dir, ch);
    if (x->o.flows_only)
        return;
    if (ch->kind != SD_CHUNK_GAP && !in_file && ch->data)
        d->inlined += SD_MIN((size_t)ch->len, x->o.payload_max);
    const uint64_t *fo = in_file ? &file_off : NULL;
    if (!s->tr)
        tr_start(x, c, s);
    /* formatted in the transcript's pending block where it fits, else
     * in x->b and copied there */
    size_t need = 2 + CHUNK_JSON_ROOM(chunk_rendered(ch, x->o.payload_max, fo));
    char *o0 = sd_sinkfile_room(x->sink, s->tr, need), *o = o0;
    if (!o0) {
        tr_next(x, c, s);
        sd_chunk_json_ex(&x->b, dir, ch, x->o.payload_max, fo);
        tr_append(x, s);
        return;
    }
    if (s->nchunks++)
        o = PUT(o, ",\n");
    o = chunk_json(o, dir, ch, x->o.payload_max, fo);
    SD_CHECK(assert((size_t)(o - o0) <= need));
    sd_sinkfile_commit(x->sink, s->tr, (size_t)(o - o0));
}

/* At the close (both FINs or a RST) the direction files have their bytes,
 * but the session ends only after its 30 s linger: meanwhile their pending
 * bytes are queued, so the sink's memory holds only the transcripts of
 * lingering sessions. On short connections (brute force: ~2,000 sessions
 * in linger at 60 a second) it held all three files of each, over its
 * budget, which then wrote files before their end (a second open, write
 * and close each). Bytes that still come (after a FIN, a late
 * retransmission) are appended at the session's end as before. */
static void x_packet(void *ctx, sd_conn *c, void *st, const sd_pkt *p, int dir)
{
    (void)p, (void)dir;
    sd_extract *x = ctx;
    xsess *s = st;
    if (!c->closed || s->closed)
        return;
    s->closed = true;
    for (int d = 0; d < 2; d++)
        if (s->d[d].f)
            sd_sinkfile_flush(x->sink, s->d[d].f);
}

/* What sd_filesig found in the session, kept for its index line: called
 * before extract's own conn_end (sd_filesig is registered first). */
static void x_sigs(void *ud, const sd_conn *c, const sd_filesig_conn *r)
{
    sd_extract *x = ud;
    xsess *s = c->slot[x->slot];
    if (!s)
        return;
    s->sig_total = r->total[0] + r->total[1];
    for (size_t i = 0; i < r->events->n; i++) {
        const sd_event *e = &r->events->v[i];
        const sd_evfield *sig = sd_ev_get(e, "sig"), *off = sd_ev_get(e, "offset");
        if (i)
            sd_buf_append(&s->sigs, ",", 1);
        sd_json j = { .b = &s->sigs };
        sd_buf_append(&s->sigs, "{", 1);
        sd_json_str(&j, "sig", sig ? sig->s : "?");
        sd_json_str(&j, "dir", e->dir ? "resp" : "orig");
        sd_json_u64(&j, "offset", off ? (uint64_t)off->i : 0);
        sd_json_u64(&j, "first_frame", e->frame);
        sd_json_u64(&j, "last_frame", e->frame_last);
        sd_buf_append(&s->sigs, "}", 1);
    }
}

static char *put_name(char *o, const sd_sinkfile *f)
{
    if (!f)
        return PUT(o, "null");
    const char *n = sd_sinkfile_name(f);
    return put_qstr(o, n, strlen(n));
}

/* The per-direction members' keys, "orig_" or "resp_" + name, written out
 * (no key assembled per session). */
enum { K_BYTES, K_GAP_BYTES, K_GAPS, K_INCONS, K_AFTER_FIN, K_FILE, K_INCONS_BYTES, K_UNCHECKED, K_UNAPPLIED,
       K_URGENT, K_HOLE_CUT, K_FIRST_CUT, K_N };
#define DIR_KEYS(d) \
    { ",\"" d "_bytes\":", ",\"" d "_gap_bytes\":", ",\"" d "_gaps\":", ",\"" d "_inconsistent\":", \
      ",\"" d "_after_fin_chunks\":", ",\"" d "_file\":", ",\"" d "_inconsistent_bytes\":", \
      ",\"" d "_overlap_unchecked_bytes\":", ",\"" d "_overlap_policy_unapplied_bytes\":", \
      ",\"" d "_urgent_bytes\":", ",\"" d "_hole_bytes_cut\":", ",\"" d "_first_cut_offset\":" }
static const char *const DKEY[2][K_N] = { DIR_KEYS("orig"), DIR_KEYS("resp") };

static char *put_key_u64(char *o, const char *qkey, uint64_t v)
{
    return sd_put_u64(put(o, qkey, strlen(qkey)), v);
}

/* The fixed part of the summary: at most ENDPOINTS_ROOM, 24 keys of up to
 * 45 bytes with 20-digit numbers, three file names (the directions' and
 * the transcript's, quoted) and the other members (end, frames,
 * conn_state, truncated: under 200 bytes). */
#define SUMMARY_ROOM (ENDPOINTS_ROOM + 24 * 68 + 3 * SD_SINK_NAME_MAX + 512)

static char *put_dir_summary(char *o, const sd_conn *c, const xdir *d, int dir)
{
    const char *const *K = DKEY[dir];
    const uint64_t F[] = { d->bytes, d->gap_bytes, d->gaps, d->incons, d->after_fin };
    for (int i = K_BYTES; i <= K_AFTER_FIN; i++)
        o = put_key_u64(o, K[i], F[i]);
    o = put(o, K[K_FILE], strlen(K[K_FILE]));
    o = put_name(o, d->f);
    /* only when set: as conns -R */
    const uint64_t R[] = { c->d[dir].inconsistent_bytes, c->d[dir].unchecked_bytes,
                           c->d[dir].policy_unapplied_bytes, c->d[dir].urgent_bytes };
    for (int i = 0; i < (int)SD_ARRAY_LEN(R); i++)
        if (R[i])
            o = put_key_u64(o, K[K_INCONS_BYTES + i], R[i]);
    if (d->cut) { /* only then: an ordinary index line is unchanged */
        o = put_key_u64(o, K[K_HOLE_CUT], d->cut);
        o = put_key_u64(o, K[K_FIRST_CUT], d->cut_at);
    }
    return o;
}

/* The summary object shared by the index line and the transcript's end,
 * with its '\n'. */
static void summary_json(const sd_conn *c, const xsess *s, sd_buf *b)
{
    char *o0 = buf_room(b, SUMMARY_ROOM), *o = o0;
    *o++ = '{';
    o = put_endpoints(o, c);
    o = PUT(o, ",\"end\":");
    o = sd_json_put_ts(o, c->end);
    o = put_frames(o, c->first_frame, c->last_frame);
    o = PUT(o, ",\"conn_state\":");
    o = put_qstr(o, c->conn_state, strnlen(c->conn_state, sizeof c->conn_state));
    for (int dir = 0; dir < 2; dir++)
        o = put_dir_summary(o, c, &s->d[dir], dir);
    o = PUT(o, ",\"transcript\":");
    o = put_name(o, s->tr);
    o = s->truncated ? PUT(o, ",\"truncated\":true") : PUT(o, ",\"truncated\":false");
    o = PUT(o, ",\"signatures\":[");
    SD_CHECK(assert((size_t)(o - o0) <= SUMMARY_ROOM));
    b->len += (size_t)(o - o0);
    if (s->sigs.len)
        sd_buf_append(b, s->sigs.p, s->sigs.len);
    o0 = o = buf_room(b, 64);
    o = PUT(o, "],\"signatures_total\":");
    o = sd_put_u64(o, s->sig_total);
    o = PUT(o, "}\n");
    b->len += (size_t)(o - o0);
}

/* The transcript's end and the index line; the index line is queued after
 * the session's files are closed, and at once (a complete index for every
 * ended session, whenever the run stops). */
static void write_records(sd_extract *x, const sd_conn *c, xsess *s)
{
    sd_buf *line = &x->line;
    line->len = 0;
    summary_json(c, s, line);
    if (s->tr) {
        sd_buf_append(&x->b, "\n],\"summary\":", 13);
        sd_buf_append(&x->b, line->p, line->len - 1); /* without its '\n' */
        sd_buf_append(&x->b, "}\n", 2);
        tr_append(x, s);
        close_named(x, s->tr, s->trname);
    }
    for (int dir = 0; dir < 2; dir++)
        if (s->d[dir].f)
            close_named(x, s->d[dir].f, s->d[dir].fname);
    sd_sinkfile_write(x->sink, x->index, line->p, line->len);
    sd_sinkfile_flush(x->sink, x->index);
}

static void x_conn_end(void *ctx, sd_conn *c, void *st)
{
    sd_extract *x = ctx;
    xsess *s = st;
    x->st.sessions++;
    x->st.with_data += s->seen;
    x->st.truncated += s->truncated;
    x->st.sig_sessions += s->sig_total > 0;
    x->st.overlaps += s->d[0].incons + s->d[1].incons;
    x->st.unchecked_bytes += c->d[0].unchecked_bytes + c->d[1].unchecked_bytes;
    if (x->o.own)
        sd_buf_printf(&x->own, "{\"_own\":\"xst\",\"uid\":\"%s\",\"v\":[%d,%d,%d,%llu,%llu,%llu,%llu]}\n", c->uid,
                      s->seen, s->truncated, s->sig_total > 0,
                      (unsigned long long)(s->d[0].incons + s->d[1].incons),
                      (unsigned long long)(c->d[0].unchecked_bytes + c->d[1].unchecked_bytes),
                      (unsigned long long)(s->d[0].runs_cut + s->d[1].runs_cut),
                      (unsigned long long)(s->d[0].cut + s->d[1].cut));
    /* s->tr: a marker may have started the transcript before any chunk */
    if (!x->o.flows_only && (s->seen || s->tr || x->o.all))
        write_records(x, c, s);
    else
        for (int dir = 0; dir < 2; dir++)
            if (s->d[dir].f)
                close_named(x, s->d[dir].f, s->d[dir].fname);
    sd_buf_free(&s->sigs);
    free(s);
}

sd_extract *sd_extract_new(const sd_extract_opts *o, sd_filesink *sink)
{
    sd_extract *x = sd_calloc(1, sizeof *x);
    x->o = *o;
    if (!x->o.max_hole)
        x->o.max_hole = SD_EXTRACT_MAX_HOLE_DEFAULT;
    x->sink = sink;
    x->nm = sd_names_new(sink, o->fresh_dir, 0);
    if (!o->flows_only) {
        x->index = sd_sinkfile_new(sink, "index.jsonl");
        if (sd_sinkfile_create(sink, x->index) != 0) {
            sd_sinkfile_close(sink, x->index);
            sd_names_free(x->nm);
            free(x);
            return NULL;
        }
    }
    return x;
}

/* Every retransmission that carried different bytes, also of bytes already
 * delivered (no chunk is flagged then): counted in the index. */
static void x_incons(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_inconsistency *i)
{
    sd_extract *x = ctx;
    xsess *s = st;
    s->d[dir].incons++;
    if (x->o.flows_only)
        return;
    /* in place among the chunks, as follow --json shows it */
    tr_next(x, c, s);
    sd_overlap_json(&x->b, dir, i);
    tr_marker_done(x, s);
}

/* An urgent byte (counted in the index from the reassembler's totals):
 * marked in place in the transcript, as follow --json does. */
static void x_urgent(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_urgent *u)
{
    sd_extract *x = ctx;
    xsess *s = st;
    if (x->o.flows_only)
        return;
    tr_next(x, c, s);
    sd_urgent_json(&x->b, dir, u);
    tr_marker_done(x, s);
}

int sd_extract_attach(sd_extract *x, sd_engine *e)
{
    if (!x->o.flows_only) {
        x->fs = sd_filesig_new(&(sd_filesig_opts){ .done = x_sigs, .ud = x });
        sd_filesig_attach(x->fs, e);
    }
    sd_analyzer a = { .name = "extract", .conn_new = x_conn_new, .packet = x_packet, .chunk = x_chunk,
                      .inconsistency = x_incons, .urgent = x_urgent, .conn_end = x_conn_end, .ctx = x };
    x->slot = sd_engine_add(e, &a);
    return x->slot;
}

sd_extract_stats sd_extract_get_stats(const sd_extract *x)
{
    return x->st;
}

void sd_extract_own_stats(const sd_extract *x, sd_buf *b)
{
    sd_buf_append(b, x->own.p, x->own.len);
}

void sd_extract_index_append(sd_extract *x, const void *p, size_t len)
{
    if (x->index && len) {
        sd_sinkfile_write(x->sink, x->index, p, len);
        sd_sinkfile_flush(x->sink, x->index);
    }
}

void sd_extract_free(sd_extract *x)
{
    if (!x)
        return;
    if (x->index)
        sd_sinkfile_close(x->sink, x->index);
    sd_names_free(x->nm);
    sd_filesig_free(x->fs);
    sd_buf_free(&x->b);
    sd_buf_free(&x->line);
    sd_buf_free(&x->own);
    free(x);
}
