/* sd_ssh_out: what `strider ssh` writes of the SSH analyzer's results:
 * which events are shown (--kinds, -z, -d), and to which writers they go
 * (the metadata record, JSON lines, CSV, the terminal report, the HTML
 * report, the -o event files). It decides nothing about the traffic: the
 * analyzer did; it writes into buffers the caller puts on stdout. */
#ifndef SD_SSH_OUT_H
#define SD_SSH_OUT_H

#include "../out/sd_evfiles.h"
#include "sd_ssh_report.h"

typedef struct sd_ssh_out {
    bool json, csv;
    bool records;            /* --records: the encrypted-record stream only */
    char kinds[512];         /* --kinds: ",a,b," or "" for every kind */
    uint64_t zfrom, zto;     /* -z: first frames shown; 0,0 = all */
    int legs;                /* bit 0 forward, bit 1 reverse/nested */
    sd_report_opts ro;       /* terminal and HTML report options */
    sd_report_html *html;    /* -p with -o, or NULL */
    sd_evfiles *files;       /* -o, or NULL */
} sd_ssh_out;

/* Whether e is shown (kinds, zoom, leg). */
bool sd_ssh_out_keep(const sd_ssh_out *o, const sd_event *e);
/* One finished connection: its record and events as text, JSON or CSV
 * into b, to the HTML report and the event files. */
void sd_ssh_out_conn(const sd_ssh_out *o, sd_buf *b, const sd_ssh_done *d);
/* Findings across connections (or one found live, while its connection
 * goes on): each under title in text; the event files too. */
void sd_ssh_out_events(const sd_ssh_out *o, sd_buf *b, const sd_evlist *l, const char *title);
/* One live finding, if shown. */
void sd_ssh_out_early(const sd_ssh_out *o, sd_buf *b, const sd_event *e);
/* The end's notes for stderr into err (nothing_shown: what the capture
 * held instead; truncated records); 1 when the stream asked for (-n,
 * stream >= 0) was not there, else 0. */
int sd_ssh_out_notes(sd_buf *err, const sd_sshconn_stats *st, bool nothing_shown, int64_t stream);

#endif
