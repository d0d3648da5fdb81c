/* sd_ssh: one SSH connection's protocol parser, fed with reassembled bytes.
 *
 * The parser takes two plain byte streams (no TCP assumptions), so the same
 * code parses an SSH session seen on a TCP connection and, later, one that
 * is tunnelled inside another session's channel. Feeding is resumable at any
 * byte boundary: every partial line, header and packet is kept in the
 * parser between calls. It never prints: results go into sd_ssh_meta (read
 * with sd_ssh_meta_get) and encrypted-record events go to opts.record.
 *
 * Directions are the caller's: 0 and 1. The caller's hint says which one is
 * the client (normally the TCP originator, dir 0); content evidence (KEX
 * method messages, ext-info/kex-strict markers, server-only pre-banner
 * lines) overrides the hint and is reported in meta.client_dir_evidence.
 *
 * What is parsed:
 *  - banners (RFC 4253 section 4.2) with lines before them (pre-banner text
 *    servers may send), SSH-1.x / 1.99 / 2.0;
 *  - the cleartext binary packets of each direction until its NEWKEYS:
 *    KEXINIT (name-lists, first_kex_packet_follows), KEX reply (host key),
 *    any other message (a Terrapin-style injection indicator);
 *  - the negotiated algorithms (RFC 4253 section 7.1), HASSH/hasshServer;
 *  - after NEWKEYS: with a length-in-clear suite (ETM MACs, AES-GCM) the
 *    encrypted stream is split into exact SSH packets; otherwise the caller
 *    may push TCP-segment-level records with sd_ssh_segment.
 *
 * Feed the two directions in capture order (as the engine delivers them):
 * a direction's suite is fixed at its NEWKEYS from the KEXINITs seen by
 * then. If the peer's KEXINIT has not been fed yet (only possible when one
 * direction is fed far ahead of the other, or in half-duplex captures),
 * the suite stays unknown and only segment-level records are produced.
 *
 * Rekeys after the first NEWKEYS are encrypted and not visible; only
 * KEXINITs seen in the clear are counted (meta side.kexinit_count).
 *
 * Memory: per direction at most one packet (<= SD_SSH_MAX_PACKET) is held,
 * plus the strings kept in the meta (name-lists capped at
 * SD_SSH_MAX_NAMELIST each). */
#ifndef SD_SSH_H
#define SD_SSH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../common/sd_common.h"
#include "sd_ssh_size.h"

/* RFC 4253 section 4.2: the identification line is at most 255 bytes
 * including CR LF. Longer lines are flagged (banner_long). OpenSSH
 * (kex_exchange_identification) reads lines of up to SSH_MAX_BANNER_LEN
 * (8192) bytes without CR LF, and up to SSH_MAX_PRE_BANNER_LINES (1024)
 * lines before the version: strider accepts the same, so a peer cannot hide
 * a connection OpenSSH would take. Beyond those it goes on, with an anomaly
 * (line_too_long: the line is cut to SD_SSH_MAX_LINE; prebanner_limit), and
 * gives up (not SSH) only after SD_SSH_MAX_BANNER_BYTES without a banner:
 * four times the most an OpenSSH peer may send before its version. */
#define SD_SSH_RFC_LINE 255u
#define SD_SSH_MAX_LINE 8192u
#define SD_SSH_MAX_PREBANNER_LINES 1024u
#define SD_SSH_MAX_BANNER_BYTES (4u * (SD_SSH_MAX_PREBANNER_LINES + 1u) * (SD_SSH_MAX_LINE + 2u))
/* Pre-banner text kept (bytes). */
#define SD_SSH_MAX_PREBANNER 2048u
/* A name-list longer than this is an anomaly (Zeek's max-* weirds use
 * similar caps; real lists are under 2 KiB) and is kept cut to it. */
#define SD_SSH_MAX_NAMELIST (64u * 1024u)
#define SD_SSH_MAX_ANOMALIES 32u

/* The ten name-lists of KEXINIT (RFC 4253 section 7.1), in wire order. */
enum {
    SD_SSH_NL_KEX = 0,
    SD_SSH_NL_HOSTKEY,
    SD_SSH_NL_ENC_C2S,
    SD_SSH_NL_ENC_S2C,
    SD_SSH_NL_MAC_C2S,
    SD_SSH_NL_MAC_S2C,
    SD_SSH_NL_COMP_C2S,
    SD_SSH_NL_COMP_S2C,
    SD_SSH_NL_LANG_C2S,
    SD_SSH_NL_LANG_S2C,
    SD_SSH_NL_COUNT
};

/* Message numbers used (RFC 4250 section 4.1, RFC 4253, RFC 4419,
 * RFC 5656, RFC 8308, OpenSSH PROTOCOL). */
enum {
    SD_SSH_MSG_DISCONNECT = 1,
    SD_SSH_MSG_IGNORE = 2,
    SD_SSH_MSG_UNIMPLEMENTED = 3,
    SD_SSH_MSG_DEBUG = 4,
    SD_SSH_MSG_EXT_INFO = 7,
    SD_SSH_MSG_KEXINIT = 20,
    SD_SSH_MSG_NEWKEYS = 21,
    SD_SSH_MSG_KEX_FIRST = 30,  /* 30..49: key exchange method specific */
    SD_SSH_MSG_KEX_LAST = 49,
    SD_SSH_MSG_PING = 192,      /* OpenSSH ping@openssh.com */
};

typedef enum sd_ssh_anom_code {
    SD_SSH_AN_BANNER_LONG = 1,   /* identification line > 255 bytes (kept) */
    SD_SSH_AN_LINE_TOO_LONG,     /* a line > SD_SSH_MAX_LINE before the banner: cut (kept going) */
    SD_SSH_AN_PREBANNER_CLIENT,  /* non-banner lines from the client side (RFC: server only) */
    SD_SSH_AN_PREBANNER_LIMIT,   /* > SD_SSH_MAX_PREBANNER_LINES before the banner (kept going) */
    SD_SSH_AN_BANNER_BAD,        /* "SSH-" line without protoversion-softwareversion, or with a NUL */
    SD_SSH_AN_PKT_TOO_LONG,      /* packet_length > 256 KiB: stopped */
    SD_SSH_AN_PKT_TOO_SHORT,     /* packet_length < 5 or padding >= length: stopped */
    SD_SSH_AN_PKT_ALIGN,         /* 4+packet_length not a multiple of 8 (kept going) */
    SD_SSH_AN_PAD_SHORT,         /* padding_length < 4 (kept going) */
    SD_SSH_AN_KEXINIT_BAD,       /* truncated KEXINIT / name-list: stopped */
    SD_SSH_AN_NAMELIST_LONG,     /* a name-list > SD_SSH_MAX_NAMELIST: cut (kept going) */
    SD_SSH_AN_NAMELIST_CHARS,    /* NUL or control bytes in a name-list (replaced) */
    SD_SSH_AN_UNEXPECTED_MSG,    /* non-KEX message before NEWKEYS (Terrapin indicator) */
    SD_SSH_AN_KEXINIT_REPEAT,    /* a second KEXINIT in the clear */
    SD_SSH_AN_HOSTKEY_BAD,       /* KEX reply whose host key blob does not parse */
    SD_SSH_AN_GAP,               /* bytes missing from the capture: framing lost (cleartext: the NEWKEYS looked for) */
    SD_SSH_AN_ENC_LEN_BAD,       /* encrypted length impossible for the suite: splitting stopped */
    SD_SSH_AN_SUITE_UNKNOWN,     /* NEWKEYS but cipher/MAC unknown or not negotiated */
    SD_SSH_AN_NOT_SSH,           /* data that is not an SSH banner */
    SD_SSH_AN_VERSION_MISMATCH,  /* SSH-1 against SSH-2 */
    SD_SSH_AN_DIR_FLIP,          /* content evidence contradicts the caller's client hint */
    SD_SSH_AN_STREAM_CONFLICT,   /* a retransmission carried other bytes here (the first kept) */
    SD_SSH_AN_NEWKEYS_EARLY,     /* NEWKEYS before the sender's KEXINIT: no key exchange took place */
    SD_SSH_AN_ROLE_CLAIM,        /* one side's content alone contradicts a firm hint: the hint kept */
    SD_SSH_AN_AFTER_CLOSE,       /* bytes past the sender's FIN or RST: no receiver reads them, not analysed */
    SD_SSH_AN_SNAPLEN_CUT,       /* the capture's snaplen cut this side's payload: read from sizes from here */
    SD_SSH_AN_BANNER_CUT,        /* the identification line was cut by the snaplen: kept as captured */
    SD_SSH_AN_KEXINIT_CUT,       /* a KEXINIT cut by the snaplen: no lists, no HASSH for this side */
    SD_SSH_AN_NEWKEYS_INFERRED,  /* NEWKEYS in bytes the snaplen cut: encryption taken from the sizes */
    SD_SSH_AN_SUITE_FROM_SIZES,  /* no KEXINIT pair to negotiate from: the framing taken from record sizes */
    SD_SSH_AN_URGENT,            /* a TCP urgent byte: out of the stream, as the peer's socket reads it */
} sd_ssh_anom_code;

/* Terrapin's reason: its suite half (SD_SSH_TERRAPIN_SUITE) and one
 * clause per side, "; N msg before NEWKEYS from server (type T frame F)",
 * at most 80 bytes with a 32-bit N and a 64-bit F. 96 bytes in all cut the
 * clauses off on the Terrapin artifacts' ext_downgrade_* captures (the
 * server's injected message lost: hostile round 11). */
#define SD_SSH_TERRAPIN_SUITE 96
#define SD_SSH_TERRAPIN_REASON (SD_SSH_TERRAPIN_SUITE + 2 * 80)

typedef struct sd_ssh_anomaly {
    sd_ssh_anom_code code;
    int dir;               /* caller's direction */
    uint64_t frame;        /* frame of the byte that revealed it */
    uint64_t offset;       /* stream offset in that direction */
    char detail[80];
} sd_ssh_anomaly;

/* How the SSH conversation ended up, for scan classification
 * (Zeek/Corelight style). Computed from what was seen so far. */
typedef enum sd_ssh_outcome {
    SD_SSH_OUT_NONE = 0,          /* no SSH banner seen (yet) */
    SD_SSH_OUT_NOT_SSH,           /* data seen, no banner: not SSH */
    SD_SSH_OUT_VERSION_ONLY,      /* banners exchanged, no KEXINIT */
    SD_SSH_OUT_NON_SSH_AFTER_BANNER, /* banner, then bytes that are not SSH packets */
    SD_SSH_OUT_CAPABILITIES_ONLY, /* KEXINIT seen, no NEWKEYS */
    SD_SSH_OUT_KEX_INCOMPLETE,    /* NEWKEYS in one direction only */
    SD_SSH_OUT_ENCRYPTED,         /* NEWKEYS both ways: session went encrypted */
    SD_SSH_OUT_SSH1,              /* protocol 1 session (not parsed past banners) */
} sd_ssh_outcome;

typedef enum sd_ssh_evidence {
    SD_SSH_EV_HINT = 0,   /* nothing contradicted the caller's hint */
    SD_SSH_EV_PREBANNER,  /* only a server may send lines before its banner */
    SD_SSH_EV_KEXINIT,    /* ext-info-c/-s or kex-strict-c/-s markers */
    SD_SSH_EV_KEXMSG,     /* KEX method messages: 30/32/34 client, 31/33 server */
} sd_ssh_evidence;

/* Everything one endpoint sent, in the order it sent it. */
/* Bytes of a negotiated name's slot in the parser: a name's longest with
 * its NUL. */
#define SD_SSH_NEG_SLOT 72

typedef struct sd_ssh_side {
    /* What each encrypted record reads and writes (sd_ssh.c feed_in,
     * feed_enc, emit), first: 56 bytes, one cache line of a parser that has
     * gone cold between a brute-force connection's segments, for each side
     * (the side is 6 lines, so side[1] starts on a line too: sd_ssh.c's
     * layout asserts; issue #11). */
    uint64_t bytes;              /* bytes fed (gaps excluded) */
    uint64_t enc_bytes;          /* bytes after NEWKEYS */
    uint64_t enc_records;        /* records emitted (exact packets or segments) */
    uint64_t enc_record_bytes;
    sd_ssh_suite suite;          /* what this side sends with; mode UNKNOWN if not known */
    bool newkeys_seen;
    bool splitting;              /* exact packets are being cut from the bytes */
    bool banner_seen;
    bool kexinit_seen;           /* first KEXINIT */

    uint64_t gap_bytes;

    /* banner */
    char *banner;                /* identification line without CR LF, or NULL */
    char *software;              /* softwareversion, or NULL */
    char *comments;              /* after the first space, or NULL */
    uint64_t banner_frame;
    sd_ts banner_ts;
    char *prebanner;             /* lines before the banner (LF-joined, capped) */
    char proto[16];              /* "2.0", "1.99", "1.5" */
    uint32_t prebanner_lines;
    bool banner_crlf;            /* ended with CR LF (RFC) rather than LF */

    /* first KEXINIT (kexinit_seen above) */
    uint32_t kexinit_count;      /* KEXINITs seen in the clear */
    uint64_t kexinit_frame;
    sd_ts kexinit_ts;
    uint8_t cookie[16];
    char *lists[SD_SSH_NL_COUNT]; /* all ten in one block (lists_block), one allocation per KEXINIT */
    char *lists_block;
    char *hassh_algorithms;      /* the pre-hash string */
    char hassh[33];              /* client: hassh, server: hasshServer ("" if no KEXINIT) */
    /* lists and hassh_algorithms are the run's KEXINIT memo's (sd_ssh_opts.memo):
     * they live as long as it and never change, so a writer may compare
     * them by address (sd_ssh_memo_gen) */
    bool lists_memo;
    bool lists_cut;              /* a list was longer than SD_SSH_MAX_NAMELIST: cut, no HASSH */
    bool first_kex_follows;
    bool strict_kex;             /* kex-strict-c/s-v00@openssh.com in its kex list */
    bool ext_info;               /* ext-info-c / ext-info-s in its kex list */
    bool ext_info_msg;           /* an EXT_INFO (7) seen in the clear */

    /* cleartext packets */
    uint8_t first_unexpected_type;
    uint32_t unexpected_msgs;    /* non-KEX messages before NEWKEYS */
    uint64_t clear_packets;
    uint64_t first_unexpected_frame;

    /* encryption (newkeys_seen, suite, splitting and the counts above) */
    uint64_t newkeys_frame;
    sd_ts newkeys_ts;
    uint64_t enc_offset;         /* stream offset of the first encrypted byte */

    uint64_t cut_bytes;          /* of gap_bytes, those the snaplen cut from captured segments */
    bool stopped;                /* cleartext/encrypted parsing gave up */
    bool banner_cut;             /* banner is the captured part of a line the snaplen cut */
    bool kexinit_cut;            /* its KEXINIT was cut by the snaplen (kexinit_seen stays false) */
    bool ssh1;                   /* this side speaks protocol 1 (not parsed) */
    /* to 6 whole lines (see above) */
    uint8_t line_pad[12];
} sd_ssh_side;

typedef struct sd_ssh_meta {
    /* Which caller direction is the client, and why. */
    int client_dir;
    sd_ssh_evidence client_dir_evidence;
    bool client_dir_flipped;     /* evidence disagreed with the hint */

    sd_ssh_side side[2];         /* by caller direction */

    int version;                 /* 1 or 2; 0 unknown or mismatch (Zeek's rule) */

    /* Negotiated (RFC 4253 section 7.1), NULL when not both KEXINITs were
     * seen or nothing matched. Index 0 = client to server, 1 = server to client. */
    const char *kex_alg;
    const char *hostkey_alg;
    const char *cipher[2];
    const char *mac[2];
    const char *comp[2];

    /* Host key from the KEX reply (31, or 33 for DH-GEX). */
    bool hostkey_seen;
    char hostkey_type[64];       /* key type inside the blob, e.g. "ssh-ed25519" */
    char hostkey_sha256[52];     /* "SHA256:" + unpadded base64, as ssh-keygen -l */
    char hostkey_md5[48];        /* colon hex, as ssh-keygen -l -E md5 (without "MD5:") */
    uint32_t hostkey_len;
    uint64_t kex_reply_frame;
    sd_ts kex_reply_ts;

    /* Strict KEX / Terrapin (CVE-2023-48795), ssh_inference.md 3.5. */
    bool strict_kex;             /* both markers present: active */
    bool terrapin;               /* exposed suite without strict KEX, or injected messages */

    sd_ssh_outcome outcome;
    /* Picked up mid-stream (sd_ssh_opts.midstream_ok): no banner, no key
     * exchange, both directions encrypted-looking from their first byte;
     * the login was before the capture. suite_guessed: both sides' suite
     * was estimated from the client's keystroke size, not negotiated. */
    bool midstream;
    bool suite_guessed;

    sd_ssh_anomaly *anomalies;   /* n_anomalies of them (NULL until the first): most connections have none */
    uint32_t n_anomalies;        /* kept */
    uint32_t anomalies_total;    /* including those beyond the cap */

    /* Strings most connections leave empty, last, so that the parser clears
     * only their first bytes (sd_ssh_new): 336 bytes, five
     * lines of a cold parser a connection not written (issue #11). Read
     * them as strings, never beyond their NUL. */
    char suite_guess[80];        /* with suite_guessed: "cipher" or "cipher + mac" */
    char terrapin_reason[SD_SSH_TERRAPIN_REASON]; /* with terrapin: why */
} sd_ssh_meta;

/* One encrypted record. With a length-in-clear suite it is one whole SSH
 * packet (exact); otherwise it is the encrypted part of one TCP segment
 * pushed with sd_ssh_segment (may hold several packets or part of one). */
typedef struct sd_ssh_record {
    int dir;                     /* caller's direction */
    bool from_client;
    bool exact;
    uint32_t wire_len;           /* bytes on the wire */
    uint32_t packet_length;      /* the clear length field (exact only), else 0 */
    uint64_t offset;             /* stream offset of the first byte */
    uint64_t index;              /* 0-based record number in this direction */
    uint64_t frame;              /* frame of the segment that completed it */
    sd_ts ts;
} sd_ssh_record;

/* KEXINIT name-lists kept once per distinct value for a run, with the
 * HASSHes and negotiations worked out from them (sd_ssh_memo.c): many
 * connections that send the same lists (a brute force, a scan) parse them
 * once. Capped (refused list sets are counted, and parsed per connection
 * as without a memo); the output is the same with or without one. Free it
 * after every parser that used it. */
typedef struct sd_ssh_memo sd_ssh_memo;
sd_ssh_memo *sd_ssh_memo_new(void);
void sd_ssh_memo_free(sd_ssh_memo *m); /* NULL ok */
uint64_t sd_ssh_memo_refused(const sd_ssh_memo *m); /* list sets not kept: the memo was full */
/* Moves each time any memo is freed: until it does, a memo string met at
 * an address is still that text there (entries never change while their
 * memo lives), so a writer may compare such strings by address. */
uint64_t sd_ssh_memo_gen(void);

typedef struct sd_ssh_opts {
    int client_hint;             /* caller direction believed to be the client (0 or 1) */
    bool hint_firm;              /* the hint is the TCP handshake's (SYN, SYN-ACK seen): content
                                    overturns it only when both sides' agrees (decide_client) */
    void (*record)(void *ud, const sd_ssh_record *r); /* may be NULL */
    void *ud;
    sd_ssh_memo *memo;           /* may be NULL (borrowed) */
    bool midstream_ok;           /* the connection's start was not seen and its port is an SSH
                                    server's: a direction that begins with no banner may be a session
                                    already under way (sd_ssh_mid.c) */
} sd_ssh_opts;

typedef struct sd_ssh sd_ssh;

/* opts may be NULL (hint 0, no record callback). Never returns NULL. */
sd_ssh *sd_ssh_new(const sd_ssh_opts *opts);
/* Bytes of direction dir, in stream order. frame/ts are those of the
 * segment that carried them (reported on events completed by these bytes). */
void sd_ssh_feed(sd_ssh *s, int dir, const uint8_t *data, size_t len, uint64_t frame, sd_ts ts);
/* len bytes of direction dir are missing from the capture. */
void sd_ssh_gap(sd_ssh *s, int dir, uint64_t len, uint64_t frame);
/* len bytes of direction dir are missing because the capture's snaplen cut
 * them from the end of the segment of frame (time ts): unlike a lost
 * segment, the bytes fed next start the following segment, so the parser
 * may resume its framing there (SD_SSH_AN_SNAPLEN_CUT and its kin). */
void sd_ssh_cut(sd_ssh *s, int dir, uint64_t len, uint64_t frame, sd_ts ts);
/* len bytes of direction dir lay past its sender's FIN or RST (the
 * reassembler's AFTER_FIN / AFTER_RST) and the receiver never ACKed them:
 * a receiver that took the FIN or RST never reads them, so they are
 * counted and flagged, not parsed (else a KEXINIT sent after the FIN would
 * set the client's HASSH). sd_sshconn holds them until it knows. */
void sd_ssh_after_close(sd_ssh *s, int dir, uint64_t len, uint64_t frame);
/* The receiver ACKed (in frame) bytes of dir past its sender's FIN or RST:
 * it never took the close (an insertion), so they are analysed; said once
 * a direction, under the same code. */
void sd_ssh_after_close_read(sd_ssh *s, int dir, uint64_t frame);
/* Bytes of dir at stream offset `offset` were contradicted by another copy
 * in frame (two banners at one sequence number): which copy the receiver
 * took depends on its stack, so the analysis is flagged, not trusted. */
void sd_ssh_conflict(sd_ssh *s, int dir, uint64_t frame, uint64_t offset);
/* An urgent byte of dir (the last one a TCP urgent pointer covers, in
 * frame) at stream offset `offset`: no SSH implementation sends one, and
 * the peer's socket (no SO_OOBINLINE: OpenSSH never sets it) reads the
 * stream without it; said as SD_SSH_AN_URGENT, oob telling whether the
 * byte was taken out of the bytes analysed. */
void sd_ssh_urgent(sd_ssh *s, int dir, uint64_t frame, uint64_t offset, bool oob);
/* One TCP segment's payload of direction dir, at stream offset `offset`
 * (as counted by feed/gap), of len bytes. Used only for suites whose
 * length is encrypted (chacha20-poly1305, encrypt-and-MAC) or unknown:
 * emits a non-exact record for the part at or after the encrypted start.
 * Call it after feeding the segment's bytes. */
void sd_ssh_segment(sd_ssh *s, int dir, uint64_t offset, uint32_t len, uint64_t frame, sd_ts ts);
/* sd_ssh_feed of one TCP segment's captured bytes, then its sd_ssh_segment
 * (wire: its payload's length on the wire, >= len where the snaplen cut
 * it): one call a segment for the usual caller (sd_sshconn.c). */
void sd_ssh_feed_segment(sd_ssh *s, int dir, const uint8_t *data, size_t len, uint32_t wire, uint64_t frame,
                         sd_ts ts);
/* Current stream offset (bytes fed + gaps) of a direction. */
uint64_t sd_ssh_offset(const sd_ssh *s, int dir);
/* True once a banner was seen on either side; false once both sides have
 * shown non-SSH data (the caller may stop feeding). */
bool sd_ssh_is_ssh(const sd_ssh *s);
bool sd_ssh_ruled_out(const sd_ssh *s);
/* The metadata so far; valid until the next feed/gap/segment/free. Not
 * const: what the parser derives from both sides (roles aside) is worked
 * out here when a chunk since changed it (sdp_touch). */
const sd_ssh_meta *sd_ssh_meta_get(sd_ssh *s);
/* sd_ssh_meta_get for a parser about to be handed to another thread
 * whole (sd_sshconn_result_take): a derivation due that reads and writes
 * only the parser (no HASSH or negotiation to work out from the shared
 * memo, no mid-stream settle, whose records go to opts.record) is left
 * for that thread's sd_ssh_meta_get, which must come before the meta is
 * read. Why: at a connection's end the parser has gone cold, and the
 * derivation read ~12 of its lines on the engine's thread (issue #11). */
const sd_ssh_meta *sd_ssh_meta_late(sd_ssh *s);
void sd_ssh_free(sd_ssh *s); /* NULL ok; frees everything the meta points to */
/* sd_ssh_free on another thread than the one that makes parsers (a parser
 * handed over whole when its connection ended): the arena's chunks go back
 * to that thread (sd_arena_free_remote). NULL ok. */
void sd_ssh_free_remote(sd_ssh *s);

/* Helpers, exported for tests and other modules. */
/* First entry of client_list also present in server_list (RFC 4253 7.1),
 * skipping the pseudo-algorithms ext-info-* and kex-strict-*. Writes it to
 * out (NUL-terminated) and returns its length, or -1 if none. */
int sd_ssh_negotiate(const char *client_list, const char *server_list, char *out, size_t outlen);
/* True if name is one of the comma-separated names of list. */
bool sd_ssh_list_has(const char *list, const char *name);

/* The connection's arena (sd_arena.h), freed with s: a caller's objects of
 * the same lifetime (its statistics) go there too. */
struct sd_arena;
struct sd_arena *sd_ssh_arena(sd_ssh *s);
/* "SHA256:..." (unpadded base64) and colon-hex MD5 of a key blob. */
void sd_ssh_fp_sha256(const uint8_t *blob, size_t len, char out[52]);
void sd_ssh_fp_md5(const uint8_t *blob, size_t len, char out[48]);
/* Both, as the two above give them (remembered for the last keys seen). */
void sd_ssh_fp_hostkey(const uint8_t *blob, size_t len, char sha256[52], char md5[48]);
const char *sd_ssh_anom_name(sd_ssh_anom_code c);
const char *sd_ssh_outcome_name(sd_ssh_outcome o);

#endif
