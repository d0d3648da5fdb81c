/* sd_ssh_fields: the SSH record's field table (see sd_ssh_fields.h). Each
 * getter leaves its value unset when the fact is not known (not seen in
 * the capture): JSON leaves the key out, CSV leaves the cell empty. */
#include "sd_ssh_fields.h"

#include "../common/sd_site.h"
#include "../out/sd_json.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "../common/sd_plain.h"

#define X(rec) ((const sd_ssh_fieldrec *)(rec))
#define R(rec) (X(rec)->r)
#define M(rec) (X(rec)->r->meta)
#define CONN(rec) (X(rec)->r->conn)
#define SU(rec) (X(rec)->su)

/* Each side by role: the meta keeps them by capture direction. */
static const sd_ssh_side *side(const void *rec, bool server)
{
    const sd_ssh_meta *m = M(rec);
    return &m->side[server ? !m->client_dir : m->client_dir];
}

/* A role's record statistics, or NULL when there are none. */
static const sd_sshstats_dir *stats(const void *rec, bool server)
{
    const sd_sshconn_result *r = R(rec);
    if (!r->stats)
        return NULL;
    return &r->stats->d[server ? !r->meta->client_dir : r->meta->client_dir];
}

static void set_opt(sd_fval *v, const char *s)
{
    if (s)
        sd_fv_s(v, s);
}

/* ---- the JSON memo (sd_ssh_fields.h) ---- */

/* Strings shorter than JMEMO_MIN escape faster than a lookup; longer than
 * JMEMO_MAX_IN (a name-list past what any implementation sends) are
 * escaped each time. 8 slots hold both HASSH strings of a few client and
 * server builds. */
#define JMEMO_SLOTS 8u
#define JMEMO_MIN 64u
#define JMEMO_MAX_IN 16384u

typedef struct jslot {
    char *in;     /* a copy of the string, NULL when the slot is empty */
    size_t n, cap;
    sd_buf json;  /* its JSON form */
} jslot;

/* The handshake's members (HS_STRS strings and HS_SCALARS numbers in, two
 * runs of JSON out: see hs_json below), remembered for the last
 * HS_SLOTS distinct handshakes: a brute force or a scan repeats one
 * client's and one server's banners, names, host key and HASSH strings
 * on every connection, and writing them (two kilobytes, 20 members)
 * was a third of the record. A handshake whose strings together pass
 * HS_MAX_IN bytes is written each time. */
#define HS_SLOTS 4u
#define HS_STRS 13u
#define HS_SCALARS 3u
#define HS_MAX_IN 65536u

/* The handshake's members that are the meta's fixed arrays (the HASSH
 * strings, the host key's type and fingerprints), whole, zero when not
 * written: one memcmp of them, not a strcmp call each (a third of the
 * lookup's calls, issue #11). Arrays equal as strings but not past the
 * NUL miss the slot: a cost, never a wrong member. */
typedef struct hsfix {
    char hassh[2][sizeof(((sd_ssh_side *)0)->hassh)];
    char hostkey_type[sizeof(((sd_ssh_meta *)0)->hostkey_type)];
    char hostkey_sha256[sizeof(((sd_ssh_meta *)0)->hostkey_sha256)];
    char hostkey_md5[sizeof(((sd_ssh_meta *)0)->hostkey_md5)];
} hsfix;

/* s[HS_LISTS] and s[HS_LISTS + 1]: the client's and the server's HASSH
 * name-lists (~500 bytes each), the run's KEXINIT memo's strings mostly
 * (lists_memo). Those are compared by address (mp) while no memo has been
 * freed since the slot met them (sd_ssh_memo_gen): two strcmp calls that
 * were 40 % of the lookup's (issue #11). */
#define HS_LISTS (HS_STRS - 2)

/* A handshake's inputs (hs_inputs). */
typedef struct hskey {
    int64_t sc[HS_SCALARS];
    hsfix fx;
    const char *s[HS_STRS];
    const char *mp[2]; /* s[HS_LISTS + i] when the memo's, else NULL */
    uint64_t gen;      /* sd_ssh_memo_gen when these were taken */
} hskey;

typedef struct hsslot {
    bool used;
    int64_t sc[HS_SCALARS];
    hsfix fx;
    const char *s[HS_STRS]; /* copies in block (NULL as the input) */
    const char *mp[2];      /* as hskey's, of the last handshake that hit */
    uint64_t gen;
    char *block;
    size_t block_cap;
    sd_buf a, b; /* the members before host_key_frame, and after it */
} hsslot;

/* A direction's size modes (size_modes_json), remembered for the last
 * SM_SLOTS distinct size tables: a brute force's connections send the same
 * few record sizes the same number of times, and picking and writing the
 * modes was ~290 instructions a direction (issue #11). The text is a
 * function of the table below nsizes alone (sd_sshstats_modes reads
 * nothing else), so a table equal to a kept one in nsizes and every size
 * and count takes its text. Tables of more than SM_MAX_SIZES sizes are
 * written each time; a new table replaces the oldest kept. */
#define SM_SLOTS 4u
#define SM_MAX_SIZES 8u
#define SM_JSON (2u + SD_STATS_MODES * 44u)

typedef struct smslot {
    uint32_t n; /* the table's nsizes; 0: empty */
    uint32_t size[SM_MAX_SIZES];
    uint64_t count[SM_MAX_SIZES];
    uint32_t len;
    char json[SM_JSON];
} smslot;

struct sd_ssh_jmemo {
    jslot slot[JMEMO_SLOTS];
    hsslot hs[HS_SLOTS];
    uint8_t hs_order[HS_SLOTS]; /* slots by last use, most recent first */
    smslot sm[SM_SLOTS];
    uint8_t sm_next; /* the slot a new table takes */
    sd_ssh_jmemo_count n;
};

void sd_ssh_jmemo_counts(const sd_ssh_jmemo *m, sd_ssh_jmemo_count *c)
{
    *c = m->n;
}

sd_ssh_jmemo *sd_ssh_jmemo_new(void)
{
    sd_ssh_jmemo *m = sd_calloc(1, sizeof(sd_ssh_jmemo));
    for (unsigned i = 0; i < HS_SLOTS; i++)
        m->hs_order[i] = (uint8_t)i;
    return m;
}

void sd_ssh_jmemo_free(sd_ssh_jmemo *m)
{
    if (!m)
        return;
    for (unsigned i = 0; i < JMEMO_SLOTS; i++) {
        free(m->slot[i].in);
        sd_buf_free(&m->slot[i].json);
    }
    for (unsigned i = 0; i < HS_SLOTS; i++) {
        free(m->hs[i].block);
        sd_buf_free(&m->hs[i].a);
        sd_buf_free(&m->hs[i].b);
    }
    free(m);
}

/* The slot of a string of n >= JMEMO_MIN bytes: its length and its first
 * and last eight bytes (strings that differ only between them share a slot
 * and replace each other: a cost, never a wrong form). */
static jslot *jmemo_slot(sd_ssh_jmemo *m, const char *s, size_t n)
{
    uint64_t a, b;
    memcpy(&a, s, 8);
    memcpy(&b, s + n - 8, 8);
    uint64_t h = (n * 0x9e3779b97f4a7c15ull) ^ (a * 0xff51afd7ed558ccdull) ^ (b * 0xc4ceb9fe1a85ec53ull);
    return &m->slot[(h ^ (h >> 29)) % JMEMO_SLOTS];
}

/* The JSON form of s (n bytes) from the memo (made there on a miss), or
 * NULL when s is too short or too long to be remembered. */
static const sd_buf *jmemo_json(sd_ssh_jmemo *m, const char *s, size_t n)
{
    if (!m || n < JMEMO_MIN || n > JMEMO_MAX_IN)
        return NULL;
    jslot *e = jmemo_slot(m, s, n);
    if (!e->in || e->n != n || memcmp(e->in, s, n) != 0) {
        if (e->cap < n) { /* a slot's buffers are reused by the strings that replace it */
            free(e->in);
            e->in = sd_malloc(n);
            e->cap = n;
        }
        memcpy(e->in, s, n);
        e->n = n;
        e->json.len = 0;
        sd_json_escape(&e->json, s, n);
    }
    return &e->json;
}

/* A capture string: with its JSON form when it is long and a memo is given. */
static void set_str(const void *rec, sd_fval *v, const char *s)
{
    if (!s)
        return;
    sd_fv_s(v, s);
    const sd_buf *j = jmemo_json(X(rec)->jm, s, strlen(s));
    if (j) {
        v->json = (const char *)j->p;
        v->jlen = j->len;
    }
}

static bool both_kexinit(const void *rec)
{
    return side(rec, false)->kexinit_seen && side(rec, true)->kexinit_seen;
}

/* ---- the connection ---- */

static void g_ts(const void *r, sd_fval *v) { sd_fv_f(v, sd_ts_sec(CONN(r)->start), 6); }
static void g_uid(const void *r, sd_fval *v) { sd_fv_s(v, CONN(r)->uid); }
static void g_stream(const void *r, sd_fval *v) { sd_fv_u(v, CONN(r)->id); }
static void g_orig_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(&CONN(r)->orig_h, v->tmp, sizeof v->tmp)); }
static void g_orig_p(const void *r, sd_fval *v) { sd_fv_u(v, CONN(r)->orig_p); }
static void g_resp_h(const void *r, sd_fval *v) { sd_fv_s(v, sd_addr_str(&CONN(r)->resp_h, v->tmp, sizeof v->tmp)); }
static void g_resp_p(const void *r, sd_fval *v) { sd_fv_u(v, CONN(r)->resp_p); }

/* ---- the cleartext handshake ---- */

static void g_version(const void *r, sd_fval *v)
{
    if (M(r)->version)
        sd_fv_u(v, (uint64_t)M(r)->version);
}
static void g_client(const void *r, sd_fval *v) { set_str(r, v, side(r, false)->banner); }
static void g_server(const void *r, sd_fval *v) { set_str(r, v, side(r, true)->banner); }
static void g_cipher(const void *r, sd_fval *v) { set_opt(v, M(r)->cipher[0]); }
static void g_mac(const void *r, sd_fval *v) { set_opt(v, M(r)->mac[0]); }
static void g_comp(const void *r, sd_fval *v) { set_opt(v, M(r)->comp[0]); }
static void g_kex(const void *r, sd_fval *v) { set_opt(v, M(r)->kex_alg); }
static void g_hostkey_alg(const void *r, sd_fval *v) { set_opt(v, M(r)->hostkey_alg); }
static void g_cipher_s2c(const void *r, sd_fval *v) { set_opt(v, M(r)->cipher[1]); }
static void g_mac_s2c(const void *r, sd_fval *v) { set_opt(v, M(r)->mac[1]); }

/* The host key from the KEX reply: all four or none. */
#define HOSTKEY_ONLY if (!M(r)->hostkey_seen) return
static void g_host_key(const void *r, sd_fval *v) { HOSTKEY_ONLY; sd_fv_s(v, M(r)->hostkey_md5); }
static void g_host_key_sha256(const void *r, sd_fval *v) { HOSTKEY_ONLY; sd_fv_s(v, M(r)->hostkey_sha256); }
static void g_host_key_type(const void *r, sd_fval *v) { HOSTKEY_ONLY; sd_fv_s(v, M(r)->hostkey_type); }
static void g_host_key_frame(const void *r, sd_fval *v) { HOSTKEY_ONLY; sd_fv_u(v, M(r)->kex_reply_frame); }

/* HASSH of a side: its algorithms only with the hash (a cut list has none). */
static void hassh(const void *r, sd_fval *v, bool server, bool algorithms)
{
    const sd_ssh_side *s = side(r, server);
    if (s->hassh[0])
        set_str(r, v, algorithms ? s->hassh_algorithms : s->hassh);
}
static void g_hassh(const void *r, sd_fval *v) { hassh(r, v, false, false); }
static void g_hassh_alg(const void *r, sd_fval *v) { hassh(r, v, false, true); }
static void g_hassh_server(const void *r, sd_fval *v) { hassh(r, v, true, false); }
static void g_hassh_server_alg(const void *r, sd_fval *v) { hassh(r, v, true, true); }
/* The HASSH method's version, logged by Zeek's hassh package beside it. */
static void g_hassh_version(const void *r, sd_fval *v)
{
    sd_fval h = { 0 };
    g_hassh(r, &h);
    if (h.t == SD_FV_NULL)
        g_hassh_server(r, &h);
    if (h.t != SD_FV_NULL)
        sd_fv_s(v, "1.1");
    sd_fval_clear(&h);
}
static void g_file(const void *r, sd_fval *v) { sd_fv_origin(v, CONN(r)->first_frame, false); }
static void g_file_first_frame(const void *r, sd_fval *v) { sd_fv_origin(v, CONN(r)->first_frame, true); }
static void g_direction(const void *r, sd_fval *v)
{
    const char *d = sd_site_direction(&CONN(r)->orig_h, &CONN(r)->resp_h);
    if (d)
        sd_fv_s(v, d);
}

static void g_client_dir(const void *r, sd_fval *v) { sd_fv_s(v, M(r)->client_dir == SD_DIR_ORIG ? "orig" : "resp"); }
/* Strict KEX and Terrapin are decided from both KEXINITs only. */
static void g_strict_kex(const void *r, sd_fval *v)
{
    if (both_kexinit(r))
        sd_fv_b(v, M(r)->strict_kex);
}
static void g_terrapin(const void *r, sd_fval *v)
{
    if (both_kexinit(r))
        sd_fv_b(v, M(r)->terrapin);
}
static void g_terrapin_reason(const void *r, sd_fval *v)
{
    if (both_kexinit(r) && M(r)->terrapin)
        sd_fv_s(v, M(r)->terrapin_reason);
}
static void g_outcome(const void *r, sd_fval *v) { sd_fv_s(v, sd_ssh_outcome_name(M(r)->outcome)); }
static void g_pre_banner(const void *r, sd_fval *v) { set_opt(v, side(r, true)->prebanner); }
static void g_midstream(const void *r, sd_fval *v)
{
    if (M(r)->midstream)
        sd_fv_b(v, true);
}
static void g_suite_guess(const void *r, sd_fval *v)
{
    if (M(r)->midstream && M(r)->suite_guessed)
        sd_fv_s(v, M(r)->suite_guess);
}

/* ---- per role: client_ and server_ fields, one getter pair each ---- */

#define ROLE_FIELD(name, expr)                                                                   \
    static void g_client_##name(const void *r, sd_fval *v)                                      \
    {                                                                                            \
        const bool server = false;                                                               \
        expr;                                                                                    \
    }                                                                                            \
    static void g_server_##name(const void *r, sd_fval *v)                                      \
    {                                                                                            \
        const bool server = true;                                                                \
        expr;                                                                                    \
    }
#define STATS_ONLY                                                                               \
    const sd_sshstats_dir *d = stats(r, server);                                                 \
    if (!d)                                                                                      \
    return

/* The most frequent record sizes as [[size, count], ...], most frequent
 * first (sd_sshstats_modes), appended to out. */
static void size_modes_json(sd_buf *out, const sd_sshstats_dir *d)
{
    sd_sshstats_mode mo[SD_STATS_MODES];
    uint32_t n = sd_sshstats_modes(d, mo, SD_STATS_MODES);
    /* [size,count], without printf: per connection, into room reserved
     * once (a size and a count of 20 digits at most, 4 marks each) */
    char *o = (char *)sd_buf_extend(out, 2 + SD_STATS_MODES * 44), *start = o;
    *o++ = '[';
    for (uint32_t i = 0; i < n; i++) {
        if (i)
            *o++ = ',';
        *o++ = '[';
        o = sd_put_u64(o, mo[i].size);
        *o++ = ',';
        o = sd_put_u64(o, mo[i].count);
        *o++ = ']';
    }
    *o++ = ']';
    out->len -= 2 + SD_STATS_MODES * 44 - (size_t)(o - start);
}

static bool sm_same(const smslot *t, const sd_sshstats_dir *d)
{
    if (t->n != d->nsizes)
        return false;
    for (uint32_t i = 0; i < t->n; i++)
        if (t->size[i] != d->size[i] || t->count[i] != d->size_n[i])
            return false;
    return true;
}

/* size_modes_json's text, from the memo when a kept table equals d's. */
static void size_modes_memo(sd_buf *out, sd_ssh_jmemo *m, const sd_sshstats_dir *d)
{
    if (!m || !d->nsizes || d->nsizes > SM_MAX_SIZES) {
        size_modes_json(out, d);
        return;
    }
    for (unsigned i = 0; i < SM_SLOTS; i++)
        if (sm_same(&m->sm[i], d)) {
            sd_buf_append(out, m->sm[i].json, m->sm[i].len);
            m->n.size_hits++;
            return;
        }
    size_t at = out->len;
    size_modes_json(out, d);
    smslot *t = &m->sm[m->sm_next];
    m->sm_next = (uint8_t)((m->sm_next + 1) % SM_SLOTS);
    m->n.size_misses++;
    t->n = d->nsizes;
    memcpy(t->size, d->size, d->nsizes * sizeof t->size[0]);
    memcpy(t->count, d->size_n, d->nsizes * sizeof t->count[0]);
    t->len = (uint32_t)(out->len - at); /* at most SM_JSON: size_modes_json's room */
    memcpy(t->json, out->p + at, t->len);
}

static void size_modes(const sd_sshstats_dir *d, sd_fval *v)
{
    v->t = SD_FV_JSON;
    size_modes_json(&v->raw, d);
}

/* The most frequent size and its count (the CSV's flat form). */
static void mode(const sd_sshstats_dir *d, sd_fval *v, bool count)
{
    sd_sshstats_mode mo[1];
    if (sd_sshstats_modes(d, mo, 1))
        sd_fv_u(v, count ? mo[0].count : mo[0].size);
}

ROLE_FIELD(newkeys_frame, if (side(r, server)->newkeys_seen) sd_fv_u(v, side(r, server)->newkeys_frame))
ROLE_FIELD(enc_records, if (!X(r)->csv || stats(r, server)) sd_fv_u(v, side(r, server)->enc_records))
ROLE_FIELD(enc_bytes, STATS_ONLY; sd_fv_u(v, d->bytes))
ROLE_FIELD(size_modes, STATS_ONLY; size_modes(d, v))
ROLE_FIELD(mode_size, STATS_ONLY; mode(d, v, false))
ROLE_FIELD(mode_count, STATS_ONLY; mode(d, v, true))
ROLE_FIELD(sizes_uncounted, STATS_ONLY; sd_fv_u(v, d->sizes_uncounted))
ROLE_FIELD(ipt_mean, STATS_ONLY; if (d->gaps) sd_fv_f(v, sd_sshstats_ipt_mean(d), 6))
ROLE_FIELD(ipt_median, STATS_ONLY; if (d->gaps) sd_fv_f(v, sd_sshstats_ipt_median(d), 6))

/* ---- what the analysis adds ---- */

static void g_rec_truncated(const void *r, sd_fval *v)
{
    if (R(r)->rec_truncated)
        sd_fv_b(v, true);
}

/* The kept anomalies' names as a JSON array (when there was any). */
static void g_anomalies(const void *r, sd_fval *v)
{
    const sd_ssh_meta *m = M(r);
    if (!m->anomalies_total)
        return;
    v->t = SD_FV_JSON;
    sd_buf_append(&v->raw, "[", 1);
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        const char *n = sd_ssh_anom_name(m->anomalies[i].code);
        if (i)
            sd_buf_append(&v->raw, ",", 1);
        sd_json_escape(&v->raw, n, strlen(n));
    }
    sd_buf_append(&v->raw, "]", 1);
}

/* The inference's summary: unset without it (-m). */
#define SUMMARY_ONLY if (!SU(r)) return
static void g_auth_success(const void *r, sd_fval *v)
{
    SUMMARY_ONLY;
    if (SU(r)->auth_success >= 0)
        sd_fv_b(v, SU(r)->auth_success == 1);
}
/* a session picked up mid-stream had its authentication before the
 * capture: its attempts and banner unknown, not none */
static void g_auth_attempts(const void *r, sd_fval *v)
{
    SUMMARY_ONLY;
    if (!SU(r)->midstream)
        sd_fv_u(v, (uint64_t)SU(r)->auth_attempts);
}
static void g_auth_method(const void *r, sd_fval *v) { SUMMARY_ONLY; set_opt(v, SU(r)->auth_method); }
static void g_auth_mfa(const void *r, sd_fval *v)
{
    SUMMARY_ONLY;
    if (SU(r)->auth_mfa)
        sd_fv_b(v, true);
}
static void g_host_known(const void *r, sd_fval *v)
{
    SUMMARY_ONLY;
    if (SU(r)->host_known >= 0)
        sd_fv_b(v, SU(r)->host_known == 1);
}
static void g_session_kind(const void *r, sd_fval *v) { SUMMARY_ONLY; set_opt(v, SU(r)->session_kind); }
static void g_agent_fwd(const void *r, sd_fval *v) { SUMMARY_ONLY; sd_fv_b(v, SU(r)->agent_forwarding); }
static void g_x11_used(const void *r, sd_fval *v) { SUMMARY_ONLY; sd_fv_b(v, SU(r)->x11_used); }
static void g_reverse(const void *r, sd_fval *v) { SUMMARY_ONLY; sd_fv_b(v, SU(r)->reverse_provisioned); }
static void g_auth_banner(const void *r, sd_fval *v)
{
    SUMMARY_ONLY;
    if (!SU(r)->midstream)
        sd_fv_b(v, SU(r)->auth_banner);
}
static void g_keystrokes(const void *r, sd_fval *v) { SUMMARY_ONLY; sd_fv_u(v, SU(r)->keystrokes); }

/* Rows of a role's field: both roles in turn (BOTH), or one (CLIENT,
 * SERVER) where the record keeps a role's fields together. Optional rows
 * (the last argument true) are the CSV's flat forms, not in the JSON
 * record; the CSV names everything else as the JSON does. */
#define ROLE(role, name, key, doc, opt) { #role "_" key, doc " (" #role ")", g_##role##_##name, opt }
#define BOTH(name, doc) ROLE(client, name, #name, doc, false), ROLE(server, name, #name, doc, false)
#define STATS(role)                                                                              \
    ROLE(role, enc_bytes, "enc_bytes", "encrypted bytes in records", false),                     \
    ROLE(role, size_modes, "size_modes", "most frequent record sizes, [[size, count], ...]", false), \
    ROLE(role, sizes_uncounted, "sizes_uncounted", "records whose size found the size table full", false), \
    ROLE(role, ipt_mean, "ipt_mean_s", "mean time between records, s", false),                   \
    ROLE(role, ipt_median, "ipt_median_s", "median time between records, s", false)

static const sd_field FIELDS[] = {
    { "ts", "start, epoch seconds", g_ts, false },
    { "uid", "connection id, as conns", g_uid, false },
    { "stream", "Wireshark's tcp.stream index", g_stream, false },
    { "id.orig_h", "originator address", g_orig_h, false },
    { "id.orig_p", "originator port", g_orig_p, false },
    { "id.resp_h", "responder address", g_resp_h, false },
    { "id.resp_p", "responder port", g_resp_p, false },
    { "direction", "INBOUND or OUTBOUND by --local-nets (as Zeek; unset without it)", g_direction, false },
    { "file", "merged inputs: the file of the connection's first frame", g_file, false },
    { "file_first_frame", "merged inputs: that frame's number in the file", g_file_first_frame, false },
    { "version", "SSH major version (1 or 2; unset: unknown or mismatch)", g_version, false },
    { "client", "client identification banner", g_client, false },
    { "server", "server identification banner", g_server, false },
    { "cipher_alg", "negotiated cipher, client to server", g_cipher, false },
    { "mac_alg", "negotiated MAC, client to server", g_mac, false },
    { "compression_alg", "negotiated compression, client to server", g_comp, false },
    { "kex_alg", "negotiated key exchange", g_kex, false },
    { "host_key_alg", "negotiated host key algorithm", g_hostkey_alg, false },
    { "host_key_fingerprint", "host key SHA-256 fingerprint, SHA256:base64 (as Zeek's ssh.log)", g_host_key_sha256,
      false },
    { "host_key", "host key fingerprint, MD5 colon hex (as Zeek)", g_host_key, false },
    { "host_key_sha256", "the same (strider's name before Zeek's; kept for existing consumers)", g_host_key_sha256,
      false },
    { "host_key_type", "key type inside the host key blob", g_host_key_type, false },
    { "host_key_frame", "frame of the KEX reply carrying the host key", g_host_key_frame, false },
    { "hasshVersion", "HASSH method version (as Zeek's hassh package)", g_hassh_version, false },
    { "hassh", "HASSH of the client's KEXINIT", g_hassh, false },
    { "hasshAlgorithms", "the client's string HASSH hashes", g_hassh_alg, false },
    { "hasshServer", "HASSH of the server's KEXINIT", g_hassh_server, false },
    { "hasshServerAlgorithms", "the server's string HASSH hashes", g_hassh_server_alg, false },
    { "cipher_alg_s2c", "negotiated cipher, server to client", g_cipher_s2c, false },
    { "mac_alg_s2c", "negotiated MAC, server to client", g_mac_s2c, false },
    { "client_dir", "which end is the client (orig/resp)", g_client_dir, false },
    { "strict_kex", "strict KEX active (both KEXINITs seen)", g_strict_kex, false },
    { "terrapin", "exposed to Terrapin, CVE-2023-48795 (both KEXINITs seen)", g_terrapin, false },
    { "terrapin_reason", "why exposed", g_terrapin_reason, false },
    { "outcome", "how far the handshake went", g_outcome, false },
    { "pre_banner", "lines the server sent before its banner", g_pre_banner, false },
    BOTH(newkeys_frame, "frame of NEWKEYS"),
    { "midstream", "picked up mid-stream: the session was open before the capture (no banner, key exchange "
      "or login seen)", g_midstream, false },
    { "suite_guess", "with midstream: the suite guessed from the record sizes (not negotiated)", g_suite_guess,
      false },
    BOTH(enc_records, "encrypted records (exact packets or segments)"),
    STATS(client),
    STATS(server),
    { "records_truncated", "the inference saw the first records only (per-connection cap)", g_rec_truncated, false },
    { "anomalies", "names of the kept protocol anomalies", g_anomalies, false },
    { "auth_success", "login succeeded (inference; unset: not seen)", g_auth_success, false },
    { "auth_attempts", "authentication attempts, the \"none\" probe aside (inference)", g_auth_attempts, false },
    { "auth_method", "method of the last attempt (inference)", g_auth_method, false },
    { "auth_mfa", "the login needed a second factor (inference)", g_auth_mfa, false },
    { "host_known", "the client knew the host key (inference; unset: not known)", g_host_known, false },
    { "session_kind", "shell, exec, sftp, scp, forward-only, tunnel, or unknown (midstream, not told) (inference)", g_session_kind, false },
    { "agent_forwarding", "agent forwarding requested or used (inference)", g_agent_fwd, false },
    { "x11_used", "an X11 channel carried an X client (inference)", g_x11_used, false },
    { "reverse_provisioned", "a reverse (-R) forward was set up (inference)", g_reverse, false },
    { "auth_banner", "the server sent an authentication banner (inference)", g_auth_banner, false },
    { "keystrokes", "keystrokes inferred (inference)", g_keystrokes, false },
    ROLE(client, mode_size, "mode_size", "most frequent record size (CSV)", true),
    ROLE(client, mode_count, "mode_count", "records of that size (CSV)", true),
    ROLE(server, mode_size, "mode_size", "most frequent record size (CSV)", true),
    ROLE(server, mode_count, "mode_count", "records of that size (CSV)", true),
};

const sd_fieldset sd_ssh_fields = { FIELDS, SD_ARRAY_LEN(FIELDS), NULL };

#define CSV_STATS(role)                                                                          \
    "," #role "_enc_records," #role "_enc_bytes," #role "_mode_size," #role "_mode_count," #role \
    "_sizes_uncounted," #role "_ipt_mean_s," #role "_ipt_median_s"

const char *const sd_ssh_csv_columns =
    "uid,stream,id.orig_h,id.orig_p,id.resp_h,id.resp_p,client,server,cipher_alg,mac_alg,kex_alg,host_key_alg,"
    "host_key_fingerprint,outcome"
    CSV_STATS(client) CSV_STATS(server);

/* ---- the JSON record, written in place ----
 *
 * The generic writer (a getter, a value and a key lookup per field: ~12 k
 * instructions a record, an eighth of `ssh --json` on many short
 * connections) stays the reference: this writes the same members in the
 * table's order (FIELDS above, optional rows aside), the connection's own
 * facts straight from the meta, the rare ones through their getters.
 * tests/unit/test_ssh_fields.c compares the two on records of every shape;
 * a new row of FIELDS needs its line here too (that test fails without). */

/* ,"key": of a member (every member follows "type"). */
#define QK(lit) ",\"" lit "\":"
#define QKN(lit) (sizeof QK(lit) - 1)

/* Always inlined, these: the key's length is then a constant, its copy
 * a few moves, not a memcpy call (~40 members a record). */
#define JK_INLINE static inline __attribute__((always_inline))

JK_INLINE void jk(sd_buf *b, const char *qk, size_t n)
{
    memcpy(sd_buf_extend(b, n), qk, n);
}

/* Room for a number after a key: 20 digits. */
#define JK_NUM 24u

JK_INLINE void jk_u(sd_buf *b, const char *qk, size_t n, uint64_t v)
{
    char *o = (char *)sd_buf_extend(b, n + JK_NUM), *start = o;
    memcpy(o, qk, n);
    o = sd_put_u64(o + n, v);
    b->len -= n + JK_NUM - (size_t)(o - start);
}

JK_INLINE void jk_s(sd_buf *b, const char *qk, size_t n, const char *s)
{
    jk(b, qk, n);
    sd_json_escape(b, s, strlen(s));
}

/* A string of the program's own (uid, address, fingerprint, name): plain
 * printable ASCII by construction, so copied between quotes without the
 * escaping pass (checked under SD_DEBUG_INVARIANTS). */
JK_INLINE void jk_p(sd_buf *b, const char *qk, size_t n, const char *s)
{
    size_t len = strlen(s);
    SD_CHECK(assert(sd_plain_run((const uint8_t *)s, len, '"', '\\') == len));
    uint8_t *o = sd_buf_extend(b, n + len + 2);
    memcpy(o, qk, n);
    o[n] = '"';
    memcpy(o + n + 1, s, len);
    o[n + 1 + len] = '"';
}

/* A capture string that may repeat (banners, HASSH strings): its JSON form
 * from the memo when it is long. Unset when NULL. */
static void jk_m(sd_buf *b, sd_ssh_jmemo *m, const char *qk, size_t n, const char *s)
{
    if (!s)
        return;
    jk(b, qk, n);
    size_t len = strlen(s);
    const sd_buf *j = jmemo_json(m, s, len);
    if (j)
        sd_buf_append(b, j->p, j->len);
    else
        sd_json_escape(b, s, len);
}

JK_INLINE void jk_b(sd_buf *b, const char *qk, size_t n, bool v)
{
    char *o = (char *)sd_buf_extend(b, n + 5);
    memcpy(o, qk, n);
    if (v)
        memcpy(o + n, "true", 4);
    else
        memcpy(o + n, "false", 5);
    b->len -= !!v;
}

/* A member through its getter (the rare ones), unset when it leaves none. */
static void jk_g(sd_buf *b, const char *qk, size_t n, void (*get)(const void *, sd_fval *), const void *rec)
{
    sd_fval v;
    sd_fval_init(&v);
    get(rec, &v);
    if (v.t != SD_FV_NULL) {
        jk(b, qk, n);
        sd_fval_json(b, &v);
    }
    sd_fval_clear(&v);
}

#define J_U(lit, v) jk_u(b, QK(lit), QKN(lit), (v))
#define J_S(lit, s) jk_s(b, QK(lit), QKN(lit), (s))
#define J_P(lit, s) jk_p(b, QK(lit), QKN(lit), (s))
#define J_O(lit, s) ((s) ? J_S(lit, s) : (void)0)
#define J_M(lit, s) jk_m(b, x->jm, QK(lit), QKN(lit), (s))
#define J_B(lit, v) jk_b(b, QK(lit), QKN(lit), (v))
#define J_G(lit, get) jk_g(b, QK(lit), QKN(lit), (get), x)
#define J_F(lit, v) (jk(b, QK(lit), QKN(lit)), sd_json_val_f64(b, (v), 6))
#define J_FM(lit, v) (jk(b, QK(lit), QKN(lit)), val_f6_memo(b, (v)))

/* A value of a few (a histogram bin's middle): sd_json_val_f64's text,
 * remembered (sd_json_put_fixed_memo). */
static void val_f6_memo(sd_buf *b, double v)
{
    char *o = (char *)sd_buf_extend(b, 32);
    char *e = sd_json_put_fixed_memo(o, v, 6);
    b->len -= 32;
    if (e)
        b->len += (size_t)(e - o);
    else
        sd_json_val_f64(b, v, 6);
}

/* A role's statistics members (STATS in FIELDS), when it has statistics. */
static void json_stats(sd_buf *b, const sd_ssh_fieldrec *x, bool server)
{
    const sd_sshstats_dir *d = stats(x, server);
    if (!d)
        return;
    if (server) {
        J_U("server_enc_bytes", d->bytes);
        jk(b, QK("server_size_modes"), QKN("server_size_modes"));
    } else {
        J_U("client_enc_bytes", d->bytes);
        jk(b, QK("client_size_modes"), QKN("client_size_modes"));
    }
    size_modes_memo(b, x->jm, d);
    if (server)
        J_U("server_sizes_uncounted", d->sizes_uncounted);
    else
        J_U("client_sizes_uncounted", d->sizes_uncounted);
    if (!d->gaps)
        return;
    if (server) {
        J_F("server_ipt_mean_s", sd_sshstats_ipt_mean(d));
        J_FM("server_ipt_median_s", sd_sshstats_ipt_median(d));
    } else {
        J_F("client_ipt_mean_s", sd_sshstats_ipt_mean(d));
        J_FM("client_ipt_median_s", sd_sshstats_ipt_median(d));
    }
}

/* The inference's members (none with -m). */
static void json_summary(sd_buf *b, const sd_infer_summary *su)
{
    if (!su)
        return;
    if (su->auth_success >= 0)
        J_B("auth_success", su->auth_success == 1);
    if (!su->midstream) /* authentication before the capture: unknown, not none (g_auth_attempts) */
        J_U("auth_attempts", (uint64_t)su->auth_attempts);
    J_O("auth_method", su->auth_method);
    if (su->auth_mfa)
        J_B("auth_mfa", true);
    if (su->host_known >= 0)
        J_B("host_known", su->host_known == 1);
    J_O("session_kind", su->session_kind);
    J_B("agent_forwarding", su->agent_forwarding);
    J_B("x11_used", su->x11_used);
    J_B("reverse_provisioned", su->reverse_provisioned);
    if (!su->midstream)
        J_B("auth_banner", su->auth_banner);
    J_U("keystrokes", su->keystrokes);
}

/* The handshake's members before host_key_frame (a number of the
 * connection's own), from "version" on. */
static void hs_json_a(sd_buf *b, const sd_ssh_fieldrec *x)
{
    const sd_ssh_meta *m = M(x);
    const sd_ssh_side *cl = side(x, false), *sv = side(x, true);
    if (m->version)
        J_U("version", (uint64_t)m->version);
    J_M("client", cl->banner);
    J_M("server", sv->banner);
    J_O("cipher_alg", m->cipher[0]);
    J_O("mac_alg", m->mac[0]);
    J_O("compression_alg", m->comp[0]);
    J_O("kex_alg", m->kex_alg);
    J_O("host_key_alg", m->hostkey_alg);
    if (m->hostkey_seen) {
        J_P("host_key_fingerprint", m->hostkey_sha256);
        J_P("host_key", m->hostkey_md5);
        J_P("host_key_sha256", m->hostkey_sha256);
        J_S("host_key_type", m->hostkey_type);
    }
}

/* And after it, to "pre_banner". */
static void hs_json_b(sd_buf *b, const sd_ssh_fieldrec *x)
{
    const sd_ssh_meta *m = M(x);
    const sd_ssh_side *cl = side(x, false), *sv = side(x, true);
    if (cl->hassh[0] || sv->hassh[0])
        J_P("hasshVersion", "1.1");
    if (cl->hassh[0]) {
        J_P("hassh", cl->hassh);
        J_M("hasshAlgorithms", cl->hassh_algorithms);
    }
    if (sv->hassh[0]) {
        J_P("hasshServer", sv->hassh);
        J_M("hasshServerAlgorithms", sv->hassh_algorithms);
    }
    J_O("cipher_alg_s2c", m->cipher[1]);
    J_O("mac_alg_s2c", m->mac[1]);
    J_P("client_dir", m->client_dir == SD_DIR_ORIG ? "orig" : "resp");
    if (cl->kexinit_seen && sv->kexinit_seen) {
        J_B("strict_kex", m->strict_kex);
        J_B("terrapin", m->terrapin);
        if (m->terrapin)
            J_S("terrapin_reason", m->terrapin_reason);
    }
    J_P("outcome", sd_ssh_outcome_name(m->outcome));
    J_O("pre_banner", sv->prebanner);
}

/* Everything hs_json_a and hs_json_b read (the fixed arrays in fx, the
 * other strings in s), what goes unwritten as NULL or zero: two handshakes
 * with the same inputs have the same members.
 * The cheap, discriminating ones first (a lookup stops at the first
 * difference), the long name-lists last. */
static void hs_inputs(const sd_ssh_fieldrec *x, hskey *key)
{
    int64_t *sc = key->sc;
    hsfix *fx = &key->fx;
    const sd_ssh_meta *m = M(x);
    const sd_ssh_side *cl = side(x, false), *sv = side(x, true);
    bool kx = cl->kexinit_seen && sv->kexinit_seen, hk = m->hostkey_seen;
    sc[0] = m->version;
    sc[1] = (int64_t)hk | (int64_t)(m->client_dir == SD_DIR_ORIG) << 1 | (int64_t)kx << 2 |
            (int64_t)(kx && m->strict_kex) << 3 | (int64_t)(kx && m->terrapin) << 4;
    sc[2] = (int64_t)m->outcome;
    for (int i = 0; i < 2; i++)
        if (side(x, i)->hassh[0])
            memcpy(fx->hassh[i], side(x, i)->hassh, sizeof fx->hassh[i]);
        else
            memset(fx->hassh[i], 0, sizeof fx->hassh[i]);
    if (hk) {
        memcpy(fx->hostkey_type, m->hostkey_type, sizeof fx->hostkey_type);
        memcpy(fx->hostkey_sha256, m->hostkey_sha256, sizeof fx->hostkey_sha256);
        memcpy(fx->hostkey_md5, m->hostkey_md5, sizeof fx->hostkey_md5);
    } else {
        memset(fx->hostkey_type, 0, sizeof fx->hostkey_type);
        memset(fx->hostkey_sha256, 0, sizeof fx->hostkey_sha256);
        memset(fx->hostkey_md5, 0, sizeof fx->hostkey_md5);
    }
    const char *const in[HS_STRS] = {
        cl->banner, sv->banner, m->kex_alg, m->hostkey_alg, m->cipher[0], m->mac[0], m->comp[0], m->cipher[1],
        m->mac[1], kx && m->terrapin ? m->terrapin_reason : NULL, sv->prebanner,
        cl->hassh[0] ? cl->hassh_algorithms : NULL, sv->hassh[0] ? sv->hassh_algorithms : NULL,
    };
    memcpy(key->s, in, sizeof in);
    _Static_assert(HS_LISTS + 1 < HS_STRS, "the name-lists are the last two");
    for (int i = 0; i < 2; i++)
        key->mp[i] = side(x, i)->lists_memo ? in[HS_LISTS + i] : NULL;
    key->gen = sd_ssh_memo_gen();
}

static bool hs_same(const hsslot *h, const hskey *key)
{
    if (!h->used || memcmp(h->sc, key->sc, sizeof h->sc) != 0 || memcmp(&h->fx, &key->fx, sizeof h->fx) != 0)
        return false;
    const char *const *s = key->s;
    for (unsigned i = 0; i < HS_LISTS; i++)
        if (!h->s[i] != !s[i] || (s[i] && strcmp(h->s[i], s[i]) != 0))
            return false;
    for (unsigned i = 0; i < 2; i++) {
        const char *a = h->s[HS_LISTS + i], *b = s[HS_LISTS + i];
        if (!a != !b)
            return false;
        if (b && !(key->mp[i] && key->mp[i] == h->mp[i] && key->gen == h->gen) && strcmp(a, b) != 0)
            return false;
    }
    return true;
}

/* The slot holding x's handshake members (made there, in the least
 * recently used slot, when none does), or NULL: no memo, or too long. */
static const hsslot *hs_lookup(const sd_ssh_fieldrec *x)
{
    sd_ssh_jmemo *m = x->jm;
    if (!m)
        return NULL;
    hskey key;
    hs_inputs(x, &key);
    const char *const *s = key.s;
    unsigned k = 0;
    while (k < HS_SLOTS && !hs_same(&m->hs[m->hs_order[k]], &key))
        k++;
    if (k == HS_SLOTS) { /* a miss: the least recently used slot takes it */
        size_t len[HS_STRS], total = 0;
        for (unsigned i = 0; i < HS_STRS; i++)
            total += len[i] = s[i] ? strlen(s[i]) + 1 : 0;
        if (total > HS_MAX_IN)
            return NULL;
        k = HS_SLOTS - 1;
        hsslot *h = &m->hs[m->hs_order[k]];
        if (h->block_cap < total) {
            free(h->block);
            h->block = sd_malloc(total);
            h->block_cap = total;
        }
        char *o = h->block;
        for (unsigned i = 0; i < HS_STRS; i++) {
            h->s[i] = s[i] ? memcpy(o, s[i], len[i]) : NULL;
            o += len[i];
        }
        memcpy(h->sc, key.sc, sizeof h->sc);
        h->fx = key.fx;
        h->a.len = h->b.len = 0;
        hs_json_a(&h->a, x);
        hs_json_b(&h->b, x);
        h->used = true;
    }
    hsslot *h = &m->hs[m->hs_order[k]]; /* the lists as these are now: by address next time */
    memcpy(h->mp, key.mp, sizeof h->mp);
    h->gen = key.gen;
    uint8_t hit = m->hs_order[k]; /* to the front */
    memmove(m->hs_order + 1, m->hs_order, k);
    m->hs_order[0] = hit;
    return &m->hs[hit];
}

void sd_ssh_fields_json(sd_buf *b, const sd_ssh_fieldrec *x)
{
    const sd_conn *c = CONN(x);
    const sd_ssh_meta *m = M(x);
    const sd_ssh_side *cl = side(x, false), *sv = side(x, true);
    char t[SD_ADDR_STRLEN];
    static const char head[] = "{\"type\":\"ssh\",\"ts\":";
    /* the start as "%.6f" (sd_json_put_ts: at most 32 bytes) */
    uint8_t *o = sd_buf_extend(b, sizeof head - 1 + 32);
    memcpy(o, head, sizeof head - 1);
    char *e = sd_json_put_ts((char *)o + sizeof head - 1, c->start);
    sd_buf_set_end(b, e);
    J_P("uid", c->uid);
    J_U("stream", c->id);
    J_P("id.orig_h", sd_addr_str(&c->orig_h, t, sizeof t));
    J_U("id.orig_p", c->orig_p);
    J_P("id.resp_h", sd_addr_str(&c->resp_h, t, sizeof t));
    J_U("id.resp_p", c->resp_p);
    J_G("direction", g_direction);
    J_G("file", g_file);
    J_G("file_first_frame", g_file_first_frame);
    const hsslot *h = hs_lookup(x);
    if (h)
        sd_buf_append(b, h->a.p, h->a.len);
    else
        hs_json_a(b, x);
    if (m->hostkey_seen)
        J_U("host_key_frame", m->kex_reply_frame);
    if (h)
        sd_buf_append(b, h->b.p, h->b.len);
    else
        hs_json_b(b, x);
    if (cl->newkeys_seen)
        J_U("client_newkeys_frame", cl->newkeys_frame);
    if (sv->newkeys_seen)
        J_U("server_newkeys_frame", sv->newkeys_frame);
    if (m->midstream) {
        J_B("midstream", true);
        if (m->suite_guessed)
            J_P("suite_guess", m->suite_guess);
    }
    J_U("client_enc_records", cl->enc_records);
    J_U("server_enc_records", sv->enc_records);
    json_stats(b, x, false);
    json_stats(b, x, true);
    if (R(x)->rec_truncated)
        J_B("records_truncated", true);
    J_G("anomalies", g_anomalies);
    json_summary(b, x->su);
    sd_buf_append(b, "}\n", 2);
}
