/* Unit tests for src/decode/sd_csum: the sum itself against a plain 16-bit
 * RFC 1071 sum, real packets with right checksums (IPv4 TCP, IPv6 UDP),
 * real offloaded ones (Linux CHECKSUM_PARTIAL over IPv4 TCP and IPv6 UDP on
 * loopback), large-send offload's sum without the length, snaplen-cut
 * packets, rewritten addresses, and what each --checksum mode makes of
 * them through sd_decode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/sd_csum.h"
#include "decode/sd_decode.h"

/* lab fixture agent_unused.pcap frame 4: 10.201.0.1 -> 10.201.0.2, TCP
 * 59646 -> 22 with the client's banner; IPv4 and TCP checksums right */
static const uint8_t LAB_TCP4[] = {
    0xd6, 0xdc, 0xd5, 0x67, 0x99, 0x0b, 0x46, 0xdc, 0xb6, 0xf6, 0x2d, 0xbf, 0x08, 0x00, 0x45, 0x10,
    0x00, 0x5d, 0x1f, 0x43, 0x40, 0x00, 0x40, 0x06, 0x05, 0xb4, 0x0a, 0xc9, 0x00, 0x01, 0x0a, 0xc9,
    0x00, 0x02, 0xe8, 0xfe, 0x00, 0x16, 0xe6, 0x4e, 0xf0, 0xae, 0x9c, 0x44, 0xb0, 0x62, 0x80, 0x18,
    0x00, 0x3f, 0x9b, 0x18, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x27, 0xda, 0xc0, 0xb6, 0x22, 0xe5,
    0x1b, 0x9e, 0x53, 0x53, 0x48, 0x2d, 0x32, 0x2e, 0x30, 0x2d, 0x4f, 0x70, 0x65, 0x6e, 0x53, 0x53,
    0x48, 0x5f, 0x39, 0x2e, 0x32, 0x70, 0x31, 0x20, 0x44, 0x65, 0x62, 0x69, 0x61, 0x6e, 0x2d, 0x32,
    0x2b, 0x64, 0x65, 0x62, 0x31, 0x32, 0x75, 0x31, 0x30, 0x0d, 0x0a,
};
/* OpenSSH-Network-Parser dump_ssh.pcap frame 4, taken on the sender:
 * the TCP checksum field holds the pseudo-header sum (0x1ebd) */
static const uint8_t PARTIAL_TCP4[] = {
    0x00, 0x0c, 0x29, 0x3c, 0xeb, 0xa0, 0x00, 0x0c, 0x29, 0x01, 0x84, 0xc5, 0x08, 0x00, 0x45, 0x00,
    0x00, 0x49, 0xe8, 0x2f, 0x40, 0x00, 0x40, 0x06, 0x33, 0xfe, 0x0a, 0xc7, 0x04, 0x78, 0x0a, 0xc7,
    0x04, 0x7c, 0xc5, 0xb6, 0x00, 0x16, 0x82, 0x53, 0xe9, 0x8f, 0x0c, 0x9f, 0x1a, 0x17, 0x80, 0x18,
    0x01, 0xf6, 0x1e, 0xbd, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0xb2, 0x86, 0xf5, 0x9f, 0x60, 0x1b,
    0x18, 0x81, 0x53, 0x53, 0x48, 0x2d, 0x32, 0x2e, 0x30, 0x2d, 0x4f, 0x70, 0x65, 0x6e, 0x53, 0x53,
    0x48, 0x5f, 0x38, 0x2e, 0x33, 0x0d, 0x0a,
};
/* ja4 sshv1.pcap frame 1: IPv6 UDP DNS query, checksum right */
static const uint8_t DNS_UDP6[] = {
    0x00, 0x60, 0x97, 0x07, 0x69, 0xea, 0x00, 0x00, 0x86, 0x05, 0x80, 0xda, 0x86, 0xdd, 0x60, 0x00,
    0x00, 0x00, 0x00, 0x24, 0x11, 0x40, 0x3f, 0xfe, 0x05, 0x07, 0x00, 0x00, 0x00, 0x01, 0x02, 0x00,
    0x86, 0xff, 0xfe, 0x05, 0x80, 0xda, 0x3f, 0xfe, 0x05, 0x01, 0x48, 0x19, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x42, 0x09, 0x5c, 0x00, 0x35, 0x00, 0x24, 0xf0, 0x09, 0x00, 0x06,
    0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x69, 0x74, 0x6f, 0x6a, 0x75,
    0x6e, 0x03, 0x6f, 0x72, 0x67, 0x00, 0x00, 0xff, 0x00, 0x01,
};
/* Zeek ssh/ssh-over-udp.pcap frame 1 (BSD loopback, ::1 -> ::1): the
 * field holds the pseudo-header sum 0x0030 (2 + 29 + 17) */
static const uint8_t LOOP_UDP6[] = {
    0x1e, 0x00, 0x00, 0x00, 0x60, 0x0d, 0x08, 0x00, 0x00, 0x1d, 0x11, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0xce, 0x46, 0x04, 0xd2,
    0x00, 0x1d, 0x00, 0x30, 0x53, 0x53, 0x48, 0x2d, 0x32, 0x2e, 0x30, 0x2d, 0x4f, 0x70, 0x65, 0x6e,
    0x53, 0x53, 0x48, 0x5f, 0x34, 0x32, 0x2e, 0x32, 0x0a,
};
enum { ETH = 14, LT_EN10MB = 1, LT_NULL = 0, TCP_SUM = ETH + 20 + 16 };

static sd_frame g_fr;

/* Decodes a copy of frame (len bytes, caplen of them captured) in mode. */
static sd_dec_res dec(const uint8_t *frame, size_t len, size_t caplen, int lt, sd_csum_mode mode, sd_pkt *p)
{
    sd_decode_opts o = { .csum = mode };
    sd_decoder *d = sd_decoder_new(&o);
    g_fr = (sd_frame){ .num = 1, .caplen = (uint32_t)caplen, .wirelen = (uint32_t)len, .linktype = lt,
                       .data = frame };
    sd_dec_res r = sd_decode(d, &g_fr, p);
    sd_decoder_free(d);
    return r;
}

/* The verdict on a whole frame under auto and under verify. */
static void modes(const uint8_t *f, size_t len, int lt, int want_auto, int want_verify)
{
    sd_pkt p;
    assert_int_equal(dec(f, len, len, lt, SD_CSUM_AUTO, &p), SD_DEC_OK);
    assert_int_equal(p.csum, want_auto);
    assert_int_equal(dec(f, len, len, lt, SD_CSUM_VERIFY, &p), SD_DEC_OK);
    assert_int_equal(p.csum, want_verify);
}

/* RFC 1071's definition, 16 bits at a time in network order. */
static uint16_t ref_sum(const uint8_t *p, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 2)
        s += (uint32_t)(p[i] << 8) | (i + 1 < n ? p[i + 1] : 0);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static uint16_t be_of(uint16_t native)
{
    uint8_t b[2];
    memcpy(b, &native, 2);
    return (uint16_t)((b[0] << 8) | b[1]);
}

static void test_sum_matches_rfc1071(void **state)
{
    (void)state;
    uint8_t buf[600];
    srand(7);
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (uint8_t)rand();
    for (size_t n = 0; n <= sizeof buf; n++) {
        uint16_t want = ref_sum(buf, n);
        uint16_t got = be_of(sd_csum_fold(sd_csum_add(0, buf, n)));
        /* ones' complement zero has two forms; data that sums to it folds to 0xffff */
        assert_true(got == want || (want == 0 && got == 0xffff) || (want == 0xffff && got == 0));
    }
    memset(buf, 0xff, sizeof buf); /* many carries */
    assert_int_equal(be_of(sd_csum_fold(sd_csum_add(0, buf, sizeof buf))), 0xffff);
}

static bool same_sum(uint16_t a, uint16_t b)
{
    return a == b || (a == 0 && b == 0xffff) || (a == 0xffff && b == 0);
}

/* The word loops (x86-64's add-with-carry rounds, or the portable one)
 * against the byte-wise RFC 1071 sum: random bytes, all-ones bytes (a
 * carry out of every add) and all-zero ones, every length to 600 at each
 * of 8 alignments, each added to a starting sum of 0, a random one or
 * all ones; and the fold against its loop. */
static void test_sum_lengths_alignments(void **state)
{
    (void)state;
    uint8_t raw[608 + 8];
    uint64_t x = 0x2545f4914f6cdd1dull;
    for (int fill = 0; fill < 3; fill++) {
        for (size_t i = 0; i < sizeof raw; i++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            raw[i] = fill == 0 ? (uint8_t)x : fill == 1 ? 0xff : 0;
        }
        for (size_t off = 0; off < 8; off++)
            for (size_t n = 0; n <= 600; n++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                const uint64_t init[3] = { 0, x, ~(uint64_t)0 };
                for (int k = 0; k < 3; k++) {
                    uint32_t want = (uint32_t)be_of(sd_csum_fold(init[k])) + ref_sum(raw + off, n);
                    want = (want & 0xffff) + (want >> 16);
                    uint16_t got = be_of(sd_csum_fold(sd_csum_add(init[k], raw + off, n)));
                    assert_true(same_sum(got, (uint16_t)want));
                }
            }
    }
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t v = i < 64 ? ~(uint64_t)0 >> i : x, s = (v & 0xffffffffu) + (v >> 32);
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        assert_int_equal(sd_csum_fold(v), s);
    }
}

static void test_real_good(void **state)
{
    (void)state;
    sd_pkt p;
    assert_int_equal(dec(LAB_TCP4, sizeof LAB_TCP4, sizeof LAB_TCP4, LT_EN10MB, SD_CSUM_VERIFY, &p), SD_DEC_OK);
    assert_int_equal(p.l4, SD_L4_TCP);
    assert_int_equal(p.csum, SD_CSUM_GOOD);
    assert_int_equal(dec(DNS_UDP6, sizeof DNS_UDP6, sizeof DNS_UDP6, LT_EN10MB, SD_CSUM_VERIFY, &p), SD_DEC_OK);
    assert_int_equal(p.l4, SD_L4_UDP);
    assert_int_equal(p.csum, SD_CSUM_GOOD);
    /* off: nothing is looked at */
    assert_int_equal(dec(LAB_TCP4, sizeof LAB_TCP4, sizeof LAB_TCP4, LT_EN10MB, SD_CSUM_OFF, &p), SD_DEC_OK);
    assert_int_equal(p.csum, SD_CSUM_NONE);
}

/* One byte of payload changed after the sum was made: bad in both modes
 * that check, kept by off. */
static void test_bad_payload(void **state)
{
    (void)state;
    uint8_t f[sizeof LAB_TCP4];
    memcpy(f, LAB_TCP4, sizeof f);
    f[sizeof f - 3] ^= 0x20;
    modes(f, sizeof f, LT_EN10MB, SD_CSUM_BAD, SD_CSUM_BAD);
    sd_pkt p;
    dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_OFF, &p);
    assert_int_equal(p.csum, SD_CSUM_NONE);
    uint8_t u[sizeof DNS_UDP6];
    memcpy(u, DNS_UDP6, sizeof u);
    u[sizeof u - 1] ^= 1;
    modes(u, sizeof u, LT_EN10MB, SD_CSUM_BAD, SD_CSUM_BAD);
}

static void test_partial_offload(void **state)
{
    (void)state;
    modes(PARTIAL_TCP4, sizeof PARTIAL_TCP4, LT_EN10MB, SD_CSUM_OFFLOAD, SD_CSUM_BAD);
    modes(LOOP_UDP6, sizeof LOOP_UDP6, LT_NULL, SD_CSUM_OFFLOAD, SD_CSUM_BAD);
    /* a field left 0; and the sum one off (not what offload leaves): bad */
    uint8_t f[sizeof PARTIAL_TCP4];
    memcpy(f, PARTIAL_TCP4, sizeof f);
    f[TCP_SUM] = f[TCP_SUM + 1] = 0;
    modes(f, sizeof f, LT_EN10MB, SD_CSUM_OFFLOAD, SD_CSUM_BAD);
    f[TCP_SUM] = 0x1e, f[TCP_SUM + 1] = 0xbe;
    modes(f, sizeof f, LT_EN10MB, SD_CSUM_BAD, SD_CSUM_BAD);
}

/* Large-send offload: the pseudo-header sum without the length (Windows
 * LSO; SSH-Keystroke-Latency-Analysis and Terrapin captures). */
static void test_lso_no_length(void **state)
{
    (void)state;
    uint8_t f[sizeof LAB_TCP4];
    memcpy(f, LAB_TCP4, sizeof f);
    const uint8_t ph[] = { 0, 6 };
    uint64_t s = sd_csum_add(sd_csum_add(sd_csum_add(0, f + ETH + 12, 4), f + ETH + 16, 4), ph, 2);
    uint16_t v = sd_csum_fold(s);
    memcpy(f + TCP_SUM, &v, 2);
    modes(f, sizeof f, LT_EN10MB, SD_CSUM_OFFLOAD, SD_CSUM_BAD);
}

/* A segmentation-offload super-packet (IPv4 total length 0, tcpflow
 * bug7.pcap): the NIC sums each piece it cuts, the field means nothing. */
static void test_super_packet(void **state)
{
    (void)state;
    uint8_t f[sizeof LAB_TCP4];
    memcpy(f, LAB_TCP4, sizeof f);
    f[ETH + 2] = f[ETH + 3] = 0;
    f[TCP_SUM] ^= 0x5a;
    modes(f, sizeof f, LT_EN10MB, SD_CSUM_OFFLOAD, SD_CSUM_BAD);
}

/* Cut by the snaplen: what the sender summed is not all here. */
static void test_snapped(void **state)
{
    (void)state;
    uint8_t f[sizeof LAB_TCP4];
    memcpy(f, LAB_TCP4, sizeof f);
    f[sizeof f - 1] ^= 0xff; /* not captured below, so it cannot matter */
    sd_pkt p;
    assert_int_equal(dec(f, sizeof f, sizeof f - 10, LT_EN10MB, SD_CSUM_VERIFY, &p), SD_DEC_OK);
    assert_int_equal(p.csum, SD_CSUM_CANNOT);
    assert_int_equal(dec(DNS_UDP6, sizeof DNS_UDP6, 70, LT_EN10MB, SD_CSUM_AUTO, &p), SD_DEC_OK);
    assert_int_equal(p.csum, SD_CSUM_CANNOT);
}

/* The IPv4 header: wrong alone, the datagram is dropped; wrong by what
 * the TCP checksum is also wrong by, the addresses were rewritten after
 * capture (anonymized traces: arkime ssh2.pcap) and it is kept. */
static void test_ip_header(void **state)
{
    (void)state;
    uint8_t f[sizeof LAB_TCP4];
    memcpy(f, LAB_TCP4, sizeof f);
    f[ETH + 8] = 63; /* TTL changed, header sum not */
    sd_pkt p;
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_AUTO, &p), SD_DEC_BAD);
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_OFF, &p), SD_DEC_OK);
    memcpy(f, LAB_TCP4, sizeof f);
    f[ETH + 12] = 192, f[ETH + 13] = 0; /* source address rewritten */
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_AUTO, &p), SD_DEC_OK);
    assert_int_equal(p.csum, SD_CSUM_REWRITTEN);
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_VERIFY, &p), SD_DEC_BAD);
    /* header checksum left 0 by offload */
    memcpy(f, LAB_TCP4, sizeof f);
    f[ETH + 10] = f[ETH + 11] = 0;
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_AUTO, &p), SD_DEC_OK);
    assert_int_equal(p.csum, SD_CSUM_GOOD);
    assert_int_equal(dec(f, sizeof f, sizeof f, LT_EN10MB, SD_CSUM_VERIFY, &p), SD_DEC_BAD);
}

static void test_mode_names(void **state)
{
    (void)state;
    assert_int_equal(sd_csum_mode_parse("auto"), SD_CSUM_AUTO);
    assert_int_equal(sd_csum_mode_parse("verify"), SD_CSUM_VERIFY);
    assert_int_equal(sd_csum_mode_parse("off"), SD_CSUM_OFF);
    assert_int_equal(sd_csum_mode_parse("Auto"), -1);
    assert_int_equal(sd_csum_mode_parse(""), -1);
}

/* The fold against folding 16 bits at a time until the sum fits (RFC 1071
 * 4.1), on the edges (0, 0xffff and its multiples, carries out of each half)
 * and a spread of other values: the same 16 bits, 0 only for 0. */
static uint16_t fold_ref(uint64_t s)
{
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

static void test_fold(void **state)
{
    (void)state;
    static const uint64_t edge[] = { 0, 1, 0xffff, 0x10000, 0x1fffe, 0xfffe0001, 0xffffffff, 0x100000000,
                                     0x1fffffffe, 0xffffffff00000001, 0xffffffffffffffff, 0xffff0000ffff0000,
                                     0x8000000080000000, 0x0000ffffffff0000, 0xfffffffe00000002 };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        assert_int_equal(sd_csum_fold(edge[i]), fold_ref(edge[i]));
    uint64_t x = 0x9e3779b97f4a7c15;
    for (int i = 0; i < 1000000; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        uint64_t v = i % 4 == 0 ? x : i % 4 == 1 ? x >> 20 : i % 4 == 2 ? x | 0xffff0000ffff0000 : x & 0x3ffffffff;
        assert_int_equal(sd_csum_fold(v), fold_ref(v));
    }
}

/* The decoder's fast check (a 20-byte IPv4 header and its TCP segment, the
 * addresses and the segment summed as one run when the segment follows the
 * header) against the RFC 1071 sums of the header and of the pseudo-header
 * with the segment: every segment length 0 to 2000 at each of 8 alignments,
 * the segment after the header and apart from it, random, all-ones and
 * all-zero bytes; each made right (its first word set to what the sum
 * needs), then with one byte changed, and as it came. */
static bool tcp4_good_ref(const uint8_t *h, const uint8_t *seg, uint32_t len)
{
    if (ref_sum(h, 20) != 0xffff)
        return false;
    static uint8_t ph[12 + 2048];
    memcpy(ph, h + 12, 8);
    ph[8] = 0, ph[9] = 6, ph[10] = (uint8_t)(len >> 8), ph[11] = (uint8_t)len;
    memcpy(ph + 12, seg, len);
    return ref_sum(ph, 12 + len) == 0xffff;
}

static void set_word(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v;
}

static void test_tcp4_good_lengths(void **state)
{
    (void)state;
    enum { MAXLEN = 2000 };
    static uint8_t raw[8 + 20 + MAXLEN + 8], apart[8 + MAXLEN + 8];
    uint64_t x = 0x853c49e6748fea9bull;
    unsigned good = 0;
    for (int fill = 0; fill < 3; fill++)
        for (size_t off = 0; off < 8; off++)
            for (uint32_t len = 0; len <= MAXLEN; len++)
                for (int after = 0; after < 2; after++) {
                    for (size_t i = 0; i < sizeof raw; i++) {
                        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                        raw[i] = fill == 0 ? (uint8_t)x : fill == 1 ? 0xff : 0;
                    }
                    uint8_t *h = raw + off, *seg = after ? h + 20 : apart + (off ^ 5);
                    if (!after)
                        memcpy(seg, h + 20, len);
                    h[0] = 0x45;
                    set_word(h + 10, 0);
                    set_word(h + 10, (uint16_t)~ref_sum(h, 20));
                    for (int k = 0; k < 3; k++) {
                        if (k == 0 && len >= 2) { /* made right */
                            set_word(seg, 0);
                            uint8_t ph[12];
                            memcpy(ph, h + 12, 8);
                            ph[8] = 0, ph[9] = 6, ph[10] = (uint8_t)(len >> 8), ph[11] = (uint8_t)len;
                            uint32_t s = (uint32_t)ref_sum(ph, 12) + ref_sum(seg, len);
                            s = (s & 0xffff) + (s >> 16);
                            set_word(seg, (uint16_t)~s);
                        } else if (k == 1 && len) { /* one byte changed */
                            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                            seg[x % len] ^= (uint8_t)(1u << (x >> 32) % 8);
                        } else if (k == 2) { /* the header's checksum broken */
                            h[10] ^= 0x10;
                        }
                        bool want = tcp4_good_ref(h, seg, len);
                        good += want;
                        assert_int_equal(sd_csum_tcp4_good(h, seg, len), want);
                    }
                }
    assert_int_equal(good, 3 * 8 * 2 * (MAXLEN - 1)); /* each made right was right, no other */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_matches_rfc1071),
        cmocka_unit_test(test_sum_lengths_alignments), cmocka_unit_test(test_real_good),
        cmocka_unit_test(test_bad_payload),         cmocka_unit_test(test_partial_offload),
        cmocka_unit_test(test_lso_no_length),       cmocka_unit_test(test_snapped),
        cmocka_unit_test(test_ip_header),           cmocka_unit_test(test_mode_names),
        cmocka_unit_test(test_super_packet),        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_tcp4_good_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
