/* cli_own: the options that split a run over a file list (--own FIRST:LAST,
 * --read-ahead DURATION, --jobs N) for the commands whose JSON lines are per
 * connection (conns, ssh). They are taken out of argv before the command's
 * own options are read, so each command's option table stays its own. */
#ifndef CLI_OWN_H
#define CLI_OWN_H

#include "cli.h"
#include "cli_cmd.h"

typedef struct cli_own {
    bool own;                  /* --own given */
    bool dir;                  /* the command writes a directory (extract):
                                  its chunk records go there, not to stdout */
    unsigned first, last;
    bool ahead_set;
    double read_ahead;         /* seconds */
    unsigned jobs;             /* 0/1 = one process */
    int argc;                  /* the arguments left, for the workers */
    char **argv;
    struct sd_own *chunk;      /* the run's chunk, with --own */
    /* --own-direct FD (given by --jobs to its first worker, not a user's
     * option): the output goes to FD, the final output, up to the end of
     * the chunk's own files, then to stdout (the chunk's file) */
    int direct_fd;             /* -1: none */
    /* --own-frame-base N (given by --jobs to a later worker, not a user's
     * option): the records of the files before FIRST, so that the chunk
     * numbers its frames as one run does (its trailer's "fb") and the
     * merge does not rewrite them */
    bool fb_set;
    uint64_t frame_base;
    int chunk_fd;              /* the chunk's stdout while FD is there */
    cli_input *in;
    const struct sd_capture *cap;
} cli_own;

/* Takes the options out of argv (argc shrinks). CLI_OK, or 2 after a
 * message for a bad value or a command that has no per-connection JSON. */
int cli_own_args(const cli_cmd *c, int *argc, char **argv, cli_own *o);
/* With --own, after the files are known and prepare filled eo: the run
 * reads from file FIRST on and owns FIRST..LAST. CLI_OK or 2. */
int cli_own_begin(cli_own *o, const char *cmd, cli_input *in, sd_engine_opts *eo);
/* Once the capture is open: which of its inputs are the chunk's files. */
void cli_own_files(cli_own *o, const struct sd_capture *cap);
/* Once the command started (its format decided): with --own-direct and
 * lines one run prints, stdout is the final output until the chunk's own
 * records end. */
void cli_own_started(cli_own *o, cli_input *in);
/* After the run: the chunk's records go to stdout. */
void cli_own_end(cli_own *o);
/* --jobs N over several files: the chunks run in N worker processes (this
 * binary with --own), their outputs merged on stdout. Returns the exit
 * status. */
int cli_own_jobs(cli_own *o, const char *cmd, cli_input *in);
void cli_own_free(cli_own *o);

#endif
