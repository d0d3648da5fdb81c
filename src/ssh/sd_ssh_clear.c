/* sd_ssh_clear: the cleartext phase of one direction: identification
 * lines up to the banner (RFC 4253 section 4.2), then binary packets (RFC
 * 4253 section 6) until NEWKEYS: KEXINIT, the KEX reply with the host
 * key, role evidence. Partial lines and packets are kept in the
 * direction's state (dirst); packet contents are read only through sd_cur. */
#include "sd_ssh_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_cursor.h"

/* Whether p[0..n) holds a byte below 0x20 or 0x7f, eight bytes at a time:
 * a name-list is most of a KEXINIT's bytes, and a byte loop was 7% of
 * `ssh --json`'s instructions on many short connections. Per 64-bit word,
 * (w - 0x01..01 * k) & ~w & 0x80..80 is non-zero exactly when some byte of
 * w is below k (k <= 128); a byte equal to 0x7f is a zero byte of
 * w ^ 0x7f..7f. */
static bool has_control(const uint8_t *p, size_t n)
{
    const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w, d;
        memcpy(&w, p + i, 8);
        d = w ^ (ones * 0x7f);
        if (((w - ones * 0x20) & ~w & highs) | ((d - ones) & ~d & highs))
            return true;
    }
    for (; i < n; i++)
        if (p[i] < 0x20 || p[i] == 0x7f)
            return true;
    return false;
}

/* Strings kept for the connection's life: in its arena. */
static char *dup_n(sd_ssh *s, const uint8_t *p, size_t n)
{
    return sd_arena_strndup(&s->arena, p, n);
}

/* -------------------------------------------------------------- banner */

static void set_role_ev(sd_ssh *s, int dir, bool client, sd_ssh_evidence lvl)
{
    int *p = client ? &s->d[dir].ev_client : &s->d[dir].ev_server;
    if (*p < (int)lvl)
        *p = (int)lvl;
}

static void go_dead(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    if (d->st == ST_BANNER)
        d->dead_no_banner = true;
    d->st = ST_DEAD;
    s->m.side[dir].stopped = true;
}

/* "%.*s" of the n bytes at p into out (NUL-terminated, cut to its size),
 * without printf: twice per connection; p holds no NUL (a line's text). */
static void put_cut(char *out, size_t size, const char *p, size_t n)
{
    n = SD_MIN(n, size - 1);
    memcpy(out, p, n);
    out[n] = '\0';
}

static void parse_banner(sd_ssh *s, int dir, const uint8_t *l, size_t n, bool crlf)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    sd->banner_seen = true;
    sd->banner = dup_n(s, l, n);
    sd->banner_crlf = crlf;
    sd->banner_frame = s->frame;
    sd->banner_ts = s->ts;
    if (n + (crlf ? 2 : 1) > SD_SSH_RFC_LINE)
        sdp_anomaly(s, dir, SD_SSH_AN_BANNER_LONG, "identification line of %zu bytes", n);
    /* OpenSSH stops at the first of them (kex_exchange_identification:
     * "banner line contains invalid characters") and ends the connection */
    const uint8_t *nul = memchr(l, '\0', n); /* the C string would end there unsaid */
    const uint8_t *cr = memchr(l, '\r', nul ? (size_t)(nul - l) : n); /* end_line took the line's last CRs */
    if (cr)
        sdp_anomaly(s, dir, SD_SSH_AN_BANNER_BAD,
                    "CR not followed by LF at offset %zu of the identification line (OpenSSH refuses it)",
                    (size_t)(cr - l));
    else if (nul)
        sdp_anomaly(s, dir, SD_SSH_AN_BANNER_BAD, "NUL byte at offset %zu of the identification line",
                    (size_t)(nul - l));
    /* SSH-protoversion-softwareversion SP comments (RFC 4253 section 4.2),
     * read in the line (up to a NUL, as the banner's C string ends there),
     * not in the copies just written: their lines are cold, and a read
     * of them waits for the stores (issue #11) */
    const char *b = (const char *)l + 4, *end = (const char *)(nul ? nul : l + n);
    const char *dash = memchr(b, '-', (size_t)(end - b));
    const char *sp = memchr(b, ' ', (size_t)(end - b));
    char proto[sizeof sd->proto] = { 0 }; /* as the parser's own, cleared: the bytes after the NUL too */
    if (!dash || (sp && sp < dash)) {
        sdp_anomaly(s, dir, SD_SSH_AN_BANNER_BAD, "no softwareversion");
        size_t pl = (size_t)((sp ? sp : end) - b);
        put_cut(proto, sizeof proto, b, pl);
    } else {
        put_cut(proto, sizeof proto, b, (size_t)(dash - b));
        const char *sw = dash + 1;
        size_t swl = (size_t)((sp ? sp : end) - sw);
        sd->software = dup_n(s, (const uint8_t *)sw, swl);
        if (sp)
            sd->comments = dup_n(s, (const uint8_t *)sp + 1, (size_t)(end - sp - 1));
    }
    memcpy(sd->proto, proto, sizeof proto);
    int me = sdp_proto_major(proto);
    d->major = me; /* sdp_derive reads it after every cleartext chunk */
    const sd_ssh_side *peer = &s->m.side[1 - dir];
    int pm = peer->banner_seen ? s->d[1 - dir].major : -1;
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
        sdp_anomaly(s, dir, SD_SSH_AN_VERSION_MISMATCH, "%s vs %s", sd->proto, peer->proto);
}

static void prebanner_line(sd_ssh *s, int dir, const uint8_t *l, size_t n)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd->prebanner_lines++;
    if (sd->prebanner_lines == 1 && dir == s->opts.client_hint)
        sdp_anomaly(s, dir, SD_SSH_AN_PREBANNER_CLIENT, "line before banner from hinted client");
    set_role_ev(s, dir, false, SD_SSH_EV_PREBANNER);
    size_t have = sd->prebanner ? strlen(sd->prebanner) : 0;
    if (have < SD_SSH_MAX_PREBANNER) {
        size_t c = SD_MIN(n, SD_SSH_MAX_PREBANNER - have);
        sd->prebanner = sd_realloc(sd->prebanner, have + c + 2);
        memcpy(sd->prebanner + have, l, c);
        sd->prebanner[have + c] = '\n';
        sd->prebanner[have + c + 1] = '\0';
    }
    /* more than OpenSSH accepts: worth a mark, but a banner may still come */
    if (sd->prebanner_lines == SD_SSH_MAX_PREBANNER_LINES + 1)
        sdp_anomaly(s, dir, SD_SSH_AN_PREBANNER_LIMIT, "over %u lines before banner",
                    SD_SSH_MAX_PREBANNER_LINES);
}

/* What OpenSSH refuses in a line before the version
 * (kex_exchange_identification): a NUL, or a CR followed by a byte but CR
 * or LF (a CR only sets "LF expected": CR CR LF ends a line). Any
 * other byte (an escape sequence of a coloured message, say) is a line a
 * client accepts, so it must not hide the connection from strider. */
static bool is_binary(const uint8_t *p, size_t i, size_t body)
{
    return p[i] == 0 || (p[i] == '\r' && i + 1 < body && p[i + 1] != '\r');
}

static bool line_is_banner_prefix(const uint8_t *l, size_t n)
{
    static const char pfx[] = "SSH-";
    return memcmp(l, pfx, SD_MIN(n, 4)) == 0;
}

/* The line buffer: the longest line OpenSSH reads, and its CR. */
#define LINE_BUF (SD_SSH_MAX_LINE + 1u)
#define LINE_BUF_START SDP_LINE_INLINE

/* A line is complete (l: d->line, or where it is in the chunk; without its
 * LF): strip the CR, flag one
 * longer than OpenSSH reads (the banner always; pre-banner lines once per
 * direction, so a flood of them cannot crowd the other anomalies out), and
 * parse it, cut to SD_SSH_MAX_LINE, as banner or pre-banner line. */
static void end_line(sd_ssh *s, int dir, const uint8_t *l)
{
    dirst *d = &s->d[dir];
    bool crlf = d->line_cr;
    uint64_t full = d->line_seen - crlf;
    size_t ll = (size_t)SD_MIN(full, (uint64_t)SD_MIN(d->line_len, SD_SSH_MAX_LINE));
    while (crlf && ll && l[ll - 1] == '\r')
        ll--; /* CR CR LF: every CR before the LF ends the line (OpenSSH keeps none) */
    bool banner = ll >= 4 && memcmp(l, "SSH-", 4) == 0;
    const char *what = banner ? "identification line" : "line before banner";
    if (d->long_at) { /* marked when it passed the limit: now its length is known */
        sd_ssh_anomaly *a = &s->m.anomalies[d->long_at - 1];
        snprintf(a->detail, sizeof a->detail, "%s of %llu bytes (OpenSSH: %u), cut", what,
                 (unsigned long long)full, SD_SSH_MAX_LINE);
    } else if (full > SD_SSH_MAX_LINE && !d->line_over && (banner || !d->long_line_noted)) {
        d->long_line_noted |= !banner;
        sdp_anomaly(s, dir, SD_SSH_AN_LINE_TOO_LONG, "%s of %llu bytes (OpenSSH: %u), cut", what,
                    (unsigned long long)full, SD_SSH_MAX_LINE);
    }
    d->line_len = 0;
    d->line_seen = 0;
    d->line_cr = false;
    d->line_over = false;
    d->long_at = 0;
    if (banner)
        parse_banner(s, dir, l, ll, crlf);
    else
        prebanner_line(s, dir, l, ll);
}

/* The current line has just passed what OpenSSH reads, before its LF: it
 * is marked now, as a line that never ends (the stream stops first) would
 * otherwise go unreported; end_line() gives the mark its full length. */
static void line_over(sd_ssh *s, int dir, const uint8_t *l)
{
    dirst *d = &s->d[dir];
    bool banner = line_is_banner_prefix(l, d->line_len) && d->line_len >= 4;
    d->line_over = true;
    if (!banner && d->long_line_noted)
        return; /* pre-banner lines: once per direction, as in end_line() */
    d->long_line_noted |= !banner;
    uint32_t at = s->m.n_anomalies;
    sdp_anomaly(s, dir, SD_SSH_AN_LINE_TOO_LONG, "%s of more than %u bytes (OpenSSH: %u), no LF seen",
                banner ? "identification line" : "line before banner", SD_SSH_MAX_LINE, SD_SSH_MAX_LINE);
    if (s->m.n_anomalies > at)
        d->long_at = at + 1;
}

/* The line buffer starts at LINE_BUF_START and doubles up to LINE_BUF as
 * a line needs it: every connection has a banner of ~40 bytes, few a line
 * of kilobytes, and a small block is a fraction of the cost of 8 kB. */
static void line_room(sd_ssh *s, int dir, size_t need)
{
    dirst *d = &s->d[dir];
    if (d->line && need <= d->line_cap)
        return;
    if (!d->line && need <= SDP_LINE_INLINE) { /* the parser's own: no heap block */
        d->line = s->line0[dir];
        d->line_cap = SDP_LINE_INLINE;
        return;
    }
    size_t cap = d->line_cap ? d->line_cap : LINE_BUF_START;
    while (cap < need)
        cap *= 2;
    cap = SD_MIN(cap, (size_t)LINE_BUF);
    if (d->line == s->line0[dir]) {
        uint8_t *nl = sd_malloc(cap);
        memcpy(nl, d->line, d->line_len);
        d->line = nl;
    } else {
        d->line = sd_realloc(d->line, cap);
    }
    d->line_cap = cap;
}

size_t sdp_feed_banner(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    const uint8_t *nl = memchr(p, '\n', n);
    size_t take = nl ? (size_t)(nl - p) + 1 : n;
    size_t body = nl ? take - 1 : take; /* without the LF */
    size_t keep = SD_MIN(body, LINE_BUF - d->line_len);
    /* A whole line in this chunk (nearly every banner) is read where it
     * is: copied into the line buffer first, its reads waited for the
     * copy's stores to the buffer's cold lines (issue #11, bench/README.md
     * stop 38). */
    const uint8_t *l = p;
    if (!nl || d->line_len) {
        line_room(s, dir, d->line_len + keep);
        memcpy(d->line + d->line_len, p, keep);
        l = d->line;
    }
    /* Binary bytes in a line that is not a banner: this is not SSH. */
    if (!line_is_banner_prefix(l, d->line_len + keep)) {
        for (size_t i = 0; i < body; i++) {
            if (is_binary(p, i, body)) {
                sdp_anomaly(s, dir, SD_SSH_AN_NOT_SSH, "binary byte 0x%02x before banner", p[i]);
                go_dead(s, dir);
                return n;
            }
        }
    }
    d->line_len += keep;
    d->line_seen += body;
    if (body)
        d->line_cr = p[body - 1] == '\r';
    if (d->line_seen > SD_SSH_MAX_LINE + 1u && !d->line_over) /* + 1: room for its CR */
        line_over(s, dir, l);
    d->nb_bytes += take;
    if (d->nb_bytes > SD_SSH_MAX_BANNER_BYTES) {
        sdp_anomaly(s, dir, SD_SSH_AN_NOT_SSH, "no banner in %u bytes", SD_SSH_MAX_BANNER_BYTES);
        go_dead(s, dir);
        return n;
    }
    if (nl)
        end_line(s, dir, l);
    return take;
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
            sdp_anomaly(s, dir, SD_SSH_AN_SUITE_UNKNOWN, "no common cipher");
        return;
    }
    sdp_nego *ng = sdp_memo_nego(s); /* the suites of this pair of list sets, kept with its names */
    int rc;
    if (ng && ng->suite_known[k]) {
        sd->suite = ng->suite[k];
        rc = ng->suite_rc[k];
    } else {
        rc = sd_ssh_suite_from_names(c, mac, &sd->suite);
        if (ng) {
            ng->suite[k] = sd->suite;
            ng->suite_rc[k] = rc;
            ng->suite_known[k] = true;
        }
    }
    if (rc < 0)
        sdp_anomaly(s, dir, SD_SSH_AN_SUITE_UNKNOWN, "%.30s + %.30s", c, mac ? mac : "-");
}

/* ------------------------------------------------------------- packets */

static void stop_clear(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    if (s->m.side[dir].clear_packets == 0 && !s->m.side[dir].kexinit_seen)
        d->non_ssh_after_banner = true;
    go_dead(s, dir);
}

/* Reads one name-list (RFC 4251 section 5): *out its kept bytes in the
 * packet, *outn their count, *whole the list's (past a cut), *bad whether
 * control bytes are among the kept ones. */
static int read_namelist(sd_ssh *s, int dir, sd_cur *c, const uint8_t **out, uint32_t *outn, uint32_t *whole,
                         bool *bad)
{
    uint32_t n = sd_cur_be32(c);
    if (c->err)
        return -1;
    const uint8_t *p = sd_cur_bytes(c, n);
    if (!p)
        return -1;
    /* OpenSSH takes any list its 256 KiB packet holds: a longer one must
     * not stop the parse (the keys, the records, the login would go
     * unseen). The first names are kept, cut at a name's end (they are the
     * ones negotiation picks); the HASSH of a cut list is not computed. */
    uint32_t keep = n;
    *whole = n;
    if (n > SD_SSH_MAX_NAMELIST) {
        keep = SD_SSH_MAX_NAMELIST;
        while (keep && p[keep] != ',')
            keep--;
        if (!keep) /* one giant name */
            keep = SD_SSH_MAX_NAMELIST;
        sdp_anomaly(s, dir, SD_SSH_AN_NAMELIST_LONG, "name-list of %u bytes: the first %u kept, no HASSH", n,
                    keep);
        s->m.side[dir].lists_cut = true;
    }
    n = keep;
    /* control bytes are made '?' in the copy (lists_copy) */
    *bad = has_control(p, n);
    if (*bad)
        sdp_anomaly(s, dir, SD_SSH_AN_NAMELIST_CHARS, "control bytes in name-list");
    *out = p;
    *outn = n;
    return 0;
}

/* The ten lists as strings in one block (control bytes made '?'). */
static char *lists_copy(sd_ssh *s, const uint8_t *const src[SD_SSH_NL_COUNT], const uint32_t len[SD_SSH_NL_COUNT],
                        const bool bad[SD_SSH_NL_COUNT], char *lists[SD_SSH_NL_COUNT])
{
    size_t total = 0;
    for (int i = 0; i < SD_SSH_NL_COUNT; i++)
        total += (size_t)len[i] + 1;
    char *block = sd_arena_alloc(&s->arena, total), *o = block; /* once per side */
    for (int i = 0; i < SD_SSH_NL_COUNT; i++) {
        lists[i] = o;
        if (len[i])
            memcpy(o, src[i], len[i]);
        for (uint32_t k = 0; bad[i] && k < len[i]; k++)
            if ((uint8_t)o[k] < 0x20 || (uint8_t)o[k] == 0x7f)
                o[k] = '?';
        o[len[i]] = '\0';
        o += len[i] + 1;
    }
    return block;
}

static void on_kexinit(sd_ssh *s, int dir, sd_cur c)
{
    sd_ssh_side *sd = &s->m.side[dir];
    sd->kexinit_count++;
    if (sd->kexinit_seen) {
        sdp_anomaly(s, dir, SD_SSH_AN_KEXINIT_REPEAT, "KEXINIT #%u in the clear", sd->kexinit_count);
        return;
    }
    const uint8_t *src[SD_SSH_NL_COUNT];
    uint32_t len[SD_SSH_NL_COUNT], whole[SD_SSH_NL_COUNT];
    bool bad[SD_SSH_NL_COUNT];
    sd_cur_skip(&c, 1); /* message number */
    uint8_t cookie[16];
    sd_cur_copy(&c, cookie, sizeof(cookie));
    int rc = c.err ? -1 : 0;
    /* lists met before (the memo): nothing to check, copy or scan */
    const uint8_t *raw = c.p;
    uint64_t h = 0;
    size_t span = 0;
    sdp_kexent *e = rc == 0 && s->opts.memo ? sdp_memo_find(s->opts.memo, &c, &h, &span) : NULL;
    if (e)
        sd_cur_skip(&c, span);
    uint32_t an0 = s->m.anomalies_total;
    for (int i = 0; i < SD_SSH_NL_COUNT && rc == 0 && !e; i++)
        rc = read_namelist(s, dir, &c, &src[i], &len[i], &whole[i], &bad[i]);
    bool lists_clean = s->m.anomalies_total == an0;
    if (rc != 0) {
        if (rc == -1)
            sdp_anomaly(s, dir, SD_SSH_AN_KEXINIT_BAD, "truncated KEXINIT");
        stop_clear(s, dir);
        return;
    }
    uint8_t follows = sd_cur_u8(&c);
    (void)sd_cur_be32(&c); /* reserved */
    if (c.err)
        sdp_anomaly(s, dir, SD_SSH_AN_KEXINIT_BAD, "KEXINIT without first_kex_packet_follows");
    sd->kexinit_seen = true;
    s->hassh_cdir = 0; /* new lists: the HASSHes are computed again */
    sd->kexinit_frame = s->frame;
    sd->kexinit_ts = s->ts;
    memcpy(sd->cookie, cookie, sizeof(cookie));
    sd->first_kex_follows = follows != 0;
    /* Role markers: RFC 8308 section 2.1, OpenSSH PROTOCOL 1.9. */
    unsigned mk;
    if (e) {
        memcpy(sd->lists, e->lists, sizeof sd->lists);
        sd->lists_block = e->lists[0];
        mk = e->marks;
    } else {
        sd->lists_block = lists_copy(s, src, len, bad, sd->lists);
        /* one pass, not eight; over the whole list, as OpenSSH appends the
         * markers to it: a list cut after 64 KiB of names still says strict
         * KEX (else Terrapin would be claimed of a protected session) */
        mk = sdp_kex_marks((const char *)src[SD_SSH_NL_KEX], whole[SD_SSH_NL_KEX]);
        if (s->opts.memo && span && lists_clean && (e = sdp_memo_add(s->opts.memo, h, raw, span, sd->lists, mk)))
            memcpy(sd->lists, e->lists, sizeof sd->lists); /* the same names, the memo's (lists_memo) */
    }
    s->kex[dir] = e;
    sd->lists_memo = e != NULL; /* and so hassh_algorithms (hassh_side) */
    bool c_mark = mk & (SDP_MARK_EXT_C | SDP_MARK_STRICT_C);
    bool s_mark = mk & (SDP_MARK_EXT_S | SDP_MARK_STRICT_S);
    sd->ext_info = mk & (SDP_MARK_EXT_C | SDP_MARK_EXT_S);
    sd->strict_kex = mk & (SDP_MARK_STRICT_C | SDP_MARK_STRICT_S);
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
    put_cut(type, tl, (const char *)p, l);
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
            sdp_anomaly(s, dir, SD_SSH_AN_HOSTKEY_BAD, "KEX reply %u without a key blob", type);
        return;
    }
    m->hostkey_seen = true;
    put_cut(m->hostkey_type, sizeof(m->hostkey_type), kt, strlen(kt));
    sd_ssh_fp_hostkey(blob, n, m->hostkey_sha256, m->hostkey_md5);
    m->hostkey_len = n;
    m->kex_reply_frame = s->frame;
    m->kex_reply_ts = s->ts;
    s->hostkey_from_33 = type == 33;
}

static void on_newkeys(sd_ssh *s, int dir, uint64_t end_off)
{
    /* after a snaplen cut its KEXINIT may have been in the bytes cut */
    if (!s->m.side[dir].kexinit_seen && !s->d[dir].cut_noted && !s->d[dir].kex_joined)
        sdp_anomaly(s, dir, SD_SSH_AN_NEWKEYS_EARLY, "NEWKEYS with no KEXINIT before it");
    sdp_newkeys_resync(s, dir, end_off);
}

void sdp_newkeys_resync(sd_ssh *s, int dir, uint64_t end_off)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    sd->stopped = false;
    sd->newkeys_seen = true;
    sd->newkeys_frame = s->frame;
    sd->newkeys_ts = s->ts;
    sd->enc_offset = end_off;
    d->st = ST_ENC;
    d->hdr_have = 0;
    d->enc_left = 0;
    d->head_want = true; /* the first record's head, for suite_from_sizes */
    d->head_have = 0;
    d->head_off = end_off;
    sdp_derive(s);
    set_suite(s, dir);
    sd->splitting = sd->suite.mode != SD_SSH_MODE_UNKNOWN && sd->suite.len_clear;
}

/* The key exchange methods whose messages are 30 (client) and 31 (server)
 * only: RFC 4253 8 (DH groups), RFC 5656 4 (ECDH), RFC 8731 (curve25519/448)
 * and the hybrid post-quantum ones (sntrup761x25519, mlkem768x25519); DH-GEX
 * (RFC 4419) adds 32-34. Others (GSS-API's, RFC 4432's RSA) are judged only
 * by the types none of them has. */
static bool kex_foreign(const char *kex, uint8_t type)
{
    static const char *const one_round[] = { "curve25519-", "curve448-", "ecdh-sha2-", "sntrup761x25519-",
                                             "mlkem768x25519-" };
    /* GSS-API's methods have 30-34, 40 and 41 (RFC 4462, RFC 8732) */
    bool no_method = (type >= 35 && type <= 39) || type >= 42;
    if (!kex) /* not negotiated yet */
        return no_method;
    if (kex_is_gex(kex))
        return type > 34;
    bool one = strncmp(kex, "diffie-hellman-group", 20) == 0 && kex[20] >= '0' && kex[20] <= '9';
    for (size_t i = 0; !one && i < sizeof(one_round) / sizeof(one_round[0]); i++)
        one = strncmp(kex, one_round[i], strlen(one_round[i])) == 0;
    return one ? type > 31 : no_method;
}

/* A NEWKEYS its receiver may not take: in every key exchange method each
 * side sends a message of the method's own (30-49) after its KEXINIT and
 * before its NEWKEYS (DH, ECDH, the hybrids: the client's init, the
 * server's reply; DH-GEX's request and init; RSA's secret; GSS-API's
 * init and complete), and a receiver registers its NEWKEYS handler only
 * when the exchange gave keys (OpenSSH's kex_send_newkeys): one earlier is
 * an unexpected message (kex_protocol_error: UNIMPLEMENTED, go on; a
 * strict-KEX peer disconnects), a shift of the sequence numbers, not the
 * start of encryption. Judged in the sender's own stream, so the order
 * the two streams are read in does not matter; a gap before NEWKEYS has
 * stopped the side's reading already. A capture of an exchange strider
 * does not see (or a test's) can still go on encrypted, so the NEWKEYS is
 * taken and the packet after it decides (NKWAIT, sdp_newkeys_settle):
 * only a cleartext key exchange message there takes it back. With no
 * KEXINIT before it, it is `newkeys_before_kexinit`. */
static void on_unexpected(sd_ssh *s, int dir, uint8_t type, const char *why);

static bool newkeys_doubtful(const sd_ssh *s, int dir)
{
    return s->m.side[dir].kexinit_seen && !s->d[dir].kexmsg_sent;
}

bool sdp_newkeys_settle(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    bool clear = sdp_clear_head(d->nk_buf) && d->nk_buf[5] >= SD_SSH_MSG_KEX_FIRST;
    d->st = ST_ENC;
    if (!clear)
        return false;
    sd->newkeys_seen = false;
    sd->newkeys_frame = 0;
    sd->newkeys_ts = 0;
    sd->enc_offset = 0;
    sd->splitting = false;
    d->st = ST_CLEAR;
    d->hdr_have = 0;
    d->enc_left = 0;
    uint64_t frame = s->frame;
    s->frame = d->nk_frame;
    on_unexpected(s, dir, SD_SSH_MSG_NEWKEYS, " (before its side's key exchange message)");
    s->frame = frame;
    sdp_derive(s);
    return true;
}

/* A message no key exchange sends before NEWKEYS: each one shifts the
 * sequence numbers a Terrapin attacker (CVE-2023-48795) needs shifted, and
 * a peer without strict KEX answers an unknown one with UNIMPLEMENTED and
 * goes on (OpenSSH's kex_protocol_error), so a key exchange message of
 * another method is as good an injection as an IGNORE. */
static void on_unexpected(sd_ssh *s, int dir, uint8_t type, const char *why)
{
    sd_ssh_side *sd = &s->m.side[dir];
    if (sd->unexpected_msgs++ == 0) {
        sd->first_unexpected_type = type;
        sd->first_unexpected_frame = s->frame;
    }
    sdp_anomaly(s, dir, SD_SSH_AN_UNEXPECTED_MSG, "message %u before NEWKEYS%s", type, why);
}

/* A 32-34, 40 or 41 read before both KEXINITs named the method (DH-GEX's
 * and GSS-API's messages; a peer's bytes can be read ahead of the other's
 * KEXINIT when those are held): judged when the method is known, as one
 * read after (kex_early_judge). What it was taken for meanwhile (role
 * evidence, a 33's host key) is taken back if it was not the method's.
 * KEX_EARLY_MAX held: a real exchange has at most two such messages before
 * the other's KEXINIT is read (DH-GEX's request and group, or the init and
 * reply); past it a message is judged at once, as before the method is
 * known (the types no method has). */
#define KEX_EARLY_MAX 8
struct sdp_kexearly {
    uint64_t frame, off; /* where, for its anomaly */
    uint8_t type, dir;
    int ev_before;       /* the sender's role evidence before it */
    bool hostkey;        /* a 33 that gave the host key */
};

static bool kex_early(sd_ssh *s, int dir, uint8_t type)
{
    if (s->m.kex_alg || s->n_early >= KEX_EARLY_MAX)
        return false;
    if (!s->early)
        s->early = sd_arena_alloc(&s->arena, KEX_EARLY_MAX * sizeof *s->early);
    struct sdp_kexearly *k = &s->early[s->n_early++];
    k->frame = s->frame;
    k->off = s->d[dir].off;
    k->type = type;
    k->dir = (uint8_t)dir;
    k->ev_before = type == 33 ? s->d[dir].ev_server : s->d[dir].ev_client;
    k->hostkey = false;
    return true;
}


/* The method is known: each held message of another method is an
 * injection, said at its own frame; its role evidence and host key go. */
static void kex_early_judge(sd_ssh *s)
{
    if (!s->n_early || !s->m.kex_alg)
        return;
    uint64_t frame = s->frame, off[2] = { s->d[0].off, s->d[1].off };
    for (uint8_t i = 0; i < s->n_early; i++) {
        const struct sdp_kexearly *k = &s->early[i];
        if (!kex_foreign(s->m.kex_alg, k->type))
            continue;
        s->frame = k->frame;
        s->d[k->dir].off = k->off;
        on_unexpected(s, k->dir, k->type, " (not of the negotiated key exchange)");
        if (k->type <= 34) /* 40 and 41 gave no evidence */
            *(k->type == 33 ? &s->d[k->dir].ev_server : &s->d[k->dir].ev_client) = k->ev_before;
        if (k->hostkey) {
            sd_ssh_meta *m = &s->m;
            m->hostkey_seen = false;
            m->hostkey_type[0] = m->hostkey_sha256[0] = m->hostkey_md5[0] = '\0';
            m->hostkey_len = 0;
            m->kex_reply_frame = 0;
            s->hostkey_from_33 = false;
        }
    }
    s->frame = frame;
    s->d[0].off = off[0];
    s->d[1].off = off[1];
    s->n_early = 0;
    sdp_derive(s); /* the roles may be another's now */
}

static void on_packet(sd_ssh *s, int dir, const uint8_t *body, uint32_t plen, uint64_t end_off)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    uint8_t pad = body[0];
    if ((uint32_t)pad + 2 > plen) {
        sdp_anomaly(s, dir, SD_SSH_AN_PKT_TOO_SHORT, "padding %u of packet %u", pad, plen);
        stop_clear(s, dir);
        return;
    }
    if (pad < 4 && !d->pad_noted) {
        d->pad_noted = true;
        sdp_anomaly(s, dir, SD_SSH_AN_PAD_SHORT, "padding_length %u", pad);
    }
    sd_cur c = sd_cur_make(body + 1, plen - 1u - pad);
    uint8_t type = body[1];
    sd->clear_packets++;
    if (type == SD_SSH_MSG_KEXINIT) {
        on_kexinit(s, dir, c);
        if (s->n_early && s->m.side[!dir].kexinit_seen) {
            sdp_derive(s); /* names the method */
            kex_early_judge(s);
        }
    } else if (type == SD_SSH_MSG_NEWKEYS) {
        bool doubt = newkeys_doubtful(s, dir);
        on_newkeys(s, dir, end_off);
        if (doubt) {
            d->st = ST_NKWAIT;
            d->nk_have = 0;
            d->nk_frame = s->frame;
        }
    } else if (type >= SD_SSH_MSG_KEX_FIRST && type <= SD_SSH_MSG_KEX_LAST) {
        d->kexmsg_sent = true;
        if (type > 31)
            sdp_derive(s); /* the negotiated kex decides which messages it has */
        bool early = type > 31 && !kex_foreign(s->m.kex_alg, type) && kex_early(s, dir, type);
        if (type > 31 && kex_foreign(s->m.kex_alg, type)) {
            /* an injection: no evidence of a role, and not the host key
             * (a 33 in a curve25519 exchange would have been taken for it) */
            on_unexpected(s, dir, type, " (not of the negotiated key exchange)");
        } else if (type == 30 || type == 32 || type == 34) {
            /* 30/32/34 come from the client, 31/33 from the server, in every
             * method OpenSSH implements (DH, ECDH, hybrids, DH-GEX). */
            set_role_ev(s, dir, true, SD_SSH_EV_KEXMSG);
            if (type > 30)
                sdp_derive(s); /* the roles decide the method (derived above before them) */
        } else if (type == 31 || type == 33) {
            set_role_ev(s, dir, false, SD_SSH_EV_KEXMSG);
            sdp_derive(s); /* the negotiated kex, under these roles, decides what 31 is and whose 33 */
            bool had = s->m.hostkey_seen;
            on_kex_reply(s, dir, type, c);
            if (early && !had && s->m.hostkey_seen)
                s->early[s->n_early - 1].hostkey = true;
        }
    } else if (type != SD_SSH_MSG_DISCONNECT) {
        if (type == SD_SSH_MSG_EXT_INFO)
            sd->ext_info_msg = true;
        on_unexpected(s, dir, type, "");
    }
}

static void cut_packet(sd_ssh *s, int dir, int type, uint64_t end_off);

/* n bytes (captured or cut) of the rest of a packet a snaplen cut holed:
 * passed over, the packet taken for its type at its end; returns how
 * many were its. */
static uint64_t cut_rest(sd_ssh *s, int dir, uint64_t n)
{
    dirst *d = &s->d[dir];
    uint64_t t = SD_MIN(n, (uint64_t)d->cut_left);
    d->cut_left -= (uint32_t)t;
    if (!d->cut_left) {
        d->hdr_have = 0;
        cut_packet(s, dir, d->cut_type, d->off + t);
    }
    return t;
}

size_t sdp_feed_clear(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    if (d->cut_left)
        return (size_t)cut_rest(s, dir, n);
    if (d->hdr_have < 4) {
        size_t t = SD_MIN(n, (size_t)(4 - d->hdr_have));
        bool whole = d->hdr_have == 0 && n >= 4; /* read in place, as feed_enc does */
        if (!whole)
            memcpy(d->hdr + d->hdr_have, p, t);
        d->hdr_have += (uint32_t)t;
        if (d->hdr_have < 4)
            return t;
        sd_cur c = sd_cur_make(whole ? p : d->hdr, 4);
        uint32_t L = sd_cur_be32(&c);
        if (L > SD_SSH_MAX_PACKET) {
            /* "SSH-" read as a length: a second identification line, which
             * no peer reads as one (RFC 4253 4.2: one, then packets) */
            bool line = memcmp(whole ? p : d->hdr, "SSH-", 4) == 0;
            sdp_anomaly(s, dir, SD_SSH_AN_PKT_TOO_LONG, "packet_length %u%s", L,
                        line ? ": \"SSH-\", a second banner line" : "");
            stop_clear(s, dir);
            return t;
        }
        if (L < 5) {
            sdp_anomaly(s, dir, SD_SSH_AN_PKT_TOO_SHORT, "packet_length %u", L);
            stop_clear(s, dir);
            return t;
        }
        /* RFC 4253 section 6: 4 + packet_length is a multiple of 8 before
         * keys are in use. Some old implementations differ: note, go on. */
        if ((L + 4) % 8 != 0 && !d->align_noted) {
            d->align_noted = true;
            sdp_anomaly(s, dir, SD_SSH_AN_PKT_ALIGN, "packet_length %u", L);
        }
        d->plen = L;
        d->pkt_have = 0;
        if (whole && n - 4 >= L) {
            /* the whole packet in this chunk (the usual one): read as the
             * next call would, at the offset it would see (anomalies
             * note it) */
            d->hdr_have = 0;
            d->off += 4;
            on_packet(s, dir, p + 4, L, d->off + L);
            d->off -= 4;
            return 4 + (size_t)L;
        }
        return t;
    }
    if (d->pkt_have == 0 && n >= d->plen) { /* whole in this chunk: read in place */
        d->hdr_have = 0;
        on_packet(s, dir, p, d->plen, d->off + d->plen);
        return d->plen;
    }
    if (d->pkt_cap < d->plen) { /* a packet split across chunks is gathered */
        d->pkt = sd_realloc(d->pkt, d->plen);
        d->pkt_cap = d->plen;
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

/* ------------------------------------------------------------ snaplen cuts */

/* A NEWKEYS packet before keys are in use is 16 bytes on the wire from
 * OpenSSH, dropbear, PuTTY and paramiko: the 1-byte payload, its padding
 * length and at least 4 bytes of padding, made a multiple of the 8-byte
 * cleartext block (RFC 4253 section 6: packet_length 12, padding 10). */
#define NEWKEYS_WIRE 16u

uint32_t sdp_clear_head_len(const uint8_t *b, uint8_t lo, uint8_t hi)
{
    sd_cur c = sd_cur_make(b, SD_SSH_NK_PEEK);
    uint32_t L = sd_cur_be32(&c);
    uint8_t pad = b[4], type = b[5];
    bool head = L >= 5 && L <= SD_SSH_MAX_PACKET && pad >= 4 && pad + 2u <= L && type >= lo && type <= hi;
    return head ? L : 0;
}

bool sdp_clear_head(const uint8_t *b)
{
    uint32_t L = sdp_clear_head_len(b, 1, SD_SSH_MSG_KEX_LAST);
    return L && (L + 4) % 8 == 0;
}

/* A cleartext packet whose body the snaplen cut (d->pkt holds its first
 * d->pkt_have bytes, those captured): only what its message type says,
 * and what the captured bytes hold whole, is taken. */
static void cut_packet(sd_ssh *s, int dir, int type, uint64_t end_off)
{
    sd_ssh_side *sd = &s->m.side[dir];
    dirst *d = &s->d[dir];
    sd->clear_packets++;
    if (type == SD_SSH_MSG_KEXINIT) {
        sd->kexinit_count++;
        if (sd->kexinit_seen || sd->kexinit_cut) {
            sdp_anomaly(s, dir, SD_SSH_AN_KEXINIT_REPEAT, "KEXINIT #%u in the clear", sd->kexinit_count);
            return;
        }
        /* its lists are not all there: no negotiation, suite or HASSH from
         * a part (a wrong HASSH is worse than none) */
        sd->kexinit_cut = true;
        sd->kexinit_frame = s->frame;
        sd->kexinit_ts = s->ts;
        sdp_anomaly(s, dir, SD_SSH_AN_KEXINIT_CUT,
                    "KEXINIT of %u bytes cut by the snaplen: no algorithm lists, no HASSH", d->plen);
    } else if (type == SD_SSH_MSG_NEWKEYS) {
        on_newkeys(s, dir, end_off);
    } else if (type >= SD_SSH_MSG_KEX_FIRST && type <= SD_SSH_MSG_KEX_LAST) {
        d->kexmsg_sent = true;
        bool server = type == 31 || type == 33;
        set_role_ev(s, dir, !server, SD_SSH_EV_KEXMSG);
        sdp_derive(s);
        /* the host key, when its whole blob was captured (the reply's start) */
        sd_cur c = sd_cur_make(d->pkt ? d->pkt + 1 : NULL, d->pkt && d->pkt_have > 1 ? d->pkt_have - 1u : 0);
        sd_cur k = c;
        sd_cur_skip(&k, 1);
        uint32_t bl = sd_cur_be32(&k);
        if (server && !k.err && bl <= SD_SSH_MAX_PACKET && sd_cur_bytes(&k, bl))
            on_kex_reply(s, dir, (uint8_t)type, c);
    } else if (type > 0 && type != SD_SSH_MSG_DISCONNECT) {
        if (type == SD_SSH_MSG_EXT_INFO)
            sd->ext_info_msg = true;
        on_unexpected(s, dir, (uint8_t)type, " (cut by the snaplen)");
    }
}

/* The side is taken as encrypted from end_off, its NEWKEYS having been in
 * bytes the snaplen cut (the current frame and time are the cut's). */
static void newkeys_inferred(sd_ssh *s, int dir, uint64_t end_off, const char *why)
{
    sdp_anomaly(s, dir, SD_SSH_AN_NEWKEYS_INFERRED, "NEWKEYS taken in the bytes the snaplen cut: %s", why);
    sdp_newkeys_resync(s, dir, end_off);
}

void sdp_newkeys_cut(sd_ssh *s, int dir, uint64_t end_off)
{
    newkeys_inferred(s, dir, end_off, "the next segment is no cleartext packet and the peer sent NEWKEYS");
}

uint64_t sdp_cut_clear(sd_ssh *s, int dir, uint64_t n)
{
    dirst *d = &s->d[dir];
    sd_ssh_side *sd = &s->m.side[dir];
    if (d->cut_left) /* a packet over several cut segments */
        return cut_rest(s, dir, n);
    if (d->hdr_have == 4) { /* the header was read: the framing survives the packet */
        uint32_t need = d->plen - d->pkt_have;
        int type = d->pkt_have >= 2 && d->pkt ? d->pkt[1] : -1;
        if (n < need) {
            d->cut_left = need - (uint32_t)n;
            d->cut_type = type;
            return n;
        }
        d->hdr_have = 0;
        cut_packet(s, dir, type, d->off + need);
        /* The server's KEX reply (31, or 33 of DH-GEX; GEX's 31, the group,
         * is alone in its segment: the client's 32 comes first) is the
         * last message of its key exchange: NEWKEYS follows it at once, in
         * every implementation, and what follows that is encrypted. */
        if ((type == 31 || type == 33) && d->st == ST_CLEAR && n - need >= NEWKEYS_WIRE && !sd->newkeys_seen) {
            newkeys_inferred(s, dir, d->off + need + NEWKEYS_WIRE,
                             "the KEX reply the snaplen cut is followed by more bytes in its segment");
            return need + NEWKEYS_WIRE;
        }
        return need;
    }
    /* the cut begins at a packet boundary: a cut of exactly a NEWKEYS
     * packet's size there is one (the last packet of a key exchange's
     * segment: the server's reply and NEWKEYS are sent together) */
    if (d->hdr_have == 0 && n == NEWKEYS_WIRE && !sd->newkeys_seen && (sd->kexinit_seen || sd->kexinit_cut) &&
        d->kexmsg_sent) {
        newkeys_inferred(s, dir, d->off + n, "a NEWKEYS-sized packet ends the segment after the key exchange message");
        return n;
    }
    d->hdr_have = 0;
    d->st = ST_CUTLOST;
    d->cl_skip = true; /* the rest of this segment was cut: the next one is tried */
    return n;
}

/* A line the snaplen cut that begins as a banner: "SSH-" and more, or
 * before its fourth byte ("S", "SS", "SSH") a line of its own: too little to
 * keep as a banner, but the KEXINIT after it is read (a KEXINIT makes the
 * connection SSH: sd_ssh_is_ssh). */
static bool banner_start(const dirst *d)
{
    return d->line_len > 0 && line_is_banner_prefix(d->line, d->line_len);
}

bool sdp_cut_banner(sd_ssh *s, int dir)
{
    dirst *d = &s->d[dir];
    if (!banner_start(d))
        return false;
    sdp_anomaly(s, dir, SD_SSH_AN_BANNER_CUT, "identification line cut by the snaplen after %zu bytes: %s",
                d->line_len, d->line_len >= 4 ? "kept as captured" : "too short to keep, not shown");
    s->m.side[dir].banner_cut = true;
    if (d->line_len >= 4) {
        end_line(s, dir, d->line);
    } else {
        d->line_len = 0;
        d->line_seen = 0;
        d->line_cr = false;
        d->st = ST_CLEAR; /* as after a banner: its rest, then its packets */
    }
    if (d->st == ST_CLEAR) { /* the line's end and what followed it are unknown */
        d->st = ST_CUTLOST;
        d->cl_skip = true;
        d->line_rest = true; /* feed_cutlost: the next segment may hold the line's rest */
    }
    return true;
}
