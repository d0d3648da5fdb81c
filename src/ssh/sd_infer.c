/* sd_infer: SSH behaviour inference over the encrypted-record stream.
 * See sd_infer.h; the rules and their constants are described in
 * docs/events.md and /work/shared/reference/ssh_inference.md section 7.
 * This file is the driver: the connection-level facts (host key, scan,
 * anomalies), then each rule module in turn (sd_infer_int.h lists them);
 * the order of the calls is the order of the events. */
#include "sd_infer_int.h"
#include "sd_infer_authend.h"
#include "sd_infer_zlib.h"

#include "../out/sd_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint32_t sdi_lw_wrap(const leg *L, bool cl, uint32_t w)
{
    const sd_ssh_suite *o = cl == L->cl_is_outer_client ? L->oc : L->os;
    for (unsigned k = L->nmid; k-- > 0 && w;) /* each carrying hop wraps it in its channel data */
        w = sd_ssh_wire_size(L->mid[k], SD_SSH_P_CHANNEL_DATA(w));
    return w ? sd_ssh_wire_size(o, SD_SSH_P_CHANNEL_DATA(w)) : 0;
}

uint32_t sdi_lw(const leg *L, bool cl, uint32_t p)
{
    bool outer_c = cl == L->cl_is_outer_client;
    const sd_ssh_suite *o = outer_c ? L->oc : L->os;
    if (!L->inner)
        return sd_ssh_wire_size(o, p);
    uint32_t ow = sdi_lw_wrap(L, cl, sd_ssh_wire_size(L->inner, p));
    /* a learned offset (sd_infer_zlib.h) that leaves uint32_t's range is not applied */
    int64_t shifted = (int64_t)ow + L->zshift[cl];
    return ow && shifted > 0 && shifted <= UINT32_MAX ? (uint32_t)shifted : ow;
}

/* The least t in [lo, hi] with f(t) >= want, or hi + 1. */
static uint32_t first_at_least(const leg *L, uint32_t (*f)(const leg *, uint32_t, uint32_t), uint32_t arg,
                               uint32_t lo, uint32_t hi, uint32_t want)
{
    uint64_t a = lo, b = (uint64_t)hi + 1; /* the answer is in [a, b] */
    while (a < b) {
        uint64_t mid = a + (b - a) / 2;
        if (f(L, (uint32_t)mid, arg) >= want)
            b = mid;
        else
            a = mid + 1;
    }
    return (uint32_t)a;
}

static bool lw_range(const leg *L, uint32_t (*f)(const leg *L, uint32_t t, uint32_t arg), uint32_t arg, uint32_t lo,
                     uint32_t hi, uint32_t want, uint32_t *first, uint32_t *last)
{
    if (lo > hi)
        return false;
    uint32_t a = first_at_least(L, f, arg, lo, hi, want);
    if (a > hi || f(L, a, arg) != want)
        return false;
    uint32_t b = want == UINT32_MAX ? hi + 1 : first_at_least(L, f, arg, a, hi, want + 1);
    *first = a;
    *last = b - 1;
    return true;
}

/* The memo of sdi_lw_range's answers on forward legs, per thread: there f
 * reads the leg only through the client's suite and openssh_client
 * (sd_infer_int.h), so these and the arguments are the whole question.
 * Connections of one client build ask the same few questions (a brute
 * force: the same user name and password sizes, each search ~900
 * instructions, two to three a connection: issue #11). Direct-mapped; a
 * slot replaced by another question is a cost, never a wrong answer. */
#define LWR_SLOTS 256u

typedef struct lwr_slot {
    uint32_t (*f)(const leg *, uint32_t, uint32_t);
    uint32_t arg, lo, hi, want;
    sd_ssh_suite s;
    bool openssh_client, ok;
    uint32_t first, last;
} lwr_slot;

static bool same_suite(const sd_ssh_suite *a, const sd_ssh_suite *b)
{
    return a->mode == b->mode && a->block == b->block && a->tag == b->tag && a->aad == b->aad &&
           a->len_clear == b->len_clear && a->cbc == b->cbc;
}

bool sdi_lw_range(const leg *L, uint32_t (*f)(const leg *L, uint32_t t, uint32_t arg), uint32_t arg, uint32_t lo,
                  uint32_t hi, uint32_t want, uint32_t *first, uint32_t *last)
{
    const sd_ssh_suite *s = L->cl_is_outer_client ? L->oc : L->os;
    if (L->inner || !s) /* a tunnelled leg's sizes also depend on its hops and learned offsets */
        return lw_range(L, f, arg, lo, hi, want, first, last);
    static _Thread_local lwr_slot memo[LWR_SLOTS];
    uint64_t h = ((uint64_t)arg * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)lo * 0xff51afd7ed558ccdull) ^
                 ((uint64_t)hi * 0xc4ceb9fe1a85ec53ull) ^ ((uint64_t)want * 0x2545f4914f6cdd1dull) ^
                 ((uint64_t)s->block << 7) ^ ((uint64_t)s->tag << 13);
    lwr_slot *e = &memo[(h ^ (h >> 31)) % LWR_SLOTS];
    if (e->f != f || e->arg != arg || e->lo != lo || e->hi != hi || e->want != want || !same_suite(&e->s, s) ||
        e->openssh_client != L->openssh_client) {
        *e = (lwr_slot){ .f = f, .arg = arg, .lo = lo, .hi = hi, .want = want, .s = *s,
                         .openssh_client = L->openssh_client };
        e->ok = lw_range(L, f, arg, lo, hi, want, &e->first, &e->last);
    }
    if (e->ok) {
        *first = e->first;
        *last = e->last;
    }
    return e->ok;
}

uint32_t sdi_lw_cl_plus(const leg *L, uint32_t t, uint32_t arg)
{
    return sdi_lw(L, true, arg + t);
}

sd_event *sdi_ev(ctx *x, const char *kind, const item *a, const item *b, sd_leg leg_id)
{
    const sd_conn *c = x->r->conn;
    return sd_ev_add(x->out, kind, c->uid, c->id, a->ts, a->frame, b ? b->frame : a->frame, leg_id);
}

int sdi_cmp_ts_frame(sd_ts ta, uint64_t fa, sd_ts tb, uint64_t fb)
{
    if (ta != tb)
        return ta < tb ? -1 : 1;
    return fa < fb ? -1 : fa > fb;
}

size_t sdi_past_segment(const ctx *x, size_t i)
{
    size_t j = i + 1;
    while (j < x->n && x->v[j].c == x->v[i].c && x->v[j].frame == x->v[i].frame)
        j++;
    return j;
}

static int cmp_item(const void *a, const void *b)
{
    const item *p = a, *q = b;
    return sdi_cmp_ts_frame(p->ts, p->frame, q->ts, q->frame);
}

/* "%s (%.2f s from host key to client NEWKEYS)" without printf (once per
 * connection; sd_json_put_fixed writes printf's digits), printf where the
 * number is past its range. */
static void host_key_note(char *note, size_t size, bool known, double d)
{
    static const char tail[] = " s from host key to client NEWKEYS)";
    const char *head = known ? "host key already known (" : "first contact: the user was prompted (";
    char num[40], *e = sd_json_put_fixed(num, d, 2);
    size_t hl = strlen(head), nl = e ? (size_t)(e - num) : 0;
    if (!e || hl + nl + sizeof tail > size) {
        snprintf(note, size, "%s%.2f%s", head, d, tail);
        return;
    }
    memcpy(note, head, hl);
    memcpy(note + hl, num, nl);
    memcpy(note + hl + nl, tail, sizeof tail);
}

/* Host key: a person reading the fingerprint delays the client's NEWKEYS. */
static void host_key_event(ctx *x, const sd_ssh_meta *m, const sd_ssh_side *cl)
{
    if (!(m->hostkey_seen && cl->newkeys_seen))
        return;
    double d = sd_ts_sec(cl->newkeys_ts - m->kex_reply_ts);
    item a = { .ts = m->kex_reply_ts, .frame = m->kex_reply_frame }, b = { .frame = cl->newkeys_frame };
    sd_event *e = sdi_ev(x, "host_key_check", &a, &b, SD_LEG_FORWARD);
    e->confidence = CONF_HOST_KEY;
    /* the client's NEWKEYS answers the server's reply: x->c_lag later at a
     * capture on the server's side, a path's delay, not a person's */
    x->sum->host_known = d - x->c_lag < HOSTKEY_PROMPT_S;
    sd_ev_bool(e, "known", x->sum->host_known);
    sd_ev_num(e, "decision_s", d);
    host_key_note(e->note, sizeof e->note, x->sum->host_known, d);
}

/* The parser's anomalies, and a scan when encryption never started. */
static void cleartext_events(ctx *x, const sd_ssh_meta *m)
{
    const sd_conn *c = x->r->conn;
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        const sd_ssh_anomaly *an = &m->anomalies[i];
        item a = { .ts = c->start, .frame = an->frame };
        sd_event *e = sdi_ev(x, "anomaly", &a, NULL, SD_LEG_FORWARD);
        sd_ev_str(e, "code", sd_ssh_anom_name(an->code));
        snprintf(e->note, sizeof e->note, "%s", an->detail);
    }
    if (m->outcome != SD_SSH_OUT_ENCRYPTED) {
        item a = { .ts = c->start, .frame = c->first_frame }, b = { .frame = c->last_frame };
        sd_event *e = sdi_ev(x, "scan", &a, &b, SD_LEG_FORWARD);
        sd_ev_str(e, "outcome", sd_ssh_outcome_name(m->outcome));
        snprintf(e->note, sizeof e->note, "connection ended before encryption: %s", sd_ssh_outcome_name(m->outcome));
    }
}

/* The encrypted records in time order. */
static void load_items(ctx *x)
{
    const sd_sshconn_result *r = x->r;
    x->v = sd_reallocarray(NULL, r->nrec, sizeof *x->v); /* every slot is written below: not zeroed */
    bool sorted = true;
    for (size_t i = 0; i < r->nrec; i++) {
        const sd_ssh_record *rc = &r->rec[i];
        x->v[x->n++] = (item){ .c = rc->from_client, .exact = rc->exact, .len = rc->wire_len, .ts = rc->ts,
                               .t = sd_ts_sec(rc->ts), .frame = rc->frame };
        sorted = sorted && (i == 0 || cmp_item(&x->v[i - 1], &x->v[i]) <= 0);
    }
    /* records come mostly in time order already: an ordered array is
     * left as it is (glibc's qsort, a stable merge sort, leaves it so too;
     * equal records' order is the capture's) */
    if (x->n > 1 && !sorted) /* qsort(NULL, 0) is undefined */
        qsort(x->v, x->n, sizeof *x->v, cmp_item);
}

/* The session event (its note and keys come at the end); returns its
 * index in the list. */
static size_t session_event(ctx *x, size_t s0, const session *S)
{
    /* the session: kind, and typed by a person (keys with human gaps)
     * or driven by a program (no per-key traffic) */
    item *first = &x->v[s0 < x->n ? s0 : x->n - 1];
    sd_event *e = sdi_ev(x, "session", first, &x->v[x->n - 1], SD_LEG_FORWARD);
    e->confidence = CONF_SESSION;
    sd_ev_str(e, "session_kind", x->sum->session_kind);
    sd_ev_bool(e, "pty", S->pty);
    if (x->midstream) /* its requests came before the capture: kind and pty read from the traffic */
        sd_ev_bool(e, "midstream", true);
    return (size_t)(e - x->out->v);
}

static void session_note(ctx *x, size_t session_ev, const session *S, uint32_t fkeys, bool tunnel)
{
    sd_event *e = &x->out->v[session_ev];
    bool human = fkeys >= HUMAN_KEYS_MIN && !x->lines_only;
    sd_ev_bool(e, "human", human);
    sd_ev_int(e, "keys", fkeys);
    snprintf(e->note, sizeof e->note, "%s, %s",
             tunnel ? "tunnel of a nested SSH session (ProxyJump / -W), no shell or pty of its own"
             : x->tty_cmd ? "remote command with a terminal (pty-req, exec: ssh -t)"
             : S->pty ? "interactive shell (pty)"
             : S->notty_shell ? "shell without a pty (lines typed in the client's line mode)"
             : S->fwd_only ? "no command (-N)"
             : x->sftp ? "sftp subsystem (no pty)"
             : x->kind_unknown ? "no pty, kind not told (its requests came before the capture)"
                               : "remote command / subsystem (no pty)",
             human ? "typed by a person"
             : x->lines_only ? "whole lines sent at once (scripted or pasted)"
                             : "no typing seen (scripted or idle)");
}

/* A ProxyJump carrier's transfers are the nested session's: read from its
 * session's start with its sizes (outer.wire(9 + inner.wire(P))), its
 * kind telling sftp from a command. */
static void nested_transfers(ctx *x, size_t from)
{
    if (x->nested_s0 == SIZE_MAX)
        return;
    leg N = { .id = SD_LEG_NESTED, .cl_is_outer_client = true, .oc = x->cs, .os = x->ss,
              .inner = &x->nested_suite, .openssh_client = true, .nmid = x->nested_nmid };
    for (unsigned k = 0; k < N.nmid; k++)
        N.mid[k] = &x->nested_mid[k];
    x->sftp = strcmp(x->nested_kind, "sftp") == 0;
    x->exec = strcmp(x->nested_kind, "exec") == 0;
    x->req_to = from;
    sdi_transfers(x, &N, from);
    x->sftp = x->exec = x->scp = false; /* the carrier's own session stays a tunnel */
}

/* After login (s0: the first record after USERAUTH_SUCCESS): rekeys, -R, the
 * session and its requests, tunnelled legs, keys, forwards or transfers. */
static void after_login(ctx *x, leg *F, size_t s0)
{
    sdi_rekeys(x, s0); /* no channel traffic: out before every rule */
    sdi_reverse_provisioned(x, s0);
    sdi_mid_rfwd(x, s0);
    /* a ProxyJump carrier's channel is the nested session's, not a shell */
    bool tunnel = sdi_carrier(x, s0);
    session S = { .q = { .extra = -1 }, .kfrom = x->n };
    if (tunnel)
        x->req_to = s0;
    else
        sdi_session(x, F, s0, &S);
    /* mid-stream, a carrier's channel opened before the capture: told by
     * the nested session's sizes, where no terminal (but by echoed lines,
     * which a nested shell's keys and lines are too), sftp or forward of
     * its own is, nor a -R listener (ssh -W, ProxyJump's carrier, implies
     * ClearAllForwardings: lab wanc220_demo_s3000 at login+20, a reverse
     * session's keys read as nested ones) */
    if (!tunnel && x->midstream && (!S.pty || S.pty_lines) && !S.fwd_only && !x->sftp && !x->sum->reverse_provisioned &&
        sdi_mid_carrier(x, s0)) {
        tunnel = true;
        S.pty = S.pty_lines = false; /* the lines were the nested session's */
        x->exec = x->kind_unknown = false;
        x->req_to = s0;
    }
    x->sum->session_kind = tunnel ? "tunnel" : x->tty_cmd ? "exec" : S.pty || S.notty_shell ? "shell" : S.fwd_only ? "forward-only" : x->sftp ? "sftp" : x->kind_unknown ? "unknown" : "exec";
    size_t session_ev = session_event(x, s0, &S);
    sdi_forwarding_requests(x, &S.q, s0, S.fwd_only);
    /* no tunnelled session in an sftp session: sftp(1) and scp(1) run ssh
     * with ClearAllForwardings=yes and PuTTY's pscp / psftp open no other
     * channel, and SFTP's exchanges reach those sizes (lab
     * putty_psftp_batch: a CLOSE and its STATUS have an open's and a
     * confirmation's, the next get's READ burst and DATA segments two
     * KEXINITs') */
    F->paste = x->sftp || !sdi_tunnels(x, s0);
    sdi_x11_used(x, s0);
    size_t fwd_ev = x->out->n;
    if (S.fwd_only)
        sdi_forward_only_event(x, s0);
    /* -L/-D channels in any session (-N, a shell, a command); not in an
     * sftp session: sftp(1) and scp(1) run ssh with ClearAllForwardings=yes,
     * and SFTP's requests and answers have an open's and a confirmation's
     * sizes */
    /* second session channels next to a shell (ControlMaster): before the
     * forwards, whose opens and confirmations their SFTP requests and
     * answers can pass for */
    /* and an OpenSSH master's with no session of its own (ssh -M -N, a
     * ControlPersist master: sdi_session read its later channels as no
     * session): their bulk alone is a transfer, not what the forwards
     * carry */
    x->mux_only = S.fwd_only && F->openssh_client;
    if ((S.pty || x->mux_only) && !tunnel)
        sdi_mux_channels(x, x->req_to);
    /* channels through a master's socket: no -N of a forward alone (two
     * opened at once may read as one, so not counted) */
    /* mid-stream, a master whose sftp channel opened before the capture
     * (sd_infer_midkind.c sftp_master_lingered): its bulk is a transfer */
    bool mid_master = S.fwd_only && x->sftp;
    if (fwd_ev < x->out->n && ((x->mux_only && x->nmux) || mid_master))
        snprintf(x->out->v[fwd_ev].note, sizeof x->out->v[fwd_ev].note,
                 "ssh -M -N (ControlMaster): no session of its own; scp, sftp or commands through its socket");
    if (!tunnel && !x->sftp)
        sdi_forwards(x, S.fwd_only ? s0 : x->req_to, S.fwd_only);
    /* the session's keys and transfers without the forward channels' records */
    sdi_view view;
    sdi_view_push(x, &view);
    for (unsigned k = 0; k < x->nmux; k++) {
        mux_chan *ch = &x->mux[k];
        ch->open = sdi_view_index(&view, ch->open);
        ch->req_to = sdi_view_index(&view, ch->req_to);
        ch->end = sdi_view_index(&view, ch->end);
    }
    x->lines_only = false;
    uint32_t fkeys = S.pty ? sdi_keys_leg(x, F, sdi_view_index(&view, S.kfrom), x->n, x->o->keystrokes)
                     : S.notty_shell ? sdi_lines_leg(x, F, x->req_to, x->o->keystrokes) : 0;
    x->sum->keystrokes += fkeys;
    session_note(x, session_ev, &S, fkeys, tunnel);
    if (tunnel)
        nested_transfers(x, sdi_view_index(&view, x->nested_s0));
    else if (!S.fwd_only || x->nmux || mid_master) {
        x->pty_shell = S.pty;
        sdi_transfers(x, F, x->req_to); /* not the hostkeys-00 announcement before the requests */
    }
    sdi_view_pop(x, &view);
    if (x->scp) { /* an exec session that ran legacy scp */
        x->sum->session_kind = "scp";
        sd_ev_str(&x->out->v[session_ev], "session_kind", x->sum->session_kind);
    }
}

/* zlib or zlib@openssh.com (RFC 4253 6.2) negotiated for a direction. */
static bool compressed(const char *comp)
{
    /* "none" byte by byte (each test stops at a NUL): no strcmp call for
     * the usual "none" either (issue #11) */
    bool none = comp && comp[0] == 'n' && comp[1] == 'o' && comp[2] == 'n' && comp[3] == 'e' && comp[4] == '\0';
    return comp && !none;
}

/* Whether software sw (or NULL) starts with the n bytes of name: the
 * first byte compared before strncmp's call (several names per
 * connection). */
static bool sw_is(const char *sw, const char *name, size_t n)
{
    return sw && sw[0] == name[0] && strncmp(sw, name, n) == 0;
}

/* Whether v[i] has an empty IGNORE's size for its side (compressed: up
 * to deflate's growth of it). */
static bool ignore_sized(const ctx *x, const item *it, const bool pads[2], bool z)
{
    const sd_ssh_suite *s = it->c ? x->cs : x->ss;
    return pads[it->c] && (z ? it->len <= sd_ssh_wire_size(s, Z_MAX(P_IGNORE_EMPTY))
                             : it->len == sd_ssh_wire_size(s, P_IGNORE_EMPTY));
}

/* Whether side c's writes open with an empty IGNORE's record, its
 * packet's at once, as AsyncSSH's do (MID_IGNORE_LED_MIN): a capture
 * begun after the banners names no software. */
static bool mid_ignore_led(const ctx *x, bool c)
{
    uint32_t ign = sd_ssh_wire_size(c ? x->cs : x->ss, P_IGNORE_EMPTY);
    unsigned writes = 0, led = 0;
    for (size_t i = 0; i < x->n; i++) {
        const item *it = &x->v[i];
        if (it->c != c || (i > 0 && x->v[i - 1].c == c && it->t - x->v[i - 1].t < IGNORE_BURST_S))
            continue;
        writes++;
        led += it->len == ign && i + 1 < x->n && x->v[i + 1].c == c && x->v[i + 1].t - it->t < IGNORE_BURST_S;
    }
    return led >= MID_IGNORE_LED_MIN && led >= MID_IGNORE_LED_SHARE * writes;
}

/* AsyncSSH sends an empty IGNORE right before each packet it sends once
 * encryption is on (asyncssh/connection.py send_packet): the records of
 * such a side come in bursts (records under IGNORE_BURST_S apart) of
 * IGNORE, message, IGNORE, message... The IGNOREs carry nothing and have
 * a key's or an echo's size: they are dropped before any rule reads the
 * records, from the start of each burst while the records in the
 * IGNOREs' places have an IGNORE's size (a segment holding both breaks
 * the alternation: the rest of the burst stays). A side's first record
 * after the other side's is an IGNORE split from its packet when the next
 * follows within IGNORE_SPLIT_S; that packet then takes the IGNORE's
 * burst. */
static void drop_ignores(ctx *x, const sd_ssh_meta *m, bool z)
{
    const char *sw[2] = { m->side[!m->client_dir].software, m->side[m->client_dir].software };
    bool pads[2] = { sw_is(sw[0], "AsyncSSH", 8), sw_is(sw[1], "AsyncSSH", 8) };
    if (m->midstream)
        for (int c = 0; c < 2; c++)
            pads[c] = mid_ignore_led(x, c);
    if (!pads[0] && !pads[1])
        return;
    size_t out = 0, pos = 0;
    bool parity_ok = true, split = false; /* split: v[i - 1] was an IGNORE left ahead of v[i] */
    for (size_t i = 0; i < x->n; i++) {
        const item *it = &x->v[i];
        bool same_prev = i > 0 && x->v[i - 1].c == it->c;
        bool burst = split || (same_prev && it->t - x->v[i - 1].t < IGNORE_BURST_S);
        pos = burst ? pos + 1 : 0;
        parity_ok = burst ? parity_ok : true;
        split = false;
        bool has_next = i + 1 < x->n && x->v[i + 1].c == it->c;
        double next_gap = has_next ? x->v[i + 1].t - it->t : 0;
        bool next_same = has_next && next_gap < IGNORE_BURST_S;
        bool opens = i > 0 && !same_prev; /* the side's answer to the other side's record */
        if (pos % 2 == 0 && parity_ok && ignore_sized(x, it, pads, z) &&
            (next_same || (opens && has_next && next_gap < IGNORE_SPLIT_S))) {
            split = !next_same;
            continue;
        }
        if (pos % 2 == 0)
            parity_ok = false;
        x->v[out++] = *it;
    }
    x->n = out;
}

static double lag_s(int64_t ns)
{
    if (ns <= 0)
        return 0;
    double s = (double)ns / 1e9;
    return s < CLIENT_LAG_MAX_S ? s : CLIENT_LAG_MAX_S;
}

double sdi_client_lag(const sd_conn *c)
{
    return c ? lag_s(c->rtt_synack_ack) : 0;
}

double sdi_server_lag(const sd_conn *c)
{
    return c ? lag_s(c->rtt_syn_synack) : 0;
}

static int cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return p < q ? -1 : p > q;
}

/* The lag behind the server of a capture that saw no handshake
 * (MID_LAG_PAIRS_MIN): from its key/echo pairs. */
static double mid_server_lag(const ctx *x)
{
    uint32_t wk = sd_ssh_wire_size(x->cs, SD_SSH_P_KEYSTROKE), we = sd_ssh_wire_size(x->ss, SD_SSH_P_KEYSTROKE);
    double *d = sd_reallocarray(NULL, x->n ? x->n : 1, sizeof *d);
    size_t n = 0;
    for (size_t i = 0; i + 1 < x->n; i++)
        if (x->v[i].c && x->v[i].len == wk && !x->v[i + 1].c && x->v[i + 1].len == we &&
            x->v[i + 1].t - x->v[i].t < CLIENT_LAG_MAX_S)
            d[n++] = x->v[i + 1].t - x->v[i].t;
    double lag = 0;
    if (n >= MID_LAG_PAIRS_MIN) {
        qsort(d, n, sizeof *d, cmp_double);
        lag = d[n - 2];
    }
    free(d);
    return lag;
}

/* The least delay of a record of side c right after one of the other
 * side's among v[0..to), capped (lag_s); -1 with fewer than
 * AUTH_LAG_PAIRS_MIN such pairs. */
static double answer_lag(const ctx *x, size_t to, bool c)
{
    double least = CLIENT_LAG_MAX_S;
    unsigned pairs = 0;
    for (size_t i = 1; i < to && i < x->n; i++)
        if (x->v[i].c == c && x->v[i - 1].c != c) {
            pairs++;
            least = SD_MIN(least, x->v[i].t - x->v[i - 1].t);
        }
    return pairs >= AUTH_LAG_PAIRS_MIN ? least : -1;
}

/* The lags of a connection whose TCP handshake was not seen, from its
 * authentication's records v[0..to) (AUTH_LAG_PAIRS_MIN). */
static void auth_lags(ctx *x, size_t to)
{
    const sd_conn *c = x->r->conn;
    double cl = answer_lag(x, to, true), sl = answer_lag(x, to, false);
    if (c && c->rtt_synack_ack < 0 && cl >= 0)
        x->c_lag = cl;
    if (c && c->rtt_syn_synack < 0 && sl >= 0)
        x->s_lag = sl;
}

void sd_infer_ssh(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out, sd_infer_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->auth_success = -1;
    sum->host_known = -1;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    ctx x = { .o = o, .r = r, .out = out, .sum = sum, .cs = &cl->suite, .ss = &sv->suite, .nested_s0 = SIZE_MAX,
              .c_lag = sdi_client_lag(r->conn), .s_lag = sdi_server_lag(r->conn) };

    sum->midstream = m->midstream;
    host_key_event(&x, m, cl);
    cleartext_events(&x, m);
    if (!r->nrec || cl->suite.mode == SD_SSH_MODE_UNKNOWN || sv->suite.mode == SD_SSH_MODE_UNKNOWN)
        return;
    load_items(&x);
    bool zlib = compressed(m->comp[0]) || compressed(m->comp[1]);
    drop_ignores(&x, m, zlib);
    leg F = { .id = SD_LEG_FORWARD, .cl_is_outer_client = true, .oc = &cl->suite, .os = &sv->suite,
              .openssh_client = sw_is(cl->software, "OpenSSH", 7),
              .dropbear_server = sw_is(sv->software, "dropbear", 8),
              .no_none_probe = sw_is(cl->software, "paramiko", 8),
              .putty_client = sw_is(cl->software, "PuTTY", 5) || sw_is(cl->software, "WinSCP", 6),
              .compressed = zlib };
    x.zlib = F.compressed;
    if (m->midstream) {
        /* the login came before the capture began (sd_ssh_mid.c): no
         * record is authentication, the session is read from the first */
        x.login_t = x.v[0].t;
        x.midstream = true;
        x.s_lag = mid_server_lag(&x);
        after_login(&x, &F, 0);
        free(x.v);
        free(x.chan);
        return;
    }
    auth_res a = sdi_auth_leg(&x, &F, 0, x.n);
    sum->auth_attempts = a.attempts;
    sum->auth_method = a.method;
    sum->auth_mfa = a.mfa;
    if (a.success_at != SIZE_MAX)
        sum->auth_success = 1;
    else if (a.attempts)
        sum->auth_success = 0;
    sdi_auth_shape(&x, &a);
    sdi_auth_closed(&x, &a);
    if (a.success_at != SIZE_MAX) {
        x.login_t = x.v[a.success_at].t;
        auth_lags(&x, a.success_at + 1);
        after_login(&x, &F, a.success_at + 1);
    }
    free(x.v);
    free(x.chan);
}
