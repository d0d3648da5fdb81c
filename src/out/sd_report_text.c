/* sd_report_text: the terminal report (see sd_report.h). */
#include "sd_report_int.h"
#include "sd_text.h"

#include "../common/sd_origin.h"

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

static void tx_on(tx *t, const char *sgr)
{
    if (t->color)
        sd_buf_printf(t->b, "\033[%sm", sgr);
}

static void tx_off(tx *t)
{
    if (t->color)
        sd_buf_printf(t->b, "\033[0m");
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
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, "%-11s", k);
    tx_off(t);
    sd_buf_append(t->b, " ", 1);
    sd_text_puts(t->b, v);
    sd_buf_append(t->b, "\n", 1);
}

/* A key and a long value wrapped at spaces to w columns, continuation
 * lines aligned under the value. */
static void tx_kv_wrap(tx *t, const char *k, const char *v, size_t w)
{
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, "%-11s", k);
    tx_off(t);
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
        sd_buf_printf(t->b, "%*s", first ? 1 : 14, "");
        sd_buf_append(t->b, v, take);
        sd_buf_printf(t->b, "\n");
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
    sd_buf_printf(t->b, "%s %s  tcp.stream %llu  uid %s\n", rc->proto ? rc->proto : "TCP", ep,
                  (unsigned long long)c->id, c->uid);
    tx_off(t);
    snprintf(line, sizeof line, "%s  duration %.3f s  frames %llu-%llu", sd_ts_iso(c->start, ts, sizeof ts),
             sd_ts_sec(c->end - c->start), (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    tx_kv(t, "first", line);
    snprintf(line, sizeof line, "%llu (client %llu, server %llu)",
             (unsigned long long)(c->d[0].pkts + c->d[1].pkts), (unsigned long long)c->d[cd].pkts,
             (unsigned long long)c->d[!cd].pkts);
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
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, n ? "%s" : "%-11s", "findings");
    tx_off(t);
    if (!n) {
        sd_buf_printf(t->b, " none\n");
        return;
    }
    sd_buf_printf(t->b, "\n");
    for (int g = 0; g < G_N; g++) {
        if (!cnt[g])
            continue;
        sd_buf_printf(t->b, "    ");
        tx_on(t, GROUP_SGR[g]);
        sd_buf_printf(t->b, "%-19s", sdrp_group_name[g]);
        tx_off(t);
        sd_buf_printf(t->b, " %5zu  frames %llu-%llu\n", cnt[g], (unsigned long long)first[g],
                      (unsigned long long)last[g]);
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
        if (!firstl)
            sd_buf_printf(t->b, "\n%*s", (int)indent, "");
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
        sd_buf_printf(t->b, "%*s", (int)(fw + 2 - (strlen(f) < fw ? strlen(f) : fw)), "");
    } else if (known)
        sd_buf_printf(t->b, "%10llu ", (unsigned long long)ff);
    else
        sd_buf_printf(t->b, "%10s ", "-");
}

static void text_table(tx *t, const sd_report_conn *rc, const sd_event *const *v, size_t n, unsigned width)
{
    if (!n)
        return;
    size_t fw = files_width(v, n), fixed = TW_FIXED + (fw ? 11 + fw + 2 : 0);
    size_t nw = width > fixed + 12 ? width - fixed - 2 : 10;
    sd_buf_printf(t->b, "\n  ");
    tx_on(t, "1");
    sd_buf_printf(t->b, "%*s %s%*s %*s %-3s %-2s %-*s %*s  ", TW_FRAMES, "frame", fw ? "file_frame " : "", TW_TIME,
                  "rel_time", TW_DELTA, "delta", "leg", "", TW_KIND, "kind", TW_BYTES, "bytes");
    if (fw)
        sd_buf_printf(t->b, "%-*s  ", (int)fw, "file");
    sd_buf_printf(t->b, "note");
    tx_off(t);
    sd_buf_printf(t->b, "\n");
    sd_ts prev = 0;
    for (size_t i = 0; i < n; i++) {
        const sd_event *e = v[i];
        char fr[48], tm[24], dl[24], by[24], note[256], kind[TW_KIND + 1];
        sdrp_frames_str(e, fr, sizeof fr);
        snprintf(tm, sizeof tm, "%.3f", sd_ts_sec(e->ts - rc->conn->start));
        if (i)
            snprintf(dl, sizeof dl, "+%.3f", sd_ts_sec(e->ts - prev));
        else
            snprintf(dl, sizeof dl, "-");
        prev = e->ts;
        int64_t bytes = sdrp_ev_bytes(e);
        if (bytes >= 0)
            snprintf(by, sizeof by, "%lld", (long long)bytes);
        else
            snprintf(by, sizeof by, "-");
        snprintf(kind, sizeof kind, "%s", e->kind ? e->kind : "?");
        char raw[256];
        sdrp_ev_note(e, raw, sizeof raw);
        sd_text_safe(raw, note, sizeof note); /* fields may come from the capture */
        sd_buf_printf(t->b, "  %*s ", TW_FRAMES, fr);
        if (fw)
            text_origin(t, e->frame, fw, false);
        sd_buf_printf(t->b, "%*s %*s ", TW_TIME, tm, TW_DELTA, dl);
        if (e->leg != SD_LEG_FORWARD)
            tx_on(t, "35");
        sd_buf_printf(t->b, "%-3s", sdrp_leg_short(e->leg));
        if (e->leg != SD_LEG_FORWARD)
            tx_off(t);
        sd_buf_printf(t->b, " %-2s ", dir_arrow(e->dir));
        tx_on(t, GROUP_SGR[sdrp_group_of(e)]);
        sd_buf_printf(t->b, "%-*s", TW_KIND, kind);
        tx_off(t);
        sd_buf_printf(t->b, " %*s  ", TW_BYTES, by);
        if (fw)
            text_origin(t, e->frame, fw, true);
        text_note(t, note, nw, fixed + 2);
        sd_buf_printf(t->b, "\n");
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
        snprintf(f, sizeof f, "%s.stream eq %llu", rc->conn->ipproto == 17 ? "udp" : "tcp",
                 (unsigned long long)rc->conn->id);
        tx_kv(&t, "wireshark", f);
    }
    text_table(&t, rc, v, n, width);
    sd_buf_printf(b, "\n");
    free(v);
}
