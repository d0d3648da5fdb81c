#include "sd_extract.h"

#include "sd_json.h"

#include <errno.h>
#include <stdbool.h>
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

/* Room for n more bytes at the end of b; returns where they go. */
static char *buf_room(sd_buf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        b->p = sd_realloc(b->p, cap);
        b->cap = cap;
    }
    return (char *)b->p + b->len;
}

static char *put(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define PUT(o, lit) put(o, lit, sizeof(lit) - 1)

/* Payload as hex, then as the JSON string of its printable rendering
 * (sd_ascii_render without keep_lines, escaped as sd_json_escape does:
 * only '"' and '\\' need it), with lookup tables: at most 4 * len + 4
 * bytes. */
static char *payload_json(char *o, const uint8_t *p, size_t len)
{
    static const char H[] = "0123456789abcdef";
    static char HEX[256][2];
    static uint8_t ASC[256]; /* 0 = as '.', 1 = itself, 2 = escaped */
    static bool ready;
    if (!ready) {
        for (int c = 0; c < 256; c++) {
            HEX[c][0] = H[c >> 4];
            HEX[c][1] = H[c & 15];
            ASC[c] = c >= 0x20 && c < 0x7f ? (c == '"' || c == '\\' ? 2 : 1) : 0;
        }
        ready = true;
    }
    o = PUT(o, ",\"hex\":\"");
    for (size_t i = 0; i < len; i++) {
        memcpy(o, HEX[p[i]], 2);
        o += 2;
    }
    o = PUT(o, "\",\"ascii\":\"");
    for (size_t i = 0; i < len; i++) {
        uint8_t c = p[i];
        switch (ASC[c]) {
        case 0: *o++ = '.'; break;
        case 1: *o++ = (char)c; break;
        default: *o++ = '\\'; *o++ = (char)c; break;
        }
    }
    *o++ = '"';
    return o;
}

void sd_chunk_json_ex(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max, const uint64_t *file_off)
{
    bool in_file = file_off != NULL;
    bool data = ch->kind == SD_CHUNK_DATA && ch->data;
    bool render = data && !in_file && payload_max;
    size_t len = render ? SD_MIN((size_t)ch->len, payload_max) : 0;
    char *o0 = buf_room(b, 512 + 4 * len), *o = o0;
    o = dir ? PUT(o, "{\"dir\":\"resp\"") : PUT(o, "{\"dir\":\"orig\"");
    o = PUT(o, ",\"first_frame\":");
    o = sd_json_put_u64(o, ch->first_frame);
    o = PUT(o, ",\"last_frame\":");
    o = sd_json_put_u64(o, ch->last_frame);
    o = PUT(o, ",\"ts\":");
    o = sd_json_put_ts(o, ch->ts);
    o = PUT(o, ",\"offset\":");
    o = sd_json_put_u64(o, ch->offset);
    o = PUT(o, ",\"len\":");
    o = sd_json_put_u64(o, ch->len);
    o = ch->kind == SD_CHUNK_GAP ? PUT(o, ",\"gap\":true,\"flags\":[") : PUT(o, ",\"gap\":false,\"flags\":[");
    int n = 0;
    for (unsigned bit = 1; bit && bit <= SD_CHUNKF_TRUNCATED; bit <<= 1)
        if (ch->flags & bit) {
            if (n++)
                *o++ = ',';
            const char *s = sd_chunk_flag_name(bit); /* plain ASCII words */
            *o++ = '"';
            o = put(o, s, strlen(s));
            *o++ = '"';
        }
    *o++ = ']';
    if (data && in_file && payload_max) {
        o = PUT(o, ",\"file_offset\":");
        o = sd_json_put_u64(o, *file_off);
    }
    else if (render) {
        o = payload_json(o, ch->data, len);
        if (len < ch->len)
            o = PUT(o, ",\"payload_cut\":true");
    }
    *o++ = '}';
    b->len += (size_t)(o - o0);
}

void sd_chunk_json(sd_buf *b, int dir, const sd_chunk *ch, size_t payload_max)
{
    sd_chunk_json_ex(b, dir, ch, payload_max, NULL);
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
