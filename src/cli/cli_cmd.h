/* cli_cmd: one runner for every subcommand. A command is a table row: its
 * name, help, own options, and the hooks that wire its analyzers and
 * writers; the runner does the rest the same way for all (common options,
 * inputs, capture, engine, run, signals, exit status, freeing). */
#ifndef CLI_CMD_H
#define CLI_CMD_H

#include "cli.h"

#include <getopt.h>

enum { CLI_OK = 0, CLI_DONE = -1 }; /* hook results besides an exit status */

typedef struct cli_cmd {
    const char *name;
    const char *summary;              /* one line for `strider --help` */
    const char *help;                 /* --help text */
    const char *shortopts;            /* the command's own, getopt syntax */
    const struct option *longopts;    /* the command's own, {0} terminated */
    size_t ctx_size;                  /* the command's state, zeroed, then init */
    void (*init)(void *ctx);
    /* One of the command's options: CLI_OK, CLI_DONE (it printed what was
     * asked, exit 0: --list-fields) or an exit status (2 after a message). */
    int (*opt)(void *ctx, int o, const char *arg);
    /* After the options, before the input is opened: check what is
     * required, fill the engine's options. CLI_OK or an exit status. */
    int (*prepare)(void *ctx, cli_input *in, sd_engine_opts *eo);
    /* Engine made and the input open: attach analyzers, open outputs,
     * write headers. CLI_OK or an exit status (the run does not happen;
     * finish is not called, free is). */
    int (*start)(void *ctx, cli_input *in, sd_engine *e);
    /* After the run: write what is left; status is the run's exit status,
     * return the command's. */
    int (*finish)(void *ctx, cli_input *in, sd_engine *e, int status);
    void (*free)(void *ctx);          /* may be NULL */
} cli_cmd;

int cli_cmd_run(const cli_cmd *c, int argc, char **argv);

extern const cli_cmd cli_cmd_conns, cli_cmd_packets, cli_cmd_summary, cli_cmd_follow, cli_cmd_extract,
    cli_cmd_ssh, cli_cmd_dns;
/* strider merge (cmd_merge.c): reads chunk outputs, not captures. */
int cli_merge_main(int argc, char **argv);
/* strider reccount (cmd_reccount.c): records of capture files, for a driver's
 * --own-frame-base. */
int cli_reccount_main(int argc, char **argv);

#endif
