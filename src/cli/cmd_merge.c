/* strider merge: the outputs of runs that each owned a chunk of a file list
 * (--own) made into what one run over every file prints (sd_merge.h). Not
 * a cli_cmd row: it reads JSON lines, not captures. */
#include "../out/sd_merge.h"
#include "cli_cmd.h"

#include <string.h>

static const char HELP[] =
    "usage: strider merge CHUNK-OUTPUT...\n"
    "Makes the outputs of `strider conns|ssh --json --own FIRST:LAST ...` runs,\n"
    "one per chunk of the same file list, into exactly what one run over every\n"
    "file prints: streams, frames and uids numbered over the whole list, the\n"
    "counts across connections (open_at_end) recomputed, connections in the\n"
    "order one run ends them. The chunks may be given in any order; together\n"
    "they must cover the files 0..N-1 once each.\n"
    "A connection still alive at a chunk's read-ahead limit is marked\n"
    "\"readahead_cut\":true (and counted on stderr).\n\n"
    "Example:\n"
    "  strider ssh --json --own 0:4 d/*.pcap > c0; strider ssh --json --own 5:9 d/*.pcap > c1\n"
    "  strider merge c0 c1        # = strider ssh --json d/*.pcap\n";

int cli_merge_main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(HELP, stdout);
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--"))
        first = 2;
    if (argc <= first)
        return cli_usage_error("merge", "give the chunk outputs to merge");
    for (int i = first; i < argc && first == 1; i++)
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error("merge", "unknown option \"%s\"", argv[i]);
    return sd_merge_files((const char *const *)argv + first, (size_t)(argc - first), stdout, stderr);
}
