#include "cli.h"

#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void print_diag(void *ud, const char *file, uint64_t frame, const char *msg)
{
    cli_input *in = ud;
    if (in->quiet)
        return;
    if (in->diag.count == in->diag_max + 1) {
        fprintf(stderr, "strider: more warnings suppressed\n");
        return;
    }
    if (in->diag.count > in->diag_max)
        return;
    if (file && frame)
        fprintf(stderr, "strider: %s: frame %llu: %s\n", file, (unsigned long long)frame, msg);
    else if (file)
        fprintf(stderr, "strider: %s: %s\n", file, msg);
    else
        fprintf(stderr, "strider: %s\n", msg);
}

void cli_input_init(cli_input *in)
{
    memset(in, 0, sizeof *in);
    in->diag.fn = print_diag;
    in->diag.ud = in;
    in->diag_max = 200;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void push_file(cli_input *in, const char *path)
{
    in->files = sd_reallocarray(in->files, in->nfiles + 1, sizeof *in->files);
    in->files[in->nfiles++] = sd_strdup(path);
}

/* Capture files under a directory, recursively, in name order. */
static void add_dir(cli_input *in, const char *dir, int depth)
{
    DIR *d = depth < 32 ? opendir(dir) : NULL;
    if (!d)
        return;
    char **names = NULL;
    size_t n = 0;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        names = sd_reallocarray(names, n + 1, sizeof *names);
        size_t len = strlen(dir) + strlen(de->d_name) + 2;
        names[n] = sd_malloc(len);
        snprintf(names[n++], len, "%s/%s", dir, de->d_name);
    }
    closedir(d);
    if (n > 1)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (lstat(names[i], &st) == 0 && S_ISDIR(st.st_mode))
            add_dir(in, names[i], depth + 1);
        else if (S_ISREG(st.st_mode) && (strstr(names[i], ".pcap") || strstr(names[i], ".cap") ||
                                         strstr(names[i], ".pcapng")))
            push_file(in, names[i]);
        free(names[i]);
    }
    free(names);
}

void cli_add_file(cli_input *in, const char *path)
{
    struct stat st;
    if (strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        add_dir(in, path, 0);
    else
        push_file(in, path);
}

int cli_common_opt(cli_input *in, int opt, const char *arg)
{
    switch (opt) {
    case 'f':
        in->bpf = arg;
        return 1;
    case 'r':
        cli_add_file(in, arg);
        return 1;
    case 'i':
        in->iface = arg;
        return 1;
    case 'q':
        in->quiet = true;
        return 1;
    case 'P':
        in->no_progress = true;
        return 1;
    default:
        return 0;
    }
}

void cli_input_free(cli_input *in)
{
    for (size_t i = 0; i < in->nfiles; i++)
        free(in->files[i]);
    free(in->files);
}

sd_capture *cli_open(cli_input *in)
{
    if (!in->nfiles && !in->iface) {
        fprintf(stderr, "strider: no input (give a capture file, '-' for stdin, or -i IFACE)\n");
        return NULL;
    }
    sd_capture_opts o = { .bpf = in->bpf, .iface = in->iface, .diag = &in->diag };
    char err[512];
    sd_capture *cap = sd_capture_open((const char *const *)in->files, in->nfiles, &o, err, sizeof err);
    if (!cap)
        fprintf(stderr, "strider: %s\n", err);
    return cap;
}

typedef struct progress {
    bool on;
    bool shown;
} progress;

static void show_progress(void *ud, uint64_t done, uint64_t total)
{
    progress *p = ud;
    if (!p->on || !total)
        return;
    fprintf(stderr, "\rstrider: %3.0f%% (%.1f of %.1f MB)", 100.0 * (double)done / (double)total,
            (double)done / 1e6, (double)total / 1e6);
    p->shown = true;
}

void cli_run(cli_input *in, sd_engine *e, sd_capture *cap)
{
    progress p = { !in->no_progress && isatty(STDERR_FILENO), false };
    sd_engine_run(e, cap, show_progress, &p);
    if (p.shown)
        fprintf(stderr, "\r%60s\r", "");
}

int cli_status(const cli_input *in, const sd_capture *cap)
{
    return sd_capture_frames(cap) == 0 && in->diag.count > 0 ? 1 : 0;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "strider %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'strider %s --help')\n", cmd);
    return 2;
}

int cli_parse_format(const char *s, cli_format *out)
{
    if (strcmp(s, "text") == 0)
        *out = CLI_TEXT;
    else if (strcmp(s, "json") == 0)
        *out = CLI_JSON;
    else if (strcmp(s, "csv") == 0)
        *out = CLI_CSV;
    else
        return -1;
    return 0;
}

void cli_flush(sd_buf *b)
{
    if (b->len)
        fwrite(b->p, 1, b->len, stdout);
    b->len = 0;
}

void cli_table(FILE *out, char **cells, size_t rows, size_t cols, const bool *right)
{
    size_t *w = sd_calloc(cols, sizeof *w);
    for (size_t r = 0; r < rows; r++)
        for (size_t c = 0; c < cols; c++) {
            size_t n = strlen(cells[r * cols + c]);
            if (n > w[c])
                w[c] = n;
        }
    for (size_t r = 0; r < rows; r++) {
        for (size_t c = 0; c < cols; c++) {
            const char *s = cells[r * cols + c];
            int pad = (int)w[c];
            bool last = c + 1 == cols;
            if (right && right[c])
                fprintf(out, "%*s", pad, s);
            else if (last)
                fputs(s, out);
            else
                fprintf(out, "%-*s", pad, s);
            if (!last)
                fputs("  ", out);
        }
        fputc('\n', out);
    }
    free(w);
}
