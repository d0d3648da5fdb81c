/* strider follow: one TCP connection's reassembled payload, both directions
 * interleaved in the order the bytes were delivered (what Wireshark's
 * "Follow TCP Stream" and tshark -z follow,tcp show), with gaps shown as
 * gaps and inconsistent retransmissions marked. */
#include "../out/sd_runlog.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: strider follow --conn ID [options] FILE...\n"
    "The reassembled payload of one TCP connection, both directions in the order\n"
    "they were exchanged. Missing bytes are shown as \"[N bytes missing in capture\n"
    "file]\", never joined silently; retransmissions that carried different bytes\n"
    "are marked \"inconsistent\" (the first copy is shown unless --overlap says\n"
    "otherwise).\n\n"
    "  -c, --conn ID        the connection: TCP stream number as 'strider conns'\n"
    "                       and Wireshark's tcp.stream give it, or a uid\n"
    "  -a, --ascii          printable text, other bytes as '.' (default)\n"
    "  -x, --hex            hexdump per chunk with direction, frames and offset\n"
    "      --raw            only the payload bytes, interleaved, to stdout (binary;\n"
    "                       gaps are left out and counted on stderr)\n"
    "  -j, --json           JSON lines: one object per chunk (dir, first_frame,\n"
    "                       last_frame, ts, offset, len, gap, flags, hex, ascii)\n"
    "      --dir D          only one direction: orig or resp\n"
    "      --overlap P      which copy of overlapping bytes wins: first (default,\n"
    "                       as tshark), last (as tcpflow), linux, windows, bsd\n"
    "      --stream-cap N   out-of-order bytes held per direction (default 4M)\n"
    "      --memcap N       out-of-order bytes held in all (default 1G)\n" CLI_COMMON_HELP;

typedef struct fw_run {
    cli_conn_sel sel;
    const char *conn_arg;
    sd_reasm_budget budget;
    sd_reasm_opts ro;
    int mode;              /* SD_FOLLOW_* */
    int only_dir;          /* -1 = both */
    bool found;
    sd_buf b;
    sd_follow_out fo;
    uint32_t oow;          /* segments beyond the window never ACKed, kept out */
    uint64_t oow_frame;
} fw_run;

static void *fw_conn_new(void *ctx, sd_conn *c)
{
    fw_run *r = ctx;
    if (c->ipproto != 6)
        return NULL;
    if (!cli_conn_is(&r->sel, c->ipproto, c->id, c->uid))
        return NULL;
    r->found = true;
    sd_follow_begin(&r->fo, c);
    return r;
}

static void fw_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    fw_run *r = ctx;
    sd_follow_chunk(&r->fo, dir, ch);
    if (r->b.len > 65536)
        cli_flush(&r->b);
}

static void fw_conn_end(void *ctx, sd_conn *c, void *st)
{
    fw_run *r = ctx;
    r->oow = c->oow_segments;
    r->oow_frame = c->oow_first_frame;
    sd_follow_end(&r->fo);
}

enum { O_RAW = 256, O_DIR, O_OVERLAP, O_SCAP, O_MEMCAP };

static void fw_init(void *ctx)
{
    fw_run *r = ctx;
    r->only_dir = -1;
    r->budget.cap = (size_t)1 << 30;
    r->ro = (sd_reasm_opts){ .policy = SD_OVERLAP_FIRST, .budget = &r->budget };
}

static int fw_opt(void *ctx, int o, const char *arg)
{
    fw_run *r = ctx;
    switch (o) {
    case 'c':
        r->conn_arg = arg;
        return cli_opt_conn("follow", "--conn", arg, &r->sel);
    case 'a': r->mode = SD_FOLLOW_ASCII; return CLI_OK;
    case 'x': r->mode = SD_FOLLOW_HEX; return CLI_OK;
    case O_RAW: r->mode = SD_FOLLOW_RAW; return CLI_OK;
    case 'j': r->mode = SD_FOLLOW_JSON; return CLI_OK;
    case O_DIR:
        if (!strcmp(arg, "orig"))
            r->only_dir = 0;
        else if (!strcmp(arg, "resp"))
            r->only_dir = 1;
        else
            return cli_usage_error("follow", "--dir is orig or resp");
        return CLI_OK;
    case O_OVERLAP: return cli_opt_overlap("follow", arg, &r->ro.policy);
    case O_SCAP: return cli_opt_size("follow", "stream-cap", arg, 1, SIZE_MAX, false, &r->ro.stream_cap);
    case O_MEMCAP: return cli_opt_size("follow", "memcap", arg, 1, SIZE_MAX, false, &r->budget.cap);
    default: return cli_usage_error("follow", "bad option");
    }
}

static int fw_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    fw_run *r = ctx;
    if (!r->conn_arg)
        return cli_usage_error("follow", "--conn ID is required");
    if (r->sel.proto != 6)
        return cli_usage_error("follow", "--conn: follow reassembles TCP streams only");
    eo->reassemble = true;
    eo->reasm = r->ro;
    sd_follow_init(&r->fo, r->mode, r->only_dir, &r->b);
    return CLI_OK;
}

static int fw_start(void *ctx, cli_input *in, sd_engine *e)
{
    sd_analyzer an = { .name = "follow", .conn_new = fw_conn_new, .chunk = fw_chunk,
                       .conn_end = fw_conn_end, .ctx = ctx };
    sd_engine_add(e, &an);
    return CLI_OK;
}

static int fw_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    fw_run *r = ctx;
    cli_flush_now(&r->b);
    if (!r->found && rc == 0) {
        fprintf(stderr, "strider follow: no TCP connection %s in the capture\n", r->conn_arg);
        rc = 1;
    }
    sd_runlog_follow(stderr, &r->fo, r->oow, r->oow_frame, in->quiet);
    return rc;
}

static void fw_free(void *ctx)
{
    sd_buf_free(&((fw_run *)ctx)->b);
}

static const struct option FW_OPTS[] = {
    { "conn", required_argument, 0, 'c' },     { "ascii", no_argument, 0, 'a' },
    { "hex", no_argument, 0, 'x' },            { "raw", no_argument, 0, O_RAW },
    { "json", no_argument, 0, 'j' },           { "dir", required_argument, 0, O_DIR },
    { "overlap", required_argument, 0, O_OVERLAP }, { "stream-cap", required_argument, 0, O_SCAP },
    { "memcap", required_argument, 0, O_MEMCAP }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_follow = {
    .name = "follow", .summary = "one TCP connection's reassembled payload, both sides in order", .help = HELP,
    .shortopts = "c:axj", .longopts = FW_OPTS, .ctx_size = sizeof(fw_run), .init = fw_init, .opt = fw_opt,
    .prepare = fw_prepare, .start = fw_start, .finish = fw_finish, .free = fw_free,
};
