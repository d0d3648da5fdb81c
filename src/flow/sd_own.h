/* sd_own: one chunk of a list of rotated capture files, owned by one run
 * (strider --own FIRST:LAST), so that several runs side by side analyse
 * every connection exactly once and `strider merge` makes their outputs
 * into what one run over every file prints.
 *
 * The run reads files FIRST.. (the later ones for read-ahead only). It owns
 * the connections whose first packet lies in files FIRST..LAST; past LAST it
 * creates no connection and reads on only while an owned one is alive, up to
 * read_ahead of capture time after the chunk's last frame (those still alive
 * then are drained and marked cut). Every connection of a chunk after the
 * first is provisional: its first packet may continue a connection already
 * open (mid-stream TCP, UDP, a retransmitted SYN), and the merge drops it
 * when an earlier chunk's connection on the same ports was alive there.
 *
 * What the merge needs travels in the run's own JSON lines, each starting
 * {"_own": (see docs/scale.md): one per owned connection, in the order they
 * ended (its identity, local numbers, when it closed and ended), and a
 * trailer with the records per owned file. */
#ifndef SD_OWN_H
#define SD_OWN_H

#include "../capture/sd_capture.h"
#include "sd_flowtab.h"

#include <stdbool.h>
#include <stdint.h>

/* Read-ahead by default: a day of capture time. Reading is cheap next to
 * analysis, and an interactive session or a transfer rarely lasts longer. */
#define SD_OWN_READ_AHEAD_DEFAULT ((sd_ts)86400 * SD_NS_PER_SEC)

/* When a connection ended or was last counted open, for the merge's order:
 * while a packet was handled, in a sweep of idle ones, or in the drain at
 * the end of input. */
enum { SD_OWN_AT_PACKET = 0, SD_OWN_AT_SWEEP = 1, SD_OWN_AT_DRAIN = 2 };

typedef struct sd_own sd_own;

/* first, last: the chunk's file indexes in the whole list; the run opens
 * the files from first on (sd_own_set_files says which opened). */
sd_own *sd_own_new(unsigned first, unsigned last, sd_ts read_ahead);
void sd_own_free(sd_own *o);
/* The capture opened from file first on: which of its inputs are the
 * chunk's own files. A file that failed to open (empty, garbage) has no
 * input, so the inputs' indexes are not the list's: without this, a
 * chunk after such a file would take the next chunk's first file for its
 * own and claim its connections. Its files that opened nothing are
 * counted in the trailer ("unread"). */
void sd_own_set_files(sd_own *o, const sd_capture *cap);
/* The chunk numbers its frames from base + 1 (--own-frame-base): its
 * trailer says so ("fb"), so the merge does not shift them. */
void sd_own_frame_base(sd_own *o, uint64_t base);

/* Every record read, before it is handled: SD_OWN_GO, SD_OWN_STOP (past
 * the chunk with no owned connection alive: stop before it) or SD_OWN_LAST
 * (the first record past the read-ahead: handle it, as its sweep may end
 * idle connections as one run would, then stop; what is alive is cut).
 * live: the connections alive now. */
enum { SD_OWN_GO, SD_OWN_STOP, SD_OWN_LAST };
int sd_own_frame(sd_own *o, const sd_frame *fr, uint64_t live);
/* May a packet start a connection now? (not past the chunk) */
bool sd_own_may_create(const sd_own *o);
/* Does an IP fragment set a record at time ts starts count in the
 * chunk's summary? (those it owns: see sd_own.c; the chunk reads on past
 * its files until they are decided, two fragment timeouts) */
bool sd_own_frag_counts(const sd_own *o, sd_ts ts);
/* The record's packet is a datagram reassembled from a set the chunk
 * counts or not: it counts there, whatever file the record is in. */
void sd_own_datagram(sd_own *o, bool counted);
/* Does the packet being handled count in the chunk's summary? (its
 * record is the chunk's, or its fragment set is: sd_own_datagram) */
bool sd_own_pkt_counts(const sd_own *o);
/* f ends (at `at` = SD_OWN_AT_*, after record frame): its record is kept
 * for the output, whether or not a packet of it passed the filter. */
void sd_own_end(sd_own *o, const sd_flow *f, uint64_t frame, int at, uint8_t idle_class);
/* The run prints no connection's open counts (open_at_end: only `conns`
 * prints connection lines): its trailer says so ("oc":0), and a merge of
 * such chunks counts nothing (a sort of every connection's open and close). */
void sd_own_no_open_counts(sd_own *o);
/* The run's output up to the end of the chunk's own files is, byte for
 * byte, the start of what one run over every file prints (the chunk ran
 * as one run does up to there; the first chunk only): --jobs has its first
 * worker write that part straight to the final output, then switch to its
 * chunk file. fn is called once, before the first record past the chunk's
 * files is handled or before the drain at the end of input, whichever
 * comes first; the trailer then says how many of the connection records
 * (the first ones, in the order they ended) had their lines written before
 * it ("direct"), so that the merge writes the rest only. */
void sd_own_on_past(sd_own *o, void (*fn)(void *ud), void *ud);
/* The engine: the chunk's own records are over (idempotent). */
void sd_own_past(sd_own *o);
/* Writes the connection records and the trailer. */
void sd_own_write(const sd_own *o, sd_buf *b);
/* Connections cut at the read-ahead limit. */
uint64_t sd_own_cut(const sd_own *o);

#endif
