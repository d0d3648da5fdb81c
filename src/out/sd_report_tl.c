/* sd_report_tl: the findings timeline of the HTML report (see
 * sd_report_int.h): one lane per (leg, kind), forward lanes first. A lane
 * whose marks would overlap (hundreds of keystrokes) is drawn as a density
 * strip of bins instead, so it never reads as one solid bar. */
#include "sd_report_int.h"

#include "sd_svg.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LANES 24
/* The lane labels' margin, pixels. */
#define TL_LEFT 170
/* Width of a density bin in pixels: a mark is 8 pixels wide, so two marks
 * closer than this would overlap; the plot area is ~810 pixels, ~200 bins. */
#define BIN_PX 4.0
/* A lane becomes a density strip when two of its marks fall in one bin. */
#define BIN_DENSE 2u

typedef struct lane {
    sd_leg leg;
    int group;
    char kind[SD_EV_STRLEN + 24]; /* kind, plus the key class for keystrokes */
    bool dense;
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

static int lane_of(const lane *L, int nl, const sd_event *e)
{
    char nm[SD_EV_STRLEN + 24];
    lane_name(e, nm, sizeof nm);
    for (int i = 0; i < nl; i++)
        if (L[i].leg == e->leg && !strcmp(L[i].kind, nm))
            return i;
    return nl - 1; /* the overflow lane */
}

static int make_lanes(lane *L, const sd_event *const *v, size_t n)
{
    int nl = 0;
    for (size_t i = 0; i < n; i++) {
        char k[SD_EV_STRLEN + 24];
        lane_name(v[i], k, sizeof k);
        int j;
        for (j = 0; j < nl; j++)
            if (L[j].leg == v[i]->leg && !strcmp(L[j].kind, k))
                break;
        if (j == nl && nl < MAX_LANES) {
            L[nl] = (lane){ .leg = v[i]->leg, .group = sdrp_group_of(v[i]) };
            snprintf(L[nl].kind, sizeof L[nl].kind, "%s", k);
            nl++;
        }
    }
    if (nl > 1) /* qsort(NULL, 0) is undefined */
        qsort(L, (size_t)nl, sizeof *L, cmp_lane);
    return nl;
}

static void ev_title(char *out, size_t len, const sd_report_conn *rc, const sd_event *e)
{
    char fr[48], note[200], filt[160], conf[32] = "", by[40] = "";
    sdrp_frames_str(e, fr, sizeof fr);
    sdrp_ev_note(e, note, sizeof note);
    sdrp_ws_filter(rc->conn, e, filt, sizeof filt);
    int64_t b = sdrp_ev_bytes(e);
    if (b >= 0)
        snprintf(by, sizeof by, ", %lld bytes", (long long)b);
    if (e->confidence >= 0)
        snprintf(conf, sizeof conf, ", confidence %.2f", e->confidence);
    snprintf(out, len, "%s (%s%s%s) frame %s, t=%.3f s%s%s\n%s%s%s", e->kind ? e->kind : "?", sd_leg_name(e->leg),
             e->dir >= 0 ? ", " : "", e->dir == 0 ? "client->server" : e->dir == 1 ? "server->client" : "", fr,
             sd_ts_sec(e->ts - rc->conn->start), by, conf, filt, note[0] ? "\n" : "", note);
}

/* Whether the lane's marks would overlap on the frame axis. */
static bool lane_dense(const sd_svg *s, const lane *L, int nl, int li, const sd_event *const *v, size_t n)
{
    double last = -1e9;
    unsigned run = 1;
    for (size_t i = 0; i < n; i++) { /* v is in time order, frames with it */
        if (lane_of(L, nl, v[i]) != li)
            continue;
        double px = sd_svg_px(s, (double)v[i]->frame);
        run = px - last < BIN_PX ? run + 1 : 1;
        if (run >= BIN_DENSE)
            return true;
        last = px;
    }
    return false;
}

typedef struct tbin {
    size_t n;
    uint64_t f0, f1;
    double t0, t1;
} tbin;

/* One lane's density strip on one axis (s: frames if !bytime, else
 * times): a bin per BIN_PX pixels, darker the more events it holds; its
 * title starts with the count (the page's test weighs marks by it). */
static void lane_strip(sd_svg *s, const sd_report_conn *rc, const lane *L, int nl, int li, double ly,
                       const sd_event *const *v, size_t n, bool bytime)
{
    double pw = s->w - s->left - s->right;
    size_t nb = (size_t)(pw / BIN_PX) + 1, cmax = 1;
    tbin *b = sd_calloc(nb, sizeof *b);
    for (size_t i = 0; i < n; i++) {
        if (lane_of(L, nl, v[i]) != li)
            continue;
        double t = sd_ts_sec(v[i]->ts - rc->conn->start);
        double px = sd_svg_px(s, bytime ? t : (double)v[i]->frame) - s->left;
        size_t k = px <= 0 ? 0 : px >= pw ? nb - 1 : (size_t)(px / BIN_PX);
        if (!b[k].n++) {
            b[k].f0 = v[i]->frame;
            b[k].t0 = t;
        }
        b[k].f1 = v[i]->frame_last > v[i]->frame ? v[i]->frame_last : v[i]->frame;
        b[k].t1 = t;
        cmax = b[k].n > cmax ? b[k].n : cmax;
    }
    for (size_t k = 0; k < nb; k++) {
        if (!b[k].n)
            continue;
        char t[200];
        snprintf(t, sizeof t, "%zu %s %s, frames %llu-%llu, t=%.3f-%.3f s\ntcp.stream eq %llu && frame.number >= %llu "
                 "&& frame.number <= %llu", b[k].n, sdrp_leg_short(L[li].leg), L[li].kind,
                 (unsigned long long)b[k].f0, (unsigned long long)b[k].f1, b[k].t0, b[k].t1,
                 (unsigned long long)rc->conn->id, (unsigned long long)b[k].f0, (unsigned long long)b[k].f1);
        /* height grows with the count: a lone event stays visible */
        double hh = 3 + 6.0 * (double)b[k].n / (double)cmax;
        sd_buf_printf(s->b, "<rect class=\"mk bin g%d\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>",
                      L[li].group, s->left + (double)k * BIN_PX, ly - hh, BIN_PX - 0.5, 2 * hh);
        sd_svg_escape(s->b, t);
        sd_buf_printf(s->b, "</title></rect>");
    }
    free(b);
}

static void lane_marks(sd_svg *s, sd_svg *st, const sd_report_conn *rc, const lane *L, int nl, const double *ly,
                       const sd_event *const *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int li = lane_of(L, nl, v[i]);
        if (L[li].dense)
            continue;
        char t[600], cls[16], at[64];
        double fx = sd_svg_px(s, (double)v[i]->frame);
        ev_title(t, sizeof t, rc, v[i]);
        snprintf(cls, sizeof cls, "g%d", sdrp_group_of(v[i]));
        snprintf(at, sizeof at, "data-f=\"%.1f\" data-t=\"%.1f\"", fx,
                 sd_svg_px(st, sd_ts_sec(v[i]->ts - rc->conn->start)));
        sd_svg_mark_at(s, fx, ly[li], v[i]->leg == SD_LEG_FORWARD ? SD_SVG_DOT : SD_SVG_DIAMOND, cls, t, at);
    }
}

/* The findings timeline: by frame (class tl-f) and by time (class tl-t),
 * switched by the page; single marks move between the two, density strips
 * are drawn once per axis. */
void sdrp_html_timeline(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n,
                        const sd_report_opts *o, uint64_t f0, uint64_t f1)
{
    lane L[MAX_LANES];
    int nl = make_lanes(L, v, n);
    if (!nl)
        return;
    double t0 = 0, t1 = sd_ts_sec(rc->conn->end - rc->conn->start);
    if (o->zoom_first || o->zoom_last) {
        t0 = sd_ts_sec(v[0]->ts - rc->conn->start);
        t1 = sd_ts_sec(v[n - 1]->ts - rc->conn->start);
    }
    sd_buf_printf(b, "<h3>Findings timeline</h3>");
    sd_svg s, st;
    char id[48], at[200];
    snprintf(id, sizeof id, "tl-%llu", (unsigned long long)rc->conn->id);
    /* the plot area and both axes' ranges, for the page's drag-to-zoom */
    double te = t1 + (t1 - t0) * 0.01;
    snprintf(at, sizeof at, "class=\"tl\" data-plot=\"timeline\" data-l=\"%d\" data-w=\"%d\" data-f0=\"%llu\" "
             "data-f1=\"%llu\" data-t0=\"%.3f\" data-t1=\"%.3f\"", TL_LEFT, 1000 - TL_LEFT - 12,
             (unsigned long long)f0, (unsigned long long)f1 + 1, t0, te > t0 ? te : t0 + 1);
    sd_svg_begin(&s, b, 1000, 48 + 20.0 * nl, id, at);
    s.left = TL_LEFT;
    sd_svg_range(&s, (double)f0, (double)f1 + 1, 0, 1);
    st = s;
    sd_svg_range(&st, t0, te, 0, 1);
    double ly[MAX_LANES];
    for (int i = 0; i < nl; i++) {
        char lab[128];
        L[i].dense = lane_dense(&s, L, nl, i, v, n) || lane_dense(&st, L, nl, i, v, n);
        snprintf(lab, sizeof lab, "%s %s", sdrp_leg_short(L[i].leg), L[i].kind);
        ly[i] = sd_svg_lane(&s, i, nl, lab, L[i].leg == SD_LEG_REVERSE ? "rev" : L[i].leg == SD_LEG_NESTED ? "nst" : "fwd");
    }
    sd_buf_printf(b, "<g class=tl-f>");
    sd_svg_axes(&s, "frame number", NULL, 10, 0);
    for (int i = 0; i < nl; i++)
        if (L[i].dense)
            lane_strip(&s, rc, L, nl, i, ly[i], v, n, false);
    sd_buf_printf(b, "</g><g class=tl-t>");
    sd_svg_axes(&st, "time since connection start (s)", NULL, 10, 0);
    for (int i = 0; i < nl; i++)
        if (L[i].dense)
            lane_strip(&st, rc, L, nl, i, ly[i], v, n, true);
    sd_buf_printf(b, "</g>");
    lane_marks(&s, &st, rc, L, nl, ly, v, n);
    sd_svg_end(&s);
}
