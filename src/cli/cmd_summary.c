/* strider summary: the first look an analyst takes at a capture (SANS ISC
 * "Packet Analysis - Where do you start?"): what protocols, who talks most,
 * which ports, odd TTLs and IP-IDs per host, unanswered SYNs, resets. */
#include "../out/sd_json.h"
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define TOP_N 10
#define TTL_SEEN 8

typedef struct host {
    sd_addr a;
    uint64_t pkts, bytes;
    uint8_t ttl[TTL_SEEN];
    uint8_t nttl;
    bool ttl_overflow;
    uint16_t last_id;
    bool id_set;
    uint64_t id_zero, id_same, id_small_step, id_v4;
    struct host *next;
} host;

typedef struct port_count {
    uint8_t proto;
    uint16_t port;
    uint64_t conns, s0;
} port_count;

typedef struct sum_run {
    host **hb;
    size_t nhb, nhosts;
    uint64_t proto_pkts[256], proto_bytes[256];
    uint64_t wire_bytes, ip_pkts;
    sd_ts first, last;
    bool any;
    port_count *ports; /* indexed [proto==17][port] */
    uint64_t tcp_conns, udp_conns, s0, rej, rst_orig, rst_resp, midstream;
    uint64_t states[16];
} sum_run;

static const char *STATES[] = { "S0", "S1", "SF", "REJ", "S2", "S3", "RSTO", "RSTR",
                                "RSTOS0", "RSTRH", "SH", "SHR", "OTH" };

static const char HELP[] =
    "usage: strider summary [options] FILE...\n"
    "An analyst's first look: packets, bytes, time span, protocols, top talkers\n"
    "and ports, TTL and IP-ID behaviour per host, unanswered SYNs, resets.\n\n"
    "  -j, --json           JSON lines, one object per fact\n" CLI_COMMON_HELP;

static uint32_t addr_hash(const sd_addr *a)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ a->a[i]) * 16777619u;
    return h ^ a->fam;
}

static void host_grow(sum_run *r)
{
    size_t n = r->nhb ? r->nhb * 4 : 1024;
    host **nb = sd_calloc(n, sizeof *nb);
    for (size_t i = 0; i < r->nhb; i++)
        for (host *h = r->hb[i], *next; h; h = next) {
            next = h->next;
            h->next = nb[addr_hash(&h->a) & (n - 1)];
            nb[addr_hash(&h->a) & (n - 1)] = h;
        }
    free(r->hb);
    r->hb = nb;
    r->nhb = n;
}

static host *host_get(sum_run *r, const sd_addr *a)
{
    if (r->nhosts >= r->nhb)
        host_grow(r);
    host **pp = &r->hb[addr_hash(a) & (r->nhb - 1)];
    for (host *h = *pp; h; h = h->next)
        if (sd_addr_cmp(&h->a, a) == 0)
            return h;
    host *h = sd_calloc(1, sizeof *h);
    h->a = *a;
    h->next = *pp;
    *pp = h;
    r->nhosts++;
    return h;
}

static void note_ttl(host *h, uint8_t ttl)
{
    for (int i = 0; i < h->nttl; i++)
        if (h->ttl[i] == ttl)
            return;
    if (h->nttl < TTL_SEEN)
        h->ttl[h->nttl++] = ttl;
    else
        h->ttl_overflow = true;
}

/* IP-ID behaviour: zero (DF hosts, Linux), constant non-zero (crafted
 * packets, some tools), small steps (a global counter), or anything else
 * (random per packet, as BSDs and Windows' newer stacks do). */
static void note_ipid(host *h, const sd_pkt *p)
{
    if (p->ipver != 4)
        return;
    h->id_v4++;
    if (p->ip_id == 0)
        h->id_zero++;
    if (h->id_set && p->ip_id == h->last_id && p->ip_id)
        h->id_same++;
    if (h->id_set && (uint16_t)(p->ip_id - h->last_id) > 0 && (uint16_t)(p->ip_id - h->last_id) < 64)
        h->id_small_step++;
    h->last_id = p->ip_id;
    h->id_set = true;
}

static void on_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    sum_run *r = ud;
    r->ip_pkts++;
    r->proto_pkts[p->ipproto]++;
    r->proto_bytes[p->ipproto] += p->frame->wirelen;
    host *h = host_get(r, &p->src);
    h->pkts++;
    h->bytes += p->frame->wirelen;
    note_ttl(h, p->ttl);
    note_ipid(h, p);
}

static int state_idx(const char *s)
{
    for (size_t i = 0; i < SD_ARRAY_LEN(STATES); i++)
        if (!strcmp(STATES[i], s))
            return (int)i;
    return -1;
}

static void on_conn(void *ud, const sd_conn *c)
{
    sum_run *r = ud;
    bool udp = c->ipproto == 17;
    port_count *pc = &r->ports[(udp ? 65536 : 0) + c->resp_p];
    pc->proto = c->ipproto;
    pc->port = c->resp_p;
    pc->conns++;
    if (udp) {
        r->udp_conns++;
        return;
    }
    r->tcp_conns++;
    int si = state_idx(c->conn_state);
    if (si >= 0)
        r->states[si]++;
    if (!strcmp(c->conn_state, "S0")) {
        r->s0++;
        pc->s0++;
    }
    r->rej += !strcmp(c->conn_state, "REJ");
    r->rst_orig += c->first_rst_dir == 0;
    r->rst_resp += c->first_rst_dir == 1;
    r->midstream += c->midstream;
}

static const char *proto_name(int p)
{
    switch (p) {
    case 1: return "icmp";
    case 2: return "igmp";
    case 6: return "tcp";
    case 17: return "udp";
    case 47: return "gre";
    case 50: return "esp";
    case 58: return "icmp6";
    case 132: return "sctp";
    default: return NULL;
    }
}

static const char *ipid_pattern(const host *h)
{
    if (!h->id_v4)
        return "-";
    if (h->id_zero == h->id_v4)
        return "zero";
    if (h->id_v4 > 2 && h->id_same + 1 >= h->id_v4)
        return "constant";
    if (h->id_v4 > 2 && h->id_small_step * 10 >= (h->id_v4 - 1) * 8)
        return "incremental";
    return h->id_v4 > 2 ? "random" : "-";
}

static int cmp_host(const void *a, const void *b)
{
    const host *x = *(host *const *)a, *y = *(host *const *)b;
    return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : sd_addr_cmp(&x->a, &y->a);
}

static int cmp_port(const void *a, const void *b)
{
    const port_count *x = a, *y = b;
    if (x->conns != y->conns)
        return x->conns < y->conns ? 1 : -1;
    return x->port < y->port ? -1 : x->port > y->port;
}

static host **sorted_hosts(const sum_run *r)
{
    host **v = sd_calloc(r->nhosts ? r->nhosts : 1, sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < r->nhb; i++)
        for (host *h = r->hb[i]; h; h = h->next)
            v[n++] = h;
    qsort(v, n, sizeof *v, cmp_host);
    return v;
}

static void ttl_list(const host *h, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < h->nttl && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? "," : "", h->ttl[i]);
    if (h->ttl_overflow && n < len)
        snprintf(buf + n, len - n, ",...");
}

static void text_report(sum_run *r, const sd_engine_stats *st, host **hv, port_count *pv, size_t npv)
{
    char t1[40], t2[40], a[SD_ADDR_STRLEN], ttl[64];
    printf("Capture\n");
    printf("  frames %llu (IP %llu, not IP %llu, malformed %llu), %llu bytes on the wire\n",
           (unsigned long long)st->frames, (unsigned long long)st->ip_pkts,
           (unsigned long long)st->not_ip, (unsigned long long)st->bad, (unsigned long long)r->wire_bytes);
    if (r->any)
        printf("  from %s to %s (%.3f s)\n", sd_ts_iso(r->first, t1, sizeof t1),
               sd_ts_iso(r->last, t2, sizeof t2), sd_ts_sec(r->last - r->first));
    printf("  IP fragments reassembled: %llu; most connections alive at once: %llu\n",
           (unsigned long long)st->frags_reassembled, (unsigned long long)st->max_live);
    printf("\nProtocols\n");
    for (int p = 0; p < 256; p++)
        if (r->proto_pkts[p])
            printf("  %-8s %10llu packets %14llu bytes\n", proto_name(p) ? proto_name(p) : "other",
                   (unsigned long long)r->proto_pkts[p], (unsigned long long)r->proto_bytes[p]);
    printf("\nConnections\n  TCP %llu, UDP %llu; TCP states:", (unsigned long long)r->tcp_conns,
           (unsigned long long)r->udp_conns);
    for (size_t i = 0; i < SD_ARRAY_LEN(STATES); i++)
        if (r->states[i])
            printf(" %s=%llu", STATES[i], (unsigned long long)r->states[i]);
    printf("\n  unanswered SYNs (S0) %llu, rejected (REJ) %llu, reset first by originator %llu, "
           "by responder %llu, joined mid-stream %llu\n",
           (unsigned long long)r->s0, (unsigned long long)r->rej, (unsigned long long)r->rst_orig,
           (unsigned long long)r->rst_resp, (unsigned long long)r->midstream);
    printf("\nTop talkers (by bytes sent)\n");
    printf("  %-39s %10s %14s  %-16s %s\n", "host", "packets", "bytes", "TTLs", "IP-ID");
    for (size_t i = 0; i < r->nhosts && i < TOP_N; i++) {
        ttl_list(hv[i], ttl, sizeof ttl);
        printf("  %-39s %10llu %14llu  %-16s %s\n", sd_addr_str(&hv[i]->a, a, sizeof a),
               (unsigned long long)hv[i]->pkts, (unsigned long long)hv[i]->bytes, ttl, ipid_pattern(hv[i]));
    }
    printf("\nTop responder ports (by connections)\n");
    for (size_t i = 0; i < npv && i < TOP_N; i++)
        printf("  %s/%-6u %8llu connections%s\n", pv[i].proto == 17 ? "udp" : "tcp", pv[i].port,
               (unsigned long long)pv[i].conns, pv[i].s0 ? " (some unanswered)" : "");
    printf("\nHosts whose TTL varies (more than one value seen)\n");
    int odd = 0;
    for (size_t i = 0; i < r->nhosts; i++)
        if (hv[i]->nttl > 1) {
            ttl_list(hv[i], ttl, sizeof ttl);
            printf("  %-39s TTLs %s\n", sd_addr_str(&hv[i]->a, a, sizeof a), ttl);
            odd++;
        }
    if (!odd)
        printf("  none\n");
}

static void json_report(sum_run *r, const sd_engine_stats *st, host **hv, port_count *pv, size_t npv)
{
    sd_buf b = { 0 };
    sd_json j;
    char a[SD_ADDR_STRLEN], ttl[64];
    sd_json_begin(&j, &b);
    sd_json_str(&j, "type", "capture");
    sd_json_u64(&j, "frames", st->frames);
    sd_json_u64(&j, "ip_pkts", st->ip_pkts);
    sd_json_u64(&j, "not_ip", st->not_ip);
    sd_json_u64(&j, "malformed", st->bad);
    sd_json_u64(&j, "wire_bytes", r->wire_bytes);
    if (r->any) {
        sd_json_f64(&j, "first_ts", sd_ts_sec(r->first), 6);
        sd_json_f64(&j, "last_ts", sd_ts_sec(r->last), 6);
    }
    sd_json_u64(&j, "tcp_conns", r->tcp_conns);
    sd_json_u64(&j, "udp_conns", r->udp_conns);
    sd_json_u64(&j, "unanswered_syn", r->s0);
    sd_json_u64(&j, "rejected", r->rej);
    sd_json_u64(&j, "rst_by_orig", r->rst_orig);
    sd_json_u64(&j, "rst_by_resp", r->rst_resp);
    sd_json_end(&j);
    for (int p = 0; p < 256; p++) {
        if (!r->proto_pkts[p])
            continue;
        sd_json_begin(&j, &b);
        sd_json_str(&j, "type", "proto");
        sd_json_u64(&j, "ipproto", (uint64_t)p);
        if (proto_name(p))
            sd_json_str(&j, "name", proto_name(p));
        sd_json_u64(&j, "pkts", r->proto_pkts[p]);
        sd_json_u64(&j, "bytes", r->proto_bytes[p]);
        sd_json_end(&j);
    }
    for (size_t i = 0; i < r->nhosts; i++) {
        sd_json_begin(&j, &b);
        sd_json_str(&j, "type", "host");
        sd_json_str(&j, "host", sd_addr_str(&hv[i]->a, a, sizeof a));
        sd_json_u64(&j, "pkts", hv[i]->pkts);
        sd_json_u64(&j, "bytes", hv[i]->bytes);
        ttl_list(hv[i], ttl, sizeof ttl);
        sd_json_str(&j, "ttls", ttl);
        sd_json_str(&j, "ip_id", ipid_pattern(hv[i]));
        sd_json_end(&j);
    }
    for (size_t i = 0; i < npv; i++) {
        sd_json_begin(&j, &b);
        sd_json_str(&j, "type", "port");
        sd_json_str(&j, "proto", pv[i].proto == 17 ? "udp" : "tcp");
        sd_json_u64(&j, "port", pv[i].port);
        sd_json_u64(&j, "conns", pv[i].conns);
        sd_json_u64(&j, "unanswered", pv[i].s0);
        sd_json_end(&j);
    }
    cli_flush(&b);
    sd_buf_free(&b);
}

static void track_time(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    sum_run *r = ud;
    sd_ts t = p->frame->ts;
    if (!r->any || t < r->first)
        r->first = t;
    if (!r->any || t > r->last)
        r->last = t;
    r->any = true;
    r->wire_bytes += p->frame->wirelen;
    on_packet(ud, c, p, dir, ta);
}

static void report(sum_run *r, const sd_engine_stats *st, bool json)
{
    host **hv = sorted_hosts(r);
    size_t npv = 0;
    port_count *pv = sd_calloc(2 * 65536, sizeof *pv);
    for (size_t i = 0; i < 2 * 65536; i++)
        if (r->ports[i].conns)
            pv[npv++] = r->ports[i];
    qsort(pv, npv, sizeof *pv, cmp_port);
    if (json)
        json_report(r, st, hv, pv, npv);
    else
        text_report(r, st, hv, pv, npv);
    free(pv);
    free(hv);
}

static void sum_free(sum_run *r)
{
    for (size_t i = 0; i < r->nhb; i++)
        for (host *h = r->hb[i], *n; h; h = n) {
            n = h->next;
            free(h);
        }
    free(r->hb);
    free(r->ports);
}

int cmd_summary(int argc, char **argv)
{
    static const struct option opts[] = {
        CLI_COMMON_OPTS, { "json", no_argument, 0, 'j' }, { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    sum_run r = { 0 };
    bool json = false;
    int rc = 2, o;
    optind = 1;
    while ((o = getopt_long(argc, argv, CLI_COMMON_SHORT "j", opts, NULL)) != -1) {
        int common = cli_common_opt(&in, o, optarg);
        if (common < 0)
            goto out;
        if (common)
            continue;
        switch (o) {
        case 'h': fputs(HELP, stdout); rc = 0; goto out;
        case 'j': json = true; break;
        default: rc = cli_usage_error("summary", "bad option"); goto out;
        }
    }
    for (int i = optind; i < argc; i++)
        cli_add_file(&in, argv[i]);
    sd_capture *cap = cli_open(&in);
    if (!cap) { rc = 1; goto out; }
    r.ports = sd_calloc(2 * 65536, sizeof *r.ports);
    sd_engine_opts eo = { .diag = &in.diag, .packet_seen = track_time, .conn_done = on_conn, .ud = &r };
    sd_engine *e = cli_engine(&in, &eo);
    cli_run(&in, e, cap);
    report(&r, sd_engine_get_stats(e), json);
    rc = cli_status(&in, cap);
    sd_engine_free(e);
    sd_capture_close(cap);
out:
    sum_free(&r);
    cli_input_free(&in);
    return rc;
}
