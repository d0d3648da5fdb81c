/* sd_svg: SVG plot primitives (see sd_svg.h). Coordinates are written with
 * one decimal: sub-pixel precision is invisible and keeps reports small. */
#include "sd_svg.h"

#include "sd_text.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void sd_svg_escape(sd_buf *b, const char *text)
{
    if (!text)
        return;
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text);
    for (size_t i = 0; i < n; i++) {
        switch (p[i]) {
        case '&': sd_buf_append(b, "&amp;", 5); break;
        case '<': sd_buf_append(b, "&lt;", 4); break;
        case '>': sd_buf_append(b, "&gt;", 4); break;
        case '"': sd_buf_append(b, "&quot;", 6); break;
        case '\'': sd_buf_append(b, "&#39;", 5); break;
        default: {
            /* XML 1.0 forbids most control characters even as references;
             * bytes that are not UTF-8 make the file unreadable, and a C1
             * control (the 8-bit CSI) acts on a terminal that shows it; a
             * bidi control reorders the text after it (sd_cp_control) */
            uint32_t cp = 0;
            size_t u = p[i] >= 0x80 ? sd_utf8_len(p + i, n - i, &cp) : 0;
            if (u && !sd_cp_control(cp)) {
                sd_buf_append(b, p + i, u);
                i += u - 1;
            } else if (p[i] >= 0x80 || (p[i] < 0x20 && p[i] != '\n' && p[i] != '\t') || p[i] == 0x7f)
                sd_buf_append(b, "?", 1);
            else
                sd_buf_append(b, p + i, 1);
        }
        }
    }
}

void sd_svg_begin(sd_svg *s, sd_buf *b, double w, double h, const char *id, const char *attrs)
{
    memset(s, 0, sizeof *s);
    s->b = b;
    s->w = w;
    s->h = h;
    s->left = 60;
    s->right = 12;
    s->top = 14;
    s->bottom = 34;
    sd_svg_range(s, 0, 1, 0, 1);
    sd_buf_printf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\"",
                  w, h, w, h);
    if (id) {
        sd_buf_printf(b, " id=\"");
        sd_svg_escape(b, id);
        sd_buf_printf(b, "\"");
    }
    if (attrs)
        sd_buf_printf(b, " %s", attrs);
    sd_buf_printf(b, ">");
}

void sd_svg_end(sd_svg *s)
{
    sd_buf_printf(s->b, "</svg>\n");
}

void sd_svg_range(sd_svg *s, double xmin, double xmax, double ymin, double ymax)
{
    if (!isfinite(xmin) || !isfinite(xmax) || xmax <= xmin) {
        xmax = (isfinite(xmin) ? xmin : 0) + 1;
        if (!isfinite(xmin))
            xmin = 0;
    }
    if (!isfinite(ymin) || !isfinite(ymax) || ymax <= ymin) {
        ymax = (isfinite(ymin) ? ymin : 0) + 1;
        if (!isfinite(ymin))
            ymin = 0;
    }
    s->xmin = xmin;
    s->xmax = xmax;
    s->ymin = ymin;
    s->ymax = ymax;
}

double sd_svg_px(const sd_svg *s, double x)
{
    double pw = s->w - s->left - s->right;
    return s->left + (x - s->xmin) / (s->xmax - s->xmin) * pw;
}

double sd_svg_py(const sd_svg *s, double y)
{
    double ph = s->h - s->top - s->bottom;
    return s->top + ph - (y - s->ymin) / (s->ymax - s->ymin) * ph;
}

double sd_svg_nice_step(double range, int n)
{
    if (!(range > 0) || n < 1)
        return 1;
    double raw = range / n, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

void sd_svg_tick_label(double v, char *out, size_t len)
{
    double a = fabs(v);
    if (a >= 1e9)
        snprintf(out, len, "%gG", v / 1e9);
    else if (a >= 1e6)
        snprintf(out, len, "%gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(out, len, "%gk", v / 1e3);
    else
        snprintf(out, len, "%g", fabs(v) < 1e-12 ? 0.0 : v);
}

void sd_svg_text(sd_svg *s, double xpx, double ypx, const char *anchor, const char *cls, const char *text)
{
    sd_buf_printf(s->b, "<text x=\"%.1f\" y=\"%.1f\"", xpx, ypx);
    if (anchor && strcmp(anchor, "start"))
        sd_buf_printf(s->b, " text-anchor=\"%s\"", anchor);
    if (cls)
        sd_buf_printf(s->b, " class=\"%s\"", cls);
    sd_buf_printf(s->b, ">");
    sd_svg_escape(s->b, text);
    sd_buf_printf(s->b, "</text>");
}

void sd_svg_axes(sd_svg *s, const char *xlabel, const char *ylabel, int xticks, int yticks)
{
    double x0 = s->left, x1 = s->w - s->right, y0 = s->top, y1 = s->h - s->bottom;
    char lab[32];
    sd_buf_printf(s->b, "<g class=\"ax\"><path d=\"M%.1f %.1fV%.1fH%.1f\"/>", x0, y0, y1, x1);
    if (xticks > 0) {
        double st = sd_svg_nice_step(s->xmax - s->xmin, xticks);
        /* At most a few dozen ticks whatever the range: cap the loop. */
        int k = 0;
        for (double v = ceil(s->xmin / st) * st; v <= s->xmax + st * 1e-9 && k < 64; v += st, k++) {
            double px = sd_svg_px(s, v);
            sd_buf_printf(s->b, "<path d=\"M%.1f %.1fv4\"/>", px, y1);
            sd_svg_tick_label(v, lab, sizeof lab);
            sd_svg_text(s, px, y1 + 14, "middle", NULL, lab);
        }
    }
    if (yticks > 0) {
        double st = sd_svg_nice_step(s->ymax - s->ymin, yticks);
        int k = 0;
        for (double v = ceil(s->ymin / st) * st; v <= s->ymax + st * 1e-9 && k < 64; v += st, k++) {
            double py = sd_svg_py(s, v);
            sd_buf_printf(s->b, "<path class=\"gr\" d=\"M%.1f %.1fH%.1f\"/>", x0, py, x1);
            sd_svg_tick_label(v, lab, sizeof lab);
            sd_svg_text(s, x0 - 4, py + 4, "end", NULL, lab);
        }
    }
    if (xlabel)
        sd_svg_text(s, (x0 + x1) / 2, s->h - 4, "middle", "lb", xlabel);
    if (ylabel) {
        sd_buf_printf(s->b, "<text transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\" class=\"lb\">",
                      (y0 + y1) / 2);
        sd_svg_escape(s->b, ylabel);
        sd_buf_printf(s->b, "</text>");
    }
    sd_buf_printf(s->b, "</g>");
}

double sd_svg_lane(sd_svg *s, int i, int n, const char *label, const char *cls)
{
    double ph = s->h - s->top - s->bottom, lh = n > 0 ? ph / n : ph;
    double y = s->top + lh * i;
    sd_buf_printf(s->b, "<rect class=\"ln %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>", cls ? cls : "",
                  s->left, y, s->w - s->left - s->right, lh);
    sd_svg_text(s, s->left - 4, y + lh / 2 + 4, "end", cls, label);
    return y + lh / 2;
}

static void title(sd_buf *b, const char *t)
{
    if (!t)
        return;
    sd_buf_printf(b, "<title>");
    sd_svg_escape(b, t);
    sd_buf_printf(b, "</title>");
}

void sd_svg_marker(sd_svg *s, double x, double ypx, sd_svg_shape shape, const char *cls, const char *t)
{
    double px = sd_svg_px(s, x);
    const char *c = cls ? cls : "";
    const char *close = t ? ">" : "/>";
    switch (shape) {
    case SD_SVG_TICK:
        sd_buf_printf(s->b, "<path class=\"mk %s\" d=\"M%.1f %.1fv14\"%s", c, px, ypx - 7, close);
        break;
    case SD_SVG_CROSS:
        sd_buf_printf(s->b, "<path class=\"mk %s\" d=\"M%.1f %.1fl8 8m0-8l-8 8\"%s", c, px - 4, ypx - 4, close);
        break;
    case SD_SVG_DIAMOND:
        sd_buf_printf(s->b, "<path class=\"mk %s\" d=\"M%.1f %.1fl5 5-5 5-5-5z\"%s", c, px, ypx - 5, close);
        break;
    default:
        sd_buf_printf(s->b, "<circle class=\"mk %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"%s", c, px, ypx, close);
    }
    if (t) {
        title(s->b, t);
        sd_buf_printf(s->b, shape == SD_SVG_DOT ? "</circle>" : "</path>");
    }
}

void sd_svg_mark_at(sd_svg *s, double px, double ypx, sd_svg_shape shape, const char *cls, const char *t,
                    const char *attrs)
{
    sd_buf_printf(s->b, "<g class=\"mk %s\" transform=\"translate(%.1f 0)\"%s%s>", cls ? cls : "", px, attrs ? " " : "",
                  attrs ? attrs : "");
    switch (shape) {
    case SD_SVG_TICK: sd_buf_printf(s->b, "<path d=\"M0 %.1fv14\"/>", ypx - 7); break;
    case SD_SVG_CROSS: sd_buf_printf(s->b, "<path d=\"M-4 %.1fl8 8m0-8l-8 8\"/>", ypx - 4); break;
    case SD_SVG_DIAMOND: sd_buf_printf(s->b, "<path d=\"M0 %.1fl5 5-5 5-5-5z\"/>", ypx - 5); break;
    default: sd_buf_printf(s->b, "<circle cy=\"%.1f\" r=\"4\"/>", ypx);
    }
    title(s->b, t);
    sd_buf_printf(s->b, "</g>");
}

void sd_svg_rect(sd_svg *s, double x0, double x1, double y0, double y1, const char *cls, const char *t)
{
    double px0 = sd_svg_px(s, x0), px1 = sd_svg_px(s, x1), py0 = sd_svg_py(s, y0), py1 = sd_svg_py(s, y1);
    double top = py0 < py1 ? py0 : py1, h = fabs(py1 - py0), w = px1 - px0;
    sd_buf_printf(s->b, "<rect class=\"mk %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s", cls ? cls : "",
                  px0, top, w < 1 ? 1 : w, h < 1 ? 1 : h, t ? ">" : "/>");
    if (t) {
        title(s->b, t);
        sd_buf_printf(s->b, "</rect>");
    }
}

void sd_svg_bar(sd_svg *s, double x0, double x1, double y, const char *cls, const char *t)
{
    sd_svg_rect(s, x0, x1, s->ymin, y, cls, t);
}

void sd_svg_span(sd_svg *s, double x0, double x1, const char *cls, const char *t)
{
    double px0 = sd_svg_px(s, x0), px1 = sd_svg_px(s, x1);
    sd_buf_printf(s->b, "<rect class=\"win %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"%s",
                  cls ? cls : "", px0, s->top, px1 - px0 < 2 ? 2 : px1 - px0, s->h - s->top - s->bottom,
                  t ? ">" : "/>");
    if (t) {
        title(s->b, t);
        sd_buf_printf(s->b, "</rect>");
    }
}

void sd_svg_ytick(sd_svg *s, double y, const char *label)
{
    double py = sd_svg_py(s, y);
    sd_buf_printf(s->b, "<g class=\"ax\"><path class=\"gr\" d=\"M%.1f %.1fH%.1f\"/>", s->left, py, s->w - s->right);
    sd_svg_text(s, s->left - 4, py + 4, "end", NULL, label);
    sd_buf_printf(s->b, "</g>");
}

void sd_svg_line(sd_svg *s, const double *x, const double *y, size_t n, bool step, const char *cls)
{
    if (!n)
        return;
    sd_buf_printf(s->b, "<path class=\"%s\" d=\"M%.1f %.1f", cls ? cls : "", sd_svg_px(s, x[0]), sd_svg_py(s, y[0]));
    for (size_t i = 1; i < n; i++) {
        double px = sd_svg_px(s, x[i]), py = sd_svg_py(s, y[i]);
        if (step)
            sd_buf_printf(s->b, "H%.1fV%.1f", px, py);
        else
            sd_buf_printf(s->b, "L%.1f %.1f", px, py);
    }
    sd_buf_printf(s->b, "\"/>");
}

void sd_svg_vline(sd_svg *s, double x, const char *cls, const char *label)
{
    double px = sd_svg_px(s, x);
    sd_buf_printf(s->b, "<path class=\"vl %s\" d=\"M%.1f %.1fV%.1f\"/>", cls ? cls : "", px, s->top,
                  s->h - s->bottom);
    if (label)
        sd_svg_text(s, px + 2, s->top + 9, "start", cls, label);
}
