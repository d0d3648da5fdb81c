/* fzcheck: output checks shared by the fuzz targets (see fzcheck.h). The
 * JSON check is a strict RFC 8259 recognizer, UTF-8 included (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF), because that is
 * what a strict consumer (Python's json on bytes, jq) rejects. */
#define _GNU_SOURCE
#include "fzcheck.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_DEPTH 64 /* deeper than any writer nests */

typedef struct jp {
    const unsigned char *p, *end;
    const char *what;
    const char *line;
    bool doc; /* one document: newlines are whitespace */
} jp;

static void fail(const jp *j, const char *why)
{
    size_t off = (size_t)((const char *)j->p - j->line);
    fprintf(stderr, "fzcheck: %s: invalid JSON (%s) at byte %zu of line: %.300s\n", j->what, why, off, j->line);
    abort();
}

static void ws(jp *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\r' || (j->doc && *j->p == '\n')))
        j->p++;
}

/* Length of a valid UTF-8 sequence at p (RFC 3629 table), 0 if none. */
static size_t utf8_ok(const unsigned char *p, const unsigned char *end)
{
    size_t left = (size_t)(end - p);
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    unsigned lo = 0x80, hi = 0xbf;
    size_t n;
    if (c >= 0xc2 && c <= 0xdf)
        n = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        if (c == 0xe0)
            lo = 0xa0; /* overlong */
        if (c == 0xed)
            hi = 0x9f; /* surrogates */
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        if (c == 0xf0)
            lo = 0x90;
        if (c == 0xf4)
            hi = 0x8f; /* past U+10FFFF */
    } else
        return 0;
    if (left < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

static void string(jp *j)
{
    j->p++; /* the opening quote */
    while (j->p < j->end && *j->p != '"') {
        unsigned c = *j->p;
        if (c < 0x20)
            fail(j, "raw control byte in a string");
        if (c == '\\') {
            if (j->end - j->p < 2)
                fail(j, "escape at the end");
            unsigned e = j->p[1];
            if (e == 'u') {
                if (j->end - j->p < 6)
                    fail(j, "short \\u");
                for (int i = 2; i < 6; i++)
                    if (!strchr("0123456789abcdefABCDEF", j->p[i]) || !j->p[i])
                        fail(j, "bad \\u digits");
                j->p += 6;
            } else if (strchr("\"\\/bfnrt", (int)e) && e) {
                j->p += 2;
            } else
                fail(j, "bad escape");
            continue;
        }
        size_t n = utf8_ok(j->p, j->end);
        if (!n)
            fail(j, "invalid UTF-8");
        j->p += n;
    }
    if (j->p >= j->end)
        fail(j, "unterminated string");
    j->p++;
}

static void digits(jp *j)
{
    if (j->p >= j->end || *j->p < '0' || *j->p > '9')
        fail(j, "digit expected");
    while (j->p < j->end && *j->p >= '0' && *j->p <= '9')
        j->p++;
}

static void number(jp *j)
{
    if (*j->p == '-')
        j->p++;
    if (j->p < j->end && *j->p == '0')
        j->p++;
    else
        digits(j);
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        digits(j);
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        digits(j);
    }
}

static void value(jp *j, int depth);

static void members(jp *j, int depth, char close, bool keys)
{
    j->p++; /* '{' or '[' */
    ws(j);
    if (j->p < j->end && *j->p == close) {
        j->p++;
        return;
    }
    for (;;) {
        ws(j);
        if (keys) {
            if (j->p >= j->end || *j->p != '"')
                fail(j, "key expected");
            string(j);
            ws(j);
            if (j->p >= j->end || *j->p != ':')
                fail(j, "':' expected");
            j->p++;
        }
        value(j, depth + 1);
        ws(j);
        if (j->p < j->end && *j->p == ',') {
            j->p++;
            continue;
        }
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return;
        }
        fail(j, "',' or close expected");
    }
}

static void literal(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
        fail(j, "bad literal (NaN, inf?)");
    j->p += n;
}

static void value(jp *j, int depth)
{
    if (depth > MAX_DEPTH)
        fail(j, "nested too deep");
    ws(j);
    if (j->p >= j->end)
        fail(j, "value expected");
    switch (*j->p) {
    case '{': members(j, depth, '}', true); break;
    case '[': members(j, depth, ']', false); break;
    case '"': string(j); break;
    case 't': literal(j, "true"); break;
    case 'f': literal(j, "false"); break;
    case 'n': literal(j, "null"); break;
    default: number(j);
    }
}

void fz_json_lines(const char *what, const void *buf, size_t n)
{
    const char *p = buf ? buf : "";
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        jp j = { .p = (const unsigned char *)p, .end = (const unsigned char *)(nl ? nl : end), .what = what,
                 .line = p };
        if (!nl)
            fail(&j, "last line without a newline");
        value(&j, 0);
        ws(&j);
        if (j.p != j.end)
            fail(&j, "bytes after the value");
        p = nl + 1;
    }
}

void fz_json_doc(const char *what, const void *buf, size_t n)
{
    const char *p = buf ? buf : "";
    jp j = { .p = (const unsigned char *)p, .end = (const unsigned char *)p + n, .what = what, .line = p,
             .doc = true };
    value(&j, 0);
    ws(&j);
    if (j.p != j.end)
        fail(&j, "bytes after the value");
}

void fz_terminal_safe(const char *what, const void *buf, size_t n, bool tabs, bool sgr)
{
    const char *p = buf ? buf : "";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == 0x1b && sgr && i + 1 < n && p[i + 1] == '[') {
            size_t k = i + 2;
            while (k < n && (strchr("0123456789;", p[k]) && p[k]))
                k++;
            if (k < n && p[k] == 'm') {
                i = k;
                continue;
            }
        }
        if ((c < 0x20 && c != '\n' && !(tabs && c == '\t')) || c == 0x7f) {
            size_t from = i > 60 ? i - 60 : 0;
            fprintf(stderr, "fzcheck: %s: control byte 0x%02x at %zu, after: %.*s\n", what, c, i, (int)(i - from),
                    p + from);
            abort();
        }
    }
}

size_t fz_count(const void *buf, size_t n, const char *needle)
{
    const char *p = buf ? buf : "";
    size_t k = strlen(needle), c = 0;
    for (size_t i = 0; k && i + k <= n; i++)
        c += strncasecmp(p + i, needle, k) == 0;
    return c;
}

sd_capture *fz_capture(const uint8_t *data, size_t size, sd_diag *diag)
{
    sd_capture_opts co = { .diag = diag };
    char err[256];
    return sd_capture_open_mem(data, size, "fuzz", &co, err, sizeof err);
}

static char g_dir[256];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    if (f->level > 0)
        remove(path);
    return 0;
}

void fz_dir_clean(void)
{
    if (g_dir[0])
        nftw(g_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void rm_dir(void)
{
    fz_dir_clean();
    rmdir(g_dir);
}

const char *fz_dir(void)
{
    if (g_dir[0])
        return g_dir;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    snprintf(g_dir, sizeof g_dir, "%s/strider-fuzz-XXXXXX", base);
    if (!mkdtemp(g_dir)) {
        perror("fzcheck: mkdtemp");
        abort();
    }
    atexit(rm_dir);
    return g_dir;
}
