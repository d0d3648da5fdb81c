/* sd_evfields: see sd_evfields.h. */
#include "sd_evfields.h"

#include <string.h>

#define EV(r) ((const sd_event *)(r))
static void g_uid(const void *r, sd_fval *v) { sd_fv_s(v, EV(r)->uid); }
static void g_stream(const void *r, sd_fval *v) { sd_fv_u(v, EV(r)->stream); }
static void g_ts(const void *r, sd_fval *v) { sd_fv_f(v, sd_ts_sec(EV(r)->ts), 6); }
static void g_frame(const void *r, sd_fval *v) { sd_fv_u(v, EV(r)->frame); }
static void g_frame_last(const void *r, sd_fval *v) { sd_fv_u(v, EV(r)->frame_last); }
static void g_leg(const void *r, sd_fval *v) { sd_fv_s(v, sd_leg_name(EV(r)->leg)); }
static void g_kind(const void *r, sd_fval *v) { sd_fv_s(v, EV(r)->kind); }
static void g_dir(const void *r, sd_fval *v)
{
    if (EV(r)->dir >= 0)
        sd_fv_s(v, EV(r)->dir == 0 ? "c2s" : "s2c");
}
static void g_confidence(const void *r, sd_fval *v)
{
    if (EV(r)->confidence >= 0)
        sd_fv_f(v, EV(r)->confidence, 2);
}
static void g_note(const void *r, sd_fval *v)
{
    if (EV(r)->note[0])
        sd_fv_s(v, EV(r)->note);
}

static void get_named(const void *r, const char *name, sd_fval *v)
{
    const sd_evfield *f = sd_ev_get(EV(r), name);
    if (!f)
        return;
    switch (f->type) {
    case SD_EVF_STR: sd_fv_s(v, f->s); break;
    case SD_EVF_INT:
        v->t = SD_FV_I64;
        v->i = f->i;
        break;
    case SD_EVF_NUM: sd_fv_f(v, f->f, 6); break;
    case SD_EVF_BOOL: sd_fv_b(v, f->b); break;
    }
}

static const sd_field FIELDS[] = {
    { "uid", "the connection's uid", g_uid, false },
    { "stream", "its tcp.stream", g_stream, false },
    { "ts", "time of the first evidence, epoch seconds", g_ts, false },
    { "frame", "first frame of the evidence", g_frame, false },
    { "frame_last", "last frame of the evidence", g_frame_last, false },
    { "leg", "forward, reverse or nested", g_leg, false },
    { "kind", "the event's kind (docs/events.md)", g_kind, false },
    { "dir", "c2s or s2c", g_dir, false },
    { "confidence", "0..1 for inferences; unset for facts", g_confidence, false },
    { "note", "the one line for people", g_note, false },
};

const sd_fieldset sd_ev_fields = { FIELDS, SD_ARRAY_LEN(FIELDS), get_named };
