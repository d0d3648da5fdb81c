/* sd_merge_fmt internals: a merged JSON line cut into its top-level keys,
 * shared by sd_merge_fmt.c (the lines, field-table records) and
 * sd_merge_fmt_ev.c (events). */
#ifndef SD_MERGE_FMT_INT_H
#define SD_MERGE_FMT_INT_H

#include "../common/sd_event.h"

#include <string.h>

/* One key and its value's text in a line (a string with its quotes). */
typedef struct mfkv {
    const char *k, *v;
    size_t kl, vl;
} mfkv;

/* Keys of a line looked at: a conn line with every field has about 130. */
#define SD_MFKV_MAX 512

/* The top-level keys of a JSON object line (at most cap) into out; their
 * count, or -1 when the line is not one (or has more keys). */
int sd_mfkv_scan(const char *p, size_t len, mfkv *out, int cap);

static inline bool sd_mfkv_is(const mfkv *x, const char *name)
{
    return x->kl == strlen(name) && !memcmp(x->k, name, x->kl);
}

/* A JSON string value's text (x->v with its quotes) unescaped at the end
 * of o, NUL ended; returns it. o must have room for x->vl bytes more (no
 * move: the caller reserves room for the line's strings once). */
const char *sd_mfkv_str(const mfkv *x, sd_buf *o);

/* An event's JSON line (sd_evout_json) read back into e, the file and its
 * frame (*file NULL with one input file); strings in strs (room reserved
 * as above). False when it is not one. */
bool sd_merge_fmt_event(const mfkv *kvs, int nk, sd_buf *strs, sd_event *e, const char **file, uint64_t *ff);

#endif
