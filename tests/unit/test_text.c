/* sd_text: capture strings made terminal-safe (issue: a banner must not
 * drive the analyst's terminal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>

#include "common/sd_plain.h"
#include "common/sd_strb.h"
#include "out/sd_evout.h"
#include "out/sd_fields.h"
#include "out/sd_json.h"
#include "out/sd_svg.h"
#include "out/sd_text.h"

/* What an escaping function makes of s (n bytes), as a string. */
static char *render(void (*put)(sd_buf *, const char *, size_t), const char *s, size_t n)
{
    static char out[512];
    sd_buf b = { 0 };
    put(&b, s, n);
    memcpy(out, b.p, b.len);
    out[b.len] = '\0';
    sd_buf_free(&b);
    return out;
}

static char *safe(const char *s, size_t n)
{
    return render(sd_text_put, s, n);
}

static void no_controls(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        assert_true(*p >= 0x20);
        assert_true(*p != 0x7f);
    }
}

static void t_escapes(void **st)
{
    static const char osc_title[] = "SSH-2.0-x\x1b]0;pwned\x07";
    static const char clear[] = "SSH-2.0-x\x1b[2J";
    static const char clip[] = "\x1b]52;c;ZWNobyBoaQ==\x1b\\";
    static const char csi8[] = "SSH-2.0-\x9b" "31m";
    assert_string_equal(safe(osc_title, sizeof osc_title - 1), "SSH-2.0-x\\x1b]0;pwned\\x07");
    assert_string_equal(safe(clear, sizeof clear - 1), "SSH-2.0-x\\x1b[2J");
    no_controls(safe(clip, sizeof clip - 1));
    assert_string_equal(safe(csi8, sizeof csi8 - 1), "SSH-2.0-\\x9b31m");
    assert_string_equal(safe("a\\b", 3), "a\\\\b");
    assert_string_equal(safe("a\0b", 3), "a\\x00b");
}

static void t_utf8(void **st)
{
    /* printable UTF-8 stays; C1 as UTF-8 (U+009B), overlong and surrogate
     * forms and truncated sequences are escaped byte by byte */
    assert_string_equal(safe("caf\xc3\xa9", 5), "caf\xc3\xa9");
    assert_string_equal(safe("\xe2\x82\xac", 3), "\xe2\x82\xac");
    assert_string_equal(safe("\xc2\x9b", 2), "\\xc2\\x9b");
    assert_string_equal(safe("\xc0\xaf", 2), "\\xc0\\xaf");
    assert_string_equal(safe("\xed\xa0\x80", 3), "\\xed\\xa0\\x80");
    assert_string_equal(safe("\xe2\x82", 2), "\\xe2\\x82");
}

static char *json(const char *s, size_t n)
{
    return render(sd_json_escape, s, n);
}

/* The JSON form of one ASCII byte or a lone 8-bit byte, written out
 * here by hand (RFC 8259 §7), not by the function under test. */
static void json_byte(char *out, unsigned c)
{
    if (c == '"' || c == '\\')
        sprintf(out, "\\%c", c);
    else if (c == '\n')
        strcpy(out, "\\n");
    else if (c == '\r')
        strcpy(out, "\\r");
    else if (c == '\t')
        strcpy(out, "\\t");
    else if (c < 0x20 || c >= 0x7f)
        sprintf(out, "\\u%04x", c);
    else
        sprintf(out, "%c", c);
}

/* Every sequence sd_text_put escapes (C0 controls, DEL, a backslash, a C1
 * control as one byte and UTF-8 encoded, bytes that are not valid UTF-8),
 * a valid UTF-8 one that stays, and a plain byte, at every position of
 * strings of 1 to 40 bytes: the 16-byte blocks, the overlapping last
 * block, the words and the byte loop of the run search must each stop at
 * it exactly, and agree with the byte-at-a-time reference. */
static const struct {
    const char *in, *out;
    size_t n; /* bytes of in: a NUL is one */
} seqs[] = { { "\x00", "\\x00", 1 }, { "\x01", "\\x01", 1 }, { "\t", "\\x09", 1 },
             { "\n", "\\x0a", 1 }, { "\x1b", "\\x1b", 1 }, { "\x1f", "\\x1f", 1 },
             { "\x7f", "\\x7f", 1 }, { "\\", "\\\\", 1 }, { "\x80", "\\x80", 1 },
             { "\x9b", "\\x9b", 1 }, { "\xc2\x9b", "\\xc2\\x9b", 2 }, { "\xc0\xaf", "\\xc0\\xaf", 2 },
             { "\xed\xa0\x80", "\\xed\\xa0\\x80", 3 }, { "\xff", "\\xff", 1 },
             { "\xc3\xa9", "\xc3\xa9", 2 }, { " ", " ", 1 }, { "~", "~", 1 },
             { "\xe2\x80\xae", "\\xe2\\x80\\xae", 3 }, { "\xe2\x81\xa6", "\\xe2\\x81\\xa6", 3 },
             { "\xd8\x9c", "\\xd8\\x9c", 2 }, { "\xe2\x80\xaf", "\xe2\x80\xaf", 3 },
             { "\xe2\x80\xa8", "\\xe2\\x80\\xa8", 3 }, { "\xe2\x80\xa9", "\\xe2\\x80\\xa9", 3 } };

/* Calls check with every sequence of seqs (k) at every position of
 * strings of 1 to 40 bytes of printable ASCII (base + i % mod), and what
 * sd_text_put must make of it (want). */
typedef void place_check(char *s, size_t len, size_t k, const char *want);
static void each_placement(char base, int mod, place_check *check)
{
    char s[48], want[512];
    for (size_t len = 1; len <= 40; len++)
        for (size_t k = 0; k < sizeof seqs / sizeof *seqs; k++) {
            size_t sl = seqs[k].n;
            for (size_t pos = 0; pos + sl <= len; pos++) {
                for (size_t i = 0; i < len; i++)
                    s[i] = (char)(base + (int)i % mod);
                memcpy(s + pos, seqs[k].in, sl);
                s[len] = '\0';
                snprintf(want, sizeof want, "%.*s%s%s", (int)pos, s, seqs[k].out, s + pos + sl);
                check(s, len, k, want);
            }
        }
}

static void text_check(char *s, size_t len, size_t k, const char *want)
{
    (void)k;
    assert_string_equal(safe(s, len), want);
    assert_string_equal(render(sd_text_put_bytewise, s, len), want);
}

static void t_text_escape_positions(void **st)
{
    (void)st;
    each_placement('!', 59, text_check); /* '!'..'[': no backslash */
}

/* Every byte that needs escaping (and a plain one), at every position of
 * strings of 1 to 40 bytes: the 16-byte blocks, the overlapping last block
 * and word and the byte loop of the plain-run search must each find it
 * exactly, and a string of plain bytes must be copied whole. */
static void t_json_escape_positions(void **st)
{
    (void)st;
    static const unsigned bytes[] = { 0x00, 0x01, '\t', '\n', '\r', 0x1f, ' ', '"', '\\', '~', 0x7f, 0x80, 0xff };
    char s[48], want[512], esc[8];
    for (size_t len = 1; len <= 40; len++)
        for (size_t pos = 0; pos < len; pos++)
            for (size_t k = 0; k < sizeof bytes / sizeof *bytes; k++) {
                for (size_t i = 0; i < len; i++)
                    s[i] = (char)('A' + i % 26);
                s[pos] = (char)bytes[k];
                json_byte(esc, bytes[k]);
                snprintf(want, sizeof want, "\"%.*s%s%.*s\"", (int)pos, s, esc, (int)(len - pos - 1), s + pos + 1);
                assert_string_equal(json(s, len), want);
            }
    assert_string_equal(json("", 0), "\"\"");
    assert_string_equal(json("0123456789abcdef0123456789abcdef", 32), "\"0123456789abcdef0123456789abcdef\"");
    static const char mixed[] = "a\"b\\c\nd\x01" "e\x7f" "f0123456789abcdef\"";
    assert_string_equal(json(mixed, sizeof mixed - 1),
                        "\"a\\\"b\\\\c\\nd\\u0001e\\u007ff0123456789abcdef\\\"\"");
}

static void t_json_utf8(void **st)
{
    /* valid UTF-8 stays; what strict readers refuse (overlong forms,
     * surrogates, past U+10FFFF) is escaped byte by byte, and the C1
     * controls (the 8-bit CSI as U+009B) as code points */
    assert_string_equal(json("caf\xc3\xa9", 5), "\"caf\xc3\xa9\"");
    assert_string_equal(json("\xf0\x9f\x98\x80", 4), "\"\xf0\x9f\x98\x80\"");
    assert_string_equal(json("\xe0\x80\x80", 3), "\"\\u00e0\\u0080\\u0080\"");
    assert_string_equal(json("\xed\xa0\x80", 3), "\"\\u00ed\\u00a0\\u0080\"");
    assert_string_equal(json("\xf4\x90\x80\x80", 4), "\"\\u00f4\\u0090\\u0080\\u0080\"");
    assert_string_equal(json("\xc2\x9b" "2J", 4), "\"\\u009b2J\"");
    assert_string_equal(json("\x1b]0;t\x07", 6), "\"\\u001b]0;t\\u0007\"");
    /* bidi controls (a banner's U+202E reverses what follows): escaped as
     * code points */
    assert_string_equal(json("a\xe2\x80\xae" "b\xe2\x81\xa6\xe2\x81\xa9\xd8\x9c\xe2\x80\x8f", 16),
                        "\"a\\u202eb\\u2066\\u2069\\u061c\\u200f\"");
    /* the characters that show as nothing (a host key type
     * "ssh-ed\u200b25519" reads as the real one): escaped too; a narrow
     * no-break space shows, and is text */
    assert_string_equal(json("\xe2\x80\x8d\xe2\x80\xaf", 6), "\"\\u200d\xe2\x80\xaf\"");
    assert_string_equal(json("e\xe2\x80\x8b" "d\xe2\x80\x8c\xef\xbb\xbf\xc2\xad\xe2\x81\xa0\xe2\x81\xa4", 19),
                        "\"e\\u200bd\\u200c\\ufeff\\u00ad\\u2060\\u2064\"");
    /* the line and paragraph separators: a reader that splits lines at
     * them (Python's splitlines) must see one JSON line */
    assert_string_equal(json("a\xe2\x80\xa8" "b\xe2\x80\xa9", 8), "\"a\\u2028b\\u2029\"");
}

static void t_svg(void **st)
{
    /* the HTML report and the SVG plots: markup escaped, controls, C1 (raw
     * or as UTF-8) and bytes that are not UTF-8 as '?', UTF-8 kept */
    sd_buf b = { 0 };
    sd_svg_escape(&b, "<a\x9b" "b\xc2\x9b\xc3\xa9\x1b]0;t\x07\xed\xa0\x80&\"'\x7f>");
    sd_buf_append(&b, "", 1);
    assert_string_equal((char *)b.p, "&lt;a?b??\xc3\xa9?]0;t????&amp;&quot;&#39;?&gt;");
    sd_buf_free(&b);
    /* a bidi override or isolate: '?', not a reordering of the cell */
    sd_svg_escape(&b, "x\xe2\x80\xaey\xe2\x81\xa7z\xe2\x80\xaf");
    sd_buf_append(&b, "", 1);
    assert_string_equal((char *)b.p, "x???y???z\xe2\x80\xaf");
    sd_buf_free(&b);
}

static void t_fixed(void **st)
{
    char out[8];
    sd_text_safe("abc\x1b", out, sizeof out);
    assert_string_equal(out, "abc\\x1b");
    sd_text_safe("abcd\x1b", out, sizeof out); /* the escape does not fit whole */
    assert_string_equal(out, "abcd");
    sd_text_safe(NULL, out, sizeof out);
    assert_string_equal(out, "-");
    /* made printable already (a merged chunk's file name): a backslash
     * stays one, a control byte still becomes \xHH, the cut is whole */
    char cell[12];
    sd_text_safe_made("a\\x1b\x1b", cell, sizeof cell);
    assert_string_equal(cell, "a\\x1b\\x1b");
    sd_text_safe_made("abcdefgh\x07", cell, sizeof cell);
    assert_string_equal(cell, "abcdefgh");
}

/* sd_json_put_fixed against printf's "%.*f": the same bytes wherever it
 * answers (ties at the last digit, values that round to zero with their
 * sign, timestamps, durations, raw bit patterns). */
static void fixed_same(double v, int dec)
{
    char want[400], got[48];
    snprintf(want, sizeof want, "%.*f", dec, v);
    char *e = sd_json_put_fixed(got, v, dec);
    if (!e)
        return;
    *e = '\0';
    assert_string_equal(got, want);
}

static void t_put_fixed(void **st)
{
    static const double edge[] = { 0.0, -0.0, 0.5, 1.5, 2.5, -2.5, 0.125, 0.0005, -0.0004, 9.9999995, 1e-300,
                                   5e-324, 0.015625, 2.675, 1700000000.0230041, 9.2e18, 123456.5 };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++)
        for (int d = 0; d <= 9; d++)
            fixed_same(edge[i], d);
    uint64_t x = 88172645463325252ull; /* xorshift64: a fixed sequence */
    for (int i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double v;
        switch (i % 4) {
        case 0: memcpy(&v, &x, sizeof v); break;
        case 1: v = 1.7e9 + (double)(x % 1000000000) / 1e9; break;
        case 2: v = (double)(x % 100000000) / 1000.0; break;
        default: v = ldexp((double)(x >> 11), (int)(x % 140) - 120); break;
        }
        if (isfinite(v))
            fixed_same(v, (int)(x >> 60) % 10);
    }
    char b[48];
    assert_non_null(sd_json_put_fixed(b, 1.5, 0));
    assert_null(sd_json_put_fixed(b, 1e30, 2)); /* out of range: printf's */
    assert_null(sd_json_put_fixed(b, NAN, 2));
}

/* sd_json_put_fixed_memo writes what sd_json_put_fixed writes, whatever
 * the values and decimals before it (a remembered text is never another
 * value's or another precision's): values that recur, share a slot, or
 * differ in the last bit, in turn. */
static void t_put_fixed_memo(void **st)
{
    (void)st;
    static const double v[] = { 0.8, 0.9, 0.85, 0.000001, 0.8000000000000002, 1700000000.25, 0.0, -0.0, 12.5 };
    uint64_t x = 0x2545f4914f6cdd1dull;
    for (int i = 0; i < 20000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double d = i % 3 ? v[x % (sizeof v / sizeof v[0])] : (double)(x % 100000) / 4096.0;
        int dec = (int)(x >> 61) % 2 ? 6 : 2;
        char want[48], got[48];
        char *we = sd_json_put_fixed(want, d, dec), *ge = sd_json_put_fixed_memo(got, d, dec);
        assert_non_null(we);
        assert_non_null(ge);
        *we = *ge = '\0';
        assert_string_equal(got, want);
    }
}

/* sd_json_put_ts against printf's "%.6f" of sd_ts_sec for whole
 * microseconds below 2^31 s, where the event writer takes its exact digits
 * (sd_evout's TS_DIGITS_EXACT_MAX): random times, the last second before
 * the limit, and the first microseconds of the epoch. */
static void ts_same(sd_ts t)
{
    char want[64], got[48];
    snprintf(want, sizeof want, "%.6f", sd_ts_sec(t));
    *sd_json_put_ts(got, t) = '\0';
    assert_string_equal(got, want);
}

static void t_put_ts(void **st)
{
    (void)st;
    const sd_ts limit = ((sd_ts)1 << 31) * SD_NS_PER_SEC;
    for (sd_ts us = 0; us < 2000000; us += 7)
        ts_same(us * 1000);
    for (sd_ts us = 1; us <= 2000000; us += 3)
        ts_same(limit - us * 1000);
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 300000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        ts_same((sd_ts)(x % (uint64_t)(limit / 1000)) * 1000);
    }
    /* the remembered hundreds of seconds (sd_json.c put_seconds): times in
     * turn whose hundreds differ, or whose digit counts do, or that have
     * none (below 100 s) */
    static const int64_t secs[] = { 1700000000, 1700000099, 1700000100, 1699999999, 99, 100, 12345, 1700000000, 5 };
    for (int r = 0; r < 3; r++)
        for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
            ts_same(secs[i] * SD_NS_PER_SEC + 123456000);
}

/* The event writer's remembered uid (sd_evout.c put_uid): events of
 * several connections in turn, a uid that needs escaping among them, each
 * line with its own uid. */
static void t_evout_uid_memo(void **st)
{
    (void)st;
    static const char *uid[] = { "CAAAAAAAAAAAAAAAAA", "CBBBBBBBBBBBBBBBBB", "CAAAAAAAAAAAAAAAAA", "C\"q", "CAAAAAAAAAAAAAAAAB" };
    static const char *want[] = { "\"CAAAAAAAAAAAAAAAAA\"", "\"CBBBBBBBBBBBBBBBBB\"", "\"CAAAAAAAAAAAAAAAAA\"", "\"C\\\"q\"",
                                  "\"CAAAAAAAAAAAAAAAAB\"" };
    sd_evlist l = { 0 };
    for (int r = 0; r < 2; r++)
        for (size_t i = 0; i < sizeof uid / sizeof uid[0]; i++) {
            sd_event *e = sd_ev_add(&l, "auth_attempt", uid[i], i, 1000, 1, 2, SD_LEG_FORWARD);
            sd_ev_str(e, "method", "password");
            sd_buf b = { 0 };
            sd_evout_json(&b, e);
            sd_buf_append(&b, "", 1);
            char line[96];
            snprintf(line, sizeof line, "{\"type\":\"event\",\"uid\":%s,\"stream\":%zu,", want[i], i);
            assert_int_equal(strncmp((char *)b.p, line, strlen(line)), 0);
            assert_non_null(strstr((char *)b.p, ",\"method\":\"password\""));
            sd_buf_free(&b);
        }
    sd_evlist_free(&l);
}

/* The event writer's tail memo (sd_evout.c): an event like a kept one in
 * every member but one is written with that member, never with the kept
 * text. Each line is compared with the same event written by a fresh memo
 * (a miss: written in full). */
static char tm_key[16] = "method";  /* a key in a buffer a merge reuses */
static char tm_kind[16] = "auth_attempt";

static void tm_base(sd_evlist *l, sd_event **out)
{
    l->n = 0;
    sd_event *e = sd_ev_add(l, tm_kind, "CAAAAAAAAAAAAAAAAA", 3, 1000000, 7, 9, SD_LEG_FORWARD);
    e->dir = 0;
    e->confidence = 0.9;
    sd_ev_str_k(e, tm_key, strlen(tm_key), "password");
    sd_ev_int(e, "attempt", 1);
    sd_ev_num(e, "gap_s", 0.0);
    sd_ev_bool(e, "automated", true);
    sd_ev_note_cat(e, "password rejected");
    *out = e;
}

/* e's line by the memo as it is, and by a fresh one. */
static void tm_line(const sd_event *e, sd_buf *got, sd_buf *want)
{
    got->len = want->len = 0;
    sd_evout_json(got, e);
    sd_evout_memo_reset();
    sd_evout_json(want, e);
}

static void t_evout_tail_memo(void **st)
{
    (void)st;
    sd_evlist l = { 0 };
    sd_buf base = { 0 }, got = { 0 }, want = { 0 };
    sd_event *e;
    sd_evout_memo_count c;
    for (int m = 0; m <= 10; m++) {
        strcpy(tm_key, "method");
        strcpy(tm_kind, "auth_attempt");
        sd_evout_memo_reset();
        tm_base(&l, &e);
        base.len = 0;
        sd_evout_json(&base, e); /* kept */
        switch (m) {
        case 0: break; /* the same: a hit */
        case 1: sd_ev_str(e, tm_key, "passwor\""); break; /* a value that escapes */
        case 2: sd_ev_int(e, "attempt", 2); break;
        case 3: sd_ev_num(e, "gap_s", -0.0); break;
        case 4: sd_ev_bool(e, "automated", false); break;
        case 5: sd_ev_note_cat(e, "!"); break;
        case 6: e->dir = 1; break;
        case 7: e->confidence = 0.8; break;
        case 8: e->leg = SD_LEG_REVERSE; break;
        case 9: strcpy(tm_key, "methox"); break; /* the same address, another name */
        case 10: strcpy(tm_kind, "auth_closed!"); break;
        }
        tm_line(e, &got, &want);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.p, want.p, got.len);
        if (m == 0) {
            assert_int_equal(got.len, base.len);
            assert_memory_equal(got.p, base.p, got.len);
        } else {
            assert_false(got.len == base.len && memcmp(got.p, base.p, got.len) == 0);
        }
    }
    /* a hit counted; the hit's text is the kept line's */
    sd_evout_memo_reset();
    tm_base(&l, &e);
    got.len = 0;
    sd_evout_json(&got, e);
    sd_evout_json(&got, e);
    sd_evout_memo_stats(&c);
    assert_int_equal(c.hits, 1);
    assert_int_equal(c.misses, 1);
    /* more distinct tails than the memo holds: it stays bounded, replaces
     * kept ones (counted), and each line stays its own, twice over */
    enum { N_TAILS = 100 };
    static sd_buf ref[N_TAILS];
    for (int i = 0; i < N_TAILS; i++) {
        sd_evout_memo_reset();
        tm_base(&l, &e);
        sd_ev_int(e, "attempt", i);
        ref[i].len = 0;
        sd_evout_json(&ref[i], e);
    }
    sd_evout_memo_reset();
    for (int r = 0; r < 2; r++) {
        for (int i = 0; i < N_TAILS; i++) {
            tm_base(&l, &e);
            sd_ev_int(e, "attempt", i);
            got.len = 0;
            sd_evout_json(&got, e);
            assert_int_equal(got.len, ref[i].len);
            assert_memory_equal(got.p, ref[i].p, got.len);
        }
        sd_evout_memo_stats(&c);
        assert_true(c.held > 0 && c.held < N_TAILS);
        assert_int_equal(c.hits + c.misses + c.passed, (uint64_t)(r + 1) * N_TAILS);
        assert_true(c.passed > 0); /* a set that kept missing keeps fewer */
        assert_int_equal(c.replaced, c.misses - c.held);
    }
    for (int i = 0; i < N_TAILS; i++)
        sd_buf_free(&ref[i]);
    /* too long a tail: written, not kept */
    sd_evout_memo_reset();
    tm_base(&l, &e);
    for (int i = 0; i < SD_EV_MAX_FIELDS - 4; i++) {
        static const char *const k[] = { "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7" };
        sd_ev_str(e, k[i], "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01");
    }
    tm_line(e, &got, &want);
    assert_memory_equal(got.p, want.p, got.len);
    sd_evout_memo_stats(&c);
    assert_int_equal(c.unkept, 1);
    assert_int_equal(c.held, 0);
    sd_evlist_free(&l);
    sd_buf_free(&base);
    sd_buf_free(&got);
    sd_buf_free(&want);
}

/* sd_buf_fixed: printf's "%.*f" bytes for every value, the ones
 * sd_json_put_fixed declines (nan, inf, huge) included. */
static void t_buf_fixed(void **st)
{
    (void)st;
    static const double v[] = { 0.0, -0.0, 0.0005, 2.675, 1700000000.0230041, 123.4567, -9.99951, 1e30,
                                -1e300, NAN, -NAN, INFINITY, -INFINITY };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        for (int d = 0; d <= 9; d++) {
            char want[400];
            snprintf(want, sizeof want, "%.*f", d, v[i]);
            sd_buf b = { 0 };
            sd_buf_append(&b, "x", 1); /* appended after what the buffer holds */
            sd_buf_fixed(&b, v[i], d);
            sd_buf_append(&b, "", 1);
            assert_string_equal((const char *)b.p + 1, want);
            assert_int_equal(b.p[0], 'x');
            sd_buf_free(&b);
        }
}

/* sd_put_u64 and the JSON number writers against printf: every digit
 * count (each power of ten and its neighbours), the extremes, around
 * 2^32, a sequence. */
static void u64_same(uint64_t v)
{
    char want[32], got[32];
    snprintf(want, sizeof want, "%llu", (unsigned long long)v);
    *sd_put_u64(got, v) = '\0';
    assert_string_equal(got, want);
    sd_buf b = { 0 };
    sd_json_val_i64(&b, -(int64_t)(v >> 1));
    sd_buf_append(&b, "", 1);
    snprintf(want, sizeof want, "%lld", -(long long)(v >> 1));
    assert_string_equal((char *)b.p, want);
    sd_buf_free(&b);
}

static void t_put_u64(void **st)
{
    (void)st;
    uint64_t p = 1;
    for (int i = 0; i < 20; i++, p *= 10) {
        u64_same(p - 1);
        u64_same(p);
        u64_same(p + 1);
    }
    u64_same(0);
    u64_same(UINT64_MAX);
    u64_same(UINT64_MAX - 1);
    /* where the 64-bit divisions hand over to 32-bit ones */
    for (uint64_t v = (uint64_t)UINT32_MAX - 300; v <= (uint64_t)UINT32_MAX + 300; v++)
        u64_same(v);
    for (uint64_t m = 1; m <= 1000; m *= 10)
        u64_same((uint64_t)UINT32_MAX * m + m);
    uint64_t x = 2463534242ull;
    for (int i = 0; i < 100000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        u64_same(x >> (x % 64));
    }
}

/* sd_fval_text without printf: the bytes of the printf formats it stands
 * for, cut as snprintf cuts them at every buffer length. */
static void text_same(const sd_fval *v, const char *want_full)
{
    for (size_t len = 1; len <= 24; len++) {
        char got[32], want[32];
        memset(got, 'x', sizeof got);
        sd_fval_text(v, got, len);
        snprintf(want, len, "%s", want_full);
        assert_string_equal(got, want);
    }
}

static void t_fval_text(void **st)
{
    (void)st;
    sd_fval v;
    char want[64];
    sd_fval_init(&v);
    text_same(&v, "-");
    sd_fv_u(&v, 18446744073709551615ull);
    text_same(&v, "18446744073709551615");
    sd_fv_s(&v, "a string longer than the cut");
    text_same(&v, "a string longer than the cut");
    sd_fv_b(&v, true);
    text_same(&v, "true");
    sd_fv_b(&v, false);
    text_same(&v, "false");
    v.t = SD_FV_I64;
    v.i = INT64_MIN;
    snprintf(want, sizeof want, "%lld", (long long)INT64_MIN);
    text_same(&v, want);
    static const double f[] = { 0.0, -0.0, 2.675, 1700000000.023004, 1e30, -1e-9, INFINITY, NAN };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        for (int dec = 0; dec <= 12; dec += 3) {
            sd_fv_f(&v, f[i], dec);
            snprintf(want, sizeof want, "%.*f", dec, f[i]);
            text_same(&v, want);
        }
    }
    sd_fval_init(&v);
    v.t = SD_FV_JSON;
    sd_buf_append(&v.raw, "[1,2]\0tail", 10); /* "%.*s" stops at a NUL */
    text_same(&v, "[1,2]");
    sd_fval_clear(&v);
}

/* One CSV cell written by put (sd_csv_field, sd_csv_text). */
static char *cell(void (*put)(sd_buf *, const char *), const char *s)
{
    static char out[128];
    sd_buf b = { 0 };
    put(&b, s);
    memcpy(out, b.p, b.len);
    out[b.len] = '\0';
    sd_buf_free(&b);
    return out;
}

static char *csv(const char *s)
{
    return cell(sd_csv_field, s);
}

static void t_csv(void **st)
{
    /* formulas a spreadsheet would run get an apostrophe; numbers do not */
    assert_string_equal(csv("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    assert_string_equal(csv("@SUM(1+1)"), "'@SUM(1+1)");
    assert_string_equal(csv("+1,2"), "\"'+1,2\"");
    assert_string_equal(csv("-12.5"), "-12.5");
    assert_string_equal(csv("-"), "-");
    assert_string_equal(csv("a,\"b\""), "\"a,\"\"b\"\"\"");
    /* quotes doubled at the ends, in a row, in a formula */
    assert_string_equal(csv("\"\"x\"\""), "\"\"\"\"\"x\"\"\"\"\"");
    assert_string_equal(csv("=\"a\""), "\"'=\"\"a\"\"\"");
    assert_string_equal(csv("@x\"y"), "\"'@x\"\"y\"");
}

static char *csv_text(const char *s)
{
    return cell(sd_csv_text, s);
}

/* Capture strings in CSV: no raw control byte, the text outputs' \xHH; a
 * backslash kept single (an analyzer's \xHH not escaped twice); quoted and
 * formula-guarded as any cell. */
static void t_csv_text(void **st)
{
    (void)st;
    assert_string_equal(csv_text("SSH-2.0-a\x1b]0;t\x07\x9b_1"), "SSH-2.0-a\\x1b]0;t\\x07\\x9b_1");
    assert_string_equal(csv_text("h\\x01.example"), "h\\x01.example");
    assert_string_equal(csv_text("a\x01,b"), "\"a\\x01,b\"");
    assert_string_equal(csv_text("=1\x7f"), "'=1\\x7f");
    assert_string_equal(csv_text("caf\xc3\xa9"), "caf\xc3\xa9");
    no_controls(csv_text("\x01\x02\x1b[2J\xc2\x9b\x7f"));
}

/* The CSV form of the same strings (sd_csv_text: the run search with the
 * backslash kept), each ended by a BEL so that the cell is escaped (a cell
 * of printable ASCII alone is copied before any run search): each sequence
 * found exactly at every position; a NUL cannot be in a C string. */
static void csv_check(char *s, size_t len, size_t k, const char *want)
{
    char cell[512];
    if (!seqs[k].n || !seqs[k].in[0])
        return;
    snprintf(cell, sizeof cell, "%s\\x07", seqs[k].in[0] == '\\' ? s : want); /* a backslash stays one */
    memcpy(s + len, "\a", 2);
    assert_string_equal(csv_text(s), cell);
}

static void t_csv_text_positions(void **st)
{
    (void)st;
    each_placement('A', 26, csv_check); /* nothing CSV quotes */
}

/* sd_text_wrap: long lines broken after a separator, indented; short ones
 * and width 0 unchanged; no line over the width, no blank before a break,
 * no byte lost. */
static void wrapped(const char *in, size_t width, size_t indent, const char *want)
{
    sd_buf b = { 0 };
    sd_text_wrap(&b, in, strlen(in), width, indent);
    sd_buf_append(&b, "", 1);
    assert_string_equal((const char *)b.p, want);
    sd_buf_free(&b);
}

static void t_wrap(void **st)
{
    (void)st;
    wrapped("short\n", 20, 4, "short\n");
    wrapped("key   aaa,bbb,ccc,ddd,eee\nnext\n", 16, 6, "key   aaa,bbb,\n      ccc,ddd,\n      eee\nnext\n");
    wrapped("one two three four five", 12, 2, "one two\n  three four\n  five");
    wrapped("abcdefghijklmnopqrstuvwxyz", 12, 2, "abcdefghijkl\n  mnopqrstuv\n  wxyz"); /* no separator */
    wrapped("a,b,c,d,e,f,g,h,i,j,k,l,m,n", 0, 2, "a,b,c,d,e,f,g,h,i,j,k,l,m,n");  /* 0: as is */
}

/* The shared plain-run finder (src/common/sd_plain.h) against its byte
 * loop, for every exclusion the writers use, over every length up to 40
 * and random bytes biased to the edges of the plain class, with the odd
 * byte at every position. */
static size_t plain_run_case(const uint8_t *p, size_t n, int k)
{
    switch (k) {
    case 0: return sd_plain_run(p, n, 0, 0);
    case 1: return sd_plain_run(p, n, '\\', 0);
    default: return sd_plain_run(p, n, '"', '\\');
    }
}

static void t_plain_run(void **state)
{
    (void)state;
    static const uint8_t edge[] = { 0x00, 0x1f, 0x20, 0x21, '"', '\\', 0x7e, 0x7f, 0x80, 0xff, 'a', 'Z' };
    static const uint8_t x[3][2] = { { 0, 0 }, { '\\', 0 }, { '"', '\\' } };
    uint32_t r = 12345;
    uint8_t buf[48];
    for (int k = 0; k < 3; k++)
        for (size_t n = 0; n <= 40; n++) {
            for (size_t odd = 0; odd <= n; odd++)
                for (size_t e = 0; e < sizeof edge; e++) {
                    memset(buf, 'm', n);
                    if (odd < n)
                        buf[odd] = edge[e];
                    assert_int_equal(plain_run_case(buf, n, k), sd_plain_run_bytes(buf, n, x[k][0], x[k][1]));
                }
            for (int rep = 0; rep < 200; rep++) {
                for (size_t i = 0; i < n; i++) {
                    r = r * 1103515245u + 12345u;
                    buf[i] = (r >> 16) % 8 ? (uint8_t)(0x20 + (r >> 8) % 0x5f) : edge[(r >> 4) % sizeof edge];
                }
                assert_int_equal(plain_run_case(buf, n, k), sd_plain_run_bytes(buf, n, x[k][0], x[k][1]));
            }
        }
}

/* sd_strb cuts as snprintf cuts, at every buffer size. */
static void t_strb(void **state)
{
    (void)state;
    for (size_t cap = 0; cap < 100; cap++) { /* the whole string is 76 bytes */
        char want[128], got[128];
        memset(want, 'Z', sizeof want);
        memset(got, 'Z', sizeof got);
        snprintf(want, cap, "%s %s (frame %llu) %d%lld", "ssh-ed25519", "SHA256:abc", 18446744073709551615ull, -42,
                 (long long)INT64_MIN + 1);
        sd_strb b = sd_strb_at(got, cap);
        sd_strb_cat(&b, "ssh-ed25519");
        sd_strb_cat(&b, " ");
        sd_strb_cat(&b, "SHA256:abc");
        sd_strb_cat(&b, " (frame ");
        sd_strb_u64(&b, 18446744073709551615ull);
        sd_strb_cat(&b, ") ");
        sd_strb_int(&b, -42);
        sd_strb_int(&b, (long long)INT64_MIN + 1);
        assert_memory_equal(got, want, sizeof got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_escapes), cmocka_unit_test(t_utf8), cmocka_unit_test(t_text_escape_positions),
                                        cmocka_unit_test(t_json_utf8), cmocka_unit_test(t_json_escape_positions),
                                        cmocka_unit_test(t_svg),
                                        cmocka_unit_test(t_fixed), cmocka_unit_test(t_csv), cmocka_unit_test(t_csv_text), cmocka_unit_test(t_csv_text_positions),
                                        cmocka_unit_test(t_put_fixed), cmocka_unit_test(t_put_fixed_memo), cmocka_unit_test(t_put_ts), cmocka_unit_test(t_evout_uid_memo), cmocka_unit_test(t_evout_tail_memo), cmocka_unit_test(t_buf_fixed), cmocka_unit_test(t_put_u64),
                                        cmocka_unit_test(t_fval_text), cmocka_unit_test(t_wrap), cmocka_unit_test(t_plain_run), cmocka_unit_test(t_strb) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
