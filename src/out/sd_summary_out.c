#include "sd_summary_out.h"
#include "sd_dns_out.h"
#include "sd_svcsum_out.h"

#include "sd_hostdns_out.h"
#include "sd_hostsum_out.h"
#include "sd_json.h"
#include "sd_runlog.h"

#include <stdio.h>

typedef unsigned long long ull;

#define maybe_flush sd_summary_maybe_flush

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

/* "64,128" in order first seen; ",..." when more were seen than kept. */
static void ttl_list(const sd_hoststats_host *h, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < h->nttl && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%u", i ? "," : "", h->ttl[i]);
    if (h->ttl_more && n < len)
        snprintf(buf + n, len - n, ",...");
}

static void text_capture(sd_buf *b, const sd_hoststats_result *r, const sd_engine_stats *st)
{
    char t1[40], t2[40];
    sd_buf_printf(b, "Capture\n");
    sd_buf_printf(b, "  frames %llu (IP %llu, not IP %llu, malformed %llu), %llu bytes on the wire\n",
                  (ull)st->frames, (ull)st->ip_pkts, (ull)st->not_ip, (ull)st->bad, (ull)r->wire_bytes);
    if (r->any)
        sd_buf_printf(b, "  from %s to %s (%.3f s)\n", sd_ts_iso(r->first, t1, sizeof t1),
                      sd_ts_iso(r->last, t2, sizeof t2), sd_ts_sec(r->last - r->first));
    sd_buf_printf(b, "  IP fragments reassembled: %llu; most connections alive at once: %llu\n",
                  (ull)st->frags_reassembled, (ull)st->max_live);
    if (sd_engine_frags_lost(st))
        sd_buf_printf(b, "  IP datagrams NOT reassembled from their fragments: %llu (fragment memcap %llu, "
                         "timed out %llu, incomplete at the end %llu)\n",
                      (ull)sd_engine_frags_lost(st), (ull)st->frags_lost_memcap, (ull)st->frags_lost_timeout,
                      (ull)st->frags_incomplete);
    if (st->frag_copies)
        sd_buf_printf(b, "  IP fragment sets copying a datagram reassembled before them: %llu (no loss)\n",
                      (ull)st->frag_copies);
    if (st->tunnel_mixed)
        sd_buf_printf(b, "  connections with packets from two tunnel segments (VNI, GRE key): %llu (read as one)\n",
                      (ull)st->tunnel_mixed);
    if (st->evicted)
        sd_buf_printf(b, "  connections ended early, the table full (--max-flows %llu): %llu\n",
                      (ull)st->max_flows, (ull)st->evicted);
    if (st->csum_bad[0] || st->csum_bad[1])
        sd_buf_printf(b, "  wrong checksums, kept out as their receivers dropped them: %llu TCP, %llu UDP\n",
                      (ull)st->csum_bad[0], (ull)st->csum_bad[1]);
    char undec[512];
    if (sd_undecoded_text(st, undec, sizeof undec))
        sd_buf_printf(b, "  frames with no IP packet, by reason: %s\n", undec);
    if (st->warn_unshown)
        sd_buf_printf(b, "  warnings not shown (past the first of their kind): %llu: %s\n", (ull)st->warn_unshown,
                      st->warn_unshown_kinds);
    sd_buf_printf(b, "\nProtocols\n");
    for (int p = 0; p < 256; p++)
        if (r->proto_pkts[p])
            sd_buf_printf(b, "  %-8s %10llu packets %14llu bytes\n", proto_name(p) ? proto_name(p) : "other",
                          (ull)r->proto_pkts[p], (ull)r->proto_bytes[p]);
}

static void text_conns(sd_buf *b, const sd_hoststats_result *r)
{
    sd_buf_printf(b, "\nConnections\n  TCP %llu, UDP %llu; TCP states:", (ull)r->tcp_conns, (ull)r->udp_conns);
    for (size_t i = 0; i < SD_HOSTSTATS_NSTATES; i++)
        if (r->states[i])
            sd_buf_printf(b, " %s=%llu", sd_hoststats_state_name(i), (ull)r->states[i]);
    sd_buf_printf(b, "\n  unanswered SYNs (S0) %llu, rejected (REJ) %llu, reset first by originator %llu, "
                     "by responder %llu, joined mid-stream %llu\n",
                  (ull)r->s0, (ull)r->rej, (ull)r->rst_orig, (ull)r->rst_resp, (ull)r->midstream);
}

static void text_hosts(sd_buf *b, const sd_hoststats_result *r, sd_summary_flush flush)
{
    char a[SD_ADDR_STRLEN], ttl[64];
    sd_buf_printf(b, "\nTop talkers (by bytes sent)\n");
    sd_buf_printf(b, "  %-39s %10s %14s  %-16s %s\n", "host", "packets", "bytes", "TTLs", "IP-ID");
    for (size_t i = 0; i < r->ntop; i++) {
        const sd_hoststats_host *h = &r->top[i];
        ttl_list(h, ttl, sizeof ttl);
        sd_buf_printf(b, "  %-39s %10llu %14llu  %-16s %s\n", sd_addr_str(&h->addr, a, sizeof a),
                      (ull)h->pkts, (ull)h->bytes, ttl, h->ip_id);
    }
    if (r->refused_pkts)
        sd_buf_printf(b, "  hosts not tracked (past the cap of %llu): about %llu, sending %llu packets "
                         "(in the totals only)\n", (ull)r->max_hosts, (ull)r->hosts_refused,
                      (ull)r->refused_pkts);
    sd_buf_printf(b, "\nTop responder ports (by connections)\n");
    for (size_t i = 0; i < r->nports && i < SD_HOSTSTATS_TOP_N; i++)
        sd_buf_printf(b, "  %s/%-6u %8llu connections%s\n", r->ports[i].udp ? "udp" : "tcp", r->ports[i].port,
                      (ull)r->ports[i].conns, r->ports[i].s0 ? " (some unanswered)" : "");
    sd_buf_printf(b, "\nHosts whose TTL varies (more than one value seen)\n");
    for (size_t i = 0; i < r->nttl_varied; i++) {
        const sd_hoststats_host *h = &r->ttl_varied[i];
        ttl_list(h, ttl, sizeof ttl);
        sd_buf_printf(b, "  %-39s TTLs %s\n", sd_addr_str(&h->addr, a, sizeof a), ttl);
        maybe_flush(b, flush);
    }
    if (!r->nttl_varied)
        sd_buf_printf(b, "  none\n");
}

void sd_summary_text(sd_buf *b, const sd_summary_result *sr, const sd_engine_stats *st,
                     sd_summary_flush flush)
{
    const sd_hoststats_result *r = sr->hosts;
    text_capture(b, r, st);
    if (sr->host) {
        sd_hostsum_text(b, sr->host, flush);
        if (sr->host_dns) {
            char host[SD_ADDR_STRLEN + 8];
            sd_hostdns_text(b, sr->host_dns, sd_prefix_str(&sr->host->host, host, sizeof host), flush);
        }
        if (sr->clients)
            sd_clientpat_text(b, sr->clients, SD_HOSTSTATS_TOP_N, flush);
        if (sr->files)
            sd_files_text(b, sr->files, flush);
        return;
    }
    text_conns(b, r);
    text_hosts(b, r, flush);
    if (sr->clients)
        sd_clientpat_text(b, sr->clients, SD_HOSTSTATS_TOP_N, flush);
    if (sr->files)
        sd_files_text(b, sr->files, flush);
}

typedef struct u64_field {
    const char *key;
    uint64_t v;
} u64_field;

static void json_u64s(sd_json *j, const u64_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        sd_json_u64(j, f[i].key, f[i].v);
}

/* "undecoded" (frames) and "undecoded_reasons" (the text of the stderr
 * line), only when some frame gave no IP packet */
static void json_undecoded(sd_json *j, const sd_engine_stats *st)
{
    char undec[512];
    uint64_t all = sd_undecoded_text(st, undec, sizeof undec);
    if (!all)
        return;
    sd_json_u64(j, "undecoded", all);
    sd_json_str(j, "undecoded_reasons", undec);
}

/* The clients' and files' totals, in the capture object. */
static void json_more_counts(sd_json *j, const sd_summary_result *sr)
{
    if (sr->clients) {
        const sd_clientpat_result *c = sr->clients;
        const u64_field f[] = {
            { "syn_conns", c->conns }, { "midstream_conns", c->midstream },
            { "clients_with_pattern", c->nhosts }, { "clients_standing_out", c->nodd },
            { "clients_few_conns", c->few },
        };
        json_u64s(j, f, SD_ARRAY_LEN(f));
        if (c->untracked_conns)
            sd_json_u64(j, "clients_untracked_conns", c->untracked_conns);
    }
    if (sr->files) {
        const u64_field f[] = {
            { "files", sr->files->total }, { "files_conns", sr->files->conns }, { "files_listed", sr->files->n },
        };
        json_u64s(j, f, SD_ARRAY_LEN(f));
    }
}

static void json_capture(sd_json *j, sd_buf *b, const sd_summary_result *sr, const sd_engine_stats *st)
{
    const sd_hoststats_result *r = sr->hosts;
    const u64_field counts[] = {
        { "frames", st->frames }, { "ip_pkts", st->ip_pkts }, { "not_ip", st->not_ip },
        { "malformed", st->bad }, { "wire_bytes", r->wire_bytes },
    };
    const u64_field conns[] = {
        { "tcp_conns", r->tcp_conns }, { "udp_conns", r->udp_conns }, { "unanswered_syn", r->s0 },
        { "rejected", r->rej }, { "rst_by_orig", r->rst_orig }, { "rst_by_resp", r->rst_resp },
    };
    const u64_field cap[] = {
        { "max_hosts", r->max_hosts }, { "hosts_untracked", r->hosts_refused },
        { "untracked_host_pkts", r->refused_pkts },
    };
    sd_json_begin(j, b);
    sd_json_str(j, "type", "capture");
    json_u64s(j, counts, SD_ARRAY_LEN(counts));
    if (r->any) {
        sd_json_f64(j, "first_ts", sd_ts_sec(r->first), 6);
        sd_json_f64(j, "last_ts", sd_ts_sec(r->last), 6);
    }
    json_u64s(j, conns, SD_ARRAY_LEN(conns));
    if (r->refused_pkts) /* only then: the output of a capture under the cap is unchanged */
        json_u64s(j, cap, SD_ARRAY_LEN(cap));
    const u64_field frags[] = {
        { "frags_reassembled", st->frags_reassembled }, { "frags_lost_memcap", st->frags_lost_memcap },
        { "frags_lost_timeout", st->frags_lost_timeout }, { "frags_incomplete", st->frags_incomplete },
        { "evicted_conns", st->evicted },
    };
    if (sd_engine_frags_lost(st) || st->evicted) /* likewise */
        json_u64s(j, frags, SD_ARRAY_LEN(frags));
    if (st->frag_copies) /* likewise */
        sd_json_u64(j, "frag_copies", st->frag_copies);
    if (st->tunnel_mixed) /* likewise */
        sd_json_u64(j, "tunnel_mixed_conns", st->tunnel_mixed);
    json_undecoded(j, st);
    if (st->csum_bad[0] || st->csum_bad[1]) { /* likewise */
        sd_json_u64(j, "bad_checksum_tcp", st->csum_bad[0]);
        sd_json_u64(j, "bad_checksum_udp", st->csum_bad[1]);
    }
    if (st->warn_unshown) { /* likewise */
        sd_json_u64(j, "warnings_unshown", st->warn_unshown);
        sd_json_str(j, "warnings_unshown_kinds", st->warn_unshown_kinds);
    }
    json_more_counts(j, sr);
    sd_json_end(j);
}

static void json_protos(sd_json *j, sd_buf *b, const sd_hoststats_result *r)
{
    for (int p = 0; p < 256; p++) {
        if (!r->proto_pkts[p])
            continue;
        sd_json_begin(j, b);
        sd_json_str(j, "type", "proto");
        sd_json_u64(j, "ipproto", (uint64_t)p);
        if (proto_name(p))
            sd_json_str(j, "name", proto_name(p));
        sd_json_u64(j, "pkts", r->proto_pkts[p]);
        sd_json_u64(j, "bytes", r->proto_bytes[p]);
        sd_json_end(j);
    }
}

static void json_host(sd_json *j, sd_buf *b, const sd_hoststats_host *h)
{
    char a[SD_ADDR_STRLEN];
    sd_json_begin(j, b);
    sd_json_str(j, "type", "host");
    sd_json_str(j, "host", sd_addr_str(&h->addr, a, sizeof a));
    sd_json_u64(j, "pkts", h->pkts);
    sd_json_u64(j, "bytes", h->bytes);
    /* an array, as Zeek writes a set: the TTLs seen, in order; ttls_more
     * when there were more than the host keeps */
    sd_json_key(j, "ttls");
    sd_buf_append(b, "[", 1);
    for (int i = 0; i < h->nttl; i++)
        sd_buf_printf(b, "%s%u", i ? "," : "", h->ttl[i]);
    sd_buf_append(b, "]", 1);
    if (h->ttl_more)
        sd_json_bool(j, "ttls_more", true);
    sd_json_str(j, "ip_id", h->ip_id);
    sd_json_end(j);
}

static void json_port(sd_json *j, sd_buf *b, const sd_hoststats_port *p)
{
    sd_json_begin(j, b);
    sd_json_str(j, "type", "port");
    sd_json_str(j, "proto", p->udp ? "udp" : "tcp");
    sd_json_u64(j, "port", p->port);
    sd_json_u64(j, "conns", p->conns);
    sd_json_u64(j, "unanswered", p->s0);
    sd_json_end(j);
}

void sd_summary_json(sd_buf *b, const sd_summary_result *sr, const sd_engine_stats *st,
                     sd_summary_flush flush)
{
    const sd_hoststats_result *r = sr->hosts;
    sd_json j;
    json_capture(&j, b, sr, st);
    if (sr->host) {
        sd_hostsum_json(b, sr->host, flush);
        if (sr->host_dns)
            sd_hostdns_json(b, sr->host_dns, flush);
        if (sr->clients)
            sd_clientpat_json(b, sr->clients, flush);
        if (sr->files)
            sd_files_json(b, sr->files, flush);
        return;
    }
    json_protos(&j, b, r);
    for (size_t i = 0; i < r->nall; i++) {
        json_host(&j, b, &r->all[i]);
        maybe_flush(b, flush);
    }
    for (size_t i = 0; i < r->nports; i++) {
        json_port(&j, b, &r->ports[i]);
        maybe_flush(b, flush);
    }
    if (sr->clients)
        sd_clientpat_json(b, sr->clients, flush);
    if (sr->files)
        sd_files_json(b, sr->files, flush);
}

void sd_summary_report(sd_buf *b, const sd_summary_result *r, const sd_engine_stats *st, bool json,
                       sd_summary_flush flush)
{
    /* with a host of interest the report is about it alone */
    bool all = !r->host;
    if (json) {
        sd_summary_json(b, r, st, flush);
        if (all) {
            sd_svcsum_json(b, r->services);
            sd_dns_summary_json(b, r->dns, r->dns_stats);
        }
    } else {
        sd_summary_text(b, r, st, flush);
        if (all) {
            sd_svcsum_text(b, r->services);
            sd_dns_summary_text(b, r->dns, r->dns_stats);
        }
    }
}
