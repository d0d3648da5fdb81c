/* sd_pcapng: pcapng blocks to records (see sd_pcapng.h). Block layout
 * from draft-ietf-opsawg-pcapng §3-§4: type, total length, body, total
 * length again; all 32-bit values in the byte order of the section's
 * header block. */
#include "sd_pcapng.h"

#include <stdlib.h>
#include <string.h>

#define OPT_END 0
#define IF_TSRESOL 9  /* §4.2: one byte, 10^-n or (MSB set) 2^-n seconds */
#define IF_TSOFFSET 14 /* §4.2: signed seconds added to every timestamp */
#define IDB_MIN 8     /* link type, reserved, snap length */
/* Decimal resolutions up to 10^-19 fit a 64-bit count per second. */
#define MAX_DEC_RESOL 19
/* Binary resolutions: 2^-63 is the finest a 64-bit count can carry. */
#define MAX_BIN_RESOL 63

/* Block types the format's registry defines that carry nothing strider
 * reads (name resolution, interface statistics, IRIG/ARINC, systemd
 * journal, decryption secrets, Hone, Sysdig, custom), as ranges: passed
 * over without a word. Any other type is unknown, so counted by type and
 * said once at the end. */
static const uint32_t NG_UNREAD[][2] = { { 4, 5 }, { 7, 0xA }, { 0x101, 0x108 }, { 0x201, 0x213 },
                                          { 0xBAD, 0xBAD }, { 0x40000BAD, 0x40000BAD } };
/* Distinct unknown types listed by name at the end; more are summed as
 * "other" (a file could hold thousands of made-up types). */
#define NG_UNKNOWN_TYPES 8

typedef struct ng_unknown {
    uint32_t type;
    uint64_t n;
} ng_unknown;

typedef struct ng_iface {
    bool unusable;   /* its description was bad: its packets are skipped */
    int linktype;
    uint32_t snaplen;
    bool binary;     /* resolution 2^-exp, else 10^-exp */
    unsigned exp;
    int64_t offset;  /* if_tsoffset, seconds */
} ng_iface;

/* Simple packet blocks before any packet with a time are held (copied)
 * until the first timed packet after them dates them: at most this many
 * blocks and bytes (a capture starts with a few at most; tshark dates them
 * 1970). Past either, or when anything else comes first (a block said
 * skipped, a framing error, the end of the file), they go out in their
 * order dated 0, as before. */
#define NG_SPB_HOLD 64
#define NG_SPB_HOLD_BYTES (1u << 20)

typedef struct ng_held {
    sd_pcaprec r;
    uint8_t *copy;   /* r.data */
} ng_held;

/* What comes after the held blocks are served: a record (the one that
 * ended the hold, still in buf: nothing is read meanwhile), or another
 * return code with its message. */
enum { NG_PEND_NONE = 2 };

struct sd_pcapng {
    FILE *fp;
    bool swap;        /* the section is big-endian */
    bool started;     /* a section header was read */
    uint64_t off;     /* file offset of the next block */
    uint64_t block_off;
    uint8_t *buf;
    size_t cap;
    ng_iface *ifs;    /* every section's interfaces, in order */
    uint32_t nifs, base; /* base: the current section's first */
    ng_unknown unknown[NG_UNKNOWN_TYPES]; /* blocks of unknown type, by type */
    unsigned nunknown;
    uint64_t unknown_other, unknown_all; /* past the table; all of them */
    int64_t last_sec;  /* the time of the last packet read with one (any section) */
    uint32_t last_nsec;
    bool timed;        /* a packet with a time has been read */
    uint64_t spb_n, spb_untimed; /* simple packet blocks read; those dated 0 (no timed packet before) */
    uint64_t spb_early;          /* those dated at the first timed packet after them */
    ng_held held[NG_SPB_HOLD];
    unsigned nheld, served;
    size_t held_bytes;
    bool hold_off;               /* a cap was reached: no more holding in this file */
    int64_t held_sec;            /* the time the held blocks are served with */
    uint32_t held_nsec;
    int pend_rc;                 /* NG_PEND_NONE, or what follows the held blocks */
    sd_pcaprec pend_r;
    char pend_err[256];
};

static uint32_t rd32(const sd_pcapng *ng, const uint8_t *p)
{
    if (ng->swap)
        return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
    return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

static uint16_t rd16(const sd_pcapng *ng, const uint8_t *p)
{
    return ng->swap ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

static uint64_t rd64(const sd_pcapng *ng, const uint8_t *p)
{
    uint64_t a = rd32(ng, p), b = rd32(ng, p + 4);
    return ng->swap ? a << 32 | b : b << 32 | a;
}

sd_pcapng *sd_pcapng_new(FILE *fp)
{
    sd_pcapng *ng = sd_calloc(1, sizeof *ng);
    ng->fp = fp;
    ng->pend_rc = NG_PEND_NONE;
    return ng;
}

static void held_free(sd_pcapng *ng)
{
    for (unsigned i = 0; i < ng->nheld; i++)
        free(ng->held[i].copy);
    ng->nheld = ng->served = 0;
    ng->held_bytes = 0;
}

void sd_pcapng_free(sd_pcapng *ng)
{
    if (!ng)
        return;
    held_free(ng);
    free(ng->buf);
    free(ng->ifs);
    free(ng);
}

uint32_t sd_pcapng_ifaces(const sd_pcapng *ng)
{
    return ng->nifs;
}

static int fail(const sd_pcapng *ng, char *err, size_t errlen, const char *what, uint32_t type)
{
    snprintf(err, errlen, "pcapng block type 0x%x at offset %llu: %s", type,
             (unsigned long long)ng->block_off, what);
    return -1;
}

/* A block whose framing holds (both lengths agree) but whose content does
 * not: only that block is lost, as the next one starts where its length
 * says. Ending the file here would let one bad block hide every packet
 * after it. */
static int skip(const sd_pcapng *ng, char *err, size_t errlen, const char *what, uint32_t type)
{
    fail(ng, err, errlen, what, type);
    return SD_PCAP_SKIPPED;
}

static bool read_n(sd_pcapng *ng, void *p, size_t n)
{
    size_t got = fread(p, 1, n, ng->fp);
    ng->off += got;
    return got == n;
}

/* Reads one whole block into ng->buf: 1 (type, body and its length set),
 * 0 at a clean end of file, -1 on a length that does not hold. A section
 * header sets the byte order from its byte-order magic first. */
static int read_block(sd_pcapng *ng, uint32_t *type, uint32_t *blen, char *err, size_t errlen)
{
    uint8_t h[12];
    ng->block_off = ng->off;
    size_t got = fread(h, 1, 8, ng->fp);
    ng->off += got;
    if (got == 0 && feof(ng->fp))
        return 0;
    if (got != 8)
        return fail(ng, err, errlen, "block header cut short", 0);
    bool shb = h[0] == 0x0A && h[1] == 0x0D && h[2] == 0x0D && h[3] == 0x0A;
    if (!shb && !ng->started)
        return fail(ng, err, errlen, "the file does not start with a section header", rd32(ng, h));
    if (shb) { /* the byte-order magic decides how the lengths read */
        if (!read_n(ng, h + 8, 4))
            return fail(ng, err, errlen, "section header cut short", SD_PCAPNG_SHB);
        int order = sd_pcapng_order(h + 8);
        if (order < 0)
            return fail(ng, err, errlen, "bad byte-order magic", SD_PCAPNG_SHB);
        ng->swap = order;
    }
    *type = rd32(ng, h);
    uint32_t total = rd32(ng, h + 4), have = shb ? 12 : 8;
    if (total < 12 + (shb ? SD_PCAPNG_SHB_MIN : 0) || total % 4 != 0 || total > SD_PCAPNG_MAX_BLOCK) {
        char m[96];
        snprintf(m, sizeof m, "total length %u impossible (a multiple of 4, 12 to %u)", total,
                 SD_PCAPNG_MAX_BLOCK);
        return fail(ng, err, errlen, m, *type);
    }
    if (total > ng->cap) {
        ng->cap = total < 65536 ? 65536 : total;
        ng->buf = sd_realloc(ng->buf, ng->cap);
    }
    memcpy(ng->buf, h, have);
    if (!read_n(ng, ng->buf + have, total - have))
        return fail(ng, err, errlen, "block cut short (end of file)", *type);
    if (rd32(ng, ng->buf + total - 4) != total) {
        char m[96];
        snprintf(m, sizeof m, "total length %u at the start, %u at the end", total,
                 rd32(ng, ng->buf + total - 4));
        return fail(ng, err, errlen, m, *type);
    }
    *blen = total - 12;
    return 1;
}

/* Walks options (code, length, value padded to 4) in p[0..len): false
 * when one runs past the block. With ifc, keeps the interface's time
 * resolution and offset. Comments and the other options are not used. */
static bool walk_opts(const sd_pcapng *ng, const uint8_t *p, size_t len, ng_iface *ifc)
{
    size_t at = 0;
    while (at + 4 <= len) {
        uint16_t code = rd16(ng, p + at), vlen = rd16(ng, p + at + 2);
        at += 4;
        if (code == OPT_END)
            return true;
        if (vlen > len - at)
            return false;
        const uint8_t *v = p + at;
        if (ifc && code == IF_TSRESOL && vlen >= 1) {
            ifc->binary = (v[0] & 0x80) != 0;
            ifc->exp = v[0] & 0x7fu;
        } else if (ifc && code == IF_TSOFFSET && vlen >= 8) {
            ifc->offset = (int64_t)rd64(ng, v);
        }
        at += ((size_t)vlen + 3) & ~(size_t)3;
        if (at > len)
            return false;
    }
    return true; /* options may stop at the block's end with no end-of-options */
}

static int read_shb(sd_pcapng *ng, uint32_t blen, char *err, size_t errlen)
{
    const uint8_t *b = ng->buf + 8;
    uint16_t major = rd16(ng, b + 4);
    if (major != 1) {
        char m[64];
        snprintf(m, sizeof m, "pcapng version %u not supported", major);
        return fail(ng, err, errlen, m, SD_PCAPNG_SHB);
    }
    if (!walk_opts(ng, b + SD_PCAPNG_SHB_MIN, blen - SD_PCAPNG_SHB_MIN, NULL))
        return fail(ng, err, errlen, "section header options overrun the block", SD_PCAPNG_SHB);
    ng->started = true;
    ng->base = ng->nifs; /* interface ids start again in every section */
    return 0;
}

/* Adds an interface; one whose description is bad is kept as unusable, so
 * that the ids of the interfaces after it still name the right ones. */
static void add_iface(sd_pcapng *ng, const ng_iface *ifc)
{
    if ((ng->nifs & (ng->nifs - 1)) == 0) /* grow at powers of two */
        ng->ifs = sd_reallocarray(ng->ifs, ng->nifs ? 2u * ng->nifs : 4u, sizeof *ng->ifs);
    ng->ifs[ng->nifs++] = *ifc;
}

static int read_idb(sd_pcapng *ng, uint32_t blen, char *err, size_t errlen)
{
    const uint8_t *b = ng->buf + 8;
    if (ng->nifs >= SD_PCAPNG_MAX_IFACES)
        return skip(ng, err, errlen, "more than 65536 interfaces: this one is not kept", SD_PCAPNG_IDB);
    ng_iface bad = { .unusable = true, .linktype = -1 };
    if (blen < IDB_MIN) {
        add_iface(ng, &bad);
        return skip(ng, err, errlen, "interface description shorter than 8 bytes", SD_PCAPNG_IDB);
    }
    ng_iface ifc = { .linktype = rd16(ng, b), .snaplen = rd32(ng, b + 4), .exp = 6 };
    bool opts_ok = walk_opts(ng, b + IDB_MIN, blen - IDB_MIN, &ifc);
    if (ifc.exp > (ifc.binary ? MAX_BIN_RESOL : MAX_DEC_RESOL)) {
        char m[64];
        snprintf(m, sizeof m, "time resolution %s-%u not usable", ifc.binary ? "2^" : "10^", ifc.exp);
        add_iface(ng, &bad);
        return skip(ng, err, errlen, m, SD_PCAPNG_IDB);
    }
    add_iface(ng, &ifc);
    /* the link type is known: its packets are read, with the options before the bad one */
    if (!opts_ok)
        return skip(ng, err, errlen, "interface options overrun the block: the ones before kept", SD_PCAPNG_IDB);
    return 0;
}

static uint64_t pow10u(unsigned e)
{
    uint64_t v = 1;
    while (e--)
        v *= 10;
    return v;
}

/* A count of 10^-exp or 2^-exp units, plus the interface's offset, as
 * seconds and nanoseconds; seconds saturate rather than wrap. */
static void to_time(const ng_iface *ifc, uint64_t units, sd_pcaprec *r)
{
    uint64_t sec, frac, ns;
    if (ifc->binary) {
        unsigned e = ifc->exp;
        sec = e ? units >> e : units;
        frac = e ? units & ((UINT64_C(1) << e) - 1) : 0;
        if (e > 32) { /* keep frac * 10^9 within 64 bits */
            frac >>= e - 32;
            e = 32;
        }
        ns = (frac * SD_NS_PER_SEC) >> e;
    } else {
        uint64_t per = pow10u(ifc->exp);
        sec = units / per;
        frac = units % per;
        ns = ifc->exp <= 9 ? frac * pow10u(9 - ifc->exp) : frac / pow10u(ifc->exp - 9);
    }
    int64_t s = sec > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)sec;
    if (__builtin_add_overflow(s, ifc->offset, &r->sec))
        r->sec = ifc->offset < 0 ? INT64_MIN : INT64_MAX;
    r->nsec = (uint32_t)ns;
}

static const ng_iface *iface_of(sd_pcapng *ng, uint32_t id, sd_pcaprec *r)
{
    if (id >= ng->nifs - ng->base)
        return NULL;
    r->iface = ng->base + id;
    r->linktype = ng->ifs[r->iface].linktype;
    return &ng->ifs[r->iface];
}

/* Enhanced (EPB) and obsolete (PB) packet blocks: the same fields, the
 * interface id 32 bits wide in one and 16 in the other. */
static int read_epb(sd_pcapng *ng, uint32_t type, uint32_t blen, sd_pcaprec *r, char *err, size_t errlen)
{
    const uint8_t *b = ng->buf + 8;
    if (blen < SD_PCAPNG_EPB_MIN)
        return skip(ng, err, errlen, "packet block shorter than its 20-byte header: skipped", type);
    uint32_t id = type == SD_PCAPNG_PB ? rd16(ng, b) : rd32(ng, b);
    const ng_iface *ifc = iface_of(ng, id, r);
    if (!ifc || ifc->unusable) {
        char m[96];
        if (ifc)
            snprintf(m, sizeof m, "interface %u's description was unusable: packet skipped", id);
        else
            snprintf(m, sizeof m, "interface %u not described in this section (%u are): packet skipped", id,
                     ng->nifs - ng->base);
        return skip(ng, err, errlen, m, type);
    }
    uint32_t cl = rd32(ng, b + 12), wl = rd32(ng, b + 16);
    if (cl > blen - SD_PCAPNG_EPB_MIN || ((cl + 3u) & ~3u) > blen - SD_PCAPNG_EPB_MIN) {
        char m[96];
        snprintf(m, sizeof m, "captured length %u overruns the block (%u bytes): packet skipped", cl,
                 blen - SD_PCAPNG_EPB_MIN);
        return skip(ng, err, errlen, m, type);
    }
    if (cl > SD_PCAP_MAX_RECORD)
        return skip(ng, err, errlen, "record longer than 1 MiB: packet skipped", type);
    size_t optat = SD_PCAPNG_EPB_MIN + (((size_t)cl + 3) & ~(size_t)3);
    if (!walk_opts(ng, b + optat, blen - optat, NULL))
        return skip(ng, err, errlen, "packet options overrun the block: packet skipped", type);
    to_time(ifc, (uint64_t)rd32(ng, b + 4) << 32 | rd32(ng, b + 8), r);
    ng->last_sec = r->sec;
    ng->last_nsec = r->nsec;
    ng->timed = true;
    r->caplen = cl;
    r->wirelen = wl < cl ? cl : wl;
    r->wire_said = wl;
    r->data = b + SD_PCAPNG_EPB_MIN;
    return 1;
}

/* Simple packet block: interface 0, no time (§4.4), captured length from
 * the block. Dated at the packet before it in the file: tshark leaves it
 * at 0 (1970), which put a connection's durations, rates and the
 * capture's span at 53 years and its order back in time; the one before
 * is the latest time the capture vouches for. One before any timed packet
 * keeps 0. Both counted (sd_pcapng_spb). */
static int read_spb(sd_pcapng *ng, uint32_t blen, sd_pcaprec *r, char *err, size_t errlen)
{
    const uint8_t *b = ng->buf + 8;
    const ng_iface *ifc = iface_of(ng, 0, r);
    if (!ifc || ifc->unusable)
        return skip(ng, err, errlen, "simple packet block with no usable interface: skipped", SD_PCAPNG_SPB);
    if (blen < SD_PCAPNG_SPB_MIN)
        return skip(ng, err, errlen, "simple packet block shorter than 4 bytes: skipped", SD_PCAPNG_SPB);
    uint32_t wl = rd32(ng, b), cl = blen - SD_PCAPNG_SPB_MIN;
    if (wl < cl)
        cl = wl; /* the rest is padding */
    if (ifc->snaplen && cl > ifc->snaplen)
        cl = ifc->snaplen;
    if (cl > SD_PCAP_MAX_RECORD)
        return skip(ng, err, errlen, "record longer than 1 MiB: packet skipped", SD_PCAPNG_SPB);
    r->sec = ng->timed ? ng->last_sec : 0;
    r->nsec = ng->timed ? ng->last_nsec : 0;
    ng->spb_n++;
    r->caplen = cl;
    r->wirelen = wl < cl ? cl : wl;
    r->wire_said = wl;
    r->data = b + SD_PCAPNG_SPB_MIN;
    return 1;
}

static void count_unknown(sd_pcapng *ng, uint32_t type)
{
    for (size_t i = 0; i < sizeof NG_UNREAD / sizeof NG_UNREAD[0]; i++)
        if (type >= NG_UNREAD[i][0] && type <= NG_UNREAD[i][1])
            return;
    ng->unknown_all++;
    for (unsigned i = 0; i < ng->nunknown; i++)
        if (ng->unknown[i].type == type) {
            ng->unknown[i].n++;
            return;
        }
    if (ng->nunknown < NG_UNKNOWN_TYPES)
        ng->unknown[ng->nunknown++] = (ng_unknown){ .type = type, .n = 1 };
    else
        ng->unknown_other++;
}

uint64_t sd_pcapng_unknown(const sd_pcapng *ng, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i <= ng->nunknown && at < len; i++) {
        int n;
        if (i < ng->nunknown)
            n = snprintf(buf + at, len - at, "%s0x%x %llu", i ? ", " : "", ng->unknown[i].type,
                         (unsigned long long)ng->unknown[i].n);
        else if (ng->unknown_other)
            n = snprintf(buf + at, len - at, ", %llu of other types", (unsigned long long)ng->unknown_other);
        else
            break;
        at += n > 0 ? (size_t)n : 0;
    }
    return ng->unknown_all;
}

uint64_t sd_pcapng_spb(const sd_pcapng *ng, uint64_t *untimed, uint64_t *early)
{
    *untimed = ng->spb_untimed;
    *early = ng->spb_early;
    return ng->spb_n;
}

/* A simple packet block read before any timed packet: held (copied), or
 * false past the caps. */
static bool hold(sd_pcapng *ng, const sd_pcaprec *r)
{
    if (ng->hold_off || ng->nheld == NG_SPB_HOLD || r->caplen > NG_SPB_HOLD_BYTES - ng->held_bytes) {
        ng->hold_off = true;
        return false;
    }
    ng_held *h = &ng->held[ng->nheld++];
    h->r = *r;
    h->copy = sd_malloc(r->caplen ? r->caplen : 1);
    memcpy(h->copy, r->data, r->caplen);
    h->r.data = h->copy;
    ng->held_bytes += r->caplen;
    return true;
}

/* The held blocks go out first, dated sec.nsec (0: no timed packet came),
 * then what ended the hold: rc with *r or err. */
static void serve_held(sd_pcapng *ng, int rc, const sd_pcaprec *r, const char *err, int64_t sec, uint32_t nsec)
{
    ng->pend_rc = rc;
    if (rc == 1)
        ng->pend_r = *r;
    else if (err)
        snprintf(ng->pend_err, sizeof ng->pend_err, "%s", err);
    ng->held_sec = sec;
    ng->held_nsec = nsec;
    if (sec || nsec)
        ng->spb_early += ng->nheld;
    else
        ng->spb_untimed += ng->nheld;
}

/* The next held block, or what came after them. */
static int next_held(sd_pcapng *ng, sd_pcaprec *r, char *err, size_t errlen)
{
    if (ng->served < ng->nheld) {
        *r = ng->held[ng->served++].r;
        r->sec = ng->held_sec;
        r->nsec = ng->held_nsec;
        return 1;
    }
    held_free(ng);
    int rc = ng->pend_rc;
    ng->pend_rc = NG_PEND_NONE;
    if (rc == 1)
        *r = ng->pend_r;
    else if (rc != 0)
        snprintf(err, errlen, "%s", ng->pend_err);
    return rc;
}

int sd_pcapng_next(sd_pcapng *ng, sd_pcaprec *r, char *err, size_t errlen)
{
    if (ng->nheld && ng->pend_rc != NG_PEND_NONE)
        return next_held(ng, r, err, errlen);
    for (;;) {
        uint32_t type, blen;
        int rc = read_block(ng, &type, &blen, err, errlen);
        if (rc <= 0) {
            if (!ng->nheld)
                return rc;
            serve_held(ng, rc, NULL, err, 0, 0); /* the end, or a framing error: the held blocks first, at 0 */
            return next_held(ng, r, err, errlen);
        }
        memset(r, 0, sizeof *r);
        switch (type) {
        case SD_PCAPNG_SHB: rc = read_shb(ng, blen, err, errlen); break;
        case SD_PCAPNG_IDB: rc = read_idb(ng, blen, err, errlen); break;
        case SD_PCAPNG_EPB:
        case SD_PCAPNG_PB: rc = read_epb(ng, type, blen, r, err, errlen); break;
        case SD_PCAPNG_SPB: rc = read_spb(ng, blen, r, err, errlen); break;
        default: count_unknown(ng, type); rc = 0; break;
        }
        if (rc == 0)
            continue;
        bool untimed_spb = rc == 1 && type == SD_PCAPNG_SPB && !ng->timed;
        if (untimed_spb && hold(ng, r))
            continue;
        if (!ng->nheld) {
            ng->spb_untimed += untimed_spb;
            return rc;
        }
        /* a timed packet dates the held blocks; anything else (a block
         * past the caps, a skipped one) sends them out at 0 first */
        bool dated = rc == 1 && ng->timed;
        ng->spb_untimed += untimed_spb;
        serve_held(ng, rc, r, err, dated ? r->sec : 0, dated ? r->nsec : 0);
        return next_held(ng, r, err, errlen);
    }
}
