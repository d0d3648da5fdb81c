/* cli_own_ext: --own and --jobs for a command whose output is a directory
 * (extract): where the run's directory is, and the chunk directories of a
 * --jobs run inside it, merged there by sd_merge_ext. */
#ifndef CLI_OWN_EXT_H
#define CLI_OWN_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The output directory given in argv (-o DIR, -oDIR, a cluster ending in
 * o, --output[=]DIR, --outdir[=]DIR: the last one, as getopt takes it) and
 * whether --force is given; NULL when none is. */
const char *cli_own_ext_outdir(int argc, char **argv, bool *force);
/* The chunk directory of chunk c of a --jobs run writing into outdir, in
 * buf: a dot name inside it, removed by the merge. */
const char *cli_own_ext_chunkdir(const char *outdir, size_t c, char *buf, size_t len);

/* The totals line one run prints (sd_runlog_extract), from the sums of
 * the kept sessions' parts (sd_merge_totals), on stderr. */
void cli_own_ext_totals(const uint64_t *tot, bool quiet);

/* Chunk c's directory removed, when a failed worker left it unmerged. */
void cli_own_ext_discard(const char *outdir, size_t c);

#endif
