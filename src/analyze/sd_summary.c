#include "sd_summary.h"

#include "../common/sd_hmap.h"
#include "../common/sd_vec.h"
#include "../flow/sd_own.h"
#include "sd_filesig.h"
#include "sd_service.h"

#include <stdlib.h>
#include <string.h>

struct sd_summary {
    sd_summary_opts o;
    sd_hoststats *hs;
    sd_clientpat *cp;
    sd_hostsum *host;   /* NULL without a host of interest */
    sd_hostdns *hdns;   /* its DNS; NULL without one */
    sd_filesig *fs;     /* NULL unless files */
    sd_service *svc;    /* the service column of every connection */
    sd_svcstats *svcst; /* services counted */
    sd_dnsind *dnsind;  /* DNS indicators, fed by dns's transactions */
    sd_dnsan *dns;
    SD_VEC(sd_summary_file) files;
    struct sd_own *own;    /* the chunk this run owns (--own), else NULL */
    SD_VEC(sd_summary_cpart) conns; /* with own: each owned connection's facts */
    sd_summary_chunk chunk;
    char files_uid[20];    /* with own: the connection sd_filesig just ended, */
    uint64_t files_pending; /* its signatures (its conn_done comes next) */
    bool files_uid_set;
    sd_hmap *syn_seq;      /* with own: uid -> the sequence number of the SYN
                              sd_clientpat counts, until the connection ends */
    const sd_engine *e;    /* with own: its record being handled, */
    uint64_t txn_seq;      /* and the DNS transactions handed on */
    sd_summary_files fr;
    sd_summary_result r;
    bool finished;
};

/* With a host of interest, only its connections are scanned for files
 * (and reassembled): the report is about it. */
static bool fs_want(void *ud, const sd_conn *c)
{
    sd_summary *s = ud;
    return !s->host || sd_hostsum_wants(s->host, c);
}

static void fs_done(void *ud, const sd_conn *c, const sd_filesig_conn *r)
{
    sd_summary *s = ud;
    s->fr.total += r->total[0] + r->total[1];
    s->fr.conns++;
    if (s->own) { /* the merge counts the connections it keeps */
        s->files_pending = r->total[0] + r->total[1];
        s->files_uid_set = true;
        memcpy(s->files_uid, c->uid, sizeof s->files_uid);
    }
    for (size_t i = 0; i < r->events->n && s->files.n < SD_SUMMARY_MAX_FILES; i++) {
        const sd_event *e = &r->events->v[i];
        const sd_evfield *sig = sd_ev_get(e, "sig"), *off = sd_ev_get(e, "offset");
        sd_summary_file *f = sd_vec_push(&s->files);
        memset(f, 0, sizeof *f);
        memcpy(f->uid, c->uid, sizeof f->uid);
        f->stream = c->id;
        f->ts = e->ts;
        f->frame = e->frame;
        f->frame_last = e->frame_last;
        f->dir = e->dir;
        snprintf(f->sig, sizeof f->sig, "%.23s", sig ? sig->s : "?"); /* sd_sig names are short */
        f->offset = off ? (uint64_t)off->i : 0;
        f->orig_h = c->orig_h;
        f->resp_h = c->resp_h;
        f->orig_p = c->orig_p;
        f->resp_p = c->resp_p;
    }
}

sd_summary *sd_summary_new(const sd_summary_opts *o)
{
    sd_summary *s = sd_calloc(1, sizeof *s);
    s->o = *o;
    sd_hoststats_opts ho = { .max_hosts = o->max_hosts, .all_hosts = o->all_hosts };
    s->hs = sd_hoststats_new(&ho);
    /* with a host of interest, only its own clients' patterns */
    s->cp = sd_clientpat_new(&(sd_clientpat_opts){ .max_hosts = o->max_hosts,
                                                   .only = o->host_set ? &o->host.host : NULL });
    if (o->host_set) {
        s->host = sd_hostsum_new(&o->host);
        s->hdns = sd_hostdns_new(&o->host.host);
    }
    s->svc = sd_service_new();
    s->svcst = sd_svcstats_new();
    s->dnsind = sd_dnsind_new();
    if (o->files)
        s->fs = sd_filesig_new(&(sd_filesig_opts){ .want = fs_want, .done = fs_done, .ud = s });
    s->fr.max = SD_SUMMARY_MAX_FILES;
    return s;
}

void sd_summary_prepare(sd_summary *s, sd_engine_opts *eo)
{
    eo->packet_seen = sd_summary_packet;
    eo->conn_done = sd_summary_conn;
    eo->ud = s;
    eo->reassemble = true; /* DNS over TCP (only port 53 is claimed), files */
}

/* A DNS transaction: the indicators see every one, the host's report
 * those that involve it. */
static void summary_txn(void *ud, const sd_dns_txn *t)
{
    sd_summary *s = ud;
    if (s->own && s->o.own_txn) {
        s->o.own_txn(s->o.own_ud, t, sd_engine_cur_frame(s->e), s->txn_seq++);
        return;
    }
    sd_dnsind_txn(s->dnsind, t);
    if (s->hdns)
        sd_hostdns_txn(s->hdns, t);
}

void sd_summary_attach(sd_summary *s, sd_engine *e)
{
    if (s->fs)
        sd_filesig_attach(s->fs, e);
    sd_service_attach(s->svc, e);
    s->dns = sd_dnsan_new(&(sd_dnsan_opts){ .txn = summary_txn, .ud = s });
    sd_dnsan_attach(s->dns, e);
    s->own = sd_engine_own(e);
    s->e = e;
    if (s->own)
        s->syn_seq = sd_hmap_new(sizeof ((sd_conn *)0)->uid, sizeof(uint32_t), 0);
}

/* With --own: a packet past the chunk's files (read ahead for the owned
 * connections) is not the chunk's to count, unless it is a datagram of
 * fragments the chunk owns (sd_own_pkt_counts). */
static bool past_chunk(const sd_summary *s)
{
    return s->own && !sd_own_pkt_counts(s->own);
}

static void own_conn(sd_summary *s, const sd_conn *c)
{
    sd_summary_cpart *o = sd_vec_push(&s->conns);
    memset(o, 0, sizeof *o);
    memcpy(o->uid, c->uid, sizeof o->uid);
    o->ipproto = c->ipproto;
    o->orig_by = c->orig_by;
    o->midstream = c->midstream;
    o->syn = sd_hmap_remove(s->syn_seq, c->uid, &o->isn) != 0;
    o->rst_dir = (int8_t)c->first_rst_dir;
    o->start = c->start;
    o->orig_h = c->orig_h, o->resp_h = c->resp_h;
    o->orig_p = c->orig_p, o->resp_p = c->resp_p;
    memcpy(o->conn_state, c->conn_state, sizeof o->conn_state);
    memcpy(o->service, c->service, sizeof o->service);
    o->app_kind = c->app.kind;
    o->ja4 = c->app.ja4[0] != 0;
    memcpy(o->app_name, c->app.name, sizeof o->app_name);
    o->scanned = s->files_uid_set && !memcmp(s->files_uid, c->uid, sizeof s->files_uid);
    o->files = o->scanned ? s->files_pending : 0;
    s->files_uid_set = false;
}

void sd_summary_packet(void *ud, const sd_conn *c, const sd_pkt *p, int dir, unsigned ta)
{
    sd_summary *s = ud;
    if (past_chunk(s))
        return;
    sd_hoststats_packet(s->hs, c, p, dir, ta);
    if (s->own && sd_clientpat_counts(c, dir)) { /* the merge counts those of the connections it keeps */
        void *v;
        if (sd_hmap_insert(s->syn_seq, c->uid, &v) == SD_HMAP_ADDED)
            memcpy(v, &p->seq, sizeof p->seq);
    } else if (!s->own)
        sd_clientpat_packet(s->cp, c, p, dir, ta);
    if (s->host)
        sd_hostsum_packet(s->host, c, p, dir, ta);
}

void sd_summary_conn(void *ud, const sd_conn *c)
{
    sd_summary *s = ud;
    if (s->own) {
        own_conn(s, c);
        return;
    }
    sd_hoststats_conn(s->hs, c);
    sd_clientpat_conn(s->cp, c);
    sd_svcstats_conn(s->svcst, c);
    if (s->host)
        sd_hostsum_conn(s->host, c);
}

static int file_cmp(const void *x, const void *y)
{
    const sd_summary_file *a = x, *b = y;
    if (a->ts != b->ts)
        return a->ts < b->ts ? -1 : 1;
    if (a->frame != b->frame)
        return a->frame < b->frame ? -1 : 1;
    if (a->stream != b->stream)
        return a->stream < b->stream ? -1 : 1;
    if (a->dir != b->dir)
        return a->dir - b->dir;
    return a->offset < b->offset ? -1 : a->offset > b->offset;
}

void sd_summary_sort_files(sd_summary_file *v, size_t n)
{
    if (n)
        qsort(v, n, sizeof *v, file_cmp);
}

const sd_summary_result *sd_summary_finish(sd_summary *s)
{
    if (s->finished)
        return &s->r;
    s->finished = true;
    s->r.hosts = sd_hoststats_finish(s->hs);
    s->r.clients = sd_clientpat_finish(s->cp);
    if (s->host)
        s->r.host = sd_hostsum_finish(s->host);
    if (s->hdns)
        s->r.host_dns = sd_hostdns_finish(s->hdns);
    s->r.dns = sd_dnsind_finish(s->dnsind);
    s->r.dns_stats = s->dns ? sd_dnsan_stats_get(s->dns) : NULL;
    s->r.services = sd_svcstats_finish(s->svcst);
    if (s->fs) {
        sd_summary_sort_files(s->files.v, s->files.n);
        s->fr.v = s->files.v;
        s->fr.n = s->files.n;
        s->r.files = &s->fr;
    }
    return &s->r;
}

const sd_summary_chunk *sd_summary_chunk_get(sd_summary *s, const sd_engine_stats *st)
{
    if (!s->own)
        return NULL;
    s->chunk.conns = s->conns.v;
    s->chunk.nconns = s->conns.n;
    s->chunk.files = s->files.v;
    s->chunk.nfiles = s->files.n;
    s->chunk.st = st;
    return &s->chunk;
}

const sd_hoststats *sd_summary_hoststats(const sd_summary *s)
{
    return s->hs;
}

void sd_summary_free(sd_summary *s)
{
    if (!s)
        return;
    sd_hoststats_free(s->hs);
    sd_clientpat_free(s->cp);
    sd_hostsum_free(s->host);
    sd_hostdns_free(s->hdns);
    sd_filesig_free(s->fs);
    sd_service_free(s->svc);
    sd_svcstats_free(s->svcst);
    sd_dnsan_free(s->dns);
    sd_dnsind_free(s->dnsind);
    sd_vec_free(&s->files);
    sd_vec_free(&s->conns);
    sd_hmap_free(s->syn_seq);
    free(s);
}
