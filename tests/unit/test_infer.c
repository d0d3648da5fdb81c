/* Unit tests for the SSH inference sizing rules (src/ssh/sd_infer*.c) per
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
#include "ssh/sd_infer_int.h"
#include "test_events.h"

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

typedef struct step {
    bool c;
    uint32_t len;
    double t;
} step;

/* Whether the synthetic connection ended with a FIN (run_stream), from
 * which side first (0 client, 1 server), and when it ended (s; 0: at its
 * last record). */
static bool stream_closed;
static int stream_fin_dir;
static double stream_end_s;
/* The TCP handshake's SYN-ACK to ACK (s; 0: unknown): a capture on the
 * server's side of a link with this round trip to the client. */
static double stream_client_rtt_s;
/* The SYN to SYN-ACK (s; 0: unknown): a capture on the client's side of a
 * link with this round trip to the server. */
static double stream_server_rtt_s;
/* Both sides' software (NULL: OpenSSH 9.2). */
static char *stream_sw;
/* The suite both ways (NULL: chacha20-poly1305). */
static const char *stream_cipher, *stream_mac;
/* Each record is one whole packet (a length-in-clear suite's reading). */
/* Records whose lengths were read (GCM, -etm: one record each). */
static bool stream_exact;
/* When set, the name-lists of each side's first KEXINIT (run_stream):
 * [0] client, [1] server, total list bytes. */
static uint32_t kexinit_lists[2];

/* Ten name-lists of total bytes (the first takes the rest). */
static void set_lists(sd_ssh_side *sd, uint32_t total, char *buf)
{
    memset(buf, 'a', total);
    sd->kexinit_seen = true;
    uint32_t first = total - (SD_SSH_NL_COUNT - 1);
    for (int i = 0, o = 0; i < SD_SSH_NL_COUNT; i++) {
        uint32_t len = i ? 1 : first;
        sd->lists[i] = buf + o;
        buf[o + (int)len] = '\0';
        o += (int)len + 1;
    }
}

/* Runs sd_infer_ssh over a synthetic chacha record stream (OpenSSH 9.2
 * both sides) and returns its summary; events go to *l. */
static sd_infer_summary run_stream(const step *seq, size_t n, sd_evlist *l)
{
    static sd_ssh_meta m;
    static sd_conn c;
    static sd_ssh_record rec[256];
    memset(&m, 0, sizeof m);
    memset(&c, 0, sizeof c);
    snprintf(c.uid, sizeof c.uid, "Ctest");
    c.fin_seen[stream_fin_dir] = stream_closed;
    c.first_fin_dir = stream_closed ? stream_fin_dir : -1;
    c.first_rst_dir = -1;
    c.end = (sd_ts)((stream_end_s ? stream_end_s : seq[n - 1].t) * 1e9);
    c.rtt_synack_ack = stream_client_rtt_s > 0 ? (int64_t)(stream_client_rtt_s * 1e9) : -1;
    c.rtt_syn_synack = stream_server_rtt_s > 0 ? (int64_t)(stream_server_rtt_s * 1e9) : -1;
    m.client_dir = 0;
    m.outcome = SD_SSH_OUT_ENCRYPTED;
    m.side[0].suite = m.side[1].suite =
        stream_cipher ? suite(stream_cipher, stream_mac) : suite("chacha20-poly1305@openssh.com", NULL);
    static char sw92[] = "OpenSSH_9.2p1";
    m.side[0].software = m.side[1].software = stream_sw ? stream_sw : sw92;
    static char lbuf[2][2048];
    for (int d = 0; d < 2; d++)
        if (kexinit_lists[d] && kexinit_lists[d] < sizeof lbuf[d] - SD_SSH_NL_COUNT)
            set_lists(&m.side[d], kexinit_lists[d], lbuf[d]);
    assert_true(n <= sizeof rec / sizeof rec[0]);
    for (size_t i = 0; i < n; i++)
        rec[i] = (sd_ssh_record){ .dir = seq[i].c ? 0 : 1, .from_client = seq[i].c, .wire_len = seq[i].len,
                                  .frame = i + 10, .ts = (sd_ts)(seq[i].t * 1e9), .exact = stream_exact };
    sd_sshconn_result r = { .conn = &c, .meta = &m, .rec = rec, .nrec = n };
    sd_infer_opts o = { .keystrokes = true };
    sd_infer_summary su;
    sd_infer_ssh(&o, &r, l, &su);
    return su;
}

/* A synthetic chacha session: SERVICE_REQUEST, none probe, one typed
 * password accepted, then "l" and Enter. */
static void test_stream(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 52, 1.03 },
        { true, 84, 4.00 }, { false, 28, 4.10 },                         /* 1-7 char password, ok */
        { true, 112, 4.11 }, { false, 44, 4.15 }, { true, 376, 4.16 }, { false, 36, 4.2 }, /* open, pty */
        { true, 36, 6.00 }, { false, 36, 6.001 },                        /* "l" echoed */
        { true, 36, 6.30 }, { false, 36, 6.302 }, { false, 100, 6.31 }, /* Enter: output */
    };
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, sizeof seq / sizeof seq[0], &l);
    assert_int_equal(su.auth_success, 1);
    assert_int_equal(su.auth_attempts, 1);
    assert_string_equal(su.auth_method, "password");
    assert_string_equal(su.session_kind, "shell");
    assert_false(su.agent_forwarding);
    assert_null(find_kind(&l, "agent_forwarding"));
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

/* OpenSSH's session requests in one chacha / encrypt-and-MAC segment: pty-req
 * (TERM=xterm) + shell is 376 / 416 bytes (lab pubkey_chacha frame 34,
 * interactive_aes256ctr-sha256 frame 36); with -A the 68 / 80-byte
 * auth-agent-req rides along (lab agent_unused frame 36: 444). */
static void test_request_split(void **st)
{
    (void)st;
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL), eam = suite("aes256-ctr", "hmac-sha2-256");
    assert_int_equal(sd_infer_split_requests(&ch, 376, true, false, 15), 0);
    assert_int_equal(sd_infer_split_requests(&ch, 444, true, false, 15), 2);
    assert_int_equal(sd_infer_split_requests(&ch, 376 + 108, true, false, 15), 1);       /* x11-req */
    assert_int_equal(sd_infer_split_requests(&ch, 376 + 108 + 68, true, false, 15), 3);
    assert_int_equal(sd_infer_split_requests(&eam, 416, true, false, 15), 0);
    assert_int_equal(sd_infer_split_requests(&eam, 416 + 80, true, false, 15), 2);
    /* the sftp subsystem request alone (lab sftp_session frame 35) and with -A */
    assert_int_equal(sd_infer_split_requests(&ch, 52, false, false, 27), 0);
    assert_int_equal(sd_infer_split_requests(&ch, 52 + 68, false, false, 27), 2);
    /* no reading: sizes that no combination gives */
    assert_int_equal(sd_infer_split_requests(&ch, 420, true, false, 15), -1);
    assert_int_equal(sd_infer_split_requests(&ch, 60, false, false, 27), -1);
}

/* The same groups from clients with SendEnv LANG LC_* (Debian's ssh_config):
 * env requests (payload 21 + name + value) stand between the pty-req and the
 * final request. LANG=C.UTF-8 and LC_ALL=C are 60 bytes each under chacha,
 * so sftp -b sends 60 + 60 + 52 (lab sendenv_sftp_chacha); LANG=en_US.UTF-8
 * (payload 36) is exactly an auth-agent-req: 68 bytes under chacha, 80 under
 * aes256-ctr + hmac-sha2-256 (lab sendenv_shell_chacha). */
static void test_request_split_env(void **st)
{
    (void)st;
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL), eam = suite("aes256-ctr", "hmac-sha2-256");
    /* sftp behind two env requests: a reading exists with env, none without */
    assert_int_equal(sd_infer_request_fits(&ch, 172, false, false, 27), 0);
    assert_true(sd_infer_request_fits(&ch, 172, false, true, 27) & 1u);
    /* an env request of an agent request's size: both readings fit, no decision */
    assert_int_equal(sd_infer_request_fits(&ch, 444, true, true, 15), 1u | 4u);
    assert_int_equal(sd_infer_split_requests(&ch, 444, true, true, 15), -1);
    assert_int_equal(sd_infer_split_requests(&eam, 416 + 80, true, true, 15), -1);
    assert_int_equal(sd_infer_split_requests(&ch, 52 + 68, false, true, 27), -1);
    /* without env requests the group still reads alone */
    assert_int_equal(sd_infer_split_requests(&ch, 376, true, true, 15), 0);
    assert_int_equal(sd_infer_split_requests(&ch, 52, false, true, 27), 0);
    /* LANG and 15 LC_* variables (60 bytes each) before the subsystem; beyond
     * ENV_MAX requests of the largest size nothing fits */
    assert_true(sd_infer_request_fits(&ch, 52 + 16 * 60, false, true, 27) & 1u);
    assert_int_equal(sd_infer_request_fits(&ch, 52 + 17 * 148, false, true, 27), 0);
    /* smaller than the final request, or not on the suite's grid: not a group */
    assert_int_equal(sd_infer_request_fits(&ch, 40, false, true, 27), 0);
    assert_int_equal(sd_infer_request_fits(&ch, 52 + 54, false, true, 27), 0);
}

static const step login[] = {
    { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 52, 1.03 },
    { true, 140, 1.04 }, { false, 100, 1.05 }, { true, 308, 1.06 }, { false, 28, 1.07 }, /* public key, ok */
};
#define NLOGIN (sizeof login / sizeof login[0])

/* seq = the login, then rest (nrest steps); returns the number of steps. */
static size_t after_login(step *seq, const step *rest, size_t nrest)
{
    memcpy(seq, login, sizeof login);
    memcpy(seq + NLOGIN, rest, nrest * sizeof *rest);
    return NLOGIN + nrest;
}

/* -A with the agent never used, in one chacha segment (as lab
 * agent_unused): pty-req + auth-agent-req + shell, 444 bytes. An env request
 * of LANG=en_US.UTF-8 (SendEnv LANG LC_*, lab sendenv_shell_chacha) has the
 * auth-agent-req's size, so the size model cannot tell them: no
 * agent_forwarding event, nothing in the summary. */
static void test_agent_requested(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 444, 1.151 }, { false, 108, 1.16 },
        { false, 52, 1.2 }, { true, 36, 2.0 }, { false, 36, 2.001 }, { true, 36, 2.3 }, { false, 36, 2.301 },
    };
    step seq[32];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "shell");
    assert_false(su.agent_forwarding);
    assert_false(su.agent_used);
    assert_null(find_kind(&l, "agent_forwarding"));
    assert_null(find_kind(&l, "x11_forwarding"));
    sd_evlist_free(&l);
}

/* -A, the agent used, captured on the server's side of a 500 ms link
 * (lab sat_agent_used frames 66-78, times shifted): sshd's agent open
 * leaves in one segment with the echo of Enter (36 + 68 = 104 bytes), so
 * no record has the open's size; the client's confirmation, its
 * identities answer and its CLOSE each come a round trip later. The agent
 * is used and the confirmation is no arrow. A server record of that sum
 * not followed by an agent exchange is no agent. */
static void test_agent_open_with_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.08 }, { false, 820, 1.0801 }, { false, 44, 1.5865 }, { true, 444, 2.0871 },
        { false, 108, 2.0886 }, { false, 52, 2.0899 },
        { true, 36, 3.6076 }, { false, 36, 3.6078 }, { true, 36, 3.8192 }, { false, 36, 3.8196 },
        { true, 36, 4.1843 }, { false, 104, 4.1876 }, { true, 44, 4.6922 }, { false, 44, 4.6924 },
        { true, 124, 5.1930 }, { false, 160, 5.1941 }, { false, 52, 5.1951 }, { true, 72, 5.6948 },
        { false, 36, 5.6950 }, { true, 36, 6.6539 }, { false, 36, 6.6541 }, { true, 36, 6.8870 },
        { false, 36, 6.8872 },
    };
    step seq[48];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    stream_client_rtt_s = 0.500;
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_true(su.agent_used);
    assert_non_null(find_kind(&l, "agent_forwarding"));
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_string_not_equal(sd_ev_get(&l.v[i], "key")->s, "arrow");
    sd_evlist_free(&l);
    /* the same sum, then keys: output, not an open */
    static const step plain[] = {
        { true, 112, 1.08 }, { false, 820, 1.0801 }, { false, 44, 1.5865 }, { true, 444, 2.0871 },
        { false, 108, 2.0886 }, { false, 52, 2.0899 },
        { true, 36, 3.6076 }, { false, 36, 3.6078 }, { true, 36, 3.8192 }, { false, 104, 3.8225 },
        { true, 36, 4.4 }, { false, 36, 4.4002 }, { true, 36, 4.7 }, { false, 36, 4.7002 },
    };
    n = after_login(seq, plain, sizeof plain / sizeof plain[0]);
    su = run_stream(seq, n, &l);
    stream_client_rtt_s = 0;
    assert_false(su.agent_used);
    sd_evlist_free(&l);
}

/* -A, the agent used (ssh-add -l), captured on the server's side of a
 * 60 ms link (lab srv_agent_used, frames 69-80, times shifted): the
 * server's agent open comes 5 ms after the echo of Enter, the client's
 * confirmation, its identities answer (124 bytes, a paste's size) and its
 * CLOSE each a round trip after what they answer. Read from the server's
 * side "at once" is within the client's lag (the handshake's SYN-ACK to
 * ACK): the agent is used and its answers are no keys. Without the lag the
 * 60 ms close reads as a person's and the answer as a pasted line. */
static void test_agent_used_server_side(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.08 }, { false, 820, 1.0801 }, { false, 44, 1.1865 }, { true, 444, 1.2471 },
        { false, 108, 1.2486 }, { false, 52, 1.2699 },
        { true, 36, 3.6076 }, { false, 36, 3.6078 }, { true, 36, 3.8192 }, { false, 36, 3.8196 },
        { true, 36, 4.2075 }, { false, 36, 4.2077 }, { true, 36, 4.5724 }, { false, 36, 4.5749 },
        { false, 68, 4.5794 }, { true, 44, 4.6411 }, { false, 44, 4.6413 }, { true, 124, 4.7018 },
        { false, 160, 4.7027 }, { false, 52, 4.7029 }, { true, 72, 4.7632 }, { false, 36, 4.7636 },
        { true, 36, 5.7197 }, { false, 36, 5.7207 }, { true, 36, 5.9626 }, { false, 36, 5.9639 },
    };
    step seq[48];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    stream_client_rtt_s = 0.060;
    sd_infer_summary su = run_stream(seq, n, &l);
    stream_client_rtt_s = 0;
    assert_true(su.agent_used);
    assert_non_null(find_kind(&l, "agent_forwarding"));
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_true(l.v[i].frame < 10 + NLOGIN + 14 || l.v[i].frame > 10 + NLOGIN + 21);
    sd_evlist_free(&l);
    /* at the client's side, the client's confirmation 37 ms after the open
     * (a loaded host, lab offc_agent_used frames 68-77): still no key */
    static const step late[] = {
        { true, 112, 1.08 }, { false, 820, 1.0801 }, { false, 44, 1.0865 }, { true, 444, 1.0871 },
        { false, 108, 1.0886 }, { false, 52, 1.0899 },
        { true, 36, 3.2213 }, { false, 36, 3.2215 }, { true, 36, 3.6379 }, { false, 36, 3.6676 },
        { false, 68, 3.6697 }, { true, 44, 3.7072 }, { false, 44, 3.7074 }, { true, 124, 3.7588 },
        { false, 176, 3.7599 }, { true, 72, 3.7600 }, { false, 36, 3.7601 },
        { true, 36, 4.7166 }, { false, 36, 4.7167 }, { true, 36, 4.9517 }, { false, 36, 4.9519 },
    };
    n = after_login(seq, late, sizeof late / sizeof late[0]);
    su = run_stream(seq, n, &l);
    assert_true(su.agent_used);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_int_not_equal(l.v[i].frame, 10 + NLOGIN + 11);
    sd_evlist_free(&l);
    /* server's side again, a loaded client (lab srv_agent_used seed +6000,
     * frames 30-89, times shifted): its confirmation 156 ms after the open
     * and its EOF and CLOSE (72) 104 ms after sshd's, 36 ms past the round
     * trip: still the exchange's end, its confirmation (44, an arrow's size)
     * and identities answer (124) no keys */
    static const step slow[] = {
        { true, 112, 1.0800 }, { false, 820, 1.0800 }, { false, 44, 1.1888 }, { true, 444, 1.2510 },
        { false, 108, 1.2524 }, { false, 52, 1.2608 }, { true, 36, 2.4917 }, { false, 36, 2.4978 },
        { true, 36, 2.6869 }, { false, 36, 2.6872 }, { true, 36, 2.9002 }, { false, 36, 2.9005 },
        { true, 36, 3.2163 }, { false, 36, 3.2166 }, { true, 36, 3.5524 }, { false, 36, 3.6027 },
        { true, 36, 3.7768 }, { false, 36, 3.8191 }, { true, 36, 3.9586 }, { false, 36, 3.9589 },
        { true, 36, 4.1640 }, { false, 36, 4.1642 }, { true, 36, 4.4398 }, { false, 36, 4.4400 },
        { true, 36, 4.7175 }, { false, 36, 4.7179 }, { true, 36, 5.1823 }, { false, 36, 5.2510 },
        { false, 68, 5.2634 }, { true, 44, 5.4199 }, { false, 44, 5.4200 }, { true, 124, 5.4827 },
        { false, 160, 5.4832 }, { false, 52, 5.4912 }, { true, 72, 5.5958 }, { false, 36, 5.5963 },
        { true, 36, 6.5559 }, { false, 36, 6.5586 }, { true, 36, 6.7084 }, { false, 36, 6.7087 },
    };
    step seq2[NLOGIN + sizeof slow / sizeof slow[0]];
    n = after_login(seq2, slow, sizeof slow / sizeof slow[0]);
    stream_client_rtt_s = 0.068;
    su = run_stream(seq2, n, &l);
    stream_client_rtt_s = 0;
    assert_true(su.agent_used);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_true(l.v[i].frame < 10 + NLOGIN + 29 || l.v[i].frame > 10 + NLOGIN + 34);
    sd_evlist_free(&l);
}
/* After the login: the session's open, the sftp subsystem, SSH_FXP_INIT /
 * VERSION and scp's first request (lab scp_upload). */
static const step sftp_session[] = {
    { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 52, 1.151 }, { false, 72, 1.16 },
    { true, 44, 1.161 }, { false, 356, 1.2 }, { true, 68, 1.201 }, { false, 76, 1.202 },
};
#define NSFTP (sizeof sftp_session / sizeof sftp_session[0])

/* ssh -R with a shell, captured on the server's side of a 60 ms link (lab
 * srv_reverse_keys frames 32-41, times shifted): the tcpip-forward
 * request, the session's open and its pty-req each answer the server a
 * round trip later than at the client, the pty-req 0.3004 s after the
 * success. With the client's lag it is a shell with -R, not -N. */
static void test_rfwd_shell_server_side(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 68, 1.1349 },  { false, 820, 1.135 }, { true, 112, 1.2074 }, { false, 28, 1.2075 },
        { false, 44, 1.3091 }, { true, 376, 1.3704 }, { false, 108, 1.3714 }, { false, 52, 1.4098 },
        { true, 36, 3.0 },     { false, 36, 3.0002 }, { true, 36, 3.3 },     { false, 36, 3.3002 },
        { true, 36, 3.6 },     { false, 36, 3.6002 }, { true, 36, 4.0 },     { false, 60, 4.0003 },
    };
    step seq[32];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    stream_client_rtt_s = 0.060;
    sd_infer_summary su = run_stream(seq, n, &l);
    stream_client_rtt_s = 0;
    assert_string_equal(su.session_kind, "shell");
    assert_true(su.reverse_provisioned);
    assert_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
    /* over 200 ms with the server's confirmation 245 ms after the open (lab
     * wan_reverse_keys frames 32-39): the pty-req 0.85 s after the success */
    static const step wan[] = {
        { true, 68, 1.274 },   { false, 820, 1.2741 }, { true, 112, 1.4747 }, { false, 28, 1.4748 },
        { false, 44, 1.7203 }, { true, 376, 1.9219 },  { false, 108, 1.9294 }, { false, 52, 1.9487 },
        { true, 36, 3.0 },     { false, 36, 3.0002 },  { true, 36, 3.3 },     { false, 36, 3.3002 },
        { true, 36, 3.6 },     { false, 36, 3.6002 },  { true, 36, 4.0 },     { false, 60, 4.0003 },
    };
    n = after_login(seq, wan, sizeof wan / sizeof wan[0]);
    stream_client_rtt_s = 0.200;
    su = run_stream(seq, n, &l);
    stream_client_rtt_s = 0;
    assert_string_equal(su.session_kind, "shell");
    assert_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
    /* on the client's side of a 220 ms link (lab wanc220_demo frames
     * 37-49): the open leaves after the server's hostkeys, its
     * confirmation comes two round trips later, the pty-req 0.743 s after
     * the success: the server's answers are the late ones there */
    static const step wanc[] = {
        { true, 68, 1.0701 },  { false, 820, 1.29 },   { true, 112, 1.33 },  { false, 28, 1.55 },
        { false, 44, 1.813 },  { true, 376, 1.8132 },  { false, 108, 2.034 }, { false, 52, 2.037 },
        { true, 36, 3.0 },     { false, 36, 3.22 },    { true, 36, 3.5 },     { false, 36, 3.72 },
        { true, 36, 4.0 },     { false, 36, 4.22 },    { true, 36, 4.5 },     { false, 60, 4.72 },
    };
    n = after_login(seq, wanc, sizeof wanc / sizeof wanc[0]);
    stream_server_rtt_s = 0.220;
    su = run_stream(seq, n, &l);
    stream_server_rtt_s = 0;
    assert_string_equal(su.session_kind, "shell");
    assert_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
}

/* sshpass over a 500 ms path, captured at the server (lab sat_sshpass):
 * the password request comes 0.52 s after the none probe's failure, the
 * client's lag and 20 ms: a program's answer, not a person's pause. */
static void test_password_automated_server_side(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 44, 1.00 },  { false, 44, 1.01 }, { true, 68, 1.52 }, { false, 52, 1.53 },
        { true, 84, 2.05 },  { false, 28, 2.06 }, { true, 112, 2.58 }, { false, 820, 2.581 },
        { false, 44, 2.60 }, { true, 120, 3.12 }, { false, 108, 3.13 }, { false, 200, 3.14 },
    };
    sd_evlist l = { 0 };
    stream_client_rtt_s = 0.5;
    run_stream(seq, sizeof seq / sizeof seq[0], &l);
    stream_client_rtt_s = 0;
    const sd_event *e = NULL;
    for (size_t i = 0; i < l.n && !e; i++)
        if (!strcmp(l.v[i].kind, "auth_attempt") && !strcmp(sd_ev_get(&l.v[i], "method")->s, "password"))
            e = &l.v[i];
    assert_non_null(e);
    assert_true(sd_ev_get(e, "automated")->b);
    sd_evlist_free(&l);
}

/* ssh -N sends no-more-sessions@openssh.com once: one record of its size
 * after login and nothing else is -N; two (a client whose channel open and
 * exec request have its size, lab sat_paramiko_exec_password) are not. */
static void test_no_more_sessions_once(void **st)
{
    (void)st;
    sd_ssh_suite ch = suite("chacha20-poly1305@openssh.com", NULL);
    uint32_t w = sd_ssh_wire_size(&ch, P_NO_MORE_SESSIONS);
    const step two[] = { { true, w, 1.10 }, { false, 820, 1.101 }, { false, 44, 1.15 }, { true, w, 1.20 },
                         { false, 108, 1.21 }, { false, 200, 1.25 } };
    const step one[] = { { true, w, 1.10 }, { false, 820, 1.101 }, { true, 36, 9.0 }, { false, 36, 9.001 } };
    step seq[32];
    size_t n = after_login(seq, two, sizeof two / sizeof two[0]);
    sd_evlist l = { 0 };
    run_stream(seq, n, &l);
    assert_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
    n = after_login(seq, one, sizeof one / sizeof one[0]);
    run_stream(seq, n, &l);
    assert_non_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
}

/* Nine keys typed fast, 30-45 ms apart, each echoed at once (lab
 * srv_bash_fast frames 62-86, a fast typist's run): key-sized client
 * records within CHAFF_GAP_S of each other, but not a tick (20 ms) apart
 * as an ObscureKeystrokeTiming train is: keys, no chaff. The same run on
 * the 20 ms grid is a train (its first record the key that started it). */
static void test_fast_keys_not_chaff(void **st)
{
    (void)st;
    static const step shell[] = { { true, 112, 1.08 }, { false, 44, 1.10 }, { true, 376, 1.11 }, { false, 36, 1.15 } };
    static const double gap[2][9] = { { 0, 0.060, 0.035, 0.045, 0.030, 0.042, 0.040, 0.039, 0.044 },
                                      { 0, 0.020, 0.021, 0.019, 0.020, 0.022, 0.020, 0.018, 0.021 } };
    for (int g = 0; g < 2; g++) {
        step seq[64];
        size_t n = after_login(seq, shell, sizeof shell / sizeof shell[0]);
        double t = 3.0;
        for (int k = 0; k < 9; k++) {
            t += gap[g][k];
            seq[n++] = (step){ true, 36, t };
            seq[n++] = (step){ false, 36, t + 0.0002 };
        }
        seq[n++] = (step){ true, 36, t + 0.5 };
        seq[n++] = (step){ false, 60, t + 0.5003 };
        sd_evlist l = { 0 };
        run_stream(seq, n, &l);
        if (g == 0) {
            assert_null(find_kind(&l, "chaff"));
            assert_int_equal(count_kind(&l, "keystroke"), 10);
        } else {
            assert_non_null(find_kind(&l, "chaff"));
        }
        sd_evlist_free(&l);
    }
}

/* The sftp subsystem, then SSH_FXP_INIT / VERSION and an upload sent with
 * no pause (OpenSSH's scp, SFTP protocol: lab scp_upload). */
static void test_sftp_upload(void **st)
{
    (void)st;
    step seq[96];
    size_t n = after_login(seq, sftp_session, NSFTP);
    for (int i = 0; i < 40; i++)
        seq[n++] = (step){ true, 1448, 1.21 + i * 0.0001 };
    seq[n++] = (step){ false, 52, 1.3 };
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "sftp");
    assert_false(su.agent_forwarding);
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "upload");
    assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
    assert_string_equal(sd_ev_get(e, "protocol")->s, "sftp");
    /* the same with a person's pause before the upload: sftp's prompt */
    for (size_t i = NLOGIN + NSFTP; i < n; i++)
        seq[i].t += 5.0;
    sd_evlist_free(&l);
    su = run_stream(seq, n, &l);
    e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "tool")->s, "sftp");
    sd_evlist_free(&l);
}

/* A script driving ssh in a pty (lab scripted_pty_chacha): pty-req and
 * shell in one 376-byte segment (a total that also fits the sftp
 * subsystem with env requests), the answers (108: three control
 * packets), bash's prompt (52), then the first line, `id` and Enter (3
 * bytes: SSH_FXP_INIT's 44 bytes), 0.3 s later, answered by its echo and
 * output (92). The prompt came first: a shell, not sftp. Without it (the
 * client's 44 right after the answers) the same sizes are sftp. */
static void test_scripted_pty_not_sftp(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.08 },  { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 376, 1.151 },
        { false, 108, 1.16 }, { false, 52, 1.18 },  { true, 44, 1.49 },   { false, 92, 1.491 },
        { false, 52, 1.493 }, { true, 44, 2.06 },   { false, 44, 2.061 }, { false, 52, 2.062 },
    };
    step seq[32];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "shell");
    sd_evlist_free(&l);
    /* the look-alike: no prompt before the client's INIT-sized record */
    size_t p = NLOGIN + 5;
    memmove(&seq[p], &seq[p + 1], (n - p - 1) * sizeof seq[0]);
    n--;
    seq[p].t = 1.161;
    su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "sftp");
    sd_evlist_free(&l);
}

/* The sftp session of test_sftp_upload, then scp -r's download of a tree
 * (lab scp_tree_down frames 49-100, chacha): OPENDIR, READDIR answered by
 * a 4732-byte NAME listing, READDIR (EOF), CLOSE, then per file OPEN (84),
 * HANDLE, READ (68) and the DATA of a 4708-byte record, READ (EOF), CLOSE.
 * The listing is not a file's bytes; alone (a large ls) it is no transfer. */
static size_t tree_download(step *seq, bool files)
{
    static const step listing[] = {
        { true, 84, 1.21 },    { false, 52, 1.211 },   { true, 52, 1.212 }, { false, 1448, 1.213 },
        { false, 1448, 1.213 }, { false, 1448, 1.213 }, { false, 388, 1.213 }, { true, 52, 1.214 },
        { false, 68, 1.215 },  { true, 52, 1.216 },    { false, 68, 1.217 },
    };
    size_t n = after_login(seq, sftp_session, NSFTP);
    for (size_t i = 0; i < sizeof listing / sizeof listing[0]; i++)
        seq[n++] = listing[i];
    /* a large listing alone: two directories' worth */
    if (!files) {
        for (int k = 0; k < 6; k++) {
            double t = 1.22 + k * 0.01;
            seq[n++] = (step){ true, 52, t };
            for (int j = 0; j < 4; j++)
                seq[n++] = (step){ false, j < 3 ? 1448 : 388, t + 0.001 };
        }
        seq[n++] = (step){ true, 52, 1.3 };
        seq[n++] = (step){ false, 68, 1.301 };
        return n;
    }
    for (int f = 0; f < 7; f++) {
        double t = 1.22 + f * 0.002;
        static const step file[] = { { true, 84, 0 },    { false, 52, 0 },   { true, 68, 0 },
                                     { false, 1448, 0 }, { false, 1448, 0 }, { false, 1448, 0 },
                                     { false, 364, 0 },  { true, 68, 0 },    { false, 68, 0 },
                                     { true, 52, 0 },    { false, 68, 0 } };
        for (size_t i = 0; i < sizeof file / sizeof file[0]; i++)
            seq[n++] = (step){ file[i].c, file[i].len, t + i * 0.0001 };
    }
    return n;
}

/* The stream's first transfer, a download in a session of the kind. */
static const sd_event *download(const step *seq, size_t n, sd_evlist *l, const char *kind)
{
    sd_infer_summary su = run_stream(seq, n, l);
    assert_string_equal(su.session_kind, kind);
    const sd_event *e = find_kind(l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "download");
    return e;
}

static void test_sftp_tree_download_listing(void **st)
{
    (void)st;
    step seq[128];
    size_t n = tree_download(seq, true);
    assert_true(n <= sizeof seq / sizeof seq[0]);
    sd_evlist l = { 0 };
    const sd_event *e = download(seq, n, &l, "sftp");
    /* 7 x 4708 bytes of DATA records less each packet's framing (about 37
     * bytes) and DATA header (13): 32956 - 7 x 50 (the 4732-byte listing
     * counted gave 37400) */
    int64_t by = sd_ev_get(e, "bytes")->i;
    assert_true(by >= 32956 - 7 * 56 && by <= 32956 - 7 * 44);
    sd_evlist_free(&l);
    n = tree_download(seq, false);
    assert_true(n <= sizeof seq / sizeof seq[0]);
    run_stream(seq, n, &l);
    assert_null(find_kind(&l, "transfer"));
    sd_evlist_free(&l);
}

/* ControlMaster (lab mux_xfer, chacha): a shell with a pty, a command,
 * then scp through the master's socket: a second session channel opened
 * (52), confirmed (44), its sftp subsystem request (52) answered (72),
 * SSH_FXP_INIT (44) and VERSION (356), scp's requests, its OPEN and
 * READ, then 196608 bytes of DATA (6 chunks: 22 segments of 1448 and
 * one of 948 each) and the channel's close, whose client records have a
 * key's size (36) and an echo's answer. In a shell the server's bulk is
 * a command's output; this one is the second channel's download, and the
 * close is no key. A paste of the open's size answered by an echo of the
 * confirmation's, with no requests after them, stays the shell's. */
static size_t mux_download(step *seq, bool requests)
{
    static const step shell[] = { { true, 112, 1.08 }, { false, 44, 1.10 }, { true, 376, 1.11 }, { false, 36, 1.15 } };
    static const step chan[] = {
        { true, 52, 4.1313 },  { false, 44, 4.1319 }, { true, 52, 4.1322 }, { false, 72, 4.1330 },
        { true, 44, 4.1332 },  { false, 356, 4.1411 }, { true, 68, 4.1413 }, { false, 76, 4.1416 },
        { true, 68, 4.1570 },  { false, 52, 4.1571 }, { true, 68, 4.1572 },
    };
    size_t n = after_login(seq, shell, sizeof shell / sizeof shell[0]);
    double t = 3.0;
    for (int k = 0; k < 4; k++, t += 0.25) { /* `pwd` and Enter */
        seq[n++] = (step){ true, 36, t };
        seq[n++] = (step){ false, k < 3 ? 36 : 92, t + 0.0003 };
    }
    for (size_t i = 0; i < sizeof chan / sizeof chan[0]; i++)
        seq[n++] = chan[i];
    if (!requests) { /* the open and confirmation only: a paste and its echo */
        n -= sizeof chan / sizeof chan[0] - 2;
        seq[n++] = (step){ true, 36, 4.4 };
        seq[n++] = (step){ false, 36, 4.4003 };
    }
    t = 4.158;
    for (int c = 0; c < 6; c++)
        for (int k = 0; k < 23; k++, t += 0.00001)
            seq[n++] = (step){ false, k < 22 ? 1448 : 948, t };
    static const step close[] = {
        { true, 36, 0 }, { true, 68, 0.0016 }, { false, 68, 0.0018 }, { true, 52, 0.0021 },
        { false, 68, 0.0022 }, { true, 36, 0.0023 }, { false, 36, 0.0027 }, { true, 36, 0.0028 }, { false, 88, 0.003 },
    };
    for (size_t i = 0; i < sizeof close / sizeof close[0]; i++)
        seq[n++] = (step){ close[i].c, close[i].len, t + 0.0004 + close[i].t };
    return n;
}

static void test_mux_sftp_download(void **st)
{
    (void)st;
    step seq[256];
    size_t n = mux_download(seq, true);
    assert_true(n <= sizeof seq / sizeof seq[0]);
    sd_evlist l = { 0 };
    const sd_event *e = download(seq, n, &l, "shell");
    assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
    assert_string_equal(sd_ev_get(e, "protocol")->s, "sftp");
    int64_t by = sd_ev_get(e, "bytes")->i;
    assert_true(by >= 196608 - 100 && by <= 196608 + 100);
    /* the four keys of `pwd` and Enter, none of the channel's records */
    assert_int_equal(count_kind(&l, "keystroke"), 4);
    sd_evlist_free(&l);
    n = mux_download(seq, false);
    run_stream(seq, n, &l);
    assert_null(find_kind(&l, "transfer"));
    sd_evlist_free(&l);
}

/* lab mux_xfer's fresh run at +8200 (chacha, frames 65-84): scp up and
 * down at once through the master next to the shell, the second channel
 * opened right after the first's INIT: its confirmation (44) in one
 * 400-byte segment with the first's VERSION (356), then its subsystem
 * request (52, REALPATH "."'s size), the first's LIMITS request (68), the
 * second's answers (72) and INIT (44), the first's STAT (60); the upload
 * (here 3 WRITE chunks of its 8), the download (4 DATA chunks of its 12),
 * each channel's close.
 * Both transfers scp's: the second's subsystem request is no REALPATH "."
 * of the first (read so, both were sftp's). With the two channels' records
 * apart (the confirmation alone) it read right already. */
/* steps appended to seq[n...] at t plus each one's time */
static size_t steps_at(step *seq, size_t n, const step *add, size_t nadd, double t)
{
    for (size_t i = 0; i < nadd; i++)
        seq[n++] = (step){ add[i].c, add[i].len, t + add[i].t };
    return n;
}

/* count 32 KiB chunks one way (22 segments of 1448 and one of 948 each)
 * from *t on, 10 us apart; an ack of the other way's after the third */
static size_t chunks_at(step *seq, size_t n, bool c, int count, double *t)
{
    for (int k = 0; k < count * 23; k++, *t += 0.00001) {
        seq[n++] = (step){ c, k % 23 < 22 ? 1448 : 948, *t };
        if (k == 3 * 23 - 1)
            seq[n++] = (step){ !c, 36, *t + 0.00005 };
    }
    return n;
}

static size_t mux_shared_confirm(step *seq, bool shared)
{
    static const step shell[] = { { true, 112, 1.08 }, { false, 44, 1.10 }, { true, 376, 1.11 }, { false, 36, 1.15 } };
    static const step setup[] = {
        { true, 52, 4.4629 },  { false, 44, 4.4631 }, { true, 52, 4.4631 }, { false, 72, 4.4637 },
        { true, 44, 4.4638 },  { true, 52, 4.4792 },  { false, 400, 4.4795 }, { true, 52, 4.4796 },
        { true, 68, 4.4797 },  { false, 72, 4.4802 }, { true, 44, 4.4803 },  { false, 76, 4.4805 },
        { true, 60, 4.4805 },  { false, 432, 4.4859 }, { true, 144, 4.4907 }, { false, 52, 4.4909 },
        { false, 76, 4.4911 },
    };
    static const step between[] = {
        { false, 112, 0.0008 }, { true, 60, 0.0013 },  { false, 36, 0.0018 }, { false, 68, 0.0019 },
        { true, 1092, 0.0019 }, { false, 76, 0.0019 }, { false, 68, 0.0020 }, { true, 68, 0.0021 },
        { true, 68, 0.0021 },  { false, 120, 0.0022 }, { true, 52, 0.0022 }, { false, 68, 0.0023 },
        { true, 68, 0.0023 },  { true, 36, 0.0024 },  { false, 52, 0.0030 }, { false, 72, 0.0031 },
        { true, 36, 0.0032 },
    };
    static const step close[] = { { true, 68, 0.0003 }, { false, 68, 0.0003 }, { true, 52, 0.0004 },
                                  { false, 68, 0.0004 }, { true, 36, 0.0005 }, { false, 124, 0.0007 },
                                  { true, 36, 0.0008 } };
    size_t n = after_login(seq, shell, sizeof shell / sizeof shell[0]);
    double t = 3.0;
    for (int k = 0; k < 4; k++, t += 0.25) { /* `pwd` and Enter */
        seq[n++] = (step){ true, 36, t };
        seq[n++] = (step){ false, k < 3 ? 36 : 92, t + 0.0003 };
    }
    n = steps_at(seq, n, setup, sizeof setup / sizeof setup[0], 0);
    if (!shared) { /* the confirmation a record of its own, before the VERSION */
        memmove(&seq[n - 10], &seq[n - 11], 11 * sizeof seq[0]);
        seq[n - 11] = (step){ false, 44, 4.4794 };
        seq[n - 10].len = 356;
        n++;
    }
    t = 4.4916;
    n = chunks_at(seq, n, true, 3, &t);
    n = steps_at(seq, n, between, sizeof between / sizeof between[0], t);
    t += 0.004;
    n = chunks_at(seq, n, false, 4, &t);
    n = steps_at(seq, n, close, sizeof close / sizeof close[0], t);
    seq[n++] = (step){ true, 36, t + 1.8 };
    seq[n++] = (step){ false, 36, t + 1.8003 };
    return n;
}

static void test_mux_shared_confirm(void **st)
{
    (void)st;
    for (int shared = 0; shared < 2; shared++) {
        step seq[256];
        size_t n = mux_shared_confirm(seq, shared);
        assert_true(n <= sizeof seq / sizeof seq[0]);
        sd_evlist l = { 0 };
        sd_infer_summary su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, "shell");
        assert_int_equal(count_kind(&l, "transfer"), 2);
        for (size_t i = 0; i < l.n; i++) {
            const sd_event *e = &l.v[i];
            if (strcmp(e->kind, "transfer") != 0)
                continue;
            assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
            assert_string_equal(sd_ev_get(e, "protocol")->s, "sftp");
        }
        sd_evlist_free(&l);
    }
}

/* lab mux_xfer at +11200 (chacha, frames 686-696): the client started
 * the download channel's close 58 ms after its last DATA (scp writing its
 * file), past MUX_TAIL_S: READ 68 / STATUS 68, CLOSE 52 / STATUS 68, EOF
 * 36, the server's exit-status, EOF and CLOSE (124), the client's CLOSE
 * (36); here 0.25 s late (past the stream's lags too). Those records
 * are the channel's, not a paste and keys; a key typed during that
 * close, answered by its echo, stays a key. The same for mux_download's
 * close order (the server's EOF alone, the client's CLOSE, then
 * exit-status and CLOSE in 88). */
static void test_mux_late_close(void **st)
{
    (void)st;
    for (int v = 0; v < 3; v++) {
        step seq[256];
        size_t n = mux_shared_confirm(seq, true), c = n - 9; /* the close's 7 records, then a key and its echo */
        assert_true(n + 2 <= sizeof seq / sizeof seq[0]);
        for (size_t k = c; k < n - 2; k++)
            seq[k].t += 0.25;
        if (v == 1) { /* a key and its echo after the first round trip */
            memmove(&seq[c + 4], &seq[c + 2], (n - c - 2) * sizeof seq[0]);
            seq[c + 2] = (step){ true, 36, seq[c + 1].t + 0.3 };
            seq[c + 3] = (step){ false, 36, seq[c + 1].t + 0.3003 };
            for (size_t k = c + 4; k < n + 2; k++)
                seq[k].t += 0.31;
            n += 2;
        }
        sd_evlist l = { 0 };
        if (v == 2) {
            n = mux_download(seq, true);
            for (size_t k = n - 8; k < n; k++)
                seq[k].t += 0.25;
            const sd_event *e = download(seq, n, &l, "shell");
            assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
            assert_int_equal(count_kind(&l, "keystroke"), 4);
            sd_evlist_free(&l);
            continue;
        }
        sd_infer_summary su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, "shell");
        assert_int_equal(count_kind(&l, "transfer"), 2);
        /* `pwd`, Enter, the key after the close (and the one in it) */
        assert_int_equal(count_kind(&l, "keystroke"), v == 1 ? 6 : 5);
        for (size_t i = 0; i < l.n; i++)
            if (strcmp(l.v[i].kind, "keystroke") == 0)
                assert_string_not_equal(sd_ev_get(&l.v[i], "key")->s, "paste");
        sd_evlist_free(&l);
    }
}

/* lab mux_n_xfer (chacha): a master with no session of its own (ssh -M
 * -N): after login only the server's hostkeys-00 (820), then 1.7 s later
 * scp up and down at once through its socket: the first channel's open
 * (52), confirmation (44), subsystem request (52), answers (72), INIT (44)
 * and VERSION (356); the second's open (52, REALPATH "."'s size) and
 * confirmation right after, its subsystem request and answers, then the
 * first's STAT (68) and the second's INIT; the download (4 chunks of 22
 * segments of 1448 and one of 948), the first channel's close, the upload
 * (3 chunks), the second's close. The session is -N's (forward-only), not
 * the first channel's sftp; both transfers scp's, not sftp's (the second
 * open is no REALPATH "."). */
static size_t mux_master_setup(step *seq, const step *setup, size_t nsetup);

static size_t mux_master(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 52, 2.8000 }, { false, 44, 2.8003 }, { true, 52, 2.8003 },
        { false, 72, 2.8008 },  { true, 44, 2.8009 }, { false, 356, 2.8091 }, { true, 52, 2.8107 },
        { false, 44, 2.8108 }, { true, 52, 2.8109 }, { false, 72, 2.8116 }, { true, 68, 2.8117 },
        { true, 44, 2.8117 },  { false, 76, 2.8119 }, { true, 60, 2.8120 }, { false, 76, 2.8121 },
        { true, 60, 2.8121 },  { false, 76, 2.8122 }, { true, 68, 2.8122 }, { false, 52, 2.8123 },
        { true, 68, 2.8123 },
    };
    return mux_master_setup(seq, setup, sizeof setup / sizeof setup[0]);
}

/* mux_n_xfer's fresh run (generate --seed-add 8400): the second open
 * between the first's INIT and VERSION, then the LIMITS request (68) and
 * STAT; its subsystem request (52) right after the first's INIT is no
 * REALPATH ".": both transfers scp's. */
static size_t mux_master_early(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 52, 2.8000 }, { false, 44, 2.8003 }, { true, 52, 2.8003 },
        { false, 72, 2.8008 },  { true, 44, 2.8009 }, { true, 52, 2.8039 },  { false, 44, 2.8040 },
        { true, 52, 2.8040 },  { false, 72, 2.8044 }, { true, 44, 2.8045 },  { false, 356, 2.8061 },
        { true, 68, 2.8063 },  { false, 76, 2.8063 }, { true, 60, 2.8064 },  { false, 76, 2.8064 },
        { true, 76, 2.8065 },  { false, 52, 2.8065 },
    };
    return mux_master_setup(seq, setup, sizeof setup / sizeof setup[0]);
}

/* mux_n_xfer's fresh run at +10000 (frames 31-50): both channels opened
 * at once, each step of their setups in one segment under chacha20: the
 * two opens (104), confirmations (88), subsystem requests (104), answers
 * (144) and INITs (88), then each VERSION (356), the first's LIMITS
 * request (68) and both STATs. The doubled records were read as no open:
 * the transfers were lost (the master's bulk read as no channel's). */
static size_t mux_master_joint(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 104, 2.8000 }, { false, 88, 2.8003 }, { true, 104, 2.8006 },
        { false, 144, 2.8015 }, { true, 88, 2.8017 },  { false, 356, 2.8131 }, { true, 68, 2.8134 },
        { false, 76, 2.8135 },  { false, 356, 2.8155 }, { true, 128, 2.8157 }, { false, 76, 2.8157 },
        { true, 60, 2.8158 },   { false, 76, 2.8159 },  { true, 60, 2.8160 },  { false, 76, 2.8160 },
        { true, 68, 2.8160 },   { false, 52, 2.8161 },  { true, 68, 2.8161 },
    };
    return mux_master_setup(seq, setup, sizeof setup / sizeof setup[0]);
}

/* The same with the two opens in two segments 1 ms apart, their two
 * confirmations in one (lab wanc220_mux_xfer at +10100 frames 73-76: 52,
 * 52, then 88): one open by size, two confirmations, read as no open
 * before (both transfers lost). */
static size_t mux_master_split(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 52, 2.7990 },  { true, 52, 2.8000 },  { false, 88, 2.8003 },
        { true, 104, 2.8006 },  { false, 144, 2.8015 }, { true, 88, 2.8017 },  { false, 356, 2.8131 },
        { true, 68, 2.8134 },   { false, 76, 2.8135 },  { false, 356, 2.8155 }, { true, 128, 2.8157 },
        { false, 76, 2.8157 },  { true, 60, 2.8158 },   { false, 76, 2.8159 },  { true, 60, 2.8160 },
        { false, 76, 2.8160 },  { true, 68, 2.8160 },   { false, 52, 2.8161 },  { true, 68, 2.8161 },
    };
    return mux_master_setup(seq, setup, sizeof setup / sizeof setup[0]);
}

/* mux_n_xfer's fresh run at +10800 (frames 33-61, chacha20): the two
 * channels' setups interleaved step by step, each message a segment of
 * its own: open A (52), confirmation A (44), request A (52), answers A
 * (72), open B (52), INIT A (44), confirmation B, request B, answers B,
 * INIT B, VERSION A (356), LIMITS A (68), VERSION B, LIMITS B, the two
 * replies (76) each followed by its channel's STAT (60)... Read from A's
 * INIT on, B's request (52) passed for A's REALPATH ".": both sftp's. */
static size_t mux_master_interleaved(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 52, 2.7870 },  { false, 44, 2.7876 }, { true, 52, 2.7877 },
        { false, 72, 2.7888 },  { true, 52, 2.7891 },  { true, 44, 2.7892 },  { false, 44, 2.7894 },
        { true, 52, 2.7896 },   { false, 72, 2.7906 }, { true, 44, 2.7908 },  { false, 356, 2.8061 },
        { true, 68, 2.8077 },   { false, 356, 2.8078 }, { true, 68, 2.8080 }, { false, 76, 2.8097 },
        { true, 60, 2.8099 },   { false, 76, 2.8101 }, { true, 60, 2.8103 },  { false, 76, 2.8105 },
        { true, 68, 2.8106 },   { false, 52, 2.8107 }, { true, 68, 2.8109 },  { false, 76, 2.8110 },
        { true, 60, 2.8114 },   { false, 76, 2.8115 }, { true, 76, 2.8117 },  { false, 52, 2.8118 },
    };
    return mux_master_setup(seq, setup, sizeof setup / sizeof setup[0]);
}

/* The login, setup, then mux_master's transfers and closes. */
static size_t mux_master_setup(step *seq, const step *setup, size_t nsetup)
{
    static const step close_down[] = {
        { true, 68, 0.0002 }, { false, 68, 0.0002 }, { true, 52, 0.0003 }, { false, 68, 0.0003 },
        { true, 36, 0.0004 }, { false, 124, 0.0006 }, { true, 36, 0.0007 }, { false, 76, 0.0020 },
        { true, 76, 0.0066 }, { false, 52, 0.0105 },
    };
    static const step close_up[] = {
        { false, 68, 0.0018 }, { true, 68, 0.0030 }, { false, 68, 0.0031 }, { true, 52, 0.0032 },
        { false, 68, 0.0032 }, { true, 36, 0.0033 }, { false, 124, 0.0036 }, { true, 36, 0.0037 },
    };
    size_t n = after_login(seq, setup, nsetup);
    double t = 2.8129;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 23; k++, t += 0.00001)
            seq[n++] = (step){ false, k < 22 ? 1448 : 948, t };
    for (size_t i = 0; i < sizeof close_down / sizeof close_down[0]; i++)
        seq[n++] = (step){ close_down[i].c, close_down[i].len, t + close_down[i].t };
    t += 0.0156;
    for (int c = 0; c < 3; c++, t += 0.0001) {
        for (int k = 0; k < 23; k++, t += 0.00001)
            seq[n++] = (step){ true, k < 22 ? 1448 : 948, t };
        seq[n++] = (step){ false, 36, t };
    }
    for (size_t i = 0; i < sizeof close_up / sizeof close_up[0]; i++)
        seq[n++] = (step){ close_up[i].c, close_up[i].len, t + close_up[i].t };
    seq[n++] = (step){ true, 60, t + 1.05 };
    return n;
}

/* A master with no session of its own (the stream of build): forward-only,
 * an upload of up and a download of down 32 KiB chunks, both by tool. */
static void master_transfers(size_t (*build)(step *), const char *tool, int up, int down)
{
    step seq[256];
    size_t n = build(seq);
    assert_true(n <= sizeof seq / sizeof seq[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "forward-only");
    const sd_event *f = find_kind(&l, "forward_only");
    assert_non_null(f);
    assert_non_null(strstr(f->note, "ControlMaster"));
    assert_int_equal(count_kind(&l, "transfer"), 2);
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (strcmp(e->kind, "transfer") != 0)
            continue;
        assert_string_equal(sd_ev_get(e, "tool")->s, tool);
        assert_string_equal(sd_ev_get(e, "protocol")->s, "sftp");
        bool dl = !strcmp(sd_ev_get(e, "direction")->s, "download");
        int64_t want = (dl ? down : up) * 32768, by = sd_ev_get(e, "bytes")->i;
        assert_true(by >= want - 400 && by <= want + 400);
    }
    sd_evlist_free(&l);
}

static void test_mux_master_no_session(void **st)
{
    (void)st;
    master_transfers(mux_master, "scp", 3, 4);
    master_transfers(mux_master_early, "scp", 3, 4);
    master_transfers(mux_master_joint, "scp", 3, 4);
    master_transfers(mux_master_split, "scp", 3, 4);
    master_transfers(mux_master_interleaved, "scp", 3, 4);
}

/* An interactive sftp through a master with no session of its own (lab
 * mux_n_sftp, chacha): the channel's open, confirmation, subsystem
 * request, answers, INIT, VERSION, REALPATH "." and its NAME at once, then
 * the sftp> prompt: a put 1.5 s later (STAT, OPEN, HANDLE, 4 WRITE chunks
 * acknowledged by STATUS, CLOSE), a get 2 s after it (STAT, OPEN, READs,
 * 3 DATA chunks, CLOSE), bye. Both transfers the channel's, tool sftp (a
 * person at the prompt); the session -N's. */
static size_t mux_master_prompt(step *seq)
{
    static const step setup[] = {
        { false, 820, 1.1185 }, { true, 52, 2.8000 }, { false, 44, 2.8003 }, { true, 52, 2.8003 },
        { false, 72, 2.8008 },  { true, 44, 2.8009 }, { false, 356, 2.8091 }, { true, 52, 2.8093 },
        { false, 76, 2.8095 },
    };
    size_t n = after_login(seq, setup, sizeof setup / sizeof setup[0]);
    static const step put[] = { { true, 68, 0 },      { false, 76, 0.0003 }, { true, 84, 0.0005 },
                                { false, 52, 0.0008 } };
    double t = 4.3;
    for (size_t i = 0; i < sizeof put / sizeof put[0]; i++)
        seq[n++] = (step){ put[i].c, put[i].len, t + put[i].t };
    t += 0.001;
    for (int c = 0; c < 4; c++, t += 0.0002) {
        for (int k = 0; k < 23; k++, t += 0.00001)
            seq[n++] = (step){ true, k < 22 ? 1448 : 948, t };
        seq[n++] = (step){ false, 68, t + 0.0001 };
    }
    seq[n++] = (step){ true, 68, t + 0.001 };
    seq[n++] = (step){ false, 68, t + 0.0012 };
    t = 6.3;
    static const step get[] = { { true, 68, 0 },      { false, 76, 0.0003 }, { true, 84, 0.0005 },
                                { false, 52, 0.0008 }, { true, 68, 0.0009 }, { true, 68, 0.0010 } };
    for (size_t i = 0; i < sizeof get / sizeof get[0]; i++)
        seq[n++] = (step){ get[i].c, get[i].len, t + get[i].t };
    t += 0.0015;
    for (int c = 0; c < 3; c++)
        for (int k = 0; k < 23; k++, t += 0.00001)
            seq[n++] = (step){ false, k < 22 ? 1448 : 948, t };
    seq[n++] = (step){ true, 68, t + 0.001 };
    seq[n++] = (step){ false, 68, t + 0.0012 };
    seq[n++] = (step){ true, 36, t + 1.2 };
    seq[n++] = (step){ false, 124, t + 1.2003 };
    seq[n++] = (step){ true, 36, t + 1.2005 };
    seq[n++] = (step){ true, 60, t + 2.2 };
    return n;
}

static void test_mux_master_sftp_prompt(void **st)
{
    (void)st;
    master_transfers(mux_master_prompt, "sftp", 4, 3);
}

/* mux_n_xfer_aes128gcm's fresh run (generate --seed-add 8400; whole
 * packets): an ssh -M -N master, then scp up and down at once through it.
 * The upload's 32 KiB WRITEs and the download's DATA interleave (a WRITE
 * between two DATA packets and back): each channel moves its own file, so
 * the other way's bulk ends no run (4 half transfers before). */
static size_t mux_master_gcm(step *seq)
{
    static const step rec[] = {
        { false, 324, 1.0000 }, { true, 52, 1.0889 }, { false, 52, 1.0890 }, { true, 68, 1.0929 },
        { false, 52, 1.1049 }, { true, 148, 1.1050 }, { false, 100, 1.1056 }, { true, 308, 1.1060 },
        { false, 36, 1.1206 }, { false, 532, 1.1609 }, { false, 148, 1.1609 }, { false, 148, 1.1609 },
        { true, 52, 3.3231 }, { true, 52, 3.3232 }, { false, 52, 3.3251 }, { false, 52, 3.3251 },
        { true, 52, 3.3252 }, { true, 52, 3.3252 }, { false, 36, 3.3260 }, { false, 36, 3.3260 },
        { false, 36, 3.3260 }, { false, 36, 3.3260 }, { true, 52, 3.3261 }, { true, 52, 3.3261 },
        { false, 356, 3.3329 }, { true, 68, 3.3331 }, { false, 356, 3.3376 }, { false, 84, 3.3404 },
        { true, 68, 3.3531 }, { true, 68, 3.3531 }, { false, 84, 3.3570 }, { false, 84, 3.3571 },
        { true, 84, 3.3812 }, { true, 68, 3.3812 }, { false, 84, 3.3813 }, { true, 68, 3.3815 },
        { false, 52, 3.3849 }, { false, 84, 3.3850 }, { true, 68, 3.4009 }, { false, 52, 3.4011 },
        { true, 68, 3.4012 }, { true, 32804, 3.4020 }, { true, 32804, 3.4049 }, { false, 32804, 3.4053 },
        { false, 32804, 3.4054 }, { true, 32804, 3.4054 }, { true, 32804, 3.4055 }, { true, 32804, 3.4056 },
        { true, 32804, 3.4057 }, { true, 32804, 3.4059 }, { true, 31812, 3.4061 }, { false, 32804, 3.4065 },
        { false, 36, 3.4065 }, { false, 32804, 3.4067 }, { false, 36, 3.4067 }, { true, 36, 3.4067 },
        { false, 32804, 3.4071 }, { false, 32804, 3.4079 }, { false, 68, 3.4079 }, { false, 32804, 3.4080 },
        { false, 31796, 3.4081 }, { true, 1092, 3.4332 }, { true, 36, 3.4369 }, { false, 68, 3.4371 },
        { true, 68, 3.4493 }, { true, 100, 3.4493 }, { false, 32804, 3.4496 }, { false, 32804, 3.4496 },
        { false, 68, 3.4498 }, { false, 32804, 3.4498 }, { false, 32804, 3.4499 }, { true, 36, 3.4500 },
        { false, 1108, 3.4500 }, { true, 52, 3.4501 }, { true, 68, 3.4502 }, { false, 68, 3.4529 },
        { false, 68, 3.4530 }, { true, 52, 3.4609 }, { false, 68, 3.4610 }, { true, 36, 3.4611 },
        { false, 36, 3.4614 }, { false, 52, 3.4614 }, { false, 36, 3.4614 }, { true, 36, 3.4615 },
        { true, 36, 3.4616 }, { false, 36, 3.4618 }, { false, 52, 3.4618 }, { false, 36, 3.4618 },
        { true, 36, 3.4619 }, { true, 68, 4.5311 },
    };
    memcpy(seq, rec, sizeof rec);
    return sizeof rec / sizeof rec[0];
}

static void test_mux_master_interleaved_gcm(void **st)
{
    (void)st;
    stream_cipher = "aes128-gcm@openssh.com";
    stream_exact = true;
    master_transfers(mux_master_gcm, "scp", 8, 12);
    stream_cipher = NULL;
    stream_exact = false;
}

/* lab mux_xfer_aes128gcm's records (whole packets): a ControlMaster
 * shell, `hostname`, then scp up (8 WRITE chunks) and down (12 DATA
 * chunks) started at once through the master: two opens (52), two
 * confirmations, two subsystem requests, four answers (36), two INITs in
 * a row, then each channel's SFTP exchange; `pwd` and `exit` after. Both
 * transfers, tool scp; the opens are no arrows, and an SFTP OPEN (84)
 * answered by a HANDLE (52) no -L forward's open and confirmation. */
static const step mux_shell_gcm[] = {
        { false, 324, 1.0000 }, { true, 52, 1.0665 }, { false, 52, 1.0667 }, { true, 68, 1.0667 },
        { false, 52, 1.0736 }, { true, 148, 1.0737 }, { false, 100, 1.0747 }, { true, 308, 1.0752 },
        { false, 36, 1.0875 }, { true, 52, 1.0877 }, { false, 532, 1.0912 }, { false, 148, 1.0912 },
        { false, 148, 1.1345 }, { false, 52, 1.1345 }, { true, 340, 1.1347 }, { true, 52, 1.1347 },
        { false, 36, 1.1362 }, { false, 36, 1.1362 }, { false, 36, 1.1362 }, { false, 52, 1.1429 },
        { true, 36, 1.9795 }, { false, 36, 1.9798 }, { true, 36, 2.1247 }, { false, 36, 2.1250 },
        { true, 36, 2.3075 }, { false, 36, 2.3077 }, { true, 36, 2.5837 }, { false, 36, 2.5839 },
        { true, 36, 2.7971 }, { false, 36, 2.7973 }, { true, 36, 3.0000 }, { false, 36, 3.0002 },
        { true, 36, 3.1602 }, { false, 36, 3.1603 }, { true, 36, 3.4979 }, { false, 36, 3.4997 },
        { true, 36, 3.9704 }, { false, 68, 3.9719 }, { true, 52, 4.9888 }, { true, 52, 4.9889 },
        { false, 52, 4.9890 }, { false, 52, 4.9890 }, { true, 52, 4.9891 }, { true, 52, 4.9891 },
        { false, 36, 4.9900 }, { false, 36, 4.9900 }, { false, 36, 4.9900 }, { false, 36, 4.9900 },
        { true, 52, 4.9902 }, { true, 52, 4.9902 }, { false, 356, 4.9934 }, { true, 68, 4.9936 },
        { false, 84, 4.9937 }, { true, 68, 4.9938 }, { false, 84, 4.9939 }, { true, 84, 4.9940 },
        { false, 52, 4.9940 }, { true, 32804, 4.9946 }, { true, 32804, 4.9947 }, { true, 32804, 4.9948 },
        { false, 36, 4.9951 }, { true, 32804, 4.9953 }, { true, 32804, 4.9954 }, { true, 32804, 4.9956 },
        { true, 32804, 4.9956 }, { true, 31812, 4.9957 }, { false, 36, 4.9962 }, { false, 68, 4.9971 },
        { true, 1092, 4.9972 }, { false, 68, 4.9972 }, { true, 68, 4.9973 }, { false, 68, 4.9974 },
        { true, 52, 4.9975 }, { false, 68, 4.9975 }, { true, 36, 4.9976 }, { false, 36, 4.9979 },
        { false, 52, 4.9979 }, { false, 36, 4.9979 }, { true, 36, 4.9980 }, { false, 356, 4.9981 },
        { true, 68, 4.9988 }, { false, 84, 4.9991 }, { true, 68, 4.9992 }, { false, 84, 4.9993 },
        { true, 68, 4.9994 }, { false, 84, 4.9995 }, { true, 68, 4.9996 }, { false, 52, 4.9997 },
        { true, 68, 4.9998 }, { false, 32804, 5.0003 }, { false, 32804, 5.0004 }, { false, 32804, 5.0007 },
        { false, 32804, 5.0008 }, { false, 32804, 5.0009 }, { false, 32804, 5.0010 }, { false, 32804, 5.0010 },
        { false, 31796, 5.0011 }, { true, 36, 5.0014 }, { true, 36, 5.0014 }, { true, 100, 5.0017 },
        { false, 32804, 5.0020 }, { false, 32804, 5.0021 }, { false, 32804, 5.0022 }, { false, 32804, 5.0023 },
        { false, 1108, 5.0023 }, { true, 36, 5.0023 }, { true, 68, 5.0027 }, { false, 68, 5.0027 },
        { true, 52, 5.0028 }, { false, 68, 5.0029 }, { true, 36, 5.0030 }, { false, 36, 5.0033 },
        { false, 52, 5.0033 }, { false, 36, 5.0033 }, { true, 36, 5.0033 }, { true, 36, 6.8697 },
        { false, 36, 6.8699 }, { true, 36, 7.0706 }, { false, 36, 7.0708 }, { true, 36, 7.2938 },
        { false, 36, 7.2939 }, { true, 36, 7.5151 }, { false, 68, 7.5166 }, { true, 36, 8.4886 },
        { false, 36, 8.4888 }, { true, 36, 8.7076 }, { false, 36, 8.7078 }, { true, 36, 8.9847 },
        { false, 36, 8.9848 }, { true, 36, 9.2638 }, { false, 36, 9.2640 }, { true, 36, 9.5626 },
        { false, 36, 9.5627 }, { false, 52, 9.5628 }, { false, 36, 9.5646 }, { false, 52, 9.5646 },
        { false, 52, 9.5646 }, { false, 36, 9.5646 }, { true, 36, 9.5648 }, { true, 68, 9.5648 },
};
#define NMUX_SHELL_GCM (sizeof mux_shell_gcm / sizeof mux_shell_gcm[0])

/* mux_shell_gcm read with the server's records from first (the first
 * SFTP VERSION) on late by late_s: both transfers, no forward, the 18
 * keys. */
static void mux_shell_gcm_read(size_t first, double late_s)
{
    step seq[NMUX_SHELL_GCM];
    memcpy(seq, mux_shell_gcm, sizeof seq);
    for (size_t i = first; i < NMUX_SHELL_GCM; i++)
        seq[i].t += late_s;
    stream_cipher = "aes128-gcm@openssh.com";
    stream_exact = true;
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, NMUX_SHELL_GCM, &l);
    stream_cipher = NULL;
    stream_exact = false;
    assert_string_equal(su.session_kind, "shell");
    assert_int_equal(count_kind(&l, "transfer"), 2);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "transfer"))
            assert_string_equal(sd_ev_get(&l.v[i], "tool")->s, "scp");
    assert_null(find_kind(&l, "forward"));
    assert_int_equal(count_kind(&l, "keystroke"), 18); /* hostname, pwd, exit: each and Enter */
    sd_evlist_free(&l);
}

static void test_mux_interleaved_gcm(void **st)
{
    (void)st;
    mux_shell_gcm_read(0, 0);
}

/* A loaded server starts sftp-server late (lab fresh mux_xfer_aes128gcm
 * at +9800 frames 79-81: the first VERSION 253 ms after the INITs; read
 * as an arrow and a -L forward, no transfer): the channels' setups are
 * still machine-paced, the late record the server's answer. */
static void test_mux_late_version(void **st)
{
    (void)st;
    size_t v = 0;
    while (v < NMUX_SHELL_GCM && mux_shell_gcm[v].len != 356)
        v++;
    mux_shell_gcm_read(v, 0.253);
}

/* scp -r's upload of a tree (lab scp_tree, chacha) after the sftp session
 * of test_sftp_upload: per file OPEN, HANDLE, one WRITE packet of the
 * whole file (4000-4700 bytes: 29 bytes of header, 20 of framing and the
 * padding), STATUS, CLOSE, STATUS. No write is a chunk long: every file's
 * packet carries its header, not only those beyond the 32 KiB chunks
 * (main: 34858 for 34800 bytes). */
static void test_sftp_tree_upload_headers(void **st)
{
    (void)st;
    step seq[96];
    size_t n = after_login(seq, sftp_session, NSFTP);
    for (uint32_t f = 0; f < 8; f++) {
        double t = 1.21 + f * 0.002;
        uint32_t body = 1 + 9 + 29 + 4000 + 100 * f, pad = (8 - body % 8) % 8;
        pad += pad < 4 ? 8 : 0;
        const step file[] = { { true, 92, t },          { false, 52, t + 0.0001 },
                              { true, 4 + body + pad + 16, t + 0.0002 }, { false, 68, t + 0.0003 },
                              { true, 52, t + 0.0004 }, { false, 68, t + 0.0005 } };
        for (size_t i = 0; i < sizeof file / sizeof file[0]; i++)
            seq[n++] = file[i];
    }
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "sftp");
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "upload");
    int64_t by = sd_ev_get(e, "bytes")->i;
    assert_true(by >= 34800 - 24 && by <= 34800 + 24);
    sd_evlist_free(&l);
}

/* An OpenSSH 9.2 public-key login and an exec under aes128-gcm (lab
 * scp_tree_down_deep, exec_xfer_aes128gcm: whole packets): the session's
 * open and no-more-sessions, hostkeys-00 and the open's confirmation, the
 * exec request (68) and its answers. */
static const step gcm_exec[] = {
    { true, 52, 1.00 },  { false, 52, 1.001 }, { true, 68, 1.002 },  { false, 52, 1.011 },
    { true, 148, 1.014 }, { false, 100, 1.015 }, { true, 308, 1.016 }, { false, 36, 1.035 }, /* public key, ok */
    { true, 52, 1.037 }, { true, 68, 1.037 },  { false, 532, 1.037 }, { false, 148, 1.037 },
    { false, 148, 1.037 }, { false, 52, 1.078 }, { true, 68, 1.079 },  { false, 36, 1.080 },
    { false, 36, 1.080 },
};
#define NGCM_EXEC (sizeof gcm_exec / sizeof gcm_exec[0])

/* run_stream under aes128-gcm, whole packets. */
static sd_infer_summary run_gcm(const step *seq, size_t n, sd_evlist *l)
{
    stream_cipher = "aes128-gcm@openssh.com";
    stream_exact = true;
    sd_infer_summary su = run_stream(seq, n, l);
    stream_cipher = NULL;
    stream_exact = false;
    return su;
}

/* A legacy scp -r download under aes128-gcm (lab scp_tree_down_deep frames
 * 584-640: whole packets) from a remote `scp -v`: per file the C line (68)
 * and its stderr echo (132), the sink's '\0', the data with the source's
 * '\0' in one packet, then an 84-byte stderr packet ("debug1: fd 1
 * clearing O_NONBLOCK") and the sink's '\0'. That packet follows the data
 * but is no part of it (main counted it: +840 bytes here). */
static void test_scp_download_stderr_not_tail(void **st)
{
    (void)st;
    static const step pre[] = {
        { true, 36, 1.082 }, { false, 52, 1.082 }, { false, 116, 1.082 }, /* D line */
        { true, 36, 1.083 },
    };
    step seq[96];
    memcpy(seq, gcm_exec, sizeof gcm_exec);
    size_t n = NGCM_EXEC;
    memcpy(seq + n, pre, sizeof pre);
    n += sizeof pre / sizeof pre[0];
    int64_t truth = 0;
    for (uint32_t f = 0; f < 10; f++) {
        double t = 1.1 + f * 0.001;
        uint32_t size = 3000 + 150 * f, body = 1 + 9 + size + 1 + 4;
        truth += size;
        const step file[] = { { false, 68, t },           { false, 132, t },          { true, 36, t + 0.0002 },
                              { false, 4 + (body + 15) / 16 * 16 + 16, t + 0.0003 }, { false, 84, t + 0.0003 },
                              { true, 36, t + 0.0004 } };
        for (size_t i = 0; i < sizeof file / sizeof file[0]; i++)
            seq[n++] = file[i];
    }
    assert_true(n <= sizeof seq / sizeof seq[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_gcm(seq, n, &l);
    assert_string_equal(su.session_kind, "scp");
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "download");
    assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
    int64_t by = sd_ev_get(e, "bytes")->i;
    assert_true(by >= truth - 80 && by <= truth + 80);
    sd_evlist_free(&l);
}

/* A legacy scp -r -O download under aes128-gcm on a loaded machine (lab
 * scp_tree_down_deep at +9900, stream 1): after the exec (gcm_exec) and
 * the D lines, per file the C line (200), the sink's '\0' (36), the data,
 * the sink's '\0' 0.1 ms after its last packet; after some files the
 * source's next short line (36) alone, 10 ms later. Those '\0's answer
 * the server's records at once: no key/echo pairs of a shell with a
 * terminal (main: shell, pty, a key and a chaff train, no transfer). */
static void test_scp_acks_not_echo_pairs(void **st)
{
    (void)st;
    static const step pre[] = {
        { true, 36, 1.099 }, { false, 84, 1.110 }, { false, 136, 1.116 }, /* D lines */
    };
    step seq[180];
    memcpy(seq, gcm_exec, sizeof gcm_exec);
    size_t n = NGCM_EXEC;
    memcpy(seq + n, pre, sizeof pre);
    n += sizeof pre / sizeof pre[0];
    for (int f = 0; f < 16; f++) {
        double t = 1.2 + f * 0.04;
        const step file[] = { { true, 36, t },          { false, 200, t + 0.0003 }, { true, 36, t + 0.0005 },
                              { false, 1448, t + 0.01 }, { false, 1448, t + 0.0101 }, { false, 1448, t + 0.0101 },
                              { false, 248, t + 0.0102 }, { true, 36, t + 0.0103 } };
        for (size_t k = 0; k < sizeof file / sizeof file[0]; k++)
            seq[n++] = file[k];
        if (f % 4 == 3)
            seq[n++] = (step){ false, 36, t + 0.0205 }; /* the next line alone */
    }
    assert_true(n <= sizeof seq / sizeof seq[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_gcm(seq, n, &l);
    assert_string_equal(su.session_kind, "scp");
    assert_null(find_kind(&l, "keystroke"));
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "download");
    assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
    sd_evlist_free(&l);
}

/* `cat f | ssh host 'cat > g'` under aes128-gcm (lab exec_xfer_aes128gcm
 * stream 2): the exec request of "cat > cat_up.bin" has an
 * auth-agent-req's size (68) and is answered (36, 36) before the upload's
 * first 32 KB packets; those are no pty-req after an agent request alone
 * (main: a shell with a pty, agent forwarding requested, no transfer). A
 * pty-req after an agent request alone still reads as one. */
static void test_exec_upload_agent_sized(void **st)
{
    (void)st;
    for (int pty = 0; pty <= 1; pty++) {
        step seq[40];
        memcpy(seq, gcm_exec, sizeof gcm_exec);
        size_t n = NGCM_EXEC;
        if (pty) { /* the agent request alone, then pty-req and shell, the prompt */
            seq[n++] = (step){ true, 340, 1.081 };
            seq[n++] = (step){ true, 52, 1.081 };
            seq[n++] = (step){ false, 36, 1.083 };
            seq[n++] = (step){ false, 68, 1.090 };
        } else {
            for (int i = 0; i < 8; i++)
                seq[n++] = (step){ true, 32804, 1.0805 + i * 0.0002 };
            seq[n++] = (step){ true, 36, 1.0822 };
            seq[n++] = (step){ false, 36, 1.086 };
            seq[n++] = (step){ false, 36, 1.088 };
            seq[n++] = (step){ false, 52, 1.089 };
        }
        seq[n++] = (step){ true, 36, 1.2 };
        seq[n++] = (step){ false, 36, 1.201 };
        sd_evlist l = { 0 };
        sd_infer_summary su = run_gcm(seq, n, &l);
        assert_string_equal(su.session_kind, pty ? "shell" : "exec");
        assert_int_equal(su.agent_forwarding, pty);
        const sd_event *e = find_kind(&l, "transfer");
        if (pty) {
            assert_null(e);
        } else {
            assert_non_null(e);
            assert_string_equal(sd_ev_get(e, "direction")->s, "upload");
            int64_t by = sd_ev_get(e, "bytes")->i;
            assert_true(by >= 8 * 32768 - 200 && by <= 8 * 32768 + 200);
        }
        sd_evlist_free(&l);
    }
}

/* git clone over ssh (lab git frames 34-60, chacha): the exec, the
 * server's reference advertisement (364), the client's wants (260), NAK,
 * the pack: git. With the client's three turns before the bulk (svnserve:
 * greeting, auth, then its commands) or no advertisement (rsync's 4-byte
 * versions) nothing names the program. */
static size_t git_clone(step *seq, int turns, bool adv)
{
    static const step rest[] = {
        { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 144, 1.151 }, { false, 72, 1.16 },
    };
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    seq[n++] = (step){ false, adv ? 364 : 44, 1.17 };
    for (int k = 0; k < turns; k++) {
        seq[n++] = (step){ true, 260, 1.171 + k * 0.002 };
        seq[n++] = (step){ false, 44, 1.172 + k * 0.002 };
    }
    for (int i = 0; i < 30; i++)
        seq[n++] = (step){ false, 1448, 1.2 + i * 0.0001 };
    seq[n++] = (step){ true, 36, 1.21 };
    return n;
}

static void test_git_shape(void **st)
{
    (void)st;
    static const struct {
        int turns;
        bool adv;
        const char *tool;
    } cases[] = { { 1, true, "git" }, { 2, true, "git" }, { 3, true, "unknown" }, { 1, false, "unknown" } };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        step seq[64];
        size_t n = git_clone(seq, cases[c].turns, cases[c].adv);
        sd_evlist l = { 0 };
        const sd_event *e = download(seq, n, &l, "exec");
        assert_string_equal(sd_ev_get(e, "tool")->s, cases[c].tool);
        sd_evlist_free(&l);
    }
}

/* A reverse handshake through the -R tunnel (chacha in chacha): the server
 * opens the channel, the client confirms (44), the two banners, the
 * reverse client's KEXINIT split by the tunnel over two channel data
 * (1000 + 500), the client-side sshd's KEXINIT, sntrup key exchange. */
static size_t reverse_handshake(step *seq, size_t n, double t)
{
    static const step hs[] = {
        { false, 124, 0.000 }, { true, 44, 0.002 },  { true, 76, 0.010 },    { false, 76, 0.012 },
        { false, 1000, 0.020 }, { false, 500, 0.021 }, { true, 1100, 0.030 }, { false, 1300, 0.040 },
        { true, 1300, 0.050 },  { false, 100, 0.060 }, { true, 76, 0.070 },
    };
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        seq[n++] = (step){ hs[i].c, hs[i].len, t + hs[i].t };
    return n;
}

/* A reverse session starts once however the tunnel splits its KEXINIT:
 * the part after the split, answered by the other side's KEXINIT, is no
 * channel open. Two handshakes are two sessions. */
static void test_reverse_split_kexinit(void **st)
{
    (void)st;
    static const step shell[] = { { true, 112, 1.08 }, { false, 44, 1.10 }, { true, 376, 1.11 }, { false, 36, 1.15 } };
    step seq[64];
    size_t n = after_login(seq, shell, sizeof shell / sizeof shell[0]);
    n = reverse_handshake(seq, n, 10.0);
    sd_evlist l = { 0 };
    run_stream(seq, n, &l);
    assert_int_equal(count_kind(&l, "reverse_init"), 1);
    assert_int_equal(count_kind(&l, "nested_init"), 0);
    sd_evlist_free(&l);
    n = reverse_handshake(seq, n, 30.0);
    run_stream(seq, n, &l);
    assert_int_equal(count_kind(&l, "reverse_init"), 2);
    sd_evlist_free(&l);
}

/* The reverse handshake seen from the server's side of a 60 ms link (lab
 * srv_demo frames 76-79): the client's 44-byte confirmation of the
 * server's open comes a round trip after it, too late for a protocol
 * answer by time alone, and has an arrow's size: it is no key of the
 * forward leg. */
static void test_reverse_confirm_server_side(void **st)
{
    (void)st;
    static const step shell[] = {
        { true, 112, 1.08 }, { false, 44, 1.10 }, { true, 376, 1.11 }, { false, 36, 1.15 },
        { true, 36, 3.00 }, { false, 36, 3.0002 }, { true, 36, 3.30 }, { false, 36, 3.3002 },
        { true, 36, 3.62 }, { false, 36, 3.6202 }, { false, 196, 3.6205 }, { false, 52, 3.623 },
    };
    static const step hs[] = {
        { false, 124, 0.000 }, { true, 44, 0.073 }, { false, 76, 0.0732 }, { true, 76, 0.088 },
        { false, 1000, 0.089 }, { false, 500, 0.090 }, { true, 1100, 0.150 }, { false, 1300, 0.160 },
        { true, 1300, 0.220 }, { false, 100, 0.230 }, { true, 76, 0.290 },
    };
    step seq[64];
    size_t n = after_login(seq, shell, sizeof shell / sizeof shell[0]);
    size_t cf = n + 1;
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        seq[n++] = (step){ hs[i].c, hs[i].len, 5.0 + hs[i].t };
    sd_evlist l = { 0 };
    stream_client_rtt_s = 0.060;
    run_stream(seq, n, &l);
    stream_client_rtt_s = 0;
    assert_int_equal(count_kind(&l, "reverse_init"), 1);
    for (size_t i = 0; i < l.n; i++)
        if (!strcmp(l.v[i].kind, "keystroke"))
            assert_int_not_equal(l.v[i].frame, 10 + cf);
    sd_evlist_free(&l);
}

/* ProxyJump: the client's first channel after login (direct-tcpip of -W)
 * carries the nested handshake. The connection is its tunnel: no shell,
 * no pty, no keys of its own; the nested session is announced. */
static void test_proxyjump_carrier(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 136, 1.08 },  { false, 44, 1.10 },   { false, 76, 1.11 },   { true, 76, 1.12 },
        { true, 1100, 1.13 }, { false, 1000, 1.14 }, { true, 1300, 1.15 },  { false, 1300, 1.16 },
        { true, 100, 1.17 },  { false, 76, 1.18 },   { true, 76, 3.00 },    { false, 76, 3.001 },
        { true, 76, 3.30 },   { false, 76, 3.301 },  { true, 76, 3.60 },    { false, 76, 3.601 },
    };
    step seq[48];
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "tunnel");
    const sd_event *e = find_kind(&l, "session");
    assert_non_null(e);
    assert_int_equal(e->leg, SD_LEG_FORWARD);
    assert_false(sd_ev_get(e, "pty")->b);
    assert_non_null(find_kind(&l, "nested_init"));
    for (size_t i = 0; i < l.n; i++)
        assert_false(!strcmp(l.v[i].kind, "keystroke") && l.v[i].leg == SD_LEG_FORWARD);
    sd_evlist_free(&l);
    /* the same records after a shell's pty-req are the shell's */
    step sh[64] = { { true, 112, 1.06 }, { false, 44, 1.07 }, { true, 376, 1.075 }, { false, 36, 1.076 } };
    memcpy(sh + 4, rest, sizeof rest);
    for (size_t i = 4; i < 4 + sizeof rest / sizeof rest[0]; i++)
        sh[i].t += 5.0;
    n = after_login(seq, sh, 4 + sizeof rest / sizeof rest[0]);
    su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "shell");
    sd_evlist_free(&l);
}

/* run_stream over a whole array of steps. */
#define RUN_STREAM(seq, l) run_stream((seq), sizeof(seq) / sizeof((seq)[0]), (l))

/* The auth_attempt event of attempt n (1-based), or NULL. */
static const sd_event *attempt_ev(const sd_evlist *l, int n)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].kind, "auth_attempt") && sd_ev_get(&l->v[i], "attempt")->i == n)
            return &l->v[i];
    return NULL;
}

/* Chacha sizes of the exchanges below (user "sdlab"): SERVICE_REQUEST
 * 44 and its accept 44, none probe 68 and its failure 52, public-key query
 * 140 / PK_OK 100 / signed request 308, keyboard-interactive request 92
 * (payload 55 + user), INFO_REQUEST with one prompt 68, INFO_RESPONSE
 * padded by OpenSSH 84, USERAUTH_SUCCESS 28 (the smallest packet). */
#define AUTH_START { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 52, 1.03 }
/* A login is used at once: the session's CHANNEL_OPEN (112 in a chacha
 * segment) and the confirmation follow USERAUTH_SUCCESS at t (without
 * them a success-sized answer is no login, sd_infer_auth.c). */
#define SESSION_AT(t) { true, 112, (t) + 0.01 }, { false, 44, (t) + 0.05 }

/* MFA (AuthenticationMethods publickey,keyboard-interactive): the signed
 * request is answered by a partial-success failure, then a code prompt.
 * Once the failure has the full failure's size (the key reads as
 * rejected), once another (the exchange goes on): both are MFA. */
static void test_mfa_pubkey_code(void **st)
{
    (void)st;
    static const step same[] = {
        AUTH_START, { true, 140, 1.04 }, { false, 100, 1.05 }, { true, 308, 1.06 }, { false, 52, 1.07 },
        { true, 92, 1.08 }, { false, 68, 1.09 }, { true, 84, 5.0 }, { false, 28, 5.1 },
        SESSION_AT(5.1),
    };
    static const step other[] = {
        AUTH_START, { true, 140, 1.04 }, { false, 100, 1.05 }, { true, 308, 1.06 }, { false, 44, 1.07 },
        { true, 92, 1.08 }, { false, 68, 1.09 }, { true, 84, 5.0 }, { false, 28, 5.1 },
        SESSION_AT(5.1),
    };
    sd_evlist l = { 0 };
    sd_infer_summary su = RUN_STREAM(same, &l);
    assert_int_equal(su.auth_success, 1);
    assert_true(su.auth_mfa);
    assert_int_equal(su.auth_attempts, 1); /* the key was a first factor, not a rejected attempt */
    assert_string_equal(su.auth_method, "keyboard-interactive");
    assert_true(sd_ev_get(attempt_ev(&l, 1), "mfa")->b);
    assert_int_equal(sd_ev_get(attempt_ev(&l, 1), "prompts")->i, 1);
    sd_evlist_free(&l);
    su = RUN_STREAM(other, &l);
    assert_true(su.auth_mfa);
    assert_int_equal(su.auth_attempts, 1);
    assert_string_equal(su.auth_method, "keyboard-interactive");
    sd_evlist_free(&l);
}

/* keyboard-interactive with one prompt (a password through PAM) is not
 * MFA; with two prompts (a password and a code) it is. */
static void test_kbdint_prompts(void **st)
{
    (void)st;
    static const step one[] = {
        AUTH_START, { true, 92, 1.04 }, { false, 68, 1.05 }, { true, 84, 4.0 }, { false, 28, 4.1 },
        SESSION_AT(4.1),
    };
    static const step two[] = {
        AUTH_START, { true, 92, 1.04 }, { false, 68, 1.05 }, { true, 84, 4.0 }, { false, 68, 4.1 },
        { true, 84, 9.0 }, { false, 28, 9.1 }, SESSION_AT(9.1),
    };
    /* PAM ends with an INFO_REQUEST of no prompts (44 here), answered at
     * once by an empty response of the last one's size: one prompt */
    static const step pam[] = {
        AUTH_START, { true, 92, 1.04 }, { false, 68, 1.05 }, { true, 84, 4.0 }, { false, 44, 4.1 },
        { true, 84, 4.101 }, { false, 28, 4.2 }, SESSION_AT(4.2),
    };
    sd_evlist l = { 0 };
    sd_infer_summary su = RUN_STREAM(one, &l);
    assert_string_equal(su.auth_method, "keyboard-interactive");
    assert_false(su.auth_mfa);
    assert_int_equal(sd_ev_get(attempt_ev(&l, 1), "prompts")->i, 1);
    assert_null(sd_ev_get(attempt_ev(&l, 1), "mfa"));
    sd_evlist_free(&l);
    su = RUN_STREAM(two, &l);
    assert_true(su.auth_mfa);
    assert_int_equal(sd_ev_get(attempt_ev(&l, 1), "prompts")->i, 2);
    sd_evlist_free(&l);
    su = RUN_STREAM(pam, &l);
    assert_int_equal(su.auth_attempts, 1);
    assert_false(su.auth_mfa);
    assert_int_equal(sd_ev_get(attempt_ev(&l, 1), "prompts")->i, 1);
    sd_evlist_free(&l);
}

/* The none request itself accepted (a server without authentication). */
static void test_none_auth(void **st)
{
    (void)st;
    static const step seq[] = { { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 28, 1.03 },
                                SESSION_AT(1.03) };
    sd_evlist l = { 0 };
    sd_infer_summary su = RUN_STREAM(seq, &l);
    assert_int_equal(su.auth_success, 1);
    assert_string_equal(su.auth_method, "none");
    sd_evlist_free(&l);
}

/* ABP: traffic both ways, the client's first record too small for a
 * SERVICE_REQUEST; the same traffic after a real SERVICE_REQUEST without
 * a login is no bypass. */
static void test_auth_bypass(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 36, 1.0 }, { false, 36, 1.1 }, { true, 100, 1.2 }, { false, 500, 1.3 },
        { true, 36, 1.4 }, { false, 36, 1.5 }, { true, 36, 1.6 }, { false, 36, 1.7 },
    };
    static const step with_sr[] = {
        { true, 44, 1.0 }, { false, 36, 1.1 }, { true, 100, 1.2 }, { false, 500, 1.3 },
        { true, 36, 1.4 }, { false, 36, 1.5 }, { true, 36, 1.6 }, { false, 36, 1.7 },
    };
    sd_evlist l = { 0 };
    RUN_STREAM(seq, &l);
    const sd_event *e = find_kind(&l, "auth_bypass");
    assert_non_null(e);
    assert_int_equal(e->frame, 10); /* run_stream numbers records from frame 10 */
    assert_int_equal(sd_ev_get(e, "client_records")->i, 4);
    sd_evlist_free(&l);
    RUN_STREAM(with_sr, &l);
    assert_null(find_kind(&l, "auth_bypass"));
    sd_evlist_free(&l);
}

/* SA: the none probe, its failure, then the connection closes; not when
 * the capture merely ends there, nor when a password follows. */
static void test_auth_scan(void **st)
{
    (void)st;
    static const step seq[] = { AUTH_START };
    static const step more[] = { AUTH_START, { true, 84, 3.0 }, { false, 52, 3.1 } };
    sd_evlist l = { 0 };
    stream_closed = true;
    RUN_STREAM(seq, &l);
    const sd_event *e = find_kind(&l, "scan");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "outcome")->s, "auth_methods_only");
    sd_evlist_free(&l);
    RUN_STREAM(more, &l);
    assert_null(find_kind(&l, "scan"));
    sd_evlist_free(&l);
    stream_closed = false;
    RUN_STREAM(seq, &l);
    assert_null(find_kind(&l, "scan"));
    sd_evlist_free(&l);
}

/* A banner in the probe's answer segment (136 = banner + failure): the
 * failure's size (52) is learned from the first typed password's answer. */
static void test_banner_coalesced(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 68, 1.02 }, { false, 136, 1.03 },
        { true, 148, 4.0 }, { false, 52, 4.1 }, { true, 148, 7.0 }, { false, 28, 7.1 }, SESSION_AT(7.1),
    };
    sd_evlist l = { 0 };
    sd_infer_summary su = RUN_STREAM(seq, &l);
    assert_true(su.auth_banner);
    assert_int_equal(su.auth_attempts, 2);
    assert_string_equal(sd_ev_get(attempt_ev(&l, 1), "result")->s, "failure");
    assert_false(sd_ev_get(attempt_ev(&l, 1), "automated")->b);
    assert_string_equal(su.auth_method, "password");
    sd_evlist_free(&l);
}

/* OpenSSH 9.6 on both ends: the second EXT_INFO rides with the probe's
 * failure (264, SSHniff patch_uptime_exit); three keys are refused (52:
 * smaller than their PK_OK could be), then a typed password. Between 9.2
 * ends the same answer is a banner. */
static void test_ext_info_in_auth(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 44, 1.00 }, { false, 44, 1.01 }, { true, 60, 1.02 }, { false, 264, 1.03 },
        { true, 500, 1.04 }, { false, 52, 1.05 }, { true, 204, 1.06 }, { false, 52, 1.07 },
        { true, 140, 1.08 }, { false, 52, 1.09 }, { true, 148, 4.0 }, { false, 28, 4.1 }, SESSION_AT(4.1),
    };
    sd_evlist l = { 0 };
    static char sw96[] = "OpenSSH_9.6p1";
    stream_sw = sw96;
    sd_infer_summary su = RUN_STREAM(seq, &l);
    stream_sw = NULL;
    assert_false(su.auth_banner);
    assert_int_equal(su.auth_attempts, 4);
    for (int i = 1; i <= 3; i++) {
        assert_string_equal(sd_ev_get(attempt_ev(&l, i), "method")->s, "publickey");
        assert_string_equal(sd_ev_get(attempt_ev(&l, i), "result")->s, "failure");
    }
    assert_string_equal(su.auth_method, "password");
    sd_evlist_free(&l);
    su = RUN_STREAM(seq, &l);
    assert_true(su.auth_banner);
    sd_evlist_free(&l);
}

/* A keyboard-interactive login whose response was typed (PAM's empty
 * last round answered at once) is not automated. */
static void test_kbdint_typed(void **st)
{
    (void)st;
    static const step seq[] = {
        AUTH_START, { true, 92, 1.04 }, { false, 68, 1.05 }, { true, 84, 4.0 }, { false, 44, 4.1 },
        { true, 84, 4.101 }, { false, 28, 4.2 }, SESSION_AT(4.2),
    };
    sd_evlist l = { 0 };
    RUN_STREAM(seq, &l);
    assert_false(sd_ev_get(attempt_ev(&l, 1), "automated")->b);
    sd_evlist_free(&l);
}

/* auth_closed: the server's DISCONNECT (76) in place of the second
 * failure (MaxAuthTries; the client closes first), a client giving up, a
 * server closing after 6 s of waiting; none when the capture just ends. */
static void test_auth_closed(void **st)
{
    (void)st;
    static const step tries[] = { AUTH_START, { true, 148, 3.0 }, { false, 52, 3.1 }, { true, 148, 6.0 },
                                  { false, 76, 6.1 } };
    static const step gave_up[] = { AUTH_START, { true, 148, 3.0 }, { false, 52, 3.1 } };
    static const step idle[] = { AUTH_START };
    sd_evlist l = { 0 };
    stream_closed = true;
    stream_fin_dir = 0;
    sd_infer_summary su = RUN_STREAM(tries, &l);
    const sd_event *e = find_kind(&l, "auth_closed");
    assert_non_null(e);
    assert_int_equal(su.auth_attempts, 2);
    assert_string_equal(sd_ev_get(e, "by")->s, "server");
    assert_string_equal(sd_ev_get(e, "reason")->s, "max_tries");
    assert_int_equal(sd_ev_get(e, "attempts")->i, 2);
    sd_evlist_free(&l);
    RUN_STREAM(gave_up, &l);
    e = find_kind(&l, "auth_closed");
    assert_string_equal(sd_ev_get(e, "by")->s, "client");
    assert_string_equal(sd_ev_get(e, "reason")->s, "gave_up");
    assert_int_equal(sd_ev_get(e, "attempts")->i, 1);
    sd_evlist_free(&l);
    stream_fin_dir = 1;
    stream_end_s = 7.03;
    RUN_STREAM(idle, &l);
    e = find_kind(&l, "auth_closed");
    assert_string_equal(sd_ev_get(e, "by")->s, "server");
    assert_string_equal(sd_ev_get(e, "reason")->s, "timeout");
    sd_evlist_free(&l);
    stream_closed = false;
    stream_fin_dir = 0;
    stream_end_s = 0;
    RUN_STREAM(gave_up, &l);
    assert_null(find_kind(&l, "auth_closed"));
    sd_evlist_free(&l);
}

/* The keystroke events' keys, in order, into out (up to max). */
static size_t keys_of(const sd_evlist *l, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n && n < max; i++)
        if (!strcmp(l->v[i].kind, "keystroke"))
            out[n++] = sd_ev_get(&l->v[i], "key")->s;
    return n;
}

/* The login, then rest (up to 192 - NLOGIN steps), through run_stream:
 * the keystroke events' keys into out (up to max), their number. */
static size_t keys_after_login(const step *rest, size_t nrest, sd_evlist *l, const char **out, size_t max)
{
    step seq[192];
    assert_true(NLOGIN + nrest <= sizeof seq / sizeof seq[0]);
    run_stream(seq, after_login(seq, rest, nrest), l);
    return keys_of(l, out, max);
}

/* The login, then rest (up to 32 - NLOGIN steps), through run_stream with
 * first KEXINITs of payload 1060 (client) and 1105 (server): 22 bytes of
 * fields and ten 4-byte lengths besides the lists (lab rekey_typing). */
static void run_rekey_stream(const step *rest, size_t nrest, sd_evlist *l)
{
    step seq[32];
    assert_true(NLOGIN + nrest <= sizeof seq / sizeof seq[0]);
    size_t n = after_login(seq, rest, nrest);
    kexinit_lists[0] = 1060 - 62;
    kexinit_lists[1] = 1105 - 62;
    run_stream(seq, n, l);
    kexinit_lists[0] = kexinit_lists[1] = 0;
}

/* A rekey between a key and Enter (lab rekey_typing frames 134-140): the
 * client's KEXINIT (1084), the server's (1132), sntrup's init (1220) and
 * reply (1272, with NEWKEYS), the client's NEWKEYS (28). None is a key
 * (the 1220 answered by 1272 read as a paste), and the Enter's output
 * is one answer. */
static void test_rekey_typing(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { true, 36, 2.00 }, { false, 36, 2.001 },                         /* "l" echoed */
        { true, 1084, 2.10 }, { false, 1132, 2.101 }, { true, 1220, 2.17 }, { false, 1272, 2.19 },
        { true, 28, 2.20 },                                               /* rekey */
        { true, 36, 2.50 }, { false, 36, 2.502 }, { false, 100, 2.51 },   /* Enter: output */
    };
    sd_evlist l = { 0 };
    run_rekey_stream(rest, sizeof rest / sizeof rest[0], &l);
    const char *k[8];
    assert_int_equal(keys_of(&l, k, 8), 2);
    assert_string_equal(k[0], "char");
    assert_string_equal(k[1], "enter");
    const sd_event *e = find_kind(&l, "rekey");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "initiator")->s, "client");
    assert_int_equal(sd_ev_get(e, "records")->i, 5);
    sd_evlist_free(&l);
}

/* A rekey in which the server sends its reply and NEWKEYS in one segment
 * and the Enter's output at once in the new keys, before the client's
 * NEWKEYS (RFC 4253 7.3; lab dropbear_server_rekey_s11200 frames 232-242:
 * 240 = reply + NEWKEYS, 1448 and 420 of output, the client's 28). The
 * output stays in the session (the Enter is no char) and the rekey has
 * five records. With reply_len a single packet's size (236: 4 modulo 8
 * under chacha) the sizes do not place the server's NEWKEYS and every
 * server record until the client's NEWKEYS goes with the exchange (7),
 * as before (the keys are not asserted: the Enter then reads as a char). */
static void run_rekey_data_first(uint32_t reply_len, int want_records, const char *const *want, size_t nwant)
{
    const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { true, 36, 2.00 }, { false, 36, 2.001 },                           /* "l" echoed */
        { true, 36, 2.30 }, { false, 36, 2.302 },                           /* Enter, CR LF */
        { true, 1084, 2.3021 }, { false, 1132, 2.3022 }, { true, 68, 2.305 }, /* KEXINITs, init */
        { false, reply_len, 2.308 }, { false, 1448, 2.311 }, { false, 420, 2.3111 },
        { true, 28, 2.314 },                                                /* the client's NEWKEYS */
        { true, 36, 2.80 }, { false, 36, 2.802 },                           /* "l" echoed */
    };
    sd_evlist l = { 0 };
    run_rekey_stream(rest, sizeof rest / sizeof rest[0], &l);
    const char *k[8];
    size_t nk = keys_of(&l, k, 8);
    if (want) {
        assert_int_equal(nk, nwant);
        for (size_t i = 0; i < nwant; i++)
            assert_string_equal(k[i], want[i]);
    }
    const sd_event *e = find_kind(&l, "rekey");
    assert_non_null(e);
    assert_int_equal(sd_ev_get(e, "records")->i, want_records);
    sd_evlist_free(&l);
}

static void test_rekey_server_data_first(void **st)
{
    (void)st;
    static const char *const want[] = { "char", "enter", "char" };
    run_rekey_data_first(240, 5, want, 3);
}

static void test_rekey_server_newkeys_unplaced(void **st)
{
    (void)st;
    run_rekey_data_first(236, 7, NULL, 0);
}

/* The keys read after the login and rest on a capture server_rtt (s)
 * from the server (the handshake's SYN to SYN-ACK) are want[0..nwant). */
static void assert_keys_at(const step *rest, size_t nrest, double server_rtt, const char *const *want,
                           size_t nwant)
{
    sd_evlist l = { 0 };
    const char *k[8];
    stream_server_rtt_s = server_rtt;
    size_t n = keys_after_login(rest, nrest, &l, k, 8);
    stream_server_rtt_s = 0;
    assert_int_equal(n, nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(k[i], want[i]);
    sd_evlist_free(&l);
}

/* Keys in flight: captured on the client's side of a 150 ms link (lab
 * wanc150_bash_fast, wanc150_interactive_chacha), keys typed 60 ms apart
 * leave before the echoes of the keys before them (key1, key2, key3,
 * echo1, key4, echo2, ...); a key 5 ms after an echo (of an earlier key)
 * is no protocol answer: its own echo comes a round trip later. Each key
 * is paired with its own answer in order: `l`, `s`, Backspace, `s`,
 * Enter. Paired with the next server record, `l` and `s` had none, the
 * Backspace took three echoes (an Enter) and the fourth key was lost. */
static void test_keys_in_flight(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.25 }, { true, 376, 1.26 }, { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.00 },  { true, 36, 2.06 },  { true, 36, 2.12 },   /* l, s, Backspace */
        { false, 36, 2.15 }, { true, 36, 2.155 },                       /* echo l; s */
        { false, 36, 2.21 }, { false, 44, 2.27 }, { false, 36, 2.305 }, /* echo s, BS echo, echo s */
        { true, 36, 2.40 },  { false, 36, 2.55 }, { false, 100, 2.551 }, { false, 52, 2.552 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "backspace", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.150, want, sizeof want / sizeof want[0]);
}

/* Keys not paired in flight (no key overtook an echo) on a 150 ms link
 * whose lone keys were answered a round trip later (lab
 * wanc150_interactive_chacha at +9900 frames 130-139): the loaded server
 * echoed the 5th and 6th keys late, the 6th's echo 15 ms after the 7th
 * key, sooner than any answer to it. That record is the 6th's: the 7th,
 * answered by it and its own echo, read as an Enter. */
static void test_keys_answer_too_early(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.25 }, { true, 376, 1.26 }, { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.15 },  { true, 36, 2.40 }, { false, 36, 2.55 }, /* l s */
        { true, 36, 2.80 },  { false, 36, 2.95 },  { true, 36, 3.20 }, { false, 36, 3.35 }, /* space a */
        { true, 36, 3.60 },  { true, 36, 3.87 },   { false, 36, 4.01 },                     /* b c, echo b */
        { true, 36, 4.07 },  { false, 36, 4.085 }, { false, 36, 4.22 },                     /* d, echo c, d */
        { true, 36, 4.60 },  { false, 36, 4.75 },  { false, 100, 4.751 }, { false, 52, 4.752 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.150, want, sizeof want / sizeof want[0]);
}

/* Keys in flight after a long output (lab wan_demo at seed +9000 frames
 * 195 and 278, the reverse leg's): the client's WINDOW_ADJUSTs amid it, a
 * key's size, are followed by more output within milliseconds. That is
 * no answer to them sooner than the round trip: counted so, they
 * outweighed the keys overtaking echoes after it and the keys were read
 * one by one (`s` lost, the Backspace read as Enter). */
static void test_keys_in_flight_after_output(void **st)
{
    (void)st;
    static const step head[] = {
        { true, 112, 1.10 }, { false, 44, 1.25 }, { true, 376, 1.26 }, { false, 36, 1.41 }, /* open, pty */
        { true, 36, 1.60 },  { false, 36, 1.75 },                                           /* Enter: echo */
    };
    static const step tail[] = {
        { true, 36, 3.00 },  { true, 36, 3.06 },  { true, 36, 3.12 },   /* l, s, Backspace */
        { false, 36, 3.15 }, { true, 36, 3.155 },                       /* echo l; s */
        { false, 36, 3.21 }, { false, 44, 3.27 }, { false, 36, 3.305 }, /* echo s, BS echo, echo s */
        { true, 36, 3.40 },  { false, 36, 3.55 }, { false, 100, 3.551 }, { false, 52, 3.552 }, /* Enter */
    };
    step rest[160];
    size_t n = 0;
    memcpy(rest, head, sizeof head);
    n = sizeof head / sizeof head[0];
    double t = 1.76;
    for (int w = 0; w < 2; w++) {
        for (int i = 0; i < 36; i++, t += 0.0005)
            rest[n++] = (step){ false, 1448, t };
        rest[n++] = (step){ true, 36, t };                 /* WINDOW_ADJUST */
        t += 0.005;                                        /* the output goes on */
        for (int i = 0; i < 20; i++, t += 0.01)
            rest[n++] = (step){ false, 1448, t };
    }
    rest[n++] = (step){ false, 1448, t };
    rest[n++] = (step){ false, 52, t + 0.001 };            /* prompt */
    memcpy(rest + n, tail, sizeof tail);
    n += sizeof tail / sizeof tail[0];
    static const char *const want[] = { "enter", "char", "char", "backspace", "char", "enter" };
    assert_keys_at(rest, n, 0.150, want, sizeof want / sizeof want[0]);
}

/* n full records of a terminal's flood 0.1 ms apart into rest[*k] from
 * *t on. */
static void flood_of(step *rest, size_t *k, int n, double *t)
{
    for (int i = 0; i < n; i++, *t += 0.0001)
        rest[(*k)++] = (step){ false, 1448, *t };
}

/* A terminal flooded with output on a LAN (lab big_output at seed +11800
 * frames 75-149: `seq 1 100000`): the client's WINDOW_ADJUST (36, a key's
 * size) 0.06 ms after a full record, a 36-byte piece of the output 0.04
 * ms after it, then more full records: no key (read as one echoed at
 * once, answered by the flood: an Enter). A key of that size typed later,
 * alone with its echo, is a key; a Ctrl-C amid the flood with the same
 * piece after it, after which the output already sent arrives and the
 * flood stops at the terminal's "^C" echo and a prompt, is a key too. */
static void test_flood_window_adjust(void **st)
{
    (void)st;
    static const step head[] = {
        { true, 112, 1.10 }, { false, 44, 1.11 }, { true, 376, 1.12 }, { false, 36, 1.13 }, /* open, pty */
        { true, 36, 1.60 },  { false, 36, 1.6003 },                                          /* Enter: echo */
    };
    static const step tail[] = {
        { true, 36, 3.00 }, { false, 36, 3.0003 },                                          /* l */
        { true, 36, 3.30 }, { false, 36, 3.3003 }, { false, 100, 3.301 }, { false, 52, 3.302 }, /* Enter */
    };
    for (int ctrlc = 0; ctrlc <= 1; ctrlc++) {
        step rest[160];
        size_t n = sizeof head / sizeof head[0];
        memcpy(rest, head, sizeof head);
        double t = 1.601;
        flood_of(rest, &n, 40, &t);
        rest[n++] = (step){ true, 36, t - 0.00004 };  /* the adjust (a Ctrl-C) */
        rest[n++] = (step){ false, 36, t };          /* a piece of the output */
        t += 0.0001;
        flood_of(rest, &n, ctrlc ? 20 : 60, &t);      /* sent before the Ctrl-C came */
        if (ctrlc)
            rest[n++] = (step){ false, 36, t + 0.0002 }; /* "^C" */
        rest[n++] = (step){ false, 52, t + 0.0005 };     /* the prompt */
        memcpy(rest + n, tail, sizeof tail);
        n += sizeof tail / sizeof tail[0];
        sd_evlist l = { 0 };
        const char *k[8];
        size_t nk = keys_after_login(rest, n, &l, k, 8);
        assert_int_equal(nk, ctrlc ? 4 : 3);
        assert_string_equal(k[0], "enter");
        assert_string_equal(k[nk - 2], "char");
        assert_string_equal(k[nk - 1], "enter");
        sd_evlist_free(&l);
    }
}

/* Keys in flight with a key never echoed (Ctrl-G between `l` and `s`,
 * then a Backspace; 150 ms round trip): when `s`'s echo comes, Ctrl-G is
 * past its round trip + 50 ms and a later key is due: it is left
 * unanswered (a char, as an unanswered key before another key), so `s`,
 * the Backspace, `x` and Enter keep their own answers (without that,
 * each took the answer of the key before it). */
static void test_keys_in_flight_unechoed(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.25 }, { true, 376, 1.26 }, { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.00 },  { true, 36, 2.05 },  { true, 36, 2.11 },  { true, 36, 2.17 }, /* l ^G s BS */
        { false, 36, 2.15 }, { false, 36, 2.26 }, { false, 44, 2.32 },                   /* echoes l s BS */
        { true, 36, 2.40 },  { false, 36, 2.55 },                                         /* x */
        { true, 36, 2.70 },  { false, 36, 2.85 }, { false, 100, 2.851 }, { false, 52, 2.852 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "backspace", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.150, want, sizeof want / sizeof want[0]);
}

/* Keys in flight over 300 ms (lab wanc300_bash_fast frames 40-55, times
 * less 7.71 s): three keys 29-48 ms apart, their echoes coalesced by the
 * server in one 44-byte record under chacha20 (three bytes, a Backspace
 * echo's size) 396 ms after the first. The first two were past their
 * round trip + KEYS_ECHO_LATE_S and left unechoed, the third read as a
 * Backspace; the record's size is the three keys' echoes: three chars. */
static void test_keys_in_flight_coalesced(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },   { false, 44, 1.25 },   { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.000 },   { true, 36, 2.0289 },  { true, 36, 2.0775 }, { true, 36, 2.1247 },
        { true, 36, 2.3327 },  { true, 36, 2.3382 },                                         /* 5 keys, Enter */
        { false, 44, 2.3964 }, { false, 36, 2.4271 }, { false, 36, 2.6366 },                 /* echoes */
        { false, 1420, 2.6446 }, { false, 52, 2.6458 },                                      /* output, prompt */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* The look-alike of test_keys_in_flight_coalesced: the same keys, but
 * the first two keys' echoes came back at the round trip, one record
 * each, before the third's 44: nothing is owed past its deadline when
 * it comes, so it is the third key's own answer, a Backspace's erase. */
static void test_keys_in_flight_backspace_after_echoes(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },   { false, 44, 1.25 },   { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.000 },   { true, 36, 2.0289 },  { true, 36, 2.0775 }, { true, 36, 2.1247 },
        { true, 36, 2.3327 },  { true, 36, 2.3382 },                        /* 2 keys, BS, 2 keys, Enter */
        { false, 36, 2.3010 }, { false, 36, 2.3301 }, { false, 44, 2.3790 }, { false, 36, 2.4271 },
        { false, 36, 2.6366 }, { false, 1420, 2.6446 }, { false, 52, 2.6458 },
    };
    static const char *const want[] = { "char", "char", "backspace", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* Keys in flight (client side, 300 ms round trip; lab
 * wanc300_interactive_chacha seed +3000 frames 81-96): a Tab typed 12 ms
 * after the echo of the key before, its completion (44) 352 ms later, past
 * the round trip + ECHO_NOW_S (the shell computes it first): a key, not a
 * protocol answer; `cd` typed, Tab, Enter. */
static void test_keys_in_flight_slow_completion(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.40 }, { true, 376, 1.41 }, { false, 36, 1.71 }, /* open, pty */
        { true, 36, 2.000 }, { true, 36, 2.217 }, { false, 36, 2.300 }, { false, 36, 2.527 }, /* c d, echoes */
        { true, 36, 2.535 }, { false, 36, 2.836 }, { true, 36, 2.848 }, { false, 44, 3.200 }, /* space, Tab */
        { true, 36, 3.223 }, { false, 100, 3.525 }, { false, 52, 3.526 },                   /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "tab", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* A key held by the sender's Nagle until the echo before it brought the
 * ACK of the key before leaves 0.3 ms after that echo, and its own echo
 * comes two round trips later (lab srv_reverse_keys frames 122-127: a
 * reverse leg's key on the server's side of a 61 ms link; here a forward
 * leg's on the client's side of a 60 ms one, the same class: the key's
 * sender next to the capture). Not a protocol answer: `l`, `s`, `l`,
 * Enter. */
static void test_key_held_after_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.16 },  { true, 376, 1.17 }, { false, 36, 1.23 },   /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.062 }, { true, 36, 2.30 },  { false, 36, 2.4733 }, /* l, s */
        { true, 36, 2.4736 }, { false, 36, 2.5924 },                                           /* l, held */
        { true, 36, 2.90 },  { false, 36, 2.962 }, { false, 100, 2.963 }, { false, 52, 2.964 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.060, want, sizeof want / sizeof want[0]);
}

/* Keys in flight after a channel's protocol (lab wanc220_reverse_keys
 * frames 158-181, 220 ms round trip, after a reverse session): a
 * key-sized client record 1.3 ms after a server record that answers no
 * key, crossed 0.1 ms later by a server record, then another: protocol
 * answers, no keys, and the crossing record is no early answer (it would
 * keep the pairing off): `l`, `s`, `-`, `l`, Enter, each with its echo. */
static void test_keys_in_flight_after_protocol(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },    { false, 44, 1.32 },    { true, 376, 1.33 },    { false, 36, 1.55 }, /* open, pty */
        { false, 132, 2.0 },    { true, 36, 2.0013 },   { false, 36, 2.0014 },  { true, 36, 2.0015 },
        { false, 36, 2.2220 },  { true, 36, 3.3668 },   { false, 36, 3.5873 },  { true, 36, 3.6015 },
        { false, 36, 3.8221 },  { true, 36, 3.8224 },   { true, 36, 3.9952 },   { false, 36, 4.0429 },
        { false, 36, 4.2156 },  { true, 36, 4.5323 },   { false, 44, 4.7532 },  { false, 36, 4.7543 },
        { false, 140, 4.7551 },
    };
    static const char *const want[] = { "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.220, want, sizeof want / sizeof want[0]);
}

/* A key whose echo the server sends with the next key's answer (lab
 * zsh_session at seed +4000 frames 137-148, chacha on a LAN): `o` leaves
 * (36) 20 ms before a Left arrow (44), one 36-byte record answers both
 * 20 ms later. Unanswered, `o` is a key because a key follows it, an
 * arrow as much as a character (before, only a character's size kept it:
 * the arrow's left it read as a protocol message): `l`, `o`, Left, `x`
 * (an insert, answered by a redraw), Enter. */
static void test_unanswered_key_before_arrow(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { true, 36, 2.000 }, { false, 36, 2.006 },                        /* l */
        { true, 36, 2.203 }, { true, 44, 2.223 }, { false, 36, 2.243 },   /* o, Left: one echo */
        { true, 36, 2.370 }, { false, 44, 2.3704 },                       /* x: redraw */
        { true, 36, 2.823 }, { false, 36, 2.824 }, { false, 100, 2.83 }, { false, 52, 2.831 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "arrow", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0, want, sizeof want / sizeof want[0]);
}

/* A key typed as the echo before arrives (client side, 150 ms round trip;
 * lab wanc150_interactive_aes128ctr-sha256etm at seed +4000 frames
 * 51-54, no keys overtaking echoes): a Backspace 10 ms after the echo of
 * the key before, its erase (44, larger than an echo) 153 ms later: a
 * key answered at once, as an echo would be, not a protocol answer: `l`,
 * `s`, Backspace, `x`, Enter. */
static void test_backspace_right_after_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.25 }, { true, 376, 1.26 }, { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.15 },  { true, 36, 2.25 }, { false, 36, 2.40 }, /* l, s */
        { true, 36, 2.41 },  { false, 44, 2.563 },                                          /* Backspace */
        { true, 36, 2.75 },  { false, 36, 2.90 },                                           /* x */
        { true, 36, 3.20 },  { false, 36, 3.35 }, { false, 100, 3.351 }, { false, 52, 3.352 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "backspace", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.150, want, sizeof want / sizeof want[0]);
}

/* Keys in flight with a key held for the ACK the echo before brought
 * (lab wan_reverse_keys at seed +4000 frames 117-123: a reverse key 13 ms
 * after the echo before, on the server's side of a 200 ms link, its echo
 * 376 ms later; here a forward leg's on the client's side, the same
 * class): its echo, held likewise, comes within ECHO_HELD_RTTS round
 * trips, not a protocol answer: `l`, `s` (overtaking `l`'s echo), `x`,
 * Enter. */
static void test_keys_in_flight_held_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.30 }, { true, 376, 1.31 }, { false, 36, 1.51 }, /* open, pty */
        { true, 36, 2.000 }, { true, 36, 2.060 }, { false, 36, 2.200 }, { false, 36, 2.260 }, /* l, s */
        { true, 36, 2.273 }, { false, 36, 2.649 },                                          /* x, held */
        { true, 36, 3.000 }, { false, 36, 3.200 }, { false, 100, 3.201 }, { false, 52, 3.202 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.200, want, sizeof want / sizeof want[0]);
}

/* Keys in flight, a held key's echo past the round trip + KEYS_ECHO_LATE_S
 * while later keys are due (lab wan_demo at seed +4200 frames 217-224: a
 * reverse key 0.3 ms after the echo before, its echo 455 ms later over
 * 200 ms): not left unechoed (its echo then paired with the next key, and
 * the key read as a protocol answer), its echo held as it was:
 * `l`, `s`, `x` (held), `y`, `z`, Enter. */
static void test_keys_in_flight_held_echo_late(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },   { false, 44, 1.30 },   { true, 376, 1.31 },   { false, 36, 1.51 }, /* open, pty */
        { true, 36, 2.000 },   { true, 36, 2.060 },   { false, 36, 2.200 },  { false, 36, 2.260 }, /* l, s */
        { true, 36, 2.2603 },  { true, 36, 2.4578 },  { true, 36, 2.621 },                       /* x y z */
        { false, 36, 2.7153 }, { false, 36, 2.822 },  { false, 36, 2.900 },                      /* echoes */
        { true, 36, 3.300 },   { false, 36, 3.500 },  { false, 100, 3.501 }, { false, 52, 3.502 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.200, want, sizeof want / sizeof want[0]);
}

/* The handshake's round trip is not always the echoes' (SSHniff
 * known_pass_lsal_id_exit: a 110 ms SYN-ACK, echoes in 8-85 ms): keys
 * answered sooner than 3/4 of it while alone in flight outnumber keys
 * overtaking echoes (a key not echoed, Ctrl-G, then `l` 50 ms later), so
 * each key keeps the next server record: `l`, `s`, Ctrl-G, `l`, Enter.
 * Paired a round trip later, the echoes before it would be nobody's. */
static void test_keys_in_flight_fast_echoes(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.012 }, { true, 36, 2.20 }, { false, 36, 2.215 }, /* l, s */
        { true, 36, 2.40 },  { true, 36, 2.45 },   { false, 36, 2.46 },                      /* ^G, l */
        { true, 36, 2.70 },  { false, 36, 2.71 },  { false, 100, 2.711 }, { false, 52, 2.712 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.110, want, sizeof want / sizeof want[0]);
}

/* Keys in flight whose echoes are held on the path and released together
 * (lab wanc150_bash_fast_s1000 frames 39-55, 150 ms round trip): the
 * echoes of the 2nd and 3rd keys come in one instant 209 and 174 ms after
 * them, past the round trip + 50 ms. A burst of answers leaves no key
 * unechoed: each key keeps its own echo (the 2nd was dropped as unechoed
 * before, and every later key took its successor's answer: the 4th read
 * as Enter). */
static void test_keys_in_flight_burst(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },  { false, 44, 1.25 },   { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.2405 }, { true, 36, 2.2917 },  { true, 36, 2.3262 }, { true, 36, 2.3867 },
        { false, 36, 2.3912 }, { false, 36, 2.5004 }, { false, 36, 2.5005 }, { true, 36, 2.5007 },
        { false, 36, 2.5762 }, { false, 36, 2.6884 },                                          /* echoes */
        { true, 36, 2.9334 }, { false, 36, 3.1015 }, { false, 100, 3.11 }, { false, 52, 3.12 }, /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.150, want, sizeof want / sizeof want[0]);
}

/* Keys in flight over 300 ms (fresh wanc300_bash_fast at seed +5000
 * frames 137-157, times less 9 s): the fourth key's echo came 357 ms
 * after it, 57 ms past the round trip + KEYS_ECHO_LATE_S on the loaded
 * lab machine, the echoes after it in time. Left unechoed by the FIFO,
 * every later key took its successor's answer (the next in 287 ms) and
 * the Tab (its completion, 44) an echo and the completion: read as
 * Enter, then as a char. */
static void test_keys_in_flight_late_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },  { false, 44, 1.25 },  { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.115 },  { true, 36, 2.149 },  { true, 36, 2.207 },  { true, 36, 2.267 },
        { true, 36, 2.303 },  { true, 36, 2.346 },  { true, 36, 2.397 },                       /* "cat no", Tab */
        { false, 36, 2.417 }, { false, 36, 2.450 }, { false, 36, 2.508 }, { true, 36, 2.552 }, /* Enter */
        { false, 36, 2.624 }, { false, 36, 2.633 }, { false, 36, 2.646 }, { false, 44, 2.701 },
        { false, 276, 2.853 },
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "char", "tab", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* Keys in flight over 300 ms (fresh wanc300_bash_fast at seed +5000 in
 * the +10800 sweep, frames 190-218, times less 12 s): the first key's
 * echo came 353 ms after it, 3 ms past the round trip +
 * KEYS_ECHO_LATE_S. Left unechoed, the next echo would answer its key in
 * 300.5 ms (no sign), the one after in 289.7 ms (too soon): the fourth
 * key took two echoes and read as an Enter. Every echo after the dropped
 * key is looked at, not only the next. */
static void test_keys_in_flight_late_first_echo(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },  { false, 44, 1.25 },  { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.1328 }, { true, 36, 2.1678 }, { true, 36, 2.2103 }, { true, 36, 2.2420 },
        { true, 36, 2.4239 }, { false, 36, 2.4858 }, { true, 36, 2.4975 }, { false, 36, 2.5108 },
        { false, 36, 2.5317 }, { true, 36, 2.5427 }, { false, 36, 2.5483 }, { true, 36, 2.6078 },
        { false, 36, 2.7264 }, { false, 36, 2.7983 }, { false, 36, 2.8461 }, { false, 36, 2.9087 },
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "char", "char", "char" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* Keys in flight over 300 ms (fresh wanc300_bash_fast at seed +5000
 * frames 84-96): a line's last character typed 193 ms before its Enter,
 * its echo sent with the Enter's answer in one 60-byte record (the echo,
 * the command's output and the prompt). The unanswered key before an
 * Enter had a multiplexer prefix's shape (the key after it read as a
 * char); a prefix is pressed at a prompt, and two keys' echoes are no
 * line and prompt. */
static void test_echo_with_enter(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 },  { false, 44, 1.25 },  { true, 376, 1.26 },  { false, 36, 1.41 }, /* open, pty */
        { true, 36, 2.00 },   { true, 36, 2.04 },   { true, 36, 2.08 },   { true, 36, 2.12 },
        { true, 36, 2.16 },   { false, 36, 2.30 },  { false, 36, 2.34 },  /* 5 keys, echoes */
        { true, 36, 2.35 },   { false, 36, 2.38 },  { false, 36, 2.42 },  /* Enter, echoes */
        { false, 60, 2.65 },                                              /* echo, output, prompt */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.300, want, sizeof want / sizeof want[0]);
}

/* A key that left 14.7 ms after the echo before it (too soon to answer
 * it), then the next key, and the server echoed both in one segment of
 * two echo records (lab sweep +11200 wan_proxyjump_keys_chacha frames
 * 121-130, the hop's keys: 76 each, 152 together; here the forward leg's
 * 36 and 72 under chacha20, which no one record has). The first key was
 * dropped as a protocol answer and the 72 read as the second's Enter.
 * Answered by one echo only, the record too soon stays no key. */
static void test_key_echoed_with_next(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0001 }, { true, 36, 2.20 },  { false, 36, 2.30 },   /* echo late */
        { true, 36, 2.3147 },                                                                  /* too soon */
        { true, 36, 2.503 }, { false, 72, 2.545 },                                             /* both echoes */
        { true, 36, 2.90 },  { false, 36, 2.9002 }, { false, 60, 2.905 },                      /* Enter */
    };
    enum { NR = sizeof rest / sizeof rest[0] };
    for (int both = 1; both >= 0; both--) {
        step r[NR];
        memcpy(r, rest, sizeof rest);
        if (!both)
            r[10].len = 36;
        sd_evlist l = { 0 };
        const char *k[8];
        size_t n = keys_after_login(r, NR, &l, k, 8);
        static const char *const want[] = { "char", "char", "char", "char", "enter" };
        assert_int_equal(n, both ? 5 : 4);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(k[i], want[i + (!both && i >= 2)]);
        sd_evlist_free(&l);
    }
}

/* Keys held together on a LAN (fresh bash_fast at seed +7000 frames
 * 187-194): `u` held by a loaded client and sent 77 us before a Tab, the
 * server answering each in turn, the echo (36) and the completion (44):
 * `cd Du`, Tab, Enter. The Tab took both records and read as an Enter,
 * then as a multiplexer's key (a char) after the unanswered `u`. */
static void test_held_keys_echoes(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0001 }, { true, 36, 2.05 }, { false, 36, 2.0501 }, /* c, d */
        { true, 36, 2.10 },  { false, 36, 2.1001 }, { true, 36, 2.15 }, { false, 36, 2.1501 }, /* space, D */
        { true, 36, 2.20 },  { true, 36, 2.20008 }, { false, 36, 2.2013 }, { false, 44, 2.2015 }, /* u, Tab */
        { true, 36, 2.50 },  { false, 60, 2.5003 },                                               /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "tab", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.0002, want, sizeof want / sizeof want[0]);
}

/* A key answered late, after the next one left (fresh zsh_session at
 * seed +8000 frames 172-196): on a LAN, `cat no` and a Tab that zsh
 * answered 300 ms later (its first completion loads the completion
 * functions), after the Enter typed 260 ms after the Tab: the completion
 * (52), then the Enter's answer (60), output and prompt. The Tab, left
 * with no answer, read as a char. A multiplexer's prefix (tmux C-b),
 * which nothing answers, pressed at a prompt keeps its reading: the key
 * after it is the multiplexer's (test_multiplexer_prefix). */
static void test_computed_answer_late(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0002 }, { true, 36, 2.15 }, { false, 36, 2.1502 }, /* c, a */
        { true, 36, 2.30 },  { false, 36, 2.3002 }, { true, 36, 2.45 }, { false, 36, 2.4502 }, /* t, space */
        { true, 36, 2.60 },  { false, 36, 2.6002 }, { true, 36, 2.75 }, { false, 36, 2.7502 }, /* n, o */
        { true, 36, 2.92 },                                                                     /* Tab */
        { true, 36, 3.18 },  { false, 52, 3.2206 }, { false, 60, 3.2206 }, /* Enter; completion, echo */
        { false, 260, 3.30 }, { false, 44, 3.3002 },                      /* output, prompt */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "char", "tab", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.0002, want, sizeof want / sizeof want[0]);
}

/* A server stalled past a key's echo (fresh asyncssh_server_aes128gcm at
 * seed +9800 frames 50-66, AsyncSSH's IGNOREs dropped): `l`, `s`, then
 * `s` unanswered for the 80 ms until a Backspace, after which the server
 * wrote the echo and the erase (44) 0.2 ms apart. The Backspace took
 * both and read as Enter. */
static void test_stalled_server_echoes(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0005 }, { true, 36, 2.23 }, { false, 36, 2.2305 }, /* l, s */
        { true, 36, 2.45 },  { true, 36, 2.53 },                                              /* s, BS */
        { false, 36, 2.539 }, { false, 44, 2.5392 },                                           /* echo, erase */
        { true, 36, 2.80 },  { false, 36, 2.8005 },                                           /* a */
        { true, 36, 3.10 },  { false, 36, 3.1005 }, { false, 52, 3.103 },                    /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "backspace", "char", "enter" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.0002, want, sizeof want / sizeof want[0]);
}

/* Its look-alikes: a key nothing answers inside a line (a bell-less
 * control key), then an Enter 80 ms later answered by its CR LF echo and,
 * once the command ran, a prompt (2.5 ms later); and the stalled server's
 * catch-up of an echo before an Enter's CR LF, output and prompt. Each
 * Enter keeps its records. */
static void test_silent_key_then_enter(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0005 }, { true, 36, 2.23 }, { false, 36, 2.2305 }, /* l, s */
        { true, 36, 2.45 },  { true, 36, 2.53 },                                              /* silent, Enter */
        { false, 36, 2.5305 }, { false, 52, 2.533 },                                           /* CR LF, prompt */
        { true, 36, 4.00 },  { false, 36, 4.0005 },                                           /* l */
    };
    static const char *const want[] = { "char", "char", "char", "enter", "char" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.0002, want, sizeof want / sizeof want[0]);
    static const step stalled[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0005 }, { true, 36, 2.23 }, { false, 36, 2.2305 }, /* l, s */
        { true, 36, 2.45 },  { true, 36, 2.53 },                                              /* s, Enter */
        { false, 36, 2.539 }, { false, 36, 2.5392 }, { false, 52, 2.542 },                  /* echo, CR LF, prompt */
        { true, 36, 4.00 },  { false, 36, 4.0005 },                                           /* l */
    };
    assert_keys_at(stalled, sizeof stalled / sizeof stalled[0], 0.0002, want, sizeof want / sizeof want[0]);
}

/* AsyncSSH's server sends an empty IGNORE before each packet, one write
 * each: a key is answered by the IGNORE and the echo, both of an echo's
 * size (36 under chacha20-poly1305), within IGNORE_BURST_S. On a loaded
 * machine the first key's pair left split (fresh asyncssh_server at seed
 * +8000 frames 55-56: 69 ms after the key, then 7.6 ms apart): two echo
 * records, read as Enter. An answer opens with its IGNORE whatever the
 * gap to its message (IGNORE_SPLIT_S): `l`, `s`, then the Enter's CR LF,
 * output and prompt, each with its IGNORE. */
static void test_asyncssh_split_ignore(void **st)
{
    (void)st;
    static char sw[] = "AsyncSSH_2.10.1";
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 52, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.069 },  { false, 36, 2.0766 },                     /* l: split */
        { true, 36, 2.25 },  { false, 36, 2.2507 }, { false, 36, 2.2508 },                     /* s */
        { true, 36, 2.55 },  { false, 36, 2.5507 }, { false, 36, 2.5508 }, { false, 36, 2.5509 },
        { false, 84, 2.5510 }, { false, 36, 2.5511 }, { false, 52, 2.5512 }, /* Enter: CR LF, output, prompt */
        { true, 36, 3.60 },  { false, 36, 3.6007 }, { false, 36, 3.6008 },                     /* p */
    };
    static const char *const want[] = { "char", "char", "enter", "char" };
    sd_evlist l = { 0 };
    const char *k[8];
    stream_sw = sw;
    size_t n = keys_after_login(rest, sizeof rest / sizeof rest[0], &l, k, 8);
    stream_sw = NULL; /* before any assertion: the next tests run OpenSSH */
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(k[i], want[i]);
    sd_evlist_free(&l);
}

/* A multiplexer's prefix at a prompt (lab tmux frames 164-180): `l`,
 * `s`, Enter (output, prompt), then C-b, which nothing answers, and d
 * 0.245 s later, answered at once by the detach's redraw (156, 68, 52):
 * two keys of the multiplexer (chars), the redraw no answer of the
 * prefix's own (a completion computed late follows a line's characters:
 * test_computed_answer_late). */
static void test_multiplexer_prefix(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.0002 }, { true, 36, 2.15 }, { false, 36, 2.1502 }, /* l, s */
        { true, 36, 2.40 },  { false, 68, 2.402 },  { false, 44, 2.43 },                       /* Enter */
        { true, 36, 3.10 },                                                                     /* C-b */
        { true, 36, 3.345 }, { false, 156, 3.3458 }, { false, 68, 3.3462 }, { false, 52, 3.3471 }, /* d */
    };
    static const char *const want[] = { "char", "char", "enter", "char", "char" };
    assert_keys_at(rest, sizeof rest / sizeof rest[0], 0.0002, want, sizeof want / sizeof want[0]);
}

/* A line's last character answered by its echo and, 262 ms later, by
 * tmux's own update (one 44-byte record, no prompt line), the bare Enter
 * 0.534 s after the key (lab sweep +11200 tmux frames 143-174, `uname
 * -r`): past INSERT_NEXT_S but at 2.2 times the line's pace (0.245 s), a
 * person typing on, not reading an output. Typed four times faster the
 * same gap is a pause: the key stays an Enter there. */
static void test_multiplexer_update_at_pace(void **st)
{
    (void)st;
    for (int slow = 1; slow >= 0; slow--) {
        double g = slow ? 0.245 : 0.06, t = 2.0, r;
        step rest[32] = {
            { true, 112, 1.10 }, { false, 44, 1.1002 }, { true, 376, 1.11 }, { false, 36, 1.1102 }, /* open, pty */
        };
        size_t n = 4;
        for (int c = 0; c < 5; c++, t += g) {
            rest[n++] = (step){ true, 36, t };
            rest[n++] = (step){ false, 36, t + 0.0005 };
        }
        r = t - g; /* the last character */
        rest[n++] = (step){ false, 44, r + 0.262 };  /* tmux's update */
        rest[n++] = (step){ true, 36, r + 0.534 };   /* Enter */
        rest[n++] = (step){ false, 36, r + 0.5344 };
        rest[n++] = (step){ false, 52, r + 0.5404 }; /* output */
        rest[n++] = (step){ false, 52, r + 0.5480 }; /* prompt */
        static const char *const want[] = { "char", "char", "char", "char", "char", "enter" };
        static const char *const fast[] = { "char", "char", "char", "char", "enter", "enter" };
        assert_keys_at(rest, n, 0.0005, slow ? want : fast, 6);
    }
}

/* Key-sized keepalives 2.000 s apart during an idle shell (lab
 * dropbear_keepalive: dbclient -K 2) are not keys; the keys around them
 * are: `l`, then the tail's. */
static const step keepalive_ticks[] = {
    { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
    { true, 36, 2.00 }, { false, 36, 2.001 },                        /* "l" */
    { true, 36, 4.00 }, { false, 36, 4.001 }, { true, 36, 6.001 }, { false, 36, 6.002 },
    { true, 36, 8.002 }, { false, 36, 8.003 },                       /* ticks */
};

/* The keys of keepalive_ticks and tail (up to 8 steps): as many as want. */
static void assert_keys_after_ticks(const step *tail, size_t ntail, size_t want)
{
    enum { NT = sizeof keepalive_ticks / sizeof keepalive_ticks[0] };
    step rest[NT + 8];
    assert_true(ntail <= 8);
    memcpy(rest, keepalive_ticks, sizeof keepalive_ticks);
    memcpy(rest + NT, tail, ntail * sizeof *tail);
    sd_evlist l = { 0 };
    const char *k[8];
    assert_int_equal(keys_after_login(rest, NT + ntail, &l, k, 8), want);
    for (size_t i = 0; i < want; i++)
        assert_string_equal(k[i], "char");
    sd_evlist_free(&l);
}

static void test_keepalive_ticks(void **st)
{
    (void)st;
    static const step tail[] = { { true, 36, 9.70 }, { false, 36, 9.701 } }; /* "s" */
    assert_keys_after_ticks(tail, sizeof tail / sizeof tail[0], 2);
}

/* The same ticks over a link with an 80 ms round trip: a timer restarted
 * by the answer to its last tick (OpenSSH's ServerAliveInterval, the
 * lab's dbclient -K) ticks 2.08 s apart, 2.000 s after each answer: still
 * not keys. */
static void test_keepalive_rtt(void **st)
{
    (void)st;
    static const step s[] = {
        { true, 112, 1.10 }, { false, 44, 1.18 }, { true, 376, 1.26 }, { false, 36, 1.34 }, /* open, pty */
        { true, 36, 2.00 },  { false, 36, 2.08 },                                          /* "l" */
        { true, 36, 4.08 },  { false, 36, 4.16 }, { true, 36, 6.16 }, { false, 36, 6.24 },
        { true, 36, 8.24 },  { false, 36, 8.32 },                                          /* ticks */
        { true, 36, 9.90 },  { false, 36, 9.98 },                                          /* "s" */
    };
    sd_evlist l = { 0 };
    const char *k[8];
    assert_int_equal(keys_after_login(s, sizeof s / sizeof s[0], &l, k, 8), 2);
    sd_evlist_free(&l);
}

/* A key typed when dbclient's next keepalive tick was nearly due leaves
 * with the tick in one record of two keys' size (lab
 * dropbear_keepalive_s1000 frame 58: 1.79 s after the last of 2 s ticks),
 * answered by the echo and the keepalive's answer: a key (the first of
 * `whoami`), as one sent with a PING. It was lost. */
static void test_keepalive_with_key(void **st)
{
    (void)st;
    static const step tail[] = {
        { true, 72, 9.79 }, { false, 36, 9.7902 }, { false, 36, 9.7903 }, /* "w" and a tick */
        { true, 36, 10.01 }, { false, 36, 10.0102 },                     /* "h" */
    };
    assert_keys_after_ticks(tail, sizeof tail / sizeof tail[0], 3);
}

/* dbclient -K 2 on a loaded machine (fresh dropbear_keepalive at seed
 * +9900 frames 48-63): the server answered a tick 23 ms late, so the
 * ticks, each 2.002 s after the answer before, came 2.025 s then 2.002 s
 * apart; then a key left with the next tick (72). The last tick read as
 * a key and the key with the tick was lost. A person's keys as far apart
 * are answered at once (test_keepalive_ticks' tail keeps its keys). */
static void test_keepalive_late_answer(void **st)
{
    (void)st;
    static const step s[] = {
        { true, 112, 1.10 },  { false, 44, 1.12 },    { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { true, 36, 2.00 },   { false, 36, 2.001 },                                             /* "l" */
        { true, 36, 4.00 },   { false, 36, 4.023 },   { true, 36, 6.025 }, { false, 36, 6.0252 },
        { true, 36, 8.0272 }, { false, 36, 8.0274 },                                            /* ticks */
        { true, 72, 9.71 },   { false, 36, 9.7104 },  { false, 36, 9.7143 },                    /* "w", tick */
        { true, 36, 9.90 },   { false, 36, 9.9004 },                                            /* "h" */
    };
    sd_evlist l = { 0 };
    const char *k[8];
    assert_int_equal(keys_after_login(s, sizeof s / sizeof s[0], &l, k, 8), 3);
    sd_evlist_free(&l);
}

/* dbclient -K 2 on a loaded client (fresh dropbear_keepalive_s1000 at
 * seed +10000 frames 41-57): the first tick 2.005 s after the Enter's
 * answer, the second sent 2.024 s after the first's answer, past
 * KEEPALIVE_JITTER_S, the later ones on time after their answers. The
 * first tick, the only one not in an even triple with a whole-second
 * gap, read as a key. */
static void test_keepalive_late_second_tick(void **st)
{
    (void)st;
    static const step s[] = {
        { true, 112, 1.10 },   { false, 44, 1.12 },     { true, 376, 1.13 },   { false, 36, 1.15 }, /* open, pty */
        { true, 36, 1.70 },    { false, 36, 1.7002 },   { true, 36, 2.00 },    { false, 68, 2.0017 }, /* l, Enter */
        { true, 36, 4.0064 },  { false, 36, 4.0066 },   { true, 36, 6.0304 },  { false, 36, 6.0625 },
        { true, 36, 8.0640 },  { false, 36, 8.0825 },   { true, 36, 10.0864 }, { false, 36, 10.0945 }, /* ticks */
        { true, 36, 11.00 },   { false, 36, 11.0002 },                                                /* w */
    };
    sd_evlist l = { 0 };
    const char *k[8];
    assert_int_equal(keys_after_login(s, sizeof s / sizeof s[0], &l, k, 8), 3);
    sd_evlist_free(&l);
}

/* A key's class, copied out of the event list. */
typedef struct keyname {
    char s[16];
} keyname;

/* Keys of a synthetic chacha shell after the session's requests (rest
 * after the open and pty of the login sequence): their classes in order. */
static size_t shell_keys(const step *keys, size_t nkeys, keyname *k, size_t max)
{
    static const step open_pty[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 },
    };
    step rest[64], seq[96];
    assert_true(nkeys + 4 <= sizeof rest / sizeof rest[0] && NLOGIN + nkeys + 4 <= sizeof seq / sizeof seq[0]);
    memcpy(rest, open_pty, sizeof open_pty);
    memcpy(rest + 4, keys, nkeys * sizeof *keys);
    size_t n = after_login(seq, rest, nkeys + 4);
    sd_evlist l = { 0 };
    run_stream(seq, n, &l);
    const char *names[40];
    assert_true(max <= sizeof names / sizeof names[0]);
    size_t nk = keys_of(&l, names, max);
    for (size_t i = 0; i < nk; i++)
        snprintf(k[i].s, sizeof k[i].s, "%s", names[i]);
    sd_evlist_free(&l);
    return nk;
}

/* The keys of a synthetic chacha shell read as want[] (nwant of them). */
static void assert_shell_keys(const step *keys, size_t nkeys, const char *const *want, size_t nwant)
{
    keyname k[40];
    assert_int_equal(shell_keys(keys, nkeys, k, 40), nwant);
    for (size_t i = 0; i < nwant; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* readline's Ctrl-R search (lab editkeys frames 125-137): Ctrl-R and each
 * search key answered by one redraw record, the next key within 0.5 s;
 * the last one 0.55 s before the Enter accepting the search. A command's
 * Enter answered by one record, then a key typed ahead 0.3 s later (its
 * echo), stays Enter. */
static void test_search_keys(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                        /* "l" */
        { true, 36, 2.30 }, { false, 36, 2.302 }, { false, 100, 2.31 },   /* Enter */
        { true, 36, 3.50 }, { false, 60, 3.501 },                        /* Ctrl-R */
        { true, 36, 3.85 }, { false, 68, 3.851 },                        /* "a" */
        { true, 36, 4.05 }, { false, 60, 4.051 },                        /* "b" */
        { true, 36, 4.60 }, { false, 84, 4.601 },                        /* Enter */
        { true, 36, 5.40 }, { false, 36, 5.401 },                        /* "p" */
        { true, 36, 5.70 }, { false, 84, 5.701 },                        /* Enter */
        { true, 36, 6.00 }, { false, 36, 6.001 },                        /* "x" typed ahead */
        { true, 36, 6.30 }, { false, 36, 6.302 }, { false, 100, 6.31 },   /* Enter */
    };
    keyname k[16];
    static const char *want[] = { "char", "enter", "char", "char", "char", "enter", "char", "enter", "char", "enter" };
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* Keys a pager answers by pages (lab editkeys_s1000, two runs): the
 * command's Enter answered by less's first page, space 1.6 s later (the
 * first page read), b and space, each answered by a page starting with a
 * full 1448-byte segment, then q (the screen restored, then the prompt).
 * The paging keys are chars: a bare Enter at a prompt is answered by a
 * line and a prompt, never a page. Read before as Enter: space past
 * SCREEN_KEY_S; in one run (frames 248-263) the page's first segment held
 * the Enter's CR LF echo (1448: every page's first record had the echo's
 * size); in the other (frames 246-268) the echo with the bracketed-paste
 * codes (68) had the size of q's screen restore. */
static void test_pager_keys(void **st)
{
    (void)st;
    enum { ENTER_FIRST = 9, Q_FIRST = 22 };
    step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.21 }, { false, 36, 2.2102 },  /* l e */
        { true, 36, 2.45 }, { false, 36, 2.4502 }, { true, 36, 2.66 }, { false, 36, 2.6602 },  /* s s */
        { true, 36, 3.02 }, { false, 1448, 3.0217 }, { false, 1084, 3.0217 }, { false, 636, 3.0217 }, /* Enter */
        { true, 36, 4.63 }, { false, 1448, 4.6303 }, { false, 972, 4.6303 },                   /* space */
        { true, 36, 5.55 }, { false, 1448, 5.5503 }, { false, 572, 5.5503 },                   /* b */
        { true, 36, 6.49 }, { false, 1448, 6.4903 }, { false, 1180, 6.4903 },                  /* space */
        { true, 36, 7.30 }, { false, 76, 7.3009 }, { false, 52, 7.3011 },                      /* q */
        { true, 36, 8.07 }, { false, 36, 8.0702 },                                             /* "l" */
        { true, 36, 8.35 }, { false, 36, 8.3502 }, { false, 100, 8.36 },                       /* Enter */
    };
    static const char *want[] = { "char", "char", "char", "char", "enter", "char",
                                  "char", "char", "char", "char", "enter" };
    for (int run = 0; run < 2; run++) {
        if (run == 1) /* the echo and q's restore of one size */
            keys[ENTER_FIRST].len = keys[Q_FIRST].len = 68;
        keyname k[16];
        assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 11);
        for (size_t i = 0; i < 11; i++)
            assert_string_equal(k[i].s, want[i]);
    }
}

/* Keys typed while vim starts (lab fullscreen at +9900 frames 225-256):
 * `vim` and its Enter answered by the CR LF echo, a line and vim's first
 * write (1020: a page); `i` and `h` unanswered, the screen painted 1 ms
 * after `e`; then characters answered by the insert mode's redraws. `e`
 * is vim's key, not an Enter. A password typed after a prompt (no page)
 * and its Enter answered by a page stay an Enter. */
static void test_typed_before_screen(void **st)
{
    (void)st;
    step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0005 }, { true, 36, 2.20 }, { false, 36, 2.2005 },   /* v i */
        { true, 36, 2.45 }, { false, 36, 2.4505 },                                             /* m */
        { true, 36, 2.80 }, { false, 36, 2.8007 }, { false, 116, 2.818 }, { false, 1020, 2.827 }, /* Enter */
        { true, 36, 3.52 }, { true, 36, 3.82 },                                                /* i h */
        { true, 36, 4.11 }, { false, 68, 4.1108 }, { false, 1448, 4.1108 }, { false, 1396, 4.1108 }, /* e */
        { true, 36, 4.27 }, { false, 44, 4.2702 }, { true, 36, 4.55 }, { false, 36, 4.5503 },  /* l l */
        { true, 36, 4.78 }, { false, 116, 4.7804 }, { true, 36, 4.95 }, { false, 52, 4.9503 }, /* o, space */
        { true, 36, 5.20 }, { false, 52, 5.2003 },                                             /* w */
    };
    static const char *want[] = { "char", "char", "char", "enter", "char", "char",
                                  "char", "char", "char", "char", "char" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 12);
    assert_string_equal(k[6].s, want[6]);
    for (size_t i = 0; i < 11; i++) /* the session's last key aside: nothing follows it */
        assert_string_equal(k[i].s, want[i]);
    keys[8].len = 52; /* the Enter's answer a prompt ("Password: "), no page */
    keys[9].len = 36;
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 12);
    assert_string_equal(k[6].s, "enter");
}

/* vim started from the shell (lab vim_shell_aes128gcm, frames 73-194):
 * `vim` and its Enter answered by the CR LF echo and the screen painted;
 * `i` 1.6 s later (past SCREEN_KEY_S) answered by the mode line; each
 * inserted character by one 68-byte redraw (the character and the
 * ruler), the Enter between the lines by one 76-byte record at the same
 * pace; Esc and `:` by two records each; `:wq` echoed and its Enter. The
 * run of vim's keys starts at `i` however late it came (the Esc and `:`
 * read as Enters before), and the one larger redraw amid the characters'
 * is the insert-mode Enter (read as a char before). */
static void test_editor_insert_enter(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0005 }, { true, 36, 2.20 }, { false, 36, 2.2005 },    /* v i */
        { true, 36, 2.40 }, { false, 36, 2.4005 },                                             /* m */
        { true, 36, 2.70 }, { false, 36, 2.7006 }, { false, 1448, 2.75 }, { false, 620, 2.7502 }, /* Enter */
        { true, 36, 4.30 }, { false, 148, 4.3005 },                                            /* i */
        { true, 36, 4.50 }, { false, 68, 4.5005 }, { true, 36, 4.70 }, { false, 68, 4.7005 },    /* a b */
        { true, 36, 4.90 }, { false, 68, 4.9005 },                                             /* c */
        { true, 36, 5.10 }, { false, 76, 5.1005 },                                             /* Enter */
        { true, 36, 5.32 }, { false, 68, 5.3205 }, { true, 36, 5.50 }, { false, 68, 5.5005 },    /* d e */
        { true, 36, 6.60 }, { false, 84, 6.6005 }, { false, 100, 6.65 },                       /* Esc */
        { true, 36, 7.47 }, { false, 68, 7.4705 }, { false, 68, 7.4706 },                      /* : */
        { true, 36, 7.74 }, { false, 36, 7.7405 }, { true, 36, 7.93 }, { false, 36, 7.9305 },    /* w q */
        { true, 36, 8.47 }, { false, 36, 8.4705 }, { false, 84, 8.48 }, { false, 52, 8.49 },     /* Enter */
    };
    static const char *want[] = { "char", "char", "char", "enter", "char", "char", "char", "char",
                                  "enter", "char", "char", "char", "char", "char", "char", "enter" };
    assert_shell_keys(keys, sizeof keys / sizeof keys[0], want, sizeof want / sizeof want[0]);
}

/* nano typed in from the shell (lab nano_edit, chacha, frames 78-144):
 * its screen painted in one 724-byte record, every key answered by one
 * 60-byte redraw (no echo), one by that redraw split in two records at
 * once (44 + 52: nano_edit at seed +9200), the last character of a line
 * 0.96 s before Up (answered by a redraw too). The split one read as an
 * Enter by its two records, the last by the pause after it; both are
 * more of the editor's equal redraws (EDITOR_RUN_MIN). */
static void test_editor_run_pause(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0005 }, { true, 36, 2.20 }, { false, 36, 2.2005 },    /* n a */
        { true, 36, 2.40 }, { false, 36, 2.4005 }, { true, 36, 2.60 }, { false, 36, 2.6005 },    /* n o */
        { true, 36, 2.90 }, { false, 724, 2.95 },                                              /* Enter */
        { true, 36, 4.20 }, { false, 92, 4.2005 },                                             /* h */
        { true, 36, 4.42 }, { false, 60, 4.4205 }, { true, 36, 4.64 }, { false, 60, 4.6405 },    /* e l */
        { true, 36, 4.85 }, { false, 60, 4.8505 }, { true, 36, 5.07 }, { false, 60, 5.0705 },    /* l o */
        { true, 36, 5.28 }, { false, 44, 5.2805 }, { false, 52, 5.2807 },                      /* w */
        { true, 36, 5.50 }, { false, 60, 5.5005 },                                             /* x */
        { true, 44, 6.46 }, { false, 60, 6.4605 }, { true, 44, 6.74 }, { false, 60, 6.7405 },    /* Up Left */
    };
    static const char *want[] = { "char", "char", "char", "char", "enter", "char", "char",
                                  "char", "char", "char", "char", "char", "arrow", "arrow" };
    assert_shell_keys(keys, sizeof keys / sizeof keys[0], want, sizeof want / sizeof want[0]);
}

/* python3's REPL started from the shell (lab python_repl, chacha): its
 * banner and ">>> " (44: a Backspace echo's size) end the Enter's answer;
 * `x=6` and its Enter answered by "\r\n>>> " alone (44), the next line
 * 0.68 s later (4 times the line's pace, within ENTER_PAUSE_S); a line
 * whose Enter (44) is followed by 1.13 s (an Enter by that pause: the leg
 * answers Enters with a Backspace echo's size); Up recalling a line (44),
 * its Enter (44) 1.1 s before Ctrl-D, answered by python's newline (36)
 * and the shell's prompt; then `ls`. Read before: the first Enter as a
 * Backspace, the recalled line's Enter as a char, Ctrl-D as an Enter. */
static void test_repl_short_prompt(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.20 }, { false, 36, 2.2002 },   /* p y */
        { true, 36, 2.50 }, { false, 36, 2.5004 }, { false, 108, 2.53 }, { false, 108, 2.5301 }, /* Enter */
        { false, 44, 2.5303 },
        { true, 36, 3.50 }, { false, 36, 3.5002 }, { true, 36, 3.67 }, { false, 36, 3.6702 },   /* x = */
        { true, 36, 3.84 }, { false, 36, 3.8402 },                                            /* 6 */
        { true, 36, 4.01 }, { false, 44, 4.0104 },                                            /* Enter */
        { true, 36, 4.69 }, { false, 36, 4.6902 }, { true, 36, 4.90 }, { false, 36, 4.9002 },   /* y = */
        { true, 36, 5.10 }, { false, 36, 5.1002 },                                            /* x */
        { true, 36, 5.30 }, { false, 44, 5.3004 },                                            /* Enter */
        { true, 44, 6.43 }, { false, 44, 6.4302 },                                            /* Up */
        { true, 36, 6.74 }, { false, 44, 6.7404 },                                            /* Enter */
        { true, 36, 7.87 }, { false, 36, 7.881 }, { false, 52, 7.885 },                       /* Ctrl-D */
        { true, 36, 8.60 }, { false, 36, 8.6002 }, { true, 36, 8.75 }, { false, 36, 8.7502 },   /* l s */
        { true, 36, 9.30 }, { false, 36, 9.3002 }, { false, 372, 9.31 },                      /* Enter */
    };
    static const char *want[] = { "char", "char", "enter", "char", "char", "char", "enter", "char", "char",
                                  "char", "enter", "arrow", "enter", "char", "char", "char", "enter" };
    assert_shell_keys(keys, sizeof keys / sizeof keys[0], want, sizeof want / sizeof want[0]);
}

/* The next command typed while a loop's output streams (lab typeahead,
 * chacha, frames 52-100): a line (44) every 0.4 s; `d`, `a`, `t`, `e`
 * and Enter typed meanwhile, each echoed at once (36) by the terminal, and
 * the loop's next line comes after `a`'s and `e`'s echo before the next
 * key: two answer records, read as Enter. They go on with the stream at
 * its cadence and shape: chars. The typed-ahead Enter's answer goes on
 * with the stream too, until the loop's end, the prompt and the line's
 * output come as new records in a tick: it stays Enter. */
/* A key right after an Enter answered by one record of a Backspace
 * echo's size, typing on within ENTER_PAUSE_S: the line is empty, a
 * Backspace there erases nothing (lab python_repl_aes128gcm frame 194:
 * the REPL's empty line ending a for block, the block's output and
 * "\r\n>>> " in one record, 0.85 s before the next key). No Backspace;
 * a one-record answer at an empty line reads as a char (empty_line_keys). */
/* Keys in a pager whose pauses happen to fall a timer's evenness apart
 * (lab man_page_aes128gcm frames 71-81: space, b and / 1.014 s and
 * 1.018 s apart, within KEEPALIVE_JITTER_S): b is answered at once by a
 * page, which no keepalive's reply is. Every key is kept. */
static void test_pager_keys_not_ticks(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                                        /* "x" */
        { true, 36, 2.30 }, { false, 1448, 2.301 }, { false, 316, 2.302 },               /* Enter */
        { true, 36, 5.00 }, { false, 1448, 5.001 }, { false, 316, 5.002 },               /* space */
        { true, 36, 6.355 }, { false, 1448, 6.356 }, { false, 428, 6.357 },              /* space */
        { true, 36, 7.369 }, { false, 1448, 7.370 }, { false, 524, 7.371 },              /* b */
        { true, 36, 8.387 }, { false, 44, 8.388 },                                       /* / */
        { true, 36, 9.00 }, { false, 60, 9.001 }, { false, 52, 9.002 },                  /* q */
    };
    keyname k[8];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 8), 7);
}

/* less's keys whose answer begins with its status line, the page after it
 * (lab fullscreen_s2000 at +10400 frames 103-139): space and b paged,
 * then a key answered by 44, 1076, 1076, 548 within 2 ms and `/` (its
 * prompt, 44) 1.023 s and 1.007 s after the keys before, a timer's
 * evenness: the page after the status line shows a person's key, so all
 * are kept (main lost the key and the `/` as keepalive ticks). */
static void test_pager_status_then_page(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                                        /* "x" */
        { true, 36, 2.30 }, { false, 60, 2.301 }, { false, 1084, 2.302 },                /* Enter */
        { true, 36, 7.9685 }, { false, 44, 7.9688 }, { false, 1448, 7.9692 },            /* space */
        { true, 36, 8.8123 }, { false, 1084, 8.8130 }, { false, 980, 8.8131 },           /* b */
        { true, 36, 9.8354 }, { false, 44, 9.8373 }, { false, 1076, 9.8374 },            /* g */
        { false, 1076, 9.8375 }, { false, 548, 9.8375 },
        { true, 36, 10.8423 }, { false, 44, 10.8453 },                                   /* / */
        { true, 36, 11.0954 }, { false, 44, 11.0977 },                                   /* "t" */
        { true, 36, 11.3906 }, { false, 44, 11.3909 },                                   /* "c" */
        { true, 36, 11.8435 }, { false, 44, 11.8453 }, { false, 1076, 11.8456 },         /* Enter */
        { true, 36, 12.7966 }, { false, 44, 12.7970 }, { false, 68, 12.8017 },           /* q */
    };
    keyname k[12];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 12), 10);
}

static void test_empty_line_no_backspace(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                                        /* "a" */
        { true, 36, 2.17 }, { false, 36, 2.171 },                                        /* "b" */
        { true, 36, 2.40 }, { false, 44, 2.401 },                                        /* Enter: "\r\n... " */
        { true, 36, 3.50 }, { false, 44, 3.501 },                                        /* Enter, empty line */
        { true, 36, 4.35 }, { false, 36, 4.351 },                                        /* "c" */
        { true, 36, 4.55 }, { false, 36, 4.551 }, { false, 60, 4.60 },                   /* Enter */
    };
    static const char *want[] = { "char", "char", "enter", "char", "char", "enter" };
    keyname k[8];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 8), 6);
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(k[i].s, want[i]);
}

static void test_typeahead_stream(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                                        /* "l" */
        { true, 36, 2.30 }, { false, 36, 2.301 }, { false, 44, 2.302 },                   /* Enter */
        { false, 44, 2.714 }, { false, 44, 3.119 }, { false, 44, 3.520 }, { false, 44, 3.926 },
        { true, 36, 3.996 }, { false, 36, 3.997 },                                       /* "d" */
        { true, 36, 4.184 }, { false, 36, 4.185 }, { false, 44, 4.328 },                  /* "a" */
        { true, 36, 4.359 }, { false, 36, 4.360 },                                       /* "t" */
        { true, 36, 4.535 }, { false, 36, 4.536 }, { false, 44, 4.731 },                  /* "e" */
        { true, 36, 4.780 }, { false, 36, 4.781 }, { false, 44, 5.134 },                  /* Enter */
        { false, 44, 5.536 }, { false, 44, 5.937 }, { false, 60, 6.339 }, { false, 68, 6.340 },
        { false, 36, 6.340 }, { false, 52, 6.341 },
        { true, 36, 7.16 }, { false, 36, 7.161 },                                        /* "p" */
        { true, 36, 7.50 }, { false, 36, 7.504 }, { false, 60, 7.505 },                   /* Enter */
    };
    static const char *want[] = { "char", "enter", "char", "char", "char", "char", "enter", "char", "enter" };
    step run[sizeof keys / sizeof keys[0]];
    for (int r = 0; r < 2; r++) {
        size_t n = 0;
        for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
            run[n] = keys[i];
            /* the second run (lab typeahead_aes128gcm at seed +8100
             * frames 49-94): the loop pasted, its echo (92) 0.40 s
             * before the first line, at the stream's cadence; the loop's
             * end, the prompt and date's output in one record (84),
             * smaller than the paste's echo: the paste's echo is the
             * paste's answer, not the stream's shape */
            if (r == 1 && i < 2)
                run[n].len = 92, run[n].t = i ? 1.902 : 1.90;
            if (r == 1 && run[n].t >= 6.339 && run[n].t <= 6.341) {
                if (run[n].t > 6.3395)
                    continue;
                run[n].len = 84;
            }
            n++;
        }
        keyname k[16];
        /* the paste, one record answered by its echo, is no key here */
        assert_int_equal(shell_keys(run, n, k, 16), 9 - r);
        for (size_t i = 0; i + r < 9; i++)
            assert_string_equal(k[i].s, want[i + r]);
    }
}

/* Commands typed at a steady rhythm (one key, then Enter, every 1.2 s:
 * SSH-Keystroke-Latency-Analysis capture_4 frame 276, dump_ssh frame 931
 * with bare Enters): each Enter's output (one 100-byte record) comes one
 * gap after the one before, as a stream's tick would, but a key precedes
 * every one of them: answers, not a program printing by itself. Every
 * Enter stays Enter. */
static void test_typeahead_rhythm_not_stream(void **st)
{
    (void)st;
    step keys[40];
    size_t n = 0;
    for (int c = 0; c < 6; c++) {
        double t = 2.0 + 1.2 * c;
        keys[n++] = (step){ true, 36, t };          /* a character */
        keys[n++] = (step){ false, 36, t + 0.001 };
        keys[n++] = (step){ true, 36, t + 0.3 };    /* Enter: echo, output */
        keys[n++] = (step){ false, 36, t + 0.301 };
        keys[n++] = (step){ false, 100, t + 0.302 };
    }
    keyname k[16];
    assert_int_equal(shell_keys(keys, n, k, 16), 12);
    for (size_t i = 0; i < 12; i++)
        assert_string_equal(k[i].s, i % 2 ? "enter" : "char");
}

/* less paged, then a search typed in it ("/sh", each key echoed in less's
 * prompt) whose Enter is answered by a page, and q 0.97 s later answered
 * by the restored screen (44, 68, 52) whose first record has the size of
 * that Enter's first (lab fresh fullscreen at seed +2000, frames 90-154):
 * the search's Enter is the program's, q a char; the command's Enter (CR
 * LF echo 36) keeps the session's. */
static void test_pager_search_then_q(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.20 }, { false, 36, 2.2002 }, /* l e */
        { true, 36, 2.41 }, { false, 36, 2.4102 }, { true, 36, 2.60 }, { false, 36, 2.6002 }, /* s s */
        { true, 36, 3.00 }, { false, 36, 3.0006 }, { false, 60, 3.0018 }, { false, 1448, 3.0019 },
        { false, 236, 3.0019 },                                                                 /* Enter */
        { true, 36, 4.20 }, { false, 1076, 4.2002 }, { false, 1076, 4.2003 }, { false, 340, 4.2003 }, /* space */
        { true, 36, 5.10 }, { false, 316, 5.1003 }, { false, 804, 5.1003 }, { false, 980, 5.1004 },   /* b */
        { true, 36, 6.20 }, { false, 1448, 6.2003 }, { false, 1180, 6.2003 },                         /* space */
        { true, 36, 6.98 }, { false, 44, 6.9802 }, { true, 36, 7.24 }, { false, 44, 7.2402 },         /* / s */
        { true, 36, 7.57 }, { false, 44, 7.5702 },                                                    /* h */
        { true, 36, 7.82 }, { false, 44, 7.8202 }, { false, 508, 7.8204 }, { false, 604, 7.8204 },
        { false, 1076, 7.8205 }, { false, 1448, 7.8205 }, { false, 668, 7.8206 }, { false, 84, 7.8207 }, /* Enter */
        { true, 36, 8.79 }, { false, 44, 8.7904 }, { false, 68, 8.7905 }, { false, 52, 8.7907 },      /* q */
        { true, 36, 9.79 }, { false, 36, 9.7902 },                                                    /* "l" */
        { true, 36, 10.1 }, { false, 36, 10.1002 }, { false, 100, 10.101 },                           /* Enter */
    };
    static const char *want[] = { "char", "char", "char", "char", "enter", "char", "char", "char",
                                  "char", "char", "char", "enter", "char", "char", "enter" };
    keyname k[20];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 20), 15);
    for (size_t i = 0; i < 15; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* `pwd` typed, its Enter answered by one record (the output and the
 * prompt together), then Ctrl-R 0.49 s later and a search (lab
 * editkeys_s4000 frames 107-129): the Enter stays Enter; read as a
 * search's first key before (the next key a redraw within INSERT_NEXT_S
 * at the line's pace). */
static void test_enter_one_record_then_search(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.14 }, { false, 36, 2.1402 }, /* p w */
        { true, 36, 2.35 }, { false, 36, 2.3502 },                                            /* d */
        { true, 36, 2.60 }, { false, 68, 2.6003 },                                            /* Enter */
        { true, 36, 3.09 }, { false, 60, 3.0902 },                                            /* Ctrl-R */
        { true, 36, 3.41 }, { false, 52, 3.4102 }, { true, 36, 3.72 }, { false, 60, 3.7202 }, /* e c */
        { true, 36, 4.30 }, { false, 84, 4.3003 },                                            /* Enter */
    };
    keyname k[16];
    static const char *want[] = { "char", "char", "char", "enter", "char", "char", "char", "enter" };
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 8);
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* zsh, `cd Doc` then Tab completing "Documents/" (one 52-byte record),
 * its Enter answered by one record, the new prompt alone (268: `cd` prints
 * nothing), then `un` typed (lab zsh_session_s2000 frames 180-207): the
 * Tab is a tab. */
static void test_tab_before_one_record_enter(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 1.6429 }, { false, 36, 1.6431 }, { true, 36, 1.8905 }, { false, 44, 1.8907 }, /* c d */
        { true, 36, 2.1508 }, { false, 36, 2.1509 }, { true, 36, 2.2206 }, { false, 36, 2.2208 }, /* " " D */
        { true, 36, 2.3667 }, { false, 36, 2.3669 }, { true, 36, 2.5007 }, { false, 36, 2.5009 }, /* o c */
        { true, 36, 2.6469 }, { false, 52, 2.6491 },                                              /* Tab */
        { true, 36, 3.0709 }, { false, 268, 3.0715 },                                             /* Enter */
        { true, 36, 3.7719 }, { false, 36, 3.7721 }, { true, 36, 3.9164 }, { false, 44, 3.9166 }, /* u n */
    };
    keyname k[16];
    static const char *want[] = { "char", "char", "char", "char", "char", "char", "tab", "enter", "char", "char" };
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* zsh, `helo` fixed with Left and `l` (the insertion redrawn in 44),
 * then Enter answered by one 252-byte record (the output, zsh's PROMPT_SP
 * and prompt) and the next command typed 0.42 s later (lab
 * zsh_session_s1000 frames 151-175): Enter, not an inserted character
 * (one record larger than any redraw of the line could be). */
static void test_enter_after_edit(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.18 }, { false, 36, 2.1802 }, /* h e */
        { true, 36, 2.36 }, { false, 36, 2.3602 }, { true, 36, 2.53 }, { false, 36, 2.5302 }, /* l o */
        { true, 44, 2.72 }, { false, 36, 2.7202 },                                            /* Left */
        { true, 36, 3.00 }, { false, 44, 3.0002 },                                            /* l */
        { true, 36, 3.36 }, { false, 252, 3.3605 },                                           /* Enter */
        { true, 36, 3.78 }, { false, 36, 3.7802 }, { true, 36, 3.99 }, { false, 36, 3.9902 }, /* l s */
        { true, 36, 4.40 }, { false, 100, 4.4003 }, { false, 52, 4.4005 },                    /* Enter */
    };
    keyname k[16];
    static const char *want[] = { "char", "char", "char", "char", "arrow", "char", "enter", "char", "char", "enter" };
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 10);
    for (size_t i = 0; i < 10; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* Keys a loaded client sent in one record (lab long_line at +9600
 * frames 201-210, chacha20): `a`, `b`, then four keys typed over 0.7 s
 * leave at once (44 bytes, an arrow's size) and are echoed at once (44:
 * the terminal echoes the bytes it got), then `c` and Enter. An arrow
 * between characters is answered by a cursor move (36) or a recalled
 * line's redraw over the typed ones: the 44 holds 3 to 10 characters,
 * read as the fewest, 3 (before: one arrow). An Up arrow after an Enter
 * recalling a short line, answered the same, stays an arrow. */
static void test_merged_keys(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.18 }, { false, 36, 2.1802 }, /* a b */
        { true, 44, 2.95 }, { false, 44, 2.9502 },                                            /* 4 keys */
        { true, 36, 3.15 }, { false, 36, 3.1502 },                                            /* c */
        { true, 36, 3.50 }, { false, 100, 3.5003 }, { false, 52, 3.5005 },                    /* Enter */
        { true, 44, 4.60 }, { false, 44, 4.6002 },                                            /* Up: `ls` */
        { true, 36, 5.10 }, { false, 100, 5.1003 }, { false, 52, 5.1005 },                    /* Enter */
    };
    static const char *const want[] = { "char", "char", "char", "char", "char", "char", "enter", "arrow", "enter" };
    assert_shell_keys(keys, sizeof keys / sizeof keys[0], want, sizeof want / sizeof want[0]);
}

/* The same at a line's start (lab bash_fast at +9600, frame 196: three
 * keys in 44 bytes after an Enter, echoed by one 44-byte record, the next
 * key 31 ms after that echo): the client catching up, three characters.
 * An Up arrow recalling `ls` there has the same sizes; the person reads
 * the recalled line before typing on (0.4 s): an arrow. */
static void test_merged_keys_line_start(void **st)
{
    (void)st;
    for (int slow = 0; slow <= 1; slow++) {
        double next = slow ? 4.40 : 4.031;
        const step keys[] = {
            { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.18 }, { false, 36, 2.1802 }, /* l s */
            { true, 36, 2.50 }, { false, 100, 2.5003 }, { false, 52, 2.5005 },                    /* Enter */
            { true, 44, 4.00 }, { false, 44, 4.0002 },                                  /* 3 keys, or Up */
            { true, 36, next }, { false, 36, next + 0.0002 },                                     /* a */
            { true, 36, 5.00 }, { false, 36, 5.0002 },                                            /* b */
            { true, 36, 5.50 }, { false, 100, 5.5003 }, { false, 52, 5.5005 },                    /* Enter */
        };
        static const char *const fast[] = { "char", "char", "enter", "char", "char", "char", "char", "char", "enter" };
        static const char *const up[] = { "char", "char", "enter", "arrow", "char", "char", "enter" };
        if (slow)
            assert_shell_keys(keys, sizeof keys / sizeof keys[0], up, sizeof up / sizeof up[0]);
        else
            assert_shell_keys(keys, sizeof keys / sizeof keys[0], fast, sizeof fast / sizeof fast[0]);
    }
}

/* The same line, its Enter answered by one record a block larger than
 * the insert's redraw (52: a short output and prompt, or a Backspace
 * inside the line, which redraws 2 bytes more) and the next command's
 * first key 0.46 s later, within INSERT_NEXT_S and the line's pace (lab
 * fresh runs at +9400: interactive_aes128ctr-sha256etm frame 144,
 * reverse_keys frame 153): answered by its echo alone, that key was
 * typed at a line's end, so the 52 ran the line. Answered by a redraw
 * (44: a character inserted before the last one), it was typed inside
 * the line: the 52 edited it there. */
static void test_enter_after_edit_tie(void **st)
{
    (void)st;
    for (int inside = 0; inside <= 1; inside++) {
        const step keys[] = {
            { true, 36, 2.00 }, { false, 36, 2.0002 }, { true, 36, 2.18 }, { false, 36, 2.1802 }, /* h e */
            { true, 36, 2.36 }, { false, 36, 2.3602 }, { true, 36, 2.53 }, { false, 36, 2.5302 }, /* l o */
            { true, 44, 2.72 }, { false, 36, 2.7202 },                                            /* Left */
            { true, 36, 3.00 }, { false, 44, 3.0002 },                                            /* l */
            { true, 36, 3.36 }, { false, 52, 3.3605 },                      /* Enter (or Backspace) */
            { true, 36, 3.82 }, { false, inside ? 44 : 36, 3.8202 },        /* l (or an insert) */
            { true, 36, 3.99 }, { false, 36, 3.9902 },                                            /* s */
            { true, 36, 4.40 }, { false, 100, 4.4003 }, { false, 52, 4.4005 },                    /* Enter */
        };
        keyname k[16];
        assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 10);
        assert_string_equal(k[6].s, inside ? "char" : "enter");
        assert_string_equal(k[9].s, "enter");
    }
}

/* Keys whose echoes a loaded server held: `ls` echoed, then two keys
 * unanswered for 0.2 s and a third answered by one 44-byte record, the
 * three echoes at once (lab fresh ctrlc at seed +9600 frames 122-128,
 * read as a Backspace: "\b\x1b[K" has that size under chacha20): a char.
 * After one unanswered key the joint echo is 36; a 44 there is the
 * Backspace's (its echo and the held one). */
static void test_held_echoes_joint(void **st)
{
    (void)st;
    for (size_t held = 1; held <= 2; held++) {
        step keys[24];
        size_t n = 0;
        keys[n++] = (step){ true, 36, 2.00 };
        keys[n++] = (step){ false, 36, 2.0003 };
        keys[n++] = (step){ true, 36, 2.20 };
        keys[n++] = (step){ false, 36, 2.2003 };
        for (size_t h = 0; h < held; h++)
            keys[n++] = (step){ true, 36, 2.40 + 0.05 * (double)h };
        keys[n++] = (step){ true, 36, 2.62 };
        keys[n++] = (step){ false, 44, 2.65 };
        keys[n++] = (step){ true, 36, 2.85 };
        keys[n++] = (step){ false, 36, 2.8503 };
        keys[n++] = (step){ true, 36, 3.30 };
        keys[n++] = (step){ false, 100, 3.3003 };
        keys[n++] = (step){ false, 52, 3.3005 };
        keyname k[16];
        assert_int_equal(shell_keys(keys, n, k, 16), 5 + held);
        assert_string_equal(k[2 + held].s, held == 2 ? "char" : "backspace");
        assert_string_equal(k[4 + held].s, "enter");
    }
}

/* A hunt-and-peck typist (lab bash_peck, 0.4-1.2 s between keys): `ls`
 * then Backspace (44) and a key 0.97 s later (fresh bash_peck at seed
 * +9600 frames 59-75), past ENTER_PAUSE_S but at 1.4 times the line's
 * pace: still a Backspace, then another. Three of the typist's keys
 * 1.2 s apart, each echoed at once, are keys, not keepalive ticks (frames
 * 116-123, two read as ticks). */
static void test_slow_typist(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 },   { false, 36, 2.0003 }, { true, 36, 2.80 }, { false, 36, 2.8003 }, /* l s */
        { true, 36, 3.50 },   { false, 36, 3.5003 }, { true, 36, 4.15 }, { false, 36, 4.1503 }, /* " " - */
        { true, 36, 4.79 },   { false, 44, 4.8130 },                                            /* BS */
        { true, 36, 5.76 },   { false, 44, 5.7633 },                                            /* BS */
        { true, 36, 6.31 },   { false, 36, 6.3103 },                                            /* a */
        { true, 36, 7.51 },   { false, 36, 7.5103 }, { true, 36, 8.70 }, { false, 36, 8.7003 }, /* b c */
        { true, 36, 9.20 },   { false, 36, 9.2003 },                                            /* d */
        { true, 36, 9.90 },   { false, 100, 9.9003 }, { false, 52, 9.9005 },                    /* Enter */
    };
    static const char *want[] = { "char", "char", "char", "char", "backspace", "backspace",
                                  "char", "char", "char", "char", "enter" };
    assert_shell_keys(keys, sizeof keys / sizeof keys[0], want, 11);
}

/* sshd's ClientAliveInterval probe (a channel request, 60 under chacha)
 * during an idle shell, answered by the client's CHANNEL_FAILURE (36) 90
 * ms later (a loaded client: lab fresh keepalive_server at +9800 frames
 * 53-55), the next probe 4.1 s later: no key. A key typed 90 ms after a
 * 60-byte output record and echoed 84 ms later (a loaded server) is one. */
static void test_alive_answer_late(void **st)
{
    (void)st;
    for (int echoed = 0; echoed <= 1; echoed++) {
        step keys[32];
        size_t n = 0;
        keys[n++] = (step){ true, 36, 2.0 };
        keys[n++] = (step){ false, 36, 2.001 };
        keys[n++] = (step){ true, 36, 2.3 };       /* Enter */
        keys[n++] = (step){ false, 84, 2.31 };
        keys[n++] = (step){ false, 60, 6.40 };     /* the probe */
        keys[n++] = (step){ true, 36, 6.49 };      /* its answer, or a key */
        if (echoed)
            keys[n++] = (step){ false, 36, 6.574 };
        keys[n++] = (step){ false, 60, 10.49 };
        keys[n++] = (step){ true, 36, 10.497 };
        keys[n++] = (step){ true, 36, 12.0 };
        keys[n++] = (step){ false, 36, 12.001 };
        keyname k[8];
        assert_int_equal(shell_keys(keys, n, k, 8), echoed ? 4 : 3);
    }
}

/* `tail -f` of a log growing by a line at 0.35-0.85 s (lab tail_f_aes128gcm
 * at +9600 frames 99-121), Ctrl-C 1.16 s after the last line: before the
 * next line was due by the stream's longest gap (1.5 times 0.85 s), so the
 * output was still running: a char, though answered as an Enter is ("^C",
 * then the prompt). The same key after a stream of even 0.5 s lines, past
 * 1.5 times every gap, came after the output had stopped: an Enter. */
static void test_interrupt_uneven_stream(void **st)
{
    (void)st;
    static const double uneven[] = { 0.53, 0.42, 0.72, 0.35, 0.58, 0.85, 0.62, 0.54 };
    for (int even = 0; even <= 1; even++) {
        step keys[48];
        size_t n = 0;
        double t = 2.0;
        for (int c = 0; c < 6; c++, t += 0.25) { /* "tail x" */
            keys[n++] = (step){ true, 36, t };
            keys[n++] = (step){ false, 36, t + 0.001 };
        }
        keys[n++] = (step){ true, 36, t };           /* Enter */
        keys[n++] = (step){ false, 36, t + 0.001 };
        keys[n++] = (step){ false, 548, t + 0.003 }; /* the log's last lines */
        t += 0.003;
        for (size_t g = 0; g < sizeof uneven / sizeof uneven[0]; g++) {
            t += even ? 0.5 : uneven[g];
            keys[n++] = (step){ false, 84, t };
        }
        t += 1.159;
        keys[n++] = (step){ true, 36, t };           /* Ctrl-C */
        keys[n++] = (step){ false, 36, t + 0.0005 };
        keys[n++] = (step){ false, 68, t + 0.003 };
        keys[n++] = (step){ true, 36, t + 0.9 };
        keys[n++] = (step){ false, 36, t + 0.901 };
        const char *want[] = { "char", "char", "char", "char", "char", "char", "enter", even ? "enter" : "char", "char" };
        assert_shell_keys(keys, n, want, sizeof want / sizeof want[0]);
    }
}

/* A shell loop printing a 68-byte line every 60 ms, Ctrl-C 52 ms into a
 * tick (lab ctrlc_s8000 at +10400 frames 141-182): the loop's next line
 * left first, 3 ms after the key and at the loop's cadence, then "^C", CR
 * LF and the prompt. The line is the stream's, not the key's answer: a
 * char (main read four answer records as an Enter). */
static void test_interrupt_tick_in_flight(void **st)
{
    (void)st;
    step keys[56];
    size_t n = 0;
    double t = 2.0;
    for (int c = 0; c < 4; c++, t += 0.2) { /* "loop" */
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.0003 };
    }
    keys[n++] = (step){ true, 36, t };           /* Enter: CR LF and the first line */
    keys[n++] = (step){ false, 68, t + 0.002 };
    for (int g = 1; g <= 16; g++)
        keys[n++] = (step){ false, 68, t + 0.002 + 0.06 * g };
    t += 0.002 + 0.06 * 16 + 0.052;
    keys[n++] = (step){ true, 36, t };           /* Ctrl-C */
    keys[n++] = (step){ false, 68, t + 0.003 };
    keys[n++] = (step){ false, 36, t + 0.0033 };
    keys[n++] = (step){ false, 36, t + 0.0034 };
    keys[n++] = (step){ false, 52, t + 0.0036 };
    keys[n++] = (step){ true, 36, t + 1.05 };    /* "d" */
    keys[n++] = (step){ false, 36, t + 1.0503 };
    keys[n++] = (step){ true, 36, t + 1.30 };    /* Enter */
    keys[n++] = (step){ false, 36, t + 1.3003 };
    keys[n++] = (step){ false, 84, t + 1.302 };
    const char *want[] = { "char", "char", "char", "char", "enter", "char", "char", "enter" };
    assert_shell_keys(keys, n, want, sizeof want / sizeof want[0]);
}

/* `sleep 9` typed at 0.25 s a key, its Enter answered by its CR LF echo
 * alone, Ctrl-C 1.43 s later answered by "^C" and the prompt (lab ctrlc
 * at +8000 frames 210-213 and at +9600): a wait past INTERRUPT_WAIT_MIN_S
 * and INTERRUPT_PACE times the line's pace, the person waiting on a
 * command: Enter, then a char. A typist at 0.6 s a key pausing as long
 * before the Enter of a command without output (its echo and the prompt)
 * keeps the line's last key and its Enter. */
static void test_interrupt_silent_pace(void **st)
{
    (void)st;
    for (int slow = 0; slow <= 1; slow++) {
        step keys[48];
        size_t n = 0;
        double t = 2.0, pace = slow ? 0.6 : 0.25;
        for (int c = 0; c < 8; c++, t += pace) { /* "sleep 9", Enter */
            keys[n++] = (step){ true, 36, t };
            keys[n++] = (step){ false, 36, t + 0.001 };
        }
        t += 1.43 - pace;
        keys[n++] = (step){ true, 36, t };           /* Ctrl-C, or Enter */
        keys[n++] = (step){ false, 36, t + 0.0005 };
        keys[n++] = (step){ false, 68, t + 0.003 };
        keys[n++] = (step){ true, 36, t + 0.9 };
        keys[n++] = (step){ false, 36, t + 0.901 };
        const char *want[] = { "char", "char", "char", "char", "char", "char", "char",
                               slow ? "char" : "enter", slow ? "enter" : "char", "char" };
        assert_shell_keys(keys, n, want, sizeof want / sizeof want[0]);
    }
}

/* Ctrl-U after 11 typed characters (lab ctrlkeys frame 98): one record of
 * the size of 11 "\b" and "\x1b[K" (52 under chacha), typing on 0.35 s
 * later: a char; so is the terminal's own kill without a line editor
 * (dash: "\b \b" 11 times, 68). An 84-byte answer (not the line erased)
 * followed as soon is an Enter. */
static void test_kill_line(void **st)
{
    (void)st;
    static const uint32_t answer[] = { 52, 68, 84 };
    for (int a = 0; a < 3; a++) {
        int kill = a < 2;
        step keys[40];
        size_t n = 0;
        for (int c = 0; c < 11; c++) {
            keys[n++] = (step){ true, 36, 2.0 + 0.15 * c };
            keys[n++] = (step){ false, 36, 2.001 + 0.15 * c };
        }
        keys[n++] = (step){ true, 36, 3.70 };
        keys[n++] = (step){ false, answer[a], 3.701 };
        keys[n++] = (step){ true, 36, 4.05 };
        keys[n++] = (step){ false, 36, 4.051 };
        keys[n++] = (step){ true, 36, 4.40 };
        keys[n++] = (step){ false, 36, 4.402 };
        keys[n++] = (step){ false, 100, 4.41 };
        keyname k[16];
        assert_int_equal(shell_keys(keys, n, k, 16), 14);
        assert_string_equal(k[11].s, kill ? "char" : "enter");
        assert_string_equal(k[12].s, "char");
        assert_string_equal(k[13].s, "enter");
    }
}

static double echoed_run(step *keys, size_t *n, double t, int count, double gap);

/* An Enter after 11 characters typed 0.22 s apart answered by one record
 * of the line's kill size (readline's, 52 under chacha, or the
 * terminal's, 68; under 16-byte blocks an answer of 31-46 bytes has the
 * terminal kill's size of 11-15 characters: pending
 * interactive_aes256ctr-sha256_s8000 frame 144), the next command's first
 * key 0.46 s later, 2.1 times the line's pace: no kill, which is typed on
 * within KILL_NEXT_MAX_S (lab: every one within 0.41 s), but an Enter.
 * Typed on 0.35 s later it stays a kill. */
static void test_kill_size_enter(void **st)
{
    (void)st;
    static const uint32_t answer[] = { 52, 68 };
    static const double next[] = { 0.46, 0.35 };
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            step keys[40];
            size_t n = 0;
            double t = echoed_run(keys, &n, 2.0, 11, 0.22);
            keys[n++] = (step){ true, 36, t };        /* Enter, or Ctrl-U */
            keys[n++] = (step){ false, answer[a], t + 0.001 };
            t = echoed_run(keys, &n, t + next[b], 2, 0.22) + 0.3;
            keys[n++] = (step){ true, 36, t };        /* Enter */
            keys[n++] = (step){ false, 36, t + 0.001 };
            keys[n++] = (step){ false, 100, t + 0.01 };
            keyname k[20];
            assert_int_equal(shell_keys(keys, n, k, 20), 15);
            assert_string_equal(k[11].s, b == 0 ? "enter" : "char");
            assert_string_equal(k[12].s, "char");
            assert_string_equal(k[14].s, "enter");
        }
}

/* A line of `before` characters echoed `gap` apart, its last word killed
 * `kill` after the last one (answered by `answer`), `after` characters
 * typed on `next` later, then Enter `pause` after the next key was due,
 * answered by its echo and output. Returns the records. */
static size_t kill_line(step *keys, int before, double gap, double kill, uint32_t answer, double next, int after,
                        double pause)
{
    size_t n = 0;
    double t = 2.0;
    for (int c = 0; c < before; c++, t += gap) {
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
    }
    t += kill - gap;
    keys[n++] = (step){ true, 36, t }; /* Ctrl-W */
    keys[n++] = (step){ false, answer, t + 0.001 };
    t += next;
    for (int c = 0; c < after; c++, t += gap) {
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
    }
    keys[n++] = (step){ true, 36, t + pause }; /* Enter */
    keys[n++] = (step){ false, 36, t + pause + 0.001 };
    keys[n++] = (step){ false, 100, t + pause + 0.01 };
    return n;
}

/* `ls /usr/share/doc`, then Ctrl-W erasing its 14-character word (14
 * "\b" and "\x1b[K": 52 under chacha, a Backspace echo is 44) and `/tmp`
 * typed on 0.23 s later, then Enter (lab editkeys_long frame 161; Alt-
 * Backspace over 9 characters, frame 280, alike): a char. The same 52-byte
 * answer followed by the next key 0.45 s later, after a person read it,
 * is an Enter answered by a short prompt; one of a Backspace echo's size
 * stays a Backspace. */
static void test_word_kill(void **st)
{
    (void)st;
    static const uint32_t answer[] = { 52, 52, 44 };
    static const double next[] = { 0.23, 0.45, 0.23 };
    static const char *want[] = { "char", "enter", "backspace" };
    for (int a = 0; a < 3; a++) {
        step keys[60];
        size_t n = kill_line(keys, 17, 0.2, 0.2, answer[a], next[a], 4, 0.3);
        keyname k[24];
        assert_int_equal(shell_keys(keys, n, k, 24), 23);
        assert_string_equal(k[17].s, want[a]);
        assert_string_equal(k[18].s, "char");
        assert_string_equal(k[22].s, "enter");
    }
}

/* A slow typist (keys 0.4 s apart) kills the last word of a 24-character
 * line with Ctrl-W (60 under chacha: a prompt line's size, less than the
 * whole line's kill; lab: 26 characters of `ls /usr/share/zoneinfo/Europe`)
 * and types on 0.31 s later, faster than the line's pace (lab
 * wordkill_slow at +9900 frames 124 and 255, +9800 frame 126): a char.
 * The same answer with the next key 0.45 s later, past the line's pace
 * (the lab's people typed after a shell's Enter at 1.13 times it or
 * more), stays the Enter of a command that printed nothing. */
static void test_word_kill_slow(void **st)
{
    (void)st;
    static const double next[] = { 0.31, 0.45 };
    static const char *want[] = { "char", "enter" };
    for (int a = 0; a < 2; a++) {
        step keys[60];
        size_t n = kill_line(keys, 24, 0.4, 0.3, 60, next[a], 3, 0);
        keyname k[40];
        assert_int_equal(shell_keys(keys, n, k, 40), 29);
        assert_string_equal(k[24].s, want[a]);
        assert_string_equal(k[25].s, "char");
        assert_string_equal(k[28].s, "enter");
    }
}

/* dash (lab dash_session frames 98 and 233, dash_fast_aes128ctr-sha256etm):
 * the terminal's own kill, "\b \b" per character (4 characters: 12
 * bytes, 52 under chacha; readline's "\b" each and "\x1b[K" would be 44),
 * shows the terminal edits the leg's lines: a Backspace echo's size after
 * a word typed without corrections, then Enter, is a Backspace there, not
 * a completion (dash completes nothing). */
static void test_tty_no_completion(void **st)
{
    (void)st;
    step keys[40];
    size_t n = 0;
    double t = 2.0;
    for (int c = 0; c < 4; c++, t += 0.2) { /* date */
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
    }
    keys[n++] = (step){ true, 36, t };        /* Ctrl-U */
    keys[n++] = (step){ false, 52, t + 0.001 };
    for (int c = 0; c < 2; c++) {             /* pw */
        t += 0.2;
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
    }
    t += 0.3;                                  /* Enter */
    keys[n++] = (step){ true, 36, t };
    keys[n++] = (step){ false, 36, t + 0.001 };
    keys[n++] = (step){ false, 100, t + 0.01 };
    t += 1.5;
    for (int c = 0; c < 3; c++, t += 0.2) { /* lsx */
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
    }
    keys[n++] = (step){ true, 36, t };        /* Backspace */
    keys[n++] = (step){ false, 44, t + 0.001 };
    t += 0.3;                                  /* Enter */
    keys[n++] = (step){ true, 36, t };
    keys[n++] = (step){ false, 36, t + 0.001 };
    keys[n++] = (step){ false, 100, t + 0.01 };
    static const char *want[] = { "char", "char", "char", "char", "char", "char", "char", "enter",
                                  "char", "char", "char", "backspace", "enter" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, n, k, 16), 13);
    for (size_t i = 0; i < 13; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* dash (lab wordkill_dash at +10100, frames 58-188): Ctrl-U over `date`
 * answered by the terminal's "\b \b" each (52 under chacha; readline's
 * kill would be 44) shows the terminal edits the leg's lines; a line of
 * 16 characters 0.19 s apart, Ctrl-W over its last 12 ("\b \b" each: 76,
 * a prompt line's size, less than the whole line's kill, 84) and the next
 * word typed on 0.31 s later, 1.6 times the line's pace: a char, for the
 * Enter's CR LF there is the terminal's own echo, read alone before the
 * shell answers. Typed on 0.9 s later (past INSERT_NEXT_S) it stays the
 * Enter of a command that printed nothing; so does it 0.49 s later, at
 * typing pace but past KILL_NEXT_MAX_S: an Enter's echo may leave with a
 * fast command's output and prompt in one record (lab sweep +10300
 * wordkill_dash frame 187, `echo hello world`, the next key 0.49 s later:
 * read as a kill). */
/* count characters typed gap apart from t, each echoed 1 ms later,
 * appended at keys[*n]; the time after the last one's gap. */
static double echoed_run(step *keys, size_t *n, double t, int count, double gap)
{
    for (int c = 0; c < count; c++, t += gap) {
        keys[(*n)++] = (step){ true, 36, t };
        keys[(*n)++] = (step){ false, 36, t + 0.001 };
    }
    return t;
}

static void test_word_kill_tty(void **st)
{
    (void)st;
    static const double next[] = { 0.31, 0.49, 0.9 };
    static const char *want[] = { "char", "enter", "enter" };
    for (int a = 0; a < 3; a++) {
        step keys[60];
        size_t n = 0;
        double t = echoed_run(keys, &n, 2.0, 4, 0.19); /* date */
        keys[n++] = (step){ true, 36, t };            /* Ctrl-U */
        keys[n++] = (step){ false, 52, t + 0.001 };
        t = echoed_run(keys, &n, t + 0.19, 3, 0.19) + 0.11; /* pwd, Enter */
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
        keys[n++] = (step){ false, 60, t + 0.002 };
        t = echoed_run(keys, &n, t + 1.0, 16, 0.19); /* echo hi internati */
        keys[n++] = (step){ true, 36, t };          /* Ctrl-W */
        keys[n++] = (step){ false, 76, t + 0.001 };
        t = echoed_run(keys, &n, t + next[a], 2, 0.19) + 0.3; /* wo, Enter */
        keys[n++] = (step){ true, 36, t };
        keys[n++] = (step){ false, 36, t + 0.001 };
        keys[n++] = (step){ false, 68, t + 0.002 };
        keyname k[32];
        assert_int_equal(shell_keys(keys, n, k, 32), 29);
        assert_string_equal(k[4].s, "char");
        assert_string_equal(k[8].s, "enter");
        assert_string_equal(k[25].s, want[a]);
        assert_string_equal(k[26].s, "char");
        assert_string_equal(k[28].s, "enter");
    }
}

/* zsh (lab zsh_session): zle answers a line's second key with "\b" and
 * both characters (a Backspace echo's size, 44 under chacha) on every
 * line: a char; a completion answered by one record of a prompt's size
 * (52) with the Enter 0.4 s later on a line with a word: a Tab. */
static void test_zsh_keys(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                       /* l */
        { true, 36, 2.20 }, { false, 44, 2.201 },                       /* s: "\bls" */
        { true, 36, 2.40 }, { false, 36, 2.401 },                       /* space */
        { true, 36, 2.60 }, { false, 36, 2.601 },                       /* - */
        { true, 36, 3.00 }, { false, 36, 3.001 }, { false, 100, 3.01 }, /* Enter */
        { true, 36, 4.00 }, { false, 36, 4.001 },                       /* c */
        { true, 36, 4.20 }, { false, 44, 4.201 },                       /* a: "\bca" */
        { true, 36, 4.40 }, { false, 36, 4.401 },                       /* t */
        { true, 36, 4.60 }, { false, 36, 4.601 },                       /* n */
        { true, 36, 4.80 }, { false, 52, 4.801 },                       /* Tab */
        { true, 36, 5.20 }, { false, 36, 5.201 }, { false, 100, 5.21 }, /* Enter */
    };
    static const char *want[] = { "char", "char", "char", "char", "enter", "char", "char", "char", "char", "tab", "enter" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 11);
    for (size_t i = 0; i < 11; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* fish (lab fish_session): every key is answered by a redraw of the line
 * (two records), never by a lone echo; an Enter by the output and a prompt
 * (568 bytes), then a reading pause (1.2 s). Keys with less answer at
 * typing pace, and a line's last one before such an Enter, are chars. */
static void test_fish_keys(void **st)
{
    (void)st;
    step keys[40];
    size_t n = 0;
    for (int line = 0; line < 2; line++) {
        double t0 = 2.0 + 2.2 * line;
        for (int c = 0; c < 4 - line; c++) {
            keys[n++] = (step){ true, 36, t0 + 0.2 * c };
            keys[n++] = (step){ false, 60, t0 + 0.2 * c + 0.001 };
            keys[n++] = (step){ false, 68, t0 + 0.2 * c + 0.002 };
        }
        keys[n++] = (step){ true, 36, t0 + 1.0 };
        keys[n++] = (step){ false, 68, t0 + 1.001 };
        keys[n++] = (step){ false, 300, t0 + 1.005 };
        keys[n++] = (step){ false, 200, t0 + 1.006 };
    }
    static const char *want[] = { "char", "char", "char", "char", "enter", "char", "char", "char", "enter" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, n, k, 16), 9);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* fish (lab fish_session frame 180, fish_fast_aes128gcm frame 57): an
 * Enter after a short command answered by 68+228+84 bytes and followed
 * 0.48 s later (a fast typist), where the least Enter followed by a
 * reading pause was answered by 92+180+44+100 (more in total): the
 * Enter's largest record (the new prompt) is larger than any redraw's
 * (a character's records, 68 and 76): Enter. Its line's last character,
 * a redraw followed by the Enter, stays a char. */
static void test_fish_enter_records(void **st)
{
    (void)st;
    step keys[40];
    size_t n = 0;
    static const uint32_t enter[2][4] = { { 92, 180, 44, 100 }, { 68, 228, 84, 0 } };
    for (int line = 0; line < 2; line++) {
        double t0 = 2.0 + 2.2 * line;
        for (int c = 0; c < 3; c++) {
            keys[n++] = (step){ true, 36, t0 + 0.15 * c };
            keys[n++] = (step){ false, 68, t0 + 0.15 * c + 0.001 };
            keys[n++] = (step){ false, 76, t0 + 0.15 * c + 0.002 };
        }
        keys[n++] = (step){ true, 36, t0 + 0.8 };
        for (int r = 0; r < 4 && enter[line][r]; r++)
            keys[n++] = (step){ false, enter[line][r], t0 + 0.801 + 0.001 * r };
    }
    for (int c = 0; c < 2; c++) {
        keys[n++] = (step){ true, 36, 5.48 + 0.15 * c };
        keys[n++] = (step){ false, 68, 5.481 + 0.15 * c };
        keys[n++] = (step){ false, 76, 5.482 + 0.15 * c };
    }
    static const char *want[] = { "char", "char", "char", "enter", "char", "char", "char", "enter", "char", "char" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, n, k, 16), 10);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* fish typed slowly (lab fish_slow_aes128ctr-sha256etm frames 48, 283,
 * 355: 0.50-0.64 s after a key at a pace of about 0.3 s between keys): a
 * character's redraw followed by 0.6 s, longer than INSERT_NEXT_S but
 * within PACE_SLACK times the leg's median gap, is a char; the Enters
 * (a 300-byte prompt record, then a 1.2 s pause) stay Enters. */
static void test_fish_slow_keys(void **st)
{
    (void)st;
    step keys[40];
    size_t n = 0;
    static const double at[4] = { 0.0, 0.3, 0.9, 1.2 }; /* the third key 0.6 s after the second */
    for (int line = 0; line < 2; line++) {
        double t0 = 2.0 + 3.0 * line;
        for (int c = 0; c < 4; c++) {
            keys[n++] = (step){ true, 36, t0 + at[c] };
            keys[n++] = (step){ false, 84, t0 + at[c] + 0.001 };
            keys[n++] = (step){ false, 84, t0 + at[c] + 0.002 };
        }
        keys[n++] = (step){ true, 36, t0 + 1.5 };
        keys[n++] = (step){ false, 68, t0 + 1.501 };
        keys[n++] = (step){ false, 300, t0 + 1.505 };
        keys[n++] = (step){ false, 200, t0 + 1.506 };
    }
    static const char *want[] = { "char", "char", "char", "char", "enter", "char", "char", "char", "char", "enter" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, n, k, 16), 10);
    for (size_t i = 0; i < 9; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* Ctrl-L at an empty prompt (lab ctrlkeys frame 164, ctrlkeys_aes128gcm
 * frame 164): right after an Enter, one record of the cleared screen and
 * the prompt (60), then 0.8 s before the next command: a char, as a bare
 * Enter there would read (it runs nothing). */
static void test_empty_line_key(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 36, 2.001 },                       /* l */
        { true, 36, 2.20 }, { false, 36, 2.201 },                       /* s */
        { true, 36, 2.50 }, { false, 36, 2.501 }, { false, 100, 2.51 }, /* Enter */
        { true, 36, 3.60 }, { false, 60, 3.601 },                       /* Ctrl-L */
        { true, 36, 4.40 }, { false, 36, 4.401 },                       /* p */
        { true, 36, 4.60 }, { false, 36, 4.601 },                       /* w */
        { true, 36, 4.80 }, { false, 36, 4.801 }, { false, 100, 4.81 }, /* Enter */
    };
    static const char *want[] = { "char", "char", "enter", "char", "char", "char", "enter" };
    keyname k[16];
    assert_int_equal(shell_keys(keys, sizeof keys / sizeof keys[0], k, 16), 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(k[i].s, want[i]);
}

/* Ctrl-D at an empty prompt after a search's Enter (lab
 * ctrlkeys_aes128gcm frames 179-185): bash's "logout", exit-status,
 * eow@openssh.com, EOF and CLOSE, five records, and the connection
 * closes: Ctrl-D a char, the Enter before it an Enter (not the search's
 * last key before an accepting Enter). */
static void test_logout_records(void **st)
{
    (void)st;
    static const step keys[] = {
        { true, 36, 2.00 }, { false, 60, 2.001 },                       /* Ctrl-R */
        { true, 36, 2.30 }, { false, 68, 2.301 },                       /* o */
        { true, 36, 2.50 }, { false, 60, 2.501 },                       /* n */
        { true, 36, 2.75 }, { false, 84, 2.751 },                       /* Enter */
        { true, 36, 3.63 }, { false, 52, 3.631 }, { false, 52, 3.631 }, /* Ctrl-D */
        { false, 52, 3.631 }, { false, 36, 3.632 }, { false, 36, 3.632 },
    };
    stream_closed = true;
    keyname k[16];
    size_t nk = shell_keys(keys, sizeof keys / sizeof keys[0], k, 16);
    stream_closed = false;
    assert_int_equal(nk, 5);
    assert_string_equal(k[3].s, "enter");
    assert_string_equal(k[4].s, "char");
}

/* ssh -t host vim file under chacha (lab vim_exec frames 35-99): the
 * requests (400 bytes) fit an exec and, with another TERM, a shell; vim
 * paints its screen at once (records of the MSS): exec. Its keys have no
 * shell line: redraws are chars, the Enter after the echoed ":wq" is
 * Enter. The same requests followed by a prompt are a shell. */
static const step vim_exec_steps[] = {
    { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 400, 1.151 },
    { false, 108, 1.16 }, { false, 1448, 1.19 }, { false, 620, 1.1901 }, { false, 692, 1.1902 },
    { true, 36, 2.50 }, { false, 92, 2.501 },                          /* i */
    { true, 36, 2.70 }, { false, 60, 2.701 },                          /* h */
    { true, 36, 3.20 }, { false, 52, 3.226 },                          /* Esc */
    { true, 36, 3.60 }, { false, 68, 3.601 },                          /* : */
    { true, 36, 3.80 }, { false, 36, 3.801 },                          /* w */
    { true, 36, 4.00 }, { false, 36, 4.001 },                          /* q */
    { true, 36, 4.30 }, { false, 68, 4.301 }, { false, 52, 4.302 }, { false, 108, 4.303 },
};

static void test_pty_command(void **st)
{
    (void)st;
    for (int screen = 1; screen >= 0; screen--) {
        step rest[32], seq[64];
        memcpy(rest, vim_exec_steps, sizeof vim_exec_steps);
        if (!screen) /* a prompt where vim painted its screen */
            rest[5].len = rest[6].len = rest[7].len = 52;
        size_t n = after_login(seq, rest, sizeof vim_exec_steps / sizeof vim_exec_steps[0]);
        sd_evlist l = { 0 };
        sd_infer_summary su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, screen ? "exec" : "shell");
        const char *k[8];
        assert_int_equal(keys_of(&l, k, 8), 7);
        if (screen)
            for (size_t i = 0; i < 7; i++)
                assert_string_equal(k[i], i == 6 ? "enter" : "char");
        sd_evlist_free(&l);
    }
}

/* A key ending a program that streams by itself, typed within
 * REACT_MIN_S of its tick, at a shell that goes on (lab sweep +10800
 * screen_output frame 102: Ctrl-C 1.0 ms after `watch -n1 date`'s redraw,
 * answered at once by `^C` and the prompt, then typing): the stream's
 * next tick never comes. Where it does come, the record answered the
 * output (a terminal's report) and is no key. */
static void test_key_ending_stream(void **st)
{
    (void)st;
    static const step watch[] = {
        { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 392, 1.151 },
        { false, 108, 1.16 }, { false, 84, 1.17 }, { false, 60, 1.172 }, { false, 68, 1.173 },
        { false, 76, 1.174 }, { false, 44, 2.19 }, { false, 44, 2.1904 }, { false, 44, 2.1906 },
        { false, 60, 3.2 }, { false, 60, 4.21 }, { false, 44, 5.22 },
        { true, 36, 5.2210 },                                            /* Ctrl-C */
        { false, 68, 5.2214 }, { false, 52, 5.2217 },                    /* ^C, prompt */
        { true, 36, 5.92 }, { false, 36, 5.9202 }, { true, 36, 6.31 }, { false, 36, 6.3102 }, /* l s */
        { true, 36, 6.80 }, { false, 36, 6.8002 }, { false, 100, 6.8003 }, { false, 52, 6.8004 }, /* Enter */
    };
    enum { NW = sizeof watch / sizeof watch[0] };
    for (int ends = 1; ends >= 0; ends--) {
        step rest[NW + 1];
        size_t nr = NW, at = 20; /* before `s` */
        memcpy(rest, watch, sizeof watch);
        if (!ends) { /* watch draws on: the record answered its output */
            memmove(rest + at + 1, rest + at, (NW - at) * sizeof *rest);
            rest[at] = (step){ false, 60, 6.2302 };
            nr++;
        }
        sd_evlist l = { 0 };
        const char *k[8];
        size_t n = keys_after_login(rest, nr, &l, k, 8);
        static const char *const want[] = { "char", "char", "char", "enter" };
        assert_int_equal(n, ends ? 4 : 3);
        for (size_t i = 0; i < n; i++)
            assert_string_equal(k[i], want[i + !ends]);
        sd_evlist_free(&l);
    }
}

/* ssh -t host watch -n1 date under chacha (lab sweep +10400 watch_exec
 * frames 33-60): watch redraws a line every second, Ctrl-C leaves 0.8 ms
 * after a redraw, within REACT_MIN_S, and is answered at once by the
 * screen restored, then exit-status, EOF and CLOSE, the client's EOF and
 * CLOSE after: a key (main read none). The same record followed by more
 * of watch's output answered that output: no key. */
static void test_key_ending_program_soon(void **st)
{
    (void)st;
    static const step watch[] = {
        { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 392, 1.151 },
        { false, 108, 1.16 }, { false, 84, 1.17 }, { false, 60, 1.172 }, { false, 68, 1.173 },
        { false, 76, 1.174 }, { false, 44, 2.19 }, { false, 44, 2.1904 }, { false, 44, 2.1906 },
        { false, 60, 3.2 }, { false, 60, 4.21 }, { false, 44, 5.22 },
        { true, 36, 5.2208 },                                            /* Ctrl-C */
        { false, 76, 5.2228 }, { false, 36, 5.2236 }, { false, 140, 5.2241 },
        { true, 36, 5.2243 }, { true, 60, 5.2244 },                      /* EOF, CLOSE */
    };
    enum { NW = sizeof watch / sizeof watch[0] };
    for (int ends = 1; ends >= 0; ends--) {
        step rest[NW + 2];
        memcpy(rest, watch, sizeof watch);
        size_t n = NW;
        if (!ends) { /* watch draws on after the record: it answered its output */
            rest[16].len = 60;
            rest[17] = (step){ false, 60, 6.23 };
            rest[18] = (step){ false, 44, 7.24 };
            n = 19;
        }
        sd_evlist l = { 0 };
        const char *k[4];
        assert_int_equal(keys_after_login(rest, n, &l, k, 4), ends ? 1 : 0);
        if (ends)
            assert_string_equal(k[0], "char");
        sd_evlist_free(&l);
    }
}

/* A shell whose motd and prompt leave in one record of a screen's size
 * (lab motd_shell_aes128gcm_s1000: ~/.ssh/rc's 2-3 KB and the prompt in
 * one 2500-byte record): the requests and that output as vim_exec's, then
 * a command line typed (`ls`, each key answered by its echo alone, Enter
 * by output and a prompt): a shell, not `ssh -t host cmd` (it read exec). */
static void test_motd_shell(void **st)
{
    (void)st;
    enum { PAINT = 8 }; /* vim_exec_steps up to its first key */
    static const step line[] = {
        { true, 36, 2.50 }, { false, 36, 2.501 },                      /* l */
        { true, 36, 2.70 }, { false, 36, 2.701 },                      /* s */
        { true, 36, 3.20 }, { false, 100, 3.201 }, { false, 52, 3.202 }, /* Enter */
    };
    step rest[PAINT + sizeof line / sizeof line[0]], seq[64];
    memcpy(rest, vim_exec_steps, PAINT * sizeof *rest);
    memcpy(rest + PAINT, line, sizeof line);
    size_t n = after_login(seq, rest, sizeof rest / sizeof rest[0]);
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "shell");
    sd_evlist_free(&l);
    /* (lab motd_shell_aes128gcm at seed +9400 frames 39-49) the motd in
     * one record, the prompt (52) in the same write, and `ls`'s Enter
     * answered by one record (its output and the prompt again, 404): a
     * shell too. An answer of one record smaller than that prompt (68
     * after a 100-byte one) is no prompt line after output: it stays a
     * command painting its screen. */
    for (int small = 0; small <= 1; small++) {
        static const step ran[] = {
            { false, 52, 1.1903 },                                         /* the prompt */
            { true, 36, 2.50 },   { false, 36, 2.501 },                    /* l */
            { true, 36, 2.70 },   { false, 36, 2.701 },                    /* s */
            { true, 36, 3.20 },   { false, 404, 3.201 },                   /* Enter */
            { true, 36, 4.20 },   { false, 36, 4.201 },                    /* i */
        };
        step r2[PAINT + sizeof ran / sizeof ran[0]];
        memcpy(r2, vim_exec_steps, PAINT * sizeof *r2);
        memcpy(r2 + PAINT, ran, sizeof ran);
        if (small) {
            r2[PAINT].len = 100;
            r2[PAINT + 6].len = 68;
        }
        n = after_login(seq, r2, sizeof r2 / sizeof r2[0]);
        l = (sd_evlist){ 0 };
        su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, small ? "exec" : "shell");
        sd_evlist_free(&l);
    }
}

/* ssh -t host watch -n1 date (lab watch_exec frames 36-59): a small
 * screen redrawn once a second with no key, four bursts before Ctrl-C:
 * exec; with three (the key a second sooner) nothing tells it from a
 * shell's prompt. */
static void test_pty_redraws(void **st)
{
    (void)st;
    static const step watch[] = {
        { true, 112, 1.08 }, { false, 672, 1.10 }, { false, 192, 1.15 }, { true, 392, 1.151 },
        { false, 108, 1.16 }, { false, 84, 1.23 }, { false, 132, 1.2301 }, { false, 60, 2.24 },
        { false, 44, 3.26 }, { false, 52, 3.2603 }, { false, 60, 4.30 },
        { true, 36, 5.26 }, { false, 172, 5.275 }, { false, 72, 5.2751 },
    };
    for (int four = 1; four >= 0; four--) {
        step rest[16], seq[48];
        size_t n = 0;
        for (size_t i = 0; i < sizeof watch / sizeof watch[0]; i++)
            if (four || i != 10) /* without the fourth burst */
                rest[n++] = watch[i];
        n = after_login(seq, rest, n);
        sd_evlist l = { 0 };
        sd_infer_summary su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, four ? "exec" : "shell");
        sd_evlist_free(&l);
    }
}

/* PuTTY 0.78 both sides' software, aes256-ctr + hmac-sha2-256 (its
 * default suite against OpenSSH 9.2), for run_stream until putty_done. */
static void putty_ctr(void)
{
    static char sw[] = "PuTTY_Release_0.78";
    stream_sw = sw;
    stream_cipher = "aes256-ctr";
    stream_mac = "hmac-sha2-256";
}

static void putty_done(void)
{
    stream_exact = false;
    stream_sw = NULL;
    stream_cipher = stream_mac = NULL;
}

/* PuTTY (plink 0.78) under aes256-ctr + hmac-sha2-256 (lab
 * putty_shell_first frames 19-42): its password requests leave with an
 * IGNORE that pads the pair to 256 bytes (PUTTY_PW_MINLEN), 272 on the
 * wire whatever the password: a typed wrong one, then the right one, read
 * as passwords (main read both as public keys) with no length class. */
static void test_putty_padded_password(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 64, 2.9870 }, { false, 64, 2.9889 }, { true, 80, 2.9890 }, { false, 80, 3.0034 },
        { true, 272, 6.3666 }, { false, 80, 6.4199 },                                           /* wrong */
        { true, 272, 9.6674 }, { false, 48, 9.7207 }, { false, 544, 9.7245 },                 /* right */
        { true, 80, 10.7639 }, { false, 64, 10.7676 }, { true, 432, 10.7677 }, { false, 160, 10.7715 },
        { false, 64, 10.7874 }, { true, 64, 11.5801 }, { false, 64, 11.5803 },
    };
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, sizeof seq / sizeof seq[0], &l);
    assert_int_equal(su.auth_success, 1);
    assert_int_equal(su.auth_attempts, 2);
    assert_string_equal(su.auth_method, "password");
    int attempts = 0;
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *e = &l.v[i];
        if (strcmp(e->kind, "auth_attempt"))
            continue;
        assert_string_equal(sd_ev_get(e, "method")->s, "password");
        assert_string_equal(sd_ev_get(e, "result")->s, attempts ? "success" : "failure");
        assert_null(sd_ev_get(e, "password_len_class"));
        attempts++;
    }
    assert_int_equal(attempts, 2);
    sd_evlist_free(&l);
    /* PuTTY 0.74 to a server offering keyboard-interactive (ja4
     * ssh-r.pcap frames 14-20): that request first (112, failed at once:
     * no PAM device), then the padded password. An unpadded 112 from PuTTY
     * is no password (main read a password of 8-30 characters). */
    static const step kbd[] = {
        { true, 64, 3.50 }, { false, 64, 3.51 }, { true, 80, 3.512 }, { false, 96, 3.515 },
        { true, 112, 3.5155 }, { false, 96, 3.5287 }, { true, 272, 6.9845 }, { false, 48, 7.0059 },
        { true, 80, 7.0066 }, { false, 528, 7.0956 }, { false, 64, 7.1395 }, { true, 176, 7.1402 },
        { false, 160, 7.1451 },
    };
    l = (sd_evlist){ 0 };
    su = run_stream(kbd, sizeof kbd / sizeof kbd[0], &l);
    assert_string_equal(su.auth_method, "password");
    const sd_event *k = find_kind(&l, "auth_attempt");
    assert_non_null(k);
    assert_string_equal(sd_ev_get(k, "method")->s, "keyboard-interactive");
    sd_evlist_free(&l);
    putty_done();
    /* aes128-gcm (lab putty_shell_gcm frames 18-28): exact packets, the
     * IGNORE (180) and the request (84) are two records of one write; a
     * wrong password then the right one (main read both as
     * keyboard-interactive) */
    static const step gcm_seq[] = {
        { true, 52, 0.0896 }, { false, 52, 0.0897 }, { true, 68, 0.0898 }, { false, 52, 0.0980 },
        { true, 180, 3.5297 }, { true, 84, 3.5297 }, { false, 52, 3.5662 },
        { true, 180, 6.3263 }, { true, 84, 6.3263 }, { false, 36, 6.3941 }, { false, 532, 6.3970 },
        { true, 52, 7.5529 }, { false, 52, 7.5583 }, { true, 36, 8.6023 }, { false, 36, 8.6041 },
    };
    static char sw[] = "PuTTY_Release_0.78";
    stream_sw = sw;
    stream_cipher = "aes128-gcm@openssh.com";
    stream_exact = true;
    l = (sd_evlist){ 0 };
    su = run_stream(gcm_seq, sizeof gcm_seq / sizeof gcm_seq[0], &l);
    assert_int_equal(su.auth_attempts, 2);
    assert_string_equal(su.auth_method, "password");
    k = find_kind(&l, "auth_attempt");
    assert_non_null(k);
    assert_string_equal(sd_ev_get(k, "method")->s, "password");
    sd_evlist_free(&l);
    putty_done();
    /* the size rule itself: 257..256 + block (a segment, or the sum of a pair) */
    sd_ssh_suite eam = suite("aes256-ctr", "hmac-sha2-256"), ch = suite("chacha20-poly1305@openssh.com", NULL),
                 gcm = suite("aes128-gcm@openssh.com", NULL);
    assert_true(sd_infer_putty_pw_padded(&eam, 272));
    assert_false(sd_infer_putty_pw_padded(&eam, 256));
    assert_false(sd_infer_putty_pw_padded(&eam, 288));
    assert_true(sd_infer_putty_pw_padded(&ch, 264));
    assert_false(sd_infer_putty_pw_padded(&ch, 272));
    assert_true(sd_infer_putty_pw_padded(&gcm, 264)); /* a pair of exact records: their sum */
    assert_false(sd_infer_putty_pw_padded(&gcm, 273));
}

/* plink -t under aes256-ctr + hmac-sha2-256 (lab putty_shell_key frames
 * 21-59): after the key's login PuTTY asks for a Return before it opens
 * the session (its anti-spoofing prompt), so nothing leaves for 1.05 s;
 * then the open (80 bytes, no-more-sessions' size there), the pty-req and
 * shell (432), keys. A shell, not -N (main also said forward_only). */
static void test_delayed_session(void **st)
{
    (void)st;
    static const step seq[] = {
        { true, 64, 0.1679 }, { false, 64, 0.1681 }, { true, 80, 0.1705 }, { false, 80, 0.1800 },
        { true, 160, 0.1802 }, { false, 112, 0.1809 }, { true, 240, 0.1821 }, { false, 48, 0.2111 },
        { false, 864, 0.2551 },                                                                    /* hostkeys-00 */
        { true, 80, 1.3033 }, { false, 64, 1.3037 }, { true, 432, 1.3037 }, { false, 160, 1.3047 },
        { false, 64, 1.3197 }, { true, 64, 1.8312 }, { false, 64, 1.8315 }, { true, 64, 1.9911 },
        { false, 64, 1.9914 }, { true, 64, 2.2272 }, { false, 64, 2.2274 }, { true, 64, 2.3657 },
        { false, 64, 2.3660 },
    };
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, sizeof seq / sizeof seq[0], &l);
    assert_string_equal(su.session_kind, "shell");
    assert_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
    putty_done();
}

/* pscp 0.78's login with its key under aes256-ctr + hmac-sha2-256 (lab
 * putty_pscp_upload frames 14-29: service request, none probe, the key's
 * query and signature, hostkeys-00), then its session's open. */
static const step putty_pscp_login[] = {
    { true, 64, 0.170 },  { false, 64, 0.171 }, { true, 80, 0.173 },  { false, 80, 0.178 },
    { true, 160, 0.209 }, { false, 112, 0.217 }, { true, 240, 0.223 }, { false, 48, 0.224 },
    { false, 864, 0.254 }, { true, 80, 0.298 },  { false, 64, 0.303 },
};
#define NPSCP (sizeof putty_pscp_login / sizeof putty_pscp_login[0])

/* pscp / psftp's SFTP WRITEs of 4096 bytes from t: each a packet (4176
 * on the wire, three segments) answered by a STATUS (80); the new n. */
static size_t putty_writes(step *seq, size_t n, int count, double t)
{
    for (int w = 0; w < count; w++, t += 0.0001) {
        seq[n++] = (step){ true, 1448, t };
        seq[n++] = (step){ true, 1448, t };
        seq[n++] = (step){ true, 1280, t };
        seq[n++] = (step){ false, 80, t + 0.00005 };
    }
    return n;
}

/* pscp uploads over SFTP (lab putty_pscp_upload frames 30-357): 4096-byte
 * WRITEs, each a packet of its own (4176 bytes on the wire: three
 * segments, 1448 + 1448 + 1280), each answered by a STATUS (80). Each
 * packet's framing is cut exactly: 16 writes are 65536 bytes (main cut a
 * padding averaged over 16 lengths from each: 65384). */
static void test_putty_sftp_writes(void **st)
{
    (void)st;
    step seq[128];
    memcpy(seq, putty_pscp_login, sizeof putty_pscp_login);
    size_t n = NPSCP;
    static const step init[] = {
        { true, 176, 0.3184 }, { false, 112, 0.319 }, { true, 64, 0.3207 }, { false, 384, 0.3208 },
        { true, 80, 0.3209 },  { false, 96, 0.321 },  { true, 96, 0.3211 }, { false, 80, 0.3223 },
    };
    for (size_t i = 0; i < sizeof init / sizeof init[0]; i++)
        seq[n++] = init[i];
    n = putty_writes(seq, n, 16, 0.3425);
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "sftp");
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "upload");
    assert_int_equal(sd_ev_get(e, "bytes")->i, 65536);
    sd_evlist_free(&l);
    putty_done();
}

/* pscp -scp downloads (lab putty_pscp_download_scp frames 28-333): the
 * exec request group (176) has the sftp subsystem group's size, and scp's
 * 1-byte ack (64) SSH_FXP_INIT's; the server's "C0644 98304 name" line
 * (80), one more ack, then the file in PuTTY's 16 KiB maximum packets
 * (16448 on the wire: 11 segments of 1448 and one of 520) is legacy scp
 * (main read sftp) and 98304 bytes less scp's end byte. */
/* pscp (SFTP) download (lab putty_pscp_download seed 1000, frames 13-46):
 * the login, the session's open (80) answered by the confirmation with more
 * (224: a confirmation and a banner's size), the sftp requests, then
 * PuTTY's pipelined READs (480, 1448, 472: KEXINIT-sized) and the server's
 * DATA in full segments (1448): no session carried inside, no -R, sftp. */
static const step putty_pscp_pipelined[] = {
    { false, 200, 0.000000 }, { false, 136, 0.000023 }, { true, 64, 0.008467 },  { false, 64, 0.008610 },
    { true, 80, 0.009947 },   { false, 80, 0.016916 },  { true, 160, 0.017000 }, { false, 112, 0.017873 },
    { true, 240, 0.020380 },  { false, 48, 0.048556 },  { true, 80, 0.050640 },  { false, 704, 0.056010 },
    { false, 224, 0.103256 }, { true, 176, 0.103452 },  { false, 112, 0.104162 }, { true, 64, 0.104292 },
    { false, 384, 0.108947 }, { true, 80, 0.109037 },   { false, 96, 0.109119 },  { true, 96, 0.109214 },
    { false, 80, 0.109274 },  { true, 480, 0.109463 },  { true, 1448, 0.109474 }, { true, 472, 0.109510 },
    { false, 1448, 0.109725 }, { true, 160, 0.109734 },
};

static void test_putty_pipelined_reads(void **st)
{
    (void)st;
    step seq[128];
    size_t n = sizeof putty_pscp_pipelined / sizeof putty_pscp_pipelined[0];
    memcpy(seq, putty_pscp_pipelined, sizeof putty_pscp_pipelined);
    for (int k = 0; k < 40; k++)
        seq[n++] = (step){ false, k % 12 == 11 ? 520 : 1448, 0.109736 + k * 2e-6 };
    seq[n++] = (step){ false, 64, 0.2 };
    seq[n++] = (step){ true, 64, 0.201 };
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_false(su.reverse_provisioned);
    assert_null(find_kind(&l, "reverse_init"));
    assert_null(find_kind(&l, "nested_init"));
    assert_string_equal(su.session_kind, "sftp");
    sd_evlist_free(&l);
    putty_done();
}

/* plink -N -R (lab putty_forward_R seed 1000, aes256-ctr + hmac-sha2-256):
 * the tcpip-forward request (80, a session open's size too), sshd's
 * hostkeys-00 (704), then its DEBUG notice and the REQUEST_SUCCESS in one
 * segment (160 + 48 = 208); 2.4 s later the server's forwarded-tcpip open
 * (112), confirmed (64), and a page up: -R provisioned. Without the pause
 * before the open (an exchange's answer and request) it is not. */
static const step putty_rfwd[] = {
    { false, 200, 0.000000 }, { false, 136, 0.000023 }, { true, 64, 0.008985 },  { false, 64, 0.009085 },
    { true, 80, 0.009481 },   { false, 80, 0.015020 },  { true, 160, 0.015078 }, { false, 112, 0.015713 },
    { true, 240, 0.016809 },  { false, 48, 0.026100 },  { true, 80, 0.027432 },  { false, 704, 0.028398 },
    { false, 208, 0.069715 }, { false, 112, 2.502025 }, { true, 64, 2.502265 },  { false, 144, 2.502329 },
    { true, 240, 2.504892 },  { true, 1448, 2.506250 }, { true, 1448, 2.506254 }, { true, 1448, 2.506255 },
};

static void test_putty_rfwd_notice(void **st)
{
    (void)st;
    step seq[32];
    size_t n = sizeof putty_rfwd / sizeof putty_rfwd[0];
    memcpy(seq, putty_rfwd, sizeof putty_rfwd);
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_true(su.reverse_provisioned);
    sd_evlist_free(&l);
    for (size_t i = 13; i < n; i++) /* the open right after the notice */
        seq[i].t -= 2.43;
    su = run_stream(seq, n, &l);
    assert_false(su.reverse_provisioned);
    sd_evlist_free(&l);
    putty_done();
}

/* scp -r -O upload to a verbose remote scp (lab scp_tree seed 1000,
 * chacha20, frames 531-587): the exec request (68), the sink's ack (36),
 * the "D0755" line (52), then for each file the sink's "Sink: ..." stderr
 * line and its ack in one segment (96, 104), the "C0644" line (60) and
 * the file: legacy scp, an upload. */
static const step scp_verbose_sink[] = {
    { false, 200, 0.000000 }, { false, 116, 0.000008 }, { true, 44, 0.061095 },  { false, 44, 0.061155 },
    { true, 68, 0.061199 },   { false, 52, 0.068873 },  { true, 140, 0.068951 }, { false, 100, 0.069710 },
    { true, 308, 0.070137 },  { false, 28, 0.084282 },  { true, 112, 0.084372 }, { false, 672, 0.086334 },
    { false, 192, 0.129086 }, { true, 68, 0.129186 },   { false, 72, 0.129652 }, { false, 36, 0.132266 },
    { true, 52, 0.132463 },   { false, 96, 0.132614 },  { true, 60, 0.132739 },  { false, 104, 0.132855 },
    { true, 1448, 0.132965 }, { true, 1448, 0.132973 }, { true, 1448, 0.132974 }, { true, 1448, 0.132975 },
    { true, 356, 0.132976 },  { false, 120, 0.133114 }, { true, 60, 0.133205 },  { false, 104, 0.133289 },
    { true, 1448, 0.133370 }, { true, 716, 0.133378 },  { false, 120, 0.133438 }, { true, 60, 0.133516 },
    { false, 104, 0.133603 }, { true, 1448, 0.133696 }, { true, 1448, 0.133705 }, { true, 1448, 0.133705 },
    { true, 1448, 0.133706 }, { true, 1448, 0.133707 }, { true, 396, 0.133708 }, { false, 120, 0.133791 },
};

static void test_scp_verbose_sink_ack(void **st)
{
    (void)st;
    step seq[128];
    size_t n = sizeof scp_verbose_sink / sizeof scp_verbose_sink[0];
    memcpy(seq, scp_verbose_sink, sizeof scp_verbose_sink);
    for (int f = 0; f < 8; f++) { /* more files of the tree, as the last one */
        double t = 0.134 + f * 0.0005;
        static const step file[] = { { true, 60, 0 },      { false, 104, 0.0001 }, { true, 1448, 0.0002 },
                                     { true, 1448, 0.0002 }, { true, 1448, 0.0002 }, { true, 1448, 0.0002 },
                                     { true, 356, 0.0002 }, { false, 120, 0.0003 } };
        for (size_t k = 0; k < sizeof file / sizeof file[0]; k++)
            seq[n++] = (step){ file[k].c, file[k].len, t + file[k].t };
    }
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "scp");
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "upload");
    assert_string_equal(sd_ev_get(e, "tool")->s, "scp");
    sd_evlist_free(&l);
}

static void test_putty_scp_sink(void **st)
{
    (void)st;
    step seq[128];
    memcpy(seq, putty_pscp_login, sizeof putty_pscp_login);
    size_t n = NPSCP;
    static const step hs[] = {
        { true, 176, 0.3184 }, { false, 112, 0.319 }, { true, 64, 0.3207 }, { false, 80, 0.3208 }, { true, 64, 0.3209 },
    };
    for (size_t i = 0; i < sizeof hs / sizeof hs[0]; i++)
        seq[n++] = hs[i];
    for (int p = 0; p < 6; p++) {
        for (int k = 0; k < 11; k++)
            seq[n++] = (step){ false, 1448, 0.33 + p * 0.001 };
        seq[n++] = (step){ false, 520, 0.33 + p * 0.001 };
    }
    seq[n++] = (step){ false, 64, 0.337 };
    seq[n++] = (step){ true, 64, 0.338 };
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_string_equal(su.session_kind, "scp");
    const sd_event *e = find_kind(&l, "transfer");
    assert_non_null(e);
    assert_string_equal(sd_ev_get(e, "direction")->s, "download");
    assert_string_equal(sd_ev_get(e, "protocol")->s, "scp");
    assert_in_range(sd_ev_get(e, "bytes")->i, 98303, 98304);
    sd_evlist_free(&l);
    putty_done();
}

/* The transfer event of a direction ("upload" / "download"), or NULL. */
static const sd_event *transfer_of(const sd_evlist *l, const char *dir)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i].kind, "transfer") && !strcmp(sd_ev_get(&l->v[i], "direction")->s, dir))
            return &l->v[i];
    return NULL;
}

/* psftp -b with ls, put, get in one connection (lab putty_psftp_batch
 * frames 34-255, a file of 32768 bytes each way): the listing (1448 +
 * 1128) comes before the put, so it is no part of the get (main added it:
 * the runs of one direction spanned the other's transfer); the get's 32
 * READs (480 + 1448 + 472 + 160: 80 bytes each) are no part of the put;
 * the get's answers in 16 KiB packets hold the DATA header and 31 EOF
 * STATUS answers to the READs past the end (two of 16448 and one of 1056
 * on the wire). Both read 32768 bytes (main read the put as 34545). */
/* burst: the put's first writes sent in one burst before the server's
 * STATUS answers, batched in one record, then its last two (below); the
 * get read within slack bytes of its 32768. */
static void putty_psftp_batch(int burst, int64_t put, int64_t slack)
{
    step seq[256];
    memcpy(seq, putty_pscp_login, sizeof putty_pscp_login);
    size_t n = NPSCP;
    static const step pre[] = {
        { true, 176, 0.318 },  { false, 112, 0.319 }, { true, 64, 0.320 },  { false, 384, 0.321 },
        { true, 80, 0.322 },   { false, 112, 0.323 }, { true, 80, 0.325 },  { false, 80, 0.326 },   /* OPENDIR */
        { true, 80, 0.327 },   { false, 1448, 0.328 }, { false, 1128, 0.328 }, { true, 80, 0.330 }, /* listing */
        { false, 96, 0.331 },  { true, 80, 0.332 },   { false, 80, 0.333 },  { true, 96, 0.334 },
        { false, 128, 0.335 }, { true, 112, 0.336 },  { false, 80, 0.337 },                         /* put's OPEN */
    };
    for (size_t i = 0; i < sizeof pre / sizeof pre[0]; i++)
        seq[n++] = pre[i];
    if (burst) {
        for (int w = 0; w < burst; w++) {
            seq[n++] = (step){ true, 1448, 0.340 + w * 0.0001 };
            seq[n++] = (step){ true, 1448, 0.340 + w * 0.0001 };
            seq[n++] = (step){ true, 1280, 0.340 + w * 0.0001 };
        }
        seq[n++] = (step){ false, 544, 0.346 }; /* STATUS answers at once */
        n = putty_writes(seq, n, 2, 0.347);
    } else
        n = putty_writes(seq, n, 8, 0.347);
    static const step get[] = {
        { true, 80, 0.36 },    { false, 80, 0.361 }, { true, 96, 0.39 },   { false, 128, 0.391 },
        { true, 96, 0.40 },    { false, 80, 0.41 },  { true, 480, 0.495 }, { true, 1448, 0.495 },
        { true, 472, 0.495 },  { false, 1448, 0.499 }, { true, 160, 0.499 },
    };
    for (size_t i = 0; i < sizeof get / sizeof get[0]; i++)
        seq[n++] = get[i];
    for (int p = 0; p < 2; p++) {
        for (int k = p ? 0 : 1; k < 11; k++)
            seq[n++] = (step){ false, 1448, 0.4991 };
        seq[n++] = (step){ false, 520, 0.4991 };
    }
    seq[n++] = (step){ false, 1056, 0.4992 };
    seq[n++] = (step){ true, 80, 0.51 };
    seq[n++] = (step){ false, 80, 0.511 };
    putty_ctr();
    sd_evlist l = { 0 };
    run_stream(seq, n, &l);
    const sd_event *up = transfer_of(&l, "upload"), *down = transfer_of(&l, "download");
    assert_non_null(up);
    assert_non_null(down);
    assert_int_equal(sd_ev_get(up, "bytes")->i, put);
    assert_in_range(sd_ev_get(down, "bytes")->i, 32768 - slack, 32768 + slack);
    /* the put's CLOSE (80) and its STATUS, then the get's READ burst and
     * DATA: no session tunnelled in the sftp channel */
    assert_null(find_kind(&l, "nested_init"));
    sd_evlist_free(&l);
    putty_done();
}

static void test_putty_psftp_batch(void **st)
{
    (void)st;
    putty_psftp_batch(0, 32768, 16);
}

/* The same with the put's first 30 WRITEs (4176 bytes each) sent before
 * the server answers them (lab putty_psftp_batch at seed +3000 frames
 * 54-157), their STATUS answers in one record of 544 bytes, the get's
 * run's first: the client's records before it, the 30 WRITEs, sum to a
 * whole number of READs (125280 = 1566 x 80), whose EOF answers were cut
 * from the get (read 44700 of 98304 there). More than FXP_READS_MAX in
 * one burst are no READs. (The put's CLOSE, 80 bytes, counts as one: 26
 * bytes under, 36 in the lab's run.) */
static void test_putty_psftp_put_burst(void **st)
{
    (void)st;
    putty_psftp_batch(30, 32 * 4096, 64);
}

/* plink -N -R 127.0.0.1:8090:... under aes256-ctr + hmac-sha2-256 (lab
 * putty_forward_R frames 16-51): the tcpip-forward request (80 bytes) has
 * a session CHANNEL_OPEN's size there; sshd's answer, REQUEST_SUCCESS (48)
 * after its hostkeys-00 notice, says which (main read no -R). The
 * forwarded channel's data 2 s after login is no pty-req: -N, not a
 * shell. */
static void test_rfwd_open_sized(void **st)
{
    (void)st;
    step seq[40] = {
        { true, 64, 0.0904 }, { false, 64, 0.0905 }, { true, 80, 0.0909 }, { false, 80, 0.0974 },
        { true, 160, 0.0975 }, { false, 112, 0.0982 }, { true, 240, 0.0994 }, { false, 48, 0.1200 },
        { true, 80, 0.1257 }, { false, 864, 0.1257 }, { false, 48, 0.1695 },     /* -R, its success */
        { false, 112, 2.1316 }, { true, 64, 2.1319 }, { false, 144, 2.1404 }, { true, 240, 2.1506 },
    };
    size_t n = 15;
    for (int i = 0; i < 14; i++)
        seq[n++] = (step){ true, 1448, 2.1508 };
    seq[n++] = (step){ true, 1240, 2.1508 };
    seq[n++] = (step){ false, 144, 2.1513 };
    seq[n++] = (step){ true, 240, 2.1537 };
    putty_ctr();
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq, n, &l);
    assert_non_null(find_kind(&l, "reverse_provisioned"));
    assert_string_equal(su.session_kind, "forward-only");
    assert_non_null(find_kind(&l, "forward_only"));
    sd_evlist_free(&l);
    /* a session's open there is answered by its confirmation: no -R */
    seq[10] = (step){ false, 64, 0.1695 };
    l = (sd_evlist){ 0 };
    run_stream(seq, n, &l);
    assert_null(find_kind(&l, "reverse_provisioned"));
    sd_evlist_free(&l);
    putty_done();
}

/* paramiko's invoke_shell driven by a script under aes128-ctr +
 * hmac-sha2-256 (lab paramiko_shell frames 14-68): each command line is
 * written whole, 0.3 s after the prompt; a line of up to 14 bytes has one
 * key's wire size (64) and its answer (the line's echo, the output, a
 * prompt) an Enter's. No key is typed one by one: every line is a paste
 * and nobody typed. A person typing "ls" before the first line's Enter
 * keeps the keys as keys. */
static void test_scripted_lines(void **st)
{
    (void)st;
    static const step shell[] = {
        { true, 80, 1.6105 }, { false, 704, 1.6117 }, { false, 64, 1.6521 }, { true, 96, 1.6525 },
        { false, 48, 1.6531 }, { true, 64, 1.6533 }, { false, 112, 1.6538 }, { false, 64, 1.6655 },
        { true, 64, 1.9748 }, { false, 64, 1.9755 }, { false, 128, 1.9765 }, { false, 64, 1.9768 }, /* uname -a */
        { true, 64, 2.2855 }, { false, 64, 2.2860 }, { false, 64, 2.2895 }, { false, 208, 2.2896 },
        { false, 1008, 2.2897 }, { false, 64, 2.2899 },                                               /* ls -la */
        { true, 80, 2.5961 }, { false, 80, 2.5966 }, { false, 64, 2.6012 }, { false, 64, 2.6016 }, /* cat */
        { true, 64, 2.9067 }, { false, 64, 2.9072 }, { false, 112, 2.9132 }, { false, 64, 2.9134 }, /* id */
        { true, 64, 3.2175 }, { false, 64, 3.2179 }, { false, 176, 3.2220 },                         /* exit */
        { true, 48, 3.2223 }, { true, 48, 3.2641 },
    };
    static const step login_ctr[] = {
        { true, 64, 1.6001 }, { false, 64, 1.6027 }, { true, 240, 1.6032 }, { false, 48, 1.6087 },
    };
    static char sw[] = "paramiko_2.12.0";
    stream_sw = sw;
    stream_cipher = "aes128-ctr";
    stream_mac = "hmac-sha2-256";
    stream_closed = true;
    for (int typed = 0; typed <= 1; typed++) {
        step seq[64];
        size_t n = 0;
        memcpy(seq, login_ctr, sizeof login_ctr);
        n = sizeof login_ctr / sizeof login_ctr[0];
        for (size_t i = 0; i < sizeof shell / sizeof shell[0]; i++) {
            if (typed && i == 8) { /* "l", "s" typed and echoed before the first Enter */
                seq[n++] = (step){ true, 64, 2.00 };
                seq[n++] = (step){ false, 64, 2.001 };
                seq[n++] = (step){ true, 64, 2.15 };
                seq[n++] = (step){ false, 64, 2.151 };
            }
            seq[n] = shell[i];
            if (typed && i >= 8) /* the lines after those keys */
                seq[n].t += 0.5;
            n++;
        }
        sd_evlist l = { 0 };
        sd_infer_summary su = run_stream(seq, n, &l);
        assert_string_equal(su.session_kind, "shell");
        const char *k[8];
        size_t nk = keys_of(&l, k, 8);
        assert_int_equal(nk, typed ? 7 : 5);
        for (size_t i = 0; i < nk; i++)
            if (!typed)
                assert_string_equal(k[i], "paste");
        if (typed)
            assert_string_equal(k[2], "enter");
        const sd_event *e = find_kind(&l, "session");
        assert_non_null(e);
        assert_int_equal(sd_ev_get(e, "human")->b, typed);
        sd_evlist_free(&l);
    }
    stream_sw = NULL;
    stream_cipher = stream_mac = NULL;
    stream_closed = false;
}

/* paramiko's get_pty() then invoke_shell(): each request alone, sent
 * when the answer to the one before came (lab paramiko_shell_s1000: the
 * pty-req without terminal modes, 96, its CHANNEL_SUCCESS, then the shell
 * request, 64). Where the lines' echoes leave with their output (144 for
 * "uname -a") there are no line / echo pairs of a key's size: the shell
 * is found by its request after the pty-req's answer and the lines typed
 * after pauses. An exec of the same size followed by nothing typed stays
 * a command. */
static void test_lockstep_shell(void **st)
{
    (void)st;
    static const step seq0[] = {
        { true, 64, 1.6001 }, { false, 64, 1.6027 }, { true, 240, 1.6032 }, { false, 48, 1.6087 },
        { true, 80, 1.6255 }, { false, 704, 1.6291 }, { false, 64, 1.6723 }, { true, 96, 1.6727 },
        { false, 48, 1.6732 }, { true, 64, 1.6734 }, { false, 112, 1.6739 }, { false, 64, 1.6878 },
        { true, 64, 1.9946 }, { false, 144, 1.9959 }, { false, 64, 1.9992 },                      /* uname -a */
        { true, 64, 2.3068 }, { false, 64, 2.3073 }, { false, 64, 2.3086 }, { false, 112, 2.3104 },
        { false, 112, 2.3105 }, { false, 928, 2.3110 }, { false, 64, 2.3111 },                   /* ls -la */
        { true, 80, 2.6197 }, { false, 80, 2.6204 }, { false, 64, 2.6215 }, { false, 64, 2.6217 }, /* cat */
        { true, 64, 2.9313 }, { false, 112, 2.9328 }, { false, 64, 2.9329 },                      /* id */
        { true, 64, 3.2445 }, { false, 144, 3.2460 }, { false, 96, 3.2461 },                      /* exit */
        { true, 48, 3.2465 }, { true, 48, 3.2880 },
    };
    static char sw[] = "paramiko_2.12.0";
    stream_sw = sw;
    stream_cipher = "aes128-ctr";
    stream_mac = "hmac-sha2-256";
    stream_closed = true;
    sd_evlist l = { 0 };
    sd_infer_summary su = run_stream(seq0, sizeof seq0 / sizeof seq0[0], &l);
    assert_string_equal(su.session_kind, "shell");
    const char *k[8];
    assert_int_equal(keys_of(&l, k, 8), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(k[i], "paste");
    sd_evlist_free(&l);
    /* the same, then (lab paramiko_shell seed +5000) pairs from the
     * second line on, `cat /etc/hostname` answered by one record (its
     * echo, output and prompt, 96, more than the line's 80): the first
     * line is one of the script's, the cat line ran (no paste awaiting a
     * person's Enter) */
    static const step seq5[] = {
        { true, 64, 1.9946 }, { false, 144, 1.9957 }, { false, 64, 1.9960 },                      /* uname -a */
        { true, 64, 2.3092 }, { false, 64, 2.3184 }, { false, 1448, 2.3584 }, { false, 744, 2.3585 }, /* ls -la */
        { true, 80, 2.6621 }, { false, 96, 2.6635 },                                               /* cat */
        { true, 64, 2.9727 }, { false, 64, 2.9746 }, { false, 112, 2.9760 }, { false, 64, 2.9761 }, /* id */
        { true, 64, 3.2834 }, { false, 64, 3.2847 }, { false, 176, 3.2853 },                      /* exit */
        { true, 48, 3.2855 }, { true, 48, 3.3303 },
    };
    step seq[64];
    memcpy(seq, seq0, 12 * sizeof seq0[0]);
    memcpy(seq + 12, seq5, sizeof seq5);
    l = (sd_evlist){ 0 };
    su = run_stream(seq, 12 + sizeof seq5 / sizeof seq5[0], &l);
    assert_string_equal(su.session_kind, "shell");
    assert_int_equal(keys_of(&l, k, 8), 5);
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(k[i], "paste");
    assert_false(sd_ev_get(find_kind(&l, "session"), "human")->b);
    sd_evlist_free(&l);
    /* (lab paramiko_shell at seed +9000 frames 14-67) `uname -a`'s echo,
     * output and prompt in one record (144), larger than an Enter on an
     * empty line is answered by (CR LF and the 64-byte prompt before it,
     * ENTER_EMPTY_EXTRA): a line too. After a longer prompt (112), an
     * answer of its size may be such an Enter: keys stay a person's. */
    static const step seq9[] = {
        { true, 64, 1.5920 },   { false, 64, 1.5922 },   { true, 240, 1.5926 },  { false, 48, 1.6099 },
        { true, 80, 1.6105 },   { false, 704, 1.6128 },  { false, 64, 1.6560 },  { true, 96, 1.6564 },
        { false, 48, 1.6586 },  { true, 64, 1.6588 },    { false, 112, 1.6594 }, { false, 64, 1.6740 },
        { true, 64, 1.9803 },   { false, 144, 1.9852 },                                              /* uname -a */
        { true, 64, 2.2910 },   { false, 64, 2.2921 },   { false, 64, 2.2931 },  { false, 112, 2.2932 },
        { false, 1448, 2.2935 }, { false, 904, 2.2935 }, { false, 64, 2.2936 },                      /* ls -la */
        { true, 80, 2.6016 },   { false, 80, 2.6027 },   { false, 64, 2.6033 },  { false, 64, 2.6034 }, /* cat */
        { true, 64, 2.9122 },   { false, 64, 2.9141 },   { false, 112, 2.9161 }, { false, 64, 2.9171 }, /* id */
        { true, 64, 3.2229 },   { false, 64, 3.2235 },   { false, 176, 3.2252 },                      /* exit */
        { true, 48, 3.2255 },   { true, 48, 3.2680 },
    };
    for (int empty = 0; empty <= 1; empty++) {
        memcpy(seq, seq9, sizeof seq9);
        if (empty)
            seq[11].len = seq[13].len = 112;
        l = (sd_evlist){ 0 };
        su = run_stream(seq, sizeof seq9 / sizeof seq9[0], &l);
        assert_string_equal(su.session_kind, "shell");
        assert_int_equal(keys_of(&l, k, 8), 5);
        assert_string_equal(k[0], empty ? "enter" : "paste");
        assert_int_equal(sd_ev_get(find_kind(&l, "session"), "human")->b, empty);
        sd_evlist_free(&l);
    }
    /* nothing typed after the requests: a command's */
    l = (sd_evlist){ 0 };
    su = run_stream(seq0, 12, &l);
    assert_string_equal(su.session_kind, "exec");
    sd_evlist_free(&l);
    stream_sw = NULL;
    stream_cipher = stream_mac = NULL;
    stream_closed = false;
}

/* The same script under chacha20-poly1305: lines of 3 to 10 bytes ("id",
 * "uptime", "whoami" and their CR) have an arrow's wire size (44), each
 * answered by its echo (44), the output and a prompt: lines, not arrows. */
static void test_scripted_lines_chacha(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 44, 1.12 }, { true, 376, 1.13 }, { false, 36, 1.15 }, /* open, pty */
        { false, 52, 1.16 },                                                                /* prompt */
        { true, 44, 3.00 }, { false, 44, 3.001 }, { false, 100, 3.01 }, { false, 52, 3.011 }, /* id */
        { true, 44, 3.32 }, { false, 44, 3.321 }, { false, 140, 3.33 }, { false, 52, 3.331 }, /* uptime */
        { true, 44, 3.64 }, { false, 44, 3.641 }, { false, 60, 3.65 }, { false, 52, 3.651 }, /* whoami */
    };
    sd_evlist l = { 0 };
    const char *k[8];
    assert_int_equal(keys_after_login(rest, sizeof rest / sizeof rest[0], &l, k, 8), 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(k[i], "paste");
    assert_false(sd_ev_get(find_kind(&l, "session"), "human")->b);
    sd_evlist_free(&l);
}

/* A script driving ssh in a pty under chacha20-poly1305 (lab
 * scripted_pty_chacha frames 35-62): `id`'s output leaves in its echo's
 * record (92), `uname -r` and `ls /tmp` are echoed alone (44), `exit`'s
 * echo carries the logout (52) before the close (176): every line is
 * answered by ENTER_RECORDS_MIN records, the first at least its echo, so
 * they are lines, not arrows (an arrow recalling a line is answered by one
 * redraw). When every line's echo carries output (uname's 60, ls's 892),
 * only the session's end right after `exit`'s answer shows a line written
 * whole; without it the keys stay arrows. Under
 * aes128-gcm (lab scripted_pty_aes128gcm, second run) `uname -r`'s echo,
 * output and prompt are one 84-byte record: a line, the next key being
 * another line; followed by a key-sized Enter it is an arrow recalling a
 * line. */
static void test_scripted_lines_echo_output(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 112, 1.10 }, { false, 672, 1.11 }, { false, 192, 1.15 }, { true, 376, 1.151 }, /* pty, shell */
        { false, 108, 1.16 }, { false, 52, 1.18 },                                             /* prompt */
        { true, 44, 1.49 }, { false, 92, 1.492 }, { false, 52, 1.494 },                        /* id */
        { true, 44, 2.06 }, { false, 44, 2.061 }, { false, 52, 2.0612 }, { false, 52, 2.0614 }, /* uname -r */
        { true, 44, 2.55 }, { false, 44, 2.5506 }, { false, 892, 2.552 }, { false, 52, 2.5521 }, /* ls /tmp */
        { true, 44, 3.18 }, { false, 52, 3.181 }, { false, 176, 3.1815 },                      /* exit */
        { true, 36, 3.1816 }, { true, 60, 3.1817 },
    };
    for (int merged = 0; merged <= 1; merged++) {
        for (int closed = 0; closed <= 1; closed++) {
            step r[sizeof rest / sizeof rest[0]];
            memcpy(r, rest, sizeof rest);
            if (merged) { /* uname -r and ls /tmp answered with their output too */
                r[10].len = 60;
                r[14].len = 892;
            }
            /* the connection closes right after `exit`'s answer: that
             * line ended the session, which no arrow does (lab
             * scripted_pty_chacha at seed +9400: every echo merged) */
            stream_closed = closed;
            sd_evlist l = { 0 };
            const char *k[8];
            assert_int_equal(keys_after_login(r, sizeof r / sizeof r[0], &l, k, 8), 4);
            stream_closed = false;
            bool arrows = merged && !closed;
            for (size_t i = 0; i < 4; i++)
                assert_string_equal(k[i], arrows ? "arrow" : "paste");
            assert_int_equal(sd_ev_get(find_kind(&l, "session"), "human")->b, arrows);
            sd_evlist_free(&l);
        }
    }
}

/* The gcm run of test_scripted_lines_echo_output (frames 1-70): `uname
 * -r` answered by one 84-byte record (echo, output, prompt), then `ls
 * /tmp`, a line too. With `ls`'s record a key's (36: an Enter), the 84
 * recalled a line: keys, not lines. */
static void test_scripted_lines_one_record(void **st)
{
    (void)st;
    static const step rest[] = {
        { true, 52, 1.00 },   { false, 52, 1.001 }, { true, 68, 1.002 },   { false, 52, 1.011 },
        { true, 148, 1.014 }, { false, 100, 1.015 }, { true, 308, 1.016 }, { false, 36, 1.035 }, /* public key, ok */
        { true, 52, 1.037 },  { true, 68, 1.037 },  { false, 532, 1.038 }, { false, 148, 1.038 },
        { false, 148, 1.078 }, { false, 52, 1.078 }, { true, 340, 1.079 }, { true, 52, 1.079 }, /* pty, shell */
        { false, 36, 1.080 }, { false, 36, 1.080 }, { false, 36, 1.080 }, { false, 52, 1.10 },  /* prompt */
        { true, 52, 1.53 },   { false, 100, 1.531 }, { false, 52, 1.532 },                      /* id */
        { true, 52, 2.10 },   { false, 84, 2.101 },                                              /* uname -r */
        { true, 52, 2.66 },   { false, 52, 2.661 }, { false, 116, 2.67 },  { false, 4132, 2.671 },
        { false, 1620, 2.672 }, { false, 52, 2.673 },                                            /* ls /tmp */
        { true, 52, 3.05 },   { false, 52, 3.051 }, { false, 36, 3.052 },  { false, 52, 3.053 },
        { false, 52, 3.054 }, { false, 36, 3.055 }, { true, 36, 3.056 },   { true, 68, 3.057 }, /* exit */
    };
    stream_cipher = "aes128-gcm@openssh.com";
    stream_exact = true;
    for (int enter = 0; enter <= 1; enter++) {
        step seq[sizeof rest / sizeof rest[0]];
        memcpy(seq, rest, sizeof rest);
        if (enter)
            seq[25].len = 36;
        sd_evlist l = { 0 };
        run_stream(seq, sizeof seq / sizeof seq[0], &l);
        const char *k[8];
        assert_int_equal(keys_of(&l, k, 8), 4);
        assert_string_equal(k[1], enter ? "arrow" : "paste");
        assert_int_equal(sd_ev_get(find_kind(&l, "session"), "human")->b, enter);
        sd_evlist_free(&l);
    }
    stream_cipher = NULL;
    stream_exact = false;
}

/* sdi_lw_range (a binary search) finds exactly the range a scan finds,
 * for every wire size around the searched ones, outer suites of each mode
 * and a nested leg (outer of inner), with bounds empty, one-wide and wide. */
static void test_lw_range_is_scan(void **st)
{
    (void)st;
    sd_ssh_suite s[] = { suite("chacha20-poly1305@openssh.com", NULL), suite("aes128-gcm@openssh.com", NULL),
                         suite("aes128-ctr", "umac-64-etm@openssh.com"), suite("aes256-ctr", "hmac-sha2-256"),
                         suite("3des-cbc", "hmac-sha1"), { 0 } };
    const uint32_t bounds[][2] = { { 1, 64 }, { 5, 5 }, { 9, 3 }, { 0, 300 } };
    for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
        for (int nested = 0; nested < 2; nested++) {
            leg L = { .cl_is_outer_client = true, .oc = &s[i], .os = &s[i], .inner = nested ? &s[(i + 1) % 5] : NULL };
            for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++)
                for (uint32_t want = 0; want < 520; want++) {
                    uint32_t lo = bounds[k][0], hi = bounds[k][1], a = 0, b = 0, sa = 0, sb = 0;
                    bool found = false;
                    for (uint32_t t = lo; t <= hi; t++)
                        if (sdi_lw_cl_plus(&L, t, 31) == want) {
                            if (!found)
                                sa = t;
                            sb = t;
                            found = true;
                        }
                    bool got = sdi_lw_range(&L, sdi_lw_cl_plus, 31, lo, hi, want, &a, &b);
                    assert_int_equal(got, found);
                    if (found) {
                        assert_int_equal(a, sa);
                        assert_int_equal(b, sb);
                    }
                }
        }
}

int main(void)
{
    const struct CMUnitTest t[] = {
        cmocka_unit_test(test_keystroke_sizes),
        cmocka_unit_test(test_lw_range_is_scan),
        cmocka_unit_test(test_password_sizes),
        cmocka_unit_test(test_nested_sizes),
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_request_split),
        cmocka_unit_test(test_request_split_env),
        cmocka_unit_test(test_agent_requested),
        cmocka_unit_test(test_agent_used_server_side),
        cmocka_unit_test(test_agent_open_with_echo),
        cmocka_unit_test(test_reverse_confirm_server_side),
        cmocka_unit_test(test_fast_keys_not_chaff),
        cmocka_unit_test(test_rfwd_shell_server_side),
        cmocka_unit_test(test_no_more_sessions_once),
        cmocka_unit_test(test_password_automated_server_side),
        cmocka_unit_test(test_sftp_upload),
        cmocka_unit_test(test_mux_sftp_download),
        cmocka_unit_test(test_mux_interleaved_gcm),
        cmocka_unit_test(test_mux_late_version),
        cmocka_unit_test(test_mux_shared_confirm),
        cmocka_unit_test(test_mux_late_close),
        cmocka_unit_test(test_mux_master_no_session),
        cmocka_unit_test(test_mux_master_sftp_prompt),
        cmocka_unit_test(test_mux_master_interleaved_gcm),
        cmocka_unit_test(test_scripted_pty_not_sftp),
        cmocka_unit_test(test_sftp_tree_download_listing),
        cmocka_unit_test(test_git_shape),
        cmocka_unit_test(test_sftp_tree_upload_headers),
        cmocka_unit_test(test_scp_download_stderr_not_tail),
        cmocka_unit_test(test_exec_upload_agent_sized),
        cmocka_unit_test(test_reverse_split_kexinit),
        cmocka_unit_test(test_proxyjump_carrier),
        cmocka_unit_test(test_mfa_pubkey_code),
        cmocka_unit_test(test_kbdint_prompts),
        cmocka_unit_test(test_none_auth),
        cmocka_unit_test(test_auth_bypass),
        cmocka_unit_test(test_auth_scan),
        cmocka_unit_test(test_banner_coalesced),
        cmocka_unit_test(test_ext_info_in_auth),
        cmocka_unit_test(test_kbdint_typed),
        cmocka_unit_test(test_auth_closed),
        cmocka_unit_test(test_rekey_typing),
        cmocka_unit_test(test_rekey_server_data_first),
        cmocka_unit_test(test_rekey_server_newkeys_unplaced),
        cmocka_unit_test(test_keys_in_flight),
        cmocka_unit_test(test_keys_answer_too_early),
        cmocka_unit_test(test_keys_in_flight_after_output),
        cmocka_unit_test(test_flood_window_adjust),
        cmocka_unit_test(test_keys_in_flight_unechoed),
        cmocka_unit_test(test_keys_in_flight_slow_completion),
        cmocka_unit_test(test_unanswered_key_before_arrow),
        cmocka_unit_test(test_backspace_right_after_echo),
        cmocka_unit_test(test_keys_in_flight_held_echo),
        cmocka_unit_test(test_keys_in_flight_held_echo_late),
        cmocka_unit_test(test_key_held_after_echo),
        cmocka_unit_test(test_keys_in_flight_after_protocol),
        cmocka_unit_test(test_keys_in_flight_fast_echoes),
        cmocka_unit_test(test_keys_in_flight_burst),
        cmocka_unit_test(test_keys_in_flight_late_echo),
        cmocka_unit_test(test_keys_in_flight_late_first_echo),
        cmocka_unit_test(test_keys_in_flight_coalesced),
        cmocka_unit_test(test_keys_in_flight_backspace_after_echoes),
        cmocka_unit_test(test_echo_with_enter),
        cmocka_unit_test(test_held_keys_echoes),
        cmocka_unit_test(test_stalled_server_echoes),
        cmocka_unit_test(test_scp_acks_not_echo_pairs),
        cmocka_unit_test(test_silent_key_then_enter),
        cmocka_unit_test(test_computed_answer_late),
        cmocka_unit_test(test_asyncssh_split_ignore),
        cmocka_unit_test(test_multiplexer_prefix),
        cmocka_unit_test(test_keepalive_ticks),
        cmocka_unit_test(test_keepalive_rtt),
        cmocka_unit_test(test_keepalive_late_answer),
        cmocka_unit_test(test_keepalive_late_second_tick),
        cmocka_unit_test(test_keepalive_with_key),
        cmocka_unit_test(test_pager_keys),
        cmocka_unit_test(test_typed_before_screen),
        cmocka_unit_test(test_pager_search_then_q),
        cmocka_unit_test(test_typeahead_stream),
        cmocka_unit_test(test_empty_line_no_backspace),
        cmocka_unit_test(test_editor_insert_enter),
        cmocka_unit_test(test_editor_run_pause),
        cmocka_unit_test(test_repl_short_prompt),
        cmocka_unit_test(test_pager_keys_not_ticks),
        cmocka_unit_test(test_pager_status_then_page),
        cmocka_unit_test(test_typeahead_rhythm_not_stream),
        cmocka_unit_test(test_enter_one_record_then_search),
        cmocka_unit_test(test_enter_after_edit),
        cmocka_unit_test(test_merged_keys),
        cmocka_unit_test(test_merged_keys_line_start),
        cmocka_unit_test(test_enter_after_edit_tie),
        cmocka_unit_test(test_held_echoes_joint),
        cmocka_unit_test(test_slow_typist),
        cmocka_unit_test(test_alive_answer_late),
        cmocka_unit_test(test_interrupt_uneven_stream),
        cmocka_unit_test(test_interrupt_silent_pace),
        cmocka_unit_test(test_interrupt_tick_in_flight),
        cmocka_unit_test(test_tab_before_one_record_enter),
        cmocka_unit_test(test_search_keys),
        cmocka_unit_test(test_kill_line),
        cmocka_unit_test(test_kill_size_enter),
        cmocka_unit_test(test_word_kill),
        cmocka_unit_test(test_word_kill_slow),
        cmocka_unit_test(test_word_kill_tty),
        cmocka_unit_test(test_tty_no_completion),
        cmocka_unit_test(test_zsh_keys),
        cmocka_unit_test(test_fish_keys),
        cmocka_unit_test(test_fish_enter_records),
        cmocka_unit_test(test_fish_slow_keys),
        cmocka_unit_test(test_empty_line_key),
        cmocka_unit_test(test_logout_records),
        cmocka_unit_test(test_pty_command),
        cmocka_unit_test(test_key_ending_program_soon),
        cmocka_unit_test(test_key_ending_stream),
        cmocka_unit_test(test_key_echoed_with_next),
        cmocka_unit_test(test_multiplexer_update_at_pace),
        cmocka_unit_test(test_pty_redraws),
        cmocka_unit_test(test_motd_shell),
        cmocka_unit_test(test_scripted_lines),
        cmocka_unit_test(test_lockstep_shell),
        cmocka_unit_test(test_putty_padded_password),
        cmocka_unit_test(test_delayed_session),
        cmocka_unit_test(test_rfwd_open_sized),
        cmocka_unit_test(test_putty_sftp_writes),
        cmocka_unit_test(test_putty_scp_sink),
        cmocka_unit_test(test_putty_pipelined_reads),
        cmocka_unit_test(test_putty_rfwd_notice),
        cmocka_unit_test(test_scp_verbose_sink_ack),
        cmocka_unit_test(test_putty_psftp_batch),
        cmocka_unit_test(test_putty_psftp_put_burst),
        cmocka_unit_test(test_scripted_lines_chacha),
        cmocka_unit_test(test_scripted_lines_echo_output),
        cmocka_unit_test(test_scripted_lines_one_record),
    };
    return cmocka_run_group_tests(t, NULL, NULL);
}
