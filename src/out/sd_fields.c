#include "sd_fields.h"

#include "../common/sd_origin.h"
#include "sd_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sd_fv_origin(sd_fval *v, uint64_t frame, bool file_frame)
{
    const char *path;
    uint64_t ff;
    if (!sd_origin(frame, &path, &ff))
        return;
    if (file_frame)
        sd_fv_u(v, ff);
    else
        sd_fv_s(v, path);
}

void sd_fval_clear(sd_fval *v)
{
    if (v->raw.p) /* only nested values own bytes: no call per plain field */
        sd_buf_free(&v->raw);
    *v = (sd_fval){ 0 };
}

const sd_field *sd_field_find(const sd_fieldset *fs, const char *name)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            return &fs->f[i];
    return NULL;
}

/* s[0..n) into buf as a C string, cut to len - 1 bytes as snprintf cuts. */
static void text_put(char *buf, size_t len, const char *s, size_t n)
{
    if (!len)
        return;
    if (n > len - 1)
        n = len - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* Without printf on a record's hot path (a text row is ~60 fields): the
 * same bytes as "%llu", "%lld", "%.*f" (printf only past
 * sd_json_put_fixed's range), "%s" and "%.*s". */
void sd_fval_text(const sd_fval *v, char *buf, size_t len)
{
    char num[48], *e = num;
    switch (v->t) {
    case SD_FV_STR:
        text_put(buf, len, v->s, strlen(v->s));
        return;
    case SD_FV_U64:
        e = sd_put_u64(num, v->u);
        break;
    case SD_FV_I64:
        if (v->i < 0)
            *e++ = '-';
        e = sd_put_u64(e, v->i < 0 ? 0 - (uint64_t)v->i : (uint64_t)v->i);
        break;
    case SD_FV_F64:
        if (!isfinite(v->f) || !(e = sd_json_put_fixed(num, v->f, v->dec))) {
            snprintf(buf, len, "%.*f", v->dec, v->f);
            return;
        }
        break;
    case SD_FV_BOOL:
        text_put(buf, len, v->b ? "true" : "false", v->b ? 4 : 5);
        return;
    case SD_FV_JSON: /* "%.*s" stops at a NUL */
        text_put(buf, len, (const char *)v->raw.p, v->raw.p ? strnlen((const char *)v->raw.p, v->raw.len) : 0);
        return;
    default:
        text_put(buf, len, "-", 1);
        return;
    }
    text_put(buf, len, num, (size_t)(e - num));
}

double sd_fval_num(const sd_fval *v)
{
    switch (v->t) {
    case SD_FV_U64:
        return (double)v->u;
    case SD_FV_I64:
        return (double)v->i;
    case SD_FV_F64:
        return v->f;
    case SD_FV_BOOL:
        return v->b;
    default:
        return NAN;
    }
}

/* A field's value after its key (written by the caller); unset values
 * have no key and never come here. */
void sd_fval_json(sd_buf *b, const sd_fval *v)
{
    switch (v->t) {
    case SD_FV_STR:
        if (v->json)
            sd_buf_append(b, v->json, v->jlen);
        else
            sd_json_escape(b, v->s, strlen(v->s));
        break;
    case SD_FV_U64:
        sd_json_val_u64(b, v->u);
        break;
    case SD_FV_I64:
        sd_json_val_i64(b, v->i);
        break;
    case SD_FV_F64:
        sd_json_val_f64(b, v->f, v->dec);
        break;
    case SD_FV_BOOL:
        sd_json_val_bool(b, v->b);
        break;
    default: /* SD_FV_JSON */
        sd_buf_append(b, v->raw.p, v->raw.len);
        break;
    }
}

sd_jkey *sd_fields_json_keys(const sd_field *const *sel, size_t n)
{
    size_t bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(sel[i]->name) + 3; /* the quotes and the colon */
    /* one block: the n keys, then their text, then the padding that
     * sd_json_qkey may read past the last one */
    sd_jkey *k = sd_calloc(1, n * sizeof *k + bytes + SD_JSON_QKEY_SPAN);
    char *t = (char *)(k + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(sel[i]->name);
        k[i].q = t;
        k[i].len = len + 3;
        *t++ = '"';
        memcpy(t, sel[i]->name, len);
        t += len;
        *t++ = '"';
        *t++ = ':';
    }
    return k;
}

void sd_fields_json_keyed(sd_json *j, const sd_field *const *sel, const sd_jkey *keys, size_t n, const void *rec)
{
    for (size_t i = 0; i < n; i++) {
        sd_fval v;
        sd_fval_init(&v);
        sel[i]->get(rec, &v);
        if (v.t == SD_FV_U64) {
            sd_json_qkey_u64(j, keys[i].q, keys[i].len, v.u);
        } else if (v.t != SD_FV_NULL) {
            sd_json_qkey(j, keys[i].q, keys[i].len);
            sd_fval_json(j->b, &v);
        }
        if (v.raw.p)
            sd_buf_free(&v.raw);
    }
}

void sd_fields_json_vals(sd_json *j, const sd_jkey *keys, size_t n, const sd_fval *vals)
{
    for (size_t i = 0; i < n; i++)
        if (vals[i].t != SD_FV_NULL) {
            sd_json_qkey(j, keys[i].q, keys[i].len);
            sd_fval_json(j->b, &vals[i]);
        }
}

void sd_fields_csv_header(sd_buf *b, const sd_field *const *sel, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            sd_buf_append(b, ",", 1);
        sd_csv_field(b, sel[i]->name);
    }
    sd_buf_append(b, "\n", 1);
}

/* Inlined in sd_fields_csv: a CSV row is ~80 cells. */
static inline void fval_csv(sd_buf *b, sd_fval *v)
{
    char t[256];
    if (v->t == SD_FV_JSON) /* a C string for sd_csv_field */
        sd_buf_append(&v->raw, "", 1);
    if (v->t == SD_FV_STR) { /* capture strings: whole, not cut to t, terminal-safe */
        sd_csv_text(b, v->s);
    } else if (v->t == SD_FV_JSON) { /* JSON text: its escapes are safe already */
        sd_csv_field(b, (const char *)v->raw.p);
    } else if (v->t != SD_FV_NULL) {
        sd_fval_text(v, t, sizeof t);
        sd_csv_field(b, t);
    }
}

void sd_fval_csv(sd_buf *b, sd_fval *v)
{
    fval_csv(b, v);
}

void sd_fields_csv(sd_buf *b, const sd_field *const *sel, size_t n, const void *rec)
{
    for (size_t i = 0; i < n; i++) {
        sd_fval v;
        sd_fval_init(&v);
        sel[i]->get(rec, &v);
        if (i)
            sd_buf_append(b, ",", 1);
        fval_csv(b, &v);
        sd_fval_clear(&v);
    }
    sd_buf_append(b, "\n", 1);
}

int sd_fields_select(const sd_fieldset *fs, const char *list, const sd_field **out, size_t cap,
                     char *err, size_t errlen)
{
    char *copy = sd_strdup(list), *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const sd_field *f = sd_field_find(fs, tok);
        if (!f) {
            snprintf(err, errlen, "unknown field \"%s\"", tok);
            free(copy);
            return -1;
        }
        if ((size_t)n < cap)
            out[n++] = f;
    }
    free(copy);
    return n;
}

size_t sd_fields_all(const sd_fieldset *fs, bool optional, const sd_field **out, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n && n < cap; i++)
        if (optional || !fs->f[i].optional)
            out[n++] = &fs->f[i];
    return n;
}

static int val_cmp(const sd_fval *x, const sd_fval *y)
{
    if (x->t == SD_FV_NULL || y->t == SD_FV_NULL)
        return (x->t == SD_FV_NULL) - (y->t == SD_FV_NULL);
    double nx = sd_fval_num(x), ny = sd_fval_num(y);
    if (!isnan(nx) && !isnan(ny))
        return nx < ny ? -1 : nx > ny;
    char tx[256], ty[256];
    sd_fval_text(x, tx, sizeof tx);
    sd_fval_text(y, ty, sizeof ty);
    return strcmp(tx, ty);
}

int sd_field_cmp(const sd_field *f, const void *a, const void *b)
{
    sd_fval x = { 0 }, y = { 0 };
    f->get(a, &x);
    f->get(b, &y);
    int r = val_cmp(&x, &y);
    sd_fval_clear(&x);
    sd_fval_clear(&y);
    return r;
}
