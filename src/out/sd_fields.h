/* sd_fields: a record described once as a table of named fields, written
 * as text, JSON or CSV, filtered (--where) and sorted (--sort) by name. */
#ifndef SD_FIELDS_H
#define SD_FIELDS_H

#include "sd_json.h"

/* SD_FV_JSON: a nested value (array, object) the getter wrote as JSON text
 * into raw; JSON writes it as is, text and CSV as that text. */
typedef enum sd_fvt { SD_FV_NULL = 0, SD_FV_STR, SD_FV_U64, SD_FV_I64, SD_FV_F64, SD_FV_BOOL, SD_FV_JSON } sd_fvt;

typedef struct sd_fval {
    sd_fvt t;
    const char *s;  /* SD_FV_STR: points into the record or tmp */
    uint64_t u;
    int64_t i;
    double f;
    int dec;        /* decimals for SD_FV_F64 */
    bool b;
    char tmp[64];
    sd_buf raw;     /* SD_FV_JSON: the value; freed by sd_fval_clear */
    /* SD_FV_STR: its JSON form (quoted, escaped) when the getter already
     * has it (a string met again), or NULL: JSON writes it as is. Borrowed,
     * valid until the next getter call: write it before asking another. */
    const char *json;
    size_t jlen;
} sd_fval;

/* What a getter starts from: unset and owning nothing. Getters read no
 * other member before they set it, so the rest (tmp: 64 bytes) is not
 * cleared per field of every record. */
static inline void sd_fval_init(sd_fval *v)
{
    v->t = SD_FV_NULL;
    v->raw = (sd_buf){ 0 };
    v->json = NULL;
}

/* What getters set: a value of each kind (unset: leave v alone). */
static inline void sd_fv_u(sd_fval *v, uint64_t u)
{
    v->t = SD_FV_U64;
    v->u = u;
}
static inline void sd_fv_s(sd_fval *v, const char *s)
{
    v->t = SD_FV_STR;
    v->s = s;
}
static inline void sd_fv_f(sd_fval *v, double f, int dec)
{
    v->t = SD_FV_F64;
    v->f = f;
    v->dec = dec;
}
static inline void sd_fv_b(sd_fval *v, bool b)
{
    v->t = SD_FV_BOOL;
    v->b = b;
}

typedef struct sd_field {
    const char *name;
    const char *doc;
    void (*get)(const void *rec, sd_fval *v);
    bool optional; /* filled only on request (conns -R): not in the all-fields output otherwise */
} sd_field;

typedef struct sd_fieldset {
    const sd_field *f;
    size_t n;
    /* Names not in the table, or NULL: records with fields of their own
     * (an event's), looked up by name; v left unset when rec has none. */
    void (*get_named)(const void *rec, const char *name, sd_fval *v);
} sd_fieldset;

/* Merged inputs (common/sd_origin): the file frame came from (file_frame
 * false) or its number there; unset with one file. */
void sd_fv_origin(sd_fval *v, uint64_t frame, bool file_frame);

/* Frees what a getter left in v (raw) and makes it unset again. */
void sd_fval_clear(sd_fval *v);
const sd_field *sd_field_find(const sd_fieldset *fs, const char *name);
void sd_fval_text(const sd_fval *v, char *buf, size_t len); /* "-" for null */
double sd_fval_num(const sd_fval *v);                       /* NAN if not numeric */
/* The JSON keys of a selection, each `"name":` with its length, made once
 * for a writer so that a record costs no strlen per field; free() frees
 * them. */
typedef struct sd_jkey {
    const char *q;
    size_t len;
} sd_jkey;
sd_jkey *sd_fields_json_keys(const sd_field *const *sel, size_t n);
/* The fields of rec as JSON object members, with the keys of
 * sd_fields_json_keys(sel, n); unset fields are left out. */
void sd_fields_json_keyed(sd_json *j, const sd_field *const *sel, const sd_jkey *keys, size_t n, const void *rec);
/* The same from values already got (a record parsed back from a JSON
 * line: sd_merge_fmt), so that both paths write the same bytes. */
void sd_fields_json_vals(sd_json *j, const sd_jkey *keys, size_t n, const sd_fval *vals);
void sd_fields_csv(sd_buf *b, const sd_field *const *sel, size_t n, const void *rec);
/* One CSV cell (no separator) of a value; a nested value's raw gets a NUL. */
void sd_fval_csv(sd_buf *b, sd_fval *v);
/* A set value's JSON form (a string escaped, or its json form when the
 * getter gave one): what the record writers put after the key. */
void sd_fval_json(sd_buf *b, const sd_fval *v);
void sd_fields_csv_header(sd_buf *b, const sd_field *const *sel, size_t n);

/* Parses "a,b,c" into field pointers (max cap); returns count or -1 with the
 * unknown name in err. */
int sd_fields_select(const sd_fieldset *fs, const char *list, const sd_field **out, size_t cap,
                     char *err, size_t errlen);
/* Every field in table order (the optional ones only with optional): the
 * all-fields output; returns the count (max cap). */
size_t sd_fields_all(const sd_fieldset *fs, bool optional, const sd_field **out, size_t cap);

/* Compares two records by a field (numbers numerically, strings bytewise,
 * null last). */
int sd_field_cmp(const sd_field *f, const void *a, const void *b);

#endif
