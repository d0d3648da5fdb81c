/* sd_dns_fields: the DNS transaction record (sd_dns_txn) as a field table
 * (src/out/sd_fields.h), so the generic record writer prints it as JSON
 * lines ("type":"dns"), CSV or a text table. Zeek dns.log names where they
 * exist (ts, uid, id.*, proto, trans_id, rtt, query, qclass, qclass_name,
 * qtype, qtype_name, rcode, rcode_name, AA, TC, RD, RA, answers, TTLs),
 * then strider's: frames, the Wireshark stream and a display filter. */
#ifndef SD_DNS_FIELDS_H
#define SD_DNS_FIELDS_H

#include "../out/sd_fields.h"
#include "sd_dnsan.h"

extern const sd_fieldset sd_dns_fields;
/* The text table's columns. */
extern const char *const sd_dns_text_default;

#endif
