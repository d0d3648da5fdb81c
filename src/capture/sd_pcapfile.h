/* sd_pcapfile: a reader of classic pcap files (both byte orders, micro- and
 * nanosecond magic) for regular files and memory.
 *
 * Why not libpcap here: libpcap clamps every record to the snaplen in the
 * file header, so a file whose header says 1500 while its records hold
 * 1514 bytes (real ones exist: tcpsession's captures) loses 14 bytes of
 * every full-size frame; Wireshark reads them whole. pcapng, stdin and live
 * capture still go through libpcap. Every length is checked against the
 * bytes actually read. */
#ifndef SD_PCAPFILE_H
#define SD_PCAPFILE_H

#include "../common/sd_common.h"

#include <stdio.h>

/* The largest record accepted (libpcap's MAXIMUM_SNAPLEN is 262144; some
 * link types allow more: D-Bus and USB captures of 1 MiB exist). */
#define SD_PCAP_MAX_RECORD (1u << 20)

typedef struct sd_pcapfile sd_pcapfile;

/* Opens path if it is a classic pcap file. NULL with *not_pcap set when it
 * is something else (pcapng...: let libpcap try), NULL with a message in err
 * when it cannot be read or its header is bad. */
sd_pcapfile *sd_pcapfile_open(const char *path, bool *not_pcap, uint64_t *size, char *err,
                              size_t errlen);
/* The same for a file held in memory (buf must outlive the reader): the
 * capture layer's memory input and the fuzz target use it. */
sd_pcapfile *sd_pcapfile_open_mem(const uint8_t *buf, size_t len, bool *not_pcap, char *err,
                                  size_t errlen);
/* Link type as in the header (LINKTYPE_*, FCS bits masked off). */
int sd_pcapfile_linktype(const sd_pcapfile *pf);
/* 1 = a record (data valid until the next call), 0 = clean end of file,
 * -1 = a bad or cut record (message in err): the rest of the file is
 * unreadable. */
int sd_pcapfile_next(sd_pcapfile *pf, sd_ts *ts, uint32_t *caplen, uint32_t *wirelen,
                     const uint8_t **data, char *err, size_t errlen);
FILE *sd_pcapfile_fp(const sd_pcapfile *pf);
void sd_pcapfile_close(sd_pcapfile *pf); /* closes fp; NULL ok */

#endif
