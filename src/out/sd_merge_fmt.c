/* sd_merge_fmt: merged JSON lines written in the format one run was asked
 * for (see sd_merge_fmt.h). */
#define _GNU_SOURCE /* fopencookie: the merge writes to a FILE, this module takes its lines */
#include "sd_merge_fmt.h"

#include "sd_connfields.h"
#include "sd_evout.h"
#include "sd_merge_fmt_int.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Rendered bytes kept before they are written. */
#define OUT_FLUSH (1u << 16)

static const char *const FMT_NAMES[] = { [SD_REC_TEXT] = "text", [SD_REC_JSON] = "json", [SD_REC_CSV] = "csv" };

/* The records whose format can be declared: their JSON "type" and fields
 * (NULL: events, whose CSV is sd_evout's, not a field table's). Lines of
 * the types in skip are part of the JSON lines, not of that format (ssh's
 * CSV has its events, not its "ssh" records). */
static const struct {
    const char *of, *skip;
    const sd_fieldset *fs;
} KINDS[] = { { "conn", NULL, &sd_conn_fields }, { "event", "ssh", NULL } };

void sd_merge_fmt_record(sd_buf *b, const char *of, sd_rec_fmt fmt, const sd_field *const *sel, size_t n,
                         size_t hold)
{
    sd_buf_printf(b, "{\"_own\":\"fmt\",\"of\":\"%s\",\"fmt\":\"%s\",\"hold\":%zu,\"cols\":\"", of,
                  FMT_NAMES[fmt], hold);
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(b, "%s%s", i ? "," : "", sel[i]->name);
    sd_buf_append(b, "\"}\n", 3);
}

struct sd_merge_fmt {
    FILE *out, *err, *file;   /* file: the merge's side (out when none declared) */
    sd_recout *w;
    const sd_field **sel;
    size_t n;
    sd_fval *vals;
    char of[32];
    const char *skip;         /* a type of line left out (KINDS) */
    bool events;              /* the records are events (sd_evout_csv_at) */
    sd_buf pend;              /* the start of a line not whole yet */
    sd_buf o;                 /* rendered, not yet written */
    sd_buf strs;              /* the line's strings, unescaped */
    mfkv *kvs;
    int *kvi;                 /* per column: its key's index in kvs, or -1 */
    uint32_t *hcol, hmask;    /* column names hashed: column + 1, 0 = free */
    uint64_t bad;             /* lines that are not a record of the declared type */
    bool write_failed;
};

/* Past the JSON string that starts at p (its closing quote), or end: the
 * next quote not escaped (after an even run of backslashes). */
static const char *str_end(const char *p, const char *end)
{
    for (const char *q = p + 1; q < end && (q = memchr(q, '"', (size_t)(end - q))); q++) {
        size_t bs = 0;
        while (q - bs - 1 > p && q[-(ptrdiff_t)bs - 1] == '\\')
            bs++;
        if (!(bs & 1))
            return q + 1;
    }
    return end;
}

/* Past a nested value ([...] or {...}), strings inside skipped. */
static const char *nest_end(const char *p, const char *end)
{
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            p = str_end(p, end);
            continue;
        }
        depth += (*p == '[' || *p == '{') - (*p == ']' || *p == '}');
        p++;
        if (!depth)
            break;
    }
    return p;
}

int sd_mfkv_scan(const char *p, size_t len, mfkv *out, int cap)
{
    const char *end = p + len;
    int n = 0;
    if (!len || *p != '{')
        return -1;
    for (p++; p < end && *p != '}' && n < cap;) {
        if (*p != '"')
            return -1;
        const char *k = p + 1, *q = str_end(p, end);
        if (q >= end || *q != ':')
            return -1;
        const char *v = q + 1, *e;
        if (v == end)
            return -1;
        if (*v == '"')
            e = str_end(v, end);
        else if (*v == '[' || *v == '{')
            e = nest_end(v, end);
        else
            for (e = v; e < end && *e != ',' && *e != '}';)
                e++;
        out[n++] = (mfkv){ k, v, (size_t)(q - 1 - k), (size_t)(e - v) };
        p = e < end && *e == ',' ? e + 1 : e;
    }
    return p < end && *p == '}' ? n : -1;
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* A JSON string's text (s..e, its quotes excluded) unescaped into o, NUL
 * ended. sd_json_escape writes \u00XX for a control byte and for a byte
 * that is not UTF-8: XX is taken back as that byte, the byte it was (a
 * UTF-8 C1 control, also written \u0080-\u009f, comes back as its second
 * byte alone: docs/scale.md). */
static void unescape(const char *s, const char *e, sd_buf *o)
{
    SD_CHECK(assert(o->cap - o->len > (size_t)(e - s)));
    for (; s < e; s++) {
        char c = *s;
        if (c != '\\' || s + 1 >= e) {
            sd_buf_append(o, &c, 1);
            continue;
        }
        c = *++s;
        unsigned cp = 0;
        int k = 0;
        switch (c) {
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'u':
            for (k = 0; k < 4 && s + 1 < e && hexval(s[1]) >= 0; k++)
                cp = cp << 4 | (unsigned)hexval(*++s);
            if (cp < 0x100) {
                c = (char)cp;
                break;
            }
            char u[3] = { (char)(cp >> 12 | 0xe0), (char)((cp >> 6 & 0x3f) | 0x80), (char)((cp & 0x3f) | 0x80) };
            if (cp < 0x800)
                u[0] = (char)(cp >> 6 | 0xc0), u[1] = (char)((cp & 0x3f) | 0x80);
            sd_buf_append(o, u, cp < 0x800 ? 2 : 3);
            continue;
        default: break; /* \" \\ \/ */
        }
        sd_buf_append(o, &c, 1);
    }
    sd_buf_append(o, "", 1);
}

/* A number as the writer of one run made it: an integer as one, a decimal
 * as a double written with as many decimals; when that would not give the
 * same text back (beyond a double's digits) the text itself, as a nested
 * value is kept. */
/* Digits of a u64 that cannot overflow (20 can). */
#define U64_SAFE_DIGITS 19

/* A plain unsigned integer written as one run writes it (no sign, no
 * leading zero): its value in *u. The common case, without strtoull. */
static bool plain_u64(const char *v, size_t vl, uint64_t *u)
{
    if (!vl || vl > U64_SAFE_DIGITS || (v[0] == '0' && vl > 1))
        return false;
    uint64_t x = 0;
    for (size_t i = 0; i < vl; i++) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        x = x * 10 + (uint64_t)(v[i] - '0');
    }
    *u = x;
    return true;
}

static void number(const char *v, size_t vl, sd_fval *out)
{
    char lit[64], back[64];
    uint64_t u;
    if (plain_u64(v, vl, &u)) {
        sd_fv_u(out, u);
        return;
    }
    if (vl >= sizeof lit) {
        sd_buf_append(&out->raw, v, vl);
        out->t = SD_FV_JSON;
        return;
    }
    memcpy(lit, v, vl);
    lit[vl] = '\0';
    const char *dot = strchr(lit, '.');
    errno = 0;
    if (!dot && !strpbrk(lit, "eE") && lit[0] == '-') {
        out->t = SD_FV_I64;
        out->i = strtoll(lit, NULL, 10);
    } else if (!dot && !strpbrk(lit, "eE")) {
        sd_fv_u(out, strtoull(lit, NULL, 10));
    } else {
        sd_fv_f(out, strtod(lit, NULL), dot ? (int)strspn(dot + 1, "0123456789") : 0);
    }
    bool range = errno != 0;
    sd_fval_text(out, back, sizeof back);
    if (range || strcmp(back, lit)) {
        out->t = SD_FV_JSON;
        sd_buf_append(&out->raw, v, vl);
    }
}

const char *sd_mfkv_str(const mfkv *x, sd_buf *o)
{
    size_t at = o->len;
    unescape(x->v + 1, x->v + x->vl - 1, o);
    return (const char *)o->p + at;
}

/* A value's text as the value one run's getter gave. */
static void value(sd_merge_fmt *f, const mfkv *x, sd_fval *out)
{
    const char *v = x->v;
    if (!x->vl || (x->vl == 4 && !memcmp(v, "null", 4)))
        return;
    if (*v == '"') {
        sd_fv_s(out, sd_mfkv_str(x, &f->strs));
    } else if (*v == '[' || *v == '{') {
        out->t = SD_FV_JSON;
        sd_buf_append(&out->raw, v, x->vl);
    } else if (*v == 't' || *v == 'f') {
        sd_fv_b(out, *v == 't');
    } else {
        number(v, x->vl, out);
    }
}

/* A line's type: 1 the declared one, 0 one left out, -1 another. */
static int line_type(const sd_merge_fmt *f, const mfkv *kvs, int nk)
{
    for (int i = 0; i < nk; i++)
        if (sd_mfkv_is(&kvs[i], "type")) {
            const mfkv *t = &kvs[i];
            if (t->vl == strlen(f->of) + 2 && !memcmp(t->v + 1, f->of, t->vl - 2))
                return 1;
            return f->skip && t->vl == strlen(f->skip) + 2 && !memcmp(t->v + 1, f->skip, t->vl - 2) ? 0 : -1;
        }
    return -1;
}

/* FNV-1a of a column's name. */
static uint32_t name_hash(const char *k, size_t l)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < l; i++)
        h = (h ^ (uint8_t)k[i]) * 16777619u;
    return h;
}

/* The columns by name, so that a line's keys find theirs at once (a
 * line leaves out its unset fields: no order to walk). */
static void index_cols(sd_merge_fmt *f)
{
    uint32_t size = 16;
    while (size < 4 * f->n)
        size *= 2;
    f->hmask = size - 1;
    f->hcol = sd_calloc(size, sizeof *f->hcol);
    f->kvi = sd_calloc(f->n ? f->n : 1, sizeof *f->kvi);
    for (size_t c = 0; c < f->n; c++) {
        const char *name = f->sel[c]->name;
        uint32_t h = name_hash(name, strlen(name)) & f->hmask;
        while (f->hcol[h])
            h = (h + 1) & f->hmask;
        f->hcol[h] = (uint32_t)c + 1;
    }
}

/* Column c and the later ones of the same name (--fields a,a) take key i. */
static void key_to_cols(sd_merge_fmt *f, const mfkv *x, int i)
{
    for (uint32_t h = name_hash(x->k, x->kl) & f->hmask; f->hcol[h]; h = (h + 1) & f->hmask)
        if (sd_mfkv_is(x, f->sel[f->hcol[h] - 1]->name))
            f->kvi[f->hcol[h] - 1] = i;
}

/* A field-table record: its columns' values to the writer. */
static void render_fields(sd_merge_fmt *f, int nk)
{
    for (size_t c = 0; c < f->n; c++)
        f->kvi[c] = -1;
    for (int i = 0; i < nk; i++)
        key_to_cols(f, &f->kvs[i], i);
    for (size_t c = 0; c < f->n; c++) {
        sd_fval_init(&f->vals[c]);
        if (f->kvi[c] >= 0)
            value(f, &f->kvs[f->kvi[c]], &f->vals[c]);
    }
    sd_recout_values(f->w, &f->o, f->vals);
    for (size_t c = 0; c < f->n; c++)
        sd_fval_clear(&f->vals[c]);
}

/* One merged line in the declared format. */
static void render_line(sd_merge_fmt *f, const char *p, size_t len)
{
    int nk = sd_mfkv_scan(p, len, f->kvs, SD_MFKV_MAX), type = nk < 0 ? -1 : line_type(f, f->kvs, nk);
    f->strs.len = 0;
    sd_buf_grow(&f->strs, len + 2 * (size_t)(nk > 0 ? nk : 0) + 16); /* every string and key: no move */
    sd_event e;
    const char *file;
    uint64_t ff;
    if (type == 1 && f->events && sd_merge_fmt_event(f->kvs, nk, &f->strs, &e, &file, &ff))
        sd_evout_csv_at(&f->o, &e, file, ff);
    else if (type == 1 && !f->events)
        render_fields(f, nk);
    else if (type != 0 && !f->bad++)
        fprintf(f->err, "strider merge: a merged line is not a \"%s\" record, left out: %.60s\n", f->of, p);
}

static void flush_out(sd_merge_fmt *f)
{
    if (f->o.len && fwrite(f->o.p, 1, f->o.len, f->out) != f->o.len)
        f->write_failed = true;
    f->o.len = 0;
}

/* The merge's bytes: whole lines rendered, the rest kept for the next. */
static ssize_t take(void *cookie, const char *buf, size_t size)
{
    sd_merge_fmt *f = cookie;
    const char *p = buf, *end = buf + size, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
        if (f->pend.len) {
            sd_buf_append(&f->pend, p, (size_t)(nl - p));
            render_line(f, (const char *)f->pend.p, f->pend.len);
            f->pend.len = 0;
        } else {
            render_line(f, p, (size_t)(nl - p));
        }
        p = nl + 1;
        if (f->o.len > OUT_FLUSH)
            flush_out(f);
    }
    sd_buf_append(&f->pend, p, (size_t)(end - p));
    return (ssize_t)size;
}

/* The declared record's columns and format into f; false after a message.
 * Events are written as CSV only (sd_evout_csv_at), without columns. */
static bool parse_decl(sd_merge_fmt *f, const char *decl)
{
    mfkv kvs[8];
    int nk = sd_mfkv_scan(decl, strlen(decl), kvs, (int)SD_ARRAY_LEN(kvs)), kind = -1, of = -1;
    const char *cols = "";
    size_t cl = 0, hold = 0;
    for (int i = 0; i < nk; i++) {
        const mfkv *x = &kvs[i];
        for (int k = 0; sd_mfkv_is(x, "of") && k < (int)SD_ARRAY_LEN(KINDS); k++)
            of = x->vl == strlen(KINDS[k].of) + 2 && !memcmp(x->v + 1, KINDS[k].of, x->vl - 2) ? k : of;
        for (int k = 0; sd_mfkv_is(x, "fmt") && k < (int)SD_ARRAY_LEN(FMT_NAMES); k++)
            kind = x->vl == strlen(FMT_NAMES[k]) + 2 && !memcmp(x->v + 1, FMT_NAMES[k], x->vl - 2) ? k : kind;
        if (sd_mfkv_is(x, "hold"))
            hold = strtoul(x->v, NULL, 10);
        if (sd_mfkv_is(x, "cols") && x->vl >= 2)
            cols = x->v + 1, cl = x->vl - 2;
    }
    char err[128] = "", *list = sd_strndup(cols, cl);
    int n = -1;
    if (of >= 0 && KINDS[of].fs && cl) {
        f->sel = sd_calloc(cl + 1, sizeof *f->sel); /* a column per name: at most one per byte */
        n = sd_fields_select(KINDS[of].fs, list, f->sel, cl + 1, err, sizeof err);
    }
    free(list);
    bool events = of >= 0 && !KINDS[of].fs && kind == SD_REC_CSV;
    if (kind < 0 || (n <= 0 && !events)) {
        fprintf(f->err, "strider merge: a chunk's {\"_own\":\"fmt\"} record is not one strider writes%s%s\n",
                *err ? ": " : "", err);
        return false;
    }
    snprintf(f->of, sizeof f->of, "%s", KINDS[of].of);
    f->skip = KINDS[of].skip;
    f->events = events;
    f->n = n > 0 ? (size_t)n : 0;
    if (!events) {
        f->w = sd_recout_new((sd_rec_fmt)kind, f->sel, f->n, f->of, hold);
        index_cols(f);
    }
    return true;
}

static int closed(void *cookie)
{
    (void)cookie; /* sd_merge_fmt_close ends and frees */
    return 0;
}

sd_merge_fmt *sd_merge_fmt_open(const sd_merge *m, FILE *out, FILE *err)
{
    bool same;
    const char *decl = sd_merge_declared(m, &same);
    sd_merge_fmt *f = sd_calloc(1, sizeof *f);
    f->out = f->file = out;
    f->err = err;
    if (!same) {
        fprintf(err, "strider merge: the chunks were run with different output options (--csv, --fields...): "
                     "run every chunk with the same ones\n");
        free(f);
        return NULL;
    }
    if (!decl)
        return f;
    if (!parse_decl(f, decl)) {
        sd_merge_fmt_close(f, 1);
        return NULL;
    }
    if (f->events) /* the campaigns the merge writes are read back too */
        sd_evout_set_exact(true);
    f->vals = sd_calloc(f->n ? f->n : 1, sizeof *f->vals);
    f->kvs = sd_calloc(SD_MFKV_MAX, sizeof *f->kvs);
    f->file = fopencookie(f, "w", (cookie_io_functions_t){ .write = take, .close = closed });
    if (!f->file) {
        fprintf(err, "strider merge: %s\n", strerror(errno));
        sd_merge_fmt_close(f, 1);
        return NULL;
    }
    if (f->events)
        sd_evout_csv_header(&f->o);
    else
        sd_recout_begin(f->w, &f->o);
    return f;
}

FILE *sd_merge_fmt_file(const sd_merge_fmt *f)
{
    return f->file;
}

int sd_merge_fmt_close(sd_merge_fmt *f, int rc)
{
    if (f->file && f->file != f->out) {
        fflush(f->file);
        if (f->pend.len) /* the merge ends each line; this would be a bug's */
            take(f, "\n", 1);
        fclose(f->file);
        if (!rc && f->w)
            sd_recout_end(f->w, &f->o);
        if (!rc)
            flush_out(f);
    }
    if (f->bad) {
        fprintf(f->err, "strider merge: %llu merged line(s) left out: not \"%s\" records\n",
                (unsigned long long)f->bad, f->of);
        rc = rc ? rc : 1;
    }
    if (f->write_failed || (f->file != f->out && fflush(f->out))) {
        fprintf(f->err, "strider merge: cannot write the output: %s\n", strerror(errno));
        rc = rc ? rc : 1;
    }
    sd_recout_free(f->w);
    free(f->sel), free(f->vals), free(f->kvs), free(f->kvi), free(f->hcol);
    sd_buf_free(&f->pend), sd_buf_free(&f->o), sd_buf_free(&f->strs);
    free(f);
    return rc;
}
