/* sd_tsgraph: the time-sequence graph (see sd_tsgraph.h). One panel per
 * direction drawn: its marks are gathered per kind, the y range taken from
 * them, then each kind drawn one mark per item or, above the cap, one per
 * pixel column. */
#include "sd_tsgraph.h"

#include "../flow/sd_tcp.h"
#include "sd_svg.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TSG_W 1000.0
#define TSG_H 480.0
/* Above this many marks of one kind, or points of one line, a panel draws
 * one per pixel column (the count in data-n): more could not be told apart
 * on screen, and the file would grow with the connection. */
#define TSG_MAX_MARKS 3000u
/* The receive-window line is clipped at the top when showing all of it
 * would squash the segments into less than a quarter of the plot's height
 * (a 64 KiB window over a 2 KiB exchange); the title says how high it goes. */
#define TSG_WIN_SQUASH 4.0

enum { K_SEG, K_RT, K_CTL, K_SACK, K_ZW, K_GAP, K_N };
enum { SH_BAR, SH_DASH, SH_DIAMOND };

static const struct {
    const char *cls, *what;
    int shape;
} KIND[K_N] = {
    [K_SEG] = { "sg", "segment", SH_BAR },
    [K_RT] = { "rt", "retransmission", SH_BAR },
    [K_CTL] = { "ct", "SYN/FIN", SH_BAR },
    [K_SACK] = { "sk", "SACK block", SH_BAR },
    [K_ZW] = { "zw", "zero window", SH_DIAMOND },
    [K_GAP] = { "gp", "gap: bytes never seen before this segment", SH_DASH },
};

typedef struct tsg_mark {
    double t, lo, hi;
    uint64_t frame;
} tsg_mark;

typedef struct tsg_list {
    tsg_mark *m;
    size_t n, cap;
} tsg_list;

typedef struct tsg_panel {
    int dir;
    tsg_list k[K_N];
    double *lt, *la, *lw; /* ACK and window lines: time, ACK, ACK + window */
    size_t nl;
    double t0, t1, ylo, yhi, win_hi;
    bool clipped;
    uint64_t bytes;
} tsg_panel;

static const char CSS[] =
    "svg{background:#fff;font:11px system-ui,sans-serif}svg text{fill:#333}.ax path{stroke:#666;fill:none}"
    ".ax .gr{stroke:#eee}.lb{fill:#555}.ttl{font-size:13px;font-weight:600}"
    ".sg{stroke:#1f4e9c}.rt{stroke:#d00;stroke-width:2}.ct{stroke:#555}.sk{stroke:#8e44ad;stroke-width:2}"
    ".zw{fill:#e67e00;stroke:#e67e00}.gp{stroke:#d00;stroke-dasharray:3 2}.mk{fill:none}.zw.mk{fill:#e67e00}"
    ".ak{stroke:#2a9d3a;fill:none;stroke-width:1.2}.wn{stroke:#c9a000;fill:none;stroke-width:1.2}";

static void push(tsg_list *l, double t, double lo, double hi, uint64_t frame)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->m = sd_reallocarray(l->m, l->cap, sizeof *l->m);
    }
    l->m[l->n++] = (tsg_mark){ t, lo, hi, frame };
}

static double rel_t(const sd_tsg_in *in, const sd_tsg_pkt *p)
{
    return sd_ts_sec(p->ts - in->conn->start);
}

/* The data direction's own packets: segments, SYN/FIN, and the hole
 * before a segment sd_tcp marked previous-segment-lost. */
static void gather_own(tsg_panel *g, const sd_tsg_pkt *p, double t, int64_t *top)
{
    int ctl = (p->flags & (SD_TH_SYN | SD_TH_FIN)) ? 1 : 0;
    if (!p->len && !ctl)
        return;
    double lo = (double)p->seq, hi = (double)(p->seq + p->len + ctl);
    int k = (p->ta & SD_TA_RETRANS) ? K_RT : p->len ? K_SEG : K_CTL;
    push(&g->k[k], t, lo, hi, p->frame);
    if ((p->ta & SD_TA_LOST_PREV) && *top < p->seq)
        push(&g->k[K_GAP], t, (double)*top, lo, p->frame);
    if (p->seq + p->len + ctl > *top)
        *top = p->seq + p->len + ctl;
    g->bytes += p->len;
}

/* The other direction's packets: what they acknowledge, advertise and SACK. */
static void gather_peer(tsg_panel *g, const sd_tsg_in *in, const sd_tsg_pkt *p, double t)
{
    if (!p->has_ack || (p->flags & SD_TH_RST)) /* a RST's window means nothing */
        return;
    g->lt[g->nl] = t;
    g->la[g->nl] = (double)p->ack;
    g->lw[g->nl] = (double)p->ack + (double)p->win;
    g->nl++;
    if (p->win == 0)
        push(&g->k[K_ZW], t, (double)p->ack, (double)p->ack, p->frame);
    for (unsigned i = 0; i < p->nsack && p->sack + i < in->nsack; i++) {
        const sd_tsg_sack *s = &in->sack[p->sack + i];
        push(&g->k[K_SACK], t, (double)s->left, (double)s->right, p->frame);
    }
}

/* The y range: the segments and the ACK line (a SACK block is a peer's
 * claim, hostile like any byte: one far off must not flatten the graph; it
 * is drawn clipped to the plot), and the window line unless it would
 * squash them. */
static void range_of(tsg_panel *g)
{
    double lo = INFINITY, hi = -INFINITY, whi = -INFINITY;
    for (int k = 0; k < K_N; k++)
        for (size_t i = 0; i < g->k[k].n && k != K_SACK; i++) {
            lo = fmin(lo, g->k[k].m[i].lo);
            hi = fmax(hi, g->k[k].m[i].hi);
        }
    for (size_t i = 0; i < g->nl; i++) {
        lo = fmin(lo, g->la[i]);
        hi = fmax(hi, g->la[i]);
        whi = fmax(whi, g->lw[i]);
    }
    if (!isfinite(lo))
        lo = 0, hi = 1;
    g->win_hi = whi;
    g->clipped = isfinite(whi) && whi > hi && whi - lo > (hi - lo) * TSG_WIN_SQUASH;
    if (isfinite(whi) && !g->clipped)
        hi = fmax(hi, whi);
    double pad = (hi - lo) * 0.03 + 1;
    g->ylo = lo > pad ? lo - pad : fmin(lo, 0);
    g->yhi = hi + pad;
}

static void gather(tsg_panel *g, const sd_tsg_in *in, int dir)
{
    memset(g, 0, sizeof *g);
    g->dir = dir;
    size_t n = in->n ? in->n : 1;
    g->lt = sd_calloc(n, sizeof *g->lt);
    g->la = sd_calloc(n, sizeof *g->la);
    g->lw = sd_calloc(n, sizeof *g->lw);
    int64_t top = INT64_MIN;
    g->t0 = in->n ? rel_t(in, &in->p[0]) : 0;
    g->t1 = in->n ? rel_t(in, &in->p[in->n - 1]) : 1;
    for (size_t i = 0; i < in->n; i++) {
        const sd_tsg_pkt *p = &in->p[i];
        double t = rel_t(in, p);
        if (top == INT64_MIN && p->dir == dir)
            top = p->seq;
        if (p->dir == dir)
            gather_own(g, p, t, &top);
        else
            gather_peer(g, in, p, t);
    }
    range_of(g);
}

static void panel_free(tsg_panel *g)
{
    for (int k = 0; k < K_N; k++)
        free(g->k[k].m);
    free(g->lt);
    free(g->la);
    free(g->lw);
}

/* ---------------------------------------------------------------- drawing */

static void draw_one(sd_svg *s, int kind, double px, double lo, double hi, uint64_t frame, size_t cnt)
{
    double y0 = sd_svg_py(s, lo), y1 = sd_svg_py(s, hi);
    if (y0 - y1 < 1) /* at least a pixel: a 1-byte keep-alive still shows */
        y1 = y0 - 1;
    sd_buf_printf(s->b, "<path class=\"mk %s\" data-f=\"%llu\" data-n=\"%zu\"", KIND[kind].cls,
                  (unsigned long long)frame, cnt);
    switch (KIND[kind].shape) {
    case SH_DIAMOND: sd_buf_printf(s->b, " d=\"M%.1f %.1fl4 4-4 4-4-4z\"", px, y0 - 4); break;
    case SH_DASH: /* the hole, ends ticked: a few bytes' gap still shows */
        sd_buf_printf(s->b, " d=\"M%.1f %.1fV%.1fM%.1f %.1fh10M%.1f %.1fh10\"", px, y0, y1, px - 5, y0, px - 5, y1);
        break;
    default: sd_buf_printf(s->b, " d=\"M%.1f %.1fh4m-2 0V%.1fm-2 0h4\"", px - 2, y0, y1);
    }
}

/* One mark per item, with its numbers and a tooltip. */
static void draw_items(sd_svg *s, int kind, const tsg_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const tsg_mark *m = &l->m[i];
        draw_one(s, kind, sd_svg_px(s, m->t), m->lo, m->hi, m->frame, 1);
        char t[160];
        int64_t lo = (int64_t)m->lo, len = (int64_t)(m->hi - m->lo);
        if (kind == K_SEG || kind == K_RT || kind == K_CTL)
            sd_buf_printf(s->b, " data-s=\"%lld\" data-l=\"%lld\"", (long long)lo,
                          (long long)(kind == K_CTL ? 0 : len));
        snprintf(t, sizeof t, "%s: frame %llu, %.6f s, %lld-%lld", KIND[kind].what, (unsigned long long)m->frame,
                 m->t, (long long)lo, (long long)m->hi);
        sd_buf_printf(s->b, "><title>%s</title></path>", t);
    }
}

/* One mark per pixel column holding items: from the lowest to the highest
 * number seen there, its count and first frame. */
static void draw_binned(sd_svg *s, int kind, const tsg_list *l)
{
    size_t w = (size_t)(s->w - s->left - s->right) + 1;
    tsg_mark *col = sd_calloc(w, sizeof *col);
    size_t *cnt = sd_calloc(w, sizeof *cnt);
    for (size_t i = 0; i < l->n; i++) {
        double px = sd_svg_px(s, l->m[i].t) - s->left;
        size_t c = px <= 0 ? 0 : px >= (double)(w - 1) ? w - 1 : (size_t)px;
        if (!cnt[c]++)
            col[c] = l->m[i];
        col[c].lo = fmin(col[c].lo, l->m[i].lo);
        col[c].hi = fmax(col[c].hi, l->m[i].hi);
    }
    for (size_t c = 0; c < w; c++)
        if (cnt[c]) {
            draw_one(s, kind, s->left + (double)c + 0.5, col[c].lo, col[c].hi, col[c].frame, cnt[c]);
            sd_buf_printf(s->b, "><title>%zu %ss from frame %llu</title></path>", cnt[c], KIND[kind].what,
                          (unsigned long long)col[c].frame);
        }
    free(col);
    free(cnt);
}

/* Thins a line to the first, lowest, highest and last point of each pixel
 * column, in time order: the drawn shape is the same at this resolution. */
static size_t thin(const sd_svg *s, double *x, double *y, size_t n)
{
    if (n <= TSG_MAX_MARKS)
        return n;
    size_t m = 0, a = 0;
    while (a < n) {
        long col = lround(sd_svg_px(s, x[a]));
        size_t b = a, lo = a, hi = a;
        while (b + 1 < n && lround(sd_svg_px(s, x[b + 1])) == col) {
            b++;
            lo = y[b] < y[lo] ? b : lo;
            hi = y[b] > y[hi] ? b : hi;
        }
        size_t keep[4] = { a, lo < hi ? lo : hi, lo < hi ? hi : lo, b };
        for (int i = 0; i < 4; i++)
            if (i == 0 || keep[i] != keep[i - 1]) {
                x[m] = x[keep[i]];
                y[m] = y[keep[i]];
                m++;
            }
        a = b + 1;
    }
    return m;
}

static void draw_lines(sd_svg *s, tsg_panel *g, const char *clip)
{
    double *x = sd_calloc(g->nl + 1, sizeof *x), *y = sd_calloc(g->nl + 1, sizeof *y);
    for (int w = 0; w < 2; w++) {
        memcpy(x, g->lt, g->nl * sizeof *x);
        memcpy(y, w ? g->lw : g->la, g->nl * sizeof *y);
        size_t m = thin(s, x, y, g->nl);
        if (m && x[m - 1] < g->t1) { /* the last value holds to the end */
            x[m] = g->t1;
            y[m] = y[m - 1];
            m++;
        }
        sd_buf_printf(s->b, "<g clip-path=\"url(#%s)\" data-points=\"%zu\">", clip, g->nl);
        sd_svg_line(s, x, y, m, true, w ? "wn" : "ak");
        sd_buf_printf(s->b, "</g>");
    }
    free(x);
    free(y);
}

static const char *dir_name(int d)
{
    return d == SD_DIR_RESP ? "resp \xe2\x86\x92 orig" : "orig \xe2\x86\x92 resp";
}

static void panel_svg(sd_buf *b, const sd_tsg_in *in, tsg_panel *g, double y0px)
{
    sd_svg s;
    char attrs[96], ylab[96], clip[16];
    snprintf(attrs, sizeof attrs, "y=\"%.0f\" data-plot=\"tsg-%s\"", y0px, g->dir ? "resp" : "orig");
    sd_svg_begin(&s, b, TSG_W, TSG_H, g->dir ? "tsg-resp" : "tsg-orig", attrs);
    s.left = 78;
    s.top = 22;
    s.bottom = 38;
    sd_svg_range(&s, g->t0, g->t1 > g->t0 ? g->t1 : g->t0 + 1e-3, g->ylo, g->yhi);
    snprintf(ylab, sizeof ylab, "relative sequence number, %s (bytes)", dir_name(g->dir));
    sd_svg_axes(&s, "time since the connection's first packet (s)", ylab, 10, 8);
    snprintf(clip, sizeof clip, "clip-%s", g->dir ? "resp" : "orig");
    sd_buf_printf(b, "<clipPath id=\"%s\"><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/></clipPath>",
                  clip, s.left, s.top, s.w - s.left - s.right, s.h - s.top - s.bottom);
    draw_lines(&s, g, clip);
    static const int ORDER[] = { K_SACK, K_SEG, K_CTL, K_GAP, K_RT, K_ZW };
    for (size_t i = 0; i < SD_ARRAY_LEN(ORDER); i++) {
        int k = ORDER[i];
        if (k == K_SACK)
            sd_buf_printf(b, "<g clip-path=\"url(#%s)\">", clip);
        if (g->k[k].n > TSG_MAX_MARKS)
            draw_binned(&s, k, &g->k[k]);
        else
            draw_items(&s, k, &g->k[k]);
        if (k == K_SACK)
            sd_buf_printf(b, "</g>");
    }
    char note[200];
    int n = snprintf(note, sizeof note, "%s: %llu bytes in %zu segments, %zu retransmitted", dir_name(g->dir),
                     (unsigned long long)g->bytes, g->k[K_SEG].n + g->k[K_RT].n, g->k[K_RT].n);
    if (g->clipped && n > 0 && (size_t)n < sizeof note)
        snprintf(note + n, sizeof note - (size_t)n, "; receive window above the top, up to %.0f", g->win_hi);
    sd_svg_text(&s, s.left, 14, "start", "ttl", note);
    sd_svg_end(&s);
}

/* ---------------------------------------------------------------- the page */

/* The direction to draw: the one asked, or the one carrying more payload
 * (ties: the originator's), and why, for the title. */
static int pick_dir(const sd_tsg_in *in, char *why, size_t len)
{
    uint64_t by[2] = { 0, 0 };
    for (size_t i = 0; i < in->n; i++)
        by[in->p[i].dir & 1] += in->p[i].len;
    if (in->dir != SD_TSG_AUTO) {
        snprintf(why, len, "as asked (--dir)");
        return in->dir;
    }
    int d = by[1] > by[0] ? SD_DIR_RESP : SD_DIR_ORIG;
    snprintf(why, len, "the direction carrying more data (%llu vs %llu payload bytes; --dir %s for the other)",
             (unsigned long long)by[d], (unsigned long long)by[!d], d ? "orig" : "resp");
    return d;
}

static void title_of(const sd_tsg_in *in, char *out, size_t len)
{
    char a[SD_ADDR_STRLEN], r[SD_ADDR_STRLEN], fr[64] = "";
    const sd_conn *c = in->conn;
    if (in->last)
        snprintf(fr, sizeof fr, ", frames %llu-%llu", (unsigned long long)in->first,
                 (unsigned long long)in->last);
    else if (in->first)
        snprintf(fr, sizeof fr, ", frames %llu-", (unsigned long long)in->first);
    snprintf(out, len, "Time-sequence graph: tcp.stream %llu %s:%u -> %s:%u%s", (unsigned long long)c->id,
             sd_addr_str(&c->orig_h, a, sizeof a), c->orig_p, sd_addr_str(&c->resp_h, r, sizeof r), c->resp_p, fr);
}

/* The legend: each kind's sample, as drawn, and its name. */
static void legend(sd_svg *s, double y)
{
    static const struct {
        const char *cls, *name;
    } L[] = {
        { "sg", "segment: seq to seq+len" }, { "rt", "retransmission" }, { "ak", "ACK" },
        { "wn", "receive window (ACK + window)" }, { "sk", "SACK block" }, { "zw", "zero window" },
        { "gp", "gap: never seen" },
    };
    double x = 10;
    for (size_t i = 0; i < SD_ARRAY_LEN(L); i++) {
        if (!strcmp(L[i].cls, "zw"))
            sd_buf_printf(s->b, "<path class=\"zw\" d=\"M%.1f %.1fl4 4-4 4-4-4z\"/>", x + 6, y - 8);
        else
            sd_buf_printf(s->b, "<path class=\"%s\" d=\"M%.1f %.1fh16\" style=\"stroke-width:3\"/>", L[i].cls, x,
                          y - 4);
        sd_svg_text(s, x + 20, y, "start", "lb", L[i].name);
        x += 28 + 6.2 * (double)strlen(L[i].name);
    }
}

/* For the headless-browser test: per panel, the marks of each kind (data-n
 * summed), how many lie outside the plot area once laid out, and errors. */
static const char JS[] =
    "var r={errors:[],plots:{}};window.addEventListener('error',function(e){r.errors.push(String(e.message))});"
    "document.querySelectorAll('svg[data-plot]').forEach(function(s){var p={out:0,w:s.getBoundingClientRect()"
    ".width};var a=s.querySelector('.ax path').getBBox();s.querySelectorAll('.mk').forEach(function(m){"
    "var c=m.getAttribute('class').split(' ')[1];p[c]=(p[c]||0)+Number(m.getAttribute('data-n'));"
    "var b=m.getBBox();if(b.x<a.x-6||b.x>a.x+a.width+6||b.y<a.y-9||b.y+b.height>a.y+a.height+9)p.out++});"
    "r.plots[s.getAttribute('data-plot')]=p});"
    "document.getElementById('result').textContent=JSON.stringify(r);";

void sd_tsg_write(sd_buf *b, const sd_tsg_in *in, bool html)
{
    char title[300], why[160];
    title_of(in, title, sizeof title);
    int d = pick_dir(in, why, sizeof why);
    int nd = d == SD_TSG_BOTH ? 2 : 1;
    double top = 58, h = top + TSG_H * nd;
    if (html)
        sd_buf_printf(b, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>");
    else
        sd_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    if (html) {
        sd_svg_escape(b, title);
        sd_buf_printf(b, "</title><style>body{margin:12px;background:#fafafa}%s</style></head><body>", CSS);
    }
    sd_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">",
                  TSG_W, h, TSG_W, h);
    if (!html)
        sd_buf_printf(b, "<style>%s</style>", CSS);
    sd_buf_printf(b, "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>");
    sd_svg s = { .b = b };
    sd_svg_text(&s, 10, 18, "start", "ttl", title);
    char line[400];
    if (d == SD_TSG_BOTH)
        snprintf(line, sizeof line, "both directions, each on its own scale");
    else
        snprintf(line, sizeof line, "direction %s: %s", dir_name(d), why);
    if (in->dropped)
        snprintf(line + strlen(line), sizeof line - strlen(line), "; %llu later packets past the cap not drawn (-z)",
                 (unsigned long long)in->dropped);
    sd_svg_text(&s, 10, 34, "start", "lb", line);
    legend(&s, 50);
    for (int i = 0; i < nd; i++) {
        tsg_panel g;
        gather(&g, in, nd == 2 ? i : d);
        panel_svg(b, in, &g, top + TSG_H * i);
        panel_free(&g);
    }
    sd_buf_printf(b, "</svg>\n");
    if (html)
        sd_buf_printf(b, "<pre id=\"result\"></pre><script>%s</script></body></html>\n", JS);
}
