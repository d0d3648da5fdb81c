/* sd_ssh_derive: what the parser derives from what both sides sent:
 * algorithm name-lists and their negotiation (RFC 4253 section 7.1), host
 * key fingerprints, hassh, the roles, the negotiated algorithms, the protocol
 * version, Terrapin exposure and the connection's outcome. */
#include "sd_ssh_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "../common/sd_hmap.h"

static bool list_has_n(const char *list, const char *name, size_t n);

bool sd_ssh_list_has(const char *list, const char *name)
{
    return list && name && list_has_n(list, name, strlen(name));
}

/* Pseudo-algorithms that only signal capabilities: RFC 8308 section 2.1
 * (ext-info-c/-s) and OpenSSH PROTOCOL 1.9 (strict KEX). */
static bool is_pseudo(const char *p, size_t l)
{
    static const char *const names[] = {
        "ext-info-c", "ext-info-s", "kex-strict-c-v00@openssh.com", "kex-strict-s-v00@openssh.com",
        "ext-info-in-auth@openssh.com",
    };
    for (size_t i = 0; i < SD_ARRAY_LEN(names); i++)
        if (strlen(names[i]) == l && memcmp(p, names[i], l) == 0)
            return true;
    return false;
}

unsigned sdp_kex_marks(const char *kex, size_t n)
{
    static const struct {
        const char *name;
        size_t len;
        unsigned mark;
    } tab[] = {
        { "ext-info-c", 10, SDP_MARK_EXT_C },
        { "ext-info-s", 10, SDP_MARK_EXT_S },
        { "kex-strict-c-v00@openssh.com", 28, SDP_MARK_STRICT_C },
        { "kex-strict-s-v00@openssh.com", 28, SDP_MARK_STRICT_S },
    };
    unsigned marks = 0;
    for (const char *p = kex, *end = kex ? kex + n : NULL; p && p < end;) {
        const char *e = memchr(p, ',', (size_t)(end - p));
        size_t l = e ? (size_t)(e - p) : (size_t)(end - p);
        for (size_t i = 0; i < SD_ARRAY_LEN(tab); i++)
            if (tab[i].len == l && memcmp(p, tab[i].name, l) == 0)
                marks |= tab[i].mark;
        if (!e)
            break;
        p = e + 1;
    }
    return marks;
}

static bool list_has_n(const char *list, const char *name, size_t n)
{
    const char *p = list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && memcmp(p, name, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

/* A server list of more names than this is sorted once and searched, not
 * scanned once per client name: lists of 64 KiB of short names on both
 * sides made the scan quadratic (7.5 G instructions for one 435 KB
 * connection). Real lists hold under 50 names, and keep the plain scan. */
#define NEGO_SCAN_MAX 64

typedef struct {
    const char *p;
    size_t l;
} nego_name;

static int nego_cmp(const void *a, const void *b)
{
    const nego_name *x = a, *y = b;
    if (x->l != y->l)
        return x->l < y->l ? -1 : 1;
    return x->l ? memcmp(x->p, y->p, x->l) : 0;
}

/* The server list's names sorted (*n of them), or NULL: few enough to
 * scan, or no memory (the scan then, slower but the same answer). */
static nego_name *nego_sorted(const char *list, size_t *n)
{
    size_t k = 1;
    for (const char *q = list; (q = strchr(q, ',')) != NULL; q++)
        k++;
    if (k <= NEGO_SCAN_MAX)
        return NULL;
    nego_name *v = malloc(k * sizeof *v);
    if (!v)
        return NULL;
    size_t i = 0;
    for (const char *p = list; i < k; i++) {
        const char *e = strchr(p, ',');
        v[i] = (nego_name){ p, e ? (size_t)(e - p) : strlen(p) };
        p = e ? e + 1 : p + v[i].l;
    }
    qsort(v, k, sizeof *v, nego_cmp);
    *n = k;
    return v;
}

int sd_ssh_negotiate(const char *client_list, const char *server_list, char *out, size_t outlen)
{
    if (!client_list || !server_list || !out || outlen == 0)
        return -1;
    size_t ns = 0;
    nego_name *sorted = nego_sorted(server_list, &ns);
    int rc = -1;
    const char *p = client_list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        nego_name key = { p, l };
        if (l > 0 && !is_pseudo(p, l) &&
            (sorted ? bsearch(&key, sorted, ns, sizeof *sorted, nego_cmp) != NULL : list_has_n(server_list, p, l))) {
            size_t c = l < outlen - 1 ? l : outlen - 1;
            memcpy(out, p, c);
            out[c] = '\0';
            rc = (int)c;
            break;
        }
        if (!e)
            break;
        p = e + 1;
    }
    free(sorted);
    return rc;
}

static void b64_nopad(const uint8_t *in, size_t n, char *out, size_t outlen)
{
    unsigned char tmp[96];
    if (n > 48 || outlen == 0) {
        if (outlen)
            out[0] = '\0';
        return;
    }
    int w = EVP_EncodeBlock(tmp, in, (int)n);
    while (w > 0 && tmp[w - 1] == '=')
        w--;
    size_t c = (size_t)w < outlen - 1 ? (size_t)w : outlen - 1;
    memcpy(out, tmp, c);
    out[c] = '\0';
}

static void digest_compute(bool is_md5, const uint8_t *p, size_t n, uint8_t *md, unsigned *mdlen)
{
    *mdlen = 0;
    /* fetched once: OpenSSL 3's implicit fetch per call (EVP_md5()) was a
     * third of the time of a capture of short SSH connections */
    static EVP_MD *md5, *sha256;
    /* one context per algorithm, reused: a new one per digest cost three
     * allocations and frees, several digests per connection; Init on the
     * same algorithm resets it without them */
    static EVP_MD_CTX *md5_ctx, *sha256_ctx;
    EVP_MD **slot = is_md5 ? &md5 : &sha256;
    EVP_MD_CTX **cslot = is_md5 ? &md5_ctx : &sha256_ctx;
    if (!*slot)
        *slot = EVP_MD_fetch(NULL, is_md5 ? "MD5" : "SHA256", NULL);
    if (!*cslot)
        *cslot = EVP_MD_CTX_new();
    const EVP_MD *t = *slot;
    EVP_MD_CTX *ctx = *cslot;
    if (!t || !ctx)
        return;
    if (EVP_DigestInit_ex(ctx, t, NULL) != 1 || EVP_DigestUpdate(ctx, p, n) != 1 ||
        EVP_DigestFinal_ex(ctx, md, mdlen) != 1)
        *mdlen = 0;
}

/* Digests remembered by input. A brute-force run or a scan sends the same
 * KEXINIT name-lists and the same host key on every connection, and an MD5
 * or SHA-256 over a kilobyte costs several times hashing and comparing it.
 * A direct-mapped table keeps the latest input per slot: memory stays below
 * DIGEST_MEMO_SLOTS x DIGEST_MEMO_MAX_IN whatever the capture sends, a
 * hostile stream of ever new inputs only replaces entries (each miss costs
 * the hash on top of the digest), and the whole input is compared, so a hit
 * gives exactly the digest of these bytes. 64 slots hold the HASSH strings
 * and host keys of dozens of client and server builds; longer inputs than
 * 16 kB (a name-list past OpenSSH's own) are digested each time. */
#define DIGEST_MEMO_SLOTS 64u
#define DIGEST_MEMO_MAX_IN 16384u

typedef struct memo_slot {
    uint64_t h;
    uint8_t *in; /* a copy of the input, NULL when the slot is empty */
    size_t n, cap;
    bool md5;
    unsigned mdlen;
    uint8_t md[EVP_MAX_MD_SIZE];
} memo_slot;

/* The slot's key: the length and the first and last 32 bytes (inputs that
 * differ only between them share a slot and replace each other: a cost,
 * never a wrong digest, as the whole input is compared); hashing the whole
 * kilobyte of a HASSH string cost half as much as the digest it saves. */
static uint64_t memo_key(bool is_md5, const uint8_t *p, size_t n)
{
    uint8_t k[8 + 64];
    size_t h = SD_MIN(n, (size_t)32);
    uint64_t n64 = n;
    memcpy(k, &n64, 8);
    if (h) {
        memcpy(k + 8, p, h);
        memcpy(k + 8 + h, p + n - h, h);
    }
    return sd_hash_bytes(k, 8 + 2 * h) ^ (uint64_t)is_md5;
}

/* A copy of the n bytes at p in a slot's buffer, which is reused by the
 * inputs that replace it. */
static void slot_keep(uint8_t **in, size_t *cap, const uint8_t *p, size_t n)
{
    if (*cap < n || !*in) {
        free(*in);
        *cap = n ? n : 1;
        *in = sd_malloc(*cap);
    }
    memcpy(*in, p, n);
}

static void digest(bool is_md5, const uint8_t *p, size_t n, uint8_t *md, unsigned *mdlen)
{
    static memo_slot memo[DIGEST_MEMO_SLOTS];
    if (n > DIGEST_MEMO_MAX_IN) {
        digest_compute(is_md5, p, n, md, mdlen);
        return;
    }
    uint64_t h = memo_key(is_md5, p, n);
    memo_slot *e = &memo[h % DIGEST_MEMO_SLOTS];
    if (e->in && e->h == h && e->n == n && e->md5 == is_md5 && memcmp(e->in, p, n) == 0) {
        memcpy(md, e->md, e->mdlen);
        *mdlen = e->mdlen;
        return;
    }
    digest_compute(is_md5, p, n, md, mdlen);
    if (*mdlen == 0)
        return; /* a failed digest is not remembered */
    slot_keep(&e->in, &e->cap, p, n);
    e->h = h;
    e->n = n;
    e->md5 = is_md5;
    e->mdlen = *mdlen;
    memcpy(e->md, md, *mdlen);
}

void sd_ssh_fp_sha256(const uint8_t *blob, size_t len, char out[52])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest(false, blob, len, md, &n);
    memcpy(out, "SHA256:", 8);
    b64_nopad(md, n, out + 7, 52 - 7);
}

void sd_ssh_fp_md5(const uint8_t *blob, size_t len, char out[48])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest(true, blob, len, md, &n);
    size_t o = 0;
    for (unsigned i = 0; i < n && i < 16; i++) { /* "%02x" joined by ':' */
        if (i)
            out[o++] = ':';
        out[o++] = sd_hex_digits[md[i] >> 4];
        out[o++] = sd_hex_digits[md[i] & 15];
    }
    out[o] = '\0';
}

/* Both fingerprints of a host key, remembered by key: every connection
 * to a server sends the same key, and its two digests' lookups with the
 * Base64 and hex formatting cost ~1,300 instructions a connection (issue
 * #11), one lookup and two copies ~300. Bounded as the digests' memo is
 * (DIGEST_MEMO_MAX_IN), a few keys kept (a server has one of each type);
 * the whole key is compared, so a hit gives exactly these keys' strings,
 * and a failed digest is not remembered. */
#define FP_MEMO_SLOTS 16u

typedef struct fp_slot {
    uint64_t h;
    uint8_t *in; /* a copy of the key, NULL when the slot is empty */
    size_t n, cap;
    char sha256[52], md5[48];
} fp_slot;

static bool fp_hit(const fp_slot *e, uint64_t h, const uint8_t *blob, size_t len)
{
    return e->in && e->h == h && e->n == len && memcmp(e->in, blob, len) == 0;
}

/* Two slots a key (h's and the next): with one, two of a brute force's
 * four servers' keys sharing a slot replaced each other on every
 * connection (a quarter of the lookups missed on gencap --brute). A miss
 * goes to the first when it is empty, else to the second. */
void sd_ssh_fp_hostkey(const uint8_t *blob, size_t len, char sha256[52], char md5[48])
{
    static fp_slot memo[FP_MEMO_SLOTS];
    uint64_t h = memo_key(false, blob, len);
    fp_slot *a = &memo[h % FP_MEMO_SLOTS], *b = &memo[(h + 1) % FP_MEMO_SLOTS];
    fp_slot *e = fp_hit(a, h, blob, len) ? a : fp_hit(b, h, blob, len) ? b : NULL;
    if (e) {
        memcpy(sha256, e->sha256, sizeof e->sha256);
        memcpy(md5, e->md5, sizeof e->md5);
        return;
    }
    sd_ssh_fp_sha256(blob, len, sha256);
    sd_ssh_fp_md5(blob, len, md5);
    if (len > DIGEST_MEMO_MAX_IN || !md5[0] || !sha256[7])
        return;
    e = !a->in ? a : b;
    slot_keep(&e->in, &e->cap, blob, len);
    e->h = h;
    e->n = len;
    memcpy(e->sha256, sha256, sizeof e->sha256);
    memcpy(e->md5, md5, sizeof e->md5);
}

static void md5_hex(const char *str, size_t len, char out[33])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest(true, (const uint8_t *)str, len, md, &n);
    *sd_put_hex(out, md, n < 16 ? n : 16) = '\0';
}

/* ---------------------------------------------------------- derivations */

/* The client's direction. Content evidence (the best level either side
 * gave) overturns the caller's hint, unless the hint is firm (the TCP
 * handshake was seen) and only one side's content speaks against it: a
 * peer's claims about its own role (a kex-strict-s marker or a server's
 * KEX message sent by the SYN's sender) are its to forge, so the other
 * side must agree (*unconfirmed: the side whose agreement such a claim
 * lacks, else -1). A direction is the client by its own client evidence
 * or by the other's server evidence. Straight-line: it runs after every
 * cleartext chunk (sdp_touch). */
static int decide_client(sd_ssh *s, sd_ssh_evidence *ev, int *unconfirmed)
{
    *unconfirmed = -1;
    int c0 = s->d[0].ev_client, s0 = s->d[0].ev_server;
    int c1 = s->d[1].ev_client, s1 = s->d[1].ev_server;
    int best = SD_MAX(SD_MAX(c0, s0), SD_MAX(c1, s1));
    *ev = (sd_ssh_evidence)best;
    int hint = s->opts.client_hint;
    bool cand[2] = { c0 == best || s1 == best, c1 == best || s0 == best };
    if (best <= 0 || cand[hint])
        return hint;
    if (s->opts.hint_firm && !(s->d[hint].ev_server > 0 && s->d[1 - hint].ev_client > 0)) {
        *unconfirmed = s->d[1 - hint].ev_client > 0 ? hint : 1 - hint;
        *ev = SD_SSH_EV_HINT;
        return hint;
    }
    return 1 - hint;
}

/* The HASSH string of a side's lists in its role, malloc'ed. */
static char *hassh_string(char *const lists[SD_SSH_NL_COUNT], bool client, size_t *total)
{
    int e = client ? SD_SSH_NL_ENC_C2S : SD_SSH_NL_ENC_S2C;
    int m = client ? SD_SSH_NL_MAC_C2S : SD_SSH_NL_MAC_S2C;
    int c = client ? SD_SSH_NL_COMP_C2S : SD_SSH_NL_COMP_S2C;
    const char *part[4] = { lists[SD_SSH_NL_KEX], lists[e], lists[m], lists[c] };
    size_t len[4];
    *total = 3; /* the three ';' */
    for (int i = 0; i < 4; i++) {
        len[i] = part[i] ? strlen(part[i]) : 0;
        *total += len[i];
    }
    char *str = sd_malloc(*total + 1), *o = str; /* one allocation of the exact size, no printf */
    for (int i = 0; i < 4; i++) {
        if (i)
            *o++ = ';';
        memcpy(o, part[i] ? part[i] : "", len[i]);
        o += len[i];
    }
    *o = '\0';
    return str;
}

/* A side's HASSH in its role; from the memo's entry of its lists (dir's
 * kex) when there is one: made there once, shared by every connection. */
static void hassh_side(sd_ssh *s, int dir, bool client)
{
    sd_ssh_side *sd = &s->m.side[dir];
    if (!s->kex[dir])
        free(sd->hassh_algorithms); /* the entry's is not this side's to free */
    sd->hassh_algorithms = NULL;
    sd->hassh[0] = '\0';
    if (!sd->kexinit_seen || sd->lists_cut) /* a cut list's hash would match no one's */
        return;
    size_t total;
    sdp_kexent *e = s->kex[dir];
    if (!e) {
        sd->hassh_algorithms = hassh_string(sd->lists, client, &total);
        md5_hex(sd->hassh_algorithms, total, sd->hassh);
        return;
    }
    if (!e->alg[!client]) {
        e->alg[!client] = hassh_string(e->lists, client, &total);
        md5_hex(e->alg[!client], total, e->hassh[!client]);
    }
    sd->hassh_algorithms = e->alg[!client];
    memcpy(sd->hassh, e->hassh[!client], sizeof sd->hassh);
}

static const char *neg(sd_ssh *s, int slot, int list)
{
    const sd_ssh_side *c = &s->m.side[s->m.client_dir];
    const sd_ssh_side *v = &s->m.side[1 - s->m.client_dir];
    if (sd_ssh_negotiate(c->lists[list], v->lists[list], s->neg[slot], NAME_MAX_LEN) < 0)
        return NULL;
    return s->neg[slot];
}

static bool is_chacha(const char *c)
{
    return c && strcmp(c, "chacha20-poly1305@openssh.com") == 0;
}

/* The suite half of Terrapin: it depends only on the negotiated names and
 * strict KEX, so it is worked out with them (sdp_derive), not per chunk. */
static void terrapin_suite(sd_ssh *s)
{
    const sd_ssh_meta *m = &s->m;
    s->terrapin_suite[0] = '\0';
    if (m->strict_kex)
        return;
    for (int i = 0; i < 2; i++) {
        const char *c = m->cipher[i];
        bool etm = false;
        if (c && !is_chacha(c) && m->mac[i])
            (void)sd_ssh_mac_len(m->mac[i], &etm);
        sd_ssh_suite su;
        bool cbc = c && sd_ssh_suite_from_names(c, m->mac[i], &su) == 0 && su.cbc;
        if (is_chacha(c) || (cbc && etm)) {
            snprintf(s->terrapin_suite, sizeof s->terrapin_suite, "%s%s without strict KEX", c,
                     is_chacha(c) ? "" : "+etm");
            return; /* one suite named is enough */
        }
    }
}

static void derive_terrapin(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    const char *suite = s->tsuite ? s->tsuite : "";
    if (!suite[0] && !m->side[0].unexpected_msgs && !m->side[1].unexpected_msgs) {
        m->terrapin_reason[0] = '\0'; /* the common case, met on every chunk of the handshake */
        m->terrapin = false;
        return;
    }
    size_t o = strlen(suite);
    memcpy(m->terrapin_reason, suite, o + 1);
    m->terrapin = o > 0;
    for (int d = 0; d < 2 && o < sizeof(m->terrapin_reason); d++) {
        const sd_ssh_side *sd = &m->side[d];
        if (sd->unexpected_msgs == 0)
            continue;
        m->terrapin = true;
        o += (size_t)snprintf(m->terrapin_reason + o, sizeof(m->terrapin_reason) - o,
                              "%s%u msg before NEWKEYS from %s (type %u frame %llu)",
                              o ? "; " : "", sd->unexpected_msgs,
                              d == m->client_dir ? "client" : "server",
                              (unsigned)sd->first_unexpected_type,
                              (unsigned long long)sd->first_unexpected_frame);
    }
}

int sdp_proto_major(const char *p)
{
    if (p[0] == '1' && p[1] == '.' && p[2] == '9' && p[3] == '9' && p[4] == '\0') /* "1.99", per derive */
        return 199;
    if (p[0] == '1' && p[1] == '.')
        return 1;
    if (p[0] == '2' && p[1] == '.')
        return 2;
    return 0;
}

/* Zeek's rule (scripts/base/protocols/ssh/main.zeek): 1.99 means "both";
 * the other side decides. */
static int derive_version(const sd_ssh *s)
{
    const sd_ssh_meta *m = &s->m;
    int cd = m->client_dir;
    const sd_ssh_side *c = &m->side[cd], *v = &m->side[1 - cd];
    int a = c->banner_seen ? s->d[cd].major : -1;
    int b = v->banner_seen ? s->d[1 - cd].major : -1;
    if (a < 0 && b < 0)
        return 0;
    if (a < 0 || b < 0)
        return 0; /* Zeek leaves it unset with one banner (half-duplex) */
    if (a == 199 && b == 199)
        return 2;
    if (a == 199)
        return b;
    if (b == 199)
        return a;
    return a == b ? a : 0;
}

static sd_ssh_outcome derive_outcome(const sd_ssh *s)
{
    const sd_ssh_meta *m = &s->m;
    const sd_ssh_side *a = &m->side[0], *b = &m->side[1];
    if (a->ssh1 || b->ssh1 || m->version == 1)
        return SD_SSH_OUT_SSH1;
    if (!a->banner_seen && !b->banner_seen && !a->kexinit_seen && !b->kexinit_seen) /* sd_ssh_is_ssh */
        return (a->bytes || b->bytes || a->gap_bytes || b->gap_bytes) ? SD_SSH_OUT_NOT_SSH
                                                                       : SD_SSH_OUT_NONE;
    if (a->newkeys_seen && b->newkeys_seen)
        return SD_SSH_OUT_ENCRYPTED;
    if (a->newkeys_seen || b->newkeys_seen)
        return SD_SSH_OUT_KEX_INCOMPLETE;
    if (a->kexinit_seen || b->kexinit_seen)
        return SD_SSH_OUT_CAPABILITIES_ONLY;
    if (s->d[0].non_ssh_after_banner || s->d[1].non_ssh_after_banner)
        return SD_SSH_OUT_NON_SSH_AFTER_BANNER;
    return SD_SSH_OUT_VERSION_ONLY;
}

static void negotiate_lists(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    m->kex_alg = neg(s, 0, SD_SSH_NL_KEX);
    m->hostkey_alg = neg(s, 1, SD_SSH_NL_HOSTKEY);
    m->cipher[0] = neg(s, 2, SD_SSH_NL_ENC_C2S);
    m->cipher[1] = neg(s, 3, SD_SSH_NL_ENC_S2C);
    m->mac[0] = neg(s, 4, SD_SSH_NL_MAC_C2S);
    m->mac[1] = neg(s, 5, SD_SSH_NL_MAC_S2C);
    m->comp[0] = neg(s, 6, SD_SSH_NL_COMP_C2S);
    m->comp[1] = neg(s, 7, SD_SSH_NL_COMP_S2C);
}

/* The meta's negotiated names, in the order of s->neg's slots. */
static const char **nego_slot(sd_ssh_meta *m, int i)
{
    /* offsets, not a table of eight pointers built per call */
    static const size_t off[8] = {
        offsetof(sd_ssh_meta, kex_alg),   offsetof(sd_ssh_meta, hostkey_alg),
        offsetof(sd_ssh_meta, cipher[0]), offsetof(sd_ssh_meta, cipher[1]),
        offsetof(sd_ssh_meta, mac[0]),    offsetof(sd_ssh_meta, mac[1]),
        offsetof(sd_ssh_meta, comp[0]),   offsetof(sd_ssh_meta, comp[1]),
    };
    return (const char **)(void *)((char *)m + off[i]);
}

sdp_nego *sdp_memo_nego(sd_ssh *s)
{
    int c = s->m.client_dir;
    sdp_kexent *ce = s->kex[c], *se = s->kex[1 - c];
    return ce && se ? sdp_memo_nego_find(ce, se) : NULL;
}

/* The negotiated names and Terrapin's suite half: the memo's when both
 * sides' lists are there and their negotiation is kept (a brute force:
 * every connection but the first), pointed at, not copied; else worked
 * out in the parser (and kept there). */
static void negotiate(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    int c = m->client_dir;
    sdp_kexent *ce = s->kex[c], *se = s->kex[1 - c];
    m->kex_alg = m->hostkey_alg = NULL;
    for (int i = 0; i < 2; i++)
        m->cipher[i] = m->mac[i] = m->comp[i] = NULL;
    m->strict_kex = m->side[c].strict_kex && m->side[1 - c].strict_kex;
    sdp_nego *ng = sdp_memo_nego(s);
    if (ng) {
        for (int i = 0; i < 8; i++)
            if (ng->found[i])
                *nego_slot(m, i) = ng->neg[i];
        s->tsuite = ng->terrapin_suite;
        return;
    }
    if (m->side[0].kexinit_seen && m->side[1].kexinit_seen)
        negotiate_lists(s);
    terrapin_suite(s);
    s->tsuite = s->terrapin_suite;
    if (!ce || !se || !(ng = sdp_memo_nego_add(s->opts.memo, ce, se)))
        return;
    for (int i = 0; i < 8; i++) {
        ng->found[i] = *nego_slot(m, i) != NULL;
        if (ng->found[i]) /* a slot not found was not written */
            memcpy(ng->neg[i], s->neg[i], NAME_MAX_LEN);
    }
    memcpy(ng->terrapin_suite, s->terrapin_suite, sizeof ng->terrapin_suite);
}

/* Why lazily: the parser touched the derivation after every cleartext
 * chunk, ten times a short connection at ~250 instructions each, and only
 * the roles are read before a KEX reply, NEWKEYS or the end (issue #11).
 * Its other results depend only on the inputs at the time they are read,
 * which only the parser's chunks and gaps change, so they are the same. */
void sdp_touch(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    sd_ssh_evidence ev;
    int unconfirmed;
    int c = decide_client(s, &ev, &unconfirmed);
    bool claim_due = unconfirmed >= 0 && m->side[unconfirmed].newkeys_seen && !s->claim_noted;
    if ((c != s->opts.client_hint && !s->flip_noted) || claim_due) {
        sdp_derive(s); /* (its anomaly at this frame) */
        return;
    }
    m->client_dir = c;
    m->client_dir_evidence = ev;
    m->client_dir_flipped = c != s->opts.client_hint;
    s->derive_due = true;
}

bool sdp_derive_local(sd_ssh *s)
{
    if (s->mid)
        return false;
    sd_ssh_evidence ev;
    int unconfirmed;
    return s->hassh_cdir == decide_client(s, &ev, &unconfirmed) + 1;
}

void sdp_derive(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    sd_ssh_evidence ev;
    s->derive_due = false;
    int unconfirmed;
    int c = decide_client(s, &ev, &unconfirmed);
    m->client_dir = c;
    m->client_dir_evidence = ev;
    m->client_dir_flipped = c != s->opts.client_hint;
    if (m->client_dir_flipped && !s->flip_noted) {
        s->flip_noted = true;
        sdp_anomaly(s, c, SD_SSH_AN_DIR_FLIP, "client is caller dir %d (evidence %d)", c, (int)ev);
    }
    /* said once the silent side's NEWKEYS shows it sent every KEX message
     * that could have confirmed the claim (dropbear's KEXINIT carries no
     * marker: a reverse connection is confirmed by its KEX reply only) */
    if (unconfirmed >= 0 && m->side[unconfirmed].newkeys_seen && !s->claim_noted) {
        s->claim_noted = true;
        sdp_anomaly(s, c, SD_SSH_AN_ROLE_CLAIM, "one side's content claims the other role, unconfirmed by "
                    "its peer: the TCP handshake's roles kept");
    }
    /* The HASSHes, the negotiated algorithms and what follows from them
     * depend only on the name-lists and the client: worked out again only
     * when a KEXINIT arrived or the client changed, not per chunk. */
    if (s->hassh_cdir != c + 1) {
        hassh_side(s, c, true);
        hassh_side(s, 1 - c, false);
        s->hassh_cdir = c + 1;
        negotiate(s);
    }
    derive_terrapin(s);
    m->version = derive_version(s);
    m->outcome = derive_outcome(s);
    if (s->mid)
        sdp_mid_settle(s);
}
