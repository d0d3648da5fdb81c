/* Unit tests for src/analyze/sd_hoststats (strider summary's analysis), fed
 * synthetic packets and finished connections: TTL lists, IP-ID patterns,
 * talker order (heap vs full sort), port order, connection states, the host
 * cap and its refusal counts, and the writers' report of that cap. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analyze/sd_hoststats.h"
#include "out/sd_summary_out.h"

typedef struct feeder {
    sd_hoststats *h;
    sd_frame fr;
} feeder;

static sd_addr v4(uint32_t x)
{
    sd_addr a;
    memset(&a, 0, sizeof a);
    a.fam = 4;
    a.a[0] = (uint8_t)(x >> 24), a.a[1] = (uint8_t)(x >> 16), a.a[2] = (uint8_t)(x >> 8), a.a[3] = (uint8_t)x;
    return a;
}

/* One IPv4 TCP packet of len bytes from src (ipver 6 if v6). */
static void pkt(feeder *f, sd_addr src, uint8_t ttl, uint16_t ip_id, uint32_t len)
{
    sd_pkt p;
    memset(&p, 0, sizeof p);
    f->fr.num++;
    f->fr.ts = (sd_ts)f->fr.num * 1000000;
    f->fr.wirelen = len;
    p.frame = &f->fr;
    p.ipver = src.fam == 6 ? 6 : 4;
    p.src = src;
    p.ttl = ttl;
    p.ip_id = ip_id;
    p.ipproto = 6;
    sd_hoststats_packet(f->h, NULL, &p, 0, 0);
}

static void conn(sd_hoststats *h, uint8_t proto, uint16_t port, const char *state, int rst_dir)
{
    sd_conn c;
    memset(&c, 0, sizeof c);
    c.ipproto = proto;
    c.resp_p = port;
    snprintf(c.conn_state, sizeof c.conn_state, "%s", state);
    c.first_rst_dir = rst_dir;
    c.first_fin_dir = -1;
    sd_hoststats_conn(h, &c);
}

static const sd_hoststats_host *find(const sd_hoststats_host *v, size_t n, sd_addr a)
{
    for (size_t i = 0; i < n; i++)
        if (!sd_addr_cmp(&v[i].addr, &a))
            return &v[i];
    return NULL;
}

static void t_ttl_list(void **state)
{
    (void)state;
    sd_hoststats_opts o = { .all_hosts = true };
    feeder f = { .h = sd_hoststats_new(&o) };
    uint8_t ttls[] = { 64, 64, 128, 63, 128 };
    for (size_t i = 0; i < sizeof ttls; i++)
        pkt(&f, v4(1), ttls[i], 0, 100);
    for (int i = 0; i < 10; i++) /* 10 distinct: 8 kept, then "more" */
        pkt(&f, v4(2), (uint8_t)(200 + i), 0, 10);
    pkt(&f, v4(3), 64, 0, 10);
    pkt(&f, v4(3), 64, 0, 10);
    const sd_hoststats_result *r = sd_hoststats_finish(f.h);
    assert_int_equal(r->hosts, 3);
    const sd_hoststats_host *h1 = find(r->all, r->nall, v4(1));
    assert_non_null(h1);
    assert_int_equal(h1->nttl, 3);
    assert_int_equal(h1->ttl[0], 64);
    assert_int_equal(h1->ttl[1], 128);
    assert_int_equal(h1->ttl[2], 63);
    assert_false(h1->ttl_more);
    assert_int_equal(h1->pkts, 5);
    assert_int_equal(h1->bytes, 500);
    const sd_hoststats_host *h2 = find(r->all, r->nall, v4(2));
    assert_int_equal(h2->nttl, SD_HOSTSTATS_TTLS);
    assert_int_equal(h2->ttl[7], 207);
    assert_true(h2->ttl_more);
    /* several TTLs: hosts 1 and 2 (talker order: 1 sent more), not 3 */
    assert_int_equal(r->nttl_varied, 2);
    sd_addr a1 = v4(1), a2 = v4(2);
    assert_int_equal(sd_addr_cmp(&r->ttl_varied[0].addr, &a1), 0);
    assert_int_equal(sd_addr_cmp(&r->ttl_varied[1].addr, &a2), 0);
    sd_hoststats_free(f.h);
}

static void feed_ids(feeder *f, sd_addr a, const uint16_t *ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pkt(f, a, 64, ids[i], 60);
}

static void t_ipid(void **state)
{
    (void)state;
    feeder f = { .h = sd_hoststats_new(&(sd_hoststats_opts){ .all_hosts = true }) };
    static const uint16_t zero[] = { 0, 0, 0, 0, 0 }, same[] = { 4660, 4660, 4660, 4660, 4660 },
                          incr[] = { 100, 101, 103, 106, 110, 111 }, wrap[] = { 65534, 65535, 0, 1, 2 },
                          rnd[] = { 1000, 50000, 7, 30000, 12345 }, two[] = { 5, 9 };
    feed_ids(&f, v4(10), zero, 5);
    feed_ids(&f, v4(11), same, 5);
    feed_ids(&f, v4(12), incr, 6);
    feed_ids(&f, v4(13), wrap, 5);
    feed_ids(&f, v4(14), rnd, 5);
    feed_ids(&f, v4(15), two, 2);
    sd_addr six;
    memset(&six, 0, sizeof six);
    six.fam = 6, six.a[0] = 0x20, six.a[15] = 1;
    for (int i = 0; i < 4; i++)
        pkt(&f, six, 64, 0, 60);
    const sd_hoststats_result *r = sd_hoststats_finish(f.h);
    assert_string_equal(find(r->all, r->nall, v4(10))->ip_id, "zero");
    assert_string_equal(find(r->all, r->nall, v4(11))->ip_id, "constant");
    assert_string_equal(find(r->all, r->nall, v4(12))->ip_id, "incremental");
    assert_string_equal(find(r->all, r->nall, v4(13))->ip_id, "incremental");
    assert_string_equal(find(r->all, r->nall, v4(14))->ip_id, "random");
    assert_string_equal(find(r->all, r->nall, v4(15))->ip_id, "-");
    assert_string_equal(find(r->all, r->nall, six)->ip_id, "-");
    sd_hoststats_free(f.h);
}

/* Many hosts with many equal byte counts: the heap's top N (text) is the
 * head of the full sort (JSON), bytes descending, ties by lower address. */
static void t_top_order(void **state)
{
    (void)state;
    feeder a = { .h = sd_hoststats_new(&(sd_hoststats_opts){ 0 }) };
    feeder b = { .h = sd_hoststats_new(&(sd_hoststats_opts){ .all_hosts = true }) };
    uint32_t x = 12345;
    for (int i = 0; i < 5000; i++) {
        x = x * 1103515245u + 12345u;
        uint32_t host = (x >> 8) % 700, len = 1 + (x >> 20) % 3;
        pkt(&a, v4(0x0a000000u + host), 64, 0, len);
        pkt(&b, v4(0x0a000000u + host), 64, 0, len);
    }
    const sd_hoststats_result *ra = sd_hoststats_finish(a.h), *rb = sd_hoststats_finish(b.h);
    assert_int_equal(ra->nall, 0);
    assert_int_equal(rb->nall, rb->hosts);
    assert_int_equal(ra->ntop, SD_HOSTSTATS_TOP_N);
    assert_int_equal(rb->ntop, SD_HOSTSTATS_TOP_N);
    for (size_t i = 0; i < ra->ntop; i++) {
        assert_int_equal(sd_addr_cmp(&ra->top[i].addr, &rb->all[i].addr), 0);
        assert_int_equal(ra->top[i].bytes, rb->all[i].bytes);
    }
    for (size_t i = 1; i < rb->nall; i++) {
        const sd_hoststats_host *p = &rb->all[i - 1], *q = &rb->all[i];
        assert_true(p->bytes > q->bytes || (p->bytes == q->bytes && sd_addr_cmp(&p->addr, &q->addr) < 0));
    }
    sd_hoststats_free(a.h);
    sd_hoststats_free(b.h);
}

static void t_conns_ports(void **state)
{
    (void)state;
    sd_hoststats *h = sd_hoststats_new(NULL);
    for (int i = 0; i < 3; i++)
        conn(h, 6, 22, "S0", -1);
    conn(h, 17, 53, "", -1);
    conn(h, 6, 53, "REJ", 1);
    conn(h, 17, 53, "", -1);
    conn(h, 6, 53, "RSTO", 0);
    conn(h, 17, 80, "", -1);
    conn(h, 6, 443, "SF", -1);
    const sd_hoststats_result *r = sd_hoststats_finish(h);
    assert_int_equal(r->tcp_conns, 6);
    assert_int_equal(r->udp_conns, 3);
    assert_int_equal(r->s0, 3);
    assert_int_equal(r->states[0], 3);
    assert_string_equal(sd_hoststats_state_name(3), "REJ");
    assert_int_equal(r->rej, 1);
    assert_int_equal(r->rst_orig, 1);
    assert_int_equal(r->rst_resp, 1);
    /* by connections, then port, then TCP before UDP: tcp/22 3, tcp/53 2,
     * udp/53 2, udp/80 1, tcp/443 1 */
    assert_int_equal(r->nports, 5);
    assert_int_equal(r->ports[0].port, 22);
    assert_int_equal(r->ports[0].s0, 3);
    assert_int_equal(r->ports[1].port, 53);
    assert_false(r->ports[1].udp);
    assert_int_equal(r->ports[1].s0, 0);
    assert_int_equal(r->ports[2].port, 53);
    assert_true(r->ports[2].udp);
    assert_int_equal(r->ports[3].port, 80);
    assert_true(r->ports[3].udp);
    assert_int_equal(r->ports[4].port, 443);
    assert_false(r->ports[4].udp);
    sd_hoststats_free(h);
}

static void t_cap(void **state)
{
    (void)state;
    feeder f = { .h = sd_hoststats_new(&(sd_hoststats_opts){ .max_hosts = 3, .all_hosts = true }) };
    for (int round = 0; round < 4; round++)
        for (uint32_t i = 1; i <= 5; i++) /* hosts 4 and 5 refused, 4 packets each */
            pkt(&f, v4(i), 64, 0, 100);
    const sd_hoststats_result *r = sd_hoststats_finish(f.h);
    assert_int_equal(r->hosts, 3);
    assert_int_equal(r->nall, 3);
    assert_int_equal(r->max_hosts, 3);
    assert_int_equal(r->refused_pkts, 8);
    assert_int_equal(r->hosts_refused, 2);
    assert_null(find(r->all, r->nall, v4(4)));
    /* every packet is still in the totals */
    assert_int_equal(r->ip_pkts, 20);
    assert_int_equal(r->wire_bytes, 2000);
    assert_int_equal(r->proto_pkts[6], 20);
    /* the cap is shown in both writers */
    sd_engine_stats st;
    memset(&st, 0, sizeof st);
    sd_buf b = { 0 };
    sd_summary_result sr = { .hosts = r };
    sd_summary_text(&b, &sr, &st, NULL);
    sd_buf_append(&b, "", 1);
    assert_non_null(strstr((char *)b.p, "hosts not tracked (past the cap of 3): about 2, sending 8 packets"));
    b.len = 0;
    sd_summary_json(&b, &sr, &st, NULL);
    sd_buf_append(&b, "", 1);
    assert_non_null(strstr((char *)b.p, "\"max_hosts\":3,\"hosts_untracked\":2,\"untracked_host_pkts\":8"));
    sd_buf_free(&b);
    sd_hoststats_free(f.h);
}

/* Many refused hosts: the distinct count is an estimate within 2%. */
static void t_cap_many(void **state)
{
    (void)state;
    feeder f = { .h = sd_hoststats_new(&(sd_hoststats_opts){ .max_hosts = 1000 }) };
    for (uint32_t i = 0; i < 200000; i++)
        pkt(&f, v4(0x0b000000u + i), 64, 0, 60);
    for (uint32_t i = 0; i < 200000; i += 2) /* repeats do not count twice */
        pkt(&f, v4(0x0b000000u + i), 64, 0, 60);
    const sd_hoststats_result *r = sd_hoststats_finish(f.h);
    assert_int_equal(r->hosts, 1000);
    assert_int_equal(r->refused_pkts, 199000 + 99500);
    assert_in_range(r->hosts_refused, 199000 - 3980, 199000 + 3980);
    assert_int_equal(r->ntop, SD_HOSTSTATS_TOP_N);
    sd_hoststats_free(f.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_ttl_list), cmocka_unit_test(t_ipid),  cmocka_unit_test(t_top_order),
        cmocka_unit_test(t_conns_ports), cmocka_unit_test(t_cap), cmocka_unit_test(t_cap_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
