#include "sd_evout.h"

#include "../common/sd_origin.h"

#include "sd_text.h"

#include "sd_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* An event's uid array's size. */
#define SD_EVOUT_UID sizeof(((const sd_event *)0)->uid)

/* sd_evout_set_exact: a number field written with every digit. */
static bool g_exact;

void sd_evout_set_exact(bool on)
{
    g_exact = on;
}

/* Room an event line's members need past their strings: a member's
 * name of the program's own (the longest, "password_len_class", is 18)
 * with its quotes, colon and comma, and a number: 20 digits and a sign,
 * or a fixed decimal of sd_json_put_fixed (32), or "false". Each member
 * reserves it, and writes without further checks. */
#define EV_MEMBER_ROOM 64

/* Copies a string literal to o; returns the end. */
#define PUT_LIT(o, lit) (memcpy((o), (lit), sizeof(lit) - 1), (o) + sizeof(lit) - 1)

/* ,"key": for a key of the program's own or one a merge read back (never
 * escaped, as sd_json_key writes it: only the program's names reach a JSON
 * line), n bytes long. */
static void put_key_n(sd_buf *b, const char *key, size_t n)
{
    char *o = sd_buf_room(b, n + 4);
    *o++ = ',';
    *o++ = '"';
    if (n <= 32)
        sd_copy_short(o, key, n);
    else
        memcpy(o, key, n);
    o += n;
    *o++ = '"';
    *o++ = ':';
    sd_buf_set_end(b, o);
}

static void put_key(sd_buf *b, const char *key)
{
    put_key_n(b, key, strlen(key));
}

/* A number with dec decimals: sd_json_val_f64's bytes, without its call
 * for the values sd_json_put_fixed takes. */
static void put_fixed(sd_buf *b, double v, int dec)
{
    char *o = sd_buf_room(b, EV_MEMBER_ROOM), *e = isfinite(v) ? sd_json_put_fixed(o, v, dec) : NULL;
    if (e)
        sd_buf_set_end(b, e);
    else
        sd_json_val_f64(b, v, dec);
}

/* Confidences are a few constants of the rules (0.80, 0.90, ...): their
 * text remembered (sd_json_put_fixed_memo). */
static void put_confidence(sd_buf *b, double v)
{
    char *o = sd_buf_room(b, EV_MEMBER_ROOM);
    char *e = isfinite(v) ? sd_json_put_fixed_memo(o, v, 2) : NULL;
    if (e)
        sd_buf_set_end(b, e);
    else
        sd_json_val_f64(b, v, 2);
}

/* A number field: 6 decimals (docs/events.md), or, for the merge, the
 * shortest text that reads back as the same double (with a '.' or an
 * exponent, so that it does not read back as an integer field). */
static void put_num(sd_buf *b, double f)
{
    char t[40];
    if (!g_exact || !isfinite(f)) {
        put_fixed(b, f, 6);
        return;
    }
    snprintf(t, sizeof t, "%.17g", f);
    if (!strpbrk(t, ".e"))
        strcat(t, ".0");
    sd_buf_append(b, t, strlen(t));
}

/* Below 2^31 s (year 2038) a whole-microsecond time's exact digits are
 * what "%.6f" prints of sd_ts_sec: (double)t and the division by 1e9 err
 * by at most 128 + 120 ns there, under the half microsecond that would
 * round to another digit. sd_json_put_ts writes those digits without the
 * fixed-point arithmetic (a third of an event line's cost). */
#define TS_DIGITS_EXACT_MAX (((sd_ts)1 << 31) * SD_NS_PER_SEC)

/* An event's time: 6 decimals, as sd_json_val_f64 writes sd_ts_sec(t). */
static void put_ts(sd_buf *b, sd_ts t)
{
    if (t >= 0 && t < TS_DIGITS_EXACT_MAX && t % 1000 == 0) {
        char *o = sd_buf_room(b, EV_MEMBER_ROOM);
        sd_buf_set_end(b, sd_json_put_ts(o, t));
    } else {
        put_fixed(b, sd_ts_sec(t), 6);
    }
}

/* The members from "stream" to "frames": numbers only. */
static void put_where(sd_buf *b, const sd_event *e)
{
    char *o = sd_buf_room(b, 4 * EV_MEMBER_ROOM);
    o = PUT_LIT(o, ",\"stream\":");
    o = sd_put_u64(o, e->stream);
    o = PUT_LIT(o, ",\"ts\":");
    sd_buf_set_end(b, o);
    put_ts(b, e->ts);
    o = sd_buf_room(b, 3 * EV_MEMBER_ROOM);
    o = PUT_LIT(o, ",\"frame\":");
    char *f = o;
    o = sd_put_u64(o, e->frame);
    size_t nf = (size_t)(o - f);
    o = PUT_LIT(o, ",\"frames\":[");
    /* the frame's digits again (20 at most), not a second conversion: 24
     * bytes loaded before any is stored (the two runs may overlap), all
     * inside the room above, not a memmove call (~20 instructions a line) */
    char d[24];
    _Static_assert(3 * EV_MEMBER_ROOM >= sizeof ",\"frame\":" + sizeof ",\"frames\":[" + 20 + sizeof d + 22,
                   "the frame's 24-byte copy and the last frame stay inside the room");
    memcpy(d, f, sizeof d);
    memcpy(o, d, sizeof d);
    o += nf;
    *o++ = ',';
    o = sd_put_u64(o, e->frame_last);
    *o++ = ']';
    sd_buf_set_end(b, o);
}

/* A kind's own field: its key and value. */
static void put_field(sd_buf *b, const sd_evfield *f)
{
    put_key_n(b, f->key, f->klen ? f->klen : strlen(f->key));
    switch (f->type) {
    case SD_EVF_STR: sd_json_escape(b, f->s, strlen(f->s)); break;
    case SD_EVF_INT: { /* sd_json_val_i64's text, in place */
        char *o = sd_buf_room(b, EV_MEMBER_ROOM);
        if (f->i < 0)
            *o++ = '-';
        sd_buf_set_end(b, sd_put_u64(o, f->i < 0 ? 0 - (uint64_t)f->i : (uint64_t)f->i));
        break;
    }
    case SD_EVF_NUM: put_num(b, f->f); break;
    case SD_EVF_BOOL: sd_json_val_bool(b, f->b); break;
    }
}

/* The uid's JSON string: the last one's remembered per thread (a
 * connection's events come together, three or four of them), its
 * escaping and measuring done once. The whole uid array is compared
 * (an event zero-fills it before the uid is copied in). */
static void put_uid(sd_buf *b, const char uid[SD_EVOUT_UID])
{
    static _Thread_local struct {
        char uid[SD_EVOUT_UID];
        uint8_t len; /* 0: empty */
        char json[2 * SD_EVOUT_UID + 8]; /* quoted; a uid that needs more is not kept */
    } memo;
    if (memo.len && memcmp(memo.uid, uid, SD_EVOUT_UID) == 0) {
        memcpy(sd_buf_room(b, sizeof memo.json), memo.json, sizeof memo.json); /* whole: no call */
        b->len += memo.len;
        return;
    }
    size_t at = b->len;
    sd_json_escape(b, uid, strnlen(uid, SD_EVOUT_UID));
    size_t n = b->len - at;
    memo.len = 0;
    if (n <= sizeof memo.json) {
        memcpy(memo.uid, uid, SD_EVOUT_UID);
        memcpy(memo.json, b->p + at, n);
        memo.len = (uint8_t)n;
    }
}

/* The members from "leg" to the line's end: what an event is, not where.
 * A capture's many short connections repeat them exactly (a brute force's
 * host_key_check, auth_attempt and auth_closed lines differ only in uid,
 * stream, time and frames). */
static void put_tail(sd_buf *b, const sd_event *e)
{
    const char *leg = sd_leg_name(e->leg);
    size_t nleg = strlen(leg);
    char *o = sd_buf_room(b, EV_MEMBER_ROOM);
    o = PUT_LIT(o, ",\"leg\":\"");
    memcpy(o, leg, nleg);
    o = PUT_LIT(o + nleg, "\",\"kind\":");
    sd_buf_set_end(b, o);
    sd_json_escape(b, e->kind, strlen(e->kind));
    if (e->dir >= 0) {
        o = sd_buf_room(b, EV_MEMBER_ROOM);
        sd_buf_set_end(b, e->dir == 0 ? PUT_LIT(o, ",\"dir\":\"c2s\"") : PUT_LIT(o, ",\"dir\":\"s2c\""));
    }
    if (e->confidence >= 0) {
        o = sd_buf_room(b, EV_MEMBER_ROOM);
        sd_buf_set_end(b, PUT_LIT(o, ",\"confidence\":"));
        put_confidence(b, e->confidence);
    }
    for (uint8_t i = 0; i < e->nf; i++)
        put_field(b, &e->f[i]);
    if (e->note[0]) {
        o = sd_buf_room(b, EV_MEMBER_ROOM);
        sd_buf_set_end(b, PUT_LIT(o, ",\"note\":"));
        sd_json_escape(b, e->note, strlen(e->note));
    }
    sd_buf_append(b, "}\n", 2);
}

/* ---- the tail memo (sd_evout.h) ----
 *
 * The text put_tail wrote for the last few distinct tails, per thread,
 * with a copy of everything it read: a line whose tail inputs equal a
 * kept one's byte for byte (kind, leg, dir, confidence's and numbers'
 * bits, each field's key, type and value, the note, the number mode)
 * copies its text; anything else is written in full. Strings are compared
 * by content, never by address (a merge's keys live in reused buffers).
 * EVMEMO_SETS sets of EVMEMO_WAYS tails: a line looks in the one set its
 * kind, shape and direction pick, and a new tail replaces the set's
 * oldest. Tails past EVMEMO_TEXT bytes, or with a kind or key past
 * EVMEMO_NAME, are written each time; so are most tails of a set that
 * missed EVMEMO_STREAK times in a row. Counted (sd_evout_memo_stats).
 * Its memory is fixed: ~42 kB of each thread's static TLS (the program's
 * threads have the default stacks). */
#define EVMEMO_SETS 4u
#define EVMEMO_WAYS 4u
#define EVMEMO_TEXT 1024u
#define EVMEMO_NAME 32u
#define EVMEMO_STREAK 16u

typedef struct evtail_field {
    char key[EVMEMO_NAME]; /* NUL-terminated copy */
    uint8_t klen;
    sd_evf_type type;
    char s[SD_EV_STRLEN];
    int64_t i;
    uint64_t fbits; /* the double's bits: -0.0 and every NaN apart */
    bool b;
} evtail_field;

typedef struct evtail {
    bool used, exact;
    sd_leg leg;
    int dir;
    uint64_t cbits; /* confidence's bits */
    uint8_t nf;
    uint16_t tlen;
    char kind[EVMEMO_NAME];
    evtail_field f[SD_EV_MAX_FIELDS];
    char note[sizeof(((const sd_event *)0)->note)];
    char text[EVMEMO_TEXT];
} evtail;

static _Thread_local struct {
    evtail t[EVMEMO_SETS][EVMEMO_WAYS];
    uint8_t next[EVMEMO_SETS]; /* the way a new tail takes */
    uint32_t streak[EVMEMO_SETS]; /* misses since the set's last hit */
    sd_evout_memo_count n;
} g_tm;

void sd_evout_memo_reset(void)
{
    memset(&g_tm, 0, sizeof g_tm);
}

void sd_evout_memo_stats(sd_evout_memo_count *c)
{
    *c = g_tm.n;
    c->held = 0;
    for (unsigned s = 0; s < EVMEMO_SETS; s++)
        for (unsigned w = 0; w < EVMEMO_WAYS; w++)
            c->held += g_tm.t[s][w].used;
}

static uint64_t dbits(double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    return u;
}

static size_t key_len(const sd_evfield *f)
{
    return f->klen ? f->klen : strlen(f->key);
}

/* A tail's set: any function of its inputs would be correct (the lookup
 * compares them all); this one keeps a kind's shapes together. */
static unsigned tail_set(const sd_event *e)
{
    unsigned h = (unsigned char)e->kind[0] * 7u + e->nf * 13u + (unsigned)(e->dir + 1) * 5u + (unsigned)e->leg;
    if (e->kind[0])
        h += (unsigned char)e->kind[1] * 3u;
    return h % EVMEMO_SETS;
}

/* Whether n (< EVMEMO_NAME) bytes at a and b are equal: words that may
 * overlap, not a memcmp call (a key per field, six fields a line). */
static inline bool name_eq(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    if (n >= 8) {
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t u, v, w, z;
        memcpy(&u, a, 4);
        memcpy(&v, b, 4);
        memcpy(&w, a + n - 4, 4);
        memcpy(&z, b + n - 4, 4);
        return u == v && w == z;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool field_same(const evtail_field *t, const sd_evfield *f)
{
    size_t kl = key_len(f);
    if (t->type != f->type || t->klen != kl || !name_eq(t->key, f->key, kl))
        return false;
    switch (f->type) {
    case SD_EVF_STR: return strcmp(t->s, f->s) == 0;
    case SD_EVF_INT: return t->i == f->i;
    case SD_EVF_NUM: return t->fbits == dbits(f->f);
    case SD_EVF_BOOL: return t->b == f->b;
    }
    return true; /* a type no writer prints: the same key, the same nothing */
}

static bool tail_same(const evtail *t, const sd_event *e)
{
    if (!t->used || t->nf != e->nf || t->leg != e->leg || t->dir != e->dir || t->exact != g_exact ||
        t->cbits != dbits(e->confidence) || strcmp(t->kind, e->kind) != 0)
        return false;
    for (uint8_t i = 0; i < e->nf; i++)
        if (!field_same(&t->f[i], &e->f[i]))
            return false;
    return strcmp(t->note, e->note) == 0;
}

/* Whether e's tail fits a slot: names short enough to copy whole. */
static bool tail_keepable(const sd_event *e, size_t tlen)
{
    if (tlen > EVMEMO_TEXT || strlen(e->kind) >= EVMEMO_NAME || e->nf > SD_EV_MAX_FIELDS)
        return false;
    for (uint8_t i = 0; i < e->nf; i++)
        if (key_len(&e->f[i]) >= EVMEMO_NAME)
            return false;
    return true;
}

static void tail_keep(evtail *t, const sd_event *e, const uint8_t *text, size_t tlen)
{
    t->used = true;
    t->exact = g_exact;
    t->leg = e->leg;
    t->dir = e->dir;
    t->cbits = dbits(e->confidence);
    t->nf = e->nf;
    strcpy(t->kind, e->kind); /* measured by tail_keepable */
    for (uint8_t i = 0; i < e->nf; i++) {
        const sd_evfield *f = &e->f[i];
        evtail_field *g = &t->f[i];
        size_t kl = key_len(f);
        memcpy(g->key, f->key, kl);
        g->key[kl] = '\0';
        g->klen = (uint8_t)kl;
        g->type = f->type;
        memcpy(g->s, f->s, sizeof g->s); /* the whole array: its NUL within */
        g->i = f->i;
        g->fbits = dbits(f->f);
        g->b = f->b;
    }
    memcpy(t->note, e->note, sizeof t->note);
    t->tlen = (uint16_t)tlen;
    memcpy(t->text, text, tlen);
}

/* put_tail's text, from the memo when a kept tail has e's inputs. */
static void put_tail_memo(sd_buf *b, const sd_event *e)
{
    unsigned s = tail_set(e);
    for (unsigned w = 0; w < EVMEMO_WAYS; w++) {
        const evtail *t = &g_tm.t[s][w];
        if (tail_same(t, e)) {
            memcpy(sd_buf_room(b, t->tlen), t->text, t->tlen);
            b->len += t->tlen;
            g_tm.n.hits++;
            g_tm.streak[s] = 0;
            return;
        }
    }
    size_t at = b->len;
    put_tail(b, e);
    size_t tlen = b->len - at;
    if (!tail_keepable(e, tlen)) {
        g_tm.n.unkept++;
        return;
    }
    /* a set that keeps missing (every line another: a campaign's per
     * client events, a hostile stream) keeps one tail in EVMEMO_STREAK:
     * keeping costs more than the line, and a tail that starts repeating
     * is still taken soon */
    if (++g_tm.streak[s] > EVMEMO_STREAK && g_tm.streak[s] % EVMEMO_STREAK != 0) {
        g_tm.n.passed++;
        return;
    }
    evtail *t = &g_tm.t[s][g_tm.next[s]];
    g_tm.n.misses++;
    g_tm.n.replaced += t->used;
    g_tm.next[s] = (uint8_t)((g_tm.next[s] + 1) % EVMEMO_WAYS);
    tail_keep(t, e, b->p + at, tlen);
}

/* One line built in place in b: the fixed members' names are literals
 * (no key lengths, no comma bookkeeping), the program's own values (leg,
 * dir) are written unescaped, and only the strings that may hold a
 * capture's or a merged file's bytes go through sd_json_escape. */
void sd_evout_json(sd_buf *b, const sd_event *e)
{
    char *o = sd_buf_room(b, EV_MEMBER_ROOM);
    sd_buf_set_end(b, PUT_LIT(o, "{\"type\":\"event\",\"uid\":"));
    put_uid(b, e->uid);
    put_where(b, e);
    const char *file;
    uint64_t ff;
    if (sd_origin(e->frame, &file, &ff)) { /* merged inputs: where to look */
        put_key(b, "file");
        sd_json_escape(b, file, strlen(file));
        put_key(b, "file_frame");
        sd_json_val_u64(b, ff);
    }
    put_tail_memo(b, e);
}

/* Text of the program's own (or a merged line's key), as "%s" writes it. */
static void put_s(sd_buf *b, const char *s)
{
    sd_buf_append(b, s, strlen(s));
}

/* "key=value" pairs without printf (CSV and text rows: several per
 * event); numbers as "%lld" and "%.3f" write them. */
void sd_evout_details(sd_buf *b, const sd_event *e)
{
    for (uint8_t i = 0; i < e->nf; i++) {
        const sd_evfield *f = &e->f[i];
        if (i)
            sd_buf_append(b, " ", 1);
        put_s(b, f->key);
        sd_buf_append(b, "=", 1);
        switch (f->type) {
        case SD_EVF_STR: sd_text_puts(b, f->s); break; /* values may come from the capture: terminal-safe */
        case SD_EVF_INT: { /* sd_json_val_i64's text, in place */
        char *o = sd_buf_room(b, EV_MEMBER_ROOM);
        if (f->i < 0)
            *o++ = '-';
        sd_buf_set_end(b, sd_put_u64(o, f->i < 0 ? 0 - (uint64_t)f->i : (uint64_t)f->i));
        break;
    }
        case SD_EVF_NUM: sd_buf_fixed(b, f->f, 3); break;
        case SD_EVF_BOOL: put_s(b, f->b ? "true" : "false"); break;
        }
    }
}

void sd_csv_origin(sd_buf *b, uint64_t frame)
{
    const char *file;
    uint64_t ff;
    if (!sd_origin(frame, &file, &ff)) {
        sd_buf_append(b, ",", 1);
        return;
    }
    sd_csv_field(b, file);
    sd_buf_printf(b, ",%llu", (unsigned long long)ff);
}

void sd_evout_csv_header(sd_buf *b)
{
    sd_buf_printf(b, "uid,stream,ts,frame,frame_last,file,file_frame,leg,kind,dir,confidence,details,note\n");
}

void sd_evout_csv(sd_buf *b, const sd_event *e)
{
    const char *file;
    uint64_t ff;
    bool origin = sd_origin(e->frame, &file, &ff);
    sd_evout_csv_at(b, e, origin ? file : NULL, ff);
}

void sd_evout_csv_at(sd_buf *b, const sd_event *e, const char *file, uint64_t file_frame)
{
    sd_buf d = { 0 };
    sd_evout_details(&d, e);
    sd_buf_append(&d, "", 1);
    sd_csv_field(b, e->uid);
    sd_buf_append(b, ",", 1);
    sd_json_val_u64(b, e->stream);
    sd_buf_append(b, ",", 1);
    sd_buf_fixed(b, sd_ts_sec(e->ts), 6);
    sd_buf_append(b, ",", 1);
    sd_json_val_u64(b, e->frame);
    sd_buf_append(b, ",", 1);
    sd_json_val_u64(b, e->frame_last);
    sd_buf_append(b, ",", 1);
    if (file) {
        sd_csv_field(b, file);
        sd_buf_append(b, ",", 1);
        sd_json_val_u64(b, file_frame);
    } else
        sd_buf_append(b, ",", 1);
    sd_buf_append(b, ",", 1);
    put_s(b, sd_leg_name(e->leg));
    sd_buf_append(b, ",", 1);
    put_s(b, e->kind);
    sd_buf_append(b, ",", 1);
    put_s(b, e->dir < 0 ? "" : e->dir == 0 ? "c2s" : "s2c");
    sd_buf_append(b, ",", 1);
    if (e->confidence >= 0)
        sd_buf_fixed(b, e->confidence, 2);
    sd_buf_append(b, ",", 1);
    sd_csv_field(b, (const char *)d.p);
    sd_buf_append(b, ",", 1);
    sd_csv_text(b, e->note); /* may quote the capture, as the text output's */
    sd_buf_append(b, "\n", 1);
    sd_buf_free(&d);
}

void sd_evout_text(sd_buf *b, const sd_event *e, sd_ts prev_ts, bool have_prev)
{
    char t[40], dl[24] = "-";
    if (have_prev)
        snprintf(dl, sizeof dl, "%+.3f", sd_ts_sec(e->ts - prev_ts));
    sd_buf d = { 0 };
    sd_evout_details(&d, e);
    sd_buf_append(&d, "", 1);
    sd_buf_printf(b, "  %7llu  %s  %9s  %-7s  %-19s  %s", (unsigned long long)e->frame, sd_ts_str(e->ts, t, sizeof t),
                  dl, sd_leg_name(e->leg), e->kind, (const char *)d.p);
    if (e->note[0]) {
        sd_buf_append(b, "  # ", 4);
        sd_text_puts(b, e->note);
    }
    sd_buf_append(b, "\n", 1);
    sd_buf_free(&d);
}
