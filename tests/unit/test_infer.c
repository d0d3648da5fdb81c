/* Unit tests for the SSH inference sizing rules (src/ssh/sd_infer.c) per
 * suite, checked against the lab captures (tests/lab/fixtures: e.g.
 * pwfirst_short_chacha has an 84-byte 6-character and 148-byte 8-character
 * password request, dropbear_client an 84-byte 8-character one, demo
 * 76-byte reverse keystrokes), and a synthetic record stream through
 * sd_infer_ssh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_infer.h"

static sd_ssh_suite suite(const char *c, const char *m)
{
    sd_ssh_suite s;
    assert_int_equal(sd_ssh_suite_from_names(c, m, &s), 0);
    return s;
}

static void test_keystroke_sizes(void **st)
{
    (void)st;
    /* K = wire(10) per suite (ssh_inference.md 3.2; lab interactive_* captures) */
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL), gcm = suite("aes128-gcm@openssh.com", NULL),
                 u64 = suite("aes128-ctr", "umac-64-etm@openssh.com"),
                 etm = suite("aes128-ctr", "hmac-sha2-256-etm@openssh.com"), eam = suite("aes256-ctr", "hmac-sha2-256");
    assert_int_equal(sd_ssh_wire_size(&ch, 10), 36);
    assert_int_equal(sd_ssh_wire_size(&gcm, 10), 36);
    assert_int_equal(sd_ssh_wire_size(&u64, 10), 28);
    assert_int_equal(sd_ssh_wire_size(&etm, 10), 52);
    assert_int_equal(sd_ssh_wire_size(&eam, 10), 64);
    /* arrows (3 bytes): distinct from K except for encrypt-and-MAC with B = 16 */
    assert_int_equal(sd_ssh_wire_size(&ch, 12), 44);
    assert_int_equal(sd_ssh_wire_size(&gcm, 12), 52);
    assert_int_equal(sd_ssh_wire_size(&eam, 12), 64);
    /* Backspace echo "\b\x1b[K" (payload 13) */
    assert_int_equal(sd_ssh_wire_size(&ch, 13), 44);
    assert_int_equal(sd_ssh_wire_size(&gcm, 13), 52);
    /* USERAUTH_SUCCESS: the smallest packet */
    assert_int_equal(sd_ssh_wire_size(&ch, 1), 28);
    assert_int_equal(sd_ssh_wire_size(&gcm, 1), 36);
}

static void test_password_sizes(void **st)
{
    (void)st;
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL), gcm = suite("aes128-gcm@openssh.com", NULL),
                 eam = suite("aes256-ctr", "hmac-sha2-256");
    /* OpenSSH pads password requests to 64-byte multiples (user "sdlab") */
    assert_int_equal(sd_infer_openssh_pw_wire(&ch, 5, 6), 84);
    assert_int_equal(sd_infer_openssh_pw_wire(&ch, 5, 8), 148);
    assert_int_equal(sd_infer_openssh_pw_wire(&ch, 5, 23), 148);
    assert_int_equal(sd_infer_openssh_pw_wire(&gcm, 5, 6), 148);
    assert_int_equal(sd_infer_openssh_pw_wire(&gcm, 5, 23), 148);
    assert_int_equal(sd_infer_openssh_pw_wire(&eam, 5, 8), 160);
    /* dbclient does not: 8 characters -> 84 (lab dropbear_client frame 19) */
    assert_int_equal(sd_infer_pw_wire(&ch, 5, 8), 84);
}

static void test_nested_sizes(void **st)
{
    (void)st;
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL), gcm = suite("aes128-gcm@openssh.com", NULL);
    /* chacha in chacha: 76-byte reverse keystrokes (lab demo; ja4 ssh-r.pcap) */
    assert_int_equal(sd_infer_nested_key_wire(&ch, &ch), 76);
    assert_int_equal(sd_infer_nested_key_wire(&gcm, &ch), 84);
}

/* A synthetic chacha session: SERVICE_REQUEST, none probe, one typed
 * password accepted, then "l" and Enter. */
static void test_stream(void **st)
{
    (void)st;
    static sd_ssh_meta m;
    static sd_conn c;
    memset(&m, 0, sizeof m);
    memset(&c, 0, sizeof c);
    snprintf(c.uid, sizeof c.uid, "Ctest");
    m.client_dir = 0;
    m.outcome = SD_SSH_OUT_ENCRYPTED;
    m.side[0].suite = m.side[1].suite = suite("chacha20-poly1305@openssh.com", NULL);
    m.side[0].software = "OpenSSH_9.2p1";
    m.side[1].software = "OpenSSH_9.2p1";
    struct { bool c; uint32_t len; double t; } seq[] = {
        { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 52, 1.03 },
        { true, 84, 4.00 }, { false, 28, 4.10 },                         /* 1-7 char password, ok */
        { true, 112, 4.11 }, { false, 44, 4.15 }, { true, 376, 4.16 }, { false, 36, 4.2 }, /* open, pty */
        { true, 36, 6.00 }, { false, 36, 6.001 },                        /* "l" echoed */
        { true, 36, 6.30 }, { false, 36, 6.302 }, { false, 100, 6.31 }, /* Enter: output */
    };
    size_t n = sizeof seq / sizeof seq[0];
    sd_ssh_record rec[sizeof seq / sizeof seq[0]];
    for (size_t i = 0; i < n; i++)
        rec[i] = (sd_ssh_record){ .dir = seq[i].c ? 0 : 1, .from_client = seq[i].c, .wire_len = seq[i].len,
                                  .frame = i + 10, .ts = (sd_ts)(seq[i].t * 1e9) };
    sd_sshconn_result r = { .conn = &c, .meta = &m, .rec = rec, .nrec = n };
    sd_infer_opts o = { .keystrokes = true };
    sd_infer_summary su;
    sd_evlist l = { 0 };
    sd_infer_ssh(&o, &r, &l, &su);
    assert_int_equal(su.auth_success, 1);
    assert_int_equal(su.auth_attempts, 1);
    assert_string_equal(su.auth_method, "password");
    assert_string_equal(su.session_kind, "shell");
    int keys = 0, enters = 0, attempts = 0;
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (!strcmp(e->kind, "keystroke")) {
            keys++;
            enters += !strcmp(sd_ev_get(e, "key")->s, "enter");
        }
        if (!strcmp(e->kind, "auth_attempt")) {
            attempts++;
            assert_string_equal(sd_ev_get(e, "password_len_class")->s, "le8");
            assert_false(sd_ev_get(e, "automated")->b);
        }
    }
    assert_int_equal(keys, 2);
    assert_int_equal(enters, 1);
    assert_int_equal(attempts, 1);
    sd_evlist_free(&l);
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_keystroke_sizes),
        cmocka_unit_test(test_password_sizes),
        cmocka_unit_test(test_nested_sizes),
        cmocka_unit_test(test_stream),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
