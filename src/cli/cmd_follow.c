/* strider follow: one TCP connection's reassembled payload, both directions
 * interleaved in the order the bytes were delivered (what Wireshark's
 * "Follow TCP Stream" and tshark -z follow,tcp show), with gaps shown as
 * gaps and inconsistent retransmissions marked. */
#include "../out/sd_followan.h"
#include "../out/sd_runlog.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <string.h>
#include <unistd.h>

static const char HELP[] =
    "usage: strider follow -n ID [options] FILE...\n"
    "The reassembled payload of one TCP connection, both directions in the order\n"
    "they were exchanged. Missing bytes are shown as \"[N bytes missing in capture\n"
    "file]\", never joined silently; retransmissions that carried different bytes\n"
    "are marked in place with both copies' frames and bytes (\"[overlap: ...]\"; the\n"
    "first copy is kept unless --overlap says otherwise and can still apply).\n\n"
    "  -n, --stream ID      the connection: TCP stream number as 'strider conns'\n"
    "                       and Wireshark's tcp.stream give it, or a uid\n"
    "  -a, --ascii          printable text, other bytes as '.' (default)\n"
    "  -x, --hex            hexdump per chunk with direction, frames and offset\n"
    "      --raw            only the payload bytes, interleaved, to stdout (binary;\n"
    "                       gaps are left out and counted, overlaps listed, on\n"
    "                       stderr); refused when stdout is a terminal\n"
    "  -j, --json           JSON lines: one object per chunk (dir, first_frame,\n"
    "                       last_frame, ts, offset, len, gap, flags, hex, ascii),\n"
    "                       one per overlap (\"overlap\":true, offset, len, old_frame,\n"
    "                       new_frame, kept, old_hex, new_hex...)\n"
    "      --dir D          only one direction: orig or resp\n"
    CLI_OVERLAP_HELP
    "      --stream-cap N   out-of-order bytes held per direction (default 4M)\n"
    "      --memcap N       out-of-order bytes held in all (default 1G)\n" CLI_COMMON_HELP;

typedef struct fw_run {
    sd_connsel sel;
    const char *conn_arg;
    cli_reasm rs;          /* --overlap, --stream-cap, --memcap */
    int mode;              /* SD_FOLLOW_* */
    int only_dir;          /* -1 = both */
    sd_buf b;
    sd_followan an;
} fw_run;

enum { O_RAW = 256, O_DIR };

static void fw_init(void *ctx)
{
    fw_run *r = ctx;
    r->only_dir = -1;
    cli_reasm_init(&r->rs);
}

static int fw_opt(void *ctx, int o, const char *arg)
{
    fw_run *r = ctx;
    switch (o) {
    case 'c': /* before -n/--stream, the same everywhere */
        cli_deprecated("follow", "-c/--conn", "-n/--stream");
        /* fall through */
    case 'n':
        r->conn_arg = arg;
        return cli_opt_conn("follow", "-n/--stream", arg, &r->sel);
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
    default: {
        int rc = cli_opt_reasm("follow", &r->rs, o, arg);
        return rc >= 0 ? rc : cli_usage_error("follow", "bad option");
    }
    }
}

static int fw_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    fw_run *r = ctx;
    if (!r->conn_arg)
        return cli_usage_error("follow", "-n/--stream ID is required");
    if (r->sel.proto != 6)
        return cli_usage_error("follow", "-n/--stream: follow reassembles TCP streams only");
    /* the capture's bytes as they are: on a terminal they would run its
     * escapes (set the title, write the clipboard, clear the screen) */
    if (r->mode == SD_FOLLOW_RAW && isatty(STDOUT_FILENO))
        return cli_usage_error("follow", "--raw writes the capture's bytes as they are: send standard output to "
                                         "a file or a pipe, not a terminal (-a and -x show them safely)");
    eo->reassemble = true;
    eo->reasm = r->rs.ro;
    sd_followan_init(&r->an, &r->sel, r->mode, r->only_dir, &r->b, cli_flush);
    return CLI_OK;
}

static int fw_start(void *ctx, cli_input *in, sd_engine *e)
{
    sd_followan_attach(&((fw_run *)ctx)->an, e);
    return CLI_OK;
}

static int fw_finish(void *ctx, cli_input *in, sd_engine *e, int rc)
{
    fw_run *r = ctx;
    cli_flush_now(&r->b);
    if (!r->an.found && rc == 0) {
        fprintf(stderr, "strider follow: no TCP connection %s in the capture\n", r->conn_arg);
        rc = 1;
    }
    sd_runlog_follow(stderr, &r->an.fo, r->an.oow, r->an.oow_frame, in->quiet);
    return rc;
}

static void fw_free(void *ctx)
{
    sd_buf_free(&((fw_run *)ctx)->b);
    sd_follow_free(&((fw_run *)ctx)->an.fo);
}

static const struct option FW_OPTS[] = {
    { "stream", required_argument, 0, 'n' }, { "conn", required_argument, 0, 'c' },     { "ascii", no_argument, 0, 'a' },
    { "hex", no_argument, 0, 'x' },            { "raw", no_argument, 0, O_RAW },
    { "json", no_argument, 0, 'j' },           { "dir", required_argument, 0, O_DIR },
    CLI_REASM_OPTS, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_follow = {
    .name = "follow", .summary = "one TCP connection's reassembled payload, both sides in order", .help = HELP,
    .shortopts = "n:c:axj", .longopts = FW_OPTS, .ctx_size = sizeof(fw_run), .init = fw_init, .opt = fw_opt,
    .prepare = fw_prepare, .start = fw_start, .finish = fw_finish, .free = fw_free,
};
