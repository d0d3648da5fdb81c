/* sd_ssh_int.h: what the SSH connection parser's files share (not a public
 * header: only src/ssh/sd_ssh*.c include it).
 *   sd_ssh.c         life cycle, the per-direction feed loop, encrypted
 *                    record framing, the public queries
 *   sd_ssh_clear.c   the cleartext phase: banner lines, RFC 4253 binary
 *                    packets (KEXINIT, KEX reply, NEWKEYS and the suite it starts)
 *   sd_ssh_mid.c     a session picked up mid-stream: claim and suite estimate
 *   sd_ssh_derive.c  name-lists and negotiation, fingerprints, hassh and
 *                    everything derived from both sides (roles, algorithms,
 *                    version, Terrapin, outcome) */
#ifndef SD_SSH_INT_H
#define SD_SSH_INT_H

#include <stddef.h>

#include "sd_ssh.h"
#include "../common/sd_arena.h"
#include "../common/sd_cursor.h"

/* ST_NKWAIT: after a NEWKEYS that came before its side's key exchange
 * message, encrypted unless the next packet is a cleartext one of the key
 * exchange (sd_ssh_clear.c newkeys_doubtful) */
/* ST_RESYNC: after a gap in the cleartext phase, the bytes scanned for a
 * NEWKEYS packet (sd_ssh.c feed_resync) */
/* ST_CUTLOST: the snaplen cut bytes over a cleartext packet boundary, so
 * the framing is lost; each later segment's start is tried as a cleartext
 * packet head (sd_ssh.c feed_cutlost) */
enum { ST_BANNER = 0, ST_CLEAR, ST_ENC, ST_SSH1, ST_DEAD, ST_NKWAIT, ST_RESYNC, ST_CUTLOST };
/* How far past a gap RESYNC looks for NEWKEYS: one packet of the largest
 * size a peer takes, the key exchange messages the gap cut being shorter;
 * past it the side stops, as it did at the gap before (a gap over the
 * NEWKEYS itself would otherwise have every later byte scanned). */
#define SD_SSH_RESYNC_MAX SD_SSH_MAX_PACKET
#define SD_SSH_NK_PEEK 6 /* packet_length, padding_length and message type of the packet after it */

/* Names shorter than this are algorithm names (RFC 4251 section 6: at most
 * 64 characters); longer negotiated names are cut. */
#define NAME_MAX_LEN SD_SSH_NEG_SLOT
/* A direction's first line buffer, inside the parser (sd_ssh.line0): the
 * line buffer's first size (LINE_BUF_START, sd_ssh_clear.c), which any
 * banner fits. */
#define SDP_LINE_INLINE 256u

typedef struct dirst {
    /* What each encrypted record reads and writes (feed_in, feed_enc),
     * first: one cache line a direction (dirst is 3 whole lines; sd_ssh.c's
     * layout asserts), where a brute-force connection's segments, far
     * apart, found the parser cold over several (issue #11). */
    uint64_t off;            /* stream offset of the next byte */
    /* ENC (and CLEAR) framing */
    uint64_t enc_left;       /* bytes of the current record after its header */
    uint64_t rec_off;
    int st;
    uint32_t hdr_have;
    uint32_t plen;           /* packet_length of the packet being read */
    uint8_t hdr[4];
    /* suite unknown after NEWKEYS (sd_ssh.c suite_from_sizes): the first
     * bytes of the segment or record starting at head_off */
    bool head_want;
    uint8_t head_have;
    uint8_t head[4];
    bool cut_noted;          /* snaplen cuts: SD_SSH_AN_SNAPLEN_CUT said */
    bool cl_skip;            /* CUTLOST: this segment's start was tried: the rest is passed over */
    uint64_t head_off;
    /* BANNER */
    uint8_t *line;           /* line_cap bytes (up to LINE_BUF) while in BANNER, else NULL; sd_ssh.line0 at first */
    size_t line_cap;
    size_t line_len;
    uint64_t line_seen;      /* bytes of the current line, those past the buffer too */
    uint64_t nb_bytes;       /* bytes seen in the banner state */
    uint32_t long_at;        /* its line_too_long anomaly's index + 1 (0: none kept) */
    bool line_cr;            /* its last byte so far is a CR */
    bool long_line_noted;    /* line_too_long reported for a pre-banner line */
    bool line_over;          /* the current line passed SD_SSH_MAX_LINE before its LF */
    bool dead_no_banner;     /* stopped before any banner: not SSH */
    /* CLEAR */
    uint8_t *pkt;            /* CLEAR: body being collected (freed after CLEAR) */
    size_t pkt_cap;
    uint32_t pkt_have;
    bool align_noted, pad_noted;
    bool non_ssh_after_banner;
    bool kexmsg_sent;        /* a key exchange message (30-49) read from this side */
    /* role evidence for this direction (sd_ssh_evidence levels, 0 = none) */
    int ev_client, ev_server;
    bool line_rest;          /* CUTLOST after a banner the snaplen cut: the next segment may end its line */
    bool rest_scan;          /* ... and its LF is being looked for, rest_seen bytes in */
    uint16_t rest_seen;
    bool kex_joined;         /* read from inside its key exchange: its KEXINIT was before the capture */
    uint8_t nk_have;
    uint8_t nk_buf[SD_SSH_NK_PEEK]; /* NKWAIT: the bytes after the doubtful NEWKEYS; RESYNC: the last 6 */
    uint32_t rs_skip;        /* RESYNC: the found NEWKEYS' padding still to come */
    uint32_t rs_scanned;     /* RESYNC: bytes looked through (SD_SSH_RESYNC_MAX) */
    int major;               /* sdp_proto_major of the side's proto, set with its banner */
    uint64_t nk_frame;       /* the doubtful NEWKEYS' frame */
    /* snaplen cuts (sd_ssh_cut; cut_noted and cl_skip above) */
    uint64_t cut_frame;      /* the last cut segment's frame and time */
    sd_ts cut_ts;
    uint32_t cut_left;       /* CLEAR: bytes of the current packet past a cut, still to come */
    int cut_type;            /* its message type, -1 when the cut took it */
} dirst;

/* The negotiation (sd_ssh_derive.c negotiate) of a client's list set
 * against a server's, as the memo keeps it. Its names and suite half never
 * change once made: a connection's meta points at them instead of copying
 * them into its parser (the copy wrote nine lines of a cold parser a
 * connection, issue #11), so they must stay what they were for every
 * parser, on any thread, until the memo is freed. Only the suite cache
 * (suite_known...) is filled later, by the parsers' thread alone. */
typedef struct sdp_nego {
    struct sdp_nego *next;         /* the client entry's other negotiations, the newest first */
    const struct sdp_kexent *peer; /* the server's entry it was worked out against */
    bool found[8];                 /* slot i negotiated (neg[i] holds it) */
    char neg[8][NAME_MAX_LEN];
    char terrapin_suite[SD_SSH_TERRAPIN_SUITE];
    bool suite_known[2];           /* suite[k] worked out (set_suite), by k: 0 client to server */
    int suite_rc[2];
    sd_ssh_suite suite[2];
} sdp_nego;

/* A KEXINIT's name-lists in the memo (sd_ssh_memo.c), shared read-only by
 * every connection that sent them; the derived parts are filled at first
 * use. */
typedef struct sdp_kexent {
    struct sdp_kexent *next;
    uint64_t h;
    size_t n;
    uint8_t *raw;                  /* the lists' wire bytes: the key */
    char *lists[SD_SSH_NL_COUNT];  /* as sd_ssh_side.lists */
    unsigned marks;                /* sdp_kex_marks of the kex list */
    char *alg[2];                  /* HASSH string by role (0 client, 1 server), or NULL: not made yet */
    char hassh[2][33];
    sdp_nego *nego;                /* as a client: the negotiations with the servers met, newest first */
} sdp_kexent;

/* The negotiation the memo holds for this connection's pair of list sets
 * (both sides' entries, among the client's newest MEMO_NEGO_WALK), or NULL. */
sdp_nego *sdp_memo_nego(sd_ssh *s);
/* The negotiation of client entry c against server entry v: c's kept one,
 * or NULL. */
sdp_nego *sdp_memo_nego_find(const sdp_kexent *c, const sdp_kexent *v);
/* A new, empty negotiation of c against v for the caller to fill, kept
 * with c as its newest (m's byte cap counts it); NULL when refused. */
sdp_nego *sdp_memo_nego_add(sd_ssh_memo *m, sdp_kexent *c, const sdp_kexent *v);

/* The entry of the ten name-lists at c (c is not moved), or NULL; *span
 * their bytes (0: they do not parse) and *hash their hash, for
 * sdp_memo_add after a miss. A hit becomes one of the entries compared
 * first, before any hash (m changes: one thread's parsers only). */
sdp_kexent *sdp_memo_find(sd_ssh_memo *m, const sd_cur *c, uint64_t *hash, size_t *span);
/* Keeps a list set parsed without anomaly; NULL when refused (the caps). */
sdp_kexent *sdp_memo_add(sd_ssh_memo *m, uint64_t hash, const uint8_t *raw, size_t span,
                         char *const lists[SD_SSH_NL_COUNT], unsigned marks);

struct sd_ssh {
    /* Its first line (sd_ssh_new puts it at a line's start), each
     * direction's first line (d) and each side's (m.side) hold what every
     * encrypted record reads and writes, and m.client_dir sits in the line
     * before m.side[0]: four lines a record, where there were nine or ten
     * (issue #11; sd_ssh.c asserts the layout). */
    sd_ssh_opts opts;
    uint64_t frame;              /* of the current feed */
    sd_ts ts;
    struct sdp_mid *mid;         /* sd_ssh_mid.c's state, in the arena, from a direction that began with no banner */
    dirst d[2];
    /* The connection's arena: this struct, the banners' strings, both
     * name-list blocks and the caller's statistics (sd_ssh_arena), all
     * allocated once per connection; buffers that grow stay on the heap. */
    sd_arena arena;
    /* terrapin_reason's suite half: the memo's negotiation's or
     * terrapin_suite (below), NULL before the first negotiation */
    const char *tsuite;
    sdp_kexent *kex[2];          /* by direction: the memo's entry of its KEXINIT's lists, or NULL */
    /* key exchange messages only some methods have, read before both
     * KEXINITs named the method (sd_ssh_clear.c kex_early): in the arena,
     * at the first; judged once the method is known */
    struct sdp_kexearly *early;
    struct sdp_sizes *sizes;     /* samples for suite_from_sizes (sd_ssh.c), in the arena, at the first */
    uint64_t after_close[2];     /* bytes past the sender's FIN or RST (sd_ssh_after_close) */
    uint32_t after_close_an[2];  /* index + 1 of its SD_SSH_AN_AFTER_CLOSE anomaly, 0 = none kept */
    uint32_t anomalies_cap;      /* room in m.anomalies */
    /* client dir + 1 the HASSHes and negotiation were worked out for; 0 =
     * stale. Next to derive_due: sd_ssh_meta_late reads both at the end */
    int hassh_cdir;
    bool derive_due;             /* sdp_touch left the derivation for later (sd_ssh_meta_get) */
    bool after_close_read[2];    /* sd_ssh_after_close_read said */
    bool hostkey_from_33;        /* the host key came from a DH-GEX reply */
    uint8_t n_early;
    bool flip_noted;
    bool claim_noted;            /* SD_SSH_AN_ROLE_CLAIM said */
    /* The meta, its rarely written strings last (sd_ssh.h): from there on
     * sd_ssh_new zeroes no more than their first bytes. */
    sd_ssh_meta m;
    /* Last, and not zeroed by sd_ssh_new: each is written before it is
     * read (terrapin_suite by a negotiation not in the memo, a slot of neg
     * before the meta points to it), and on a brute force the memo's
     * negotiation leaves their eleven lines untouched (issue #11). */
    char terrapin_suite[SD_SSH_TERRAPIN_SUITE];
    char neg[8][NAME_MAX_LEN];   /* negotiated names the meta points to when not the memo's */
    /* Each direction's line buffer while its line fits (d[].line points
     * here, no heap block): a banner is ~40 bytes, and a heap block with
     * its free cost ~260 instructions a direction (issue #11). */
    uint8_t line0[2][SDP_LINE_INLINE];
};

/* Records a protocol anomaly of direction dir (at most SD_SSH_MAX_ANOMALIES
 * kept, all counted). */
void sdp_anomaly(sd_ssh *s, int dir, sd_ssh_anom_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The major version of a protoversion string: 1, 2, 199 for "1.99", 0. */
int sdp_proto_major(const char *p);
/* Which role markers a kex name-list of n bytes (NULL: none) holds: RFC
 * 8308 section 2.1 ext-info-c/-s, OpenSSH PROTOCOL 1.9 kex-strict-c/-s. */
enum { SDP_MARK_EXT_C = 1, SDP_MARK_EXT_S = 2, SDP_MARK_STRICT_C = 4, SDP_MARK_STRICT_S = 8 };
unsigned sdp_kex_marks(const char *kex, size_t n);
/* Recomputes everything that depends on the roles or on both sides. */
void sdp_derive(sd_ssh *s);
/* True when sdp_derive would read and write only s: the client it would
 * decide is the one the HASSHes and negotiation were worked out for (no
 * memo entry touched) and no mid-stream settle is due (its records go to
 * the caller). Such a derivation may run on another thread than the
 * parser's feeds (sd_ssh_meta_late). */
bool sdp_derive_local(sd_ssh *s);
/* After a chunk: the roles now (emit reads them), the rest of the
 * derivation when it is next needed (sdp_derive's callers in the parser:
 * a KEX reply, NEWKEYS; sd_ssh_meta_get), or now when the client flips
 * (its anomaly says this chunk's frame and offset). */
void sdp_touch(sd_ssh *s);
/* The BANNER and CLEAR states: consume bytes of p, return how many. */
size_t sdp_feed_banner(sd_ssh *s, int dir, const uint8_t *p, size_t n);
size_t sdp_feed_clear(sd_ssh *s, int dir, const uint8_t *p, size_t n);
/* NKWAIT's held bytes (SD_SSH_NK_PEEK of them) decide: true when they
 * start a cleartext key exchange packet, and the NEWKEYS before them is
 * taken back (said as an unexpected message); the state is CLEAR or ENC. */
bool sdp_newkeys_settle(sd_ssh *s, int dir);
/* A cut of n bytes at the current offset in the CLEAR state: the packet
 * being read ends in it or after it (its message type, when captured, is
 * taken for what it says); returns the cut bytes it accounts for (all of
 * them when the state is no longer CLEAR or the framing was lost). */
uint64_t sdp_cut_clear(sd_ssh *s, int dir, uint64_t n);
/* CUTLOST: a segment's start is no cleartext packet and the peer is
 * encrypted: the side is encrypted from end_off (sd_ssh_cut's NEWKEYS). */
void sdp_newkeys_cut(sd_ssh *s, int dir, uint64_t end_off);
/* A cut in the BANNER state: a line begun with "SSH-" is the banner, cut
 * (true: the side goes on); false: the side stops as at a gap. */
bool sdp_cut_banner(sd_ssh *s, int dir);
/* The packet_length of the cleartext packet b[0..SD_SSH_NK_PEEK) can
 * start, of a message type in [lo, hi], or 0 (RFC 4253 section 6: a
 * length within SD_SSH_MAX_PACKET, padding_length 4 or more, the padding
 * and the type inside the packet). The block alignment is the caller's to
 * ask: sdp_feed_clear notes a packet without it and reads on. */
uint32_t sdp_clear_head_len(const uint8_t *b, uint8_t lo, uint8_t hi);
/* Whether b[0..SD_SSH_NK_PEEK) can start a cleartext packet: length,
 * padding, block alignment, a transport or key exchange message type. */
bool sdp_clear_head(const uint8_t *b);
/* RESYNC found a NEWKEYS packet ending at end_off: the side is encrypted
 * from there (its KEXINIT may have been lost: no newkeys_before_kexinit). */
void sdp_newkeys_resync(sd_ssh *s, int dir, uint64_t end_off);

/* ---- sd_ssh_mid.c (opts.midstream_ok only) ---- */

/* Chunk sizes sd_ssh_mid.c counts for the suite estimate: a keystroke's
 * record is 28 to 96 bytes in the suites it tries. */
#define SD_SSH_MID_SMALL 128u
/* Called with each chunk before it is parsed: a direction whose first
 * bytes are no banner goes to ST_ENC (unsplit), and its first bytes and
 * chunk sizes are looked at. */
void sdp_mid_feed(sd_ssh *s, int dir, const uint8_t *p, size_t n);
/* Both directions looked encrypted / one did not (then not SSH). */
/* A segment of dir that sdp_mid_feed saw the captured start of, wire
 * bytes long as sent (more than captured where the snaplen cut it): its
 * size counts for the suite estimate. */
void sdp_mid_segment(sd_ssh *s, int dir, uint32_t wire);
bool sdp_mid_claimed(const sd_ssh *s);
bool sdp_mid_refused(const sd_ssh *s);
/* meta.midstream, the outcome and the guessed suite (from sdp_derive). */
void sdp_mid_settle(sd_ssh *s);
/* The suite whose keystroke (SD_SSH_P_KEYSTROKE) has the commonest client
 * chunk size some suite's keystroke has (n: chunks by size; clear: those
 * that begin with a length in clear, clear_len the last such; echo, or
 * NULL for no such check: the server chunks of each size right after a
 * client chunk of that size, a size none echoes being no keystroke's),
 * else the first that nearly every chunk fits as one packet: its index in
 * the tried list, or -1. */
int sdp_mid_pick(const uint16_t n[SD_SSH_MID_SMALL + 1], const uint16_t clear[SD_SSH_MID_SMALL + 1],
                 const uint8_t clear_len[SD_SSH_MID_SMALL + 1], const uint16_t *echo, sd_ssh_suite *out);
/* When sdp_mid_pick finds none (no keys, too few client records): the
 * first suite that nearly every small record of both directions together
 * fits as one packet, each direction having one, its smallest record a
 * channel control message's size (sd_ssh_mid.c MID_BOTH_CTRL_MAX); the
 * tried list's index, or -1. */
int sdp_mid_pick_both(const uint16_t n[2][SD_SSH_MID_SMALL + 1], const uint16_t clear[2][SD_SSH_MID_SMALL + 1],
                      const uint8_t clear_len[2][SD_SSH_MID_SMALL + 1], sd_ssh_suite *out);

#endif
