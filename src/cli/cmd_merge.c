/* strider merge: the outputs of runs that each owned a chunk of a file list
 * (--own) made into what one run over every file prints (sd_merge.h). Not
 * a cli_cmd row: it reads JSON lines, not captures. */
#include "../out/sd_merge.h"
#include "../out/sd_merge_feed.h"
#include "cli_cmd.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

static const char HELP[] =
    "usage: strider merge CHUNK-OUTPUT...\n"
    "       strider merge -o DIR [--force] CHUNK-DIR...\n"
    "       strider merge --as-ready [-o DIR [--force]] < NAMES\n"
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
    "  strider merge -o x x0 x1   # = strider extract -o x d/*.pcap\n\n"
    "With --as-ready the chunk outputs (or, with -o DIR, directories) are named on\n"
    "standard input, one a line, in any order, each once it is whole: each is read\n"
    "as soon as it is named and the part of the output no later chunk can change\n"
    "is written once the first chunk is in, while the others are still being made\n"
    "(as --jobs does); the rest once standard input ends. What was written stays\n"
    "written when a later chunk turns out wrong (exit 1).\n"
    "      --as-ready       chunk names from standard input, as they are made\n"
    "  (strider ssh --json --own 5:9 d/*.pcap > c1; echo c1) &\n"
    "  (strider ssh --json --own 0:4 d/*.pcap > c0; echo c0) | strider merge --as-ready\n";

/* A name from --as-ready's input: a chunk output that is a regular file
 * (its kind is looked at before it is read: a pipe would lose it). */
static bool as_ready_file(const char *name, FILE *err)
{
    struct stat sb;
    if (stat(name, &sb) == 0 && S_ISREG(sb.st_mode))
        return true;
    fprintf(err, "strider merge: --as-ready: %s is not a regular file\n", name);
    return false;
}

/* --as-ready: chunk names on stdin, one a line, each merged as it comes
 * (sd_merge_feed), the rest at the end of the input. */
static int merge_as_ready(const char *outdir, bool force)
{
    sd_merge_feed f;
    bool init = false, sum = false;
    if (outdir && !(init = sd_merge_feed_init(&f, SD_FEED_DIR, stdout, stderr, outdir, force, false))) {
        sd_merge_free(f.m);
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int rc = 0;
    while (!rc && (n = getline(&line, &cap, stdin)) >= 0) {
        if (n && line[n - 1] == '\n')
            line[--n] = 0;
        if (!n)
            continue;
        if (!outdir && !as_ready_file(line, stderr)) {
            rc = 1;
            break;
        }
        bool is_sum = !outdir && sd_merge_sum_is(line);
        if (!init)
            init = sd_merge_feed_init(&f, is_sum ? SD_FEED_SUM : SD_FEED_LINES, stdout, stderr, NULL, false, false),
            sum = is_sum;
        if (is_sum != sum) {
            fprintf(stderr, "strider merge: summary chunk outputs cannot be merged with other commands' outputs\n");
            rc = 1;
        }
        rc = rc ? rc : !sd_merge_feed_add(&f, line, true);
    }
    free(line);
    if (!init) /* no name at all: the merge says so */
        sd_merge_feed_init(&f, SD_FEED_LINES, stdout, stderr, NULL, false, false);
    sd_merge_ext *ext = f.ext;
    rc = sd_merge_feed_finish(&f, rc);
    return ext ? sd_merge_ext_finish(ext, rc) : rc;
}

static int merge_main(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(HELP, stdout);
        return 0;
    }
    const char *outdir = NULL;
    bool force = false, as_ready = false;
    for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
        const char *a = argv[first];
        if (!strcmp(a, "--")) {
            first++;
            break;
        }
        if (!strcmp(a, "--force"))
            force = true;
        else if (!strcmp(a, "--as-ready"))
            as_ready = true;
        else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && first + 1 < argc)
            outdir = argv[++first];
        else if (!strncmp(a, "--output=", 9))
            outdir = a + 9;
        else
            return cli_usage_error("merge", "unknown option \"%s\"", a);
    }
    if (force && !outdir)
        return cli_usage_error("merge", "--force is for -o DIR");
    if (as_ready && argc > first)
        return cli_usage_error("merge", "--as-ready reads the chunk names from standard input, not arguments");
    if (as_ready)
        return merge_as_ready(outdir, force);
    if (argc <= first)
        return cli_usage_error("merge", "give the chunk outputs to merge");
    if (outdir)
        return sd_merge_ext_dirs((const char *const *)argv + first, (size_t)(argc - first), outdir, force, stderr);
    return sd_merge_any((const char *const *)argv + first, (size_t)(argc - first), stdout, stderr);
}

int cli_merge_main(int argc, char **argv)
{
    int rc = merge_main(argc, argv);
    if (fflush(stdout) != 0 || ferror(stdout)) { /* a full disk must not pass as a short result (as cli_cmd) */
        fprintf(stderr, "strider merge: cannot write the output: %s\n", strerror(errno));
        rc = 1;
    }
    return rc;
}
