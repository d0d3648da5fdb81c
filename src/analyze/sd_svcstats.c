#include "sd_svcstats.h"

#include "../common/sd_hmap.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[SD_SVC_N] = { "ssh", "http", "ssl", "dns", "ftp", "smtp" };

struct sd_svcstats {
    sd_hmap *names;            /* key: hash of (tls, lower-case name) */
    sd_svcstats_result r;
};

const char *sd_svcstats_name_of(int svc)
{
    return svc >= 0 && svc < SD_SVC_N ? NAMES[svc] : "?";
}

bool sd_svcstats_usual_port(const char *service, uint16_t port)
{
    static const struct { const char *svc; uint16_t port[6]; } P[] = {
        { "ssh", { 22, 2222 } },
        { "http", { 80, 8080, 8000, 8008, 3128, 8888 } },
        { "ssl", { 443, 8443, 993, 995, 465, 636 } },
        { "dns", { 53, 5353, 5355, 137 } },
        { "ftp", { 21 } },
        { "smtp", { 25, 587, 2525 } },
    };
    for (size_t i = 0; i < SD_ARRAY_LEN(P); i++)
        if (!strcmp(P[i].svc, service)) {
            for (size_t k = 0; k < 6 && P[i].port[k]; k++)
                if (P[i].port[k] == port)
                    return true;
            return false;
        }
    return true; /* a service with no usual port: never off-port */
}

sd_svcstats *sd_svcstats_new(void)
{
    sd_svcstats *s = sd_calloc(1, sizeof *s);
    s->names = sd_hmap_new(sizeof(uint64_t), sizeof(sd_svcstats_name), SD_SVCSTATS_MAX_NAMES);
    return s;
}

static void count_name(sd_svcstats *s, const sd_conn *c, bool tls)
{
    char low[sizeof c->app.name + 1];
    size_t n = strnlen(c->app.name, sizeof c->app.name);
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)c->app.name[i]);
    low[n] = tls ? 't' : 'h';
    uint64_t key = sd_hash_bytes(low, n + 1);
    void *v;
    sd_hmap_res r = sd_hmap_insert(s->names, &key, &v);
    if (r == SD_HMAP_FULL) {
        s->r.names_refused++;
        return;
    }
    sd_svcstats_name *e = v;
    if (r == SD_HMAP_ADDED) {
        memcpy(e->name, c->app.name, sizeof e->name);
        e->name[sizeof e->name - 1] = '\0';
        e->tls = tls;
        e->first_frame = c->first_frame;
    }
    e->conns++;
}

static void offport(sd_svcstats *s, const sd_conn *c)
{
    if (sd_svcstats_usual_port(c->service, c->resp_p))
        return;
    if (s->r.noff < SD_SVCSTATS_TOP) {
        sd_svcstats_offport *o = &s->r.off[s->r.noff++];
        o->stream = c->id, o->frame = c->first_frame, o->ipproto = c->ipproto, o->port = c->resp_p;
        memcpy(o->service, c->service, sizeof o->service);
        memcpy(o->uid, c->uid, sizeof o->uid);
        memcpy(o->name, c->app.name, sizeof o->name);
    }
    s->r.offport++;
}

void sd_svcstats_conn(sd_svcstats *s, const sd_conn *c)
{
    int svc = -1;
    for (int i = 0; i < SD_SVC_N; i++)
        if (!strcmp(c->service, NAMES[i]))
            svc = i;
    if ((c->app.kind == 'h' || c->app.kind == 't') && c->app.name[0]) {
        count_name(s, c, c->app.kind == 't');
        c->app.kind == 't' ? s->r.tls_named++ : s->r.http_named++;
    }
    s->r.ja4s += c->app.kind == 't' && c->app.ja4[0];
    if (svc < 0) /* joined mid-stream: what it asked for, but no service (Zeek's rule) */
        return;
    s->r.conns[svc]++;
    offport(s, c);
}

static bool before(const sd_svcstats_name *x, const sd_svcstats_name *y)
{
    return x->conns != y->conns ? x->conns > y->conns : x->first_frame < y->first_frame;
}

static void top_add(sd_svcstats_name *top, size_t *n, const sd_svcstats_name *e)
{
    size_t i = *n;
    if (i == SD_SVCSTATS_TOP && !before(e, &top[i - 1]))
        return;
    if (i == SD_SVCSTATS_TOP)
        i--;
    for (; i > 0 && before(e, &top[i - 1]); i--)
        top[i] = top[i - 1];
    top[i] = *e;
    if (*n < SD_SVCSTATS_TOP)
        (*n)++;
}

const sd_svcstats_result *sd_svcstats_finish(sd_svcstats *s)
{
    sd_hmap_iter it = { 0 };
    while (sd_hmap_next(s->names, &it)) {
        const sd_svcstats_name *e = it.val;
        if (e->tls)
            top_add(s->r.tls, &s->r.ntls, e);
        else
            top_add(s->r.http, &s->r.nhttp, e);
    }
    return &s->r;
}

void sd_svcstats_free(sd_svcstats *s)
{
    if (!s)
        return;
    sd_hmap_free(s->names);
    free(s);
}
