/* sd_report_html: the self-contained HTML report
 * (see sd_report.h); the SVG plots in them are sd_report_plot.c's. */
#include "sd_report_int.h"

#include "sd_outfile.h"
#include "sd_svg.h"

#include <stdlib.h>
#include <string.h>

/* Sections open (rendered) when the page loads; later ones render on open. */
#define HTML_OPEN_SECTIONS 20u

typedef struct html_sec {
    uint64_t key;      /* first frame: sections in connection order */
    char *html;        /* everything after "<details" */
} html_sec;

struct sd_report_html {
    sd_report_opts o;
    char title[256];
    html_sec *sec;
    size_t n, cap;
    uint64_t events;
    sd_buf across;     /* the cross-connection findings' table, at the top */
};

static const char CSS[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}"
    "h1{font-size:20px;margin:0 0 8px}code,pre,.mono{font-family:ui-monospace,monospace;font-size:12px}"
    "details.conn{background:#fff;border:1px solid #ccc;border-radius:4px;margin:8px 0;padding:4px 10px}"
    "summary{cursor:pointer;font-weight:600}table{border-collapse:collapse}"
    "td,th{padding:1px 8px;text-align:left;vertical-align:top}th{background:#eee}"
    "table.kv td:first-child{color:#666}table.ev td{border-top:1px solid #eee;font-size:12px}"
    "table.ev td.n{text-align:right;font-family:ui-monospace,monospace}table.ev code{white-space:nowrap}"
    "h3{font-size:14px;margin:12px 0 2px}svg{display:block;background:#fff}"
    "svg text{font-size:11px;fill:#333}.ax path{stroke:#666;fill:none}.ax .gr{stroke:#eee}"
    ".ln{fill:none;stroke:#f0f0f0}.ln.fwd{fill:#f3f8ff}.ln.rev{fill:#fff3f8}.ln.nst{fill:#f8f3ff}"
    "text.rev{fill:#a02060}text.nst{fill:#6030a0}text.fwd{fill:#205090}"
    ".mk{stroke-width:1.5}.mk:hover{stroke:#000;stroke-width:3}"
    ".g0{fill:#2a9d4a;stroke:#2a9d4a}.g1{fill:#1a8aa0;stroke:#1a8aa0}.g2{fill:#b0307a;stroke:#b0307a}"
    ".g3{fill:#e05aa0;stroke:#e05aa0}.g4{fill:#d08a10;stroke:#d08a10}.g5{fill:#3050c0;stroke:#3050c0}"
    ".g6{fill:#777;stroke:#777}.d0{fill:#3a78c8}.d1{fill:#e07b2a}.ov{fill:#999}"
    ".sw.g0{background:#2a9d4a}.sw.g1{background:#1a8aa0}.sw.g2{background:#b0307a}.sw.g3{background:#e05aa0}"
    ".sw.g4{background:#d08a10}.sw.g5{background:#3050c0}.sw.g6{background:#777}"
    ".l0{stroke:#3a78c8;fill:none;stroke-width:1.5}.l1{stroke:#e07b2a;fill:none;stroke-width:1.5}"
    ".l2{stroke:#2a9d4a;fill:none;stroke-width:1.5}.l3{stroke:#888;fill:none;stroke-width:1;stroke-dasharray:3 2}"
    ".rt{stroke:#d00;fill:none;stroke-width:2}.ex{fill:#d00;stroke:#d00}.in{fill:#70d;stroke:#70d}"
    ".vl{stroke:#444;stroke-dasharray:4 3}text.vl{fill:#444;stroke:none}.lb{fill:#555}"
    ".tl-t{display:none}body.bytime .tl-t{display:inline}body.bytime .tl-f{display:none}"
    ".key{font-size:12px;color:#555}.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}"
    ".warn{color:#b00}";

/* Renders a section when it is opened (lazy: a capture with hundreds of
 * connections loads without building every plot); the x-axis switch; and,
 * with #test in the URL, opens everything and writes the mark counts and
 * any script errors into <pre id=result> for the headless-browser test. */
static const char JS[] =
    "var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message))});"
    "function rd(d){if(d.dataset.r)return;var t=d.querySelector('template');if(t){d.appendChild(t.content.cloneNode(true));}"
    "d.dataset.r='1';if(document.body.classList.contains('bytime'))mv(d)}"
    "document.querySelectorAll('details.conn').forEach(function(d){if(d.open)rd(d);"
    "d.addEventListener('toggle',function(){if(d.open)rd(d)})});"
    "function mv(root){var bt=document.body.classList.contains('bytime');"
    "root.querySelectorAll('svg.tl g.mk').forEach(function(g){"
    "g.setAttribute('transform','translate('+(bt?g.dataset.t:g.dataset.f)+' 0)')})}"
    "var xt=document.getElementById('xt');if(xt)xt.addEventListener('change',function(){"
    "document.body.classList.toggle('bytime',xt.checked);mv(document)});"
    "function cnt(){var r={errors:errs,sections:0,plots:{}};document.querySelectorAll('details.conn').forEach(function(d){"
    "d.open=true;rd(d);r.sections++});document.querySelectorAll('svg[data-plot]').forEach(function(s){"
    "var n=0;s.querySelectorAll('.mk').forEach(function(m){var t=m.querySelector('title');"
    "var x=t&&/^(\\d+) record/.exec(t.textContent);n+=x?+x[1]:1});"
    "r.plots[s.id]={marks:s.querySelectorAll('.mk').length,weight:n,rt:s.querySelectorAll('.rt').length}});"
    "var g=document.querySelector('svg.tl g.mk');if(g&&xt){var a=g.getAttribute('transform');xt.checked=true;"
    "xt.dispatchEvent(new Event('change'));var b=g.getAttribute('transform');xt.checked=false;"
    "xt.dispatchEvent(new Event('change'));r.xswitch=(a!==b||g.dataset.f===g.dataset.t)&&"
    "g.getAttribute('transform')===a}"
    "r.script_ms=performance.now();"
    "var p=document.getElementById('result');p.textContent=JSON.stringify(r);}"
    "if(location.hash==='#bytime'&&xt){xt.checked=true;xt.dispatchEvent(new Event('change'))}"
    "if(location.hash==='#test')cnt();"
    "if(location.hash==='#time')document.getElementById('result').textContent="
    "JSON.stringify({script_ms:performance.now(),errors:errs});";

sd_report_html *sd_report_html_new(const sd_report_opts *o)
{
    sd_report_html *h = sd_calloc(1, sizeof *h);
    if (o)
        h->o = *o;
    snprintf(h->title, sizeof h->title, "%s", o && o->title ? o->title : "strider report");
    return h;
}

void sd_report_html_free(sd_report_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->sec[i].html);
    free(h->sec);
    sd_buf_free(&h->across);
    free(h);
}

static void esc(sd_buf *b, const char *s)
{
    sd_svg_escape(b, s);
}

static void kv_row(sd_buf *b, const char *k, const char *v, bool mono)
{
    sd_buf_printf(b, "<tr><td>%s</td><td%s>", k, mono ? " class=mono" : "");
    esc(b, v);
    sd_buf_printf(b, "</td></tr>");
}

static void html_header(sd_buf *b, const sd_report_conn *rc)
{
    const sd_conn *c = rc->conn;
    char line[512], ts[40];
    sd_buf_printf(b, "<table class=kv>");
    snprintf(line, sizeof line, "%s, duration %.3f s, frames %llu-%llu", sd_ts_iso(c->start, ts, sizeof ts),
             sd_ts_sec(c->end - c->start), (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    kv_row(b, "first", line, false);
    snprintf(line, sizeof line, "%llu (orig %llu, resp %llu); bytes orig %llu, resp %llu",
             (unsigned long long)(c->d[0].pkts + c->d[1].pkts), (unsigned long long)c->d[0].pkts,
             (unsigned long long)c->d[1].pkts, (unsigned long long)c->d[0].bytes, (unsigned long long)c->d[1].bytes);
    kv_row(b, "packets", line, false);
    for (size_t i = 0; i < rc->nrow; i++)
        if (rc->row[i].fl & SD_RROW_PAGE)
            kv_row(b, rc->row[i].key, rc->row[i].val, rc->row[i].fl & SD_RROW_MONO);
    snprintf(line, sizeof line, "%s.stream eq %llu", c->ipproto == 17 ? "udp" : "tcp", (unsigned long long)c->id);
    kv_row(b, "Wireshark", line, true);
    sd_buf_printf(b, "</table>");
}

/* Rows of the event table at most; beyond, the timeline still shows all. */
#define HTML_MAX_ROWS 3000u

static void html_table(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n)
{
    sd_buf_printf(b, "<h3>Events (%zu)</h3><table class=ev><tr><th>frames</th><th>time</th><th>delta</th>"
                     "<th>leg</th><th>dir</th><th>kind</th><th>bytes</th><th>note</th><th>Wireshark filter</th></tr>",
                  n);
    sd_ts prev = 0;
    for (size_t i = 0; i < n && i < HTML_MAX_ROWS; i++) {
        const sd_event *e = v[i];
        char fr[48], note[256], filt[160];
        sdrp_frames_str(e, fr, sizeof fr);
        sdrp_ev_note(e, note, sizeof note);
        sdrp_ws_filter(rc->conn, e, filt, sizeof filt);
        int64_t by = sdrp_ev_bytes(e);
        sd_buf_printf(b, "<tr><td class=n>%s</td><td class=n>%.3f</td><td class=n>", fr,
                      sd_ts_sec(e->ts - rc->conn->start));
        if (i)
            sd_buf_printf(b, "+%.3f", sd_ts_sec(e->ts - prev));
        prev = e->ts;
        sd_buf_printf(b, "</td><td>%s</td><td>%s</td><td><span class=\"sw g%d\"></span>", sd_leg_name(e->leg),
                      e->dir == 0 ? "&rarr;" : e->dir == 1 ? "&larr;" : "", sdrp_group_of(e));
        esc(b, e->kind ? e->kind : "?");
        sd_buf_printf(b, "</td><td class=n>");
        if (by >= 0)
            sd_buf_printf(b, "%lld", (long long)by);
        sd_buf_printf(b, "</td><td>");
        esc(b, note);
        sd_buf_printf(b, "</td><td><code>");
        esc(b, filt);
        sd_buf_printf(b, "</code></td></tr>");
    }
    sd_buf_printf(b, "</table>");
    if (n > HTML_MAX_ROWS)
        sd_buf_printf(b, "<p class=warn>%zu more events: see `strider ssh --json`.</p>", n - HTML_MAX_ROWS);
}

void sd_report_html_add(sd_report_html *h, const sd_report_conn *rc)
{
    const sd_report_opts *o = &h->o;
    const sd_conn *c = rc->conn;
    sd_buf b = { 0 };
    size_t n;
    const sd_event **v = sdrp_sorted_events(rc, o, &n);
    char ep[2 * SD_ADDR_STRLEN + 32];
    sdrp_endpoints(c, rc->client_dir, ep, sizeof ep);
    size_t gc[G_N] = { 0 };
    for (size_t i = 0; i < n; i++)
        gc[sdrp_group_of(v[i])]++;
    sd_buf_printf(&b, " class=conn id=\"s%llu\"><summary>%s ", (unsigned long long)c->id,
                  rc->proto ? rc->proto : "TCP");
    esc(&b, ep);
    sd_buf_printf(&b, " &mdash; tcp.stream %llu &mdash; %zu finding%s", (unsigned long long)c->id, n, n == 1 ? "" : "s");
    for (int g = 0; g < G_N; g++)
        if (gc[g])
            sd_buf_printf(&b, "<span class=\"sw g%d\"></span>%s %zu", g, sdrp_group_name[g], gc[g]);
    sd_buf_printf(&b, "</summary>");
    html_header(&b, rc);
    sd_buf_printf(&b, "<template>");
    uint64_t f0 = o->zoom_first ? o->zoom_first : c->first_frame;
    uint64_t f1 = o->zoom_last && o->zoom_last < c->last_frame ? o->zoom_last : c->last_frame;
    if (n)
        sdrp_html_timeline(&b, rc, v, n, o, f0, f1);
    sdrp_html_datamove(&b, rc);
    if (rc->nrec) {
        sd_buf_printf(&b, "<h3>Encrypted record sizes</h3>");
        sdrp_html_hist(&b, rc, true);
        sdrp_html_hist(&b, rc, false);
    }
    if (n)
        html_table(&b, rc, v, n);
    sd_buf_printf(&b, "</template></details>\n");
    sd_buf_append(&b, "", 1);
    free(v);
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 32;
        h->sec = sd_reallocarray(h->sec, h->cap, sizeof *h->sec);
    }
    h->sec[h->n++] = (html_sec){ c->first_frame, (char *)b.p };
    h->events += n;
}

void sd_report_html_across(sd_report_html *h, const sd_event *ev, size_t n)
{
    sd_buf *b = &h->across;
    if (!n)
        return;
    if (!b->len)
        sd_buf_printf(b, "<h2>Across connections</h2><table class=ev><tr><th>first frames</th><th>kind</th>"
                         "<th>client</th><th>note</th><th>Wireshark filter</th></tr>");
    for (size_t i = 0; i < n; i++) {
        const sd_evfield *cl = sd_ev_get(&ev[i], "client");
        char fr[48], filt[96];
        sdrp_frames_str(&ev[i], fr, sizeof fr);
        snprintf(filt, sizeof filt, "ip.addr == %s && tcp", cl ? cl->s : "?");
        sd_buf_printf(b, "<tr><td class=n>%s</td><td>", fr);
        esc(b, ev[i].kind);
        sd_buf_printf(b, "</td><td>");
        esc(b, cl ? cl->s : "");
        sd_buf_printf(b, "</td><td>");
        esc(b, ev[i].note);
        sd_buf_printf(b, "</td><td><code>");
        esc(b, filt);
        sd_buf_printf(b, "</code></td></tr>");
    }
    h->events += n;
}

static int cmp_sec(const void *a, const void *b)
{
    const html_sec *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static void page_begin(sd_buf *b, const char *title)
{
    sd_buf_printf(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                     "<title>");
    esc(b, title);
    sd_buf_printf(b, "</title><style>%s</style></head><body>\n", CSS);
}

void sd_report_html_render(sd_report_html *h, sd_buf *b)
{
    if (h->n > 1) /* qsort(NULL, 0) is undefined */
    qsort(h->sec, h->n, sizeof *h->sec, cmp_sec);
    page_begin(b, h->title);
    sd_buf_printf(b, "<h1>");
    esc(b, h->title);
    sd_buf_printf(b, "</h1><p>%zu connection%s, %llu finding%s. ", h->n, h->n == 1 ? "" : "s",
                  (unsigned long long)h->events, h->events == 1 ? "" : "s");
    if (h->o.zoom_first || h->o.zoom_last)
        sd_buf_printf(b, "Zoom: frames %llu-%llu. ", (unsigned long long)h->o.zoom_first,
                      (unsigned long long)h->o.zoom_last);
    sd_buf_printf(b, "<label><input type=checkbox id=xt> timeline x axis = time</label></p>"
                     "<p class=key>Legend:");
    for (int g = 0; g < G_N; g++)
        sd_buf_printf(b, "<span class=\"sw g%d\"></span>%s", g, sdrp_group_name[g]);
    sd_buf_printf(b, " &nbsp; circles = forward leg, diamonds = reverse/nested. Hover a mark for its frames and "
                     "Wireshark filter; sections below the first %u render when opened.</p>\n",
                  HTML_OPEN_SECTIONS);
    if (h->across.len) {
        sd_buf_append(b, h->across.p, h->across.len);
        sd_buf_printf(b, "</table>\n");
    }
    for (size_t i = 0; i < h->n; i++) {
        sd_buf_printf(b, "<details%s", i < HTML_OPEN_SECTIONS ? " open" : "");
        sd_buf_append(b, h->sec[i].html, strlen(h->sec[i].html));
    }
    sd_buf_printf(b, "<pre id=result></pre><script>%s</script></body></html>\n", JS);
}

int sd_report_html_write(sd_report_html *h, const char *path)
{
    sd_buf b = { 0 };
    sd_report_html_render(h, &b);
    int rc = sd_outfile_write(path, &b);
    sd_buf_free(&b);
    return rc;
}
