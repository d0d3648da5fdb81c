/* sd_ssh_out: the SSH analyzer's results to the writers (see sd_ssh_out.h). */
#include "sd_ssh_out.h"
#include "sd_ssh_fields.h"

#include "../out/sd_evout.h"
#include "../out/sd_text.h"
#include "sd_ssh_record.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sd_ssh_out_open(sd_ssh_out *o, const char *outdir, bool report, bool live)
{
    o->cache = sd_sshout_cache_new();
    if (report)
        o->html = sd_report_html_new(&o->ro);
    if (outdir && !(o->files = sd_evfiles_open(outdir, report, live, "strider ssh")))
        return 1;
    return 0;
}

void sd_ssh_out_begin(const sd_ssh_out *o, sd_buf *b)
{
    if (o->csv && o->meta_only)
        sd_sshout_meta_csv_header(b);
    else if (o->csv && !o->records)
        sd_evout_csv_header(b);
}

void sd_ssh_out_across(const sd_ssh_out *o, sd_buf *b, const sd_evlist *l)
{
    sd_ssh_out_events(o, b, l, "Across connections");
    if (o->html)
        sd_report_html_across(o->html, l->v, l->n);
}

int sd_ssh_out_close(sd_ssh_out *o, const char *outdir)
{
    int rc = sd_evfiles_close(o->files) ? 1 : 0;
    o->files = NULL;
    sd_sshout_cache_free(o->cache);
    o->cache = NULL;
    if (o->html) {
        char p[4096];
        snprintf(p, sizeof p, "%s/report.html", outdir);
        if (sd_report_html_write(o->html, p)) {
            fprintf(stderr, "strider ssh: cannot write %s: %s\n", p, strerror(errno));
            rc = 1;
        }
        sd_report_html_free(o->html);
        o->html = NULL;
    }
    return rc;
}

void sd_ssh_out_free(sd_ssh_out *o)
{
    sd_evfiles_close(o->files);
    o->files = NULL;
    sd_report_html_free(o->html);
    o->html = NULL;
    sd_sshout_cache_free(o->cache);
    o->cache = NULL;
}

bool sd_ssh_out_kinds(sd_ssh_out *o, const char *list)
{
    size_t n = strlen(list);
    if (!n || n + 3 > sizeof o->kinds || strspn(list, "abcdefghijklmnopqrstuvwxyz_,") != n)
        return false;
    snprintf(o->kinds, sizeof o->kinds, ",%s,", list);
    return true;
}

bool sd_ssh_out_legs(sd_ssh_out *o, const char *leg)
{
    static const char *const LEGS[] = { "forward", "reverse", "both" };
    for (int i = 0; i < 3; i++)
        if (!strcmp(leg, LEGS[i])) {
            o->legs = i + 1;
            return true;
        }
    return false;
}

bool sd_ssh_out_keep(const sd_ssh_out *o, const sd_event *e)
{
    if (o->kinds[0]) {
        char k[72];
        snprintf(k, sizeof k, ",%s,", e->kind);
        if (!strstr(o->kinds, k))
            return false;
    }
    if (e->frame < o->zfrom || (o->zto && e->frame > o->zto))
        return false;
    int bit = e->leg == SD_LEG_FORWARD ? 1 : 2;
    return (o->legs & bit) != 0 && sd_filter_match(o->where_ev, e);
}

static bool keep_ev(void *ud, const sd_event *e) /* sd_ssh_out_keep as sd_evfiles takes it */
{
    return sd_ssh_out_keep(ud, e);
}

/* A copy of e at the end of l (its own sequence number). */
static void ev_copy(sd_evlist *l, const sd_event *e)
{
    sd_event *c = sd_ev_add(l, e->kind, e->uid, e->stream, e->ts, e->frame, e->frame_last, e->leg);
    uint64_t seq = c->seq;
    *c = *e;
    c->seq = seq;
}

void sd_ssh_out_events(const sd_ssh_out *o, sd_buf *b, const sd_evlist *l, const char *title)
{
    for (size_t i = 0; i < l->n; i++) {
        if (o->json)
            sd_evout_json(b, &l->v[i]);
        else if (o->csv)
            sd_evout_csv(b, &l->v[i]);
        else {
            sd_buf_printf(b, "%s\n", title);
            sd_evout_text(b, &l->v[i], 0, false);
        }
    }
    if (o->files)
        sd_evfiles_write(o->files, keep_ev, (void *)o, l);
}

void sd_ssh_out_early(const sd_ssh_out *o, sd_buf *b, const sd_event *e)
{
    if (!sd_ssh_out_keep(o, e))
        return;
    sd_evlist l = { 0 };
    ev_copy(&l, e);
    sd_ssh_out_events(o, b, &l, "Live (the connection goes on)");
    sd_evlist_free(&l);
}

/* The inference's results: the record line and events (JSON, CSV), the
 * terminal report (text), the HTML report's section, the event files. */
static void infer_out(const sd_ssh_out *o, sd_buf *b, const sd_ssh_done *d)
{
    bool text = !o->json && !o->csv;
    if (o->json)
        sd_sshout_meta_json(b, o->cache, d->r, d->summary);
    sd_evlist kept = { 0 };
    for (size_t i = 0; i < d->events->n; i++) {
        const sd_event *e = &d->events->v[i];
        if (!sd_ssh_out_keep(o, e))
            continue;
        if (o->json)
            sd_evout_json(b, e);
        else if (o->csv)
            sd_evout_csv(b, e);
        if (text || o->html)
            ev_copy(&kept, e);
    }
    if (o->files)
        sd_evfiles_write(o->files, keep_ev, (void *)o, d->events);
    if (!text && !o->html) /* JSON or CSV lines only: no report to fill (kept is empty) */
        return;
    sd_ssh_report *sr = sd_calloc(1, sizeof *sr);
    sd_ssh_report_fill(sr, d, kept.v, kept.n, &o->ro, o->html != NULL);
    if (text)
        sd_report_text(b, &sr->rc, &o->ro);
    if (o->html)
        sd_report_html_add(o->html, &sr->rc);
    sd_ssh_report_clear(sr);
    free(sr);
    sd_evlist_free(&kept);
}

/* -m as text: its name-lists wrapped to the width, at the value column. */
#define META_VALUE_COL 15
static void meta_text(const sd_ssh_out *o, sd_buf *b, const sd_ssh_done *d)
{
    sd_buf t = { 0 };
    sd_sshout_meta_text(&t, d->r);
    unsigned w = o->ro.width ? o->ro.width : 100;
    sd_text_wrap(b, (const char *)t.p, t.len, w == SD_REPORT_NOWRAP ? 0 : w, META_VALUE_COL);
    sd_buf_free(&t);
}

bool sd_ssh_out_conn(const sd_ssh_out *o, sd_buf *b, const sd_ssh_done *d)
{
    sd_ssh_fieldrec rec = { .r = d->r, .su = d->summary };
    if (!sd_filter_match(o->where, &rec))
        return false;
    if (o->records)
        sd_sshout_records(b, d->r);
    else if (!d->summary) {
        if (o->json)
            sd_sshout_meta_json(b, o->cache, d->r, NULL);
        else if (o->csv)
            sd_sshout_meta_csv(b, o->cache, d->r);
        else
            meta_text(o, b, d);
    } else
        infer_out(o, b, d);
    return true;
}

int sd_ssh_out_notes(sd_buf *err, const sd_sshconn_stats *st, const uint64_t untracked[2], bool nothing_shown,
                     int64_t stream)
{
    int rc = 0;
    if (untracked[0] || untracked[1])
        sd_buf_printf(err, "strider ssh: campaign caps reached: %llu connection(s) of clients past the client cap "
                           "not counted, %llu server(s) not counted as distinct\n",
                      (unsigned long long)untracked[0], (unsigned long long)untracked[1]);
    if (nothing_shown) { /* an empty output must not read as "nothing happened" */
        if (stream >= 0) { /* as packets and follow do for a connection not there */
            sd_buf_printf(err, "strider ssh: no SSH connection with tcp.stream %lld (%llu SSH in the capture)\n",
                          (long long)stream, (unsigned long long)st->ssh);
            rc = 1;
        } else
            sd_buf_printf(err, "strider ssh: no SSH in %llu TCP connection(s)\n", (unsigned long long)st->claimed);
    }
    if (st->cut_frames) /* a loss the reader must know of: never silent */
        sd_buf_printf(err, "strider ssh: the capture's snaplen cut the payload of %llu TCP segment(s) (%llu SSH "
                           "connection(s)): SSH read from sizes past the cuts (anomaly snaplen_cut)\n",
                      (unsigned long long)st->cut_frames, (unsigned long long)st->cut_ssh);
    if (st->memo_refused) /* a cost, not a loss: those connections were parsed in full */
        sd_buf_printf(err, "strider ssh: %llu KEXINIT name-list set(s) past the memo's cap parsed per connection "
                           "(the output is the same)\n", (unsigned long long)st->memo_refused);
    if (st->truncated)
        sd_buf_printf(err, "strider ssh: %llu connection(s) had more than %u encrypted records: the inference "
                           "saw the first ones only (marked records_truncated)\n",
                      (unsigned long long)st->truncated, SD_SSHCONN_MAX_RECORDS);
    return rc;
}
