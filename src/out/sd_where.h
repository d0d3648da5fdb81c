/* sd_where: the --where filter language over a record's fields (conns,
 * ssh records and events), a subset of Wireshark's display filters:
 *
 *   expr    := expr ("or" | "||") expr | expr ("and" | "&&" | ",") expr
 *            | ("not" | "!") expr | "(" expr ")" | test
 *   test    := FIELD                       set and not false/0
 *            | FIELD OP VALUE              OP: == != < <= > >= (also = eq
 *                                          ne lt le gt ge), contains,
 *                                          matches or ~ (extended regex,
 *                                          case-insensitive)
 *            | FIELD "in" "{" VALUE... "}" any of them; A..B a range
 *            | FIELD "in" CIDR
 *   VALUE   := number | word | "quoted string" | address | address/prefix
 *
 * "and" binds tighter than "or". Numbers compare as numbers, addresses as
 * addresses (an address/prefix matches the network), anything else as
 * text. An ordering operator wants a number unless the value is quoted.
 * A test on an unset field is false, except != (true). Wireshark's
 * ip.addr, ip.src, ip.dst, tcp.port, tcp.srcport, tcp.dstport and
 * tcp.stream are understood where the record has the Zeek fields they
 * mean (ip.addr: either end; != then means neither end).
 * Unknown fields and bad syntax are refused with the column. */
#ifndef SD_WHERE_H
#define SD_WHERE_H

#include "sd_fields.h"

typedef struct sd_filter sd_filter;
/* NULL with a one-line message in err ("column N: ...") on error. */
sd_filter *sd_filter_parse(const sd_fieldset *fs, const char *expr, char *err, size_t errlen);
/* Whether rec (read by the fieldset's getters) passes; NULL passes all. */
bool sd_filter_match(const sd_filter *flt, const void *rec);
void sd_filter_free(sd_filter *flt);

#endif
