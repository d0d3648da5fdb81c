/* sd_hostdns: the DNS transactions that involve a host of interest
 * (`summary --host`): those it asked (it is the client) or answered (it is
 * the server), and those whose A/AAAA answers name it, so an analyst sees
 * which names led to it and when (the ISC diary's "every connection and DNS
 * answer involving it"). Fed sd_dnsan's transactions by sd_summary; keeps
 * the first SD_HOSTDNS_MAX of them, counts the rest. Never prints. */
#ifndef SD_HOSTDNS_H
#define SD_HOSTDNS_H

#include "../common/sd_prefix.h"
#include "sd_dnsan.h"

/* ~1.1 kB each: 10,000 is 11 MB (only with --host), more than a person reads about one host. */
#define SD_HOSTDNS_MAX 10000u

typedef struct sd_hostdns_rec {
    sd_ts ts;
    uint64_t frame_query, frame_reply; /* 0 = not seen */
    char uid[20];
    uint64_t stream;
    sd_addr client, server;
    char query[SD_DNS_TXT]; /* as sd_dns decodes it (unprintable bytes as \DDD) */
    uint16_t qtype;
    int rcode;           /* -1: unanswered */
    bool asked, served;  /* the host is the client / the server */
    uint8_t answers_in;  /* A/AAAA answers inside the prefix */
    sd_addr answer;      /* the first of them */
    uint32_t ttl;        /* its TTL */
} sd_hostdns_rec;

typedef struct sd_hostdns_result {
    const sd_hostdns_rec *v; /* in the order the transactions ended */
    size_t n;
    uint64_t total;          /* involving the host, listed or not */
    uint64_t answered_to;    /* with an answer inside the prefix */
    size_t max;
} sd_hostdns_result;

typedef struct sd_hostdns sd_hostdns;

sd_hostdns *sd_hostdns_new(const sd_prefix *host);
void sd_hostdns_txn(sd_hostdns *h, const sd_dns_txn *t);
const sd_hostdns_result *sd_hostdns_finish(sd_hostdns *h);
void sd_hostdns_free(sd_hostdns *h);

#endif
