/* sd_reccount: records of a capture file by their headers (see sd_reccount.h). */
#include "sd_reccount.h"

#include "sd_pcapfile.h"
#include "sd_pcapng.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Each record's header says where the next one is, so a walk over a file
 * is a chain of loads, each a wait for memory without help (1.09 M records
 * of 257 MB took 0.09 s, for 61 M instructions). The walk goes only
 * forward: the cache lines this far ahead are asked for before they are
 * needed (the mapping is populated, or a prefetch into a page not yet
 * mapped would be dropped). */
#define RECCOUNT_AHEAD 8192u
#define CACHE_LINE 64u

static inline void prefetch_ahead(const uint8_t *p, size_t len, size_t at, size_t *pf)
{
    size_t to = len - at > RECCOUNT_AHEAD ? at + RECCOUNT_AHEAD : len;
    for (; *pf < to; *pf += CACHE_LINE)
        __builtin_prefetch(p + *pf);
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return swap ? __builtin_bswap32(v) : v;
}

/* Classic pcap mapped at p (len bytes, the header checked): the records
 * sd_pcapfile_next gives, up to the first it refuses (cut short, or a
 * length past SD_PCAP_MAX_RECORD: it ends the file there). */
static uint64_t pcap_records(const uint8_t *p, size_t len, bool swap)
{
    uint64_t n = 0;
    size_t pf = 0;
    for (size_t at = SD_PCAP_HDR; len - at >= SD_PCAP_REC_HDR; n++) {
        prefetch_ahead(p, len, at, &pf);
        uint32_t cl = rd32(p + at + 8, swap);
        if (cl > SD_PCAP_MAX_RECORD || cl > len - at - SD_PCAP_REC_HDR)
            break;
        at += SD_PCAP_REC_HDR + cl;
    }
    return n;
}

/* pcapng mapped at p: its packet blocks (enhanced, obsolete, simple)
 * walked by their headers as sd_pcapng reads them, up to where it stops
 * (a block cut short or of an impossible length), without those it skips
 * for their own lengths. Those it skips for their interface (undescribed,
 * unusable) or their options are counted: a miscount costs the merge its
 * rewrite of that chunk's frames, never a wrong number (sd_merge's shift). */
static uint64_t pcapng_records(const uint8_t *p, size_t len)
{
    uint64_t n = 0;
    bool swap = false;
    size_t pf = 0;
    for (size_t at = 0; len - at >= 12;) {
        prefetch_ahead(p, len, at, &pf);
        const uint8_t *b = p + at;
        uint32_t type;
        memcpy(&type, b, 4);
        if (type == SD_PCAPNG_SHB) { /* its byte-order magic says how the lengths read */
            int order = sd_pcapng_order(b + 8);
            if (order < 0)
                break;
            swap = order;
        } else if (!at)
            break; /* no section header first: not read at all */
        type = rd32(b, swap);
        uint32_t total = rd32(b + 4, swap);
        if (total < 12 + (type == SD_PCAPNG_SHB ? SD_PCAPNG_SHB_MIN : 0) || total % 4 || total > SD_PCAPNG_MAX_BLOCK ||
            total > len - at || rd32(b + total - 4, swap) != total)
            break;
        uint32_t blen = total - 12;
        if (type == SD_PCAPNG_EPB || type == SD_PCAPNG_PB) {
            uint32_t cl = blen >= SD_PCAPNG_EPB_MIN ? rd32(b + 8 + 12, swap) : UINT32_MAX;
            n += blen >= SD_PCAPNG_EPB_MIN && cl <= blen - SD_PCAPNG_EPB_MIN &&
                 ((cl + 3u) & ~3u) <= blen - SD_PCAPNG_EPB_MIN && cl <= SD_PCAP_MAX_RECORD;
        } else if (type == SD_PCAPNG_SPB && blen >= SD_PCAPNG_SPB_MIN) {
            uint32_t wl = rd32(b + 8, swap), cl = blen - SD_PCAPNG_SPB_MIN;
            n += (wl < cl ? wl : cl) <= SD_PCAP_MAX_RECORD; /* (the snap length only shortens it) */
        }
        at += total;
    }
    return n;
}

bool sd_reccount(const char *path, uint64_t *n)
{
    *n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) { /* fails to open: no record (one run skips it) */
        if (fd >= 0)
            close(fd);
        return fd < 0;
    }
    size_t len = (size_t)st.st_size;
    const uint8_t *p = len >= SD_PCAP_HDR ? mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0) : MAP_FAILED;
    close(fd);
    if (p == MAP_FAILED)
        return len < 4; /* too short to be a capture: nothing read from it */
    madvise((void *)p, len, MADV_SEQUENTIAL);
    uint32_t m = rd32(p, false);
    bool ok = true;
    if (m == SD_PCAPNG_SHB)
        *n = pcapng_records(p, len);
    else if (sd_pcap_is_magic(m) || sd_pcap_is_magic(__builtin_bswap32(m))) {
        bool swap = !sd_pcap_is_magic(m);
        uint16_t major = (uint16_t)(swap ? p[4] << 8 | p[5] : p[5] << 8 | p[4]);
        *n = major == 2 ? pcap_records(p, len, swap) : 0;
    } else
        ok = false;
    munmap((void *)p, len);
    return ok;
}
