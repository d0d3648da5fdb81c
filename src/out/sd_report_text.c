/* sd_report_text: the terminal report (see sd_report.h). */
#include "sd_report_int.h"
#include "sd_json.h"
#include "sd_text.h"

#include "../common/sd_origin.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ANSI SGR codes per group (ECMA-48 8.3.117). */
static const char *const GROUP_SGR[G_N] = { "32", "36", "35", "95", "33", "34", "37" };

typedef struct tx {
    sd_buf *b;
    bool color;
    size_t vw;  /* columns for a key's value: longer ones wrap (tx_kv) */
} tx;

static const char *dir_arrow(int d)
{
    return d == 0 ? "->" : d == 1 ? "<-" : "  ";
}

/* The report's fields are appended, not printed: a connection's report is
 * ~35 fields, and printf's format parsing cost more than the rest of the
 * report (issue #11). The helpers below write the same bytes. */

static void put_str(sd_buf *b, const char *s)
{
    sd_buf_append(b, s, strlen(s));
}

static void put_spaces(sd_buf *b, size_t n)
{
    if (n)
        memset(sd_buf_extend(b, n), ' ', n);
}

/* s padded with spaces to w bytes: printf's "%-*s" (left) or "%*s"; a
 * longer s is not cut. */
static void put_pad(sd_buf *b, const char *s, size_t w, bool left)
{
    size_t n = strlen(s), pad = n < w ? w - n : 0;
    if (!left)
        put_spaces(b, pad);
    sd_buf_append(b, s, n);
    if (left)
        put_spaces(b, pad);
}

/* Room a number needs at a cursor: sd_json_put_fixed's 32, a u64's 20. */
#define NUM_ROOM 33

/* v with dec decimals at o (room NUM_ROOM), the bytes of "%.*f"; returns
 * the end, NUL-terminated. printf writes what sd_json_put_fixed does not
 * (nan, inf, |v| >= 2^63: no time difference of the capture's int64 ns
 * reaches it), cut to the room. */
static char *put_fixed_at(char *o, double v, int dec)
{
    char *e = isfinite(v) ? sd_json_put_fixed(o, v, dec) : NULL;
    if (!e) {
        int n = snprintf(o, NUM_ROOM, "%.*f", dec, v);
        if (n < 0)
            *o = '\0';
        return o + (n < 0 ? 0 : n < NUM_ROOM ? n : NUM_ROOM - 1);
    }
    *e = '\0';
    return e;
}

static char *put_u64_at(char *o, uint64_t v)
{
    char *e = sd_put_u64(o, v);
    *e = '\0';
    return e;
}

/* s at o, NUL-terminated; returns the end (the caller sized o for it). */
static char *put_str_at(char *o, const char *s)
{
    size_t n = strlen(s);
    memcpy(o, s, n + 1);
    return o + n;
}

static void tx_on(tx *t, const char *sgr)
{
    if (t->color) {
        sd_buf_append(t->b, "\033[", 2);
        put_str(t->b, sgr);
        sd_buf_append(t->b, "m", 1);
    }
}

static void tx_off(tx *t)
{
    if (t->color)
        sd_buf_append(t->b, "\033[0m", 4);
}

/* A key in the key column (dim when colored), padded to 11. */
static void tx_key(tx *t, const char *k)
{
    sd_buf_append(t->b, "  ", 2);
    tx_on(t, "2");
    put_pad(t->b, k, 11, true);
    tx_off(t);
}

static void tx_kv_wrap(tx *t, const char *k, const char *v, size_t w);

/* Values may hold capture strings (banners, algorithm names, host key
 * types): written terminal-safe; one longer than the width wraps. */
static void tx_kv(tx *t, const char *k, const char *v)
{
    if (*v && strlen(v) > t->vw) {
        tx_kv_wrap(t, k, v, t->vw);
        return;
    }
    tx_key(t, k);
    sd_buf_append(t->b, " ", 1);
    sd_text_puts(t->b, v);
    sd_buf_append(t->b, "\n", 1);
}

/* A key and a long value wrapped at spaces to w columns, continuation
 * lines aligned under the value. */
static void tx_kv_wrap(tx *t, const char *k, const char *v, size_t w)
{
    tx_key(t, k);
    sd_buf safe = { 0 }; /* capture strings: terminal-safe */
    sd_text_puts(&safe, v);
    sd_buf_append(&safe, "", 1);
    v = (const char *)safe.p;
    size_t n = strlen(v);
    bool first = true;
    while (n) {
        size_t take = n;
        if (take > w) {
            take = w;
            for (size_t i = w; i > w / 2; i--)
                if (v[i] == ' ') {
                    take = i;
                    break;
                }
        }
        put_spaces(t->b, first ? 1 : 14);
        sd_buf_append(t->b, v, take);
        sd_buf_append(t->b, "\n", 1);
        v += take;
        n -= take;
        while (n && *v == ' ') {
            v++;
            n--;
        }
        first = false;
    }
    sd_buf_free(&safe);
}

/* Appends s cut to at most w display columns (bytes: the report's text is
 * ASCII except for banners, which are cut the same way). */
static void put_cut(sd_buf *b, const char *s, size_t w)
{
    size_t n = strlen(s);
    if (n <= w) {
        sd_buf_append(b, s, n);
        return;
    }
    if (w > 3) {
        sd_buf_append(b, s, w - 3);
        sd_buf_append(b, "...", 3);
    }
}

static void text_header(tx *t, const sd_report_conn *rc, unsigned width)
{
    const sd_conn *c = rc->conn;
    int cd = rc->client_dir == SD_DIR_RESP ? 1 : 0;
    char ep[2 * SD_ADDR_STRLEN + 32], line[512], ts[40];
    sdrp_endpoints(c, rc->client_dir, ep, sizeof ep);
    tx_on(t, "1");
    char num[NUM_ROOM];
    put_str(t->b, rc->proto ? rc->proto : "TCP");
    sd_buf_append(t->b, " ", 1);
    put_str(t->b, ep);
    sd_buf_append(t->b, "  tcp.stream ", 13);
    put_u64_at(num, c->id);
    put_str(t->b, num);
    sd_buf_append(t->b, "  uid ", 6);
    put_str(t->b, c->uid);
    sd_buf_append(t->b, "\n", 1);
    tx_off(t);
    /* "%s  duration %.3f s  frames %llu-%llu": at most 40 + 44 + 2 * 20 */
    char *o = put_str_at(line, sd_ts_iso(c->start, ts, sizeof ts));
    o = put_str_at(o, "  duration ");
    o = put_fixed_at(o, sd_ts_sec(c->end - c->start), 3);
    o = put_str_at(o, " s  frames ");
    o = put_u64_at(o, c->first_frame);
    o = put_str_at(o, "-");
    put_u64_at(o, c->last_frame);
    tx_kv(t, "first", line);
    /* "%llu (client %llu, server %llu)" */
    o = put_u64_at(line, c->d[0].pkts + c->d[1].pkts);
    o = put_str_at(o, " (client ");
    o = put_u64_at(o, c->d[cd].pkts);
    o = put_str_at(o, ", server ");
    o = put_u64_at(o, c->d[!cd].pkts);
    put_str_at(o, ")");
    tx_kv(t, "packets", line);
    size_t vw = t->vw;
    sd_buf tmp = { 0 };
    for (size_t i = 0; i < rc->nrow; i++) {
        const sd_report_row *r = &rc->row[i];
        if (!(r->fl & SD_RROW_TERM))
            continue;
        if (r->fl & SD_RROW_WRAP) {
            tx_kv_wrap(t, r->key, r->val, vw);
            continue;
        }
        if (!(r->fl & SD_RROW_CUT)) {
            tx_kv(t, r->key, r->val);
            continue;
        }
        tmp.len = 0;
        put_cut(&tmp, r->val, vw);
        sd_buf_append(&tmp, "", 1);
        tx_kv(t, r->key, (char *)tmp.p);
    }
    sd_buf_free(&tmp);
}

static void text_summary(tx *t, const sd_event *const *v, size_t n)
{
    size_t cnt[G_N] = { 0 };
    uint64_t first[G_N] = { 0 }, last[G_N] = { 0 };
    for (size_t i = 0; i < n; i++) {
        int g = sdrp_group_of(v[i]);
        if (!cnt[g]++)
            first[g] = v[i]->frame;
        uint64_t l = v[i]->frame_last > v[i]->frame ? v[i]->frame_last : v[i]->frame;
        if (l > last[g])
            last[g] = l;
    }
    sd_buf_append(t->b, "  ", 2);
    tx_on(t, "2");
    put_pad(t->b, "findings", n ? 0 : 11, true);
    tx_off(t);
    if (!n) {
        sd_buf_append(t->b, " none\n", 6);
        return;
    }
    sd_buf_append(t->b, "\n", 1);
    for (int g = 0; g < G_N; g++) {
        if (!cnt[g])
            continue;
        char num[NUM_ROOM];
        sd_buf_append(t->b, "    ", 4);
        tx_on(t, GROUP_SGR[g]);
        put_pad(t->b, sdrp_group_name[g], 19, true);
        tx_off(t);
        sd_buf_append(t->b, " ", 1);
        put_u64_at(num, cnt[g]);
        put_pad(t->b, num, 5, false);
        sd_buf_append(t->b, "  frames ", 9);
        put_u64_at(num, first[g]);
        put_str(t->b, num);
        sd_buf_append(t->b, "-", 1);
        put_u64_at(num, last[g]);
        put_str(t->b, num);
        sd_buf_append(t->b, "\n", 1);
    }
}

/* Table columns; the note takes what is left of the width and wraps. */
#define TW_FRAMES 13
#define TW_TIME 9
#define TW_DELTA 9
#define TW_KIND 19
#define TW_BYTES 6
#define TW_FIXED (TW_FRAMES + 1 + TW_TIME + 1 + TW_DELTA + 1 + 3 + 1 + 2 + 1 + TW_KIND + 1 + TW_BYTES + 2)

static void text_note(tx *t, const char *note, size_t w, size_t indent)
{
    size_t n = strlen(note);
    bool firstl = true;
    while (n) {
        size_t take = n;
        if (take > w) {
            take = w;
            /* break at a space when there is one in the second half */
            for (size_t k = w; k > w / 2; k--)
                if (note[k] == ' ') {
                    take = k;
                    break;
                }
        }
        if (!firstl) {
            sd_buf_append(t->b, "\n", 1);
            put_spaces(t->b, indent);
        }
        sd_buf_append(t->b, note, take);
        note += take;
        n -= take;
        while (n && *note == ' ') {
            note++;
            n--;
        }
        firstl = false;
    }
}

/* Merged inputs: the width of the file column, the longest file name of
 * the rows (0: one file, no file columns; "-" for a frame past the merge
 * map's cap). */
static size_t files_width(const sd_event *const *v, size_t n)
{
    size_t w = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const char *f;
        uint64_t ff;
        if (sd_origin(v[i]->frame, &f, &ff)) {
            any = true;
            w = strlen(f) > w ? strlen(f) : w;
        }
    }
    return any ? (w > 4 ? w : 4) : 0;
}

/* With merged inputs a row's frame within its file after its frame, and
 * its file before the note (as `strider packets`): Wireshark opens a file. */
static void text_origin(tx *t, uint64_t frame, size_t fw, bool file_part)
{
    const char *f = "-";
    uint64_t ff;
    bool known = sd_origin(frame, &f, &ff);
    if (file_part) {
        sd_text_puts(t->b, f); /* a path given by the user, still terminal-safe */
        put_spaces(t->b, fw + 2 - (strlen(f) < fw ? strlen(f) : fw));
    } else {
        char num[NUM_ROOM];
        if (known)
            put_u64_at(num, ff);
        put_pad(t->b, known ? num : "-", 10, false);
        sd_buf_append(t->b, " ", 1);
    }
}

static void text_table(tx *t, const sd_report_conn *rc, const sd_event *const *v, size_t n, unsigned width)
{
    if (!n)
        return;
    size_t fw = files_width(v, n), fixed = TW_FIXED + (fw ? 11 + fw + 2 : 0);
    size_t nw = width > fixed + 12 ? width - fixed - 2 : 10;
    sd_buf_append(t->b, "\n  ", 3);
    tx_on(t, "1");
    put_pad(t->b, "frame", TW_FRAMES, false);
    put_str(t->b, fw ? " file_frame " : " ");
    put_pad(t->b, "rel_time", TW_TIME, false);
    sd_buf_append(t->b, " ", 1);
    put_pad(t->b, "delta", TW_DELTA, false);
    sd_buf_append(t->b, " leg    ", 8); /* "%-3s %-2s " of "leg", "" */
    put_pad(t->b, "kind", TW_KIND, true);
    sd_buf_append(t->b, " ", 1);
    put_pad(t->b, "bytes", TW_BYTES, false);
    sd_buf_append(t->b, "  ", 2);
    if (fw) {
        put_pad(t->b, "file", fw, true);
        sd_buf_append(t->b, "  ", 2);
    }
    sd_buf_append(t->b, "note", 4);
    tx_off(t);
    sd_buf_append(t->b, "\n", 1);
    sd_ts prev = 0;
    for (size_t i = 0; i < n; i++) {
        const sd_event *e = v[i];
        char fr[48], tm[NUM_ROOM], dl[NUM_ROOM + 1], by[NUM_ROOM], note[256], kind[TW_KIND + 1];
        sdrp_frames_str(e, fr, sizeof fr);
        put_fixed_at(tm, sd_ts_sec(e->ts - rc->conn->start), 3);
        if (i) {
            dl[0] = '+';
            put_fixed_at(dl + 1, sd_ts_sec(e->ts - prev), 3);
        } else
            put_str_at(dl, "-");
        prev = e->ts;
        int64_t bytes = sdrp_ev_bytes(e);
        if (bytes >= 0)
            put_u64_at(by, (uint64_t)bytes);
        else
            put_str_at(by, "-");
        const char *k = e->kind ? e->kind : "?"; /* cut to the column, as "%s" into kind */
        size_t kl = strnlen(k, TW_KIND);
        memcpy(kind, k, kl);
        kind[kl] = '\0';
        char raw[256];
        sdrp_ev_note(e, raw, sizeof raw);
        sd_text_safe(raw, note, sizeof note); /* fields may come from the capture */
        sd_buf_append(t->b, "  ", 2);
        put_pad(t->b, fr, TW_FRAMES, false);
        sd_buf_append(t->b, " ", 1);
        if (fw)
            text_origin(t, e->frame, fw, false);
        put_pad(t->b, tm, TW_TIME, false);
        sd_buf_append(t->b, " ", 1);
        put_pad(t->b, dl, TW_DELTA, false);
        sd_buf_append(t->b, " ", 1);
        if (e->leg != SD_LEG_FORWARD)
            tx_on(t, "35");
        put_pad(t->b, sdrp_leg_short(e->leg), 3, true);
        if (e->leg != SD_LEG_FORWARD)
            tx_off(t);
        sd_buf_append(t->b, " ", 1);
        put_pad(t->b, dir_arrow(e->dir), 2, true);
        sd_buf_append(t->b, " ", 1);
        tx_on(t, GROUP_SGR[sdrp_group_of(e)]);
        put_pad(t->b, kind, TW_KIND, true);
        tx_off(t);
        sd_buf_append(t->b, " ", 1);
        put_pad(t->b, by, TW_BYTES, false);
        sd_buf_append(t->b, "  ", 2);
        if (fw)
            text_origin(t, e->frame, fw, true);
        text_note(t, note, nw, fixed + 2);
        sd_buf_append(t->b, "\n", 1);
    }
}

void sd_report_text(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o)
{
    unsigned width = o && o->width ? o->width : 100;
    tx t = { b, o && o->color == SD_REPORT_COLOR_ALWAYS, width > 16 ? width - 14 : 20 };
    size_t n;
    const sd_event **v = sdrp_sorted_events(rc, o, &n);
    text_header(&t, rc, width);
    if (o && (o->zoom_first || o->zoom_last)) {
        char z[96];
        snprintf(z, sizeof z, "frames %llu-%llu only", (unsigned long long)o->zoom_first,
                 (unsigned long long)(o->zoom_last ? o->zoom_last : rc->conn->last_frame));
        tx_kv(&t, "zoom", z);
    }
    text_summary(&t, v, n);
    {
        char f[64];
        char *at = put_str_at(f, rc->conn->ipproto == 17 ? "udp" : "tcp"); /* "%s.stream eq %llu" */
        at = put_str_at(at, ".stream eq ");
        put_u64_at(at, rc->conn->id);
        tx_kv(&t, "wireshark", f);
    }
    text_table(&t, rc, v, n, width);
    sd_buf_append(b, "\n", 1);
    free(v);
}
