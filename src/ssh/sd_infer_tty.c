/* sd_infer_tty: a command run with a terminal (`ssh -t host cmd`: vim,
 * less, top). OpenSSH sends the same pty-req before an exec as before a
 * shell, and an exec of a short command has a shell request's wire size
 * (aes128-gcm: up to 9 bytes of command; chacha20-poly1305 sends the
 * requests in one segment whose TERM is unknown, so every total fits
 * both): the size decides when only an exec fits, otherwise what the
 * server shows before the first key does: a painted screen, or output
 * redrawn by itself (docs/events.md session). */
#include "sd_infer_int.h"

/* The wire bytes of the session's requests (a segment's sum). */
static uint32_t requests_total(const ctx *x, const reqs *q)
{
    uint32_t total = 0;
    for (size_t i = q->from; i < q->to; i++)
        total += x->v[i].len;
    return total;
}

/* Whether the final request can have payload p after a pty-req (exact
 * packets: the group's last packet; a segment: its sum, with any env,
 * x11 and agent requests). */
static bool final_fits(const ctx *x, const reqs *q, uint32_t p)
{
    if (x->v[q->from].exact)
        return x->v[q->to - 1].len == sd_ssh_wire_size(x->cs, p);
    return sd_infer_request_fits(x->cs, requests_total(x, q), true, true, p) != 0;
}

/* Whether it can be an exec of a command of 1..EXEC_CMD_MAX bytes. */
static bool exec_fits(const ctx *x, const reqs *q)
{
    for (uint32_t n = 1; n <= EXEC_CMD_MAX; n++)
        if (final_fits(x, q, P_REQ_EXEC_BASE + n))
            return true;
    return false;
}

/* The server's first output after the requests paints a screen: its
 * first burst (records less than PAINT_GAP_S apart, before the client's
 * next record) holds at least SCREEN_PAGE_MIN wire bytes and ends with a
 * write (records less than REQ_FLUSH_S apart) holding a record larger than
 * a prompt line: a program writes its screen at once. A shell's last
 * write is its prompt; sshd's motd and bash's bracketed-paste codes come
 * before it or beside it in records of a line each (ja4 ssh-r.pcap: 22
 * records of 36-224 bytes after the requests of a shell). */
static bool screen_first(const ctx *x, const leg *F, const reqs *q)
{
    uint32_t line = sdi_lw(F, false, SD_SSH_P_CHANNEL_DATA(PROMPT_MAX));
    uint64_t bytes = 0;
    bool big = false; /* the current write has a record larger than a prompt */
    for (size_t i = q->to; i < x->n && !sdi_is_cl(F, &x->v[i]); i++) {
        double gap = i > q->to ? x->v[i].t - x->v[i - 1].t : 0;
        if (gap >= PAINT_GAP_S)
            break;
        if (gap >= REQ_FLUSH_S)
            big = false;
        bytes += x->v[i].len;
        big |= x->v[i].len > line;
    }
    return bytes >= SCREEN_PAGE_MIN && big;
}

/* Before the client's first record the server's output redraws by
 * itself: at least RUNNING_TICKS_MIN bursts, each more than PAINT_GAP_S
 * after the one before (watch, top: once a second). A shell prints its
 * prompt (after a motd) and waits for a key. */
static bool redraws_alone(const ctx *x, const leg *F, const reqs *q)
{
    uint32_t bursts = 1;
    for (size_t i = q->to; i < x->n && !sdi_is_cl(F, &x->v[i]); i++)
        bursts += i > q->to && x->v[i].t - x->v[i - 1].t >= PAINT_GAP_S;
    return bursts >= RUNNING_TICKS_MIN;
}

/* After the first output the client's first keys type a command line: at
 * least SHELL_LINE_MIN characters, each answered by one record of its
 * echo's size alone, then a key answered by ENTER_RECORDS_MIN records or
 * more (the command's output and the next prompt), or by one record of a
 * prompt line's size at least (P_ENTER_MIN) and no smaller than the prompt
 * the shell sent last before the first key: the output and the prompt
 * again in one write (lab motd_shell_aes128gcm at seed +9400 frames 48-49:
 * `ls` answered by one 404-byte record after a 52-byte prompt). A shell
 * whose motd and prompt left in one record paints nothing, yet looks as
 * if it did (lab motd_shell_aes128gcm_s1000: ~/.ssh/rc's 2-3 KB and the
 * prompt in one 2500-byte record); a program's first key is answered by
 * its own redraw (vim's insert mode, less's page, top's screen restored),
 * which is no echo: the line is not typed. */
static bool command_line_first(const ctx *x, const leg *F, const reqs *q)
{
    uint32_t wk = sdi_lw(F, true, SD_SSH_P_KEYSTROKE), we = sdi_lw(F, false, SD_SSH_P_KEYSTROKE);
    uint32_t wenter = sdi_lw(F, false, P_ENTER_MIN);
    size_t i = q->to;
    while (i < x->n && !sdi_is_cl(F, &x->v[i]))
        i++;
    uint32_t prompt = i > q->to ? x->v[i - 1].len : UINT32_MAX; /* the server's last record before the key */
    for (uint32_t chars = 0; i < x->n && x->v[i].len == wk;) {
        size_t j = i + 1, answer = 0;
        for (; j < x->n && !sdi_is_cl(F, &x->v[j]); j++)
            answer++;
        bool ran = answer == 1 && x->v[i + 1].len >= wenter && x->v[i + 1].len >= prompt;
        if (answer >= ENTER_RECORDS_MIN || ran)
            return chars >= SHELL_LINE_MIN;
        if (answer != 1 || x->v[i + 1].len != we)
            return false;
        chars++;
        i = j;
    }
    return false;
}

bool sdi_pty_command(const ctx *x, const leg *F, const session *S)
{
    /* mid-stream the client's software is not seen: its requests read as
     * OpenSSH's, the commonest client that sends a pty-req and an exec */
    if (!S->q.found || !S->q.pty || S->q.sftp || !(F->openssh_client || x->midstream))
        return false;
    /* the common shell first: its size fits and a prompt follows */
    if (final_fits(x, &S->q, P_REQ_SHELL) && !redraws_alone(x, F, &S->q) &&
        (!screen_first(x, F, &S->q) || command_line_first(x, F, &S->q)))
        return false;
    return exec_fits(x, &S->q);
}
