/* sd_infer_shape: what the connection amounts to around its login, as
 * Corelight's SSH inference codes name it (docs/corelight-codes.md):
 * authentication bypass (ABP: traffic both ways with no authentication
 * first), authentication-method scan (SA: the none probe and nothing
 * else) and no remote command (NRC: -N). Sizes from the negotiated suite
 * (docs/events.md auth_bypass, scan, forward_only). */
#include "sd_infer_int.h"
#include "sd_infer_authend.h"

#include <stdio.h>

/* Records of each side from v[from] on. */
static void count_sides(const ctx *x, size_t from, size_t *cl, size_t *sv)
{
    *cl = *sv = 0;
    for (size_t i = from; i < x->n; i++)
        (x->v[i].c ? cl : sv)[0]++;
}

/* The client's first encrypted record, or SIZE_MAX. */
static size_t first_client(const ctx *x)
{
    for (size_t i = 0; i < x->n; i++)
        if (x->v[i].c)
            return i;
    return SIZE_MAX;
}

/* ABP: no login, the first client record cannot hold a SERVICE_REQUEST
 * (an exact packet of another size; a segment smaller than one), and
 * BYPASS_RECORDS records at least each way. Bytes missing from the
 * client's side could hide the request: then nothing is said. */
static void auth_bypass(ctx *x, uint64_t client_gap)
{
    size_t f = first_client(x), cl, sv;
    if (f == SIZE_MAX || client_gap)
        return;
    uint32_t w_sr = sd_ssh_wire_size(x->cs, P_SERVICE_REQUEST);
    const item *it = &x->v[f];
    if (it->exact ? it->len == w_sr : it->len >= w_sr)
        return;
    count_sides(x, f, &cl, &sv);
    if (cl < BYPASS_RECORDS || sv < BYPASS_RECORDS)
        return;
    sd_event *e = sdi_ev(x, "auth_bypass", it, &x->v[x->n - 1], SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = CONF_AUTH_BYPASS;
    sd_ev_int(e, "first_len", it->len);
    sd_ev_int(e, "client_records", (int64_t)cl);
    sd_ev_int(e, "server_records", (int64_t)sv);
    snprintf(e->note, sizeof e->note, "traffic both ways without authentication: the client's first record (%u bytes) "
             "is no SERVICE_REQUEST", it->len);
}

/* SA: the exchange started, no attempt beyond the none probe, no login,
 * the client sent nothing more than the request, the probe and a
 * DISCONNECT, and the client closed the connection first (a FIN or RST:
 * a capture that merely ends there says nothing about what came next; a
 * server closing first gave up waiting, sd_infer_authend.c). */
static void auth_scan(ctx *x, const auth_res *a)
{
    const sd_conn *c = x->r->conn;
    size_t f = first_client(x), cl, sv;
    bool closed = sd_conn_fin_or_rst(c) && sdi_client_closed(x);
    if (!a->started || a->attempts || a->success_at != SIZE_MAX || f == SIZE_MAX || !closed)
        return;
    count_sides(x, 0, &cl, &sv);
    if (cl > AUTH_SCAN_CLIENT_RECORDS || !sv)
        return;
    sd_event *e = sdi_ev(x, "scan", &x->v[f], &x->v[x->n - 1], SD_LEG_FORWARD);
    e->confidence = CONF_AUTH_SCAN;
    sd_ev_str(e, "outcome", "auth_methods_only");
    snprintf(e->note, sizeof e->note, "the client learned the authentication methods (none probe) and left");
}

void sdi_auth_shape(ctx *x, const auth_res *a)
{
    const sd_ssh_meta *m = x->r->meta;
    if (a->success_at != SIZE_MAX)
        return;
    auth_bypass(x, x->r->gap_bytes[m->client_dir]);
    auth_scan(x, a);
}

void sdi_forward_only_event(ctx *x, size_t s0)
{
    if (s0 >= x->n)
        return;
    size_t i = s0;
    while (i + 1 < x->n && !x->v[i].c)
        i++;
    sd_event *e = sdi_ev(x, "forward_only", &x->v[i], &x->v[x->n - 1], SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = CONF_FORWARD_ONLY;
    snprintf(e->note, sizeof e->note, "-N: no session channel, no shell and no command after login");
}
