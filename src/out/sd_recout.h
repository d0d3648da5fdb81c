/* sd_recout: the one writer of records described by a field table
 * (sd_fields.h): JSON lines with a "type", CSV with a header line, or a text
 * table that streams (sd_table). Commands hand it records as they come; it
 * formats and never decides (which records, in which order: the caller). */
#ifndef SD_RECOUT_H
#define SD_RECOUT_H

#include "sd_fields.h"

typedef enum sd_rec_fmt { SD_REC_TEXT = 0, SD_REC_JSON, SD_REC_CSV } sd_rec_fmt;

typedef struct sd_recout sd_recout;

/* sel: the n columns (borrowed, must outlive the writer); type: the JSON
 * lines' "type" value; hold: text rows kept to size the columns before the
 * first is written (0 = write at once). */
sd_recout *sd_recout_new(sd_rec_fmt fmt, const sd_field *const *sel, size_t n, const char *type, size_t hold);
/* The CSV header or the text table's header row. */
void sd_recout_begin(sd_recout *w, sd_buf *out);
void sd_recout_record(sd_recout *w, sd_buf *out, const void *rec);
/* The same record from its n column values, already got (parsed back from
 * a JSON line by sd_merge_fmt): the same bytes as sd_recout_record. */
void sd_recout_values(sd_recout *w, sd_buf *out, sd_fval *vals);
/* Whatever is held (the text table's first rows). */
void sd_recout_end(sd_recout *w, sd_buf *out);
void sd_recout_free(sd_recout *w);

#endif
