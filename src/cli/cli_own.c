/* cli_own: --own, --read-ahead and --jobs (see cli_own.h). */
#include "cli_own.h"

#include "../capture/sd_reccount.h"
#include "../flow/sd_own.h"
#include "../out/sd_json.h"
#include "../out/sd_merge_feed.h"
#include "cli_own_ext.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define JOBS_MAX 256u /* more workers than this is a typo, not a machine */
#define OWN_FILE_MAX 100000000u
#define READ_AHEAD_MAX_S (366.0 * 86400) /* a year of capture time */

/* What merge cannot make one run's output from, per command: options whose
 * output is not per-connection JSON lines, or that pick by a number the
 * chunk does not know (a stream, a frame range, a limit, an order). */
typedef struct own_cmd {
    const char *name, *shorts;
    const char *longs[8];
    bool dir; /* writes a directory (-o DIR), not JSON lines: sd_merge_ext */
    bool fmts; /* CSV, text, --fields: its chunks declare them (sd_merge_fmt) */
    bool sum;  /* summary: chunks write partial aggregates, text or JSON (sd_merge_sum) */
} own_cmd;

static const own_cmd OWN_CMDS[] = {
    { "conns", "sn", { "--sort", "--limit", NULL }, false, true, false },
    { "ssh", "nzop", { "--stream", "--zoom", "--outdir", "--plots", "--report", "--records", NULL }, false, false, false },
    { "extract", "", { "--flows-only", NULL }, true, false, false }, /* no index: nothing to merge by */
    /* --host: "soon after the first contact" needs the global first contact */
    { "summary", "", { "--host", "--after", "--max-host-conns", NULL }, false, false, true },
};

static const own_cmd *own_cmd_of(const char *name)
{
    for (size_t i = 0; i < SD_ARRAY_LEN(OWN_CMDS); i++)
        if (!strcmp(OWN_CMDS[i].name, name))
            return &OWN_CMDS[i];
    return NULL;
}

/* Seconds with an optional unit: s, m, h, d. */
static int parse_duration(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    double mul = 1;
    switch (*end) {
    case 's': mul = 1; end++; break;
    case 'm': mul = 60; end++; break;
    case 'h': mul = 3600; end++; break;
    case 'd': mul = 86400; end++; break;
    default: break;
    }
    if (end == s || *end || errno || !isfinite(v) || v <= 0 || v * mul > READ_AHEAD_MAX_S)
        return -1;
    *out = v * mul;
    return 0;
}

static int parse_own(const char *cmd, const char *s, cli_own *o)
{
    unsigned long long a, b;
    int n = 0;
    if (sscanf(s, "%llu:%llu%n", &a, &b, &n) != 2 || s[n] || strchr(s, '-') || a > b || b >= OWN_FILE_MAX)
        return cli_usage_error(cmd, "--own wants FIRST:LAST, file indexes from 0 with FIRST <= LAST, not \"%s\"",
                               s);
    o->own = true;
    o->first = (unsigned)a, o->last = (unsigned)b;
    return CLI_OK;
}

/* One of our options at argv[*i] (value inline or next): CLI_OK, 2, or -1
 * when it is not ours. */
static int take(const char *cmd, int argc, char **argv, int *i, cli_own *o)
{
    static const char *const NAMES[] = { "--own", "--read-ahead", "--jobs", "--own-direct", "--own-frame-base" };
    for (int k = 0; k < 5; k++) {
        size_t l = strlen(NAMES[k]);
        if (strncmp(argv[*i], NAMES[k], l) || (argv[*i][l] && argv[*i][l] != '='))
            continue;
        const char *v = argv[*i][l] ? argv[*i] + l + 1 : *i + 1 < argc ? argv[++*i] : NULL;
        uint64_t n;
        if (!v)
            return cli_usage_error(cmd, "%s wants a value", NAMES[k]);
        if (k == 0)
            return parse_own(cmd, v, o);
        if (k == 1) {
            o->ahead_set = true;
            return parse_duration(v, &o->read_ahead) ? cli_usage_error(cmd, "--read-ahead wants a duration "
                   "(seconds, or with s, m, h or d) above 0 and at most a year, not \"%s\"", v) : CLI_OK;
        }
        if (k == 3) {
            if (cli_parse_u64(cmd, NAMES[k], v, 3, INT_MAX, &n) || fcntl((int)n, F_GETFD) < 0)
                return cli_usage_error(cmd, "--own-direct wants an open file descriptor (--jobs gives it)");
            o->direct_fd = (int)n;
            return CLI_OK;
        }
        if (k == 4) { /* (a frame number is a uint64: the records before it must leave room) */
            if (cli_parse_u64(cmd, NAMES[k], v, 0, UINT64_MAX / 2, &n))
                return 2;
            o->fb_set = true, o->frame_base = n;
            return CLI_OK;
        }
        if (cli_parse_u64(cmd, "--jobs", v, 1, JOBS_MAX, &n))
            return 2;
        o->jobs = (unsigned)n;
        return CLI_OK;
    }
    return -1;
}

/* With --own or --jobs: --json is given and nothing merge cannot merge. */
static int check_args(const cli_cmd *c, const cli_own *o, int argc, char **argv)
{
    const own_cmd *oc = own_cmd_of(c->name);
    if (!oc)
        return cli_usage_error(c->name, "--own, --read-ahead and --jobs are for conns and ssh --json, extract and summary");
    if (o->own && o->jobs)
        return cli_usage_error(c->name, "--own or --jobs, not both");
    if (o->direct_fd >= 0 && (!o->own || o->first || oc->dir || oc->sum))
        return cli_usage_error(c->name, "--own-direct is for the first chunk's JSON lines (--own 0:N)");
    if (o->fb_set && (!o->own || oc->dir || oc->sum))
        return cli_usage_error(c->name, "--own-frame-base is for a chunk's lines (--own FIRST:LAST, conns, ssh)");
    bool json = false, csv = false, meta = false;
    for (int i = 1; i < argc && strcmp(argv[i], "--"); i++) {
        const char *a = argv[i];
        json |= !strcmp(a, "--json") || (a[0] == '-' && a[1] != '-' && strchr(a, 'j'));
        csv |= !strcmp(a, "--csv");
        meta |= !strcmp(a, "--meta") || (a[0] == '-' && a[1] != '-' && strchr(a, 'm'));
        for (int k = 0; oc->longs[k]; k++)
            if (!strncmp(a, oc->longs[k], strlen(oc->longs[k])))
                return cli_usage_error(c->name, "%s cannot be used with --own or --jobs", oc->longs[k]);
        bool cols = !strncmp(a, "--fields", 8) || (i > 1 && (!strcmp(argv[i - 1], "-F") ||
                                                             !strcmp(argv[i - 1], "--fields")));
        if (!cols && strstr(a, "open_at_end")) /* a chunk knows its own connections' counts only: the merge
                                                  writes the counts it recomputes, but cannot filter on them */
            return cli_usage_error(c->name, "open_at_end cannot be filtered on with --own or --jobs");
        if (a[0] == '-' && a[1] && a[1] != '-' && strpbrk(a + 1, oc->shorts))
            return cli_usage_error(c->name, "-%c cannot be used with --own or --jobs", *strpbrk(a + 1, oc->shorts));
    }
    if (oc->dir || oc->fmts || oc->sum)
        return CLI_OK;
    if (csv && meta) /* ssh -m --csv: its rows are not merged yet */
        return cli_usage_error(c->name, "-m --csv cannot be merged yet (--own, --jobs): give --json");
    if (csv) /* ssh --csv, its events: the chunks declare it (sd_merge_fmt) */
        return CLI_OK;
    return json ? CLI_OK : cli_usage_error(c->name, "--own and --jobs merge JSON lines only (not the text report, "
                                                    "nor --csv): give --json");
}

int cli_own_args(const cli_cmd *c, int *argc, char **argv, cli_own *o)
{
    memset(o, 0, sizeof *o);
    o->direct_fd = o->chunk_fd = -1;
    int out = 1, rc = CLI_OK;
    bool ours = false;
    for (int i = 1; i < *argc; i++) {
        if (!strcmp(argv[i], "--")) { /* the rest are files */
            while (i < *argc)
                argv[out++] = argv[i++];
            break;
        }
        int r = take(c->name, *argc, argv, &i, o);
        if (r < 0)
            argv[out++] = argv[i];
        else
            ours = true, rc = rc == CLI_OK ? r : rc;
    }
    *argc = out;
    argv[out] = NULL;
    if (rc == CLI_OK && ours)
        rc = check_args(c, o, *argc, argv);
    const own_cmd *oc = own_cmd_of(c->name);
    o->dir = oc && oc->dir;
    o->argc = *argc;
    o->argv = sd_calloc((size_t)*argc + 1, sizeof *o->argv);
    memcpy(o->argv, argv, (size_t)*argc * sizeof *argv);
    return rc;
}

int cli_own_begin(cli_own *o, const char *cmd, cli_input *in, sd_engine_opts *eo)
{
    if (in->iface)
        return cli_usage_error(cmd, "--own reads files, not a live interface");
    if (o->last >= in->nfiles)
        return cli_usage_error(cmd, "--own %u:%u: there are %zu input files (indexes 0 to %zu)", o->first, o->last,
                               in->nfiles, in->nfiles ? in->nfiles - 1 : 0);
    for (size_t i = 0; i < in->nfiles; i++)
        if (!strcmp(in->files[i], "-"))
            return cli_usage_error(cmd, "--own and --jobs read files, not standard input");
    in->list_chunk = in->nfiles > 1;
    in->own_files = o->last - o->first + 1;
    in->own_later = o->first > 0;
    for (unsigned i = 0; i < o->first; i++)
        free(in->files[i]);
    memmove(in->files, in->files + o->first, (in->nfiles - o->first) * sizeof *in->files);
    in->nfiles -= o->first;
    sd_ts ahead = o->ahead_set ? (sd_ts)(o->read_ahead * 1e9) : SD_OWN_READ_AHEAD_DEFAULT;
    o->chunk = sd_own_new(o->first, o->last, ahead);
    if (o->fb_set)
        in->frame_base = o->frame_base, sd_own_frame_base(o->chunk, o->frame_base);
    if (strcmp(cmd, "conns")) /* the only one whose lines carry open counts */
        sd_own_no_open_counts(o->chunk);
    eo->own = o->chunk;
    return CLI_OK;
}

void cli_own_files(cli_own *o, const sd_capture *cap)
{
    sd_own_set_files(o->chunk, cap);
    o->cap = cap;
}

/* stdout back to the chunk's file: what the command wrote so far is the
 * final output's start, the rest is for the merge. */
static void direct_end(void *ud)
{
    cli_own *o = ud;
    if (o->in->quiesce)
        o->in->quiesce(o->in->quiesce_ud);
    if (o->in->own_pending)
        cli_flush(o->in->own_pending);
    sd_buf none = { 0 };
    cli_flush_now(&none); /* exits on a write error, as any output does */
    dup2(o->chunk_fd, STDOUT_FILENO);
    close(o->chunk_fd);
    o->chunk_fd = -1;
    /* the file and number there of each frame so far, by runs: the merge
     * names a campaign's first frame from its connection's line, which
     * for these is not in the chunk's file ({"_own":"org"}) */
    sd_buf b = { 0 };
    uint64_t g, n, ff;
    const char *path;
    for (size_t i = 0; sd_capture_origin_run(o->cap, i, &g, &n, &path, &ff); i++) {
        sd_buf_printf(&b, "{\"_own\":\"org\",\"g\":%llu,\"n\":%llu,\"ff\":%llu,\"path\":", (unsigned long long)g,
                      (unsigned long long)n, (unsigned long long)ff);
        sd_json_escape(&b, path, strlen(path));
        sd_buf_append(&b, "}\n", 2);
        if (b.len > 65536)
            cli_flush(&b);
    }
    cli_flush(&b);
    sd_buf_free(&b);
}

void cli_own_started(cli_own *o, cli_input *in)
{
    if (o->direct_fd < 0)
        return;
    int fd = o->direct_fd;
    o->direct_fd = -1;
    fflush(stdout); /* (nothing yet: a chunk's lines start with its records) */
    if (!in->own_rewrites && (o->chunk_fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3)) >= 0) {
        o->in = in;
        dup2(fd, STDOUT_FILENO);
        sd_own_on_past(o->chunk, direct_end, o);
    }
    close(fd);
}

void cli_own_end(cli_own *o)
{
    sd_buf b = { 0 };
    if (!o->dir) /* a directory's command wrote them there */
        sd_own_write(o->chunk, &b);
    cli_flush(&b);
    sd_buf_free(&b);
    uint64_t cut = sd_own_cut(o->chunk);
    if (cut)
        fprintf(stderr, "strider: %llu owned connection%s still alive at the read-ahead limit, cut there "
                        "(--read-ahead)\n", (unsigned long long)cut, cut == 1 ? "" : "s");
}

void cli_own_free(cli_own *o)
{
    sd_own_free(o->chunk);
    free(o->argv);
}

/* Chunks per worker. A queue of more chunks than workers would balance a
 * shared machine's uneven cores, but a chunk between the first and the
 * last reads ahead past its files until its provisional connections end:
 * the tails of the previous chunk's connections, mid-stream to it, idle
 * until the established-TCP timeout (an hour of capture time). On
 * bench/jobs --brute 100000 (27 minutes of capture) 8 chunks made chunk
 * 12:24 read 328 MB ahead (of 484); 2 chunks read 1.9 %. So one chunk a
 * worker, the first one free of provisional connections, the last one
 * reading nothing ahead. */
#define JOB_CHUNKS_PER_WORKER 1

/* The first chunk gets this much more than the others, in percent of
 * theirs: its worker writes its lines up to the end of its files straight
 * to the final output (--own-direct), which costs the merge nothing, where
 * a later chunk's lines are all read and renumbered by the merge (about a
 * seventh of analysing the same bytes, ssh --json, bench/jobs). With 12 %
 * (0:52 / 53:99 of 100 equal files) --jobs 2 cost 12 080 M instructions
 * against 12 172 M at 0:47 / 48:99 (the merge 1 514 M against 1 601 M,
 * docs/scale.md "direct"), and the last chunk ends first by about what the
 * merge then reads of its output while the first still runs. */
#define JOB_FIRST_CHUNK_MORE_PCT 12

/* k chunks of consecutive files of about equal size (the first bigger),
 * at most one per file: ends[c] is the last file of chunk c. Returns k. */
static size_t split(const cli_input *in, size_t k, size_t *ends)
{
    k = in->nfiles < k ? in->nfiles : k;
    double total = 0, *cum = sd_calloc(in->nfiles, sizeof *cum);
    for (size_t i = 0; i < in->nfiles; i++) {
        struct stat st;
        total += stat(in->files[i], &st) == 0 ? (double)st.st_size : 0;
        cum[i] = total;
    }
    size_t f = 0;
    double more = k > 1 ? JOB_FIRST_CHUNK_MORE_PCT / 100.0 : 0;
    for (size_t c = 0; c < k; c++) {
        size_t left = k - c - 1; /* chunks after this one, each needs a file */
        while (f + 1 < in->nfiles - left && cum[f] < total * (c + 1 + more) / (k + more))
            f++;
        ends[c] = c + 1 == k ? in->nfiles - 1 : f;
        f++;
    }
    free(cum);
    return k;
}

/* A worker: this binary on one chunk, its stdout into fd. direct: the
 * first chunk, whose early lines go straight to this process's stdout
 * (--own-direct: the merge need not map them from fd and write them again). */
static pid_t spawn(const cli_own *o, const char *cmd, size_t first, size_t last, int fd, int efd, const char *dir,
                   bool direct, const uint64_t *fb)
{
    char own[64], ahead[64], dfd[32], base[32];
    int dnum = (fd > efd ? fd : efd) + 1; /* the final output's number in the worker: neither of its others */
    snprintf(dfd, sizeof dfd, "%d", dnum);
    snprintf(own, sizeof own, "%zu:%zu", first, last);
    snprintf(ahead, sizeof ahead, "%.9gs", o->read_ahead);
    char **argv = sd_calloc((size_t)o->argc + 14, sizeof *argv); /* ours: at most 13, then NULL */
    int n = 0;
    argv[n++] = "strider";
    argv[n++] = (char *)cmd;
    argv[n++] = "--own";
    argv[n++] = own;
    if (o->ahead_set)
        argv[n++] = "--read-ahead", argv[n++] = ahead;
    argv[n++] = "--no-progress";
    if (direct)
        argv[n++] = "--own-direct", argv[n++] = dfd;
    if (fb) {
        snprintf(base, sizeof base, "%llu", (unsigned long long)*fb);
        argv[n++] = "--own-frame-base", argv[n++] = base;
    }
    int i = 1;
    for (; i < o->argc && strcmp(o->argv[i], "--"); i++)
        argv[n++] = o->argv[i];
    if (dir) /* after the user's -o: getopt keeps the last */
        argv[n++] = "-o", argv[n++] = (char *)dir;
    for (; i < o->argc; i++)
        argv[n++] = o->argv[i];
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* a worker outlives no parent: a run stopped (a signal, a closed
         * pipe) stops its workers */
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (direct && dup2(STDOUT_FILENO, dnum) < 0)
            _exit(127);
        dup2(fd, STDOUT_FILENO);
        dup2(efd, STDERR_FILENO);
        execv("/proc/self/exe", argv);
        fprintf(stderr, "strider: cannot run a worker: %s\n", strerror(errno));
        _exit(127);
    }
    free(argv);
    return pid;
}

/* The queue: chunks, their output files, their workers. */
typedef struct jobq {
    const cli_own *o;
    const char *outdir;     /* extract: the chunks write into it (cli_own_ext) */
    sd_merge_feed feed;     /* each chunk's output merged as its worker ends */
    const char *cmd, *tmp;
    size_t k, next, running, *ends;
    int *fds;               /* each chunk's output: a file unlinked at once */
    int *efds;              /* ... and its stderr, said in chunk order */
    size_t said;            /* chunks whose stderr was said */
    pid_t *pids;
    bool direct;            /* the first chunk writes its early lines to stdout (--own-direct) */
    /* the records of the files before the next chunk (--own-frame-base),
     * counted up to file `counted`; fb: the chunks number their frames */
    const cli_input *in;
    bool fb;
    size_t counted;
    uint64_t records;
    int rc;                 /* the worst status so far */
} jobq;

/* Starts the next chunk's worker; false (rc set) when it cannot. Its
 * output file is unlinked as soon as it is made: whatever ends the run
 * (a signal, a closed pipe), nothing is left in $TMPDIR. */
static int tmp_file(const jobq *q)
{
    size_t len = strlen(q->tmp) + 32;
    char *path = sd_malloc(len);
    snprintf(path, len, "%s/strider-job-XXXXXX", q->tmp);
    int fd = mkstemp(path);
    if (fd >= 0) /* not the other workers' (spawn gives the worker its own) */
        unlink(path), fcntl(fd, F_SETFD, FD_CLOEXEC);
    else
        fprintf(stderr, "strider %s: cannot make a file in %s: %s\n", q->cmd, q->tmp, strerror(errno));
    free(path);
    return fd;
}

static bool start_next(jobq *q)
{
    size_t c = q->next++;
    int fd = q->fds[c] = tmp_file(q), efd = fd < 0 ? -1 : (q->efds[c] = tmp_file(q));
    if (efd < 0) {
        q->rc = 1;
        return false;
    }
    char dir[4096];
    const char *d = q->outdir ? cli_own_ext_chunkdir(q->outdir, c, dir, sizeof dir) : NULL;
    size_t first = c ? q->ends[c - 1] + 1 : 0;
    for (; q->fb && q->counted < first; q->counted++) { /* (after the first chunk started: it needs none) */
        uint64_t n;
        q->fb = sd_reccount(q->in->files[q->counted], &n); /* can't tell: the merge shifts this one's frames */
        q->records += n;
    }
    q->pids[c] = spawn(q->o, q->cmd, first, q->ends[c], fd, efd, d, !c && q->direct, q->fb ? &q->records : NULL);
    if (q->pids[c] < 0) {
        fprintf(stderr, "strider %s: cannot start a worker: %s\n", q->cmd, strerror(errno));
        q->rc = 1;
        return false;
    }
    q->running++;
    return true;
}

/* Waits for a worker; its chunk index, its status in *st (a signal counts
 * as 1), or k when none is left. */
static size_t reap_one(jobq *q, int *st)
{
    int w = 0;
    pid_t pid;
    while ((pid = waitpid(-1, &w, 0)) < 0 && errno == EINTR)
        ;
    for (size_t c = 0; pid > 0 && c < q->next; c++)
        if (q->pids[c] == pid) {
            q->running--;
            q->pids[c] = 0;
            *st = WIFEXITED(w) ? WEXITSTATUS(w) : 1;
            if (*st)
                fprintf(stderr, "strider %s: the worker for chunk %zu failed (status %d)\n", q->cmd, c, *st);
            return c;
        }
    if (pid < 0) /* no child left that we know of */
        q->running = 0;
    return q->k;
}

/* The stderr of the chunks that ended, in chunk order up to the first
 * one still running: one run says what concerns its files in their order
 * (a file it cannot read, a warning), whichever chunk ends first. */
static void say_errs(jobq *q)
{
    for (; q->said < q->next && !q->pids[q->said]; q->said++) {
        int fd = q->efds[q->said];
        char buf[1 << 14];
        ssize_t n;
        for (off_t at = 0; fd >= 0 && (n = pread(fd, buf, sizeof buf, at)) > 0; at += n)
            fwrite(buf, 1, (size_t)n, stderr);
        if (fd >= 0)
            close(fd);
        q->efds[q->said] = -1;
    }
    fflush(stderr);
}

/* Runs the queue: at most jobs workers at a time, each finished chunk's
 * output read into m at once. After a failure no new chunk starts. */
static void run_queue(jobq *q, unsigned jobs)
{
    while (q->running || (q->next < q->k && !q->rc)) {
        while (!q->rc && q->next < q->k && q->running < jobs)
            start_next(q);
        if (!q->running)
            break;
        int st = 0;
        size_t c = reap_one(q, &st);
        if (c == q->k)
            continue;
        say_errs(q);
        q->rc = st > q->rc ? st : q->rc;
        char path[4096]; /* the unlinked file, opened anew from its start */
        snprintf(path, sizeof path, "/proc/self/fd/%d", q->fds[c]);
        if (q->outdir)
            cli_own_ext_chunkdir(q->outdir, c, path, sizeof path);
        if (!q->rc && !sd_merge_feed_add(&q->feed, path, q->running || q->next < q->k))
            q->rc = 1;
        close(q->fds[c]);
        q->fds[c] = -1;
    }
}

/* The feed the chunks go to: extract's output directory made, the
 * chunks' directories in it merged there. False (q->rc set) when it
 * cannot be. */
static bool jobs_feed(jobq *q, const cli_own *o, const char *cmd)
{
    bool force = false;
    if (o->dir && !(q->outdir = cli_own_ext_outdir(o->argc, o->argv, &force))) {
        q->rc = cli_usage_error(cmd, "-o DIR is required");
        return false;
    }
    sd_feed_kind kind = o->dir ? SD_FEED_DIR : own_cmd_of(cmd)->sum ? SD_FEED_SUM : SD_FEED_LINES;
    q->direct = q->fb = kind == SD_FEED_LINES; /* (summary and extract chunks' merges shift frames themselves) */
    if (!sd_merge_feed_init(&q->feed, kind, stdout, stderr, q->outdir, force, true))
        q->rc = q->feed.rc;
    return !q->rc;
}

int cli_own_jobs(cli_own *o, const char *cmd, cli_input *in)
{
    if (in->iface)
        return cli_usage_error(cmd, "--jobs reads files, not a live interface");
    for (size_t i = 0; i < in->nfiles; i++)
        if (!strcmp(in->files[i], "-"))
            return cli_usage_error(cmd, "--jobs reads files, not standard input");
    size_t want = (size_t)o->jobs * JOB_CHUNKS_PER_WORKER;
    jobq q = { .o = o, .cmd = cmd, .in = in, .ends = sd_calloc(want, sizeof(size_t)) };
    q.tmp = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    q.k = split(in, want, q.ends);
    q.fds = sd_calloc(q.k, sizeof *q.fds);
    q.efds = sd_calloc(q.k, sizeof *q.efds);
    for (size_t c = 0; c < q.k; c++)
        q.fds[c] = q.efds[c] = -1;
    q.pids = sd_calloc(q.k, sizeof *q.pids);
    if (!jobs_feed(&q, o, cmd)) {
        if (q.feed.m)
            sd_merge_free(q.feed.m);
        free(q.fds), free(q.efds), free(q.pids), free(q.ends);
        return q.rc;
    }
    uint64_t tot[1 + SD_MERGE_XST] = { 0 };
    if (q.feed.ext) /* extract's totals: the kept sessions', printed once */
        sd_merge_totals(q.feed.m, tot);
    run_queue(&q, o->jobs);
    sd_merge_ext *ext = q.feed.ext;
    int rc = sd_merge_feed_finish(&q.feed, q.rc);
    if (ext && !rc)
        cli_own_ext_totals(tot, in->quiet);
    if (ext)
        rc = sd_merge_ext_finish(ext, rc);
    for (size_t c = 0; q.outdir && c < q.k; c++) /* a failed worker's, not merged */
        cli_own_ext_discard(q.outdir, c);
    for (size_t c = 0; c < q.k; c++) {
        if (q.fds[c] >= 0)
            close(q.fds[c]);
        if (q.efds[c] >= 0)
            close(q.efds[c]);
    }
    free(q.fds), free(q.efds), free(q.pids), free(q.ends);
    return rc;
}
