#include "sd_extract.h"

#include "sd_json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *sd_flowname(char *buf, size_t len, const sd_addr *sa, uint16_t sp, const sd_addr *da, uint16_t dp,
                  uint16_t vlan)
{
    char a[2][SD_ADDR_STRLEN];
    const sd_addr *x[2] = { sa, da };
    for (int i = 0; i < 2; i++) {
        if (x[i]->fam == 4)
            snprintf(a[i], sizeof a[i], "%03u.%03u.%03u.%03u", x[i]->a[0], x[i]->a[1], x[i]->a[2],
                     x[i]->a[3]);
        else
            sd_addr_str(x[i], a[i], sizeof a[i]);
    }
    int n = snprintf(buf, len, "%s.%05u-%s.%05u", a[0], sp, a[1], dp);
    if (vlan && n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "--%u", vlan);
    return buf;
}

const char *sd_chunk_flag_name(unsigned bit)
{
    switch (bit) {
    case SD_CHUNKF_RETRANS_INCONSISTENT: return "inconsistent";
    case SD_CHUNKF_AFTER_FIN: return "after-fin";
    case SD_CHUNKF_AFTER_RST: return "after-rst";
    case SD_CHUNKF_TRUNCATED: return "truncated";
    default: return "unknown";
    }
}

void sd_ascii_render(sd_buf *b, const uint8_t *p, size_t len, bool keep_lines)
{
    uint8_t tmp[4096];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        if (keep_lines && c == '\r' && i + 1 < len && p[i + 1] == '\n')
            continue;
        if (!(c >= 0x20 && c < 0x7f) && !(keep_lines && (c == '\n' || c == '\t')))
            c = '.';
        tmp[n++] = c;
        if (n == sizeof tmp) {
            sd_buf_append(b, tmp, n);
            n = 0;
        }
    }
    if (n)
        sd_buf_append(b, tmp, n);
}

static void hex_append(sd_buf *b, const uint8_t *p, size_t len)
{
    static const char H[] = "0123456789abcdef";
    char tmp[4096];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        tmp[n++] = H[p[i] >> 4];
        tmp[n++] = H[p[i] & 15];
        if (n == sizeof tmp) {
            sd_buf_append(b, tmp, n);
            n = 0;
        }
    }
    if (n)
        sd_buf_append(b, tmp, n);
}

void sd_chunk_json(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max)
{
    sd_json j = { b, 0 };
    sd_buf_append(b, "{", 1);
    sd_json_str(&j, "dir", dir ? "resp" : "orig");
    sd_json_u64(&j, "first_frame", ch->first_frame);
    sd_json_u64(&j, "last_frame", ch->last_frame);
    sd_json_f64(&j, "ts", sd_ts_sec(ch->ts), 6);
    sd_json_u64(&j, "offset", ch->offset);
    sd_json_u64(&j, "len", ch->len);
    sd_json_bool(&j, "gap", ch->kind == SD_CHUNK_GAP);
    sd_json_key(&j, "flags");
    sd_buf_append(b, "[", 1);
    int n = 0;
    for (unsigned bit = 1; bit && bit <= SD_CHUNKF_TRUNCATED; bit <<= 1)
        if (ch->flags & bit) {
            if (n++)
                sd_buf_append(b, ",", 1);
            const char *s = sd_chunk_flag_name(bit);
            sd_json_escape(b, s, strlen(s));
        }
    sd_buf_append(b, "]", 1);
    if (ch->kind == SD_CHUNK_DATA && ch->data && payload_max) {
        size_t len = ch->len;
        if (len > payload_max)
            len = payload_max;
        sd_json_key(&j, "hex");
        sd_buf_append(b, "\"", 1);
        hex_append(b, ch->data, len);
        sd_buf_append(b, "\"", 1);
        /* the printable form has no quote-free guarantee: escape it */
        sd_buf tmp = { 0 };
        sd_ascii_render(&tmp, ch->data, len, false);
        sd_json_key(&j, "ascii");
        sd_json_escape(b, (const char *)tmp.p, tmp.len);
        sd_buf_free(&tmp);
        if (len < ch->len)
            sd_json_bool(&j, "payload_cut", true);
    }
    sd_buf_append(b, "}", 1);
}

int sd_parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || errno || s[0] == '-')
        return -1;
    unsigned long long mul = 1;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || (v && mul > SIZE_MAX / v))
        return -1;
    *out = (size_t)(v * mul);
    return 0;
}

int sd_parse_overlap(const char *s, sd_overlap_policy *out)
{
    static const struct {
        const char *name;
        sd_overlap_policy p;
    } P[] = { { "first", SD_OVERLAP_FIRST }, { "last", SD_OVERLAP_LAST }, { "linux", SD_OVERLAP_LINUX },
              { "windows", SD_OVERLAP_WINDOWS }, { "bsd", SD_OVERLAP_BSD } };
    for (size_t i = 0; i < SD_ARRAY_LEN(P); i++)
        if (!strcmp(s, P[i].name)) {
            *out = P[i].p;
            return 0;
        }
    return -1;
}
