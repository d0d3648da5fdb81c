/* sd_report: the reports people read and look at.
 *
 *  - sd_report_text: the terminal report of one SSH connection (header,
 *    findings by group, a table of events in time order), 100 columns,
 *    ANSI colour only when asked (sd_report_color decides for a FILE).
 *  - sd_report_html_*: one self-contained HTML file per capture (no network,
 *    no external scripts or fonts) with a section per connection: findings
 *    timeline, windowed data-movement features, packet-size histograms with
 *    the model's predicted sizes, the event table with Wireshark filters.
 *
 * Writers only format what the analyzers found (sd_report_conn below);
 * they derive nothing the analysts cannot see in the plots. All inputs are
 * borrowed: the caller keeps ownership, and everything passed to
 * sd_report_text / sd_report_html_add may be freed when
 * the call returns (the HTML writer renders each section immediately). */
#ifndef SD_REPORT_H
#define SD_REPORT_H

#include <limits.h>
#include <stdio.h>

#include "../common/sd_event.h"
#include "../decode/sd_decode.h"
#include "../flow/sd_conn.h"
/* The reports take this model, which an analyzer fills (the SSH one:
 * src/ssh/sd_ssh_report.c): header rows, events, the data-movement series
 * with its marks and the record-size samples with the sizes to mark. The
 * writers lay them out and decide nothing about what they mean. */

/* Where a header row shows and how. */
enum {
    SD_RROW_TERM = 1,  /* in the terminal report */
    SD_RROW_PAGE = 2,  /* in the HTML report */
    SD_RROW_MONO = 4,  /* page: monospace (banners, hashes, algorithms) */
    SD_RROW_CUT = 8,   /* terminal: cut to the width */
    SD_RROW_WRAP = 16, /* terminal: wrapped at spaces to the width */
};

typedef struct sd_report_row {
    const char *key;
    const char *val;              /* may hold capture strings: escaped by the writer */
    unsigned fl;                  /* SD_RROW_* */
} sd_report_row;

/* A window marked on the data-movement plot: high (1, drawn red) or low
 * (2, drawn purple) band, from frame x (at t0 s since the connection
 * started) to t1 s. */
typedef struct sd_report_mark {
    double x;
    double t0, t1;
    int band;                     /* 1: client to server (exfil); 2: server to client (infil) */
    const char *title;
} sd_report_mark;

/* The windows the analyzer marked on the data-movement plot (bytes per
 * direction over time, drawn from the records of hist[] below). */
typedef struct sd_report_series {
    const sd_report_mark *mark;
    size_t nmark;
    const char *band_name[3];     /* legend of bands 1 and 2, e.g. "exfil" */
} sd_report_series;

/* A size to mark on a histogram. */
typedef struct sd_report_size {
    uint32_t v;
    const char *name;
} sd_report_size;

/* The sizes on the wire of one direction's records (with their times,
 * seconds since the connection started), and the sizes to mark. */
typedef struct sd_report_hist {
    const uint32_t *v;
    const double *t;              /* same order as v; NULL: no data-movement plot */
    size_t n;
    const sd_report_size *mark;
    size_t nmark;
} sd_report_hist;

/* One connection and what is known about it. Only conn is required. */
typedef struct sd_report_conn {
    const sd_conn *conn;
    const char *proto;            /* "SSH"; NULL = "TCP" */
    int client_dir;               /* SD_DIR_ORIG unless the responder is the client */
    const sd_report_row *row;     /* header rows, in order */
    size_t nrow;
    const sd_event *ev;           /* this connection's events (any order: sorted here) */
    size_t nev;
    size_t nrec;                  /* encrypted records: the sizes section shows when > 0 */
    const char *rec_unit;         /* "packets" or "segments" */
    sd_report_series dm;          /* data-movement marks (HTML) */
    sd_report_hist hist[2];       /* record sizes, client [0] and server [1] (HTML) */
} sd_report_conn;

enum { SD_REPORT_COLOR_AUTO = 0, SD_REPORT_COLOR_NEVER, SD_REPORT_COLOR_ALWAYS };

#define SD_REPORT_NOWRAP UINT_MAX

typedef struct sd_report_opts {
    int color;                    /* SD_REPORT_COLOR_*; AUTO = sd_report_color(out) */
    uint64_t zoom_first;          /* frame range shown (-z); 0 = from the start */
    uint64_t zoom_last;           /* 0 = to the end */
    double window_s, stride_s;    /* -w/-s (s): the data_window events' windows; the HTML
                                     data-movement plot bins bytes by window_s; 0 = automatic */
    const char *title;            /* HTML title, e.g. the capture's file name; NULL = "strider report" */
    unsigned width;               /* terminal columns; 0 = 100; SD_REPORT_NOWRAP: one
                                     line per event, nothing wrapped or cut (a pipe) */
} sd_report_opts;

/* Whether to colour output written to out: a terminal, and NO_COLOR unset
 * (https://no-color.org). no_color_flag = --no-color forces false. */
bool sd_report_color(FILE *out, bool no_color_flag);

/* Appends the terminal report of one connection to b. o->color must be
 * NEVER or ALWAYS here (b is not a terminal: resolve AUTO with
 * sd_report_color first); AUTO is treated as NEVER. */
void sd_report_text(sd_buf *b, const sd_report_conn *c, const sd_report_opts *o);

/* The report group of an event kind/leg ("forward login", "forward
 * keystrokes", "reverse login", "reverse keystrokes", "transfers",
 * "forwards", "session"); static string. */
const char *sd_report_group(const sd_event *e);

/* The HTML report: create, add every connection (any order; sections are
 * sorted by first frame), write, free. */
typedef struct sd_report_html sd_report_html;
sd_report_html *sd_report_html_new(const sd_report_opts *o);
void sd_report_html_add(sd_report_html *h, const sd_report_conn *c);
/* Findings across connections (brute force, scanners): a table at the top,
 * before the connections, so thousands of a scanner's connections read as
 * one line. */
void sd_report_html_across(sd_report_html *h, const sd_event *ev, size_t n);
/* Writes the file; 0 on success, -1 with errno set. */
int sd_report_html_write(sd_report_html *h, const char *path);
/* Same, into a buffer (tests). */
void sd_report_html_render(sd_report_html *h, sd_buf *out);
void sd_report_html_free(sd_report_html *h);

#endif
