#include "sd_hostdns.h"

#include "../common/sd_vec.h"

#include <stdlib.h>
#include <string.h>

struct sd_hostdns {
    sd_prefix host;
    SD_VEC(sd_hostdns_rec) v;
    sd_hostdns_result r;
};

sd_hostdns *sd_hostdns_new(const sd_prefix *host)
{
    sd_hostdns *h = sd_calloc(1, sizeof *h);
    h->host = *host;
    h->r.max = SD_HOSTDNS_MAX;
    return h;
}

/* The A/AAAA answers of m inside the prefix: how many, the first, its TTL. */
static uint8_t answers_in(const sd_hostdns *h, const sd_dns_msg *m, sd_addr *first, uint32_t *ttl)
{
    uint8_t n = 0;
    for (unsigned i = 0; m && i < m->nans; i++) {
        const sd_dns_rr *rr = &m->ans[i];
        if (rr->addr_len != 4 && rr->addr_len != 16)
            continue;
        sd_addr a = { .fam = rr->addr_len == 4 ? 4 : 6 };
        memcpy(a.a, rr->addr, rr->addr_len);
        if (!sd_prefix_match(&h->host, &a))
            continue;
        if (!n++)
            *first = a, *ttl = rr->ttl;
    }
    return n;
}

void sd_hostdns_txn(sd_hostdns *h, const sd_dns_txn *t)
{
    const sd_conn *c = t->conn;
    bool orig_asks = t->client_dir == SD_DIR_ORIG;
    sd_hostdns_rec x = { 0 };
    x.client = orig_asks ? c->orig_h : c->resp_h;
    x.server = orig_asks ? c->resp_h : c->orig_h;
    x.asked = sd_prefix_match(&h->host, &x.client);
    x.served = sd_prefix_match(&h->host, &x.server);
    x.answers_in = answers_in(h, t->reply, &x.answer, &x.ttl);
    if (!x.asked && !x.served && !x.answers_in)
        return;
    h->r.total++;
    h->r.answered_to += x.answers_in > 0;
    if (h->v.n >= SD_HOSTDNS_MAX)
        return;
    x.ts = t->ts;
    x.frame_query = t->frame_query;
    x.frame_reply = t->frame_reply;
    memcpy(x.uid, c->uid, sizeof x.uid);
    x.stream = c->id;
    snprintf(x.query, sizeof x.query, "%s", t->query ? t->query : "");
    x.qtype = t->qtype;
    x.rcode = t->reply ? t->reply->rcode : -1;
    *(sd_hostdns_rec *)sd_vec_push(&h->v) = x;
}

const sd_hostdns_result *sd_hostdns_finish(sd_hostdns *h)
{
    h->r.v = h->v.v;
    h->r.n = h->v.n;
    return &h->r;
}

void sd_hostdns_free(sd_hostdns *h)
{
    if (!h)
        return;
    sd_vec_free(&h->v);
    free(h);
}
