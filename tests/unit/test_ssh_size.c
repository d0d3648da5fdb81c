/* Unit tests for the SSH wire-size model (src/ssh/sd_ssh_size.c): the
 * vectors are the tables of ssh_inference.md section 3.2 (confirmed there on
 * real traces), plus length validation for the encrypted-stream splitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ssh/sd_ssh_size.h"

typedef struct row {
    const char *cipher, *mac;
    uint32_t p1, p5, p10, p9, p17; /* min pkt, IGNORE "", keystroke, WINDOW_ADJUST, SERVICE_REQ */
} row;

/* ssh_inference.md 3.2, "Size table". */
static const row size_table[] = {
    { "chacha20-poly1305@openssh.com", "hmac-sha2-512-etm@openssh.com", 28, 36, 36, 36, 44 },
    { "aes128-gcm@openssh.com", "umac-64-etm@openssh.com", 36, 36, 36, 36, 52 },
    { "aes256-gcm@openssh.com", NULL, 36, 36, 36, 36, 52 },
    { "aes256-ctr", "umac-64-etm@openssh.com", 28, 28, 28, 28, 44 },
    { "aes128-ctr", "umac-128-etm@openssh.com", 36, 36, 36, 36, 52 },
    { "aes128-ctr", "hmac-md5-etm@openssh.com", 36, 36, 36, 36, 52 },
    { "aes128-ctr", "hmac-sha1-etm@openssh.com", 40, 40, 40, 40, 56 },
    { "aes256-cbc", "hmac-sha2-256-etm@openssh.com", 52, 52, 52, 52, 68 },
    { "aes192-ctr", "hmac-sha2-256-etm@openssh.com", 52, 52, 52, 52, 68 },
    { "aes128-ctr", "hmac-sha2-512-etm@openssh.com", 84, 84, 84, 84, 100 },
    { "aes128-ctr", "umac-64@openssh.com", 24, 24, 40, 40, 40 },
    { "aes128-ctr", "hmac-md5", 32, 32, 48, 48, 48 },
    { "aes128-cbc", "umac-128@openssh.com", 32, 32, 48, 48, 48 },
    { "aes128-cbc", "hmac-sha1", 36, 36, 52, 52, 52 },
    { "aes256-ctr", "hmac-sha2-256", 48, 48, 64, 64, 64 },
    { "aes256-ctr", "hmac-sha2-512", 80, 80, 96, 96, 96 },
    { "3des-cbc", "hmac-sha1", 36, 36, 44, 44, 52 },
    { "arcfour256", "hmac-md5-etm@openssh.com", 28, 36, 36, 36, 44 },
};

static void test_size_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(size_table) / sizeof(size_table[0]); i++) {
        const row *r = &size_table[i];
        sd_ssh_suite s;
        assert_int_equal(sd_ssh_suite_from_names(r->cipher, r->mac, &s), 0);
        assert_int_equal(sd_ssh_wire_size(&s, 1), r->p1);
        assert_int_equal(sd_ssh_wire_size(&s, 5), r->p5);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_KEYSTROKE), r->p10);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_WINDOW_ADJUST), r->p9);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_SERVICE_ACCEPT), r->p17);
    }
}

typedef struct krow {
    const char *cipher, *mac;
    uint32_t p27, p1, p31, p5, d1, d3, d11, d19;
} krow;

/* ssh_inference.md 3.2, "Keepalives" table (CHANNEL_DATA with N bytes = 9 + N). */
static const krow keep_table[] = {
    { "chacha20-poly1305@openssh.com", NULL, 52, 28, 60, 36, 36, 44, 52, 60 },
    { "aes128-gcm@openssh.com", NULL, 52, 36, 68, 36, 36, 52, 52, 68 },
    { "aes128-ctr", "umac-64-etm@openssh.com", 44, 28, 60, 28, 28, 44, 44, 60 },
    { "aes128-ctr", "hmac-sha2-256-etm@openssh.com", 68, 52, 84, 52, 52, 68, 68, 84 },
    { "aes128-ctr", "hmac-md5", 64, 32, 64, 32, 48, 48, 48, 64 },
    { "aes128-ctr", "hmac-sha2-256", 80, 48, 80, 48, 64, 64, 64, 80 },
};

static void test_keepalive_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(keep_table) / sizeof(keep_table[0]); i++) {
        const krow *r = &keep_table[i];
        sd_ssh_suite s;
        assert_int_equal(sd_ssh_suite_from_names(r->cipher, r->mac, &s), 0);
        assert_int_equal(sd_ssh_wire_size(&s, 27), r->p27);
        assert_int_equal(sd_ssh_wire_size(&s, 1), r->p1);
        assert_int_equal(sd_ssh_wire_size(&s, 31), r->p31);
        assert_int_equal(sd_ssh_wire_size(&s, 5), r->p5);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(1)), r->d1);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(3)), r->d3);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(11)), r->d11);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(19)), r->d19);
    }
}

/* Nested keystroke: outer = wire_outer(9 + K_inner) (3.2 "Nested" table). */
static void test_nested(void **state)
{
    (void)state;
    static const struct {
        const char *cipher, *mac;
        uint32_t k28, k36, k52, k64;
    } t[] = {
        { "chacha20-poly1305@openssh.com", NULL, 68, 76, 92, 100 },
        { "aes256-gcm@openssh.com", NULL, 68, 84, 100, 100 },
        { "aes128-ctr", "umac-64-etm@openssh.com", 60, 76, 92, 92 },
        { "aes128-ctr", "hmac-sha2-256-etm@openssh.com", 84, 100, 116, 116 },
        { "aes128-ctr", "hmac-sha2-256", 80, 96, 112, 128 },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        sd_ssh_suite s;
        assert_int_equal(sd_ssh_suite_from_names(t[i].cipher, t[i].mac, &s), 0);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(28)), t[i].k28);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(36)), t[i].k36);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(52)), t[i].k52);
        assert_int_equal(sd_ssh_wire_size(&s, SD_SSH_P_CHANNEL_DATA(64)), t[i].k64);
    }
    /* the 2015 Althouse/Atkinson constant: hmac-md5 inside hmac-md5 */
    sd_ssh_suite md5;
    assert_int_equal(sd_ssh_suite_from_names("aes128-ctr", "hmac-md5", &md5), 0);
    assert_int_equal(sd_ssh_wire_size(&md5, SD_SSH_P_CHANNEL_DATA(48)), 96);
}

static void test_modes(void **state)
{
    (void)state;
    sd_ssh_suite s;
    assert_int_equal(sd_ssh_suite_from_names("chacha20-poly1305@openssh.com", "hmac-sha1", &s), 0);
    assert_int_equal(s.mode, SD_SSH_MODE_CHACHA);
    assert_false(s.len_clear);
    assert_int_equal(s.block, 8);
    assert_int_equal(sd_ssh_suite_from_names("aes256-gcm@openssh.com", NULL, &s), 0);
    assert_int_equal(s.mode, SD_SSH_MODE_GCM);
    assert_true(s.len_clear);
    assert_int_equal(sd_ssh_suite_from_names("AEAD_AES_128_GCM", "AEAD_AES_128_GCM", &s), 0);
    assert_int_equal(s.mode, SD_SSH_MODE_GCM);
    assert_int_equal(sd_ssh_suite_from_names("aes128-ctr", "umac-64-etm@openssh.com", &s), 0);
    assert_int_equal(s.mode, SD_SSH_MODE_ETM);
    assert_true(s.len_clear);
    assert_false(s.cbc);
    assert_int_equal(sd_ssh_suite_from_names("aes256-cbc", "hmac-sha2-256", &s), 0);
    assert_int_equal(s.mode, SD_SSH_MODE_EAM);
    assert_false(s.len_clear);
    assert_true(s.cbc);
    assert_int_equal(sd_ssh_suite_from_names("rijndael-cbc@lysator.liu.se", "hmac-md5", &s), 0);
    assert_true(s.cbc);
    assert_int_equal(s.block, 16);
    /* unknown names: no model, size 0 */
    assert_int_equal(sd_ssh_suite_from_names("rot13-ctr", "hmac-md5", &s), -1);
    assert_int_equal(sd_ssh_wire_size(&s, 10), 0);
    assert_int_equal(sd_ssh_suite_from_names("aes128-ctr", "hmac-whirlpool", &s), -1);
    assert_int_equal(s.mode, SD_SSH_MODE_UNKNOWN);
    assert_int_equal(sd_ssh_suite_from_names(NULL, NULL, &s), -1);
    bool etm;
    assert_int_equal(sd_ssh_mac_len("hmac-sha1-96-etm@openssh.com", &etm), 12);
    assert_true(etm);
    assert_int_equal(sd_ssh_mac_len("-etm@openssh.com", &etm), -1);
    /* cleartext phase: NEWKEYS (P = 1) is 16 bytes (7.1) */
    sd_ssh_suite c = sd_ssh_suite_clear();
    assert_int_equal(sd_ssh_wire_size(&c, 1), 16);
    /* huge payloads are refused, not wrapped */
    assert_int_equal(sd_ssh_wire_size(&c, 0xfffffff0u), 0);
}

static void test_len_valid(void **state)
{
    (void)state;
    sd_ssh_suite gcm, etm8;
    assert_int_equal(sd_ssh_suite_from_names("aes128-gcm@openssh.com", NULL, &gcm), 0);
    assert_true(sd_ssh_len_valid(&gcm, 16));
    assert_true(sd_ssh_len_valid(&gcm, 32));
    assert_false(sd_ssh_len_valid(&gcm, 20));   /* not a multiple of 16 */
    assert_false(sd_ssh_len_valid(&gcm, 0));
    assert_false(sd_ssh_len_valid(&gcm, SD_SSH_MAX_PACKET + 16));
    assert_true(sd_ssh_len_valid(&gcm, SD_SSH_MAX_PACKET));
    assert_int_equal(sd_ssh_suite_from_names("3des-cbc", "hmac-sha1-etm@openssh.com", &etm8), 0);
    assert_true(sd_ssh_len_valid(&etm8, 8));
    assert_false(sd_ssh_len_valid(&etm8, 4));
    /* every minimum-padded ETM/GCM packet passes its own check */
    for (uint32_t p = 1; p < 3000; p++) {
        uint32_t w = sd_ssh_wire_size(&gcm, p);
        assert_true(sd_ssh_len_valid(&gcm, w - 4 - gcm.tag));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_size_table), cmocka_unit_test(test_keepalive_table),
        cmocka_unit_test(test_nested),     cmocka_unit_test(test_modes),
        cmocka_unit_test(test_len_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
