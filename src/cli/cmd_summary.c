/* strider summary: the first look an analyst takes at a capture (SANS ISC
 * "Packet Analysis - Where do you start?"): what protocols, who talks most,
 * which ports, odd TTLs and IP-IDs per host, unanswered SYNs, resets.
 * The wiring only: src/analyze/sd_hoststats computes, src/out/sd_summary_out
 * writes. */
#include "../analyze/sd_dnsind.h"
#include "../analyze/sd_hoststats.h"
#include "../analyze/sd_service.h"
#include "../analyze/sd_svcstats.h"
#include "../out/sd_dns_out.h"
#include "../out/sd_svcsum_out.h"
#include "../out/sd_runlog.h"
#include "../out/sd_summary_out.h"
#include "cli_cmd.h"


enum { OPT_MAX_HOSTS = 0x2001 };

static const char HELP[] =
    "usage: strider summary [options] FILE...\n"
    "An analyst's first look: packets, bytes, time span, protocols, top talkers\n"
    "and ports, TTL and IP-ID behaviour per host, unanswered SYNs, resets; DNS:\n"
    "services by content on any port (HTTP hosts, TLS server names, services off\n"
    "their usual port); DNS: transactions, response codes, the most queried names and the indicators\n"
    "(very low TTLs, fast flux, NXDOMAIN-heavy clients, long or random names;\n"
    "`strider dns` lists every transaction).\n\n"
    "  -j, --json           JSON lines, one object per fact\n"
    "      --max-hosts N    most source hosts tracked (default 1000000); hosts past\n"
    "                       it are counted in the totals only, and their number is\n"
    "                       shown in the summary and on stderr\n" CLI_COMMON_HELP;

typedef struct sum_cmd {
    bool json;
    uint64_t max_hosts;
    sd_hoststats *hs;
    sd_dnsan *dns;
    sd_dnsind *dnsind;
    sd_service *service;   /* services by content, any port */
    sd_svcstats *svc;
} sum_cmd;

static void report(sum_cmd *c, const sd_hoststats_result *r, const sd_engine_stats *st)
{
    sd_buf b = { 0 };
    const sd_dnsind_result *dr = sd_dnsind_finish(c->dnsind);
    const sd_svcstats_result *sr = sd_svcstats_finish(c->svc);
    if (c->json) {
        sd_summary_json(&b, r, st, cli_flush);
        sd_svcsum_json(&b, sr);
        sd_dns_summary_json(&b, dr, sd_dnsan_stats_get(c->dns));
    } else {
        sd_summary_text(&b, r, st, cli_flush);
        sd_svcsum_text(&b, sr);
        sd_dns_summary_text(&b, dr, sd_dnsan_stats_get(c->dns));
    }
    cli_flush(&b);
    sd_buf_free(&b);
    sd_runlog_hosts(stderr, r);
    sd_runlog_dns(stderr, "summary", dr, sd_dnsan_stats_get(c->dns));
}

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

static void sum_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    sd_hoststats_packet(((sum_cmd *)ud)->hs, c, p, dir, ta);
}

static void sum_conn(void *ud, const sd_conn *c)
{
    sd_hoststats_conn(((sum_cmd *)ud)->hs, c);
    sd_svcstats_conn(((sum_cmd *)ud)->svc, c);
}

static int sum_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    sum_cmd *r = ctx;
    sd_hoststats_opts ho = { .max_hosts = (size_t)r->max_hosts, .all_hosts = r->json };
    r->hs = sd_hoststats_new(&ho);
    r->svc = sd_svcstats_new();
    eo->packet_seen = sum_packet;
    eo->conn_done = sum_conn;
    eo->ud = r;
    eo->reassemble = true; /* DNS over TCP: only port-53 connections are claimed */
    return CLI_OK;
}

static int sum_start(void *ctx, cli_input *in, sd_engine *e)
{
    sum_cmd *r = ctx;
    r->dnsind = sd_dnsind_new();
    sd_dnsan_opts o = { .txn = sd_dnsind_txn, .ud = r->dnsind };
    r->dns = sd_dnsan_new(&o);
    sd_dnsan_attach(r->dns, e);
    r->service = sd_service_new();
    sd_service_attach(r->service, e);
    return CLI_OK;
}

static int sum_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    sum_cmd *r = ctx;
    report(r, sd_hoststats_finish(r->hs), sd_engine_get_stats(e));
    return status;
}

static void sum_free(void *ctx)
{
    sum_cmd *r = ctx;
    sd_hoststats_free(r->hs);
    sd_dnsan_free(r->dns);
    sd_dnsind_free(r->dnsind);
    sd_service_free(r->service);
    sd_svcstats_free(r->svc);
}

static const struct option SUM_OPTS[] = {
    { "json", no_argument, 0, 'j' }, { "max-hosts", required_argument, 0, OPT_MAX_HOSTS }, { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_summary = {
    .name = "summary", .summary = "an analyst's first look at a capture", .help = HELP,
    .shortopts = "j", .longopts = SUM_OPTS, .ctx_size = sizeof(sum_cmd), .init = sum_init,
    .opt = sum_opt, .prepare = sum_prepare, .start = sum_start, .finish = sum_finish, .free = sum_free,
};
