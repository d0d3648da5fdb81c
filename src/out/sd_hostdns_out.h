/* sd_hostdns_out: the DNS section of `strider summary --host` (sd_hostdns):
 * the transactions the host asked or answered, and those whose answers
 * name it. Writers only. */
#ifndef SD_HOSTDNS_OUT_H
#define SD_HOSTDNS_OUT_H

#include "../analyze/sd_hostdns.h"
#include "sd_sumsec_out.h"

/* Text: the first SD_SUMSEC_TEXT_MAX transactions, then the count left. */
void sd_hostdns_text(sd_buf *b, const sd_hostdns_result *r, const char *host, sd_summary_flush flush);
/* JSON: one "host_dns" object per transaction kept. */
void sd_hostdns_json(sd_buf *b, const sd_hostdns_result *r, sd_summary_flush flush);

#endif
