#include "sd_fields.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* ---- filters ---- */

typedef enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_SUB } op_t;

typedef struct cond {
    const sd_field *f;
    op_t op;
    char *val;
    double num; /* val as a number, NAN if not one */
} cond;

struct sd_filter {
    cond *c;
    size_t n;
};

static const struct {
    const char *s;
    op_t op;
} OPS[] = { { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE }, { "==", OP_EQ },
            { "=", OP_EQ },  { "<", OP_LT },  { ">", OP_GT },  { "~", OP_SUB } };

static char *trim(char *s)
{
    while (*s == ' ')
        s++;
    size_t n = strlen(s);
    while (n && s[n - 1] == ' ')
        s[--n] = '\0';
    return s;
}

static int parse_cond(const sd_fieldset *fs, char *s, cond *c, char *err, size_t errlen)
{
    size_t pos = strcspn(s, "=!<>~");
    if (!s[pos]) {
        snprintf(err, errlen, "condition \"%s\" has no operator (= != < <= > >= ~)", s);
        return -1;
    }
    for (size_t i = 0; i < SD_ARRAY_LEN(OPS); i++) {
        if (strncmp(s + pos, OPS[i].s, strlen(OPS[i].s)) != 0)
            continue;
        char *val = trim(s + pos + strlen(OPS[i].s));
        s[pos] = '\0';
        char *name = trim(s);
        c->f = sd_field_find(fs, name);
        if (!c->f) {
            snprintf(err, errlen, "unknown field \"%s\" in --where", name);
            return -1;
        }
        c->op = OPS[i].op;
        c->val = sd_strdup(val);
        char *end;
        c->num = strtod(val, &end);
        if (end == val || *end)
            c->num = NAN;
        return 0;
    }
    snprintf(err, errlen, "bad operator in \"%s\"", s);
    return -1;
}

sd_filter *sd_filter_parse(const sd_fieldset *fs, const char *expr, char *err, size_t errlen)
{
    sd_filter *flt = sd_calloc(1, sizeof *flt);
    char *copy = sd_strdup(expr);
    /* " and " is an alias of ',' */
    for (char *a; (a = strstr(copy, " and "));) {
        *a = ',';
        memmove(a + 1, a + 5, strlen(a + 5) + 1);
    }
    char *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        flt->c = sd_reallocarray(flt->c, flt->n + 1, sizeof *flt->c);
        if (parse_cond(fs, tok, &flt->c[flt->n], err, errlen) != 0) {
            free(copy);
            sd_filter_free(flt);
            return NULL;
        }
        flt->n++;
    }
    free(copy);
    return flt;
}

static bool val_match(const cond *c, const sd_fval *v)
{
    if (v->t == SD_FV_NULL)
        return c->op == OP_NE || (c->op == OP_EQ && strcmp(c->val, "-") == 0);
    double x = sd_fval_num(v);
    if (!isnan(x) && !isnan(c->num) && c->op != OP_SUB) {
        switch (c->op) {
        case OP_EQ: return x == c->num;
        case OP_NE: return x != c->num;
        case OP_LT: return x < c->num;
        case OP_LE: return x <= c->num;
        case OP_GT: return x > c->num;
        case OP_GE: return x >= c->num;
        default: break;
        }
    }
    char t[256];
    sd_fval_text(v, t, sizeof t);
    int r = strcmp(t, c->val);
    switch (c->op) {
    case OP_EQ: return r == 0;
    case OP_NE: return r != 0;
    case OP_LT: return r < 0;
    case OP_LE: return r <= 0;
    case OP_GT: return r > 0;
    case OP_GE: return r >= 0;
    case OP_SUB: return strstr(t, c->val) != NULL;
    }
    return false;
}

static bool cond_match(const cond *c, const void *rec)
{
    sd_fval v = { 0 };
    c->f->get(rec, &v);
    bool m = val_match(c, &v);
    sd_fval_clear(&v);
    return m;
}

bool sd_filter_match(const sd_filter *flt, const void *rec)
{
    for (size_t i = 0; flt && i < flt->n; i++)
        if (!cond_match(&flt->c[i], rec))
            return false;
    return true;
}

void sd_filter_free(sd_filter *flt)
{
    if (!flt)
        return;
    for (size_t i = 0; i < flt->n; i++)
        free(flt->c[i].val);
    free(flt->c);
    free(flt);
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
