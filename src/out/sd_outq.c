/* sd_outq: see sd_outq.h. A ring of SD_OUTQ_ITEMS slots: the putting
 * thread fills slots from `put` on and publishes them (`tail`) every
 * `publish` items, when the ring is full, or at a sync; the writer handles the published
 * ones and only then frees them (`head`), so a sync that sees head == tail
 * knows every item is written. */
#include "sd_outq.h"

#include "../common/sd_common.h"
#include "../common/sd_thread.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct sd_outq {
    unsigned char *items;
    size_t size;
    void (*fn)(void *ud, void *item);
    void *ud;
    unsigned publish;
    uint64_t put;      /* the putter's: items put (published or not) */
    uint64_t room_to;  /* the putter's: put may reach this without a look at head
                          (head only grows: what was free stays free) */
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t more, done;
    uint64_t tail;     /* published */
    uint64_t head;     /* handled */
    bool quit;
};

static void *writer(void *arg)
{
    sd_outq *q = arg;
    pthread_mutex_lock(&q->lock);
    for (;;) {
        while (q->head == q->tail && !q->quit)
            pthread_cond_wait(&q->more, &q->lock);
        if (q->head == q->tail)
            break;
        uint64_t from = q->head, to = q->tail;
        pthread_mutex_unlock(&q->lock);
        for (uint64_t i = from; i < to; i++)
            q->fn(q->ud, q->items + (i % SD_OUTQ_ITEMS) * q->size);
        pthread_mutex_lock(&q->lock);
        q->head = to;
        pthread_cond_signal(&q->done);
    }
    pthread_mutex_unlock(&q->lock);
    return NULL;
}

sd_outq *sd_outq_start(size_t item_size, unsigned publish, void (*fn)(void *ud, void *item), void *ud)
{
    sd_outq *q = sd_calloc(1, sizeof *q);
    q->publish = publish && publish <= SD_OUTQ_ITEMS ? publish : SD_OUTQ_PUBLISH;
    q->items = sd_reallocarray(NULL, SD_OUTQ_ITEMS, item_size);
    q->size = item_size;
    q->fn = fn;
    q->ud = ud;
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->more, NULL);
    pthread_cond_init(&q->done, NULL);
    int rc = sd_thread_start(&q->thread, writer, q); /* signals stay the other threads' */
    if (rc != 0) {
        pthread_cond_destroy(&q->more);
        pthread_cond_destroy(&q->done);
        pthread_mutex_destroy(&q->lock);
        free(q->items);
        free(q);
        return NULL;
    }
    return q;
}

static void publish(sd_outq *q)
{
    pthread_mutex_lock(&q->lock);
    q->tail = q->put;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->lock);
}

void *sd_outq_slot(sd_outq *q)
{
    if (q->put < q->room_to) /* room known: no lock (it was taken per item, issue #11) */
        return q->items + (q->put % SD_OUTQ_ITEMS) * q->size;
    pthread_mutex_lock(&q->lock);
    if (q->put - q->head == SD_OUTQ_ITEMS) { /* full: what is put must be handled first */
        q->tail = q->put;
        pthread_cond_signal(&q->more);
        while (q->put - q->head == SD_OUTQ_ITEMS)
            pthread_cond_wait(&q->done, &q->lock);
    }
    q->room_to = q->head + SD_OUTQ_ITEMS;
    pthread_mutex_unlock(&q->lock);
    return q->items + (q->put % SD_OUTQ_ITEMS) * q->size;
}

void sd_outq_put(sd_outq *q)
{
    if (++q->put % q->publish == 0)
        publish(q);
}

void sd_outq_sync(sd_outq *q)
{
    pthread_mutex_lock(&q->lock);
    q->tail = q->put;
    pthread_cond_signal(&q->more);
    while (q->head != q->tail)
        pthread_cond_wait(&q->done, &q->lock);
    pthread_mutex_unlock(&q->lock);
}

void sd_outq_end(sd_outq *q)
{
    if (!q)
        return;
    sd_outq_sync(q);
    pthread_mutex_lock(&q->lock);
    q->quit = true;
    pthread_cond_signal(&q->more);
    pthread_mutex_unlock(&q->lock);
    pthread_join(q->thread, NULL);
    pthread_cond_destroy(&q->more);
    pthread_cond_destroy(&q->done);
    pthread_mutex_destroy(&q->lock);
    free(q->items);
    free(q);
}
