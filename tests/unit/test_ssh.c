/* Unit tests for the SSH parser (src/ssh/sd_ssh*.c) on synthetic streams:
 * name-list negotiation edge cases, roles, HASSH, host key fingerprint,
 * encrypted-record splitting, anomalies, and that byte-at-a-time feeding
 * gives exactly what whole-buffer feeding gives. Real captures are covered
 * by tests/ssh/t_ssh.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "ssh/sd_ssh.h"

/* ------------------------------------------------------------ builders */

typedef struct wbuf {
    uint8_t b[8192];
    size_t n;
} wbuf;

static void put(wbuf *w, const void *p, size_t n)
{
    assert_true(w->n + n <= sizeof(w->b));
    memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void put32(wbuf *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    put(w, b, 4);
}
static void putstr(wbuf *w, const char *s)
{
    put32(w, (uint32_t)strlen(s));
    put(w, s, strlen(s));
}

/* A cleartext binary packet (block 8, minimum padding) around payload. */
static void packet(wbuf *w, const wbuf *payload)
{
    uint32_t pad = 8 - ((5 + (uint32_t)payload->n) % 8);
    if (pad < 4)
        pad += 8;
    put32(w, 1 + (uint32_t)payload->n + pad);
    uint8_t p = (uint8_t)pad;
    put(w, &p, 1);
    put(w, payload->b, payload->n);
    uint8_t zeros[16] = { 0 };
    put(w, zeros, pad);
}

static const char *const client_lists[10] = {
    "curve25519-sha256,ext-info-c,kex-strict-c-v00@openssh.com",
    "ssh-ed25519,rsa-sha2-512",
    "aes128-gcm@openssh.com,aes128-ctr",
    "aes128-ctr,chacha20-poly1305@openssh.com",
    "umac-64-etm@openssh.com,hmac-sha1",
    "hmac-sha1",
    "none,zlib@openssh.com",
    "none",
    "",
    "",
};
static const char *const server_lists[10] = {
    "kex-strict-s-v00@openssh.com,ext-info-s,diffie-hellman-group14-sha256,curve25519-sha256",
    "rsa-sha2-512,ssh-ed25519",
    "aes128-ctr,aes128-gcm@openssh.com",
    "chacha20-poly1305@openssh.com,aes128-ctr",
    "hmac-sha1,umac-64-etm@openssh.com",
    "hmac-sha1",
    "none",
    "none",
    "",
    "",
};

static void kexinit(wbuf *w, const char *const lists[10])
{
    wbuf p = { .n = 0 };
    uint8_t t = 20, cookie[16] = { 1, 2, 3 };
    put(&p, &t, 1);
    put(&p, cookie, 16);
    for (int i = 0; i < 10; i++)
        putstr(&p, lists[i]);
    uint8_t fk = 0;
    put(&p, &fk, 1);
    put32(&p, 0);
    packet(w, &p);
}

static void simple_msg(wbuf *w, uint8_t type, size_t extra)
{
    wbuf p = { .n = 0 };
    put(&p, &type, 1);
    for (size_t i = 0; i < extra; i++)
        put(&p, "x", 1);
    packet(w, &p);
}

static const uint8_t hostkey_blob[] = {
    0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9',
    0, 0, 0, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static void kex_reply(wbuf *w)
{
    wbuf p = { .n = 0 };
    uint8_t t = 31;
    put(&p, &t, 1);
    put32(&p, sizeof(hostkey_blob));
    put(&p, hostkey_blob, sizeof(hostkey_blob));
    putstr(&p, "server-ephemeral-key-32-bytes...");
    putstr(&p, "signature");
    packet(w, &p);
}

/* One encrypted GCM packet of payload P: 4-byte clear length + body + tag. */
static void gcm_record(wbuf *w, uint32_t payload)
{
    uint32_t pad = 16 - ((1 + payload) % 16);
    if (pad < 4)
        pad += 16;
    uint32_t L = 1 + payload + pad;
    put32(w, L);
    for (uint32_t i = 0; i < L + 16; i++)
        put(w, "\xaa", 1);
}

/* A full handshake as messages in time order (dir 0 = client): the client
 * picks aes128-gcm c2s, the server aes128-ctr+hmac-sha1 s2c. */
typedef struct convo {
    wbuf c, s;            /* each side's whole byte stream */
    int dir[32];          /* message i: direction, end offset in its stream */
    size_t end[32];
    int n;
} convo;

static void mark(convo *cv, int dir)
{
    assert_true(cv->n < 32);
    cv->dir[cv->n] = dir;
    cv->end[cv->n] = dir == 0 ? cv->c.n : cv->s.n;
    cv->n++;
}

static void build_convo(convo *cv, bool prebanner)
{
    memset(cv, 0, sizeof(*cv));
    const char *cb = "SSH-2.0-TestClient_1.0 comment here\r\n";
    if (prebanner)
        put(&cv->s, "Welcome!\r\nsecond line\n", 22);
    const char *sb = "SSH-2.0-TestServer_2.0\r\n";
    put(&cv->s, sb, strlen(sb));
    mark(cv, 1);
    put(&cv->c, cb, strlen(cb));
    mark(cv, 0);
    kexinit(&cv->c, client_lists);
    mark(cv, 0);
    kexinit(&cv->s, server_lists);
    mark(cv, 1);
    simple_msg(&cv->c, 30, 36); /* KEX_ECDH_INIT */
    mark(cv, 0);
    kex_reply(&cv->s);
    simple_msg(&cv->s, 21, 0); /* NEWKEYS */
    mark(cv, 1);
    simple_msg(&cv->c, 21, 0);
    gcm_record(&cv->c, 17);  /* SERVICE_REQUEST: 52 on the wire */
    mark(cv, 0);
    for (int i = 0; i < 100; i++) /* server side: EaM, bytes only */
        put(&cv->s, "\x55", 1);
    mark(cv, 1);
    gcm_record(&cv->c, 10);  /* keystroke: 36 */
    gcm_record(&cv->c, 300);
    mark(cv, 0);
}

typedef struct reclog {
    uint32_t n, len[64], frame[64];
    int dir[64];
    bool exact[64];
} reclog;

static void on_rec(void *ud, const sd_ssh_record *r)
{
    reclog *l = ud;
    if (l->n < 64) {
        l->len[l->n] = r->wire_len;
        l->frame[l->n] = r->frame;
        l->dir[l->n] = r->dir;
        l->exact[l->n] = r->exact;
    }
    l->n++;
}

/* Feeds the messages in time order, each in pieces of `step` bytes
 * (0 = whole message); the client's bytes go in as direction `cdir`. */
static sd_ssh *run_memo(const convo *cv, size_t step, int hint, int cdir, reclog *log, sd_ssh_memo *memo)
{
    sd_ssh_opts o = { .client_hint = hint, .record = on_rec, .ud = log, .memo = memo };
    sd_ssh *s = sd_ssh_new(&o);
    size_t pos[2] = { 0, 0 };
    for (int i = 0; i < cv->n; i++) {
        int d = cv->dir[i];
        const wbuf *w = d == 0 ? &cv->c : &cv->s;
        while (pos[d] < cv->end[i]) {
            size_t left = cv->end[i] - pos[d];
            size_t k = step && step < left ? step : left;
            int dir = d == 0 ? cdir : 1 - cdir;
            sd_ssh_feed(s, dir, w->b + pos[d], k, (uint64_t)i + 1, (sd_ts)i * 1000);
            pos[d] += k;
        }
    }
    return s;
}

static sd_ssh *run(const convo *cv, size_t step, int hint, int cdir, reclog *log)
{
    return run_memo(cv, step, hint, cdir, log, NULL);
}

static void md5hex(const char *str, char out[33])
{
    uint8_t md[16];
    unsigned n = 0;
    EVP_Digest(str, strlen(str), md, &n, EVP_md5(), NULL);
    for (unsigned i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* --------------------------------------------------------------- tests */

/* Fingerprints are remembered by input (a brute-force run repeats its host
 * key): inputs of the same length and the same first and last 32 bytes
 * share a slot, and each must still get its own digest, in any order; both
 * at once (sd_ssh_fp_hostkey, remembered by key) are what each alone gives. */
static void test_fp_memo(void **state)
{
    (void)state;
    uint8_t a[100] = { 0 }, b[100] = { 0 };
    a[50] = 1;
    b[50] = 2;
    const uint8_t *order[] = { a, b, a, a, b, b, a };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        uint8_t md[EVP_MAX_MD_SIZE];
        unsigned n = 0;
        EVP_Digest(order[i], 100, md, &n, EVP_md5(), NULL);
        char want[48], got[48];
        size_t o = 0;
        for (unsigned k = 0; k < n; k++)
            o += (size_t)snprintf(want + o, sizeof want - o, k ? ":%02x" : "%02x", md[k]);
        sd_ssh_fp_md5(order[i], 100, got);
        assert_string_equal(got, want);
        char sha[52], md5[48], want_sha[52];
        sd_ssh_fp_sha256(order[i], 100, want_sha);
        memset(sha, 'x', sizeof sha);
        memset(md5, 'x', sizeof md5);
        sd_ssh_fp_hostkey(order[i], 100, sha, md5);
        assert_string_equal(sha, want_sha);
        assert_string_equal(md5, want);
    }
}

static void str_same(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* What the memo (sd_ssh_memo) hands over must be what a parser without
 * it works out: lists, HASSHes, negotiated names, strict KEX, Terrapin,
 * suites, records. */
static void meta_same(const sd_ssh_meta *a, const sd_ssh_meta *b)
{
    for (int d = 0; d < 2; d++) {
        const sd_ssh_side *x = &a->side[d], *y = &b->side[d];
        assert_string_equal(x->hassh, y->hassh);
        str_same(x->hassh_algorithms, y->hassh_algorithms);
        for (int i = 0; i < 10; i++)
            str_same(x->lists[i], y->lists[i]);
        assert_int_equal(x->strict_kex, y->strict_kex);
        assert_int_equal(x->ext_info, y->ext_info);
        assert_int_equal(x->suite.mode, y->suite.mode);
        assert_int_equal(x->suite.tag, y->suite.tag);
        assert_int_equal(x->enc_records, y->enc_records);
        str_same(a->cipher[d], b->cipher[d]);
        str_same(a->mac[d], b->mac[d]);
        str_same(a->comp[d], b->comp[d]);
    }
    str_same(a->kex_alg, b->kex_alg);
    str_same(a->hostkey_alg, b->hostkey_alg);
    assert_int_equal(a->client_dir, b->client_dir);
    assert_int_equal(a->strict_kex, b->strict_kex);
    assert_int_equal(a->terrapin, b->terrapin);
    assert_string_equal(a->terrapin_reason, b->terrapin_reason);
    assert_int_equal(a->n_anomalies, b->n_anomalies);
}

/* Banners, then the client's KEXINIT of lists cl and the server's of sl. */
static void kex_convo(convo *cv, const char *const cl[10], const char *const sl[10])
{
    *cv = (convo){ 0 };
    put(&cv->s, "SSH-2.0-S\r\n", 11);
    mark(cv, 1);
    put(&cv->c, "SSH-2.0-C\r\n", 11);
    mark(cv, 0);
    kexinit(&cv->c, cl);
    mark(cv, 0);
    kexinit(&cv->s, sl);
    mark(cv, 1);
}

/* A shared memo across connections: the same list sets again (hits),
 * roles swapped (the same entries met as the other role), other list
 * sets (the negotiation worked out again for a new pair), byte-at-a-time
 * feeding; then more distinct sets than the memo keeps: refused, counted,
 * and parsed as without it. */
static void test_kex_memo(void **state)
{
    (void)state;
    sd_ssh_memo *memo = sd_ssh_memo_new();
    const char *cl[10], *sl[10];
    memcpy(cl, client_lists, sizeof cl);
    memcpy(sl, server_lists, sizeof sl);
    for (int round = 0; round < 7; round++) {
        convo cv;
        if (round == 3) /* another client list set: chacha20 without strict KEX */
            cl[0] = "curve25519-sha256", cl[2] = "chacha20-poly1305@openssh.com";
        if (round == 6) { /* the first client list set against another server's */
            memcpy(cl, client_lists, sizeof cl);
            sl[0] = "diffie-hellman-group14-sha256", sl[3] = "chacha20-poly1305@openssh.com";
        }
        memset(&cv, 0, sizeof cv);
        build_convo(&cv, round == 1);
        if (round >= 3) /* rebuild the KEXINITs with the lists of this round */
            kex_convo(&cv, round == 5 ? sl : cl, round == 5 ? cl : sl);
        for (int flip = 0; flip < 2; flip++) {
            reclog la = { 0 }, lb = { 0 };
            sd_ssh *a = run(&cv, 0, 0, flip, &la);
            sd_ssh *b = run_memo(&cv, round == 2 ? 1 : 0, 0, flip, &lb, memo);
            meta_same(sd_ssh_meta_get(a), sd_ssh_meta_get(b));
            for (int d = 0; d < 2; d++) { /* the memo's lists, said so: a copy shares them */
                const sd_ssh_side *x = &sd_ssh_meta_get(b)->side[d];
                assert_false(sd_ssh_meta_get(a)->side[d].lists_memo);
                assert_int_equal(x->lists_memo, x->kexinit_seen);
            }
            assert_int_equal(la.n, lb.n);
            sd_ssh_free(a);
            sd_ssh_free(b);
        }
    }
    assert_int_equal(sd_ssh_memo_refused(memo), 0);
    for (int i = 0; i < 1100; i++) { /* ever new client lists */
        char name[32];
        snprintf(name, sizeof name, "kex-%d", i);
        cl[1] = name;
        convo cv;
        kex_convo(&cv, cl, sl);
        reclog la = { 0 }, lb = { 0 };
        sd_ssh *a = run(&cv, 0, 0, 0, &la);
        sd_ssh *b = run_memo(&cv, 0, 0, 0, &lb, memo);
        meta_same(sd_ssh_meta_get(a), sd_ssh_meta_get(b));
        sd_ssh_free(a);
        sd_ssh_free(b);
    }
    assert_true(sd_ssh_memo_refused(memo) > 0);
    assert_true(sd_ssh_memo_refused(memo) < 1100);
    sd_ssh_memo_free(memo);
}

/* Banners and both KEXINITs, fed through memo. */
static sd_ssh *kex_only(const char *const cl[10], const char *const sl[10], sd_ssh_memo *memo)
{
    convo cv;
    kex_convo(&cv, cl, sl);
    reclog l = { 0 };
    return run_memo(&cv, 0, 0, 0, &l, memo);
}

/* The memo's negotiation is shared, not copied into each parser (issue
 * #11: the copy wrote nine cold lines a connection): two connections of the
 * same list sets after the first point at the same names. And shared names never change:
 * the same client lists meeting many other servers' (each negotiating
 * another cipher) leave the first connection's names as they were. */
static void test_kex_memo_shared(void **state)
{
    (void)state;
    sd_ssh_memo *memo = sd_ssh_memo_new();
    sd_ssh *first = kex_only(client_lists, server_lists, memo);
    (void)sd_ssh_meta_get(first); /* works the negotiation out (lazily: here), keeps it */
    sd_ssh *a = kex_only(client_lists, server_lists, memo);
    sd_ssh *b = kex_only(client_lists, server_lists, memo);
    const sd_ssh_meta *ma = sd_ssh_meta_get(a), *mb = sd_ssh_meta_get(b);
    assert_non_null(ma->cipher[0]);
    assert_ptr_equal(ma->cipher[0], mb->cipher[0]);
    assert_ptr_equal(ma->kex_alg, mb->kex_alg);
    char want[4][80];
    const char *names[4] = { ma->kex_alg, ma->hostkey_alg, ma->cipher[0], ma->mac[0] };
    for (int i = 0; i < 4; i++)
        snprintf(want[i], sizeof want[i], "%s", names[i]);
    assert_string_equal(want[2], "aes128-gcm@openssh.com");
    for (int i = 0; i < 20; i++) { /* more servers than a client entry keeps negotiations of */
        const char *sl[10];
        char enc[32];
        memcpy(sl, server_lists, sizeof sl);
        snprintf(enc, sizeof enc, "aes128-ctr,x-%d", i);
        sl[2] = enc;
        sd_ssh *x = kex_only(client_lists, sl, memo);
        assert_string_equal(sd_ssh_meta_get(x)->cipher[0], "aes128-ctr");
        sd_ssh_free(x);
        sd_ssh *y = kex_only(client_lists, server_lists, memo); /* and back: met again */
        assert_string_equal(sd_ssh_meta_get(y)->cipher[0], "aes128-gcm@openssh.com");
        sd_ssh_free(y);
    }
    const char *now[4] = { ma->kex_alg, ma->hostkey_alg, ma->cipher[0], ma->mac[0] };
    for (int i = 0; i < 4; i++)
        assert_string_equal(now[i], want[i]);
    reclog l = { 0 };
    convo cv;
    build_convo(&cv, false);
    sd_ssh *c = run(&cv, 0, 0, 0, &l); /* without the memo: the same names */
    assert_string_equal(sd_ssh_meta_get(c)->cipher[0], want[2]);
    assert_string_equal(sd_ssh_meta_get(c)->kex_alg, want[0]);
    sd_ssh_free(c);
    assert_string_equal(sd_ssh_meta_get(first)->cipher[0], want[2]);
    sd_ssh_free(first);
    sd_ssh_free(a);
    sd_ssh_free(b);
    assert_int_equal(sd_ssh_memo_refused(memo), 0);
    sd_ssh_memo_free(memo);
}

/* The meta's rare strings are not cleared by sd_ssh_new past their first
 * byte: a parser made in the memory of one that had them set reads them
 * empty. */
static void test_meta_rare_cleared(void **state)
{
    (void)state;
    const char *cl[10];
    memcpy(cl, client_lists, sizeof cl);
    cl[0] = "curve25519-sha256", cl[3] = "chacha20-poly1305@openssh.com"; /* no strict KEX */
    for (int round = 0; round < 3; round++) {
        sd_ssh *x = kex_only(cl, server_lists, NULL);
        const sd_ssh_meta *mx = sd_ssh_meta_get(x);
        assert_true(mx->terrapin);
        assert_string_equal(mx->terrapin_reason, "chacha20-poly1305@openssh.com without strict KEX");
        sd_ssh_free(x);
        sd_ssh *y = sd_ssh_new(NULL); /* in x's chunk, given back just now */
        const sd_ssh_meta *my = sd_ssh_meta_get(y);
        assert_false(my->terrapin);
        assert_string_equal(my->terrapin_reason, "");
        assert_string_equal(my->suite_guess, "");
        sd_ssh_free(y);
    }
}

static void test_negotiate(void **state)
{
    (void)state;
    char out[72];
    assert_int_equal(sd_ssh_negotiate("a,b,c", "c,b", out, sizeof(out)), 1);
    assert_string_equal(out, "b");
    assert_int_equal(sd_ssh_negotiate("a,b", "c,d", out, sizeof(out)), -1);
    /* pseudo-algorithms are never chosen (RFC 8308, OpenSSH strict KEX) */
    assert_true(sd_ssh_negotiate("ext-info-c,kex-strict-c-v00@openssh.com,curve25519-sha256",
                                 "kex-strict-c-v00@openssh.com,ext-info-c,curve25519-sha256", out,
                                 sizeof(out)) > 0);
    assert_string_equal(out, "curve25519-sha256");
    /* whole names only: no prefix/suffix matches */
    assert_int_equal(sd_ssh_negotiate("aes128-ctr", "aes128-ctr-foo,xaes128-ctr", out, sizeof(out)),
                     -1);
    assert_int_equal(sd_ssh_negotiate("aes128", "aes128-ctr", out, sizeof(out)), -1);
    /* empty lists and empty entries */
    assert_int_equal(sd_ssh_negotiate("", "a", out, sizeof(out)), -1);
    assert_int_equal(sd_ssh_negotiate("a", "", out, sizeof(out)), -1);
    assert_int_equal(sd_ssh_negotiate(",,a", "b,,a", out, sizeof(out)), 1);
    assert_string_equal(out, "a");
    assert_int_equal(sd_ssh_negotiate(NULL, "a", out, sizeof(out)), -1);
    /* small output buffer: cut, still terminated */
    assert_int_equal(sd_ssh_negotiate("abcdef", "abcdef", out, 4), 3);
    assert_string_equal(out, "abc");
    assert_true(sd_ssh_list_has("x,y,z", "z"));
    assert_false(sd_ssh_list_has("x,yy,z", "y"));

    /* a server list of thousands of names (sorted and searched, not
     * scanned per client name): the same answers, in the client's order,
     * names that are prefixes of others and empty names never matched */
    size_t cap = 5000 * 8 + 64;
    char *cl = malloc(cap), *sv = malloc(cap);
    size_t cn = 0, sn = 0;
    for (int i = 0; i < 5000; i++) {
        cn += (size_t)snprintf(cl + cn, cap - cn, "c%x,", i);
        sn += (size_t)snprintf(sv + sn, cap - sn, "%s%d,", i % 2 ? "s" : "", i);
    }
    snprintf(cl + cn, cap - cn, "kex-strict-c-v00@openssh.com,zz,1387");
    snprintf(sv + sn, cap - sn, ",kex-strict-c-v00@openssh.com,1387,zz,cz");
    assert_int_equal(sd_ssh_negotiate(cl, sv, out, sizeof(out)), 2);
    assert_string_equal(out, "zz");
    sv[sn] = '\0'; /* nothing in common: 1 is not 10, s not s1 */
    assert_int_equal(sd_ssh_negotiate("c,1,s,x,", sv, out, sizeof(out)), -1);
    assert_int_equal(sd_ssh_negotiate("x,s1,1", sv, out, sizeof(out)), 2);
    assert_string_equal(out, "s1");
    free(cl);
    free(sv);
}

static void check_convo_meta(const sd_ssh_meta *m, int client)
{
    const sd_ssh_side *c = &m->side[client], *v = &m->side[1 - client];
    assert_int_equal(m->client_dir, client);
    assert_int_equal(m->client_dir_evidence, SD_SSH_EV_KEXMSG);
    assert_string_equal(c->banner, "SSH-2.0-TestClient_1.0 comment here");
    assert_string_equal(c->software, "TestClient_1.0");
    assert_string_equal(c->comments, "comment here");
    assert_string_equal(c->proto, "2.0");
    assert_true(c->banner_crlf);
    assert_string_equal(v->software, "TestServer_2.0");
    assert_int_equal(m->version, 2);
    assert_string_equal(m->kex_alg, "curve25519-sha256");
    assert_string_equal(m->hostkey_alg, "ssh-ed25519");
    assert_string_equal(m->cipher[0], "aes128-gcm@openssh.com");
    assert_string_equal(m->cipher[1], "aes128-ctr");
    assert_string_equal(m->mac[0], "umac-64-etm@openssh.com");
    assert_string_equal(m->mac[1], "hmac-sha1");
    assert_string_equal(m->comp[0], "none");
    assert_true(m->strict_kex);
    assert_false(m->terrapin);
    assert_true(c->ext_info && v->ext_info);

    /* HASSH: MD5 of kex;enc;mac;comp as sent (pseudo names included) */
    char want[33];
    char alg[512];
    snprintf(alg, sizeof(alg), "%s;%s;%s;%s", client_lists[0], client_lists[2], client_lists[4],
             client_lists[6]);
    assert_string_equal(c->hassh_algorithms, alg);
    md5hex(alg, want);
    assert_string_equal(c->hassh, want);
    snprintf(alg, sizeof(alg), "%s;%s;%s;%s", server_lists[0], server_lists[3], server_lists[5],
             server_lists[7]);
    assert_string_equal(v->hassh_algorithms, alg);
    md5hex(alg, want);
    assert_string_equal(v->hassh, want);

    /* host key: SHA256 of the blob, base64 without padding */
    uint8_t md[32];
    unsigned n = 0;
    EVP_Digest(hostkey_blob, sizeof(hostkey_blob), md, &n, EVP_sha256(), NULL);
    unsigned char b64[64];
    int bl = EVP_EncodeBlock(b64, md, 32);
    assert_int_equal(bl, 44);
    assert_int_equal(b64[43], '=');
    b64[43] = 0;
    char fp[80];
    snprintf(fp, sizeof(fp), "SHA256:%s", (char *)b64);
    assert_true(m->hostkey_seen);
    assert_string_equal(m->hostkey_sha256, fp);
    assert_string_equal(m->hostkey_type, "ssh-ed25519");
    assert_int_equal(strlen(m->hostkey_md5), 47);

    assert_true(c->newkeys_seen && v->newkeys_seen);
    assert_int_equal(m->outcome, SD_SSH_OUT_ENCRYPTED);
    assert_int_equal(c->suite.mode, SD_SSH_MODE_GCM);
    assert_true(c->splitting);
    assert_int_equal(v->suite.mode, SD_SSH_MODE_EAM);
    assert_false(v->splitting);
    assert_int_equal(v->enc_bytes, 100);
    assert_int_equal(c->enc_records, 3);
    /* the only note allowed: the hint was contradicted */
    assert_int_equal(m->n_anomalies, m->client_dir_flipped ? 1 : 0);
    if (m->client_dir_flipped)
        assert_int_equal(m->anomalies[0].code, SD_SSH_AN_DIR_FLIP);
}

static void test_convo_whole(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    reclog log = { 0 };
    sd_ssh *s = run(&cv, 0, 0, 0, &log);
    check_convo_meta(sd_ssh_meta_get(s), 0);
    assert_int_equal(log.n, 3);
    assert_int_equal(log.len[0], 52);
    assert_int_equal(log.len[1], 36);
    assert_int_equal(log.len[2], 4 + 320 + 16);
    assert_true(log.exact[0] && log.dir[0] == 0);
    sd_ssh_free(s);
}

/* Byte-at-a-time and odd-sized feeding give the same meta and records. */
static void test_convo_chunked(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, true);
    reclog whole = { 0 };
    sd_ssh *a = run(&cv, 0, 0, 0, &whole);
    for (size_t step = 1; step <= 13; step += 3) {
        reclog l = { 0 };
        sd_ssh *b = run(&cv, step, 0, 0, &l);
        const sd_ssh_meta *ma = sd_ssh_meta_get(a), *mb = sd_ssh_meta_get(b);
        check_convo_meta(mb, 0);
        assert_string_equal(mb->side[1].prebanner, "Welcome!\nsecond line\n");
        assert_int_equal(mb->side[1].prebanner_lines, 2);
        assert_string_equal(ma->side[0].hassh, mb->side[0].hassh);
        assert_int_equal(l.n, whole.n);
        for (uint32_t i = 0; i < l.n; i++)
            assert_int_equal(l.len[i], whole.len[i]);
        assert_int_equal(ma->side[0].enc_offset, mb->side[0].enc_offset);
        sd_ssh_free(b);
    }
    sd_ssh_free(a);
}

/* Each message as one TCP segment: sd_ssh_feed_segment gives exactly
 * what sd_ssh_feed then sd_ssh_segment over the same bytes give (the
 * server's encrypt-and-MAC side has a record a segment, the client's GCM
 * side its exact records), and a wire length past the bytes (a snaplen
 * cut) is the segment record's. */
static void test_feed_segment(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    reclog two = { 0 }, one = { 0 };
    sd_ssh_opts oa = { .record = on_rec, .ud = &two }, ob = { .record = on_rec, .ud = &one };
    sd_ssh *a = sd_ssh_new(&oa), *b = sd_ssh_new(&ob);
    size_t pos[2] = { 0, 0 };
    for (int i = 0; i < cv.n; i++) {
        int d = cv.dir[i];
        const wbuf *w = d == 0 ? &cv.c : &cv.s;
        size_t len = cv.end[i] - pos[d];
        uint32_t extra = i == cv.n - 2 ? 7 : 0; /* the server's encrypted bytes as if cut */
        uint64_t off = sd_ssh_offset(a, d);
        sd_ssh_feed(a, d, w->b + pos[d], len, (uint64_t)i + 1, (sd_ts)i);
        sd_ssh_segment(a, d, off, (uint32_t)len + extra, (uint64_t)i + 1, (sd_ts)i);
        sd_ssh_feed_segment(b, d, w->b + pos[d], len, (uint32_t)len + extra, (uint64_t)i + 1, (sd_ts)i);
        pos[d] += len;
    }
    assert_true(two.n > 3);
    assert_int_equal(one.n, two.n);
    bool cut_seen = false;
    for (uint32_t i = 0; i < one.n; i++) {
        assert_int_equal(one.len[i], two.len[i]);
        assert_int_equal(one.frame[i], two.frame[i]);
        assert_int_equal(one.dir[i], two.dir[i]);
        assert_int_equal(one.exact[i], two.exact[i]);
        cut_seen |= one.dir[i] == 1 && one.len[i] == 100 + 7;
    }
    assert_true(cut_seen);
    assert_int_equal(sd_ssh_offset(a, 0), sd_ssh_offset(b, 0));
    assert_int_equal(sd_ssh_offset(a, 1), sd_ssh_offset(b, 1));
    sd_ssh_free(a);
    sd_ssh_free(b);
}

/* The caller's hint is wrong (dir 1 is the client): content decides. */
static void test_roles_flip(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    reclog l = { 0 };
    sd_ssh *s = run(&cv, 0, 1, 1, &l); /* client is dir 1 and the hint says so */
    check_convo_meta(sd_ssh_meta_get(s), 1);
    assert_false(sd_ssh_meta_get(s)->client_dir_flipped);
    sd_ssh_free(s);

    /* client as dir 1 but the hint says 0: KEX messages decide */
    s = run(&cv, 7, 0, 1, &l);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    check_convo_meta(m, 1);
    assert_true(m->client_dir_flipped);
    /* said at the chunk that decided it, the client's KEXINIT (message 2,
     * frame 3: its ext-info-c), though the rest of the derivation waits
     * for the server's KEX reply (sdp_touch) */
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_DIR_FLIP);
    assert_int_equal(m->anomalies[0].frame, 3);
    sd_ssh_free(s);
}

/* Only the client's bytes (as dir 1), the hint saying dir 0: with the
 * TCP handshake seen (hint_firm) one side's claims are not enough to
 * overturn it (a peer can forge its own: hostile round 7); without it they
 * decide, as before. */
static void test_roles_firm(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    for (int firm = 0; firm < 2; firm++) {
        sd_ssh_opts o = { .client_hint = 0, .hint_firm = firm };
        sd_ssh *s = sd_ssh_new(&o);
        size_t pos = 0;
        for (int i = 0; i < cv.n; i++)
            if (cv.dir[i] == 0) {
                sd_ssh_feed(s, 1, cv.c.b + pos, cv.end[i] - pos, (uint64_t)i + 1, (sd_ts)i * 1000);
                pos = cv.end[i];
            }
        const sd_ssh_meta *m = sd_ssh_meta_get(s);
        assert_int_equal(m->client_dir, firm ? 0 : 1);
        assert_int_equal(m->client_dir_flipped, !firm);
        sd_ssh_free(s);
    }
}

static void test_terrapin(void **state)
{
    (void)state;
    /* chacha20 without strict KEX + an IGNORE between KEXINIT and NEWKEYS */
    const char *cl[10], *sl[10];
    memcpy(cl, client_lists, sizeof(cl));
    memcpy(sl, server_lists, sizeof(sl));
    cl[0] = "curve25519-sha256";
    cl[2] = "chacha20-poly1305@openssh.com";
    sl[2] = "aes128-ctr,chacha20-poly1305@openssh.com";
    wbuf c = { .n = 0 }, v = { .n = 0 };
    put(&c, "SSH-2.0-a\n", 10);
    put(&v, "SSH-2.0-b\n", 10);
    kexinit(&c, cl);
    kexinit(&v, sl);
    simple_msg(&v, 2, 4); /* IGNORE */
    simple_msg(&c, 30, 32);
    kex_reply(&v);
    sd_ssh *s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, c.b, c.n, 3, 0);
    sd_ssh_feed(s, 1, v.b, v.n, 4, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_false(m->strict_kex);
    assert_true(m->terrapin);
    assert_non_null(strstr(m->terrapin_reason, "chacha20-poly1305@openssh.com without strict KEX"));
    assert_non_null(strstr(m->terrapin_reason, "type 2"));
    assert_int_equal(m->side[1].unexpected_msgs, 1);
    assert_int_equal(m->side[1].first_unexpected_frame, 4);
    assert_int_equal(m->outcome, SD_SSH_OUT_CAPABILITIES_ONLY);
    assert_string_equal(sd_ssh_anom_name(m->anomalies[0].code), "unexpected_msg_before_newkeys");
    sd_ssh_free(s);
}

/* A KEXINIT whose first name-list is list[0..nl), the rest empty, then
 * NEWKEYS: the parser's view of it. */
static sd_ssh *kexinit_with(const uint8_t *list, size_t nl)
{
    size_t plen = 17 + 10 * 4 + nl + 5;
    size_t pad = 8 - (5 + plen) % 8 < 4 ? 16 - (5 + plen) % 8 : 8 - (5 + plen) % 8;
    size_t total = 11 + 5 + plen + pad + 16;
    uint8_t *b = calloc(1, total), *q = b;
    memcpy(q, "SSH-2.0-y\r\n", 11);
    q += 11;
    uint32_t len = (uint32_t)(1 + plen + pad);
    uint8_t hdr[6] = { len >> 24, len >> 16 & 255, len >> 8 & 255, len & 255, (uint8_t)pad, 20 };
    memcpy(q, hdr, 6);
    q += 6 + 16; /* message 20, then a zero cookie */
    uint8_t n4[4] = { nl >> 24, nl >> 16 & 255, nl >> 8 & 255, nl & 255 };
    memcpy(q, n4, 4);
    q += 4;
    memcpy(q, list, nl);
    q += nl + 9 * 4 + 5 + pad; /* nine empty lists, follows, reserved, padding */
    memcpy(q, "\0\0\0\x0c\x0a\x15", 6); /* NEWKEYS */
    sd_ssh *s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, b, (size_t)(q + 16 - b), 1, 0);
    free(b);
    return s;
}

/* Control bytes (below 0x20, and 0x7f) anywhere in a name-list, in the
 * eight-byte words the check reads or in the tail, are flagged and made
 * '?'; space, '~' and bytes from 0x80 are not control bytes. */
static void test_namelist_control(void **state)
{
    (void)state;
    const uint8_t bad[] = { 0x00, 0x01, 0x09, 0x1f, 0x7f };
    const uint8_t fine[] = { 0x20, 0x7e, 0x80, 0xff, 'a' };
    for (size_t nl = 1; nl <= 21; nl++)
        for (size_t at = 0; at < nl; at++)
            for (size_t k = 0; k < sizeof bad; k++) {
                uint8_t list[21];
                memset(list, 'k', sizeof list);
                list[at] = bad[k];
                sd_ssh *s = kexinit_with(list, nl);
                const sd_ssh_meta *m = sd_ssh_meta_get(s);
                assert_true(m->side[0].kexinit_seen);
                assert_int_equal(m->n_anomalies, 1);
                assert_int_equal(m->anomalies[0].code, SD_SSH_AN_NAMELIST_CHARS);
                assert_int_equal(m->side[0].lists[SD_SSH_NL_KEX][at], '?');
                sd_ssh_free(s);
                list[at] = fine[k];
                s = kexinit_with(list, nl);
                assert_int_equal(sd_ssh_meta_get(s)->n_anomalies, 0);
                sd_ssh_free(s);
            }
}

/* A KEXINIT whose first name-list is over the cap but within OpenSSH's
 * packet limit (a client can send one): the list is kept cut at a name's
 * end, flagged, the parse goes on (NEWKEYS and the records are seen), and
 * no HASSH is made of the cut list. The strict-KEX marker OpenSSH appends
 * past the cut is still seen (else Terrapin is claimed of a safe session). */
static void long_namelist(void)
{
    static const char strict[] = ",kex-strict-s-v00@openssh.com";
    size_t nl = SD_SSH_MAX_NAMELIST + 5000;
    uint8_t *list = malloc(nl);
    for (size_t i = 0; i < nl; i++)
        list[i] = i % 10 == 9 ? ',' : 'k';
    memcpy(list + nl - (sizeof strict - 1), strict, sizeof strict - 1);
    sd_ssh *s = kexinit_with(list, nl);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_NAMELIST_LONG);
    assert_true(m->side[0].kexinit_seen);
    assert_true(m->side[0].lists_cut);
    size_t kept = strlen(m->side[0].lists[SD_SSH_NL_KEX]);
    assert_true(kept <= SD_SSH_MAX_NAMELIST && kept > SD_SSH_MAX_NAMELIST - 10);
    assert_int_equal(m->side[0].lists[SD_SSH_NL_KEX][kept - 1], 'k'); /* cut before a comma */
    assert_true(m->side[0].newkeys_seen);
    assert_string_equal(m->side[0].hassh, "");
    assert_true(m->side[0].strict_kex);
    sd_ssh_free(s);
    free(list);
}

static void test_anomalies(void **state)
{
    (void)state;
    /* packet_length over 256 KiB: that direction stops, no crash */
    wbuf w = { .n = 0 };
    put(&w, "SSH-2.0-x\r\n", 11);
    put32(&w, 0x7fffffff);
    put(&w, "garbage", 7);
    sd_ssh *s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, w.b, w.n, 9, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_PKT_TOO_LONG);
    assert_int_equal(m->anomalies[0].frame, 9);
    assert_true(m->side[0].stopped);
    assert_int_equal(m->outcome, SD_SSH_OUT_NON_SSH_AFTER_BANNER);
    sd_ssh_feed(s, 0, w.b, w.n, 10, 0); /* ignored, counted */
    assert_int_equal(m->side[0].bytes, 2 * w.n);
    sd_ssh_free(s);

    /* name-list longer than the cap */
    wbuf p = { .n = 0 }, k = { .n = 0 };
    uint8_t t = 20, cookie[16] = { 0 };
    put(&p, &t, 1);
    put(&p, cookie, 16);
    put32(&p, SD_SSH_MAX_NAMELIST + 1);
    put(&p, "abc", 3);
    put(&k, "SSH-2.0-y\n", 10);
    packet(&k, &p);
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, k.b, k.n, 1, 0);
    m = sd_ssh_meta_get(s);
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_KEXINIT_BAD); /* longer than its packet */
    assert_false(m->side[0].kexinit_seen);
    sd_ssh_free(s);
    long_namelist();

    /* a coloured line before the banner (escape sequences, BEL): OpenSSH
     * takes it, so it is SSH; a NUL or a lone CR is what OpenSSH refuses */
    static const char colour[] = "\x1b[1;31mwelcome\x1b[0m\x07 \x9b" "2J\r\nSSH-2.0-x\r\n";
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 1, (const uint8_t *)colour, sizeof colour - 1, 1, 0);
    assert_true(sd_ssh_is_ssh(s));
    assert_false(sd_ssh_ruled_out(s));
    sd_ssh_free(s);
    static const char *const refused[] = { "hello\0world\r\n", "hello\rworld\r\n" };
    for (int i = 0; i < 2; i++) {
        s = sd_ssh_new(NULL);
        sd_ssh_feed(s, 1, (const uint8_t *)refused[i], 13, 1, 0);
        /* one side refused says nothing of the other's banner (round 21) */
        assert_false(sd_ssh_ruled_out(s));
        sd_ssh_feed(s, 0, (const uint8_t *)refused[i], 13, 2, 0);
        assert_true(sd_ssh_ruled_out(s));
        sd_ssh_free(s);
    }

    /* binary bytes before any banner from both sides (a TLS client and
     * server): not SSH, ruled out once the second side shows it too */
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, (const uint8_t *)"\x16\x03\x01\x02\x00", 5, 1, 0);
    assert_false(sd_ssh_ruled_out(s));
    sd_ssh_feed(s, 1, (const uint8_t *)"\x16\x03\x03\x00\x7a", 5, 2, 0);
    assert_true(sd_ssh_ruled_out(s));
    assert_false(sd_ssh_is_ssh(s));
    assert_int_equal(sd_ssh_meta_get(s)->outcome, SD_SSH_OUT_NOT_SSH);
    sd_ssh_free(s);

    /* an overlong banner is kept and flagged */
    char line[400];
    memset(line, 'v', sizeof(line));
    memcpy(line, "SSH-2.0-", 8);
    line[398] = '\r';
    line[399] = '\n';
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, (const uint8_t *)line, sizeof(line), 1, 0);
    m = sd_ssh_meta_get(s);
    assert_true(m->side[0].banner_seen);
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_BANNER_LONG);
    assert_int_equal(m->outcome, SD_SSH_OUT_VERSION_ONLY);
    sd_ssh_free(s);

    /* bytes past the sender's FIN or RST: one anomaly a direction whose
     * note keeps the total, nothing parsed (no KEXINIT, no HASSH) */
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 0, (const uint8_t *)"SSH-2.0-x\r\n", 11, 1, 0);
    sd_ssh_after_close(s, 0, 128, 7);
    sd_ssh_after_close(s, 0, 100, 8);
    sd_ssh_after_close(s, 1, 5, 9);
    m = sd_ssh_meta_get(s);
    assert_int_equal(m->n_anomalies, 2);
    assert_int_equal(m->anomalies[0].code, SD_SSH_AN_AFTER_CLOSE);
    assert_int_equal(m->anomalies[0].frame, 7);
    assert_non_null(strstr(m->anomalies[0].detail, "228 bytes past"));
    assert_int_equal(m->anomalies[1].dir, 1);
    assert_false(m->side[0].kexinit_seen);
    sd_ssh_after_close_read(s, 1, 12); /* the receiver ACKed past the close: said once */
    sd_ssh_after_close_read(s, 1, 13);
    m = sd_ssh_meta_get(s);
    assert_int_equal(m->n_anomalies, 3);
    assert_int_equal(m->anomalies[2].frame, 12);
    assert_non_null(strstr(m->anomalies[2].detail, "ACKed"));
    sd_ssh_free(s);

    /* many anomalies: capped list, full count */
    s = sd_ssh_new(NULL);
    for (int i = 0; i < 100; i++)
        sd_ssh_gap(s, i & 1, 10, (uint64_t)i);
    m = sd_ssh_meta_get(s);
    assert_int_equal(m->n_anomalies, 2); /* one per direction, then stopped */
    sd_ssh_free(s);
    sd_ssh_free(NULL);
}

/* ETM/GCM splitting survives a hole inside a record; a bad length stops it. */
static void test_enc_gap_and_bad_len(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    size_t enc_start = cv.c.n - (52 + 36 + 340);
    reclog l = { 0 };
    sd_ssh_opts o = { .client_hint = 0, .record = on_rec, .ud = &l };
    sd_ssh *s = sd_ssh_new(&o);
    sd_ssh_feed(s, 1, cv.s.b, cv.s.n, 1, 0);
    sd_ssh_feed(s, 0, cv.c.b, enc_start + 10, 2, 0); /* first record: header + 6 */
    sd_ssh_gap(s, 0, 20, 3);                          /* inside record 1 */
    sd_ssh_feed(s, 0, cv.c.b + enc_start + 30, 52 + 36 - 30, 4, 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.len[0], 52);
    assert_int_equal(l.frame[0], 4);
    /* a length that cannot be GCM: anomaly, splitting stops */
    uint8_t bad[8] = { 0, 0, 0, 21, 1, 2, 3, 4 };
    sd_ssh_feed(s, 0, bad, sizeof(bad), 5, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_false(m->side[0].splitting);
    assert_int_equal(m->anomalies[m->n_anomalies - 1].code, SD_SSH_AN_ENC_LEN_BAD);
    /* segment-level records for the EaM server direction, clipped at NEWKEYS */
    uint64_t enc1 = m->side[1].enc_offset;
    sd_ssh_segment(s, 1, enc1 - 16, 16 + 40, 7, 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.len[2], 40);
    assert_false(l.exact[2]);
    assert_int_equal(sd_ssh_offset(s, 0), enc_start + 52 + 36 + sizeof(bad));
    sd_ssh_free(s);
}

static void test_ssh1(void **state)
{
    (void)state;
    sd_ssh *s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 1, (const uint8_t *)"SSH-1.99-srv\n\0\0\0\x10junkjunk", 25, 1, 0);
    sd_ssh_feed(s, 0, (const uint8_t *)"SSH-1.5-cli\n\0\0\1\0", 16, 2, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_int_equal(m->version, 1);
    assert_int_equal(m->outcome, SD_SSH_OUT_SSH1);
    assert_string_equal(m->side[1].proto, "1.99");
    sd_ssh_free(s);
}

static unsigned count_code(const sd_ssh_meta *m, sd_ssh_anom_code code)
{
    unsigned n = 0;
    for (uint32_t i = 0; i < m->n_anomalies; i++)
        n += m->anomalies[i].code == code;
    return n;
}

/* Banner limits (issue #14): OpenSSH's own are accepted without a mark;
 * beyond them the connection is kept with anomalies; only text without a
 * banner past SD_SSH_MAX_BANNER_BYTES is given up on. */
/* The messages fed in time order as segments the snaplen cut to snap
 * bytes (sd_ssh_cut for the rest); with merge, the client's banner and
 * KEXINIT are one segment and the server's NEWKEYS is followed by 20
 * more bytes in the segment of its KEX reply (an EXT_INFO's place). */
static sd_ssh *run_cut(convo *cv, size_t snap)
{
    sd_ssh *s = sd_ssh_new(&(sd_ssh_opts){ .client_hint = 0 });
    size_t pos[2] = { 0, 0 };
    for (int i = 0; i < cv->n; i++) {
        int d = cv->dir[i];
        const wbuf *w = d == 0 ? &cv->c : &cv->s;
        size_t len = cv->end[i] - pos[d], k = SD_MIN(len, snap);
        sd_ssh_feed(s, d, w->b + pos[d], k, (uint64_t)i + 1, (sd_ts)i * 1000);
        /* as sd_sshconn: the segment's record, its wire length */
        sd_ssh_segment(s, d, pos[d], (uint32_t)len, (uint64_t)i + 1, (sd_ts)i * 1000);
        sd_ssh_cut(s, d, len - k, (uint64_t)i + 1, (sd_ts)i * 1000);
        pos[d] = cv->end[i];
    }
    return s;
}

/* A convo whose segments a snaplen cut: the banners as captured, the
 * KEXINITs said cut (no HASSH), the framing kept through each cut packet,
 * the server's NEWKEYS taken from the 16 bytes after its KEX reply, at
 * that segment's frame: encrypted, not a scan. */
static void test_snaplen_cut(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    sd_ssh *s = run_cut(&cv, 20);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    for (int d = 0; d < 2; d++) {
        assert_true(m->side[d].banner_seen);
        assert_true(m->side[d].banner_cut);
        assert_true(m->side[d].kexinit_cut);
        assert_false(m->side[d].kexinit_seen);
        assert_string_equal(m->side[d].hassh, "");
        assert_true(m->side[d].newkeys_seen);
    }
    assert_string_equal(m->side[0].banner, "SSH-2.0-TestClient_1");
    assert_string_equal(m->side[1].software, "TestServer_2");
    assert_int_equal(m->side[1].newkeys_frame, 6); /* message 6: the reply and NEWKEYS */
    assert_int_equal(m->side[0].newkeys_frame, 7);
    assert_int_equal(m->outcome, SD_SSH_OUT_ENCRYPTED);
    assert_int_equal(count_code(m, SD_SSH_AN_SNAPLEN_CUT), 2);
    assert_int_equal(count_code(m, SD_SSH_AN_NEWKEYS_INFERRED), 1);
    assert_int_equal(count_code(m, SD_SSH_AN_GAP), 0);
    assert_int_equal(count_code(m, SD_SSH_AN_NEWKEYS_EARLY), 0);
    /* the client's records: SERVICE_REQUEST (52) and one segment of two:
     * too few clear lengths to tell GCM from 52-byte EaM suites */
    assert_int_equal(m->side[0].suite.mode, SD_SSH_MODE_UNKNOWN);
    assert_int_equal(count_code(m, SD_SSH_AN_SUITE_FROM_SIZES), 0);
    sd_ssh_free(s);

    /* three more GCM records, each its own segment: clear lengths, tag 16 */
    for (int i = 0; i < 3; i++) {
        gcm_record(&cv.c, 10 + 16 * (uint32_t)i);
        mark(&cv, 0);
    }
    s = run_cut(&cv, 20);
    m = sd_ssh_meta_get(s);
    assert_true(m->side[0].suite.len_clear);
    assert_int_equal(m->side[0].suite.tag, 16);
    assert_int_equal(m->side[0].suite.block, 16);
    assert_null(m->cipher[0]); /* no algorithm claimed */
    assert_int_equal(m->side[1].suite.mode, SD_SSH_MODE_UNKNOWN); /* the server's 100 bytes: no head */
    assert_int_equal(count_code(m, SD_SSH_AN_SUITE_FROM_SIZES), 1);
    sd_ssh_free(s);

    /* a snaplen the whole handshake fits: nothing cut but the last records */
    s = run_cut(&cv, 4096);
    m = sd_ssh_meta_get(s);
    assert_false(m->side[0].banner_cut);
    assert_true(m->side[0].kexinit_seen);
    assert_int_equal(count_code(m, SD_SSH_AN_SNAPLEN_CUT), 0);
    sd_ssh_free(s);
}

/* Framing lost to a cut over a packet boundary resumes at the next
 * segment that starts with a cleartext packet head; a side whose NEWKEYS
 * the cut took is encrypted from its first segment that is no cleartext
 * packet once the peer sent NEWKEYS (dated at the cut segment). */
static void test_snaplen_cutlost(void **state)
{
    (void)state;
    convo cv;
    build_convo(&cv, false);
    /* one client segment of banner and KEXINIT; 20 bytes after the
     * server's NEWKEYS in its reply's segment */
    convo m2 = cv;
    memset(m2.dir, 0, sizeof m2.dir);
    m2.n = 0;
    for (int i = 0; i < cv.n; i++) {
        if (i == 1) /* the client's banner: ends with its KEXINIT */
            continue;
        if (i == 5) { /* the reply and NEWKEYS: 20 bytes more */
            memmove(m2.s.b + cv.end[i] + 20, m2.s.b + cv.end[i], m2.s.n - cv.end[i]);
            memset(m2.s.b + cv.end[i], 0x77, 20);
            m2.s.n += 20;
        }
        m2.dir[m2.n] = cv.dir[i];
        m2.end[m2.n] = cv.end[i] + (cv.dir[i] == 1 && i >= 5 ? 20 : 0);
        m2.n++;
    }
    sd_ssh *s = run_cut(&m2, 30);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(m->side[0].banner_cut);
    assert_false(m->side[0].kexinit_cut); /* in the cut: never seen */
    assert_true(m->side[0].newkeys_seen); /* the 30 resumed CLEAR, NEWKEYS read */
    assert_true(m->side[1].newkeys_seen);
    assert_int_equal(m->side[1].newkeys_frame, 5); /* the reply's segment (message 5 here) */
    assert_int_equal(m->outcome, SD_SSH_OUT_ENCRYPTED);
    assert_int_equal(count_code(m, SD_SSH_AN_NEWKEYS_INFERRED), 1);
    assert_int_equal(count_code(m, SD_SSH_AN_GAP), 0);
    assert_int_equal(count_code(m, SD_SSH_AN_NEWKEYS_EARLY), 0); /* its KEXINIT was in the cut */
    sd_ssh_free(s);

    /* a banner line the cut left under 4 bytes ("SSH") is no banner kept,
     * but a banner cut: the line's rest and the KEXINIT after it are
     * looked for in the next segment (no gap) */
    build_convo(&cv, false);
    s = run_cut(&cv, 3);
    m = sd_ssh_meta_get(s);
    assert_false(m->side[0].banner_seen);
    assert_true(m->side[0].banner_cut && m->side[1].banner_cut); /* each side's first segment */
    assert_int_equal(count_code(m, SD_SSH_AN_BANNER_CUT), 2);
    assert_int_equal(count_code(m, SD_SSH_AN_GAP), 0);
    sd_ssh_free(s);
}

static void test_banner_limits(void **state)
{
    (void)state;
    /* two over-long pre-banner lines fed in 1000-byte pieces (one flag per
     * direction), then an over-long banner (always flagged), cut */
    size_t big = SD_SSH_MAX_LINE + 3000;
    uint8_t *buf = malloc(3 * (big + 2));
    size_t n = 0;
    for (int l = 0; l < 3; l++) {
        memset(buf + n, 'x', big);
        if (l == 2)
            memcpy(buf + n, "SSH-2.0-Big", 11);
        n += big;
        buf[n++] = '\r';
        buf[n++] = '\n';
    }
    sd_ssh *s = sd_ssh_new(NULL);
    for (size_t off = 0; off < n; off += 1000)
        sd_ssh_feed(s, 1, buf + off, SD_MIN((size_t)1000, n - off), 1, 0);
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    assert_true(sd_ssh_is_ssh(s));
    assert_int_equal(m->side[1].prebanner_lines, 2);
    assert_int_equal(strlen(m->side[1].banner), SD_SSH_MAX_LINE);
    assert_true(m->side[1].banner_crlf); /* seen, though in the part cut off */
    assert_int_equal(count_code(m, SD_SSH_AN_LINE_TOO_LONG), 2);
    assert_int_equal(count_code(m, SD_SSH_AN_NOT_SSH), 0);
    sd_ssh_free(s);

    /* a banner at exactly OpenSSH's length, CR LF: no line_too_long */
    memset(buf, 'y', SD_SSH_MAX_LINE);
    memcpy(buf, "SSH-2.0-Max", 11);
    memcpy(buf + SD_SSH_MAX_LINE, "\r\n", 2);
    s = sd_ssh_new(NULL);
    sd_ssh_feed(s, 1, buf, SD_SSH_MAX_LINE + 2, 1, 0);
    m = sd_ssh_meta_get(s);
    assert_true(m->side[1].banner_crlf);
    assert_int_equal(strlen(m->side[1].banner), SD_SSH_MAX_LINE);
    assert_int_equal(count_code(m, SD_SSH_AN_LINE_TOO_LONG), 0);
    sd_ssh_free(s);
    free(buf);

    /* text and no banner: kept past OpenSSH's line count, given up after the budget */
    static const uint8_t line[] = "this is not a banner, only text ....................\r\n";
    s = sd_ssh_new(NULL);
    uint64_t fed = 0;
    while (fed <= SD_SSH_MAX_BANNER_BYTES && !sd_ssh_ruled_out(s)) {
        sd_ssh_feed(s, 1, line, sizeof line - 1, 1, 0);
        fed += sizeof line - 1;
        if (sd_ssh_meta_get(s)->side[1].prebanner_lines == SD_SSH_MAX_PREBANNER_LINES + 10)
            assert_false(sd_ssh_ruled_out(s));
    }
    m = sd_ssh_meta_get(s);
    assert_false(sd_ssh_ruled_out(s)); /* the silent side may still show a banner */
    sd_ssh_feed(s, 0, line, sizeof line - 1, 2, 0);
    sd_ssh_feed(s, 0, line, sizeof line - 1, 3, 0);
    assert_true(sd_ssh_ruled_out(s));
    assert_true(fed > SD_SSH_MAX_BANNER_BYTES);
    assert_int_equal(count_code(m, SD_SSH_AN_PREBANNER_LIMIT), 1);
    assert_int_equal(count_code(m, SD_SSH_AN_NOT_SSH), 1);
    sd_ssh_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_negotiate),     cmocka_unit_test(test_convo_whole),
        cmocka_unit_test(test_kex_memo),
        cmocka_unit_test(test_kex_memo_shared),
        cmocka_unit_test(test_meta_rare_cleared),
        cmocka_unit_test(test_convo_chunked), cmocka_unit_test(test_feed_segment),
        cmocka_unit_test(test_roles_flip), cmocka_unit_test(test_roles_firm),
        cmocka_unit_test(test_terrapin),      cmocka_unit_test(test_namelist_control),
        cmocka_unit_test(test_anomalies),
        cmocka_unit_test(test_enc_gap_and_bad_len), cmocka_unit_test(test_ssh1),
        cmocka_unit_test(test_banner_limits), cmocka_unit_test(test_fp_memo),
        cmocka_unit_test(test_snaplen_cut), cmocka_unit_test(test_snaplen_cutlost),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
