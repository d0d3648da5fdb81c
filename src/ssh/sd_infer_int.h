/* sd_infer_int.h: what the SSH inference modules share (not a public
 * header: only src/ssh/sd_infer*.c include it). One module per thing
 * inferred:
 *   sd_infer.c         the driver sd_infer_ssh and the shared helpers
 *   sd_infer_auth.c    authentication (RFC 4252 exchange, password sizes)
 *   sd_infer_authend.c a connection closed during authentication (auth_closed)
 *   sd_infer_keys.c    keystrokes, command output, chaff
 *   sd_infer_req.c     the session's kind and channel requests
 *   sd_infer_legs.c    -R provisioning, reverse and nested (tunnelled) legs
 *   sd_infer_inner.c   a tunnelled leg's host key, session and keys
 *   sd_infer_xfer.c    transfers
 *   sd_infer_fwd.c     -L/-D forward channels, and the view without them
 *   sd_infer_window.c  the windowed exfil/infil view (sd_ssh_window)
 *   sd_infer_x11.c     X11 forwarding in use (the server's x11 channels)
 *   sd_infer_shape.c   authentication bypass and method scans, -N
 *   sd_infer_carry.c   what a tunnel's channel carries (web, bulk, ...)
 *   sd_infer_rekey.c   key re-exchanges after login, taken out of the records
 *   sd_infer_zlib.c    sizes on a compressed connection (sd_infer_zlib.h)
 *   sd_infer_tty.c     a command run with a terminal (ssh -t host cmd)
 *   sd_infer_mux.c     second session channels next to a shell (ControlMaster)
 * The constants of every rule are in sd_infer_rules.h. */
#ifndef SD_INFER_INT_H
#define SD_INFER_INT_H

#include "sd_infer.h"
#include "sd_infer_rules.h"

#include <stddef.h>

/* One encrypted record of the connection, in time order. */
typedef struct item {
    bool c;            /* from the outer client */
    bool exact;        /* one whole SSH packet (length-in-clear suites), else a segment's */
    uint32_t len;
    double t;
    sd_ts ts;
    uint64_t frame;
    bool x11;          /* in an x11 channel's traffic (sd_infer_x11.c): not a key */
    bool not_key;      /* a protocol message of a key's size: a used agent channel's
                        * confirmation (sd_infer_req.c), a tunnelled re-key's NEWKEYS
                        * (sd_infer_rekey.c) */
    uint32_t kex_bytes; /* a rekey's messages inside this bulk segment (sd_infer_rekey.c) */
    bool shell_out;    /* sent by a tunnelled leg's server in its shell with a terminal
                        * (sd_infer_inner.c): what its commands print, no transfer */
    uint8_t mux;       /* 1 + the index in ctx.mux of the second session channel whose
                        * exchange holds it (sd_infer_mux.c); 0: the session's own */
} item;

/* A second session channel opened next to a shell with a terminal
 * (ControlMaster: scp, sftp or ssh host cmd through the master's socket;
 * sd_infer_mux.c): its requests and what it carried. */
typedef struct mux_chan {
    size_t open;       /* its CHANNEL_OPEN */
    size_t req_to;     /* the first record after its requests */
    size_t end;        /* its last bulk record (or its answers') */
    bool sftp;         /* the sftp subsystem, else a command without a terminal */
    bool prompt;       /* sftp at its prompt: a person's pause after the setup */
} mux_chan;

/* A leg: which outer direction is its client and how its payload sizes
 * look on the outer wire. */
typedef struct leg {
    sd_leg id;
    bool cl_is_outer_client;
    const sd_ssh_suite *oc, *os; /* outer suites, client->server, server->client */
    const sd_ssh_suite *inner;   /* NULL for the forward leg */
    /* the suites of the hops between the outer connection and the leg's
     * own, outermost first (a ProxyJump chain: nmid nested legs carry this
     * one); 0 for a leg carried by the captured connection itself */
    const sd_ssh_suite *mid[NEST_DEPTH_MAX - 1];
    unsigned nmid;
    bool openssh_client, dropbear_server;
    /* the client's banner names an implementation that starts with the
     * method it was given, without the none probe (RFC 4252 5.2 makes it
     * optional; paramiko's auth_password / auth_publickey), and sends a
     * SERVICE_REQUEST before each attempt */
    bool no_none_probe;
    /* the client's banner names PuTTY (or WinSCP, built on its code): its
     * password requests are padded with an IGNORE (PUTTY_PW_MINLEN) */
    bool putty_client;
    bool paste;                  /* look for pastes (not while a tunnelled session may run) */
    bool compressed;             /* zlib after login: sizes do not tell the keys apart */
    int32_t zshift[2];           /* a tunnelled leg over a compressed outer connection: its
                                  * records' learned offset from the plain model, [1] the
                                  * leg client's, [0] the leg server's (sd_infer_zlib.h) */
} leg;

/* What a record is to the -L/-D channels (ctx.chan, sd_infer_fwd.c). */
enum {
    SDI_CHAN_NONE = 0, /* the session's */
    SDI_CHAN_REC,      /* a channel's */
    SDI_CHAN_OPEN_KEY  /* a channel's open that also carries a session key (one
                        * segment): the session sees a key's record there */
};

typedef struct ctx {
    const sd_infer_opts *o;
    const sd_sshconn_result *r;
    sd_evlist *out;
    sd_infer_summary *sum;
    item *v;
    size_t n;
    double login_t;
    bool midstream;    /* picked up mid-stream: no login, no requests seen (sd_ssh_mid.c) */
    bool sftp, exec;   /* the session: sftp subsystem, a command without pty */
    bool kind_unknown; /* mid-stream, no terminal: the kind not told by the traffic
                        * (read with exec's rules, reported "unknown") */
    bool kind_weak;    /* mid-stream: exec read from redraws alone, which the session's
                        * requests overrule where the capture holds them */
    bool scp;          /* a legacy scp transfer was seen (the session is scp) */
    bool pty_shell;    /* the session is a shell with a terminal */
    bool mux_only;     /* a ControlMaster with no session of its own (ssh -M -N):
                        * only its second session channels' bulk is a transfer */
    bool tty_cmd;      /* a command with a terminal (ssh -t host cmd, sd_infer_tty.c) */
    size_t req_to;     /* first record after the session's requests */
    const sd_ssh_suite *cs, *ss; /* the outer suites: client->server, server->client */
    uint8_t *chan;     /* per record: a -L/-D channel's (SDI_CHAN_*; NULL: none found) */
    /* the nested session a ProxyJump carrier carries (sd_infer_inner.c),
     * for its transfers: where its session starts (SIZE_MAX: it did not
     * log in), its kind and its inner suite */
    size_t nested_s0;
    const char *nested_kind;
    sd_ssh_suite nested_suite;
    sd_ssh_suite nested_mid[NEST_DEPTH_MAX - 1]; /* its carriers' suites (leg.mid) */
    unsigned nested_nmid;
    /* picked up mid-stream, a carrier whose channel opened before the
     * capture (sdi_mid_carrier): the nested session's suite, and whether
     * its login is in the capture */
    struct {
        bool found, login;
        sd_ssh_suite inner;
    } mid_nest;
    bool zlib;         /* compressed after login (sd_infer_zlib.h) */
    bool lines_only;   /* the last leg's keys (sdi_keys_leg) were whole lines sent
                        * at once, none typed key by key: not typed by a person */
    /* The capture's lag behind the outer client (s): how much later than
     * at the client its answers show (sdi_client_lag); s_lag the same for
     * the outer server (the handshake's SYN to SYN-ACK). */
    double c_lag, s_lag;
    mux_chan mux[MUX_CHANNELS_MAX]; /* second session channels (sd_infer_mux.c) */
    unsigned nmux;
} ctx;

/* ---- sd_infer.c: helpers every rule uses ---- */

/* The round trip between the capture and the outer client (s): the TCP
 * handshake's SYN-ACK to the client's ACK. About 0 for a capture on the
 * client's side of the link, the client's whole RTT for one on the server's
 * (an analyst's capture of an internet-facing server): a client answering
 * a server record "at once" shows that much later there. 0 when unknown
 * (no handshake seen), at most CLIENT_LAG_MAX_S. */
double sdi_client_lag(const sd_conn *c);
/* The same for the outer server: SYN to SYN-ACK (its RTT for a capture on
 * the client's side). */
double sdi_server_lag(const sd_conn *c);

/* Outer wire size of a payload p sent by the leg's client (cl) or server. */
uint32_t sdi_lw(const leg *L, bool cl, uint32_t p);
/* Outer wire size of w bytes of the tunnelled leg's own packets (one or
 * more, read at once) carried in one channel data by each hop around it
 * and the captured connection. */
uint32_t sdi_lw_wrap(const leg *L, bool cl, uint32_t w);
/* The t in [lo, hi] whose f(L, t, arg) is want, *first..*last (false:
 * none), for an f nondecreasing in t, as every wire size is in its
 * payload (RFC 4253 section 6: the padding rounds up to the block): a
 * binary search, about 2 log2(hi - lo) calls of f where a scan of the
 * range made hi - lo (the auth rules' password and user-name searches).
 * f may read the leg only through sdi_lw and L->openssh_client: on a
 * forward leg the answers are remembered by the client's suite and that
 * flag (sd_infer.c). */
bool sdi_lw_range(const leg *L, uint32_t (*f)(const leg *L, uint32_t t, uint32_t arg), uint32_t arg, uint32_t lo,
                  uint32_t hi, uint32_t want, uint32_t *first, uint32_t *last);
/* f for sdi_lw_range: the client's wire size of a payload of arg + t. */
uint32_t sdi_lw_cl_plus(const leg *L, uint32_t t, uint32_t arg);
/* Appends an event of kind from record a to record b (a when b is NULL). */
sd_event *sdi_ev(ctx *x, const char *kind, const item *a, const item *b, sd_leg leg_id);
/* qsort order of records: by timestamp, then frame. */
int sdi_cmp_ts_frame(sd_ts ta, uint64_t fa, sd_ts tb, uint64_t fb);
/* The first record after v[i] that is not in v[i]'s segment (same
 * direction, same frame): a peer's answer to a message comes after the
 * rest of the segment that carried it. */
size_t sdi_past_segment(const ctx *x, size_t i);

/* How much later than at the leg's client its answers to the leg's
 * server show in the capture (s): the outer client's lag for a forward or
 * hop leg, the outer server's for a reverse leg (its client sits on the
 * server's side). */
static inline double sdi_cl_lag(const ctx *x, bool cl_is_outer_client)
{
    return cl_is_outer_client ? x->c_lag : x->s_lag;
}

/* Whether a record was sent by the leg's client. */
static inline bool sdi_is_cl(const leg *L, const item *it)
{
    return it->c == L->cl_is_outer_client;
}

/* ---- sd_infer_auth.c ---- */

typedef struct auth_res {
    bool started;
    size_t sr_at;        /* the leg's SERVICE_REQUEST record, or SIZE_MAX */
    size_t success_at;   /* index of USERAUTH_SUCCESS, or SIZE_MAX */
    size_t end;          /* first index after the auth phase */
    int attempts;
    const char *method;
    bool failed;
    bool mfa;            /* the successful attempt needed a second factor */
    bool hung_up;        /* the server closed in place of answering the last attempt */
    bool joined;         /* the SUCCESS read joined with what follows it (a tunnel's hop) */
} auth_res;

/* The leg's authentication over v[from..limit): auth_attempt and
 * auth_banner events. */
auth_res sdi_auth_leg(ctx *x, const leg *L, size_t from, size_t limit);

/* ---- sd_infer_keys.c ---- */

/* The leg's keys over v[from..to): their number; keystroke, command_output
 * and chaff events when emit. */
uint32_t sdi_keys_leg(ctx *x, const leg *L, size_t from, size_t to, bool emit);

/* A line typed into a shell without a pty: a client record of a line's
 * size after a pause, answered by the server. */
bool sdi_typed_line(const ctx *x, const leg *L, size_t i);
/* Those lines of the leg from v[from] on: their number; keystroke events
 * (key paste) when emit. */
uint32_t sdi_lines_leg(ctx *x, const leg *L, size_t from, bool emit);

/* ---- sd_infer_req.c ---- */

enum { REQ_X11 = 1, REQ_AGENT = 2 };

/* The session's channel requests, read from their sizes. */
typedef struct reqs {
    bool found;
    size_t from, to;  /* the client records carrying the requests */
    bool pty, sftp;
    int extra;        /* REQ_X11 | REQ_AGENT, -1 undecided */
    double conf;      /* of extra */
    int pre;          /* REQ_X11 | REQ_AGENT sent in writes of their own before */
} reqs;

/* What the session's first records say. */
typedef struct session {
    reqs q;
    bool fwd_only;     /* -N: nothing but no-more-sessions after login */
    bool pty;          /* a shell with a terminal (pty-req or key/echo pairs) */
    bool notty_shell;  /* a shell without one (ssh -T): typed lines, no keys */
    bool pty_lines;    /* mid-stream, pty told by echoed lines only
                        * (sdi_mid_line_echoes): a nested session's
                        * through a carrier may show them too */
    size_t kfrom;      /* where keys may start */
} session;

/* Reads the session after login (s0: the first record after
 * USERAUTH_SUCCESS); sets x->sftp, x->exec, x->req_to. No events. */
void sdi_session(ctx *x, const leg *F, size_t s0, session *S);

/* ---- sd_infer_midreq.c ---- */

/* Picked up mid-stream: where the session's setup begins when the capture
 * holds it (the client's request group answered by CHANNEL_SUCCESS /
 * WINDOW_ADJUST only, the session's open before it or not), SIZE_MAX when
 * it came before the capture; *open_seen tells whether the record there
 * is the CHANNEL_OPEN, *group_end is past the request group. */
size_t sdi_mid_requests_at(const ctx *x, size_t s0, bool *open_seen, size_t *group_end);

/* ---- sd_infer_midkind.c ---- */

/* The kind of a session picked up mid-stream without a terminal, from its
 * traffic: sets x->sftp, S->fwd_only, x->exec, or x->kind_unknown (exec's
 * rules still read its transfers). */
void sdi_mid_kind(ctx *x, size_t s0, session *S);
/* A terminal's shell picked up mid-stream that a script drives: at least
 * MIDK_LINE_ECHOES_MIN whole lines each echoed at once in a record of its
 * size, then output. Returns the first line's index or SIZE_MAX. */
size_t sdi_mid_line_echoes(const ctx *x, size_t s0);
/* The server answers channel requests with CHANNEL_SUCCESS (payload 5)
 * and WINDOW_ADJUST (9) packets only; whether a record of len is these
 * alone (not, e.g., the reply to a hostkeys-prove-00@openssh.com request
 * the client may send first, OpenSSH PROTOCOL section 2.5). */
bool sdi_channel_answers(uint32_t len, const sd_ssh_suite *ss);
/* How many such answers a record of len holds, the fewest that make it
 * up; 0 when it is none. */
uint32_t sdi_channel_answer_count(uint32_t len, const sd_ssh_suite *ss);
/* The end of the client's run of records sent at once from v[i]
 * (REQ_FLUSH_S): a request group is written in one go. */
size_t sdi_request_run_end(const ctx *x, size_t i);
/* Agent and x11 forwarding: events and summary. */
void sdi_forwarding_requests(ctx *x, const reqs *q, size_t s0, bool no_session);

/* ---- sd_infer_legs.c ---- */

/* -R: the reverse_provisioned event when login is followed by a
 * tcpip-forward request. */
void sdi_reverse_provisioned(ctx *x, size_t s0);
/* Reverse and nested sessions carried in channels after s0: their events
 * and keys. Returns true if any was found. */
bool sdi_tunnels(ctx *x, size_t s0);
/* Whether the client's first channel after login (s0) carries a nested
 * SSH session (ProxyJump / -W): the connection is its tunnel, with no
 * session of its own. */
bool sdi_carrier(ctx *x, size_t s0);
/* Picked up mid-stream: whether the session is a ProxyJump carrier whose
 * channel opened before the capture, told by the nested session's sizes
 * (its login or its keys); sets ctx.mid_nest, which sdi_tunnels reads. */
bool sdi_mid_carrier(ctx *x, size_t s0);
/* Picked up mid-stream, -R not seen: a forward whose tcpip-forward
 * request came before the capture, told by the server's forwarded-tcpip
 * open after a pause, the client's confirmation and data both ways right
 * after (sshd opens one only for a port the client asked it to listen on,
 * RFC 4254 7.1-7.2): the reverse_provisioned event (midstream) at that
 * open, and the summary's reverse_provisioned, which lets sdi_forwards
 * read the server's opens. */
void sdi_mid_rfwd(ctx *x, size_t s0);

/* ---- sd_infer_inner.c ---- */

/* A tunnelled leg opened at v[at], authenticated as a (over v[at..lim)):
 * its host_key_check, and when it logged in its session event and keys,
 * as the forward leg gets them; carrier: its session is a tunnel carrying
 * the next hop (a tunnel session event, no keys). */
void sdi_inner_leg(ctx *x, const leg *L, size_t at, size_t lim, const auth_res *a, bool carrier);
/* A tunnelled leg whose login came before the capture: its session from
 * v[s0] on (a shell by its key/echo pairs, else a command). */
void sdi_inner_mid(ctx *x, const leg *L, size_t s0, size_t lim);

/* ---- sd_infer_xfer.c ---- */

/* Transfers in the session of leg L (the forward leg, or the nested leg
 * a carrier carries: sizes through sdi_lw) from v[from] on (transfer
 * events of L's leg; sets x->scp). */
void sdi_transfers(ctx *x, const leg *L, size_t from);

/* ---- sd_infer_fwd.c ---- */

/* -L/-D forward channels from v[from] on, in a -N session (fwd_only) or
 * next to a shell or command, and -R's where it was provisioned: forward
 * events; marks their records in x->chan. Mid-stream in a -N session, the
 * records before the first open seen are one channel opened before the
 * capture when they carry data. */
void sdi_forwards(ctx *x, size_t from, bool fwd_only);
/* Whether every record from v[from] on is a -L/-D channel's (read as next
 * to a session) or a control packet's size, at least one channel found:
 * a session picked up mid-stream with no session traffic (-N). Up to
 * in_flight_max records before the first open seen may be a channel's
 * opened before the capture, or any number parted from that open by a
 * pause (FWD_INFLIGHT_QUIET_S). A trial: no events, x->chan as it was. */
bool sdi_forwards_alone(ctx *x, size_t from, size_t in_flight_max);

/* The records without the forward channels' (x->chan), for the session's
 * keys and transfers: push swaps x->v / x->n / x->req_to for the view and
 * returns how many records it left out; index maps an index of the full
 * list into the view; pop restores the full list. */
typedef struct sdi_view {
    item *v;
    size_t n, req_to;
    size_t *map;
} sdi_view;
size_t sdi_view_push(ctx *x, sdi_view *sv);
size_t sdi_view_index(const sdi_view *sv, size_t i);
void sdi_view_pop(ctx *x, sdi_view *sv);

/* ---- sd_infer_carry.c ---- */

/* The traffic of one tunnelled channel, [0] client->server, [1]
 * server->client. Zero it, set last_data_dir to -1 and req, then add each
 * record. */
typedef struct sdi_carry {
    uint32_t recs[2];   /* every record of the channel after its confirmation */
    uint32_t data[2];   /* those carrying data (larger than control packets) */
    uint64_t bytes[2];  /* their data bytes (less one packet's framing each) */
    int req;            /* the opener's direction: 0 client (-L/-D), 1 server (-R) */
    uint32_t exchanges; /* requests: the opener's data first or after the peer's */
    bool opener_first;  /* the first data came from the opener's side */
    bool joined;        /* opened before the capture: its first data may
                         * answer a request not seen */
    int last_data_dir;  /* direction of the last data record, -1 none yet */
    double t0, t1;      /* first and last record */
} sdi_carry;

/* Whether the channel confirmed at v[conf] carries an SSH session:
 * KEXINIT-sized records both ways among the next NESTED_KEX_RECORDS (a
 * ProxyJump / -W hop, ssh through a forward, a reverse session through
 * -R), not a forward's or an agent's traffic (sd_infer_fwd.c). */
bool sdi_carries_ssh(const ctx *x, size_t conf);
/* A record of the channel; data_bytes 0 for a control-sized one. data:
 * it may carry data all the same (on a compressed connection deflate
 * shrinks a repeated request to a control packet's size: its bytes are
 * unknown, it still asks). */
void sdi_carry_add(sdi_carry *c, bool from_client, double t, uint64_t data_bytes, bool data);
double sdi_carry_duration(const sdi_carry *c);
/* "idle", "bulk", "interactive", "web" or "unknown" (see the rules). */
const char *sdi_carry_class(const sdi_carry *c);
/* The carried class and its evidence on a forward event. */
void sdi_carry_fields(sd_event *e, const sdi_carry *c, const char *cls);

/* ---- sd_infer_shape.c ---- */

/* Without a login: auth_bypass (traffic with no authentication first) and
 * scan (auth_methods_only: the none probe alone). */
void sdi_auth_shape(ctx *x, const auth_res *a);
/* -N after login (s0): the forward_only event. */
void sdi_forward_only_event(ctx *x, size_t s0);

/* ---- sd_infer_rekey.c ---- */

/* Key re-exchanges from v[s0] on: one rekey event each; their records
 * are removed from x->v (indices below s0 stay). */
void sdi_rekeys(ctx *x, size_t s0);
/* Re-keys of a tunnelled leg in v[from, to): their records stay (they are
 * channel data of the outer connection); the client's NEWKEYS, which can
 * have a key's size there, is marked not_key. */
void sdi_inner_rekeys(ctx *x, const leg *L, size_t from, size_t to);

/* ---- sd_infer_mux.c ---- */

/* In a shell with a terminal, from from on: second session channels
 * (x->mux; their records' item.mux), whose client records are no keys
 * (not_key). Call before sdi_forwards (which skips their records); the
 * indices in x->mux are then mapped into the view (sdi_view_index). */
void sdi_mux_channels(ctx *x, size_t from);
/* Which OpenSSH client drives the sftp channels set up side by side in
 * the second session channel group of v[b] (b its transfer's first bulk
 * record): 1 sftp, 0 scp (each channel's first file-system request after
 * its VERSION and LIMITS, sftp_client's rule), -1 when fewer than two
 * channels were read there, or they disagree or cannot tell. */
int sdi_mux_sftp_client(const ctx *x, size_t b);
/* An OpenSSH sftp client's first file-system request v[req] and its
 * answer v[ans] (ans >= x->n: none seen), dot and attrs the wire sizes of
 * REALPATH "." and of an ATTRS answer on that leg: 0 scp (a STAT of the
 * path it was given: not REALPATH "."'s size), 1 sftp (REALPATH ".",
 * answered by a NAME), -1 when the sizes do not tell (STAT "." has
 * REALPATH "."'s size: answered by ATTRS, or no answer). sd_infer_xfer.c. */
int sdi_fxp_first_tool(const ctx *x, size_t req, size_t ans, uint32_t dot, uint32_t attrs);

/* ---- sd_infer_tty.c ---- */

/* Whether the session's pty-req is followed by an exec (ssh -t host cmd),
 * not a shell: only an exec fits the final request's size, or before the
 * first key the server paints a screen or redraws by itself where a shell
 * shows a prompt and waits. */
bool sdi_pty_command(const ctx *x, const leg *F, const session *S);

/* ---- sd_infer_x11.c ---- */

/* Whether v[i] opens an x11 channel that an X client used (open,
 * confirmation, X setup, reply); the agent rule skips these. */
bool sdi_x11_open_at(const ctx *x, size_t i);
/* X11 in use after s0: one x11_forwarding event (used) and the summary. */
void sdi_x11_used(ctx *x, size_t s0);

#endif
