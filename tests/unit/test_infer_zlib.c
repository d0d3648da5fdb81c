/* Unit tests of the sizes on a compressed connection (src/ssh/
 * sd_infer_zlib.c) on hand-made record lists, sizes as in the lab's
 * compressed captures (matrix_aes256gcm-zlib, dropbear_client_reverse,
 * dropbear_client_aes128ctr-sha256). Each test also runs the plain
 * connection or the look-alike that must not be read the same way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_infer_zlib.h"

static sd_ssh_suite suite(const char *c, const char *m)
{
    sd_ssh_suite s;
    assert_int_equal(sd_ssh_suite_from_names(c, m, &s), 0);
    return s;
}

#define MAXREC 96

typedef struct fixture {
    item v[MAXREC];
    ctx x;
    sd_ssh_suite s;
} fixture;

static void start(fixture *f, const char *c, const char *m, bool zlib)
{
    memset(f, 0, sizeof *f);
    f->s = suite(c, m);
    f->x = (ctx){ .v = f->v, .cs = &f->s, .ss = &f->s, .zlib = zlib };
}

static void add(fixture *f, bool c, uint32_t len, double t)
{
    assert_true(f->x.n < MAXREC);
    f->v[f->x.n] = (item){ .c = c, .len = len, .t = t, .frame = f->x.n + 1 };
    f->x.n++;
}

static void test_bounds(void **st)
{
    (void)st;
    fixture f;
    start(&f, "chacha20-poly1305@openssh.com", NULL, false);
    /* plain: the agent open (payload 39) is 68 bytes and nothing else */
    assert_true(sdi_z_is(&f.x, &f.s, 68, P_AGENT_OPEN));
    assert_false(sdi_z_is(&f.x, &f.s, 52, P_AGENT_OPEN));
    assert_int_equal(sdi_z_least(&f.x, &f.s, SD_SSH_P_CHANNEL_DATA(5)), 44);
    assert_true(sdi_z_ctl(&f.x, 2 * 36));
    assert_false(sdi_z_ctl(&f.x, 44));
    assert_int_equal(sdi_z_chunk_framing(&f.x), 0);
    assert_true(sdi_z_answer_s(&f.x, 0.2) == 0.2);
    /* compressed: 52 (lab dropbear_client_agent) and anything smaller
     * fits, a record past deflate's worst growth does not */
    f.x.zlib = true;
    assert_true(sdi_z_is(&f.x, &f.s, 52, P_AGENT_OPEN));
    assert_true(sdi_z_is(&f.x, &f.s, 68, P_AGENT_OPEN));
    assert_false(sdi_z_is(&f.x, &f.s, 100, P_AGENT_OPEN));
    assert_int_equal(sdi_z_least(&f.x, &f.s, SD_SSH_P_CHANNEL_DATA(5)), 28);
    assert_true(sdi_z_ctl(&f.x, 44));
    assert_false(sdi_z_ctl(&f.x, 100));
    assert_int_equal(sdi_z_chunk_framing(&f.x), Z_STORED_FRAMING);
    assert_true(sdi_z_answer_s(&f.x, 0.2) == REACT_MIN_S);
}

/* aes128-ctr + hmac-sha2-256 (encrypt-and-MAC, 16-byte blocks): keys of
 * 64 bytes, echoes compressed to 48, a completion's redraw at 64. */
static void test_learned_echo(void **st)
{
    (void)st;
    fixture f;
    start(&f, "aes128-ctr", "hmac-sha2-256", true);
    leg L = { .cl_is_outer_client = true, .oc = &f.s, .os = &f.s, .compressed = true };
    double t = 1.0;
    for (int k = 0; k < 5; k++, t += 0.3) {
        add(&f, true, 64, t);
        add(&f, false, 48, t + 0.001);
    }
    add(&f, true, 64, t);
    add(&f, false, 64, t + 0.001);
    assert_int_equal(sdi_z_echo(&f.x, &L, 0, f.x.n, 64, 64), 48);
    /* an answer later than PAIR_ECHO_S is no echo: none left, the plain size */
    for (size_t i = 1; i < f.x.n; i += 2)
        f.v[i].t += 1.0;
    assert_int_equal(sdi_z_echo(&f.x, &L, 0, f.x.n, 64, 64), 64);
    /* plain leg: the plain echo */
    L.compressed = false;
    assert_int_equal(sdi_z_echo(&f.x, &L, 0, f.x.n, 64, 64), 64);
}

/* A reverse leg (its client is the outer server) of chacha inside a
 * compressed chacha connection: keys 68 (plain 76), echoes 76. */
static void test_tunnel_offset(void **st)
{
    (void)st;
    fixture f;
    start(&f, "chacha20-poly1305@openssh.com", NULL, true);
    leg L = { .cl_is_outer_client = false, .oc = &f.s, .os = &f.s, .inner = &f.s };
    assert_int_equal(sdi_lw(&L, true, SD_SSH_P_KEYSTROKE), 76);
    double t = 1.0;
    for (int k = 0; k < 4; k++, t += 0.25) {
        add(&f, false, 68, t);
        add(&f, true, 76, t + 0.001);
    }
    sdi_z_tunnel_learn(&f.x, &L, 0, f.x.n);
    assert_int_equal(L.zshift[1], -8);
    assert_int_equal(L.zshift[0], 0);
    assert_int_equal(sdi_lw(&L, true, SD_SSH_P_KEYSTROKE), 68);
    assert_int_equal(sdi_lw(&L, false, SD_SSH_P_KEYSTROKE), 76);
    /* too few pairs: no offset */
    sdi_z_tunnel_learn(&f.x, &L, 0, 4);
    assert_int_equal(L.zshift[1], 0);
    /* a plain outer connection: none */
    f.x.zlib = false;
    sdi_z_tunnel_learn(&f.x, &L, 0, f.x.n);
    assert_int_equal(L.zshift[1], 0);
    assert_int_equal(L.zshift[0], 0);
}

/* The keys of the reverse leg L over f's records (the leg client is the
 * outer server), into k[]; returns their number. */
static size_t tunnel_keys(fixture *f, leg *L, sd_evlist *l, const char **k, size_t max)
{
    static sd_conn c = { .uid = "Cz" };
    static sd_sshconn_result res = { .conn = &c };
    static sd_infer_summary su;
    f->x.r = &res;
    f->x.out = l;
    f->x.sum = &su;
    sdi_keys_leg(&f->x, L, 0, f->x.n, true);
    size_t n = 0;
    for (size_t i = 0; i < l->n && n < max; i++)
        if (!strcmp(l->v[i].kind, "keystroke"))
            k[n++] = sd_ev_get(&l->v[i], "key")->s;
    return n;
}

/* ssh -C -R, a chacha reverse leg inside a compressed chacha connection
 * (lab compress_reverse): keys 68 (plain 76), echoes 68 (plain 76), each
 * record at the offset or at the plain size. A Backspace's echo at the
 * plain 84 (the offset Enter's least size) is a Backspace; the last
 * Enter's key at the plain 76 (an offset arrow's size) answered by the
 * logout's two records is a key; an arrow at 76 answered by one redraw
 * stays an arrow. Under aes128-gcm (16-byte blocks: key, arrow, echo and
 * Backspace echo all 68 or 84) an 84 answer is no Enter. */
static void test_tunnel_either_size(void **st)
{
    (void)st;
    static const struct { bool key; uint32_t len; } r[] = {
        { true, 68 }, { false, 68 }, { true, 68 }, { false, 68 }, { true, 68 }, { false, 84 }, /* e c BS */
        { true, 68 }, { false, 68 }, { true, 68 }, { false, 252 }, { false, 84 },             /* h Enter */
        { true, 76 }, { false, 84 }, { true, 68 }, { false, 252 }, { false, 92 },             /* Up Enter */
        { true, 68 }, { false, 68 }, { true, 68 }, { false, 68 },                             /* l s */
        { true, 76 }, { false, 76 }, { false, 220 },                                          /* Enter */
    };
    static const char *want[] = { "char", "char", "backspace", "char", "enter", "arrow",
                                  "enter", "char", "char", "enter" };
    for (int gcm = 0; gcm <= 1; gcm++) {
        fixture f;
        start(&f, gcm ? "aes128-gcm@openssh.com" : "chacha20-poly1305@openssh.com", NULL, true);
        sd_ssh_suite inner = suite("chacha20-poly1305@openssh.com", NULL); /* the -R session's own */
        leg L = { .id = SD_LEG_REVERSE, .cl_is_outer_client = false, .oc = &f.s, .os = &f.s, .inner = &inner };
        L.zshift[0] = L.zshift[1] = gcm ? -16 : -8;
        double t = 2.0;
        for (size_t i = 0; i < sizeof r / sizeof r[0]; i++) {
            uint32_t len = gcm && r[i].len < 200 ? (r[i].len <= 68 ? 68 : 84) : r[i].len;
            t += r[i].key ? 0.25 : 0.001;
            add(&f, !r[i].key, len, t);
        }
        f.x.login_t = 1.0;
        sd_evlist l = { 0 };
        const char *k[16];
        assert_int_equal(tunnel_keys(&f, &L, &l, k, 16), 10);
        for (size_t i = 0; i < 10; i++)
            if (!gcm)
                assert_string_equal(k[i], want[i]);
            else /* a Backspace and an arrow have a character's sizes there */
                assert_string_equal(k[i], strcmp(want[i], "enter") ? "char" : "enter");
        sd_evlist_free(&l);
    }
}

/* A record of a hand-made dbclient session: from the client (c), wire
 * bytes, time (s). */
typedef struct zrec {
    bool c;
    uint32_t len;
    double t;
} zrec;

/* dbclient over zlib, aes128-ctr + hmac-sha2-256, r[0..n) with the
 * records after `after` s moved `shift` s later: 35 keys, those read as
 * Enter exactly enters[0..ne) and chars[0..nc) read as chars. */
static void assert_dbclient_keys(const zrec *r, size_t n, double after, double shift, const size_t *enters,
                                 size_t ne, const size_t *chars, size_t nc)
{
    static fixture f;
    start(&f, "aes128-ctr", "hmac-sha2-256", true);
    for (size_t i = 0; i < n; i++)
        add(&f, r[i].c, r[i].len, r[i].t + (r[i].t > after ? shift : 0));
    leg L = { .cl_is_outer_client = true, .oc = &f.s, .os = &f.s, .compressed = true };
    f.x.login_t = 3.0;
    sd_evlist l = { 0 };
    const char *k[40];
    size_t nk = tunnel_keys(&f, &L, &l, k, 40), e = 0;
    assert_int_equal(nk, 35);
    for (size_t i = 0; i < nk; i++) {
        bool want = e < ne && enters[e] == i;
        assert_int_equal(!strcmp(k[i], "enter"), want);
        e += want;
    }
    for (size_t i = 0; i < nc; i++)
        assert_string_equal(k[chars[i]], "char");
    sd_evlist_free(&l);
}

/* dbclient over zlib, aes128-ctr + hmac-sha2-256 (lab sweep +10300
 * dropbear_client_aes128ctr-sha256, frames 31-148): keys 64, echoes
 * deflated to 48 (the plain echo's 64 is a completion's or a redraw's).
 * Most keys answered by the learned echo: a shell's line editor, not one
 * redrawing every key (fish), so `echo hello`'s Enter, answered by three
 * records no larger than a plain echo (CR LF, the output, the prompt,
 * each deflated) and followed by the next command 0.66 s later, at 2.6
 * times the line's pace, is an Enter (read as a fish redraw it was a char). */
static void test_learned_echo_no_redraws(void **st)
{
    (void)st;
    static const zrec r[] = {
        { true, 64, 4.1042 }, { false, 48, 4.1045 }, { true, 64, 4.2657 }, { false, 48, 4.2661 },
        { true, 64, 4.4771 }, { false, 48, 4.4775 }, { true, 64, 4.6895 }, { false, 64, 4.6899 },
        { true, 64, 5.0088 }, { false, 48, 5.0091 }, { true, 64, 5.2229 }, { false, 48, 5.2233 },
        { true, 64, 5.4882 }, { false, 48, 5.4885 }, { true, 64, 5.9579 }, { false, 48, 5.9583 },
        { false, 64, 5.9613 }, { false, 256, 5.9615 }, { false, 48, 5.9619 }, { true, 64, 6.6688 },
        { false, 48, 6.6694 }, { true, 64, 6.9439 }, { false, 48, 6.9443 }, { true, 64, 7.2712 },
        { false, 48, 7.2716 }, { true, 64, 7.5961 }, { false, 48, 7.5964 }, { true, 64, 7.7776 },
        { false, 48, 7.7783 }, { true, 64, 8.0339 }, { false, 48, 8.0343 }, { true, 64, 8.3023 },
        { false, 64, 8.3032 }, { true, 64, 8.6319 }, { false, 64, 8.6325 }, { true, 64, 9.5480 },
        { false, 64, 9.5483 }, { true, 64, 9.9009 }, { false, 48, 9.9014 }, { false, 96, 9.9015 },
        { true, 64, 10.8725 }, { false, 48, 10.8729 }, { true, 64, 11.1332 }, { false, 48, 11.1335 },
        { true, 64, 11.3828 }, { false, 48, 11.3832 }, { true, 64, 11.6495 }, { false, 48, 11.6498 },
        { true, 64, 11.8246 }, { false, 48, 11.8249 }, { true, 64, 12.0222 }, { false, 48, 12.0225 },
        { true, 64, 12.2811 }, { false, 48, 12.2815 }, { true, 64, 12.6551 }, { false, 48, 12.6555 },
        { true, 64, 12.9147 }, { false, 48, 12.9150 }, { true, 64, 13.1083 }, { false, 48, 13.1088 },
        { true, 64, 13.3200 }, { false, 64, 13.3204 }, { true, 64, 13.6968 }, { false, 48, 13.6972 },
        { false, 64, 13.6973 }, { false, 48, 13.6974 }, { true, 64, 14.3526 }, { false, 48, 14.3529 },
        { true, 64, 14.5709 }, { false, 48, 14.5713 }, { true, 64, 14.8467 }, { false, 48, 14.8471 },
        { true, 64, 15.1130 }, { false, 48, 15.1135 }, { true, 64, 15.5229 }, { false, 64, 15.5239 },
        { false, 160, 15.5262 },
    };
    /* the labelled Enters: `ls -l`, `cd Documents/` (Tab), the line
     * recalled by Up, `echo hello`, `exit` */
    static const size_t enters[] = { 7, 15, 17, 29, 34 };
    assert_dbclient_keys(r, sizeof r / sizeof r[0], 0, 0, enters, sizeof enters / sizeof enters[0], NULL, 0);
}

/* The same client and suite (lab sweep +11600
 * dropbear_client_aes128ctr-sha256, frames 31-148): `cd Doc` and Tab
 * answered by one 64-byte record (the completion, larger than the learned
 * 48-byte echo, no larger than the plain echo), then the Enter 0.53 s
 * later answered by 48 + 64: the Tab is no Enter (read as one, an Enter
 * was invented). Nor is `echo helo`, Left and `l`, answered by the
 * insert's redraw of the same size 0.46 s before its Enter: both are
 * chars, a Tab not told from an insert where the arrow's cursor move has
 * an echo's size. Look-alike: the same answer with the Enter 0.73 s later
 * (past COMPLETE_ENTER_S) stays an Enter, a prompt after a command
 * printing nothing. */
static void test_completion_before_enter(void **st)
{
    (void)st;
    static const zrec r[] = {
        { true, 64, 4.7521 },   { false, 48, 4.7524 },  { true, 64, 4.8898 },   { false, 48, 4.8902 },
        { true, 64, 5.1296 },   { false, 48, 5.1299 },  { true, 64, 5.3944 },   { false, 64, 5.3948 },
        { true, 64, 5.5263 },   { false, 48, 5.5268 },  { true, 64, 5.7574 },   { false, 48, 5.7577 },
        { true, 64, 6.1499 },   { false, 48, 6.1502 },  { true, 64, 6.5326 },   { false, 48, 6.5338 },
        { false, 208, 6.5360 }, { false, 48, 6.5362 },  { true, 64, 7.6006 },   { false, 48, 7.6009 },
        { true, 64, 7.8300 },   { false, 48, 7.8303 },  { true, 64, 8.0908 },   { false, 48, 8.0911 },
        { true, 64, 8.3733 },   { false, 48, 8.3737 },  { true, 64, 8.6307 },   { false, 48, 8.6310 },
        { true, 64, 8.7805 },   { false, 48, 8.7808 },  { true, 64, 8.9685 },   { false, 64, 8.9691 },
        { true, 64, 9.4998 },   { false, 48, 9.5001 },  { false, 64, 9.5003 },  { true, 64, 10.3757 },
        { false, 64, 10.3762 }, { true, 64, 10.5910 },  { false, 96, 10.5914 }, { false, 48, 10.5914 },
        { true, 64, 11.6350 },  { false, 48, 11.6354 }, { true, 64, 11.8905 },  { false, 48, 11.8909 },
        { true, 64, 12.1605 },  { false, 48, 12.1609 }, { true, 64, 12.3141 },  { false, 48, 12.3147 },
        { true, 64, 12.4466 },  { false, 48, 12.4470 }, { true, 64, 12.6670 },  { false, 48, 12.6674 },
        { true, 64, 12.8324 },  { false, 48, 12.8328 }, { true, 64, 13.0013 },  { false, 48, 13.0018 },
        { true, 64, 13.1325 },  { false, 48, 13.1329 }, { true, 64, 13.4357 },  { false, 48, 13.4361 },
        { true, 64, 13.6636 },  { false, 64, 13.6640 }, { true, 64, 14.1256 },  { false, 48, 14.1258 },
        { false, 64, 14.1259 }, { false, 48, 14.1262 }, { true, 64, 14.7703 },  { false, 48, 14.7707 },
        { true, 64, 15.1008 },  { false, 48, 15.1011 }, { true, 64, 15.4444 },  { false, 48, 15.4446 },
        { true, 64, 15.6900 },  { false, 48, 15.6902 }, { true, 64, 15.9975 },  { false, 48, 15.9981 },
        { false, 64, 15.9982 },
    };
    /* the labelled Enters: `ls -l`, `cd Documents/`, the line recalled by
     * Up, `echo hello`, `exit`; the Tab is key 14, the insert key 28 */
    static const size_t enters[] = { 7, 15, 17, 29, 34 }, chars[] = { 14, 28 };
    static const size_t late_enters[] = { 7, 14, 15, 17, 29, 34 };
    size_t n = sizeof r / sizeof r[0];
    assert_dbclient_keys(r, n, 0, 0, enters, sizeof enters / sizeof enters[0], chars, 2);
    /* late: the Enter after the Tab (and all after it) 0.2 s later */
    assert_dbclient_keys(r, n, 9.0, 0.2, late_enters, sizeof late_enters / sizeof late_enters[0], chars + 1, 1);
}

/* matrix_aes256gcm-zlib: the subsystem request (52), the server's answers
 * (36, 36), SSH_FXP_INIT (36), SSH_FXP_VERSION (180), then limits, STAT
 * and OPEN before the data: scp. */
static void test_sftp(void **st)
{
    (void)st;
    fixture f;
    start(&f, "aes256-gcm@openssh.com", NULL, true);
    add(&f, true, 52, 0.0);
    add(&f, false, 36, 0.001);
    add(&f, false, 36, 0.001);
    add(&f, true, 36, 0.002);
    add(&f, false, 180, 0.008);
    for (int k = 0; k < 3; k++) {
        add(&f, true, 52, 0.009 + k * 0.001);
        add(&f, false, 52, 0.0095 + k * 0.001);
    }
    add(&f, true, 32820, 0.02);
    reqs q = { .found = true, .from = 0, .to = 1 };
    f.x.req_to = 1;
    assert_true(sdi_z_sftp_init(&f.x, &q));
    assert_int_equal(sdi_z_sftp_client(&f.x, f.x.n - 1), 0);
    /* one more request before the data (REALPATH "."): sftp */
    f.v[f.x.n - 1] = (item){ .c = true, .len = 52, .t = 0.012 };
    add(&f, false, 68, 0.0125);
    add(&f, true, 32820, 0.02);
    assert_int_equal(sdi_z_sftp_client(&f.x, f.x.n - 1), 1);
    /* a legacy scp's first line (68) after the client's first byte: no sftp */
    f.v[4].len = 68;
    assert_false(sdi_z_sftp_init(&f.x, &q));
    /* plain connection: the compressed rules say nothing */
    f.v[4].len = 180;
    f.x.zlib = false;
    assert_false(sdi_z_sftp_init(&f.x, &q));
    assert_int_equal(sdi_z_sftp_client(&f.x, f.x.n - 1), -1);
}

/* compress_xfer_chacha seed 1000: scp -C -O download from a verbose
 * remote scp: the exec request (68), the server's answers (72, 72), the
 * client's '\0' (36), the stderr and "C0644" lines in one segment (152:
 * an SSH_FXP_VERSION's size), the client's '\0' (36) and at once the
 * file's bytes: no sftp. The same sizes answered by short records (an
 * sftp client's first request and its answer) stay sftp. */
static void test_scp_line_not_version(void **st)
{
    (void)st;
    fixture f;
    start(&f, "chacha20-poly1305@openssh.com", NULL, true);
    add(&f, true, 68, 0.0);
    add(&f, false, 72, 0.0006);
    add(&f, false, 72, 0.0007);
    add(&f, true, 36, 0.0008);
    add(&f, false, 152, 0.0116);
    add(&f, true, 36, 0.0118);
    for (int k = 0; k < 8; k++)
        add(&f, false, 1448, 0.0198 + k * 1e-6);
    reqs q = { .found = true, .from = 0, .to = 1 };
    f.x.req_to = 1;
    assert_false(sdi_z_sftp_init(&f.x, &q));
    f.x.n = 6;
    add(&f, false, 60, 0.0121);
    add(&f, true, 52, 0.0122);
    add(&f, false, 84, 0.0124);
    assert_true(sdi_z_sftp_init(&f.x, &q));
}

/* A compressed -N connection (lab asyncssh_forward, chacha20): the second
 * curl run's channel, its GETs deflated to a control packet's size
 * against the first run's, the pages to 212/196 bytes; then, 2 s later,
 * the client's close (a DISCONNECT of 76). The close is not the
 * channel's (counted, it stretched a 0.1 s load over 2 s: interactive),
 * and the small GETs still ask: web. */
static void test_forward_close(void **st)
{
    (void)st;
    fixture f;
    start(&f, "chacha20-poly1305@openssh.com", NULL, true);
    static const struct { bool c; uint32_t len; double t; } r[] = {
        { true, 44, 4.7533 },  { false, 44, 4.7539 }, { true, 36, 4.7546 },  { false, 212, 4.7555 },
        { true, 36, 4.7564 },  { false, 44, 4.7570 }, { false, 196, 4.8011 }, { true, 36, 4.8064 },
        { false, 36, 4.8071 }, { false, 196, 4.8490 }, { true, 36, 4.8515 },  { false, 72, 4.8518 },
        { true, 36, 4.8534 },  { true, 76, 6.8241 },
    };
    for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
        add(&f, r[i].c, r[i].len, r[i].t);
    f.x.login_t = 1.0;
    sd_conn c = { .uid = "Cz" };
    sd_sshconn_result res = { .conn = &c };
    sd_evlist l = { 0 };
    sd_infer_summary su = { 0 };
    f.x.r = &res;
    f.x.out = &l;
    f.x.sum = &su;
    sdi_forwards(&f.x, 0, true);
    assert_int_equal(l.n, 1);
    assert_string_equal(sd_ev_get(&l.v[0], "carried")->s, "web");
    assert_int_equal(l.v[0].frame_last, 13);
    /* the close right after the pages (no pause): the channel's end, counted */
    sd_evlist_free(&l);
    free(f.x.chan);
    f.x.chan = NULL;
    f.v[f.x.n - 1].t = 4.86;
    sdi_forwards(&f.x, 0, true);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.v[0].frame_last, 14);
    sd_evlist_free(&l);
    free(f.x.chan);
}

/* The carried class on a compressed connection: a record of a control
 * packet's size still carries data (a deflated request); its bytes are
 * unknown. Plain, it is a control packet, and a tunnel of nothing else
 * is idle. */
static void test_carry_small(void **st)
{
    (void)st;
    sdi_carry z = { .last_data_dir = -1, .req = 0 }, p = z;
    for (int k = 0; k < 3; k++) {
        sdi_carry_add(&z, true, k, 0, true);
        sdi_carry_add(&z, false, k + 0.01, 180, true);
        sdi_carry_add(&p, true, 2.0 * k, 0, false);
        sdi_carry_add(&p, false, 2.0 * k + 0.01, 0, false);
    }
    assert_string_equal(sdi_carry_class(&z), "web");
    assert_int_equal(z.exchanges, 3);
    assert_string_equal(sdi_carry_class(&p), "idle");
    /* compressed keep-alives alone (no bytes anywhere): idle too */
    sdi_carry q = { .last_data_dir = -1 };
    for (int k = 0; k < 4; k++)
        sdi_carry_add(&q, k % 2 == 0, 1.5 * k, 0, true);
    assert_string_equal(sdi_carry_class(&q), "idle");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bounds),
        cmocka_unit_test(test_learned_echo),
        cmocka_unit_test(test_tunnel_offset),
        cmocka_unit_test(test_tunnel_either_size),
        cmocka_unit_test(test_learned_echo_no_redraws),
        cmocka_unit_test(test_completion_before_enter),
        cmocka_unit_test(test_sftp),
        cmocka_unit_test(test_scp_line_not_version),
        cmocka_unit_test(test_forward_close),
        cmocka_unit_test(test_carry_small),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
