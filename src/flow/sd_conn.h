/* sd_conn: one connection (TCP, UDP or other IP) and what the flow stage
 * learnt about it. Direction 0 is originator -> responder (the SYN sender,
 * or the first packet's sender when the handshake was not seen), 1 is back. */
#ifndef SD_CONN_H
#define SD_CONN_H

#include "../decode/sd_decode.h"

#define SD_HISTORY_MAX 24
#define SD_MAX_ANALYZERS 8

enum { SD_DIR_ORIG = 0, SD_DIR_RESP = 1 };

/* Zeek's TCP endpoint states (analyzer/protocol/tcp/TCP_Endpoint.h). */
enum { SD_ZS_INACTIVE = 0, SD_ZS_SYN_SENT, SD_ZS_SYN_ACK_SENT, SD_ZS_PARTIAL, SD_ZS_ESTABLISHED,
       SD_ZS_CLOSED, SD_ZS_RESET };

typedef struct sd_dirstats {
    /* what every packet touches first (sd_conn_count_packet, sd_tcp's
     * fast path): one cache line of the direction */
    uint64_t pkts;
    uint64_t bytes;               /* Zeek's size: TCP from sequence numbers (retransmissions
                                     not counted twice, missed bytes included); UDP payload */
    uint64_t payload_bytes;       /* sum of payload lengths of every packet */
    uint64_t ip_bytes;            /* IP-level bytes (Zeek orig_ip_bytes) */
    uint64_t wire_bytes;          /* frame lengths on the wire (tshark conv "Bytes") */
    uint64_t last_frame;
    uint64_t win_min, win_max;    /* scaled, over non-SYN, non-RST packets */
    int wscale;                   /* -1 = not negotiated */
    bool win_seen;
    uint8_t ttl_min, ttl_max;
    bool base_set;
    uint32_t seq_base;            /* relative numbering: ISN, or first seq - 1 mid-stream */
    bool isn_set;
    bool sack_ok, ts_ok;
    bool auth_syn;                /* its SYN carried TCP-MD5 or TCP-AO (sd_engine.c auth_unexpected) */
    uint8_t ttl_syn;              /* the TTL (hop limit) this side's data is judged by: its SYN's,
                                     then a lower one its receiver took (sd_engine.c ttl_path) */
    uint16_t mss;                 /* 0 = not seen */
    uint8_t ttl_held;             /* the TTL of its last data judged low, */
    bool ttl_pending;             /* not yet replaced by a copy at ttl_syn nor ACKed */
    uint32_t isn;                 /* from a SYN */
    uint64_t first_frame;
    uint64_t missed_bytes;        /* bytes the peer ACKed that the capture never showed */
    uint64_t retrans_pkts, retrans_bytes;
    uint64_t ooo_pkts;            /* data arriving below the highest seq seen but not a retransmission */
    uint64_t dup_acks;
    uint64_t zero_windows;        /* packets advertising a zero window */
    uint64_t keepalives;
    uint64_t window_probes;
    /* reassembly (when it ran for the conn: sd_conn.reasm_on) */
    uint64_t stream_bytes;        /* in-order payload delivered */
    uint64_t gap_bytes;           /* holes delivered as gaps */
    uint64_t inconsistent_bytes;  /* overlapping copies with different bytes */
    uint64_t unchecked_bytes;     /* retransmitted bytes older than the overlap history */
    uint64_t policy_unapplied_bytes; /* differing bytes delivered already that --overlap
                                        would have replaced */
    uint64_t urgent_bytes;        /* urgent bytes (out of the stream with --urgent oob) */
    bool stream_truncated;        /* a memory cap was hit */
    uint64_t bad_csum;            /* packets with a wrong checksum, kept out of all the above
                                     (--checksum; Zeek's C) */
} sd_dirstats;

/* How a connection's originator was decided (sd_conn.orig_by). */
enum {
    SD_ORIG_SYN = 0,         /* it sent the SYN */
    SD_ORIG_SYNACK,          /* it received the first packet, a SYN-ACK */
    SD_ORIG_SERVER_PORT,     /* joined mid-stream: the first packet came from a likely server port */
    SD_ORIG_FIRST,           /* it sent the first packet (mid-stream with no port to go by, or UDP) */
};

/* What the first client message said, by content (src/analyze/sd_svcinfo,
 * through sd_service): an HTTP request (method, Host, URI) or a TLS
 * ClientHello (SNI, the highest version offered, JA4). Printable text only;
 * "" = not seen. Fixed size, so a copied sd_conn (conns --sort) keeps it. */
typedef struct sd_appinfo {
    char kind;                    /* 'h' HTTP request, 't' TLS ClientHello, 0 none: then
                                     the strings are not read (conns' copy leaves them out) */
    char verb[12];                /* HTTP method, or TLS version (Zeek's "TLSv13"...) */
    char name[96];                /* HTTP Host, or TLS SNI */
    char uri[128];                /* HTTP request URI */
    char ja4[40];                 /* TLS: JA4 */
} sd_appinfo;

typedef struct sd_conn {
    /* Per-packet fields first (direction, TCP state, analyzer slots, then
     * the directions' counts), so a packet touches the connection's first
     * cache lines; identity and once-per-connection facts after them. */
    sd_addr orig_h, resp_h;
    uint16_t orig_p, resp_p;
    uint8_t ipproto;              /* 6, 17, ... */
    bool saw_syn, saw_synack, established, midstream;
    bool closed;                  /* both FINs or a RST */
    uint8_t zstate[2];            /* Zeek endpoint states, SD_ZS_* */
    uint8_t zprev[2];             /* and the state each had before (Zeek's prev_state) */
    bool fin_seen[2], rst_seen[2];
    uint32_t anomalies;           /* SD_ANOM_* seen in its packets */
    sd_ts end;
    uint64_t last_frame;
    sd_ts hs_ack_ts;
    void *slot[SD_MAX_ANALYZERS]; /* per-analyzer state, owned by that analyzer */
    sd_dirstats d[2];

    uint64_t id;                  /* Wireshark's tcp.stream / udp.stream (sd_streamno: may be shared) */
    uint64_t conn_index;          /* per protocol, 0-based in first-packet order: one per connection */
    char uid[20];                 /* Zeek-style id, stable for the same capture */
    uint16_t vlan;                /* outer VLAN id or 0 (0 too with sd_engine_opts.vlan_unkeyed) */
    uint32_t iface;               /* sd_frame.iface of its first packet (pcapng interface + 1) */
    uint8_t nencap;               /* tunnels its first packet came through (sd_pkt.encap) */
    uint8_t encap[SD_MAX_ENCAP_DEPTH];
    sd_ts start;
    uint64_t first_frame;

    /* TCP facts set once */
    sd_ts syn_ts, synack_ts;
    int64_t rtt_syn_synack;       /* ns, -1 = unknown */
    int64_t rtt_synack_ack;       /* ns, -1 = unknown */
    uint64_t syn_frame, synack_frame;
    int first_fin_dir, first_rst_dir; /* -1 = none */
    uint64_t first_fin_frame, first_rst_frame;
    bool flipped;                 /* originator is not the first packet's sender (Zeek '^') */
    uint8_t orig_by;              /* how the originator was decided: SD_ORIG_* */
    char history[SD_HISTORY_MAX + 1];
    uint8_t history_len;          /* strlen(history), kept by sd_conn_history_* */
    uint64_t history_seen;        /* letters 'A'..'z' in history, bit ch - 'A' */
    uint32_t history_dropped;     /* letters the cap (SD_HISTORY_MAX) left out */
    char conn_state[8];           /* Zeek conn_state, set when the conn ends */
    uint32_t open_at_end;         /* other connections open when this one ended */
    uint32_t orig_open_at_end;    /* of those, how many the originator host had */
    bool expired;                 /* ended by idle timeout, not by close or EOF */
    bool evicted;                 /* ended early: the flow table was full (--max-flows) */
    char service[12];             /* what it speaks, by content (sd_service: Zeek's names), or "" */
    uint32_t oow_segments;        /* data far beyond the receiver's window that it never ACKed:
                                     kept out of reassembly (an injection) */
    uint64_t oow_first_frame;
    uint32_t rst_challenged;      /* RSTs in the window but not at the receiver's next number (RFC
                                     5961 challenge ACK): believed by Zeek's state, not closing */
    uint64_t rst_challenged_frame; /* the first of them */
    uint32_t rst_untaken;         /* closing RSTs the peer then ACKed past: it never took them (reopened) */
    uint64_t rst_untaken_frame;   /* the first such ACK */
    uint32_t inconsistencies;     /* overlapping copies with different bytes (reassembly on) */
    bool reasm_on;                /* d[].stream_* are filled */
    sd_appinfo app;               /* its first request or ClientHello (sd_service) */
} sd_conn;

/* Either side sent a FIN or a RST (one the connection took: an untaken
 * one is undone): the connection is ending or ended, where `closed` waits
 * for both FINs. */
static inline bool sd_conn_fin_or_rst(const sd_conn *c)
{
    return c->fin_seen[0] || c->fin_seen[1] || c->rst_seen[0] || c->rst_seen[1];
}

/* Fills conn_state from the TCP facts (Zeek's derivation). */
void sd_conn_finish_state(sd_conn *c);
/* Adds a history letter for dir (upper case = originator) the first time
 * it happens; _force adds it again (Zeek's repeated T, W, G). */
void sd_conn_history_add(sd_conn *c, char letter, int dir);
/* Counts a packet of the connection in direction dir (SD_DIR_*). */
void sd_conn_count_packet(sd_conn *c, const sd_pkt *p, int dir);
void sd_conn_history_force(sd_conn *c, char letter, int dir);
/* Sets uid from the identity fields (proto, endpoints, start, first frame). */
void sd_conn_make_uid(sd_conn *c);
/* A writer's copy of c: its facts without the analyzers' slots (their
 * state is not copied), and without sd_appinfo's strings when there is no
 * request or ClientHello (kind 0): nothing reads them then. */
void sd_conn_copy_facts(sd_conn *copy, const sd_conn *c);
/* Zeek's conn_state strings: "S0" "S1" "SF" "REJ" "S2" "S3" "RSTO" "RSTR"
 * "RSTOS0" "RSTRH" "SH" "SHR" "OTH". */

#endif
