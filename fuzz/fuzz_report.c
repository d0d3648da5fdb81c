/* What `strider ssh` writes, on a fuzzed capture: the SSH analyzer (parser,
 * inference, data windows) and the cross-connection campaign analysis,
 * then every writer of its outputs: the terminal report (with and without
 * colour), the -m metadata block, the --records stream, the JSON lines
 * (ssh and event objects), the CSV, and the HTML report (sections, the
 * across-connections table, the SVG plots). Checks: JSON lines valid
 * (strict UTF-8), terminal text free of control bytes (SGR only where
 * colour was asked for), and the HTML's active elements exactly those of
 * the report's own page: no capture string opens a tag. The options
 * (-w/-s windows, -z zoom, terminal width) come from the input's length.
 * Seeds: fuzz/seeds/fuzz_report and the pipeline's captures (fuzz/run). */
#include "analyze/sd_campaign.h"
#include "capture/sd_capture.h"
#include "flow/sd_engine.h"
#include "fzcheck.h"
#include "out/sd_evout.h"
#include "out/sd_report.h"
#include "ssh/sd_ssh_record.h"
#include "ssh/sd_ssh_report.h"
#include "ssh/sd_sshan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Elements that run or load something: a capture string must never make
 * one (the page's own script is counted in the baseline). */
static const char *const ACTIVE[] = { "<script", "<iframe", "<img", "<object", "<embed", "<link", "<base",
                                      "<form", "<meta", "<foreignobject", "<animate", "<set", "<use", "<a " };
#define NACTIVE (sizeof ACTIVE / sizeof ACTIVE[0])
/* The page's own data blocks, which the browser does not run: a detail
 * section's HTML waiting to be rendered, the table's rows. A capture string
 * cannot make one ('<' is always escaped); ACTIVE[0] counts them less. */
#define INERT_SECTION "<script type=\"text/html\">"
#define INERT_ROWS "<script type=\"application/json\" id=rows>"

/* The attributes of every tag: none is an event handler (on...), and none
 * loads anything (href, src): a capture string that broke out of an
 * attribute value would show here. */
static void check_attrs(const char *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if (p[i] != '<' || !isalpha((unsigned char)p[i + 1]))
            continue;
        size_t k = i + 1;
        while (k < n && isalnum((unsigned char)p[k]))
            k++;
        while (k < n && p[k] != '>') {
            while (k < n && isspace((unsigned char)p[k]))
                k++;
            size_t a = k;
            while (k < n && !isspace((unsigned char)p[k]) && p[k] != '=' && p[k] != '>')
                k++;
            if ((k - a >= 2 && !strncasecmp(p + a, "on", 2)) || (k - a == 4 && !strncasecmp(p + a, "href", 4)) ||
                (k - a == 3 && !strncasecmp(p + a, "src", 3)) || (k - a == 10 && !strncasecmp(p + a, "xlink:href", 10))) {
                fprintf(stderr, "html: attribute %.*s in: %.200s\n", (int)(k - a), p + a, p + i);
                abort();
            }
            if (k < n && p[k] == '=') {
                k++;
                char q = k < n ? p[k] : 0;
                if (q == '"' || q == '\'') {
                    const char *e = memchr(p + k + 1, q, n - k - 1);
                    k = e ? (size_t)(e - p) + 1 : n;
                } else
                    while (k < n && !isspace((unsigned char)p[k]) && p[k] != '>')
                        k++;
            }
            if (k == a) /* a lone character (e.g. '/'): step over it */
                k++;
        }
        i = k;
    }
}

typedef struct run {
    sd_report_opts ro;
    sd_report_html *html;
    sd_campaign *camp;
    sd_buf json, csv, text;
} run;

static void write_events(run *r, const sd_evlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        sd_evout_json(&r->json, &l->v[i]);
        sd_evout_csv(&r->csv, &l->v[i]);
        sd_evout_text(&r->text, &l->v[i], i ? l->v[i - 1].ts : 0, i > 0);
    }
}

static void on_done(void *ud, const sd_ssh_done *d)
{
    run *r = ud;
    sd_sshout_meta_json(&r->json, NULL, d->r, d->summary);
    sd_sshout_meta_text(&r->text, d->r);
    sd_sshout_records(&r->text, d->r);
    if (!d->summary)
        return;
    write_events(r, d->events);
    sd_ssh_report sr; /* the writers' model, as strider ssh fills it */
    sd_ssh_report_fill(&sr, d, d->events->v, d->events->n, &r->ro, true);
    const sd_report_conn *rc = &sr.rc;
    sd_report_text(&r->text, rc, &r->ro);
    sd_buf colour = { 0 };
    sd_report_opts ro = r->ro;
    ro.color = SD_REPORT_COLOR_ALWAYS;
    sd_report_text(&colour, rc, &ro);
    fz_terminal_safe("coloured report", colour.p, colour.len, false, true);
    sd_buf_free(&colour);
    sd_report_html_add(r->html, rc);
    sd_ssh_report_clear(&sr);
    sd_evlist now = { 0 };
    sd_campaign_add(r->camp, d, &now);
    write_events(r, &now);
    sd_evlist_free(&now);
}

/* The active elements of a report of nothing: the page's own. */
static void baseline(size_t *n)
{
    sd_report_opts ro = { .color = SD_REPORT_COLOR_NEVER };
    sd_report_html *h = sd_report_html_new(&ro);
    sd_buf b = { 0 };
    sd_report_html_render(h, &b);
    for (size_t i = 0; i < NACTIVE; i++)
        n[i] = fz_count(b.p, b.len, ACTIVE[i]);
    sd_buf_free(&b);
    sd_report_html_free(h);
}

static void check_html(const sd_buf *b)
{
    static size_t base[NACTIVE];
    static bool have;
    if (!have) {
        baseline(base);
        have = true;
    }
    fz_terminal_safe("html", b->p, b->len, true, false);
    check_attrs((const char *)b->p, b->len);
    for (size_t i = 0; i < NACTIVE; i++) {
        size_t n = fz_count(b->p, b->len, ACTIVE[i]);
        if (i == 0) /* the page's inert data blocks (sections, table rows) run nothing */
            n -= fz_count(b->p, b->len, INERT_SECTION) + fz_count(b->p, b->len, INERT_ROWS);
        if (n != base[i]) {
            fprintf(stderr, "html: %zu x \"%s\", the page has %zu\n", n, ACTIVE[i], base[i]);
            abort();
        }
    }
}

static void finish(run *r)
{
    sd_evlist l = { 0 };
    sd_campaign_finish(r->camp, &l);
    write_events(r, &l);
    sd_report_html_across(r->html, l.v, l.n);
    sd_evlist_free(&l);
    sd_buf h = { 0 };
    sd_report_html_render(r->html, &h);
    check_html(&h);
    sd_buf_free(&h);
    fz_json_lines("ssh --json", r->json.p, r->json.len);
    fz_terminal_safe("text", r->text.p, r->text.len, false, false);
    fz_terminal_safe("csv", r->csv.p, r->csv.len, false, false);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_diag diag = { 0 };
    sd_capture *cap = fz_capture(data, size, &diag);
    if (!cap)
        return 0;
    unsigned v = (unsigned)size;
    double w = v & 1 ? 0.5 + (v >> 1) % 7 : 0;
    run r = { .ro = { .color = SD_REPORT_COLOR_NEVER, .window_s = w, .stride_s = w / (1 + (v >> 4) % 3),
                      .zoom_first = v & 2 ? (v >> 2) % 16 : 0, .zoom_last = v & 2 ? 8 + (v >> 3) % 64 : 0,
                      .width = v & 4 ? 40 : 0 } };
    r.html = sd_report_html_new(&r.ro);
    sd_campaign_opts cpo = { .announce = true, .max_clients = 4 }; /* the cap too */
    r.camp = sd_campaign_new(&cpo);
    sd_engine_opts eo = { .diag = &diag, .reassemble = true, .max_flows = 64 };
    eo.reasm.stream_cap = 1 << 16;
    sd_engine *e = sd_engine_new(&eo);
    sd_sshan_opts so = { .infer = true, .stream = -1, .done = on_done, .ud = &r,
                         .io = { .keystrokes = true, .window_s = w, .stride_s = r.ro.stride_s } };
    sd_sshan *an = sd_sshan_new(&so);
    sd_sshan_attach(an, e);
    sd_engine_run(e, cap, NULL, NULL);
    sd_engine_free(e);
    finish(&r);
    sd_sshan_free(an);
    sd_campaign_free(r.camp);
    sd_report_html_free(r.html);
    sd_buf_free(&r.json);
    sd_buf_free(&r.csv);
    sd_buf_free(&r.text);
    sd_capture_close(cap);
    return 0;
}
