#include "cli.h"

#include "../capture/sd_capfiles.h"
#include "../common/sd_parse.h"
#include "../common/sd_site.h"
#include "../out/sd_outq.h"
#include "../out/sd_runlog.h"
#include "../out/sd_text.h"

#include <errno.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Whether a message about file is this process's to say: with --own (a
 * --jobs worker), only about the files it owns; the reader's name for a
 * file stays at one address, so a run of messages about one file is
 * looked up once. */
static bool diag_owned(cli_input *in, const char *file)
{
    if (!in->own_names || !file)
        return true;
    if (file != in->diag_file) {
        in->diag_file = file;
        in->diag_file_owned = false;
        for (size_t i = 0; i < in->own_files && !in->diag_file_owned; i++)
            in->diag_file_owned = !strcmp(file, in->own_names[i]);
    }
    return in->diag_file_owned;
}

static void quiesce(const cli_input *in)
{
    if (in->quiesce)
        in->quiesce(in->quiesce_ud);
}

static void print_diag(void *ud, const char *file, uint64_t frame, const char *msg)
{
    cli_input *in = ud;
    if (in->quiet)
        return;
    if (!diag_owned(in, file)) { /* its owner says it, and counts it */
        in->diag.count--;
        return;
    }
    if (in->diag.count <= in->diag_max + 1)
        quiesce(in);
    if (in->diag.count == in->diag_max + 1) {
        fprintf(stderr, "strider: more warnings suppressed\n");
        return;
    }
    if (in->diag.count > in->diag_max)
        return;
    sd_runlog_diag(stderr, file, frame, msg);
}

void cli_input_init(cli_input *in)
{
    memset(in, 0, sizeof *in);
    in->diag.fn = print_diag;
    in->diag.ud = in;
    in->diag_max = 200;
}

/* Directory entries listed by name; more are counted (a tree of a million
 * FIFOs must not flood the terminal). */
#define SKIPPED_SHOWN 20

/* A path as messages and outputs show it: a file name is as hostile as
 * the capture (a directory of captures from elsewhere, a name holding a
 * terminal escape or a spreadsheet formula), so it gets what a capture
 * string gets. Opening uses the path as it is. */
static char *shown_path(const char *path)
{
    sd_buf b = { 0 };
    sd_text_puts(&b, path);
    sd_buf_append(&b, "", 1);
    return (char *)b.p;
}

static void on_skipped(void *ud, const char *path, const char *why)
{
    cli_input *in = ud;
    if (in->nskipped++ < SKIPPED_SHOWN) {
        char *name = shown_path(path);
        sd_buf_printf(&in->skipped, "strider: %s: not read: %s\n", name, why);
        free(name);
    }
}

void cli_add_file(cli_input *in, const char *path)
{
    sd_capfiles_add(&in->files, &in->nfiles, path, on_skipped, in);
}

/* Said once (by the first chunk of a list) and before anything is read. */
static void say_skipped(const cli_input *in)
{
    if (!in->nskipped || in->quiet || in->own_later)
        return;
    fwrite(in->skipped.p, 1, in->skipped.len, stderr);
    if (in->nskipped > SKIPPED_SHOWN)
        fprintf(stderr, "strider: %llu further directory entries not read (symbolic links, FIFOs, "
                        "devices, sockets, directories too deep or unreadable)\n",
                (unsigned long long)(in->nskipped - SKIPPED_SHOWN));
}

volatile sig_atomic_t cli_stop;

/* --threads takes any count a script might pass (nproc on a large
 * machine); above 2 it is 2, the pipeline's stages. */
#define CLI_THREADS_MAX 1024

int cli_common_opt(cli_input *in, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_MAX_FLOWS:
        return cli_parse_u64("", "--max-flows", arg, 1, 1000000000, &in->max_flows) ? -1 : 1;
    case CLI_OPT_THREADS:
        return cli_parse_u64("", "--threads", arg, 1, CLI_THREADS_MAX, &in->threads) ? -1 : 1;
    case CLI_OPT_STATS:
        return cli_parse_secs("", "--stats-interval", arg, 0.1, 86400, &in->stats_interval) ? -1 : 1;
    case CLI_OPT_LOCAL_NETS:
        if (sd_site_set_local(arg) == 0)
            return 1;
        cli_errf("strider: --local-nets wants networks separated by commas (10.0.0.0/8,fd00::/8), "
                        "not \"%s\"\n", arg);
        return -1;
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
    case CLI_OPT_NO_VLAN_KEY:
        in->no_vlan_key = true;
        return 1;
    case CLI_OPT_CHECKSUM: {
        int m = sd_csum_mode_parse(arg);
        if (m >= 0) {
            in->csum = (sd_csum_mode)m;
            return 1;
        }
        cli_errf("strider: --checksum wants auto, verify or off, not \"%s\"\n", arg);
        return -1;
    }
    default:
        return 0;
    }
}

void cli_input_free(cli_input *in)
{
    for (size_t i = 0; i < in->nfiles; i++)
        free(in->files[i]);
    free(in->files);
    for (size_t i = 0; in->own_names && i < in->own_files; i++)
        free(in->own_names[i]);
    free(in->own_names);
    sd_buf_free(&in->skipped);
}

/* The same file given twice (by two names, or a directory and a file in
 * it) would merge every packet with itself: said, not refused, since the
 * analyst may mean it; the numbers then count each copy. */
static void warn_duplicates(const cli_input *in)
{
    struct stat *st = sd_calloc(in->nfiles ? in->nfiles : 1, sizeof *st);
    bool *ok = sd_calloc(in->nfiles ? in->nfiles : 1, sizeof *ok);
    for (size_t i = 0; i < in->nfiles; i++) {
        ok[i] = strcmp(in->files[i], "-") && stat(in->files[i], &st[i]) == 0 && S_ISREG(st[i].st_mode);
        for (size_t j = 0; ok[i] && j < i; j++)
            if (ok[j] && st[j].st_dev == st[i].st_dev && st[j].st_ino == st[i].st_ino) {
                char *a = shown_path(in->files[j]), *b = shown_path(in->files[i]);
                fprintf(stderr, "strider: warning: %s and %s are the same file: its packets are read twice\n",
                        a, b);
                free(a);
                free(b);
                break;
            }
    }
    free(ok);
    free(st);
}

/* Descriptors kept for outputs (extract's --max-open files, the report,
 * stdio) beside one per input file. */
#define FD_SPARE 128

/* Every input file is open at once (merged in time order): a directory of
 * 1,500 rotated files under the usual soft limit of 1,024 descriptors read
 * 1,000 of them. The soft limit is raised as far as the hard one allows;
 * past that each file that cannot be opened is still said. */
static void raise_fd_limit(size_t nfiles)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return;
    rlim_t want = (rlim_t)nfiles + FD_SPARE;
    if (want <= rl.rlim_cur)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || want < rl.rlim_max ? want : rl.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &rl); /* best effort: failures are said per file */
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
    size_t nstdin = 0;
    for (size_t i = 0; i < in->nfiles; i++)
        nstdin += strcmp(in->files[i], "-") == 0;
    if (nstdin > 1) { /* each would read part of one stream: two broken captures */
        fprintf(stderr, "strider: '-' (standard input) given %zu times: it can be read once\n", nstdin);
        return NULL;
    }
    say_skipped(in);
    raise_fd_limit(in->nfiles);
    if (!in->own_later) /* the first chunk sees the whole list: it says it */
        warn_duplicates(in);
    char **names = sd_calloc(in->nfiles ? in->nfiles : 1, sizeof *names);
    for (size_t i = 0; i < in->nfiles; i++)
        names[i] = shown_path(in->files[i]);
    /* a list of files names each frame's file, however many of them open:
     * a chunk of it (--own) does, and the merge must give one run's bytes;
     * a chunk whose files all fail owns nothing, its run goes on */
    sd_capture_opts o = { .bpf = in->bpf, .iface = in->iface, .diag = &in->diag, .all_frames = !in->iface,
                           .map_files = in->list_chunk || in->nfiles > 1, .none_ok = in->list_chunk,
                           .report_files = in->own_files, .names = (const char *const *)names,
                           .frame_base = in->frame_base };
    char err[512];
    sd_capture *cap = sd_capture_open((const char *const *)in->files, in->nfiles, &o, err, sizeof err);
    size_t kept = 0;
    if (in->own_files && in->own_files < in->nfiles && !in->own_names) {
        in->own_names = names; /* the owned ones kept for print_diag */
        kept = in->own_files;
    }
    for (size_t i = kept; i < in->nfiles; i++)
        free(names[i]);
    if (!kept)
        free(names);
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

static void on_tick(void *ud, sd_ts now)
{
    run_state *r = ud;
    if (r->in->live)
        fflush(stdout); /* what the command wrote reaches a pipe now */
    if (r->in->stats_interval > 0 && since(&r->last_stats) >= r->in->stats_interval) {
        clock_gettime(CLOCK_MONOTONIC, &r->last_stats);
        quiesce(r->in);
        sd_runlog_stats(stderr, sd_engine_get_stats(r->e), r->cap);
    }
}

/* A second thread is worth it only with a second CPU to run it. */
unsigned cli_threads(const cli_input *in)
{
    if (in->threads)
        return in->threads > 2 ? 2 : (unsigned)in->threads;
    return sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
}

/* STRIDER_PIPE_RING=RECORDS,BATCHES sizes sd_pipe's queue: a test knob
 * (1,1 makes every record a hand-off between the threads), not an option. */
static void pipe_ring(sd_engine_opts *eo)
{
    const char *env = getenv("STRIDER_PIPE_RING");
    unsigned recs, batches;
    char end;
    if (env && sscanf(env, "%u,%u%c", &recs, &batches, &end) == 2 && recs && batches && recs <= 1u << 16 &&
        batches <= 1u << 10) {
        eo->pipe_batch = recs;
        eo->pipe_batches = batches;
    }
}

static void outq_quiesce(void *q)
{
    sd_outq_sync(q);
}

sd_outq *cli_outq_start(cli_input *in, size_t item_size, void (*fn)(void *ud, void *item), void *ud)
{
    sd_outq *q = sd_outq_start(item_size, getenv("STRIDER_PIPE_RING") ? SD_OUTQ_ITEMS : 0, fn, ud);
    if (q) {
        in->quiesce = outq_quiesce;
        in->quiesce_ud = q;
    }
    return q;
}

void cli_outq_end(cli_input *in, sd_outq **q)
{
    sd_outq_end(*q);
    *q = NULL;
    if (in)
        in->quiesce = NULL;
}

sd_engine *cli_engine(cli_input *in, sd_engine_opts *eo)
{
    eo->diag = &in->diag;
    eo->max_flows = in->max_flows;
    eo->vlan_unkeyed = in->no_vlan_key;
    eo->csum = in->csum;
    eo->threads = cli_threads(in);
    pipe_ring(eo);
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
    const cli_input *in;
} progress;

static void show_progress(void *ud, uint64_t done, uint64_t total)
{
    progress *p = ud;
    if (!p->on || !total)
        return;
    quiesce(p->in);
    sd_runlog_progress(stderr, done, total);
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

/* As tcpdump starts a live capture: what is captured, and that the signal
 * handlers are in place (a script waits for this line before it makes
 * traffic or sends SIGINT: one sent before it is lost when the shell
 * started strider with SIGINT ignored, as it does background jobs). */
static void say_listening(const cli_input *in, const sd_capture *cap)
{
    char what[512];
    if (in->quiet || !sd_capture_live_desc(cap, what, sizeof what))
        return;
    fprintf(stderr, "strider: %s; SIGINT or SIGTERM ends the run\n", what);
    fflush(stderr);
}

void cli_run(cli_input *in, sd_engine *e, sd_capture *cap)
{
    progress p = { !in->no_progress && !in->live && isatty(STDERR_FILENO), false, in };
    g_run = (run_state){ .in = in, .e = e, .cap = cap };
    clock_gettime(CLOCK_MONOTONIC, &g_run.last_stats);
    cli_stop = 0;
    catch_signals(true);
    say_listening(in, cap);
    sd_engine_run(e, cap, show_progress, &p);
    catch_signals(false);
    quiesce(in); /* what follows on stderr comes after every record */
    if (p.shown)
        fprintf(stderr, "\r%60s\r", "");
    if (in->stats_interval > 0)
        sd_runlog_stats(stderr, sd_engine_get_stats(e), cap);
    /* every cap that cut something is said once, whatever --quiet says */
    sd_runlog_caps(stderr, sd_engine_get_stats(e), in->diag.count, in->diag_max);
}

/* Narrower than this nothing reads; wider is a mistake in COLUMNS. */
#define TEXT_MIN_COLS 40
#define TEXT_MAX_COLS 10000

unsigned cli_text_width(void)
{
    if (!isatty(STDOUT_FILENO))
        return 0;
    uint64_t cols;
    const char *env = getenv("COLUMNS");
    if (env && sd_parse_u64(env, TEXT_MIN_COLS, TEXT_MAX_COLS, &cols) == 0)
        return (unsigned)cols;
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= TEXT_MIN_COLS)
        return ws.ws_col;
    return 100;
}

int cli_status(const cli_input *in, const sd_capture *cap)
{
    return sd_capture_frames(cap) == 0 && in->diag.count > 0 ? 1 : 0;
}

/* A message quoting the arguments given, which a script may have taken
 * from a capture or a file name: written as a capture string is (\xHH for
 * a control byte), a backslash kept as one. */
static void say_safe(const char *fmt, va_list ap)
{
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    size_t n = strlen(msg);
    bool nl = n && msg[n - 1] == '\n'; /* the message's own line end */
    msg[n - nl] = '\0';
    sd_buf b = { 0 };
    sd_text_puts_made(&b, msg);
    fwrite(b.p, 1, b.len, stderr);
    if (nl)
        fputc('\n', stderr);
    sd_buf_free(&b);
}

void cli_errf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say_safe(fmt, ap);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "strider %s: ", cmd);
    va_start(ap, fmt);
    say_safe(fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'strider %s --help')\n", cmd);
    return 2;
}

/* A piece this large goes to stdout's file in write(2) calls of its own,
 * after what stdio holds: copied through stdout's 1 MiB buffer (main.c) it
 * cost conns --json 3 % more instructions on brute-10000 (its records come
 * in 64 KiB pieces), while a connection's few KiB (ssh) still gather there. */
#define DIRECT_WRITE_MIN ((size_t)64 << 10)

static _Noreturn void write_failed(void)
{
    fprintf(stderr, "strider: cannot write the output: %s\n", strerror(errno));
    exit(1);
}

void cli_flush(sd_buf *b)
{
    if (b->len >= DIRECT_WRITE_MIN) {
        if (fflush(stdout) != 0)
            write_failed();
        if (sd_write_all(fileno(stdout), b->p, b->len) != b->len)
            write_failed();
    } else if (b->len && fwrite(b->p, 1, b->len, stdout) != b->len) {
        write_failed();
    }
    b->len = 0;
}

void cli_flush_now(sd_buf *b)
{
    cli_flush(b);
    if (fflush(stdout) != 0)
        write_failed();
}
