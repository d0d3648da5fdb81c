/* sd_connout: the connection records `strider conns` writes: which
 * connections (protocol, host, port, --where), which columns (--fields,
 * the text default, or every field), in which order (as they end, or
 * --sort), how many (--limit), through the record writer (sd_recout). */
#ifndef SD_CONNOUT_H
#define SD_CONNOUT_H

#include "sd_connfields.h"
#include "sd_recout.h"
#include "sd_where.h"

#include <stdio.h>

typedef struct sd_connout_opts {
    sd_rec_fmt fmt;
    const char *fields;       /* --fields, or NULL */
    bool optional;            /* every field includes the optional ones (-R) */
    const sd_filter *where;   /* borrowed; NULL = all */
    const char *proto;        /* "tcp", "udp" or NULL */
    const sd_addr *host;      /* NULL = any */
    long port;                /* -1 = any */
    const sd_field *sort;     /* NULL = as they end */
    bool desc;
    uint64_t limit;           /* UINT64_MAX = all */
} sd_connout_opts;

typedef struct sd_connout sd_connout;

/* NULL with the reason in err (an unknown field). */
sd_connout *sd_connout_new(const sd_connout_opts *o, char *err, size_t errlen);
/* The header (CSV, the text table's when it streams). live: no rows held
 * to size the text table's columns. */
void sd_connout_begin(sd_connout *w, sd_buf *out, bool live);
/* One ended connection, written or kept for the sort; true once the limit
 * is reached (the rest of the input can change nothing shown). */
bool sd_connout_add(sd_connout *w, sd_buf *out, const sd_conn *c);
/* The sorted ones and whatever the table held. */
void sd_connout_end(sd_connout *w, sd_buf *out);
void sd_connout_free(sd_connout *w);
/* The columns as the writer chose them (final after sd_connout_end) and
 * the text rows it holds: a chunk of --own declares them to the merge
 * (sd_merge_fmt.h). */
size_t sd_connout_columns(const sd_connout *w, const sd_field *const **sel, size_t *hold);

/* --sort's FIELD[:desc]; NULL for an unknown field. */
const sd_field *sd_connout_sort_field(const char *arg, bool *desc);
/* --list-fields: every field with its meaning. */
void sd_connout_list_fields(FILE *f);

#endif
