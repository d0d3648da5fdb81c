/* sd_report_tcp: the packets kept for one connection's time-sequence
 * graph, and the graph written to its file (see sd_report_tcp.h). */
#include "sd_report_tcp.h"

#include "../flow/sd_tcp.h"
#include "sd_outfile.h"

#include <stdlib.h>
#include <string.h>

struct sd_report_tcp {
    sd_tsg_pkt *pk;
    size_t n, cap;
    sd_tsg_sack *sack;
    size_t nsack, sack_cap;
    uint64_t first, last, dropped;
    int64_t top_seq[2], top_ack[2]; /* last unwrapped numbers per direction */
    sd_conn conn;                   /* the connection as last seen */
};

sd_report_tcp *sd_report_tcp_new(uint64_t first, uint64_t last)
{
    sd_report_tcp *t = sd_calloc(1, sizeof *t);
    t->first = first;
    t->last = last;
    return t;
}

/* A 32-bit relative number placed next to the last one seen: sequence
 * numbers past 4 GiB keep growing instead of wrapping to 0. */
static int64_t unwrap(int64_t *ref, uint32_t rel)
{
    int64_t v = *ref + (int32_t)(rel - (uint32_t)*ref);
    *ref = v;
    return v;
}

static void add_sacks(sd_report_tcp *t, sd_tsg_pkt *k, const sd_conn *c, const sd_pkt *p, int dir)
{
    k->sack = (uint32_t)t->nsack;
    for (unsigned i = 0; i < p->opt.nsack && i < SD_MAX_SACK; i++) {
        if (t->nsack == t->sack_cap) {
            t->sack_cap = t->sack_cap ? t->sack_cap * 2 : 64;
            t->sack = sd_reallocarray(t->sack, t->sack_cap, sizeof *t->sack);
        }
        int64_t ref = k->ack; /* a block lies near what the packet acknowledges */
        int64_t l = unwrap(&ref, sd_tcp_rel_seq(c, !dir, p->opt.sack[i][0]));
        ref = l;
        int64_t r = unwrap(&ref, sd_tcp_rel_seq(c, !dir, p->opt.sack[i][1]));
        t->sack[t->nsack++] = (sd_tsg_sack){ l, r };
        k->nsack++;
    }
}

void sd_report_tcp_add(sd_report_tcp *t, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    if (p->l4 != SD_L4_TCP)
        return;
    dir &= 1;
    /* unwrapped over every packet, so a zoomed part keeps the whole numbers */
    int64_t seq = unwrap(&t->top_seq[dir], sd_tcp_rel_seq(c, dir, p->seq));
    int64_t ack = (p->flags & SD_TH_ACK) ? unwrap(&t->top_ack[dir], sd_tcp_rel_seq(c, !dir, p->ack)) : 0;
    uint64_t f = p->frame->num;
    if ((t->first && f < t->first) || (t->last && f > t->last))
        return;
    if (t->n >= SD_REPORT_TCP_MAX_KEPT) {
        t->dropped++;
        return;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->pk = sd_reallocarray(t->pk, t->cap, sizeof *t->pk);
    }
    sd_tsg_pkt *k = &t->pk[t->n++];
    *k = (sd_tsg_pkt){ .frame = f, .ts = p->frame->ts, .seq = seq, .ack = ack, .len = p->payload_wire,
                       .ta = ta, .dir = (uint8_t)dir, .flags = p->flags, .has_ack = (p->flags & SD_TH_ACK) != 0,
                       .win = sd_tcp_scaled_win(c, p, dir) };
    if (k->has_ack)
        add_sacks(t, k, c, p, dir);
    t->conn = *c;
}

size_t sd_report_tcp_kept(const sd_report_tcp *t)
{
    return t->n;
}

uint64_t sd_report_tcp_dropped(const sd_report_tcp *t)
{
    return t->dropped;
}

void sd_report_tcp_render(const sd_report_tcp *t, sd_buf *b, int dir, bool html)
{
    sd_tsg_in in = { .conn = &t->conn, .p = t->pk, .n = t->n, .sack = t->sack, .nsack = t->nsack, .dir = dir,
                     .first = t->first, .last = t->last, .dropped = t->dropped };
    sd_tsg_write(b, &in, html);
}

int sd_report_tcp_write(const sd_report_tcp *t, const char *path, int dir)
{
    size_t n = strlen(path);
    bool svg = n >= 4 && !strcmp(path + n - 4, ".svg");
    sd_buf b = { 0 };
    sd_report_tcp_render(t, &b, dir, !svg);
    int rc = sd_outfile_write(path, &b);
    sd_buf_free(&b);
    return rc;
}

void sd_report_tcp_free(sd_report_tcp *t)
{
    if (!t)
        return;
    free(t->pk);
    free(t->sack);
    free(t);
}
