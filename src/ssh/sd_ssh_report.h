/* sd_ssh_report: what the reports show of one SSH connection, described by
 * the SSH layer in the writers' model (src/out/sd_report.h): the header
 * rows, the inference's data_window events as the data-movement plot's
 * exfil/infil windows, the record sizes and the sizes the suite
 * model predicts. The writers lay it out. */
#ifndef SD_SSH_REPORT_H
#define SD_SSH_REPORT_H

#include "../out/sd_report.h"
#include "sd_sshan.h"

typedef struct sd_ssh_report {
    sd_report_conn rc;           /* the model; its pointers point into this struct */
    sd_report_row row[12];
    char summary[256];
    char hassh[512], suite_term[512], suite_page[512], hostkey[512], warning[512];
    sd_report_mark *mark;
    char (*mark_title)[160];
    uint32_t *size[2];           /* record sizes, client and server */
    double *time[2];             /* their times, s since the connection started */
    sd_report_size pred[2][3];
} sd_ssh_report;

/* Fills s->rc for d with the events ev to show (borrowed: they must
 * outlive s->rc); their data_window events are the data-movement marks.
 * o: zoom and data-movement windows; plots: also the series and
 * histograms (the HTML report), else the header only. Everything lives
 * until sd_ssh_report_clear. */
void sd_ssh_report_fill(sd_ssh_report *s, const sd_ssh_done *d, const sd_event *ev, size_t nev,
                        const sd_report_opts *o, bool plots);
void sd_ssh_report_clear(sd_ssh_report *s);

#endif
