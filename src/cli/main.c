/* strider: dispatches to one subcommand; each lives in its own cmd_*.c. */
#include "cli_cmd.h"

#include <string.h>

#define STRIDER_VERSION "0.1.0"

/* The commands: each a cli_cmd row, run by cli_cmd_run. */
static const cli_cmd *const COMMANDS[] = {
    &cli_cmd_conns, &cli_cmd_packets, &cli_cmd_summary, &cli_cmd_follow, &cli_cmd_extract, &cli_cmd_ssh, &cli_cmd_dns,
};

static void usage(FILE *out)
{
    fprintf(out, "usage: strider COMMAND [options] FILE...\n\ncommands:\n");
    for (size_t i = 0; i < SD_ARRAY_LEN(COMMANDS); i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i]->name, COMMANDS[i]->summary);
    fprintf(out, "  %-10s %s\n", "merge", "chunk outputs of --own runs into one run's output");
    fprintf(out, "\n'strider COMMAND --help' for a command's options; 'man strider' for more.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("strider %s\n", STRIDER_VERSION);
        return 0;
    }
    if (!strcmp(cmd, "merge"))
        return cli_merge_main(argc - 1, argv + 1);
    if (!strcmp(cmd, "reccount")) /* (a drivers' helper, not listed) */
        return cli_reccount_main(argc - 1, argv + 1);
    for (size_t i = 0; i < SD_ARRAY_LEN(COMMANDS); i++)
        if (!strcmp(cmd, COMMANDS[i]->name))
            return cli_cmd_run(COMMANDS[i], argc - 1, argv + 1);
    cli_errf("strider: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
}
