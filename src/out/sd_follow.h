/* sd_follow: the writer of `strider follow` (see sd_follow.c). */
#ifndef SD_FOLLOW_H
#define SD_FOLLOW_H

#include "../flow/sd_conn.h"
#include "../flow/sd_reasm.h"

enum { SD_FOLLOW_ASCII = 0, SD_FOLLOW_HEX, SD_FOLLOW_RAW, SD_FOLLOW_JSON };
/* Overlaps --raw lists on stderr (without their bytes); more are counted. */
#define SD_FOLLOW_OV_KEPT 8u

typedef struct sd_follow_out {
    int mode;              /* SD_FOLLOW_* */
    int only_dir;          /* -1 = both */
    sd_buf *b;             /* where it writes (the caller flushes) */
    /* text layout state */
    int last_dir;          /* direction of the last block shown, -1 = none */
    uint32_t last_flags;
    bool at_bol;
    /* totals per direction */
    uint64_t bytes[2], gaps[2], gap_bytes[2], chunks[2], incons[2];
    bool truncated[2];
    uint64_t unchecked[2], unapplied[2]; /* sd_dirstats' counts, for the totals */
    /* the first overlaps, for --raw's summary on stderr (the rest counted) */
    struct sd_follow_ov { int dir; sd_reasm_inconsistency i; } ov[SD_FOLLOW_OV_KEPT];
    uint32_t nov;
} sd_follow_out;

void sd_follow_init(sd_follow_out *r, int mode, int only_dir, sd_buf *b);
/* "Follow TCP stream N" and the two nodes (text and hex modes). */
void sd_follow_begin(sd_follow_out *r, const sd_conn *c);
/* One chunk of direction dir (counted always, shown if dir is wanted). */
void sd_follow_chunk(sd_follow_out *r, int dir, const sd_chunk *ch);
/* A retransmission of direction dir carried different bytes: a marker in
 * place (text, hex, JSON; --raw keeps the first for its stderr summary) and
 * counted in the totals, also when its bytes were delivered already and no
 * chunk is flagged. */
void sd_follow_overlap(sd_follow_out *r, int dir, const sd_reasm_inconsistency *i);
/* The totals per direction (text and hex modes); c gives the reassembly's
 * counts (unchecked overlap bytes, --overlap not applied). */
void sd_follow_end(sd_follow_out *r, const sd_conn *c);

#endif
