#include "sd_spare.h"

#include <stdlib.h>
#include <string.h>

#include "sd_common.h"

void sd_spare_init(sd_spare *s, unsigned cap)
{
    s->head = NULL;
    s->n = 0;
#ifdef SD_ASAN
    (void)cap;
    s->cap = 0;
#else
    s->cap = cap;
#endif
}

void *sd_spare_get(sd_spare *s, size_t size)
{
    void *o = s->head;
    if (!o)
        return sd_calloc(1, size);
    memcpy(&s->head, o, sizeof s->head);
    s->n--;
    memset(o, 0, size);
    return o;
}

void sd_spare_put(sd_spare *s, void *obj)
{
    if (s->n >= s->cap) {
        free(obj);
        return;
    }
    memcpy(obj, &s->head, sizeof s->head);
    s->head = obj;
    s->n++;
}

void sd_spare_free(sd_spare *s)
{
    while (s->head) {
        void *o = s->head;
        memcpy(&s->head, o, sizeof s->head);
        free(o);
    }
    s->n = 0;
}
