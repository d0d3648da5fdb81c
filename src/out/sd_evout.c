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
    memmove(o, f, nf); /* the frame's digits again (20 at most), not a second conversion */
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
    const char *leg = sd_leg_name(e->leg);
    size_t nleg = strlen(leg);
    o = sd_buf_room(b, EV_MEMBER_ROOM);
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
