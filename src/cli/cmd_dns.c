/* strider dns: every DNS transaction (Zeek dns.log names) and the DNS
 * indicators across the capture. The wiring only: src/analyze/sd_dnsan
 * decodes and pairs, sd_dnsind aggregates, src/out/sd_dns_out writes. */
#include "../analyze/sd_dnsind.h"
#include "../out/sd_dns_out.h"
#include "../out/sd_runlog.h"
#include "cli_cmd.h"

static const char HELP[] =
    "usage: strider dns [options] FILE...\n"
    "Every DNS transaction over UDP (ports 53, 5353, 5355) and TCP (53): query,\n"
    "type, response code, flags, answers, TTLs, round trip, frames and a\n"
    "Wireshark filter; then the indicators across the capture: very low TTLs,\n"
    "fast flux, NXDOMAIN-heavy clients, long or random-looking names.\n\n"
    "  -j, --json           JSON lines (\"type\":\"dns\", then \"type\":\"event\")\n"
    "      --csv            CSV with a header line (then the events' CSV)\n"
    "  -F, --fields LIST    columns to show (comma-separated; see --list-fields)\n"
    "      --list-fields    list every field with its meaning\n" CLI_COMMON_HELP;

typedef struct dns_cmd {
    sd_rec_fmt fmt;
    const char *fields;
    sd_dns_out *w;
    sd_dnsind *ind;
    sd_dnsan *an;
    sd_buf out;
    bool live;
} dns_cmd;

static void on_txn(void *ud, const sd_dns_txn *t)
{
    dns_cmd *r = ud;
    sd_dnsind_txn(r->ind, t);
    sd_dns_out_txn(r->w, &r->out, t);
    if (r->live)
        cli_flush_now(&r->out);
    else if (r->out.len > 65536)
        cli_flush(&r->out);
}

static int dns_opt(void *ctx, int o, const char *arg)
{
    dns_cmd *r = ctx;
    switch (o) {
    case 'j': r->fmt = SD_REC_JSON; return CLI_OK;
    case 'C': r->fmt = SD_REC_CSV; return CLI_OK;
    case 'F': r->fields = arg; return CLI_OK;
    case 'L': sd_dns_out_list_fields(stdout); return CLI_DONE;
    default: return cli_usage_error("dns", "bad option");
    }
}

static int dns_prepare(void *ctx, cli_input *in, sd_engine_opts *eo)
{
    dns_cmd *r = ctx;
    char err[256];
    if (!(r->w = sd_dns_out_new(r->fmt, r->fields, err, sizeof err)))
        return cli_usage_error("dns", "%s", err);
    eo->reassemble = true; /* DNS over TCP; only port-53 connections are claimed */
    return CLI_OK;
}

static int dns_start(void *ctx, cli_input *in, sd_engine *e)
{
    dns_cmd *r = ctx;
    r->live = in->live;
    r->ind = sd_dnsind_new();
    sd_dnsan_opts o = { .txn = on_txn, .ud = r };
    r->an = sd_dnsan_new(&o);
    sd_dnsan_attach(r->an, e);
    sd_dns_out_begin(r->w, &r->out, r->live);
    return CLI_OK;
}

static int dns_finish(void *ctx, cli_input *in, sd_engine *e, int status)
{
    dns_cmd *r = ctx;
    const sd_dnsind_result *res = sd_dnsind_finish(r->ind);
    sd_dns_out_end(r->w, &r->out, res);
    cli_flush_now(&r->out);
    sd_runlog_dns(stderr, "dns", res, sd_dnsan_stats_get(r->an));
    return status;
}

static void dns_free(void *ctx)
{
    dns_cmd *r = ctx;
    sd_dns_out_free(r->w);
    sd_dnsind_free(r->ind);
    sd_dnsan_free(r->an);
    sd_buf_free(&r->out);
}

static const struct option DNS_OPTS[] = {
    { "json", no_argument, 0, 'j' },         { "csv", no_argument, 0, 'C' },
    { "fields", required_argument, 0, 'F' }, { "list-fields", no_argument, 0, 'L' },
    { 0, 0, 0, 0 },
};

const cli_cmd cli_cmd_dns = {
    .name = "dns", .summary = "DNS transactions and indicators (low TTLs, fast flux, DGA, tunnels)",
    .help = HELP, .shortopts = "jF:", .longopts = DNS_OPTS, .ctx_size = sizeof(dns_cmd), .opt = dns_opt,
    .prepare = dns_prepare, .start = dns_start, .finish = dns_finish, .free = dns_free,
};
