/* Unit tests for the SSH record's field table (src/ssh/sd_ssh_fields.c)
 * written by the generic field writer: names unique, the CSV's columns all
 * in the table, nested JSON values (size modes, anomalies), the CSV's empty
 * statistics cells, capture strings longer than a text cell kept whole. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_ssh_fields.h"
#include "ssh/sd_ssh_record.h"

static char *text(sd_buf *b)
{
    sd_buf_append(b, "", 1);
    return (char *)b->p;
}

static void test_names_unique_and_csv_known(void **st)
{
    (void)st;
    for (size_t i = 0; i < sd_ssh_fields.n; i++)
        for (size_t k = i + 1; k < sd_ssh_fields.n; k++)
            assert_string_not_equal(sd_ssh_fields.f[i].name, sd_ssh_fields.f[k].name);
    const sd_field *sel[96];
    char err[96] = "";
    int n = sd_fields_select(&sd_ssh_fields, sd_ssh_csv_columns, sel, 96, err, sizeof err);
    assert_int_equal(n, 28);
    sd_buf b = { 0 };
    sd_sshout_meta_csv_header(&b);
    assert_string_equal(strchr(text(&b), '\n'), "\n"); /* one line */
    assert_int_equal(strncmp((char *)b.p, "uid,stream,id.orig_h,", 21), 0);
    sd_buf_free(&b);
}

typedef struct fixture {
    sd_conn c;
    sd_ssh_meta m;
    sd_sshstats s;
    sd_sshconn_result r;
} fixture;

static void fill(fixture *f, char *banner)
{
    memset(f, 0, sizeof *f);
    snprintf(f->c.uid, sizeof f->c.uid, "Cabc");
    f->m.side[0].banner = banner;
    f->m.anomalies_total = 2;
    f->m.n_anomalies = 1;
    static sd_ssh_anomaly an = { .code = SD_SSH_AN_BANNER_LONG };
    f->m.anomalies = &an;
    f->r.conn = &f->c;
    f->r.meta = &f->m;
}

static void test_nested_json_and_stats(void **st)
{
    (void)st;
    fixture f;
    fill(&f, "SSH-2.0-x");
    sd_ssh_record rec = { .dir = 0, .wire_len = 100 };
    sd_sshstats_add(&f.s, &rec, 1);
    sd_sshstats_add(&f.s, &rec, 2);
    f.m.side[0].enc_records = 2;
    f.r.stats = &f.s;
    sd_buf b = { 0 };
    sd_sshout_meta_json(&b, &f.r, NULL);
    const char *j = text(&b);
    assert_non_null(strstr(j, "{\"type\":\"ssh\",\"ts\":"));
    assert_non_null(strstr(j, "\"client_enc_records\":2,\"server_enc_records\":0,\"client_enc_bytes\":200,"
                              "\"client_size_modes\":[[100,2]],"));
    assert_non_null(strstr(j, "\"server_size_modes\":[],"));
    assert_non_null(strstr(j, "\"anomalies\":[\"" ));
    assert_null(strstr(j, "auth_attempts")); /* no summary: unset */
    assert_null(strstr(j, "mode_size"));     /* CSV only */
    b.len = 0;
    sd_sshout_meta_csv(&b, &f.r);
    assert_non_null(strstr(text(&b), ",2,200,100,2,0,"));
    sd_buf_free(&b);
}

static void test_csv_without_stats(void **st)
{
    (void)st;
    char banner[400];
    memset(banner, 'A', sizeof banner);
    memcpy(banner, "SSH-2.0-", 8);
    banner[sizeof banner - 1] = 0;
    fixture f;
    fill(&f, banner);
    sd_buf b = { 0 };
    sd_sshout_meta_csv(&b, &f.r);
    const char *c = text(&b);
    assert_non_null(strstr(c, banner)); /* whole, longer than a text cell */
    size_t n = strlen(c);
    assert_true(n > 15);
    assert_string_equal(c + n - 15, ",,,,,,,,,,,,,,\n"); /* 14 statistics cells, empty */
    b.len = 0;
    sd_sshout_meta_json(&b, &f.r, NULL);
    assert_non_null(strstr(text(&b), "\"client_enc_records\":0,\"server_enc_records\":0"));
    sd_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_unique_and_csv_known),
        cmocka_unit_test(test_nested_json_and_stats),
        cmocka_unit_test(test_csv_without_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
