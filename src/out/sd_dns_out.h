/* sd_dns_out: the writers of DNS: the transaction records of `strider dns`
 * (through the record writer, sd_recout) followed by the indicator events
 * (sd_evout), and the DNS section of `strider summary` (text and JSON).
 * They format what sd_dnsan and sd_dnsind decided and compute nothing. */
#ifndef SD_DNS_OUT_H
#define SD_DNS_OUT_H

#include "../analyze/sd_dns_fields.h"
#include "../analyze/sd_dnsind.h"
#include "sd_recout.h"

#include <stdio.h>

typedef struct sd_dns_out sd_dns_out;

/* fields: -F's list or NULL (the text default, every field otherwise).
 * NULL with the reason in err (an unknown field). */
sd_dns_out *sd_dns_out_new(sd_rec_fmt fmt, const char *fields, char *err, size_t errlen);
void sd_dns_out_begin(sd_dns_out *w, sd_buf *out, bool live);
void sd_dns_out_txn(sd_dns_out *w, sd_buf *out, const sd_dns_txn *t);
/* The held rows, then the indicators: JSON event lines, CSV rows of the
 * event CSV (after a blank line and its header), or a text list. */
void sd_dns_out_end(sd_dns_out *w, sd_buf *out, const sd_dnsind_result *r);
void sd_dns_out_free(sd_dns_out *w);
void sd_dns_out_list_fields(FILE *f);

/* summary's DNS section: counts, the most queried names, the indicators. */
void sd_dns_summary_text(sd_buf *b, const sd_dnsind_result *r, const sd_dnsan_stats *st);
/* One "dns" object, one "dns_name" per most queried name, then the
 * indicators as event lines. */
void sd_dns_summary_json(sd_buf *b, const sd_dnsind_result *r, const sd_dnsan_stats *st);

#endif
