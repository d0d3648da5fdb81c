/* sd_ssh_out: what `strider ssh` writes of the SSH analyzer's results:
 * which events are shown (--kinds, -z, -d), and to which writers they go
 * (the metadata record, JSON lines, CSV, the terminal report, the HTML
 * report, the -o event files). It decides nothing about the traffic: the
 * analyzer did; it writes into buffers the caller puts on stdout. */
#ifndef SD_SSH_OUT_H
#define SD_SSH_OUT_H

#include "../out/sd_evfiles.h"
#include "../out/sd_where.h"
#include "sd_ssh_report.h"

typedef struct sd_ssh_out {
    bool json, csv;
    bool meta_only;          /* -m: the cleartext metadata only (with --csv a row per connection) */
    bool records;            /* --records: the encrypted-record stream only */
    char kinds[512];         /* --kinds: ",a,b," or "" for every kind */
    uint64_t zfrom, zto;     /* -z: first frames shown; 0,0 = all */
    int legs;                /* bit 0 forward, bit 1 reverse/nested */
    const sd_filter *where;  /* --where on the connection record (sd_ssh_fields), or NULL */
    const sd_filter *where_ev; /* --where-events on events (sd_ev_fields), or NULL */
    sd_report_opts ro;       /* terminal and HTML report options */
    sd_report_html *html;    /* -p with -o, or NULL */
    sd_evfiles *files;       /* -o, or NULL */
    struct sd_sshout_cache *cache; /* the record writers kept between connections (sd_ssh_out_open) */
} sd_ssh_out;

/* -o DIR: the event files (and keystrokes.csv with report), with report
 * also the HTML report (written by sd_ssh_out_close), after o->ro is set.
 * 0, or 1 after a message. */
int sd_ssh_out_open(sd_ssh_out *o, const char *outdir, bool report, bool live);
/* The CSV header with --csv. */
void sd_ssh_out_begin(const sd_ssh_out *o, sd_buf *b);
/* The cross-connection findings at the end: as sd_ssh_out_events, and at
 * the top of the HTML report. */
void sd_ssh_out_across(const sd_ssh_out *o, sd_buf *b, const sd_evlist *l);
/* Closes the event files and writes DIR/report.html: 0, or 1 after a
 * message; frees the record writers (sd_ssh_out_free frees them where a
 * run stops before). */
int sd_ssh_out_close(sd_ssh_out *o, const char *outdir);
void sd_ssh_out_free(sd_ssh_out *o);
/* --kinds "a,b" (lower case and '_'); false if it is not such a list. */
bool sd_ssh_out_kinds(sd_ssh_out *o, const char *list);
/* --leg forward, reverse or both; false for anything else. */
bool sd_ssh_out_legs(sd_ssh_out *o, const char *leg);
/* Whether e is shown (kinds, zoom, leg, --where-events). */
bool sd_ssh_out_keep(const sd_ssh_out *o, const sd_event *e);
/* One finished connection (if its record passes --where): its record and events as text, JSON or CSV
 * into b, to the HTML report and the event files. */
/* false when --where left it out. */
bool sd_ssh_out_conn(const sd_ssh_out *o, sd_buf *b, const sd_ssh_done *d);
/* Findings across connections (or one found live, while its connection
 * goes on): each under title in text; the event files too. */
void sd_ssh_out_events(const sd_ssh_out *o, sd_buf *b, const sd_evlist *l, const char *title);
/* One live finding, if shown. */
void sd_ssh_out_early(const sd_ssh_out *o, sd_buf *b, const sd_event *e);
/* The end's notes for stderr into err (the campaign's caps: connections
 * and servers not counted; nothing_shown: what the capture held instead;
 * truncated records); 1 when the stream asked for (-n, stream >= 0) was
 * not there, else 0. */
int sd_ssh_out_notes(sd_buf *err, const sd_sshconn_stats *st, const uint64_t untracked[2], bool nothing_shown,
                     int64_t stream);

#endif
