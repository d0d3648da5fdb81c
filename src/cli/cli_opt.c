#include "cli_opt.h"
#include "cli.h"

#include <stdio.h>
#include <string.h>

int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    if (sd_parse_u64(s, min, max, out) == 0)
        return 0;
    cli_errf("strider%s%s: %s wants a whole number from %llu to %llu, not \"%s\"\n", *cmd ? " " : "", cmd,
            opt, (unsigned long long)min, (unsigned long long)max, s);
    return -1;
}

int cli_parse_secs(const char *cmd, const char *opt, const char *s, double min, double max, double *out)
{
    if (sd_parse_secs(s, min, max, out) == 0)
        return 0;
    cli_errf("strider%s%s: %s wants seconds from %g to %g, not \"%s\"\n", *cmd ? " " : "", cmd, opt, min,
            max, s);
    return -1;
}

int cli_opt_size(const char *cmd, const char *opt, const char *arg, size_t min, size_t max,
                 bool allow_all, size_t *out)
{
    if (allow_all && !strcmp(arg, "all")) {
        *out = SIZE_MAX;
        return 0;
    }
    size_t v;
    if (sd_parse_size(arg, &v) == 0 && v >= min && v <= max) {
        *out = v;
        return 0;
    }
    char range[64];
    if (max == SIZE_MAX)
        snprintf(range, sizeof range, "at least %zu", min);
    else
        snprintf(range, sizeof range, "from %zu to %zu", min, max);
    cli_errf("strider %s: bad --%s \"%s\": expected a number %s (suffix k, M or G allowed)%s\n",
            cmd, opt, arg, range, allow_all ? " or \"all\"" : "");
    return 2;
}

static int opt_overlap(const char *cmd, const char *arg, sd_overlap_policy *out)
{
    static const struct {
        const char *name;
        sd_overlap_policy p;
    } P[] = { { "first", SD_OVERLAP_FIRST }, { "last", SD_OVERLAP_LAST }, { "linux", SD_OVERLAP_LINUX },
              { "windows", SD_OVERLAP_WINDOWS }, { "bsd", SD_OVERLAP_BSD } };
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (!strcmp(arg, P[i].name)) {
            *out = P[i].p;
            return 0;
        }
    cli_errf("strider %s: bad --overlap \"%s\": first, last, linux, windows or bsd\n", cmd, arg);
    return 2;
}

static int opt_urgent(const char *cmd, const char *arg, bool *oob)
{
    if (strcmp(arg, "oob") && strcmp(arg, "inline")) {
        cli_errf("strider %s: bad --urgent \"%s\": oob or inline\n", cmd, arg);
        return 2;
    }
    *oob = !strcmp(arg, "oob");
    return 0;
}

void cli_reasm_init(cli_reasm *r)
{
    r->budget.cap = (size_t)1 << 30;
    r->ro = (sd_reasm_opts){ .policy = SD_OVERLAP_FIRST, .budget = &r->budget };
}

int cli_opt_reasm(const char *cmd, cli_reasm *r, int o, const char *arg)
{
    switch (o) {
    case CLI_OPT_OVERLAP: return opt_overlap(cmd, arg, &r->ro.policy);
    case CLI_OPT_SCAP: return cli_opt_size(cmd, "stream-cap", arg, 1, SIZE_MAX, false, &r->ro.stream_cap);
    case CLI_OPT_MEMCAP: return cli_opt_size(cmd, "memcap", arg, 1, SIZE_MAX, false, &r->budget.cap);
    case CLI_OPT_URGENT: return opt_urgent(cmd, arg, &r->ro.urgent_oob);
    case CLI_OPT_HCAP: return cli_opt_size(cmd, "overlap-memcap", arg, 1, SIZE_MAX, false, &r->ro.hist_cap);
    default: return -1;
    }
}

int cli_opt_conn(const char *cmd, const char *opt, const char *arg, sd_connsel *out)
{
    if (sd_connsel_parse(arg, out) == 0)
        return 0;
    cli_errf("strider %s: %s wants a stream number (12, tcp:12, udp:3) or a uid, not \"%s\"\n", cmd, opt,
            arg);
    return 2;
}

void cli_deprecated(const char *cmd, const char *old, const char *now)
{
    fprintf(stderr, "strider %s: %s is deprecated, use %s\n", cmd, old, now);
}

int cli_opt_frames(const char *cmd, const char *opt, const char *arg, uint64_t *first, uint64_t *last)
{
    if (sd_parse_frames(arg, first, last) == 0) {
        if (strchr(arg, ':'))
            cli_deprecated(cmd, "a frame range A:B", "A-B");
        return 0;
    }
    cli_errf("strider %s: %s wants a frame range A-B (either may be empty), not \"%s\"\n", cmd, opt, arg);
    return 2;
}
