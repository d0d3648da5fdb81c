#include "sd_sshan.h"

#include <stdlib.h>

struct sd_sshan {
    sd_sshan_opts o;
    sd_sshconn *conn;
};

static void on_conn(void *ud, const sd_sshconn_result *r)
{
    sd_sshan *a = ud;
    if (a->o.stream >= 0 && r->conn->id != (uint64_t)a->o.stream)
        return;
    sd_ssh_done d = { .r = r };
    if (!a->o.infer) {
        a->o.done(a->o.ud, &d);
        return;
    }
    sd_infer_summary su;
    sd_evlist l = { 0 };
    sd_infer_ssh(&a->o.io, r, &l, &su);
    sd_ssh_window(&a->o.io, r, &l);
    sd_evlist_sort(&l);
    d.summary = &su;
    d.events = &l;
    a->o.done(a->o.ud, &d);
    sd_evlist_free(&l);
}

sd_sshan *sd_sshan_new(const sd_sshan_opts *o)
{
    sd_sshan *a = sd_calloc(1, sizeof *a);
    a->o = *o;
    sd_sshconn_opts so = { .done = on_conn, .ud = a };
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
    free(a);
}
