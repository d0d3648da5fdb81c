#include "sd_vec.h"

#include <stdint.h>

#include "sd_common.h"

void *sd_vec_grow_(void *p, size_t *cap, size_t n, size_t extra, size_t elsz)
{
    if (*cap >= n && *cap - n >= extra)
        return p;
    if (extra > SIZE_MAX - n)
        sd_reallocarray(p, SIZE_MAX, SIZE_MAX); /* reports the overflow and exits */
    size_t want = n + extra;
    size_t c = *cap < 8 ? 8 : *cap;
    while (c < want)
        c = c > SIZE_MAX / 2 ? want : c * 2;
    p = sd_reallocarray(p, c, elsz);
    *cap = c;
    return p;
}
