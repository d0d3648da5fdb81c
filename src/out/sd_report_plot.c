/* sd_report_plot: the SVG plots of the HTML report (data movement, record
 * sizes; the findings timeline is sd_report_tl.c's) (see sd_report.h). */
#include "sd_report_int.h"

#include "sd_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Histogram range in bytes (larger sizes go to one overflow bin). */
#define HIST_CAP 512u

/* Bins of the data-movement plot at most: ~2 pixels each at 1000. */
#define DM_MAX_BINS 400u
/* Bins when -w gave no window: enough to show bursts, few enough to read. */
#define DM_AUTO_BINS 200

typedef struct dm_bin {
    uint64_t bytes[2];
    size_t recs[2];
} dm_bin;

/* Bins at least, for -w's window to be the bin: fewer say nothing of the
 * shape (a 2 s window over a 0.7 s copy is one block). */
#define DM_MIN_BINS 10

/* The bin width: -w's window (the data_window events' windows) when it
 * gives DM_MIN_BINS to DM_MAX_BINS bins; else a round step near span /
 * DM_AUTO_BINS (*changed says -w's was set aside). */
static double dm_bin_width(double span, const sd_report_opts *o, bool *changed)
{
    double w = sd_svg_nice_step(span, DM_AUTO_BINS);
    *changed = false;
    if (o->window_s > 0) {
        if (span / o->window_s >= DM_MIN_BINS && span / o->window_s <= DM_MAX_BINS)
            return o->window_s;
        *changed = true;
    }
    return w > 0 ? w : 1;
}

/* One direction's bins as bars on a log scale, up from the centre line for
 * client to server, down for server to client; an empty bin draws nothing,
 * so an idle gap reads as a break. Each title starts with its record count
 * (the page's test weighs the marks by it). */
static void dm_bars(sd_svg *s, const dm_bin *bin, size_t nb, double x0, double w, int d)
{
    for (size_t k = 0; k < nb; k++) {
        if (!bin[k].recs[d])
            continue;
        char t[160];
        snprintf(t, sizeof t, "%zu records, %llu bytes %s, t=%.3f-%.3f s", bin[k].recs[d],
                 (unsigned long long)bin[k].bytes[d], d ? "server -> client" : "client -> server",
                 x0 + (double)k * w, x0 + (double)(k + 1) * w);
        double y = log10((double)bin[k].bytes[d] + 1);
        sd_svg_rect(s, x0 + (double)k * w, x0 + (double)(k + 1) * w, 0, d ? -y : y, d ? "d1" : "d0", t);
    }
}

/* Each direction's records and bytes per bin of w s from x0; the most
 * bytes in a bin. */
static uint64_t dm_binning(const sd_report_hist *h, dm_bin *bin, size_t nb, double x0, double w)
{
    uint64_t bmax = 1;
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i < h[d].n; i++) {
            double k = (h[d].t[i] - x0) / w;
            dm_bin *x = &bin[k <= 0 ? 0 : k >= (double)nb ? nb - 1 : (size_t)k];
            x->bytes[d] += h[d].v[i];
            x->recs[d]++;
            bmax = x->bytes[d] > bmax ? x->bytes[d] : bmax;
        }
    return bmax;
}

/* Log ticks both ways from the centre: 10, 100, 1k... bytes. */
static void dm_ticks(sd_svg *s, int decades)
{
    int step = decades > 6 ? 2 : 1;
    for (int k = step; k <= decades; k += step) {
        char lab[32];
        sd_svg_tick_label(pow(10, k), lab, sizeof lab);
        sd_svg_ytick(s, k, lab);
        sd_svg_ytick(s, -k, lab);
    }
    sd_svg_ytick(s, 0, "0");
}

/* Data movement: bytes per direction over time from the records, the
 * windows the analyzer marked (exfil/infil) shaded behind. */
void sdrp_html_datamove(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o)
{
    const sd_report_hist *h = rc->hist;
    if (!h[0].t || !h[1].t || h[0].n + h[1].n < 2)
        return;
    /* from the connection's start, or from the zoom's first record */
    double tmin = INFINITY, tmax = 0;
    for (int d = 0; d < 2; d++)
        for (size_t i = 0; i < h[d].n; i++) {
            tmin = h[d].t[i] < tmin ? h[d].t[i] : tmin;
            tmax = h[d].t[i] > tmax ? h[d].t[i] : tmax;
        }
    bool zoom = o->zoom_first || o->zoom_last, changed;
    double w = dm_bin_width(tmax - (zoom ? tmin : 0), o, &changed);
    double x0 = zoom && tmin > 0 ? floor(tmin / w) * w : 0;
    size_t nb = (size_t)((tmax - x0) / w) + 1;
    dm_bin *bin = sd_calloc(nb, sizeof *bin);
    uint64_t bmax = dm_binning(h, bin, nb, x0, w);
    const sd_report_series *dm = &rc->dm;
    size_t nband[3] = { 0, 0, 0 };
    for (size_t i = 0; i < dm->nmark; i++)
        nband[dm->mark[i].band == 1 ? 1 : 2]++;
    sd_buf_printf(b, "<h3>Data movement (bins of %g s%s)</h3><div class=key>"
                     "<span class=\"sw d0\"></span>client &rarr; server bytes (up)"
                     "<span class=\"sw d1\"></span>server &rarr; client bytes (down), log scale; gaps = no records"
                     "<span class=\"sw win ex\"></span>%s window (%zu)<span class=\"sw win in\"></span>%s window (%zu)</div>",
                   w, changed ? ", not -w's: too few or too many bins" : "", sdrp_nz(dm->band_name[1]), nband[1],
                   sdrp_nz(dm->band_name[2]), nband[2]);
    sd_svg s;
    char id[48];
    snprintf(id, sizeof id, "dm-%llu", (unsigned long long)rc->conn->id);
    int dec = (int)ceil(log10((double)bmax + 1));
    sd_svg_begin(&s, b, 1000, 220, id, "data-plot=\"datamove\"");
    sd_svg_range(&s, x0, x0 + (double)nb * w, -dec, dec);
    sd_svg_axes(&s, "time since connection start (s)", "bytes / bin", 10, 0);
    dm_ticks(&s, dec);
    for (size_t i = 0; i < dm->nmark; i++) {
        const sd_report_mark *m = &dm->mark[i];
        sd_svg_span(&s, m->t0, m->t1 > m->t0 ? m->t1 : m->t0 + w, m->band == 1 ? "ex" : "in", m->title);
    }
    dm_bars(&s, bin, nb, x0, w, 0);
    dm_bars(&s, bin, nb, x0, w, 1);
    sd_svg_end(&s);
    free(bin);
}

/* Count ticks on the histogram's sqrt scale: round counts, labelled. */
static void hist_ticks(sd_svg *s, size_t cmax)
{
    double st = sd_svg_nice_step((double)cmax, 4);
    if (st < 1)
        st = 1;
    for (double c = st; c <= (double)cmax * 1.15 && c < st * 8; c += st) {
        char lab[32];
        sd_svg_tick_label(c, lab, sizeof lab);
        sd_svg_ytick(s, sqrt(c), lab);
    }
    if (st > 1)
        sd_svg_ytick(s, 1, "1");
}

/* Labels of the predicted sizes: each on the first row where it does not
 * overlap the previous label of that row, right-aligned at the right edge. */
#define LABEL_ROWS 4
#define LABEL_CHAR_PX 6.5

static void hist_labels(sd_svg *s, const sd_report_hist *h, uint32_t bw)
{
    double end[LABEL_ROWS];
    for (int r = 0; r < LABEL_ROWS; r++)
        end[r] = -1e9;
    for (size_t i = 0; i < h->nmark; i++) {
        const sd_report_size *m = &h->mark[i];
        if (m->v > HIST_CAP)
            continue;
        char lab[48];
        snprintf(lab, sizeof lab, "%s %u", m->name, m->v);
        double x = (double)(m->v / bw * bw) + bw / 2.0, px = sd_svg_px(s, x);
        double wpx = LABEL_CHAR_PX * (double)strlen(lab);
        bool right = px + 4 + wpx > s->w - s->right;
        double a = right ? px - 4 - wpx : px + 4;
        int r = 0;
        while (r < LABEL_ROWS - 1 && end[r] > a - 4)
            r++;
        end[r] = a + wpx;
        sd_svg_vline(s, x, "vl", NULL);
        sd_svg_text(s, right ? px - 4 : px + 4, s->top + 10 + 13 * (double)r, right ? "end" : "start", "vl", lab);
    }
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
    sd_svg_begin(&s, b, 495, 200 + 13 * (h->nmark > 1 ? (double)h->nmark - 1 : 0), id,
                 client ? "data-plot=\"hist-client\"" : "data-plot=\"hist-server\"");
    s.left = 50;
    s.top = 14 + 13 * (double)h->nmark; /* the labels above the bars */
    /* sqrt scale: one keystroke size usually dwarfs everything else */
    sd_svg_range(&s, 0, (double)(nb * bw), 0, sqrt((double)cmax) * 1.08);
    sd_svg_axes(&s, "bytes on the wire", "records (sqrt scale)", 8, 0);
    hist_ticks(&s, cmax);
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
    hist_labels(&s, h, bw);
    sd_svg_end(&s);
    sd_buf_printf(b, "</div>");
    free(cnt);
}
