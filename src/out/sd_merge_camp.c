/* sd_merge: campaigns over every chunk (see sd_merge_int.h). */
#include "../analyze/sd_campaign.h"
#include "sd_evout.h"
#include "sd_merge_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct mpart {
    sd_campaign_part p;
    uint64_t pos; /* its connection's place in the merged order */
} mpart;

/* "c":"<family><32 hex digits>" as sd_campaign_dump writes it. */
static bool rec_addr(const char *line, const char *key, sd_addr *a)
{
    char pat[16];
    snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *v = strstr(line, pat);
    memset(a, 0, sizeof *a);
    if (!v || (v[strlen(pat)] != '4' && v[strlen(pat)] != '6'))
        return false;
    v += strlen(pat);
    a->fam = (uint8_t)(*v++ - '0');
    for (int i = 0; i < 16; i++) {
        unsigned x;
        if (sscanf(v + 2 * i, "%2x", &x) != 1)
            return false;
        a->a[i] = (uint8_t)x;
    }
    return true;
}

/* One {"_own":"camp"} record: what its connection adds, with the
 * connection's global numbers; false for a connection the merge dropped. */
static bool read_part(const mchunk *ch, const char *line, mpart *m)
{
    memset(m, 0, sizeof *m);
    char uid[20];
    const char *u = strstr(line, "\"uid\":\"");
    const char *k = strstr(line, "\"k\":[");
    const mconn *c = u && sscanf(u + 7, "%19[^\"]", uid) == 1 ? sd_merge_conn(ch, uid) : NULL;
    if (!k || !c || c->pos == UINT64_MAX || !rec_addr(line, "c", &m->p.client) || !rec_addr(line, "s", &m->p.server))
        return false;
    k += 5;
    for (int i = 0; i < 7; i++) {
        char *end;
        m->p.n[i] = (uint32_t)strtoul(k, &end, 10);
        k = end + (*end == ',');
    }
    m->p.uid = c->guid;
    m->p.stream = c->gstream, m->p.ts = c->start, m->p.frame = c->ff, m->p.frame_last = c->lf;
    m->pos = c->pos;
    return true;
}

static int cmp_pos(const void *a, const void *b)
{
    const mpart *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The kept connections' parts, in the order one run adds them (the order
 * it ends them), then the campaign finished as one run finishes it. */
void sd_merge_campaign(mchunk *ch, size_t n, sd_buf *b)
{
    mpart *v = NULL;
    size_t k = 0, cap = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].ncamp; j++) {
            if (k == cap)
                v = sd_reallocarray(v, cap = cap ? 2 * cap : 64, sizeof *v);
            k += read_part(&ch[i], ch[i].camp[j], &v[k]);
        }
    if (!k) {
        free(v);
        return;
    }
    qsort(v, k, sizeof *v, cmp_pos);
    sd_campaign_opts o = { 0 };
    sd_campaign *c = sd_campaign_new(&o);
    for (size_t i = 0; i < k; i++)
        sd_campaign_add_part(c, &v[i].p);
    sd_evlist l = { 0 };
    sd_campaign_finish(c, &l);
    for (size_t i = 0; i < l.n; i++)
        sd_evout_json(b, &l.v[i]);
    sd_evlist_free(&l);
    sd_campaign_free(c);
    free(v);
}
