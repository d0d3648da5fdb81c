#include "sd_text.h"

#include <string.h>

#include "../common/sd_plain.h"
#include "sd_json.h"

size_t sd_utf8_len(const uint8_t *p, size_t n, uint32_t *cp)
{
    size_t len = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (!len || len > n || p[0] > 0xF4)
        return 0;
    uint32_t c = p[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3F);
    }
    static const uint32_t MIN[5] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < MIN[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

bool sd_cp_control(uint32_t cp)
{
    return cp < 0xA0 || cp == 0x00AD || cp == 0x061C || (cp >= 0x200B && cp <= 0x200F) ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029 ||
           cp == 0xFEFF;
}

/* A printable code point's sequence: not a control (sd_cp_control). */
static size_t utf8_ok(const uint8_t *p, size_t n)
{
    uint32_t cp;
    size_t len = sd_utf8_len(p, n, &cp);
    return len && !sd_cp_control(cp) ? len : 0;
}

/* The plain bytes (src/common/sd_plain.h): printable ASCII, and a
 * backslash only where it is kept (CSV). Two copies, each with its
 * exclusion folded in. */
static size_t plain_run_bytes(const uint8_t *p, size_t n, bool keep_bs)
{
    return keep_bs ? sd_plain_run_bytes(p, n, 0, 0) : sd_plain_run_bytes(p, n, '\\', 0);
}

static size_t plain_run(const uint8_t *p, size_t n, bool keep_bs)
{
    return keep_bs ? sd_plain_run(p, n, 0, 0) : sd_plain_run(p, n, '\\', 0);
}

/* sd_text_put's escaping; a backslash is doubled unless keep_bs (CSV);
 * runs of plain bytes found a block at a time unless bytewise. */
static void text_put(sd_buf *b, const char *s, size_t n, bool keep_bs, bool bytewise)
{
    const uint8_t *p = (const uint8_t *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = i + (bytewise ? plain_run_bytes(p + i, n - i, keep_bs)
                                   : plain_run(p + i, n - i, keep_bs));
        sd_buf_append(b, s + i, run - i);
        if ((i = run) >= n)
            break;
        size_t u = p[i] >= 0x80 ? utf8_ok(p + i, n - i) : 0;
        if (u) {
            sd_buf_append(b, s + i, u);
            i += u;
            continue;
        }
        char e[4] = { '\\', 'x', sd_hex_digits[p[i] >> 4], sd_hex_digits[p[i] & 15] };
        if (p[i] == '\\')
            sd_buf_append(b, "\\\\", 2);
        else
            sd_buf_append(b, e, 4);
        i++;
    }
}

void sd_text_put(sd_buf *b, const char *s, size_t n)
{
    text_put(b, s, n, false, false);
}

void sd_text_put_bytewise(sd_buf *b, const char *s, size_t n)
{
    text_put(b, s, n, false, true);
}

void sd_text_puts(sd_buf *b, const char *s)
{
    if (!s)
        s = "-";
    sd_text_put(b, s, strlen(s));
}

void sd_text_puts_made(sd_buf *b, const char *s)
{
    if (!s)
        s = "-";
    text_put(b, s, strlen(s), true, false);
}

/* b's text into out (cut at len - 1, whole escapes only); b freed. */
static char *cut_into(sd_buf *b, char *out, size_t len)
{
    size_t n = b->len;
    if (n >= len) { /* cut before an escape that would not fit whole */
        n = len - 1;
        for (size_t k = n > 3 ? n - 3 : 0; k < n; k++)
            if (b->p[k] == '\\') {
                n = k;
                break;
            }
    }
    if (len) {
        if (n)
            memcpy(out, b->p, n);
        out[n] = '\0';
    }
    sd_buf_free(b);
    return out;
}

char *sd_text_safe(const char *s, char *out, size_t len)
{
    sd_buf b = { 0 };
    sd_text_puts(&b, s);
    return cut_into(&b, out, len);
}

char *sd_text_safe_made(const char *s, char *out, size_t len)
{
    sd_buf b = { 0 };
    sd_text_puts_made(&b, s);
    return cut_into(&b, out, len);
}

/* Where a line of at most w columns ends: after the last separator in
 * its second half, else at w (one long word). */
static size_t wrap_at(const char *s, size_t n, size_t w)
{
    if (n <= w)
        return n;
    if (s[w] == ' ') /* the line ends right before a blank */
        return w;
    for (size_t k = w; k > w / 2; k--)
        if (strchr(",; ", s[k - 1]))
            return k;
    return w;
}

void sd_text_wrap(sd_buf *b, const char *s, size_t n, size_t width, size_t indent)
{
    if (!width || indent + 10 > width) { /* no room for a continuation: as is */
        sd_buf_append(b, s, n);
        return;
    }
    while (n) {
        const char *nl = memchr(s, '\n', n);
        size_t len = nl ? (size_t)(nl - s) : n, w = width;
        const char *p = s;
        for (size_t left = len; left;) {
            size_t take = wrap_at(p, left, w);
            size_t shown = take;
            while (shown < left && shown && p[shown - 1] == ' ') /* no blank before a break */
                shown--;
            if (p != s)
                sd_buf_printf(b, "%*s", (int)indent, "");
            sd_buf_append(b, p, shown);
            p += take;
            left -= take;
            while (left && *p == ' ') {
                p++;
                left--;
            }
            if (left)
                sd_buf_append(b, "\n", 1);
            w = width - indent;
        }
        if (nl)
            sd_buf_append(b, "\n", 1);
        s += len + (nl != NULL);
        n -= len + (nl != NULL);
    }
}

void sd_csv_text(sd_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (sd_plain_run((const uint8_t *)s, n, 0, 0) == n) { /* the usual cell: as it is */
        sd_csv_field(b, s);
        return;
    }
    sd_buf t = { 0 };
    text_put(&t, s, n, true, false);
    sd_buf_append(&t, "", 1);
    sd_csv_field(b, (const char *)t.p);
    sd_buf_free(&t);
}
