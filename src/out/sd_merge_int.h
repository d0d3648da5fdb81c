/* sd_merge internals, shared by sd_merge.c (reading, numbering) and
 * sd_merge_out.c (open counts, order, rewriting). */
#ifndef SD_MERGE_INT_H
#define SD_MERGE_INT_H

#include "../common/sd_common.h"
#include "../common/sd_hmap.h"
#include "sd_merge.h"

#include <stdbool.h>
#include <stdint.h>

/* One owned connection, from its {"_own":"conn"} record. Frame numbers
 * are the chunk's until sd_merge globalises them. */
typedef struct mconn {
    char uid[20], guid[20];         /* the chunk's and the global one */
    unsigned chunk;
    int sel, proto, prov, ep, cls, cp, cut;
    uint8_t oh[16], rh[16];
    unsigned op, rp, vlan;
    int64_t start;
    uint64_t ff, lf, idx, stream, end, cl;
    uint64_t gidx, gstream;         /* global numbers */
    uint64_t pkey;                  /* a hash of its ports' identity, either way round */
    uint64_t open_at_end, orig_open_at_end;
    uint32_t wb[2], fseq;           /* its conversation's base seqs (wbs: which set), its first seq */
    int wbs, fsyn, fside;           /* ... and whether that was a SYN, from which side of the key */
    const struct mconn *cont;       /* the earlier chunk's connection whose stream it goes on with */
    bool drop;                      /* provisional, covered by an earlier chunk */
    bool head;                      /* its chunk's lines hold uid and stream once, at their head
                                       (a chunk with "fb": ssh, conns --json, sd_merge_rewrite) */
    bool no_oc;                     /* ... and no open counts (its chunk's "oc":0) */
    uint64_t pos;                   /* place in the merged order (UINT64_MAX: not shown) */
    size_t *lines, nlines;          /* its output lines (indexes into the chunk's) */
} mconn;

/* Whether c's lines are in the merged output: selected (its run showed
 * it) and not dropped (covered by an earlier chunk's). */
static inline bool sd_merge_shown(const mconn *c)
{
    return c->sel && !c->drop;
}

/* One session's part of extract's totals ({"_own":"xst"}, sd_merge_totals). */
typedef struct mxst {
    char uid[20];
    uint64_t v[SD_MERGE_XST];
} mxst;

typedef struct mchunk {
    unsigned first, last;
    bool trailer, overlap;          /* overlap: its files and a later one's interleave in time */
    bool no_oc;                     /* its lines carry no open counts (its trailer's "oc":0) */
    int64_t tmin, tmax;             /* the times of its owned files' records */
    uint64_t *frames, nframes_files; /* records per owned file */
    uint64_t unread;                 /* its files that could not be read */
    uint64_t off;                    /* records in earlier files */
    bool fb_set;                     /* its trailer's "fb": its frames were numbered from fb + 1 */
    uint64_t fb;                     /* (--own-frame-base), so they move by shift = off - fb only */
    uint64_t shift;                  /* what its frame numbers move by (mod 2^64: a wrong fb too) */
    char *text;                      /* the whole output, read-only: lines end at their '\n' */
    size_t mapped;                   /* text is a mapping of this length (else malloc'd) */
    const char **lines;              /* the output lines, lens[i] bytes each, without the '\n' */
    size_t *lens, nlines;
    mconn *conns;
    size_t nconns;
    size_t *tail, ntail;             /* lines of no connection */
    const char **camp;               /* sd_campaign's partial aggregates (lines of text, */
    size_t *camp_len;                /* of these lengths without their '\n') */
    char *fmt;                       /* its {"_own":"fmt"} record (sd_merge_fmt.h), or NULL */
    const char **org;                /* {"_own":"org"} records (direct: the files of its frames */
    size_t *org_len, norg;           /* written before its text starts), in place */
    size_t ncamp;
    mxst *xst;                       /* extract's sessions' parts of its totals */
    size_t nxst;
    sd_hmap *byuid;                  /* uid -> index in conns (built when first needed) */
    bool grouped;                    /* the lines are with their connections */
    sd_merge_conn_fn hook;           /* sd_merge_set_hook's, and this chunk's ud */
    void *hook_ctx, *hook_ud;
    uint64_t direct;                 /* its first conns whose lines its run wrote to the final
                                        output itself (the trailer's "direct", --jobs) */
    size_t flushed;                  /* conns written early (sd_merge_early, or direct), */
    uint64_t flushed_shown, flushed_cut; /* of them shown and cut */
    struct mcamp *cpre;              /* camp[] read (sd_merge_camp_read), NULL before */
    size_t *cbyff;                   /* the indexes in cpre of those read, by first frame */
    size_t ncbyff;
} mchunk;

/* A chunk's {"_own":"camp"} record read: what its connection adds; c NULL
 * when the record names no connection of the chunk or cannot be read (it
 * is left out). Its numbers are the connection's, taken once global. */
typedef struct mcamp {
    const mconn *c;
    sd_addr client, server;
    uint32_t n[7];
} mcamp;

/* A lower-case hex digit's value, or -1. */
static inline int sd_merge_hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The bytes of w (eight chars, each below 0x80) strictly between m and n
 * (m < n <= 128), as their top bit (the "hasbetween" of Sean Anderson's
 * bit hacks: no byte borrows from or carries into its neighbour). */
#define SD_MERGE_ONES 0x0101010101010101ull
#define SD_MERGE_BETWEEN(w, m, n)                                                                                \
    ((SD_MERGE_ONES * (127u + (n)) - ((w) & SD_MERGE_ONES * 127u)) & ~(w) &                                     \
     (((w) & SD_MERGE_ONES * 127u) + SD_MERGE_ONES * (127u - (m))) & SD_MERGE_ONES * 128u)

/* 16 bytes from 32 lower-case hex digits at p (32 bytes there); false when
 * one is none. Eight digits a step, in a 64-bit word: the table it used
 * (two loads a digit) was 300 instructions an address, and the merge
 * reads two for each of a brute force's 100 000 connections' campaign
 * parts (bench/jobs, docs/scale.md "daskfb"). */
static inline bool sd_merge_hex16(const char *p, uint8_t out[16])
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    bool ok = true;
    for (int i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, p + 8 * i, 8);
        uint64_t dig = SD_MERGE_BETWEEN(w, 0x2Fu, 0x3Au), alpha = SD_MERGE_BETWEEN(w, 0x60u, 0x67u);
        ok &= (dig | alpha) == SD_MERGE_ONES * 128u; /* (a byte of 0x80 or more is in neither) */
        /* each digit's value: its low nibble, + 9 for a-f (0x61 & 15 = 1) */
        uint64_t v = (w & SD_MERGE_ONES * 15u) + (alpha >> 7) * 9u;
        /* pairs (first digit in the low byte) to bytes, then packed */
        v = ((v << 4) | (v >> 8)) & 0x00FF00FF00FF00FFull;
        v = (v | (v >> 8)) & 0x0000FFFF0000FFFFull;
        v = (v | (v >> 16)) & 0xFFFFFFFFull;
        uint32_t b = (uint32_t)v;
        memcpy(out + 4 * i, &b, 4);
    }
    return ok;
#else
    int bad = 0;
    for (int i = 0; i < 16; i++) {
        int hi = sd_merge_hex(p[2 * i]), lo = sd_merge_hex(p[2 * i + 1]);
        bad |= hi < 0 || lo < 0;
        out[i] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo); /* (garbage when bad) */
    }
    return !bad;
#endif
}

/* The decimal digits at p into *x, as strtoull reads them but without its
 * locale machinery (a merge reads millions of numbers); returns past them.
 * *over: they pass UINT64_MAX (*x is then UINT64_MAX, as strtoull's). */
static inline const char *sd_merge_dec(const char *p, uint64_t *x, bool *over)
{
    /* up to 19 digits cannot pass UINT64_MAX: read without the checks
     * (a record holds ~25 numbers, 100 000 records a merge: the checks
     * per digit were two thirds of reading them) */
    uint64_t v = 0;
    int i = 0;
    for (; i < 19 && (unsigned)(p[i] - '0') < 10; i++)
        v = v * 10 + (uint64_t)(p[i] - '0');
    *x = v;
    *over = false;
    p += i;
    if (i < 19 || (unsigned)(*p - '0') >= 10)
        return p;
    for (; *p >= '0' && *p <= '9'; p++)
        if (!*over && (__builtin_mul_overflow(*x, 10, x) || __builtin_add_overflow(*x, (uint64_t)(*p - '0'), x)))
            *over = true, *x = UINT64_MAX;
    return p;
}

/* Where pat first occurs in [p, end), or NULL (a line of text is not a
 * string: it ends at its '\n'). */
const char *sd_merge_find(const char *p, const char *end, const char *pat);

/* sd_merge_camp.c: the campaigns (brute force, scans) over every chunk,
 * as one run would find them, as JSON lines. */
void sd_merge_campaign(mchunk *ch, size_t n, sd_buf *b);
/* Reads a chunk's campaign records and orders them by first frame: it
 * depends on that chunk only, so it is done before the campaigns (a
 * chunk in while others still run, or beside the numbering) instead of
 * in the last step of a merge. Idempotent. */
void sd_merge_camp_read(mchunk *ch);
/* A chunk's connection by its (chunk) uid, or NULL. */
mconn *sd_merge_conn(const mchunk *ch, const char *uid);
/* The same by a uid NUL-padded to 20 bytes, looked for first in order
 * from *cur (where the last one was found), which it moves. */
mconn *sd_merge_conn_from(mchunk *ch, const char k[20], size_t *cur);

/* sd_merge_out.c */
void sd_merge_open_counts(mchunk *ch, size_t n);
/* One output line of c, len bytes (no newline among them), its numbers made
 * global (off: the chunk's frame offset), appended to b with its newline. */
void sd_merge_rewrite(const mconn *c, uint64_t off, const char *line, size_t len, sd_buf *b);
/* Returns the connections cut at a read-ahead limit. */
uint64_t sd_merge_write(mchunk *ch, size_t n, FILE *out);
/* The first chunk's connections that one run ends before the first record
 * of the next chunk (next), with their open counts taken before it: their
 * lines and place are final, whatever the later chunks hold. */
void sd_merge_write_early(mchunk *c0, uint64_t next, FILE *out);

#endif
