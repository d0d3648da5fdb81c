/* sd_tsgraph: the time-sequence graph of one TCP connection (`strider
 * packets --plot`), as Wireshark's Statistics > TCP Stream Graphs >
 * Time-Sequence (tcptrace) and tcptrace -S draw it: for one direction, the
 * relative sequence number over time with each segment a vertical bar from
 * seq to seq + len, and from the other direction's packets the ACK line,
 * the receive-window line (ACK + scaled window) and the SACK blocks.
 * Retransmissions, zero windows and sequence gaps (a segment the capture
 * lost) are marked. Each direction drawn gets its own panel and scale.
 *
 * The writer decides nothing about the connection: the analysis bits are
 * sd_tcp's, the numbers those `strider packets` prints. Every mark carries
 * class "mk" and its kind's class, data-f (its first frame) and data-n (how
 * many it stands for: above a cap, marks are binned per pixel column), and
 * single segments data-s / data-l (relative seq and length), so a test can
 * compare them with tshark. */
#ifndef SD_TSGRAPH_H
#define SD_TSGRAPH_H

#include "../decode/sd_decode.h"
#include "../flow/sd_conn.h"

/* One packet of the connection, its numbers relative (as Wireshark shows
 * them) and unwrapped past 4 GiB. */
typedef struct sd_tsg_pkt {
    uint64_t frame;
    sd_ts ts;
    int64_t seq;          /* in this packet's direction */
    int64_t ack;          /* in the other direction's numbers */
    uint64_t win;         /* scaled receive window */
    uint32_t len;         /* payload bytes */
    uint32_t sack;        /* index of its first block in the SACK array */
    unsigned ta;          /* SD_TA_* analysis bits (sd_tcp.h) */
    uint8_t dir;          /* SD_DIR_ORIG / SD_DIR_RESP */
    uint8_t flags;        /* TCP flags */
    uint8_t nsack;        /* SACK blocks */
    bool has_ack;
} sd_tsg_pkt;

/* A SACK block, relative in the numbers of the direction it acknowledges. */
typedef struct sd_tsg_sack {
    int64_t left, right;
} sd_tsg_sack;

enum { SD_TSG_AUTO = -1, SD_TSG_BOTH = 2 }; /* besides SD_DIR_ORIG, SD_DIR_RESP */

typedef struct sd_tsg_in {
    const sd_conn *conn;
    const sd_tsg_pkt *p;
    size_t n;
    const sd_tsg_sack *sack;
    size_t nsack;
    int dir;              /* SD_DIR_*, SD_TSG_BOTH, or SD_TSG_AUTO: the one with more data */
    uint64_t first, last; /* the frames shown (-z), for the title; 0 = open */
    uint64_t dropped;     /* packets past the keeper's cap, not drawn */
} sd_tsg_in;

/* Appends the graph: a standalone SVG document, or a self-contained HTML
 * page (no external resources) whose script, for a headless-browser test,
 * writes each panel's mark counts and layout checks into <pre id=result>. */
void sd_tsg_write(sd_buf *b, const sd_tsg_in *in, bool html);

#endif
