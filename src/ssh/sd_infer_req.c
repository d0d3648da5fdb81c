/* sd_infer_req: the session after login: its channel requests (pty-req,
 * env, shell / exec / subsystem, x11-req, auth-agent-req), its kind
 * (shell, exec, sftp, forward-only) and agent / X11 forwarding
 * (docs/events.md session, agent_forwarding, x11_forwarding). */
#include "sd_infer_zlib.h"

#include <stdio.h>

/* Whether rest wire bytes are 0..ENV_MAX env requests. One request's wire
 * size takes every value from wmin to wmax in steps of the cipher block
 * (its payload grows byte by byte; the padding rounds up to a block), so k
 * of them sum to any k * wmin + j * B up to k * wmax. */
static bool env_wire(const sd_ssh_suite *s, uint32_t rest)
{
    uint32_t wmin = sd_ssh_wire_size(s, P_ENV_BASE + ENV_TEXT_MIN), wmax = sd_ssh_wire_size(s, P_ENV_BASE + ENV_TEXT_MAX);
    if (rest == 0)
        return true;
    for (uint32_t k = 1; k <= ENV_MAX && k * wmin <= rest; k++)
        if (rest <= k * wmax && (rest - k * wmin) % s->block == 0)
            return true;
    return false;
}

/* Whether rest wire bytes are a pty-req (TERM of 1..TERM_MAX bytes, Linux
 * modes) followed by env requests (when env), or the env requests alone
 * when there is no pty. */
static bool pty_env_wire(const sd_ssh_suite *s, uint32_t rest, bool pty, bool env)
{
    if (!pty)
        return env ? env_wire(s, rest) : rest == 0;
    for (uint32_t t = 1; t <= TERM_MAX; t++) {
        uint32_t w = sd_ssh_wire_size(s, P_PTY_BASE + t + PTY_MODES_LINUX);
        if (rest >= w && (env ? env_wire(s, rest - w) : rest == w))
            return true;
    }
    return false;
}

unsigned sd_infer_request_fits(const sd_ssh_suite *s, uint32_t total, bool pty, bool env, uint32_t final_payload)
{
    uint32_t wf = sd_ssh_wire_size(s, final_payload), wx = sd_ssh_wire_size(s, P_REQ_X11),
             wa = sd_ssh_wire_size(s, P_REQ_AGENT);
    unsigned fits = 0;
    if (!wf)
        return 0;
    for (unsigned m = 0; m < 4; m++) {
        uint32_t e = wf + (m & REQ_X11 ? wx : 0) + (m & REQ_AGENT ? wa : 0);
        if (total >= e && pty_env_wire(s, total - e, pty, env))
            fits |= 1u << m;
    }
    return fits;
}

int sd_infer_split_requests(const sd_ssh_suite *s, uint32_t total, bool pty, bool env, uint32_t final_payload)
{
    unsigned fits = sd_infer_request_fits(s, total, pty, env, final_payload);
    for (int m = 0; m < 4; m++)
        if (fits == 1u << m)
            return m;
    return -1; /* none, or two readings: no decision */
}

/* (declared in sd_infer_int.h) */
uint32_t sdi_channel_answer_count(uint32_t len, const sd_ssh_suite *ss)
{
    uint32_t w5 = sd_ssh_wire_size(ss, P_CHANNEL_SUCCESS), w9 = sd_ssh_wire_size(ss, SD_SSH_P_WINDOW_ADJUST);
    uint32_t best = 0;
    for (uint32_t a = 0; a <= REQ_ANSWERS_MAX; a++)
        for (uint32_t b = 0; b <= REQ_ANSWERS_MAX; b++)
            if ((a || b) && a * w5 + b * w9 == len && (!best || a + b < best))
                best = a + b;
    return best;
}

/* (declared in sd_infer_int.h) */
bool sdi_channel_answers(uint32_t len, const sd_ssh_suite *ss)
{
    return sdi_channel_answer_count(len, ss) > 0;
}

/* (declared in sd_infer_int.h) */
size_t sdi_request_run_end(const ctx *x, size_t i)
{
    size_t to = i + 1;
    while (to < x->n && x->v[to].c && x->v[to].t - x->v[i].t < REQ_FLUSH_S)
        to++;
    return to;
}

/* A run of client records that is only an x11-req and / or an
 * auth-agent-req (exact packets or their sum in a segment): a client
 * that sends them in writes of their own (waiting for each reply, or a
 * write split on its way) before the pty-req and the final request. */
static int extras_only(const ctx *x, size_t from, size_t to)
{
    uint32_t total = 0, wx = sd_ssh_wire_size(x->cs, P_REQ_X11), wa = sd_ssh_wire_size(x->cs, P_REQ_AGENT);
    for (size_t i = from; i < to; i++)
        total += x->v[i].len;
    return total == wx ? REQ_X11 : total == wa ? REQ_AGENT : total == wx + wa ? REQ_X11 | REQ_AGENT : 0;
}

/* The run [i, to) after a run of extras alone (q): the group when it
 * holds the pty-req (only before a pty-req nothing else than x11-req and
 * auth-agent-req stands: a command's exec request may have their size);
 * else the first run was the group. */
static reqs pty_after(const ctx *x, reqs q, int pre, size_t i, size_t to)
{
    uint32_t total = 0, wpty = sd_ssh_wire_size(x->cs, P_PTY_MIN), wmax = sd_ssh_wire_size(x->cs, P_PTY_MAX);
    bool big = false;
    for (size_t k = i; k < to; k++) {
        total += x->v[k].len;
        big |= x->v[k].len >= wpty && x->v[k].len <= wmax;
    }
    /* exact packets: a pty-req's size; a segment: a request group's at
     * most (a larger record is the session's data) */
    if (!(x->v[i].exact ? big : total >= wpty && x->v[i].len <= sd_ssh_wire_size(x->cs, P_REQ_GROUP_MAX)))
        return q;
    q.pre = pre;
    q.from = i;
    q.to = to;
    q.conf = CONF_REQ_PTY; /* nothing else has these sizes alone, before the pty-req */
    return q;
}

/* The client's channel requests: a run of client records sent at once
 * (REQ_FLUSH_S) after a server record, within REQ_WINDOW_S of login, whose
 * next server records (up to REQ_ANSWER_RECORDS) include the answers. The
 * first REQ_RUNS runs after the session's CHANNEL_OPEN are tried; a run of
 * x11 / agent requests alone is noted (q.pre) and the next run read as
 * the group. */
static reqs find_requests(const ctx *x, size_t s0, bool open_seen)
{
    reqs q = { .extra = -1 };
    int pre = 0;
    size_t i = s0;
    while (i < x->n && !x->v[i].c)
        i++;
    while (open_seen && i < x->n && x->v[i].c) /* the CHANNEL_OPEN */
        i++;
    for (int run = 0; run < REQ_RUNS; run++) {
        while (i < x->n && !x->v[i].c)
            i++;
        if (i >= x->n || x->v[i].t - x->login_t > REQ_WINDOW_S)
            return q;
        size_t to = sdi_request_run_end(x, i);
        for (size_t j = to; j < x->n && j < to + REQ_ANSWER_RECORDS && !x->v[j].c; j++)
            if (sdi_channel_answers(x->v[j].len, x->ss)) {
                if (pre)
                    return pty_after(x, q, pre, i, to);
                q.found = true;
                q.from = i;
                q.to = to;
                pre = extras_only(x, i, to);
                if (!pre)
                    return q;
                break;
            }
        i = to;
        while (i < x->n && x->v[i].c)
            i++;
    }
    return q;
}

/* Exact packets: x11-req and auth-agent-req come first, then the pty-req
 * and env requests. Before a pty-req nothing else can stand there; without
 * one an env request of the same size could (LANG=en_US.UTF-8 is an agent
 * request's size): no decision. */
static void exact_extras(const ctx *x, reqs *q)
{
    const sd_ssh_suite *s = x->cs;
    size_t i = q->from;
    int m = 0;
    if (!q->pty)
        return;
    if (i + 1 < q->to && x->v[i].len == sd_ssh_wire_size(s, P_REQ_X11))
        m |= REQ_X11, i++;
    if (i + 1 < q->to && x->v[i].len == sd_ssh_wire_size(s, P_REQ_AGENT))
        m |= REQ_AGENT, i++;
    if (x->v[i].len < sd_ssh_wire_size(s, P_PTY_MIN))
        return; /* the pty-req must follow them */
    q->extra = m;
    q->conf = CONF_REQ_PTY;
}

/* sftp: the client's SSH_FXP_INIT is the first data after the requests,
 * answered by a larger SSH_FXP_VERSION. sftp's INIT comes first: before
 * it the server sends only its answers to the requests (sdi_channel_answers).
 * A shell speaks first: its prompt before a scripted first line of the
 * INIT's size (lab scripted_pty_*: `id` and Enter within 1 s of the
 * prompt, 44 bytes under chacha20 and aes128-gcm as the INIT) is no sftp. */
static bool sftp_init(const ctx *x, const reqs *q)
{
    size_t i = q->to;
    while (i < x->n && !x->v[i].c)
        if (!sdi_channel_answers(x->v[i++].len, x->ss))
            return false;
    if (i + 1 >= x->n || x->v[i].len != sd_ssh_wire_size(x->cs, P_SFTP_INIT) ||
        x->v[i].t - x->v[q->from].t > SFTP_INIT_S)
        return false;
    /* legacy scp's sink (pscp -scp host:file, whose exec request group has
     * the subsystem group's size) opens with its 1-byte ack, of the INIT's
     * size under 16-byte blocks (aes-ctr with hmac-sha2-256: 64): the
     * server answers with the file's "C..." line, acknowledged by one more
     * such record, and the file's bytes follow. sftp answers the VERSION
     * with requests (an OPEN and READs, larger) before any data comes. */
    size_t j = i + 1;
    while (j < x->n && !x->v[j].c)
        j++;
    if (j + 1 < x->n && x->v[j].len == x->v[i].len && !x->v[j + 1].c && x->v[j + 1].len >= XFER_RECORD)
        return false;
    return !x->v[i + 1].c && x->v[i + 1].len >= sd_ssh_wire_size(x->ss, P_SFTP_INIT);
}

/* Reads the requests of an OpenSSH client: pty, sftp subsystem, and the
 * x11/agent requests sent before them; env requests (SendEnv) may stand
 * between the pty-req and the final request. Segment-level records hold
 * the sum of the packets: it is split when only one combination fits. */
static void read_requests(const ctx *x, reqs *q, bool openssh)
{
    const sd_ssh_suite *cs = x->cs;
    bool exact = x->v[q->from].exact, big = false;
    uint32_t wpty = sd_ssh_wire_size(cs, P_PTY_MIN), total = 0;
    for (size_t i = q->from; i < q->to; i++) {
        total += x->v[i].len;
        big |= x->v[i].len >= wpty;
    }
    /* the sftp subsystem request ends the group: its last packet, or in a
     * segment a reading of the total with any env requests before it */
    uint32_t last = x->v[q->to - 1].len;
    bool sftp_req = exact ? last == sd_ssh_wire_size(cs, P_REQ_SFTP)
                          : sd_infer_request_fits(cs, total, false, true, P_REQ_SFTP) != 0;
    q->sftp = (sftp_req && sftp_init(x, q)) || sdi_z_sftp_init(x, q);
    /* sftp never asks for a pty: a segment of many env requests may reach
     * a pty-req's size */
    q->pty = !q->sftp && (exact ? big : total >= wpty);
    if (!openssh)
        return;
    if (exact)
        exact_extras(x, q);
    else if (q->pty || q->sftp) {
        q->extra = sd_infer_split_requests(cs, total, q->pty, true, q->pty ? P_REQ_SHELL : P_REQ_SFTP);
        q->conf = CONF_REQ_PTY; /* decided only when no env request could take its place */
    }
}

/* An extra request (x11-req, auth-agent-req) seen among the requests. */
static void request_event(ctx *x, const reqs *q, const char *kind, const char *note)
{
    sd_event *e = sdi_ev(x, kind, &x->v[q->from], &x->v[q->to - 1], SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = q->conf;
    sd_ev_bool(e, "used", false);
    snprintf(e->note, sizeof e->note, "%s", note);
}

/* Two records of bulk size in a row one way: a transfer's data, which an
 * agent exchange (one message each way at a time) never is. */
static bool bulk_pair(const item *a, const item *b)
{
    return a->c == b->c && a->len >= XFER_RECORD && b->len >= XFER_RECORD;
}

/* How soon the client's CLOSE reacts to sshd's (s, past the client's
 * lag): REACT_MIN_S for a record that could be one key, AGENT_CLOSE_S for
 * EOF and CLOSE together (two control packets, uncompressed), which no
 * single key has the size of. */
static double close_within(const ctx *x, const item *it)
{
    return !x->zlib && it->len == 2 * sd_ssh_wire_size(x->cs, P_CHANNEL_CTL) ? AGENT_CLOSE_S : REACT_MIN_S;
}

/* The index of the client's CLOSE when the records after the agent
 * channel's confirmation at v[cf] are an agent exchange (OpenSSH
 * PROTOCOL.agent, draft-miller-ssh-agent), 0 when they are not: the server
 * forwards a request (every agent message is at least a uint32 length and
 * a type byte: a CHANNEL_DATA of 5 bytes or more), the client answers with
 * another, and within AGENT_LIFE_S the channel is closed: the client's
 * CLOSE (one or two 5-byte control packets) reacts at once to the server's
 * EOF / CLOSE. "At once" is within close_within() plus the capture's lag
 * behind the client (x->c_lag), as each client answer here is timed. A
 * transfer's bulk records in between, or a client answer of a 1-byte
 * ack's size, is other traffic of the session (an scp or sftp exchange has
 * the open's and the confirmation's sizes). */
static size_t agent_exchange(const ctx *x, size_t cf)
{
    uint32_t rq = sdi_z_least(x, x->ss, SD_SSH_P_CHANNEL_DATA(AGENT_MSG_MIN)),
             an = sdi_z_least(x, x->cs, SD_SSH_P_CHANNEL_DATA(AGENT_MSG_MIN));
    size_t q = cf + 1 < x->n ? sdi_z_run_end(x, cf + 1) : cf + 1;
    /* the request forwarded in parts, sent at once (its uint32 length,
     * then the rest: lab offc_agent_used seed +2000, 44 + 36 within
     * 0.04 ms); the client answers the whole */
    uint64_t req = q < x->n ? x->v[q].len : 0;
    while (!x->zlib && q + 1 < x->n && !x->v[q].c && !x->v[q + 1].c && x->v[q + 1].t - x->v[q].t < REACT_MIN_S)
        req += x->v[++q].len;
    if (q + 1 >= x->n || x->v[q].c || req < rq || !x->v[q + 1].c || x->v[q + 1].len < an ||
        x->v[q + 1].t - x->v[q].t >= sdi_z_answer_s(x, AGENT_REPLY_S) + x->c_lag)
        return 0;
    for (size_t j = q + 2; j < x->n && j <= q + AGENT_LIFE_RECORDS && x->v[j].t - x->v[cf].t < AGENT_LIFE_S; j++) {
        const item *it = &x->v[j], *pv = &x->v[j - 1];
        if (bulk_pair(pv, it))
            return 0;
        if (it->c && !pv->c && sdi_z_ctl(x, it->len) && it->t - pv->t < close_within(x, it) + x->c_lag)
            return j;
    }
    return 0;
}

/* Whether the server record v[i] is an agent channel's open: its size,
 * or (read by segment) the open in one segment with the
 * echo of the Enter just before it ("\r\n"), which the command that
 * uses the agent follows at once (lab sat_agent_used frame 69: 36 + 68
 * bytes over a 500 ms link, two writes 4.5 ms apart at the client's side
 * of the lab). The client's confirmation and the agent exchange must
 * still follow (agent_used). */
static bool agent_open_at(const ctx *x, size_t i)
{
    const item *o = &x->v[i];
    if (o->c)
        return false;
    if (sdi_z_is(x, x->ss, o->len, P_AGENT_OPEN))
        return true;
    if (o->exact || i == 0 || !x->v[i - 1].c)
        return false;
    if (!x->zlib)
        return o->len == sd_ssh_wire_size(x->ss, SD_SSH_P_CHANNEL_DATA(2)) + sd_ssh_wire_size(x->ss, P_AGENT_OPEN);
    /* compressed, each of the two within its deflated bounds (lab
     * dropbear_client_agent seed 1000, dbclient -A with zlib, chacha20:
     * 36 + 52 = 88 in one segment, where the first run had them apart) */
    return o->len >= 2 * sd_ssh_wire_size(x->ss, Z_PAYLOAD_MIN) &&
           o->len <= sd_ssh_wire_size(x->ss, Z_MAX(SD_SSH_P_CHANNEL_DATA(2))) +
                         sd_ssh_wire_size(x->ss, Z_MAX(P_AGENT_OPEN));
}

/* How soon the client confirms an agent channel's open (s): at once,
 * AGENT_CONFIRM_S; over zlib, where the sizes no longer tell the
 * confirmation from a key, REACT_MIN_S, unless sshd's request answers the
 * confirmation at once (REACT_MIN_S past the server's lag): then a
 * loaded client's late confirmation (lab compress_agent_chacha seed
 * +2000: 109 ms at the client's side, the request 0.2 ms after it) is
 * still one, the exchange after it being machine-paced throughout. */
static double confirm_within(const ctx *x, size_t ci)
{
    double t = sdi_z_answer_s(x, AGENT_CONFIRM_S);
    if (!x->zlib || ci + 1 >= x->n || x->v[ci + 1].c || x->v[ci + 1].t - x->v[ci].t >= REACT_MIN_S + x->s_lag)
        return t;
    return AGENT_CONFIRM_S;
}

/* The server opens an auth-agent@openssh.com channel, the client confirms
 * at once and an agent exchange follows: the forwarded agent is used. */
static bool agent_used(ctx *x, size_t s0)
{
    for (size_t i = s0; i + 1 < x->n; i++) {
        size_t ci = sdi_past_segment(x, i); /* past the rest of the open's segment */
        if (ci >= x->n)
            break;
        item *o = &x->v[i], *c = &x->v[ci];
        if (!agent_open_at(x, i) || !c->c || !sdi_z_is(x, x->cs, c->len, P_OPEN_CONFIRM) ||
            c->t - o->t >= confirm_within(x, ci) + x->c_lag ||
            sdi_x11_open_at(x, i) || /* an x11 open can have the agent open's size */
            /* compressed, a reverse session's forwarded-tcpip open can too
             * (lab compress_reverse_aes128gcm: 84 bytes), its banners
             * passing for a request and its answer */
            sdi_carries_ssh(x, ci))
            continue;
        size_t end = agent_exchange(x, ci);
        if (!end)
            continue;
        /* the client's agent answers are no keys either: seen from the
         * server's side they come a round trip after the request, too late
         * for the keys' "protocol answer" rule (REACT_MIN_S), and a
         * 124-byte identities answer has a paste's size */
        for (size_t j = ci + 1; j <= end; j++)
            if (x->v[j].c)
                x->v[j].not_key = true;
        /* the confirmation of a channel whose agent exchange followed is
         * the client's answer, not a key (the agent's request right after
         * it can pass for its echo: dbclient, chacha20-poly1305, with or
         * without zlib), however late it shows: a round trip later at the
         * server's side, 37 ms at a loaded client (offc_agent_used) */
        c->not_key = true;
        sd_event *e = sdi_ev(x, "agent_forwarding", o, c, SD_LEG_FORWARD);
        e->dir = 1;
        e->confidence = CONF_AGENT_USED;
        sd_ev_bool(e, "used", true);
        snprintf(e->note, sizeof e->note, "agent channel opened by the server, a request answered, closed: agent used");
        return true;
    }
    return false;
}

/* Agent and X11 forwarding: requested (auth-agent-req / x11-req among the
 * session's requests, where no env request could stand in their place)
 * and, for the agent, used (the server opens an agent channel; not in an
 * sftp session: sftp-server never connects to the agent and OpenSSH's sftp
 * and scp run ssh with ForwardAgent=no, so a record of an agent open's size
 * there is SFTP traffic; nor without a session channel, which the
 * auth-agent-req is a request of). One agent_forwarding event: at the use
 * if any. */
void sdi_forwarding_requests(ctx *x, const reqs *q, size_t s0, bool no_session)
{
    /* requests read without an auth-agent-req: sshd opens no agent channel */
    bool unrequested = no_session || (q->extra >= 0 && !(q->extra & REQ_AGENT) && !(q->pre & REQ_AGENT));
    bool used = !x->sftp && !unrequested && agent_used(x, s0);
    bool req = (q->extra > 0 && (q->extra & REQ_AGENT)) || (q->pre & REQ_AGENT);
    x->sum->agent_used = used;
    x->sum->agent_forwarding = used || req;
    if (req && !used)
        request_event(x, q, "agent_forwarding", "auth-agent-req sent (-A); the agent was not used");
    if ((q->extra > 0 && (q->extra & REQ_X11)) || (q->pre & REQ_X11))
        request_event(x, q, "x11_forwarding", "x11-req sent (-X/-Y)");
}

/* Records after the pty-req's write: where keys may start. */
static size_t keys_start(const ctx *x, size_t i)
{
    size_t k = i + 1;
    while (k < x->n && x->v[k].t - x->v[i].t < PTY_WRITE_S)
        k++;
    return k;
}

/* Whether a client record has a tcpip-forward request's size (payload
 * 27 + a bind address of up to FWD_HOST_MAX bytes), in a session where -R
 * was found requested. */
static bool rfwd_request(const ctx *x, const item *it)
{
    return x->sum->reverse_provisioned && it->len >= sd_ssh_wire_size(x->cs, P_TCPIP_FORWARD_BASE) &&
           it->len <= sd_ssh_wire_size(x->cs, P_TCPIP_FORWARD_BASE + FWD_HOST_MAX);
}

/* -N: nothing after login but no-more-sessions@openssh.com (and the -R
 * requests, which ssh -N -R sends first). */
static bool forward_only(const ctx *x, size_t s0)
{
    bool fwd_only = true;
    /* the session's open answers the USERAUTH_SUCCESS and its requests the
     * open's confirmation: two client answers, each x->c_lag later at a
     * capture on the server's side (srv_reverse_keys: the pty-req 0.3004 s
     * after the success over a 60 ms link), and the confirmation may itself
     * be late (wan_reverse_keys: 245 ms after the open): the window reaches
     * FWD_ONLY_S + c_lag past the last server record in it (once). At a
     * capture on the client's side the server's answers (the open's
     * confirmation) come x->s_lag after what they answer (wanc220_demo:
     * -R, then the pty-req 0.743 s after the success over a 220 ms link):
     * each allowance takes that lag too. */
    double lag = x->c_lag + x->s_lag;
    double end = x->login_t + FWD_ONLY_S + 2 * lag, last_sv = x->login_t;
    for (size_t i = s0; i < x->n && x->v[i].t < end; i++)
        if (!x->v[i].c)
            last_sv = x->v[i].t;
    if (last_sv + FWD_ONLY_S + lag > end)
        end = last_sv + FWD_ONLY_S + lag;
    /* ssh -N sends no-more-sessions@openssh.com once (ssh.c): a second
     * record of its size is something else (sat_paramiko_exec_password:
     * paramiko's channel open and exec request both have its size) */
    unsigned nms = 0;
    for (size_t i = s0; i < x->n && x->v[i].t < end; i++) {
        if (!x->v[i].c)
            continue;
        bool is_nms = x->v[i].len == sd_ssh_wire_size(x->cs, P_NO_MORE_SESSIONS);
        nms += is_nms;
        if ((!is_nms && !rfwd_request(x, &x->v[i])) || nms > 1)
            fwd_only = false;
    }
    return fwd_only;
}

/* The client's record at v[i] answers the server's record right before
 * it (REACT_MIN_S): a program's protocol, no person's key (legacy `scp
 * -r -O`'s "\0" acknowledgements, each 0.1 ms after a file's last bulk
 * record, answered by the next line's or the end byte's short record:
 * lab scp_tree_down_deep at +9900, frames 740-944). */
static bool answers_server(const ctx *x, size_t i)
{
    return i > 0 && !x->v[i - 1].c && x->v[i].t - x->v[i - 1].t < REACT_MIN_S;
}

/* Clients with short terminal-mode lists (PuTTY: pty-req ~ 140 bytes): an
 * interactive session shows key/echo pairs. Returns the first pair's key
 * or SIZE_MAX. */
static size_t echo_pairs(const ctx *x, size_t s0)
{
    uint32_t wk = sd_ssh_wire_size(x->cs, SD_SSH_P_KEYSTROKE), we = sd_ssh_wire_size(x->ss, SD_SSH_P_KEYSTROKE);
    int pairs = 0;
    size_t first = SIZE_MAX;
    /* mid-stream login_t is the first record's time, no login: nothing
     * of the login's to keep out (lab agent_key_chacha at login+20: the
     * first two of its four pairs within 0.3 s of the cut) */
    double after = x->midstream ? -1 : PAIR_AFTER_LOGIN_S;
    /* an echo comes a server lag after its key at a capture on the
     * client's side (wanc220_paste at login+20: 0.22 s) */
    double echo_s = PAIR_ECHO_S + x->s_lag;
    for (size_t i = s0; i + 1 < x->n && pairs < PTY_PAIRS; i++)
        if (x->v[i].c && x->v[i].len == wk && !x->v[i + 1].c && x->v[i + 1].len == we &&
            x->v[i + 1].t - x->v[i].t < echo_s && x->v[i].t - x->login_t > after && !answers_server(x, i)) {
            if (first == SIZE_MAX)
                first = i;
            pairs++;
        }
    return pairs >= PTY_PAIRS ? first : SIZE_MAX;
}

static size_t lockstep_shell(const ctx *x, size_t to);

/* Whether the session has a terminal, and where its keys may start. */
static void find_pty(ctx *x, size_t s0, session *S)
{
    /* a pty request carries the terminal modes */
    S->pty = S->q.pty;
    S->kfrom = S->q.pty ? keys_start(x, S->q.from) : s0;
    /* not after -N: its large records are forwarded data (plink -N -R used
     * 2 s after login) */
    for (size_t i = s0; !S->fwd_only && !S->q.found && !S->pty && i < x->n && x->v[i].t - x->login_t < REQ_WINDOW_S; i++)
        if (x->v[i].c && x->v[i].len >= sd_ssh_wire_size(x->cs, P_PTY_MIN)) {
            S->pty = true;
            S->kfrom = keys_start(x, i);
        }
    /* no session channel (-N, a script's forward alone): the forwarded
     * channels' small records and their answers are no key/echo pairs */
    if (S->pty || S->fwd_only)
        return;
    size_t first = echo_pairs(x, s0);
    if (first != SIZE_MAX) {
        S->pty = true;
        S->kfrom = first;
        /* the shell request found sent in lockstep: the keys (a script's
         * lines) may start right after it, before the first pair (lab
         * paramiko_shell seed +5000: the first line's echo left with its
         * output, 144 bytes, no pair: that line was lost) */
        size_t sh = S->q.found ? lockstep_shell(x, S->q.to) : SIZE_MAX;
        if (sh != SIZE_MAX && sh < first)
            S->kfrom = sh + 1;
    }
}

/* A client that sends each channel request alone and waits for its
 * answer (paramiko: get_pty(), then invoke_shell(); its pty-req carries no
 * terminal modes, under P_PTY_MIN): the run find_requests read ends at
 * the first answer, and the shell request is the client's next record,
 * alone, right after that answer (a client reacts, a person types no sooner than HUMAN_MIN_S;
 * lab paramiko_shell_s1000: 96, 48 back,
 * then 64). The index of that request from v[to] on, or SIZE_MAX. */
static size_t lockstep_shell(const ctx *x, size_t to)
{
    size_t j = to;
    while (j < x->n && j < to + REQ_ANSWER_RECORDS && !x->v[j].c && sdi_channel_answers(x->v[j].len, x->ss))
        j++;
    bool shell = j > to && j + 1 < x->n && x->v[j].c && !x->v[j + 1].c && x->v[j].t - x->login_t < REQ_WINDOW_S &&
                 x->v[j].t - x->v[j - 1].t < x->c_lag + HUMAN_MIN_S && x->v[j].len == sd_ssh_wire_size(x->cs, P_REQ_SHELL);
    return shell ? j : SIZE_MAX;
}

/* A shell without a pty (ssh -T, a client whose stdin is no terminal):
 * the final request has a shell request's size (an exec of a command of a
 * few bytes can have it too; env requests are not read here, their sizes
 * would fit any total), and the client later sends lines of its own after
 * a pause: a person typing in the client's line mode (a line leaves at
 * Enter), where a command's client sends nothing or answers output at
 * once (window adjustments). */
static bool notty_shell(const ctx *x, const leg *F, const reqs *q)
{
    const sd_ssh_suite *cs = x->cs;
    uint32_t total = 0;
    for (size_t i = q->from; i < q->to; i++)
        total += x->v[i].len;
    bool shell = x->v[q->from].exact ? x->v[q->to - 1].len == sd_ssh_wire_size(cs, P_REQ_SHELL)
                                     : sd_infer_request_fits(cs, total, false, false, P_REQ_SHELL) != 0;
    size_t from = q->to;
    if (!shell && lockstep_shell(x, q->to) != SIZE_MAX)
        shell = true, from++;
    unsigned lines = 0;
    for (size_t i = from; shell && i < x->n && lines < NOTTY_LINES; i++)
        lines += sdi_typed_line(x, F, i);
    return lines >= NOTTY_LINES;
}

/* A session opened only after a pause (plink asks for a Return after
 * authentication, PuTTY's anti-spoofing prompt): nothing within FWD_ONLY_S
 * of login, then a CHANNEL_OPEN of a session's size (-N's direct-tcpip
 * opens carry two addresses) whose requests hold a pty-req or the sftp
 * subsystem. The request windows then count from that open: x->login_t
 * moves there when one is found. */
static bool delayed_session(ctx *x, const leg *F, size_t s0)
{
    size_t i = s0; /* past what forward_only() let through (a session open may have
                    * no-more-sessions' size: 80 bytes under aes256-ctr + hmac-sha2-256) */
    while (i < x->n && (!x->v[i].c || rfwd_request(x, &x->v[i]) ||
                        (x->v[i].t - x->login_t < FWD_ONLY_S &&
                         x->v[i].len == sd_ssh_wire_size(x->cs, P_NO_MORE_SESSIONS))))
        i++;
    if (i >= x->n || x->v[i].len != sd_ssh_wire_size(x->cs, P_SESSION_OPEN))
        return false;
    double login_t = x->login_t;
    x->login_t = x->v[i].t;
    reqs q = find_requests(x, i > 0 ? i - 1 : i, true);
    if (q.found)
        read_requests(x, &q, false);
    /* OpenSSH opens its session right after login or never (-N), so a
     * later session channel of its without a terminal is a
     * ControlMaster's (ssh -M -N, a ControlPersist master): scp, sftp or a
     * command run through its socket, read by sd_infer_mux.c, the master
     * having no session of its own (lab mux_n_xfer: the first scp's sftp
     * channel 1.7 s after login; its upload's first bulk record no
     * pty-req). A terminal's channel (ssh host through the master) stays
     * read as the session, for its keys. */
    bool master = F->openssh_client && q.found;
    bool pty = q.found && (q.pty || (q.sftp && !master));
    for (size_t k = i + 1; !pty && !master && k < x->n && x->v[k].t - x->login_t < REQ_WINDOW_S; k++)
        pty = x->v[k].c && x->v[k].len >= sd_ssh_wire_size(x->cs, P_PTY_MIN);
    if (!pty)
        x->login_t = login_t;
    return pty;
}

/* A session picked up mid-stream: its channel open and requests came
 * before the capture, so only key/echo pairs tell a shell with a terminal
 * (its keys from the first record); the traffic tells the rest
 * (sd_infer_midkind.c). */
static void mid_session(ctx *x, size_t s0, session *S)
{
    S->q = (reqs){ .extra = -1 };
    S->kfrom = s0;
    S->pty = echo_pairs(x, s0) != SIZE_MAX;
    x->exec = false;
    x->req_to = s0;
    if (!S->pty)
        sdi_mid_kind(x, s0, S);
}

void sdi_session(ctx *x, const leg *F, size_t s0, session *S)
{
    bool open_seen = true;
    if (x->midstream) {
        mid_session(x, s0, S);
        /* the session's requests in the capture (sd_infer_midreq.c): no
         * forward's open or transfer before their end; where the traffic
         * told no kind (or only redraws), read as a full capture's */
        size_t end = 0, r = sdi_mid_requests_at(x, s0, &open_seen, &end);
        bool untold = x->kind_unknown || x->kind_weak;
        if (r != SIZE_MAX && !untold)
            x->req_to = end;
        /* no kind told and no requests in the capture: a script's lines
         * through a pty, echoed whole, tell a shell; no keys read (the key
         * reader takes a line of a key's size for one key, an Enter: lab
         * paramiko_shell at login+20, "id\r" read as Enter where the
         * labels have three lines pasted) */
        if (r == SIZE_MAX && x->kind_unknown && sdi_mid_line_echoes(x, s0) != SIZE_MAX) {
            S->pty = S->pty_lines = true;
            S->kfrom = x->n;
            x->kind_unknown = x->exec = false;
        }
        if (r == SIZE_MAX || !untold)
            return;
        *S = (session){ .q = { .extra = -1 } };
        x->kind_unknown = x->kind_weak = false;
        s0 = r;
    }
    /* requests answered mid-stream: a session channel's, no -N */
    S->fwd_only = !x->midstream && forward_only(x, s0) && !delayed_session(x, F, s0);
    S->q = S->fwd_only ? (reqs){ .extra = -1 } : find_requests(x, s0, open_seen);
    if (S->q.found)
        read_requests(x, &S->q, F->openssh_client);
    find_pty(x, s0, S);
    x->sftp = !S->pty && S->q.sftp;
    S->notty_shell = !S->pty && !S->fwd_only && !x->sftp && S->q.found && notty_shell(x, F, &S->q);
    x->exec = !S->pty && !S->fwd_only && !x->sftp && !S->notty_shell;
    x->tty_cmd = S->pty && sdi_pty_command(x, F, S);
    x->req_to = S->q.found ? S->q.to : s0;
}
