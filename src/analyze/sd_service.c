#include "sd_service.h"

#include "sd_svcinfo.h"

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

/* A ClientHello longer than a segment (post-quantum key shares make
 * Chrome's about 1.8 kB) is collected from the client's next in-sequence
 * segments, up to this size (larger ones are read as far as they go). */
#define SERVICE_HELLO_MAX 8192

typedef struct svc_st {
    uint8_t seen;       /* payload packets looked at */
    uint8_t *hello;     /* the ClientHello so far, while collecting */
    size_t have, want;
    uint32_t next_seq;  /* where the client's next segment must start */
    bool details_only;  /* joined mid-stream: no service name, the request still read */
    bool named;         /* named http from the server's side: waiting for the client's request */
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
 * missing-syn and flip-without-syn baselines name those http). Such a
 * connection is still read for its request or ClientHello (details_only):
 * a capture that started late still shows what was asked. */
static void *svc_new(void *ctx, sd_conn *c)
{
    if (c->ipproto != 17 && c->ipproto != 6)
        return NULL;
    svc_st *st = sd_calloc(1, sizeof(svc_st));
    st->details_only = c->ipproto == 6 && c->midstream && !c->flipped;
    return st;
}

static void svc_free(svc_st *st)
{
    free(st->hello);
    free(st);
}

static void svc_name(sd_conn *c, const svc_st *st, const char *name)
{
    if (name && !st->details_only) { /* "%s" cut to the array, without printf per connection */
        size_t n = strnlen(name, sizeof c->service - 1);
        memcpy(c->service, name, n);
        c->service[n] = '\0';
    }
}

static void svc_done(sd_conn *c, svc_st *st, int slot, const char *name)
{
    svc_name(c, st, name);
    if (st->hello) /* what was collected of a ClientHello */
        sd_svcinfo_tls(&c->app, st->hello, st->have);
    svc_free(st);
    c->slot[slot] = NULL; /* nothing more to learn: no more calls */
}

/* The client's next segment of a ClientHello being collected. */
static void hello_more(sd_conn *c, svc_st *st, int slot, const sd_pkt *p, int dir)
{
    if (dir != SD_DIR_ORIG || p->seq != st->next_seq) { /* the server's, or out of order: not used */
        if (++st->seen >= SERVICE_MAX_PAYLOAD_PKTS)
            svc_done(c, st, slot, NULL);
        return;
    }
    size_t k = st->want - st->have < p->payload_len ? st->want - st->have : p->payload_len;
    memcpy(st->hello + st->have, p->payload, k);
    st->have += k;
    st->next_seq += p->payload_len;
    if (st->have == st->want || ++st->seen >= SERVICE_MAX_PAYLOAD_PKTS)
        svc_done(c, st, slot, NULL);
}

/* The client's first message said http or ssl: what it asked for. Returns
 * whether a ClientHello is still being collected. */
static bool first_message(sd_conn *c, svc_st *st, const sd_pkt *p, const char *name)
{
    if (!strcmp(name, "http")) {
        sd_svcinfo_http(&c->app, p->payload, p->payload_len);
        return false;
    }
    size_t want = sd_svcinfo_tls_len(p->payload, p->payload_len);
    if (strcmp(name, "ssl") || c->ipproto != 6 || want <= p->payload_len) {
        sd_svcinfo_tls(&c->app, p->payload, p->payload_len);
        return false;
    }
    st->want = want < SERVICE_HELLO_MAX ? want : SERVICE_HELLO_MAX;
    st->hello = sd_calloc(1, st->want);
    st->have = p->payload_len < st->want ? p->payload_len : st->want;
    memcpy(st->hello, p->payload, st->have);
    st->next_seq = p->seq + p->payload_len;
    svc_name(c, st, name);
    return true;
}

static void svc_packet(void *ctx, sd_conn *c, void *vst, const sd_pkt *p, int dir)
{
    svc_st *st = vst;
    int slot = ((const sd_service *)ctx)->slot;
    if (!p->payload_len)
        return;
    if (st->hello) {
        hello_more(c, st, slot, p, dir);
        return;
    }
    /* a server's "220" greeting is FTP's and SMTP's: the client's first
     * command decides, so only a name ends the search early */
    const char *name = sd_service_guess(c->ipproto, dir, p->payload, p->payload_len);
    if (name && dir == SD_DIR_ORIG && (!strcmp(name, "http") || !strcmp(name, "ssl"))) {
        if (!first_message(c, st, p, name))
            svc_done(c, st, slot, name);
        return;
    }
    if (name && dir == SD_DIR_RESP && !st->named && !strcmp(name, "http")) {
        svc_name(c, st, name); /* the server spoke first here: the client's request may follow */
        st->named = true;
        name = NULL;
    }
    if (name || ++st->seen >= SERVICE_MAX_PAYLOAD_PKTS)
        svc_done(c, st, slot, name);
}

static void svc_end(void *ctx, sd_conn *c, void *vst)
{
    svc_st *st = vst;
    if (st->hello)
        sd_svcinfo_tls(&c->app, st->hello, st->have);
    svc_free(st);
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
