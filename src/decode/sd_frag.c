/* sd_frag: IPv4 and IPv6 fragment reassembly.
 *
 * A set is keyed by (version, source, destination, identification, and for
 * IPv4 the protocol) as RFC 791 §3.2 and RFC 8200 §4.5 define it, within
 * the network it was seen in: the outer VLAN id (as connections are keyed)
 * and the innermost tunnel segment (VXLAN/GENEVE VNI, GRE key): two
 * tenants' hosts number their datagrams alike, and their fragments must
 * not fill each other's (hostile round 20, frag_vni_twins). Each set
 * keeps one buffer for the fragmentable part and a sorted list of disjoint
 * byte ranges already received. Overlaps are flagged and resolved
 * first-wins: a later fragment only fills bytes nobody supplied yet (the
 * conservative choice; a forensic tool wants to see what it can and flag
 * the rest). An overlap whose bytes differ marks the datagram
 * (SD_ANOM_FRAG_CONFLICT): its receiver may drop it (RFC 5722 for IPv6;
 * Linux's IPv4 since 4.19, CVE-2018-5391), and then the sender re-sends,
 * or take one copy by its own policy (older stacks): the TCP reassembly
 * holds it until an ACK says it was taken, and a re-send before that
 * replaces it. A duplicate fragment (same bytes) is only an overlap.
 * Copies arriving after their datagram was reassembled start a set marked
 * a copy (done_find): counted apart, not as a datagram lost.
 *
 * Memory is bounded by the memcap: when a new set or a larger buffer does
 * not fit, the oldest sets are dropped first. Sets older than the timeout
 * (capture time, since the set's first fragment) are dropped on the next
 * call. */
#include "sd_decode_int.h"

#include <stdlib.h>
#include <string.h>

#include "../common/sd_hmap.h"

/* An IP datagram cannot exceed 65535 bytes (RFC 791 total length, RFC 8200
 * payload length), so neither can its fragmentable part. */
#define FRAG_MAX_DGRAM 65535u
/* Disjoint received ranges per set: more means a deliberately shredded
 * datagram; the set is dropped. 8-byte fragments of a 64 KiB datagram
 * received in the worst order need at most this many. */
#define FRAG_MAX_RANGES 4096u
#define FRAG_MIN_BUF 2048u
/* Datagrams reassembled lately, remembered so that a copy of one of their
 * fragments arriving after them (a SPAN port's or a re-sender's duplicate)
 * is told from the start of a datagram never finished. Copies come within
 * a few round trips: the last 64 are enough, and a lookup is cheap. */
#define FRAG_DONE_RING 64u

typedef struct fkey {
    uint8_t ver, proto;
    uint16_t vlan;
    uint32_t id;
    uint64_t tunnel;
    uint8_t src[16], dst[16];
} fkey;

typedef struct frange {
    uint32_t s, e; /* [s, e) */
} frange;

/* Members ordered by size, without padding: the memcap counts sizeof(fset)
 * per set (t_round8's frag_flood fills the 64 MB default to within 0.3%
 * before its sets time out). */
typedef struct fset {
    fkey key;
    struct fset *older, *newer; /* age list */
    sd_ts created;
    uint64_t first_frame;
    uint8_t *buf;
    frange *r;
    size_t mem;
    uint32_t cap;
    uint32_t nr, rcap;
    uint32_t total;           /* valid when have_last */
    uint32_t snap_from;       /* first offset whose bytes were not captured */
    uint32_t hdr_len;
    uint32_t anomalies;
    uint32_t conflict_at; /* first offset given with other bytes (UINT32_MAX: none) */
    uint32_t first_len;   /* bytes of the first offset-0 fragment */
    bool have_last, have_first;
    uint8_t proto, ttl;
    bool df;
    bool copy;            /* every fragment so far inside a datagram reassembled lately (done_find) */
    bool counted;         /* its outcome is in the counts (sd_frag_count_new) */
} fset;

typedef struct fdone {
    fkey key;
    uint32_t total;
    sd_ts at;
} fdone;

struct sd_frag_table {
    sd_hmap *sets;             /* fkey -> fset *; grows with the sets held */
    fset *oldest, *newest;
    size_t mem, memcap;
    sd_ts timeout;
    uint8_t *done_buf; /* the last completed datagram, handed to the caller */
    fdone done[FRAG_DONE_RING];
    uint32_t n_done;   /* datagrams ever put in done (the next slot: n_done % FRAG_DONE_RING) */
    uint64_t held[2][2];  /* sets in sets, by [counted][copy] */
    bool count_new;       /* sd_frag_count_new */
    bool done_counted;    /* the last datagram reassembled came from a counted set */
    sd_frag_stats st;     /* of the counted sets */
};

sd_frag_table *sd_frag_table_new(size_t memcap, sd_ts timeout)
{
    sd_frag_table *t = sd_calloc(1, sizeof *t);
    t->sets = sd_hmap_new(sizeof(fkey), sizeof(fset *), 0);
    t->memcap = memcap;
    t->timeout = timeout;
    t->count_new = true;
    return t;
}

static void set_free(fset *s)
{
    free(s->buf);
    free(s->r);
    free(s);
}

void sd_frag_table_free(sd_frag_table *t)
{
    if (!t)
        return;
    for (fset *s = t->oldest, *n; s; s = n) {
        n = s->newer;
        set_free(s);
    }
    sd_hmap_free(t->sets);
    free(t->done_buf);
    free(t);
}

uint64_t sd_frag_pending(const sd_frag_table *t)
{
    return t->held[1][0];
}

uint64_t sd_frag_copies_pending(const sd_frag_table *t)
{
    return t->held[1][1];
}

void sd_frag_count_new(sd_frag_table *t, bool count)
{
    t->count_new = count;
}

bool sd_frag_done_counted(const sd_frag_table *t)
{
    return t->done_counted;
}

const sd_frag_stats *sd_frag_get_stats(const sd_frag_table *t)
{
    return &t->st;
}

size_t sd_frag_mem_used(const sd_frag_table *t)
{
    return t->mem;
}

/* Unlinks s from its chain and the age list, and forgets its memory. */
static void set_unlink(sd_frag_table *t, fset *s)
{
    sd_hmap_remove(t->sets, &s->key, NULL);
    t->held[s->counted][s->copy]--;
    if (s->older)
        s->older->newer = s->newer;
    else
        t->oldest = s->newer;
    if (s->newer)
        s->newer->older = s->older;
    else
        t->newest = s->older;
    t->mem -= s->mem;
}

static void set_drop(sd_frag_table *t, fset *s)
{
    t->st.copies += s->copy && s->counted;
    set_unlink(t, s);
    set_free(s);
}

uint64_t sd_frag_expire(sd_frag_table *t, sd_ts now)
{
    uint64_t n = 0;
    /* Unsigned difference: capture timestamps are hostile, and a signed
     * subtraction of extreme values would overflow. */
    while (t->oldest && now > t->oldest->created &&
           (uint64_t)now - (uint64_t)t->oldest->created > (uint64_t)t->timeout) {
        bool lost = !t->oldest->copy; /* a copy's datagram was reassembled: no loss (st.copies) */
        n += lost;
        t->st.timed_out += lost && t->oldest->counted;
        set_drop(t, t->oldest);
    }
    return n;
}

/* Makes room for `need` more bytes by dropping the oldest sets other than
 * keep. Returns false if it cannot. */
static bool make_room(sd_frag_table *t, size_t need, const fset *keep, uint64_t *evicted)
{
    while (t->mem + need > t->memcap) {
        fset *victim = t->oldest;
        if (victim && victim == keep)
            victim = victim->newer;
        if (!victim)
            return false;
        t->st.evicted += !victim->copy && victim->counted;
        (*evicted) += !victim->copy;
        set_drop(t, victim);
    }
    return true;
}

static void make_key(const sd_frag_in *in, fkey *k)
{
    memset(k, 0, sizeof *k);
    k->ver = in->ver;
    k->proto = in->ver == 4 ? in->proto : 0; /* IPv6 keys omit the next header */
    k->id = in->id;
    k->vlan = in->vlan;
    k->tunnel = in->tunnel;
    memcpy(k->src, in->src->a, sizeof k->src);
    memcpy(k->dst, in->dst->a, sizeof k->dst);
}

static fset *set_find(sd_frag_table *t, const fkey *k)
{
    fset **v = sd_hmap_find(t->sets, k);
    return v ? *v : NULL;
}

/* A datagram of key k reassembled less than the timeout before now whose
 * bytes end before its end (NULL: none). */
static const fdone *done_find(const sd_frag_table *t, const fkey *k, sd_ts now, uint32_t end)
{
    uint32_t n = SD_MIN(t->n_done, FRAG_DONE_RING);
    for (uint32_t i = 0; i < n; i++) {
        const fdone *f = &t->done[i];
        if (f->key.id == k->id && end <= f->total && now >= f->at &&
            (uint64_t)now - (uint64_t)f->at <= (uint64_t)t->timeout && memcmp(&f->key, k, sizeof *k) == 0)
            return f;
    }
    return NULL;
}

static void done_add(sd_frag_table *t, const fset *s, sd_ts now)
{
    fdone *f = &t->done[t->n_done++ % FRAG_DONE_RING];
    f->key = s->key;
    f->total = s->total;
    f->at = now;
    if (t->n_done == 2 * FRAG_DONE_RING)
        t->n_done = FRAG_DONE_RING; /* keeps the count from wrapping; the slot order is kept */
}

static fset *set_new(sd_frag_table *t, const fkey *k, const sd_frag_in *in, uint64_t *evicted)
{
    if (!make_room(t, sizeof(fset), NULL, evicted))
        return NULL;
    fset *s = sd_calloc(1, sizeof *s);
    s->key = *k;
    s->created = in->ts;
    s->first_frame = in->frame;
    s->snap_from = UINT32_MAX;
    s->conflict_at = UINT32_MAX;
    s->proto = in->proto;
    s->ttl = in->ttl;
    s->df = in->df;
    s->hdr_len = in->hdr_len;
    s->mem = sizeof *s;
    s->counted = t->count_new;
    t->mem += s->mem;
    void *v;
    sd_hmap_insert(t->sets, k, &v); /* no cap (the memcap bounds the sets); k was absent */
    memcpy(v, &s, sizeof s);
    s->older = t->newest;
    if (t->newest)
        t->newest->newer = s;
    else
        t->oldest = s;
    t->newest = s;
    return s;
}

/* Grows the set's buffer to hold `end` bytes (zero-filled). */
static bool grow_buf(sd_frag_table *t, fset *s, uint32_t end, uint64_t *evicted)
{
    if (end <= s->cap)
        return true;
    uint32_t cap = s->cap ? s->cap : FRAG_MIN_BUF;
    while (cap < end)
        cap *= 2;
    if (cap > FRAG_MAX_DGRAM)
        cap = FRAG_MAX_DGRAM;
    if (!make_room(t, cap - s->cap, s, evicted))
        return false;
    s->buf = sd_realloc(s->buf, cap);
    memset(s->buf + s->cap, 0, cap - s->cap);
    t->mem += cap - s->cap;
    s->mem += cap - s->cap;
    s->cap = cap;
    return true;
}

static bool grow_ranges(sd_frag_table *t, fset *s, uint64_t *evicted)
{
    if (s->nr < s->rcap)
        return true;
    if (s->rcap >= FRAG_MAX_RANGES)
        return false;
    uint32_t n = s->rcap ? s->rcap * 2 : 4;
    size_t extra = (size_t)(n - s->rcap) * sizeof(frange);
    if (!make_room(t, extra, s, evicted))
        return false;
    s->r = sd_reallocarray(s->r, n, sizeof(frange));
    t->mem += extra;
    s->mem += extra;
    s->rcap = n;
    return true;
}

/* Copies the parts of [off, end) not yet received (first-wins), limited to
 * the bytes actually present up to pend. Returns SD_ANOM_FRAG_OVERLAP if it
 * overlapped, with SD_ANOM_FRAG_CONFLICT if bytes both copies hold differ. */
static uint32_t fill_gaps(fset *s, uint32_t off, uint32_t end, uint32_t pend, const uint8_t *data)
{
    uint32_t overlap = 0;
    uint32_t pos = off;
    for (uint32_t i = 0; i < s->nr && pos < end; i++) {
        const frange *r = &s->r[i];
        if (r->e <= pos)
            continue;
        if (r->s >= end)
            break;
        overlap |= SD_ANOM_FRAG_OVERLAP;
        if (r->s > pos) {
            uint32_t stop = SD_MIN(r->s, pend);
            if (stop > pos)
                memcpy(s->buf + pos, data + (pos - off), stop - pos);
        }
        /* the bytes both hold (the set's, short of its snaplen cut) */
        uint32_t cs = SD_MAX(pos, r->s), ce = SD_MIN(SD_MIN(r->e, pend), s->snap_from);
        if (ce > cs && memcmp(s->buf + cs, data + (cs - off), ce - cs) != 0) {
            overlap |= SD_ANOM_FRAG_CONFLICT;
            uint32_t at = cs; /* the first byte that differs: is it in the transport header? */
            while (s->buf[at] == data[at - off])
                at++;
            s->conflict_at = SD_MIN(s->conflict_at, at);
        }
        pos = SD_MAX(pos, r->e);
    }
    if (pos < end) {
        uint32_t stop = SD_MIN(end, pend);
        if (stop > pos)
            memcpy(s->buf + pos, data + (pos - off), stop - pos);
    }
    return overlap;
}

/* Inserts [off, end) into the sorted disjoint range list, merging. The
 * caller has ensured room for one more entry. */
static void add_range(fset *s, uint32_t off, uint32_t end)
{
    uint32_t i = 0;
    while (i < s->nr && s->r[i].e < off)
        i++;
    uint32_t j = i;
    uint32_t ns = off, ne = end;
    while (j < s->nr && s->r[j].s <= end) {
        ns = SD_MIN(ns, s->r[j].s);
        ne = SD_MAX(ne, s->r[j].e);
        j++;
    }
    /* Ranges i..j-1 merge into one at i. */
    if (j == i) {
        memmove(&s->r[i + 1], &s->r[i], (s->nr - i) * sizeof(frange));
        s->nr++;
    } else if (j > i + 1) {
        memmove(&s->r[i + 1], &s->r[j], (s->nr - j) * sizeof(frange));
        s->nr -= j - i - 1;
    }
    s->r[i].s = ns;
    s->r[i].e = ne;
}

static void complete(sd_frag_table *t, fset *s, sd_frag_out *out)
{
    t->st.reassembled += s->counted;
    t->done_counted = s->counted;
    set_unlink(t, s);
    free(t->done_buf);
    t->done_buf = s->buf;
    out->data = s->buf;
    out->len_wire = s->total;
    out->len_present = SD_MIN(s->total, s->snap_from);
    out->first_frame = s->first_frame;
    out->proto = s->proto;
    out->ttl = s->ttl;
    out->df = s->df;
    out->hdr_len = s->hdr_len;
    out->anomalies = s->anomalies;
    out->conflict_at = s->conflict_at;
    out->first_len = s->first_len;
    s->buf = NULL;
    set_free(s);
}

sd_frag_res sd_frag_add(sd_frag_table *t, const sd_frag_in *in, sd_frag_out *out,
                        uint32_t *anom, uint64_t *evicted)
{
    *anom = 0;
    *evicted = 0;
    memset(out, 0, sizeof *out);
    uint32_t off = in->off, end = in->off + in->len_wire;
    if (in->off > FRAG_MAX_DGRAM || in->len_wire > FRAG_MAX_DGRAM || end > FRAG_MAX_DGRAM ||
        in->len_present > in->len_wire || (in->more && in->len_wire == 0)) {
        *anom |= SD_ANOM_FRAG_BAD;
        return SD_FRAG_DROPPED;
    }
    /* RFC 791 / RFC 8200 §4.5: every fragment but the last carries a
     * multiple of 8 bytes. Kept (first-wins sorts out any overlap). */
    if (in->more && (in->len_wire & 7))
        *anom |= SD_ANOM_FRAG_BAD;

    fkey k;
    make_key(in, &k);
    fset *s = set_find(t, &k);
    if (!s) {
        s = set_new(t, &k, in, evicted);
        if (!s)
            return SD_FRAG_DROPPED;
        s->copy = done_find(t, &k, in->ts, end) != NULL;
        t->held[s->counted][s->copy]++;
    } else if (s->copy && !done_find(t, &k, in->ts, end)) {
        s->copy = false; /* a fragment past the datagram reassembled: a datagram of its own */
        t->held[s->counted][1]--;
        t->held[s->counted][0]++;
    }

    if (!in->more) {
        if (s->have_last && end != s->total) {
            *anom |= SD_ANOM_FRAG_BAD; /* a second, different end: first wins */
        } else {
            if (s->nr && s->r[s->nr - 1].e > end)
                *anom |= SD_ANOM_FRAG_BAD; /* data already seen past the end */
            s->total = end;
            s->have_last = true;
        }
    }
    if (s->have_last && end > s->total) {
        *anom |= SD_ANOM_FRAG_BAD;
        end = SD_MAX(off, s->total); /* a fragment wholly past the end keeps nothing */
    }
    uint32_t pend = SD_MIN(end, off + in->len_present);
    if (in->len_present < in->len_wire && pend < end && pend < s->snap_from)
        s->snap_from = pend;

    if (end > off) {
        if (!grow_buf(t, s, end, evicted) || !grow_ranges(t, s, evicted)) {
            if (s->rcap >= FRAG_MAX_RANGES)
                *anom |= SD_ANOM_FRAG_BAD;
            set_drop(t, s);
            return SD_FRAG_DROPPED;
        }
        *anom |= fill_gaps(s, off, end, pend, in->data);
        add_range(s, off, end);
    }
    if (off == 0 && !s->have_first) {
        s->have_first = true;
        s->proto = in->proto;
        s->ttl = in->ttl;
        s->df = in->df;
        s->hdr_len = in->hdr_len;
        s->first_len = in->len_wire;
    }
    if (in->frame < s->first_frame)
        s->first_frame = in->frame;

    s->anomalies |= *anom;
    if (s->have_last && s->nr == 1 && s->r[0].s == 0 && s->r[0].e >= s->total) {
        if (!s->copy)
            done_add(t, s, in->ts);
        complete(t, s, out);
        return SD_FRAG_DONE;
    }
    return SD_FRAG_HELD;
}
