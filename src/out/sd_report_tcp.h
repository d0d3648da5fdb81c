/* sd_report_tcp: the packets of one connection kept for its time-sequence
 * graph (`strider packets --plot`, drawn by sd_tsgraph), and the graph
 * written to its file. */
#ifndef SD_REPORT_TCP_H
#define SD_REPORT_TCP_H

#include "sd_tsgraph.h"

typedef struct sd_report_tcp sd_report_tcp;

/* first..last: the frames to keep (-z; 0 = open). */
sd_report_tcp *sd_report_tcp_new(uint64_t first, uint64_t last);
/* One packet of c, in direction dir, with its SD_TA_* analysis bits. */
void sd_report_tcp_add(sd_report_tcp *t, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
/* Packets past the keeper's cap, not kept (0 but for huge connections). */
uint64_t sd_report_tcp_dropped(const sd_report_tcp *t);
/* Writes the graph of direction dir (SD_DIR_*, SD_TSG_BOTH, SD_TSG_AUTO)
 * to path: SVG if it ends in ".svg", else a self-contained HTML page; 0,
 * or -1 with errno set. */
int sd_report_tcp_write(const sd_report_tcp *t, const char *path, int dir);
void sd_report_tcp_free(sd_report_tcp *t);

#endif
