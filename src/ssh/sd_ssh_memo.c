/* sd_ssh_memo: a KEXINIT's name-lists kept once per distinct value for a
 * run (see sd_ssh.h, sd_ssh_memo_new), with what the parser works out
 * from them: the role markers, each role's HASSH string and its MD5, and
 * the negotiation against the last peer list set met.
 *
 * Why: a brute force or a scan sends the same two KEXINITs on every
 * connection, and checking, copying and scanning a kilobyte of names per
 * side, building and hashing the HASSH strings and negotiating eight
 * algorithms was a fifth of `ssh --json` on 10,000 short connections.
 *
 * Bounds: at most MEMO_MAX_ENTRIES entries of at most MEMO_MAX_BYTES
 * together; past either, a new list set is refused (counted, see
 * sd_ssh_memo_refused) and parsed per connection as before, so a hostile
 * stream of ever new KEXINITs costs at most that memory (and a bucket
 * chains at most MEMO_CHAIN_MAX, so a lookup compares at most that many). Entries live
 * until the memo is freed (the parsers point into them, negotiated names
 * included: a negotiation is made once and never written over), so that
 * must come after every parser that used it; negotiations count in
 * MEMO_MAX_BYTES too. Lookups compare the whole list
 * bytes: a hit is exactly these lists. Only KEXINITs whose lists raised
 * no anomaly are kept (a cut list, control bytes), so a hit has none. */
#include "sd_ssh_int.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_hmap.h"

#define MEMO_BUCKETS 256u
#define MEMO_MAX_ENTRIES 1024u
#define MEMO_MAX_BYTES (4u * 1024u * 1024u)
/* Entries a bucket chains at most: sets built to share a hash cost a
 * lookup at most this many comparisons. */
#define MEMO_CHAIN_MAX 8u

/* Entries a lookup compares first, without hashing: the last ones found
 * (a brute force or a scan sends the same client and server lists on
 * every connection, and the hash of a kilobyte's samples cost more than
 * comparing it with the right entry). */
#define MEMO_RECENT 2u

/* Negotiations of one client list set looked through for its server's:
 * a client meets few server list sets (a scanner many, each met once or
 * in a run). Older ones leave the list for the retired chain, where the
 * parsers that point into them still find them until the memo is freed
 * (the byte cap counts them). */
#define MEMO_NEGO_WALK 8u

struct sd_ssh_memo {
    sdp_kexent *bucket[MEMO_BUCKETS];
    sdp_kexent *recent[MEMO_RECENT]; /* most recent hit first */
    sdp_nego *retired;               /* negotiations past a list's MEMO_NEGO_WALK */
    size_t entries, bytes;
    uint64_t refused;
};

/* sd_ssh_memo_gen's count of memos freed. */
static _Atomic uint64_t memo_gen;

uint64_t sd_ssh_memo_gen(void)
{
    return atomic_load_explicit(&memo_gen, memory_order_acquire);
}

sd_ssh_memo *sd_ssh_memo_new(void)
{
    return sd_calloc(1, sizeof(sd_ssh_memo));
}

static void nego_free(sdp_nego *n)
{
    for (sdp_nego *next; n; n = next) {
        next = n->next;
        free(n);
    }
}

void sd_ssh_memo_free(sd_ssh_memo *m)
{
    if (!m)
        return;
    /* before the strings go: their addresses may hold other text after */
    atomic_fetch_add_explicit(&memo_gen, 1, memory_order_release);
    for (unsigned i = 0; i < MEMO_BUCKETS; i++)
        for (sdp_kexent *e = m->bucket[i], *next; e; e = next) {
            next = e->next;
            nego_free(e->nego);
            free(e->alg[0]);
            free(e->alg[1]);
            free(e);
        }
    nego_free(m->retired);
    free(m);
}

uint64_t sd_ssh_memo_refused(const sd_ssh_memo *m)
{
    return m ? m->refused : 0;
}

/* The hash of a list set: its length and its first, middle and last 32
 * bytes (hashing the whole kilobyte cost more than the parse it saves);
 * sets that differ elsewhere share a bucket, and a lookup compares whole
 * bytes, so that is a cost, never a wrong hit, and MEMO_CHAIN_MAX bounds
 * it. */
static uint64_t memo_hash(const uint8_t *p, size_t n)
{
    uint8_t k[8 + 3 * 32];
    size_t h = SD_MIN(n, (size_t)32), o = 8;
    uint64_t n64 = n;
    memcpy(k, &n64, 8);
    memcpy(k + o, p, h);
    o += h;
    memcpy(k + o, p + (n - h) / 2, h);
    o += h;
    memcpy(k + o, p + n - h, h);
    o += h;
    return sd_hash_bytes(k, o);
}

/* The bytes of the ten name-lists at c (each a length and its bytes), or
 * 0 when they do not all fit; c is not moved. */
static size_t lists_span(sd_cur c)
{
    size_t start = sd_cur_left(&c);
    for (int i = 0; i < SD_SSH_NL_COUNT; i++) {
        uint32_t n = sd_cur_be32(&c);
        if (c.err || n > SD_SSH_MAX_NAMELIST)
            return 0;
        sd_cur_skip(&c, n);
        if (c.err)
            return 0;
    }
    return start - sd_cur_left(&c);
}

/* e becomes the most recent hit. */
static sdp_kexent *recent_put(sd_ssh_memo *m, sdp_kexent *e)
{
    unsigned i = 0;
    while (i < MEMO_RECENT - 1 && m->recent[i] != e)
        i++;
    for (; i > 0; i--)
        m->recent[i] = m->recent[i - 1];
    m->recent[0] = e;
    return e;
}

sdp_kexent *sdp_memo_find(sd_ssh_memo *m, const sd_cur *c, uint64_t *hash, size_t *span)
{
    *span = lists_span(*c);
    if (!*span)
        return NULL;
    const uint8_t *p = c->p;
    for (unsigned i = 0; i < MEMO_RECENT; i++) {
        sdp_kexent *e = m->recent[i];
        if (e && e->n == *span && memcmp(e->raw, p, *span) == 0) {
            *hash = e->h;
            return recent_put(m, e);
        }
    }
    *hash = memo_hash(p, *span);
    for (sdp_kexent *e = m->bucket[*hash % MEMO_BUCKETS]; e; e = e->next)
        if (e->h == *hash && e->n == *span && memcmp(e->raw, p, *span) == 0)
            return recent_put(m, e);
    return NULL;
}

sdp_kexent *sdp_memo_add(sd_ssh_memo *m, uint64_t hash, const uint8_t *raw, size_t span,
                         char *const lists[SD_SSH_NL_COUNT], unsigned marks)
{
    size_t text = 0;
    for (int i = 0; i < SD_SSH_NL_COUNT; i++)
        text += strlen(lists[i]) + 1;
    size_t size = sizeof(sdp_kexent) + span + text;
    unsigned chain = 0;
    for (const sdp_kexent *e = m->bucket[hash % MEMO_BUCKETS]; e; e = e->next)
        chain++;
    if (m->entries >= MEMO_MAX_ENTRIES || m->bytes + size > MEMO_MAX_BYTES || chain >= MEMO_CHAIN_MAX) {
        m->refused++;
        return NULL;
    }
    sdp_kexent *e = sd_calloc(1, size); /* the entry, its key bytes, then its lists */
    e->h = hash;
    e->n = span;
    e->raw = (uint8_t *)(e + 1);
    memcpy(e->raw, raw, span);
    char *o = (char *)e->raw + span;
    for (int i = 0; i < SD_SSH_NL_COUNT; i++) {
        size_t l = strlen(lists[i]) + 1;
        e->lists[i] = memcpy(o, lists[i], l);
        o += l;
    }
    e->marks = marks;
    e->next = m->bucket[hash % MEMO_BUCKETS];
    m->bucket[hash % MEMO_BUCKETS] = e;
    m->entries++;
    m->bytes += size;
    return e;
}

sdp_nego *sdp_memo_nego_find(const sdp_kexent *c, const sdp_kexent *v)
{
    unsigned i = 0;
    for (sdp_nego *n = c->nego; n && i < MEMO_NEGO_WALK; n = n->next, i++)
        if (n->peer == v)
            return n;
    return NULL;
}

sdp_nego *sdp_memo_nego_add(sd_ssh_memo *m, sdp_kexent *c, const sdp_kexent *v)
{
    if (!m || m->bytes + sizeof(sdp_nego) > MEMO_MAX_BYTES)
        return NULL; /* worked out per connection, as before it was kept: not a list set refused */
    sdp_nego *n = sd_calloc(1, sizeof *n);
    n->peer = v;
    n->next = c->nego;
    c->nego = n;
    m->bytes += sizeof *n;
    /* the one past the walk goes to the retired chain, whole */
    sdp_nego *last = n;
    for (unsigned i = 1; i < MEMO_NEGO_WALK && last->next; i++)
        last = last->next;
    sdp_nego *old = last->next;
    if (old) {
        last->next = NULL;
        old->next = m->retired;
        m->retired = old;
    }
    return n;
}
