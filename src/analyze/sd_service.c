#include "sd_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Payload packets looked at per connection before giving up: protocols
 * this recognises show themselves in the first message of a side. */
#define SERVICE_MAX_PAYLOAD_PKTS 6
/* A DNS message: a 12-byte header, at most this many questions (real
 * queries have one; mDNS answers a few), names of at most 255 bytes. */
#define DNS_HDR 12
#define DNS_MAX_QD 16
#define DNS_MAX_NAME 255
#define DNS_MAX_RR 256     /* answers in a response without questions (mDNS) */

typedef struct svc_st {
    uint8_t seen;       /* payload packets looked at */
} svc_st;

struct sd_service {
    int slot;
};

static bool starts(const uint8_t *p, size_t n, const char *s)
{
    size_t k = strlen(s);
    return n >= k && memcmp(p, s, k) == 0;
}

static bool http_request(const uint8_t *p, size_t n)
{
    static const char *const M[] = { "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ", "CONNECT ",
                                      "TRACE ", "PATCH " };
    for (size_t i = 0; i < SD_ARRAY_LEN(M); i++)
        if (starts(p, n, M[i]))
            return true;
    return false;
}

/* A TLS record carrying a handshake (RFC 8446 5.1: type 22, legacy
 * version 3.x) whose first message is a ClientHello or ServerHello. */
static bool tls_hello(const uint8_t *p, size_t n)
{
    return n >= 6 && p[0] == 0x16 && p[1] == 3 && p[2] <= 4 && (p[5] == 1 || p[5] == 2);
}

/* A domain name of labels at p[o..], ending in the root label or a
 * compression pointer (RFC 1035 4.1.4); the offset past it, or 0. */
static size_t dns_name(const uint8_t *p, size_t n, size_t o)
{
    size_t name = 0;
    while (o < n && p[o] != 0) {
        if ((p[o] & 0xC0) == 0xC0)
            return o + 2 <= n ? o + 2 : 0;
        if (p[o] > 63 || (name += p[o] + 1u) > DNS_MAX_NAME)
            return 0;
        o += p[o] + 1u;
    }
    return o < n ? o + 1 : 0;
}

/* A plausible DNS message (also mDNS, LLMNR, NetBIOS name service, which
 * Zeek's DNS analyzer reads too): a sane header, then the first question
 * (name, type, class) or, in a response without questions (mDNS), the
 * first answer (name, type, class, TTL, length). */
static bool dns_message(const uint8_t *p, size_t n)
{
    if (n < DNS_HDR)
        return false;
    unsigned opcode = (p[2] >> 3) & 15, qr = p[2] >> 7;
    unsigned qd = (unsigned)p[4] << 8 | p[5], an = (unsigned)p[6] << 8 | p[7];
    if (opcode > 5 || qd > DNS_MAX_QD || (!qd && (!qr || !an || an > DNS_MAX_RR)))
        return false;
    size_t o = dns_name(p, n, DNS_HDR);
    return o && o + (qd ? 4u : 10u) <= n;
}

const char *sd_service_guess(uint8_t proto, int dir, const uint8_t *p, size_t n)
{
    if (proto == 17)
        return dns_message(p, n) ? "dns" : NULL;
    if (starts(p, n, "SSH-"))
        return "ssh";
    if (tls_hello(p, n))
        return "ssl"; /* Zeek's name for TLS */
    if (dir == SD_DIR_ORIG ? http_request(p, n) : starts(p, n, "HTTP/1."))
        return "http";
    if (dir == SD_DIR_ORIG && (starts(p, n, "EHLO ") || starts(p, n, "HELO ")))
        return "smtp";
    if (dir == SD_DIR_ORIG && (starts(p, n, "USER ") || starts(p, n, "AUTH TLS")))
        return "ftp";
    return NULL;
}

/* Like Zeek, a TCP connection whose SYN and SYN-ACK were both missed
 * (joined mid-stream) gets no service: the first message of a side is what
 * tells, and it was not seen. A SYN-ACK seen first is enough (Zeek's
 * missing-syn and flip-without-syn baselines name those http). */
static void *svc_new(void *ctx, sd_conn *c)
{
    if (c->ipproto != 17 && (c->ipproto != 6 || (c->midstream && !c->flipped)))
        return NULL;
    return sd_calloc(1, sizeof(svc_st));
}

static void svc_done(sd_conn *c, svc_st *st, int slot, const char *name)
{
    if (name)
        snprintf(c->service, sizeof c->service, "%s", name);
    free(st);
    c->slot[slot] = NULL; /* nothing more to learn: no more calls */
}

static void svc_packet(void *ctx, sd_conn *c, void *vst, const sd_pkt *p, int dir)
{
    svc_st *st = vst;
    if (!p->payload_len)
        return;
    /* a server's "220" greeting is FTP's and SMTP's: the client's first
     * command decides, so only a name ends the search early */
    const char *name = sd_service_guess(c->ipproto, dir, p->payload, p->payload_len);
    if (name || ++st->seen >= SERVICE_MAX_PAYLOAD_PKTS)
        svc_done(c, st, ((const sd_service *)ctx)->slot, name);
}

static void svc_end(void *ctx, sd_conn *c, void *vst)
{
    free(vst);
}

sd_service *sd_service_new(void)
{
    sd_service *s = sd_calloc(1, sizeof *s);
    s->slot = -1;
    return s;
}

int sd_service_attach(sd_service *s, sd_engine *e)
{
    sd_analyzer a = { .name = "service", .conn_new = svc_new, .packet = svc_packet, .conn_end = svc_end,
                      .ctx = s };
    s->slot = sd_engine_add(e, &a);
    return s->slot;
}

void sd_service_free(sd_service *s)
{
    free(s);
}
