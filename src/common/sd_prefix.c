#include "sd_prefix.h"

#include <stdlib.h>
#include <string.h>

static unsigned max_len(const sd_addr *a)
{
    return a->fam == 4 ? 32 : 128;
}

/* Whether a's bits from len on are all zero. */
static bool tail_zero(const sd_addr *a, unsigned len)
{
    for (unsigned bit = len; bit < max_len(a); bit++)
        if (a->a[bit / 8] & (0x80u >> (bit % 8)))
            return false;
    return true;
}

static int parse_len(const char *s, unsigned max, unsigned *out)
{
    if (!*s || strlen(s) > 3)
        return -1;
    unsigned v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (unsigned)(*s - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

int sd_prefix_parse(const char *s, sd_prefix *out, char *err, size_t errlen)
{
    char addr[64];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    memset(out, 0, sizeof *out);
    if (alen >= sizeof addr)
        goto bad_addr;
    memcpy(addr, s, alen);
    addr[alen] = '\0';
    if (sd_addr_parse(addr, &out->net))
        goto bad_addr;
    unsigned len = max_len(&out->net);
    if (slash && parse_len(slash + 1, max_len(&out->net), &len)) {
        snprintf(err, errlen, "bad prefix length in \"%s\" (0..%u)", s, max_len(&out->net));
        return -1;
    }
    if (!tail_zero(&out->net, len)) {
        snprintf(err, errlen, "\"%s\" has bits set past its /%u prefix", s, len);
        return -1;
    }
    out->len = (uint8_t)len;
    return 0;
bad_addr:
    snprintf(err, errlen, "\"%s\" is not an IPv4 or IPv6 address or CIDR network", s);
    return -1;
}

bool sd_prefix_match(const sd_prefix *p, const sd_addr *a)
{
    if (a->fam != p->net.fam)
        return false;
    unsigned full = p->len / 8, rest = p->len % 8;
    if (memcmp(a->a, p->net.a, full))
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8 - rest));
    return (a->a[full] & mask) == p->net.a[full];
}

char *sd_prefix_str(const sd_prefix *p, char *buf, size_t len)
{
    char a[SD_ADDR_STRLEN];
    sd_addr_str(&p->net, a, sizeof a);
    if (p->len == max_len(&p->net))
        snprintf(buf, len, "%s", a);
    else
        snprintf(buf, len, "%s/%u", a, p->len);
    return buf;
}
