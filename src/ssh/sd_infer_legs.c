/* sd_infer_legs: SSH sessions carried inside the connection's channels:
 * -R provisioning, reverse sessions (started from the server through a
 * -R tunnel) and nested ones (ProxyJump / -W), each read as a leg of its
 * own with the inner suite's sizes (docs/events.md reverse_provisioned,
 * reverse_init, nested_init). */
#include "sd_infer_int.h"

#include <stdio.h>

uint32_t sd_infer_nested_key_wire(const sd_ssh_suite *outer, const sd_ssh_suite *inner)
{
    uint32_t w = sd_ssh_wire_size(inner, SD_SSH_P_KEYSTROKE);
    return w ? sd_ssh_wire_size(outer, SD_SSH_P_CHANNEL_DATA(w)) : 0;
}

/* How the client's first record after login holds a tcpip-forward request
 * for one of the usual bind addresses: alone (OpenSSH sends it before the
 * session's CHANNEL_OPEN), or in one segment with that open (dbclient
 * writes both at once: their sizes add up), or not at all. OpenSSH sends
 * no-more-sessions right after the open: a request of its size there is
 * that one (in chacha20-poly1305 a tcpip-forward for "0.0.0.0" has it). */
enum { RFWD_NONE, RFWD_ALONE, RFWD_WITH_OPEN, RFWD_OR_OPEN };

static int rfwd_request(const ctx *x, uint32_t len, uint32_t w_open)
{
    static const uint32_t addr[] = { 9, 0, 7 }; /* localhost or 127.0.0.1, "", 0.0.0.0 */
    uint32_t w_nms = sd_ssh_wire_size(x->cs, P_NO_MORE_SESSIONS);
    for (size_t k = 0; k < sizeof addr / sizeof addr[0]; k++) {
        uint32_t w = sd_ssh_wire_size(x->cs, P_TCPIP_FORWARD_BASE + addr[k]);
        /* a session's CHANNEL_OPEN can have the size too (80 bytes for
         * 127.0.0.1 under aes256-ctr + hmac-sha2-256, plink -N -R): the
         * answer tells them */
        if (len == w)
            return len == w_open ? RFWD_OR_OPEN : RFWD_ALONE;
        if (len == w_open)
            continue;
        if (len == w + w_open && w != w_nms)
            return RFWD_WITH_OPEN;
    }
    return RFWD_NONE;
}

typedef struct rfwd_sizes {
    uint32_t lo, hi, cf; /* the server's open, least and most; the client's confirmation */
} rfwd_sizes;

static rfwd_sizes rfwd_sizes_of(const ctx *x)
{
    return (rfwd_sizes){ .lo = sd_ssh_wire_size(x->ss, P_FORWARDED_TCPIP_BASE),
                         .hi = sd_ssh_wire_size(x->ss, P_FORWARDED_TCPIP_BASE + 2 * FWD_HOST_MAX),
                         .cf = sd_ssh_wire_size(x->cs, P_OPEN_CONFIRM) };
}

/* A request read alone (or with a session open's size) whose answer has
 * no size of its own: sshd's login notices (SSH_MSG_DEBUG of the
 * authorized_keys options, hostkeys-00) can leave in the answer's segment
 * (lab tunnel_web_R seed 1000: 148 + 28 bytes, where the first run had
 * 672 + 148, then 28 alone; putty_forward_R seed 1000, aes256-ctr +
 * hmac-sha2-256, plink -N -R: 160 + 48, its 80-byte request a session
 * open's size too). The server's
 * later CHANNEL_OPEN of a forwarded-tcpip's size, not an x11 channel's,
 * confirmed by the client's next record, after RFWD_OPEN_QUIET_S without
 * a record (a program connecting to the port, not an answer within an
 * exchange: an SFTP answer and the next request have these sizes too),
 * answers it: sshd opens one only for a port the client asked it to
 * listen on (RFC 4254 7.1-7.2). */
static bool rfwd_open_at(const ctx *x, const rfwd_sizes *z, size_t j)
{
    const item *o = &x->v[j], *a = &x->v[j + 1];
    return !o->c && o->len >= z->lo && o->len <= z->hi && a->c && a->len == z->cf && a->t - o->t < FWD_CONFIRM_S &&
           o->t - x->v[j - 1].t >= RFWD_OPEN_QUIET_S && !sdi_x11_open_at(x, j);
}

static bool rfwd_used(const ctx *x, size_t s0)
{
    rfwd_sizes z = rfwd_sizes_of(x);
    for (size_t j = s0 + 1; j + 1 < x->n; j++)
        if (rfwd_open_at(x, &z, j))
            return true;
    return false;
}

/* Data both ways within FWD_DATA_S of the confirmation at v[conf]: a
 * record larger than FWD_CTL_MAX control packets from each side (the
 * program that connected to the server's port speaks, the client's
 * local target answers). A shell's output after a pause, then a key
 * (an OPEN_CONFIRMATION's wire size in encrypt-and-MAC suites: 32 bytes
 * of aes-ctr + hmac-sha1) and its echo, has no client data. */
static bool data_both_ways(const ctx *x, size_t conf)
{
    uint32_t most[2] = { FWD_CTL_MAX * sd_ssh_wire_size(x->ss, P_CHANNEL_CTL),
                         FWD_CTL_MAX * sd_ssh_wire_size(x->cs, P_CHANNEL_CTL) };
    bool data[2] = { false, false };
    for (size_t k = conf + 1; k < x->n && k <= conf + FWD_LOOK_RECORDS && x->v[k].t - x->v[conf].t < FWD_DATA_S; k++)
        data[x->v[k].c] = data[x->v[k].c] || x->v[k].len > most[x->v[k].c];
    return data[0] && data[1];
}

/* -R: a tcpip-forward global request right after login, before the
 * session's CHANNEL_OPEN or with it (payload 27 + bind address), and the
 * server's want_reply answer: REQUEST_SUCCESS (payload 1, or 5 with the
 * port), alone or in one segment with the session's OPEN_CONFIRMATION.
 * Sent with the open, the request is only read when both answers leave in
 * the server's first segment (sshd answers the two messages of one read at
 * once): other
 * global requests sent with an open have its size too (OpenSSH's
 * no-more-sessions, AsyncSSH's first requests), and a CHANNEL_SUCCESS has
 * a REQUEST_SUCCESS's size. */
void sdi_reverse_provisioned(ctx *x, size_t s0)
{
    /* the request answers the USERAUTH_SUCCESS: x->c_lag later seen from
     * the server's side. Mid-stream no record is known to follow the
     * login: a record of the request's size there is any message of it,
     * answered with what the server owed before (lab off_scp_download at
     * login+5: OpenSSH's 68-byte record after its session open, then the
     * open's confirmation and a 28-byte answer in one segment), and -R is
     * read by its use (sdi_mid_rfwd) */
    if (x->midstream || !(s0 < x->n && x->v[s0].c && x->v[s0].t - x->login_t < RFWD_AFTER_LOGIN_S + x->c_lag))
        return;
    uint32_t w_open = sd_ssh_wire_size(x->cs, P_SESSION_OPEN);
    int form = rfwd_request(x, x->v[s0].len, w_open);
    if (form == RFWD_OR_OPEN && x->zlib) /* deflated answers have no fixed sizes */
        form = RFWD_NONE;
    uint32_t r1 = sd_ssh_wire_size(x->ss, P_REQUEST_SUCCESS), r5 = sd_ssh_wire_size(x->ss, P_REQUEST_SUCCESS_PORT),
             cf = sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM);
    bool reply = false, opened = false; /* opened: a session open's confirmation answered (RFWD_OR_OPEN) */
    int seen = 0; /* server records passed (RFWD_OR_OPEN) */
    for (size_t j = s0 + 1; form != RFWD_NONE && j < x->n && x->v[j].t - x->v[s0].t < RFWD_REPLY_S; j++) {
        uint32_t l = x->v[j].len;
        bool both = l == r1 + cf || l == r5 + cf;
        if (x->v[j].c)
            continue;
        if (form == RFWD_ALONE && (both || l == r1 || l == r5))
            reply = true;
        /* an open is answered by its OPEN_CONFIRMATION first (alone or
         * with more), the request for a given port by a REQUEST_SUCCESS of
         * payload 1 alone, next or right after sshd's larger hostkeys-00
         * notice */
        if (form == RFWD_OR_OPEN) {
            if (l > r5 + cf && !seen++)
                continue;
            reply = l == r1;
            opened = l == cf;
            break;
        }
        /* with the open: the server's first answer (past sshd's larger
         * hostkeys-00 notice) holds both */
        if (form == RFWD_WITH_OPEN && l <= r5 + cf) {
            reply = both;
            break;
        }
    }
    if (!reply && (form == RFWD_ALONE || (form == RFWD_OR_OPEN && !opened)))
        reply = rfwd_used(x, s0);
    if (!reply)
        return;
    x->sum->reverse_provisioned = true;
    sd_event *e = sdi_ev(x, "reverse_provisioned", &x->v[s0], NULL, SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = CONF_REVERSE_PROVISIONED;
    snprintf(e->note, sizeof e->note, "-R: tcpip-forward requested after login");
}

/* -R seen by its use where its request was not read (sent in one
 * segment with the session's other first messages and compressed:
 * dbclient with zlib): the server opened a channel carrying SSH, a
 * forwarded-tcpip channel, which sshd opens only for a port the client
 * asked it to listen on (RFC 4254 7.1-7.2). The event is at that open. */
static sd_event *provisioned_by_use(ctx *x, size_t rv)
{
    x->sum->reverse_provisioned = true;
    sd_event *e = sdi_ev(x, "reverse_provisioned", &x->v[rv], NULL, SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = CONF_REVERSE_INIT;
    snprintf(e->note, sizeof e->note, "-R: its request not read, but the server opened a channel carrying SSH");
    return e;
}

void sdi_mid_rfwd(ctx *x, size_t s0)
{
    if (!x->midstream || x->sum->reverse_provisioned)
        return;
    rfwd_sizes z = rfwd_sizes_of(x);
    for (size_t j = s0 + 1; j + 2 < x->n; j++)
        if (rfwd_open_at(x, &z, j) && data_both_ways(x, j + 1)) {
            sd_event *e = provisioned_by_use(x, j);
            sd_ev_bool(e, "midstream", true);
            snprintf(e->note, sizeof e->note,
                     "-R: its request came before the capture, but the server opened a forwarded-tcpip channel");
            return;
        }
}

/* Whether dry run a explains the tunnelled authentication better than b:
 * a login before none, a SUCCESS of its own size before one read joined
 * with the records after it (a wrong suite's sizes find a large record
 * to join: lab reverse_keys_aes128ctr-sha256etm, proxyjump_rekey_aes128gcm
 * seed +2000); then fewer attempts (a wrong suite's sizes read the
 * records as a string of odd requests); then an earlier SERVICE_REQUEST
 * (right after the key exchange). */
static bool explains_better(const auth_res *a, const auth_res *b)
{
    bool la = a->success_at != SIZE_MAX, lb = b->success_at != SIZE_MAX;
    if (la != lb)
        return la;
    if (la && a->joined != b->joined)
        return !a->joined;
    if ((a->attempts > 0) != (b->attempts > 0))
        return a->attempts > 0;
    if (a->attempts != b->attempts)
        return a->attempts < b->attempts;
    return a->sr_at < b->sr_at;
}

/* The inner suite whose sizes explain the tunnelled authentication best
 * (explains_better over every candidate; the first when none finds an
 * attempt). The dry runs leave neither events nor summary behind. */
static const sd_ssh_suite *pick_inner(ctx *x, const leg *base, size_t from, size_t lim, const sd_ssh_suite *cand,
                                      size_t ncand)
{
    sd_evlist scratch = { 0 };
    sd_evlist *keep = x->out;
    sd_infer_summary sum = *x->sum;
    size_t best = 0;
    auth_res ba = { .success_at = SIZE_MAX, .sr_at = SIZE_MAX };
    x->out = &scratch;
    for (size_t k = 0; k < ncand; k++) {
        leg L = *base;
        L.inner = &cand[k];
        auth_res a = sdi_auth_leg(x, &L, from, lim);
        scratch.n = 0;
        if (k == 0 || explains_better(&a, &ba)) {
            best = k;
            ba = a;
        }
    }
    x->out = keep;
    *x->sum = sum;
    sd_evlist_free(&scratch);
    return ncand ? &cand[best] : NULL;
}

/* Inside the tunnelled leg C (a hop of a ProxyJump chain opening the
 * next hop's channel): its OPEN_CONFIRMATION alone, or read at once with
 * its channel data of the identification line, both carried in one
 * channel data by every hop around C (sdi_lw_wrap). */
static bool leg_confirms(const leg *C, const item *it)
{
    bool cl = !C->cl_is_outer_client; /* the leg server answers the leg client's open */
    uint32_t conf = sd_ssh_wire_size(C->inner, P_OPEN_CONFIRM);
    if (it->len == sdi_lw_wrap(C, cl, conf))
        return true;
    for (uint32_t b = BANNER_LINE_MIN; b <= SD_SSH_RFC_LINE; b++) {
        uint32_t w = sdi_lw_wrap(C, cl, conf + sd_ssh_wire_size(C->inner, SD_SSH_P_CHANNEL_DATA(b)));
        if (w >= it->len) /* the sizes grow with b */
            return w == it->len;
    }
    return false;
}

/* The peer's answer to a channel open: the OPEN_CONFIRMATION alone, or in
 * one segment with the carried server's identification line (RFC 4253
 * 4.2: "SSH-2.0-" and CR LF, at most SD_SSH_RFC_LINE bytes) in channel
 * data. Never a KEXINIT: the part of a KEXINIT the tunnel split into a
 * second channel data, answered by the other side's KEXINIT, is no open. */
static bool confirms(const ctx *x, const item *it, uint32_t w_conf)
{
    const sd_ssh_suite *s = it->c ? x->cs : x->ss;
    if (it->len == w_conf)
        return true;
    /* the banner's wire size takes every value from wmin to wmax in steps
     * of the cipher block (its payload grows byte by byte) */
    uint32_t wmin = sd_ssh_wire_size(s, SD_SSH_P_CHANNEL_DATA(BANNER_LINE_MIN)),
             wmax = sd_ssh_wire_size(s, SD_SSH_P_CHANNEL_DATA(SD_SSH_RFC_LINE));
    if (!wmin || !s->block || it->len < w_conf + wmin || it->len > w_conf + wmax)
        return false;
    return (it->len - w_conf - wmin) % s->block == 0;
}

/* The peer's confirmation of the open at v[i]: among its first
 * NESTED_CONFIRM_RECORDS records within NESTED_CONFIRM_S (the server's
 * hostkeys-00 announcement may come first) and NESTED_CONFIRM_LOOK
 * records of both sides, before any KEXINIT-sized one.
 * Its index, or SIZE_MAX. */
static size_t confirmation(const ctx *x, size_t i, uint32_t w_conf, const leg *C)
{
    const item *o = &x->v[i];
    unsigned peer = 0;
    size_t end = i + 1 + NESTED_CONFIRM_LOOK < x->n ? i + 1 + NESTED_CONFIRM_LOOK : x->n;
    for (size_t j = i + 1; j < end && x->v[j].t - o->t <= NESTED_CONFIRM_S; j++) {
        if (x->v[j].c == o->c)
            continue;
        if (++peer > NESTED_CONFIRM_RECORDS)
            return SIZE_MAX;
        if (x->v[j].len >= KEXINIT_MIN)
            return SIZE_MAX;
        if (C ? leg_confirms(C, &x->v[j]) : confirms(x, &x->v[j], w_conf))
            return j;
    }
    return SIZE_MAX;
}

/* Whether the record v[k] starts a bulk write rather than a KEXINIT: its
 * side's records that follow it at once (each within REACT_MIN_S of the
 * one before, past the other side's small records only) add up to more
 * than a KEXINIT can be. A tunnelled KEXINIT is one write of at most
 * KEXINIT_MAX (two segments at most); the next large record of its side
 * (the key exchange's init) waits for the other side's KEXINIT. PuTTY's
 * psftp / pscp pipeline SFTP READs in 1448-byte segments and the server's
 * DATA follows in full segments (lab putty_pscp_download seed 1000: read
 * as a session carried inside the sftp session's channel). */
static bool bulk_from(const ctx *x, size_t k)
{
    uint64_t sum = x->v[k].len;
    size_t last = k;
    for (size_t j = k + 1; j < x->n && j <= k + NESTED_KEX_RECORDS; j++) {
        const item *it = &x->v[j];
        if (it->c != x->v[k].c) {
            if (it->len >= XFER_RECORD)
                return false;
            continue;
        }
        if (it->t - x->v[last].t >= REACT_MIN_S)
            return false;
        sum += it->len;
        last = j;
        if (sum > KEXINIT_MAX)
            return true;
    }
    return false;
}

/* Whether v[i] is a channel opened by one side (size >= NESTED_OPEN_MIN)
 * answered at once by an OPEN_CONFIRMATION, then KEXINIT-sized records
 * both ways: an SSH session carried inside the channel. */
static bool nested_at(const ctx *x, size_t i, bool opener_is_client, uint32_t w_conf, const leg *C)
{
    const item *o = &x->v[i];
    if (o->c != opener_is_client || o->len < NESTED_OPEN_MIN)
        return false;
    size_t j = confirmation(x, i, w_conf, C);
    if (j == SIZE_MAX)
        return false;
    /* the two KEXINITs (about 1-1.5 KB each) follow the banners */
    int big[2] = { 0, 0 };
    for (size_t k = j + 1; k < x->n && x->v[k].t - o->t < NESTED_KEX_S && k < j + NESTED_KEX_RECORDS && !(big[0] && big[1]);
         k++)
        if (x->v[k].len >= KEXINIT_MIN && x->v[k].len <= KEXINIT_MAX && !bulk_from(x, k))
            big[x->v[k].c] = 1;
    return big[0] && big[1];
}

/* The first such channel open from v[from] on, or SIZE_MAX. */
static size_t find_nested(const ctx *x, size_t from, bool opener_is_client, uint32_t w_conf)
{
    for (size_t i = from; i + 1 < x->n; i++)
        if (nested_at(x, i, opener_is_client, w_conf, NULL))
            return i;
    return SIZE_MAX;
}

/* The inner suite is encrypted: OpenSSH's usual ones are tried (K = 36,
 * 36, 28, 52, 64; ssh_inference.md 7.3). */
static const char *const in_names[][2] = {
    { "chacha20-poly1305@openssh.com", NULL }, { "aes128-gcm@openssh.com", NULL },
    { "aes128-ctr", "umac-64-etm@openssh.com" }, { "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha2-256" },
};
#define N_INNER (sizeof in_names / sizeof in_names[0])

/* The candidate inner suites the suite table knows; returns their number. */
static size_t inner_candidates(sd_ssh_suite inner[N_INNER])
{
    size_t ninner = 0;
    for (size_t k = 0; k < N_INNER; k++)
        if (sd_ssh_suite_from_names(in_names[k][0], in_names[k][1], &inner[ninner]) == 0)
            ninner++;
    return ninner;
}

/* A leg carried by the captured connection itself (no hop between). */
static leg first_leg(const ctx *x, sd_leg id, bool cl_is_outer_client)
{
    return (leg){ .id = id, .cl_is_outer_client = cl_is_outer_client, .oc = x->cs, .os = x->ss,
                  .openssh_client = true };
}

/* The nested leg L's session from s0 carries the next hop of a ProxyJump
 * chain (sdi_carrier's rule through the leg's sizes): its client's first
 * record, past the leg server's and a no-more-sessions, within
 * REQ_WINDOW_S of its login, opens a direct-tcpip channel (-W; at least
 * its least size, and not a session's open, alone or read with a
 * no-more-sessions: a shell whose client re-keys at once, RekeyLimit,
 * has the same confirmation and KEXINITs, lab proxyjump_rekey_aes128gcm)
 * confirmed at once, then KEXINIT-sized records go both ways. The open,
 * or SIZE_MAX. */
static size_t leg_carries(const ctx *x, const leg *L, size_t s0, size_t lim)
{
    uint32_t w_nms = sdi_lw(L, true, P_NO_MORE_SESSIONS), w_sess = sdi_lw(L, true, P_SESSION_OPEN),
             w_both = sdi_lw_wrap(L, true, sd_ssh_wire_size(L->inner, P_SESSION_OPEN) +
                                               sd_ssh_wire_size(L->inner, P_NO_MORE_SESSIONS));
    size_t i = s0;
    while (i < lim && (!sdi_is_cl(L, &x->v[i]) || x->v[i].len == w_nms))
        i++;
    if (s0 == 0 || i >= lim || x->v[i].t - x->v[s0 - 1].t >= REQ_WINDOW_S || x->v[i].len == w_sess ||
        x->v[i].len == w_both || x->v[i].len < sdi_lw(L, true, P_DIRECT_TCPIP_BASE))
        return SIZE_MAX;
    return nested_at(x, i, true, 0, L) ? i : SIZE_MAX;
}

static void nested_init_event(ctx *x, size_t at, unsigned depth)
{
    sd_event *e = sdi_ev(x, "nested_init", &x->v[at], NULL, SD_LEG_NESTED);
    e->dir = 0;
    e->confidence = CONF_NESTED_INIT;
    sd_ev_str(e, "carried", "ssh");
    if (depth > 1)
        sd_ev_int(e, "depth", depth);
    snprintf(e->note, sizeof e->note, "SSH session to another host carried inside (ProxyJump / -W)%s",
             depth > 1 ? ", inside the hop before it" : "");
}

/* A tunnelled leg (base: its place, inner: its suite) from its opening
 * record at..lim: its host key, authentication, session and keys. A
 * nested leg whose session carries the next hop is a tunnel, and the
 * next hop is read the same way one level deeper (up to NEST_DEPTH_MAX
 * levels), its events marked with their depth from 2 on. */
static void tunnel_leg(ctx *x, const leg *base, size_t at, size_t lim, const sd_ssh_suite *inner,
                       const sd_ssh_suite *cand, size_t ncand)
{
    leg L = *base;
    L.inner = inner;
    size_t ev0 = x->out->n;
    auth_res a = sdi_auth_leg(x, &L, at, lim);
    size_t nv = L.id == SD_LEG_NESTED && inner && L.nmid + 1 < NEST_DEPTH_MAX && a.success_at != SIZE_MAX && a.end < lim
                    ? leg_carries(x, &L, a.end, lim)
                    : SIZE_MAX;
    sdi_inner_leg(x, &L, at, lim, &a, nv != SIZE_MAX);
    for (size_t k = ev0; L.nmid && k < x->out->n; k++)
        if (x->out->v[k].leg == SD_LEG_NESTED)
            sd_ev_int(&x->out->v[k], "depth", L.nmid + 1);
    if (nv == SIZE_MAX)
        return;
    leg D = L; /* the next hop: carried by this one */
    D.mid[D.nmid++] = inner;
    D.inner = NULL;
    nested_init_event(x, nv, D.nmid + 1);
    tunnel_leg(x, &D, nv, lim, pick_inner(x, &D, nv, lim, cand, ncand), cand, ncand);
}

/* The -R channel's close after its reverse session ended: the leg's
 * client (on the server's side) sends its last record, sshd its channel's
 * EOF at once (a control record right after a record of the leg's size,
 * answering no key), and the outer client, once its local end has closed
 * too, sends its EOF and CLOSE (one record or two), sshd's CLOSE answering
 * at once. Those control records have a key's and an echo's size: they
 * are no keys (lab wan_reverse_keys seed +2000, at the server over 200 ms:
 * the client's EOF, sshd's CLOSE and the client's CLOSE in three segments
 * of 36, 201 ms after sshd's EOF; srv_reverse_keys seed +1000, 60 ms: 126
 * and 155 ms after; the first runs sent EOF + CLOSE as one 72). */
static void reverse_close(ctx *x, const leg *R, size_t from, size_t lim)
{
    uint32_t ctl_c = sd_ssh_wire_size(x->cs, P_CHANNEL_CTL), ctl_s = sd_ssh_wire_size(x->ss, P_CHANNEL_CTL);
    uint32_t w_leg = R->inner ? sdi_lw(R, true, SD_SSH_P_USERAUTH_SUCCESS) : 0; /* the leg's least record */
    if (!w_leg || !ctl_c || !ctl_s)
        return;
    double within = x->c_lag + RFWD_CLOSE_S;
    for (size_t k = from + 1; k < lim; k++) {
        const item *eof = &x->v[k], *last = &x->v[k - 1];
        /* the leg's last record and sshd's EOF may leave in one segment,
         * the outer client's EOF answering it at once (lab wanc220_demo
         * seed +3000 frames 223-226, at the client over 220 ms: 132, then
         * 36 1.8 ms later) */
        bool joined = sdi_is_cl(R, eof) && eof->len >= w_leg + ctl_s && k + 1 < lim && x->v[k + 1].c &&
                      x->v[k + 1].len <= FWD_CTL_MAX * ctl_c && x->v[k + 1].t - eof->t < REACT_MIN_S;
        if (!joined && (!sdi_is_cl(R, eof) || !sdi_is_cl(R, last) || eof->len > FWD_CTL_MAX * ctl_s ||
                        last->len < w_leg || eof->t - last->t >= REACT_MIN_S))
            continue;
        uint32_t owed = FWD_CTL_MAX; /* the client's EOF and CLOSE */
        double prev_c = -1;
        for (size_t j = k + 1; j < lim && x->v[j].t - eof->t <= within; j++) {
            item *it = &x->v[j];
            if (it->c && (!owed || it->len > FWD_CTL_MAX * ctl_c))
                break;
            if (it->c) {
                uint32_t pk = it->len / ctl_c;
                owed -= pk >= owed ? owed : pk ? pk : 1;
                prev_c = it->t;
                it->not_key = true;
            } else if (prev_c >= 0 && it->len <= FWD_CTL_MAX * ctl_s && it->t - prev_c < REACT_MIN_S) {
                it->not_key = true; /* sshd's CLOSE */
            }
        }
    }
}

/* Each reverse session from rv on: the next handshake ends the previous
 * one. */
static void reverse_legs(ctx *x, size_t rv, uint32_t w_conf, const sd_ssh_suite *inner, size_t ninner)
{
    while (rv != SIZE_MAX) {
        size_t hs = rv + 1; /* past this handshake's first KEXINIT */
        while (hs < x->n && x->v[hs].len < KEXINIT_MIN)
            hs++;
        size_t next = find_nested(x, hs + 1, false, w_conf);
        size_t lim = next != SIZE_MAX ? next : x->n;
        item *it = &x->v[rv];
        /* the client's confirmation of the channel is no key: at the
         * client's side it follows at once (REACT_MIN_S), seen from the
         * server's it comes a round trip later, and a 44-byte confirmation
         * has an arrow's size (chacha20-poly1305) */
        size_t cf = confirmation(x, rv, w_conf, NULL);
        if (cf != SIZE_MAX)
            x->v[cf].not_key = true;
        double after = it->t - x->login_t;
        sd_event *e = sdi_ev(x, "reverse_init", it, NULL, SD_LEG_REVERSE);
        e->dir = 1;
        e->confidence = CONF_REVERSE_INIT;
        sd_ev_bool(e, "automated", after < REVERSE_AUTO_S);
        sd_ev_num(e, "after_login_s", after);
        sd_ev_str(e, "carried", "ssh"); /* the tunnel's channel carries this SSH session */
        snprintf(e->note, sizeof e->note, "SSH session started from the server through the tunnel, %.1f s after login",
                 after);
        leg R = first_leg(x, SD_LEG_REVERSE, false);
        R.inner = pick_inner(x, &R, rv, lim, inner, ninner);
        reverse_close(x, &R, rv, lim);
        tunnel_leg(x, &R, rv, lim, R.inner, inner, ninner);
        rv = next;
    }
}

/* Key/echo pairs of leg L from s0: a record of the leg client's key size
 * answered by the leg server's of its echo's sooner than the pause before
 * the key (a person's keys come after pauses, their echoes at once; the
 * other way round, an echo followed by the next key, is no pair). */
static uint32_t leg_pairs(const ctx *x, const leg *L, size_t s0, size_t lim)
{
    uint32_t wk = sdi_lw(L, true, SD_SSH_P_KEYSTROKE), we = sdi_lw(L, false, SD_SSH_P_KEYSTROKE), n = 0;
    for (size_t i = s0 + 1; wk && we && i + 1 < lim; i++) {
        const item *k = &x->v[i], *e = &x->v[i + 1];
        n += sdi_is_cl(L, k) && k->len == wk && !sdi_is_cl(L, e) && e->len == we && e->t - k->t < CLIENT_LAG_MAX_S &&
             e->t - k->t < k->t - x->v[i - 1].t;
    }
    return n;
}

/* A ProxyJump carrier picked up mid-stream (its channel opened before the
 * capture): the records are a nested session's, told by its sizes
 * (outer.wire(9 + inner.wire(P)), an inner suite tried at a time): its
 * login (the inner authentication, when the capture began during its
 * handshake), or its keys (MID_NESTED_PAIRS key/echo pairs of the nested
 * sizes, the client's keys answered: more such pairs than the other way
 * round, which a reverse session's keys make). Sets x->mid_nest. */
bool sdi_mid_carrier(ctx *x, size_t s0)
{
    sd_ssh_suite inner[N_INNER];
    size_t ninner = inner_candidates(inner);
    leg N = first_leg(x, SD_LEG_NESTED, true), R = first_leg(x, SD_LEG_REVERSE, false);
    const sd_ssh_suite *in = pick_inner(x, &N, s0, x->n, inner, ninner);
    if (!in)
        return false;
    N.inner = in;
    sd_evlist scratch = { 0 };
    sd_evlist *keep = x->out;
    sd_infer_summary sum = *x->sum;
    x->out = &scratch;
    auth_res a = sdi_auth_leg(x, &N, s0, x->n);
    x->out = keep;
    *x->sum = sum;
    sd_evlist_free(&scratch);
    x->mid_nest.login = a.success_at != SIZE_MAX;
    uint32_t best = 0;
    for (size_t k = 0; !x->mid_nest.login && k < ninner; k++) {
        N.inner = R.inner = &inner[k];
        uint32_t p = leg_pairs(x, &N, s0, x->n);
        if (p >= MID_NESTED_PAIRS && p > best && p > leg_pairs(x, &R, s0, x->n)) {
            best = p;
            in = &inner[k];
        }
    }
    x->mid_nest.found = x->mid_nest.login || best;
    x->mid_nest.inner = *in;
    return x->mid_nest.found;
}

/* The nested session of a carrier picked up mid-stream (sdi_mid_carrier):
 * its nested_init at the first record, then the leg read as any nested
 * one, from its login when seen, else from the first record (its keys). */
static void mid_nested(ctx *x, size_t s0)
{
    sd_ssh_suite inner[N_INNER];
    size_t ninner = inner_candidates(inner);
    leg N = first_leg(x, SD_LEG_NESTED, true);
    N.inner = &x->mid_nest.inner;
    nested_init_event(x, s0, 1);
    sd_event *e = &x->out->v[x->out->n - 1];
    sd_ev_bool(e, "midstream", true);
    snprintf(e->note, sizeof e->note, "SSH session to another host carried inside (ProxyJump / -W), its channel open "
                                      "before the capture: told by its sizes");
    if (x->mid_nest.login)
        tunnel_leg(x, &N, s0, x->n, N.inner, inner, ninner);
    else
        sdi_inner_mid(x, &N, s0, x->n);
}

/* A reverse session already open when the capture began (its
 * forwarded-tcpip channel and handshake before it), up to lim (the next
 * reverse session's open): its keys, typed on the server's side, are
 * key/echo pairs of the tunnelled sizes led by the server (the leg's
 * client), MID_NESTED_PAIRS of them through one inner suite and more than
 * the other way round (a nested session's keys, led by the client). Its
 * reverse_init (midstream) at the first record, then the leg's session
 * and keys (sdi_inner_mid). */
static void mid_reverse(ctx *x, size_t s0, size_t lim, const sd_ssh_suite *inner, size_t ninner)
{
    leg R = first_leg(x, SD_LEG_REVERSE, false), N = first_leg(x, SD_LEG_NESTED, true);
    const sd_ssh_suite *in = NULL;
    uint32_t best = 0;
    for (size_t k = 0; k < ninner; k++) {
        R.inner = N.inner = &inner[k];
        uint32_t p = leg_pairs(x, &R, s0, lim);
        if (p >= MID_NESTED_PAIRS && p > best && p > leg_pairs(x, &N, s0, lim)) {
            best = p;
            in = &inner[k];
        }
    }
    if (!in)
        return;
    R.inner = in;
    if (!x->sum->reverse_provisioned)
        provisioned_by_use(x, s0);
    sd_event *e = sdi_ev(x, "reverse_init", &x->v[s0], NULL, SD_LEG_REVERSE);
    e->dir = 1;
    e->confidence = CONF_REVERSE_INIT;
    sd_ev_bool(e, "midstream", true);
    sd_ev_str(e, "carried", "ssh");
    snprintf(e->note, sizeof e->note, "SSH session started from the server through the tunnel, open before the "
                                      "capture: told by its keys' sizes");
    reverse_close(x, &R, s0, lim);
    sdi_inner_mid(x, &R, s0, lim);
}

bool sdi_carrier(ctx *x, size_t s0)
{
    /* past the server's records (hostkeys-00) and a no-more-sessions */
    uint32_t w_nms = sd_ssh_wire_size(x->cs, P_NO_MORE_SESSIONS);
    size_t i = s0;
    while (i < x->n && (!x->v[i].c || x->v[i].len == w_nms))
        i++;
    return i < x->n && x->v[i].t - x->login_t < REQ_WINDOW_S &&
           nested_at(x, i, true, sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM), NULL);
}

bool sdi_tunnels(ctx *x, size_t s0)
{
    sd_ssh_suite inner[N_INNER];
    size_t ninner = inner_candidates(inner);
    uint32_t w_conf = sd_ssh_wire_size(x->cs, P_OPEN_CONFIRM);
    size_t rv = find_nested(x, s0, false, w_conf);
    size_t nv = find_nested(x, s0, true, sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM));
    /* one handshake: the side that opened the channel came first */
    if (rv != SIZE_MAX && nv != SIZE_MAX) {
        if (rv < nv && x->v[nv].t - x->v[rv].t < HANDSHAKE_SAME_S)
            nv = SIZE_MAX;
        else if (nv < rv && x->v[rv].t - x->v[nv].t < HANDSHAKE_SAME_S)
            rv = SIZE_MAX;
    }
    bool tunnels = rv != SIZE_MAX || nv != SIZE_MAX || x->mid_nest.found;
    if (x->mid_nest.found && nv == SIZE_MAX)
        mid_nested(x, s0);
    else if (x->midstream && nv == SIZE_MAX && (rv == SIZE_MAX || rv > s0))
        mid_reverse(x, s0, rv != SIZE_MAX ? rv : x->n, inner, ninner);
    reverse_legs(x, rv, w_conf, inner, ninner);
    if (rv != SIZE_MAX && !x->sum->reverse_provisioned)
        provisioned_by_use(x, rv);
    if (nv != SIZE_MAX) {
        nested_init_event(x, nv, 1);
        leg N = first_leg(x, SD_LEG_NESTED, true);
        tunnel_leg(x, &N, nv, x->n, pick_inner(x, &N, nv, x->n, inner, ninner), inner, ninner);
    }
    return tunnels;
}
