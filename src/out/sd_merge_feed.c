/* sd_merge_feed: chunk outputs merged one at a time (see sd_merge_feed.h). */
#include "sd_merge_feed.h"

#include "sd_merge_fmt.h"

#include <string.h>

bool sd_merge_feed_init(sd_merge_feed *f, sd_feed_kind kind, FILE *out, FILE *err, const char *outdir, bool force,
                        bool move)
{
    memset(f, 0, sizeof *f);
    f->m = sd_merge_new(err);
    f->out = out, f->err = err;
    if (kind == SD_FEED_SUM)
        f->sum = sd_merge_sum_new(f->m, err);
    if (kind != SD_FEED_DIR)
        return true;
    f->ext = sd_merge_ext_new(outdir, force, move, f->m, err);
    if (!f->ext) {
        f->rc = 1;
        return false;
    }
    f->out = sd_merge_ext_index(f->ext);
    return true;
}

/* The merged lines' format, once the chunks in fix it (a chunk whose files
 * gave no record declares the columns of a run that read nothing), or with
 * the last chunk; rc 1 when it cannot be. */
static void open_fmt(sd_merge_feed *f, bool more)
{
    if (f->rc || f->fmt || f->ext || f->sum)
        return;
    if (more && !sd_merge_declared_settled(f->m))
        return;
    f->fmt = sd_merge_fmt_open(f->m, f->out, f->err);
    if (f->fmt)
        f->out = sd_merge_fmt_file(f->fmt);
    else
        f->rc = 1;
}

bool sd_merge_feed_add(sd_merge_feed *f, const char *path, bool more)
{
    if (f->rc)
        return false;
    bool ok = f->ext ? sd_merge_ext_add(f->ext, f->m, path)
                     : f->sum ? sd_merge_sum_add(f->sum, f->m, path) : sd_merge_add(f->m, path);
    if (!ok)
        f->rc = 1;
    else if (more && !f->ext && !f->sum) /* (the wait for the next chunk is idle) */
        sd_merge_prepare(f->m);
    open_fmt(f, more);
    /* summary writes nothing before its report; the others write the first
     * chunk's early part once it is in (a no-op before, and after once) */
    if (!f->rc && !f->sum && (f->fmt || f->ext) && more) {
        sd_merge_early(f->m, f->out);
        fflush(f->out); /* the early part on its way to a reader of the output now, not at the end */
    }
    return !f->rc;
}

int sd_merge_feed_finish(sd_merge_feed *f, int rc)
{
    rc = rc ? rc : f->rc;
    if (!rc)
        open_fmt(f, false);
    rc = rc ? rc : f->rc;
    if (f->sum)
        rc = sd_merge_sum_finish(f->sum, f->m, rc, f->out);
    else if (rc)
        sd_merge_free(f->m);
    else
        rc = sd_merge_finish(f->m, f->out);
    if (f->fmt)
        rc = sd_merge_fmt_close(f->fmt, rc);
    f->m = NULL, f->sum = NULL, f->fmt = NULL;
    return rc;
}
