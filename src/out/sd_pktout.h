/* sd_pktout: the packet rows of `strider packets`. */
#ifndef SD_PKTOUT_H
#define SD_PKTOUT_H

#include "../flow/sd_conn.h"

/* One JSON line: uid, frame, (merged inputs: file, file_frame), ts,
 * rel_time, dir, flags, seq, ack, win, len, analysis (relative numbers as
 * Wireshark shows them). */
void sd_pktout_json(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
/* The rows' layout, decided with the first row: text shows the file
 * columns only when that frame came from merged inputs; CSV always has
 * them, empty with one file (as conns' CSV), so its header is fixed. */
typedef struct {
    bool started; /* the header is written */
    bool files;   /* file and file_frame columns */
} sd_pktout_layout;

/* One text row (csv: a CSV line), the header line before the first. */
void sd_pktout_text(sd_buf *b, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta, bool csv,
                    sd_pktout_layout *lay);

#endif
