/* sd_merge_fmt_ev: an event's merged JSON line read back into the event
 * sd_evout writes (see sd_merge_fmt_int.h). */
#include "sd_merge_fmt_int.h"

#include <stdlib.h>
#include <string.h>

#define NS_DIGITS 9 /* decimals of a second in an sd_ts */
/* Seconds an sd_ts holds (nanoseconds in 64 bits: past 2262): a line with
 * more no run wrote, cut there rather than overflow. */
#define TS_SEC_MAX (INT64_MAX / 1000000000 - 1)

/* "1795407912.831725" as nanoseconds, exactly: the digits, not a double. */
static sd_ts ts_of(const char *v)
{
    char *end;
    int64_t sec = strtoll(v, &end, 10), ns = 0;
    int d = 0;
    if (*end == '.')
        for (end++; d < NS_DIGITS && *end >= '0' && *end <= '9'; d++)
            ns = ns * 10 + (*end++ - '0');
    for (; d < NS_DIGITS; d++)
        ns *= 10;
    sec = sec > TS_SEC_MAX ? TS_SEC_MAX : sec < -TS_SEC_MAX ? -TS_SEC_MAX : sec;
    return sec * 1000000000 + (sec < 0 ? -ns : ns);
}

/* A string value copied into a fixed field (cut as sd_event cuts). */
static void str_into(const mfkv *x, sd_buf *strs, char *dst, size_t len)
{
    snprintf(dst, len, "%s", x->vl && *x->v == '"' ? sd_mfkv_str(x, strs) : "");
}

/* A kind's own field: its key (a copy, NUL ended) and typed value, as
 * sd_evout_json wrote it: a string, true/false, an integer, a number with
 * a '.' or an exponent. */
static void own_field(sd_event *e, const mfkv *x, sd_buf *strs)
{
    if (e->nf >= SD_EV_MAX_FIELDS || !x->vl)
        return;
    sd_evfield *f = &e->f[e->nf++];
    memset(f, 0, sizeof *f);
    char *key = (char *)sd_buf_extend(strs, x->kl + 1);
    memcpy(key, x->k, x->kl);
    key[x->kl] = '\0';
    f->key = key;
    size_t kl = strlen(key); /* x->kl unless the key held a NUL */
    f->klen = kl <= UINT8_MAX ? (uint8_t)kl : 0;
    e->keys |= sd_ev_keybit(key, kl);
    if (*x->v == '"') {
        f->type = SD_EVF_STR;
        str_into(x, strs, f->s, sizeof f->s);
    } else if (*x->v == 't' || *x->v == 'f') {
        f->type = SD_EVF_BOOL;
        f->b = *x->v == 't';
    } else if (memchr(x->v, '.', x->vl) || memchr(x->v, 'e', x->vl) || memchr(x->v, 'E', x->vl)) {
        f->type = SD_EVF_NUM;
        f->f = strtod(x->v, NULL);
    } else {
        f->type = SD_EVF_INT;
        f->i = strtoll(x->v, NULL, 10);
    }
}

static sd_leg leg_of(const mfkv *x)
{
    return x->vl == 9 && !memcmp(x->v, "\"reverse\"", 9) ? SD_LEG_REVERSE
           : x->vl == 8 && !memcmp(x->v, "\"nested\"", 8) ? SD_LEG_NESTED
                                                           : SD_LEG_FORWARD;
}

bool sd_merge_fmt_event(const mfkv *kvs, int nk, sd_buf *strs, sd_event *e, const char **file, uint64_t *ff)
{
    memset(e, 0, sizeof *e);
    e->dir = -1, e->confidence = -1, e->kind = "";
    *file = NULL, *ff = 0;
    for (int i = 0; i < nk; i++) {
        const mfkv *x = &kvs[i];
        if (sd_mfkv_is(x, "type") || sd_mfkv_is(x, "readahead_cut")) /* the merge's mark: not the event's */
            continue;
        else if (sd_mfkv_is(x, "uid"))
            str_into(x, strs, e->uid, sizeof e->uid);
        else if (sd_mfkv_is(x, "stream"))
            e->stream = strtoull(x->v, NULL, 10);
        else if (sd_mfkv_is(x, "ts"))
            e->ts = ts_of(x->v);
        else if (sd_mfkv_is(x, "frame"))
            e->frame = strtoull(x->v, NULL, 10);
        else if (sd_mfkv_is(x, "frames")) {
            const char *c = memchr(x->v, ',', x->vl);
            e->frame_last = c ? strtoull(c + 1, NULL, 10) : 0;
        } else if (sd_mfkv_is(x, "file"))
            *file = *x->v == '"' ? sd_mfkv_str(x, strs) : NULL;
        else if (sd_mfkv_is(x, "file_frame"))
            *ff = strtoull(x->v, NULL, 10);
        else if (sd_mfkv_is(x, "leg"))
            e->leg = leg_of(x);
        else if (sd_mfkv_is(x, "kind"))
            e->kind = *x->v == '"' ? sd_mfkv_str(x, strs) : "";
        else if (sd_mfkv_is(x, "dir"))
            e->dir = x->vl == 5 && !memcmp(x->v, "\"s2c\"", 5);
        else if (sd_mfkv_is(x, "confidence"))
            e->confidence = strtod(x->v, NULL);
        else if (sd_mfkv_is(x, "note"))
            str_into(x, strs, e->note, sizeof e->note);
        else
            own_field(e, x, strs);
    }
    return *e->kind != '\0';
}
