/* strider extract: every TCP session's payload to files, as tcpflow names
 * them (one file per direction), plus one JSON transcript per session and an
 * index (JSON lines) of all sessions with the payload signatures found.
 *
 * Memory stays bounded whatever the capture size: chunks go to the files as
 * the reassembler delivers them (nothing of a session is held here), the
 * transcript JSON is appended chunk by chunk, and at most --max-open files
 * are open at once (least recently used ones are closed and reopened later
 * at their recorded position).
 *
 * Gaps: the per-direction file gets the hole as NUL bytes (a sparse hole),
 * exactly where tcpflow puts them, so offsets in the file are stream offsets;
 * the transcript and the index record every gap explicitly, so a reader
 * never mistakes the NULs for data. */
#include "../out/sd_extract.h"
#include "../out/sd_json.h"
#include "../analyze/sd_sig.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#define DEFAULT_MAX_OPEN 64
#define DEFAULT_INLINE 4096 /* payload bytes per direction rendered in the transcript */
#define NAME_LEN (SD_FLOWNAME_LEN + 32)

static const char HELP[] =
    "usage: strider extract -o DIR [options] FILE|DIR...\n"
    "Writes every TCP session's reassembled payload under DIR:\n"
    "  A.A.A.A.PPPPP-B.B.B.B.PPPPP[cN]  the bytes one direction sent, named as\n"
    "                       tcpflow names them (zero-padded; cN for the N-th\n"
    "                       reuse of the same addresses and ports; --VLAN\n"
    "                       suffix); missing bytes are NULs at their offset\n"
    "  <orig name>[cN].json the session's ordered transcript: every chunk with\n"
    "                       direction, frames, time, stream offset, length,\n"
    "                       payload (hex and printable ASCII, or a reference\n"
    "                       to the direction's file past --json-inline), gap\n"
    "                       and inconsistency markers, then a summary\n"
    "  index.jsonl          one line per session: uid, stream, endpoints, bytes\n"
    "                       and gaps per direction, files, truncated flag and the\n"
    "                       payload signatures found (PE, ELF, ZIP, gzip, PDF,\n"
    "                       scripts, PowerShell...) with direction and offset\n"
    "File names come only from addresses and ports, never from payload.\n\n"
    "  -o, --output DIR     output directory (created; must not exist unless --force)\n"
    "      --force          write into an existing DIR (files of the same name are\n"
    "                       replaced)\n"
    "      --all            also list sessions without payload in index.jsonl\n"
    "      --overlap P      which copy of overlapping bytes wins: first (default,\n"
    "                       as tshark), last (as tcpflow), linux, windows, bsd\n"
    "      --stream-cap N   out-of-order bytes held per direction (default 4M)\n"
    "      --memcap N       out-of-order bytes held in all (default 1G); a stream\n"
    "                       that hits a cap is marked truncated everywhere\n"
    "      --max-open N     output files open at once (default 64)\n"
    "      --buffer N       memory for output not yet written (default 32M);\n"
    "                       short sessions' files are written in one go\n"
    "      --json-inline N  payload bytes per direction rendered in the transcript\n"
    "                       (hex and ASCII; default 4k, \"all\" = every chunk);\n"
    "                       the chunks after that carry \"payload_in_file\":true:\n"
    "                       their bytes are at \"offset\" of the direction's file\n"
    "      --json-payload-max N  payload bytes rendered per chunk (default all;\n"
    "                       0: no payload at all, only offsets, lengths, frames)\n" CLI_COMMON_HELP;

/* ---- output files: buffered in memory, written by a second thread ----
 *
 * Each file's pending bytes stay in memory (one contiguous run of the file
 * starting at offset bstart, in a chain of pooled blocks, so appending never
 * copies what is already held) until the file ends, FILE_BUF_MAX bytes are
 * pending, a gap breaks the run, or all files together hold more than the
 * write budget (then the least recently written ones go first). Most
 * sessions are short: their files are created, written with one pwritev and
 * closed, once.
 *
 * Creating, writing and closing files is kernel work that does not depend
 * on the next packets, so a writer thread does it: the main thread queues
 * jobs (write these blocks at this offset of this file; finish this file)
 * and goes on reassembling; the writer does them in order and gives the
 * blocks back. Blocks in flight count in the budget; when it is exceeded
 * and nothing is left to queue, the main thread waits for blocks to come
 * back. The writer keeps files that are written before they end open in a
 * small LRU cache of descriptors (--max-open); an evicted one is reopened
 * without O_TRUNC and written at its offset (pwritev), so nothing depends
 * on a file position. Without a thread (pthread_create failed) the jobs
 * run at once, in the main thread. */

#define FILE_BUF_MAX (1u << 20)
#define WRITE_BUDGET ((size_t)32 << 20)
#define BLK_SMALL 4096u      /* a file's first block (most files are small) */
#define BLK_BIG (64u << 10)  /* the following ones */
#define IOV_BATCH 64
#define QCAP 1024            /* queued jobs */

typedef struct blk {
    struct blk *next;
    uint32_t len, cap;
    uint8_t d[];
} blk;

/* The writer's side of a file: only the writer touches it once queued. */
typedef struct wfile {
    char name[NAME_LEN];
    uint64_t written;  /* end of the last bytes written */
    int slot;          /* index in the descriptor cache, -1 = closed */
    bool created;
    bool failed;
} wfile;

typedef struct xfile {
    char name[NAME_LEN];
    uint64_t pos;      /* logical length: data and gap bytes */
    uint64_t bstart;   /* file offset of the first pending byte */
    blk *head, *tail;  /* pending bytes */
    size_t blen;
    struct xfile *prev, *next; /* files with pending bytes, most recently written first */
    wfile *w;          /* NULL until the first job */
} xfile;

enum { J_WRITE, J_FINISH, J_STOP };

typedef struct wjob {
    wfile *w;
    blk *head;     /* J_WRITE: bytes for offset off */
    uint64_t off;  /* J_WRITE: where; J_FINISH: the file's length */
    int kind;
} wjob;

typedef struct fslot {
    wfile *owner;
    int fd;
    uint64_t used;
} fslot;

typedef struct fcache {
    /* main thread */
    size_t held, budget;  /* block bytes not in the pool; the limit */
    xfile *mru, *lru;
    blk *pool[2];         /* free blocks: small, big */
    bool threaded;
    pthread_t thread;
    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv_job, cv_room, cv_back;
    wjob q[QCAP];
    unsigned qhead, qlen;
    blk *back;            /* blocks written, for the main thread's pool */
    bool writer_waits, main_waits;
    /* writer (or main when not threaded) */
    int dirfd;
    fslot *s;
    int n;
    uint64_t tick;
    uint64_t errors;      /* read after the writer stopped */
    bool quiet;
} fcache;

static void fc_error(fcache *fc, const wfile *w, const char *what)
{
    if (!fc->quiet && fc->errors < 10)
        fprintf(stderr, "strider extract: %s %s: %s\n", what, w->name, strerror(errno));
    fc->errors++;
}

/* -- writer side -- */

static void fc_release(fcache *fc, wfile *w)
{
    if (w->slot < 0)
        return;
    fslot *s = &fc->s[w->slot];
    if (close(s->fd) != 0)
        fc->errors++;
    s->fd = -1;
    s->owner = NULL;
    w->slot = -1;
}

/* w's descriptor (opened, and created the first time), or -1. */
static int fc_fd(fcache *fc, wfile *w)
{
    if (w->failed)
        return -1;
    if (w->slot < 0) {
        int pick = 0;
        for (int i = 0; i < fc->n; i++) {
            if (!fc->s[i].owner) {
                pick = i;
                break;
            }
            if (fc->s[i].used < fc->s[pick].used)
                pick = i;
        }
        if (fc->s[pick].owner)
            fc_release(fc, fc->s[pick].owner);
        /* O_NOFOLLOW: with --force, a planted symlink must not redirect a write */
        int flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (w->created ? 0 : O_CREAT | O_TRUNC);
        int fd = openat(fc->dirfd, w->name, flags, 0644);
        if (fd < 0) {
            fc_error(fc, w, "cannot write");
            w->failed = true;
            return -1;
        }
        w->created = true;
        fc->s[pick] = (fslot){ .owner = w, .fd = fd };
        w->slot = pick;
    }
    fc->s[w->slot].used = ++fc->tick;
    return fc->s[w->slot].fd;
}

/* Writes iov[0..n) at file offset off. */
static void fc_pwritev(fcache *fc, wfile *w, struct iovec *iov, int n, uint64_t off)
{
    int fd = fc_fd(fc, w);
    while (fd >= 0 && n > 0) {
        ssize_t k = pwritev(fd, iov, n, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            fc_error(fc, w, "short write to");
            w->failed = true;
            return;
        }
        off += (uint64_t)k;
        if (off > w->written)
            w->written = off;
        size_t left = (size_t)k;
        for (; n > 0 && left >= iov->iov_len; n--)
            left -= iov++->iov_len;
        if (n > 0) {
            iov->iov_base = (uint8_t *)iov->iov_base + left;
            iov->iov_len -= left;
        }
    }
}

/* Does one job; returns the blocks it is done with (a chain), if any. */
static blk *job_run(fcache *fc, const wjob *j)
{
    wfile *w = j->w;
    if (j->kind == J_WRITE) {
        uint64_t off = j->off;
        for (blk *b = j->head; b;) {
            struct iovec iov[IOV_BATCH];
            int n = 0;
            size_t total = 0;
            for (; b && n < IOV_BATCH; b = b->next) {
                iov[n++] = (struct iovec){ b->d, b->len };
                total += b->len;
            }
            fc_pwritev(fc, w, iov, n, off);
            off += total;
        }
        return j->head;
    }
    if (j->kind == J_FINISH) {
        /* a trailing hole made real: the file is as long as tcpflow's */
        if (w->written < j->off || !w->created) {
            int fd = fc_fd(fc, w);
            if (fd >= 0 && ftruncate(fd, (off_t)j->off) != 0)
                fc_error(fc, w, "cannot finish");
        }
        fc_release(fc, w);
        free(w);
    }
    return NULL;
}

/* Jobs are taken and blocks given back in batches, and a side is woken
 * only when it waits: on a virtual machine a futex wake-up costs as much as
 * writing a small file. */
#define JOB_BATCH 32

static void *writer_main(void *arg)
{
    fcache *fc = arg;
    wjob jobs[JOB_BATCH];
    blk *done = NULL, *last = NULL;
    for (;;) {
        pthread_mutex_lock(&fc->mu);
        if (done) {
            last->next = fc->back;
            fc->back = done;
            done = last = NULL;
            if (fc->main_waits)
                pthread_cond_signal(&fc->cv_back);
        }
        while (!fc->qlen) {
            fc->writer_waits = true;
            pthread_cond_wait(&fc->cv_job, &fc->mu);
            fc->writer_waits = false;
        }
        int n = 0;
        while (fc->qlen && n < JOB_BATCH) {
            jobs[n++] = fc->q[fc->qhead];
            fc->qhead = (fc->qhead + 1) % QCAP;
            fc->qlen--;
        }
        if (fc->main_waits)
            pthread_cond_signal(&fc->cv_room);
        pthread_mutex_unlock(&fc->mu);
        for (int i = 0; i < n; i++) {
            if (jobs[i].kind == J_STOP) { /* the last job queued */
                if (done) {
                    pthread_mutex_lock(&fc->mu);
                    last->next = fc->back;
                    fc->back = done;
                    pthread_mutex_unlock(&fc->mu);
                }
                return NULL;
            }
            blk *b = job_run(fc, &jobs[i]);
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

/* -- main side -- */

static void blk_put(fcache *fc, blk *b)
{
    fc->held -= b->cap;
    bool big = b->cap > BLK_SMALL;
    b->next = fc->pool[big];
    fc->pool[big] = b;
}

static void blk_put_chain(fcache *fc, blk *b)
{
    while (b) {
        blk *nx = b->next;
        blk_put(fc, b);
        b = nx;
    }
}

/* Takes the blocks the writer is done with; with wait, waits for some. */
static void fc_reclaim(fcache *fc, bool wait)
{
    if (!fc->threaded)
        return;
    pthread_mutex_lock(&fc->mu);
    while (wait && !fc->back) {
        fc->main_waits = true;
        pthread_cond_wait(&fc->cv_back, &fc->mu);
        fc->main_waits = false;
    }
    blk *b = fc->back;
    fc->back = NULL;
    pthread_mutex_unlock(&fc->mu);
    blk_put_chain(fc, b);
}

static void fc_push(fcache *fc, wjob j)
{
    if (!fc->threaded) {
        blk_put_chain(fc, job_run(fc, &j));
        return;
    }
    pthread_mutex_lock(&fc->mu);
    while (fc->qlen == QCAP) {
        fc->main_waits = true;
        pthread_cond_wait(&fc->cv_room, &fc->mu);
        fc->main_waits = false;
    }
    fc->q[(fc->qhead + fc->qlen++) % QCAP] = j;
    if (fc->writer_waits)
        pthread_cond_signal(&fc->cv_job);
    pthread_mutex_unlock(&fc->mu);
}

static void fc_start(fcache *fc)
{
    pthread_mutex_init(&fc->mu, NULL);
    pthread_cond_init(&fc->cv_job, NULL);
    pthread_cond_init(&fc->cv_room, NULL);
    pthread_cond_init(&fc->cv_back, NULL);
    fc->threaded = pthread_create(&fc->thread, NULL, writer_main, fc) == 0;
}

/* Waits for every queued job; then only the main thread touches fc. */
static void fc_stop(fcache *fc)
{
    if (fc->threaded) {
        fc_push(fc, (wjob){ .kind = J_STOP });
        pthread_join(fc->thread, NULL);
        fc->threaded = false;
        blk_put_chain(fc, fc->back);
        fc->back = NULL;
    }
}

static blk *blk_get(fcache *fc, bool big)
{
    if (!fc->pool[big])
        fc_reclaim(fc, false);
    blk *b = fc->pool[big];
    if (b)
        fc->pool[big] = b->next;
    else {
        uint32_t size = big ? BLK_BIG : BLK_SMALL;
        b = sd_malloc(size);
        b->cap = size - (uint32_t)offsetof(blk, d);
    }
    b->next = NULL;
    b->len = 0;
    fc->held += b->cap;
    return b;
}

static void fc_unlink(fcache *fc, xfile *f)
{
    if (f->prev)
        f->prev->next = f->next;
    else if (fc->mru == f)
        fc->mru = f->next;
    if (f->next)
        f->next->prev = f->prev;
    else if (fc->lru == f)
        fc->lru = f->prev;
    f->prev = f->next = NULL;
}

static void fc_wfile(xfile *f)
{
    if (!f->w) {
        f->w = sd_calloc(1, sizeof *f->w);
        memcpy(f->w->name, f->name, sizeof f->name);
        f->w->slot = -1;
    }
}

/* Queues f's pending bytes for writing. */
static void fc_flush(fcache *fc, xfile *f)
{
    if (!f->head)
        return;
    fc_wfile(f);
    fc_push(fc, (wjob){ .kind = J_WRITE, .w = f->w, .head = f->head, .off = f->bstart });
    f->head = f->tail = NULL;
    f->blen = 0;
    fc_unlink(fc, f);
}

static void fc_write(fcache *fc, xfile *f, const void *p, size_t n)
{
    if (!n)
        return;
    if (f->head && f->bstart + f->blen != f->pos)
        fc_flush(fc, f); /* a gap: the next run starts after the hole */
    if (!f->head)
        f->bstart = f->pos;
    for (const uint8_t *q = p; n;) {
        blk *b = f->tail;
        if (!b || b->len == b->cap) {
            b = blk_get(fc, f->head != NULL);
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
    if (fc->mru != f) {
        fc_unlink(fc, f);
        f->next = fc->mru;
        if (fc->mru)
            fc->mru->prev = f;
        fc->mru = f;
        if (!fc->lru)
            fc->lru = f;
    }
    if (f->blen >= FILE_BUF_MAX)
        fc_flush(fc, f);
    while (fc->held > fc->budget && fc->lru)
        fc_flush(fc, fc->lru);
    /* all queued: what is over the budget is in flight and comes back */
    while (fc->held > fc->budget && fc->threaded)
        fc_reclaim(fc, true);
}

/* A hole of n bytes (NULs in the file, sparse where the file system can). */
static void fc_skip(xfile *f, uint64_t n)
{
    f->pos += n;
}

/* Ends the file: pending bytes queued, then its end (a trailing hole is
 * made real: the file is pos bytes long, as tcpflow's would be). */
static void fc_finish(fcache *fc, xfile *f)
{
    if (!f->w && !f->head && !f->pos)
        return;
    fc_flush(fc, f);
    fc_wfile(f);
    fc_push(fc, (wjob){ .kind = J_FINISH, .w = f->w, .off = f->pos });
    f->w = NULL;
}

static void fc_free(fcache *fc)
{
    fc_stop(fc);
    for (int i = 0; i < 2; i++)
        while (fc->pool[i]) {
            blk *b = fc->pool[i];
            fc->pool[i] = b->next;
            free(b);
        }
    free(fc->s);
}

/* ---- names: tcpflow's "base", "base" c1, c2... for reused address pairs ---- */

typedef struct name_ent {
    char *base;
    uint32_t count;
} name_ent;

typedef struct names {
    name_ent *t;
    size_t cap, n;
} names;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (uint8_t)*s) * 1099511628211ull;
    return h;
}

/* Returns how many files named from base were made before (0 = first). */
static uint32_t names_next(names *nm, const char *base)
{
    if (nm->n * 2 >= nm->cap) {
        size_t ncap = nm->cap ? nm->cap * 2 : 1024;
        name_ent *nt = sd_calloc(ncap, sizeof *nt);
        for (size_t i = 0; i < nm->cap; i++)
            if (nm->t[i].base) {
                size_t j = hash_str(nm->t[i].base) & (ncap - 1);
                while (nt[j].base)
                    j = (j + 1) & (ncap - 1);
                nt[j] = nm->t[i];
            }
        free(nm->t);
        nm->t = nt;
        nm->cap = ncap;
    }
    size_t j = hash_str(base) & (nm->cap - 1);
    while (nm->t[j].base && strcmp(nm->t[j].base, base))
        j = (j + 1) & (nm->cap - 1);
    if (!nm->t[j].base) {
        nm->t[j].base = sd_strdup(base);
        nm->n++;
    }
    return nm->t[j].count++;
}

static void names_free(names *nm)
{
    for (size_t i = 0; i < nm->cap; i++)
        free(nm->t[i].base);
    free(nm->t);
}

/* ---- sessions ---- */

typedef struct xdir {
    xfile f;
    bool named;
    uint64_t bytes, gap_bytes, gaps, chunks, incons, after_fin, after_rst;
    uint64_t inlined; /* payload bytes rendered in the transcript */
    sd_sig_scan *sig; /* allocated at the first data byte */
} xdir;

typedef struct xsess {
    xdir d[2];
    xfile tr;       /* transcript JSON */
    bool tr_named;
    uint64_t nchunks;
    bool truncated;
} xsess;

typedef struct xrun {
    fcache fc;
    names nm;
    FILE *index;
    bool all;
    size_t payload_max;
    size_t inline_max; /* payload rendered per direction before chunks refer to the file */
    sd_buf b;
    uint64_t sessions, with_data, truncated, sig_sessions;
    uint64_t index_errors;
} xrun;

static void make_name(xrun *x, xfile *f, const char *base, const char *ext)
{
    char key[NAME_LEN];
    snprintf(key, sizeof key, "%s%s", base, ext);
    uint32_t n = names_next(&x->nm, key);
    if (n)
        snprintf(f->name, sizeof f->name, "%sc%u%s", base, n, ext);
    else
        snprintf(f->name, sizeof f->name, "%s%s", base, ext);
}

static void *x_conn_new(void *ctx, sd_conn *c)
{
    if (c->ipproto != 6)
        return NULL;
    xsess *s = sd_calloc(1, sizeof *s);
    return s;
}

static void endpoints_json(sd_json *j, const sd_conn *c)
{
    char a[SD_ADDR_STRLEN];
    sd_json_str(j, "uid", c->uid);
    sd_json_u64(j, "stream", c->id);
    sd_json_f64(j, "ts", sd_ts_sec(c->start), 6);
    sd_json_str(j, "id.orig_h", sd_addr_str(&c->orig_h, a, sizeof a));
    sd_json_u64(j, "id.orig_p", c->orig_p);
    sd_json_str(j, "id.resp_h", sd_addr_str(&c->resp_h, a, sizeof a));
    sd_json_u64(j, "id.resp_p", c->resp_p);
    if (c->vlan)
        sd_json_u64(j, "vlan", c->vlan);
}

static void tr_append(xrun *x, xsess *s)
{
    fc_write(&x->fc, &s->tr, x->b.p, x->b.len);
    x->b.len = 0;
}

static void tr_start(xrun *x, const sd_conn *c, xsess *s)
{
    char base[SD_FLOWNAME_LEN];
    sd_flowname(base, sizeof base, &c->orig_h, c->orig_p, &c->resp_h, c->resp_p, c->vlan);
    make_name(x, &s->tr, base, ".json");
    s->tr_named = true;
    sd_json j;
    sd_json_begin(&j, &x->b);
    endpoints_json(&j, c);
    sd_json_key(&j, "chunks");
    sd_buf_append(&x->b, "[\n", 2);
    tr_append(x, s);
}

static void x_chunk(void *ctx, sd_conn *c, void *st, int dir, const sd_chunk *ch)
{
    xrun *x = ctx;
    xsess *s = st;
    xdir *d = &s->d[dir];
    bool gap = ch->kind == SD_CHUNK_GAP;
    /* a direction gets a file at its first data byte (as tcpflow: none for
     * a direction that only has gaps; a leading gap becomes leading NULs) */
    if (!d->named && !gap && ch->len) {
        char base[SD_FLOWNAME_LEN];
        if (dir == SD_DIR_ORIG)
            sd_flowname(base, sizeof base, &c->orig_h, c->orig_p, &c->resp_h, c->resp_p, c->vlan);
        else
            sd_flowname(base, sizeof base, &c->resp_h, c->resp_p, &c->orig_h, c->orig_p, c->vlan);
        make_name(x, &d->f, base, "");
        d->named = true;
    }
    if (!s->tr_named)
        tr_start(x, c, s);
    d->chunks++;
    if (ch->flags & SD_CHUNKF_RETRANS_INCONSISTENT)
        d->incons++;
    if (ch->flags & SD_CHUNKF_AFTER_FIN)
        d->after_fin++;
    if (ch->flags & SD_CHUNKF_AFTER_RST)
        d->after_rst++;
    if (ch->flags & SD_CHUNKF_TRUNCATED)
        s->truncated = true;
    /* transcript: payload rendered for the first inline_max bytes of a
     * direction, then referred to by its offset in the direction's file */
    uint64_t file_off = 0;
    bool in_file = !gap && ch->len && ch->data && d->inlined >= x->inline_max;
    if (!gap && !in_file && ch->data)
        d->inlined += SD_MIN((size_t)ch->len, x->payload_max);
    /* file: the bytes at their stream offset; a gap leaves a hole (NULs) */
    if (gap) {
        d->gaps++;
        d->gap_bytes += ch->len;
        fc_skip(&d->f, ch->len);
    } else if (ch->len && ch->data) {
        file_off = d->f.pos;
        d->bytes += ch->len;
        fc_write(&x->fc, &d->f, ch->data, ch->len);
        if (!d->sig) {
            d->sig = sd_malloc(sizeof *d->sig);
            sd_sig_init(d->sig);
        }
        sd_sig_feed(d->sig, ch->offset, ch->data, ch->len, ch->first_frame, ch->last_frame);
    }
    /* transcript: one object per chunk */
    if (s->nchunks++)
        sd_buf_append(&x->b, ",\n", 2);
    sd_chunk_json_ex(&x->b, dir, ch, x->payload_max, in_file ? &file_off : NULL);
    tr_append(x, s);
}

/* Signatures of both directions as a JSON array, in stream order per
 * direction. */
static void sigs_json(sd_buf *b, const xsess *s)
{
    sd_buf_append(b, "[", 1);
    int n = 0;
    for (int dir = 0; dir < 2; dir++) {
        const sd_sig_scan *sc = s->d[dir].sig;
        for (uint32_t i = 0; sc && i < sc->nhits; i++) {
            const sd_sig_hit *h = &sc->hits[i];
            sd_json j;
            if (n++)
                sd_buf_append(b, ",", 1);
            j.b = b;
            j.n = 0;
            sd_buf_append(b, "{", 1);
            const char *name = sd_sig_name(h->sig);
            sd_json_str(&j, "sig", name);
            sd_json_str(&j, "dir", dir ? "resp" : "orig");
            sd_json_u64(&j, "offset", h->offset);
            sd_json_u64(&j, "first_frame", h->first_frame);
            sd_json_u64(&j, "last_frame", h->last_frame);
            sd_buf_append(b, "}", 1);
        }
    }
    sd_buf_append(b, "]", 1);
}

/* The summary object shared by the index line and the transcript's end. */
static void summary_json(xrun *x, const sd_conn *c, const xsess *s, sd_buf *b)
{
    sd_json j;
    sd_json_begin(&j, b);
    endpoints_json(&j, c);
    sd_json_f64(&j, "end", sd_ts_sec(c->end), 6);
    sd_json_u64(&j, "first_frame", c->first_frame);
    sd_json_u64(&j, "last_frame", c->last_frame);
    sd_json_str(&j, "conn_state", c->conn_state);
    static const char *const P[2] = { "orig_", "resp_" };
    char k[48];
    for (int dir = 0; dir < 2; dir++) {
        const xdir *d = &s->d[dir];
        snprintf(k, sizeof k, "%sbytes", P[dir]);
        sd_json_u64(&j, k, d->bytes);
        snprintf(k, sizeof k, "%sgap_bytes", P[dir]);
        sd_json_u64(&j, k, d->gap_bytes);
        snprintf(k, sizeof k, "%sgaps", P[dir]);
        sd_json_u64(&j, k, d->gaps);
        snprintf(k, sizeof k, "%sinconsistent", P[dir]);
        sd_json_u64(&j, k, d->incons);
        snprintf(k, sizeof k, "%safter_fin_chunks", P[dir]);
        sd_json_u64(&j, k, d->after_fin);
        snprintf(k, sizeof k, "%sfile", P[dir]);
        if (d->named)
            sd_json_str(&j, k, d->f.name);
        else {
            sd_json_key(&j, k);
            sd_buf_append(b, "null", 4);
        }
    }
    sd_json_key(&j, "transcript");
    if (s->tr_named)
        sd_json_escape(b, s->tr.name, strlen(s->tr.name));
    else
        sd_buf_append(b, "null", 4);
    sd_json_bool(&j, "truncated", s->truncated);
    sd_json_key(&j, "signatures");
    sigs_json(b, s);
    uint64_t total = (s->d[0].sig ? s->d[0].sig->total_hits : 0) + (s->d[1].sig ? s->d[1].sig->total_hits : 0);
    sd_json_u64(&j, "signatures_total", total);
    sd_json_end(&j);
}

static void x_conn_end(void *ctx, sd_conn *c, void *st)
{
    xrun *x = ctx;
    xsess *s = st;
    x->sessions++;
    bool data = s->tr_named;
    if (data)
        x->with_data++;
    if (s->truncated)
        x->truncated++;
    if ((s->d[0].sig && s->d[0].sig->total_hits) || (s->d[1].sig && s->d[1].sig->total_hits))
        x->sig_sessions++;
    for (int dir = 0; dir < 2; dir++)
        if (s->d[dir].named)
            fc_finish(&x->fc, &s->d[dir].f);
    if (data || x->all) {
        sd_buf line = { 0 };
        summary_json(x, c, s, &line);
        if (data) {
            sd_buf_append(&x->b, "\n],\"summary\":", 13);
            sd_buf_append(&x->b, line.p, line.len - 1); /* without its '\n' */
            sd_buf_append(&x->b, "}\n", 2);
            tr_append(x, s);
            fc_finish(&x->fc, &s->tr);
        }
        if (x->index && fwrite(line.p, 1, line.len, x->index) != line.len)
            x->index_errors++;
        sd_buf_free(&line);
    }
    for (int dir = 0; dir < 2; dir++)
        free(s->d[dir].sig);
    free(s);
}

/* ---- command ---- */

static int open_outdir(const char *dir, bool force)
{
    if (mkdir(dir, 0755) != 0) {
        if (errno != EEXIST) {
            fprintf(stderr, "strider extract: cannot create %s: %s\n", dir, strerror(errno));
            return -1;
        }
        if (!force) {
            fprintf(stderr, "strider extract: %s exists; use --force to write into it\n", dir);
            return -1;
        }
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        fprintf(stderr, "strider extract: cannot open %s: %s\n", dir, strerror(errno));
    return fd;
}

/* Extraction allocates and frees memory by the million (the reassembler's
 * per-stream history and segments, our file blocks) and keeps ~100 MB in
 * use; on a virtual machine a page fault costs microseconds, so first
 * touching every 4 KiB page was a fifth of the run time. The heap is grown
 * once by HEAP_PAD, asked to use transparent huge pages (one fault per
 * 2 MiB where the kernel allows it; nothing happens where it does not), and
 * never trimmed; big blocks come from the heap too instead of mmap. */
#define HEAP_PAD ((size_t)256 << 20)
static void heap_setup(void)
{
#ifdef __GLIBC__
    mallopt(M_MMAP_THRESHOLD, 4 << 20);
    mallopt(M_TRIM_THRESHOLD, 1 << 30);
    mallopt(M_TOP_PAD, (int)HEAP_PAD);
    uintptr_t lo = (uintptr_t)sbrk(0);
    free(sd_malloc(1 << 20)); /* the heap grows by 1 MiB + HEAP_PAD */
    uintptr_t hi = (uintptr_t)sbrk(0);
    const uintptr_t huge = (uintptr_t)2 << 20;
    lo = (lo + huge - 1) & ~(huge - 1);
    hi &= ~(huge - 1);
    if (lo != (uintptr_t)-1 && hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
}

/* A size, or "all" (SIZE_MAX). */
static int parse_size_all(const char *s, size_t *out)
{
    if (!strcmp(s, "all")) {
        *out = SIZE_MAX;
        return 0;
    }
    return sd_parse_size(s, out);
}

int cmd_extract(int argc, char **argv)
{
    enum { O_FORCE = 256, O_ALL, O_OVERLAP, O_SCAP, O_MEMCAP, O_MAXOPEN, O_PMAX, O_INLINE, O_BUFFER };
    static const struct option opts[] = {
        CLI_COMMON_OPTS,
        { "output", required_argument, 0, 'o' },   { "force", no_argument, 0, O_FORCE },
        { "all", no_argument, 0, O_ALL },          { "overlap", required_argument, 0, O_OVERLAP },
        { "stream-cap", required_argument, 0, O_SCAP }, { "memcap", required_argument, 0, O_MEMCAP },
        { "max-open", required_argument, 0, O_MAXOPEN },
        { "json-payload-max", required_argument, 0, O_PMAX },
        { "json-inline", required_argument, 0, O_INLINE },
        { "buffer", required_argument, 0, O_BUFFER }, { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    xrun x = { .fc = { .dirfd = -1, .budget = WRITE_BUDGET }, .payload_max = SIZE_MAX,
               .inline_max = DEFAULT_INLINE };
    sd_reasm_budget budget = { .cap = (size_t)1 << 30 };
    sd_reasm_opts ro = { .policy = SD_OVERLAP_FIRST, .budget = &budget };
    const char *outdir = NULL;
    bool force = false;
    size_t max_open = DEFAULT_MAX_OPEN;
    int rc = 2, o;
    optind = 1;
    while ((o = getopt_long(argc, argv, CLI_COMMON_SHORT "o:", opts, NULL)) != -1) {
        if (cli_common_opt(&in, o, optarg))
            continue;
        switch (o) {
        case 'h': fputs(HELP, stdout); rc = 0; goto out;
        case 'o': outdir = optarg; break;
        case O_FORCE: force = true; break;
        case O_ALL: x.all = true; break;
        case O_OVERLAP:
            if (sd_parse_overlap(optarg, &ro.policy)) { rc = cli_usage_error("extract", "bad --overlap \"%s\"", optarg); goto out; }
            break;
        case O_SCAP:
            if (sd_parse_size(optarg, &ro.stream_cap) || !ro.stream_cap) { rc = cli_usage_error("extract", "bad --stream-cap \"%s\"", optarg); goto out; }
            break;
        case O_MEMCAP:
            if (sd_parse_size(optarg, &budget.cap) || !budget.cap) { rc = cli_usage_error("extract", "bad --memcap \"%s\"", optarg); goto out; }
            break;
        case O_MAXOPEN:
            if (sd_parse_size(optarg, &max_open) || max_open < 4 || max_open > 65536) { rc = cli_usage_error("extract", "--max-open is 4..65536"); goto out; }
            break;
        case O_PMAX:
            if (parse_size_all(optarg, &x.payload_max)) { rc = cli_usage_error("extract", "bad --json-payload-max \"%s\"", optarg); goto out; }
            break;
        case O_BUFFER:
            if (sd_parse_size(optarg, &x.fc.budget)) { rc = cli_usage_error("extract", "bad --buffer \"%s\"", optarg); goto out; }
            break;
        case O_INLINE:
            if (parse_size_all(optarg, &x.inline_max)) { rc = cli_usage_error("extract", "bad --json-inline \"%s\"", optarg); goto out; }
            break;
        default: rc = cli_usage_error("extract", "bad option"); goto out;
        }
    }
    if (!outdir) { rc = cli_usage_error("extract", "-o DIR is required"); goto out; }
    for (int i = optind; i < argc; i++)
        cli_add_file(&in, argv[i]);
    sd_capture *cap = cli_open(&in);
    if (!cap) { rc = 1; goto out; }
    x.fc.dirfd = open_outdir(outdir, force);
    if (x.fc.dirfd < 0) {
        sd_capture_close(cap);
        rc = 1;
        goto out;
    }
    x.fc.n = (int)max_open - 1; /* one for the index */
    x.fc.s = sd_calloc((size_t)x.fc.n, sizeof *x.fc.s);
    x.fc.quiet = in.quiet;
    fc_start(&x.fc);
    int ifd = openat(x.fc.dirfd, "index.jsonl", O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
    x.index = ifd >= 0 ? fdopen(ifd, "wb") : NULL;
    if (!x.index) {
        fprintf(stderr, "strider extract: cannot write %s/index.jsonl: %s\n", outdir, strerror(errno));
        if (ifd >= 0)
            close(ifd);
        sd_capture_close(cap);
        rc = 1;
        goto out;
    }
    heap_setup();
    sd_engine_opts eo = { .diag = &in.diag, .reassemble = true, .reasm = ro };
    sd_engine *e = sd_engine_new(&eo);
    sd_analyzer an = { .name = "extract", .conn_new = x_conn_new, .chunk = x_chunk,
                       .conn_end = x_conn_end, .ctx = &x };
    sd_engine_add(e, &an);
    cli_run(&in, e, cap);
    rc = cli_status(&in, cap);
    fc_stop(&x.fc); /* every file written */
    x.fc.errors += x.index_errors;
    if (fclose(x.index) != 0)
        x.fc.errors++;
    if (!in.quiet) {
        fprintf(stderr, "strider extract: %llu TCP sessions, %llu with payload, %llu with signatures",
                (unsigned long long)x.sessions, (unsigned long long)x.with_data,
                (unsigned long long)x.sig_sessions);
        if (x.truncated)
            fprintf(stderr, ", %llu TRUNCATED by a memory cap (see --stream-cap, --memcap)",
                    (unsigned long long)x.truncated);
        fprintf(stderr, "\n");
    }
    if (x.fc.errors) {
        fprintf(stderr, "strider extract: %llu write errors\n", (unsigned long long)x.fc.errors);
        rc = 1;
    }
    sd_engine_free(e);
    sd_capture_close(cap);
out:
    if (x.fc.dirfd >= 0)
        close(x.fc.dirfd);
    fc_free(&x.fc);
    names_free(&x.nm);
    sd_buf_free(&x.b);
    cli_input_free(&in);
    return rc;
}
