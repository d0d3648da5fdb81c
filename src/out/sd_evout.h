/* sd_evout: event writers (JSON lines per docs/events.md, CSV, text rows). */
#ifndef SD_EVOUT_H
#define SD_EVOUT_H

#include "../common/sd_event.h"

/* One JSON object and '\n': "type":"event", uid, ts, frame, frames, leg, kind, fields. */
void sd_evout_json(sd_buf *b, const sd_event *e);
/* The JSON line's members from "leg" on are remembered per thread for a
 * few distinct events (sd_evout.c, the tail memo): counts of this
 * thread's look-ups, for tests and benchmarks. */
typedef struct sd_evout_memo_count {
    uint64_t hits;     /* a kept tail's text copied */
    uint64_t misses;   /* written and kept */
    uint64_t replaced; /* of the misses, those that replaced a kept tail (the memo full) */
    uint64_t unkept;   /* written and not kept: too long a text, kind or key */
    uint64_t passed;   /* written and not kept: the set kept missing */
    unsigned held;     /* tails kept now */
} sd_evout_memo_count;
void sd_evout_memo_stats(sd_evout_memo_count *c);
/* Forgets this thread's kept tails and counts. */
void sd_evout_memo_reset(void);
/* CSV: header once, then one line per event (fields as key=value in
 * "details"); file and file_frame, empty with one input file, keep one
 * header for every run. */
void sd_evout_csv_header(sd_buf *b);
void sd_evout_csv(sd_buf *b, const sd_event *e);
/* The same with the file and its frame given (NULL: one input file), not
 * looked up: an event read back from a merged JSON line (sd_merge_fmt). */
void sd_evout_csv_at(sd_buf *b, const sd_event *e, const char *file, uint64_t file_frame);
/* For the lines a merge reads back (a chunk of --own asked for CSV, the
 * merge's campaigns then): number fields with every digit, not 6
 * decimals, so that the CSV's 3 decimals round the same double. Set once,
 * before any thread writes. */
void sd_evout_set_exact(bool on);
/* Two CSV cells "file,file_frame" for frame with merged inputs, ","
 * otherwise (common/sd_origin). */
void sd_csv_origin(sd_buf *b, uint64_t frame);
/* A text row: frame, time, delta (s since prev_ts, or "-" if prev_ts < 0), leg, kind, details, note. */
void sd_evout_text(sd_buf *b, const sd_event *e, sd_ts prev_ts, bool have_prev);
/* "key=value key=value" of the kind-specific fields. */
void sd_evout_details(sd_buf *b, const sd_event *e);

#endif
