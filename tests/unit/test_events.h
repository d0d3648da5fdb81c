/* test_events.h: what the unit tests ask of an analyzer's event list,
 * shared so that each test file counts and finds events the same way. */
#ifndef TEST_EVENTS_H
#define TEST_EVENTS_H

#include <stddef.h>
#include <string.h>

#include "common/sd_event.h"

/* The events of a kind in l. */
static inline size_t count_kind(const sd_evlist *l, const char *kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += !strcmp(l->v[i].kind, kind);
    return n;
}

/* The first event of a kind in l, NULL if none. */
static inline const sd_event *find_kind(const sd_evlist *l, const char *kind)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].kind, kind))
            return &l->v[i];
    return NULL;
}

#endif
