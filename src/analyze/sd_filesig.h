/* sd_filesig: the analyzer that finds files in TCP payload: the
 * signatures of sd_sig (executables, archives, documents, scripts, keys)
 * in each direction of the reassembled stream, without writing anything.
 * What it found about a connection is handed over when the connection
 * ends, as events of kind "file_sig" (fields "sig": sd_sig_name, "offset":
 * the stream offset of the pattern; frame and frame_last: the segments
 * holding it; ts: the time of the segment that completed it; dir), so
 * `strider extract` (its index) and `strider summary` (Files seen) use the
 * one analysis. Never prints.
 *
 * Bounded: per connection direction one sd_sig_scan (~600 bytes, at its
 * first data byte) and at most SD_SIG_MAX_HITS events; hits past that are
 * counted in total[]. */
#ifndef SD_FILESIG_H
#define SD_FILESIG_H

#include "../common/sd_event.h"
#include "../flow/sd_engine.h"

/* A connection's findings, valid during the callback only. */
typedef struct sd_filesig_conn {
    const sd_evlist *events; /* orig direction first, each in stream order */
    uint64_t total[2];       /* hits per direction, also those not kept */
} sd_filesig_conn;

typedef struct sd_filesig_opts {
    /* The TCP connections to scan (called at their first packet); NULL =
     * every one. */
    bool (*want)(void *ud, const sd_conn *c);
    /* A scanned connection ended with at least one hit. Called from the
     * analyzer's conn_end, so before the analyzers registered after it end
     * the connection (their per-connection state is still there). */
    void (*done)(void *ud, const sd_conn *c, const sd_filesig_conn *r);
    void *ud;
} sd_filesig_opts;

typedef struct sd_filesig sd_filesig;

sd_filesig *sd_filesig_new(const sd_filesig_opts *o);
/* Registers with e (which must reassemble); returns the slot. */
int sd_filesig_attach(sd_filesig *f, sd_engine *e);
/* Connections with at least one hit, so far. */
uint64_t sd_filesig_conns(const sd_filesig *f);
void sd_filesig_free(sd_filesig *f);

#endif
