/* Unit test for the SSH parser's memory layout (src/ssh/sd_ssh_int.h
 * struct sd_ssh): what an encrypted record reads and writes lies in few
 * cache lines, so a brute-force connection's segments, far apart, find
 * the parser cold in four lines a record, not in nine or ten (issue #11). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_ssh_int.h"

#define LINE 64u       /* a cache line's bytes */
#define RECORD_LINES 4 /* the first line, the direction's, client_dir's, the side's */
#define PARSERS 8      /* one aligned by chance is no proof */

/* The distinct lines of the fields feed_in, feed_enc, segment_in and emit
 * (src/ssh/sd_ssh.c) touch for one encrypted record of direction dir. */
static int record_lines(const sd_ssh *s, int dir)
{
    const void *f[] = {
        &s->opts.record,         &s->opts.ud,               &s->opts.midstream_ok,
        &s->frame,               &s->ts,                    &s->mid,
        &s->m.client_dir,        &s->d[dir].off,            &s->d[dir].st,
        &s->d[dir].enc_left,     &s->d[dir].hdr_have,       &s->d[dir].hdr,
        &s->d[dir].plen,         &s->d[dir].rec_off,        &s->d[dir].head_want,
        &s->m.side[dir].bytes,   &s->m.side[dir].suite,     &s->m.side[dir].suite.tag,
        &s->m.side[dir].newkeys_seen, &s->m.side[dir].splitting, &s->m.side[dir].enc_bytes,
        &s->m.side[dir].enc_records,  &s->m.side[dir].enc_record_bytes,
    };
    const size_t nf = sizeof f / sizeof f[0];
    uintptr_t seen[sizeof f / sizeof f[0]];
    int n = 0;
    for (size_t i = 0; i < nf; i++) {
        uintptr_t l = (uintptr_t)f[i] / LINE;
        bool dup = false;
        for (int k = 0; k < n; k++)
            dup |= seen[k] == l;
        if (!dup)
            seen[n++] = l;
    }
    return n;
}

static void test_record_lines(void **state)
{
    (void)state;
    sd_ssh *s[PARSERS];
    for (int i = 0; i < PARSERS; i++) {
        s[i] = sd_ssh_new(NULL);
        assert_int_equal((uintptr_t)s[i] % LINE, 0);
        for (int dir = 0; dir < 2; dir++)
            assert_in_range(record_lines(s[i], dir), 1, RECORD_LINES);
    }
    for (int i = 0; i < PARSERS; i++)
        sd_ssh_free(s[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
