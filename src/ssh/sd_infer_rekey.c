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

static kxsz kexinit_sizes(const sd_ssh_side *s)
{
    uint32_t p0 = kexinit_payload(s);
    uint32_t lo = p0 > REKEY_PSEUDO_MAX ? p0 - REKEY_PSEUDO_MAX : KEXINIT_MIN;
    uint32_t hi = p0 > REKEY_PSEUDO_MAX ? p0 : KEXINIT_MAX;
    return (kxsz){ .lo = sd_ssh_wire_size(&s->suite, lo), .hi = sd_ssh_wire_size(&s->suite, hi),
                   .newkeys = sd_ssh_wire_size(&s->suite, 1u) };
}

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

/* Marks the exchange whose KEXINITs are v[ci] (client) and v[si]
 * (server); false when it is none. Between its KEXINIT and its NEWKEYS
 * each side sends key exchange messages only (RFC 4253 section 7.1): the
 * client msgs of them (its KEX init, or a GEX request and init), then
 * NEWKEYS once the server's reply is in, alone or in one segment with
 * the data queued behind it. So the server's records from its KEXINIT
 * until that record are all the exchange's. *last: the last marked. */
static bool mark_exchange(const ctx *x, const kxsz *k, size_t ci, size_t si, int msgs, bool *drop, size_t *last)
{
    double t0 = x->v[ci < si ? ci : si].t;
    size_t kend = ci, nk;
    for (int q = 0; q < msgs; q++)
        if ((kend = next_client(x, kend, t0)) == SIZE_MAX)
            return false;
    nk = next_client(x, kend, t0);
    size_t stop = nk;
    if (stop == SIZE_MAX)
        for (stop = si + 1; stop < x->n && x->v[stop].t - t0 <= REKEY_SPAN_S;)
            stop++;
    bool snk = false;
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
        *last = nk;
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

static void rekey_event(ctx *x, size_t a, size_t b, bool by_client, uint32_t records)
{
    sd_event *e = sdi_ev(x, "rekey", &x->v[a], &x->v[b], SD_LEG_FORWARD);
    e->dir = by_client ? 0 : 1;
    sd_ev_str(e, "initiator", by_client ? "client" : "server");
    sd_ev_int(e, "records", records);
    snprintf(e->note, sizeof e->note,
             "key re-exchange started by the %s: %u records (KEXINIT, key exchange, NEWKEYS) left out of the session",
             by_client ? "client" : "server", records);
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
        rekey_event(x, i, last, x->v[i].c, recs);
        any = true;
        i = last;
    }
    if (any)
        compact(x, drop);
    free(drop);
}
