/* sd_merge_fmt: a merged JSON line read back gives the writer the value
 * one run gave it (strings through their escapes, events with their
 * number fields), so that CSV from a merge is one run's CSV. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <stdio.h>

#include "out/sd_evout.h"
#include "out/sd_json.h"
#include "out/sd_merge_fmt_int.h"

/* Every byte class sd_json_escape treats apart: quote, backslash, C0
 * controls, DEL, a UTF-8 letter, bytes that are not UTF-8. */
static void t_strings(void **state)
{
    (void)state;
    static const char s[] = "a\"b\\c\n\t\r\x01\x1f\x7f caf\xc3\xa9 \xff\xfe \xa0 end";
    sd_buf line = { 0 }, strs = { 0 };
    sd_buf_append(&line, "{\"k\":", 5);
    sd_json_escape(&line, s, strlen(s));
    sd_buf_append(&line, "}", 1);
    mfkv kv[4];
    assert_int_equal(sd_mfkv_scan((const char *)line.p, line.len, kv, 4), 1);
    sd_buf_grow(&strs, line.len + 8);
    assert_string_equal(sd_mfkv_str(&kv[0], &strs), s);
    sd_buf_free(&line);
    sd_buf_free(&strs);
}

/* A nested value, an escaped quote in a string and numbers: keys and
 * values cut where they end. */
static void t_scan(void **state)
{
    (void)state;
    static const char l[] = "{\"type\":\"x\",\"a\":[1,{\"b\":\"]\\\"}\"}],\"n\":-1.5e3,\"t\":true,\"z\":null}";
    mfkv kv[8];
    assert_int_equal(sd_mfkv_scan(l, strlen(l), kv, 8), 5);
    assert_true(sd_mfkv_is(&kv[1], "a"));
    assert_int_equal(kv[1].vl, strlen("[1,{\"b\":\"]\\\"}\"}]"));
    assert_int_equal(kv[2].vl, 6);
    assert_int_equal(sd_mfkv_scan("{\"a\":1", 6, kv, 8), -1);
    assert_int_equal(sd_mfkv_scan("[1]", 3, kv, 8), -1);
}

/* The event's CSV row from its JSON line read back: the same row. */
static void csv_back(const sd_event *e, char *out, size_t len)
{
    sd_buf j = { 0 }, strs = { 0 }, row = { 0 };
    sd_evout_json(&j, e);
    mfkv kv[SD_MFKV_MAX];
    int nk = sd_mfkv_scan((const char *)j.p, j.len - 1, kv, SD_MFKV_MAX);
    sd_event back;
    const char *file;
    uint64_t ff;
    sd_buf_grow(&strs, j.len + 2 * (size_t)nk + 16);
    assert_true(sd_merge_fmt_event(kv, nk, &strs, &back, &file, &ff));
    sd_evout_csv_at(&row, &back, file, ff);
    snprintf(out, len, "%.*s", (int)row.len, (const char *)row.p);
    sd_buf_free(&j), sd_buf_free(&strs), sd_buf_free(&row);
}

static void t_event(void **state)
{
    (void)state;
    sd_evlist l = { 0 };
    sd_event *e = sd_ev_add(&l, "keystroke", "CabcdefghijklmnopQ", 7, 1795407705593227123LL, 48, 49, SD_LEG_REVERSE);
    e->dir = 1;
    e->confidence = 0.8;
    sd_ev_str(e, "key", "a,\"b\"\n=cmd");
    sd_ev_int(e, "bytes", -5);
    sd_ev_num(e, "latency_ms", 170.1775004); /* 3 decimals: .178; its 6 decimals (.177500) read back: .177 */
    sd_ev_num(e, "whole", 2.0);
    sd_ev_bool(e, "live", true);
    snprintf(e->note, sizeof e->note, "typed, by \"a\" person");
    char one[1024], merged[1024];
    sd_buf row = { 0 };
    sd_evout_csv_at(&row, e, "d/p_1.pcap", 12);
    snprintf(one, sizeof one, "%.*s", (int)row.len, (const char *)row.p);
    sd_buf_free(&row);
    /* a chunk's lines without their every digit would give another row */
    sd_evout_set_exact(false);
    csv_back(e, merged, sizeof merged);
    assert_string_not_equal(merged, one);
    sd_evout_set_exact(true);
    csv_back(e, merged, sizeof merged);
    sd_evout_set_exact(false);
    /* no file in the line (one input file): the two cells empty */
    assert_non_null(strstr(merged, ",48,49,,,reverse,keystroke,s2c,0.80,"));
    assert_non_null(strstr(one, " latency_ms=170.178 whole=2.000 live=true\","));
    assert_string_equal(strstr(merged, ",reverse,"), strstr(one, ",reverse,"));
    sd_evlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_strings), cmocka_unit_test(t_scan),
                                        cmocka_unit_test(t_event) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
