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

/* A connection as an analyst names it: a TCP stream number as Wireshark's
 * tcp.stream and `strider conns` give it ("12", "tcp:12"), a UDP one
 * ("udp:3"), or a Zeek-style uid ("C..."). */
typedef struct cli_conn_sel {
    uint8_t proto;        /* 6 or 17 */
    uint64_t id;
    const char *uid;      /* set for a uid (points into the argument) */
} cli_conn_sel;
int cli_opt_conn(const char *cmd, const char *opt, const char *arg, cli_conn_sel *out);
/* Whether c is the selected connection. */
bool cli_conn_is(const cli_conn_sel *s, uint8_t proto, uint64_t id, const char *uid);
/* A frame range "A:B" or "A-B"; either end may be empty (from the start,
 * to the end: 0). */
int cli_opt_frames(const char *cmd, const char *opt, const char *arg, uint64_t *first, uint64_t *last);

#endif
