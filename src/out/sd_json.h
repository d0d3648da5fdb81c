/* sd_json: writing JSON lines into an sd_buf. Strings are escaped per
 * RFC 8259 §7; bytes that are not valid UTF-8 are written as \u00XX so the
 * output is always valid JSON whatever the capture contained. */
#ifndef SD_JSON_H
#define SD_JSON_H

#include "../common/sd_common.h"

typedef struct sd_json {
    sd_buf *b;
    int n; /* members written in the current object */
} sd_json;

void sd_json_begin(sd_json *j, sd_buf *b);
void sd_json_end(sd_json *j); /* closes the object and adds '\n' */
/* Keys are the program's own names (field tables, event keys), never
 * capture bytes: printable ASCII without '"' or '\\', written as they are
 * (checked in SD_DEBUG_INVARIANTS builds). */
void sd_json_key(sd_json *j, const char *key);
void sd_json_str(sd_json *j, const char *key, const char *val);
void sd_json_strn(sd_json *j, const char *key, const char *val, size_t len);
void sd_json_u64(sd_json *j, const char *key, uint64_t v);
void sd_json_i64(sd_json *j, const char *key, int64_t v);
void sd_json_f64(sd_json *j, const char *key, double v, int decimals);
void sd_json_bool(sd_json *j, const char *key, bool v);
/* A key made once ahead (sd_fields_json_keys): qkey is `"name":`, qlen its
 * length; the comma before it is this function's. SD_JSON_QKEY_SPAN bytes
 * from qkey on must be readable (the keys' block is padded), so that a
 * short key is one fixed-size copy. */
#define SD_JSON_QKEY_SPAN 32
void sd_json_qkey(sd_json *j, const char *qkey, size_t qlen);
/* sd_json_qkey and sd_json_val_u64 in one (a record's most common member:
 * one room check, no calls). */
void sd_json_qkey_u64(sd_json *j, const char *qkey, size_t qlen, uint64_t v);
/* Values alone, after a key: what sd_json_u64 and its siblings write. */
void sd_json_val_u64(sd_buf *b, uint64_t v);
void sd_json_val_i64(sd_buf *b, int64_t v);
void sd_json_val_f64(sd_buf *b, double v, int decimals);
void sd_json_val_bool(sd_buf *b, bool v);
/* Appends an escaped JSON string literal (with quotes) to b. */
void sd_json_escape(sd_buf *b, const char *s, size_t len);
/* Writes t as seconds with 6 decimals, as "%.6f" of sd_ts_sec(t) (at most
 * 32 chars, no NUL); returns the end. */
char *sd_json_put_ts(char *dst, sd_ts t);
/* Writes finite v with dec decimals, the same bytes as "%.*f" (at most 32
 * chars, no NUL) and returns the end; NULL, writing nothing, when v is out
 * of its range (|v| >= 2^63, dec > 9, not finite): print it with printf. */
char *sd_json_put_fixed(char *dst, double v, int dec);
/* sd_json_put_fixed for a value that recurs (a rule's confidence, a
 * histogram bin's middle): its text remembered per thread by the double's
 * bits and dec, not rounded exactly again (~150 instructions) each time.
 * dst has room for 32 bytes, as for sd_json_put_fixed. */
char *sd_json_put_fixed_memo(char *dst, double v, int dec);
/* Appends v with dec decimals, the bytes of printf's "%.*f" (nan, inf
 * included: sd_json_put_fixed where it answers, printf otherwise), for
 * text and CSV writers. */
void sd_buf_fixed(sd_buf *b, double v, int dec);
/* Appends a CSV field (quoted when it holds a comma, quote or newline). */
void sd_csv_field(sd_buf *b, const char *s);

#endif
