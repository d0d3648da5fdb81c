/* sd_infer_fwd: -L/-D forwards in any session, -N or next to a shell or a
 * command, and -R channels where -R was requested (docs/events.md
 * forward). A client CHANNEL_OPEN "direct-tcpip" (or a server's
 * "forwarded-tcpip") of the size its layout allows, answered by the
 * peer's OPEN_CONFIRMATION and followed by data, opens a channel; the
 * records that follow it as one
 * exchange (data, and the EOF / CLOSE / WINDOW_ADJUST reactions to it) are
 * the channel's. They are marked so that the session's keys and transfers
 * are read without them (sdi_view_push). */
#include "sd_infer_int.h"
#include "sd_infer_zlib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sizes the channel rules compare with, for the outer suites. */
typedef struct fwd_sizes {
    /* [0] a client's CHANNEL_OPEN direct-tcpip (-L/-D) and the server's
     * OPEN_CONFIRMATION; [1] a server's forwarded-tcpip (-R, only when a
     * tcpip-forward was requested: open_max 0 otherwise) and the client's */
    uint32_t open_min[2], open_max[2];
    uint32_t confirm[2];
    uint32_t ctl_c, ctl_s;       /* a 5-byte control packet (EOF, CLOSE) */
    uint32_t fr_c, fr_s;         /* framing of a CHANNEL_DATA beyond its header */
} fwd_sizes;

static fwd_sizes fwd_sizes_of(const ctx *x)
{
    bool r = x->sum->reverse_provisioned;
    fwd_sizes z = {
        .open_min = { sd_ssh_wire_size(x->cs, P_DIRECT_TCPIP_BASE), sd_ssh_wire_size(x->ss, P_FORWARDED_TCPIP_BASE) },
        .open_max = { sd_ssh_wire_size(x->cs, P_DIRECT_TCPIP_BASE + 2 * FWD_HOST_MAX),
                      r ? sd_ssh_wire_size(x->ss, P_FORWARDED_TCPIP_BASE + 2 * FWD_HOST_MAX) : 0 },
        .confirm = { sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM), sd_ssh_wire_size(x->cs, P_OPEN_CONFIRM) },
        .ctl_c = sd_ssh_wire_size(x->cs, P_CHANNEL_CTL),
        .ctl_s = sd_ssh_wire_size(x->ss, P_CHANNEL_CTL),
    };
    uint32_t wc = sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(0)), ws = sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(0));
    z.fr_c = wc > SD_SSH_P_CHANNEL_DATA(0) ? wc - SD_SSH_P_CHANNEL_DATA(0) : 0;
    z.fr_s = ws > SD_SSH_P_CHANNEL_DATA(0) ? ws - SD_SSH_P_CHANNEL_DATA(0) : 0;
    return z;
}

/* A record no larger than FWD_CTL_MAX control packets: an EOF / CLOSE /
 * WINDOW_ADJUST, or as well a key or its echo (the same wire size in most
 * suites). */
static bool small_rec(const fwd_sizes *z, const item *it)
{
    return it->len <= FWD_CTL_MAX * (it->c ? z->ctl_c : z->ctl_s);
}

/* The channel carries an SSH session (KEXINIT-sized records both ways
 * right after the confirmation): a ProxyJump / -W hop or ssh through a
 * forward, read as a nested leg (sd_infer_legs.c), not as a forward. */
bool sdi_carries_ssh(const ctx *x, size_t conf)
{
    bool big[2] = { false, false };
    for (size_t k = conf + 1; k < x->n && k <= conf + NESTED_KEX_RECORDS; k++)
        if (x->v[k].len >= KEXINIT_MIN && x->v[k].len <= KEXINIT_MAX)
            big[x->v[k].c] = true;
    return big[0] && big[1];
}

/* Compressed, in a session without a session channel: whether the client
 * record v[i], after FWD_Z_QUIET_S of silence, is at most an open's
 * deflated size and answered by the server's confirmation (at most its
 * deflated size) within FWD_CONFIRM_S, then data within FWD_DATA_S. */
static bool z_open(const ctx *x, size_t i, size_t *conf)
{
    const item *o = &x->v[i];
    double before = i > 0 ? x->v[i - 1].t : x->login_t;
    if (!o->c || o->t - before < FWD_Z_QUIET_S ||
        o->len > sd_ssh_wire_size(x->cs, Z_MAX(P_DIRECT_TCPIP_BASE + 2 * FWD_HOST_MAX)))
        return false;
    size_t j = i + 1;
    while (j < x->n && j <= i + FWD_LOOK_RECORDS && x->v[j].c)
        j++;
    if (j + 1 >= x->n || x->v[j].c || !sdi_z_is(x, x->ss, x->v[j].len, P_OPEN_CONFIRM) ||
        x->v[j].t - o->t >= FWD_CONFIRM_S || x->v[j + 1].t - x->v[j].t >= FWD_DATA_S)
        return false;
    *conf = j;
    return !sdi_carries_ssh(x, j);
}

/* The client's keys right before its record at v[i] that the server has
 * not answered yet (no server record since): their echoes are owed and
 * may leave before the answer to v[i]. */
static size_t owed_echoes(const ctx *x, const fwd_sizes *z, size_t i)
{
    size_t n = 0;
    while (i-- > 0 && n < FWD_OWED_ECHO_MAX && x->v[i].c && small_rec(z, &x->v[i]))
        n++;
    return n;
}

/* Whether v[i] opens a forward channel; *conf = its confirmation. The
 * confirmation is the peer's first record after the open (past the
 * echoes owed to keys typed right before a client's open: lab
 * shellfwd_D_aes128gcm at seed +9000 frames 70-73, a key 5 ms before the
 * open, its echo and the confirmation in one segment), within
 * FWD_CONFIRM_S; data follows it within FWD_DATA_S (HTTP and SOCKS
 * clients speak at once, other servers send a banner). In a -N session
 * no key stands there: a control-sized record (a keep-alive byte) will
 * do. A server's open that is an x11 channel in use is not -R's. */
static bool is_open(const ctx *x, const fwd_sizes *z, size_t i, size_t *conf, bool fwd_only)
{
    if (x->zlib && fwd_only)
        return z_open(x, i, conf);
    const item *o = &x->v[i];
    int k0 = !o->c;
    if (o->len < z->open_min[k0] || o->len > z->open_max[k0] || (!o->c && sdi_x11_open_at(x, i)))
        return false;
    /* beside a command without a pty, a record sent at once after the
     * server's answers it: a request of the command's own protocol (legacy
     * scp, WinSCP's scp mode) of an open's size. A forward opens when a
     * local program connects, whatever the server just sent. */
    if (x->exec && i > 0 && x->v[i - 1].c != o->c && o->t - x->v[i - 1].t < REACT_MIN_S)
        return false;
    /* the short last segment of a bulk write (a KEXINIT split by the
     * segment size, as a tunnelled leg's handshake is) is no open */
    if (i > 0 && x->v[i - 1].c == o->c && x->v[i - 1].len >= XFER_RECORD && o->t - x->v[i - 1].t < REACT_MIN_S)
        return false;
    size_t j = i + 1, owed = o->c ? owed_echoes(x, z, i) : 0;
    for (;; j++, owed--) {
        while (j < x->n && j <= i + FWD_LOOK_RECORDS && x->v[j].c == o->c)
            j++;
        if (!owed || j >= x->n || x->v[j].len == z->confirm[k0] || !small_rec(z, &x->v[j]))
            break;
    }
    if (j >= x->n || x->v[j].c == o->c || x->v[j].len != z->confirm[k0] || x->v[j].t - o->t >= FWD_CONFIRM_S)
        return false;
    for (size_t k = j + 1; k < x->n && k <= j + FWD_LOOK_RECORDS && x->v[k].t - x->v[j].t < FWD_DATA_S; k++)
        if (fwd_only || !small_rec(z, &x->v[k])) {
            *conf = j;
            return !sdi_carries_ssh(x, j);
        }
    return false;
}

/* One forward channel: its records and what they carry; key: its open's
 * segment also carries a session key (open_key), whose echo follows the
 * confirmation. */
typedef struct fwd_chan {
    size_t open, conf, last;
    bool key;
    sdi_carry carry;
} fwd_chan;

/* A client's open at v[open], confirmed at v[conf], whose segment also
 * holds a key typed as a local program connected (chacha20 and -etm read
 * by segment: lab fresh shellfwd_L_chacha at +9700 frame 115, 128 = the
 * key's 36 and the open's 92): the segment leaves an open's size when the
 * key's is taken off, and sshd, which handles the open first, sends the
 * key's echo right after the confirmation, one record of a key's size
 * alone before the channel's first data. A channel's own first server
 * record comes after the client's data (a web or SOCKS client speaks
 * first), or is a banner or the EOF and CLOSE of a refused connection
 * (two control packets), none a lone key-sized record. */
static bool open_key(const ctx *x, const fwd_sizes *z, size_t open, size_t conf, bool fwd_only)
{
    const item *o = &x->v[open];
    uint32_t kc = sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(1)), ks = sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(1));
    if (fwd_only || !o->c || o->exact || !kc || o->len < z->open_min[0] + kc || conf + 1 >= x->n)
        return false;
    const item *e = &x->v[conf + 1], *nx = conf + 2 < x->n ? &x->v[conf + 2] : NULL;
    return !e->c && e->len == ks && e->t - x->v[conf].t < REACT_MIN_S &&
           !(nx && !nx->c && nx->frame == e->frame);
}

/* The sizes of the client's opens read alone so far in the connection. */
typedef struct open_sizes {
    uint32_t len[FWD_OPEN_SIZES_MAX];
    size_t n;
} open_sizes;

static bool open_size_known(const open_sizes *k, uint32_t len)
{
    for (size_t i = 0; i < k->n; i++)
        if (k->len[i] == len)
            return true;
    return false;
}

static void open_size_add(open_sizes *k, uint32_t len)
{
    if (k->n < FWD_OPEN_SIZES_MAX && !open_size_known(k, len))
        k->len[k->n++] = len;
}

/* The session's record nearest v[i] going by step (+1 or -1) within
 * [0, stop): not a channel's (x->chan), a second session channel's or an
 * x11 channel's; SIZE_MAX when none. */
static size_t session_rec(const ctx *x, size_t i, int step, size_t stop)
{
    for (size_t k = i + (size_t)step; k < stop; k += (size_t)step) /* wraps past 0 */
        if (!x->chan[k] && !x->v[k].mux && !x->v[k].x11)
            return k;
    return SIZE_MAX;
}

/* A client's open at v[ch->open], walked as a lone open (open_key did not
 * see the echo right after the confirmation), that also carries a key
 * (FWD_OPEN_KEY_ECHO_S): its segment is a key's record more than an open
 * this connection sent alone, and not itself such an open's size (both
 * readings would fit); the session owed no echo before it (its last
 * record is the server's), and its first record after it is the server's,
 * of an echo's size, within FWD_OPEN_KEY_ECHO_S: the key's echo. A lone
 * open of another size (a -D target that much longer) is followed by no
 * session record of the server's until the next key is typed. */
static bool open_key_late(const ctx *x, const fwd_chan *ch, const open_sizes *known, size_t stop)
{
    const item *o = &x->v[ch->open];
    uint32_t kc = sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(1)), ks = sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(1));
    if (!o->c || o->exact || !kc || o->len <= kc || !open_size_known(known, o->len - kc) || open_size_known(known, o->len))
        return false;
    size_t b = session_rec(x, ch->open, -1, ch->open), a = session_rec(x, ch->open, 1, stop);
    return b != SIZE_MAX && !x->v[b].c && a != SIZE_MAX && !x->v[a].c && x->v[a].len == ks &&
           x->v[a].t - o->t < FWD_OPEN_KEY_ECHO_S;
}

/* The client's EOF and CLOSE of the channel at v[k], in one segment (two
 * control records of one frame, or one record of both), within
 * FWD_QUIET_S of the channel's last record: the client closes the
 * channel when its local program closes the socket, which a loaded
 * client may take longer than REACT_MIN_S to see (lab fresh runs at
 * +9600: shellfwd_D_aes128gcm frames 93-96, 19 ms after the page's end;
 * shellfwd_L_aes128ctr-sha256etm frames 245-250, 17 ms after the
 * client's WINDOW_ADJUST; each read as a key, sshd's CLOSE as its
 * echo). A key a person types is one packet. */
static bool client_close(const ctx *x, const fwd_sizes *z, size_t k, size_t last)
{
    const item *it = &x->v[k], *nx = k + 1 < x->n ? &x->v[k + 1] : NULL;
    bool both = it->len == FWD_CTL_MAX * z->ctl_c ||
                (it->len == z->ctl_c && nx && nx->c && nx->frame == it->frame && nx->len == z->ctl_c);
    return it->c && both && it->t - x->v[last].t < FWD_QUIET_S;
}

/* Whether v[k] is the channel's, the channel's last record being at
 * last; sess says whether the record before v[k] was the session's, owed
 * that a session key typed while the channel was quiet (FWD_QUIET_S) came
 * since the channel's last record. A small record is the channel's when
 * it reacts at once to the channel's traffic (EOF, CLOSE, WINDOW_ADJUST);
 * otherwise it is a key or an echo. A data record is the channel's unless
 * it answers a key of the session (a command's output: right after the
 * key, or after its echo when the key came in a lull of the channel). */
static bool chan_record(const ctx *x, const fwd_sizes *z, size_t k, size_t last, bool sess, bool owed)
{
    const item *it = &x->v[k];
    if (client_close(x, z, k, last))
        return true;
    bool answer = sess && !it->c && (x->v[k - 1].c || owed);
    /* the server's control answer right after the channel's client record
     * (its CLOSE to the client's EOF + CLOSE) is owed whenever it comes:
     * no session key stands between for it to echo (lab shellfwd_L_chacha
     * seed 2000: 57 ms after, read as the echo of a key before the
     * channel, the key as Enter) */
    bool owed_ctl = !it->c && k - 1 == last && x->v[last].c;
    if (small_rec(z, it))
        return (it->t - x->v[last].t < REACT_MIN_S || owed_ctl) && !answer;
    return !answer;
}

/* Where the last channel of a session without a session channel stops:
 * before the connection's close (FWD_END_QUIET_S), or at n. */
static size_t close_start(const ctx *x, size_t conf)
{
    uint32_t most = sd_ssh_wire_size(x->cs, x->zlib ? Z_MAX(P_FWD_END_MAX) : P_FWD_END_MAX);
    for (size_t e = x->n; e > conf + 2 && x->v[e - 1].c && x->v[e - 1].len <= most; e--)
        if (x->v[e - 1].t - x->v[e - 2].t >= FWD_END_QUIET_S)
            return e - 1;
    return x->n;
}

/* Walks the records after the confirmation up to stop (the next open):
 * marks the channel's and sums their bytes. In a -N session (no session
 * records) everything up to the next open is the channel's; next to a
 * shell the channel ends after FWD_CHAIN_S without its traffic. */
static void chan_walk(ctx *x, const fwd_sizes *z, fwd_chan *ch, size_t stop, bool fwd_only)
{
    double gap = fwd_only ? INFINITY : FWD_CHAIN_S;
    bool sess = false, owed = false;
    x->chan[ch->open] = ch->key ? SDI_CHAN_OPEN_KEY : SDI_CHAN_REC;
    x->chan[ch->conf] = SDI_CHAN_REC;
    ch->last = ch->conf;
    for (size_t k = ch->conf + 1; k < stop && x->v[k].t - x->v[ch->last].t <= gap; k++) {
        const item *it = &x->v[k];
        if (ch->key && k == ch->conf + 1) { /* the open's key's echo */
            sess = true;
            continue;
        }
        bool mine = fwd_only || chan_record(x, z, k, ch->last, sess, owed);
        sess = !mine;
        if (!mine) {
            owed = owed || (it->c && it->t - x->v[ch->last].t >= FWD_QUIET_S);
            continue;
        }
        owed = false;
        x->chan[k] = SDI_CHAN_REC;
        ch->last = k;
        uint32_t fr = it->c ? z->fr_c : z->fr_s;
        bool small = small_rec(z, it);
        sdi_carry_add(&ch->carry, it->c, it->t, !small && it->len > fr ? it->len - fr : 0, x->zlib);
    }
}

/* The forward event of a channel. -L and -D open the same channel type
 * with the same layout (RFC 4254 7.2; the SOCKS exchange of -D stays on
 * the client's machine): the mode reported is "L" for both; "R" for the
 * server's forwarded-tcpip (rv). */
static sd_event *forward_event(ctx *x, const fwd_chan *ch, bool fwd_only, bool rv)
{
    sd_event *e = sdi_ev(x, "forward", &x->v[ch->open], &x->v[ch->last], SD_LEG_FORWARD);
    const sdi_carry *c = &ch->carry;
    const char *cls = sdi_carry_class(c);
    uint64_t by = c->bytes[0] + c->bytes[1];
    e->dir = rv;
    e->confidence = CONF_FORWARD;
    sd_ev_str(e, "mode", rv ? "R" : "L");
    sd_ev_int(e, "bytes", (int64_t)by);
    sd_ev_int(e, "bytes_c2s", (int64_t)c->bytes[0]);
    sd_ev_int(e, "bytes_s2c", (int64_t)c->bytes[1]);
    if (ch->conf != SIZE_MAX) /* SIZE_MAX: opened before the capture */
        sd_ev_int(e, "confirm_frame", (int64_t)x->v[ch->conf].frame);
    sd_ev_bool(e, "beside_session", !fwd_only);
    sdi_carry_fields(e, c, cls);
    snprintf(e->note, sizeof e->note,
             "%s channel%s carrying %s: %llu bytes up, %llu down, %u request(s), %.1f s",
             rv ? "forwarded-tcpip (-R)" : "direct-tcpip (-L or -D)", fwd_only ? "" : " next to the session", cls, (unsigned long long)c->bytes[0],
             (unsigned long long)c->bytes[1], c->exchanges, sdi_carry_duration(c));
    return e;
}

/* Picked up mid-stream in a -N session: the records before the first open
 * seen (v[from..open)) are a channel's opened before the capture (the
 * tail of an HTTP exchange, a transfer) when one carries data and both
 * sides sent (the data's answer, its WINDOW_ADJUST, EOF or CLOSE; sshd's
 * notices right after login, hostkeys-00 and the authorized_keys options'
 * DEBUG, go one way unanswered: lab forward_L_http cut at login+5, 148
 * bytes then 2 s of silence), read as one channel (several opened
 * before the capture read as one) of the mode of the first open seen
 * (-R forwards open the server's channels, -L/-D the client's: a -N
 * session forwards one way in most use). Its event has no confirm_frame,
 * and midstream. */
static void inflight_chan(ctx *x, const fwd_sizes *z, size_t from, size_t open)
{
    fwd_chan ch = { .open = from, .conf = SIZE_MAX, .last = from,
                    .carry = { .last_data_dir = -1, .req = !x->v[open].c, .joined = true } };
    bool data = false, sent[2] = { false, false };
    for (size_t k = from; k < open; k++) {
        const item *it = &x->v[k];
        uint32_t fr = it->c ? z->fr_c : z->fr_s;
        bool small = small_rec(z, it);
        data = data || !small;
        sent[it->c] = true;
        ch.last = k;
        sdi_carry_add(&ch.carry, it->c, it->t, !small && it->len > fr ? it->len - fr : 0, x->zlib);
    }
    if (!data || !sent[0] || !sent[1])
        return;
    memset(x->chan + from, SDI_CHAN_REC, open - from);
    sd_ev_bool(forward_event(x, &ch, true, !x->v[open].c), "midstream", true);
}

/* The next open at or after i (SIZE_MAX when none); *conf its confirmation. */
static size_t next_open(const ctx *x, const fwd_sizes *z, size_t i, size_t *conf, bool fwd_only)
{
    for (; i < x->n; i++) /* not in a second session channel's exchange (sd_infer_mux.c) */
        if (!x->v[i].mux && is_open(x, z, i, conf, fwd_only))
            return i;
    return SIZE_MAX;
}

void sdi_forwards(ctx *x, size_t from, bool fwd_only)
{
    fwd_sizes z = fwd_sizes_of(x);
    if (!z.open_min[0] || !z.confirm[0] || !z.confirm[1] || !z.ctl_c || !z.ctl_s)
        return;
    size_t conf = 0, open = next_open(x, &z, from, &conf, fwd_only);
    if (open == SIZE_MAX)
        return; /* x->chan stays as it was: sdi_forwards_alone reads "none found" */
    if (!x->chan)
        x->chan = sd_calloc(x->n, sizeof *x->chan);
    if (open > from && fwd_only && x->midstream)
        inflight_chan(x, &z, from, open);
    open_sizes known = { .n = 0 };
    while (open != SIZE_MAX) {
        fwd_chan ch = { .open = open, .conf = conf, .key = open_key(x, &z, open, conf, fwd_only),
                        .carry = { .last_data_dir = -1, .req = !x->v[open].c } };
        size_t nconf = 0, next = next_open(x, &z, conf + 1, &nconf, fwd_only);
        size_t stop = next != SIZE_MAX ? next : fwd_only ? close_start(x, conf) : x->n;
        chan_walk(x, &z, &ch, stop, fwd_only);
        if (!ch.key && !fwd_only && !x->zlib && open_key_late(x, &ch, &known, stop)) {
            ch.key = true;
            x->chan[open] = SDI_CHAN_OPEN_KEY;
        } else if (!ch.key && x->v[open].c) {
            open_size_add(&known, x->v[open].len);
        }
        forward_event(x, &ch, fwd_only, !x->v[open].c);
        open = next;
        conf = nconf;
    }
}

size_t sdi_view_push(ctx *x, sdi_view *sv)
{
    memset(sv, 0, sizeof *sv);
    if (!x->chan)
        return 0;
    sv->v = x->v;
    sv->n = x->n;
    sv->req_to = x->req_to;
    sv->map = sd_calloc(x->n + 1, sizeof *sv->map);
    item *w = sd_calloc(x->n ? x->n : 1, sizeof *w);
    size_t m = 0;
    uint32_t kc = sd_ssh_wire_size(x->cs, SD_SSH_P_CHANNEL_DATA(1));
    for (size_t i = 0; i < x->n; i++) {
        sv->map[i] = m;
        if (x->chan[i] == SDI_CHAN_OPEN_KEY) { /* the session sees the key */
            w[m] = x->v[i];
            w[m++].len = kc;
        } else if (!x->chan[i]) {
            w[m++] = x->v[i];
        }
    }
    sv->map[x->n] = m;
    x->req_to = sv->map[x->req_to < x->n ? x->req_to : x->n];
    x->v = w;
    x->n = m;
    return sv->n - m;
}

size_t sdi_view_index(const sdi_view *sv, size_t i)
{
    if (!sv->map)
        return i;
    return sv->map[i < sv->n ? i : sv->n];
}

void sdi_view_pop(ctx *x, sdi_view *sv)
{
    if (!sv->map)
        return;
    free(x->v);
    free(sv->map);
    x->v = sv->v;
    x->n = sv->n;
    x->req_to = sv->req_to;
    memset(sv, 0, sizeof *sv);
}

bool sdi_forwards_alone(ctx *x, size_t from, size_t in_flight_max)
{
    fwd_sizes z = fwd_sizes_of(x);
    size_t ev = x->out->n;
    uint8_t *had = x->chan;
    x->chan = NULL;
    sdi_forwards(x, from, false);
    bool alone = x->chan != NULL; /* a channel was found */
    size_t i = from, first = from;
    while (alone && first < x->n && !x->chan[first])
        first++;
    /* a channel open before the capture began: its records up to the
     * first open seen have no open of theirs; any number of them when a
     * pause (FWD_INFLIGHT_QUIET_S) parts them from that open */
    if (alone && first > from && x->v[first].t - x->v[first - 1].t >= FWD_INFLIGHT_QUIET_S)
        i = first;
    while (alone && i < x->n && !x->chan[i] && i - from < in_flight_max)
        i++;
    for (; alone && i < x->n; i++)
        alone = x->chan[i] || small_rec(&z, &x->v[i]);
    free(x->chan); /* a trial: its events and marks are dropped */
    x->chan = had;
    x->out->n = ev;
    return alone;
}
