/* sd_infer_rekey: key re-exchanges inside the encrypted stream (RekeyLimit,
 * a peer's rekey timer, the ~R escape). Their KEXINIT, key exchange and
 * NEWKEYS records carry no channel data: left in, a KEX message reads as
 * a paste, an answer breaks a command's output in two, and a transfer or
 * a tunnel counts their bytes. They are taken out of the session's
 * records and shown as one rekey event each (docs/events.md). */
#include "sd_infer_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Wire sizes of one side's KEXINIT: [lo, hi]. */
typedef struct kxsz {
    uint32_t lo, hi;
    uint32_t newkeys;
    /* One packet's wire size modulo the cipher block (aad + tag, as the
     * model frames it): n packets in one segment leave n times it. */
    uint32_t block, rem;
} kxsz;

/* Payload of a side's first (cleartext) KEXINIT rebuilt from its lists
 * (RFC 4253 7.1: type, cookie, ten name-lists, first_kex_packet_follows,
 * reserved); 0 when they are not all known. */
static uint32_t kexinit_payload(const sd_ssh_side *s)
{
    if (!s->kexinit_seen || s->lists_cut)
        return 0;
    uint32_t p = 1u + 16u + 1u + 4u;
    for (int i = 0; i < SD_SSH_NL_COUNT; i++) {
        if (!s->lists[i])
            return 0;
        p += 4u + (uint32_t)strlen(s->lists[i]);
    }
    return p;
}

/* Without the first KEXINIT's lists nothing is looked for (lo 0): a
 * tunnelled session's KEXINIT has a rekey's size range otherwise. */
static kxsz kexinit_sizes(const sd_ssh_side *s)
{
    uint32_t p0 = kexinit_payload(s);
    if (p0 <= REKEY_PSEUDO_MAX)
        return (kxsz){ .lo = 0 };
    uint32_t nk = sd_ssh_wire_size(&s->suite, 1u), b = s->suite.block;
    return (kxsz){ .lo = sd_ssh_wire_size(&s->suite, p0 - REKEY_PSEUDO_MAX), .hi = sd_ssh_wire_size(&s->suite, p0),
                   .newkeys = nk, .block = b, .rem = b ? nk % b : 0 };
}

/* What a fully seen rekey of the connection showed, per side ([0]
 * server, [1] client): its KEXINIT's size, its first key exchange
 * message's, and all its bytes. A later rekey repeats them. */
typedef struct learned {
    bool ok;
    uint32_t kexinit[2], msg[2];
    uint64_t bytes[2];
} learned;

static bool kexinit_sized(const kxsz *k, const item *it)
{
    const kxsz *s = &k[it->c];
    return s->lo && it->len >= s->lo && it->len <= s->hi;
}

/* The peer's record answering the KEXINIT at v[i] with its own, or
 * SIZE_MAX. */
static size_t kexinit_answer(const ctx *x, const kxsz *k, size_t i)
{
    for (size_t j = i + 1; j < x->n && x->v[j].t - x->v[i].t <= REKEY_ANSWER_S; j++)
        if (x->v[j].c != x->v[i].c)
            return kexinit_sized(k, &x->v[j]) ? j : SIZE_MAX;
    return SIZE_MAX;
}

/* The next client record after v[from] within the exchange's span, or
 * SIZE_MAX. */
static size_t next_client(const ctx *x, size_t from, double t0)
{
    for (size_t j = from + 1; j < x->n && x->v[j].t - t0 <= REKEY_SPAN_S; j++)
        if (x->v[j].c)
            return j;
    return SIZE_MAX;
}

/* The next server record after v[from] within the exchange's span, or
 * SIZE_MAX. */
static size_t next_server(const ctx *x, size_t from, double t0)
{
    for (size_t j = from + 1; j < x->n && x->v[j].t - t0 <= REKEY_SPAN_S; j++)
        if (!x->v[j].c)
            return j;
    return SIZE_MAX;
}

/* A segment whose size no one packet of the suite has (a packet's size
 * modulo the block is rem, n packets' n times rem): it holds several.
 * Exact packets and suites whose rem is 0 (aes-ctr with hmac-sha2-256)
 * never tell. */
static bool several_packets(const kxsz *k, const item *it)
{
    return !it->exact && k->block && k->rem && it->len % k->block != k->rem;
}

/* The server's record holding its NEWKEYS, or SIZE_MAX when the sizes do
 * not tell. The server sends it right after its reply to the client's
 * last key exchange message (v[kend]), and may send session data at once
 * after it, before the client's NEWKEYS (RFC 4253 section 7.3; dropbear
 * does, OpenSSH flushes what it queued during the exchange): the reply's
 * record (the server's first after v[kend] and its KEXINIT v[si]) when it
 * holds several packets (the reply, NEWKEYS first behind it), else the
 * server's next record when it has NEWKEYS's size. */
static size_t server_newkeys(const ctx *x, const kxsz *k, size_t kend, size_t si, double t0)
{
    size_t r = next_server(x, kend > si ? kend : si, t0);
    if (r == SIZE_MAX)
        return SIZE_MAX;
    if (several_packets(&k[0], &x->v[r]))
        return r;
    size_t n = next_server(x, r, t0);
    return n != SIZE_MAX && x->v[n].len == k[0].newkeys ? n : SIZE_MAX;
}

/* Marks the exchange whose KEXINITs are v[ci] (client) and v[si]
 * (server); false when it is none. Between its KEXINIT and its NEWKEYS
 * each side sends key exchange messages only (RFC 4253 section 7.1): the
 * client msgs of them (its KEX init, or a GEX request and init), then
 * NEWKEYS once the server's reply is in, alone or in one segment with
 * the data queued behind it. So the server's records from its KEXINIT
 * until the one holding its NEWKEYS (server_newkeys) are the exchange's;
 * where the sizes do not place it, all until the client's NEWKEYS.
 * *last: the last marked. */
static bool mark_exchange(const ctx *x, const kxsz *k, size_t ci, size_t si, int msgs, bool *drop, size_t *last)
{
    double t0 = x->v[ci < si ? ci : si].t;
    size_t kend = ci, nk;
    for (int q = 0; q < msgs; q++)
        if ((kend = next_client(x, kend, t0)) == SIZE_MAX)
            return false;
    nk = next_client(x, kend, t0);
    size_t snk_at = server_newkeys(x, k, kend, si, t0);
    size_t stop = snk_at != SIZE_MAX ? snk_at + 1 : nk;
    if (stop == SIZE_MAX)
        for (stop = si + 1; stop < x->n && x->v[stop].t - t0 <= REKEY_SPAN_S;)
            stop++;
    bool snk = snk_at != SIZE_MAX;
    *last = kend;
    for (size_t j = ci < si ? ci : si; j < stop; j++) {
        const item *it = &x->v[j];
        if (it->c ? (j >= ci && j <= kend) : j >= si) {
            drop[j] = true;
            snk |= !it->c && it->len == k[0].newkeys;
            *last = j > *last ? j : *last;
        }
    }
    if (nk != SIZE_MAX && x->v[nk].len == k[1].newkeys) {
        drop[nk] = true;
        *last = nk > *last ? nk : *last;
    }
    for (size_t j = stop; !snk && j < x->n; j++)
        if (!x->v[j].c) { /* the server's NEWKEYS after the client's */
            if (x->v[j].len == k[0].newkeys) {
                drop[j] = true;
                *last = j > *last ? j : *last;
            }
            break;
        }
    return true;
}

/* initiator: "client", "server", or "unknown" (one side's KEXINIT hid in
 * its data). */
static void rekey_event(ctx *x, size_t a, size_t b, const char *initiator, uint32_t records)
{
    sd_event *e = sdi_ev(x, "rekey", &x->v[a], &x->v[b], SD_LEG_FORWARD);
    e->dir = x->v[a].c ? 0 : 1;
    sd_ev_str(e, "initiator", initiator);
    sd_ev_int(e, "records", records);
    snprintf(e->note, sizeof e->note,
             "key re-exchange (initiator: %s): %u records (KEXINIT, key exchange, NEWKEYS) left out of the session",
             initiator, records);
}

/* Learns the sizes of the rekey whose records from v[a] to v[b] are
 * marked. */
static void learn(const ctx *x, const bool *drop, size_t a, size_t b, learned *L)
{
    memset(L, 0, sizeof *L);
    for (size_t j = a; j <= b; j++) {
        if (!drop[j])
            continue;
        int d = x->v[j].c;
        if (!L->kexinit[d])
            L->kexinit[d] = x->v[j].len;
        else if (!L->msg[d])
            L->msg[d] = x->v[j].len;
        L->bytes[d] += x->v[j].len;
    }
    L->ok = L->kexinit[0] && L->kexinit[1] && L->msg[0] && L->msg[1];
}

/* The next record of v[i]'s side after it within the span, or SIZE_MAX. */
static size_t next_same(const ctx *x, size_t i)
{
    for (size_t j = i + 1; j < x->n && x->v[j].t - x->v[i].t <= REKEY_SPAN_S; j++)
        if (x->v[j].c == x->v[i].c)
            return j;
    return SIZE_MAX;
}

/* The peer's record next to v[i] (before: dir -1, after: +1), or SIZE_MAX. */
static size_t peer_near(const ctx *x, size_t i, int dir)
{
    for (size_t j = i; dir < 0 ? j-- > 0 : ++j < x->n;)
        if (x->v[j].c != x->v[i].c)
            return j;
    return SIZE_MAX;
}

/* The peer's record of exactly len bytes after v[i] and before v[j], or
 * SIZE_MAX. */
static size_t peer_sized(const ctx *x, size_t i, size_t j, uint32_t len)
{
    for (size_t q = i + 1; q < j; q++)
        if (x->v[q].c != x->v[i].c && x->v[q].len == len)
            return q;
    return SIZE_MAX;
}

/* A rekey one side of which hides in the other's bulk data (a transfer's
 * full segments carry its KEXINIT, maybe its key exchange message): the
 * visible side's KEXINIT has the size a fully seen rekey of the
 * connection showed, its next record at least its message's, and the
 * peer sends bulk records around it. The visible records are marked (the
 * peer's message too when it stands alone); the hidden bytes (as that
 * rekey's) are put on the peer's records before, for the transfer to
 * leave out. */
static bool half_rekey(ctx *x, const kxsz *k, const learned *L, size_t i, bool *drop, size_t *last)
{
    const item *it = &x->v[i];
    int a = it->c;
    size_t j = next_same(x, i), p = peer_near(x, i, -1), q = peer_near(x, i, 1);
    if (!L->ok || it->len != L->kexinit[a] || j == SIZE_MAX || x->v[j].len < L->msg[a] ||
        p == SIZE_MAX || q == SIZE_MAX || x->v[p].len < XFER_RECORD || x->v[q].len < XFER_RECORD)
        return false;
    drop[i] = drop[j] = true;
    *last = j;
    size_t nk = next_same(x, j), pm = peer_sized(x, i, j, L->msg[!a]);
    if (nk != SIZE_MAX && x->v[nk].len == k[a].newkeys) {
        drop[nk] = true;
        *last = nk;
    }
    uint32_t hidden = L->kexinit[!a];
    if (pm != SIZE_MAX)
        drop[pm] = true;
    else
        hidden += L->msg[!a];
    /* the hidden messages may span several of the peer's segments */
    for (size_t r = p + 1; hidden && r-- > 0;)
        if (x->v[r].c == x->v[p].c) {
            uint32_t take = x->v[r].len - x->v[r].kex_bytes < hidden ? x->v[r].len - x->v[r].kex_bytes : hidden;
            x->v[r].kex_bytes += take;
            hidden -= take;
        }
    return true;
}

/* Drops the marked records from x->v. */
static void compact(ctx *x, const bool *drop)
{
    size_t w = 0;
    for (size_t i = 0; i < x->n; i++)
        if (!drop[i])
            x->v[w++] = x->v[i];
    x->n = w;
}

void sdi_rekeys(ctx *x, size_t s0)
{
    const sd_ssh_meta *m = x->r->meta;
    kxsz k[2] = { kexinit_sizes(&m->side[!m->client_dir]), kexinit_sizes(&m->side[m->client_dir]) };
    bool *drop = sd_calloc(x->n + 1, sizeof *drop);
    bool any = false;
    learned L = { .ok = false };
    /* Diffie-Hellman group exchange has two client messages (RFC 4419) */
    int msgs = m->kex_alg && strncmp(m->kex_alg, "diffie-hellman-group-exchange", 29) == 0 ? 2 : 1;
    for (size_t i = s0; i < x->n; i++) {
        if (drop[i] || !kexinit_sized(k, &x->v[i]))
            continue;
        size_t j = kexinit_answer(x, k, i), last;
        if (j == SIZE_MAX)
            continue;
        size_t ci = x->v[i].c ? i : j, si = x->v[i].c ? j : i;
        if (!mark_exchange(x, k, ci, si, msgs, drop, &last))
            continue;
        uint32_t recs = 0;
        for (size_t q = i; q <= last; q++)
            recs += drop[q];
        rekey_event(x, i, last, x->v[i].c ? "client" : "server", recs);
        if (!L.ok)
            learn(x, drop, i, last, &L);
        any = true;
        i = last;
    }
    for (size_t i = s0; L.ok && i < x->n; i++) {
        size_t last;
        if (drop[i] || !half_rekey(x, k, &L, i, drop, &last))
            continue;
        uint32_t recs = 0;
        for (size_t q = i; q <= last; q++)
            recs += drop[q];
        rekey_event(x, i, last, "unknown", recs);
        i = last;
    }
    if (any)
        compact(x, drop);
    free(drop);
}

/* The leg's client record after v[i] in [i + 1, to), or SIZE_MAX. */
static size_t leg_client_after(const ctx *x, const leg *L, size_t i, size_t to)
{
    for (size_t j = i + 1; j < to; j++)
        if (sdi_is_cl(L, &x->v[j]))
            return j;
    return SIZE_MAX;
}

/* Records of KEXINIT size among the INNER_REKEY_SPAN ending at v[r]. */
static unsigned large_before(const ctx *x, size_t from, size_t r)
{
    unsigned n = 0;
    for (size_t j = r + 1; j-- > from && r - j < INNER_REKEY_SPAN;)
        n += x->v[j].len >= KEXINIT_MIN;
    return n;
}

/* A tunnelled re-key: both KEXINITs and the client's key exchange message
 * and the server's reply, all KEXINIT-sized (sntrup761x25519 and DH
 * messages are over a kilobyte; curve25519's are not, so only those re-keys
 * are seen; a paste and its echo are two such records, not four), then
 * the client's first record after the reply: its NEWKEYS (RFC 4253 7.3),
 * which with aes128-gcm inside aes128-gcm has a keystroke's wire size. */
void sdi_inner_rekeys(ctx *x, const leg *L, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (!sdi_is_cl(L, &x->v[i]) || x->v[i].len < KEXINIT_MIN)
            continue;
        size_t r = i + 1;
        while (r < to && (sdi_is_cl(L, &x->v[r]) || x->v[r].len < KEXINIT_MIN))
            r++;
        size_t nk = r < to ? leg_client_after(x, L, r, to) : SIZE_MAX;
        /* the reply answers this message (no client record between) and
         * ends a key exchange's four large messages */
        if (nk != SIZE_MAX && leg_client_after(x, L, i, to) > r && large_before(x, from, r) >= 4)
            x->v[nk].not_key = true;
    }
}

