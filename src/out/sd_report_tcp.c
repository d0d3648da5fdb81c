/* sd_report_tcp: the packets kept for one connection's TCP plot, and the
 * plot written to its file (see sd_report.h). */
#include "sd_report.h"

#include "../flow/sd_tcp.h"
#include "sd_outfile.h"

#include <stdlib.h>
#include <string.h>

struct sd_report_tcp {
    sd_report_pkt *pk;
    size_t n, cap;
    sd_conn conn; /* the connection as last seen, for the plot's axes */
};

sd_report_tcp *sd_report_tcp_new(void)
{
    return sd_calloc(1, sizeof(sd_report_tcp));
}

void sd_report_tcp_add(sd_report_tcp *t, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->pk = sd_reallocarray(t->pk, t->cap, sizeof *t->pk);
    }
    sd_report_pkt *k = &t->pk[t->n++];
    memset(k, 0, sizeof *k);
    k->frame = p->frame->num;
    k->ts = p->frame->ts;
    k->dir = (uint8_t)dir;
    k->len = p->payload_wire;
    k->ta = ta;
    if (p->l4 == SD_L4_TCP) {
        k->flags = p->flags;
        k->seq = sd_tcp_rel_seq(c, dir, p->seq);
        k->has_ack = (p->flags & SD_TH_ACK) != 0;
        if (k->has_ack)
            k->ack = sd_tcp_rel_seq(c, !dir, p->ack);
        k->win = sd_tcp_scaled_win(c, p, dir);
    }
    t->conn = *c;
}

int sd_report_tcp_write(const sd_report_tcp *t, const char *path, const sd_report_opts *o)
{
    size_t n = strlen(path);
    bool svg = n >= 4 && !strcmp(path + n - 4, ".svg");
    sd_buf b = { 0 };
    sd_report_tcp_plot(&b, &t->conn, t->pk, t->n, o, !svg);
    int rc = sd_outfile_write(path, &b);
    sd_buf_free(&b);
    return rc;
}

void sd_report_tcp_free(sd_report_tcp *t)
{
    if (!t)
        return;
    free(t->pk);
    free(t);
}
