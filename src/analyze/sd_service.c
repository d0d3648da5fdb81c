#include "sd_service.h"

#include "sd_svcinfo.h"
#include "../common/sd_spare.h"

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
/* An HTTP request head that does not end in its first segment is collected
 * the same way up to its blank line or this size (what the request line
 * and Host need; a longer head is read as far as it goes). */
#define SERVICE_HTTP_MAX 4096
/* A side's first bytes, gathered from in-order segments shorter than this
 * (at least the longest signature sd_service_guess knows, "OPTIONS "): a
 * first message sent a byte a segment, to hide it, still shows its start.
 * Segments that add to it or to a message being collected are not counted
 * against SERVICE_MAX_PAYLOAD_PKTS: both are bounded by their sizes. */
#define SERVICE_PREFIX 16

typedef struct svc_st {
    uint8_t seen;       /* payload packets looked at */
    uint8_t *hello;     /* the ClientHello (or HTTP request head) so far, while collecting */
    size_t have, want;
    uint32_t next_seq;  /* where the client's next segment must start */
    bool http;          /* hello holds an HTTP request head, not a ClientHello */
    bool details_only;  /* joined mid-stream: no service name, the request still read */
    bool named;         /* named http from the server's side: waiting for the client's request */
    bool pre_done[2];   /* each side's prefix: settled (a first segment long enough, or full) */
    uint8_t pre_n[2];
    uint32_t pre_next[2];
    uint8_t pre[2][SERVICE_PREFIX];
} svc_st;

/* Ended connections' states kept for new ones (sd_spare): a new one then
 * costs a clear, not a calloc and its free (~250 instructions a connection
 * of a brute force, on the engine's thread). At most SPARE_SVC (~100 bytes
 * each). */
#define SPARE_SVC 1024u

struct sd_service {
    int slot;
    sd_spare spare; /* SPARE_SVC */
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
    svc_st *st = sd_spare_get(&((sd_service *)ctx)->spare, sizeof(svc_st));
    st->details_only = c->ipproto == 6 && c->midstream && !c->flipped;
    return st;
}

static void svc_free(sd_service *s, svc_st *st)
{
    free(st->hello);
    sd_spare_put(&s->spare, st);
}

static void svc_name(sd_conn *c, const svc_st *st, const char *name)
{
    if (name && !st->details_only) { /* "%s" cut to the array, without printf per connection */
        size_t n = strnlen(name, sizeof c->service - 1);
        memcpy(c->service, name, n);
        c->service[n] = '\0';
    }
}

/* What was collected of the client's first message, read. */
static void collected(sd_conn *c, const svc_st *st)
{
    if (!st->hello)
        return;
    if (st->http)
        sd_svcinfo_http(&c->app, st->hello, st->have);
    else
        sd_svcinfo_tls(&c->app, st->hello, st->have);
}

static void svc_done(sd_conn *c, svc_st *st, sd_service *s, const char *name)
{
    svc_name(c, st, name);
    collected(c, st);
    svc_free(s, st);
    c->slot[s->slot] = NULL; /* nothing more to learn: no more calls */
}

/* A blank line ends the head; only the last n bytes are new, so the
 * search starts 3 before them (linear in the head however it is cut). */
static bool head_ended(const uint8_t *p, size_t have, size_t n)
{
    size_t from = have - n > 3 ? have - n - 3 : 0;
    for (size_t i = from; i + 4 <= have; i++)
        if (p[i] == '\r' && p[i + 1] == '\n' && p[i + 2] == '\r' && p[i + 3] == '\n')
            return true;
    return false;
}

/* The client's next segment of a ClientHello or request head being
 * collected: in order, it adds to it and is not counted. */
static void hello_more(sd_conn *c, svc_st *st, sd_service *s, const sd_pkt *p, int dir)
{
    if (dir != SD_DIR_ORIG || p->seq != st->next_seq) { /* the server's, or out of order: not used */
        if (++st->seen >= SERVICE_MAX_PAYLOAD_PKTS)
            svc_done(c, st, s, NULL);
        return;
    }
    size_t k = st->want - st->have < p->payload_len ? st->want - st->have : p->payload_len;
    memcpy(st->hello + st->have, p->payload, k);
    st->have += k;
    st->next_seq += p->payload_len;
    if (st->have == st->want || (st->http && head_ended(st->hello, st->have, k)))
        svc_done(c, st, s, NULL);
}

/* The client's first message said http or ssl: what it asked for. d holds
 * its first n bytes (the packet's, or the prefix's), rest the packet's
 * bytes after them, next_seq where the client's next segment starts.
 * Returns whether the message is still being collected. */
static bool first_message(sd_conn *c, svc_st *st, const uint8_t *d, size_t n, const uint8_t *rest,
                          size_t rest_n, uint32_t next_seq, const char *name)
{
    bool http = !strcmp(name, "http");
    size_t want = http ? SERVICE_HTTP_MAX : sd_svcinfo_tls_len(d, n);
    if (c->ipproto != 6 || want <= n || (http && head_ended(d, n, n))) { /* all there (or no hello) */
        if (http)
            sd_svcinfo_http(&c->app, d, n);
        else
            sd_svcinfo_tls(&c->app, d, n);
        return false;
    }
    st->http = http;
    st->want = want < SERVICE_HELLO_MAX ? want : SERVICE_HELLO_MAX;
    st->hello = sd_calloc(1, st->want);
    /* a packet may hold more than the cap (a jumbo frame, a long head) */
    st->have = n < st->want ? n : st->want;
    memcpy(st->hello, d, st->have);
    size_t k = st->want - st->have < rest_n ? st->want - st->have : rest_n;
    if (k) /* rest is NULL when the packet was read alone */
        memcpy(st->hello + st->have, rest, k);
    st->have += k;
    st->next_seq = next_seq;
    svc_name(c, st, name);
    /* complete with the packet's rest: svc_done reads it */
    return st->have < st->want && !(http && head_ended(st->hello, st->have, k));
}

/* p's bytes added to its side's prefix when they continue it (TCP): *d
 * and *n then name the prefix, *rest and *rest_n what of p did not fit.
 * Returns whether p added to it. A first segment of SERVICE_PREFIX bytes
 * or more is read alone, as are segments out of order. */
static bool prefix_add(svc_st *st, const sd_pkt *p, int dir, const uint8_t **d, size_t *n, const uint8_t **rest,
                       size_t *rest_n)
{
    uint8_t k = st->pre_n[dir];
    if (!st->pre_done[dir] && !k && p->payload_len >= SERVICE_PREFIX)
        st->pre_done[dir] = true; /* the usual first segment: read alone */
    if (st->pre_done[dir] || (k && p->seq != st->pre_next[dir]))
        return false;
    size_t room = (size_t)SERVICE_PREFIX - k, m = room < p->payload_len ? room : p->payload_len;
    memcpy(st->pre[dir] + k, p->payload, m);
    st->pre_n[dir] = (uint8_t)(k + m);
    st->pre_next[dir] = p->seq + p->payload_len;
    st->pre_done[dir] = st->pre_n[dir] == SERVICE_PREFIX;
    *d = st->pre[dir];
    *n = st->pre_n[dir];
    *rest = p->payload + m;
    *rest_n = p->payload_len - m;
    return true;
}

static void svc_packet(void *ctx, sd_conn *c, void *vst, const sd_pkt *p, int dir)
{
    svc_st *st = vst;
    sd_service *s = ctx;
    if (!p->payload_len)
        return;
    if (st->hello) {
        hello_more(c, st, s, p, dir);
        return;
    }
    const uint8_t *d = p->payload, *rest = NULL;
    size_t n = p->payload_len, rest_n = 0;
    bool grew = c->ipproto == 6 && prefix_add(st, p, dir, &d, &n, &rest, &rest_n);
    /* a server's "220" greeting is FTP's and SMTP's: the client's first
     * command decides, so only a name ends the search early */
    const char *name = sd_service_guess(c->ipproto, dir, d, n);
    if (name && dir == SD_DIR_ORIG && (!strcmp(name, "http") || !strcmp(name, "ssl"))) {
        if (!first_message(c, st, d, n, rest, rest_n, p->seq + p->payload_len, name))
            svc_done(c, st, s, name);
        return;
    }
    if (name && dir == SD_DIR_RESP && !st->named && !strcmp(name, "http")) {
        svc_name(c, st, name); /* the server spoke first here: the client's request may follow */
        st->named = true;
        name = NULL;
    }
    if (name || (!grew && ++st->seen >= SERVICE_MAX_PAYLOAD_PKTS))
        svc_done(c, st, s, name);
}

static void svc_end(void *ctx, sd_conn *c, void *vst)
{
    svc_st *st = vst;
    collected(c, st);
    svc_free(ctx, st);
}

sd_service *sd_service_new(void)
{
    sd_service *s = sd_calloc(1, sizeof *s);
    s->slot = -1;
    sd_spare_init(&s->spare, SPARE_SVC);
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
    if (!s)
        return;
    sd_spare_free(&s->spare);
    free(s);
}
