#include "sd_svcinfo.h"

#include "../common/sd_cursor.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* JA4 lists: more than a real ClientHello carries (Chrome: 16 suites, 18
 * extensions, 8 signature algorithms); past them no JA4 is given. */
#define HELLO_MAX_SUITES 128
#define HELLO_MAX_EXTS 64
#define HELLO_MAX_SIGALGS 64

/* Copies p[0..n) into out as printable text (other bytes as \xHH, "%02x");
 * a cut value ends in "...". Without printf: every connection's HTTP
 * request or ClientHello comes through here, a call per byte was a fifth
 * of conns' analysis thread on the bench capture. */
static void put_text(char *out, size_t len, const uint8_t *p, size_t n)
{
    size_t o = 0, i = 0;
    for (; i < n; i++) {
        bool plain = p[i] > 0x20 && p[i] < 0x7f;
        size_t w = plain ? 1 : 4;
        if (o + w + 4 > len) /* room for "..." and the NUL */
            break;
        if (plain) {
            out[o] = (char)p[i];
        } else {
            out[o] = '\\';
            out[o + 1] = 'x';
            out[o + 2] = sd_hex_digits[p[i] >> 4];
            out[o + 3] = sd_hex_digits[p[i] & 15];
        }
        o += w;
    }
    if (i < n)
        memcpy(out + o, "...", 3), o += 3;
    out[o] = '\0';
}

/* The length of the token at p[0..n) ending at a space, CR or LF. */
static size_t token(const uint8_t *p, size_t n)
{
    size_t k = 0;
    while (k < n && p[k] != ' ' && p[k] != '\r' && p[k] != '\n')
        k++;
    return k;
}

/* The value of the "Host:" header line in p[0..n), or NULL. */
static const uint8_t *find_host(const uint8_t *p, size_t n, size_t *len)
{
    for (size_t i = 0; i + 6 <= n; i++) {
        if (p[i] != '\n' || strncasecmp((const char *)p + i + 1, "host:", 5) != 0)
            continue;
        size_t o = i + 6;
        while (o < n && (p[o] == ' ' || p[o] == '\t'))
            o++;
        size_t k = 0;
        while (o + k < n && p[o + k] != '\r' && p[o + k] != '\n')
            k++;
        *len = k;
        return p + o;
    }
    return NULL;
}

bool sd_svcinfo_http(sd_appinfo *app, const uint8_t *p, size_t n)
{
    size_t m = token(p, n);
    if (!m || m >= n || p[m] != ' ' || m >= sizeof app->verb)
        return false;
    app->kind = 'h';
    put_text(app->verb, sizeof app->verb, p, m);
    size_t u = token(p + m + 1, n - m - 1);
    put_text(app->uri, sizeof app->uri, p + m + 1, u);
    size_t hl = 0;
    const uint8_t *h = find_host(p, n, &hl);
    if (h)
        put_text(app->name, sizeof app->name, h, hl);
    return true;
}

size_t sd_svcinfo_tls_len(const uint8_t *p, size_t n)
{
    if (n < 6 || p[0] != 0x16 || p[1] != 3 || p[2] > 4 || p[5] != 1)
        return 0;
    return 5 + ((size_t)p[3] << 8 | p[4]);
}

/* GREASE (RFC 8701): 0x0a0a, 0x1a1a, ... 0xfafa; JA4 leaves them out. */
static bool grease(uint16_t v)
{
    return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

typedef struct hello {
    uint16_t version;                 /* legacy client_version, or the highest supported_versions */
    uint16_t suites[HELLO_MAX_SUITES], exts[HELLO_MAX_EXTS], sigalgs[HELLO_MAX_SIGALGS];
    size_t nsuites, nexts, nsigalgs;
    bool overflow;                    /* a list past its cap: no JA4 */
    bool sni;
    uint8_t alpn[2];                  /* the first ALPN value's first and last bytes */
    bool alpn_seen, alpn_alnum;
} hello;

static void push(uint16_t *v, size_t *n, size_t cap, uint16_t x, bool *overflow)
{
    if (*n < cap)
        v[(*n)++] = x;
    else
        *overflow = true;
}

static bool alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* One extension's data: SNI, supported_versions, ALPN, signature_algorithms. */
static void hello_ext(hello *h, sd_appinfo *app, uint16_t type, sd_cur e)
{
    if (type == 0) { /* server_name: list, type 0 = host_name */
        sd_cur_be16(&e);
        uint8_t kind = sd_cur_u8(&e);
        uint16_t len = sd_cur_be16(&e);
        if (!e.err && kind == 0 && sd_cur_has(&e, len)) {
            put_text(app->name, sizeof app->name, e.p, len);
            h->sni = true;
        }
    } else if (type == 43) { /* supported_versions: the highest, GREASE aside */
        uint8_t len = sd_cur_u8(&e);
        for (unsigned i = 0; i + 1 < len && sd_cur_has(&e, 2); i += 2) {
            uint16_t v = sd_cur_be16(&e);
            if (!grease(v) && v > h->version)
                h->version = v;
        }
    } else if (type == 16) { /* ALPN: the first protocol */
        sd_cur_be16(&e);
        uint8_t len = sd_cur_u8(&e);
        if (!e.err && len && sd_cur_has(&e, len)) {
            h->alpn[0] = e.p[0], h->alpn[1] = e.p[len - 1];
            h->alpn_seen = true;
            h->alpn_alnum = alnum(e.p[0]) && alnum(e.p[len - 1]);
        }
    } else if (type == 13) { /* signature_algorithms, in their order */
        uint16_t len = sd_cur_be16(&e);
        for (unsigned i = 0; i + 1 < len && sd_cur_has(&e, 2); i += 2)
            push(h->sigalgs, &h->nsigalgs, HELLO_MAX_SIGALGS, sd_cur_be16(&e), &h->overflow);
    }
}

/* The ClientHello body after the handshake header; false if cut short. */
static bool hello_body(hello *h, sd_appinfo *app, sd_cur *c)
{
    h->version = sd_cur_be16(c);
    uint16_t legacy = h->version;
    sd_cur_skip(c, 32);
    sd_cur_skip(c, sd_cur_u8(c)); /* session id */
    uint16_t cs = sd_cur_be16(c);
    for (unsigned i = 0; i + 1 < cs && sd_cur_has(c, 2); i += 2) {
        uint16_t v = sd_cur_be16(c);
        if (!grease(v))
            push(h->suites, &h->nsuites, HELLO_MAX_SUITES, v, &h->overflow);
    }
    sd_cur_skip(c, sd_cur_u8(c)); /* compression methods */
    if (!sd_cur_left(c) && !c->err)
        return true; /* no extensions (SSLv3, old TLS) */
    uint16_t el = sd_cur_be16(c);
    if (c->err)
        return false;
    bool cut = sd_cur_left(c) < el; /* read what is there (sd_cur_has would set the error) */
    sd_cur x = sd_cur_make(c->p, cut ? sd_cur_left(c) : el);
    h->version = 0;
    while (sd_cur_left(&x) >= 4) {
        uint16_t type = sd_cur_be16(&x), len = sd_cur_be16(&x);
        if (!sd_cur_has(&x, len))
            break;
        if (!grease(type))
            push(h->exts, &h->nexts, HELLO_MAX_EXTS, type, &h->overflow);
        hello_ext(h, app, type, sd_cur_make(x.p, len));
        sd_cur_skip(&x, len);
    }
    if (!h->version)
        h->version = legacy;
    return !cut && !sd_cur_left(&x);
}

static int cmp_u16(const void *a, const void *b)
{
    return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* sep (at most one byte) and v as "%04x" at s + o; returns the new end.
 * The caller's array holds every value's five bytes. */
static size_t put_hex16(char *s, size_t o, const char *sep, uint16_t v)
{
    if (*sep)
        s[o++] = *sep;
    for (int k = 3; k >= 0; k--)
        s[o++] = sd_hex_digits[v >> (4 * k) & 15];
    return o;
}

/* The first 12 hex digits of SHA-256 over the comma-joined 4-digit hex
 * list (sorted or not), then "_" and the second list when it has any;
 * "000000000000" for an empty first list (JA4's rule). */
static void ja4_hash(char out[13], const uint16_t *v, size_t n, const uint16_t *w, size_t m)
{
    if (!n) {
        memcpy(out, "000000000000", 13);
        return;
    }
    char s[(HELLO_MAX_EXTS + HELLO_MAX_SIGALGS + HELLO_MAX_SUITES) * 5 + 2];
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o = put_hex16(s, o, i ? "," : "", v[i]);
    for (size_t i = 0; i < m; i++)
        o = put_hex16(s, o, i ? "," : "_", w[i]);
    uint8_t md[SHA256_DIGEST_LENGTH];
    SHA256((const unsigned char *)s, o, md);
    *sd_put_hex(out, md, 6) = '\0'; /* "%02x" */
}

static const char *ja4_version(uint16_t v)
{
    switch (v) {
    case 0x0304: return "13";
    case 0x0303: return "12";
    case 0x0302: return "11";
    case 0x0301: return "10";
    case 0x0300: return "s3";
    default: return "00";
    }
}

/* JA4 (FoxIO, TLS client over TCP): t, version, d/i (SNI or not), suite and
 * extension counts, ALPN's first and last characters; the sorted suites'
 * hash; the sorted extensions' (less SNI and ALPN) with the signature
 * algorithms in their order. GREASE is left out everywhere. */
static void ja4(const hello *h, char *out, size_t len)
{
    uint16_t s[HELLO_MAX_SUITES], e[HELLO_MAX_EXTS];
    size_t ne = 0;
    memcpy(s, h->suites, h->nsuites * sizeof *s);
    qsort(s, h->nsuites, sizeof *s, cmp_u16);
    for (size_t i = 0; i < h->nexts; i++)
        if (h->exts[i] != 0 && h->exts[i] != 16)
            e[ne++] = h->exts[i];
    qsort(e, ne, sizeof *e, cmp_u16);
    char a[3] = "00", hs[13], he[13];
    if (h->alpn_seen && h->alpn_alnum)
        a[0] = (char)h->alpn[0], a[1] = (char)h->alpn[1];
    else if (h->alpn_seen) /* not alphanumeric: the first and last hex digits */
        snprintf(a, sizeof a, "%x%x", h->alpn[0] >> 4, h->alpn[1] & 15);
    ja4_hash(hs, s, h->nsuites, NULL, 0);
    ja4_hash(he, e, ne, h->sigalgs, h->nsigalgs);
    snprintf(out, len, "t%s%c%02zu%02zu%s_%s_%s", ja4_version(h->version), h->sni ? 'd' : 'i',
             h->nsuites > 99 ? 99 : h->nsuites, h->nexts > 99 ? 99 : h->nexts, a, hs, he);
}

static const char *tls_name(uint16_t v)
{
    switch (v) { /* Zeek's ssl.log names */
    case 0x0304: return "TLSv13";
    case 0x0303: return "TLSv12";
    case 0x0302: return "TLSv11";
    case 0x0301: return "TLSv10";
    case 0x0300: return "SSLv3";
    default: return "unknown";
    }
}

sd_hello_res sd_svcinfo_tls(sd_appinfo *app, const uint8_t *p, size_t n)
{
    size_t rec = sd_svcinfo_tls_len(p, n);
    if (!rec || n < 9)
        return SD_HELLO_NO;
    size_t hs = (size_t)p[6] << 16 | (size_t)p[7] << 8 | p[8];
    bool whole = n >= rec && hs + 4 <= rec - 5; /* one record holds it all */
    size_t have = n - 9 < hs ? n - 9 : hs;
    sd_cur c = sd_cur_make(p + 9, have);
    hello h;
    memset(&h, 0, sizeof h);
    app->kind = 't';
    bool done = hello_body(&h, app, &c);
    snprintf(app->verb, sizeof app->verb, "%s", tls_name(h.version));
    if (!whole || !done || h.overflow)
        return SD_HELLO_PARTIAL;
    ja4(&h, app->ja4, sizeof app->ja4);
    return SD_HELLO_OK;
}
