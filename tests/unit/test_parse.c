/* Unit tests for src/common/sd_parse: the values an analyst types are taken
 * whole or refused (signs, blanks, junk, overflow, inverted ranges). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/sd_parse.h"
#include "common/sd_site.h"

static void t_u64(void **state)
{
    (void)state;
    uint64_t v = 7;
    assert_int_equal(sd_parse_u64("42", 0, 100, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(sd_parse_u64("101", 0, 100, &v), -1);
    assert_int_equal(sd_parse_u64("-1", 0, UINT64_MAX, &v), -1);
    assert_int_equal(sd_parse_u64("", 0, 100, &v), -1);
    assert_int_equal(sd_parse_u64("4x", 0, 100, &v), -1);
    assert_int_equal(sd_parse_u64(" 4", 0, 100, &v), -1);
    assert_int_equal(sd_parse_u64("+4", 0, 100, &v), -1);
    assert_int_equal(sd_parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -1);
    assert_int_equal(v, 42); /* refused values leave it alone */
}

static void t_secs(void **state)
{
    (void)state;
    double d = 0;
    assert_int_equal(sd_parse_secs("0.5", 0.001, 10, &d), 0);
    assert_true(d == 0.5);
    assert_int_equal(sd_parse_secs("nan", 0.001, 10, &d), -1);
    assert_int_equal(sd_parse_secs("11", 0.001, 10, &d), -1);
    assert_int_equal(sd_parse_secs("1s", 0.001, 10, &d), -1);
}

static void t_size(void **state)
{
    (void)state;
    size_t v = 0;
    assert_int_equal(sd_parse_size("4096", &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(sd_parse_size("512k", &v), 0);
    assert_int_equal(v, 512u << 10);
    assert_int_equal(sd_parse_size("64MB", &v), 0);
    assert_int_equal(v, (size_t)64 << 20);
    assert_int_equal(sd_parse_size("1G", &v), 0);
    assert_int_equal(v, (size_t)1 << 30);
    assert_int_equal(sd_parse_size(" 1", &v), -1);
    assert_int_equal(sd_parse_size("-1", &v), -1);
    assert_int_equal(sd_parse_size("1T", &v), -1);
    assert_int_equal(sd_parse_size("99999999999999999999G", &v), -1);
    assert_int_equal(sd_parse_size("18014398509481984G", &v), -1); /* 2^54 GiB overflows */
}

static void t_frames(void **state)
{
    (void)state;
    uint64_t a = 9, b = 9;
    assert_int_equal(sd_parse_frames("10:20", &a, &b), 0);
    assert_int_equal(a, 10);
    assert_int_equal(b, 20);
    assert_int_equal(sd_parse_frames("10-", &a, &b), 0);
    assert_int_equal(a, 10);
    assert_int_equal(b, 0);
    assert_int_equal(sd_parse_frames(":5", &a, &b), 0);
    assert_int_equal(a, 0);
    assert_int_equal(b, 5);
    assert_int_equal(sd_parse_frames("20:10", &a, &b), -1);
    assert_int_equal(sd_parse_frames("10", &a, &b), -1);
    assert_int_equal(sd_parse_frames("1x:2", &a, &b), -1);
    assert_int_equal(sd_parse_frames("99999999999999999999:", &a, &b), -1);
}

static void t_connsel(void **state)
{
    (void)state;
    sd_connsel s;
    assert_int_equal(sd_connsel_parse("12", &s), 0);
    assert_true(s.proto == 6 && s.id == 12 && !s.uid);
    assert_true(sd_connsel_is(&s, 6, 12, "Cxyz1"));
    assert_false(sd_connsel_is(&s, 17, 12, "Cxyz1"));
    assert_int_equal(sd_connsel_parse("udp:3", &s), 0);
    assert_true(s.proto == 17 && s.id == 3);
    assert_int_equal(sd_connsel_parse("tcp:4", &s), 0);
    assert_true(s.proto == 6 && s.id == 4);
    assert_int_equal(sd_connsel_parse("CAbcdEf", &s), 0);
    assert_true(sd_connsel_is(&s, 6, 0, "CAbcdEf"));
    assert_false(sd_connsel_is(&s, 6, 0, "CAbcdEg"));
    assert_int_equal(sd_connsel_parse("udp:", &s), -1);
    assert_int_equal(sd_connsel_parse("-1", &s), -1);
    assert_int_equal(sd_connsel_parse("7x", &s), -1);
}

static void t_cidr(void **state)
{
    (void)state;
    sd_addr net, a;
    unsigned plen = 99;
    assert_int_equal(sd_parse_cidr("10.0.0.0/8", &net, &plen), 0);
    assert_int_equal(plen, 8);
    assert_int_equal(sd_addr_parse("10.255.1.2", &a), 0);
    assert_true(sd_addr_in_net(&a, &net, plen));
    assert_int_equal(sd_addr_parse("11.0.0.1", &a), 0);
    assert_false(sd_addr_in_net(&a, &net, plen));
    assert_int_equal(sd_parse_cidr("192.168.1.7", &net, &plen), 0);
    assert_int_equal(plen, 32);
    assert_int_equal(sd_parse_cidr("10.0.0.0/12", &net, &plen), 0); /* a bit inside a byte */
    assert_int_equal(sd_addr_parse("10.15.0.1", &a), 0);
    assert_true(sd_addr_in_net(&a, &net, plen));
    assert_int_equal(sd_addr_parse("10.16.0.1", &a), 0);
    assert_false(sd_addr_in_net(&a, &net, plen));
    assert_int_equal(sd_parse_cidr("2001:db8::/32", &net, &plen), 0);
    assert_int_equal(sd_addr_parse("2001:db8:ffff::1", &a), 0);
    assert_true(sd_addr_in_net(&a, &net, plen));
    assert_int_equal(sd_addr_parse("10.0.0.1", &a), 0);
    assert_false(sd_addr_in_net(&a, &net, plen)); /* another family */
    assert_int_equal(sd_parse_cidr("10.0.0.0/33", &net, &plen), -1);
    assert_int_equal(sd_parse_cidr("10.0.0.0/", &net, &plen), -1);
    assert_int_equal(sd_parse_cidr("10.0.0.0/-1", &net, &plen), -1);
    assert_int_equal(sd_parse_cidr("::/129", &net, &plen), -1);
    assert_int_equal(sd_parse_cidr("host/8", &net, &plen), -1);
}

static void t_site(void **state)
{
    (void)state;
    sd_addr a, b;
    sd_addr_parse("10.1.1.1", &a);
    sd_addr_parse("8.8.8.8", &b);
    assert_int_equal(sd_site_is_local(&a), -1); /* nothing given: unknown */
    assert_null(sd_site_direction(&a, &b));
    assert_int_equal(sd_site_set_local("10.0.0.0/8,fd00::/8"), 0);
    assert_int_equal(sd_site_is_local(&a), 1);
    assert_int_equal(sd_site_is_local(&b), 0);
    assert_string_equal(sd_site_direction(&a, &b), "OUTBOUND");
    assert_string_equal(sd_site_direction(&b, &a), "INBOUND");
    assert_null(sd_site_direction(&a, &a));
    assert_int_equal(sd_site_set_local("10.0.0.0/8,,"), -1);
    assert_int_equal(sd_site_set_local("10.0.0.0/8,nonsense"), -1);
    assert_int_equal(sd_site_is_local(&a), 1); /* a refused list changes nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_u64), cmocka_unit_test(t_secs), cmocka_unit_test(t_size),
        cmocka_unit_test(t_frames), cmocka_unit_test(t_connsel), cmocka_unit_test(t_cidr),
        cmocka_unit_test(t_site),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
