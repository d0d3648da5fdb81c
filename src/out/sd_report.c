/* sd_report: terminal report, HTML report and TCP plot (see sd_report.h). */
#include "sd_report.h"

#include "../flow/sd_tcp.h"
#include "sd_svg.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* packetStrider's data-movement defaults (ssh_inference.md 1.3): window
 * 2*2+1 packets, stride 1, and a datum above 1.2 x the reverse keystroke
 * size (keystroke + 40) counts as bulk data. */
#define DM_WINDOW 5u
#define DM_STRIDE 1u
#define DM_BULK_FACTOR 1.2
#define DM_REV_EXTRA 40u
#define DM_MIN_PRED 3u /* records in a window before it may predict exfil/infil */
/* Plots draw at most this many points per line: more are invisible at
 * 1000 pixels and would only make the file big. */
#define MAX_LINE_POINTS 1500u
/* Histogram range in bytes (larger sizes go to one overflow bin). */
#define HIST_CAP 512u
/* Sections open (rendered) when the page loads; later ones render on open. */
#define HTML_OPEN_SECTIONS 20u

/* ---------------------------------------------------------------- common */

bool sd_report_color(FILE *out, bool no_color_flag)
{
    if (no_color_flag)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    return out && isatty(fileno(out));
}

static bool in_zoom(const sd_report_opts *o, uint64_t frame)
{
    if (!o)
        return true;
    if (o->zoom_first && frame < o->zoom_first)
        return false;
    if (o->zoom_last && frame > o->zoom_last)
        return false;
    return true;
}

static bool has(const char *s, const char *w)
{
    return s && strstr(s, w) != NULL;
}

/* Groups of the issue, in report order. Kind names are the inference's;
 * matching by word keeps the report working as kinds are added. */
enum { G_FLOGIN, G_FKEYS, G_RLOGIN, G_RKEYS, G_XFER, G_FWD, G_OTHER, G_N };
static const char *const GROUP_NAME[G_N] = {
    "forward login", "forward keystrokes", "reverse login", "reverse keystrokes", "transfers", "forwards", "session",
};

static int group_of(const sd_event *e)
{
    const char *k = e->kind ? e->kind : "";
    bool rev = e->leg != SD_LEG_FORWARD;
    /* docs/events.md kinds first, then words for kinds added later */
    if (has(k, "transfer") || has(k, "data_window") || has(k, "exfil") || has(k, "infil") || has(k, "upload") ||
        has(k, "download"))
        return G_XFER;
    if (has(k, "reverse_init") || has(k, "nested_init") || has(k, "provision") || has(k, "forward") ||
        has(k, "tunnel") || has(k, "agent") || has(k, "x11"))
        return G_FWD;
    if (has(k, "auth") || has(k, "login") || has(k, "host_key") || has(k, "hostkey") || has(k, "brute"))
        return rev ? G_RLOGIN : G_FLOGIN;
    if (has(k, "key") || has(k, "command") || has(k, "chaff") || has(k, "enter") || has(k, "typing"))
        return rev ? G_RKEYS : G_FKEYS;
    return G_OTHER;
}

const char *sd_report_group(const sd_event *e)
{
    return GROUP_NAME[group_of(e)];
}

static const char *leg_short(sd_leg l)
{
    return l == SD_LEG_REVERSE ? "rev" : l == SD_LEG_NESTED ? "nst" : "fwd";
}

static const char *dir_arrow(int d)
{
    return d == 0 ? "->" : d == 1 ? "<-" : "  ";
}

static int64_t ev_bytes(const sd_event *e)
{
    static const char *const K[] = { "bytes", "size", "wire_len", "len", "length" };
    for (size_t i = 0; i < SD_ARRAY_LEN(K); i++) {
        const sd_evfield *f = sd_ev_get(e, K[i]);
        if (f && f->type == SD_EVF_INT)
            return f->i;
        if (f && f->type == SD_EVF_NUM)
            return (int64_t)f->f;
    }
    return -1;
}

/* The note, or the event's fields when the analyzer left no note. */
static void ev_note(const sd_event *e, char *out, size_t len)
{
    if (e->note[0]) {
        snprintf(out, len, "%s", e->note);
        return;
    }
    size_t n = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < e->nf && i < SD_EV_MAX_FIELDS && n < len; i++) {
        const sd_evfield *f = &e->f[i];
        if (!f->key)
            continue;
        int w = 0;
        switch (f->type) {
        case SD_EVF_STR: w = snprintf(out + n, len - n, "%s%s=%s", n ? " " : "", f->key, f->s); break;
        case SD_EVF_INT: w = snprintf(out + n, len - n, "%s%s=%lld", n ? " " : "", f->key, (long long)f->i); break;
        case SD_EVF_NUM: /* whole numbers in full (latencies of seconds), small ones to 3 digits */
            w = snprintf(out + n, len - n, fabs(f->f) >= 100 ? "%s%s=%.0f" : "%s%s=%.3g", n ? " " : "",
                         f->key, f->f);
            break;
        case SD_EVF_BOOL: w = snprintf(out + n, len - n, "%s%s=%s", n ? " " : "", f->key, f->b ? "yes" : "no"); break;
        }
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (n >= len && len > 4)
        memcpy(out + len - 4, "...", 4);
}

static int cmp_ev_ptr(const void *a, const void *b)
{
    const sd_event *x = *(const sd_event *const *)a, *y = *(const sd_event *const *)b;
    if (x->ts != y->ts)
        return x->ts < y->ts ? -1 : 1;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The connection's events inside the zoom range, in time order (owned array
 * of borrowed pointers). */
static const sd_event **sorted_events(const sd_report_conn *c, const sd_report_opts *o, size_t *n)
{
    const sd_event **v = sd_calloc(c->nev ? c->nev : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < c->nev; i++)
        if (in_zoom(o, c->ev[i].frame) || in_zoom(o, c->ev[i].frame_last))
            v[k++] = &c->ev[i];
    if (k > 1) /* qsort(NULL, 0) is undefined */
    qsort(v, k, sizeof *v, cmp_ev_ptr);
    *n = k;
    return v;
}

static void frames_str(const sd_event *e, char *out, size_t len)
{
    if (e->frame_last > e->frame)
        snprintf(out, len, "%llu-%llu", (unsigned long long)e->frame, (unsigned long long)e->frame_last);
    else
        snprintf(out, len, "%llu", (unsigned long long)e->frame);
}

static void ws_filter(const sd_conn *c, const sd_event *e, char *out, size_t len)
{
    uint64_t a = e->frame, z = e->frame_last > e->frame ? e->frame_last : e->frame;
    const char *p = c && c->ipproto == 17 ? "udp" : "tcp";
    unsigned long long st = c ? (unsigned long long)c->id : (unsigned long long)e->stream;
    if (a == z)
        snprintf(out, len, "%s.stream eq %llu && frame.number == %llu", p, st, (unsigned long long)a);
    else
        snprintf(out, len, "%s.stream eq %llu && frame.number >= %llu && frame.number <= %llu", p, st,
                 (unsigned long long)a, (unsigned long long)z);
}

/* Sizes the suite model predicts (DESIGN.md "The SSH size model"); 0 when
 * the suite is unknown. */
typedef struct predicted {
    uint32_t key, echo, success, accept;
} predicted;

static predicted predict(const sd_ssh_meta *m)
{
    predicted p = { 0 };
    if (!m)
        return p;
    const sd_ssh_suite *cs = &m->side[m->client_dir & 1].suite, *ss = &m->side[!(m->client_dir & 1)].suite;
    if (cs->mode != SD_SSH_MODE_UNKNOWN)
        p.key = sd_ssh_wire_size(cs, SD_SSH_P_KEYSTROKE);
    if (ss->mode != SD_SSH_MODE_UNKNOWN) {
        p.echo = sd_ssh_wire_size(ss, SD_SSH_P_KEYSTROKE);
        p.success = sd_ssh_wire_size(ss, SD_SSH_P_USERAUTH_SUCCESS);
        p.accept = sd_ssh_wire_size(ss, SD_SSH_P_SERVICE_ACCEPT);
    }
    return p;
}

static void endpoints(const sd_conn *c, const sd_ssh_meta *m, char *out, size_t len)
{
    char a1[SD_ADDR_STRLEN], a2[SD_ADDR_STRLEN];
    snprintf(out, len, "%s:%u %s %s:%u", sd_addr_str(&c->orig_h, a1, sizeof a1), c->orig_p,
             m && m->client_dir == SD_DIR_RESP ? "<-" : "->", sd_addr_str(&c->resp_h, a2, sizeof a2), c->resp_p);
}

static const char *nz(const char *s)
{
    return s && s[0] ? s : "-";
}

/* ---------------------------------------------------------------- text */

/* ANSI SGR codes per group (ECMA-48 8.3.117). */
static const char *const GROUP_SGR[G_N] = { "32", "36", "35", "95", "33", "34", "37" };

typedef struct tx {
    sd_buf *b;
    bool color;
} tx;

static void tx_on(tx *t, const char *sgr)
{
    if (t->color)
        sd_buf_printf(t->b, "\033[%sm", sgr);
}

static void tx_off(tx *t)
{
    if (t->color)
        sd_buf_printf(t->b, "\033[0m");
}

static void tx_kv(tx *t, const char *k, const char *v)
{
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, "%-11s", k);
    tx_off(t);
    sd_buf_printf(t->b, " %s\n", v);
}

/* A key and a long value wrapped at spaces to w columns, continuation
 * lines aligned under the value. */
static void tx_kv_wrap(tx *t, const char *k, const char *v, size_t w)
{
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, "%-11s", k);
    tx_off(t);
    size_t n = strlen(v);
    bool first = true;
    while (n) {
        size_t take = n;
        if (take > w) {
            take = w;
            for (size_t i = w; i > w / 2; i--)
                if (v[i] == ' ') {
                    take = i;
                    break;
                }
        }
        sd_buf_printf(t->b, "%*s", first ? 1 : 14, "");
        sd_buf_append(t->b, v, take);
        sd_buf_printf(t->b, "\n");
        v += take;
        n -= take;
        while (n && *v == ' ') {
            v++;
            n--;
        }
        first = false;
    }
}

/* Appends s cut to at most w display columns (bytes: the report's text is
 * ASCII except for banners, which are cut the same way). */
static void put_cut(sd_buf *b, const char *s, size_t w)
{
    size_t n = strlen(s);
    if (n <= w) {
        sd_buf_append(b, s, n);
        return;
    }
    if (w > 3) {
        sd_buf_append(b, s, w - 3);
        sd_buf_append(b, "...", 3);
    }
}

static void text_header(tx *t, const sd_report_conn *rc, unsigned width)
{
    const sd_conn *c = rc->conn;
    const sd_ssh_meta *m = rc->meta;
    char ep[2 * SD_ADDR_STRLEN + 32], line[512], ts[40];
    endpoints(c, m, ep, sizeof ep);
    tx_on(t, "1");
    sd_buf_printf(t->b, "%s %s  tcp.stream %llu  uid %s\n", m ? "SSH" : "TCP", ep, (unsigned long long)c->id,
                  c->uid);
    tx_off(t);
    snprintf(line, sizeof line, "%s  duration %.3f s  frames %llu-%llu", sd_ts_iso(c->start, ts, sizeof ts),
             sd_ts_sec(c->end - c->start), (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    tx_kv(t, "first", line);
    snprintf(line, sizeof line, "%llu (client %llu, server %llu)",
             (unsigned long long)(c->d[0].pkts + c->d[1].pkts),
             (unsigned long long)c->d[m && m->client_dir == SD_DIR_RESP ? 1 : 0].pkts,
             (unsigned long long)c->d[m && m->client_dir == SD_DIR_RESP ? 0 : 1].pkts);
    tx_kv(t, "packets", line);
    if (!m)
        return;
    const sd_ssh_side *cl = &m->side[m->client_dir & 1], *sv = &m->side[!(m->client_dir & 1)];
    size_t vw = width > 16 ? width - 14 : 20;
    sd_buf tmp = { 0 };
    put_cut(&tmp, nz(cl->banner), vw);
    sd_buf_append(&tmp, "", 1);
    tx_kv(t, "client", (char *)tmp.p);
    tmp.len = 0;
    put_cut(&tmp, nz(sv->banner), vw);
    sd_buf_append(&tmp, "", 1);
    tx_kv(t, "server", (char *)tmp.p);
    sd_buf_free(&tmp);
    snprintf(line, sizeof line, "%s  hasshServer %s", nz(cl->hassh), nz(sv->hassh));
    tx_kv(t, "hassh", line);
    if (m->cipher[0]) {
        snprintf(line, sizeof line, "%s%s%s  kex %s", m->cipher[0], m->mac[0] && !has(m->cipher[0], "gcm") &&
                 !has(m->cipher[0], "poly1305") ? " + " : "",
                 m->mac[0] && !has(m->cipher[0], "gcm") && !has(m->cipher[0], "poly1305") ? m->mac[0] : "",
                 nz(m->kex_alg));
        tx_kv(t, "suite", line);
    }
    if (m->hostkey_seen) {
        snprintf(line, sizeof line, "%s %s (frame %llu)", m->hostkey_type, m->hostkey_sha256,
                 (unsigned long long)m->kex_reply_frame);
        tx_kv(t, "host key", line);
    }
    if (m->terrapin) {
        snprintf(line, sizeof line, "Terrapin EXPOSED: %s", m->terrapin_reason);
        tx_kv(t, "warning", line);
    }
    if (rc->summary && rc->summary[0])
        tx_kv_wrap(t, "outcome", rc->summary, vw);
}

static void text_summary(tx *t, const sd_event *const *v, size_t n)
{
    size_t cnt[G_N] = { 0 };
    uint64_t first[G_N] = { 0 }, last[G_N] = { 0 };
    for (size_t i = 0; i < n; i++) {
        int g = group_of(v[i]);
        if (!cnt[g]++)
            first[g] = v[i]->frame;
        uint64_t l = v[i]->frame_last > v[i]->frame ? v[i]->frame_last : v[i]->frame;
        if (l > last[g])
            last[g] = l;
    }
    sd_buf_printf(t->b, "  ");
    tx_on(t, "2");
    sd_buf_printf(t->b, n ? "%s" : "%-11s", "findings");
    tx_off(t);
    if (!n) {
        sd_buf_printf(t->b, " none\n");
        return;
    }
    sd_buf_printf(t->b, "\n");
    for (int g = 0; g < G_N; g++) {
        if (!cnt[g])
            continue;
        sd_buf_printf(t->b, "    ");
        tx_on(t, GROUP_SGR[g]);
        sd_buf_printf(t->b, "%-19s", GROUP_NAME[g]);
        tx_off(t);
        sd_buf_printf(t->b, " %5zu  frames %llu-%llu\n", cnt[g], (unsigned long long)first[g],
                      (unsigned long long)last[g]);
    }
}

/* Table columns; the note takes what is left of the width and wraps. */
#define TW_FRAMES 13
#define TW_TIME 9
#define TW_DELTA 9
#define TW_KIND 19
#define TW_BYTES 6
#define TW_FIXED (TW_FRAMES + 1 + TW_TIME + 1 + TW_DELTA + 1 + 3 + 1 + 2 + 1 + TW_KIND + 1 + TW_BYTES + 2)

static void text_note(tx *t, const char *note, size_t w)
{
    size_t n = strlen(note);
    bool firstl = true;
    while (n) {
        size_t take = n;
        if (take > w) {
            take = w;
            /* break at a space when there is one in the second half */
            for (size_t k = w; k > w / 2; k--)
                if (note[k] == ' ') {
                    take = k;
                    break;
                }
        }
        if (!firstl)
            sd_buf_printf(t->b, "\n%*s", TW_FIXED + 2, "");
        sd_buf_append(t->b, note, take);
        note += take;
        n -= take;
        while (n && *note == ' ') {
            note++;
            n--;
        }
        firstl = false;
    }
}

static void text_table(tx *t, const sd_report_conn *rc, const sd_event *const *v, size_t n, unsigned width)
{
    if (!n)
        return;
    size_t nw = width > TW_FIXED + 12 ? width - TW_FIXED - 2 : 10;
    sd_buf_printf(t->b, "\n  ");
    tx_on(t, "1");
    sd_buf_printf(t->b, "%*s %*s %*s %-3s %-2s %-*s %*s  %s", TW_FRAMES, "frame", TW_TIME, "time", TW_DELTA, "delta",
                  "leg", "", TW_KIND, "indicator", TW_BYTES, "bytes", "note");
    tx_off(t);
    sd_buf_printf(t->b, "\n");
    sd_ts prev = 0;
    for (size_t i = 0; i < n; i++) {
        const sd_event *e = v[i];
        char fr[48], tm[24], dl[24], by[24], note[256], kind[TW_KIND + 1];
        frames_str(e, fr, sizeof fr);
        snprintf(tm, sizeof tm, "%.3f", sd_ts_sec(e->ts - rc->conn->start));
        if (i)
            snprintf(dl, sizeof dl, "+%.3f", sd_ts_sec(e->ts - prev));
        else
            snprintf(dl, sizeof dl, "-");
        prev = e->ts;
        int64_t bytes = ev_bytes(e);
        if (bytes >= 0)
            snprintf(by, sizeof by, "%lld", (long long)bytes);
        else
            snprintf(by, sizeof by, "-");
        snprintf(kind, sizeof kind, "%s", e->kind ? e->kind : "?");
        ev_note(e, note, sizeof note);
        sd_buf_printf(t->b, "  %*s %*s %*s ", TW_FRAMES, fr, TW_TIME, tm, TW_DELTA, dl);
        if (e->leg != SD_LEG_FORWARD)
            tx_on(t, "35");
        sd_buf_printf(t->b, "%-3s", leg_short(e->leg));
        if (e->leg != SD_LEG_FORWARD)
            tx_off(t);
        sd_buf_printf(t->b, " %-2s ", dir_arrow(e->dir));
        tx_on(t, GROUP_SGR[group_of(e)]);
        sd_buf_printf(t->b, "%-*s", TW_KIND, kind);
        tx_off(t);
        sd_buf_printf(t->b, " %*s  ", TW_BYTES, by);
        text_note(t, note, nw);
        sd_buf_printf(t->b, "\n");
    }
}

void sd_report_text(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o)
{
    tx t = { b, o && o->color == SD_REPORT_COLOR_ALWAYS };
    unsigned width = o && o->width ? o->width : 100;
    size_t n;
    const sd_event **v = sorted_events(rc, o, &n);
    text_header(&t, rc, width);
    if (o && (o->zoom_first || o->zoom_last)) {
        char z[96];
        snprintf(z, sizeof z, "frames %llu-%llu only", (unsigned long long)o->zoom_first,
                 (unsigned long long)(o->zoom_last ? o->zoom_last : rc->conn->last_frame));
        tx_kv(&t, "zoom", z);
    }
    text_summary(&t, v, n);
    {
        char f[64];
        snprintf(f, sizeof f, "%s.stream eq %llu", rc->conn->ipproto == 17 ? "udp" : "tcp",
                 (unsigned long long)rc->conn->id);
        tx_kv(&t, "wireshark", f);
    }
    text_table(&t, rc, v, n, width);
    sd_buf_printf(b, "\n");
    free(v);
}

/* ---------------------------------------------------------------- html */

typedef struct html_sec {
    uint64_t key;      /* first frame: sections in connection order */
    char *html;        /* everything after "<details" */
} html_sec;

struct sd_report_html {
    sd_report_opts o;
    char title[256];
    html_sec *sec;
    size_t n, cap;
    uint64_t events;
};

static const char CSS[] =
    "body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#222;background:#fafafa}"
    "h1{font-size:20px;margin:0 0 8px}code,pre,.mono{font-family:ui-monospace,monospace;font-size:12px}"
    "details.conn{background:#fff;border:1px solid #ccc;border-radius:4px;margin:8px 0;padding:4px 10px}"
    "summary{cursor:pointer;font-weight:600}table{border-collapse:collapse}"
    "td,th{padding:1px 8px;text-align:left;vertical-align:top}th{background:#eee}"
    "table.kv td:first-child{color:#666}table.ev td{border-top:1px solid #eee;font-size:12px}"
    "table.ev td.n{text-align:right;font-family:ui-monospace,monospace}table.ev code{white-space:nowrap}"
    "h3{font-size:14px;margin:12px 0 2px}svg{display:block;background:#fff}"
    "svg text{font-size:11px;fill:#333}.ax path{stroke:#666;fill:none}.ax .gr{stroke:#eee}"
    ".ln{fill:none;stroke:#f0f0f0}.ln.fwd{fill:#f3f8ff}.ln.rev{fill:#fff3f8}.ln.nst{fill:#f8f3ff}"
    "text.rev{fill:#a02060}text.nst{fill:#6030a0}text.fwd{fill:#205090}"
    ".mk{stroke-width:1.5}.mk:hover{stroke:#000;stroke-width:3}"
    ".g0{fill:#2a9d4a;stroke:#2a9d4a}.g1{fill:#1a8aa0;stroke:#1a8aa0}.g2{fill:#b0307a;stroke:#b0307a}"
    ".g3{fill:#e05aa0;stroke:#e05aa0}.g4{fill:#d08a10;stroke:#d08a10}.g5{fill:#3050c0;stroke:#3050c0}"
    ".g6{fill:#777;stroke:#777}.d0{fill:#3a78c8}.d1{fill:#e07b2a}.ov{fill:#999}"
    ".sw.g0{background:#2a9d4a}.sw.g1{background:#1a8aa0}.sw.g2{background:#b0307a}.sw.g3{background:#e05aa0}"
    ".sw.g4{background:#d08a10}.sw.g5{background:#3050c0}.sw.g6{background:#777}"
    ".l0{stroke:#3a78c8;fill:none;stroke-width:1.5}.l1{stroke:#e07b2a;fill:none;stroke-width:1.5}"
    ".l2{stroke:#2a9d4a;fill:none;stroke-width:1.5}.l3{stroke:#888;fill:none;stroke-width:1;stroke-dasharray:3 2}"
    ".rt{stroke:#d00;fill:none;stroke-width:2}.ex{fill:#d00;stroke:#d00}.in{fill:#70d;stroke:#70d}"
    ".vl{stroke:#444;stroke-dasharray:4 3}text.vl{fill:#444;stroke:none}.lb{fill:#555}"
    ".tl-t{display:none}body.bytime .tl-t{display:inline}body.bytime .tl-f{display:none}"
    ".key{font-size:12px;color:#555}.sw{display:inline-block;width:10px;height:10px;margin:0 3px 0 10px}"
    ".warn{color:#b00}";

/* Renders a section when it is opened (lazy: a capture with hundreds of
 * connections loads without building every plot); the x-axis switch; and,
 * with #test in the URL, opens everything and writes the mark counts and
 * any script errors into <pre id=result> for the headless-browser test. */
static const char JS[] =
    "var errs=[];window.addEventListener('error',function(e){errs.push(String(e.message))});"
    "function rd(d){if(d.dataset.r)return;var t=d.querySelector('template');if(t){d.appendChild(t.content.cloneNode(true));}"
    "d.dataset.r='1';if(document.body.classList.contains('bytime'))mv(d)}"
    "document.querySelectorAll('details.conn').forEach(function(d){if(d.open)rd(d);"
    "d.addEventListener('toggle',function(){if(d.open)rd(d)})});"
    "function mv(root){var bt=document.body.classList.contains('bytime');"
    "root.querySelectorAll('svg.tl g.mk').forEach(function(g){"
    "g.setAttribute('transform','translate('+(bt?g.dataset.t:g.dataset.f)+' 0)')})}"
    "var xt=document.getElementById('xt');if(xt)xt.addEventListener('change',function(){"
    "document.body.classList.toggle('bytime',xt.checked);mv(document)});"
    "function cnt(){var r={errors:errs,sections:0,plots:{}};document.querySelectorAll('details.conn').forEach(function(d){"
    "d.open=true;rd(d);r.sections++});document.querySelectorAll('svg[data-plot]').forEach(function(s){"
    "var n=0;s.querySelectorAll('.mk').forEach(function(m){var t=m.querySelector('title');"
    "var x=t&&/^(\\d+) record/.exec(t.textContent);n+=x?+x[1]:1});"
    "r.plots[s.id]={marks:s.querySelectorAll('.mk').length,weight:n,rt:s.querySelectorAll('.rt').length}});"
    "var g=document.querySelector('svg.tl g.mk');if(g&&xt){var a=g.getAttribute('transform');xt.checked=true;"
    "xt.dispatchEvent(new Event('change'));var b=g.getAttribute('transform');xt.checked=false;"
    "xt.dispatchEvent(new Event('change'));r.xswitch=(a!==b||g.dataset.f===g.dataset.t)&&"
    "g.getAttribute('transform')===a}"
    "r.script_ms=performance.now();"
    "var p=document.getElementById('result');p.textContent=JSON.stringify(r);}"
    "if(location.hash==='#bytime'&&xt){xt.checked=true;xt.dispatchEvent(new Event('change'))}"
    "if(location.hash==='#test')cnt();"
    "if(location.hash==='#time')document.getElementById('result').textContent="
    "JSON.stringify({script_ms:performance.now(),errors:errs});";

sd_report_html *sd_report_html_new(const sd_report_opts *o)
{
    sd_report_html *h = sd_calloc(1, sizeof *h);
    if (o)
        h->o = *o;
    snprintf(h->title, sizeof h->title, "%s", o && o->title ? o->title : "strider report");
    return h;
}

void sd_report_html_free(sd_report_html *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++)
        free(h->sec[i].html);
    free(h->sec);
    free(h);
}

static void esc(sd_buf *b, const char *s)
{
    sd_svg_escape(b, s);
}

static void kv_row(sd_buf *b, const char *k, const char *v, bool mono)
{
    sd_buf_printf(b, "<tr><td>%s</td><td%s>", k, mono ? " class=mono" : "");
    esc(b, v);
    sd_buf_printf(b, "</td></tr>");
}

static void html_header(sd_buf *b, const sd_report_conn *rc)
{
    const sd_conn *c = rc->conn;
    const sd_ssh_meta *m = rc->meta;
    char line[512], ts[40];
    sd_buf_printf(b, "<table class=kv>");
    snprintf(line, sizeof line, "%s, duration %.3f s, frames %llu-%llu", sd_ts_iso(c->start, ts, sizeof ts),
             sd_ts_sec(c->end - c->start), (unsigned long long)c->first_frame, (unsigned long long)c->last_frame);
    kv_row(b, "first", line, false);
    snprintf(line, sizeof line, "%llu (orig %llu, resp %llu); bytes orig %llu, resp %llu",
             (unsigned long long)(c->d[0].pkts + c->d[1].pkts), (unsigned long long)c->d[0].pkts,
             (unsigned long long)c->d[1].pkts, (unsigned long long)c->d[0].bytes, (unsigned long long)c->d[1].bytes);
    kv_row(b, "packets", line, false);
    if (m) {
        const sd_ssh_side *cl = &m->side[m->client_dir & 1], *sv = &m->side[!(m->client_dir & 1)];
        kv_row(b, "client", nz(cl->banner), true);
        kv_row(b, "server", nz(sv->banner), true);
        kv_row(b, "hassh", nz(cl->hassh), true);
        kv_row(b, "hasshServer", nz(sv->hassh), true);
        snprintf(line, sizeof line, "%s / %s, kex %s", nz(m->cipher[0]), nz(m->mac[0]), nz(m->kex_alg));
        kv_row(b, "suite", line, true);
        if (m->hostkey_seen) {
            snprintf(line, sizeof line, "%s %s (frame %llu)", m->hostkey_type, m->hostkey_sha256,
                     (unsigned long long)m->kex_reply_frame);
            kv_row(b, "host key", line, true);
        }
        if (m->terrapin)
            kv_row(b, "Terrapin", m->terrapin_reason, false);
    }
    if (rc->summary && rc->summary[0])
        kv_row(b, "outcome", rc->summary, false);
    snprintf(line, sizeof line, "%s.stream eq %llu", c->ipproto == 17 ? "udp" : "tcp", (unsigned long long)c->id);
    kv_row(b, "Wireshark", line, true);
    sd_buf_printf(b, "</table>");
}

typedef struct lane {
    sd_leg leg;
    int group;
    char kind[SD_EV_STRLEN + 24]; /* kind, plus the key class for keystrokes */
} lane;

/* The lane name of an event: keystrokes get one lane per key class
 * (char, enter, backspace, tab, arrow...), as the analyst reads them. */
static void lane_name(const sd_event *e, char *out, size_t len)
{
    const sd_evfield *k = sd_ev_get(e, "key");
    if (k && k->type == SD_EVF_STR && k->s[0])
        snprintf(out, len, "%s %s", e->kind ? e->kind : "?", k->s);
    else
        snprintf(out, len, "%s", e->kind ? e->kind : "?");
}

static int cmp_lane(const void *a, const void *b)
{
    const lane *x = a, *y = b;
    if (x->leg != y->leg)
        return x->leg < y->leg ? -1 : 1;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

#define MAX_LANES 24

static int lane_of(const lane *L, int nl, const sd_event *e)
{
    char nm[SD_EV_STRLEN + 24];
    lane_name(e, nm, sizeof nm);
    for (int i = 0; i < nl; i++)
        if (L[i].leg == e->leg && !strcmp(L[i].kind, nm))
            return i;
    return nl - 1; /* the overflow lane */
}

static void ev_title(char *out, size_t len, const sd_report_conn *rc, const sd_event *e)
{
    char fr[48], note[200], filt[160];
    frames_str(e, fr, sizeof fr);
    ev_note(e, note, sizeof note);
    ws_filter(rc->conn, e, filt, sizeof filt);
    int64_t by = ev_bytes(e);
    snprintf(out, len, "%s (%s%s%s) frame %s, t=%.3f s%s%lld%s%s%s\n%s", e->kind ? e->kind : "?", sd_leg_name(e->leg),
             e->dir >= 0 ? ", " : "", e->dir == 0 ? "client->server" : e->dir == 1 ? "server->client" : "", fr,
             sd_ts_sec(e->ts - rc->conn->start), by >= 0 ? ", " : "", (long long)(by >= 0 ? by : 0),
             by >= 0 ? " bytes" : "", e->confidence >= 0 ? ", confidence " : "", "", filt);
    if (e->confidence >= 0) {
        size_t n = strlen(out);
        /* put the confidence before the filter line */
        char *nl = strchr(out, '\n');
        if (nl && n + 8 < len) {
            char tail[200];
            snprintf(tail, sizeof tail, "%s", nl);
            snprintf(nl, len - (size_t)(nl - out), "%.2f%s", e->confidence, tail);
        }
    }
    if (note[0]) {
        size_t n = strlen(out);
        snprintf(out + n, len - n, "\n%s", note);
    }
}

/* The findings timeline: one lane per (leg, kind), forward lanes first;
 * by frame (class tl-f) and by time (class tl-t), switched by CSS. */
static void html_timeline(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n,
                          const sd_report_opts *o, uint64_t f0, uint64_t f1)
{
    lane L[MAX_LANES];
    int nl = 0;
    for (size_t i = 0; i < n; i++) {
        char k[SD_EV_STRLEN + 24];
        lane_name(v[i], k, sizeof k);
        int j;
        for (j = 0; j < nl; j++)
            if (L[j].leg == v[i]->leg && !strcmp(L[j].kind, k))
                break;
        if (j == nl && nl < MAX_LANES) {
            L[nl].leg = v[i]->leg;
            L[nl].group = group_of(v[i]);
            snprintf(L[nl].kind, sizeof L[nl].kind, "%s", k);
            nl++;
        }
    }
    if (!nl)
        return;
    if ((size_t)nl > 1) /* qsort(NULL, 0) is undefined */
    qsort(L, (size_t)nl, sizeof *L, cmp_lane);
    double t0 = 0, t1 = sd_ts_sec(rc->conn->end - rc->conn->start);
    if (o->zoom_first || o->zoom_last) {
        t0 = sd_ts_sec(v[0]->ts - rc->conn->start);
        t1 = sd_ts_sec(v[n - 1]->ts - rc->conn->start);
    }
    sd_buf_printf(b, "<h3>Findings timeline</h3>");
    /* One svg with both x axes: marks sit at their frame position and carry
     * their time position in data-t; the page's switch moves them. */
    sd_svg s, st;
    char id[48];
    snprintf(id, sizeof id, "tl-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 48 + 20.0 * nl, id, "class=\"tl\" data-plot=\"timeline\"");
    s.left = 170;
    sd_svg_range(&s, (double)f0, (double)f1 + 1, 0, 1);
    st = s;
    sd_svg_range(&st, t0, t1 + (t1 - t0) * 0.01, 0, 1);
    double ly[MAX_LANES];
    for (int i = 0; i < nl; i++) {
        char lab[128];
        snprintf(lab, sizeof lab, "%s %s", leg_short(L[i].leg), L[i].kind);
        ly[i] = sd_svg_lane(&s, i, nl, lab, L[i].leg == SD_LEG_REVERSE ? "rev" : L[i].leg == SD_LEG_NESTED ? "nst" : "fwd");
    }
    sd_buf_printf(b, "<g class=tl-f>");
    sd_svg_axes(&s, "frame number", NULL, 10, 0);
    sd_buf_printf(b, "</g><g class=tl-t>");
    sd_svg_axes(&st, "time since connection start (s)", NULL, 10, 0);
    sd_buf_printf(b, "</g>");
    for (size_t i = 0; i < n; i++) {
        char t[600], cls[16], at[64];
        double fx = sd_svg_px(&s, (double)v[i]->frame);
        ev_title(t, sizeof t, rc, v[i]);
        snprintf(cls, sizeof cls, "g%d", group_of(v[i]));
        snprintf(at, sizeof at, "data-f=\"%.1f\" data-t=\"%.1f\"", fx,
                 sd_svg_px(&st, sd_ts_sec(v[i]->ts - rc->conn->start)));
        sd_svg_mark_at(&s, fx, ly[lane_of(L, nl, v[i])],
                       v[i]->leg == SD_LEG_FORWARD ? SD_SVG_DOT : SD_SVG_DIAMOND, cls, t, at);
    }
    sd_svg_end(&s);
}

static bool rec_in(const sd_report_opts *o, const sd_ssh_record *r)
{
    return in_zoom(o, r->frame);
}

/* One window's features (packetStrider, ssh_inference.md 1.3): client
 * share of packets and bytes, size variability, and whether every record
 * is bulk-sized and one-way (exfil 1 / infil 2). */
typedef struct dm_win {
    double x, cp, cb, var, el;
    char flag;
} dm_win;

static dm_win dm_features(const sd_ssh_record **r, size_t n, double bulk, uint32_t *sz)
{
    double cpk = 0, cby = 0, tby = 0;
    bool allc = true, alls = true, big = true;
    size_t uniq = 0;
    for (size_t j = 0; j < n; j++) {
        const sd_ssh_record *q = r[j];
        if (q->from_client) {
            cpk++;
            cby += q->wire_len;
            alls = false;
        } else {
            allc = false;
        }
        tby += q->wire_len;
        big &= q->wire_len > bulk;
        size_t u;
        for (u = 0; u < uniq && sz[u] != q->wire_len; u++)
            ;
        if (u == uniq)
            sz[uniq++] = q->wire_len;
    }
    dm_win d = { (double)r[0]->frame, cpk / (double)n, tby > 0 ? cby / tby : 0, (double)uniq / (double)n,
                 sd_ts_sec(r[n - 1]->ts - r[0]->ts), 0 };
    /* a lone bulk-sized record is no movement: a time window may hold one */
    if (n >= DM_MIN_PRED)
        d.flag = big && allc ? 1 : big && alls ? 2 : 0;
    return d;
}

/* Windows of w records every st records (packetStrider's), or with -w/-s
 * of window_s seconds every stride_s seconds (the data_window events'
 * windows; empty ones skipped). At most cap windows, thinned evenly. */
static size_t dm_windows(const sd_ssh_record **r, size_t nr, const sd_report_opts *o, unsigned w,
                         unsigned st, double bulk, dm_win *out, size_t cap)
{
    uint32_t *sz = sd_calloc(nr, sizeof *sz);
    size_t k = 0;
    if (o->window_s > 0) {
        double ws = o->window_s, ss = o->stride_s > 0 ? o->stride_s : ws;
        double span = sd_ts_sec(r[nr - 1]->ts - r[0]->ts);
        size_t nwin = (size_t)(span / ss) + 1, every = nwin > cap ? (nwin + cap - 1) / cap : 1;
        size_t a = 0;
        for (size_t wi = 0; wi < nwin && k < cap; wi += every) {
            double from = (double)wi * ss;
            while (a < nr && sd_ts_sec(r[a]->ts - r[0]->ts) < from)
                a++;
            size_t e = a;
            while (e < nr && sd_ts_sec(r[e]->ts - r[0]->ts) < from + ws)
                e++;
            if (e > a)
                out[k++] = dm_features(r + a, e - a, bulk, sz);
        }
    } else {
        size_t nwin = (nr - w) / st + 1, every = nwin > cap ? (nwin + cap - 1) / cap : 1;
        for (size_t wi = 0; wi < nwin && k < cap; wi += every)
            out[k++] = dm_features(r + wi * st, w, bulk, sz);
    }
    free(sz);
    return k;
}

/* Windowed data-movement features over the encrypted records
 * (packetStrider's window/stride, ssh_inference.md 1.3). */
static void html_datamove(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o, uint32_t key)
{
    unsigned w = o->window ? o->window : DM_WINDOW, st = o->stride ? o->stride : DM_STRIDE;
    const sd_ssh_record **r = sd_calloc(rc->nrec ? rc->nrec : 1, sizeof *r);
    size_t nr = 0;
    for (size_t i = 0; i < rc->nrec; i++)
        if (rec_in(o, &rc->rec[i]))
            r[nr++] = &rc->rec[i];
    if (nr < w + 2) { /* fewer than three windows: no trend to draw */
        free(r);
        return;
    }
    double bulk = DM_BULK_FACTOR * (double)((key ? key : 36) + DM_REV_EXTRA), elmax = 0;
    dm_win *dw = sd_calloc(MAX_LINE_POINTS, sizeof *dw);
    size_t k = dm_windows(r, nr, o, w, st, bulk, dw, MAX_LINE_POINTS), nex = 0, nin = 0;
    if (k < 3) {
        free(dw);
        free(r);
        return;
    }
    double *x = sd_calloc(k, sizeof *x), *cp = sd_calloc(k, sizeof *cp), *cb = sd_calloc(k, sizeof *cb),
           *var = sd_calloc(k, sizeof *var), *el = sd_calloc(k, sizeof *el);
    for (size_t i = 0; i < k; i++) {
        x[i] = dw[i].x;
        cp[i] = dw[i].cp;
        cb[i] = dw[i].cb;
        var[i] = dw[i].var;
        el[i] = dw[i].el;
        elmax = el[i] > elmax ? el[i] : elmax;
        nex += dw[i].flag == 1;
        nin += dw[i].flag == 2;
    }
    char wdesc[64];
    if (o->window_s > 0)
        snprintf(wdesc, sizeof wdesc, "window %g s, stride %g s", o->window_s,
                 o->stride_s > 0 ? o->stride_s : o->window_s);
    else
        snprintf(wdesc, sizeof wdesc, "window %u records, stride %u", w, st);
    sd_buf_printf(b, "<h3>Data movement (%s)</h3><div class=key>"
                     "<span class=sw style=background:#3a78c8></span>client packets / window"
                     "<span class=sw style=background:#e07b2a></span>client bytes / window"
                     "<span class=sw style=background:#2a9d4a></span>size variability (unique/total)"
                     "<span class=sw style=background:#d00></span>exfil prediction (%zu)"
                     "<span class=sw style=background:#70d></span>infil prediction (%zu)</div>",
                   wdesc, nex, nin);
    sd_svg s;
    char id[48];
    snprintf(id, sizeof id, "dm-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 190, id, "data-plot=\"datamove\"");
    sd_svg_range(&s, x[0], x[k - 1] + 1, 0, 1.12);
    sd_svg_axes(&s, "frame number (window start)", "ratio", 10, 4);
    sd_svg_line(&s, x, cp, k, false, "l0");
    sd_svg_line(&s, x, cb, k, false, "l1");
    sd_svg_line(&s, x, var, k, false, "l2");
    for (size_t i = 0; i < k; i++)
        if (dw[i].flag) {
            char t[160];
            snprintf(t, sizeof t, "%s prediction: window from frame %.0f, %.3f s elapsed, all %s records > %.0f bytes",
                     dw[i].flag == 1 ? "exfil" : "infil", x[i], el[i], dw[i].flag == 1 ? "client" : "server", bulk);
            sd_svg_marker(&s, x[i], sd_svg_py(&s, dw[i].flag == 1 ? 1.08 : 1.04), SD_SVG_TICK,
                          dw[i].flag == 1 ? "ex" : "in", t);
        }
    sd_svg_end(&s);
    snprintf(id, sizeof id, "dmt-%llu", (unsigned long long)rc->conn->id);
    sd_svg_begin(&s, b, 1000, 120, id, "data-plot=\"datamove-time\"");
    sd_svg_range(&s, x[0], x[k - 1] + 1, 0, elmax > 0 ? elmax * 1.05 : 1);
    sd_svg_axes(&s, NULL, "window s", 10, 3);
    sd_svg_line(&s, x, el, k, false, "l3");
    sd_svg_end(&s);
    free(x);
    free(cp);
    free(cb);
    free(var);
    free(el);
    free(dw);
    free(r);
}

typedef struct pmark {
    uint32_t v;
    const char *name;
} pmark;

/* Packet-size histogram of one direction with the predicted sizes. */
static void html_hist(sd_buf *b, const sd_report_conn *rc, const sd_report_opts *o, bool client, const predicted *pr)
{
    uint32_t maxs = 0;
    size_t tot = 0;
    for (size_t i = 0; i < rc->nrec; i++)
        if (rc->rec[i].from_client == client && rec_in(o, &rc->rec[i])) {
            tot++;
            if (rc->rec[i].wire_len > maxs)
                maxs = rc->rec[i].wire_len;
        }
    if (!tot)
        return;
    /* Keystroke, echo and delete sizes differ by 8 or 16 bytes: small sizes
     * get fine bins; everything above HIST_CAP is bulk and shares one. */
    uint32_t top = maxs > HIST_CAP ? HIST_CAP : maxs;
    uint32_t bw = top <= 256 ? 2 : 4;
    size_t nb = top / bw + 1 + (maxs > HIST_CAP), *cnt = sd_calloc(nb, sizeof *cnt), cmax = 0;
    for (size_t i = 0; i < rc->nrec; i++)
        if (rc->rec[i].from_client == client && rec_in(o, &rc->rec[i])) {
            uint32_t v = rc->rec[i].wire_len;
            cnt[v > HIST_CAP ? nb - 1 : v / bw]++;
        }
    for (size_t i = 0; i < nb; i++)
        if (cnt[i] > cmax)
            cmax = cnt[i];
    sd_svg s;
    char id[48];
    snprintf(id, sizeof id, "h%c-%llu", client ? 'c' : 's', (unsigned long long)rc->conn->id);
    sd_buf_printf(b, "<div style=\"display:inline-block;vertical-align:top\"><div class=key>%s &rarr; %s: %zu "
                     "encrypted %s (bin %u bytes%s)</div>",
                  client ? "client" : "server", client ? "server" : "client", tot,
                  rc->nrec && rc->rec[0].exact ? "packets" : "segments", bw, maxs > HIST_CAP ? ", grey = larger" : "");
    sd_svg_begin(&s, b, 495, 200, id, client ? "data-plot=\"hist-client\"" : "data-plot=\"hist-server\"");
    s.left = 44;
    /* sqrt scale: one keystroke size usually dwarfs everything else */
    sd_svg_range(&s, 0, (double)(nb * bw), 0, sqrt((double)cmax) * 1.15);
    sd_svg_axes(&s, "bytes on the wire", "sqrt(count)", 8, 0);
    for (size_t i = 0; i < nb; i++) {
        if (!cnt[i])
            continue;
        char t[96];
        bool ov = maxs > HIST_CAP && i == nb - 1;
        if (ov)
            snprintf(t, sizeof t, "%zu records of %u-%u bytes", cnt[i], HIST_CAP + 1, maxs);
        else
            snprintf(t, sizeof t, "%zu records of %zu-%zu bytes", cnt[i], i * bw, i * bw + bw - 1);
        sd_svg_bar(&s, (double)(i * bw), (double)(i * bw + bw), sqrt((double)cnt[i]), ov ? "ov" : client ? "d0" : "d1",
                   t);
    }
    pmark marks[3];
    int nm = 0;
    if (client && pr->key)
        marks[nm++] = (pmark){ pr->key, "keystroke" };
    if (!client) {
        if (pr->echo)
            marks[nm++] = (pmark){ pr->echo, "echo" };
        if (pr->success && pr->success != pr->echo)
            marks[nm++] = (pmark){ pr->success, "success" };
        if (pr->accept && pr->accept != pr->echo && pr->accept != pr->success)
            marks[nm++] = (pmark){ pr->accept, "svc accept" };
    }
    for (int i = 0; i < nm; i++) {
        char lab[48];
        snprintf(lab, sizeof lab, "%s %u", marks[i].name, marks[i].v);
        if (marks[i].v > HIST_CAP)
            continue;
        /* labels stacked: predicted sizes are often a few bytes apart */
        sd_svg_vline(&s, (double)(marks[i].v / bw * bw) + bw / 2.0, "vl", NULL);
        sd_svg_text(&s, sd_svg_px(&s, (double)marks[i].v) + 4, s.top + 9 + 13 * i, "start", "vl", lab);
    }
    sd_svg_end(&s);
    sd_buf_printf(b, "</div>");
    free(cnt);
}

/* Rows of the event table at most; beyond, the timeline still shows all. */
#define HTML_MAX_ROWS 3000u

static void html_table(sd_buf *b, const sd_report_conn *rc, const sd_event *const *v, size_t n)
{
    sd_buf_printf(b, "<h3>Events (%zu)</h3><table class=ev><tr><th>frames</th><th>time</th><th>delta</th>"
                     "<th>leg</th><th>dir</th><th>indicator</th><th>bytes</th><th>note</th><th>Wireshark filter</th></tr>",
                  n);
    sd_ts prev = 0;
    for (size_t i = 0; i < n && i < HTML_MAX_ROWS; i++) {
        const sd_event *e = v[i];
        char fr[48], note[256], filt[160];
        frames_str(e, fr, sizeof fr);
        ev_note(e, note, sizeof note);
        ws_filter(rc->conn, e, filt, sizeof filt);
        int64_t by = ev_bytes(e);
        sd_buf_printf(b, "<tr><td class=n>%s</td><td class=n>%.3f</td><td class=n>", fr,
                      sd_ts_sec(e->ts - rc->conn->start));
        if (i)
            sd_buf_printf(b, "+%.3f", sd_ts_sec(e->ts - prev));
        prev = e->ts;
        sd_buf_printf(b, "</td><td>%s</td><td>%s</td><td><span class=\"sw g%d\"></span>", sd_leg_name(e->leg),
                      e->dir == 0 ? "&rarr;" : e->dir == 1 ? "&larr;" : "", group_of(e));
        esc(b, e->kind ? e->kind : "?");
        sd_buf_printf(b, "</td><td class=n>");
        if (by >= 0)
            sd_buf_printf(b, "%lld", (long long)by);
        sd_buf_printf(b, "</td><td>");
        esc(b, note);
        sd_buf_printf(b, "</td><td><code>");
        esc(b, filt);
        sd_buf_printf(b, "</code></td></tr>");
    }
    sd_buf_printf(b, "</table>");
    if (n > HTML_MAX_ROWS)
        sd_buf_printf(b, "<p class=warn>%zu more events: see `strider ssh --json`.</p>", n - HTML_MAX_ROWS);
}

void sd_report_html_add(sd_report_html *h, const sd_report_conn *rc)
{
    const sd_report_opts *o = &h->o;
    const sd_conn *c = rc->conn;
    sd_buf b = { 0 };
    size_t n;
    const sd_event **v = sorted_events(rc, o, &n);
    char ep[2 * SD_ADDR_STRLEN + 32];
    endpoints(c, rc->meta, ep, sizeof ep);
    size_t gc[G_N] = { 0 };
    for (size_t i = 0; i < n; i++)
        gc[group_of(v[i])]++;
    sd_buf_printf(&b, " class=conn id=\"s%llu\"><summary>%s ", (unsigned long long)c->id, rc->meta ? "SSH" : "TCP");
    esc(&b, ep);
    sd_buf_printf(&b, " &mdash; tcp.stream %llu &mdash; %zu finding%s", (unsigned long long)c->id, n, n == 1 ? "" : "s");
    for (int g = 0; g < G_N; g++)
        if (gc[g])
            sd_buf_printf(&b, "<span class=\"sw g%d\"></span>%s %zu", g, GROUP_NAME[g], gc[g]);
    sd_buf_printf(&b, "</summary>");
    html_header(&b, rc);
    sd_buf_printf(&b, "<template>");
    uint64_t f0 = o->zoom_first ? o->zoom_first : c->first_frame;
    uint64_t f1 = o->zoom_last && o->zoom_last < c->last_frame ? o->zoom_last : c->last_frame;
    if (n)
        html_timeline(&b, rc, v, n, o, f0, f1);
    predicted pr = predict(rc->meta);
    html_datamove(&b, rc, o, pr.key);
    if (rc->nrec) {
        sd_buf_printf(&b, "<h3>Encrypted record sizes</h3>");
        html_hist(&b, rc, o, true, &pr);
        html_hist(&b, rc, o, false, &pr);
    }
    if (n)
        html_table(&b, rc, v, n);
    sd_buf_printf(&b, "</template></details>\n");
    sd_buf_append(&b, "", 1);
    free(v);
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 32;
        h->sec = sd_reallocarray(h->sec, h->cap, sizeof *h->sec);
    }
    h->sec[h->n++] = (html_sec){ c->first_frame, (char *)b.p };
    h->events += n;
}

static int cmp_sec(const void *a, const void *b)
{
    const html_sec *x = a, *y = b;
    return x->key < y->key ? -1 : x->key > y->key;
}

static void page_begin(sd_buf *b, const char *title)
{
    sd_buf_printf(b, "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
                     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                     "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
                     "<title>");
    esc(b, title);
    sd_buf_printf(b, "</title><style>%s</style></head><body>\n", CSS);
}

void sd_report_html_render(sd_report_html *h, sd_buf *b)
{
    if (h->n > 1) /* qsort(NULL, 0) is undefined */
    qsort(h->sec, h->n, sizeof *h->sec, cmp_sec);
    page_begin(b, h->title);
    sd_buf_printf(b, "<h1>");
    esc(b, h->title);
    sd_buf_printf(b, "</h1><p>%zu connection%s, %llu finding%s. ", h->n, h->n == 1 ? "" : "s",
                  (unsigned long long)h->events, h->events == 1 ? "" : "s");
    if (h->o.zoom_first || h->o.zoom_last)
        sd_buf_printf(b, "Zoom: frames %llu-%llu. ", (unsigned long long)h->o.zoom_first,
                      (unsigned long long)h->o.zoom_last);
    sd_buf_printf(b, "<label><input type=checkbox id=xt> timeline x axis = time</label></p>"
                     "<p class=key>Legend:");
    for (int g = 0; g < G_N; g++)
        sd_buf_printf(b, "<span class=\"sw g%d\"></span>%s", g, GROUP_NAME[g]);
    sd_buf_printf(b, " &nbsp; circles = forward leg, diamonds = reverse/nested. Hover a mark for its frames and "
                     "Wireshark filter; sections below the first %u render when opened.</p>\n",
                  HTML_OPEN_SECTIONS);
    for (size_t i = 0; i < h->n; i++) {
        sd_buf_printf(b, "<details%s", i < HTML_OPEN_SECTIONS ? " open" : "");
        sd_buf_append(b, h->sec[i].html, strlen(h->sec[i].html));
    }
    sd_buf_printf(b, "<pre id=result></pre><script>%s</script></body></html>\n", JS);
}

static int write_file(const char *path, const sd_buf *b)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = b->len ? fwrite(b->p, 1, b->len, f) : 0;
    int e = ferror(f);
    if (fclose(f) != 0 || w != b->len || e) {
        if (!errno)
            errno = EIO;
        return -1;
    }
    return 0;
}

int sd_report_html_write(sd_report_html *h, const char *path)
{
    sd_buf b = { 0 };
    sd_report_html_render(h, &b);
    int rc = write_file(path, &b);
    sd_buf_free(&b);
    return rc;
}

/* ---------------------------------------------------------------- TCP plot */

static void tcp_panel(sd_buf *b, const sd_conn *c, const sd_report_pkt *p, size_t n, const sd_report_opts *o,
                      bool ack, double y0px, double t0, double t1)
{
    double *x = sd_calloc(n ? n : 1, sizeof *x), *y = sd_calloc(n ? n : 1, sizeof *y);
    double ymax = 1;
    for (size_t i = 0; i < n; i++)
        if (in_zoom(o, p[i].frame)) {
            double v = ack ? (double)p[i].ack : (double)p[i].win;
            if (ack && (p[i].ta & SD_TA_RETRANS))
                v = (double)p[i].seq;
            if (v > ymax && (!ack || p[i].has_ack || (p[i].ta & SD_TA_RETRANS)))
                ymax = v;
        }
    sd_svg s;
    char id[48], attrs[64];
    snprintf(id, sizeof id, "%s", ack ? "ack" : "win");
    snprintf(attrs, sizeof attrs, "y=\"%.0f\" data-plot=\"%s\"", y0px, ack ? "tcp-ack" : "tcp-win");
    sd_svg_begin(&s, b, 1000, 300, id, attrs);
    s.left = 70;
    sd_svg_range(&s, t0, t1 > t0 ? t1 : t0 + 1, 0, ymax * 1.05);
    sd_svg_axes(&s, "time since connection start (s)", ack ? "relative ACK; x = seq of a retransmission" : "scaled receive window", 10, 5);
    for (int d = 0; d < 2; d++) {
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            if (p[i].dir != d || !in_zoom(o, p[i].frame) || (ack && !p[i].has_ack))
                continue;
            if (!ack && (p[i].flags & 0x04)) /* RST: the window means nothing */
                continue;
            x[k] = sd_ts_sec(p[i].ts - c->start);
            y[k] = ack ? (double)p[i].ack : (double)p[i].win;
            k++;
        }
        /* thin very long series: every e-th point plus the last */
        size_t every = k > MAX_LINE_POINTS * 4 ? k / (MAX_LINE_POINTS * 4) + 1 : 1, m = 0;
        for (size_t i = 0; i < k; i += every) {
            x[m] = x[i];
            y[m] = y[i];
            m++;
        }
        if (k && (k - 1) % every) {
            x[m] = x[k - 1];
            y[m] = y[k - 1];
            m++;
        }
        sd_svg_line(&s, x, y, m, true, d ? "l1" : "l0");
    }
    for (size_t i = 0; i < n; i++)
        if ((p[i].ta & SD_TA_RETRANS) && in_zoom(o, p[i].frame)) {
            char t[128];
            snprintf(t, sizeof t, "retransmission: frame %llu, %s, seq %u, len %u", (unsigned long long)p[i].frame,
                     p[i].dir ? "resp->orig" : "orig->resp", p[i].seq, p[i].len);
            double yv = ack ? (double)p[i].seq : (double)p[i].win;
            sd_svg_marker(&s, sd_ts_sec(p[i].ts - c->start), sd_svg_py(&s, yv), SD_SVG_CROSS, "rt", t);
        }
    sd_svg_end(&s);
    free(x);
    free(y);
}

void sd_report_tcp_plot(sd_buf *b, const sd_conn *c, const sd_report_pkt *p, size_t n, const sd_report_opts *o,
                        bool html)
{
    char ep[2 * SD_ADDR_STRLEN + 32], title[200];
    endpoints(c, NULL, ep, sizeof ep);
    snprintf(title, sizeof title, "tcp.stream %llu %s", (unsigned long long)c->id, ep);
    double t0 = -1, t1 = 0;
    size_t nrt = 0;
    for (size_t i = 0; i < n; i++)
        if (in_zoom(o, p[i].frame)) {
            double t = sd_ts_sec(p[i].ts - c->start);
            if (t0 < 0)
                t0 = t;
            t1 = t;
            nrt += (p[i].ta & SD_TA_RETRANS) != 0;
        }
    if (t0 < 0)
        t0 = 0;
    if (html) {
        page_begin(b, title);
        sd_buf_printf(b, "<h1>");
        esc(b, title);
        sd_buf_printf(b, "</h1><p class=key><span class=sw style=background:#3a78c8></span>orig &rarr; resp"
                         "<span class=sw style=background:#e07b2a></span>resp &rarr; orig"
                         "<span class=sw style=\"border:2px solid #d00\"></span>retransmission (%zu)</p>",
                      nrt);
        tcp_panel(b, c, p, n, o, false, 0, t0, t1);
        tcp_panel(b, c, p, n, o, true, 0, t0, t1);
        sd_buf_printf(b, "<pre id=result></pre><script>%s</script></body></html>\n", JS);
        return;
    }
    sd_buf_printf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
                     "width=\"1000\" height=\"630\" viewBox=\"0 0 1000 630\"><style>%s</style><text x=\"10\" y=\"18\">",
                  CSS);
    esc(b, title);
    sd_buf_printf(b, " (window above, ACK below; red x = retransmission, %zu)</text>", nrt);
    tcp_panel(b, c, p, n, o, false, 26, t0, t1);
    tcp_panel(b, c, p, n, o, true, 328, t0, t1);
    sd_buf_printf(b, "</svg>\n");
}
