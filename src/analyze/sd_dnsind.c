#include "sd_dnsind.h"

#include "../common/sd_hmap.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Where an aggregate's first evidence was: its event's connection. */
typedef struct ev_origin {
    char uid[20];
    uint64_t stream;
    sd_ts ts;
    uint8_t proto;
} ev_origin;

typedef struct name_agg {
    sd_dnsind_name n;
    ev_origin o;
    uint64_t frame_first;
    uint32_t addrs;             /* distinct A/AAAA answers */
    uint32_t addr_replies;      /* responses that brought a new one */
    uint32_t ttl_min;
    uint64_t low_ttl;           /* answers at or below SD_DNSIND_LOW_TTL_S */
    uint64_t low_first, low_last, addr_first, addr_last;
    uint16_t name_len, longest;
    double entropy;             /* of the longest label */
    bool ttl_seen, label_odd;
} name_agg;

typedef struct client_agg {
    sd_addr client;
    uint64_t txns, first_frame;
    ev_origin o, odd_o;
    uint64_t answers, nx, nx_first, nx_last;
    char first_nx[64];
    uint64_t odd, odd_first, odd_last;  /* distinct odd names it asked first */
    char first_odd[64];
    uint16_t odd_longest, odd_name_len;
    double odd_entropy;
} client_agg;

typedef struct pair_key {
    uint64_t name;
    sd_addr addr;
} pair_key;

struct sd_dnsind {
    sd_hmap *names, *clients, *pairs;
    sd_dnsind_result r;
};

sd_dnsind *sd_dnsind_new(void)
{
    sd_dnsind *d = sd_calloc(1, sizeof *d);
    d->names = sd_hmap_new(sizeof(uint64_t), sizeof(name_agg), SD_DNSIND_MAX_NAMES);
    d->clients = sd_hmap_new(sizeof(sd_addr), sizeof(client_agg), SD_DNSIND_MAX_CLIENTS);
    d->pairs = sd_hmap_new(sizeof(pair_key), 0, SD_DNSIND_MAX_PAIRS);
    return d;
}

double sd_dnsind_entropy(const char *s, size_t n)
{
    unsigned cnt[256] = { 0 };
    double h = 0;
    for (size_t i = 0; i < n; i++)
        cnt[(uint8_t)s[i]]++;
    for (int c = 0; c < 256; c++)
        if (cnt[c]) {
            double p = (double)cnt[c] / (double)n;
            h -= p * log2(p);
        }
    return h;
}

bool sd_dnsind_random_label(const char *s, size_t n)
{
    if (n < SD_DNSIND_ENTROPY_MIN_LEN || sd_dnsind_entropy(s, n) < SD_DNSIND_ENTROPY_BITS)
        return false;
    unsigned digits = 0, run = 0, longest = 0;
    for (size_t i = 0; i < n; i++) {
        int c = tolower((unsigned char)s[i]);
        digits += isdigit(c) != 0;
        run = isalpha(c) && !strchr("aeiou", c) ? run + 1 : 0;
        longest = run > longest ? run : longest;
    }
    return digits >= SD_DNSIND_RANDOM_DIGITS || longest >= SD_DNSIND_RANDOM_CONSONANTS;
}

/* A name is case-insensitive (RFC 4343): one key for every spelling. */
static uint64_t name_key(const char *s)
{
    char low[SD_DNS_TXT];
    size_t n = strnlen(s, sizeof low - 1);
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    return sd_hash_bytes(low, n);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && !strcasecmp(s + n - k, suf);
}

/* The label shape of a name seen for the first time. Reverse lookups
 * (.arpa: 34 labels for IPv6) are long by design. */
static void label_shape(name_agg *a, const char *s)
{
    size_t n = strlen(s), best = 0, best_at = 0, at = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || s[i] == '.') {
            if (i - at > best)
                best = i - at, best_at = at;
            at = i + 1;
        }
    a->name_len = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
    a->longest = (uint16_t)best;
    a->entropy = sd_dnsind_entropy(s + best_at, best);
    if (ends_with(s, ".arpa"))
        return;
    a->label_odd = best >= SD_DNSIND_LONG_LABEL || n >= SD_DNSIND_LONG_NAME ||
                   sd_dnsind_random_label(s + best_at, best);
}

static void set_origin(ev_origin *o, const sd_dns_txn *t)
{
    memcpy(o->uid, t->conn->uid, sizeof o->uid);
    o->stream = t->conn->id;
    o->ts = t->ts;
    o->proto = t->conn->ipproto;
}

static uint64_t txn_frame(const sd_dns_txn *t)
{
    return t->query_seen ? t->frame_query : t->frame_reply;
}

static name_agg *name_get(sd_dnsind *d, const sd_dns_txn *t, uint64_t key, bool *added)
{
    void *v;
    sd_hmap_res r = sd_hmap_insert(d->names, &key, &v);
    if (r == SD_HMAP_FULL)
        return NULL;
    name_agg *a = v;
    if (r == SD_HMAP_ADDED) {
        *added = true;
        size_t k = strnlen(t->query, sizeof a->n.name - 1);
        memcpy(a->n.name, t->query, k);
        a->n.cut = t->query[k] != '\0';
        set_origin(&a->o, t);
        a->frame_first = a->n.first_frame = txn_frame(t);
        label_shape(a, t->query);
    }
    return a;
}

/* Answers of a response: low TTLs and distinct addresses for the name. */
static void name_answers(sd_dnsind *d, name_agg *a, uint64_t key, const sd_dns_txn *t)
{
    uint32_t before = a->addrs;
    for (unsigned i = 0; i < t->reply->nans; i++) {
        const sd_dns_rr *rr = &t->reply->ans[i];
        if (!a->ttl_seen || rr->ttl < a->ttl_min)
            a->ttl_min = rr->ttl;
        a->ttl_seen = true;
        if (rr->ttl <= SD_DNSIND_LOW_TTL_S) {
            a->low_first = a->low_ttl++ ? a->low_first : t->frame_reply;
            a->low_last = t->frame_reply;
        }
        if (!rr->addr_len)
            continue;
        pair_key pk;
        memset(&pk, 0, sizeof pk);
        pk.name = key;
        pk.addr.fam = rr->addr_len == 4 ? 4 : 6;
        memcpy(pk.addr.a, rr->addr, rr->addr_len);
        if (sd_hmap_insert(d->pairs, &pk, NULL) == SD_HMAP_ADDED) {
            a->addr_first = a->addrs++ ? a->addr_first : t->frame_reply;
            a->addr_last = t->frame_reply;
        }
    }
    a->addr_replies += a->addrs > before;
}

static client_agg *client_get(sd_dnsind *d, const sd_dns_txn *t)
{
    sd_addr key = t->client_dir == SD_DIR_ORIG ? t->conn->orig_h : t->conn->resp_h;
    void *v;
    sd_hmap_res r = sd_hmap_insert(d->clients, &key, &v);
    if (r == SD_HMAP_FULL)
        return NULL;
    client_agg *c = v;
    if (r == SD_HMAP_ADDED) {
        c->client = key;
        c->first_frame = txn_frame(t);
    }
    c->txns++;
    return c;
}

/* A name of odd shape seen for the first time, charged to who asked it. */
static void client_odd(client_agg *c, const name_agg *a, const sd_dns_txn *t)
{
    if (!c->odd++) {
        set_origin(&c->odd_o, t);
        c->odd_first = txn_frame(t);
        snprintf(c->first_odd, sizeof c->first_odd, "%.63s", t->query);
    }
    c->odd_last = txn_frame(t);
    c->odd_longest = a->longest > c->odd_longest ? a->longest : c->odd_longest;
    c->odd_name_len = a->name_len > c->odd_name_len ? a->name_len : c->odd_name_len;
    c->odd_entropy = a->entropy > c->odd_entropy ? a->entropy : c->odd_entropy;
}

static void client_answer(client_agg *c, const sd_dns_txn *t)
{
    c->answers++;
    if (t->reply->rcode != 3)
        return;
    if (!c->nx++) {
        set_origin(&c->o, t);
        c->nx_first = t->frame_reply;
        snprintf(c->first_nx, sizeof c->first_nx, "%.63s", t->query);
    }
    c->nx_last = t->frame_reply;
}

void sd_dnsind_txn(void *ud, const sd_dns_txn *t)
{
    sd_dnsind *d = ud;
    d->r.txns++;
    d->r.tcp_txns += t->conn->ipproto == 6;
    if (t->reply) {
        d->r.rcode[t->reply->rcode & 15]++;
        t->query_seen ? d->r.answered++ : d->r.reply_only++;
    } else {
        d->r.unanswered++;
    }
    /* the indicators read unicast DNS only: mDNS and LLMNR are the local
     * network's own (TTL 0 "goodbye" records, long service names) */
    if (t->conn->resp_p != 53 && t->conn->orig_p != 53)
        return;
    uint64_t key = name_key(t->query);
    bool added = false;
    name_agg *a = name_get(d, t, key, &added);
    client_agg *c = client_get(d, t);
    if (a && added && a->label_odd && c)
        client_odd(c, a, t);
    if (a) {
        a->n.queries++;
        if (t->reply && t->reply->rcode == 3)
            a->n.nxdomain++;
        if (t->reply)
            name_answers(d, a, key, t);
    }
    if (t->reply && c)
        client_answer(c, t);
}

/* A Wireshark filter for a name's events: by name when it fits the
 * event's string, else by the first frame. */
static void name_filter(sd_event *e, const name_agg *a, uint64_t frame)
{
    char f[SD_EV_STRLEN];
    int w = snprintf(f, sizeof f, "dns.qry.name == \"%s\"", a->n.name);
    if (a->n.cut || w < 0 || (size_t)w >= sizeof f || strpbrk(a->n.name, "\"\\"))
        snprintf(f, sizeof f, "frame.number == %llu", (unsigned long long)frame);
    sd_ev_str(e, "filter", f);
}

static sd_event *origin_ev(sd_dnsind *d, const char *kind, const ev_origin *o, uint64_t first, uint64_t last)
{
    sd_event *e = sd_ev_add(&d->r.ev, kind, o->uid, o->stream, o->ts, first, last, SD_LEG_FORWARD);
    e->dir = -1;
    e->confidence = -1;
    return e;
}

static void name_events(sd_dnsind *d, const name_agg *a)
{
    if (a->low_ttl) {
        sd_event *e = origin_ev(d, "dns_low_ttl", &a->o, a->low_first, a->low_last);
        sd_ev_str(e, "query", a->n.name);
        sd_ev_int(e, "ttl_min", a->ttl_min);
        sd_ev_int(e, "answers", (int64_t)a->low_ttl);
        name_filter(e, a, a->low_first);
        snprintf(e->note, sizeof e->note, "answers with a TTL of %d s or less: fast flux, rebinding, a tunnel",
                 SD_DNSIND_LOW_TTL_S);
    }
    if (a->addrs >= SD_DNSIND_FLUX_ADDRS && a->addr_replies >= SD_DNSIND_FLUX_REPLIES) {
        sd_event *e = origin_ev(d, "dns_fast_flux", &a->o, a->addr_first, a->addr_last);
        sd_ev_str(e, "query", a->n.name);
        sd_ev_int(e, "addresses", a->addrs);
        sd_ev_int(e, "responses", a->addr_replies);
        sd_ev_int(e, "ttl_min", a->ttl_min);
        name_filter(e, a, a->addr_first);
        snprintf(e->note, sizeof e->note, "%u distinct addresses for one name", a->addrs);
    }
}

static void odd_event(sd_dnsind *d, const client_agg *c, const char *addr)
{
    char f[SD_EV_STRLEN];
    sd_event *e = origin_ev(d, "dns_odd_names", &c->odd_o, c->odd_first, c->odd_last);
    sd_ev_str(e, "client", addr);
    sd_ev_int(e, "names", (int64_t)c->odd);
    sd_ev_str(e, "first_query", c->first_odd);
    sd_ev_int(e, "longest_label", c->odd_longest);
    sd_ev_int(e, "name_len_max", c->odd_name_len);
    sd_ev_num(e, "entropy_max", c->odd_entropy);
    int w = snprintf(f, sizeof f, "%s.src == %s && dns", c->client.fam == 6 ? "ipv6" : "ip", addr);
    if (w < 0 || (size_t)w >= sizeof f)
        snprintf(f, sizeof f, "frame.number == %llu", (unsigned long long)c->odd_first);
    sd_ev_str(e, "filter", f);
    snprintf(e->note, sizeof e->note, "long or random-looking names: DNS tunnelling or a DGA");
}

static void client_event(sd_dnsind *d, const client_agg *c)
{
    char a[SD_ADDR_STRLEN], f[SD_EV_STRLEN];
    sd_addr_str(&c->client, a, sizeof a);
    if (c->odd)
        odd_event(d, c, a);
    double rate = c->answers ? (double)c->nx / (double)c->answers : 0;
    if (c->nx < SD_DNSIND_NX_MIN || rate < SD_DNSIND_NX_RATE)
        return;
    sd_event *e = origin_ev(d, "dns_nxdomain", &c->o, c->nx_first, c->nx_last);
    sd_ev_str(e, "client", a);
    sd_ev_int(e, "nxdomain", (int64_t)c->nx);
    sd_ev_int(e, "answers", (int64_t)c->answers);
    sd_ev_num(e, "rate", rate);
    sd_ev_str(e, "first_query", c->first_nx);
    int w = snprintf(f, sizeof f, "dns.flags.rcode == 3 && %s.dst == %s", c->client.fam == 6 ? "ipv6" : "ip", a);
    if (w < 0 || (size_t)w >= sizeof f) /* a long IPv6 address: the first frame */
        snprintf(f, sizeof f, "frame.number == %llu", (unsigned long long)c->nx_first);
    sd_ev_str(e, "filter", f);
    snprintf(e->note, sizeof e->note, "many names that do not exist: a DGA looking for its server");
}

static bool ranks_before(const sd_dnsind_name *x, const sd_dnsind_name *y)
{
    return x->queries != y->queries ? x->queries > y->queries : x->first_frame < y->first_frame;
}

/* Keeps the SD_DNSIND_TOP most queried names, most first (ties: first seen). */
static void top_add(sd_dnsind_result *r, const name_agg *a)
{
    size_t i = r->ntop;
    if (i == SD_DNSIND_TOP && !ranks_before(&a->n, &r->top[i - 1]))
        return;
    if (i == SD_DNSIND_TOP)
        i--;
    while (i > 0 && ranks_before(&a->n, &r->top[i - 1])) {
        r->top[i] = r->top[i - 1];
        i--;
    }
    r->top[i] = a->n;
    if (r->ntop < SD_DNSIND_TOP)
        r->ntop++;
}

static bool client_before(const sd_dnsind_client *x, const sd_dnsind_client *y)
{
    return x->txns != y->txns ? x->txns > y->txns : x->first_frame < y->first_frame;
}

static void top_client(sd_dnsind_result *r, const client_agg *c)
{
    sd_dnsind_client e = { .addr = c->client, .txns = c->txns, .answers = c->answers, .nxdomain = c->nx,
                           .first_frame = c->first_frame };
    size_t i = r->nclients;
    if (i == SD_DNSIND_TOP && !client_before(&e, &r->top_clients[i - 1]))
        return;
    if (i == SD_DNSIND_TOP)
        i--;
    for (; i > 0 && client_before(&e, &r->top_clients[i - 1]); i--)
        r->top_clients[i] = r->top_clients[i - 1];
    r->top_clients[i] = e;
    if (r->nclients < SD_DNSIND_TOP)
        r->nclients++;
}

const sd_dnsind_result *sd_dnsind_finish(sd_dnsind *d)
{
    sd_hmap_iter it = { 0 };
    while (sd_hmap_next(d->names, &it)) {
        name_events(d, it.val);
        top_add(&d->r, it.val);
    }
    sd_hmap_iter ic = { 0 };
    while (sd_hmap_next(d->clients, &ic)) {
        client_event(d, ic.val);
        top_client(&d->r, ic.val);
    }
    sd_evlist_sort(&d->r.ev);
    d->r.names = sd_hmap_count(d->names);
    d->r.clients = sd_hmap_count(d->clients);
    d->r.names_refused = sd_hmap_refused(d->names);
    d->r.clients_refused = sd_hmap_refused(d->clients);
    d->r.pairs_refused = sd_hmap_refused(d->pairs);
    return &d->r;
}

void sd_dnsind_free(sd_dnsind *d)
{
    if (!d)
        return;
    sd_hmap_free(d->names);
    sd_hmap_free(d->clients);
    sd_hmap_free(d->pairs);
    sd_evlist_free(&d->r.ev);
    free(d);
}
