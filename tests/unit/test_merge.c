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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_numbers),
        cmocka_unit_test(t_strings),
        cmocka_unit_test(t_first_chunk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
