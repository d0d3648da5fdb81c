/* sd_sshconn_result_take (src/ssh/sd_sshconn.c): results taken on the
 * engine's thread, then settled, written and released on another thread
 * after the run (every state and parser of the analyzer let go or used
 * again by later connections), write the records the analyzer's own
 * results write on the engine's thread with their statistics counted
 * there: with the records in the parser's first block and past it on the
 * heap, some past the cap (counted in the engine), in the item's room or
 * allocated. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/sd_capture.h"
#include "common/sd_common.h"
#include "flow/sd_engine.h"
#include "out/sd_recout.h"
#include "ssh/sd_ssh_fields.h"
#include "ssh/sd_ssh_int.h"
#include "ssh/sd_sshconn.h"

#define MAXC 64
#define ROOM 4096
/* Records kept a connection: the interactive fixtures have more (the
 * rest counted in the engine), a login's fewer than the first block's 16. */
#define MAX_RECORDS 40

typedef struct run {
    bool take;
    size_t n;
    char *json[MAXC];
    sd_sshconn_result *taken[MAXC];
    void *room[MAXC];
    size_t held;         /* records on the heap, over the taken results */
    size_t truncated;    /* results past the cap */
    size_t late;         /* taken with the meta's derivation left to the taker */
    size_t due_after;    /* still left after the settle (must be none) */
} run;

/* The parser a result's meta is in (sd_sshconn_result_take moves it). */
static const sd_ssh *parser_of(const sd_sshconn_result *r)
{
    return (const sd_ssh *)(const void *)((const char *)r->meta - offsetof(sd_ssh, m));
}

static char *json_of(const sd_sshconn_result *r)
{
    const sd_field *sel[128];
    size_t n = sd_fields_all(&sd_ssh_fields, false, sel, 128);
    sd_recout *w = sd_recout_new(SD_REC_JSON, sel, n, "ssh", 0);
    sd_buf b = { 0 };
    sd_ssh_fieldrec x = { .r = r, .csv = false };
    sd_recout_record(w, &b, &x);
    sd_recout_free(w);
    sd_buf_append(&b, "", 1);
    return (char *)b.p;
}

static void done(void *ud, const sd_sshconn_result *r)
{
    run *u = ud;
    assert_true(u->n < MAXC);
    u->truncated += r->rec_truncated;
    if (!u->take) {
        u->json[u->n++] = json_of(r);
        return;
    }
    u->late += parser_of(r)->derive_due;
    size_t held = 0;
    void *room = u->n % 2 ? aligned_alloc(16, ROOM) : NULL; /* in the room, or allocated */
    u->room[u->n] = room;
    u->taken[u->n++] = sd_sshconn_result_take(r, room, room ? ROOM : 0, &held);
    u->held += held;
}

static void run_capture(const char *path, run *u, sd_sshconn **keep)
{
    sd_diag diag = { 0 };
    sd_capture_opts co = { .diag = &diag };
    char err[256];
    sd_capture *cap = sd_capture_open(&path, 1, &co, err, sizeof err);
    if (!cap)
        fail_msg("%s", err);
    sd_engine_opts eo = { .reassemble = true };
    sd_engine *e = sd_engine_new(&eo);
    sd_sshconn_opts so = { .done = done, .ud = u, .defer_stats = u->take, .max_records = MAX_RECORDS };
    sd_sshconn *x = sd_sshconn_new(&so);
    assert_true(sd_sshconn_attach(x, e) >= 0);
    sd_engine_run(e, cap, NULL, NULL);
    sd_engine_free(e);
    sd_capture_close(cap);
    *keep = x; /* the memo the taken results share: freed after them */
}

/* The writer's thread: each taken result as cmd_ssh.c's conclude has it. */
static void *conclude_all(void *arg)
{
    run *u = arg;
    for (size_t i = 0; i < u->n; i++) {
        sd_sshconn_result_settle(u->taken[i]);
        u->due_after += parser_of(u->taken[i])->derive_due;
        u->json[i] = json_of(u->taken[i]);
        sd_sshconn_result_release(u->taken[i], u->room[i]);
        free(u->room[i]);
    }
    return NULL;
}

static void test_take_same_record(void **state)
{
    (void)state;
    const char *caps[] = { "tests/lab/fixtures/agent_key_chacha.pcap", "tests/lab/fixtures/bash_fast.pcap",
                           "tests/lab/fixtures/auth_fail_all.pcap", "tests/lab/fixtures/bash_fast_s7000.pcap",
                           "tests/lab/fixtures/dropbear_server_rekey.pcap" };
    size_t held = 0, truncated = 0, late = 0;
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        run own = { .take = false }, taken = { .take = true };
        sd_sshconn *x1, *x2;
        /* taken first: the other run's parsers are made after, from the
         * spare chunks, where a parser the analyzer freed would be */
        run_capture(caps[k], &taken, &x2);
        run_capture(caps[k], &own, &x1);
        pthread_t t;
        assert_int_equal(pthread_create(&t, NULL, conclude_all, &taken), 0);
        assert_int_equal(pthread_join(t, NULL), 0);
        assert_true(own.n > 0);
        assert_int_equal(own.n, taken.n);
        for (size_t i = 0; i < own.n; i++) {
            assert_string_equal(taken.json[i], own.json[i]);
            free(own.json[i]);
            free(taken.json[i]);
        }
        assert_int_equal(taken.due_after, 0); /* the settle finished every meta */
        late += taken.late;
        held += taken.held;
        truncated += taken.truncated;
        sd_sshconn_free(x1);
        sd_sshconn_free(x2);
    }
    assert_true(held > 0);      /* some records were past the first block */
    assert_true(truncated > 0); /* and some past the cap */
    /* the engine's thread left the last derivation of some metas to the
     * writer's (sd_ssh_meta_late), and the records above are the same */
    assert_true(late > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_take_same_record),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
