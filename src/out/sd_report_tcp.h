/* sd_report_tcp: the packets of one connection kept for its time-sequence
 * graph (`strider packets --plot`, drawn by sd_tsgraph), and the graph
 * written to its file. */
#ifndef SD_REPORT_TCP_H
#define SD_REPORT_TCP_H

#include "sd_tsgraph.h"

typedef struct sd_report_tcp sd_report_tcp;

/* Packets kept at most (48 bytes each: ~200 MB). A longer connection's
 * later packets are counted, not kept, and the graph says so: -z draws
 * any part of it. */
#define SD_REPORT_TCP_MAX_KEPT (4u << 20)

/* first..last: the frames to keep (-z; 0 = open). */
sd_report_tcp *sd_report_tcp_new(uint64_t first, uint64_t last);
/* One packet of c, in direction dir, with its SD_TA_* analysis bits. */
void sd_report_tcp_add(sd_report_tcp *t, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
/* TCP packets kept, and those past the cap, not kept (0 but for huge
 * connections). */
size_t sd_report_tcp_kept(const sd_report_tcp *t);
uint64_t sd_report_tcp_dropped(const sd_report_tcp *t);
/* Appends the graph of direction dir (as below) to b: an SVG document, or
 * a self-contained HTML page. */
void sd_report_tcp_render(const sd_report_tcp *t, sd_buf *b, int dir, bool html);
/* Writes the graph of direction dir (SD_DIR_*, SD_TSG_BOTH, SD_TSG_AUTO)
 * to path: SVG if it ends in ".svg", else a self-contained HTML page; 0,
 * or -1 with errno set. */
int sd_report_tcp_write(const sd_report_tcp *t, const char *path, int dir);
void sd_report_tcp_free(sd_report_tcp *t);

#endif
