/* sd_extract_job: an extraction's directory, sink and analyzer (see
 * sd_extract_job.h). */
#include "sd_extract_job.h"

#include "../common/sd_heap.h"
#include "sd_outfile.h"

#include <unistd.h>

int sd_extract_job_open(sd_extract_job *j, const sd_extract_job_opts *o, sd_extract_opts *xo, sd_engine *e)
{
    *j = (sd_extract_job){ .dirfd = -1 };
    j->dirfd = sd_outdir_open(o->outdir, o->force, &xo->fresh_dir, "strider extract");
    if (j->dirfd < 0)
        return 1;
    sd_filesink_opts so = { .max_open = o->max_open - (xo->flows_only ? 0 : 1), /* one for the index */
                            .budget = o->buffer, .log = o->quiet ? NULL : stderr,
                            .prog = "strider extract", .dir = o->outdir };
    j->sink = sd_filesink_new(j->dirfd, &so);
    j->x = sd_extract_new(xo, j->sink);
    if (!j->x)
        return 1;
    sd_heap_setup();
    sd_extract_attach(j->x, e);
    return 0;
}

int sd_extract_job_close(sd_extract_job *j, int rc)
{
    sd_extract_free(j->x);
    j->x = NULL;
    uint64_t errors = j->sink ? sd_filesink_free(j->sink) : 0;
    j->sink = NULL;
    if (errors) {
        fprintf(stderr, "strider extract: %llu write errors\n", (unsigned long long)errors);
        rc = 1;
    }
    if (j->dirfd >= 0)
        close(j->dirfd);
    j->dirfd = -1;
    return rc;
}
