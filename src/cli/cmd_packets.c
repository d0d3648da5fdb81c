/* strider packets: the per-packet view of one connection (what Wireshark's
 * packet list shows with a tcp.stream filter and relative numbers). */
#include "../out/sd_pktout.h"
#include "../out/sd_report_tcp.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <errno.h>
#include <string.h>

static const char HELP[] =
    "usage: strider packets -n ID [options] FILE...\n"
    "Every packet of one connection: frame number, time since the connection\n"
    "started, direction, TCP flags, relative seq and ack, payload length, the\n"
    "scaled window and Wireshark-style analysis notes.\n\n"
    "  -n, --stream ID      the connection: a TCP stream number as 'strider conns'\n"
    "                       and Wireshark's tcp.stream give it, 'udp:N', or a uid\n"
    "  -j, --json           JSON lines\n"
    "      --csv            CSV with a header line\n"
    "      --plot FILE      also write the time-sequence graph (Wireshark's and\n"
    "                       tcptrace's): segments over time for one direction, the\n"
    "                       other's ACK, receive-window and SACK lines,\n"
    "                       retransmissions, zero windows and gaps marked;\n"
    "                       FILE.svg = SVG, otherwise a self-contained HTML page\n"
    "      --dir D          the graph's direction: orig, resp or both (each on its\n"
    "                       own scale); default the one carrying more data\n"
    "  -z, --zoom A-B       the plot shows frames A to B only (either may be empty)\n" CLI_COMMON_HELP;

typedef struct pk_run {
    sd_connsel sel;
    const char *conn_arg;
    cli_format fmt;
    sd_buf b;
    uint64_t shown;
    sd_pktout_layout lay;    /* text and CSV rows */
    const char *plot;        /* --plot FILE */
    sd_report_tcp *tcp;      /* the packets kept for it */
    int plot_dir;            /* --dir: SD_DIR_*, SD_TSG_BOTH or SD_TSG_AUTO */
    bool dir_set;
    uint64_t zoom_first, zoom_last;
} pk_run;

static void on_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    pk_run *r = ud;
    if (!c || !sd_connsel_is(&r->sel, c->ipproto, c->id, c->uid))
        return;
    if (r->plot)
        sd_report_tcp_add(r->tcp, c, p, dir, ta);
    if (r->fmt == CLI_JSON)
        sd_pktout_json(&r->b, c, p, dir, ta);
    else
        sd_pktout_text(&r->b, c, p, dir, ta, r->fmt == CLI_CSV, &r->lay);
    r->shown++;
    if (r->b.len > 65536)
        cli_flush(&r->b);
}

static int pk_dir(pk_run *r, const char *arg)
{
    static const struct {
        const char *name;
        int dir;
    } D[] = { { "orig", SD_DIR_ORIG }, { "resp", SD_DIR_RESP }, { "both", SD_TSG_BOTH } };
    for (size_t i = 0; i < SD_ARRAY_LEN(D); i++)
        if (!strcmp(arg, D[i].name)) {
            r->plot_dir = D[i].dir;
            r->dir_set = true;
            return CLI_OK;
        }
    return cli_usage_error("packets", "--dir: orig, resp or both");
}

static int pk_opt(void *ctx, int o, const char *arg)
{
    pk_run *r = ctx;
    switch (o) {
    case 'c': /* before -n/--stream, the same everywhere */
        cli_deprecated("packets", "-c/--conn", "-n/--stream");
        /* fall through */
    case 'n':
        r->conn_arg = arg;
        return cli_opt_conn("packets", "-n/--stream", arg, &r->sel);
    case 'j': r->fmt = CLI_JSON; return CLI_OK;
    case 'C': r->fmt = CLI_CSV; return CLI_OK;
    case 'L':
        r->plot = arg;
        return CLI_OK;
    case 'D': return pk_dir(r, arg);
    case 'z': return cli_opt_frames("packets", "-z/--zoom", arg, &r->zoom_first, &r->zoom_last);
    default: return cli_usage_error("packets", "bad option");
    }
}

static int pk_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    pk_run *r = ctx;
    if (!r->conn_arg)
        return cli_usage_error("packets", "-n/--stream ID is required");
    if (r->dir_set && !r->plot)
        return cli_usage_error("packets", "--dir chooses the --plot graph's direction: give --plot FILE");
    if (!r->dir_set)
        r->plot_dir = SD_TSG_AUTO;
    if (r->plot)
        r->tcp = sd_report_tcp_new(r->zoom_first, r->zoom_last);
    eo->packet_seen = on_packet;
    eo->ud = r;
    return CLI_OK;
}

/* The graph, once the connection was seen; a cap reached is said. */
static int pk_plot(pk_run *r, int rc)
{
    if (!sd_report_tcp_kept(r->tcp)) {
        fprintf(stderr, "strider packets: --plot: no TCP packet of %s%s: nothing to draw (a time-sequence graph is "
                        "TCP's)\n", r->conn_arg, r->zoom_first || r->zoom_last ? " in the -z frames" : "");
        return 1;
    }
    if (sd_report_tcp_dropped(r->tcp))
        fprintf(stderr, "strider packets: the plot keeps %u packets at most: %llu later ones not drawn (-z A-B)\n",
                SD_REPORT_TCP_MAX_KEPT, (unsigned long long)sd_report_tcp_dropped(r->tcp));
    if (sd_report_tcp_write(r->tcp, r->plot, r->plot_dir)) {
        cli_errf("strider packets: %s: %s\n", r->plot, strerror(errno ? errno : EIO));
        return 1;
    }
    return rc;
}

static int pk_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    pk_run *r = ctx;
    cli_flush(&r->b);
    if (!r->shown && rc == 0) {
        cli_errf("strider packets: no connection %s in the capture\n", r->conn_arg);
        rc = 1;
    }
    if (r->plot && r->shown)
        rc = pk_plot(r, rc);
    return rc;
}

static void pk_free(void *ctx)
{
    pk_run *r = ctx;
    sd_report_tcp_free(r->tcp);
    sd_buf_free(&r->b);
}

static const struct option PK_OPTS[] = {
    { "stream", required_argument, 0, 'n' }, { "conn", required_argument, 0, 'c' }, { "json", no_argument, 0, 'j' },
    { "csv", no_argument, 0, 'C' }, { "plot", required_argument, 0, 'L' },
    { "zoom", required_argument, 0, 'z' }, { "dir", required_argument, 0, 'D' }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_packets = {
    .name = "packets", .summary = "per-packet view of one connection", .help = HELP, .shortopts = "n:c:jz:",
    .longopts = PK_OPTS, .ctx_size = sizeof(pk_run), .opt = pk_opt, .prepare = pk_prepare,
    .finish = pk_finish, .free = pk_free,
};
