#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <time.h>
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

volatile sig_atomic_t cli_stop;

int cli_common_opt(cli_input *in, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_MAX_FLOWS:
        return cli_parse_u64("", "--max-flows", arg, 1, 1000000000, &in->max_flows) ? -1 : 1;
    case CLI_OPT_STATS:
        return cli_parse_secs("", "--stats-interval", arg, 0.1, 86400, &in->stats_interval) ? -1 : 1;
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
    /* from files, the connections the filter rejects are still numbered, so
     * stream, uid and frame are those of the whole capture; live, there is
     * no whole capture to agree with */
    sd_capture_opts o = { .bpf = in->bpf, .iface = in->iface, .diag = &in->diag, .all_frames = !in->iface };
    char err[512];
    sd_capture *cap = sd_capture_open((const char *const *)in->files, in->nfiles, &o, err, sizeof err);
    if (!cap)
        fprintf(stderr, "strider: %s\n", err);
    in->live = cap && sd_capture_is_live(cap);
    return cap;
}

/* Live: a closed connection is kept this long for its last ACKs, then
 * written (offline keeps the engine's 30 s, which late retransmissions in
 * files need); idle connections are looked for this often. Together they
 * put a connection's line on stdout well within a second of its FIN/RST. */
#define LIVE_LINGER_NS (SD_NS_PER_SEC / 2)
#define LIVE_SWEEP_NS (SD_NS_PER_SEC / 10)

typedef struct run_state {
    cli_input *in;
    sd_engine *e;
    sd_capture *cap;
    struct timespec last_stats;
} run_state;

static run_state g_run; /* the tick callback's context: one run at a time */

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static unsigned long rss_mb(void)
{
    unsigned long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%lu %lu", &pages, &resident) != 2)
            resident = 0;
        fclose(f);
    }
    return resident * (unsigned long)sysconf(_SC_PAGESIZE) / (1024 * 1024);
}

static void print_stats(run_state *r)
{
    const sd_engine_stats *st = sd_engine_get_stats(r->e);
    uint64_t recv = 0, drop = 0, ifdrop = 0;
    char drops[96] = "";
    if (sd_capture_drops(r->cap, &recv, &drop, &ifdrop) == 0)
        snprintf(drops, sizeof drops, ", dropped %llu by the kernel, %llu by the interface",
                 (unsigned long long)drop, (unsigned long long)ifdrop);
    fprintf(stderr, "strider: stats: %llu frames%s, %llu connections live (cap %llu), %llu ended, %llu evicted, %lu MB\n",
            (unsigned long long)st->frames, drops, (unsigned long long)st->live,
            (unsigned long long)st->max_flows,
            (unsigned long long)(st->conns_tcp + st->conns_udp - st->live), (unsigned long long)st->evicted,
            rss_mb());
}

static void on_tick(void *ud, sd_ts now)
{
    run_state *r = ud;
    if (r->in->live)
        fflush(stdout); /* what the command wrote reaches a pipe now */
    if (r->in->stats_interval > 0 && since(&r->last_stats) >= r->in->stats_interval) {
        clock_gettime(CLOCK_MONOTONIC, &r->last_stats);
        print_stats(r);
    }
}

sd_engine *cli_engine(cli_input *in, sd_engine_opts *eo)
{
    eo->diag = &in->diag;
    eo->max_flows = in->max_flows;
    eo->stop = &cli_stop;
    eo->tick = on_tick;
    eo->tick_ud = &g_run;
    if (in->live) {
        eo->tcp_linger = LIVE_LINGER_NS;
        eo->sweep_every = LIVE_SWEEP_NS;
    }
    return sd_engine_new(eo);
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

static void on_signal(int sig)
{
    (void)sig;
    cli_stop = 1;
}

/* SIGINT/SIGTERM end the run as the end of input would; a second one kills
 * (SA_RESETHAND), for a run that cannot finish. */
static void catch_signals(bool on)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on ? on_signal : SIG_DFL;
    sa.sa_flags = on ? SA_RESETHAND : 0;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* Every cap that cut something is said once, whatever --quiet says. */
static void report_caps(const cli_input *in, const sd_engine *e)
{
    const sd_engine_stats *st = sd_engine_get_stats(e);
    if (in->diag.count > in->diag_max)
        fprintf(stderr, "strider: %llu warnings about the input in all, the first %llu shown\n",
                (unsigned long long)in->diag.count, (unsigned long long)in->diag_max);
    if (st->oow_dropped)
        fprintf(stderr, "strider: %llu data segment(s) beyond the receiver's window were never ACKed and were "
                        "kept out of the reassembled streams (a possible injection; conns -R: out_of_window)\n",
                (unsigned long long)st->oow_dropped);
    uint64_t lost = sd_engine_frags_lost(st);
    if (lost)
        fprintf(stderr, "strider: %llu IP datagram(s) not reassembled from their fragments: %llu dropped for "
                        "the fragment memcap, %llu timed out, %llu incomplete at the end\n",
                (unsigned long long)lost, (unsigned long long)st->frags_lost_memcap,
                (unsigned long long)st->frags_lost_timeout, (unsigned long long)st->frags_incomplete);
    if (st->evicted)
        fprintf(stderr,
                "strider: the connection table was full (--max-flows %llu): %llu connection(s) "
                "ended early, written marked evicted\n",
                (unsigned long long)st->max_flows, (unsigned long long)st->evicted);
    if (st->streams_forgotten)
        fprintf(stderr, "strider: %llu ended connection(s) forgotten for the stream-number memory (--max-flows): "
                        "a later packet on one of their ports starts a new stream where Wireshark may not\n",
                (unsigned long long)st->streams_forgotten);
    if (st->ts_back) fprintf(stderr, "strider: time goes back at %llu frame(s), first at frame %llu: connections were analysed in capture order\n", (unsigned long long)st->ts_back, (unsigned long long)st->ts_back_first);
}

void cli_run(cli_input *in, sd_engine *e, sd_capture *cap)
{
    progress p = { !in->no_progress && !in->live && isatty(STDERR_FILENO), false };
    g_run = (run_state){ .in = in, .e = e, .cap = cap };
    clock_gettime(CLOCK_MONOTONIC, &g_run.last_stats);
    cli_stop = 0;
    catch_signals(true);
    sd_engine_run(e, cap, show_progress, &p);
    catch_signals(false);
    if (p.shown)
        fprintf(stderr, "\r%60s\r", "");
    if (in->stats_interval > 0)
        print_stats(&g_run);
    report_caps(in, e);
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
    if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len) {
        fprintf(stderr, "strider: cannot write the output: %s\n", strerror(errno));
        exit(1);
    }
    b->len = 0;
}

void cli_flush_now(sd_buf *b)
{
    cli_flush(b);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "strider: cannot write the output: %s\n", strerror(errno));
        exit(1);
    }
}

int cli_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (!*s || *s == '-' || *end || errno || v < min || v > max) {
        fprintf(stderr, "strider%s%s: %s wants a whole number from %llu to %llu, not \"%s\"\n", *cmd ? " " : "",
                cmd, opt, (unsigned long long)min, (unsigned long long)max, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_secs(const char *cmd, const char *opt, const char *s, double min, double max, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (!*s || *end || errno || !(v >= min && v <= max)) {
        fprintf(stderr, "strider%s%s: %s wants seconds from %g to %g, not \"%s\"\n", *cmd ? " " : "", cmd, opt,
                min, max, s);
        return -1;
    }
    *out = v;
    return 0;
}

