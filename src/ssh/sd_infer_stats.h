/* sd_infer_stats: sshflow's general statistics of one SSH connection, per
 * direction, over the encrypted records (after the key exchange): records
 * and bytes, the most frequent record sizes (modes) with their counts, and
 * the mean and median time between consecutive records of the direction.
 * sshflow's analyzers (interactive session, nested tunnels, file copy, X11)
 * were built on these numbers; strider reports them in the "ssh" JSON line
 * (docs/events.md) for analysts who want to reason the same way.
 *
 * Records are exact SSH packets with length-in-clear suites (ETM, AES-GCM)
 * and the encrypted part of each TCP segment otherwise (chacha20-poly1305,
 * encrypt-and-MAC), as sd_ssh delivers them.
 *
 * Memory is bounded per connection whatever its length: a table of at most
 * SD_STATS_SIZES distinct sizes per direction (a record whose size finds the
 * table full is counted in sizes_uncounted, so modes are exact unless that
 * count is large) and a log-scale histogram of inter-record times (the
 * median is the geometric middle of its bin: within SD_STATS_IPT_ERR of the
 * exact median). The mean is exact. It never prints. */
#ifndef SD_INFER_STATS_H
#define SD_INFER_STATS_H

#include "../common/sd_common.h"
#include "sd_ssh.h"

/* Distinct record sizes tracked per direction. An interactive session uses
 * a dozen, a bulk transfer a few (full records plus short tails); 64 keeps
 * every size of the lab's sessions while capping a hostile stream of ever
 * new sizes at 64 entries. */
#define SD_STATS_SIZES 64u
/* Modes reported per direction (sshflow prints the 5 most common). */
#define SD_STATS_MODES 5u
/* Inter-record time histogram: IPT_PER_DECADE geometric bins per decade
 * from IPT_MIN_S to IPT_MIN_S * 10^IPT_DECADES; a gap below IPT_MIN_S
 * (packets of one segment) goes to bin 0, one above the range to the last
 * bin. 40 bins per decade: a bin spans a factor 10^(1/40) = 1.059, so its
 * geometric middle is within 2.9 % of any time in it. */
#define SD_STATS_IPT_PER_DECADE 40u
#define SD_STATS_IPT_DECADES 10u
#define SD_STATS_IPT_MIN_S 1e-6
#define SD_STATS_IPT_BINS (SD_STATS_IPT_PER_DECADE * SD_STATS_IPT_DECADES + 2u)
#define SD_STATS_IPT_ERR 0.029
/* Gaps kept as their bin numbers before the histogram is allocated: a short
 * connection (a password guess, a scanner's probe: a dozen records) never
 * pays for the 3 kB histogram; 24 covers a login and a few commands. */
#define SD_STATS_IPT_FEW 24u

typedef struct sd_sshstats_mode {
    uint32_t size;   /* wire bytes of the record */
    uint64_t count;
} sd_sshstats_mode;

typedef struct sd_sshstats_dir {
    uint64_t records, bytes;
    uint32_t nsizes;
    uint32_t size[SD_STATS_SIZES];
    uint64_t size_n[SD_STATS_SIZES];
    uint64_t sizes_uncounted;  /* records whose size found the table full */
    sd_ts last_ts;
    uint64_t gaps;             /* inter-record times counted (records - 1) */
    double gap_sum_s;
    uint16_t few[SD_STATS_IPT_FEW]; /* the gaps' bins while gaps <= SD_STATS_IPT_FEW */
    uint64_t *ipt;             /* SD_STATS_IPT_BINS counts once past them, else NULL */
} sd_sshstats_dir;

/* By the caller's direction: 0 and 1, as in sd_ssh. */
typedef struct sd_sshstats {
    sd_sshstats_dir d[2];
} sd_sshstats;

/* A zero-filled sd_sshstats is empty; sd_sshstats_free releases what
 * sd_sshstats_add allocated (not s itself). */
void sd_sshstats_free(sd_sshstats *s);
/* Makes s empty as zero-filling does, without writing its tables (1.7 kB,
 * for each short connection): those are read only below nsizes and
 * gaps, which this sets to 0. */
void sd_sshstats_clear(sd_sshstats *s);
/* Counts one encrypted record (r->dir, r->wire_len) seen at ts. */
void sd_sshstats_add(sd_sshstats *s, const sd_ssh_record *r, sd_ts ts);
/* The up to max most frequent sizes, by count (ties: the smaller size
 * first); returns how many were written. */
uint32_t sd_sshstats_modes(const sd_sshstats_dir *d, sd_sshstats_mode *out, uint32_t max);
/* Mean and median inter-record time in seconds; -1 when no gap counted. */
double sd_sshstats_ipt_mean(const sd_sshstats_dir *d);
double sd_sshstats_ipt_median(const sd_sshstats_dir *d);

#endif
