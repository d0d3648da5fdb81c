/* strider summary: the first look an analyst takes at a capture (SANS ISC
 * "Packet Analysis - Where do you start?"): what protocols, who talks most,
 * which ports, odd TTLs and IP-IDs per host, unanswered SYNs, resets.
 * The wiring only: src/analyze/sd_hoststats computes, src/out/sd_summary_out
 * writes. */
#include "../analyze/sd_hoststats.h"
#include "../out/sd_summary_out.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_MAX_HOSTS = 0x2001 };

static const char HELP[] =
    "usage: strider summary [options] FILE...\n"
    "An analyst's first look: packets, bytes, time span, protocols, top talkers\n"
    "and ports, TTL and IP-ID behaviour per host, unanswered SYNs, resets.\n\n"
    "  -j, --json           JSON lines, one object per fact\n"
    "      --max-hosts N    most source hosts tracked (default 1000000); hosts past\n"
    "                       it are counted in the totals only, and their number is\n"
    "                       shown in the summary and on stderr\n" CLI_COMMON_HELP;

/* Every cap that cut something is said once, whatever --quiet says (as cli_run
 * does for evictions). */
static void report(const sd_hoststats_result *r, const sd_engine_stats *st, bool json)
{
    sd_buf b = { 0 };
    if (json)
        sd_summary_json(&b, r, st, cli_flush);
    else
        sd_summary_text(&b, r, st, cli_flush);
    cli_flush(&b);
    sd_buf_free(&b);
    if (r->refused_pkts)
        fprintf(stderr, "strider summary: the host table was full (--max-hosts %llu): about %llu host(s) "
                        "not tracked (%llu packets), counted in the totals only\n",
                (unsigned long long)r->max_hosts, (unsigned long long)r->hosts_refused,
                (unsigned long long)r->refused_pkts);
}

int cmd_summary(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, { "json", no_argument, 0, 'j' }, { "max-hosts", required_argument, 0, OPT_MAX_HOSTS },
        { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    bool json = false;
    uint64_t max_hosts = SD_HOSTSTATS_MAX_HOSTS;
    int rc = 2, o;
    optind = 1;
    while ((o = getopt_long(argc, argv, CLI_COMMON_SHORT "j", opts, NULL)) != -1) {
        int common = cli_common_opt(&in, o, optarg);
        if (common < 0)
            goto out;
        if (common)
            continue;
        switch (o) {
        case 'h': fputs(HELP, stdout); rc = 0; goto out;
        case 'j': json = true; break;
        case OPT_MAX_HOSTS:
            if (cli_parse_u64("summary", "--max-hosts", optarg, 1, 1000000000, &max_hosts)) goto out;
            break;
        default: rc = cli_usage_error("summary", "bad option"); goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        cli_add_file(&in, argv[i]);
    sd_capture *cap = cli_open(&in);
    if (!cap) { rc = 1; goto out; }
    sd_hoststats_opts ho = { .max_hosts = (size_t)max_hosts, .all_hosts = json };
    sd_hoststats *hs = sd_hoststats_new(&ho);
    sd_engine_opts eo = { .diag = &in.diag, .packet_seen = sd_hoststats_packet,
                          .conn_done = sd_hoststats_conn, .ud = hs };
    sd_engine *e = cli_engine(&in, &eo);
    cli_run(&in, e, cap);
    report(sd_hoststats_finish(hs), sd_engine_get_stats(e), json);
    rc = cli_status(&in, cap);
    sd_engine_free(e);
    sd_capture_close(cap);
    sd_hoststats_free(hs);
out:
    cli_input_free(&in);
    return rc;
}
