/* sd_infer_mux: second session channels in a connection whose session is
 * a shell with a terminal. With ControlMaster, scp, sftp and `ssh host
 * cmd` run through the master's socket open a session channel of their
 * own on the master's connection (OpenSSH mux.c): no new TCP connection,
 * no login. That channel's bulk is a file's bytes (or the output of a
 * command without a terminal), not what the shell prints, and its
 * requests and SFTP exchanges are no keys (docs/events.md transfer). */
#include "sd_infer_int.h"

#include <stdint.h>

/* The first record at or after i sent by the client (c) or the server,
 * before end (else end): scans stay inside a setup's MUX_SETUP_RECORDS,
 * linear over a hostile run of open-sized records. */
static size_t next_from(const ctx *x, size_t i, bool c, size_t end)
{
    if (end > x->n)
        end = x->n;
    while (i < end && x->v[i].c != c)
        i++;
    return i < end ? i : end;
}

/* v[k] is the server's first record after a client's: an answer, which
 * a loaded server may send late (starting sftp-server for the subsystem
 * request; MUX_ANSWER_S). A late client record is a person's. */
static bool answer_late(const ctx *x, size_t k)
{
    return !x->v[k].c && x->v[k - 1].c;
}

/* The client record v[i] opens a session channel: CHANNEL_OPEN
 * "session"'s size, the server's first record after it an
 * OPEN_CONFIRMATION's, and from it on the channel's setup machine-paced
 * (each record within MUX_REPLY_S plus the lags of the one before: the
 * requests, their answers, SSH_FXP_INIT and VERSION, scp's first SFTP
 * requests; a server's answer to a client's record MUX_ANSWER_S later at
 * most) up to its first bulk record. scp up and down at once through
 * the master interleave two such setups (lab mux_xfer_aes128gcm: two
 * opens, two confirmations, two requests...; mux_xfer_s8200: the second
 * open and the first request in one segment), so their sizes are not
 * read one by one: after the confirmation the client's requests and a
 * record of channel answers alone (CHANNEL_SUCCESS / WINDOW_ADJUST)
 * before the bulk; the sftp subsystem shows as a client record of the
 * INIT's size after those answers, answered by a larger record, otherwise
 * the channel ran a command (an exec). A scripted line has the open's
 * size under aes128-gcm (52, lab scripted_pty_aes128gcm) and its echo the
 * confirmation's, but its output follows with no client request between;
 * a person's keys come slower than the channel's setup. Both opened at
 * once, a segment of a suite whose lengths are hidden may hold both
 * opens, the server's next both confirmations and a later one both INITs
 * (times_size: MUX_OPENS_AT_ONCE), or the opens and the confirmations a
 * record each or two, sent at once (times_run), an INIT alone or both. */
/* How many messages of wire size w the record holds: 1, or (a segment,
 * not a whole packet) MUX_OPENS_AT_ONCE; 0 otherwise. */
static uint32_t times_size(const item *it, uint32_t w)
{
    return it->len == w ? 1 : !it->exact && it->len == MUX_OPENS_AT_ONCE * w ? MUX_OPENS_AT_ONCE : 0;
}

/* How many messages of wire size w the records of one side from v[i] on
 * hold, each record within at_once of the one before (both opens sent at
 * once may leave in two segments, a millisecond apart, and their two
 * confirmations in one: lab wanc220_mux_xfer at +10100 frames 73-76, 52 +
 * 52 then 88 under chacha20); at most MUX_OPENS_AT_ONCE, 0 when more.
 * *last: the last record counted. */
static uint32_t times_run(const ctx *x, size_t i, uint32_t w, double at_once, size_t *last)
{
    uint32_t n = times_size(&x->v[i], w);
    *last = i;
    for (size_t k = i + 1; n && k < x->n && x->v[k].c == x->v[i].c && x->v[k].t - x->v[k - 1].t <= at_once; k++) {
        uint32_t more = times_size(&x->v[k], w);
        if (!more)
            break;
        n += more;
        *last = k;
    }
    return n <= MUX_OPENS_AT_ONCE ? n : 0;
}

static bool open_at(const ctx *x, size_t i, mux_chan *ch)
{
    double at_once = MUX_REPLY_S + x->c_lag + x->s_lag;
    size_t last;
    uint32_t opens = x->v[i].c ? times_run(x, i, sd_ssh_wire_size(x->cs, P_SESSION_OPEN), at_once, &last) : 0;
    if (!opens)
        return false;
    size_t end = i + 1 + MUX_SETUP_RECORDS, cf = next_from(x, last + 1, false, end);
    if (cf >= x->n || cf >= end || times_run(x, cf, sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM), at_once, &last) != opens)
        return false;
    uint32_t init = sd_ssh_wire_size(x->cs, P_SFTP_INIT), version = sd_ssh_wire_size(x->ss, P_SFTP_INIT);
    *ch = (mux_chan){ .open = i, .req_to = SIZE_MAX };
    bool req = false, answered = false;
    for (size_t k = i + 1; k < x->n && k < end; k++) {
        const item *it = &x->v[k];
        if (it->t - x->v[k - 1].t > (answer_late(x, k) ? MUX_ANSWER_S + at_once : at_once)) {
            /* an interactive sftp waits at its prompt after its INIT /
             * VERSION: in a master with no session of its own nothing
             * else runs there but the channels, so it is one until the
             * next (sdi_mux_channels); next to a shell its commands
             * could not be told from the shell's keys */
            ch->prompt = x->mux_only && ch->sftp;
            ch->end = k - 1;
            return ch->prompt;
        }
        req |= k > cf && it->c;
        answered |= req && !it->c && sdi_channel_answers(it->len, x->ss);
        if (it->len >= XFER_RECORD) {
            if (!answered)
                return false;
            /* the exec's requests end at the first answer after them */
            if (ch->req_to == SIZE_MAX) {
                size_t a = next_from(x, next_from(x, cf + 1, true, k), false, k);
                ch->req_to = a < k ? a + 1 : k;
            }
            ch->end = k;
            return true;
        }
        uint32_t inits = it->c ? times_size(it, init) : 0;
        if (!ch->sftp && answered && inits && inits <= opens) {
            size_t v = next_from(x, k + 1, false, end);
            if (v < x->n && v < end && x->v[v].len >= version) {
                ch->sftp = true;
                ch->req_to = k; /* sftp_client reads from its INIT on */
            }
        }
    }
    return false;
}

/* ---- a channel's close after its bulk ----
 * After its last bulk record a transfer channel closes: SFTP's last round
 * trips (a READ past the end answered by STATUS EOF, CLOSE and its STATUS,
 * an upload's SETSTAT...), then the client's EOF, the server's
 * exit-status, EOF and CLOSE, the client's CLOSE (RFC 4254 5.3, 6.10;
 * OpenSSH's scp and sftp alike, legacy scp with the server's first). The
 * client may start it late: lab mux_xfer at +11200 (chacha20, frames
 * 689-696) 58 ms after the download's last DATA (scp writing its file),
 * past MUX_TAIL_S, then READ 68 / STATUS 68, CLOSE 52 / STATUS 68, EOF 36,
 * the server's 124 (52 + 36 + 36), CLOSE 36; those records stayed the
 * shell's and the READ read as a 34-byte paste. What ends the channel is
 * the server's close: the records up to it, and the client's CLOSE right
 * after, are the channel's. A key typed meanwhile is the session's: a
 * client record of one key's size answered by an echo's (an EOF of that
 * size is answered by the close). */
/* SSH_MSG_CHANNEL_REQUEST "exit-status" (byte, uint32 channel, string,
 * bool, uint32 status) and sshd's "eow@openssh.com" (byte, uint32, string,
 * bool): the server's close sends exit-status, maybe eow, EOF, CLOSE. */
#define P_REQ_EXIT_STATUS (1u + 4u + 4u + 11u + 1u + 4u)
#define P_REQ_EOW (1u + 4u + 4u + 15u + 1u)
/* How long the client may wait after the channel's record before (its
 * last bulk record or a close record) before its next close record (s):
 * a loaded scp writing and closing its file (lab 58 ms); a person's keys
 * meanwhile are told by their echoes, not by time. */
#define MUX_CLOSE_WAIT_S 1.0
/* A channel's close exchange: at most this many records (lab: 7; with
 * an upload's SETSTAT and a key typed in it, a few more). */
#define MUX_CLOSE_RECORDS 24u

/* v[i..] is the server's close of a channel, its records each within
 * at_once of the one before: exit-status (eow) and CLOSE, EOF before them
 * or sent apart earlier (lab mux_xfer: EOF 36, the client's CLOSE, then
 * 88 = exit-status and CLOSE). The first record past the longest such
 * run, else i. */
static size_t server_close(const ctx *x, size_t i, double at_once)
{
    uint32_t ex = sd_ssh_wire_size(x->ss, P_REQ_EXIT_STATUS), eow = sd_ssh_wire_size(x->ss, P_REQ_EOW);
    uint32_t ctl = sd_ssh_wire_size(x->ss, P_CHANNEL_CTL), sum = 0;
    size_t best = i;
    for (size_t k = i; k < x->n && !x->v[k].c && (k == i || x->v[k].t - x->v[k - 1].t <= at_once); k++) {
        sum += x->v[k].len;
        for (uint32_t e = 0; e < 2; e++)
            if (sum == ex + e * eow + ctl || sum == ex + e * eow + 2 * ctl)
                best = k + 1;
        if (sum > ex + eow + 2 * ctl)
            break;
    }
    return best;
}

/* v[i] is a key of the session typed during a channel's close: one key's
 * size, answered next by an echo's, the server's close not right after
 * (the client's EOF has a key's size and may be answered by the server's
 * EOF alone, the rest of its close at once; the client's CLOSE may come
 * between). */
static bool close_key(const ctx *x, size_t i, double at_once)
{
    uint32_t key = sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(1)), ctl = sd_ssh_wire_size(x->cs, P_CHANNEL_CTL);
    if (!x->v[i].c || x->v[i].len != key || i + 1 >= x->n || x->v[i + 1].c ||
        x->v[i + 1].len > sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(P_BS_ECHO)) ||
        server_close(x, i + 1, at_once) > i + 1)
        return false;
    size_t k = i + 2;
    if (k < x->n && x->v[k].c && x->v[k].len == ctl && x->v[k].t - x->v[k - 1].t <= at_once)
        k++;
    return k >= x->n || x->v[k].t - x->v[k - 1].t > at_once || server_close(x, k, at_once) == k;
}

/* The channel's close exchanges from v[from] on (one per channel of the
 * group, each within MUX_CLOSE_RECORDS): the first record past the last
 * one found, else from. */
static size_t close_end(const ctx *x, size_t from, double at_once)
{
    uint32_t ctl = sd_ssh_wire_size(x->cs, P_CHANNEL_CTL);
    size_t end = from, last = from - 1, start = from;
    for (size_t k = from; k < x->n && k - start < MUX_CLOSE_RECORDS && x->v[k].t - x->v[last].t <= MUX_CLOSE_WAIT_S;) {
        size_t s = server_close(x, k, at_once);
        if (s > k) { /* and the client's CLOSE (its EOF too) at once */
            if (s < x->n && x->v[s].c && x->v[s].t - x->v[s - 1].t <= at_once &&
                (x->v[s].len == ctl || x->v[s].len == 2 * ctl))
                s++;
            end = start = k = s;
            last = s - 1;
            continue;
        }
        if (close_key(x, k, at_once)) {
            k += 2;
            continue;
        }
        last = k++;
    }
    return end;
}

/* The records of group g from v[from] to end: the channel's, its client
 * records no keys; a key typed during its close (and its echo) stays the
 * session's. */
static void mark_channel(ctx *x, size_t from, size_t end, size_t tail, uint8_t g, double at_once)
{
    for (size_t k = from; k < end; k++) {
        if (k >= tail && close_key(x, k, at_once)) {
            k++;
            continue;
        }
        x->v[k].mux = g;
        x->v[k].not_key |= x->v[k].c;
    }
}

void sdi_mux_channels(ctx *x, size_t from)
{
    x->nmux = 0;
    if (x->zlib) /* sizes no longer tell an open from a key */
        return;
    double pace = MUX_TAIL_S + x->c_lag + x->s_lag;
    for (size_t i = from; i < x->n && x->nmux < MUX_CHANNELS_MAX; i++) {
        mux_chan ch;
        if (!open_at(x, i, &ch))
            continue;
        /* its bulk: records of XFER_RECORD bytes or more either way, each
         * within XFER_GAP_S of the one before (or of the answers); a
         * second channel opened meanwhile (scp up and down at once) may
         * leave its open inside the first's bulk segments, and its bulk
         * runs on */
        size_t tail = ch.end + 1;
        if (ch.prompt) { /* its requests and bulk: up to the next channel's open */
            mux_chan next;
            while (tail < x->n && !open_at(x, tail, &next))
                tail++;
            ch.end = tail - 1;
        } else {
            for (size_t k = ch.end; k < x->n && x->v[k].t - x->v[ch.end].t <= XFER_GAP_S; k++)
                if (x->v[k].len >= XFER_RECORD)
                    ch.end = k;
            tail = ch.end + 1;
            while (tail < x->n && x->v[tail].t - x->v[tail - 1].t < pace)
                tail++;
        }
        double at_once = MUX_REPLY_S + x->c_lag + x->s_lag;
        size_t end = ch.prompt ? tail : close_end(x, tail, at_once);
        x->mux[x->nmux++] = ch;
        mark_channel(x, i, end, tail, (uint8_t)x->nmux, at_once);
        i = end - 1;
    }
}

/* ---- the channels of a setup, record by record ----
 * Several channels opened through the master at once (scp up and down,
 * any number) interleave their setups step by step (lab mux_n_xfer at
 * +10800, frames 33-61 under chacha20: open A, confirmation A, request
 * A, answers A, open B, INIT A, confirmation B, request B, answers B,
 * INIT B, VERSION A, LIMITS A, VERSION B, LIMITS B...). Sizes alone do not
 * tell whose a record is: a channel's open and its sftp subsystem request
 * have one wire size in every suite (payloads of 24 and 27 bytes), and
 * REALPATH "." (23) too where the length is outside the padding (chacha20,
 * GCM, ETM: one 32-byte block); an INIT has a confirmation's size.
 * What tells them is the order each side keeps (RFC 4254 5, OpenSSH
 * channels.c, mux.c, sftp-client.c):
 * - sshd answers opens and requests itself, in the order they came: the
 *   k-th confirmation is the k-th open's, answers the oldest request's;
 * - the master sends a channel's requests as soon as its confirmation
 *   comes, and its data (SSH_FXP_INIT first) after them;
 * - an sftp client (sftp(1), scp) waits for each answer of its setup
 *   (VERSION, the limits@openssh.com reply, its first file-system
 *   request's) before its next request: a client record owed by the server
 *   record it reacts to, the oldest owed first.
 * A record of an open's size is an open only when a confirmation no open
 * sent before claims comes after it (the server's 44 is nothing else
 * under chacha20); two channels' records swapped by this reading have one
 * size, so what is read of each channel is the same. */
/* A channel's state: what it waits for (MT_CONF: its request owed;
 * MT_VERSION, MT_REPLY: its next sftp request owed). */
enum { MT_OPEN, MT_CONF, MT_REQ, MT_INIT, MT_VERSION, MT_LIMITS, MT_REPLY, MT_FIRST, MT_DONE };

typedef struct mux_track {
    uint8_t st[MUX_TRACK_CHANNELS];
    size_t since[MUX_TRACK_CHANNELS]; /* the record that left it in its state */
    size_t first[MUX_TRACK_CHANNELS], answer[MUX_TRACK_CHANNELS]; /* its first request, its answer */
    unsigned n;
    uint32_t open, conf, init, limits;
} mux_track;

/* The channel in state a or b waiting longest (since), or n when none. */
static unsigned oldest(const mux_track *t, uint8_t a, uint8_t b)
{
    unsigned best = t->n;
    for (unsigned k = 0; k < t->n; k++)
        if ((t->st[k] == a || t->st[k] == b) && (best == t->n || t->since[k] < t->since[best]))
            best = k;
    return best;
}

static void move(mux_track *t, unsigned k, uint8_t st, size_t i)
{
    t->st[k] = st;
    t->since[k] = i;
}

/* Confirmations that the opens already read do not claim among the
 * server's next records from v[i] on (to end): sshd confirms an open at
 * once, so those before its next record of another kind (a request's
 * answers aside); under aes128-gcm an SFTP HANDLE has a confirmation's
 * size, but comes after the channel's VERSION. */
static uint32_t spare_confirms(const ctx *x, const mux_track *t, size_t i, size_t end)
{
    uint32_t c = 0, pending = 0;
    for (size_t k = i; k < end; k++) {
        if (x->v[k].c || sdi_channel_answers(x->v[k].len, x->ss))
            continue;
        uint32_t m = times_size(&x->v[k], t->conf);
        if (!m)
            break;
        c += m;
    }
    for (unsigned k = 0; k < t->n; k++)
        pending += t->st[k] == MT_OPEN;
    return c > pending ? c - pending : 0;
}

/* m channels in state from, the longest waiting first, moved to st by
 * v[i]; how many were. */
static uint32_t move_oldest(mux_track *t, uint8_t from, uint8_t st, uint32_t m, size_t i)
{
    uint32_t done = 0;
    for (unsigned k; done < m && (k = oldest(t, from, from)) < t->n; done++)
        move(t, k, st, i);
    return done;
}

static void track_client(const ctx *x, mux_track *t, size_t i, size_t end)
{
    const item *it = &x->v[i];
    /* a confirmed channel's request first: the master sends it at once */
    uint32_t m = times_size(it, t->open);
    if (m && move_oldest(t, MT_CONF, MT_REQ, m, i))
        return;
    uint32_t opens = m ? spare_confirms(x, t, i + 1, end) : 0;
    for (m = m < opens ? m : opens; m && t->n < MUX_TRACK_CHANNELS; m--) {
        t->first[t->n] = t->answer[t->n] = SIZE_MAX;
        move(t, t->n++, MT_OPEN, i);
    }
    if (opens)
        return;
    /* then a requested channel's INIT: its data follows its requests */
    uint32_t inits = times_size(it, t->init);
    if (inits && move_oldest(t, MT_REQ, MT_INIT, inits, i))
        return;
    /* an sftp client's next request: after its VERSION (LIMITS or the
     * first), after the LIMITS reply (the first) */
    unsigned k = oldest(t, MT_VERSION, MT_REPLY);
    if (k == t->n)
        return;
    bool limits = t->st[k] == MT_VERSION && it->len == t->limits;
    if (!limits)
        t->first[k] = i;
    move(t, k, limits ? MT_LIMITS : MT_FIRST, i);
}

static void track_server(const ctx *x, mux_track *t, size_t i)
{
    const item *it = &x->v[i];
    uint32_t m = times_size(it, t->conf);
    if (m && move_oldest(t, MT_OPEN, MT_CONF, m, i))
        return;
    if (sdi_channel_answers(it->len, x->ss)) /* a request's answers, a window's */
        return;
    uint32_t version = sd_ssh_wire_size(x->ss, P_SFTP_INIT);
    /* a confirmation may share the segment of another channel's VERSION
     * (lab mux_xfer_s8200: 44 + 356 in 400) */
    bool shared = !it->exact && it->len >= t->conf + version && move_oldest(t, MT_OPEN, MT_CONF, 1, i);
    /* OpenSSH's VERSION lists its extensions: larger than any answer of
     * the setup; a bare one (another server's) is read when no request
     * waits for its answer */
    unsigned k = oldest(t, MT_LIMITS, MT_FIRST);
    bool ext = it->len >= sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(FXP_VERSION_EXT_MIN));
    if ((ext || k == t->n) && it->len >= version && move_oldest(t, MT_INIT, MT_VERSION, 1, i))
        return;
    if (shared || k == t->n)
        return;
    /* the answer to the oldest request waiting: LIMITS's reply, or the
     * first request's */
    if (t->st[k] == MT_FIRST)
        t->answer[k] = i;
    move(t, k, t->st[k] == MT_LIMITS ? MT_REPLY : MT_DONE, i);
}

/* (declared in sd_infer_int.h) */
int sdi_mux_sftp_client(const ctx *x, size_t b)
{
    uint8_t g = b < x->n ? x->v[b].mux : 0;
    if (!g || g > x->nmux || x->zlib)
        return -1;
    mux_track t = { .n = 0 };
    t.open = sd_ssh_wire_size(x->cs, P_SESSION_OPEN);
    t.conf = sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM);
    t.init = sd_ssh_wire_size(x->cs, P_SFTP_INIT);
    t.limits = sd_ssh_wire_size(x->cs, P_FXP_LIMITS);
    size_t from = x->mux[g - 1].open, end = from;
    while (end < x->n && end < b && end - from < MUX_TRACK_RECORDS && x->v[end].len < XFER_RECORD)
        end++;
    for (size_t i = from; i < end; i++) {
        if (x->v[i].c)
            track_client(x, &t, i, end);
        else
            track_server(x, &t, i);
    }
    /* only channels set up side by side: one alone is read by
     * sftp_client's walk */
    if (t.n < 2)
        return -1;
    int tool = -1;
    for (unsigned k = 0; k < t.n; k++) {
        if (t.first[k] == SIZE_MAX)
            continue;
        int c = sdi_fxp_first_tool(x, t.first[k], t.answer[k], sd_ssh_wire_size(x->cs, P_FXP_PATH_DOT),
                                   sd_ssh_wire_size(x->ss, P_FXP_ATTRS));
        if (c < 0 || (tool >= 0 && c != tool))
            return -1;
        tool = c;
    }
    return tool;
}
