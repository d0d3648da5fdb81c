/* libFuzzer target for the capture file readers (src/capture/sd_pcapfile,
 * classic pcap, and sd_pcapng): the input is a pcap or pcapng file; every record is read and every byte of it
 * touched, so a length the reader trusted wrongly shows under ASan. Then the
 * same bytes go through sd_capture (the memory input reads classic pcap
 * through sd_pcapfile too), for its time handling and frame numbering.
 * Seeds: fuzz/seeds/fuzz_pcapfile (small classic and pcapng captures: the
 * pcapng ones from tests/capture/gen_pcapng.py, several sections, byte
 * orders, interfaces, link types and time resolutions).
 *   make fuzz && build-fuzz/fuzz_pcapfile -max_total_time=60 */
#include <stdlib.h>

#include "capture/sd_capture.h"
#include "capture/sd_pcapfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void read_all(const uint8_t *data, size_t size)
{
    bool not_pcap;
    char err[160];
    sd_pcapfile *pf = sd_pcapfile_open_mem(data, size, &not_pcap, err, sizeof err);
    if (!pf)
        return;
    sd_pcaprec r;
    volatile uint8_t sink = 0;
    int rc;
    while ((rc = sd_pcapfile_next(pf, &r, err, sizeof err)) > 0) {
        if (rc == SD_PCAP_SKIPPED)
            continue; /* a bad block passed over: r holds nothing */
        if (r.caplen > SD_PCAP_MAX_RECORD || r.wirelen < r.caplen || r.nsec >= SD_NS_PER_SEC ||
            (r.caplen && !r.data))
            abort(); /* the reader promises these */
        for (uint32_t i = 0; i < r.caplen; i++)
            sink ^= r.data[i];
    }
    (void)sink;
    sd_pcapfile_close(pf);
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
