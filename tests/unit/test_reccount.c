/* Unit tests for src/capture/sd_reccount: the records of a file counted
 * from its headers are those sd_capture reads from it (what --jobs gives
 * a later chunk as its frame base), for classic pcap either byte order,
 * pcapng with packet blocks of every kind, other blocks and a second
 * section of the other byte order, and files that end badly (a record or
 * a block cut short, an impossible length), empty or not captures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/sd_capture.h"
#include "capture/sd_reccount.h"

typedef struct fb {
    uint8_t b[8192];
    size_t n;
    bool be;
} fb;

static void p8(fb *f, unsigned v) { f->b[f->n++] = (uint8_t)v; }
static void p16(fb *f, unsigned v)
{
    if (f->be)
        p8(f, v >> 8), p8(f, v & 0xff);
    else
        p8(f, v & 0xff), p8(f, v >> 8);
}
static void p32(fb *f, uint32_t v)
{
    if (f->be)
        p16(f, v >> 16), p16(f, v & 0xffff);
    else
        p16(f, v & 0xffff), p16(f, v >> 16);
}
static void pz(fb *f, size_t n) { memset(f->b + f->n, 0, n); f->n += n; }

static void pcap_hdr(fb *f)
{
    p32(f, 0xa1b2c3d4u), p16(f, 2), p16(f, 4), p32(f, 0), p32(f, 0), p32(f, 65535), p32(f, 1);
}

static void pcap_rec(fb *f, uint32_t sec, uint32_t cl, uint32_t have)
{
    p32(f, sec), p32(f, 0), p32(f, cl), p32(f, cl), pz(f, have);
}

static void ng_block(fb *f, uint32_t type, uint32_t body)
{
    p32(f, type), p32(f, body + 12), pz(f, body), p32(f, body + 12);
}

static void ng_shb(fb *f)
{
    p32(f, 0x0a0d0d0au), p32(f, 28), p32(f, 0x1a2b3c4du), p16(f, 1), p16(f, 0), p32(f, 0xffffffffu),
        p32(f, 0xffffffffu), p32(f, 28);
}

static void ng_idb(fb *f)
{
    p32(f, 1), p32(f, 20), p16(f, 1), p16(f, 0), p32(f, 0), p32(f, 20);
}

static void ng_epb(fb *f, uint32_t type, uint32_t cl)
{
    uint32_t pad = (cl + 3u) & ~3u;
    p32(f, type), p32(f, 32 + pad);
    if (type == 2) /* obsolete packet block: 16-bit interface, 16-bit drops */
        p16(f, 0), p16(f, 0);
    else
        p32(f, 0);
    p32(f, 0), p32(f, 1000), p32(f, cl), p32(f, cl), pz(f, pad), p32(f, 32 + pad);
}

/* What sd_capture reads of the file, and what sd_reccount says. */
static void same(const fb *f, const char *what)
{
    char path[] = "/tmp/sd-reccount-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, f->b, f->n), (ssize_t)f->n);
    close(fd);
    sd_diag diag = { 0 };
    sd_capture_opts o = { .diag = &diag, .all_frames = true, .none_ok = true, .map_files = true };
    char err[256];
    const char *paths[] = { path };
    sd_capture *cap = sd_capture_open(paths, 1, &o, err, sizeof err);
    uint64_t read = 0, counted = 99;
    if (cap) {
        sd_frame fr;
        while (sd_capture_next(cap, &fr) == 1)
            ;
        read = sd_capture_frames(cap);
        sd_capture_close(cap);
    }
    assert_true(sd_reccount(path, &counted));
    if (counted != read)
        fail_msg("%s: %llu counted, %llu read", what, (unsigned long long)counted, (unsigned long long)read);
    unlink(path);
}

static void t_pcap(void **state)
{
    (void)state;
    for (int be = 0; be < 2; be++) {
        fb f = { .be = be };
        pcap_hdr(&f);
        for (uint32_t i = 0; i < 20; i++)
            pcap_rec(&f, i, 60 + i, 60 + i);
        same(&f, "pcap");
        fb cut = f;
        pcap_rec(&cut, 30, 100, 40); /* its data cut short: the file ends before it */
        same(&cut, "pcap, its last record cut");
        fb hdr = f;
        p32(&hdr, 1), p32(&hdr, 0); /* half a record header */
        same(&hdr, "pcap, half a header");
        fb big = f;
        pcap_rec(&big, 30, (1u << 20) + 1, 0); /* longer than any record read: the file ends there */
        pcap_rec(&big, 31, 60, 60);
        same(&big, "pcap, an impossible length");
    }
    fb only = { 0 };
    pcap_hdr(&only);
    same(&only, "pcap, no record");
}

static void t_pcapng(void **state)
{
    (void)state;
    fb f = { 0 };
    ng_shb(&f), ng_idb(&f);
    for (uint32_t i = 0; i < 10; i++)
        ng_epb(&f, 6, 50 + i);
    ng_epb(&f, 2, 61);
    ng_block(&f, 4, 8); /* name resolution: no record */
    ng_block(&f, 0x7777, 4); /* unknown: no record */
    p32(&f, 3), p32(&f, 12 + 64), p32(&f, 60), pz(&f, 60), p32(&f, 12 + 64); /* simple packet block */
    p32(&f, 6), p32(&f, 32), pz(&f, 16), p32(&f, 40), p32(&f, 32); /* captured length past its block: skipped */
    fb be = { .be = true }; /* a second section, big-endian */
    ng_shb(&be), ng_idb(&be), ng_epb(&be, 6, 70), ng_epb(&be, 6, 71);
    memcpy(f.b + f.n, be.b, be.n);
    f.n += be.n;
    same(&f, "pcapng");
    fb cut = f;
    p32(&cut, 6), p32(&cut, 200), pz(&cut, 20); /* a block cut short: the file ends there */
    same(&cut, "pcapng, its last block cut");
    fb bad = f;
    ng_block(&bad, 6, 21); /* a length that is no multiple of 4 */
    ng_epb(&bad, 6, 60);
    same(&bad, "pcapng, an impossible length");
}

static void t_not_capture(void **state)
{
    (void)state;
    fb empty = { 0 };
    same(&empty, "empty");
    uint64_t n = 5;
    assert_true(sd_reccount("/nonexistent/sd-reccount", &n)); /* one run skips it: no record */
    assert_int_equal(n, 0);
    fb text = { 0 };
    memcpy(text.b, "hello, this is not a capture file at all\n", 41);
    text.n = 41;
    char path[] = "/tmp/sd-reccount-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text.b, text.n), (ssize_t)text.n);
    close(fd);
    assert_false(sd_reccount(path, &n)); /* libpcap might read it: cannot tell */
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(t_pcap), cmocka_unit_test(t_pcapng),
                                        cmocka_unit_test(t_not_capture) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
