#include "sd_recout.h"

#include "sd_table.h"
#include "sd_text.h"

#include <stdlib.h>
#include <string.h>

/* A text cell's room: the widest field (a uid, an IPv6 address, a
 * history) fits; longer text is cut. */
#define CELL_MAX 128

struct sd_recout {
    sd_rec_fmt fmt;
    const sd_field *const *sel;
    size_t n;
    const char *type;
    sd_jkey *keys; /* JSON: the n keys, made once */
    sd_table *table;
    char (*cell)[CELL_MAX]; /* n text cells */
    const char **cells;
    bool *num;
};

sd_recout *sd_recout_new(sd_rec_fmt fmt, const sd_field *const *sel, size_t n, const char *type, size_t hold)
{
    sd_recout *w = sd_calloc(1, sizeof *w);
    w->fmt = fmt;
    w->sel = sel;
    w->n = n;
    w->type = type;
    if (fmt == SD_REC_JSON)
        w->keys = sd_fields_json_keys(sel, n);
    if (fmt == SD_REC_TEXT) {
        w->table = sd_table_new(n, hold);
        w->cell = sd_calloc(n ? n : 1, sizeof *w->cell);
        w->cells = sd_calloc(n ? n : 1, sizeof *w->cells);
        w->num = sd_calloc(n ? n : 1, sizeof *w->num);
    }
    return w;
}

void sd_recout_begin(sd_recout *w, sd_buf *out)
{
    if (w->fmt == SD_REC_CSV)
        sd_fields_csv_header(out, w->sel, w->n);
    if (w->fmt != SD_REC_TEXT)
        return;
    for (size_t i = 0; i < w->n; i++)
        w->cells[i] = w->sel[i]->name;
    sd_table_row(w->table, out, w->cells, NULL);
}

/* Whether a cell holds a byte a terminal could act on (or one past ASCII,
 * for sd_text to judge). */
static bool cell_unsafe(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
            return true;
    return false;
}

/* Column i's text cell from its value. */
static void text_cell(sd_recout *w, size_t i, const sd_fval *v)
{
    sd_fval_text(v, w->cell[i], CELL_MAX);
    w->cells[i] = w->cell[i];
    w->num[i] = v->t == SD_FV_U64 || v->t == SD_FV_F64 || v->t == SD_FV_I64;
}

/* A run's strings come made printable by their analyzers; values handed
 * over (strider merge, from chunks that may have been edited: a file name
 * holding ESC) are checked here, where the terminal is, and written as the
 * analyzers write them (\xHH, a backslash kept as one, so a printable
 * string is unchanged). */
static void handed_cell(sd_recout *w, size_t i, const sd_fval *v)
{
    text_cell(w, i, v);
    if ((v->t == SD_FV_STR || v->t == SD_FV_JSON) && cell_unsafe(w->cell[i])) {
        char raw[CELL_MAX];
        memcpy(raw, w->cell[i], CELL_MAX);
        sd_text_safe_made(raw, w->cell[i], CELL_MAX);
    }
}

static void text_row(sd_recout *w, sd_buf *out, const void *rec)
{
    for (size_t i = 0; i < w->n; i++) {
        sd_fval v;
        sd_fval_init(&v);
        w->sel[i]->get(rec, &v);
        text_cell(w, i, &v);
        sd_fval_clear(&v);
    }
    sd_table_row(w->table, out, w->cells, w->num);
}

void sd_recout_values(sd_recout *w, sd_buf *out, sd_fval *vals)
{
    if (w->fmt == SD_REC_TEXT) {
        for (size_t i = 0; i < w->n; i++)
            handed_cell(w, i, &vals[i]);
        sd_table_row(w->table, out, w->cells, w->num);
    } else if (w->fmt == SD_REC_CSV) {
        for (size_t i = 0; i < w->n; i++) {
            if (i)
                sd_buf_append(out, ",", 1);
            sd_fval_csv(out, &vals[i]);
        }
        sd_buf_append(out, "\n", 1);
    } else {
        sd_json j;
        sd_json_begin(&j, out);
        sd_json_str(&j, "type", w->type);
        sd_fields_json_vals(&j, w->keys, w->n, vals);
        sd_json_end(&j);
    }
}

void sd_recout_record(sd_recout *w, sd_buf *out, const void *rec)
{
    if (w->fmt == SD_REC_TEXT) {
        text_row(w, out, rec);
    } else if (w->fmt == SD_REC_CSV) {
        sd_fields_csv(out, w->sel, w->n, rec);
    } else {
        sd_json j;
        sd_json_begin(&j, out);
        sd_json_str(&j, "type", w->type);
        sd_fields_json_keyed(&j, w->sel, w->keys, w->n, rec);
        sd_json_end(&j);
    }
}

void sd_recout_end(sd_recout *w, sd_buf *out)
{
    if (w->table)
        sd_table_release(w->table, out);
}

void sd_recout_free(sd_recout *w)
{
    if (!w)
        return;
    sd_table_free(w->table);
    free(w->keys);
    free(w->cell);
    free(w->cells);
    free(w->num);
    free(w);
}
