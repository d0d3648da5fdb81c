/* sd_merge: the outputs of runs that each owned a chunk of a file list
 * (strider --own, sd_own.h) made into what one run over every file prints.
 *
 * JSON lines only. Each chunk's output carries one {"_own":"conn"} record
 * per owned connection and a {"_own":"chunk"} trailer; from them the merge
 *  - drops a later chunk's provisional connection that an earlier chunk's
 *    connection on the same ports was still covering,
 *  - numbers connections (uid), streams and frames as one run would: stream
 *    and connection offsets from the connections earlier chunks own, frame
 *    offsets from the records of earlier files,
 *  - recomputes what counts other connections (open_at_end,
 *    orig_open_at_end),
 *  - writes each connection's lines in the order one run ends them.
 * Lines that belong to no connection follow, in chunk order. */
#ifndef SD_MERGE_H
#define SD_MERGE_H

#include "../common/sd_common.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Reads the chunk outputs at paths (any order), writes the merged lines to
 * out; messages go to err. 0 = done, 1 = an input is missing, unreadable
 * or not a chunk output (nothing is written then). */
int sd_merge_files(const char *const *paths, size_t n, FILE *out, FILE *err);

/* The same a chunk at a time, so that a caller reads each chunk's output
 * as soon as it is written (--jobs: while the other chunks still run).
 * sd_merge_add: false once an input failed (message on err; the rest are
 * not read); sd_merge_finish writes, frees m and returns as above. */
typedef struct sd_merge sd_merge;
sd_merge *sd_merge_new(FILE *err);
bool sd_merge_add(sd_merge *m, const char *path);
int sd_merge_finish(sd_merge *m, FILE *out);
/* Once the first chunk (file 0) is in: writes now the part of the output
 * no later chunk can change (the connections one run ends before the next
 * chunk's first record), so that --jobs writes while the last chunks still
 * run. At most once; sd_merge_finish writes the rest. */
void sd_merge_early(sd_merge *m, FILE *out);
/* While later chunks still run: does now what of the chunk added last
 * depends on it alone (its lines grouped with their connections, its
 * campaign records read), which sd_merge_finish does otherwise, after the
 * last chunk is in (the part of a --jobs run no worker runs beside). */
void sd_merge_prepare(sd_merge *m);
/* A merge of output directories (extract's, sd_merge_ext.h): fn is called
 * for each connection written, in the merged order, with its lines
 * rewritten into b from `from` on (fn may change them there); chunk_ud is
 * the one given to sd_merge_add_ud for its chunk. Set before any add. */
struct mconn;
typedef void (*sd_merge_conn_fn)(void *ctx, void *chunk_ud, const struct mconn *c, uint64_t off,
                                 sd_buf *b, size_t from);
void sd_merge_set_hook(sd_merge *m, sd_merge_conn_fn fn, void *ctx);
bool sd_merge_add_ud(sd_merge *m, const char *path, void *chunk_ud);
/* The {"_own":"fmt"} record (sd_merge_fmt.h) of the first chunk in list
 * order that read a record (of the first one when none did), NULL when the
 * chunks wrote plain JSON lines; *same: every chunk that read a record
 * declares the same, and every other one declares one too or none. */
const char *sd_merge_declared(const sd_merge *m, bool *same);
/* Whether the chunks in so far fix what sd_merge_declared returns: those
 * from file 0 on are in, up to one that read a record. */
bool sd_merge_declared_settled(const sd_merge *m);
/* extract's totals line: each chunk's index carries one {"_own":"xst"}
 * record per session, its part of the totals (SD_MERGE_XST values, in
 * sd_extract_own_stats' order). sd_merge_finish adds up into tot those of
 * the sessions it keeps: tot[0] counts them, tot[1 + i] sums value i. */
#define SD_MERGE_XST 7
void sd_merge_totals(sd_merge *m, uint64_t tot[1 + SD_MERGE_XST]);
/* Frees m without writing (a worker failed). */
void sd_merge_free(sd_merge *m);

#endif
