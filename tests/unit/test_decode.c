/* Unit tests for src/decode: hand-built frames for every link type, VLAN
 * tags, IPv4 options, IPv6 extension headers, fragments, and malformed
 * headers. Each test asserts the decoded field values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "decode/sd_csum.h"
#include "decode/sd_decode.h"

#define ETH_HDR_LEN_T 14

/* ---- frame builder ---- */

typedef struct fb {
    uint8_t b[4096];
    size_t n;
} fb;

static void p8(fb *f, unsigned v) { f->b[f->n++] = (uint8_t)v; }
static void p16(fb *f, unsigned v) { p8(f, v >> 8); p8(f, v); }
static void p32(fb *f, uint32_t v) { p16(f, v >> 16); p16(f, v & 0xffff); }
static void pb(fb *f, const void *d, size_t n) { memcpy(f->b + f->n, d, n); f->n += n; }
static void pz(fb *f, size_t n) { memset(f->b + f->n, 0, n); f->n += n; }
static void set16(fb *f, size_t at, unsigned v)
{
    f->b[at] = (uint8_t)(v >> 8);
    f->b[at + 1] = (uint8_t)v;
}

static void eth(fb *f, unsigned et)
{
    static const uint8_t macs[12] = { 0, 1, 2, 3, 4, 5, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15 };
    pb(f, macs, 12);
    p16(f, et);
}

/* IPv4 header with optional option bytes; returns the offset of the total
 * length field so callers can fix it after adding the payload. */
static size_t ip4(fb *f, unsigned proto, unsigned id, unsigned fragw, const uint8_t *opt,
                  size_t optlen)
{
    size_t at = f->n;
    p8(f, 0x40 | (unsigned)((20 + optlen) / 4));
    p8(f, 0);
    p16(f, 0); /* total length: fixed by ip4_done */
    p16(f, id);
    p16(f, fragw);
    p8(f, 64);
    p8(f, proto);
    p16(f, 0);
    p32(f, 0x0a000001); /* 10.0.0.1 */
    p32(f, 0x0a000002); /* 10.0.0.2 */
    if (optlen)
        pb(f, opt, optlen);
    return at;
}

static void ip4_done(fb *f, size_t at)
{
    set16(f, at + 2, (unsigned)(f->n - at));
}

static const uint8_t V6SRC[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t V6DST[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static size_t ip6(fb *f, unsigned nh)
{
    size_t at = f->n;
    p32(f, 0x60000000);
    p16(f, 0); /* payload length: fixed by ip6_done */
    p8(f, nh);
    p8(f, 63);
    pb(f, V6SRC, 16);
    pb(f, V6DST, 16);
    return at;
}

static void ip6_done(fb *f, size_t at)
{
    set16(f, at + 4, (unsigned)(f->n - at - 40));
}

/* TCP header; opt must be a multiple of 4 bytes. */
static void tcp(fb *f, unsigned sport, unsigned dport, uint32_t seq, uint32_t ack, unsigned flags,
                const uint8_t *opt, size_t optlen)
{
    p16(f, sport);
    p16(f, dport);
    p32(f, seq);
    p32(f, ack);
    p8(f, (unsigned)((20 + optlen) / 4) << 4);
    p8(f, flags);
    p16(f, 65535);
    p16(f, 0);
    p16(f, 0);
    if (optlen)
        pb(f, opt, optlen);
}

static void udp(fb *f, unsigned sport, unsigned dport, unsigned len)
{
    p16(f, sport);
    p16(f, dport);
    p16(f, len);
    p16(f, 0);
}

/* ---- decoder fixture with a collecting diagnostic sink ---- */

typedef struct sink {
    unsigned n;
    char last[512];
    char file[64];
    uint64_t frame;
} sink;

static void sink_fn(void *ud, const char *file, uint64_t frame, const char *msg)
{
    sink *s = ud;
    s->n++;
    snprintf(s->last, sizeof s->last, "%s", msg);
    snprintf(s->file, sizeof s->file, "%s", file);
    s->frame = frame;
}

static const char *fname(void *ud, unsigned idx)
{
    (void)ud;
    return idx == 0 ? "a.pcap" : "b.pcap";
}

typedef struct ctx {
    sink s;
    sd_diag diag;
    sd_decoder *d;
    uint64_t num;
} ctx;

static ctx *ctx_new(size_t memcap, sd_ts timeout)
{
    ctx *c = calloc(1, sizeof *c);
    c->diag.fn = sink_fn;
    c->diag.ud = &c->s;
    sd_decode_opts o = { .frag_memcap = memcap, .frag_timeout = timeout, .diag = &c->diag,
                         .file_name = fname };
    c->d = sd_decoder_new(&o);
    return c;
}

static int setup(void **state)
{
    *state = ctx_new(0, 0);
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    sd_decoder_free(c->d);
    free(c);
    return 0;
}

static sd_frame g_frame;

/* Decodes f->b[0..caplen) claiming wirelen bytes on the wire (0 = caplen). */
static sd_dec_res dec_ex(ctx *c, int lt, const fb *f, size_t caplen, size_t wirelen, sd_ts ts,
                         sd_pkt *out)
{
    g_frame = (sd_frame){ .num = ++c->num, .ts = ts, .caplen = (uint32_t)caplen,
                          .wirelen = (uint32_t)(wirelen ? wirelen : caplen), .linktype = lt,
                          .data = f->b, .file_idx = 0 };
    return sd_decode(c->d, &g_frame, out);
}

static sd_dec_res dec(ctx *c, int lt, const fb *f, sd_pkt *out)
{
    return dec_ex(c, lt, f, f->n, 0, 1000 * SD_NS_PER_SEC, out);
}

static const uint8_t ALLOPTS[] = {
    2, 4, 0x05, 0xb4,                   /* MSS 1460 */
    1,                                  /* NOP */
    3, 3, 7,                            /* WS 7 */
    4, 2,                               /* SACK permitted */
    8, 10, 0, 0, 0, 1, 0, 0, 0, 2,      /* TS 1, 2 */
    5, 18, 0, 0, 0, 10, 0, 0, 0, 20,    /* SACK 10-20 */
    0, 0, 0, 30, 0, 0, 0, 40,           /*      30-40 */
    0, 0,                               /* EOL + pad */
};

static void check_tcp_basic(const sd_pkt *p)
{
    assert_int_equal(p->ipver, 4);
    assert_int_equal(p->src.fam, 4);
    assert_int_equal(p->src.a[0], 10);
    assert_int_equal(p->src.a[3], 1);
    assert_int_equal(p->dst.a[3], 2);
    assert_int_equal(p->l4, SD_L4_TCP);
    assert_int_equal(p->ipproto, 6);
    assert_int_equal(p->sport, 1234);
    assert_int_equal(p->dport, 22);
    assert_int_equal(p->seq, 0x11223344u);
    assert_int_equal(p->ack, 0x55667788u);
}

/* ---- link layers ---- */

static void test_eth_ipv4_tcp_trailer(void **state)
{
    ctx *c = *state;
    fb f = { .n = 0 };
    eth(&f, 0x0800);
    size_t at = ip4(&f, 6, 0x4242, 0x4000, NULL, 0);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x18, ALLOPTS, sizeof ALLOPTS);
    pb(&f, "hello", 5);
    ip4_done(&f, at);
    pz(&f, 6); /* Ethernet padding */
    sd_pkt p;
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(p.ttl, 64);
    assert_int_equal(p.ip_id, 0x4242);
    assert_true(p.df);
    assert_false(p.reassembled);
    assert_int_equal(p.ip_len, 20 + 20 + sizeof ALLOPTS + 5);
    assert_int_equal(p.flags, SD_TH_PSH | SD_TH_ACK);
    assert_int_equal(p.win, 65535);
    assert_true(p.opt.has_mss);
    assert_int_equal(p.opt.mss, 1460);
    assert_true(p.opt.has_wscale);
    assert_int_equal(p.opt.wscale, 7);
    assert_true(p.opt.sack_ok);
    assert_true(p.opt.has_ts);
    assert_int_equal(p.opt.tsval, 1);
    assert_int_equal(p.opt.tsecr, 2);
    assert_int_equal(p.opt.nsack, 2);
    assert_int_equal(p.opt.sack[0][0], 10);
    assert_int_equal(p.opt.sack[0][1], 20);
    assert_int_equal(p.opt.sack[1][0], 30);
    assert_int_equal(p.opt.sack[1][1], 40);
    assert_int_equal(p.payload_len, 5);
    assert_int_equal(p.payload_wire, 5);
    assert_memory_equal(p.payload, "hello", 5);
    assert_int_equal(p.anomalies, SD_ANOM_TRAILER);
    assert_int_equal(p.first_frame, 1);
    assert_ptr_equal(p.frame, &g_frame);
    assert_int_equal(c->s.n, 0);
}

static void build_vlan(fb *f, const unsigned *tpids, const unsigned *vids, size_t n)
{
    static const uint8_t macs[12] = { 0 };
    pb(f, macs, 12);
    for (size_t i = 0; i < n; i++) {
        p16(f, tpids[i]);
        p16(f, 0x2000 | vids[i]); /* PCP 1 */
    }
    p16(f, 0x0800);
    size_t at = ip4(f, 6, 1, 0, NULL, 0);
    tcp(f, 1234, 22, 0x11223344u, 0x55667788u, 0x02, NULL, 0);
    ip4_done(f, at);
}

static void test_vlan(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    build_vlan(&f, (unsigned[]){ 0x8100 }, (unsigned[]){ 100 }, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(p.nvlan, 1);
    assert_int_equal(p.vlan[0], 100);
    assert_int_equal(p.flags, SD_TH_SYN);

    f.n = 0;
    build_vlan(&f, (unsigned[]){ 0x88a8, 0x8100 }, (unsigned[]){ 10, 20 }, 2);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(p.nvlan, 2);
    assert_int_equal(p.vlan[0], 10);
    assert_int_equal(p.vlan[1], 20);

    /* Three tags (old 0x9100 outer): only the outer two are kept. */
    f.n = 0;
    build_vlan(&f, (unsigned[]){ 0x9100, 0x88a8, 0x8100 }, (unsigned[]){ 1, 2, 4095 }, 3);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(p.nvlan, 2);
    assert_int_equal(p.vlan[0], 1);
    assert_int_equal(p.vlan[1], 2);

    /* Nine tags: give up, counted as a depth cap (as MPLS past its labels),
     * not as an encapsulation not decoded. */
    f.n = 0;
    unsigned t9[9], v9[9];
    for (int i = 0; i < 9; i++) {
        t9[i] = 0x8100;
        v9[i] = (unsigned)i;
    }
    build_vlan(&f, t9, v9, 9);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_ENCAP_DEPTH);
    assert_false(p.anomalies & SD_ANOM_ENCAP);

    /* Frame ends inside a tag. */
    f.n = 0;
    build_vlan(&f, (unsigned[]){ 0x8100 }, (unsigned[]){ 5 }, 1);
    f.n = 16;
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_LINK_TRUNC);
}

static void test_eth_non_ip_and_short(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    eth(&f, 0x0806); /* ARP */
    pz(&f, 28);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_NOT_IP);
    assert_int_equal(p.ipver, 0);
    f.n = 10;
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_LINK_TRUNC);
    assert_int_equal(c->s.n, 1);
    assert_string_equal(c->s.file, "a.pcap");
    assert_int_equal(c->s.frame, 2);
}

static void test_sll(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    p16(&f, 0);      /* packet type: to us */
    p16(&f, 1);      /* ARPHRD_ETHER */
    p16(&f, 6);      /* address length */
    pz(&f, 8);       /* address */
    p16(&f, 0x0800); /* protocol */
    size_t at = ip4(&f, 17, 7, 0, NULL, 0);
    udp(&f, 5353, 53, 8 + 4);
    pb(&f, "abcd", 4);
    ip4_done(&f, at);
    assert_int_equal(dec(c, 113, &f, &p), SD_DEC_OK);
    assert_int_equal(p.l4, SD_L4_UDP);
    assert_int_equal(p.sport, 5353);
    assert_int_equal(p.dport, 53);
    assert_int_equal(p.payload_len, 4);
    assert_memory_equal(p.payload, "abcd", 4);
    assert_int_equal(p.anomalies, 0);
    f.n = 15;
    assert_int_equal(dec(c, 113, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_LINK_TRUNC);
}

static void test_sll2(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    p16(&f, 0x86dd); /* protocol */
    p16(&f, 0);      /* reserved */
    p32(&f, 2);      /* ifindex */
    p16(&f, 1);      /* ARPHRD_ETHER */
    p8(&f, 4);       /* outgoing */
    p8(&f, 6);
    pz(&f, 8);
    size_t at = ip6(&f, 6);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x11, NULL, 0);
    pb(&f, "xyz", 3);
    ip6_done(&f, at);
    assert_int_equal(dec(c, 276, &f, &p), SD_DEC_OK);
    assert_int_equal(p.ipver, 6);
    assert_int_equal(p.src.fam, 6);
    assert_memory_equal(p.src.a, V6SRC, 16);
    assert_memory_equal(p.dst.a, V6DST, 16);
    assert_int_equal(p.ttl, 63);
    assert_int_equal(p.ip_len, 40 + 20 + 3);
    assert_int_equal(p.l4, SD_L4_TCP);
    assert_int_equal(p.flags, SD_TH_FIN | SD_TH_ACK);
    assert_int_equal(p.seq, 0x11223344u);
    assert_int_equal(p.payload_len, 3);
    assert_memory_equal(p.payload, "xyz", 3);
}

static void test_raw_variants(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f4 = { .n = 0 }, f6 = { .n = 0 };
    size_t at = ip4(&f4, 6, 1, 0, NULL, 0);
    tcp(&f4, 1234, 22, 0x11223344u, 0x55667788u, 0x10, NULL, 0);
    ip4_done(&f4, at);
    at = ip6(&f6, 17);
    udp(&f6, 1, 2, 8);
    ip6_done(&f6, at);
    const int raw[] = { 12, 14, 101 };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(dec(c, raw[i], &f4, &p), SD_DEC_OK);
        check_tcp_basic(&p);
        assert_int_equal(dec(c, raw[i], &f6, &p), SD_DEC_OK);
        assert_int_equal(p.ipver, 6);
        assert_int_equal(p.l4, SD_L4_UDP);
        assert_int_equal(p.payload_len, 0);
    }
    assert_int_equal(dec(c, 228, &f4, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(dec(c, 229, &f6, &p), SD_DEC_OK);
    assert_int_equal(p.sport, 1);
    /* Wrong family for the link type, and a bad version nibble. */
    assert_int_equal(dec(c, 229, &f4, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP_BADLEN);
    f4.b[0] = 0x55;
    assert_int_equal(dec(c, 12, &f4, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP_BADLEN);
}

static void test_null_loop(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb ip = { .n = 0 };
    size_t at = ip4(&ip, 6, 1, 0, NULL, 0);
    tcp(&ip, 1234, 22, 0x11223344u, 0x55667788u, 0x10, NULL, 0);
    ip4_done(&ip, at);
    fb ip6f = { .n = 0 };
    at = ip6(&ip6f, 59);
    ip6_done(&ip6f, at);

    struct {
        int lt;
        uint8_t hdr[4];
        int ver;
    } cases[] = {
        { 0, { 2, 0, 0, 0 }, 4 },   /* little-endian writer, AF_INET */
        { 0, { 0, 0, 0, 2 }, 4 },   /* big-endian writer */
        { 0, { 24, 0, 0, 0 }, 6 },  /* NetBSD/OpenBSD AF_INET6 */
        { 0, { 0, 0, 0, 28 }, 6 },  /* FreeBSD, big-endian */
        { 108, { 0, 0, 0, 30 }, 6 }, /* macOS via LOOP */
        { 108, { 0, 0, 0, 2 }, 4 },
    };
    for (size_t i = 0; i < SD_ARRAY_LEN(cases); i++) {
        fb f = { .n = 0 };
        pb(&f, cases[i].hdr, 4);
        const fb *src = cases[i].ver == 4 ? &ip : &ip6f;
        pb(&f, src->b, src->n);
        assert_int_equal(dec(c, cases[i].lt, &f, &p), SD_DEC_OK);
        assert_int_equal(p.ipver, cases[i].ver);
        if (cases[i].ver == 4)
            check_tcp_basic(&p);
        else
            assert_int_equal(p.l4, SD_L4_NONE);
    }
    fb f = { .n = 0 };
    pb(&f, (uint8_t[]){ 7, 0, 0, 0 }, 4); /* AF 7: not IP */
    pb(&f, ip.b, ip.n);
    assert_int_equal(dec(c, 0, &f, &p), SD_DEC_NOT_IP);
    f.n = 3;
    assert_int_equal(dec(c, 0, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_LINK_TRUNC);
}

static void test_unknown_link_once(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    pz(&f, 40);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(dec(c, 147, &f, &p), SD_DEC_NOT_IP);
        assert_int_equal(p.anomalies, SD_ANOM_UNKNOWN_LINK);
    }
    assert_int_equal(c->s.n, 1);
    assert_non_null(strstr(c->s.last, "147"));
    assert_int_equal(dec(c, 105, &f, &p), SD_DEC_NOT_IP); /* 802.11 */
    assert_int_equal(c->s.n, 2);
    assert_non_null(strstr(c->s.last, "IEEE802_11"));
    assert_int_equal(dec(c, 147, &f, &p), SD_DEC_NOT_IP);
    assert_int_equal(c->s.n, 2);
}

/* A frame cut inside a link or tunnel header after its first fields: the
 * message counts the bytes the frame held from the header's start (it
 * said 0 of 16 for a GRE header of 4 bytes announcing 12 more, 1 of 4 for
 * a VLAN tag of 3 bytes, 1 of 14 for an Ethernet header of 13). */
static void test_cut_header_counts(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    eth(&f, 0x0800);
    size_t at = ip4(&f, 47, 1, 0, NULL, 0);
    p16(&f, 0xB000); /* checksum, key, sequence: 12 more bytes */
    p16(&f, 0x0800);
    p16(&f, 0);
    ip4_done(&f, at);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_string_equal(c->s.last, "GRE header cut short: 6 of 16 bytes");
    f.n = 0;
    eth(&f, 0x88a8);
    p16(&f, 1);
    p8(&f, 0x81);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_string_equal(c->s.last, "VLAN tag header cut short: 3 of 4 bytes");
    f.n = 0;
    eth(&f, 0x6558); /* transparent Ethernet bridging */
    pz(&f, 13);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_string_equal(c->s.last, "Ethernet header cut short: 13 of 14 bytes");
    f.n = 0;
    eth(&f, 0x8864);
    p8(&f, 0x11);
    pz(&f, 4);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_string_equal(c->s.last, "PPPoE header cut short: 5 of 6 bytes");
}

static void test_linktype_names(void **state)
{
    (void)state;
    assert_string_equal(sd_linktype_name(1), "EN10MB");
    assert_string_equal(sd_linktype_name(113), "LINUX_SLL");
    assert_string_equal(sd_linktype_name(276), "LINUX_SLL2");
    assert_string_equal(sd_linktype_name(12), "RAW");
    assert_string_equal(sd_linktype_name(101), "RAW");
    assert_string_equal(sd_linktype_name(0), "NULL");
    assert_string_equal(sd_linktype_name(108), "LOOP");
    assert_string_equal(sd_linktype_name(228), "IPV4");
    assert_string_equal(sd_linktype_name(229), "IPV6");
    assert_non_null(sd_linktype_name(-5));
}

/* ---- IPv4 ---- */

static void test_ipv4_options(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    /* Record route (7), length 11, pointer 4, two addresses, then EOL. */
    const uint8_t opt[12] = { 7, 11, 4, 1, 2, 3, 4, 5, 6, 7, 8, 0 };
    size_t at = ip4(&f, 6, 9, 0, opt, sizeof opt);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x10, NULL, 0);
    pb(&f, "data", 4);
    ip4_done(&f, at);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_int_equal(p.ip_len, 32 + 20 + 4);
    assert_int_equal(p.payload_len, 4);
    assert_memory_equal(p.payload, "data", 4);
    assert_int_equal(p.anomalies, 0);
    /* IHL claims options that are not there. */
    f.n = 30;
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP_TRUNC);
}

static void test_ipv4_bad_ihl(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1234, 22, 1, 2, 0x10, NULL, 0);
    ip4_done(&f, at);
    f.b[0] = 0x43;
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_IP_BADLEN);
    assert_string_equal(c->s.last, "IPv4 header length 12 < 20");
    assert_string_equal(c->s.file, "a.pcap");
    /* Total length smaller than the header. */
    f.b[0] = 0x45;
    set16(&f, 2, 10);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_IP_BADLEN);
    /* Total length 0: segmentation offload, the captured bytes are used. */
    set16(&f, 2, 0);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_IP_BADLEN);
    assert_int_equal(p.ip_len, 40);
    assert_int_equal(p.l4, SD_L4_TCP);
}

static void test_ipv4_truncated(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x10, NULL, 0);
    pz(&f, 60);
    ip4_done(&f, at);
    /* Header cut: the frame really is short. */
    assert_int_equal(dec_ex(c, 228, &f, 10, 10, 0, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_IP_TRUNC);
    /* Header cut by the snaplen. */
    assert_int_equal(dec_ex(c, 228, &f, 10, 100, 0, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_IP_SNAPPED);
    /* Datagram cut by the snaplen: header and part of the payload. */
    assert_int_equal(dec_ex(c, 228, &f, 50, 100, 0, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_IP_SNAPPED);
    check_tcp_basic(&p);
    assert_int_equal(p.payload_len, 10);
    assert_int_equal(p.payload_wire, 60);
    /* Datagram longer than the frame that carried it (a lying total
     * length, not a snaplen cut): only the bytes on the wire count, and its
     * checksum cannot be checked. */
    unsigned before = c->s.n;
    assert_int_equal(dec_ex(c, 228, &f, 50, 50, 0, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_IP_TRUNC);
    assert_int_equal(p.payload_len, 10);
    assert_int_equal(p.payload_wire, 10);
    assert_int_equal(p.ip_len, 50);
    assert_int_equal(p.csum, SD_CSUM_CANNOT);
    assert_int_equal(c->s.n, before + 1);
}

static void test_other_proto(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 1, 1, 0, NULL, 0);
    pb(&f, (uint8_t[]){ 8, 0, 0, 0, 0, 1, 0, 1 }, 8); /* ICMP echo */
    ip4_done(&f, at);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    assert_int_equal(p.l4, SD_L4_OTHER);
    assert_int_equal(p.ipproto, 1);
    assert_int_equal(p.sport, 0);
    assert_int_equal(p.dport, 0);
    assert_int_equal(p.payload_len, 8);
}

/* ---- IPv4 fragments ---- */

/* One IPv4 fragment of a TCP segment whose fragmentable part is `dg`. */
static void frag4(fb *f, unsigned id, const uint8_t *dg, size_t off, size_t len, int more)
{
    f->n = 0;
    eth(f, 0x0800);
    size_t at = ip4(f, 6, id, (unsigned)((more ? 0x2000 : 0) | (off / 8)), NULL, 0);
    pb(f, dg + off, len);
    ip4_done(f, at);
}

static size_t tcp_dgram(uint8_t *dg, size_t paylen)
{
    fb t = { .n = 0 };
    tcp(&t, 1234, 22, 0x11223344u, 0x55667788u, 0x18, NULL, 0);
    for (size_t i = 0; i < paylen; i++)
        p8(&t, (unsigned)('A' + i % 26));
    memcpy(dg, t.b, t.n);
    return t.n;
}

static void test_frag4_in_order(void **state)
{
    ctx *c = *state;
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100); /* 120 bytes */
    fb f;
    sd_pkt p;
    frag4(&f, 77, dg, 0, 48, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_int_equal(p.l4, SD_L4_NONE);
    assert_int_equal(p.ipver, 4);
    frag4(&f, 77, dg, 48, 48, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 77, dg, 96, n - 96, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_true(p.reassembled);
    assert_int_equal(p.first_frame, 1);
    assert_int_equal(p.frame->num, 3);
    check_tcp_basic(&p);
    assert_int_equal(p.ip_len, 20 + n);
    assert_int_equal(p.payload_len, 100);
    assert_int_equal(p.payload_wire, 100);
    assert_memory_equal(p.payload, dg + 20, 100);
    assert_int_equal(p.anomalies, 0);
    assert_int_equal(sd_decoder_frags_reassembled(c->d), 1);
}

static void test_frag4_out_of_order(void **state)
{
    ctx *c = *state;
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    frag4(&f, 5, dg, 96, n - 96, 0); /* last first */
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_int_equal(p.sport, 0); /* a non-first fragment is not L4 */
    frag4(&f, 5, dg, 0, 48, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_int_equal(p.sport, 0); /* nor is the first one on its own */
    /* An unrelated fragment with another id does not complete it. */
    frag4(&f, 6, dg, 48, 48, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 5, dg, 48, 48, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_true(p.reassembled);
    assert_int_equal(p.first_frame, 1);
    assert_int_equal(p.frame->num, 4);
    check_tcp_basic(&p);
    assert_memory_equal(p.payload, dg + 20, 100);
    assert_int_equal(p.anomalies, 0);
}

static void test_frag4_overlap_first_wins(void **state)
{
    ctx *c = *state;
    uint8_t dg[200], evil[200];
    size_t n = tcp_dgram(dg, 100);
    memcpy(evil, dg, n);
    memset(evil + 40, 'Z', 40); /* bytes 40..79 differ */
    fb f;
    sd_pkt p;
    frag4(&f, 9, dg, 0, 56, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 9, evil, 40, 48, 1); /* overlaps 40..55 */
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_true(p.anomalies & SD_ANOM_FRAG_OVERLAP);
    assert_non_null(strstr(c->s.last, "overlaps"));
    frag4(&f, 9, dg, 88, n - 88, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_true(p.reassembled);
    assert_true(p.anomalies & SD_ANOM_FRAG_OVERLAP);
    /* 0..55 from the first fragment; 56..87 from the overlapping one. */
    assert_memory_equal(p.payload, dg + 20, 36);
    assert_memory_equal(p.payload + 36, evil + 56, 32);
    assert_memory_equal(p.payload + 68, dg + 88, n - 88);
}

/* Fragments that give other bytes inside the TCP header (a "fragment
 * header rewrite": another port, another sequence number): which
 * connection the datagram belongs to is not known, so it is dropped and
 * said; the same overlap in the payload only is kept (first wins). */
static void test_frag4_header_rewrite(void **state)
{
    ctx *c = *state;
    uint8_t dg[200], evil[200];
    size_t n = tcp_dgram(dg, 100);
    memcpy(evil, dg, n);
    evil[3] ^= 0x40; /* the destination port */
    fb f;
    sd_pkt p;
    frag4(&f, 21, evil, 0, 24, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 21, dg, 0, 24, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_true(p.anomalies & SD_ANOM_FRAG_CONFLICT);
    frag4(&f, 21, dg, 24, n - 24, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.l4, SD_L4_NONE);
    assert_non_null(strstr(c->s.last, "dropped: its fragments overlap with other bytes in its TCP header (byte 3)"));
}

/* A first fragment that ends inside the TCP header (RFC 8200 4.5, RFC
 * 1858): decoded, marked to be held until ACKed as a conflicting one. */
static void test_frag4_tiny_first(void **state)
{
    ctx *c = *state;
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    frag4(&f, 22, dg, 0, 8, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 22, dg, 8, n - 8, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    check_tcp_basic(&p);
    assert_true(p.anomalies & SD_ANOM_FRAG_SPLITHDR);
    assert_true(p.anomalies & SD_ANOM_FRAG_CONFLICT);
    assert_non_null(strstr(c->s.last, "first fragment (8 bytes) ends inside its TCP header"));
    /* 24 bytes first: the header whole, nothing said */
    frag4(&f, 23, dg, 0, 24, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 23, dg, 24, n - 24, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, 0);
}

static void test_frag4_bad(void **state)
{
    ctx *c = *state;
    uint8_t dg[200];
    tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    /* Offset 65528 + 16 bytes > 65535. */
    frag4(&f, 3, dg, 0, 16, 0);
    set16(&f, 14 + 6, 8191);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_FRAG_BAD);
    /* Two different ends. */
    frag4(&f, 4, dg, 0, 16, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 4, dg, 16, 16, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK); /* complete at 32 */
    assert_int_equal(p.payload_wire, 12);
    frag4(&f, 12, dg, 16, 16, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 12, dg, 16, 24, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    assert_true(p.anomalies & SD_ANOM_FRAG_BAD);
    frag4(&f, 12, dg, 0, 16, 1);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_int_equal(p.payload_wire, 12); /* the first end (32) won */
    assert_true(p.anomalies & SD_ANOM_FRAG_BAD);
}

static void test_frag4_timeout(void **state)
{
    ctx *c = ctx_new(0, 5 * SD_NS_PER_SEC);
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    frag4(&f, 5, dg, 0, 48, 1);
    assert_int_equal(dec_ex(c, 1, &f, f.n, 0, 100 * SD_NS_PER_SEC, &p), SD_DEC_HELD);
    frag4(&f, 5, dg, 48, n - 48, 0);
    /* 10 s later: the first fragment's set has expired. */
    assert_int_equal(dec_ex(c, 1, &f, f.n, 0, 110 * SD_NS_PER_SEC, &p), SD_DEC_HELD);
    assert_non_null(strstr(c->s.last, "timed out"));
    frag4(&f, 5, dg, 0, 48, 1);
    assert_int_equal(dec_ex(c, 1, &f, f.n, 0, 111 * SD_NS_PER_SEC, &p), SD_DEC_OK);
    assert_int_equal(p.first_frame, 2);
    assert_int_equal(p.frame->num, 3);
    sd_decoder_free(c->d);
    free(c);
    (void)state;
}

static void test_frag4_memcap(void **state)
{
    /* Room for about two sets: the third pushes out the oldest. */
    ctx *c = ctx_new(5000, 0);
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    for (unsigned id = 1; id <= 3; id++) {
        frag4(&f, id, dg, 0, 48, 1);
        assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    }
    assert_non_null(strstr(c->s.last, "memcap"));
    frag4(&f, 1, dg, 48, n - 48, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD); /* set 1 was dropped */
    frag4(&f, 3, dg, 48, n - 48, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_int_equal(p.first_frame, 3);
    sd_decoder_free(c->d);
    free(c);
    (void)state;
}

static void test_frag4_snapped(void **state)
{
    ctx *c = *state;
    uint8_t dg[200];
    size_t n = tcp_dgram(dg, 100);
    fb f;
    sd_pkt p;
    frag4(&f, 8, dg, 48, n - 48, 0);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_HELD);
    frag4(&f, 8, dg, 0, 48, 1);
    /* The first fragment loses its last 8 bytes to the snaplen. */
    assert_int_equal(dec_ex(c, 1, &f, f.n - 8, f.n, 0, &p), SD_DEC_OK);
    assert_true(p.anomalies & SD_ANOM_IP_SNAPPED);
    check_tcp_basic(&p);
    assert_int_equal(p.payload_wire, 100);
    assert_int_equal(p.payload_len, 20); /* only the contiguous prefix */
    assert_memory_equal(p.payload, dg + 20, 20);
}

/* ---- IPv6 ---- */

static void test_ipv6_ext(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    eth(&f, 0x86dd);
    size_t at = ip6(&f, 0);
    p8(&f, 60); p8(&f, 0); p16(&f, 0x0104); p32(&f, 0);      /* hop-by-hop, PadN */
    p8(&f, 43); p8(&f, 1); pz(&f, 14);                        /* dest opts, 16 bytes */
    p8(&f, 51); p8(&f, 0); p8(&f, 0); p8(&f, 0); p32(&f, 0);  /* routing, 8 bytes */
    p8(&f, 6); p8(&f, 2); p16(&f, 0); p32(&f, 1); p32(&f, 2); pz(&f, 4); /* AH, 16 bytes */
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x10, NULL, 0);
    pb(&f, "v6", 2);
    ip6_done(&f, at);
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_OK);
    assert_int_equal(p.ipver, 6);
    assert_int_equal(p.ipproto, 6);
    assert_int_equal(p.l4, SD_L4_TCP);
    assert_int_equal(p.sport, 1234);
    assert_int_equal(p.seq, 0x11223344u);
    assert_int_equal(p.payload_len, 2);
    assert_memory_equal(p.payload, "v6", 2);
    assert_int_equal(p.ip_len, 40 + 8 + 16 + 8 + 16 + 20 + 2);
    assert_int_equal(p.anomalies, 0);

    /* Destination options claiming more than the payload. */
    f.b[14 + 40 + 8 + 1] = 200;
    assert_int_equal(dec(c, 1, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP6_BADEXT);
}

static void test_ipv6_no_next_and_loop(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip6(&f, 60);
    p8(&f, 59); p8(&f, 0); pz(&f, 6);
    ip6_done(&f, at);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_OK);
    assert_int_equal(p.l4, SD_L4_NONE);
    assert_int_equal(p.ipproto, 59);

    /* 20 destination-options headers in a row: bounded walk. */
    f.n = 0;
    at = ip6(&f, 60);
    for (int i = 0; i < 20; i++) {
        p8(&f, 60); p8(&f, 0); pz(&f, 6);
    }
    ip6_done(&f, at);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP6_BADEXT);

    /* Header cut inside the extension header by the snaplen. */
    f.n = 0;
    at = ip6(&f, 0);
    p8(&f, 6); p8(&f, 1); pz(&f, 14);
    tcp(&f, 1, 2, 3, 4, 0x10, NULL, 0);
    ip6_done(&f, at);
    assert_int_equal(dec_ex(c, 229, &f, 44, f.n, 0, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_IP_SNAPPED);
    assert_true(p.anomalies & SD_ANOM_L4_TRUNC);
}

static void frag6(fb *f, uint32_t id, const uint8_t *dg, size_t off, size_t len, int more)
{
    f->n = 0;
    size_t at = ip6(f, 0);
    p8(f, 44); p8(f, 0); p16(f, 0x0104); p32(f, 0);                 /* hop-by-hop */
    p8(f, 6); p8(f, 0); p16(f, (unsigned)(off | (more ? 1 : 0))); p32(f, id);
    pb(f, dg + off, len);
    ip6_done(f, at);
}

static void test_frag6(void **state)
{
    ctx *c = *state;
    uint8_t dg[300];
    size_t n = tcp_dgram(dg, 180); /* 200 bytes */
    fb f;
    sd_pkt p;
    frag6(&f, 0xabcdef01u, dg, 64, 64, 1);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_HELD);
    assert_int_equal(p.ipver, 6);
    assert_int_equal(p.ipproto, 6);
    frag6(&f, 0xabcdef01u, dg, 128, n - 128, 0);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_HELD);
    frag6(&f, 0xabcdef01u, dg, 0, 64, 1);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_OK);
    assert_true(p.reassembled);
    assert_int_equal(p.first_frame, 1);
    assert_int_equal(p.frame->num, 3);
    assert_int_equal(p.l4, SD_L4_TCP);
    assert_int_equal(p.sport, 1234);
    assert_int_equal(p.seq, 0x11223344u);
    assert_int_equal(p.payload_len, 180);
    assert_memory_equal(p.payload, dg + 20, 180);
    assert_int_equal(p.ip_len, 40 + 8 + n);
    assert_int_equal(p.anomalies, 0);

    /* Atomic fragment (offset 0, M=0): decoded at once (RFC 6946). */
    frag6(&f, 7, dg, 0, n, 0);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_OK);
    assert_false(p.reassembled);
    assert_int_equal(p.payload_len, 180);

    /* Overlap. */
    frag6(&f, 8, dg, 0, 64, 1);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_HELD);
    frag6(&f, 8, dg, 56, n - 56, 0);
    assert_int_equal(dec(c, 229, &f, &p), SD_DEC_OK);
    assert_true(p.anomalies & SD_ANOM_FRAG_OVERLAP);
    assert_memory_equal(p.payload, dg + 20, 180);
}

/* ---- TCP ---- */

static sd_dec_res dec_tcp_opts(ctx *c, const uint8_t *opt, size_t optlen, sd_pkt *p)
{
    static fb f;
    f.n = 0;
    size_t at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x02, opt, optlen);
    pb(&f, "P", 1);
    ip4_done(&f, at);
    return dec(c, 228, &f, p);
}

static void test_tcp_bad_options(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    /* MSS with length 3: stop at once. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 2, 3, 5, 1 }, 4, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    assert_false(p.opt.has_mss);
    assert_int_equal(p.payload_len, 1);
    assert_string_equal(c->s.last, "TCP option 2 with bad length 3");
    /* MSS good, then a length-0 option: MSS is kept, the rest ignored. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 2, 4, 1, 0, 99, 0, 3, 3, 7, 0, 0, 0 }, 12, &p),
                     SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    assert_true(p.opt.has_mss);
    assert_int_equal(p.opt.mss, 256);
    assert_false(p.opt.has_wscale);
    /* Option running past the header. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 1, 1, 30, 8 }, 4, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    /* Kind without room for its length byte. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 1, 1, 1, 8 }, 4, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    /* SACK with a length that is not 2 + 8n; TS with length 8. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 5, 6, 0, 0, 0, 1, 0, 0 }, 8, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    assert_int_equal(p.opt.nsack, 0);
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 8, 8, 0, 0, 0, 1, 0, 0 }, 8, &p), SD_DEC_OK);
    assert_false(p.opt.has_ts);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    /* WS length 4, SACK-permitted length 3. */
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 3, 4, 7, 0 }, 4, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    assert_int_equal(dec_tcp_opts(c, (uint8_t[]){ 4, 3, 0, 0 }, 4, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOPT);
    /* Unknown option (kind 30, MPTCP-like) skipped; four SACK blocks. */
    uint8_t sack4[36] = { 30, 2, 5, 34 };
    for (int i = 0; i < 8; i++)
        sack4[4 + i * 4 + 3] = (uint8_t)(i + 1);
    assert_int_equal(dec_tcp_opts(c, sack4, 36, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, 0);
    assert_int_equal(p.opt.nsack, 4);
    assert_int_equal(p.opt.sack[3][0], 7);
    assert_int_equal(p.opt.sack[3][1], 8);
}

static void test_tcp_bad_offset_and_trunc(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1234, 22, 1, 2, 0x10, NULL, 0);
    pz(&f, 8);
    ip4_done(&f, at);
    f.b[20 + 12] = 0x40; /* data offset 16 */
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOFF);
    assert_string_equal(c->s.last, "TCP data offset 16 < 20");
    f.b[20 + 12] = 0xf0; /* 60 > 28 */
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_TCP_BADOFF);
    /* IP payload of 12 bytes cannot hold a TCP header. */
    f.b[20 + 12] = 0x50;
    set16(&f, 2, 32);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_true(p.anomalies & SD_ANOM_L4_TRUNC);
    assert_true(p.anomalies & SD_ANOM_TRAILER);
    assert_int_equal(p.sport, 1234);
    /* TCP header cut by the snaplen. */
    set16(&f, 2, 48);
    assert_int_equal(dec_ex(c, 228, &f, 30, 48, 0, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_L4_TRUNC | SD_ANOM_IP_SNAPPED);
    /* Options cut by the snaplen: fixed header kept. */
    f.n = 0;
    at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1234, 22, 0x11223344u, 0x55667788u, 0x02, (uint8_t[]){ 2, 4, 5, 0xb4, 1, 1, 1, 0 }, 8);
    ip4_done(&f, at);
    assert_int_equal(dec_ex(c, 228, &f, 44, 48, 0, &p), SD_DEC_OK);
    assert_true(p.anomalies & SD_ANOM_L4_TRUNC);
    assert_true(p.opt.has_mss);
    assert_int_equal(p.opt.mss, 1460);
    assert_int_equal(p.payload_len, 0);
}

/* ---- UDP ---- */

static void test_udp_lengths(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 17, 1, 0, NULL, 0);
    udp(&f, 10, 20, 8 + 3);
    pb(&f, "abcdef", 6); /* three bytes past the UDP length */
    ip4_done(&f, at);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    assert_int_equal(p.payload_len, 3);
    assert_int_equal(p.payload_wire, 3);
    assert_int_equal(p.anomalies, 0);
    set16(&f, 24, 4); /* < 8 */
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_UDP_BADLEN);
    assert_int_equal(p.payload_len, 6);
    set16(&f, 24, 100); /* > datagram */
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_OK);
    assert_int_equal(p.anomalies, SD_ANOM_UDP_BADLEN);
    assert_int_equal(p.payload_len, 6);
    f.n = 24;
    set16(&f, 2, 24);
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(p.anomalies, SD_ANOM_L4_TRUNC);
    assert_int_equal(p.sport, 10);
}

/* ---- diagnostics ---- */

static void test_diag_rate_limit(void **state)
{
    ctx *c = *state;
    sd_pkt p;
    fb f = { .n = 0 };
    size_t at = ip4(&f, 6, 1, 0, NULL, 0);
    tcp(&f, 1, 2, 3, 4, 0x10, NULL, 0);
    ip4_done(&f, at);
    f.b[0] = 0x41;
    for (int i = 0; i < 50; i++)
        assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(c->s.n, 20);
    assert_non_null(strstr(c->s.last, "suppressed"));
    /* Another kind still reports. */
    f.b[0] = 0x45;
    f.b[20 + 12] = 0x10;
    assert_int_equal(dec(c, 228, &f, &p), SD_DEC_BAD);
    assert_int_equal(c->s.n, 21);
    /* Another file has its own budget. */
    f.b[0] = 0x41;
    g_frame = (sd_frame){ .num = 99, .caplen = (uint32_t)f.n, .wirelen = (uint32_t)f.n,
                          .linktype = 228, .data = f.b, .file_idx = 1 };
    assert_int_equal(sd_decode(c->d, &g_frame, &p), SD_DEC_BAD);
    assert_int_equal(c->s.n, 22);
    assert_string_equal(c->s.file, "b.pcap");
    assert_int_equal(c->s.frame, 99);
}

static void test_no_diag_sink(void **state)
{
    (void)state;
    sd_decoder *d = sd_decoder_new(NULL);
    uint8_t junk[3] = { 0x41, 0, 0 };
    sd_frame fr = { .num = 1, .caplen = 3, .wirelen = 3, .linktype = 12, .data = junk };
    sd_pkt p;
    assert_int_equal(sd_decode(d, &fr, &p), SD_DEC_BAD);
    fr.linktype = 9999;
    assert_int_equal(sd_decode(d, &fr, &p), SD_DEC_NOT_IP);
    fr.caplen = 0;
    fr.data = NULL;
    fr.linktype = 1;
    assert_int_equal(sd_decode(d, &fr, &p), SD_DEC_BAD);
    sd_decoder_free(d);
}


/* ---- the crafted captures (tests/crafted/README.md), end to end ---- */

typedef struct crafted_exp {
    const char *file;
    unsigned tcp[2];      /* TCP packets client->server, server->client */
    unsigned bytes[2];    /* TCP payload bytes per direction */
    unsigned udp;         /* UDP packets */
    unsigned reassembled; /* datagrams built from fragments */
    unsigned overlaps;    /* packets flagged SD_ANOM_FRAG_OVERLAP */
    unsigned nvlan;
    uint16_t vlan[2];
} crafted_exp;

static const crafted_exp crafted[] = {
    { "simple.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "simple.pcapng", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "simple_ns.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "vlan.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 1, { 100, 0 } },
    { "qinq.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 2, { 10, 20 } },
    { "sll.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "sll2.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "null.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "raw.pcap", { 7, 5 }, { 544, 21 }, 2, 0, 0, 0, { 0, 0 } },
    { "ipv6_ext.pcap", { 7, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
    { "frag4.pcap", { 6, 4 }, { 3000, 1180 }, 0, 2, 1, 0, { 0, 0 } },
    { "frag6.pcap", { 6, 4 }, { 2500, 3 }, 0, 1, 0, 0, { 0, 0 } },
    { "port_reuse.pcap", { 14, 10 }, { 1088, 42 }, 0, 0, 0, 0, { 0, 0 } },
    { "seqwrap.pcap", { 16, 14 }, { 10240, 7 }, 0, 0, 0, 0, { 0, 0 } },
    { "truncated.pcap", { 6, 5 }, { 544, 21 }, 0, 0, 0, 0, { 0, 0 } },
};

typedef struct crafted_run {
    unsigned tcp[2], bytes[2], udp, reassembled, overlaps, bad;
    bool have_client;
    sd_addr caddr;
    uint16_t cport;
    sd_buf c2s; /* client payload, in capture order */
} crafted_run;

static void crafted_pkt(crafted_run *r, const crafted_exp *e, const sd_pkt *p)
{
    if (p->reassembled) {
        r->reassembled++;
        if (strcmp(e->file, "frag4.pcap") == 0) {
            /* README: completed in frames 6 and 9, first frames 4 and 8. */
            assert_int_equal(p->frame->num, r->reassembled == 1 ? 6 : 9);
            assert_int_equal(p->first_frame, r->reassembled == 1 ? 4 : 8);
        }
    }
    if (p->anomalies & SD_ANOM_FRAG_OVERLAP)
        r->overlaps++;
    assert_int_equal(p->nvlan, e->nvlan);
    for (unsigned i = 0; i < e->nvlan; i++)
        assert_int_equal(p->vlan[i], e->vlan[i]);
    if (p->l4 == SD_L4_UDP) {
        r->udp++;
        return;
    }
    assert_int_equal(p->l4, SD_L4_TCP);
    if (!r->have_client) {
        assert_int_equal(p->flags, SD_TH_SYN);
        assert_true(p->opt.has_mss && p->opt.sack_ok && p->opt.has_ts && p->opt.has_wscale);
        assert_int_equal(p->opt.mss, 1460);
        assert_int_equal(p->opt.wscale, 7);
        r->have_client = true;
        r->caddr = p->src;
        r->cport = p->sport;
    }
    int dir = (sd_addr_cmp(&p->src, &r->caddr) == 0 && p->sport == r->cport) ? 0 : 1;
    r->tcp[dir]++;
    r->bytes[dir] += p->payload_len;
    assert_int_equal(p->payload_len, p->payload_wire);
    if (dir == 0 && p->payload_len)
        sd_buf_append(&r->c2s, p->payload, p->payload_len);
}

static void test_crafted_captures(void **state)
{
    (void)state;
    for (size_t i = 0; i < SD_ARRAY_LEN(crafted); i++) {
        const crafted_exp *e = &crafted[i];
        char path[256], err[PCAP_ERRBUF_SIZE];
        snprintf(path, sizeof path, "tests/crafted/%s", e->file);
        pcap_t *pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO,
                                                             err);
        if (!pc) {
            print_message("cannot open %s (run from the repository root): %s\n", path, err);
            skip();
        }
        sd_decoder *d = sd_decoder_new(NULL);
        crafted_run r = { .have_client = false };
        struct pcap_pkthdr *h;
        const u_char *data;
        uint64_t num = 0;
        while (pcap_next_ex(pc, &h, &data) == 1) {
            sd_frame f = { .num = ++num, .caplen = h->caplen, .wirelen = h->len,
                           .linktype = pcap_datalink(pc), .data = data,
                           .ts = (sd_ts)h->ts.tv_sec * SD_NS_PER_SEC + h->ts.tv_usec };
            sd_pkt p;
            sd_dec_res res = sd_decode(d, &f, &p);
            if (res == SD_DEC_OK)
                crafted_pkt(&r, e, &p);
            else if (res != SD_DEC_HELD)
                r.bad++;
        }
        print_message("%s: tcp %u/%u bytes %u/%u udp %u reasm %u overlap %u\n", e->file,
                      r.tcp[0], r.tcp[1], r.bytes[0], r.bytes[1], r.udp, r.reassembled,
                      r.overlaps);
        assert_int_equal(r.bad, 0);
        assert_int_equal(r.tcp[0], e->tcp[0]);
        assert_int_equal(r.tcp[1], e->tcp[1]);
        assert_int_equal(r.bytes[0], e->bytes[0]);
        assert_int_equal(r.bytes[1], e->bytes[1]);
        assert_int_equal(r.udp, e->udp);
        assert_int_equal(r.reassembled, e->reassembled);
        assert_int_equal(r.overlaps, e->overlaps);
        assert_int_equal(sd_decoder_frags_reassembled(d), e->reassembled);
        if (strcmp(e->file, "seqwrap.pcap") == 0) {
            /* "seqwrap line NNNNN\n" lines cut at 10240 bytes. */
            sd_buf want = { 0 };
            for (unsigned n = 0; want.len < 10240; n++)
                sd_buf_printf(&want, "seqwrap line %05u\n", n);
            assert_int_equal(r.c2s.len, 10240);
            assert_memory_equal(r.c2s.p, want.p, 10240);
            sd_buf_free(&want);
        }
        if (e->reassembled && e->tcp[0] == 6) {
            /* gen.py: frag4 carries (i*7+3) & 0xff, frag6 (i*11+1) & 0xff. */
            unsigned mul = strcmp(e->file, "frag4.pcap") == 0 ? 7 : 11;
            unsigned add = mul == 7 ? 3 : 1;
            assert_int_equal(r.c2s.len, e->bytes[0]);
            for (size_t k = 0; k < r.c2s.len; k++)
                assert_int_equal(r.c2s.p[k], (k * mul + add) & 0xff);
        }
        if (strcmp(e->file, "simple_ns.pcap") == 0)
            assert_int_equal(num, 12);
        sd_buf_free(&r.c2s);
        sd_decoder_free(d);
        pcap_close(pc);
    }
}


/* ---- the fast path (sd_decfast.c) against the general one ---- */

/* Sets the IPv4 header checksum (at ip) and the TCP one (at ip + 20, seg
 * bytes), as a sender would, so that mutated headers still pass them. */
static void fix_sums(uint8_t *ip, size_t seg)
{
    ip[10] = ip[11] = 0;
    unsigned ihl = (ip[0] & 0x0f) * 4u;
    uint16_t v = (uint16_t)~sd_csum_fold(sd_csum_add(0, ip, ihl));
    memcpy(ip + 10, &v, 2);
    uint8_t *t = ip + ihl;
    if (seg < 18 || ip[9] != 6)
        return;
    t[16] = t[17] = 0;
    uint8_t ph[4] = { 0, 6, (uint8_t)(seg >> 8), (uint8_t)seg };
    uint64_t sum = sd_csum_add(sd_csum_add(sd_csum_add(0, ip + 12, 8), ph, 4), t, seg);
    v = (uint16_t)~sd_csum_fold(sum);
    memcpy(t + 16, &v, 2);
}

static unsigned rnd(uint64_t *x)
{
    *x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
    return (unsigned)(*x >> 11);
}

/* A valid Ethernet/IPv4/TCP frame: no options or the usual timestamps,
 * pay payload bytes; returns its length. */
static size_t good_frame(fb *f, bool ts, size_t pay, uint64_t *x)
{
    f->n = 0;
    eth(f, 0x0800);
    size_t ip = ip4(f, 6, rnd(x) & 0xffff, (rnd(x) & 1) ? 0x4000 : 0, NULL, 0);
    p16(f, 40000 + (rnd(x) & 0xff)), p16(f, 22), p32(f, rnd(x)), p32(f, rnd(x));
    p8(f, ts ? 0x80 : 0x50), p8(f, rnd(x) & 0xff), p16(f, rnd(x) & 0xffff), p16(f, 0), p16(f, rnd(x) & 3);
    if (ts)
        p8(f, 1), p8(f, 1), p8(f, 8), p8(f, 10), p32(f, rnd(x)), p32(f, rnd(x));
    for (size_t i = 0; i < pay; i++)
        p8(f, rnd(x));
    set16(f, ip + 2, (unsigned)(f->n - ip));
    fix_sums(f->b + ip, f->n - ip - 20);
    return f->n;
}

/* Random frames near the one the fast path takes (header bytes flipped,
 * lengths cut or grown, padding after, sums made right again or not, the
 * three checksum modes): sd_decode with the fast path gives the same
 * result, packet and counts as the general path alone. */
static void test_fast_path_same_packet(void **state)
{
    (void)state;
    uint64_t x = 0x9e3779b97f4a7c15ull;
    unsigned fast_like = 0;
    for (int i = 0; i < 60000; i++) {
        sd_decode_opts o = { .csum = (sd_csum_mode)(rnd(&x) % 3) };
        sd_decoder *fast = sd_decoder_new(&o);
        o.general_only = true;
        sd_decoder *gen = sd_decoder_new(&o);
        fb f;
        size_t n = good_frame(&f, rnd(&x) & 1, rnd(&x) % 300, &x);
        unsigned flips = rnd(&x) % 4;
        for (unsigned k = 0; k < flips; k++)
            f.b[12 + rnd(&x) % 60] ^= (uint8_t)(1u << (rnd(&x) % 8));
        if (rnd(&x) % 2)
            fix_sums(f.b + ETH_HDR_LEN_T, n - ETH_HDR_LEN_T - 20);
        size_t cap = n;
        switch (rnd(&x) % 4) {
        case 0: cap = rnd(&x) % (n + 1); break;        /* cut anywhere */
        case 1: cap = n + rnd(&x) % 20; break;          /* padding after */
        default: break;
        }
        for (size_t k = n; k < cap; k++)
            f.b[k] = (uint8_t)rnd(&x);
        sd_frame fr = { .num = 1, .caplen = (uint32_t)cap, .wirelen = (uint32_t)(cap + rnd(&x) % 2),
                        .linktype = 1, .data = f.b };
        sd_pkt a, b;
        sd_dec_res ra = sd_decode(fast, &fr, &a), rb = sd_decode(gen, &fr, &b);
        assert_int_equal(ra, rb);
        assert_memory_equal(&a, &b, sizeof a);
        uint64_t ca[SD_UNDEC_COUNT], cb[SD_UNDEC_COUNT];
        sd_decoder_undecoded(fast, ca);
        sd_decoder_undecoded(gen, cb);
        assert_memory_equal(ca, cb, sizeof ca);
        fast_like += ra == SD_DEC_OK && a.l4 == SD_L4_TCP && a.anomalies == 0;
        sd_decoder_free(fast);
        sd_decoder_free(gen);
    }
    assert_true(fast_like > 10000); /* the fast path's frames were among them */
}

/* A SYN's options in Linux's layout (MSS, SACK-permitted, timestamps, NOP,
 * window scale: read at once by sd_l4.c), random bytes and flipped bits
 * among them, against the same options after four NOPs, which the
 * option loop reads: the same options and anomalies either way. */
static size_t syn_frame(fb *f, const uint8_t *opt, size_t olen)
{
    f->n = 0;
    eth(f, 0x0800);
    size_t ip = ip4(f, 6, 1, 0x4000, NULL, 0);
    p16(f, 40000), p16(f, 22), p32(f, 1000), p32(f, 0);
    p8(f, (uint8_t)((20 + olen) / 4 << 4)), p8(f, 0x02), p16(f, 64240), p16(f, 0), p16(f, 0);
    for (size_t i = 0; i < olen; i++)
        p8(f, opt[i]);
    set16(f, ip + 2, (unsigned)(f->n - ip));
    fix_sums(f->b + ip, f->n - ip - 20);
    return f->n;
}

static void test_syn_options_layout(void **state)
{
    (void)state;
    static const uint8_t linux_syn[20] = { 2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 3, 7 };
    uint64_t x = 0x243f6a8885a308d3ull;
    unsigned whole = 0;
    sd_decode_opts o = { .csum = SD_CSUM_VERIFY };
    sd_decoder *d = sd_decoder_new(&o);
    for (int i = 0; i < 20000; i++) {
        uint8_t q[24], *r = q + 4; /* r: the 20 bytes, q: with the NOPs before */
        memset(q, 1, 4);
        memcpy(r, linux_syn, 20);
        for (int k = 2; k < 4; k++)
            r[k] = (uint8_t)rnd(&x);
        for (int k = 8; k < 16; k++)
            r[k] = (uint8_t)rnd(&x);
        r[19] = (uint8_t)(rnd(&x) % 20);
        unsigned flips = rnd(&x) % 3;
        for (unsigned k = 0; k < flips; k++)
            r[rnd(&x) % 20] ^= (uint8_t)(1u << (rnd(&x) % 8));
        fb fa, fb2;
        size_t na = syn_frame(&fa, r, 20), nb = syn_frame(&fb2, q, 24);
        sd_frame fra = { .num = 1, .caplen = (uint32_t)na, .wirelen = (uint32_t)na, .linktype = 1, .data = fa.b };
        sd_frame frb = { .num = 1, .caplen = (uint32_t)nb, .wirelen = (uint32_t)nb, .linktype = 1, .data = fb2.b };
        sd_pkt a, b;
        sd_dec_res ra = sd_decode(d, &fra, &a);
        sd_dec_res rb = sd_decode(d, &frb, &b);
        assert_int_equal(ra, rb);
        assert_memory_equal(&a.opt, &b.opt, sizeof a.opt);
        assert_int_equal(a.anomalies, b.anomalies);
        whole += ra == SD_DEC_OK && a.opt.has_mss && a.opt.sack_ok && a.opt.has_ts && a.opt.has_wscale;
    }
    sd_decoder_free(d);
    assert_true(whole > 5000); /* the layout itself was among them */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_eth_ipv4_tcp_trailer),
        T(test_vlan),
        T(test_eth_non_ip_and_short),
        T(test_sll),
        T(test_sll2),
        T(test_raw_variants),
        T(test_null_loop),
        T(test_unknown_link_once),
        T(test_cut_header_counts),
        cmocka_unit_test(test_linktype_names),
        T(test_ipv4_options),
        T(test_ipv4_bad_ihl),
        T(test_ipv4_truncated),
        T(test_other_proto),
        T(test_frag4_in_order),
        T(test_frag4_out_of_order),
        T(test_frag4_overlap_first_wins),
        T(test_frag4_bad),
        T(test_frag4_header_rewrite),
        T(test_frag4_tiny_first),
        cmocka_unit_test(test_frag4_timeout),
        cmocka_unit_test(test_frag4_memcap),
        T(test_frag4_snapped),
        T(test_ipv6_ext),
        T(test_ipv6_no_next_and_loop),
        T(test_frag6),
        T(test_tcp_bad_options),
        T(test_syn_options_layout),
        T(test_tcp_bad_offset_and_trunc),
        T(test_udp_lengths),
        T(test_diag_rate_limit),
        cmocka_unit_test(test_no_diag_sink),
        cmocka_unit_test(test_crafted_captures),
        cmocka_unit_test(test_fast_path_same_packet),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
