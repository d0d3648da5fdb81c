/* sd_merge_sum: `strider summary` over a file list cut into chunks (--own,
 * --jobs, strider merge), identical to one run (docs/scale.md, "summary").
 *
 * A chunk run writes partial aggregates as JSON lines starting {"_own":
 * (sd_merge_sum_chunk): a header (the report's format and options), its
 * files' packet facts (totals, protocols, each source host's packets,
 * bytes, TTLs and IP-ID counts with its first and last ID), and per owned
 * connection the facts the summary counts (state, port, service, SYN,
 * files), with sd_own's records. The merge gives the connection records to
 * sd_merge (which drops the provisional ones an earlier chunk covers and
 * numbers them globally) and counts each kept connection in one run's order
 * of ends through its hook; the SYNs are counted in capture order, the
 * hosts chunk by chunk in file order. Then it writes the report one run
 * writes, JSON or text as the chunks were asked. */
#ifndef SD_MERGE_SUM_H
#define SD_MERGE_SUM_H

#include "../analyze/sd_summary.h"
#include "sd_merge.h"

/* The chunk's partial aggregates to b. */
void sd_merge_sum_chunk(sd_buf *b, sd_summary *s, const sd_engine_stats *st, const sd_summary_opts *o, bool json);

/* sd_summary_opts.own_txn, ud an sd_buf: the transaction as a line of the
 * chunk's output. */
void sd_merge_sum_txn(void *ud, const sd_dns_txn *t, uint64_t at, uint64_t seq);

/* Is the output at path a summary chunk's? (its first line says) */
bool sd_merge_sum_is(const char *path);

typedef struct sd_merge_sum sd_merge_sum;
/* Sets m's hook: make it before any chunk is added to m. */
sd_merge_sum *sd_merge_sum_new(sd_merge *m, FILE *err);
/* A chunk output at path: its aggregates read, then given to m. */
bool sd_merge_sum_add(sd_merge_sum *ms, sd_merge *m, const char *path);
/* rc: the status so far (non-zero: m is freed and nothing written). Merges,
 * writes the report to out, frees ms and m; returns the status. */
int sd_merge_sum_finish(sd_merge_sum *ms, sd_merge *m, int rc, FILE *out);
/* strider merge on chunk outputs of any command: summary's here, the
 * others' through sd_merge_files; an input that is not a regular file (a
 * pipe) is read whole first, to see which. */
int sd_merge_any(const char *const *paths, size_t n, FILE *out, FILE *err);
/* strider merge on summary chunk outputs. */
int sd_merge_sum_files(const char *const *paths, size_t n, FILE *out, FILE *err);

#endif
