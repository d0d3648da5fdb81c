/* sd_merge_feed: chunk outputs merged as they are written, one at a time
 * and in any order: --jobs as its workers end (cli_own.c), `strider merge
 * --as-ready` as their names arrive on its standard input (the Dask driver
 * writes each as its task ends). Each chunk is read at once; the format
 * the chunks declare is opened once the chunks in fix it
 * (sd_merge_declared_settled); the first chunk's early part
 * (sd_merge_early) is written as soon as it is in, while the later chunks
 * still run; sd_merge_feed_finish merges the rest.
 *
 * What is written early stays written when a later chunk fails (exit 1),
 * as a single run that fails part way leaves what it wrote. */
#ifndef SD_MERGE_FEED_H
#define SD_MERGE_FEED_H

#include "sd_merge.h"
#include "sd_merge_ext.h"
#include "sd_merge_sum.h"

typedef enum { SD_FEED_LINES, SD_FEED_SUM, SD_FEED_DIR } sd_feed_kind;

typedef struct sd_merge_feed {
    sd_merge *m;
    sd_merge_ext *ext;          /* SD_FEED_DIR: extract's directories */
    sd_merge_sum *sum;          /* SD_FEED_SUM: summary's aggregates */
    struct sd_merge_fmt *fmt;   /* SD_FEED_LINES: the declared format, once settled */
    FILE *out, *err;            /* where the merged lines go (the format's FILE once open) */
    int rc;                     /* the worst status so far */
} sd_merge_feed;

/* A feed of the given kind writing to out (SD_FEED_DIR: into outdir, made
 * or, with force, taken as it is; move: the chunk directories are the
 * run's own, moved and removed). False (f->rc set, message on err) when
 * outdir cannot be made. */
bool sd_merge_feed_init(sd_merge_feed *f, sd_feed_kind kind, FILE *out, FILE *err, const char *outdir, bool force,
                        bool move);
/* One chunk's output (SD_FEED_DIR: its directory) read in; more: chunks
 * are still to come (unknown counts as true). Nothing is read once rc is
 * set; false when it is. */
bool sd_merge_feed_add(sd_merge_feed *f, const char *path, bool more);
/* rc: the caller's status (a worker that failed). Merges the rest, writes
 * it, frees what f holds but f->ext (the caller ends it with
 * sd_merge_ext_finish, after what it says of the totals); returns the
 * status (not 0 when anything failed). */
int sd_merge_feed_finish(sd_merge_feed *f, int rc);

#endif
