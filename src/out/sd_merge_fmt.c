/* sd_merge_fmt: merged JSON lines written in the format one run was asked
 * for (see sd_merge_fmt.h). */
#define _GNU_SOURCE /* fopencookie: the merge writes to a FILE, this module takes its lines */
#include "sd_merge_fmt.h"

#include "sd_connfields.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Rendered bytes kept before they are written. */
#define OUT_FLUSH (1u << 16)
/* Keys of a line looked at: a conn line with every field has about 130. */
#define LINE_KEYS_MAX 512

static const char *const FMT_NAMES[] = { [SD_REC_TEXT] = "text", [SD_REC_JSON] = "json", [SD_REC_CSV] = "csv" };

/* The records whose format can be declared: their JSON "type" and fields. */
static const struct {
    const char *of;
    const sd_fieldset *fs;
} KINDS[] = { { "conn", &sd_conn_fields } };

void sd_merge_fmt_record(sd_buf *b, const char *of, sd_rec_fmt fmt, const sd_field *const *sel, size_t n,
                         size_t hold)
{
    sd_buf_printf(b, "{\"_own\":\"fmt\",\"of\":\"%s\",\"fmt\":\"%s\",\"hold\":%zu,\"cols\":\"", of,
                  FMT_NAMES[fmt], hold);
    for (size_t i = 0; i < n; i++)
        sd_buf_printf(b, "%s%s", i ? "," : "", sel[i]->name);
    sd_buf_append(b, "\"}\n", 3);
}

/* One key and its value's text in a line. */
typedef struct kv {
    const char *k, *v;
    size_t kl, vl;
} kv;

struct sd_merge_fmt {
    FILE *out, *err, *file;   /* file: the merge's side (out when none declared) */
    sd_recout *w;
    const sd_field **sel;
    size_t n;
    sd_fval *vals;
    char of[32];
    sd_buf pend;              /* the start of a line not whole yet */
    sd_buf o;                 /* rendered, not yet written */
    sd_buf strs;              /* the line's strings, unescaped */
    kv *kvs;
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

/* The top-level keys of a JSON object line; their count, or -1 when the
 * line is not one. */
static int scan_line(const char *p, size_t len, kv *out)
{
    const char *end = p + len;
    int n = 0;
    if (!len || *p != '{')
        return -1;
    for (p++; p < end && *p != '}' && n < LINE_KEYS_MAX;) {
        if (*p != '"')
            return -1;
        const char *k = p + 1, *q = str_end(p, end);
        if (q >= end || *q != ':')
            return -1;
        const char *v = q + 1, *e;
        if (*v == '"')
            e = str_end(v, end);
        else if (*v == '[' || *v == '{')
            e = nest_end(v, end);
        else
            for (e = v; e < end && *e != ',' && *e != '}';)
                e++;
        out[n++] = (kv){ k, v, (size_t)(q - 1 - k), (size_t)(e - v) };
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
static void number(const char *v, size_t vl, sd_fval *out)
{
    char lit[64], back[64];
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

/* A value's text as the value one run's getter gave. */
static void value(sd_merge_fmt *f, const kv *x, sd_fval *out)
{
    const char *v = x->v;
    if (!x->vl || (x->vl == 4 && !memcmp(v, "null", 4)))
        return;
    if (*v == '"') {
        size_t at = f->strs.len;
        unescape(v + 1, v + x->vl - 1, &f->strs);
        out->t = SD_FV_STR;
        out->s = (const char *)(uintptr_t)at; /* an offset until the line's strings are all in */
    } else if (*v == '[' || *v == '{') {
        out->t = SD_FV_JSON;
        sd_buf_append(&out->raw, v, x->vl);
    } else if (*v == 't' || *v == 'f') {
        sd_fv_b(out, *v == 't');
    } else {
        number(v, x->vl, out);
    }
}

static bool key_is(const kv *x, const char *name)
{
    return x->kl == strlen(name) && !memcmp(x->k, name, x->kl);
}

/* Whether a line is a record of the declared type. */
static bool of_type(const sd_merge_fmt *f, const kv *kvs, int nk)
{
    size_t l = strlen(f->of);
    for (int i = 0; i < nk; i++)
        if (key_is(&kvs[i], "type"))
            return kvs[i].vl == l + 2 && !memcmp(kvs[i].v + 1, f->of, l);
    return false;
}

/* One merged line: its columns' values to the writer. The keys come in
 * the writer's order, so each column's is looked for from the last one
 * found on. */
static void render_line(sd_merge_fmt *f, const char *p, size_t len)
{
    int nk = scan_line(p, len, f->kvs);
    if (nk < 0 || !of_type(f, f->kvs, nk)) {
        if (!f->bad++)
            fprintf(f->err, "strider merge: a merged line is not a \"%s\" record, left out: %.60s\n", f->of, p);
        return;
    }
    f->strs.len = 0;
    for (size_t c = 0, at = 0; c < f->n; c++) {
        sd_fval_init(&f->vals[c]);
        for (int t = 0; t < nk; t++) {
            size_t k = (at + (size_t)t) % (size_t)nk;
            if (key_is(&f->kvs[k], f->sel[c]->name)) {
                value(f, &f->kvs[k], &f->vals[c]);
                at = k + 1;
                break;
            }
        }
    }
    for (size_t c = 0; c < f->n; c++) /* the strings' buffer no longer moves */
        if (f->vals[c].t == SD_FV_STR)
            f->vals[c].s = (const char *)f->strs.p + (uintptr_t)f->vals[c].s;
    sd_recout_values(f->w, &f->o, f->vals);
    for (size_t c = 0; c < f->n; c++)
        sd_fval_clear(&f->vals[c]);
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

/* The declared record's columns and format into f; false after a message. */
static bool parse_decl(sd_merge_fmt *f, const char *decl)
{
    kv kvs[8];
    int nk = scan_line(decl, strlen(decl), kvs);
    const char *fmt = NULL, *cols = NULL;
    size_t fl = 0, cl = 0, hold = 0;
    const sd_fieldset *fs = NULL;
    for (int i = 0; i < nk; i++) {
        if (key_is(&kvs[i], "of"))
            for (size_t k = 0; k < SD_ARRAY_LEN(KINDS); k++)
                if (kvs[i].vl == strlen(KINDS[k].of) + 2 && !memcmp(kvs[i].v + 1, KINDS[k].of, kvs[i].vl - 2))
                    fs = KINDS[k].fs, snprintf(f->of, sizeof f->of, "%s", KINDS[k].of);
        if (key_is(&kvs[i], "fmt"))
            fmt = kvs[i].v + 1, fl = kvs[i].vl - 2;
        if (key_is(&kvs[i], "hold"))
            hold = strtoul(kvs[i].v, NULL, 10);
        if (key_is(&kvs[i], "cols"))
            cols = kvs[i].v + 1, cl = kvs[i].vl - 2;
    }
    int kind = -1;
    for (int k = 0; fmt && k < (int)SD_ARRAY_LEN(FMT_NAMES); k++)
        kind = strlen(FMT_NAMES[k]) == fl && !memcmp(fmt, FMT_NAMES[k], fl) ? k : kind;
    char err[128] = "", *list = cols ? sd_strndup(cols, cl) : NULL;
    f->sel = sd_calloc(cl + 1, sizeof *f->sel); /* a column per name: at most one per byte */
    int n = fs && list && *list ? sd_fields_select(fs, list, f->sel, cl + 1, err, sizeof err) : -1;
    free(list);
    if (kind < 0 || n <= 0) {
        fprintf(f->err, "strider merge: a chunk's {\"_own\":\"fmt\"} record is not one strider writes%s%s\n",
                *err ? ": " : "", err);
        return false;
    }
    f->n = (size_t)n;
    f->w = sd_recout_new((sd_rec_fmt)kind, f->sel, f->n, f->of, hold);
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
    f->vals = sd_calloc(f->n, sizeof *f->vals);
    f->kvs = sd_calloc(LINE_KEYS_MAX, sizeof *f->kvs);
    f->file = fopencookie(f, "w", (cookie_io_functions_t){ .write = take, .close = closed });
    if (!f->file) {
        fprintf(err, "strider merge: %s\n", strerror(errno));
        sd_merge_fmt_close(f, 1);
        return NULL;
    }
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
        if (!rc)
            sd_recout_end(f->w, &f->o), flush_out(f);
    }
    if (f->bad) {
        fprintf(f->err, "strider merge: %llu merged line(s) left out: not \"%s\" records\n",
                (unsigned long long)f->bad, f->of);
        rc = rc ? rc : 1;
    }
    if (f->write_failed || (f->w && fflush(f->out))) {
        fprintf(f->err, "strider merge: cannot write the output: %s\n", strerror(errno));
        rc = rc ? rc : 1;
    }
    sd_recout_free(f->w);
    free(f->sel), free(f->vals), free(f->kvs);
    sd_buf_free(&f->pend), sd_buf_free(&f->o), sd_buf_free(&f->strs);
    free(f);
    return rc;
}
