/* sd_dnsind: DNS across the capture. It consumes the DNS analyzer's
 * transactions (sd_dnsan), counts them, and keeps bounded per-name and
 * per-client aggregates for the indicators analysts look for (SANS ISC
 * "Packet Analysis - Where do you start?": low TTLs, fast flux; DGA and
 * tunnelling by their names): at the end they become sd_events
 * (docs/events.md, "DNS indicators"). Every table is capped and what a cap
 * refused is counted. It never prints. */
#ifndef SD_DNSIND_H
#define SD_DNSIND_H

#include "../common/sd_event.h"
#include "sd_dnsan.h"

/* Thresholds, each with its reason. */

/* An answer TTL at or below this is "very low": CDNs and load balancers
 * use 20 s and up (60-300 s usually), so 0-10 s is rare outside fast-flux
 * networks, DNS rebinding and tunnels, which set it to defeat caches. */
#define SD_DNSIND_LOW_TTL_S 10
/* Distinct A/AAAA addresses answered for one name across the capture from
 * which it reads as fast flux: round-robin sets of large sites return 4-8
 * addresses, fast-flux domains rotate through many more (Holz et al.,
 * "Measuring and Detecting Fast-Flux Service Networks", NDSS 2008). */
#define SD_DNSIND_FLUX_ADDRS 10
/* ... over at least this many responses: one large answer is a round-robin
 * set; flux is the set changing from one lookup to the next. */
#define SD_DNSIND_FLUX_REPLIES 3
/* A client with at least this many NXDOMAIN answers, making at least this
 * share of its answers: DGA malware tries many generated names of which
 * few are registered; a normal client's NXDOMAINs are a few search-list
 * suffixes. */
#define SD_DNSIND_NX_MIN 10
#define SD_DNSIND_NX_RATE 0.5
/* Labels and names this long: host names rarely have labels over 30
 * characters; tunnels (iodine, dnscat2, DNSExfiltrator) pack their data
 * into labels of up to 63 and names of up to 253. */
#define SD_DNSIND_LONG_LABEL 40
#define SD_DNSIND_LONG_NAME 120
/* A name's longest label reads as random (DGA, encoded data) when it has
 * at least SD_DNSIND_ENTROPY_MIN_LEN characters (a shorter label cannot
 * tell: a 12-character one has at most 3.58 bits), a Shannon entropy of at
 * least SD_DNSIND_ENTROPY_BITS per character (random letters and digits
 * reach 3.5-4.2), and a shape words do not have: SD_DNSIND_RANDOM_DIGITS
 * digits among its letters, or SD_DNSIND_RANDOM_CONSONANTS consonants in a
 * row. Entropy alone is not enough: compound words of 16+ characters
 * ("stackoverflowing", "akamaitechnologies") reach 3.5-3.9 too, but keep
 * their vowels and have no digits. */
#define SD_DNSIND_ENTROPY_BITS 3.5
#define SD_DNSIND_ENTROPY_MIN_LEN 16
#define SD_DNSIND_RANDOM_DIGITS 3
#define SD_DNSIND_RANDOM_CONSONANTS 5

/* Caps: names (each about 150 bytes), clients, name-address pairs. */
#define SD_DNSIND_MAX_NAMES 200000u
#define SD_DNSIND_MAX_CLIENTS 100000u
#define SD_DNSIND_MAX_PAIRS 1000000u
/* The most queried names, and the clients with most transactions, listed
 * in summary. */
#define SD_DNSIND_TOP 10

typedef struct sd_dnsind_name {
    char name[64];              /* cut to 63 characters (cut set) */
    bool cut;
    uint64_t queries;           /* transactions asking for it */
    uint64_t nxdomain;
    uint64_t first_frame;
} sd_dnsind_name;

typedef struct sd_dnsind_client {
    sd_addr addr;
    uint64_t txns, answers, nxdomain;  /* transactions it asked, answered, answered NXDOMAIN */
    uint64_t first_frame;
} sd_dnsind_client;

typedef struct sd_dnsind_result {
    uint64_t txns, answered, unanswered, reply_only;
    uint64_t rcode[16];
    uint64_t tcp_txns;
    uint64_t names, clients;    /* distinct, tracked */
    uint64_t names_refused, clients_refused, pairs_refused; /* caps */
    sd_dnsind_name top[SD_DNSIND_TOP];
    size_t ntop;
    sd_dnsind_client top_clients[SD_DNSIND_TOP]; /* most transactions first */
    size_t nclients;
    sd_evlist ev;               /* the indicators, by first frame */
} sd_dnsind_result;

typedef struct sd_dnsind sd_dnsind;

sd_dnsind *sd_dnsind_new(void);
/* The transaction callback (sd_dnsan_opts.txn). */
void sd_dnsind_txn(void *ud, const sd_dns_txn *t);
/* Builds the events and the top list; the result lives until _free. */
const sd_dnsind_result *sd_dnsind_finish(sd_dnsind *d);
void sd_dnsind_free(sd_dnsind *d);

/* Shannon entropy of s[0..n) in bits per character (for tests). */
double sd_dnsind_entropy(const char *s, size_t n);
/* The random-label rule above, on the label s[0..n). */
bool sd_dnsind_random_label(const char *s, size_t n);

#endif
