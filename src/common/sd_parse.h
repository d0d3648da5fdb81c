/* sd_parse: the values an analyst types, parsed whole (no leading blanks,
 * no sign, no trailing junk, no overflow): counts, seconds, byte sizes,
 * frame ranges and connection selectors. Each returns 0, or -1 (the
 * outputs then unspecified; the caller says what was wanted). */
#ifndef SD_PARSE_H
#define SD_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_common.h"

/* A whole decimal number in [min, max]. */
int sd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
/* Seconds (a decimal fraction) in [min, max]. */
int sd_parse_secs(const char *s, double min, double max, double *out);
/* A byte count: digits with an optional k/M/G (binary) and B suffix, e.g.
 * 4096, 512k, 64M, 1G. */
int sd_parse_size(const char *s, size_t *out);
/* A frame range "A:B" or "A-B"; either end may be empty (from the start,
 * to the end: 0); A <= B when both are given. */
int sd_parse_frames(const char *s, uint64_t *first, uint64_t *last);

/* An address or a network "addr/prefix" (IPv4 or IPv6); without a prefix
 * the whole address (32 or 128). */
int sd_parse_cidr(const char *s, sd_addr *net, unsigned *plen);
/* Whether a is in the network (same family, the first plen bits). */
bool sd_addr_in_net(const sd_addr *a, const sd_addr *net, unsigned plen);

/* A connection as an analyst names it: a TCP stream number as Wireshark's
 * tcp.stream and `strider conns` give it ("12", "tcp:12"), a UDP one
 * ("udp:3"), or a Zeek-style uid ("C..."). */
typedef struct sd_connsel {
    uint8_t proto;        /* 6 or 17 */
    uint64_t id;
    const char *uid;      /* set for a uid (points into the argument) */
} sd_connsel;
int sd_connsel_parse(const char *s, sd_connsel *out);
/* Whether a connection (protocol, stream number, uid) is the selected one. */
bool sd_connsel_is(const sd_connsel *s, uint8_t proto, uint64_t id, const char *uid);

#endif
