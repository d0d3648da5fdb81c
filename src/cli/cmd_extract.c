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
#include "../out/sd_sig.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_MAX_OPEN 64
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
    "                       payload (hex and printable ASCII), gap and\n"
    "                       inconsistency markers, then a summary\n"
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
    "      --json-payload-max N  payload bytes per chunk in the transcript\n"
    "                       (0: none, only offsets, lengths and frames)\n"
    "                       (default: all)\n" CLI_COMMON_HELP;

/* ---- output files with a bounded number of open descriptors ---- */

typedef struct xfile {
    char name[NAME_LEN];
    uint64_t pos;      /* logical length: data and gap bytes */
    int slot;          /* index in the cache, -1 = closed */
    bool created;
    bool need_seek;    /* the stream position is not at pos (reopened, or a gap) */
    bool failed;
} xfile;

/* Raw descriptors with a buffer each: with stdio, every fclose walks the
 * list of all open FILEs, which dominated extraction of many sessions. */
#define SLOT_BUF (64u * 1024u)

typedef struct fslot {
    xfile *owner;
    int fd;
    uint64_t used;
    uint8_t *buf;
    size_t blen;
} fslot;

typedef struct fcache {
    int dirfd;
    fslot *s;
    int n;
    uint64_t tick;
    uint64_t errors;
    bool quiet;
} fcache;

static void fc_error(fcache *fc, const xfile *f, const char *what)
{
    if (!fc->quiet && fc->errors < 10)
        fprintf(stderr, "strider extract: %s %s: %s\n", what, f->name, strerror(errno));
    fc->errors++;
}

static bool slot_flush(fcache *fc, fslot *s)
{
    size_t done = 0;
    while (done < s->blen) {
        ssize_t w = write(s->fd, s->buf + done, s->blen - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            fc_error(fc, s->owner, "short write to");
            s->owner->failed = true;
            s->blen = 0;
            return false;
        }
        done += (size_t)w;
    }
    s->blen = 0;
    return true;
}

static void fc_release(fcache *fc, xfile *f)
{
    if (f->slot < 0)
        return;
    fslot *s = &fc->s[f->slot];
    slot_flush(fc, s);
    if (close(s->fd) != 0)
        fc->errors++;
    s->fd = -1;
    s->owner = NULL;
    f->slot = -1;
}

/* The open slot of f, its buffer ending at f->pos, or NULL on error. */
static fslot *fc_get(fcache *fc, xfile *f)
{
    if (f->failed)
        return NULL;
    if (f->slot < 0) {
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
        int flags = O_WRONLY | O_NOFOLLOW | O_CLOEXEC | (f->created ? 0 : O_CREAT | O_TRUNC);
        int fd = openat(fc->dirfd, f->name, flags, 0644);
        if (fd < 0) {
            fc_error(fc, f, "cannot write");
            f->failed = true;
            return NULL;
        }
        f->created = true;
        f->need_seek = true;
        fslot *s = &fc->s[pick];
        if (!s->buf)
            s->buf = sd_malloc(SLOT_BUF);
        s->owner = f;
        s->fd = fd;
        s->blen = 0;
        f->slot = pick;
    }
    fslot *s = &fc->s[f->slot];
    s->used = ++fc->tick;
    if (f->need_seek) {
        if (!slot_flush(fc, s))
            return NULL;
        if (lseek(s->fd, (off_t)f->pos, SEEK_SET) < 0) {
            fc_error(fc, f, "cannot seek in");
            f->failed = true;
            return NULL;
        }
        f->need_seek = false;
    }
    return s;
}

static void fc_write(fcache *fc, xfile *f, const void *p, size_t n)
{
    if (!n)
        return;
    fslot *s = fc_get(fc, f);
    for (const uint8_t *b = p; s && n;) {
        if (s->blen == SLOT_BUF && !slot_flush(fc, s))
            break;
        size_t k = SD_MIN(n, SLOT_BUF - s->blen);
        memcpy(s->buf + s->blen, b, k);
        s->blen += k;
        b += k;
        n -= k;
        f->pos += k;
    }
    f->pos += n; /* bytes not written after an error still count */
}

/* Ends the file: a trailing hole is made real (the file is pos bytes long,
 * as tcpflow's would be), then the descriptor is given back. */
static void fc_finish(fcache *fc, xfile *f)
{
    if (!f->created && !f->pos)
        return;
    fslot *s = fc_get(fc, f);
    struct stat st;
    if (s && (!slot_flush(fc, s) || fstat(s->fd, &st) != 0 ||
              ((uint64_t)st.st_size < f->pos && ftruncate(s->fd, (off_t)f->pos) != 0)))
        fc_error(fc, f, "cannot finish");
    fc_release(fc, f);
}

static void fc_free(fcache *fc)
{
    for (int i = 0; fc->s && i < fc->n; i++)
        free(fc->s[i].buf);
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
    sd_buf b;
    uint64_t sessions, with_data, truncated, sig_sessions;
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
    s->d[0].f.slot = s->d[1].f.slot = s->tr.slot = -1;
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
    /* file: the bytes at their stream offset; a gap leaves a hole (NULs) */
    if (gap) {
        d->gaps++;
        d->gap_bytes += ch->len;
        d->f.pos += ch->len;
        d->f.need_seek = true;
    } else if (ch->len && ch->data) {
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
    sd_chunk_json(&x->b, dir, ch, x->payload_max);
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
            x->fc.errors++;
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

int cmd_extract(int argc, char **argv)
{
    enum { O_FORCE = 256, O_ALL, O_OVERLAP, O_SCAP, O_MEMCAP, O_MAXOPEN, O_PMAX };
    static const struct option opts[] = {
        CLI_COMMON_OPTS,
        { "output", required_argument, 0, 'o' },   { "force", no_argument, 0, O_FORCE },
        { "all", no_argument, 0, O_ALL },          { "overlap", required_argument, 0, O_OVERLAP },
        { "stream-cap", required_argument, 0, O_SCAP }, { "memcap", required_argument, 0, O_MEMCAP },
        { "max-open", required_argument, 0, O_MAXOPEN },
        { "json-payload-max", required_argument, 0, O_PMAX }, { 0, 0, 0, 0 },
    };
    cli_input in;
    cli_input_init(&in);
    xrun x = { .fc = { .dirfd = -1 }, .payload_max = SIZE_MAX };
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
            if (sd_parse_size(optarg, &x.payload_max)) { rc = cli_usage_error("extract", "bad --json-payload-max \"%s\"", optarg); goto out; }
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
    sd_engine_opts eo = { .diag = &in.diag, .reassemble = true, .reasm = ro };
    sd_engine *e = sd_engine_new(&eo);
    sd_analyzer an = { .name = "extract", .conn_new = x_conn_new, .chunk = x_chunk,
                       .conn_end = x_conn_end, .ctx = &x };
    sd_engine_add(e, &an);
    cli_run(&in, e, cap);
    rc = cli_status(&in, cap);
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
