/* sd_followan: follow's analyzer (see sd_followan.h). */
#include "sd_followan.h"

static void *fw_conn_new(void *ctx, sd_conn *c)
{
    sd_followan *f = ctx;
    if (c->ipproto != 6 || !sd_connsel_is(&f->sel, c->ipproto, c->id, c->uid))
        return NULL;
    f->found = true;
    sd_follow_begin(&f->fo, c);
    return f;
}

static void fw_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    sd_followan *f = ctx;
    sd_follow_chunk(&f->fo, dir, ch);
    if (f->fo.b->len > 65536)
        f->flush(f->fo.b);
}

static void fw_conn_end(void *ctx, sd_conn *c, void *st)
{
    sd_followan *f = ctx;
    f->oow = c->oow_segments;
    f->oow_frame = c->oow_first_frame;
    sd_follow_end(&f->fo, c);
}

void sd_followan_init(sd_followan *f, const sd_connsel *sel, int mode, int only_dir, sd_buf *b,
                      void (*flush)(sd_buf *b))
{
    *f = (sd_followan){ .sel = *sel, .flush = flush };
    sd_follow_init(&f->fo, mode, only_dir, b);
}

/* Bytes a retransmission sent differently: marked in place, counted. */
static void fw_incons(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_inconsistency *i)
{
    (void)c, (void)st;
    sd_follow_overlap(&((sd_followan *)ctx)->fo, dir, i);
}

static void fw_urgent(void *ctx, sd_conn *c, void *st, int dir, const sd_reasm_urgent *u)
{
    (void)c, (void)st;
    sd_follow_urgent(&((sd_followan *)ctx)->fo, dir, u);
}

void sd_followan_attach(sd_followan *f, sd_engine *e)
{
    sd_analyzer an = { .name = "follow", .conn_new = fw_conn_new, .chunk = fw_chunk, .inconsistency = fw_incons,
                       .urgent = fw_urgent,
                       .conn_end = fw_conn_end, .ctx = f };
    sd_engine_add(e, &an);
}
