#include "sd_pcapfile.h"

#include "sd_pcapng.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAGIC_US 0xa1b2c3d4u
#define MAGIC_NS 0xa1b23c4du
#define LT_MASK 0x03ffffffu /* upper bits carry FCS length flags (pcap spec §4) */
#define IOBUF (1u << 20)

struct sd_pcapfile {
    FILE *fp;
    char *iobuf;
    bool swap, nano;
    int linktype;
    uint8_t *buf;
    size_t cap;
    sd_pcapng *ng;   /* a pcapng file: the records come from there */
};

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    uint32_t be = (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
    /* "swap" means the file's order is the opposite of little-endian here */
    return swap ? be : le;
}

static bool is_magic(uint32_t m)
{
    return m == MAGIC_US || m == MAGIC_NS;
}

/* Reads the file header from fp (taken: closed on failure). iobuf: give
 * the stream a large buffer (regular files; a memory stream needs none). */
static sd_pcapfile *open_fp(FILE *fp, bool iobuf, bool *not_pcap, char *err, size_t errlen)
{
    sd_pcapfile *pf = sd_calloc(1, sizeof *pf);
    pf->fp = fp;
    if (iobuf) {
        pf->iobuf = sd_malloc(IOBUF);
        setvbuf(fp, pf->iobuf, _IOFBF, IOBUF); /* before any read, as C requires */
    }
    uint8_t h[24];
    size_t got = fread(h, 1, sizeof h, fp);
    if (got >= 4 && rd32(h, false) == SD_PCAPNG_SHB) {
        rewind(fp); /* sd_pcapng reads the section header as a block */
        pf->ng = sd_pcapng_new(fp);
        pf->linktype = -1;
        return pf;
    }
    bool swap = got >= 4 && !is_magic(rd32(h, false));
    if (got < 4 || !is_magic(rd32(h, swap))) {
        *not_pcap = true;
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
    pf->swap = swap;
    pf->nano = m == MAGIC_NS;
    pf->linktype = (int)(rd32(h + 20, swap) & LT_MASK);
    return pf;
}

sd_pcapfile *sd_pcapfile_open(const char *path, bool *not_pcap, uint64_t *size, char *err,
                              size_t errlen)
{
    *not_pcap = false;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        *not_pcap = true; /* a pipe or device: libpcap reads those */
        return NULL;
    }
    *size = (uint64_t)st.st_size;
    return open_fp(fp, true, not_pcap, err, errlen);
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
    return open_fp(fp, false, not_pcap, err, errlen);
}

int sd_pcapfile_linktype(const sd_pcapfile *pf)
{
    return pf->linktype;
}

bool sd_pcapfile_is_pcapng(const sd_pcapfile *pf)
{
    return pf->ng != NULL;
}

FILE *sd_pcapfile_fp(const sd_pcapfile *pf)
{
    return pf->fp;
}

int sd_pcapfile_next(sd_pcapfile *pf, sd_pcaprec *r, char *err, size_t errlen)
{
    if (pf->ng)
        return sd_pcapng_next(pf->ng, r, err, errlen);
    uint8_t h[16];
    size_t got = fread(h, 1, sizeof h, pf->fp);
    if (got == 0 && feof(pf->fp))
        return 0;
    if (got != sizeof h) {
        snprintf(err, errlen, "record header cut short (%zu of 16 bytes)", got);
        return -1;
    }
    uint32_t sec = rd32(h, pf->swap), frac = rd32(h + 4, pf->swap);
    uint32_t cl = rd32(h + 8, pf->swap), wl = rd32(h + 12, pf->swap);
    if (cl > SD_PCAP_MAX_RECORD) {
        snprintf(err, errlen, "record length %u is not plausible (limit %u)", cl, SD_PCAP_MAX_RECORD);
        return -1;
    }
    if (cl > pf->cap || !pf->buf) { /* never NULL data, even for an empty first record */
        pf->cap = cl < 65536 ? 65536 : cl;
        pf->buf = sd_realloc(pf->buf, pf->cap);
    }
    got = fread(pf->buf, 1, cl, pf->fp);
    if (got != cl) {
        snprintf(err, errlen, "record cut short (%zu of %u bytes)", got, cl);
        return -1;
    }
    /* a fraction past one second (a bad writer) carries into the seconds */
    uint64_t ns = pf->nano ? frac : (uint64_t)frac * 1000;
    r->sec = (int64_t)sec + (int64_t)(ns / SD_NS_PER_SEC);
    r->nsec = (uint32_t)(ns % SD_NS_PER_SEC);
    r->caplen = cl;
    r->wirelen = wl < cl ? cl : wl;
    r->linktype = pf->linktype;
    r->iface = 0;
    r->data = pf->buf;
    return 1;
}

void sd_pcapfile_close(sd_pcapfile *pf)
{
    if (!pf)
        return;
    fclose(pf->fp);
    sd_pcapng_free(pf->ng);
    free(pf->buf);
    free(pf->iobuf);
    free(pf);
}
