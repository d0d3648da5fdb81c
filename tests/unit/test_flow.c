/* Unit tests of the flow stage: TCP analysis (handshake, window scaling,
 * retransmission vs out-of-order, dup ACKs, zero windows, keep-alives),
 * Zeek conn_state, and the --where filter over connection fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "flow/sd_streamno.h"
#include "flow/sd_tcp.h"
#include "out/sd_connfields.h"
#include "out/sd_where.h"

#define MS 1000000LL

typedef struct harness {
    sd_flow f;
    sd_frame fr[64];
    int n;
} harness;

/* What the flow's tracking allocated (sd_flow_free's share of it). */
static void flow_drop(sd_flow *f)
{
    for (int d = 0; d < 2; d++) {
        sd_tcpgap_free(&f->t[d].gap);
        free(f->t[d].holes);
    }
}

static void h_done(harness *h)
{
    flow_drop(&h->f);
}

static void h_init(harness *h)
{
    memset(h, 0, sizeof *h);
    sd_conn *c = &h->f.c;
    c->ipproto = 6;
    c->d[0].wscale = c->d[1].wscale = -1;
    c->first_fin_dir = c->first_rst_dir = -1;
    c->rtt_syn_synack = c->rtt_synack_ack = -1;
}

/* A TCP segment of frame fr: wire payload bytes, of which captured held. */
static sd_pkt tcp_pkt(sd_frame *fr, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t wire, uint32_t captured,
                      uint16_t win)
{
    sd_pkt p = { 0 };
    p.frame = fr;
    p.l4 = SD_L4_TCP;
    p.flags = flags;
    p.seq = seq;
    p.ack = ack;
    p.win = win;
    p.payload_wire = wire;
    p.payload_len = captured;
    return p;
}

/* Feeds one segment; returns its SD_TA_* analysis. */
static unsigned seg(harness *h, int dir, sd_ts t_ms, uint8_t flags, uint32_t seq, uint32_t ack,
                    uint32_t len, uint16_t win, int wscale)
{
    sd_frame *fr = &h->fr[h->n];
    fr->num = (uint64_t)++h->n;
    fr->ts = t_ms * MS;
    sd_pkt p = tcp_pkt(fr, flags, seq, ack, len, len, win);
    if (wscale >= 0) {
        p.opt.has_wscale = true;
        p.opt.wscale = (uint8_t)wscale;
    }
    h->f.c.d[dir].pkts++;
    return sd_tcp_packet(&h->f, &p, dir);
}

#define SYN SD_TH_SYN
#define ACK SD_TH_ACK
#define FIN SD_TH_FIN
#define RST SD_TH_RST

static void handshake(harness *h, int ws_c, int ws_s)
{
    seg(h, 0, 0, SYN, 1000, 0, 0, 65535, ws_c);
    seg(h, 1, 40, SYN | ACK, 5000, 1001, 0, 65535, ws_s);
    seg(h, 0, 45, ACK, 1001, 5001, 0, 502, -1);
}

static void test_handshake_rtt_and_scaling(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, 7, 9);
    sd_conn *c = &h.f.c;
    assert_int_equal(c->rtt_syn_synack, 40 * MS);
    assert_int_equal(c->rtt_synack_ack, 5 * MS);
    assert_true(c->established);
    assert_int_equal(c->d[0].wscale, 7);
    assert_int_equal(c->d[1].wscale, 9);
    /* the client's ACK advertised 502 << 7 */
    assert_int_equal(c->d[0].win_max, 502 << 7);
    assert_string_equal(c->history, "ShA");
    assert_int_equal(sd_tcp_rel_seq(c, 0, 1001), 1);
    h_done(&h);
}

static void test_scaling_needs_both_sides(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, 7, -1); /* server did not echo window scale: RFC 7323 says off */
    assert_int_equal(h.f.c.d[0].wscale, -1);
    assert_int_equal(h.f.c.d[0].win_max, 502);
    h_done(&h);
}

static void test_retransmission_and_ooo(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, -1, -1);
    assert_int_equal(seg(&h, 0, 100, ACK, 1001, 5001, 100, 500, -1), 0);
    assert_null(h.f.t[0].holes); /* in order so far: no hole list (most flows) */
    /* a hole: 1101..1201 missing, 1201 arrives */
    assert_int_equal(seg(&h, 0, 101, ACK, 1201, 5001, 100, 500, -1), SD_TA_LOST_PREV);
    assert_non_null(h.f.t[0].holes);
    assert_null(h.f.t[1].holes);
    /* the hole fills 1 ms later: reordered, not resent (< 40 ms RTT) */
    assert_int_equal(seg(&h, 0, 102, ACK, 1101, 5001, 100, 500, -1), SD_TA_OOO);
    /* the same bytes again much later: a retransmission */
    assert_int_equal(seg(&h, 0, 900, ACK, 1101, 5001, 100, 500, -1), SD_TA_RETRANS);
    assert_int_equal(h.f.c.d[0].ooo_pkts, 1);
    assert_int_equal(h.f.c.d[0].retrans_pkts, 1);
    assert_non_null(strchr(h.f.c.history, 'T'));
    h_done(&h);
}

static void test_late_fill_is_retransmission(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, -1, -1);
    seg(&h, 0, 100, ACK, 1001, 5001, 100, 500, -1);
    seg(&h, 0, 101, ACK, 1201, 5001, 100, 500, -1);
    /* the sender resends the lost segment after an RTO: retransmission */
    assert_int_equal(seg(&h, 0, 400, ACK, 1101, 5001, 100, 500, -1), SD_TA_RETRANS);
    h_done(&h);
}

static void test_dupack_zero_window_keepalive(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, -1, -1);
    seg(&h, 0, 100, ACK, 1001, 5001, 1000, 500, -1);
    seg(&h, 0, 101, ACK, 2001, 5001, 1000, 500, -1);
    assert_int_equal(seg(&h, 1, 110, ACK, 5001, 2001, 0, 800, -1), 0);
    assert_int_equal(seg(&h, 1, 111, ACK, 5001, 2001, 0, 800, -1), SD_TA_DUPACK);
    assert_int_equal(seg(&h, 1, 112, ACK, 5001, 3001, 0, 0, -1), SD_TA_ZEROWIN);
    /* one byte below the next sequence number: keep-alive, not data */
    assert_int_equal(seg(&h, 0, 5000, ACK, 3000, 5001, 1, 500, -1), SD_TA_KEEPALIVE);
    assert_int_equal(h.f.c.d[0].retrans_pkts, 0);
    h_done(&h);
}

static void test_conn_states(void **state)
{
    harness h;
    h_init(&h);
    seg(&h, 0, 0, SYN, 1, 0, 0, 100, -1);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "S0");

    h_done(&h);
    h_init(&h);
    seg(&h, 0, 0, SYN, 1, 0, 0, 100, -1);
    seg(&h, 1, 1, RST | ACK, 0, 2, 0, 0, -1);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "REJ");

    h_done(&h);
    h_init(&h);
    handshake(&h, -1, -1);
    seg(&h, 0, 50, FIN | ACK, 1001, 5001, 0, 500, -1);
    seg(&h, 1, 51, FIN | ACK, 5001, 1002, 0, 500, -1);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "SF");
    assert_int_equal(h.f.c.first_fin_dir, 0);
    assert_true(h.f.c.closed);

    h_done(&h);
    h_init(&h);
    handshake(&h, -1, -1);
    seg(&h, 1, 50, RST, 5001, 0, 0, 0, -1);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "RSTR");
    assert_int_equal(h.f.c.first_rst_dir, 1);

    h_done(&h);
    h_init(&h); /* mid-stream */
    seg(&h, 0, 0, ACK, 77, 99, 10, 100, -1);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "OTH");
    h_done(&h);
}

/* RFC 5961 3.2: only a RST at the receiver's next number resets; one
 * elsewhere in the window is answered with a challenge ACK (a blind
 * attacker's guess: the connection goes on), one outside it is dropped.
 * Zeek's state believes all three (conn_state RSTR either way). */
/* A fresh connection: the client sends cn bytes, the server sn and ACKs
 * 100 of the client's. */
static void rst_setup(harness *h, uint32_t cn, uint32_t sn)
{
    h_init(h);
    handshake(h, -1, -1);
    seg(h, 0, 50, ACK, 1001, 5001, cn, 500, -1);
    seg(h, 1, 51, ACK, 5001, 1101, sn, 500, -1);
}

static void test_rst_rfc5961(void **state)
{
    harness h;
    rst_setup(&h, 100, 200);
    assert_int_equal(seg(&h, 1, 52, RST, 5201 + 3000, 0, 0, 0, -1), SD_TA_RST_CHALLENGE);
    assert_false(h.f.c.closed);
    assert_int_equal(h.f.c.rst_challenged, 1);
    assert_int_equal(h.f.c.rst_challenged_frame, 6);
    assert_int_equal(seg(&h, 1, 53, RST, 5201 + 200000, 0, 0, 0, -1), SD_TA_RST_INVALID);
    assert_false(h.f.c.closed);
    assert_int_equal(seg(&h, 1, 54, RST, 5201 - 1, 0, 0, 0, -1), SD_TA_RST_CHALLENGE);
    assert_int_equal(h.f.c.rst_challenged, 2);
    assert_int_equal(h.f.c.rst_challenged_frame, 6);
    assert_false(h.f.c.closed);
    assert_int_equal(seg(&h, 1, 55, RST, 5201, 0, 0, 0, -1), 0); /* exact: resets */
    assert_true(h.f.c.closed);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "RSTR");
    assert_int_equal(h.f.c.first_rst_frame, 6);

    h_done(&h); /* an exact RST the receiver never got: it ACKs what follows */
    rst_setup(&h, 100, 0);
    assert_int_equal(seg(&h, 0, 52, RST, 1101, 0, 0, 0, -1), 0);
    assert_true(h.f.c.closed);
    seg(&h, 1, 53, ACK, 5001, 1101, 0, 500, -1); /* no further than the RST: still closed */
    assert_true(h.f.c.closed);
    seg(&h, 0, 54, ACK, 1101, 5001, 100, 500, -1);
    seg(&h, 1, 55, ACK, 5001, 1201, 0, 500, -1); /* past it: it never took the RST */
    assert_false(h.f.c.closed);
    assert_int_equal(h.f.c.rst_untaken, 1);
    assert_int_equal(h.f.c.rst_untaken_frame, 9);
    sd_conn_finish_state(&h.f.c);
    assert_string_equal(h.f.c.conn_state, "RSTO"); /* Zeek's, as for every RST */

    h_done(&h); /* a stack answering a segment: the RST carries its ACK */
    rst_setup(&h, 300, 0);
    assert_int_equal(seg(&h, 0, 52, RST, 1101, 0, 0, 0, -1), 0);
    assert_true(h.f.c.closed);
    assert_int_equal(h.f.c.rst_challenged, 0);
    h_done(&h);
}

static void test_where_filter(void **state)
{
    harness h;
    h_init(&h);
    handshake(&h, -1, -1);
    sd_conn *c = &h.f.c;
    c->resp_p = 80;
    c->orig_h.fam = 4;
    c->orig_h.a[0] = 10, c->orig_h.a[3] = 7;
    char err[128];
    sd_filter *f = sd_filter_parse(&sd_conn_fields, "id.resp_p=80,syn_synack_ms>30", err, sizeof err);
    assert_non_null(f);
    assert_true(sd_filter_match(f, c));
    sd_filter_free(f);
    f = sd_filter_parse(&sd_conn_fields, "syn_synack_ms>300", err, sizeof err);
    assert_false(sd_filter_match(f, c));
    sd_filter_free(f);
    f = sd_filter_parse(&sd_conn_fields, "id.orig_h~10.0 and history=ShA", err, sizeof err);
    assert_true(sd_filter_match(f, c));
    sd_filter_free(f);
    assert_null(sd_filter_parse(&sd_conn_fields, "nosuchfield=1", err, sizeof err));
    assert_non_null(strstr(err, "nosuchfield"));
    assert_null(sd_filter_parse(&sd_conn_fields, "stream ==", err, sizeof err));
    h_done(&h);
}

/* ---- the in-order fast path against the general path ---- */

typedef struct twin {
    sd_flow fast, general;
    sd_frame fr;
    uint32_t next[2];   /* each side's next sequence number */
    unsigned taken;     /* segments the fast path took */
    unsigned n;
} twin;

/* The same tracking state: the fields, and what the out-of-line holes and
 * gap ranges hold (not where). */
static void track_equal(const sd_tcptrack *x, const sd_tcptrack *y)
{
    sd_tcptrack a, b;
    memcpy(&a, x, sizeof a);
    memcpy(&b, y, sizeof b);
    assert_int_equal(a.nholes, b.nholes);
    for (int i = 0; i < a.nholes; i++) {
        assert_memory_equal(a.holes->r[i], b.holes->r[i], sizeof a.holes->r[i]);
        assert_int_equal(a.holes->ts[i], b.holes->ts[i]);
    }
    assert_int_equal(a.gap.n, b.gap.n);
    if (a.gap.n)
        assert_memory_equal(a.gap.spill ? a.gap.spill : a.gap.one, b.gap.spill ? b.gap.spill : b.gap.one,
                            sizeof a.gap.one[0] * a.gap.n);
    a.holes = b.holes = NULL;
    a.gap.spill = b.gap.spill = NULL;
    memset(a.gap.one, 0, sizeof a.gap.one); /* (compared above while it held them) */
    memset(b.gap.one, 0, sizeof b.gap.one);
    assert_memory_equal(&a, &b, sizeof a);
}

/* One segment into both flows: the same analysis and the same state. */
static void twin_seg(twin *w, int dir, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t wire,
                     uint32_t captured, uint16_t win)
{
    w->fr.num = ++w->n;
    w->fr.ts = (sd_ts)w->n * MS;
    sd_pkt p = tcp_pkt(&w->fr, flags, seq, ack, wire, captured, win);
    w->taken += sd_tcp_in_order(&w->fast, &p, dir);
    unsigned a = sd_tcp_packet(&w->fast, &p, dir);
    unsigned b = sd_tcp_packet_general(&w->general, &p, dir);
    assert_int_equal(a, b);
    assert_memory_equal(&w->fast.c, &w->general.c, sizeof w->fast.c);
    for (int d = 0; d < 2; d++)
        track_equal(&w->fast.t[d], &w->general.t[d]);
}

static void twin_init(twin *w)
{
    memset(w, 0, sizeof *w);
    harness h;
    h_init(&h); /* the same fresh connection in both */
    w->fast = w->general = h.f;
    w->next[0] = 1000;
    w->next[1] = 5000;
}

/* Data (len bytes, snapped to captured) from dir at its next number. */
static void twin_data(twin *w, int dir, uint32_t len, uint32_t captured, uint16_t win)
{
    twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], len, captured, win);
    w->next[dir] += len;
}

static uint32_t rnd(uint32_t *s)
{
    *s ^= *s << 13, *s ^= *s >> 17, *s ^= *s << 5;
    return *s;
}

/* Handshake, then a random mix of what a capture holds: in-order data and
 * ACKs (the fast path's), and now and then a resend, a jump, a reordered
 * pair, a duplicate ACK, a zero window, a probe, a keep-alive, a snapped
 * segment, an ACK beyond the data seen, then FIN or RST. After every
 * segment the two flows must be identical. */
static void test_fast_path_same_state(void **state)
{
    uint32_t s = 2463534242u;
    unsigned taken = 0, total = 0;
    for (int conn = 0; conn < 200; conn++) {
        twin *w = malloc(sizeof *w);
        twin_init(w);
        twin_seg(w, 0, SYN, 999, 0, 0, 0, 65535);
        twin_seg(w, 1, SYN | ACK, 4999, 1000, 0, 0, 65535);
        twin_seg(w, 0, ACK, 1000, 5000, 0, 0, 502);
        for (int i = 0; i < 60; i++) {
            int dir = rnd(&s) & 1;
            uint32_t len = rnd(&s) % 3 == 0 ? 0 : 1 + rnd(&s) % 1400;
            uint16_t win = (uint16_t)(1 + rnd(&s) % 2000);
            switch (rnd(&s) % 24) {
            case 0: /* a resend of the last bytes */
                twin_seg(w, dir, ACK, w->next[dir] - 10, w->next[!dir], 10, 10, win);
                break;
            case 1: /* a jump: bytes the capture lost */
                w->next[dir] += 100;
                twin_data(w, dir, len, len, win);
                break;
            case 2: /* a duplicate ACK (twice the same) */
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], 0, 0, win);
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], 0, 0, win);
                break;
            case 3: /* a zero window */
                twin_data(w, dir, len, len, 0);
                break;
            case 4: /* a window probe, a keep-alive */
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], 1, 1, win);
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], 0, 0, win);
                twin_seg(w, dir, ACK, w->next[dir] - 1, w->next[!dir], 1, 1, win);
                w->next[dir] += 1;
                break;
            case 5: /* snapped payload */
                twin_data(w, dir, len, len / 2, win);
                break;
            case 6: /* the peer ACKs past what it was sent */
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir] + 50, 0, 0, win);
                break;
            case 7: /* a reordered pair */
                twin_seg(w, dir, ACK, w->next[dir] + 100, w->next[!dir], 100, 100, win);
                twin_seg(w, dir, ACK, w->next[dir], w->next[!dir], 100, 100, win);
                w->next[dir] += 200;
                break;
            case 8: /* urgent data */
                twin_seg(w, dir, ACK | SD_TH_URG, w->next[dir], w->next[!dir], len, len, win);
                w->next[dir] += len;
                break;
            default:
                twin_data(w, dir, len, len, win);
            }
        }
        if (conn % 3 == 0) {
            twin_seg(w, 1, RST | ACK, w->next[1], w->next[0], 0, 0, 0);
        } else {
            twin_seg(w, 0, FIN | ACK, w->next[0], w->next[1], 0, 0, 500);
            twin_seg(w, 1, FIN | ACK, w->next[1], w->next[0] + 1, 0, 0, 500);
            twin_seg(w, 0, ACK, w->next[0] + 1, w->next[1] + 1, 0, 0, 500);
        }
        twin_data(w, 0, 20, 20, 500); /* after the end: never the fast path */
        taken += w->taken;
        total += w->n;
        flow_drop(&w->fast);
        flow_drop(&w->general);
        free(w);
    }
    /* the fast path was taken, and not for everything */
    assert_true(taken > total / 3);
    assert_true(taken < total);
}

/* A side's first data once established (each banner of a brute force's
 * connections) takes the fast path, which adds its D or d as the general
 * path does (the twin's history and state are compared after each). */
static void test_fast_path_first_data(void **state)
{
    (void)state;
    twin *w = malloc(sizeof *w);
    twin_init(w);
    twin_seg(w, 0, SYN, 999, 0, 0, 0, 65535);
    twin_seg(w, 1, SYN | ACK, 4999, 1000, 0, 0, 65535);
    twin_seg(w, 0, ACK, 1000, 5000, 0, 0, 502);
    unsigned before = w->taken;
    twin_data(w, 1, 40, 40, 502); /* the server's banner */
    twin_data(w, 0, 22, 22, 502); /* the client's */
    assert_int_equal(w->taken - before, 2);
    assert_string_equal(w->fast.c.history, "ShAdD");
    flow_drop(&w->fast);
    flow_drop(&w->general);
    free(w);
}

/* The uid as it was made before issue #11's cuts, a byte at a time: the
 * fast form (the zero tail of an IPv4 address one multiply, two digits a
 * division) must give the same 18 characters for IPv4 and IPv6 identities. */
static void ref_uid(const sd_conn *c, char out[19])
{
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const struct { const void *p; size_t n; } f[] = {
        { &c->ipproto, 1 }, { c->orig_h.a, 16 }, { c->resp_h.a, 16 }, { &c->orig_p, 2 },
        { &c->resp_p, 2 }, { &c->start, sizeof c->start }, { &c->first_frame, sizeof c->first_frame },
    };
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        for (size_t j = 0; j < f[i].n; j++)
            h = (h ^ ((const uint8_t *)f[i].p)[j]) * 1099511628211ull;
    uint64_t h2 = h ^ 0x9e3779b97f4a7c15ull;
    for (size_t j = 0; j < sizeof c->conn_index; j++)
        h2 = (h2 ^ ((const uint8_t *)&c->conn_index)[j]) * 1099511628211ull;
    out[0] = 'C';
    for (int i = 1; i < 11; i++, h /= 62)
        out[i] = b62[h % 62];
    for (int i = 11; i < 18; i++, h2 /= 62)
        out[i] = b62[h2 % 62];
    out[18] = '\0';
}

static void test_uid_same_as_bytewise(void **state)
{
    (void)state;
    uint64_t x = 0x243f6a8885a308d3ull; /* xorshift: many identities, repeatable */
    for (int n = 0; n < 3000; n++) {
        sd_conn c;
        memset(&c, 0, sizeof c);
        uint64_t r[6];
        for (int k = 0; k < 6; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            r[k] = x;
        }
        int kind = n % 3; /* IPv4; IPv6; IPv4 with a stray byte in the tail */
        c.ipproto = (uint8_t)(n & 1 ? 6 : 17);
        c.orig_h.fam = c.resp_h.fam = kind == 1 ? 6 : 4;
        memcpy(c.orig_h.a, &r[0], kind == 1 ? 8 : 4);
        memcpy(c.resp_h.a, &r[1], kind == 1 ? 8 : 4);
        if (kind == 1) {
            memcpy(c.orig_h.a + 8, &r[2], 8);
            memcpy(c.resp_h.a + 8, &r[3], 8);
        } else if (kind == 2) {
            c.orig_h.a[4 + r[2] % 12] = (uint8_t)(r[3] | 1);
        }
        c.orig_p = (uint16_t)r[4];
        c.resp_p = (uint16_t)(r[4] >> 16);
        c.start = (sd_ts)(r[5] >> 2);
        c.first_frame = r[4] >> (r[2] % 64);
        c.conn_index = r[5] >> (r[3] % 64);
        char want[19];
        ref_uid(&c, want);
        sd_conn_make_uid(&c);
        assert_string_equal(c.uid, want);
    }
}

/* sd_streamno against a plain model of its rule: ended pairs remembered in
 * the order they ended, the oldest forgotten past the cap, a new flow
 * taking its key's pair back. A small cap, and one of a few hundred pairs,
 * over many rounds: the index grows, its home slots collide, runs wrap
 * past its end and are shifted back on every removal; one wrong shift
 * loses a pair and a stream number moves. */
#define SN_KEYS_MAX 1024

typedef struct sn_model {
    uint64_t cap;
    int key[4096];
    sd_wsconv w[4096];
    uint64_t gen[4096]; /* the end that put it there */
    int n;
    uint64_t next, forgotten;
} sn_model;

static void sn_model_drop(sn_model *m, int i)
{
    memmove(&m->key[i], &m->key[i + 1], (size_t)(m->n - i - 1) * sizeof *m->key);
    memmove(&m->w[i], &m->w[i + 1], (size_t)(m->n - i - 1) * sizeof *m->w);
    memmove(&m->gen[i], &m->gen[i + 1], (size_t)(m->n - i - 1) * sizeof *m->gen);
    m->n--;
}

static void sn_model_begin(sn_model *m, int key, const sd_pkt *p, sd_wsconv *out)
{
    for (int i = 0; i < m->n; i++) {
        if (m->key[i] != key)
            continue;
        sd_wsconv prev = m->w[i];
        sn_model_drop(m, i);
        if (!sd_streamno_splits(&prev, p, 0)) {
            *out = prev;
            return;
        }
        break;
    }
    memset(out, 0, sizeof *out);
    out->stream = m->next++;
}

/* The ring's order: a pair is forgotten cap ends after its own, if it is
 * still there. */
static void sn_model_end(sn_model *m, int key, const sd_wsconv *w, uint64_t gen)
{
    for (int i = 0; i < m->n; i++) {
        if (gen >= m->cap && m->gen[i] == gen - m->cap) {
            sn_model_drop(m, i);
            m->forgotten++;
            break;
        }
    }
    m->key[m->n] = key, m->w[m->n] = *w, m->gen[m->n] = gen;
    m->n++;
}

static void streamno_run(uint64_t cap, int keys, int rounds)
{
    static sn_model m;
    memset(&m, 0, sizeof m);
    m.cap = cap;
    sd_streamno *t = sd_streamno_new(cap);
    static sd_wsconv live[SN_KEYS_MAX], mlive[SN_KEYS_MAX];
    static bool is_live[SN_KEYS_MAX];
    memset(is_live, 0, sizeof is_live);
    uint64_t gen = 0;
    srand(11);
    for (int round = 0; round < rounds; round++) {
        int k = rand() % keys;
        sd_flowkey key;
        memset(&key, 0, sizeof key);
        key.proto = 6, key.a.fam = key.b.fam = 4, key.pa = (uint16_t)(1000 + k), key.pb = 22;
        if (!is_live[k]) { /* a new flow: a SYN with one of two ISNs */
            sd_pkt p;
            memset(&p, 0, sizeof p);
            p.l4 = SD_L4_TCP, p.flags = SD_TH_SYN, p.seq = (uint32_t)(rand() % 2);
            sd_streamno_begin(t, &key, &p, 0, &live[k]);
            sn_model_begin(&m, k, &p, &mlive[k]);
            assert_int_equal(live[k].stream, mlive[k].stream);
            sd_streamno_packet(&live[k], &p, 0);
            sd_streamno_packet(&mlive[k], &p, 0);
            is_live[k] = true;
        } else { /* it ends */
            sd_streamno_end(t, &key, &live[k]);
            sn_model_end(&m, k, &mlive[k], gen++);
            is_live[k] = false;
        }
        assert_int_equal(sd_streamno_forgotten(t), m.forgotten);
    }
    assert_true(m.forgotten > 100 && m.next > 1000); /* both paths were taken */
    sd_streamno_free(t);
}

static void test_streamno_model(void **state)
{
    (void)state;
    streamno_run(7, 40, 20000);    /* the cap reached all the time */
    streamno_run(300, 700, 200000); /* an index of 512 to 1,024 slots, half full */
    /* past the ring's first block (1,024 pairs), the cap inside the second */
    streamno_run(1500, 1024, 200000);
}

/* The ring grows a block (1,024 pairs, 64 KiB) at a time, never copied:
 * 4,097 ended pairs at the default cap hold 5 blocks and an index of
 * 16,384 slots (load <= 1/2). A ring that doubles holds 8,192 lines
 * (512 KiB) by then, and wrote each pair up to 3 times (bench/README.md,
 * stop 42). */
static void test_streamno_bytes(void **state)
{
    (void)state;
    sd_streamno *t = sd_streamno_new(0);
    const unsigned n = 4097;
    for (unsigned i = 0; i < n; i++) {
        sd_flowkey key;
        memset(&key, 0, sizeof key);
        key.proto = 6, key.a.fam = key.b.fam = 4, key.pa = (uint16_t)(1024 + i % 60000), key.pb = 22;
        key.a.a[3] = (uint8_t)(i / 60000); /* distinct keys past the ports */
        sd_pkt p;
        memset(&p, 0, sizeof p);
        p.l4 = SD_L4_TCP, p.flags = SD_TH_SYN, p.seq = i;
        sd_wsconv w;
        sd_streamno_begin(t, &key, &p, 0, &w);
        assert_int_equal(w.stream, i);
        sd_streamno_packet(&w, &p, 0);
        sd_streamno_end(t, &key, &w);
    }
    size_t ring = 5 * 1024 * 64, index = 16384 * 8, table = 8 * sizeof(void *);
    assert_true(sd_streamno_bytes(t) <= ring + index + table);
    assert_true(sd_streamno_bytes(t) >= n * 64 + index);
    sd_streamno_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_rtt_and_scaling),
        cmocka_unit_test(test_scaling_needs_both_sides),
        cmocka_unit_test(test_retransmission_and_ooo),
        cmocka_unit_test(test_late_fill_is_retransmission),
        cmocka_unit_test(test_dupack_zero_window_keepalive),
        cmocka_unit_test(test_conn_states),
        cmocka_unit_test(test_rst_rfc5961),
        cmocka_unit_test(test_where_filter),
        cmocka_unit_test(test_fast_path_same_state),
        cmocka_unit_test(test_fast_path_first_data),
        cmocka_unit_test(test_uid_same_as_bytewise),
        cmocka_unit_test(test_streamno_model),
        cmocka_unit_test(test_streamno_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
