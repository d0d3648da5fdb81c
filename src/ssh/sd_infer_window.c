/* sd_infer_window: packetStrider's windowed exfil/infil view (-w, -s):
 * data_window events (docs/events.md data_window). */
#include "sd_infer_int.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct wrec {
    sd_ts ts;
    uint64_t frame;
    uint32_t len;
    uint8_t d;
} wrec;

static int cmp_wrec(const void *a, const void *b)
{
    const wrec *x = a, *y = b;
    return sdi_cmp_ts_frame(x->ts, x->frame, y->ts, y->frame);
}

static void window_event(const sd_sshconn_result *r, sd_evlist *out, const wrec *first,
                         const wrec *last, const uint64_t by[2], double w)
{
    for (int d = 0; d < 2; d++) {
        if (!(by[d] >= WINDOW_MIN_BYTES && by[d] >= WINDOW_RATIO * by[!d]))
            continue;
        sd_event *e = sd_ev_add(out, "data_window", r->conn->uid, r->conn->id, first->ts, first->frame,
                                last->frame, SD_LEG_FORWARD);
        e->dir = d;
        sd_ev_str(e, "direction", d == 0 ? "exfil" : "infil");
        sd_ev_int(e, "bytes", (int64_t)by[d]);
        sd_ev_int(e, "bytes_other", (int64_t)by[!d]);
        sd_ev_num(e, "window_s", w);
        snprintf(e->note, sizeof e->note, "%s: %llu bytes in %.1f s window", d == 0 ? "exfil" : "infil",
                 (unsigned long long)by[d], w);
    }
}

/* Windows [t0 + k*stride, +window) over the records in time order, two
 * pointers, empty stretches skipped: the cost follows the records, not the
 * capture's time span (a hostile timestamp must not make it loop for years).
 * The stride is at least window/WINDOW_STRIDE_DIV, so a record is in at
 * most WINDOW_STRIDE_DIV windows. */
void sd_ssh_window(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out)
{
    if (o->window_s <= 0 || !r->nrec)
        return;
    double w = o->window_s, st = o->stride_s > 0 ? o->stride_s : o->window_s;
    if (st < w / WINDOW_STRIDE_DIV)
        st = w / WINDOW_STRIDE_DIV;
    sd_ts wn = (sd_ts)(w * 1e9), sn = (sd_ts)(st * 1e9);
    if (wn <= 0 || sn <= 0)
        return;
    size_t n = r->nrec;
    wrec *v = sd_calloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (wrec){ r->rec[i].ts, r->rec[i].frame, r->rec[i].wire_len, r->rec[i].from_client ? 0 : 1 };
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_wrec);
    sd_ts t0 = v[0].ts;
    uint64_t by[2] = { 0, 0 }, k = 0;
    size_t lo = 0, hi = 0;
    while (lo < n) {
        sd_ts a = t0 + (sd_ts)k * sn;
        for (; hi < n && v[hi].ts < a + wn; hi++)
            by[v[hi].d] += v[hi].len;
        for (; lo < hi && v[lo].ts < a; lo++)
            by[v[lo].d] -= v[lo].len;
        if (lo == hi) { /* empty window: jump to the first one that holds v[hi] */
            if (hi >= n)
                break;
            uint64_t next = (uint64_t)((v[hi].ts - wn - t0) / sn) + 1;
            k = next > k ? next : k + 1;
            continue;
        }
        window_event(r, out, &v[lo], &v[hi - 1], by, w);
        k++;
    }
    free(v);
}
