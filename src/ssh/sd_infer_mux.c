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
        x->mux[x->nmux++] = ch;
        for (size_t k = i; k < tail; k++) {
            x->v[k].mux = (uint8_t)x->nmux;
            x->v[k].not_key |= x->v[k].c;
        }
        i = tail - 1;
    }
}
