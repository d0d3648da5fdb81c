#include "cli_opt.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "64M" and the like; -1 if s is not one (or overflows). strtoull alone
 * would take leading blanks, a sign ("-1" wraps to a huge value) and
 * trailing junk, so the first character must be a digit and every
 * character must be used. */
static int parse_size(const char *s, size_t *out)
{
    if (s[0] < '0' || s[0] > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return -1;
    unsigned long long mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    default: break;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || (v && mul > SIZE_MAX / v))
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

int cli_opt_size(const char *cmd, const char *opt, const char *arg, size_t min, size_t max,
                 bool allow_all, size_t *out)
{
    if (allow_all && !strcmp(arg, "all")) {
        *out = SIZE_MAX;
        return 0;
    }
    size_t v;
    if (parse_size(arg, &v) == 0 && v >= min && v <= max) {
        *out = v;
        return 0;
    }
    char range[64];
    if (max == SIZE_MAX)
        snprintf(range, sizeof range, "at least %zu", min);
    else
        snprintf(range, sizeof range, "from %zu to %zu", min, max);
    fprintf(stderr, "strider %s: bad --%s \"%s\": expected a number %s (suffix k, M or G allowed)%s\n",
            cmd, opt, arg, range, allow_all ? " or \"all\"" : "");
    return 2;
}

int cli_opt_overlap(const char *cmd, const char *arg, sd_overlap_policy *out)
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
    fprintf(stderr, "strider %s: bad --overlap \"%s\": first, last, linux, windows or bsd\n", cmd, arg);
    return 2;
}

int cli_opt_conn(const char *cmd, const char *opt, const char *arg, cli_conn_sel *out)
{
    const char *s = arg;
    char *end;
    *out = (cli_conn_sel){ .proto = 6 };
    if (s[0] == 'C' && strlen(s) > 4) {
        out->uid = s;
        return 0;
    }
    if (!strncmp(s, "udp:", 4)) {
        out->proto = 17;
        s += 4;
    } else if (!strncmp(s, "tcp:", 4)) {
        s += 4;
    }
    errno = 0;
    out->id = strtoull(s, &end, 10);
    if (end == s || *end || s[0] == '-' || errno) {
        fprintf(stderr, "strider %s: %s wants a stream number (12, tcp:12, udp:3) or a uid, not \"%s\"\n", cmd,
                opt, arg);
        return 2;
    }
    return 0;
}

bool cli_conn_is(const cli_conn_sel *s, uint8_t proto, uint64_t id, const char *uid)
{
    if (s->uid)
        return strcmp(s->uid, uid) == 0;
    return s->proto == proto && s->id == id;
}

static int frame_no(const char *s, const char *e, uint64_t *out)
{
    *out = 0;
    if (s == e)
        return 0;
    uint64_t v = 0;
    for (const char *p = s; p < e; p++) {
        if (*p < '0' || *p > '9' || v > (UINT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

int cli_opt_frames(const char *cmd, const char *opt, const char *arg, uint64_t *first, uint64_t *last)
{
    const char *sep = strpbrk(arg, ":-");
    if (!sep || frame_no(arg, sep, first) || frame_no(sep + 1, sep + 1 + strlen(sep + 1), last) ||
        (*last && *first > *last)) {
        fprintf(stderr, "strider %s: %s wants a frame range A:B (either may be empty), not \"%s\"\n", cmd, opt,
                arg);
        return 2;
    }
    return 0;
}
