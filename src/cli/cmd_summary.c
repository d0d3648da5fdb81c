/* strider summary: the first look an analyst takes at a capture (SANS ISC
 * "Packet Analysis - Where do you start?"): what protocols, who talks most,
 * which ports, odd TTLs and IP-IDs per host, unanswered SYNs, resets.
 * The wiring only: src/analyze/sd_hoststats computes, src/out/sd_summary_out
 * writes. */
#include "../analyze/sd_hoststats.h"
#include "../out/sd_runlog.h"
#include "../out/sd_summary_out.h"
#include "cli_cmd.h"


enum { OPT_MAX_HOSTS = 0x2001 };

static const char HELP[] =
    "usage: strider summary [options] FILE...\n"
    "An analyst's first look: packets, bytes, time span, protocols, top talkers\n"
    "and ports, TTL and IP-ID behaviour per host, unanswered SYNs, resets.\n\n"
    "  -j, --json           JSON lines, one object per fact\n"
    "      --max-hosts N    most source hosts tracked (default 1000000); hosts past\n"
    "                       it are counted in the totals only, and their number is\n"
    "                       shown in the summary and on stderr\n" CLI_COMMON_HELP;

static void report(const sd_hoststats_result *r, const sd_engine_stats *st, bool json)
{
    sd_buf b = { 0 };
    if (json)
        sd_summary_json(&b, r, st, cli_flush);
    else
        sd_summary_text(&b, r, st, cli_flush);
    cli_flush(&b);
    sd_buf_free(&b);
    sd_runlog_hosts(stderr, r);
}

typedef struct sum_cmd {
    bool json;
    uint64_t max_hosts;
    sd_hoststats *hs;
} sum_cmd;

static void sum_init(void *ctx)
{
    ((sum_cmd *)ctx)->max_hosts = SD_HOSTSTATS_MAX_HOSTS;
}

static int sum_opt(void *ctx, int o, const char *arg)
{
    sum_cmd *r = ctx;
    switch (o) {
    case 'j': r->json = true; return CLI_OK;
    case OPT_MAX_HOSTS: return cli_parse_u64("summary", "--max-hosts", arg, 1, 1000000000, &r->max_hosts) ? 2 : CLI_OK;
    default: return cli_usage_error("summary", "bad option");
    }
}

static int sum_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    sum_cmd *r = ctx;
    sd_hoststats_opts ho = { .max_hosts = (size_t)r->max_hosts, .all_hosts = r->json };
    r->hs = sd_hoststats_new(&ho);
    eo->packet_seen = sd_hoststats_packet;
    eo->conn_done = sd_hoststats_conn;
    eo->ud = r->hs;
    return CLI_OK;
}

static int sum_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    sum_cmd *r = ctx;
    report(sd_hoststats_finish(r->hs), sd_engine_get_stats(e), r->json);
    return status;
}

static void sum_free(void *ctx)
{
    sd_hoststats_free(((sum_cmd *)ctx)->hs);
}

static const struct option SUM_OPTS[] = {
    { "json", no_argument, 0, 'j' }, { "max-hosts", required_argument, 0, OPT_MAX_HOSTS }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_summary = {
    .name = "summary", .summary = "an analyst's first look at a capture", .help = HELP,
    .shortopts = "j", .longopts = SUM_OPTS, .ctx_size = sizeof(sum_cmd), .init = sum_init,
    .opt = sum_opt, .prepare = sum_prepare, .finish = sum_finish, .free = sum_free,
};
