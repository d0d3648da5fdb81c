/* The --where language (out/sd_where) on fuzzed text: parsed against the
 * conns fields, and when accepted matched against a connection record
 * (every test and alias evaluated). Checks: a refusal always says why
 * with a column inside the text; parsing and matching neither crash nor
 * leak (ASan) nor recurse without bound. */
#include "out/sd_connfields.h"
#include "out/sd_where.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *expr = malloc(size + 1);
    memcpy(expr, data, size);
    expr[size] = '\0';
    char err[256] = "";
    sd_filter *f = sd_filter_parse(&sd_conn_fields, expr, err, sizeof err);
    if (!f) {
        unsigned long col = 0;
        if (sscanf(err, "column %lu:", &col) != 1 || col < 1 || col > size + 1)
            abort(); /* every refusal names a column inside the text */
    } else {
        sd_conn c;
        memset(&c, 0, sizeof c);
        c.orig_h.fam = 4;
        c.orig_h.a[0] = 10;
        c.resp_p = 22;
        (void)sd_filter_match(f, &c);
        sd_filter_free(f);
    }
    free(expr);
    return 0;
}
