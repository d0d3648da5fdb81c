#include "sd_dns.h"

#include <stdio.h>
#include <string.h>

#define DNS_HDR 12
#define DNS_MAX_LABEL 63  /* RFC 1035 2.3.4 */
#define DNS_MAX_NAME 255  /* RFC 1035 2.3.4, the wire form with its length bytes */

static uint16_t be16(const uint8_t *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Appends a label's bytes as text, escaping what is not a plain printable
 * character (RFC 4343 2.1), so the text is terminal-safe and reversible. */
static void put_label(char *out, size_t len, size_t *o, const uint8_t *l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = l[i];
        int w = (c > 0x20 && c < 0x7f && c != '.' && c != '\\')
                    ? snprintf(out + *o, len - *o, "%c", c)
                    : snprintf(out + *o, len - *o, "\\%03u", c);
        if (w > 0 && (size_t)w < len - *o)
            *o += (size_t)w;
    }
}

size_t sd_dns_name(const uint8_t *p, size_t n, size_t off, char *out, size_t len, size_t *wire_len)
{
    size_t pos = off, next = 0, wire = 1, o = 0; /* wire: the root's length byte */
    unsigned hops = 0;
    out[0] = '\0';
    for (;;) {
        if (pos >= n)
            return 0;
        uint8_t b = p[pos];
        if (b == 0) {
            if (!next)
                next = pos + 1;
            break;
        }
        if ((b & 0xC0) == 0xC0) {
            if (pos + 1 >= n || ++hops > SD_DNS_MAX_HOPS)
                return 0;
            size_t target = (size_t)(b & 0x3F) << 8 | p[pos + 1];
            if (target >= pos) /* strictly backwards: no loop, no forward reference */
                return 0;
            if (!next)
                next = pos + 2;
            pos = target;
            continue;
        }
        if (b > DNS_MAX_LABEL || pos + 1 + b > n) /* 0x40, 0x80: reserved label types */
            return 0;
        wire += b + 1u;
        if (wire > DNS_MAX_NAME)
            return 0;
        if (o && o + 1 < len)
            out[o++] = '.';
        put_label(out, len, &o, p + pos + 1, b);
        out[o < len ? o : len - 1] = '\0';
        pos += b + 1u;
    }
    if (wire_len)
        *wire_len = wire;
    return next;
}

/* The text of an answer's data for the types analysts read. */
static void rr_data(const uint8_t *p, size_t n, size_t o, size_t rdlen, sd_dns_rr *r)
{
    r->data[0] = '\0';
    if ((r->type == SD_DNS_T_A && rdlen == 4) || (r->type == SD_DNS_T_AAAA && rdlen == 16)) {
        sd_addr a = { .fam = rdlen == 4 ? 4 : 6 };
        memcpy(a.a, p + o, rdlen);
        memcpy(r->addr, p + o, rdlen);
        r->addr_len = (uint8_t)rdlen;
        sd_addr_str(&a, r->data, sizeof r->data);
    } else if (r->type == SD_DNS_T_CNAME || r->type == SD_DNS_T_NS || r->type == SD_DNS_T_PTR) {
        size_t end = sd_dns_name(p, n, o, r->data, sizeof r->data, NULL);
        if (!end || end > o + rdlen) /* the name must lie in its record */
            r->data[0] = '\0';
    } else if (r->type == SD_DNS_T_MX && rdlen > 2) {
        size_t end = sd_dns_name(p, n, o + 2, r->data, sizeof r->data, NULL);
        if (!end || end > o + rdlen)
            r->data[0] = '\0';
    } else if (r->type == SD_DNS_T_TXT && rdlen > 0 && p[o] < rdlen) {
        size_t k = 0;
        put_label(r->data, sizeof r->data, &k, p + o + 1, p[o]);
    }
}

/* One resource record at *o: owner name, type, class, TTL, data. */
static bool read_rr(const uint8_t *p, size_t n, size_t *o, sd_dns_rr *r, bool keep)
{
    char owner[SD_DNS_TXT];
    size_t at = sd_dns_name(p, n, *o, owner, sizeof owner, NULL);
    if (!at || at + 10 > n)
        return false;
    size_t rdlen = be16(p + at + 8);
    if (rdlen > n - at - 10)
        return false;
    if (keep) {
        r->type = be16(p + at);
        r->cls = be16(p + at + 2);
        r->ttl = (uint32_t)be16(p + at + 4) << 16 | be16(p + at + 6);
        r->addr_len = 0;
        rr_data(p, n, at + 10, rdlen, r);
    }
    *o = at + 10 + rdlen;
    return true;
}

static void parse_header(const uint8_t *p, sd_dns_msg *m)
{
    m->id = be16(p);
    m->qr = p[2] >> 7;
    m->opcode = (p[2] >> 3) & 15;
    m->aa = (p[2] >> 2) & 1;
    m->tc = (p[2] >> 1) & 1;
    m->rd = p[2] & 1;
    m->ra = p[3] >> 7;
    m->rcode = p[3] & 15;
    m->qdcount = be16(p + 4);
    m->ancount = be16(p + 6);
    m->nscount = be16(p + 8);
    m->arcount = be16(p + 10);
}

sd_dns_res sd_dns_parse(const uint8_t *p, size_t n, sd_dns_msg *m)
{
    m->has_q = false;
    m->qname[0] = '\0';
    m->qname_wire_len = 0;
    m->qtype = m->qclass = 0;
    m->nans = 0;
    m->ans_more = 0;
    m->ans_bad = false;
    if (!p || n < DNS_HDR)
        return SD_DNS_SHORT;
    parse_header(p, m);
    size_t o = DNS_HDR;
    /* every question is read (their names set where the answers start);
     * the first is kept */
    for (unsigned q = 0; q < m->qdcount; q++) {
        char skip[SD_DNS_TXT], *name = q ? skip : m->qname;
        size_t wire = 0, at = sd_dns_name(p, n, o, name, SD_DNS_TXT, &wire);
        if (!at || at + 4 > n)
            return SD_DNS_BAD_QUESTION;
        if (!q) {
            m->qname_wire_len = (uint8_t)wire;
            m->qtype = be16(p + at);
            m->qclass = be16(p + at + 2);
            m->has_q = true;
        }
        o = at + 4;
    }
    for (unsigned a = 0; a < m->ancount; a++) {
        bool keep = m->nans < SD_DNS_MAX_ANS;
        if (!read_rr(p, n, &o, &m->ans[m->nans], keep)) {
            m->ans_bad = true;
            break;
        }
        if (keep)
            m->nans++;
        else
            m->ans_more++;
    }
    return SD_DNS_OK;
}

const char *sd_dns_qtype_name(uint16_t t, char *buf, size_t len)
{
    static const struct { uint16_t t; const char *n; } T[] = {
        { 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" }, { 10, "NULL" }, { 11, "WKS" }, { 12, "PTR" },
        { 13, "HINFO" }, { 15, "MX" }, { 16, "TXT" }, { 17, "RP" }, { 18, "AFSDB" }, { 28, "AAAA" },
        { 29, "LOC" }, { 32, "NIMLOC" }, { 33, "SRV" }, { 35, "NAPTR" }, { 37, "CERT" }, { 39, "DNAME" },
        { 41, "OPT" }, { 43, "DS" }, { 44, "SSHFP" }, { 46, "RRSIG" }, { 47, "NSEC" }, { 48, "DNSKEY" },
        { 50, "NSEC3" }, { 52, "TLSA" }, { 64, "SVCB" }, { 65, "HTTPS" }, { 99, "SPF" }, { 249, "TKEY" },
        { 250, "TSIG" }, { 251, "IXFR" }, { 252, "AXFR" }, { 255, "*" }, { 256, "URI" }, { 257, "CAA" },
    };
    for (size_t i = 0; i < SD_ARRAY_LEN(T); i++)
        if (T[i].t == t)
            return T[i].n;
    snprintf(buf, len, "query-%u", t); /* Zeek's name for an unknown type */
    return buf;
}

const char *sd_dns_qclass_name(uint16_t c, char *buf, size_t len)
{
    switch (c & 0x7FFF) { /* mDNS sets the top bit (unicast-response / cache-flush) */
    case 1: return "C_INTERNET";
    case 2: return "C_CSNET";
    case 3: return "C_CHAOS";
    case 4: return "C_HESIOD";
    case 254: return "C_NONE";
    case 255: return "C_ANY";
    default: snprintf(buf, len, "qclass-%u", c); return buf;
    }
}

const char *sd_dns_rcode_name(uint8_t r, char *buf, size_t len)
{
    static const char *const R[] = { "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
                                     "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE" };
    if (r < SD_ARRAY_LEN(R))
        return R[r];
    snprintf(buf, len, "unknown-%u", r);
    return buf;
}
