#include "sd_fields.h"

#include "../common/sd_origin.h"

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

void sd_fval_text(const sd_fval *v, char *buf, size_t len)
{
    switch (v->t) {
    case SD_FV_STR:
        snprintf(buf, len, "%s", v->s);
        break;
    case SD_FV_U64:
        snprintf(buf, len, "%llu", (unsigned long long)v->u);
        break;
    case SD_FV_I64:
        snprintf(buf, len, "%lld", (long long)v->i);
        break;
    case SD_FV_F64:
        snprintf(buf, len, "%.*f", v->dec, v->f);
        break;
    case SD_FV_BOOL:
        snprintf(buf, len, "%s", v->b ? "true" : "false");
        break;
    case SD_FV_JSON:
        snprintf(buf, len, "%.*s", (int)v->raw.len, (const char *)v->raw.p);
        break;
    default:
        snprintf(buf, len, "-");
    }
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

void sd_fields_json(sd_json *j, const sd_field *const *sel, size_t n, const void *rec)
{
    for (size_t i = 0; i < n; i++) {
        sd_fval v = { 0 };
        sel[i]->get(rec, &v);
        switch (v.t) {
        case SD_FV_STR:
            sd_json_str(j, sel[i]->name, v.s);
            break;
        case SD_FV_U64:
            sd_json_u64(j, sel[i]->name, v.u);
            break;
        case SD_FV_I64:
            sd_json_i64(j, sel[i]->name, v.i);
            break;
        case SD_FV_F64:
            sd_json_f64(j, sel[i]->name, v.f, v.dec);
            break;
        case SD_FV_BOOL:
            sd_json_bool(j, sel[i]->name, v.b);
            break;
        case SD_FV_JSON:
            sd_json_key(j, sel[i]->name);
            sd_buf_append(j->b, v.raw.p, v.raw.len);
            break;
        default: /* unset fields are left out, as Zeek's JSON logs do */
            break;
        }
        sd_fval_clear(&v);
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

void sd_fields_csv(sd_buf *b, const sd_field *const *sel, size_t n, const void *rec)
{
    for (size_t i = 0; i < n; i++) {
        sd_fval v = { 0 };
        char t[256];
        sel[i]->get(rec, &v);
        if (i)
            sd_buf_append(b, ",", 1);
        if (v.t == SD_FV_JSON) /* a C string for sd_csv_field */
            sd_buf_append(&v.raw, "", 1);
        if (v.t == SD_FV_STR || v.t == SD_FV_JSON) { /* capture strings: whole, not cut to t */
            sd_csv_field(b, v.t == SD_FV_STR ? v.s : (const char *)v.raw.p);
        } else if (v.t != SD_FV_NULL) {
            sd_fval_text(&v, t, sizeof t);
            sd_csv_field(b, t);
        }
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
