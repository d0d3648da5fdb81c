#include "sd_table.h"

#include <stdlib.h>
#include <string.h>

struct sd_table {
    size_t ncol, hold;
    size_t *w;       /* column widths so far */
    bool *right;     /* right-aligned columns (numbers) */
    char **held;     /* nheld * ncol cells, while holding */
    size_t nheld, capheld;
    bool released;
};

sd_table *sd_table_new(size_t ncol, size_t hold)
{
    sd_table *t = sd_calloc(1, sizeof *t);
    t->ncol = ncol;
    t->hold = hold;
    t->w = sd_calloc(ncol, sizeof *t->w);
    t->right = sd_calloc(ncol, sizeof *t->right);
    t->released = hold == 0;
    return t;
}

static void pad(sd_buf *out, size_t n)
{
    static const char spaces[] = "                                ";
    while (n) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        sd_buf_append(out, spaces, k);
        n -= k;
    }
}

/* One line: cells two spaces apart, numbers right-aligned, the last text
 * column not padded (no trailing blanks). */
static void write_row(const sd_table *t, sd_buf *out, char *const *cells)
{
    for (size_t c = 0; c < t->ncol; c++) {
        size_t n = strlen(cells[c]);
        bool last = c + 1 == t->ncol;
        if (t->right[c] && n < t->w[c])
            pad(out, t->w[c] - n);
        sd_buf_append(out, cells[c], n);
        if (!t->right[c] && !last && n < t->w[c])
            pad(out, t->w[c] - n);
        if (!last)
            sd_buf_append(out, "  ", 2);
    }
    sd_buf_append(out, "\n", 1);
}

static void measure(sd_table *t, const char *const *cells, const bool *numeric)
{
    for (size_t c = 0; c < t->ncol; c++) {
        size_t n = strlen(cells[c]);
        if (n > t->w[c])
            t->w[c] = n;
        if (numeric && numeric[c])
            t->right[c] = true;
    }
}

void sd_table_release(sd_table *t, sd_buf *out)
{
    for (size_t r = 0; r < t->nheld; r++) {
        write_row(t, out, &t->held[r * t->ncol]);
        for (size_t c = 0; c < t->ncol; c++)
            free(t->held[r * t->ncol + c]);
    }
    free(t->held);
    t->held = NULL;
    t->nheld = t->capheld = 0;
    t->released = true;
}

void sd_table_row(sd_table *t, sd_buf *out, const char *const *cells, const bool *numeric)
{
    measure(t, cells, numeric);
    if (t->released) {
        write_row(t, out, (char *const *)cells);
        return;
    }
    if (t->nheld == t->capheld) {
        t->capheld = t->capheld ? t->capheld * 2 : 64;
        t->held = sd_reallocarray(t->held, t->capheld * t->ncol, sizeof *t->held);
    }
    for (size_t c = 0; c < t->ncol; c++)
        t->held[t->nheld * t->ncol + c] = sd_strdup(cells[c]);
    if (++t->nheld >= t->hold)
        sd_table_release(t, out);
}

void sd_table_free(sd_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nheld * t->ncol; i++)
        free(t->held[i]);
    free(t->held);
    free(t->w);
    free(t->right);
    free(t);
}
