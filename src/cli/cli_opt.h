/* Option values shared by the reassembling commands (extract, follow):
 * sizes and the overlap policy. Each parser checks the whole string and the
 * range, and on error prints one line naming the option and returns 2 (the
 * usage-error exit status); 0 on success. */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include "../flow/sd_reasm.h"

#include <stddef.h>

/* A byte count: digits with an optional k/M/G (binary) and B suffix, e.g.
 * 4096, 512k, 64M, 1G; with allow_all also "all" (SIZE_MAX, whatever max).
 * Accepted when min <= value <= max. */
int cli_opt_size(const char *cmd, const char *opt, const char *arg, size_t min, size_t max,
                 bool allow_all, size_t *out);
/* "first", "last", "linux", "windows", "bsd". */
int cli_opt_overlap(const char *cmd, const char *arg, sd_overlap_policy *out);

#endif
