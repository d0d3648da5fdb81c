/* sd_merge: campaigns over every chunk (see sd_merge_int.h). */
#include "../analyze/sd_campaign.h"
#include "../common/sd_origin.h"
#include "sd_evout.h"
#include "sd_merge_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct mpart {
    sd_campaign_part p;
    uint64_t pos; /* its connection's place in the merged order */
    /* its first frame's file and number there, from the connection's
     * record (merged inputs only; path NULL otherwise), looked up only
     * for the few frames a campaign event names (a search of the lines of
     * each of 100 000 connections was a fifth of the merge) */
    const mchunk *ch;
    const mconn *c;
    bool looked;
    char *path;
    uint64_t file_frame;
} mpart;

/* The parts, for the origin lookup while the campaign events are written. */
typedef struct origin_ctx {
    mpart **v; /* the parts by first frame */
    size_t n;
} origin_ctx;

/* A JSON string's text (the few escapes a path can carry undone); p is
 * just past the opening quote, end the end of its line. */
static char *json_str(const char *p, const char *end)
{
    size_t n = 0, cap = (size_t)(end - p) + 1;
    char *s = sd_malloc(cap);
    for (; p < end && *p != '"'; p++) {
        if (*p == '\\' && p + 1 < end)
            p++;
        s[n++] = *p;
    }
    s[n] = '\0';
    return s;
}

/* The number after key in [p, end), or false. */
static bool org_num(const char *p, const char *end, const char *key, uint64_t *v)
{
    const char *k = sd_merge_find(p, end, key);
    bool over;
    return k && sd_merge_dec(k + strlen(key), v, &over) > k + strlen(key) && !over;
}

/* The file of frame f and its number there from the chunk's
 * {"_own":"org"} records: the files of the frames whose lines its run
 * wrote to the final output itself (direct). */
static void org_origin(const mchunk *ch, uint64_t f, mpart *m)
{
    for (size_t i = 0; i < ch->norg; i++) {
        const char *p = ch->org[i], *end = p + ch->org_len[i], *path;
        uint64_t g, n, ff;
        if (org_num(p, end, "\"g\":", &g) && org_num(p, end, "\"n\":", &n) && org_num(p, end, "\"ff\":", &ff) &&
            f >= g && f - g < n && (path = sd_merge_find(p, end, "\"path\":\""))) {
            m->path = json_str(path + 8, end);
            m->file_frame = ff + (f - g);
            return;
        }
    }
}

/* The file and file_first_frame of connection c's record, if it has them. */
static void part_origin(const mchunk *ch, const mconn *c, mpart *m)
{
    if (!c->nlines && c < ch->conns + ch->direct) { /* its lines went straight out */
        org_origin(ch, c->ff, m);
        return;
    }
    for (size_t i = 0; i < c->nlines; i++) {
        const char *l = ch->lines[c->lines[i]], *end = l + ch->lens[c->lines[i]];
        const char *f = sd_merge_find(l, end, "\"file\":\""), *ff = NULL;
        if (f) /* strider writes file_first_frame right after file: looked for there first */
            ff = sd_merge_find(f, end, "\"file_first_frame\":");
        if (f && !ff)
            ff = sd_merge_find(l, end, "\"file_first_frame\":");
        if (f && ff) {
            bool over;
            m->path = json_str(f + 8, end);
            sd_merge_dec(ff + 19, &m->file_frame, &over);
            return;
        }
    }
}

static bool part_origin_fn(const void *ctx, uint64_t frame, const char **path, uint64_t *file_frame)
{
    const origin_ctx *o = ctx;
    size_t lo = 0, hi = o->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->v[mid]->p.frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == o->n || o->v[lo]->p.frame != frame)
        return false;
    mpart *m = o->v[lo];
    if (!m->looked)
        m->looked = true, part_origin(m->ch, m->c, m);
    *path = m->path, *file_frame = m->file_frame;
    return m->path != NULL;
}

static int cmp_frame(const void *a, const void *b)
{
    const mpart *x = *(const mpart *const *)a, *y = *(const mpart *const *)b;
    return (x->p.frame > y->p.frame) - (x->p.frame < y->p.frame);
}

/* pat in [p, end): right at p (where sd_campaign_dump puts it), else the
 * first one after; NULL when none. */
static const char *find_at(const char *p, const char *end, const char *pat)
{
    size_t l = strlen(pat);
    if ((size_t)(end - p) >= l && !memcmp(p, pat, l))
        return p;
    return sd_merge_find(p, end, pat);
}

/* "c":"<family><32 hex digits>" as sd_campaign_dump writes it; pat is
 * the key with its quotes, colon and opening quote ("\"c\":\""). */
static const char *rec_addr(const char *p, const char *end, const char *pat, sd_addr *a)
{
    const char *v = p ? find_at(p, end, pat) : NULL;
    size_t pl = strlen(pat);
    memset(a, 0, sizeof *a);
    if (!v || (size_t)(end - v) < pl + 33 || (v[pl] != '4' && v[pl] != '6'))
        return NULL;
    v += pl;
    a->fam = (uint8_t)(*v++ - '0');
    return sd_merge_hex16(v, a->a) ? v + 32 : NULL; /* past the value's digits */
}

/* One {"_own":"camp"} record (len bytes at line, its '\n' after them):
 * what its connection adds (m->c NULL when no connection of ch has its
 * uid or the record cannot be read). */
static void read_part(mchunk *ch, const char *line, size_t len, mcamp *m, size_t *cur)
{
    memset(m, 0, sizeof *m);
    char uid[20] = { 0 };
    const char *end = line + len;
    const char *u = find_at(line + (len > 15 ? 15 : len), end, "\"uid\":\""); /* after {"_own":"camp", */
    const char *q = u ? memchr(u + 7, '"', (size_t)(end - u - 7)) : NULL;
    size_t ul = q ? (size_t)(q - u - 7) : 0;
    if (ul && ul < sizeof uid)
        memcpy(uid, u + 7, ul);
    /* the records come in the order of the connections': looked for from
     * the last one found */
    const mconn *c = ul && ul < sizeof uid ? sd_merge_conn_from(ch, uid, cur) : NULL;
    if (!c)
        return;
    /* each where sd_campaign_dump writes it, right after the one before
     * (a search from the line's start each was as much as the rest of the
     * campaigns) */
    const char *k = rec_addr(q + 1, end, ",\"c\":\"", &m->client);
    k = rec_addr(k, end, "\",\"s\":\"", &m->server);
    if (!k || !(k = find_at(k, end, "\",\"k\":[")))
        return;
    k += 7;
    for (int i = 0; i < 7; i++) {
        uint64_t x;
        bool over;
        const char *e = sd_merge_dec(k, &x, &over); /* (stops at the line's '\n' at the latest) */
        m->n[i] = (uint32_t)x;
        k = e + (*e == ',');
    }
    m->c = c;
}

typedef struct ffidx {
    uint64_t ff;
    size_t i;
} ffidx;

static int cmp_ffidx(const void *a, const void *b)
{
    const ffidx *x = a, *y = b;
    return (x->ff > y->ff) - (x->ff < y->ff);
}

void sd_merge_camp_read(mchunk *ch)
{
    if (ch->cpre || !ch->ncamp)
        return;
    ch->cpre = sd_calloc(ch->ncamp, sizeof *ch->cpre);
    ffidx *o = sd_calloc(ch->ncamp, sizeof *o);
    size_t n = 0;
    for (size_t j = 0, cur = 0; j < ch->ncamp; j++) {
        read_part(ch, ch->camp[j], ch->camp_len[j], &ch->cpre[j], &cur);
        if (ch->cpre[j].c)
            o[n++] = (ffidx){ ch->cpre[j].c->ff, j };
    }
    /* (the frames move by the chunk's shift once it is placed: the same
     * for all, so their order stays, unless a miscounted base wraps them:
     * sd_merge_campaign checks) */
    qsort(o, n, sizeof *o, cmp_ffidx);
    ch->cbyff = sd_calloc(n ? n : 1, sizeof *ch->cbyff);
    for (size_t j = 0; j < n; j++)
        ch->cbyff[j] = o[j].i;
    ch->ncbyff = n;
    free(o);
}

/* A record read, with its connection's global numbers; false for a
 * connection the merge dropped (or none). */
static bool bind_part(const mchunk *ch, const mcamp *r, mpart *m)
{
    const mconn *c = r->c;
    if (!c || c->pos == UINT64_MAX)
        return false;
    memset(m, 0, sizeof *m);
    m->p.client = r->client, m->p.server = r->server;
    memcpy(m->p.n, r->n, sizeof m->p.n);
    m->p.uid = c->guid;
    m->p.stream = c->gstream, m->p.ts = c->start, m->p.frame = c->ff, m->p.frame_last = c->lf;
    m->pos = c->pos;
    m->ch = ch, m->c = c;
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
    size_t k = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        sd_merge_camp_read(&ch[i]); /* (most are read already, before this last step) */
        total += ch[i].ncbyff;
    }
    /* the parts kept, each chunk's by first frame: the chunks own first
     * frames in their order, so these are the parts by frame (checked) */
    mpart *v = sd_calloc(total ? total : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].ncbyff; j++)
            k += bind_part(&ch[i], &ch[i].cpre[ch[i].cbyff[j]], &v[k]);
    if (!k) {
        free(v);
        return;
    }
    /* in merged order: each at its place (the places are distinct, and
     * number the shown connections from 0), not sorted (sorting these
     * structs was a fifth of the campaigns) */
    uint64_t maxpos = 0;
    for (size_t i = 0; i < k; i++)
        maxpos = v[i].pos > maxpos ? v[i].pos : maxpos;
    mpart **at = maxpos < (uint64_t)k * 4 ? sd_calloc((size_t)maxpos + 1, sizeof *at) : NULL;
    for (size_t i = 0; at && i < k; i++)
        at[v[i].pos] = &v[i];
    if (!at)
        qsort(v, k, sizeof *v, cmp_pos);
    sd_campaign_opts o = { 0 };
    sd_campaign *c = sd_campaign_new(&o);
    for (size_t i = 0; at && i <= maxpos; i++)
        if (at[i])
            sd_campaign_add_part(c, &at[i]->p);
    for (size_t i = 0; !at && i < k; i++)
        sd_campaign_add_part(c, &v[i].p);
    free(at);
    sd_evlist l = { 0 };
    sd_campaign_finish(c, &l);
    /* a campaign event names its first connection's first frame: its
     * file and number there are that connection's record's */
    origin_ctx oc = { sd_calloc(k, sizeof *oc.v), 0 };
    bool sorted = true;
    for (size_t i = 0; i < k; i++) {
        oc.v[oc.n++] = &v[i];
        sorted &= !i || v[i - 1].p.frame < v[i].p.frame;
    }
    if (!sorted) /* (chunks out of frame order: a miscounted base) */
        qsort(oc.v, oc.n, sizeof *oc.v, cmp_frame);
    sd_origin_set(part_origin_fn, &oc);
    for (size_t i = 0; i < l.n; i++)
        sd_evout_json(b, &l.v[i]);
    sd_origin_set(NULL, NULL);
    free(oc.v);
    sd_evlist_free(&l);
    sd_campaign_free(c);
    for (size_t i = 0; i < k; i++)
        free(v[i].path);
    free(v);
}
