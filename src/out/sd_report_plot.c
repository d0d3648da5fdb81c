/* sd_report_plot: the SVG plots of the HTML report (findings timeline,
 * data movement, record sizes) (see sd_report.h). */
#include "sd_report_int.h"

#include "sd_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Histogram range in bytes (larger sizes go to one overflow bin). */
#define HIST_CAP 512u

typedef struct lane {
    sd_leg leg;
    int group;
    char kind[SD_EV_STRLEN + 24]; /* kind, plus the key class for keystrokes */
} lane;

/* The lane name of an event: keystrokes get one lane per key class
 * (char, enter, backspace, tab, arrow...), as the analyst reads them. */
static void lane_name(const sd_event *e, char *out, size_t len)
{
    const sd_evfield *k = sd_ev_get(e, "key");
    if (k && k->type == SD_EVF_STR && k->s[0])
        snprintf(out, len, "%s %s", e->kind ? e->kind : "?", k->s);
    else
        snprintf(out, len, "%s", e->kind ? e->kind : "?");
}

static int cmp_lane(const void *a, const void *b)
{
    const lane *x = a, *y = b;
    if (x->leg != y->leg)
        return x->leg < y->leg ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

#define MAX_LANES 24

static int lane_of(const lane *L, int nl, const sd_event *e)
{
    char nm[SD_EV_STRLEN + 24];
    lane_name(e, nm, sizeof nm);
    for (int i = 0; i < nl; i++)
        if (L[i].leg == e->leg && !strcmp(L[i].kind, nm))
            return i;
    return nl - 1; /* the overflow lane */
}

static void ev_title(char *out, size_t len, const sd_report_conn *rc, const sd_event *e)
{
    char fr[48], note[200], filt[160];
    sdrp_frames_str(e, fr, sizeof fr);
    sdrp_ev_note(e, note, sizeof note);
    sdrp_ws_filter(rc->conn, e, filt, sizeof filt);
    int64_t by = sdrp_ev_bytes(e);
    snprintf(out, len, "%s (%s%s%s) frame %s, t=%.3f s%s%lld%s%s%s\n%s", e->kind ? e->kind : "?", sd_leg_name(e->leg),
             e->dir >= 0 ? ", " : "", e->dir == 0 ? "client->server" : e->dir == 1 ? "server->client" : "", fr,
             sd_ts_sec(e->ts - rc->conn->start), by >= 0 ? ", " : "", (long long)(by >= 0 ? by : 0),
             by >= 0 ? " bytes" : "", e->confidence >= 0 ? ", confidence " : "", "", filt);
    if (e->confidence >= 0) {
        size_t n = strlen(out);
        /* put the confidence before the filter line */
        char *nl = strchr(out, '\n');
        if (nl && n + 8 < len) {
            char tail[200];
            snprintf(tail, sizeof tail, "%s", nl);
            snprintf(nl, len - (size_t)(nl - out), "%.2f%s", e->confidence, tail);
        }
    }
    if (note[0]) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "\n%s", note);
    }
}

/* The findings timeline: one lane per (leg, kind), forward lanes first;
 * by frame (class tl-f) and by time (class tl-t), switched by CSS. */
void sdrp_html_timeline(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n,
                        const sd_report_opts *o, uint64_t f0, uint64_t f1)
{
    lane L[MAX_LANES];
    int nl = 0;
    for (size_t i = 0; i < n; i++) {
        char k[SD_EV_STRLEN + 24];
        lane_name(v[i], k, sizeof k);
        int j;
        for (j = 0; j < nl; j++)
            if (L[j].leg == v[i]->leg && !strcmp(L[j].kind, k))
                break;
        if (j == nl && nl < MAX_LANES) {
            L[nl].leg = v[i]->leg;
            L[nl].group = sdrp_group_of(v[i]);
            snprintf(L[nl].kind, sizeof L[nl].kind, "%s", k);
            nl++;
        }
    }
    if (!nl)
        return;
    if ((size_t)nl > 1) /* qsort(NULL, 0) is undefined */
    qsort(L, (size_t)nl, sizeof *L, cmp_lane);
    double t0 = 0, t1 = sd_ts_sec(rc->conn->end - rc->conn->start);
    if (o->zoom_first || o->zoom_last) {
        t0 = sd_ts_sec(v[0]->ts - rc->conn->start);
        t1 = sd_ts_sec(v[n - 1]->ts - rc->conn->start);
    }
    sd_buf_printf(b, "<h3>Findings timeline</h3>");
    /* One svg with both x axes: marks sit at their frame position and carry
     * their time position in data-t; the page's switch moves them. */
    sd_svg s, st;
    char id[48];
    snprintf(id, sizeof id, "tl-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 48 + 20.0 * nl, id, "class=\"tl\" data-plot=\"timeline\"");
    s.left = 170;
    sd_svg_range(&s, (double)f0, (double)f1 + 1, 0, 1);
    st = s;
    sd_svg_range(&st, t0, t1 + (t1 - t0) * 0.01, 0, 1);
    double ly[MAX_LANES];
    for (int i = 0; i < nl; i++) {
        char lab[128];
        snprintf(lab, sizeof lab, "%s %s", sdrp_leg_short(L[i].leg), L[i].kind);
        ly[i] = sd_svg_lane(&s, i, nl, lab, L[i].leg == SD_LEG_REVERSE ? "rev" : L[i].leg == SD_LEG_NESTED ? "nst" : "fwd");
    }
    sd_buf_printf(b, "<g class=tl-f>");
    sd_svg_axes(&s, "frame number", NULL, 10, 0);
    sd_buf_printf(b, "</g><g class=tl-t>");
    sd_svg_axes(&st, "time since connection start (s)", NULL, 10, 0);
    sd_buf_printf(b, "</g>");
    for (size_t i = 0; i < n; i++) {
        char t[600], cls[16], at[64];
        double fx = sd_svg_px(&s, (double)v[i]->frame);
        ev_title(t, sizeof t, rc, v[i]);
        snprintf(cls, sizeof cls, "g%d", sdrp_group_of(v[i]));
        snprintf(at, sizeof at, "data-f=\"%.1f\" data-t=\"%.1f\"", fx,
                 sd_svg_px(&st, sd_ts_sec(v[i]->ts - rc->conn->start)));
        sd_svg_mark_at(&s, fx, ly[lane_of(L, nl, v[i])],
                       v[i]->leg == SD_LEG_FORWARD ? SD_SVG_DOT : SD_SVG_DIAMOND, cls, t, at);
    }
    sd_svg_end(&s);
}

/* The data-movement series (sd_report.h): the window features as lines,
 * the marks the analyzer set above them, and each window's length. */
void sdrp_html_datamove(sd_buf *b, const sd_report_conn *rc)
{
    const sd_report_series *d = &rc->dm;
    size_t k = d->n, nb[3] = { 0, 0, 0 };
    if (!k)
        return;
    double elmax = 0;
    for (size_t i = 0; i < k; i++)
        elmax = d->elapsed[i] > elmax ? d->elapsed[i] : elmax;
    for (size_t i = 0; i < d->nmark; i++)
        nb[d->mark[i].band == 1 ? 1 : 2]++;
    sd_buf_printf(b, "<h3>Data movement (%s)</h3><div class=key>"
                     "<span class=sw style=background:#3a78c8></span>client packets / window"
                     "<span class=sw style=background:#e07b2a></span>client bytes / window"
                     "<span class=sw style=background:#2a9d4a></span>size variability (unique/total)"
                     "<span class=sw style=background:#d00></span>%s prediction (%zu)"
                     "<span class=sw style=background:#70d></span>%s prediction (%zu)</div>",
                   d->desc, sdrp_nz(d->band_name[1]), nb[1], sdrp_nz(d->band_name[2]), nb[2]);
    sd_svg s;
    char id[48];
    const double *x = d->x;
    snprintf(id, sizeof id, "dm-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 190, id, "data-plot=\"datamove\"");
    sd_svg_range(&s, x[0], x[k - 1] + 1, 0, 1.12);
    sd_svg_axes(&s, "frame number (window start)", "ratio", 10, 4);
    sd_svg_line(&s, x, d->client_pkts, k, false, "l0");
    sd_svg_line(&s, x, d->client_bytes, k, false, "l1");
    sd_svg_line(&s, x, d->variability, k, false, "l2");
    for (size_t i = 0; i < d->nmark; i++) {
        const sd_report_mark *m = &d->mark[i];
        sd_svg_marker(&s, m->x, sd_svg_py(&s, m->band == 1 ? 1.08 : 1.04), SD_SVG_TICK, m->band == 1 ? "ex" : "in",
                      m->title);
    }
    sd_svg_end(&s);
    snprintf(id, sizeof id, "dmt-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 120, id, "data-plot=\"datamove-time\"");
    sd_svg_range(&s, x[0], x[k - 1] + 1, 0, elmax > 0 ? elmax * 1.05 : 1);
    sd_svg_axes(&s, NULL, "window s", 10, 3);
    sd_svg_line(&s, x, d->elapsed, k, false, "l3");
    sd_svg_end(&s);
}

/* Packet-size histogram of one direction with the sizes the analyzer
 * gave to mark. */
void sdrp_html_hist(sd_buf *b, const sd_report_conn *rc, bool client)
{
    const sd_report_hist *h = &rc->hist[client ? 0 : 1];
    uint32_t maxs = 0;
    size_t tot = h->n;
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i] > maxs)
            maxs = h->v[i];
    if (!tot)
        return;
    /* Keystroke, echo and delete sizes differ by 8 or 16 bytes: small sizes
     * get fine bins; everything above HIST_CAP is bulk and shares one. */
    uint32_t top = maxs > HIST_CAP ? HIST_CAP : maxs;
    uint32_t bw = top <= 256 ? 2 : 4;
    size_t nb = top / bw + 1 + (maxs > HIST_CAP), *cnt = sd_calloc(nb, sizeof *cnt), cmax = 0;
    for (size_t i = 0; i < h->n; i++) {
        uint32_t v = h->v[i];
        cnt[v > HIST_CAP ? nb - 1 : v / bw]++;
    }
    for (size_t i = 0; i < nb; i++)
        if (cnt[i] > cmax)
            cmax = cnt[i];
    sd_svg s;
    char id[48];
    snprintf(id, sizeof id, "h%c-%llu", client ? 'c' : 's', (unsigned long long)rc->conn->id);
    sd_buf_printf(b, "<div style=\"display:inline-block;vertical-align:top\"><div class=key>%s &rarr; %s: %zu "
                     "encrypted %s (bin %u bytes%s)</div>",
                  client ? "client" : "server", client ? "server" : "client", tot, sdrp_nz(rc->rec_unit), bw,
                  maxs > HIST_CAP ? ", grey = larger" : "");
    sd_svg_begin(&s, b, 495, 200, id, client ? "data-plot=\"hist-client\"" : "data-plot=\"hist-server\"");
    s.left = 44;
    /* sqrt scale: one keystroke size usually dwarfs everything else */
    sd_svg_range(&s, 0, (double)(nb * bw), 0, sqrt((double)cmax) * 1.15);
    sd_svg_axes(&s, "bytes on the wire", "sqrt(count)", 8, 0);
    for (size_t i = 0; i < nb; i++) {
        if (!cnt[i])
            continue;
        char t[96];
        bool ov = maxs > HIST_CAP && i == nb - 1;
        if (ov)
            snprintf(t, sizeof t, "%zu records of %u-%u bytes", cnt[i], HIST_CAP + 1, maxs);
        else
            snprintf(t, sizeof t, "%zu records of %zu-%zu bytes", cnt[i], i * bw, i * bw + bw - 1);
        sd_svg_bar(&s, (double)(i * bw), (double)(i * bw + bw), sqrt((double)cnt[i]), ov ? "ov" : client ? "d0" : "d1",
                   t);
    }
    for (size_t i = 0; i < h->nmark; i++) {
        const sd_report_size *m = &h->mark[i];
        char lab[48];
        snprintf(lab, sizeof lab, "%s %u", m->name, m->v);
        if (m->v > HIST_CAP)
            continue;
        /* labels stacked: the sizes are often a few bytes apart */
        sd_svg_vline(&s, (double)(m->v / bw * bw) + bw / 2.0, "vl", NULL);
        sd_svg_text(&s, sd_svg_px(&s, (double)m->v) + 4, s.top + 9 + 13 * (double)i, "start", "vl", lab);
    }
    sd_svg_end(&s);
    sd_buf_printf(b, "</div>");
    free(cnt);
}
