#include "sd_campaign.h"

#include "../common/sd_hmap.h"
#include "../common/sd_vec.h"

#include <stdlib.h>
#include <string.h>

/* Brute force (Zeek's detect-bruteforcing wants 30 failures; packetStrider
 * has none): a client with this many connections that failed to log in, */
#define BF_MIN_FAILED_CONNS 3u
/* or this many failed attempts over at least two connections (OpenSSH
 * allows 6 attempts a connection, so two connections can hold a campaign). */
#define BF_MIN_FAILURES 5u
#define BF_CONFIDENCE 0.8
/* Scan: this many connections from one client, of which at least
 * SCAN_PREAUTH_PCT% ended before encryption (version or capabilities only:
 * a grabber; a person retrying a host gets to the login prompt), */
#define SCAN_MIN_CONNS 10u
#define SCAN_PREAUTH_PCT 80u
/* or this many distinct servers with at least half the connections ended
 * before encryption (a person has a few hosts; a sweep many). Connections
 * whose login is unknown (one side captured) never make a scan. */
#define SCAN_MIN_SERVERS 5u
#define SCAN_SWEEP_PREAUTH_PCT 50u
#define SCAN_CONFIDENCE 0.9
/* Distinct (client, server) pairs remembered at most, ~48 bytes each. */
#define MAX_PAIRS 2000000u

typedef struct client_agg {
    uint32_t conns, failed_conns, failures, servers;
    uint32_t version_only, caps_only, auth_attempted, auth_success;
    sd_ts ts;
    uint64_t frame, frame_last, stream;
    char uid[20];
    bool bf_said, scan_said;   /* announced live already */
} client_agg;

typedef struct pair_key {
    sd_addr client, server;
} pair_key;

struct sd_campaign {
    sd_campaign_opts o;
    sd_hmap *clients; /* sd_addr -> client_agg */
    sd_hmap *pairs;   /* pair_key set: distinct servers per client */
    sd_buf dumped;    /* opts.dump: every connection's part */
};

sd_campaign *sd_campaign_new(const sd_campaign_opts *o)
{
    sd_campaign *c = sd_calloc(1, sizeof *c);
    c->o = *o;
    size_t cap = o->max_clients ? o->max_clients : SD_CAMPAIGN_MAX_CLIENTS;
    c->clients = sd_hmap_new(sizeof(sd_addr), sizeof(client_agg), cap);
    c->pairs = sd_hmap_new(sizeof(pair_key), 0, MAX_PAIRS);
    return c;
}

void sd_campaign_free(sd_campaign *c)
{
    if (!c)
        return;
    sd_hmap_free(c->clients);
    sd_hmap_free(c->pairs);
    sd_buf_free(&c->dumped);
    free(c);
}

void sd_campaign_untracked(const sd_campaign *c, uint64_t *conns, uint64_t *servers)
{
    *conns = sd_hmap_refused(c->clients);   /* one refused insert per connection */
    *servers = sd_hmap_refused(c->pairs);
}

/* A map key: the address with nothing but zeros past its family's bytes. */
static sd_addr addr_key(const sd_addr *a)
{
    sd_addr k;
    memset(&k, 0, sizeof k);
    k.fam = a->fam;
    memcpy(k.a, a->a, a->fam == 6 ? 16 : 4);
    return k;
}

static uint32_t failures_in(const sd_evlist *l)
{
    uint32_t n = 0;
    for (size_t i = 0; l && i < l->n; i++) {
        const sd_event *e = &l->v[i];
        /* the leg and the kind before the field lookup: most events are
         * no forward attempt (issue #11) */
        if (e->leg != SD_LEG_FORWARD || strcmp(e->kind, "auth_attempt") != 0)
            continue;
        const sd_evfield *f = sd_ev_get(e, "result");
        n += f && !strcmp(f->s, "failure");
    }
    return n;
}

static void count_outcome(client_agg *g, const sd_ssh_done *d)
{
    const sd_ssh_meta *m = d->r->meta;
    sd_ssh_outcome o = m->outcome;
    /* a connection captured one way only ends "before encryption" in the
     * capture, not on the wire: only both banners seen make a class */
    if (!m->side[0].banner || !m->side[1].banner)
        o = SD_SSH_OUT_NONE;
    if (o == SD_SSH_OUT_VERSION_ONLY || o == SD_SSH_OUT_NON_SSH_AFTER_BANNER)
        g->version_only++;
    else if (o == SD_SSH_OUT_CAPABILITIES_ONLY || o == SD_SSH_OUT_KEX_INCOMPLETE)
        g->caps_only++;
    if (d->summary && d->summary->auth_attempts > 0)
        g->auth_attempted++;
    if (d->summary && d->summary->auth_success == 1)
        g->auth_success++;
}

static void count_server(sd_campaign *c, client_agg *g, const sd_addr *client, const sd_addr *server)
{
    pair_key k;
    memset(&k, 0, sizeof k);
    k.client = addr_key(client);
    k.server = addr_key(server);
    if (sd_hmap_insert(c->pairs, &k, NULL) == SD_HMAP_ADDED)
        g->servers++;
}

static bool is_bf(const client_agg *g)
{
    return g->failed_conns >= BF_MIN_FAILED_CONNS || (g->failures >= BF_MIN_FAILURES && g->conns >= 2);
}

static bool is_scan(const client_agg *g)
{
    uint64_t pre = (uint64_t)g->version_only + g->caps_only, all = g->conns;
    if (is_bf(g))
        return false;
    return (all >= SCAN_MIN_CONNS && pre * 100 >= all * SCAN_PREAUTH_PCT) ||
           (g->servers >= SCAN_MIN_SERVERS && pre * 100 >= all * SCAN_SWEEP_PREAUTH_PCT);
}

/* An aggregate event of the client, at its first connection; *a gets the
 * client's address as text. */
static sd_event *agg_event(sd_evlist *out, const char *kind, double conf, const sd_addr *client,
                           const client_agg *g, char a[SD_ADDR_STRLEN])
{
    sd_addr_str(client, a, SD_ADDR_STRLEN);
    sd_event *e = sd_ev_add(out, kind, g->uid, g->stream, g->ts, g->frame, g->frame_last, SD_LEG_FORWARD);
    e->confidence = conf;
    sd_ev_str(e, "client", a);
    sd_ev_int(e, "connections", g->conns);
    /* the note begins "ADDRESS: ", without printf (~1,600 instructions a
     * note, a campaign each); sd_ev_note_cat cuts where snprintf would */
    sd_ev_note_cat(e, a);
    sd_ev_note_cat(e, ": ");
    return e;
}

/* A number and the words after it, appended to the note. */
static void note_num(sd_event *e, uint32_t v, const char *after)
{
    sd_ev_note_int(e, v);
    sd_ev_note_cat(e, after);
}

static sd_event *bf_event(sd_evlist *out, const sd_addr *client, const client_agg *g)
{
    char a[SD_ADDR_STRLEN];
    sd_event *e = agg_event(out, "brute_force", BF_CONFIDENCE, client, g, a);
    sd_ev_int(e, "failed_connections", g->failed_conns);
    sd_ev_int(e, "failures", g->failures);
    /* Corelight's BFS: the guessing also logged in somewhere */
    sd_ev_int(e, "auth_success", g->auth_success);
    /* the note: "%s: %u failed logins over %u connections (password guessing)%s" */
    note_num(e, g->failures, " failed logins over ");
    note_num(e, g->conns, " connections (password guessing)");
    if (g->auth_success)
        sd_ev_note_cat(e, ", and logged in");
    return e;
}

static sd_event *scan_event(sd_evlist *out, const sd_addr *client, const client_agg *g)
{
    char a[SD_ADDR_STRLEN];
    sd_event *e = agg_event(out, "scanner", SCAN_CONFIDENCE, client, g, a);
    sd_ev_int(e, "servers", g->servers);
    sd_ev_int(e, "version_only", g->version_only);
    sd_ev_int(e, "capabilities_only", g->caps_only);
    sd_ev_int(e, "auth_attempted", g->auth_attempted);
    sd_ev_int(e, "auth_success", g->auth_success);
    /* the note: "%s: %u connections to %u server(s), %u logged in (scanning)" */
    note_num(e, g->conns, " connections to ");
    note_num(e, g->servers, " server(s), ");
    note_num(e, g->auth_success, " logged in (scanning)");
    return e;
}

static void announce(sd_campaign *c, const sd_addr *client, client_agg *g, sd_evlist *now)
{
    if (!c->o.announce || !now)
        return;
    if (is_bf(g) && !g->bf_said) {
        g->bf_said = true;
        sd_ev_bool(bf_event(now, client, g), "live", true);
    } else if (is_scan(g) && !g->scan_said) {
        g->scan_said = true;
        sd_ev_bool(scan_event(now, client, g), "live", true);
    }
}

/* What one connection adds to its client's aggregate. */
static void part_of(const sd_ssh_done *d, sd_campaign_part *p)
{
    const sd_conn *cn = d->r->conn;
    bool orig_is_client = d->r->meta->client_dir == SD_DIR_ORIG;
    client_agg delta = { 0 };
    count_outcome(&delta, d);
    *p = (sd_campaign_part){
        .client = orig_is_client ? cn->orig_h : cn->resp_h,
        .server = orig_is_client ? cn->resp_h : cn->orig_h,
        .n = { 1, d->summary && d->summary->auth_success == 0, failures_in(d->events), delta.version_only,
               delta.caps_only, delta.auth_attempted, delta.auth_success },
        .uid = cn->uid, .stream = cn->id, .ts = cn->start, .frame = cn->first_frame, .frame_last = cn->last_frame,
    };
}

static client_agg *add_part(sd_campaign *c, const sd_campaign_part *p)
{
    sd_addr key = addr_key(&p->client);
    client_agg *g;
    sd_hmap_res res = sd_hmap_insert(c->clients, &key, (void **)&g);
    if (res == SD_HMAP_FULL)
        return NULL;
    if (res == SD_HMAP_ADDED) {
        g->ts = p->ts;
        g->frame = p->frame;
        g->stream = p->stream;
        size_t n = strnlen(p->uid, sizeof g->uid - 1); /* snprintf's "%s" cut, without its ~600 instructions */
        memcpy(g->uid, p->uid, n);
        g->uid[n] = '\0';
    }
    g->frame_last = p->frame_last;
    g->conns += p->n[0], g->failed_conns += p->n[1], g->failures += p->n[2];
    g->version_only += p->n[3], g->caps_only += p->n[4];
    g->auth_attempted += p->n[5], g->auth_success += p->n[6];
    count_server(c, g, &p->client, &p->server);
    return g;
}

static void dump_addr(sd_buf *b, const char *key, const sd_addr *a)
{
    /* per SSH connection of a chunk (--own): printf per byte was a fifth
     * of a chunk's run */
    sd_buf_append(b, ",\"", 2);
    sd_buf_append(b, key, strlen(key));
    sd_buf_append(b, "\":\"", 3);
    sd_buf_put_u64(b, a->fam);
    sd_buf_put_hex(b, a->a, sizeof a->a);
    sd_buf_append(b, "\"", 1);
}

void sd_campaign_add(sd_campaign *c, const sd_ssh_done *d, sd_evlist *now)
{
    sd_campaign_part p;
    part_of(d, &p);
    if (c->o.dump) {
        sd_buf *b = &c->dumped;
        static const char HEAD[] = "{\"_own\":\"camp\",\"uid\":\"";
        sd_buf_append(b, HEAD, sizeof HEAD - 1);
        sd_buf_append(b, p.uid, strlen(p.uid));
        sd_buf_append(b, "\"", 1);
        dump_addr(b, "c", &p.client);
        dump_addr(b, "s", &p.server);
        for (size_t i = 0; i < SD_ARRAY_LEN(p.n); i++) {
            sd_buf_append(b, i ? "," : ",\"k\":[", i ? 1 : 6);
            sd_buf_put_u64(b, p.n[i]);
        }
        sd_buf_append(b, "]}\n", 3);
        return;
    }
    client_agg *g = add_part(c, &p);
    if (g) {
        sd_addr key = addr_key(&p.client);
        announce(c, &key, g, now);
    }
}

void sd_campaign_add_part(sd_campaign *c, const sd_campaign_part *p)
{
    add_part(c, p);
}

void sd_campaign_dump(const sd_campaign *c, sd_buf *b)
{
    sd_buf_append(b, c->dumped.p, c->dumped.len);
}

/* By first frame, ties in the order found (what a stable sort of the
 * events gives): pointers into one array, so their order is the index's. */
static int cmp_first_frame(const void *a, const void *b)
{
    const sd_event *x = *(const sd_event *const *)a, *y = *(const sd_event *const *)b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x < y ? -1 : x > y;
}

/* The events are 1.5 kB each: the list is sized once (counted first) and
 * sorted by pointer, not moved by doublings and a merge sort of the
 * events themselves (~5,000 instructions an event, issue #11). */
void sd_campaign_finish(sd_campaign *c, sd_evlist *out)
{
    sd_evlist l = { 0 };
    sd_hmap_iter it = { 0 };
    size_t want = 0;
    while (sd_hmap_next(c->clients, &it)) {
        const client_agg *g = it.val;
        want += is_bf(g) || is_scan(g);
    }
    if (want)
        sd_vec_reserve(&l, want);
    it = (sd_hmap_iter){ 0 };
    while (sd_hmap_next(c->clients, &it)) {
        const client_agg *g = it.val;
        if (is_bf(g))
            bf_event(&l, it.key, g);
        else if (is_scan(g))
            scan_event(&l, it.key, g);
    }
    const sd_event **ord = l.n ? sd_reallocarray(NULL, l.n, sizeof *ord) : NULL;
    for (size_t i = 0; i < l.n; i++)
        ord[i] = &l.v[i];
    if (l.n > 1)
        qsort(ord, l.n, sizeof *ord, cmp_first_frame);
    if (l.n)
        sd_vec_reserve(out, l.n);
    for (size_t i = 0; i < l.n; i++) {
        const sd_event *from = ord[i];
        sd_event *e = sd_ev_add(out, from->kind, from->uid, from->stream, from->ts, from->frame,
                                from->frame_last, from->leg);
        uint64_t seq = e->seq;
        *e = *from;
        e->seq = seq;
    }
    free(ord);
    sd_evlist_free(&l);
}
