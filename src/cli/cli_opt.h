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
 * share: --overlap, --stream-cap, --memcap (default 1G in all),
 * --overlap-memcap (the overlap history per direction), --urgent. */
enum { CLI_OPT_OVERLAP = 0x1101, CLI_OPT_SCAP, CLI_OPT_MEMCAP, CLI_OPT_HCAP, CLI_OPT_URGENT };
#define CLI_REASM_OPTS                                                                                  \
    { "overlap", required_argument, 0, CLI_OPT_OVERLAP }, { "stream-cap", required_argument, 0, CLI_OPT_SCAP }, \
    { "memcap", required_argument, 0, CLI_OPT_MEMCAP }, { "overlap-memcap", required_argument, 0, CLI_OPT_HCAP }, \
    { "urgent", required_argument, 0, CLI_OPT_URGENT }
/* Their help (follow and extract): what each policy can and cannot decide. */
#define CLI_OVERLAP_HELP                                                                                \
    "      --overlap P      which copy wins where two copies of the same bytes\n"                      \
    "                       differ: first (default, as tshark), last (as tcpflow),\n"                 \
    "                       linux, windows, bsd (Suricata's target policies). It\n"                   \
    "                       decides only between copies that both arrive before\n"                    \
    "                       the bytes are delivered (held behind a hole); bytes\n"                    \
    "                       already delivered keep their first copy whatever P,\n"                    \
    "                       marked, and counted where P would have taken the other\n"                 \
    "                       (*_overlap_policy_unapplied_bytes in extract's index)\n"                 \
    "      --overlap-memcap N  memory per direction for the delivered bytes later\n"                  \
    "                       copies are compared with (default 256K: the last 128\n"                   \
    "                       KiB and 8192 segments); older retransmitted bytes are\n"                  \
    "                       counted (*_overlap_unchecked_bytes), not compared\n"                      \
    "      --urgent M       the urgent byte (the last one an urgent pointer\n"                       \
    "                       covers): inline (default: in the stream, as tshark,\n"                   \
    "                       Windows and a socket with SO_OOBINLINE read it) or\n"                    \
    "                       oob (out of the stream, as a Linux or BSD server\n"                      \
    "                       reads it by default); either way marked and counted\n"
typedef struct cli_reasm {
    sd_reasm_budget budget;
    sd_reasm_opts ro;     /* ro.budget points at budget: the struct must not move */
} cli_reasm;
void cli_reasm_init(cli_reasm *r);
/* One of them: 0 or 2 as above; -1 if o is not one of them. */
int cli_opt_reasm(const char *cmd, cli_reasm *r, int o, const char *arg);

#endif
