/* Unit tests for the per-client analyses of strider summary, fed synthetic
 * packets and connections: sd_clientpat (source port and ISN patterns,
 * wrap-around steps, retransmitted SYNs, mid-stream connections, order,
 * the host cap), sd_prefix (addresses and networks) and sd_hostsum (the
 * earliest connections kept past its cap, the window after the first
 * contact). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/sd_clientpat.h"
#include "analyze/sd_hostsum.h"
#include "common/sd_prefix.h"

static sd_addr v4(uint32_t x) /* 1 -> 0.0.0.1 */
{
    char s[16];
    sd_addr a;
    snprintf(s, sizeof s, "%u.%u.%u.%u", x >> 24, (x >> 16) & 255, (x >> 8) & 255, x & 255);
    sd_addr_parse(s, &a);
    return a;
}

typedef struct feeder {
    sd_clientpat *cp;
    sd_frame fr;
} feeder;

/* The originator's SYN of a new connection (npkts: its packets so far,
 * this one included: 2 = a retransmitted SYN). */
static void syn(feeder *f, uint32_t src, uint16_t sport, uint32_t isn, uint64_t npkts)
{
    sd_conn c;
    sd_pkt p;
    memset(&c, 0, sizeof c);
    memset(&p, 0, sizeof p);
    f->fr.num++;
    f->fr.ts = (sd_ts)f->fr.num * SD_NS_PER_SEC;
    c.ipproto = 6;
    c.orig_by = SD_ORIG_SYN;
    c.d[0].pkts = npkts;
    p.frame = &f->fr;
    p.ipver = 4;
    p.src = v4(src);
    p.sport = sport;
    p.seq = isn;
    p.flags = SD_TH_SYN;
    sd_clientpat_packet(f->cp, &c, &p, SD_DIR_ORIG, 0);
}

static const sd_clientpat_host *find(const sd_clientpat_result *r, uint32_t a)
{
    sd_addr x = v4(a);
    for (size_t i = 0; i < r->nhosts; i++)
        if (!sd_addr_cmp(&r->hosts[i].addr, &x))
            return &r->hosts[i];
    return NULL;
}

static void t_patterns(void **state)
{
    (void)state;
    feeder f = { .cp = sd_clientpat_new(NULL) };
    uint32_t x = 12345;
    for (int i = 0; i < 6; i++) {
        syn(&f, 1, 4444, x = x * 1103515245u + 12345u, 1);        /* constant port */
        syn(&f, 2, (uint16_t)(65533 + 2 * i), 7 + 64000u * i, 1); /* +2 across 65535 -> 1; ISN +64000 */
        syn(&f, 3, (uint16_t)(x >> 7), x ^ 0x5a5a5a5au, 1);      /* random both */
        if (i < 2)
            syn(&f, 4, 1000, 5, 1);                               /* too few */
    }
    syn(&f, 5, 80, 1, 1);    /* one connection: never more than its first SYN kept */
    syn(&f, 1, 4444, 99, 2); /* a retransmitted SYN: not a connection */
    sd_conn mid = { .ipproto = 6, .orig_by = SD_ORIG_SERVER_PORT };
    sd_clientpat_conn(f.cp, &mid);
    const sd_clientpat_result *r = sd_clientpat_finish(f.cp);
    assert_int_equal(r->nhosts, 3);
    assert_int_equal(r->few, 2);
    assert_int_equal(r->midstream, 1);
    assert_int_equal(r->conns, 21);
    const sd_clientpat_host *h1 = find(r, 1), *h2 = find(r, 2), *h3 = find(r, 3);
    assert_int_equal(h1->conns, 6);
    assert_int_equal(h1->port.kind, SD_PAT_CONSTANT);
    assert_int_equal(h1->isn.kind, SD_PAT_RANDOM);
    assert_int_equal(h2->port.kind, SD_PAT_INCREMENTAL);
    assert_int_equal(h2->port.step, 2);
    assert_int_equal(h2->isn.kind, SD_PAT_INCREMENTAL);
    assert_int_equal(h2->isn.step, 64000);
    assert_int_equal(h3->port.kind, SD_PAT_RANDOM);
    assert_int_equal(h3->isn.kind, SD_PAT_RANDOM);
    assert_int_equal(h3->odd, 0);
    /* the constant port first, then the incremental ISN, then the rest */
    assert_ptr_equal(&r->hosts[0], h1);
    assert_ptr_equal(&r->hosts[1], h2);
    assert_int_equal(r->nodd, 2);
    assert_int_equal(h1->nev, SD_CLIENTPAT_EVIDENCE);
    assert_int_equal(h2->ev_port[2], 1);
    assert_int_equal(h2->ev_frame[0], 2);
    sd_clientpat_free(f.cp);
}

static void t_cap(void **state)
{
    (void)state;
    feeder f = { .cp = sd_clientpat_new(&(sd_clientpat_opts){ .max_hosts = 2 }) };
    for (uint32_t h = 1; h <= 4; h++)
        for (int i = 0; i < 3; i++)
            syn(&f, h, 80, 0, 1);
    const sd_clientpat_result *r = sd_clientpat_finish(f.cp);
    assert_int_equal(r->nhosts, 2);
    assert_int_equal(r->untracked_conns, 6);
    assert_int_equal(r->conns, 12);
    sd_clientpat_free(f.cp);
}

static void t_prefix(void **state)
{
    (void)state;
    sd_prefix p;
    char err[128], s[64];
    sd_addr a;
    assert_int_equal(sd_prefix_parse("10.1.0.0/16", &p, err, sizeof err), 0);
    assert_true(sd_prefix_match(&p, &(sd_addr){ 0 }) == false);
    assert_true(sd_prefix_match(&p, (a = v4(0x0a01ff02), &a)));
    assert_false(sd_prefix_match(&p, (a = v4(0x0a020000), &a)));
    assert_string_equal(sd_prefix_str(&p, s, sizeof s), "10.1.0.0/16");
    assert_int_equal(sd_prefix_parse("10.1.2.3/20", &p, err, sizeof err), -1); /* host bits */
    assert_int_equal(sd_prefix_parse("10.1.2.3/33", &p, err, sizeof err), -1);
    assert_int_equal(sd_prefix_parse("10.1.2.3/", &p, err, sizeof err), -1);
    assert_int_equal(sd_prefix_parse("10.1.2.3/0x", &p, err, sizeof err), -1);
    assert_int_equal(sd_prefix_parse("host", &p, err, sizeof err), -1);
    assert_int_equal(sd_prefix_parse("2001:db8:8000::/33", &p, err, sizeof err), 0);
    sd_addr_parse("2001:db8:ffff::1", &a);
    assert_true(sd_prefix_match(&p, &a));
    sd_addr_parse("2001:db8:7fff::1", &a);
    assert_false(sd_prefix_match(&p, &a));
    assert_int_equal(sd_prefix_parse("0.0.0.0/0", &p, err, sizeof err), 0);
    assert_true(sd_prefix_match(&p, (a = v4(0xc0000201), &a)));
    assert_int_equal(sd_prefix_parse("192.0.2.1", &p, err, sizeof err), 0);
    assert_string_equal(sd_prefix_str(&p, s, sizeof s), "192.0.2.1");
    assert_false(sd_prefix_match(&p, (a = v4(0xc0000202), &a)));
}

static void hconn(sd_hostsum *h, uint32_t orig, uint32_t resp, int start_s, uint64_t idx, uint64_t ob)
{
    sd_conn c;
    memset(&c, 0, sizeof c);
    c.ipproto = 6;
    c.orig_h = v4(orig);
    c.resp_h = v4(resp);
    c.start = (sd_ts)start_s * SD_NS_PER_SEC;
    c.end = c.start + SD_NS_PER_SEC;
    c.conn_index = idx;
    c.d[0].bytes = ob;
    c.d[1].bytes = 1;
    sd_hostsum_conn(h, &c);
}

static void t_hostsum(void **state)
{
    (void)state;
    sd_hostsum_opts o = { .max_conns = 3, .after = 10 * SD_NS_PER_SEC };
    char err[64];
    assert_int_equal(sd_prefix_parse("10.0.0.9", &o.host, err, sizeof err), 0);
    sd_hostsum *h = sd_hostsum_new(&o);
    /* ended out of start order, as connections do; one of another host */
    hconn(h, 0x0a000009, 5, 100, 4, 7);  /* 10.0.0.9 opens, late: dropped */
    hconn(h, 0x0a000009, 5, 5, 2, 500);  /* within 10 s of the first */
    hconn(h, 6, 0x0a000009, 1, 1, 9);    /* the first contact: to it */
    hconn(h, 7, 8, 0, 0, 1);             /* not it */
    hconn(h, 0x0a000009, 5, 30, 3, 40);  /* too late for the window */
    const sd_hostsum_result *r = sd_hostsum_finish(h);
    assert_int_equal(r->matched, 4);
    assert_int_equal(r->dropped, 1);
    assert_int_equal(r->nconns, 3);
    assert_int_equal(r->conns[0].start, SD_NS_PER_SEC);
    assert_int_equal(r->conns[2].start, 30 * SD_NS_PER_SEC);
    assert_int_equal(r->first, SD_NS_PER_SEC);
    assert_int_equal(r->last, 101 * SD_NS_PER_SEC);
    assert_int_equal(r->sent, 7 + 500 + 1 + 40);
    assert_int_equal(r->nafter, 1);
    assert_int_equal(r->after[0], 1);
    assert_int_equal(r->after_sent, 500);
    assert_int_equal(r->peers, 2);
    sd_hostsum_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_patterns), cmocka_unit_test(t_cap), cmocka_unit_test(t_prefix),
        cmocka_unit_test(t_hostsum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
