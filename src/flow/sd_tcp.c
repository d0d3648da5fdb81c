#include "sd_tcp.h"

#include "sd_engine.h" /* SD_TTL_ROUTE_SLACK */

#include <assert.h>
#include <string.h>

static void note_options(sd_conn *c, const sd_pkt *p, int dir)
{
    sd_dirstats *d = &c->d[dir];
    if (p->opt.has_mss)
        d->mss = p->opt.mss;
    if (p->opt.sack_ok)
        d->sack_ok = true;
    if (p->opt.has_ts)
        d->ts_ok = true;
    d->auth_syn = p->opt.auth != 0;
    if (p->opt.has_wscale)
        d->wscale = p->opt.wscale > SD_TCP_WSCALE_MAX ? SD_TCP_WSCALE_MAX : p->opt.wscale;
}

/* A copy of the SYN (its ISN) before any SYN-ACK may carry other options
 * (a stack that retries without them, a middlebox that stripped the first
 * one's): the SYN-ACK answers the last one its listener got, as a listener
 * answers each at once, so that one's options stand (RFC 7323 2.2: a SYN-ACK
 * carries window scaling only in answer to a SYN that did; tshark takes the
 * last SYN's too). After the SYN-ACK a copy changes nothing: the listener in
 * SYN-RECEIVED re-sends its answer and keeps its options (Linux's
 * tcp_check_req). Hostile round 25, syn_retx_opts. */
static void renote_syn_options(sd_conn *c, const sd_pkt *p)
{
    sd_dirstats *d = &c->d[SD_DIR_ORIG];
    if (c->saw_synack || !d->isn_set || p->seq != d->isn)
        return;
    d->mss = 0;
    d->sack_ok = d->ts_ok = d->auth_syn = false;
    d->wscale = -1;
    note_options(c, p, SD_DIR_ORIG);
}

static void handshake(sd_conn *c, const sd_pkt *p, int dir, sd_ts ts)
{
    bool syn = p->flags & SD_TH_SYN, ack = p->flags & SD_TH_ACK;
    if (syn && !ack && dir == SD_DIR_ORIG && !c->saw_syn) {
        c->saw_syn = true;
        c->syn_ts = ts;
        c->syn_frame = p->frame->num;
        note_options(c, p, dir);
    } else if (syn && !ack && dir == SD_DIR_ORIG) {
        renote_syn_options(c, p);
    } else if (syn && ack && dir == SD_DIR_RESP && !c->saw_synack) {
        c->saw_synack = true;
        c->synack_ts = ts;
        c->synack_frame = p->frame->num;
        note_options(c, p, dir);
        if (c->saw_syn)
            c->rtt_syn_synack = ts - c->syn_ts;
        /* window scaling is on only if both SYNs carried the option */
        if (!c->saw_syn || c->d[SD_DIR_ORIG].wscale < 0 || c->d[SD_DIR_RESP].wscale < 0)
            c->d[0].wscale = c->d[1].wscale = -1;
    } else if (!syn && ack && dir == SD_DIR_ORIG && c->saw_synack && !c->hs_ack_ts &&
               p->ack == c->d[SD_DIR_RESP].isn + 1) {
        c->hs_ack_ts = ts;
        c->rtt_synack_ack = ts - c->synack_ts;
        c->established = true;
    }
    if (syn && !c->d[dir].isn_set) {
        c->d[dir].isn = p->seq;
        c->d[dir].isn_set = true;
        c->d[dir].ttl_syn = p->ttl; /* what its later segments' TTLs are judged by (sd_engine.c) */
    }
}

uint64_t sd_tcp_scaled_win(const sd_conn *c, const sd_pkt *p, int dir)
{
    /* windows in SYN segments are never scaled (RFC 7323 §2.2) */
    if (p->flags & SD_TH_SYN)
        return p->win;
    int ws = c->saw_syn && c->saw_synack ? c->d[dir].wscale : -1;
    return ws > 0 ? (uint64_t)p->win << ws : p->win;
}

uint32_t sd_tcp_rel_seq(const sd_conn *c, int dir, uint32_t seq)
{
    return seq - c->d[dir].seq_base;
}

/* Bases for relative numbers as Wireshark picks them: the ISN, else one
 * below the first sequence number seen, else (one-sided capture) one below
 * the first ACK the other side sent. */
static void set_bases(sd_conn *c, const sd_pkt *p, int dir)
{
    sd_dirstats *d = &c->d[dir], *peer = &c->d[!dir];
    bool syn = p->flags & SD_TH_SYN;
    if ((!d->base_set && !(p->flags & SD_TH_RST)) || (syn && !d->isn_set)) {
        d->seq_base = syn ? p->seq : p->seq - 1;
        d->base_set = true;
    }
    if (!peer->base_set && (p->flags & SD_TH_ACK)) {
        peer->seq_base = p->ack - 1;
        peer->base_set = true;
    }
}

/* Segment length in sequence space: SYN and FIN take one number each. */
static uint32_t seq_len(const sd_pkt *p)
{
    return p->payload_wire + !!(p->flags & SD_TH_SYN) + !!(p->flags & SD_TH_FIN);
}

static void hole_add(sd_tcptrack *t, uint32_t from, uint32_t to, sd_ts ts)
{
    if (!t->holes)
        t->holes = sd_malloc(sizeof *t->holes);
    sd_tcpholes *h = t->holes;
    if (t->nholes == SD_TCP_HOLES) { /* forget the oldest: bounded state */
        memmove(&h->r[0], &h->r[1], sizeof h->r[0] * (SD_TCP_HOLES - 1));
        memmove(&h->ts[0], &h->ts[1], sizeof h->ts[0] * (SD_TCP_HOLES - 1));
        t->nholes--;
    }
    h->r[t->nholes][0] = from;
    h->r[t->nholes][1] = to;
    h->ts[t->nholes] = ts;
    t->nholes++;
}

/* If [s, e) touches a known hole, shrinks the hole and returns the time the
 * hole appeared; else returns -1. */
static sd_ts hole_fill(sd_tcptrack *t, uint32_t s, uint32_t e)
{
    sd_tcpholes *h = t->holes;
    for (int i = 0; i < t->nholes; i++) {
        uint32_t hs = h->r[i][0], he = h->r[i][1];
        if (!(SD_SEQ_LT(s, he) && SD_SEQ_GT(e, hs)))
            continue;
        sd_ts born = h->ts[i];
        if (SD_SEQ_LEQ(s, hs) && SD_SEQ_GEQ(e, he)) { /* filled */
            memmove(&h->r[i], &h->r[i + 1], sizeof h->r[0] * (size_t)(t->nholes - i - 1));
            memmove(&h->ts[i], &h->ts[i + 1], sizeof h->ts[0] * (size_t)(t->nholes - i - 1));
            t->nholes--;
        } else if (SD_SEQ_LEQ(s, hs)) {
            h->r[i][0] = e;
        } else if (SD_SEQ_GEQ(e, he)) {
            h->r[i][1] = s;
        } else { /* split: keep the front part, the back part becomes new */
            h->r[i][1] = s;
            if (t->nholes < SD_TCP_HOLES)
                hole_add(t, e, he, born);
        }
        return born;
    }
    return -1;
}

/* Sequence analysis of a segment carrying data, SYN or FIN. */
static unsigned analyze_seq(sd_flow *f, const sd_pkt *p, int dir, sd_ts ts)
{
    sd_tcptrack *t = &f->t[dir];
    sd_tcptrack *peer = &f->t[!dir];
    uint32_t len = seq_len(p);
    uint32_t s = p->seq, e = p->seq + len;
    unsigned r = 0;
    if (!t->started && (p->flags & SD_TH_RST) && !p->payload_wire)
        return 0; /* a bare RST may carry any sequence number (injection): don't start from it */
    if (!t->started) {
        t->started = true;
        t->max_end = e;
        return 0;
    }
    bool pure = !(p->flags & (SD_TH_SYN | SD_TH_FIN | SD_TH_RST));
    /* keep-alive: zero or one byte at max_end - 1 (RFC 1122 §4.2.3.6) */
    if (pure && p->payload_wire <= 1 && s == t->max_end - 1)
        return SD_TA_KEEPALIVE;
    /* window probe: one byte at max_end into a zero window */
    if (pure && p->payload_wire == 1 && s == t->max_end && peer->acked_any && peer->last_win == 0)
        r |= SD_TA_WINPROBE;
    if (len == 0)
        return r;
    if (SD_SEQ_GT(s, t->max_end)) {
        hole_add(t, t->max_end, s, ts);
        r |= SD_TA_LOST_PREV;
    }
    if (SD_SEQ_LT(s, t->max_end)) {
        sd_ts born = hole_fill(t, s, SD_SEQ_LT(e, t->max_end) ? e : t->max_end);
        int64_t thr = f->c.rtt_syn_synack > 0 ? f->c.rtt_syn_synack : SD_TCP_OOO_DEFAULT_NS;
        if (born >= 0 && ts - born < thr)
            r |= SD_TA_OOO;
        else
            r |= SD_TA_RETRANS;
    }
    if (SD_SEQ_GT(e, t->max_end))
        t->max_end = e;
    return r;
}

static unsigned analyze_ack(sd_flow *f, const sd_pkt *p, int dir, unsigned seqr)
{
    sd_tcptrack *t = &f->t[dir];
    unsigned r = 0;
    if (!(p->flags & SD_TH_ACK))
        return 0;
    bool pure = p->payload_wire == 0 && !(p->flags & (SD_TH_SYN | SD_TH_FIN | SD_TH_RST));
    /* Wireshark's tcp.analysis.duplicate_ack, so an analyst can find each
     * one with that filter: no payload, no SYN/FIN/RST, the same ACK and the
     * same non-zero window as this direction's last segment, sent at its
     * next sequence number, and not the answer to a keep-alive or window
     * probe. Unlike RFC 5681 §2 it does not ask that data be outstanding:
     * a repeated ACK after the peer's last byte counts too. */
    if (t->acked_any && pure && !(seqr & SD_TA_KEEPALIVE)) {
        if (p->ack == t->last_ack && p->win == t->last_win && p->win != 0 && p->seq == t->max_end &&
            !f->t[!dir].last_probe)
            r |= SD_TA_DUPACK;
        else if (p->ack == t->last_ack && p->win != t->last_win)
            r |= SD_TA_WINUPDATE;
    }
    if (p->win == 0 && !(p->flags & (SD_TH_SYN | SD_TH_FIN | SD_TH_RST)))
        r |= SD_TA_ZEROWIN;
    t->last_ack = p->ack;
    t->last_win = p->win;
    t->acked_any = true;
    return r;
}

/* Sets an endpoint's Zeek state, remembering the one before (Zeek's
 * prev_state: "closed after being established" is a clean close). */
static void zset(sd_conn *c, int dir, uint8_t s)
{
    if (c->zstate[dir] != s) {
        c->zprev[dir] = c->zstate[dir];
        c->zstate[dir] = s;
    }
}

/* Zeek's endpoint state machine, enough of it for conn_state: the states
 * an endpoint passes through as it sends SYN, SYN-ACK, ACK, FIN, RST. */
static void zeek_state(sd_conn *c, const sd_pkt *p, int dir)
{
    uint8_t e = c->zstate[dir], peer = c->zstate[!dir];
    uint8_t fl = p->flags;
    if (fl & SD_TH_RST) {
        /* after a FIN exchange a RST changes nothing: the connection
         * already ended normally (Zeek's UpdateClosedState keeps SF) */
        if (!(e == SD_ZS_CLOSED && peer == SD_ZS_CLOSED))
            zset(c, dir, SD_ZS_RESET);
    } else if (fl & SD_TH_FIN) {
        if (e != SD_ZS_RESET)
            zset(c, dir, SD_ZS_CLOSED);
    } else if ((fl & SD_TH_SYN) && (fl & SD_TH_ACK)) {
        if (e == SD_ZS_INACTIVE || e == SD_ZS_SYN_SENT)
            zset(c, dir, SD_ZS_SYN_ACK_SENT);
    } else if (fl & SD_TH_SYN) {
        if (e == SD_ZS_INACTIVE)
            zset(c, dir, SD_ZS_SYN_SENT);
    } else if (peer == SD_ZS_SYN_ACK_SENT && (e == SD_ZS_INACTIVE || e == SD_ZS_SYN_SENT)) {
        zset(c, dir, SD_ZS_ESTABLISHED); /* the ACK that completes the handshake */
        zset(c, !dir, SD_ZS_ESTABLISHED);
    } else if (e == SD_ZS_INACTIVE) {
        zset(c, dir, SD_ZS_PARTIAL);
    } else if (e == SD_ZS_SYN_ACK_SENT && peer == SD_ZS_ESTABLISHED) {
        zset(c, dir, SD_ZS_ESTABLISHED);
    }
}

/* Zeek's T (update_last_seq): payload that reaches no further than this
 * side's highest sequence number so far. A segment that starts below it
 * but carries new bytes past it is no T for Zeek (Wireshark still calls it
 * a retransmission, and retrans_pkts counts it). Nothing counts once the
 * side reset, nor a SYN or RST more than a megabyte off (Zeek's
 * TOO_LARGE_SEQ_DELTA: a forged number, not a resend); a RST's payload is
 * no sequence space. */
#define ZEEK_TOO_LARGE_SEQ_DELTA 1048576
static bool zeek_rxmit(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_tcptrack *t = &f->t[dir];
    if (!p->payload_wire || !t->started || f->c.zstate[dir] == SD_ZS_RESET)
        return false;
    uint32_t end = p->seq + seq_len(p) - ((p->flags & SD_TH_RST) ? p->payload_wire : 0);
    int32_t delta = sd_seq_diff(end, t->max_end);
    if ((p->flags & (SD_TH_SYN | SD_TH_RST)) && (delta > ZEEK_TOO_LARGE_SEQ_DELTA || delta < -ZEEK_TOO_LARGE_SEQ_DELTA))
        return false;
    return delta <= 0;
}

/* Zeek's ESTABLISHED: it makes both sides established at the SYN-ACK,
 * where this tracker waits for the third packet. */
static bool z_established(uint8_t s, uint8_t peer)
{
    return s == SD_ZS_ESTABLISHED || s == SD_ZS_SYN_ACK_SENT ||
           (s == SD_ZS_SYN_SENT && peer == SD_ZS_SYN_ACK_SENT);
}

/* Zeek reports content gaps only while both sides are established or
 * closed straight from established (TCP_Reassembler::Gap): elsewhere a
 * gap comes from RST sequence numbers or a partial connection's unseen
 * start, not from lost data. */
static bool gaps_reliable(const sd_conn *c)
{
    for (int d = 0; d < 2; d++) {
        uint8_t s = c->zstate[d];
        bool clean = z_established(s, c->zstate[!d]) ||
                     (s == SD_ZS_CLOSED && z_established(c->zprev[d], SD_ZS_INACTIVE));
        if (!clean)
            return false;
    }
    return true;
}

/* Zeek's size: how far the data sequence numbers reached. A RST does not
 * count: its payload is no stream data (RFC 9293 3.5.3: the receiver aborts;
 * Zeek leaves it out of orig_bytes), and an injected RST with a forged
 * sequence number must not make the stream look gigabytes long (Zeek's
 * rst-inject-rae trace). */
static void track_size(sd_conn *c, sd_tcptrack *t, const sd_pkt *p, int dir)
{
    bool syn = p->flags & SD_TH_SYN;
    if (p->flags & SD_TH_RST)
        return;
    /* after its FIN an endpoint's ACKs sit one past its last byte */
    if (t->fin_sent && !p->payload_wire)
        return;
    if (p->flags & SD_TH_FIN)
        t->fin_sent = true;
    uint32_t start = p->seq + syn;
    if (!t->data_started) {
        t->data_started = true;
        t->data_hi = start;
    }
    uint32_t end = start + p->payload_wire;
    if (SD_SEQ_GT(end, t->data_hi)) {
        t->data_span += (uint32_t)(end - t->data_hi);
        t->data_hi = end;
    }
    c->d[dir].bytes = t->data_span;
}

/* The sequence space the capture shows of this side, for its content
 * gaps: every segment but a RST (whose payload is no stream data). */
static void gap_segment(sd_tcpgap *g, const sd_pkt *p)
{
    if (p->flags & SD_TH_RST)
        return;
    bool syn = p->flags & SD_TH_SYN;
    sd_tcpgap_segment(g, p->seq + syn, p->payload_wire, p->payload_len, p->flags & SD_TH_FIN);
}

/* p ACKs the peer's data: what it ACKs that the capture never held is a
 * content gap (Zeek's G, missed_bytes). */
static void acked_gaps(sd_flow *f, const sd_pkt *p, int dir)
{
    if (!(p->flags & SD_TH_ACK))
        return;
    sd_tcpgap_found r = sd_tcpgap_ack(&f->t[!dir].gap, p->ack);
    if (!r.bytes || !gaps_reliable(&f->c))
        return;
    f->c.d[!dir].missed_bytes += r.bytes;
    for (uint32_t i = 0; i < r.ranges; i++)
        sd_tcphist_scaled(&f->c, &f->t[!dir].hist, SD_HIST_G, !dir);
}

/* RFC 9293 §3.10.7.4 (RFC 5961 §3.2): a RST is valid only if its sequence
 * number is in the receiver's window. One far outside it in an established
 * connection is a blind attacker's guess: it keeps Zeek's R and conn_state
 * (Zeek does not check) but does not close the connection, which would
 * give it a closed one's linger and make it the first evicted. The window
 * allowed is the largest the receiver advertised, and at least the largest
 * unscaled one, as the capture point may see the RST before the receiver
 * has caught up.
 *
 * Inside the window, only a RST at exactly the receiver's next expected
 * number resets (RFC 5961 §3.2, Linux since 3.6, the BSDs, Windows); any
 * other is answered with a challenge ACK and the connection goes on: a
 * blind attacker who guessed a number in the window has not reset it. The
 * receiver's next expected number is the sender's highest sequence seen
 * (max_end) or what the receiver last ACKed (the RST of a stack answering
 * a segment carries that segment's ACK); after its FIN a stack may send
 * the FIN's own number (ssh_version_199.pcap, SSHniff's captures). Such a RST keeps Zeek's letter
 * and conn_state too but leaves the connection open: if its sender really
 * reset, it answers the challenge ACK with an exact RST (which closes), or
 * the connection falls silent and times out as an established one. */
#define RST_MIN_WINDOW 65535
enum { RST_NONE, RST_EXACT, RST_OUT_OF_WINDOW, RST_CHALLENGE };
static int rst_class(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_tcptrack *t = &f->t[dir], *peer = &f->t[!dir];
    if (!(p->flags & SD_TH_RST))
        return RST_NONE;
    if (!f->c.established || !t->started)
        return RST_EXACT; /* no window known: believed, as before a handshake */
    uint64_t win = f->c.d[!dir].win_max > RST_MIN_WINDOW ? f->c.d[!dir].win_max : RST_MIN_WINDOW;
    int64_t off = sd_seq_diff(p->seq, t->max_end);
    if ((uint64_t)(off < 0 ? -off : off) > win)
        return RST_OUT_OF_WINDOW;
    if (off == 0 || (t->fin_sent && off == -1) || (peer->acked_any && p->seq == peer->last_ack))
        return RST_EXACT;
    return RST_CHALLENGE;
}

/* A RST that closed the connection (exact: the receiver takes it) but
 * whose receiver then ACKs bytes past it never reached that receiver: a
 * RST whose TTL ran out between the capture point and the receiver (Ptacek
 * & Newsham's insertion), or dropped on the way. The connection is open
 * again: closed, it would linger 30 s and the rest of it, after any longer
 * pause, would be another, mid-stream connection (whose SSH is not read). */
/* p (no RST) ACKs past mark: its sender went on in the sequence spaces */
static inline bool acks_past(const sd_pkt *p, uint32_t mark)
{
    return (p->flags & SD_TH_ACK) && !(p->flags & SD_TH_RST) && SD_SEQ_GT(p->ack, mark);
}

static void rst_untaken(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_tcptrack *peer = &f->t[!dir];
    sd_conn *c = &f->c;
    if (!peer->rst_closed || !acks_past(p, peer->rst_seq))
        return;
    peer->rst_closed = false;
    if (!c->rst_untaken++)
        c->rst_untaken_frame = p->frame->num;
    c->closed = c->fin_seen[0] && c->fin_seen[1];
}

/* A FIN or RST whose TTL is more than SD_TTL_ROUTE_SLACK below its side's
 * SYN's may die between the capture point and its receiver (Ptacek and
 * Newsham's insertion, as sd_engine.c ttl_low judges data; hostile round
 * 24's ctl_ttl_low): taken as it comes, its effects kept to undo. A real
 * close so judged (a middlebox's reset with its own TTL, a capture on the
 * receiving host, where a TTL of 1 still arrives) stays: its receiver
 * never ACKs past it. Judged only with both SYNs seen. */
static void ctl_low_note(sd_flow *f, const sd_pkt *p, int dir, const sd_ctl_before *b)
{
    const sd_conn *c = &f->c;
    sd_tcptrack *t = &f->t[dir];
    if (!c->saw_syn || !c->saw_synack) /* a FIN or RST: general() calls only for those */
        return;
    bool low = p->ttl + SD_TTL_ROUTE_SLACK < c->d[dir].ttl_syn;
    /* a FIN or RST at the side's own TTL after a low one: its receiver
     * takes that one, and an ACK past the low one (one ACK of the data
     * and the real FIN, delayed) must not undo it (forged FIN at TTL 1,
     * the real server's data and FIN, then the client's one ACK: S2) */
    if (t->ctl_low && !low)
        t->ctl_low = false;
    if (t->ctl_low || !low)
        return;
    uint32_t end = p->seq + p->payload_wire;
    t->ctl_low = true;
    t->ctl_low_before = *b;
    /* a receiver that took a FIN ACKs its number + 1, one that took a RST
     * nothing new; past that it read on (the sender's highest number: an
     * ACK of bytes sent before, crossing it, is no sign) */
    end += !!(p->flags & SD_TH_FIN) && !(p->flags & SD_TH_RST);
    t->ctl_low_ack = SD_SEQ_GT(t->max_end, end) ? t->max_end : end;
    t->ctl_low_frame = p->frame->num;
}

/* The receiver of a FIN or RST ctl_low_note kept ACKs past it: it never
 * got it, so the sender's side is as before it (conn_state, the close);
 * the history keeps its letter (what the capture showed), `packets` its
 * row. */
static void ctl_low_untaken(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_tcptrack *peer = &f->t[!dir];
    sd_conn *c = &f->c;
    if (!peer->ctl_low || !acks_past(p, peer->ctl_low_ack))
        return;
    peer->ctl_low = false;
    const sd_ctl_before *b = &peer->ctl_low_before;
    c->zstate[!dir] = b->zstate;
    c->zprev[!dir] = b->zprev;
    c->fin_seen[!dir] = b->fin_seen;
    c->rst_seen[!dir] = b->rst_seen;
    peer->fin_sent = b->fin_sent;
    if (c->first_fin_dir == !dir && c->first_fin_frame == peer->ctl_low_frame)
        c->first_fin_dir = -1;
    if (c->first_rst_dir == !dir && c->first_rst_frame == peer->ctl_low_frame)
        c->first_rst_dir = -1;
    peer->rst_closed = false;
    c->closed = c->fin_seen[0] && c->fin_seen[1];
}

static void end_flags(sd_conn *c, const sd_pkt *p, int dir, bool rst_valid)
{
    if ((p->flags & SD_TH_FIN) && !c->fin_seen[dir]) {
        c->fin_seen[dir] = true;
        if (c->first_fin_dir < 0) {
            c->first_fin_dir = dir;
            c->first_fin_frame = p->frame->num;
        }
    }
    if ((p->flags & SD_TH_RST) && !c->rst_seen[dir]) {
        c->rst_seen[dir] = true;
        if (c->first_rst_dir < 0) {
            c->first_rst_dir = dir;
            c->first_rst_frame = p->frame->num;
        }
    }
    if (((p->flags & SD_TH_RST) && rst_valid) || (c->fin_seen[0] && c->fin_seen[1]))
        c->closed = true;
}

static void window_stats(sd_conn *c, const sd_pkt *p, int dir)
{
    if (p->flags & (SD_TH_SYN | SD_TH_RST))
        return;
    sd_dirstats *d = &c->d[dir];
    uint64_t w = sd_tcp_scaled_win(c, p, dir);
    if (!d->win_seen) {
        d->win_seen = true;
        d->win_min = d->win_max = w;
        return;
    }
    if (w < d->win_min)
        d->win_min = w;
    if (w > d->win_max)
        d->win_max = w;
}

/* A SYN(-ACK) retry with another ISN before any data of its direction:
 * the endpoint re-chose its sequence space, or a stale answer crossed a new
 * one (suricata-verify tcp-fastopen-10-syn-data-ignore: two ISNs 1.18 G
 * apart). Counting it as sequence progress would invent a gigabyte-long
 * stream, so it is remembered, not tracked, until the peer's ACK of ISN+1
 * says which one the connection uses. */
static bool other_isn_syn(sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_dirstats *d = &f->c.d[dir];
    if (!(p->flags & SD_TH_SYN) || !d->isn_set || p->seq == d->isn || f->t[dir].data_span)
        return false;
    f->t[dir].alt_isn = p->seq;
    f->t[dir].alt_isn_set = true;
    return true;
}

/* The peer ACKs the remembered ISN + 1: that one is the connection's. */
static void adopt_acked_isn(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_tcptrack *t = &f->t[!dir];
    sd_dirstats *d = &f->c.d[!dir];
    if (!(p->flags & SD_TH_ACK) || !t->alt_isn_set || t->data_span || p->ack != t->alt_isn + 1)
        return;
    uint32_t old = d->isn;
    d->isn = d->seq_base = t->alt_isn;
    t->alt_isn = old;
    t->max_end = t->data_hi = d->isn + 1;
    t->nholes = 0;
    sd_tcpgap_restart(&t->gap, d->isn + 1);
}

static void count_analysis(sd_dirstats *d, const sd_pkt *p, unsigned r)
{
    if (r & SD_TA_RETRANS) {
        d->retrans_pkts++;
        d->retrans_bytes += p->payload_wire;
    }
    d->ooo_pkts += !!(r & SD_TA_OOO);
    d->dup_acks += !!(r & SD_TA_DUPACK);
    d->zero_windows += !!(r & SD_TA_ZEROWIN);
    d->keepalives += !!(r & SD_TA_KEEPALIVE);
    d->window_probes += !!(r & SD_TA_WINPROBE);
}

/* Both Zeek endpoints ESTABLISHED and the handshake's bookkeeping done:
 * zeek_state, handshake and set_bases change nothing (a FIN or RST of
 * either side would have left ESTABLISHED for good), and the history flags
 * at most add this side's D or A the first time (in_order_segment). */
static inline bool conn_steady(const sd_conn *c, const sd_tcptrack *t)
{
    return c->zstate[0] == SD_ZS_ESTABLISHED && c->zstate[1] == SD_ZS_ESTABLISHED && c->established &&
           (c->hs_ack_ts || !c->saw_synack) && c->d[0].base_set && c->d[1].base_set && t->hist.based &&
           t->data_started && !t->fin_sent;
}

/* A direction's tracking as at its start, but for its history letters. */
static void track_restart(sd_tcptrack *t)
{
    sd_tcphist keep = t->hist;
    sd_tcpholes *holes = t->holes; /* the flow's to free, emptied by nholes 0 */
    sd_tcpgap_free(&t->gap);
    memset(t, 0, sizeof *t);
    t->hist = keep;
    t->holes = holes;
}

#ifdef SD_DEBUG_INVARIANTS
/* t as track_restart leaves it. */
static bool track_clear(const sd_tcptrack *t)
{
    sd_tcptrack z;
    memset(&z, 0, sizeof z);
    z.hist = t->hist;
    z.holes = t->holes;
    return memcmp(&z, t, sizeof z) == 0;
}
#endif

/* Whether a direction's tracking moved since its start: every segment
 * the general path reads sets started (analyze_seq), but a bare RST
 * without data, which sets acked_any if it carries an ACK; the fast path
 * and the peer's segments change a direction only once it started, and
 * paws_note (sd_engine.c) a SYN's after its ISN is set or data's. */
static inline bool track_moved(const sd_tcptrack *t)
{
    return t->started || t->acked_any;
}

static unsigned general(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_conn *c = &f->c;
    sd_tcptrack *t = &f->t[dir];
    sd_ts ts = p->frame->ts;
    /* a direction's sequence space starts at its SYN: forget what a bare
     * ACK before it suggested (split handshakes send one first). Nothing
     * to forget on most (a flow's first SYN, the SYN-ACK of a plain
     * handshake): ~80 instructions twice a connection not spent (issue #11). */
    if ((p->flags & SD_TH_SYN) && !c->d[dir].isn_set && t->data_span == 0) {
        if (track_moved(t))
            track_restart(t);
        SD_CHECK(assert(track_clear(t)));
        c->d[dir].base_set = false;
    }
    /* Zeek's order: flag letters from the state before this packet */
    sd_tcphist_flags(c, &t->hist, p, dir, c->zstate[dir], c->zprev[dir]);
    if (other_isn_syn(f, p, dir)) {
        c->d[dir].retrans_pkts++; /* a SYN(-ACK) retry, as with the same ISN */
        return SD_TA_RETRANS;
    }
    adopt_acked_isn(f, p, dir);
    set_bases(c, p, dir);
    handshake(c, p, dir, ts);
    if (!c->established && c->saw_synack && (p->flags & SD_TH_ACK) && !(p->flags & SD_TH_SYN) &&
        dir == SD_DIR_ORIG)
        c->established = true;
    bool z_rxmit = zeek_rxmit(f, p, dir);
    /* Zeek's W (update_window): a zero window, SYN and FIN included, but
     * not on a RST, after this side's RST or once the peer closed */
    bool z_win0 = p->win == 0 && !(p->flags & SD_TH_RST) && c->zstate[!dir] != SD_ZS_CLOSED &&
                  c->zstate[dir] != SD_ZS_RESET;
    /* what a FIN or RST changes, for ctl_low_note to keep: only those can
     * be undone, and most packets are neither (issue #11: a snapshot of
     * every packet was ~60 instructions a brute-force connection) */
    const bool ctl = p->flags & (SD_TH_FIN | SD_TH_RST);
    sd_ctl_before before;
    if (ctl)
        before = (sd_ctl_before){ c->zstate[dir], c->zprev[dir], c->fin_seen[dir], c->rst_seen[dir], t->fin_sent };
    zeek_state(c, p, dir);
    if (c->zstate[0] == SD_ZS_ESTABLISHED && c->zstate[1] == SD_ZS_ESTABLISHED)
        c->established = true;
    int rst = rst_class(f, p, dir); /* before this RST moves the sequence marks */
    unsigned r = analyze_seq(f, p, dir, ts);
    r |= analyze_ack(f, p, dir, r);
    t->last_probe = r & (SD_TA_KEEPALIVE | SD_TA_WINPROBE);
    track_size(c, t, p, dir);
    sd_dirstats *d = &c->d[dir];
    if (z_win0)
        sd_tcphist_scaled(c, &t->hist, SD_HIST_W, dir);
    if (z_rxmit)
        sd_tcphist_scaled(c, &t->hist, SD_HIST_T, dir);
    gap_segment(&t->gap, p);
    acked_gaps(f, p, dir); /* after the state: Zeek's AckReceived */
    if (r) /* most segments are none of these: six counters left alone */
        count_analysis(d, p, r);
    window_stats(c, p, dir);
    rst_untaken(f, p, dir);
    ctl_low_untaken(f, p, dir);
    end_flags(c, p, dir, rst == RST_EXACT);
    if (ctl)
        ctl_low_note(f, p, dir, &before);
    if (rst == RST_EXACT && c->established && t->started) {
        /* the sender's highest number: an ACK of bytes it sent before the
         * RST (crossing it) is no sign the RST was missed */
        t->rst_closed = true;
        t->rst_seq = SD_SEQ_GT(t->max_end, p->seq) ? t->max_end : p->seq;
    }
    if (rst == RST_CHALLENGE && !c->rst_challenged++)
        c->rst_challenged_frame = p->frame->num;
    return r | (rst == RST_OUT_OF_WINDOW ? SD_TA_RST_INVALID : 0) | (rst == RST_CHALLENGE ? SD_TA_RST_CHALLENGE : 0);
}

unsigned sd_tcp_packet_general(sd_flow *f, const sd_pkt *p, int dir)
{
    unsigned r = general(f, p, dir);
    f->t[0].steady = conn_steady(&f->c, &f->t[0]);
    f->t[1].steady = conn_steady(&f->c, &f->t[1]);
    return r;
}

/* ---- the fast path: the next in-order segment of an established
 * connection ----
 *
 * Most segments of a capture carry the next bytes (or a new ACK) of a
 * connection both sides established, and nothing of the general path can
 * fire on them: no handshake, ISN, base or Zeek state change, no hole,
 * retransmission, keep-alive, probe, duplicate ACK, zero window or gap.
 * sd_tcp_in_order says when that holds; the fast path then makes only the
 * updates the general path would make. SD_DEBUG_INVARIANTS builds run the
 * general path on a copy of the flow and assert the same state. */

/* This side's content-gap tracker sees the segment right at its top, all
 * of it captured: sd_tcpgap_segment would only raise hi. */
static inline bool gap_next(const sd_tcpgap *g, const sd_pkt *p)
{
    return g->started && p->seq == g->hi && p->payload_len >= p->payload_wire;
}

/* The peer's tracker and this ACK: nothing pending, no range missing, the
 * ACK within what was seen and no FIN to cap it: sd_tcpgap_ack would only
 * move settled up and find nothing. */
static inline bool gap_ack_plain(const sd_tcpgap *g, uint32_t ack)
{
    return g->started && !g->n && !g->pend_ranges && !g->fin && SD_SEQ_LEQ(ack, g->hi);
}

static inline bool in_order(const sd_flow *f, const sd_tcptrack *t, const sd_tcptrack *peer, const sd_pkt *p)
{
    if ((p->flags & (SD_TH_SYN | SD_TH_FIN | SD_TH_RST | SD_TH_URG | SD_TH_ACK)) != SD_TH_ACK || !p->win)
        return false;
    if (p->seq != t->max_end || !t->started || peer->alt_isn_set)
        return false;
    /* analyze_seq's window probe and analyze_ack's duplicate ACK and
     * window update cannot fire */
    if (p->payload_wire == 1 && peer->acked_any && peer->last_win == 0)
        return false;
    if (!p->payload_wire && t->acked_any && p->ack == t->last_ack)
        return false;
    return t->steady && gap_next(&t->gap, p) && gap_ack_plain(&peer->gap, p->ack);
}

bool sd_tcp_in_order(const sd_flow *f, const sd_pkt *p, int dir)
{
    return in_order(f, &f->t[dir], &f->t[!dir], p);
}

/* What the general path changes for such a segment, and nothing else. */
static inline void in_order_segment(sd_flow *f, sd_tcptrack *t, sd_tcptrack *peer, const sd_pkt *p, int dir)
{
    sd_conn *c = &f->c;
    /* a side's first data or first pure ACK once established (each
     * connection's two banners on a brute force): its letter, as the
     * general path's first call would add it, and nothing else differs */
    uint8_t slot = p->payload_wire ? SD_TCPHIST_SEEN_DATA : SD_TCPHIST_SEEN_ACK;
    if (!(t->hist.seen & slot))
        sd_tcphist_plain(c, &t->hist, p->payload_wire != 0, dir);
    uint32_t end = p->seq + p->payload_wire;
    t->max_end = end;
    t->last_ack = p->ack;
    t->last_win = p->win;
    t->acked_any = true;
    t->last_probe = false;
    if (SD_SEQ_GT(end, t->data_hi)) { /* track_size, less what cannot apply */
        t->data_span += (uint32_t)(end - t->data_hi);
        t->data_hi = end;
    }
    c->d[dir].bytes = t->data_span;
    t->gap.hi = end;
    if (SD_SEQ_GT(p->ack, peer->gap.settled))
        peer->gap.settled = p->ack;
    window_stats(c, p, dir);
}

#ifdef SD_DEBUG_INVARIANTS
/* The general path on a copy gives the same analysis and the same state. */
static void check_fast(sd_flow *ref, const sd_flow *after, const sd_pkt *p, int dir)
{
    unsigned r = sd_tcp_packet_general(ref, p, dir);
    assert(r == 0);
    assert(memcmp(&ref->c, &after->c, sizeof ref->c) == 0);
    assert(memcmp(ref->t, after->t, sizeof ref->t) == 0);
}
#endif

unsigned sd_tcp_packet(sd_flow *f, const sd_pkt *p, int dir)
{
    sd_tcptrack *t = &f->t[dir], *peer = &f->t[!dir];
    if (!in_order(f, t, peer, p))
        return sd_tcp_packet_general(f, p, dir);
#ifdef SD_DEBUG_INVARIANTS
    sd_flow before;
    memcpy(&before, f, sizeof before);
#endif
    in_order_segment(f, t, peer, p, dir);
#ifdef SD_DEBUG_INVARIANTS
    check_fast(&before, f, p, dir);
#endif
    return 0;
}
