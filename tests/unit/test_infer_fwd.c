/* Unit tests of the SSH inference on synthetic record streams of one
 * chacha20-poly1305 connection (OpenSSH 9.2 both sides, sizes as in the
 * lab captures): -L/-D channels next to a shell (sd_infer_fwd.c), the
 * evidence an agent channel needs (sd_infer_req.c) and the evidence a
 * login needs (sd_infer_auth.c). Each test also runs the look-alike that
 * must not be read as the finding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ssh/sd_infer.h"
#include "test_events.h"

typedef struct rec {
    bool c;
    uint32_t len;
    double t;
} rec;

#define MAXREC 512

/* A stream under construction. */
typedef struct stream {
    rec r[MAXREC];
    uint64_t frame[MAXREC]; /* 0: the record's index + 1; records of one segment share one */
    size_t n;
} stream;

static void add(stream *s, bool c, uint32_t len, double t)
{
    assert_true(s->n < MAXREC);
    s->frame[s->n] = 0;
    s->r[s->n++] = (rec){ c, len, t };
}

static void add_all(stream *s, const rec *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        add(s, r[i].c, r[i].len, r[i].t);
}

#define ADD_ALL(s, a) add_all((s), (a), sizeof(a) / sizeof((a)[0]))

/* Frame numbers are index + 1; comp: the connection's compression
 * (both ways), or NULL. */
static sd_infer_summary infer_comp(const stream *s, sd_evlist *l, const char *comp);

static sd_infer_summary infer(const stream *s, sd_evlist *l)
{
    return infer_comp(s, l, NULL);
}

/* The connection was picked up mid-stream (sd_ssh_mid.c: no banner, no
 * login seen): set by the midstream tests, cleared after each. */
static bool stream_midstream;

static sd_infer_summary infer_comp(const stream *s, sd_evlist *l, const char *comp)
{
    static sd_ssh_meta m;
    static sd_conn c;
    static sd_ssh_record rc[MAXREC];
    memset(&m, 0, sizeof m);
    memset(&c, 0, sizeof c);
    snprintf(c.uid, sizeof c.uid, "Cfwd");
    m.outcome = SD_SSH_OUT_ENCRYPTED;
    assert_int_equal(sd_ssh_suite_from_names("chacha20-poly1305@openssh.com", NULL, &m.side[0].suite), 0);
    m.side[1].suite = m.side[0].suite;
    m.side[0].software = m.side[1].software = "OpenSSH_9.2p1";
    m.comp[0] = m.comp[1] = comp;
    m.midstream = stream_midstream;
    for (size_t i = 0; i < s->n; i++)
        rc[i] = (sd_ssh_record){ .dir = s->r[i].c ? 0 : 1, .from_client = s->r[i].c, .wire_len = s->r[i].len,
                                 .frame = s->frame[i] ? s->frame[i] : i + 1, .ts = (sd_ts)(s->r[i].t * 1e9) };
    sd_sshconn_result r = { .conn = &c, .meta = &m, .rec = rc, .nrec = s->n };
    sd_infer_opts o = { .keystrokes = true };
    sd_infer_summary su;
    sd_infer_ssh(&o, &r, l, &su);
    return su;
}

/* Public-key login, the session's open, its requests in one segment:
 * pty-req + shell, 376 bytes (lab pubkey_chacha), or 444 with -A's
 * auth-agent-req (lab agent_used); then two typed keys with their
 * echoes. */
static void shell(stream *s, bool agent)
{
    static const rec login[] = {
        { true, 44, 1.00 },   { false, 44, 1.01 },  { true, 68, 1.02 },   { false, 52, 1.03 },
        { true, 140, 1.04 },  { false, 100, 1.05 }, { true, 308, 1.06 },  { false, 28, 1.07 },
        { true, 112, 1.08 },  { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 376, 1.151 },
        { false, 108, 1.16 }, { false, 52, 1.2 },   { true, 36, 2.0 },    { false, 36, 2.001 },
        { true, 36, 2.3 },    { false, 36, 2.301 },
    };
    s->n = 0;
    ADD_ALL(s, login);
    if (agent)
        s->r[11].len = 444;
}

/* A key and its echo at t. */
static void key(stream *s, double t)
{
    add(s, true, 36, t);
    add(s, false, 36, t + 0.001);
}

/* A page of `segs` full segments fetched through a -L channel opened at
 * t (lab shellfwd_L_chacha: open 92, confirmation 44, GET 124, then the
 * server's EOF, the client's EOF + CLOSE, the server's CLOSE). Returns the
 * index of the open. */
static size_t fetch(stream *s, double t, int segs, bool data)
{
    size_t open = s->n;
    add(s, true, 92, t);
    add(s, false, 44, t + 0.0002);
    if (!data)
        return open;
    add(s, true, 124, t + 0.0006);
    for (int i = 0; i < segs; i++)
        add(s, false, 1448, t + 0.004 + i * 1e-6);
    add(s, false, 36, t + 0.0045);
    add(s, true, 72, t + 0.0049);
    add(s, false, 36, t + 0.0050);
    return open;
}

/* A 43 KB page fetched through a -L channel between two keys: one forward
 * event from the open to the server's CLOSE, its bytes down, and neither
 * a transfer nor a keystroke from the channel's records. */
static void test_forward_beside_shell(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    size_t open = fetch(&s, 2.4, 30, true), last = s.n - 1;
    key(&s, 2.6);
    key(&s, 2.9);
    add(&s, false, 100, 2.91);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_string_equal(su.session_kind, "shell");
    assert_int_equal(count_kind(&l, "forward"), 1);
    const sd_event *e = find_kind(&l, "forward");
    assert_int_equal(e->frame, open + 1);
    assert_int_equal(e->frame_last, last + 1);
    assert_true(sd_ev_get(e, "bytes_s2c")->i > 30 * 1400);
    assert_true(sd_ev_get(e, "bytes_c2s")->i < 200);
    assert_int_equal(count_kind(&l, "transfer"), 0);
    assert_int_equal(count_kind(&l, "keystroke"), 4);
    assert_int_equal(su.keystrokes, 4);
    sd_evlist_free(&l);
}

/* A command typed after the channel's exchange, within FWD_CHAIN_S of its
 * last record (lab shellfwd_D_aes128gcm seed 1000: `ls -a` 0.42 s after
 * the channel's CLOSE): the Enter's echo, then the command's output in a
 * record of its own. The output is the session's (the Enter reads as
 * Enter, the forward's bytes stay the page's); the same output while the
 * channel's exchange is still running (the key typed within FWD_QUIET_S
 * of its last record) stays the channel's data. */
static void test_forward_then_command(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    size_t last = 0;
    fetch(&s, 2.4, 30, true);
    last = s.n - 1;
    key(&s, 2.6);
    add(&s, true, 36, 2.8);
    add(&s, false, 36, 2.8002);
    add(&s, false, 380, 2.8016);
    sd_evlist l = { 0 };
    infer(&s, &l);
    const sd_event *e = find_kind(&l, "forward");
    assert_non_null(e);
    assert_int_equal(e->frame_last, last + 1);
    assert_true(sd_ev_get(e, "bytes_s2c")->i < 30 * 1448);
    size_t enters = 0;
    for (size_t i = 0; i < l.n; i++)
        enters += !strcmp(l.v[i].kind, "keystroke") && !strcmp(sd_ev_get(&l.v[i], "key")->s, "enter");
    assert_int_equal(enters, 1);
    sd_evlist_free(&l);

    /* the key 50 ms after the channel's last record: its exchange may be
     * running (a slow server's next data), the data stays the channel's */
    shell(&s, false);
    fetch(&s, 2.4, 30, true);
    add(&s, true, 36, 2.455);
    add(&s, false, 36, 2.4552);
    add(&s, false, 1448, 2.4566);
    last = s.n - 1;
    infer(&s, &l);
    e = find_kind(&l, "forward");
    assert_non_null(e);
    assert_int_equal(e->frame_last, last + 1);
    sd_evlist_free(&l);
}

/* The server's CLOSE 57 ms after the client's EOF + CLOSE (lab
 * shellfwd_L_chacha seed 2000): the channel's, not the output of the key
 * typed before the channel opened (which read as Enter). */
static void test_forward_late_close(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    fetch(&s, 2.4, 14, true);
    s.r[s.n - 1].t += 0.057;
    size_t last = s.n - 1;
    key(&s, 3.0);
    sd_evlist l = { 0 };
    infer(&s, &l);
    const sd_event *e = find_kind(&l, "forward");
    assert_non_null(e);
    assert_int_equal(e->frame_last, last + 1);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_string_equal(sd_ev_get(&l.v[i], "key")->s, "char");
    assert_int_equal(count_kind(&l, "keystroke"), 3);
    sd_evlist_free(&l);
}

/* After a confirmation near 2.4 s: the GET (124), a page of 14 segments,
 * sshd's EOF, the client's EOF + CLOSE, sshd's CLOSE. */
static void page_after_confirm(stream *s)
{
    add(s, true, 124, 2.4006);
    for (int i = 0; i < 14; i++)
        add(s, false, 1448, 2.404 + i * 1e-6);
    add(s, false, 36, 2.4045);
    add(s, true, 72, 2.4049);
    add(s, false, 36, 2.4050);
}

/* A key typed 5 ms before the open (lab shellfwd_D_aes128gcm at seed
 * +9000 frames 70-73): its echo and the confirmation leave in one
 * segment, the echo first. The forward and the key are both read; the
 * look-alike, a server record of an echo's size before the confirmation
 * with no key owed it, opens nothing. */
static void test_forward_after_key(void **st)
{
    (void)st;
    for (int owed = 1; owed >= 0; owed--) {
        stream s;
        shell(&s, false);
        if (owed)
            add(&s, true, 36, 2.395);
        size_t open = s.n;
        add(&s, true, 92, 2.4);
        add(&s, false, 36, 2.4002); /* the key's echo */
        add(&s, false, 44, 2.4002); /* the confirmation, in the echo's segment */
        s.frame[open + 1] = s.frame[open + 2] = open + 2;
        page_after_confirm(&s);
        size_t last = s.n - 1;
        key(&s, 2.6);
        key(&s, 2.9);
        sd_evlist l = { 0 };
        infer(&s, &l);
        assert_int_equal(count_kind(&l, "forward"), owed);
        if (owed) {
            const sd_event *e = find_kind(&l, "forward");
            assert_int_equal(e->frame, open + 1);
            assert_int_equal(e->frame_last, last + 1);
            assert_int_equal(count_kind(&l, "keystroke"), 5);
        }
        sd_evlist_free(&l);
    }
}

/* A key sent in one segment with a -L open (lab fresh shellfwd_L_chacha
 * at +9700 frame 115: 128 = the key's 36 and the open's 92), its echo
 * right after the confirmation: the forward and the key are both read
 * (the key at the open's frame). The look-alikes read no key there: the
 * same 128-byte open (longer host names) answered by data only, and one
 * whose target closed at once (sshd's EOF and CLOSE, two key-sized
 * records in one segment, after the confirmation). */
static void test_forward_open_with_key(void **st)
{
    (void)st;
    for (int shape = 0; shape < 3; shape++) {
        stream s;
        shell(&s, false);
        size_t open = s.n;
        add(&s, true, 128, 2.4);
        add(&s, false, 44, 2.4002);
        if (shape == 0) {
            add(&s, false, 36, 2.40022); /* the key's echo */
        } else if (shape == 2) {
            add(&s, false, 36, 2.40022);
            add(&s, false, 36, 2.40022);
            s.frame[s.n - 1] = s.frame[s.n - 2] = s.n - 1;
        }
        page_after_confirm(&s);
        key(&s, 2.6);
        key(&s, 2.9);
        sd_evlist l = { 0 };
        infer(&s, &l);
        const sd_event *e = find_kind(&l, "forward");
        assert_non_null(e);
        assert_int_equal(e->frame, open + 1);
        assert_int_equal(count_kind(&l, "keystroke"), shape == 0 ? 5 : 4);
        bool at_open = false;
        for (size_t i = 0; i < l.n; i++)
            at_open |= !strcmp(l.v[i].kind, "keystroke") && l.v[i].frame == open + 1;
        assert_int_equal(at_open, shape == 0);
        sd_evlist_free(&l);
    }
}

/* The key and the open in one segment, the key's echo late: sshd serves
 * the channel's burst first and echoes the key 20 ms after the channel's
 * CLOSE (lab fresh shellfwd_L_chacha at +10000 frames 119-236: 128 = 92 +
 * 36, the echo 96 ms after). An earlier open alone showed the listener's
 * open is 92: the open and a key are read. The look-alikes read no key
 * at the open: (1) no echo follows (a lone open of a longer target);
 * (2) a lone open of 128 was seen too (both readings fit); (3) a key
 * typed before the open is still owed its echo, which the late record
 * is. */
static void test_forward_open_with_key_late(void **st)
{
    (void)st;
    for (int shape = 0; shape < 4; shape++) {
        stream s;
        shell(&s, false);
        fetch(&s, 2.4, 14, true);
        if (shape == 2)
            s.r[fetch(&s, 2.6, 14, true)].len = 128;
        key(&s, 2.8);
        if (shape == 3)
            add(&s, true, 36, 3.09);
        size_t open = fetch(&s, 3.1, 14, true);
        s.r[open].len = 128;
        if (shape != 1)
            add(&s, false, 36, 3.125); /* the key's echo */
        key(&s, 3.4);
        key(&s, 3.6);
        sd_evlist l = { 0 };
        infer(&s, &l);
        assert_int_equal(count_kind(&l, "forward"), shape == 2 ? 3 : 2);
        bool at_open = false;
        for (size_t i = 0; i < l.n; i++)
            at_open |= !strcmp(l.v[i].kind, "keystroke") && l.v[i].frame == open + 1;
        assert_int_equal(at_open, shape == 0);
        if (shape == 0)
            assert_int_equal(count_kind(&l, "keystroke"), 6);
        sd_evlist_free(&l);
    }
}

/* The client's EOF and CLOSE 19 ms after the server's EOF (a loaded
 * client: lab fresh shellfwd_D_aes128gcm at seed +9600 frames 93-96, and
 * shellfwd_L_aes128ctr-sha256etm frames 245-250, 17 ms after its
 * WINDOW_ADJUST), past REACT_MIN_S: in one record (72) or as two
 * records of a key's size in one segment, then sshd's CLOSE. They are the
 * channel's (its last record the CLOSE) and no key; two keys typed after
 * it are the only keystrokes. A lone key-sized record that late is a key. */
static void test_forward_client_close_late(void **st)
{
    (void)st;
    for (int shape = 0; shape < 3; shape++) {
        stream s;
        shell(&s, false);
        fetch(&s, 2.4, 14, true);
        s.n -= 2; /* the client's EOF + CLOSE and sshd's CLOSE, again, later */
        if (shape == 0) {
            add(&s, true, 72, 2.4235);
        } else {
            add(&s, true, 36, 2.4235);
            if (shape == 1) {
                add(&s, true, 36, 2.4235);
                s.frame[s.n - 1] = s.frame[s.n - 2] = s.n - 1;
            }
        }
        add(&s, false, 36, 2.4237);
        size_t last = s.n - 1;
        key(&s, 2.7);
        key(&s, 2.9);
        sd_evlist l = { 0 };
        infer(&s, &l);
        const sd_event *e = find_kind(&l, "forward");
        assert_non_null(e);
        if (shape < 2)
            assert_int_equal(e->frame_last, s.frame[last] ? s.frame[last] : last + 1);
        assert_int_equal(count_kind(&l, "keystroke"), shape < 2 ? 4 : 5);
        sd_evlist_free(&l);
    }
}

/* ssh -N -R (lab tunnel_web_R seed 1000, chacha20): the tcpip-forward
 * request (68) alone after login, sshd's hostkeys-00 (672), then its
 * REQUEST_SUCCESS (28) in one segment with a DEBUG notice (148): 176. The
 * server's forwarded-tcpip open (92) 4.4 s later, confirmed (44), then
 * HTTP both ways, tells the request was granted; without that open
 * nothing does. */
static void test_reverse_answer_with_notice(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    s.n = 8; /* the login, up to the USERAUTH_SUCCESS (28) */
    static const rec req[] = { { true, 68, 1.0701 }, { true, 60, 1.0702 }, { false, 672, 1.074 },
                               { false, 176, 1.118 } };
    ADD_ALL(&s, req);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_false(su.reverse_provisioned);
    sd_evlist_free(&l);
    static const rec use[] = { { false, 92, 5.6 },   { true, 44, 5.6002 },  { false, 124, 5.6003 },
                               { true, 228, 5.6025 }, { true, 1448, 5.6026 }, { true, 1448, 5.6027 } };
    ADD_ALL(&s, use);
    su = infer(&s, &l);
    assert_true(su.reverse_provisioned);
    assert_non_null(find_kind(&l, "reverse_provisioned"));
    sd_evlist_free(&l);
}

/* Lab dropbear_client_agent seed 1000 (dbclient -A with zlib, chacha20,
 * its segments from the login on): ssh-add -l typed, and the echo of its
 * Enter in one segment with the agent channel's open (36 + 52 = 88), the
 * client's confirmation (44), the agent's request and answer (108, 108),
 * EOF / CLOSE both ways. The agent is used; the confirmation is no key.
 * The same segment without the exchange after it (keys go on) is none. */
static const rec z_agent[] = {
    { false, 52, 0.0697 }, { true, 140, 0.0739 }, { false, 100, 0.0746 }, { true, 228, 0.0780 },
    { false, 28, 0.0882 }, { true, 52, 0.0883 },  { false, 656, 0.0926 }, { false, 72, 0.1338 },
    { true, 308, 0.1339 }, { false, 36, 0.1352 }, { false, 44, 0.1503 },  { true, 36, 1.2119 },
    { false, 36, 1.2121 }, { true, 36, 1.3869 },  { false, 36, 1.3871 },  { true, 36, 1.5733 },
    { false, 36, 1.5735 }, { true, 36, 1.7825 },  { false, 36, 1.7827 },  { true, 36, 2.0018 },
    { false, 36, 2.0020 }, { true, 36, 2.1907 },  { false, 36, 2.1909 },  { true, 36, 2.4636 },
    { false, 36, 2.4638 }, { true, 36, 2.7356 },  { false, 36, 2.7358 },  { true, 36, 3.0709 },
    { false, 36, 3.0711 }, { true, 36, 3.2610 },  { false, 36, 3.2612 },  { true, 36, 3.8091 },
    { false, 88, 3.8121 }, { true, 44, 3.8122 },  { false, 36, 3.8124 },  { true, 108, 3.8138 },
    { false, 108, 3.8141 }, { false, 36, 3.8144 }, { false, 36, 3.8149 }, { true, 72, 3.8178 },
    { false, 36, 3.8179 }, { true, 36, 4.5147 },  { false, 36, 4.5149 },  { true, 36, 4.7174 },
    { false, 36, 4.7176 }, { true, 36, 4.9047 },  { false, 36, 4.9049 },
};

static void test_compressed_agent_with_echo(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, z_agent);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer_comp(&s, &l, "zlib@openssh.com");
    assert_true(su.agent_used);
    const sd_event *e = find_kind(&l, "agent_forwarding");
    assert_non_null(e);
    assert_int_equal(e->frame, 33);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_int_not_equal(l.v[i].frame, 34);
    sd_evlist_free(&l);
    /* keys instead of the exchange: a command's echo and output */
    s.n = 33;
    key(&s, 4.2);
    key(&s, 4.5);
    su = infer_comp(&s, &l, "zlib@openssh.com");
    assert_false(su.agent_used);
    sd_evlist_free(&l);
}

/* The same with a loaded client's late confirmation (lab
 * compress_agent_chacha seed +2000: 109 ms after the open, at the
 * client's side), sshd's request 0.2 ms after it and the exchange at
 * machine speed: still the agent used, the confirmation no key. */
static void test_compressed_agent_late_confirm(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, z_agent);
    for (size_t i = 33; i < s.n; i++)
        s.r[i].t += 0.109;
    sd_evlist l = { 0 };
    sd_infer_summary su = infer_comp(&s, &l, "zlib@openssh.com");
    assert_true(su.agent_used);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_int_not_equal(l.v[i].frame, 34);
    sd_evlist_free(&l);
}

/* An open-sized record answered by a confirmation-sized one with no data
 * after it is not a channel in use: no forward. */
static void test_forward_needs_data(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    fetch(&s, 2.4, 0, false);
    key(&s, 3.6);
    sd_evlist l = { 0 };
    infer(&s, &l);
    assert_int_equal(count_kind(&l, "forward"), 0);
    sd_evlist_free(&l);
}

/* The agent use read from a shell with -A and then these records. */
static void assert_agent_used(const rec *use, size_t n)
{
    stream s;
    shell(&s, true);
    add_all(&s, use, n);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_true(su.agent_used);
    assert_true(sd_ev_get(find_kind(&l, "agent_forwarding"), "used")->b);
    sd_evlist_free(&l);
}

/* ssh-add -l on the server (lab agent_used): the agent channel's open
 * (68) and confirmation (44), the request (44) and its answer (124), the
 * server's output with EOF and CLOSE, the client's CLOSE at once. */
static void test_agent_exchange(void **st)
{
    (void)st;
    static const rec use[] = { { false, 68, 3.0 },    { true, 44, 3.0005 },  { false, 44, 3.001 },
                               { true, 124, 3.003 },  { false, 160, 3.004 }, { true, 72, 3.0042 },
                               { false, 36, 3.0045 } };
    assert_agent_used(use, sizeof use / sizeof use[0]);
}

/* The request forwarded in two parts sent at once, its uint32 length
 * (44) and its type byte (36) (lab offc_agent_used seed +2000, 0.04 ms
 * apart): still one request, answered, the agent used. */
static void test_agent_request_split(void **st)
{
    (void)st;
    static const rec use[] = { { false, 68, 3.0 },    { true, 44, 3.0005 },   { false, 44, 3.001 },
                               { false, 36, 3.00104 }, { true, 124, 3.003 },  { false, 160, 3.004 },
                               { true, 72, 3.0042 },  { false, 36, 3.0045 }, { false, 52, 3.0069 } };
    assert_agent_used(use, sizeof use / sizeof use[0]);
}

/* The same open and confirmation sizes in a legacy scp download's
 * handshake (a line, a 1-byte ack; ja4 ssh-scp-1050 frames 153-158), then
 * the bulk: no agent exchange, no agent use, though -A was requested. */
static void test_agent_lookalike(void **st)
{
    (void)st;
    stream s;
    shell(&s, true);
    static const rec scp[] = { { false, 68, 3.0 }, { true, 44, 3.0005 }, { false, 68, 3.015 },
                               { true, 36, 3.0154 }, { false, 68, 3.016 }, { true, 36, 3.02 } };
    ADD_ALL(&s, scp);
    for (int i = 0; i < 40; i++)
        add(&s, false, 1448, 3.021 + i * 1e-5);
    add(&s, true, 36, 3.03);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_false(su.agent_used);
    assert_null(find_kind(&l, "agent_forwarding"));
    sd_evlist_free(&l);
}

/* Three typed passwords rejected (failure 52, as the none probe's), then
 * the client gives up and closes: the records that follow (a channel's
 * control, keys of another session, one of USERAUTH_SUCCESS's size) are
 * no further attempt and no login. */
static void test_auth_gave_up(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    static const rec seq[] = {
        { true, 44, 1.00 },  { false, 44, 1.01 },  { true, 68, 1.02 },  { false, 52, 1.03 },
        { true, 84, 4.00 },  { false, 52, 4.10 },  { true, 84, 7.00 },  { false, 52, 7.10 },
        { true, 84, 10.00 }, { false, 52, 10.10 }, { true, 36, 10.2 },  { false, 36, 10.21 },
        { true, 36, 13.0 },  { false, 28, 13.01 }, { true, 36, 13.5 },  { false, 36, 13.51 },
    };
    ADD_ALL(&s, seq);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_int_equal(su.auth_success, 0);
    assert_int_equal(su.auth_attempts, 3);
    assert_string_equal(su.auth_method, "password");
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "auth_attempt"))
            assert_string_equal(sd_ev_get(&l.v[i], "result")->s, "failure");
    sd_evlist_free(&l);
}

/* A success-sized answer that no session follows is not a login (the
 * outcome stays unknown); the same answer followed by the session's open
 * is one. */
static void test_auth_success_needs_session(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    static const rec seq[] = { { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 },
                               { false, 52, 1.03 }, { true, 84, 4.00 }, { false, 28, 4.10 } };
    ADD_ALL(&s, seq);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_int_equal(su.auth_success, -1);
    assert_int_equal(count_kind(&l, "auth_attempt"), 0);
    sd_evlist_free(&l);
    add(&s, true, 112, 4.11);
    add(&s, false, 44, 4.15);
    su = infer(&s, &l);
    assert_int_equal(su.auth_success, 1);
    assert_string_equal(sd_ev_get(find_kind(&l, "auth_attempt"), "result")->s, "success");
    sd_evlist_free(&l);
}

/* Lab reverse_kbd_fail (chacha20 in chacha20): the forward session with
 * -R, then a reverse client that tries keyboard-interactive (failed at
 * once) and three passwords (failure 116: the methods list names
 * keyboard-interactive), gives up and closes its channel (server 36, client
 * 72, server 36); the forward session goes on with keys. One of those keys
 * is given USERAUTH_SUCCESS's tunnelled size (68): it must not become a
 * reverse login accepted by keyboard-interactive. */
static const rec reverse_gave_up[] = {
    { false, 200, 1.5700 }, { false, 116, 1.5700 }, { true, 44, 1.6482 },   { false, 44, 1.6518 },
    { true, 68, 1.6532 },   { false, 52, 1.6638 },  { true, 148, 4.2556 },  { false, 28, 4.3217 },
    { true, 68, 4.3240 },   { true, 112, 4.3241 },  { false, 524, 4.3248 }, { false, 72, 4.3677 },
    { true, 376, 4.3679 },  { false, 108, 4.3705 }, { false, 52, 4.3742 },  { false, 92, 5.5044 },
    { true, 44, 5.5127 },   { false, 76, 5.5128 },  { true, 76, 5.5337 },   { false, 1140, 5.5381 },
    { true, 1124, 5.5383 }, { false, 1244, 5.6635 }, { true, 1448, 5.6784 }, { true, 156, 5.6784 },
    { false, 52, 5.7438 },  { false, 84, 5.7878 },  { true, 84, 5.7880 },   { false, 108, 5.7881 },
    { true, 116, 5.7940 },  { false, 132, 5.7943 }, { true, 116, 5.8001 },  { false, 188, 8.5772 },
    { true, 116, 8.6224 },  { false, 124, 11.1801 }, { true, 116, 11.2700 }, { false, 188, 14.4065 },
    { true, 116, 14.4966 }, { false, 36, 14.4979 }, { true, 72, 14.5017 },  { false, 36, 14.5019 },
    { true, 36, 17.1647 },  { false, 36, 17.1649 }, { true, 36, 17.3588 },  { false, 36, 17.3591 },
    { true, 36, 17.5455 },  { false, 36, 17.5457 }, { true, 68, 17.8358 },  { false, 36, 17.8360 },
    { true, 36, 18.2456 },  { false, 36, 18.2459 }, { false, 44, 18.2460 }, { false, 176, 18.2504 },
    { true, 36, 18.2506 },  { true, 60, 18.2506 },
};

static void test_reverse_gave_up(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, reverse_gave_up);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_int_equal(su.auth_success, 1); /* the forward leg's password */
    assert_true(su.reverse_provisioned);
    int fails = 0, kbd = 0;
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (strcmp(e->kind, "auth_attempt") || e->leg != SD_LEG_REVERSE)
            continue;
        assert_string_equal(sd_ev_get(e, "result")->s, "failure");
        fails++;
        kbd += !strcmp(sd_ev_get(e, "method")->s, "keyboard-interactive");
    }
    assert_int_equal(fails, 4);
    assert_int_equal(kbd, 1);
    sd_evlist_free(&l);
}

/* Lab compress_reverse (ssh -C -R, chacha20 in chacha20, frames 12-139):
 * the reverse session's handshake and login through the compressed
 * tunnel keep the plain sizes (SERVICE_REQUEST 84, the none probe 108,
 * FAILURE 92, the key query 180, PK_OK 140) but its USERAUTH_SUCCESS
 * leaves 8 bytes under (60 for 68): deflate matched the outer
 * CHANNEL_DATA header against its history. The login is read, then the
 * session and its keys; without the compression the 60 is no SUCCESS. */
static const rec compress_reverse[] = {
    { false, 1448, 0.1310 }, { false, 116, 0.1310 }, { true, 16, 0.1769 }, { true, 44, 0.2179 },
    { false, 44, 0.2181 }, { true, 68, 0.2182 }, { false, 52, 0.2234 }, { true, 140, 0.2236 },
    { false, 100, 0.2247 }, { true, 308, 0.2253 }, { false, 28, 0.2341 }, { true, 68, 0.2344 },
    { false, 656, 0.2381 }, { true, 112, 0.2381 }, { false, 36, 0.2419 }, { false, 72, 0.2899 },
    { true, 248, 0.2902 }, { false, 108, 0.2913 }, { false, 44, 0.2997 }, { true, 36, 1.2577 },
    { false, 36, 1.2620 }, { true, 36, 1.4758 }, { false, 36, 1.4760 }, { true, 36, 1.7419 },
    { false, 36, 1.7459 }, { true, 36, 1.9454 }, { false, 36, 1.9456 }, { true, 36, 2.2479 },
    { false, 36, 2.2529 }, { true, 36, 2.4501 }, { false, 36, 2.4811 }, { true, 36, 2.6009 },
    { false, 36, 2.6012 }, { true, 36, 2.9731 }, { false, 36, 2.9738 }, { false, 44, 2.9762 },
    { false, 188, 2.9772 }, { false, 36, 2.9774 }, { false, 84, 4.1050 }, { true, 44, 4.1053 },
    { false, 76, 4.1061 }, { true, 76, 4.1158 }, { false, 324, 4.1163 }, { true, 324, 4.1176 },
    { false, 1252, 4.1952 }, { true, 1448, 4.2105 }, { true, 156, 4.2105 }, { false, 44, 4.2476 },
    { false, 84, 4.2901 }, { true, 84, 4.2903 }, { false, 108, 4.2921 }, { true, 92, 4.2976 },
    { false, 180, 4.2979 }, { true, 140, 4.2990 }, { false, 356, 4.2998 }, { true, 60, 4.3086 },
    { false, 156, 4.3089 }, { true, 308, 4.3115 }, { true, 236, 4.3541 }, { false, 420, 4.3547 },
    { true, 148, 4.3562 }, { true, 92, 4.3630 }, { false, 68, 4.8921 }, { true, 76, 4.8941 },
    { false, 68, 5.0548 }, { true, 68, 5.0552 }, { false, 68, 5.2644 }, { true, 68, 5.2657 },
    { false, 68, 5.5243 }, { true, 84, 5.5246 }, { false, 68, 5.8056 }, { true, 76, 5.8101 },
    { false, 68, 5.9833 }, { true, 68, 5.9838 }, { false, 68, 6.2179 }, { true, 68, 6.2182 },
    { false, 68, 6.7362 }, { true, 252, 6.7381 }, { true, 84, 6.7406 }, { false, 76, 7.4764 },
    { true, 84, 7.4821 }, { false, 68, 7.6987 }, { true, 252, 7.7010 }, { true, 92, 7.7015 },
    { false, 68, 8.8621 }, { true, 68, 8.8624 }, { false, 68, 8.9123 }, { true, 68, 8.9125 }
};

static void assert_reverse_login(const stream *s);

static void test_compressed_reverse_login(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, compress_reverse);
    assert_reverse_login(&s);
}

/* compress_reverse loaded into s: the index of the reverse leg's
 * SERVICE_REQUEST (84, after the inner NEWKEYS, 44, at 4.2476). */
static size_t reverse_sr(stream *s)
{
    ADD_ALL(s, compress_reverse);
    size_t sr = 1;
    while (sr < s->n && !(!s->r[sr].c && s->r[sr].len == 84 && s->r[sr - 1].len == 44 && s->r[sr].t > 4.2))
        sr++;
    assert_true(sr < s->n);
    return sr;
}

/* The reverse leg's SERVICE_REQUEST 8 bytes under too (76 for 84: lab
 * compress_reverse seed +2000, deflate matching the outer header): still
 * the start of its authentication. */
static void test_compressed_reverse_sr_shrunk(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    s.r[reverse_sr(&s)].len = 76;
    assert_reverse_login(&s);
}

/* The reverse leg's NEWKEYS and SERVICE_REQUEST in one channel data (the
 * plain model's 100 bytes), 8 bytes under too (92: lab compress_reverse_2
 * at seed +8303 frame 84, deflate matching the outer header): still the
 * start of its authentication (the login and its 29 keys were lost). */
static void test_compressed_reverse_sr_joined_shrunk(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    size_t sr = reverse_sr(&s);
    s.r[sr].len = 92;
    memmove(&s.r[sr - 1], &s.r[sr], (s.n - sr) * sizeof s.r[0]);
    s.n--;
    assert_reverse_login(&s);
}

/* The class of the reverse leg's keystroke at frame f (NULL: none). */
static const char *reverse_key_at(const sd_evlist *l, uint64_t f)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].kind, "keystroke") && l->v[i].leg == SD_LEG_REVERSE && l->v[i].frame == f)
            return sd_ev_get(&l->v[i], "key")->s;
    return NULL;
}

/* A record of compress_reverse at ts and its new size. */
typedef struct resize {
    double t;
    uint32_t len;
} resize;

/* compress_reverse with the records at mod[].t resized: the class of the
 * reverse leg's key at ts (the Up arrow at 7.4764, a recalled line at a
 * line's start, stays an arrow). */
static const char *reverse_class(const resize *mod, size_t nmod, double ts)
{
    static char cls[16];
    stream s = { .n = 0 };
    ADD_ALL(&s, compress_reverse);
    size_t key = SIZE_MAX, up = SIZE_MAX;
    for (size_t i = 0; i < s.n; i++) {
        for (size_t m = 0; m < nmod; m++)
            if (s.r[i].t == mod[m].t)
                s.r[i].len = mod[m].len;
        key = s.r[i].t == ts ? i : key;
        up = s.r[i].t == 7.4764 ? i : up;
    }
    assert_true(key != SIZE_MAX && up != SIZE_MAX);
    sd_evlist l = { 0 };
    infer_comp(&s, &l, "zlib@openssh.com");
    const char *k = reverse_key_at(&l, key + 1);
    assert_non_null(k);
    snprintf(cls, sizeof cls, "%s", k);
    assert_string_equal(reverse_key_at(&l, up + 1), "arrow");
    sd_evlist_free(&l);
    return cls;
}

#define REVERSE_CLASS(ts, ...)                                                                     \
    reverse_class((const resize[]){ __VA_ARGS__ }, sizeof((const resize[]){ __VA_ARGS__ }) / sizeof(resize), (ts))

/* A tunnelled leg over zlib (keys and echoes 68, 8 under the plain 76): a
 * key sent cold (76) has the offset arrow's size. The leg's first key,
 * its echo cold too (76; lab compress_reverse seed +3000 frame 121), and
 * a key inside a line answered by an echo and followed by a lone echo or
 * the line's Enter (seed +3100 frame 189) are characters; followed by a
 * redraw (a key inserted after a Left arrow) it stays an arrow. */
static void test_compressed_reverse_cold_keys(void **st)
{
    (void)st;
    assert_string_equal(REVERSE_CLASS(4.8921, { 4.8921, 76 }), "char");                  /* first key */
    assert_string_equal(REVERSE_CLASS(6.2179, { 6.2179, 76 }), "char");                  /* then Enter */
    assert_string_equal(REVERSE_CLASS(5.9833, { 5.9833, 76 }), "char");                  /* then an echo */
    assert_string_equal(REVERSE_CLASS(5.9833, { 5.9833, 76 }, { 6.2182, 84 }), "arrow"); /* a redraw */
}

/* The same leg: after a Left arrow inside the line (76 answered by 68), a
 * key sent cold at 76 answered by a short redraw at 76 (lab
 * compress_reverse seed +8000 frames 169-175: `l` inserted, its redraw
 * "lo\b" at the offset size) with the line's Enter next is the inserted
 * character (moving the cursor and running the line edits nothing);
 * with a key typed after it, not the Enter, it stays an arrow. */
static void test_compressed_reverse_cold_insert(void **st)
{
    (void)st;
    assert_string_equal(REVERSE_CLASS(6.2179, { 5.9833, 76 }, { 6.2179, 76 }, { 6.2182, 76 }), "char");
    assert_string_equal(REVERSE_CLASS(5.9833, { 5.8056, 76 }, { 5.8101, 68 }, { 5.9833, 76 }, { 5.9838, 76 }),
                        "arrow");
}

/* The same leg: a key sent cold at 76 answered by 76 (the plain echo, or
 * the offset Backspace echo) with a lone echo next: the cursor did not
 * move, no arrow (lab compress_reverse_2 at seed +8305 frame 112, a
 * Backspace; offset_backspaces then reads it at the line's end). */
static void test_compressed_reverse_cold_plain_answer(void **st)
{
    (void)st;
    assert_string_equal(REVERSE_CLASS(5.9833, { 5.9833, 76 }, { 5.9838, 76 }), "backspace");
}

/* The same leg: a Backspace's echo at the offset size (76, the plain
 * echo's; lab compress_reverse seeds +3000, +3100, +3200 and seed 966) is
 * a Backspace; a char's echo at 76 before the Backspace's plain 84 (seed
 * +2000 frame 105), or right after a Backspace (the records' 5.8101),
 * stays a char. */
static void test_compressed_reverse_offset_backspace(void **st)
{
    (void)st;
    assert_string_equal(REVERSE_CLASS(5.5243, { 5.5246, 76 }), "backspace");
    assert_string_equal(REVERSE_CLASS(5.2644, { 5.2657, 76 }), "char");
    assert_string_equal(REVERSE_CLASS(5.8056, { 5.5246, 76 }), "char");
    assert_string_equal(REVERSE_CLASS(5.5243, { 5.5246, 84 }), "backspace");
}

/* The reverse leg's public-key login and its shell are read. */
static void assert_reverse_login(const stream *s)
{
    sd_evlist l = { 0 };
    infer_comp(s, &l, "zlib@openssh.com");
    bool login = false, session = false;
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (e->leg != SD_LEG_REVERSE)
            continue;
        login |= !strcmp(e->kind, "auth_attempt") && !strcmp(sd_ev_get(e, "result")->s, "success") &&
                 !strcmp(sd_ev_get(e, "method")->s, "publickey");
        session |= !strcmp(e->kind, "session") && !strcmp(sd_ev_get(e, "session_kind")->s, "shell");
    }
    assert_true(login);
    assert_true(session);
    sd_evlist_free(&l);
}

/* Compressed (-C -A -R), a reverse session's forwarded-tcpip open (68;
 * 84 under aes128-gcm in lab compress_reverse_aes128gcm) has a deflated
 * agent open's size; its banners pass for an agent request and its
 * answer, and a small client record reacting at once for the close. The
 * KEXINITs both ways after the confirmation say the channel carries SSH:
 * the agent was requested, not used. */
static void test_compressed_reverse_not_agent(void **st)
{
    (void)st;
    stream s;
    shell(&s, true);
    static const rec rev[] = {
        { false, 68, 3.0 },     { true, 44, 3.0005 },   { false, 84, 3.002 },   { true, 84, 3.0105 },
        { false, 324, 3.0107 }, { true, 324, 3.0115 },  { false, 1252, 3.067 }, { true, 1448, 3.081 },
        { true, 156, 3.081 },   { false, 44, 3.108 },   { false, 84, 3.15 },    { true, 84, 3.1502 },
        { false, 108, 3.1505 }, { true, 36, 3.1506 },   { true, 92, 3.159 },
    };
    ADD_ALL(&s, rev);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer_comp(&s, &l, "zlib@openssh.com");
    assert_false(su.agent_used);
    sd_evlist_free(&l);
    /* the client's KEXINIT as one record of 1604 (one aes128-gcm packet
     * in the lab capture): still a KEXINIT's size */
    size_t k = s.n - 8;
    assert_int_equal(s.r[k].len, 1448);
    s.r[k].len = 1604;
    memmove(&s.r[k + 1], &s.r[k + 2], (s.n - k - 2) * sizeof s.r[0]);
    s.n--;
    su = infer_comp(&s, &l, "zlib@openssh.com");
    assert_false(su.agent_used);
    sd_evlist_free(&l);
}

/* Lab proxyjump_two (ssh -J bastion,bastion2 host, chacha20 everywhere,
 * frames 16-118): the first bastion's connection carries the second's
 * (its -W open 152, a KEXINIT each way), whose session carries the final
 * host's (its -W open 188 = outer.wire(9 + hop.wire(P)), the final
 * host's keys 116 = outer.wire(9 + hop.wire(9 + inner.wire(10)))). The
 * second bastion's session is a tunnel, the final host's a shell with its
 * keys, its events at depth 2. A session open read with a
 * no-more-sessions (a shell re-keying at once) in the open's place is no
 * carrier: one level, a shell. */
static const rec proxyjump_two[] = {
    { false, 1448, 0.3142 }, { false, 116, 0.3142 }, { true, 16, 0.4529 }, { true, 44, 0.4530 },
    { false, 44, 0.4531 }, { true, 68, 0.4613 }, { false, 52, 0.4905 }, { true, 140, 0.4907 },
    { false, 100, 0.4914 }, { true, 308, 0.4919 }, { false, 28, 0.5059 }, { true, 152, 0.5189 },
    { false, 264, 0.5198 }, { false, 192, 0.5627 }, { true, 76, 0.5628 }, { false, 1164, 0.5789 },
    { true, 988, 0.5793 }, { true, 1244, 0.7506 }, { false, 1448, 0.7589 }, { false, 156, 0.7589 },
    { true, 52, 0.7799 }, { true, 84, 0.7801 }, { false, 84, 0.7802 }, { true, 108, 0.7802 },
    { false, 92, 0.7896 }, { true, 180, 0.7897 }, { false, 140, 0.7909 }, { true, 348, 0.7915 },
    { false, 68, 0.8112 }, { true, 188, 0.8140 }, { false, 300, 0.8168 }, { false, 308, 0.8629 },
    { true, 1100, 0.8632 }, { false, 1188, 0.8663 }, { true, 1284, 1.0895 }, { false, 1448, 1.1309 },
    { false, 196, 1.1309 }, { true, 92, 1.2094 }, { true, 124, 1.2095 }, { false, 124, 1.2098 },
    { true, 148, 1.2099 }, { false, 132, 1.2248 }, { true, 220, 1.2270 }, { false, 180, 1.2279 },
    { true, 388, 1.2285 }, { false, 108, 1.2469 }, { true, 188, 1.2471 }, { false, 748, 1.2720 },
    { false, 268, 1.3148 }, { true, 452, 1.3152 }, { false, 188, 1.3198 }, { false, 132, 1.3708 },
    { true, 116, 1.8939 }, { false, 116, 1.8956 }, { true, 116, 2.1386 }, { false, 116, 2.1390 },
    { true, 116, 2.3101 }, { false, 116, 2.3104 }, { true, 116, 2.5069 }, { false, 124, 2.5072 },
    { true, 116, 2.7089 }, { false, 116, 2.7149 }, { true, 116, 2.9190 }, { false, 116, 2.9193 },
    { true, 116, 3.1374 }, { false, 116, 3.1377 }, { true, 116, 3.3898 }, { false, 116, 3.3911 },
    { false, 212, 3.3949 }, { false, 356, 3.3987 }, { false, 132, 3.4003 }, { true, 124, 4.3884 }
};

/* The nested events: sessions at depth 1 and 2, keys at depth 2. */
static void nested_depths(const sd_evlist *l, const char **kind1, const char **kind2, unsigned *keys2)
{
    *kind1 = *kind2 = NULL;
    *keys2 = 0;
    for (size_t i = 0; i < l->n; i++) {
        const sd_event *e = &l->v[i];
        if (e->leg != SD_LEG_NESTED)
            continue;
        const sd_evfield *d = sd_ev_get(e, "depth");
        int64_t depth = d ? d->i : 1;
        if (!strcmp(e->kind, "session"))
            *(depth == 1 ? kind1 : kind2) = sd_ev_get(e, "session_kind")->s;
        *keys2 += !strcmp(e->kind, "keystroke") && depth == 2;
    }
}

static void test_proxyjump_two(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, proxyjump_two);
    sd_evlist l = { 0 };
    infer(&s, &l);
    const char *k1, *k2;
    unsigned keys2;
    nested_depths(&l, &k1, &k2, &keys2);
    assert_non_null(k1);
    assert_non_null(k2);
    assert_string_equal(k1, "tunnel");
    assert_string_equal(k2, "shell");
    assert_int_equal(keys2, 9); /* three chars, Backspace, three chars, Enter, an arrow (frame 118) */
    sd_evlist_free(&l);
    /* the look-alike: the second bastion's first record a session open and
     * a no-more-sessions read at once (148 under chacha20) */
    size_t open = 0;
    while (open < s.n && !(s.r[open].c && s.r[open].len == 188))
        open++;
    assert_true(open < s.n);
    s.r[open].len = 148;
    infer(&s, &l);
    nested_depths(&l, &k1, &k2, &keys2);
    assert_null(k2);
    assert_int_equal(keys2, 0);
    sd_evlist_free(&l);
}

/* The final host's NEWKEYS (92) and SERVICE_REQUEST (124) in one outer
 * channel data holding the second bastion's two channel data (52 + 84:
 * 172; lab proxyjump_two_aes128gcm seed 1000): still its login, its
 * shell and keys at depth 2. */
static void test_proxyjump_two_joined(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    size_t nk = 0;
    for (size_t i = 0; i < sizeof proxyjump_two / sizeof proxyjump_two[0]; i++) {
        const rec *r = &proxyjump_two[i];
        if (r->c && r->len == 92 && !nk++) {
            add(&s, true, 172, r->t);
            i++; /* the 124 after it is in the 172 */
            continue;
        }
        add(&s, r->c, r->len, r->t);
    }
    assert_int_equal(nk, 1);
    sd_evlist l = { 0 };
    infer(&s, &l);
    const char *k1, *k2;
    unsigned keys2;
    nested_depths(&l, &k1, &k2, &keys2);
    assert_non_null(k2);
    assert_string_equal(k2, "shell");
    assert_int_equal(keys2, 9);
    sd_evlist_free(&l);
}

/* ProxyJump captured at the bastion over 200 ms (lab
 * wan_proxyjump_keys_chacha seed 1000): the final host's SUCCESS and its
 * host keys announcement read by the bastion at once and sent in one
 * channel data (884 bytes: the first run sent 68, later 860). */
static const rec proxyjump_success_joined[] = {
{ false, 200, 0.0000 }, { false, 116, 0.0000 }, { true, 44, 0.4917 }, { false, 44, 0.4918 },
    { true, 68, 0.6984 }, { false, 52, 0.7143 }, { true, 140, 0.9148 }, { false, 100, 0.9157 },
    { true, 308, 1.1182 }, { false, 28, 1.1263 }, { true, 152, 1.3317 }, { false, 412, 1.3317 },
    { false, 120, 1.5795 }, { true, 76, 1.7820 }, { false, 1148, 1.7833 }, { true, 988, 1.7872 },
    { true, 1244, 2.0563 }, { false, 1448, 2.0760 }, { false, 156, 2.0760 }, { true, 100, 2.3195 },
    { false, 84, 2.3199 }, { true, 108, 2.5234 }, { false, 92, 2.5288 }, { true, 180, 2.7402 },
    { false, 140, 2.7460 }, { true, 348, 2.9470 }, { false, 884, 2.9546 }, { true, 148, 3.1884 },
    { false, 84, 3.1888 }, { true, 412, 3.4352 }, { false, 148, 3.4389 }, { false, 92, 3.6795 },
    { true, 76, 4.4616 }, { false, 76, 4.5542 }, { true, 76, 4.8344 }, { false, 76, 4.9115 },
    { true, 76, 4.9355 }, { false, 76, 5.1141 }, { true, 76, 5.2308 }, { false, 84, 5.3146 },
    { true, 76, 5.5018 }, { false, 76, 5.5355 }, { true, 76, 5.8401 }, { false, 76, 5.8404 },
    { true, 76, 6.0441 }, { false, 76, 6.0443 }, { true, 76, 6.2861 }, { false, 76, 6.2869 },
    { false, 720, 6.5533 }, { true, 84, 7.4238 }, { false, 84, 7.4241 }, { true, 76, 7.7080 },
    { false, 476, 7.7095 }, { false, 92, 7.9098 }, { true, 76, 8.6746 }, { false, 76, 8.7411 },
    { true, 76, 8.8726 }, { false, 76, 8.9611 }, { true, 76, 9.1041 }, { false, 76, 9.1634 },
    { true, 76, 9.4975 }, { false, 76, 9.5561 }, { true, 76, 9.6509 }, { false, 76, 9.7564 },
    { true, 76, 9.8078 }, { true, 76, 9.9462 }, { false, 152, 9.9579 }, { true, 76, 10.1930 },
    { false, 76, 10.1932 }, { true, 76, 10.3446 }, { false, 76, 10.4751 }, { true, 84, 10.5752 },
    { false, 76, 10.6785 }, { true, 76, 10.8337 }, { false, 84, 10.9314 }, { true, 76, 11.1570 },
    { false, 100, 11.1573 }, { true, 76, 12.2114 }, { false, 76, 12.2116 }, { true, 76, 12.3610 },
    { false, 76, 12.4283 }, { true, 76, 12.6343 }, { false, 76, 12.6514 }, { true, 76, 12.9139 },
    { false, 76, 12.9279 }, { true, 76, 13.1573 }, { false, 260, 13.1592 }, { true, 76, 13.3633 },
    { true, 196, 13.3634 }
};

/* The login is still found, and the final host's shell and its keys. */
static void test_proxyjump_success_joined(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    ADD_ALL(&s, proxyjump_success_joined);
    sd_evlist l = { 0 };
    infer(&s, &l);
    const char *kind = NULL;
    unsigned keys = 0, logins = 0;
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (e->leg != SD_LEG_NESTED)
            continue;
        if (!strcmp(e->kind, "session"))
            kind = sd_ev_get(e, "session_kind")->s;
        keys += !strcmp(e->kind, "keystroke");
        logins += !strcmp(e->kind, "auth_attempt") && strstr(e->note, "accepted");
    }
    assert_int_equal(logins, 1);
    assert_non_null(kind);
    assert_string_equal(kind, "shell");
    assert_int_equal(keys, 27);
    sd_evlist_free(&l);
}

/* OpenSSH's client with a terminal adjusts its session window after more
 * than 3 x 16 KiB read (ssh.c halves its maximum packet): after an Enter
 * answered by 54 KB (lab wanc220_demo seed +3500: `last`, the adjust
 * 0.24 s after the output over 220 ms) an unanswered key-sized record
 * is the adjust, no key. The look-alike: after 29 KB it is a key typed
 * with no echo. */
static void test_window_adjust_tty(void **st)
{
    (void)st;
    static const struct { int segs; size_t keys; } cases[] = { { 38, 7 }, { 20, 8 } };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        stream s;
        shell(&s, false);
        key(&s, 2.6);
        key(&s, 2.9);
        add(&s, true, 36, 3.2); /* Enter, echoed with the output */
        for (int j = 0; j < cases[k].segs; j++)
            add(&s, false, 1448, 3.201 + 0.002 * j);
        add(&s, false, 52, 3.3);  /* the prompt */
        add(&s, true, 36, 3.54);  /* unanswered */
        key(&s, 4.1);
        key(&s, 4.4);
        sd_evlist l = { 0 };
        infer(&s, &l);
        assert_int_equal(count_kind(&l, "keystroke"), cases[k].keys);
        sd_evlist_free(&l);
    }
}

/* Lab demo seed +3100 (ssh -R, at the client, chacha20 in chacha20):
 * the reverse leg's password request (188) answered by its SUCCESS and
 * sshd's hostkeys-00 announcement as two channel data in one segment
 * (180: 68 and 112 alone), then the session's open (148), its
 * confirmation (84), pty-req and shell (412), and five keys. */
static const rec demo_rev_pw_joined[] = {
    { false, 200, 0.0000 }, { false, 116, 0.0000 }, { true, 44, 0.0718 }, { false, 44, 0.0747 },
    { true, 68, 0.0747 }, { false, 52, 0.0836 }, { true, 148, 3.4543 }, { false, 52, 3.4853 },
    { true, 148, 6.2171 }, { false, 52, 6.2327 }, { true, 148, 9.0013 }, { false, 28, 9.0630 },
    { true, 68, 9.0683 }, { true, 112, 9.0684 }, { false, 524, 9.0708 }, { false, 72, 9.1119 },
    { true, 376, 9.1121 }, { false, 108, 9.1131 }, { false, 52, 9.1164 }, { true, 36, 9.9283 },
    { false, 36, 9.9285 }, { true, 36, 10.1390 }, { false, 36, 10.1394 }, { true, 36, 10.3311 },
    { false, 44, 10.3679 }, { true, 36, 10.5119 }, { false, 36, 10.5121 }, { true, 36, 10.7166 },
    { false, 36, 10.7168 }, { true, 36, 10.9660 }, { false, 44, 10.9662 }, { true, 36, 11.4820 },
    { false, 316, 11.4832 }, { false, 52, 11.4833 }, { false, 92, 12.6479 }, { true, 44, 12.6482 },
    { false, 76, 12.6518 }, { true, 76, 12.6577 }, { true, 1124, 12.6617 }, { false, 1140, 12.6638 },
    { false, 1244, 12.7354 }, { true, 1448, 12.7551 }, { true, 156, 12.7551 }, { false, 52, 12.7924 },
    { false, 84, 12.8399 }, { true, 84, 12.8400 }, { false, 108, 12.8439 }, { true, 92, 12.8525 },
    { false, 188, 16.1961 }, { true, 180, 16.2658 }, { false, 148, 16.2698 }, { true, 84, 16.2701 },
    { false, 412, 16.2704 }, { true, 148, 16.2758 }, { true, 92, 16.2879 }, { false, 76, 17.0074 },
    { true, 76, 17.0077 }, { false, 76, 17.2119 }, { true, 76, 17.2151 }, { false, 76, 17.4307 },
    { true, 76, 17.4309 }, { false, 76, 17.5681 }, { true, 76, 17.5683 }, { false, 76, 17.7688 },
    { true, 76, 17.7692 },
};

/* The joined answer is the reverse leg's login (its 5 keys read); the
 * look-alike: the same answer to a request of a key query's size (260)
 * could be its PK_OK, no login. */
static void test_reverse_password_success_joined(void **st)
{
    (void)st;
    for (int k = 0; k < 2; k++) {
        stream s = { .n = 0 };
        ADD_ALL(&s, demo_rev_pw_joined);
        if (k)
            for (size_t i = 0; i < s.n; i++)
                if (!s.r[i].c && s.r[i].len == 188)
                    s.r[i].len = 260;
        sd_evlist l = { 0 };
        infer(&s, &l);
        unsigned keys = 0, logins = 0;
        for (size_t i = 0; i < l.n; i++) {
            const sd_event *e = &l.v[i];
            if (e->leg != SD_LEG_REVERSE)
                continue;
            keys += !strcmp(e->kind, "keystroke");
            logins += !strcmp(e->kind, "auth_attempt") && !strcmp(sd_ev_get(e, "result")->s, "success");
        }
        assert_int_equal(logins, k ? 0 : 1);
        if (!k)
            assert_int_equal(keys, 5);
        sd_evlist_free(&l);
    }
}

/* Lab reverse_keys (ssh -R, a reverse session typed from the server's
 * side, chacha20 in chacha20, at the client): after the reverse shell's
 * exit sshd's EOF (36) right after the leg's last record (132), the
 * client's EOF + CLOSE in one record (72) and sshd's CLOSE (36). */
static const rec reverse_keys_rec[] = {
{ false, 200, 0.0000 }, { false, 116, 0.0000 }, { true, 44, 0.0678 }, { false, 44, 0.0679 },
    { true, 68, 0.0679 }, { false, 52, 0.0750 }, { true, 140, 0.0752 }, { false, 100, 0.0762 },
    { true, 308, 0.0769 }, { false, 28, 0.0899 }, { true, 68, 0.0900 }, { false, 672, 0.1073 },
    { true, 112, 0.1073 }, { false, 148, 0.1074 }, { false, 72, 0.1482 }, { true, 376, 0.1520 },
    { false, 108, 0.1544 }, { false, 52, 0.1759 }, { false, 92, 1.7374 }, { true, 44, 1.7429 },
    { false, 76, 1.7431 }, { true, 76, 1.7749 }, { false, 1140, 1.7760 }, { true, 1124, 1.7851 },
    { false, 1244, 2.0114 }, { true, 1448, 2.0577 }, { true, 156, 2.0577 }, { false, 52, 6.5559 },
    { false, 84, 6.5590 }, { true, 84, 6.5728 }, { false, 108, 6.5730 }, { true, 92, 6.5811 },
    { false, 180, 6.5814 }, { true, 140, 6.5874 }, { false, 348, 6.5891 }, { true, 68, 6.6074 },
    { false, 148, 6.6171 }, { true, 452, 6.6172 }, { true, 84, 6.6600 }, { false, 412, 6.6603 },
    { true, 148, 6.6617 }, { true, 92, 6.7441 }, { false, 76, 7.2729 }, { true, 76, 7.2771 },
    { false, 76, 7.5921 }, { true, 76, 7.5924 }, { false, 76, 7.8520 }, { true, 76, 7.8560 },
    { false, 76, 8.0742 }, { true, 84, 8.0745 }, { false, 76, 8.2719 }, { true, 76, 8.2722 },
    { false, 76, 8.4621 }, { true, 76, 8.4624 }, { false, 76, 8.6903 }, { true, 76, 8.6906 },
    { false, 76, 9.2068 }, { true, 276, 9.2139 }, { true, 92, 9.2238 }, { false, 84, 10.2069 },
    { true, 84, 10.2072 }, { false, 76, 10.4906 }, { true, 188, 10.4932 }, { true, 164, 10.4935 },
    { true, 92, 10.4938 }, { false, 76, 11.7540 }, { true, 76, 11.7549 }, { false, 76, 11.9985 },
    { true, 76, 12.0042 }, { false, 76, 12.1971 }, { true, 76, 12.2020 }, { false, 76, 12.3989 },
    { true, 76, 12.3996 }, { false, 76, 12.5596 }, { true, 76, 12.5625 }, { false, 76, 12.8265 },
    { true, 76, 12.8269 }, { false, 76, 13.0354 }, { true, 76, 13.0359 }, { false, 76, 13.1700 },
    { true, 76, 13.1702 }, { false, 76, 13.3624 }, { true, 76, 13.3627 }, { false, 84, 13.5557 },
    { true, 76, 13.5560 }, { false, 76, 13.7381 }, { true, 84, 13.7384 }, { false, 76, 13.9721 },
    { true, 100, 13.9728 }, { false, 76, 14.8544 }, { true, 76, 14.8547 }, { false, 76, 15.1122 },
    { true, 76, 15.1125 }, { false, 76, 15.4170 }, { true, 76, 15.4174 }, { false, 76, 15.7573 },
    { true, 76, 15.7577 }, { false, 76, 16.2430 }, { true, 84, 16.2439 }, { true, 212, 16.2452 },
    { false, 132, 16.2462 }, { false, 36, 16.2462 }, { true, 72, 16.2475 }, { false, 36, 16.2476 },
    { true, 36, 17.7438 }, { false, 36, 17.7474 }, { true, 36, 17.9879 }, { false, 36, 17.9882 },
    { true, 36, 18.2209 }, { false, 36, 18.2211 }, { true, 36, 18.3927 }, { false, 36, 18.3929 },
    { true, 36, 18.9340 }, { false, 44, 18.9359 }, { false, 176, 18.9365 }, { true, 36, 18.9366 },
    { true, 60, 18.9366 }
};

/* The lab reverse_keys stream s, its close altered, keeps its keys: the
 * person's 5 on the forward shell, the reverse leg's 27. */
static void assert_reverse_keys_kept(const stream *s)
{
    sd_evlist l = { 0 };
    infer(s, &l);
    unsigned fwd = 0, rev = 0;
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke")) {
            fwd += l.v[i].leg == SD_LEG_FORWARD;
            rev += l.v[i].leg == SD_LEG_REVERSE;
        }
    assert_int_equal(fwd, 5);
    assert_int_equal(rev, 27);
    sd_evlist_free(&l);
}

/* The channel's close sent as three records of a key's and an echo's size
 * (the client's EOF, sshd's CLOSE, the client's CLOSE: lab
 * wan_reverse_keys seed +2000, 201 ms after sshd's EOF at the server) is
 * no key of the forward shell: its keys stay the person's 5, the reverse
 * leg's 27. */
static void test_reverse_close_split(void **st)
{
    (void)st;
    stream s = { .n = 0 };
    size_t split = 0;
    for (size_t i = 0; i < sizeof reverse_keys_rec / sizeof reverse_keys_rec[0]; i++) {
        const rec *r = &reverse_keys_rec[i];
        if (r->c && r->len == 72 && !split++) {
            add(&s, true, 36, r->t);
            add(&s, false, 36, r->t + 0.0001);
            add(&s, true, 36, r->t + 0.0002);
            i++; /* sshd's CLOSE after the 72 is the 36 above */
            continue;
        }
        add(&s, r->c, r->len, r->t);
    }
    assert_int_equal(split, 1);
    assert_reverse_keys_kept(&s);
}

/* The leg's last record and sshd's EOF in one segment (132 + 36), then
 * as at the client over 220 ms (lab wanc220_demo seed +3000 frames
 * 223-227): the client's EOF 1.8 ms later, sshd's CLOSE 11 ms after it
 * (an echo's size and time), the client's CLOSE, sshd's last record a
 * round trip later: no key of the forward shell (its keys stay 5). */
static void test_reverse_close_joined(void **st)
{
    (void)st;
    static const rec close[] = {
        { false, 168, 0 }, { true, 36, 0.0018 }, { false, 36, 0.0129 }, { true, 36, 0.0131 }, { false, 36, 0.230 },
    };
    const size_t n = sizeof reverse_keys_rec / sizeof reverse_keys_rec[0];
    stream s = { .n = 0 };
    size_t joined = 0;
    for (size_t i = 0; i < n; i++) {
        const rec *r = &reverse_keys_rec[i];
        if (!r->c && r->len == 132 && i + 3 < n && reverse_keys_rec[i + 1].len == 36 && !joined++) {
            for (size_t j = 0; j < sizeof close / sizeof close[0]; j++)
                add(&s, close[j].c, close[j].len, r->t + close[j].t);
            i += 3; /* sshd's EOF, the client's EOF + CLOSE, sshd's CLOSE */
            continue;
        }
        add(&s, r->c, r->len, r->t);
    }
    assert_int_equal(joined, 1);
    assert_reverse_keys_kept(&s);
}

/* A reverse shell's command printing 43 KB (lab demo seed +3000: `last`
 * through the -R tunnel) comes from the outer client in full segments
 * right after the leg's Enter: that shell's output, no upload of the
 * forward leg. The look-alike: the same burst in the forward shell before
 * the reverse session is an upload. */
static void test_reverse_shell_output_not_upload(void **st)
{
    (void)st;
    static const double at[] = { 9.2069, 3.0 }; /* after the reverse Enter; before the leg */
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        stream s = { .n = 0 };
        bool burst = false;
        for (size_t i = 0; i < sizeof reverse_keys_rec / sizeof reverse_keys_rec[0]; i++) {
            const rec *r = &reverse_keys_rec[i];
            if (!burst && r->t > at[k]) {
                for (int j = 0; j < 30; j++)
                    add(&s, true, 1448, at[k] + 0.0001 * j);
                burst = true;
            }
            add(&s, r->c, r->len, r->t);
        }
        sd_evlist l = { 0 };
        infer(&s, &l);
        assert_int_equal(count_kind(&l, "reverse_init"), 1);
        assert_int_equal(count_kind(&l, "transfer"), k == 1);
        sd_evlist_free(&l);
    }
}

/* What the channel carries: a page (a small request, more down) is web;
 * 300 full segments down (434 KB, more than CARRY_BULK_BYTES, the client
 * only asking) is bulk. */
static void test_forward_carried(void **st)
{
    (void)st;
    static const struct { int segs; const char *cls; } cases[] = { { 30, "web" }, { 300, "bulk" } };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        stream s;
        shell(&s, false);
        fetch(&s, 2.4, cases[k].segs, true);
        key(&s, 3.6);
        sd_evlist l = { 0 };
        infer(&s, &l);
        const sd_event *e = find_kind(&l, "forward");
        assert_non_null(e);
        assert_string_equal(sd_ev_get(e, "carried")->s, cases[k].cls);
        assert_int_equal(sd_ev_get(e, "exchanges")->i, 1);
        assert_true(sd_ev_get(e, "records_s2c")->i >= cases[k].segs);
        sd_evlist_free(&l);
    }
}

/* An x11-req (108 bytes under chacha) in a write of its own, answered by
 * a CHANNEL_SUCCESS (36), then the pty-req and shell: X11 requested. The
 * look-alike: the same lone record followed by no pty-req (a command's
 * exec request of that size, then its data) is no x11-req. */
static void test_x11_req_alone(void **st)
{
    (void)st;
    for (int pty = 1; pty >= 0; pty--) {
        stream s;
        shell(&s, false);
        s.n = 11; /* up to the session's confirmation */
        add(&s, true, 108, 1.151);
        add(&s, false, 36, 1.152);
        add(&s, true, pty ? 376 : 60, 1.19);
        add(&s, false, 108, 1.2);
        add(&s, false, 52, 1.25);
        sd_evlist l = { 0 };
        infer(&s, &l);
        assert_int_equal(count_kind(&l, "x11_forwarding"), pty);
        sd_evlist_free(&l);
    }
}

/* An X client through the x11 channel (lab x11_used_chacha frames
 * 92-103): the open (68) in one segment with 36 more bytes of the
 * server's after it (x11_used_aes128gcm seed 2000, the records of a
 * length-in-clear suite), then the client's confirmation (44), the X
 * setup (84) and the X server's reply. Used; the extra record in another
 * segment than the open's is no part of it. */
static void test_x11_open_shares_segment(void **st)
{
    (void)st;
    for (int same = 1; same >= 0; same--) {
        stream s;
        shell(&s, false);
        add(&s, true, 36, 3.0);
        add(&s, false, 68, 3.0024);
        add(&s, false, 36, 3.0024);
        s.frame[s.n - 1] = same ? s.n - 1 : 0;
        add(&s, true, 44, 3.0027);
        add(&s, false, 84, 3.0028);
        for (int k = 0; k < 6; k++)
            add(&s, true, 1448, 3.003 + k * 1e-6);
        add(&s, false, 68, 3.0032);
        sd_evlist l = { 0 };
        sd_infer_summary su = infer(&s, &l);
        assert_int_equal(su.x11_used, same);
        sd_evlist_free(&l);
    }
}

/* The X client done (lab x11_used_aes128gcm seed +5000: xdpyinfo | wc -l),
 * the channel's EOF and CLOSE answered at once by the client's (36 each),
 * the command's output and the prompt; `id` typed 0.48 s after the prompt,
 * inside X11_BURST_GAP_S: its three keys are the shell's. The look-alike:
 * the client's control answers, of a key's size, are no keys. */
static void test_x11_keys_after_client(void **st)
{
    (void)st;
    stream s;
    shell(&s, false);
    add(&s, true, 36, 3.0);
    add(&s, false, 36, 3.0015);
    add(&s, false, 68, 3.0024);
    add(&s, true, 44, 3.0027);
    add(&s, false, 84, 3.0028);
    for (int k = 0; k < 6; k++)
        add(&s, true, 1448, 3.003 + k * 1e-6);
    add(&s, false, 68, 3.0032);
    add(&s, true, 68, 3.0035);
    add(&s, false, 36, 3.0040); /* EOF */
    add(&s, true, 36, 3.0041);  /* EOF, CLOSE */
    add(&s, true, 36, 3.0042);
    add(&s, false, 36, 3.0043); /* CLOSE */
    add(&s, false, 52, 3.0060); /* wc's output */
    add(&s, false, 52, 3.0100); /* the prompt */
    size_t first = s.n;
    key(&s, 3.49);
    key(&s, 3.69);
    add(&s, true, 36, 3.95);
    add(&s, false, 116, 3.951);
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    assert_true(su.x11_used);
    size_t keys = 0, control = 0;
    for (size_t k = 0; k < l.n; k++)
        if (!strcmp(l.v[k].kind, "keystroke")) {
            keys += l.v[k].frame > first;
            control += l.v[k].frame > 19 && l.v[k].frame <= first;
        }
    assert_int_equal(control, 0);
    assert_int_equal(keys, 3);
    sd_evlist_free(&l);
}

/* A session picked up mid-stream without a terminal (sd_infer_midkind.c):
 * segs 1448-byte segments of client bulk (91: 128 KiB) answered by the
 * server with ans_len records, n_ans of them, after it; then idle. */
static sd_infer_summary mid_upload_n(sd_evlist *l, int segs, uint32_t ans_len, int n_ans)
{
    static stream s;
    memset(&s, 0, sizeof s);
    add(&s, true, 84, 1.0);  /* an sftp OPEN (a channel open's size) */
    add(&s, false, 52, 1.003); /* its HANDLE (a confirmation's) */
    for (int i = 0; i < segs; i++)
        add(&s, true, 1448, 1.01 + i * 1e-5);
    for (int i = 0; i < n_ans; i++)
        add(&s, false, ans_len, 1.05 + i * 1e-4);
    stream_midstream = true;
    sd_infer_summary su = infer(&s, l);
    stream_midstream = false;
    return su;
}

static sd_infer_summary mid_upload(sd_evlist *l, uint32_t ans_len, int n_ans)
{
    return mid_upload_n(l, 91, ans_len, n_ans);
}

/* 72 kB of bulk (two SFTP chunks' worth) with one answer-sized record
 * after it is no sftp (MIDK_SFTP_ANSWERS_MIN: one answer per chunk, two
 * chunks; lab exec_forward at login+20: HTTP responses, then the next
 * forward's open); with two it is. */
static void test_midstream_sftp_two_answers(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_infer_summary su = mid_upload_n(&l, 50, 60, 1);
    assert_string_not_equal(su.session_kind, "sftp");
    sd_evlist_free(&l);
    su = mid_upload_n(&l, 50, 60, 2);
    assert_string_equal(su.session_kind, "sftp");
    sd_evlist_free(&l);
}

static void test_midstream_sftp_upload(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    /* SFTP: a STATUS per 32 KiB WRITE (CHANNEL_DATA of 21 bytes: 60 under
     * chacha20-poly1305): sftp, and its upload no forward's bulk */
    sd_infer_summary su = mid_upload(&l, 60, 4);
    assert_string_equal(su.session_kind, "sftp");
    assert_int_equal(count_kind(&l, "forward"), 0);
    sd_evlist_free(&l);
    /* the look-alike: a command's upload (cat > f) answered by
     * WINDOW_ADJUSTs only (36): no sftp */
    su = mid_upload(&l, 36, 1);
    assert_string_not_equal(su.session_kind, "sftp");
    sd_evlist_free(&l);
}

/* A session picked up mid-stream right after its login (sd_infer_midreq.c),
 * chacha20-poly1305 (lab exec_cmd cut at login+5): the client's exec
 * request (76: a 26-byte command) answered by two packets in one segment
 * (72: WINDOW_ADJUST and CHANNEL_SUCCESS), its EOF (36), the command's
 * output, its exit and close. answer: the server's record after the request. */
static sd_infer_summary mid_exec(sd_evlist *l, uint32_t answer)
{
    static stream s;
    memset(&s, 0, sizeof s);
    static const rec r[] = { { true, 76, 1.0 },     { false, 0, 1.004 },  { true, 36, 1.005 },
                             { false, 108, 1.07 },  { false, 1220, 1.138 }, { false, 124, 1.144 },
                             { true, 36, 1.1448 },  { true, 60, 1.1449 } };
    add_all(&s, r, sizeof r / sizeof r[0]);
    s.r[1].len = answer;
    stream_midstream = true;
    sd_infer_summary su = infer(&s, l);
    stream_midstream = false;
    return su;
}

/* Its requests answered: read as a full capture's, a command (integ:
 * "unknown", the traffic told no kind); one answer alone (a global
 * request's, a keep-alive's) tells nothing: still "unknown". */
static void test_midstream_requests_seen(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_infer_summary su = mid_exec(&l, 72);
    assert_string_equal(su.session_kind, "exec");
    sd_evlist_free(&l);
    su = mid_exec(&l, 36);
    assert_string_equal(su.session_kind, "unknown");
    sd_evlist_free(&l);
}

/* A shell picked up before its session's open (sd_infer_midreq.c), its
 * setup r[0..n) then keys with echoes: no forward event, a shell. */
static void mid_open_shell(const rec *r, size_t n)
{
    static stream s;
    memset(&s, 0, sizeof s);
    add_all(&s, r, n);
    for (int i = 0; i < 6; i++) {
        add(&s, true, 36, 2.0 + 0.3 * i);
        add(&s, false, 36, 2.001 + 0.3 * i);
    }
    stream_midstream = true;
    sd_evlist l = { 0 };
    sd_infer_summary su = infer(&s, &l);
    stream_midstream = false;
    assert_string_equal(su.session_kind, "shell");
    assert_int_equal(count_kind(&l, "forward"), 0);
    sd_evlist_free(&l);
}

/* The open with a global request (112; lab hostcert cut at login+5), its
 * confirmation (44), the pty-req group (376) answered by three packets
 * (108); or a global request (68) before the open, answered (28) while
 * the open waits for its confirmation (lab wan_demo, 200 ms away). The
 * open is the session's, no forward's (integ: a -L forward from the open
 * to the requests). */
static void test_midstream_session_open_no_forward(void **st)
{
    (void)st;
    static const rec joined[] = { { true, 112, 1.0 },    { false, 44, 1.004 }, { true, 376, 1.005 },
                                  { false, 108, 1.006 }, { false, 52, 1.03 } };
    mid_open_shell(joined, sizeof joined / sizeof joined[0]);
    static const rec before[] = { { true, 68, 1.0 },    { true, 112, 1.203 }, { false, 28, 1.203 },
                                  { false, 44, 1.447 }, { true, 376, 1.649 }, { false, 108, 1.653 },
                                  { false, 52, 1.687 } };
    mid_open_shell(before, sizeof before / sizeof before[0]);
}

/* Six client records of size w, each answered by a server record of its
 * size 2 ms later, a second apart, in a session picked up mid-stream. */
static sd_infer_summary mid_pairs(sd_evlist *l, uint32_t w)
{
    static stream s;
    memset(&s, 0, sizeof s);
    for (int i = 0; i < 6; i++) {
        add(&s, true, w, 1.0 + i);
        add(&s, false, w, 1.002 + i);
    }
    stream_midstream = true;
    sd_infer_summary su = infer(&s, l);
    stream_midstream = false;
    return su;
}

/* Nothing but keep-alive-sized records and request/answer pairs: the
 * kind is not told ("unknown"), not guessed as exec. (84: no nested
 * key's size under chacha20-poly1305, test_midstream_carrier's 76.) */
static void test_midstream_unknown(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_infer_summary su = mid_pairs(&l, 84);
    assert_string_equal(su.session_kind, "unknown");
    sd_evlist_free(&l);
}

/* Pairs of a nested key's size (76: a 1-byte CHANNEL_DATA under an inner
 * chacha20-poly1305, carried in the outer one's channel data) answered
 * sooner than the pause before them: a ProxyJump carrier whose channel
 * opened before the capture, its nested leg read (a session of its own)
 * (sdi_mid_carrier). */
static void test_midstream_carrier(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_infer_summary su = mid_pairs(&l, 76);
    assert_string_equal(su.session_kind, "tunnel");
    assert_int_equal(count_kind(&l, "nested_init"), 1);
    assert_int_equal(count_kind(&l, "session"), 2); /* the carrier's and its nested leg's */
    sd_evlist_free(&l);
}

/* A page fetched through a -R channel the server opened at t (lab
 * tunnel_web_R, chacha20-poly1305: the forwarded-tcpip open 92, the
 * client's confirmation 44, the GET 124 from the server's side, the page
 * from the client's, then EOF and CLOSE); answered: the client sends the
 * page, else only control-sized records. */
static void rfetch(stream *s, double t, bool answered)
{
    add(s, false, 92, t);
    add(s, true, 44, t + 0.0002);
    add(s, false, 124, t + 0.0003);
    add(s, true, answered ? 228 : 36, t + 0.002);
    for (int i = 0; answered && i < 30; i++)
        add(s, true, 1448, t + 0.003 + i * 1e-6);
    add(s, true, 36, t + 0.0045);
    add(s, false, 72, t + 0.0049);
    add(s, true, 36, t + 0.0050);
}

/* Picked up mid-stream, -R's tcpip-forward request before the capture:
 * the server's forwarded-tcpip opens after a pause, each confirmed and
 * followed by data both ways, are -R channels (sdi_mid_rfwd): the
 * reverse_provisioned event and one forward per page, mode R, the
 * session -N. The look-alike, a server record of an open's size after a
 * pause answered by a confirmation-sized record but no client data
 * (a shell's output and a key), is none. */
static void test_midstream_rfwd(void **st)
{
    (void)st;
    for (int answered = 1; answered >= 0; answered--) {
        static stream s;
        memset(&s, 0, sizeof s);
        add(&s, false, 36, 1.0); /* a keep-alive and its answer */
        add(&s, true, 36, 1.001);
        rfetch(&s, 2.0, answered);
        rfetch(&s, 4.0, answered);
        sd_evlist l = { 0 };
        stream_midstream = true;
        sd_infer_summary su = infer(&s, &l);
        stream_midstream = false;
        assert_int_equal(su.reverse_provisioned, answered);
        assert_int_equal(count_kind(&l, "reverse_provisioned"), answered);
        assert_int_equal(count_kind(&l, "forward"), answered ? 2 : 0);
        for (size_t k = 0; k < l.n; k++)
            if (!strcmp(l.v[k].kind, "forward"))
                assert_string_equal(sd_ev_get(&l.v[k], "mode")->s, "R");
        if (answered)
            assert_string_equal(su.session_kind, "forward-only");
        sd_evlist_free(&l);
    }
}

/* Picked up mid-stream in a -N session: the tail of a page fetched
 * through a channel opened before the capture (30 segments, the EOF and
 * CLOSE both ways), 1.35 s of silence, two pages through -L channels:
 * the session is -N and the tail a third forward (midstream, no
 * confirm_frame, mode L as the channels after it). The look-alike, sshd's
 * notice after login alone (148 bytes, nothing sent back), is no channel. */
static void test_midstream_inflight(void **st)
{
    (void)st;
    for (int tail = 1; tail >= 0; tail--) {
        static stream s;
        memset(&s, 0, sizeof s);
        if (tail) {
            for (int i = 0; i < 30; i++)
                add(&s, false, 1448, 1.0 + i * 1e-6);
            add(&s, false, 36, 1.0005);
            add(&s, true, 72, 1.006);
            add(&s, false, 36, 1.0062);
        } else {
            add(&s, false, 148, 1.0);
        }
        fetch(&s, 2.4, 30, true);
        fetch(&s, 4.0, 10, true);
        sd_evlist l = { 0 };
        stream_midstream = true;
        sd_infer_summary su = infer(&s, &l);
        stream_midstream = false;
        assert_string_equal(su.session_kind, "forward-only");
        assert_int_equal(count_kind(&l, "forward"), tail ? 3 : 2);
        const sd_event *e = find_kind(&l, "forward");
        assert_int_equal(e->frame, tail ? 1 : 2);
        assert_string_equal(sd_ev_get(e, "mode")->s, "L");
        assert_true((sd_ev_get(e, "confirm_frame") == NULL) == (tail == 1));
        assert_true((sd_ev_get(e, "midstream") != NULL) == (tail == 1));
        sd_evlist_free(&l);
    }
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_forward_beside_shell), cmocka_unit_test(test_forward_needs_data),
        cmocka_unit_test(test_forward_then_command), cmocka_unit_test(test_reverse_answer_with_notice),
        cmocka_unit_test(test_compressed_agent_with_echo), cmocka_unit_test(test_forward_late_close),
        cmocka_unit_test(test_agent_exchange),       cmocka_unit_test(test_agent_lookalike),
        cmocka_unit_test(test_auth_gave_up),         cmocka_unit_test(test_auth_success_needs_session),
        cmocka_unit_test(test_reverse_gave_up),      cmocka_unit_test(test_forward_carried),
        cmocka_unit_test(test_x11_req_alone),        cmocka_unit_test(test_compressed_reverse_login),
        cmocka_unit_test(test_compressed_reverse_not_agent), cmocka_unit_test(test_proxyjump_two),
        cmocka_unit_test(test_x11_open_shares_segment), cmocka_unit_test(test_proxyjump_two_joined),
        cmocka_unit_test(test_proxyjump_success_joined),
        cmocka_unit_test(test_reverse_close_split),
        cmocka_unit_test(test_reverse_shell_output_not_upload),
        cmocka_unit_test(test_reverse_close_joined),
        cmocka_unit_test(test_reverse_password_success_joined),
        cmocka_unit_test(test_window_adjust_tty),
        cmocka_unit_test(test_agent_request_split),
        cmocka_unit_test(test_compressed_reverse_sr_shrunk),
        cmocka_unit_test(test_compressed_reverse_cold_keys),
        cmocka_unit_test(test_compressed_reverse_offset_backspace),
        cmocka_unit_test(test_compressed_reverse_cold_insert),
        cmocka_unit_test(test_compressed_reverse_cold_plain_answer),
        cmocka_unit_test(test_compressed_reverse_sr_joined_shrunk),
        cmocka_unit_test(test_compressed_agent_late_confirm),
        cmocka_unit_test(test_x11_keys_after_client),
        cmocka_unit_test(test_forward_after_key),
        cmocka_unit_test(test_forward_client_close_late),
        cmocka_unit_test(test_forward_open_with_key), cmocka_unit_test(test_forward_open_with_key_late),
        cmocka_unit_test(test_midstream_sftp_upload), cmocka_unit_test(test_midstream_unknown), cmocka_unit_test(test_midstream_carrier),
        cmocka_unit_test(test_midstream_rfwd), cmocka_unit_test(test_midstream_inflight),
        cmocka_unit_test(test_midstream_sftp_two_answers),
        cmocka_unit_test(test_midstream_requests_seen),
        cmocka_unit_test(test_midstream_session_open_no_forward),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
