/* strider follow: one TCP connection's reassembled payload, both directions
 * interleaved in the order the bytes were delivered (what Wireshark's
 * "Follow TCP Stream" and tshark -z follow,tcp show), with gaps shown as
 * gaps and inconsistent retransmissions marked. */
#include "../out/sd_extract.h"
#include "../out/sd_json.h"
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

enum { M_ASCII, M_HEX, M_RAW, M_JSON };

typedef struct fw_run {
    cli_conn_sel sel;
    const char *conn_arg;
    sd_reasm_budget budget;
    sd_reasm_opts ro;
    int mode;
    int only_dir;          /* -1 = both */
    bool found;
    sd_buf b;
    /* text layout state */
    int last_dir;          /* direction of the last block shown, -1 = none */
    uint32_t last_flags;
    bool at_bol;
    uint64_t bytes[2], gaps[2], gap_bytes[2], chunks[2], incons[2];
    bool truncated[2];
    sd_addr h[2];
    uint16_t port[2];
    uint64_t stream;
    char conn_uid[20];
} fw_run;

static void *fw_conn_new(void *ctx, sd_conn *c)
{
    fw_run *r = ctx;
    if (c->ipproto != 6)
        return NULL;
    if (!cli_conn_is(&r->sel, c->ipproto, c->id, c->uid))
        return NULL;
    r->found = true;
    r->h[0] = c->orig_h;
    r->h[1] = c->resp_h;
    r->port[0] = c->orig_p;
    r->port[1] = c->resp_p;
    r->stream = c->id;
    memcpy(r->conn_uid, c->uid, sizeof r->conn_uid);
    if (r->mode == M_ASCII || r->mode == M_HEX) {
        char a[SD_ADDR_STRLEN], b[SD_ADDR_STRLEN];
        sd_buf_printf(&r->b, "Follow TCP stream %llu (uid %s)\n", (unsigned long long)c->id, c->uid);
        sd_buf_printf(&r->b, "Node 0: %s%s%s:%u (orig)\n", c->orig_h.fam == 6 ? "[" : "",
                      sd_addr_str(&c->orig_h, a, sizeof a), c->orig_h.fam == 6 ? "]" : "", c->orig_p);
        sd_buf_printf(&r->b, "Node 1: %s%s%s:%u (resp)\n", c->resp_h.fam == 6 ? "[" : "",
                      sd_addr_str(&c->resp_h, b, sizeof b), c->resp_h.fam == 6 ? "]" : "", c->resp_p);
    }
    return r;
}

static void flags_text(sd_buf *b, uint32_t flags)
{
    for (unsigned bit = 1; bit <= SD_CHUNKF_TRUNCATED; bit <<= 1)
        if (flags & bit)
            sd_buf_printf(b, "  [%s]", sd_chunk_flag_name(bit));
}

static void header(fw_run *r, int dir, const sd_chunk *ch, bool with_len)
{
    if (!r->at_bol)
        sd_buf_append(&r->b, "\n", 1);
    sd_buf_printf(&r->b, "%s %s  frame%s %llu", dir ? "<==" : "==>", dir ? "resp" : "orig",
                  ch->first_frame != ch->last_frame && with_len ? "s" : "",
                  (unsigned long long)ch->first_frame);
    if (with_len && ch->first_frame != ch->last_frame)
        sd_buf_printf(&r->b, "-%llu", (unsigned long long)ch->last_frame);
    sd_buf_printf(&r->b, "  offset %llu", (unsigned long long)ch->offset);
    if (with_len)
        sd_buf_printf(&r->b, "  %u bytes", ch->len);
    flags_text(&r->b, ch->flags);
    sd_buf_append(&r->b, "\n", 1);
    r->at_bol = true;
}

static void show_gap(fw_run *r, int dir, const sd_chunk *ch)
{
    if (!r->at_bol)
        sd_buf_append(&r->b, "\n", 1);
    sd_buf_printf(&r->b, "%s %s  [%u bytes missing in capture file]  offset %llu  before frame %llu",
                  dir ? "<==" : "==>", dir ? "resp" : "orig", ch->len, (unsigned long long)ch->offset,
                  (unsigned long long)ch->last_frame);
    flags_text(&r->b, ch->flags);
    sd_buf_append(&r->b, "\n", 1);
    r->at_bol = true;
    r->last_dir = -1; /* the data after a gap gets a fresh header */
}

static void show_hex(fw_run *r, const sd_chunk *ch)
{
    for (uint32_t i = 0; i < ch->len; i += 16) {
        uint32_t n = SD_MIN(16u, ch->len - i);
        sd_buf_printf(&r->b, "%08llx  ", (unsigned long long)(ch->offset + i));
        for (uint32_t k = 0; k < 16; k++) {
            if (k < n)
                sd_buf_printf(&r->b, "%02x ", ch->data[i + k]);
            else
                sd_buf_append(&r->b, "   ", 3);
            if (k == 7)
                sd_buf_append(&r->b, " ", 1);
        }
        sd_buf_append(&r->b, " |", 2);
        sd_ascii_render(&r->b, ch->data + i, n, false);
        sd_buf_append(&r->b, "|\n", 2);
    }
}

static void fw_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    fw_run *r = ctx;
    bool gap = ch->kind == SD_CHUNK_GAP;
    r->chunks[dir]++;
    if (gap) {
        r->gaps[dir]++;
        r->gap_bytes[dir] += ch->len;
    } else {
        r->bytes[dir] += ch->len;
    }
    if (ch->flags & SD_CHUNKF_RETRANS_INCONSISTENT)
        r->incons[dir]++;
    if (ch->flags & SD_CHUNKF_TRUNCATED)
        r->truncated[dir] = true;
    if (r->only_dir >= 0 && dir != r->only_dir)
        return;
    switch (r->mode) {
    case M_RAW:
        if (!gap && ch->len)
            sd_buf_append(&r->b, ch->data, ch->len);
        break;
    case M_JSON:
        sd_chunk_json(&r->b, dir, ch, SIZE_MAX);
        sd_buf_append(&r->b, "\n", 1);
        break;
    case M_HEX:
        if (gap) {
            show_gap(r, dir, ch);
            break;
        }
        header(r, dir, ch, true);
        show_hex(r, ch);
        break;
    default:
        if (gap) {
            show_gap(r, dir, ch);
            break;
        }
        /* consecutive chunks of one direction read as one block */
        if (dir != r->last_dir || ch->flags != r->last_flags)
            header(r, dir, ch, false);
        sd_ascii_render(&r->b, ch->data, ch->len, true);
        if (ch->len)
            r->at_bol = ch->data[ch->len - 1] == '\n';
        break;
    }
    r->last_dir = gap ? -1 : dir;
    r->last_flags = ch->flags;
    if (r->b.len > 65536)
        cli_flush(&r->b);
}

static void fw_conn_end(void *ctx, sd_conn *c, void *st)
{
    fw_run *r = ctx;
    if (r->mode != M_ASCII && r->mode != M_HEX)
        return;
    if (!r->at_bol)
        sd_buf_append(&r->b, "\n", 1);
    for (int d = 0; d < 2; d++) {
        sd_buf_printf(&r->b, "== %s: %llu bytes in %llu chunks", d ? "resp" : "orig",
                      (unsigned long long)r->bytes[d], (unsigned long long)(r->chunks[d] - r->gaps[d]));
        if (r->gaps[d])
            sd_buf_printf(&r->b, ", %llu gaps (%llu bytes missing)", (unsigned long long)r->gaps[d],
                          (unsigned long long)r->gap_bytes[d]);
        if (r->incons[d])
            sd_buf_printf(&r->b, ", %llu inconsistent", (unsigned long long)r->incons[d]);
        if (r->truncated[d])
            sd_buf_printf(&r->b, ", TRUNCATED (memory cap)");
        sd_buf_append(&r->b, "\n", 1);
    }
    r->at_bol = true;
}

enum { O_RAW = 256, O_DIR, O_OVERLAP, O_SCAP, O_MEMCAP };

static void fw_init(void *ctx)
{
    fw_run *r = ctx;
    r->only_dir = -1;
    r->last_dir = -1;
    r->at_bol = true;
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
    case 'a': r->mode = M_ASCII; return CLI_OK;
    case 'x': r->mode = M_HEX; return CLI_OK;
    case O_RAW: r->mode = M_RAW; return CLI_OK;
    case 'j': r->mode = M_JSON; return CLI_OK;
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
    if (r->mode == M_RAW && (r->gaps[0] || r->gaps[1]) && !in->quiet)
        fprintf(stderr, "strider follow: %llu bytes missing in capture file (left out of --raw)\n",
                (unsigned long long)(r->gap_bytes[0] + r->gap_bytes[1]));
    if ((r->truncated[0] || r->truncated[1]) && !in->quiet)
        fprintf(stderr, "strider follow: stream truncated: a memory cap was hit (see --stream-cap, --memcap)\n");
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
