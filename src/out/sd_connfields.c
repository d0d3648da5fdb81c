#include "sd_connfields.h"

#include "../common/sd_plain.h"
#include "../common/sd_site.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#define C(rec) ((const sd_conn *)(rec))

static void set_ms(sd_fval *v, int64_t ns)
{
    if (ns >= 0)
        sd_fv_f(v, (double)ns / 1e6, 3);
}

static const char *dir_name(int d)
{
    return d == 0 ? "orig" : "resp";
}

static void g_uid(const void *r, sd_fval *v) { sd_fv_s(v, C(r)->uid); }
static void g_stream(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->id); }
static void g_ts(const void *r, sd_fval *v) { sd_fv_f(v, sd_ts_sec(C(r)->start), 6); }
static void g_time(const void *r, sd_fval *v) { sd_ts_iso(C(r)->start, v->tmp, sizeof v->tmp); sd_fv_s(v, v->tmp); }
static void g_proto(const void *r, sd_fval *v)
{
    uint8_t p = C(r)->ipproto;
    if (p == 6)
        sd_fv_s(v, "tcp");
    else if (p == 17)
        sd_fv_s(v, "udp");
    else {
        snprintf(v->tmp, sizeof v->tmp, "%u", p);
        sd_fv_s(v, v->tmp);
    }
}
static void g_orig_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(&C(r)->orig_h, v->tmp, sizeof v->tmp)); }
static void g_resp_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(&C(r)->resp_h, v->tmp, sizeof v->tmp)); }
static void g_orig_p(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->orig_p); }
static void g_resp_p(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->resp_p); }
static void g_duration(const void *r, sd_fval *v) { sd_fv_f(v, sd_ts_sec(C(r)->end - C(r)->start), 6); }
static void g_state(const void *r, sd_fval *v) { sd_fv_s(v, C(r)->conn_state); }
static void local_end(const sd_addr *a, sd_fval *v)
{
    int l = sd_site_is_local(a);
    if (l >= 0)
        sd_fv_b(v, l == 1);
}
static void g_file(const void *r, sd_fval *v) { sd_fv_origin(v, C(r)->first_frame, false); }
static void g_file_first_frame(const void *r, sd_fval *v) { sd_fv_origin(v, C(r)->first_frame, true); }
static void g_local_orig(const void *r, sd_fval *v) { local_end(&C(r)->orig_h, v); }
static void g_local_resp(const void *r, sd_fval *v) { local_end(&C(r)->resp_h, v); }
static void g_history(const void *r, sd_fval *v)
{
    sd_fv_s(v, C(r)->history);
}
static void g_vlan(const void *r, sd_fval *v)
{
    if (C(r)->vlan)
        sd_fv_u(v, C(r)->vlan);
}
static void g_iface(const void *r, sd_fval *v)
{
    if (C(r)->iface)
        sd_fv_u(v, C(r)->iface - 1);
}
static void g_encap(const void *r, sd_fval *v)
{
    size_t at = 0; /* names are at most 7 bytes: 8 of them fit in tmp */
    for (unsigned i = 0; i < C(r)->nencap && i < SD_MAX_ENCAP_DEPTH; i++) {
        int n = snprintf(v->tmp + at, sizeof v->tmp - at, "%s%s", i ? "," : "", sd_encap_name(C(r)->encap[i]));
        at += n > 0 && (size_t)n < sizeof v->tmp - at ? (size_t)n : 0;
    }
    if (at)
        sd_fv_s(v, v->tmp);
}
static void g_missed(const void *r, sd_fval *v)
{
    if (C(r)->ipproto == 6)
        sd_fv_u(v, C(r)->d[0].missed_bytes + C(r)->d[1].missed_bytes);
}
static void g_first_frame(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->first_frame); }
static void g_last_frame(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->last_frame); }
static void g_rtt1(const void *r, sd_fval *v) { set_ms(v, C(r)->rtt_syn_synack); }
static void g_rtt2(const void *r, sd_fval *v) { set_ms(v, C(r)->rtt_synack_ack); }
static void g_fin_by(const void *r, sd_fval *v)
{
    if (C(r)->first_fin_dir >= 0)
        sd_fv_s(v, dir_name(C(r)->first_fin_dir));
}
static void g_fin_frame(const void *r, sd_fval *v)
{
    if (C(r)->first_fin_dir >= 0)
        sd_fv_u(v, C(r)->first_fin_frame);
}
static void g_rst_by(const void *r, sd_fval *v)
{
    if (C(r)->first_rst_dir >= 0)
        sd_fv_s(v, dir_name(C(r)->first_rst_dir));
}
static void g_rst_frame(const void *r, sd_fval *v)
{
    if (C(r)->first_rst_dir >= 0)
        sd_fv_u(v, C(r)->first_rst_frame);
}
static void g_rst_chal(const void *r, sd_fval *v)
{
    if (C(r)->rst_challenged)
        sd_fv_u(v, C(r)->rst_challenged);
}
static void g_rst_chal_frame(const void *r, sd_fval *v)
{
    if (C(r)->rst_challenged)
        sd_fv_u(v, C(r)->rst_challenged_frame);
}
static void g_rst_untaken(const void *r, sd_fval *v)
{
    if (C(r)->rst_untaken)
        sd_fv_u(v, C(r)->rst_untaken);
}
static void g_rst_untaken_frame(const void *r, sd_fval *v)
{
    if (C(r)->rst_untaken)
        sd_fv_u(v, C(r)->rst_untaken_frame);
}
static void g_open(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->open_at_end); }
static void g_orig_open(const void *r, sd_fval *v) { sd_fv_u(v, C(r)->orig_open_at_end); }
static void g_midstream(const void *r, sd_fval *v)
{
    if (C(r)->ipproto == 6)
        sd_fv_b(v, C(r)->midstream);
}
static void g_orig_by(const void *r, sd_fval *v)
{
    static const char *const N[] = { "syn", "synack", "server_port", "first_packet" };
    if (C(r)->ipproto == 6 && C(r)->orig_by < sizeof N / sizeof N[0])
        sd_fv_s(v, N[C(r)->orig_by]);
}
static void g_expired(const void *r, sd_fval *v) { sd_fv_b(v, C(r)->expired); }
static void g_oow(const void *r, sd_fval *v)
{
    if (C(r)->oow_segments)
        sd_fv_u(v, C(r)->oow_segments);
}
static void g_oow_frame(const void *r, sd_fval *v)
{
    if (C(r)->oow_segments)
        sd_fv_u(v, C(r)->oow_first_frame);
}
static void g_service(const void *r, sd_fval *v)
{
    if (C(r)->service[0])
        sd_fv_s(v, C(r)->service);
}
/* What the first request or ClientHello said (sd_service): unset when
 * not seen, so the JSON of other connections is unchanged. */
#define APP_FIELD(fn, k, member)                                     \
    static void fn(const void *r, sd_fval *v)                        \
    {                                                                \
        if (C(r)->app.kind == (k) && C(r)->app.member[0])            \
            sd_fv_s(v, C(r)->app.member);                            \
    }
APP_FIELD(g_http_method, 'h', verb)
APP_FIELD(g_http_host, 'h', name)
APP_FIELD(g_http_uri, 'h', uri)
APP_FIELD(g_tls_sni, 't', name)
APP_FIELD(g_tls_version, 't', verb)
APP_FIELD(g_ja4, 't', ja4)
/* unset unless it happened: the JSON of an ordinary connection is unchanged */
static void g_evicted(const void *r, sd_fval *v)
{
    if (C(r)->evicted)
        sd_fv_b(v, true);
}

/* Per-direction fields: one getter pair per statistic, generated. */
#define DIR_FIELD(name, expr)                                                                    \
    static void g_orig_##name(const void *r, sd_fval *v)                                         \
    {                                                                                            \
        const sd_dirstats *d = &C(r)->d[0];                                                      \
        expr;                                                                                    \
    }                                                                                            \
    static void g_resp_##name(const void *r, sd_fval *v)                                         \
    {                                                                                            \
        const sd_dirstats *d = &C(r)->d[1];                                                      \
        expr;                                                                                    \
    }
#define TCP_ONLY if (C(r)->ipproto != 6) return
DIR_FIELD(pkts, sd_fv_u(v, d->pkts))
DIR_FIELD(bytes, sd_fv_u(v, d->bytes))
DIR_FIELD(ip_bytes, sd_fv_u(v, d->ip_bytes))
DIR_FIELD(payload_bytes, sd_fv_u(v, d->payload_bytes))
DIR_FIELD(wire_bytes, sd_fv_u(v, d->wire_bytes))
DIR_FIELD(retrans_pkts, TCP_ONLY; sd_fv_u(v, d->retrans_pkts))
DIR_FIELD(retrans_bytes, TCP_ONLY; sd_fv_u(v, d->retrans_bytes))
DIR_FIELD(ooo_pkts, TCP_ONLY; sd_fv_u(v, d->ooo_pkts))
DIR_FIELD(dup_acks, TCP_ONLY; sd_fv_u(v, d->dup_acks))
DIR_FIELD(zero_windows, TCP_ONLY; sd_fv_u(v, d->zero_windows))
DIR_FIELD(keepalives, TCP_ONLY; sd_fv_u(v, d->keepalives))
DIR_FIELD(wscale, TCP_ONLY; if (d->wscale >= 0) sd_fv_u(v, (uint64_t)d->wscale))
DIR_FIELD(mss, TCP_ONLY; if (d->mss) sd_fv_u(v, d->mss))
DIR_FIELD(win_min, TCP_ONLY; if (d->win_seen) sd_fv_u(v, d->win_min))
DIR_FIELD(win_max, TCP_ONLY; if (d->win_seen) sd_fv_u(v, d->win_max))
DIR_FIELD(ttl_min, if (d->pkts) sd_fv_u(v, d->ttl_min))
DIR_FIELD(ttl_max, if (d->pkts) sd_fv_u(v, d->ttl_max))
#define REASM_ONLY if (!C(r)->reasm_on) return
DIR_FIELD(stream_bytes, REASM_ONLY; sd_fv_u(v, d->stream_bytes))
DIR_FIELD(gap_bytes, REASM_ONLY; sd_fv_u(v, d->gap_bytes))
DIR_FIELD(inconsistent_bytes, REASM_ONLY; sd_fv_u(v, d->inconsistent_bytes))
DIR_FIELD(truncated, REASM_ONLY; sd_fv_b(v, d->stream_truncated))
DIR_FIELD(overlap_unchecked_bytes, REASM_ONLY; if (d->unchecked_bytes) sd_fv_u(v, d->unchecked_bytes))
DIR_FIELD(urgent_bytes, REASM_ONLY; if (d->urgent_bytes) sd_fv_u(v, d->urgent_bytes))
DIR_FIELD(overlap_policy_unapplied_bytes, REASM_ONLY; if (d->policy_unapplied_bytes) sd_fv_u(v, d->policy_unapplied_bytes))
DIR_FIELD(bad_checksums, if (d->bad_csum) sd_fv_u(v, d->bad_csum))
static void g_hist_dropped(const void *r, sd_fval *v)
{
    if (C(r)->history_dropped)
        sd_fv_u(v, C(r)->history_dropped);
}
static void g_incons(const void *r, sd_fval *v)
{
    REASM_ONLY;
    sd_fv_u(v, C(r)->inconsistencies);
}

#define BOTH(name, doc) { "orig_" #name, doc " (originator)", g_orig_##name, false }, \
                        { "resp_" #name, doc " (responder)", g_resp_##name, false }
#define BOTH_OPT(name, doc) { "orig_" #name, doc " (originator)", g_orig_##name, true }, \
                            { "resp_" #name, doc " (responder)", g_resp_##name, true }

static const sd_field FIELDS[] = {
    { "uid", "connection id, stable for a capture", g_uid, false },
    { "stream", "Wireshark's tcp.stream / udp.stream index", g_stream, false },
    { "ts", "start, epoch seconds", g_ts, false },
    { "time", "start, ISO 8601 UTC", g_time, false },
    { "proto", "transport protocol", g_proto, false },
    { "service", "what it speaks, by content on any port (Zeek's names: ssh, http, ssl, dns, ftp, smtp)", g_service, false },
    { "id.orig_h", "originator address", g_orig_h, false },
    { "id.orig_p", "originator port", g_orig_p, false },
    { "id.resp_h", "responder address", g_resp_h, false },
    { "id.resp_p", "responder port", g_resp_p, false },
    { "vlan", "outer VLAN id (none with --no-vlan-key)", g_vlan, false },
    { "iface", "pcapng interface of its first packet (0-based over the file's sections); none for classic pcap",
      g_iface, false },
    { "encap", "tunnels around it, outermost first: pppoe, mpls, gre, pptp, erspan1-3, vxlan, geneve, ip (IP in IP); "
               "the key is the innermost IP and ports", g_encap, false },
    { "duration", "seconds from first to last packet", g_duration, false },
    { "conn_state", "Zeek connection state", g_state, false },
    { "local_orig", "originator in --local-nets (unset without it)", g_local_orig, false },
    { "local_resp", "responder in --local-nets (unset without it)", g_local_resp, false },
    { "history", "Zeek history letters", g_history, false },
    BOTH(pkts, "packets"),
    BOTH(bytes, "payload bytes (TCP: from sequence numbers, as Zeek)"),
    { "missed_bytes", "bytes ACKed that the capture does not hold: never seen or cut by the snaplen (Zeek's content gaps)", g_missed, false },
    BOTH(payload_bytes, "sum of payload lengths, retransmissions included"),
    BOTH(ip_bytes, "IP bytes"),
    BOTH(wire_bytes, "frame bytes on the wire"),
    { "syn_synack_ms", "handshake: SYN to SYN-ACK, ms", g_rtt1, false },
    { "synack_ack_ms", "handshake: SYN-ACK to ACK, ms", g_rtt2, false },
    BOTH(retrans_pkts, "retransmitted packets"),
    BOTH(retrans_bytes, "retransmitted payload bytes"),
    BOTH(ooo_pkts, "out-of-order segments"),
    BOTH(dup_acks, "duplicate ACKs"),
    BOTH(zero_windows, "zero-window advertisements"),
    BOTH(keepalives, "keep-alives"),
    BOTH(wscale, "window scale shift (unset: not negotiated)"),
    BOTH(mss, "MSS option"),
    BOTH(win_min, "smallest scaled window"),
    BOTH(win_max, "largest scaled window"),
    BOTH(ttl_min, "smallest TTL"),
    BOTH(ttl_max, "largest TTL"),
    { "first_fin", "who sent the first FIN (orig/resp)", g_fin_by, false },
    { "first_fin_frame", "frame of the first FIN", g_fin_frame, false },
    { "first_rst", "who sent the first RST (orig/resp)", g_rst_by, false },
    { "first_rst_frame", "frame of the first RST", g_rst_frame, false },
    { "rst_challenged", "RSTs in the receiver's window but not at its next sequence number: a receiver "
                        "answers with a challenge ACK and keeps the connection (RFC 5961), so they did "
                        "not reset it (unset when none)", g_rst_chal, false },
    { "rst_challenged_frame", "the first of them", g_rst_chal_frame, false },
    { "rst_untaken", "RSTs that closed the connection but whose receiver then ACKed data past them: they "
                     "never reached it (an insertion), the connection went on (unset when none)",
      g_rst_untaken, false },
    { "rst_untaken_frame", "the first such ACK", g_rst_untaken_frame, false },
    { "open_at_end", "other connections open when it ended", g_open, false },
    { "orig_open_at_end", "of those, opened by the same originator host", g_orig_open, false },
    { "midstream", "handshake not seen (capture joined late)", g_midstream, false },
    { "orig_by", "how the originator was decided: syn, synack (SYN-ACK seen first), server_port (joined "
                 "mid-stream, the first packet came from a likely server port), first_packet (its sender)",
      g_orig_by, false },
    BOTH_OPT(stream_bytes, "reassembled payload delivered in order (-R)"),
    BOTH_OPT(gap_bytes, "bytes missing from the reassembled stream, delivered as gaps (-R)"),
    BOTH_OPT(inconsistent_bytes, "retransmitted bytes that differed from the first copy (-R)"),
    { "inconsistencies", "overlaps with different bytes, an evasion indicator (-R)", g_incons, true },
    { "out_of_window", "data segments beyond the receiver's window that it never ACKed, kept out of the stream: an injection (-R; unset when none)", g_oow, true },
    { "out_of_window_frame", "the first of them (-R)", g_oow_frame, true },
    BOTH_OPT(truncated, "reassembly hit a memory cap (-R)"),
    BOTH_OPT(overlap_unchecked_bytes, "retransmitted bytes older than the overlap history (--overlap-memcap) "
                                      "or than a gap, not compared (-R; unset when none)"),
    BOTH_OPT(urgent_bytes, "urgent bytes: the last byte of each urgent pointer, which a Linux receiver "
                           "takes out of the stream (follow/extract --urgent oob) (-R; unset when none)"),
    BOTH_OPT(overlap_policy_unapplied_bytes, "differing bytes delivered before the --overlap policy could "
                                             "choose, which it would have replaced (-R; unset when none)"),
    BOTH_OPT(bad_checksums, "packets with a wrong checksum, kept out of every other count as the receiver "
                            "dropped them (--checksum; Zeek's C) (-R; unset when none)"),
    { "history_dropped", "history letters left out: the history keeps 24 (-R; unset when none)", g_hist_dropped, true },
    { "expired", "ended by idle timeout", g_expired, false },
    { "evicted", "ended early: the connection table was full (--max-flows); unset otherwise", g_evicted, false },
    { "first_frame", "first frame", g_first_frame, false },
    { "file", "merged inputs: the file of the first frame", g_file, false },
    { "file_first_frame", "merged inputs: the first frame's number in that file", g_file_first_frame, false },
    { "last_frame", "last frame", g_last_frame, false },
    /* added last: the CSV's columns before them keep their places */
    { "http_method", "HTTP: the first request's method (by content, any port; unset otherwise)", g_http_method, false },
    { "http_host", "HTTP: the first request's Host header", g_http_host, false },
    { "http_uri", "HTTP: the first request's URI (cut at 124 bytes: \"...\")", g_http_uri, false },
    { "tls_sni", "TLS: the ClientHello's server name (SNI)", g_tls_sni, false },
    { "tls_version", "TLS: the highest version the ClientHello offers (Zeek's TLSv13, TLSv12, ...)", g_tls_version, false },
    { "ja4", "TLS: the ClientHello's JA4 fingerprint (FoxIO; whole ClientHello only)", g_ja4, false },
};

const sd_fieldset sd_conn_fields = { FIELDS, SD_ARRAY_LEN(FIELDS), NULL };

const char *const sd_conn_text_default =
    "stream,proto,id.orig_h,id.orig_p,id.resp_h,id.resp_p,duration,conn_state,history,"
    "orig_pkts,orig_bytes,resp_pkts,resp_bytes,syn_synack_ms,orig_retrans_pkts,resp_retrans_pkts,"
    "first_rst,open_at_end";

/* ---- the JSON line in place (sd_conn_json) ---- */

/* The most a bounded member takes: the comma, the longest key in quotes
 * with its colon (",\"overlap_policy_unapplied_bytes\":", 34) and a number
 * (sd_put_u64: 20; sd_json_put_fixed: 32), or "id.orig_h" and an address in
 * quotes (13 + 48). */
#define MEMBER_MAX 80
/* sd_ts_iso's room: the getter's (g_time), which cuts where it cuts */
#define ISO_ROOM sizeof(((sd_fval *)0)->tmp)
/* Room asked for once per record (and again after each member written
 * through the buffer's own calls): every bounded member, the history and
 * the application strings (their arrays bound them) fit, so no member
 * checks its own. */
#define REC_ROOM (SD_ARRAY_LEN(FIELDS) * MEMBER_MAX + SD_HISTORY_MAX + sizeof(sd_appinfo) * 2)


/* ,"name": as one fixed-size copy */
#define K(o, name) (memcpy((o), ",\"" name "\":", sizeof(",\"" name "\":") - 1), (o) + sizeof(",\"" name "\":") - 1)
#define J_U(name, v) (o = sd_put_u64(K(o, name), (v)))
#define J_B(name, v) (o = put_bool(K(o, name), (v)))
#define J_S(name, s, n) (o = put_str(b, K(o, name), (s), (n)))
#define J_P(name, s, n) (o = put_own(K(o, name), (s), (n)))
#define J_G(name, get) (o = put_get(b, o, ",\"" name "\":", sizeof(",\"" name "\":") - 1, (get), c))
/* A char array's string, up to its NUL or its end: a client's (escaped
 * where it must be) or the program's own. */
#define J_SA(name, arr) J_S(name, (arr), strnlen((arr), sizeof(arr)))
#define J_PA(name, arr) J_P(name, (arr), strnlen((arr), sizeof(arr)))

static char *put_bool(char *o, bool v)
{
    memcpy(o, v ? "true" : "false", v ? 4 : 5);
    return o + (v ? 4 : 5);
}

/* s[0..n) as sd_json_escape writes it: copied between quotes when every
 * byte is plain (what sd_json_escape leaves as it is), escaped otherwise. */
static char *put_str(sd_buf *b, char *o, const char *s, size_t n)
{
    if (sd_plain_run((const uint8_t *)s, n, '"', '\\') != n) {
        sd_buf_set_end(b, o);
        sd_json_escape(b, s, n);
        return sd_buf_room(b, REC_ROOM);
    }
    *o++ = '"';
    memcpy(o, s, n);
    o[n] = '"';
    return o + n + 1;
}

/* A string of the program's own (uid, history letters, state and service
 * names): plain by construction, so copied between quotes without the
 * test (checked under SD_DEBUG_INVARIANTS). */
static char *put_own(char *o, const char *s, size_t n)
{
    SD_CHECK(assert(sd_plain_run((const uint8_t *)s, n, '"', '\\') == n));
    *o++ = '"';
    memcpy(o, s, n);
    o[n] = '"';
    return o + n + 1;
}

static char *put_f(sd_buf *b, char *o, double v, int dec)
{
    char *e = sd_json_put_fixed(o, v, dec);
    if (e)
        return e;
    sd_buf_set_end(b, o); /* out of its range: the generic writer's printf */
    sd_json_val_f64(b, v, dec);
    return sd_buf_room(b, REC_ROOM);
}

static char *put_addr(sd_buf *b, char *o, const sd_addr *a)
{
    if (a->fam != 4) {
        char t[SD_ADDR_STRLEN];
        sd_addr_str(a, t, sizeof t);
        return put_str(b, o, t, strlen(t));
    }
    *o++ = '"'; /* the dotted quad, as sd_addr_str writes it */
    for (int i = 0; i < 4; i++) {
        unsigned v = a->a[i];
        if (i)
            *o++ = '.';
        if (v >= 100)
            *o++ = (char)('0' + v / 100);
        if (v >= 10)
            *o++ = (char)('0' + v / 10 % 10);
        *o++ = (char)('0' + v % 10);
    }
    *o++ = '"';
    return o;
}

/* A rare member through its getter (what the generic writer does). */
static char *put_get(sd_buf *b, char *o, const char *qk, size_t n, void (*get)(const void *, sd_fval *),
                     const sd_conn *c)
{
    sd_fval v;
    sd_fval_init(&v);
    get(c, &v);
    if (v.t == SD_FV_NULL)
        return o;
    memcpy(o, qk, n);
    sd_buf_set_end(b, o + n);
    sd_fval_json(b, &v);
    sd_fval_clear(&v);
    return sd_buf_room(b, REC_ROOM);
}

static char *put_local(char *o, const char *qk, size_t n, const sd_addr *a)
{
    int l = sd_site_is_local(a);
    if (l < 0)
        return o;
    memcpy(o, qk, n);
    return put_bool(o + n, l == 1);
}

/* The members of each direction, orig then resp (BOTH in FIELDS). */
#define J_UU(name, member) (J_U("orig_" name, c->d[0].member), J_U("resp_" name, c->d[1].member))
/* The same where each direction's own test holds (c->d[i].test):
 * a member the direction may not have. */
#define J_UU_IF(name, test, member)            \
    do {                                       \
        if (c->d[0].test)                      \
            J_U("orig_" name, c->d[0].member); \
        if (c->d[1].test)                      \
            J_U("resp_" name, c->d[1].member); \
    } while (0)

static char *put_optional(sd_buf *b, char *o, const sd_conn *c)
{
    const sd_dirstats *d0 = &c->d[0], *d1 = &c->d[1];
    if (c->reasm_on) {
        J_UU("stream_bytes", stream_bytes);
        J_UU("gap_bytes", gap_bytes);
        J_UU("inconsistent_bytes", inconsistent_bytes);
        J_U("inconsistencies", c->inconsistencies);
    }
    if (c->oow_segments) {
        J_U("out_of_window", c->oow_segments);
        J_U("out_of_window_frame", c->oow_first_frame);
    }
    if (c->reasm_on) {
        J_B("orig_truncated", d0->stream_truncated);
        J_B("resp_truncated", d1->stream_truncated);
        J_UU_IF("overlap_unchecked_bytes", unchecked_bytes, unchecked_bytes);
        J_UU_IF("urgent_bytes", urgent_bytes, urgent_bytes);
        J_UU_IF("overlap_policy_unapplied_bytes", policy_unapplied_bytes, policy_unapplied_bytes);
    }
    J_UU_IF("bad_checksums", bad_csum, bad_csum);
    if (c->history_dropped)
        J_U("history_dropped", c->history_dropped);
    return o;
}

/* The TCP connection's own counts and options, each direction's. */
static char *put_tcp(char *o, const sd_conn *c)
{
    J_UU("retrans_pkts", retrans_pkts);
    J_UU("retrans_bytes", retrans_bytes);
    J_UU("ooo_pkts", ooo_pkts);
    J_UU("dup_acks", dup_acks);
    J_UU("zero_windows", zero_windows);
    J_UU("keepalives", keepalives);
    J_UU_IF("wscale", wscale >= 0, wscale); /* (-1: not negotiated) */
    J_UU_IF("mss", mss, mss);
    J_UU_IF("win_min", win_seen, win_min);
    J_UU_IF("win_max", win_seen, win_max);
    return o;
}

/* What the first request said (HTTP) or the ClientHello (TLS): the
 * client's bytes, escaped where they must be. */
static char *put_app(sd_buf *b, char *o, const sd_conn *c)
{
    if (c->app.kind == 'h') {
        if (c->app.verb[0])
            J_SA("http_method", c->app.verb);
        if (c->app.name[0])
            J_SA("http_host", c->app.name);
        if (c->app.uri[0])
            J_SA("http_uri", c->app.uri);
    } else if (c->app.kind == 't') {
        if (c->app.name[0])
            J_SA("tls_sni", c->app.name);
        if (c->app.verb[0])
            J_SA("tls_version", c->app.verb);
        if (c->app.ja4[0])
            J_SA("ja4", c->app.ja4);
    }
    return o;
}

void sd_conn_json(sd_buf *b, const sd_conn *c, bool optional)
{
    static const char head[] = "{\"type\":\"conn\"";
    static const char *const orig_by[] = { "syn", "synack", "server_port", "first_packet" };
    const sd_dirstats *d0 = &c->d[0], *d1 = &c->d[1];
    bool tcp = c->ipproto == 6;
    char *o = sd_buf_room(b, REC_ROOM);
    memcpy(o, head, sizeof head - 1);
    o += sizeof head - 1;
    J_PA("uid", c->uid);
    J_U("stream", c->id);
    o = sd_json_put_ts(K(o, "ts"), c->start);
    o = K(o, "time");
    *o++ = '"';
    sd_ts_iso(c->start, o, ISO_ROOM);
    o += strnlen(o, ISO_ROOM);
    *o++ = '"';
    if (tcp || c->ipproto == 17) {
        J_P("proto", tcp ? "tcp" : "udp", 3);
    } else {
        char t[4];
        size_t n = (size_t)(sd_put_u64(t, c->ipproto) - t);
        J_S("proto", t, n);
    }
    if (c->service[0])
        J_PA("service", c->service);
    o = put_addr(b, K(o, "id.orig_h"), &c->orig_h);
    J_U("id.orig_p", c->orig_p);
    o = put_addr(b, K(o, "id.resp_h"), &c->resp_h);
    J_U("id.resp_p", c->resp_p);
    if (c->vlan)
        J_U("vlan", c->vlan);
    if (c->iface)
        J_U("iface", c->iface - 1u);
    if (c->nencap)
        J_G("encap", g_encap);
    o = sd_json_put_ts(K(o, "duration"), c->end - c->start);
    J_PA("conn_state", c->conn_state);
    o = put_local(o, ",\"local_orig\":", sizeof ",\"local_orig\":" - 1, &c->orig_h);
    o = put_local(o, ",\"local_resp\":", sizeof ",\"local_resp\":" - 1, &c->resp_h);
    J_PA("history", c->history);
    J_UU("pkts", pkts);
    J_UU("bytes", bytes);
    if (tcp)
        J_U("missed_bytes", d0->missed_bytes + d1->missed_bytes);
    J_UU("payload_bytes", payload_bytes);
    J_UU("ip_bytes", ip_bytes);
    J_UU("wire_bytes", wire_bytes);
    if (c->rtt_syn_synack >= 0)
        o = put_f(b, K(o, "syn_synack_ms"), (double)c->rtt_syn_synack / 1e6, 3);
    if (c->rtt_synack_ack >= 0)
        o = put_f(b, K(o, "synack_ack_ms"), (double)c->rtt_synack_ack / 1e6, 3);
    if (tcp)
        o = put_tcp(o, c);
    J_UU_IF("ttl_min", pkts, ttl_min);
    J_UU_IF("ttl_max", pkts, ttl_max);
    if (c->first_fin_dir >= 0) {
        J_P("first_fin", dir_name(c->first_fin_dir), 4);
        J_U("first_fin_frame", c->first_fin_frame);
    }
    if (c->first_rst_dir >= 0) {
        J_P("first_rst", dir_name(c->first_rst_dir), 4);
        J_U("first_rst_frame", c->first_rst_frame);
    }
    if (c->rst_challenged) {
        J_U("rst_challenged", c->rst_challenged);
        J_U("rst_challenged_frame", c->rst_challenged_frame);
    }
    if (c->rst_untaken) {
        J_U("rst_untaken", c->rst_untaken);
        J_U("rst_untaken_frame", c->rst_untaken_frame);
    }
    J_U("open_at_end", c->open_at_end);
    J_U("orig_open_at_end", c->orig_open_at_end);
    if (tcp) {
        J_B("midstream", c->midstream);
        if (c->orig_by < SD_ARRAY_LEN(orig_by))
            J_P("orig_by", orig_by[c->orig_by], strlen(orig_by[c->orig_by]));
    }
    if (optional)
        o = put_optional(b, o, c);
    J_B("expired", c->expired);
    if (c->evicted)
        J_B("evicted", true);
    J_U("first_frame", c->first_frame);
    J_G("file", g_file);
    J_G("file_first_frame", g_file_first_frame);
    J_U("last_frame", c->last_frame);
    o = put_app(b, o, c);
    memcpy(o, "}\n", 2);
    sd_buf_set_end(b, o + 2);
}
