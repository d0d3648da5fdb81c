#include "sd_tcpgap.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_common.h"
#include "sd_tcp.h"

/* The ranges held: in the flow, or on the heap past the first. */
static inline uint32_t (*ranges(sd_tcpgap *g))[2]
{
    return g->spill ? g->spill : g->one;
}

static void drop_range(sd_tcpgap *g, int i)
{
    uint32_t(*miss)[2] = ranges(g);
    memmove(&miss[i], &miss[i + 1], sizeof miss[0] * (size_t)(g->n - i - 1));
    g->n--;
}

/* Ranges spilled to the heap by every list of the process (engines in
 * threads of one process share the budget, hence atomic). */
static _Atomic uint32_t spilled;

/* Takes want ranges from the budget; false (nothing taken) past it. */
static bool budget_take(uint32_t want)
{
    uint32_t have = atomic_load(&spilled);
    do {
        if (have + want > SD_TCPGAP_SPILL_TOTAL)
            return false;
    } while (!atomic_compare_exchange_weak(&spilled, &have, have + want));
    return true;
}

/* Room for one more range: one in the flow, SD_TCPGAP_INLINE on the heap
 * outside the budget at the second, then the list doubles up to
 * SD_TCPGAP_RANGES and within the budget. Returns false at either. */
static bool grow(sd_tcpgap *g)
{
    uint16_t cap = g->cap ? g->cap : 1;
    if (g->n < cap)
        return true;
    if (!g->spill) {
        g->spill = sd_reallocarray(NULL, SD_TCPGAP_INLINE, sizeof *g->spill);
        memcpy(g->spill, g->one, sizeof g->one);
        g->cap = SD_TCPGAP_INLINE;
        return true;
    }
    if (cap >= SD_TCPGAP_RANGES)
        return false;
    uint16_t ncap = cap * 2 > SD_TCPGAP_RANGES ? SD_TCPGAP_RANGES : (uint16_t)(cap * 2);
    if (!budget_take(cap > SD_TCPGAP_INLINE ? (uint32_t)(ncap - cap) : ncap))
        return false;
    uint32_t(*heap)[2] = sd_reallocarray(g->spill, ncap, sizeof *heap);
    g->spill = heap;
    g->cap = ncap;
    return true;
}

/* The list is full: the lowest range is settled now, as if ACKed (a lost
 * piece that low is almost always ACKed before a copy comes), and counted. */
static void make_room(sd_tcpgap *g)
{
    if (grow(g))
        return;
    uint32_t(*miss)[2] = ranges(g);
    g->pend_bytes += (uint32_t)(miss[0][1] - miss[0][0]);
    g->pend_ranges++;
    g->capped++;
    g->settled = miss[0][1];
    drop_range(g, 0);
}

/* Appends [from, to), which lies above every range held. */
static void add_range(sd_tcpgap *g, uint32_t from, uint32_t to)
{
    if (g->n && ranges(g)[g->n - 1][1] == from) {
        ranges(g)[g->n - 1][1] = to;
        return;
    }
    make_room(g);
    uint32_t(*miss)[2] = ranges(g);
    miss[g->n][0] = from;
    miss[g->n][1] = to;
    g->n++;
}

/* Captured bytes [s, c) fill what they overlap. */
static void fill(sd_tcpgap *g, uint32_t s, uint32_t c)
{
    for (int i = 0; i < g->n && SD_SEQ_LT(s, c);) {
        uint32_t(*miss)[2] = ranges(g);
        uint32_t ms = miss[i][0], me = miss[i][1];
        if (!SD_SEQ_LT(s, me) || !SD_SEQ_GT(c, ms)) {
            i++;
            continue;
        }
        if (SD_SEQ_LEQ(s, ms) && SD_SEQ_GEQ(c, me)) {
            drop_range(g, i);
        } else if (SD_SEQ_LEQ(s, ms)) {
            miss[i++][0] = c;
        } else if (SD_SEQ_GEQ(c, me)) {
            miss[i++][1] = s;
        } else { /* split: the back part goes in after it */
            uint16_t before = g->n;
            make_room(g);
            if (g->n < before) { /* the lowest was settled for room */
                if (i == 0)
                    return; /* the range itself */
                i--;
            }
            miss = ranges(g);
            memmove(&miss[i + 1], &miss[i], sizeof miss[0] * (size_t)(g->n - i));
            g->n++;
            miss[i][1] = s;
            miss[i + 1][0] = c;
            return;
        }
    }
}

void sd_tcpgap_segment(sd_tcpgap *g, uint32_t seq, uint32_t wire, uint32_t captured, bool fin)
{
    uint32_t e = seq + wire, c = seq + (captured < wire ? captured : wire);
    if (!g->started) {
        g->started = true;
        g->hi = g->settled = seq;
    }
    if (fin) {
        g->fin = true;
        g->fin_at = e;
    }
    if (SD_SEQ_LT(seq, g->settled))
        seq = SD_SEQ_LT(c, g->settled) ? c : g->settled;
    fill(g, seq, c);
    if (!SD_SEQ_GT(e, g->hi))
        return;
    if (SD_SEQ_GT(seq, g->hi)) /* a jump: data the capture never showed */
        add_range(g, g->hi, seq);
    uint32_t from = SD_SEQ_GT(c, g->hi) ? c : g->hi;
    if (SD_SEQ_GT(e, from)) /* the snaplen cut the payload short */
        add_range(g, from, e);
    g->hi = e;
}

sd_tcpgap_found sd_tcpgap_ack(sd_tcpgap *g, uint32_t ack)
{
    sd_tcpgap_found r = { g->pend_bytes, g->pend_ranges };
    g->pend_bytes = 0;
    g->pend_ranges = 0;
    if (!g->started)
        return r;
    if (g->fin && SD_SEQ_GT(ack, g->fin_at))
        ack = g->fin_at; /* the FIN's own number is no data */
    if (!SD_SEQ_GT(ack, g->settled))
        return r;
    bool open_top = false; /* the last range counted reaches hi */
    uint32_t(*miss)[2] = ranges(g);
    int k = 0; /* ranges wholly below ack: dropped in one move, not one each */
    while (k < g->n && SD_SEQ_LT(miss[k][0], ack)) {
        uint32_t to = SD_SEQ_LT(ack, miss[k][1]) ? ack : miss[k][1];
        r.bytes += (uint32_t)(to - miss[k][0]);
        r.ranges++;
        open_top = to == g->hi;
        if (to != miss[k][1]) {
            miss[k][0] = to;
            break;
        }
        k++;
    }
    memmove(&miss[0], &miss[k], sizeof miss[0] * (size_t)(g->n - k));
    g->n = (uint16_t)(g->n - k);
    if (SD_SEQ_GT(ack, g->hi)) { /* past every segment seen */
        r.bytes += (uint32_t)(ack - g->hi);
        r.ranges += !open_top;
        g->hi = ack;
    }
    g->settled = ack;
    return r;
}

void sd_tcpgap_restart(sd_tcpgap *g, uint32_t seq)
{
    sd_tcpgap_free(g);
    memset(g, 0, sizeof *g);
    g->started = true;
    g->hi = g->settled = seq;
}

void sd_tcpgap_free(sd_tcpgap *g)
{
    if (g->cap > SD_TCPGAP_INLINE) /* the first SD_TCPGAP_INLINE are outside the budget */
        atomic_fetch_sub(&spilled, g->cap);
    free(g->spill);
    g->spill = NULL;
    g->cap = 0;
}
