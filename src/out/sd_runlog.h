/* sd_runlog: the lines a run writes on stderr about itself: the periodic
 * statistics line, every cap that cut something (said once, whatever -q
 * says), and the end notes of follow and extract. They write; what to
 * count was decided where it happened. */
#ifndef SD_RUNLOG_H
#define SD_RUNLOG_H

#include "../capture/sd_capture.h"
#include "../flow/sd_engine.h"
#include "sd_extract.h"
#include "sd_follow.h"
#include "sd_summary_out.h"

#include <stdio.h>

/* "strider: stats: N frames, dropped..., N connections live (cap N), N
 * ended, N evicted, N MB" (the kernel's drops when cap is live). */
void sd_runlog_stats(FILE *f, const sd_engine_stats *st, sd_capture *cap);
/* Warnings past the shown ones, out-of-window data kept out, fragments
 * not reassembled, connections evicted, stream numbers forgotten, time
 * going back. */
/* "non-IP ethertype 3, truncated IP header 1" into what; returns the
 * frames in all (0: what is empty). */
uint64_t sd_undecoded_text(const sd_engine_stats *st, char *what, size_t len);
void sd_runlog_undecoded(FILE *f, const sd_engine_stats *st);
void sd_runlog_caps(FILE *f, const sd_engine_stats *st, uint64_t diag_count, uint64_t diag_max);
/* summary's host table cap, if it refused hosts. */
void sd_runlog_hosts(FILE *f, const sd_hoststats_result *r);
/* A warning about the input (file and frame when known). */
void sd_runlog_diag(FILE *f, const char *file, uint64_t frame, const char *msg);
/* "\rstrider: 42% (1.0 of 2.4 MB)" on a terminal. */
void sd_runlog_progress(FILE *f, uint64_t done, uint64_t total);
/* follow's end: bytes left out of --raw, out-of-window segments (frame of
 * the first), a truncated stream. */
void sd_runlog_follow(FILE *f, const sd_follow_out *fo, uint32_t oow, uint64_t oow_frame, bool quiet);
/* extract's end: sessions, payload, signatures, truncation; holes cut. */
void sd_runlog_extract(FILE *f, const sd_extract_stats *st, bool quiet);

#endif
