/* capdump: one line per record as sd_capture reads it, for the pcapng
 * cross-check against tshark (tests/capture/t_pcapng_tshark.sh):
 * "frame epoch_seconds.nanoseconds caplen wirelen linktype iface" (iface:
 * the pcapng interface + 1 over the file, 0 for classic pcap).
 * Diagnostics (unreadable records) go to stderr. */
#include <inttypes.h>
#include <stdio.h>

#include "capture/sd_capture.h"

static void diag(void *ud, const char *file, uint64_t frame, const char *msg)
{
    (void)ud;
    fprintf(stderr, "capdump: %s: frame %" PRIu64 ": %s\n", file ? file : "", frame, msg);
}

int main(int argc, char **argv)
{
    sd_diag d = { .fn = diag };
    sd_capture_opts o = { .diag = &d, .bpf = argc > 2 ? argv[2] : NULL };
    char err[512];
    sd_capture *cap = argc > 1 ? sd_capture_open((const char *const *)argv + 1, 1, &o, err, sizeof err) : NULL;
    if (!cap) {
        fprintf(stderr, "capdump: %s\n", argc > 1 ? err : "usage: capdump FILE [BPF]");
        return 2;
    }
    sd_frame f;
    while (sd_capture_next(cap, &f) == 1)
        printf("%" PRIu64 " %lld.%09lld %u %u %d %u\n", f.num, (long long)(f.ts / SD_NS_PER_SEC),
               (long long)(f.ts % SD_NS_PER_SEC), f.caplen, f.wirelen, f.linktype, f.iface);
    sd_capture_close(cap);
    return 0;
}
