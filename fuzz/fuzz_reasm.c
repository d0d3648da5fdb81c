/* libFuzzer target for sd_reasm: the input is a program of operations
 * (segment / ack / set_isn / urgent / flush) run against a small per-stream cap and a
 * shared budget. Invariants checked on every chunk and after every op:
 *  - chunk offsets strictly increase and never overlap the previous chunk;
 *  - DATA chunks carry data, GAP chunks none, len > 0;
 *  - held memory never exceeds the stream cap or the budget;
 *  - stats agree with what was delivered;
 *  - in "pattern" mode (first input bit) every segment carries the bytes a
 *    fixed function of the sequence number gives, so whatever the order,
 *    overlap and segmentation, every delivered byte must equal that function
 *    and no inconsistency may be reported. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sd_decode.h"
#include "flow/sd_reasm.h"

#define CAP 1500u

typedef struct st {
    uint64_t next, data_bytes, gap_bytes;
    bool pattern;
    uint32_t base; /* seq of offset 0 in pattern mode */
    uint64_t incs;
} st;

static uint8_t pat(uint32_t seq)
{
    return (uint8_t)(seq ^ (seq >> 8) * 7u ^ (seq >> 16) * 13u ^ (seq >> 24));
}

static void on_chunk(void *ud, const sd_chunk *c)
{
    st *s = ud;
    if (c->len == 0 || c->offset < s->next)
        abort();
    if ((c->kind == SD_CHUNK_DATA) != (c->data != NULL))
        abort();
    s->next = c->offset + c->len;
    if (c->kind == SD_CHUNK_DATA) {
        s->data_bytes += c->len;
        volatile uint8_t sink = 0;
        for (uint32_t i = 0; i < c->len; i++) {
            sink ^= c->data[i]; /* readable (ASan) */
            if (s->pattern && c->data[i] != pat(s->base + (uint32_t)(c->offset + i)))
                abort();
        }
        (void)sink;
    } else {
        s->gap_bytes += c->len;
    }
}

static void on_inc(void *ud, const sd_reasm_inconsistency *i)
{
    st *s = ud;
    if (i->len == 0)
        abort();
    s->incs++;
}

/* An urgent byte is reported at the delivery point: never behind it. */
static void on_urg(void *ud, const sd_reasm_urgent *u)
{
    const st *s = ud;
    if (u->offset < s->next || (s->pattern && u->byte != pat(s->base + (uint32_t)u->offset)))
        abort();
}

static void check(const sd_reasm *z, const st *s, const sd_reasm_budget *b)
{
    const sd_reasm_stats *x = sd_reasm_get_stats(z);
    if (b->used > CAP || b->used > b->cap)
        abort();
    if (x->bytes_delivered != s->data_bytes || x->gap_bytes != s->gap_bytes)
        abort();
    if (s->pattern && s->incs)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
    if (n < 6)
        return 0;
    st s = {0};
    sd_reasm_budget b = {CAP + 700, 0, 0};
    sd_reasm_opts o = {(sd_overlap_policy)(d[0] % 5), CAP, &b, (size_t)d[0] << 6, d[0] & 1};
    sd_reasm_cb cb = {on_chunk, on_inc, &s, on_urg};
    s.pattern = d[0] & 0x80;
    uint32_t isn;
    memcpy(&isn, d + 1, 4);
    bool midstream = d[5] & 1;
    size_t i = 6;
    sd_reasm *z = sd_reasm_new(&o, &cb);
    if (!midstream || s.pattern) {
        sd_reasm_set_isn(z, isn);
        s.base = isn + 1;
    }
    uint8_t buf[512];
    uint64_t frame = 0;
    while (i < n) {
        uint8_t op = d[i++];
        frame++;
        if (op < 160 && i + 4 <= n) { /* segment */
            int16_t rel;
            memcpy(&rel, d + i, 2);
            uint8_t fl = d[i + 2];
            uint32_t len = d[i + 3] | ((op & 1u) << 8);
            i += 4;
            uint32_t seq = isn + 1 + (uint32_t)(int32_t)rel * ((op & 2) ? 1 : 8);
            if (s.pattern) {
                uint32_t dseq = (fl & SD_TH_SYN) ? seq + 1 : seq; /* SYN takes one seq */
                for (uint32_t k = 0; k < len; k++)
                    buf[k] = pat(dseq + k);
            } else {
                uint32_t avail = (uint32_t)(n - i);
                if (len > avail)
                    len = avail;
                memcpy(buf, d + i, len);
                i += len;
            }
            /* ops 144-159: a copy its receiver may have dropped (conflicting
             * IP fragments), held until ACKed */
            sd_reasm_segment_ex(z, seq, fl, len ? buf : NULL, len, frame, (sd_ts)frame, op >= 144);
        } else if (op < 230 && i + 2 <= n) { /* ack */
            int16_t rel;
            memcpy(&rel, d + i, 2);
            i += 2;
            sd_reasm_ack(z, isn + 1 + (uint32_t)(int32_t)rel * ((op & 1) ? 1 : 8), frame,
                         (sd_ts)frame);
        } else if (op < 245) {
            if (!s.pattern)
                sd_reasm_set_isn(z, isn + op);
        } else if (op < 252 && i + 2 <= n) { /* an urgent pointer's byte */
            int16_t rel;
            memcpy(&rel, d + i, 2);
            i += 2;
            sd_reasm_mark_urgent(z, isn + 1 + (uint32_t)(int32_t)rel);
        } else {
            sd_reasm_flush(z);
        }
        check(z, &s, &b);
    }
    sd_reasm_flush(z);
    check(z, &s, &b);
    sd_reasm_free(z);
    if (b.used != 0)
        abort();
    return 0;
}
