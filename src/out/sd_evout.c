#include "sd_evout.h"

#include "../common/sd_origin.h"

#include "sd_text.h"

#include "sd_json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* sd_evout_set_exact: a number field written with every digit. */
static bool g_exact;

void sd_evout_set_exact(bool on)
{
    g_exact = on;
}

/* A number field: 6 decimals (docs/events.md), or, for the merge, the
 * shortest text that reads back as the same double (with a '.' or an
 * exponent, so that it does not read back as an integer field). */
static void json_num(sd_json *j, const char *key, double f)
{
    char t[40];
    if (!g_exact || !isfinite(f)) {
        sd_json_f64(j, key, f, 6);
        return;
    }
    snprintf(t, sizeof t, "%.17g", f);
    if (!strpbrk(t, ".e"))
        strcat(t, ".0");
    sd_json_key(j, key);
    sd_buf_append(j->b, t, strlen(t));
}

void sd_evout_json(sd_buf *b, const sd_event *e)
{
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "type", "event");
    sd_json_str(&j, "uid", e->uid);
    sd_json_u64(&j, "stream", e->stream);
    sd_json_f64(&j, "ts", sd_ts_sec(e->ts), 6);
    sd_json_u64(&j, "frame", e->frame);
    sd_json_key(&j, "frames");
    char fr[48], *o = fr;
    *o++ = '[';
    o = sd_json_put_u64(o, e->frame);
    *o++ = ',';
    o = sd_json_put_u64(o, e->frame_last);
    *o++ = ']';
    sd_buf_append(b, fr, (size_t)(o - fr));
    const char *file;
    uint64_t ff;
    if (sd_origin(e->frame, &file, &ff)) { /* merged inputs: where to look */
        sd_json_str(&j, "file", file);
        sd_json_u64(&j, "file_frame", ff);
    }
    sd_json_str(&j, "leg", sd_leg_name(e->leg));
    sd_json_str(&j, "kind", e->kind);
    if (e->dir >= 0)
        sd_json_str(&j, "dir", e->dir == 0 ? "c2s" : "s2c");
    if (e->confidence >= 0)
        sd_json_f64(&j, "confidence", e->confidence, 2);
    for (uint8_t i = 0; i < e->nf; i++) {
        const sd_evfield *f = &e->f[i];
        switch (f->type) {
        case SD_EVF_STR: sd_json_str(&j, f->key, f->s); break;
        case SD_EVF_INT: sd_json_i64(&j, f->key, f->i); break;
        case SD_EVF_NUM: json_num(&j, f->key, f->f); break;
        case SD_EVF_BOOL: sd_json_bool(&j, f->key, f->b); break;
        }
    }
    if (e->note[0])
        sd_json_str(&j, "note", e->note);
    sd_json_end(&j);
}

void sd_evout_details(sd_buf *b, const sd_event *e)
{
    for (uint8_t i = 0; i < e->nf; i++) {
        const sd_evfield *f = &e->f[i];
        if (i)
            sd_buf_append(b, " ", 1);
        switch (f->type) {
        case SD_EVF_STR: /* values may come from the capture: terminal-safe */
            sd_buf_printf(b, "%s=", f->key);
            sd_text_puts(b, f->s);
            break;
        case SD_EVF_INT: sd_buf_printf(b, "%s=%lld", f->key, (long long)f->i); break;
        case SD_EVF_NUM: sd_buf_printf(b, "%s=%.3f", f->key, f->f); break;
        case SD_EVF_BOOL: sd_buf_printf(b, "%s=%s", f->key, f->b ? "true" : "false"); break;
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
    sd_buf_printf(b, ",%llu,%.6f,%llu,%llu,", (unsigned long long)e->stream, sd_ts_sec(e->ts),
                  (unsigned long long)e->frame, (unsigned long long)e->frame_last);
    if (file) {
        sd_csv_field(b, file);
        sd_buf_printf(b, ",%llu", (unsigned long long)file_frame);
    } else
        sd_buf_append(b, ",", 1);
    sd_buf_printf(b, ",%s,%s,%s,", sd_leg_name(e->leg), e->kind, e->dir < 0 ? "" : e->dir == 0 ? "c2s" : "s2c");
    if (e->confidence >= 0)
        sd_buf_printf(b, "%.2f", e->confidence);
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
