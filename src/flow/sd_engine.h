/* sd_engine: the pipeline. capture -> decode -> flow table -> TCP tracking
 * and reassembly -> analyzers. Analyzers never print: they see packets and
 * in-order bytes of the connections they claim, and report through their own
 * context (usually into an event list that writers format).
 *
 * One engine per run; no global state, so several can run side by side. */
#ifndef SD_ENGINE_H
#define SD_ENGINE_H

#include "sd_conn.h"
#include "sd_reasm.h"

#include <signal.h>

/* Live connections kept at most, by default. A flow costs about 1.6 KiB
 * before any analyzer state (sizeof(sd_flow) 1,608 bytes: the connection's
 * record, both directions' TCP tracking; 1,960 before flowshrink moved the
 * holes and gap lists out of line), and as many ended ones are remembered
 * for Wireshark's stream numbers (sd_streamno, 80 bytes each at most: a
 * 64-byte ring line and its index's slack), so 64 Ki flows stay near
 * 120 MiB: a SYN scan from a million sources stays under issue #11's 200 MB (155 MB conns, 161 MB ssh,
 * bench/README.md flowshrink; 100,000 still take 235 / 244 MB), and a real
 * server's live set (thousands) is far below it. Eviction is counted and
 * shown (--max-flows). */
#define SD_ENGINE_MAX_FLOWS_DEFAULT 65536u

typedef struct sd_engine sd_engine;

typedef struct sd_analyzer {
    const char *name;
    /* Return per-connection state, or NULL if not interested (then no other
     * call for this conn). Called at the connection's first packet. */
    void *(*conn_new)(void *ctx, sd_conn *c);
    /* Every packet of a claimed conn, in capture order, dir = SD_DIR_*. */
    void (*packet)(void *ctx, sd_conn *c, void *st, const sd_pkt *p, int dir);
    /* packet only from the connection's first FIN, RST or segment whose
     * payload the snaplen cut on (that packet and every later one): for an
     * analyzer that only follows the close and the cuts, whose packet does
     * nothing before either, so that the packets before (a short
     * connection's nearly all) cost no call (issue #11). */
    bool packet_from_close;
    /* In-order bytes (and gaps) of a claimed TCP conn. Requires
     * sd_engine_opts.reassemble. */
    void (*chunk)(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch);
    /* Two copies of the same stream bytes differed (an evasion indicator);
     * may be NULL. Requires reassembly. */
    void (*inconsistency)(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_inconsistency *i);
    /* An urgent byte reached the stream (taken out of it with urgent_oob);
     * may be NULL. Requires reassembly. */
    void (*urgent)(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_urgent *u);
    /* The connection ended (closed and lingered, expired, or end of input).
     * Last call for this conn: the analyzer frees st here. */
    void (*conn_end)(void *ctx, sd_conn *c, void *st);
    /* Capture time passes (see sd_engine_opts.tick); may be NULL. For
     * findings decided before a connection ends (live capture). */
    void (*tick)(void *ctx, sd_ts now);
    void *ctx;
} sd_analyzer;

typedef struct sd_engine_opts {
    sd_ts tcp_idle;        /* established TCP idle timeout; 0 = 3600 s */
    sd_ts tcp_idle_early;  /* not established; 0 = 300 s */
    sd_ts tcp_linger;      /* closed (FIN both ways or RST), kept for late packets; 0 = 30 s */
    sd_ts udp_idle;        /* 0 = 120 s */
    bool reassemble;       /* run sd_reasm on every TCP conn an analyzer claims */
    /* No output reads sd_conn.open_at_end and orig_open_at_end (ssh): the
     * per-host counts of open connections behind them are not kept, and
     * both stay 0 (without --own, whose merge needs the counts' times). */
    bool no_open_counts;
    sd_reasm_opts reasm;
    sd_diag *diag;
    /* Called for every finished connection (after the analyzers' conn_end),
     * whether or not an analyzer claimed it. */
    void (*conn_done)(void *ud, const sd_conn *c);
    /* Called for every decoded IP packet with its conn (NULL for non TCP/UDP)
     * after the flow stage saw it; ta is the TCP analysis (SD_TA_* of
     * sd_tcp.h). For summaries and the per-packet view. */
    void (*packet_seen)(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
    /* Called as capture time passes: about every sweep_every of capture
     * time, and on every live read timeout (about 10 times a second) with
     * the wall clock. For periodic statistics and flushing. */
    void (*tick)(void *tick_ud, sd_ts now);
    void *ud;
    void *tick_ud;
    /* Most live connections; at the cap the oldest idle one is ended
     * (closed ones first, then unanswered, then UDP, then established:
     * Suricata's emergency order) and marked evicted. 0 = default. */
    uint64_t max_flows;
    /* How often idle connections are looked for, in capture time; 0 = 1 s.
     * Live capture uses less so a closed connection is written promptly. */
    sd_ts sweep_every;
    /* Set (from a signal handler) to end the run early: every live
     * connection is then ended as at end of input. May be NULL. */
    volatile sig_atomic_t *stop;
    /* Leave VLAN ids out of the connection key (Zeek's and Wireshark's
     * default): a capture point that sees one direction tagged and the
     * other not, or the same hosts on two VLANs, gives one connection. By
     * default the outer id is part of the key, as tcpflow names flows. */
    bool vlan_unkeyed;
    /* --checksum: which packets count as corrupt and are kept out (sd_csum.h) */
    sd_csum_mode csum;
    /* A chunk of a file list owned by this run (sd_own.h), or NULL. */
    struct sd_own *own;
    /* 2 or more: records are read and decoded ahead in a thread of their
     * own (sd_pipe.h), for files that allow it; the output is the same
     * byte for byte. 0 or 1: one thread. */
    unsigned threads;
    /* sd_pipe's records per batch and batches in flight; 0: its defaults
     * (the tests give 1 and 1, so that every record is a hand-off) */
    unsigned pipe_batch, pipe_batches;
} sd_engine_opts;

sd_engine *sd_engine_new(const sd_engine_opts *opts);
/* Registers an analyzer (at most SD_MAX_ANALYZERS); returns its slot, the
 * index of its state in sd_conn.slot. An analyzer that is done with a conn
 * early frees its state and sets c->slot[slot] = NULL: it gets no further
 * calls for that conn, and reassembly stops when no analyzer wants bytes. */
int sd_engine_add(sd_engine *e, const sd_analyzer *a);
/* Reads the whole capture through the pipeline (or until *opts.stop), then
 * ends every live conn in stream order (open at end of input). Connections
 * are handed to analyzers and conn_done as they end, so a caller that
 * writes there streams. progress (may be NULL) is called about every 64k frames. */
void sd_engine_run(sd_engine *e, sd_capture *cap,
                   void (*progress)(void *ud, uint64_t done, uint64_t total), void *pud);

/* Hops a route change may add to a side's path within one connection:
 * Snort's stream ttl_limit (default 5). A data segment whose TTL is lower
 * than its side's SYN's by more is judged a copy that may not reach its
 * receiver (sd_engine.c ttl_low). */
#define SD_TTL_ROUTE_SLACK 5

typedef struct sd_engine_stats {
    uint64_t frames, ip_pkts, tcp_pkts, udp_pkts, other_pkts, not_ip, bad;
    uint64_t conns_tcp, conns_udp, conns_other;
    uint64_t max_live;     /* most connections alive at once */
    uint64_t frags_reassembled;
    uint64_t frags_lost_memcap, frags_lost_timeout, frags_incomplete; /* fragment sets that made no datagram */
    uint64_t frag_copies;  /* fragment sets copying a datagram reassembled before them (no loss) */
    /* connections whose packets came from two tunnel segments (sd_pkt.tunnel:
     * VNIs, GRE keys, or one and none), and the frame of the first */
    uint64_t tunnel_mixed, tunnel_mixed_first;
    /* connections a SYN ended while open (no FIN or RST; data or a
     * finished handshake) whose receiver answered it with no SYN-ACK
     * (RFC 5961 4.2's challenge ACK: the old one went on), and the frame
     * of the first such SYN */
    uint64_t syn_split, syn_split_first;
    /* FINs a synchronized receiver drops for the segment's other flags (no
     * ACK, or a SYN: sd_engine.c fin_dropped), and the frame of the first */
    uint64_t fin_dropped, fin_dropped_first;
    /* FINs and RSTs whose TCP-MD5/AO option differs from their receiver's
     * SYN's (sd_engine.c ctl_auth): dropped, and the frame of the first */
    uint64_t ctl_auth, ctl_auth_first;
    /* SYN|ACKs with no data off their side's ISN that a synchronized
     * receiver drops (sd_engine.c syn_dropped), and the frame of the first */
    uint64_t syn_dropped, syn_dropped_first;
    uint64_t evicted;      /* connections ended early because the table was full */
    uint64_t streams_forgotten; /* ended address/port pairs whose stream number was let go (sd_streamno) */
    uint64_t oow_dropped;  /* data segments beyond the receiver's window never ACKed, kept out */
    uint64_t gaps_settled_early; /* content gaps counted before their ACK: sd_tcpgap's list was full */
    uint64_t csum_bad[2];  /* TCP segments, UDP datagrams with a wrong checksum: kept out (--checksum) */
    uint64_t frag_conflict; /* TCP segments from fragments overlapping with other bytes (held until ACKed) */
    uint64_t frag_splithdr; /* TCP segments whose first fragment ended in the TCP header (held too) */
    uint64_t untaken;      /* data segments a synchronized receiver drops for their flags or ACK (held until ACKed) */
    uint64_t zerowin_data; /* data segments into a zero window the receiver offered (held until ACKed) */
    uint64_t paws;         /* data segments with a TSval older than the receiver's TS.Recent (held until ACKed) */
    uint64_t ttl_low;      /* data segments whose TTL is SD_TTL_ROUTE_SLACK below their side's SYN's (held until ACKed) */
    uint64_t ip_discard;   /* data segments in datagrams whose IP options make receivers discard them (held until ACKed) */
    uint64_t tcp_auth;     /* data segments whose TCP-MD5/AO option differs from their SYNs' (held until ACKed) */
    uint64_t history_cut;  /* connections whose history reached SD_HISTORY_MAX letters and lost some */
    uint64_t live;         /* connections alive now */
    uint64_t max_flows;    /* the cap in force */
    /* frames whose timestamp is earlier than the frame read before them,
     * and the first of them (0 = none): analyses keep capture order there */
    uint64_t ts_back, ts_back_first;
    /* decoder warnings past their kind's quota, not shown: in all, and by kind */
    uint64_t warn_unshown;
    char warn_unshown_kinds[400];
    /* frames that gave no IP packet (not_ip + bad), by reason (SD_UNDEC_*) */
    uint64_t undecoded[SD_UNDEC_COUNT];
} sd_engine_stats;
const sd_engine_stats *sd_engine_get_stats(const sd_engine *e);
/* With own: the counts as they were when the first record past the
 * chunk's files was read (all of them if none was); else the same as
 * sd_engine_get_stats. */
const sd_engine_stats *sd_engine_chunk_stats(const sd_engine *e);
/* The record being handled (or last handled, in a sweep or the drain). */
uint64_t sd_engine_cur_frame(const sd_engine *e);
/* The chunk this run owns (opts.own), or NULL. */
struct sd_own *sd_engine_own(const sd_engine *e);
/* The uid (sd_conn_make_uid) left for conn_done's receiver to make: a
 * caller whose records are written in a thread of their own, where nothing
 * before the record reads it, moves that work off the analysis thread
 * (conns). Analyzers then see an empty uid. */
void sd_engine_uids_late(sd_engine *e);
/* IP datagrams whose fragments made no datagram, for whatever reason. */
static inline uint64_t sd_engine_frags_lost(const sd_engine_stats *st)
{
    return st->frags_lost_memcap + st->frags_lost_timeout + st->frags_incomplete;
}
void sd_engine_free(sd_engine *e);

#endif
