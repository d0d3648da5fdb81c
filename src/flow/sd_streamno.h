/* sd_streamno: Wireshark's stream numbers (tcp.stream, udp.stream).
 *
 * strider ends a connection where Zeek does (a SYN after a close or a RST,
 * idle expiry, eviction), so one Wireshark stream can be several strider
 * connections: a SYN retried after a RST with the same ISN, or a FIN that
 * comes after the connection lingered out. Wireshark keeps one conversation
 * per address/port pair for the whole file and starts a new one only for a
 * SYN (without ACK) whose sequence number differs from the first one seen in
 * that direction (its base_seq, which a first non-SYN segment sets to seq-1).
 * This module applies that rule, so `stream` is Wireshark's number in every
 * case and the printed `tcp.stream eq N` filters find the connection;
 * several connections may share a stream, each with its own uid.
 *
 * A stream outlives its flow: the state of ended flows is remembered per
 * address/port pair, up to a cap (oldest forgotten first, counted), so
 * memory stays bounded by the flow-table size, not by the capture. */
#ifndef SD_STREAMNO_H
#define SD_STREAMNO_H

#include "../decode/sd_decode.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A flow's Wireshark conversation: its number and, per side of the flow key
 * (0 = key.a sent it, 1 = key.b), the first sequence number seen. */
typedef struct sd_wsconv {
    uint64_t stream;
    uint32_t base[2];
    bool base_set[2];
    /* the flow key's tag in the memory of ended pairs (its hash), made once
     * at the flow's begin for its end: one hash of the key a connection */
    uint32_t tag;
} sd_wsconv;

struct sd_flowkey;
typedef struct sd_streamno sd_streamno;

/* cap: ended pairs remembered at most (0 = a default). */
sd_streamno *sd_streamno_new(size_t cap);
void sd_streamno_free(sd_streamno *t);

/* Does p (from side `side` of a live flow with conversation w) start a new
 * Wireshark conversation? */
bool sd_streamno_splits(const sd_wsconv *w, const sd_pkt *p, int side);

/* The conversation of a new flow whose first packet is p: the one of the
 * flow that ended last under key (taken from memory) when Wireshark would
 * go on with it, else a new number. */
void sd_streamno_begin(sd_streamno *t, const struct sd_flowkey *key, const sd_pkt *p, int side, sd_wsconv *out);

/* Every packet of the flow: the first one of each side sets its base. */
void sd_streamno_packet(sd_wsconv *w, const sd_pkt *p, int side);

/* The flow under key ended: remember its conversation (w: as begin made
 * it for the same key, and the packets kept it). */
void sd_streamno_end(sd_streamno *t, const struct sd_flowkey *key, const sd_wsconv *w);

/* Ended pairs forgotten for the cap (a later packet of one starts a new
 * stream where Wireshark would continue the old). */
uint64_t sd_streamno_forgotten(const sd_streamno *t);

/* Bytes t holds (the ring's blocks, their table, the index). */
size_t sd_streamno_bytes(const sd_streamno *t);

#endif
