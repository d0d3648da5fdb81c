/* libFuzzer target for the SSH parser (src/ssh/sd_ssh*.c).
 *
 * Input format (so seeds can be real conversations): byte 0 = client hint
 * (bit 0), hint_firm (bit 1), midstream_ok (bit 2: a session picked up
 * mid-stream, sd_ssh_mid.c); then a sequence of records, each a control byte c followed by
 * data:
 *   c = 0xff            gap: next byte n, sd_ssh_gap(dir = n & 1, n >> 1)
 *   c = 0xfe            segment: next byte n, sd_ssh_segment over the last
 *                       n bytes fed in direction n & 1
 *   c = 0xfd            snaplen cut: next byte n, sd_ssh_cut(dir = n & 1,
 *                       (n >> 1) * 4) (a cut segment's tail)
 *   otherwise           feed: dir = c & 1, the next (c >> 1) + 1 bytes,
 *                       split into two calls at a point given by c, the
 *                       second sd_ssh_feed_segment when bit 1 is set (its
 *                       wire length: the bytes, plus c >> 4 as if cut)
 * Build: make fuzz (clang); seeds: tests/ssh/fuzz_seeds.py. */
#include <stddef.h>
#include <stdint.h>

#include "ssh/sd_ssh.h"

static void on_record(void *ud, const sd_ssh_record *r)
{
    uint64_t *sum = ud;
    *sum += r->wire_len + r->frame;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint64_t sum = 0;
    sd_ssh_opts o = { .client_hint = data[0] & 1, .hint_firm = data[0] & 2, .midstream_ok = data[0] & 4,
                      .record = on_record, .ud = &sum };
    sd_ssh *s = sd_ssh_new(&o);
    size_t i = 1;
    uint64_t frame = 1;
    while (i < size) {
        uint8_t c = data[i++];
        if (c == 0xff || c == 0xfe || c == 0xfd) {
            if (i >= size)
                break;
            uint8_t n = data[i++];
            int dir = n & 1;
            if (c == 0xff) {
                sd_ssh_gap(s, dir, n >> 1, frame);
            } else if (c == 0xfd) {
                sd_ssh_cut(s, dir, (uint64_t)(n >> 1) * 4u, frame, (sd_ts)frame);
            } else {
                uint64_t off = sd_ssh_offset(s, dir);
                uint32_t len = n >> 1;
                if (len > off)
                    len = (uint32_t)off;
                sd_ssh_segment(s, dir, off - len, len, frame, (sd_ts)frame);
            }
        } else {
            size_t len = (size_t)(c >> 1) + 1;
            if (len > size - i)
                len = size - i;
            size_t cut = len ? (c * 7u) % (len + 1) : 0;
            sd_ssh_feed(s, c & 1, data + i, cut, frame, (sd_ts)frame);
            if (c & 2)
                sd_ssh_feed_segment(s, c & 1, data + i + cut, len - cut, (uint32_t)(len - cut) + (c >> 4), frame,
                                    (sd_ts)frame);
            else
                sd_ssh_feed(s, c & 1, data + i + cut, len - cut, frame, (sd_ts)frame);
            i += len;
        }
        frame++;
        (void)sd_ssh_is_ssh(s);
        (void)sd_ssh_ruled_out(s);
    }
    const sd_ssh_meta *m = sd_ssh_meta_get(s);
    /* touch the strings the meta exposes (ASan checks they are valid) */
    for (int d = 0; d < 2; d++) {
        const sd_ssh_side *sd = &m->side[d];
        const char *strs[] = { sd->banner, sd->software, sd->comments, sd->prebanner,
                               sd->hassh_algorithms, sd->hassh };
        for (size_t k = 0; k < sizeof(strs) / sizeof(strs[0]); k++)
            for (const char *p = strs[k]; p && *p; p++)
                sum += (uint8_t)*p;
        for (int k = 0; k < SD_SSH_NL_COUNT; k++)
            for (const char *p = sd->lists[k]; p && *p; p++)
                sum += (uint8_t)*p;
    }
    for (int k = 0; k < 2; k++) {
        for (const char *p = m->cipher[k]; p && *p; p++)
            sum += (uint8_t)*p;
        for (const char *p = m->mac[k]; p && *p; p++)
            sum += (uint8_t)*p;
    }
    sd_ssh_free(s);
    return sum == 0xdeadbeef; /* keep sum alive */
}
