/* sd_pcapfile: a reader of classic pcap files (both byte orders, micro- and
 * nanosecond magic) and of pcapng files (sd_pcapng.c) for regular files
 * and memory.
 *
 * Why not libpcap here: libpcap clamps every record to the snaplen in the
 * file header, so a file whose header says 1500 while its records hold
 * 1514 bytes (real ones exist: tcpsession's captures) loses 14 bytes of
 * every full-size frame; Wireshark reads them whole. And libpcap refuses
 * pcapng files whose interfaces differ in link type (see sd_pcapng.h).
 * Standard input, FIFOs and devices are read here too (the same bytes
 * must give the same results however they are given); live capture and
 * formats other than these two go through libpcap. Every length is checked
 * against the bytes actually read. */
#ifndef SD_PCAPFILE_H
#define SD_PCAPFILE_H

#include "../common/sd_common.h"

#include <stdio.h>

/* The largest record accepted (libpcap's MAXIMUM_SNAPLEN is 262144; some
 * link types allow more: D-Bus and USB captures of 1 MiB exist). */
#define SD_PCAP_MAX_RECORD (1u << 20)

/* Classic pcap's layout (pcap spec §4): the magics that open a file with
 * microsecond and nanosecond stamps (read in the file's own byte order),
 * the file header's size and each record header's. */
#define SD_PCAP_MAGIC_US 0xa1b2c3d4u
#define SD_PCAP_MAGIC_NS 0xa1b23c4du
#define SD_PCAP_HDR 24u
#define SD_PCAP_REC_HDR 16u

static inline bool sd_pcap_is_magic(uint32_t m)
{
    return m == SD_PCAP_MAGIC_US || m == SD_PCAP_MAGIC_NS;
}

typedef struct sd_pcapfile sd_pcapfile;

/* One record. The time is given as read, possibly outside sd_ts's range
 * (pcapng's 64-bit counts and offsets): the caller saturates. */
typedef struct sd_pcaprec {
    int64_t sec;
    uint32_t nsec;
    uint32_t caplen;     /* bytes in data, at most SD_PCAP_MAX_RECORD */
    uint32_t wirelen;    /* >= caplen */
    uint32_t wire_said;  /* the original length as the file said it: below caplen in a bad record */
    int linktype;        /* LINKTYPE_* of the record's interface */
    uint32_t iface;      /* pcapng: interface, numbered over all sections; classic: 0 */
    uint64_t frac_bad;   /* classic: a fraction of a second of one second or more, in ns (dropped) */
    const uint8_t *data; /* valid until the next call */
} sd_pcaprec;

/* Opens path if it is a classic pcap or a pcapng file. NULL with *not_pcap
 * set when it is something else (let libpcap try: by path, or from *rest
 * when path is a FIFO or a device, whose first bytes are read already),
 * NULL with a message in err when it cannot be read or its header is bad. */
sd_pcapfile *sd_pcapfile_open(const char *path, bool *not_pcap, uint64_t *size, FILE **rest, char *err,
                              size_t errlen);
/* The same for an open stream that cannot be rewound (standard input):
 * fp is taken. Something else than pcap or pcapng: *rest reads it from its
 * first byte (NULL if no stream could be made). */
sd_pcapfile *sd_pcapfile_open_stream(FILE *fp, bool *not_pcap, FILE **rest, char *err, size_t errlen);
/* The same for a file held in memory (buf must outlive the reader): the
 * capture layer's memory input and the fuzz target use it. */
sd_pcapfile *sd_pcapfile_open_mem(const uint8_t *buf, size_t len, bool *not_pcap, char *err,
                                  size_t errlen);
/* Link type as in the header (LINKTYPE_*, FCS bits masked off); pcapng:
 * -1 (each record says its own). */
int sd_pcapfile_linktype(const sd_pcapfile *pf);
bool sd_pcapfile_is_pcapng(const sd_pcapfile *pf);
/* 1 = a record, 0 = clean end of file, -1 = a bad or cut record (message
 * in err): the rest of the file is unreadable; SD_PCAP_SKIPPED = a pcapng
 * block whose content is bad but whose length holds (message in err): that
 * block is lost, the next call reads on. */
#define SD_PCAP_SKIPPED 2
int sd_pcapfile_next(sd_pcapfile *pf, sd_pcaprec *r, char *err, size_t errlen);
/* The next record when it is a plain one, the usual case: classic pcap, all
 * of it in the block already read, its length at most SD_PCAP_MAX_RECORD
 * and not above the original length, its fraction below a second. True: r
 * is what sd_pcapfile_next would give (wirelen == wire_said); false:
 * nothing read, sd_pcapfile_next takes it (refills, errors, odd records). */
bool sd_pcapfile_next_plain(sd_pcapfile *pf, sd_pcaprec *r);
/* pcapng blocks of a type the format does not define, passed over so far
 * (0 for classic pcap); by type in buf (sd_pcapng_unknown). */
uint64_t sd_pcapfile_unknown_blocks(const sd_pcapfile *pf, char *buf, size_t len);
/* pcapng Simple Packet Blocks read (no time of their own: dated at the
 * packet before them), *early those before any timed packet dated at the
 * first after them, *untimed those dated 0 (sd_pcapng_spb); 0 for pcap. */
uint64_t sd_pcapfile_spb(const sd_pcapfile *pf, uint64_t *untimed, uint64_t *early);
FILE *sd_pcapfile_fp(const sd_pcapfile *pf);
void sd_pcapfile_close(sd_pcapfile *pf); /* closes fp; NULL ok */
/* The file is read to its end: its read block is given back now, not at
 * the end of the run (a set of rotated files holds the blocks of the files
 * still being read, not of every file read so far). */
void sd_pcapfile_ended(sd_pcapfile *pf);
/* Classic pcap's blocks handed on instead of reused, so that records stay
 * where they were read (sd_pipe hands them to another thread without a
 * copy): each block comes from get (size bytes, malloc'd: the reader frees
 * the one it holds at the end), and the one a refill or the end of the
 * file leaves goes to retire, which then owns it. get NULL: back to reusing
 * its block. False, and nothing changed, for pcapng and pipes. */
bool sd_pcapfile_hand_blocks(sd_pcapfile *pf, uint8_t *(*get)(void *ud, size_t size),
                             void (*retire)(void *ud, uint8_t *blk, size_t size), void *ud);

#endif
