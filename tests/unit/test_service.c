/* sd_service: the content rules behind conns' Zeek-named service field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "analyze/sd_service.h"
#include "analyze/sd_svcinfo.h"

static const char *g(uint8_t proto, int dir, const char *s, size_t n)
{
    return sd_service_guess(proto, dir, (const uint8_t *)s, n);
}
#define G(proto, dir, lit) g(proto, dir, lit, sizeof lit - 1)

static void t_tcp(void **st)
{
    assert_string_equal(G(6, SD_DIR_RESP, "SSH-2.0-OpenSSH_9.2\r\n"), "ssh");
    assert_string_equal(G(6, SD_DIR_ORIG, "GET / HTTP/1.1\r\n"), "http");
    assert_string_equal(G(6, SD_DIR_RESP, "HTTP/1.1 200 OK\r\n"), "http");
    assert_null(G(6, SD_DIR_RESP, "GET / HTTP/1.1\r\n")); /* a request comes from the client */
    assert_string_equal(G(6, SD_DIR_ORIG, "\x16\x03\x01\x02\x00\x01\x00\x01\xfc"), "ssl");
    assert_null(G(6, SD_DIR_ORIG, "\x16\x03\x07\x02\x00\x01")); /* no such TLS version */
    assert_string_equal(G(6, SD_DIR_ORIG, "EHLO mail.example\r\n"), "smtp");
    assert_string_equal(G(6, SD_DIR_ORIG, "USER anonymous\r\n"), "ftp");
    assert_null(G(6, SD_DIR_RESP, "220 welcome\r\n")); /* FTP or SMTP: the client decides */
    assert_null(g(6, SD_DIR_ORIG, "GE", 2));
}

static void t_dns(void **st)
{
    /* a query for example.com A IN */
    static const char q[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                            "\x07" "example\x03" "com\x00\x00\x01\x00\x01";
    assert_string_equal(G(17, SD_DIR_ORIG, q), "dns");
    assert_null(g(17, SD_DIR_ORIG, q, sizeof q - 3)); /* type and class cut off */
    /* an mDNS response without questions: the first answer's name is a pointer */
    static const char r[] = "\x00\x00\x84\x00\x00\x00\x00\x01\x00\x00\x00\x00"
                            "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x78\x00\x04";
    assert_string_equal(G(17, SD_DIR_ORIG, r), "dns");
    static const char bad[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
                              "\x50" "aaaa"; /* a label longer than 63 */
    assert_null(G(17, SD_DIR_ORIG, bad));
    assert_null(g(17, SD_DIR_ORIG, "short", 5));
}

/* The request's strings as put_text writes them (printable bytes but the
 * space as they are, others as \xHH in lower case), cut with "..." where
 * the next byte's form would not leave room for it and the NUL. */
static void t_http_text(void **st)
{
    (void)st;
    sd_appinfo app;
    memset(&app, 0, sizeof app);
    static const char req[] = "GET /a\x01" "b\x7f%20\xff HTTP/1.1\r\nHost: ex ample\x80.com\r\n\r\n";
    assert_true(sd_svcinfo_http(&app, (const uint8_t *)req, sizeof req - 1));
    assert_string_equal(app.verb, "GET");
    assert_string_equal(app.uri, "/a\\x01b\\x7f%20\\xff");
    assert_string_equal(app.name, "ex\\x20ample\\x80.com");
    /* the URI's 128 bytes: 124 of text, "..." and the NUL */
    char uri[256], want[128];
    memcpy(uri, "GET /", 5);
    memset(uri + 5, 'a', 200);
    memcpy(uri + 205, " HTTP/1.0\r\n\r\n", 13);
    memset(&app, 0, sizeof app);
    assert_true(sd_svcinfo_http(&app, (const uint8_t *)uri, 218));
    want[0] = '/';
    memset(want + 1, 'a', 123);
    memcpy(want + 124, "...", 4);
    assert_string_equal(app.uri, want);
    /* a byte written as \xHH where its four do not fit: cut before it */
    uri[5 + 121] = '\x01';
    memset(&app, 0, sizeof app);
    assert_true(sd_svcinfo_http(&app, (const uint8_t *)uri, 218));
    memcpy(want + 122, "...", 4);
    assert_string_equal(app.uri, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_tcp), cmocka_unit_test(t_dns),
                                        cmocka_unit_test(t_http_text) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
