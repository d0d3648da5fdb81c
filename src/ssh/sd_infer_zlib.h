/* sd_infer_zlib.h: sizes on a compressed connection (zlib@openssh.com or
 * zlib, RFC 4253 section 6.2), for the rules that read a message from its
 * size (sd_infer*.c; internal, like sd_infer_int.h). With compression a
 * message's payload is deflate's output: its size depends on what the
 * stream carried before (deflate's window is the connection's, not the
 * message's), so a rule can no longer ask for one size. What stays true:
 *   - deflate never grows a message by more than Z_GROWTH: a record of a
 *     message of payload P is at most the wire size of Z_MAX(P);
 *   - a compressed packet is never empty: at least Z_PAYLOAD_MIN bytes;
 *   - zlib@openssh.com starts after USERAUTH_SUCCESS (OpenSSH PROTOCOL
 *     section 1.7 "delayed compression"): the authentication's sizes are
 *     the plain ones. The rules using these helpers run after login.
 * The rules then read the order and timing of the messages (an answer,
 * who speaks first, which side is larger) where the plain rule read one
 * exact size. Without compression every helper is the plain rule. */
#ifndef SD_INFER_ZLIB_H
#define SD_INFER_ZLIB_H

#include "sd_infer_int.h"

/* Deflate's worst growth of a message of p bytes flushed on its own
 * (zlib's Z_PARTIAL_FLUSH, OpenSSH packet.c compress_buffer): fixed
 * Huffman codes of at most 9 bits a byte (p / 8 more), a block header and
 * end code and the flush's empty block (2 bytes each), the 2-byte zlib
 * header on the stream's first packet, rounded up to 8 (RFC 1951 3.2.6,
 * RFC 1950 2.2). */
#define Z_GROWTH(p) ((p) / 8u + 8u)
#define Z_MAX(p) ((p) + Z_GROWTH(p))
/* The least compressed payload: a partial flush alone is 2 bytes. */
#define Z_PAYLOAD_MIN 2u
/* OpenSSH's sftp-server answers SSH_FXP_INIT with an SSH_FXP_VERSION
 * naming its extensions (sftp-server.c process_init: 11 in 9.2, about
 * 330 bytes of CHANNEL_DATA); their names have nothing to repeat before
 * them in the stream: deflate keeps at least this much of it (lab
 * matrix_aes256gcm-zlib: 356 bytes on the wire plain, 180 compressed). A
 * legacy scp's first answer (the "C0644 size name" line) or a command's
 * first output line after a client's first bytes stays below it. */
#define P_Z_SFTP_VERSION_MIN 96u
/* Incompressible data (a file already compressed or random) leaves
 * deflate as stored blocks: a 5-byte stored header and the partial
 * flush's 2 bytes, aligned to a byte, at most this much more per SFTP or
 * scp chunk than the chunk itself (RFC 1951 3.2.4; lab
 * matrix_aes256gcm-zlib: 16 bytes more per 32 KiB record than plain,
 * after AES-GCM's rounding to its block). A compressible file's bytes on
 * the wire are its compressed size: no size model recovers the file's. */
#define Z_STORED_FRAMING 8u
/* OpenSSH's scp (SFTP protocol) asks at most this many requests before
 * its data (limits@openssh.com, the STAT of the path given, the OPEN);
 * sftp host:file and sftp -b resolve "." (REALPATH) too and STAT the
 * file first: more. The plain rule reads the requests' sizes, which
 * compressed requests do not keep. */
#define Z_SCP_REQUESTS 3u
/* A tunnelled leg (a reverse or nested session) over a compressed outer
 * connection: its own packets are encrypted, so deflate cannot shrink
 * them, but the outer CHANNEL_DATA header (9 bytes, the same channel
 * every time) compresses to a few bytes and random bytes cost up to 9
 * bits each (RFC 1951 3.2.6): each record is the plain model's size
 * (outer.wire(9 + inner.wire(P))) moved by about the same offset in one
 * direction, learned from the leg's keys and their echoes (lab
 * dropbear_client_reverse: keys 8 bytes under the plain 76 through sshd's
 * zlib, echoes at the plain size through dbclient's). Offsets past
 * Z_TUNNEL_SHIFT_MAX are no key/echo pair; at least Z_TUNNEL_PAIRS pairs
 * of one shape are needed. */
#define Z_TUNNEL_SHIFT_MAX 24
/* Before the leg's keys teach its offset, one record of its handshake or
 * authentication is at the plain size or moved down by the outer header's
 * saving: the 9-byte CHANNEL_DATA header deflates to a byte or so against
 * deflate's history, at most Z_TUNNEL_HDR_SAVE bytes less, which the
 * outer cipher's padding rounds to at most one block more (lab
 * compress_reverse: the reverse leg's SERVICE_ACCEPT, FAILURE and PK_OK
 * at the plain size, its USERAUTH_SUCCESS 8 bytes under, 60 for 68). */
#define Z_TUNNEL_HDR_SAVE 8u
#define Z_TUNNEL_PAIRS 3u
/* A server message and what leaves with it (a WINDOW_ADJUST) may be read
 * as up to this many records in a row, where a plain rule reads the
 * message's exact size in one (lab dropbear_client_agent: the agent's
 * request as two 36-byte records). */
#define Z_RUN_RECORDS 2u

/* Whether a record of wire size len (one packet) can be a message of
 * payload p: its exact size, or compressed any size up to Z_MAX(p). */
bool sdi_z_is(const ctx *x, const sd_ssh_suite *s, uint32_t len, uint32_t p);
/* The least wire size of a message of payload p or more: its own, or
 * compressed the smallest packet's. */
uint32_t sdi_z_least(const ctx *x, const sd_ssh_suite *s, uint32_t p);
/* Whether a client record is one or two channel control packets (EOF,
 * CLOSE: payload P_CHANNEL_CTL each). */
bool sdi_z_ctl(const ctx *x, uint32_t len);
/* How soon a client's answer to a server message must follow it: plain
 * (the rule's own bound) where the sizes already name the messages;
 * compressed, where a key and its echo have a protocol answer's sizes
 * (every short record has one size under a block cipher), only the
 * machine's speed tells the client program's answer from a person's next
 * key: within REACT_MIN_S. */
double sdi_z_answer_s(const ctx *x, double plain);
/* The last record of the same side's run that starts at v[i], at most
 * Z_RUN_RECORDS long, compressed; plain: i. */
size_t sdi_z_run_end(const ctx *x, size_t i);
/* Per SFTP / scp chunk, deflate's stored-block framing: compressed
 * Z_STORED_FRAMING, plain 0. */
uint32_t sdi_z_chunk_framing(const ctx *x);
/* Compressed, which OpenSSH client drives an sftp session nobody types
 * in, from how many requests come before its data (b: the transfer's
 * first record): 1 sftp, 0 scp; plain -1 (the sizes decide). */
int sdi_z_sftp_client(const ctx *x, size_t b);
/* The size a one-character echo has on this leg, learned from its keys:
 * compressed, deflate shrinks a repeated short echo below the plain
 * echo's size (we) where the cipher's block leaves room (lab
 * dropbear_client_aes128ctr-sha256: 48 bytes where a plain echo is 64,
 * while a completion, a recalled line or a prompt after a command without
 * output fill the 64): the commonest size of the server's first answer,
 * within PAIR_ECHO_S, to a client record of a key's size (wk) in
 * v[from, to), at most we; plain, or with no answer seen: we. */
uint32_t sdi_z_echo(const ctx *x, const leg *L, size_t from, size_t to, uint32_t wk, uint32_t we);
/* The tunnelled leg L's offsets (L->zshift) over v[from, to) when the
 * outer connection is compressed: the commonest key / echo pair of sizes
 * near the plain model's; left 0 plain, or with too few pairs. */
void sdi_z_tunnel_learn(const ctx *x, leg *L, size_t from, size_t to);
/* The least wire size a message of payload p of the tunnelled leg L
 * (cl: its client's) has over a compressed outer connection before any
 * offset is learned: the plain model's less Z_TUNNEL_HDR_SAVE rounded up
 * to the outer block; plain, or not tunnelled: the plain size. */
uint32_t sdi_z_tunnel_least(const ctx *x, const leg *L, bool cl, uint32_t p);
/* sftp on a compressed connection, where neither the subsystem request
 * nor SSH_FXP_INIT has a fixed size: the client's first record after the
 * requests (q) is at most an SSH_FXP_INIT's, sent within SFTP_INIT_S, and
 * the server's next record is an SSH_FXP_VERSION with extensions (at
 * least P_Z_SFTP_VERSION_MIN compressed), and the client's next record is
 * not answered by bulk data (legacy scp's acknowledgement of its file's
 * line is). */
bool sdi_z_sftp_init(const ctx *x, const reqs *q);

#endif
