/* sd_origin: see sd_origin.h. One lookup for the process: one capture is
 * read at a time, and every writer of the run must name frames alike. */
#include "sd_origin.h"

#include <stddef.h>

static sd_origin_fn g_fn;
static const void *g_ctx;
static uint64_t g_first = 1;

void sd_origin_set_first(uint64_t frame)
{
    g_first = frame;
}

uint64_t sd_origin_first(void)
{
    return g_first;
}

void sd_origin_set(sd_origin_fn fn, const void *ctx)
{
    g_fn = fn;
    g_ctx = ctx;
}

bool sd_origin(uint64_t frame, const char **path, uint64_t *file_frame)
{
    return g_fn && frame && g_fn(g_ctx, frame, path, file_frame);
}
