/* The engine's analyzer calls: an analyzer with packet_from_close gets, of
 * each connection, exactly the packets from its first FIN or RST on, the
 * same ones an analyzer asking for every packet gets from there. And the
 * engine's source, sd_pipe: its records' layout. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "capture/sd_capture.h"
#include "capture/sd_pipe.h"
#include "common/sd_common.h"
#include "flow/sd_engine.h"

/* One connection as both analyzers see it (each its own, so the test does
 * not depend on their order). */
typedef struct seen {
    uint64_t all, after_close; /* the every-packet analyzer's count, and from the close on */
    uint64_t from_close;       /* the packet_from_close analyzer's */
    bool closing;              /* (each analyzer's own view) */
} seen;

typedef struct tally {
    uint64_t conns, all, after_close, from_close, closed_conns;
    uint64_t bad_first;        /* from_close calls before any FIN or RST */
} tally;

static void *an_new(void *ctx, sd_conn *c)
{
    (void)ctx, (void)c;
    return sd_calloc(1, sizeof(seen));
}

static void every_packet(void *ctx, sd_conn *c, void *st, const sd_pkt *p, int dir)
{
    (void)ctx, (void)c, (void)dir;
    seen *s = st;
    s->all++;
    if (p->flags & (SD_TH_FIN | SD_TH_RST))
        s->closing = true;
    s->after_close += s->closing;
}

static void end_every(void *ctx, sd_conn *c, void *st)
{
    (void)c;
    tally *t = ctx;
    seen *s = st;
    t->conns++;
    t->all += s->all;
    t->after_close += s->after_close;
    t->closed_conns += s->closing;
    free(s);
}

static void close_packet(void *ctx, sd_conn *c, void *st, const sd_pkt *p, int dir)
{
    (void)c, (void)dir;
    tally *t = ctx;
    seen *s = st;
    if (p->flags & (SD_TH_FIN | SD_TH_RST))
        s->closing = true;
    if (!s->closing)
        t->bad_first++;
    s->from_close++;
}

static void end_close(void *ctx, sd_conn *c, void *st)
{
    (void)c;
    tally *t = ctx;
    seen *s = st;
    t->from_close += s->from_close;
    free(s);
}

/* The lab fixture both tests read (a connection with a close). */
static sd_capture *open_fixture(void)
{
    const char *paths[] = { "tests/lab/fixtures/agent_key_chacha.pcap" };
    static sd_diag diag; /* the capture keeps it */
    sd_capture_opts co = { .diag = &diag };
    char err[256];
    sd_capture *cap = sd_capture_open(paths, 1, &co, err, sizeof err);
    if (!cap)
        fail_msg("%s", err);
    return cap;
}

static void test_packet_from_close(void **state)
{
    (void)state;
    sd_capture *cap = open_fixture();
    tally every = { 0 }, close = { 0 };
    sd_engine_opts eo = { 0 };
    sd_engine *e = sd_engine_new(&eo);
    sd_analyzer a = { .name = "every", .conn_new = an_new, .packet = every_packet, .conn_end = end_every, .ctx = &every };
    sd_analyzer b = { .name = "close", .conn_new = an_new, .packet = close_packet, .conn_end = end_close,
                      .packet_from_close = true, .ctx = &close };
    assert_true(sd_engine_add(e, &b) >= 0); /* first: called before the other */
    assert_true(sd_engine_add(e, &a) >= 0);
    sd_engine_run(e, cap, NULL, NULL);
    sd_engine_free(e);
    sd_capture_close(cap);
    assert_true(every.conns > 0);
    assert_true(every.closed_conns > 0); /* the capture has a close to start from */
    assert_int_equal(close.bad_first, 0);
    assert_int_equal(close.from_close, every.after_close);
    assert_true(close.from_close < every.all); /* the packets before the close were left out */
}

/* The pipe's records start on a cache line and take whole lines (issue
 * #11: a record over one line more is one more miss a packet on the
 * engine's thread), in every batch: small batches, so that there are many
 * allocations, and records, in order, with their own frame. */
static void test_pipe_rec_lines(void **state)
{
    (void)state;
    sd_capture *cap = open_fixture();
    sd_decode_opts dopts = { 0 };
    sd_pipe_opts po = { .dec = &dopts, .fdec = &dopts, .batch = 3, .batches = 8 };
    sd_pipe *p = sd_pipe_start(cap, &po);
    assert_non_null(p);
    uint64_t n = 0;
    for (sd_pipe_rec *r; (r = sd_pipe_next(p));) {
        assert_int_equal((uintptr_t)r % SD_PIPE_REC_ALIGN, 0);
        assert_int_equal(r->fr.num, ++n);
        if (r->r == SD_DEC_OK)
            assert_ptr_equal(r->p.frame, &r->fr);
    }
    assert_true(n > 8 * 3); /* every batch was used, some again */
    sd_pipe_end(p);
    sd_pipe_free(p);
    sd_capture_close(cap);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_from_close),
        cmocka_unit_test(test_pipe_rec_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
