/* sd_hostsum_out: the text and JSON forms of `strider summary --host`
 * (sd_hostsum): the host's totals, every connection kept, and those it
 * opened soon after its first contact. Writers only. */
#ifndef SD_HOSTSUM_OUT_H
#define SD_HOSTSUM_OUT_H

#include "sd_sumsec_out.h"

void sd_hostsum_text(sd_buf *b, const sd_hostsum_result *r, sd_summary_flush flush);
/* One "host_summary" object, then one "host_conn" per connection kept (by
 * start; "after_first_contact": true for those of the window). */
void sd_hostsum_json(sd_buf *b, const sd_hostsum_result *r, sd_summary_flush flush);

#endif
