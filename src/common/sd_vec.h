/* sd_vec: a growing array of any element type, as a struct with fields
 * v (elements), n (used) and cap (allocated), all size_t counts:
 *
 *   SD_VEC(int) xs = {0};
 *   *sd_vec_push(&xs) = 42;
 *   for (size_t i = 0; i < xs.n; i++) use(xs.v[i]);
 *   sd_vec_free(&xs);
 *
 * Any struct with those three fields works (sd_evlist is one). Growth
 * doubles, so n pushes cost O(n) in all; the byte size is overflow-checked
 * (sd_reallocarray), and exhaustion exits like every sd_ allocation. */
#ifndef SD_VEC_H
#define SD_VEC_H

#include <stddef.h>
#include <stdlib.h>

#define SD_VEC(T)       \
    struct {            \
        T *v;           \
        size_t n, cap;  \
    }

/* Returns p grown so that n + extra elements of elsz bytes fit, and updates
 * *cap. Capacity doubles (at least 8 elements, at least n + extra). */
void *sd_vec_grow_(void *p, size_t *cap, size_t n, size_t extra, size_t elsz);

/* Room for extra more elements (pointers into the array may move). */
#define sd_vec_reserve(vec, extra)                                                        \
    ((void)((vec)->cap - (vec)->n >= (size_t)(extra) ||                                   \
            ((vec)->v = sd_vec_grow_((vec)->v, &(vec)->cap, (vec)->n, (extra),            \
                                     sizeof *(vec)->v))))

/* Appends one element (not initialised) and returns a pointer to it. */
#define sd_vec_push(vec) (sd_vec_reserve((vec), 1), &(vec)->v[(vec)->n++])

#define sd_vec_free(vec) (free((vec)->v), (vec)->v = NULL, (vec)->n = (vec)->cap = 0)

#endif
