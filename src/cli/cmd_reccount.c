/* strider reccount FILE...: the records of capture files, counted from
 * their record headers (sd_reccount), for a driver that runs the chunks of
 * a file list itself (dist/strider-dask): the count of the files before a
 * chunk is what it gives that chunk as --own-frame-base, as --jobs does.
 * Not a cli_cmd row and not in the usage: a helper of the drivers, like
 * the --own options. */
#include "../capture/sd_reccount.h"
#include "cli_cmd.h"

#include <string.h>

static const char HELP[] =
    "usage: strider reccount FILE...\n"
    "Prints the number of records the capture files hold together (pcap and\n"
    "pcapng, from their record headers, as strider reads them): the frame\n"
    "number a chunk that starts after these files follows (--own-frame-base).\n"
    "A file that does not open counts 0 (a run skips it). Exit 1, nothing\n"
    "printed, when a file is neither pcap nor pcapng (the count is unknown).\n";

int cli_reccount_main(int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(HELP, stdout);
        return 0;
    }
    int i = 1;
    if (i < argc && !strcmp(argv[i], "--"))
        i++;
    if (i >= argc)
        return cli_usage_error("reccount", "give capture files");
    uint64_t total = 0;
    for (; i < argc; i++) {
        uint64_t n;
        if (!sd_reccount(argv[i], &n)) {
            cli_errf("strider reccount: cannot count the records of %s (neither pcap nor pcapng)\n", argv[i]);
            return 1;
        }
        total += n;
    }
    printf("%llu\n", (unsigned long long)total);
    return 0;
}
