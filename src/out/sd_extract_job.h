/* sd_extract_job: one extraction's outputs as a whole: the output
 * directory (sd_outdir_open), the file sink (sd_filesink) and the extract
 * analyzer (sd_extract) on it, opened together and closed together, every
 * write error counted and said. */
#ifndef SD_EXTRACT_JOB_H
#define SD_EXTRACT_JOB_H

#include "sd_extract.h"
#include "sd_filesink.h"

typedef struct sd_extract_job {
    int dirfd;
    sd_filesink *sink;
    sd_extract *x;
} sd_extract_job;

typedef struct sd_extract_job_opts {
    const char *outdir;
    bool force;                /* write into an existing directory */
    size_t max_open, buffer;   /* the sink's files open at once and memory */
    bool quiet;                /* no per-file messages from the sink */
} sd_extract_job_opts;

/* Opens everything and attaches the analyzer to e; xo->fresh_dir is set
 * here. 0, or 1 after a message. j is ready for sd_extract_job_close
 * either way. */
int sd_extract_job_open(sd_extract_job *j, const sd_extract_job_opts *o, sd_extract_opts *xo, sd_engine *e);
/* Every file written and closed; write errors said and make rc 1. */
int sd_extract_job_close(sd_extract_job *j, int rc);

#endif
