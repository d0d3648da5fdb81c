/* strider: dispatches to one subcommand; each lives in its own cmd_*.c. */
#include "cli.h"

#include <string.h>

#define STRIDER_VERSION "0.1.0"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command COMMANDS[] = {
    { "conns", cmd_conns, "every connection with its facts (table, JSON lines, CSV)" },
    { "packets", cmd_packets, "per-packet view of one connection" },
    { "summary", cmd_summary, "an analyst's first look at a capture" },
    { "follow", cmd_follow, "one TCP connection's reassembled payload, both sides in order" },
    { "extract", cmd_extract, "every TCP session's payload to files (tcpflow names) + JSON" },
    { "ssh", cmd_ssh, "SSH connections: metadata (-m) and what the encrypted part reveals" },
};

static void usage(FILE *out)
{
    fprintf(out, "usage: strider COMMAND [options] FILE...\n\ncommands:\n");
    for (size_t i = 0; i < SD_ARRAY_LEN(COMMANDS); i++)
        fprintf(out, "  %-10s %s\n", COMMANDS[i].name, COMMANDS[i].summary);
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
    for (size_t i = 0; i < SD_ARRAY_LEN(COMMANDS); i++)
        if (!strcmp(cmd, COMMANDS[i].name))
            return COMMANDS[i].run(argc - 1, argv + 1);
    fprintf(stderr, "strider: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
}
