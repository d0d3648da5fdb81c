/* sd_campaign: what many SSH connections from one client add up to. A
 * cross-connection analyzer: it consumes what the SSH analyzer decided about
 * each finished connection and keeps, per client address, a bounded
 * aggregate (counts, first and last time and frame, the first connection's
 * uid), never the connections themselves. At the end it emits one event per
 * client whose connections are:
 *   - "brute_force": password guessing (failed logins across connections),
 *   - "scanner": many connections that never logged in, or many servers
 *     (what internet-facing SSH servers see all day: version and
 *     capability grabbers), with the outcome classes counted.
 * It never prints. */
#ifndef SD_CAMPAIGN_H
#define SD_CAMPAIGN_H

#include "../ssh/sd_sshan.h"

typedef struct sd_campaign_opts {
    /* Also emit an event at the connection that makes a client cross a
     * threshold, marked "live": true (for live capture: found now, counted
     * in full at the end). */
    bool announce;
    size_t max_clients;   /* clients tracked at most; 0 = SD_CAMPAIGN_MAX_CLIENTS */
    bool dump;            /* keep each connection's part for sd_campaign_dump, aggregate nothing */
} sd_campaign_opts;

/* ~100 bytes a client: 1 M clients stay near 100 MiB. Past the cap new
 * clients' connections are counted (sd_campaign_untracked), not tracked. */
#define SD_CAMPAIGN_MAX_CLIENTS 1000000u

typedef struct sd_campaign sd_campaign;

sd_campaign *sd_campaign_new(const sd_campaign_opts *o);
/* Adds one finished SSH connection (with its inference: d->summary and
 * d->events set). With announce, appends to now the events it decided. */
void sd_campaign_add(sd_campaign *c, const sd_ssh_done *d, sd_evlist *now);
/* The aggregate events, in order of each client's first frame. */
void sd_campaign_finish(sd_campaign *c, sd_evlist *out);
/* What the caps left out: connections of clients that could not be
 * tracked, and servers not counted as distinct for a tracked client. */
void sd_campaign_untracked(const sd_campaign *c, uint64_t *conns, uint64_t *servers);
void sd_campaign_free(sd_campaign *c);

/* For runs that each own a chunk of a file list (sd_own.h): with
 * opts.dump a run aggregates nothing and keeps what each connection adds
 * ({"_own":"camp"} records: its uid, client, server and counts), since the
 * merge may drop a connection a later chunk saw only in part; the merge
 * adds the connections it keeps, in one run's order, with
 * sd_campaign_add_part, and finishes as one run would. */
void sd_campaign_dump(const sd_campaign *c, sd_buf *b);

/* What one connection adds to its client. */
typedef struct sd_campaign_part {
    sd_addr client, server;
    uint32_t n[7];  /* conns, failed_conns, failures, version_only, caps_only, auth_attempted, auth_success */
    const char *uid;
    uint64_t stream, frame, frame_last;
    sd_ts ts;
} sd_campaign_part;
void sd_campaign_add_part(sd_campaign *c, const sd_campaign_part *p);

#endif
