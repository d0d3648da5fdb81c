/* Option values: each parser (src/common/sd_parse) checks the whole string
 * and the range; on error these print one line naming the option and
 * return 2 (the usage-error exit status); 0 on success. */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include "../common/sd_parse.h"
#include "../flow/sd_reasm.h"

#include <getopt.h>

/* A byte count (sd_parse_size); with allow_all also "all" (SIZE_MAX,
 * whatever max). Accepted when min <= value <= max. */
int cli_opt_size(const char *cmd, const char *opt, const char *arg, size_t min, size_t max,
                 bool allow_all, size_t *out);
/* A connection selector (sd_connsel_parse). */
int cli_opt_conn(const char *cmd, const char *opt, const char *arg, sd_connsel *out);
/* An old spelling still accepted: one note on stderr naming the new one. */
void cli_deprecated(const char *cmd, const char *old, const char *now);
/* A frame range (sd_parse_frames): A-B, the old A:B with a note. */
int cli_opt_frames(const char *cmd, const char *opt, const char *arg, uint64_t *first, uint64_t *last);

/* The reassembly options the reassembling commands (follow, extract)
 * share: --overlap, --stream-cap, --memcap (default 1G in all). */
enum { CLI_OPT_OVERLAP = 0x1101, CLI_OPT_SCAP, CLI_OPT_MEMCAP };
#define CLI_REASM_OPTS                                                                                  \
    { "overlap", required_argument, 0, CLI_OPT_OVERLAP }, { "stream-cap", required_argument, 0, CLI_OPT_SCAP }, \
    { "memcap", required_argument, 0, CLI_OPT_MEMCAP }
typedef struct cli_reasm {
    sd_reasm_budget budget;
    sd_reasm_opts ro;     /* ro.budget points at budget: the struct must not move */
} cli_reasm;
void cli_reasm_init(cli_reasm *r);
/* One of them: 0 or 2 as above; -1 if o is not one of them. */
int cli_opt_reasm(const char *cmd, cli_reasm *r, int o, const char *arg);

#endif
