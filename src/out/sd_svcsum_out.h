/* sd_svcsum_out: summary's "Services (by content)" section, text and JSON:
 * connections per service, the HTTP hosts and TLS server names asked for
 * most, the connections whose service is not their port's usual one. A
 * writer: it formats an sd_svcstats result. */
#ifndef SD_SVCSUM_OUT_H
#define SD_SVCSUM_OUT_H

#include "../analyze/sd_svcstats.h"

void sd_svcsum_text(sd_buf *b, const sd_svcstats_result *r);
/* One "services" object, one "server_name" per listed name, one
 * "off_port" per listed connection. */
void sd_svcsum_json(sd_buf *b, const sd_svcstats_result *r);

#endif
