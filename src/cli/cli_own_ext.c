/* cli_own_ext: the output directory of a --own/--jobs run (see
 * cli_own_ext.h). */
#include "cli_own_ext.h"

#include "../out/sd_merge_ext.h"
#include "../out/sd_runlog.h"

#include <fcntl.h>
#include <unistd.h>

#include <stdio.h>
#include <string.h>

/* The value of a short-option cluster's -o ("-qoDIR", "-o DIR"), or NULL
 * when the cluster has none; *next: the value is the next argument. Stops
 * at an option whose value is the rest of the cluster (-f, -r, -i). */
static const char *short_o(const char *a, bool *next)
{
    for (const char *p = a + 1; *p; p++) {
        if (*p == 'o') {
            *next = !p[1];
            return p[1] ? p + 1 : NULL;
        }
        if (strchr("fri", *p))
            return NULL;
    }
    return NULL;
}

const char *cli_own_ext_outdir(int argc, char **argv, bool *force)
{
    const char *dir = NULL;
    *force = false;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const char *a = argv[i];
        bool next = false;
        if (!strcmp(a, "--force")) {
            *force = true;
            continue;
        }
        if (!strcmp(a, "--output") || !strcmp(a, "--outdir"))
            next = true;
        else if (!strncmp(a, "--output=", 9) || !strncmp(a, "--outdir=", 9))
            dir = a + 9;
        else if (a[0] == '-' && a[1] && a[1] != '-') {
            const char *v = short_o(a, &next);
            dir = v ? v : dir;
        }
        if (next && i + 1 < argc)
            dir = argv[++i];
    }
    return dir;
}

const char *cli_own_ext_chunkdir(const char *outdir, size_t c, char *buf, size_t len)
{
    snprintf(buf, len, "%s/.strider-chunk-%zu", outdir, c);
    return buf;
}

void cli_own_ext_discard(const char *outdir, size_t c)
{
    char dir[4096];
    int fd = open(cli_own_ext_chunkdir(outdir, c, dir, sizeof dir), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return;
    sd_merge_ext_discard(fd);
    close(fd);
    rmdir(dir);
}

void cli_own_ext_totals(const uint64_t *tot, bool quiet)
{
    /* in sd_extract_own_stats' order, after the count of sessions */
    sd_extract_stats st = { .sessions = tot[0], .with_data = tot[1], .truncated = tot[2],
                            .sig_sessions = tot[3], .overlaps = tot[4], .unchecked_bytes = tot[5],
                            .holes_cut = tot[6], .hole_bytes_cut = tot[7] };
    sd_runlog_extract(stderr, &st, quiet);
}
