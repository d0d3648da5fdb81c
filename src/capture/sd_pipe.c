/* sd_pipe: the reader thread and its hand-off (see sd_pipe.h). */
#include "sd_pipe.h"

#include "../common/sd_thread.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* A batch's byte blocks: a batch is handed over at this many bytes of
 * copied frames even when it has room for more records, so that a batch of
 * full-size frames stays a few hundred kB. */
#define BATCH_BYTES ((size_t)512 << 10)
#define BLOCK_MIN ((size_t)64 << 10)

typedef struct block {
    struct block *next;
    size_t size, used;
    uint8_t data[];
} block;

/* A block of the capture's own (sd_capture_hand_blocks) that a refill left:
 * its frames are the batch's and earlier ones', so it is free again when
 * the consumer gives the batch back. */
typedef struct capblock {
    struct capblock *next;
    uint8_t *blk;
    size_t size;
} capblock;

/* Capture blocks kept for reuse beyond two per batch in flight (a batch of
 * 256 full-size frames spans two of a file's 256 kB blocks): a fresh block
 * costs a malloc and its page faults. */
#define CAPBLOCKS_SLACK 4u

typedef struct pipe_msg {
    char *file; /* NULL: none named */
    uint64_t frame;
    char *text;
} pipe_msg;

typedef struct batch {
    struct batch *next;    /* in the queue or the free list */
    sd_pipe_rec *rec;
    unsigned n;
    block *blocks, *cur;   /* cur: the one being filled */
    size_t bytes;          /* copied into the blocks */
    pipe_msg *msg;
    uint32_t nmsg, msg_cap;
    capblock *retired;     /* capture blocks the batch's frames are in, left by the reader */
} batch;

struct sd_pipe {
    sd_capture *cap;
    sd_diag *cap_diag;     /* the capture's own sink, given back at the end */
    sd_diag *dec_diag;
    sd_decoder *dec, *fdec;
    sd_decode_opts fopts;
    sd_diag held;          /* the reader's sink: into the batch being filled */
    uint64_t progress_every;
    void (*decoded)(sd_pkt *p, sd_dec_res r, const void *ud); /* sd_pipe_opts' */
    const void *decoded_ud;
    unsigned batch_recs;
    batch *filling;        /* the reader's */
    batch *using;          /* the consumer's, and its next record */
    unsigned at;
    bool ended;            /* the consumer has had the end */

    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t filled, freed;
    batch *head, *tail;    /* handed over, oldest first */
    batch *free_list;
    unsigned nfree;        /* batches in free_list */
    unsigned wake_at;      /* free batches that wake a waiting reader */
    bool reader_waits;     /* the reader sleeps on freed */
    bool quit;             /* the consumer wants no more */
    /* frames left where the capture read them (sd_capture_hand_blocks), not
     * copied into the batch: its blocks come from and go back to spare */
    bool handed;
    capblock *spare;       /* under lock: blocks for the capture to fill */
    size_t spare_size;     /* the size spare's blocks have (the capture's usual) */
    unsigned nspare, spare_max;
    capblock *orphans;     /* left with no batch being filled: freed at the end */
};

/* ---- the reader's side ---- */

static void hold_msg(void *ud, const char *file, uint64_t frame, const char *msg)
{
    sd_pipe *p = ud;
    batch *b = p->filling;
    if (b->nmsg == b->msg_cap) {
        b->msg_cap = b->msg_cap ? 2 * b->msg_cap : 16;
        b->msg = sd_reallocarray(b->msg, b->msg_cap, sizeof *b->msg);
    }
    b->msg[b->nmsg++] = (pipe_msg){ file ? sd_strdup(file) : NULL, frame, sd_strdup(msg) };
}

/* n bytes of the batch's blocks, valid until the batch is recycled. The
 * blocks are kept from one use of the batch to the next. */
static uint8_t *room(batch *b, size_t n)
{
    block *k = b->cur;
    if (!k || k->size - k->used < n) {
        block **link = k ? &k->next : &b->blocks;
        k = *link;
        if (k && k->size < n) { /* too small for this record: a larger one in its place */
            *link = k->next;
            free(k);
            k = NULL;
        }
        if (!k) {
            size_t sz = n > BLOCK_MIN ? n : BLOCK_MIN;
            k = sd_malloc(sizeof *k + sz);
            *k = (block){ .next = *link, .size = sz };
            *link = k;
        }
        b->cur = k;
    }
    uint8_t *at = k->data + k->used;
    k->used += n;
    b->bytes += n;
    return at;
}

static uint8_t *copy_in(batch *b, const uint8_t *src, size_t n)
{
    uint8_t *at = room(b, n);
    memcpy(at, src, n);
    return at;
}

static void batch_reset(batch *b)
{
    for (uint32_t i = 0; i < b->nmsg; i++) {
        free(b->msg[i].file);
        free(b->msg[i].text);
    }
    b->nmsg = 0;
    b->n = 0;
    b->bytes = 0;
    for (block *k = b->blocks; k; k = k->next)
        k->used = 0;
    b->cur = NULL;
}

static void capblocks_free(capblock *c)
{
    while (c) {
        capblock *next = c->next;
        free(c->blk);
        free(c);
        c = next;
    }
}

static void batch_free(batch *b)
{
    batch_reset(b);
    capblocks_free(b->retired);
    b->retired = NULL;
    while (b->blocks) {
        block *k = b->blocks;
        b->blocks = k->next;
        free(k);
    }
    free(b->msg);
    free(b->rec);
    free(b);
}

/* A batch's records, each on lines of its own (sd_pipe.h SD_PIPE_REC_ALIGN):
 * malloc aligns to 16 bytes, and an array that starts 16, 32 or 48 bytes
 * into a line lays every 320-byte record over six lines, of which the
 * consumer reads both ends (issue #11). Unaligned only when
 * the aligned allocation fails (sd_malloc then says it). */
static sd_pipe_rec *recs_new(unsigned n)
{
    void *r = NULL;
    if (posix_memalign(&r, SD_PIPE_REC_ALIGN, (size_t)n * sizeof(sd_pipe_rec)) != 0)
        r = sd_malloc((size_t)n * sizeof(sd_pipe_rec));
    return r;
}

/* A free batch, or NULL when the consumer wants no more. */
static batch *take_free(sd_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    while (!p->free_list && !p->quit) {
        p->reader_waits = true;
        pthread_cond_wait(&p->freed, &p->lock);
    }
    p->reader_waits = false;
    batch *b = p->quit ? NULL : p->free_list;
    if (b) {
        p->free_list = b->next;
        p->nfree--;
    }
    pthread_mutex_unlock(&p->lock);
    return b;
}

static void hand_over(sd_pipe *p, batch *b)
{
    b->next = NULL;
    pthread_mutex_lock(&p->lock);
    if (p->tail)
        p->tail->next = b;
    else
        p->head = b;
    p->tail = b;
    pthread_cond_signal(&p->filled);
    pthread_mutex_unlock(&p->lock);
}

/* The decode of r; a datagram made of fragments lives in the decoder until
 * its next call, so its payload is copied into the batch. */
static void decode(sd_pipe *p, batch *b, sd_pipe_rec *r, uint64_t *left)
{
    /* left: records until the next progress report, counted down (a
     * division a record was 2 M instructions of 10 k connections' 206 k
     * records, issue #11) */
    if (!r->fr.filtered && p->progress_every && --*left == 0) {
        *left = p->progress_every;
        r->progress = true;
        sd_capture_progress(p->cap, &r->done, &r->total);
    }
    r->r = sd_decode(sd_decoder_for(&r->fr, p->dec, &p->fdec, &p->fopts), &r->fr, &r->p);
    const uint8_t *pl = r->p.payload, *fd = r->fr.data;
    if (r->r == SD_DEC_OK && pl && r->p.payload_len &&
        !(fd && pl >= fd && (size_t)(pl - fd) + r->p.payload_len <= r->fr.caplen))
        r->p.payload = copy_in(b, pl, r->p.payload_len);
    if (p->decoded)
        p->decoded(&r->p, r->r, p->decoded_ud);
}

/* sd_capture_hand_blocks' get, in the reader thread: a spare block of the
 * usual size, or a new one. */
static uint8_t *cap_get(void *ud, size_t size)
{
    sd_pipe *p = ud;
    capblock *c = NULL;
    pthread_mutex_lock(&p->lock);
    if (!p->spare_size)
        p->spare_size = size; /* the first: the capture's usual block */
    if (p->spare && size == p->spare_size) {
        c = p->spare;
        p->spare = c->next;
        p->nspare--;
    }
    pthread_mutex_unlock(&p->lock);
    if (!c)
        return sd_malloc(size);
    uint8_t *blk = c->blk;
    free(c);
    return blk;
}

/* ... and its retire: the block goes with the batch being filled, whose
 * frames (and earlier batches') are in it. */
static void cap_retire(void *ud, uint8_t *blk, size_t size)
{
    sd_pipe *p = ud;
    capblock *c = sd_malloc(sizeof *c);
    *c = (capblock){ .blk = blk, .size = size };
    capblock **to = p->filling ? &p->filling->retired : &p->orphans;
    c->next = *to;
    *to = c;
}

static void *reader(void *arg)
{
    sd_pipe *p = arg;
    uint64_t left = p->progress_every; /* decode's countdown */
    for (;;) {
        batch *b = p->filling;
        if (!b && !(b = p->filling = take_free(p)))
            return NULL;
        sd_pipe_rec *r = &b->rec[b->n++];
        r->msg0 = b->nmsg;
        /* read into the record itself: a local copied after was a
         * 64-byte copy a record (issue #11) */
        sd_frame *fr = &r->fr;
        int rc = sd_capture_next(p->cap, fr);
        r->npre = b->nmsg - r->msg0;
        r->ndec = 0;
        r->progress = false;
        r->end = rc == 0;
        if (r->end) {
            p->filling = NULL;
            hand_over(p, b);
            return NULL;
        }
        if (fr->data && fr->caplen && !p->handed) /* handed: it stays in the capture's block */
            fr->data = copy_in(b, fr->data, fr->caplen);
        decode(p, b, r, &left);
        r->ndec = b->nmsg - r->msg0 - r->npre;
        if (b->n == p->batch_recs || b->bytes >= BATCH_BYTES) {
            p->filling = NULL;
            hand_over(p, b);
        }
    }
}

/* ---- the consumer's side ---- */

static void say(sd_diag *to, const pipe_msg *m)
{
    sd_diagf(to, m->file, m->frame, "%s", m->text);
}

/* What reading said before the record, said now. */
static __attribute__((noinline, cold)) void say_pre(sd_pipe *p, const batch *b, const sd_pipe_rec *r)
{
    for (uint32_t i = 0; i < r->npre; i++)
        say(p->cap_diag, &b->msg[r->msg0 + i]);
}

sd_pipe_rec *sd_pipe_next(sd_pipe *p)
{
    if (p->ended)
        return NULL;
    if (p->using && p->at == p->using->n) { /* passed: back to the reader */
        batch *b = p->using;
        batch_reset(b);
        capblock *excess = NULL;
        pthread_mutex_lock(&p->lock);
        while (b->retired) { /* its frames are done with: the capture's again */
            capblock *c = b->retired;
            b->retired = c->next;
            bool keep = c->size == p->spare_size && p->nspare < p->spare_max;
            c->next = keep ? p->spare : excess;
            *(keep ? &p->spare : &excess) = c;
            p->nspare += keep;
        }
        b->next = p->free_list;
        p->free_list = b;
        /* a reader that waits (it is ahead) is woken once half the batches
         * are free, not for each: each wake-up is a system call here and a
         * sleep and a wake there, 8,000 of them on 2 M records (issue #11) */
        if (++p->nfree >= p->wake_at && p->reader_waits)
            pthread_cond_signal(&p->freed);
        pthread_mutex_unlock(&p->lock);
        capblocks_free(excess);
        p->using = NULL;
    }
    if (!p->using) {
        pthread_mutex_lock(&p->lock);
        while (!p->head)
            pthread_cond_wait(&p->filled, &p->lock);
        p->using = p->head;
        p->head = p->head->next;
        if (!p->head)
            p->tail = NULL;
        pthread_mutex_unlock(&p->lock);
        p->at = 0;
    }
    batch *b = p->using;
    sd_pipe_rec *r = &b->rec[p->at++];
    if (__builtin_expect(r->npre != 0, 0)) /* most records: nothing said, no loop set up */
        say_pre(p, b, r);
    if (r->end) {
        p->ended = true;
        return NULL;
    }
    return r;
}

void sd_pipe_said_decoding(sd_pipe *p, const sd_pipe_rec *r)
{
    for (uint32_t i = 0; i < r->ndec; i++)
        say(p->dec_diag, &p->using->msg[r->msg0 + r->npre + i]);
}

sd_pipe *sd_pipe_start(sd_capture *cap, const sd_pipe_opts *o)
{
    sd_pipe *p = sd_calloc(1, sizeof *p);
    p->cap = cap;
    p->batch_recs = o->batch ? o->batch : SD_PIPE_BATCH;
    unsigned nb = o->batches ? o->batches : SD_PIPE_BATCHES;
    p->progress_every = o->progress_every;
    p->decoded = o->decoded;
    p->decoded_ud = o->decoded_ud;
    p->held = (sd_diag){ .fn = hold_msg, .ud = p };
    sd_decode_opts d = *o->dec;
    p->dec_diag = d.diag;
    d.diag = &p->held;
    p->dec = sd_decoder_new(&d);
    p->fopts = *o->fdec;
    p->fopts.diag = o->fdec->diag ? &p->held : NULL;
    for (unsigned i = 0; i < nb; i++) {
        batch *b = sd_calloc(1, sizeof *b);
        b->rec = recs_new(p->batch_recs);
        b->next = p->free_list;
        p->free_list = b;
    }
    p->nfree = nb;
    p->wake_at = nb / 2 ? nb / 2 : 1;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->filled, NULL);
    pthread_cond_init(&p->freed, NULL);
    p->cap_diag = sd_capture_set_diag(cap, &p->held);
    p->spare_max = 2 * nb + CAPBLOCKS_SLACK;
#ifdef SD_DEBUG_INVARIANTS
    p->spare_max = 0; /* every block freed once given back: ASan sees a frame read after that */
#endif
    p->handed = sd_capture_hand_blocks(cap, cap_get, cap_retire, p);
    int rc = sd_thread_start(&p->thread, reader, p); /* signals stay the consumer's */
    if (rc != 0) {
        if (p->handed)
            sd_capture_hand_blocks(cap, NULL, NULL, NULL);
        sd_capture_set_diag(cap, p->cap_diag);
        p->ended = true;
        sd_pipe_free(p);
        return NULL;
    }
    return p;
}

static void free_list(batch *b)
{
    while (b) {
        batch *next = b->next;
        batch_free(b);
        b = next;
    }
}

sd_decoder *sd_pipe_end(sd_pipe *p)
{
    pthread_mutex_lock(&p->lock);
    p->quit = true;
    pthread_cond_broadcast(&p->freed);
    pthread_mutex_unlock(&p->lock);
    pthread_join(p->thread, NULL);
    if (p->handed) /* the block it reads stays its own, freed with it */
        sd_capture_hand_blocks(p->cap, NULL, NULL, NULL);
    sd_capture_set_diag(p->cap, p->cap_diag);
    free_list(p->head); /* read ahead of a consumer that stopped: never said */
    p->head = p->tail = NULL;
    if (p->filling)
        batch_free(p->filling);
    p->filling = NULL;
    if (p->using)
        batch_free(p->using);
    p->using = NULL;
    p->ended = true;
    return p->dec;
}

void sd_pipe_free(sd_pipe *p)
{
    if (!p)
        return;
    free_list(p->free_list);
    capblocks_free(p->spare);
    capblocks_free(p->orphans);
    sd_decoder_free(p->dec);
    sd_decoder_free(p->fdec);
    pthread_cond_destroy(&p->filled);
    pthread_cond_destroy(&p->freed);
    pthread_mutex_destroy(&p->lock);
    free(p);
}
