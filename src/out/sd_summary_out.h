/* sd_summary_out: the text and JSON forms of `strider summary`. Writers
 * only: they format an sd_hoststats result and the engine's counters, and
 * compute nothing. Output goes to an sd_buf; flush (may be NULL) is called
 * whenever the buffer passes 64 KiB, so a listing of a million hosts never
 * sits in memory whole. */
#ifndef SD_SUMMARY_OUT_H
#define SD_SUMMARY_OUT_H

#include "../analyze/sd_hoststats.h"

typedef void (*sd_summary_flush)(sd_buf *b);

/* Sections: Capture, Protocols, Connections, Top talkers, Top responder
 * ports, Hosts whose TTL varies. */
void sd_summary_text(sd_buf *b, const sd_hoststats_result *r, const sd_engine_stats *st,
                     sd_summary_flush flush);
/* JSON lines: one "capture" object, then one "proto" object per IP
 * protocol, one "host" per host (r->all, in talker order), one "port" per
 * responder port. */
void sd_summary_json(sd_buf *b, const sd_hoststats_result *r, const sd_engine_stats *st,
                     sd_summary_flush flush);

#endif
