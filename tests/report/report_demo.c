/* report_demo: runs the SSH analyzer (and the inference) on a capture and
 * writes the terminal report and/or the HTML report, the way `strider ssh`
 * does once it is wired in. Used by tests/report/t_report.sh.
 *
 * usage: report_demo [--synthetic] [--color] [--html OUT] [--no-text]
 *                    [--expect JSON] [-z FIRST-LAST] FILE...
 * --expect writes the marks each HTML plot must show, counted from the
 * events and records (not from the HTML), for the browser test.
 * --synthetic makes simple events from the records (keystroke-sized client
 * records) instead of running sd_infer: a writer test independent of the
 * inference rules. */
#include "common/sd_parse.h"
#include "capture/sd_capture.h"
#include "ssh/sd_ssh_report.h"
#include "ssh/sd_infer.h"
#include "ssh/sd_sshconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Weak: the test still builds (synthetic events) while the inference
 * module is being written; once it is linked, real events are used. */
extern void sd_infer_ssh(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out,
                         sd_infer_summary *sum) __attribute__((weak));

typedef struct item {
    uint64_t key;
    char *text;
} item;

typedef struct run {
    bool synthetic, text;
    sd_report_opts o;
    sd_report_html *html;
    FILE *expect; /* --expect: marks each plot must have, from the raw data */
    int nexp;
    size_t nconn;
    item *it;
    size_t n, cap;
} run;

static void synth(const sd_sshconn_result *r, sd_evlist *l)
{
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_suite *cs = &m->side[m->client_dir & 1].suite;
    uint32_t k = cs->mode != SD_SSH_MODE_UNKNOWN ? sd_ssh_wire_size(cs, SD_SSH_P_KEYSTROKE) : 0;
    for (size_t i = 0; i < r->nrec; i++) {
        const sd_ssh_record *q = &r->rec[i];
        const char *kind = NULL;
        if (q->from_client && k && q->wire_len == k)
            kind = "keystroke";
        else if (q->wire_len > 1000)
            kind = "transfer";
        if (!kind)
            continue;
        sd_event *e = sd_ev_add(l, kind, r->conn->uid, r->conn->id, q->ts, q->frame, q->frame, SD_LEG_FORWARD);
        e->dir = q->from_client ? 0 : 1;
        e->confidence = 0.5;
        sd_ev_int(e, "bytes", q->wire_len);
        snprintf(e->note, sizeof e->note, "synthetic: record %llu", (unsigned long long)q->index);
    }
}

static void on_done(void *ud, const sd_sshconn_result *r)
{
    run *u = ud;
    sd_evlist l = { 0 };
    if (u->synthetic || !sd_infer_ssh) {
        synth(r, &l);
    } else {
        sd_infer_opts io = { .keystrokes = true };
        sd_infer_summary sum;
        sd_infer_ssh(&io, r, &l, &sum);
    }
    sd_ssh_done d = { .r = r }; /* no summary: no outcome row */
    static sd_ssh_report sr;
    sd_ssh_report_fill(&sr, &d, l.v, l.n, &u->o, u->html != NULL);
    const sd_report_conn rc = sr.rc;
    if (u->text) {
        sd_buf b = { 0 };
        sd_report_text(&b, &rc, &u->o);
        sd_buf_append(&b, "", 1);
        if (u->n == u->cap) {
            u->cap = u->cap ? u->cap * 2 : 16;
            u->it = sd_reallocarray(u->it, u->cap, sizeof *u->it);
        }
        u->it[u->n++] = (item){ r->conn->first_frame, (char *)b.p };
    }
    if (u->html)
        sd_report_html_add(u->html, &rc);
    if (u->expect) {
        size_t cli = 0, srv = 0;
        for (size_t i = 0; i < r->nrec; i++)
            *(r->rec[i].from_client ? &cli : &srv) += 1;
        unsigned long long id = (unsigned long long)r->conn->id;
        /* single marks and density bins together weigh one per event */
        if (l.n)
            fprintf(u->expect, "%s\"tl-%llu\":{\"weight\":%zu}", u->nexp++ ? "," : "", id, l.n);
        if (cli)
            fprintf(u->expect, "%s\"hc-%llu\":{\"weight\":%zu}", u->nexp++ ? "," : "", id, cli);
        if (srv)
            fprintf(u->expect, "%s\"hs-%llu\":{\"weight\":%zu}", u->nexp++ ? "," : "", id, srv);
        /* the data-movement bars: every record of both directions once */
        if (cli + srv >= 2)
            fprintf(u->expect, "%s\"dm-%llu\":{\"weight\":%zu}", u->nexp++ ? "," : "", id, cli + srv);
        u->nconn++;
    }
    sd_ssh_report_clear(&sr);
    sd_evlist_free(&l);
}

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

int main(int argc, char **argv)
{
    run u = { .text = true };
    const char *html = NULL;
    const char **files = calloc((size_t)argc, sizeof *files);
    size_t nf = 0;
    u.o.color = SD_REPORT_COLOR_NEVER;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--synthetic"))
            u.synthetic = true;
        else if (!strcmp(argv[i], "--color"))
            u.o.color = SD_REPORT_COLOR_ALWAYS;
        else if (!strcmp(argv[i], "--no-text"))
            u.text = false;
        else if (!strcmp(argv[i], "--html") && i + 1 < argc)
            html = argv[++i];
        else if (!strcmp(argv[i], "--expect") && i + 1 < argc) {
            if (!(u.expect = fopen(argv[++i], "w")))
                return 1;
            fputc('{', u.expect);
        }
        else if (!strcmp(argv[i], "-z") && i + 1 < argc) {
            uint64_t a = 0, z = 0;
            if (sd_parse_frames(argv[++i], &a, &z))
                return 2;
            u.o.zoom_first = a;
            u.o.zoom_last = z;
        } else
            files[nf++] = argv[i];
    }
    if (!nf) {
        fprintf(stderr, "usage: report_demo [--synthetic] [--color] [--html OUT] [--no-text] [-z A-B] FILE...\n");
        return 2;
    }
    u.o.title = files[0];
    if (html)
        u.html = sd_report_html_new(&u.o);
    sd_diag diag = { 0 };
    sd_capture_opts co = { 0 };
    char err[256] = "";
    sd_capture *cap = sd_capture_open(files, nf, &co, err, sizeof err);
    if (!cap) {
        fprintf(stderr, "report_demo: %s\n", err);
        return 1;
    }
    sd_engine_opts eo = { .diag = &diag, .reassemble = true };
    sd_engine *e = sd_engine_new(&eo);
    sd_sshconn_opts so = { .done = on_done, .ud = &u };
    sd_sshconn *x = sd_sshconn_new(&so);
    sd_sshconn_attach(x, e);
    sd_engine_run(e, cap, NULL, NULL);
    qsort(u.it, u.n, sizeof *u.it, cmp_item);
    for (size_t i = 0; i < u.n; i++) {
        fputs(u.it[i].text, stdout);
        free(u.it[i].text);
    }
    int rc = 0;
    if (u.html && sd_report_html_write(u.html, html)) {
        perror(html);
        rc = 1;
    }
    sd_report_html_free(u.html);
    if (u.expect) {
        /* the overview: a row and a timeline weight per connection */
        if (u.nconn > 1)
            fprintf(u.expect, "%s\"ov\":{\"weight\":%zu}", u.nexp++ ? "," : "", u.nconn);
        fprintf(u.expect, "%s\"_rows\":%zu}\n", u.nexp ? "," : "", u.nconn);
        fclose(u.expect);
    }
    free(u.it);
    sd_engine_free(e);
    sd_sshconn_free(x);
    sd_capture_close(cap);
    free(files);
    return rc;
}
