/* sd_clientpat: per client host, the pattern of the TCP source ports and
 * initial sequence numbers (ISNs) across the connections it opens (SANS
 * ISC, "Packet Analysis - Where do you start?": "a source port should stay
 * constant for each session but change, usually incrementally, for the
 * next; a constant source port can indicate a tool or malware").
 *
 * Fed with every packet (sd_engine_opts.packet_seen); a connection counts
 * at its originator's first SYN, in capture order, so steps are between
 * consecutive connections of the host. Connections joined mid-stream (no
 * SYN: no ISN, and an originator guessed) are left out and counted.
 *
 * Bounded: per host its first SYN (24 bytes, plus ~40 in a capped
 * sd_hmap), and from its second connection on a fixed aggregate (~300
 * bytes: counts, the first SD_CLIENTPAT_EVIDENCE values, two step
 * counters), so a SYN flood from spoofed addresses costs little; past the
 * cap new hosts' connections are counted, not tracked. Never
 * prints: src/out/sd_clientpat_out formats the result. */
#ifndef SD_CLIENTPAT_H
#define SD_CLIENTPAT_H

#include "../common/sd_prefix.h"
#include "../flow/sd_engine.h"

/* First connections of a host kept as evidence (port, ISN, frame). */
#define SD_CLIENTPAT_EVIDENCE 5
/* Fewer connections show no pattern: two values make one step, which a
 * random source makes small or zero often enough to prove nothing. */
#define SD_CLIENTPAT_MIN_CONNS 3
/* A pattern holds when at least this share (percent) of the steps follow
 * it: a clear majority. Random values make a zero or small step less than
 * 1 time in 100 (see the step limits), so even 3 steps of 5 that follow a
 * pattern are no accident, while a host's other programs, retries and
 * connections the capture missed interleave with the pattern (measured:
 * wikipedia.pcap's client counts its ports +1 in 5 steps of 7). */
#define SD_CLIENTPAT_SHARE_PCT 60
/* A source port step of 1..this (mod 2^16) is "incremental": stacks that
 * count ports (Windows, older BSDs) step by 1 or 2, plus the connections of
 * the host the capture did not see. 256 is under 1% of a 28k-port ephemeral
 * range, so random ports make such a step less than 1 time in 100. */
#define SD_CLIENTPAT_PORT_STEP_MAX 256u
/* An ISN step of 1..this (mod 2^32) is "incremental": 4.4BSD and other
 * old stacks add 64000 per connection plus 128000 a second (RFC 6528 §2);
 * 2^24 covers two minutes of that. A random ISN (RFC 6528) makes such a
 * step 1 time in 256. */
#define SD_CLIENTPAT_ISN_STEP_MAX (1u << 24)
#define SD_CLIENTPAT_MAX_HOSTS 1000000u

typedef enum sd_clientpat_kind {
    SD_PAT_FEW = 0,       /* fewer than SD_CLIENTPAT_MIN_CONNS connections */
    SD_PAT_CONSTANT,
    SD_PAT_INCREMENTAL,
    SD_PAT_RANDOM,
} sd_clientpat_kind;

/* Why a host is listed first (0 = it is not): by rank, most telling first. */
enum {
    SD_CLIENTPAT_ODD_NONE = 0,
    SD_CLIENTPAT_ODD_CONST_PORT = 1, /* a tool or malware with a fixed source port */
    SD_CLIENTPAT_ODD_CONST_ISN = 2,  /* crafted SYNs: the same ISN every time */
    SD_CLIENTPAT_ODD_INCR_ISN = 4,   /* an old or unusual stack (predictable ISNs) */
};

/* One pattern with its evidence. */
typedef struct sd_clientpat_seq {
    uint8_t kind;          /* sd_clientpat_kind */
    uint64_t same, small;  /* steps of 0, and of 1..STEP_MAX */
    uint32_t step;         /* the typical small step: half of them or more; 0 = none */
    uint64_t step_n;       /* steps of that size (at least) */
} sd_clientpat_seq;

typedef struct sd_clientpat_host {
    sd_addr addr;
    uint64_t conns;        /* connections it opened with a SYN */
    sd_ts first, last;     /* its first and last SYN */
    sd_clientpat_seq port, isn;
    unsigned odd;          /* SD_CLIENTPAT_ODD_* bits */
    uint8_t nev;           /* evidence kept: min(conns, SD_CLIENTPAT_EVIDENCE) */
    uint16_t ev_port[SD_CLIENTPAT_EVIDENCE];
    uint32_t ev_isn[SD_CLIENTPAT_EVIDENCE];
    uint64_t ev_frame[SD_CLIENTPAT_EVIDENCE];
} sd_clientpat_host;

typedef struct sd_clientpat_opts {
    size_t max_hosts;      /* 0 = SD_CLIENTPAT_MAX_HOSTS */
    const sd_prefix *only; /* only clients in it (summary --host); NULL = all */
} sd_clientpat_opts;

typedef struct sd_clientpat_result {
    /* Hosts with at least SD_CLIENTPAT_MIN_CONNS connections: those that
     * stand out first (by their odd bits, most telling first), then by
     * connections, most first; ties by address. */
    const sd_clientpat_host *hosts;
    size_t nhosts;
    size_t nodd;              /* of which the first nodd stand out */
    uint64_t few;             /* hosts with fewer connections (no pattern) */
    uint64_t conns;           /* connections counted (a SYN seen) */
    uint64_t midstream;       /* TCP connections without their SYN: left out */
    uint64_t untracked_conns; /* connections of hosts past the cap */
    size_t max_hosts;
} sd_clientpat_result;

typedef struct sd_clientpat sd_clientpat;

sd_clientpat *sd_clientpat_new(const sd_clientpat_opts *o);
/* Feeds, as sd_engine_opts.packet_seen and .conn_done (ud = the sd_clientpat). */
void sd_clientpat_packet(void *cp, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta);
void sd_clientpat_conn(void *cp, const sd_conn *c);
/* Is this packet (of c, from side dir) the one sd_clientpat_packet counts? */
bool sd_clientpat_counts(const sd_conn *c, int dir);
/* A connection's first SYN, as sd_clientpat_packet counts it (the merge of
 * chunks gives them in capture order: src/out/sd_merge_sum). */
void sd_clientpat_syn(sd_clientpat *cp, const sd_addr *src, uint16_t port, uint32_t isn, uint64_t frame, sd_ts ts);
/* Ends the feeding; the result lives until sd_clientpat_free. */
const sd_clientpat_result *sd_clientpat_finish(sd_clientpat *cp);
const char *sd_clientpat_kind_name(uint8_t kind); /* "-", "constant", "incremental", "random" */
void sd_clientpat_free(sd_clientpat *cp);

#endif
