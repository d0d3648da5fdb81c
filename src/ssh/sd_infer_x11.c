/* sd_infer_x11: X11 forwarding in use, not only requested. When a program
 * on the server opens the forwarded DISPLAY, sshd opens an "x11" channel
 * to the client (RFC 4254 6.3.2), the client confirms it at once and
 * connects to its own X server, and the X client's connection setup goes
 * through: a CHANNEL_DATA of exactly P_X11_SETUP bytes (the fake
 * MIT-MAGIC-COOKIE-1 sshd handed out) answered by the X server's setup
 * reply. Four sizes in a row, from the negotiated suite's size model
 * (docs/events.md x11_forwarding). */
#include "sd_infer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether len is the wire size of an x11 CHANNEL_OPEN sent by the server
 * for an originator address of X11_ADDR_MIN..X11_ADDR_MAX bytes. */
static bool x11_open_len(const ctx *x, uint32_t len)
{
    for (uint32_t a = X11_ADDR_MIN; a <= X11_ADDR_MAX; a++)
        if (len == sd_ssh_wire_size(x->ss, P_X11_OPEN_BASE + a))
            return true;
    return false;
}

/* The X server's reply: the client's records right after the setup,
 * within X11_REPLY_S, add up to X11_REPLY_MIN bytes at least. */
static bool x11_reply(const ctx *x, size_t setup)
{
    uint64_t b = 0;
    for (size_t k = setup + 1; k < x->n && x->v[k].c && x->v[k].t - x->v[setup].t < X11_REPLY_S; k++)
        b += x->v[k].len;
    return b >= X11_REPLY_MIN;
}

bool sdi_x11_open_at(const ctx *x, size_t i)
{
    /* the open's segment can hold more of the server's messages after it
     * (lab x11_used_aes128gcm seed 2000: the open, then 36 bytes of the
     * shell's, in one segment): the confirmation follows them */
    size_t j = sdi_past_segment(x, i);
    if (j + 2 >= x->n)
        return false;
    const item *o = &x->v[i], *c = &x->v[j], *s = &x->v[j + 1];
    /* a segment may carry other output of the server with the open */
    bool open = o->exact ? x11_open_len(x, o->len)
                         : o->len >= sd_ssh_wire_size(x->ss, P_X11_OPEN_BASE + X11_ADDR_MIN);
    return !o->c && open && c->c && c->len == sd_ssh_wire_size(x->cs, P_OPEN_CONFIRM) &&
           c->t - o->t < AGENT_CONFIRM_S && !s->c && s->len == sd_ssh_wire_size(x->ss, P_X11_SETUP) &&
           x11_reply(x, j + 1);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The frames where a reverse or nested handshake was found (sorted; *n of
 * them): a channel opened there carries SSH, not X (an SSH banner can
 * have the X setup's size). NULL when none. */
static uint64_t *tunnel_frames(const ctx *x, size_t *n)
{
    *n = 0;
    for (size_t k = 0; k < x->out->n; k++)
        *n += !strcmp(x->out->v[k].kind, "reverse_init") || !strcmp(x->out->v[k].kind, "nested_init");
    if (!*n)
        return NULL;
    uint64_t *f = sd_calloc(*n, sizeof *f);
    size_t j = 0;
    for (size_t k = 0; k < x->out->n; k++)
        if (!strcmp(x->out->v[k].kind, "reverse_init") || !strcmp(x->out->v[k].kind, "nested_init"))
            f[j++] = x->out->v[k].frame;
    qsort(f, *n, sizeof *f, cmp_u64);
    return f;
}

/* Whether v[k] is a client record no X traffic has (X11_QUIET_S): too
 * small for an X message, after a pause no protocol answer takes. Over
 * zlib sizes tell nothing. */
static bool x11_shell_key(const ctx *x, size_t k)
{
    const item *it = &x->v[k];
    return !x->zlib && it->c && it->len < sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(X11_MSG_MIN)) &&
           it->t - x->v[k - 1].t >= X11_QUIET_S + x->c_lag;
}

/* The channel's traffic from its open at v[i]: records until both
 * directions pause X11_BURST_GAP_S or the shell's keys resume, marked so
 * that no rule reads them as keys. Returns the index of the last. */
static size_t x11_burst(ctx *x, size_t i, uint64_t bytes[2])
{
    size_t k = i;
    for (;;) {
        x->v[k].x11 = true;
        bytes[x->v[k].c ? 0 : 1] += x->v[k].len;
        if (k + 1 >= x->n || x->v[k + 1].t - x->v[k].t > X11_BURST_GAP_S || x11_shell_key(x, k + 1))
            return k;
        k++;
    }
}

void sdi_x11_used(ctx *x, size_t s0)
{
    uint64_t bytes[2] = { 0, 0 };
    size_t first = SIZE_MAX, last = 0;
    int64_t channels = 0;
    size_t nt;
    uint64_t *tf = tunnel_frames(x, &nt);
    for (size_t i = s0; i < x->n; i++) {
        if (!sdi_x11_open_at(x, i) || (tf && bsearch(&x->v[i].frame, tf, nt, sizeof *tf, cmp_u64)))
            continue;
        if (first == SIZE_MAX)
            first = i;
        channels++;
        last = x11_burst(x, i, bytes);
        i = last; /* the next open comes after this channel's burst */
    }
    free(tf);
    if (first == SIZE_MAX)
        return;
    x->sum->x11_used = true;
    sd_event *e = sdi_ev(x, "x11_forwarding", &x->v[first], &x->v[last], SD_LEG_FORWARD);
    e->dir = 1;
    e->confidence = CONF_X11_USED;
    sd_ev_bool(e, "used", true);
    sd_ev_int(e, "channels", channels);
    sd_ev_int(e, "bytes_c2s", (int64_t)bytes[0]);
    sd_ev_int(e, "bytes_s2c", (int64_t)bytes[1]);
    snprintf(e->note, sizeof e->note, "x11 channel opened by the server and an X client connected: %lld channel(s)",
             (long long)channels);
}
