#include "sd_sshan.h"

#include <stdlib.h>
#include <string.h>

struct sd_sshan {
    sd_sshan_opts o;
    sd_sshconn *conn;
    sd_evlist done_l, prog_l; /* reused from one connection to the next */
};

/* Events a reused list keeps room for; a connection with more (a long
 * interactive session) gives its list back, so memory stays flat. */
#define EVLIST_KEEP 64

static void evlist_reset(sd_evlist *l)
{
    if (l->cap > EVLIST_KEEP)
        sd_evlist_free(l);
    l->n = 0;
}

void sd_sshan_conclude(sd_sshan *a, const sd_sshconn_result *r)
{
    sd_ssh_done d = { .r = r };
    if (!a->o.infer) {
        a->o.done(a->o.ud, &d);
        return;
    }
    sd_infer_summary su;
    sd_evlist *l = &a->done_l;
    sd_infer_ssh(&a->o.io, r, l, &su);
    sd_ssh_window(&a->o.io, r, l);
    sd_evlist_sort(l);
    d.summary = &su;
    d.events = l;
    a->o.done(a->o.ud, &d);
    evlist_reset(l);
}

static void on_conn(void *ud, const sd_sshconn_result *r)
{
    sd_sshan *a = ud;
    if (a->o.stream >= 0 && r->conn->id != (uint64_t)a->o.stream)
        return;
    if (a->o.handoff)
        a->o.handoff(a->o.ud, r);
    else
        sd_sshan_conclude(a, r);
}

/* The findings worth saying before the connection ends, one bit each in
 * the connection's caller_bits so each is said once. */
static uint32_t early_bit(const sd_event *e)
{
    const sd_evfield *f;
    if (!strcmp(e->kind, "auth_attempt"))
        return (f = sd_ev_get(e, "result")) && !strcmp(f->s, "success") ? 1u << e->leg : 0;
    if (!strcmp(e->kind, "reverse_provisioned"))
        return 1u << 4;
    if (!strcmp(e->kind, "reverse_init"))
        return 1u << 5;
    if (!strcmp(e->kind, "nested_init"))
        return 1u << 6;
    if (!strcmp(e->kind, "agent_forwarding"))
        return (f = sd_ev_get(e, "used")) && f->b ? 1u << 7 : 0;
    return 0;
}

static void on_progress(void *ud, const sd_sshconn_result *r)
{
    sd_sshan *a = ud;
    if (a->o.stream >= 0 && r->conn->id != (uint64_t)a->o.stream)
        return;
    sd_infer_summary su;
    sd_evlist *l = &a->prog_l;
    sd_infer_ssh(&a->o.io, r, l, &su);
    sd_evlist_sort(l);
    for (size_t i = 0; i < l->n; i++) {
        uint32_t bit = early_bit(&l->v[i]);
        if (!bit || (*r->caller_bits & bit))
            continue;
        *r->caller_bits |= bit;
        sd_ev_bool(&l->v[i], "live", true);
        a->o.early(a->o.ud, &l->v[i]);
    }
    evlist_reset(l);
}

sd_sshan *sd_sshan_new(const sd_sshan_opts *o)
{
    sd_sshan *a = sd_calloc(1, sizeof *a);
    a->o = *o;
    /* a handoff takes every result for the thread that concludes it
     * (which settles the statistics): the engine's thread leaves the
     * kept records' statistics to it */
    sd_sshconn_opts so = { .done = on_conn, .ud = a, .defer_stats = o->handoff != NULL,
                           .progress = o->infer && o->early ? on_progress : NULL, .ssh_ports = o->ssh_ports };
    a->conn = sd_sshconn_new(&so);
    return a;
}

int sd_sshan_attach(sd_sshan *a, sd_engine *e)
{
    return sd_sshconn_attach(a->conn, e);
}

const sd_sshconn_stats *sd_sshan_stats(const sd_sshan *a)
{
    return sd_sshconn_get_stats(a->conn);
}

void sd_sshan_free(sd_sshan *a)
{
    if (!a)
        return;
    sd_sshconn_free(a->conn);
    sd_evlist_free(&a->done_l);
    sd_evlist_free(&a->prog_l);
    free(a);
}
