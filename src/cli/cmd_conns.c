/* strider conns: every connection with its facts, as a table, JSON lines
 * (Zeek conn.log names) or CSV, filtered and sorted by any field. */
#include "../out/sd_connfields.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLS 96

typedef struct conns_run {
    sd_conn *v;
    size_t n, cap;
    sd_filter *where;
    const char *proto;
    sd_addr host;
    bool has_host;
    long port;
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
    "  -s, --sort FIELD     sort by FIELD (append :desc for descending);\n"
    "                       default: order of first packet\n"
    "  -n, --limit N        at most N connections\n"
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

static void conn_done(void *ud, const sd_conn *c)
{
    conns_run *r = ud;
    if (!keep(r, c))
        return;
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

static void print_text(const conns_run *r, const sd_field **sel, size_t ncol)
{
    size_t rows = r->n + 1;
    char **cells = sd_calloc(rows * ncol, sizeof *cells);
    bool right[MAX_COLS];
    for (size_t c = 0; c < ncol; c++) {
        cells[c] = sd_strdup(sel[c]->name);
        right[c] = false;
    }
    for (size_t i = 0; i < r->n; i++)
        for (size_t c = 0; c < ncol; c++) {
            sd_fval v = { 0 };
            char t[128];
            sel[c]->get(&r->v[i], &v);
            sd_fval_text(&v, t, sizeof t);
            if (v.t == SD_FV_U64 || v.t == SD_FV_F64 || v.t == SD_FV_I64)
                right[c] = true;
            cells[(i + 1) * ncol + c] = sd_strdup(t);
        }
    cli_table(stdout, cells, rows, ncol, right);
    for (size_t i = 0; i < rows * ncol; i++)
        free(cells[i]);
    free(cells);
}

static void print_rows(const conns_run *r, cli_format fmt, const sd_field **sel, size_t ncol)
{
    sd_buf b = { 0 };
    if (fmt == CLI_TEXT) {
        print_text(r, sel, ncol);
        return;
    }
    if (fmt == CLI_CSV)
        sd_fields_csv_header(&b, sel, ncol);
    for (size_t i = 0; i < r->n; i++) {
        if (fmt == CLI_CSV) {
            sd_fields_csv(&b, sel, ncol, &r->v[i]);
        } else {
            sd_json j;
            sd_json_begin(&j, &b);
            sd_json_str(&j, "type", "conn");
            sd_fields_json(&j, sel, ncol, &r->v[i]);
            sd_json_end(&j);
        }
        if (b.len > 65536)
            cli_flush(&b);
    }
    cli_flush(&b);
    sd_buf_free(&b);
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

int cmd_conns(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS,
        { "json", no_argument, 0, 'j' },    { "csv", no_argument, 0, 'C' },
        { "fields", required_argument, 0, 'F' }, { "list-fields", no_argument, 0, 'L' },
        { "where", required_argument, 0, 'w' }, { "sort", required_argument, 0, 's' },
        { "limit", required_argument, 0, 'n' }, { "proto", required_argument, 0, 'p' },
        { "host", required_argument, 0, 'H' },  { "port", required_argument, 0, 'o' },
        { "idle-timeout", required_argument, 0, 'T' }, { "reassemble", no_argument, 0, 'R' },
        { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    conns_run r = { .port = -1 };
    cli_format fmt = CLI_TEXT;
    const char *fields = NULL;
    long limit = -1;
    double idle = 0;
    char err[256];
    int rc = 2, o;
    g_sort = NULL;
    optind = 1;
    bool reasm = false;
    while ((o = getopt_long(argc, argv, CLI_COMMON_SHORT "jF:w:s:n:R", opts, NULL)) != -1) {
        if (cli_common_opt(&in, o, optarg))
            continue;
        switch (o) {
        case 'h': fputs(HELP, stdout); rc = 0; goto out;
        case 'j': fmt = CLI_JSON; break;
        case 'C': fmt = CLI_CSV; break;
        case 'F': fields = optarg; break;
        case 'L': list_fields(); rc = 0; goto out;
        case 'w':
            sd_filter_free(r.where);
            r.where = sd_filter_parse(&sd_conn_fields, optarg, err, sizeof err);
            if (!r.where) { rc = cli_usage_error("conns", "%s", err); goto out; }
            break;
        case 's':
            if (set_sort(optarg)) { rc = cli_usage_error("conns", "unknown sort field \"%s\"", optarg); goto out; }
            break;
        case 'n': limit = atol(optarg); break;
        case 'p': r.proto = optarg; break;
        case 'H':
            if (sd_addr_parse(optarg, &r.host)) { rc = cli_usage_error("conns", "bad address \"%s\"", optarg); goto out; }
            r.has_host = true;
            break;
        case 'o': r.port = atol(optarg); break;
        case 'T': idle = atof(optarg); break;
        case 'R': reasm = true; break;
        default: rc = cli_usage_error("conns", "bad option"); goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        cli_add_file(&in, argv[i]);
    const sd_field *sel[MAX_COLS];
    int ncol;
    if (fields || fmt == CLI_TEXT) {
        ncol = sd_fields_select(&sd_conn_fields, fields ? fields : sd_conn_text_default, sel, MAX_COLS,
                                err, sizeof err);
        if (ncol < 0) { rc = cli_usage_error("conns", "%s", err); goto out; }
    } else { /* every field; the optional ones (reassembly's) only with -R */
        ncol = 0;
        for (size_t i = 0; i < sd_conn_fields.n && ncol < MAX_COLS; i++)
            if (reasm || !sd_conn_fields.f[i].optional)
                sel[ncol++] = &sd_conn_fields.f[i];
    }
    sd_capture *cap = cli_open(&in);
    if (!cap) { rc = 1; goto out; }
    sd_engine_opts eo = { .diag = &in.diag, .conn_done = conn_done, .ud = &r,
                          .tcp_idle = (sd_ts)(idle * 1e9), .reassemble = reasm };
    sd_engine *e = sd_engine_new(&eo);
    if (reasm)
        sd_engine_add(e, &reasm_counter);
    cli_run(&in, e, cap);
    if (r.n > 1)
        qsort(r.v, r.n, sizeof *r.v, cmp_conn);
    if (limit >= 0 && (size_t)limit < r.n)
        r.n = (size_t)limit;
    print_rows(&r, fmt, sel, (size_t)ncol);
    rc = cli_status(&in, cap);
    sd_engine_free(e);
    sd_capture_close(cap);
out:
    free(r.v);
    sd_filter_free(r.where);
    cli_input_free(&in);
    return rc;
}
