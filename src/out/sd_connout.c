/* sd_connout: conns' records (see sd_connout.h). */
#include "sd_connout.h"

#include "../common/sd_origin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 96
/* Text rows held to size the table's columns before the first is written:
 * a result this small looks as if sized on every row; a larger one streams. */
#define TEXT_HOLD_ROWS 1000

struct sd_connout {
    sd_connout_opts o;
    const sd_field *selv[MAX_COLS]; /* the columns */
    size_t ncol;
    sd_recout *w;
    bool in_place;                  /* JSON of every field: sd_conn_json */
    uint64_t written;
    bool live;
    sd_conn *v;                     /* --sort: every kept connection */
    size_t n, cap;
};

/* The columns: --fields, or the text default, or every field (the
 * optional ones, reassembly's, only on request). */
static int select_fields(sd_connout *w, char *err, size_t errlen)
{
    int ncol = 0;
    if (w->o.fields || w->o.fmt == SD_REC_TEXT) {
        ncol = sd_fields_select(&sd_conn_fields, w->o.fields ? w->o.fields : sd_conn_text_default, w->selv,
                                MAX_COLS, err, errlen);
        if (ncol < 0)
            return -1;
    } else {
        ncol = (int)sd_fields_all(&sd_conn_fields, w->o.optional, w->selv, MAX_COLS);
        w->in_place = w->o.fmt == SD_REC_JSON;
    }
    w->ncol = (size_t)ncol;
    return 0;
}

sd_connout *sd_connout_new(const sd_connout_opts *o, char *err, size_t errlen)
{
    sd_connout *w = sd_calloc(1, sizeof *w);
    w->o = *o;
    if (select_fields(w, err, errlen)) {
        free(w);
        return NULL;
    }
    return w;
}

/* The writer, made with the first record for text: only once frames are
 * read does the capture know whether inputs were merged, and then each
 * row also names its file and first frame there, as JSON and CSV do. */
static void start(sd_connout *w, sd_buf *out)
{
    const char *file;
    uint64_t ff;
    if (w->w)
        return;
    if (w->o.fmt == SD_REC_TEXT && !w->o.fields && sd_origin(sd_origin_first(), &file, &ff)) {
        char cols[512], err[128]; /* known names: no error */
        snprintf(cols, sizeof cols, "%s,file,file_first_frame", sd_conn_text_default);
        int n = sd_fields_select(&sd_conn_fields, cols, w->selv, MAX_COLS, err, sizeof err);
        if (n > 0)
            w->ncol = (size_t)n;
    }
    w->w = sd_recout_new(w->o.fmt, w->selv, w->ncol, "conn", w->live ? 0 : TEXT_HOLD_ROWS);
    sd_recout_begin(w->w, out);
}

void sd_connout_begin(sd_connout *w, sd_buf *out, bool live)
{
    w->live = live;
    if (w->o.fmt != SD_REC_TEXT)
        start(w, out);
}

static bool keep(const sd_connout_opts *o, const sd_conn *c)
{
    if (o->proto && strcmp(o->proto, c->ipproto == 6 ? "tcp" : c->ipproto == 17 ? "udp" : "") != 0)
        return false;
    if (o->host && sd_addr_cmp(&c->orig_h, o->host) && sd_addr_cmp(&c->resp_h, o->host))
        return false;
    if (o->port >= 0 && c->orig_p != o->port && c->resp_p != o->port)
        return false;
    return sd_filter_match(o->where, c);
}

static bool write_conn(sd_connout *w, sd_buf *out, const sd_conn *c)
{
    if (w->written >= w->o.limit)
        return true;
    start(w, out);
    if (w->in_place)
        sd_conn_json(out, c, w->o.optional);
    else
        sd_recout_record(w->w, out, c);
    return ++w->written == w->o.limit;
}

bool sd_connout_add(sd_connout *w, sd_buf *out, const sd_conn *c)
{
    if (!keep(&w->o, c))
        return false;
    if (!w->o.sort)
        return write_conn(w, out, c);
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->v = sd_reallocarray(w->v, w->cap, sizeof *w->v);
    }
    w->v[w->n] = *c;
    memset(w->v[w->n].slot, 0, sizeof w->v[w->n].slot);
    w->n++;
    return false;
}

static const sd_field *g_sort; /* qsort's comparator has no context */
static bool g_desc;

static int cmp_conn(const void *a, const void *b)
{
    const sd_conn *x = a, *y = b;
    if (g_sort) {
        int c = sd_field_cmp(g_sort, x, y);
        if (c)
            return g_desc ? -c : c;
    }
    return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

void sd_connout_end(sd_connout *w, sd_buf *out)
{
    if (w->o.sort) {
        g_sort = w->o.sort;
        g_desc = w->o.desc;
        if (w->n > 1)
            qsort(w->v, w->n, sizeof *w->v, cmp_conn);
        for (size_t i = 0; i < w->n; i++)
            write_conn(w, out, &w->v[i]);
    }
    start(w, out);
    sd_recout_end(w->w, out);
}

void sd_connout_free(sd_connout *w)
{
    if (!w)
        return;
    sd_recout_free(w->w);
    free(w->v);
    free(w);
}

const sd_field *sd_connout_sort_field(const char *arg, bool *desc)
{
    char name[64];
    snprintf(name, sizeof name, "%s", arg);
    char *colon = strchr(name, ':');
    *desc = colon && strcmp(colon, ":desc") == 0;
    if (colon)
        *colon = '\0';
    return sd_field_find(&sd_conn_fields, name);
}

void sd_connout_list_fields(FILE *f)
{
    for (size_t i = 0; i < sd_conn_fields.n; i++)
        fprintf(f, "%-22s %s\n", sd_conn_fields.f[i].name, sd_conn_fields.f[i].doc);
}

size_t sd_connout_columns(const sd_connout *w, const sd_field *const **sel, size_t *hold)
{
    *sel = w->selv;
    *hold = w->live ? 0 : TEXT_HOLD_ROWS;
    return w->ncol;
}
