/* sd_report_over: the overview at the top of the HTML report (see
 * sd_report_int.h): every SSH connection as one compact JSON row (the
 * page's script renders the sortable table from them), a timeline of the
 * whole capture with the campaigns (brute force, scans) shaded, and the
 * campaigns' table. State per connection is one row of ~50 bytes and one
 * point of 24; addresses and outcomes are interned, so a brute force of
 * 100,000 connections is a few MB of page. */
#include "sd_report_int.h"

#include "../common/sd_hmap.h"
#include "sd_json.h"
#include "sd_svg.h"

#include <stdlib.h>
#include <string.h>

/* Distinct strings interned (addresses, outcomes) at most: beyond, a row
 * carries its string inline (bounded table, bigger rows). */
#define INTERN_MAX 65536u
#define INTERN_SLOTS (2 * INTERN_MAX)
/* Capture timeline bins: ~4 pixels each at 1000. */
#define OV_BINS 200u
/* Campaign rows in the per-client table at most: a scan of the whole
 * internet is thousands of scanners; the rest are in events.jsonl, and the
 * count is shown. Their kinds are summed apart (a line per kind). */
#define OV_MAX_CAMPAIGNS 200u
#define OV_MAX_KINDS 8
/* The per-client table opens by itself when it is this short. */
#define OV_OPEN_CAMPAIGNS 10u

typedef struct ov_pt {
    double t;          /* start, s since the first connection added */
    uint64_t f0;       /* first frame */
    bool notable;      /* detail-worthy: something past login attempts */
} ov_pt;

typedef struct ov_camp {
    double t;          /* start */
    double dur;        /* until its last connection started */
    uint64_t f1;       /* the first frame of its last connection */
} ov_camp;

typedef struct ov_kind {
    char kind[32];
    size_t n;
    uint64_t conns, failures, success;
} ov_kind;

struct sdrp_over {
    sd_buf rows;       /* ",[...]" per connection */
    sd_buf strs;       /* ",\"...\"" per interned string */
    uint32_t *slot;    /* hash -> index + 1 */
    char **copy;       /* the interned strings, by index */
    uint32_t nstr;
    ov_pt *pt;
    size_t npt, cap;
    sd_ts base;
    bool have_base;
    sd_buf across;     /* the campaigns' table rows */
    size_t nacross;
    ov_camp *camp;     /* every campaign's window (24 bytes each) */
    size_t ncamp, campcap;
    ov_kind kind[OV_MAX_KINDS];
    size_t nkind;
};

sdrp_over *sdrp_over_new(void)
{
    sdrp_over *v = sd_calloc(1, sizeof *v);
    v->slot = sd_calloc(INTERN_SLOTS, sizeof *v->slot);
    v->copy = sd_calloc(INTERN_MAX, sizeof *v->copy);
    return v;
}

void sdrp_over_free(sdrp_over *v)
{
    if (!v)
        return;
    sd_buf_free(&v->rows);
    sd_buf_free(&v->strs);
    sd_buf_free(&v->across);
    for (uint32_t i = 0; i < v->nstr; i++)
        free(v->copy[i]);
    free(v->copy);
    free(v->slot);
    free(v->pt);
    free(v->camp);
    free(v);
}

/* A JSON string that is also safe inside <script>: no '<' (no "</script"). */
static void js_str(sd_buf *b, const char *s)
{
    sd_buf t = { 0 };
    sd_json_escape(&t, s, strlen(s));
    for (size_t i = 0; i < t.len; i++) {
        if (t.p[i] == '<')
            sd_buf_append(b, "\\u003c", 6);
        else
            sd_buf_append(b, &t.p[i], 1);
    }
    sd_buf_free(&t);
}

/* The string's index in the page's string table, or inline when full.
 * strs keeps each string once; the slot finds it by comparing. */
static void put_str(sdrp_over *v, const char *s)
{
    uint32_t h = (uint32_t)(sd_hash_bytes(s, strlen(s)) % INTERN_SLOTS);
    for (uint32_t k = 0; k < INTERN_SLOTS; k++, h = (h + 1) % INTERN_SLOTS) {
        uint32_t i = v->slot[h];
        if (!i)
            break;
        if (!strcmp(v->copy[i - 1], s)) {
            sd_buf_printf(&v->rows, ",%u", i); /* strs[0] is the page's "" */
            return;
        }
    }
    if (v->nstr < INTERN_MAX) {
        v->copy[v->nstr] = sd_strdup(s);
        v->slot[h] = ++v->nstr;
        sd_buf_append(&v->strs, ",", 1);
        js_str(&v->strs, s);
        sd_buf_printf(&v->rows, ",%u", v->nstr);
        return;
    }
    sd_buf_append(&v->rows, ",", 1);
    js_str(&v->rows, s);
}

/* The outcome header row the analyzer gave, or "" (the table shows "-"). */
static const char *outcome_of(const sd_report_conn *rc)
{
    for (size_t i = 0; i < rc->nrow; i++)
        if (rc->row[i].key && !strcmp(rc->row[i].key, "outcome") && rc->row[i].val)
            return rc->row[i].val;
    return "";
}

void sdrp_over_add(sdrp_over *v, const sd_report_conn *rc, const size_t gc[G_N], size_t nfind, bool notable)
{
    const sd_conn *c = rc->conn;
    if (!v->have_base) {
        v->base = c->start;
        v->have_base = true;
    }
    bool rev = rc->client_dir == SD_DIR_RESP;
    const sd_addr *ca = rev ? &c->resp_h : &c->orig_h, *sa = rev ? &c->orig_h : &c->resp_h;
    char a[SD_ADDR_STRLEN];
    double t = sd_ts_sec(c->start - v->base);
    sd_buf_printf(&v->rows, "%s[%llu,%.0f", v->npt ? ",\n" : "", (unsigned long long)c->id, t * 1000);
    put_str(v, sd_addr_str(ca, a, sizeof a));
    sd_buf_printf(&v->rows, ",%u", rev ? c->resp_p : c->orig_p);
    put_str(v, sd_addr_str(sa, a, sizeof a));
    sd_buf_printf(&v->rows, ",%u", rev ? c->orig_p : c->resp_p);
    put_str(v, outcome_of(rc));
    sd_buf_printf(&v->rows, ",%zu,%llu,%llu,%d,[", nfind, (unsigned long long)c->first_frame,
                  (unsigned long long)c->last_frame, notable);
    int last = G_N - 1;
    while (last >= 0 && !gc[last]) /* trailing zeros left out: most rows are "[3]" */
        last--;
    for (int g = 0; g <= last; g++)
        sd_buf_printf(&v->rows, "%s%zu", g ? "," : "", gc[g]);
    sd_buf_printf(&v->rows, "]]");
    if (v->npt == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 256;
        v->pt = sd_reallocarray(v->pt, v->cap, sizeof *v->pt);
    }
    v->pt[v->npt++] = (ov_pt){ t, c->first_frame, notable };
}

size_t sdrp_over_count(const sdrp_over *v)
{
    return v->npt;
}

static uint64_t ev_count(const sd_event *e, const char *key)
{
    const sd_evfield *f = sd_ev_get(e, key);
    return f && f->type == SD_EVF_INT && f->i > 0 ? (uint64_t)f->i : 0;
}

/* Sums per kind: the campaigns in a line each, whatever their number. */
static void kind_add(sdrp_over *v, const sd_event *e)
{
    const char *k = e->kind ? e->kind : "?";
    size_t i;
    for (i = 0; i < v->nkind && strcmp(v->kind[i].kind, k); i++)
        ;
    if (i == v->nkind) {
        if (v->nkind == OV_MAX_KINDS)
            i = OV_MAX_KINDS - 1; /* the last line takes the rest */
        else
            snprintf(v->kind[v->nkind++].kind, sizeof v->kind[0].kind, "%s", k);
    }
    ov_kind *x = &v->kind[i];
    x->n++;
    x->conns += ev_count(e, "connections");
    x->failures += ev_count(e, "failures");
    x->success += ev_count(e, "auth_success");
}

/* A finding across connections (brute force, scan): summed by kind, its
 * window kept for the timeline, a row of the per-client table (the first
 * OV_MAX_CAMPAIGNS). */
void sdrp_over_across(sdrp_over *v, const sd_event *e)
{
    sd_buf *b = &v->across;
    const sd_evfield *cl = sd_ev_get(e, "client");
    const char *client = cl && cl->type == SD_EVF_STR ? cl->s : "";
    kind_add(v, e);
    if (v->ncamp == v->campcap) {
        v->campcap = v->campcap ? v->campcap * 2 : 64;
        v->camp = sd_reallocarray(v->camp, v->campcap, sizeof *v->camp);
    }
    v->camp[v->ncamp++] = (ov_camp){ v->have_base ? sd_ts_sec(e->ts - v->base) : 0, 0, e->frame_last };
    if (v->nacross++ >= OV_MAX_CAMPAIGNS)
        return;
    char fr[48], filt[96];
    sdrp_frames_str(e, fr, sizeof fr);
    snprintf(filt, sizeof filt, "ip.addr == %s && tcp", client[0] ? client : "?");
    sd_buf_printf(b, "<tr><td class=n>%s</td><td>", fr);
    sd_svg_escape(b, e->kind);
    sd_buf_printf(b, "</td><td>");
    sd_svg_escape(b, client);
    sd_buf_printf(b, "</td><td>");
    sd_svg_escape(b, e->note);
    sd_buf_printf(b, "</td><td><code>");
    sd_svg_escape(b, filt);
    sd_buf_printf(b, "</code></td></tr>");
}

static int cmp_pt_f0(const void *a, const void *b)
{
    const ov_pt *x = a, *y = b;
    return x->f0 < y->f0 ? -1 : x->f0 > y->f0;
}

static int cmp_camp_t(const void *a, const void *b)
{
    const ov_camp *x = a, *y = b;
    return x->t < y->t ? -1 : x->t > y->t;
}

/* The campaigns' windows, merged where they overlap, shaded. A window ends
 * when its last connection starts: the one with the last first frame up
 * to the campaign's last frame, as frames follow time. */
static void ov_campaigns(const sdrp_over *v, sd_svg *s, double t0)
{
    if (!v->ncamp || !v->npt)
        return;
    ov_pt *p = sd_calloc(v->npt, sizeof *p);
    ov_camp *c = sd_calloc(v->ncamp, sizeof *c);
    memcpy(p, v->pt, v->npt * sizeof *p);
    memcpy(c, v->camp, v->ncamp * sizeof *c);
    qsort(p, v->npt, sizeof *p, cmp_pt_f0);
    for (size_t i = 0; i < v->ncamp; i++) {
        size_t lo = 0, hi = v->npt; /* the first point past f1 */
        while (lo < hi) {
            size_t m = lo + (hi - lo) / 2;
            if (p[m].f0 <= c[i].f1)
                lo = m + 1;
            else
                hi = m;
        }
        c[i].dur = lo && p[lo - 1].t > c[i].t ? p[lo - 1].t - c[i].t : 0;
    }
    qsort(c, v->ncamp, sizeof *c, cmp_camp_t);
    for (size_t i = 0; i < v->ncamp;) {
        double a = c[i].t, z = a + c[i].dur;
        size_t j = i + 1;
        for (; j < v->ncamp && c[j].t <= z; j++)
            z = c[j].t + c[j].dur > z ? c[j].t + c[j].dur : z;
        char t[96];
        snprintf(t, sizeof t, "%zu campaign(s) active, t=%.3f-%.3f s", j - i, a - t0, z - t0);
        sd_svg_span(s, a - t0, z - t0, "cp", t);
        i = j;
    }
    free(p);
    free(c);
}

typedef struct ov_bin {
    size_t n, notable;
} ov_bin;

static void ov_bars(sd_svg *s, const ov_bin *bin, double w)
{
    for (size_t k = 0; k < OV_BINS; k++) {
        if (!bin[k].n)
            continue;
        char t[160];
        double x0 = (double)k * w;
        snprintf(t, sizeof t, "%zu connections, %zu of them past login attempts, t=%.3f-%.3f s", bin[k].n,
                 bin[k].notable, x0, x0 + w);
        sd_svg_rect(s, x0, x0 + w, 0, (double)(bin[k].n - bin[k].notable), "d0", t);
        if (bin[k].notable) /* an overlay, not a mark: the bar above counts them */
            sd_buf_printf(s->b, "<rect class=\"nt\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>",
                          sd_svg_px(s, x0), sd_svg_py(s, (double)bin[k].n), sd_svg_px(s, x0 + w) - sd_svg_px(s, x0),
                          sd_svg_py(s, (double)(bin[k].n - bin[k].notable)) - sd_svg_py(s, (double)bin[k].n));
    }
}

/* Connections started per bin over the whole capture, the campaigns'
 * windows shaded behind. */
static void ov_timeline(const sdrp_over *v, sd_buf *b)
{
    double t0 = 0, t1 = 0;
    for (size_t i = 0; i < v->npt; i++) {
        t0 = i == 0 || v->pt[i].t < t0 ? v->pt[i].t : t0;
        t1 = i == 0 || v->pt[i].t > t1 ? v->pt[i].t : t1;
    }
    double w = (t1 - t0) / OV_BINS > 0 ? (t1 - t0) / OV_BINS * 1.0001 : 1.0 / OV_BINS;
    ov_bin *bin = sd_calloc(OV_BINS, sizeof *bin);
    size_t cmax = 1;
    for (size_t i = 0; i < v->npt; i++) {
        size_t k = (size_t)((v->pt[i].t - t0) / w);
        k = k < OV_BINS ? k : OV_BINS - 1;
        bin[k].n++;
        bin[k].notable += v->pt[i].notable;
        cmax = bin[k].n > cmax ? bin[k].n : cmax;
    }
    sd_svg s;
    sd_buf_printf(b, "<h2>Timeline of the capture</h2><div class=key><span class=\"sw d0\"></span>SSH connections "
                     "started<span class=\"sw nt\"></span>of them past login attempts (detail-worthy)"
                     "<span class=\"sw win cp\"></span>campaign (brute force, scan)</div>");
    sd_svg_begin(&s, b, 1000, 170, "ov", "data-plot=\"overview\"");
    sd_svg_range(&s, 0, w * OV_BINS, 0, (double)cmax * 1.1); /* from the first connection */
    sd_svg_axes(&s, "time since the first SSH connection (s)", "connections", 10, 4);
    ov_campaigns(v, &s, t0);
    ov_bars(&s, bin, w);
    sd_svg_end(&s);
    free(bin);
}

/* The campaigns: a line per kind, then the per-client table (closed when
 * long). One line of HTML: tests grep the heading and a row together. */
static void ov_across(const sdrp_over *v, sd_buf *b)
{
    sd_buf_printf(b, "<h2>Across connections</h2><ul>");
    for (size_t i = 0; i < v->nkind; i++) {
        const ov_kind *k = &v->kind[i];
        sd_buf_printf(b, "<li><b>");
        sd_svg_escape(b, k->kind);
        sd_buf_printf(b, "</b>: %zu client%s, %llu connections", k->n, k->n == 1 ? "" : "s",
                      (unsigned long long)k->conns);
        if (k->failures)
            sd_buf_printf(b, ", %llu failed logins", (unsigned long long)k->failures);
        sd_buf_printf(b, ", %llu logged in</li>", (unsigned long long)k->success);
    }
    sd_buf_printf(b, "</ul><details%s><summary>per client (%zu%s)</summary><table class=ev><tr><th>first frames</th>"
                     "<th>kind</th><th>client</th><th>note</th><th>Wireshark filter</th></tr>",
                  v->nacross <= OV_OPEN_CAMPAIGNS ? " open" : "", v->nacross,
                  v->nacross > OV_MAX_CAMPAIGNS ? "; the first rows" : "");
    sd_buf_append(b, v->across.p, v->across.len);
    sd_buf_printf(b, "</table>");
    if (v->nacross > OV_MAX_CAMPAIGNS)
        sd_buf_printf(b, "<p class=warn>%zu more: see events.jsonl (capped at %u rows).</p>",
                      v->nacross - OV_MAX_CAMPAIGNS, OV_MAX_CAMPAIGNS);
    sd_buf_printf(b, "</details>\n");
}

void sdrp_over_render(const sdrp_over *v, sd_buf *b)
{
    if (v->npt > 1) /* one connection: its own timeline says it all */
        ov_timeline(v, b);
    if (v->nacross)
        ov_across(v, b);
    if (!v->npt)
        return;
    char ts[40];
    sd_buf_printf(b, "<h2>SSH connections (%zu)</h2><p class=key>Click a column to sort; a stream with a detail "
                     "section below links to it. <input id=tf placeholder=\"filter: address, outcome...\" size=30> "
                     "<span id=tpage></span></p><table class=\"ev ct\" id=ct></table>\n"
                     "<script type=\"application/json\" id=rows>{\"base\":\"%s\",\"groups\":[",
                  v->npt, sd_ts_iso(v->base, ts, sizeof ts));
    for (int g = 0; g < G_N; g++)
        sd_buf_printf(b, "%s\"%s\"", g ? "," : "", sdrp_group_name[g]);
    sd_buf_printf(b, "],\"strs\":[\"\"");
    sd_buf_append(b, v->strs.p, v->strs.len);
    sd_buf_printf(b, "],\"rows\":[\n");
    sd_buf_append(b, v->rows.p, v->rows.len);
    sd_buf_printf(b, "]}</script>\n");
}
