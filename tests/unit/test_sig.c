/* Unit tests for sd_sig (payload signatures) and the naming helpers of
 * sd_extract: every split point of a stream finds each match exactly once,
 * a gap stops matches across it, anchored patterns only at offset 0. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_extract.h"
#include "analyze/sd_sig.h"

static int find(const char *name)
{
    for (int i = 0; i < sd_sig_count(); i++)
        if (!strcmp(sd_sig_name(i), name))
            return i;
    return -1;
}

static void t_first_byte_table(void **st)
{
    (void)st;
    assert_true(sd_sig_first_byte_ok());
}

/* The stream, fed in 1, 2 or 3 pieces at every split point, gives the same
 * hits as fed whole. */
static void t_every_split(void **st)
{
    (void)st;
    static const char S[] = "xxMZyy This program cannot be run in DOS mode %PDF-1.4 \x7f" "ELF "
                            "POWERSHELL -EncodedCommand";
    size_t len = sizeof S - 1;
    sd_sig_scan whole;
    sd_sig_init(&whole);
    sd_sig_feed(&whole, 0, (const uint8_t *)S, len, 1, 1);
    assert_int_equal(whole.nhits, 5); /* pe-dos-stub pdf elf powershell powershell-encoded */
    assert_int_equal(whole.hits[0].sig, find("pe-dos-stub"));
    assert_int_equal(whole.hits[0].offset, 7);
    for (size_t a = 1; a < len; a++)
        for (size_t b = a; b < len; b += 7) {
            sd_sig_scan s;
            sd_sig_init(&s);
            sd_sig_feed(&s, 0, (const uint8_t *)S, a, 1, 1);
            sd_sig_feed(&s, a, (const uint8_t *)S + a, b - a, 2, 2);
            sd_sig_feed(&s, b, (const uint8_t *)S + b, len - b, 3, 3);
            assert_int_equal(s.nhits, whole.nhits);
            for (uint32_t i = 0; i < s.nhits; i++) {
                assert_int_equal(s.hits[i].sig, whole.hits[i].sig);
                assert_int_equal(s.hits[i].offset, whole.hits[i].offset);
            }
        }
}

static void t_gap_and_anchor(void **st)
{
    (void)st;
    sd_sig_scan s;
    sd_sig_init(&s);
    sd_sig_feed(&s, 0, (const uint8_t *)"MZ.%PD", 6, 1, 1);
    assert_int_equal(s.nhits, 1);
    assert_int_equal(s.hits[0].sig, find("mz-header"));
    sd_sig_feed(&s, 100, (const uint8_t *)"F-1.5 MZ", 8, 2, 2); /* after a gap: no %PDF- */
    assert_int_equal(s.nhits, 1);
}

/* Deterministic bytes: half random, half from the patterns' own bytes
 * (so the prefilters pass many starts and try_at rejects them). */
static uint32_t rnd(uint32_t *x)
{
    *x = *x * 1103515245u + 12345u;
    return *x >> 8;
}

static const char *const PLANT[] = { "This program cannot be run in DOS mode", "\x7f" "ELF", "\xcf\xfa\xed\xfe",
                                     "PK\x03\x04", "\x1f\x8b\x08\x08", "Rar!\x1a\x07", "%PDF-", "\n#!/usr/bin/",
                                     "PoWeRsHeLl", "-ENCODEDcommand", "Invoke-Expression", "FromBase64String",
                                     "CMD.EXE", "PRIVATE KEY-----" };

/* One stream, fed in random pieces, with the filter given. */
static void scan_pieces(sd_sig_scan *s, const uint8_t *b, size_t len, uint32_t seed)
{
    sd_sig_init(s);
    for (size_t off = 0; off < len;) {
        size_t want = 1 + rnd(&seed) % 700; /* not inside SD_MIN: it evaluates twice */
        size_t n = SD_MIN(len - off, want);
        sd_sig_feed(s, off, b + off, n, off, off);
        off += n;
    }
}

/* The vector filter (where the CPU has it) and the pair filter give the
 * same hits in the same order, whatever the pieces, and find every
 * planted pattern. */
static void t_filters_agree(void **st)
{
    (void)st;
    static const char SET[] = "ThisPKELF%PDF-#!/Rar7zMSCFpowershellPOWERSHELLcmd.exe-encodedINVOKEfrombase64";
    static uint8_t b[4096];
    uint32_t x = 7;
    for (int round = 0; round < 400; round++) {
        size_t len = 1 + rnd(&x) % sizeof b;
        for (size_t i = 0; i < len; i++)
            b[i] = rnd(&x) & 1 ? (uint8_t)rnd(&x) : (uint8_t)SET[rnd(&x) % (sizeof SET - 1)];
        int planted = 0;
        for (size_t slot = 0; slot + 64 <= len && planted < 12; slot += 64 + rnd(&x) % 512, planted++) {
            const char *pat = PLANT[rnd(&x) % SD_ARRAY_LEN(PLANT)];
            memcpy(b + slot + rnd(&x) % 16, pat, strlen(pat));
        }
        sd_sig_scan v, w;
        sd_sig_vector(1);
        scan_pieces(&v, b, len, x);
        sd_sig_vector(0);
        scan_pieces(&w, b, len, x + 1);
        sd_sig_vector(1);
        assert_true(v.total_hits >= (uint64_t)planted);
        assert_int_equal(v.total_hits, w.total_hits);
        assert_int_equal(v.nhits, w.nhits);
        for (uint32_t i = 0; i < v.nhits; i++) {
            assert_int_equal(v.hits[i].sig, w.hits[i].sig);
            assert_int_equal(v.hits[i].offset, w.hits[i].offset);
        }
    }
}

/* The transcript's payload rendering (16 bytes at a time) against the
 * byte-at-a-time reference: hex, then sd_ascii_render's text with '"' and
 * '\\' escaped; every byte value, lengths around the block size, escapes
 * inside and outside blocks. */
static void t_chunk_payload(void **st)
{
    (void)st;
    uint8_t p[600];
    for (size_t i = 0; i < sizeof p; i++)
        p[i] = (uint8_t)(i * 7 + (i >> 8));
    p[5] = '"', p[40] = '\\', p[300] = 'A';
    for (size_t len = 0; len < sizeof p; len += len < 40 ? 1 : 37) {
        sd_chunk ch = { .kind = SD_CHUNK_DATA, .data = p, .len = (uint32_t)len };
        sd_buf got = { 0 }, want = { 0 }, asc = { 0 };
        sd_chunk_json(&got, 0, &ch, SIZE_MAX);
        sd_buf_append(&got, "", 1); /* a C string for strstr */
        got.len--;
        sd_ascii_render(&asc, p, len, false);
        sd_buf_append(&want, ",\"hex\":\"", 8);
        for (size_t i = 0; i < len; i++) {
            char h[3];
            snprintf(h, sizeof h, "%02x", p[i]);
            sd_buf_append(&want, h, 2);
        }
        sd_buf_append(&want, "\",\"ascii\":\"", 11);
        for (size_t i = 0; i < asc.len; i++) {
            if (asc.p[i] == '"' || asc.p[i] == '\\')
                sd_buf_append(&want, "\\", 1);
            sd_buf_append(&want, &asc.p[i], 1);
        }
        sd_buf_append(&want, "\"}", 2);
        const char *at = strstr((const char *)got.p, ",\"hex\"");
        assert_non_null(at);
        assert_int_equal(got.len - (size_t)(at - (const char *)got.p), want.len);
        assert_memory_equal(at, want.p, want.len);
        sd_buf_free(&got), sd_buf_free(&want), sd_buf_free(&asc);
    }
}

static void t_flowname(void **st)
{
    (void)st;
    sd_addr a, b;
    char buf[SD_FLOWNAME_LEN];
    assert_int_equal(sd_addr_parse("10.0.0.2", &a), 0);
    assert_int_equal(sd_addr_parse("10.0.0.1", &b), 0);
    assert_string_equal(sd_flowname(buf, sizeof buf, &a, 36559, &b, 9999, 42),
                        "010.000.000.002.36559-010.000.000.001.09999--42");
    assert_int_equal(sd_addr_parse("2001:6f8:900:7c0::2", &a), 0);
    assert_string_equal(sd_flowname(buf, sizeof buf, &a, 80, &b, 1, 0), "2001:6f8:900:7c0::2.00080-010.000.000.001.00001");
    /* cut as snprintf cuts, at every buffer length */
    const char *full = "2001:6f8:900:7c0::2.00080-010.000.000.001.00001";
    for (size_t len = 1; len <= strlen(full) + 1; len++) {
        char small[64];
        memset(small, 'x', sizeof small);
        sd_flowname(small, len, &a, 80, &b, 1, 0);
        assert_int_equal(strlen(small), len - 1);
        assert_memory_equal(small, full, len - 1);
    }
    assert_int_equal(sd_addr_parse("255.0.9.10", &a), 0);
    assert_string_equal(sd_flowname(buf, sizeof buf, &a, 65535, &b, 0, 65535),
                        "255.000.009.010.65535-010.000.000.001.00000--65535");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_first_byte_table),
        cmocka_unit_test(t_every_split),
        cmocka_unit_test(t_gap_and_anchor),
        cmocka_unit_test(t_filters_agree),
        cmocka_unit_test(t_flowname),
        cmocka_unit_test(t_chunk_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
