/* Unit tests for src/out/sd_merge_out's sd_merge_rewrite: a chunk's output
 * line with its numbers made global (uid, stream, open counts, frames
 * shifted by the chunk's offset, file_* frames kept), found from key to
 * key; a string value that holds what looks like a key (escaped quotes, a
 * banner saying "frame":1) is copied as it is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_merge_int.h"

static mconn conn(void)
{
    mconn c;
    memset(&c, 0, sizeof c);
    strcpy(c.uid, "Cchunk");
    strcpy(c.guid, "Cglobal");
    c.stream = 3, c.gstream = 40;
    c.open_at_end = 7, c.orig_open_at_end = 2;
    return c;
}

static void expect(const mconn *c, uint64_t off, const char *in, const char *want)
{
    sd_buf b = { 0 };
    sd_merge_rewrite(c, off, in, strlen(in), &b);
    sd_buf_append(&b, "", 1);
    char w[1024];
    snprintf(w, sizeof w, "%s\n", want);
    assert_string_equal((const char *)b.p, w);
    sd_buf_free(&b);
}

static void t_numbers(void **state)
{
    (void)state;
    mconn c = conn();
    expect(&c, 100,
           "{\"uid\":\"Cchunk\",\"stream\":3,\"first_frame\":5,\"file_first_frame\":5,\"frames\":[1,2,30],"
           "\"open_at_end\":1,\"orig_open_at_end\":0,\"ts\":1.5}",
           "{\"uid\":\"Cglobal\",\"stream\":40,\"first_frame\":105,\"file_first_frame\":5,"
           "\"frames\":[101,102,130],\"open_at_end\":7,\"orig_open_at_end\":2,\"ts\":1.5}");
    /* nested objects and a frame number past 2^64 saturate as strtoull */
    expect(&c, 1, "{\"a\":{\"last_frame\":18446744073709551616},\"x\":[{\"frame\":9}]}",
           "{\"a\":{\"last_frame\":0},\"x\":[{\"frame\":10}]}");
}

static void t_strings(void **state)
{
    (void)state;
    mconn c = conn();
    /* a value holding escaped quotes and colons, "frame":1 inside it */
    const char *s = "{\"client\":\"SSH-2.0-x\\\"frame\\\":1\\\\\",\"banner\":\"a:b \\\":\\\"\",\"frame\":2}";
    expect(&c, 10, s, "{\"client\":\"SSH-2.0-x\\\"frame\\\":1\\\\\",\"banner\":\"a:b \\\":\\\"\",\"frame\":12}");
    /* hostile: no key at all, an unterminated string, a lone colon */
    expect(&c, 10, ":::", ":::");
    expect(&c, 10, "{\"frame", "{\"frame");
    expect(&c, 10, "\":5", "\":5");
}

/* A connection that keeps its chunk's numbers is copied up to its first
 * open count, which still takes the merge's. */
static void t_first_chunk(void **state)
{
    (void)state;
    mconn c = conn();
    strcpy(c.guid, c.uid);
    c.gstream = c.stream;
    expect(&c, 0, "{\"uid\":\"Cchunk\",\"stream\":3,\"frame\":4,\"open_at_end\":0}",
           "{\"uid\":\"Cchunk\",\"stream\":3,\"frame\":4,\"open_at_end\":7}");
}

/* The keys found by the vector scan (32 bytes a step, then the tail byte
 * by byte) wherever they fall: a key padded by 0 to 80 bytes lies across
 * every block boundary, and lines end before, at and after a block. */
static void t_blocks(void **state)
{
    (void)state;
    mconn c = conn();
    char pad[96], in[512], want[512];
    for (int n = 0; n <= 80; n++) {
        memset(pad, 'x', (size_t)n);
        pad[n] = '\0';
        snprintf(in, sizeof in,
                 "{\"type\":\"%s\",\"uid\":\"Cchunk\",\"kind\":\"a\",\"stream\":3,\"outcome\":\"%s\","
                 "\"frame\":9,\"file_frame\":9,\"modes\":[1],\"frames\":[1,22],\"host_key_frame\":7}",
                 pad, pad + n / 2);
        snprintf(want, sizeof want,
                 "{\"type\":\"%s\",\"uid\":\"Cglobal\",\"kind\":\"a\",\"stream\":40,\"outcome\":\"%s\","
                 "\"frame\":1009,\"file_frame\":9,\"modes\":[1],\"frames\":[1001,1022],\"host_key_frame\":1007}",
                 pad, pad + n / 2);
        expect(&c, 1000, in, want);
        /* short lines: the scan's tail alone, or a block and a tail */
        snprintf(in, sizeof in, "{\"%s\":1,\"frame\":5}", pad);
        snprintf(want, sizeof want, "{\"%s\":1,\"frame\":1005}", pad);
        expect(&c, 1000, in, want);
    }
}

/* Decimal numbers as strtoull reads them, up to 19 digits without a
 * check per digit, saturated past UINT64_MAX. */
static void t_dec(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        uint64_t v;
        size_t len;
        bool over;
    } T[] = {
        { "0,", 0, 1, false },
        { "x", 0, 0, false },
        { "1234567890123456789}", 1234567890123456789ull, 19, false },
        { "9999999999999999999", 9999999999999999999ull, 19, false },
        { "18446744073709551615]", UINT64_MAX, 20, false },
        { "18446744073709551616", UINT64_MAX, 20, true },
        { "123456789012345678901234", UINT64_MAX, 24, true },
    };
    for (size_t i = 0; i < sizeof T / sizeof *T; i++) {
        uint64_t x;
        bool over;
        const char *e = sd_merge_dec(T[i].s, &x, &over);
        assert_int_equal(x, T[i].v);
        assert_int_equal((size_t)(e - T[i].s), T[i].len);
        assert_int_equal(over, T[i].over);
    }
}

/* 32 hex digits as 16 bytes: every byte value in every place (each of
 * the four words sd_merge_hex16 reads), only 0-9 and a-f taken, the
 * others' values unchanged. */
static void t_hex(void **state)
{
    (void)state;
    char h[33] = "00112233445566778899aabbccddeeff";
    uint8_t out[16];
    assert_true(sd_merge_hex16(h, out));
    for (int i = 0; i < 16; i++)
        assert_int_equal(out[i], i * 0x11);
    for (int pos = 0; pos < 32; pos++)
        for (int v = 0; v < 256; v++) {
            char t[33];
            memcpy(t, "0123456789abcdef0123456789abcdef", 33);
            t[pos] = (char)v;
            bool hex = (v >= '0' && v <= '9') || (v >= 'a' && v <= 'f');
            assert_int_equal(sd_merge_hex16(t, out), hex);
            for (int i = 0; hex && i < 32; i++) /* every digit's value where it is */
                assert_int_equal(i & 1 ? out[i / 2] & 15 : out[i / 2] >> 4, sd_merge_hex(t[i]));
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_numbers),
        cmocka_unit_test(t_strings),
        cmocka_unit_test(t_first_chunk),
        cmocka_unit_test(t_blocks),
        cmocka_unit_test(t_dec),
        cmocka_unit_test(t_hex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
