/* sd_prefix: an address or a network (CIDR), as given on the command line
 * ("192.0.2.7", "10.0.0.0/8", "2001:db8::/32"), and whether an address
 * falls in it. */
#ifndef SD_PREFIX_H
#define SD_PREFIX_H

#include "sd_common.h"

typedef struct sd_prefix {
    sd_addr net;   /* bits past len are zero */
    uint8_t len;   /* prefix length: 32 or 128 for one address */
} sd_prefix;

/* Parses "ADDR" or "ADDR/LEN". 0 on success; -1 with a reason in err
 * (not an address, a bad length, or bits set past the prefix: "10.0.0.5/8"
 * is refused, as a likely typo, rather than silently read as 10.0.0.0/8). */
int sd_prefix_parse(const char *s, sd_prefix *out, char *err, size_t errlen);
bool sd_prefix_match(const sd_prefix *p, const sd_addr *a);
/* "ADDR" for a single address, else "ADDR/LEN"; returns buf. */
char *sd_prefix_str(const sd_prefix *p, char *buf, size_t len);

#endif
