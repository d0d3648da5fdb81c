/* strider: dispatches to one subcommand; each lives in its own cmd_*.c. */
#include "cli_cmd.h"

#include <string.h>
#include <unistd.h>

#define STRIDER_VERSION "0.1.0"

/* stdout's buffer when it is a file or a pipe. stdio's default is the
 * file's block size (4 KiB): ssh --json on 100 k brute-force connections
 * writes 379 MB, and 92 000 writes of 4 KiB cost it 0.33-0.44 s of system
 * time on a tmpfs where 1 MiB writes cost 0.26 s (bench/README.md, obuf).
 * A terminal keeps stdio's line buffering; live runs flush each record. */
#define STDOUT_BUF ((size_t)1 << 20)

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
    static char obuf[STDOUT_BUF]; /* (glibc takes no size without a buffer) */
    if (!isatty(STDOUT_FILENO))
        setvbuf(stdout, obuf, _IOFBF, sizeof obuf); /* before any output, as C requires */
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
