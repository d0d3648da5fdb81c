/* sd_dns: the DNS decoder on well-formed and hostile messages (pointer
 * loops, forward pointers, chains past the hop limit, oversized labels and
 * names, truncated records, counts larger than the message), and the
 * indicators' entropy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/sd_dns.h"
#include "analyze/sd_dnsind.h"

static sd_dns_msg m;

#define HDR(id, flags, qd, an) (id) >> 8, (id) & 255, (flags) >> 8, (flags) & 255, 0, (qd), 0, (an), 0, 0, 0, 0
#define EXAMPLE_COM 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0

static void t_response(void **st)
{
    static const uint8_t p[] = {
        HDR(0x1234, 0x8583, 1, 3), EXAMPLE_COM, 0, 1, 0, 1,
        /* CNAME www.example.com -> a pointer to example.com: "www" + ptr */
        0xc0, 12, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'w', 'w', 'w', 0xc0, 12,
        0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 192, 0, 2, 1,
        0xc0, 12, 0, 28, 0, 1, 0, 0, 0, 5, 0, 16, 0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
    };
    assert_int_equal(sd_dns_parse(p, sizeof p, &m), SD_DNS_OK);
    assert_int_equal(m.id, 0x1234);
    assert_true(m.qr && m.aa && m.rd && m.ra && !m.tc);
    assert_int_equal(m.rcode, 3);
    assert_true(m.has_q);
    assert_string_equal(m.qname, "example.com");
    assert_int_equal(m.qtype, 1);
    assert_int_equal(m.nans, 3);
    assert_false(m.ans_bad);
    assert_string_equal(m.ans[0].data, "www.example.com");
    assert_int_equal(m.ans[0].ttl, 60);
    assert_string_equal(m.ans[1].data, "192.0.2.1");
    assert_int_equal(m.ans[1].ttl, 3600);
    assert_int_equal(m.ans[1].addr_len, 4);
    assert_string_equal(m.ans[2].data, "2001:db8::1");
    char b[32];
    assert_string_equal(sd_dns_rcode_name(m.rcode, b, sizeof b), "NXDOMAIN");
    assert_string_equal(sd_dns_qtype_name(28, b, sizeof b), "AAAA");
    assert_string_equal(sd_dns_qtype_name(4000, b, sizeof b), "query-4000");
    assert_string_equal(sd_dns_qclass_name(0x8001, b, sizeof b), "C_INTERNET");
}

static void t_pointer_loops(void **st)
{
    /* the question's name points at itself */
    static const uint8_t self[] = { HDR(1, 0x8180, 1, 0), 0xc0, 12, 0, 1, 0, 1 };
    assert_int_equal(sd_dns_parse(self, sizeof self, &m), SD_DNS_BAD_QUESTION);
    /* two pointers pointing at each other (the first one forward) */
    static const uint8_t pair[] = { HDR(1, 0x8180, 1, 0), 0xc0, 14, 0xc0, 12, 0, 1, 0, 1 };
    assert_int_equal(sd_dns_parse(pair, sizeof pair, &m), SD_DNS_BAD_QUESTION);
    /* a pointer past the end */
    static const uint8_t past[] = { HDR(1, 0x8180, 1, 0), 0xff, 0xff, 0, 1, 0, 1 };
    assert_int_equal(sd_dns_parse(past, sizeof past, &m), SD_DNS_BAD_QUESTION);
    /* an answer whose owner loops: the question is kept, the answer is bad */
    static const uint8_t ans[] = { HDR(1, 0x8180, 1, 1), EXAMPLE_COM, 0, 1, 0, 1, 0xc0, 29, 0, 1, 0, 1,
                                   0, 0, 0, 1, 0, 4, 1, 2, 3, 4 };
    assert_int_equal(sd_dns_parse(ans, sizeof ans, &m), SD_DNS_OK);
    assert_string_equal(m.qname, "example.com");
    assert_true(m.ans_bad);
    assert_int_equal(m.nans, 0);
}

/* A chain of backward pointers: each legal, their number is not. */
static void t_hop_limit(void **st)
{
    uint8_t p[12 + 3 + 2 * 64] = { HDR(1, 0x0100, 0, 0) };
    size_t o = 12;
    p[o++] = 1, p[o++] = 'z', p[o++] = 0;
    size_t prev = 12;
    for (int i = 0; i < 64; i++) {
        p[o] = 0xc0;
        p[o + 1] = (uint8_t)prev;
        prev = o;
        o += 2;
    }
    char out[SD_DNS_TXT];
    /* the pointer SD_DNS_MAX_HOPS from the start resolves; one further does not */
    assert_int_equal(sd_dns_name(p, o, 15 + 2 * (SD_DNS_MAX_HOPS - 1), out, sizeof out, NULL), 15 + 2 * SD_DNS_MAX_HOPS);
    assert_string_equal(out, "z");
    assert_int_equal(sd_dns_name(p, o, 15 + 2 * SD_DNS_MAX_HOPS, out, sizeof out, NULL), 0);
}

static void t_lengths(void **st)
{
    /* a 64-byte label (0x40: a reserved label type) */
    uint8_t l64[12 + 1 + 64 + 5] = { HDR(1, 0x0100, 1, 0), 0x40 };
    assert_int_equal(sd_dns_parse(l64, sizeof l64, &m), SD_DNS_BAD_QUESTION);
    /* four 63-byte labels and one more byte: 257 bytes on the wire */
    uint8_t big[12 + 4 * 64 + 2 + 1 + 4] = { HDR(1, 0x0100, 1, 0) };
    size_t o = 12;
    for (int i = 0; i < 4; i++) {
        big[o++] = 63;
        memset(big + o, 'a', 63);
        o += 63;
    }
    big[o++] = 1, big[o++] = 'b', big[o++] = 0;
    assert_int_equal(sd_dns_parse(big, sizeof big, &m), SD_DNS_BAD_QUESTION);
    /* three of them and one of 61: 255, the most allowed */
    big[12 + 3 * 64] = 61;
    big[12 + 3 * 64 + 62] = 0;
    assert_int_equal(sd_dns_parse(big, 12 + 3 * 64 + 63 + 4, &m), SD_DNS_OK);
    assert_int_equal(m.qname_wire_len, 255);
    /* non-printable bytes are escaped */
    static const uint8_t esc[] = { HDR(1, 0x0100, 1, 0), 3, 'a', 0x1b, '.', 0, 0, 1, 0, 1 };
    assert_int_equal(sd_dns_parse(esc, sizeof esc, &m), SD_DNS_OK);
    assert_string_equal(m.qname, "a\\027\\046");
}

static void t_truncated(void **st)
{
    assert_int_equal(sd_dns_parse((const uint8_t *)"\x12\x34\x81", 3, &m), SD_DNS_SHORT);
    assert_int_equal(sd_dns_parse(NULL, 0, &m), SD_DNS_SHORT);
    /* the question's type cut off */
    static const uint8_t q[] = { HDR(1, 0x0100, 1, 0), EXAMPLE_COM, 0, 1 };
    assert_int_equal(sd_dns_parse(q, sizeof q, &m), SD_DNS_BAD_QUESTION);
    /* an answer whose rdlength runs past the message */
    static const uint8_t r[] = { HDR(1, 0x8180, 1, 1), EXAMPLE_COM, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1,
                                 0, 0, 0, 60, 1, 0x90, 1, 2, 3, 4 };
    assert_int_equal(sd_dns_parse(r, sizeof r, &m), SD_DNS_OK);
    assert_true(m.ans_bad);
    assert_int_equal(m.nans, 0);
    /* an A record of 3 bytes: kept, no address */
    static const uint8_t a3[] = { HDR(1, 0x8180, 1, 1), EXAMPLE_COM, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1,
                                  0, 0, 0, 60, 0, 3, 1, 2, 3 };
    assert_int_equal(sd_dns_parse(a3, sizeof a3, &m), SD_DNS_OK);
    assert_int_equal(m.nans, 1);
    assert_int_equal(m.ans[0].addr_len, 0);
    assert_string_equal(m.ans[0].data, "");
    /* a CNAME whose name runs out of its record */
    static const uint8_t cn[] = { HDR(1, 0x8180, 1, 1), EXAMPLE_COM, 0, 1, 0, 1, 0xc0, 12, 0, 5, 0, 1,
                                  0, 0, 0, 60, 0, 2, 3, 'w', 'w', 'w', 0 };
    assert_int_equal(sd_dns_parse(cn, sizeof cn, &m), SD_DNS_OK);
    assert_string_equal(m.ans[0].data, "");
}

static void t_counts(void **st)
{
    /* 65535 questions announced, one present */
    static const uint8_t q[] = { 0, 1, 1, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0, EXAMPLE_COM, 0, 1, 0, 1 };
    assert_int_equal(sd_dns_parse(q, sizeof q, &m), SD_DNS_BAD_QUESTION);
    /* 65535 answers announced, one present: kept, the rest is a bad section */
    static const uint8_t a[] = { 0, 1, 0x81, 0x80, 0, 1, 0xff, 0xff, 0, 0, 0, 0, EXAMPLE_COM, 0, 1, 0, 1,
                                 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 1, 2, 3, 4 };
    assert_int_equal(sd_dns_parse(a, sizeof a, &m), SD_DNS_OK);
    assert_int_equal(m.nans, 1);
    assert_true(m.ans_bad);
    /* more answers than kept: counted, not decoded */
    uint8_t big[12 + 17 + 20 * 16] = { 0, 1, 0x81, 0x80, 0, 1, 0, 20, 0, 0, 0, 0, EXAMPLE_COM, 0, 1, 0, 1 };
    for (int i = 0; i < 20; i++) {
        static const uint8_t rr[] = { 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 10, 0, 0, 0 };
        memcpy(big + 29 + 16 * i, rr, sizeof rr);
        big[29 + 16 * i + 15] = (uint8_t)i;
    }
    assert_int_equal(sd_dns_parse(big, sizeof big, &m), SD_DNS_OK);
    assert_int_equal(m.nans, SD_DNS_MAX_ANS);
    assert_int_equal(m.ans_more, 20 - SD_DNS_MAX_ANS);
    assert_false(m.ans_bad);
}

static void t_entropy(void **st)
{
    assert_true(sd_dnsind_entropy("aaaa", 4) == 0);
    assert_true(sd_dnsind_entropy("abcd", 4) > 1.99 && sd_dnsind_entropy("abcd", 4) < 2.01);
    assert_true(sd_dnsind_random_label("x8k2q9vz0m3j7tnw", 16));
    assert_true(sd_dnsind_random_label("qhxvmrdwpzktbcfg", 16));   /* letters only, no vowel */
    /* words of high entropy keep their vowels and have no digits */
    assert_false(sd_dnsind_random_label("stackoverflowing", 16));
    assert_false(sd_dnsind_random_label("akamaitechnologies", 18));
    assert_false(sd_dnsind_random_label("safebrowsing-cache", 18));
    assert_false(sd_dnsind_random_label("x8k2q9vz0m3j7t", 14)); /* too short to tell */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_response), cmocka_unit_test(t_pointer_loops), cmocka_unit_test(t_hop_limit),
        cmocka_unit_test(t_lengths),  cmocka_unit_test(t_truncated),     cmocka_unit_test(t_counts),
        cmocka_unit_test(t_entropy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
