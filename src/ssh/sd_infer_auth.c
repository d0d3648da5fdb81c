/* sd_infer_auth: authentication attempts, their method and outcome, the
 * password length range and the pre-authentication banner, from the sizes
 * of the RFC 4252 exchange (docs/events.md auth_attempt). */
#include "sd_infer_zlib.h"

#include <stdio.h>
#include <string.h>

uint32_t sd_infer_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen)
{
    return sd_ssh_wire_size(s, P_PASSWORD_BASE + ulen + plen);
}

uint32_t sd_infer_openssh_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen)
{
    /* packet.c: len = 5 + payload - aad; minimum padding; then
     * extra_pad = ROUNDUP(64, B); pad += extra_pad - ((len + pad) % extra_pad) */
    if (s->mode == SD_SSH_MODE_UNKNOWN || s->block == 0)
        return 0;
    uint32_t b = s->block, len = 5u + P_PASSWORD_BASE + ulen + plen - s->aad;
    uint32_t pad = b - (len % b);
    if (pad < 4)
        pad += b;
    uint32_t ep = (OPENSSH_PW_PAD + b - 1) / b * b;
    pad += ep - ((len + pad) % ep);
    return s->aad + len + pad + s->tag;
}

/* Outer wire size of a password request whose user name and password
 * together are t bytes: the request's size depends on their sum only. */
static uint32_t lw_pw(const leg *L, uint32_t t)
{
    const sd_ssh_suite *o = L->cl_is_outer_client ? L->oc : L->os;
    const sd_ssh_suite *s = L->inner ? L->inner : o;
    uint32_t w = L->openssh_client ? sd_infer_openssh_pw_wire(s, t, 0) : sd_infer_pw_wire(s, t, 0);
    if (!L->inner || !w)
        return w;
    return sd_ssh_wire_size(o, SD_SSH_P_CHANNEL_DATA(w));
}

static uint32_t lw_pw_f(const leg *L, uint32_t t, uint32_t unused)
{
    (void)unused;
    return lw_pw(L, t);
}

/* The password lengths a request of len bytes allows for user names of
 * ulo..uhi bytes (*pmin = -1: none), and their class when it is decided.
 * Each sum t of user and password lengths is tried once (not every pair):
 * a matching t allows passwords of max(1, t - uhi)..min(MAX_PLEN, t - ulo). */
static const char *pw_class(const leg *L, uint32_t ulo, uint32_t uhi, uint32_t len, int *pmin, int *pmax)
{
    *pmin = -1;
    *pmax = -1;
    uint32_t t0, t1; /* the sums that match; both bounds grow with t */
    if (ulo > uhi || !sdi_lw_range(L, lw_pw_f, 0, ulo + 1, uhi + MAX_PLEN, len, &t0, &t1))
        return NULL;
    *pmin = (int)(t0 > uhi + 1 ? t0 - uhi : 1);
    *pmax = (int)(t1 - ulo < MAX_PLEN ? t1 - ulo : MAX_PLEN);
    if (*pmax <= PW_CLASS_SPLIT)
        return "le8";
    if (*pmin > PW_CLASS_SPLIT)
        return "gt8";
    return NULL;
}

/* Whether a request of len bytes is a keyboard-interactive request (RFC
 * 4256 3.1) for a user name of ulo..uhi bytes. */
static bool kbdint_request(const leg *L, uint32_t ulo, uint32_t uhi, uint32_t len)
{
    uint32_t a, b;
    return sdi_lw_range(L, sdi_lw_cl_plus, P_KBDINT_BASE, ulo, uhi, len, &a, &b);
}

/* The exchange's state between records. */
typedef struct auth_run {
    uint32_t w_sr, w_acc, w_ok, w_ok2; /* SERVICE_REQUEST/ACCEPT, SUCCESS (dropbear's padded one) */
    uint32_t w_ok_lo;      /* a tunnelled leg over a compressed outer connection: the
                            * least size of its SUCCESS (sdi_z_tunnel_least), or 0 */
    uint32_t w_sr_lo;      /* the same for its SERVICE_REQUEST (lab compress_reverse
                            * seed +2000: 76 for 84), or 0 */
    uint32_t w_ok_join;    /* a tunnelled leg: the least size of its SUCCESS and the
                            * host keys announcement after it in one channel data */
    uint32_t w_msg;        /* the smallest message of the exchange (an empty INFO_RESPONSE) */
    uint32_t ulo, uhi;     /* user name length range */
    uint32_t fail_len;     /* USERAUTH_FAILURE's size, measured on the none probe, or
                            * 0: learned from the first later failure (the probe's
                            * answer held a banner or an EXT_INFO too) */
    bool ext_info_auth;    /* the server sends an EXT_INFO with the probe's answer */
    bool learn_fail;       /* the probe's answer hid the failure's size: learn it */
    bool acc_done, probe_done, pk_ok, kbd;
    bool hung_up;          /* the server closed in place of answering (auth_res) */
    bool none_ok;          /* the none request itself was accepted (RFC 4252 5.2) */
    bool factor_done;      /* a key the server had accepted (PK_OK) then "failed": partial success */
    uint32_t pk_query_len; /* the request PK_OK answered (the key query) */
    uint32_t prompts;      /* INFO_REQUEST rounds of the attempt (keyboard-interactive) */
    double last_resp_t;    /* when the previous answer ended */
    double slow_gap;       /* the slowest reply of the attempt so far (a typed response) */
    size_t pend;           /* the request being answered, or SIZE_MAX */
    uint32_t pend_len;
    item *resp_first, *resp_last; /* its answer so far */
    uint32_t resp_n;
} auth_run;

/* Whether len is a tunnelled leg's client record holding its NEWKEYS (16
 * bytes in the clear) and its SERVICE_REQUEST (wi on the leg's wire) in
 * one channel data: joined by the first hop that read both at once, each
 * wrapped alone by the hops inside it (the leg's own client's channel,
 * or, in a ProxyJump chain's second hop, the outer client's: lab
 * proxyjump_two_aes128gcm seed 1000, 196 bytes where the first run sent
 * 100 and 148). Over a compressed outer connection down to save bytes
 * under: deflate matches the outer header as for the SERVICE_REQUEST
 * alone (w_sr_lo; lab compress_reverse_2 at seed +8303, frame 84: 92 for
 * 100, the reverse login and its 29 keys lost). */
static bool sr_after_newkeys(const leg *L, uint32_t wi, uint32_t len, uint32_t save)
{
    const sd_ssh_suite *wr[NEST_DEPTH_MAX]; /* the wrappers, innermost first */
    unsigned n = 0;
    for (unsigned k = L->nmid; k-- > 0;)
        wr[n++] = L->mid[k];
    wr[n++] = L->cl_is_outer_client ? L->oc : L->os;
    for (unsigned m = 0; wi && m < n; m++) {
        uint32_t a = W_NEWKEYS_CLEAR, b = wi;
        for (unsigned j = 0; j < m && a && b; j++) {
            a = sd_ssh_wire_size(wr[j], SD_SSH_P_CHANNEL_DATA(a));
            b = sd_ssh_wire_size(wr[j], SD_SSH_P_CHANNEL_DATA(b));
        }
        uint32_t c = a && b ? a + b : 0;
        for (unsigned j = m; j < n && c; j++)
            c = sd_ssh_wire_size(wr[j], SD_SSH_P_CHANNEL_DATA(c));
        if (c && len <= c && c - len <= save)
            return true;
    }
    return false;
}

/* A tunnelled leg's SERVICE_REQUEST: alone or after the inner NEWKEYS,
 * over zlib down to its least size either way (deflate matching the
 * outer header against its history). */
static bool is_service_request(const leg *L, const auth_run *s, uint32_t wi, uint32_t len)
{
    uint32_t save = s->w_sr_lo ? s->w_sr - s->w_sr_lo : 0;
    return len == s->w_sr || (s->w_sr_lo && len >= s->w_sr_lo && len < s->w_sr) || sr_after_newkeys(L, wi, len, save);
}

/* Where the leg's SERVICE_REQUEST is in v[from..limit), or SIZE_MAX. */
static size_t find_service_request(ctx *x, const leg *L, const auth_run *s, size_t from, size_t limit)
{
    size_t i = from;
    if (!L->inner) {
        while (i < limit && !(sdi_is_cl(L, &x->v[i]) && x->v[i].len >= s->w_sr))
            i++;
        return i >= limit || !s->w_sr ? SIZE_MAX : i;
    }
    /* the inner SERVICE_REQUEST, alone or after the inner NEWKEYS (16 bytes
     * in the clear) in the same channel data, within the records that
     * follow the handshake */
    uint32_t wi = sd_ssh_wire_size(L->inner, P_SERVICE_REQUEST);
    /* after the inner KEXINITs and key exchange (the large records), up to
     * the SERVICE_REQUEST that follows both sides' large records: a large
     * record after it is a re-key (RekeyLimit on the inner leg re-keys
     * right after its login), not the handshake */
    bool big[2] = { false, false };
    for (size_t j = from; j < limit && j < from + INNER_KEX_RECORDS; j++) {
        const item *it = &x->v[j];
        bool cl = sdi_is_cl(L, it);
        if (it->len >= KEXINIT_MIN) {
            i = j + 1;
            big[cl] = true;
        } else if (big[0] && big[1] && cl && is_service_request(L, s, wi, it->len)) {
            break;
        }
    }
    size_t lim = i + INNER_AUTH_RECORDS < limit ? i + INNER_AUTH_RECORDS : limit;
    while (i < lim && !(sdi_is_cl(L, &x->v[i]) && is_service_request(L, s, wi, x->v[i].len)))
        i++;
    return i >= lim || !s->w_sr ? SIZE_MAX : i;
}

/* The exchange's sizes and its state right after the SERVICE_REQUEST at
 * v[i]; SERVICE_REQUEST and the none probe may share one record (dbclient;
 * inside a tunnel the extra bytes are the inner NEWKEYS sent with it). */
static void auth_start(ctx *x, const leg *L, auth_run *s, size_t i, size_t limit)
{
    uint32_t first_extra = x->v[i].len > s->w_sr && !L->inner ? x->v[i].len - s->w_sr : 0;
    bool coalesced = first_extra > 0;
    s->ulo = ULEN_DEFAULT_MIN;
    s->uhi = ULEN_DEFAULT_MAX;
    s->last_resp_t = x->v[i].t;
    s->pend = coalesced ? i : SIZE_MAX;
    s->pend_len = coalesced ? first_extra : 0;
    if (coalesced)
        return;
    /* SERVICE_ACCEPT answers the SERVICE_REQUEST alone */
    for (size_t j = i + 1; j < limit && !sdi_is_cl(L, &x->v[j]); j++)
        if (x->v[j].len == s->w_acc) {
            s->acc_done = true;
            break;
        }
}

/* Inside a tunnel the hop that carries the leg may read the server's
 * SUCCESS and OpenSSH's host keys announcement that follows it at once
 * and send both in one channel data (lab wan_proxyjump_keys_chacha seed
 * 1000, server's vantage over 200 ms: 884 bytes where the first run sent
 * 68, then 860 + 36). Only the answer to a key signed after its PK_OK
 * (larger than the query): a large key's PK_OK, a keystroke's echo with
 * output or a wrong inner suite's guess have that size too.
 * success_followed then holds it to a session opened and answered. A
 * password request's answer too (lab demo seed +3100, the reverse leg at
 * the client: SUCCESS and the announcement as two channel data in one
 * 180-byte segment, 68 and 112 alone): it is neither the failure nor
 * larger than any PK_OK the request, read as a key query, could get, and
 * the request has no keyboard-interactive request's size (a long prompt's
 * INFO_REQUEST). */
static bool joined_success(const leg *L, const auth_run *s, const item *it)
{
    if (!s->w_ok_join || it->len < s->w_ok_join || !s->probe_done)
        return false;
    if (s->pk_ok)
        return s->pend_len > s->pk_query_len;
    uint32_t q0, q1; /* the request's payloads; PK_OK is the largest's less PK_OK_LESS and the user */
    if (s->kbd || !s->fail_len || it->len == s->fail_len || kbdint_request(L, s->ulo, s->uhi, s->pend_len) ||
        !sdi_lw_range(L, sdi_lw_cl_plus, 0, 1, s->pend_len, s->pend_len, &q0, &q1))
        return false;
    return q1 <= PK_OK_LESS + s->ulo || it->len > sdi_lw(L, false, q1 - PK_OK_LESS - s->ulo);
}

static bool alone_success(const auth_run *s, const item *it)
{
    return it->len == s->w_ok || (s->w_ok2 && it->len == s->w_ok2 && s->probe_done) ||
           (s->w_ok_lo && it->len >= s->w_ok_lo && it->len < s->w_ok);
}

static bool is_success(const leg *L, const auth_run *s, const item *it)
{
    return alone_success(s, it) || joined_success(L, s, it);
}

/* What the answer to a request says. */
typedef enum verdict {
    V_PROBE,   /* the none probe: sizes measured, no attempt */
    V_GOES_ON, /* PK_OK or INFO_REQUEST: the same attempt continues */
    V_UNKNOWN, /* a tunnel without a probe: the sizes are unknown, stop */
    V_ATTEMPT, /* an attempt ended (success or failure) */
} verdict;

/* The user name lengths a none request of len bytes allows (*lo = 0:
 * none; it is no none request). */
static void none_users(const leg *L, uint32_t len, uint32_t *lo, uint32_t *hi)
{
    if (!sdi_lw_range(L, sdi_lw_cl_plus, P_NONE_PROBE_BASE, 1, MAX_ULEN, len, lo, hi))
        *lo = *hi = 0;
}

/* Digits at *p as a number (at most 9: no overflow), advancing *p; -1
 * when there is none or more than 9 (sscanf's business then). */
static int plain_int(const char **p)
{
    int v = 0, n = 0;
    for (; (*p)[0] >= '0' && (*p)[0] <= '9'; (*p)++)
        if (++n > 9)
            return -1;
        else
            v = v * 10 + ((*p)[0] - '0');
    return n ? v : -1;
}

/* OpenSSH 9.6 on both ends (ext-info-in-auth@openssh.com, OpenSSH's
 * PROTOCOL 1.10): the server sends a second EXT_INFO (server-sig-algs)
 * right before its answer to the first USERAUTH_REQUEST, after any
 * banner. */
static bool openssh_9_6(const char *sw)
{
    static const char pre[] = "OpenSSH_";
    int maj = 0, min = 0;
    if (!sw || strncmp(sw, pre, sizeof pre - 1) != 0) /* sscanf's literal part: no call for other software */
        return false;
    const char *p = sw + sizeof pre - 1;
    /* "9.6p1": plain digits read here (a sscanf call was 350 instructions
     * for each connection); signs, spaces, long numbers are sscanf's */
    if ((maj = plain_int(&p)) < 0 || *p++ != '.' || (min = plain_int(&p)) < 0)
        if (sscanf(sw, "OpenSSH_%d.%d", &maj, &min) != 2)
            return false;
    return maj > EXT_INFO_AUTH_MAJOR || (maj == EXT_INFO_AUTH_MAJOR && min >= EXT_INFO_AUTH_MINOR);
}

static bool ext_info_in_auth(const ctx *x, const leg *L)
{
    const sd_ssh_meta *m = x->r->meta;
    return !L->inner && openssh_9_6(m->side[m->client_dir].software) &&
           openssh_9_6(m->side[!m->client_dir].software);
}

/* Whether the probe's answer holds a banner besides its failure (and the
 * EXT_INFO of ext-info-in-auth), and sets the failure's size when one
 * record of the answer is the failure alone: a lone answer of a failure's
 * size, or the last of exact packets. Segments that hold more than the
 * failure leave it to be learned from a later answer. */
static bool probe_has_more(const leg *L, auth_run *s)
{
    uint32_t ext_n = s->ext_info_auth ? 1 : 0, w_fail = sdi_lw(L, false, P_FAILURE_MAX);
    uint32_t w_ext = ext_n ? sdi_lw(L, false, P_EXT_INFO_AUTH_MAX) : 0;
    uint64_t total = 0;
    for (const item *it = s->resp_first; it <= s->resp_last; it++)
        if (!sdi_is_cl(L, it))
            total += it->len;
    bool exact = s->resp_last->exact;
    s->fail_len = (exact || s->resp_n == 1) && s->resp_last->len <= w_fail ? s->resp_last->len : 0;
    if (exact)
        return s->resp_n > 1 + ext_n;
    return total > (uint64_t)w_fail + w_ext || (!ext_n && s->resp_n > 1);
}

/* The none probe: its size gives the user name length range, its answer
 * the failure's size; an answer of more than one record shows a banner.
 * A none request answered by USERAUTH_SUCCESS is the "none" method. */
static bool read_probe(ctx *x, const leg *L, auth_run *s, bool ok)
{
    uint32_t lo, hi;
    none_users(L, s->pend_len, &lo, &hi);
    s->none_ok = lo && ok;
    if (!lo || ok)
        return false;
    s->ulo = lo;
    s->uhi = hi;
    bool more = probe_has_more(L, s);
    s->learn_fail = !s->fail_len;
    if (more) {
        sd_event *e = sdi_ev(x, "auth_banner", s->resp_first, s->resp_first, L->id);
        e->dir = s->resp_first->c ? 0 : 1;
        snprintf(e->note, sizeof e->note, "pre-authentication banner shown by the server");
        x->sum->auth_banner = true;
    }
    s->last_resp_t = s->resp_last->t;
    return true;
}

/* A person needs more than HUMAN_MIN_S to answer the server; the capture
 * sees the leg's client answer that much plus its lag later (a program's
 * reply over a 200 ms path shows 200 ms after the prompt at the server). */
static double human_min(const ctx *x, const leg *L)
{
    return HUMAN_MIN_S + sdi_cl_lag(x, L->cl_is_outer_client);
}

/* A failure-sized answer that is no failure: (a) after PK_OK, the signed
 * request (the query and a signature: larger) answered by a failure, which
 * a valid key does not get unless another factor is required (partial
 * success, RFC 4252 5.1): the exchange goes on; (b) PAM's keyboard-
 * interactive ends with an INFO_REQUEST of no prompts, which the client
 * answers at once with an empty INFO_RESPONSE of its last response's size
 * (OpenSSH pads both to 64). */
static bool goes_on_anyway(const ctx *x, const leg *L, auth_run *s)
{
    if (s->pk_ok && s->pend_len > s->pk_query_len) {
        s->factor_done = true;
        return true;
    }
    size_t k = (size_t)(s->resp_last - x->v) + 1;
    return s->kbd && k < x->n && x->v[k].c && x->v[k].len == s->pend_len &&
           x->v[k].t - s->resp_last->t < human_min(x, L);
}

/* The server answered the request with its last record, of no failure's
 * size but the size of sshd's DISCONNECT "Too many authentication
 * failures" (MaxAuthTries; older sshd adds " for USER"), and the
 * connection closed: the DISCONNECT came in place of the failure. An
 * INFO_REQUEST the client left unanswered is no such record. */
static bool server_hung_up(const ctx *x, const leg *L, const auth_run *s, size_t limit)
{
    const sd_conn *c = x->r->conn;
    bool closed = sd_conn_fin_or_rst(c);
    uint32_t len = s->resp_last->len, most = P_DISCONNECT_TRIES + DISCONNECT_FOR_MAX + s->uhi;
    return !L->inner && limit == x->n && s->resp_last == &x->v[x->n - 1] && closed &&
           len >= sdi_lw(L, false, P_DISCONNECT_TRIES) && len <= sdi_lw(L, false, most);
}

/* The smallest wire size of PK_OK answering a key query of qlen bytes:
 * PK_OK repeats the query's algorithm and key blob without the user name,
 * service, method and flag (RFC 4252 7: PK_OK_LESS + user bytes less). */
static uint32_t pk_ok_min(const leg *L, const auth_run *s, uint32_t qlen)
{
    uint32_t q0, q1;
    if (!sdi_lw_range(L, sdi_lw_cl_plus, 0, 1, qlen, qlen, &q0, &q1) || q0 <= PK_OK_LESS + s->uhi)
        return 0;
    return sdi_lw(L, false, q0 - PK_OK_LESS - s->uhi);
}

/* With the failure's size still unknown: whether a small answer is the
 * failure. A key query's failure is smaller than its PK_OK could be; a
 * keyboard-interactive request's INFO_REQUEST is answered by the person
 * (the client's next record comes after a human pause), its failure by
 * the client at once. */
static bool failure_unlearned(const ctx *x, const leg *L, const auth_run *s, uint32_t len)
{
    if (len >= sdi_lw(L, false, P_FAILURE_MAX))
        return false;
    if (!s->kbd && s->pend_len >= sdi_lw(L, true, P_PUBKEY_QUERY_MIN))
        return len < pk_ok_min(L, s, s->pend_len);
    size_t k = (size_t)(s->resp_last - x->v) + 1;
    if (!s->kbd && kbdint_request(L, s->ulo, s->uhi, s->pend_len) && k < x->n)
        return x->v[k].t - s->resp_last->t < human_min(x, L);
    return true;
}

/* Reads the complete answer (resp_first..resp_last) to the request pend. */
static verdict judge(ctx *x, const leg *L, auth_run *s, bool ok, size_t limit)
{
    if (!s->probe_done) {
        s->probe_done = true;
        if (!L->no_none_probe && read_probe(x, L, s, ok))
            return V_PROBE;
    }
    if (!s->fail_len && L->inner) /* no probe seen: sizes unknown, stop */
        return V_UNKNOWN;
    double gap = x->v[s->pend].t - s->last_resp_t;
    if (gap > s->slow_gap)
        s->slow_gap = gap;
    uint32_t len = s->resp_last->len;
    bool fail = s->fail_len ? len == s->fail_len
                : s->learn_fail ? !ok && failure_unlearned(x, L, s, len)
                                : !ok && len < sdi_lw(L, false, P_FAILURE_MAX);
    if (!ok && !fail && server_hung_up(x, L, s, limit)) {
        s->hung_up = true;
        return V_ATTEMPT;
    }
    if (fail && s->learn_fail && !s->kbd && !s->pk_ok) {
        s->fail_len = len; /* learned: later failures have its size */
        s->learn_fail = false;
    }
    if (ok || (fail && !goes_on_anyway(x, L, s)))
        return V_ATTEMPT;
    /* after a prompt the requests are responses, however long; an
     * INFO_REQUEST larger than one without prompts asks something */
    if (!s->kbd && s->pend_len >= sdi_lw(L, true, P_PUBKEY_QUERY_MIN)) {
        s->pk_ok = true; /* the key query, or its signed request after a partial success */
        if (!s->pk_query_len)
            s->pk_query_len = s->pend_len;
    } else {
        s->kbd = true;
        s->prompts += len > sdi_lw(L, false, P_INFO_REQUEST_EMPTY);
    }
    s->last_resp_t = s->resp_last->t;
    return V_GOES_ON;
}

/* After the failure: the client's next request is a key query the server
 * answers with PK_OK. OpenSSH tries its methods in order, public key
 * before keyboard-interactive and password, and never goes back: the
 * failed request was a key too, whatever password its size could hold. */
static bool key_came_next(const ctx *x, const leg *L, const auth_run *s)
{
    size_t k = (size_t)(s->resp_last - x->v) + 1;
    if (!L->openssh_client || !s->fail_len || k + 1 >= x->n || !sdi_is_cl(L, &x->v[k]) ||
        sdi_is_cl(L, &x->v[k + 1]) || x->v[k].len < sdi_lw(L, true, P_PUBKEY_QUERY_MIN))
        return false;
    uint32_t ans = x->v[k + 1].len, pk_min = pk_ok_min(L, s, x->v[k].len);
    return ans != s->fail_len && pk_min && ans >= pk_min && ans < x->v[k].len;
}

/* The key types OpenSSH clients offer first (ssh_config IdentityFile
 * defaults), as the length of the algorithm name and of the public key
 * blob in a query (RFC 4253 6.6, RFC 5656 3.1, RFC 8709 4): ssh-ed25519,
 * ecdsa-sha2-nistp256/384/521, rsa-sha2-512 with 2048/3072/4096-bit
 * moduli. */
static const struct { uint32_t alg, blob; } key_types[] = {
    { 11, 51 }, { 19, 104 }, { 19, 136 }, { 19, 172 }, { 12, 279 }, { 12, 407 }, { 12, 535 },
};

/* The signature blob's length range of each key type above (RFC 8709 6:
 * 64; RFC 5656 3.1.2: two mpints r and s of up to the curve's size and a
 * leading zero, or a byte shorter; RFC 8332 3: the modulus's size). */
static const struct { uint32_t lo, hi; } sig_lens[] = {
    { 64, 64 }, { 70, 74 }, { 102, 106 }, { 136, 140 }, { 256, 256 }, { 384, 384 }, { 512, 512 },
};

/* Whether a request of len bytes is exactly a signed request (the query,
 * the signature's framing, its algorithm and blob) for one of those keys
 * and a user name of the probe's range: sent without the query first. */
static bool key_signed_size(const leg *L, const auth_run *s, uint32_t len)
{
    for (size_t k = 0; k < sizeof key_types / sizeof key_types[0]; k++) {
        uint32_t a, b, base = P_PUBKEY_QUERY_BASE + 2 * key_types[k].alg + key_types[k].blob +
                              P_PUBKEY_SIG_FRAMING + sig_lens[k].lo;
        if (sdi_lw_range(L, sdi_lw_cl_plus, base, s->ulo, s->uhi + sig_lens[k].hi - sig_lens[k].lo, len, &a, &b))
            return true;
    }
    return false;
}

/* Whether a request of len bytes is exactly a query (P_PUBKEY_QUERY_BASE
 * + user + algorithm + blob) for one of those keys and a user name of the
 * probe's range. */
static bool key_query_size(const leg *L, const auth_run *s, uint32_t len)
{
    for (size_t k = 0; k < sizeof key_types / sizeof key_types[0]; k++) {
        uint32_t a, b, base = P_PUBKEY_QUERY_BASE + key_types[k].alg + key_types[k].blob;
        if (sdi_lw_range(L, sdi_lw_cl_plus, base, s->ulo, s->uhi, len, &a, &b))
            return true;
    }
    return false;
}

/* A failed request an OpenSSH client sent at once (no person typed it)
 * with a key query's exact size: OpenSSH offers its keys before any
 * password, so it is read as a refused key, not as a password sent by a
 * program (sshpass) that its size could hold too. */
static bool automated_key_query(const ctx *x, const leg *L, const auth_run *s)
{
    return L->openssh_client && s->slow_gap < human_min(x, L) && key_query_size(L, s, s->pend_len);
}

bool sd_infer_putty_pw_padded(const sd_ssh_suite *s, uint32_t len)
{
    return s->mode != SD_SSH_MODE_UNKNOWN && s->block > 0 && len > PUTTY_PW_MINLEN &&
           len <= PUTTY_PW_MINLEN + s->block;
}

/* A PuTTY client's request of len bytes is its padded password (IGNORE and
 * request in one segment, PUTTY_PW_MINLEN; with exact packets the sum of
 * the pair, putty_pair): a password whose length the size hides. Only on
 * the forward leg; a key from PuTTY comes after its query's PK_OK, read
 * before this. */
static bool putty_padded_pw(const leg *L, uint32_t len)
{
    return L->putty_client && !L->inner && L->cl_is_outer_client && sd_infer_putty_pw_padded(L->oc, len);
}

/* Exact packets: PuTTY's padding IGNORE (record i) and its password
 * request (i + 1) leave in one write; their sizes add up to the padded
 * size. */
static bool putty_pair(const ctx *x, const leg *L, size_t i, size_t limit)
{
    return L->putty_client && !L->inner && L->cl_is_outer_client && x->v[i].exact && i + 1 < limit &&
           sdi_is_cl(L, &x->v[i + 1]) && x->v[i + 1].t - x->v[i].t < IGNORE_BURST_S &&
           putty_padded_pw(L, x->v[i].len + x->v[i + 1].len);
}

/* The auth_attempt event of the request pend answered by resp_last. */
static const char *attempt_event(ctx *x, const leg *L, const auth_run *s, bool ok, int attempt)
{
    const item *rq = &x->v[s->pend];
    const char *method, *cls = NULL;
    int pmin = -1, pmax = -1;
    /* a second factor: prompts after an accepted key or another factor,
     * or several prompts (a password and a code) in one exchange */
    bool mfa = ok && (s->factor_done || (s->pk_ok && s->kbd) || s->prompts >= MFA_PROMPTS);
    if (s->none_ok)
        method = "none";
    else if (s->kbd)
        method = "keyboard-interactive";
    else if (s->pk_ok && !s->factor_done) /* after a first factor the last request is the second */
        method = "publickey";
    else if (!ok && (key_came_next(x, L, s) || automated_key_query(x, L, s)))
        method = "publickey";
    else if (putty_padded_pw(L, s->pend_len))
        method = "password"; /* its length hidden: no class */
    else if (L->putty_client && !L->inner && kbdint_request(L, s->ulo, s->uhi, s->pend_len))
        method = "keyboard-interactive"; /* PuTTY pads its passwords: an unpadded request is none */
    else {
        /* a keyboard-interactive request failed at once (no INFO_REQUEST:
         * the server has no device for it) has its own size */
        cls = pw_class(L, s->ulo, s->uhi, s->pend_len, &pmin, &pmax);
        if (pmin > PW_PLAUSIBLE_MAX && key_signed_size(L, s, s->pend_len)) {
            cls = NULL; /* a signed key request sent without its query */
            pmin = pmax = -1;
        }
        method = pmin > 0                                             ? "password"
                 : kbdint_request(L, s->ulo, s->uhi, s->pend_len) ? "keyboard-interactive"
                                                                   : "publickey";
    }
    /* typed: a reply of the attempt (a keyboard-interactive response
     * among them) came after a human pause */
    bool automated = strcmp(method, "publickey") == 0 || s->slow_gap < human_min(x, L);
    sd_event *e = sdi_ev(x, "auth_attempt", rq, s->resp_last, L->id);
    e->dir = L->cl_is_outer_client ? 0 : 1;
    e->confidence = CONF_AUTH;
    sd_ev_str(e, "method", method);
    sd_ev_str(e, "result", ok ? "success" : "failure");
    if (cls)
        sd_ev_str(e, "password_len_class", cls);
    if (pmin > 0) {
        sd_ev_int(e, "password_len_min", pmin);
        sd_ev_int(e, "password_len_max", pmax);
    }
    sd_ev_bool(e, "automated", automated);
    sd_ev_int(e, "attempt", attempt);
    if (s->kbd)
        sd_ev_int(e, "prompts", s->prompts);
    if (mfa)
        sd_ev_bool(e, "mfa", true);
    sd_evnote n = sd_evnote_start(e);
    sd_evnote_cat(&n, method);
    sd_evnote_cat(&n, ok ? " accepted" : " rejected");
    sd_evnote_cat(&n, strcmp(method, "password") ? "" : automated ? ", sent by a program" : ", typed by a person");
    if (pmin > 0) {
        sd_evnote_cat(&n, ", password ");
        sd_evnote_int(&n, pmin);
        sd_evnote_cat(&n, "-");
        sd_evnote_int(&n, pmax);
        sd_evnote_cat(&n, " chars");
    }
    return method;
}

/* What a client does once USERAUTH_SUCCESS arrives: it uses the
 * connection at once, opening its session channel (RFC 4254 6.1, payload
 * 24) or sending the global requests of -N / -R, all at least that size;
 * inside a tunnel the server's answer (its OPEN_CONFIRMATION or larger:
 * OpenSSH's hostkeys-00 announcement) must follow too, since the other
 * channels' records there take every size. A success-sized answer without
 * this is not a login: a client that gave up and closed its channel is
 * followed by the outer session's traffic, not by a session of its own. */
/* The first record from which on a run of the leg's client (cl) or server
 * records in v[from..limit), within SUCCESS_FOLLOW_S of t0, sums to w or
 * more (a packet may span segments: Cisco's sshd sends 64 + 4); SIZE_MAX
 * when none. */
static size_t run_of(const ctx *x, const leg *L, bool cl, size_t from, size_t limit, double t0, uint32_t w)
{
    uint64_t run = 0;
    for (size_t j = from; j < limit && j < from + SUCCESS_FOLLOW_RECORDS && x->v[j].t - t0 < SUCCESS_FOLLOW_S; j++) {
        if (sdi_is_cl(L, &x->v[j]) != cl) {
            run = 0;
            continue;
        }
        run += x->v[j].len;
        if (run >= w)
            return j;
    }
    return SIZE_MAX;
}

/* A client that logs in and waits for its use (a script's local forward:
 * AsyncSSH sends no request until a connection to its listener comes):
 * on a connection of its own, the client's next run of records, however
 * late, holds a session open's size or more (the server may announce its
 * host keys meanwhile: OpenSSH's hostkeys-00, no reply wanted). */
static bool success_then_wait(const ctx *x, const leg *L, size_t ok_at, size_t limit)
{
    uint64_t run = 0;
    size_t k = ok_at + 1;
    while (k < limit && !sdi_is_cl(L, &x->v[k]))
        k++;
    for (; k < limit && sdi_is_cl(L, &x->v[k]); k++)
        run += x->v[k].len;
    return !L->inner && run >= sdi_lw(L, true, P_SESSION_OPEN);
}

static bool success_followed(const ctx *x, const leg *L, size_t ok_at, size_t limit)
{
    size_t j = run_of(x, L, true, ok_at + 1, limit, x->v[ok_at].t, sdi_lw(L, true, P_SESSION_OPEN));
    if (j == SIZE_MAX)
        return success_then_wait(x, L, ok_at, limit);
    if (!L->inner)
        return true;
    return run_of(x, L, false, j + 1, limit, x->v[j].t, sdi_lw(L, false, P_OPEN_CONFIRM)) != SIZE_MAX;
}

/* The states of the exchange, one record at a time. */
typedef enum auth_state {
    AS_IDLE,    /* no request yet: the server's records are not answers */
    AS_REQUEST, /* v[i], a client record, is the next request */
    AS_ANSWER,  /* server records answering the pending request */
    AS_CLOSE,   /* the answer is complete: judge it */
    AS_DONE,    /* the end of the records, or no more to learn */
    AS_SUCCESS, /* USERAUTH_SUCCESS: the leg is logged in */
} auth_state;

/* AS_ANSWER on v[i]: the next state. */
static auth_state on_answer(ctx *x, const leg *L, auth_run *s, size_t *i, size_t limit)
{
    if (*i >= limit || sdi_is_cl(L, &x->v[*i]))
        return AS_CLOSE; /* the next request (or the end) closes the answer */
    item *it = &x->v[*i];
    if (!s->acc_done && it->len == s->w_acc) {
        s->acc_done = true; /* SERVICE_ACCEPT */
        (*i)++;
        return AS_ANSWER;
    }
    if (!s->resp_first)
        s->resp_first = it;
    s->resp_last = it;
    s->resp_n++;
    if (is_success(L, s, it))
        return AS_CLOSE; /* v[i] stays: a success ends the exchange */
    (*i)++;
    return AS_ANSWER;
}

/* AS_CLOSE: judges the answer, if any; then the next request, the end or
 * the success. */
static auth_state on_close(ctx *x, const leg *L, auth_run *s, auth_res *a, size_t i, size_t limit)
{
    if (s->resp_last) {
        bool ok = is_success(L, s, s->resp_last);
        if (ok && !success_followed(x, L, (size_t)(s->resp_last - x->v), limit))
            return AS_DONE; /* no session follows: not a login, and no more to read */
        verdict vd = judge(x, L, s, ok, limit);
        if (vd == V_UNKNOWN)
            return AS_DONE;
        if (vd == V_ATTEMPT) {
            a->method = attempt_event(x, L, s, ok, a->attempts + 1);
            a->attempts++;
            a->mfa = ok && sd_ev_get(&x->out->v[x->out->n - 1], "mfa");
            s->pk_ok = s->kbd = false;
            s->prompts = s->pk_query_len = 0;
            s->slow_gap = 0;
            a->hung_up = s->hung_up;
            s->last_resp_t = s->resp_last->t;
            if (ok) {
                a->success_at = (size_t)(s->resp_last - x->v);
                a->joined = !alone_success(s, s->resp_last);
                a->end = a->success_at + 1;
                return AS_SUCCESS;
            }
            a->failed = true;
        }
    }
    /* v[i] is the next request unless the records ended (or a
     * success-sized answer was not judged a success) */
    return i >= limit || !sdi_is_cl(L, &x->v[i]) ? AS_DONE : AS_REQUEST;
}

/* The bytes of the leg client's records from v[i] on up to the next
 * server record: one request may span segments. */
static uint64_t cl_run(const ctx *x, const leg *L, size_t i, size_t limit)
{
    uint64_t run = 0;
    for (; i < limit && sdi_is_cl(L, &x->v[i]); i++)
        run += x->v[i].len;
    return run;
}

/* A SERVICE_REQUEST sent again before the next attempt (paramiko starts
 * each auth_* call with one), answered by SERVICE_ACCEPT: between
 * attempts, never inside a keyboard-interactive or key exchange. Every
 * USERAUTH_REQUEST (payload 31 + user at least) is 15 bytes longer than a
 * SERVICE_REQUEST (17) and padding keeps them apart. */
static bool service_request_again(const ctx *x, const leg *L, const auth_run *s, size_t i, size_t limit)
{
    return !L->inner && !s->kbd && !s->pk_ok && i + 1 < limit && x->v[i].len == s->w_sr &&
           !sdi_is_cl(L, &x->v[i + 1]) && x->v[i + 1].len == s->w_acc;
}

/* Runs the RFC 4252 exchange over v[from..]: the leg's client sends
 * SERVICE_REQUEST, then requests each answered by FAILURE, PK_OK /
 * INFO_REQUEST, or SUCCESS (payload 1: the smallest packet). */
auth_res sdi_auth_leg(ctx *x, const leg *L, size_t from, size_t limit)
{
    auth_res a = { .success_at = SIZE_MAX, .sr_at = SIZE_MAX, .end = from };
    auth_run s = { .w_sr = sdi_lw(L, true, P_SERVICE_REQUEST), .w_acc = sdi_lw(L, false, P_SERVICE_REQUEST),
                   .w_ok = sdi_lw(L, false, SD_SSH_P_USERAUTH_SUCCESS),
                   .w_msg = sdi_lw(L, true, P_INFO_RESPONSE_MIN), .ext_info_auth = ext_info_in_auth(x, L) };
    s.w_ok_lo = sdi_z_tunnel_least(x, L, false, SD_SSH_P_USERAUTH_SUCCESS);
    s.w_ok_lo = s.w_ok_lo < s.w_ok ? s.w_ok_lo : 0;
    s.w_sr_lo = sdi_z_tunnel_least(x, L, true, P_SERVICE_REQUEST);
    s.w_sr_lo = s.w_sr_lo < s.w_sr ? s.w_sr_lo : 0;
    if (L->inner)
        s.w_ok_join = sdi_lw_wrap(L, false, sd_ssh_wire_size(L->inner, SD_SSH_P_USERAUTH_SUCCESS) +
                                                sd_ssh_wire_size(L->inner, P_HOSTKEYS_MIN));
    if (L->dropbear_server) { /* dropbear pads every packet to 16 bytes at least */
        const sd_ssh_suite *ss = L->inner ? L->inner : (L->cl_is_outer_client ? L->os : L->oc);
        s.w_ok2 = L->inner ? 0 : s.w_ok + ss->block;
    }
    size_t i = find_service_request(x, L, &s, from, limit);
    if (i == SIZE_MAX)
        return a;
    a.started = true;
    a.sr_at = i;
    auth_start(x, L, &s, i, limit);
    auth_state st = s.pend == SIZE_MAX ? AS_IDLE : AS_ANSWER;
    i++;
    while (st != AS_DONE && st != AS_SUCCESS) {
        switch (st) {
        case AS_IDLE:
            if (i >= limit)
                st = AS_DONE;
            else if (sdi_is_cl(L, &x->v[i]))
                st = AS_REQUEST;
            else
                i++;
            break;
        case AS_REQUEST:
            /* after an attempt, a run of client records smaller than any
             * message of the exchange: inside a tunnel, the outer channel's
             * control (the client gave up and closed) or another session's
             * key; the exchange is over */
            if (a.attempts && !sdi_is_cl(L, &x->v[i - 1]) && cl_run(x, L, i, limit) < s.w_msg) {
                st = AS_DONE;
                break;
            }
            if (service_request_again(x, L, &s, i, limit)) {
                s.last_resp_t = x->v[i + 1].t; /* the request answers the SERVICE_ACCEPT */
                i += 2;
                st = i >= limit ? AS_DONE : sdi_is_cl(L, &x->v[i]) ? AS_REQUEST : AS_IDLE;
                break;
            }
            s.pend = i;
            s.pend_len = x->v[i].len;
            if (putty_pair(x, L, i, limit))
                s.pend_len += x->v[++i].len;
            s.resp_first = s.resp_last = NULL;
            s.resp_n = 0;
            i++;
            st = a.attempts > AUTH_ATTEMPTS_MAX ? AS_DONE : AS_ANSWER;
            break;
        case AS_ANSWER:
            st = on_answer(x, L, &s, &i, limit);
            break;
        case AS_CLOSE:
            st = on_close(x, L, &s, &a, i, limit);
            break;
        case AS_DONE:
        case AS_SUCCESS:
            break;
        }
    }
    if (st == AS_DONE)
        a.end = limit;
    return a;
}
