/* sd_streamno: Wireshark's stream numbers (see the header for the rule). */
#include "sd_streamno.h"

#include "../common/sd_common.h"
#include "../common/sd_hmap.h"
#include "sd_flowtab.h"

#include <stdlib.h>
#include <string.h>

/* Ended pairs remembered by default: as many as the default flow table holds
 * live flows (SD_ENGINE_MAX_FLOWS_DEFAULT), about 80 bytes each. */
#define STREAMNO_CAP_DEFAULT 65536u

typedef struct ended {
    sd_wsconv w;
    uint64_t gen; /* its place in the ring: a ring slot forgets only its own */
} ended;

struct sd_streamno {
    sd_hmap *ended;       /* sd_flowkey -> ended */
    sd_flowkey *ring;     /* keys in the order they ended, cap slots */
    size_t cap;
    uint64_t gen;         /* entries put in the ring so far */
    uint64_t next[2];     /* next stream: tcp, udp (and other IP protocols) */
    uint64_t forgotten;
};

sd_streamno *sd_streamno_new(size_t cap)
{
    sd_streamno *t = sd_calloc(1, sizeof *t);
    t->cap = cap ? cap : STREAMNO_CAP_DEFAULT;
    t->ended = sd_hmap_new(sizeof(sd_flowkey), sizeof(ended), 0);
    t->ring = sd_reallocarray(NULL, t->cap, sizeof *t->ring);
    return t;
}

void sd_streamno_free(sd_streamno *t)
{
    if (!t)
        return;
    sd_hmap_free(t->ended);
    free(t->ring);
    free(t);
}

bool sd_streamno_splits(const sd_wsconv *w, const sd_pkt *p, int side)
{
    return p->l4 == SD_L4_TCP && (p->flags & (SD_TH_SYN | SD_TH_ACK)) == SD_TH_SYN && w->base_set[side] &&
           p->seq != w->base[side];
}

void sd_streamno_begin(sd_streamno *t, const struct sd_flowkey *key, const sd_pkt *p, int side, sd_wsconv *out)
{
    ended e;
    const sd_wsconv *prev = sd_hmap_remove(t->ended, key, &e) ? &e.w : NULL;
    if (prev && !sd_streamno_splits(prev, p, side)) {
        *out = *prev; /* the same Wireshark conversation goes on */
        return;
    }
    memset(out, 0, sizeof *out);
    out->stream = t->next[p->l4 != SD_L4_TCP]++;
}

void sd_streamno_packet(sd_wsconv *w, const sd_pkt *p, int side)
{
    if (w->base_set[side] || p->l4 != SD_L4_TCP)
        return;
    w->base[side] = p->flags & SD_TH_SYN ? p->seq : p->seq - 1;
    w->base_set[side] = true;
}

void sd_streamno_end(sd_streamno *t, const struct sd_flowkey *key, const sd_wsconv *w)
{
    size_t slot = (size_t)(t->gen % t->cap);
    if (t->gen >= t->cap) { /* full: forget the pair that ended longest ago */
        size_t at;
        const ended *old = sd_hmap_find_at(t->ended, &t->ring[slot], &at);
        if (old && old->gen == t->gen - t->cap) {
            sd_hmap_remove_at(t->ended, at);
            t->forgotten++;
        }
    }
    void *v;
    sd_hmap_insert(t->ended, key, &v);
    ended *e = v;
    e->w = *w;
    e->gen = t->gen++;
    t->ring[slot] = *key;
}

uint64_t sd_streamno_forgotten(const sd_streamno *t)
{
    return t->forgotten;
}
