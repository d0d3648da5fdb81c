/* sd_filesink: buffered output files written by a second thread.
 *
 * Each file's pending bytes stay in memory (one contiguous run of the file
 * starting at offset bstart, in a chain of pooled blocks, so appending never
 * copies what is already held) until the file ends, FILE_BUF_MAX bytes are
 * pending, a hole breaks the run, the caller flushes, or all files together
 * hold more than the budget (then the least recently written ones go
 * first, while pending bytes are most of the budget; else the caller waits
 * for the blocks in flight). Most files are small: created, written with one pwritev and
 * closed, once.
 *
 * Creating, writing and closing files is kernel work that does not depend
 * on the caller's next input, so a writer thread does it: the caller queues
 * jobs (write these blocks at this offset of this file; finish this file)
 * and goes on; the writer does them in order and gives the blocks back.
 * Blocks in flight count in the budget; when it is exceeded and nothing is
 * left to queue, the caller waits for blocks to come back. The writer keeps
 * files that are written before they end open in a small LRU cache of
 * descriptors; an evicted one is reopened without O_TRUNC and written at
 * its offset (pwritev), so nothing depends on a file position. */
#include "sd_filesink.h"
#include "sd_text.h"

#include "../common/sd_common.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define FILE_BUF_MAX (1u << 20)
#define DEFAULT_BUDGET ((size_t)32 << 20)
#define DEFAULT_MAX_OPEN 63
/* A file's blocks double from 4 KiB to 64 KiB: most files are small, and
 * the budget counts whole blocks, so a 10 KiB transcript held in 4 + 64 KiB
 * let the budget fill with a few hundred sessions of short connections and
 * flush them before their end (a second open, write and close each); in
 * 4 + 8 KiB it holds 12 KiB. Any block is at most half empty past 8 KiB. */
#define BLK_MIN_SHIFT 12
#define BLK_CLASSES 5        /* 4, 8, 16, 32, 64 KiB */
#define IOV_BATCH 64
#define QCAP 1024            /* queued jobs */
#define LOG_MAX 10           /* errors described; the count goes on */

typedef struct blk {
    struct blk *next;
    uint32_t len, cap;
    uint32_t cls;      /* size class: 1 << (BLK_MIN_SHIFT + cls) bytes with the header */
    uint8_t d[];
} blk;

/* The writer's side of a file: only the writer touches it once queued. */
typedef struct wfile {
    char name[SD_SINK_NAME_MAX];
    uint64_t written;  /* end of the last bytes written */
    int slot;          /* index in the descriptor cache, -1 = closed */
    bool created;
    bool failed;
} wfile;

/* The caller's side. */
struct sd_sinkfile {
    uint64_t pos;      /* logical length: data and hole bytes */
    uint64_t bstart;   /* file offset of the first pending byte */
    blk *head, *tail;  /* pending bytes */
    size_t blen;
    size_t bcap;       /* the pending blocks' capacity (in held and pend) */
    unsigned cls;      /* size class of the next block (grows with the file) */
    struct sd_sinkfile *prev, *next; /* files with pending bytes, most recently written first */
    wfile *w;
    bool queued;       /* w was handed to the writer */
};

enum { J_WRITE, J_FINISH, J_SYNC, J_STOP, J_JOINED };

typedef struct wjob {
    wfile *w;
    blk *head;     /* J_WRITE: bytes for offset off */
    uint64_t off;  /* J_WRITE: where; J_FINISH: the file's length */
    int kind;
} wjob;

/* A descriptor of the writer's cache. The open ones form a list in the
 * order of use (most recent first), the empty ones a free list (next), so
 * that a file takes a slot and the least recently used one is evicted in
 * constant time: the cache is always full on short sessions (the files of
 * every lingering session hold one), and a scan of all --max-open slots
 * (up to 65,536) for each file opened was half the writer's own
 * instructions at 63. */
typedef struct fslot {
    wfile *owner;
    int fd;
    int prev, next;    /* neighbours in the use list (or next free), -1 = none */
} fslot;

struct sd_filesink {
    /* caller's thread */
    size_t held, budget;  /* block bytes not in the pool; the limit */
    size_t pend;          /* of held, the files' pending blocks (not queued) */
    sd_sinkfile *mru, *lru;
    blk *pool[BLK_CLASSES]; /* free blocks, by size class */
    size_t pooled;        /* their bytes: with held, at most the budget */
    bool threaded;
    pthread_t thread;
    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv_job, cv_room, cv_back;
    wjob q[QCAP];
    unsigned qhead, qlen;
    blk *back;            /* blocks written, for the caller's pool */
    bool writer_waits, main_waits;
    bool synced;          /* the writer reached the last J_SYNC */
    /* writer (or the caller when not threaded) */
    int dirfd;
    fslot *s;
    int n;
    int mru_slot, lru_slot; /* the use list's ends, -1 = no file open */
    int free_slot;          /* the first empty slot, -1 = none */
    FILE *log;
    const char *prog;
    char dir[512];        /* the directory as messages show it, with its '/' (or empty) */
    atomic_ullong errors; /* counted by the writer, read by anyone */
};

/* Counts an error; describes the first LOG_MAX (errno is the cause). */
static void sink_error(sd_filesink *fs, const char *name, const char *what)
{
    int err = errno;
    unsigned long long n = atomic_fetch_add(&fs->errors, 1);
    if (fs->log && n < LOG_MAX)
        fprintf(fs->log, "%s: %s %s%s: %s\n", fs->prog, what, fs->dir, name, strerror(err));
}

/* ---- writer side ---- */

static void slot_unlink(sd_filesink *fs, int i)
{
    fslot *s = &fs->s[i];
    if (s->prev >= 0)
        fs->s[s->prev].next = s->next;
    else
        fs->mru_slot = s->next;
    if (s->next >= 0)
        fs->s[s->next].prev = s->prev;
    else
        fs->lru_slot = s->prev;
    s->prev = s->next = -1;
}

static void slot_front(sd_filesink *fs, int i)
{
    fslot *s = &fs->s[i];
    s->prev = -1;
    s->next = fs->mru_slot;
    if (fs->mru_slot >= 0)
        fs->s[fs->mru_slot].prev = i;
    fs->mru_slot = i;
    if (fs->lru_slot < 0)
        fs->lru_slot = i;
}

/* Every slot empty, on the free list. */
static void slots_init(sd_filesink *fs)
{
    fs->mru_slot = fs->lru_slot = -1;
    for (int i = 0; i < fs->n; i++)
        fs->s[i] = (fslot){ .fd = -1, .prev = -1, .next = i + 1 < fs->n ? i + 1 : -1 };
    fs->free_slot = 0;
}

static void slot_release(sd_filesink *fs, wfile *w)
{
    if (w->slot < 0)
        return;
    fslot *s = &fs->s[w->slot];
    /* close() reports delayed write errors (NFS, quotas): checked too */
    if (close(s->fd) != 0)
        sink_error(fs, w->name, "cannot close");
    slot_unlink(fs, w->slot);
    s->fd = -1;
    s->owner = NULL;
    s->next = fs->free_slot;
    fs->free_slot = w->slot;
    w->slot = -1;
}

/* An empty slot, taken off the free list: the least recently used file's
 * is emptied when none is free. */
static int slot_pick(sd_filesink *fs)
{
    if (fs->free_slot < 0)
        slot_release(fs, fs->s[fs->lru_slot].owner);
    int pick = fs->free_slot;
    fs->free_slot = fs->s[pick].next;
    fs->s[pick].next = -1;
    return pick;
}

/* Opens name in the directory: created the first time (sd_create_at: a
 * name already there is unlinked, never written through), reopened at its
 * place afterwards; never through a symlink. */
static int open_at(int dirfd, const char *name, bool create)
{
    if (create)
        return sd_create_at(dirfd, name);
    return openat(dirfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
}

/* w's descriptor (opened, and created the first time), or -1. */
static int wfile_fd(sd_filesink *fs, wfile *w)
{
    if (w->failed)
        return -1;
    if (w->slot < 0) {
        int pick = slot_pick(fs);
        int fd = open_at(fs->dirfd, w->name, !w->created);
        if (fd < 0) {
            fs->s[pick].next = fs->free_slot; /* the slot stays empty */
            fs->free_slot = pick;
            sink_error(fs, w->name, "cannot write");
            w->failed = true;
            return -1;
        }
        w->created = true;
        fs->s[pick].owner = w;
        fs->s[pick].fd = fd;
        w->slot = pick;
        slot_front(fs, pick);
    } else if (fs->mru_slot != w->slot) {
        slot_unlink(fs, w->slot);
        slot_front(fs, w->slot);
    }
    return fs->s[w->slot].fd;
}

/* Writes iov[0..n) (total bytes) at file offset off. */
static void wfile_pwritev(sd_filesink *fs, wfile *w, struct iovec *iov, int n, size_t total, uint64_t off)
{
    int fd = wfile_fd(fs, w);
    if (fd < 0)
        return;
    size_t k = sd_writev_all(fd, iov, n, (int64_t)off);
    if (k && off + k > w->written)
        w->written = off + k;
    if (k < total) {
        sink_error(fs, w->name, "cannot write to");
        w->failed = true;
    }
}

static void job_write(sd_filesink *fs, const wjob *j)
{
    uint64_t off = j->off;
    for (blk *b = j->head; b;) {
        struct iovec iov[IOV_BATCH];
        int n = 0;
        size_t total = 0;
        for (; b && n < IOV_BATCH; b = b->next) {
            iov[n++] = (struct iovec){ b->d, b->len };
            total += b->len;
        }
        wfile_pwritev(fs, j->w, iov, n, total, off);
        off += total;
    }
}

static void job_finish(sd_filesink *fs, wfile *w, uint64_t len)
{
    /* a trailing hole made real: the file is as long as its data says */
    if (w->written < len || !w->created) {
        int fd = wfile_fd(fs, w);
        if (fd >= 0 && ftruncate(fd, (off_t)len) != 0)
            sink_error(fs, w->name, "cannot finish");
    }
    slot_release(fs, w);
    free(w);
}

/* Does one job; returns the blocks it is done with (a chain), if any. */
static blk *job_run(sd_filesink *fs, const wjob *j)
{
    if (j->kind == J_WRITE) {
        job_write(fs, j);
        return j->head;
    }
    if (j->kind == J_FINISH)
        job_finish(fs, j->w, j->off);
    return NULL;
}

/* Writes of one file at consecutive offsets in a batch, with no other job
 * of that file between them (the index: a line a session, each its own
 * J_WRITE among the session's jobs), become one: the earlier's blocks go
 * in front of the later's, which does them with one pwritev, still after
 * every job queued before it (an index line after its session's files).
 * The same file is the same wfile: none is freed before its J_FINISH runs. */
static void join_writes(wjob *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        if (jobs[i].kind != J_WRITE)
            continue;
        blk *tail = jobs[i].head;
        uint64_t end = jobs[i].off + tail->len;
        for (; tail->next; tail = tail->next)
            end += tail->next->len;
        for (int k = i + 1; k < n; k++) {
            if (jobs[k].kind == J_SYNC || jobs[k].kind == J_STOP)
                break; /* everything before it is done when it runs */
            if (jobs[k].w != jobs[i].w || jobs[k].kind == J_JOINED)
                continue;
            if (jobs[k].kind == J_WRITE && jobs[k].off == end) {
                tail->next = jobs[k].head;
                jobs[k].head = jobs[i].head;
                jobs[k].off = jobs[i].off;
                jobs[i].kind = J_JOINED;
            }
            break;
        }
    }
}

/* Hands the chain done..last back to the caller's pool. Under mu. */
static void give_back(sd_filesink *fs, blk *done, blk *last)
{
    if (!done)
        return;
    last->next = fs->back;
    fs->back = done;
    if (fs->main_waits)
        pthread_cond_signal(&fs->cv_back);
}

/* Jobs are taken and blocks given back in batches, and a side is woken
 * only when it waits: on a virtual machine a futex wake-up costs as much as
 * writing a small file. */
#define JOB_BATCH 32

/* Takes up to JOB_BATCH jobs, waiting for one. Under mu. */
static int take_jobs(sd_filesink *fs, wjob *jobs)
{
    while (!fs->qlen) {
        fs->writer_waits = true;
        pthread_cond_wait(&fs->cv_job, &fs->mu);
        fs->writer_waits = false;
    }
    int n = 0;
    while (fs->qlen && n < JOB_BATCH) {
        jobs[n++] = fs->q[fs->qhead];
        fs->qhead = (fs->qhead + 1) % QCAP;
        fs->qlen--;
    }
    /* a caller waiting for room is woken when half the queue is free, not
     * at every batch: it then queues hundreds of jobs before it waits
     * again (on brute force it waited ~900 times per 10,000 sessions, each
     * wait a futex call on both sides) */
    if (fs->main_waits && fs->qlen <= QCAP / 2)
        pthread_cond_signal(&fs->cv_room);
    return n;
}

static void *writer_main(void *arg)
{
    sd_filesink *fs = arg;
    wjob jobs[JOB_BATCH];
    blk *done = NULL, *last = NULL;
    for (;;) {
        pthread_mutex_lock(&fs->mu);
        give_back(fs, done, last);
        done = last = NULL;
        int n = take_jobs(fs, jobs);
        pthread_mutex_unlock(&fs->mu);
        join_writes(jobs, n);
        for (int i = 0; i < n; i++) {
            if (jobs[i].kind == J_STOP || jobs[i].kind == J_SYNC) {
                pthread_mutex_lock(&fs->mu);
                give_back(fs, done, last);
                done = last = NULL;
                fs->synced = true; /* every job before this one is done */
                if (fs->main_waits)
                    pthread_cond_signal(&fs->cv_back);
                pthread_mutex_unlock(&fs->mu);
                if (jobs[i].kind == J_STOP) /* the last job queued */
                    return NULL;
                continue;
            }
            blk *b = job_run(fs, &jobs[i]);
            if (b) {
                blk *e = b;
                while (e->next)
                    e = e->next;
                e->next = done;
                done = b;
                if (!last)
                    last = e;
            }
        }
    }
}

/* ---- caller side ---- */

/* Blocks back to their class's pool, or freed when the pools and the
 * blocks in use would exceed the budget: five classes' pools, each as big
 * as the most its class once held, added up to more than the budget (42 MB
 * of blocks for a 32 MiB budget on a 200 MB mix). */
static void blk_put_chain(sd_filesink *fs, blk *b)
{
    while (b) {
        blk *nx = b->next;
        fs->held -= b->cap;
        if (fs->held + fs->pooled + b->cap > fs->budget) {
            free(b);
        } else {
            fs->pooled += b->cap;
            b->next = fs->pool[b->cls];
            fs->pool[b->cls] = b;
        }
        b = nx;
    }
}

/* Takes the blocks the writer is done with; with wait, waits for some. */
static void reclaim(sd_filesink *fs, bool wait)
{
    if (!fs->threaded)
        return;
    pthread_mutex_lock(&fs->mu);
    while (wait && !fs->back) {
        fs->main_waits = true;
        pthread_cond_wait(&fs->cv_back, &fs->mu);
        fs->main_waits = false;
    }
    blk *b = fs->back;
    fs->back = NULL;
    pthread_mutex_unlock(&fs->mu);
    blk_put_chain(fs, b);
}

static void push(sd_filesink *fs, wjob j)
{
    if (!fs->threaded) {
        blk_put_chain(fs, job_run(fs, &j));
        return;
    }
    pthread_mutex_lock(&fs->mu);
    while (fs->qlen == QCAP) {
        fs->main_waits = true;
        pthread_cond_wait(&fs->cv_room, &fs->mu);
        fs->main_waits = false;
    }
    fs->q[(fs->qhead + fs->qlen++) % QCAP] = j;
    if (fs->writer_waits)
        pthread_cond_signal(&fs->cv_job);
    pthread_mutex_unlock(&fs->mu);
}

static blk *blk_get(sd_filesink *fs, unsigned cls)
{
    if (!fs->pool[cls])
        reclaim(fs, false);
    blk *b = fs->pool[cls];
    if (b) {
        fs->pool[cls] = b->next;
        fs->pooled -= b->cap;
    }
    else {
        uint32_t size = 1u << (BLK_MIN_SHIFT + cls);
        b = sd_malloc(size);
        b->cap = size - (uint32_t)offsetof(blk, d);
        b->cls = cls;
    }
    b->next = NULL;
    b->len = 0;
    fs->held += b->cap;
    return b;
}

static void lru_unlink(sd_filesink *fs, sd_sinkfile *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else if (fs->mru == f)
        fs->mru = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else if (fs->lru == f)
        fs->lru = f->prev;
    f->prev = f->next = NULL;
}

static void lru_front(sd_filesink *fs, sd_sinkfile *f)
{
    if (fs->mru == f)
        return;
    lru_unlink(fs, f);
    f->next = fs->mru;
    if (fs->mru)
        fs->mru->prev = f;
    fs->mru = f;
    if (!fs->lru)
        fs->lru = f;
}

void sd_sinkfile_flush(sd_filesink *fs, sd_sinkfile *f)
{
    if (!f->head)
        return;
    f->queued = true;
    push(fs, (wjob){ .kind = J_WRITE, .w = f->w, .head = f->head, .off = f->bstart });
    f->head = f->tail = NULL;
    f->blen = 0;
    fs->pend -= f->bcap;
    f->bcap = 0;
    f->cls = 0; /* a file flushed often (the index: a line each) starts small again */
    lru_unlink(fs, f);
}

/* Appends to f's pending run (started when there is none). */
static void append(sd_filesink *fs, sd_sinkfile *f, const uint8_t *q, size_t n)
{
    if (!f->head)
        f->bstart = f->pos;
    while (n) {
        blk *b = f->tail;
        if (!b || b->len == b->cap) {
            b = blk_get(fs, f->cls);
            f->bcap += b->cap;
            fs->pend += b->cap;
            if (f->cls < BLK_CLASSES - 1)
                f->cls++;
            if (f->tail)
                f->tail->next = b;
            else
                f->head = b;
            f->tail = b;
        }
        size_t k = SD_MIN(n, (size_t)(b->cap - b->len));
        memcpy(b->d + b->len, q, k);
        b->len += (uint32_t)k;
        f->blen += k;
        f->pos += k;
        q += k;
        n -= k;
    }
}

/* Before bytes are appended to f: a pending run that a hole broke is
 * queued (the next run starts after the hole). */
static void run_check(sd_filesink *fs, sd_sinkfile *f)
{
    if (f->head && f->bstart + f->blen != f->pos)
        sd_sinkfile_flush(fs, f);
}

static void appended(sd_filesink *fs, sd_sinkfile *f);

void sd_sinkfile_write(sd_filesink *fs, sd_sinkfile *f, const void *p, size_t n)
{
    if (!n)
        return;
    run_check(fs, f);
    append(fs, f, p, n);
    appended(fs, f);
}

/* The smallest size class whose block holds n bytes, at least cls;
 * BLK_CLASSES if none does. */
static unsigned class_for(unsigned cls, size_t n)
{
    while (cls < BLK_CLASSES && ((size_t)1 << (BLK_MIN_SHIFT + cls)) - offsetof(blk, d) < n)
        cls++;
    return cls;
}

void *sd_sinkfile_room(sd_filesink *fs, sd_sinkfile *f, size_t n)
{
    run_check(fs, f);
    blk *b = f->tail;
    if (b && b->cap - b->len >= n)
        return b->d + b->len;
    /* a new block only where append would take one too: the tail is
     * full (or there is none), so no block is left part empty */
    if (b && b->len < b->cap)
        return NULL;
    unsigned cls = class_for(f->cls, n);
    if (cls == BLK_CLASSES)
        return NULL;
    if (!f->head)
        f->bstart = f->pos;
    b = blk_get(fs, cls);
    f->bcap += b->cap;
    fs->pend += b->cap;
    f->cls = cls < BLK_CLASSES - 1 ? cls + 1 : cls;
    if (f->tail)
        f->tail->next = b;
    else
        f->head = b;
    f->tail = b;
    return b->d;
}

void sd_sinkfile_commit(sd_filesink *fs, sd_sinkfile *f, size_t n)
{
    f->tail->len += (uint32_t)n;
    f->blen += n;
    f->pos += n;
    appended(fs, f);
}

/* After bytes were appended to f: f is the most recently written file, and
 * what is over a limit is queued (or waited for). */
static void appended(sd_filesink *fs, sd_sinkfile *f)
{
    lru_front(fs, f);
    if (f->blen >= FILE_BUF_MAX)
        sd_sinkfile_flush(fs, f);
    /* Over the budget, files are written before their end (costing a
     * second open, write and close each) only while their pending bytes
     * are most of it; otherwise the blocks in flight are waited for. When
     * the writer lags (many short files), flushing pending files would not
     * lower the total anyway: it adds to the queue it is behind on. Blocks
     * already written come back first. */
    if (fs->held > fs->budget)
        reclaim(fs, false);
    while (fs->held > fs->budget && fs->pend > fs->budget / 2 && fs->lru)
        sd_sinkfile_flush(fs, fs->lru);
    /* all queued: what is over the budget is in flight and comes back */
    while (fs->held > fs->budget && fs->threaded)
        reclaim(fs, true);
}

void sd_sinkfile_skip(sd_sinkfile *f, uint64_t n)
{
    f->pos += n;
}

uint64_t sd_sinkfile_pos(const sd_sinkfile *f)
{
    return f->pos;
}

const char *sd_sinkfile_name(const sd_sinkfile *f)
{
    return f->w->name; /* never changed once made: safe while the writer has w */
}

sd_sinkfile *sd_sinkfile_new(sd_filesink *fs, const char *name)
{
    sd_sinkfile *f = sd_calloc(1, sizeof *f);
    f->w = sd_calloc(1, sizeof *f->w);
    size_t n = SD_MIN(strlen(name), sizeof f->w->name - 1); /* cut as documented */
    memcpy(f->w->name, name, n);
    f->w->name[n] = '\0';
    f->w->slot = -1;
    return f;
}

int sd_sinkfile_create(sd_filesink *fs, sd_sinkfile *f)
{
    int fd = open_at(fs->dirfd, f->w->name, true);
    if (fd < 0) {
        sink_error(fs, f->w->name, "cannot create");
        f->w->failed = true;
        return -1;
    }
    if (close(fd) != 0) {
        sink_error(fs, f->w->name, "cannot close");
        f->w->failed = true;
        return -1;
    }
    f->w->created = true;
    return 0;
}

void sd_sinkfile_close(sd_filesink *fs, sd_sinkfile *f)
{
    if (!f->queued && !f->head && !f->pos && !f->w->created) {
        free(f->w); /* never written: no file, as tcpflow */
    } else {
        sd_sinkfile_flush(fs, f);
        push(fs, (wjob){ .kind = J_FINISH, .w = f->w, .off = f->pos });
    }
    lru_unlink(fs, f);
    free(f);
}

sd_filesink *sd_filesink_new(int dirfd, const sd_filesink_opts *o)
{
    sd_filesink *fs = sd_calloc(1, sizeof *fs);
    fs->dirfd = dirfd;
    fs->budget = o->budget ? o->budget : DEFAULT_BUDGET;
    fs->n = o->max_open ? (int)SD_MIN(o->max_open, (size_t)1 << 20) : DEFAULT_MAX_OPEN;
    fs->s = sd_calloc((size_t)fs->n, sizeof *fs->s);
    slots_init(fs);
    fs->log = o->log;
    fs->prog = o->prog ? o->prog : "strider";
    if (o->dir) { /* shown as any name a script passes (sd_outdir_open's messages) */
        sd_text_safe_made(o->dir, fs->dir, sizeof fs->dir - 1);
        strcat(fs->dir, "/");
    }
    atomic_init(&fs->errors, 0);
    pthread_mutex_init(&fs->mu, NULL);
    pthread_cond_init(&fs->cv_job, NULL);
    pthread_cond_init(&fs->cv_room, NULL);
    pthread_cond_init(&fs->cv_back, NULL);
    fs->threaded = pthread_create(&fs->thread, NULL, writer_main, fs) == 0;
    return fs;
}

void sd_filesink_sync(sd_filesink *fs)
{
    if (!fs->threaded)
        return; /* every job already ran in the caller's thread */
    pthread_mutex_lock(&fs->mu);
    fs->synced = false;
    pthread_mutex_unlock(&fs->mu);
    push(fs, (wjob){ .kind = J_SYNC });
    pthread_mutex_lock(&fs->mu);
    while (!fs->synced) {
        fs->main_waits = true;
        pthread_cond_wait(&fs->cv_back, &fs->mu);
        fs->main_waits = false;
    }
    pthread_mutex_unlock(&fs->mu);
}

bool sd_filesink_exists(const sd_filesink *fs, const char *name)
{
    struct stat st;
    return fstatat(fs->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

uint64_t sd_filesink_errors(const sd_filesink *fs)
{
    return atomic_load(&((sd_filesink *)fs)->errors);
}

/* Frees every block: pending ones of files never closed (the caller's
 * bug, but no leak), then the pool. */
static void free_blocks(sd_filesink *fs)
{
    while (fs->mru) {
        sd_sinkfile *f = fs->mru;
        lru_unlink(fs, f);
        blk_put_chain(fs, f->head);
        f->head = f->tail = NULL;
    }
    for (int i = 0; i < BLK_CLASSES; i++)
        while (fs->pool[i]) {
            blk *b = fs->pool[i];
            fs->pool[i] = b->next;
            free(b);
        }
}

uint64_t sd_filesink_free(sd_filesink *fs)
{
    if (fs->threaded) {
        push(fs, (wjob){ .kind = J_STOP });
        pthread_join(fs->thread, NULL);
        fs->threaded = false;
        blk_put_chain(fs, fs->back);
        fs->back = NULL;
    }
    for (int i = 0; i < fs->n; i++) /* files never closed by the caller */
        if (fs->s[i].owner)
            slot_release(fs, fs->s[i].owner);
    free_blocks(fs);
    pthread_mutex_destroy(&fs->mu);
    pthread_cond_destroy(&fs->cv_job);
    pthread_cond_destroy(&fs->cv_room);
    pthread_cond_destroy(&fs->cv_back);
    uint64_t errors = atomic_load(&fs->errors);
    free(fs->s);
    free(fs);
    return errors;
}
