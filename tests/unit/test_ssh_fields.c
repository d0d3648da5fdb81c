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

#include "out/sd_recout.h"
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
    sd_sshout_meta_json(&b, NULL, &f.r, NULL);
    const char *j = text(&b);
    assert_non_null(strstr(j, "{\"type\":\"ssh\",\"ts\":"));
    assert_non_null(strstr(j, "\"client_enc_records\":2,\"server_enc_records\":0,\"client_enc_bytes\":200,"
                              "\"client_size_modes\":[[100,2]],"));
    assert_non_null(strstr(j, "\"server_size_modes\":[],"));
    assert_non_null(strstr(j, "\"anomalies\":[\"" ));
    assert_null(strstr(j, "auth_attempts")); /* no summary: unset */
    assert_null(strstr(j, "mode_size"));     /* CSV only */
    b.len = 0;
    sd_sshout_meta_csv(&b, NULL, &f.r);
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
    sd_sshout_meta_csv(&b, NULL, &f.r);
    const char *c = text(&b);
    assert_non_null(strstr(c, banner)); /* whole, longer than a text cell */
    size_t n = strlen(c);
    assert_true(n > 15);
    assert_string_equal(c + n - 15, ",,,,,,,,,,,,,,\n"); /* 14 statistics cells, empty */
    b.len = 0;
    sd_sshout_meta_json(&b, NULL, &f.r, NULL);
    assert_non_null(strstr(text(&b), "\"client_enc_records\":0,\"server_enc_records\":0"));
    sd_buf_free(&b);
}

/* The writers kept between records and the JSON memo of long strings
 * give the bytes a record written on its own gives: long banners that
 * need escaping, strings that share a slot (same length, first and last
 * bytes) and replace each other, one string met again after another took
 * its slot, a short one, one past the memo's longest. */
static void test_cache_same_bytes(void **st)
{
    (void)st;
    static char v[6][20000];
    snprintf(v[0], sizeof v[0], "SSH-2.0-%s", "quote\"back\\slash\ttab\x01" "ctl \xc3\xa9 and a long tail ............................");
    memset(v[1], 'a', 300);
    memset(v[2], 'a', 300);
    v[2][150] = '"'; /* same length and ends as v[1]: the same slot */
    snprintf(v[3], sizeof v[3], "SSH-2.0-short");
    memset(v[4], 'x', 17000); /* past JMEMO_MAX_IN */
    memcpy(v[4], "SSH-2.0-", 8);
    snprintf(v[5], sizeof v[5], "%s", v[1]);
    sd_sshout_cache *c = sd_sshout_cache_new();
    const int order[] = { 0, 1, 2, 1, 0, 3, 4, 5, 2, 5 };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        fixture f;
        fill(&f, v[order[i]]);
        f.m.side[1].banner = v[(order[i] + 1) % 6];
        f.m.side[0].kexinit_seen = f.m.side[1].kexinit_seen = true;
        snprintf(f.m.side[0].hassh, sizeof f.m.side[0].hassh, "0123456789abcdef0123456789abcdef");
        f.m.side[0].hassh_algorithms = v[(order[i] + 2) % 6];
        sd_buf a = { 0 }, b = { 0 };
        sd_sshout_meta_json(&a, NULL, &f.r, NULL);
        sd_sshout_meta_json(&b, c, &f.r, NULL);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        assert_non_null(strstr(text(&b), "\\\"back\\\\slash\\ttab\\u0001ctl") || order[i] != 0);
        a.len = b.len = 0;
        sd_sshout_meta_csv(&a, NULL, &f.r);
        sd_sshout_meta_csv(&b, c, &f.r);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.p, b.p, a.len);
        sd_buf_free(&a);
        sd_buf_free(&b);
    }
    sd_sshout_cache_free(c);
}

/* The generic field writer over the table: the reference the record
 * written in place (sd_ssh_fields_json) must match byte for byte. */
static void generic_json(sd_buf *b, const sd_ssh_fieldrec *x)
{
    const sd_field *sel[96];
    size_t n = sd_fields_all(&sd_ssh_fields, false, sel, 96);
    sd_recout *w = sd_recout_new(SD_REC_JSON, sel, n, "ssh", 0);
    sd_recout_record(w, b, x);
    sd_recout_free(w);
}

static void same_as_generic(const sd_sshconn_result *r, const sd_infer_summary *su, sd_ssh_jmemo *jm)
{
    sd_ssh_fieldrec x = { .r = r, .su = su, .csv = false, .jm = jm };
    sd_buf a = { 0 }, b = { 0 };
    generic_json(&a, &x);
    sd_ssh_fields_json(&b, &x);
    sd_buf_append(&a, "", 1);
    sd_buf_append(&b, "", 1);
    assert_string_equal((char *)b.p, (char *)a.p);
    sd_buf_free(&a);
    sd_buf_free(&b);
}

/* Records of every shape: nothing seen; everything set (host key, both
 * HASSHes, suites, strict KEX and Terrapin, pre-banner, NEWKEYS, both
 * roles' statistics with and without gaps, truncation, anomalies, every
 * summary member); IPv6; the client as responder; capture strings that
 * need escaping; summary values unknown; each with and without the memo,
 * the memo's twice (a hit). */
static void test_in_place_json_same_as_generic(void **st)
{
    (void)st;
    static char longb[300], esc[] = "SSH-2.0-q\"b\\t\x01\x7f\xc3\xa9 x";
    memset(longb, 'b', sizeof longb - 1);
    memcpy(longb, "SSH-2.0-", 8);
    sd_ssh_jmemo *jm = sd_ssh_jmemo_new();
    for (int shape = 0; shape < 6; shape++) {
        fixture f;
        fill(&f, shape == 0 ? NULL : shape == 3 ? esc : longb);
        sd_infer_summary su = { .auth_success = 1, .auth_attempts = 3, .auth_method = "password", .auth_mfa = true,
                                .host_known = 0, .session_kind = "shell", .agent_forwarding = true, .x11_used = true,
                                .reverse_provisioned = true, .auth_banner = true, .keystrokes = 42 };
        if (shape == 0) {
            f.m.anomalies_total = 0;
            f.m.n_anomalies = 0;
        }
        if (shape >= 1) {
            sd_ssh_meta *m = &f.m;
            f.c.id = 77;
            f.c.start = (sd_ts)1700000000123456000ll + shape;
            f.c.orig_h.fam = f.c.resp_h.fam = shape == 4 ? 6 : 4;
            f.c.orig_h.a[0] = 10;
            f.c.resp_h.a[15] = 9;
            f.c.orig_p = 50000;
            f.c.resp_p = 22;
            m->client_dir = shape == 5 ? SD_DIR_RESP : SD_DIR_ORIG;
            m->version = 2;
            m->side[1].banner = shape == 2 ? esc : longb;
            m->cipher[0] = m->cipher[1] = "aes256-ctr";
            m->mac[0] = m->mac[1] = "hmac-sha2-256-etm@openssh.com";
            m->comp[0] = "none";
            m->kex_alg = "curve25519-sha256";
            m->hostkey_alg = shape == 3 ? esc : "ssh-ed25519";
            m->hostkey_seen = shape != 2;
            snprintf(m->hostkey_type, sizeof m->hostkey_type, "%s", shape == 3 ? esc : "ssh-ed25519");
            snprintf(m->hostkey_sha256, sizeof m->hostkey_sha256, "SHA256:abc+/def");
            snprintf(m->hostkey_md5, sizeof m->hostkey_md5, "01:02:03");
            m->kex_reply_frame = 6;
            for (int d = 0; d < 2; d++) {
                m->side[d].kexinit_seen = shape != 4 || d;
                snprintf(m->side[d].hassh, sizeof m->side[d].hassh, "%s", d && shape == 5 ? "" : "00112233445566778899aabbccddeeff");
                m->side[d].hassh_algorithms = d ? longb : esc;
                m->side[d].newkeys_seen = d != shape % 2;
                m->side[d].newkeys_frame = 9 + (uint64_t)d;
                m->side[d].enc_records = 5 + (uint64_t)d;
            }
            m->strict_kex = shape % 2;
            m->terrapin = shape != 1;
            snprintf(m->terrapin_reason, sizeof m->terrapin_reason, "chacha20 \"x\"");
            m->side[1].prebanner = shape == 3 ? esc : NULL;
            m->outcome = (sd_ssh_outcome)(shape % 3);
            m->midstream = shape >= 4; /* (a fixture's meta: midstream beside a handshake) */
            m->suite_guessed = shape == 5;
            snprintf(m->suite_guess, sizeof m->suite_guess, "aes128-ctr + hmac-sha2-256");
            f.r.rec_truncated = shape == 2;
            if (shape != 2) {
                sd_ssh_record rec = { .dir = 0, .wire_len = 100 };
                for (int i = 0; i < 3 + shape; i++) {
                    rec.dir = (uint8_t)(i % 2 && shape != 5);
                    rec.wire_len = 64 + 16 * (uint32_t)(i % 3);
                    sd_sshstats_add(&f.s, &rec, (sd_ts)i * 123456789);
                }
                f.r.stats = &f.s;
            }
            su.midstream = shape == 5;
            if (shape == 4) {
                su.auth_success = -1;
                su.host_known = -1;
                su.auth_method = NULL;
                su.session_kind = NULL;
                su.auth_mfa = false;
            }
        }
        same_as_generic(&f.r, NULL, NULL);
        same_as_generic(&f.r, &su, NULL);
        same_as_generic(&f.r, &su, jm);
        same_as_generic(&f.r, &su, jm);
    }
    sd_ssh_jmemo_free(jm);
}

/* The handshake memo (sd_ssh_jmemo) never answers with another
 * handshake's members: each input changed alone (in place, at the same
 * address, or by another pointer), more handshakes in turn than it has
 * slots, each record compared with the generic writer's. */
static void test_handshake_memo_not_stale(void **st)
{
    (void)st;
    static char cb[] = "SSH-2.0-OpenSSH_9.6", sb[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2", kex[] = "curve25519-sha256",
                ciph[] = "aes256-ctr", mac[] = "hmac-sha2-256", comp[] = "none", hka[] = "ssh-ed25519",
                pre[] = "hello", ca[800], sa[800];
    memset(ca, 'c', sizeof ca - 1);
    memset(sa, 's', sizeof sa - 1);
    sd_ssh_jmemo *jm = sd_ssh_jmemo_new();
    sd_infer_summary su = { .auth_success = 0, .auth_attempts = 1, .auth_method = "password", .host_known = 1 };
    for (int step = 0; step < 80; step++) {
        int change = step % 2 ? step / 2 : 0; /* the unchanged handshake before each change: in the memo */
        fixture f;
        fill(&f, cb);
        sd_ssh_meta *m = &f.m;
        m->version = 2;
        m->side[1].banner = sb;
        m->kex_alg = kex;
        m->hostkey_alg = hka;
        m->cipher[0] = m->cipher[1] = ciph;
        m->mac[0] = m->mac[1] = mac;
        m->comp[0] = m->comp[1] = comp;
        m->hostkey_seen = true;
        snprintf(m->hostkey_type, sizeof m->hostkey_type, "ssh-ed25519");
        snprintf(m->hostkey_sha256, sizeof m->hostkey_sha256, "SHA256:abcdefghijklmnop");
        snprintf(m->hostkey_md5, sizeof m->hostkey_md5, "01:02:03:04");
        m->kex_reply_frame = 5 + (uint64_t)step;
        for (int d = 0; d < 2; d++) {
            m->side[d].kexinit_seen = true;
            snprintf(m->side[d].hassh, sizeof m->side[d].hassh, "%s", d ? "ffeeddccbbaa99887766554433221100" : "00112233445566778899aabbccddeeff");
            m->side[d].hassh_algorithms = d ? sa : ca;
        }
        m->terrapin = true;
        snprintf(m->terrapin_reason, sizeof m->terrapin_reason, "chacha20");
        m->outcome = SD_SSH_OUT_ENCRYPTED;
        /* one change for this record (0: none), undone after it */
        switch (change % 20) {
        case 1: cb[10] = 'X'; break;
        case 2: sb[12] = 'Y'; break;
        case 3: kex[0] = 'd'; break;
        case 4: m->cipher[0] = "aes128-ctr"; break;
        case 5: m->mac[1] = NULL; break;
        case 6: m->hostkey_seen = false; break;
        case 7: m->hostkey_sha256[9] = 'Z'; break;
        case 8: m->hostkey_md5[0] = '9'; break;
        case 9: m->hostkey_type[4] = 'r'; break;
        case 10: m->side[0].hassh[3] = 'a'; break;
        case 11: m->side[1].hassh[0] = '\0'; break;
        case 12: ca[700] = 'q'; break;
        case 13: sa[798] = '\0'; break;
        case 14: m->client_dir = SD_DIR_RESP; break;
        case 15: m->side[1].kexinit_seen = false; break;
        case 16: m->strict_kex = true; break;
        case 17: m->terrapin_reason[0] = 'C'; break;
        case 18: m->side[1].prebanner = pre; break;
        case 19: m->outcome = SD_SSH_OUT_VERSION_ONLY; m->version = 1; break;
        default: break;
        }
        same_as_generic(&f.r, &su, jm);
        same_as_generic(&f.r, &su, jm); /* and from the memo */
        cb[10] = 'e';
        sb[12] = 'S';
        kex[0] = 'c';
        ca[700] = 'c';
        sa[798] = 's';
    }
    sd_ssh_jmemo_free(jm);
}

/* The size modes' memo (sd_ssh_jmemo) never answers with another size
 * table's text: a count one more, the same sizes met in another order, a
 * size replaced, a table past the sizes it keeps, more tables in turn than
 * it has slots; each record compared with the generic writer's, twice
 * (the second from the memo when kept). */
static void test_size_modes_memo_not_stale(void **st)
{
    (void)st;
    static const uint32_t base[] = { 84, 68, 100, 84, 68, 68 };
    sd_ssh_jmemo *jm = sd_ssh_jmemo_new();
    sd_ssh_jmemo_count c0, c1;
    for (int step = 0; step < 40; step++) {
        int change = step % 2 ? step / 2 : 0; /* the unchanged table before each change: kept */
        fixture f;
        fill(&f, "SSH-2.0-x");
        uint32_t len[24];
        size_t n = sizeof base / sizeof base[0];
        memcpy(len, base, sizeof base);
        switch (change % 6) {
        case 1: len[n++] = 84; break;                  /* a count one more */
        case 2: len[0] = 68, len[1] = 84; break;       /* the same sizes, met in another order */
        case 3: len[2] = 101; break;                   /* a size replaced */
        case 4:                                        /* more sizes than a kept table has */
            for (uint32_t i = 0; i < 12; i++)
                len[n++] = 200 + 16 * i;
            break;
        case 5: len[n++] = 300 + (uint32_t)step; break; /* a new table each time: replaces kept ones */
        default: break;
        }
        for (size_t i = 0; i < n; i++) {
            sd_ssh_record rec = { .dir = (uint8_t)(i % 2), .wire_len = len[i] };
            sd_sshstats_add(&f.s, &rec, (sd_ts)i * 1000);
        }
        f.r.stats = &f.s;
        sd_ssh_jmemo_counts(jm, &c0);
        same_as_generic(&f.r, NULL, jm);
        same_as_generic(&f.r, NULL, jm);
        sd_ssh_jmemo_counts(jm, &c1);
        if (change % 6 != 4) /* both directions kept: the second record's from the memo */
            assert_true(c1.size_hits >= c0.size_hits + 2);
        sd_sshstats_free(&f.s);
    }
    sd_ssh_jmemo_counts(jm, &c1);
    assert_true(c1.size_misses > 4); /* more tables than slots: replaced */
    sd_ssh_jmemo_free(jm);
}

/* The HASSH name-lists of the run's KEXINIT memo (lists_memo) are
 * compared by address only while no memo has been freed: text put at the
 * same address after a memo went (here written in place, then a memo
 * freed) is written, not the remembered text. Each record is compared
 * with the generic writer's, the memo's twice (a hit). */
static void test_handshake_memo_lists_by_address(void **st)
{
    (void)st;
    static char cb[] = "SSH-2.0-OpenSSH_9.6", list[600];
    sd_ssh_jmemo *jm = sd_ssh_jmemo_new();
    for (int step = 0; step < 6; step++) {
        fixture f;
        fill(&f, cb);
        sd_ssh_meta *m = &f.m;
        m->version = 2;
        for (int d = 0; d < 2; d++) {
            m->side[d].kexinit_seen = true;
            snprintf(m->side[d].hassh, sizeof m->side[d].hassh, "00112233445566778899aabbccddeeff");
            m->side[d].hassh_algorithms = list;
            m->side[d].lists_memo = true;
        }
        if (step % 2 == 0) { /* new text at the same address, after a memo went */
            memset(list, 'a' + step, sizeof list - 1);
            list[sizeof list - 1 - (size_t)step] = '\0';
            sd_ssh_memo_free(sd_ssh_memo_new());
        }
        same_as_generic(&f.r, NULL, jm);
        same_as_generic(&f.r, NULL, jm);
    }
    sd_ssh_jmemo_free(jm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_unique_and_csv_known),
        cmocka_unit_test(test_nested_json_and_stats),
        cmocka_unit_test(test_csv_without_stats),
        cmocka_unit_test(test_cache_same_bytes),
        cmocka_unit_test(test_in_place_json_same_as_generic),
        cmocka_unit_test(test_handshake_memo_not_stale),
        cmocka_unit_test(test_handshake_memo_lists_by_address),
        cmocka_unit_test(test_size_modes_memo_not_stale),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
