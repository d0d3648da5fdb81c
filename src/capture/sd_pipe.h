/* sd_pipe: reading and decoding a capture file in a thread of their own,
 * ahead of the one that tracks the connections (issue #11: on a machine
 * with two cores the run then takes about the longer of the two stages,
 * not their sum).
 *
 * The reader thread reads records (sd_capture_next), copies their bytes
 * into blocks of its own and decodes them (sd_decode), into batches of
 * records handed over in order through a bounded queue (FIFO: the consumer
 * sees exactly the records, packets and decodes one thread would). What
 * reading and decoding say to the diagnostics sink is kept with the record
 * it came with and said by the consumer at the point where one thread
 * would have said it: before the record (reading it), and when the
 * consumer asks for its decode. So stdout and stderr are byte for byte
 * those of one thread. Batches go back to the reader only when the
 * consumer has passed them: a record's bytes stay valid until the next
 * sd_pipe_next.
 *
 * Files only: live capture (whose reads time out, and whose consumer must
 * see each packet as it comes) stays in one thread. */
#ifndef SD_PIPE_H
#define SD_PIPE_H

#include "../decode/sd_decode.h"

/* Records per batch: the queue's lock is taken twice a batch, so its cost
 * (~100 instructions) is well under one per record. */
#define SD_PIPE_BATCH 256
/* Batches in flight: enough that neither thread waits for the other at a
 * batch's end while the two go at about the same speed; a few MB at most. */
#define SD_PIPE_BATCHES 8

typedef struct sd_pipe sd_pipe;

typedef struct sd_pipe_opts {
    const sd_decode_opts *dec;  /* the decoder of records that passed the filter */
    const sd_decode_opts *fdec; /* of the filtered ones (made at the first one) */
    /* every progress_every-th record that passed the filter carries the
     * progress (sd_capture_progress) as it was once that record was read;
     * 0: none */
    uint64_t progress_every;
    unsigned batch, batches; /* 0: SD_PIPE_BATCH, SD_PIPE_BATCHES (tests use 1, 1) */
    /* called by the reader thread on each record it decoded (may be NULL):
     * the engine's per-packet work that needs only the packet (its flow
     * key) is done there, off the analysis thread */
    void (*decoded)(sd_pkt *p, sd_dec_res r, const void *ud);
    const void *decoded_ud;
} sd_pipe_opts;

/* A record, as the reader thread wrote it. The consumer's thread reads it
 * once, on a line the other core wrote: each line it touches is a miss
 * (issue #11). So records start on a line (SD_PIPE_REC_ALIGN) and take
 * whole lines, and what the consumer reads first (sd_pipe_next: npre,
 * end; then ndec, r, and the flow key) shares the last one, after the
 * packet's key (sd_pkt ends with fk_tag and fk). */
#define SD_PIPE_REC_ALIGN 64
typedef struct sd_pipe_rec {
    sd_frame fr;
    sd_pkt p;       /* its decode (p.frame is &fr) */
    sd_dec_res r;
    /* messages of the batch said reading it, then decoding it */
    uint32_t msg0, npre, ndec;
    bool end;       /* no record: the end of input (what reading said to the end) */
    bool progress;  /* done and total were taken at this record */
    uint64_t done, total;
} sd_pipe_rec;
/* (a change of sd_frame's or sd_pkt's size needs padding here) */
_Static_assert(sizeof(sd_pipe_rec) % SD_PIPE_REC_ALIGN == 0, "a record takes whole lines");

/* Starts the reader thread over cap (not live). Until sd_pipe_end, cap
 * belongs to the reader: the consumer may only ask it for paths. NULL if
 * no thread could be started (the caller then runs in one). */
sd_pipe *sd_pipe_start(sd_capture *cap, const sd_pipe_opts *o);
/* The next record, after what reading it said has been said; NULL at the
 * end of input (after what reading to the end said). Valid until the next
 * call. */
sd_pipe_rec *sd_pipe_next(sd_pipe *p);
/* Says what decoding rec said (once, when the consumer takes its decode). */
void sd_pipe_said_decoding(sd_pipe *p, const sd_pipe_rec *rec);
/* Stops the reader where it is (at once, if the consumer stopped early)
 * and waits for it; cap is the caller's again. The decoder of passed
 * records, for its counts, until sd_pipe_free. */
sd_decoder *sd_pipe_end(sd_pipe *p);
void sd_pipe_free(sd_pipe *p);

#endif
