/* sd_infer: SSH behaviour inference over the encrypted-record stream.
 * See sd_infer.h; the rules and their constants are described in
 * docs/events.md and /work/shared/reference/ssh_inference.md section 7. */
#include "sd_infer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Payload sizes (RFC 4252/4254 message layouts). */
#define P_SERVICE_REQUEST 17u /* byte, string "ssh-userauth" */
#define P_OPEN_CONFIRM 17u    /* byte, 4 x uint32 */
#define P_AGENT_OPEN 39u      /* CHANNEL_OPEN "auth-agent@openssh.com", 3 x uint32 */
#define P_BS_ECHO 13u         /* CHANNEL_DATA "\b\x1b[K" (readline) */
#define P_BS_ECHO2 12u        /* CHANNEL_DATA "\b \b" (dropbear / plain tty) */
#define P_ARROW 12u           /* CHANNEL_DATA "\x1b[A" */
#define P_ENTER_MIN 25u       /* "\r\n" + a prompt: 9 + 16 at least */
#define P_PTY_MIN 200u        /* pty-req with terminal modes (OpenSSH ~300) */
/* A person needs more than this between a prompt and a reply (s). */
#define HUMAN_MIN_S 0.3
/* A program answers at once; more than this between the server's answer
 * and the client's next request is a person at an sftp> prompt (s). */
#define HUMAN_THINK_S 1.0
/* A host-key prompt answered by a person: KEX reply to client NEWKEYS (s). */
#define HOSTKEY_PROMPT_S 1.0
/* packetStrider: a reverse session started < 2 s after login is automated. */
#define REVERSE_AUTO_S 2.0
/* Pause after a key above which an ambiguous small answer is read as the
 * output of a command (Enter) rather than a Backspace echo (s). */
#define ENTER_PAUSE_S 0.9
/* A record this soon after the previous one is a protocol answer (a
 * WINDOW_ADJUST has a keystroke's size), not a person... */
#define REACT_MIN_S 0.015
/* ...unless the server echoes it at once: a key typed just after a late
 * echo of the one before (fresh lab demo: 6 ms after it, echoed 0.5 ms
 * later) */
#define ECHO_NOW_S 0.05
#define MAX_ULEN 64u
#define MAX_PLEN 128u

typedef struct item {
    bool c;            /* from the outer client */
    bool exact;        /* one whole SSH packet (length-in-clear suites), else a segment's */
    uint32_t len;
    double t;
    sd_ts ts;
    uint64_t frame;
} item;

/* A leg: which outer direction is its client and how its payload sizes
 * look on the outer wire. */
typedef struct leg {
    sd_leg id;
    bool cl_is_outer_client;
    const sd_ssh_suite *oc, *os; /* outer suites, client->server, server->client */
    const sd_ssh_suite *inner;   /* NULL for the forward leg */
    bool openssh_client, dropbear_server;
    bool paste;                  /* look for pastes (not while a tunnelled session may run) */
} leg;

typedef struct ctx {
    const sd_infer_opts *o;
    const sd_sshconn_result *r;
    sd_evlist *out;
    sd_infer_summary *sum;
    item *v;
    size_t n;
    double login_t;
    bool sftp, exec;   /* the session: sftp subsystem, a command without pty */
    bool scp;          /* a legacy scp transfer was seen (the session is scp) */
    size_t req_to;     /* first record after the session's requests */
} ctx;

uint32_t sd_infer_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen)
{
    return sd_ssh_wire_size(s, 40u + ulen + plen);
}

uint32_t sd_infer_openssh_pw_wire(const sd_ssh_suite *s, uint32_t ulen, uint32_t plen)
{
    /* packet.c: len = 5 + payload - aad; minimum padding; then
     * extra_pad = ROUNDUP(64, B); pad += extra_pad - ((len + pad) % extra_pad) */
    if (s->mode == SD_SSH_MODE_UNKNOWN || s->block == 0)
        return 0;
    uint32_t b = s->block, len = 5u + 40u + ulen + plen - s->aad;
    uint32_t pad = b - (len % b);
    if (pad < 4)
        pad += b;
    uint32_t ep = (64u + b - 1) / b * b;
    pad += ep - ((len + pad) % ep);
    return s->aad + len + pad + s->tag;
}

uint32_t sd_infer_nested_key_wire(const sd_ssh_suite *outer, const sd_ssh_suite *inner)
{
    uint32_t w = sd_ssh_wire_size(inner, SD_SSH_P_KEYSTROKE);
    return w ? sd_ssh_wire_size(outer, 9u + w) : 0;
}

/* Outer wire size of a payload p sent by the leg's client (cl) or server. */
static uint32_t lw(const leg *L, bool cl, uint32_t p)
{
    bool outer_c = cl == L->cl_is_outer_client;
    const sd_ssh_suite *o = outer_c ? L->oc : L->os;
    if (!L->inner)
        return sd_ssh_wire_size(o, p);
    uint32_t w = sd_ssh_wire_size(L->inner, p);
    return w ? sd_ssh_wire_size(o, 9u + w) : 0;
}

static uint32_t lw_pw(const leg *L, uint32_t u, uint32_t p)
{
    const sd_ssh_suite *o = L->cl_is_outer_client ? L->oc : L->os;
    const sd_ssh_suite *s = L->inner ? L->inner : o;
    uint32_t w = L->openssh_client ? sd_infer_openssh_pw_wire(s, u, p) : sd_infer_pw_wire(s, u, p);
    if (!L->inner || !w)
        return w;
    return sd_ssh_wire_size(o, 9u + w);
}

static bool is_cl(const leg *L, const item *it)
{
    return it->c == L->cl_is_outer_client;
}

static sd_event *ev(ctx *x, const char *kind, const item *a, const item *b, sd_leg leg_id)
{
    const sd_conn *c = x->r->conn;
    sd_event *e = sd_ev_add(x->out, kind, c->uid, c->id, a->ts, a->frame, b ? b->frame : a->frame, leg_id);
    return e;
}

/* ---- authentication ---- */

typedef struct auth_res {
    bool started;
    size_t success_at;   /* index of USERAUTH_SUCCESS, or SIZE_MAX */
    size_t end;          /* first index after the auth phase */
    int attempts;
    const char *method;
    bool failed;
} auth_res;

static const char *pw_class(const leg *L, uint32_t ulo, uint32_t uhi, uint32_t len, int *pmin, int *pmax)
{
    *pmin = -1;
    *pmax = -1;
    for (uint32_t u = ulo; u <= uhi; u++)
        for (uint32_t p = 1; p <= MAX_PLEN; p++)
            if (lw_pw(L, u, p) == len) {
                if (*pmin < 0 || (int)p < *pmin)
                    *pmin = (int)p;
                if ((int)p > *pmax)
                    *pmax = (int)p;
            }
    if (*pmin < 0)
        return NULL;
    if (*pmax <= 8)
        return "le8";
    if (*pmin > 8)
        return "gt8";
    return NULL;
}

/* Runs the RFC 4252 exchange over v[from..]: the leg's client sends
 * SERVICE_REQUEST, then requests each answered by FAILURE, PK_OK /
 * INFO_REQUEST, or SUCCESS (payload 1: the smallest packet). */
static auth_res auth_leg(ctx *x, const leg *L, size_t from, size_t limit)
{
    auth_res a = { .success_at = SIZE_MAX, .end = from };
    uint32_t w_sr = lw(L, true, P_SERVICE_REQUEST), w_acc = lw(L, false, P_SERVICE_REQUEST);
    uint32_t w_ok = lw(L, false, SD_SSH_P_USERAUTH_SUCCESS);
    uint32_t w_ok2 = 0;
    if (L->dropbear_server) { /* dropbear pads every packet to 16 bytes at least */
        const sd_ssh_suite *s = L->inner ? L->inner : (L->cl_is_outer_client ? L->os : L->oc);
        w_ok2 = L->inner ? 0 : w_ok + s->block;
    }
    size_t i = from;
    if (L->inner) {
        /* the inner SERVICE_REQUEST, alone or after the inner NEWKEYS
         * (16 bytes in the clear) in the same channel data, within the
         * records that follow the handshake */
        uint32_t w_sr2 = 0, wi = sd_ssh_wire_size(L->inner, P_SERVICE_REQUEST);
        const sd_ssh_suite *o = L->cl_is_outer_client ? L->oc : L->os;
        if (wi)
            w_sr2 = sd_ssh_wire_size(o, 9u + 16u + wi);
        /* after the inner KEXINITs and key exchange (the large records) */
        for (size_t j = from; j < limit && j < from + 24; j++)
            if (x->v[j].len >= 900)
                i = j + 1;
        size_t lim = i + 40 < limit ? i + 40 : limit;
        while (i < lim && !(is_cl(L, &x->v[i]) && (x->v[i].len == w_sr || x->v[i].len == w_sr2)))
            i++;
        if (i >= lim || !w_sr)
            return a;
    } else {
        while (i < limit && !(is_cl(L, &x->v[i]) && x->v[i].len >= w_sr))
            i++;
        if (i >= limit || !w_sr)
            return a;
    }
    a.started = true;
    /* SERVICE_REQUEST and the none probe in one record (dbclient); inside a
     * tunnel the extra bytes are the inner NEWKEYS sent with it */
    uint32_t first_extra = x->v[i].len > w_sr && !L->inner ? x->v[i].len - w_sr : 0;
    bool coalesced = first_extra > 0;
    size_t req = coalesced ? i : SIZE_MAX;
    if (!coalesced)
        i++;
    else
        i++;
    /* user name length range from the none probe */
    uint32_t ulo = 1, uhi = 32, fail_len = 0;
    bool acc_done = false, probe_done = false, pk_ok = false, kbd = false, banner = false;
    double last_resp_t = x->v[i - 1].t;
    item *resp_first = NULL, *resp_last = NULL;
    uint32_t resp_n = 0;
    size_t pend = req; /* the request being answered */
    if (!coalesced) { /* SERVICE_ACCEPT answers the SERVICE_REQUEST alone */
        for (size_t j = i; j < limit && !is_cl(L, &x->v[j]); j++)
            if (x->v[j].len == w_acc) {
                acc_done = true;
                break;
            }
    }
    uint32_t pend_len = coalesced ? first_extra : 0;
    for (;; i++) {
        bool at_end = i >= limit;
        item *it = at_end ? NULL : &x->v[i];
        if (!at_end && !is_cl(L, it)) { /* a response record */
            if (pend == SIZE_MAX)
                continue;
            if (!acc_done && it->len == w_acc) {
                acc_done = true; /* SERVICE_ACCEPT */
                continue;
            }
            if (!resp_first)
                resp_first = it;
            resp_last = it;
            resp_n++;
            if (it->len == w_ok || (w_ok2 && it->len == w_ok2 && probe_done))
                goto close;
            continue;
        }
    close:
        if (pend != SIZE_MAX && resp_last) {
            item *rq = &x->v[pend];
            bool ok = resp_last->len == w_ok || (w_ok2 && resp_last->len == w_ok2 && probe_done);
            if (!probe_done) {
                probe_done = true;
                /* the none probe: its size gives the user name length range */
                uint32_t lo = 0, hi = 0;
                for (uint32_t u = 1; u <= MAX_ULEN; u++)
                    if (lw(L, true, 31u + u) == pend_len) {
                        if (!lo)
                            lo = u;
                        hi = u;
                    }
                if (lo && !ok) {
                    ulo = lo;
                    uhi = hi;
                    fail_len = resp_last->len;
                    banner = resp_n > 1;
                    if (banner) {
                        sd_event *e = ev(x, "auth_banner", resp_first, resp_first, L->id);
                        e->dir = resp_first->c ? 0 : 1;
                        snprintf(e->note, sizeof e->note, "pre-authentication banner shown by the server");
                        x->sum->auth_banner = true;
                    }
                    last_resp_t = resp_last->t;
                    goto next;
                }
            }
            if (!fail_len && L->inner) /* no probe seen: sizes unknown, stop */
                break;
            bool fail = fail_len ? resp_last->len == fail_len : (!ok && resp_last->len < lw(L, false, 80));
            if (!ok && !fail) { /* PK_OK or INFO_REQUEST: the exchange goes on */
                if (pend_len >= lw(L, true, 100))
                    pk_ok = true;
                else
                    kbd = true;
                last_resp_t = resp_last->t;
                goto next;
            }
            const char *method;
            int pmin = -1, pmax = -1;
            const char *cls = NULL;
            if (pk_ok)
                method = "publickey";
            else if (kbd)
                method = "keyboard-interactive";
            else {
                cls = pw_class(L, ulo, uhi, pend_len, &pmin, &pmax);
                method = pmin > 0 ? "password" : "publickey";
            }
            double gap = rq->t - last_resp_t;
            bool automated = strcmp(method, "publickey") == 0 || gap < HUMAN_MIN_S;
            sd_event *e = ev(x, "auth_attempt", rq, resp_last, L->id);
            e->dir = L->cl_is_outer_client ? 0 : 1;
            e->confidence = 0.9;
            sd_ev_str(e, "method", method);
            sd_ev_str(e, "result", ok ? "success" : "failure");
            if (cls)
                sd_ev_str(e, "password_len_class", cls);
            if (pmin > 0) {
                sd_ev_int(e, "password_len_min", pmin);
                sd_ev_int(e, "password_len_max", pmax);
            }
            sd_ev_bool(e, "automated", automated);
            sd_ev_int(e, "attempt", a.attempts + 1);
            snprintf(e->note, sizeof e->note, "%s %s%s", method, ok ? "accepted" : "rejected",
                     strcmp(method, "password") ? "" : automated ? ", sent by a program" : ", typed by a person");
            if (pmin > 0)
                snprintf(e->note + strlen(e->note), sizeof e->note - strlen(e->note), ", password %d-%d chars",
                         pmin, pmax);
            a.attempts++;
            a.method = method;
            pk_ok = kbd = false;
            last_resp_t = resp_last->t;
            if (ok) {
                a.success_at = (size_t)(resp_last - x->v);
                a.end = a.success_at + 1;
                return a;
            }
            a.failed = true;
        }
    next:
        if (at_end)
            break;
        if (it == resp_last) /* closed by a success: handled above */
            break;
        pend = i;
        pend_len = it->len;
        resp_first = resp_last = NULL;
        resp_n = 0;
        if (a.attempts > 1000)
            break;
    }
    a.end = limit;
    return a;
}

/* ---- keystrokes ---- */

typedef struct key {
    size_t at;
    const char *k;
    size_t resp_first, resp_last;
    uint32_t resp_n;
    uint64_t resp_bytes;
} key;

/* OpenSSH >= 9.5 ObscureKeystrokeTiming (ssh_inference.md 3.3/3.4): once a
 * key is typed the client sends on a 20 ms grid, a PING (same size as one
 * key) on each tick with nothing to send, answered by a same-size PONG,
 * for 1-3 s after the last key. A run of >= CHAFF_MIN key-sized client
 * records <= CHAFF_GAP_S apart is a train: its first record is the key
 * that started it; before 9.8 a key typed during the train leaves in one
 * segment with that tick's PING (2 x key size); the rest is chaff. */
#define CHAFF_MIN 8
#define CHAFF_GAP_S 0.045
static void mark_chaff(ctx *x, const leg *L, size_t from, size_t to, uint32_t wk, uint8_t *mark, bool emit)
{
    size_t i = from;
    while (i < to) {
        item *a = &x->v[i];
        if (!is_cl(L, a) || (a->len != wk && a->len != 2 * wk)) {
            i++;
            continue;
        }
        size_t last = i, cnt = 1, j = i + 1;
        for (; j < to; j++) {
            item *b = &x->v[j];
            if (!is_cl(L, b))
                continue;
            if ((b->len != wk && b->len != 2 * wk) || b->t - x->v[last].t > CHAFF_GAP_S)
                break;
            last = j;
            cnt++;
        }
        if (cnt < CHAFF_MIN) {
            i = last + 1;
            continue;
        }
        size_t nchaff = 0, nfat = 0;
        for (size_t m = i + 1; m <= last; m++) {
            if (!is_cl(L, &x->v[m]))
                continue;
            if (x->v[m].len == 2 * wk) {
                mark[m - from] = 2;
                nfat++;
            } else {
                mark[m - from] = 1;
                nchaff++;
            }
        }
        if (emit) {
            sd_event *e = ev(x, "chaff", &x->v[i], &x->v[last], L->id);
            e->dir = x->v[i].c ? 0 : 1;
            e->confidence = 0.8;
            sd_ev_int(e, "packets", (int64_t)nchaff);
            sd_ev_int(e, "keys_in_train", (int64_t)nfat + 1);
            sd_ev_num(e, "duration_s", x->v[last].t - x->v[i].t);
            snprintf(e->note, sizeof e->note,
                     "keystroke-timing chaff (OpenSSH >= 9.5): %zu PINGs; key count kept, timing quantised to 20 ms",
                     nchaff);
        }
        i = last + 1;
    }
}

/* Keys of a leg: records of the leg's client of one-character size (or an
 * arrow's three bytes), classed by the leg server's answer: the echo of
 * one character, a Backspace echo, a line and prompt (Enter). */
static uint32_t keys_leg(ctx *x, const leg *L, size_t from, size_t to, bool emit)
{
    uint32_t wk = lw(L, true, SD_SSH_P_KEYSTROKE), wa = lw(L, true, P_ARROW);
    uint32_t we = lw(L, false, SD_SSH_P_KEYSTROKE), wbs = lw(L, false, P_BS_ECHO),
             wbs2 = lw(L, false, P_BS_ECHO2), wenter = lw(L, false, P_ENTER_MIN);
    if (!wk)
        return 0;
    key *k = sd_calloc(to - from + 1, sizeof *k);
    uint8_t *mark = sd_calloc(to - from + 1, 1); /* 1 chaff, 2 key sent with a PING */
    mark_chaff(x, L, from, to, wk, mark, emit);
    size_t nk = 0;
    for (size_t i = from; i < to; i++) {
        item *it = &x->v[i];
        if (mark[i - from] == 1)
            continue;
        bool fat = mark[i - from] == 2;
        /* a paste: many bytes in one CHANNEL_DATA, echoed by the server */
        bool paste = L->paste && is_cl(L, it) && !fat && it->len > wa && it->len > wk && it->len <= lw(L, true, 9 + 4096) &&
                     i + 1 < to && !is_cl(L, &x->v[i + 1]) && x->v[i + 1].len >= it->len &&
                     x->v[i + 1].len != lw(L, false, 1) && i > from && it->t - x->v[i - 1].t > 0.05;
        if (!is_cl(L, it) || (it->len != wk && it->len != wa && !fat && !paste))
            continue;
        /* a person does not react within 15 ms: a protocol answer */
        if (i > from && it->t - x->v[i - 1].t < REACT_MIN_S &&
            !(i + 1 < to && !is_cl(L, &x->v[i + 1]) && x->v[i + 1].len == we &&
              x->v[i + 1].t - it->t < ECHO_NOW_S))
            continue;
        key *q = &k[nk];
        q->at = i;
        q->resp_first = q->resp_last = SIZE_MAX;
        bool pong = fat;
        for (size_t j = i + 1; j < to && !is_cl(L, &x->v[j]); j++) {
            if (pong && x->v[j].len == we) { /* the PONG answering the PING */
                pong = false;
                continue;
            }
            if (q->resp_first == SIZE_MAX)
                q->resp_first = j;
            q->resp_last = j;
            q->resp_n++;
            q->resp_bytes += x->v[j].len;
        }
        if (paste)
            q->k = "paste";
        else if (it->len == wa && wa != wk && !fat)
            q->k = "arrow";
        else if (!q->resp_n && fat)
            q->k = "char";
        else if (!q->resp_n) {
            /* no answer at all: CHANNEL_EOF/CLOSE or a WINDOW_ADJUST of the
             * same size, unless more keys follow */
            size_t j = i + 1;
            while (j < to && !is_cl(L, &x->v[j]))
                j++;
            if (j >= to || x->v[j].len != wk)
                continue;
            q->k = "char";
        } else {
            uint32_t f = x->v[q->resp_first].len;
            bool after_arrow = nk > 0 && strcmp(k[nk - 1].k, "arrow") == 0;
            /* editing inside the line after a cursor move: an inserted
             * character redraws the rest of the line */
            bool editing = false;
            for (size_t j = nk; j-- > 0 && strncmp(k[j].k, "enter", 5) != 0;)
                if (!strcmp(k[j].k, "arrow") && k[j].resp_n == 1 && x->v[k[j].resp_first].len <= we)
                    editing = true;
            if (q->resp_n >= 2)
                q->k = "enter";
            else if (f == we)
                q->k = "char";
            else if (f == wbs || f == wbs2) /* after an arrow the line is redrawn */
                q->k = after_arrow ? "char" : "backspace?";
            else if (f >= wenter)
                q->k = editing ? "enter?" : "enter";
            else
                q->k = "tab";
        }
        nk++;
    }
    /* a Backspace echo and a short Tab completion have the same size: a key
     * followed by Enter completed the word (Tab); after an arrow the line
     * is redrawn (a character inserted) */
    /* while editing, a redraw followed at once by another key was an
     * inserted character; after an Enter people read the output first */
    for (size_t i = 0; i < nk; i++)
        if (!strcmp(k[i].k, "enter?"))
            k[i].k = i + 1 < nk && x->v[k[i + 1].at].t - x->v[k[i].at].t < 0.5 ? "char" : "enter";
    /* a short command output can also have the Backspace echo's size:
     * after an Enter people read and think, after a Backspace they retype */
    for (size_t i = 0; i < nk; i++)
        if (!strcmp(k[i].k, "backspace?") &&
            (i + 1 == nk || x->v[k[i + 1].at].t - x->v[k[i].at].t > ENTER_PAUSE_S))
            k[i].k = "enter";
    for (size_t i = 0; i < nk; i++) {
        if (strcmp(k[i].k, "backspace?") != 0)
            continue;
        k[i].k = "backspace";
        if (i + 1 >= nk || strcmp(k[i + 1].k, "enter") != 0)
            continue;
        /* completing the last word of a line typed without corrections */
        size_t chars = 0;
        bool bs = false;
        for (size_t j = i; j-- > 0 && strcmp(k[j].k, "enter") != 0;) {
            chars += strcmp(k[j].k, "char") == 0;
            bs |= strncmp(k[j].k, "backspace", 9) == 0;
        }
        if (chars >= 3 && !bs)
            k[i].k = "tab";
    }
    if (emit) {
        double prev = -1;
        for (size_t i = 0; i < nk; i++) {
            item *it = &x->v[k[i].at];
            sd_event *e = ev(x, "keystroke", it, k[i].resp_first != SIZE_MAX ? &x->v[k[i].resp_first] : it, L->id);
            e->dir = it->c ? 0 : 1;
            e->confidence = 0.8;
            sd_ev_str(e, "key", k[i].k);
            if (!strcmp(k[i].k, "paste")) {
                /* the largest data length this record can hold */
                int64_t n = 2;
                while (n < 4096 && lw(L, true, 9 + (uint32_t)n + 1) <= it->len)
                    n++;
                sd_ev_int(e, "bytes", n);
            } else
                sd_ev_int(e, "bytes", strcmp(k[i].k, "arrow") == 0 ? 3 : 1);
            if (prev >= 0)
                sd_ev_num(e, "latency_ms", (it->t - prev) * 1000.0);
            prev = it->t;
            if (strcmp(k[i].k, "enter") == 0 && k[i].resp_n) {
                item *a = &x->v[k[i].resp_first], *b = &x->v[k[i].resp_last];
                sd_event *o = ev(x, "command_output", a, b, L->id);
                o->dir = a->c ? 0 : 1;
                o->confidence = 0.7;
                /* payload estimate: each record less one packet's framing */
                uint64_t fr = lw(L, false, 9) > 9 ? lw(L, false, 9) - 9 : 0;
                uint64_t by = k[i].resp_bytes > fr * k[i].resp_n ? k[i].resp_bytes - fr * k[i].resp_n : 0;
                sd_ev_int(o, "bytes", (int64_t)by);
                sd_ev_int(o, "records", k[i].resp_n);
            }
        }
    }
    free(k);
    free(mark);
    return (uint32_t)nk;
}

/* The inner suite whose sizes explain the tunnelled authentication: the
 * first candidate for which a dry run finds attempts. */
static const sd_ssh_suite *pick_inner(ctx *x, size_t from, size_t lim, bool cl_is_outer_client,
                                      const sd_ssh_suite *oc, const sd_ssh_suite *os, const sd_ssh_suite *cand,
                                      const size_t *ncand)
{
    sd_evlist scratch = { 0 };
    sd_evlist *keep = x->out;
    const sd_ssh_suite *best = *ncand ? &cand[0] : NULL;
    x->out = &scratch;
    for (size_t k = 0; k < *ncand; k++) {
        leg L = { .id = SD_LEG_REVERSE, .cl_is_outer_client = cl_is_outer_client, .oc = oc, .os = os,
                  .inner = &cand[k], .openssh_client = true };
        auth_res a = auth_leg(x, &L, from, lim);
        scratch.n = 0;
        if (a.attempts > 0) {
            best = &cand[k];
            break;
        }
    }
    x->out = keep;
    sd_evlist_free(&scratch);
    return best;
}

/* ---- the session after login ---- */

/* A channel opened by one side (size >= min_open) answered at once by an
 * OPEN_CONFIRMATION, then KEXINIT-sized records both ways: an SSH session
 * carried inside the channel. Returns the index of the open or SIZE_MAX. */
static size_t find_nested(ctx *x, size_t from, bool opener_is_client, uint32_t w_conf)
{
    for (size_t i = from; i + 1 < x->n; i++) {
        item *o = &x->v[i];
        if (o->c != opener_is_client || o->len < 60)
            continue;
        size_t j = i + 1;
        while (j < x->n && x->v[j].c == opener_is_client && x->v[j].t - o->t < 0.5)
            j++;
        if (j >= x->n || x->v[j].t - o->t > 0.5 || x->v[j].len < w_conf)
            continue;
        /* the two KEXINITs (about 1-1.5 KB each) follow the banners */
        int big[2] = { 0, 0 };
        for (size_t k = j + 1; k < x->n && x->v[k].t - o->t < 1.0 && k < j + 12; k++)
            if (x->v[k].len >= 900 && x->v[k].len <= 1600 && !big[x->v[k].c])
                big[x->v[k].c] = 1;
        if (big[0] && big[1])
            return i;
    }
    return SIZE_MAX;
}

/* Bulk data: records of at least this size (bytes) */
#define XFER_RECORD 512u

/* Legacy scp (scp -O, scp.c): each file is announced by a "C<mode> <size>
 * <name>" line between one-byte acknowledgements: the receiver's '\0', the
 * sender's line, the receiver's '\0', then the bytes. b is the first bulk
 * record; the receiver is the client for a download. */
static bool scp_handshake(const ctx *x, size_t b, bool download, const sd_ssh_suite *rs)
{
    uint32_t w1 = sd_ssh_wire_size(rs, SD_SSH_P_KEYSTROKE);
    if (b < 3 || x->v[b - 1].c != download || x->v[b - 1].len != w1)
        return false;
    size_t i = b - 1, line = 0;
    while (i > x->req_to && x->v[i - 1].c != download)
        i--, line++;
    if (!line || i <= x->req_to)
        return false;
    const item *a = &x->v[i - 1];
    return a->len == w1 && x->v[b].t - a->t < 2.0;
}

/* Which program moved the bytes whose first record is b. In an sftp
 * session OpenSSH's scp (SFTP protocol since 9.0) answers every server
 * reply at once; a person at sftp's prompt pauses before commands. */
static const char *transfer_tool(ctx *x, size_t b, int d, const sd_ssh_suite *rs, const char **proto)
{
    *proto = NULL;
    if (x->sftp) {
        *proto = "sftp";
        for (size_t j = x->req_to + 1; j <= b && j < x->n; j++)
            if (x->v[j].c && !x->v[j - 1].c && x->v[j].t - x->v[j - 1].t > HUMAN_THINK_S)
                return "sftp";
        return "scp";
    }
    /* the first bulk record after the requests (the run may start with the
     * server's hostkeys-00 announcement) */
    while (b < x->n && (b < x->req_to || x->v[b].c != (d == 0) || x->v[b].len < XFER_RECORD))
        b++;
    if (x->exec && b < x->n && scp_handshake(x, b, d == 1, rs)) {
        x->scp = true;
        *proto = "scp";
        return "scp";
    }
    return "unknown";
}

static void transfers(ctx *x, size_t from, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    struct { double t0, t1; sd_ts ts0; uint64_t f0, f1, bytes; size_t n, i0; } b[2];
    memset(b, 0, sizeof b);
    for (size_t i = from; i <= x->n; i++) {
        item *it = i < x->n ? &x->v[i] : NULL;
        for (int d = 0; d < 2; d++) {
            bool ext = it && it->c == (d == 0) && it->len >= XFER_RECORD;
            bool close = !it || (ext && b[d].n && it->t - b[d].t1 > 1.5);
            if (close && b[d].bytes >= 32768) {
                const sd_ssh_suite *s = d == 0 ? cs : ss;
                uint64_t pk = (b[d].bytes + 32767) / 32768;
                uint64_t fr = sd_ssh_wire_size(s, 9) - 9 + 9 + 4;
                uint64_t by = b[d].bytes > pk * fr ? b[d].bytes - pk * fr : 0;
                item a = { .ts = b[d].ts0, .frame = b[d].f0 }, z = { .frame = b[d].f1 };
                sd_event *e = ev(x, "transfer", &a, &z, SD_LEG_FORWARD);
                e->dir = d;
                e->confidence = 0.7;
                sd_ev_str(e, "direction", d == 0 ? "upload" : "download");
                const char *proto, *tool = transfer_tool(x, b[d].i0, d, d == 0 ? ss : cs, &proto);
                sd_ev_str(e, "tool", tool);
                if (proto)
                    sd_ev_str(e, "protocol", proto);
                sd_ev_int(e, "bytes", (int64_t)by);
                sd_ev_num(e, "start", b[d].t0);
                sd_ev_num(e, "end", b[d].t1);
                snprintf(e->note, sizeof e->note, "%s of about %llu bytes in %.2f s", d == 0 ? "upload" : "download",
                         (unsigned long long)by, b[d].t1 - b[d].t0);
            }
            if (close)
                b[d].n = 0, b[d].bytes = 0;
            if (ext) {
                if (!b[d].n) {
                    b[d].t0 = it->t;
                    b[d].ts0 = it->ts;
                    b[d].f0 = it->frame;
                    b[d].i0 = i;
                }
                b[d].t1 = it->t;
                b[d].f1 = it->frame;
                b[d].bytes += it->len;
                b[d].n++;
            }
        }
    }
}

/* -L/-D: CHANNEL_OPEN "direct-tcpip" (payload >= 1+4+12+12+4+4+4+4+4 = 49
 * plus two host names) answered by an OPEN_CONFIRMATION; the bytes until
 * the next open are what the forward carried. -L and -D open the same
 * channel type: the mode reported is "L" (a local forward) for both. */
static void forwards(ctx *x, size_t from, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    uint32_t wmin = sd_ssh_wire_size(cs, 49), wmax = sd_ssh_wire_size(cs, 49 + 2 * 64);
    uint32_t cf = sd_ssh_wire_size(ss, P_OPEN_CONFIRM);
    uint32_t fr = sd_ssh_wire_size(ss, 9) > 9 ? sd_ssh_wire_size(ss, 9) - 9 : 0;
    size_t open = SIZE_MAX;
    uint64_t by = 0;
    for (size_t i = from; i <= x->n; i++) {
        item *it = i < x->n ? &x->v[i] : NULL;
        bool is_open = it && it->c && it->len >= wmin && it->len <= wmax && i + 1 < x->n && !x->v[i + 1].c &&
                       x->v[i + 1].len == cf && x->v[i + 1].t - it->t < 0.5;
        if ((is_open || !it) && open != SIZE_MAX) {
            item *o = &x->v[open];
            sd_event *e = ev(x, "forward", o, &x->v[i - 1], SD_LEG_FORWARD);
            e->dir = 0;
            e->confidence = 0.6;
            sd_ev_str(e, "mode", "L");
            sd_ev_int(e, "bytes", (int64_t)by);
            snprintf(e->note, sizeof e->note, "direct-tcpip channel (-L or -D), about %llu bytes carried",
                     (unsigned long long)by);
            open = SIZE_MAX;
        }
        if (is_open) {
            open = i;
            by = 0;
        } else if (it && open != SIZE_MAX && it->len > fr)
            by += it->len - fr;
    }
}

/* ---- the session's channel requests ---- */

/* OpenSSH's client sends its channel requests at once when the session's
 * OPEN_CONFIRMATION arrives, in this order (ssh.c ssh_session2_setup, then
 * clientloop.c client_session2_setup): x11-req, auth-agent-req@openssh.com,
 * pty-req, env..., then shell / exec / subsystem. Payload sizes (RFC 4254
 * sections 6.2-6.5 and 6.3.1; OpenSSH PROTOCOL.agent): */
#define P_REQ_X11 80u   /* "x11-req", want_reply, single_connection, "MIT-MAGIC-COOKIE-1", 32 hex digits, screen */
#define P_REQ_AGENT 36u /* "auth-agent-req@openssh.com", want_reply */
#define P_REQ_SHELL 15u /* "shell", want_reply */
#define P_REQ_SFTP 27u  /* "subsystem", want_reply, "sftp" */
#define P_CHANNEL_SUCCESS 5u /* the answer to a request with want_reply (section 5.4) */
/* pty-req: byte, channel, "pty-req", want_reply, TERM, 4 x uint32 and the
 * modes string: 41 bytes plus TERM and the encoded modes. OpenSSH on Linux
 * encodes 52 modes of 5 bytes and TTY_OP_END (ttymodes.h): 261 bytes, which
 * matches the lab's pty-req with TERM=xterm (332 bytes under chacha, 340
 * under aes128-gcm, tests/lab/fixtures/pubkey_*). TERM names tried: 1..32
 * bytes ("rxvt-unicode-256color" is 21). */
#define P_PTY_BASE 41u
#define PTY_MODES_LINUX 261u
#define TERM_MAX 32u
/* sftp's first CHANNEL_DATA, SSH_FXP_INIT: uint32 length 5, byte 1, uint32
 * version (draft-ietf-secsh-filexfer-02 section 4). */
#define P_SFTP_INIT SD_SSH_P_CHANNEL_DATA(9u)
/* The requests leave in one write: client records this close to the first
 * belong to it (s). */
#define REQ_FLUSH_S 0.005

enum { REQ_X11 = 1, REQ_AGENT = 2 };

typedef struct reqs {
    bool found;
    size_t from, to;  /* the client records carrying the requests */
    bool pty, sftp;
    int extra;        /* REQ_X11 | REQ_AGENT, -1 undecided */
    double conf;      /* of extra */
} reqs;

static bool is_pty_wire(const sd_ssh_suite *s, uint32_t w)
{
    for (uint32_t t = 1; t <= TERM_MAX; t++)
        if (sd_ssh_wire_size(s, P_PTY_BASE + t + PTY_MODES_LINUX) == w)
            return true;
    return false;
}

int sd_infer_split_requests(const sd_ssh_suite *s, uint32_t total, bool pty, uint32_t final_payload)
{
    uint32_t wf = sd_ssh_wire_size(s, final_payload), wx = sd_ssh_wire_size(s, P_REQ_X11),
             wa = sd_ssh_wire_size(s, P_REQ_AGENT);
    int fit = -1;
    if (!wf)
        return -1;
    for (int m = 0; m < 4; m++) {
        uint32_t e = wf + (m & REQ_X11 ? wx : 0) + (m & REQ_AGENT ? wa : 0);
        if (total < e || (pty ? !is_pty_wire(s, total - e) : total != e))
            continue;
        if (fit >= 0)
            return -1; /* two readings: no decision */
        fit = m;
    }
    return fit;
}

/* The server answers channel requests with CHANNEL_SUCCESS (payload 5)
 * and WINDOW_ADJUST (9) packets only; a record of these alone follows the
 * requests (not, e.g., the reply to a hostkeys-prove-00@openssh.com request
 * the client may send first, OpenSSH PROTOCOL section 2.5). */
static bool channel_answers(uint32_t len, const sd_ssh_suite *ss)
{
    uint32_t w5 = sd_ssh_wire_size(ss, P_CHANNEL_SUCCESS), w9 = sd_ssh_wire_size(ss, SD_SSH_P_WINDOW_ADJUST);
    for (uint32_t a = 0; a <= 4; a++)
        for (uint32_t b = 0; b <= 4; b++)
            if ((a || b) && a * w5 + b * w9 == len)
                return true;
    return false;
}

/* The client's channel requests: a run of client records sent at once
 * (REQ_FLUSH_S) after a server record, within 3 s of login, whose next
 * server records (up to 3) include the answers. The first three runs after
 * the session's CHANNEL_OPEN are tried. */
static reqs find_requests(const ctx *x, size_t s0, const sd_ssh_suite *ss)
{
    reqs q = { .extra = -1 };
    size_t i = s0;
    while (i < x->n && !x->v[i].c)
        i++;
    while (i < x->n && x->v[i].c) /* the CHANNEL_OPEN */
        i++;
    for (int run = 0; run < 3; run++) {
        while (i < x->n && !x->v[i].c)
            i++;
        if (i >= x->n || x->v[i].t - x->login_t > 3.0)
            return q;
        size_t to = i + 1;
        while (to < x->n && x->v[to].c && x->v[to].t - x->v[i].t < REQ_FLUSH_S)
            to++;
        for (size_t j = to; j < x->n && j < to + 3 && !x->v[j].c; j++)
            if (channel_answers(x->v[j].len, ss)) {
                q.found = true;
                q.from = i;
                q.to = to;
                return q;
            }
        i = to;
        while (i < x->n && x->v[i].c)
            i++;
    }
    return q;
}

/* Exact packets: x11-req and auth-agent-req come first. Before a pty-req
 * nothing else can stand there; without one an env request of the same
 * size could (LANG=en_US.UTF-8 is an agent request's size). */
static void exact_extras(const ctx *x, reqs *q, const sd_ssh_suite *s)
{
    size_t i = q->from;
    int m = 0;
    if (i + 1 < q->to && x->v[i].len == sd_ssh_wire_size(s, P_REQ_X11))
        m |= REQ_X11, i++;
    if (i + 1 < q->to && x->v[i].len == sd_ssh_wire_size(s, P_REQ_AGENT))
        m |= REQ_AGENT, i++;
    if (q->pty && x->v[i].len < sd_ssh_wire_size(s, P_PTY_MIN))
        return; /* the pty-req must follow them */
    q->extra = m;
    q->conf = q->pty ? 0.8 : 0.5;
}

/* sftp: the client's SSH_FXP_INIT is the first data after the requests,
 * answered by a larger SSH_FXP_VERSION. */
static bool sftp_init(const ctx *x, const reqs *q, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    size_t i = q->to;
    while (i < x->n && !x->v[i].c)
        i++;
    if (i + 1 >= x->n || x->v[i].len != sd_ssh_wire_size(cs, P_SFTP_INIT) || x->v[i].t - x->v[q->from].t > 1.0)
        return false;
    return !x->v[i + 1].c && x->v[i + 1].len >= sd_ssh_wire_size(ss, P_SFTP_INIT);
}

/* Reads the requests of an OpenSSH client: pty, sftp subsystem, and the
 * x11/agent requests sent before them. Segment-level records hold the sum
 * of the packets: it is split when only one combination fits. */
static void read_requests(const ctx *x, reqs *q, bool openssh, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    bool exact = x->v[q->from].exact;
    uint32_t wpty = sd_ssh_wire_size(cs, P_PTY_MIN), total = 0;
    for (size_t i = q->from; i < q->to; i++) {
        total += x->v[i].len;
        q->pty |= exact && x->v[i].len >= wpty;
    }
    q->pty |= !exact && total >= wpty;
    uint32_t last = x->v[q->to - 1].len;
    bool sftp_req = exact ? last == sd_ssh_wire_size(cs, P_REQ_SFTP)
                          : !q->pty && sd_infer_split_requests(cs, total, false, P_REQ_SFTP) >= 0;
    q->sftp = sftp_req && sftp_init(x, q, cs, ss);
    if (!openssh)
        return;
    if (exact)
        exact_extras(x, q, cs);
    else if (q->pty || q->sftp) {
        q->extra = sd_infer_split_requests(cs, total, q->pty, q->pty ? P_REQ_SHELL : P_REQ_SFTP);
        q->conf = 0.6; /* an env request of an agent request's size would read the same */
    }
}

/* An extra request (x11-req, auth-agent-req) seen among the requests. */
static void request_event(ctx *x, const reqs *q, const char *kind, const char *note)
{
    sd_event *e = ev(x, kind, &x->v[q->from], &x->v[q->to - 1], SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = q->conf;
    sd_ev_bool(e, "used", false);
    snprintf(e->note, sizeof e->note, "%s", note);
}

/* The server opens an auth-agent@openssh.com channel and the client
 * confirms at once: the forwarded agent is used. */
static bool agent_used(ctx *x, size_t s0, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    uint32_t w_agent = sd_ssh_wire_size(ss, P_AGENT_OPEN), w_conf = sd_ssh_wire_size(cs, P_OPEN_CONFIRM);
    for (size_t i = s0; i + 1 < x->n; i++) {
        item *o = &x->v[i], *c = &x->v[i + 1];
        if (o->c || o->len != w_agent || !c->c || c->len != w_conf || c->t - o->t >= 0.2)
            continue;
        sd_event *e = ev(x, "agent_forwarding", o, c, SD_LEG_FORWARD);
        e->dir = 1;
        e->confidence = 0.7;
        sd_ev_bool(e, "used", true);
        snprintf(e->note, sizeof e->note, "agent channel opened by the server: forwarded agent used");
        return true;
    }
    return false;
}

/* Agent and X11 forwarding: requested (auth-agent-req / x11-req among the
 * session's requests) and, for the agent, used (the server opens an agent
 * channel). One agent_forwarding event: at the use if any. */
static void forwarding_requests(ctx *x, const reqs *q, size_t s0, const sd_ssh_suite *cs, const sd_ssh_suite *ss)
{
    bool used = agent_used(x, s0, cs, ss);
    bool req = q->extra > 0 && (q->extra & REQ_AGENT);
    /* below 0.8 an env request of the same size would read the same, and
     * most clients send one (Debian's ssh_config: SendEnv LANG LC_*): the
     * event says so, the connection's summary claims only what is sure */
    bool sure = q->conf >= 0.8;
    x->sum->agent_used = used;
    x->sum->agent_forwarding = used || (req && sure);
    if (req && !used)
        request_event(x, q, "agent_forwarding", sure ? "auth-agent-req sent (-A); the agent was not used"
                                                     : "auth-agent-req (-A) or an env request of its size; agent not used");
    if (q->extra > 0 && (q->extra & REQ_X11))
        request_event(x, q, "x11_forwarding", sure ? "x11-req sent (-X/-Y)" : "x11-req (-X/-Y) or an env request of its size");
}

/* Records after the pty-req's write: where keys may start. */
static size_t keys_start(const ctx *x, size_t i)
{
    size_t k = i + 1;
    while (k < x->n && x->v[k].t - x->v[i].t < 0.05)
        k++;
    return k;
}

static int cmp_item(const void *a, const void *b)
{
    const item *p = a, *q = b;
    if (p->ts != q->ts)
        return p->ts < q->ts ? -1 : 1;
    return p->frame < q->frame ? -1 : p->frame > q->frame;
}

void sd_infer_ssh(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out, sd_infer_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    sum->auth_success = -1;
    sum->host_known = -1;
    const sd_ssh_meta *m = r->meta;
    const sd_ssh_side *cl = &m->side[m->client_dir], *sv = &m->side[!m->client_dir];
    ctx x = { .o = o, .r = r, .out = out, .sum = sum };
    const sd_conn *c = r->conn;

    /* host key: a person reading the fingerprint delays the client's NEWKEYS */
    if (m->hostkey_seen && cl->newkeys_seen) {
        double d = sd_ts_sec(cl->newkeys_ts - m->kex_reply_ts);
        item a = { .ts = m->kex_reply_ts, .frame = m->kex_reply_frame }, b = { .frame = cl->newkeys_frame };
        sd_event *e = ev(&x, "host_key_check", &a, &b, SD_LEG_FORWARD);
        e->confidence = 0.8;
        sum->host_known = d < HOSTKEY_PROMPT_S;
        sd_ev_bool(e, "known", sum->host_known);
        sd_ev_num(e, "decision_s", d);
        snprintf(e->note, sizeof e->note, "%s (%.2f s from host key to client NEWKEYS)",
                 sum->host_known ? "host key already known" : "first contact: the user was prompted", d);
    }
    for (uint32_t i = 0; i < m->n_anomalies; i++) {
        const sd_ssh_anomaly *an = &m->anomalies[i];
        item a = { .ts = c->start, .frame = an->frame };
        sd_event *e = ev(&x, "anomaly", &a, NULL, SD_LEG_FORWARD);
        sd_ev_str(e, "code", sd_ssh_anom_name(an->code));
        snprintf(e->note, sizeof e->note, "%s", an->detail);
    }
    if (m->outcome != SD_SSH_OUT_ENCRYPTED) {
        item a = { .ts = c->start, .frame = c->first_frame }, b = { .frame = c->last_frame };
        sd_event *e = ev(&x, "scan", &a, &b, SD_LEG_FORWARD);
        sd_ev_str(e, "outcome", sd_ssh_outcome_name(m->outcome));
        snprintf(e->note, sizeof e->note, "connection ended before encryption: %s", sd_ssh_outcome_name(m->outcome));
    }
    if (!r->nrec || cl->suite.mode == SD_SSH_MODE_UNKNOWN || sv->suite.mode == SD_SSH_MODE_UNKNOWN)
        return;

    x.v = sd_calloc(r->nrec, sizeof *x.v);
    for (size_t i = 0; i < r->nrec; i++) {
        const sd_ssh_record *rc = &r->rec[i];
        x.v[x.n++] = (item){ .c = rc->from_client, .exact = rc->exact, .len = rc->wire_len, .ts = rc->ts, .t = sd_ts_sec(rc->ts),
                             .frame = rc->frame };
    }
    if (x.n > 1) /* qsort(NULL, 0) is undefined */
    qsort(x.v, x.n, sizeof *x.v, cmp_item);

    leg F = { .id = SD_LEG_FORWARD, .cl_is_outer_client = true, .oc = &cl->suite, .os = &sv->suite,
              .openssh_client = cl->software && strncmp(cl->software, "OpenSSH", 7) == 0,
              .dropbear_server = sv->software && strncmp(sv->software, "dropbear", 8) == 0 };
    auth_res a = auth_leg(&x, &F, 0, x.n);
    sum->auth_attempts = a.attempts;
    sum->auth_method = a.method;
    if (a.success_at != SIZE_MAX)
        sum->auth_success = 1;
    else if (a.attempts)
        sum->auth_success = 0;
    if (a.success_at == SIZE_MAX) {
        free(x.v);
        return;
    }
    size_t s0 = a.success_at + 1;
    x.login_t = x.v[a.success_at].t;

    /* -R: a tcpip-forward global request right after login, before the
     * session's CHANNEL_OPEN (payload 27 + bind address) */
    if (s0 < x.n && x.v[s0].c && x.v[s0].t - x.login_t < 0.5) {
        static const uint32_t addr[] = { 9, 0, 7 }; /* localhost, "", 0.0.0.0 */
        uint32_t w_open = sd_ssh_wire_size(&cl->suite, 24);
        /* want_reply: REQUEST_SUCCESS (payload 1, or 5 with the port), alone
         * or in one segment with the session's OPEN_CONFIRMATION */
        uint32_t r1 = sd_ssh_wire_size(&sv->suite, 1), r5 = sd_ssh_wire_size(&sv->suite, 5),
                 cf = sd_ssh_wire_size(&sv->suite, P_OPEN_CONFIRM);
        bool reply = false;
        for (size_t j = s0 + 1; j < x.n && x.v[j].t - x.v[s0].t < 1.0; j++) {
            uint32_t l = x.v[j].len;
            if (!x.v[j].c && (l == r1 || l == r5 || l == r1 + cf || l == r5 + cf))
                reply = true;
        }
        for (size_t k = 0; reply && k < sizeof addr / sizeof addr[0]; k++)
            if (x.v[s0].len == sd_ssh_wire_size(&cl->suite, 27 + addr[k]) && x.v[s0].len != w_open) {
                sum->reverse_provisioned = true;
                sd_event *e = ev(&x, "reverse_provisioned", &x.v[s0], NULL, SD_LEG_FORWARD);
                e->dir = 0;
                e->confidence = 0.7;
                snprintf(e->note, sizeof e->note, "-R: tcpip-forward requested after login");
                break;
            }
    }
    /* -N: nothing after login but no-more-sessions@openssh.com (payload 35) */
    bool fwd_only = true;
    for (size_t i = s0; i < x.n && x.v[i].t - x.login_t < 0.3; i++)
        if (x.v[i].c && x.v[i].len != sd_ssh_wire_size(&cl->suite, 35))
            fwd_only = false;
    reqs q = fwd_only ? (reqs){ .extra = -1 } : find_requests(&x, s0, &sv->suite);
    if (q.found)
        read_requests(&x, &q, F.openssh_client, &cl->suite, &sv->suite);
    /* session kind: a pty request carries the terminal modes */
    bool pty = q.pty;
    size_t kfrom = q.pty ? keys_start(&x, q.from) : s0;
    for (size_t i = s0; !q.found && !pty && i < x.n && x.v[i].t - x.login_t < 3.0; i++)
        if (x.v[i].c && x.v[i].len >= sd_ssh_wire_size(&cl->suite, P_PTY_MIN)) {
            pty = true;
            kfrom = keys_start(&x, i);
        }
    if (!pty) {
        /* clients with short terminal-mode lists (PuTTY: pty-req ~ 140
         * bytes): an interactive session shows key/echo pairs */
        uint32_t wk = sd_ssh_wire_size(&cl->suite, SD_SSH_P_KEYSTROKE), we = sd_ssh_wire_size(&sv->suite, SD_SSH_P_KEYSTROKE);
        int pairs = 0;
        size_t first = SIZE_MAX;
        for (size_t i = s0; i + 1 < x.n && pairs < 3; i++)
            if (x.v[i].c && x.v[i].len == wk && !x.v[i + 1].c && x.v[i + 1].len == we &&
                x.v[i + 1].t - x.v[i].t < 0.2 && x.v[i].t - x.login_t > 0.3) {
                if (first == SIZE_MAX)
                    first = i;
                pairs++;
            }
        if (pairs >= 3) {
            pty = true;
            kfrom = first;
        }
    }
    x.sftp = !pty && q.sftp;
    x.exec = !pty && !fwd_only && !x.sftp;
    x.req_to = q.found ? q.to : s0;
    sum->session_kind = pty ? "shell" : fwd_only ? "forward-only" : x.sftp ? "sftp" : "exec";
    size_t session_ev;
    {
        /* the session: kind, and typed by a person (keys with human gaps)
         * or driven by a program (no per-key traffic) */
        item *first = &x.v[s0 < x.n ? s0 : x.n - 1];
        sd_event *e = ev(&x, "session", first, &x.v[x.n - 1], SD_LEG_FORWARD);
        e->confidence = 0.7;
        sd_ev_str(e, "session_kind", sum->session_kind);
        sd_ev_bool(e, "pty", pty);
        session_ev = (size_t)(e - out->v);
    }

    forwarding_requests(&x, &q, s0, &cl->suite, &sv->suite);
    uint32_t w_conf = sd_ssh_wire_size(&cl->suite, P_OPEN_CONFIRM);

    /* the inner suite is encrypted: try OpenSSH's usual ones (K = 36, 36,
     * 28, 52, 64; ssh_inference.md 7.3) */
    static const char *const in_names[][2] = {
        { "chacha20-poly1305@openssh.com", NULL }, { "aes128-gcm@openssh.com", NULL },
        { "aes128-ctr", "umac-64-etm@openssh.com" }, { "aes128-ctr", "hmac-sha2-256-etm@openssh.com" },
        { "aes128-ctr", "hmac-sha2-256" },
    };
    sd_ssh_suite inner[5];
    size_t ninner = 0;
    for (size_t k = 0; k < 5; k++)
        if (sd_ssh_suite_from_names(in_names[k][0], in_names[k][1], &inner[ninner]) == 0)
            ninner++;
    size_t rv = find_nested(&x, s0, false, w_conf);
    size_t nv = find_nested(&x, s0, true, sd_ssh_wire_size(&sv->suite, P_OPEN_CONFIRM));
    /* one handshake: the side that opened the channel came first */
    if (rv != SIZE_MAX && nv != SIZE_MAX) {
        if (rv < nv && x.v[nv].t - x.v[rv].t < 10.0)
            nv = SIZE_MAX;
        else if (nv < rv && x.v[rv].t - x.v[nv].t < 10.0)
            rv = SIZE_MAX;
    }
    bool tunnels = rv != SIZE_MAX || nv != SIZE_MAX;
    /* each reverse session: the next handshake ends the previous one */
    while (rv != SIZE_MAX) {
        size_t hs = rv + 1; /* past this handshake's KEXINITs */
        while (hs < x.n && x.v[hs].len < 900)
            hs++;
        size_t next = find_nested(&x, hs + 1, false, w_conf);
        size_t lim = next != SIZE_MAX ? next : x.n;
        item *it = &x.v[rv];
        double after = it->t - x.login_t;
        sd_event *e = ev(&x, "reverse_init", it, NULL, SD_LEG_REVERSE);
        e->dir = 1;
        e->confidence = 0.8;
        sd_ev_bool(e, "automated", after < REVERSE_AUTO_S);
        sd_ev_num(e, "after_login_s", after);
        snprintf(e->note, sizeof e->note, "SSH session started from the server through the tunnel, %.1f s after login",
                 after);
        leg R = { .id = SD_LEG_REVERSE, .cl_is_outer_client = false, .oc = &cl->suite, .os = &sv->suite,
                  .inner = pick_inner(&x, rv, lim, false, &cl->suite, &sv->suite, inner, &ninner),
                  .openssh_client = true };
        auth_res ra = auth_leg(&x, &R, rv, lim);
        if (o->keystrokes && ra.success_at != SIZE_MAX)
            sum->keystrokes += keys_leg(&x, &R, ra.end, lim, true);
        rv = next;
    }
    if (nv != SIZE_MAX) {
        item *it = &x.v[nv];
        sd_event *e = ev(&x, "nested_init", it, NULL, SD_LEG_NESTED);
        e->dir = 0;
        e->confidence = 0.7;
        snprintf(e->note, sizeof e->note, "SSH session to another host carried inside (ProxyJump / -W)");
        leg N = { .id = SD_LEG_NESTED, .cl_is_outer_client = true, .oc = &cl->suite, .os = &sv->suite,
                  .inner = pick_inner(&x, nv, x.n, true, &cl->suite, &sv->suite, inner, &ninner),
                  .openssh_client = true };
        auth_res na = auth_leg(&x, &N, nv, x.n);
        if (o->keystrokes && na.success_at != SIZE_MAX)
            sum->keystrokes += keys_leg(&x, &N, na.end, x.n, true);
    }
    F.paste = !tunnels;
    uint32_t fkeys = pty ? keys_leg(&x, &F, kfrom, x.n, o->keystrokes) : 0;
    sum->keystrokes += fkeys;
    {
        sd_event *e = &out->v[session_ev];
        bool human = fkeys >= 2;
        sd_ev_bool(e, "human", human);
        sd_ev_int(e, "keys", fkeys);
        snprintf(e->note, sizeof e->note, "%s, %s",
                 pty ? "interactive shell (pty)" : fwd_only ? "no command (-N)"
                 : x.sftp ? "sftp subsystem (no pty)" : "remote command / subsystem (no pty)",
                 human ? "typed by a person" : "no typing seen (scripted or idle)");
    }
    if (fwd_only)
        forwards(&x, s0, &cl->suite, &sv->suite);
    else
        transfers(&x, s0, &cl->suite, &sv->suite);
    if (x.scp) { /* an exec session that ran legacy scp */
        sum->session_kind = "scp";
        sd_ev_str(&out->v[session_ev], "session_kind", sum->session_kind);
    }
    free(x.v);
}

typedef struct wrec {
    sd_ts ts;
    uint64_t frame;
    uint32_t len;
    uint8_t d;
} wrec;

static int cmp_wrec(const void *a, const void *b)
{
    const wrec *x = a, *y = b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    return x->frame < y->frame ? -1 : x->frame > y->frame;
}

static void window_event(const sd_sshconn_result *r, sd_evlist *out, const wrec *first,
                         const wrec *last, const uint64_t by[2], double w)
{
    for (int d = 0; d < 2; d++) {
        if (!(by[d] >= 16384 && by[d] >= 4 * by[!d]))
            continue;
        sd_event *e = sd_ev_add(out, "data_window", r->conn->uid, r->conn->id, first->ts, first->frame,
                                last->frame, SD_LEG_FORWARD);
        e->dir = d;
        sd_ev_str(e, "direction", d == 0 ? "exfil" : "infil");
        sd_ev_int(e, "bytes", (int64_t)by[d]);
        sd_ev_int(e, "bytes_other", (int64_t)by[!d]);
        sd_ev_num(e, "window_s", w);
        snprintf(e->note, sizeof e->note, "%s: %llu bytes in %.1f s window", d == 0 ? "exfil" : "infil",
                 (unsigned long long)by[d], w);
    }
}

/* Windows [t0 + k*stride, +window) over the records in time order, two
 * pointers, empty stretches skipped: the cost follows the records, not the
 * capture's time span (a hostile timestamp must not make it loop for years).
 * The stride is at least window/100, so a record is in at most 100 windows. */
void sd_ssh_window(const sd_infer_opts *o, const sd_sshconn_result *r, sd_evlist *out)
{
    if (o->window_s <= 0 || !r->nrec)
        return;
    double w = o->window_s, st = o->stride_s > 0 ? o->stride_s : o->window_s;
    if (st < w / 100)
        st = w / 100;
    sd_ts wn = (sd_ts)(w * 1e9), sn = (sd_ts)(st * 1e9);
    if (wn <= 0 || sn <= 0)
        return;
    size_t n = r->nrec;
    wrec *v = sd_calloc(n, sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (wrec){ r->rec[i].ts, r->rec[i].frame, r->rec[i].wire_len, r->rec[i].from_client ? 0 : 1 };
    if (n > 1)
        qsort(v, n, sizeof *v, cmp_wrec);
    sd_ts t0 = v[0].ts;
    uint64_t by[2] = { 0, 0 }, k = 0;
    size_t lo = 0, hi = 0;
    while (lo < n) {
        sd_ts a = t0 + (sd_ts)k * sn;
        for (; hi < n && v[hi].ts < a + wn; hi++)
            by[v[hi].d] += v[hi].len;
        for (; lo < hi && v[lo].ts < a; lo++)
            by[v[lo].d] -= v[lo].len;
        if (lo == hi) { /* empty window: jump to the first one that holds v[hi] */
            if (hi >= n)
                break;
            uint64_t next = (uint64_t)((v[hi].ts - wn - t0) / sn) + 1;
            k = next > k ? next : k + 1;
            continue;
        }
        window_event(r, out, &v[lo], &v[hi - 1], by, w);
        k++;
    }
    free(v);
}
