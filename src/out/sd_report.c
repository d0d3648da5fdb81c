/* sd_report: terminal report, HTML report and TCP plot (see sd_report.h).
 * This file holds what they share (event groups, fields, time order);
 * sd_report_text.c, sd_report_html.c and sd_report_plot.c the rest, with
 * sd_report_int.h between them. */
#include "sd_report_int.h"

#include "../common/sd_strb.h"
#include "sd_json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool sd_report_color(FILE *out, bool no_color_flag)
{
    if (no_color_flag)
        return false;
    const char *nc = getenv("NO_COLOR");
    if (nc && nc[0])
        return false;
    return out && isatty(fileno(out));
}

bool sdrp_in_zoom(const sd_report_opts *o, uint64_t frame)
{
    if (!o)
        return true;
    if (o->zoom_first && frame < o->zoom_first)
        return false;
    if (o->zoom_last && frame > o->zoom_last)
        return false;
    return true;
}

bool sdrp_has(const char *s, const char *w)
{
    return s && strstr(s, w) != NULL;
}

const char *const sdrp_group_name[G_N] = {
    "forward login", "forward keystrokes", "reverse login", "reverse keystrokes", "transfers", "forwards", "session",
};

/* The group of a kind on the forward leg (the login and keystroke groups
 * have a reverse twin). */
static int kind_group(const char *k)
{
    /* docs/events.md kinds first, then words for kinds added later */
    if (sdrp_has(k, "transfer") || sdrp_has(k, "data_window") || sdrp_has(k, "exfil") || sdrp_has(k, "infil") || sdrp_has(k, "upload") ||
        sdrp_has(k, "download"))
        return G_XFER;
    if (sdrp_has(k, "reverse_init") || sdrp_has(k, "nested_init") || sdrp_has(k, "provision") || sdrp_has(k, "forward") ||
        sdrp_has(k, "tunnel") || sdrp_has(k, "agent") || sdrp_has(k, "x11"))
        return G_FWD;
    if (sdrp_has(k, "auth") || sdrp_has(k, "login") || sdrp_has(k, "host_key") || sdrp_has(k, "hostkey") || sdrp_has(k, "brute"))
        return G_FLOGIN;
    if (sdrp_has(k, "key") || sdrp_has(k, "command") || sdrp_has(k, "chaff") || sdrp_has(k, "enter") || sdrp_has(k, "typing"))
        return G_FKEYS;
    return G_OTHER;
}

/* Kinds' groups remembered by content: a report asks for every event's
 * (~25 substring searches, 930 instructions an event on a brute-force
 * capture) and a run has a few dozen kinds. Direct-mapped, per thread; a
 * kind longer than GROUP_MEMO_KIND_MAX is looked at each time, a slot's
 * kind is replaced by the next one mapped there (a cost, never a wrong
 * group: the whole kind is compared). */
#define GROUP_MEMO_SLOTS 32u
#define GROUP_MEMO_KIND_MAX 48u

typedef struct group_slot {
    char kind[GROUP_MEMO_KIND_MAX];
    int group;
    bool set;
} group_slot;

static int kind_group_memo(const char *k)
{
    static _Thread_local group_slot memo[GROUP_MEMO_SLOTS];
    size_t n = strlen(k);
    if (n >= GROUP_MEMO_KIND_MAX)
        return kind_group(k);
    unsigned h = (unsigned)n * 31u;
    for (size_t i = 0; i < n; i++)
        h = h * 33u + (unsigned char)k[i];
    group_slot *e = &memo[h % GROUP_MEMO_SLOTS];
    if (!e->set || memcmp(e->kind, k, n + 1) != 0) {
        memcpy(e->kind, k, n + 1);
        e->group = kind_group(k);
        e->set = true;
    }
    return e->group;
}

int sdrp_group_of(const sd_event *e)
{
    int g = kind_group_memo(e->kind ? e->kind : "");
    if (e->leg == SD_LEG_FORWARD)
        return g;
    return g == G_FLOGIN ? G_RLOGIN : g == G_FKEYS ? G_RKEYS : g;
}

const char *sd_report_group(const sd_event *e)
{
    return sdrp_group_name[sdrp_group_of(e)];
}

const char *sdrp_leg_short(sd_leg l)
{
    return l == SD_LEG_REVERSE ? "rev" : l == SD_LEG_NESTED ? "nst" : "fwd";
}

int64_t sdrp_ev_bytes(const sd_event *e)
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

/* t[0..n) into out as a C string, cut to len - 1 bytes as snprintf cuts. */
static void put_cut(char *out, size_t len, const char *t, size_t n)
{
    sd_strb b = sd_strb_at(out, len);
    sd_strb_catn(&b, t, n);
}

/* The note, or the event's fields when the analyzer left no note. */
void sdrp_ev_note(const sd_event *e, char *out, size_t len)
{
    if (e->note[0]) {
        put_cut(out, len, e->note, strnlen(e->note, sizeof e->note));
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
const sd_event **sdrp_sorted_events(const sd_report_conn *c, const sd_report_opts *o, size_t *n)
{
    const sd_event **v = sd_calloc(c->nev ? c->nev : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < c->nev; i++)
        if (sdrp_in_zoom(o, c->ev[i].frame) || sdrp_in_zoom(o, c->ev[i].frame_last))
            v[k++] = &c->ev[i];
    if (k > 1) /* qsort(NULL, 0) is undefined */
    qsort(v, k, sizeof *v, cmp_ev_ptr);
    *n = k;
    return v;
}

/* Both without printf: the report asks for every event's frames and every
 * connection's endpoints (snprintf was ~3,500 instructions an event). */
void sdrp_frames_str(const sd_event *e, char *out, size_t len)
{
    char t[48], *o = sd_put_u64(t, e->frame);
    if (e->frame_last > e->frame) {
        *o++ = '-';
        o = sd_put_u64(o, e->frame_last);
    }
    put_cut(out, len, t, (size_t)(o - t));
}

void sdrp_ws_filter(const sd_conn *c, const sd_event *e, char *out, size_t len)
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

void sdrp_endpoints(const sd_conn *c, int client_dir, char *out, size_t len)
{
    /* "%s:%u %s %s:%u" */
    char t[2 * SD_ADDR_STRLEN + 32], *o = t;
    sd_addr_str(&c->orig_h, o, SD_ADDR_STRLEN);
    o += strlen(o);
    *o++ = ':';
    o = sd_put_u64(o, c->orig_p);
    memcpy(o, client_dir == SD_DIR_RESP ? " <- " : " -> ", 4);
    o += 4;
    sd_addr_str(&c->resp_h, o, SD_ADDR_STRLEN);
    o += strlen(o);
    *o++ = ':';
    o = sd_put_u64(o, c->resp_p);
    put_cut(out, len, t, (size_t)(o - t));
}

const char *sdrp_nz(const char *s)
{
    return s && s[0] ? s : "-";
}
