/* sd_framemap: see sd_framemap.h. */
#include "sd_framemap.h"

#include "../common/sd_common.h"

#include <stdlib.h>

typedef struct run {
    uint64_t global;     /* first frame of the run */
    uint64_t file_frame; /* its number in its file */
    uint64_t n;          /* frames in the run */
    unsigned file;
} run;

struct sd_framemap {
    run *v;
    size_t n, cap, max;
    uint64_t unmapped;
};

sd_framemap *sd_framemap_new(size_t max_runs)
{
    sd_framemap *m = sd_calloc(1, sizeof *m);
    m->max = max_runs;
    return m;
}

bool sd_framemap_add(sd_framemap *m, uint64_t global, unsigned file, uint64_t file_frame)
{
    run *last = m->n ? &m->v[m->n - 1] : NULL;
    if (last && last->file == file && last->global + last->n == global && last->file_frame + last->n == file_frame) {
        last->n++;
        return true;
    }
    if (m->n == m->max || m->unmapped) { /* once full, later frames stay unmapped */
        m->unmapped++;
        return false;
    }
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->v = sd_reallocarray(m->v, m->cap, sizeof *m->v);
    }
    m->v[m->n++] = (run){ global, file_frame, 1, file };
    return true;
}

bool sd_framemap_find(const sd_framemap *m, uint64_t global, unsigned *file, uint64_t *file_frame)
{
    size_t lo = 0, hi = m->n; /* the last run starting at or before global */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->v[mid].global <= global)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo)
        return false;
    const run *r = &m->v[lo - 1];
    if (global - r->global >= r->n)
        return false;
    *file = r->file;
    *file_frame = r->file_frame + (global - r->global);
    return true;
}

bool sd_framemap_run(const sd_framemap *m, size_t i, uint64_t *global, uint64_t *n, unsigned *file,
                     uint64_t *file_frame)
{
    if (i >= m->n)
        return false;
    *global = m->v[i].global, *n = m->v[i].n, *file = m->v[i].file, *file_frame = m->v[i].file_frame;
    return true;
}

uint64_t sd_framemap_unmapped(const sd_framemap *m)
{
    return m->unmapped;
}

void sd_framemap_free(sd_framemap *m)
{
    if (!m)
        return;
    free(m->v);
    free(m);
}
