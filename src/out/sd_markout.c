/* sd_markout: the writers of follow's in-place markers (see sd_markout.h). */
#include "sd_markout.h"

#include "sd_extract.h"
#include "sd_json.h"

static const char *dir_name(int dir)
{
    return dir ? "resp" : "orig";
}

void sd_overlap_brief(sd_buf *b, int dir, const sd_reasm_inconsistency *i)
{
    sd_buf_printf(b, "%s overlap at offset %llu: %u bytes differ between frame %llu and frame %llu, kept frame %llu's%s",
                  dir_name(dir), (unsigned long long)i->offset, i->len, (unsigned long long)i->old_frame,
                  (unsigned long long)i->new_frame,
                  (unsigned long long)(i->new_kept ? i->new_frame : i->old_frame),
                  i->policy_unapplied ? " (delivered before the other came: --overlap could not apply)" : "");
}

static void quoted(sd_buf *b, const uint8_t *p, uint32_t shown, uint32_t len)
{
    sd_buf_append(b, "\"", 1);
    sd_ascii_render(b, p, shown, false);
    sd_buf_append(b, shown < len ? "\"..." : "\"", shown < len ? 4 : 1);
}

void sd_hexdump(sd_buf *b, uint64_t off, const uint8_t *p, uint32_t n)
{
    for (uint32_t i = 0; i < n; i += 16) {
        uint32_t k = SD_MIN(16u, n - i);
        sd_buf_printf(b, "%08llx  ", (unsigned long long)(off + i));
        for (uint32_t j = 0; j < 16; j++) {
            if (j < k)
                sd_buf_printf(b, "%02x ", p[i + j]);
            else
                sd_buf_append(b, "   ", 3);
            if (j == 7)
                sd_buf_append(b, " ", 1);
        }
        sd_buf_append(b, " |", 2);
        sd_ascii_render(b, p + i, k, false);
        sd_buf_append(b, "|\n", 2);
    }
}

void sd_overlap_text(sd_buf *b, int dir, const sd_reasm_inconsistency *i, bool hex)
{
    const uint8_t *kept = i->new_kept ? i->new_bytes : i->old_bytes;
    const uint8_t *other = i->new_kept ? i->old_bytes : i->new_bytes;
    uint64_t kf = i->new_kept ? i->new_frame : i->old_frame, of = i->new_kept ? i->old_frame : i->new_frame;
    sd_buf_printf(b, "%s %s  [overlap: %u bytes differ at offset %llu]  kept frame %llu", dir ? "<==" : "==>",
                  dir_name(dir), i->len, (unsigned long long)i->offset, (unsigned long long)kf);
    if (!hex) {
        sd_buf_append(b, ": ", 2);
        quoted(b, kept, i->shown, i->len);
    }
    sd_buf_printf(b, "  other frame %llu", (unsigned long long)of);
    if (!hex) {
        sd_buf_append(b, ": ", 2);
        quoted(b, other, i->shown, i->len);
    }
    if (i->policy_unapplied)
        sd_buf_printf(b, "  [--overlap could not apply: delivered before frame %llu]",
                      (unsigned long long)i->new_frame);
    sd_buf_append(b, "\n", 1);
    if (hex) {
        sd_buf_printf(b, "kept (frame %llu):\n", (unsigned long long)kf);
        sd_hexdump(b, i->offset, kept, i->shown);
        sd_buf_printf(b, "other (frame %llu):\n", (unsigned long long)of);
        sd_hexdump(b, i->offset, other, i->shown);
    }
}

static void hex_str(sd_json *j, const char *key, const uint8_t *p, uint32_t n)
{
    char tmp[2 * SD_REASM_INCONS_SHOW];
    n = SD_MIN(n, SD_REASM_INCONS_SHOW);
    sd_put_hex(tmp, p, n);
    sd_json_strn(j, key, tmp, 2 * (size_t)n);
}

static void ascii_str(sd_json *j, const char *key, const uint8_t *p, uint32_t n)
{
    sd_buf t = {0};
    sd_ascii_render(&t, p, n, false);
    sd_json_strn(j, key, t.len ? (const char *)t.p : "", t.len);
    sd_buf_free(&t);
}

void sd_overlap_json(sd_buf *b, int dir, const sd_reasm_inconsistency *i)
{
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "dir", dir_name(dir));
    sd_json_bool(&j, "overlap", true);
    sd_json_f64(&j, "ts", sd_ts_sec(i->ts), 6);
    sd_json_u64(&j, "offset", i->offset);
    sd_json_u64(&j, "len", i->len);
    sd_json_u64(&j, "old_frame", i->old_frame);
    sd_json_u64(&j, "new_frame", i->new_frame);
    sd_json_str(&j, "kept", i->new_kept ? "new" : "old");
    sd_json_bool(&j, "delivered", i->delivered);
    sd_json_bool(&j, "policy_unapplied", i->policy_unapplied);
    hex_str(&j, "old_hex", i->old_bytes, i->shown);
    hex_str(&j, "new_hex", i->new_bytes, i->shown);
    ascii_str(&j, "old_ascii", i->old_bytes, i->shown);
    ascii_str(&j, "new_ascii", i->new_bytes, i->shown);
    sd_json_bool(&j, "bytes_cut", i->shown < i->len);
    sd_json_end(&j);
}

static void urgent_core(sd_buf *b, const sd_reasm_urgent *u)
{
    sd_buf_append(b, "urgent byte ", 12);
    quoted(b, &u->byte, 1, 1);
    sd_buf_printf(b, " (0x%02x) at offset %llu, frame %llu: %s", u->byte, (unsigned long long)u->offset,
                  (unsigned long long)u->frame, u->oob ? "taken out of band" : "left inline");
}

void sd_urgent_brief(sd_buf *b, int dir, const sd_reasm_urgent *u)
{
    sd_buf_printf(b, "%s ", dir_name(dir));
    urgent_core(b, u);
}

void sd_urgent_text(sd_buf *b, int dir, const sd_reasm_urgent *u)
{
    sd_buf_printf(b, "%s %s  [", dir ? "<==" : "==>", dir_name(dir));
    urgent_core(b, u);
    sd_buf_append(b, "]\n", 2);
}

void sd_urgent_json(sd_buf *b, int dir, const sd_reasm_urgent *u)
{
    sd_json j;
    sd_json_begin(&j, b);
    sd_json_str(&j, "dir", dir_name(dir));
    sd_json_bool(&j, "urgent", true);
    sd_json_u64(&j, "offset", u->offset);
    sd_json_u64(&j, "frame", u->frame);
    hex_str(&j, "hex", &u->byte, 1);
    sd_json_bool(&j, "oob", u->oob);
    sd_json_end(&j);
}
