/* sd_hoststats: the numbers behind `strider summary` (the first look an
 * analyst takes at a capture, SANS ISC "Packet Analysis - Where do you
 * start?"). A cross-connection analyzer fed by the engine's packet_seen and
 * conn_done callbacks: packets and bytes per IP protocol, the capture's
 * time span, per source host packets, bytes, TTLs seen and IP-ID
 * behaviour, connection states, and connections per responder port.
 *
 * Memory is bounded: hosts live in a dense array indexed by a capped
 * sd_hmap (~150 bytes a host at most; past the cap new hosts are refused,
 * their packets still in every total: the packets are counted exactly, the
 * distinct hosts estimated in 16 KiB, HyperLogLog), ports in a fixed table
 * (2 x 65536). Work is linear in the
 * packets; the top talkers come from a bounded heap, and only the JSON
 * listing of every host (opts.all_hosts) sorts them all, once.
 * It never prints: the writers (src/out/sd_summary_out) format the result. */
#ifndef SD_HOSTSTATS_H
#define SD_HOSTSTATS_H

#include "../flow/sd_engine.h"

#define SD_HOSTSTATS_MAX_HOSTS 1000000u /* default cap on hosts tracked */
#define SD_HOSTSTATS_TOP_N 10u          /* default length of the top lists */
#define SD_HOSTSTATS_TTLS 8             /* distinct TTLs kept per host */
#define SD_HOSTSTATS_NSTATES 13         /* TCP connection states counted */

typedef struct sd_hoststats_opts {
    size_t max_hosts; /* hosts tracked at most; 0 = SD_HOSTSTATS_MAX_HOSTS */
    size_t top_n;     /* top talkers kept; 0 = SD_HOSTSTATS_TOP_N */
    bool all_hosts;   /* also list every host in talker order (JSON) */
} sd_hoststats_opts;

/* One source host, as the result lists it. */
typedef struct sd_hoststats_host {
    sd_addr addr;
    uint8_t nttl;                    /* distinct TTLs in ttl[], in order first seen */
    bool ttl_more;                   /* more than SD_HOSTSTATS_TTLS were seen */
    uint8_t ttl[SD_HOSTSTATS_TTLS];
    uint64_t pkts, bytes;            /* sent by the host */
    const char *ip_id;               /* "zero", "constant", "incremental", "random", "-" */
} sd_hoststats_host;

/* Connections to one responder port. */
typedef struct sd_hoststats_port {
    bool udp;       /* else TCP (and any other non-UDP protocol) */
    uint16_t port;
    uint64_t conns;
    uint64_t s0;    /* of which unanswered SYNs */
} sd_hoststats_port;

typedef struct sd_hoststats_result {
    uint64_t ip_pkts, wire_bytes;    /* every IP packet fed */
    bool any;                        /* a packet was seen: first and last are set */
    sd_ts first, last;
    uint64_t proto_pkts[256], proto_bytes[256];
    uint64_t tcp_conns, udp_conns;
    uint64_t states[SD_HOSTSTATS_NSTATES]; /* by sd_hoststats_state_name(i) */
    uint64_t s0, rej, rst_orig, rst_resp, midstream;
    size_t hosts;                    /* hosts tracked */
    uint64_t hosts_refused;          /* distinct hosts refused by the cap (estimate,
                                        within ~1%; exact for a few thousand) */
    uint64_t refused_pkts;           /* their packets (exact) */
    size_t max_hosts;                /* the cap in force */
    /* Hosts by bytes sent, most first (ties: lower address first). */
    const sd_hoststats_host *top;    /* the first top_n */
    size_t ntop;
    const sd_hoststats_host *ttl_varied; /* every host with several TTLs */
    size_t nttl_varied;
    const sd_hoststats_host *all;    /* every host (opts.all_hosts), else NULL */
    size_t nall;
    /* Responder ports by connections, most first (ties: lower port, then
     * TCP before UDP). */
    const sd_hoststats_port *ports;
    size_t nports;
} sd_hoststats_result;

typedef struct sd_hoststats sd_hoststats;

sd_hoststats *sd_hoststats_new(const sd_hoststats_opts *o);
/* Feeds: signatures of sd_engine_opts.packet_seen and .conn_done, with ud
 * the sd_hoststats (so they can be set there directly). */
void sd_hoststats_packet(void *hs, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
void sd_hoststats_conn(void *hs, const sd_conn *c);
/* Ends the feeding (later feeds are ignored) and returns the result, valid
 * until sd_hoststats_free. Frees the per host state not in the result. */
const sd_hoststats_result *sd_hoststats_finish(sd_hoststats *h);
/* The name of state index i (0 <= i < SD_HOSTSTATS_NSTATES), Zeek's. */
const char *sd_hoststats_state_name(size_t i);
void sd_hoststats_free(sd_hoststats *h);

/* Partial aggregates, for a run that owns a chunk of a file list (--own)
 * and the merge of such runs (src/out/sd_merge_sum): a source host's
 * packet facts over the chunk's files. The IP-ID classifier's counts
 * merge by adding, plus the one step across the boundary, from the
 * chunk's first and last IDs; TTLs merge in chunk order. */
typedef struct sd_hoststats_part {
    sd_addr addr;
    uint64_t pkts, bytes;
    uint8_t nttl;
    bool ttl_more, id_set;
    uint8_t ttl[SD_HOSTSTATS_TTLS];
    uint16_t first_id, last_id;      /* the chunk's first and last IPv4 IDs (id_set) */
    uint64_t id_v4, id_zero, id_same, id_small_step;
} sd_hoststats_part;

/* Before finish: the totals so far (packets, bytes, protocols, time span,
 * what the host cap refused), and each host tracked, in the order first seen. */
const sd_hoststats_result *sd_hoststats_running(const sd_hoststats *h);
void sd_hoststats_each(const sd_hoststats *h, void (*fn)(void *ud, const sd_hoststats_part *p), void *ud);
/* Adds another run's totals (packet counts, protocols, time span, refused
 * packets: not the connection counts, which come with each connection)
 * and hosts, chunks in file order. */
void sd_hoststats_add_totals(sd_hoststats *h, const sd_hoststats_result *t);
void sd_hoststats_add_part(sd_hoststats *h, const sd_hoststats_part *p);

#endif
