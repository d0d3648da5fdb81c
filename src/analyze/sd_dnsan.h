/* sd_dnsan: the DNS analyzer. It claims UDP connections on the DNS ports
 * (53; mDNS 5353 and LLMNR 5355, which share the format and which Zeek's
 * dns.log and tshark's dns dissector read too) and TCP connections on port
 * 53 (each message behind a 2-byte length, RFC 1035 4.2.2, over the
 * reassembled stream), decodes every message (sd_dns), pairs each query
 * with its response by transaction id within the connection, and hands
 * each transaction to the caller: a pair, a query never answered (at the
 * connection's end), or a response whose query was not seen. It never
 * prints. */
#ifndef SD_DNSAN_H
#define SD_DNSAN_H

#include "../flow/sd_engine.h"
#include "sd_dns.h"

/* Queries waiting for their response per connection. A resolver reusing
 * one source port keeps few in flight (its own timeout is seconds); past
 * this the oldest is handed on as unanswered (counted: pending_flushed). */
#define SD_DNSAN_MAX_PENDING 64
/* Query names kept as text for a pending query: past it the unanswered
 * record's name is cut (the full name comes back with the response). */
#define SD_DNSAN_PEND_NAME 256

typedef struct sd_dns_txn {
    const sd_conn *conn;
    int client_dir;             /* SD_DIR_* of the query's sender */
    uint16_t id;
    bool query_seen, reply_seen;
    uint64_t frame_query, frame_reply;  /* 0 = not seen */
    uint32_t query_retrans;     /* the same query sent again before the response (same id and name) */
    uint64_t frame_query_last;  /* the last of those copies */
    sd_ts ts;                   /* the query's time, else the response's */
    int64_t rtt_ns;             /* query to response, -1 without both */
    const char *query;          /* the question's name ("" = root) */
    uint16_t qtype, qclass;
    bool rd;
    const sd_dns_msg *reply;    /* the decoded response, NULL if unanswered */
} sd_dns_txn;

typedef struct sd_dnsan_stats {
    uint64_t messages;          /* decoded */
    uint64_t malformed;         /* no header or a bad question: not a transaction */
    uint64_t no_question;       /* well-formed, no question (mDNS announcements): not a transaction */
    uint64_t bad_answers;       /* responses whose answer section ended early */
    uint64_t answers_uncounted; /* answers past SD_DNS_MAX_ANS per message, not decoded */
    uint64_t pending_flushed;   /* queries handed on unanswered because SD_DNSAN_MAX_PENDING were waiting */
    uint64_t tcp_lost;          /* TCP streams lost to a gap, or ended inside a message */
    uint64_t tcp_memcap;        /* TCP streams given up: SD_DNSAN_TCP_HELD_MAX bytes were held */
} sd_dnsan_stats;

/* Bytes of unfinished DNS-over-TCP messages held, all connections
 * together. A message's buffer grows with the bytes that arrive, never with
 * what its length prefix announces (20,000 connections each announcing
 * 65,535 bytes reserved 1.3 GB of address space); past this, a stream that
 * needs more is given up (counted: tcp_memcap, said on stderr). 32 MiB is
 * 500 messages of the largest size at once, where resolvers keep a few. */
#define SD_DNSAN_TCP_HELD_MAX ((size_t)32 << 20)

typedef struct sd_dnsan_opts {
    void (*txn)(void *ud, const sd_dns_txn *t);
    void *ud;
} sd_dnsan_opts;

typedef struct sd_dnsan sd_dnsan;

sd_dnsan *sd_dnsan_new(const sd_dnsan_opts *o);
/* Registers the analyzer; TCP DNS needs sd_engine_opts.reassemble. */
int sd_dnsan_attach(sd_dnsan *a, sd_engine *e);
const sd_dnsan_stats *sd_dnsan_stats_get(const sd_dnsan *a);
void sd_dnsan_free(sd_dnsan *a);

/* The ports it claims (for tests and for the writers' help). */
bool sd_dnsan_port(uint8_t proto, uint16_t port);

#endif
