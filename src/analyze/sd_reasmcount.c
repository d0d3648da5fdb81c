/* sd_reasmcount: every TCP stream reassembled, for its counts only (see
 * sd_reasmcount.h). */
#include "sd_reasmcount.h"

static int tag; /* a context the engine can hand back: the analyzer keeps no state */

static void *rc_new(void *ctx, sd_conn *c)
{
    return c->ipproto == 6 ? ctx : NULL;
}

static void rc_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
}

static void rc_end(void *ctx, sd_conn *c, void *st)
{
}

void sd_reasmcount_attach(sd_engine *e)
{
    static const sd_analyzer a = { .name = "reassemble", .conn_new = rc_new, .chunk = rc_chunk,
                                   .conn_end = rc_end, .ctx = &tag };
    sd_engine_add(e, &a);
}
