/* Unit tests for sd_reasm: the libnids TESTS list (tcp_layer.md section 2)
 * for segment assembly, the suricata-verify captures' expected streams,
 * gaps, caps, and a randomized comparison against a byte-array model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "decode/sd_decode.h"
#include "flow/sd_reasm.h"

/* Charged per held segment besides its bytes (REASM_SEG_OVERHEAD in sd_reasm.c). */
#define SEG_OVERHEAD 64u

#define MAXCH 4096

typedef struct rec {
    /* delivered stream, gaps as '?' (only for small tests) */
    uint8_t out[1 << 16];
    size_t outlen;
    sd_chunk ch[MAXCH];
    const uint8_t *chdata[MAXCH];
    size_t nch;
    sd_reasm_inconsistency inc[64];
    size_t ninc;
    uint64_t next; /* invariant: offsets increase, no overlap */
    uint32_t allflags;
} rec;

static void on_chunk(void *ud, const sd_chunk *c)
{
    rec *r = ud;
    assert_true(c->offset >= r->next);
    assert_true(c->len > 0);
    r->next = c->offset + c->len;
    r->allflags |= c->flags;
    if (r->nch < MAXCH) {
        r->ch[r->nch] = *c;
        r->chdata[r->nch] = c->data;
        r->nch++;
    }
    for (uint32_t i = 0; i < c->len && r->outlen < sizeof r->out; i++)
        r->out[r->outlen++] = c->kind == SD_CHUNK_GAP ? '?' : c->data[i];
}

static void on_inc(void *ud, const sd_reasm_inconsistency *i)
{
    rec *r = ud;
    if (r->ninc < 64)
        r->inc[r->ninc++] = *i;
}

static sd_reasm *mk(rec *r, sd_overlap_policy pol, size_t cap, sd_reasm_budget *b)
{
    memset(r, 0, sizeof *r);
    sd_reasm_opts o = {pol, cap, b, 0, false};
    sd_reasm_cb cb = {on_chunk, on_inc, r, NULL};
    return sd_reasm_new(&o, &cb);
}

static uint64_t g_frame;

/* segment with a string payload */
static void seg(sd_reasm *z, uint32_t seq, uint8_t fl, const char *s)
{
    uint64_t f = ++g_frame;
    sd_reasm_segment(z, seq, fl | SD_TH_ACK, (const uint8_t *)s, (uint32_t)strlen(s), f,
                     (sd_ts)f * 1000);
}

static void expect_out(const rec *r, const char *s)
{
    assert_int_equal(r->outlen, strlen(s));
    assert_memory_equal(r->out, s, r->outlen);
}

#define ISN 1000u

/* In-order data goes out at once, without a copy. */
static void t_inorder_passthrough(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    static const uint8_t a[] = "hello ";
    sd_reasm_segment(z, ISN + 1, SD_TH_ACK, a, 6, 7, 70);
    assert_int_equal(r.nch, 1);
    assert_ptr_equal(r.chdata[0], a); /* passed through */
    assert_int_equal(r.ch[0].offset, 0);
    assert_int_equal(r.ch[0].first_frame, 7);
    assert_int_equal(r.ch[0].last_frame, 7);
    assert_int_equal(r.ch[0].ts, 70);
    assert_int_equal(r.ch[0].flags, 0);
    seg(z, ISN + 7, SD_TH_PSH, "world");
    expect_out(&r, "hello world");
    assert_int_equal(r.ch[1].offset, 6);
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->bytes_delivered, 11);
    assert_int_equal(s->ooo_segments, 0);
    sd_reasm_free(z);
}

/* libnids (b): segments ahead of the expected sequence are held and
 * delivered once the hole fills, in order, once. */
static void t_ooo_holes(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    seg(z, ISN + 1 + 8, 0, "IJKL");  /* frame 1 */
    seg(z, ISN + 1 + 4, 0, "EFGH");  /* frame 2 */
    seg(z, ISN + 1 + 16, 0, "QRST"); /* frame 3, second hole at 12..16 */
    assert_int_equal(r.nch, 0);
    uint64_t f0 = g_frame;
    seg(z, ISN + 1, 0, "ABCD"); /* fills the first hole */
    expect_out(&r, "ABCDEFGHIJKL");
    assert_int_equal(r.nch, 3);
    assert_int_equal(r.ch[1].offset, 4);
    assert_int_equal(r.ch[1].first_frame, f0 - 1); /* EFGH's frame */
    assert_int_equal(r.ch[1].last_frame, f0 + 1);  /* completed by ABCD */
    seg(z, ISN + 1 + 12, 0, "MNOP");
    expect_out(&r, "ABCDEFGHIJKLMNOPQRST");
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->ooo_segments, 3); /* MNOP came in order */
    assert_int_equal(s->bytes_delivered, 20);
    assert_int_equal(s->gap_bytes, 0);
    sd_reasm_free(z);
}

/* libnids (a): every overlap shape, identical bytes: delivered once, duplicates counted. */
static void t_overlap_same_bytes(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    const char *S = "0123456789abcdefghij";
    char b[32];
#define PART(o, n) (memcpy(b, S + (o), (n)), b[(n)] = 0, b)
    seg(z, ISN + 1 + 6, 0, PART(6, 4));  /* held 6..10 */
    seg(z, ISN + 1 + 5, 0, PART(5, 7));  /* covers old: 5..12 */
    seg(z, ISN + 1 + 7, 0, PART(7, 2));  /* inside old */
    seg(z, ISN + 1 + 3, 0, PART(3, 4));  /* overlaps head of 5..12 */
    seg(z, ISN + 1 + 11, 0, PART(11, 4)); /* overlaps tail */
    seg(z, ISN + 1 + 11, 0, PART(11, 4)); /* exact duplicate of held */
    assert_int_equal(r.nch, 0);
    seg(z, ISN + 1, 0, PART(0, 4)); /* overlaps 3..7 by one */
    expect_out(&r, "0123456789abcde");
    seg(z, ISN + 1 + 2, 0, PART(2, 5)); /* exact retransmission of delivered bytes */
    seg(z, ISN + 1 + 14, 0, PART(14, 6));
    expect_out(&r, S);
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->inconsistent_segments, 0);
    assert_int_equal(r.ninc, 0);
    assert_int_equal(s->retrans_segments, 3); /* inside, exact dup, delivered retrans */
    /* duplicate bytes: 4 (5..12 over 6..10) + 2 + 2 (3..7 over 5..7) + 1 (11) + 4 + 1 (0..4 over 3)
     * + 5 + 1 (14) */
    assert_int_equal(s->retrans_bytes, 4 + 2 + 2 + 1 + 4 + 1 + 5 + 1);
    assert_int_equal(s->bytes_delivered, 20);
    assert_false(r.allflags & SD_CHUNKF_RETRANS_INCONSISTENT);
    sd_reasm_free(z);
#undef PART
}

/* suricata-verify eve-overlap-payload-01: GOOD then EVIL at the same seq.
 * GOOD is delivered at once; EVIL is reported with both frames. */
static void t_retrans_different_delivered(void **st)
{
    (void)st;
    rec r;
    /* bytes the peer ACKed were accepted: every policy keeps them */
    sd_reasm *z = mk(&r, SD_OVERLAP_LAST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, SD_TH_PSH, "GOOD");
    uint64_t fg = g_frame;
    assert_int_equal(r.outlen, 0); /* LAST: held until ACKed, another copy may win */
    sd_reasm_ack(z, 5, ++g_frame, 0);
    expect_out(&r, "GOOD");
    seg(z, 1, SD_TH_PSH, "EVIL");
    expect_out(&r, "GOOD");
    assert_int_equal(r.ninc, 1);
    assert_int_equal(r.inc[0].offset, 0);
    assert_int_equal(r.inc[0].len, 4);
    assert_int_equal(r.inc[0].old_frame, fg);
    assert_int_equal(r.inc[0].new_frame, fg + 2);
    assert_false(r.inc[0].policy_unapplied); /* ACKed: no policy would take EVIL */
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->inconsistent_segments, 1);
    assert_int_equal(s->inconsistent_bytes, 4);
    assert_int_equal(s->retrans_segments, 0);
    /* partial: XXX inside GOOD (eve-overlap-payload-04) */
    seg(z, 2, 0, "XXX");
    assert_int_equal(r.ninc, 2);
    assert_int_equal(r.inc[1].offset, 1);
    assert_int_equal(r.inc[1].len, 3);
    /* a retransmission that differs and carries new bytes: new part delivered, flagged */
    seg(z, 3, 0, "ODxyz"); /* offsets 2..7: "OD" same, "xyz" new */
    sd_reasm_ack(z, 8, ++g_frame, 0);
    expect_out(&r, "GOODxyz");
    assert_int_equal(r.ninc, 2);
    seg(z, 4, 0, "Qxyzw"); /* offset 3: 'Q' differs from 'D', then new 'w' */
    sd_reasm_ack(z, 9, ++g_frame, 0);
    expect_out(&r, "GOODxyzw");
    assert_int_equal(r.ninc, 3);
    assert_int_equal(r.inc[2].offset, 3);
    assert_int_equal(r.inc[2].len, 1);
    assert_true(r.ch[r.nch - 1].flags & SD_CHUNKF_RETRANS_INCONSISTENT);
    sd_reasm_free(z);
}

/* Held (not yet delivered) bytes follow the policy. Old segment at 4..12
 * ("AAAAAAAA"), then one new segment per case, then the hole fills. */
static const char *overlap_case(sd_overlap_policy pol, uint32_t noff, const char *nw, size_t *ninc)
{
    static rec r;
    sd_reasm *z = mk(&r, pol, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    seg(z, ISN + 1 + 4, 0, "AAAAAAAA");
    seg(z, ISN + 1 + noff, 0, nw);
    sd_reasm_flush(z); /* the hole before becomes a GAP ('?') */
    *ninc = r.ninc;
    static char out[64];
    memcpy(out, r.out, r.outlen);
    out[r.outlen] = 0;
    assert_true(r.ninc == 0 || (r.allflags & SD_CHUNKF_RETRANS_INCONSISTENT));
    sd_reasm_free(z);
    return out;
}

static void t_policies(void **st)
{
    (void)st;
    size_t n;
    struct {
        uint32_t off;
        const char *nw;
        const char *first, *last, *linux_, *bsd;
    } cases[] = {
        /* new starts before old and covers it */
        {2, "bbbbbbbbbbbb", "??bbAAAAAAAAbb", "??bbbbbbbbbbbb", "??bbbbbbbbbbbb", "??bbbbbbbbbbbb"},
        /* new starts before, ends inside */
        {2, "bbbb", "??bbAAAAAAAA", "??bbbbAAAAAA", "??bbbbAAAAAA", "??bbbbAAAAAA"},
        /* same start, shorter */
        {4, "ss", "????AAAAAAAA", "????ssAAAAAA", "????AAAAAAAA", "????AAAAAAAA"},
        /* same start, same end */
        {4, "ssssssss", "????AAAAAAAA", "????ssssssss", "????AAAAAAAA", "????AAAAAAAA"},
        /* same start, longer: Linux takes it */
        {4, "ssssssssss", "????AAAAAAAAss", "????ssssssssss", "????ssssssssss", "????AAAAAAAAss"},
        /* inside */
        {6, "ii", "????AAAAAAAA", "????AAiiAAAA", "????AAAAAAAA", "????AAAAAAAA"},
        /* starts inside, runs past the end */
        {10, "tttt", "????AAAAAAAAtt", "????AAAAAAtttt", "????AAAAAAAAtt", "????AAAAAAAAtt"},
    };
    for (size_t i = 0; i < SD_ARRAY_LEN(cases); i++) {
        assert_string_equal(overlap_case(SD_OVERLAP_FIRST, cases[i].off, cases[i].nw, &n), cases[i].first);
        assert_int_equal(n, 1);
        assert_string_equal(overlap_case(SD_OVERLAP_LAST, cases[i].off, cases[i].nw, &n), cases[i].last);
        assert_string_equal(overlap_case(SD_OVERLAP_LINUX, cases[i].off, cases[i].nw, &n), cases[i].linux_);
        assert_string_equal(overlap_case(SD_OVERLAP_BSD, cases[i].off, cases[i].nw, &n), cases[i].bsd);
        assert_string_equal(overlap_case(SD_OVERLAP_WINDOWS, cases[i].off, cases[i].nw, &n), cases[i].bsd);
    }
}

/* libnids (i): sequence wrap; ISN near 2^32, out of order across the wrap. */
static void t_seq_wrap(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    uint32_t isn = 0xFFFFFFF8u;
    sd_reasm_set_isn(z, isn);
    seg(z, isn + 1 + 10, 0, "KLMNO"); /* seq 3: past the wrap */
    seg(z, isn + 1, 0, "ABCDE");      /* seq 0xFFFFFFF9 */
    seg(z, isn + 1 + 5, 0, "FGHIJ");  /* 0xFFFFFFFE..0x3 */
    expect_out(&r, "ABCDEFGHIJKLMNO");
    assert_int_equal(r.ch[2].offset, 10);
    sd_reasm_ack(z, isn + 1 + 15, 99, 0);
    sd_reasm_flush(z);
    expect_out(&r, "ABCDEFGHIJKLMNO");
    sd_reasm_free(z);
}

/* Offsets are 64-bit: a stream past 4 GiB (two wraps) keeps counting, with a
 * reordering right across the second wrap. */
static void t_offsets_past_4g(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    const uint32_t SZ = 1u << 20;
    uint8_t *buf = calloc(1, SZ);
    assert_non_null(buf);
    uint32_t isn = 0x80000000u;
    sd_reasm_set_isn(z, isn);
    uint64_t off = 0, total = (5ull << 30);
    while (off < total - 2 * SZ) {
        sd_reasm_segment(z, isn + 1 + (uint32_t)off, SD_TH_ACK, buf, SZ, 1, 0);
        off += SZ;
    }
    /* last two segments swapped */
    sd_reasm_segment(z, isn + 1 + (uint32_t)(off + SZ), SD_TH_ACK, buf, SZ, 2, 0);
    sd_reasm_segment(z, isn + 1 + (uint32_t)off, SD_TH_ACK, buf, SZ, 3, 0);
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->bytes_delivered, total);
    assert_int_equal(r.next, total);
    assert_int_equal(s->ooo_segments, 1);
    assert_int_equal(s->gap_bytes, 0);
    sd_reasm_free(z);
    free(buf);
}

/* libnids (j) + TFO: SYN data starts at isn+1; it is held until the peer
 * ACKs it or the sender continues after it. */
static void t_syn_data(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"GET /", 5, 1, 10);
    assert_int_equal(r.nch, 0);
    sd_reasm_ack(z, ISN + 1 + 5, 2, 20); /* SYN-ACK accepts the data (tcp-fastopen-01) */
    expect_out(&r, "GET /");
    assert_int_equal(r.ch[0].offset, 0);
    assert_int_equal(r.ch[0].first_frame, 1);
    assert_int_equal(r.ch[0].last_frame, 2);
    seg(z, ISN + 6, 0, "x");
    expect_out(&r, "GET /x");
    sd_reasm_free(z);

    /* SYN-ACK acknowledges only the SYN; the client re-sends different bytes
     * after the handshake (tcp-fastopen-10-syn-data-ignore): the re-send wins. */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"HELLO", 5, 1, 10);
    sd_reasm_ack(z, ISN + 1, 2, 20);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"HELLO", 5, 3, 30); /* SYN rexmit */
    assert_int_equal(r.nch, 0);
    sd_reasm_segment(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"hello", 5, 4, 40);
    expect_out(&r, "hello");
    assert_int_equal(r.ch[0].first_frame, 4);
    assert_int_equal(r.ninc, 1); /* still reported */
    assert_int_equal(sd_reasm_get_stats(z)->bytes_delivered, 5);
    sd_reasm_free(z);

    /* The re-send is shorter than the SYN's data: the SYN's tail was not
     * taken either and never reaches the stream (hostile round 12 syn_data:
     * it was read as the client's next SSH packet). */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"EVIL-LONGER", 11, 1, 10);
    sd_reasm_ack(z, ISN + 1, 2, 20);
    sd_reasm_segment(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"hello", 5, 3, 30);
    seg(z, ISN + 6, 0, "!");
    sd_reasm_flush(z);
    expect_out(&r, "hello!");
    assert_int_equal(sd_reasm_get_stats(z)->bytes_delivered, 6);
    sd_reasm_free(z);

    /* Same bytes re-sent: delivered once. Without any answer, flush delivers SYN data. */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"HELLO", 5, 1, 10);
    sd_reasm_segment(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"HELLO", 5, 4, 40);
    expect_out(&r, "HELLO");
    assert_int_equal(r.ninc, 0);
    sd_reasm_free(z);

    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_segment(z, ISN, SD_TH_SYN, (const uint8_t *)"HELLO", 5, 1, 10); /* no set_isn */
    sd_reasm_flush(z);
    expect_out(&r, "HELLO");
    assert_int_equal(r.ch[0].offset, 0);
    sd_reasm_free(z);
}

/* A doubtful copy (an IP datagram whose fragments overlapped with other
 * bytes, which its receiver may drop): held until the peer ACKs past it; a
 * re-send before that replaces it; the sender going on does not confirm
 * it; the end delivers it (hostile round 12 frag_conflict). */
static void t_doubtful(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    seg(z, ISN + 1, 0, "ab");
    sd_reasm_segment_ex(z, ISN + 3, SD_TH_ACK, (const uint8_t *)"EVIL", 4, 2, 20, true);
    seg(z, ISN + 7, 0, "cd"); /* the sender goes on before it learns of the drop */
    expect_out(&r, "ab");
    sd_reasm_segment(z, ISN + 3, SD_TH_ACK, (const uint8_t *)"good", 4, 4, 40); /* the re-send */
    expect_out(&r, "abgoodcd");
    assert_int_equal(r.ninc, 1); /* the difference is still reported */
    sd_reasm_free(z);

    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment_ex(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"TOOK", 4, 1, 10, true);
    expect_out(&r, "");
    sd_reasm_ack(z, ISN + 5, 2, 20); /* the receiver took it */
    expect_out(&r, "TOOK");
    sd_reasm_segment(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"late", 4, 3, 30);
    expect_out(&r, "TOOK");
    sd_reasm_free(z);

    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, ISN);
    sd_reasm_segment_ex(z, ISN + 1, SD_TH_ACK, (const uint8_t *)"only", 4, 1, 10, true);
    sd_reasm_flush(z); /* nothing else came: what there is */
    expect_out(&r, "only");
    sd_reasm_free(z);
}

/* SYN-ACK retries with two ISNs (tcp-fastopen-10): the last set_isn is
 * stale; data or the peer's ACK at an earlier ISN+1 moves offset 0 there. */
static void t_two_isns(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 5000);
    sd_reasm_set_isn(z, 90000);
    sd_reasm_set_isn(z, 5000);
    sd_reasm_set_isn(z, 90000);
    sd_reasm_ack(z, 5001, 3, 0); /* the peer acknowledged ISN 5000 */
    seg(z, 5001, 0, "data");
    expect_out(&r, "data");
    assert_int_equal(r.ch[0].offset, 0);
    assert_int_equal(sd_reasm_get_stats(z)->gap_bytes, 0);
    sd_reasm_set_isn(z, 90000); /* too late: data was delivered */
    seg(z, 5005, 0, "more");
    expect_out(&r, "datamore");
    sd_reasm_free(z);

    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 5000);
    sd_reasm_set_isn(z, 90000);
    seg(z, 5001, 0, "xy"); /* data itself at the earlier ISN+1 */
    expect_out(&r, "xy");
    assert_int_equal(r.ch[0].offset, 0);
    sd_reasm_free(z);
}

/* libnids (g) / suricata-verify bug-6244: a RST's payload is not stream
 * data; data beyond the RST's sequence is still delivered, flagged. */
static void t_rst(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, SD_TH_PSH, "Please ");
    seg(z, 8, SD_TH_PSH, "Let ");
    seg(z, 12, SD_TH_RST, "Access Denied");
    expect_out(&r, "Please Let ");
    assert_false(r.allflags & SD_CHUNKF_AFTER_RST);
    seg(z, 12, SD_TH_PSH, "Me In!");
    expect_out(&r, "Please Let Me In!");
    assert_int_equal(r.ch[2].offset, 11);
    assert_true(r.ch[2].flags & SD_CHUNKF_AFTER_RST);
    sd_reasm_flush(z);
    sd_reasm_free(z);
}

/* libnids (f): urgent data stays in band (the API carries no urgent
 * pointer; suricata-verify tcp-urgp-04 shows only the last urgent byte
 * leaves the stream on Linux: the engine may report it). */
static void t_urgent_inband(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, 0, "GET /malic");
    seg(z, 11, SD_TH_URG | SD_TH_PSH, "X");
    seg(z, 12, 0, "ious");
    expect_out(&r, "GET /malicXious");
    assert_int_equal(r.nch, 3);
    sd_reasm_free(z);
}

/* Data after FIN: delivered, flagged; the FIN's sequence number is not a gap. */
static void t_after_fin(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, SD_TH_FIN, "abcd"); /* FIN at seq 5 = offset 4 */
    seg(z, 6, 0, "efg");          /* continues one past the FIN (sl1 trace) */
    expect_out(&r, "abcdefg");
    assert_int_equal(r.ch[0].flags, 0);
    assert_int_equal(r.ch[1].offset, 5);
    assert_int_equal(r.ch[1].flags, SD_CHUNKF_AFTER_FIN);
    assert_int_equal(sd_reasm_get_stats(z)->gap_bytes, 0);
    sd_reasm_ack(z, 9, 9, 0);
    sd_reasm_flush(z);
    assert_int_equal(sd_reasm_get_stats(z)->gap_bytes, 0);
    sd_reasm_free(z);

    /* data at the FIN's own sequence (sender did not count it), arriving held */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, 0, "ab");
    seg(z, 5, SD_TH_FIN, ""); /* FIN at offset 4, bytes 2..4 not yet seen */
    seg(z, 5, 0, "xy");       /* held at 4 */
    seg(z, 3, 0, "cd");
    expect_out(&r, "abcdxy");
    assert_int_equal(r.ch[2].offset, 4);
    assert_int_equal(r.ch[2].flags, SD_CHUNKF_AFTER_FIN);
    assert_int_equal(r.ch[1].flags, 0);
    sd_reasm_free(z);

    /* a segment straddling the FIN is split so flags are exact */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 3, SD_TH_FIN, "cd"); /* held, FIN at offset 4 */
    seg(z, 1, 0, "abcdef");     /* covers everything */
    expect_out(&r, "abcdef");
    assert_int_equal(r.nch, 3); /* "ab" passed through, "cd" held, "ef" passed through */
    assert_int_equal(r.ch[1].flags, 0);
    assert_int_equal(r.ch[2].offset, 4);
    assert_int_equal(r.ch[2].flags, SD_CHUNKF_AFTER_FIN);
    sd_reasm_free(z);
}

/* Keep-alives (0 or 1 byte at next-1, garbage byte) are not data. */
static void t_keepalive(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    seg(z, 1, 0, "abc");
    seg(z, 3, 0, "");
    seg(z, 3, 0, "Z"); /* garbage keep-alive byte */
    seg(z, 4, 0, "d");
    expect_out(&r, "abcd");
    assert_int_equal(r.ninc, 0);
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->retrans_segments, 0);
    assert_int_equal(s->inconsistent_segments, 0);
    /* zero-window probe: one byte at next, then the full segment re-sends it */
    seg(z, 5, 0, "e");
    seg(z, 5, 0, "efgh");
    expect_out(&r, "abcdefgh");
    assert_int_equal(s->retrans_bytes, 1);
    sd_reasm_free(z);
}

/* Mid-stream pickup: the first data segment is offset 0; data before it is
 * from before the capture and is dropped (counted). */
static void t_midstream(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_segment(z, 5000, SD_TH_ACK, NULL, 0, 1, 0); /* pure ACK: no base yet */
    sd_reasm_ack(z, 77, 1, 0);                           /* ignored: no base */
    seg(z, 7000, 0, "later");
    uint64_t f_later = g_frame;
    seg(z, 7005, 0, "more");
    assert_int_equal(r.nch, 0); /* offset 0 can still move down: nothing out yet */
    /* tcpflow test1-out-of-order: bytes sent before the first segment seen,
     * captured after it, are the stream's start */
    seg(z, 6990, 0, "0123456789");
    uint64_t f_early = g_frame;
    seg(z, 6995, 0, "56789lat"); /* a copy of held bytes */
    assert_int_equal(r.nch, 0);
    sd_reasm_ack(z, 6990, 90, 0); /* the peer had all before 6990: offset 0 settled */
    expect_out(&r, "0123456789latermore");
    assert_int_equal(r.ch[0].offset, 0);
    assert_int_equal(r.ch[0].last_frame, f_early); /* released: its own frame */
    assert_int_equal(r.ch[1].last_frame, f_later);
    /* after the grace, bytes before offset 0 are old: dropped and counted */
    seg(z, 6980, 0, "old");
    seg(z, 7009, 0, "!"); /* in order again: straight out */
    expect_out(&r, "0123456789latermore!");
    /* a keep-alive (1 byte at offset -1) never moves offset 0 */
    rec r2;
    sd_reasm *z2 = mk(&r2, SD_OVERLAP_FIRST, 0, NULL);
    seg(z2, 500, 0, "abc");
    seg(z2, 499, 0, "x");
    sd_reasm_flush(z2);
    expect_out(&r2, "abc");
    sd_reasm_free(z2);
    /* no ACK at all: the grace of REASM_PICKUP_GRACE events settles it */
    z2 = mk(&r2, SD_OVERLAP_FIRST, 0, NULL);
    for (uint32_t i = 0; i < 8; i++)
        seg(z2, 100 + i, 0, "x");
    assert_int_equal(r2.nch, 0);
    seg(z2, 108, 0, "y"); /* the 8th event after the first */
    expect_out(&r2, "xxxxxxxxy");
    sd_reasm_free(z2);
    /* tcpflow test1-part2: a peer ACK below offset 0 says the stream starts
     * there; the bytes in between arrive next */
    z2 = mk(&r2, SD_OVERLAP_FIRST, 0, NULL);
    seg(z2, 210, 0, "tail");
    sd_reasm_ack(z2, 200, 91, 0);
    seg(z2, 200, 0, "0123456789");
    sd_reasm_ack(z2, 214, 92, 0);
    expect_out(&r2, "0123456789tail");
    sd_reasm_free(z2);
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->retrans_segments, 2);
    assert_int_equal(s->retrans_bytes, 8 + 3);
    sd_reasm_free(z);
}

/* eve-overlap-payload-05-gap: the peer ACKs past a hole: GAP then data,
 * once REASM_ACK_GRACE more events passed without the hole filling. */
static void ack_grace(sd_reasm *z, uint32_t ack)
{
    for (int i = 0; i < 8; i++)
        sd_reasm_ack(z, ack, 60, 600);
}

static void t_gap_via_ack(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 1);
    seg(z, 2, 0, "VERY");
    seg(z, 10, 0, "DATA");
    uint64_t f_data = g_frame;
    sd_reasm_ack(z, 6, 50, 500); /* only up to the hole: nothing yet */
    assert_int_equal(r.nch, 1);
    sd_reasm_ack(z, 14, 51, 510);
    assert_int_equal(r.nch, 1); /* the grace: the hole may still fill */
    ack_grace(z, 14);
    expect_out(&r, "VERY????DATA");
    assert_int_equal(r.nch, 3);
    assert_int_equal(r.ch[1].kind, SD_CHUNK_GAP);
    assert_int_equal(r.ch[1].offset, 4);
    assert_int_equal(r.ch[1].len, 4);
    assert_null(r.ch[1].data);
    assert_int_equal(r.ch[1].last_frame, 51); /* the ACK that showed the loss */
    assert_int_equal(r.ch[2].kind, SD_CHUNK_DATA);
    assert_int_equal(r.ch[2].offset, 8);
    assert_int_equal(r.ch[2].last_frame, f_data); /* released: its own frame */
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_int_equal(s->gap_bytes, 4);
    assert_false(s->truncated);
    /* the missing bytes arriving late are old now */
    seg(z, 6, 0, "LATE");
    expect_out(&r, "VERY????DATA");
    /* an ACK already past a new hole: data beyond it flows after the grace */
    seg(z, 20, 0, "ZZ"); /* hole 12..18, the ACK (offset 12) does not reach into it */
    assert_int_equal(r.outlen, 12);
    sd_reasm_ack(z, 30, 52, 520); /* bogus far ACK: gap only up to held data */
    ack_grace(z, 30);
    expect_out(&r, "VERY????DATA??????ZZ");
    sd_reasm_free(z);
}

/* tcpflow test5-lines-randomized: the ACK past a hole is captured before
 * the segment that fills it; within the grace the data still fits. */
static void t_late_fill_within_grace(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 1);
    seg(z, 6, 0, "DATA");
    sd_reasm_ack(z, 10, 50, 500);
    sd_reasm_ack(z, 10, 51, 510);
    seg(z, 2, 0, "VERY");
    expect_out(&r, "VERYDATA");
    assert_int_equal(sd_reasm_get_stats(z)->gap_bytes, 0);
    sd_reasm_free(z);
}

/* eve-payload-06 leading gap and gaps at flush (between held data, and
 * ACKed-but-never-seen bytes at the end). */
static void t_gap_via_flush(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 1);
    seg(z, 6, 0, "GOOD");
    seg(z, 10, 0, "DATA");
    seg(z, 20, 0, "END");
    assert_int_equal(r.nch, 0);
    sd_reasm_flush(z);
    expect_out(&r, "????GOODDATA??????END");
    assert_int_equal(r.ch[0].kind, SD_CHUNK_GAP);
    assert_int_equal(r.ch[0].len, 4);
    assert_int_equal(sd_reasm_get_stats(z)->gap_bytes, 10);
    sd_reasm_free(z);

    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 1);
    seg(z, 2, 0, "abc");
    sd_reasm_ack(z, 2 + 3 + 7, 9, 0); /* 7 bytes acked that were never captured */
    assert_int_equal(r.nch, 1);
    sd_reasm_flush(z);
    expect_out(&r, "abc???????");
    sd_reasm_free(z);

    /* ACK of the FIN only: no gap */
    z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 1);
    seg(z, 2, SD_TH_FIN, "abc");
    sd_reasm_ack(z, 6, 9, 0);
    sd_reasm_flush(z);
    expect_out(&r, "abc");
    sd_reasm_free(z);
}

/* Per-stream cap: held bytes never exceed it; the first hole is given up
 * (GAP), the stream is flagged truncated and keeps flowing. */
static void t_stream_cap(void **st)
{
    (void)st;
    rec r;
    size_t cap = 2 * (10 + SEG_OVERHEAD) + 5; /* room for two 10-byte segments */
    sd_reasm_budget b = {1 << 20, 0, 0};
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, cap, &b);
    sd_reasm_set_isn(z, 0);
    seg(z, 1 + 10, 0, "BBBBBBBBBB");
    seg(z, 1 + 30, 0, "DDDDDDDDDD");
    assert_int_equal(r.nch, 0);
    assert_int_equal(b.used, 2 * (10 + SEG_OVERHEAD));
    seg(z, 1 + 50, 0, "FFFFFFFFFF"); /* does not fit: hole 0..10 given up */
    const sd_reasm_stats *s = sd_reasm_get_stats(z);
    assert_true(s->truncated);
    assert_int_equal(b.streams_truncated, 1);
    expect_out(&r, "??????????BBBBBBBBBB");
    assert_true(r.ch[0].flags & SD_CHUNKF_TRUNCATED);
    assert_int_equal(r.ch[0].kind, SD_CHUNK_GAP);
    assert_true(r.ch[1].flags & SD_CHUNKF_TRUNCATED);
    assert_int_equal(b.used, 2 * (10 + SEG_OVERHEAD));
    seg(z, 1 + 20, 0, "CCCCCCCCCC");
    seg(z, 1 + 40, 0, "EEEEEEEEEE");
    expect_out(&r, "??????????BBBBBBBBBBCCCCCCCCCCDDDDDDDDDDEEEEEEEEEEFFFFFFFFFF");
    assert_int_equal(b.used, 0);
    /* a segment bigger than the cap with a hole before it: passed through */
    seg(z, 1 + 70, 0,
        "GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGG");
    assert_int_equal(r.ch[r.nch - 2].kind, SD_CHUNK_GAP);
    assert_int_equal(r.ch[r.nch - 2].len, 10);
    assert_int_equal(r.ch[r.nch - 1].offset, 70);
    assert_int_equal(s->gap_bytes, 20);
    assert_int_equal(b.used, 0);
    sd_reasm_free(z);
    assert_int_equal(b.used, 0);
}

/* Global budget shared by two streams. */
static void t_budget(void **st)
{
    (void)st;
    rec r1, r2;
    sd_reasm_budget b = {3 * (8 + SEG_OVERHEAD), 0, 0};
    sd_reasm *z1 = mk(&r1, SD_OVERLAP_FIRST, 0, &b);
    sd_reasm *z2 = mk(&r2, SD_OVERLAP_FIRST, 0, &b);
    sd_reasm_set_isn(z1, 0);
    sd_reasm_set_isn(z2, 0);
    seg(z1, 1 + 8, 0, "11111111");
    seg(z1, 1 + 24, 0, "33333333");
    seg(z2, 1 + 8, 0, "bbbbbbbb");
    assert_int_equal(b.used, b.cap);
    seg(z2, 1 + 16, 0, "cccccccc"); /* over budget: z2 gives up its hole */
    expect_out(&r2, "????????bbbbbbbbcccccccc");
    assert_true(sd_reasm_get_stats(z2)->truncated);
    assert_false(sd_reasm_get_stats(z1)->truncated);
    assert_int_equal(b.streams_truncated, 1);
    assert_int_equal(b.used, 2 * (8 + SEG_OVERHEAD));
    sd_reasm_free(z1); /* returns its budget */
    assert_int_equal(b.used, 0);
    sd_reasm_free(z2);
}

/* ---- randomized: segmentation, duplication, reordering, overlaps ---- */

static uint64_t rs;
static uint32_t rnd(void)
{
    rs = rs * 6364136223846793005ull + 1442695040888963407ull;
    return (uint32_t)(rs >> 33);
}

static void run_random(sd_overlap_policy pol, bool differ, int iters)
{
    enum { N = 3000, MAXSEG = 600 };
    static uint8_t src[N], model[N], scratch[MAXSEG];
    static bool have[N];
    static rec r;
    for (int it = 0; it < iters; it++) {
        size_t n = 1 + rnd() % N;
        for (size_t i = 0; i < n; i++)
            src[i] = (uint8_t)rnd();
        memset(have, 0, sizeof have);
        sd_reasm *z = mk(&r, pol, 1 << 20, NULL);
        uint32_t isn = rnd() % 3 == 0 ? 0xFFFFFFFFu - (rnd() % 2000) : rnd();
        sd_reasm_set_isn(z, isn);
        size_t mnext = 0;  /* model's contiguous end */
        size_t mfixed = 0; /* model's delivery point: mnext, or (a policy other than
                              first) what the peer ACKed */
        bool gated = pol != SD_OVERLAP_FIRST;
        /* random segments until everything is covered, then the leftovers */
        int guard = 0;
        while (mnext < n && guard++ < 100000) {
            size_t off = rnd() % n, len = 1 + rnd() % MAXSEG;
            if (rnd() % 4 == 0) { /* bias towards the hole */
                off = mnext + rnd() % 64;
                if (off >= n)
                    off = mnext;
            }
            if (off + len > n)
                len = n - off;
            for (size_t i = 0; i < len; i++) {
                uint8_t v = src[off + i];
                if (differ && rnd() % 3 == 0)
                    v = (uint8_t)rnd();
                scratch[i] = v;
            }
            /* model */
            for (size_t i = 0; i < len; i++) {
                size_t o = off + i;
                if (o < mfixed)
                    continue; /* delivered: fixed */
                if (!have[o] || pol == SD_OVERLAP_LAST) {
                    have[o] = true;
                    model[o] = scratch[i];
                }
            }
            while (mnext < n && have[mnext])
                mnext++;
            sd_reasm_segment(z, isn + 1 + (uint32_t)off, SD_TH_ACK, scratch, (uint32_t)len,
                             (uint64_t)guard, 0);
            if (gated && rnd() % 4 == 0) { /* the peer ACKs what it has */
                sd_reasm_ack(z, isn + 1 + (uint32_t)mnext, (uint64_t)guard, 0);
                mfixed = mnext;
            }
            if (!gated)
                mfixed = mnext;
            assert_int_equal(r.outlen, mfixed);
        }
        sd_reasm_flush(z);
        assert_int_equal(r.outlen, n);
        const sd_reasm_stats *s = sd_reasm_get_stats(z);
        assert_int_equal(s->gap_bytes, 0);
        assert_int_equal(s->bytes_delivered, n);
        if (differ)
            assert_memory_equal(r.out, model, n);
        else
            assert_memory_equal(r.out, src, n);
        if (!differ) {
            assert_int_equal(s->inconsistent_segments, 0);
            assert_int_equal(r.ninc, 0);
        }
        sd_reasm_free(z);
    }
}

static void t_random_identical(void **st)
{
    (void)st;
    rs = 12345;
    run_random(SD_OVERLAP_FIRST, false, 300);
    run_random(SD_OVERLAP_LINUX, false, 100);
}

static void t_random_first(void **st)
{
    (void)st;
    rs = 777;
    run_random(SD_OVERLAP_FIRST, true, 300);
}

static void t_random_last(void **st)
{
    (void)st;
    rs = 4242;
    run_random(SD_OVERLAP_LAST, true, 300);
}


/* One random stream into z: segments anywhere, some bytes changed, some
 * retransmitted, ACKs now and then, a flush or not (held data left for
 * sd_reasm_retire), the frames numbered from 1. Returns the stats. */
static sd_reasm_stats feed_random(sd_reasm *z, uint64_t seed, bool flush)
{
    enum { N = 20000, MAXSEG = 1400 };
    static uint8_t src[N], scratch[MAXSEG];
    rs = seed;
    size_t n = 1 + rnd() % N;
    for (size_t i = 0; i < n; i++)
        src[i] = (uint8_t)rnd();
    uint32_t isn = rnd();
    sd_reasm_set_isn(z, isn);
    for (uint64_t fr = 1; fr < 200; fr++) {
        size_t off = rnd() % n, len = 1 + rnd() % MAXSEG;
        if (off + len > n)
            len = n - off;
        for (size_t i = 0; i < len; i++)
            scratch[i] = rnd() % 50 ? src[off + i] : (uint8_t)rnd();
        sd_reasm_segment(z, isn + 1 + (uint32_t)off, SD_TH_ACK, scratch, (uint32_t)len, fr, (sd_ts)fr);
        if (rnd() % 5 == 0)
            sd_reasm_ack(z, isn + 1 + (uint32_t)(rnd() % n), fr, (sd_ts)fr);
    }
    if (flush)
        sd_reasm_flush(z);
    return *sd_reasm_get_stats(z);
}

static void same_rec(const rec *a, const rec *b)
{
    assert_int_equal(a->outlen, b->outlen);
    assert_memory_equal(a->out, b->out, a->outlen);
    assert_int_equal(a->nch, b->nch);
    for (size_t i = 0; i < a->nch; i++) {
        assert_int_equal(a->ch[i].offset, b->ch[i].offset);
        assert_int_equal(a->ch[i].len, b->ch[i].len);
        assert_int_equal(a->ch[i].kind, b->ch[i].kind);
        assert_int_equal(a->ch[i].first_frame, b->ch[i].first_frame);
        assert_int_equal(a->ch[i].last_frame, b->ch[i].last_frame);
        assert_int_equal(a->ch[i].flags, b->ch[i].flags);
    }
    assert_int_equal(a->ninc, b->ninc);
    for (size_t i = 0; i < a->ninc; i++) { /* their bytes are gone: the callback's */
        const sd_reasm_inconsistency *x = &a->inc[i], *y = &b->inc[i];
        assert_true(x->offset == y->offset && x->len == y->len && x->old_frame == y->old_frame &&
                    x->new_frame == y->new_frame && x->delivered == y->delivered);
    }
}

/* A reassembler recycled over many streams (sd_reasm_retire, then
 * sd_reasm_recycle: its rings kept at the size the last stream grew them
 * to) delivers, reports and counts each stream as a new one does, under
 * each policy and a small history cap that the rings reach; retiring
 * gives every held byte back to the budget. */
static void t_recycle_same(void **st)
{
    (void)st;
    static rec a, b;
    sd_reasm_budget bud = { .cap = 1 << 20 };
    const sd_overlap_policy pols[3] = { SD_OVERLAP_FIRST, SD_OVERLAP_LAST, SD_OVERLAP_LINUX };
    for (int p = 0; p < 3; p++) {
        sd_reasm_opts o = { pols[p], 1 << 20, &bud, 16384, false };
        sd_reasm_cb cb = { on_chunk, on_inc, &b, NULL };
        sd_reasm *kept = sd_reasm_new(&o, &cb);
        for (uint64_t k = 0; k < 60; k++) {
            bool flush = k % 3 != 0;
            memset(&a, 0, sizeof a);
            sd_reasm *fresh = sd_reasm_new(&o, &(sd_reasm_cb){ on_chunk, on_inc, &a, NULL });
            sd_reasm_stats sa = feed_random(fresh, 1000 + k, flush);
            sd_reasm_free(fresh);
            assert_int_equal(bud.used, 0);
            memset(&b, 0, sizeof b);
            if (k)
                sd_reasm_recycle(kept, &o, &cb);
            sd_reasm_stats sb = feed_random(kept, 1000 + k, flush);
            sd_reasm_retire(kept);
            assert_int_equal(bud.used, 0);
            assert_memory_equal(&sa, &sb, sizeof sa);
            same_rec(&a, &b);
        }
        sd_reasm_free(kept);
    }
}

/* The history of delivered bytes grows as a stream does (4 KiB ring up to
 * half of hist_cap): bytes copied across each growth still answer retransmissions,
 * identical ones silently, a changed one with the frame that carried the
 * original. */
static void t_history_growth(void **st)
{
    (void)st;
    static rec r;
    static uint8_t src[40000];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (uint8_t)(i * 7 + i / 251);
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0xFFFFF000u); /* wraps on the way */
    for (uint32_t off = 0; off < sizeof src; off += 1000)
        sd_reasm_segment(z, 0xFFFFF001u + off, SD_TH_ACK, src + off, 1000, 100 + off / 1000, 0);
    assert_int_equal(r.outlen, sizeof src);
    for (uint32_t off = 8000; off < sizeof src; off += 3333) /* before each growth and after */
        sd_reasm_segment(z, 0xFFFFF001u + off, SD_TH_ACK, src + off, 500, 900, 0);
    assert_int_equal(r.ninc, 0);
    assert_int_equal(sd_reasm_get_stats(z)->retrans_segments, 10);
    uint8_t bad[100];
    memcpy(bad, src + 20050, sizeof bad);
    bad[10] ^= 0x55;
    sd_reasm_segment(z, 0xFFFFF001u + 20050, SD_TH_ACK, bad, sizeof bad, 901, 0);
    assert_int_equal(r.ninc, 1);
    assert_int_equal(r.inc[0].offset, 20060);
    assert_int_equal(r.inc[0].old_frame, 120);
    sd_reasm_free(z);
}

/* The history is bounded by memory, not segments: a byte changed after
 * 1,100 one-byte segments is still seen (the 1024-segment ring missed it);
 * with a history too small for it, the byte is counted as unchecked. */
static void t_history_segments(void **st)
{
    (void)st;
    static rec r;
    for (int small = 0; small < 2; small++) {
        memset(&r, 0, sizeof r);
        sd_reasm_opts o = { .policy = SD_OVERLAP_FIRST, .hist_cap = small ? 1024 : 0 };
        sd_reasm *z = sd_reasm_new(&o, &(sd_reasm_cb){ .chunk = on_chunk, .inconsistency = on_inc, .ud = &r });
        sd_reasm_set_isn(z, 0);
        for (uint32_t k = 0; k < 1100; k++)
            sd_reasm_segment(z, 1 + k, SD_TH_ACK, (const uint8_t *)"a", 1, 10 + k, 0);
        sd_reasm_segment(z, 1, SD_TH_ACK, (const uint8_t *)"b", 1, 2000, 0);
        const sd_reasm_stats *s = sd_reasm_get_stats(z);
        assert_int_equal(r.ninc, small ? 0 : 1);
        assert_int_equal(s->unchecked_bytes, small ? 1 : 0);
        if (!small) {
            assert_int_equal(r.inc[0].old_frame, 10);
            assert_int_equal(r.inc[0].new_frame, 2000);
            assert_int_equal(r.inc[0].shown, 1);
            assert_int_equal(r.inc[0].old_bytes[0], 'a');
            assert_int_equal(r.inc[0].new_bytes[0], 'b');
        }
        sd_reasm_free(z);
    }
}

/* The last urgent byte: reported where it is delivered; out of the stream
 * with urgent_oob (tcp-urgp-01: the server read /malicious), no gap. */
static sd_reasm_urgent g_urg[4];
static int g_nurg;
static void on_urg(void *ud, const sd_reasm_urgent *u)
{
    (void)ud;
    if (g_nurg < 4)
        g_urg[g_nurg++] = *u;
}

static void t_urgent_oob(void **st)
{
    (void)st;
    static rec r;
    for (int oob = 0; oob < 2; oob++) {
        memset(&r, 0, sizeof r);
        g_nurg = 0;
        sd_reasm_opts o = { .policy = SD_OVERLAP_FIRST, .urgent_oob = oob };
        sd_reasm *z = sd_reasm_new(&o, &(sd_reasm_cb){ .chunk = on_chunk, .urgent = on_urg, .ud = &r });
        sd_reasm_set_isn(z, 0);
        seg(z, 1, 0, "GET /malic");
        sd_reasm_mark_urgent(z, 12); /* "XY", urgent pointer 2: only Y */
        seg(z, 11, SD_TH_URG, "XY");
        seg(z, 13, 0, "ious");
        expect_out(&r, oob ? "GET /malicXious" : "GET /malicXYious");
        assert_int_equal(g_nurg, 1);
        assert_int_equal(g_urg[0].offset, 11);
        assert_int_equal(g_urg[0].byte, 'Y');
        assert_int_equal(g_urg[0].oob, oob);
        const sd_reasm_stats *s = sd_reasm_get_stats(z);
        assert_int_equal(s->urgent_bytes, 1);
        assert_int_equal(s->gap_bytes, 0);
        assert_int_equal(s->bytes_delivered, oob ? 15 : 16);
        sd_reasm_free(z);
    }
}

/* One urgent mark, as a socket holds: a pointer past a byte still pending
 * replaces it (that byte stays in the stream); an older one is ignored
 * (hostile round 20, urg_replaced). */
static void t_urgent_replaced(void **st)
{
    (void)st;
    static rec r;
    memset(&r, 0, sizeof r);
    g_nurg = 0;
    sd_reasm_opts o = { .policy = SD_OVERLAP_FIRST, .urgent_oob = true };
    sd_reasm *z = sd_reasm_new(&o, &(sd_reasm_cb){ .chunk = on_chunk, .urgent = on_urg, .ud = &r });
    sd_reasm_set_isn(z, 0);
    sd_reasm_mark_urgent(z, 7); /* past the segment: the "X" to come */
    seg(z, 1, SD_TH_URG, "GET /");
    sd_reasm_mark_urgent(z, 11); /* the "!": the X's mark replaced */
    sd_reasm_mark_urgent(z, 9);  /* an older pointer: nothing */
    seg(z, 6, SD_TH_URG, "mXlic!ious");
    expect_out(&r, "GET /mXlicious");
    assert_int_equal(g_nurg, 1);
    assert_int_equal(g_urg[0].byte, '!');
    sd_reasm_free(z);
}

/* A segment the snaplen cut (10 bytes of 20 captured), re-sent whole:
 * with the peer's ACKs in the capture the cut is a hole the whole copy
 * fills; with none (one direction captured) it is a gap at once. */
static void t_snapcut_resent(void **st)
{
    (void)st;
    for (int acks = 0; acks < 2; acks++) {
        rec r;
        sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
        sd_reasm_set_isn(z, ISN);
        if (acks)
            sd_reasm_ack(z, ISN + 1, ++g_frame, 0); /* the handshake's last ACK */
        seg(z, ISN + 1, SD_TH_PSH, "0123456789");
        sd_reasm_snapcut(z, ISN + 11, 10, g_frame, 0);
        seg(z, ISN + 1, SD_TH_PSH, "0123456789abcdefghij");
        seg(z, ISN + 21, SD_TH_PSH, "klm");
        sd_reasm_flush(z);
        expect_out(&r, acks ? "0123456789abcdefghijklm" : "0123456789??????????klm");
        sd_reasm_free(z);
    }
}

/* Mid-stream: a keep-alive (one byte just below what the peer ACKed
 * already) before the first data does not start the stream. */
static void t_keepalive_first(void **st)
{
    (void)st;
    rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_ack(z, 5000, ++g_frame, 0);
    seg(z, 4999, 0, "\xff");
    seg(z, 5000, SD_TH_PSH, "data");
    sd_reasm_ack(z, 5004, ++g_frame, 0);
    sd_reasm_flush(z);
    expect_out(&r, "data");
    sd_reasm_free(z);
}

/* libnids (k): thousands of 1-byte segments in decreasing order. */
static void t_many_held(void **st)
{
    (void)st;
    static rec r;
    sd_reasm *z = mk(&r, SD_OVERLAP_FIRST, 0, NULL);
    sd_reasm_set_isn(z, 0);
    enum { M = 20000 };
    uint8_t c = 'x';
    for (uint32_t i = M; i >= 1; i--)
        sd_reasm_segment(z, 1 + i, SD_TH_ACK, &c, 1, i, 0);
    assert_int_equal(r.nch, 0);
    sd_reasm_segment(z, 1, SD_TH_ACK, &c, 1, 0, 0);
    assert_int_equal(r.next, M + 1);
    assert_int_equal(sd_reasm_get_stats(z)->bytes_delivered, M + 1);
    sd_reasm_free(z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(t_inorder_passthrough),
        cmocka_unit_test(t_recycle_same),
        cmocka_unit_test(t_ooo_holes),
        cmocka_unit_test(t_overlap_same_bytes),
        cmocka_unit_test(t_retrans_different_delivered),
        cmocka_unit_test(t_policies),
        cmocka_unit_test(t_seq_wrap),
        cmocka_unit_test(t_offsets_past_4g),
        cmocka_unit_test(t_syn_data),
        cmocka_unit_test(t_doubtful),
        cmocka_unit_test(t_two_isns),
        cmocka_unit_test(t_rst),
        cmocka_unit_test(t_urgent_inband),
        cmocka_unit_test(t_urgent_oob),
        cmocka_unit_test(t_urgent_replaced),
        cmocka_unit_test(t_history_segments),
        cmocka_unit_test(t_after_fin),
        cmocka_unit_test(t_keepalive),
        cmocka_unit_test(t_midstream),
        cmocka_unit_test(t_gap_via_ack),
        cmocka_unit_test(t_late_fill_within_grace),
        cmocka_unit_test(t_gap_via_flush),
        cmocka_unit_test(t_stream_cap),
        cmocka_unit_test(t_budget),
        cmocka_unit_test(t_random_identical),
        cmocka_unit_test(t_random_first),
        cmocka_unit_test(t_random_last),
        cmocka_unit_test(t_many_held),
        cmocka_unit_test(t_history_growth),
        cmocka_unit_test(t_snapcut_resent),
        cmocka_unit_test(t_keepalive_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
