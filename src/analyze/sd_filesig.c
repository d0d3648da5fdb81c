#include "sd_filesig.h"

#include "sd_sig.h"

#include <stdlib.h>

typedef struct fsconn {
    sd_sig_scan *scan[2]; /* NULL until the direction's first data byte */
    sd_evlist ev;
} fsconn;

struct sd_filesig {
    sd_filesig_opts o;
    uint64_t conns_hit;
};

sd_filesig *sd_filesig_new(const sd_filesig_opts *o)
{
    sd_filesig *f = sd_calloc(1, sizeof *f);
    f->o = *o;
    return f;
}

void sd_filesig_free(sd_filesig *f)
{
    free(f);
}

uint64_t sd_filesig_conns(const sd_filesig *f)
{
    return f->conns_hit;
}

static void *fs_conn_new(void *ctx, sd_conn *c)
{
    sd_filesig *f = ctx;
    if (c->ipproto != 6 || (f->o.want && !f->o.want(f->o.ud, c)))
        return NULL;
    return sd_calloc(1, sizeof(fsconn));
}

/* The hits the chunk added, as events (the scanner keeps the first
 * SD_SIG_MAX_HITS of a direction and counts the rest). */
static void fs_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    (void)ctx;
    fsconn *s = st;
    if (ch->kind == SD_CHUNK_GAP || !ch->len || !ch->data)
        return;
    if (!s->scan[dir]) {
        s->scan[dir] = sd_malloc(sizeof *s->scan[dir]);
        sd_sig_init(s->scan[dir]);
    }
    sd_sig_scan *sc = s->scan[dir];
    uint32_t before = sc->nhits;
    sd_sig_feed(sc, ch->offset, ch->data, ch->len, ch->first_frame, ch->last_frame);
    for (uint32_t i = before; i < sc->nhits; i++) {
        const sd_sig_hit *h = &sc->hits[i];
        sd_event *e = sd_ev_add(&s->ev, "file_sig", c->uid, c->id, ch->ts, h->first_frame, h->last_frame,
                                SD_LEG_FORWARD);
        e->dir = dir;
        sd_ev_str(e, "sig", sd_sig_name(h->sig));
        sd_ev_int(e, "offset", (int64_t)h->offset);
    }
}

/* Orig direction first, then resp, each in stream order (the order the
 * extract index has always listed them in). */
static int ev_dir_cmp(const void *x, const void *y)
{
    const sd_event *a = x, *b = y;
    if (a->dir != b->dir)
        return a->dir - b->dir;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void fs_conn_end(void *ctx, sd_conn *c, void *st)
{
    sd_filesig *f = ctx;
    fsconn *s = st;
    sd_filesig_conn r = { .events = &s->ev };
    for (int d = 0; d < 2; d++)
        r.total[d] = s->scan[d] ? s->scan[d]->total_hits : 0;
    if (r.total[0] + r.total[1]) {
        f->conns_hit++;
        if (s->ev.n > 1)
            qsort(s->ev.v, s->ev.n, sizeof *s->ev.v, ev_dir_cmp);
        if (f->o.done)
            f->o.done(f->o.ud, c, &r);
    }
    for (int d = 0; d < 2; d++)
        free(s->scan[d]);
    sd_evlist_free(&s->ev);
    free(s);
}

int sd_filesig_attach(sd_filesig *f, sd_engine *e)
{
    sd_analyzer a = { .name = "filesig", .conn_new = fs_conn_new, .chunk = fs_chunk,
                      .conn_end = fs_conn_end, .ctx = f };
    return sd_engine_add(e, &a);
}
