/* sd_infer_midkind: the kind of a session picked up mid-stream that shows
 * no terminal (sd_infer_int.h sdi_mid_kind). Its channel open and requests
 * came before the capture, so the kind is read from what its traffic does:
 *
 *  - sftp: bulk one way answered per chunk the other way. An SFTP client
 *    writes in requests of at most 32 KiB (OpenSSH's sftp and scp, -B
 *    32768; psftp 4 KiB) and the server answers each WRITE with a STATUS;
 *    it reads with one READ request per chunk the server sends as DATA.
 *    A command's bulk (cat, tar) or a forwarded channel's is answered by
 *    WINDOW_ADJUSTs only, one per half window (OpenSSH's session and
 *    direct-tcpip windows are 2 MiB: one per MiB or none at all).
 *  - forward-only (-N, a forward alone): every record after the cut is a
 *    forwarded channel's (sdi_forwards' opens, confirmations and data), or
 *    a control packet's size (keep-alives).
 *    A ControlMaster's (ssh -M -N) sftp or scp channel moves the same
 *    bulk with the same answers; its connection outlives the channel
 *    (sftp_master_lingered) where sftp's and scp's own client leaves at
 *    once, so it reads forward-only with the transfers kept.
 *  - exec: the server sends output nobody asked for (a command's progress,
 *    watch, top), or bulk goes one way without per-chunk answers.
 *  - unknown: none of these (an idle session, only request/answer
 *    exchanges, too little bulk): not guessed. */
#include "sd_infer_int.h"

#include <string.h>

/* Bytes of bulk one way before its answers tell sftp from a command:
 * two OpenSSH sftp chunks (a 64 KiB file has two WRITEs or READs). */
#define MIDK_BULK_MIN 65536u
/* Bytes of client bulk before two answers tell an sftp upload: more than
 * one OpenSSH sftp chunk (32 KiB), so at least two WRITEs moved it. The
 * server answers each WRITE with a STATUS only after its data, so a cut
 * inside the upload keeps the answers to the chunks after it (lab
 * sendenv_scp_* cut at login+20, scp over SFTP: 56-61 KiB of a 64 KiB
 * upload, then three STATUSes, read `unknown` under MIDK_BULK_MIN). A
 * download's READs come before the DATA they ask for, its small records
 * after the bulk need not be answers (a VNC client's update requests
 * through -L, lab tunnel_desktop; a ProxyJump carrier's nested acks,
 * sftp_jump: both read `sftp` with this bound), so it keeps
 * MIDK_BULK_MIN. */
#define MIDK_SFTP_UPLOAD_MIN 32769u
/* sftp: at least one answer the other way per this many bulk bytes (one
 * per 32 KiB chunk is sftp's; a margin for requests merged in a segment). */
#define MIDK_SFTP_BYTES_PER_ANSWER 98304u
/* sftp: at least this many answers, one per chunk of the MIDK_BULK_MIN
 * bulk's two (a lone answer-sized record after bulk is no sftp: lab
 * exec_forward cut at login+20, 85 kB of HTTP responses through a -L
 * forward and then, 1 s later, the next channel's 92-byte open). */
#define MIDK_SFTP_ANSWERS_MIN 2u
/* A command or a forward: at most one answer per this many bulk bytes (a
 * WINDOW_ADJUST per MiB, a few more where a capture splits them). */
#define MIDK_EXEC_BYTES_PER_ANSWER 262144u
/* The answers to a bulk run's last chunks arrive up to a round trip after
 * it (s; a satellite link's ~0.6 s and a margin). */
#define MIDK_ANSWER_S 1.5
/* A server record this long after every earlier record is output nobody
 * asked for (s): longer than any answer's round trip (MIDK_ANSWER_S). */
#define MIDK_UNPROMPTED_S 1.5
/* Records before the first forward channel open seen that may be a
 * channel's opened before the capture (an HTTP response's tail). */
#define MIDK_IN_FLIGHT_MAX 16u
/* A client record this soon after a server record answers it (s): a
 * satellite link's round trip, ~0.6 s, for a capture at the server. */
#define MIDK_ANSWERED_S 0.7
/* Unprompted server records needed to read a command. */
#define MIDK_UNPROMPTED_MIN 2u

/* The largest SFTP answer to a chunk (bytes of channel data): a READ
 * (uint32 length, byte type, uint32 id, string handle, uint64 offset,
 * uint32 length: 29 with OpenSSH's 4-byte handle) with a handle up to 32
 * bytes, or a STATUS with a message up to 36 bytes ("Success" in
 * OpenSSH's). An HTTP request through a forward (curl's GET with its Host,
 * User-Agent and Accept lines: about 80) is larger. */
#define MIDK_SFTP_ANSWER_MAX 64u
/* The smallest SFTP answer to a chunk (bytes of channel data): a STATUS
 * with empty message and language tags (uint32 length, byte type, uint32
 * id, uint32 code, two empty strings); a READ is larger. rsync's
 * multiplexed messages after its bulk (a 4-byte header and a few bytes:
 * lab rsync's push cut at login+5, 44-byte records in chacha20-poly1305
 * where such a STATUS takes 56) are smaller. */
#define MIDK_SFTP_ANSWER_MIN 21u
/* Answer sizes remembered (wire bytes): above any suite's
 * MIDK_SFTP_ANSWER_MAX record (a 64-byte MAC's 144). */
#define MIDK_SEEN_MAX 256u
/* Echoed lines that tell a terminal mid-stream (sdi_mid_line_echoes):
 * a script's lines through a pty (paramiko's invoke_shell, lab
 * paramiko_shell cut at login+20: three lines, 80, 64 and 64 bytes, each
 * echoed at once in a record of its size and followed by the command's
 * output) type no one-byte keys to pair. Two, where PTY_PAIRS asks three
 * keys: a whole line echoed with output after it is what a terminal
 * does, and a command without one (its stdin copied to its stdout, cat)
 * gives no second record. */
#define MIDK_LINE_ECHOES_MIN 2u
/* A connection that lives on this long after its channel closed (s) is a
 * ControlMaster's with no session of its own (ssh -M -N): sftp's and
 * scp's own client sends its DISCONNECT right after its CHANNEL_CLOSE,
 * with no round trip between (the lab's 108 sftp and scp sessions cut at
 * login+5 and +20, OpenSSH's, PuTTY's and paramiko's: their last record
 * within 1 ms of the one before), while a
 * master stays until told to exit (ssh -O exit: lab mux_n_* 1.0-1.07 s
 * after its last client's channel closed; ControlPersist: minutes). */
#define MIDK_MASTER_LINGER_S 0.5
/* RFC 4254 5.2: CHANNEL_WINDOW_ADJUST: byte, uint32 channel, uint32 bytes. */
#define P_WINDOW_ADJUST 9u
/* Bulk bytes per direction and the small records of the other direction
 * that came after its first bulk record and within MIDK_ANSWER_S of the
 * last one before them. */
typedef struct midk_bulk {
    uint64_t bytes[2];
    uint32_t answers[2];
} midk_bulk;

/* The wire sizes an SFTP answer may have in one direction: lo to top,
 * and ctl, a WINDOW_ADJUST's. */
typedef struct midk_sizes {
    uint32_t ctl, lo, top;
} midk_sizes;

/* How many SFTP answers the record of len bytes holds: one when it has
 * an answer's size (z->lo to z->top); a larger one may be pipelined
 * requests sent together (PuTTY's pscp sends its READs in batches, a
 * WINDOW_ADJUST with them): k of one size seen alone (seen[]) plus at
 * most one WINDOW_ADJUST. An HTTP request is one larger packet of its own
 * size. */
static uint32_t answers_in(uint32_t len, const midk_sizes *z, const bool *seen)
{
    uint32_t ctl = z->ctl, top = z->top;
    if (len >= z->lo && len <= top)
        return 1;
    for (uint32_t a = z->lo; a <= top && a < MIDK_SEEN_MAX; a++)
        for (uint32_t j = 0; seen[a] && j <= 1 && len > j * ctl; j++)
            if ((len - j * ctl) % a == 0 && (len - j * ctl) / a >= 2)
                return (len - j * ctl) / a;
    return 0;
}

static void bulk_runs(const ctx *x, size_t s0, midk_bulk *b)
{
    memset(b, 0, sizeof *b);
    /* a WINDOW_ADJUST, a legacy scp's one-byte ack, an EOF or a CLOSE:
     * no sftp answer (its STATUS and READ are 21 and 29 bytes of data) */
    midk_sizes z[2]; /* [1]: the client's */
    for (int c = 0; c < 2; c++) {
        const sd_ssh_suite *su = c ? x->cs : x->ss;
        uint32_t ctl = sd_ssh_wire_size(su, P_WINDOW_ADJUST);
        uint32_t lo = sd_ssh_wire_size(su, SD_SSH_P_CHANNEL_DATA(MIDK_SFTP_ANSWER_MIN));
        z[c] = (midk_sizes){ .ctl = ctl, .lo = lo > ctl ? lo : ctl + 1,
                             .top = sd_ssh_wire_size(su, SD_SSH_P_CHANNEL_DATA(MIDK_SFTP_ANSWER_MAX)) };
    }
    bool seen[2][MIDK_SEEN_MAX] = { { false } }; /* [1]: the client's answer sizes seen alone */
    for (size_t i = s0; i < x->n; i++) {
        const item *it = &x->v[i];
        if (it->len >= z[it->c].lo && it->len <= z[it->c].top && it->len < MIDK_SEEN_MAX)
            seen[it->c][it->len] = true;
    }
    for (int d = 0; d < 2; d++) {
        bool c = d == 0;
        bool bulk = false; /* a bulk record, the last at time last */
        double last = 0;
        for (size_t i = s0; i < x->n; i++) {
            const item *it = &x->v[i];
            if (it->c == c && it->len >= XFER_RECORD) {
                bulk = true;
                last = it->t;
                b->bytes[d] += it->len;
            } else if (it->c != c && it->len < XFER_RECORD && bulk && it->t - last <= MIDK_ANSWER_S) {
                b->answers[d] += answers_in(it->len, &z[!d], seen[it->c]);
            }
        }
    }
}

/* Server records after a silence of both sides (MIDK_UNPROMPTED_S), and
 * with paint those after PAINT_GAP_S with no client record since the
 * server's last (a screen redrawn every second: watch -n1, top -d 1),
 * that the client does not answer within MIDK_ANSWERED_S: a request the
 * server makes (a -R channel's open, a key of a reverse session, a
 * keep-alive) is answered at once, a command's output is not (lab
 * wanc220_demo at login+5: a reverse session's open and key, each
 * confirmed or echoed by the client, read as a command's output). */
static uint32_t unprompted(const ctx *x, size_t s0, bool paint)
{
    uint32_t n = 0;
    for (size_t i = s0 + 1; i < x->n; i++) {
        double gap = x->v[i].t - x->v[i - 1].t;
        n += !x->v[i].c && (gap >= MIDK_UNPROMPTED_S || (paint && !x->v[i - 1].c && gap >= PAINT_GAP_S)) &&
             !(i + 1 < x->n && x->v[i + 1].c && x->v[i + 1].t - x->v[i].t <= MIDK_ANSWERED_S);
    }
    return n;
}

/* Whether v[i] is echoed: a client record sent after a pause (not a
 * program's answer to the server, REACT_MIN_S), at least a key's size (a
 * short line has one under 16-byte blocks: "id\r", lab paramiko_shell)
 * and under a bulk record, whose next record is the server's, of the same
 * wire size (a key's or a line's echo), within the echo window. */
static bool echoed(const ctx *x, size_t i, uint32_t wk, double echo_s)
{
    const item *l = &x->v[i], *e = &x->v[i + 1];
    return l->c && l->len >= wk && l->len < XFER_RECORD && !(i > 0 && !x->v[i - 1].c && l->t - x->v[i - 1].t < REACT_MIN_S) &&
           !e->c && e->len == l->len && e->t - l->t < echo_s;
}

/* A line is echoed and then followed by the server's next record (the
 * command's output or the prompt) before the client's next one; a key
 * typed into a line is echoed alone. A script sends lines, each answered
 * so; a person's keys mostly are not (a session tunnelled through two
 * hops, lab proxyjump_two at login+20: 116-byte key/echo pairs, two of
 * fifteen followed by output), so lines must be at least as many as the
 * echoes alone. */
size_t sdi_mid_line_echoes(const ctx *x, size_t s0)
{
    uint32_t wk = sd_ssh_wire_size(x->cs, SD_SSH_P_KEYSTROKE);
    double echo_s = PAIR_ECHO_S + x->s_lag; /* as a key's echo (echo_pairs) */
    uint32_t lines = 0, alone = 0;
    size_t first = SIZE_MAX;
    for (size_t i = s0; i + 2 < x->n; i++) {
        if (!echoed(x, i, wk, echo_s))
            continue;
        if (x->v[i + 2].c) {
            alone++;
            continue;
        }
        first = lines++ ? first : i;
    }
    return lines >= MIDK_LINE_ECHOES_MIN && lines >= alone ? first : SIZE_MAX;
}

/* Bulk one way (d 1: the server's) answered per chunk the other way:
 * either way, so an upload and a download at once (two scp through a
 * ControlMaster, lab mux_n_xfer_aes128gcm: the download's READs all sent
 * before its data, the upload's STATUSes after) read by the one whose
 * answers come after its chunks. */
static bool sftp_bulk(const midk_bulk *b, int d)
{
    uint64_t by = b->bytes[d];
    return by >= (d ? MIDK_BULK_MIN : MIDK_SFTP_UPLOAD_MIN) && b->answers[d] >= MIDK_SFTP_ANSWERS_MIN &&
           (uint64_t)b->answers[d] * MIDK_SFTP_BYTES_PER_ANSWER >= by;
}

/* The connection closed (a FIN or RST, either side's first: lab
 * mux_n_xfer_s10000's server FINs first), the client's last record (its
 * DISCONNECT) sent MIDK_MASTER_LINGER_S or more after its record before,
 * its own (the channel's CLOSE answering the server's): the connection
 * outlived its sftp channel, a ControlMaster's. A capture that merely
 * ends says nothing of what came next. */
static bool sftp_master_lingered(const ctx *x, size_t s0)
{
    const sd_conn *c = x->r->conn;
    bool closed = sd_conn_fin_or_rst(c);
    if (!closed || x->n < s0 + 2)
        return false;
    const item *last = &x->v[x->n - 1], *before = &x->v[x->n - 2];
    return last->c && before->c && last->t - before->t >= MIDK_MASTER_LINGER_S;
}

void sdi_mid_kind(ctx *x, size_t s0, session *S)
{
    midk_bulk b;
    bulk_runs(x, s0, &b);
    int d = b.bytes[1] > b.bytes[0]; /* the main bulk's direction */
    uint64_t by = b.bytes[d];
    x->exec = true; /* read as a command's for its transfers (legacy scp) */
    x->kind_unknown = x->kind_weak = false;
    if (sdi_forwards_alone(x, s0, MIDK_IN_FLIGHT_MAX)) {
        S->fwd_only = true;
        x->exec = false;
        return;
    }
    if (sftp_bulk(&b, d) || sftp_bulk(&b, !d)) {
        x->sftp = true;
        x->exec = false;
        S->fwd_only = sftp_master_lingered(x, s0); /* transfers read as sftp's (sd_infer.c) */
        return;
    }
    if ((by >= MIDK_BULK_MIN && (uint64_t)b.answers[d] * MIDK_EXEC_BYTES_PER_ANSWER <= by) ||
        unprompted(x, s0, false) >= MIDK_UNPROMPTED_MIN)
        return;
    /* redraws a second apart: a command, unless the session's requests in
     * the capture tell more (a pty's: lab top_exec at login+5, its keys) */
    x->kind_weak = unprompted(x, s0, true) >= MIDK_UNPROMPTED_MIN;
    x->kind_unknown = !x->kind_weak;
}
