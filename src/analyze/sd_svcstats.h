/* sd_svcstats: services by content across the capture, for `strider
 * summary`: connections per service (sd_service's names), the HTTP hosts
 * and TLS server names asked for most, and the connections whose service
 * is not the one their port suggests (a service recognised on another
 * port: the diary's "SSH on 443"). Bounded: the name table is capped and
 * what it refused is counted. It never prints. */
#ifndef SD_SVCSTATS_H
#define SD_SVCSTATS_H

#include "../flow/sd_conn.h"

/* Distinct HTTP hosts and TLS server names tracked (about 130 bytes each). */
#define SD_SVCSTATS_MAX_NAMES 100000u
/* Names listed per protocol, and off-port connections listed. */
#define SD_SVCSTATS_TOP 10

enum { SD_SVC_SSH = 0, SD_SVC_HTTP, SD_SVC_SSL, SD_SVC_DNS, SD_SVC_FTP, SD_SVC_SMTP, SD_SVC_N };

typedef struct sd_svcstats_name {
    char name[96];
    bool tls;
    uint64_t conns;
    uint64_t first_frame;
} sd_svcstats_name;

typedef struct sd_svcstats_offport {
    uint64_t stream, frame;
    uint8_t ipproto;
    uint16_t port;
    char service[12];
    char uid[20];
    char name[96];             /* its Host or SNI, if any */
} sd_svcstats_offport;

typedef struct sd_svcstats_result {
    uint64_t conns[SD_SVC_N];
    uint64_t http_named, tls_named, ja4s;
    sd_svcstats_name http[SD_SVCSTATS_TOP], tls[SD_SVCSTATS_TOP];
    size_t nhttp, ntls;
    uint64_t offport;          /* connections on another port than their service's usual ones */
    sd_svcstats_offport off[SD_SVCSTATS_TOP];
    size_t noff;
    uint64_t names_refused;    /* names past SD_SVCSTATS_MAX_NAMES, not counted per name */
} sd_svcstats_result;

typedef struct sd_svcstats sd_svcstats;

sd_svcstats *sd_svcstats_new(void);
void sd_svcstats_conn(sd_svcstats *s, const sd_conn *c);
const sd_svcstats_result *sd_svcstats_finish(sd_svcstats *s);
void sd_svcstats_free(sd_svcstats *s);
const char *sd_svcstats_name_of(int svc);
/* Is port one of the service's usual ones (IANA, and common alternates)? */
bool sd_svcstats_usual_port(const char *service, uint16_t port);

#endif
