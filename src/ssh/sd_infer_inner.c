/* sd_infer_inner: a tunnelled leg (a reverse session through -R, a nested
 * one through ProxyJump / -W) read as the forward leg is read: whether its
 * client knew the host key, its session (shell or command), typed by a
 * person or driven by a program, and its keys. Every size goes through the
 * double model outer.wire(9 + inner.wire(P)) (sdi_lw), so the leg's
 * Backspace echo, Enter and keys keep the distinct sizes the two layers
 * give them (docs/events.md host_key_check, session, keystroke). */
#include "sd_infer_zlib.h"

#include <stdio.h>

/* The leg's client sends its NEWKEYS (alone, or in one channel data with
 * its SERVICE_REQUEST at sr) once it accepted the host key; the leg
 * server's record before it is the KEX reply. A person reading the
 * fingerprint prompt delays it by seconds (HOSTKEY_PROMPT_S, the forward
 * leg's rule). */
static void inner_host_key(ctx *x, const leg *L, size_t at, size_t sr)
{
    if (sr == SIZE_MAX || sr <= at + 1)
        return;
    size_t nk = sr;
    while (nk > at + 1 && sdi_is_cl(L, &x->v[nk - 1]))
        nk--;
    const item *rep = &x->v[nk - 1];
    if (sdi_is_cl(L, rep))
        return;
    double d = x->v[nk].t - rep->t;
    bool known = d < HOSTKEY_PROMPT_S;
    sd_event *e = sdi_ev(x, "host_key_check", rep, &x->v[nk], L->id);
    e->confidence = CONF_HOST_KEY;
    sd_ev_bool(e, "known", known);
    sd_ev_num(e, "decision_s", d);
    snprintf(e->note, sizeof e->note, "%s leg: %s (%.2f s from host key to client NEWKEYS)", sd_leg_name(L->id),
             known ? "host key already known" : "first contact: the user was prompted", d);
}

/* A terminal: a pty-req (terminal modes, >= P_PTY_MIN through the tunnel)
 * among the leg client's records within REQ_WINDOW_S of its login. */
static bool inner_pty_req(const ctx *x, const leg *L, size_t s0, size_t lim)
{
    uint32_t w = sdi_lw(L, true, P_PTY_MIN);
    double login_t = x->v[s0 - 1].t;
    for (size_t i = s0; w && i < lim && x->v[i].t - login_t < REQ_WINDOW_S; i++)
        if (sdi_is_cl(L, &x->v[i]) && x->v[i].len >= w)
            return true;
    return false;
}

/* The sftp subsystem (sftp, or scp over SFTP, through ProxyJump): among
 * the leg client's first INNER_SFTP_RECORDS records within REQ_WINDOW_S
 * of its login, the subsystem request's size, then SSH_FXP_INIT's
 * (through the tunnel: outer.wire(9 + inner.wire(P))), answered by the
 * server's SSH_FXP_VERSION, no smaller. The request may share its size
 * with the session's open: the INIT after it decides. Returns the INIT's
 * index (the requests are over there), or SIZE_MAX. */
static size_t inner_sftp(const ctx *x, const leg *L, size_t s0, size_t lim)
{
    uint32_t w_sub = sdi_lw(L, true, P_REQ_SFTP), w_init = sdi_lw(L, true, P_SFTP_INIT),
             w_ver = sdi_lw(L, false, P_SFTP_INIT);
    double login_t = x->v[s0 - 1].t;
    bool sub = false;
    unsigned seen = 0;
    for (size_t i = s0; w_sub && w_init && i < lim && x->v[i].t - login_t < REQ_WINDOW_S; i++) {
        const item *it = &x->v[i];
        if (!sdi_is_cl(L, it))
            continue;
        if (++seen > INNER_SFTP_RECORDS)
            return SIZE_MAX;
        if (sub && it->len == w_init) {
            size_t j = i + 1;
            while (j < lim && sdi_is_cl(L, &x->v[j]))
                j++;
            return j < lim && x->v[j].len >= w_ver ? i : SIZE_MAX;
        }
        sub |= it->len == w_sub;
    }
    return SIZE_MAX;
}

/* The leg's session from s0 (the first record after its login) to lim:
 * shell when a pty-req is seen, or keys with their echoes are (a client
 * with short terminal modes, PTY_PAIRS as on the forward leg); else the
 * sftp subsystem or a command. Keys only in a shell: a command's output
 * is no typing. */
static void inner_session(ctx *x, const leg *L, size_t s0, size_t lim, bool mid)
{
    sdi_inner_rekeys(x, L, s0, lim);
    /* mid-stream: its requests came before the capture */
    bool pty = (!mid && inner_pty_req(x, L, s0, lim)) || sdi_keys_leg(x, L, s0, lim, false) >= PTY_PAIRS;
    size_t init = pty || mid ? SIZE_MAX : inner_sftp(x, L, s0, lim);
    const char *kind = pty ? "shell" : init != SIZE_MAX ? "sftp" : "exec";
    /* a shell's output is what its commands print, as on the forward leg
     * (sdi_transfers): not a transfer of the leg carrying it (lab demo
     * seed +3000: `last` printed 42 KB through the -R tunnel, read as an
     * upload of the forward leg) */
    for (size_t i = s0; pty && i < lim; i++)
        x->v[i].shell_out |= !sdi_is_cl(L, &x->v[i]);
    if (L->id == SD_LEG_NESTED && L->inner) { /* a carrier's transfers are this session's */
        x->nested_s0 = init != SIZE_MAX ? init : s0;
        x->nested_kind = kind;
        x->nested_suite = *L->inner;
        x->nested_nmid = L->nmid;
        for (unsigned k = 0; k < L->nmid; k++)
            x->nested_mid[k] = *L->mid[k];
    }
    sd_event *e = sdi_ev(x, "session", &x->v[s0], &x->v[lim - 1], L->id);
    size_t ev = (size_t)(e - x->out->v);
    e->confidence = CONF_SESSION;
    sd_ev_str(e, "session_kind", kind);
    sd_ev_bool(e, "pty", pty);
    uint32_t keys = pty ? sdi_keys_leg(x, L, s0, lim, x->o->keystrokes) : 0;
    x->sum->keystrokes += keys;
    e = &x->out->v[ev]; /* the keys may have moved the list */
    bool human = keys >= HUMAN_KEYS_MIN && !x->lines_only;
    sd_ev_bool(e, "human", human);
    sd_ev_int(e, "keys", keys);
    snprintf(e->note, sizeof e->note, "%s leg: %s, %s", sd_leg_name(L->id),
             pty ? "interactive shell (pty)" : init != SIZE_MAX ? "sftp subsystem (no pty)" : "remote command (no pty)",
             human ? "typed by a person"
             : x->lines_only ? "whole lines sent at once (scripted or pasted)"
                             : "no typing seen (scripted or idle)");
}

/* A nested leg whose session is a tunnel (-W) carrying the next hop of a
 * ProxyJump chain: no shell, no keys of its own (the records are the
 * deeper leg's). */
static void tunnel_session(ctx *x, const leg *L, size_t s0, size_t lim)
{
    sd_event *e = sdi_ev(x, "session", &x->v[s0], &x->v[lim - 1], L->id);
    e->confidence = CONF_SESSION;
    sd_ev_str(e, "session_kind", "tunnel");
    sd_ev_bool(e, "pty", false);
    sd_ev_bool(e, "human", false);
    sd_ev_int(e, "keys", 0);
    snprintf(e->note, sizeof e->note, "%s leg: tunnel of a nested SSH session (ProxyJump / -W), no shell or pty of its own",
             sd_leg_name(L->id));
}

void sdi_inner_leg(ctx *x, const leg *L, size_t at, size_t lim, const auth_res *a, bool carrier)
{
    /* only a leg that went on to authenticate accepted a host key (a
     * client that refused it closes the channel after the key exchange) */
    if (a->attempts > 0)
        inner_host_key(x, L, at, a->sr_at);
    if (carrier && a->success_at != SIZE_MAX && a->end < lim)
        tunnel_session(x, L, a->end, lim);
    else if (a->success_at != SIZE_MAX && a->end < lim) {
        leg Z = *L; /* its session's sizes through a compressed outer connection */
        sdi_z_tunnel_learn(x, &Z, a->end, lim);
        inner_session(x, &Z, a->end, lim, false);
    }
}

void sdi_inner_mid(ctx *x, const leg *L, size_t s0, size_t lim)
{
    leg Z = *L;
    sdi_z_tunnel_learn(x, &Z, s0, lim);
    inner_session(x, &Z, s0, lim, true);
}
