/* sd_infer_keys: keystrokes of a leg (char, enter, backspace, tab, arrow,
 * paste), the command output after each Enter, and OpenSSH's keystroke
 * timing chaff (docs/events.md keystroke, command_output, chaff). */
#include "sd_infer_zlib.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A kill (Ctrl-U, Ctrl-W, Alt-Backspace) is typed on at once: in the lab
 * the next key followed each of the 32 labelled in the fixtures and
 * pending within 0.41 s, while people who read a shell's answer to an
 * Enter typed on 0.42 s or more after it unless at 6.9 times the line's
 * pace or more (past PACE_SLACK). Under 16-byte blocks a one-record
 * answer to an Enter often has a kill's size (data 31-46 bytes: one
 * record; lab interactive_aes256ctr-sha256_s8000 frame 144, the next
 * key 0.46 s, 2.0 times the pace, later): this bounds the gap after a
 * key read as a kill by its answer's size (redraw_keys), and on a leg
 * whose terminal erases (word_kill_keys, dash). The sweep at +10300 kept
 * it: of the 35 kills named in its labels, the fixtures' and pending's,
 * 34 were typed on within 0.41 s, the slowest typist's Ctrl-W 0.60 s
 * (lab pending wordkill_slow_s10300, read as Enter); a dash Enter
 * answered by one record was typed on 0.49 s later (wordkill_dash_s10300). */
#define KILL_NEXT_MAX_S 0.42

typedef struct key {
    size_t at;
    const char *k;
    size_t resp_first, resp_last;
    uint32_t resp_n;
    uint32_t resp_max; /* the largest answer record */
    uint64_t resp_bytes;
    uint32_t merged; /* characters more in the key's record (merged_keys) */
} key;

/* mark[] of a record in a chaff train, or of a keepalive */
enum { MARK_CHAFF = 1, MARK_FAT = 2 /* a key sent with a PING */, MARK_KEEPALIVE = 3 };

/* Wire sizes of a leg's keys and of the server's answers to them. */
typedef struct keysz {
    uint32_t wk, wa;                /* one character, an arrow */
    uint32_t we, wbs, wbs2, wenter; /* echo, Backspace echoes, Enter's line and prompt */
    bool comp;                      /* compressed: every short record has one size */
    uint32_t wez;                   /* compressed: the echo's learned size (sd_infer_zlib.h) */
    /* a tunnelled leg over a compressed connection (sd_infer_zlib.h):
     * the plain model's sizes, which a record may keep instead of the
     * learned offset's (0: no offset learned that side) */
    uint32_t wk_p, we_p, wbs_p, wbs2_p;
    /* keys in flight (pair_in_flight): pair[i - from] is, for a key, the
     * first record of its answer, and for that record the key (SIZE_MAX:
     * none); NULL where the leg's answers show at once */
    const size_t *pair;
    size_t from;
    double lag; /* the leg server's round trip from the capture (s; sdi_keys_leg) */
    /* that round trip is KEYS_IN_FLIGHT_LAG_S or more and the keys alone
     * in flight were answered no sooner, but for KEYS_RTT_EARLY_SHARE of
     * them (pair_in_flight) */
    bool rtt_holds;
} keysz;

static bool key_sized(uint32_t len, uint32_t wk)
{
    return len == wk || len == 2 * wk;
}

/* The chaff event of the train v[i..last]. */
static void chaff_event(ctx *x, const leg *L, size_t i, size_t last, size_t nchaff, size_t nfat)
{
    sd_event *e = sdi_ev(x, "chaff", &x->v[i], &x->v[last], L->id);
    e->dir = x->v[i].c ? 0 : 1;
    e->confidence = CONF_CHAFF;
    sd_ev_int(e, "packets", (int64_t)nchaff);
    sd_ev_int(e, "keys_in_train", (int64_t)nfat + 1);
    sd_ev_num(e, "duration_s", x->v[last].t - x->v[i].t);
    snprintf(e->note, sizeof e->note,
             "keystroke-timing chaff (OpenSSH >= 9.5): %zu PINGs; key count kept, timing quantised to 20 ms",
             nchaff);
}

/* The last client record of the key-sized run starting at v[i]; *cnt its
 * number of client records, *ticks its gaps of one tick (CHAFF_TICK_MAX_S). */
static size_t train_end(const ctx *x, const leg *L, size_t i, size_t to, uint32_t wk, size_t *cnt,
                        size_t *ticks)
{
    size_t last = i;
    *cnt = 1;
    *ticks = 0;
    for (size_t j = i + 1; j < to; j++) {
        const item *b = &x->v[j];
        if (!sdi_is_cl(L, b))
            continue;
        if (!key_sized(b->len, wk) || b->t - x->v[last].t > CHAFF_GAP_S)
            break;
        *ticks += b->t - x->v[last].t <= CHAFF_TICK_MAX_S;
        last = j;
        (*cnt)++;
    }
    return last;
}

/* Marks the chaff trains (ObscureKeystrokeTiming, CHAFF_MIN) in mark[]:
 * MARK_CHAFF or MARK_FAT; the train's first record stays a key. */
static void mark_chaff(ctx *x, const leg *L, size_t from, size_t to, uint32_t wk, uint8_t *mark, bool emit)
{
    size_t i = from;
    while (i < to) {
        item *a = &x->v[i];
        if (!sdi_is_cl(L, a) || !key_sized(a->len, wk)) {
            i++;
            continue;
        }
        size_t cnt, ticks, last = train_end(x, L, i, to, wk, &cnt, &ticks);
        if (cnt < CHAFF_MIN || 2 * ticks < cnt - 1) {
            i = last + 1;
            continue;
        }
        size_t nchaff = 0, nfat = 0;
        for (size_t m = i + 1; m <= last; m++) {
            if (!sdi_is_cl(L, &x->v[m]))
                continue;
            if (x->v[m].len == 2 * wk) {
                mark[m - from] = MARK_FAT;
                nfat++;
            } else {
                mark[m - from] = MARK_CHAFF;
                nchaff++;
            }
        }
        if (emit)
            chaff_event(x, L, i, last, nchaff, nfat);
        i = last + 1;
    }
}

/* The leg client's record before (dir -1) or after (+1) v[i] in
 * [from, to), or SIZE_MAX. */
static size_t client_near(const ctx *x, const leg *L, size_t from, size_t to, size_t i, int dir)
{
    for (size_t j = i; dir < 0 ? j-- > from : ++j < to;)
        if (sdi_is_cl(L, &x->v[j]))
            return j;
    return SIZE_MAX;
}

/* The client's record at v[i] is answered at once (within ECHO_NOW_S)
 * by a page (SCREEN_PAGE_MIN wire bytes or more in one server record,
 * among the server's records before the client's next): a person's key in
 * a pager or editor; a timer's request is answered by a few bytes of reply
 * or nothing. The page need not come first: less writes its status line
 * apart before the page (lab fullscreen_s2000 at +10400 frames 117-124:
 * 44, then 1076, 1076, 548 within 2 ms; the key and the `/` after it, 1.023
 * and 1.007 s apart, were read as a timer's ticks). */
static bool paged_at_once(const ctx *x, const leg *L, size_t to, size_t i)
{
    for (size_t j = i + 1; j < to && !sdi_is_cl(L, &x->v[j]) && x->v[j].t - x->v[i].t <= ECHO_NOW_S; j++)
        if (x->v[j].len >= SCREEN_PAGE_MIN)
            return true;
    return false;
}

/* A gap of a timer's: a whole number of seconds to within
 * KEEPALIVE_JITTER_S (OpenSSH's ServerAliveInterval, dbclient -K and
 * PuTTY's keepalive interval are set in seconds). */
static bool whole_seconds(double g)
{
    return fabs(g - round(g)) <= KEEPALIVE_JITTER_S;
}

/* The client's tick at v[b], after its tick at v[i], is a timer's: a
 * whole number of seconds after v[i], or after the server's last record
 * between them. A timer restarted by every packet received ticks its
 * interval after the answer to the tick before (OpenSSH's client resets
 * server_alive_time at each read; the lab's dbclient -K 2 ticks 2.000 s
 * after the answer), so over a link with a round trip the ticks are the
 * interval plus the round trip apart (2.08 s at 80 ms). */
static bool timer_tick(const ctx *x, size_t i, size_t b)
{
    double after = b - 1 > i ? x->v[b].t - x->v[b - 1].t : 0; /* client_near: none of the client's between */
    return whole_seconds(x->v[b].t - x->v[i].t) || (after >= KEEPALIVE_MIN_S && whole_seconds(after));
}

/* The time from the client's tick at v[i] to its next at v[b], counted
 * from the server's last record between when there is one: a timer
 * restarted by every packet received (timer_tick). */
static double since_answer(const ctx *x, size_t i, size_t b)
{
    return x->v[b].t - x->v[b - 1 > i ? b - 1 : i].t;
}

/* The client's ticks at v[a], v[i] and v[b] are as far apart as each
 * other, counted from tick to tick or from the answers between: a loaded
 * server's answer late by more than KEEPALIVE_JITTER_S moves the next
 * tick of a timer restarted by it that much (lab fresh dropbear_keepalive
 * at seed +9900 frames 51-57: dbclient -K 2, the answer 23 ms after its
 * tick, the ticks 2.025 s then 2.002 s apart, each 2.002 s after the
 * answer; the third tick read as a key, and the key sent with the next
 * tick was lost). */
static bool even_ticks(const ctx *x, size_t a, size_t i, size_t b)
{
    double g1 = x->v[i].t - x->v[a].t, g2 = x->v[b].t - x->v[i].t;
    double s1 = since_answer(x, a, i), s2 = since_answer(x, i, b);
    return fabs(g1 - g2) <= KEEPALIVE_JITTER_S ||
           (s1 >= KEEPALIVE_MIN_S && s2 >= KEEPALIVE_MIN_S && fabs(s1 - s2) <= KEEPALIVE_JITTER_S);
}

/* Keepalives of a key's size (a client's timer, e.g. dbclient -K with
 * compression): the client's records before and after are as far away as
 * each other to within KEEPALIVE_JITTER_S and at least KEEPALIVE_MIN_S
 * away; a timer's ticks, not a person's keys. The first of the three
 * (of any size) is not marked: the timer counts from the last activity.
 * Pauses of a second or more fall that evenly now and then; a record of
 * the three answered by a page is a key (lab man_page_aes128gcm frames
 * 71-81: space, b and / in man's pager 1.014 s and 1.018 s apart, b
 * answered by a page at once, were read as ticks). A timer ticks at a
 * whole number of seconds (timer_tick); a person's even pauses fall
 * anywhere (lab fresh bash_peck at seed +9600 frames 116-123: three keys
 * of a slow typist 1.201 s and 1.187 s apart; two were lost as ticks). */
static void mark_keepalive(const ctx *x, const leg *L, size_t from, size_t to, uint32_t wk, uint8_t *mark)
{
    for (size_t i = from; i < to; i++) {
        if (!sdi_is_cl(L, &x->v[i]) || x->v[i].len != wk)
            continue;
        size_t a = client_near(x, L, from, to, i, -1), b = client_near(x, L, from, to, i, 1);
        if (a == SIZE_MAX || b == SIZE_MAX || x->v[b].len != wk)
            continue;
        if (paged_at_once(x, L, to, i) || paged_at_once(x, L, to, b))
            continue;
        double g1 = x->v[i].t - x->v[a].t, g2 = x->v[b].t - x->v[i].t;
        if (g1 >= KEEPALIVE_MIN_S && g2 >= KEEPALIVE_MIN_S && even_ticks(x, a, i, b) && timer_tick(x, i, b))
            mark[i - from] = mark[b - from] = MARK_KEEPALIVE;
    }
    /* a train's first tick, whose next tick a loaded client sent late
     * (more than KEEPALIVE_JITTER_S past a whole number of seconds) and
     * the three above missed: a whole number of seconds after the
     * activity before it (the timer's restart), as far from it as from
     * the next tick, which the train's ticks after marked (lab fresh
     * dropbear_keepalive_s1000 at +10000 frames 44-53: dbclient -K 2, the
     * first tick 2.005 s after the Enter's answer, the second 2.024 s
     * after the first's answer; the first read as a key) */
    for (size_t i = from; i < to; i++) {
        if (!sdi_is_cl(L, &x->v[i]) || x->v[i].len != wk || mark[i - from])
            continue;
        size_t a = client_near(x, L, from, to, i, -1), b = client_near(x, L, from, to, i, 1);
        if (a == SIZE_MAX || b == SIZE_MAX || mark[b - from] != MARK_KEEPALIVE || paged_at_once(x, L, to, i))
            continue;
        double g1 = x->v[i].t - x->v[a].t, s1 = since_answer(x, a, i);
        if (g1 >= KEEPALIVE_MIN_S && s1 >= KEEPALIVE_MIN_S && whole_seconds(s1) && even_ticks(x, a, i, b))
            mark[i - from] = MARK_KEEPALIVE;
    }
    /* a key typed when the next tick is nearly due may leave with it in
     * one write: a record of two keys' size after the train's last tick,
     * up to KEEPALIVE_EARLY_S before the tick was due (lab
     * dropbear_keepalive_s1000 frame 58: dbclient -K 2, a key 1.79 s after
     * the last tick, answered by its echo and the keepalive's answer). A
     * key sent with the tick, as with a PING (MARK_FAT). */
    for (size_t i = from; i < to; i++) {
        if (mark[i - from] != MARK_KEEPALIVE)
            continue;
        size_t a = client_near(x, L, from, to, i, -1), b = client_near(x, L, from, to, i, 1);
        if (a == SIZE_MAX || b == SIZE_MAX || mark[a - from] != MARK_KEEPALIVE || x->v[b].len != 2 * wk)
            continue;
        double g1 = x->v[i].t - x->v[a].t, g2 = x->v[b].t - x->v[i].t;
        if (g2 >= g1 - KEEPALIVE_EARLY_S && g2 <= g1 + KEEPALIVE_JITTER_S)
            mark[b - from] = MARK_FAT;
    }
}

/* A paste: many bytes in one CHANNEL_DATA, echoed by the server. */
static bool is_paste(const ctx *x, const leg *L, const keysz *z, size_t from, size_t to, size_t i)
{
    const item *it = &x->v[i];
    return L->paste && sdi_is_cl(L, it) && it->len > z->wa && it->len > z->wk &&
           it->len <= sdi_lw(L, true, SD_SSH_P_CHANNEL_DATA(PASTE_MAX)) && i + 1 < to && !sdi_is_cl(L, &x->v[i + 1]) &&
           x->v[i + 1].len >= it->len && x->v[i + 1].len != sdi_lw(L, false, 1) && i > from &&
           it->t - x->v[i - 1].t > PASTE_GAP_S;
}

/* The server's bytes right before v[i] (since the client's record before,
 * not before v[lo]). */
static uint64_t out_before(const ctx *x, const leg *L, size_t lo, size_t i)
{
    uint64_t out = 0;
    for (size_t b = i; b-- > lo && !sdi_is_cl(L, &x->v[b]);)
        out += x->v[b].len;
    return out;
}

/* The server's answer at once to v[i] (records ECHO_NOW_S apart) is its
 * last output in the range: the client's records alone follow it (its
 * EOF and CLOSE). A key that
 * ends the program (Ctrl-C in `ssh -t host watch`) may leave within
 * REACT_MIN_S of a record of its periodic output by chance (lab sweep
 * +10400 watch_exec frame 54: 0.84 ms after watch's redraw, answered
 * 2 ms later by the screen restored, then exit-status and the close);
 * a protocol answer (a WINDOW_ADJUST, which too_soon rules out below
 * WINADJ_OUTPUT_MIN; a terminal's automatic report) ends no program. */
static bool last_output(const leg *L, const ctx *x, size_t i, size_t to)
{
    size_t j = i + 1;
    while (j < to && !sdi_is_cl(L, &x->v[j]) && x->v[j].t - x->v[j - 1].t < ECHO_NOW_S)
        j++;
    while (j < to && sdi_is_cl(L, &x->v[j]))
        j++;
    return j >= to;
}

/* The ticks of a program's output (records larger than an echo, the
 * leg's server's, TICK_BURST_S apart at least) as a stream: the time of
 * its last tick, the gap between ticks, the most records of a tick and
 * the largest record. */
typedef struct stream {
    double last, gap;
    uint32_t recs, max;
} stream;

static bool stream_before(const ctx *x, const leg *L, const keysz *z, size_t from, size_t at, stream *s);

/* The key-sized record v[i] came within REACT_MIN_S of a tick of output
 * streaming by itself (stream_before), was answered at once, and the
 * stream stopped: no record of it (larger than an echo) came where its
 * next tick was due (STREAM_JITTER) or before. The key ended the program
 * (lab sweep +10800 screen_output frame 102: Ctrl-C 1.0 ms after
 * `watch -n1 date`'s redraw, answered by `^C` and the prompt, typed on
 * 0.7 s later). A terminal's automatic report answers a program's query
 * and the program goes on; a WINDOW_ADJUST too_soon rules out apart. */
static bool stream_ended(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    stream s;
    if (!stream_before(x, L, z, z->from, i, &s))
        return false;
    size_t j = i + 1;
    while (j < to && !sdi_is_cl(L, &x->v[j]) && x->v[j].t - x->v[j - 1].t < ECHO_NOW_S)
        j++;
    double due = s.last + s.gap * (1 + STREAM_JITTER);
    for (; j < to && x->v[j].t <= due; j++)
        if (!sdi_is_cl(L, &x->v[j]) && x->v[j].len > z->we)
            return false;
    return true;
}

/* The n keys ending with the key at v[i] were echoed in the segment at
 * v[j] together: a segment (the cipher hides the records' lengths) of n
 * echo records exactly, each a record of its own, which no one record
 * can fill where n echoes' size is no record's (chacha20: 4 + 16 + 8k
 * wire bytes; n echoes of 36 are 72, 108, ...). A server whose echo of a
 * key waited (a loaded or a far host) writes it with the next key's when
 * that comes: the kernel sends the two records in one segment (lab sweep
 * +11200 wan_proxyjump_keys_chacha frames 125-130, the hop's keys: `a`
 * 14.7 ms after the echo before, the next key 188 ms later, then 152 =
 * two hop echoes of 76, 42 ms after it). Not compressed (a short
 * record's size says little there). */
static void data_range(const leg *L, uint32_t w, uint32_t *lo, uint32_t *hi);

static bool echoes_in_segment(const ctx *x, const leg *L, const keysz *z, size_t j, uint32_t n)
{
    const item *s = &x->v[j];
    if (n < 2 || s->exact || z->comp || z->we_p || s->len != n * z->we)
        return false;
    uint32_t lo, hi;
    data_range(L, s->len, &lo, &hi);
    return lo > hi;
}

/* The key-sized record v[i], too soon after a server record to be a
 * person's reaction to it, is followed by the client's next key and
 * then, at once after that, by one segment of both keys' echoes
 * (echoes_in_segment): the server echoed v[i]. A protocol answer (a
 * WINDOW_ADJUST, a terminal's report) is echoed by no one, and the next
 * key's answer is its own echo, an erase or a line and prompt. */
static bool echoed_with_next(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    size_t j = i + 2;
    if (j >= to || x->v[i].len != z->wk || x->v[i + 1].len != z->wk || sdi_is_cl(L, &x->v[j]))
        return false;
    return echoes_in_segment(x, L, z, j, 2) && out_before(x, L, 0, i) < WINADJ_OUTPUT_MIN;
}

/* A server record of at least FLOOD_RECORD_MIN within FLOOD_GAP_S of v[i],
 * among the FLOOD_LOOK_RECORDS records before it (dir -1, even before the
 * leg's range) or after it (+1, before to). */
static bool flood_near(const ctx *x, const leg *L, size_t to, size_t i, int dir)
{
    size_t n = 0;
    for (size_t j = i; n++ < FLOOD_LOOK_RECORDS && (dir < 0 ? j-- > 0 : ++j < to);) {
        if (fabs(x->v[j].t - x->v[i].t) > FLOOD_GAP_S)
            return false;
        if (!sdi_is_cl(L, &x->v[j]) && x->v[j].len >= FLOOD_RECORD_MIN)
            return true;
    }
    return false;
}

/* The flood around the client's record v[i] stops after it
 * (FLOOD_STOP_RECORDS): the server's records after it, each within
 * FLOOD_GAP_S of the one before, end, and the first after their last
 * full one is the terminal's "^C" echo (two bytes: the echo's size, as
 * interrupt_keys reads it). */
static bool flood_stops(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    size_t last = SIZE_MAX, prev = i, n = 0, j = i + 1;
    for (; j < to && n < FLOOD_STOP_RECORDS; j++, n++) {
        if (sdi_is_cl(L, &x->v[j]))
            continue;
        if (x->v[j].t - x->v[prev].t > FLOOD_GAP_S)
            break;
        if (x->v[j].len >= FLOOD_RECORD_MIN)
            last = j;
        prev = j;
    }
    if (last == SIZE_MAX || n >= FLOOD_STOP_RECORDS)
        return false;
    for (j = last + 1; j < to && sdi_is_cl(L, &x->v[j]); j++)
        ;
    return j < to && x->v[j].len == z->we && x->v[j].t - x->v[last].t <= FLOOD_GAP_S;
}

/* The client's record v[i], within REACT_MIN_S of the record before it,
 * came amid a flood of output that runs on through the server's record
 * right after it (FLOOD_RECORD_MIN): a WINDOW_ADJUST, that record a piece
 * of the output, no answer to it; unless the flood stopped after it
 * (a Ctrl-C: flood_stops). */
static bool amid_flood(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    return flood_near(x, L, to, i, -1) && flood_near(x, L, to, i + 1, 1) && !flood_stops(x, L, z, i, to);
}

/* A person does not react within REACT_MIN_S of the record before v[i]
 * (even one before the range): a protocol answer; unless the server
 * echoes it at once (as soon as a key held for the ACK the record before
 * brought can be: ECHO_HELD_RTTS of the leg server's round trips). Not the second packet of one segment, though: one
 * write is not two keys (a channel's EOF and CLOSE, a key and its PING). */
static bool too_soon(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    const item *it = &x->v[i];
    /* keys in flight: where the record before answers an earlier key,
     * this one's answer comes a round trip later (an echo, a Backspace's,
     * a redraw after an arrow, a completion; lab wanc150_bash_fast frames
     * 65, 129). Not a WINDOW_ADJUST: WINADJ_OUTPUT_MIN server bytes since
     * the client's record before. Soon after any other server record it
     * answers that record (no echo comes "at once" across the link: lab
     * wanc220_reverse_keys frame 159, a channel's protocol 1.3 ms after a
     * server record, its "echo" 0.1 ms later crossing it). An answer
     * larger than an echo is computed first (ECHO_COMPUTED_S). */
    if (z->pair && i > 0 && it->t - x->v[i - 1].t < REACT_MIN_S) {
        if (!sdi_is_cl(L, &x->v[i - 1]) && (i - 1 < z->from || z->pair[i - 1 - z->from] == SIZE_MAX))
            return true;
        size_t j = z->pair[i - z->from];
        if (x->v[i - 1].frame == it->frame || j == SIZE_MAX || out_before(x, L, z->from, i) >= WINADJ_OUTPUT_MIN)
            return true;
        /* a key held at its sender for the ACK that echo brought has its
         * own echo held likewise (ECHO_HELD_RTTS; lab wan_reverse_keys at
         * seed +4000 frames 117-123: a reverse key 13 ms after the echo
         * before, its echo 376 ms later over 200 ms) */
        double held = ECHO_NOW_S + ECHO_HELD_RTTS * z->lag, computed = z->lag + ECHO_COMPUTED_S;
        return x->v[j].t - it->t >= (x->v[j].len > z->we && computed > held ? computed : held);
    }
    /* the answer "at once" is an echo, or a short redraw of a Backspace's
     * erase or an inserted character's size, which the line editor sends
     * as soon (lab wanc150_interactive_aes128ctr-sha256etm at seed +4000
     * frames 51-54: a Backspace 9.7 ms after the echo before, its erase,
     * 68, 153 ms later over 150 ms; wanc150_interactive_chacha at +4100
     * frames 139-142: a character inserted 7 ms after a Left arrow's
     * answer, its redraw, 44, 151 ms later); not after
     * WINADJ_OUTPUT_MIN server bytes: a WINDOW_ADJUST, the output's end
     * after it of any size; nor amid a flood of output going on: a piece
     * of it (amid_flood) */
    if (i == 0 || it->t - x->v[i - 1].t >= REACT_MIN_S)
        return false;
    const item *a = i + 1 < to ? &x->v[i + 1] : NULL;
    if (x->v[i - 1].frame == it->frame || !a)
        return true;
    if (sdi_is_cl(L, a))
        return !echoed_with_next(x, L, z, i, to);
    if (a->t - it->t >= ECHO_NOW_S + ECHO_HELD_RTTS * z->lag || amid_flood(x, L, z, i, to))
        return true;
    if (a->len == z->we)
        return false;
    bool erase = a->len == z->wbs || a->len == z->wbs2;
    return !((erase || last_output(L, x, i, to) || stream_ended(x, L, z, i, to)) &&
             out_before(x, L, 0, i) < WINADJ_OUTPUT_MIN);
}

/* A key-sized client record too soon after a record of the server's
 * output, WINADJ_OUTPUT_MIN server bytes (out) after the client's record
 * before: the client's WINDOW_ADJUST while it reads a long output, which
 * goes on (read_key takes no key there). Not a terminal's automatic
 * answer to a query (a device attributes report) after a few bytes. */
static bool flow_control(const ctx *x, const leg *L, const keysz *z, size_t j, size_t to, uint64_t out)
{
    return out >= WINADJ_OUTPUT_MIN && key_sized(x->v[j].len, z->wk) && !sdi_is_cl(L, &x->v[j - 1]) &&
           too_soon(x, L, z, j, to);
}

/* Where the leg's server answers a round trip away (keysz.rtt_holds) and
 * keys were not paired in flight, a server record sooner than
 * KEYS_ECHO_EARLY of that round trip after key i cannot answer it: it is
 * the key before's late answer (lab wanc150_interactive_chacha at +9900
 * frames 130-139: two keys in flight, the loaded server's echoes 133 and
 * 137, then 139; 137 came 14 ms after the key at 135 over 150 ms, and
 * 135 answered by 137 and 139 read as an Enter). */
static bool answer_too_early(const ctx *x, const keysz *z, size_t i, size_t j)
{
    return !z->pair && z->rtt_holds && x->v[j].t - x->v[i].t < z->lag * KEYS_ECHO_EARLY;
}

/* The server's records answering the key at v[i] (until the next client
 * record), less the PONG answering a PING sent with it (fat). */
static void key_answer(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to, bool fat, key *q)
{
    q->at = i;
    q->resp_first = q->resp_last = SIZE_MAX;
    bool pong = fat;
    uint64_t out = 0; /* server bytes since the last client record */
    /* keys in flight: from the key's own first answer record to the next
     * key's, past the client's records between */
    size_t j0 = z->pair ? z->pair[i - z->from] : i + 1;
    if (j0 == SIZE_MAX)
        return;
    /* an echo coalesced with later keys' (coalesced_echoes): the record
     * is this key's whole answer, what follows answers the last of them */
    if (z->pair && z->pair[j0 - z->from] != i) {
        q->resp_first = q->resp_last = j0;
        q->resp_n = 1;
        q->resp_bytes = q->resp_max = x->v[j0].len;
        return;
    }
    for (size_t j = j0; j < to && (z->pair ? j == j0 || sdi_is_cl(L, &x->v[j]) || z->pair[j - z->from] == SIZE_MAX
                                           : !sdi_is_cl(L, &x->v[j]) || flow_control(x, L, z, j, to, out));
         j++) {
        if (z->pair && sdi_is_cl(L, &x->v[j]))
            continue;
        if (sdi_is_cl(L, &x->v[j])) {
            out = 0;
            continue;
        }
        out += x->v[j].len;
        if (q->resp_first == SIZE_MAX && answer_too_early(x, z, i, j))
            continue;
        if (pong && x->v[j].len == z->we) { /* the PONG answering the PING */
            pong = false;
            continue;
        }
        if (q->resp_first == SIZE_MAX)
            q->resp_first = j;
        q->resp_last = j;
        q->resp_n++;
        q->resp_bytes += x->v[j].len;
        q->resp_max = x->v[j].len > q->resp_max ? x->v[j].len : q->resp_max;
    }
}

/* Editing inside the line after a cursor move: an arrow since the last
 * Enter answered by one short redraw (an inserted character redraws the
 * rest of the line). */
static bool editing(const ctx *x, const keysz *z, const key *k, size_t nk)
{
    bool ed = false;
    for (size_t j = nk; j-- > 0 && strncmp(k[j].k, "enter", 5) != 0;)
        if (!strcmp(k[j].k, "arrow") && k[j].resp_n == 1 && x->v[k[j].resp_first].len <= z->we)
            ed = true;
    return ed;
}

static size_t line_chars(const key *k, size_t i);

/* Compressed (zlib): one answer record longer than the learned echo
 * (sd_infer_zlib.h). At a line's start a recalled line (an Enter on an
 * empty line is answered by a repeated prompt: a few bytes); up to a
 * plain echo's size, or while editing, a short redraw (a Backspace, a
 * completion) or the prompt after a command without output, told apart
 * by the next key's pace (resolve_keys: "enter?"); longer, a completion
 * below the line or a prompt ("tab?": a completion is followed by Enter). */
static const char *class_compressed(const keysz *z, const key *k, size_t nk, uint32_t f, bool ed)
{
    if (line_chars(k, nk) == 0)
        return "arrow";
    return f <= z->we || ed ? "enter?" : "tab?";
}

/* A tunnelled leg over a compressed connection whose answers land at the
 * plain size or at the learned offset, record by record (lab
 * compress_reverse: deflate's output for the outer header and the inner
 * packet's random bytes varies by a few bytes, one outer block or none):
 * one answer record of an echo's or a Backspace echo's size, either way,
 * is no Enter (a one-record Enter's answer, its line and prompt, is
 * larger than both plain). Of an echo's size only, a char; of a
 * Backspace echo's only, a Backspace; of both (the plain echo is the
 * shifted Backspace echo; under a 16-byte outer block all four are two
 * sizes), a char: a Backspace there is not told. NULL: larger. */
static const char *class_either_size(const keysz *z, uint32_t f, bool after_arrow)
{
    bool echo = f == z->we || f == z->we_p;
    bool bs = f == z->wbs || f == z->wbs2 || f == z->wbs_p || f == z->wbs2_p;
    uint32_t most = z->we_p > z->wbs_p ? z->we_p : z->wbs_p;
    most = z->wbs2_p > most ? z->wbs2_p : most;
    if (bs && !echo)
        return after_arrow ? "char" : "backspace?";
    return echo || f <= most ? "char" : NULL;
}

/* An answer record of f wire bytes to key i is larger than a redraw of its
 * line can be: the inserted character, the rest of the line and the cursor
 * moved back over it (a "\b" per character, or one escape of at most
 * INSERT_MOVE_MAX bytes), so it holds output and a prompt. */
static bool beyond_redraw(const leg *L, const key *k, size_t i, uint32_t f)
{
    return f > sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(2 * (uint32_t)line_chars(k, i) + 1 + INSERT_MOVE_MAX));
}

/* A key classed by the first record of its answer. */
static const char *class_by_answer(const ctx *x, const leg *L, const keysz *z, const key *k, size_t nk)
{
    const key *q = &k[nk];
    uint32_t f = x->v[q->resp_first].len;
    /* compressed (zlib): a key, an arrow, a Backspace echo and a short
     * redraw all have the one-character size (a char), a repeated prompt
     * compresses to a few bytes; larger answers keep their order (a
     * completion below a line and a prompt) */
    if (z->comp && q->resp_n < ENTER_RECORDS_MIN && f <= z->wez)
        return "char";
    bool after_arrow = nk > 0 && strcmp(k[nk - 1].k, "arrow") == 0;
    bool ed = editing(x, z, k, nk);
    if (q->resp_n >= ENTER_RECORDS_MIN)
        return "enter";
    if (z->comp)
        return class_compressed(z, k, nk, f, ed);
    const char *either = z->we_p ? class_either_size(z, f, after_arrow) : NULL;
    if (either)
        return either;
    if (f == z->we)
        return "char";
    if ((f == z->wbs || f == z->wbs2) && !z->comp) /* after an arrow the line is redrawn */
        return after_arrow ? "char" : "backspace?";
    /* while editing, one answer record larger than a redraw of the line
     * is an Enter's output and prompt (fresh zsh_session at seed +1000
     * frame 169: 252 bytes after a line of 9 characters, zsh's PROMPT_SP
     * and prompt with `hello`) */
    if (f >= z->wenter)
        return ed && !beyond_redraw(L, k, nk, f) ? "enter?" : "enter";
    /* where an arrow has a character's wire size (encrypt-and-MAC: the
     * length is inside the padded part), a key at the start of a line
     * answered by a redraw shorter than a prompt recalled a line (an
     * arrow): a completion completes a word typed before it */
    if (z->wa == z->wk && !z->comp && line_chars(k, nk) == 0)
        return "arrow";
    return "tab";
}

/* An unanswered client record at v[i] after WINADJ_OUTPUT_MIN server bytes
 * since the previous key (or the range's start): the client's
 * WINDOW_ADJUST for an output it was still reading. */
static bool window_adjust(const ctx *x, const leg *L, size_t from, size_t i, const key *k, size_t nk)
{
    uint64_t out = 0;
    for (size_t j = nk ? k[nk - 1].at : from; j < i; j++)
        if (!sdi_is_cl(L, &x->v[j]))
            out += x->v[j].len;
    return out >= WINADJ_OUTPUT_MIN;
}

/* v[i] has a key's shape: a record of the leg's client, of a key's size
 * (or a paste's, or sent with a PING), no chaff, keepalive or protocol
 * message. */
static bool key_shaped(const ctx *x, const leg *L, const keysz *z, size_t from, size_t to, size_t i,
                       const uint8_t *mark)
{
    const item *it = &x->v[i];
    if (mark[i - from] == MARK_CHAFF || mark[i - from] == MARK_KEEPALIVE || it->x11 || it->not_key)
        return false;
    /* a tunnelled leg over a compressed connection: an arrow sent with
     * deflate's history cold keeps the plain model's size (sd_infer_zlib.h) */
    bool cold_arrow = L->zshift[1] && it->len == (uint32_t)((int32_t)z->wa - L->zshift[1]);
    /* a key may keep the plain size too; where that is the offset
     * arrow's, an answer of ENTER_RECORDS_MIN records (output and a
     * prompt) makes it a key: an arrow is answered by one redraw (lab
     * compress_reverse frame 183: `exit`'s Enter at the plain 76) */
    bool cold_key = z->wk_p && it->len == z->wk_p;
    return sdi_is_cl(L, it) && (it->len == z->wk || it->len == z->wa || cold_arrow || cold_key ||
                                mark[i - from] == MARK_FAT || is_paste(x, L, z, from, to, i));
}

/* How long after the key at v[i] its echo may come: a round trip and
 * KEYS_ECHO_LATE_S; a key that left within REACT_MIN_S of a server record
 * was held for the ACK it brought, and its echo is held likewise
 * (ECHO_HELD_RTTS; lab wan_demo at seed +4200 frames 217-224: a reverse
 * key 0.3 ms after the echo before, its echo 455 ms later over 200 ms). */
static double echo_deadline(const ctx *x, const leg *L, const keysz *z, size_t i)
{
    bool held = i > 0 && !sdi_is_cl(L, &x->v[i - 1]) && x->v[i].t - x->v[i - 1].t < REACT_MIN_S;
    return held ? ECHO_NOW_S + ECHO_HELD_RTTS * z->lag : z->lag + KEYS_ECHO_LATE_S;
}

/* Keys in flight: the server record at v[j] comes past the deadline of
 * the oldest key unanswered, and leaving that key unechoed would give the
 * next server records to the nk keys queued behind (kq[0..nk): the keys
 * after the one record j would then answer), one of them sooner
 * than the round trip less KEYS_JITTER_S after its key: no answer comes that
 * soon, so the oldest key was echoed late, not never (fresh
 * wanc300_bash_fast at seed +5000 frames 140-155: an echo 357 ms after its
 * key over 300 ms; dropped, the next echo would have answered its key in
 * 287 ms and a Tab taken an echo and its completion). */
static bool echo_late(const ctx *x, const leg *L, const keysz *z, size_t j, size_t to, const size_t *kq, size_t nk)
{
    /* the records after j, each an echo's size, answer the keys after the
     * dropped one in turn: any of them too soon says the same (fresh
     * wanc300_bash_fast at seed +5000, sweep +10800, frames 190-202: the
     * first echo 353 ms after its key over 300 ms, the next 300.5 ms after
     * the key it would then answer, the one after 289.7 ms: dropped, the
     * fourth key took two echoes and read as an Enter) */
    size_t j2 = j;
    for (size_t m = 0; m < nk; m++) {
        j2++;
        while (j2 < to && sdi_is_cl(L, &x->v[j2]))
            j2++;
        if (j2 >= to || (m > 0 && x->v[j2].len != z->we))
            return false;
        if (x->v[j2].t - x->v[kq[m]].t < z->lag - KEYS_JITTER_S)
            return true;
    }
    return false;
}

/* Keys in flight: where the leg's server answers a round trip after the
 * capture (a capture on the client's side of a slow link, or a reverse
 * leg's at the server's), a key typed sooner than that after the one
 * before leaves before that one's echo (key1, key2, echo1, key3, echo2).
 * The server answers the keys in the order they were sent, each about a
 * round trip later: a FIFO of unanswered keys pairs each with its own
 * answer. A server record starts the answer of the oldest unanswered key
 * due (sent KEYS_ECHO_EARLY of the round trip before it or more); other
 * records go on the answer before (an Enter's output and prompt). A key
 * still unanswered KEYS_ECHO_LATE_S past its round trip when a later key
 * is due was not echoed (a password's), unless that has a later record
 * answer its key sooner than the round trip (echo_late): it is left
 * without an answer, so the keys after it keep their own. pair[] as
 * keysz.pair. False (pair unset, the keys read as before) unless keys
 * overtake echoes: a key right after a key (no server record between),
 * sooner than the round trip; and no more keys alone in flight are answered sooner than the
 * round trip allows (the handshake's round trip is not the echoes':
 * SSHniff known_pass_lsal_id_exit, a 110 ms SYN-ACK, echoes in 8-85 ms);
 * a server record less than KEYS_ANSWER_MIN_S after the client's is no
 * answer to it (lab wanc220_reverse_keys frames 159-160, 0.1 ms apart:
 * the channel's protocol after a reverse session). */
/* The key-shaped client record at v[i] came amid the server's output
 * (WINADJ_OUTPUT_MIN bytes since the client's record before): the
 * client's WINDOW_ADJUST, which the output that goes on does not answer
 * (lab wan_demo at seed +9000 frames 195 and 278: the reverse client's,
 * 9.7 and 1.9 ms before the next of `last`'s 1448-byte records, counted
 * as keys answered sooner than the round trip, and the reverse keys in
 * flight were read one by one). */
static bool amid_output(const ctx *x, const leg *L, size_t from, size_t i)
{
    return out_before(x, L, from, i) >= WINADJ_OUTPUT_MIN;
}

/* Keys in flight: the server record of len wire bytes that comes past the
 * deadline of the n - 1 oldest keys unanswered (kq[0..n-1) left unechoed
 * by the FIFO) when the n-th (kq[n - 1]) is due holds the echoes of all
 * n, coalesced: a server that read them together from its terminal (a
 * fast typist over a slow link: the keys reach it in a bunch, or its
 * first echo waits on the link) writes one echo of n bytes. The record
 * has the size of n one-byte echoes, not of one (which says nothing: a
 * cipher's block holds one or two), and every key is a character's size
 * (an arrow's echo is no byte). Fewer than INLINE_PW_MIN keys: a run of
 * that many keys unanswered is a password typed without echo. Three
 * one-byte echoes have a Backspace echo's size ("\b \b"; lab
 * wanc300_bash_fast frames 40-47: three keys 29-48 ms apart over 300 ms,
 * their echoes in one 44-byte record under chacha20, 396 ms after the
 * first: the first two read as unechoed, the third as a Backspace). A
 * Backspace alone in flight, or after the keys before it were answered,
 * has no key past its deadline: it keeps its own answer. */
static bool coalesced_echoes(const ctx *x, const leg *L, const keysz *z, const size_t *kq, size_t n,
                             uint32_t len)
{
    if (n < 2 || n >= INLINE_PW_MIN || z->comp || z->we_p || len == z->we ||
        len != sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA((uint32_t)n)))
        return false;
    for (size_t m = 0; m < n; m++)
        if (x->v[kq[m]].len != z->wk)
            return false;
    return true;
}

/* The n keys coalesced_echoes would give record j are too many when the
 * server's next record is an echo that no other key in flight can own:
 * every key still queued after them (kq[n..nq)) and every key sent
 * between the two records left less than `early` before it. That echo is
 * the last key's own, and record j held the others' echoes with more than
 * a byte among them: a Backspace's erase and a character's have three
 * one-byte echoes' size under chacha20 (lab wanc220_demo at seed +3500
 * frames 61-73: Backspace, two chars; 44 for the first two, 36 for the
 * third 47 ms after the next key, three chars and an Enter without this). */
static bool echo_owed_after(const ctx *x, const leg *L, const keysz *z, size_t j, size_t to, const size_t *kq,
                            size_t n, size_t nq, double early)
{
    size_t k = j + 1;
    while (k < to && sdi_is_cl(L, &x->v[k]))
        k++;
    if (k >= to || x->v[k].len != z->we)
        return false;
    double t = x->v[k].t;
    for (size_t m = n; m < nq; m++)
        if (t >= x->v[kq[m]].t + early)
            return false;
    for (size_t m = j + 1; m < k; m++)
        if (x->v[m].len == z->wk && t >= x->v[m].t + early)
            return false;
    return true;
}

static bool pair_in_flight(const ctx *x, const leg *L, const keysz *z, size_t from, size_t to,
                           const uint8_t *mark, size_t *pair, bool *rtt_holds)
{
    size_t *q = sd_calloc(to - from + 1, sizeof *q);
    size_t head = 0, tail = 0;
    /* keys sent right after a key (no record of the server's between),
     * sooner than a round trip; keys alone in flight answered sooner than
     * KEYS_ECHO_EARLY of it */
    size_t overtakes = 0, early_answers = 0, on_time = 0; /* on_time: keys alone answered a round trip later */
    double early = z->lag * KEYS_ECHO_EARLY;
    for (size_t j = from; j < to; j++) {
        pair[j - from] = SIZE_MAX;
        const item *it = &x->v[j];
        if (sdi_is_cl(L, it)) {
            if (key_shaped(x, L, z, from, to, j, mark)) {
                overtakes += tail > 0 && q[tail - 1] == j - 1 && it->t - x->v[j - 1].t < z->lag;
                q[tail++] = j;
            }
            continue;
        }
        /* answers released at once (KEYS_BURST_S) leave no key unechoed */
        bool burst = (j + 1 < to && !sdi_is_cl(L, &x->v[j + 1]) && x->v[j + 1].t - it->t < KEYS_BURST_S) ||
                     (j > from && !sdi_is_cl(L, &x->v[j - 1]) && it->t - x->v[j - 1].t < KEYS_BURST_S);
        size_t h = head; /* the oldest key this record may answer */
        while (!burst && tail - h >= 2 && it->t >= x->v[q[h + 1]].t + early &&
               it->t > x->v[q[h]].t + echo_deadline(x, L, z, q[h]) &&
               !echo_late(x, L, z, j, to, q + h + 2, tail - h > 2 ? tail - h - 2 : 0))
            h++;
        if (h > head && coalesced_echoes(x, L, z, q + head, h - head + 1, it->len) &&
            !echo_owed_after(x, L, z, j, to, q + head, h - head + 1, tail - head, early)) {
            for (; head <= h; head++)
                pair[q[head] - from] = j;
            pair[j - from] = q[h];
            continue;
        }
        head = h;
        if (head < tail && it->t >= x->v[q[head]].t + early) {
            on_time += tail - head == 1;
            pair[q[head] - from] = j;
            pair[j - from] = q[head];
            head++;
        } else if (tail - head == 1 && q[head] == j - 1 && it->t - x->v[j - 1].t >= KEYS_ANSWER_MIN_S &&
                   !amid_output(x, L, from, j - 1))
            early_answers++;
    }
    free(q);
    *rtt_holds = on_time >= KEYS_RTT_ON_TIME_MIN && (double)early_answers <= on_time * KEYS_RTT_EARLY_SHARE;
    return overtakes > early_answers;
}

/* A key answered late, before the next: where the leg's server answers
 * at once (no keys in flight), a line editor answers the keys in their
 * order, so when the key before the next one was left unanswered (an
 * unanswered char, p) the first record answering the next one (q) may be
 * p's. Two ways that happens:
 * - held: the two keys left back to back within REACT_MIN_S (no person
 *   types that fast: a loaded client held the first and sent it with the
 *   next), and that record has an echo's size (fresh bash_fast at seed
 *   +7000 frames 187-192: `u` and a Tab 77 us apart, answered by the
 *   echo, 36, and the completion, 44; the Tab took both and read as an
 *   Enter, then as a multiplexer's key);
 * - computed: p stayed unanswered ECHO_NOW_S or more past the round trip
 *   before the next key, longer than any echo takes, and that record is
 *   larger than an echo: the line editor was computing p's answer (a
 *   completion; zsh loads its completion functions at the session's
 *   first Tab) and read the next key after it (fresh zsh_session at seed
 *   +8000 frames 190-196: a Tab unanswered for the 260 ms until the
 *   Enter, its completion, 52, 300 ms after it, then the Enter's 60, the
 *   output and the prompt; the Tab read as a char). A key completing
 *   follows characters of the line; a multiplexer's prefix, which nothing
 *   answers, is pressed at a prompt (lab tmux frames 172-176: C-b, then
 *   d answered by the detach's redraw).
 * - stalled: p stayed unanswered ECHO_NOW_S or more past the round trip
 *   before the next key, and the server then wrote p's echo and q's
 *   answer, one record each, back to back (HELD_FLUSH_S): the server was
 *   stalled and caught up (fresh asyncssh_server_aes128gcm at seed +9800
 *   frames 58-66: `s` unanswered for the 80 ms until a Backspace, then
 *   the echo, 36, and the Backspace's erase, 52, 0.2 ms apart, each after
 *   AsyncSSH's IGNORE; the Backspace read as Enter). q's answer left is
 *   one echo or erase; an Enter answers a silent key's line with its CR
 *   LF and a prompt the command's run later.
 * Either way a record is left for the next key, and the key before p was
 * answered: keys of an echoing line, not a password's (su: no echo, and
 * the Enter's CR LF has an echo's size). A key between two such is no
 * key (too_soon). True when p's answer changed. */
static bool is_key(const key *q, const char *name);

static bool stalled_flush(const ctx *x, const leg *L, const keysz *z, const key *k, size_t nk, double gap)
{
    const key *q = &k[nk];
    if (gap < z->lag + ECHO_NOW_S || q->resp_n != 2 || line_chars(k, nk - 1) == 0)
        return false;
    const item *a = &x->v[q->resp_first], *b = &x->v[q->resp_last];
    if (a->len != z->we || sdi_is_cl(L, b) || b->t - a->t >= HELD_FLUSH_S)
        return false;
    return b->len == z->we || b->len == z->wbs || b->len == z->wbs2;
}

static bool held_echo(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk)
{
    key *q = &k[nk], *p = nk ? &k[nk - 1] : NULL;
    if (!p || nk < 2 || !k[nk - 2].resp_n || !is_key(p, "char") || p->resp_n || p->at + 1 != q->at || z->pair ||
        z->comp || z->we_p || q->resp_n < 2)
        return false;
    double gap = x->v[q->at].t - x->v[p->at].t;
    uint32_t f = x->v[q->resp_first].len;
    bool held = gap < REACT_MIN_S && f == z->we;
    bool computed = gap >= z->lag + ECHO_NOW_S && f > z->we && line_chars(k, nk - 1) > 0;
    if (!held && !computed && !stalled_flush(x, L, z, k, nk, gap))
        return false;
    size_t j = q->resp_first + 1;
    while (j <= q->resp_last && sdi_is_cl(L, &x->v[j]))
        j++;
    p->resp_first = p->resp_last = q->resp_first;
    p->resp_n = 1;
    p->resp_bytes = p->resp_max = f;
    q->resp_first = j;
    q->resp_n--;
    q->resp_bytes -= f;
    q->resp_max = 0;
    for (; j <= q->resp_last; j++)
        if (!sdi_is_cl(L, &x->v[j]) && x->v[j].len > q->resp_max)
            q->resp_max = x->v[j].len;
    return computed;
}

/* Key nk's answer, one record, is the echo of the keys right before it
 * that nothing answered (fewer than INLINE_PW_MIN: no password typed
 * without echo; the key before them answered, or none) and its own: the
 * record has the size of one character's echo per key. A loaded server
 * (or client) held their echoes and wrote them at once, a size a
 * Backspace's echo may share (lab fresh runs at +9600: ctrlc frames
 * 122-128, two keys unanswered for 0.24 s, then the third's 44 under
 * chacha20, "\b\x1b[K"'s size; reverse_keys_aes128ctr-sha256etm reverse
 * frames 73-79, the leg's first three keys, 132; both read as a
 * Backspace). A Backspace there would have its echo and the held ones in
 * one record too, larger by three bytes, which the cipher's block may
 * hide: the held keys' echoes are in that record either way, and the
 * record is no larger than theirs and one character's. Or one segment
 * of their echo records and its own, one each (echoes_in_segment). */
static bool joint_echo(const ctx *x, const leg *L, const keysz *z, const key *k, size_t nk)
{
    const key *q = &k[nk];
    if (z->pair || z->comp || z->we_p || q->resp_n != 1)
        return false;
    size_t held = 0;
    while (held < nk && held < INLINE_PW_MIN && is_key(&k[nk - 1 - held], "char") && !k[nk - 1 - held].resp_n)
        held++;
    if (!held || held >= INLINE_PW_MIN || (held < nk && !k[nk - 1 - held].resp_n))
        return false;
    uint32_t n = (uint32_t)held + 1;
    return x->v[q->resp_first].len == sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(n)) ||
           echoes_in_segment(x, L, z, q->resp_first, n);
}

/* v[i] answers sshd's keepalive probe, the leg server's record right
 * before it (ALIVE_ANSWER_S), and the server's next record comes that late
 * too, past any echo's time however loaded the server (lab vim_shell_
 * aes128gcm at +9600: an echo 84 ms after its key), and not after a key of
 * the client's (keys in flight over a slow link are echoed after it): no key (OpenSSH's server echoes every key,
 * or sends an IGNORE of the echo's size where its terminal does not). */
static bool alive_answer(const ctx *x, const leg *L, const keysz *z, size_t i, size_t to)
{
    const item *it = &x->v[i], *p = i > 0 ? &x->v[i - 1] : NULL, *a = i + 1 < to ? &x->v[i + 1] : NULL;
    if (!p || sdi_is_cl(L, p) || p->len != sdi_lw(L, false, P_REQ_ALIVE) || it->len != z->wk ||
        it->t - p->t >= ALIVE_ANSWER_S + z->lag)
        return false;
    return !a || (!sdi_is_cl(L, a) && a->t - it->t >= ALIVE_ANSWER_S + z->lag);
}

/* Keys in flight: the key at v[i] shares its one answer record with the
 * other keys whose echoes the server coalesced in it (coalesced_echoes):
 * the record is no Backspace's echo, whatever its size. The keys of a
 * record are paired in order: the nearest paired key before v[i] shares
 * it, or the record's key (its last) is another. */
static bool coalesced_key(const ctx *x, const leg *L, const keysz *z, size_t i, const key *q)
{
    if (!z->pair || q->resp_n != 1)
        return false;
    size_t j0 = z->pair[i - z->from];
    if (z->pair[j0 - z->from] != i)
        return true;
    for (size_t m = i; m-- > z->from;)
        if (z->pair[m - z->from] != SIZE_MAX && sdi_is_cl(L, &x->v[m]))
            return z->pair[m - z->from] == j0;
    return false;
}

/* Reads v[i] as a key into k[nk]; false when it is none. */
static bool read_key(const ctx *x, const leg *L, const keysz *z, size_t from, size_t to, size_t i,
                     const uint8_t *mark, key *k, size_t nk)
{
    const item *it = &x->v[i];
    if (!key_shaped(x, L, z, from, to, i, mark))
        return false;
    bool fat = mark[i - from] == MARK_FAT;
    bool paste = is_paste(x, L, z, from, to, i);
    bool cold_arrow = L->zshift[1] && it->len == (uint32_t)((int32_t)z->wa - L->zshift[1]);
    bool cold_key = z->wk_p && it->len == z->wk_p;
    if (too_soon(x, L, z, i, to) || alive_answer(x, L, z, i, to))
        return false;
    key *q = &k[nk];
    key_answer(x, L, z, i, to, fat, q);
    /* the key before, read as a char with no answer, is read again by
     * the answer it had (a completion) */
    if (!fat && !paste && held_echo(x, L, z, k, nk))
        k[nk - 1].k = class_by_answer(x, L, z, k, nk - 1);
    bool arrow_sized = (it->len == z->wa || cold_arrow) && !(cold_key && q->resp_n >= ENTER_RECORDS_MIN);
    if (paste)
        q->k = "paste";
    else if (arrow_sized && z->wa != z->wk && !fat && !z->comp)
        q->k = "arrow";
    else if (!q->resp_n && fat)
        q->k = "char";
    else if (!q->resp_n) {
        /* no answer at all: CHANNEL_EOF/CLOSE or a WINDOW_ADJUST of the
         * same size, unless more keys follow: a character's or an arrow's
         * (a key whose echo the server sent with the next key's answer:
         * lab zsh_session at seed +4000 frames 140-143, `o` left 20 ms
         * before a Left arrow, both answered by one 36-byte record; the
         * client's protocol after an EOF has no arrow's size) */
        size_t j = i + 1;
        while (j < to && !sdi_is_cl(L, &x->v[j]))
            j++;
        if (j >= to || (x->v[j].len != z->wk && x->v[j].len != z->wa) || window_adjust(x, L, from, i, k, nk))
            return false;
        q->k = "char";
    } else if (joint_echo(x, L, z, k, nk) || coalesced_key(x, L, z, i, q))
        q->k = "char";
    else
        q->k = class_by_answer(x, L, z, k, nk);
    /* a tunnelled leg over a compressed connection (sd_infer_zlib.h): a
     * key sent with deflate's history cold costs an outer block more, an
     * arrow's size; at a line's start, answered by one echo, it was a
     * character (Up and Down there recall a line, Left and Right ring).
     * The leg's first key may find its echo cold too, at the plain
     * echo's size, which a short recalled line has offset (lab
     * compress_reverse at seed +3000, frame 121: 76 and 76 where the
     * leg's keys and echoes are 68; an arrow sent first, cold, has the
     * plain arrow's size, 84) */
    uint32_t f = q->resp_n == 1 ? x->v[q->resp_first].len : 0;
    if (L->zshift[1] && !strcmp(q->k, "arrow") && f &&
        (f == z->we || (nk == 0 && cold_key && f == z->we_p)) && line_chars(k, nk) == 0)
        q->k = "char";
    return true;
}

/* Key i is one more of a run of Backspaces: the key before it was one,
 * typed at typing speed, and the line still has a character to erase. A
 * pause after it is the user stopping, not a command's output. */
static bool erasing_run(const ctx *x, const key *k, size_t i)
{
    if (i == 0 || strncmp(k[i - 1].k, "backspace", 9) != 0 ||
        x->v[k[i].at].t - x->v[k[i - 1].at].t > ENTER_PAUSE_S)
        return false;
    long left = 0; /* characters typed on the line and not yet erased */
    for (size_t j = i; j-- > 0 && strcmp(k[j].k, "enter") != 0;)
        left += strcmp(k[j].k, "char") == 0 ? 1 : strncmp(k[j].k, "backspace", 9) == 0 ? -1 : 0;
    return left >= 1;
}

static bool is_key(const key *q, const char *name)
{
    return strcmp(q->k, name) == 0;
}

/* Characters typed on the line before key i (since the last Enter). */
static size_t line_chars(const key *k, size_t i)
{
    size_t chars = 0;
    for (size_t j = i; j-- > 0 && strcmp(k[j].k, "enter") != 0;)
        chars += strcmp(k[j].k, "char") == 0;
    return chars;
}

static double key_at(const ctx *x, const key *q)
{
    return x->v[q->at].t;
}

/* Key i, read as Enter, follows the key before it later than
 * SCREEN_KEY_S but starts a run of the program's keys: the next key, read
 * as Enter too, follows within SCREEN_KEY_S, and neither answer starts as
 * the session's Enters do (echo). The first key on a screen the program
 * just painted comes after the person read it (lab vim_shell_aes128gcm
 * frame 106: vim's `i` 1.56 s after its screen, then every inserted
 * character answered by one 68-byte redraw 0.1-0.3 s apart; read before
 * as the Enter the run hung on, so the redraws after it, Esc and `:` of two
 * records each, read as Enters). */
static bool run_starts(const ctx *x, const key *k, size_t nk, const bool *was_enter, size_t i, uint32_t echo)
{
    return i + 1 < nk && was_enter[i + 1] && k[i + 1].resp_first != SIZE_MAX &&
           key_at(x, &k[i + 1]) - key_at(x, &k[i]) < SCREEN_KEY_S && x->v[k[i].resp_first].len != echo &&
           x->v[k[i + 1].resp_first].len != echo;
}

/* A key answered by one record (a program's redraw). */
static bool one_redraw(const key *q)
{
    return q->resp_n == 1;
}

static bool typing_on(const ctx *x, const key *k, size_t nk, size_t i);

/* The most CHANNEL_DATA bytes n in [lo, hi] whose record from the leg's
 * client (cl) or server is at most w wire bytes, or lo - 1 when none is:
 * a binary search, the wire size growing with the data (a record of w
 * bytes holds fewer than w, so hi = w bounds any search). */
static int64_t data_fit(const leg *L, bool cl, uint32_t w, uint32_t lo, uint32_t hi)
{
    int64_t a = lo, b = (int64_t)hi + 1; /* the first n too large is in [a, b] */
    while (a < b) {
        int64_t mid = a + (b - a) / 2;
        if (sdi_lw(L, cl, SD_SSH_P_CHANNEL_DATA((uint32_t)mid)) > w)
            b = mid;
        else
            a = mid + 1;
    }
    return a - 1;
}

/* The CHANNEL_DATA lengths a server record of w wire bytes can hold:
 * [*lo, *hi] (none: 1 and 0). */
static void data_range(const leg *L, uint32_t w, uint32_t *lo, uint32_t *hi)
{
    int64_t h = data_fit(L, false, w, 0, w), l = w ? data_fit(L, false, w - 1, 0, w) + 1 : 0;
    *lo = l <= h ? (uint32_t)l : 1;
    *hi = l <= h ? (uint32_t)h : 0;
}

/* Key q is answered by one redraw of r wire bytes: one record of that
 * size, or one burst (records within TICK_BURST_S of the first) whose
 * data can add up to one such record's (the pty's read splitting the
 * editor's write: lab nano_edit at seed +9200, 44 + 52 where the
 * characters around get 60 under chacha; 52 + 52 + 36 for 68 under
 * aes128gcm at seed +9100). */
static bool redraw_of(const ctx *x, const leg *L, const key *q, uint32_t r)
{
    if (q->resp_n == 1)
        return x->v[q->resp_first].len == r;
    if (q->resp_n < 2)
        return false;
    uint32_t lo = 0, hi = 0, rlo, rhi;
    for (size_t j = q->resp_first; j <= q->resp_last; j++) {
        if (sdi_is_cl(L, &x->v[j]))
            continue;
        if (x->v[j].t - x->v[q->resp_first].t > TICK_BURST_S)
            return false;
        uint32_t l, h;
        data_range(L, x->v[j].len, &l, &h);
        lo += l;
        hi += h;
    }
    data_range(L, r, &rlo, &rhi);
    return rlo <= rhi && lo <= rhi && rlo <= hi;
}

/* Key i, read as Enter, is answered by one redraw (redraw_of) of the size
 * the latest key before it answered by one record other than the echo
 * got, as were the EDITOR_RUN_MIN keys before it, read as chars: one more
 * key of a full-screen editor redrawing its line, not an Enter (whose
 * answer is output and a prompt). */
static bool editor_run_key(const ctx *x, const leg *L, const keysz *z, const key *k, size_t nk, size_t i)
{
    if (!is_key(&k[i], "enter") || i < EDITOR_RUN_MIN)
        return false;
    /* back over the run's chars answered by no echo (the walk stops at
     * once on a shell's echoed line) */
    size_t j = i;
    while (j-- > 0 && is_key(&k[j], "char") && k[j].resp_n > 0 && x->v[k[j].resp_first].len != z->we &&
           k[j].resp_n != 1)
        ;
    if (j >= i || !is_key(&k[j], "char") || k[j].resp_n != 1 || x->v[k[j].resp_first].len == z->we ||
        !redraw_of(x, L, &k[i], x->v[k[j].resp_first].len))
        return false;
    uint32_t r = x->v[k[j].resp_first].len;
    for (size_t m = i - EDITOR_RUN_MIN; m < i; m++)
        if (!is_key(&k[m], "char") || !redraw_of(x, L, &k[m], r))
            return false;
    /* a burst: the editor goes on redrawing at the next key, typed on
     * (readline's search accepted by Enter is answered by its output and
     * prompt in a burst, then the person reads: lab editkeys_aes128gcm
     * frame 188) */
    return k[i].resp_n == 1 || (typing_on(x, k, nk, i) && redraw_of(x, L, &k[i + 1], r));
}

static void editor_run_keys(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk)
{
    for (size_t i = 0; i < nk; i++)
        if (editor_run_key(x, L, z, k, nk, i))
            k[i].k = "char";
}

/* A full-screen editor's insert mode answers every typed character with
 * one redraw of one size (the character and the ruler: lab vim_shell,
 * 68 bytes under chacha and aes128gcm) and Enter, which moves the cursor
 * to a new line and rewrites the ruler, with one larger record (76
 * chacha, 84 aes128gcm), typing going on at the same pace: a program's
 * key answered by one record larger than the one-record answers, of one
 * size, of the keys either side of it is that Enter. A character whose
 * redraw grows (the ruler's column gaining a digit) keeps the larger size
 * for the keys after it: not one key's. */
static void insert_enters(const ctx *x, key *k, size_t nk, const bool *prog)
{
    for (size_t i = 1; i + 1 < nk; i++) {
        if (!prog[i - 1] || !prog[i] || !prog[i + 1] || !one_redraw(&k[i - 1]) || !one_redraw(&k[i]) ||
            !one_redraw(&k[i + 1]))
            continue;
        uint32_t before = x->v[k[i - 1].resp_first].len, own = x->v[k[i].resp_first].len;
        if (before == x->v[k[i + 1].resp_first].len && own > before)
            k[i].k = "enter";
    }
}

/* Keys typed while a program starts (vim, after its first write): the
 * keys since the last Enter, answered by a page (enter), went unanswered
 * and key i is answered by a page: the program painted its screen as it
 * read them, i is one of its keys (lab fullscreen at +9900 frame 236,
 * fullscreen_s2000 frame 228, fullscreen_s3000 frame 225: `i`, `h`, `e`
 * typed 0.7-1.3 s after vim's command, the screen 1-23 ms after the
 * third). At least TYPED_AHEAD_MIN characters: one key unanswered (an
 * arrow whose recalled line left with the rekey around it, lab
 * proxyjump_rekey_aes128gcm at +9900 frame 272) is no typing ahead. A
 * password typed at a prompt goes unanswered too, but the prompt is no
 * page. */
static bool typed_before_screen(const key *k, size_t enter, size_t i)
{
    if (enter == SIZE_MAX || enter + TYPED_AHEAD_MIN >= i || k[enter].resp_bytes < SCREEN_PAGE_MIN ||
        k[i].resp_bytes < SCREEN_PAGE_MIN)
        return false;
    for (size_t j = enter + 1; j < i; j++)
        if (k[j].resp_n || !is_key(&k[j], "char"))
            return false;
    return true;
}

/* Full-screen programs (less, vim, top) answer a key with a redraw, not an
 * echo. A Backspace echo erases a character the line echoed before: on a
 * line without an echoed character (nor a recalled, completed or pasted
 * one) its size is a program's short redraw (less's search prompt). And a
 * key read as Enter (a redraw) that follows another such key within
 * SCREEN_KEY_S, nothing typed between, once an Enter was answered by a
 * page (the program painted its screen), is a key of the program (paging,
 * insert mode, quit) when its answer does not start as this session's
 * Enters do: bare Enters pressed in a row are answered by the same CR LF
 * echo (alone, or with bash's bracketed-paste codes) as an Enter ending a
 * typed line. A first record of a page's size is no such echo (the CR LF
 * left with the screen's first segment, as a paging key's page does: the
 * first fresh run of editkeys at seed +1000, frames 248-263, both 1448;
 * test_pager_keys). A key answered by a page itself is the program's
 * however long the person read before it (less's first page read 1.6 s
 * there and in editkeys_s1000, 1.504 s in editkeys_s5000): a bare Enter
 * at a prompt is answered by a line and a prompt, far below a page. Nor
 * does the echo test hold right after such a key answered by a page: the
 * program still holds the screen, no shell reads the key (q quitting less answered by
 * the screen restored, 68 bytes, as the Enter's CR LF echo with the
 * bracketed-paste codes: lab editkeys_s1000 frames 246 and 268). The
 * keys re-read so are marked in prog[] (insert_enters). */
static void screen_keys(const ctx *x, const keysz *z, key *k, size_t nk, bool redraws, bool *prog)
{
    bool *was_enter = sd_calloc(nk + 1, sizeof *was_enter);
    size_t echoed = 0;
    bool other = false;
    for (size_t i = 0; i < nk; i++) {
        was_enter[i] = is_key(&k[i], "enter");
        if (is_key(&k[i], "backspace?") && !echoed && !other && !redraws)
            k[i].k = "char";
        else if (is_key(&k[i], "char"))
            echoed++;
        else
            other |= is_key(&k[i], "arrow") || is_key(&k[i], "tab") || is_key(&k[i], "paste");
        if (was_enter[i]) {
            echoed = 0;
            other = false;
        }
    }
    size_t enter = SIZE_MAX;  /* the last key kept as Enter */
    uint32_t echo = z->we;    /* the first answer to the last Enter ending a typed line */
    bool in_program = false;  /* the key before was the program's, answered by a page */
    for (size_t i = 0; i < nk; i++) {
        if (!was_enter[i] || k[i].resp_first == SIZE_MAX)
            continue;
        uint32_t first = x->v[k[i].resp_first].len;
        bool soon = i > 0 && (key_at(x, &k[i]) - key_at(x, &k[i - 1]) < SCREEN_KEY_S ||
                              k[i].resp_bytes >= SCREEN_PAGE_MIN || run_starts(x, k, nk, was_enter, i, echo));
        if ((soon && was_enter[i - 1] && enter != SIZE_MAX && k[enter].resp_bytes >= SCREEN_PAGE_MIN &&
             (first != echo || first >= SCREEN_PAGE_MIN || in_program)) ||
            typed_before_screen(k, enter, i)) {
            k[i].k = "char";
            prog[i] = true;
            in_program = k[i].resp_bytes >= SCREEN_PAGE_MIN;
            continue;
        }
        /* an Enter ending a line typed while the program holds the screen
         * (less's search, after a paging key answered by a page) and
         * answered by a page is the program's: its answer is no shell
         * Enter's, and the program still holds the screen after it (fresh
         * fullscreen at seed +2000: q 0.97 s after the search's Enter,
         * answered by the restored screen with the CR LF echo's size) */
        bool program_enter = in_program && k[i].resp_bytes >= SCREEN_PAGE_MIN && line_chars(k, i) > 0;
        in_program = program_enter;
        enter = i;
        if (line_chars(k, i) > 0 && !program_enter)
            echo = first;
    }
    free(was_enter);
}

/* The key, read as Enter, is answered first by a record of one echo's
 * size, then by at most max - 1 more (a CR LF echo, then a prompt; or
 * "^C", then a prompt). */
static bool echo_then_few(const ctx *x, const keysz *z, const key *q, uint32_t max)
{
    return is_key(q, "enter") && q->resp_n >= ENTER_RECORDS_MIN && q->resp_n <= max &&
           x->v[q->resp_first].len == z->we;
}

/* The server's output before key i (since the key before it, or from)
 * was still running when the key came: a program printing or redrawing by
 * itself (a loop, watch, top), not an answer ended by a prompt. Its
 * records come in ticks (records less than TICK_BURST_S apart are one
 * redraw); at least RUNNING_TICKS_MIN of them, and the key came before
 * the next was due (TICK_SLACK times the last gap between ticks after
 * the last record; HUMAN_MIN_S at least: nobody reads a prompt that
 * fast). A command's output that stops at a prompt has no such rhythm.
 * Records of an echo's size are not output (OpenSSH's keystroke-timing
 * PONGs come every 20 ms). */
static bool output_running(const ctx *x, const leg *L, const keysz *z, size_t from, const key *k, size_t i)
{
    double last = 0, gap = 0;
    uint32_t ticks = 0;
    for (size_t j = i ? k[i - 1].at + 1 : from; j < k[i].at; j++) {
        if (sdi_is_cl(L, &x->v[j]) || x->v[j].len <= z->we)
            continue;
        double t = x->v[j].t;
        if (!ticks || t - last > TICK_BURST_S) {
            gap = ticks ? fmax(gap, t - last) : 0;
            ticks++;
        }
        last = t;
    }
    return ticks >= RUNNING_TICKS_MIN && key_at(x, &k[i]) - last < fmax(HUMAN_MIN_S, gap * TICK_SLACK);
}

static double line_pace(const ctx *x, const key *k, size_t i);

/* The person waited before key i, in silence since the lone echo of the
 * key before it: INTERRUPT_WAIT_S, or INTERRUPT_WAIT_MIN_S and
 * INTERRUPT_PACE times the pace of the line that key ended (lab ctrlc:
 * `sleep 30`'s Ctrl-C 1.2-1.8 s after its Enter, typed at 0.15-0.5 s a
 * key; at +8000 and +9600 1.43-1.47 s, read as an Enter). */
static bool waited_on_command(const ctx *x, const key *k, size_t i)
{
    double wait = key_at(x, &k[i]) - x->v[k[i - 1].resp_last].t;
    return wait >= INTERRUPT_WAIT_S ||
           (wait >= INTERRUPT_WAIT_MIN_S && wait >= INTERRUPT_PACE * line_pace(x, k, i - 1));
}

/* Ctrl-C (Ctrl-\, Ctrl-Z; q in top): read as Enter by its answer, a few
 * records (the terminal's "^C" echo, two bytes as CR LF are, or the
 * program's screen restored; then a new prompt). It is told by what came
 * before it: no prompt ended the output before it. Either that output was
 * still running when the key came (a program the key stopped), or the key
 * before it was answered by its lone echo after a typed line and the
 * person then waited INTERRUPT_WAIT_S in silence: that key was the Enter
 * of a command running without output (its CR LF echo alone), this one
 * stops it. A Ctrl-C in the middle of a line at a prompt has the shape of
 * an Enter ending a command without output: nothing tells them. */
static uint32_t answer_past_tick(const ctx *x, const leg *L, const keysz *z, size_t from, const key *q);

static void interrupt_keys(const ctx *x, const leg *L, const keysz *z, size_t from, key *k, size_t nk)
{
    for (size_t i = 0; i < nk; i++) {
        key *q = &k[i], *p = i ? &k[i - 1] : NULL;
        if (!is_key(q, "enter"))
            continue;
        bool silent = q->resp_n <= INTERRUPT_RECORDS_MAX && p && echo_then_few(x, z, q, INTERRUPT_RECORDS_MAX) &&
                      is_key(p, "char") && p->resp_n == 1 && x->v[p->resp_first].len == z->we &&
                      line_chars(k, i - 1) > 0 && waited_on_command(x, k, i);
        if (!silent && !(output_running(x, L, z, from, k, i) &&
                         answer_past_tick(x, L, z, from, q) <= INTERRUPT_RECORDS_MAX))
            continue;
        q->k = "char";
        if (silent)
            p->k = "enter";
    }
}

/* Counts the server record v[j] into the tick being built (*n records so
 * far, *t0 the time of the record that began it); true when v[j] is more
 * than TICK_BURST_S from that and begins a new tick. */
static bool tick_add(const ctx *x, size_t j, double *t0, uint32_t *n)
{
    double t = x->v[j].t;
    bool fresh = !*n || fabs(t - *t0) > TICK_BURST_S;
    if (fresh) {
        *t0 = t;
        *n = 0;
    }
    (*n)++;
    return fresh;
}

/* The output streaming before key i by itself, at a steady cadence
 * (STREAM_JITTER), across the echoes of the keys typed during it (records
 * of an echo's size or less are none of it): the ticks back from the key
 * while their gaps keep the last one's, STREAM_TICKS_MAX at most (within
 * STREAM_RECORDS_MAX records), of which RUNNING_TICKS_MIN - 1 gaps at
 * least hold no client record (the program printed with no key: command
 * outputs answering Enters typed at a steady rhythm, or bare Enters in a
 * row, each answered by a prompt, have a key in every gap: shared
 * captures SSH-Keystroke-Latency-Analysis capture_4 frame 276 and
 * OpenSSH-Network-Parser dump_ssh frame 931). The stream's shape (records
 * a tick, the largest record) is that of the ticks no key came before
 * since the tick before: a tick after a key may be its answer (lab
 * typeahead_aes128gcm at seed +8100 frame 50: a paste's echo, 100 bytes,
 * 0.39 s before the loop's first line). False when there is none. */
static bool stream_before(const ctx *x, const leg *L, const keysz *z, size_t from, size_t at, stream *s)
{
    uint32_t nt = 0, n = 0, keyless = 0, tick_max = 0;
    double t0 = 0, prev = 0, gap = 0;
    bool typed = false; /* a client record since the tick after (later in time) */
    memset(s, 0, sizeof *s);
    size_t lo = at - from > STREAM_RECORDS_MAX ? at - STREAM_RECORDS_MAX : from;
    for (size_t j = at; j-- > lo && nt < STREAM_TICKS_MAX;) {
        const item *it = &x->v[j];
        if (sdi_is_cl(L, it)) {
            typed = true;
            continue;
        }
        if (it->len <= z->we)
            continue;
        uint32_t recs = n; /* the tick after, complete when this record begins another */
        if (tick_add(x, j, &t0, &n)) { /* ticks from the last back, at their last record */
            if (nt == 1)
                gap = prev - it->t;
            else if (nt > 1 && fabs(prev - it->t - gap) > STREAM_JITTER * gap)
                break;
            if (nt == 0)
                s->last = it->t;
            else if (!typed) { /* the tick after came with no key since this one */
                keyless++;
                s->recs = recs > s->recs ? recs : s->recs;
                s->max = tick_max > s->max ? tick_max : s->max;
            }
            typed = false;
            tick_max = 0;
            prev = it->t;
            nt++;
        }
        tick_max = it->len > tick_max ? it->len : tick_max;
    }
    s->gap = gap;
    return keyless + 1 >= RUNNING_TICKS_MIN && gap > TICK_BURST_S;
}

/* The records of key q's answer past the stream's tick that was already
 * on its way: a key typed while output streams by itself is answered after
 * the next tick when that tick left first, a record at the stream's
 * cadence and of its shape (STREAM_JITTER; lab ctrlc_s8000 at +10400
 * frames 176-182: Ctrl-C 52 ms into the loop's 60 ms tick, answered by its
 * line, 3 ms later, then "^C", CR LF and a prompt; four records, read as an
 * Enter). All of q's answer records when none such came first. */
static uint32_t answer_past_tick(const ctx *x, const leg *L, const keysz *z, size_t from, const key *q)
{
    stream s;
    if (!q->resp_n || !stream_before(x, L, z, from, q->at, &s))
        return q->resp_n;
    double t0 = 0;
    uint32_t n = 0, tick = 0;
    for (size_t j = q->resp_first; j <= q->resp_last; j++) {
        const item *it = &x->v[j];
        if (sdi_is_cl(L, it))
            continue;
        if (it->len <= z->we || (tick_add(x, j, &t0, &n) && tick))
            break;
        if (fabs(it->t - s.last - s.gap) > STREAM_JITTER * s.gap || n > s.recs || it->len > s.max)
            return q->resp_n;
        tick++;
    }
    return q->resp_n - tick;
}

/* Key i, read as Enter, was typed ahead while output streamed: its answer
 * is its echo, then only the stream going on at its cadence and shape
 * (STREAM_JITTER): the terminal's echo of a key typed during a loop's
 * output, not the output and prompt of a command (lab typeahead frame
 * 68, typeahead_aes128gcm frames 67 and 75: a character's echo, then the
 * loop's next line 0.17 s later, 0.40 s after the line before). An Enter
 * typed ahead so has the same answer until the program ends; its answer
 * then holds the prompt and the line's output, new records in a tick. */
static void typeahead_keys(const ctx *x, const leg *L, const keysz *z, size_t from, key *k, size_t nk)
{
    for (size_t i = 0; i < nk; i++) {
        key *q = &k[i];
        stream s;
        if (!is_key(q, "enter") || q->resp_n < ENTER_RECORDS_MIN || x->v[q->resp_first].len != z->we ||
            !stream_before(x, L, z, from, q->at, &s))
            continue;
        double prev = s.last, t0 = 0;
        uint32_t n = 0, ticks = 0;
        bool on = true;
        for (size_t j = q->resp_first + 1; on && j <= q->resp_last; j++) {
            const item *it = &x->v[j];
            if (sdi_is_cl(L, it))
                continue;
            if (tick_add(x, j, &t0, &n)) {
                on = fabs(it->t - prev - s.gap) <= STREAM_JITTER * s.gap;
                prev = it->t;
                ticks++;
            }
            on = on && n <= s.recs && it->len <= s.max;
        }
        if (on && ticks)
            q->k = "char";
    }
}

/* Key i, read as Enter after the unanswered key i - 1, is the Enter of
 * the line that key ended, its echo sent with the Enter's answer: that
 * key was typed on a line whose characters were echoed (a multiplexer's
 * prefix is pressed at a prompt, not inside a word), and the answer is
 * no two keys' echoes (two records of an echo's size, or one holding
 * both) but has a record of an Enter's line and prompt (fresh
 * wanc300_bash_fast at seed +5000 frames 86-96: `o` typed 193 ms before
 * the Enter, over 300 ms, both answered by one 60-byte record). */
static bool echo_with_enter(const ctx *x, const keysz *z, const key *k, size_t i)
{
    const key *q = &k[i];
    bool two_echoes = q->resp_bytes == 2u * z->we || (q->resp_n == 1 && x->v[q->resp_first].len == z->we);
    return line_chars(k, i - 1) > 0 && !two_echoes && q->resp_max >= z->wenter;
}

/* Keys a terminal multiplexer (tmux, screen) takes, read as Enter:
 * - the key after its prefix key (tmux C-b, screen C-a), which nothing
 *   answers in a session whose keys were echoed before: the multiplexer
 *   acts on the next key (detach, a window switch) and redraws the
 *   screen. One unanswered key alone, at typing pace (within
 *   SCREEN_KEY_S); longer runs are a password typed with no echo
 *   (INLINE_PW_MIN). The same shape is a key whose echo left in the next
 *   key's answer (typing faster than the round trip): a character too.
 * - a line's last character answered by its echo and one record shorter
 *   than a prompt line, the multiplexer's own (a mode or status update),
 *   when a bare Enter follows at typing pace (within INSERT_NEXT_S or
 *   PACE_SLACK times the line's pace): after an Enter that ran a typed
 *   command a person reads its output before pressing Enter again, so
 *   the bare Enter ends the line (lab sweep +11200 tmux frames 164-169:
 *   `uname -r`'s `r` echoed, tmux's 44-byte update 262 ms later, the
 *   Enter 0.534 s after the key, 2.2 times the line's 0.245 s pace). */
static void multiplexer_keys(const ctx *x, const keysz *z, key *k, size_t nk)
{
    for (size_t i = 1; i < nk; i++) {
        key *q = &k[i], *p = &k[i - 1];
        if (!is_key(q, "enter"))
            continue;
        bool prefix = is_key(p, "char") && !p->resp_n && i >= 2 && k[i - 2].resp_n &&
                      key_at(x, q) - key_at(x, p) < SCREEN_KEY_S && !echo_with_enter(x, z, k, i);
        double next = i + 1 < nk ? key_at(x, &k[i + 1]) - key_at(x, q) : 0;
        bool redraw = echo_then_few(x, z, q, ENTER_RECORDS_MIN) && x->v[q->resp_last].len < z->wenter &&
                      line_chars(k, i) > 0 && i + 1 < nk && is_key(&k[i + 1], "enter") &&
                      (next < INSERT_NEXT_S || next < PACE_SLACK * line_pace(x, k, i));
        if (prefix || redraw)
            q->k = "char";
    }
}

/* Ctrl-D at an empty line ends the shell: bash prints "logout", the
 * server ends the session (exit-status, EOF, CLOSE: at most
 * LOGOUT_RECORDS_MAX records) and the connection closes. The last key,
 * right after an Enter, read as Enter, answered otherwise than that Enter
 * (bare Enters in a row get the same prompt), with the leg's records
 * ending within LOGOUT_S of it: a bare Enter does not end a session. */
/* The leg's records (up to v[to]) end within LOGOUT_S of key q on a
 * connection that closes: q ended the session. */
static bool ends_session(const ctx *x, size_t to, const key *q)
{
    const sd_conn *c = x->r->conn;
    bool closed = sd_conn_fin_or_rst(c);
    return closed && x->v[to - 1].t - key_at(x, q) < LOGOUT_S;
}

static void logout_key(const ctx *x, size_t to, key *k, size_t nk)
{
    key *q = nk >= 2 ? &k[nk - 1] : NULL, *p = q ? q - 1 : NULL;
    if (q && is_key(q, "enter") && q->resp_n <= LOGOUT_RECORDS_MAX && is_key(p, "enter") &&
        (p->resp_n != q->resp_n || p->resp_bytes != q->resp_bytes) && ends_session(x, to, q))
        q->k = "char";
}

static int cmp_double(const void *a, const void *b)
{
    double d = *(const double *)a - *(const double *)b;
    return (d > 0) - (d < 0);
}

/* The median gap between the keys of the line before key i (since the
 * last Enter, the last PACE_KEYS of them); 0 with fewer than two. */
static double line_pace(const ctx *x, const key *k, size_t i)
{
    enum { PACE_KEYS = 32 };
    double g[PACE_KEYS];
    size_t n = 0;
    for (size_t j = i; j-- > 1 && n < PACE_KEYS && !is_key(&k[j], "enter") && !is_key(&k[j - 1], "enter");)
        g[n++] = x->v[k[j].at].t - x->v[k[j - 1].at].t;
    if (n == 0)
        return 0;
    qsort(g, n, sizeof g[0], cmp_double);
    return g[n / 2];
}

/* The key after k[i] follows at typing pace: within INSERT_NEXT_S and,
 * when the line has a pace, within PACE_SLACK times it. */
static bool typing_on(const ctx *x, const key *k, size_t nk, size_t i)
{
    if (i + 1 >= nk)
        return false;
    double soon = key_at(x, &k[i + 1]) - key_at(x, &k[i]), pace = line_pace(x, k, i);
    return soon < INSERT_NEXT_S && (pace <= 0 || soon < PACE_SLACK * pace);
}

/* A key read as Enter whose answer is one record (a redraw of the line
 * when typing goes on regardless: redraw_keys). */
static bool one_record(const key *q)
{
    return is_key(q, "enter") && q->resp_n == 1;
}

/* A key answered by one record other than its echo: a redraw. */
static bool redrawn(const ctx *x, const keysz *z, const key *q)
{
    return q->resp_n == 1 && x->v[q->resp_first].len != z->we;
}

/* Line-editor keys read as Enter by their answer, one redraw record:
 * readline's Ctrl-R and each key of its search, Ctrl-U killing the line,
 * a completion listing. After an Enter a person reads the new prompt
 * (lab: every labelled Enter is followed by 0.43 s or more) or types the
 * next command ahead, whose keys are echoed; so the key is a char when
 * - the next key, a character at typing pace (typing_on), is answered by
 *   a redraw too (a search typed key by key; an arrow after an Enter
 *   recalls a line, a redraw too);
 * - the key before it was such a key and the next one, read as Enter,
 *   follows within SCREEN_KEY_S (the search's last key, then the Enter
 *   accepting it; a typed command's first key would be echoed);
 * - its answer has the size of the line's characters erased (KILL_ERASE:
 *   one "\b" each and "\x1b[K"; TTY_ERASE: "\b \b" each, the terminal's
 *   own kill without a line editor) and the next key follows at
 *   typing pace (typing_on) and within KILL_NEXT_MAX_S: Ctrl-U, then
 *   the line typed anew.
 * True when such a kill had the terminal's size and not readline's: the
 * terminal edits the leg's lines, no line editor completes words there. */
static bool redraw_keys(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk)
{
    bool prev = false; /* the key before was re-read here */
    bool tty_kill = false;
    for (size_t i = 0; i + 1 < nk; i++) {
        bool was = prev;
        prev = false;
        if (!one_record(&k[i]))
            continue;
        double next = key_at(x, &k[i + 1]), soon = next - key_at(x, &k[i]);
        uint32_t n = (uint32_t)line_chars(k, i), f = x->v[k[i].resp_first].len;
        bool rl = f == sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(n + KILL_ERASE));
        bool tty = n > 0 && f == sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(n * TTY_ERASE));
        bool on = typing_on(x, k, nk, i);
        /* ends a line of characters echoed one by one with an answer of a
         * prompt line's size, and the next key comes at a person's pace
         * after a prompt (HUMAN_MIN_S): the line's Enter (output and
         * prompt in one record; lab editkeys_s4000 frame 116, `pwd`, then
         * Ctrl-R 0.49 s later, within INSERT_NEXT_S). Keys typed on at the
         * line's pace keep the rules below (joy kali-normal-ssh.pcap:
         * keys 30 ms apart answered by redraws once the line wraps). */
        bool ends_line = i > 0 && is_key(&k[i - 1], "char") && k[i - 1].resp_n == 1 &&
                         x->v[k[i - 1].resp_first].len == z->we && f >= z->wenter && soon >= HUMAN_MIN_S;
        bool kill = (rl || tty) && on && soon < KILL_NEXT_MAX_S;
        prev = (redrawn(x, z, &k[i + 1]) && !is_key(&k[i + 1], "arrow") && on && !ends_line) ||
               (was && is_key(&k[i + 1], "enter") && soon < SCREEN_KEY_S) || kill;
        tty_kill |= tty && !rl && kill;
        if (prev)
            k[i].k = "char";
    }
    return tty_kill;
}

/* The key after k[i] follows within WORD_KILL_PACE times the line's median
 * gap: typing on, no prompt read (a slow typist's word typed on after
 * Ctrl-W 0.31-0.34 s later, as fast as the line's keys). */
static bool kill_at_pace(const ctx *x, const key *k, size_t i)
{
    return key_at(x, &k[i + 1]) - key_at(x, &k[i]) <= WORD_KILL_PACE * line_pace(x, k, i);
}

/* A word killed at the line's end (readline's Ctrl-W or Alt-Backspace:
 * a "\b" per character erased and "\x1b[K"; on a leg whose terminal
 * edits its lines, dash, "\b \b" each) is answered by one record larger
 * than a Backspace echo and no larger than the whole line's kill, and the
 * next word is typed on at once, its first character echoed alone (lab
 * editkeys_long: Ctrl-W of 14 characters and Alt-Backspace of 9, 52
 * bytes under chacha20 where a Backspace echo is 44, read as Enter). An
 * Enter answered by one record that small (a short prompt after a command
 * printing nothing) is followed by the next command after the person read
 * the prompt (HUMAN_MIN_S), unless the record is smaller than any prompt
 * line (P_ENTER_MIN), or on a leg whose terminal edits its lines
 * (tty_edit: dash), where an Enter's CR LF is the terminal's own echo, sent
 * when the key arrives and read by sshd before the shell answers: such an
 * Enter's answer starts with that echo alone (lab dash legs: 23 of 24
 * labelled Enters, the 24th a fast typist's, typing_on no more), so one
 * record there is a kill however long the typist took to type on (lab
 * wordkill_dash at +10100 frame 168: Ctrl-W answered by 100 bytes under
 * chacha, the next key 0.31 s later, 1.6 times the line's pace), if
 * the next key comes within KILL_NEXT_MAX_S as after every kill: an
 * Enter's echo may still leave with a fast command's output and prompt
 * (lab sweep +10300 wordkill_dash frame 187: `echo hello world`
 * answered by one 68-byte record, the next command 0.49 s later). A kill
 * of a Backspace echo's size stays Backspace. */
static void word_kill_keys(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk, bool tty_edit)
{
    for (size_t i = 0; i + 1 < nk; i++) {
        if (!one_record(&k[i]))
            continue;
        uint32_t n = (uint32_t)line_chars(k, i), f = x->v[k[i].resp_first].len;
        uint32_t most = tty_edit ? n * TTY_ERASE : n + KILL_ERASE;
        const key *nx = &k[i + 1];
        bool echoed = is_key(nx, "char") && nx->resp_n == 1 && x->v[nx->resp_first].len == z->we;
        double gap = key_at(x, nx) - key_at(x, &k[i]);
        bool soon = gap < HUMAN_MIN_S || kill_at_pace(x, k, i);
        if (f > z->wbs && f <= sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(most)) && echoed &&
            typing_on(x, k, nk, i) && (f < z->wenter || soon || (tty_edit && gap < KILL_NEXT_MAX_S)))
            k[i].k = "char";
    }
}

/* Index in k[] of the second key of the line starting at k[i] (after an
 * Enter), when its first key is a char; SIZE_MAX otherwise. */
static size_t second_key(const key *k, size_t nk, size_t i)
{
    if (i + 1 >= nk || !is_key(&k[i], "char") || is_key(&k[i + 1], "enter"))
        return SIZE_MAX;
    return i + 1;
}

/* Key i starts a line: the first key, or the one after an Enter (or a
 * key that may be one: "enter?", decided by the next key's pace later). */
static bool line_start(const key *k, size_t i)
{
    return i == 0 || strncmp(k[i - 1].k, "enter", 5) == 0;
}

/* A line editor redrawing the line's first character with the second key
 * (zsh: "\b" and both characters) answers that key with a Backspace echo's
 * size on most lines (REDRAW2_LINES_MIN); where it does, the second key
 * of a line read so is a char. */
static void second_key_redraws(key *k, size_t nk)
{
    size_t lines = 0, redraws = 0;
    for (size_t i = 0; i < nk; i++) {
        if (!line_start(k, i))
            continue;
        size_t j = second_key(k, nk, i);
        if (j == SIZE_MAX)
            continue;
        lines++;
        redraws += is_key(&k[j], "backspace?");
    }
    if (redraws < REDRAW2_LINES_MIN || 2 * redraws < lines)
        return;
    for (size_t i = 0; i < nk; i++) {
        size_t j = line_start(k, i) ? second_key(k, nk, i) : SIZE_MAX;
        if (j != SIZE_MAX && is_key(&k[j], "backspace?"))
            k[j].k = "char";
    }
}

/* Key q may be a completion answered by one record: read as Enter, or
 * compressed as "enter?" by a record larger than the leg's learned echo
 * (wez): deflate shrinks a repeated one-character echo, not a word's new
 * characters, so a completion's record is larger than the echo yet may be
 * no larger than the plain echo (lab dropbear_client_aes128ctr-sha256_s11600
 * frame 77: `cd Doc` and Tab answered by 64 bytes where the echo is 48 and
 * the plain echo 64, the Enter 0.53 s later, read as an Enter). */
static bool one_record_completion(const ctx *x, const keysz *z, const key *q)
{
    return one_record(q) ||
           (z->comp && is_key(q, "enter?") && q->resp_n == 1 && x->v[q->resp_first].len > z->wez);
}

/* A completion answered by one record of a prompt line's size (zsh's
 * completed word with its escapes) reads as Enter; the line's Enter
 * follows it within COMPLETE_ENTER_S, on a line with a word typed
 * (TAB_WORD_MIN characters): a Tab. That Enter runs the line: its answer
 * is the output and a prompt, two records or more (a key redrawn by one,
 * readline's Ctrl-R, starts no command), or one larger than any redraw of
 * the line (beyond_redraw: `cd`'s Enter answered by its prompt alone, 268
 * bytes, lab zsh_session_s1000 / _s2000) after a character answered by its
 * lone echo and larger than the completion's record (a search's keys are
 * answered by redraws, the Enter accepting it by one record too; a
 * command's Enter answered by one record, then Ctrl-R's smaller redraw:
 * lab editkeys_s4000). Compressed, the key so answered did not run the
 * line either, but an arrow's cursor move has a character's echo size
 * there, so a character inserted after Left (its redraw of the rest of
 * the line) has a completion's record and place (lab DB_CMDS: `echo
 * helo`, Left, `l` and Enter 0.38-0.46 s later, 64 bytes as `cd Doc`'s
 * Tab): a char, the Tab not told from it, as Backspace and the arrows are
 * not there (tests/lab/score compressed_leg). */
static void completion_keys(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk)
{
    for (size_t i = 0; i + 1 < nk; i++)
        if (one_record_completion(x, z, &k[i]) && is_key(&k[i + 1], "enter") &&
            (k[i + 1].resp_n >= ENTER_RECORDS_MIN ||
             (i > 0 && k[i - 1].resp_n == 1 && x->v[k[i - 1].resp_first].len == z->we &&
              x->v[k[i + 1].resp_first].len > x->v[k[i].resp_first].len &&
              beyond_redraw(L, k, i + 1, x->v[k[i + 1].resp_first].len))) &&
            line_chars(k, i) >= TAB_WORD_MIN &&
            key_at(x, &k[i + 1]) - key_at(x, &k[i]) < COMPLETE_ENTER_S)
            k[i].k = is_key(&k[i], "enter?") ? "char" : "tab";
}

/* The leg's line editor redraws the line at every key (REDRAW_ECHO_SHARE):
 * keys are answered by redraws of their line, seldom by a lone echo. The
 * echo is the leg's learned one (wez): compressed, deflate shrinks it
 * below the plain size, and counted at the plain size no key of the leg
 * was echoed, so a shell read as fish (lab sweep +10300
 * dropbear_client_aes128ctr-sha256 frame 126: `echo hello`'s Enter,
 * answered by 48 + 64 + 48 where the echo is 48, read as a redraw). */
static bool redraws_every_key(const ctx *x, const keysz *z, const key *k, size_t nk)
{
    size_t answered = 0, echoed = 0;
    for (size_t i = 0; i < nk; i++) {
        answered += k[i].resp_n > 0;
        echoed += k[i].resp_n == 1 && x->v[k[i].resp_first].len == z->wez;
    }
    return answered >= REDRAW_KEYS_MIN && echoed * REDRAW_ECHO_SHARE < answered;
}

/* The median gap between the leg's keys (0 with fewer than two): the
 * typist's pace where the keys' classes are not known yet. */
static double leg_pace(const ctx *x, const key *k, size_t nk)
{
    double *g = sd_calloc(nk + 1, sizeof *g);
    size_t n = 0;
    for (size_t i = 1; i < nk; i++)
        g[n++] = key_at(x, &k[i]) - key_at(x, &k[i - 1]);
    qsort(g, n, sizeof g[0], cmp_double);
    double m = n ? g[n / 2] : 0;
    free(g);
    return m;
}

/* Under a line editor redrawing every key (fish), a character's answer
 * (the line redrawn, one to a few records) reads as Enter. An Enter's
 * answer holds the output and a new prompt, and people read it before
 * typing on: the keys read as Enter and followed by a pause of
 * ENTER_PAUSE_S or more (a line's last character is followed by its Enter
 * sooner) set the least an Enter's answer holds here; a key read as Enter
 * with a smaller answer, followed by another key within INSERT_NEXT_S (at
 * typing pace) or by an Enter of such an answer within ENTER_PAUSE_S (the
 * line's last character), is a char. No such pause, no rule. An answer is
 * measured by its largest record: a redraw's records are each at most a
 * line, where the new prompt (fish's title, mode and prompt escapes) or
 * the output comes as one record larger than any redraw's; the total of a
 * redraw split in three records can exceed an Enter's whose output is
 * short (lab fish_session frame 180: 68+228+84 bytes, the least Enter
 * followed by a pause 92+180+44+100: by total a char; the chars' largest
 * record is 132, the Enters' 180 or more). */
static void redraw_editor_keys(const ctx *x, key *k, size_t nk)
{
    uint64_t least = UINT64_MAX;
    for (size_t i = 0; i + 1 < nk; i++)
        if (is_key(&k[i], "enter") && key_at(x, &k[i + 1]) - key_at(x, &k[i]) >= ENTER_PAUSE_S)
            least = k[i].resp_max < least ? k[i].resp_max : least;
    if (least == UINT64_MAX)
        return;
    double pace = leg_pace(x, k, nk);
    for (size_t i = 0; i + 1 < nk; i++) {
        double next = key_at(x, &k[i + 1]) - key_at(x, &k[i]);
        bool line_end = is_key(&k[i + 1], "enter") && k[i + 1].resp_max >= least && next < ENTER_PAUSE_S;
        bool on = next < INSERT_NEXT_S || next < PACE_SLACK * pace;
        if (is_key(&k[i], "enter") && k[i].resp_max < least && (on || line_end))
            k[i].k = "char";
    }
}

/* A command with a terminal (ssh -t host vim, less, top) has no shell
 * line to end: a key read as Enter by its answer (a redraw, a page, the
 * screen restored as the program quits) is the program's key, unless it
 * ends a line the program echoed (vim's :wq, less's /search): the key
 * before it was answered by its echo alone. */
static void tty_command_keys(const ctx *x, const keysz *z, key *k, size_t nk)
{
    for (size_t i = 0; i < nk; i++) {
        const key *p = i ? &k[i - 1] : NULL;
        bool after_echo = p && p->resp_n == 1 && x->v[p->resp_first].len == z->we;
        if (is_key(&k[i], "enter") && !after_echo)
            k[i].k = "char";
    }
}

/* A key at an empty line (right after an Enter) read as Enter by one
 * answer record: Ctrl-L redrawing the prompt on a cleared screen
 * ("\x1b[H\x1b[2J" and the prompt) or a bare Enter ("\r\n" and the
 * prompt, one record when the shell writes it before sshd reads). They
 * differ by 5 bytes, one cipher block or none depending on the prompt's
 * length, which the wire does not give (docs/events.md keystroke). A bare
 * Enter runs no command, so the key is read as a char: a command's Enter
 * is never invented (EMPTY_LINE_RECORDS). */
static void empty_line_keys(key *k, size_t nk)
{
    bool prev = nk > 0 && is_key(&k[0], "enter"); /* key i - 1 read as Enter before this pass */
    for (size_t i = 1; i < nk; i++) {
        bool was = is_key(&k[i], "enter");
        if (was && prev && k[i].resp_n <= EMPTY_LINE_RECORDS)
            k[i].k = "char";
        prev = was;
    }
}

/* Key i, "enter?" while editing inside a line (not compressed: there a
 * short redraw at the line's end is "enter?" too), is followed by a
 * character answered by its echo alone: typed at a line's end. A key
 * typed inside the line is answered by a redraw of the rest of it, and
 * an insert or a Backspace there leaves the cursor inside; only a cursor
 * move (an arrow) or a new line puts it at the end. Key i's answer is
 * also larger than every answer before it on the line (the insert's
 * redraw): Ctrl-E, which moves to the end, is answered by the rest of
 * the line, less than an insert there redrew. So key i ran the line
 * (lab fresh runs at +9400: interactive_aes128ctr-sha256etm frame 144,
 * reverse_keys frame 153, `echo hello` edited with Left, its Enter
 * answered by one record a block larger than the insert's redraw and the
 * next command's first key, echoed alone, 0.46-0.50 s later: within
 * INSERT_NEXT_S, read as an insert). */
static bool ran_line(const ctx *x, const keysz *z, const key *k, size_t nk, size_t i)
{
    const key *n = i + 1 < nk ? &k[i + 1] : NULL;
    if (z->comp || !n || !is_key(n, "char") || n->resp_n != 1 || x->v[n->resp_first].len != z->we)
        return false;
    for (size_t j = i; j-- > 0 && strcmp(k[j].k, "enter") != 0;)
        if (k[j].resp_max >= k[i].resp_max)
            return false;
    return true;
}

/* The key after k[i] comes past ENTER_PAUSE_S and past PACE_SLACK times
 * the line's pace: a person reading an answer, not a slow typist going
 * on (lab bash_peck, 0.4-1.2 s between keys: at seed +9600 frame 71 a
 * Backspace followed by the next key 0.97 s later, at 1.4 times the
 * line's pace, read as an Enter and the Backspace after it as a char). */
static bool paused_past_pace(const ctx *x, const key *k, size_t i)
{
    double gap = key_at(x, &k[i + 1]) - key_at(x, &k[i]);
    return gap > ENTER_PAUSE_S && gap >= PACE_SLACK * line_pace(x, k, i);
}

/* The ambiguous keys, decided by what follows them; completes: the leg
 * may have a line editor that completes words (not where the terminal's
 * own kill was seen: redraw_keys). */
static void resolve_keys(const ctx *x, const keysz *z, key *k, size_t nk, bool completes)
{
    /* while editing, a redraw followed at once by another key was an
     * inserted character; after an Enter people read the output first */
    for (size_t i = 0; i < nk; i++)
        if (!strcmp(k[i].k, "enter?"))
            k[i].k = typing_on(x, k, nk, i) && !ran_line(x, z, k, nk, i) ? "char" : "enter";
    /* a short command output can also have the Backspace echo's size:
     * after an Enter people read and think, after a Backspace they retype.
     * Right after an Enter the line is empty and a Backspace erases
     * nothing (readline rings the bell, one byte; the terminal's own erase
     * sends nothing): that answer is the output of a line too (a REPL's
     * empty line ending a block, its output and "\r\n>>> " in one record:
     * lab python_repl_aes128gcm frame 194, 0.85 s before the next key),
     * left to empty_line_keys as every answer at an empty line is */
    for (size_t i = 0; i < nk; i++)
        if (!strcmp(k[i].k, "backspace?") &&
            (i + 1 == nk || paused_past_pace(x, k, i) || (i > 0 && is_key(&k[i - 1], "enter"))) &&
            !erasing_run(x, k, i))
            k[i].k = "enter";
    /* a Backspace echo and a short Tab completion have the same size: a key
     * followed by Enter completed the word (Tab), where a line editor
     * completes (without one, dash, Tab is a character the terminal echoes) */
    for (size_t i = 0; i < nk; i++) {
        if (strcmp(k[i].k, "backspace?") != 0)
            continue;
        k[i].k = "backspace";
        if (!completes || i + 1 >= nk || strcmp(k[i + 1].k, "enter") != 0)
            continue;
        /* completing the last word of a line typed without corrections */
        size_t chars = 0;
        bool bs = false;
        for (size_t j = i; j-- > 0 && strcmp(k[j].k, "enter") != 0;) {
            chars += strcmp(k[j].k, "char") == 0;
            bs |= strncmp(k[j].k, "backspace", 9) == 0;
        }
        if (chars >= TAB_WORD_MIN && !bs)
            k[i].k = "tab";
    }
    /* compressed: a completion and a prompt can both be a few bytes; a
     * completion is followed by Enter and completes a word on the line */
    for (size_t i = nk; i-- > 0;) /* from the end: the next key is decided first */
        if (!strcmp(k[i].k, "tab?"))
            k[i].k = i + 1 < nk && !strcmp(k[i + 1].k, "enter") && line_chars(k, i) >= TAB_WORD_MIN ? "tab" : "enter";
}

/* The most data bytes a CHANNEL_DATA record of len wire bytes sent by the
 * leg's client (cl) or server holds, from 2 to PASTE_MAX. */
static int64_t data_bytes_of(const leg *L, bool cl, uint32_t len)
{
    return data_fit(L, cl, len, 3, PASTE_MAX);
}

static int64_t data_bytes(const leg *L, uint32_t len)
{
    return data_bytes_of(L, true, len);
}

/* The command_output event of the answer to an Enter. */
static void output_event(ctx *x, const leg *L, const key *q)
{
    item *a = &x->v[q->resp_first], *b = &x->v[q->resp_last];
    sd_event *o = sdi_ev(x, "command_output", a, b, L->id);
    o->dir = a->c ? 0 : 1;
    o->confidence = CONF_COMMAND_OUTPUT;
    /* payload estimate: each record less one packet's framing */
    uint32_t w0 = sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA(0));
    uint64_t fr = w0 > SD_SSH_P_CHANNEL_DATA(0) ? w0 - SD_SSH_P_CHANNEL_DATA(0) : 0;
    uint64_t by = q->resp_bytes > fr * q->resp_n ? q->resp_bytes - fr * q->resp_n : 0;
    sd_ev_int(o, "bytes", (int64_t)by);
    sd_ev_int(o, "records", q->resp_n);
}

/* The password_typed event of the n unanswered keys before the Enter k[i]. */
static void password_event(ctx *x, const leg *L, const key *k, size_t i, size_t n)
{
    item *a = &x->v[k[i - n].at], *b = &x->v[k[i].at];
    sd_event *e = sdi_ev(x, "password_typed", a, b, L->id);
    e->dir = a->c ? 0 : 1;
    e->confidence = CONF_PASSWORD_TYPED;
    sd_ev_int(e, "length", (int64_t)n);
    sd_ev_num(e, "enter_ts", b->t);
    snprintf(e->note, sizeof e->note,
             "%zu keys typed with no echo, then Enter answered by output: a password typed inside the session",
             n);
}

/* The keystroke events (and command_output after each Enter, and a
 * password_typed before an Enter that ends INLINE_PW_MIN unanswered keys). */
static void emit_keys(ctx *x, const leg *L, const key *k, size_t nk)
{
    double prev = -1;
    size_t silent = 0; /* unanswered keys in a row before k[i] */
    for (size_t i = 0; i < nk; i++) {
        if (is_key(&k[i], "enter") && k[i].resp_n && silent >= INLINE_PW_MIN)
            password_event(x, L, k, i, silent);
        silent = is_key(&k[i], "char") && !k[i].resp_n ? silent + 1 : 0;
        item *it = &x->v[k[i].at];
        for (uint32_t m = 0; m <= k[i].merged; m++) {
            sd_event *e = sdi_ev(x, "keystroke", it, k[i].resp_first != SIZE_MAX ? &x->v[k[i].resp_first] : it, L->id);
            e->dir = it->c ? 0 : 1;
            e->confidence = CONF_KEYSTROKE;
            sd_ev_str(e, "key", k[i].k);
            if (!strcmp(k[i].k, "paste"))
                sd_ev_int(e, "bytes", data_bytes(L, it->len));
            else
                sd_ev_int(e, "bytes", strcmp(k[i].k, "arrow") == 0 ? 3 : 1);
            if (prev >= 0)
                sd_ev_num(e, "latency_ms", (it->t - prev) * 1000.0);
            prev = it->t;
            if (k[i].merged)
                snprintf(e->note, sizeof e->note,
                         "one of %u characters sent in one record (a client behind the typing), echoed as one",
                         k[i].merged + 1);
        }
        if (strcmp(k[i].k, "enter") == 0 && k[i].resp_n)
            output_event(x, L, &k[i]);
    }
}

/* How the first record answering the client record of q (a line) reads:
 * ECHO_ALONE when it has the size of the line's echo (as many bytes as the
 * record can hold, give or take its CR: echoed as CR LF, or not yet);
 * ECHO_OUTPUT when it is longer: a fast command's output leaves in the
 * echo's write (lab scripted_pty_chacha `id`: echo and output in one
 * 92-byte record, then the prompt; scripted_pty_aes128gcm `uname -r`:
 * echo, output and prompt in one 84-byte record). A line editor
 * redrawing every key (fish) answers a key by a longer redraw. */
enum { ECHO_NONE, ECHO_ALONE, ECHO_OUTPUT };
static int echoes_line(const ctx *x, const leg *L, const key *q)
{
    uint32_t len = x->v[q->at].len, f = x->v[q->resp_first].len;
    int64_t hi = data_bytes(L, len), lo = hi;
    while (lo > 1 && sdi_lw(L, true, SD_SSH_P_CHANNEL_DATA((uint32_t)lo - 1)) == len)
        lo--;
    if (f < sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA((uint32_t)lo - 1)))
        return ECHO_NONE;
    return f <= sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA((uint32_t)hi + 1)) ? ECHO_ALONE : ECHO_OUTPUT;
}

/* The key-sized line q, at a prompt (every key before it a line), is
 * answered by one record holding its echo, its output and the next
 * prompt: larger than an Enter on an empty line is answered by (the
 * prompt the server sent last before the key, right before it, and
 * ENTER_EMPTY_EXTRA bytes: CR LF and bash's bracketed-paste end). Lab
 * paramiko_shell at seed +9000 frames 28-31: `uname -a` (64) 0.3 s after
 * the prompt (64), answered by one 144-byte record. */
static bool line_ran_in_one(const ctx *x, const leg *L, const key *q)
{
    size_t i = q->at;
    if (i == 0 || sdi_is_cl(L, &x->v[i - 1]) || q->resp_n != 1)
        return false;
    int64_t prompt = data_bytes_of(L, false, x->v[i - 1].len);
    return x->v[q->resp_first].len > sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA((uint32_t)prompt + ENTER_EMPTY_EXTRA));
}

/* Every key of the leg was a whole line sent at once (SCRIPT_LINES_MIN):
 * read as Enter (or, a line of an arrow's size, as an arrow answered by
 * ENTER_RECORDS_MIN records: an arrow recalling a line is answered by one
 * redraw) answered first by the line's echo (echoes_line), then by its
 * output and a prompt; or as a paste that ran (a paste answered by its
 * echo alone and followed by an Enter waited for a person's Enter; a
 * paste's echo alone is no larger than the paste: one grown by the CR's
 * LF and more held the output, lab paramiko_shell seed +5000, `cat
 * /etc/hostname` of 80 answered by one 96-byte record). The
 * echo may carry a fast command's output, and with the prompt all of it
 * may be one record longer than the echo: an arrow-sized line answered so
 * is a line when the next key is another arrow-sized line (a recalled
 * line is run by an Enter, a key's size). The echo alone answers one line
 * at least, the last aside (the echo is what shows a line: a redraw of a
 * key is longer; a full-screen program's arrows may be answered by a
 * redraw in several records), or the last key is an arrow-sized line
 * answered by ENTER_RECORDS_MIN records that ended the session
 * (ends_session: `exit` and the logout; no arrow logs out. Lab
 * scripted_pty_chacha at seed +9400: every echo left with its output,
 * `id` 92 + 52, `uname -r` one 76-byte record, `exit` 52, 36, 140 and the
 * close 8 ms later).
 * Bare Enters pressed in a row are each answered by the same CR
 * LF and prompt: the Enters' answers differ, the last key's aside (the
 * line or Ctrl-D ending the session is answered by the logout too, in the
 * echo's record or after it; it may read as a char, answered by its echo
 * as the session ends). */
static bool lines_only(const ctx *x, const leg *L, size_t to, const key *k, size_t nk)
{
    bool differ = false;
    bool alone = false;      /* a line before the last answered first by its echo alone */
    const key *first = NULL; /* the first Enter */
    for (size_t i = 0; i < nk; i++) {
        const key *q = &k[i];
        bool last = i + 1 == nk;
        if (is_key(q, "paste") && !last && is_key(&k[i + 1], "enter") && q->resp_n == 1 &&
            x->v[q->resp_first].len <= sdi_lw(L, false, SD_SSH_P_CHANNEL_DATA((uint32_t)data_bytes(L, x->v[q->at].len))))
            return false;
        if (is_key(q, "paste") || (last && is_key(q, "char") && q->resp_n))
            continue;
        int echo = q->resp_n ? echoes_line(x, L, q) : ECHO_NONE;
        bool one = q->resp_n < ENTER_RECORDS_MIN; /* the whole answer in one record */
        bool line = is_key(q, "enter") ||
                    (is_key(q, "arrow") && (!one || (echo == ECHO_OUTPUT && !last && is_key(&k[i + 1], "arrow"))));
        if (!line || echo == ECHO_NONE ||
            (echo == ECHO_OUTPUT && one && !is_key(q, "arrow") && !line_ran_in_one(x, L, q)))
            return false;
        alone |= !last && echo == ECHO_ALONE; /* the last one's may hold the logout */
        if (!first)
            first = q;
        differ |= !last && (q->resp_n != first->resp_n || q->resp_bytes != first->resp_bytes);
    }
    const key *q = nk ? &k[nk - 1] : NULL;
    bool logout = q && is_key(q, "arrow") && q->resp_n >= ENTER_RECORDS_MIN && ends_session(x, to, q);
    return nk >= SCRIPT_LINES_MIN && (differ || !first) && (alone || logout || !first);
}

/* Key i follows an arrow that moved the cursor inside the line: answered
 * by one record of a one-character answer's size, either way (a "\b" or
 * the character passed over). */
static bool after_move(const ctx *x, const keysz *z, const key *k, size_t i)
{
    const key *a = &k[i - (i > 0)];
    uint32_t g = a->resp_n == 1 ? x->v[a->resp_first].len : 0;
    return i > 0 && is_key(a, "arrow") && (g == z->we || g == z->we_p) && line_chars(k, i - 1) > 0;
}

/* A tunnelled leg over a compressed connection (sd_infer_zlib.h): a key
 * sent cold at the plain size has the offset arrow's (read_key), and a
 * Left or Right arrow inside a line is answered, as a character at its
 * end, by one record of an echo's size (a "\b", the character passed
 * over). After such an arrow the cursor is inside the line: a character
 * typed next is redrawn with the rest of the line (larger than an echo).
 * A next key answered by a lone echo (typed at the line's end), or the
 * Enter running the line (ENTER_RECORDS_MIN records), says the cursor
 * did not move: the record was a character (lab compress_reverse at seed
 * +3100 frame 189 and at +4000 frame 128, 76 answered by 68, where the
 * leg's keys are 68; every arrow of the lab's tunnels moving the cursor
 * is followed by an inserted character's redraw). The answer may keep
 * the plain one-character size too (76: the plain echo, or the offset
 * Backspace echo: offset_backspaces reads which; lab compress_reverse_2
 * at seed +8305 frame 112, a Backspace) when a lone echo follows, unless
 * an arrow that moved the cursor came before: then the lone echo says
 * this one moved it back (Right, answered by the character passed over
 * at the plain size). Not with the Enter next: Up recalling a short line
 * has that answer at the offset size (compress_reverse at +8308 frame
 * 130, after an Enter read as a character).
 * After such an arrow, a key answered by a short redraw larger than the
 * offset one-character answer with the line's Enter next is the
 * character inserted there: moving the cursor and running the line
 * unchanged edits nothing (fresh compress_reverse at seed +8000 frames
 * 169-175: Left at 76 answered by 68, then `l` at the plain 76 answered
 * by its redraw "lo\b" at the offset 76, then the Enter; `l` read as an
 * arrow). */
static void cold_keys(const ctx *x, const keysz *z, key *k, size_t nk)
{
    uint32_t most = z->we_p > z->wbs_p ? z->we_p : z->wbs_p; /* a short redraw, either size */
    most = z->wbs2_p > most ? z->wbs2_p : most;
    for (size_t i = 0; i + 1 < nk; i++) {
        const key *n = &k[i + 1];
        bool lone = n->resp_n == 1 && x->v[n->resp_first].len == z->we;
        bool at_end = n->resp_n >= ENTER_RECORDS_MIN || lone;
        if (!is_key(&k[i], "arrow") || x->v[k[i].at].len != z->wk_p || k[i].resp_n != 1 || line_chars(k, i) == 0)
            continue;
        uint32_t f = x->v[k[i].resp_first].len;
        bool moved = after_move(x, z, k, i);
        if ((f == z->we && at_end) || (f == z->we_p && !moved && lone))
            k[i].k = "char";
        else if (f > z->we && f <= most && moved && strncmp(n->k, "enter", 5) == 0) /* "enter?" too */
            k[i].k = "char";
    }
}

/* A tunnelled leg over a compressed connection where the offset
 * Backspace echo has the plain echo's size (chacha20 in chacha20: 76,
 * class_either_size reads it as a char). Past the leg's first key an echo
 * seldom keeps the plain size, a Backspace's echo often leaves at the
 * offset one (lab compress_reverse, seven runs: 2 of some 130 characters'
 * echoes at 76, 4 of 7 Backspaces'): one such answer to a key at a
 * line's end (no arrow since the line began) with a character to erase
 * is a Backspace ("backspace?", resolve_keys), unless the next key is
 * answered by the plain Backspace echo, which an earlier Backspace echo
 * at the offset size would have made unlikely (compress_reverse seed
 * +2000 frames 105 and 108: a char's echo at 76, then the Backspace's at
 * 84), or the key before was a Backspace (compress_reverse's first run:
 * the character typed after it echoed at 76; test_infer_fwd's records). */
static void offset_backspaces(const ctx *x, const keysz *z, key *k, size_t nk)
{
    for (size_t i = 1; i < nk; i++) {
        uint32_t f = k[i].resp_n == 1 ? x->v[k[i].resp_first].len : 0;
        if (!is_key(&k[i], "char") || !f || f != z->we_p || f == z->we || (f != z->wbs && f != z->wbs2) ||
            line_chars(k, i) == 0 || editing(x, z, k, i) || is_key(&k[i - 1], "arrow") ||
            !strncmp(k[i - 1].k, "backspace", 9))
            continue;
        uint32_t g = i + 1 < nk && k[i + 1].resp_n ? x->v[k[i + 1].resp_first].len : 0;
        if (g && (g == z->wbs_p || g == z->wbs2_p))
            continue;
        k[i].k = "backspace?";
    }
}

/* Key i answered by one record of a Backspace echo's size right after an
 * arrow that recalled a line (answered by one record larger than an
 * echo: the line; a cursor move is answered by "\b", an echo's size). */
static bool after_recall(const ctx *x, const keysz *z, const key *k, size_t i)
{
    const key *q = &k[i], *a = i ? &k[i - 1] : NULL;
    if (!a || !is_key(a, "arrow") || a->resp_n != 1 || x->v[a->resp_first].len <= z->we || q->resp_n != 1)
        return false;
    uint32_t f = x->v[q->resp_first].len;
    return is_key(q, "char") && (f == z->wbs || f == z->wbs2);
}

/* Key i, answered by one record of a Backspace echo's size (not one of
 * a run of Backspaces), is followed by a pause (paused_past_pace) before
 * a key not read as Enter: resolve_keys reads it as an Enter. */
static bool paused_short_answer(const ctx *x, const key *k, size_t nk, size_t i)
{
    return is_key(&k[i], "backspace?") && !erasing_run(x, k, i) && i + 1 < nk &&
           strncmp(k[i + 1].k, "enter", 5) != 0 && paused_past_pace(x, k, i);
}

/* A program whose prompt is as short as a Backspace echo (python3's
 * ">>> " and "... ", sqlite's "sqlite> ") answers a statement's Enter
 * without output with one record of that size ("\r\n>>> ", lab
 * python_repl: 44 chacha, 52 aes128gcm), as it does a recalled line's
 * Enter after Up. Where the leg shows such an Enter by the pause after it
 * (paused_short_answer), its other answers of that size are told by the
 * pace: people read the new prompt before typing on, and retype at the
 * line's pace after a Backspace; past typing pace (typing_on:
 * INSERT_NEXT_S, PACE_SLACK times the line's pace) the key is an Enter
 * (lab python_repl frames 84 and 219; at seed +9100 the next key came
 * 0.52-0.77 s after such Enters, within ENTER_PAUSE_S, at 2-3 times the
 * line's pace). A Backspace-sized answer followed by a key read as Enter
 * is left to the Tab rule (resolve_keys: a completed word, then its
 * Enter). On such a leg a Backspace followed by a pause reads as
 * an Enter (docs/known-issues.md). */
static bool short_prompt_keys(const ctx *x, const keysz *z, key *k, size_t nk)
{
    bool repl = false;
    for (size_t i = 0; i < nk && !repl; i++)
        repl = paused_short_answer(x, k, nk, i);
    for (size_t i = 0; repl && i + 1 < nk; i++) {
        bool bs = is_key(&k[i], "backspace?") && !erasing_run(x, k, i) && strncmp(k[i + 1].k, "enter", 5) != 0;
        if ((bs || after_recall(x, z, k, i)) && !typing_on(x, k, nk, i))
            k[i].k = "enter";
    }
    return repl;
}

/* On such a leg (repl), a key at the REPL's empty prompt (the key before,
 * an Enter, answered by one record of a Backspace echo's size: the
 * prompt alone) answered by the echo's size, then more (the program's
 * own newline as it leaves, then the shell's prompt: lab python_repl
 * Ctrl-D, 36 then 52 chacha) is the key that left the program, a char:
 * the REPL answers a bare Enter with its prompt in one record. */
static void repl_exit_keys(const ctx *x, const keysz *z, key *k, size_t nk, bool repl)
{
    for (size_t i = 1; repl && i < nk; i++) {
        const key *p = &k[i - 1], *q = &k[i];
        uint32_t pf = p->resp_n == 1 ? x->v[p->resp_first].len : 0;
        if (is_key(p, "enter") && (pf == z->wbs || pf == z->wbs2) && is_key(q, "enter") &&
            q->resp_n >= ENTER_RECORDS_MIN && x->v[q->resp_first].len == z->we)
            k[i].k = "char";
    }
}

/* Key i starts a line (the leg's first key or one after an Enter) and the
 * next key, a character, left within MERGED_CATCHUP_S of its answer: the
 * client catching up on keys typed meanwhile. An Up arrow there recalls a
 * line whose redraw may have those bytes' size too (`ls`, `pwd`), but the
 * person reads the recalled line before typing on. */
static bool catching_up(const ctx *x, const key *k, size_t i)
{
    if (i > 0 && !is_key(&k[i - 1], "enter"))
        return false;
    return x->v[k[i + 1].at].t - x->v[k[i].resp_first].t < MERGED_CATCHUP_S;
}

/* Characters a client fell behind on, sent in one record: a record of an
 * arrow's size between two characters, answered by one echo that holds
 * as many bytes as the key (the terminal echoes what it was sent; an arrow
 * inside a line is answered by a cursor move, one byte, or by a recalled
 * line's redraw, which also moves back over the typed characters and is
 * longer). A loaded client reading the terminal late sends the keys typed
 * meanwhile at once (lab sweeps at +9600..+10000: long_line frames 204
 * and 230, four keys each in 44 bytes under chacha20 after a 0.7 s
 * stall; su_inline frame 74, six; wordkill_slow frame 188, three; lab
 * bash_fast_s16600 frame 113, three 36-47 ms apart). Read as the fewest
 * characters that record holds: the rest are not seen. */
static void merged_keys(const ctx *x, const leg *L, const keysz *z, key *k, size_t nk)
{
    if (z->comp || x->zlib)
        return; /* compressed, a tunnel's too: a record's size says little of its bytes */
    uint32_t echo = sdi_lw(L, false, P_ARROW);
    for (size_t i = 0; i + 1 < nk; i++) {
        key *q = &k[i];
        uint32_t len = x->v[q->at].len;
        if (!is_key(q, "arrow") || len != z->wa || z->wa == z->wk || q->resp_n != 1 ||
            x->v[q->resp_first].len != echo || !is_key(&k[i + 1], "char") ||
            !((i > 0 && is_key(&k[i - 1], "char")) || catching_up(x, k, i)))
            continue;
        int64_t fewest = data_fit(L, true, len - 1, 0, len) + 1;
        q->k = "char";
        q->merged = fewest > 1 ? (uint32_t)(fewest - 1) : 0;
    }
}

/* Keys typed one by one, re-read by the line editor's and the
 * programs' ways of answering them. */
static void typed_keys(const ctx *x, const leg *L, const keysz *z, size_t from, size_t to, key *k, size_t nk)
{
    /* a command with a terminal (vim) has no line editor: its redraws are its own */
    bool tty_cmd = x->tty_cmd && L->id == SD_LEG_FORWARD;
    bool redraws = !tty_cmd && redraws_every_key(x, z, k, nk);
    bool *prog = sd_calloc(nk + 1, sizeof *prog); /* the program's keys (screen_keys) */
    screen_keys(x, z, k, nk, redraws, prog);
    interrupt_keys(x, L, z, from, k, nk);
    typeahead_keys(x, L, z, from, k, nk);
    multiplexer_keys(x, z, k, nk);
    /* under a line editor redrawing every key a line's characters read
     * as Enter until redraw_editor_keys: "right after an Enter" is known
     * after it there (lab fish_fast_aes128gcm frame 304, `exit`) */
    if (!redraws)
        logout_key(x, to, k, nk);
    completion_keys(x, L, z, k, nk);
    /* under a line editor redrawing every key each key is a redraw:
     * readline's search and kill shapes (a redraw, then typing on) are
     * every character's there (lab fish_fast_aes128gcm frame 57: the
     * Enter after a line's last character, 0.41 s, read as a search's
     * accepting key) */
    bool tty_edit = false; /* the terminal's own kill: no line editor (dash) */
    if (redraws) {
        redraw_editor_keys(x, k, nk);
        logout_key(x, to, k, nk);
    } else {
        tty_edit = redraw_keys(x, L, z, k, nk);
        word_kill_keys(x, L, z, k, nk, tty_edit);
    }
    second_key_redraws(k, nk);
    bool repl = short_prompt_keys(x, z, k, nk);
    resolve_keys(x, z, k, nk, !tty_edit);
    repl_exit_keys(x, z, k, nk, repl);
    empty_line_keys(k, nk);
    if (tty_cmd)
        tty_command_keys(x, z, k, nk);
    editor_run_keys(x, L, z, k, nk);
    insert_enters(x, k, nk, prog);
    free(prog);
}

/* Keys of a leg: records of the leg's client of one-character size (or an
 * arrow's three bytes), classed by the leg server's answer: the echo of
 * one character, a Backspace echo, a line and prompt (Enter). */
uint32_t sdi_keys_leg(ctx *x, const leg *L, size_t from, size_t to, bool emit)
{
    keysz z = { .wk = sdi_lw(L, true, SD_SSH_P_KEYSTROKE), .wa = sdi_lw(L, true, P_ARROW),
                .we = sdi_lw(L, false, SD_SSH_P_KEYSTROKE), .wbs = sdi_lw(L, false, P_BS_ECHO),
                .wbs2 = sdi_lw(L, false, P_BS_ECHO2), .wenter = sdi_lw(L, false, P_ENTER_MIN),
                .comp = L->compressed, .from = from };
    x->lines_only = false;
    if (!z.wk)
        return 0;
    if (L->zshift[1])
        z.wk_p = (uint32_t)((int32_t)z.wk - L->zshift[1]);
    if (L->zshift[0]) {
        z.we_p = (uint32_t)((int32_t)z.we - L->zshift[0]);
        z.wbs_p = (uint32_t)((int32_t)z.wbs - L->zshift[0]);
        z.wbs2_p = (uint32_t)((int32_t)z.wbs2 - L->zshift[0]);
    }
    z.wez = sdi_z_echo(x, L, from, to, z.wk, z.we);
    key *k = sd_calloc(to - from + 1, sizeof *k);
    uint8_t *mark = sd_calloc(to - from + 1, 1); /* MARK_CHAFF, MARK_FAT */
    mark_keepalive(x, L, from, to, z.wk, mark);
    mark_chaff(x, L, from, to, z.wk, mark, emit);
    /* the leg's server is the outer server, or (a reverse leg) the outer
     * client: its round trip from the capture, from the handshake */
    z.lag = L->cl_is_outer_client ? x->s_lag : x->c_lag;
    size_t *pair = NULL;
    if (z.lag >= KEYS_IN_FLIGHT_LAG_S) {
        pair = sd_calloc(to - from + 1, sizeof *pair);
        if (pair_in_flight(x, L, &z, from, to, mark, pair, &z.rtt_holds))
            z.pair = pair;
    }
    size_t nk = 0;
    for (size_t i = from; i < to; i++)
        if (read_key(x, L, &z, from, to, i, mark, k, nk))
            nk++;
    /* lines written at once are no person's keys: the line-editing
     * rules read keys typed one by one. A command with a terminal (less,
     * vim) has no shell line: its keys are answered by its redraws. */
    x->lines_only = !(x->tty_cmd && L->id == SD_LEG_FORWARD) && lines_only(x, L, to, k, nk);
    for (size_t i = 0; x->lines_only && i < nk; i++)
        k[i].k = "paste";
    if (z.wk_p)
        cold_keys(x, &z, k, nk);
    if (z.we_p)
        offset_backspaces(x, &z, k, nk);
    if (!x->lines_only) {
        merged_keys(x, L, &z, k, nk);
        typed_keys(x, L, &z, from, to, k, nk);
    }
    uint32_t merged = 0; /* the merged characters of keys still read as characters */
    for (size_t i = 0; i < nk; i++) {
        if (!is_key(&k[i], "char"))
            k[i].merged = 0;
        merged += k[i].merged;
    }
    if (emit)
        emit_keys(x, L, k, nk);
    free(k);
    free(mark);
    free(pair);
    return (uint32_t)nk + merged;
}

bool sdi_typed_line(const ctx *x, const leg *L, size_t i)
{
    const item *it = &x->v[i];
    return i > 0 && i + 1 < x->n && sdi_is_cl(L, it) && !sdi_is_cl(L, &x->v[i + 1]) &&
           it->len >= sdi_lw(L, true, SD_SSH_P_CHANNEL_DATA(NOTTY_LINE_MIN)) &&
           it->len <= sdi_lw(L, true, SD_SSH_P_CHANNEL_DATA(PASTE_MAX)) && it->t - x->v[i - 1].t >= HUMAN_MIN_S;
}

/* A shell without a pty has no keys on the wire: each line leaves at
 * Enter, in one record, shown as a paste of its bytes. */
uint32_t sdi_lines_leg(ctx *x, const leg *L, size_t from, bool emit)
{
    uint32_t n = 0;
    double prev = -1;
    for (size_t i = from; i < x->n; i++) {
        if (!sdi_typed_line(x, L, i))
            continue;
        n++;
        if (!emit)
            continue;
        item *it = &x->v[i];
        sd_event *e = sdi_ev(x, "keystroke", it, &x->v[i + 1], L->id);
        e->dir = it->c ? 0 : 1;
        e->confidence = CONF_KEYSTROKE;
        sd_ev_str(e, "key", "paste");
        sd_ev_int(e, "bytes", data_bytes(L, it->len));
        if (prev >= 0)
            sd_ev_num(e, "latency_ms", (it->t - prev) * 1000.0);
        prev = it->t;
        snprintf(e->note, sizeof e->note, "a line typed into a shell without a pty (sent at Enter)");
    }
    return n;
}
