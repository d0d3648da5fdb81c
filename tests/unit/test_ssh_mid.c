/* Unit tests for a session picked up mid-stream (src/ssh/sd_ssh_mid.c):
 * the suite estimate from the client's commonest small record, and the
 * claim (encrypted-looking bytes both ways) against what it must refuse
 * (text, TLS, zeros, a banner). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_ssh_int.h"

typedef struct hist {
    uint16_t n[SD_SSH_MID_SMALL + 1], clear[SD_SSH_MID_SMALL + 1];
    uint8_t clear_len[SD_SSH_MID_SMALL + 1];
} hist;

/* k records of size sz, their first four bytes a length in clear (plen)
 * or not (plen < 0) */
static void add(hist *h, uint32_t sz, unsigned k, int plen)
{
    h->n[sz] += (uint16_t)k;
    if (plen >= 0) {
        h->clear[sz] += (uint16_t)k;
        h->clear_len[sz] = (uint8_t)plen;
    }
}

static int pick(const hist *h, sd_ssh_suite *su)
{
    return sdp_mid_pick(h->n, h->clear, h->clear_len, NULL, su);
}

/* A size no server record echoes is no keystroke's (MID_ECHO_MIN): a
 * forward's 52-byte client messages (aes128-ctr + hmac-sha1's keystroke)
 * beside 36 and 44 are read by the fit, chacha20-poly1305; echoed once,
 * 52 is that suite's keystroke. */
static void test_pick_echo(void **state)
{
    (void)state;
    sd_ssh_suite su;
    hist h = { 0 };
    uint16_t echo[SD_SSH_MID_SMALL + 1] = { 0 };
    add(&h, 52, 26, -1);
    add(&h, 60, 18, -1);
    add(&h, 44, 17, -1);
    assert_int_equal(sdp_mid_pick(h.n, h.clear, h.clear_len, echo, &su), 0);
    assert_int_equal(su.mode, SD_SSH_MODE_CHACHA);
    echo[52] = 1;
    assert_true(sdp_mid_pick(h.n, h.clear, h.clear_len, echo, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_EAM);
    assert_int_equal(su.tag, 20);
}

static void test_pick(void **state)
{
    (void)state;
    sd_ssh_suite su;
    hist h = { 0 };
    /* chacha20-poly1305: 36-byte keystrokes, the length encrypted */
    add(&h, 36, 40, -1);
    add(&h, 44, 5, -1);
    assert_int_equal(pick(&h, &su), 0);
    assert_int_equal(su.mode, SD_SSH_MODE_CHACHA);
    /* the same size with the length in clear (16 = 36 - 4 - tag 16): GCM */
    memset(&h, 0, sizeof h);
    add(&h, 36, 40, 16);
    assert_int_equal(pick(&h, &su), 1);
    assert_int_equal(su.mode, SD_SSH_MODE_GCM);
    /* aes-ctr + umac-64-etm: 28, length 16 in clear (tag 8) */
    memset(&h, 0, sizeof h);
    add(&h, 28, 10, 16);
    assert_true(pick(&h, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_ETM);
    assert_int_equal(su.tag, 8);
    /* hmac-sha2-256-etm: 52 with length 16 in clear; hmac-sha1 (EAM): 52 without */
    memset(&h, 0, sizeof h);
    add(&h, 52, 10, 16);
    assert_true(pick(&h, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_ETM);
    assert_int_equal(su.tag, 32);
    memset(&h, 0, sizeof h);
    add(&h, 52, 10, -1);
    assert_true(pick(&h, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_EAM);
    assert_int_equal(su.tag, 20);
    /* aes-ctr + hmac-sha2-256 (EAM): 64 */
    memset(&h, 0, sizeof h);
    add(&h, 64, 10, -1);
    assert_true(pick(&h, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_EAM);
    assert_int_equal(su.tag, 32);
    assert_int_equal(sd_ssh_wire_size(&su, SD_SSH_P_KEYSTROKE), 64);
    /* a -R tunnel's keys (76) commoner than the session's own (36) */
    memset(&h, 0, sizeof h);
    add(&h, 76, 15, -1);
    add(&h, 36, 13, -1);
    assert_int_equal(pick(&h, &su), 0);
    /* no keys (a forward): every record one chacha20-poly1305 packet (4 mod
     * 8, length encrypted); with lengths in clear and 12 mod 16: umac-64-etm */
    memset(&h, 0, sizeof h);
    add(&h, 72, 2, -1); /* two keys' records in one segment */
    add(&h, 92, 3, -1);
    add(&h, 124, 3, -1);
    add(&h, 60, 1, -1);
    assert_int_equal(pick(&h, &su), 0);
    /* the same sizes less 4 (encrypt-and-MAC, 16-byte blocks): not chacha's */
    memset(&h, 0, sizeof h);
    add(&h, 88, 3, -1);
    add(&h, 120, 3, -1);
    add(&h, 56, 3, -1);
    assert_true(pick(&h, &su) != 0);
    memset(&h, 0, sizeof h);
    add(&h, 44, 2, 32);
    add(&h, 60, 2, 48);
    add(&h, 108, 2, 96);
    assert_true(pick(&h, &su) >= 0);
    assert_int_equal(su.mode, SD_SSH_MODE_ETM);
    assert_int_equal(su.tag, 8);
    /* too few of one size, or a size no suite gives a keystroke: none */
    memset(&h, 0, sizeof h);
    add(&h, 36, 2, -1);
    assert_int_equal(pick(&h, &su), -1);
    memset(&h, 0, sizeof h);
    add(&h, 37, 20, -1);
    assert_int_equal(pick(&h, &su), -1);
}

/* Deterministic bytes that look random (xorshift). */
static void noise(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 1;
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 7);
    }
}

static int pick_both(const hist *c, const hist *sv, sd_ssh_suite *su)
{
    uint16_t n[2][SD_SSH_MID_SMALL + 1], clear[2][SD_SSH_MID_SMALL + 1];
    uint8_t len[2][SD_SSH_MID_SMALL + 1];
    const hist *h[2] = { c, sv };
    for (int d = 0; d < 2; d++) {
        memcpy(n[d], h[d]->n, sizeof n[d]);
        memcpy(clear[d], h[d]->clear, sizeof clear[d]);
        memcpy(len[d], h[d]->clear_len, sizeof len[d]);
    }
    return sdp_mid_pick_both(n, clear, len, su);
}

/* A -N forward that types no keys, its client's few small records
 * (lab forward_L_http cut 20 frames after the login: 6 of 9 one
 * chacha20-poly1305 packet) read with the server's (EOFs, closes, window
 * adjusts: 36 and 44); not without a control message's size, nor from
 * one direction alone, nor as a second suite's reading. */
static void test_pick_both(void **state)
{
    (void)state;
    sd_ssh_suite su;
    hist c = { 0 }, sv = { 0 };
    add(&c, 72, 4, -1);
    add(&c, 92, 2, -1);
    add(&c, 124, 2, -1);
    add(&c, 36, 1, -1);
    add(&c, 60, 1, -1);
    add(&sv, 36, 5, -1);
    add(&sv, 44, 2, -1);
    assert_int_equal(pick(&c, &su), -1); /* the client alone: 6 of 10 */
    assert_int_equal(pick_both(&c, &sv, &su), 0);
    assert_int_equal(su.mode, SD_SSH_MODE_CHACHA);
    /* nothing of the server's fits: the client's alone do not tell */
    memset(&sv, 0, sizeof sv);
    add(&sv, 40, 7, -1);
    assert_int_equal(pick_both(&c, &sv, &su), -1);
    /* PuTTY's aes256-ctr + hmac-sha2-256 -R: 48 (EOF, CLOSE) and 64 to 112 */
    hist pc = { 0 }, ps = { 0 };
    add(&pc, 96, 2, -1);
    add(&pc, 64, 1, -1);
    add(&ps, 48, 4, -1);
    add(&ps, 112, 1, -1);
    assert_int_equal(pick_both(&pc, &ps, &su), 6);
    assert_int_equal(su.tag, 32);
    /* the same without a record the size of a control message: every size
     * is also umac-128's (16 less), so no guess */
    memset(&pc, 0, sizeof pc);
    memset(&ps, 0, sizeof ps);
    add(&pc, 96, 2, -1);
    add(&pc, 80, 1, -1);
    add(&ps, 112, 2, -1);
    add(&ps, 96, 2, -1);
    assert_int_equal(pick_both(&pc, &ps, &su), -1);
    /* a 32-byte record hmac-sha2-256 cannot send: not read as umac-128 */
    add(&ps, 32, 1, -1);
    add(&ps, 48, 1, -1);
    assert_int_equal(pick_both(&pc, &ps, &su), -1);
}

/* The small segment ending a record TCP split after full-sized segments
 * is no packet: a bulk direction's 32-byte tails do not make a -N
 * session's sizes read as another suite (a 1448-byte segment, then 32). */
static void test_tail(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    uint8_t b[1448];
    uint64_t off[2] = { 0, 0 }, fr = 0;
    /* 36s and 44s (chacha20-poly1305's EOF, CLOSE, WINDOW_ADJUST) both ways,
     * and 20- and 28-byte tails after 1448-byte segments */
    static const uint32_t seq[][2] = { { 0, 1448 }, { 1, 1448 }, { 1, 20 }, { 0, 36 }, { 1, 36 }, { 0, 1448 },
                                       { 0, 1448 }, { 1, 36 }, { 0, 20 }, { 1, 44 }, { 0, 44 },
                                       { 1, 36 }, { 0, 36 }, { 1, 1448 }, { 1, 28 }, { 1, 1448 }, { 1, 20 } };
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) {
        int d = (int)seq[i][0];
        uint32_t n = seq[i][1];
        noise(b, n, (uint32_t)++fr);
        sd_ssh_feed(s, d, b, n, fr, 0);
        sd_ssh_segment(s, d, off[d], n, fr, 0);
        off[d] += n;
    }
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(m->midstream);
    assert_true(m->suite_guessed); /* with the tails counted, 4 of 10 do not fit */
    assert_string_equal(m->suite_guess, "chacha20-poly1305@openssh.com");
    sd_ssh_free(s);
}

/* A parser told the connection qualifies, fed n chunks of sz bytes a
 * direction (client first: key, echo), from make(), each a segment. */
static sd_ssh *feed_both(void (*make)(uint8_t *, size_t, uint32_t), size_t sz, int n)
{
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    uint8_t b[256];
    for (int i = 0; i < n; i++)
        for (int d = 0; d < 2; d++) {
            make(b, sz, (uint32_t)(2 * i + d + 1));
            sd_ssh_feed(s, d, b, sz, (uint64_t)(2 * i + d + 1), 0);
            /* as sd_sshconn does after each chunk: the segment's size */
            sd_ssh_segment(s, d, (uint64_t)i * sz, (uint32_t)sz, (uint64_t)(2 * i + d + 1), 0);
        }
    return s;
}

static void text(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)('a' + (seed + i) % 26);
}

static void zeros(uint8_t *p, size_t n, uint32_t seed)
{
    (void)seed;
    memset(p, 0, n);
    if (n > 4)
        p[3] = (uint8_t)n; /* a binary protocol's small integers */
}

static void tls(uint8_t *p, size_t n, uint32_t seed)
{
    noise(p, n, seed);
    p[0] = 23; /* application data, TLS 1.2 */
    p[1] = 3;
    p[2] = 3;
}

static void test_claim(void **state)
{
    (void)state;
    sd_ssh *s = feed_both(noise, 36, 8);
    assert_true(sd_ssh_is_ssh(s));
    assert_false(sd_ssh_ruled_out(s));
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(m->midstream);
    assert_true(m->suite_guessed);
    assert_int_equal(m->outcome, SD_SSH_OUT_ENCRYPTED);
    assert_string_equal(m->suite_guess, "chacha20-poly1305@openssh.com");
    sd_ssh_free(s);
    /* not yet: one direction's first bytes only */
    s = feed_both(noise, 36, 2);
    assert_false(sd_ssh_is_ssh(s));
    assert_false(sd_ssh_ruled_out(s));
    sd_ssh_free(s);
    void (*refused[])(uint8_t *, size_t, uint32_t) = { text, zeros, tls };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        s = feed_both(refused[i], 36, 8);
        assert_false(sd_ssh_is_ssh(s));
        assert_true(sd_ssh_ruled_out(s));
        assert_false(sd_ssh_meta_get(s)->midstream);
        sd_ssh_free(s);
    }
    /* without the caller's word, random bytes are no SSH */
    sd_ssh_opts o = { 0 };
    s = sd_ssh_new(&o);
    uint8_t b[64];
    for (int i = 0; i < 8; i++)
        for (int d = 0; d < 2; d++) {
            noise(b, sizeof b, (uint32_t)i * 2 + (uint32_t)d);
            sd_ssh_feed(s, d, b, sizeof b, 1, 0);
        }
    assert_false(sd_ssh_is_ssh(s));
    assert_false(sd_ssh_meta_get(s)->midstream);
    sd_ssh_free(s);
}

/* A header-only capture joined mid-stream: the snaplen left 30 of each
 * 36-byte record; the estimate counts the segments' wire sizes, as
 * sd_sshconn hands them (the captured part, its segment, then the cut). */
static void test_cut(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    uint8_t b[36];
    for (int i = 0; i < 8; i++)
        for (int d = 0; d < 2; d++) {
            uint64_t fr = (uint64_t)(2 * i + d + 1);
            noise(b, sizeof b, (uint32_t)fr);
            sd_ssh_feed(s, d, b, 30, fr, 0);
            sd_ssh_segment(s, d, (uint64_t)i * 36, 36, fr, 0);
            sd_ssh_cut(s, d, 6, fr, 0);
        }
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(m->midstream);
    assert_true(m->suite_guessed); /* counted by captured sizes (30) it stayed unknown */
    assert_string_equal(m->suite_guess, "chacha20-poly1305@openssh.com");
    sd_ssh_free(s);
}

/* A capture at the sender joined mid-stream: the peer ACKs bytes sent
 * before the capture began, a hole before anything of that side (the
 * flow layer's sd_ssh_gap); the side's first bytes after it start it, as
 * without the hole, the hole counted (gap_bytes). */
static void test_leading_hole(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    sd_ssh_gap(s, 1, 10136, 1);
    uint8_t b[36];
    uint64_t off[2] = { 0, 10136 };
    for (int i = 0; i < 8; i++)
        for (int d = 0; d < 2; d++) {
            uint64_t fr = (uint64_t)(2 * i + d + 2);
            noise(b, sizeof b, (uint32_t)fr);
            sd_ssh_feed(s, d, b, sizeof b, fr, 0);
            sd_ssh_segment(s, d, off[d], sizeof b, fr, 0);
            off[d] += sizeof b;
        }
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(m->midstream);
    assert_string_equal(m->suite_guess, "chacha20-poly1305@openssh.com");
    assert_int_equal(m->side[1].gap_bytes, 10136);
    sd_ssh_free(s);
    /* a hole after the side's first bytes is one as before: not a start */
    s = sd_ssh_new(&o);
    noise(b, sizeof b, 1);
    sd_ssh_feed(s, 1, b, sizeof b, 1, 0);
    sd_ssh_gap(s, 1, 100, 2);
    assert_int_equal(sd_ssh_meta_get(s)->side[1].gap_bytes, 100);
    sd_ssh_free(s);
}

/* A banner from either side: the banner path, never mid-stream. */
static void test_banner(void **state)
{
    (void)state;
    sd_ssh_opts o = { .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    static const char ban[] = "SSH-2.0-OpenSSH_9.6\r\n";
    sd_ssh_feed(s, 1, (const uint8_t *)ban, sizeof ban - 1, 1, 0);
    sd_ssh_feed(s, 0, (const uint8_t *)ban, sizeof ban - 1, 2, 0);
    assert_true(sd_ssh_is_ssh(s));
    assert_false(sd_ssh_meta_get(s)->midstream);
    assert_true(sd_ssh_meta_get(s)->side[0].banner_seen);
    sd_ssh_free(s);
}

/* noise, but a TLS record header at the head of every third segment and a
 * 16-bit length filling the segment at another's: the first segments of
 * a capture begun inside a record (no header) look encrypted */
static void tls_later(uint8_t *p, size_t n, uint32_t seed)
{
    noise(p, n, seed);
    if (seed > 2 && seed % 3 == 0)
        tls(p, n, seed);
}

static void len16(uint8_t *p, size_t n, uint32_t seed)
{
    noise(p, n, seed);
    if (seed > 2 && seed % 3 == 1) {
        p[0] = (uint8_t)((n - 2) >> 8);
        p[1] = (uint8_t)(n - 2);
    }
}

/* Another protocol's record headers in the first segments refuse the
 * connection, after a claim too; one alone, as random bytes may give,
 * refuses nothing. */
static void test_foreign(void **state)
{
    (void)state;
    void (*framed[])(uint8_t *, size_t, uint32_t) = { tls_later, len16 };
    for (size_t i = 0; i < sizeof framed / sizeof framed[0]; i++) {
        sd_ssh *s = feed_both(framed[i], 64, 2); /* 128 bytes each way, one header (seed 3 or 4): claimed */
        assert_true(sd_ssh_is_ssh(s));
        sd_ssh_free(s);
        s = feed_both(framed[i], 64, 8);
        assert_false(sd_ssh_is_ssh(s));
        assert_true(sd_ssh_ruled_out(s));
        sd_ssh_free(s);
    }
}

/* A first chunk shorter than eight bytes, printable by chance, is no
 * evidence of text: the sample decides; "SS" still goes to the banner. */
static void test_short_head(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    sd_ssh_feed(s, 0, (const uint8_t *)"a7Q", 3, 1, 0);
    uint8_t b[64];
    for (int i = 0; i < 4; i++)
        for (int d = 0; d < 2; d++) {
            noise(b, sizeof b, (uint32_t)(2 * i + d + 1));
            sd_ssh_feed(s, d, b, sizeof b, (uint64_t)(2 * i + d + 2), 0);
        }
    assert_true(sd_ssh_is_ssh(s));
    assert_true(sd_ssh_meta_get(s)->midstream);
    sd_ssh_free(s);
    s = sd_ssh_new(&o);
    sd_ssh_feed(s, 1, (const uint8_t *)"SS", 2, 1, 0);
    sd_ssh_feed(s, 1, (const uint8_t *)"H-2.0-OpenSSH_9.6\r\n", 19, 2, 0);
    assert_true(sd_ssh_meta_get(s)->side[1].banner_seen);
    assert_false(sd_ssh_meta_get(s)->midstream);
    sd_ssh_free(s);
}

/* The capture began after the client's banner: its first bytes a KEXINIT
 * packet, read as the cleartext phase (the server's banner then makes the
 * connection SSH), never as encrypted records. */
static void test_kexinit_first(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    static const char ban[] = "SSH-2.0-OpenSSH_9.6\r\n";
    sd_ssh_feed(s, 1, (const uint8_t *)ban, sizeof ban - 1, 1, 0);
    /* length 68, padding 5, KEXINIT: the cookie, ten empty name-lists,
     * first_kex_packet_follows and the reserved word (zeros) */
    uint8_t k[72] = { 0, 0, 0, 68, 5, 20 };
    noise(k + 6, 16, 9);
    sd_ssh_feed(s, 0, k, sizeof k, 2, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(sd_ssh_is_ssh(s));
    assert_false(m->midstream);
    assert_true(m->side[0].kexinit_seen);
    sd_ssh_free(s);
}

/* A KEXINIT head whose padding leaves no room for the message type
 * (padding_length 67 of a packet of 68: at most 66) is no packet: random
 * bytes, the direction read as a mid-stream pickup, never as a cleartext
 * packet too short. */
static void test_kexinit_pad_over(void **state)
{
    (void)state;
    sd_ssh_opts o = { .client_hint = 0, .midstream_ok = true };
    sd_ssh *s = sd_ssh_new(&o);
    uint8_t b[72] = { 0, 0, 0, 68, 67, 20 };
    noise(b + 6, sizeof b - 6, 11);
    sd_ssh_feed(s, 0, b, sizeof b, 1, 0);
    for (int i = 0; i < 4; i++)
        for (int d = 0; d < 2; d++) {
            noise(b, sizeof b, (uint32_t)(2 * i + d + 1));
            sd_ssh_feed(s, d, b, sizeof b, (uint64_t)(2 * i + d + 2), 0);
        }
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_false(m->side[0].kexinit_seen);
    assert_true(sd_ssh_is_ssh(s));
    assert_true(m->midstream);
    sd_ssh_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick),
        cmocka_unit_test(test_pick_echo),
        cmocka_unit_test(test_pick_both),
        cmocka_unit_test(test_tail),
        cmocka_unit_test(test_claim),
        cmocka_unit_test(test_banner),
        cmocka_unit_test(test_cut),
        cmocka_unit_test(test_leading_hole),
        cmocka_unit_test(test_foreign),
        cmocka_unit_test(test_short_head),
        cmocka_unit_test(test_kexinit_first),
        cmocka_unit_test(test_kexinit_pad_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
