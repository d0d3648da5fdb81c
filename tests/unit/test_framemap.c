/* Unit tests for src/capture/sd_framemap: each global frame of a merge
 * found back with its file and number there, for inputs that follow each
 * other and for inputs that alternate; past the cap, frames are counted
 * and not found (never found wrong). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capture/sd_framemap.h"

static void expect(const sd_framemap *m, uint64_t g, unsigned file, uint64_t ff)
{
    unsigned f = 99;
    uint64_t n = 0;
    assert_true(sd_framemap_find(m, g, &f, &n));
    assert_int_equal(f, file);
    assert_int_equal(n, ff);
}

static void t_sequential(void **state)
{
    (void)state;
    sd_framemap *m = sd_framemap_new(16);
    for (uint64_t g = 1; g <= 100; g++) /* file 0 frames 1-60, then file 1 frames 1-40 */
        assert_true(sd_framemap_add(m, g, g <= 60 ? 0 : 1, g <= 60 ? g : g - 60));
    expect(m, 1, 0, 1);
    expect(m, 60, 0, 60);
    expect(m, 61, 1, 1);
    expect(m, 100, 1, 40);
    unsigned f;
    uint64_t n;
    assert_false(sd_framemap_find(m, 0, &f, &n));
    assert_false(sd_framemap_find(m, 101, &f, &n));
    assert_int_equal(sd_framemap_unmapped(m), 0);
    sd_framemap_free(m);
}

static void t_alternating_and_cap(void **state)
{
    (void)state;
    sd_framemap *m = sd_framemap_new(10); /* one run per frame: 10 frames kept */
    for (uint64_t g = 1; g <= 20; g++)
        sd_framemap_add(m, g, (unsigned)(g % 2), (g + 1) / 2);
    for (uint64_t g = 1; g <= 10; g++)
        expect(m, g, (unsigned)(g % 2), (g + 1) / 2);
    unsigned f;
    uint64_t n;
    for (uint64_t g = 11; g <= 20; g++)
        assert_false(sd_framemap_find(m, g, &f, &n));
    assert_int_equal(sd_framemap_unmapped(m), 10);
    sd_framemap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_sequential), cmocka_unit_test(t_alternating_and_cap) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
