/* sd_merge: reading chunk outputs and numbering their connections as one
 * run would (see sd_merge.h). */
#include "sd_merge.h"

#include "../flow/sd_conn.h"
#include "sd_merge_fmt.h"
#include "sd_merge_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One of sd_own's records cut into its keys and values in one pass (they
 * are flat: no quote inside a string, no nesting past one array), so a
 * record's ~25 fields cost one walk, not a search each. */
#define REC_KEYS 40 /* sd_own writes at most 30 keys per record */
typedef struct rec {
    const char *k[REC_KEYS], *v[REC_KEYS];
    size_t kl[REC_KEYS];
    int n;
    int at; /* where the next look starts: the parsers ask in sd_own's order */
} rec;

static void rec_scan(const char *p, rec *r)
{
    r->n = r->at = 0;
    while (r->n < REC_KEYS && (p = strchr(p, '"'))) {
        const char *k = p + 1, *q = strchr(k, '"');
        if (!q || q[1] != ':')
            return;
        r->k[r->n] = k, r->kl[r->n] = (size_t)(q - k), r->v[r->n++] = p = q + 2;
        if (*p == '"' || *p == '[') { /* past the string or the array */
            const char *e = strchr(p + 1, *p == '"' ? '"' : ']');
            if (!e)
                return;
            p = e + 1;
        }
        p += strcspn(p, ",}");
    }
}

/* The value after "key" in a scanned record, or NULL. Looks from the key
 * after the last one found, round: one comparison a key in sd_own's order. */
static const char *rec_val(rec *r, const char *key)
{
    size_t l = strlen(key);
    for (int j = 0; j < r->n; j++) {
        int i = (r->at + j) % r->n;
        if (r->kl[i] == l && !memcmp(r->k[i], key, l)) {
            r->at = i + 1;
            return r->v[i];
        }
    }
    return NULL;
}

/* A number of sd_own's: an optional '-' (as strtoull takes it), digits.
 * False when there is none or it overflows. */
static bool dec_u64(const char *p, uint64_t *out)
{
    bool neg = *p == '-', over;
    const char *e = sd_merge_dec(p + neg, out, &over);
    *out = neg ? 0 - *out : *out;
    return e > p + neg && !over;
}

static uint64_t rec_u64(rec *line, const char *key, bool *ok)
{
    const char *v = rec_val(line, key);
    uint64_t x = 0;
    if (!v || !dec_u64(v, &x))
        *ok = false;
    return x;
}

static void rec_hex16(rec *line, const char *key, uint8_t out[16], bool *ok)
{
    const char *v = rec_val(line, key);
    if (!v || *v++ != '"') {
        *ok = false;
        return;
    }
    for (int i = 0; i < 16; i++) {
        int hi = sd_merge_hex(v[2 * i]), lo = hi < 0 ? -1 : sd_merge_hex(v[2 * i + 1]);
        if (lo < 0) {
            *ok = false;
            return;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
}

static void rec_str(rec *line, const char *key, char *out, size_t len, bool *ok)
{
    const char *v = rec_val(line, key);
    const char *q = v && *v == '"' ? strchr(v + 1, '"') : NULL;
    if (!q || (size_t)(q - v - 1) >= len) {
        *ok = false;
        return;
    }
    memcpy(out, v + 1, (size_t)(q - v - 1));
    out[q - v - 1] = '\0';
}

/* The record as sd_own_end writes it, walked once in its order: each
 * key where that order puts it, each number read as it comes (the generic
 * reader scans every key, then searches for each: two thirds of reading a
 * chunk). False at the first thing out of place: the generic reader then
 * reads the record, and says what is wrong with it. */
typedef struct walk {
    const char *p, *end; /* the record in place: it ends at end (its '\n') */
    bool ok;
} walk;

/* Inlined where each key is a literal: its length is then known and the
 * comparison a few loads (not a strlen and a memcmp call per key). */
#define W_INLINE static inline __attribute__((always_inline))

W_INLINE void w_key(walk *w, const char *k)
{
    size_t l = strlen(k);
    w->ok = w->ok && (size_t)(w->end - w->p) >= l && !memcmp(w->p, k, l);
    w->p += w->ok ? l : 0;
}

/* (a number stops at the record's '\n' at the latest: never past end) */
W_INLINE uint64_t w_u64(walk *w, const char *k)
{
    uint64_t x = 0;
    bool neg, over;
    w_key(w, k);
    if (!w->ok)
        return 0;
    neg = w->p < w->end && *w->p == '-';
    const char *e = sd_merge_dec(w->p + neg, &x, &over);
    w->ok = e > w->p + neg && e <= w->end && !over;
    w->p = w->ok ? e : w->p;
    return neg ? 0 - x : x;
}

W_INLINE void w_hex16(walk *w, const char *k, uint8_t out[16])
{
    w_key(w, k);
    w->ok = w->ok && w->end - w->p >= 32 && sd_merge_hex16(w->p, out);
    w->p += w->ok ? 32 : 0;
}

/* The record of n bytes at text (followed by its '\n'), walked in place:
 * no copy of it is made unless it is out of place. */
static bool walk_conn(const char *text, size_t n, mconn *c)
{
    walk w = { text, text + n, true };
    w_key(&w, "{\"_own\":\"conn\",\"uid\":\"");
    const char *q = w.ok ? memchr(w.p, '"', (size_t)(w.end - w.p)) : NULL;
    size_t ul = q ? (size_t)(q - w.p) : 0;
    w.ok = q && ul < sizeof c->uid;
    if (w.ok)
        memcpy(c->uid, w.p, ul), c->uid[ul] = '\0', w.p += ul;
    c->sel = (int)w_u64(&w, "\",\"sel\":");
    c->proto = (int)w_u64(&w, ",\"proto\":");
    w_hex16(&w, ",\"oh\":\"", c->oh);
    w_hex16(&w, "\",\"rh\":\"", c->rh);
    c->op = (unsigned)w_u64(&w, "\",\"op\":");
    c->rp = (unsigned)w_u64(&w, ",\"rp\":");
    c->start = (int64_t)w_u64(&w, ",\"start\":");
    c->ff = w_u64(&w, ",\"ff\":");
    c->lf = w_u64(&w, ",\"lf\":");
    c->idx = w_u64(&w, ",\"idx\":");
    c->stream = w_u64(&w, ",\"stream\":");
    c->prov = (int)w_u64(&w, ",\"prov\":");
    c->end = w_u64(&w, ",\"end\":");
    c->ep = (int)w_u64(&w, ",\"ep\":");
    c->cls = (int)w_u64(&w, ",\"cls\":");
    c->cl = w_u64(&w, ",\"cl\":");
    c->cp = (int)w_u64(&w, ",\"cp\":");
    c->cut = (int)w_u64(&w, ",\"cut\":");
    uint64_t b0 = w_u64(&w, ",\"wb\":["), b1 = w_u64(&w, ",");
    w.ok = w.ok && b0 <= UINT32_MAX && b1 <= UINT32_MAX;
    c->wb[0] = (uint32_t)b0, c->wb[1] = (uint32_t)b1;
    c->wbs = (int)w_u64(&w, "],\"wbs\":");
    c->fsyn = (int)w_u64(&w, ",\"fsyn\":");
    c->fseq = (uint32_t)w_u64(&w, ",\"fseq\":");
    c->fside = (int)w_u64(&w, ",\"fside\":") & 1;
    c->vlan = (unsigned)w_u64(&w, ",\"vlan\":");
    w_key(&w, "}");
    return w.ok && w.p == w.end;
}

/* The record as any writer of it may put it: every key looked for. */
static bool parse_conn(const char *text, mconn *c)
{
    memset(c, 0, sizeof *c);
    rec r, *line = &r;
    rec_scan(text, line);
    bool ok = true;
    rec_str(line, "uid", c->uid, sizeof c->uid, &ok);
    rec_hex16(line, "oh", c->oh, &ok);
    rec_hex16(line, "rh", c->rh, &ok);
    c->sel = (int)rec_u64(line, "sel", &ok);
    c->proto = (int)rec_u64(line, "proto", &ok);
    c->op = (unsigned)rec_u64(line, "op", &ok);
    c->rp = (unsigned)rec_u64(line, "rp", &ok);
    c->start = (int64_t)rec_u64(line, "start", &ok);
    c->ff = rec_u64(line, "ff", &ok);
    c->lf = rec_u64(line, "lf", &ok);
    c->idx = rec_u64(line, "idx", &ok);
    c->stream = rec_u64(line, "stream", &ok);
    c->prov = (int)rec_u64(line, "prov", &ok);
    c->end = rec_u64(line, "end", &ok);
    c->ep = (int)rec_u64(line, "ep", &ok);
    c->cls = (int)rec_u64(line, "cls", &ok);
    c->cl = rec_u64(line, "cl", &ok);
    c->cp = (int)rec_u64(line, "cp", &ok);
    c->cut = (int)rec_u64(line, "cut", &ok);
    c->wbs = (int)rec_u64(line, "wbs", &ok);
    c->fsyn = (int)rec_u64(line, "fsyn", &ok);
    c->fseq = (uint32_t)rec_u64(line, "fseq", &ok);
    c->fside = (int)rec_u64(line, "fside", &ok) & 1;
    c->vlan = (unsigned)rec_u64(line, "vlan", &ok);
    const char *wb = rec_val(line, "wb");
    for (int i = 0; i < 2; i++) { /* "[N,N]" */
        uint64_t x = 0;
        ok = ok && wb && *wb == "[,"[i] && dec_u64(++wb, &x) && x <= UINT32_MAX;
        wb = ok ? wb + strspn(wb, "0123456789") : NULL;
        c->wb[i] = (uint32_t)x;
    }
    return ok && *wb == ']';
}

static bool parse_trailer(const char *text, mchunk *ch)
{
    rec r, *line = &r;
    rec_scan(text, line);
    bool ok = true;
    ch->first = (unsigned)rec_u64(line, "first", &ok);
    ch->last = (unsigned)rec_u64(line, "last", &ok);
    ch->tmin = (int64_t)rec_u64(line, "tmin", &ok);
    ch->tmax = (int64_t)rec_u64(line, "tmax", &ok);
    ch->overlap = rec_u64(line, "overlap", &ok) != 0;
    if (rec_val(line, "unread")) /* files that opened nothing (not in older chunks' trailers) */
        ch->unread = rec_u64(line, "unread", &ok);
    if (rec_val(line, "oc")) /* (older chunks' trailers: open counts may be there) */
        ch->no_oc = rec_u64(line, "oc", &ok) == 0;
    if (rec_val(line, "direct")) /* the first chunk of --jobs only */
        ch->direct = rec_u64(line, "direct", &ok);
    if (rec_val(line, "fb")) /* a chunk of --jobs numbered from the records before it (--own-frame-base) */
        ch->fb_set = true, ch->fb = rec_u64(line, "fb", &ok);
    const char *v = rec_val(line, "frames");
    if (!ok || !v || *v != '[' || ch->last < ch->first || ch->last - ch->first > 1u << 24)
        return false;
    ch->nframes_files = ch->last - ch->first + 1;
    ch->frames = sd_calloc(ch->nframes_files, sizeof *ch->frames);
    v++;
    for (uint64_t i = 0; i < ch->nframes_files; i++) {
        char *end;
        ch->frames[i] = strtoull(v, &end, 10);
        if (end == v || (*end != ',' && *end != ']'))
            return false;
        v = end + 1;
    }
    ch->trailer = true;
    return true;
}

static bool parse_xst(const char *text, mxst *x)
{
    rec r;
    rec_scan(text, &r);
    bool ok = true;
    rec_str(&r, "uid", x->uid, sizeof x->uid, &ok);
    const char *v = rec_val(&r, "v");
    if (!ok || !v || *v++ != '[')
        return false;
    for (int i = 0; i < SD_MERGE_XST; i++) {
        char *end;
        errno = 0;
        x->v[i] = strtoull(v, &end, 10);
        if (end == v || errno || *end != (i + 1 < SD_MERGE_XST ? ',' : ']'))
            return false;
        v = end + 1;
    }
    return true;
}

/* Room for element n of an array grown by doubling (n counts them). */
static void *grow(void *p, size_t n, size_t sz)
{
    if (n ? n < 16 || (n & (n - 1)) : p != NULL) /* (room for 16 from the first) */
        return p;
    return sd_reallocarray(p, n < 16 ? 16 : 2 * n, sz);
}

/* The whole file in one buffer, sized from fstat so that hundreds of MB
 * are read once, not copied as a doubling buffer grows (it still grows
 * when the file does, or is a pipe). */
static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0)
        return NULL;
    size_t cap = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 3 : 65536, n = 0;
    char *p = sd_malloc(cap);
    for (;;) {
        if (n + 2 >= cap) /* room for a '\n' and the '\0' */
            p = sd_reallocarray(p, cap *= 2, 1);
        ssize_t r = read(fd, p + n, cap - 2 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = errno;
            close(fd);
            if (r < 0) {
                free(p);
                errno = e;
                return NULL;
            }
            break;
        }
        n += (size_t)r;
    }
    if (n && p[n - 1] != '\n') /* every line ends at a '\n' */
        p[n++] = '\n';
    p[n] = '\0';
    *len = n;
    return p;
}

/* A regular file mapped read-only: its pages are the page cache's, where
 * reading it would zero and copy each page of a new buffer (a fifth of
 * the merge's time on bench/jobs). The lines are then read in place and
 * never written to: each ends at its '\n'. NULL (read_all reads it) when
 * it is not a regular file or does not end with a '\n'. */
static char *map_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0)
        return NULL;
    char *p = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        /* every page is read: mapped at once, not a fault each */
        p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        p = p == MAP_FAILED ? NULL : p;
        if (p && p[st.st_size - 1] != '\n')
            munmap(p, (size_t)st.st_size), p = NULL;
        *len = (size_t)st.st_size;
    }
    close(fd);
    return p;
}

const char *sd_merge_find(const char *p, const char *end, const char *pat)
{
    size_t l = strlen(pat);
    for (; (size_t)(end - p) >= l; p++) {
        if (!(p = memchr(p, pat[0], (size_t)(end - p) - l + 1)))
            return NULL;
        if (!memcmp(p, pat, l))
            return p;
    }
    return NULL;
}

static bool own_is(const char *p, size_t n, const char *what)
{
    size_t l = strlen(what);
    return n >= 9 + l && !memcmp(p, "{\"_own\":\"", 9) && !memcmp(p + 9, what, l) && p[9 + l] == '"';
}

/* A line of n bytes at p that starts {"_own":": sd_own's record read
 * into ch, 1 or 0 (a bad one); -1 when it is no record the merge knows. */
static int take_record(mchunk *ch, const char *p, size_t n, size_t *cap)
{
    if (own_is(p, n, "conn")) {
        if (ch->nconns == *cap)
            ch->conns = sd_reallocarray(ch->conns, *cap = *cap ? *cap * 2 : 64, sizeof *ch->conns);
        mconn *c = &ch->conns[ch->nconns++];
        memset(c, 0, sizeof *c);
        if (walk_conn(p, n, c))
            return 1;
        char *r = sd_strndup(p, n); /* a record as a string of its own: the text is not cut */
        bool ok = parse_conn(r, c);
        free(r);
        return ok;
    }
    if (own_is(p, n, "chunk")) {
        char *r = sd_strndup(p, n);
        bool ok = !ch->trailer && parse_trailer(r, ch);
        free(r);
        return ok;
    }
    if (own_is(p, n, "fmt")) { /* the output format asked for: sd_merge_fmt renders it */
        free(ch->fmt);
        ch->fmt = sd_strndup(p, n);
        return 1;
    }
    if (own_is(p, n, "xst")) {
        ch->xst = grow(ch->xst, ch->nxst, sizeof *ch->xst);
        char *r = sd_strndup(p, n);
        bool ok = parse_xst(r, &ch->xst[ch->nxst++]);
        free(r);
        return ok;
    }
    if (own_is(p, n, "org")) { /* read when a campaign names one of its frames (sd_merge_camp) */
        ch->org = grow(ch->org, ch->norg, sizeof *ch->org);
        ch->org_len = grow(ch->org_len, ch->norg, sizeof *ch->org_len);
        ch->org_len[ch->norg] = n;
        ch->org[ch->norg++] = p;
        return 1;
    }
    if (own_is(p, n, "camp")) {
        ch->camp = grow(ch->camp, ch->ncamp, sizeof *ch->camp);
        ch->camp_len = grow(ch->camp_len, ch->ncamp, sizeof *ch->camp_len);
        ch->camp_len[ch->ncamp] = n;
        ch->camp[ch->ncamp++] = p; /* in place: the text lives as long as the chunk */
        return 1;
    }
    return -1;
}

/* One line of a chunk's output (n bytes at p, without its '\n'): a record
 * of sd_own's or an output line (most are: the records' prefix is looked
 * for once). */
static bool take_line(mchunk *ch, const char *p, size_t n, size_t *cap)
{
    int r = n >= 9 && !memcmp(p, "{\"_own\":\"", 9) ? take_record(ch, p, n, cap) : -1;
    if (r >= 0)
        return r;
    if (n && (p[0] != '{' || p[n - 1] != '}')) /* every chunk line is a JSON object: this one is cut */
        return false;
    if (n) {
        ch->lines = grow(ch->lines, ch->nlines, sizeof *ch->lines);
        ch->lens = grow(ch->lens, ch->nlines, sizeof *ch->lens);
        ch->lens[ch->nlines] = n;
        ch->lines[ch->nlines++] = p;
    }
    return true;
}

/* The first chunk's connections whose lines its run wrote to the final
 * output itself (--own-direct): one run's first lines, byte for byte, so
 * they are in place as if written early (its text holds the rest). */
static void take_direct(mchunk *ch)
{
    for (size_t i = 0; i < ch->direct; i++) {
        mconn *c = &ch->conns[i];
        bool shown = sd_merge_shown(c); /* (a first chunk drops none) */
        c->pos = shown ? ch->flushed_shown++ : UINT64_MAX;
        ch->flushed_cut += shown && c->cut;
    }
    ch->flushed = ch->direct;
}

/* A connection whose first frame is before the chunk's frames (numbered
 * from fb + 1 when its trailer says "fb", else from 1), or whose last is
 * before its first: a record edited or a forged "fb", that the merge would
 * number wrongly without a word. (A first frame past the chunk's own files
 * is not one: a file listed twice is read in the chunk of its first place.)
 * NULL when there is none. */
static const mconn *outside(const mchunk *ch)
{
    for (size_t i = 0; i < ch->nconns; i++) {
        const mconn *c = &ch->conns[i];
        if (c->ff <= ch->fb || c->lf < c->ff)
            return c;
    }
    return NULL;
}

/* Cuts the text into lines and reads sd_own's records out of them. */
static bool load_chunk(mchunk *ch, const char *path, FILE *err)
{
    size_t len, cap = 0;
    if ((ch->text = map_all(path, &len)))
        ch->mapped = len;
    else if (!(ch->text = read_all(path, &len))) {
        fprintf(err, "strider merge: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    bool ok = true;
    size_t ln = 0;
    for (const char *p = ch->text, *end = p + len; ok && p < end; ln++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p)); /* there is one: the text ends with it */
        ok = take_line(ch, p, (size_t)(nl - p), &cap);
        p = nl + 1;
    }
    const mconn *c = ok && ch->trailer ? outside(ch) : NULL;
    if (!ok)
        fprintf(err, "strider merge: %s is not the output of a run with --own and --json (line %zu: a bad _own "
                     "record, or a line cut short)\n", path, ln);
    else if (!ch->trailer)
        fprintf(err, "strider merge: %s is not the output of a run with --own and --json (no chunk trailer)\n",
                path);
    else if (c) {
        fprintf(err, "strider merge: %s is not the output of a run with --own and --json (connection %s "
                     "says frames %llu..%llu, the chunk's frames are numbered from %llu)\n", path, c->uid,
                (unsigned long long)c->ff, (unsigned long long)c->lf, (unsigned long long)ch->fb + 1);
        ok = false;
    } else if (ch->direct && (ch->first || ch->direct > ch->nconns || ch->hook)) {
        fprintf(err, "strider merge: %s says it wrote %llu connections elsewhere: only --jobs's first "
                     "chunk does\n", path, (unsigned long long)ch->direct);
        ok = false;
    }
    if (ok && ch->trailer)
        take_direct(ch);
    return ok && ch->trailer;
}

/* The first "uid":"..." of an output line of n bytes, or false. Looked
 * for by its 'u' (rare in a line's first keys, where the uid sits): by its
 * '"', a call of memchr each key and string before it. */
static bool line_uid(const char *line, size_t n, char uid[20])
{
    const char *end = line + n, *v = NULL;
    for (const char *p = line + 1; !v && p + 6 <= end; p++) {
        if (!(p = memchr(p, 'u', (size_t)(end - p))) || p + 6 > end)
            break;
        v = p[-1] == '"' && !memcmp(p, "uid\":\"", 6) ? p - 1 : NULL;
    }
    const char *q = v ? memchr(v + 7, '"', (size_t)(end - v - 7)) : NULL;
    if (!q || q - (v + 7) >= 20)
        return false;
    memcpy(uid, v + 7, (size_t)(q - (v + 7)));
    uid[q - (v + 7)] = '\0';
    return true;
}

/* Each output line goes with the connection of its uid. */
mconn *sd_merge_conn(const mchunk *ch, const char *uid)
{
    char k[20] = { 0 }; /* the key: the uid, cut to 19 bytes, NUL-padded */
    memcpy(k, uid, strnlen(uid, sizeof k - 1));
    size_t cur = ch->nconns;
    return sd_merge_conn_from((mchunk *)ch, k, &cur);
}

static void index_uids(mchunk *ch)
{
    sd_hmap *m = ch->byuid = sd_hmap_new(20, sizeof(size_t), 0);
    for (size_t i = 0; i < ch->nconns; i++) {
        char k[20] = { 0 };
        memcpy(k, ch->conns[i].uid, sizeof k);
        void *v;
        sd_hmap_insert(m, k, &v);
        *(size_t *)v = i;
    }
}

/* How far past the last connection found the next one is looked for in
 * order before the uid index: a chunk writes each connection's lines and
 * records when it ends, both in that order, so the next is almost always
 * the same connection or one of the next few (those that printed nothing). */
#define UID_AHEAD 8

/* The connection of a uid (k: NUL-padded to 20 bytes), looked for from
 * *cur on (then *cur is its index), else in the uid index (built when
 * first needed: most merges never need it); NULL when none has it. */
mconn *sd_merge_conn_from(mchunk *ch, const char k[20], size_t *cur)
{
    for (size_t i = *cur; i < ch->nconns && i < *cur + UID_AHEAD; i++)
        if (!memcmp(ch->conns[i].uid, k, 20))
            return *cur = i, &ch->conns[i];
    if (!ch->byuid)
        index_uids(ch);
    size_t *i = sd_hmap_find(ch->byuid, k);
    return i ? (*cur = *i, &ch->conns[*i]) : NULL;
}

/* The uid is all of a line grouping reads (near its head), long after
 * the chunk was read through: each head a wait for memory unless asked
 * for this many lines before (line_uid's memchr was 7 % of the merge on
 * bench/jobs, docs/scale.md "memfd") */
#define MERGE_GROUP_PREFETCH 8

static void group_lines(mchunk *ch)
{
    size_t cur = ch->direct; /* the lines of those before are not here */
    for (size_t i = 0; i < ch->nlines; i++) {
        char k[20] = { 0 };
        if (i + MERGE_GROUP_PREFETCH < ch->nlines) /* (see MERGE_GROUP_PREFETCH) */
            __builtin_prefetch(ch->lines[i + MERGE_GROUP_PREFETCH]),
                __builtin_prefetch(ch->lines[i + MERGE_GROUP_PREFETCH] + 64);
        mconn *c = line_uid(ch->lines[i], ch->lens[i], k) ? sd_merge_conn_from(ch, k, &cur) : NULL;
        if (!c) {
            ch->tail = grow(ch->tail, ch->ntail, sizeof *ch->tail);
            ch->tail[ch->ntail++] = i;
            continue;
        }
        c->lines = grow(c->lines, c->nlines, sizeof *c->lines);
        c->lines[c->nlines++] = i;
    }
    ch->grouped = true;
}

static int cmp_first(const void *a, const void *b)
{
    const mchunk *x = a, *y = b;
    return x->first < y->first ? -1 : x->first > y->first;
}

/* Chunks in file order, each starting where the one before ended; frame
 * numbers made global. */
static bool order_chunks(mchunk *ch, size_t n, FILE *err)
{
    qsort(ch, n, sizeof *ch, cmp_first);
    uint64_t off = 0;
    const mchunk *prev = NULL; /* the last one with records */
    for (size_t i = 0; i < n; i++) {
        unsigned want = i ? ch[i - 1].last + 1 : 0;
        if (ch[i].first != want) {
            fprintf(err, "strider merge: the chunks do not cover the files in order: file %u %s\n", want,
                    ch[i].first > want ? "is in no chunk" : "is in two chunks");
            return false;
        }
        ch[i].off = off;
        /* a chunk given the records before it (fb) wrote one run's
         * numbers: shift 0 unless fb was miscounted (a file its parent
         * counted otherwise than the capture reads it): then the
         * difference, either way, as unsigned arithmetic wraps */
        ch[i].shift = off - ch[i].fb;
        for (uint64_t f = 0; f < ch[i].nframes_files; f++)
            off += ch[i].frames[f];
        if (off == ch[i].off)
            continue;
        if (ch[i].overlap || (prev && ch[i].tmin < prev->tmax))
            fprintf(err, "strider merge: warning: files %u..%u overlap in time with another chunk's: one run "
                         "reads them interleaved, so its output may differ from this one (rotated files do "
                         "not overlap)\n", ch[i].first, ch[i].last);
        prev = &ch[i];
        for (size_t k = 0; k < ch[i].nconns; k++) {
            mconn *c = &ch[i].conns[k];
            c->chunk = (unsigned)i;
            c->head = ch[i].fb_set, c->no_oc = ch[i].no_oc;
            c->ff += ch[i].shift, c->lf += ch[i].shift, c->end += ch[i].shift;
            if (c->cl)
                c->cl += ch[i].shift;
        }
    }
    return true;
}

/* The ports' identity, either way round: proto, VLAN, then the lower end. */
static int cmp_pair(const mconn *x, const mconn *y)
{
    const uint8_t *xa = x->oh, *xb = x->rh, *ya = y->oh, *yb = y->rh;
    unsigned xpa = x->op, xpb = x->rp, ypa = y->op, ypb = y->rp;
    int sx = memcmp(xa, xb, 16) > 0 || (!memcmp(xa, xb, 16) && xpa > xpb);
    int sy = memcmp(ya, yb, 16) > 0 || (!memcmp(ya, yb, 16) && ypa > ypb);
    if (sx)
        xa = x->rh, xb = x->oh, xpa = x->rp, xpb = x->op;
    if (sy)
        ya = y->rh, yb = y->oh, ypa = y->rp, ypb = y->op;
    int r = (x->proto > y->proto) - (x->proto < y->proto);
    if (!r)
        r = (x->vlan > y->vlan) - (x->vlan < y->vlan);
    if (!r)
        r = memcmp(xa, ya, 16);
    if (!r)
        r = memcmp(xb, yb, 16);
    if (!r)
        r = (xpa > ypa) - (xpa < ypa);
    if (!r)
        r = (xpb > ypb) - (xpb < ypb);
    return r;
}

/* A hash of the ports' identity either way round, so that sorting
 * compares two numbers where cmp_pair compares addresses (same pair, same
 * key: the pairs still sort together, ties go to cmp_pair). */
static uint64_t pair_key(const mconn *c)
{
    struct {
        uint8_t a[16], b[16];
        uint32_t pa, pb, proto, vlan;
    } k;
    memset(&k, 0, sizeof k);
    bool swap = memcmp(c->oh, c->rh, 16) > 0 || (!memcmp(c->oh, c->rh, 16) && c->op > c->rp);
    memcpy(k.a, swap ? c->rh : c->oh, 16);
    memcpy(k.b, swap ? c->oh : c->rh, 16);
    k.pa = swap ? c->rp : c->op, k.pb = swap ? c->op : c->rp;
    k.proto = (uint32_t)c->proto, k.vlan = c->vlan;
    return sd_hash_bytes(&k, sizeof k);
}

static int cmp_pair_time(const void *a, const void *b)
{
    const mconn *x = *(mconn *const *)a, *y = *(mconn *const *)b;
    if (x->pkey != y->pkey)
        return x->pkey < y->pkey ? -1 : 1;
    int r = cmp_pair(x, y);
    return r ? r : (x->ff > y->ff) - (x->ff < y->ff);
}

/* Was an earlier chunk's connection e still alive at c's first record?
 * (Ended in a packet's handling at that record, e gave way to c.) */
static bool covers(const mconn *e, const mconn *c)
{
    return e->chunk < c->chunk && !e->drop && e->ff < c->ff &&
           (c->ff < e->end || (c->ff == e->end && e->ep != 0));
}

/* Did e end before c began, remembered by one run's stream numbering
 * (sd_streamno: ended in a packet's handling or a sweep, not the drain)? */
static bool ended_before(const mconn *e, const mconn *c)
{
    return e->chunk < c->chunk && !e->drop && e->ep != 2 && (e->end < c->ff || (e->end == c->ff && e->ep == 0));
}

/* Wireshark's rule (sd_streamno_splits): a SYN without ACK whose seq is
 * not the conversation's first one starts a new conversation. */
static bool splits(const mconn *e, const mconn *c)
{
    return c->fsyn && (e->wbs >> c->fside & 1) && c->fseq != e->wb[c->fside];
}

/* v[i], a later chunk's connection, against the earlier connections on its
 * ports (v[0..i-1] sorted by first record): the one still alive there
 * covers it (it goes); else, if it is its chunk's first on these ports, the
 * one that ended last before it may go on in its stream. */
static void against_earlier(mconn **v, size_t i)
{
    mconn *c = v[i];
    const mconn *last = NULL;
    for (size_t j = i; j-- > 0 && v[j]->pkey == c->pkey && !cmp_pair(v[j], c);) {
        if (v[j]->chunk == c->chunk)
            return; /* its own chunk numbered it after that one */
        if (covers(v[j], c)) {
            c->drop = true;
            c->cont = v[j];
            return;
        }
        if (ended_before(v[j], c) && (!last || v[j]->end > last->end))
            last = v[j];
    }
    if (last && !splits(last, c))
        c->cont = last;
}

/* A set of pair keys (open addressing), each with the first chunk that
 * had it and whether another one did. */
typedef struct pseen {
    uint64_t key;
    unsigned chunk;
    bool used, multi;
} pseen;

static pseen *seen_slot(pseen *t, size_t cap, uint64_t key)
{
    size_t i = (size_t)(key ^ key >> 29) & (cap - 1);
    while (t[i].used && t[i].key != key)
        i = (i + 1) & (cap - 1);
    return &t[i];
}

static void seen_add(pseen *t, size_t cap, uint64_t key, unsigned chunk)
{
    pseen *e = seen_slot(t, cap, key);
    if (!e->used)
        *e = (pseen){ key, chunk, true, false };
    else
        e->multi |= e->chunk != chunk;
}

static bool seen_multi(pseen *t, size_t cap, uint64_t key)
{
    return seen_slot(t, cap, key)->multi;
}

/* Every later chunk's connection is provisional: its first packet may be
 * in the middle of one an earlier chunk owns, and read on to finish. */
static void drop_covered(mchunk *ch, size_t n)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < n; i++)
        total += ch[i].nconns;
    mconn **v = sd_reallocarray(NULL, total ? total : 1, sizeof *v);
    /* only the pairs of ports seen by two chunks can be (a connection and
     * its earlier chunk's one): the others are left out of the sort (of
     * every connection, it was a third of the merge's numbering) */
    size_t cap = 16;
    while (cap < 2 * total)
        cap *= 2;
    pseen *seen = sd_calloc(cap, sizeof *seen);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].nconns; j++)
            seen_add(seen, cap, ch[i].conns[j].pkey = pair_key(&ch[i].conns[j]), (unsigned)i);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].nconns; j++)
            if (seen_multi(seen, cap, ch[i].conns[j].pkey))
                v[k++] = &ch[i].conns[j];
    free(seen);
    total = k;
    qsort(v, total, sizeof *v, cmp_pair_time);
    for (size_t i = 0; i < total; i++)
        if (v[i]->prov)
            against_earlier(v, i);
    free(v);
}

/* TCP first, then the rest (their numbers are apart), then by a or b. */
static int by_class(const mconn *x, const mconn *y, uint64_t a, uint64_t b)
{
    int px = x->proto != 6, py = y->proto != 6;
    return px != py ? px - py : (a > b) - (a < b);
}

static int cmp_idx(const void *a, const void *b)
{
    const mconn *x = *(mconn *const *)a, *y = *(mconn *const *)b;
    return by_class(x, y, x->idx, y->idx);
}

static int cmp_stream(const void *a, const void *b)
{
    const mconn *x = *(mconn *const *)a, *y = *(mconn *const *)b;
    return by_class(x, y, x->stream, y->stream);
}

/* v by (class, stream) or (class, idx) as qsort with cmp_stream or
 * cmp_idx orders it (stable, as glibc's merge sort), but in two passes:
 * a chunk's numbers are dense from 0 (sorting was most of numbering).
 * Numbers far apart (not a chunk's own) go to qsort. */
static void sort_class(mconn **v, size_t k, bool by_stream)
{
    uint64_t max[2] = { 0, 0 }, lim = 4 * (uint64_t)k + 64;
    for (size_t j = 0; j < k; j++) {
        uint64_t x = by_stream ? v[j]->stream : v[j]->idx;
        int p = v[j]->proto != 6;
        max[p] = x > max[p] ? x : max[p];
    }
    if (max[0] >= lim || max[1] >= lim) {
        qsort(v, k, sizeof *v, by_stream ? cmp_stream : cmp_idx);
        return;
    }
    size_t n0 = (size_t)max[0] + 1, nb = n0 + (size_t)max[1] + 1;
    size_t *at = sd_calloc(nb + 1, sizeof *at);
    mconn **out = sd_reallocarray(NULL, k ? k : 1, sizeof *out);
#define BUCKET(c) ((c)->proto != 6 ? n0 + (size_t)(by_stream ? (c)->stream : (c)->idx) \
                                   : (size_t)(by_stream ? (c)->stream : (c)->idx))
    for (size_t j = 0; j < k; j++)
        at[BUCKET(v[j]) + 1]++;
    for (size_t b = 1; b <= nb; b++)
        at[b] += at[b - 1];
    for (size_t j = 0; j < k; j++)
        out[at[BUCKET(v[j])]++] = v[j];
#undef BUCKET
    memcpy(v, out, k * sizeof *v);
    free(out);
    free(at);
}

static void make_uid(mconn *c)
{
    sd_conn t;
    memset(&t, 0, sizeof t);
    t.ipproto = (uint8_t)c->proto;
    memcpy(t.orig_h.a, c->oh, 16);
    memcpy(t.resp_h.a, c->rh, 16);
    t.orig_p = (uint16_t)c->op, t.resp_p = (uint16_t)c->rp;
    t.start = c->start;
    t.first_frame = c->ff;
    t.conn_index = c->gidx;
    sd_conn_make_uid(&t);
    memcpy(c->guid, t.uid, sizeof c->guid);
}

/* A chunk's streams, each once: one that goes on with an earlier chunk's
 * connection (dropped as its tail, or its stream continued) takes that
 * stream; another with a kept connection takes the next number. v is the
 * chunk's connections sorted by stream. */
static void number_streams(mconn **v, size_t k, uint64_t nstream[2])
{
    for (size_t j = 0, e; j < k; j = e) {
        int p = v[j]->proto != 6;
        const mconn *cont = NULL;
        bool kept = false;
        for (e = j; e < k && (v[e]->proto != 6) == p && v[e]->stream == v[j]->stream; e++) {
            cont = cont ? cont : v[e]->cont;
            kept |= !v[e]->drop;
        }
        uint64_t g = cont ? cont->gstream : kept ? nstream[p]++ : UINT64_MAX;
        for (size_t x = j; x < e; x++)
            v[x]->gstream = g;
    }
}

/* Connection indexes (per protocol, TCP and the rest) and Wireshark
 * streams (tcp.stream, udp.stream) go on from the earlier chunks' kept
 * connections, in each chunk's own order; uids follow from them. */
static void number(mchunk *ch, size_t n)
{
    uint64_t nidx[2] = { 0, 0 }, nstream[2] = { 0, 0 };
    for (size_t i = 0; i < n; i++) {
        mconn **v = sd_reallocarray(NULL, ch[i].nconns ? ch[i].nconns : 1, sizeof *v);
        size_t k = ch[i].nconns;
        for (size_t j = 0; j < k; j++)
            v[j] = &ch[i].conns[j];
        sort_class(v, k, true);
        number_streams(v, k, nstream);
        sort_class(v, k, false);
        for (size_t j = 0; j < k; j++)
            if (!v[j]->drop) {
                v[j]->gidx = nidx[v[j]->proto != 6]++;
                /* the uid is a function of the numbers: the same ones
                 * (the first chunk's) give the chunk's uid */
                if (ch[i].shift || v[j]->gidx != v[j]->idx)
                    make_uid(v[j]);
                else
                    memcpy(v[j]->guid, v[j]->uid, sizeof v[j]->guid);
            }
        free(v);
    }
}

static void free_chunks(mchunk *ch, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < ch[i].nconns; j++)
            free(ch[i].conns[j].lines);
        free(ch[i].conns);
        free(ch[i].lines);
        free(ch[i].lens);
        free(ch[i].camp_len);
        free(ch[i].org);
        free(ch[i].org_len);
        free(ch[i].tail);
        free(ch[i].camp);
        free(ch[i].cpre);
        free(ch[i].cbyff);
        free(ch[i].fmt);
        free(ch[i].xst);
        sd_hmap_free(ch[i].byuid);
        free(ch[i].frames);
        if (ch[i].mapped)
            munmap(ch[i].text, ch[i].mapped);
        else
            free(ch[i].text);
    }
    free(ch);
}

struct sd_merge {
    mchunk *ch;
    size_t n, cap;
    sd_merge_conn_fn hook;
    void *hook_ctx;
    bool ok, early;                 /* early: sd_merge_early wrote */
    FILE *err;
    uint64_t *tot;                  /* sd_merge_totals' */
};

sd_merge *sd_merge_new(FILE *err)
{
    sd_merge *m = sd_calloc(1, sizeof *m);
    m->ok = true;
    m->err = err;
    return m;
}

void sd_merge_set_hook(sd_merge *m, sd_merge_conn_fn fn, void *ctx)
{
    m->hook = fn;
    m->hook_ctx = ctx;
}

bool sd_merge_add(sd_merge *m, const char *path)
{
    return sd_merge_add_ud(m, path, NULL);
}

bool sd_merge_add_ud(sd_merge *m, const char *path, void *chunk_ud)
{
    if (!m->ok)
        return false;
    if (m->n == m->cap)
        m->ch = sd_reallocarray(m->ch, m->cap = m->cap ? 2 * m->cap : 8, sizeof *m->ch);
    mchunk *c = &m->ch[m->n++];
    memset(c, 0, sizeof *c);
    c->hook = m->hook, c->hook_ctx = m->hook_ctx, c->hook_ud = chunk_ud;
    return m->ok = load_chunk(c, path, m->err);
}

void sd_merge_totals(sd_merge *m, uint64_t tot[1 + SD_MERGE_XST])
{
    m->tot = tot;
}

/* The parts of the totals of the sessions kept (grouped: uids known). */
static void add_totals(const mchunk *ch, size_t n, uint64_t *tot)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < ch[i].nxst; j++) {
            const mxst *x = &ch[i].xst[j];
            const mconn *c = sd_merge_conn(&ch[i], x->uid);
            if (!c || c->drop)
                continue;
            tot[0]++;
            for (int k = 0; k < SD_MERGE_XST; k++)
                tot[1 + k] += x->v[k];
        }
}

void sd_merge_early(sd_merge *m, FILE *out)
{
    mchunk *c0 = NULL;
    for (size_t i = 0; m->ok && i < m->n; i++)
        c0 = m->ch[i].first == 0 ? &m->ch[i] : c0;
    if (!c0 || m->early)
        return;
    m->early = true;
    if (!c0->grouped)
        group_lines(c0);
    uint64_t next = 0; /* the next chunk's first record */
    for (uint64_t f = 0; f < c0->nframes_files; f++)
        next += c0->frames[f];
    /* the first chunk's numbers depend on no other chunk: the same as
     * sd_merge_finish will give them */
    number(c0, 1);
    sd_merge_open_counts(c0, 1);
    sd_merge_write_early(c0, next, out);
}

void sd_merge_free(sd_merge *m)
{
    free_chunks(m->ch, m->n);
    free(m);
}

/* What of a chunk depends on it alone: its lines grouped with their
 * connections, its campaign records read. */
static void prepare(mchunk *ch)
{
    if (!ch->grouped)
        group_lines(ch);
    sd_merge_camp_read(ch);
}

/* Prepares the chunks not prepared yet (sd_merge_prepare, sd_merge_early). */
static void *group_rest(void *arg)
{
    sd_merge *m = arg;
    for (size_t i = 0; i < m->n; i++)
        prepare(&m->ch[i]);
    return NULL;
}

void sd_merge_prepare(sd_merge *m)
{
    if (m->ok && m->n)
        prepare(&m->ch[m->n - 1]);
}

/* One run over files none of which gives a record, some of which could
 * not be read, exits 1 (cli_status): so does the merge of its chunks. */
static bool nothing_read(const mchunk *ch, size_t n, bool *none_opened)
{
    uint64_t frames = 0, unread = 0, files = 0;
    for (size_t i = 0; i < n; i++) {
        unread += ch[i].unread;
        files += ch[i].nframes_files;
        for (uint64_t f = 0; f < ch[i].nframes_files; f++)
            frames += ch[i].frames[f];
    }
    *none_opened = unread == files;
    return !frames && unread;
}

int sd_merge_finish(sd_merge *m, FILE *out)
{
    mchunk *ch = m->ch;
    size_t n = m->n;
    if (m->ok && !n)
        fprintf(m->err, "strider merge: no chunk output to merge\n");
    bool ok = m->ok && n && order_chunks(ch, n, m->err);
    if (ok) {
        /* the lines go with their connections beside the numbering (it
         * reads the connections' records only): for --jobs, the last
         * chunk's output is read after its worker ends, when a core is free */
        pthread_t t;
        bool th = !pthread_create(&t, NULL, group_rest, m);
        if (!th)
            group_rest(m);
        drop_covered(ch, n);
        number(ch, n);
        sd_merge_open_counts(ch, n);
        if (th)
            pthread_join(t, NULL);
        if (m->tot)
            add_totals(ch, n, m->tot);
        uint64_t cut = sd_merge_write(ch, n, out);
        if (cut)
            fprintf(m->err, "strider merge: %llu connection%s cut at the read-ahead limit (marked "
                            "readahead_cut): one run would have read them further\n",
                    (unsigned long long)cut, cut == 1 ? "" : "s");
    }
    bool none_opened;
    if (ok && nothing_read(ch, n, &none_opened)) {
        /* what one run over the files says: the chunks said each file that
         * could not be read; that no file opened, only when none did */
        if (none_opened)
            fprintf(m->err, "strider: nothing could be read\n");
        ok = false;
    }
    sd_merge_free(m);
    return ok ? 0 : 1;
}

static int cmp_range(const void *a, const void *b)
{
    const unsigned *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Do the chunks cover the files once each? (sd_merge_finish says which
 * file does not.) */
static bool covered(const sd_merge *m)
{
    unsigned(*r)[2] = sd_calloc(m->n ? m->n : 1, sizeof *r);
    for (size_t i = 0; i < m->n; i++)
        r[i][0] = m->ch[i].first, r[i][1] = m->ch[i].last;
    qsort(r, m->n, sizeof *r, cmp_range);
    bool ok = true;
    for (size_t i = 0; i < m->n; i++)
        ok &= r[i][0] == (i ? r[i - 1][1] + 1 : 0);
    free(r);
    return ok;
}

/* Whether chunk c read a record: a chunk whose files gave none declares
 * the columns of a run that read nothing (the text table names each row's
 * file only once a frame was read, sd_connout), not one run's. */
static bool read_any(const mchunk *c)
{
    for (uint64_t f = 0; f < c->nframes_files; f++)
        if (c->frames[f])
            return true;
    return false;
}

const char *sd_merge_declared(const sd_merge *m, bool *same)
{
    const mchunk *best = NULL;
    for (size_t i = 0; i < m->n; i++) {
        const mchunk *c = &m->ch[i];
        bool better = read_any(c) ? !best || !read_any(best) || c->first < best->first
                                  : !best || (!read_any(best) && c->first < best->first);
        best = better ? c : best;
    }
    *same = true;
    for (size_t i = 0; best && i < m->n; i++) { /* the chunks that read nothing: only whether they declare */
        const mchunk *c = &m->ch[i];
        if (!best->fmt != !c->fmt || (c->fmt && read_any(c) && strcmp(best->fmt, c->fmt)))
            *same = false;
    }
    return best ? best->fmt : NULL;
}

bool sd_merge_declared_settled(const sd_merge *m)
{
    unsigned next = 0;
    for (bool found = true; found;) {
        found = false;
        for (size_t i = 0; i < m->n && !found; i++)
            if (m->ch[i].first == next) {
                if (read_any(&m->ch[i]))
                    return true;
                next = m->ch[i].last + 1, found = true;
            }
    }
    return false;
}

/* All inputs at once, through the same early write as --jobs (so that
 * every merge checks it), once they are known to be whole; in the format
 * the chunks asked for (sd_merge_fmt.h). */
int sd_merge_files(const char *const *paths, size_t n, FILE *out, FILE *err)
{
    sd_merge *m = sd_merge_new(err);
    for (size_t i = 0; i < n && sd_merge_add(m, paths[i]); i++)
        ;
    sd_merge_fmt *f = m->ok ? sd_merge_fmt_open(m, out, err) : NULL;
    FILE *o = f ? sd_merge_fmt_file(f) : out;
    m->ok = m->ok && f;
    if (m->ok && covered(m))
        sd_merge_early(m, o);
    int rc = sd_merge_finish(m, o);
    return f ? sd_merge_fmt_close(f, rc) : rc;
}
