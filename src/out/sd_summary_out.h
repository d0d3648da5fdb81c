/* sd_summary_out: the text and JSON forms of `strider summary`. Writers
 * only: they format an sd_summary result (sd_hoststats, sd_clientpat, the
 * files seen, sd_hostsum) and the engine's counters, and compute nothing. Output goes to an sd_buf; flush (may be NULL) is called
 * whenever the buffer passes 64 KiB, so a listing of a million hosts never
 * sits in memory whole. */
#ifndef SD_SUMMARY_OUT_H
#define SD_SUMMARY_OUT_H

#include "sd_sumsec_out.h"

/* Sections: Capture, Protocols, Connections, Top talkers, Top responder
 * ports, Hosts whose TTL varies, Client source ports and ISNs (r->clients),
 * Files seen (r->files); with a host of interest (r->host) only Capture,
 * then the host's report (sd_hostsum_out) and the files on its
 * connections. Parts left NULL in r are left out. (A DNS section, issue
 * #17, goes after Files seen, and its answers for the host after the
 * host's report.) */
void sd_summary_text(sd_buf *b, const sd_summary_result *r, const sd_engine_stats *st,
                     sd_summary_flush flush);
/* JSON lines: one "capture" object, then one "proto" object per IP
 * protocol, one "host" per host (r->all, in talker order), one "port" per
 * responder port, one "client" per client host with a pattern, one "file"
 * per file seen; with a host of interest: "capture", "host_summary",
 * "host_conn" lines and the "file" lines of its connections. */
void sd_summary_json(sd_buf *b, const sd_summary_result *r, const sd_engine_stats *st,
                     sd_summary_flush flush);

/* The whole report `strider summary` writes: the above, then (without a
 * host of interest) services and DNS, JSON lines or text. */
void sd_summary_report(sd_buf *b, const sd_summary_result *r, const sd_engine_stats *st, bool json,
                       sd_summary_flush flush);

#endif
