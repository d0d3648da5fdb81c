/* strider conns: every connection with its facts, as a table, JSON lines
 * (Zeek conn.log names) or CSV, filtered and sorted by any field. */
#include "../analyze/sd_service.h"
#include "../out/sd_connfields.h"
#include "../out/sd_recout.h"
#include "cli_cmd.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 96
/* Text rows held to size the table's columns before the first is written:
 * a result this small looks as if sized on every row; a larger one streams. */
#define TEXT_HOLD_ROWS 1000

typedef struct conns_run {
    sd_filter *where;
    const char *proto;
    sd_addr host;
    bool has_host;
    long port;
    /* output */
    cli_format fmt;
    size_t ncol;
    sd_recout *w;
    sd_buf out;
    bool live;             /* flush every line */
    uint64_t limit, written;
    /* --sort: every kept connection, written at the end */
    bool sorted;
    sd_conn *v;
    size_t n, cap;
    /* options */
    const char *fields;
    bool reasm;
    double idle;
    const sd_field *selv[MAX_COLS]; /* the columns */
    sd_service *service;   /* the service field, by content */
} conns_run;

static const char HELP[] =
    "usage: strider conns [options] FILE...\n"
    "Every TCP and UDP connection with its facts: handshake times, bytes and\n"
    "packets per direction, Zeek conn_state and history, retransmissions,\n"
    "out-of-order segments, duplicate ACKs, zero windows, window scaling, who\n"
    "closed or reset it and how many other connections were open then.\n\n"
    "  -j, --json           JSON lines (Zeek conn.log field names)\n"
    "      --csv            CSV with a header line\n"
    "  -F, --fields LIST    columns to show (comma-separated; see --list-fields)\n"
    "      --list-fields    list every field with its meaning\n"
    "  -w, --where EXPR     keep connections matching all conditions, e.g.\n"
    "                       'id.resp_p=80,syn_synack_ms>300' or 'first_rst=orig'\n"
    "                       operators: = != < <= > >= ~ (substring); ',' or 'and'\n"
    "  -s, --sort FIELD     sort by FIELD (append :desc for descending), e.g.\n"
    "                       --sort stream for Wireshark's order; keeps every\n"
    "                       kept connection (~1 KiB each) until the end\n"
    "                       default: written as each connection ends (closed,\n"
    "                       idle, evicted), then those open at the end of the\n"
    "                       input in stream order\n"
    "  -n, --limit N        at most N connections (stops reading after the Nth)\n"
    "      --proto P        tcp or udp only\n"
    "      --host ADDR      connections with ADDR at either end\n"
    "      --port N         connections with port N at either end\n"
    "      --idle-timeout S end established TCP connections idle for S seconds\n"
    "                       (default 3600)\n"
    "  -R, --reassemble     also reassemble every TCP stream: *_stream_bytes,\n"
    "                       *_gap_bytes, *_inconsistent_bytes, inconsistencies,\n"
    "                       *_truncated (what `strider follow` would deliver)\n" CLI_COMMON_HELP
    "\nExamples:\n"
    "  strider conns cap.pcap --port 80 --where 'syn_synack_ms>300' --limit 1\n"
    "  strider conns cap.pcap --where 'first_rst=orig' \\\n"
    "      --fields stream,id.orig_h,id.resp_h,first_rst_frame,orig_open_at_end\n";

static bool keep(const conns_run *r, const sd_conn *c)
{
    if (r->proto && strcmp(r->proto, c->ipproto == 6 ? "tcp" : c->ipproto == 17 ? "udp" : "") != 0)
        return false;
    if (r->has_host && sd_addr_cmp(&c->orig_h, &r->host) && sd_addr_cmp(&c->resp_h, &r->host))
        return false;
    if (r->port >= 0 && c->orig_p != r->port && c->resp_p != r->port)
        return false;
    return sd_filter_match(r->where, c);
}

/* One connection, in the chosen format, to the output buffer. */
static void write_conn(conns_run *r, const sd_conn *c)
{
    if (r->written >= r->limit)
        return;
    sd_recout_record(r->w, &r->out, c);
    if (++r->written == r->limit)
        cli_stop = 1; /* the rest of the input can change nothing shown */
    if (r->live)
        cli_flush_now(&r->out);
    else if (r->out.len > 65536)
        cli_flush(&r->out);
}

static void conn_done(void *ud, const sd_conn *c)
{
    conns_run *r = ud;
    if (!keep(r, c))
        return;
    if (!r->sorted) {
        write_conn(r, c);
        return;
    }
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->v = sd_reallocarray(r->v, r->cap, sizeof *r->v);
    }
    r->v[r->n] = *c;
    memset(r->v[r->n].slot, 0, sizeof r->v[r->n].slot);
    r->n++;
}

/* -R: an analyzer that only wants every TCP stream's bytes, so the engine
 * reassembles them and the counts land in the connection's facts. */
static void *rc_new(void *ctx, sd_conn *c)
{
    return c->ipproto == 6 ? ctx : NULL;
}
static void rc_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch) {}
static void rc_end(void *ctx, sd_conn *c, void *st) {}
static int rc_tag;
static const sd_analyzer reasm_counter = { .name = "reassemble", .conn_new = rc_new,
                                           .chunk = rc_chunk, .conn_end = rc_end, .ctx = &rc_tag };

static const sd_field *g_sort;
static int g_sort_desc;

static int cmp_conn(const void *a, const void *b)
{
    const sd_conn *x = a, *y = b;
    if (g_sort) {
        int c = sd_field_cmp(g_sort, x, y);
        if (c)
            return g_sort_desc ? -c : c;
    }
    return x->first_frame < y->first_frame ? -1 : x->first_frame > y->first_frame;
}

static void begin_output(conns_run *r)
{
    static const sd_rec_fmt FMT[] = { [CLI_TEXT] = SD_REC_TEXT, [CLI_JSON] = SD_REC_JSON, [CLI_CSV] = SD_REC_CSV };
    r->w = sd_recout_new(FMT[r->fmt], r->selv, r->ncol, "conn", r->live ? 0 : TEXT_HOLD_ROWS);
    sd_recout_begin(r->w, &r->out);
}

static void end_output(conns_run *r)
{
    if (r->sorted) {
        if (r->n > 1)
            qsort(r->v, r->n, sizeof *r->v, cmp_conn);
        for (size_t i = 0; i < r->n; i++)
            write_conn(r, &r->v[i]);
    }
    sd_recout_end(r->w, &r->out);
    cli_flush_now(&r->out);
}

static void list_fields(void)
{
    for (size_t i = 0; i < sd_conn_fields.n; i++)
        printf("%-22s %s\n", sd_conn_fields.f[i].name, sd_conn_fields.f[i].doc);
}

static int set_sort(const char *arg)
{
    char name[64];
    snprintf(name, sizeof name, "%s", arg);
    char *colon = strchr(name, ':');
    g_sort_desc = colon && strcmp(colon, ":desc") == 0;
    if (colon)
        *colon = '\0';
    g_sort = sd_field_find(&sd_conn_fields, name);
    return g_sort ? 0 : -1;
}

static void conns_init(void *ctx)
{
    conns_run *r = ctx;
    r->port = -1;
    r->limit = UINT64_MAX;
    g_sort = NULL;
}

static int conns_opt(void *ctx, int o, const char *arg)
{
    conns_run *r = ctx;
    char err[256];
    uint64_t num;
    switch (o) {
    case 'j': r->fmt = CLI_JSON; return CLI_OK;
    case 'C': r->fmt = CLI_CSV; return CLI_OK;
    case 'F': r->fields = arg; return CLI_OK;
    case 'L': list_fields(); return CLI_DONE;
    case 'R': r->reasm = true; return CLI_OK;
    case 'w':
        sd_filter_free(r->where);
        r->where = sd_filter_parse(&sd_conn_fields, arg, err, sizeof err);
        return r->where ? CLI_OK : cli_usage_error("conns", "%s", err);
    case 's':
        return set_sort(arg) ? cli_usage_error("conns", "unknown sort field \"%s\"", arg) : CLI_OK;
    case 'n': return cli_parse_u64("conns", "--limit", arg, 0, UINT64_MAX - 1, &r->limit) ? 2 : CLI_OK;
    case 'p':
        if (strcmp(arg, "tcp") && strcmp(arg, "udp"))
            return cli_usage_error("conns", "--proto wants tcp or udp, not \"%s\"", arg);
        r->proto = arg;
        return CLI_OK;
    case 'H':
        if (sd_addr_parse(arg, &r->host))
            return cli_usage_error("conns", "bad address \"%s\"", arg);
        r->has_host = true;
        return CLI_OK;
    case 'o':
        if (cli_parse_u64("conns", "--port", arg, 0, 65535, &num))
            return 2;
        r->port = (long)num;
        return CLI_OK;
    case 'T': return cli_parse_secs("conns", "--idle-timeout", arg, 0.001, 1e9, &r->idle) ? 2 : CLI_OK;
    default: return cli_usage_error("conns", "bad option");
    }
}

/* The columns: --fields, or the text default, or every field (the
 * optional ones, reassembly's, only with -R). */
static int select_fields(conns_run *r)
{
    char err[256];
    int ncol = 0;
    if (r->fields || r->fmt == CLI_TEXT) {
        ncol = sd_fields_select(&sd_conn_fields, r->fields ? r->fields : sd_conn_text_default, r->selv,
                                MAX_COLS, err, sizeof err);
        if (ncol < 0)
            return cli_usage_error("conns", "%s", err);
    } else {
        for (size_t i = 0; i < sd_conn_fields.n && ncol < MAX_COLS; i++)
            if (r->reasm || !sd_conn_fields.f[i].optional)
                r->selv[ncol++] = &sd_conn_fields.f[i];
    }
    r->ncol = (size_t)ncol;
    return CLI_OK;
}

static int conns_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    conns_run *r = ctx;
    int rc = select_fields(r);
    r->sorted = g_sort != NULL;
    eo->conn_done = conn_done;
    eo->ud = r;
    eo->tcp_idle = (sd_ts)(r->idle * 1e9);
    eo->reassemble = r->reasm;
    return rc;
}

static int conns_start(void *ctx, cli_input *in, sd_engine *e)
{
    conns_run *r = ctx;
    r->live = in->live;
    if (r->reasm)
        sd_engine_add(e, &reasm_counter);
    r->service = sd_service_new();
    sd_service_attach(r->service, e);
    begin_output(r);
    return CLI_OK;
}

static int conns_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    end_output(ctx);
    return status;
}

static void conns_free(void *ctx)
{
    conns_run *r = ctx;
    free(r->v);
    sd_filter_free(r->where);
    sd_recout_free(r->w);
    sd_buf_free(&r->out);
    sd_service_free(r->service);
}

static const struct option CONNS_OPTS[] = {
    { "json", no_argument, 0, 'j' },    { "csv", no_argument, 0, 'C' },
    { "fields", required_argument, 0, 'F' }, { "list-fields", no_argument, 0, 'L' },
    { "where", required_argument, 0, 'w' }, { "sort", required_argument, 0, 's' },
    { "limit", required_argument, 0, 'n' }, { "proto", required_argument, 0, 'p' },
    { "host", required_argument, 0, 'H' },  { "port", required_argument, 0, 'o' },
    { "idle-timeout", required_argument, 0, 'T' }, { "reassemble", no_argument, 0, 'R' },
    { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_conns = {
    .name = "conns", .summary = "every connection with its facts (table, JSON lines, CSV)", .help = HELP,
    .shortopts = "jF:w:s:n:R", .longopts = CONNS_OPTS, .ctx_size = sizeof(conns_run), .init = conns_init,
    .opt = conns_opt, .prepare = conns_prepare, .start = conns_start, .finish = conns_finish,
    .free = conns_free,
};
