/* sd_outq: a writer thread that formats and writes records in the order
 * they are put (issue #11: `conns --json` spends a third of its analysis
 * thread formatting connection records; on a second core that overlaps the
 * analysis of the next packets).
 *
 * Items are copied into a bounded ring; the writer takes them in order
 * (FIFO, one writer), so what it writes is byte for byte what the putting
 * thread would have written. sd_outq_sync waits until every item put is
 * written: call it before anything else goes to the same place (standard
 * error, when both are one file or terminal), so that the interleaving is
 * the one thread's too. */
#ifndef SD_OUTQ_H
#define SD_OUTQ_H

#include <stddef.h>

/* Items in the ring: a connection record is ~1.1 kB, so about 1 MB. */
#define SD_OUTQ_ITEMS 1024
/* Items put before the writer is told: its lock and wake-up are paid once
 * per this many records, not per record. An eighth of the ring: a writer
 * that keeps up sleeps between batches, and each wake-up costs the putting
 * thread a system call (3,100 of them at 32 on 100 k connections, issue #11). */
#define SD_OUTQ_PUBLISH 128

typedef struct sd_outq sd_outq;

/* fn(ud, item) runs in the writer thread, once per item, in order. The
 * writer is told every `publish` items (0: SD_OUTQ_PUBLISH; tests give
 * SD_OUTQ_ITEMS, so that it lags as far as it can and every sync matters).
 * NULL if no thread could be started (the caller then writes itself). */
sd_outq *sd_outq_start(size_t item_size, unsigned publish, void (*fn)(void *ud, void *item), void *ud);
/* Room for the next item (waits while the ring is full); then sd_outq_put. */
void *sd_outq_slot(sd_outq *q);
void sd_outq_put(sd_outq *q);
/* Returns when every item put has been handled by fn. */
void sd_outq_sync(sd_outq *q);
/* sd_outq_sync, then the thread ends; NULL ok. */
void sd_outq_end(sd_outq *q);

#endif
