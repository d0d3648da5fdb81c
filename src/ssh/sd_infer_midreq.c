/* sd_infer_midreq: a session picked up mid-stream whose channel requests
 * are in the capture (sd_infer_int.h sdi_mid_requests_at). A capture begun
 * right after the login (tcpdump started as the client connected, a flow
 * table that split the connection in its first seconds) misses the
 * banners, the key exchange and the authentication, but may still hold
 * the session's setup: the client's CHANNEL_OPEN "session" and its
 * OPEN_CONFIRMATION, then the client's request group (pty-req, env, exec,
 * shell or subsystem) answered by CHANNEL_SUCCESS / WINDOW_ADJUST only.
 * Those requests tell the kind as in a full capture (sd_infer_req.c: a
 * command's exec, `ssh -t host cmd`, the sftp subsystem, a shell without
 * key/echo pairs), where the traffic alone may not (sd_infer_midkind.c
 * reads `unknown` when a command prints little and exits). */
#include "sd_infer_int.h"

/* Server records that may come before the client's first run: none (the
 * open came before the capture, the answers not yet sent), or the
 * OPEN_CONFIRMATION alone. Anything else (a forwarded-tcpip open, output)
 * means the session was running. */
#define MIDR_LEAD_MAX 1u
/* Answers to the request group: OpenSSH's sshd answers a session's
 * requests with two packets or more (lab exec_cmd, sshpass, sendenv_sftp:
 * 72 bytes under chacha20-poly1305, 2 x 36; a pty-req and a shell or exec:
 * 108, 3 x 36). One answer alone is a global request's (a keep-alive, a
 * forward's) as much as a session's. */
#define MIDR_ANSWERS_MIN 2u
/* Records in which the session's open is looked for: the open, a global
 * request sent just before it and that request's answer, the
 * OPEN_CONFIRMATION; and, a capture begun inside the login's last
 * exchange, that exchange's tail before them (the client's USERAUTH
 * REQUEST, the server's PK_OK or SUCCESS) and sshd's hostkeys-00
 * notification, sent unasked after the login, between the open and its
 * confirmation (lab sshpass and srv_exec_cmd cut at login+50 of their
 * capture's first login, inside a later connection's: the confirmation
 * the 5th and 6th record, the commands read `unknown` with 4). */
#define MIDR_OPEN_SCAN 6u
/* A client in lockstep sends its next request as soon as the answer
 * comes (s): a program, not a person (HUMAN_MIN_S is longer). */
#define MIDR_LOCKSTEP_S 0.3

/* How many answers the server gave the client's run [i, to) of requests:
 * the whole no larger than a group of requests (P_REQ_GROUP_MAX; a
 * command's upload or a forward's bulk is larger) and at least the
 * smallest final request (shell: P_REQ_SHELL; a key is smaller under
 * 8-byte blocks), the server's next records before the client's next
 * (up to REQ_ANSWER_RECORDS) holding the answers (0 when the run is no
 * group); *next is the record after them. */
static uint32_t group_answers(const ctx *x, size_t i, size_t to, size_t *next)
{
    uint32_t total = 0;
    for (size_t k = i; k < to; k++)
        total += x->v[k].len;
    if (total < sd_ssh_wire_size(x->cs, P_REQ_SHELL) || total > sd_ssh_wire_size(x->cs, P_REQ_GROUP_MAX))
        return 0;
    uint32_t answers = 0;
    size_t j = to;
    for (; j < x->n && j < to + REQ_ANSWER_RECORDS && !x->v[j].c; j++)
        answers += sdi_channel_answer_count(x->v[j].len, x->ss);
    *next = j;
    return answers;
}

/* The same, or a client that sends each request alone and waits for its
 * answer (paramiko's get_pty() then invoke_shell()): one answer, and the
 * client's next record, alone right after it, answered too. *end is past
 * the group read. */
static bool answered_group(const ctx *x, size_t i, size_t to, size_t *end)
{
    size_t next = to, after = 0;
    uint32_t a = group_answers(x, i, to, &next);
    *end = to;
    if (a >= MIDR_ANSWERS_MIN)
        return true;
    if (a != 1 || next >= x->n || !x->v[next].c || sdi_request_run_end(x, next) != next + 1 ||
        x->v[next].t - x->v[next - 1].t > MIDR_LOCKSTEP_S || group_answers(x, next, next + 1, &after) < 1)
        return false;
    *end = next + 1;
    return true;
}

size_t sdi_mid_requests_at(const ctx *x, size_t s0, bool *open_seen, size_t *group_end)
{
    if (!x->cs || !x->ss)
        return SIZE_MAX;
    size_t i = s0;
    while (i < x->n && !x->v[i].c && i - s0 < MIDR_LEAD_MAX &&
           x->v[i].len == sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM))
        i++;
    if (i >= x->n || x->v[i].t - x->login_t > REQ_WINDOW_S)
        return SIZE_MAX;
    size_t to = x->v[i].c ? sdi_request_run_end(x, i) : i;
    /* the open came before the capture: this run is the request group */
    size_t end = 0;
    if (to > i && answered_group(x, i, to, &end)) {
        *open_seen = false;
        *group_end = end;
        return i;
    }
    /* the open is in the capture: among the first MIDR_OPEN_SCAN records
     * a server record of OPEN_CONFIRMATION's size, the client's run right
     * after it an answered group and the client's last record before it
     * at least a session open's size (OpenSSH may send a global request
     * with it, lab hostcert's 112 bytes under chacha20-poly1305, 52 + 60,
     * or just before it, answered while the open waits: lab wan_demo's 68,
     * then the open, the answer's 28, the confirmation) */
    size_t open = SIZE_MAX;
    for (size_t j = s0 + 1; j < x->n && j < s0 + MIDR_OPEN_SCAN && open == SIZE_MAX; j++) {
        if (x->v[j].c || x->v[j].len != sd_ssh_wire_size(x->ss, P_OPEN_CONFIRM) || j + 1 >= x->n || !x->v[j + 1].c)
            continue;
        size_t k = j;
        while (k > s0 && !x->v[k - 1].c)
            k--;
        /* a client record answered by one of its size is a line echoed
         * whole (a script's through a pty: lab paramiko_shell_s3000 at
         * login+20, an 80-byte line echoed, then its output, read as an
         * open and a group), never an open */
        if (k > s0 && x->v[k - 1].len >= sd_ssh_wire_size(x->cs, P_SESSION_OPEN) && x->v[k].len != x->v[k - 1].len &&
            x->v[k - 1].len <= sd_ssh_wire_size(x->cs, P_REQ_GROUP_MAX) && answered_group(x, j + 1, sdi_request_run_end(x, j + 1), &end))
            open = k - 1;
    }
    if (open == SIZE_MAX)
        return SIZE_MAX;
    *open_seen = true;
    *group_end = end;
    return open;
}
