#include "sd_event.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd_vec.h"

/* snprintf("%s") without the printf machinery: events are made per
 * connection, several each. */
static void copy_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    if (n)
        memcpy(dst, src, n);
    dst[n] = '\0';
}

sd_event *sd_ev_add(sd_evlist *l, const char *kind, const char *uid, uint64_t stream, sd_ts ts,
                    uint64_t frame, uint64_t frame_last, sd_leg leg)
{
    sd_event *e = sd_vec_push(l);
    /* the members before the fields; a field is cleared when it is added
     * (field()) and the note is a string: not the whole 1.5 kB, several
     * events per connection */
    memset(e, 0, offsetof(sd_event, f));
    e->note[0] = '\0';
    e->kind = kind;
    copy_str(e->uid, sizeof e->uid, uid);
    e->stream = stream;
    e->ts = ts;
    e->frame = frame;
    e->frame_last = frame_last ? frame_last : frame;
    e->leg = leg;
    e->dir = -1;
    e->confidence = -1;
    e->seq = l->n - 1;
    return e;
}

/* Whether field f is named key (klen bytes): mostly the same literal, and
 * names that differ mostly differ in their length or first byte (no
 * strcmp call for each field already set, several fields per event). */
static bool same_key(const sd_evfield *f, const char *key, size_t klen)
{
    if (f->key == key)
        return true;
    if (!f->klen) /* a length not known */
        return strcmp(f->key, key) == 0;
    if (f->klen != klen || f->key[0] != key[0])
        return false;
    /* both klen long: the same literal of another file mostly, compared
     * as two overlapping words from 8 bytes on, not by a strcmp call */
    if (klen >= 8 && klen <= 16) {
        uint64_t a0, a1, b0, b1;
        memcpy(&a0, f->key, 8);
        memcpy(&a1, f->key + klen - 8, 8);
        memcpy(&b0, key, 8);
        memcpy(&b1, key + klen - 8, 8);
        return a0 == b0 && a1 == b1;
    }
    return memcmp(f->key, key, klen) == 0;
}

static sd_evfield *field(sd_event *e, const char *key, size_t klen, sd_evf_type t)
{
    uint64_t bit = sd_ev_keybit(key, klen);
    if (e->keys & bit) /* maybe set already */
        for (uint8_t i = 0; i < e->nf; i++)
            if (same_key(&e->f[i], key, klen)) {
                e->f[i].type = t;
                return &e->f[i];
            }
    if (e->nf == SD_EV_MAX_FIELDS)
        return NULL; /* a programming error, not input-driven: drop the field */
    e->keys |= bit;
    sd_evfield *f = &e->f[e->nf++];
    /* the members a value reads, not the whole 100-byte field (each field
     * of every event): the string is a string, the rest typed */
    f->key = key;
    f->klen = klen <= UINT8_MAX ? (uint8_t)klen : 0;
    f->type = t;
    f->s[0] = '\0';
    f->i = 0;
    f->f = 0;
    f->b = false;
    return f;
}

void sd_ev_str_k(sd_event *e, const char *key, size_t klen, const char *val)
{
    sd_evfield *f = field(e, key, klen, SD_EVF_STR);
    if (f)
        copy_str(f->s, sizeof f->s, val);
}

void sd_ev_int_k(sd_event *e, const char *key, size_t klen, int64_t val)
{
    sd_evfield *f = field(e, key, klen, SD_EVF_INT);
    if (f)
        f->i = val;
}

void sd_ev_num_k(sd_event *e, const char *key, size_t klen, double val)
{
    sd_evfield *f = field(e, key, klen, SD_EVF_NUM);
    if (f)
        f->f = val;
}

void sd_ev_bool_k(sd_event *e, const char *key, size_t klen, bool val)
{
    sd_evfield *f = field(e, key, klen, SD_EVF_BOOL);
    if (f)
        f->b = val;
}

void sd_ev_note_cat(sd_event *e, const char *s)
{
    size_t have = strnlen(e->note, sizeof e->note - 1);
    copy_str(e->note + have, sizeof e->note - have, s);
}

void sd_ev_note_int(sd_event *e, long long v)
{
    char t[24], *o = t;
    if (v < 0)
        *o++ = '-';
    *sd_put_u64(o, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v) = '\0';
    sd_ev_note_cat(e, t);
}

void sd_evnote_catn(sd_evnote *n, const char *s, size_t len)
{
    char *note = n->e->note;
    size_t room = sizeof n->e->note - 1 - n->len; /* cut as copy_str cuts */
    if (len > room)
        len = room;
    memcpy(note + n->len, s, len);
    n->len += len;
    note[n->len] = '\0';
}

void sd_evnote_int(sd_evnote *n, long long v)
{
    char t[24], *o = t;
    if (v < 0)
        *o++ = '-';
    o = sd_put_u64(o, v < 0 ? 0 - (unsigned long long)v : (unsigned long long)v);
    sd_evnote_catn(n, t, (size_t)(o - t));
}

const sd_evfield *sd_ev_get_k(const sd_event *e, const char *key, size_t klen)
{
    if (!(e->keys & sd_ev_keybit(key, klen)))
        return NULL;
    for (uint8_t i = 0; i < e->nf; i++)
        if (same_key(&e->f[i], key, klen))
            return &e->f[i];
    return NULL;
}

const char *sd_leg_name(sd_leg l)
{
    switch (l) {
    case SD_LEG_REVERSE: return "reverse";
    case SD_LEG_NESTED: return "nested";
    default: return "forward";
    }
}

static int cmp_ev(const void *a, const void *b)
{
    const sd_event *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq; /* qsort is not stable */
}

void sd_evlist_sort(sd_evlist *l)
{
    if (l->n < 2) /* an empty list has v == NULL, and qsort(NULL, 0) is undefined */
        return;
    size_t i = 1;
    while (i < l->n && cmp_ev(&l->v[i - 1], &l->v[i]) <= 0)
        i++;
    if (i == l->n) /* mostly in order already: no copy of the big elements */
        return;
    qsort(l->v, l->n, sizeof *l->v, cmp_ev);
}

void sd_evlist_free(sd_evlist *l)
{
    free(l->v);
    l->v = NULL;
    l->n = l->cap = 0;
}
