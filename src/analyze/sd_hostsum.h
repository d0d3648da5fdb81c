/* sd_hostsum: what talked to an address (or network) of interest, for
 * `strider summary --host` (SANS ISC "Packet Analysis - Where do you
 * start?": who talked to it, when, how much, and what happened just after:
 * "see if exfiltration started soon after"). Fed with every finished
 * connection and every packet; keeps only the connections with an end in
 * the prefix, never the capture's others.
 *
 * Bounded: at most max_conns connections are kept (~200 bytes each), the
 * earliest-starting ones (a heap by start: the first contact and the window
 * after it are what the report is about); the others are counted, and
 * still count in the totals and first/last times. Never prints:
 * src/out/sd_hostsum_out formats the result. */
#ifndef SD_HOSTSUM_H
#define SD_HOSTSUM_H

#include "../common/sd_prefix.h"
#include "../flow/sd_engine.h"

/* "Soon after" the first contact, by default: a minute covers a dropper's
 * download and its first call home or upload, and stays short enough that
 * the listing is about cause and effect, not the host's whole day. */
#define SD_HOSTSUM_AFTER_DEFAULT (60 * SD_NS_PER_SEC)
#define SD_HOSTSUM_MAX_CONNS 100000u

typedef struct sd_hostsum_opts {
    sd_prefix host;
    sd_ts after;          /* the window after the first contact; 0 = default */
    size_t max_conns;     /* connections kept; 0 = SD_HOSTSUM_MAX_CONNS */
} sd_hostsum_opts;

typedef struct sd_hostsum_rec {
    char uid[20];
    uint64_t stream;      /* tcp.stream / udp.stream */
    uint64_t conn_index;  /* per protocol, first-packet order (ties of start) */
    uint8_t ipproto;
    bool host_orig;       /* the originator is in the prefix (else only the responder) */
    sd_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
    char service[12];
    char state[8];        /* Zeek conn_state; "" for UDP */
    sd_ts start, end;
    uint64_t orig_bytes, resp_bytes, orig_pkts, resp_pkts;
    uint64_t first_frame, last_frame;
} sd_hostsum_rec;

typedef struct sd_hostsum_result {
    sd_prefix host;
    sd_ts window;
    /* The kept connections by start (then stream order). */
    const sd_hostsum_rec *conns;
    size_t nconns;
    uint64_t matched;       /* connections involving the host, kept or not */
    uint64_t dropped;       /* of which past max_conns (the latest-starting) */
    size_t max_conns;
    bool any;               /* first and last are set */
    sd_ts first, last;      /* over its connections and other packets */
    uint64_t sent, received;/* bytes the host sent and received (Zeek sizes), all connections */
    uint64_t peers;         /* distinct peer addresses of the kept connections */
    uint64_t other_pkts, other_bytes; /* IP packets outside TCP/UDP (ICMP...) to or from it */
    /* After the first contact (conns[0]): the connections the host itself
     * opened within window of its start, as indexes into conns, by start. */
    const size_t *after;
    size_t nafter;
    uint64_t after_sent, after_received;
} sd_hostsum_result;

typedef struct sd_hostsum sd_hostsum;

sd_hostsum *sd_hostsum_new(const sd_hostsum_opts *o);
/* Feeds, as sd_engine_opts.packet_seen and .conn_done (ud = the sd_hostsum). */
void sd_hostsum_packet(void *hs, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
void sd_hostsum_conn(void *hs, const sd_conn *c);
/* Whether c has an end in the prefix. */
bool sd_hostsum_wants(const sd_hostsum *h, const sd_conn *c);
const sd_hostsum_result *sd_hostsum_finish(sd_hostsum *h);
void sd_hostsum_free(sd_hostsum *h);

#endif
