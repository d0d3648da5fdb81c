/* sd_pktout: the packet rows of `strider packets`. */
#ifndef SD_PKTOUT_H
#define SD_PKTOUT_H

#include "../flow/sd_conn.h"

/* One JSON line: uid, frame, ts, rel_time, dir, flags, seq, ack, win, len,
 * analysis (relative numbers as Wireshark shows them). */
void sd_pktout_json(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
/* One text row (csv: a CSV line); first: the header line before it. */
void sd_pktout_text(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta, bool csv, bool first);

#endif
