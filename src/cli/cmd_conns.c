/* strider conns: every connection with its facts, as a table, JSON lines
 * (Zeek conn.log names) or CSV, filtered and sorted by any field. */
#include "../analyze/sd_reasmcount.h"
#include "../analyze/sd_service.h"
#include "../out/sd_connout.h"
#include "../out/sd_merge_fmt.h"
#include "../out/sd_outq.h"
#include "cli_cmd.h"
#include "cli_opt.h"

#include <stddef.h>
#include <string.h>

typedef struct conns_run {
    sd_connout_opts o;     /* which connections, columns, order */
    sd_filter *where;
    sd_connsel sel;        /* -n */
    bool one;
    sd_addr host;
    sd_connout *w;
    sd_connout *final;     /* a chunk (--own) asked for CSV, text or --fields: the
                              writer of that format, for its columns only */
    sd_buf out;
    bool live;             /* flush every line */
    bool reasm;            /* -R */
    cli_reasm rs;          /* --overlap, --urgent...: as follow and extract reassemble */
    double idle;
    sd_service *service;   /* the service field, by content */
    sd_outq *q;            /* --threads 2: the records are written by a thread of their own */
} conns_run;

static const char HELP[] =
    "usage: strider conns [options] FILE...\n"
    "Every TCP and UDP connection with its facts: handshake times, bytes and\n"
    "packets per direction, Zeek conn_state and history, retransmissions,\n"
    "out-of-order segments, duplicate ACKs, zero windows, window scaling, who\n"
    "closed or reset it and how many other connections were open then.\n"
    "Over rotated files, --jobs N runs N processes, and a run with --own\n"
    "FIRST:LAST one chunk for `strider merge`, in any of the formats below\n"
    "(the chunk writes JSON lines and names the format; strider(1), SEVERAL\n"
    "PROCESSES); not with --sort, --limit or -n.\n\n"
    "  -j, --json           JSON lines (Zeek conn.log field names)\n"
    "      --csv            CSV with a header line\n"
    "  -F, --fields LIST    columns to show (comma-separated; see --list-fields)\n"
    "      --list-fields    list every field with its meaning\n"
    "  -Y, --where EXPR     keep the connections EXPR holds for (Wireshark-like:\n"
    "                       and && or || not ! ( ), == != < <= > >= contains\n"
    "                       matches ~, in {A B C..D}, addresses and CIDR), e.g.\n"
    "                       'id.resp_p == 80 && syn_synack_ms > 300',\n"
    "                       'ip.addr == 10.0.0.0/8 and not conn_state in {SF S1}'\n"
    "                       (man strider: FILTERS)\n"
    "  -n, --stream ID      only that connection: a TCP stream number as\n"
    "                       Wireshark's tcp.stream, 'udp:N', or a uid\n"
    "  -S, --sort FIELD     sort by FIELD (append :desc for descending), e.g.\n"
    "                       --sort stream for Wireshark's order; keeps every\n"
    "                       kept connection (~1 KiB each) until the end\n"
    "                       default: written as each connection ends (closed,\n"
    "                       idle, evicted), then those open at the end of the\n"
    "                       input in stream order\n"
    "  -l, --limit N        at most N connections (stops reading after the Nth)\n"
    "      --proto P        tcp or udp only\n"
    "      --host ADDR      connections with ADDR at either end\n"
    "      --port N         connections with port N at either end\n"
    "      --idle-timeout S end established TCP connections idle for S seconds\n"
    "                       (default 3600)\n"
    "  -R, --reassemble     also reassemble every TCP stream: *_stream_bytes,\n"
    "                       *_gap_bytes, *_inconsistent_bytes, inconsistencies,\n"
    "                       *_truncated (what `strider follow` would deliver),\n"
    "                       *_overlap_unchecked_bytes, *_urgent_bytes,\n"
    "                       *_overlap_policy_unapplied_bytes, *_bad_checksums,\n"
    "                       history_dropped (when any). The options below imply -R\n"
    "                       and mean what they mean to follow and extract:\n"
    CLI_OVERLAP_HELP
    "      --stream-cap N   out-of-order bytes held per direction (default 4M)\n"
    "      --memcap N       out-of-order bytes held in all (default 1G)\n" CLI_COMMON_HELP
    "\nExamples:\n"
    "  strider conns cap.pcap --port 80 --where 'syn_synack_ms > 300' --limit 1\n"
    "  strider conns cap.pcap --where 'first_rst == orig' \\\n"
    "      --fields stream,id.orig_h,id.resp_h,first_rst_frame,orig_open_at_end\n";

/* One record written (by the analysis thread, or by the writer thread in
 * the order the connections ended). */
static void write_conn(void *ud, void *item)
{
    conns_run *r = ud;
    sd_conn *c = item;
    if (!c->uid[0]) /* sd_engine_uids_late: made here, in the writer's thread */
        sd_conn_make_uid(c);
    if (sd_connout_add(r->w, &r->out, c))
        cli_stop = 1; /* the limit: the rest of the input can change nothing shown */
    if (r->live)
        cli_flush_now(&r->out);
    else if (r->out.len > 65536)
        cli_flush(&r->out);
}

static void conn_done(void *ud, const sd_conn *c)
{
    conns_run *r = ud;
    if (r->one && !sd_connsel_is(&r->sel, c->ipproto, c->id, c->uid))
        return;
    if (!r->q) {
        write_conn(r, (void *)(uintptr_t)c);
        return;
    }
    sd_conn_copy_facts(sd_outq_slot(r->q), c);
    sd_outq_put(r->q);
}

static void conns_init(void *ctx)
{
    conns_run *r = ctx;
    r->o.port = -1;
    r->o.limit = UINT64_MAX;
    cli_reasm_init(&r->rs);
}

static int conns_opt(void *ctx, int o, const char *arg)
{
    conns_run *r = ctx;
    char err[256];
    uint64_t num;
    switch (o) {
    case 'j': r->o.fmt = SD_REC_JSON; return CLI_OK;
    case 'C': r->o.fmt = SD_REC_CSV; return CLI_OK;
    case 'F': r->o.fields = arg; return CLI_OK;
    case 'L': sd_connout_list_fields(stdout); return CLI_DONE;
    case 'R': r->reasm = r->o.optional = true; return CLI_OK;
    case 'w': /* before -Y, when -w was not yet the windows of ssh */
        cli_deprecated("conns", "-w", "-Y/--where");
        /* fall through */
    case 'Y':
        sd_filter_free(r->where);
        r->o.where = r->where = sd_filter_parse(&sd_conn_fields, arg, err, sizeof err);
        return r->where ? CLI_OK : cli_usage_error("conns", "bad --where: %s", err);
    case 'n':
        r->one = true;
        return cli_opt_conn("conns", "-n/--stream", arg, &r->sel);
    case 's': /* before -S, when -s was not yet the stride of ssh */
        cli_deprecated("conns", "-s", "-S/--sort");
        /* fall through */
    case 'S':
        r->o.sort = sd_connout_sort_field(arg, &r->o.desc);
        return r->o.sort ? CLI_OK : cli_usage_error("conns", "unknown sort field \"%s\"", arg);
    case 'l': return cli_parse_u64("conns", "-l/--limit", arg, 0, UINT64_MAX - 1, &r->o.limit) ? 2 : CLI_OK;
    case 'p':
        if (strcmp(arg, "tcp") && strcmp(arg, "udp"))
            return cli_usage_error("conns", "--proto wants tcp or udp, not \"%s\"", arg);
        r->o.proto = arg;
        return CLI_OK;
    case 'H':
        if (sd_addr_parse(arg, &r->host))
            return cli_usage_error("conns", "bad address \"%s\"", arg);
        r->o.host = &r->host;
        return CLI_OK;
    case 'o':
        if (cli_parse_u64("conns", "--port", arg, 0, 65535, &num))
            return 2;
        r->o.port = (long)num;
        return CLI_OK;
    case 'T': return cli_parse_secs("conns", "--idle-timeout", arg, 0.001, 1e9, &r->idle) ? 2 : CLI_OK;
    default: {
        int rc = cli_opt_reasm("conns", &r->rs, o, arg);
        if (rc < 0)
            return cli_usage_error("conns", "bad option");
        r->reasm = r->o.optional = true; /* a reassembly option is asked for what -R shows */
        return rc;
    }
    }
}

static int conns_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    conns_run *r = ctx;
    char err[256];
    if (!(r->w = sd_connout_new(&r->o, err, sizeof err)))
        return cli_usage_error("conns", "%s", err);
    eo->conn_done = conn_done;
    eo->ud = r;
    eo->tcp_idle = (sd_ts)(r->idle * 1e9);
    eo->reassemble = r->reasm;
    eo->reasm = r->rs.ro;
    return CLI_OK;
}

/* A chunk of --own writes whole JSON lines, which the merge renumbers,
 * whatever the format asked for: the merge writes that format from them
 * (sd_merge_fmt.h), with the columns the writer of that format chose. */
static void chunk_json(conns_run *r)
{
    sd_connout_opts j = r->o;
    char err[256];
    j.fmt = SD_REC_JSON;
    j.fields = NULL;
    j.optional = r->o.optional || r->o.fields; /* every field --fields may name */
    r->final = r->w;
    r->w = sd_connout_new(&j, err, sizeof err); /* every field: no unknown name */
}

/* The chunk's record of the format asked for, after its lines. */
static void chunk_declare(conns_run *r)
{
    sd_buf none = { 0 };
    const sd_field *const *sel;
    size_t hold;
    sd_connout_begin(r->final, &none, r->live);
    sd_connout_end(r->final, &none); /* the columns are chosen: the header is not ours to write */
    sd_buf_free(&none);
    size_t n = sd_connout_columns(r->final, &sel, &hold);
    sd_merge_fmt_record(&r->out, "conn", r->o.fmt, sel, n, hold);
}

static int conns_start(void *ctx, cli_input *in, sd_engine *e)
{
    conns_run *r = ctx;
    r->live = in->live;
    if (sd_engine_own(e) && (r->o.fmt != SD_REC_JSON || r->o.fields))
        chunk_json(r), in->own_rewrites = true;
    in->own_pending = &r->out;
    if (r->reasm)
        sd_reasmcount_attach(e);
    r->service = sd_service_new();
    sd_service_attach(r->service, e);
    sd_connout_begin(r->w, &r->out, r->live);
    /* records in a thread of their own when a second CPU is there for it,
     * and nothing needs the record's outcome at once: not live (flushed as
     * it comes), not --limit (which stops the reading), not --sort (which
     * writes at the end). A chunk (--own) too, as ssh's (cmd_ssh.c) */
    if (cli_threads(in) > 1 && !r->live && r->o.limit == UINT64_MAX && !r->o.sort)
        r->q = cli_outq_start(in, sizeof(sd_conn), write_conn, r);
    /* nothing before the writer reads the uid (--stream/--uid read it in
     * conn_done), but a chunk's record of each connection (sd_own_end) */
    if (r->q && !r->one && !sd_engine_own(e))
        sd_engine_uids_late(e);
    return CLI_OK;
}

static int conns_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    conns_run *r = ctx;
    cli_outq_end(in, &r->q);
    sd_connout_end(r->w, &r->out);
    if (r->final)
        chunk_declare(r);
    cli_flush_now(&r->out);
    return status;
}

static void conns_free(void *ctx)
{
    conns_run *r = ctx;
    sd_filter_free(r->where);
    sd_connout_free(r->w);
    sd_connout_free(r->final);
    sd_buf_free(&r->out);
    sd_service_free(r->service);
}

static const struct option CONNS_OPTS[] = {
    { "json", no_argument, 0, 'j' },    { "csv", no_argument, 0, 'C' },
    { "fields", required_argument, 0, 'F' }, { "list-fields", no_argument, 0, 'L' },
    { "where", required_argument, 0, 'Y' }, { "sort", required_argument, 0, 'S' },
    { "limit", required_argument, 0, 'l' }, { "proto", required_argument, 0, 'p' },
    { "stream", required_argument, 0, 'n' },
    { "host", required_argument, 0, 'H' },  { "port", required_argument, 0, 'o' },
    { "idle-timeout", required_argument, 0, 'T' }, { "reassemble", no_argument, 0, 'R' },
    CLI_REASM_OPTS, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_conns = {
    .name = "conns", .summary = "every connection with its facts (table, JSON lines, CSV)", .help = HELP,
    .shortopts = "jF:Y:w:S:s:n:l:R", .longopts = CONNS_OPTS, .ctx_size = sizeof(conns_run), .init = conns_init,
    .opt = conns_opt, .prepare = conns_prepare, .start = conns_start, .finish = conns_finish,
    .free = conns_free,
};
