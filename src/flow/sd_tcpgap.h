/* sd_tcpgap: content gaps of one direction of a TCP connection, as Zeek
 * counts them for conn.log's missed_bytes and the history letters G/g
 * (TCP_Reassembler::AckReceived -> TrimToSeq -> Undelivered): when the
 * peer ACKs up to a sequence number, every byte below it that the capture
 * does not hold is a gap, counted once, whether it was never seen (a
 * sequence jump, or data past the last segment) or seen only in part
 * (snaplen-truncated payload). A copy that arrives before the ACK fills
 * the hole; one that arrives after it is too late, as for Zeek. */
#ifndef SD_TCPGAP_H
#define SD_TCPGAP_H

#include <stdbool.h>
#include <stdint.h>

/* Missing ranges kept per direction: one in the flow (most flows have
 * none or one: SD_TCPGAP_INLINE there were 7 % of a flow, and a heap list
 * for the one cost a malloc per flow, 0.7 % of conns' instructions on a
 * brute-force capture), SD_TCPGAP_INLINE on the heap at the second (a lossy
 * window rarely has more), then doubled up to SD_TCPGAP_RANGES:
 * a window of 1-byte segments sent out of order (a hostile or broken
 * sender) opens one hole per byte, and a 64 KiB window can hold ~1,000 of
 * a 64-byte record's pieces. Past the cap the lowest is settled early
 * (counted in capped): 8 KiB per direction at most, and a budget for all
 * of them together (below). */
#define SD_TCPGAP_INLINE 8
#define SD_TCPGAP_RANGES 1024
/* Spilled ranges of every direction together (8 MiB): 100,000 flows each
 * at the cap would hold 1.6 GB. Past it, no list grows: its lowest range
 * is settled early, as at the cap (counted in capped). */
#define SD_TCPGAP_SPILL_TOTAL (1u << 20)

typedef struct sd_tcpgap {
    bool started;
    bool fin;
    uint16_t n;
    uint16_t cap;                   /* ranges spill can hold, 0 = none (one, in the flow) */
    uint32_t hi;                    /* end of the highest segment seen, uncaptured payload included */
    uint32_t settled;               /* everything below was ACKed (Zeek's trim point) */
    uint32_t fin_at;                /* sequence number of the FIN: ACKs past it ack no data */
    uint32_t (*spill)[2];           /* the heap's ranges past the first, else NULL */
    uint32_t one[1][2];             /* [from, to): bytes not held, ascending, in [settled, hi) */
    uint32_t pend_ranges;           /* settled early for the cap: reported at the next ACK */
    uint64_t pend_bytes;
    uint32_t capped;                /* ranges settled early because SD_TCPGAP_RANGES were held */
} sd_tcpgap;

/* What one ACK revealed: bytes not held and the contiguous pieces (one
 * Zeek Gap() call each). */
typedef struct sd_tcpgap_found {
    uint64_t bytes;
    uint32_t ranges;
} sd_tcpgap_found;

/* A segment of this direction: its data starts at seq (after the SYN's
 * number), wire bytes long per the headers, of which captured are in the
 * capture; fin: it carries a FIN. RSTs are not stream data: don't pass. */
void sd_tcpgap_segment(sd_tcpgap *g, uint32_t seq, uint32_t wire, uint32_t captured, bool fin);

/* The peer acknowledged ack: what it covers that the capture does not
 * hold. Past the highest segment seen there is no bound but the ACK: a
 * capture that lost a burst lost the ACKs and window updates in it too
 * (Zeek's bigtransfer trace jumps 380 MB between two ACKs 4 MB of window
 * apart), so the window cannot tell a forged ACK from a lossy capture.
 * The caller counts the gaps only when Zeek would (both sides established). */
sd_tcpgap_found sd_tcpgap_ack(sd_tcpgap *g, uint32_t ack);

/* The direction's sequence space restarts at seq (an adopted ISN + 1). */
void sd_tcpgap_restart(sd_tcpgap *g, uint32_t seq);

/* The ranges spilled to the heap, if any (the struct itself is the caller's). */
void sd_tcpgap_free(sd_tcpgap *g);

#endif
