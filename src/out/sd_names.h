/* sd_names: tcpflow's file numbering ("base", then "base" c1, c2... for
 * each reuse of a name) in bounded memory.
 *
 * A name's use count has to outlive its session: the next session of the
 * same addresses and ports, maybe hours later, takes the next number. The
 * counts are kept in an sd_hmap keyed by 64-bit name hashes (two names
 * would have to collide in 64 bits for a number to be wrong); when it holds `max` names,
 * the names no file in use has are forgotten, after the sink wrote every
 * closed file: from then on the directory itself remembers them, as it
 * does for tcpflow, which numbers a name by the files already there. A
 * fixed-size Bloom filter of the forgotten names spares the directory
 * look-up for a name never seen (most of them). */
#ifndef SD_NAMES_H
#define SD_NAMES_H

#include "sd_filesink.h"

typedef struct sd_names sd_names;

/* Names of files written through sink. With on_disk the directory held no
 * files when the run began, so a forgotten name can be looked up there;
 * without it (files of an earlier run there) nothing is forgotten and the
 * table grows with the number of names. max: names held before the unused
 * ones are forgotten (0 = 65,536: a 3 MiB table). */
sd_names *sd_names_new(sd_filesink *sink, bool on_disk, size_t max);
void sd_names_free(sd_names *nm);
/* The next name for base+ext into name[len] ("base" ext, or "base" cN ext),
 * marked in use; returns the handle for sd_names_release. */
uint64_t sd_names_take(sd_names *nm, const char *base, const char *ext, char *name, size_t len);
/* The file named by h is closed (it may be forgotten now). */
void sd_names_release(sd_names *nm, uint64_t h);

#endif
