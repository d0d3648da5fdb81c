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

#include <stddef.h>
#include <stdio.h>

/* Reads the chunk outputs at paths (any order), writes the merged lines to
 * out; messages go to err. 0 = done, 1 = an input is missing, unreadable
 * or not a chunk output (nothing is written then). */
int sd_merge_files(const char *const *paths, size_t n, FILE *out, FILE *err);

#endif
