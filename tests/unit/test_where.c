/* Unit tests for src/out/sd_where: the --where language over a small
 * record (precedence, negation, numbers, text, addresses and networks,
 * sets and ranges, unset fields, Wireshark's aliases) and its refusals,
 * each naming the column. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_where.h"

typedef struct rec {
    uint64_t stream, resp_p;
    double duration;
    const char *orig_h, *resp_h, *state, *client; /* NULL: unset */
    bool terrapin;
} rec;

#define R(x) ((const rec *)(x))
static void g_stream(const void *r, sd_fval *v) { sd_fv_u(v, R(r)->stream); }
static void g_resp_p(const void *r, sd_fval *v) { sd_fv_u(v, R(r)->resp_p); }
static void g_duration(const void *r, sd_fval *v) { sd_fv_f(v, R(r)->duration, 6); }
static void g_orig_h(const void *r, sd_fval *v) { sd_fv_s(v, R(r)->orig_h); }
static void g_resp_h(const void *r, sd_fval *v) { sd_fv_s(v, R(r)->resp_h); }
static void g_state(const void *r, sd_fval *v) { sd_fv_s(v, R(r)->state); }
static void g_client(const void *r, sd_fval *v)
{
    if (R(r)->client)
        sd_fv_s(v, R(r)->client);
}
static void g_terrapin(const void *r, sd_fval *v) { sd_fv_b(v, R(r)->terrapin); }

static const sd_field F[] = {
    { "stream", "", g_stream, false },       { "id.resp_p", "", g_resp_p, false },
    { "duration", "", g_duration, false },   { "id.orig_h", "", g_orig_h, false },
    { "id.resp_h", "", g_resp_h, false },    { "conn_state", "", g_state, false },
    { "client", "", g_client, false },       { "terrapin", "", g_terrapin, false },
};
static const sd_fieldset FS = { F, SD_ARRAY_LEN(F), NULL };

static const rec A = { 3, 22, 4.5, "10.1.2.3", "192.168.0.9", "SF", "SSH-2.0-OpenSSH_9.6", true };
static const rec B = { 7, 443, 0.25, "2001:db8::1", "10.200.0.1", "RSTO", NULL, false };

/* Whether expr keeps A, and B: "AB", "A-", "-B" or "--". */
static void expect(const char *expr, const char *ab)
{
    char err[200] = "";
    sd_filter *f = sd_filter_parse(&FS, expr, err, sizeof err);
    if (!f)
        fail_msg("\"%s\" refused: %s", expr, err);
    char got[3] = { sd_filter_match(f, &A) ? 'A' : '-', sd_filter_match(f, &B) ? 'B' : '-', 0 };
    sd_filter_free(f);
    if (strcmp(got, ab))
        fail_msg("\"%s\": kept %s, expected %s", expr, got, ab);
}

/* expr is refused, the message holding want. */
static void refuse(const char *expr, const char *want)
{
    char err[200] = "";
    sd_filter *f = sd_filter_parse(&FS, expr, err, sizeof err);
    if (f) {
        sd_filter_free(f);
        fail_msg("\"%s\" accepted", expr);
    }
    if (!strstr(err, want))
        fail_msg("\"%s\": message \"%s\" lacks \"%s\"", expr, err, want);
}

static void t_logic(void **state)
{
    (void)state;
    expect("duration > 3 && id.resp_p = 22", "A-");
    expect("duration>3 and id.resp_p==443", "--");
    expect("stream == 3 or stream == 7", "AB");
    expect("stream == 3 || stream == 7 && id.resp_p == 22", "A-"); /* and first */
    expect("(stream == 3 || stream == 7) && id.resp_p == 443", "-B");
    expect("!(stream == 3)", "-B");
    expect("not stream == 3", "-B");
    expect("! ! stream eq 3", "A-");
    expect("stream==3,id.resp_p==22", "A-"); /* the old ',' is "and" */
}

static void t_values(void **state)
{
    (void)state;
    expect("duration >= 0.25", "AB");
    expect("duration lt 1", "-B");
    expect("conn_state == SF", "A-");
    expect("conn_state != \"SF\"", "-B");
    expect("conn_state > \"R\"", "AB");
    expect("client contains OpenSSH", "A-");
    expect("client matches \"openssh_9\\.[0-9]\"", "A-"); /* case-insensitive */
    expect("client ~ \"^ssh-1\"", "--");
    expect("client", "A-");                  /* set */
    expect("client != x", "AB");             /* unset: != holds */
    expect("!client", "-B");
    expect("terrapin", "A-");
    expect("terrapin == false", "-B");
    expect("terrapin == True", "A-");
}

static void t_addresses(void **state)
{
    (void)state;
    expect("id.orig_h == 10.0.0.0/8", "A-");
    expect("id.orig_h in 10.0.0.0/8", "A-");
    expect("id.orig_h == 10.1.2.3", "A-");
    expect("id.orig_h == 10.1.2.4", "--");
    expect("id.orig_h == 2001:db8::/32", "-B");
    expect("ip.addr == 10.0.0.0/8", "AB");      /* either end */
    expect("ip.addr != 10.0.0.0/8", "--");      /* neither end */
    expect("ip.src == 10.0.0.0/8", "A-");
    expect("ip.dst == 10.0.0.0/8", "-B");
    expect("tcp.stream == 7", "-B");
    expect("id.orig_h in {10.1.2.3 2001:db8::1}", "AB");
    expect("id.resp_h in {192.168.0.0/16, 172.16.0.0/12}", "A-");
}

static void t_sets(void **state)
{
    (void)state;
    expect("id.resp_p in {22 2222}", "A-");
    expect("id.resp_p in {1..1024}", "AB");
    expect("id.resp_p in {400..500, 8080}", "-B");
    expect("conn_state in {SF S1 \"RSTO\"}", "AB");
    expect("not id.resp_p in {22}", "-B");
}

static void t_refusals(void **state)
{
    (void)state;
    refuse("duration>abc", "column 10: \"abc\" is not a number");
    refuse("duration>3 && nosuch==1", "column 15: unknown field \"nosuch\"");
    refuse("", "empty expression");
    refuse("stream ==", "column 10: expected a value");
    refuse("(stream == 1", "column 1: '(' without ')'");
    refuse("stream == 1)", "column 12: unexpected \")\"");
    refuse("stream == 1 stream", "column 13: unexpected");
    refuse("stream in {1 2", "'{' without '}'");
    refuse("stream in {}", "empty set");
    refuse("client matches \"(\"", "bad regular expression");
    refuse("client == \"open", "column 11: unterminated string");
    refuse("client matches \"a+++\"", "a quantifier on a quantifier");
    refuse("client ~ \"(a{9}){9}{9}\"", "a quantifier on a quantifier");
    refuse("client ~ \"(a{9})(b{9})(c{9})\"", "more than 2 bounds");
    refuse("client ~ \"a{65}\"", "one over 64");
    expect("client ~ \"^SSH-2\\\\.0-OpenSSH_[0-9]{1,2}\\\\.[0-9]\"", "A-");
    expect("client ~ \"(\\\\+)+\"", "--"); /* an escaped '+' is no quantifier */
    expect("client ~ \"[*+?]+\"", "--");     /* nor one in brackets */
    expect("client ~ \"[]_]+\"", "A-");
    refuse("stream @ 1", "column 8: unexpected \"@\"");
    refuse("stream & 1", "column 8: unexpected '&'");
    refuse("&& stream", "column 1: expected a field");
    refuse("ip.proto == 6", "unknown field \"ip.proto\"");
    char deep[400];
    memset(deep, '(', 200);
    strcpy(deep + 200, "stream");
    refuse(deep, "nested deeper than");
    memset(deep, '!', 300);
    strcpy(deep + 300, "stream");
    refuse(deep, "nested deeper than");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_logic),     cmocka_unit_test(t_values), cmocka_unit_test(t_addresses),
        cmocka_unit_test(t_sets),      cmocka_unit_test(t_refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
