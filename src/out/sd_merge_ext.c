/* sd_merge_ext: extract's chunk directories merged (see sd_merge_ext.h). */
#include "sd_merge_ext.h"

#include "../common/sd_hmap.h"
#include "sd_merge_int.h"
#include "sd_outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Messages about files that could not be taken over, before the rest are
 * only counted: a full disk would say the same thing for every file. */
#define EXT_ERRORS_SHOWN 10

#define EXT_NAME_MAX 512 /* past sd_filesink's names (SD_SINK_NAME_MAX) */

typedef struct xchunk {
    int dirfd;
    char *path;
} xchunk;

struct sd_merge_ext {
    int outfd;
    FILE *index, *err;
    bool move;
    sd_hmap *names;   /* hash of a name's base and extension -> files made with it */
    xchunk **ch;
    size_t n;
    uint64_t errors;
    sd_buf line;      /* the index line being renamed */
};

static void ext_error(sd_merge_ext *x, const char *what, const char *name)
{
    if (x->errors++ < EXT_ERRORS_SHOWN)
        fprintf(x->err, "strider merge: %s %s: %s\n", what, name, strerror(errno));
}

/* ---- names: tcpflow's numbering, over the sessions kept ---- */

/* A chunk's file name cut into its base (addresses, ports, VLAN: it ends
 * with a digit) and extension, without the chunk's "cN". False for a name
 * the chunk's run cannot have written (a path, a dot name, too long). */
static bool split_name(const char *name, char *base, size_t blen, const char **ext)
{
    size_t n = strlen(name);
    if (!n || n >= blen || strchr(name, '/') || name[0] == '.')
        return false;
    *ext = n > 5 && !strcmp(name + n - 5, ".json") ? name + n - 5 : name + n;
    size_t e = (size_t)(*ext - name), d = e;
    while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
        d--;
    if (d >= 2 && d < e && name[d - 1] == 'c' && name[d - 2] >= '0' && name[d - 2] <= '9')
        e = d - 1; /* "...PPPPPcN": the N-th reuse */
    memcpy(base, name, e);
    base[e] = '\0';
    return e > 0;
}

/* The name one run gives the next file of base+ext. */
static void next_name(sd_merge_ext *x, const char *base, const char *ext, char *out, size_t len)
{
    sd_buf k = { 0 };
    sd_buf_printf(&k, "%s/%s", base, ext); /* '/' is in no name: base and ext stay apart */
    uint64_t h = sd_hash_bytes(k.p, k.len);
    sd_buf_free(&k);
    void *v;
    sd_hmap_insert(x->names, &h, &v);
    uint32_t *count = v;
    if (*count)
        snprintf(out, len, "%sc%u%s", base, *count, ext);
    else
        snprintf(out, len, "%s%s", base, ext);
    (*count)++;
}

/* The string value of "key" in line, as [*v, *v + *vl), or false (null or
 * absent). Names are plain ASCII: no escapes to undo. */
static bool str_value(const char *line, size_t len, const char *key, const char **v, size_t *vl)
{
    char pat[32];
    int pl = snprintf(pat, sizeof pat, "\"%s\":\"", key);
    const char *p = NULL;
    for (size_t i = 0; !p && i + (size_t)pl <= len; i++)
        p = !memcmp(line + i, pat, (size_t)pl) ? line + i : NULL;
    if (!p)
        return false;
    *v = p + pl;
    const char *q = memchr(*v, '"', len - (size_t)(*v - line));
    if (!q)
        return false;
    *vl = (size_t)(q - *v);
    return true;
}

/* ---- files ---- */

/* Copies in to out, a block of NULs as a hole (a file of a lossy stream
 * is mostly NULs at their offsets, kept sparse). 0 or -1. */
static int copy_fd(int in, int out)
{
    static const char zero[1 << 16];
    char buf[1 << 16];
    off_t size = 0;
    ssize_t r;
    while ((r = read(in, buf, sizeof buf)) > 0) {
        size += r;
        if (!memcmp(buf, zero, (size_t)r) ? lseek(out, r, SEEK_CUR) < 0 : write(out, buf, (size_t)r) != r)
            return -1;
    }
    return r < 0 ? -1 : ftruncate(out, size);
}

/* A direction's file from the chunk's directory to its name in the
 * output: moved or linked (no byte copied), copied across file systems. */
static void take_file(sd_merge_ext *x, const xchunk *c, const char *from, const char *to)
{
    struct stat st;
    if (fstatat(c->dirfd, from, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode)) {
        errno = errno ? errno : EINVAL; /* a link or a device planted there is not taken */
        ext_error(x, "not a file of the chunk's run:", from);
        return;
    }
    unlinkat(x->outfd, to, 0); /* with --force: replaced, as one run replaces it */
    if (x->move ? renameat(c->dirfd, from, x->outfd, to) == 0 : linkat(c->dirfd, from, x->outfd, to, 0) == 0)
        return;
    int in = openat(c->dirfd, from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int out = in >= 0 ? sd_create_at(x->outfd, to) : -1;
    if (in < 0 || out < 0 || copy_fd(in, out) < 0)
        ext_error(x, "cannot take over", from);
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) < 0)
        ext_error(x, "cannot write", to);
}

/* The three names a session's index line and transcript summary carry:
 * the chunk's and the one one run gives. */
typedef struct xname {
    const char *key;
    char old[EXT_NAME_MAX], now[EXT_NAME_MAX + 24]; /* + "c" N ".json" */
    bool set;
} xname;
enum { XN_ORIG, XN_RESP, XN_TRANSCRIPT, XN_N };

/* b from `from` on, with each "key":"old" of nm as "key":"now". */
static void rename_in(sd_buf *b, size_t from, const xname *nm)
{
    for (int i = 0; i < XN_N; i++) {
        const char *v;
        size_t vl;
        if (!nm[i].set || !str_value((const char *)b->p + from, b->len - from, nm[i].key, &v, &vl))
            continue;
        size_t at = (size_t)(v - (const char *)b->p), nl = strlen(nm[i].now);
        sd_buf tail = { 0 };
        sd_buf_append(&tail, v + vl, b->len - at - vl);
        b->len = at;
        sd_buf_append(b, nm[i].now, nl);
        sd_buf_append(b, tail.p, tail.len);
        sd_buf_free(&tail);
    }
}

/* A transcript rewritten with the global numbers and names: every line as
 * sd_merge rewrites the index line, the read-ahead mark only on its
 * summary (the last line, the index line's object: names and all). */
static void take_transcript(sd_merge_ext *x, const xchunk *c, const mconn *mc, uint64_t off, const xname *nm)
{
    const char *from = nm[XN_TRANSCRIPT].old, *to = nm[XN_TRANSCRIPT].now;
    int in = openat(c->dirfd, from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    FILE *f = in >= 0 ? fdopen(in, "r") : NULL;
    int out = f ? sd_create_at(x->outfd, to) : -1;
    if (out < 0) {
        ext_error(x, "cannot take over", from);
        if (f)
            fclose(f);
        else if (in >= 0)
            close(in);
        return;
    }
    mconn plain = *mc;
    plain.cut = 0;
    sd_buf b = { 0 };
    char *l = NULL;
    size_t cap = 0;
    ssize_t len;
    bool ok = true;
    while (ok && (len = getline(&l, &cap, f)) > 0) {
        if (l[len - 1] == '\n')
            l[--len] = '\0';
        bool summary = !strncmp(l, "],\"summary\":", 12);
        size_t at = b.len;
        sd_merge_rewrite(summary ? mc : &plain, off, l, (size_t)len, &b);
        if (summary)
            rename_in(&b, at, nm);
        if (b.len > (1 << 16))
            ok = write(out, b.p, b.len) == (ssize_t)b.len, b.len = 0;
    }
    if (ok && b.len)
        ok = write(out, b.p, b.len) == (ssize_t)b.len;
    if (!ok || ferror(f) || close(out) < 0)
        ext_error(x, "cannot write", to);
    free(l);
    sd_buf_free(&b);
    fclose(f);
}

/* ---- the hook: each kept session, in one run's order ---- */

/* Does the session keep its chunk's numbers and names (most of the first
 * chunk's do)? Then its transcript is one run's as it is: taken over like
 * the direction files, not read and written again. */
static bool keeps_numbers(const mconn *mc, uint64_t off, const xname *nm)
{
    bool same = !off && !mc->cut && mc->gstream == mc->stream && !strcmp(mc->guid, mc->uid);
    for (int i = 0; same && i < XN_N; i++)
        same = !nm[i].set || !strcmp(nm[i].old, nm[i].now);
    return same;
}

/* sd_merge's hook: the session's index line (in b from `from`) gets the
 * names one run gives its files, and the files are taken over under them.
 * Names are numbered here, in the order one run ends sessions: sessions
 * on the same addresses and ports follow one another, so that is the
 * order one run made their files in. */
static void on_conn(void *ctx, void *chunk_ud, const mconn *mc, uint64_t off, sd_buf *b, size_t from)
{
    sd_merge_ext *x = ctx;
    const xchunk *c = chunk_ud;
    xname nm[XN_N] = { { .key = "orig_file" }, { .key = "resp_file" }, { .key = "transcript" } };
    for (int i = 0; i < XN_N; i++) {
        const char *v, *ext;
        size_t vl;
        char base[EXT_NAME_MAX];
        if (!str_value((const char *)b->p + from, b->len - from, nm[i].key, &v, &vl) || vl >= EXT_NAME_MAX)
            continue;
        memcpy(nm[i].old, v, vl);
        nm[i].old[vl] = '\0';
        if (!split_name(nm[i].old, base, sizeof base, &ext)) {
            errno = EINVAL;
            ext_error(x, "a chunk's index names no file of its own:", nm[i].old);
            continue;
        }
        next_name(x, base, ext, nm[i].now, sizeof nm[i].now);
        nm[i].set = true;
    }
    rename_in(b, from, nm);
    for (int i = XN_ORIG; i <= XN_RESP; i++)
        if (nm[i].set)
            take_file(x, c, nm[i].old, nm[i].now);
    if (nm[XN_TRANSCRIPT].set && keeps_numbers(mc, off, nm))
        take_file(x, c, nm[XN_TRANSCRIPT].old, nm[XN_TRANSCRIPT].now);
    else if (nm[XN_TRANSCRIPT].set)
        take_transcript(x, c, mc, off, nm);
}

/* ---- the directories ---- */

sd_merge_ext *sd_merge_ext_new(const char *outdir, bool force, bool move, sd_merge *m, FILE *err)
{
    bool fresh;
    int fd = sd_outdir_open(outdir, force, &fresh, "strider merge");
    if (fd < 0)
        return NULL;
    int ifd = sd_create_at(fd, "index.jsonl");
    FILE *index = ifd >= 0 ? fdopen(ifd, "w") : NULL;
    if (!index) {
        fprintf(err, "strider merge: cannot write %s/index.jsonl: %s\n", outdir, strerror(errno));
        if (ifd >= 0)
            close(ifd);
        close(fd);
        return NULL;
    }
    sd_merge_ext *x = sd_calloc(1, sizeof *x);
    *x = (sd_merge_ext){ .outfd = fd, .index = index, .err = err, .move = move };
    x->names = sd_hmap_new(sizeof(uint64_t), sizeof(uint32_t), 0);
    sd_merge_set_hook(m, on_conn, x);
    return x;
}

FILE *sd_merge_ext_index(sd_merge_ext *x)
{
    return x->index;
}

bool sd_merge_ext_add(sd_merge_ext *x, sd_merge *m, const char *chunkdir)
{
    int fd = open(chunkdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        fprintf(x->err, "strider merge: cannot open the chunk directory %s: %s\n", chunkdir, strerror(errno));
        return false;
    }
    xchunk *c = sd_calloc(1, sizeof *c);
    c->dirfd = fd;
    c->path = sd_strdup(chunkdir);
    x->ch = sd_reallocarray(x->ch, x->n + 1, sizeof *x->ch);
    x->ch[x->n++] = c;
    sd_buf p = { 0 };
    sd_buf_printf(&p, "%s/index.jsonl", chunkdir);
    bool ok = sd_merge_add_ud(m, (const char *)p.p, c);
    sd_buf_free(&p);
    return ok;
}

/* A chunk directory of this run's (--jobs) removed: its files are flat. */
static void remove_chunk(sd_merge_ext *x, xchunk *c)
{
    sd_merge_ext_discard(c->dirfd);
    if (rmdir(c->path) < 0)
        ext_error(x, "cannot remove the chunk directory", c->path);
}

void sd_merge_ext_discard(int dirfd)
{
    int fd = dup(dirfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    for (struct dirent *e; d && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            unlinkat(dirfd, e->d_name, 0);
    if (d)
        closedir(d);
    else if (fd >= 0)
        close(fd);
}

int sd_merge_ext_finish(sd_merge_ext *x, int rc)
{
    if (fclose(x->index) != 0) {
        ext_error(x, "cannot write", "index.jsonl");
    }
    for (size_t i = 0; i < x->n; i++) {
        if (x->move)
            remove_chunk(x, x->ch[i]);
        close(x->ch[i]->dirfd);
        free(x->ch[i]->path);
        free(x->ch[i]);
    }
    if (x->errors > EXT_ERRORS_SHOWN)
        fprintf(x->err, "strider merge: %llu files could not be taken over or written in all\n",
                (unsigned long long)x->errors);
    rc = x->errors && !rc ? 1 : rc;
    close(x->outfd);
    sd_hmap_free(x->names);
    free(x->ch);
    free(x);
    return rc;
}

int sd_merge_ext_dirs(const char *const *dirs, size_t n, const char *outdir, bool force, FILE *err)
{
    sd_merge *m = sd_merge_new(err);
    sd_merge_ext *x = sd_merge_ext_new(outdir, force, false, m, err);
    if (!x) {
        sd_merge_free(m);
        return 1;
    }
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++)
        ok = sd_merge_ext_add(x, m, dirs[i]);
    if (!ok) {
        sd_merge_free(m);
        return sd_merge_ext_finish(x, 1);
    }
    int rc = sd_merge_finish(m, x->index);
    return sd_merge_ext_finish(x, rc);
}
