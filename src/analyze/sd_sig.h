/* sd_sig: well-known payload signatures an analyst looks for first
 * (executables, archives, documents, scripts, keys) found in one direction
 * of a reassembled TCP stream. Fed chunk by chunk in stream order; a match
 * that straddles two chunks is found (a short tail of the previous chunk is
 * kept), a match across a gap is not (the bytes in between are unknown).
 * Library code: reports into the struct, never prints. */
#ifndef SD_SIG_H
#define SD_SIG_H

#include "../common/sd_common.h"

#define SD_SIG_MAXLEN 48        /* longest pattern */
#define SD_SIG_MAX_HITS 16      /* hits kept per scanner (the count goes on) */

typedef struct sd_sig_hit {
    int sig;                /* index for sd_sig_name() */
    uint64_t offset;        /* stream offset of the pattern's first byte */
    uint64_t first_frame;   /* frames of the chunk(s) holding the match */
    uint64_t last_frame;
} sd_sig_hit;

typedef struct sd_sig_scan {
    uint8_t tail[SD_SIG_MAXLEN - 1]; /* last bytes before `next` (for straddling matches) */
    uint32_t ntail;
    uint64_t tail_frame;             /* frame of the tail's chunk */
    uint64_t next;                   /* stream offset just after the bytes seen */
    sd_sig_hit hits[SD_SIG_MAX_HITS];
    uint32_t nhits;
    uint64_t total_hits;             /* including those not kept */
} sd_sig_scan;

void sd_sig_init(sd_sig_scan *s);
/* Bytes at stream offset `offset` (normally s->next; anything else, e.g.
 * after a gap, drops the tail so nothing matches across the hole). */
void sd_sig_feed(sd_sig_scan *s, uint64_t offset, const uint8_t *p, size_t len,
                 uint64_t first_frame, uint64_t last_frame);
/* Short stable name, e.g. "pe-dos-stub", "elf", "zip", "gzip", "pdf". */
const char *sd_sig_name(int sig);
/* One-line description for documentation and --help. */
const char *sd_sig_desc(int sig);
int sd_sig_count(void);
/* The prefilter in use: 0 = the portable pair filter, 1 = the vector one
 * where the CPU has it (the default), -1 = leave as is; returns whether
 * the vector filter is in use. Both find the same hits (the unit test
 * compares them). */
bool sd_sig_vector(int on);
/* Self-check of the first-byte filter (for the unit test). */
bool sd_sig_first_byte_ok(void);

#endif
