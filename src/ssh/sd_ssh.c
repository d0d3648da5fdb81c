/* sd_ssh: SSH connection parser (see sd_ssh.h).
 *
 * Per direction a small state machine: BANNER (lines until "SSH-"), CLEAR
 * (RFC 4253 section 6 binary packets until NEWKEYS), ENC (encrypted records),
 * SSH1 / DEAD (bytes counted only). Every partial line, header and packet is
 * kept in the direction's state, so feeding resumes at any byte boundary.
 * Packet contents are read only through sd_cur. */
#include "sd_ssh.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "../common/sd_cursor.h"

enum { ST_BANNER = 0, ST_CLEAR, ST_ENC, ST_SSH1, ST_DEAD };

/* Names shorter than this are algorithm names (RFC 4251 section 6: at most
 * 64 characters); longer negotiated names are cut. */
#define NAME_MAX_LEN 72
/* Bytes of the first line after which a non-"SSH-" direction counts as
 * having shown no banner (sd_ssh_ruled_out). */
#define RULE_OUT_BYTES 64u

typedef struct dirst {
    int st;
    uint64_t off;            /* stream offset of the next byte */
    /* BANNER */
    uint8_t *line;           /* SD_SSH_MAX_LINE bytes while in BANNER, else NULL */
    size_t line_len;
    uint64_t nb_bytes;       /* bytes seen in the banner state */
    bool dead_no_banner;     /* stopped before any banner: not SSH */
    /* CLEAR and ENC framing */
    uint8_t hdr[4];
    uint32_t hdr_have;
    uint32_t plen;           /* packet_length of the packet being read */
    uint8_t *pkt;            /* CLEAR: body being collected (freed after CLEAR) */
    size_t pkt_cap;
    uint32_t pkt_have;
    bool align_noted, pad_noted;
    bool non_ssh_after_banner;
    /* ENC */
    uint64_t enc_left;       /* bytes of the current record after its header */
    uint64_t rec_off;
    /* role evidence for this direction (sd_ssh_evidence levels, 0 = none) */
    int ev_client, ev_server;
} dirst;

struct sd_ssh {
    sd_ssh_opts opts;
    dirst d[2];
    sd_ssh_meta m;
    char neg[8][NAME_MAX_LEN];   /* negotiated names the meta points to */
    bool hostkey_from_33;        /* the host key came from a DH-GEX reply */
    uint64_t frame;              /* of the current feed */
    sd_ts ts;
    bool flip_noted;
};

/* ---------------------------------------------------------------- utils */

static void anomaly(sd_ssh *s, int dir, sd_ssh_anom_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void anomaly(sd_ssh *s, int dir, sd_ssh_anom_code code, const char *fmt, ...)
{
    s->m.anomalies_total++;
    if (s->m.n_anomalies >= SD_SSH_MAX_ANOMALIES)
        return;
    sd_ssh_anomaly *a = &s->m.anomalies[s->m.n_anomalies++];
    a->code = code;
    a->dir = dir;
    a->frame = s->frame;
    a->offset = s->d[dir].off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->detail, sizeof(a->detail), fmt, ap);
    va_end(ap);
}

static char *dup_n(const uint8_t *p, size_t n)
{
    char *r = sd_malloc(n + 1);
    memcpy(r, p, n);
    r[n] = '\0';
    return r;
}

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

int sd_ssh_negotiate(const char *client_list, const char *server_list, char *out, size_t outlen)
{
    if (!client_list || !server_list || !out || outlen == 0)
        return -1;
    const char *p = client_list;
    while (*p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l > 0 && !is_pseudo(p, l) && list_has_n(server_list, p, l)) {
            size_t c = l < outlen - 1 ? l : outlen - 1;
            memcpy(out, p, c);
            out[c] = '\0';
            return (int)c;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return -1;
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

static void digest(const char *alg, const uint8_t *p, size_t n, uint8_t *md, unsigned *mdlen)
{
    *mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx)
        return;
    const EVP_MD *t = strcmp(alg, "md5") == 0 ? EVP_md5() : EVP_sha256();
    if (EVP_DigestInit_ex(ctx, t, NULL) != 1 || EVP_DigestUpdate(ctx, p, n) != 1 ||
        EVP_DigestFinal_ex(ctx, md, mdlen) != 1)
        *mdlen = 0;
    EVP_MD_CTX_free(ctx);
}

void sd_ssh_fp_sha256(const uint8_t *blob, size_t len, char out[52])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest("sha256", blob, len, md, &n);
    memcpy(out, "SHA256:", 8);
    b64_nopad(md, n, out + 7, 52 - 7);
}

void sd_ssh_fp_md5(const uint8_t *blob, size_t len, char out[48])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest("md5", blob, len, md, &n);
    size_t o = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < n && i < 16; i++)
        o += (size_t)snprintf(out + o, 48 - o, i ? ":%02x" : "%02x", md[i]);
}

static void md5_hex(const char *str, char out[33])
{
    uint8_t md[EVP_MAX_MD_SIZE];
    unsigned n;
    digest("md5", (const uint8_t *)str, strlen(str), md, &n);
    out[0] = '\0';
    for (unsigned i = 0; i < n && i < 16; i++)
        snprintf(out + 2 * i, 33 - 2 * i, "%02x", md[i]);
}

/* ------------------------------------------------------------- lifecycle */

sd_ssh *sd_ssh_new(const sd_ssh_opts *opts)
{
    sd_ssh *s = sd_calloc(1, sizeof(*s));
    if (opts)
        s->opts = *opts;
    if (s->opts.client_hint != 1)
        s->opts.client_hint = 0;
    s->m.client_dir = s->opts.client_hint;
    return s; /* line and packet buffers are allocated when first needed */
}

static void side_free(sd_ssh_side *sd)
{
    free(sd->banner);
    free(sd->software);
    free(sd->comments);
    free(sd->prebanner);
    for (int i = 0; i < SD_SSH_NL_COUNT; i++)
        free(sd->lists[i]);
    free(sd->hassh_algorithms);
}

void sd_ssh_free(sd_ssh *s)
{
    if (!s)
        return;
    for (int i = 0; i < 2; i++) {
        free(s->d[i].line);
        free(s->d[i].pkt);
        side_free(&s->m.side[i]);
    }
    free(s);
}

/* ---------------------------------------------------------- derivations */

static int decide_client(sd_ssh *s, sd_ssh_evidence *ev)
{
    int best = 0, cand[2] = { 0, 0 };
    for (int d = 0; d < 2; d++) {
        int lc = s->d[d].ev_client, ls = s->d[d].ev_server;
        if (lc > best) {
            best = lc;
            cand[0] = cand[1] = 0;
        }
        if (lc == best && lc > 0)
            cand[d] = 1;
        if (ls > best) {
            best = ls;
            cand[0] = cand[1] = 0;
        }
        if (ls == best && ls > 0)
            cand[1 - d] = 1;
    }
    *ev = (sd_ssh_evidence)best;
    int hint = s->opts.client_hint;
    if (best == 0 || cand[hint])
        return hint;
    return 1 - hint;
}

static void hassh_side(sd_ssh_side *sd, bool client)
{
    free(sd->hassh_algorithms);
    sd->hassh_algorithms = NULL;
    sd->hassh[0] = '\0';
    if (!sd->kexinit_seen)
        return;
    int e = client ? SD_SSH_NL_ENC_C2S : SD_SSH_NL_ENC_S2C;
    int m = client ? SD_SSH_NL_MAC_C2S : SD_SSH_NL_MAC_S2C;
    int c = client ? SD_SSH_NL_COMP_C2S : SD_SSH_NL_COMP_S2C;
    sd_buf b = { 0 };
    sd_buf_printf(&b, "%s;%s;%s;%s", sd->lists[SD_SSH_NL_KEX], sd->lists[e], sd->lists[m],
                  sd->lists[c]);
    sd->hassh_algorithms = (char *)b.p; /* NUL-terminated by sd_buf_printf */
    md5_hex(sd->hassh_algorithms, sd->hassh);
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

static void derive_terrapin(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    m->terrapin = false;
    m->terrapin_reason[0] = '\0';
    size_t o = 0;
    if (!m->strict_kex) {
        for (int i = 0; i < 2; i++) {
            const char *c = m->cipher[i];
            bool etm = false;
            if (c && !is_chacha(c) && m->mac[i])
                (void)sd_ssh_mac_len(m->mac[i], &etm);
            sd_ssh_suite su;
            bool cbc = c && sd_ssh_suite_from_names(c, m->mac[i], &su) == 0 && su.cbc;
            if (is_chacha(c) || (cbc && etm)) {
                m->terrapin = true;
                o += (size_t)snprintf(m->terrapin_reason + o, sizeof(m->terrapin_reason) - o,
                                      "%s%s%s without strict KEX", o ? "; " : "", c,
                                      is_chacha(c) ? "" : "+etm");
                break; /* one suite named is enough */
            }
        }
    }
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

static int proto_major(const char *p)
{
    if (strcmp(p, "1.99") == 0)
        return 199;
    if (p[0] == '1' && p[1] == '.')
        return 1;
    if (p[0] == '2' && p[1] == '.')
        return 2;
    return 0;
}

/* Zeek's rule (scripts/base/protocols/ssh/main.zeek): 1.99 means "both";
 * the other side decides. */
static int derive_version(const sd_ssh_meta *m)
{
    const sd_ssh_side *c = &m->side[m->client_dir], *v = &m->side[1 - m->client_dir];
    int a = c->banner_seen ? proto_major(c->proto) : -1;
    int b = v->banner_seen ? proto_major(v->proto) : -1;
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
    if (!a->banner_seen && !b->banner_seen)
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

/* Recomputes everything that depends on the roles or on both sides. */
static void derive(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    sd_ssh_evidence ev;
    int c = decide_client(s, &ev);
    m->client_dir = c;
    m->client_dir_evidence = ev;
    m->client_dir_flipped = c != s->opts.client_hint;
    if (m->client_dir_flipped && !s->flip_noted) {
        s->flip_noted = true;
        anomaly(s, c, SD_SSH_AN_DIR_FLIP, "client is caller dir %d (evidence %d)", c, (int)ev);
    }
    hassh_side(&m->side[c], true);
    hassh_side(&m->side[1 - c], false);

    m->kex_alg = m->hostkey_alg = NULL;
    for (int i = 0; i < 2; i++)
        m->cipher[i] = m->mac[i] = m->comp[i] = NULL;
    if (m->side[0].kexinit_seen && m->side[1].kexinit_seen) {
        m->kex_alg = neg(s, 0, SD_SSH_NL_KEX);
        m->hostkey_alg = neg(s, 1, SD_SSH_NL_HOSTKEY);
        m->cipher[0] = neg(s, 2, SD_SSH_NL_ENC_C2S);
        m->cipher[1] = neg(s, 3, SD_SSH_NL_ENC_S2C);
        m->mac[0] = neg(s, 4, SD_SSH_NL_MAC_C2S);
        m->mac[1] = neg(s, 5, SD_SSH_NL_MAC_S2C);
        m->comp[0] = neg(s, 6, SD_SSH_NL_COMP_C2S);
        m->comp[1] = neg(s, 7, SD_SSH_NL_COMP_S2C);
    }
    m->strict_kex = m->side[c].strict_kex && m->side[1 - c].strict_kex;
    derive_terrapin(s);
    m->version = derive_version(m);
    m->outcome = derive_outcome(s);
}

/* The suite a direction sends with, from the negotiated names. */
static void set_suite(sd_ssh *s, int dir)
{
    sd_ssh_side *sd = &s->m.side[dir];
    int k = dir == s->m.client_dir ? 0 : 1;
    const char *c = s->m.cipher[k], *mac = s->m.mac[k];
    memset(&sd->suite, 0, sizeof(sd->suite));
    if (!c) {
        if (s->m.side[0].kexinit_seen && s->m.side[1].kexinit_seen)
            anomaly(s, dir, SD_SSH_AN_SUITE_UNKNOWN, "no common cipher");
        return;
    }
    if (sd_ssh_suite_from_names(c, mac, &sd->suite) < 0)
        anomaly(s, dir, SD_SSH_AN_SUITE_UNKNOWN, "%.30s + %.30s", c, mac ? mac : "-");
}

/* -------------------------------------------------------------- banner */

static void set_role_ev(sd_ssh *s, int dir, bool client, sd_ssh_evidence lvl)
{
    int *p = client ? &s->d[dir].ev_client : &s->d[dir].ev_server;
    if (*p < (int)lvl)
        *p = (int)lvl;
}

/* Buffers a direction no longer needs go as soon as it leaves the state
 * that used them, so a long-lived connection costs little memory. */
static void drop_buffers(dirst *d)
{
    if (d->st != ST_BANNER) {
        free(d->line);
        d->line = NULL;
    }
    if (d->st != ST_CLEAR) {
        free(d->pkt);
        d->pkt = NULL;
        d->pkt_cap = 0;
    }
}

static void go_dead(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    if (d->st == ST_BANNER)
        d->dead_no_banner = true;
    d->st = ST_DEAD;
    s->m.side[dir].stopped = true;
}

static void parse_banner(sd_ssh *s, int dir, const uint8_t *l, size_t n, bool crlf)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    sd->banner_seen = true;
    sd->banner = dup_n(l, n);
    sd->banner_crlf = crlf;
    sd->banner_frame = s->frame;
    sd->banner_ts = s->ts;
    if (n + (crlf ? 2 : 1) > SD_SSH_RFC_LINE)
        anomaly(s, dir, SD_SSH_AN_BANNER_LONG, "identification line of %zu bytes", n);
    /* SSH-protoversion-softwareversion SP comments (RFC 4253 section 4.2) */
    const char *b = sd->banner + 4;
    const char *dash = strchr(b, '-');
    const char *sp = strchr(b, ' ');
    if (!dash || (sp && sp < dash)) {
        anomaly(s, dir, SD_SSH_AN_BANNER_BAD, "no softwareversion");
        size_t pl = sp ? (size_t)(sp - b) : strlen(b);
        snprintf(sd->proto, sizeof(sd->proto), "%.*s", (int)SD_MIN(pl, 15), b);
    } else {
        snprintf(sd->proto, sizeof(sd->proto), "%.*s", (int)SD_MIN((size_t)(dash - b), 15), b);
        const char *sw = dash + 1;
        size_t swl = sp ? (size_t)(sp - sw) : strlen(sw);
        sd->software = dup_n((const uint8_t *)sw, swl);
        if (sp)
            sd->comments = sd_strdup(sp + 1);
    }
    int me = proto_major(sd->proto);
    const sd_ssh_side *peer = &s->m.side[1 - dir];
    int pm = peer->banner_seen ? proto_major(peer->proto) : -1;
    if (me == 1 || (me == 199 && pm == 1)) {
        d->st = ST_SSH1;
        sd->ssh1 = true;
    } else {
        d->st = ST_CLEAR;
    }
    /* A 1.99 peer that has not parsed an SSH-2 packet yet talks SSH-1 to us. */
    dirst *pd = &s->d[1 - dir];
    if (me == 1 && pm == 199 && pd->st == ST_CLEAR && s->m.side[1 - dir].clear_packets == 0) {
        pd->st = ST_SSH1;
        s->m.side[1 - dir].ssh1 = true;
    }
    if ((me == 1 && pm == 2) || (me == 2 && pm == 1))
        anomaly(s, dir, SD_SSH_AN_VERSION_MISMATCH, "%s vs %s", sd->proto, peer->proto);
}

static void prebanner_line(sd_ssh *s, int dir, const uint8_t *l, size_t n)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd->prebanner_lines++;
    if (sd->prebanner_lines == 1 && dir == s->opts.client_hint)
        anomaly(s, dir, SD_SSH_AN_PREBANNER_CLIENT, "line before banner from hinted client");
    set_role_ev(s, dir, false, SD_SSH_EV_PREBANNER);
    size_t have = sd->prebanner ? strlen(sd->prebanner) : 0;
    if (have < SD_SSH_MAX_PREBANNER) {
        size_t c = SD_MIN(n, SD_SSH_MAX_PREBANNER - have);
        sd->prebanner = sd_realloc(sd->prebanner, have + c + 2);
        memcpy(sd->prebanner + have, l, c);
        sd->prebanner[have + c] = '\n';
        sd->prebanner[have + c + 1] = '\0';
    }
    if (sd->prebanner_lines > SD_SSH_MAX_PREBANNER_LINES) {
        anomaly(s, dir, SD_SSH_AN_PREBANNER_LIMIT, "%u lines before banner", sd->prebanner_lines);
        go_dead(s, dir);
    }
}

static bool is_binary(uint8_t c)
{
    return (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f;
}

static bool line_is_banner_prefix(const uint8_t *l, size_t n)
{
    static const char pfx[] = "SSH-";
    return memcmp(l, pfx, SD_MIN(n, 4)) == 0;
}

static size_t feed_banner(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    if (!d->line)
        d->line = sd_malloc(SD_SSH_MAX_LINE);
    const uint8_t *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) + 1 : n;
    size_t body = nl ? take - 1 : take; /* without the LF */
    if (d->line_len + body > SD_SSH_MAX_LINE) {
        anomaly(s, dir, SD_SSH_AN_LINE_TOO_LONG, "line over %u bytes", SD_SSH_MAX_LINE);
        anomaly(s, dir, SD_SSH_AN_NOT_SSH, "no banner");
        go_dead(s, dir);
        return n;
    }
    memcpy(d->line + d->line_len, p, body);
    /* Binary bytes in a line that is not a banner: this is not SSH. */
    if (!line_is_banner_prefix(d->line, d->line_len + body)) {
        for (size_t i = 0; i < body; i++) {
            if (is_binary(p[i])) {
                anomaly(s, dir, SD_SSH_AN_NOT_SSH, "binary byte 0x%02x before banner", p[i]);
                go_dead(s, dir);
                return n;
            }
        }
    }
    d->line_len += body;
    d->nb_bytes += take;
    if (!nl)
        return take;
    size_t ll = d->line_len;
    bool crlf = ll > 0 && d->line[ll - 1] == '\r';
    if (crlf)
        ll--;
    d->line_len = 0;
    if (ll >= 4 && memcmp(d->line, "SSH-", 4) == 0)
        parse_banner(s, dir, d->line, ll, crlf);
    else
        prebanner_line(s, dir, d->line, ll);
    return take;
}

/* ------------------------------------------------------------- packets */

static void stop_clear(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    if (s->m.side[dir].clear_packets == 0 && !s->m.side[dir].kexinit_seen)
        d->non_ssh_after_banner = true;
    go_dead(s, dir);
}

/* Reads one name-list (RFC 4251 section 5) into a fresh string. */
static int read_namelist(sd_ssh *s, int dir, sd_cur *c, char **out)
{
    uint32_t n = sd_cur_be32(c);
    if (c->err)
        return -1;
    if (n > SD_SSH_MAX_NAMELIST) {
        anomaly(s, dir, SD_SSH_AN_NAMELIST_LONG, "name-list of %u bytes", n);
        return -2;
    }
    const uint8_t *p = sd_cur_bytes(c, n);
    if (!p)
        return -1;
    char *str = dup_n(p, n);
    bool bad = false;
    for (uint32_t i = 0; i < n; i++) {
        if ((uint8_t)str[i] < 0x20 || (uint8_t)str[i] == 0x7f) {
            str[i] = '?';
            bad = true;
        }
    }
    if (bad)
        anomaly(s, dir, SD_SSH_AN_NAMELIST_CHARS, "control bytes in name-list");
    *out = str;
    return 0;
}

static void on_kexinit(sd_ssh *s, int dir, sd_cur c)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd->kexinit_count++;
    if (sd->kexinit_seen) {
        anomaly(s, dir, SD_SSH_AN_KEXINIT_REPEAT, "KEXINIT #%u in the clear", sd->kexinit_count);
        return;
    }
    char *lists[SD_SSH_NL_COUNT] = { 0 };
    sd_cur_skip(&c, 1); /* message number */
    uint8_t cookie[16];
    sd_cur_copy(&c, cookie, sizeof(cookie));
    int rc = c.err ? -1 : 0;
    for (int i = 0; i < SD_SSH_NL_COUNT && rc == 0; i++)
        rc = read_namelist(s, dir, &c, &lists[i]);
    if (rc != 0) {
        if (rc == -1)
            anomaly(s, dir, SD_SSH_AN_KEXINIT_BAD, "truncated KEXINIT");
        for (int i = 0; i < SD_SSH_NL_COUNT; i++)
            free(lists[i]);
        stop_clear(s, dir);
        return;
    }
    uint8_t follows = sd_cur_u8(&c);
    (void)sd_cur_be32(&c); /* reserved */
    if (c.err)
        anomaly(s, dir, SD_SSH_AN_KEXINIT_BAD, "KEXINIT without first_kex_packet_follows");
    sd->kexinit_seen = true;
    sd->kexinit_frame = s->frame;
    sd->kexinit_ts = s->ts;
    memcpy(sd->cookie, cookie, sizeof(cookie));
    memcpy(sd->lists, lists, sizeof(lists));
    sd->first_kex_follows = follows != 0;
    const char *kex = sd->lists[SD_SSH_NL_KEX];
    /* Role markers: RFC 8308 section 2.1, OpenSSH PROTOCOL 1.9. */
    bool c_mark = sd_ssh_list_has(kex, "ext-info-c") ||
                  sd_ssh_list_has(kex, "kex-strict-c-v00@openssh.com");
    bool s_mark = sd_ssh_list_has(kex, "ext-info-s") ||
                  sd_ssh_list_has(kex, "kex-strict-s-v00@openssh.com");
    sd->ext_info = sd_ssh_list_has(kex, "ext-info-c") || sd_ssh_list_has(kex, "ext-info-s");
    sd->strict_kex = sd_ssh_list_has(kex, "kex-strict-c-v00@openssh.com") ||
                     sd_ssh_list_has(kex, "kex-strict-s-v00@openssh.com");
    if (c_mark && !s_mark)
        set_role_ev(s, dir, true, SD_SSH_EV_KEXINIT);
    if (s_mark && !c_mark)
        set_role_ev(s, dir, false, SD_SSH_EV_KEXINIT);
}

/* A key blob starts with string(key type): a short printable name. */
static bool blob_type(const uint8_t *b, uint32_t n, char *type, size_t tl)
{
    sd_cur c = sd_cur_make(b, n);
    uint32_t l = sd_cur_be32(&c);
    if (c.err || l == 0 || l > 63)
        return false;
    const uint8_t *p = sd_cur_bytes(&c, l);
    if (!p)
        return false;
    for (uint32_t i = 0; i < l; i++)
        if (p[i] <= 0x20 || p[i] >= 0x7f)
            return false;
    snprintf(type, tl, "%.*s", (int)l, (const char *)p);
    return true;
}

static bool kex_is_gex(const char *kex)
{
    return kex && strncmp(kex, "diffie-hellman-group-exchange", 29) == 0;
}

/* KEX reply: 31 (KEXDH_REPLY RFC 4253 8, KEX_ECDH_REPLY RFC 5656 4, the
 * hybrid PQ methods) or 33 (KEX_DH_GEX_REPLY RFC 4419 3); both start with
 * string K_S, the server host key. 31 is GEX's GROUP under DH-GEX. */
static void on_kex_reply(sd_ssh *s, int dir, uint8_t type, sd_cur c)
{
    sd_ssh_meta *m = &s->m;
    if (m->hostkey_seen)
        return;
    if (type == 31 && kex_is_gex(m->kex_alg))
        return;
    sd_cur_skip(&c, 1);
    uint32_t n = sd_cur_be32(&c);
    const uint8_t *blob = n <= SD_SSH_MAX_PACKET ? sd_cur_bytes(&c, n) : NULL;
    char kt[64];
    if (!blob || !blob_type(blob, n, kt, sizeof(kt))) {
        if (type == 33 || (m->kex_alg && !kex_is_gex(m->kex_alg)))
            anomaly(s, dir, SD_SSH_AN_HOSTKEY_BAD, "KEX reply %u without a key blob", type);
        return;
    }
    m->hostkey_seen = true;
    snprintf(m->hostkey_type, sizeof(m->hostkey_type), "%s", kt);
    sd_ssh_fp_sha256(blob, n, m->hostkey_sha256);
    sd_ssh_fp_md5(blob, n, m->hostkey_md5);
    m->hostkey_len = n;
    m->kex_reply_frame = s->frame;
    m->kex_reply_ts = s->ts;
    s->hostkey_from_33 = type == 33;
}

static void on_newkeys(sd_ssh *s, int dir, uint64_t end_off)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    sd->newkeys_seen = true;
    sd->newkeys_frame = s->frame;
    sd->newkeys_ts = s->ts;
    sd->enc_offset = end_off;
    d->st = ST_ENC;
    d->hdr_have = 0;
    d->enc_left = 0;
    derive(s);
    set_suite(s, dir);
    sd->splitting = sd->suite.mode != SD_SSH_MODE_UNKNOWN && sd->suite.len_clear;
}

static void on_packet(sd_ssh *s, int dir, const uint8_t *body, uint32_t plen, uint64_t end_off)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    uint8_t pad = body[0];
    if ((uint32_t)pad + 2 > plen) {
        anomaly(s, dir, SD_SSH_AN_PKT_TOO_SHORT, "padding %u of packet %u", pad, plen);
        stop_clear(s, dir);
        return;
    }
    if (pad < 4 && !d->pad_noted) {
        d->pad_noted = true;
        anomaly(s, dir, SD_SSH_AN_PAD_SHORT, "padding_length %u", pad);
    }
    sd_cur c = sd_cur_make(body + 1, plen - 1u - pad);
    uint8_t type = body[1];
    sd->clear_packets++;
    if (type == SD_SSH_MSG_KEXINIT) {
        on_kexinit(s, dir, c);
    } else if (type == SD_SSH_MSG_NEWKEYS) {
        on_newkeys(s, dir, end_off);
    } else if (type >= SD_SSH_MSG_KEX_FIRST && type <= SD_SSH_MSG_KEX_LAST) {
        /* 30/32/34 come from the client, 31/33 from the server, in every
         * method OpenSSH implements (DH, ECDH, hybrids, DH-GEX). */
        if (type == 30 || type == 32 || type == 34)
            set_role_ev(s, dir, true, SD_SSH_EV_KEXMSG);
        if (type == 31 || type == 33) {
            set_role_ev(s, dir, false, SD_SSH_EV_KEXMSG);
            derive(s); /* the negotiated kex decides what 31 is */
            on_kex_reply(s, dir, type, c);
        }
    } else if (type != SD_SSH_MSG_DISCONNECT) {
        if (type == SD_SSH_MSG_EXT_INFO)
            sd->ext_info_msg = true;
        if (sd->unexpected_msgs++ == 0) {
            sd->first_unexpected_type = type;
            sd->first_unexpected_frame = s->frame;
        }
        anomaly(s, dir, SD_SSH_AN_UNEXPECTED_MSG, "message %u before NEWKEYS", type);
    }
}

static size_t feed_clear(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    if (d->hdr_have < 4) {
        size_t t = SD_MIN(n, (size_t)(4 - d->hdr_have));
        memcpy(d->hdr + d->hdr_have, p, t);
        d->hdr_have += (uint32_t)t;
        if (d->hdr_have < 4)
            return t;
        sd_cur c = sd_cur_make(d->hdr, 4);
        uint32_t L = sd_cur_be32(&c);
        if (L > SD_SSH_MAX_PACKET) {
            anomaly(s, dir, SD_SSH_AN_PKT_TOO_LONG, "packet_length %u", L);
            stop_clear(s, dir);
            return t;
        }
        if (L < 5) {
            anomaly(s, dir, SD_SSH_AN_PKT_TOO_SHORT, "packet_length %u", L);
            stop_clear(s, dir);
            return t;
        }
        /* RFC 4253 section 6: 4 + packet_length is a multiple of 8 before
         * keys are in use. Some old implementations differ: note, go on. */
        if ((L + 4) % 8 != 0 && !d->align_noted) {
            d->align_noted = true;
            anomaly(s, dir, SD_SSH_AN_PKT_ALIGN, "packet_length %u", L);
        }
        d->plen = L;
        d->pkt_have = 0;
        if (d->pkt_cap < L) {
            d->pkt = sd_realloc(d->pkt, L);
            d->pkt_cap = L;
        }
        return t;
    }
    size_t t = SD_MIN(n, (size_t)(d->plen - d->pkt_have));
    memcpy(d->pkt + d->pkt_have, p, t);
    d->pkt_have += (uint32_t)t;
    if (d->pkt_have == d->plen) {
        d->hdr_have = 0;
        on_packet(s, dir, d->pkt, d->plen, d->off + t);
    }
    return t;
}

/* ------------------------------------------------------------ encrypted */

static void emit(sd_ssh *s, int dir, bool exact, uint32_t wire, uint32_t plen, uint64_t off,
                 uint64_t frame, sd_ts ts)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd_ssh_record r = { 0 };
    r.dir = dir;
    r.from_client = dir == s->m.client_dir;
    r.exact = exact;
    r.wire_len = wire;
    r.packet_length = plen;
    r.offset = off;
    r.index = sd->enc_records++;
    r.frame = frame;
    r.ts = ts;
    sd->enc_record_bytes += wire;
    if (s->opts.record)
        s->opts.record(s->opts.ud, &r);
}

static size_t feed_enc(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    if (!sd->splitting) {
        sd->enc_bytes += n;
        return n;
    }
    if (d->enc_left == 0) {
        if (d->hdr_have == 0)
            d->rec_off = d->off;
        size_t t = SD_MIN(n, (size_t)(4 - d->hdr_have));
        memcpy(d->hdr + d->hdr_have, p, t);
        d->hdr_have += (uint32_t)t;
        sd->enc_bytes += t;
        if (d->hdr_have < 4)
            return t;
        sd_cur c = sd_cur_make(d->hdr, 4);
        uint32_t L = sd_cur_be32(&c);
        if (!sd_ssh_len_valid(&sd->suite, L)) {
            anomaly(s, dir, SD_SSH_AN_ENC_LEN_BAD, "length %u for block %u", L, sd->suite.block);
            sd->splitting = false;
            return t;
        }
        d->plen = L;
        d->enc_left = (uint64_t)L + sd->suite.tag;
        return t;
    }
    size_t t = (size_t)SD_MIN((uint64_t)n, d->enc_left);
    d->enc_left -= t;
    sd->enc_bytes += t;
    if (d->enc_left == 0) {
        d->hdr_have = 0;
        emit(s, dir, true, 4 + d->plen + sd->suite.tag, d->plen, d->rec_off, s->frame, s->ts);
    }
    return t;
}

/* ------------------------------------------------------------------ API */

void sd_ssh_feed(sd_ssh *s, int dir, const uint8_t *data, size_t len, uint64_t frame, sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1) || !data || len == 0)
        return;
    dirst *d = &s->d[dir];
    s->frame = frame;
    s->ts = ts;
    s->m.side[dir].bytes += len;
    size_t i = 0;
    bool touched = false;
    while (i < len) {
        size_t used;
        switch (d->st) {
        case ST_BANNER:
            used = feed_banner(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_CLEAR:
            used = feed_clear(s, dir, data + i, len - i);
            touched = true;
            break;
        case ST_ENC:
            used = feed_enc(s, dir, data + i, len - i);
            break;
        default:
            used = len - i;
            break;
        }
        i += used;
        d->off += used;
    }
    if (touched) {
        drop_buffers(&s->d[0]);
        drop_buffers(&s->d[1]);
        derive(s);
    }
}

void sd_ssh_gap(sd_ssh *s, int dir, uint64_t len, uint64_t frame)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    s->frame = frame;
    sd->gap_bytes += len;
    if (d->st == ST_BANNER || d->st == ST_CLEAR) {
        anomaly(s, dir, SD_SSH_AN_GAP, "%llu bytes missing before NEWKEYS",
                (unsigned long long)len);
        /* Unknown, not "not SSH": no dead_no_banner / non_ssh marks. */
        d->st = ST_DEAD;
        sd->stopped = true;
    } else if (d->st == ST_ENC && sd->splitting) {
        if (d->enc_left >= len) {
            /* The hole lies inside the current record: framing survives. */
            d->enc_left -= len;
            if (d->enc_left == 0) {
                d->hdr_have = 0;
                emit(s, dir, true, 4 + d->plen + sd->suite.tag, d->plen, d->rec_off, frame, s->ts);
            }
        } else {
            anomaly(s, dir, SD_SSH_AN_GAP, "%llu bytes missing: packet framing lost",
                    (unsigned long long)len);
            sd->splitting = false;
        }
    }
    d->off += len;
    drop_buffers(d);
    derive(s);
}

void sd_ssh_segment(sd_ssh *s, int dir, uint64_t offset, uint32_t len, uint64_t frame, sd_ts ts)
{
    if (!s || (dir != 0 && dir != 1) || len == 0)
        return;
    sd_ssh_side *sd = &s->m.side[dir];
    if (!sd->newkeys_seen || sd->splitting || s->d[dir].st != ST_ENC)
        return;
    uint64_t end = offset + len;
    uint64_t start = offset > sd->enc_offset ? offset : sd->enc_offset;
    if (end <= start)
        return;
    emit(s, dir, false, (uint32_t)(end - start), 0, start, frame, ts);
}

uint64_t sd_ssh_offset(const sd_ssh *s, int dir)
{
    return (s && (dir == 0 || dir == 1)) ? s->d[dir].off : 0;
}

bool sd_ssh_is_ssh(const sd_ssh *s)
{
    return s && (s->m.side[0].banner_seen || s->m.side[1].banner_seen);
}

bool sd_ssh_ruled_out(const sd_ssh *s)
{
    if (!s || sd_ssh_is_ssh(s))
        return false;
    const dirst *a = &s->d[0], *b = &s->d[1];
    if (a->dead_no_banner || b->dead_no_banner)
        return true;
    return a->nb_bytes >= RULE_OUT_BYTES && b->nb_bytes >= RULE_OUT_BYTES;
}

const sd_ssh_meta *sd_ssh_meta_get(const sd_ssh *s)
{
    return s ? &s->m : NULL;
}

const char *sd_ssh_anom_name(sd_ssh_anom_code c)
{
    switch (c) {
    case SD_SSH_AN_BANNER_LONG: return "banner_long";
    case SD_SSH_AN_LINE_TOO_LONG: return "line_too_long";
    case SD_SSH_AN_PREBANNER_CLIENT: return "prebanner_from_client";
    case SD_SSH_AN_PREBANNER_LIMIT: return "prebanner_limit";
    case SD_SSH_AN_BANNER_BAD: return "banner_bad";
    case SD_SSH_AN_PKT_TOO_LONG: return "packet_too_long";
    case SD_SSH_AN_PKT_TOO_SHORT: return "packet_too_short";
    case SD_SSH_AN_PKT_ALIGN: return "packet_misaligned";
    case SD_SSH_AN_PAD_SHORT: return "padding_short";
    case SD_SSH_AN_KEXINIT_BAD: return "kexinit_bad";
    case SD_SSH_AN_NAMELIST_LONG: return "namelist_long";
    case SD_SSH_AN_NAMELIST_CHARS: return "namelist_chars";
    case SD_SSH_AN_UNEXPECTED_MSG: return "unexpected_msg_before_newkeys";
    case SD_SSH_AN_KEXINIT_REPEAT: return "kexinit_repeat";
    case SD_SSH_AN_HOSTKEY_BAD: return "hostkey_bad";
    case SD_SSH_AN_GAP: return "gap";
    case SD_SSH_AN_ENC_LEN_BAD: return "encrypted_length_bad";
    case SD_SSH_AN_SUITE_UNKNOWN: return "suite_unknown";
    case SD_SSH_AN_NOT_SSH: return "not_ssh";
    case SD_SSH_AN_VERSION_MISMATCH: return "version_mismatch";
    case SD_SSH_AN_DIR_FLIP: return "direction_flipped";
    }
    return "?";
}

const char *sd_ssh_outcome_name(sd_ssh_outcome o)
{
    switch (o) {
    case SD_SSH_OUT_NONE: return "none";
    case SD_SSH_OUT_NOT_SSH: return "not_ssh";
    case SD_SSH_OUT_VERSION_ONLY: return "version_only";
    case SD_SSH_OUT_NON_SSH_AFTER_BANNER: return "non_ssh_after_banner";
    case SD_SSH_OUT_CAPABILITIES_ONLY: return "capabilities_only";
    case SD_SSH_OUT_KEX_INCOMPLETE: return "kex_incomplete";
    case SD_SSH_OUT_ENCRYPTED: return "encrypted";
    case SD_SSH_OUT_SSH1: return "ssh1";
    }
    return "?";
}
