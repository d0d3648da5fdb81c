/* `strider extract` on a fuzzed capture: capture, decode, flow table with
 * eviction, reassembly under small caps, the extract analyzer (tcpflow
 * files, transcripts, index, signature scan, holes cut past --max-hole)
 * and the file sink with its writer thread, few descriptors and a small
 * budget, writing into a scratch directory emptied after each input.
 * Checks: every index and transcript line is valid JSON, every file is a
 * regular file directly in the directory (no name from the capture makes
 * a path), and no file is longer than its bytes plus max_hole per hole
 * allows (the sparse-file attack). The options (flows-only, --all, inline
 * and per-chunk payload limits, overlap policy) come from the input's
 * length, so every corpus entry keeps its own. Seeds: fuzz/seeds/fuzz_extract
 * and the pipeline's captures (fuzz/run). */
#include "capture/sd_capture.h"
#include "flow/sd_engine.h"
#include "fzcheck.h"
#include "out/sd_extract.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_HOLE 4096u /* small, so the fuzzer reaches the cut */

static void read_all(int dirfd, const char *name, sd_buf *b)
{
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW);
    if (fd < 0)
        abort(); /* listed but not readable: not a plain file */
    char tmp[65536];
    for (ssize_t r; (r = read(fd, tmp, sizeof tmp)) > 0;)
        sd_buf_append(b, tmp, (size_t)r);
    close(fd);
}

/* Every entry: a regular file; the JSON ones valid JSON lines; no file of
 * the capture's payload longer than what the input could fill plus the
 * holes it may keep (each at most MAX_HOLE, at most one per input byte). */
static void check_dir(const char *dir, size_t insize)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY);
    DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!d)
        abort();
    for (struct dirent *e; (e = readdir(d));) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
            abort();
        size_t n = strlen(e->d_name);
        bool lines = n > 6 && !strcmp(e->d_name + n - 6, ".jsonl");
        if (lines || (n > 5 && !strcmp(e->d_name + n - 5, ".json"))) {
            sd_buf b = { 0 };
            read_all(dfd, e->d_name, &b);
            if (lines)
                fz_json_lines(e->d_name, b.p, b.len);
            else
                fz_json_doc(e->d_name, b.p, b.len);
            sd_buf_free(&b);
        } else if ((uint64_t)st.st_size > (uint64_t)insize * (MAX_HOLE + 1)) {
            fprintf(stderr, "%s: %lld bytes from a %zu-byte capture\n", e->d_name, (long long)st.st_size, insize);
            abort();
        }
    }
    closedir(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    sd_diag diag = { 0 };
    sd_capture *cap = fz_capture(data, size, &diag);
    if (!cap)
        return 0;
    unsigned v = (unsigned)size; /* the options of this input */
    sd_reasm_budget budget = { .cap = 1 << 18 };
    sd_engine_opts eo = { .diag = &diag, .reassemble = true, .max_flows = 16 };
    eo.reasm = (sd_reasm_opts){ .policy = (sd_overlap_policy)(v % 5), .stream_cap = 1 << 15, .budget = &budget };
    sd_engine *e = sd_engine_new(&eo);
    const char *dir = fz_dir();
    int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
    sd_filesink_opts so = { .max_open = 3, .budget = 1 << 14 };
    sd_filesink *sink = sd_filesink_new(dirfd, &so);
    sd_extract_opts xo = { .all = v & 8, .flows_only = (v & 7) == 7, .payload_max = v & 16 ? 64 : SIZE_MAX,
                           .inline_max = v & 32 ? 0 : 256, .fresh_dir = true, .max_hole = MAX_HOLE };
    sd_extract *x = sd_extract_new(&xo, sink);
    if (x)
        sd_extract_attach(x, e);
    sd_engine_run(e, cap, NULL, NULL);
    sd_engine_free(e); /* ends every session: its files are handed to the sink */
    sd_extract_free(x);
    uint64_t errors = sd_filesink_free(sink);
    close(dirfd);
    sd_capture_close(cap);
    if (errors)
        abort(); /* a scratch directory of our own: nothing should fail */
    check_dir(dir, size);
    fz_dir_clean();
    return 0;
}
