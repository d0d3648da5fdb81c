/* strider packets: the per-packet view of one connection (what Wireshark's
 * packet list shows with a tcp.stream filter and relative numbers). */
#include "../flow/sd_tcp.h"
#include "../out/sd_pktout.h"
#include "../out/sd_report.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: strider packets --conn ID [options] FILE...\n"
    "Every packet of one connection: frame number, time since the connection\n"
    "started, direction, TCP flags, relative seq and ack, payload length, the\n"
    "scaled window and Wireshark-style analysis notes.\n\n"
    "  -c, --conn ID        the connection: a TCP stream number as 'strider conns'\n"
    "                       and Wireshark's tcp.stream give it, 'udp:N', or a uid\n"
    "  -j, --json           JSON lines\n"
    "      --csv            CSV with a header line\n"
    "      --plot FILE      also write a plot of the scaled receive window and the\n"
    "                       ACK number over time per direction, retransmissions\n"
    "                       marked: FILE.svg = SVG, otherwise a self-contained HTML\n"
    "  -z, --zoom A:B       the plot shows frames A to B only (either may be empty)\n" CLI_COMMON_HELP;

typedef struct pk_run {
    cli_conn_sel sel;
    const char *conn_arg;
    cli_format fmt;
    sd_buf b;
    uint64_t shown;
    /* --plot: the packets kept for it (a copy of what the rows show) */
    const char *plot;
    sd_report_pkt *pk;
    size_t npk, cappk;
    sd_conn conn; /* the connection as last seen, for the plot's axes */
    uint64_t zoom_first, zoom_last;
} pk_run;

static bool wanted(const pk_run *r, const sd_conn *c)
{
    return c && cli_conn_is(&r->sel, c->ipproto, c->id, c->uid);
}

static void keep_packet(pk_run *r, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    if (r->npk == r->cappk) {
        r->cappk = r->cappk ? r->cappk * 2 : 256;
        r->pk = sd_reallocarray(r->pk, r->cappk, sizeof *r->pk);
    }
    sd_report_pkt *k = &r->pk[r->npk++];
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
    r->conn = *c;
}

static int write_plot(pk_run *r)
{
    sd_report_opts o = { .zoom_first = r->zoom_first, .zoom_last = r->zoom_last };
    size_t n = strlen(r->plot);
    bool svg = n >= 4 && !strcmp(r->plot + n - 4, ".svg");
    sd_buf b = { 0 };
    sd_report_tcp_plot(&b, &r->conn, r->pk, r->npk, &o, !svg);
    FILE *f = sd_create(r->plot);
    int rc = 0;
    if (!f || fwrite(b.p, 1, b.len, f) != b.len)
        rc = -1;
    if (f && fclose(f))
        rc = -1;
    if (rc)
        fprintf(stderr, "strider packets: %s: %s\n", r->plot, strerror(errno ? errno : EIO));
    sd_buf_free(&b);
    return rc;
}

static void on_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    pk_run *r = ud;
    if (!wanted(r, c))
        return;
    if (r->plot)
        keep_packet(r, c, p, dir, ta);
    if (r->fmt == CLI_JSON)
        sd_pktout_json(&r->b, c, p, dir, ta);
    else
        sd_pktout_text(&r->b, c, p, dir, ta, r->fmt == CLI_CSV, r->shown == 0);
    r->shown++;
    if (r->b.len > 65536)
        cli_flush(&r->b);
}

static int pk_opt(void *ctx, int o, const char *arg)
{
    pk_run *r = ctx;
    switch (o) {
    case 'c':
        r->conn_arg = arg;
        return cli_opt_conn("packets", "--conn", arg, &r->sel);
    case 'j': r->fmt = CLI_JSON; return CLI_OK;
    case 'C': r->fmt = CLI_CSV; return CLI_OK;
    case 'L': r->plot = arg; return CLI_OK;
    case 'z': return cli_opt_frames("packets", "--zoom", arg, &r->zoom_first, &r->zoom_last);
    default: return cli_usage_error("packets", "bad option");
    }
}

static int pk_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    pk_run *r = ctx;
    if (!r->conn_arg)
        return cli_usage_error("packets", "--conn ID is required");
    eo->packet_seen = on_packet;
    eo->ud = r;
    return CLI_OK;
}

static int pk_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    pk_run *r = ctx;
    cli_flush(&r->b);
    if (!r->shown && rc == 0) {
        fprintf(stderr, "strider packets: no connection %s in the capture\n", r->conn_arg);
        rc = 1;
    }
    if (r->plot && r->shown && write_plot(r))
        rc = 1;
    return rc;
}

static void pk_free(void *ctx)
{
    pk_run *r = ctx;
    free(r->pk);
    sd_buf_free(&r->b);
}

static const struct option PK_OPTS[] = {
    { "conn", required_argument, 0, 'c' }, { "json", no_argument, 0, 'j' },
    { "csv", no_argument, 0, 'C' }, { "plot", required_argument, 0, 'L' },
    { "zoom", required_argument, 0, 'z' }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_packets = {
    .name = "packets", .summary = "per-packet view of one connection", .help = HELP, .shortopts = "c:jz:",
    .longopts = PK_OPTS, .ctx_size = sizeof(pk_run), .opt = pk_opt, .prepare = pk_prepare,
    .finish = pk_finish, .free = pk_free,
};
