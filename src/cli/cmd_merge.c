/* strider merge: the outputs of runs that each owned a chunk of a file list
 * (--own) made into what one run over every file prints (sd_merge.h). Not
 * a cli_cmd row: it reads JSON lines, not captures. */
#include "../out/sd_merge.h"
#include "../out/sd_merge_ext.h"
#include "../out/sd_merge_sum.h"
#include "cli_cmd.h"

#include <string.h>

static const char HELP[] =
    "usage: strider merge CHUNK-OUTPUT...\n"
    "       strider merge -o DIR [--force] CHUNK-DIR...\n"
    "Makes the outputs of `strider conns|ssh --json --own FIRST:LAST ...` runs\n"
    "(conns also --csv, the text table, --fields; ssh also --csv),\n"
    "one per chunk of the same file list, into exactly what one run over every\n"
    "file prints: streams, frames and uids numbered over the whole list, the\n"
    "counts across connections (open_at_end) recomputed, connections in the\n"
    "order one run ends them. The chunks may be given in any order; together\n"
    "they must cover the files 0..N-1 once each.\n"
    "The output is in the format the chunks were asked for: `conns --csv --own`,\n"
    "`conns --own` (the text table), `--fields` and `ssh --csv` chunks write JSON lines and\n"
    "declare the format, and the merge writes it with one run's writer (chunks\n"
    "that declare different formats: exit 1).\n"
    "A connection still alive at a chunk's read-ahead limit is marked\n"
    "\"readahead_cut\":true (and counted on stderr).\n"
    "The outputs of `strider summary --own FIRST:LAST ...` runs are merged into\n"
    "the report one summary run over every file writes: JSON lines when the\n"
    "chunks were run with --json, else the text report.\n\n"
    "Example:\n"
    "  strider ssh --json --own 0:4 d/*.pcap > c0; strider ssh --json --own 5:9 d/*.pcap > c1\n"
    "  strider merge c0 c1        # = strider ssh --json d/*.pcap\n"
    "  strider conns --csv --own 0:4 d/*.pcap > c0; strider conns --csv --own 5:9 d/*.pcap > c1\n"
    "  strider merge c0 c1        # = strider conns --csv d/*.pcap\n\n"
    "With -o DIR the inputs are the output directories of `strider extract --own`\n"
    "runs and DIR becomes the directory one extract run writes: index.jsonl\n"
    "renumbered and in one run's order, every kept session's files under the\n"
    "names one run gives them (linked when DIR is on the same file system, else\n"
    "copied: the chunk directories are left as they are), transcripts rewritten\n"
    "with the global numbers; a session an earlier chunk covers is left out.\n"
    "  -o, --output DIR     the merged directory (created; must not exist unless\n"
    "                       --force)\n"
    "      --force          write into an existing DIR\n\n"
    "  strider extract --own 0:4 -o x0 d/*.pcap; strider extract --own 5:9 -o x1 d/*.pcap\n"
    "  strider merge -o x x0 x1   # = strider extract -o x d/*.pcap\n";

int cli_merge_main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(HELP, stdout);
        return 0;
    }
    const char *outdir = NULL;
    bool force = false;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--")) {
            first++;
            break;
        }
        if (!strcmp(a, "--force"))
            force = true;
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && first + 1 < argc)
            outdir = argv[++first];
        else if (!strncmp(a, "--output=", 9))
            outdir = a + 9;
        else
            return cli_usage_error("merge", "unknown option \"%s\"", a);
    }
    if (argc <= first)
        return cli_usage_error("merge", "give the chunk outputs to merge");
    if (force && !outdir)
        return cli_usage_error("merge", "--force is for -o DIR");
    if (outdir)
        return sd_merge_ext_dirs((const char *const *)argv + first, (size_t)(argc - first), outdir, force, stderr);
    return sd_merge_any((const char *const *)argv + first, (size_t)(argc - first), stdout, stderr);
}
