/* sd_sshan: the SSH analyzer as the pipeline sees it. It finds SSH on any
 * TCP connection (sd_sshconn), and when a connection ends it runs the
 * inference (sd_infer, the data windows) itself and hands over everything
 * decided about it: the metadata, the summary and the sorted events. Its
 * caller only routes that to writers and cross-connection analyses. It
 * never prints. */
#ifndef SD_SSHAN_H
#define SD_SSHAN_H

#include "sd_infer.h"

/* What the analyzer decided about one SSH connection; valid during the
 * callback only. */
typedef struct sd_ssh_done {
    const sd_sshconn_result *r;       /* connection, metadata, records */
    const sd_infer_summary *summary;  /* NULL with metadata only */
    const sd_evlist *events;          /* sorted by time; NULL with metadata only */
} sd_ssh_done;

typedef struct sd_sshan_opts {
    bool infer;            /* run the inference (else metadata only) */
    sd_infer_opts io;      /* keystrokes, -w/-s windows */
    int64_t stream;        /* only this tcp.stream (-1 = all): others skip inference */
    void (*done)(void *ud, const sd_ssh_done *d);
    /* May be NULL. Findings that matter at once (a login succeeded, a
     * reverse or nested session started, the agent was used), handed over
     * while the connection still goes on, once each, marked "live": true;
     * they come again with the rest at the connection's end. For live
     * capture; the inference runs again at most once a second per
     * connection that got new records. */
    void (*early)(void *ud, const sd_event *e);
    /* May be NULL. When set, a finished connection (past the -n stream
     * filter) is handed to it instead of being concluded at once: the
     * caller takes it (sd_sshconn_result_take) to another thread, which
     * calls sd_sshan_conclude with it, in the same order. */
    void (*handoff)(void *ud, const sd_sshconn_result *r);
    void *ud;
    const uint64_t *ssh_ports; /* sd_sshconn_opts.ssh_ports */
} sd_sshan_opts;

typedef struct sd_sshan sd_sshan;

sd_sshan *sd_sshan_new(const sd_sshan_opts *o);
/* Registers with e (which must reassemble). */
int sd_sshan_attach(sd_sshan *a, sd_engine *e);
/* The end of one connection: the inference, the data windows and the
 * sorted events, then opts.done. Without opts.handoff the analyzer calls
 * it itself; with it, the thread the connections were handed to does, one
 * connection at a time (the events' list is reused). */
void sd_sshan_conclude(sd_sshan *a, const sd_sshconn_result *r);
const sd_sshconn_stats *sd_sshan_stats(const sd_sshan *a);
void sd_sshan_free(sd_sshan *a);

#endif
