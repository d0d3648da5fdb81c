/* sd_merge_ext: the output directories of `strider extract --own` runs
 * (one per chunk of a file list) made into the directory one run over
 * every file writes: index.jsonl renumbered and ordered by sd_merge (each
 * chunk's index.jsonl ends with its {"_own":...} records), every kept
 * session's files taken over under the names one run gives them (tcpflow's
 * "cN" numbering of a reused name counts only the sessions kept), the
 * transcripts rewritten with the global uid, stream and frame numbers. The
 * files of a provisional session that an earlier chunk covers are left
 * out. */
#ifndef SD_MERGE_EXT_H
#define SD_MERGE_EXT_H

#include "sd_merge.h"

#include <stdbool.h>
#include <stdio.h>

typedef struct sd_merge_ext sd_merge_ext;

/* Creates outdir (or takes it as it is with force) and its index.jsonl,
 * and hooks itself on m. move: the chunk directories are this run's own
 * (--jobs): files are moved, not linked, and the directories removed by
 * sd_merge_ext_finish. NULL after a message on err. */
sd_merge_ext *sd_merge_ext_new(const char *outdir, bool force, bool move, sd_merge *m, FILE *err);
/* Where the merged index lines go (sd_merge_early, sd_merge_finish). */
FILE *sd_merge_ext_index(sd_merge_ext *x);
/* One chunk's directory, read into m; false (message on err) when it is
 * not one. */
bool sd_merge_ext_add(sd_merge_ext *x, sd_merge *m, const char *chunkdir);
/* Closes the index, removes the chunk directories when they were moved,
 * frees x. Returns rc, or 1 when a file could not be taken over. */
int sd_merge_ext_finish(sd_merge_ext *x, int rc);

/* Empties a chunk directory (its entries are files): one a failed --jobs
 * run made and did not merge, before its rmdir. */
void sd_merge_ext_discard(int dirfd);

/* strider merge -o OUTDIR CHUNKDIR...: the whole merge. 0, or 1 after a
 * message on err. */
int sd_merge_ext_dirs(const char *const *dirs, size_t n, const char *outdir, bool force, FILE *err);

#endif
