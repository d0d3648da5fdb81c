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

/* -R: a tcpip-forward global request right after login, before the
 * session's CHANNEL_OPEN (payload 27 + bind address) */
void sdi_reverse_provisioned(ctx *x, size_t s0)
{
    if (!(s0 < x->n && x->v[s0].c && x->v[s0].t - x->login_t < RFWD_AFTER_LOGIN_S))
        return;
    static const uint32_t addr[] = { 9, 0, 7 }; /* localhost, "", 0.0.0.0 */
    uint32_t w_open = sd_ssh_wire_size(x->cs, P_SESSION_OPEN);
    /* want_reply: REQUEST_SUCCESS (payload 1, or 5 with the port), alone
     * or in one segment with the session's OPEN_CONFIRMATION */
    uint32_t r1 = sd_ssh_wire_size(x->ss, P_REQUEST_SUCCESS), r5 = sd_ssh_wire_size(x->ss, P_REQUEST_SUCCESS_PORT),
             cf = sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM);
    bool reply = false;
    for (size_t j = s0 + 1; j < x->n && x->v[j].t - x->v[s0].t < RFWD_REPLY_S; j++) {
        uint32_t l = x->v[j].len;
        if (!x->v[j].c && (l == r1 || l == r5 || l == r1 + cf || l == r5 + cf))
            reply = true;
    }
    for (size_t k = 0; reply && k < sizeof addr / sizeof addr[0]; k++)
        if (x->v[s0].len == sd_ssh_wire_size(x->cs, P_TCPIP_FORWARD_BASE + addr[k]) && x->v[s0].len != w_open) {
            x->sum->reverse_provisioned = true;
            sd_event *e = sdi_ev(x, "reverse_provisioned", &x->v[s0], NULL, SD_LEG_FORWARD);
            e->dir = 0;
            e->confidence = CONF_REVERSE_PROVISIONED;
            snprintf(e->note, sizeof e->note, "-R: tcpip-forward requested after login");
            break;
        }
}

/* The inner suite whose sizes explain the tunnelled authentication: the
 * first candidate whose dry run logs in, else the first that finds
 * attempts (a login that failed), else the first. *sr: where its dry run
 * found the leg's SERVICE_REQUEST (SIZE_MAX: nowhere). The dry runs leave
 * neither events nor summary behind. */
static const sd_ssh_suite *pick_inner(ctx *x, size_t from, size_t lim, bool cl_is_outer_client,
                                      const sd_ssh_suite *cand, size_t ncand, size_t *sr)
{
    sd_evlist scratch = { 0 };
    sd_evlist *keep = x->out;
    sd_infer_summary sum = *x->sum;
    size_t best = SIZE_MAX, fallback = SIZE_MAX, fsr = SIZE_MAX;
    *sr = SIZE_MAX;
    x->out = &scratch;
    for (size_t k = 0; k < ncand && best == SIZE_MAX; k++) {
        leg L = { .id = SD_LEG_REVERSE, .cl_is_outer_client = cl_is_outer_client, .oc = x->cs, .os = x->ss,
                  .inner = &cand[k], .openssh_client = true };
        auth_res a = sdi_auth_leg(x, &L, from, lim);
        scratch.n = 0;
        if (a.success_at != SIZE_MAX) {
            best = k;
            *sr = a.sr_at;
        } else if (a.attempts > 0 && fallback == SIZE_MAX) {
            fallback = k;
            fsr = a.sr_at;
        }
    }
    x->out = keep;
    *x->sum = sum;
    sd_evlist_free(&scratch);
    if (best == SIZE_MAX && fallback != SIZE_MAX) {
        best = fallback;
        *sr = fsr;
    }
    return ncand ? &cand[best != SIZE_MAX ? best : 0] : NULL;
}

/* A channel opened by one side (size >= NESTED_OPEN_MIN) answered at once
 * by an OPEN_CONFIRMATION, then KEXINIT-sized records both ways: an SSH
 * session carried inside the channel. Returns the index of the open or
 * SIZE_MAX. */
static size_t find_nested(ctx *x, size_t from, bool opener_is_client, uint32_t w_conf)
{
    for (size_t i = from; i + 1 < x->n; i++) {
        item *o = &x->v[i];
        if (o->c != opener_is_client || o->len < NESTED_OPEN_MIN)
            continue;
        size_t j = i + 1;
        while (j < x->n && x->v[j].c == opener_is_client && x->v[j].t - o->t < NESTED_CONFIRM_S)
            j++;
        if (j >= x->n || x->v[j].t - o->t > NESTED_CONFIRM_S || x->v[j].len < w_conf)
            continue;
        /* the two KEXINITs (about 1-1.5 KB each) follow the banners */
        int big[2] = { 0, 0 };
        for (size_t k = j + 1; k < x->n && x->v[k].t - o->t < NESTED_KEX_S && k < j + NESTED_KEX_RECORDS; k++)
            if (x->v[k].len >= KEXINIT_MIN && x->v[k].len <= KEXINIT_MAX && !big[x->v[k].c])
                big[x->v[k].c] = 1;
        if (big[0] && big[1])
            return i;
    }
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

/* A tunnelled leg from its opening record at..lim: its host key,
 * authentication, session and keys. */
static void tunnel_leg(ctx *x, sd_leg id, bool cl_is_outer_client, size_t at, size_t lim, const sd_ssh_suite *inner)
{
    leg L = { .id = id, .cl_is_outer_client = cl_is_outer_client, .oc = x->cs, .os = x->ss, .inner = inner,
              .openssh_client = true };
    auth_res a = sdi_auth_leg(x, &L, at, lim);
    sdi_inner_leg(x, &L, at, lim, &a);
}

/* Where to look for the next reverse session after the handshake opened
 * at rv: past its SERVICE_REQUEST (sr), or when none was found past the
 * burst of its key exchange. A KEXINIT the tunnel split over two channel
 * data (two records) is one handshake, not a second session. */
static size_t past_handshake(const ctx *x, size_t rv, size_t sr)
{
    if (sr != SIZE_MAX && sr > rv)
        return sr + 1;
    size_t hs = rv + 1;
    while (hs < x->n && x->v[hs].t - x->v[rv].t < NESTED_KEX_S)
        hs++;
    return hs;
}

/* Each reverse session from rv on: the next handshake ends the previous
 * one. */
static void reverse_legs(ctx *x, size_t rv, uint32_t w_conf, const sd_ssh_suite *inner, size_t ninner)
{
    while (rv != SIZE_MAX) {
        size_t sr;
        const sd_ssh_suite *in = pick_inner(x, rv, x->n, false, inner, ninner, &sr);
        size_t next = find_nested(x, past_handshake(x, rv, sr), false, w_conf);
        size_t lim = next != SIZE_MAX ? next : x->n;
        item *it = &x->v[rv];
        double after = it->t - x->login_t;
        sd_event *e = sdi_ev(x, "reverse_init", it, NULL, SD_LEG_REVERSE);
        e->dir = 1;
        e->confidence = CONF_REVERSE_INIT;
        sd_ev_bool(e, "automated", after < REVERSE_AUTO_S);
        sd_ev_num(e, "after_login_s", after);
        snprintf(e->note, sizeof e->note, "SSH session started from the server through the tunnel, %.1f s after login",
                 after);
        if (lim < x->n) /* the suite that explains this session alone */
            in = pick_inner(x, rv, lim, false, inner, ninner, &sr);
        tunnel_leg(x, SD_LEG_REVERSE, false, rv, lim, in);
        rv = next;
    }
}

bool sdi_carrier(ctx *x, size_t s0)
{
    /* past the server's records (hostkeys-00) and a no-more-sessions */
    uint32_t w_nms = sd_ssh_wire_size(x->cs, P_NO_MORE_SESSIONS);
    size_t i = s0;
    while (i < x->n && (!x->v[i].c || x->v[i].len == w_nms))
        i++;
    return i < x->n && x->v[i].t - x->login_t < REQ_WINDOW_S &&
           find_nested(x, i, true, sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM)) == i;
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
    bool tunnels = rv != SIZE_MAX || nv != SIZE_MAX;
    reverse_legs(x, rv, w_conf, inner, ninner);
    if (nv != SIZE_MAX) {
        item *it = &x->v[nv];
        sd_event *e = sdi_ev(x, "nested_init", it, NULL, SD_LEG_NESTED);
        e->dir = 0;
        e->confidence = CONF_NESTED_INIT;
        snprintf(e->note, sizeof e->note, "SSH session to another host carried inside (ProxyJump / -W)");
        size_t sr;
        tunnel_leg(x, SD_LEG_NESTED, true, nv, x->n, pick_inner(x, nv, x->n, true, inner, ninner, &sr));
    }
    return tunnels;
}
