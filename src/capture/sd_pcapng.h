/* sd_pcapng: a reader of pcapng files (draft-ietf-opsawg-pcapng) for
 * sd_pcapfile, which detects the format and hands the stream over.
 *
 * Why not libpcap: it refuses a file whose interfaces have different link
 * types (or snap lengths), which multi-interface captures (`dumpcap -i
 * eth0 -i any`) are. Here each record carries its interface's link type
 * and time resolution. Sections (each with its own byte order and
 * interfaces), Enhanced, Simple and the obsolete Packet blocks are read;
 * every other block is skipped (those of types the format does not define
 * counted). Every length is checked against its block,
 * and every block's two total lengths against each other. Internal to
 * src/capture. */
#ifndef SD_PCAPNG_H
#define SD_PCAPNG_H

#include "sd_pcapfile.h"

/* The first four bytes of a pcapng file (the SHB type, a palindrome). */
#define SD_PCAPNG_SHB 0x0A0D0D0Au

/* The section header's byte-order magic, and the blocks read here
 * (draft-ietf-opsawg-pcapng §4) with the least of their bodies. */
#define SD_PCAPNG_BOM 0x1A2B3C4Du
#define SD_PCAPNG_IDB 1u
#define SD_PCAPNG_PB 2u      /* obsolete Packet Block (§B.2), still written by old tools */
#define SD_PCAPNG_SPB 3u
#define SD_PCAPNG_EPB 6u
#define SD_PCAPNG_SHB_MIN 16 /* BOM, major, minor, section length */
#define SD_PCAPNG_EPB_MIN 20 /* interface, time high, time low, captured, original (PB: the same size) */
#define SD_PCAPNG_SPB_MIN 4  /* original length */

/* The byte order of a section whose byte-order magic is at p (4 bytes):
 * 0 little-endian, 1 big-endian, -1 not the magic. */
static inline int sd_pcapng_order(const uint8_t *p)
{
    uint32_t le = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    return le == SD_PCAPNG_BOM ? 0 : __builtin_bswap32(le) == SD_PCAPNG_BOM ? 1 : -1;
}

/* The largest block accepted: libpcap's limit (MAX_BLOCKSIZE_MAX) too. */
#define SD_PCAPNG_MAX_BLOCK (16u << 20)

/* Interfaces kept over a file's sections: an IDB is at least 20 bytes, so
 * a file could announce millions; real ones have a handful. */
#define SD_PCAPNG_MAX_IFACES 65536

typedef struct sd_pcapng sd_pcapng;

/* fp is positioned at the start of the file and stays the caller's. */
sd_pcapng *sd_pcapng_new(FILE *fp);
/* As sd_pcapfile_next: 1 a record, 0 the end, -1 an error, SD_PCAP_SKIPPED
 * a bad block passed over (in err, with the block's file offset). */
int sd_pcapng_next(sd_pcapng *ng, sd_pcaprec *r, char *err, size_t errlen);
/* Blocks of a type the format does not define, passed over so far: their
 * number, and in buf "0xTYPE N, ..." (the first types met, then the rest
 * summed). */
uint64_t sd_pcapng_unknown(const sd_pcapng *ng, char *buf, size_t len);
/* Simple packet blocks read so far (each dated at the packet before it),
 * in *early those before any packet with a time dated at the first timed
 * one after them, in *untimed those dated 0 (no timed packet came, or
 * past the hold's caps: sd_pcapng.c NG_SPB_HOLD). */
uint64_t sd_pcapng_spb(const sd_pcapng *ng, uint64_t *untimed, uint64_t *early);
/* Interfaces seen so far (all sections). */
uint32_t sd_pcapng_ifaces(const sd_pcapng *ng);
void sd_pcapng_free(sd_pcapng *ng);

#endif
