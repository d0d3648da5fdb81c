/* Internal to the report modules of src/out: sd_report.c (what the
 * reports share), sd_report_text.c (terminal), sd_report_html.c (the HTML
 * report) and sd_report_plot.c (their SVG plots).
 * Not part of the library API. */
#ifndef SD_REPORT_INT_H
#define SD_REPORT_INT_H

#include "sd_report.h"

/* Groups of the issue, in report order. Kind names are the inference's;
 * matching by word keeps the report working as kinds are added. */
enum { G_FLOGIN, G_FKEYS, G_RLOGIN, G_RKEYS, G_XFER, G_FWD, G_OTHER, G_N };
extern const char *const sdrp_group_name[G_N];

/* ---- sd_report.c ---- */
bool sdrp_in_zoom(const sd_report_opts *o, uint64_t frame);
bool sdrp_has(const char *s, const char *w);
int sdrp_group_of(const sd_event *e);
const char *sdrp_leg_short(sd_leg l);
int64_t sdrp_ev_bytes(const sd_event *e);
void sdrp_ev_note(const sd_event *e, char *out, size_t len);
const sd_event **sdrp_sorted_events(const sd_report_conn *c, const sd_report_opts *o, size_t *n);
void sdrp_frames_str(const sd_event *e, char *out, size_t len);
void sdrp_ws_filter(const sd_conn *c, const sd_event *e, char *out, size_t len);
void sdrp_endpoints(const sd_conn *c, int client_dir, char *out, size_t len);
const char *sdrp_nz(const char *s);

/* ---- sd_report_over.c: the overview (rows, capture timeline, campaigns) ---- */
typedef struct sdrp_over sdrp_over;
sdrp_over *sdrp_over_new(void);
void sdrp_over_free(sdrp_over *v);
/* One connection's row: gc = its findings per group, nfind in all;
 * notable = it has a detail section's worth of findings. */
void sdrp_over_add(sdrp_over *v, const sd_report_conn *rc, const size_t gc[G_N], size_t nfind, bool notable);
size_t sdrp_over_count(const sdrp_over *v);
void sdrp_over_across(sdrp_over *v, const sd_event *e);
/* The campaigns' table, the capture's timeline and the rows' JSON. */
void sdrp_over_render(const sdrp_over *v, sd_buf *b);

/* ---- sd_report_tl.c ---- */
void sdrp_html_timeline(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n,
                        const sd_report_opts *o, uint64_t f0, uint64_t f1);

/* ---- sd_report_plot.c ---- */
void sdrp_html_datamove(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o);
void sdrp_html_hist(sd_buf *b, const sd_report_conn *rc, bool client);

#endif
