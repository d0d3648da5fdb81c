/* sd_infer_authend: a connection closed during authentication, who closed
 * it and why (docs/events.md auth_closed): sshd's MaxAuthTries answers
 * the last attempt with a DISCONNECT, its LoginGraceTime closes after
 * waiting for the client, a client that gave up (no method or password
 * left) sends its DISCONNECT and closes. */
#include "sd_infer_authend.h"


/* The direction (0/1 of the connection) that closed first: its first FIN
 * or RST, whichever came first; -1 when neither. */
static int first_close_dir(const sd_conn *c)
{
    if (c->first_fin_dir < 0)
        return c->first_rst_dir;
    if (c->first_rst_dir < 0)
        return c->first_fin_dir;
    return c->first_fin_frame <= c->first_rst_frame ? c->first_fin_dir : c->first_rst_dir;
}

bool sdi_client_closed(const ctx *x)
{
    return first_close_dir(x->r->conn) == x->r->meta->client_dir;
}

/* Why the server closed: in place of answering an attempt (its limit of
 * attempts), after waiting AUTH_CLOSE_IDLE_S or more with nothing asked
 * (its grace time), or at once otherwise (it refused the client). */
static const char *server_reason(const ctx *x, const auth_res *a)
{
    const item *last = &x->v[x->n - 1];
    double idle = sd_ts_sec(x->r->conn->end) - last->t;
    if (a->hung_up)
        return a->attempts ? "max_tries" : "refused";
    return idle >= AUTH_CLOSE_IDLE_S ? "timeout" : "refused";
}

void sdi_auth_closed(ctx *x, const auth_res *a)
{
    const sd_conn *c = x->r->conn;
    int dir = first_close_dir(c);
    if (!a->started || a->success_at != SIZE_MAX || !x->n || dir < 0)
        return;
    /* the server's DISCONNECT answering the last attempt makes the client
     * close first: the server still closed it */
    bool by_server = a->hung_up || dir != x->r->meta->client_dir;
    const char *reason = by_server ? server_reason(x, a) : "gave_up";
    const item *last = &x->v[x->n - 1];
    sd_event *e = sdi_ev(x, "auth_closed", last, last, SD_LEG_FORWARD);
    e->dir = by_server ? 1 : 0;
    e->confidence = CONF_AUTH_CLOSED;
    sd_ev_str(e, "by", by_server ? "server" : "client");
    sd_ev_str(e, "reason", reason);
    sd_ev_int(e, "attempts", a->attempts);
    /* "the %s closed the connection during authentication (%s) after %d
     * attempt%s", without printf (an event per short connection) */
    sd_evnote n = sd_evnote_start(e);
    sd_evnote_cat(&n, by_server ? "the server" : "the client");
    sd_evnote_cat(&n, " closed the connection during authentication (");
    sd_evnote_cat(&n, reason);
    sd_evnote_cat(&n, ") after ");
    sd_evnote_int(&n, a->attempts);
    sd_evnote_cat(&n, a->attempts == 1 ? " attempt" : " attempts");
}
