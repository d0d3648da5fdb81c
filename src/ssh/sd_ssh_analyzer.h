/* sd_ssh_analyzer: runs sd_ssh on every TCP connection of an sd_engine run.
 *
 * Detection is by content, not port: every TCP conn is claimed at its first
 * packet and fed its reassembled bytes; it is released (state freed, no more
 * reassembly) as soon as the bytes rule SSH out (binary data or long lines
 * before any banner, 64 bytes each way without one, or text lines from the
 * SYN sender, which RFC 4253 section 4.2 forbids to a client, answered by
 * text lines).
 *
 * Usage:
 *   sd_ssh_an *an = sd_ssh_an_new(&opts);
 *   sd_analyzer a = sd_ssh_an_analyzer(an);
 *   sd_ssh_an_set_slot(an, sd_engine_add(engine, &a));
 *   sd_engine_run(...);              (callbacks fire during the run)
 *   sd_ssh_an_free(an);              (after the engine ended every conn)
 * The engine must run with opts.reassemble = true. */
#ifndef SD_SSH_ANALYZER_H
#define SD_SSH_ANALYZER_H

#include "../flow/sd_engine.h"
#include "sd_ssh.h"

typedef struct sd_ssh_an_opts {
    /* A connection in which an SSH banner was seen has ended. meta (and the
     * strings it points to) is valid only during the call. */
    void (*conn_done)(void *ud, const sd_conn *c, const sd_ssh_meta *meta);
    /* Encrypted records as they complete (sd_ssh_record); may be NULL. */
    void (*record)(void *ud, const sd_conn *c, const sd_ssh_record *r);
    void *ud;
} sd_ssh_an_opts;

typedef struct sd_ssh_an_stats {
    uint64_t claimed;      /* TCP conns looked at */
    uint64_t ssh;          /* of those, SSH (banner seen) */
    uint64_t released;     /* ruled out early */
} sd_ssh_an_stats;

typedef struct sd_ssh_an sd_ssh_an;

sd_ssh_an *sd_ssh_an_new(const sd_ssh_an_opts *opts); /* never NULL */
/* The analyzer vtable to register (ctx = an). */
sd_analyzer sd_ssh_an_analyzer(sd_ssh_an *an);
/* The slot sd_engine_add returned; needed to release conns early. */
void sd_ssh_an_set_slot(sd_ssh_an *an, int slot);
const sd_ssh_an_stats *sd_ssh_an_get_stats(const sd_ssh_an *an);
void sd_ssh_an_free(sd_ssh_an *an); /* NULL ok */

#endif
