/* sd_sumsec_out: the text and JSON forms of two sections of `strider
 * summary`: client source ports and ISNs (sd_clientpat) and the files seen
 * (sd_filesig, collected by sd_summary). Writers only. */
#ifndef SD_SUMSEC_OUT_H
#define SD_SUMSEC_OUT_H

#include "../analyze/sd_summary.h"

typedef void (*sd_summary_flush)(sd_buf *b);

/* Text: hosts that stand out all listed (up to SD_SUMSEC_TEXT_MAX), then
 * the others with most connections (up to top_n). */
#define SD_SUMSEC_TEXT_MAX 100u
void sd_clientpat_text(sd_buf *b, const sd_clientpat_result *r, size_t top_n, sd_summary_flush flush);
/* JSON: one "client" object per host with a pattern, in the result's order. */
void sd_clientpat_json(sd_buf *b, const sd_clientpat_result *r, sd_summary_flush flush);
/* Text: the first SD_SUMSEC_TEXT_MAX files; JSON: one "file" object each. */
void sd_files_text(sd_buf *b, const sd_summary_files *f, sd_summary_flush flush);
void sd_files_json(sd_buf *b, const sd_summary_files *f, sd_summary_flush flush);
/* Flushes b through flush (may be NULL) once it holds 64 KiB. */
void sd_summary_maybe_flush(sd_buf *b, sd_summary_flush flush);

#endif
