/* sd_infer_carry: what a tunnel carries, read from the sizes, directions
 * and timing of its channel's records (docs/events.md forward, carried):
 * keep-alive only (idle), a bulk transfer one way, an interactive
 * two-way stream (a remote desktop: VNC/RDP-like), request/response web
 * traffic. A channel carrying an SSH session is found by its handshake
 * (sd_infer_legs.c) and reported as "ssh" on its nested/reverse event.
 * The thresholds are in sd_infer_rules.h (CARRY_*). */
#include "sd_infer_int.h"

#include <stdio.h>

void sdi_carry_add(sdi_carry *c, bool from_client, double t, uint64_t data_bytes, bool data)
{
    int d = !from_client;
    if (!c->recs[0] && !c->recs[1])
        c->t0 = t;
    c->t1 = t;
    c->recs[d]++;
    if (!data_bytes && !data)
        return; /* control-sized: an EOF, a WINDOW_ADJUST or a byte of keep-alive */
    c->data[d]++;
    c->bytes[d] += data_bytes;
    /* a request: the opener's data first, or after the peer's answer */
    if (d == c->req && c->last_data_dir != d)
        c->exchanges++;
    if (c->last_data_dir < 0)
        c->opener_first = d == c->req;
    c->last_data_dir = d;
}

double sdi_carry_duration(const sdi_carry *c)
{
    return c->t1 > c->t0 ? c->t1 - c->t0 : 0.0;
}

static double rate(const sdi_carry *c)
{
    double d = sdi_carry_duration(c);
    return d > 0 ? (double)(c->recs[0] + c->recs[1]) / d : 0.0;
}

/* One way, large: CARRY_BULK_BYTES and CARRY_BULK_RATIO times the other. */
static bool bulk(const sdi_carry *c)
{
    for (int d = 0; d < 2; d++)
        if (c->bytes[d] >= CARRY_BULK_BYTES && c->bytes[d] >= CARRY_BULK_RATIO * c->bytes[!d])
            return true;
    return false;
}

/* Steady records both ways at a high rate, sustained. Inputs (a key, a
 * pointer move) are as small as control packets: every record counts. */
static bool interactive(const sdi_carry *c)
{
    uint32_t n = c->recs[0] + c->recs[1];
    if (!n || sdi_carry_duration(c) < CARRY_INTERACTIVE_S || rate(c) < CARRY_INTERACTIVE_RATE)
        return false;
    for (int d = 0; d < 2; d++)
        if ((double)c->recs[d] < CARRY_TWOWAY_SHARE * n)
            return false;
    return true;
}

/* The opener's side asks first (the program that connected to the
 * forward; in a channel joined mid-exchange the tail of an answer may
 * come before), each request small, the other side answers with more. */
static bool web(const sdi_carry *c)
{
    int q = c->req;
    return (c->opener_first || c->joined) && c->exchanges && c->bytes[!q] > c->bytes[q] &&
           c->bytes[q] / c->exchanges <= CARRY_REQUEST_MAX;
}

const char *sdi_carry_class(const sdi_carry *c)
{
    /* no record larger than control packets (compressed ones count as
     * data of unknown size: no bytes) */
    if (!c->bytes[0] && !c->bytes[1] && c->recs[0] + c->recs[1] >= CARRY_IDLE_RECORDS && rate(c) <= CARRY_IDLE_RATE)
        return "idle";
    if (bulk(c))
        return "bulk";
    if (interactive(c))
        return "interactive";
    return web(c) ? "web" : "unknown";
}

void sdi_carry_fields(sd_event *e, const sdi_carry *c, const char *cls)
{
    sd_ev_str(e, "carried", cls);
    sd_ev_int(e, "records_c2s", c->recs[0]);
    sd_ev_int(e, "records_s2c", c->recs[1]);
    sd_ev_int(e, "exchanges", c->exchanges);
    sd_ev_num(e, "duration_s", sdi_carry_duration(c));
    sd_ev_num(e, "rate_rps", rate(c));
}
