/* Payload signatures: magic numbers from the formats' specifications
 * (PE/COFF: Microsoft PE Format, "MS-DOS Stub"; ELF: System V ABI e_ident;
 * ZIP: APPNOTE.TXT 4.3.7 local file header; gzip: RFC 1952 §2.3.1; PDF:
 * ISO 32000-1 §7.5.2; OLE2/CFB: MS-CFB §2.2; RAR 4/5, 7z, CAB, Mach-O,
 * Java class: their file-format documents) plus a few text markers of
 * scripts and PowerShell misuse (MITRE ATT&CK T1059.001). Each is either
 * anchored at stream offset 0 or searched anywhere; patterns of 4 bytes or
 * more when searched anywhere, so random (encrypted) data rarely matches. */
#include "sd_sig.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SIG_VEC 1 /* the AVX2 nibble filter, chosen at run time */
#include <immintrin.h>
#endif

enum { ANY = 0, START = 1 };

/* Every pattern searched anywhere is at least ANY_MINLEN bytes long (see
 * the pair prefilter before scan()). */
#define ANY_MINLEN 4
#define ANY_STEP (ANY_MINLEN - 1)

typedef struct sig_def {
    const char *name;
    const char *pat;
    uint8_t len;
    uint8_t anchor;
    bool nocase;   /* ASCII case-insensitive (pattern stored in lower case) */
    const char *desc;
} sig_def;

#define P(s) s, (uint8_t)(sizeof(s) - 1)

static const sig_def SIGS[] = {
    { "mz-header", P("MZ"), START, false, "DOS/Windows executable header \"MZ\" at the start of the stream" },
    { "pe-dos-stub", P("This program cannot be run in DOS mode"), ANY, false,
      "Windows PE: the MS-DOS stub message (the PE's \"MZ\" is normally 78 bytes before)" },
    { "elf", P("\x7f" "ELF"), ANY, false, "ELF executable or library" },
    { "macho", P("\xcf\xfa\xed\xfe"), ANY, false, "Mach-O 64-bit executable" },
    { "java-class", P("\xca\xfe\xba\xbe\x00\x00"), ANY, false, "Java class file (or Mach-O fat binary)" },
    { "zip", P("PK\x03\x04"), ANY, false, "ZIP local file header (also JAR, DOCX, APK...)" },
    { "gzip", P("\x1f\x8b\x08\x00"), ANY, false, "gzip member (deflate, no flags)" },
    { "gzip", P("\x1f\x8b\x08\x08"), ANY, false, "gzip member (deflate, with file name)" },
    { "rar", P("Rar!\x1a\x07"), ANY, false, "RAR archive" },
    { "7z", P("7z\xbc\xaf\x27\x1c"), ANY, false, "7-Zip archive" },
    { "cab", P("MSCF\x00\x00\x00\x00"), ANY, false, "Microsoft Cabinet archive" },
    { "ole2", P("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), ANY, false, "OLE2 compound file (legacy Office document, MSI)" },
    { "pdf", P("%PDF-"), ANY, false, "PDF document" },
    { "shebang", P("#!/"), START, false, "script with a #! interpreter line at the start of the stream" },
    { "shebang", P("\n#!/bin/"), ANY, false, "script with a #!/bin/ interpreter line" },
    { "shebang", P("\n#!/usr/bin/"), ANY, false, "script with a #!/usr/bin/ interpreter line" },
    { "powershell", P("powershell"), ANY, true, "the word PowerShell (any case)" },
    { "powershell-encoded", P("-encodedcommand"), ANY, true, "PowerShell -EncodedCommand" },
    { "powershell-iex", P("invoke-expression"), ANY, true, "PowerShell Invoke-Expression" },
    { "powershell-b64", P("frombase64string"), ANY, true, "[Convert]::FromBase64String" },
    { "cmd-exe", P("cmd.exe"), ANY, true, "cmd.exe" },
    { "private-key", P("PRIVATE KEY-----"), ANY, false, "PEM private key block" },
};

int sd_sig_count(void)
{
    return (int)SD_ARRAY_LEN(SIGS);
}

const char *sd_sig_name(int sig)
{
    return sig >= 0 && sig < sd_sig_count() ? SIGS[sig].name : "?";
}

const char *sd_sig_desc(int sig)
{
    return sig >= 0 && sig < sd_sig_count() ? SIGS[sig].desc : "?";
}

static void pairs_init(void);
static bool pairs_ready;

void sd_sig_init(sd_sig_scan *s)
{
    memset(s, 0, sizeof *s);
    if (!pairs_ready)
        pairs_init();
}

static uint8_t lower(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

static bool match_at(const sig_def *d, const uint8_t *p)
{
    if (!d->nocase)
        return memcmp(p, d->pat, d->len) == 0;
    for (uint8_t i = 0; i < d->len; i++)
        if (lower(p[i]) != (uint8_t)d->pat[i])
            return false;
    return true;
}

static void add_hit(sd_sig_scan *s, int sig, uint64_t off, uint64_t f0, uint64_t f1)
{
    s->total_hits++;
    if (s->nhits < SD_SIG_MAX_HITS)
        s->hits[s->nhits++] = (sd_sig_hit){ sig, off, f0, f1 };
}

/* For each byte value, the patterns that can start with it (bit k = SIGS[k];
 * case-insensitive patterns under both cases): most bytes are rejected with
 * one load, the others try only their own candidates. test_sig checks the
 * table against SIGS. */
#define B(k) (1u << (k))
static const uint32_t CAND[256] = {
    ['M'] = B(0) | B(10), ['T'] = B(1), [0x7f] = B(2), [0xcf] = B(3), [0xca] = B(4),
    ['P'] = B(5) | B(21) | B(16), [0x1f] = B(6) | B(7), ['R'] = B(8), ['7'] = B(9),
    [0xd0] = B(11), ['%'] = B(12), ['#'] = B(13), ['\n'] = B(14) | B(15), ['p'] = B(16),
    ['-'] = B(17), ['i'] = B(18), ['I'] = B(18), ['f'] = B(19), ['F'] = B(19), ['c'] = B(20),
    ['C'] = B(20),
};
#undef B

bool sd_sig_first_byte_ok(void)
{
    for (int b = 0; b < 256; b++) {
        uint32_t want = 0;
        for (size_t k = 0; k < SD_ARRAY_LEN(SIGS); k++) {
            uint8_t first = (uint8_t)SIGS[k].pat[0];
            if (first == b || (SIGS[k].nocase && first == lower((uint8_t)b)))
                want |= 1u << k;
        }
        if (CAND[b] != want)
            return false;
    }
    for (size_t k = 0; k < SD_ARRAY_LEN(SIGS); k++)
        if (SIGS[k].anchor == ANY && SIGS[k].len < ANY_MINLEN)
            return false; /* the pair prefilter's step would skip its starts */
    return SD_ARRAY_LEN(SIGS) <= 32;
}

/* Prefilter for the patterns searched anywhere (all at least ANY_MINLEN
 * bytes long): the set of byte pairs found at pattern positions 0..2 (both
 * cases for case-insensitive patterns), one bit per pair (8 KiB). The scan
 * looks at one pair every ANY_STEP positions: a pattern that starts at s has
 * the pair at s+j (j = 0..ANY_STEP-1) among its own, so a position whose
 * pair is not in the set rules out ANY_STEP starts at once. Random or
 * encrypted payload costs about one table probe per three bytes. */
static uint64_t PAIRS[65536 / 64];
static uint32_t ANY_MASK;   /* bit k = SIGS[k] is searched anywhere */

/* The nibble filter's tables (see scan_vec): for byte j of a pattern in
 * bucket b, bit b of NIB_LO[j][low nibble] and of NIB_HI[j][high nibble]. */
#define NIB_BYTES 3 /* < ANY_MINLEN: every pattern searched anywhere has them */
#define NIB_BUCKETS 8
static uint8_t NIB_LO[NIB_BYTES][16], NIB_HI[NIB_BYTES][16];
static bool use_vec;

static void nib_add(int j, uint8_t c, int bucket)
{
    NIB_LO[j][c & 15] |= (uint8_t)(1u << bucket);
    NIB_HI[j][c >> 4] |= (uint8_t)(1u << bucket);
}

static void nibs_init(size_t k, const sig_def *d)
{
    int bucket = (int)(k % NIB_BUCKETS);
    for (int j = 0; j < NIB_BYTES; j++) {
        uint8_t c = (uint8_t)d->pat[j];
        nib_add(j, c, bucket);
        if (d->nocase && c >= 'a' && c <= 'z')
            nib_add(j, (uint8_t)(c - 32), bucket);
    }
}

static void pair_add(uint8_t a, uint8_t b, bool nocase)
{
    uint8_t as[2] = { a, a }, bs[2] = { b, b };
    if (nocase) {
        if (a >= 'a' && a <= 'z')
            as[1] = (uint8_t)(a - 32);
        if (b >= 'a' && b <= 'z')
            bs[1] = (uint8_t)(b - 32);
    }
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            unsigned v = as[i] | (unsigned)bs[j] << 8;
            PAIRS[v >> 6] |= 1ull << (v & 63);
        }
}

static void pairs_init(void)
{
    for (size_t k = 0; k < SD_ARRAY_LEN(SIGS); k++) {
        const sig_def *d = &SIGS[k];
        if (d->anchor != ANY)
            continue;
        ANY_MASK |= 1u << k;
        for (int j = 0; j < ANY_STEP; j++)
            pair_add((uint8_t)d->pat[j], (uint8_t)d->pat[j + 1], d->nocase);
        nibs_init(k, d);
    }
#ifdef SIG_VEC
    __builtin_cpu_init();
    use_vec = __builtin_cpu_supports("avx2");
#endif
    pairs_ready = true;
}

bool sd_sig_vector(int on)
{
    if (!pairs_ready)
        pairs_init();
#ifdef SIG_VEC
    if (on == 0)
        use_vec = false;
    else if (on > 0)
        use_vec = __builtin_cpu_supports("avx2");
#endif
    return use_vec;
}

static uint64_t pair_bit(const uint8_t *p)
{
    unsigned v = p[0] | (unsigned)p[1] << 8;
    return PAIRS[v >> 6] >> (v & 63) & 1;
}

/* Patterns in mask that start at p[i] (byte 0 at stream offset base). */
static void try_at(sd_sig_scan *s, const uint8_t *p, size_t len, size_t i, uint32_t mask, uint64_t base,
                   uint64_t f0, uint64_t f1)
{
    uint32_t m = CAND[p[i]] & mask;
    while (m) {
        int k = __builtin_ctz(m);
        m &= m - 1;
        const sig_def *d = &SIGS[k];
        if (d->len > len - i || (d->anchor == START && base + i != 0))
            continue;
        if (match_at(d, p + i))
            add_hit(s, k, base + i, f0, f1);
    }
}

/* The pair prefilter: every match starting in p[0..len) searched
 * anywhere (byte 0 at stream offset base), in order of position, then of
 * pattern. */
static void scan_pairs(sd_sig_scan *s, const uint8_t *p, size_t len, uint64_t base, uint64_t f0, uint64_t f1)
{
    size_t i = ANY_STEP - 1;
    /* four probes per branch: almost always none hits */
    for (; i + 3 * ANY_STEP + 1 < len; i += 4 * ANY_STEP)
        if (pair_bit(p + i) | pair_bit(p + i + ANY_STEP) | pair_bit(p + i + 2 * ANY_STEP) |
            pair_bit(p + i + 3 * ANY_STEP))
            for (size_t k = i; k <= i + 3 * ANY_STEP; k += ANY_STEP)
                if (pair_bit(p + k))
                    for (size_t st = k + 1 - ANY_STEP; st <= k; st++)
                        try_at(s, p, len, st, ANY_MASK, base, f0, f1);
    for (; i + 1 < len; i += ANY_STEP)
        if (pair_bit(p + i))
            for (size_t st = i + 1 - ANY_STEP; st <= i; st++)
                try_at(s, p, len, st, ANY_MASK, base, f0, f1);
}

#ifdef SIG_VEC
/* The nibble filter with AVX2 (the idea of Hyperscan's "Teddy"): 32 start
 * positions at a time, each tested against the first NIB_BYTES bytes of
 * every pattern searched anywhere by two table lookups per byte (low and
 * high nibble, one bit per bucket of patterns); a start survives only if
 * some bucket has all its bytes. A superset of the real starts (the nibble
 * pairs of one bucket combine), each then checked by try_at in order: the
 * same hits as scan_pairs, at under an instruction per byte. */
#define VEC_FN __attribute__((target("avx2"))) static inline

typedef struct nibtab {
    __m256i lo[NIB_BYTES], hi[NIB_BYTES];
} nibtab;

VEC_FN void nib_load(nibtab *t)
{
    for (int j = 0; j < NIB_BYTES; j++) {
        t->lo[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)NIB_LO[j]));
        t->hi[j] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)NIB_HI[j]));
    }
}

/* Per byte of p[0..32): the buckets byte j of a pattern may be. */
VEC_FN __m256i nib_match(const uint8_t *p, __m256i lo, __m256i hi)
{
    const __m256i low = _mm256_set1_epi8(0x0f);
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    return _mm256_and_si256(_mm256_shuffle_epi8(lo, _mm256_and_si256(v, low)),
                            _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), low)));
}

/* Bit t: a pattern may start at p[t] (reads p[0..32 + NIB_BYTES - 1)). */
VEC_FN uint32_t vec_block(const nibtab *t, const uint8_t *p)
{
    _Static_assert(NIB_BYTES == 3, "vec_block looks at three bytes");
    __m256i acc = _mm256_and_si256(nib_match(p, t->lo[0], t->hi[0]),
                                   _mm256_and_si256(nib_match(p + 1, t->lo[1], t->hi[1]),
                                                    nib_match(p + 2, t->lo[2], t->hi[2])));
    return ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(acc, _mm256_setzero_si256()));
}

#define VEC_SPAN (32 + NIB_BYTES - 1) /* bytes one block reads */

VEC_FN void scan_vec(sd_sig_scan *s, const uint8_t *p, size_t len, uint64_t base, uint64_t f0, uint64_t f1)
{
    nibtab t;
    nib_load(&t);
    size_t i = 0;
    for (; i + VEC_SPAN <= len; i += 32)
        for (uint32_t m = vec_block(&t, p + i); m; m &= m - 1)
            try_at(s, p, len, i + (size_t)__builtin_ctz(m), ANY_MASK, base, f0, f1);
    if (i == len)
        return;
    /* The last starts, from a zero-padded copy: a start whose first bytes
     * reach the padding has too few bytes left in p for any pattern. */
    uint8_t pad[VEC_SPAN + 32] = { 0 };
    size_t n = len - i;
    memcpy(pad, p + i, n);
    uint32_t m = vec_block(&t, pad);
    if (n < 32)
        m &= (1u << n) - 1;
    for (; m; m &= m - 1)
        try_at(s, p, len, i + (size_t)__builtin_ctz(m), ANY_MASK, base, f0, f1);
}

/* The tail window's starts (win zero-padded to 64 + NIB_BYTES - 1 bytes). */
VEC_FN uint64_t window_vec(const uint8_t *win)
{
    nibtab t;
    nib_load(&t);
    return vec_block(&t, win) | (uint64_t)vec_block(&t, win + 32) << 32;
}
#endif

/* Every match starting in p[0..len) (byte 0 at stream offset base), in
 * order of position, then of pattern. */
static void scan(sd_sig_scan *s, const uint8_t *p, size_t len, uint64_t base, uint64_t f0, uint64_t f1)
{
    if (base == 0)
        try_at(s, p, len, 0, ~ANY_MASK, base, f0, f1); /* anchored at the start */
#ifdef SIG_VEC
    if (use_vec) {
        scan_vec(s, p, len, base, f0, f1);
        return;
    }
#endif
    scan_pairs(s, p, len, base, f0, f1);
}

/* The window's positions worth trying (bit i = win[i]; all without the
 * vector filter); position 0 at stream offset 0 for the anchored ones. */
static uint64_t window_cands(const uint8_t *win, uint64_t base)
{
#ifdef SIG_VEC
    if (use_vec)
        return window_vec(win) | (base == 0);
#endif
    (void)win;
    (void)base;
    return ~0ull;
}

/* Matches that start in the tail and end in this chunk: a small joined
 * window; those wholly inside the tail were found before. */
static void scan_window(sd_sig_scan *s, uint64_t offset, const uint8_t *p, size_t len, uint64_t last_frame)
{
    _Static_assert(SD_SIG_MAXLEN - 1 < 64, "the tail's starts fit in one 64-bit mask");
    uint8_t win[2 * SD_SIG_MAXLEN + 32] = { 0 };
    size_t head = SD_MIN(len, (size_t)SD_SIG_MAXLEN - 1);
    memcpy(win, s->tail, s->ntail);
    memcpy(win + s->ntail, p, head);
    size_t wlen = s->ntail + head;
    uint64_t base = offset - s->ntail;
    uint64_t cands = window_cands(win, base) & ((1ull << s->ntail) - 1);
    for (; cands; cands &= cands - 1) {
        size_t i = (size_t)__builtin_ctzll(cands);
        for (uint32_t m = CAND[win[i]]; m; m &= m - 1) {
            int k = __builtin_ctz(m);
            const sig_def *d = &SIGS[k];
            if (i + d->len <= s->ntail || d->len > wlen - i)
                continue; /* wholly in the tail, or not enough bytes yet */
            if (d->anchor == START && base + i != 0)
                continue;
            if (match_at(d, win + i))
                add_hit(s, k, base + i, s->tail_frame, last_frame);
        }
    }
}

void sd_sig_feed(sd_sig_scan *s, uint64_t offset, const uint8_t *p, size_t len,
                 uint64_t first_frame, uint64_t last_frame)
{
    if (!len)
        return;
    if (offset != s->next)
        s->ntail = 0;
    if (s->ntail)
        scan_window(s, offset, p, len, last_frame);
    scan(s, p, len, offset, first_frame, last_frame);
    /* keep the last bytes for the next chunk */
    size_t keep = SD_SIG_MAXLEN - 1;
    if (len >= keep) {
        memcpy(s->tail, p + len - keep, keep);
        s->ntail = (uint32_t)keep;
    } else {
        size_t old = SD_MIN((size_t)s->ntail, keep - len);
        memmove(s->tail, s->tail + s->ntail - old, old);
        memcpy(s->tail + old, p, len);
        s->ntail = (uint32_t)(old + len);
    }
    s->tail_frame = first_frame;
    s->next = offset + len;
}
