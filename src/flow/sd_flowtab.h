/* sd_flowtab: connections by 5-tuple (+ outer VLAN), direction-independent,
 * with idle lists for expiry and a count of open connections per host.
 * Internal to the flow stage. */
#ifndef SD_FLOWTAB_H
#define SD_FLOWTAB_H

#include "sd_conn.h"
#include "sd_reasm.h"
#include "sd_streamno.h"
#include "sd_tcpgap.h"
#include "sd_tcphist.h"

/* Idle classes: each has one timeout, so each list stays ordered by last
 * activity and expiry only looks at list heads. TCP_RST: closed by an exact
 * RST of an established connection, which only the peer's later packets can
 * show it took or not (sd_engine.c idle_class). */
enum { SD_IDLE_TCP_EST = 0, SD_IDLE_TCP_EARLY, SD_IDLE_TCP_CLOSED, SD_IDLE_UDP, SD_IDLE_TCP_RST, SD_IDLE_NCLASS };

#define SD_TCP_HOLES 8

/* What TCP tracking needs per direction beyond the public stats. */
/* What a FIN or RST changes of its side, kept before it moves anything,
 * so that one its receiver never took can be undone (sd_tcp.c
 * ctl_low_untaken). */
typedef struct sd_ctl_before {
    uint8_t zstate, zprev;
    bool fin_seen, rst_seen, fin_sent;
} sd_ctl_before;

typedef struct sd_tcptrack {
    /* what every segment reads or writes (sd_tcp's fast path) first */
    bool started;          /* max_end is valid */
    bool acked_any;
    bool last_probe;       /* this direction's last segment was a keep-alive or window probe */
    bool data_started;
    bool fin_sent;
    /* sd_tcp.c conn_steady as the general path last left it (only that
     * path changes what it reads): the fast path's test of it in one load */
    bool steady;
    /* another ISN from a SYN(-ACK) retry before any data: the peer's ACK
     * tells which of the two the endpoint really uses (sd_tcp.c) */
    bool alt_isn_set;
    uint16_t last_win;
    uint32_t max_end;      /* highest seq + len (+SYN/FIN) seen */
    uint32_t last_ack;
    /* this side's exact RST closed the connection: its number, until the
     * peer ACKs past it (it never took the RST: sd_tcp.c rst_untaken) */
    bool rst_closed;
    uint32_t rst_seq;
    /* this side's FIN or RST came at a TTL its receiver may never have
     * seen, with what it changed, until the peer ACKs past it (it never
     * took it: sd_tcp.c ctl_low_untaken) */
    bool ctl_low;
    sd_ctl_before ctl_low_before;
    uint32_t ctl_low_ack;  /* the peer's highest ACK of a receiver that took it */
    uint64_t ctl_low_frame;
    /* RFC 7323 5.3 PAWS: the TS.Recent the peer keeps for this side's
     * TSvals, as the peer updates it (sd_engine.c paws_note), and when */
    bool ts_recent_set;
    uint32_t ts_recent;
    sd_ts ts_recent_at;
    /* Zeek-style size: the highest data sequence number reached, counted
     * in 64 bits so a stream can wrap the 32-bit space any number of times */
    uint32_t data_hi;
    uint64_t data_span;
    sd_tcpgap gap;                 /* Zeek content gaps: missed_bytes, G */
    sd_tcphist hist;               /* Zeek history letters (kept when a SYN restarts the rest) */
    uint32_t alt_isn;
    uint8_t nholes;
    /* Allocated at the direction's first hole (sd_tcp.c hole_add), freed
     * with the flow: most flows never skip a sequence range, and the 128
     * bytes inline were 13 % of a flow, paid by every flow of a SYN scan. */
    struct sd_tcpholes *holes;
} sd_tcptrack;

/* Seq ranges skipped over, not yet filled, and when each appeared. */
typedef struct sd_tcpholes {
    uint32_t r[SD_TCP_HOLES][2];
    sd_ts ts[SD_TCP_HOLES];
} sd_tcpholes;

/* Reassembly calls made before the reassemblers exist (see sd_engine.c). */
#define SD_REASM_PEND 4
typedef struct sd_reasm_pend {
    uint8_t dir;
    bool is_ack;     /* sd_reasm_ack(dir, v, frame, ts), else sd_reasm_set_isn(dir, v) */
    uint32_t v;
    uint64_t frame;
    sd_ts ts;
} sd_reasm_pend;

typedef struct sd_flow {
    sd_conn c;                       /* its per-packet fields first (sd_conn.h) */
    /* the flow's own per-packet fields, packed */
    struct sd_flow *prev, *next;     /* idle list */
    sd_ts last_seen;
    uint8_t idle_class;
    bool counted_open;               /* included in open counts */
    bool selected;                   /* a packet of it passed the filter (sd_engine.c) */
    bool reasm_pending;              /* wanted, not started: no data, FIN or RST yet */
    bool close_or_cut;               /* a FIN, RST or snaplen-cut segment reached the analyzers (sd_engine.c) */
    uint8_t npend;
    uint8_t claimed;                 /* bit per analyzer slot */
    uint8_t close_how;               /* and how (sd_engine.c record_open_counts, for sd_own) */
    uint8_t first_side, first_syn;   /* (for sd_own: does it go on with an earlier stream?) */
    uint32_t first_seq;              /* its first packet's TCP seq, side of the key, SYN without ACK */
    bool tunnel_mixed;               /* packets from two tunnel segments came (said once, sd_engine.c) */
    bool split_open;                 /* began at a SYN that ended an open connection, unanswered yet (sd_engine.c) */
    uint64_t tunnel;                 /* its first packet's tunnel segment (sd_pkt.tunnel) */
    sd_reasm *reasm[2];
    struct sd_oow *oow[2];           /* data beyond the receiver's window, held until ACKed (sd_engine.c) */
    sd_wsconv ws;                    /* its Wireshark conversation (stream number) */
    sd_tcptrack t[2];
    void *rctx;                      /* engine's callback context for reasm */
    sd_reasm_pend pend[SD_REASM_PEND];
    uint64_t seq_no;                 /* creation order */
    uint64_t close_at;               /* the record at which its open count was taken */
} sd_flow;

typedef struct sd_flowkey {
    uint8_t proto;
    uint16_t vlan;
    sd_addr a, b;     /* a <= b, ports follow */
    uint16_t pa, pb;
} sd_flowkey;

typedef struct sd_flowtab sd_flowtab;

sd_flowtab *sd_flowtab_new(void);
void sd_flowtab_free(sd_flowtab *t);  /* frees nothing it still holds: empty it first */

/* Builds the key for a packet; *swapped tells whether src is b. */
void sd_flowkey_make(sd_flowkey *k, const sd_pkt *p, bool *swapped);
/* The key of a flow in the table (its endpoints in sd_flowkey_make's order). */
void sd_flowkey_of(const sd_flow *f, sd_flowkey *k);
sd_flow *sd_flowtab_find(sd_flowtab *t, const sd_flowkey *k);
/* The packet's flow without making its key (cheaper for IPv4, the usual
 * case); *swapped as sd_flowkey_make gives it. */
sd_flow *sd_flowtab_find_pkt(sd_flowtab *t, const sd_pkt *p, bool *swapped);
/* Makes an IPv4 packet's key and its hash for sd_flowtab_find_pkt ahead
 * (p->fk*), in any thread: the VLAN left out as the engine leaves it with
 * vlan_unkeyed. Other packets are left for the table (p->fk_set false). */
void sd_flowtab_pkt_key(sd_pkt *p, bool vlan_unkeyed);
/* Inserts a new flow for k (the caller fills f->c afterwards). */
sd_flow *sd_flowtab_insert(sd_flowtab *t, const sd_flowkey *k);
/* Unlinks f from the table and its idle list; the caller frees it. The
 * table finds f's entry by its key rebuilt from f->c (endpoints, ports,
 * ipproto, vlan), so those must stay as filled in after insert (orig and
 * resp may swap: the key does not depend on their order). */
void sd_flowtab_remove(sd_flowtab *t, sd_flow *f);
/* The same with f's key (sd_flowkey_of) already made by the caller. */
void sd_flowtab_remove_keyed(sd_flowtab *t, sd_flow *f, const sd_flowkey *k);
/* A flow out of the table: its own allocations, then itself (kept by t
 * for a later insert, a few dozen at most). */
void sd_flow_free(sd_flowtab *t, sd_flow *f);

/* Moves f to the tail of class cls's idle list (sd_flowtab_touch's slow
 * part). */
void sd_flowtab_move(sd_flowtab *t, sd_flow *f, uint8_t cls);
/* Marks f active at ts in idle class cls (moves it to its list's tail).
 * Inline: once a packet, and nearly always f is already the newest of its
 * class (on list cls with nothing after it), which needs no list. */
static inline void sd_flowtab_touch(sd_flowtab *t, sd_flow *f, uint8_t cls, sd_ts ts)
{
    /* a packet earlier than the last one (unsorted capture) must not make
     * the list unordered: keep the later time */
    if (ts > f->last_seen)
        f->last_seen = ts;
    if (f->idle_class == cls && !f->next)
        return;
    sd_flowtab_move(t, f, cls);
}
/* The least recently active flow of class cls, or NULL. */
sd_flow *sd_flowtab_oldest(sd_flowtab *t, uint8_t cls);
/* Any flow at all (for draining at end of input), oldest first per class. */
sd_flow *sd_flowtab_any(sd_flowtab *t);
size_t sd_flowtab_count(const sd_flowtab *t);

/* Open-connection accounting, per host and overall. */
void sd_flowtab_open(sd_flowtab *t, sd_flow *f);
/* Returns the count of f's originator host before the close (f
 * included; 0 when f was not counted): sd_flowtab_open_host's answer,
 * without a second lookup. */
uint32_t sd_flowtab_close(sd_flowtab *t, sd_flow *f);
uint32_t sd_flowtab_open_total(const sd_flowtab *t);
uint32_t sd_flowtab_open_host(const sd_flowtab *t, const sd_addr *h);

#endif
