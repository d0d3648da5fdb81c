#include "sd_tcpgap.h"

#include <string.h>

#include "sd_tcp.h"

static void drop_range(sd_tcpgap *g, int i)
{
    memmove(&g->miss[i], &g->miss[i + 1], sizeof g->miss[0] * (size_t)(g->n - i - 1));
    g->n--;
}

/* The list is full: the lowest range is settled now, as if ACKed (a lost
 * piece that low is almost always ACKed before a copy comes), and counted. */
static void make_room(sd_tcpgap *g)
{
    if (g->n < SD_TCPGAP_RANGES)
        return;
    g->pend_bytes += (uint32_t)(g->miss[0][1] - g->miss[0][0]);
    g->pend_ranges++;
    g->capped++;
    g->settled = g->miss[0][1];
    drop_range(g, 0);
}

/* Appends [from, to), which lies above every range held. */
static void add_range(sd_tcpgap *g, uint32_t from, uint32_t to)
{
    if (g->n && g->miss[g->n - 1][1] == from) {
        g->miss[g->n - 1][1] = to;
        return;
    }
    make_room(g);
    g->miss[g->n][0] = from;
    g->miss[g->n][1] = to;
    g->n++;
}

/* Captured bytes [s, c) fill what they overlap. */
static void fill(sd_tcpgap *g, uint32_t s, uint32_t c)
{
    for (int i = 0; i < g->n && SD_SEQ_LT(s, c);) {
        uint32_t ms = g->miss[i][0], me = g->miss[i][1];
        if (!SD_SEQ_LT(s, me) || !SD_SEQ_GT(c, ms)) {
            i++;
            continue;
        }
        if (SD_SEQ_LEQ(s, ms) && SD_SEQ_GEQ(c, me)) {
            drop_range(g, i);
        } else if (SD_SEQ_LEQ(s, ms)) {
            g->miss[i++][0] = c;
        } else if (SD_SEQ_GEQ(c, me)) {
            g->miss[i++][1] = s;
        } else { /* split: the back part goes in after it */
            if (g->n == SD_TCPGAP_RANGES) {
                bool self = i == 0;
                make_room(g);
                if (self)
                    return; /* the range itself was settled for room */
                i--;
            }
            memmove(&g->miss[i + 1], &g->miss[i], sizeof g->miss[0] * (size_t)(g->n - i));
            g->n++;
            g->miss[i][1] = s;
            g->miss[i + 1][0] = c;
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
    while (g->n && SD_SEQ_LT(g->miss[0][0], ack)) {
        uint32_t to = SD_SEQ_LT(ack, g->miss[0][1]) ? ack : g->miss[0][1];
        r.bytes += (uint32_t)(to - g->miss[0][0]);
        r.ranges++;
        open_top = to == g->hi;
        if (to == g->miss[0][1])
            drop_range(g, 0);
        else
            g->miss[0][0] = to;
    }
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
    memset(g, 0, sizeof *g);
    g->started = true;
    g->hi = g->settled = seq;
}
