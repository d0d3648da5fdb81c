/* sd_tcp: per-packet TCP analysis of one connection: handshake timing,
 * history letters, retransmissions, out-of-order segments, duplicate ACKs,
 * zero windows, keep-alives, window probes and window scaling. The rules
 * follow Wireshark's tcp.analysis flags where they are cheap to follow
 * (packet-tcp.c, "tcp_analyze_sequence_number"), simplified as noted. */
#ifndef SD_TCP_H
#define SD_TCP_H

#include "sd_flowtab.h"

/* Per-packet analysis result (bit set). */
enum {
    SD_TA_RETRANS = 1u << 0,
    SD_TA_OOO = 1u << 1,
    SD_TA_DUPACK = 1u << 2,
    SD_TA_ZEROWIN = 1u << 3,
    SD_TA_KEEPALIVE = 1u << 4,
    SD_TA_WINPROBE = 1u << 5,
    SD_TA_LOST_PREV = 1u << 6, /* a hole before this segment: previous segment not captured */
    SD_TA_WINUPDATE = 1u << 7,
    SD_TA_BAD_CSUM = 1u << 8,  /* wrong checksum: kept out of the connection (sd_csum.h) */
    SD_TA_RST_INVALID = 1u << 9, /* a RST outside the receiver's window: does not close (sd_tcp.c) */
    SD_TA_RST_CHALLENGE = 1u << 10, /* in the window, not at the next number: challenge ACK, does not close */
    SD_TA_FRAG_CONFLICT = 1u << 11, /* from fragments that overlap with other bytes: held until ACKed (sd_frag.c) */
    SD_TA_UNTAKEN = 1u << 12, /* data its receiver drops for its flags or ACK: held until ACKed (sd_engine.c) */
    SD_TA_ZEROWIN_DATA = 1u << 13, /* with SD_TA_UNTAKEN: data into the zero window its receiver offered */
    SD_TA_PAWS = 1u << 14, /* with SD_TA_UNTAKEN: a TSval older than the receiver's TS.Recent (RFC 7323 5) */
    SD_TA_TTL_LOW = 1u << 15, /* with SD_TA_UNTAKEN: a TTL far below its side's SYN's (sd_engine.c) */
    SD_TA_IP_DISCARD = 1u << 16, /* with SD_TA_UNTAKEN: IP options its receiver discards it for (sd_ip.c) */
    SD_TA_TCP_AUTH = 1u << 17, /* with SD_TA_UNTAKEN: a TCP-MD5/AO option its connection does not use, or none where it does */
};

/* Default out-of-order threshold when no handshake RTT is known: a segment
 * that fills a hole this soon after the hole appeared was reordered, not
 * resent (Wireshark uses the same 3 ms default). */
#define SD_TCP_OOO_DEFAULT_NS (3 * 1000000LL)

/* Updates f from packet p travelling in direction dir; returns SD_TA_*.
 * The next in-order segment of an established connection (sd_tcp_in_order)
 * takes a fast path that makes the same updates as the general one. */
unsigned sd_tcp_packet(sd_flow *f, const sd_pkt *p, int dir);
/* The general path alone (every check; for tests and the debug check). */
unsigned sd_tcp_packet_general(sd_flow *f, const sd_pkt *p, int dir);
/* p from dir is the next in-order segment of an established connection
 * that none of the general path's analyses can flag: the fast path's. */
bool sd_tcp_in_order(const sd_flow *f, const sd_pkt *p, int dir);

/* The window the sender of p advertised, scaled by the negotiated shift
 * (raw when the handshake was not seen). */
uint64_t sd_tcp_scaled_win(const sd_conn *c, const sd_pkt *p, int dir);

/* Relative sequence/ack numbers for display (0 = ISN when known, else the
 * first seq seen in that direction). */
uint32_t sd_tcp_rel_seq(const sd_conn *c, int dir, uint32_t seq);

static inline int32_t sd_seq_diff(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}
#define SD_SEQ_LT(a, b) (sd_seq_diff((a), (b)) < 0)
#define SD_SEQ_LEQ(a, b) (sd_seq_diff((a), (b)) <= 0)
#define SD_SEQ_GT(a, b) (sd_seq_diff((a), (b)) > 0)
#define SD_SEQ_GEQ(a, b) (sd_seq_diff((a), (b)) >= 0)

#endif
