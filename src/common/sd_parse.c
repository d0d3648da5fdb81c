/* sd_parse: values typed by an analyst (see sd_parse.h). */
#include "sd_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int sd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*s < '0' || *s > '9' || *end || errno || v < min || v > max) /* no blank, no sign */
        return -1;
    *out = v;
    return 0;
}

int sd_parse_secs(const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= min && v <= max))
        return -1;
    *out = v;
    return 0;
}

/* strtoull alone would take leading blanks, a sign ("-1" wraps to a huge
 * value) and trailing junk, so the first character must be a digit and
 * every character must be used. */
int sd_parse_size(const char *s, size_t *out)
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

int sd_parse_frames(const char *s, uint64_t *first, uint64_t *last)
{
    const char *sep = strpbrk(s, ":-");
    if (!sep || frame_no(s, sep, first) || frame_no(sep + 1, sep + 1 + strlen(sep + 1), last) ||
        (*last && *first > *last))
        return -1;
    return 0;
}

int sd_parse_cidr(const char *s, sd_addr *net, unsigned *plen)
{
    char buf[SD_ADDR_STRLEN];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (sd_addr_parse(buf, net))
        return -1;
    uint64_t max = net->fam == 4 ? 32 : 128, v = max;
    if (slash && sd_parse_u64(slash + 1, 0, max, &v))
        return -1;
    *plen = (unsigned)v;
    return 0;
}

bool sd_addr_in_net(const sd_addr *a, const sd_addr *net, unsigned plen)
{
    if (a->fam != net->fam || plen > (a->fam == 4 ? 32u : 128u))
        return false;
    unsigned full = plen / 8, rest = plen % 8;
    if (memcmp(a->a, net->a, full))
        return false;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return !rest || (a->a[full] & mask) == (net->a[full] & mask);
}

int sd_connsel_parse(const char *s, sd_connsel *out)
{
    char *end;
    *out = (sd_connsel){ .proto = 6 };
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
    return end == s || *end || s[0] == '-' || errno ? -1 : 0;
}

bool sd_connsel_is(const sd_connsel *s, uint8_t proto, uint64_t id, const char *uid)
{
    if (s->uid)
        return strcmp(s->uid, uid) == 0;
    return s->proto == proto && s->id == id;
}
