/* strider summary: the first look an analyst takes at a capture (SANS ISC
 * "Packet Analysis - Where do you start?"): what protocols, who talks most,
 * which ports, odd TTLs and IP-IDs per host, unanswered SYNs, resets,
 * source port and ISN patterns per client, files in the payload; or, with
 * --host, everything about one address or network.
 * The wiring only: src/analyze/sd_summary computes, src/out/sd_summary_out
 * writes. */
#include "../analyze/sd_summary.h"
#include "../out/sd_merge_sum.h"
#include "../out/sd_runlog.h"
#include "../out/sd_summary_out.h"
#include "cli_cmd.h"


enum { OPT_MAX_HOSTS = 0x2001, OPT_HOST, OPT_AFTER, OPT_NO_FILES, OPT_MAX_HOST_CONNS };

static const char HELP[] =
    "usage: strider summary [options] FILE...\n"
    "An analyst's first look: packets, bytes, time span, protocols, top talkers\n"
    "and ports, TTL and IP-ID behaviour per host, unanswered SYNs, resets, the\n"
    "source port and ISN pattern of each client (constant, incremental, random;\n"
    "those that stand out first), the files seen in TCP payload (PE, ELF, ZIP,\n"
    "scripts...: signatures only, nothing written), services by content on any\n"
    "port (HTTP hosts, TLS server names, services off their usual port), and DNS:\n"
    "transactions, response codes, the most queried names and the indicators\n"
    "(very low TTLs, fast flux, NXDOMAIN-heavy clients, long or random names;\n"
    "`strider dns` lists every transaction).\n"
    "Over rotated files, --jobs N runs N processes with one run's report, and a\n"
    "run with --own FIRST:LAST writes one chunk's partial aggregates (JSON lines\n"
    "whatever the format: the report's, --json or not, is the one `strider merge`\n"
    "writes from them; strider(1), SEVERAL PROCESSES); not with --host.\n\n"
    "  -j, --json           JSON lines, one object per fact\n"
    "      --host ADDR|CIDR only this address or network: every connection with\n"
    "                       it (uid, stream, ends, service, times, bytes each way,\n"
    "                       state), its first and last time, what it opened soon\n"
    "                       after its first contact, the files on its connections\n"
    "      --after SECS     \"soon after\" for --host (default 60)\n"
    "      --max-host-conns N  connections listed for --host (default 100000; the\n"
    "                       earliest kept, the rest counted)\n"
    "      --no-files       no file signatures (TCP reassembled for DNS only: faster)\n"
    "      --max-hosts N    most source hosts tracked (default 1000000); hosts past\n"
    "                       it are counted in the totals only, and their number is\n"
    "                       shown in the summary and on stderr\n" CLI_COMMON_HELP;

typedef struct sum_cmd {
    bool json, no_files;
    uint64_t max_hosts, max_host_conns;
    double after;
    sd_summary_opts so;
    sd_summary *s;
    sd_buf txns;          /* with --own: the DNS transactions, for strider merge */
} sum_cmd;

static void report(const sd_summary_result *r, const sd_engine_stats *st, bool json)
{
    sd_buf b = { 0 };
    sd_summary_report(&b, r, st, json, cli_flush);
    cli_flush(&b);
    sd_buf_free(&b);
    sd_runlog_summary(stderr, r);
    sd_runlog_dns(stderr, "summary", r->dns, r->dns_stats);
}

static void sum_init(void *ctx)
{
    sum_cmd *r = ctx;
    r->max_hosts = SD_HOSTSTATS_MAX_HOSTS;
    r->max_host_conns = SD_HOSTSUM_MAX_CONNS;
    r->after = (double)SD_HOSTSUM_AFTER_DEFAULT / SD_NS_PER_SEC;
}

static int host_opt(sum_cmd *r, const char *arg)
{
    char err[160];
    if (sd_prefix_parse(arg, &r->so.host.host, err, sizeof err)) {
        cli_errf("strider summary: --host: %s\n", err);
        return 2;
    }
    r->so.host_set = true;
    return CLI_OK;
}

static int sum_opt(void *ctx, int o, const char *arg)
{
    sum_cmd *r = ctx;
    switch (o) {
    case 'j': r->json = true; return CLI_OK;
    case OPT_MAX_HOSTS: return cli_parse_u64("summary", "--max-hosts", arg, 1, 1000000000, &r->max_hosts) ? 2 : CLI_OK;
    case OPT_HOST: return host_opt(r, arg);
    case OPT_AFTER: return cli_parse_secs("summary", "--after", arg, 0.001, 1e9, &r->after) ? 2 : CLI_OK;
    case OPT_MAX_HOST_CONNS:
        return cli_parse_u64("summary", "--max-host-conns", arg, 1, 100000000, &r->max_host_conns) ? 2 : CLI_OK;
    case OPT_NO_FILES: r->no_files = true; return CLI_OK;
    default: return cli_usage_error("summary", "bad option");
    }
}

static int sum_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    sum_cmd *r = ctx;
    r->so.max_hosts = (size_t)r->max_hosts;
    r->so.all_hosts = r->json;
    r->so.files = !r->no_files;
    r->so.host.after = (sd_ts)(r->after * SD_NS_PER_SEC);
    r->so.host.max_conns = (size_t)r->max_host_conns;
    r->so.own_txn = sd_merge_sum_txn; /* used with --own only */
    r->so.own_ud = &r->txns;
    r->s = sd_summary_new(&r->so);
    sd_summary_prepare(r->s, eo);
    return CLI_OK;
}

static int sum_start(void *ctx, cli_input *in, sd_engine *e)
{
    sd_summary_attach(((sum_cmd *)ctx)->s, e);
    return CLI_OK;
}

static int sum_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    sum_cmd *r = ctx;
    if (sd_engine_own(e)) { /* a chunk of a file list: its partial aggregates, for strider merge */
        sd_buf b = { 0 };
        sd_merge_sum_chunk(&b, r->s, sd_engine_chunk_stats(e), &r->so, r->json);
        cli_flush(&b);
        cli_flush(&r->txns);
        sd_buf_free(&b);
        return status;
    }
    report(sd_summary_finish(r->s), sd_engine_get_stats(e), r->json);
    return status;
}

static void sum_free(void *ctx)
{
    sd_summary_free(((sum_cmd *)ctx)->s);
    sd_buf_free(&((sum_cmd *)ctx)->txns);
}

static const struct option SUM_OPTS[] = {
    { "json", no_argument, 0, 'j' },
    { "max-hosts", required_argument, 0, OPT_MAX_HOSTS },
    { "host", required_argument, 0, OPT_HOST },
    { "after", required_argument, 0, OPT_AFTER },
    { "max-host-conns", required_argument, 0, OPT_MAX_HOST_CONNS },
    { "no-files", no_argument, 0, OPT_NO_FILES },
    { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_summary = {
    .name = "summary", .summary = "an analyst's first look at a capture", .help = HELP,
    .shortopts = "j", .longopts = SUM_OPTS, .ctx_size = sizeof(sum_cmd), .init = sum_init,
    .opt = sum_opt, .prepare = sum_prepare, .start = sum_start, .finish = sum_finish, .free = sum_free,
};
