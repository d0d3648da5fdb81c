/* libFuzzer target for the capture file readers (src/capture/sd_pcapfile,
 * classic pcap, and sd_pcapng): the input is a pcap or pcapng file; every record is read and every byte of it
 * touched, so a length the reader trusted wrongly shows under ASan. Then the
 * same bytes go through sd_capture (the memory input reads classic pcap
 * through sd_pcapfile too), for its time handling and frame numbering.
 * And once more as a stream that cannot be rewound (standard input, a
 * FIFO: sd_pcapfile_open_stream, the header bytes given back by sd_replay):
 * the records must be those read from memory, one for one, and a file of
 * neither format must come back byte for byte for libpcap.
 * Seeds: fuzz/seeds/fuzz_pcapfile (small classic and pcapng captures: the
 * pcapng ones from tests/capture/gen_pcapng.py, several sections, byte
 * orders, interfaces, link types and time resolutions).
 *   make fuzz && build-fuzz/fuzz_pcapfile -max_total_time=60 */
#include <stdio.h>
#include <stdlib.h>

#include "capture/sd_capture.h"
#include "capture/sd_pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Records, their fields and bytes, hashed (FNV-1a): two reads compared. */
typedef struct digest {
    uint64_t h, n;
    int end; /* the last sd_pcapfile_next result */
} digest;

static void mix(digest *d, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        d->h = (d->h ^ b[i]) * 0x100000001b3ull;
}

static digest read_records(sd_pcapfile *pf)
{
    digest d = { .h = 0xcbf29ce484222325ull };
    char err[160];
    sd_pcaprec r;
    int rc;
    while ((rc = sd_pcapfile_next(pf, &r, err, sizeof err)) > 0) {
        if (rc == SD_PCAP_SKIPPED)
            continue; /* a bad block passed over: r holds nothing */
        if (r.caplen > SD_PCAP_MAX_RECORD || r.wirelen < r.caplen || r.nsec >= SD_NS_PER_SEC ||
            (r.caplen && !r.data))
            abort(); /* the reader promises these */
        mix(&d, &r.sec, sizeof r.sec);
        mix(&d, &r.nsec, sizeof r.nsec);
        mix(&d, &r.wirelen, sizeof r.wirelen);
        mix(&d, &r.linktype, sizeof r.linktype);
        mix(&d, r.data, r.caplen);
        d.n++;
    }
    d.end = rc;
    return d;
}

static void read_all(const uint8_t *data, size_t size)
{
    bool not_pcap = false, stream_not_pcap = false;
    char err[160];
    sd_pcapfile *pf = sd_pcapfile_open_mem(data, size, &not_pcap, err, sizeof err);
    digest mem = { 0 };
    if (pf) {
        mem = read_records(pf);
        sd_pcapfile_close(pf);
    }
    FILE *fp = size ? fmemopen((void *)(uintptr_t)data, size, "rb") : NULL;
    if (!fp)
        return;
    FILE *rest = NULL;
    sd_pcapfile *sp = sd_pcapfile_open_stream(fp, &stream_not_pcap, &rest, err, sizeof err);
    if (!pf != !sp || not_pcap != stream_not_pcap)
        abort(); /* a stream is told apart as memory is */
    if (sp) {
        digest st = read_records(sp);
        if (st.h != mem.h || st.n != mem.n || st.end != mem.end)
            abort(); /* the same records, and the same end */
        sd_pcapfile_close(sp);
    }
    if (rest) { /* neither format: libpcap must get every byte, in order */
        size_t at = 0;
        for (int c; (c = fgetc(rest)) != EOF; at++)
            if (at >= size || (uint8_t)c != data[at])
                abort();
        if (at != size)
            abort();
        fclose(rest);
    }
}

/* The same bytes through sd_capture; inputs of odd size with a filter, so
 * the BPF path of a classic pcap (libpcap compiles it for the file's link
 * type, our reader supplies the records) runs too. */
static void read_capture(const uint8_t *data, size_t size)
{
    sd_diag diag = { 0 };
    char err[256];
    sd_capture_opts co = { .bpf = size & 1 ? "tcp or udp" : NULL, .diag = &diag };
    sd_capture *cap = sd_capture_open_mem(data, size, "fuzz", &co, err, sizeof err);
    sd_frame fr;
    uint64_t last = 0;
    while (cap && sd_capture_next(cap, &fr) == 1) {
        if (fr.num <= last || fr.ts < 0 || fr.ts > SD_TS_MAX || fr.wirelen < fr.caplen)
            abort(); /* frames count up (gaps: filtered), times are saturated */
        last = fr.num;
    }
    sd_capture_close(cap);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    read_all(data, size);
    read_capture(data, size);
    return 0;
}
