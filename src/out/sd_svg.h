/* sd_svg: small, generic SVG plot primitives that write into an sd_buf.
 *
 * A plot maps data coordinates (x in [xmin,xmax], y in [ymin,ymax]) onto a
 * pixel rectangle inside an <svg> of w x h pixels, leaving margins for the
 * axes. Every data mark (marker, bar) carries class "mk" plus the caller's
 * class, so a page script or a test can count the marks of a plot. Hover
 * details use the SVG <title> child (native tooltip: no script needed).
 * Text is XML-escaped; nothing here reads capture bytes or prints. */
#ifndef SD_SVG_H
#define SD_SVG_H

#include "../common/sd_common.h"

typedef struct sd_svg {
    sd_buf *b;
    double w, h;                 /* whole svg, pixels */
    double left, right, top, bottom; /* margins */
    double xmin, xmax, ymin, ymax;
} sd_svg;

typedef enum sd_svg_shape { SD_SVG_DOT = 0, SD_SVG_TICK, SD_SVG_CROSS, SD_SVG_DIAMOND } sd_svg_shape;

/* Opens <svg ...> with id (may be NULL) and extra attributes (may be NULL,
 * written verbatim: the caller's constant text only). */
void sd_svg_begin(sd_svg *s, sd_buf *b, double w, double h, const char *id, const char *attrs);
void sd_svg_end(sd_svg *s);
/* Sets the data range; a degenerate range is widened so mapping is defined. */
void sd_svg_range(sd_svg *s, double xmin, double xmax, double ymin, double ymax);
double sd_svg_px(const sd_svg *s, double x);
double sd_svg_py(const sd_svg *s, double y);
/* Axes with about nticks "nice" ticks each; ylabel/xlabel may be NULL.
 * yticks = 0 draws no y ticks (lane plots label their own rows). */
void sd_svg_axes(sd_svg *s, const char *xlabel, const char *ylabel, int xticks, int yticks);
/* A horizontal band for lane i of n (lane 0 at the top), with its label in
 * the left margin. Returns the y pixel of the lane's centre. */
double sd_svg_lane(sd_svg *s, int i, int n, const char *label, const char *cls);
/* A mark at data x and pixel y (lanes) or data y (use sd_svg_py). */
void sd_svg_marker(sd_svg *s, double x, double ypx, sd_svg_shape shape, const char *cls, const char *title);
/* A mark drawn around pixel (0, ypx) inside <g class="mk cls"
 * transform="translate(px 0)" attrs>: a script can move it along x (e.g.
 * between a frame axis and a time axis) by rewriting the transform. attrs
 * (may be NULL) is written verbatim: the caller's own attribute text. */
void sd_svg_mark_at(sd_svg *s, double px, double ypx, sd_svg_shape shape, const char *cls, const char *title,
                    const char *attrs);
/* A bar from data x0 to x1, from the baseline up to data y. */
void sd_svg_bar(sd_svg *s, double x0, double x1, double y, const char *cls, const char *title);
/* A mark: the data rectangle x0..x1, y0..y1 (at least 1 pixel each way). */
void sd_svg_rect(sd_svg *s, double x0, double x1, double y0, double y1, const char *cls, const char *title);
/* A shaded span x0..x1 over the whole plot height, not a mark (windows,
 * campaigns): class "win cls". */
void sd_svg_span(sd_svg *s, double x0, double x1, const char *cls, const char *title);
/* A y tick of the caller's choosing (log or sqrt scales): a grid line at
 * data y and its label in the left margin. */
void sd_svg_ytick(sd_svg *s, double y, const char *label);
/* Short tick labels: 12000000 -> "12M", 0.25 -> "0.25". */
void sd_svg_tick_label(double v, char *out, size_t len);
/* A polyline through n data points; step = true draws a staircase (a value
 * holds until the next sample, as a window or ACK number does). */
void sd_svg_line(sd_svg *s, const double *x, const double *y, size_t n, bool step, const char *cls);
/* A vertical marker line at data x over the plot area, label at the top. */
void sd_svg_vline(sd_svg *s, double x, const char *cls, const char *label);
/* Text at pixel position; anchor "start", "middle" or "end". */
void sd_svg_text(sd_svg *s, double xpx, double ypx, const char *anchor, const char *cls, const char *text);
/* Appends text XML-escaped (&, <, >, ", ' and control bytes). */
void sd_svg_escape(sd_buf *b, const char *text);
/* Picks a tick step near range/n from 1, 2, 5 x 10^k. */
double sd_svg_nice_step(double range, int n);

#endif
