#ifndef SD_SPARE_H
#define SD_SPARE_H

#include <stddef.h>

/* Objects of one size given back when they end, kept for the next ones: a
 * new one then costs a clear instead of a calloc and its free. At most cap
 * are kept (what is past it goes back to the C library); built with ASan,
 * none, so that a use after an object's end is still caught. A kept object
 * is linked through its first bytes (it is dead: they are cleared when it
 * is taken again). */
typedef struct sd_spare {
    void *head;
    unsigned n, cap;
} sd_spare;

void sd_spare_init(sd_spare *s, unsigned cap);
/* A zeroed object of size bytes: a kept one, or a new one. */
void *sd_spare_get(sd_spare *s, size_t size);
/* obj (from sd_spare_get, same size) kept, or freed past the cap. */
void sd_spare_put(sd_spare *s, void *obj);
/* Frees what is kept. */
void sd_spare_free(sd_spare *s);

#endif
