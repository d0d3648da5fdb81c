/* libFuzzer target for src/decode. The first input byte picks a link type
 * (and a snaplen cut); the rest is the frame. One decoder lives across
 * inputs so fragment sets, their timeouts and the memcap are exercised.
 * Seeds (fuzz/seeds/fuzz_decode, from tests/encap/gen_encap.py) put a
 * packet inside every tunnel sd_encap.c decodes, so nesting, the depth
 * cap and cut headers are reached early; csum_* seeds carry right,
 * offloaded, wrong and rewritten checksums (sd_csum.c).
 *   make fuzz && build-fuzz/fuzz_decode -max_total_time=60 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/sd_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = { 0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147, 9, 50, 104, 239 };

static void sink(void *ud, const char *file, uint64_t frame, const char *msg)
{
    /* Touch every byte so ASan checks the strings. */
    size_t *n = ud;
    *n += strlen(file) + strlen(msg) + (size_t)(frame & 1);
}

static const char *name(void *ud, unsigned idx)
{
    (void)ud;
    return idx ? "b.pcap" : "a.pcap";
}

/* Reads every byte the decoder points at, so out-of-bounds pointers show. */
static unsigned touch(const sd_pkt *p)
{
    unsigned s = 0;
    for (uint32_t i = 0; i < p->payload_len; i++)
        s += p->payload[i];
    for (unsigned i = 0; i < p->nencap; i++) /* the tunnel list stays within its array */
        s += (unsigned)strlen(sd_encap_name(p->encap[i]));
    return s;
}

/* The same frame through a decoder that takes every checksum mismatch as
 * wrong (--checksum verify): what auto keeps, verify may not, never the
 * other way round for the checksum (seeds csum_*: right, offloaded, wrong,
 * rewritten checksums). */
static unsigned verify_too(const sd_frame *f)
{
    static sd_decoder *dv;
    if (!dv) {
        sd_decode_opts o = { .frag_memcap = 64 * 1024, .frag_timeout = 2 * SD_NS_PER_SEC, .file_name = name,
                             .csum = SD_CSUM_VERIFY };
        dv = sd_decoder_new(&o);
    }
    sd_pkt p;
    sd_dec_res r = sd_decode(dv, f, &p);
    if (p.csum == SD_CSUM_OFFLOAD || p.csum == SD_CSUM_REWRITTEN)
        abort(); /* verify has no excuse for a mismatch */
    return touch(&p) + (unsigned)r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static sd_decoder *d;
    static sd_diag diag;
    static size_t diag_bytes;
    static uint64_t num;
    static sd_ts ts;
    if (!d) {
        diag.fn = sink;
        diag.ud = &diag_bytes;
        /* A small memcap and timeout so eviction and expiry happen. */
        sd_decode_opts o = { .frag_memcap = 64 * 1024, .frag_timeout = 2 * SD_NS_PER_SEC,
                             .diag = &diag, .file_name = name };
        d = sd_decoder_new(&o);
    }
    if (size < 1)
        return 0;
    uint8_t sel = data[0];
    data++;
    size--;
    /* Copy into an exact-size buffer so reads past caplen are caught. */
    uint8_t *buf = size ? malloc(size) : NULL;
    if (size)
        memcpy(buf, data, size);
    uint32_t wire = (uint32_t)size;
    if (sel & 0x80)
        wire += 1 + (sel & 0x70); /* pretend the snaplen cut some bytes */
    ts += (sel & 0x08) ? SD_NS_PER_SEC : 1000;
    sd_frame f = { .num = ++num, .ts = ts, .caplen = (uint32_t)size, .wirelen = wire,
                   .linktype = link_types[(sel & 0x0f) % (sizeof link_types / sizeof *link_types)],
                   .data = buf, .file_idx = (sel >> 4) & 1 };
    sd_pkt p;
    sd_dec_res r = sd_decode(d, &f, &p);
    /* every frame with no IP packet is counted under exactly one reason */
    static uint64_t failed;
    failed += r == SD_DEC_NOT_IP || r == SD_DEC_BAD;
    uint64_t by[SD_UNDEC_COUNT], all = 0;
    sd_decoder_undecoded(d, by);
    for (int i = 0; i < SD_UNDEC_COUNT; i++)
        all += by[i];
    if (all != failed || p.nencap > SD_MAX_ENCAP_DEPTH)
        abort();
    /* a wrong checksum marks a TCP/UDP packet (an IPv4 header's fails it),
     * or whatever a UDP tunnel with a wrong checksum carried (its endpoint
     * drops the inner packet with it) */
    bool csum_l4 = p.l4 == SD_L4_TCP || p.l4 == SD_L4_UDP || p.nencap > 0;
    if (p.csum > SD_CSUM_BAD || (r == SD_DEC_OK && p.csum == SD_CSUM_BAD && !csum_l4))
        abort();
    volatile unsigned sink_sum = touch(&p) + (unsigned)r + verify_too(&f);
    (void)sink_sum;
    free(buf);
    return 0;
}
