/* sd_evout: event writers (JSON lines per docs/events.md, CSV, text rows). */
#ifndef SD_EVOUT_H
#define SD_EVOUT_H

#include "../common/sd_event.h"

/* One JSON object and '\n': "type":"event", uid, ts, frame, frames, leg, kind, fields. */
void sd_evout_json(sd_buf *b, const sd_event *e);
/* CSV: header once, then one line per event (fields as key=value in
 * "details"); file and file_frame, empty with one input file, keep one
 * header for every run. */
void sd_evout_csv_header(sd_buf *b);
void sd_evout_csv(sd_buf *b, const sd_event *e);
/* Two CSV cells "file,file_frame" for frame with merged inputs, ","
 * otherwise (common/sd_origin). */
void sd_csv_origin(sd_buf *b, uint64_t frame);
/* A text row: frame, time, delta (s since prev_ts, or "-" if prev_ts < 0), leg, kind, details, note. */
void sd_evout_text(sd_buf *b, const sd_event *e, sd_ts prev_ts, bool have_prev);
/* "key=value key=value" of the kind-specific fields. */
void sd_evout_details(sd_buf *b, const sd_event *e);

#endif
