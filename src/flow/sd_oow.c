/* sd_oow: data beyond the receive window (see sd_oow.h). */
#include "sd_oow.h"

#include "sd_reasm.h"

#include <stdlib.h>
#include <string.h>

/* ---- data beyond the receive window ----
 * RFC 9293 3.10.7.4: a segment beyond the receive window is not acceptable,
 * and the receiver drops it: one injected 100 KB ahead would otherwise plant
 * content in what follow and extract show. But a capture that lost packets
 * (the receiver's ACKs among them) shows honest data beyond the last ACK it
 * saw. So such a segment is held, not fed: the receiver's next ACK that
 * covers it proves it accepted it (the segment goes to reassembly then,
 * with its own frame and time), and one never ACKed when the connection
 * ends is dropped and counted. */

/* Room past the largest window the receiver advertised: window updates
 * the capture missed, probes, a shrunk window's old edge. */
#define OOW_SLACK 65536u
/* Held at most per direction, and over every flow: past it a segment is
 * dropped at once (and counted). */
#define OOW_MAX_SEGS 16u
#define OOW_MAX_BYTES_ALL ((size_t)16 << 20)

typedef struct oow_seg {
    uint32_t seq, len;
    uint8_t flags;
    uint64_t frame;
    sd_ts ts;
    uint8_t *data;
} oow_seg;

struct sd_oow {
    oow_seg s[OOW_MAX_SEGS];
    uint32_t n;
};

/* Decided only where the window is known: both handshake halves seen (the
 * scale is known) and the receiver has ACKed. */
static bool window_known(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_conn *c = &f->c;
    return p->payload_len && c->saw_syn && c->saw_synack && f->t[!dir].acked_any;
}

/* The largest window the receiver of dir offered, or its last if larger. */
static uint64_t window_of(const sd_flow *f, int dir)
{
    const sd_conn *c = &f->c;
    const sd_tcptrack *peer = &f->t[!dir];
    uint64_t win = c->d[!dir].win_seen ? c->d[!dir].win_max : 0;
    int ws = c->d[!dir].wscale;
    uint64_t last = ws > 0 ? (uint64_t)peer->last_win << ws : peer->last_win;
    return last > win ? last : win;
}

bool sd_oow_beyond(const sd_flow *f, const sd_pkt *p, int dir)
{
    /* at or before the receiver's last ACK, most segments: false however
     * the window stands, so the two loads of ahead decide alone (an unset
     * last_ack answers false below as well: the window is not known) */
    int32_t ahead = (int32_t)(p->seq - f->t[!dir].last_ack);
    if (ahead <= 0 || !window_known(f, p, dir))
        return false;
    return (uint64_t)ahead > window_of(f, dir) + OOW_SLACK;
}

/* Bytes past the window's right edge that its receiver trims (RFC 9293
 * 3.10.7.4), not yet a whole OOW_SLACK past: an attacker's tail on an
 * honest head (its bytes read first-wins ahead of the real ones re-sent),
 * or honest data after a window update the capture missed. So they are
 * doubtful (sd_reasm_segment_ex): a re-send replaces them, an ACK or the
 * end confirms them. No slack here: a doubtful byte costs nothing. */
uint32_t sd_oow_inside(const sd_flow *f, const sd_pkt *p, int dir)
{
    const sd_tcptrack *peer = &f->t[!dir];
    int64_t behind = (int64_t)(int32_t)(peer->last_ack - p->seq);
    /* within the receiver's last window unscaled (at most window_of's), as
     * nearly every segment is: all of it, whatever else is known, since
     * every other way out below answers all of it too */
    if (behind + (int64_t)peer->last_win >= (int64_t)p->payload_len)
        return p->payload_len;
    if (!window_known(f, p, dir) || (p->flags & (SD_TH_SYN | SD_TH_RST)))
        return p->payload_len;
    int64_t room = behind + (int64_t)window_of(f, dir);
    if (room >= (int64_t)p->payload_len)
        return p->payload_len;
    return room > 0 ? (uint32_t)room : 0;
}

static void oow_drop(sd_oowpool *pl, sd_flow *f, uint64_t frame)
{
    if (!f->c.oow_segments++)
        f->c.oow_first_frame = frame;
    (*pl->dropped)++;
}

void sd_oow_hold(sd_oowpool *pl, sd_flow *f, const sd_pkt *p, int dir)
{
    struct sd_oow *o = f->oow[dir];
    if (!o)
        o = f->oow[dir] = sd_calloc(1, sizeof *o);
    if (o->n == OOW_MAX_SEGS || pl->held + p->payload_len > OOW_MAX_BYTES_ALL) {
        oow_drop(pl, f, p->frame->num);
        return;
    }
    oow_seg *s = &o->s[o->n++];
    *s = (oow_seg){ p->seq, p->payload_len, p->flags, p->frame->num, p->frame->ts, sd_malloc(p->payload_len) };
    memcpy(s->data, p->payload, p->payload_len);
    pl->held += p->payload_len;
}

/* The receiver ACKed up to ack: what it covers was accepted, in order. */
void sd_oow_release(sd_oowpool *pl, sd_flow *f, int dir, uint32_t ack)
{
    struct sd_oow *o = f->oow[dir];
    uint32_t kept = 0;
    for (uint32_t i = 0; o && i < o->n; i++) {
        oow_seg *s = &o->s[i];
        if ((int32_t)(ack - s->seq) > 0 && f->reasm[dir])
            sd_reasm_segment(f->reasm[dir], s->seq, s->flags, s->data, s->len, s->frame, s->ts);
        else if ((int32_t)(ack - s->seq) <= 0) {
            o->s[kept++] = *s;
            continue;
        }
        pl->held -= s->len;
        free(s->data);
    }
    if (o)
        o->n = kept;
}

/* The connection ends: what was never ACKed is dropped and counted. */
void sd_oow_end(sd_oowpool *pl, sd_flow *f)
{
    for (int d = 0; d < 2; d++) {
        struct sd_oow *o = f->oow[d];
        for (uint32_t i = 0; o && i < o->n; i++) {
            oow_drop(pl, f, o->s[i].frame);
            pl->held -= o->s[i].len;
            free(o->s[i].data);
        }
        free(o);
        f->oow[d] = NULL;
    }
}

