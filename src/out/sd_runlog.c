/* sd_runlog: a run's own lines on stderr (see sd_runlog.h). */
#include "sd_runlog.h"

#include "../flow/sd_tcpgap.h"
#include "sd_markout.h"
#include "sd_text.h"

#include <unistd.h>

static unsigned long rss_mb(void)
{
    unsigned long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu %lu", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (unsigned long)sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

void sd_runlog_stats(FILE *f, const sd_engine_stats *st, sd_capture *cap)
{
    uint64_t recv = 0, drop = 0, ifdrop = 0;
    char drops[96] = "";
    if (sd_capture_drops(cap, &recv, &drop, &ifdrop) == 0)
        snprintf(drops, sizeof drops, ", dropped %llu by the kernel, %llu by the interface",
                 (unsigned long long)drop, (unsigned long long)ifdrop);
    fprintf(f, "strider: stats: %llu frames%s, %llu connections live (cap %llu), %llu ended, %llu evicted, %lu MB\n",
            (unsigned long long)st->frames, drops, (unsigned long long)st->live,
            (unsigned long long)st->max_flows,
            (unsigned long long)(st->conns_tcp + st->conns_udp - st->live), (unsigned long long)st->evicted,
            rss_mb());
}

/* Frames that gave no IP packet, by reason: nothing is dropped silently
 * (ARP and other non-IP ethertypes included, so that an encapsulation
 * strider does not decode shows up here). */
void sd_runlog_undecoded(FILE *f, const sd_engine_stats *st)
{
    char what[512];
    uint64_t all = sd_undecoded_text(st, what, sizeof what);
    if (all)
        fprintf(f, "strider: %llu frame(s) gave no IP packet: %s\n", (unsigned long long)all, what);
}

uint64_t sd_undecoded_text(const sd_engine_stats *st, char *what, size_t len)
{
    uint64_t all = 0;
    size_t at = 0;
    what[0] = '\0';
    for (int r = 0; r < SD_UNDEC_COUNT; r++) {
        if (!st->undecoded[r])
            continue;
        all += st->undecoded[r];
        int n = at < len ? snprintf(what + at, len - at, "%s%s %llu", at ? ", " : "", sd_undec_name((sd_undec)r),
                                    (unsigned long long)st->undecoded[r])
                         : 0;
        at += n > 0 ? (size_t)n : 0;
    }
    return all;
}

/* Segments a receiver would drop, which a stream takes only once ACKed: one
 * line per reason, each naming the `packets` mark that shows them. */
static void sd_runlog_untaken(FILE *f, const sd_engine_stats *st)
{
    char ttl[160];
    snprintf(ttl, sizeof ttl, "TCP data segment(s) came with a TTL (hop limit) more than %d below their side's "
             "SYN's, which may die before their receiver (an evader's insertion)", SD_TTL_ROUTE_SLACK);
    const struct { uint64_t n; const char *what, *mark; } rows[] = {
        { st->frag_conflict, "TCP segment(s) came from IP fragments that overlap with other bytes, which "
          "receivers may drop", "frag-conflict" },
        { st->frag_splithdr, "TCP segment(s) came in IP fragments whose first ended inside the TCP header, "
          "which receivers discard (RFC 8200 4.5, RFC 1858)", "frag-conflict" },
        { st->untaken, "TCP data segment(s) came with no ACK flag, a SYN off the ISN, or an ACK a window past "
          "the peer's bytes, which a connected receiver drops (RFC 9293 3.10.7.4, RFC 5961 4)", "untaken" },
        { st->zerowin_data, "TCP data segment(s) came into a zero window their receiver offered, which it "
          "drops (RFC 9293 3.10.7.4)", "into-zero-window" },
        { st->paws, "TCP data segment(s) carried a timestamp older than their receiver's last (PAWS, RFC "
          "7323 5.3), which it drops", "paws" },
        { st->ttl_low, ttl, "ttl-low" },
        { st->ip_discard, "TCP data segment(s) came in IP datagrams whose options make their receiver discard "
          "them (an IPv4 source route or option of a bad length, an IPv6 option or routing header that says "
          "discard)", "ip-discard" },
        { st->tcp_auth, "TCP data segment(s) carried a TCP-MD5 or TCP-AO option their connection's SYNs did not "
          "(or none where they did), which a Linux receiver drops (RFC 2385, RFC 5925)", "tcp-auth" },
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (rows[i].n)
            fprintf(f, "strider: %llu %s: a stream took each only once ACKed, a re-send first replaced it "
                       "(`packets`: %s)\n", (unsigned long long)rows[i].n, rows[i].what, rows[i].mark);
}

/* "strider: N WHAT, first at frame F: WHY", when there were any: the
 * engine's counts of segments it kept out, each with the frame of the
 * first so an analyst can open it in Wireshark. */
static void say_first(FILE *f, uint64_t n, uint64_t first, const char *what, const char *why)
{
    if (n)
        fprintf(f, "strider: %llu %s, first at frame %llu: %s\n", (unsigned long long)n, what,
                (unsigned long long)first, why);
}

void sd_runlog_caps(FILE *f, const sd_engine_stats *st, uint64_t diag_count, uint64_t diag_max)
{
    if (diag_count > diag_max)
        fprintf(f, "strider: %llu warnings about the input in all, the first %llu shown\n",
                (unsigned long long)diag_count, (unsigned long long)diag_max);
    if (st->oow_dropped)
        fprintf(f, "strider: %llu data segment(s) beyond the receiver's window were never ACKed and were "
                   "kept out of the reassembled streams (a possible injection; conns -R: out_of_window)\n",
                (unsigned long long)st->oow_dropped);
    if (st->csum_bad[0] || st->csum_bad[1]) /* what the receivers dropped, shown with its reason */
        fprintf(f, "strider: %llu TCP segment(s) and %llu UDP datagram(s) with a wrong checksum were kept "
                   "out of the analysis, as their receivers dropped them (history C; conns -R: "
                   "*_bad_checksums; --checksum off keeps them)\n",
                (unsigned long long)st->csum_bad[0], (unsigned long long)st->csum_bad[1]);
    sd_runlog_untaken(f, st);
    if (st->history_cut)
        fprintf(f, "strider: the history of %llu connection(s) reached %d letters and lost the later ones "
                   "(conns -R: history_dropped)\n",
                (unsigned long long)st->history_cut, SD_HISTORY_MAX);
    if (st->gaps_settled_early)
        fprintf(f, "strider: %llu missing piece(s) of stream were counted in missed_bytes before the peer "
                   "ACKed them: more pieces of one window were missing than are tracked (%d per direction, %u in all)\n",
                (unsigned long long)st->gaps_settled_early, SD_TCPGAP_RANGES, SD_TCPGAP_SPILL_TOTAL);
    sd_runlog_undecoded(f, st);
    if (st->warn_unshown) /* the kinds that went quiet after their first messages */
        fprintf(f, "strider: %llu further warning(s) not shown: %s\n", (unsigned long long)st->warn_unshown,
                st->warn_unshown_kinds);
    uint64_t lost = sd_engine_frags_lost(st);
    if (lost)
        fprintf(f, "strider: %llu IP datagram(s) not reassembled from their fragments: %llu dropped for "
                   "the fragment memcap, %llu timed out, %llu incomplete at the end\n",
                (unsigned long long)lost, (unsigned long long)st->frags_lost_memcap,
                (unsigned long long)st->frags_lost_timeout, (unsigned long long)st->frags_incomplete);
    if (st->frag_copies)
        fprintf(f, "strider: %llu set(s) of IP fragments came after their datagram was reassembled, inside it "
                   "(copies: a SPAN port's or a re-sender's): not reassembled again, no loss\n",
                (unsigned long long)st->frag_copies);
    say_first(f, st->tunnel_mixed, st->tunnel_mixed_first,
              "connection(s) had packets from two tunnel segments (VXLAN/GENEVE VNI, GRE key, or one and "
              "none) under the same addresses and ports",
              "read as one connection, as Wireshark and Zeek key them (two tenants' sessions would mix)");
    say_first(f, st->syn_split, st->syn_split_first,
              "open connection(s) (no FIN or RST) were ended by a SYN with a new initial sequence number "
              "that its receiver answered with no SYN-ACK",
              "a new stream, as Wireshark numbers them, but a connected receiver answers such a SYN with a "
              "challenge ACK and goes on (RFC 5961 4.2): the rest is read as another connection, "
              "mid-stream (not as SSH)");
    say_first(f, st->fin_dropped, st->fin_dropped_first, "TCP FIN segment(s) came with no ACK flag or with a SYN",
              "a connected receiver drops such a segment before it reads the FIN (RFC 9293 3.10.7.4), so "
              "none closed its connection (`packets`: untaken)");
    say_first(f, st->ctl_auth, st->ctl_auth_first,
              "TCP FIN or RST segment(s) carried a TCP-MD5 or TCP-AO option their connection's SYNs did "
              "not (or none where they did)",
              "a Linux receiver drops such a segment before it reads its flags (RFC 2385, RFC 5925), so "
              "none ended its connection (`packets`: untaken tcp-auth)");
    say_first(f, st->syn_dropped, st->syn_dropped_first,
              "TCP SYN|ACK segment(s) with no data came off their side's initial sequence number once the "
              "connection was set up",
              "a connected receiver answers any SYN with a challenge ACK and drops it (RFC 9293 3.10.7.4, "
              "RFC 5961 4.2), so none took a sequence number (`packets`: untaken)");
    if (st->evicted)
        fprintf(f, "strider: the connection table was full (--max-flows %llu): %llu connection(s) "
                   "ended early, written marked evicted\n",
                (unsigned long long)st->max_flows, (unsigned long long)st->evicted);
    if (st->streams_forgotten)
        fprintf(f, "strider: %llu ended connection(s) forgotten for the stream-number memory (--max-flows): "
                   "a later packet on one of their ports starts a new stream where Wireshark may not\n",
                (unsigned long long)st->streams_forgotten);
    if (st->ts_back)
        fprintf(f, "strider: time goes back at %llu frame(s), first at frame %llu: connections were analysed "
                   "in capture order\n",
                (unsigned long long)st->ts_back, (unsigned long long)st->ts_back_first);
}

void sd_runlog_follow(FILE *f, const sd_follow_out *fo, uint32_t oow, uint64_t oow_frame, bool quiet)
{
    if (fo->mode == SD_FOLLOW_RAW && (fo->gaps[0] || fo->gaps[1]) && !quiet)
        fprintf(f, "strider follow: %llu bytes missing in capture file (left out of --raw)\n",
                (unsigned long long)(fo->gap_bytes[0] + fo->gap_bytes[1]));
    if (oow) /* said even with -q: bytes someone may have planted */
        fprintf(f, "strider follow: %u segment(s) beyond the receiver's window, never ACKed, left out of "
                   "the stream (first: frame %llu): a possible injection\n",
                oow, (unsigned long long)oow_frame);
    /* said even with -q: bytes planted or taken out, as out-of-window */
    for (size_t k = 0, s = 0; k < fo->notes.len; k++)
        if (((const char *)fo->notes.p)[k] == '\n') {
            fprintf(f, "strider follow: %.*s", (int)(k + 1 - s), (const char *)fo->notes.p + s);
            s = k + 1;
        }
    if (fo->nnotes > SD_FOLLOW_NOTES_KEPT)
        fprintf(f, "strider follow: %u more overlap(s) and urgent byte(s), not listed\n",
                fo->nnotes - SD_FOLLOW_NOTES_KEPT);
    for (int d = 0; d < 2 && fo->mode == SD_FOLLOW_RAW; d++)
        if (fo->unchecked[d])
            fprintf(f, "strider follow: %s: %llu retransmitted bytes older than the overlap history, not "
                       "compared (--overlap-memcap)\n",
                    d ? "resp" : "orig", (unsigned long long)fo->unchecked[d]);
    if ((fo->truncated[0] || fo->truncated[1]) && !quiet)
        fprintf(f, "strider follow: stream truncated: a memory cap was hit (see --stream-cap, --memcap)\n");
}

void sd_runlog_extract(FILE *f, const sd_extract_stats *st, bool quiet)
{
    if (!quiet) {
        fprintf(f, "strider extract: %llu TCP sessions, %llu with payload, %llu with signatures",
                (unsigned long long)st->sessions, (unsigned long long)st->with_data,
                (unsigned long long)st->sig_sessions);
        if (st->truncated)
            fprintf(f, ", %llu TRUNCATED by a memory cap (see --stream-cap, --memcap)",
                    (unsigned long long)st->truncated);
        fprintf(f, "\n");
    }
    if (st->overlaps || st->unchecked_bytes) /* said even with -q: evidence, and a cap */
        fprintf(f, "strider extract: %llu overlap(s) with different bytes (index: *_inconsistent), %llu "
                   "retransmitted bytes older than the overlap history not compared (--overlap-memcap)\n",
                (unsigned long long)st->overlaps, (unsigned long long)st->unchecked_bytes);
    if (st->holes_cut) /* said even with -q: the files are not at stream offsets past it */
        fprintf(f, "strider extract: %llu hole(s) cut by --max-hole: %llu missing bytes not written "
                   "as NULs (index: *_hole_bytes_cut, *_first_cut_offset)\n",
                (unsigned long long)st->holes_cut, (unsigned long long)st->hole_bytes_cut);
}

void sd_runlog_hosts(FILE *f, const sd_hoststats_result *r)
{
    if (r->refused_pkts) /* said whatever -q says, as every cap */
        fprintf(f, "strider summary: the host table was full (--max-hosts %llu): about %llu host(s) "
                   "not tracked (%llu packets), counted in the totals only\n",
                (unsigned long long)r->max_hosts, (unsigned long long)r->hosts_refused,
                (unsigned long long)r->refused_pkts);
}

void sd_runlog_summary(FILE *f, const sd_summary_result *r)
{
    typedef unsigned long long ull;
    sd_runlog_hosts(f, r->hosts);
    if (r->clients && r->clients->untracked_conns)
        fprintf(f, "strider summary: the client table was full (--max-hosts %zu): %llu connection(s) of "
                   "hosts past it have no source port or ISN pattern\n",
                r->clients->max_hosts, (ull)r->clients->untracked_conns);
    if (r->files && r->files->total > r->files->n)
        fprintf(f, "strider summary: %llu file signature(s) seen, %zu listed (the first of each connection "
                   "direction, at most %zu in all)\n", (ull)r->files->total, r->files->n, r->files->max);
    if (r->host_dns && r->host_dns->total > r->host_dns->n)
        fprintf(f, "strider summary: --host: %llu DNS transaction(s) involving it not listed (the first %zu "
                   "are)\n", (ull)(r->host_dns->total - r->host_dns->n), r->host_dns->max);
    if (r->host && r->host->dropped)
        fprintf(f, "strider summary: --host: %llu connection(s) not listed (--max-host-conns %zu), in the "
                   "totals only\n", (ull)r->host->dropped, r->host->max_conns);
}

void sd_runlog_dns(FILE *f, const char *cmd, const sd_dnsind_result *r, const sd_dnsan_stats *st)
{
    typedef unsigned long long ull;
    if (st->pending_flushed)
        fprintf(f, "strider %s: DNS: %llu queries written unanswered early: %u were waiting on one connection\n",
                cmd, (ull)st->pending_flushed, SD_DNSAN_MAX_PENDING);
    if (st->answers_uncounted)
        fprintf(f, "strider %s: DNS: %llu answers past the %u decoded per message not listed\n", cmd,
                (ull)st->answers_uncounted, SD_DNS_MAX_ANS);
    if (r->names_refused || r->clients_refused || r->pairs_refused)
        fprintf(f, "strider %s: DNS: tables full: %llu names (cap %u), %llu clients (cap %u), %llu "
                   "name-address pairs (cap %u) not tracked for the indicators\n", cmd, (ull)r->names_refused,
                SD_DNSIND_MAX_NAMES, (ull)r->clients_refused, SD_DNSIND_MAX_CLIENTS, (ull)r->pairs_refused,
                SD_DNSIND_MAX_PAIRS);
    if (st->tcp_lost)
        fprintf(f, "strider %s: DNS over TCP: %llu stream(s) lost their message boundaries at a gap or "
                   "ended inside a message\n", cmd, (ull)st->tcp_lost);
    if (st->tcp_memcap)
        fprintf(f, "strider %s: DNS over TCP: %llu stream(s) given up: %zu MiB of unfinished messages held\n",
                cmd, (ull)st->tcp_memcap, SD_DNSAN_TCP_HELD_MAX >> 20);
    if (st->malformed) /* not transactions: listed nowhere else */
        fprintf(f, "strider %s: DNS: %llu malformed message(s) (no header or a bad question): no transaction\n", cmd,
                (ull)st->malformed);
}

/* The message as a capture string is written (\xHH, a backslash kept as
 * one): its writers make the capture's strings printable, but some quote
 * what they were given (a filter expression from a script, libpcap's
 * error about it). The file's name is made printable by its reader. */
void sd_runlog_diag(FILE *f, const char *file, uint64_t frame, const char *msg)
{
    sd_buf b = { 0 };
    sd_text_puts_made(&b, msg);
    int n = (int)b.len;
    const char *m = b.p ? (const char *)b.p : "";
    if (file && frame)
        fprintf(f, "strider: %s: frame %llu: %.*s\n", file, (unsigned long long)frame, n, m);
    else if (file)
        fprintf(f, "strider: %s: %.*s\n", file, n, m);
    else
        fprintf(f, "strider: %.*s\n", n, m);
    sd_buf_free(&b);
}

void sd_runlog_progress(FILE *f, uint64_t done, uint64_t total)
{
    fprintf(f, "\rstrider: %3.0f%% (%.1f of %.1f MB)", 100.0 * (double)done / (double)total, (double)done / 1e6,
            (double)total / 1e6);
}
