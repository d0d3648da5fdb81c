/* sd_follow: the writer of `strider follow` (see sd_follow.c). */
#ifndef SD_FOLLOW_H
#define SD_FOLLOW_H

#include "../flow/sd_conn.h"
#include "../flow/sd_reasm.h"

enum { SD_FOLLOW_ASCII = 0, SD_FOLLOW_HEX, SD_FOLLOW_RAW, SD_FOLLOW_JSON };
/* Markers --raw lists on stderr (overlaps without their bytes, urgent
 * bytes); more are counted. */
#define SD_FOLLOW_NOTES_KEPT 16u

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
    uint64_t urgent[2];
    /* --raw: the first markers as lines for stderr, the rest counted
     * (sd_follow_free frees them) */
    sd_buf notes;
    uint32_t nnotes;
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
/* An urgent byte of direction dir reached the stream: a marker in place,
 * counted. */
void sd_follow_urgent(sd_follow_out *r, int dir, const sd_reasm_urgent *u);
/* The totals per direction (text and hex modes); c gives the reassembly's
 * counts (unchecked overlap bytes, --overlap not applied). */
void sd_follow_end(sd_follow_out *r, const sd_conn *c);
void sd_follow_free(sd_follow_out *r);

#endif
