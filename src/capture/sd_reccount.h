/* sd_reccount: how many records a capture file holds, read from its record
 * headers only, without analysing them: what --jobs gives a later chunk as
 * the frame number its first record follows (--own-frame-base), so that
 * the chunk writes one run's frame numbers and the merge need not rewrite
 * them. */
#ifndef SD_RECCOUNT_H
#define SD_RECCOUNT_H

#include <stdbool.h>
#include <stdint.h>

/* The records of path that sd_capture reads from it (a file that does not
 * open counts 0). False when it cannot tell (neither pcap nor pcapng: the
 * capture may still read it through libpcap). */
bool sd_reccount(const char *path, uint64_t *n);

#endif
