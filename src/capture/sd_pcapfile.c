#include "sd_pcapfile.h"

#include "sd_pcapng.h"
#include "sd_replay.h"

#include <errno.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LT_MASK 0x03ffffffu /* upper bits carry FCS length flags (pcap spec §4) */
/* The stream's buffer: pcapng reads through it; classic pcap's block
 * reads (below) are larger, so the C library reads them straight into the
 * block and copies at most this much of each from its buffer. */
#define IOBUF (1u << 16)
/* Classic pcap is read in blocks and records are handed out from the
 * block (one read per block instead of two per record): room for the
 * largest record and its header, twice over so a refill reads a lot. */
#define BLOCK (2 * (SD_PCAP_MAX_RECORD + SD_PCAP_REC_HDR))
/* A file's block starts smaller: every input file is open at once (a
 * merge of rotated files, a directory), and 1,500 of them at BLOCK each
 * reserved 3 GB (out of memory under a 1 GB limit). A record larger than
 * the block grows it (refill). */
#define BLOCK_START (256u << 10)

struct sd_pcapfile {
    FILE *fp;
    char *iobuf;
    bool swap, nano;
    int linktype;
    uint8_t *blk;    /* classic: bytes read, records at [pos, end) */
    size_t cap, pos, end;
    size_t blk_size; /* the block's size when made: BLOCK, BLOCK_START for a file, less for a small one */
    bool stream;     /* a pipe: a read asks for no more than the record needs (below) */
    sd_pcapng *ng;   /* a pcapng file: the records come from there */
    /* sd_pcapfile_hand_blocks: where blocks come from and go (get NULL:
     * the one block is reused) */
    uint8_t *(*get)(void *ud, size_t size);
    void (*retire)(void *ud, uint8_t *blk, size_t size);
    void *hand_ud;
};

/* A 32-bit field in the file's byte order ("swap": the opposite of
 * little-endian). Always inlined, a load and a byte swap: GCC kept the
 * byte-assembled form out of line where swap is not a constant (the
 * record header's magic check and time), and its two calls with the
 * registers they made sd_capture_next save were ~30 of the reader's ~530
 * instructions a packet (issue #11). */
static inline __attribute__((always_inline)) uint32_t rd32(const uint8_t *p, bool swap)
{
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint32_t le;
    memcpy(&le, p, sizeof le);
    return swap ? __builtin_bswap32(le) : le;
#else
    uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    uint32_t be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
    return swap ? be : le;
#endif
}

/* A stream that cannot be rewound (rest != NULL) reads on from its first
 * byte through sd_replay: the pcapng reader here, anything else libpcap
 * (*rest). NULL in *rest (and fp closed) when no such stream can be made. */
static FILE *replay(const uint8_t *h, size_t got, FILE *fp)
{
    FILE *r = sd_replay_open(h, got, fp);
    if (!r)
        fclose(fp);
    return r;
}

/* Formats that are not a capture libpcap reads but that people hand to a
 * capture tool (a rotated capture compressed by logrotate, a download
 * zipped, another analyser's format), known by their first bytes: libpcap
 * says only "unknown file format", which does not say what to do. */
static const struct {
    const char *magic;
    size_t len;
    const char *what;
} FOREIGN[] = {
    { "\x1f\x8b", 2, "gzip-compressed: decompress it first (gzip -dc FILE | strider CMD -)" },
    { "\x28\xb5\x2f\xfd", 4, "zstd-compressed: decompress it first (zstd -dc FILE | strider CMD -)" },
    { "\xfd" "7zXZ\x00", 6, "xz-compressed: decompress it first (xz -dc FILE | strider CMD -)" },
    { "BZh", 3, "bzip2-compressed: decompress it first (bzip2 -dc FILE | strider CMD -)" },
    { "\x04\x22\x4d\x18", 4, "lz4-compressed: decompress it first (lz4 -dc FILE | strider CMD -)" },
    { "PK\x03\x04", 4, "a ZIP archive: extract the capture from it first" },
    { "7z\xbc\xaf\x27\x1c", 6, "a 7-Zip archive: extract the capture from it first" },
    { "snoop\x00\x00\x00", 8, "a Solaris snoop capture: convert it to pcap first (editcap -F pcap)" },
    { "GMBU", 4, "a Microsoft Network Monitor capture: convert it to pcap first (editcap -F pcap)" },
};

/* What h (got bytes of the file's start) is when it is a known format
 * other than pcap and pcapng, or NULL. */
static const char *foreign_format(const uint8_t *h, size_t got)
{
    for (size_t i = 0; i < sizeof FOREIGN / sizeof FOREIGN[0]; i++)
        if (got >= FOREIGN[i].len && memcmp(h, FOREIGN[i].magic, FOREIGN[i].len) == 0)
            return FOREIGN[i].what;
    return NULL;
}

/* Reads the file header from fp (taken: closed on failure). iobuf: give
 * the stream a large buffer (regular files; a memory stream needs none).
 * rest: fp is a pipe or another stream that cannot be rewound (above). */
static sd_pcapfile *open_fp(FILE *fp, bool iobuf, FILE **rest, bool *not_pcap, char *err, size_t errlen)
{
    sd_pcapfile *pf = sd_calloc(1, sizeof *pf);
    pf->fp = fp;
    if (iobuf) {
        pf->iobuf = sd_malloc(IOBUF);
        setvbuf(fp, pf->iobuf, _IOFBF, IOBUF); /* before any read, as C requires */
    }
    /* A pipe is read through sd_replay, which asks the descriptor for what
     * is there (read(2)); stdio's own buffer would hide bytes from it */
    if (rest)
        setvbuf(fp, NULL, _IONBF, 0);
    uint8_t h[SD_PCAP_HDR];
    size_t got = fread(h, 1, sizeof h, fp);
    if (got >= 4 && rd32(h, false) == SD_PCAPNG_SHB) {
        if (rest) /* sd_pcapng reads the section header as a block */
            pf->fp = replay(h, got, fp);
        else
            rewind(fp);
        if (!pf->fp) {
            snprintf(err, errlen, "cannot read the stream again from its start");
            sd_pcapfile_close(pf);
            return NULL;
        }
        pf->ng = sd_pcapng_new(pf->fp);
        pf->linktype = -1;
        return pf;
    }
    bool swap = got >= 4 && !sd_pcap_is_magic(rd32(h, false));
    if (got < 4 || !sd_pcap_is_magic(rd32(h, swap))) {
        const char *what = foreign_format(h, got);
        if (what || got == 0) { /* said here: libpcap would say "unknown file format" or "truncated dump file" */
            snprintf(err, errlen, "%s", what ? what : "empty (0 bytes)");
            sd_pcapfile_close(pf);
            return NULL;
        }
        *not_pcap = true;
        if (rest) {
            *rest = replay(h, got, fp);
            pf->fp = NULL; /* taken by *rest, or closed */
            if (!*rest) { /* no one can read it now: not libpcap either */
                *not_pcap = false;
                snprintf(err, errlen, "cannot read the stream again from its start");
            }
        }
        sd_pcapfile_close(pf);
        return NULL;
    }
    uint32_t m = rd32(h, swap);
    uint16_t major = swap ? (uint16_t)(h[4] << 8 | h[5]) : (uint16_t)(h[5] << 8 | h[4]);
    if (got != sizeof h || major != 2) {
        snprintf(err, errlen, got != sizeof h ? "pcap file header cut short"
                                              : "pcap version %u not supported", major);
        sd_pcapfile_close(pf);
        return NULL;
    }
    if (rest) { /* the header is read: nothing to give back, but reads that return what is there */
        pf->fp = replay(h, 0, fp);
        pf->stream = true;
        if (!pf->fp) {
            snprintf(err, errlen, "cannot read the stream");
            sd_pcapfile_close(pf);
            return NULL;
        }
    }
    pf->swap = swap;
    pf->nano = m == SD_PCAP_MAGIC_NS;
    pf->linktype = (int)(rd32(h + 20, swap) & LT_MASK);
    return pf;
}

/* A classic pcap file is read in blocks of its own (refill): stdio's
 * buffer would only copy every byte once more (a read smaller than the
 * block leaves the rest of stdio's buffer to copy at the next one), so the
 * stream is made unbuffered before its first read. The magic is read with
 * pread, which leaves the stream untouched. A pcapng file keeps a buffer:
 * it is read block by block in small reads. */
static bool classic_at_start(FILE *fp)
{
    uint8_t m[4];
    if (pread(fileno(fp), m, sizeof m, 0) != (ssize_t)sizeof m)
        return false;
    if (!sd_pcap_is_magic(rd32(m, false)) && !sd_pcap_is_magic(rd32(m, true)))
        return false;
    setvbuf(fp, NULL, _IONBF, 0);
    return true;
}

sd_pcapfile *sd_pcapfile_open(const char *path, bool *not_pcap, uint64_t *size, FILE **rest, char *err,
                              size_t errlen)
{
    *not_pcap = false;
    *rest = NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        fclose(fp);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) /* a FIFO or a device: read as standard input is */
        return sd_pcapfile_open_stream(fp, not_pcap, rest, err, errlen);
    *size = (uint64_t)st.st_size;
    sd_pcapfile *pf = open_fp(fp, !classic_at_start(fp), NULL, not_pcap, err, errlen);
    if (pf) /* no record is longer than the file */
        pf->blk_size = (size_t)SD_MIN((uint64_t)BLOCK_START, SD_MAX(*size, (uint64_t)SD_PCAP_REC_HDR));
    return pf;
}

sd_pcapfile *sd_pcapfile_open_stream(FILE *fp, bool *not_pcap, FILE **rest, char *err, size_t errlen)
{
    *not_pcap = false;
    *rest = NULL;
    return open_fp(fp, false, rest, not_pcap, err, errlen);
}

sd_pcapfile *sd_pcapfile_open_mem(const uint8_t *buf, size_t len, bool *not_pcap, char *err,
                                  size_t errlen)
{
    *not_pcap = false;
    FILE *fp = len ? fmemopen((void *)(uintptr_t)buf, len, "rb") : NULL;
    if (!fp) {
        *not_pcap = true; /* nothing to read: let the caller say so */
        return NULL;
    }
    sd_pcapfile *pf = open_fp(fp, false, NULL, not_pcap, err, errlen);
    if (pf)
        pf->blk_size = SD_MIN((size_t)BLOCK, len); /* no record is longer than the file */
    return pf;
}

int sd_pcapfile_linktype(const sd_pcapfile *pf)
{
    return pf->linktype;
}

bool sd_pcapfile_is_pcapng(const sd_pcapfile *pf)
{
    return pf->ng != NULL;
}

uint64_t sd_pcapfile_unknown_blocks(const sd_pcapfile *pf, char *buf, size_t len)
{
    if (len)
        buf[0] = '\0';
    return pf->ng && len ? sd_pcapng_unknown(pf->ng, buf, len) : 0;
}

uint64_t sd_pcapfile_spb(const sd_pcapfile *pf, uint64_t *untimed, uint64_t *early)
{
    *untimed = *early = 0;
    return pf->ng ? sd_pcapng_spb(pf->ng, untimed, early) : 0;
}

FILE *sd_pcapfile_fp(const sd_pcapfile *pf)
{
    return pf->fp;
}

/* At least n bytes (n <= BLOCK) from pos on in the block, unless the file
 * ends first: the bytes left are moved to the front and the rest of the
 * block is filled. Returns the bytes available from pos. */
static size_t refill(sd_pcapfile *pf, size_t n)
{
    if (pf->get) { /* handed on: the bytes left go to the front of a new block */
        size_t cap = SD_MAX(n, pf->blk_size ? pf->blk_size : BLOCK);
        uint8_t *nb = pf->get(pf->hand_ud, cap);
        if (pf->blk) {
            memcpy(nb, pf->blk + pf->pos, pf->end - pf->pos);
            pf->retire(pf->hand_ud, pf->blk, pf->cap);
        }
        pf->blk = nb;
        pf->cap = cap;
    } else {
        if (!pf->blk || n > pf->cap) { /* n > cap: a record larger than a small memory file's block */
            pf->cap = SD_MAX(n, pf->blk_size ? pf->blk_size : BLOCK);
            pf->blk = sd_realloc(pf->blk, pf->cap);
        }
        memmove(pf->blk, pf->blk + pf->pos, pf->end - pf->pos);
    }
    pf->end -= pf->pos;
    pf->pos = 0;
    while (pf->end < n) {
        /* fread waits for all it asks: on a pipe that stays open (a live
         * tcpdump -w -), asking for a whole block would hold records back
         * until 2 MiB came; there only what this record needs */
        size_t want = pf->stream ? n - pf->end : pf->cap - pf->end;
        size_t got = fread(pf->blk + pf->end, 1, want, pf->fp);
        if (got == 0)
            break; /* end of file or a read error: the caller sees too few bytes */
        pf->end += got;
    }
    return pf->end;
}

/* Asked twice per record: the test inline, the refill (once per block) not. */
static inline size_t have(sd_pcapfile *pf, size_t n)
{
    return pf->end - pf->pos >= n ? pf->end - pf->pos : refill(pf, n);
}

bool sd_pcapfile_next_plain(sd_pcapfile *pf, sd_pcaprec *r)
{
    size_t left = pf->end - pf->pos;
    if (pf->ng || left < SD_PCAP_REC_HDR)
        return false;
    const uint8_t *h = pf->blk + pf->pos;
    uint32_t frac = rd32(h + 4, pf->swap), cl = rd32(h + 8, pf->swap), wl = rd32(h + 12, pf->swap);
    if (cl > SD_PCAP_MAX_RECORD || cl > left - SD_PCAP_REC_HDR || wl < cl || sd_pcap_is_magic(rd32(h, false)) ||
        sd_pcap_is_magic(rd32(h, true)) ||
        frac >= (pf->nano ? SD_NS_PER_SEC : SD_NS_PER_SEC / 1000))
        return false;
    *r = (sd_pcaprec){ .sec = rd32(h, pf->swap), .nsec = pf->nano ? frac : frac * 1000, .caplen = cl,
                       .wirelen = wl, .wire_said = wl, .linktype = pf->linktype, .data = h + SD_PCAP_REC_HDR };
    pf->pos += SD_PCAP_REC_HDR + cl;
    return true;
}

/* A file header of its own where a record's should be: two captures put
 * end to end (`cat a.pcap b.pcap`, a rotated file appended to). Read as a
 * record, its magic is a time and its fields a record of nothing, and the
 * next header read from the middle of it ended the file. The new header's
 * byte order, time unit and link type hold from here on; the caller says
 * it (SD_PCAP_SKIPPED). A record dated as a magic would be from 2055 on. */
static bool second_header(sd_pcapfile *pf, char *err, size_t errlen)
{
    const uint8_t *h = pf->blk + pf->pos;
    bool swap = !sd_pcap_is_magic(rd32(h, false));
    if (!sd_pcap_is_magic(rd32(h, swap)))
        return false;
    if (have(pf, SD_PCAP_HDR) < SD_PCAP_HDR)
        return false;
    h = pf->blk + pf->pos; /* have() may have moved the block */
    uint16_t major = swap ? (uint16_t)(h[4] << 8 | h[5]) : (uint16_t)(h[5] << 8 | h[4]);
    if (major != 2)
        return false;
    pf->swap = swap;
    pf->nano = rd32(h, swap) == SD_PCAP_MAGIC_NS;
    pf->linktype = (int)(rd32(h + 20, swap) & LT_MASK);
    pf->pos += SD_PCAP_HDR;
    snprintf(err, errlen, "a pcap file header where a record's should be (files put end to end): "
             "read on with its link type %d, %s", pf->linktype, pf->nano ? "nanoseconds" : "microseconds");
    return true;
}

int sd_pcapfile_next(sd_pcapfile *pf, sd_pcaprec *r, char *err, size_t errlen)
{
    if (pf->ng)
        return sd_pcapng_next(pf->ng, r, err, errlen);
    size_t got = have(pf, SD_PCAP_REC_HDR);
    if (got == 0 && feof(pf->fp))
        return 0;
    if (got < SD_PCAP_REC_HDR) {
        snprintf(err, errlen, "record header cut short (%zu of 16 bytes)", got);
        return -1;
    }
    if (second_header(pf, err, errlen))
        return SD_PCAP_SKIPPED;
    const uint8_t *h = pf->blk + pf->pos;
    uint32_t sec = rd32(h, pf->swap), frac = rd32(h + 4, pf->swap);
    uint32_t cl = rd32(h + 8, pf->swap), wl = rd32(h + 12, pf->swap);
    if (cl > SD_PCAP_MAX_RECORD) {
        snprintf(err, errlen, "record length %u is not plausible (limit %u)", cl, SD_PCAP_MAX_RECORD);
        return -1;
    }
    got = have(pf, SD_PCAP_REC_HDR + cl) - SD_PCAP_REC_HDR; /* the header stays: have() moves it along */
    if (got < cl) {
        snprintf(err, errlen, "record cut short (%zu of %u bytes)", got, cl);
        return -1;
    }
    r->data = pf->blk + pf->pos + SD_PCAP_REC_HDR; /* never NULL, even for an empty record */
    pf->pos += SD_PCAP_REC_HDR + cl;
    /* A fraction of a second that is not one (a bad writer, a forged
     * record) is dropped: the record keeps its whole second, wrong by under
     * a second. Carrying it into the seconds moved the packet up to 4,294 s
     * among its neighbours (tcpflow bug8.pcap's first frame: 8 s after the
     * next one, so the time went back); libpcap's and Wireshark's 32-bit
     * product wraps it to an arbitrary fraction. Said by the caller. */
    uint64_t ns = pf->nano ? frac : (uint64_t)frac * 1000;
    r->sec = sec;
    r->nsec = ns < SD_NS_PER_SEC ? (uint32_t)ns : 0;
    r->frac_bad = ns < SD_NS_PER_SEC ? 0 : ns;
    r->caplen = cl;
    r->wirelen = wl < cl ? cl : wl;
    r->wire_said = wl;
    r->linktype = pf->linktype;
    r->iface = 0;
    return 1;
}

bool sd_pcapfile_hand_blocks(sd_pcapfile *pf, uint8_t *(*get)(void *ud, size_t size),
                             void (*retire)(void *ud, uint8_t *blk, size_t size), void *ud)
{
    if (pf->ng || pf->stream)
        return false;
    pf->get = get;
    pf->retire = retire;
    pf->hand_ud = ud;
    return true;
}

void sd_pcapfile_ended(sd_pcapfile *pf)
{
    if (pf->get && pf->blk) /* its last records may still be in use */
        pf->retire(pf->hand_ud, pf->blk, pf->cap);
    else
        free(pf->blk);
    pf->blk = NULL;
    pf->cap = pf->pos = pf->end = 0;
}

void sd_pcapfile_close(sd_pcapfile *pf)
{
    if (!pf)
        return;
    if (pf->fp)
        fclose(pf->fp);
    sd_pcapng_free(pf->ng);
    free(pf->blk);
    free(pf->iobuf);
    free(pf);
}
