/* Unit tests for conns' JSON line written in place (sd_conn_json,
 * src/out/sd_connfields.c) against the generic field writer over the
 * field table (sd_recout), its reference: the same bytes for connections
 * of every shape, with and without the optional fields. A field added to
 * the table and not to sd_conn_json fails here (the random shapes set
 * every member). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "out/sd_connfields.h"
#include "out/sd_recout.h"

static uint64_t rng = 88172645463325252ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* s[0..n) NUL-ended: mostly printable, sometimes a quote, a backslash, a
 * control or a high byte (capture strings reach the app fields) */
static void rand_str(char *s, size_t n)
{
    size_t len = next() % n;
    for (size_t i = 0; i < len; i++) {
        uint64_t r = next() % 40;
        s[i] = r == 0 ? '"' : r == 1 ? '\\' : r == 2 ? '\n' : r == 3 ? (char)0xc3 : (char)(' ' + 1 + next() % 94);
    }
    s[len] = '\0';
}

/* A connection with every member set at random, then brought into what
 * the engine makes (directions, orig_by, strings NUL-ended, the app kind). */
static void rand_conn(sd_conn *c)
{
    uint8_t *p = (uint8_t *)c;
    for (size_t i = 0; i < sizeof *c; i++)
        p[i] = (uint8_t)next();
    memset(c->slot, 0, sizeof c->slot);
    /* a bool holds 0 or 1 */
    c->midstream = next() & 1, c->expired = next() & 1, c->evicted = next() & 1, c->reasm_on = next() & 1;
    for (int d = 0; d < 2; d++)
        c->d[d].win_seen = next() & 1, c->d[d].stream_truncated = next() & 1;
    c->saw_syn = c->saw_synack = c->established = c->closed = c->flipped = false;
    c->fin_seen[0] = c->fin_seen[1] = c->rst_seen[0] = c->rst_seen[1] = false;
    static const uint8_t protos[] = { 6, 6, 17, 1, 132 };
    c->ipproto = protos[next() % 5];
    for (int k = 0; k < 2; k++) {
        sd_addr *a = k ? &c->resp_h : &c->orig_h;
        a->fam = next() % 4 ? 4 : 6;
    }
    static const sd_ts starts[] = { 1700000000123456000ll, 1700000000123456789ll, 0, 253402300799000000ll, 1000 };
    c->start = next() % 3 ? (sd_ts)(next() % 2000000000000000000ull) : starts[next() % 5];
    c->start -= next() % 4 ? c->start % 1000 : 0;
    c->end = c->start + (sd_ts)(next() % 100000000000ull) - (next() % 8 ? 0 : 5000);
    c->first_fin_dir = (int)(next() % 3) - 1;
    c->first_rst_dir = (int)(next() % 3) - 1;
    c->orig_by = (uint8_t)(next() % 5);
    c->nencap = (uint8_t)(next() % 3);
    for (unsigned i = 0; i < SD_MAX_ENCAP_DEPTH; i++)
        c->encap[i] = (uint8_t)(next() % 8);
    c->vlan = next() % 2 ? c->vlan : 0;
    c->iface = next() % 2 ? c->iface % 4 : 0;
    c->rtt_syn_synack = next() % 3 ? (int64_t)(next() % 10000000000ull) : -1;
    c->rtt_synack_ack = next() % 3 ? (int64_t)(next() % 10000000ull) : -1;
    c->oow_segments = next() % 2 ? 0 : c->oow_segments;
    c->history_dropped = next() % 2 ? 0 : c->history_dropped;
    for (int d = 0; d < 2; d++) {
        sd_dirstats *s = &c->d[d];
        s->wscale = (int8_t)((int)(next() % 16) - 1);
        s->mss = next() % 2 ? s->mss : 0;
        s->pkts = next() % 4 ? s->pkts % 100 : 0;
        s->bad_csum = next() % 2 ? 0 : s->bad_csum;
        s->unchecked_bytes = next() % 2 ? 0 : s->unchecked_bytes;
        s->urgent_bytes = next() % 2 ? 0 : s->urgent_bytes;
        s->policy_unapplied_bytes = next() % 2 ? 0 : s->policy_unapplied_bytes;
        s->retrans_pkts %= 10; /* one-digit and longer numbers */
    }
    snprintf(c->uid, sizeof c->uid, "C%017llu", (unsigned long long)(next() % 100000000000000000ull));
    static const char *const hist[] = { "ShAdDFf", "^hADadfF", "S", "", "ShADadttTTwWcCgGiIqQrRfF" };
    snprintf(c->history, sizeof c->history, "%s", hist[next() % 5]);
    static const char *const states[] = { "SF", "S0", "RSTO", "OTH", "" };
    snprintf(c->conn_state, sizeof c->conn_state, "%s", states[next() % 5]);
    static const char *const svc[] = { "ssh", "http", "", "ssl", "dns" };
    snprintf(c->service, sizeof c->service, "%s", svc[next() % 5]);
    static const char kinds[] = { 0, 'h', 't', 'x' };
    c->app.kind = kinds[next() % 4];
    rand_str(c->app.verb, sizeof c->app.verb);
    rand_str(c->app.name, sizeof c->app.name);
    rand_str(c->app.uri, sizeof c->app.uri);
    rand_str(c->app.ja4, sizeof c->app.ja4);
}

static void test_in_place_same_as_generic(void **st)
{
    (void)st;
    sd_conn *c = calloc(1, sizeof *c);
    for (int optional = 0; optional < 2; optional++) {
        const sd_field *sel[128];
        size_t n = sd_fields_all(&sd_conn_fields, optional, sel, 128);
        sd_recout *w = sd_recout_new(SD_REC_JSON, sel, n, "conn", 0);
        for (int i = 0; i < 3000; i++) {
            rand_conn(c);
            sd_buf want = { 0 }, got = { 0 };
            sd_recout_record(w, &want, c);
            sd_conn_json(&got, c, optional);
            sd_buf_append(&want, "", 1);
            sd_buf_append(&got, "", 1);
            assert_string_equal((char *)got.p, (char *)want.p);
            sd_buf_free(&want);
            sd_buf_free(&got);
        }
        sd_recout_free(w);
    }
    free(c);
}

/* Records appended to a buffer that already holds some (the writer's
 * batch): each ends where the next starts, the room asked for once. */
static void test_appends(void **st)
{
    (void)st;
    sd_conn *c = calloc(1, sizeof *c);
    sd_buf got = { 0 }, want = { 0 };
    const sd_field *sel[128];
    size_t n = sd_fields_all(&sd_conn_fields, true, sel, 128);
    sd_recout *w = sd_recout_new(SD_REC_JSON, sel, n, "conn", 0);
    for (int i = 0; i < 200; i++) {
        rand_conn(c);
        sd_recout_record(w, &want, c);
        sd_conn_json(&got, c, true);
    }
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.p, want.p, want.len);
    sd_recout_free(w);
    sd_buf_free(&got);
    sd_buf_free(&want);
    free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_place_same_as_generic),
        cmocka_unit_test(test_appends),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
