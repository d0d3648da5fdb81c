/* sd_ssh_mid: an SSH session picked up mid-stream (sd_ssh_int.h).
 *
 * A capture started after the login (tcpdump run inside an open session),
 * or a long idle session the flow table split at its idle timeout, shows a
 * TCP connection whose start was not seen and whose bytes carry no banner
 * and no key exchange: only encrypted records. When the caller says the
 * connection qualifies (sd_ssh_opts.midstream_ok: start not seen, on a
 * port an SSH server listens on), a direction whose first bytes are no
 * "SSH-" banner is read as encrypted from its first byte (ST_ENC, no
 * packet splitting: one record per TCP segment, as for chacha20-poly1305),
 * and the connection is claimed (meta.midstream) only once both directions'
 * first bytes look encrypted: few printable bytes, many distinct values,
 * no TLS record header. Anything else on the port (a cleartext protocol,
 * zeros, TLS) is refused and the connection ruled out as before.
 *
 * The suite is unknown (no KEXINIT seen): it is estimated from the client's
 * record sizes (the keystroke, an SSH_MSG_CHANNEL_DATA of one byte, is the
 * commonest small record of an interactive session), or for a session
 * typing none from both directions' small records (sdp_mid_pick_both), and
 * marked guessed (meta.suite_guessed), so the inference reads the session
 * with its sizes. A capture at the sender may begin with a hole (bytes
 * sent before it began, ACKed after): the side starts after it. */
#include "sd_ssh_int.h"

#include <stdio.h>
#include <string.h>

#include "../common/sd_arena.h"
#include "sd_ssh_size.h"

/* Bytes of each direction's start looked at: a keystroke's record is 36
 * bytes with OpenSSH's default suite, so four of them in each direction. At
 * 128 random bytes the printable share is 0.38 +- 0.043 and the distinct
 * values 101 +- 5 (256 (1 - e^-0.5)); text is over 0.9 printable. */
#define MID_SAMPLE 128u
/* Most printable bytes (ASCII 0x20-0x7e, TAB, CR, LF) in the sample of
 * an encrypted direction: 5 standard deviations over random bytes' 0.38. */
#define MID_PRINTABLE_MAX (MID_SAMPLE * 60u / 100u)
/* Fewest distinct byte values in it: 4 standard deviations under random
 * bytes' 101 (a binary protocol's zeros and small integers repeat). */
#define MID_DISTINCT_MIN 80u
/* Chunks of at most this many bytes are counted by size for the suite
 * estimate: a keystroke's record is 28 to 96 bytes in every suite below. */
#define MID_SMALL SD_SSH_MID_SMALL
/* Fewest client records of one size for it to be read as the keystroke. */
#define MID_KEYS_MIN 3u
/* Fewest of them answered at once by a server record of the same size
 * (the echo: one byte back, under the same suite) for that size to be the
 * keystroke's: a terminal echoes what is typed (a key typed faster than
 * the round trip still leaves one such pair at the end of its burst); a
 * forward's or an SFTP channel's client messages of that size are
 * answered otherwise (lab tunnel_desktop cut at login+5: 26 client
 * records of 52 bytes, a VNC client's events under chacha20-poly1305 and
 * aes128-ctr + hmac-sha1's keystroke, none answered by 52; read as that
 * suite, its forward was not found). */
#define MID_ECHO_MIN 1u
/* Without keys: fewest small client records, and the share of them (%)
 * one packet of a suite must explain: two records in one segment explain
 * nothing (lab forward_L_http cut after login: 8 of 11 client records
 * under 128 bytes are one chacha20-poly1305 packet, the 3 others two). A
 * suite with another block or tag explains a quarter at most. */
#define MID_FIT_MIN 5u
#define MID_FIT_PCT 70u
/* A session that types no keys and whose client sends too few small
 * records on its own (a -N forward or an idle one: its channel opens,
 * window adjusts, EOFs and closes, keepalive answers) is read from both
 * directions' small records together (both use the suite), under
 * stricter terms: each direction has a record that fits, and the
 * smallest record is one packet of at most a WINDOW_ADJUST's payload (a
 * channel's EOF, CLOSE or window adjust, which any such session sends):
 * suites whose sizes are one another's plus a block of tag (hmac-sha2-256
 * and umac-128 with AES: every size of one fits the other) are told by
 * which of them a control message's size is, and a session with no such
 * record gets no guess rather than a wrong one. */
#define MID_BOTH_CTRL_MAX SD_SSH_P_WINDOW_ADJUST

/* Each direction's first segments whose heads are looked at for another
 * protocol's record framing (foreign_head), claimed or not: a capture
 * begun inside a record shows its header only at the next one (a 16 KB
 * TLS record spans a dozen segments), and a keystroke session makes 64
 * segments in a minute. */
#define MID_WATCH 64u
/* Heads showing another protocol's framing that refuse the connection,
 * claim or no claim: random bytes give one in 65,536 segments (a 16-bit
 * length that fits), a TLS header one in 800,000; two in the watched 128
 * never come by chance from an SSH session. */
#define MID_FOREIGN_MIN 2u
/* Bytes of a segment's head kept: a TLS record header's 5. */
#define MID_HEAD 5u

enum { MID_PENDING = 0, MID_CLAIMED, MID_REFUSED };

struct sdp_mid {
    uint8_t verdict;
    bool started[2];                    /* the direction began with no banner */
    bool looks_enc[2];                  /* its sample looked encrypted */
    uint32_t sample[2];                 /* bytes looked at (up to MID_SAMPLE) */
    uint32_t printable[2];
    uint32_t distinct[2];
    uint8_t seen[2][32];                /* byte values met, a bit each */
    /* chunk sizes up to MID_SMALL: how many, and of those how many begin
     * with a packet_length that fits the chunk (a suite whose length is
     * in clear: GCM, -etm MACs), and the last such length */
    uint16_t n[2][MID_SMALL + 1];
    uint16_t clear[2][MID_SMALL + 1];
    uint8_t clear_len[2][MID_SMALL + 1];
    /* the same counts without the tails: a chunk right after a full-sized
     * segment (the direction's largest, over MID_SMALL) is most likely the
     * end of a record TCP split, not a packet (sdp_mid_pick_both) */
    uint16_t whole[2][MID_SMALL + 1];
    uint16_t whole_clear[2][MID_SMALL + 1];
    /* [d][k]: chunks of d of size k followed at once by the other
     * direction's chunk of size k (a key and its echo: sdp_mid_pick) */
    uint16_t echoed[2][MID_SMALL + 1];
    int8_t prev_dir;                    /* the last small chunk's direction, -1 none */
    uint32_t prev_wire;                 /* and its size */
    uint32_t last_wire[2], max_wire[2];
    /* the last chunk's first bytes, counted with its segment's wire size
     * (sdp_mid_segment: a snaplen cut leaves fewer bytes than were sent) */
    uint8_t head[2][MID_HEAD];
    uint8_t head_n[2];
    bool head_due[2];
    uint8_t watched[2];                 /* segment heads looked at (up to MID_WATCH) */
    uint8_t foreign;                    /* of them, another protocol's record headers */
};

/* The suites the estimate tries: sd_ssh_framing_suites (sd_ssh_size.h),
 * in its order of preference. A suite with the length in clear is told
 * from one with it encrypted by the records' first four bytes (mid_pick). */

static bool printable(uint8_t b)
{
    return (b >= 0x20 && b < 0x7f) || b == '\t' || b == '\r' || b == '\n';
}

/* A TLS record's header (RFC 8446 section 5.1): content type 20-23, then
 * version 3.0-3.4. */
static bool tls_head(const uint8_t *p, size_t n)
{
    return n >= 3 && p[0] >= 20 && p[0] <= 23 && p[1] == 3 && p[2] <= 4;
}

/* Whether p (n bytes, the start of a direction) can be the start of an
 * "SSH-" banner or of lines before one: then the banner path reads it.
 * Eight printable bytes in a row start random bytes once in 2,000. A
 * chunk shorter than that (the tail of a record a segment boundary cut,
 * a byte a segment) is no evidence of text: one random byte is printable
 * 38 times in 100; the sample of the direction decides (a cleartext
 * protocol's is over 0.9 printable), unless the chunk begins "SSH-". */
#define MID_TEXT_HEAD 8u
static bool banner_like(const uint8_t *p, size_t n)
{
    if (memcmp(p, "SSH-", n < 4 ? n : 4) == 0)
        return true;
    if (n < MID_TEXT_HEAD)
        return false;
    for (size_t i = 0; i < MID_TEXT_HEAD; i++)
        if (!printable(p[i]))
            return false;
    return true; /* text: not encrypted, the banner path rules it out */
}

/* Whether p (n bytes, the start of a direction) is a cleartext KEXINIT
 * packet's head (RFC 4253 sections 6 and 7.1): the capture began after
 * this side's banner (its SYN and first segment missed, the peer's banner
 * still to come). A length under SD_SSH_MAX_PACKET, padding 4 or more
 * inside it, message 20 (sdp_clear_head_len; not the block alignment,
 * which the cleartext reading notes and reads on without): random bytes
 * once in 10 million. */
#define MID_KEX_MIN 16u /* a KEXINIT's cookie alone is 16 bytes */
#define MID_KEX_METHOD_FIRST 30u /* key exchange method specific messages (RFC 4250 4.1.2) */
#define MID_KEX_METHOD_LAST 49u
static bool kexinit_head(const uint8_t *p, size_t n, bool peer_kexinit)
{
    if (n < SD_SSH_NK_PEEK)
        return false;
    if (sdp_clear_head_len(p, SD_SSH_MSG_KEXINIT, SD_SSH_MSG_KEXINIT) >= MID_KEX_MIN)
        return true;
    /* the peer's KEXINIT read whole, and this side's went before the
     * capture: its key exchange's next message (RFC 4250 4.1.2: 30 to 49)
     * or NEWKEYS. Only then: an encrypted record's clear length (GCM, EtM)
     * then a message byte of 22 values would pass one time in 12. */
    return peer_kexinit && (sdp_clear_head_len(p, SD_SSH_MSG_NEWKEYS, SD_SSH_MSG_NEWKEYS) ||
                            sdp_clear_head_len(p, MID_KEX_METHOD_FIRST, MID_KEX_METHOD_LAST));
}

/* Whether a segment of wire bytes beginning with h (k bytes kept) begins
 * with another protocol's record header: TLS's (tls_head), or a 16-bit
 * length counting the rest of the segment (OpenVPN over TCP, DNS over
 * TCP, RFC 4571 framing). An SSH packet's length is 32 bits, encrypted or
 * at most 35,000 (its first two bytes zero), so never the second. */
#define MID_FRAME_MIN 8u
static bool foreign_head(const uint8_t *h, size_t k, uint32_t wire)
{
    if (tls_head(h, k))
        return true;
    return k >= 2 && wire >= MID_FRAME_MIN && ((uint32_t)h[0] << 8 | h[1]) + 2u == wire;
}

static void verdict(struct sdp_mid *m)
{
    if (m->verdict != MID_PENDING)
        return;
    for (int d = 0; d < 2; d++)
        if (m->sample[d] == MID_SAMPLE && !m->looks_enc[d]) {
            m->verdict = MID_REFUSED;
            return;
        }
    if (m->looks_enc[0] && m->looks_enc[1])
        m->verdict = MID_CLAIMED;
}

static void sample(struct sdp_mid *m, int dir, const uint8_t *p, size_t n)
{
    uint32_t take = (uint32_t)SD_MIN(n, (size_t)(MID_SAMPLE - m->sample[dir]));
    for (uint32_t i = 0; i < take; i++) {
        uint8_t b = p[i];
        m->printable[dir] += printable(b);
        if (!(m->seen[dir][b >> 3] & (1u << (b & 7)))) {
            m->seen[dir][b >> 3] |= (uint8_t)(1u << (b & 7));
            m->distinct[dir]++;
        }
    }
    m->sample[dir] += take;
    if (m->sample[dir] == MID_SAMPLE)
        m->looks_enc[dir] = m->printable[dir] <= MID_PRINTABLE_MAX && m->distinct[dir] >= MID_DISTINCT_MIN;
    verdict(m);
}

void sdp_mid_feed(sd_ssh *s, int dir, const uint8_t *p, size_t n)
{
    dirst *d = &s->d[dir];
    struct sdp_mid *m = s->mid;
    if (d->st == ST_BANNER && d->off == s->m.side[dir].gap_bytes && s->m.side[dir].bytes == n) {
        if (m && m->verdict == MID_REFUSED)
            return;
        if (kexinit_head(p, n, s->m.side[!dir].kexinit_seen)) {
            d->st = ST_CLEAR; /* the banner was before the capture: packets from here */
            d->kex_joined = p[5] != SD_SSH_MSG_KEXINIT;
            return;
        }
        if (banner_like(p, n) || tls_head(p, n)) {
            if (m)
                m->verdict = MID_REFUSED;
            return;
        }
        if (!m) {
            m = s->mid = sd_arena_zalloc(&s->arena, sizeof *m);
            m->prev_dir = -1;
        }
        m->started[dir] = true;
        d->st = ST_ENC; /* splitting false: records by TCP segment (sd_ssh_segment) */
        s->m.side[dir].enc_offset = 0;
    }
    if (!m || !m->started[dir] || m->verdict == MID_REFUSED)
        return;
    m->head_n[dir] = (uint8_t)SD_MIN(n, sizeof m->head[dir]);
    memcpy(m->head[dir], p, m->head_n[dir]);
    m->head_due[dir] = true;
    if (m->sample[dir] < MID_SAMPLE)
        sample(m, dir, p, n);
    s->derive_due = true; /* sdp_mid_settle at the next sd_ssh_meta_get */
}

/* Another protocol's record headers at the start of the first segments
 * refuse the connection, a claim made already too (its record is only
 * given at the connection's end): a capture begun inside a TLS record
 * shows random bytes until the next header. */
static void watch_head(struct sdp_mid *m, int dir, uint32_t wire)
{
    if (m->watched[dir] >= MID_WATCH)
        return;
    m->watched[dir]++;
    if (foreign_head(m->head[dir], m->head_n[dir], wire) && ++m->foreign >= MID_FOREIGN_MIN)
        m->verdict = MID_REFUSED;
}

void sdp_mid_segment(sd_ssh *s, int dir, uint32_t wire)
{
    struct sdp_mid *m = s->mid;
    if (!m || !m->started[dir] || m->verdict == MID_REFUSED || !m->head_due[dir])
        return;
    m->head_due[dir] = false;
    watch_head(m, dir, wire);
    bool tail = m->last_wire[dir] > MID_SMALL && m->last_wire[dir] == m->max_wire[dir];
    m->last_wire[dir] = wire;
    m->max_wire[dir] = SD_MAX(m->max_wire[dir], wire);
    bool echo = m->prev_dir == !dir && m->prev_wire == wire;
    m->prev_dir = (int8_t)(wire <= MID_SMALL ? dir : -1);
    m->prev_wire = wire;
    if (m->verdict == MID_REFUSED || wire > MID_SMALL)
        return;
    m->n[dir][wire]++;
    if (echo && m->echoed[!dir][wire] < UINT16_MAX)
        m->echoed[!dir][wire]++;
    if (!tail)
        m->whole[dir][wire]++;
    if (m->head_n[dir] >= 4) {
        sd_cur c = sd_cur_make(m->head[dir], 4);
        uint32_t L = sd_cur_be32(&c);
        if ((uint64_t)L + 4 < wire) { /* a length, the packet and a tag: this segment is one clear-length packet */
            m->clear[dir][wire]++;
            m->clear_len[dir][wire] = (uint8_t)L;
            if (!tail)
                m->whole_clear[dir][wire]++;
        }
    }
}

bool sdp_mid_claimed(const sd_ssh *s)
{
    return s->mid && s->mid->verdict == MID_CLAIMED;
}

bool sdp_mid_refused(const sd_ssh *s)
{
    return s->mid && s->mid->verdict == MID_REFUSED;
}

/* Whether the records of size k agree with su's length field: read in
 * clear, with su's tag after the packet, for a suite that sends it so;
 * not readable for one that encrypts it. */
static bool clear_agrees(const sd_ssh_suite *su, uint32_t k, const uint16_t n[], const uint16_t clear[],
                         const uint8_t clear_len[])
{
    bool len_clear = 2u * clear[k] > n[k]; /* most records of that size begin with a length */
    if (len_clear != su->len_clear)
        return false;
    return !len_clear || clear_len[k] + 4u + su->tag == k;
}

/* Whether one packet of su can be k bytes on the wire: the padded part a
 * multiple of the block, past the length (A = 4) and the tag. */
static bool one_packet(const sd_ssh_suite *su, uint32_t k)
{
    return k > su->tag + 4u + su->aad && (k - su->tag - su->aad) % su->block == 0;
}

static void tried_suites(sd_ssh_suite su[SD_SSH_FRAMING_SUITES])
{
    for (size_t i = 0; i < SD_SSH_FRAMING_SUITES; i++)
        if (sd_ssh_suite_from_names(sd_ssh_framing_suites[i][0], sd_ssh_framing_suites[i][1], &su[i]) != 0)
            su[i].mode = SD_SSH_MODE_UNKNOWN;
}

static int fit_pick(const sd_ssh_suite su[], const uint16_t n[], const uint16_t clear[],
                    const uint8_t clear_len[], sd_ssh_suite *out);

int sdp_mid_pick(const uint16_t n[SD_SSH_MID_SMALL + 1], const uint16_t clear[SD_SSH_MID_SMALL + 1],
                 const uint8_t clear_len[SD_SSH_MID_SMALL + 1], const uint16_t *echo, sd_ssh_suite *out)
{
    enum { NS = SD_SSH_FRAMING_SUITES };
    sd_ssh_suite su[NS];
    tried_suites(su);
    /* the keystroke: the commonest size that is some suite's keystroke (a
     * -R tunnel's or a nested session's keys, commoner still, are not) */
    bool tried[MID_SMALL + 1] = { false };
    for (;;) {
        uint32_t best = 0, at = 0;
        for (uint32_t k = 1; k <= MID_SMALL; k++)
            if (!tried[k] && n[k] > best) {
                best = n[k];
                at = k;
            }
        if (best < MID_KEYS_MIN)
            break;
        tried[at] = true;
        if (echo && echo[at] < MID_ECHO_MIN)
            continue;
        for (size_t i = 0; i < NS; i++)
            if (su[i].mode != SD_SSH_MODE_UNKNOWN && sd_ssh_wire_size(&su[i], SD_SSH_P_KEYSTROKE) == at &&
                clear_agrees(&su[i], at, n, clear, clear_len)) {
                *out = su[i];
                return (int)i;
            }
    }
    /* no keys (a transfer, a forward): the first suite that nearly every
     * small record fits as one packet */
    return fit_pick(su, n, clear, clear_len, out);
}

static uint32_t small_total(const uint16_t n[])
{
    uint32_t total = 0;
    for (uint32_t k = 1; k <= MID_SMALL; k++)
        total += n[k];
    return total;
}

/* How many of the records counted in n are one packet of su each. */
static uint32_t fits(const sd_ssh_suite *su, const uint16_t n[], const uint16_t clear[],
                     const uint8_t clear_len[])
{
    uint32_t fit = 0;
    for (uint32_t k = 1; k <= MID_SMALL; k++)
        if (n[k] && one_packet(su, k) && clear_agrees(su, k, n, clear, clear_len))
            fit += n[k];
    return fit;
}

static int fit_pick(const sd_ssh_suite su[], const uint16_t n[], const uint16_t clear[],
                    const uint8_t clear_len[], sd_ssh_suite *out)
{
    uint32_t total = small_total(n);
    if (total < MID_FIT_MIN)
        return -1;
    for (size_t i = 0; i < SD_SSH_FRAMING_SUITES; i++)
        if (su[i].mode != SD_SSH_MODE_UNKNOWN && fits(&su[i], n, clear, clear_len) * 100u >= total * MID_FIT_PCT) {
            *out = su[i];
            return (int)i;
        }
    return -1;
}

/* Whether su reads the smallest record counted in n as one control
 * message (MID_BOTH_CTRL_MAX). */
static bool smallest_is_ctrl(const sd_ssh_suite *su, const uint16_t n[], const uint16_t clear[],
                             const uint8_t clear_len[])
{
    uint32_t k = 1;
    while (k <= MID_SMALL && !n[k])
        k++;
    return k <= MID_SMALL && one_packet(su, k) && clear_agrees(su, k, n, clear, clear_len) &&
           k <= sd_ssh_wire_size(su, MID_BOTH_CTRL_MAX);
}

int sdp_mid_pick_both(const uint16_t n[2][SD_SSH_MID_SMALL + 1], const uint16_t clear[2][SD_SSH_MID_SMALL + 1],
                      const uint8_t clear_len[2][SD_SSH_MID_SMALL + 1], sd_ssh_suite *out)
{
    uint16_t an[MID_SMALL + 1], ac[MID_SMALL + 1];
    uint8_t al[MID_SMALL + 1];
    for (uint32_t k = 0; k <= MID_SMALL; k++) {
        an[k] = (uint16_t)SD_MIN(UINT16_MAX, (uint32_t)n[0][k] + n[1][k]);
        ac[k] = (uint16_t)SD_MIN(UINT16_MAX, (uint32_t)clear[0][k] + clear[1][k]);
        al[k] = clear[0][k] ? clear_len[0][k] : clear_len[1][k];
    }
    sd_ssh_suite su[SD_SSH_FRAMING_SUITES], got;
    tried_suites(su);
    /* only the first suite that fits is checked: a later one fitting as
     * well (3des-cbc's block of 8 beside chacha20-poly1305's) is another
     * reading of the same sizes, no better told */
    int i = fit_pick(su, an, ac, al, &got);
    if (i < 0 || !fits(&got, n[0], clear[0], clear_len[0]) || !fits(&got, n[1], clear[1], clear_len[1]) ||
        !smallest_is_ctrl(&got, an, ac, al))
        return -1;
    *out = got;
    return i;
}

void sdp_mid_settle(sd_ssh *s)
{
    sd_ssh_meta *m = &s->m;
    m->midstream = sdp_mid_claimed(s);
    if (!m->midstream)
        return;
    m->outcome = SD_SSH_OUT_ENCRYPTED;
    int c = m->client_dir;
    struct sdp_mid *x = s->mid;
    sd_ssh_suite su;
    int k = sdp_mid_pick(x->n[c], x->clear[c], x->clear_len[c], x->echoed[c], &su);
    if (k < 0)
        k = sdp_mid_pick_both(x->whole, x->whole_clear, x->clear_len, &su);
    if (k < 0)
        return; /* no keystroke-sized records, no control messages: the suite stays unknown */
    /* both sides negotiate the same suite with every client and server
     * met (the first of the client's lists the server also has) */
    m->side[0].suite = su;
    m->side[1].suite = su;
    m->suite_guessed = true;
    const char *mac = sd_ssh_framing_suites[k][1];
    snprintf(m->suite_guess, sizeof m->suite_guess, "%s%s%s", sd_ssh_framing_suites[k][0], mac ? " + " : "", mac ? mac : "");
}
