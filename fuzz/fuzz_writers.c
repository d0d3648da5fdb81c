/* The writers' escaping on hostile bytes: every capture string that reaches
 * a text output goes through sd_text, every JSON string through
 * sd_json_escape, every CSV field through sd_csv_field. Checks what each
 * promises: no control byte in text, a JSON string that round-trips its
 * quotes and controls and is valid UTF-8 (fzcheck.c), a CSV field with
 * balanced quotes. */
#include "fzcheck.h"
#include "out/sd_json.h"
#include "out/sd_text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const uint8_t *p, size_t n)
{
    sd_buf b = { 0 };
    sd_text_put(&b, (const char *)p, n);
    for (size_t i = 0; i < b.len; i++)
        if (b.p[i] < 0x20 || b.p[i] == 0x7f)
            abort(); /* a control byte reached the terminal */
    char small[9];
    char *cs = sd_calloc(n + 1, 1);
    memcpy(cs, p, n);
    sd_text_safe(cs, small, sizeof small);
    if (strlen(small) >= sizeof small)
        abort();
    /* the text table's cells (merge's values): a backslash kept as one */
    char cell[40];
    sd_text_safe_made(cs, cell, sizeof cell);
    for (size_t i = 0; cell[i]; i++)
        if ((unsigned char)cell[i] < 0x20 || cell[i] == 0x7f || i + 1 >= sizeof cell)
            abort();
    free(cs);
    sd_buf_free(&b);
}

static void check_json(const uint8_t *p, size_t n)
{
    sd_buf b = { 0 };
    sd_json_escape(&b, (const char *)p, n);
    if (b.len < 2 || b.p[0] != '"' || b.p[b.len - 1] != '"')
        abort();
    for (size_t i = 1; i + 1 < b.len; i++) {
        if (b.p[i] < 0x20)
            abort(); /* raw control inside a JSON string */
        if (b.p[i] == '\\') {
            i++; /* the escaped character */
            continue;
        }
        if (b.p[i] == '"')
            abort(); /* an unescaped quote ends the string early */
    }
    sd_buf_append(&b, "\n", 1);
    fz_json_lines("sd_json_escape", b.p, b.len); /* strict UTF-8 too */
    sd_buf_free(&b);
}

static void check_csv(const uint8_t *p, size_t n)
{
    char *s = sd_calloc(n + 1, 1);
    memcpy(s, p, n);
    sd_buf b = { 0 };
    sd_csv_field(&b, s);
    size_t quotes = 0;
    for (size_t i = 0; i < b.len; i++)
        quotes += b.p[i] == '"';
    if (quotes % 2)
        abort(); /* an unbalanced quote shifts every later column */
    free(s);
    sd_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_text(data, size);
    check_json(data, size);
    check_csv(data, size);
    return 0;
}
