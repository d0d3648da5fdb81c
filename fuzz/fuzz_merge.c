/* The merge's reader of chunk outputs (out/sd_merge): fuzzed bytes cut at
 * each form feed into up to 4 chunk outputs, each in a memory file read as
 * --jobs reads a worker's (a regular file, mapped), then merged as
 * `strider merge` merges them: the early write of the first chunk, the
 * records read ({"_own":"conn", "chunk", "camp", "xst"}, the fast walk and
 * the generic reader), provisional connections dropped, numbers, open
 * counts, lines rewritten on every core, campaigns. Then the same chunks
 * merged as they would arrive last first (sd_merge_feed: --jobs, strider
 * merge --as-ready), the early write at each one. Checks: nothing
 * crashes, hangs or leaks (ASan, UBSan), whatever the bytes; each merge
 * fails (1) or succeeds (0), nothing else; when the first succeeds, the
 * second does too with the same output. */
#define _GNU_SOURCE
#include "out/sd_merge.h"
#include "out/sd_merge_feed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_MERGE_CHUNKS 4

/* A memory file holding n bytes at p; its path in path. -1 on failure. */
static int mem_file(const uint8_t *p, size_t n, char *path, size_t len)
{
    int fd = memfd_create("chunk", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (n && write(fd, p, n) != (ssize_t)n) {
        close(fd);
        return -1;
    }
    snprintf(path, len, "/proc/self/fd/%d", fd);
    return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fds[FUZZ_MERGE_CHUNKS];
    char paths[FUZZ_MERGE_CHUNKS][64];
    const char *pp[FUZZ_MERGE_CHUNKS];
    size_t n = 0, at = 0;
    while (n < FUZZ_MERGE_CHUNKS && at <= size) {
        const uint8_t *ff = at < size ? memchr(data + at, '\f', size - at) : NULL;
        size_t e = ff && n + 1 < FUZZ_MERGE_CHUNKS ? (size_t)(ff - data) : size;
        fds[n] = mem_file(data + at, e - at, paths[n], sizeof paths[n]);
        if (fds[n] < 0)
            break;
        pp[n] = paths[n];
        n++;
        at = e + 1;
    }
    char *o1 = NULL, *o2 = NULL;
    size_t l1 = 0, l2 = 0;
    FILE *out = open_memstream(&o1, &l1), *err = fopen("/dev/null", "w");
    int rc = -1;
    if (out && err && n) {
        rc = sd_merge_files(pp, n, out, err);
        if (rc != 0 && rc != 1)
            abort();
    }
    if (out)
        fclose(out);
    FILE *out2 = rc >= 0 ? open_memstream(&o2, &l2) : NULL;
    if (out2 && err) {
        sd_merge_feed f;
        sd_merge_feed_init(&f, SD_FEED_LINES, out2, err, NULL, false, false);
        for (size_t i = n; i-- > 0;)
            sd_merge_feed_add(&f, pp[i], true);
        int rc2 = sd_merge_feed_finish(&f, 0);
        fclose(out2);
        if (rc2 != 0 && rc2 != 1)
            abort();
        if (!rc && (rc2 || l1 != l2 || memcmp(o1, o2, l1))) /* in any order, as one merge */
            abort();
    }
    free(o1);
    free(o2);
    if (err)
        fclose(err);
    for (size_t i = 0; i < n; i++)
        close(fds[i]);
    return 0;
}
