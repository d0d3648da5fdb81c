/* A merged JSON line read back for CSV (out/sd_merge_fmt): fuzzed text cut
 * into its keys, each string unescaped, the line read back into an event
 * and written as sd_evout's CSV row. Checks: every key and value lies
 * inside the line; an unescaped string is never longer than its JSON
 * text; nothing crashes or leaks (ASan), whatever the bytes. */
#include "out/sd_evout.h"
#include "out/sd_merge_fmt_int.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    mfkv *kv = calloc(SD_MFKV_MAX, sizeof *kv);
    int nk = sd_mfkv_scan(p, size, kv, SD_MFKV_MAX);
    sd_buf strs = { 0 }, row = { 0 };
    sd_buf_grow(&strs, size + 2 * (size_t)(nk > 0 ? nk : 0) + 16);
    for (int i = 0; i < nk; i++) {
        if (kv[i].k < p || kv[i].k + kv[i].kl > end || kv[i].v < p || kv[i].v + kv[i].vl > end)
            abort();
        if (kv[i].vl >= 2 && *kv[i].v == '"' && strlen(sd_mfkv_str(&kv[i], &strs)) > kv[i].vl)
            abort();
    }
    strs.len = 0;
    sd_event e;
    const char *file;
    uint64_t ff;
    if (nk > 0 && sd_merge_fmt_event(kv, nk, &strs, &e, &file, &ff))
        sd_evout_csv_at(&row, &e, file, ff);
    sd_buf_free(&strs);
    sd_buf_free(&row);
    free(kv);
    return 0;
}
